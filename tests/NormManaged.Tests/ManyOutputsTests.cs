using Xunit;

namespace NormManaged.Tests;

/// <summary>Many short reductions in one call (stacks of small matrices, short rows): every output must be
/// the bits of the same reduction done alone, and correctly rounded, whatever the thread count.</summary>
public unsafe class ManyOutputsTests
{
    /// <summary>The float64 vector norm of <paramref name="row"/> reduced alone (1-D, contiguous): the reference the
    /// many-output kernels must reproduce bit for bit.</summary>
    internal static double Alone(double[] row, Ord? ord = null)
    {
        double r;
        fixed (double* p = row)
        {
            long[] shape = { row.Length }; long[] strides = { 8 };
            VectorNorms.Compute(new NdView(p, DType.Float64, shape, strides), 1, ord ?? Ord.Two,
                new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        }
        return r;
    }

    private static double[] Rows(int count, int n, int seed)
    {
        var rng = new Random(seed);
        var a = new double[count * n];
        for (int k = 0; k < count; k++)
        {
            int kind = rng.Next(12);
            int scale = kind switch { 0 => rng.Next(-1074, -900), 1 => rng.Next(900, 1023), 2 => rng.Next(-460, -440), 3 => rng.Next(440, 460), _ => rng.Next(-40, 40) };
            for (int i = 0; i < n; i++)
            {
                double v = TwoNormTests.Gaussian(rng) * Math.Pow(2, scale);
                if (kind == 4 && rng.Next(3) == 0) v = 0;
                a[k * n + i] = v;
            }
            if (kind == 5) a[k * n + rng.Next(n)] = double.NaN;
            if (kind == 6) a[k * n + rng.Next(n)] = double.NegativeInfinity;
            if (kind == 7) Array.Clear(a, k * n, n);
            if (kind == 8) a[k * n + rng.Next(n)] = double.MaxValue; // largest element far above the rest
        }
        return a;
    }

    [Theory]
    [InlineData(1, 3, 3)]   // (count, rows, cols) of a stack reduced over its last two axes
    [InlineData(2, 1, 7)]
    [InlineData(3, 3, 5)]
    [InlineData(4, 1, 16)]
    [InlineData(5, 5, 10)]
    public void StackOfSmallMatricesMatchesEachMatrixAlone(int seed, int rows, int cols)
    {
        int n = rows * cols, count = 40_000; // above the parallel threshold
        var a = Rows(count, n, seed);
        long[] shape = { count, rows, cols }, strides = { n * 8, cols * 8, 8 };
        long[] oshape = { count }, ostr = { 8 };
        var got = new double[count];
        foreach (int threads in new[] { 1, 2, 3 })
        {
            int old = Parallelism.SetMaxThreads(threads);
            try
            {
                fixed (double* p = a) fixed (double* o = got)
                    VectorNorms.Compute(new NdView(p, DType.Float64, shape, strides), 0b110, Ord.Two, new NdView(o, DType.Float64, oshape, ostr));
            }
            finally { Parallelism.SetMaxThreads(old); }
            for (int k = 0; k < count; k += threads == 1 ? 1 : 7)
            {
                var row = a.AsSpan(k * n, n).ToArray();
                double alone = Alone(row);
                Assert.Equal(BitConverter.DoubleToInt64Bits(alone), BitConverter.DoubleToInt64Bits(got[k]));
                if (threads == 1 && k % 13 == 0 && Array.TrueForAll(row, double.IsFinite))
                    Assert.Equal(ExactReference.Norm2(row), got[k]);
            }
        }
    }

    [Fact]
    public void StridedStackAndKeptAxesInAnyOrderMatchAlone()
    {
        // (4, 50, 3, 3) stack viewed with the first kept axis reversed and every other matrix skipped,
        // reducing axes 2 and 3: two kept axes, non-unit outer strides, negative outer stride.
        const int a0 = 4, a1 = 100, n = 9;
        var a = Rows(a0 * a1, n, 11);
        long[] shape = { a0, a1 / 2, 3, 3 };
        long[] strides = { -(long)a1 * n * 8, 2L * n * 8, 24, 8 };
        long[] oshape = { a0, a1 / 2 }, ostr = { a1 / 2 * 8, 8 };
        var got = new double[a0 * a1 / 2];
        fixed (double* p = a) fixed (double* o = got)
            VectorNorms.Compute(new NdView(p + (a0 - 1) * a1 * n, DType.Float64, shape, strides), 0b1100, Ord.Two, new NdView(o, DType.Float64, oshape, ostr));
        for (int i = 0; i < a0; i++)
            for (int j = 0; j < a1 / 2; j++)
            {
                int m = (a0 - 1 - i) * a1 + 2 * j;
                double alone = Alone(a.AsSpan(m * n, n).ToArray());
                Assert.Equal(BitConverter.DoubleToInt64Bits(alone), BitConverter.DoubleToInt64Bits(got[i * (a1 / 2) + j]));
            }
    }
}
