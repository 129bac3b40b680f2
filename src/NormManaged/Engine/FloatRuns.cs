using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>The floats a narrow fast path sums (<see cref="FloatFastPath"/>, <see cref="FloatPowFast"/>,
/// <see cref="Complex64Fast"/>), as one stream indexed 0 … m − 1: contiguous floats, float32 elements any number of
/// bytes apart, or the (re, im) float pairs of complex64 elements any number of bytes apart. Those paths accept a
/// result only when it is provably the correctly rounded norm, whatever the order of their sums, so reading a strided
/// vector in place changes no accepted bit; it removes the copy the exact paths make through their widening buffer
/// (float32 x[::2] of 1.2e6 took 310 µs that way, NumPy 230). Strided elements are loaded one by one into vectors
/// (AVX2 gathers measured 1.3–1.9× slower here) with software prefetch, except x[::2] and x[::3], which take
/// whole-vector loads and permutes (<see cref="EveryFloat{TK}"/>).</summary>
internal unsafe interface IFloatRun<R> where R : struct, IFloatRun<R>
{
    /// <summary>Floats i … i + 7 of the stream.</summary>
    Vector256<float> Load8(long i);
    /// <summary>Floats i … i + 15.</summary>
    Vector512<float> Load16(long i);
    /// <summary>Float i.</summary>
    float At(long i);
    /// <summary>Hints the memory a step reading floats i … i + 63 will read a few steps later.</summary>
    void Ahead(long i);
    /// <summary>The same for a step reading floats i … i + 31.</summary>
    void Ahead32(long i);
    /// <summary>The stream from float i on.</summary>
    R From(long i);
    /// <summary>The same kind of stream starting <paramref name="bytes"/> further on (the next row of a 2-D view).</summary>
    R Moved(long bytes);
}

/// <summary>Contiguous floats.</summary>
internal readonly unsafe struct ContiguousFloats : IFloatRun<ContiguousFloats>
{
    private readonly float* _p;
    public ContiguousFloats(float* p) => _p = p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> Load8(long i) => Vector256.Load(_p + i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<float> Load16(long i) => Vector512.Load(_p + i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float At(long i) => _p[i];
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Ahead(long i) => Prefetch.Ahead256(_p + i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Ahead32(long i) => Prefetch.Ahead128(_p + i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public ContiguousFloats From(long i) => new(_p + i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public ContiguousFloats Moved(long bytes) => new((float*)((byte*)_p + bytes));
}

/// <summary>float32 elements <c>stride</c> bytes apart (not 4; either sign: element i is at i·stride), loaded one by one.</summary>
internal readonly unsafe struct StridedFloats : IFloatRun<StridedFloats>
{
    private readonly byte* _p;
    private readonly long _s;

    public StridedFloats(byte* p, long stride) { _p = p; _s = stride; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Load8(long i)
    {
        byte* a = _p + i * _s;
        Ahead8(a, _s);
        long s = _s;
        return Vector256.Create(Unsafe.ReadUnaligned<float>(a), Unsafe.ReadUnaligned<float>(a + s), Unsafe.ReadUnaligned<float>(a + 2 * s), Unsafe.ReadUnaligned<float>(a + 3 * s),
                                Unsafe.ReadUnaligned<float>(a + 4 * s), Unsafe.ReadUnaligned<float>(a + 5 * s), Unsafe.ReadUnaligned<float>(a + 6 * s), Unsafe.ReadUnaligned<float>(a + 7 * s));
    }

    /// <summary>Hints the lines of the eight elements 128 elements (at least 8 KiB) past the eight at
    /// <paramref name="a"/>, <paramref name="s"/> bytes apart (x[::16] of 1.6e7 floats from DRAM, read by gathers, ran
    /// at half the speed of the exact path's scalar copy without these).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Ahead8(byte* a, long s)
    {
        byte* q = a + Math.Max(Prefetch.Distance, 128 * s);
        if (s >= 64)
            for (int k = 0; k < 8; k++) Prefetch.Line(q + k * s);
        else
            for (byte* e = q + 8 * s; q < e; q += 64) Prefetch.Line(q);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Load16(long i) => Vector512.Create(Load8(i), Load8(i + 8));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float At(long i) => Unsafe.ReadUnaligned<float>(_p + i * _s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Ahead(long i) { }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Ahead32(long i) { }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public StridedFloats From(long i) => new(_p + i * _s, _s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public StridedFloats Moved(long bytes) => new(_p + bytes, _s);
}

/// <summary>How <see cref="EveryFloat{K}"/> reads: every second or every third float.</summary>
internal interface IFloatStep
{
    static abstract int K { get; }
}

internal readonly struct Step2 : IFloatStep { public static int K => 2; }
internal readonly struct Step3 : IFloatStep { public static int K => 3; }

/// <summary>float32 elements every K-th float (x[::2], x[::3]: strides of 8 and 12 bytes): whole-vector loads and
/// permutes (all of the lines are read anyway), ~4× the speed of AVX2 gathers here. A group of eight or sixteen whose
/// loads would reach past the run's last element (by K − 1 floats) is loaded element by element instead.</summary>
internal readonly unsafe struct EveryFloat<TK> : IFloatRun<EveryFloat<TK>> where TK : struct, IFloatStep
{
    private readonly float* _p;
    private readonly long _m; // elements in the run
    private readonly StridedFloats _g;

    public EveryFloat(float* p, long m) { _p = p; _m = m; _g = new StridedFloats((byte*)p, 4 * TK.K); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Load8(long i)
    {
        if (i + 8 >= _m) return _g.Load8(i);
        float* d = _p + TK.K * i;
        if (TK.K == 2) return Avx512F.ConvertToVector256Int32(Vector512.Load((long*)d)).AsSingle(); // the low halves
        var a = Vector512.Load(d);
        var b = Vector256.Load(d + 16).ToVector512Unsafe(); // floats 16 … 23 (its upper half is never indexed)
        return Avx512F.PermuteVar16x32x2(a, Vector512.Create(0, 3, 6, 9, 12, 15, 18, 21, 0, 0, 0, 0, 0, 0, 0, 0), b).GetLower();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Load16(long i)
    {
        if (i + 16 >= _m) return Vector512.Create(Load8(i), Load8(i + 8));
        float* d = _p + TK.K * i;
        if (TK.K == 2)
            return Avx512F.PermuteVar16x32x2(Vector512.Load(d), Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30),
                                             Vector512.Load(d + 16));
        var t = Avx512F.PermuteVar16x32x2(Vector512.Load(d), Vector512.Create(0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 0, 0, 0, 0, 0),
                                          Vector512.Load(d + 16));
        return Avx512F.PermuteVar16x32x2(t, Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 17, 20, 23, 26, 29), Vector512.Load(d + 32));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float At(long i) => _p[TK.K * i];
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Ahead(long i)
    {
        Prefetch.Ahead256(_p + TK.K * i);
        if (TK.K == 2) Prefetch.Ahead256(_p + 2 * i + 64);
        else { Prefetch.Ahead256(_p + 3 * i + 64); Prefetch.Ahead256(_p + 3 * i + 128); }
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Ahead32(long i) { Prefetch.Ahead256(_p + TK.K * i); if (TK.K == 3) Prefetch.Ahead128(_p + 3 * i + 64); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public EveryFloat<TK> From(long i) => new(_p + TK.K * i, _m - i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public EveryFloat<TK> Moved(long bytes) => new((float*)((byte*)_p + bytes), _m);
}

/// <summary>complex64 elements <c>stride</c> bytes apart (not 8; either sign): float 2k is element k's real part, 2k + 1
/// its imaginary part; eight floats are four elements loaded as 64-bit pairs. Streams start at even floats.</summary>
internal readonly unsafe struct StridedPairs : IFloatRun<StridedPairs>
{
    private readonly byte* _p;
    private readonly long _s;

    public StridedPairs(byte* p, long stride) { _p = p; _s = stride; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Load8(long i)
    {
        byte* a = _p + (i >> 1) * _s;
        if ((i & 15) == 0) StridedFloats.Ahead8(a, _s); // every other call: eight floats are four elements
        long s = _s;
        return Vector256.Create(Unsafe.ReadUnaligned<long>(a), Unsafe.ReadUnaligned<long>(a + s),
                                Unsafe.ReadUnaligned<long>(a + 2 * s), Unsafe.ReadUnaligned<long>(a + 3 * s)).AsSingle();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Load16(long i) => Vector512.Create(Load8(i), Load8(i + 8));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float At(long i) => Unsafe.ReadUnaligned<float>(_p + (i >> 1) * _s + (i & 1) * 4);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Ahead(long i) { }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Ahead32(long i) { }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public StridedPairs From(long i) => new(_p + (i >> 1) * _s, _s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public StridedPairs Moved(long bytes) => new(_p + bytes, _s);
}

/// <summary>What is done with the run of one evenly spaced vector (<see cref="FloatRuns.With{U, T}"/>).</summary>
internal interface IRunUser<T>
{
    /// <summary>Uses the <paramref name="m"/> floats of <paramref name="run"/>.</summary>
    T Use<R>(R run, long m) where R : struct, IFloatRun<R>;
}

/// <summary>Picks the run for one evenly spaced vector of narrow elements.</summary>
internal static unsafe class FloatRuns
{
    /// <summary>Hands <paramref name="user"/> the run of the <paramref name="n"/> float32 (<paramref name="complex"/>:
    /// complex64) elements <paramref name="stride"/> bytes apart from <paramref name="p"/> (adjacent, or
    /// <see cref="TakesStride"/>; strided runs keep the element order, any sign): the one place that picks it.</summary>
    public static T With<U, T>(byte* p, long stride, long n, bool complex, U user) where U : struct, IRunUser<T>
    {
        if (complex)
            return stride == 8 ? user.Use(new ContiguousFloats((float*)p), 2 * n) : user.Use(new StridedPairs(p, stride), 2 * n);
        if (stride == 4) return user.Use(new ContiguousFloats((float*)p), n);
        if (Avx512F.IsSupported && stride == 8) return user.Use(new EveryFloat<Step2>((float*)p, n), n);
        if (Avx512F.IsSupported && stride == 12) return user.Use(new EveryFloat<Step3>((float*)p, n), n);
        return user.Use(new StridedFloats(p, stride), n);
    }

    /// <summary>True when <see cref="StridedFloats"/> / <see cref="StridedPairs"/> read elements
    /// <paramref name="stride"/> bytes apart (any sign: callers start at the lowest address; a zero stride, a broadcast
    /// element, is left to the exact paths).</summary>
    public static bool TakesStride(long stride) => Vector256.IsHardwareAccelerated && stride != 0 && Math.Abs(stride) <= int.MaxValue / 8;

    /// <summary>Widens the first <paramref name="m"/> floats of <paramref name="r"/> to doubles at <paramref name="dst"/>
    /// (exactly; the copy of <see cref="Gather"/>).</summary>
    public static void Widen<R>(R r, long m, double* dst) where R : struct, IFloatRun<R>
    {
        long i = 0;
        if (Avx512F.IsSupported)
            for (; i + 8 <= m; i += 8) Avx512F.ConvertToVector512Double(r.Load8(i)).Store(dst + i);
        else
            for (; i + 8 <= m; i += 8)
            {
                var (lo, hi) = Vector256.Widen(r.Load8(i));
                lo.Store(dst + i); hi.Store(dst + i + 4);
            }
        for (; i < m; i++) dst[i] = r.At(i);
    }

    /// <summary>Copies <paramref name="n"/> float32 (<paramref name="complex"/>: complex64) elements
    /// <paramref name="stride"/> bytes apart (any sign, <see cref="TakesStride"/>) from <paramref name="p"/> as doubles
    /// into <paramref name="dst"/>, in order.</summary>
    public static void Widen(byte* p, long stride, int n, bool complex, double* dst)
        => With<ToDoubles, bool>(p, stride, n, complex, new ToDoubles(dst));

    private readonly struct ToDoubles(double* dst) : IRunUser<bool>
    {
        public bool Use<R>(R run, long m) where R : struct, IFloatRun<R> { Widen(run, m, dst); return true; }
    }

    /// <summary>Copies the first <paramref name="m"/> floats of <paramref name="r"/> to <paramref name="dst"/>.</summary>
    public static void Copy<R>(R r, long m, float* dst) where R : struct, IFloatRun<R>
    {
        long i = 0;
        for (; i + 8 <= m; i += 8) r.Load8(i).Store(dst + i);
        for (; i < m; i++) dst[i] = r.At(i);
    }

    /// <summary>Copies <paramref name="n"/> float32 (<paramref name="complex"/>: complex64) elements
    /// <paramref name="stride"/> bytes apart (<see cref="TakesStride"/>) from <paramref name="p"/> into the contiguous
    /// floats at <paramref name="dst"/>.</summary>
    public static void Copy(byte* p, long stride, int n, bool complex, float* dst)
        => With<ToFloats, bool>(p, stride, n, complex, new ToFloats(dst));

    private readonly struct ToFloats(float* dst) : IRunUser<bool>
    {
        public bool Use<R>(R run, long m) where R : struct, IFloatRun<R> { Copy(run, m, dst); return true; }
    }

    /// <summary>The lowest address of <paramref name="n"/> elements <paramref name="stride"/> bytes apart from
    /// <paramref name="first"/>, and the positive stride from there (the order of a fast path's sum is free).</summary>
    public static byte* Lowest(byte* first, long n, ref long stride)
    {
        if (stride >= 0) return first;
        byte* low = first + (n - 1) * stride;
        stride = -stride;
        return low;
    }
}
