using System.Numerics;
using Xunit;

namespace NormManaged.Tests;

/// <summary>Matrix ±1 / ±∞ norms whose best line sum is a float64 rounding midpoint that a double-double cannot
/// resolve: a line 2⁶⁰ + 128 + 2⁻⁶⁰ (just above the midpoint between 2⁶⁰ and 2⁶⁰ + 256: its low word rounds
/// 128 + 2⁻⁶⁰ to 128) next to a line 2⁶⁰ + 128 (the midpoint itself, rounding to the even 2⁶⁰), on lines longer than
/// the short-line kernels take. The max must round up, the min to even, whatever the layout, width or thread count;
/// random wide-range matrices are compared with BigInteger sums.</summary>
[Collection(nameof(EngineKnobsCollection))]
public class MatrixLineTiesTests
{
    private static readonly double Tiny = Math.ScaleB(1.0, -60), Big = Math.ScaleB(1.0, 60);

    /// <summary>Exact Σ|a| of a line times 2^1100.</summary>
    private static BigInteger Sum(IEnumerable<double> line)
    {
        BigInteger s = BigInteger.Zero;
        foreach (double v in line)
        {
            var (m, e) = ExactReference.Split(Math.Abs(v));
            s += m << (e + 1100);
        }
        return s;
    }

    /// <summary>The float64 nearest to q·2⁻¹¹⁰⁰ (q ≥ 0), ties to even.</summary>
    private static double Round(BigInteger q)
    {
        if (q.IsZero) return 0;
        int bits = (int)q.GetBitLength();
        int shift = Math.Max(0, bits - 53);
        BigInteger top = q >> shift, rest = q - (top << shift);
        BigInteger half = shift == 0 ? BigInteger.Zero : BigInteger.One << (shift - 1);
        if (shift > 0 && (rest > half || (rest == half && !top.IsEven))) top += 1;
        return Math.ScaleB((double)top, shift - 1100);
    }

    private static double Expected(double[] a, int m, int n, Ord ord)
    {
        bool rows = double.IsInfinity(ord.P);
        var sums = Enumerable.Range(0, rows ? m : n)
            .Select(l => Sum(Enumerable.Range(0, rows ? n : m).Select(k => rows ? a[l * n + k] : a[k * n + l]))).ToList();
        return Round(ord.P > 0 ? sums.Max() : sums.Min());
    }

    private static void Check(double[] a, int m, int n)
    {
        foreach (var ord in new[] { Ord.Of(1), Ord.Of(-1), MatrixTestUtil.Inf, MatrixTestUtil.NegInf })
        {
            double want = Expected(a, m, n, ord);
            foreach (var c in EngineKnobs.Configurations())
            {
                Assert.Equal(want, EngineKnobs.With(c, () => MatrixTestUtil.Norm(a, m, n, ord)));
                // F order (the same matrix), and a stack of three with it in the middle (per-matrix path)
                var f = new double[m * n];
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) f[j * m + i] = a[i * n + j];
                Assert.Equal(want, EngineKnobs.With(c, () => MatrixTestUtil.Batch(f, new long[] { m, n }, new long[] { 1, m }, 0, 0, 1, ord)[0]));
                var st = new double[3 * m * n];
                for (int i = 0; i < m * n; i++) { st[i] = a[i] * 0.5; st[m * n + i] = a[i]; st[2 * m * n + i] = a[i] * 0.25; }
                Assert.Equal(want, EngineKnobs.With(c, () => MatrixTestUtil.Batch(st, new long[] { 3, m, n }, null, 0, 1, 2, ord)[1]));
            }
        }
    }

    [Theory]
    [InlineData(-900)]
    [InlineData(0)]
    [InlineData(900)]
    public void MidpointLinesRoundCorrectly(int scale)
    {
        double s = Math.ScaleB(1.0, scale);
        const int len = 20;
        double[] above = { Big, 128, Tiny }, tie = { Big, 128 }, below = { Big, Math.BitDecrement(128.0), Tiny };
        foreach (var pair in new[] { (above, tie), (tie, above), (tie, tie), (above, above), (below, tie), (tie, below) })
        {
            // the two lines as rows of a 2×len matrix (ord ±∞), padded with zeros; its transpose gives columns (ord ±1)
            var a = new double[2 * len];
            for (int k = 0; k < pair.Item1.Length; k++) a[(k * 7) % len] = pair.Item1[k] * s * (k % 2 == 0 ? 1 : -1);
            for (int k = 0; k < pair.Item2.Length; k++) a[len + (k * 3) % len] = pair.Item2[k] * s;
            Check(a, 2, len);
            var t = new double[2 * len];
            for (int i = 0; i < 2; i++) for (int j = 0; j < len; j++) t[j * 2 + i] = a[i * len + j];
            Check(t, len, 2);
        }
    }

    [Fact]
    public void LargeMatricesSplitOverThreads()
    {
        // 600 lines of 600: the parallel screened branch; the midpoint line among many smaller ones
        const int n = 600;
        var rng = new Random(5);
        var a = new double[n * n];
        for (int i = 0; i < a.Length; i++) a[i] = rng.NextDouble() * 1e12;
        Array.Clear(a, 17 * n, n);
        a[17 * n + 3] = Big; a[17 * n + 400] = 128; a[17 * n + 599] = Tiny; // row 17: just above the midpoint
        double want = Expected(a, n, n, MatrixTestUtil.Inf);
        Assert.Equal(Big + 256, want);
        foreach (var c in EngineKnobs.Configurations())
            Assert.Equal(want, EngineKnobs.With(c, () => MatrixTestUtil.Norm(a, n, n, MatrixTestUtil.Inf)));
    }

    [Fact]
    public void RandomWideRangeMatricesMatchBigIntegerSums()
    {
        var rng = new Random(9);
        for (int trial = 0; trial < 40; trial++)
        {
            int m = rng.Next(16, 40), n = rng.Next(16, 40);
            var a = new double[m * n];
            int e0 = rng.Next(-900, 900);
            for (int i = 0; i < a.Length; i++)
                a[i] = Math.ScaleB(rng.NextDouble() + 0.5, e0 + (rng.Next(8) == 0 ? -rng.Next(60, 130) : rng.Next(0, 3)));
            Check(a, m, n);
        }
    }
}
