using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormManaged.Engine;

/// <summary>4-byte elements of lines two elements apart (outputs of float32 / int32 <c>a[..., ::2]</c> views), read a row
/// at a time: the even words of wide loads, narrowed. The second load of each pair starts 4 bytes early, so that it
/// ends with the last line's element: nothing outside the view is read (tests/python/test_lane_gather.py puts such
/// views against guard pages).</summary>
internal static unsafe class EvenWords
{
    /// <summary>The 16 words at p, p + 8, …, p + 120 into dst[0 … 15] (AVX-512).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load16(byte* p, uint* dst)
        => Vector512.Narrow(Vector512.Load((ulong*)p), Vector512.ShiftRightLogical(Vector512.Load((ulong*)(p + 60)), 32)).Store(dst);

    /// <summary>The 8 words at p, p + 8, …, p + 56 into dst[0 … 7] (AVX2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load8(byte* p, uint* dst) => Row8(p).Store(dst);

    /// <summary>The 8 words at p, p + 8, …, p + 56 as one vector (AVX2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Row8(byte* p)
        => Vector256.Narrow(Vector256.Load((ulong*)p), Vector256.ShiftRightLogical(Vector256.Load((ulong*)(p + 28)), 32));
}
