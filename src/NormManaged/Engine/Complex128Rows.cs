using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>complex128 ord 1 of many short lines, eight side by side in double lanes (the parts of value i of line r
/// at buf[16i + r] and buf[16i + 8 + r]), stored only where the result is provably the correctly rounded Σ|z|, else
/// the line goes through the whole dispatch alone.
///
/// Per lane: the parts are scaled by 2⁻ᵉ (e the exponent of the line's largest part, |e| ≤ 900: exact but for parts
/// below 2⁻¹⁰²² of it, whose absolute error ≤ 2⁻¹⁰⁷⁴ cannot matter against a sum ≥ 1); |z|² as a double-double from
/// FMA-exact squares (≲ 2⁻¹⁰⁴ relative), |z| = r + t with r = √s_hi and t = (fma(−r, r, s_hi) + s_lo)/2r (≲ 2⁻¹⁰³), the
/// terms added by TwoSum into a double-double: Σ within ≲ n·2⁻¹⁰²·S ≤ 2⁻⁹⁵·S for n ≤ 64. The 1-D path
/// (<see cref="ComplexOffsetSum"/> or <see cref="ComplexKernels"/>' double-double sums) keeps a line's sum within 2⁻⁷²
/// of the exact one and rounds it once; so when fl(hi + lo) lies farther than 2⁻⁷⁰·S from each rounding midpoint, both
/// round to the same double — the correctly rounded norm — whatever the summation order, width or thread count.
/// Lines with NaN or ∞, no nonzero value, or a largest part outside [2⁻⁹⁰⁰, 2⁹⁰⁰], and results near a midpoint,
/// go alone.</summary>
internal static unsafe class Complex128Rows
{
    private static readonly double PartMin = Math.ScaleB(1.0, -900), PartMax = Math.ScaleB(1.0, 900);

    /// <summary>Each lane's Σ|z|·2⁻ᵉ as hi + lo into res[r], res[8 + r] and 2ᵉ into res[16 + r]; NaN in res[r] for a
    /// line to finish alone.</summary>
    internal static void AbsSums<L>(int n, double* buf, double* res) where L : struct, ILanes<L>
    {
        const int lines = 8;
        var inf = L.Create(double.PositiveInfinity);
        for (int h = 0; h < lines; h += L.Count)
        {
            L mx = L.Zero, bad = L.Zero;
            for (int i = 0; i < 2 * n; i++)
            {
                var a = L.Abs(L.Load(buf + i * lines + h));
                bad |= ~L.LessThan(a, inf); // NaN or ∞
                mx = L.Max(mx, a);
            }
            bad |= L.LessThan(mx, L.Create(PartMin)) | L.GreaterThan(mx, L.Create(PartMax));
            mx = L.Select(bad, L.Create(1.0), mx);
            var e = L.ShiftRightBits(mx, 52) & L.CreateBits(0x7FF); // biased exponent bits (mx normal)
            // 2^(1023 − (E − 1023)) = 2^−e: the biased field 2046 − E
            var scale = L.ShiftLeftBits(L.SubtractBits(L.CreateBits(2046), e), 52);
            L hi = L.Zero, lo = L.Zero;
            for (int i = 0; i < n; i++)
            {
                var re = L.Load(buf + 2 * i * lines + h) * scale;
                var im = L.Load(buf + (2 * i + 1) * lines + h) * scale;
                var p1 = re * re; var e1 = L.MulSub(re, re, p1);
                var p2 = im * im; var e2 = L.MulSub(im, im, p2);
                var sh = DDLanes.TwoSum(p1, p2, out var sl);
                sl += e1 + e2;
                sh = DDLanes.FastTwoSum(sh, sl, out sl);
                var r = L.Sqrt(sh);
                var t = (L.Fma(-r, r, sh) + sl) / (r + r);
                t = L.Select(L.GreaterThan(r, L.Zero), t, L.Zero); // a zero value: 0/0
                hi = DDLanes.TwoSum(hi, r, out var err);
                lo += err + t;
            }
            L.Select(bad | ~L.GreaterThan(hi, L.Zero), L.Create(double.NaN), hi).Store(res + h);
            lo.Store(res + lines + h);
            L.ShiftLeftBits(e, 52).Store(res + 2 * lines + h); // 2ᵉ
        }
    }

    /// <summary>Stores fl(hi + lo)·2ᵉ when provably the correctly rounded norm (see the type's summary).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryStore(double hi, double lo, double pow2e, byte* dst)
    {
        if (!(hi > 0)) return false; // NaN: a line to finish alone
        double v = hi + lo, d = (hi - v) + lo; // hi − v exact (v within an ulp of hi)
        long vb = BitConverter.DoubleToInt64Bits(v);
        double halfUlp = BitConverter.Int64BitsToDouble((vb & 0x7FF0_0000_0000_0000L) - (53L << 52)); // ulp(v)/2 (v ≥ 1)
        if (!(Math.Abs(d) < halfUlp - v * 8.470329472543003e-22)) return false; // 2⁻⁷⁰·v from each midpoint
        Unsafe.WriteUnaligned(dst, v * pow2e); // |e| ≤ 900, v ∈ [1, 2⁸): a normal result, exact
        return true;
    }

    /// <summary>The parts of the eight contiguous lines side by side (part j of line r to buf[8j + r]): four values
    /// (one 64-byte load) a line at a time, an 8 × 8 transpose by three rounds of two-source permutes; the last n mod 4
    /// values one by one.</summary>
    internal static void ContiguousParts(byte** xs, int n, double* buf) => ContiguousParts(xs, n, buf, buf + 8, 16);

    /// <summary>The parts of eight contiguous lines side by side: value i of line r to re[i·step + r] and
    /// im[i·step + r] (<see cref="ContiguousParts(byte**, int, double*)"/>'s transpose, the lane order of
    /// <see cref="ComplexLaneSums"/> with step its group).</summary>
    internal static void ContiguousParts(byte** xs, int n, double* re, double* im, int step)
    {
        var e1 = Vector512.Create(0L, 8, 2, 10, 4, 12, 6, 14); var o1 = Vector512.Create(1L, 9, 3, 11, 5, 13, 7, 15);
        var e2 = Vector512.Create(0L, 1, 8, 9, 4, 5, 12, 13); var o2 = Vector512.Create(2L, 3, 10, 11, 6, 7, 14, 15);
        var lo = Vector512.Create(0L, 1, 2, 3, 8, 9, 10, 11); var hi = Vector512.Create(4L, 5, 6, 7, 12, 13, 14, 15);
        int i = 0;
        for (; i + 4 <= n; i += 4)
        {
            int off = 2 * i;
            Vector512<double> r0 = Vector512.Load((double*)xs[0] + off), r1 = Vector512.Load((double*)xs[1] + off),
                r2 = Vector512.Load((double*)xs[2] + off), r3 = Vector512.Load((double*)xs[3] + off),
                r4 = Vector512.Load((double*)xs[4] + off), r5 = Vector512.Load((double*)xs[5] + off),
                r6 = Vector512.Load((double*)xs[6] + off), r7 = Vector512.Load((double*)xs[7] + off);
            // pairs of lines: even and odd parts interleaved
            var t0e = Avx512F.PermuteVar8x64x2(r0, e1, r1); var t0o = Avx512F.PermuteVar8x64x2(r0, o1, r1);
            var t1e = Avx512F.PermuteVar8x64x2(r2, e1, r3); var t1o = Avx512F.PermuteVar8x64x2(r2, o1, r3);
            var t2e = Avx512F.PermuteVar8x64x2(r4, e1, r5); var t2o = Avx512F.PermuteVar8x64x2(r4, o1, r5);
            var t3e = Avx512F.PermuteVar8x64x2(r6, e1, r7); var t3o = Avx512F.PermuteVar8x64x2(r6, o1, r7);
            // quads of lines: parts {0, 4}, {2, 6}, {1, 5}, {3, 7}
            var u0 = Avx512F.PermuteVar8x64x2(t0e, e2, t1e); var u1 = Avx512F.PermuteVar8x64x2(t0e, o2, t1e);
            var u2 = Avx512F.PermuteVar8x64x2(t0o, e2, t1o); var u3 = Avx512F.PermuteVar8x64x2(t0o, o2, t1o);
            var w0 = Avx512F.PermuteVar8x64x2(t2e, e2, t3e); var w1 = Avx512F.PermuteVar8x64x2(t2e, o2, t3e);
            var w2 = Avx512F.PermuteVar8x64x2(t2o, e2, t3o); var w3 = Avx512F.PermuteVar8x64x2(t2o, o2, t3o);
            // part q of the four values (re, im of value i, then of i + 1, …) goes to value i + q/2's row
            double* dr = re + i * step, di = im + i * step;
            Avx512F.PermuteVar8x64x2(u0, lo, w0).Store(dr); Avx512F.PermuteVar8x64x2(u0, hi, w0).Store(dr + 2 * step);
            Avx512F.PermuteVar8x64x2(u1, lo, w1).Store(dr + step); Avx512F.PermuteVar8x64x2(u1, hi, w1).Store(dr + 3 * step);
            Avx512F.PermuteVar8x64x2(u2, lo, w2).Store(di); Avx512F.PermuteVar8x64x2(u2, hi, w2).Store(di + 2 * step);
            Avx512F.PermuteVar8x64x2(u3, lo, w3).Store(di + step); Avx512F.PermuteVar8x64x2(u3, hi, w3).Store(di + 3 * step);
        }
        for (; i < n; i++)
            for (int r = 0; r < 8; r++)
            {
                re[i * step + r] = ((double*)xs[r])[2 * i];
                im[i * step + r] = ((double*)xs[r])[2 * i + 1];
            }
    }
}
