using System.Runtime.CompilerServices;
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
}
