using System.Numerics;
using System.Runtime.InteropServices;
using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>Matrix norms of order ±1, ±∞ and Frobenius against exact big-integer references.</summary>
[Collection(nameof(EngineKnobsCollection))]
public class MatrixLineNormTests
{
    private static readonly Ord[] LineOrds = { Ord.Of(1), Ord.Of(-1), Inf, NegInf };

    /// <summary>The correctly rounded reference: exact line sums, then max/min.</summary>
    private static double Reference(Func<int, int, double> a, int m, int n, Ord ord)
    {
        bool cols = Math.Abs(ord.P) == 1;
        int lines = cols ? n : m, len = cols ? m : n;
        var sums = Enumerable.Range(0, lines).Select(l => ExactAbsSum(Enumerable.Range(0, len).Select(k => cols ? a(k, l) : a(l, k)))).ToArray();
        return ord.P > 0 ? sums.Max() : sums.Min();
    }

    public static IEnumerable<object[]> Cases()
    {
        foreach (var (m, n) in new[] { (1, 1), (3, 4), (4, 3), (17, 5), (5, 17), (15, 40), (40, 15), (16, 16), (1, 700), (700, 1), (33, 600), (600, 33) })
            foreach (int layout in new[] { 0, 1, 2 })
                yield return new object[] { m, n, layout };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CorrectlyRoundedForEveryLayout(int m, int n, int layout)
    {
        // layout 0: C order; 1: Fortran order (the other walk); 2: both axes reversed and spaced
        var rng = new Random(m * 1000 + n * 10 + layout);
        var data = Enumerable.Range(0, 2 * m * n + 3).Select(_ => Gaussian(rng) * Math.Pow(10, rng.Next(-20, 20))).ToArray();
        long rs = layout switch { 0 => n, 1 => 1, _ => -2L * n };
        long cs = layout switch { 0 => 1, 1 => m, _ => -2 };
        long off = layout == 2 ? 2L * m * n - 2 : 0;
        double At(int i, int j) => data[off + i * rs + j * cs];
        foreach (var o in LineOrds)
        {
            double got = Batch(data, new long[] { m, n }, new long[] { rs, cs }, off, 0, 1, o)[0];
            Assert.Equal(Reference(At, m, n, o), got);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void OneLargeMatrixSplitOverThreadsIsExact(int layout)
    {
        // 600×520: large enough that a single matrix's lines are split over threads
        int m = 600, n = 520;
        var rng = new Random(40 + layout);
        var data = Enumerable.Range(0, m * n).Select(_ => Gaussian(rng) * Math.Pow(2, rng.Next(-30, 30))).ToArray();
        long rs = layout == 0 ? n : 1, cs = layout == 0 ? 1 : m;
        double At(int i, int j) => data[i * rs + j * cs];
        foreach (var o in LineOrds)
        {
            double want = Reference(At, m, n, o);
            foreach (int t in new[] { 1, 2, 3 })
            {
                int prev = Parallelism.SetMaxThreads(t);
                try { Assert.Equal(want, Batch(data, new long[] { m, n }, new long[] { rs, cs }, 0, 0, 1, o)[0]); }
                finally { Parallelism.SetMaxThreads(prev); }
            }
        }
    }

    [Fact]
    public void CancellationProneSumsAreExact()
    {
        // 1 + many tiny values that a plain float64 sum drops entirely
        int m = 5000;
        var col = new double[m];
        col[0] = 1;
        for (int i = 1; i < m; i++) col[i] = Math.ScaleB(1, -60) * (1 + i % 7);
        var want = ExactAbsSum(col);
        Assert.Equal(want, Batch(col, new long[] { m, 1 }, null, 0, 0, 1, Ord.Of(1))[0]);
        Assert.Equal(want, Batch(col, new long[] { 1, m }, null, 0, 0, 1, Inf)[0]);
        Assert.NotEqual(1.0, want);
    }

    [Fact]
    public void NarrowTypesRoundOnce()
    {
        var rng = new Random(4);
        int m = 40, n = 9;
        var h = Enumerable.Range(0, m * n).Select(_ => (Half)(Gaussian(rng) * 100)).ToArray();
        var f = Enumerable.Range(0, m * n).Select(_ => (float)(Gaussian(rng) * 1e10)).ToArray();
        foreach (var o in LineOrds)
        {
            // sums of halves/floats are exact in double here, so one rounding of the exact value is the reference
            double refH = Reference((i, j) => (double)h[i * n + j], m, n, o);
            var gotH = Run(MemoryMarshal.AsBytes(h.AsSpan()).ToArray(), DType.Float16, new long[] { m, n }, new long[] { 2 * n, 2 }, 0, 0, 1, o);
            Assert.Equal((double)(Half)refH, gotH[0]);
            double refF = Reference((i, j) => f[i * n + j], m, n, o);
            var gotF = Run(MemoryMarshal.AsBytes(f.AsSpan()).ToArray(), DType.Float32, new long[] { m, n }, new long[] { 4 * n, 4 }, 0, 0, 1, o);
            Assert.Equal((double)(float)refF, gotF[0]);
            var ints = Enumerable.Range(0, m * n).Select(_ => (long)rng.Next(int.MinValue, int.MaxValue) << 20).ToArray();
            var gotI = Run(MemoryMarshal.AsBytes(ints.AsSpan()).ToArray(), DType.Int64, new long[] { m, n }, new long[] { 8 * n, 8 }, 0, 0, 1, o);
            Assert.Equal(Reference((i, j) => ints[i * n + j], m, n, o), gotI[0]);
        }
        // float16 results beyond 65504 overflow with the event
        var big = Enumerable.Repeat((Half)60000, 4).ToArray();
        var r = Run(MemoryMarshal.AsBytes(big.AsSpan()).ToArray(), DType.Float16, new long[] { 2, 2 }, new long[] { 4, 2 }, 0, 0, 1, Ord.Of(1), out var ev);
        Assert.True(double.IsPositiveInfinity(r[0]));
        Assert.Equal(FpEvents.Overflow, ev);
    }

    [Fact]
    public void ComplexMagnitudes()
    {
        var rng = new Random(8);
        int m = 13, n = 6;
        var z = Enumerable.Range(0, m * n).Select(_ => new Complex(Gaussian(rng), Gaussian(rng))).ToArray();
        foreach (var o in LineOrds)
        {
            bool cols = Math.Abs(o.P) == 1;
            var sums = Enumerable.Range(0, cols ? n : m).Select(l => Enumerable.Range(0, cols ? m : n).Sum(k => Complex.Abs(cols ? z[k * n + l] : z[l * n + k]))).ToArray();
            double want = o.P > 0 ? sums.Max() : sums.Min();
            Assert.True(RelErr(Norm(z, m, n, o), want) < 1e-15);
        }
        // |3e300 + 4e300 i| = 5e300 without overflow
        Assert.Equal(5e300, Norm(new[] { new Complex(3e300, 4e300) }, 1, 1, Ord.Of(1)), 1e286);
        Assert.Equal(5e-300, Norm(new[] { new Complex(3e-300, 4e-300) }, 1, 1, Inf), 1e-314);
    }

    [Fact]
    public void NaNAndInfinity()
    {
        var a = new[] { 1.0, double.PositiveInfinity, 3, 4 };
        Assert.Equal(double.PositiveInfinity, Norm(a, 2, 2, Ord.Of(1)));
        Assert.Equal(4.0, Norm(a, 2, 2, Ord.Of(-1)));
        Assert.Equal(double.PositiveInfinity, Norm(a, 2, 2, Inf));
        Assert.Equal(7.0, Norm(a, 2, 2, NegInf));
        var b = new[] { 1.0, double.NaN, 3, 4, double.PositiveInfinity, 6 };
        foreach (var o in LineOrds) Assert.True(double.IsNaN(Norm(b, 2, 3, o)));
        // overflow of a finite sum gives +inf
        Assert.Equal(double.PositiveInfinity, Norm(new[] { double.MaxValue, double.MaxValue }, 1, 2, Inf));
    }

    [Fact]
    public void EmptyMatricesFollowMaxMinRule()
    {
        // ord 1: columns are the lines. (0, 3): three columns summing to 0; (3, 0): no columns.
        Assert.Equal(0.0, Norm(Array.Empty<double>(), 0, 3, Ord.Of(1)));
        Assert.Equal(0.0, Norm(Array.Empty<double>(), 0, 3, Ord.Of(-1)));
        Assert.Equal(0.0, Norm(Array.Empty<double>(), 3, 0, Ord.Of(1)));
        Assert.Equal(NormError.EmptyReduction, Assert.Throws<NormException>(() => Norm(Array.Empty<double>(), 3, 0, Ord.Of(-1))).Error);
        Assert.Equal(0.0, Norm(Array.Empty<double>(), 3, 0, Inf));
        Assert.Equal(0.0, Norm(Array.Empty<double>(), 3, 0, NegInf));
        Assert.Equal(0.0, Norm(Array.Empty<double>(), 0, 3, Inf));
        Assert.Equal(NormError.EmptyReduction, Assert.Throws<NormException>(() => Norm(Array.Empty<double>(), 0, 3, NegInf)).Error);
    }

    [Fact]
    public void StacksAndBadOrds()
    {
        var rng = new Random(12);
        long[] shape = { 3, 4, 5, 2 };
        var data = Enumerable.Range(0, 120).Select(_ => Gaussian(rng)).ToArray();
        var st = CStrides(shape);
        foreach (var o in LineOrds)
        {
            // rows on axis 3, columns on axis 1; kept axes 0 and 2
            var got = Batch(data, shape, null, 0, 3, 1, o);
            for (int b0 = 0; b0 < 3; b0++)
                for (int b2 = 0; b2 < 5; b2++)
                    Assert.Equal(Reference((i, j) => data[b0 * st[0] + j * st[1] + b2 * st[2] + i * st[3]], 2, 4, o), got[b0 * 5 + b2]);
        }
        foreach (var o in new[] { Ord.Of(3), Ord.Of(0), Ord.Of(double.NaN), Ord.Of(0.5) })
            Assert.Equal(NormError.BadOrd, Assert.Throws<NormException>(() => Norm(new double[4], 2, 2, o)).Error);
        // Frobenius = the 2-norm of all entries, correctly rounded
        Assert.Equal(ExactReference.Norm2(data.Take(20)), Norm(data.Take(20).ToArray(), 4, 5, Ord.Fro));
        // determinism across thread counts on a large stack
        var big = Enumerable.Range(0, 2000 * 30).Select(_ => Gaussian(rng)).ToArray();
        foreach (var o in LineOrds)
        {
            int prev = Parallelism.SetMaxThreads(1);
            double[] one;
            try { one = Batch(big, new long[] { 2000, 5, 6 }, null, 0, 2, 1, o); }
            finally { Parallelism.SetMaxThreads(prev); }
            prev = Parallelism.SetMaxThreads(3);
            try { Assert.Equal(one, Batch(big, new long[] { 2000, 5, 6 }, null, 0, 2, 1, o)); }
            finally { Parallelism.SetMaxThreads(prev); }
        }
    }
    /// <summary>float64 lines are screened by plain sums and only the candidates summed exactly: near-tied lines
    /// whose plain sums are equal but whose exact sums differ far below an ulp (a few candidates, and every line a
    /// candidate), a big element late in one line, NaN/∞ and overflowing lines: the exact reference for every
    /// layout, both vector widths and 1–3 threads.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void ScreenedLineSumsPickTheExactBest(int layout)
    {
        int m = 300, n = 260;
        var rng = new Random(70 + layout);
        var cases = new List<double[]>();
        // Rows (ord ±∞) or columns (ord ±1) built from one multiset of multiples of 2^-10, so plain sums are exact:
        // five lines at S + h + ε and five at ¾S + h' + ε, with h half an ulp of the sum and ε = ±(1..3)·2^-70, so only
        // the exact sums decide which line wins and which way it rounds; the other lines (⅞S) are screened out.
        // "all": every line in the top group (too many candidates: the full pass runs).
        double[] Ties(bool rowsAreLines, bool all)
        {
            int lines = rowsAreLines ? m : n, len = rowsAreLines ? n : m;
            var baseV = Enumerable.Range(0, len - 2).Select(_ => (512 + rng.Next(1536)) / 1024.0).ToArray();
            double sum = baseV.Sum(), sum34 = baseV.Sum(v => v * 0.75);
            double h = Math.BitIncrement(sum) - sum, h34 = Math.BitIncrement(sum34) - sum34;
            var eps = new[] { -3, -1, 1, -2, 2 }.OrderBy(_ => rng.Next()).Select(k => Math.ScaleB(k, -70)).ToArray();
            var top = Enumerable.Range(0, lines).OrderBy(_ => rng.Next()).Take(10).ToArray();
            var d = new double[m * n];
            for (int l = 0; l < lines; l++)
            {
                int g = Array.IndexOf(top, l);
                double scale = all || (g >= 0 && g < 5) ? 1 : g >= 5 ? 0.75 : 0.875;
                var line = baseV.Select(v => v * scale).Concat(new[] { 0.0, 0.0 }).OrderBy(_ => rng.Next()).ToArray();
                int z = Array.IndexOf(line, 0.0);
                // h/2 (a power of two) ± a few 2^-70 is one exact double: the sign of ε survives the |x|
                if (g >= 0 || all) line[z] = (scale == 1 ? h / 2 : h34 / 2) + eps[(g < 0 ? l : g) % 5];
                for (int k = 0; k < len; k++) d[rowsAreLines ? l * n + k : k * n + l] = line[k];
            }
            return d;
        }
        cases.Add(Ties(true, false));
        cases.Add(Ties(false, false));
        cases.Add(Ties(true, true));
        cases.Add(Ties(false, true));
        var big = Enumerable.Range(0, m * n).Select(_ => Gaussian(rng)).ToArray();
        big[(m - 1) * n + n / 2] = 1e6; // late in a column, last in its row's neighbourhood
        cases.Add(big);
        var nan = (double[])big.Clone(); nan[(m - 2) * n + 7] = double.NaN; cases.Add(nan);
        var inf = Enumerable.Range(0, m * n).Select(_ => Gaussian(rng)).ToArray(); inf[m * n - 1] = double.NegativeInfinity; cases.Add(inf);
        var huge = Enumerable.Range(0, m * n).Select(_ => Gaussian(rng) * 1e306).ToArray(); cases.Add(huge);
        var tiny = Enumerable.Range(0, m * n).Select(_ => Gaussian(rng) * 1e-310).ToArray(); cases.Add(tiny);
        var zero = new double[m * n]; zero[5] = -0.0; cases.Add(zero);
        long rs = layout switch { 0 => n, 1 => 1, _ => -n }, cs = layout switch { 0 => 1, 1 => m, _ => -1 };
        long off = layout == 2 ? (long)m * n - 1 : 0;
        foreach (var d0 in cases)
        {
            // layout 1 reads the same matrix from a Fortran-order copy
            var d = layout == 1 ? Enumerable.Range(0, m * n).Select(q => d0[(q % m) * n + q / m]).ToArray()
                  : layout == 2 ? d0.Reverse().ToArray() : d0;
            double At(int i, int j) => d[off + i * rs + j * cs];
            foreach (var o in LineOrds)
            {
                double want = NonFiniteReference(At, m, n, o);
                foreach (var c in EngineKnobs.Configurations())
                    Assert.Equal(want, EngineKnobs.With(c, () => Batch(d, new long[] { m, n }, new long[] { rs, cs }, off, 0, 1, o)[0]));
            }
        }
    }

    /// <summary><see cref="Reference"/> with NaN/∞ entries: a line with a NaN sums to NaN, else one with ∞ to +∞;
    /// NaN wins the max/min.</summary>
    internal static double NonFiniteReference(Func<int, int, double> a, int m, int n, Ord ord)
    {
        bool cols = Math.Abs(ord.P) == 1;
        int lines = cols ? n : m, len = cols ? m : n;
        var sums = Enumerable.Range(0, lines).Select(l =>
        {
            var xs = Enumerable.Range(0, len).Select(k => cols ? a(k, l) : a(l, k)).ToArray();
            return xs.Any(double.IsNaN) ? double.NaN : xs.Any(double.IsInfinity) ? double.PositiveInfinity : ExactAbsSum(xs);
        }).ToArray();
        if (sums.Any(double.IsNaN)) return double.NaN;
        return ord.P > 0 ? sums.Max() : sums.Min();
    }
}
