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
    // float64 every 2nd / 3rd double along one inner axis (0: no): the elements left, for Feed's in-place blocks
    private readonly int _step;
    private long _left;

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
        long s = plan.InnerStrides[0];
        _step = t == DType.Float64 && plan.InnerShape.Length == 1 && (s == 16 || s == 24) ? (int)(s / 8) : 0;
        _left = plan.InnerCount;
    }

    /// <summary>The op's next block into <paramref name="acc"/>; false at the end. Ops that read strided float64
    /// blocks in place (<see cref="IBlockOp{TAcc}.FusesStrided"/>) get them uncopied, the others as <see cref="Next"/>
    /// gives them.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool Feed<TOp, TAcc>(in TOp op, ref TAcc acc) where TOp : struct, IBlockOp<TAcc> where TAcc : struct
    {
        if (TOp.FusesStrided && _step != 0)
        {
            if (!_walker.Next(BlockElements, out byte* p, out int n, out _)) return false;
            _left -= n;
            op.BlockStrided((double*)p, _step, n, _left == 0, _buf, ref acc);
            return true;
        }
        var b = Next();
        if (b.IsEmpty) return false;
        op.Block(b, ref acc);
        return true;
    }

    /// <summary>Block <paramref name="k"/> of the 1-D run of <paramref name="n"/> elements <paramref name="stride"/>
    /// bytes apart from <paramref name="start"/> — the same elements the serial walk's k-th block holds — widened
    /// through <paramref name="buf"/> (2·<see cref="BlockElements"/> doubles) when needed.</summary>
    public static ReadOnlySpan<double> Block(byte* start, long n, long stride, DType t, long k, double* buf)
    {
        long first = k * BlockElements;
        var one = new DoubleBlocks(ReductionPlan.Run(Math.Min(BlockElements, n - first), stride), start + first * stride, t, buf);
        return one.Next();
    }

    /// <summary>A per-block result, computed by <see cref="MapBlocks{T}"/> on any worker.</summary>
    public delegate T BlockFunc<T>(ReadOnlySpan<double> block);

    /// <summary><paramref name="f"/> of every block of the plan's single 1-D reduction (one output, one inner axis),
    /// on up to <paramref name="threads"/> workers, in block order: callers then combine the results in that order,
    /// exactly as the serial walk would, so the bits do not depend on the thread count.</summary>
    public static T[] MapBlocks<T>(ReductionPlan plan, byte* x, DType t, int threads, BlockFunc<T> f)
    {
        long n = plan.InnerCount, stride = plan.InnerStrides[0];
        var results = new T[(int)((n + BlockElements - 1) / BlockElements)];
        nint start = (nint)(x + plan.InnerBaseOffset);
        Parallelism.For(results.Length, threads, k =>
        {
            double* buf = stackalloc double[2 * BlockElements];
            results[k] = f(Block((byte*)start, n, stride, t, k, buf));
        });
        return results;
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
