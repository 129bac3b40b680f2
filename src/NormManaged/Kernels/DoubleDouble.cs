using System.Runtime.CompilerServices;

namespace NormManaged.Kernels;

/// <summary>Error-free transformations and the few double-double operations the kernels need.
/// Formulas: Knuth's TwoSum, Dekker's Fast2Sum, and the FMA-based exact product
/// (Ogita, Rump, Oishi, "Accurate sum and dot product", SIAM J. Sci. Comput. 26(6), 2005).</summary>
internal static class DD
{
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
}
