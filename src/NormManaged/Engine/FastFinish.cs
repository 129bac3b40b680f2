namespace NormManaged.Engine;

/// <summary>The last step of a float64 result from a double-double (h, l) with exponent 0, for the common case
/// where no scaling is involved: the same operations as <see cref="Kernels.SumSquares.Sqrt"/> followed by
/// <see cref="Kernels.Rounding.ToDouble"/> (which, for an exponent of 0 and a normal result, returns r + c unchanged),
/// without their <see cref="Math.ScaleB"/>/<see cref="Math.ILogB"/> calls (library calls, ~0.1 µs each under the
/// JIT, paid once per output). Outside the case (non-finite, tiny, or a sum that rounds to ∞) the caller takes the
/// general path, which also reports overflow.</summary>
internal static class FastFinish
{
    private static readonly double s_min = Math.ScaleB(1.0, -900);

    /// <summary>√(h + l) rounded once, for a sum in [2⁻⁹⁰⁰, 2¹⁰²³).</summary>
    public static bool TrySqrt(double h, double l, out double v)
    {
        v = 0;
        if (!(h >= s_min && h < double.MaxValue) || !double.IsFinite(l)) return false;
        h = Kernels.DD.FastTwoSum(h, l, out l);
        double r = Math.Sqrt(h);
        double c = (Math.FusedMultiplyAdd(-r, r, h) + l) / (2 * r);
        v = r + c;
        return true;
    }

    /// <summary>h + l rounded once, for a finite normal sum ≥ 2⁻⁹⁰⁰ (zero too).</summary>
    public static bool TrySum(double h, double l, out double v)
    {
        v = h + l;
        return (h >= s_min || (h == 0 && l == 0)) && double.IsFinite(v);
    }
}
