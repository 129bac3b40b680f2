using NormManaged.Matrix;
using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>The singular-value norms read a matrix whose rows are contiguous through 4×4 register transposes
/// (<c>SvdNorms.TransposeRows</c>) and one whose columns are contiguous element by element: the same matrix held
/// in C and in Fortran order (either orientation, every shape 1–13 × 1–13 around the 4-blocks, a stack of them,
/// zeros and entries of ±1e±300) must give the same bits for ord 2, −2 and nuc.</summary>
public unsafe class SvdGatherTests
{
    [Fact]
    public void RowAndColumnOrderGiveTheSameBits()
    {
        var rng = new Random(17);
        foreach (var ord in new[] { Ord.Of(2), Ord.Of(-2), Ord.Nuc })
            for (int m = 1; m <= 13; m++)
                for (int n = 1; n <= 13; n++)
                {
                    const int k = 3;
                    var a = new double[k * m * n];
                    for (int i = 0; i < a.Length; i++) a[i] = Gaussian(rng) * Math.ScaleB(1.0, rng.Next(-4, 5));
                    if (m * n > 1 && rng.Next(4) == 0) a[rng.Next(a.Length)] = rng.Next(3) switch { 0 => 1e300, 1 => -1e-300, _ => 0 };
                    var c = Batch(a, new long[] { k, m, n }, null, 0, 1, 2, ord);
                    // the same matrices in Fortran order: element (s, i, j) at s·m·n + j·m + i
                    var f = new double[a.Length];
                    for (int s = 0; s < k; s++)
                        for (int i = 0; i < m; i++)
                            for (int j = 0; j < n; j++) f[s * m * n + j * m + i] = a[s * m * n + i * n + j];
                    var g = Batch(f, new long[] { k, m, n }, new long[] { m * n, 1, m }, 0, 1, 2, ord);
                    for (int s = 0; s < k; s++)
                        Assert.True(BitConverter.DoubleToInt64Bits(c[s]) == BitConverter.DoubleToInt64Bits(g[s]),
                            $"{m}×{n} matrix {s} ord {ord}: C {c[s]:R} F {g[s]:R}");
                }
    }
}
