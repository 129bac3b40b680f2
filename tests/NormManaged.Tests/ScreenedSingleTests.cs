using System.Numerics;
using System.Runtime.InteropServices;
using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>float32 matrix ±1/±∞ line sums are screened by plain float64 sums and only the candidate lines summed
/// exactly: the float32 result must still be the exact line sum rounded once, for near-tied lines (plain sums equal,
/// exact sums on either side of a float32 rounding boundary), NaN/∞, huge and tiny values, both layouts, both vector
/// widths and 1–3 threads.</summary>
[Collection(nameof(EngineKnobsCollection))]
public class ScreenedSingleTests
{
    private static readonly Ord[] LineOrds = { Ord.Of(1), Ord.Of(-1), Inf, NegInf };

    /// <summary>|x|·2¹⁰⁷⁴ as an integer.</summary>
    private static BigInteger K(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(x));
        int e = (int)(bits >> 52);
        long m = bits & ((1L << 52) - 1);
        if (e == 0) e = 1; else m |= 1L << 52;
        return (BigInteger)m << (e - 1);
    }

    /// <summary>N·2⁻¹⁰⁷⁴ rounded once to float32 (normal or overflowing results; half to even).</summary>
    private static double ToSingle(BigInteger n)
    {
        if (n.IsZero) return 0;
        int shift = (int)n.GetBitLength() - 24;
        if (shift <= 0) return (float)Math.ScaleB((double)n, -1074);
        BigInteger q = n >> shift, rem = n - (q << shift), half = BigInteger.One << (shift - 1);
        if (rem > half || (rem == half && !q.IsEven)) q += 1;
        return (float)Math.ScaleB((double)q, shift - 1074);
    }

    private static double Reference(float[] a, int m, int n, Ord ord)
    {
        bool cols = Math.Abs(ord.P) == 1;
        int lines = cols ? n : m, len = cols ? m : n;
        var sums = Enumerable.Range(0, lines).Select(l =>
        {
            var xs = Enumerable.Range(0, len).Select(k => (double)(cols ? a[k * n + l] : a[l * n + k])).ToArray();
            if (xs.Any(double.IsNaN)) return double.NaN;
            if (xs.Any(double.IsInfinity)) return double.PositiveInfinity;
            BigInteger s = BigInteger.Zero;
            foreach (var x in xs) s += K(x);
            return ToSingle(s);
        }).ToArray();
        if (sums.Any(double.IsNaN)) return double.NaN;
        return ord.P > 0 ? sums.Max() : sums.Min();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ScreenedFloat32LineSumsRoundOnce(int layout)
    {
        int m = 300, n = 260;
        var rng = new Random(90 + layout);
        var cases = new List<float[]>();
        // Lines from one multiset of multiples of 2^-10 (plain float64 sums exact): five lines at S plus a tail
        // around half a float32 ulp of S (just below, exactly, just above, or half plus 2^-100 in a separate
        // element that plain sums drop), five more at ¾S likewise, the rest at ⅞S. "all": every line at S.
        float[] Ties(bool rowsAreLines, bool all)
        {
            int lines = rowsAreLines ? m : n, len = rowsAreLines ? n : m;
            var baseV = Enumerable.Range(0, len - 2).Select(_ => (512 + rng.Next(1536)) / 1024.0).ToArray();
            var top = Enumerable.Range(0, lines).OrderBy(_ => rng.Next()).Take(10).ToArray();
            var d = new float[m * n];
            for (int l = 0; l < lines; l++)
            {
                int g = Array.IndexOf(top, l);
                double scale = all || (g >= 0 && g < 5) ? 1 : g >= 5 ? 0.75 : 0.875;
                var line = baseV.Select(v => v * scale).Concat(new[] { 0.0, 0.0 }).OrderBy(_ => rng.Next()).ToArray();
                double sum = line.Sum();
                double h = (double)MathF.BitIncrement((float)sum) - (float)sum;   // the float32 ulp at the line sum
                int z0 = Array.IndexOf(line, 0.0), z1 = Array.LastIndexOf(line, 0.0);
                if (g >= 0 || all)
                    switch ((g < 0 ? l : g) % 4)
                    {
                        case 0: line[z0] = h / 2 - h * Math.ScaleB(1.0, -25); break;             // the float just below the midpoint
                        case 1: line[z0] = h / 2; break;                                         // the midpoint: to even
                        case 2: line[z0] = h / 2; line[z1] = Math.ScaleB(1.0, -100); break;     // just above
                        default: line[z0] = h / 2 + h * Math.ScaleB(1.0, -24); break;            // above
                    }
                for (int k = 0; k < len; k++) d[rowsAreLines ? l * n + k : k * n + l] = (float)(rng.Next(2) == 0 ? -line[k] : line[k]);
            }
            return d;
        }
        cases.Add(Ties(true, false));
        cases.Add(Ties(false, false));
        cases.Add(Ties(true, true));
        cases.Add(Ties(false, true));
        var big = Enumerable.Range(0, m * n).Select(_ => (float)Gaussian(rng)).ToArray();
        big[(m - 1) * n + n / 2] = 1e6f;
        big[3] = float.Epsilon; big[n + 3] = 1e-40f;   // subnormals in an otherwise normal matrix
        cases.Add(big);
        var nan = (float[])big.Clone(); nan[(m - 2) * n + 7] = float.NaN; cases.Add(nan);
        var inf = (float[])big.Clone(); inf[m * n - 1] = float.NegativeInfinity; cases.Add(inf);
        cases.Add(Enumerable.Range(0, m * n).Select(_ => (float)(Gaussian(rng) * 1e36)).ToArray());   // sums overflow float32
        cases.Add(Enumerable.Range(0, m * n).Select(_ => (float)(Gaussian(rng) * 1e-35)).ToArray());
        foreach (var d0 in cases)
        {
            // layout 1: the same matrix from a Fortran-order copy
            var d = layout == 1 ? Enumerable.Range(0, m * n).Select(q => d0[(q % m) * n + q / m]).ToArray() : d0;
            long[] strides = layout == 1 ? new long[] { 4, 4L * m } : new long[] { 4L * n, 4 };
            var bytes = MemoryMarshal.AsBytes(d.AsSpan()).ToArray();
            foreach (var o in LineOrds)
            {
                double want = Reference(d0, m, n, o);
                foreach (var c in EngineKnobs.Configurations())
                    Assert.Equal(want, EngineKnobs.With(c, () => Run(bytes, DType.Float32, new long[] { m, n }, strides, 0, 0, 1, o)[0]));
            }
        }
    }

    /// <summary>Lines that are permutations of one multiset of full-mantissa floats (float32 partial sums round, so the
    /// screen's float32 sums differ by several ulps of the sum from line to line) plus one decider element that puts
    /// the exact sum just above (one line) or just below (the others) a float32 rounding midpoint: only a bound as
    /// wide as the float32 summation error keeps the right line a candidate (one of 2⁻⁴⁰ fails: checked).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Float32SummationErrorsDoNotHideTheBestLine(bool rowsAreLines)
    {
        int lines = 200, len = 300;
        var rng = new Random(rowsAreLines ? 81 : 80);
        var baseV = Enumerable.Range(0, len - 1).Select(_ => (float)(1 + rng.Next(1 << 23) * Math.ScaleB(1.0, -23))).ToArray();
        double sum = baseV.Sum(v => (double)v);   // exact: multiples of 2^-23 below 2^10
        float lo = (float)sum;
        if (lo > sum) lo = MathF.BitDecrement(lo);
        double mid = ((double)lo + MathF.BitIncrement(lo)) / 2;   // the midpoint above the exact sum
        int best = rng.Next(lines);
        int m = rowsAreLines ? lines : len, n = rowsAreLines ? len : lines;
        var d = new float[m * n];
        for (int l = 0; l < lines; l++)
        {
            double decider = mid - sum + (l == best ? 1 : -1 - rng.Next(4)) * Math.ScaleB(1.0, -23);
            var line = baseV.Concat(new[] { (float)decider }).OrderBy(_ => rng.Next()).ToArray();
            for (int k = 0; k < len; k++) d[rowsAreLines ? l * n + k : k * n + l] = rng.Next(2) == 0 ? -line[k] : line[k];
        }
        var bytes = MemoryMarshal.AsBytes(d.AsSpan()).ToArray();
        Ord o = rowsAreLines ? Inf : Ord.Of(1);
        double want = Reference(d, m, n, o);
        Assert.Equal((double)MathF.BitIncrement(lo), want);
        foreach (var c in EngineKnobs.Configurations())
            Assert.Equal(want, EngineKnobs.With(c, () => Run(bytes, DType.Float32, new long[] { m, n }, new long[] { 4L * n, 4 }, 0, 0, 1, o)[0]));
    }
}
