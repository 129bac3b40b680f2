using NormManaged.Engine;
using NormManaged.Kernels;
using Xunit;

namespace NormManaged.Tests;

/// <summary><see cref="LanePow"/>: general-p norms of many short lines with their roots taken eight at a time. Its
/// vector root against <see cref="GeneralNorm.Root"/> bit for bit (sums over the whole double range, both widths), and
/// every output against the same line reduced alone (the 1-D path) bit for bit, with its events: float64, complex128,
/// float32, complex64, float16 and int32 lines of 1…70 elements and longer, row counts around the group of 8, C rows,
/// strided, reversed and adjacent (F-order) lines, extreme magnitudes, subnormals, zeros, ∞ and NaN, every width and
/// thread count. Accuracy against 300-bit references is in tests/python/test_general_p_rows.py.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class LanePowTests
{
    private static readonly double[] Orders = { 0.3, 1.7, 7, 33.3, 1000, -0.5, -3, -7.5, 0.125, -999 };

    private static bool Same(in Ext a, in Ext b)
        => BitConverter.DoubleToInt64Bits(a.H) == BitConverter.DoubleToInt64Bits(b.H)
           && BitConverter.DoubleToInt64Bits(a.L) == BitConverter.DoubleToInt64Bits(b.L) && a.E == b.E;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RootsAreGeneralNormsRootsBitForBit(bool wide)
    {
        bool saved = RealKernels.Wide;
        RealKernels.Wide = wide && System.Runtime.Intrinsics.X86.Avx512F.IsSupported;
        try
        {
            var rng = new Random(wide ? 21 : 22);
            const int g = LanePow.Group;
            double* sh = stackalloc double[g], sl = stackalloc double[g], rh = stackalloc double[g], rl = stackalloc double[g];
            int* rk = stackalloc int[g], se = stackalloc int[g];
            int checkedLanes = 0;
            foreach (double p in Orders.Concat(new[] { 0.126, 2.2, 64.7, -1.3, -640.5 }))
                for (int round = 0; round < 16; round++)
                {
                    for (int i = 0; i < g; i++)
                    {
                        // block sums lie in (0, 4096]: subnormal (every term underflowed), exact powers of two (ln of
                        // the reduced part is 0), values at the √2 reduction boundary, and general values with a low part
                        int kind = rng.Next(6);
                        double h = kind switch
                        {
                            0 => Math.ScaleB(1.0, rng.Next(-1074, 13)),
                            1 => double.Epsilon * rng.Next(1, 1 << 20),
                            2 => Math.ScaleB(1.4142135623730951, rng.Next(-60, 12)),
                            3 => Math.ScaleB(Math.BitIncrement(1.4142135623730951), rng.Next(-60, 12)),
                            _ => (1 + rng.NextDouble()) * Math.ScaleB(1.0, rng.Next(-1060, 12)),
                        };
                        double l = kind >= 4 ? h * Math.ScaleB(rng.NextDouble() - 0.5, -53) : 0;
                        if (Math.Abs(l) < Math.ScaleB(1.0, -1070)) l = 0;
                        sh[i] = h + l; sl[i] = l - (sh[i] - h);
                        se[i] = rng.Next(3) == 0 ? rng.Next(-60, 60) : 0; // NarrowPowFast's sums carry an exponent
                    }
                    LanePow.Roots(sh, sl, se, p, null, rh, rl, rk);
                    for (int i = 0; i < g; i++)
                    {
                        int eb = rng.Next(-1100, 1100);
                        Ext want = GeneralNorm.Root(sh[i], sl[i], se[i], p, new Ext(1, 0, eb));
                        Ext got = Ext.Mul(Ext.Normalize(rh[i], rl[i], rk[i]), new Ext(1, 0, eb));
                        Assert.True(Same(got, want), $"p={p} S={sh[i]:R}+{sl[i]:R}: ({got.H:R}, {got.L:R}, {got.E}) vs ({want.H:R}, {want.L:R}, {want.E})");
                        checkedLanes++;
                    }
                }
            Assert.Equal(15 * 16 * g, checkedLanes);
        }
        finally { RealKernels.Wide = saved; }
    }

    /// <summary>Elements of a test: values (complex: re, im pairs) of the kinds below, written as dtype <c>t</c>.</summary>
    private static double[] Values(Random rng, int count, DType t, int kind)
    {
        bool narrow = t is DType.Float32 or DType.Complex64;
        var v = new double[count];
        for (int i = 0; i < count; i++)
        {
            double g = MatrixTestUtil.Gaussian(rng);
            v[i] = kind switch
            {
                0 => g,
                1 => g * (narrow ? 1e38 : 1e300),
                2 => g * (narrow ? 1e-38 : 1e-300), // tiny and subnormal
                3 => g * Math.ScaleB(1.0, narrow ? rng.Next(-140, 120) : rng.Next(-1070, 1020)), // rows mixing huge and tiny
                _ => g * (1 + rng.Next(3)), // with special values below
            };
            if (t == DType.Float16) v[i] = (double)(Half)(g * 100);
            if (t == DType.Int32) v[i] = Math.Round(g * 1000);
            if (kind == 4)
            {
                int s = rng.Next(40);
                if (s == 0) v[i] = 0;
                else if (s == 1) v[i] = double.PositiveInfinity;
                else if (s == 2) v[i] = double.NegativeInfinity;
                else if (s == 3) v[i] = double.NaN;
            }
        }
        return v;
    }

    private static int ItemSize(DType t) => DTypes.ItemSize(t);

    /// <summary>Norms over axis 1 of a (rows, n) view with element strides (rs, cs) (in items, any sign) starting at
    /// item <paramref name="first"/>: all at once, and each row alone as a 1-D view of the same memory.</summary>
    internal static (byte[] All, FpEvents EvAll, byte[] Alone, FpEvents EvAlone, bool Taken) Run(
        byte[] data, DType t, int rows, int n, long rs, long cs, long first, double p, (bool, int) knobs)
    {
        DType ot = DTypes.ResultType(t);
        int os = ItemSize(ot), es = ItemSize(t);
        var all = new byte[rows * os];
        var alone = new byte[rows * os];
        FpEvents evAll, evAlone = FpEvents.None;
        bool taken;
        fixed (byte* q = data)
        fixed (byte* a = all)
        fixed (byte* b = alone)
        {
            byte* x0 = q + first * es;
            long[] shape = { rows, n }, strides = { rs * es, cs * es }, oshape = { rows }, ostr = { os };
            var plan = ReductionPlan.Create(shape, strides, 2, ostr);
            taken = (GeneralPowFast.Applies(t, p) && LanePow.Applies(plan)) || LanePow.AppliesInt(plan, t, ot, p)
                    || LanePow.AppliesHalf(plan, t, ot, p) || LanePow.AppliesComplex(plan, t, p);
            byte* ap = a;
            evAll = EngineKnobs.With(knobs, () => VectorNorms.Compute(new NdView(x0, t, shape, strides), 2, Ord.Of(p), new NdView(ap, ot, oshape, ostr)));
            for (int r = 0; r < rows; r++)
            {
                long[] s1 = { n }, st1 = { cs * es };
                evAlone |= VectorNorms.Compute(new NdView(x0 + r * rs * es, t, s1, st1), 1, Ord.Of(p),
                    new NdView(b + r * os, ot, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
            }
        }
        return (all, evAll, alone, evAlone, taken);
    }

    /// <summary>One random (rows, n) case of order p — a magnitude kind, a layout and a configuration drawn from
    /// <paramref name="rng"/> — all rows at once against each row alone, bits and events; whether a lane path took it.</summary>
    private static bool RandomCase(Random rng, DType t, int rows, int n, double p, (bool, int)[] knobs)
    {
        int w = DTypes.IsComplex(t) ? 2 : 1;
        int kind = rng.Next(5);
        int layout = rng.Next(4); // 0: C rows, 1: strided columns inside, 2: reversed rows, 3: rows adjacent (F order)
        long cs = layout switch { 1 => 2, 2 => -1, 3 => rows, _ => 1 };
        long rs = layout switch { 1 => 2L * n + 1, 2 => n, 3 => 1, _ => n };
        long span = layout == 1 ? (2L * n + 1) * rows : (long)n * rows;
        long first = layout == 2 ? n - 1 : 0;
        var v = Values(rng, (int)(span * w) + 2, t, kind);
        var data = TestData.Encode(v, t, 64);
        // complex items are counted in complex elements: strides and offsets in items of the dtype
        var (all, evAll, alone, evAlone, isTaken) = Run(data, t, rows, n, rs, cs, first, p, knobs[rng.Next(knobs.Length)]);
        Assert.True(all.AsSpan().SequenceEqual(alone), $"{t} p={p} rows={rows} n={n} kind={kind} layout={layout}");
        Assert.Equal(evAlone, evAll);
        return isTaken;
    }

    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Complex128)]
    [InlineData(DType.Float32)]
    [InlineData(DType.Complex64)]
    [InlineData(DType.Float16)]
    [InlineData(DType.Int32)]
    public void EveryRowHasTheBitsOfThatRowAlone(DType t)
    {
        var rng = new Random(100 + (int)t);
        var knobs = EngineKnobs.Configurations().ToArray();
        int taken = 0, cases = 0;
        var lengths = Enumerable.Range(1, 70).Concat(new[] { 100, 255, 1000, 2048 }).ToArray();
        foreach (int n in lengths)
        {
            double p = Orders[rng.Next(Orders.Length)];
            int rows = new[] { 2, 7, 8, 9, 31, 32, 33, 65 }[rng.Next(8)];
            if (n >= 1000) rows = 9;
            if (RandomCase(rng, t, rows, n, p, knobs)) taken++;
            cases++;
        }
        // the path under test was taken for the general orders (not for the real orders with kernels of their own)
        Assert.True(taken >= cases / 3, $"{t}: LanePow took {taken} of {cases}");
    }

    [Theory]
    [InlineData(DType.Float64, 1.7)]
    [InlineData(DType.Float64, -3.3)]
    [InlineData(DType.Complex128, 0.3)]
    [InlineData(DType.Complex128, -7.5)]
    [InlineData(DType.Float32, 1.7)]
    [InlineData(DType.Complex64, 33.3)]
    [InlineData(DType.Float64, 1.5)]
    [InlineData(DType.Float64, -2.5)]
    [InlineData(DType.Float64, 64.5)]
    [InlineData(DType.Complex128, 3)]
    [InlineData(DType.Complex128, 2.5)]
    [InlineData(DType.Complex64, 4)]
    public void BitsDoNotDependOnWidthThreadsOrRowCount(DType t, double p)
    {
        var rng = new Random(7);
        int w = DTypes.IsComplex(t) ? 2 : 1;
        foreach (int n in new[] { 3, 16, 64 })
        {
            const int rows = 3001; // many parallel ranges, a last group of one
            var v = Values(rng, rows * n * w, t, 3);
            var data = TestData.Encode(v, t, 64);
            byte[]? first = null;
            foreach (var c in EngineKnobs.Configurations())
            {
                var r = Run(data, t, rows, n, n, 1, 0, p, c);
                Assert.True(r.Taken);
                first ??= r.All;
                Assert.True(first.AsSpan().SequenceEqual(r.All), $"{t} p={p} n={n} {c}");
            }
            // the first 45 rows alone as a 45-row matrix: the same bits for them
            var few = Run(data, t, 45, n, n, 1, 0, p, (true, 1));
            Assert.True(few.All.AsSpan().SequenceEqual(first!.AsSpan(0, few.All.Length)));
        }
    }

    [Fact]
    public void SpecialRowsKeepTheirValuesAndEvents()
    {
        // rows of: a zero (p < 0: 0 and a divide-by-zero event; p > 0: ignored), ±∞ (p > 0: ∞; p < 0: contributes 0),
        // NaN (NaN; with a zero under p < 0 also the event), all zeros, all ∞, next to ordinary rows in one group
        double nan = double.NaN, inf = double.PositiveInfinity;
        double[][] rows =
        {
            new[] { 1.0, 2, 3 }, new[] { 0.0, 2, 3 }, new[] { inf, 2, 3 }, new[] { nan, 2, 3 }, new[] { 0.0, 0, 0 },
            new[] { inf, -inf, inf }, new[] { nan, 0, 5 }, new[] { 4.0, 5, 6 }, new[] { 1e-320, 1e300, 7 },
        };
        foreach (double p in new[] { 1.7, -0.7, -3.3, 33.3 })
        {
            var flat = rows.SelectMany(r => r).ToArray();
            var data = TestData.Encode(flat, DType.Float64, 64);
            var r = Run(data, DType.Float64, rows.Length, 3, 3, 1, 0, p, (true, 1));
            Assert.True(r.Taken);
            Assert.True(r.All.AsSpan().SequenceEqual(r.Alone));
            Assert.Equal(r.EvAlone, r.EvAll);
            var got = new double[rows.Length];
            Buffer.BlockCopy(r.All, 0, got, 0, r.All.Length);
            if (p > 0) Assert.Equal(inf, got[2]);
            else Assert.Equal(3 * Math.Pow(1 + Math.Pow(2.0 / 3, p), 1 / p), got[2], 1e-15 * got[2]); // ∞ contributes 0
            Assert.True(double.IsNaN(got[3]) && double.IsNaN(got[6]));
            Assert.Equal(0.0, got[4]);
            Assert.Equal(inf, got[5]);
            if (p < 0)
            {
                Assert.Equal(0.0, got[1]);
                Assert.True((r.EvAll & FpEvents.DivideByZero) != 0);
            }
        }
    }

    /// <summary>The real half-integer orders (<see cref="LanePow.RunHalf"/>) and the complex orders 3, 4, 2.5
    /// (<see cref="LanePow.RunComplex"/>): every row against the same row alone, bit for bit with its events, over
    /// lengths 1…70 and longer, row counts around the group of 32, every layout, magnitude kind and configuration.</summary>
    [Theory]
    [InlineData(DType.Float64, new[] { 1.5, 2.5, -1.5, 3.5, -2.5, 10.5, 64.5, -64.5, -7.5, -0.5 })]
    [InlineData(DType.Complex128, new[] { 3.0, 4, 2.5 })]
    [InlineData(DType.Complex64, new[] { 3.0, 4, 2.5 })]
    public void HalfAndComplexRowsHaveTheBitsOfThatRowAlone(DType t, double[] orders)
    {
        var rng = new Random(300 + (int)t);
        var knobs = EngineKnobs.Configurations().ToArray();
        int taken = 0, cases = 0;
        var lengths = Enumerable.Range(1, 70).Concat(new[] { 100, 255, 1024 }).ToArray();
        foreach (int n in lengths)
            foreach (double p in orders)
            {
                if (RandomCase(rng, t, new[] { 31, 32, 33, 64, 65, 97 }[rng.Next(6)], n, p, knobs)) taken++;
                cases++;
            }
        // every case of 32 rows and more whose lines fit one block (all but the 1024-element complex lines)
        Assert.True(taken >= cases * 3 / 4, $"{t}: the lane roots took {taken} of {cases}");
    }

    /// <summary>Rows whose p = 1.5 norm is exactly a rounding midpoint of float64 (elements o·2^e·(1, 36, 64) with o odd:
    /// 1³ + 6³ + 8³ = 9³, so the norm is 81·o·2^e, a 54-bit odd integer times 2^e) among ordinary rows: each goes back
    /// to the exact decision and rounds to even, at every width and thread count, as the row alone does.</summary>
    [Fact]
    public void HalfIntegerMidpointRowsRoundToEven()
    {
        var rng = new Random(15);
        const int rows = 70;
        var v = new double[rows * 4];
        var want = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            if (r % 3 == 2) { for (int j = 0; j < 4; j++) v[4 * r + j] = MatrixTestUtil.Gaussian(rng); want[r] = double.NaN; continue; }
            long o;
            do o = (long)(rng.NextDouble() * ((1L << 54) / 81 - (1L << 53) / 81)) + (1L << 53) / 81 + 1 | 1;
            while (81 * o >= 1L << 54 || 81 * o < 1L << 53);
            int e = rng.Next(-300, 300);
            v[4 * r] = Math.ScaleB(o, e); v[4 * r + 1] = Math.ScaleB(36.0 * o, e); v[4 * r + 2] = Math.ScaleB(64.0 * o, e);
            v[4 * r + 3] = r % 2 == 0 ? 0 : -0.0; // zeros add nothing for p > 0
            long m = 81 * o, lower = m >> 1; // the midpoint between lower·2^(e+1) and (lower + 1)·2^(e+1)
            want[r] = Math.ScaleB((double)(lower + (lower & 1)), e + 1);
        }
        var data = TestData.Encode(v, DType.Float64, 64);
        foreach (var c in EngineKnobs.Configurations())
        {
            var res = Run(data, DType.Float64, rows, 4, 4, 1, 0, 1.5, c);
            Assert.True(res.Taken);
            Assert.True(res.All.AsSpan().SequenceEqual(res.Alone), c.ToString());
            var got = new double[rows];
            Buffer.BlockCopy(res.All, 0, got, 0, res.All.Length);
            for (int r = 0; r < rows; r++)
                if (!double.IsNaN(want[r])) Assert.True(got[r] == want[r], $"row {r} {c}: {got[r]:R} vs {want[r]:R}");
        }
    }

    /// <summary>The 45 rows of <paramref name="n"/> elements of <paramref name="flat"/> under order p, taken by a lane
    /// path and equal to each row alone (bits and events); their float64 values and events.</summary>
    private static double[] AllAsAlone(double[] flat, DType t, int n, double p, out FpEvents ev)
    {
        var r = Run(TestData.Encode(flat, t, 64), t, 45, n, n, 1, 0, p, (true, 1));
        Assert.True(r.Taken);
        Assert.True(r.All.AsSpan().SequenceEqual(r.Alone));
        Assert.Equal(r.EvAlone, r.EvAll);
        var got = new double[45];
        Buffer.BlockCopy(r.All, 0, got, 0, r.All.Length);
        ev = r.EvAll;
        return got;
    }

    /// <summary>Half-integer and complex rows with special values: NumPy's values and events, as the row alone.</summary>
    [Fact]
    public void HalfAndComplexSpecialRows()
    {
        double nan = double.NaN, inf = double.PositiveInfinity;
        double[][] rows =
        {
            new[] { 1.0, 2, 3, 4 }, new[] { 0.0, 2, 3, 4 }, new[] { inf, 2, 3, 4 }, new[] { nan, 2, 3, 4 }, new[] { 0.0, 0, 0, 0 },
            new[] { inf, -inf, inf, 1 }, new[] { nan, 0, 5, 1 }, new[] { 4.0, 5, 6, 7 }, new[] { 1e-320, 1e300, 7, 5e-324 },
        };
        var flat = Enumerable.Range(0, 5).SelectMany(_ => rows.SelectMany(r => r)).ToArray(); // 45 rows
        foreach (double p in new[] { 1.5, -1.5, 2.5, -64.5 })
        {
            var got = AllAsAlone(flat, DType.Float64, 4, p, out var ev);
            double of234 = Math.Pow(Math.Pow(2, p) + Math.Pow(3, p) + Math.Pow(4, p), 1 / p);
            if (p > 0) Assert.Equal(inf, got[2]);
            else Assert.Equal(of234, got[2], 1e-15 * of234); // ∞ contributes 0
            Assert.True(double.IsNaN(got[3]) && double.IsNaN(got[6]));
            Assert.Equal(0.0, got[4]);
            if (p < 0) { Assert.Equal(0.0, got[1]); Assert.True((ev & FpEvents.DivideByZero) != 0); }
            else Assert.Equal(of234, got[1], 1e-15 * of234);
        }
        // complex: (re, im) pairs of the same values
        foreach (double p in new[] { 3.0, 4, 2.5 })
        {
            var got = AllAsAlone(flat, DType.Complex128, 2, p, out _);
            Assert.Equal(Math.Pow(Math.Pow(Math.Sqrt(5), p) + Math.Pow(5, p), 1 / p), got[0], 1e-15 * got[0]);
            Assert.True(got[2] == inf && double.IsNaN(got[3]) && got[4] == 0 && got[5] == inf);
        }
    }
}
