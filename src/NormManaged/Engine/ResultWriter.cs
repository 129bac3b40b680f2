using System.Runtime.CompilerServices;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Stores (r + c)·2^k into an output element of the result dtype, rounding once.</summary>
internal static unsafe class ResultWriter
{
    /// <summary>Writes the value and reports overflow of a finite exact value to +inf.</summary>
    public static FpEvents Store(DType t, byte* dst, double r, double c, int k)
    {
        switch (t)
        {
            case DType.Float64:
            {
                double v = Rounding.ToDouble(r, c, k);
                Unsafe.WriteUnaligned(dst, v);
                return double.IsInfinity(v) && double.IsFinite(r) ? FpEvents.Overflow : FpEvents.None;
            }
            case DType.Float32:
            {
                float v = Rounding.ToSingle(r, c, k);
                Unsafe.WriteUnaligned(dst, v);
                return float.IsInfinity(v) && double.IsFinite(r) ? FpEvents.Overflow : FpEvents.None;
            }
            case DType.Float16:
            {
                Half v = Rounding.ToHalf(r, c, k);
                Unsafe.WriteUnaligned(dst, v);
                return Half.IsInfinity(v) && double.IsFinite(r) ? FpEvents.Overflow : FpEvents.None;
            }
            case DType.LongDouble:
                return LongDoubleCodec.Encode(dst, r, c, k) ? FpEvents.Overflow : FpEvents.None;
            default:
                throw new NormException(NormError.BadDType, $"result dtype {DTypes.Name(t)} is not supported");
        }
    }

    /// <summary>Writes an <see cref="Ext"/> magnitude.</summary>
    public static FpEvents Store(DType t, byte* dst, in Ext v) => Store(t, dst, v.H, v.L, v.E);
}
