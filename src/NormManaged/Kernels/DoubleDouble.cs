using System.Runtime.CompilerServices;

namespace NormManaged.Kernels;

/// <summary>Error-free transformations and the double-double (≈106-bit) operations the kernels need.
/// Formulas: Knuth's TwoSum, Dekker's Fast2Sum, the FMA-based exact product
/// (Ogita, Rump, Oishi, "Accurate sum and dot product", SIAM J. Sci. Comput. 26(6), 2005), and the
/// classic double-word multiply/divide/sqrt (Joldes, Muller, Popescu, "Tight and rigorous error bounds
/// for basic building blocks of double-word arithmetic", ACM TOMS 44(2), 2017). A double-double is a
/// pair (hi, lo) with hi = fl(hi + lo). Kept <c>internal</c> so the matrix kernels can reuse them.</summary>
internal static class DD
{
    /// <summary>ln 2 as a double-double (hi + lo, |error| &lt; 2⁻¹⁰⁶).</summary>
    public const double Ln2Hi = 6.93147180559945286227e-01, Ln2Lo = 2.31904681384629955842e-17;

    // The basic operations run DDLanes' bodies on Lane1 (one body per operation for the scalar and the lane kernels;
    // the wrappers inline to the same scalar instructions).

    /// <summary>s + e == a + b exactly, s = fl(a + b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double TwoSum(double a, double b, out double e)
    {
        var s = DDLanes.TwoSum(new Lane1(a), new Lane1(b), out var l);
        e = l.V;
        return s.V;
    }

    /// <summary>s + e == a + b exactly when |a| ≥ |b| (or a == 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double FastTwoSum(double a, double b, out double e)
    {
        var s = DDLanes.FastTwoSum(new Lane1(a), new Lane1(b), out var l);
        e = l.V;
        return s.V;
    }

    /// <summary>(hi, lo) += (bh, bl), renormalised so that hi = fl(hi + lo).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref double hi, ref double lo, double bh, double bl)
    {
        var h = new Lane1(hi); var l = new Lane1(lo);
        DDLanes.Add(ref h, ref l, new Lane1(bh), new Lane1(bl));
        hi = h.V; lo = l.V;
    }

    /// <summary>(ah + al)·(bh + bl) as a double-double (relative error ≲ 5·2⁻¹⁰⁶).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Mul(double ah, double al, double bh, double bl, out double lo)
    {
        var h = DDLanes.Mul(new Lane1(ah), new Lane1(al), new Lane1(bh), new Lane1(bl), out var l);
        lo = l.V;
        return h.V;
    }

    /// <summary>(ah + al) / (bh + bl) as a double-double (one correction step, ≲ 2⁻¹⁰³ relative).</summary>
    public static double Div(double ah, double al, double bh, double bl, out double lo)
    {
        var h = DDLanes.Div(new Lane1(ah), new Lane1(al), new Lane1(bh), new Lane1(bl), out var l);
        lo = l.V;
        return h.V;
    }

    /// <summary>√(ah + al) for ah &gt; 0 as a double-double (≲ 2⁻¹⁰⁴ relative).</summary>
    public static double Sqrt(double ah, double al, out double lo)
    {
        double r = Math.Sqrt(ah);
        double e = Math.FusedMultiplyAdd(-r, r, ah) + al;
        return FastTwoSum(r, e / (2 * r), out lo);
    }

    /// <summary>Arguments beyond this magnitude are treated as ±∞ by <see cref="Exp"/> (e^x then lies beyond every
    /// format by a factor 2^(5·10⁸), and the exponent it returns stays far from int overflow).</summary>
    public const double ExpLimit = 3e8;

    /// <summary>2^(j/64) for j = 0…63 as double-doubles (hi, lo interleaved; each within 2⁻¹⁰⁶ relative: the values
    /// rounded to 300 bits, then split).</summary>
    private static readonly double[] s_exp2Table = Exp2Values();

    /// <summary>The 2^(j/64) table of <see cref="Exp"/> (hi, lo interleaved), pinned for the life of the process so
    /// that lane kernels can read it by pointer.</summary>
    public static readonly unsafe double* Exp2Table = (double*)System.Runtime.InteropServices.GCHandle.Alloc(s_exp2Table,
        System.Runtime.InteropServices.GCHandleType.Pinned).AddrOfPinnedObject();

    private static double[] Exp2Values() => new double[]
    {
        1.0, 0.0, 1.0108892860517005, -1.5234778603368577e-17,
        1.0218971486541166, 5.109225028973444e-17, 1.0330248790212284, 7.600838874027088e-18,
        1.0442737824274138, 8.551889705537965e-17, 1.0556451783605572, 1.759325738772092e-18,
        1.0671404006768237, -7.899853966841582e-17, 1.0787607977571199, -6.656660436056593e-17,
        1.0905077326652577, -3.046782079812471e-17, 1.102382583307841, 5.2660368715706944e-17,
        1.1143867425958924, 1.0410278456845571e-16, 1.1265216186082418, 5.165856758795457e-17,
        1.1387886347566916, 8.912812676025408e-17, 1.1511892299529827, 3.250710218863827e-17,
        1.1637248587775775, 3.8292048369240935e-17, 1.1763969916502812, 5.554203254218079e-17,
        1.189207115002721, 3.982015231465646e-17, 1.202156731452703, 6.644981499252301e-17,
        1.215247359980469, -7.712630692681488e-17, 1.22848053610687, -1.89878163130253e-17,
        1.241857812073484, 4.658027591836937e-17, 1.255380757024691, -6.7113898212968784e-18,
        1.2690509571917332, 2.667932131342186e-18, 1.2828700160787783, 1.713594918243561e-17,
        1.2968395546510096, 2.5382502794888315e-17, 1.3109612115247644, -7.181536135519454e-17,
        1.3252366431597413, -2.8587312100388614e-17, 1.339667524053303, 8.927282594831732e-17,
        1.3542555469368927, 7.70094837980299e-17, 1.3690024229745905, 9.593797919118849e-17,
        1.383909881963832, -6.770511658794786e-17, 1.3989796725383112, -9.614213209051323e-17,
        1.4142135623730951, -9.667293313452913e-17, 1.42961333839197, -1.2031642489053655e-17,
        1.4451808069770467, -3.0237581349939873e-17, 1.460917794180647, -5.600377186075216e-17,
        1.4768261459394993, -3.483994556892796e-17, 1.4929077282912648, 1.4192920154284036e-17,
        1.5091644275934228, -1.016455327754295e-16, 1.5255981507445384, -1.1024941712342561e-16,
        1.5422108254079407, 7.949834809697621e-17, 1.559004400237837, 3.7812070533575275e-17,
        1.5759808451078865, -1.0136916471278304e-17, 1.593142151342267, -1.0094406542311964e-16,
        1.6104903319492543, 2.4707192569797888e-17, 1.6280274218573478, -6.712955084707084e-17,
        1.645755478153965, -1.0125679913674773e-16, 1.6636765803267364, 5.8909926967131e-17,
        1.681792830507429, 8.199010020581497e-17, 1.7001063537185235, -8.0237193703977e-18,
        1.718619298122478, -1.851380418263111e-17, 1.7373338352737062, 3.164389299292957e-17,
        1.7562521603732995, 2.960140695448873e-17, 1.7753764925265212, 6.429731796556572e-17,
        1.7947090750031072, 1.8227458427912087e-17, 1.8142521755003989, -9.969531538920349e-17,
        1.8340080864093424, 3.283107224245627e-17, 1.8539791250833855, 9.761887490727594e-17,
        1.8741676341103, -6.122763413004143e-17, 1.8945759815869656, 3.4034035352165297e-17,
        1.9152065613971474, -1.0619946056195963e-16, 1.9360617934922943, 1.0332385960676326e-16,
        1.9571441241754002, 8.960767791036668e-17, 1.978456026387951, 4.0388753109278167e-17
    };


    /// <summary>e^(xh + xl) = (hi + lo)·2^k, with hi in ≈[0.7, 1.42]: relative error ≲ 2⁻¹⁰⁴ for |x| ≤ 2¹⁰
    /// (2⁻¹⁰⁵·³ measured against a 400-bit reference, <c>DoubleDoubleExpLogTests</c>), growing slowly with |x| through
    /// the third word of ln 2. NaN gives NaN; x &gt; <see cref="ExpLimit"/> gives hi = 1 with
    /// k = <see cref="int.MaxValue"/>/4 (a finite value far beyond every format, so callers report overflow);
    /// x &lt; −<see cref="ExpLimit"/> gives 0.
    ///
    /// x = (64k + j)·ln2/64 + r with |r| ≤ ln2/128, so e^x = 2^k · 2^(j/64) · e^r: the table entry, and e^r − 1 by its
    /// Taylor series to r¹¹/11! (the next term is below 2⁻¹¹⁸): the terms up to r⁵/5! by double-double Horner steps,
    /// the smaller ones (each below 2⁻⁴⁴ of the result) by a plain FMA Horner. About a third of the double-double
    /// operations of the previous method (halving r eight times, twelve Taylor terms, squaring back).</summary>
    public static unsafe double Exp(double xh, double xl, out double lo, out int k)
    {
        lo = 0; k = 0;
        if (double.IsNaN(xh)) return double.NaN;
        if (xh > ExpLimit) { k = int.MaxValue / 4; return 1.0; }
        if (xh < -ExpLimit) return 0.0;
        var h = DDLanes.Exp(new Lane1(xh), new Lane1(xl), Exp2Table, out var l, out var kd);
        lo = l.V;
        k = (int)kd.V;
        return h.V;
    }

    /// <summary>ln((hi + lo)·2^e) for hi &gt; 0 finite, as a double-double (absolute error ≲ 2⁻¹⁰⁰·max(1, |ln|)).</summary>
    public static unsafe double Log(double hi, double lo, int e, out double outLo)
    {
        Lane1 h = new(hi), l = new(lo), E = new(e);
        DDLanes.LogReduce(ref h, ref l, ref E);
        h = DDLanes.Log(h, l, E, DDLanes.LogStart(h), Exp2Table, out l);
        outLo = l.V;
        return h.V;
    }
}
