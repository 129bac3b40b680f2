using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>The float64 2-norm of one long strided vector (<c>x[::2]</c>, <c>x[::3]</c>, …) on several threads, with
/// the work split evenly by blocks instead of by whole 64-block chunks (a 1e6-element parent viewed as <c>x[::3]</c>
/// is 1.27 chunks: the chunk split gave one thread 79 % of the work).
///
/// The bits are those of <see cref="BlockDriver"/>'s sequential walk, whatever the thread count: the block grid
/// (4096 elements from the start) and the chunk grid (64 blocks) are the same, and a chunk's partial is built by the
/// same sequence of <see cref="ScaledSum.Add(int, double, double)"/> calls. A chunk that lies within one worker's block
/// range is accumulated there exactly as the driver does (<see cref="SumSquares.AddBlock"/> onto the chunk's part). A
/// chunk cut by a worker boundary (at most threads − 1 of them) keeps one <see cref="ScaledSum"/> per block, each the
/// result of <see cref="SumSquares.AddBlock"/> onto an empty sum; since AddBlock contributes to its accumulator by a
/// single <see cref="ScaledSum.Add(int, double, double)"/> (or only sets the NaN/∞ flags), adding those per-block sums
/// to an empty part in block order repeats the driver's operations exactly. Tested bit for bit against one thread
/// for 1–7 threads, strides 2, 3 and 5, NaN/∞ and rescaled blocks.</summary>
internal static unsafe class StridedChunks
{
    private const int BlocksPerChunk = BlockDriver.BlocksPerChunk;
    private const int Block = DoubleBlocks.BlockElements;

    /// <summary>One float64 vector, 2-norm, not contiguous, longer than one chunk, several threads allowed.</summary>
    public static bool Applies(ReductionPlan plan, DType t, double p)
        => t == DType.Float64 && p == 2 && plan.OuterCount == 1 && plan.InnerShape.Length == 1 && plan.InnerStrides[0] != 8
           && plan.InnerCount > BlockDriver.ChunkElements && Parallelism.MaxThreads > 1;

    public static FpEvents Run(ReductionPlan plan, byte* x, byte* o, DType ot)
    {
        long n = plan.InnerCount, stride = plan.InnerStrides[0];
        byte* start = x + plan.InnerBaseOffset;
        long blocks = (n + Block - 1) / Block;
        int chunks = (int)((blocks + BlocksPerChunk - 1) / BlocksPerChunk);
        int workers = (int)Math.Min(Parallelism.MaxThreads, blocks);
        var bounds = new long[workers + 1];
        for (int w = 0; w <= workers; w++) bounds[w] = blocks * w / workers;
        // chunks cut by a worker boundary keep per-block sums
        var perBlock = new ScaledSum[chunks][];
        for (int w = 1; w < workers; w++)
            if (bounds[w] % BlocksPerChunk != 0) perBlock[bounds[w] / BlocksPerChunk] ??= new ScaledSum[BlocksPerChunk];
        var parts = new ScaledSum[chunks];
        nint sp = (nint)start;
        Parallelism.ForParts(workers, workers, w =>
        {
            double* buf = stackalloc double[2 * Block];
            long b0 = bounds[w], b1 = bounds[w + 1];
            long first = b0 * Block, len = Math.Min(n, b1 * Block) - first;
            var sub = ReductionPlan.Run(len, stride);
            var walk = new DoubleBlocks(sub, (byte*)sp + first * stride, DType.Float64, buf);
            ReadOnlySpan<double> b;
            for (long k = b0; !(b = walk.Next()).IsEmpty; k++)
            {
                long c = k / BlocksPerChunk;
                var cut = perBlock[c];
                if (cut != null)
                {
                    ScaledSum one = default;
                    SumSquares.AddBlock(b, ref one);
                    cut[k - c * BlocksPerChunk] = one;
                }
                else SumSquares.AddBlock(b, ref parts[c]);
            }
            return FpEvents.None;
        });
        ScaledSum total = default;
        for (int c = 0; c < chunks; c++)
        {
            var cut = perBlock[c];
            if (cut == null) { total.Add(parts[c]); continue; }
            ScaledSum part = default;
            long inChunk = Math.Min(BlocksPerChunk, blocks - (long)c * BlocksPerChunk);
            for (int k = 0; k < inChunk; k++) part.Add(cut[k]);
            total.Add(part);
        }
        return default(SumSquaresOp).Finish(total, ot, o);
    }
}
