using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>float64 matrix ±1 / ±∞ norms over two axes of an N-D array whose kept axis is contiguous (e.g. axes (0, 1)
/// of a C-order (50, 60, 70) array) take one matrix per vector lane when the per-matrix path would sum lines in index
/// order. Every count around the 4-lane / 16-matrix pass boundaries, short and long lines, both axis orders, NaN/±∞,
/// zeros, subnormals, overflow and near-ties: each result is the exact (big-integer) line sums' max/min rounded once,
/// for both vector widths and 1–3 threads.</summary>
[Collection(nameof(EngineKnobsCollection))]
public class AcrossMatricesTests
{
    private static readonly Ord[] LineOrds = { Ord.Of(1), Ord.Of(-1), Inf, NegInf };

    [Theory]
    [InlineData(3, 5)]
    [InlineData(17, 2)]
    [InlineData(20, 30)]
    [InlineData(40, 7)]
    [InlineData(1, 9)]
    [InlineData(9, 1)]
    public void SideBySideMatricesAreCorrectlyRounded(int d0, int d1)
    {
        var rng = new Random(d0 * 100 + d1);
        foreach (int count in new[] { 4, 5, 7, 15, 16, 17, 20, 33, 70 })
        {
            // C-order (d0, d1, count): matrix k is x[:, :, k], rows d0 apart by d1·count elements
            var data = new double[d0 * d1 * count];
            for (int k = 0; k < count; k++)
            {
                int scale = rng.Next(-1074, 970);
                for (int i = 0; i < d0; i++)
                    for (int j = 0; j < d1; j++)
                        data[(i * d1 + j) * count + k] = SmallLineLanesTests.Regime(rng, k, scale);
            }
            double At(int k, int i, int j) => data[(i * d1 + j) * count + k];
            void Set(int k, int i, int j, double v) => data[(i * d1 + j) * count + k] = v;
            if (count > 6)
            {
                Set(2, rng.Next(d0), rng.Next(d1), double.NaN);
                Set(count - 1, rng.Next(d0), rng.Next(d1), double.NaN);
                Set(3, rng.Next(d0), rng.Next(d1), double.NegativeInfinity);
                for (int j = 0; j < d1; j++) Set(5, 0, j, double.MaxValue);
                for (int i = 0; i < d0; i++) Set(6, i, 0, double.MaxValue);
            }
            for (int i = 0; i < d0; i++) for (int j = 0; j < d1; j++) Set(1, i, j, 0);
            foreach (var o in LineOrds)
                foreach (var (r, c) in new[] { (0, 1), (1, 0) })
                {
                    // axes (r, c): rows along axis r
                    int m = r == 0 ? d0 : d1, n = r == 0 ? d1 : d0;
                    var want = new double[count];
                    for (int k = 0; k < count; k++)
                    {
                        int kk = k;
                        want[k] = MatrixLineNormTests.NonFiniteReference((i, j) => r == 0 ? At(kk, i, j) : At(kk, j, i), m, n, o);
                    }
                    foreach (var cfg in EngineKnobs.Configurations())
                    {
                        var got = EngineKnobs.With(cfg, () => Batch(data, new long[] { d0, d1, count }, null, 0, r, c, o));
                        for (int k = 0; k < count; k++)
                            Assert.True(want[k].Equals(got[k]), $"({d0},{d1},{count}) axes ({r},{c}) matrix {k} ord={o.P} {cfg}: {got[k]:R} vs exact {want[k]:R}");
                    }
                }
        }
    }

    [Fact]
    public void LargeBatchSplitOverThreadsIsExact()
    {
        // (60, 70, 70): 294 000 elements, enough for the passes to be spread over the workers
        int d0 = 60, d1 = 70, count = 70;
        var rng = new Random(77);
        var data = Enumerable.Range(0, d0 * d1 * count).Select(_ => Gaussian(rng) * Math.Pow(2, rng.Next(-20, 20))).ToArray();
        data[(5 * d1 + 3) * count + 40] = double.NaN;
        double At(int k, int i, int j) => data[(i * d1 + j) * count + k];
        foreach (var o in LineOrds)
        {
            var want = new double[count];
            for (int k = 0; k < count; k++) { int kk = k; want[k] = MatrixLineNormTests.NonFiniteReference((i, j) => At(kk, i, j), d0, d1, o); }
            foreach (var cfg in EngineKnobs.Configurations())
            {
                var got = EngineKnobs.With(cfg, () => Batch(data, new long[] { d0, d1, count }, null, 0, 0, 1, o));
                for (int k = 0; k < count; k++)
                    Assert.True(want[k].Equals(got[k]), $"matrix {k} ord={o.P} {cfg}: {got[k]:R} vs exact {want[k]:R}");
            }
        }
    }
}
