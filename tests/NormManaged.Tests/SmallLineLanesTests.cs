using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>float64 matrices with short lines (≤ 15 elements summed) and eight or more lines take four lines per lane
/// group (up to 16 lines per pass, the last groups overlapping). Stacks of every small shape, C / Fortran / reversed and
/// spaced layouts, with NaN, ±∞, zeros, subnormals, overflowing lines and near-tied lines: each matrix's result is the
/// exact (big-integer) line sums' max/min rounded once, for both vector widths and 1–3 threads.</summary>
[Collection(nameof(EngineKnobsCollection))]
public class SmallLineLanesTests
{
    private static readonly Ord[] LineOrds = { Ord.Of(1), Ord.Of(-1), Inf, NegInf };

    /// <summary>An element of test matrix k: one regime per matrix. Exponents span at most ~50 bits within a matrix
    /// (<paramref name="scale"/> ± 25): a term below 2⁻¹⁰⁶ of a sum that sits on a rounding midpoint is past the
    /// double-double's documented near-tie limit (the per-line scalar path has the same limit).</summary>
    internal static double Regime(Random rng, int k, int scale) => (k % 4) switch
    {
        0 => Gaussian(rng) * Math.Pow(2, scale + rng.Next(-25, 25)),                       // any scale, subnormals too
        1 => rng.Next(3) == 0 ? rng.Next(-3, 4) : 1 + Math.ScaleB(rng.Next(-4, 5), -60),  // ties, near-ties below an ulp
        2 => rng.Next(2) == 0 ? rng.Next(-3, 4) : double.Epsilon * rng.Next(0, 9),        // exact sums with subnormal parts
        _ => Gaussian(rng),
    };

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void StacksOfShortLinesAreCorrectlyRounded(int layout)
    {
        var rng = new Random(70 + layout);
        int[] sides = { 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 20, 33 };
        foreach (int m in sides)
            foreach (int n in sides)
            {
                if (m > 15 && n > 15) continue; // no short line either way
                const int count = 12;
                int size = m * n;
                var data = new double[2 * count * size + 2];
                Array.Fill(data, double.NaN); // elements outside every matrix: a stray read shows as NaN
                // matrix k starts at element base + k·step (layout 2: every other element, walked backwards)
                long rs = layout switch { 0 => n, 1 => 1, _ => -2L * n };
                long cs = layout switch { 0 => 1, 1 => m, _ => -2 };
                long step = layout == 2 ? -2L * size : size;
                long off = layout == 2 ? data.Length - 2 : 0;
                long Index(int k, int i, int j) => off + k * step + i * rs + j * cs;
                for (int k = 0; k < count; k++)
                {
                    int scale = rng.Next(-1074, 970);
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++)
                            data[Index(k, i, j)] = Regime(rng, k, scale);
                }
                // specials in some matrices (the first matrices of the stack are left finite)
                data[Index(3, rng.Next(m), rng.Next(n))] = double.NaN;
                data[Index(5, rng.Next(m), rng.Next(n))] = double.NegativeInfinity;
                data[Index(6, rng.Next(m), rng.Next(n))] = double.NaN;
                data[Index(6, rng.Next(m), rng.Next(n))] = double.PositiveInfinity;
                for (int j = 0; j < n; j++) data[Index(7, 0, j)] = double.MaxValue; // overflowing rows
                for (int i = 0; i < m; i++) data[Index(8, i, 0)] = double.MaxValue; // overflowing column
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) data[Index(9, i, j)] = 0;
                foreach (var o in LineOrds)
                {
                    var want = new double[count];
                    for (int k = 0; k < count; k++) want[k] = MatrixLineNormTests.NonFiniteReference((i, j) => data[Index(k, i, j)], m, n, o);
                    foreach (var c in EngineKnobs.Configurations())
                    {
                        var got = EngineKnobs.With(c, () => Batch(data, new long[] { count, m, n }, new[] { step, rs, cs }, off, 1, 2, o));
                        for (int k = 0; k < count; k++)
                            Assert.True(want[k].Equals(got[k]), $"{m}x{n} layout {layout} matrix {k} ord={o.P} {c}: {got[k]:R} vs exact {want[k]:R}");
                    }
                }
            }
    }
}
