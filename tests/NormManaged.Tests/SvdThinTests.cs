using NormManaged.Matrix;
using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>The interleaved kernels of the thin-matrix paths give exactly the bits of the one-at-a-time
/// kernels they replace: <see cref="Blas1.Dot4"/> against four <see cref="Blas1.Dot"/> calls, and the
/// paired column sweep of <see cref="SigmaMaxRefine.RayleighReal"/> against one
/// <see cref="SigmaMaxRefine.AccumulateReal"/> per column; lengths around every lane boundary, entries
/// spread over 2^±300, odd and even column counts, unaligned starts; and the column-wise vectorised complex LU
/// of the σ_max refinement against the row-by-row scalar loop it replaced (n = 1..33, zero pivots).</summary>
public unsafe class SvdThinTests
{
    private static double[] Values(Random rng, int len)
        => Enumerable.Range(0, len).Select(_ => Gaussian(rng) * Math.Pow(2, rng.Next(-300, 300))).ToArray();

    [Fact]
    public void Dot4HasTheBitsOfFourDots()
    {
        var rng = new Random(3);
        for (int n = 0; n <= 41; n++)
            for (int off = 0; off < 3; off++)
            {
                var v = Values(rng, 5 * (n + 3));
                fixed (double* p = v)
                {
                    double* y = p + off, x0 = y + n + 3, x1 = x0 + n + 3, x2 = x1 + n + 3, x3 = x2 + n + 3;
                    Blas1.Dot4(x0, x1, x2, x3, y, n, out double d0, out double d1, out double d2, out double d3);
                    Assert.Equal(BitConverter.DoubleToInt64Bits(Blas1.Dot(x0, y, n)), BitConverter.DoubleToInt64Bits(d0));
                    Assert.Equal(BitConverter.DoubleToInt64Bits(Blas1.Dot(x1, y, n)), BitConverter.DoubleToInt64Bits(d1));
                    Assert.Equal(BitConverter.DoubleToInt64Bits(Blas1.Dot(x2, y, n)), BitConverter.DoubleToInt64Bits(d2));
                    Assert.Equal(BitConverter.DoubleToInt64Bits(Blas1.Dot(x3, y, n)), BitConverter.DoubleToInt64Bits(d3));
                }
            }
    }

    [Fact]
    public void PairedRayleighSweepHasTheBitsOfOneColumnAtATime()
    {
        var rng = new Random(4);
        foreach (int m in new[] { 1, 3, 4, 5, 8, 13, 64, 301 })
            foreach (int n in new[] { 1, 2, 3, 7, 8 })
            {
                var a = Enumerable.Range(0, m * n).Select(_ => Gaussian(rng)).ToArray();
                var x = Enumerable.Range(0, n).Select(_ => Gaussian(rng) * Math.Pow(2, rng.Next(-20, 20))).ToArray();
                var acc = new double[2 * m];
                var acc1 = new double[2 * m];
                fixed (double* pa = a, px = x, pc = acc, pc1 = acc1)
                {
                    double got = SigmaMaxRefine.RayleighReal(pa, m, n, px, pc, out double gotLo);
                    for (int j = 0; j < n; j++) SigmaMaxRefine.AccumulateReal(pa + j * m, m, px[j], pc1);
                    double want = SigmaMaxRefine.FinishReal(m, n, px, pc1, out double wantLo);
                    Assert.Equal(BitConverter.DoubleToInt64Bits(want), BitConverter.DoubleToInt64Bits(got));
                    Assert.Equal(BitConverter.DoubleToInt64Bits(wantLo), BitConverter.DoubleToInt64Bits(gotLo));
                    for (int i = 0; i < 2 * m; i++)
                        Assert.Equal(BitConverter.DoubleToInt64Bits(acc1[i]), BitConverter.DoubleToInt64Bits(acc[i]));
                }
            }
    }

    /// <summary>The old row-by-row scalar complex LU of SigmaMaxRefine.Factor (the reference for the
    /// column-wise vectorised one).</summary>
    private static int ScalarComplexLu(double* g, int n, double* piv, double tiny)
    {
        int small = 0;
        double smallBound = Math.ScaleB(tiny, 30);
        for (int k = 0; k < n; k++)
        {
            int p = k;
            double best = -1;
            for (int i = k; i < n; i++)
            {
                double v = Math.Abs(g[2 * (i + k * n)]) + Math.Abs(g[2 * (i + k * n) + 1]);
                if (v > best) { best = v; p = i; }
            }
            piv[k] = p;
            if (p != k)
                for (int j = 0; j < n; j++)
                {
                    double* u = g + 2 * (k + j * n), w = g + 2 * (p + j * n);
                    (u[0], w[0]) = (w[0], u[0]);
                    (u[1], w[1]) = (w[1], u[1]);
                }
            double* d = g + 2 * (k + k * n);
            if (d[0] == 0 && d[1] == 0) d[0] = tiny;
            if (Math.Abs(d[0]) + Math.Abs(d[1]) < smallBound) small++;
            double sc = Math.Max(Math.Abs(d[0]), Math.Abs(d[1]));
            double d0 = d[0] / sc, d1 = d[1] / sc, den = (d0 * d0 + d1 * d1) * sc;
            double ir = d0 / den, ii = -d1 / den;
            for (int i = k + 1; i < n; i++)
            {
                double* l = g + 2 * (i + k * n);
                double lr = l[0] * ir - l[1] * ii, li = l[0] * ii + l[1] * ir;
                l[0] = lr; l[1] = li;
                for (int j = k + 1; j < n; j++)
                {
                    double* u = g + 2 * (k + j * n), t = g + 2 * (i + j * n);
                    t[0] -= lr * u[0] - li * u[1];
                    t[1] -= lr * u[1] + li * u[0];
                }
            }
        }
        return small;
    }

    [Fact]
    public void ComplexLuHasTheBitsOfTheRowByRowLoop()
    {
        var rng = new Random(5);
        for (int n = 1; n <= 33; n++)
            for (int trial = 0; trial < 3; trial++)
            {
                var g = Enumerable.Range(0, 2 * n * n).Select(_ => Gaussian(rng) * Math.Pow(2, rng.Next(-30, 30))).ToArray();
                if (trial == 2 && n > 2) for (int i = 0; i < 2 * n; i++) g[i] = 0;   // a zero column: the tiny pivot
                var want = (double[])g.Clone();
                var pw = new double[n]; var pg = new double[n];
                fixed (double* a = g, b = want, p1 = pg, p2 = pw)
                {
                    int sg = SigmaMaxRefine.Factor(a, n, p1, 1e-300);
                    int sw = ScalarComplexLu(b, n, p2, 1e-300);
                    Assert.Equal(sw, sg);
                }
                Assert.Equal(pw, pg);
                for (int i = 0; i < g.Length; i++)
                    Assert.True(BitConverter.DoubleToInt64Bits(want[i]) == BitConverter.DoubleToInt64Bits(g[i]), $"n {n} trial {trial} entry {i}: {g[i]:R} vs {want[i]:R}");
            }
    }
}
