using System.Runtime.CompilerServices;

namespace NormManaged.Kernels;

/// <summary>Rounds a value known as a double-double times a power of two, v = (r + c)·2^k with
/// |c| ≤ ulp(r)/2, to the output types, once. The caller's (r, c) is accurate to far better than
/// the target precision, so the result is correctly rounded except when v lies within ~2⁻¹⁰⁰
/// relative of a rounding boundary.</summary>
internal static class Rounding
{
    /// <summary>Nearest double to (r + c)·2^k, with a single rounding also in the subnormal range.</summary>
    public static double ToDouble(double r, double c, int k)
    {
        if (!double.IsFinite(r) || r == 0) return Math.ScaleB(r, k);
        double s = r + c;
        int e = Math.ILogB(s) + k;
        if (e >= -1022) return Math.ScaleB(s, k); // exact scaling of a once-rounded value (or overflow to inf)
        if (e < -1076) return 0.0;
        // Subnormal result: round r·2^k to the 2^-1074 grid, then fix a tie that c breaks.
        double q = Math.ScaleB(r, k);
        double back = Math.ScaleB(q, -k);
        double d = r - back;
        double half = Math.ScaleB(1.0, -1075 - k); // one step: 2^-1075 alone underflows to 0
        if (c != 0 && Math.Abs(d) == half && Math.Sign(c) == Math.Sign(d))
            q = Math.ScaleB(Math.ScaleB(q, 1074) + Math.Sign(d), -1074);
        return q;
    }

    /// <summary>Nearest float to (r + c)·2^k.</summary>
    public static float ToSingle(double r, double c, int k)
    {
        double v = Math.ScaleB(r, k);
        double cs = Math.ScaleB(c, k);
        if (!double.IsFinite(v)) return (float)v;
        float f = (float)v;
        if ((double)f != v && cs != 0 && float.IsFinite(f))
        {
            float g = (double)f < v ? MathF.BitIncrement(f) : MathF.BitDecrement(f);
            double mid = ((double)f + (double)g) * 0.5; // exact: floats have 24 bits
            if (v == mid) f = (cs > 0) == (g > f) ? g : f;
        }
        return f;
    }

    /// <summary>Nearest half to (r + c)·2^k.</summary>
    public static Half ToHalf(double r, double c, int k)
    {
        double v = Math.ScaleB(r, k);
        double cs = Math.ScaleB(c, k);
        if (!double.IsFinite(v)) return (Half)v;
        Half h = (Half)v;
        if ((double)h != v && cs != 0 && Half.IsFinite(h))
        {
            Half g = (double)h < v ? Half.BitIncrement(h) : Half.BitDecrement(h);
            double mid = ((double)h + (double)g) * 0.5;
            if (v == mid) h = (cs > 0) == ((double)g > (double)h) ? g : h;
        }
        return h;
    }
}
