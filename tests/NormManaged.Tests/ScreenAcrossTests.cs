using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>float64 matrix ±∞ (and, with the axes swapped, ±1) norms of matrices side by side with long streamed lines
/// (axes (0, 1) of a C-order (m, n, count) array, n ≥ 16): the screen's plain sums eight matrices at a time, then each
/// matrix decided alone. Every result is the exact (big-integer) line sums' max/min rounded once — random data of any
/// scale with subnormals, lines of equal sums (the screen cannot decide: the full pass), rounding midpoints a
/// double-double cannot resolve, NaN/∞/overflow, zeros — for counts around the group of eight, both vector widths
/// and 1–3 threads.</summary>
[Collection(nameof(EngineKnobsCollection))]
public class ScreenAcrossTests
{
    private static readonly double Tiny = Math.ScaleB(1.0, -60), Big = Math.ScaleB(1.0, 60);

    internal static double Entry(Random rng, int k, int i, int j, int m, int n, int scale)
    {
        double s = Math.ScaleB(1.0, scale / 2);
        switch (k % 6)
        {
            case 0: return SmallLineLanesTests.Regime(rng, j, scale);
            case 1: return rng.Next(2) == 0 ? s : -s; // every line the same sum
            case 2:
                {
                    // rows 0 and 1: 2⁶⁰ + 128 + 2⁻⁶⁰ (just above a midpoint) and 2⁶⁰ + 128 (the midpoint), in either order
                    int above = (k / 6) % 2, row = i == above ? 0 : i == 1 - above ? 1 : 2;
                    if (row == 2) return rng.NextDouble() * Math.ScaleB(s, -80);
                    double[] line = row == 0 ? new[] { Big, 128, Tiny } : new[] { Big, 128 };
                    int at = Array.IndexOf(Enumerable.Range(0, line.Length).Select(q => (q * 7 + i) % n).ToArray(), j);
                    return at >= 0 ? line[at] * s : 0;
                }
            case 3: return Math.ScaleB(rng.NextDouble() + 0.5, scale + (rng.Next(8) == 0 ? -rng.Next(60, 130) : rng.Next(0, 3)));
            case 4:
                if (i == m / 2 && j == n / 3) return (k / 6) % 3 == 0 ? double.NaN : (k / 6) % 3 == 1 ? double.NegativeInfinity : double.MaxValue;
                return i == m - 1 ? double.MaxValue / 2 : Gaussian(rng);
            default: return 0;
        }
    }

    [Theory]
    [InlineData(2, 16)]
    [InlineData(5, 40)]
    [InlineData(19, 17)]
    [InlineData(50, 60)]
    public void SideBySideStreamedLinesAreCorrectlyRounded(int m, int n)
    {
        var rng = new Random(m * 1000 + n);
        foreach (int count in new[] { 8, 9, 15, 16, 17, 70 })
        {
            var data = new double[m * n * count];
            for (int k = 0; k < count; k++)
            {
                int scale = rng.Next(-1000, 900);
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                        data[(i * n + j) * count + k] = Entry(rng, k, i, j, m, n, scale);
            }
            // axes (0, 1): rows along axis 0; (1, 0): rows along axis 1, so the columns are the streamed axis-1 lines
            AssertExactStack((k, i, j) => data[(i * n + j) * count + k], m, n, count, null,
                new[] { (Inf, (0, 1)), (NegInf, (0, 1)), (Ord.Of(1), (1, 0)), (Ord.Of(-1), (1, 0)) }, data);
        }
    }

    /// <summary>Every matrix k of the (m, n, count) stack in <paramref name="data"/> (element strides
    /// <paramref name="strides"/>, C order when null; element (i, j) of matrix k is at(k, i, j)) against its exact
    /// reference, for each (ord, axes) case and every engine configuration.</summary>
    internal static void AssertExactStack(Func<int, int, int, double> at, int m, int n, int count, long[]? strides,
        (Ord, (int, int))[] cases, double[] data)
    {
        foreach (var (o, axes) in cases)
        {
            var want = new double[count];
            for (int k = 0; k < count; k++)
            {
                int kk = k;
                want[k] = axes.Item1 == 0 ? MatrixLineNormTests.NonFiniteReference((i, j) => at(kk, i, j), m, n, o)
                    : MatrixLineNormTests.NonFiniteReference((i, j) => at(kk, j, i), n, m, o);
            }
            foreach (var cfg in EngineKnobs.Configurations())
            {
                var got = EngineKnobs.With(cfg, () => Batch(data, new long[] { m, n, count }, strides, 0, axes.Item1, axes.Item2, o));
                for (int k = 0; k < count; k++)
                    Assert.True(want[k].Equals(got[k]), $"({m},{n},{count}) axes {axes} matrix {k} ord={o.P} {cfg}: {got[k]:R} vs exact {want[k]:R}");
            }
        }
    }
}
