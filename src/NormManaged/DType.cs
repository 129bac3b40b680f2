namespace NormManaged;

/// <summary>Element types NormManaged reads in place. The numeric codes are the C ABI's
/// <c>NORMNATIVE_DTYPE_*</c> values and are pinned forever.</summary>
public enum DType
{
    Bool = 1,
    Int8 = 2,
    Int16 = 3,
    Int32 = 4,
    Int64 = 5,
    UInt8 = 6,
    UInt16 = 7,
    UInt32 = 8,
    UInt64 = 9,
    Float16 = 10,
    Float32 = 11,
    Float64 = 12,
    Complex64 = 13,
    Complex128 = 14,
    /// <summary>x87 80-bit extended precision stored in 16 bytes (C <c>long double</c> on x86-64 Linux).</summary>
    LongDouble = 15,
    /// <summary>A pair of <see cref="LongDouble"/> (C <c>long double _Complex</c>), 32 bytes.</summary>
    CLongDouble = 16,
}

/// <summary>Facts about <see cref="DType"/>s.</summary>
public static class DTypes
{
    /// <summary>True for the codes this build understands.</summary>
    public static bool IsValid(int code) => code >= (int)DType.Bool && code <= (int)DType.CLongDouble;

    /// <summary>Bytes one element occupies.</summary>
    public static int ItemSize(DType t) => t switch
    {
        DType.Bool or DType.Int8 or DType.UInt8 => 1,
        DType.Int16 or DType.UInt16 or DType.Float16 => 2,
        DType.Int32 or DType.UInt32 or DType.Float32 => 4,
        DType.Int64 or DType.UInt64 or DType.Float64 or DType.Complex64 => 8,
        DType.Complex128 or DType.LongDouble => 16,
        DType.CLongDouble => 32,
        _ => throw new NormException(NormError.BadDType, $"unknown dtype code {(int)t}"),
    };

    /// <summary>True for the complex types.</summary>
    public static bool IsComplex(DType t) => t is DType.Complex64 or DType.Complex128 or DType.CLongDouble;

    /// <summary>The dtype of a norm of <paramref name="t"/>, as numpy.linalg.norm chooses it:
    /// bool and integers give float64; complex gives its real part's type; floats keep their type.</summary>
    public static DType ResultType(DType t) => t switch
    {
        DType.Float16 => DType.Float16,
        DType.Float32 or DType.Complex64 => DType.Float32,
        DType.LongDouble or DType.CLongDouble => DType.LongDouble,
        _ => DType.Float64,
    };

    /// <summary>Lower-case numpy-style name, for messages.</summary>
    public static string Name(DType t) => t switch
    {
        DType.Bool => "bool",
        DType.Int8 => "int8",
        DType.Int16 => "int16",
        DType.Int32 => "int32",
        DType.Int64 => "int64",
        DType.UInt8 => "uint8",
        DType.UInt16 => "uint16",
        DType.UInt32 => "uint32",
        DType.UInt64 => "uint64",
        DType.Float16 => "float16",
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        DType.Complex64 => "complex64",
        DType.Complex128 => "complex128",
        DType.LongDouble => "longdouble",
        DType.CLongDouble => "clongdouble",
        _ => $"dtype({(int)t})",
    };
}
