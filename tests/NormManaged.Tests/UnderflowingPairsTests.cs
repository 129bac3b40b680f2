using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>σ_min of D·Q and Q·D (Q orthogonal) whose smaller singular values lie so far below the largest that the
/// Jacobi quantities of their column pairs underflow: the known value min |dᵢ| to ≈ n·u, in every configuration (vector
/// width, threads) with the same bits. Real 3×3 stacks with two values 2⁻²⁵⁰ … 2⁻³⁹⁵ down stay on the lane kernel
/// (Matrix/Stack3.cs), where d = β − α and 2γ near 2⁻⁵⁰⁰ … 2⁻⁸⁰⁰ have underflowing squares (the tangent came from
/// u = |d|: σ_min up to tens of percent off); n×n gradings over 2⁰ … 2⁻¹⁰⁰⁰ run the general kernel
/// (Matrix/SvdKernel.cs) with the largest entry at 2²⁰⁰, where the small columns' squared norms and dot products
/// underflow (pairs skipped or misrotated: up to 150 % off).</summary>
[Collection(nameof(EngineKnobsCollection))]
public class UnderflowingPairsTests
{
    /// <summary>D·Q (even c) or Q·D (odd c) for <paramref name="count"/> draws of D, all σ_min checked in one stack.</summary>
    private static void KnownSigmaMin(int n, int count, Random rng, Func<double[]> drawD)
    {
        var data = new double[count * n * n];
        var want = new double[count];
        for (int c = 0; c < count; c++)
        {
            var d = drawD();
            var q = Orthogonal(n, rng);
            bool rows = c % 2 == 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) data[c * n * n + n * i + j] = rows ? d[i] * q[i, j] : q[i, j] * d[j];
            want[c] = d.Min();
        }
        double[]? first = null;
        foreach (var config in EngineKnobs.Configurations())
        {
            var smin = EngineKnobs.With(config, () => Batch(data, new long[] { count, n, n }, null, 0, 1, 2, Ord.Of(-2)));
            for (int c = 0; c < count; c++)
                Assert.True(RelErr(smin[c], want[c]) < 1e-13, $"{config} n={n} {c}: smin {smin[c]:R} vs {want[c]:R}");
            first ??= smin;
            Assert.Equal(first, smin);
        }
    }

    [Fact]
    public void Stack3SmallPairsKeepSigmaMinInEveryLane()
    {
        var rng = new Random(2718);
        // 131: not a multiple of 4 or 8, a padded tail group
        KnownSigmaMin(3, 131, rng, () =>
        {
            double d1 = Math.ScaleB(1 + rng.NextDouble(), -250 - rng.Next(140));
            return new[] { 1 + rng.NextDouble(), d1, d1 * Math.ScaleB(1 + rng.NextDouble(), -rng.Next(6)) };
        });
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(9)]
    public void GradingsOverTwoToTheThousandKeepSigmaMin(int n)
    {
        var rng = new Random(1000 + n);
        KnownSigmaMin(n, 24, rng, () => Enumerable.Range(0, n).Select(_ => Math.ScaleB(1 + rng.NextDouble(), -rng.Next(1000))).ToArray());
    }
}
