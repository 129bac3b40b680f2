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

    /// <summary>Stores √(h + l) (<paramref name="square"/>) or h + l, a finite double-double with exponent 0, rounded
    /// once into <paramref name="dst"/>: <see cref="TrySqrt"/>/<see cref="TrySum"/> for a float64 output in their range,
    /// else <see cref="Kernels.SumSquares.Sqrt"/> / <see cref="ResultWriter"/> (which also report overflow). The finish
    /// of the per-output accumulators of <see cref="AcrossOutputs"/> and <see cref="RunsAcross"/>.</summary>
    public static unsafe FpEvents Store(DType ot, byte* dst, double h, double l, bool square)
    {
        if (ot == DType.Float64 && (square ? TrySqrt(h, l, out double v) : TrySum(h, l, out v)))
        {
            System.Runtime.CompilerServices.Unsafe.WriteUnaligned(dst, v);
            return FpEvents.None;
        }
        h = Kernels.DD.FastTwoSum(h, l, out l);
        if (!square) return ResultWriter.Store(ot, dst, h, l, 0);
        Kernels.SumSquares.Sqrt(new Kernels.ScaledSum { Hi = h, Lo = l }, out double r, out double c, out int k);
        return ResultWriter.Store(ot, dst, r, c, k);
    }

    /// <summary>h + l rounded once, for a finite normal sum ≥ 2⁻⁹⁰⁰ (zero too).</summary>
    public static bool TrySum(double h, double l, out double v)
    {
        v = h + l;
        return (h >= s_min || (h == 0 && l == 0)) && double.IsFinite(v);
    }
}
