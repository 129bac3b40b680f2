using NormManaged.Kernels;
using Xunit;

namespace NormManaged.Tests;

/// <summary>The 512-bit and 256-bit forms of the real sum/power loops must give the same bits (the library promises
/// results independent of SIMD width). Runs both on this machine by flipping <see cref="RealKernels.Wide"/>.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class VectorWidthTests
{
    private static double Norm(double[] x, int offset, int n, long stride, double p)
    {
        double r;
        fixed (double* q = x)
        {
            long[] shape = { n }; long[] strides = { stride * 8 };
            VectorNorms.Compute(new NdView(q + offset, DType.Float64, shape, strides), 1, Ord.Of(p),
                new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        }
        return r;
    }

    /// <summary>The block kernels' double-double partials themselves, bit for bit (stronger than the rounded norm).</summary>
    private static void SameBlockPartials(ReadOnlySpan<double> b, double p)
    {
        long[] bits = new long[4];
        for (int w = 0; w < 2; w++)
        {
            RealKernels.Wide = w == 0;
            double h, l;
            if (p == 1 || (p >= 3 && p == Math.Floor(p)))
            {
                var acc = new ScaledSum();
                if (p == 1) RealKernels.AddAbsSum(b, ref acc); else RealKernels.AddIntPowSum(b, (int)p, ref acc);
                h = acc.Hi; l = acc.Lo;
            }
            else if (double.IsInfinity(p)) return;
            else
            {
                var acc = new RealKernels.PowAcc();
                RealKernels.AddRealPowSum(b, p, ref acc);
                h = acc.Hi; l = acc.Lo;
            }
            bits[2 * w] = BitConverter.DoubleToInt64Bits(h); bits[2 * w + 1] = BitConverter.DoubleToInt64Bits(l);
        }
        Assert.Equal(bits[0], bits[2]);
        Assert.Equal(bits[1], bits[3]);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(3.0)]
    [InlineData(4.0)]
    [InlineData(7.0)]
    [InlineData(0.5)]
    [InlineData(1.5)]
    [InlineData(2.5)]
    [InlineData(-0.5)]
    [InlineData(-2.5)]
    [InlineData(double.PositiveInfinity)]
    public void WideAndNarrowLoopsGiveTheSameBits(double p)
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported) return; // nothing to compare on this machine
        var rng = new Random((int)(p * 8) + 100);
        int[] lengths = { 15, 16, 17, 31, 33, 100, 4095, 4096, 4097, 10_000, 70_001 };
        bool saved = RealKernels.Wide;
        try
        {
            foreach (int n in lengths)
                for (int trial = 0; trial < 3; trial++)
                {
                    int stride = trial == 2 ? 2 : 1, off = trial;
                    var x = new double[off + n * stride];
                    int scale = trial switch { 0 => 0, 1 => rng.Next(-1000, 1000), _ => rng.Next(-60, 60) };
                    for (int i = 0; i < x.Length; i++) x[i] = TwoNormTests.Gaussian(rng) * Math.Pow(2, scale) * (rng.Next(50) == 0 ? 1e-30 : 1);
                    if (trial == 1) x[off + rng.Next(n) * stride] = 0;
                    if (stride == 1 && n <= 4096) SameBlockPartials(x.AsSpan(off, n), p);
                    RealKernels.Wide = true;
                    double wide = Norm(x, off, n, stride, p);
                    RealKernels.Wide = false;
                    double narrow = Norm(x, off, n, stride, p);
                    Assert.Equal(BitConverter.DoubleToInt64Bits(narrow), BitConverter.DoubleToInt64Bits(wide));
                    Assert.True(double.IsFinite(wide));
                }
        }
        finally { RealKernels.Wide = saved; }
    }

    [Theory]
    [InlineData(2.0, 300, 37)]
    [InlineData(1.0, 300, 37)]
    [InlineData(2.0, 200, 1003)]
    [InlineData(1.0, 200, 1003)]
    public void ColumnReductionsDoNotDependOnWidthOrThreads(double p, int rows, int cols)
    {
        // C-order rows × cols reduced over axis 0 (the across-outputs kernel): every column must have the bits of
        // the same column reduced alone, for both vector widths and several thread counts.
        var rng = new Random(cols);
        var x = new double[rows * cols];
        for (int i = 0; i < x.Length; i++) x[i] = TwoNormTests.Gaussian(rng) * Math.Pow(2, (i % cols) % 7 == 3 ? -1060 : (i % cols) % 5 * 100 - 200);
        double[]? first = null;
            foreach (var config in EngineKnobs.Configurations())
                {
                    var res = EngineKnobs.With(config, () =>
                    {
                        var r = new double[cols];
                        fixed (double* q = x) fixed (double* o = r)
                        {
                            long[] shape = { rows, cols }, strides = { cols * 8, 8 }, oshape = { cols }, ostr = { 8 };
                            VectorNorms.Compute(new NdView(q, DType.Float64, shape, strides), 1, Ord.Of(p), new NdView(o, DType.Float64, oshape, ostr));
                        }
                        return r;
                    });
                    if (first == null)
                    {
                        first = res;
                        for (int j = 0; j < cols; j++)
                        {
                            double alone = Norm(x, j, rows, cols, p);
                            Assert.Equal(BitConverter.DoubleToInt64Bits(alone), BitConverter.DoubleToInt64Bits(res[j]));
                        }
                    }
                    else Assert.Equal(first, res);
                }
    }

    [Theory]
    [InlineData(1.0, false)]
    [InlineData(1.0, true)]
    [InlineData(double.PositiveInfinity, false)]
    [InlineData(double.PositiveInfinity, true)]
    public void MatrixLineNormsDoNotDependOnWidth(double p, bool fortran)
    {
        // 300 × 517 float64 (lines long enough for the lane loops), values spread over many binades so that the
        // double-double line sums carry real low parts: the stored results must be bit-identical for both widths.
        const int m = 300, n = 517;
        var rng = new Random(fortran ? 5 : 6);
        var x = new double[m * n];
        for (int i = 0; i < x.Length; i++) x[i] = TwoNormTests.Gaussian(rng) * Math.Pow(2, rng.Next(-30, 30));
        long[] shape = { m, n }, strides = fortran ? new long[] { 8, m * 8 } : new long[] { n * 8, 8 };
        var got = new double[2];
        bool saved = RealKernels.Wide;
        try
        {
            for (int w = 0; w < 2; w++)
            {
                RealKernels.Wide = w == 0 && System.Runtime.Intrinsics.X86.Avx512F.IsSupported;
                double r;
                fixed (double* q = x)
                    MatrixNorms.Compute(new NdView(q, DType.Float64, shape, strides), 0, 1, Ord.Of(p),
                        new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
                got[w] = r;
            }
        }
        finally { RealKernels.Wide = saved; }
        Assert.Equal(BitConverter.DoubleToInt64Bits(got[1]), BitConverter.DoubleToInt64Bits(got[0]));
    }

    [Fact]
    public void MaxAbsIsExactAndNaNWinsForBothWidths()
    {
        var rng = new Random(77);
        bool saved = RealKernels.Wide;
        try
        {
            foreach (int n in new[] { 1, 7, 15, 16, 31, 32, 33, 64, 100, 4096, 5000, 300_000 })
                for (int kind = 0; kind < 6; kind++)
                {
                    var x = new double[n];
                    for (int i = 0; i < n; i++) x[i] = TwoNormTests.Gaussian(rng) * Math.Pow(2, rng.Next(-1074, 1000));
                    int at = rng.Next(n);
                    if (kind == 1) x[at] = double.NegativeInfinity;
                    if (kind == 2) x[at] = BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8_0000_0000_0001UL)); // negative NaN, payload
                    if (kind == 3) { x[rng.Next(n)] = double.PositiveInfinity; x[at] = double.NaN; }
                    if (kind == 4) Array.Fill(x, -0.0);
                    if (kind == 5) x[at] = -double.Epsilon;
                    double want = kind is 2 or 3 ? double.NaN : kind == 1 ? double.PositiveInfinity : x.Max(Math.Abs);
                    foreach (bool wide in new[] { true, false })
                    {
                        RealKernels.Wide = wide && System.Runtime.Intrinsics.X86.Avx512F.IsSupported;
                        double got = Norm(x, 0, n, 1, double.PositiveInfinity);
                        Assert.Equal(BitConverter.DoubleToInt64Bits(want), BitConverter.DoubleToInt64Bits(got));
                    }
                }
        }
        finally { RealKernels.Wide = saved; }
    }
}
