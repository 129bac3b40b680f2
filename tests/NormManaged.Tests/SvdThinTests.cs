using NormManaged.Matrix;
using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>The interleaved kernels of the thin-matrix paths give exactly the bits of the one-at-a-time
/// kernels they replace: <see cref="Blas1.Dot4"/> against four <see cref="Blas1.Dot"/> calls, and the
/// paired column sweep of <see cref="SigmaMaxRefine.RayleighReal"/> against one
/// <see cref="SigmaMaxRefine.AccumulateReal"/> per column; lengths around every lane boundary, entries
/// spread over 2^±300, odd and even column counts, unaligned starts.</summary>
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
}
