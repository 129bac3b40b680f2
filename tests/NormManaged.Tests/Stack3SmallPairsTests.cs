using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>Real 3×3 stacks (Matrix/Stack3.cs) whose two smaller singular values lie 2⁻²⁵⁰ … 2⁻³⁹⁵ below the
/// largest: the lane Jacobi kernel keeps them (no entry below 2⁻⁴⁵⁰, σ_min above 2⁻⁴⁰⁰), and the rotation of that pair
/// works with d = β − α and 2γ near 2⁻⁵⁰⁰ … 2⁻⁸⁰⁰, whose squares underflow. D·Q and Q·D (Q orthogonal) have the known
/// singular values |dᵢ| to ≈ n·u; σ_min came out up to tens of percent off when the tangent was formed from the
/// underflowed d² + 4γ². Every configuration (vector width, threads) gives the same bits.</summary>
public class Stack3SmallPairsTests
{
    [Fact]
    public void SmallPairsHaveTheirKnownSigmaMinInEveryLaneAndWidth()
    {
        var rng = new Random(2718);
        const int count = 131; // not a multiple of 4 or 8: a padded tail group
        var data = new double[9 * count];
        var want = new double[count];
        for (int c = 0; c < count; c++)
        {
            double d1 = Math.ScaleB(1 + rng.NextDouble(), -250 - rng.Next(140));
            double d2 = d1 * Math.ScaleB(1 + rng.NextDouble(), -rng.Next(6));
            var d = new[] { 1 + rng.NextDouble(), d1, d2 };
            var q = Orthogonal(3, rng);
            bool rows = c % 2 == 0;
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++) data[9 * c + 3 * i + j] = rows ? d[i] * q[i, j] : q[i, j] * d[j];
            want[c] = Math.Min(d1, d2);
        }
        double[]? first = null;
        foreach (var config in EngineKnobs.Configurations())
        {
            var smin = EngineKnobs.With(config, () => Batch(data, new long[] { count, 3, 3 }, null, 0, 1, 2, Ord.Of(-2)));
            for (int c = 0; c < count; c++)
                Assert.True(RelErr(smin[c], want[c]) < 1e-13, $"{config} {c}: smin {smin[c]:R} vs {want[c]:R}");
            first ??= smin;
            Assert.Equal(first, smin);
        }
    }
}
