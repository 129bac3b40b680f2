namespace NormManaged;

/// <summary>A borrowed, strided N-d view of raw memory: the managed twin of the C ABI's
/// <c>normnative_array</c>. <see cref="Data"/> is the address of element [0,…,0]; strides are in
/// <b>bytes</b> and may be negative or zero, so every NumPy view is described without a copy.</summary>
public readonly unsafe ref struct NdView
{
    /// <summary>Address of element [0,…,0].</summary>
    public readonly byte* Data;
    /// <summary>Element type.</summary>
    public readonly DType DType;
    /// <summary>Extent of each axis.</summary>
    public readonly ReadOnlySpan<long> Shape;
    /// <summary>Byte step of each axis.</summary>
    public readonly ReadOnlySpan<long> Strides;

    /// <summary>Describes memory at <paramref name="data"/>.</summary>
    public NdView(void* data, DType dtype, ReadOnlySpan<long> shape, ReadOnlySpan<long> strides)
    {
        Data = (byte*)data;
        DType = dtype;
        Shape = shape;
        Strides = strides;
    }

    /// <summary>Number of axes.</summary>
    public int Rank => Shape.Length;

    /// <summary>True when a stride that never moves an address is nonzero: that of an axis of extent 1, or any of an
    /// empty array (whose strides <see cref="Validate"/> does not bound).</summary>
    internal static bool HasIdleStrides(in NdView v)
    {
        bool empty = IsEmpty(v);
        for (int i = 0; i < v.Shape.Length; i++)
            if (v.Strides[i] != 0 && Idle(v, i, empty)) return true;
        return false;
    }

    /// <summary>The same view with those strides (<see cref="HasIdleStrides"/>) set to 0, in <paramref name="strides"/>
    /// (Rank longs): the same addresses.</summary>
    internal static NdView IdleStridesZeroed(in NdView v, Span<long> strides)
    {
        bool empty = IsEmpty(v);
        for (int i = 0; i < v.Shape.Length; i++) strides[i] = Idle(v, i, empty) ? 0 : v.Strides[i];
        return new NdView(v.Data, v.DType, v.Shape, strides);
    }

    /// <summary>Axis i's stride never moves an address: its extent is 1, or the array is empty.</summary>
    private static bool Idle(in NdView v, int i, bool empty) => empty || v.Shape[i] == 1;

    private static bool IsEmpty(in NdView v)
    {
        foreach (long n in v.Shape) if (n == 0) return true;
        return false;
    }

    /// <summary>The largest rank accepted (NumPy 2's limit).</summary>
    public const int MaxRank = 64;

    /// <summary>Checks the descriptor is self-consistent and returns the element count and the byte
    /// span [lo, hi) relative to <see cref="Data"/> that its elements occupy (0,0 when empty).
    /// Every product and sum is overflow-checked.</summary>
    public long Validate(string name, out long lo, out long hi)
    {
        if (!DTypes.IsValid((int)DType))
            throw new NormException(NormError.BadDType, $"{name}: unknown dtype code {(int)DType}");
        if (Shape.Length != Strides.Length)
            throw new NormException(NormError.InvalidArgument, $"{name}: shape and strides differ in length");
        if (Shape.Length > MaxRank)
            throw new NormException(NormError.InvalidArgument, $"{name}: ndim {Shape.Length} exceeds {MaxRank}");
        long count = 1;
        bool empty = false;
        for (int i = 0; i < Shape.Length; i++)
        {
            long n = Shape[i];
            if (n < 0)
                throw new NormException(NormError.InvalidArgument, $"{name}: shape[{i}] = {n} is negative");
            if (n == 0) empty = true;
            else if (!empty)
            {
                try { count = checked(count * n); }
                catch (OverflowException) { throw new NormException(NormError.InvalidArgument, $"{name}: element count overflows int64"); }
            }
        }
        lo = hi = 0;
        if (empty) return 0;
        if (Data == null)
            throw new NormException(NormError.NullPointer, $"{name}: data is NULL but the array has {count} elements");
        long itemSize = DTypes.ItemSize(DType);
        try
        {
            long min = 0, max = 0;
            for (int i = 0; i < Shape.Length; i++)
            {
                long span = checked((Shape[i] - 1) * Strides[i]);
                if (span < 0) min = checked(min + span); else max = checked(max + span);
            }
            lo = min;
            hi = checked(max + itemSize);
            // The addresses themselves must not wrap around.
            ulong baseAddr = (ulong)Data;
            if ((lo < 0 && (ulong)(-lo) > baseAddr) || (hi > 0 && (ulong)hi > ulong.MaxValue - baseAddr))
                throw new OverflowException();
        }
        catch (OverflowException)
        {
            throw new NormException(NormError.InvalidArgument, $"{name}: byte extent (shape x strides) overflows the address space");
        }
        return count;
    }
}
