using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Σx², then √, for bool and integers of at most 32 bits (their doubles are integers with |x| ≤ 2^32), with
/// plain FMA sums that are exact instead of the TwoSum lanes of <see cref="NarrowSquaresOp"/>.
///
/// 8/16-bit types and bool: x² ≤ 2^32, so a block of at most <see cref="MaxBlock"/> = 2^13 elements sums to
/// &lt; 2^45 and every partial sum of integers below 2^53 is exact in any order. 32-bit types: x = h + l with
/// h = (x + C) − C a multiple of 2^16 (C = 1.5·2^68, exact for |x| ≤ 2^32) and |l| ≤ 2^15; x² = h² + 2hl + l², and
/// Σh² = 2^32·Σ(h/2^16)², Σhl = 2^16·Σ(h/2^16)·l, Σl² are each sums of integers (scaled by a power of two) below 2^53,
/// so exact too. The block's exact total is put into the normalised double-double (hi = nearest double of the total,
/// lo = the rest) by three exact <see cref="DD.Add"/> steps. The narrow op's block partial is the same exact integer in
/// the same normalised form (its lanes are error-free for these values), and the block driver merges partials in the
/// same fixed order, so this op gives exactly the narrow op's bits (tested against it and against big-integer
/// references); the lane structure and vector width cannot matter because nothing is rounded.</summary>
internal readonly unsafe struct IntSquaresOp : IBlockOp<ScaledSum>
{
    /// <summary>Largest block the exactness argument covers.</summary>
    public const int MaxBlock = 1 << 13;

    /// <summary>The dtypes this op is exact for.</summary>
    public static bool Handles(DType t)
        => DoubleBlocks.BlockElements <= MaxBlock
           && t is DType.Bool or DType.Int8 or DType.UInt8 or DType.Int16 or DType.UInt16 or DType.Int32 or DType.UInt32;

    private readonly bool _split;

    /// <summary>The op for dtype <paramref name="t"/> (one of <see cref="Handles"/>).</summary>
    public IntSquaresOp(DType t) => _split = t is DType.Int32 or DType.UInt32;

    public void Block(ReadOnlySpan<double> b, ref ScaledSum acc)
    {
        double hh, hl, ll;
        if (_split) SplitSums(b, out hh, out hl, out ll);
        else { hh = 0; hl = 0; ll = Squares(b); }
        double hi = hh, lo = 0;
        DD.Add(ref hi, ref lo, 2 * hl, 0);
        DD.Add(ref hi, ref lo, ll, 0);
        acc.Add(0, hi, lo);
    }

    public void Merge(ref ScaledSum total, in ScaledSum part) => total.Add(part);

    public FpEvents Finish(in ScaledSum acc, DType ot, byte* dst) => default(SumSquaresOp).Finish(acc, ot, dst);

    /// <summary>Σx² of |x| ≤ 2^16 (exact).</summary>
    private static double Squares(ReadOnlySpan<double> b)
    {
        ref double r = ref MemoryMarshal.GetReference(b);
        int n = b.Length, i = 0;
        double s = 0;
        if (RealKernels.Wide && n >= 32)
        {
            Vector512<double> s0 = default, s1 = default, s2 = default, s3 = default;
            for (; i <= n - 32; i += 32)
            {
                var v0 = Vector512.LoadUnsafe(ref r, (nuint)i); var v1 = Vector512.LoadUnsafe(ref r, (nuint)i + 8);
                var v2 = Vector512.LoadUnsafe(ref r, (nuint)i + 16); var v3 = Vector512.LoadUnsafe(ref r, (nuint)i + 24);
                s0 = Vector512.FusedMultiplyAdd(v0, v0, s0); s1 = Vector512.FusedMultiplyAdd(v1, v1, s1);
                s2 = Vector512.FusedMultiplyAdd(v2, v2, s2); s3 = Vector512.FusedMultiplyAdd(v3, v3, s3);
            }
            s = Vector512.Sum((s0 + s1) + (s2 + s3));
        }
        else if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
            for (; i <= n - 16; i += 16)
            {
                var v0 = Vector256.LoadUnsafe(ref r, (nuint)i); var v1 = Vector256.LoadUnsafe(ref r, (nuint)i + 4);
                var v2 = Vector256.LoadUnsafe(ref r, (nuint)i + 8); var v3 = Vector256.LoadUnsafe(ref r, (nuint)i + 12);
                s0 = Vector256.FusedMultiplyAdd(v0, v0, s0); s1 = Vector256.FusedMultiplyAdd(v1, v1, s1);
                s2 = Vector256.FusedMultiplyAdd(v2, v2, s2); s3 = Vector256.FusedMultiplyAdd(v3, v3, s3);
            }
            s = Vector256.Sum((s0 + s1) + (s2 + s3));
        }
        for (; i < n; i++) { double v = Unsafe.Add(ref r, i); s = Math.FusedMultiplyAdd(v, v, s); }
        return s;
    }

    private const double SplitC = 1.5 * 295147905179352825856.0; // 1.5·2^68: rounds |x| ≤ 2^32 to a multiple of 2^16

    /// <summary>Σh², Σh·l, Σl² of the split x = h + l (each exact).</summary>
    private static void SplitSums(ReadOnlySpan<double> b, out double hh, out double hl, out double ll)
    {
        ref double r = ref MemoryMarshal.GetReference(b);
        int n = b.Length, i = 0;
        hh = 0; hl = 0; ll = 0;
        if (RealKernels.Wide && n >= 16)
        {
            var c = Vector512.Create(SplitC);
            Vector512<double> a0 = default, a1 = default, b0 = default, b1 = default, c0 = default, c1 = default;
            for (; i <= n - 16; i += 16)
            {
                var v0 = Vector512.LoadUnsafe(ref r, (nuint)i); var v1 = Vector512.LoadUnsafe(ref r, (nuint)i + 8);
                var h0 = (v0 + c) - c; var h1 = (v1 + c) - c;
                var l0 = v0 - h0; var l1 = v1 - h1;
                a0 = Vector512.FusedMultiplyAdd(h0, h0, a0); a1 = Vector512.FusedMultiplyAdd(h1, h1, a1);
                b0 = Vector512.FusedMultiplyAdd(h0, l0, b0); b1 = Vector512.FusedMultiplyAdd(h1, l1, b1);
                c0 = Vector512.FusedMultiplyAdd(l0, l0, c0); c1 = Vector512.FusedMultiplyAdd(l1, l1, c1);
            }
            hh = Vector512.Sum(a0 + a1); hl = Vector512.Sum(b0 + b1); ll = Vector512.Sum(c0 + c1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var c = Vector256.Create(SplitC);
            Vector256<double> a0 = default, a1 = default, b0 = default, b1 = default, c0 = default, c1 = default;
            for (; i <= n - 8; i += 8)
            {
                var v0 = Vector256.LoadUnsafe(ref r, (nuint)i); var v1 = Vector256.LoadUnsafe(ref r, (nuint)i + 4);
                var h0 = (v0 + c) - c; var h1 = (v1 + c) - c;
                var l0 = v0 - h0; var l1 = v1 - h1;
                a0 = Vector256.FusedMultiplyAdd(h0, h0, a0); a1 = Vector256.FusedMultiplyAdd(h1, h1, a1);
                b0 = Vector256.FusedMultiplyAdd(h0, l0, b0); b1 = Vector256.FusedMultiplyAdd(h1, l1, b1);
                c0 = Vector256.FusedMultiplyAdd(l0, l0, c0); c1 = Vector256.FusedMultiplyAdd(l1, l1, c1);
            }
            hh = Vector256.Sum(a0 + a1); hl = Vector256.Sum(b0 + b1); ll = Vector256.Sum(c0 + c1);
        }
        for (; i < n; i++)
        {
            double v = Unsafe.Add(ref r, i), h = (v + SplitC) - SplitC, l = v - h;
            hh = Math.FusedMultiplyAdd(h, h, hh); hl = Math.FusedMultiplyAdd(h, l, hl); ll = Math.FusedMultiplyAdd(l, l, ll);
        }
    }
}
