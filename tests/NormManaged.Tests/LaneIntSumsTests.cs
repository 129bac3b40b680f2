using NormManaged.Engine;
using NormManaged.Kernels;
using Xunit;

namespace NormManaged.Tests;

/// <summary><see cref="LaneIntSums"/>: float64 whole and half-integer orders of many short lines with the sums made a
/// lane per line. Every output against the same line reduced alone (the 1-D block path) bit for bit, with its events:
/// orders 3, 4, 5, 8, 33, 64, ±1.5, −0.5, 2.5, 3.5, −7.5, 64.5, lines of 1…70 and 100, 127…129 elements (every 16-accumulator
/// boundary, the offset kernel's 64 and the lane limit 128), row counts not a multiple of 8 or 32, C rows, strided, reversed and adjacent
/// (F-order) lines, magnitudes near 1e±300, subnormals, rows mixing huge and tiny, zeros, ∞ and NaN, both SIMD widths
/// and 1/2/3 threads (with row counts large enough to split). Exactness against big-integer / mpmath references is in
/// tests/python/test_lane_int_rows.py.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class LaneIntSumsTests
{
    private static readonly double[] Orders = { 3, 4, 5, 8, 33, 64, 1.5, 2.5, -1.5, -0.5, 3.5, -7.5, 64.5 };

    /// <summary>Row values of one magnitude kind (see the class summary).</summary>
    private static double[] Values(Random rng, int count, int kind)
    {
        var v = new double[count];
        for (int i = 0; i < count; i++)
        {
            double g = MatrixTestUtil.Gaussian(rng);
            v[i] = kind switch
            {
                0 => g,
                1 => g * 1e300,
                2 => g * (rng.Next(2) == 0 ? 1e-300 : 1e-310), // tiny and subnormal
                3 => g * Math.ScaleB(1.0, rng.Next(-1074, 1020)), // rows mixing huge and tiny
                4 => Math.Round(g * 8), // small integers: exact sums, many zeros
                _ => g * (1 + rng.Next(3)),
            };
            if (kind == 5)
            {
                int s = rng.Next(40);
                if (s == 0) v[i] = 0;
                else if (s == 1) v[i] = double.PositiveInfinity;
                else if (s == 2) v[i] = double.NegativeInfinity;
                else if (s == 3) v[i] = double.NaN;
                else if (s == 4) v[i] = double.Epsilon;
            }
        }
        return v;
    }

    private static byte[] Encode(double[] v)
    {
        var b = new byte[v.Length * 8 + 64];
        Buffer.BlockCopy(v, 0, b, 0, v.Length * 8);
        return b;
    }

    /// <summary>All rows at once (under <paramref name="knobs"/>) against each row alone: bits and events; whether the
    /// lane sums took the plan.</summary>
    private static bool Case(Random rng, int rows, int n, double p, (bool, int) knobs, int kind, int layout)
    {
        long cs = layout switch { 1 => 2, 2 => -1, 3 => rows, _ => 1 };
        long rs = layout switch { 1 => 2L * n + 1, 2 => n, 3 => 1, _ => n };
        long span = layout == 1 ? (2L * n + 1) * rows : (long)n * rows;
        long first = layout == 2 ? n - 1 : 0;
        var data = Encode(Values(rng, (int)span + 2, kind));
        var (all, evAll, alone, evAlone, _) = LanePowTests.Run(data, DType.Float64, rows, n, rs, cs, first, p, knobs);
        for (int r = 0; r < rows; r++)
            Assert.True(all.AsSpan(8 * r, 8).SequenceEqual(alone.AsSpan(8 * r, 8)),
                $"p={p} rows={rows} n={n} kind={kind} layout={layout} knobs={knobs} row {r}: "
                + $"{BitConverter.ToDouble(all, 8 * r):R} vs {BitConverter.ToDouble(alone, 8 * r):R}");
        Assert.Equal(evAlone, evAll);
        var plan = ReductionPlan.Create(new long[] { rows, n }, new long[] { rs * 8, cs * 8 }, 2, new long[] { 8 });
        bool lanes = LanePow.AppliesInt(plan, DType.Float64, DType.Float64, p) || LanePow.AppliesHalf(plan, DType.Float64, DType.Float64, p);
        return lanes && LaneIntSums.Applies(plan, p);
    }

    [Theory]
    [InlineData(3.0)]
    [InlineData(4.0)]
    [InlineData(5.0)]
    [InlineData(8.0)]
    [InlineData(33.0)]
    [InlineData(64.0)]
    [InlineData(1.5)]
    [InlineData(2.5)]
    [InlineData(-1.5)]
    [InlineData(-0.5)]
    [InlineData(3.5)]
    [InlineData(-7.5)]
    [InlineData(64.5)]
    public void EveryRowHasTheBitsOfThatRowAlone(double p)
    {
        var rng = new Random(7000 + (int)(4 * p));
        var knobs = EngineKnobs.Configurations().ToArray();
        int taken = 0;
        foreach (int n in Enumerable.Range(1, 70).Concat(new[] { 100, 127, 128, 129 }))
        {
            int rows = new[] { 32, 33, 37, 40, 63, 65, 100 }[rng.Next(7)];
            if (Case(rng, rows, n, p, knobs[rng.Next(knobs.Length)], rng.Next(6), rng.Next(4))) taken++;
        }
        // lines below 64 always, up to 128 for the orders without an offset kernel
        Assert.Equal(p is 3 or 4 or 1.5 or 2.5 ? 63 : 73, taken);
    }

    [Theory]
    [InlineData(3.0)]
    [InlineData(7.0)]
    [InlineData(2.5)]
    [InlineData(-1.5)]
    public void EveryKindLayoutWidthAndThreadCount(double p)
    {
        var rng = new Random(7100 + (int)(4 * p));
        foreach (var knobs in EngineKnobs.Configurations())
            foreach (int n in new[] { 1, 4, 15, 16, 17, 33, 48, 63 })
                for (int kind = 0; kind < 6; kind++)
                    Assert.True(Case(rng, 41, n, p, knobs, kind, rng.Next(4)));
    }

    [Theory]
    [InlineData(3.0, 60)]
    [InlineData(5.0, 64)]
    [InlineData(-1.5, 16)]
    [InlineData(2.5, 4)]
    public void SplitOverThreadsTheBitsDoNotChange(double p, int n)
    {
        // enough elements for the output ranges to go to the workers (2¹⁸ whole, 2¹⁵ half-integer)
        var rng = new Random(7200 + n);
        foreach (var knobs in EngineKnobs.Configurations())
            Assert.True(Case(rng, (1 << 18) / n + 3, n, p, knobs, 3, rng.Next(4)));
    }

    [Fact]
    public void SpecialRowsKeepTheirValuesAndEvents()
    {
        // NaN, ∞, all zeros, a zero under p < 0, only ∞ under p < 0, subnormal-only rows, in one batch of 40
        var rows = new List<double[]>
        {
            new[] { double.NaN, 1, 2 }, new[] { double.PositiveInfinity, 1, 2 }, new[] { 0.0, 0, 0 }, new[] { 0.0, 3, 4 },
            new[] { double.NegativeInfinity, double.PositiveInfinity, double.PositiveInfinity }, new[] { double.Epsilon, 0, double.Epsilon },
            new[] { double.PositiveInfinity, 2, 3 }, new[] { 1e308, 1e308, 1e308 },
        };
        while (rows.Count < 40) rows.Add(new[] { 1.0 + rows.Count, 2, 3 });
        var data = Encode(rows.SelectMany(r => r).ToArray());
        foreach (double p in Orders)
            foreach (var knobs in EngineKnobs.Configurations())
            {
                var (all, evAll, alone, evAlone, _) = LanePowTests.Run(data, DType.Float64, rows.Count, 3, 3, 1, 0, p, knobs);
                Assert.True(all.AsSpan().SequenceEqual(alone), $"p={p}");
                Assert.Equal(evAlone, evAll);
            }
    }
}
