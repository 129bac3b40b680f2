namespace NormManaged.Kernels;

/// <summary>A rounding midpoint of a binary result format: m = Odd·2^Exp, halfway between the format's neighbours
/// Below·2^K and (Below + 1)·2^K (Odd = 2·Below + 1, Exp = K − 1).</summary>
internal readonly struct Midpoint
{
    /// <summary>The odd integer of m = Odd·2^Exp (≤ 2^(P+1) for a P-bit format).</summary>
    public long Odd { get; init; }
    /// <summary>The binary exponent of m = Odd·2^Exp.</summary>
    public int Exp { get; init; }

    /// <summary>The integer significand of the format value just below m (times 2^(Exp + 1)).</summary>
    public long Below => Odd >> 1;

    /// <summary>The format value nearest to a value on side <paramref name="side"/> of m (sign of value − m; 0: the value
    /// is m, which rounds to the neighbour with an even significand), as an integer times 2^(Exp + 1): exact in double.</summary>
    public double Neighbour(int side) => side < 0 ? Below : side > 0 ? Below + 1 : (Below & 1) == 0 ? Below : Below + 1;

    /// <summary>Precision (significand bits) and minimum normal exponent of a float result dtype; false for others.</summary>
    public static bool Format(DType ot, out int precision, out int minExp)
    {
        (precision, minExp) = ot switch
        {
            DType.Float64 => (53, -1022),
            DType.Float32 => (24, -126),
            DType.Float16 => (11, -14),
            _ => (0, 0),
        };
        return precision != 0;
    }

    /// <summary>A necessary condition, a few instructions long, for <see cref="Near(double, double, int, DType, double, out Midpoint)"/>
    /// on a float64 result h + l (a normalised double-double, |l| ≤ ulp(h)/2): the nearest midpoint is h ± ulp/2 (ulp/4
    /// below a power of two), so |l| must lie within rel·h of half of h's ulp, or of a quarter of it where h is a power
    /// of two. Outside the normal range, or
    /// for an unnormalised pair, it answers true and leaves the decision to Near.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static bool MaybeNear64(double h, double l, double rel)
    {
        long eb = BitConverter.DoubleToInt64Bits(h) & 0x7FF0_0000_0000_0000;
        double half = BitConverter.Int64BitsToDouble(eb - (53L << 52)); // ulp(h)/2 = 2^(e−53)
        double a = Math.Abs(l), tol = rel * h;
        bool pow2 = (BitConverter.DoubleToInt64Bits(h) & 0x000F_FFFF_FFFF_FFFF) == 0; // the ulp/4 midpoint exists only below a power of two
        return !(eb > (54L << 52) && h > 0 && a <= 2 * half) || Math.Abs(a - half) <= tol || (pow2 && Math.Abs(a - 0.5 * half) <= tol);
    }

    /// <summary>Finds the midpoint of <paramref name="ot"/>'s rounding nearest to v (finite, nonzero, normalised) when it
    /// lies within rel·v of v, i.e. when v's error bound rel does not decide the rounding. Subnormal results use their
    /// coarser grid; values below a quarter of the format's smallest subnormal have no midpoint near.</summary>
    public static bool Near(in Ext v, DType ot, double rel, out Midpoint m)
    {
        m = default;
        return v.IsFiniteNonZero && Near(v.H, v.L, v.E, ot, rel, out m);
    }

    /// <summary><see cref="Near(in Ext, DType, double, out Midpoint)"/> for v = (h + l)·2^e, h &gt; 0 a double with
    /// |l| ≤ ulp(h) (a normalised double-double): no library call on the common path (it runs once per output).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static bool Near(double h, double l, int e, DType ot, double rel, out Midpoint m)
    {
        m = default;
        if (!(h > 0 && h <= double.MaxValue) || !Format(ot, out int prec, out int emin)) return false;
        int bexp = (int)(BitConverter.DoubleToInt64Bits(h) >> 52);
        if (bexp == 0) return Near(Ext.Normalize(h, l, e), ot, rel, out m); // a subnormal h: rare
        int hexp = bexp - 1023, ev = hexp + e; // v ∈ [2^ev, 2^(ev+1)) up to l
        if (ev < emin - prec - 2) return false; // v < 2^(emin − P − 1): rounds to 0, far from 2^(emin − P)
        // grid spacing 2^−lq·2^ev (the subnormal grid below 2^emin); u = v/(grid step), an integer at format values
        int lq = ev >= emin ? prec - 1 : prec - 1 - (emin - ev);
        int sc = lq - hexp;
        if (sc < -1022 || sc > 1023) return Near(Ext.Normalize(h, l, e), ot, rel, out m, lq);
        double scale = BitConverter.Int64BitsToDouble((long)(sc + 1023) << 52);
        return Decide(h * scale, l * scale, ev, lq, rel, out m);
    }

    private static bool Near(in Ext v, DType ot, double rel, out Midpoint m, int lq)
        => Decide(Math.ScaleB(v.H, lq), Math.ScaleB(v.L, lq), v.E, lq, rel, out m);

    /// <summary>u + ul = v/(grid step) with u exact (a power-of-two scaling): the midpoint f + ½ nearest to it when within
    /// rel·u.</summary>
    private static bool Decide(double u, double ul, int ev, int lq, double rel, out Midpoint m)
    {
        m = default;
        double f = Math.Floor(u);
        double r = (u - f) + ul; // u − f exact; r ∈ (−1, 2) (l may be ±half an ulp of h)
        double g = Math.Floor(r);
        f += g; // now v/(grid step) = f + r with r ∈ [0, 1] (r − g exact where it matters: r near ½ + g)
        r -= g;
        if (!(Math.Abs(r - 0.5) <= rel * u)) return false;
        m = new Midpoint { Odd = 2 * (long)f + 1, Exp = ev - lq - 1 };
        return true;
    }
}
