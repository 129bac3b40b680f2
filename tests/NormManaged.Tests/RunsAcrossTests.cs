using NormManaged.Kernels;
using Xunit;

namespace NormManaged.Tests;

/// <summary><c>axis=(0, 2)</c> of C-order 3-D float64 arrays (the RunsAcross kernel): every output must be the
/// correctly rounded norm (exact big-integer reference) and have the bits of the same reduction done alone, for
/// every thread count and vector width.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class RunsAcrossTests
{
    [Theory]
    [InlineData(2.0, 30, 20, 16)]
    [InlineData(2.0, 40, 37, 45)]
    [InlineData(1.0, 40, 37, 45)]
    [InlineData(2.0, 100, 100, 100)]
    [InlineData(1.0, 13, 300, 70)]
    [InlineData(2.0, 90, 40, 100)]
    [InlineData(1.0, 90, 40, 100)]
    [InlineData(2.0, 200, 20, 33)]
    public void MatchesExactAndAlone(double p, int a, int m, int k)
    {
        var rng = new Random(a * 7 + m + k);
        var x = new double[a * m * k];
        for (int i = 0; i < a; i++)
            for (int j = 0; j < m; j++)
                for (int q = 0; q < k; q++)
                {
                    int kind = j % 13;
                    double scale = kind switch
                    {
                        0 => 1e-300, 1 => 1e300, 2 => 1e-160, 3 => 1e160,
                        9 => i < a / 2 ? 1 : 1e10,            // growing: later offset chunks are rejected
                        10 => i < a / 3 ? 1 : 1e-14,          // a tiny tail far below the running scale
                        11 => i < 5 ? 0 : 1,                  // zero start
                        12 => i == a - 1 && q == k / 2 ? 1e9 : 1, // one big element late
                        _ => 1
                    };
                    x[(i * m + j) * k + q] = kind == 4 && (i + q) % 3 == 0 ? 0 : TwoNormTests.Gaussian(rng) * scale;
                }
        if (m > 7) { x[(1 * m + 5) * k + 3] = double.NaN; x[(0 * m + 6) * k + 1] = double.NegativeInfinity; x[(2 * m + 7) * k] = double.MaxValue; }
        long[] shape = { a, m, k }, strides = { (long)m * k * 8, k * 8, 8 }, oshape = { m }, ostr = { 8 };
        double[]? first = null;
            foreach (var config in EngineKnobs.Configurations())
                {
                    var res = EngineKnobs.With(config, () =>
                    {
                        var r = new double[m];
                        fixed (double* q = x) fixed (double* o = r)
                            VectorNorms.Compute(new NdView(q, DType.Float64, shape, strides), 0b101, Ord.Of(p), new NdView(o, DType.Float64, oshape, ostr));
                        return r;
                    });
                    if (first != null)
                    {
                        for (int j = 0; j < m; j++) Assert.Equal(BitConverter.DoubleToInt64Bits(first[j]), BitConverter.DoubleToInt64Bits(res[j]));
                        continue;
                    }
                    first = res;
                    for (int j = 0; j < m; j++)
                    {
                        var col = new double[a * k];
                        for (int i = 0; i < a; i++) for (int q = 0; q < k; q++) col[i * k + q] = x[(i * m + j) * k + q];
                        // alone: the same elements as one contiguous vector (the general driver's block path)
                        double alone;
                        fixed (double* q = col)
                        {
                            long[] s1 = { col.Length }, st1 = { 8 };
                            VectorNorms.Compute(new NdView(q, DType.Float64, s1, st1), 1, Ord.Of(p),
                                new NdView(&alone, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
                        }
                        Assert.Equal(BitConverter.DoubleToInt64Bits(alone), BitConverter.DoubleToInt64Bits(res[j]));
                        if (!Array.TrueForAll(col, double.IsFinite)) continue;
                        double want;
                        if (p == 2) want = ExactReference.Norm2(col);
                        else
                        {
                            var (sum, e) = PNormReference.PowSum(col.Select(TestArray.Dyadic), 1);
                            want = PNormReference.ToDouble(PNormReference.Root(sum, e, 1, PNormReference.Format.Double));
                        }
                        Assert.Equal(BitConverter.DoubleToInt64Bits(want), BitConverter.DoubleToInt64Bits(res[j]));
                    }
                }
    }
}
