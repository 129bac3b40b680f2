using NormManaged.Matrix;
using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>The bidiagonal reduction cut into two parts run on one or two threads: the bidiagonal
/// (d, e, the kept right reflectors) is bit-identical for both thread counts and has the
/// singular values of the input, and the norms built on it are bit-identical for every thread
/// count and vector width.</summary>
public unsafe class SvdThreadsTests
{
    private static double[] Padded(double[] rowMajor, int m, int n)
    {
        int ld = Bidiagonalize.LeadingDimension(m);
        var a = new double[ld * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) a[j * ld + i] = rowMajor[i * n + j];
        return a;
    }

    private static double[] Reduce(double[] src, int m, int n, int threads, int splitFrom)
    {
        var a = (double[])src.Clone();
        var w = new double[Bidiagonalize.WorkSize(m, n)];
        var rt = new double[Bidiagonalize.RightReflectorsSize(n)];
        int saved = Bidiagonalize.SplitFrom;
        Bidiagonalize.SplitFrom = splitFrom;
        try { fixed (double* pa = a, pw = w, pr = rt) Bidiagonalize.Reduce(pa, m, n, pw, pr, threads); }
        finally { Bidiagonalize.SplitFrom = saved; }
        return w.Take(2 * n - 1).Concat(rt).ToArray();
    }

    [Theory]
    [InlineData(130, 130)]
    [InlineData(301, 129)]
    [InlineData(97, 96)]
    [InlineData(260, 250)]
    public void SplitReductionIsBitIdenticalForOneAndTwoThreads(int m, int n)
    {
        var rng = new Random(m * 7 + n);
        var rowMajor = Enumerable.Range(0, m * n).Select(_ => Gaussian(rng) * Math.Pow(2, rng.Next(-8, 8))).ToArray();
        var src = Padded(rowMajor, m, n);
        var serial = Reduce(src, m, n, 1, 2);
        // the split bidiagonal has the input's singular values (as SvdBidiagonalizeTests)
        var b = new double[n * n];
        for (int i = 0; i < n; i++) { b[i * n + i] = serial[i]; if (i < n - 1) b[i * n + i + 1] = serial[n + i]; }
        var want = SingularValues.Of(rowMajor, m, n);
        var sv = SingularValues.Of(b, n, n);
        for (int i = 0; i < n; i++)
            Assert.True(Math.Abs(sv[i] - want[i]) <= 8 * n * 1.1e-16 * want[0], $"σ{i}: {sv[i]:R} vs {want[i]:R}");
        foreach (int threads in new[] { 1, 2 })
            for (int rep = 0; rep < 3; rep++)
            {
                var got = Reduce(src, m, n, threads, 2);
                for (int i = 0; i < serial.Length; i++)
                    Assert.True(BitConverter.DoubleToInt64Bits(serial[i]) == BitConverter.DoubleToInt64Bits(got[i]),
                        $"threads {threads} entry {i}: {got[i]:R} vs {serial[i]:R}");
            }
    }

    [Fact]
    public void LargeMatrixNormsAreIdenticalForEveryThreadCountAndWidth()
    {
        const int m = 320, n = 300;
        var rng = new Random(11);
        var a = Enumerable.Range(0, m * n).Select(_ => Gaussian(rng)).ToArray();
        foreach (var ord in new[] { Ord.Of(2), Ord.Nuc })
        {
            long want = 0;
            bool first = true;
            foreach (var c in EngineKnobs.Configurations())
            {
                double r = EngineKnobs.With(c, () => Norm(a, m, n, ord));
                long bits = BitConverter.DoubleToInt64Bits(r);
                if (first) { want = bits; first = false; }
                Assert.True(want == bits, $"{ord} wide {c.Wide} threads {c.Threads}: {r:R} vs {BitConverter.Int64BitsToDouble(want):R}");
            }
        }
    }
}
