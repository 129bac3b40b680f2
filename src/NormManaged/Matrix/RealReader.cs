using System.Runtime.CompilerServices;

namespace NormManaged.Matrix;

/// <summary>Reads one element of a real (non-complex, non-extended) dtype, widened exactly to double
/// (int64/uint64 rounded to nearest, as numpy's astype(float)).</summary>
internal static unsafe class RealReader
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Read(DType t, byte* p) => t switch
    {
        DType.Float64 => Unsafe.ReadUnaligned<double>(p),
        DType.Float32 => Unsafe.ReadUnaligned<float>(p),
        DType.Bool => *p != 0 ? 1.0 : 0.0,
        DType.Int8 => *(sbyte*)p,
        DType.UInt8 => *p,
        DType.Int16 => Unsafe.ReadUnaligned<short>(p),
        DType.UInt16 => Unsafe.ReadUnaligned<ushort>(p),
        DType.Int32 => Unsafe.ReadUnaligned<int>(p),
        DType.UInt32 => Unsafe.ReadUnaligned<uint>(p),
        DType.Int64 => Unsafe.ReadUnaligned<long>(p),
        DType.UInt64 => Unsafe.ReadUnaligned<ulong>(p),
        _ => throw new NormException(NormError.BadDType, $"dtype {DTypes.Name(t)}"),
    };
}
