using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Partial of <see cref="MaxAbsOp"/>: the largest |x| as its IEEE bit pattern (sign cleared), where any
/// NaN's pattern exceeds +∞'s.</summary>
internal struct MaxAbsAcc
{
    public ulong Bits;
}

/// <summary>max |x| of reals (p = +∞) from one integer max over the sign-cleared bit patterns: for non-negative
/// doubles the bit order is the numeric order, and NaNs sort above +∞, so one pass gives both the value and
/// NaN presence (≈ 2 operations per 8 elements instead of <see cref="StatsOp"/>'s max, min, count and NaN test).
/// The maximum is exact, so the stored value is the one <see cref="StatsOp"/> stores (NaN → NaN, nothing → 0).</summary>
internal readonly unsafe struct MaxAbsOp : IBlockOp<MaxAbsAcc>
{
    private const ulong AbsMask = 0x7FFF_FFFF_FFFF_FFFFUL, InfBits = 0x7FF0_0000_0000_0000UL;

    /// <summary>An exact maximum: any split gives the same bits.</summary>
    public static bool BlocksStandAlone => true;

    public void Block(ReadOnlySpan<double> b, ref MaxAbsAcc acc)
    {
        ref ulong r = ref Unsafe.As<double, ulong>(ref MemoryMarshal.GetReference(b));
        ulong* pb = (ulong*)Unsafe.AsPointer(ref r); // prefetch hints only
        int n = b.Length, i = 0;
        ulong m = acc.Bits;
        if (RealKernels.Wide && n >= 32)
        {
            var mask = Vector512.Create(AbsMask);
            Vector512<ulong> m0 = Vector512<ulong>.Zero, m1 = m0, m2 = m0, m3 = m0;
            for (; i <= n - 32; i += 32)
            {
                Prefetch.Ahead256(pb + i);
                m0 = Vector512.Max(m0, Vector512.LoadUnsafe(ref r, (nuint)i) & mask);
                m1 = Vector512.Max(m1, Vector512.LoadUnsafe(ref r, (nuint)i + 8) & mask);
                m2 = Vector512.Max(m2, Vector512.LoadUnsafe(ref r, (nuint)i + 16) & mask);
                m3 = Vector512.Max(m3, Vector512.LoadUnsafe(ref r, (nuint)i + 24) & mask);
            }
            var mm = Vector512.Max(Vector512.Max(m0, m1), Vector512.Max(m2, m3));
            for (int j = 0; j < 8; j++) m = Math.Max(m, mm.GetElement(j));
        }
        else if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            var mask = Vector256.Create(AbsMask);
            Vector256<ulong> m0 = Vector256<ulong>.Zero, m1 = m0, m2 = m0, m3 = m0;
            for (; i <= n - 16; i += 16)
            {
                Prefetch.Ahead128(pb + i);
                m0 = Vector256.Max(m0, Vector256.LoadUnsafe(ref r, (nuint)i) & mask);
                m1 = Vector256.Max(m1, Vector256.LoadUnsafe(ref r, (nuint)i + 4) & mask);
                m2 = Vector256.Max(m2, Vector256.LoadUnsafe(ref r, (nuint)i + 8) & mask);
                m3 = Vector256.Max(m3, Vector256.LoadUnsafe(ref r, (nuint)i + 12) & mask);
            }
            var mm = Vector256.Max(Vector256.Max(m0, m1), Vector256.Max(m2, m3));
            for (int j = 0; j < 4; j++) m = Math.Max(m, mm.GetElement(j));
        }
        for (; i < n; i++) m = Math.Max(m, Unsafe.Add(ref r, i) & AbsMask);
        acc.Bits = m;
    }

    public void Merge(ref MaxAbsAcc total, in MaxAbsAcc part) => total.Bits = Math.Max(total.Bits, part.Bits);

    public FpEvents Finish(in MaxAbsAcc acc, DType ot, byte* dst)
    {
        double v = acc.Bits > InfBits ? double.NaN : BitConverter.UInt64BitsToDouble(acc.Bits);
        return ResultWriter.Store(ot, dst, v, 0, 0);
    }
}
