namespace NormManaged.Engine;

/// <summary>Hands out the elements of one reduction as consecutive blocks of doubles on a fixed grid
/// (<see cref="BlockElements"/> elements per block, complex elements as two doubles): contiguous float64
/// runs are read in place, everything else is widened through the caller's buffer. The grid depends only
/// on the reduction's shape, so results never depend on alignment or threads.</summary>
internal unsafe struct DoubleBlocks
{
    /// <summary>Elements per block.</summary>
    public const int BlockElements = Kernels.SumSquares.BlockSize;

    private InnerWalker _walker;
    private readonly DType _t;
    private readonly int _width;
    private readonly bool _inPlace;
    private readonly double* _buf;

    /// <summary>Blocks of the reduction at <paramref name="outerPtr"/>; <paramref name="buf"/> must hold 2·<see cref="BlockElements"/> doubles.</summary>
    public DoubleBlocks(ReductionPlan plan, byte* outerPtr, DType t, double* buf)
    {
        _walker = new InnerWalker(plan, outerPtr);
        _t = t;
        _width = Gather.Width(t);
        _buf = buf;
        _inPlace = (t == DType.Float64 && plan.InnerStrides[0] == 8) || (t == DType.Complex128 && plan.InnerStrides[0] == 16);
        // in place only when a block never spans two rows: a single contiguous inner axis
        _inPlace &= plan.InnerShape.Length == 1;
    }

    /// <summary>The next block (empty at the end).</summary>
    public ReadOnlySpan<double> Next()
    {
        const int per = BlockElements;
        if (_inPlace)
            return _walker.Next(per, out byte* p, out int n, out _) ? new ReadOnlySpan<double>(p, n * _width) : default;
        int filled = 0;
        while (filled < per && _walker.Next(per - filled, out byte* p, out int n, out long stride))
        {
            Gather.Run(_t, p, stride, n, _buf + filled * _width);
            filled += n;
        }
        return new ReadOnlySpan<double>(_buf, filled * _width);
    }
}
