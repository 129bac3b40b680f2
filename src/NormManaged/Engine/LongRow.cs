using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>The float64 2-norm of one contiguous row of 64 … <see cref="DoubleBlocks.BlockElements"/> doubles
/// (rows of a C-order matrix with <c>axis=-1</c>, columns of a Fortran-order one) with no per-row overhead beyond
/// the accumulation itself.
///
/// This is <see cref="SumSquares.AddBlock"/>'s guess path (<see cref="SumSquares.TryGuessed"/>, without prefetch hints),
/// then √ and the correction as in <see cref="SumSquares.Sqrt"/> (<see cref="FastFinish"/>), so the bits are those of
/// the block driver (tested against exact references and against the 1-D norm of each row, both widths, 1–3 threads).
/// Rows outside the fast case (guess failed, NaN/∞, exponents beyond ±438) return false and take the driver's block
/// kernel.</summary>
internal static unsafe class LongRow
{
    /// <summary>Shortest row handled: <see cref="SumSquares.AddBlock"/> guesses σ from 64 elements on.</summary>
    public const int MinLength = 64;

    /// <summary>The correctly rounded √Σx² of x[0 … n) (64 ≤ n ≤ 4096), or false when the row needs the block kernel.</summary>
    public static bool TryNorm(double* x, int n, out double result)
    {
        result = 0;
        return SumSquares.TryGuessed(x, n, true, out double h, out double lo) && FastFinish.TrySqrt(h, lo, out result);
    }
}
