using NormManaged.Engine;
using NormManaged.Kernels;
using Xunit;

namespace NormManaged.Tests;

/// <summary><see cref="LaneSums"/>: general-p float64 norms of many short lines with each line's SUM made in a
/// SIMD lane of its own. Every output is compared bit for bit (and its events) with the same line reduced alone — the
/// 1-D path, whose sum is <see cref="TablePowSum"/>'s block body — under every vector width and thread count: lines of
/// 1…140 elements (around the 16 logical accumulators, the 8 lanes and the longest lines taken), row counts
/// around the group of 8 and the 32 roots, C rows, strided, reversed and adjacent (F-order) lines, magnitudes near the
/// ends of the range (the largest double among the special values), subnormals, rows mixing huge and tiny values, zeros,
/// ±∞ and NaN (<see cref="TestData.Draw"/>); and the special rows' values.
/// Accuracy against mpmath references is in tests/python/test_lane_sums_rows.py.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class LaneSumsTests
{
    /// <summary>The brief's orders (whole and half-integer ones keep kernels of their own: compared, not taken) and
    /// general orders across the table kernel's range.</summary>
    private static readonly double[] Orders = { 0.01, 0.3, 1.7, 3, 4, 7, 33.3, 1000, -0.5, -3, -7.5, 0.25, 2.2, -0.3, -1.7, -64.7, -1000, 999.9 };

    /// <summary>Norms over axis 1 of a (rows, n) view with item strides (rs, cs), any sign, from item
    /// <paramref name="first"/>: all at once under <paramref name="knobs"/> and each row alone
    /// (<see cref="LanePowTests.Run"/>), and whether <see cref="LaneSums"/> takes the view.</summary>
    private static (byte[] All, FpEvents EvAll, byte[] Alone, FpEvents EvAlone, bool Taken) Rows(
        byte[] data, DType t, int rows, int n, long rs, long cs, long first, double p, (bool, int) knobs)
    {
        long es = DTypes.ItemSize(t);
        var plan = ReductionPlan.Create(new long[] { rows, n }, new[] { rs * es, cs * es }, 2, new[] { es });
        var r = LanePowTests.Run(data, t, rows, n, rs, cs, first, p, knobs);
        return (r.All, r.EvAll, r.Alone, r.EvAlone, LaneSums.Applies(plan, t, t, p));
    }

    [Theory]
    [InlineData(DType.Float64)]
    public void EveryRowHasTheBitsOfThatRowAloneAtEveryWidthAndThreadCount(DType t)
    {
        var rng = new Random(31 + (int)t);
        var knobs = EngineKnobs.Configurations().ToArray();
        int taken = 0;
        foreach (double p in Orders)
            for (int n = 1; n <= LaneSums.MaxInner + 12; n += n < 72 ? 1 + rng.Next(3) : 3 + rng.Next(5))
            {
                bool general = GeneralPowFast.Applies(t, p) && TablePowSum.Applies(false, p);
                int rows = new[] { 8, 9, 15, 16, 17, 31, 33, 40, 65 }[rng.Next(9)];
                var (data, rs, cs, first, kind, layout) = TestData.Lines(rng, rows, n, t);
                byte[]? reference = null;
                foreach (var c in knobs)
                {
                    var r = Rows(data, t, rows, n, rs, cs, first, p, c);
                    Assert.True(r.All.AsSpan().SequenceEqual(r.Alone), $"{t} p={p} rows={rows} n={n} kind={kind} layout={layout} {c}");
                    Assert.Equal(r.EvAlone, r.EvAll);
                    reference ??= r.All;
                    Assert.True(reference.AsSpan().SequenceEqual(r.All));
                    if (n <= 12) Assert.Equal(general, r.Taken); // short lines of a general order: always the lanes
                    if (r.Taken) taken++;
                }
            }
        Assert.True(taken >= 500, $"{t}: LaneSums took {taken}");
    }

    [Theory]
    [InlineData(DType.Float64, 1.7)]
    [InlineData(DType.Float64, -2.2)]
    [InlineData(DType.Float64, 1000)]
    public void ManyRowsOverThreadsKeepTheirBits(DType t, double p)
    {
        var rng = new Random(5);
        foreach (int n in new[] { 1, 4, 12, 16, 17, 32, 64, 127 })
        {
            const int rows = 3001; // many parallel ranges, a last group of one line, a last root batch of 25
            var v = new double[rows * n];
            for (int i = 0; i < v.Length; i++) v[i] = TestData.Draw(rng, i % 7 == 0 ? 4 : 0, t);
            var data = TestData.Encode(v, t);
            byte[]? first = null;
            foreach (var c in EngineKnobs.Configurations())
            {
                var r = Rows(data, t, rows, n, n, 1, 0, p, c);
                Assert.True(r.Taken);
                Assert.True(r.All.AsSpan().SequenceEqual(r.Alone), $"{t} p={p} n={n} {c}");
                first ??= r.All;
                Assert.True(first.AsSpan().SequenceEqual(r.All));
            }
        }
    }

    [Theory]
    [InlineData(DType.Float64)]
    public void SpecialRowsKeepTheirValuesAndEvents(DType t)
    {
        double nan = double.NaN, inf = double.PositiveInfinity;
        double[][] rows =
        {
            new[] { 3.0, 4, 0 }, new[] { 0.0, 2, 3 }, new[] { inf, 2, 3 }, new[] { nan, 2, 3 }, new[] { 0.0, 0, 0 },
            new[] { inf, -inf, inf }, new[] { nan, 0, 5 }, new[] { 4.0, -5, 6 }, new[] { 1e-40, 1e30, 7 }, new[] { -0.0, -0.0, 1 },
        };
        foreach (double p in new[] { 1.7, 0.3, 33.3, -0.7, -3.3, -1000 })
        {
            var data = TestData.Encode(rows.SelectMany(r => r).ToArray(), t);
            var r = Rows(data, t, rows.Length, 3, 3, 1, 0, p, (true, 1));
            Assert.True(r.Taken);
            Assert.True(r.All.AsSpan().SequenceEqual(r.Alone));
            Assert.Equal(r.EvAlone, r.EvAll);
            var got = new double[rows.Length];
            for (int i = 0; i < rows.Length; i++)
                got[i] = t == DType.Float64 ? BitConverter.ToDouble(r.All, 8 * i) : BitConverter.ToSingle(r.All, 4 * i);
            AssertSpecialRows(got, r.EvAll, p, 1e-6);
        }
    }

    /// <summary>The values and events every general-p lane kernel must give the special rows {3, 4, 0}, {0, 2, 3},
    /// {∞, 2, 3}, {NaN, 2, 3}, {0, 0, 0}, {∞, −∞, ∞}, {NaN, 0, 5}, …, {−0, −0, 1} (rows 0–6 and 9), the finite sums
    /// within <paramref name="tol"/> relative.</summary>
    internal static void AssertSpecialRows(double[] got, FpEvents ev, double p, double tol)
    {
        double inf = double.PositiveInfinity;
        Assert.True(double.IsNaN(got[3]) && double.IsNaN(got[6]));
        Assert.Equal(0.0, got[4]);
        Assert.Equal(inf, got[5]);
        if (p > 0)
        {
            Assert.Equal(inf, got[2]);
            Assert.Equal(Math.Pow(Math.Pow(3, p) + Math.Pow(4, p), 1 / p), got[0], tol * got[0]); // a zero adds 0
            Assert.Equal(1.0, got[9]);
        }
        else
        {
            Assert.Equal(0.0, got[1]);
            Assert.Equal(0.0, got[9]);
            Assert.True((ev & FpEvents.DivideByZero) != 0);
            Assert.Equal(3 * Math.Pow(1 + Math.Pow(2.0 / 3, p), 1 / p), got[2], tol * got[2]); // ∞ adds 0
        }
    }

    [Fact]
    public void TakesTheGeneralOrdersOfShortFloatLinesOnly()
    {
        long[] strides = { 8 * 16, 8 }, ostr = { 8 };
        var plan = ReductionPlan.Create(new long[] { 100, 16 }, strides, 2, ostr);
        Assert.True(LaneSums.Applies(plan, DType.Float64, DType.Float64, 1.7));
        Assert.True(LaneSums.Applies(plan, DType.Float64, DType.Float64, -1000));
        Assert.False(LaneSums.Applies(plan, DType.Float64, DType.Float64, 3)); // a whole order: its own kernel
        Assert.False(LaneSums.Applies(plan, DType.Float64, DType.Float64, 0.2)); // below the table kernel's orders
        Assert.False(LaneSums.Applies(plan, DType.Complex128, DType.Float64, 1.7));
        var few = ReductionPlan.Create(new long[] { 7, 16 }, strides, 2, ostr);
        Assert.False(LaneSums.Applies(few, DType.Float64, DType.Float64, 1.7));
        var longLines = ReductionPlan.Create(new long[] { 100, LaneSums.MaxInner + 1 }, new long[] { 8 * (LaneSums.MaxInner + 1), 8 }, 2, ostr);
        Assert.False(LaneSums.Applies(longLines, DType.Float64, DType.Float64, 1.7));
    }
}
