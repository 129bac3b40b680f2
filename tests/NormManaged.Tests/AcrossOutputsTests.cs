using Xunit;

namespace NormManaged.Tests;

/// <summary><c>axis=0</c> of C-order and <c>axis=1</c> of Fortran-order float64 matrices (the AcrossOutputs kernel: one
/// lane per output, TwoSum for the first rows, offset accumulators per 64-row chunk with a TwoSum redo of a rejected
/// chunk): every output must be the correctly rounded norm (exact reference) and the bits of the same column reduced
/// alone, for both widths and 1–3 threads. Columns include scale jumps mid-column and a big element late in the
/// column (rejected chunks), zero starts, tiny chunks after large ones, NaN/∞, 1e±300 and subnormal scales.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class AcrossOutputsTests
{
    private static double[] Matrix(int m, int n, int seed)
    {
        var rng = new Random(seed);
        var a = new double[m * n];
        for (int j = 0; j < n; j++)
        {
            int kind = rng.Next(14);
            double scale = kind switch { 0 => 1e-300, 1 => 1e300, 2 => 1e-160, 3 => 1e160, 4 => 1e-320, _ => Math.Pow(2, rng.Next(-40, 40)) };
            for (int i = 0; i < m; i++) a[i * n + j] = TwoNormTests.Gaussian(rng) * scale;
            switch (kind)
            {
                case 5: a[(m - 1 - rng.Next(3)) * n + j] *= Math.Pow(2, rng.Next(10, 60)); break;       // late big element
                case 6: for (int i = 0; i < Math.Min(m, 40); i++) a[i * n + j] = 0; break;             // zero start
                case 7: for (int i = m / 2; i < m; i++) a[i * n + j] *= 1e-12; break;                    // tiny tail
                case 8: for (int i = m / 3; i < m; i++) a[i * n + j] *= 1e8; break;                      // growing
                case 9: a[rng.Next(m) * n + j] = double.NaN; break;
                case 10: a[rng.Next(m) * n + j] = double.PositiveInfinity; break;
                case 11: for (int i = 0; i < m; i++) a[i * n + j] = 0; break;
                case 12: for (int i = 20; i < m; i += 2) a[i * n + j] = 0; break;                       // sparse
            }
        }
        return a;
    }

    [Theory]
    [InlineData(2.0, 17, 40, 1)]
    [InlineData(2.0, 80, 33, 2)]
    [InlineData(2.0, 300, 70, 3)]
    [InlineData(1.0, 300, 70, 4)]
    [InlineData(2.0, 1000, 100, 5)]
    [InlineData(1.0, 1000, 100, 6)]
    [InlineData(2.0, 500, 600, 7)]
    [InlineData(2.0, 4, 3001, 8)]
    [InlineData(1.0, 4, 3001, 9)]
    [InlineData(2.0, 2, 37, 10)]
    [InlineData(1.0, 3, 1030, 11)]
    [InlineData(1.0, 16, 1027, 12)]
    [InlineData(2.0, 17, 21, 13)]
    [InlineData(2.0, 64, 1000, 14)]
    public void MatchesExactAndAloneForEveryWidthAndThreadCount(double p, int m, int n, int seed)
    {
        var a = Matrix(m, n, seed);
        var want = new long[n];
        for (int j = 0; j < n; j++)
        {
            var col = new double[m];
            for (int i = 0; i < m; i++) col[i] = a[i * n + j];
            double alone;
            fixed (double* q = col)
                VectorNorms.Compute(new NdView(q, DType.Float64, new long[] { m }, new long[] { 8 }), 1, Ord.Of(p),
                    new NdView(&alone, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
            want[j] = BitConverter.DoubleToInt64Bits(alone);
            if (!Array.TrueForAll(col, double.IsFinite)) continue;
            double exact = p == 2 ? ExactReference.Norm2(col) : MatrixTestUtil.ExactAbsSum(col);
            Assert.Equal(BitConverter.DoubleToInt64Bits(exact), want[j]);
        }
        foreach (var c in EngineKnobs.Configurations())
        {
            // C order, axis 0; and the transpose viewed as Fortran order (same memory), axis 1
            var gotC = EngineKnobs.With(c, () => Reduce(a, new long[] { m, n }, new long[] { n * 8, 8 }, 0b01, p));
            var gotF = EngineKnobs.With(c, () => Reduce(a, new long[] { n, m }, new long[] { 8, n * 8 }, 0b10, p));
            // strided outputs (every other double): the four-at-a-time finish stores them one by one
            var gotS = EngineKnobs.With(c, () => Reduce(a, new long[] { m, n }, new long[] { n * 8, 8 }, 0b01, p, 2));
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(want[j], BitConverter.DoubleToInt64Bits(gotC[j]));
                Assert.Equal(want[j], BitConverter.DoubleToInt64Bits(gotF[j]));
                Assert.Equal(want[j], BitConverter.DoubleToInt64Bits(gotS[2 * j]));
            }
        }
    }

    private static double[] Reduce(double[] a, long[] shape, long[] strides, ulong mask, double p, int outStep = 1)
    {
        int outs = (int)(mask == 0b01 ? shape[1] : shape[0]);
        var got = new double[outs * outStep];
        fixed (double* q = a) fixed (double* o = got)
            VectorNorms.Compute(new NdView(q, DType.Float64, shape, strides), mask, Ord.Of(p),
                new NdView(o, DType.Float64, new long[] { outs }, new long[] { 8 * outStep }));
        return got;
    }
}
