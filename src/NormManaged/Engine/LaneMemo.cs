using System.Runtime.CompilerServices;

namespace NormManaged.Engine;

/// <summary>The float64 results <see cref="LaneSums"/> has stored for short lines, remembered for the rest of one
/// range of one kernel call: a later line whose elements are the same bytes in the same order gets the stored result
/// instead of its terms, sum and root.
///
/// <para>Why: short lines over a few distinct values recur (rows of 4 over four values are 256 lines at most; np.ones,
/// one-hot rows, small categorical codes): float64 rows (3000, 4) ord 1.7 over four repeated values spent their time on
/// terms and roots of lines already rooted (NumPy ÷ ours 0.50 on the quiet machine).</para>
///
/// <para>Bits unchanged: a lane's result is a function of its line's element values alone (<see cref="LaneSums"/>:
/// each lane applies the 1-D path's operations to its own elements; the lanes beside it, the group, the range and the
/// thread count change nothing), for the one order, length and dtype of the call. Only results that Flush stored as
/// normal doubles with no event are entered, and entered after they are stored; a line hits only when its hash and
/// every element's 8 bytes equal the remembered line's (NaN payloads and signed zeros compare as bytes), so the copy
/// is the value its own lanes would have given it. Which lines hit (the memo's state, the trial below) changes the
/// work, never a result.</para>
///
/// <para>Cost: O(1) stack (1024 slots in pairs, 24 KiB, a validity mask cleared once a range); a hash of the ≤ <see cref="MaxInner"/>
/// elements per line while on (<see cref="Worth"/>). After <see cref="Trial"/> lookups with fewer than 1/16 hits (random or wide-ranged
/// data) the memo is switched off for the rest of the range: the lines it looked up cost a hash each.</para></summary>
internal unsafe struct LaneMemo
{
    private const int Slots = 1024;

    /// <summary>Longest line looked up (np.ones, constant or one-hot rows repeat at any length; lines over a few values
    /// rarely repeat beyond 8 elements, 4⁸ = 65536 rows of 8 over four values).</summary>
    internal const int MaxInner = 64;

    /// <summary>Fewest lines of a range that use the memo: lines longer than 8 elements only in ranges of at least
    /// 8·<see cref="Trial"/> lines, so that a trial without hits hashes at most an eighth of the lines (a hash costs
    /// about a cycle an element, a term of the lanes several).</summary>
    internal static bool Worth(int n, long count) => n <= MaxInner && count >= (n <= 8 ? Trial : 8 * Trial);

    /// <summary>Lookups before the memo decides whether to stay on (at least 1/16 of them hits).</summary>
    internal const long Trial = 128;

    /// <summary>True when a memo whose <paramref name="lookups"/>-th lookup has just missed, with
    /// <paramref name="hits"/> hits so far, ends its trial with too few hits (under 1/16 of <see cref="Trial"/>) and is
    /// to be switched off: the one rule of every lane kernel's memos.</summary>
    internal static bool TrialFailed(long lookups, long hits) => lookups == Trial && hits < Trial / 16;

    private fixed ulong _valid[Slots / 64];
    private fixed ulong _hash[Slots];
    private fixed long _line[Slots];
    private fixed double _value[Slots];

    /// <summary>An empty memo (only the validity mask is written: a slot is read only once marked valid).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Init(out LaneMemo memo)
    {
        Unsafe.SkipInit(out memo);
        for (int i = 0; i < Slots / 64; i++) memo._valid[i] = 0;
    }

    /// <summary>The hash of the line's <paramref name="n"/> float64 element bytes, <paramref name="s"/> bytes apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash(byte* v, int n, long s) => LineMemo.Hash(v, n, s, 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SlotOf(ulong h) => (int)(h >> 54); // 1024 slots, in pairs (slot, slot ^ 1)

    /// <summary>Writes the remembered result to <paramref name="dst"/> and returns true when slot
    /// <paramref name="slot"/> holds a line with hash <paramref name="h"/> and the same element bytes as the line at
    /// <paramref name="v"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryCopy(int slot, ulong h, byte* v, int n, long s, byte* dst)
        => TryCopyAt(slot, h, v, n, s, dst) || TryCopyAt(slot ^ 1, h, v, n, s, dst);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryCopyAt(int slot, ulong h, byte* v, int n, long s, byte* dst)
    {
        if ((_valid[slot >> 6] >> (slot & 63) & 1) == 0 || _hash[slot] != h) return false;
        byte* a = (byte*)_line[slot];
        if (a != v)
            for (int i = 0; i < n; i++)
                if (Unsafe.ReadUnaligned<ulong>(a + i * s) != Unsafe.ReadUnaligned<ulong>(v + i * s)) return false;
        Unsafe.WriteUnaligned(dst, _value[slot]);
        return true;
    }

    /// <summary>Remembers the stored result <paramref name="value"/> of the line at <paramref name="v"/> (hash
    /// <paramref name="h"/>) in slot <paramref name="slot"/>, replacing what it held.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Enter(int slot, ulong h, byte* v, double value)
    {
        // the pair's other slot when this one is taken and that one free
        if ((_valid[slot >> 6] >> (slot & 63) & 1) != 0 && (_valid[(slot ^ 1) >> 6] >> ((slot ^ 1) & 63) & 1) == 0) slot ^= 1;
        _hash[slot] = h;
        _line[slot] = (long)v;
        _value[slot] = value;
        _valid[slot >> 6] |= 1ul << (slot & 63);
    }
}
