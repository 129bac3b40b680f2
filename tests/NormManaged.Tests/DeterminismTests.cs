using System.Numerics;
using Xunit;

namespace NormManaged.Tests;

/// <summary>Bit-identical results whatever the thread count or alignment, and exactness across many blocks and chunks.</summary>
public unsafe class DeterminismTests
{
    private static readonly double[] Ords = { 2, 1, 3, 4, double.PositiveInfinity, double.NegativeInfinity, 0, 2.5, 0.5, 7.3, -1.5 };

    private static double[] Data(int n, int seed)
    {
        var rng = new Random(seed);
        var a = new double[n];
        for (int i = 0; i < n; i++) a[i] = TwoNormTests.Gaussian(rng) * Math.Pow(2, rng.Next(-30, 30));
        return a;
    }

    private static double Norm(byte* p, long n, long strideBytes, double ord)
    {
        long[] shape = { n }; long[] strides = { strideBytes };
        double r;
        VectorNorms.Compute(new NdView(p, DType.Float64, shape, strides), 1, Ord.Of(ord),
            new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        return r;
    }

    private static T WithThreads<T>(int n, Func<T> f)
    {
        int old = Parallelism.SetMaxThreads(n);
        try { return f(); } finally { Parallelism.SetMaxThreads(old); }
    }

    [Fact]
    public void LargeReductionIsIdenticalForEveryThreadCountAndAlignment()
    {
        const int n = 600_000; // three chunks of 64 blocks
        var x = Data(n, 1);
        var bytes = new byte[n * 8 + 16];
        foreach (double ord in Ords)
        {
            long want = 0;
            bool first = true;
            foreach (int threads in new[] { 1, 2, 3, 8 })
                foreach (int offset in new[] { 0, 8, 4, 3 })
                {
                    Buffer.BlockCopy(x, 0, bytes, offset, n * 8);
                    double r = WithThreads(threads, () => { fixed (byte* b = bytes) return Norm(b + offset, n, 8, ord); });
                    long bits = BitConverter.DoubleToInt64Bits(r);
                    if (first) { want = bits; first = false; }
                    Assert.True(want == bits, $"ord {ord} threads {threads} offset {offset}: {r:R} vs {BitConverter.Int64BitsToDouble(want):R}");
                }
        }
    }

    [Fact]
    public void LargeReductionsAreCorrectlyRounded()
    {
        const int n = 600_000;
        var x = Data(n, 2);
        fixed (double* p0 = x)
        {
            nint p = (nint)p0;
            Assert.Equal(ExactReference.Norm2(x), WithThreads(2, () => Norm((byte*)p, n, 8, 2)));
            foreach (int ip in new[] { 1, 3 })
            {
                var (s, e) = PNormReference.PowSum(x.Select(v => TestArray.Dyadic(v)), ip);
                double want = PNormReference.ToDouble(PNormReference.Root(s, e, ip, PNormReference.Format.Double));
                Assert.Equal(want, WithThreads(2, () => Norm((byte*)p, n, 8, ip)));
                Assert.Equal(want, WithThreads(1, () => Norm((byte*)p, n, 8, ip)));
            }
            // strided and reversed walks see the same elements in a different order: still correctly rounded
            var odd = x.Where((_, i) => i % 3 == 0).ToArray();
            Assert.Equal(ExactReference.Norm2(odd), Norm((byte*)p, odd.Length, 24, 2));
            Assert.Equal(ExactReference.Norm2(x), Norm((byte*)(p0 + n - 1), n, -8, 2));
        }
    }

    [Fact]
    public void ManyOutputsAreIdenticalForEveryThreadCount()
    {
        const int R = 300, C = 1000;
        var x = Data(R * C, 3);
        foreach (double ord in Ords)
            foreach (int axis in new[] { 0, 1 })
            {
                int outs = axis == 0 ? C : R;
                double[] Run(int threads) => WithThreads(threads, () =>
                {
                    var res = new double[outs];
                    fixed (double* p = x) fixed (double* o = res)
                    {
                        long[] shape = { R, C }; long[] strides = { C * 8, 8 };
                        long[] oshape = { outs }; long[] ostr = { 8 };
                        VectorNorms.Compute(new NdView(p, DType.Float64, shape, strides), 1UL << axis, Ord.Of(ord), new NdView(o, DType.Float64, oshape, ostr));
                    }
                    return res;
                });
                var one = Run(1);
                Assert.Equal(one, Run(2));
                Assert.Equal(one, Run(5));
                // every output equals its own 1-D reduction
                fixed (double* p = x)
                    for (int k = 0; k < outs; k += 97)
                    {
                        double single = axis == 0 ? Norm((byte*)(p + k), R, C * 8, ord) : Norm((byte*)(p + k * C), C, 8, ord);
                        Assert.Equal(BitConverter.DoubleToInt64Bits(single), BitConverter.DoubleToInt64Bits(one[k]));
                    }
            }
    }

    [Fact]
    public void ColumnReductionsHandleExtremeColumns()
    {
        // C-order 50×40, reduce axis 0: the across-outputs kernel with columns that overflow, underflow, NaN, inf, zero.
        const int R = 50, C = 40;
        var rng = new Random(8);
        var x = new double[R * C];
        double[] scales = { 1, 1e200, 1e-200, 1e-310, 1e300, 0, 1, 1e-160 };
        for (int i = 0; i < R; i++)
            for (int j = 0; j < C; j++)
                x[i * C + j] = TwoNormTests.Gaussian(rng) * scales[j % scales.Length];
        x[7 * C + 6] = double.NaN; x[9 * C + 14] = double.PositiveInfinity; x[3 * C + 22] = double.NaN; x[4 * C + 22] = double.NegativeInfinity;
        foreach (double ord in new[] { 2.0, 1.0 })
        {
            var res = new double[C];
            fixed (double* p = x) fixed (double* o = res)
            {
                long[] shape = { R, C }; long[] strides = { C * 8, 8 };
                long[] oshape = { C }; long[] ostr = { 8 };
                VectorNorms.Compute(new NdView(p, DType.Float64, shape, strides), 1, Ord.Of(ord), new NdView(o, DType.Float64, oshape, ostr));
            }
            for (int j = 0; j < C; j++)
            {
                var col = Enumerable.Range(0, R).Select(i => x[i * C + j]).ToArray();
                double want;
                if (col.Any(double.IsNaN)) want = double.NaN;
                else if (col.Any(double.IsInfinity)) want = double.PositiveInfinity;
                else if (ord == 2) want = ExactReference.Norm2(col);
                else
                {
                    var (sum, e) = PNormReference.PowSum(col.Select(TestArray.Dyadic), 1);
                    want = PNormReference.ToDouble(PNormReference.Root(sum, e, 1, PNormReference.Format.Double));
                }
                Assert.True(want.Equals(res[j]), $"ord {ord} column {j}: got {res[j]:R} want {want:R}");
            }
        }
    }
}
