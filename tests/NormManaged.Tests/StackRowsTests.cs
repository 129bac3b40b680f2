using Xunit;

namespace NormManaged.Tests;

/// <summary>The float64 2-norm of many short contiguous rows (axis=-1 of a C-order (count, n) array, the rows of a stack
/// of small matrices): rows go eight at a time (two lane groups in one loop, transposed when n is a multiple of four),
/// then four, then one. Every row must be the exact (big-integer) norm rounded once and the bits of the same row
/// reduced alone, for row lengths around the 4-element transpose and the 64-element long-row switch, counts around
/// the groups of four and eight, rows outside the fast exponent range (huge, tiny, subnormal), zero rows, NaN and ±∞,
/// both vector widths and 1–3 threads.</summary>
[Collection(nameof(EngineKnobsCollection))]
public class StackRowsTests
{
    /// <summary>Even groups of eight rows hold only rows in the fast range (the eight-row loop computes them), odd ones
    /// also rows beyond it (the fallbacks).</summary>
    private static double Entry(Random rng, int row, int scale) => ((row / 8) % 2 == 0 ? new[] { 0, 1, 4, 5 }[row % 4] : row % 6) switch
    {
        0 => MatrixTestUtil.Gaussian(rng) * Math.ScaleB(1.0, scale),
        1 => SmallLineLanesTests.Regime(rng, rng.Next(4), scale),
        2 => MatrixTestUtil.Gaussian(rng) * Math.ScaleB(1.0, 600 + rng.Next(300)),  // beyond the fast range
        3 => MatrixTestUtil.Gaussian(rng) * Math.ScaleB(1.0, -1060 + rng.Next(300)), // tiny and subnormal
        4 => rng.Next(3) == 0 ? 0 : MatrixTestUtil.Gaussian(rng),
        _ => MatrixTestUtil.Gaussian(rng) * 1e-3,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(12)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(20)]
    [InlineData(32)]
    [InlineData(63)]
    public unsafe void RowsAreCorrectlyRoundedAndTheRowAlone(int n)
    {
        var rng = new Random(600 + n);
        foreach (int count in new[] { 2, 4, 7, 8, 9, 15, 16, 17, 24, 33 })
        {
            var data = new double[count * n];
            for (int r = 0; r < count; r++)
            {
                int scale = rng.Next(-400, 400);
                for (int j = 0; j < n; j++) data[r * n + j] = Entry(rng, r, scale);
            }
            if (count > 8)
            {
                data[(count - 1) * n + n / 2] = double.NaN;
                data[(count - 2) * n] = double.NegativeInfinity;
                Array.Clear(data, (count - 3) * n, n);
            }
            var want = new double[count];
            for (int r = 0; r < count; r++)
            {
                var row = data.AsSpan(r * n, n).ToArray();
                want[r] = row.Any(double.IsNaN) ? double.NaN : row.Any(double.IsInfinity) ? double.PositiveInfinity : ExactReference.Norm2(row);
                Assert.True(want[r].Equals(TwoNormTests.StridedNorm(row, 0, n, 1)), $"n={n} row {r} alone");
            }
            foreach (var cfg in EngineKnobs.Configurations())
            {
                var got = EngineKnobs.With(cfg, () =>
                {
                    var o = new double[count];
                    fixed (double* p = data, q = o)
                        VectorNorms.Compute(new NdView(p, DType.Float64, new long[] { count, n }, new long[] { 8L * n, 8 }), 2, Ord.Two,
                            new NdView(q, DType.Float64, new long[] { count }, new long[] { 8 }));
                    return o;
                });
                for (int r = 0; r < count; r++)
                    Assert.True(want[r].Equals(got[r]), $"n={n} count={count} row {r} {cfg}: {got[r]:R} vs exact {want[r]:R}");
            }
        }
    }
}
