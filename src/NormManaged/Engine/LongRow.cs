using System.Runtime.Intrinsics;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>The float64 2-norm of one contiguous row of 64 … <see cref="DoubleBlocks.BlockElements"/> doubles
/// (rows of a C-order matrix with <c>axis=-1</c>, columns of a Fortran-order one) with no per-row overhead beyond
/// the accumulation itself.
///
/// This is <see cref="SumSquares.AddBlock"/>'s guess path: σ = 2^(2e₀+22) from the largest of the first 16
/// magnitudes and the same lanes and fold (<see cref="SumSquares.AccumulateCached"/>),
/// then √ and the correction as in <see cref="SumSquares.Sqrt"/> (<see cref="FastFinish"/>), so the bits are those of
/// the block driver (tested against exact references and against the 1-D norm of each row, both widths, 1–3 threads).
/// Rows outside the fast case (guess failed, NaN/∞, exponents beyond ±438) return false and take the driver's block
/// kernel.</summary>
internal static unsafe class LongRow
{
    /// <summary>Shortest row handled: <see cref="SumSquares.AddBlock"/> guesses σ from 64 elements on.</summary>
    public const int MinLength = 64;

    private const ulong AbsMask = 0x7FFF_FFFF_FFFF_FFFFUL;

    /// <summary>The correctly rounded √Σx² of x[0 … n) (64 ≤ n ≤ 4096), or false when the row needs the block kernel.</summary>
    public static bool TryNorm(double* x, int n, out double result)
    {
        result = 0;
        // largest |x| of the first 16 as a bit pattern (NaN and ∞ give an out-of-range exponent)
        Vector256<ulong> mb;
        var mask = Vector256.Create(AbsMask);
        mb = Vector256.Max(Vector256.Max(Vector256.Load(x).AsUInt64() & mask, Vector256.Load(x + 4).AsUInt64() & mask),
                           Vector256.Max(Vector256.Load(x + 8).AsUInt64() & mask, Vector256.Load(x + 12).AsUInt64() & mask));
        ulong m = Math.Max(Math.Max(mb.GetElement(0), mb.GetElement(1)), Math.Max(mb.GetElement(2), mb.GetElement(3)));
        int e0 = (int)(m >> 52) - 1023;
        // AddBlock's guess range: e0 in [-438, 438] (a zero or subnormal first 16 fails here, as there)
        if (e0 < -438 || e0 > 438) return false;
        double sigma = BitConverter.UInt64BitsToDouble((ulong)(2 * e0 + 22 + 1023) << 52);
        // the guess holds when every lane's sum of squares stayed ≤ σ (so every x² ≤ σ); NaN fails the comparison
        if (!SumSquares.AccumulateCached(x, n, sigma, out double h, out double lo) || !double.IsFinite(lo)) return false;
        return FastFinish.TrySqrt(h, lo, out result);
    }
}
