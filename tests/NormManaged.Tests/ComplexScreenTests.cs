using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>Complex matrix ±1/±∞ line sums are screened by approximate magnitudes (ComplexLineScreen) and only the
/// candidate lines summed exactly: the result must still be the exact sum of the correctly rounded magnitudes,
/// rounded once (float32 for complex64), for near-tied lines whose approximate sums cannot separate them, random
/// and Pythagorean data, huge/tiny/subnormal/zero/NaN/∞ entries, every layout (C, Fortran, reversed, strided), line
/// lengths and counts around the 4/8-lane boundaries, both vector widths and 1–3 threads.</summary>
[Collection(nameof(EngineKnobsCollection))]
public class ComplexScreenTests
{
    private static readonly Ord[] LineOrds = { Ord.Of(1), Ord.Of(-1), Inf, NegInf };

    /// <summary>Σ of the magnitudes exactly, rounded once to double (or float32).</summary>
    private static double RoundedSum(IEnumerable<double> mags, bool single)
    {
        if (!single) return ExactAbsSum(mags);
        var parts = mags.Select(ExactReference.Split).Where(p => !p.m.IsZero).ToList();
        if (parts.Count == 0) return 0;
        int e0 = parts.Min(p => p.e);
        BigInteger s = BigInteger.Zero;
        foreach (var (m, e) in parts) s += BigInteger.Abs(m) << (e - e0);
        // round to 24 significant bits, or to 2⁻¹⁴⁹ for subnormal results (half to even)
        int shift = Math.Max(e0 + (int)s.GetBitLength() - 24, -149) - e0;
        if (shift > 0)
        {
            BigInteger q = s >> shift, rem = s - (q << shift), half = BigInteger.One << (shift - 1);
            if (rem > half || (rem == half && !q.IsEven)) q += 1;
            s = q; e0 += shift;
        }
        return (float)Math.ScaleB((double)s, e0);
    }

    /// <summary>The reference: each |z| correctly rounded (big-integer square root), line sums exact and rounded
    /// once; a line with NaN sums to NaN, else one with ∞ to +∞; NaN wins the max/min.</summary>
    private static double Reference(double[] re, double[] im, int m, int n, Ord ord, bool single)
    {
        bool cols = Math.Abs(ord.P) == 1;
        int lines = cols ? n : m, len = cols ? m : n;
        var sums = Enumerable.Range(0, lines).Select(l =>
        {
            var idx = Enumerable.Range(0, len).Select(k => cols ? k * n + l : l * n + k).ToArray();
            if (idx.Any(q => double.IsNaN(re[q]) || double.IsNaN(im[q]))) return double.NaN;
            if (idx.Any(q => double.IsInfinity(re[q]) || double.IsInfinity(im[q]))) return double.PositiveInfinity;
            return RoundedSum(idx.Select(q => ExactReference.Norm2(new[] { re[q], im[q] })), single);
        }).ToArray();
        if (sums.Any(double.IsNaN)) return double.NaN;
        return ord.P > 0 ? sums.Max() : sums.Min();
    }

    /// <summary>Runs the m×n matrix (re, im given in C order) stored in <paramref name="layout"/>: 0 C order,
    /// 1 Fortran order, 2 both axes reversed (negative strides), 3 C order with every other column (strided lines).</summary>
    private static double Compute(double[] re, double[] im, int m, int n, int layout, bool single, Ord ord)
    {
        int cols = layout == 3 ? 2 * n : n;
        long total = (long)m * cols;
        var flat = new double[2 * total];
        long rs = layout switch { 1 => 1, 2 => -cols, _ => cols }, cs = layout switch { 1 => m, 2 => -1, 3 => 2, _ => 1 };
        long off = layout == 2 ? total - 1 : 0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                long q = off + i * rs + j * cs;
                flat[2 * q] = re[i * n + j]; flat[2 * q + 1] = im[i * n + j];
            }
        int item = single ? 8 : 16;
        byte[] bytes = single ? MemoryMarshal.AsBytes(flat.Select(v => (float)v).ToArray().AsSpan()).ToArray()
                              : MemoryMarshal.AsBytes(flat.AsSpan()).ToArray();
        return Run(bytes, single ? DType.Complex64 : DType.Complex128, new long[] { m, n }, new long[] { rs * item, cs * item }, off * item, 0, 1, ord)[0];
    }

    private static void Check(double[] re, double[] im, int m, int n, bool single, IEnumerable<int> layouts, bool allConfigs = true)
    {
        if (single)
            for (int q = 0; q < re.Length; q++) { re[q] = (float)re[q]; im[q] = (float)im[q]; }
        foreach (var o in LineOrds)
        {
            double want = Reference(re, im, m, n, o, single);
            foreach (int layout in layouts)
                foreach (var c in allConfigs ? EngineKnobs.Configurations() : new[] { (true, 1), (false, 1) })
                {
                    double got = EngineKnobs.With(c, () => Compute(re, im, m, n, layout, single, o));
                    Assert.True(want.Equals(got), $"{(single ? "c64" : "c128")} {m}x{n} layout {layout} ord {o.P} {c}: {got:R} != {want:R}");
                }
        }
    }

    /// <summary>(3, 4, 5)-like triples (a² − b², 2ab, a² + b²) with random signs and order: |z| is exact.</summary>
    private static (double Re, double Im) Pythagorean(Random rng, double scale)
    {
        int a = rng.Next(2, 60), b = rng.Next(1, a);
        double x = (a * a - b * b) * scale, y = 2.0 * a * b * scale;
        if (rng.Next(2) == 0) (x, y) = (y, x);
        return (rng.Next(2) == 0 ? -x : x, rng.Next(2) == 0 ? -y : y);
    }

    public static IEnumerable<object[]> Shapes()
    {
        foreach (bool single in new[] { false, true })
            foreach (var (m, n) in new[] { (300, 260), (30, 30), (8, 8), (2, 9), (9, 2), (7, 17), (17, 7), (16, 24), (25, 23), (3, 33), (33, 3), (1, 40), (40, 1) })
                yield return new object[] { m, n, single };
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void RandomMatricesMatchTheExactReference(int m, int n, bool single)
    {
        var rng = new Random(m * 131 + n + (single ? 7 : 0));
        var re = Enumerable.Range(0, m * n).Select(_ => Gaussian(rng)).ToArray();
        var im = Enumerable.Range(0, m * n).Select(_ => Gaussian(rng)).ToArray();
        Check(re, im, m, n, single, new[] { 0, 1, 2, 3 }, allConfigs: m * n <= 1000);
        if (m * n > 1000) Check(re, im, m, n, single, new[] { 0, 1 });
    }

    /// <summary>Lines from one multiset of exact-magnitude elements, in a different order per line, plus a real tail
    /// element that decides the winner and the rounding: half a result ulp of the sum ± a few 2⁻⁷⁰ (complex128), or
    /// just below / at / just above half a float32 ulp (complex64). The approximate sums cannot tell the top lines
    /// apart; "all" puts every line in the top group (too many candidates: the full pass runs).</summary>
    [Theory]
    [InlineData(false, false, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    [InlineData(false, true, true)]
    [InlineData(true, false, false)]
    [InlineData(true, true, false)]
    [InlineData(true, false, true)]
    [InlineData(true, true, true)]
    public void NearTiedLinesPickTheExactBest(bool single, bool rowsAreLines, bool all)
    {
        int m = 120, n = 104;
        var rng = new Random((single ? 1 : 0) + (rowsAreLines ? 2 : 0) + (all ? 4 : 0));
        int lines = rowsAreLines ? m : n, len = rowsAreLines ? n : m;
        var baseV = Enumerable.Range(0, len - 2).Select(_ => Pythagorean(rng, 1.0 / 1024)).ToArray();
        double sum = baseV.Sum(z => Math.Sqrt(z.Re * z.Re + z.Im * z.Im));   // exact: integers·2⁻¹⁰ well below 2⁵³
        double h = single ? (double)MathF.BitIncrement((float)sum) - (float)sum : Math.BitIncrement(sum) - sum;
        double h34 = single ? (double)MathF.BitIncrement((float)(0.75 * sum)) - (float)(0.75 * sum) : Math.BitIncrement(0.75 * sum) - 0.75 * sum;
        var top = Enumerable.Range(0, lines).OrderBy(_ => rng.Next()).Take(10).ToArray();
        var re = new double[m * n]; var im = new double[m * n];
        for (int l = 0; l < lines; l++)
        {
            int g = Array.IndexOf(top, l);
            double scale = all || (g >= 0 && g < 5) ? 1 : g >= 5 ? 0.75 : 0.875;
            var line = baseV.Select(z => (z.Re * scale, z.Im * scale)).Concat(new[] { (0.0, 0.0), (0.0, 0.0) }).OrderBy(_ => rng.Next()).ToArray();
            if (g >= 0 || all)
            {
                int z0 = Array.IndexOf(line, (0.0, 0.0));
                double hh = scale == 1 ? h : h34;
                int k = (g < 0 ? l : g) % 5;
                double tail = single
                    ? k switch { 0 => hh / 2 - hh * Math.ScaleB(1.0, -23), 1 => hh / 2, 2 => hh / 2 + hh * Math.ScaleB(1.0, -23), 3 => hh / 2 + hh * Math.ScaleB(1.0, -22), _ => hh / 4 }
                    : hh / 2 + Math.ScaleB(new[] { -3, -1, 1, -2, 2 }[k], -70);
                // the tail on the imaginary or the real axis: its magnitude is exact either way
                line[z0] = rng.Next(2) == 0 ? (tail, 0.0) : (0.0, -tail);
            }
            for (int k = 0; k < len; k++)
            {
                int q = rowsAreLines ? l * n + k : k * n + l;
                (re[q], im[q]) = line[k];
            }
        }
        Check(re, im, m, n, single, new[] { 0, 1, 2 });
    }

    /// <summary>Two lines whose approximate sums order them the wrong way round: line A of copies of the Pythagorean
    /// element whose 14-bit reciprocal square root (VRSQRT14PD) underestimates its magnitude most, line B of the one
    /// it overestimates most, with real tails making S_A = S_B + 2⁻¹⁶ (a few float32 ulps, ~2⁻²¹ relative: below the
    /// screen's resolution). Both lines must stay candidates for the max (A) and the min (B); a bound tighter than
    /// the estimate's 2⁻¹⁴ drops one of them.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EstimateErrorsDoNotHideTheBestLine(bool single)
    {
        // the estimate's error for the screen's precision (complex64: the float32 screen, |z| < 2¹² keeps s exact)
        var triples = new List<(double Re, double Im, double Abs, double Err)>();
        for (int a = 2; a < (single ? 45 : 200); a++)
            for (int b = 1; b < a; b++)
            {
                double x = a * a - b * b, y = 2.0 * a * b, c = a * a + b * b, s = c * c;
                double est = !Avx512F.IsSupported ? c
                    : single ? (float)s * Avx512F.ReciprocalSqrt14(Vector512.Create((float)s)).ToScalar()
                    : s * Avx512F.ReciprocalSqrt14(Vector512.Create(s)).ToScalar();
                triples.Add((x, y, c, est / c - 1));
            }
        var low = triples.MinBy(t => t.Err);
        var high = triples.MaxBy(t => t.Err);
        if (Avx512F.IsSupported) Assert.True(high.Err - low.Err > Math.ScaleB(1.0, -15));
        int len = 64;
        // scale each element to a magnitude in [0.5, 1) by a power of two (exact)
        double ScaleOf(double c) => Math.ScaleB(1.0, -(Math.ILogB(c) + 1));
        double fa = ScaleOf(low.Abs), fb = ScaleOf(high.Abs);
        double ma = low.Abs * fa, mb = high.Abs * fb;
        double tA = 1.0 / 16, sA = (len - 1) * ma + tA;
        int nB = (int)Math.Floor((len - 1) * ma / mb);
        double tB = sA - nB * mb - Math.ScaleB(1.0, -16);
        Assert.True(nB < len && tB > 0);
        foreach (bool rowsAreLines in new[] { false, true })
        {
            int m = rowsAreLines ? 2 : len, n = rowsAreLines ? len : 2;
            var re = new double[m * n]; var im = new double[m * n];
            for (int k = 0; k < len; k++)
            {
                int qa = rowsAreLines ? k : k * n, qb = rowsAreLines ? n + k : k * n + 1;
                if (k < len - 1) { re[qa] = low.Re * fa; im[qa] = -low.Im * fa; }
                else re[qa] = -tA;
                if (k < nB) { re[qb] = -high.Im * fb; im[qb] = high.Re * fb; }
                else if (k == len - 1) im[qb] = tB;
            }
            Check(re, im, m, n, single, new[] { 0, 1, 2, 3 });
        }
    }

    /// <summary>Huge entries (squares overflow: the screen gives up), tiny and subnormal ones (the absolute part of the
    /// bound), exact zeros, one NaN, one ∞, and a lone big entry among small ones.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ExtremeValues(bool single)
    {
        int m = 40, n = 36;
        var rng = new Random(single ? 31 : 30);
        double[] R(double s) => Enumerable.Range(0, m * n).Select(_ => Gaussian(rng) * s).ToArray();
        var cases = new List<(double[], double[])>();
        if (single)
        {
            cases.Add((R(1e37), R(1e37)));           // sums overflow float32: +inf with no NaN
            cases.Add((R(1e-38), R(1e-38)));
            cases.Add((R(1e-44), R(1e-44)));         // subnormal parts
        }
        else
        {
            cases.Add((R(1e300), R(1e300)));         // re² overflows
            cases.Add((R(1e-300), R(1e-300)));       // re² underflows
            cases.Add((R(1e-320), R(1e-320)));       // subnormal parts
            cases.Add((R(Math.ScaleB(1.0, -505)), R(Math.ScaleB(1.0, -505))));   // around the screen's 2⁻¹⁰⁰⁰ floor of s
        }
        cases.Add((new double[m * n], new double[m * n]));
        var (bre, bim) = (R(1), R(1));
        bre[(m - 1) * n + n / 2] = 1e6;
        cases.Add((bre, bim));
        var (nre, nim) = ((double[])bre.Clone(), (double[])bim.Clone()); nim[(m - 2) * n + 7] = double.NaN; cases.Add((nre, nim));
        var (ire, iim) = ((double[])bre.Clone(), (double[])bim.Clone()); ire[m * n - 1] = double.NegativeInfinity; cases.Add((ire, iim));
        // a column of zeros and a row of zeros (the min lines)
        var (zre, zim) = (R(1), R(1));
        for (int i = 0; i < m; i++) { zre[i * n + 5] = 0; zim[i * n + 5] = 0; }
        for (int j = 0; j < n; j++) { zre[9 * n + j] = 0; zim[9 * n + j] = 0; }
        cases.Add((zre, zim));
        foreach (var (re, im) in cases) Check(re, im, m, n, single, new[] { 0, 1, 2, 3 });
    }

    /// <summary>One large matrix whose lines are split over threads (the parallel screen) against the reference.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SplitOverThreads(bool single)
    {
        int m = 520, n = 600;
        var rng = new Random(single ? 51 : 50);
        var re = Enumerable.Range(0, m * n).Select(_ => Gaussian(rng)).ToArray();
        var im = Enumerable.Range(0, m * n).Select(_ => Gaussian(rng)).ToArray();
        Check(re, im, m, n, single, new[] { 0, 1 });
    }
}
