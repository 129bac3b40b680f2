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

    /// <summary>s + e == a + b exactly, s = fl(a + b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double TwoSum(double a, double b, out double e)
    {
        double s = a + b;
        double bb = s - a;
        e = (a - (s - bb)) + (b - bb);
        return s;
    }

    /// <summary>s + e == a + b exactly when |a| ≥ |b| (or a == 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double FastTwoSum(double a, double b, out double e)
    {
        double s = a + b;
        e = b - (s - a);
        return s;
    }

    /// <summary>(hi, lo) += (bh, bl), renormalised so that hi = fl(hi + lo).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref double hi, ref double lo, double bh, double bl)
    {
        double s = TwoSum(hi, bh, out double e);
        e += lo + bl;
        hi = FastTwoSum(s, e, out lo);
    }

    /// <summary>(ah + al)·(bh + bl) as a double-double (relative error ≲ 5·2⁻¹⁰⁶).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Mul(double ah, double al, double bh, double bl, out double lo)
    {
        double p = ah * bh;
        double e = Math.FusedMultiplyAdd(ah, bh, -p);
        e = Math.FusedMultiplyAdd(ah, bl, Math.FusedMultiplyAdd(al, bh, e));
        return FastTwoSum(p, e, out lo);
    }

    /// <summary>(ah + al) / (bh + bl) as a double-double (one correction step, ≲ 2⁻¹⁰³ relative).</summary>
    public static double Div(double ah, double al, double bh, double bl, out double lo)
    {
        double q1 = ah / bh;
        double ph = Mul(q1, 0, bh, bl, out double pl);
        double rh = TwoSum(ah, -ph, out double re);
        re += al - pl;
        double r = rh + re;
        double q2 = r / bh;
        double ph2 = Mul(q2, 0, bh, bl, out double pl2);
        double rh2 = TwoSum(rh, -ph2, out double re2);
        re2 += re - pl2;
        double q3 = (rh2 + re2) / bh;
        double h = FastTwoSum(q1, q2, out double l);
        l += q3;
        return FastTwoSum(h, l, out lo);
    }

    /// <summary>√(ah + al) for ah &gt; 0 as a double-double (≲ 2⁻¹⁰⁴ relative).</summary>
    public static double Sqrt(double ah, double al, out double lo)
    {
        double r = Math.Sqrt(ah);
        double e = Math.FusedMultiplyAdd(-r, r, ah) + al;
        return FastTwoSum(r, e / (2 * r), out lo);
    }

    // 1/k! for k = 0..12 as double-doubles, built once (exact factorials, accurate division).
    private static readonly double[] s_invFactHi = new double[13], s_invFactLo = new double[13];

    static DD()
    {
        double f = 1;
        for (int k = 0; k < 13; k++)
        {
            if (k > 0) f *= k;
            s_invFactHi[k] = Div(1, 0, f, 0, out s_invFactLo[k]);
        }
    }

    /// <summary>Arguments beyond this magnitude are treated as ±∞ by <see cref="Exp"/>.</summary>
    public const double ExpLimit = 1e12;

    /// <summary>e^(xh + xl) = (hi + lo)·2^k, with hi in ≈[0.7, 1.42] (relative error ≲ 2⁻⁹⁸ for |x| ≤ 2¹⁶).
    /// NaN gives NaN; x &gt; <see cref="ExpLimit"/> gives hi = 1 with k = <see cref="int.MaxValue"/>/4 (a finite
    /// value far beyond every format, so callers report overflow); x &lt; −<see cref="ExpLimit"/> gives 0.</summary>
    public static double Exp(double xh, double xl, out double lo, out int k)
    {
        lo = 0; k = 0;
        if (double.IsNaN(xh)) return double.NaN;
        if (xh > ExpLimit) { k = int.MaxValue / 4; return 1.0; }
        if (xh < -ExpLimit) return 0.0;
        double kd = Math.Round(xh * 1.4426950408889634);
        // r = x − kd·ln2, carried as a double-double.
        double p1 = kd * Ln2Hi;
        double p1e = Math.FusedMultiplyAdd(kd, Ln2Hi, -p1);
        double s = TwoSum(xh, -p1, out double e1);
        e1 += xl - p1e - kd * Ln2Lo;
        double rh = FastTwoSum(s, e1, out double rl);
        // e^r = (e^(r/256))^256; e^(r/256) − 1 by a Taylor polynomial (|r/256| < 0.0014, 12 terms).
        rh *= 1.0 / 256; rl *= 1.0 / 256;
        double ph = s_invFactHi[12], pl = s_invFactLo[12];
        for (int j = 11; j >= 1; j--)
        {
            ph = Mul(ph, pl, rh, rl, out pl);
            Add(ref ph, ref pl, s_invFactHi[j], s_invFactLo[j]);
        }
        double mh = Mul(ph, pl, rh, rl, out double ml); // m = e^(r/256) − 1
        for (int j = 0; j < 8; j++)
        {
            // (1 + m)² − 1 = m·(2 + m)
            double th = FastTwoSum(2.0, mh, out double tl);
            tl += ml;
            mh = Mul(mh, ml, th, tl, out ml);
        }
        double h = FastTwoSum(1.0, mh, out double l);
        l += ml;
        h = FastTwoSum(h, l, out lo);
        k = (int)kd;
        return h;
    }

    /// <summary>ln((hi + lo)·2^e) for hi &gt; 0 finite, as a double-double (absolute error ≲ 2⁻¹⁰⁰·max(1, |ln|)).</summary>
    public static double Log(double hi, double lo, int e, out double outLo)
    {
        int f = Math.ILogB(hi);
        hi = Math.ScaleB(hi, -f); lo = Math.ScaleB(lo, -f);
        long E = (long)e + f;
        if (hi > 1.4142135623730951) { hi *= 0.5; lo *= 0.5; E++; }
        // Newton on y ↦ y + m·e^(−y) − 1, from the double logarithm.
        double y0 = Math.Log(hi);
        double eh = Exp(-y0, 0, out double el, out int ek);
        eh = Math.ScaleB(eh, ek); el = Math.ScaleB(el, ek);
        double th = Mul(hi, lo, eh, el, out double tl);
        Add(ref th, ref tl, -1.0, 0);
        double yh = y0, yl = 0;
        Add(ref yh, ref yl, th, tl);
        // + E·ln 2
        double eh2 = E * Ln2Hi;
        double ee = Math.FusedMultiplyAdd(E, Ln2Hi, -eh2);
        Add(ref yh, ref yl, eh2, ee + E * Ln2Lo);
        outLo = yl;
        return yh;
    }
}
