using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NormManaged;

namespace NormNative;

/// <summary>Status codes (normnative.h NORMNATIVE_OK / NORMNATIVE_E_*) and their static texts.
/// The texts are UTF-8 literals compiled into the library's read-only data: nothing is
/// allocated, nothing is ever freed, and the pointers stay valid for the life of the process.</summary>
internal static unsafe class Status
{
    public const int Ok = 0;
    public const int Internal = (int)NormError.Internal;

    public static byte* Text(int status) => Ptr(status switch
    {
        Ok => "success\0"u8,
        (int)NormError.NullPointer => "a required pointer was NULL\0"u8,
        (int)NormError.InvalidArgument => "invalid argument\0"u8,
        (int)NormError.BadDType => "unknown or unsupported dtype\0"u8,
        (int)NormError.BadAxis => "invalid axis\0"u8,
        (int)NormError.BadOrd => "invalid norm order\0"u8,
        (int)NormError.OutputMismatch => "output does not match the reduction\0"u8,
        (int)NormError.Aliasing => "output overlaps input\0"u8,
        (int)NormError.OutOfRange => "element outside the declared byte range\0"u8,
        (int)NormError.EmptyReduction => "zero-size reduction has no identity\0"u8,
        (int)NormError.NoConvergence => "SVD did not converge\0"u8,
        (int)NormError.Internal => "internal error\0"u8,
        _ => "unknown status code\0"u8,
    });

    /// <summary>Address of a u8 literal (static data, fixed for the process lifetime).</summary>
    public static byte* Ptr(ReadOnlySpan<byte> literal) =>
        (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(literal));
}
