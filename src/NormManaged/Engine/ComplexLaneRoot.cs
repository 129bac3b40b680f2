using System.Runtime.CompilerServices;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>The cheap lane root of <see cref="ComplexLaneSums"/>' complex128 lines of adjacent or contiguous values,
/// taken inline beside their stores: S^(1/p) = (hi + lo)·2^k for a sum S = hi + lo (hi &gt; 0 finite, no exponent),
/// <see cref="DDLanes.RootLite{L}"/>'s steps with its two divisions by p replaced by a product with 1/p as a pair.
///
/// Error bound, the same as RootLite's (<see cref="DDLanes.RootLiteBound"/> = 2⁻⁶⁶·(1 + 1/|p|), whose analysis gives
/// ≲ 2⁻⁶⁷/|p| + 2⁻⁶⁸, leaving at least 2⁻⁶⁸ of slack): every step before and after is RootLite's, bit for bit in
/// substance; only x = z/p changes. RootLite takes xh = fl(zh/p), xl = fl((zl − (xh·p − zh))/p), within ≲ 2⁻¹⁰⁰·|x|.
/// Here 1/p = ih + il with ih = fl(1/p) and il = fl(fma(−p, ih, 1)/p) (the residual 1 − p·ih of a correctly
/// rounded quotient is exact), so |ih + il − 1/p| ≤ 2⁻¹⁰⁵/|p|; xh = fl(zh·ih), its error fma(zh, ih, −xh) exact, and
/// xl = that + fma(zh, il, zl·ih): the dropped zl·il (≤ 2⁻¹⁰⁵·|x|) and three roundings of quantities ≤ 2⁻⁵¹·|x|
/// (each ≤ 2⁻¹⁰⁴·|x|) give |xh + xl − z/p| ≲ 2⁻¹⁰²·|x|, |x| ≤ ln2/2 + ln√2/|p| ≤ 1.75 for |p| ≥ 1/4: an absolute
/// error ≤ 2⁻¹⁰¹ in the exponent, a relative one ≤ 2⁻¹⁰¹ in the root, inside the slack. So R̃ = hi + lo stays within
/// ε = RootLiteBound(p) of the exact root R, and <see cref="LanePow.Roots"/>' proof holds word for word: where
/// <see cref="DDLanes.Decided{L}"/> finds R̃ farther than 4ε from every float64 midpoint and the scaled result is
/// normal, fl(R̃)·2^(k + eb) is the bits the double-double root stores; every other lane goes to LanePow.Roots.
/// Measured: two 512-bit divisions and the arrays of Roots' bookkeeping were a third of the root's time.</summary>
internal static class ComplexLaneRoot
{
    private const double RoundMagic = 6755399441055744.0; // 1.5·2⁵²

    /// <summary>1/p as the pair ih + il (|ih + il − 1/p| ≤ 2⁻¹⁰⁵/|p|).</summary>
    public static double InvHi(double p) => 1 / p;

    /// <summary>The low part of <see cref="InvHi"/>.</summary>
    public static double InvLo(double p) => Math.FusedMultiplyAdd(-p, 1 / p, 1) / p;

    /// <summary>S^(1/p) = (hi' + lo')·2^k per lane for S = hi + lo (hi &gt; 0 finite, |p| ≥ 1/4), within
    /// <see cref="DDLanes.RootLiteBound"/> (the class summary).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static L Root<L>(L hi, L lo, double p, double ih, double il, out L outLo, out L k) where L : struct, ILanes<L>
    {
        var e = L.Zero;
        DDLanes.LogReduce(ref hi, ref lo, ref e);
        var magic = L.Create(RoundMagic);
        var pl = L.Create(p);
        var q = (e * L.Create(1 / p) + magic) - magic;
        var rho = L.Fma(-q, pl, e); // exact
        var lh = DDLanes.LnLite(hi, lo, out var ll);
        var ln2 = L.Create(DD.Ln2Hi);
        var ah = rho * ln2;
        var ae = L.MulSub(rho, ln2, ah); // exact
        var zh = DDLanes.TwoSum(ah, lh, out var zl);
        zl += ae + L.Fma(rho, L.Create(DD.Ln2Lo), ll);
        var ihv = L.Create(ih);
        var xh = zh * ihv;
        var xl = L.MulSub(zh, ihv, xh) + L.Fma(zh, L.Create(il), zl * ihv); // the first exact
        var h = DDLanes.ExpLite(xh, xl, out var l, out var n);
        k = n + q;
        return DDLanes.FastTwoSum(h, l, out outLo);
    }
}
