using NormManaged.Matrix;
using Xunit;

namespace NormManaged.Tests;

/// <summary>The LU of σ_max's refinement (<see cref="SigmaMaxRefine.FactorReal"/>) updates the trailing matrix
/// column by column in vectors: factors, pivots and the small-pivot count must have the bits of the row-by-row
/// elimination it replaces (written out below), for orders 1–40 around the 4-lanes, with zero and tiny pivots,
/// exactly singular and graded matrices.</summary>
public unsafe class RefineFactorTests
{
    private static int RowOrder(double* g, int n, double* piv, double tiny)
    {
        int small = 0;
        double smallBound = Math.ScaleB(tiny, 30);
        for (int k = 0; k < n; k++)
        {
            int p = k;
            double best = -1;
            for (int i = k; i < n; i++) { double v = Math.Abs(g[i + k * n]); if (v > best) { best = v; p = i; } }
            piv[k] = p;
            if (p != k)
                for (int j = 0; j < n; j++) (g[k + j * n], g[p + j * n]) = (g[p + j * n], g[k + j * n]);
            double d = g[k + k * n];
            if (d == 0) d = g[k + k * n] = tiny;
            if (Math.Abs(d) < smallBound) small++;
            for (int i = k + 1; i < n; i++)
            {
                double l = g[i + k * n] / d;
                g[i + k * n] = l;
                for (int j = k + 1; j < n; j++) g[i + j * n] -= l * g[k + j * n];
            }
        }
        return small;
    }

    [Fact]
    public void ColumnUpdatesHaveTheBitsOfRowUpdates()
    {
        var rng = new Random(12);
        double tiny = Math.ScaleB(1.0, -600);
        for (int trial = 0; trial < 1500; trial++)
        {
            int n = 1 + trial % 40;
            var a = new double[n * n];
            int kind = trial / 40 % 4;
            for (int i = 0; i < a.Length; i++)
                a[i] = kind switch
                {
                    0 => TwoNormTests.Gaussian(rng),
                    1 => rng.Next(-2, 3),                                            // zero pivots, singular
                    2 => TwoNormTests.Gaussian(rng) * Math.ScaleB(1.0, rng.Next(-300, 300)),
                    _ => i % (n + 1) == 0 ? 1 + 1e-14 * rng.Next(-2, 3) : 1,         // AᵀA − σ²I-like, near singular
                };
            var b = (double[])a.Clone();
            var pa = new double[n];
            var pb = new double[n];
            fixed (double* ga = a, gb = b, qa = pa, qb = pb)
            {
                int sa = RowOrder(ga, n, qa, tiny);
                int sb = SigmaMaxRefine.FactorReal(gb, n, qb, tiny);
                Assert.Equal(sa, sb);
            }
            Assert.Equal(pa, pb);
            for (int i = 0; i < a.Length; i++)
                Assert.True(BitConverter.DoubleToInt64Bits(a[i]) == BitConverter.DoubleToInt64Bits(b[i]), $"n={n} kind {kind} entry {i}: {a[i]:R} vs {b[i]:R}");
        }
    }
}
