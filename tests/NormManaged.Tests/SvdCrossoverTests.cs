using NormManaged.Matrix;
using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>Real ord 2 and nuc around <see cref="SvdNorms.BidiagonalThreshold"/> (Jacobi below, the
/// bidiagonal route from it): matrices with known singular values (random, graded, rank-deficient,
/// clustered, scaled by 2^±990) at every size from 4 to 13 columns, square, tall and wide; stacks
/// give for every matrix the bits of the single-matrix call, in C order, F order and with negative
/// strides, for every thread count and vector width; and Hadamard-column matrices whose singular
/// values are exact.</summary>
[Collection(nameof(EngineKnobsCollection))]
public class SvdCrossoverTests
{
    private static double[] Spectrum(int kind, int k, Random rng) => kind switch
    {
        0 => Enumerable.Range(0, k).Select(_ => 0.5 + rng.NextDouble()).ToArray(),
        1 => Enumerable.Range(0, k).Select(i => Math.Pow(10, -1.5 * i)).ToArray(),
        2 => Enumerable.Range(0, k).Select(i => i < k / 2 ? 1 + rng.NextDouble() : 0).ToArray(),
        _ => Enumerable.Range(0, k).Select(i => 1 - i * 1e-13).ToArray(),
    };

    [Theory]
    [InlineData(4, 4)] [InlineData(5, 5)] [InlineData(6, 6)] [InlineData(7, 7)] [InlineData(8, 8)]
    [InlineData(10, 10)] [InlineData(11, 11)] [InlineData(12, 12)] [InlineData(13, 13)]
    [InlineData(9, 6)] [InlineData(6, 9)] [InlineData(8, 5)] [InlineData(14, 11)] [InlineData(7, 12)]
    public void KnownSpectraAtEverySizeAroundTheThreshold(int m, int n)
    {
        var rng = new Random(31 * m + n);
        int k = Math.Min(m, n);
        const int count = 12;
        var stack = new double[count * m * n];
        var want2 = new double[count];
        var wantNuc = new double[count];
        for (int t = 0; t < count; t++)
        {
            var s = Spectrum(t % 4, k, rng);
            // an exact power-of-two scale keeps the relative errors: 1, 2^990, 2^-990
            double f = (t / 4) switch { 0 => 1, 1 => Math.ScaleB(1, 990), _ => Math.ScaleB(1, -990) };
            var a = WithSingularValues(m, n, s, rng);
            for (int i = 0; i < m * n; i++) stack[t * m * n + i] = a[i] * f;
            want2[t] = s.Max() * f;
            wantNuc[t] = s.Sum() * f;
        }
        foreach (var ord in new[] { Ord.Of(2), Ord.Nuc })
        {
            var single = new double[count];
            for (int t = 0; t < count; t++)
            {
                single[t] = Norm(stack.AsSpan(t * m * n, m * n).ToArray(), m, n, ord);
                double want = ord.Kind == OrdKind.Nuclear ? wantNuc[t] : want2[t];
                // the construction's own rounding is ~1e-16 relative (the clustered kind's spectrum included)
                Assert.True(RelErr(single[t], want) < (ord.Kind == OrdKind.Nuclear ? 1e-14 : 4e-15),
                    $"{m}x{n} {ord} #{t}: {single[t]:R} want {want:R}");
            }
            var shape = new long[] { count, m, n };
            // C order, then the same matrices transposed in memory (F order), then with negated row and column strides
            var fdata = new double[stack.Length];
            for (int t = 0; t < count; t++)
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) fdata[t * m * n + j * m + i] = stack[t * m * n + i * n + j];
            var rev = new double[stack.Length];
            for (int t = 0; t < count; t++)
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) rev[t * m * n + (m - 1 - i) * n + (n - 1 - j)] = stack[t * m * n + i * n + j];
            foreach (var c in EngineKnobs.Configurations())
            {
                var views = new[]
                {
                    EngineKnobs.With(c, () => Batch(stack, shape, null, 0, 1, 2, ord)),
                    EngineKnobs.With(c, () => Batch(fdata, shape, new long[] { (long)m * n, 1, m }, 0, 1, 2, ord)),
                    EngineKnobs.With(c, () => Batch(rev, shape, new long[] { (long)m * n, -n, -1 }, (long)m * n - 1, 1, 2, ord)),
                };
                foreach (var got in views)
                    for (int t = 0; t < count; t++)
                        Assert.True(BitConverter.DoubleToInt64Bits(got[t]) == BitConverter.DoubleToInt64Bits(single[t]),
                            $"{m}x{n} {ord} wide {c.Wide} threads {c.Threads} #{t}: {got[t]:R} vs {single[t]:R}");
            }
        }
    }

    /// <summary>Columns j of a 16×16 Sylvester–Hadamard matrix times integers d_j: orthogonal columns,
    /// so the singular values are exactly 4·|d_j|; rows negated at random keep that.</summary>
    [Theory]
    [InlineData(5)] [InlineData(6)] [InlineData(7)] [InlineData(9)] [InlineData(11)] [InlineData(12)]
    public void HadamardColumnsHaveExactSingularValues(int n)
    {
        var rng = new Random(n);
        const int m = 16;
        int[] cols = Enumerable.Range(0, m).OrderBy(_ => rng.Next()).Take(n).ToArray();
        int[] d = Enumerable.Range(0, n).Select(_ => rng.Next(1, 1000) * (rng.Next(2) * 2 - 1)).ToArray();
        var a = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            int sign = rng.Next(2) * 2 - 1;
            for (int j = 0; j < n; j++)
                a[i * n + j] = sign * d[j] * (System.Numerics.BitOperations.PopCount((uint)(i & cols[j])) % 2 == 0 ? 1 : -1);
        }
        double smax = 4.0 * d.Max(Math.Abs), nuc = 4.0 * d.Sum(Math.Abs);
        Assert.Equal(smax, Norm(a, m, n, Ord.Of(2)));
        Assert.True(RelErr(Norm(a, m, n, Ord.Nuc), nuc) < 4e-16 * n);
        // the transpose (wide), same values
        var at = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) at[j * m + i] = a[i * n + j];
        Assert.Equal(smax, Norm(at, n, m, Ord.Of(2)));
        Assert.True(RelErr(Norm(at, n, m, Ord.Nuc), nuc) < 4e-16 * n);
    }
}
