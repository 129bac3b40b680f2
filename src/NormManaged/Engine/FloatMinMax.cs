using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>max |x| (p = +∞) and min |x| (p = −∞) of contiguous float16 / float32 / float64 rows, read in their own width
/// (no widening buffer): for non-negative IEEE values the sign-cleared bit pattern, read as a signed integer, is
/// ordered like the value, and every NaN pattern lies above +∞'s. One integer max gives the maximum and NaN presence;
/// for p = −∞ an integer min gives the minimum and the max only serves the NaN test (numpy: NaN wins). Both are exact,
/// so any lane structure, SIMD width or split over threads gives the same value, and it is the value
/// <see cref="StatsOp"/> / <see cref="MaxAbsOp"/> store (widening is exact, the stored value is rounded once).</summary>
internal static unsafe class FloatMinMax
{
    /// <summary>Elements per part when a single large row is split over threads.</summary>
    private const long SplitElements = 1L << 17;

    /// <summary>Contiguous rows, or one strided vector (x[::k], a matrix column reduced alone: its elements read one by
    /// one in place — the block path's widening copy made float32 x[::2] ord ±∞ 0.5–0.7× NumPy).</summary>
    public static bool Applies(ReductionPlan plan, DType t, double p)
        => double.IsInfinity(p) && plan.InnerShape.Length == 1 && plan.InnerCount > 0
           && t is DType.Float16 or DType.Float32 or DType.Float64
           && (plan.InnerStrides[0] == DTypes.ItemSize(t) || plan.OuterCount == 1 && plan.InnerStrides[0] > 0);

    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p)
    {
        long outer = plan.OuterCount, n = plan.InnerCount;
        bool min = p < 0;
        int size = DTypes.ItemSize(t);
        int threads = Parallelism.MaxThreads;
        if (outer == 0) return FpEvents.None;
        if (outer == 1)
        {
            byte* start = x + plan.InnerBaseOffset;
            long lo = 0, hi = 0, stride = plan.InnerStrides[0];
            if (stride != size)
            {
                ScanStrided(start, n, stride, size, out lo, out hi);
                return Store(lo, hi, size, min, o, ot);
            }
            if (threads > 1 && n >= BlockDriver.ParallelThreshold)
            {
                int parts = (int)Math.Max(1, Math.Min(threads, n / SplitElements));
                var los = new long[parts]; var his = new long[parts];
                nint b = (nint)start;
                Parallelism.For(parts, threads, k =>
                {
                    long a = n * k / parts, e = n * (k + 1) / parts;
                    Scan((byte*)b + a * size, e - a, size, out los[k], out his[k]);
                });
                lo = los[0]; hi = his[0];
                for (int k = 1; k < parts; k++) { lo = Math.Min(lo, los[k]); hi = Math.Max(hi, his[k]); }
            }
            else Scan(start, n, size, out lo, out hi);
            return Store(lo, hi, size, min, o, ot);
        }
        if (threads > 1 && outer * n >= BlockDriver.ParallelThreshold)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(outer, threads, (first, count) => Rows(plan, (byte*)xb, (byte*)ob, first, count, size, min, ot));
        }
        return Rows(plan, x, o, 0, outer, size, min, ot);
    }

    /// <summary>max |x| (<paramref name="min"/>: min |x|) of one float16/32/64 line of n ≥ 1 elements
    /// <paramref name="stride"/> bytes apart (positive), stored as <see cref="Run"/> stores it.</summary>
    internal static FpEvents Line(byte* p, long n, long stride, int size, bool min, byte* dst, DType ot)
    {
        long lo, hi;
        if (stride == size) Scan(p, n, size, out lo, out hi);
        else ScanStrided(p, n, stride, size, out lo, out hi);
        return Store(lo, hi, size, min, dst, ot);
    }

    /// <summary>Outputs [first, first + count): one scan per row (a plain pointer walk when there is one kept axis),
    /// in the element's own integer width.</summary>
    private static FpEvents Rows(ReductionPlan plan, byte* x, byte* o, long first, long count, int size, bool min, DType ot)
        => size switch
        {
            2 => Rows<short>(plan, x, o, first, count, min, ot),
            4 => Rows<int>(plan, x, o, first, count, min, ot),
            _ => Rows<long>(plan, x, o, first, count, min, ot),
        };

    private static FpEvents Rows<T>(ReductionPlan plan, byte* x, byte* o, long first, long count, bool min, DType ot)
        where T : unmanaged, IBinaryInteger<T>
    {
        var v = new Extremes<T>(plan.InnerCount, AbsMask<T>(), min, ot);
        return OuterIterator.ForEach(plan, x, o, first, count, ref v);
    }

    private readonly struct Extremes<T>(long n, T mask, bool min, DType ot) : ILineVisitor where T : unmanaged, IBinaryInteger<T>
    {
        public FpEvents Line(byte* xp, byte* dst)
        {
            ScanBits((T*)xp, n, mask, out T l, out T h);
            return Store(l, h, min, dst, ot);
        }
    }

    /// <summary>Sign-clearing mask of the float whose bits are held in T (short: float16, int: float32, long: float64).</summary>
    private static T AbsMask<T>() where T : unmanaged, IBinaryInteger<T>
        => typeof(T) == typeof(short) ? T.CreateTruncating(0x7FFF) : typeof(T) == typeof(int) ? T.CreateTruncating(0x7FFF_FFFF)
            : T.CreateTruncating(0x7FFF_FFFF_FFFF_FFFFL);

    internal static FpEvents Store(long lo, long hi, int size, bool min, byte* dst, DType ot) => size switch
    {
        2 => Store((short)lo, (short)hi, min, dst, ot),
        4 => Store((int)lo, (int)hi, min, dst, ot),
        _ => Store(lo, hi, min, dst, ot),
    };

    private static FpEvents Store<T>(T lo, T hi, bool min, byte* dst, DType ot) where T : unmanaged, IBinaryInteger<T>
    {
        bool half = typeof(T) == typeof(short), single = typeof(T) == typeof(int);
        T infBits = half ? T.CreateTruncating(0x7C00) : single ? T.CreateTruncating(0x7F80_0000) : T.CreateTruncating(0x7FF0_0000_0000_0000L);
        if (hi > infBits) return ResultWriter.Store(ot, dst, double.NaN, 0, 0);
        T bits = min ? lo : hi;
        // the result dtype is the input's (float16 -> float16, float32 -> float32, float64 -> float64): the extreme
        // element, sign cleared, is the result itself (what the rounding store below gives, without its per-output
        // scaling)
        if (ot == (half ? DType.Float16 : single ? DType.Float32 : DType.Float64))
        {
            Unsafe.WriteUnaligned(dst, bits);
            return FpEvents.None;
        }
        long b = long.CreateTruncating(bits);
        double v = half ? (double)BitConverter.Int16BitsToHalf((short)b) : single ? BitConverter.Int32BitsToSingle((int)b)
            : BitConverter.Int64BitsToDouble(b);
        return ResultWriter.Store(ot, dst, v, 0, 0);
    }

    /// <summary>Min and max of the sign-cleared bit patterns of <paramref name="n"/> ≥ 1 contiguous elements of
    /// <paramref name="size"/> bytes (2, 4 or 8).</summary>
    internal static void Scan(byte* p, long n, int size, out long lo, out long hi)
    {
        if (size == 2) { ScanBits((short*)p, n, (short)0x7FFF, out short l, out short h); lo = l; hi = h; }
        else if (size == 4) { Scan32((int*)p, n, out int l, out int h); lo = l; hi = h; }
        else Scan64((long*)p, n, out lo, out hi);
    }

    /// <summary><see cref="Scan"/> for elements <paramref name="stride"/> bytes apart: float32 through
    /// <see cref="FloatRuns"/> (permutes for x[::2] and x[::3], else eight element loads a vector), float64 four
    /// element loads a vector, float16 one at a time.</summary>
    private static void ScanStrided(byte* p, long n, long stride, int size, out long lo, out long hi)
    {
        if (size == 4 && n >= 8 && Vector256.IsHardwareAccelerated && stride <= int.MaxValue / 8)
        {
            int l, h;
            if (Avx512F.IsSupported && stride == 8) ScanFloats(new EveryFloat<Step2>((float*)p, n), n, out l, out h);
            else if (Avx512F.IsSupported && stride == 12) ScanFloats(new EveryFloat<Step3>((float*)p, n), n, out l, out h);
            else ScanFloats(new StridedFloats(p, stride), n, out l, out h);
            lo = l; hi = h;
            return;
        }
        if (size == 8 && n >= 4 && Vector256.IsHardwareAccelerated) { ScanDoubles(p, n, stride, out lo, out hi); return; }
        lo = long.MaxValue; hi = 0;
        long mask = size == 2 ? 0x7FFF : size == 4 ? 0x7FFF_FFFF : 0x7FFF_FFFF_FFFF_FFFFL;
        for (long i = 0; i < n; i++, p += stride)
        {
            long v = (size == 2 ? Unsafe.ReadUnaligned<short>(p) : size == 4 ? Unsafe.ReadUnaligned<int>(p) : Unsafe.ReadUnaligned<long>(p)) & mask;
            lo = Math.Min(lo, v); hi = Math.Max(hi, v);
        }
    }

    private static void ScanFloats<R>(R r, long n, out int lo, out int hi) where R : struct, IFloatRun<R>
    {
        var m = Vector256.Create(0x7FFF_FFFF);
        Vector256<int> a0 = m, a1 = m, b0 = Vector256<int>.Zero, b1 = b0;
        long i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var v0 = r.Load8(i).AsInt32() & m; var v1 = r.Load8(i + 8).AsInt32() & m;
            a0 = Vector256.Min(a0, v0); a1 = Vector256.Min(a1, v1);
            b0 = Vector256.Max(b0, v0); b1 = Vector256.Max(b1, v1);
        }
        for (; i + 8 <= n; i += 8)
        {
            var v = r.Load8(i).AsInt32() & m;
            a0 = Vector256.Min(a0, v); b0 = Vector256.Max(b0, v);
        }
        var a = Vector256.Min(a0, a1); var b = Vector256.Max(b0, b1);
        int l = a[0], h = b[0];
        for (int j = 1; j < 8; j++) { l = Math.Min(l, a[j]); h = Math.Max(h, b[j]); }
        for (; i < n; i++)
        {
            int v = BitConverter.SingleToInt32Bits(r.At(i)) & 0x7FFF_FFFF;
            l = Math.Min(l, v); h = Math.Max(h, v);
        }
        lo = l; hi = h;
    }

    private static void ScanDoubles(byte* p, long n, long s, out long lo, out long hi)
    {
        var m = Vector256.Create(0x7FFF_FFFF_FFFF_FFFFL);
        Vector256<long> a0 = m, a1 = m, b0 = Vector256<long>.Zero, b1 = b0;
        long i = 0;
        for (; i + 8 <= n; i += 8, p += 8 * s)
        {
            StridedFloats.Ahead8(p, s);
            var v0 = Vector256.Create(Unsafe.ReadUnaligned<long>(p), Unsafe.ReadUnaligned<long>(p + s),
                                      Unsafe.ReadUnaligned<long>(p + 2 * s), Unsafe.ReadUnaligned<long>(p + 3 * s)) & m;
            var v1 = Vector256.Create(Unsafe.ReadUnaligned<long>(p + 4 * s), Unsafe.ReadUnaligned<long>(p + 5 * s),
                                      Unsafe.ReadUnaligned<long>(p + 6 * s), Unsafe.ReadUnaligned<long>(p + 7 * s)) & m;
            a0 = Vector256.Min(a0, v0); a1 = Vector256.Min(a1, v1);
            b0 = Vector256.Max(b0, v0); b1 = Vector256.Max(b1, v1);
        }
        var a = Vector256.Min(a0, a1); var b = Vector256.Max(b0, b1);
        long l = Math.Min(Math.Min(a[0], a[1]), Math.Min(a[2], a[3])), h = Math.Max(Math.Max(b[0], b[1]), Math.Max(b[2], b[3]));
        for (; i < n; i++, p += s)
        {
            long v = Unsafe.ReadUnaligned<long>(p) & 0x7FFF_FFFF_FFFF_FFFFL;
            l = Math.Min(l, v); h = Math.Max(h, v);
        }
        lo = l; hi = h;
    }

    private static void Scan32(int* p, long n, out int lo, out int hi) => ScanBits(p, n, 0x7FFF_FFFF, out lo, out hi);

    private static void Scan64(long* p, long n, out long lo, out long hi) => ScanBits(p, n, 0x7FFF_FFFF_FFFF_FFFFL, out lo, out hi);

    /// <summary>Min and max of <c>p[i] &amp; mask</c> over n ≥ 1 elements. Vectors all the way: the part after the
    /// last whole vector is one more vector ending at the last element (it rereads a few elements, harmless for min
    /// and max), and the lanes fold by halves; only rows shorter than one 256-bit vector take the scalar loop.
    /// (Short rows used to spend most of their time in a branchy scalar tail and a lane-by-lane fold.)</summary>
    private static void ScanBits<T>(T* p, long n, T mask, out T lo, out T hi) where T : unmanaged, IBinaryInteger<T>
    {
        int w = Vector256<T>.Count;
        if (n < w || !Vector256.IsHardwareAccelerated)
        {
            T mn = mask, mx = T.Zero;
            for (long j = 0; j < n; j++)
            {
                T v = p[j] & mask;
                mn = v < mn ? v : mn;
                mx = v > mx ? v : mx;
            }
            lo = mn; hi = mx;
            return;
        }
        long i = 0;
        var m = Vector256.Create(mask);
        Vector256<T> a, b;
        if (RealKernels.Wide && n >= 4L * w)
        {
            var mw = Vector512.Create(mask);
            Vector512<T> a0 = Vector512.Create(mask), a1 = a0, b0 = Vector512<T>.Zero, b1 = b0;
            for (; i <= n - 4L * w; i += 4L * w)
            {
                Prefetch.Ahead128(p + i); // 4w elements: 128 bytes a step
                var v0 = Vector512.Load(p + i) & mw; var v1 = Vector512.Load(p + i + 2 * w) & mw;
                a0 = Vector512.Min(a0, v0); a1 = Vector512.Min(a1, v1);
                b0 = Vector512.Max(b0, v0); b1 = Vector512.Max(b1, v1);
            }
            var a512 = Vector512.Min(a0, a1); var b512 = Vector512.Max(b0, b1);
            a = Vector256.Min(a512.GetLower(), a512.GetUpper());
            b = Vector256.Max(b512.GetLower(), b512.GetUpper());
        }
        else
        {
            a = m; b = Vector256<T>.Zero;
        }
        for (; i <= n - w; i += w)
        {
            var v = Vector256.Load(p + i) & m;
            a = Vector256.Min(a, v); b = Vector256.Max(b, v);
        }
        if (i < n)
        {
            var v = Vector256.Load(p + n - w) & m;
            a = Vector256.Min(a, v); b = Vector256.Max(b, v);
        }
        var a128 = Vector128.Min(a.GetLower(), a.GetUpper());
        var b128 = Vector128.Max(b.GetLower(), b.GetUpper());
        T mn2 = a128.GetElement(0), mx2 = b128.GetElement(0);
        for (int j = 1; j < Vector128<T>.Count; j++)
        {
            T x = a128.GetElement(j), y = b128.GetElement(j);
            mn2 = x < mn2 ? x : mn2;
            mx2 = y > mx2 ? y : mx2;
        }
        lo = mn2; hi = mx2;
    }
}
