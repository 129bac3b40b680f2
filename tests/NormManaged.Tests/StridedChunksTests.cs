using Xunit;

namespace NormManaged.Tests;

/// <summary>Long strided float64 vectors split over threads by blocks (BlockDriver.Balanced): the bits must be those of one
/// thread (the block driver's sequential walk) for any thread count, and the exact reference for finite data.</summary>
public unsafe class StridedChunksTests
{
    [Theory]
    [InlineData(2, 600_000, 1)]
    [InlineData(3, 1_000_000, 2)]
    [InlineData(5, 300_000, 3)]
    [InlineData(2, 262_145, 4)]
    public void EveryThreadCountGivesTheSequentialBits(int step, int parent, int seed)
    {
        var rng = new Random(seed);
        var x = new double[parent];
        for (int i = 0; i < parent; i++) x[i] = TwoNormTests.Gaussian(rng);
        int n = (parent + step - 1) / step;
        // blocks at other scales, so blocks take the rescaling and guess-failure paths
        for (int i = 0; i < parent; i += 4096 * step * 7) x[i] = 1e200;
        for (int i = 4096 * step * 3; i < Math.Min(parent, 4096 * step * 4); i++) x[i] *= 1e-300;
        var cases = new List<double[]> { x };
        var nan = (double[])x.Clone(); nan[parent / 2 / step * step] = double.NaN; cases.Add(nan);
        var inf = (double[])x.Clone(); inf[(n - 1) * step] = double.NegativeInfinity; cases.Add(inf);
        foreach (var a in cases)
        {
            double one = Norm(a, n, step, 1);
            if (Array.TrueForAll(a, double.IsFinite))
                Assert.Equal(ExactReference.Norm2(Enumerable.Range(0, n).Select(i => a[i * step])), one);
            foreach (int threads in new[] { 2, 3, 4, 7 })
                Assert.Equal(BitConverter.DoubleToInt64Bits(one), BitConverter.DoubleToInt64Bits(Norm(a, n, step, threads)));
        }
    }

    private static double Norm(double[] a, int n, int step, int threads)
    {
        int old = Parallelism.SetMaxThreads(threads);
        try
        {
            double r;
            fixed (double* p = a)
                VectorNorms.Compute(new NdView(p, DType.Float64, new long[] { n }, new long[] { 8L * step }), 1, Ord.Two,
                    new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
            return r;
        }
        finally { Parallelism.SetMaxThreads(old); }
    }
}
