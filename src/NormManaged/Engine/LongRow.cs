using System.Runtime.Intrinsics;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>The float64 2-norm of one contiguous row of 64 … <see cref="DoubleBlocks.BlockElements"/> doubles
/// (rows of a C-order matrix with <c>axis=-1</c>, columns of a Fortran-order one) with no per-row overhead beyond
/// the accumulation itself.
///
/// The 16 lanes are <see cref="SumSquares.AddBlock"/>'s guess path operation for operation: σ = 2^(2e₀+22) from the
/// largest of the first 16 magnitudes, every lane offset by σ, a' = fma(x, x, a) with the exact error
/// fma(x, x, a − a') summed in a second lane set, the same Vector512/Vector256 lane layout. Only the fold differs:
/// instead of sixteen sequential double-double additions (a ~600-cycle dependency chain per row, which made
/// 1000-element rows ~40 % slower than one long vector), the exact differences a − σ (Sterbenz) are added by a TwoSum
/// tree over the lanes and the errors summed plainly, then √ and the correction as in <see cref="SumSquares.Sqrt"/> (<see cref="FastFinish"/>).
/// Both folds give the lanes' total to ~2⁻¹⁰⁰ relative, so the rounded norm is the correctly rounded one, which is
/// unique: the bits are those of the block driver (tested against exact references and against the 1-D norm of each
/// row, both widths, 1–3 threads). Rows outside the fast case (guess failed, NaN/∞, exponents beyond ±438) return
/// false and take the driver's block kernel.</summary>
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
        Vector256<double> q0, q1, q2, q3, k0, k1, k2, k3;
        int i = 0;
        if (RealKernels.Wide)
        {
            var vs = Vector512.Create(sigma);
            Vector512<double> a0 = vs, a1 = vs, l0 = Vector512<double>.Zero, l1 = l0;
            for (; i <= n - 16; i += 16)
            {
                OffsetStep.Add(ref a0, ref l0, Vector512.Load(x + i), true);
                OffsetStep.Add(ref a1, ref l1, Vector512.Load(x + i + 8), true);
            }
            q0 = a0.GetLower(); q1 = a0.GetUpper(); q2 = a1.GetLower(); q3 = a1.GetUpper();
            k0 = l0.GetLower(); k1 = l0.GetUpper(); k2 = l1.GetLower(); k3 = l1.GetUpper();
        }
        else
        {
            var vs = Vector256.Create(sigma);
            q0 = vs; q1 = vs; q2 = vs; q3 = vs;
            k0 = Vector256<double>.Zero; k1 = k0; k2 = k0; k3 = k0;
            for (; i <= n - 16; i += 16)
            {
                OffsetStep.Add(ref q0, ref k0, Vector256.Load(x + i), true);
                OffsetStep.Add(ref q1, ref k1, Vector256.Load(x + i + 4), true);
                OffsetStep.Add(ref q2, ref k2, Vector256.Load(x + i + 8), true);
                OffsetStep.Add(ref q3, ref k3, Vector256.Load(x + i + 12), true);
            }
        }
        // the tail lane, also offset by σ
        double ta = sigma, tl = 0;
        for (; i < n; i++)
        {
            OffsetStep.Add(ref ta, ref tl, x[i], true);
        }
        // validate the guess: every lane's sum of squares ≤ σ (so every x² ≤ σ); NaN fails the comparison
        var two = Vector256.Create(2 * sigma);
        var okv = Vector256.LessThanOrEqual(Vector256.Max(Vector256.Max(q0, q1), Vector256.Max(q2, q3)), two);
        if (!Vector256.EqualsAll(okv.AsUInt64(), Vector256<ulong>.AllBitsSet) || !(ta <= 2 * sigma)) return false;
        var lsum = Vector256.Sum((k0 + k1) + (k2 + k3)); // as AddBlock
        if (!double.IsFinite(lsum)) return false;
        // exact lane values a − σ (a in [σ, 2σ]); TwoSum tree, errors summed plainly
        var vsg = Vector256.Create(sigma);
        Vector256<double> d0 = q0 - vsg, d1 = q1 - vsg, d2 = q2 - vsg, d3 = q3 - vsg;
        var s01 = LaneStep.TwoSum(d0, d1, out var e01);
        var s23 = LaneStep.TwoSum(d2, d3, out var e23);
        var s4 = LaneStep.TwoSum(s01, s23, out var e4);
        var err4 = (e01 + e23) + e4;
        var s2 = LaneStep.TwoSum(s4.GetLower(), s4.GetUpper(), out var e2);
        double h = DD.TwoSum(s2.GetElement(0), s2.GetElement(1), out double e1);
        double errs = Vector256.Sum(err4) + (e2.GetElement(0) + e2.GetElement(1)) + e1;
        h = DD.TwoSum(h, ta - sigma, out double et);
        double lo = errs + et + tl + lsum;
        return FastFinish.TrySqrt(h, lo, out result);
    }
}
