using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Engine;

namespace NormManaged.Matrix;

internal static unsafe partial class LineSumNorms
{
    /// <summary>Whether <see cref="IntAcross"/> takes the batch: bool / integer matrices of at most 32-bit elements side by side
    /// (one kept axis, contiguous, at least one vector of matrices), e.g. axes (0, 1) of a C-order int16 (40, 50, 60) array,
    /// with lines short enough that every abs-sum is exact in the accumulator lanes (int32 for 8/16-bit elements,
    /// int64 for 32-bit ones) and below 2⁵³.</summary>
    private static bool IntAcrossApplies(MatrixBatch b, long lines, long len)
    {
        if (!Avx2.IsSupported || b.OT != DType.Float64 || lines < 1 || len < 1
            || !b.OneKeptAxis(out long ks, out _) || ks != DTypes.ItemSize(b.T))
            return false;
        return b.T switch
        {
            DType.Bool or DType.Int8 or DType.UInt8 => len <= 1 << 23 && b.Count >= 8, // 255·2²³ < 2³¹
            DType.Int16 or DType.UInt16 => len <= 32767 && b.Count >= 8,        // 65535·32767 < 2³¹
            DType.Int32 or DType.UInt32 => len <= 1 << 20 && b.Count >= 4,      // 2³²·2²⁰ < 2⁵³
            _ => false,
        };
    }

    /// <summary>Integer matrices side by side: one matrix per lane, up to four vectors of lanes per pass (the last pass
    /// ending at the last matrix; a matrix done twice is written twice with the same value), every line of the pass summed
    /// over its elements in integer lanes and the best kept lane-wise. The sums are exact integers below 2⁵³, so the
    /// stored value — the best sum converted once — is the exact result correctly rounded, the bits of the per-matrix
    /// double-double path (which was walked here with strided reads, one matrix at a time: int16 (40, 50, 60) axes (0, 1)
    /// ord 1 took 174 µs vs NumPy's 74 µs). No floating-point event can occur. Passes are independent, so splitting them
    /// over threads changes nothing.</summary>
    private static FpEvents IntAcross(MatrixBatch b, long lines, long len, long ls, long es, bool wantMax)
    {
        b.OneKeptAxis(out _, out long os);
        bool wide = DTypes.ItemSize(b.T) == 4;
        int lanes = wide ? 4 : 8, esz = DTypes.ItemSize(b.T);
        long count = b.Count;
        int vecs = (int)Math.Min(4, count / lanes);
        int width = vecs * lanes;
        long passes = (count + width - 1) / width;
        nint xb = (nint)b.X, ob = (nint)b.O;
        DType t = b.T;
        FpEvents Range(long first, long n)
        {
            long* best = stackalloc long[32];
            for (long pass = first; pass < first + n; pass++)
            {
                long start = Math.Min(pass * width, count - width);
                byte* x0 = (byte*)xb + start * esz;
                switch (t)
                {
                    case DType.Bool: Narrow<B8>(x0, lines, len, ls, es, vecs, wantMax, best); break;
                    case DType.Int8: Narrow<I8>(x0, lines, len, ls, es, vecs, wantMax, best); break;
                    case DType.UInt8: Narrow<U8>(x0, lines, len, ls, es, vecs, wantMax, best); break;
                    case DType.Int16: Narrow<I16>(x0, lines, len, ls, es, vecs, wantMax, best); break;
                    case DType.UInt16: Narrow<U16>(x0, lines, len, ls, es, vecs, wantMax, best); break;
                    case DType.Int32: Wide<I32>(x0, lines, len, ls, es, vecs, wantMax, best); break;
                    default: Wide<U32>(x0, lines, len, ls, es, vecs, wantMax, best); break;
                }
                for (int j = 0; j < width; j++)
                    *(double*)((byte*)ob + (start + j) * os) = best[j];
            }
            return FpEvents.None;
        }
        if (Parallelism.MaxThreads > 1 && (double)count * lines * len >= 4 * BlockDriver.ParallelThreshold)
            return Parallelism.ForOutputRanges(passes, Parallelism.MaxThreads, Range);
        return Range(0, passes);
    }

    private interface ILineLoad<T> where T : struct { static abstract Vector256<T> Load(byte* p); }
    private interface INarrowLoad : ILineLoad<int> { }
    private interface IWideLoad : ILineLoad<long> { }

    /// <summary>One line of up to four vectors of adjacent matrices: s_k = Σ over the line's <paramref name="len"/>
    /// elements (<paramref name="es"/> bytes apart) of the lanes loaded at p + k·<paramref name="step"/>, k &lt;
    /// <paramref name="vecs"/> (the other sums stay 0). Exact: the callers' lanes are wide enough for every sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LineSums<T, TL>(byte* p, long len, long es, int step, int vecs,
                                        out Vector256<T> s0, out Vector256<T> s1, out Vector256<T> s2, out Vector256<T> s3)
        where T : struct where TL : struct, ILineLoad<T>
    {
        s0 = default; s1 = default; s2 = default; s3 = default;
        switch (vecs)
        {
            case 4:
                for (long i = 0; i < len; i++, p += es)
                {
                    s0 += TL.Load(p); s1 += TL.Load(p + step); s2 += TL.Load(p + 2 * step); s3 += TL.Load(p + 3 * step);
                }
                break;
            case 3:
                for (long i = 0; i < len; i++, p += es) { s0 += TL.Load(p); s1 += TL.Load(p + step); s2 += TL.Load(p + 2 * step); }
                break;
            case 2:
                for (long i = 0; i < len; i++, p += es) { s0 += TL.Load(p); s1 += TL.Load(p + step); }
                break;
            default:
                for (long i = 0; i < len; i++, p += es) s0 += TL.Load(p);
                break;
        }
    }

    private struct I8 : INarrowLoad
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<int> Load(byte* p) => Avx2.Abs(Avx2.ConvertToVector256Int32((sbyte*)p)).AsInt32();
    }
    /// <summary>bool: any non-zero byte is 1, as its conversion to float64 (bool stacks went matrix by matrix through the
    /// double-double path: (60, 80, 100) axes (0, 1) ord ±1 / ±∞ 0.16–0.32× NumPy).</summary>
    private struct B8 : INarrowLoad
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<int> Load(byte* p) => Vector256.Min(Avx2.ConvertToVector256Int32(p).AsUInt32(), Vector256<uint>.One).AsInt32();
    }
    private struct U8 : INarrowLoad
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<int> Load(byte* p) => Avx2.ConvertToVector256Int32(p);
    }
    private struct I16 : INarrowLoad
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<int> Load(byte* p) => Avx2.Abs(Avx2.ConvertToVector256Int32((short*)p)).AsInt32();
    }
    private struct U16 : INarrowLoad
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<int> Load(byte* p) => Avx2.ConvertToVector256Int32((ushort*)p);
    }
    private struct I32 : IWideLoad
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<long> Load(byte* p)
        {
            // |int| fits in uint: abs in 32 bits (int.MinValue stays 0x80000000), then zero-extend
            return Avx2.ConvertToVector256Int64(Ssse3.Abs(Vector128.Load((int*)p)));
        }
    }
    private struct U32 : IWideLoad
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<long> Load(byte* p) => Avx2.ConvertToVector256Int64((uint*)p);
    }

    /// <summary>8/16-bit elements: 8·<paramref name="vecs"/> adjacent matrices at <paramref name="x0"/>; best[j] = the
    /// max (min) over lines of matrix j's line sum.</summary>
    private static void Narrow<TL>(byte* x0, long lines, long len, long ls, long es, int vecs, bool wantMax, long* best)
        where TL : struct, INarrowLoad
    {
        int step = typeof(TL) == typeof(I16) || typeof(TL) == typeof(U16) ? 16 : 8; // bytes per eight elements
        var init = Vector256.Create(wantMax ? -1 : int.MaxValue);
        Vector256<int> b0 = init, b1 = init, b2 = init, b3 = init;
        for (long l = 0; l < lines; l++)
        {
            byte* p = x0 + l * ls;
            LineSums<int, TL>(p, len, es, step, vecs, out var s0, out var s1, out var s2, out var s3);
            if (wantMax)
            {
                b0 = Avx2.Max(b0, s0); b1 = Avx2.Max(b1, s1); b2 = Avx2.Max(b2, s2); b3 = Avx2.Max(b3, s3);
            }
            else
            {
                b0 = Avx2.Min(b0, s0); b1 = Avx2.Min(b1, s1); b2 = Avx2.Min(b2, s2); b3 = Avx2.Min(b3, s3);
            }
        }
        for (int j = 0; j < 8; j++)
        {
            best[j] = b0[j]; best[8 + j] = b1[j]; best[16 + j] = b2[j]; best[24 + j] = b3[j];
        }
    }

    /// <summary>32-bit elements: 4·<paramref name="vecs"/> adjacent matrices, sums in int64 lanes.</summary>
    private static void Wide<TL>(byte* x0, long lines, long len, long ls, long es, int vecs, bool wantMax, long* best)
        where TL : struct, IWideLoad
    {
        const int step = 16;
        var init = Vector256.Create(wantMax ? -1L : long.MaxValue);
        Vector256<long> b0 = init, b1 = init, b2 = init, b3 = init;
        for (long l = 0; l < lines; l++)
        {
            byte* p = x0 + l * ls;
            LineSums<long, TL>(p, len, es, step, vecs, out var s0, out var s1, out var s2, out var s3);
            // sums are ≥ 0 and < 2⁵³: a signed compare is right
            var g0 = Avx2.CompareGreaterThan(s0, b0); var g1 = Avx2.CompareGreaterThan(s1, b1);
            var g2 = Avx2.CompareGreaterThan(s2, b2); var g3 = Avx2.CompareGreaterThan(s3, b3);
            if (wantMax)
            {
                b0 = Vector256.ConditionalSelect(g0, s0, b0); b1 = Vector256.ConditionalSelect(g1, s1, b1);
                b2 = Vector256.ConditionalSelect(g2, s2, b2); b3 = Vector256.ConditionalSelect(g3, s3, b3);
            }
            else
            {
                b0 = Vector256.ConditionalSelect(g0, b0, s0); b1 = Vector256.ConditionalSelect(g1, b1, s1);
                b2 = Vector256.ConditionalSelect(g2, b2, s2); b3 = Vector256.ConditionalSelect(g3, b3, s3);
            }
        }
        for (int j = 0; j < 4; j++)
        {
            best[j] = b0[j]; best[4 + j] = b1[j]; best[8 + j] = b2[j]; best[12 + j] = b3[j];
        }
    }
}
