using NormManaged.Engine;
using Xunit;

namespace NormManaged.Tests;

/// <summary><see cref="NarrowLaneSums"/>: general-p float32 and float16 norms of many short lines, a SIMD lane per
/// line, stored only when proven correctly rounded. Every output is compared bit for bit (and the call's events) with
/// the same line reduced alone — the 1-D path, a different computation that is correctly rounded too — under both
/// vector widths and 1, 2 and 3 threads: lines of 1…64 elements (and 65, declined), row counts around the group of 8,
/// C rows, strided, reversed and adjacent (F-order) lines, magnitudes at the ends of each format, subnormals, rows
/// mixing huge and tiny values, zeros, ±∞ and NaN (special rows: their values and events). The store proof itself is
/// tested at the rounding midpoints; accuracy against mpmath is in tests/python/test_narrow_short_rows.py.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class NarrowLaneSumsTests
{
    private static readonly double[] Orders = { 1.7, 1.5, 2.5, -2.5, 0.3, -0.7, 3, 4, 3.3, 0.13, 7.25, -13.9, 33.3, -64.7, 999.9 };

    /// <summary>float16 also takes whole orders and ±½ (all but 1).</summary>
    private static readonly double[] HalfOrders = { 2, -1, 0.5, -2, 4, 6.5, 40.5, -0.5 };

    /// <summary>The norms of all rows at once under <paramref name="knobs"/> (<see cref="LanePowTests.Run"/> without
    /// the rows alone), with the call's events.</summary>
    private static (byte[] All, FpEvents Ev) All(byte[] data, DType t, int rows, int n, long rs, long cs, long first, double p, (bool, int) knobs)
    {
        int es = DTypes.ItemSize(t);
        var all = new byte[rows * es];
        FpEvents ev;
        fixed (byte* q = data)
        fixed (byte* a = all)
        {
            byte* x0 = q + first * es, ap = a;
            long[] shape = { rows, n }, strides = { rs * es, cs * es }, oshape = { rows }, ostr = { es };
            ev = EngineKnobs.With(knobs, () => VectorNorms.Compute(new NdView(x0, t, shape, strides), 2, Ord.Of(p), new NdView(ap, t, oshape, ostr)));
        }
        return (all, ev);
    }

    private static bool Taken(DType t, int rows, int n, long rs, long cs, double p)
    {
        long es = DTypes.ItemSize(t);
        var plan = ReductionPlan.Create(new long[] { rows, n }, new[] { rs * es, cs * es }, 2, new[] { es });
        return NarrowLaneSums.Applies(plan, t, t, p);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float16)]
    public void EveryRowHasTheBitsOfThatRowAloneAtEveryWidthAndThreadCount(DType t)
    {
        var rng = new Random(77 + (int)t);
        var knobs = EngineKnobs.Configurations().ToArray();
        var orders = t == DType.Float16 ? Orders.Concat(HalfOrders).ToArray() : Orders;
        int taken = 0;
        foreach (double p in orders)
            for (int n = 1 + rng.Next(2); n <= 66; n += 1 + rng.Next(7))
            {
                int rows = new[] { 8, 9, 15, 16, 17, 31, 33, 40 }[rng.Next(8)];
                var (data, rs, cs, first, kind, layout) = TestData.Lines(rng, rows, n, t);
                bool take = Taken(t, rows, n, rs, cs, p);
                Assert.Equal(n <= NarrowLaneSums.MaxLine(t, p, adjacent: t == DType.Float32 && rs == 1 && n > 1) || LongRows(t, rows, n, rs, cs, p), take);
                if (take) taken++;
                var r = LanePowTests.Run(data, t, rows, n, rs, cs, first, p, knobs[0]);
                Assert.True(r.All.AsSpan().SequenceEqual(r.Alone), $"{t} p={p} rows={rows} n={n} kind={kind} layout={layout}");
                Assert.Equal(r.EvAlone, r.EvAll);
                foreach (var c in knobs.Skip(1))
                {
                    var o = All(data, t, rows, n, rs, cs, first, p, c);
                    Assert.True(r.All.AsSpan().SequenceEqual(o.All), $"{t} p={p} rows={rows} n={n} kind={kind} layout={layout} {c}");
                    Assert.Equal(r.EvAll, o.Ev);
                }
            }
        Assert.True(taken >= 100, $"{t}: NarrowLaneSums took {taken}");
    }

    private static bool LongRows(DType t, int rows, int n, long rs, long cs, double p)
    {
        long es = DTypes.ItemSize(t);
        return NarrowLaneSums.LongRows(ReductionPlan.Create(new long[] { rows, n }, new[] { rs * es, cs * es }, 2, new[] { es }), t, p);
    }

    /// <summary>Contiguous float32 rows longer than 64 (<see cref="NarrowLaneSums.LongRows"/>: read in place, the last
    /// vector of a line masked): C rows (eight one run), rows of a wider matrix, a first row past the start, lengths
    /// around the vector widths, at every width and thread count, with the special values of <see cref="TestData.Draw"/>.</summary>
    [Theory]
    [InlineData(1.7)]
    [InlineData(5)]
    [InlineData(-0.5)]
    [InlineData(2.5)]
    [InlineData(-3)]
    public void LongRowsHaveTheBitsOfThoseRowsAlone(double p)
    {
        var rng = new Random(31);
        var knobs = EngineKnobs.Configurations().ToArray();
        int taken = 0;
        foreach (int n in new[] { 65, 67, 72, 100, 257, 512, 513, 1029, 2048, 3001 })
            foreach (int extra in new[] { 0, 3 })
            {
                int rows = new[] { 8, 9, 17, 33 }[rng.Next(4)];
                long rs = n + extra;
                var v = new double[rows * rs + 1];
                for (int i = 0; i < v.Length; i++) v[i] = TestData.Draw(rng, i % 97 == 0 ? rng.Next(1, 6) : 0, DType.Float32);
                var data = TestData.Encode(v, DType.Float32);
                if (LongRows(DType.Float32, rows, n, rs, 1, p)) taken++;
                var r = LanePowTests.Run(data, DType.Float32, rows, n, rs, 1, extra == 0 ? 0 : 1, p, knobs[0]);
                Assert.True(r.All.AsSpan().SequenceEqual(r.Alone), $"p={p} rows={rows} n={n} rs={rs}");
                Assert.Equal(r.EvAlone, r.EvAll);
                foreach (var c in knobs.Skip(1))
                {
                    var o = All(data, DType.Float32, rows, n, rs, 1, extra == 0 ? 0 : 1, p, c);
                    Assert.True(r.All.AsSpan().SequenceEqual(o.All), $"p={p} rows={rows} n={n} rs={rs} {c}");
                    Assert.Equal(r.EvAll, o.Ev);
                }
            }
        Assert.True(taken >= 8, $"p={p}: long rows took {taken}");
    }

    [Theory]
    [InlineData(DType.Float32, 1.7)]
    [InlineData(DType.Float32, -2.5)]
    [InlineData(DType.Float32, 3)]
    [InlineData(DType.Float32, 4)]
    [InlineData(DType.Float32, 2.5)]
    [InlineData(DType.Float16, 2.5)]
    [InlineData(DType.Float16, -1)]
    public void ManyRowsOverThreadsKeepTheirBits(DType t, double p)
    {
        var rng = new Random(9);
        foreach (int n in new[] { 1, 7, 32, 33, 64 })
        {
            if (n > NarrowLaneSums.MaxCubeInner && p == 3 && t == DType.Float32) continue;
            const int rows = 3001; // many parallel ranges and a last group of one line
            var v = new double[rows * n];
            for (int i = 0; i < v.Length; i++) v[i] = TestData.Draw(rng, i % 7 == 0 ? 4 : 0, t);
            var data = TestData.Encode(v, t);
            Assert.True(Taken(t, rows, n, n, 1, p));
            var knobs = EngineKnobs.Configurations().ToArray();
            var r = LanePowTests.Run(data, t, rows, n, n, 1, 0, p, knobs[0]);
            Assert.True(r.All.AsSpan().SequenceEqual(r.Alone), $"{t} p={p} n={n}");
            foreach (var c in knobs.Skip(1))
                Assert.True(r.All.AsSpan().SequenceEqual(All(data, t, rows, n, n, 1, 0, p, c).All), $"{t} p={p} n={n} {c}");
        }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float16)]
    public void SpecialRowsKeepTheirValuesAndEvents(DType t)
    {
        double nan = double.NaN, inf = double.PositiveInfinity, top = t == DType.Float16 ? 65504 : float.MaxValue;
        double tiny = t == DType.Float16 ? 6e-8 : 1.4e-45; // the least subnormal
        double[][] rows =
        {
            new[] { 3.0, 4, 0 }, new[] { 0.0, 2, 3 }, new[] { inf, 2, 3 }, new[] { nan, 2, 3 }, new[] { 0.0, 0, 0 },
            new[] { inf, -inf, inf }, new[] { nan, 0, 5 }, new[] { top, top, top }, new[] { tiny, tiny, -tiny }, new[] { -0.0, -0.0, 1 },
        };
        foreach (double p in new[] { 1.7, 0.3, 3, 33.3, -0.7, -3.3, -999.9 })
        {
            var data = TestData.Encode(rows.SelectMany(r => r).ToArray(), t);
            Assert.True(Taken(t, rows.Length, 3, 3, 1, p));
            var r = LanePowTests.Run(data, t, rows.Length, 3, 3, 1, 0, p, (true, 1));
            Assert.True(r.All.AsSpan().SequenceEqual(r.Alone));
            Assert.Equal(r.EvAlone, r.EvAll);
            var got = new double[rows.Length];
            for (int i = 0; i < rows.Length; i++)
                got[i] = t == DType.Float32 ? BitConverter.ToSingle(r.All, 4 * i) : (double)BitConverter.ToHalf(r.All, 2 * i);
            LaneSumsTests.AssertSpecialRows(got, r.EvAll, p, 2e-3);
            if (p > 0)
            {
                Assert.Equal(inf, got[7]); // 3^(1/p)·top overflows
                Assert.True((r.EvAll & FpEvents.Overflow) != 0);
            }
        }
    }

    /// <summary>The store: for a v at k double ulps from a rounding midpoint of the format, nothing is stored for
    /// k ≤ ulps, and beyond it the nearest value of the format is (the value both neighbours of the midpoint agree on).</summary>
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float16)]
    public void StoresOnlyFarFromEveryRoundingMidpoint(DType t)
    {
        var rng = new Random(3);
        long ulps = NarrowLaneSums.Ulps(1.7);
        Assert.Equal((1L << 17) + 1, ulps);
        Assert.Equal((1L << 20) + 1, NarrowLaneSums.Ulps(0.125));
        byte* dst = stackalloc byte[4];
        for (int trial = 0; trial < 2000; trial++)
        {
            // a midpoint between two adjacent normal values of the format
            double lo, hi;
            if (t == DType.Float32)
            {
                float f = BitConverter.Int32BitsToSingle(rng.Next(0x0100_0000, 0x7E80_0000)); // [2⁻¹²⁵, 2¹²⁷)
                lo = f; hi = MathF.BitIncrement(f);
            }
            else
            {
                Half h = BitConverter.Int16BitsToHalf((short)rng.Next(0x0400, 0x7BFE)); // normal, below 65504
                lo = (double)h; hi = (double)BitConverter.Int16BitsToHalf((short)(BitConverter.HalfToInt16Bits(h) + 1));
            }
            double mid = (lo + hi) / 2; // exact
            long k = rng.Next(3) switch { 0 => rng.NextInt64(0, ulps + 1), 1 => ulps + 1 + rng.NextInt64(0, 8), _ => rng.NextInt64(ulps + 1, 1L << 27) };
            bool up = rng.Next(2) == 0;
            double v = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(mid) + (up ? k : -k));
            bool stored = t == DType.Float32 ? NarrowLaneSums.TryStoreSingle(v, ulps, dst) : NarrowLaneSums.TryStoreHalf(v, ulps, dst);
            Assert.Equal(k > ulps, stored);
            if (stored)
            {
                double got = t == DType.Float32 ? *(float*)dst : (double)*(Half*)dst;
                Assert.Equal(up ? hi : lo, got);
            }
        }
        // outside the normal range of the format, or not a number: never stored
        foreach (double v in new[] { double.NaN, double.PositiveInfinity, 0.0, -1.0, t == DType.Float32 ? 1e-38 : 6e-5, t == DType.Float32 ? 2e38 : 65504.5 })
            Assert.False(t == DType.Float32 ? NarrowLaneSums.TryStoreSingle(v, ulps, dst) : NarrowLaneSums.TryStoreHalf(v, ulps, dst));
    }

    [Fact]
    public void TakesTheGeneralOrdersOfShortNarrowLinesOnly()
    {
        Assert.True(Taken(DType.Float32, 100, 16, 16, 1, 1.7));
        Assert.True(Taken(DType.Float32, 100, 64, 64, 1, -999.9));
        Assert.True(Taken(DType.Float32, 100, 16, 16, 1, 3)); // cubes: two multiplications
        Assert.False(Taken(DType.Float32, 100, 33, 33, 1, 3));
        Assert.True(Taken(DType.Float32, 100, 64, 64, 1, 4)); // fourth powers: (x²)², up to 64
        Assert.True(Taken(DType.Float32, 100, 16, 16, 1, 5)); // whole orders ≥ 5 and −½: no kernel of their own
        Assert.True(Taken(DType.Float32, 100, 64, 64, 1, 20));
        Assert.True(Taken(DType.Float32, 100, 16, 16, 1, -0.5));
        Assert.False(Taken(DType.Float32, 100, 16, 16, 1, 0.5)); // ½, 1, 2, −1: kernels of their own
        Assert.False(Taken(DType.Float32, 100, 16, 16, 1, 1));
        Assert.False(Taken(DType.Float32, 100, 16, 16, 1, 2));
        Assert.False(Taken(DType.Float32, 100, 16, 16, 1, -1));
        Assert.False(Taken(DType.Float32, 100, 16, 16, 1, 0.1)); // below 1/8
        Assert.False(Taken(DType.Float32, 100, 16, 16, 1, 1001));
        Assert.True(Taken(DType.Float16, 100, 16, 16, 1, 2));
        Assert.True(Taken(DType.Float16, 100, 16, 16, 1, -1));
        Assert.False(Taken(DType.Float16, 100, 16, 16, 1, 1)); // HalfRows: exact sums
        Assert.False(Taken(DType.Float32, 7, 16, 16, 1, 1.7)); // fewer than a group of lines
        Assert.True(Taken(DType.Float32, 100, 65, 65, 1, 1.7)); // contiguous rows of 65 … 512: LongRows
        Assert.True(Taken(DType.Float32, 100, 512, 513, 1, 1.7));
        Assert.True(Taken(DType.Float32, 100, 600, 600, 1, 1.7)); // general p to 4096
        Assert.False(Taken(DType.Float32, 100, 4097, 4097, 1, 1.7));
        Assert.True(Taken(DType.Float32, 100, 600, 600, 1, 5)); // whole and half-integer orders to 2048
        Assert.False(Taken(DType.Float32, 100, 2049, 2049, 1, 5));
        Assert.False(Taken(DType.Float32, 100, 600, 600, 1, -1.5));
        Assert.False(Taken(DType.Float32, 100, 100, 100, 1, -2)); // −2 and 3: their own 1-D fast paths
        Assert.False(Taken(DType.Float32, 100, 100, 100, 1, 3));
        Assert.False(Taken(DType.Float32, 100, 65, 130, 2, 1.7)); // strided rows: not here
        var plan = ReductionPlan.Create(new long[] { 100, 16 }, new long[] { 64, 4 }, 2, new long[] { 8 });
        Assert.False(NarrowLaneSums.Applies(plan, DType.Float32, DType.Float64, 1.7));
        Assert.False(NarrowLaneSums.Applies(plan, DType.Float64, DType.Float64, 1.7));
    }
}
