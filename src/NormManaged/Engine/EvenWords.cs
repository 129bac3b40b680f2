using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormManaged.Engine;

/// <summary>4-byte elements of lines two elements apart (outputs of float32 / int32 <c>a[..., ::2]</c> views), read a row
/// at a time: the even words of wide loads, narrowed. The second load of each pair starts 4 bytes early, so that it
/// ends with the last line's element: nothing outside the view is read (tests/python/test_lane_gather.py puts such
/// views against guard pages). Lines three elements apart (<c>a[..., ::3]</c>): every third word of three (or two)
/// 64-byte loads by two-source permutes, the last load again ending with the last line's element.</summary>
internal static unsafe class EvenWords
{
    /// <summary>True when the <paramref name="count"/> (≥ 2) addresses at <paramref name="lines"/> are equally spaced,
    /// each <paramref name="apart"/> bytes after the one before: the test before a row of such lines is read by the wide
    /// loads below.</summary>
    public static bool Uniform(byte** lines, int count, out long apart)
    {
        apart = lines[1] - lines[0];
        for (int r = 2; r < count; r++)
            if (lines[r] - lines[r - 1] != apart) return false;
        return true;
    }

    /// <summary>The 16 words at p, p + 8, …, p + 120 into dst[0 … 15] (AVX-512).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load16(byte* p, uint* dst)
        => Vector512.Narrow(Vector512.Load((ulong*)p), Vector512.ShiftRightLogical(Vector512.Load((ulong*)(p + 60)), 32)).Store(dst);

    /// <summary>The 16 words at p, p + 12, …, p + 180 (AVX-512): words 0 … 31 from two loads, words 30 … 45 from a
    /// third at p + 120, which ends with word 45.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Thirds16(byte* p)
    {
        var t = Avx512F.PermuteVar16x32x2(Vector512.Load((uint*)p), s_third16a, Vector512.Load((uint*)(p + 64)));
        return Avx512F.PermuteVar16x32x2(t, s_third16b, Vector512.Load((uint*)(p + 120)));
    }

    /// <summary>The 8 words at p, p + 12, …, p + 84 (AVX-512): words 0 … 15 and 6 … 21 (a load at p + 24, ending with
    /// word 21).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Thirds8(byte* p)
        => Avx512F.PermuteVar16x32x2(Vector512.Load((uint*)p), s_third8, Vector512.Load((uint*)(p + 24))).GetLower();

    /// <summary>The 8 quadwords (complex64 values) at p, p + 16, …, p + 112 (AVX-512): quadwords 0 … 7 and 7 … 14 (a load
    /// at p + 56, ending with quadword 14).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> EvenQwords8(byte* p)
        => Avx512F.PermuteVar8x64x2(Vector512.Load((ulong*)p), Vector512.Create(0UL, 2, 4, 6, 9, 11, 13, 15), Vector512.Load((ulong*)(p + 56)));

    /// <summary>The 8 quadwords at p, p + 24, …, p + 168 (AVX-512): quadwords 0 … 15 from two loads, 14 … 21 from a
    /// third at p + 112, which ends with quadword 21.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> ThirdQwords8(byte* p)
    {
        var t = Avx512F.PermuteVar8x64x2(Vector512.Load((ulong*)p), Vector512.Create(0UL, 3, 6, 9, 12, 15, 0, 0), Vector512.Load((ulong*)(p + 64)));
        return Avx512F.PermuteVar8x64x2(t, Vector512.Create(0UL, 1, 2, 3, 4, 5, 12, 15), Vector512.Load((ulong*)(p + 112)));
    }

    // word 3i of the first two loads is index 3i (< 32); of the third load (Thirds16, word 30 + j) index 16 + j
    private static readonly Vector512<uint> s_third16a = Vector512.Create(0u, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 0, 0, 0, 0, 0);
    private static readonly Vector512<uint> s_third16b = Vector512.Create(0u, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 19, 22, 25, 28, 31);
    // Thirds8: words 0 … 15 of p, then p + 24's words 12 and 15 (words 18 and 21 of p)
    private static readonly Vector512<uint> s_third8 = Vector512.Create(0u, 3, 6, 9, 12, 15, 28, 31, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>The 8 words at p, p + 8, …, p + 56 into dst[0 … 7] (AVX2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load8(byte* p, uint* dst) => Row8(p).Store(dst);

    /// <summary>The 8 words at p, p + 8, …, p + 56 as one vector (AVX2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Row8(byte* p)
        => Vector256.Narrow(Vector256.Load((ulong*)p), Vector256.ShiftRightLogical(Vector256.Load((ulong*)(p + 28)), 32));
}
