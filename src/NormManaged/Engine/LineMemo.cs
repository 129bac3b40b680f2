using System.Runtime.CompilerServices;

namespace NormManaged.Engine;

/// <summary>The lines a lane kernel could not prove, sent to the 1-D path alone
/// (<see cref="AcrossOutputsWide.Alone(byte*, DType, long, long, byte*, DType, double)"/>), remembered for the rest of
/// one kernel call: a later line whose elements are the same bytes in the same order copies the earlier line's stored
/// result and returns its events instead of running the 1-D path again.
///
/// <para>Why: on inputs whose values repeat (np.ones, small integers, a few distinct values) the same few lines recur
/// thousands of times, and when one of them lands within a kernel's error bound of a float32 rounding midpoint (or
/// needs an exact route) every copy of it paid the whole 1-D dispatch and its exact log/exp or tie stage, ~1–4 µs a
/// line: complex64 (4, 3000) ord 2.5 over four repeated values ran 0.17× NumPy, float32 (4, 3000) ord −2.5 0.33×.</para>
///
/// <para>Bits unchanged: the 1-D path is a function of the line's element bytes, its length, dtype, order and output
/// dtype — the same for every line of one call (the stride, the address and its alignment do not change the result:
/// the library's contract that bits depend on the shape only, which the thread-count and alignment tests guard) — and
/// it is deterministic. So a line equal byte for byte to an earlier one of the same call gets the very bits and
/// events the 1-D path gave that line, which are what the 1-D path would give it now. Equality is checked element
/// by element on the input itself (the hash only picks the slot), and NaN payloads or signed zeros compare as bytes,
/// so no two different lines ever share a result. The earlier output is read back from where it was stored: every
/// output of a call is written once, so it still holds the 1-D path's value.</para>
///
/// <para>Cost: O(1) stack (32 slots, a validity mask cleared once), nothing on lines the kernel proves; a failing line
/// pays one hash pass over its n elements (and a compare pass on a slot hit), far below the 1-D path it may save.</para></summary>
internal unsafe struct LineMemo
{
    private const int Slots = 32;

    private uint _valid;
    private fixed long _line[Slots];
    private fixed long _dst[Slots];
    private fixed ulong _hash[Slots];
    private fixed int _events[Slots];

    /// <summary>An empty memo (only the validity mask is written: the slots are read only once marked valid).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Init(out LineMemo memo)
    {
        Unsafe.SkipInit(out memo);
        memo._valid = 0;
    }

    /// <summary><see cref="AcrossOutputsWide.Alone(byte*, DType, long, long, byte*, DType, double)"/> of the line, or
    /// the stored result and events of an earlier line of this memo with the same element bytes. Every call on one
    /// memo must pass the same <paramref name="t"/>, <paramref name="n"/>, <paramref name="ot"/> and
    /// <paramref name="p"/> (one kernel call's lines).</summary>
    public FpEvents Alone(byte* v, DType t, long n, long stride, byte* dst, DType ot, double p)
    {
        if (TryCopy(v, t, n, stride, dst, ot, out var h, out var remembered)) return remembered;
        var ev = AcrossOutputsWide.Alone(v, t, n, stride, dst, ot, p);
        Enter(h, v, dst, ev);
        return ev;
    }

    /// <summary>Copies the stored result of an earlier line with the same element bytes to <paramref name="dst"/> and
    /// gives its events (true); else false, with the line's hash for <see cref="Enter"/>.</summary>
    public bool TryCopy(byte* v, DType t, long n, long stride, byte* dst, DType ot, out ulong h, out FpEvents ev)
    {
        int size = DTypes.ItemSize(t);
        h = Hash(v, n, stride, size);
        int slot = (int)(h >> 59); // 32 slots
        ev = FpEvents.None;
        if ((_valid >> slot & 1) == 0 || _hash[slot] != h || !Same((byte*)_line[slot], v, n, stride, size)) return false;
        byte* src = (byte*)_dst[slot];
        switch (DTypes.ItemSize(ot))
        {
            case 8: Unsafe.WriteUnaligned(dst, Unsafe.ReadUnaligned<ulong>(src)); break;
            case 4: Unsafe.WriteUnaligned(dst, Unsafe.ReadUnaligned<uint>(src)); break;
            case 2: Unsafe.WriteUnaligned(dst, Unsafe.ReadUnaligned<ushort>(src)); break;
            default: Buffer.MemoryCopy(src, dst, 16, DTypes.ItemSize(ot)); break;
        }
        ev = (FpEvents)_events[slot];
        return true;
    }

    /// <summary>Remembers the line at <paramref name="v"/> (hash <paramref name="h"/> from <see cref="TryCopy"/>), whose
    /// result — the 1-D path's value — was stored at <paramref name="dst"/> with events <paramref name="ev"/>.</summary>
    public void Enter(ulong h, byte* v, byte* dst, FpEvents ev)
    {
        int slot = (int)(h >> 59);
        _line[slot] = (long)v;
        _dst[slot] = (long)dst;
        _hash[slot] = h;
        _events[slot] = (int)ev;
        _valid |= 1u << slot;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Word(byte* q, int size) => size switch
    {
        8 => Unsafe.ReadUnaligned<ulong>(q),
        4 => Unsafe.ReadUnaligned<uint>(q),
        16 => Unsafe.ReadUnaligned<ulong>(q) ^ System.Numerics.BitOperations.RotateLeft(Unsafe.ReadUnaligned<ulong>(q + 8), 29),
        2 => Unsafe.ReadUnaligned<ushort>(q),
        _ => *q,
    };

    /// <summary>The hash of a line's <paramref name="n"/> elements of <paramref name="size"/> bytes,
    /// <paramref name="stride"/> bytes apart: independent products summed (no chain of multiplications through the
    /// line: a serial rotate-xor-multiply chain cost ~5 cycles an element, a sixth of np.ones (40,50,60) axis 2 at
    /// ord −20, where every line is remembered), each position by its own rotation and multiplier.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Hash(byte* v, long n, long stride, int size)
    {
        ulong h = (ulong)n;
        if (size == 8) // the usual float64/int64 line: the word read without the size switch (the same words)
            for (long i = 0; i < n; i++)
                h += Mix(Unsafe.ReadUnaligned<ulong>(v + i * stride), i);
        else
            for (long i = 0; i < n; i++)
                h += Mix(Word(v + i * stride, size), i);
        h ^= h >> 31;
        return h * 0xC4CE_B9FE_1A85_EC53;
    }

    /// <summary>Element i's word, placed by its own rotation and multiplier.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong w, long i)
        => (System.Numerics.BitOperations.RotateLeft(w, (int)(9 * i)) ^ 0x9E37_79B9_7F4A_7C15) * (0xFF51_AFD7_ED55_8CCDul + 2ul * (ulong)i);

    private static bool Same(byte* a, byte* b, long n, long stride, int size)
    {
        if (a == b) return true;
        if (stride == size && n * size <= int.MaxValue) // contiguous elements: one vectorised byte compare
            return new ReadOnlySpan<byte>(a, (int)(n * size)).SequenceEqual(new ReadOnlySpan<byte>(b, (int)(n * size)));
        for (long i = 0; i < n; i++)
        {
            byte* x = a + i * stride, y = b + i * stride;
            if (size == 16 ? Unsafe.ReadUnaligned<ulong>(x) != Unsafe.ReadUnaligned<ulong>(y) || Unsafe.ReadUnaligned<ulong>(x + 8) != Unsafe.ReadUnaligned<ulong>(y + 8)
                : Word(x, size) != Word(y, size))
                return false;
        }
        return true;
    }
}
