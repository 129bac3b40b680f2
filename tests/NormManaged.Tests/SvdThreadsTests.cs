using NormManaged.Matrix;
using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>The bidiagonal reduction cut into two parts run on one or two threads: the bidiagonal
/// (d, e, the kept right reflectors) is bit-identical for both thread counts and has the
/// singular values of the input, and the norms built on it are bit-identical for every thread
/// count and vector width.</summary>
[Collection(nameof(EngineKnobsCollection))]
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

    private static double[] ReduceTall(double[] src, int m, int n, int threads, int block)
    {
        var a = (double[])src.Clone();
        int savedBlock = Bidiagonalize.QrBlock;
        Bidiagonalize.QrBlock = block;
        var w = new double[Bidiagonalize.WorkSize(m, n)];
        var rt = new double[Bidiagonalize.RightReflectorsSize(n)];
        try { fixed (double* pa = a, pw = w, pr = rt) Bidiagonalize.Reduce(pa, m, n, pw, pr, threads); }
        finally { Bidiagonalize.QrBlock = savedBlock; }
        // the padding rows are zero again (the buffer is reused for the next matrix of a stack)
        int ld = Bidiagonalize.LeadingDimension(m);
        for (int j = 0; j < n; j++) for (int i = m; i < ld; i++) Assert.Equal(0.0, a[j * ld + i]);
        return w.Take(2 * n - 1).Concat(rt).ToArray();
    }

    /// <summary>Tall matrices go through Householder QR first: the bidiagonal of R has the input's
    /// singular values, and the blocked QR gives the same bits for every panel width (1 = the
    /// unblocked algorithm) and thread count.</summary>
    [Theory]
    [InlineData(200, 40)]
    [InlineData(9, 5)]
    [InlineData(100, 8)]
    [InlineData(61, 20)]
    [InlineData(333, 100)]
    [InlineData(260, 130)]
    public void QrRouteKeepsTheSingularValuesAndIsBitIdenticalForEveryBlockAndThreadCount(int m, int n)
    {
        Assert.True(Bidiagonalize.QrFirst(m, n));
        var rng = new Random(m * 13 + n);
        var rowMajor = Enumerable.Range(0, m * n).Select(_ => Gaussian(rng) * Math.Pow(2, rng.Next(-8, 8))).ToArray();
        var src = Padded(rowMajor, m, n);
        var want0 = ReduceTall(src, m, n, 1, 1);
        var b = new double[n * n];
        for (int i = 0; i < n; i++) { b[i * n + i] = want0[i]; if (i < n - 1) b[i * n + i + 1] = want0[n + i]; }
        var want = SingularValues.Of(rowMajor, m, n);
        var sv = SingularValues.Of(b, n, n);
        for (int i = 0; i < n; i++)
            Assert.True(Math.Abs(sv[i] - want[i]) <= 8 * n * 1.1e-16 * want[0], $"σ{i}: {sv[i]:R} vs {want[i]:R}");
        foreach (int block in new[] { 1, 7, 32 })
            foreach (int threads in new[] { 1, 2 })
            {
                var got = ReduceTall(src, m, n, threads, block);
                for (int i = 0; i < want0.Length; i++)
                    Assert.True(BitConverter.DoubleToInt64Bits(want0[i]) == BitConverter.DoubleToInt64Bits(got[i]),
                        $"block {block} threads {threads} entry {i}: {got[i]:R} vs {want0[i]:R}");
            }
    }

    /// <summary>The complex reduction cut into parts gives the same bits (d, e, the kept phases and right
    /// reflectors) for one and two threads (the cut depends on n only; t = A·w adds the two parts' partial products
    /// in a fixed order), and the same bidiagonal as the uncut reduction up to rounding.</summary>
    [Theory]
    [InlineData(150, 100)]
    [InlineData(71, 66)]
    [InlineData(80, 80)]
    [InlineData(3, 3)]
    [InlineData(9, 4)]
    public void ComplexSplitReductionIsBitIdenticalToTheSerialOne(int m, int n)
    {
        var rng = new Random(m * 5 + n);
        var src = Enumerable.Range(0, 2 * m * n).Select(_ => Gaussian(rng)).ToArray();
        double[] Run(int threads, int splitFrom)
        {
            var a = (double[])src.Clone();
            var w = new double[ComplexBidiagonal.WorkSize(m, n)];
            var keep = new double[SigmaMaxBidiagonal.ComplexKeepSize(n)];
            int saved = ComplexBidiagonal.SplitFrom;
            ComplexBidiagonal.SplitFrom = splitFrom;
            try { fixed (double* pa = a, pw = w, pk = keep) ComplexBidiagonal.Reduce(pa, m, n, pw, pk, threads); }
            finally { ComplexBidiagonal.SplitFrom = saved; }
            return w.Take(2 * n - 1).Concat(keep).ToArray();
        }
        var uncut = Run(1, int.MaxValue);
        var serial = Run(1, 2);
        double top = uncut.Take(2 * n - 1).Max();
        for (int i = 0; i < 2 * n - 1; i++)
            Assert.True(Math.Abs(serial[i] - uncut[i]) <= 1e-13 * top, $"cut vs uncut entry {i}: {serial[i]:R} vs {uncut[i]:R}");
        foreach (int threads in new[] { 1, 2 })
            for (int rep = 0; rep < 3; rep++)
            {
                var got = Run(threads, 2);
                for (int i = 0; i < serial.Length; i++)
                    Assert.True(BitConverter.DoubleToInt64Bits(serial[i]) == BitConverter.DoubleToInt64Bits(got[i]),
                        $"threads {threads} entry {i}: {got[i]:R} vs {serial[i]:R}");
            }
    }

    [Fact]
    public void LargeMatrixNormsAreIdenticalForEveryThreadCountAndWidth()
    {
        foreach (var (m, n) in new[] { (320, 300), (500, 130) })
        foreach (var ord in new[] { Ord.Of(2), Ord.Nuc })
        {
            var rng = new Random(11 + m);
            var a = Enumerable.Range(0, m * n).Select(_ => Gaussian(rng)).ToArray();
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

    [Theory]
    [InlineData(120, 100)]
    [InlineData(300, 300)]
    [InlineData(261, 200)]
    public void LargeComplexMatrixNormsAreIdenticalForEveryThreadCountAndWidth(int m, int n)
    {
        var rng = new Random(17 + m);
        var a = Enumerable.Range(0, m * n).Select(_ => new System.Numerics.Complex(Gaussian(rng), Gaussian(rng))).ToArray();
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
