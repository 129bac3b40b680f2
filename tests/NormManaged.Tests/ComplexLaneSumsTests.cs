using System.Numerics;
using NormManaged.Engine;
using NormManaged.Kernels;
using Xunit;

namespace NormManaged.Tests;

/// <summary><see cref="ComplexLaneSums"/>: complex whole orders (3, 4, 5, 7, 8, 63, 64) of lines of up to <see cref="ComplexLaneSums.MaxLengthOf(DType, double)"/>
/// values, one body run on <see cref="Lane1"/> for a lone line and a SIMD lane per line for many. Every output of many
/// rows against the same row alone bit for bit with its events (complex128 and complex64, lengths 1 … 20 around the
/// boundary, row counts around the group of 32, C rows, strided, reversed and F-order lines, 3-D reductions, magnitudes
/// over the whole range, subnormals, one component zero, ∞ and NaN), the bits against every width and thread count,
/// and even orders against an exact big-integer reference (correctly rounded). Odd orders' accuracy (mpmath) is in
/// tests/python/test_lane_complex_rows.py.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class ComplexLaneSumsTests
{
    private static double Value(Random rng, int kind, bool narrow)
    {
        double g = MatrixTestUtil.Gaussian(rng);
        double v = kind switch
        {
            0 => g,
            1 => g * (narrow ? 1e38 : 1e300),
            2 => g * (narrow ? 1e-38 : 1e-300), // tiny and subnormal
            3 => g * Math.ScaleB(1.0, narrow ? rng.Next(-150, 126) : rng.Next(-1080, 1022)), // huge and tiny in one row
            4 => rng.Next(3) == 0 ? 0 : g, // components and whole values zero
            _ => rng.Next(30) switch { 0 => double.PositiveInfinity, 1 => double.NegativeInfinity, 2 => double.NaN, 3 => 0, _ => g },
        };
        return narrow ? (float)v : v;
    }

    private static byte[] Encode(double[] v, DType t)
    {
        var b = new byte[v.Length * 8 + 64];
        fixed (byte* q = b)
            for (int i = 0; i < v.Length; i++)
                if (t == DType.Complex128) ((double*)q)[i] = v[i];
                else ((float*)q)[i] = (float)v[i];
        return b;
    }

    [Theory]
    [InlineData(DType.Complex128, 3)]
    [InlineData(DType.Complex128, 4)]
    [InlineData(DType.Complex128, 5)]
    [InlineData(DType.Complex128, 8)]
    [InlineData(DType.Complex128, 63)]
    [InlineData(DType.Complex64, 3)]
    [InlineData(DType.Complex64, 4)]
    [InlineData(DType.Complex64, 7)]
    [InlineData(DType.Complex128, 1.7)]
    [InlineData(DType.Complex128, -2.5)]
    [InlineData(DType.Complex128, 0.3)]
    [InlineData(DType.Complex128, -0.75)]
    [InlineData(DType.Complex128, 7.5)]
    [InlineData(DType.Complex128, -3)]
    [InlineData(DType.Complex128, 31.9)]
    [InlineData(DType.Complex128, 2.5)]
    public void EveryRowHasTheBitsOfThatRowAlone(DType t, double p)
    {
        var rng = new Random(300 + (int)t + (int)(10 * p));
        var knobs = EngineKnobs.Configurations().ToArray();
        int taken = 0;
        int max = ComplexLaneSums.MaxLengthOf(t, p);
        int[] lengths = { 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 20, 23, 24, 25, 31, 32, 33, 47, 63, 64, 65, 70, 100, 128, 129 };
        foreach (int n in lengths)
            for (int rep = 0; rep < 3; rep++)
            {
                int rows = new[] { 2, 7, 31, 32, 33, 65, 100 }[rng.Next(7)];
                int kind = rng.Next(6);
                int layout = rng.Next(4); // 0: C rows, 1: strided inside, 2: reversed rows, 3: F order (adjacent rows)
                long cs = layout switch { 1 => 2, 2 => -1, 3 => rows, _ => 1 };
                long rs = layout switch { 1 => 2L * n + 1, 2 => n, 3 => 1, _ => n };
                long span = layout == 1 ? (2L * n + 1) * rows : (long)n * rows;
                long first = layout == 2 ? n - 1 : 0;
                var v = new double[2 * span + 4];
                for (int i = 0; i < v.Length; i++) v[i] = Value(rng, kind, t == DType.Complex64);
                var r = LanePowTests.Run(Encode(v, t), t, rows, n, rs, cs, first, p, knobs[rng.Next(knobs.Length)]);
                Assert.True(r.All.AsSpan().SequenceEqual(r.Alone), $"{t} p={p} rows={rows} n={n} kind={kind} layout={layout}");
                Assert.Equal(r.EvAlone, r.EvAll);
                if (n <= max) taken++;
            }
        Assert.Equal(3 * lengths.Count(n => n <= max), taken); // the lengths listed up to max
        Assert.True(max >= 24); // the lengths around the general orders' limit are among them
        Assert.True(ComplexLaneSums.Applies(ReductionPlan.Create(new long[] { 40, 16 }, new long[] { 256, 16 }, 2, new long[] { 8 }), t, p));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(1.7)]
    [InlineData(-2.5)]
    [InlineData(2.5)]
    public void BitsDoNotDependOnWidthThreadsOrRowCount(double p)
    {
        var rng = new Random(11);
        foreach (int n in new[] { 1, 4, 7, 8, 15, 16 })
        {
            const int rows = 3001; // several parallel ranges, a last group of one
            var v = new double[2 * rows * n];
            for (int i = 0; i < v.Length; i++) v[i] = Value(rng, 3, false);
            var data = Encode(v, DType.Complex128);
            byte[]? all = null;
            foreach (var c in EngineKnobs.Configurations())
            {
                var r = LanePowTests.Run(data, DType.Complex128, rows, n, n, 1, 0, p, c);
                all ??= r.All;
                Assert.True(all.AsSpan().SequenceEqual(r.All), $"p={p} n={n} {c}");
                if (c.Threads == 1) Assert.True(r.Alone.AsSpan().SequenceEqual(r.All), $"p={p} n={n} alone");
            }
        }
    }

    [Fact]
    public void ThreeDimensionalReductionsAgreeWithTheFlatLine()
    {
        // (rows, 3, 5) C order reduced over axes 1 and 2: each output is a line of 15 values in index order, the same
        // values as row r of the (rows, 15) view; and the same line as a lone 2-D (3, 5) reduction
        var rng = new Random(5);
        const int rows = 41;
        var v = new double[2 * rows * 15];
        for (int i = 0; i < v.Length; i++) v[i] = Value(rng, 3, false);
        var data = Encode(v, DType.Complex128);
        foreach (double p in new[] { 3.0, 4.0, 5.0, 8.0, 1.7, -2.5 })
        {
            var flat = LanePowTests.Run(data, DType.Complex128, rows, 15, 15, 1, 0, p, (true, 1));
            var out3 = new double[rows];
            fixed (byte* q = data)
            fixed (double* o = out3)
            {
                VectorNorms.Compute(new NdView(q, DType.Complex128, new long[] { rows, 3, 5 }, new long[] { 240, 80, 16 }), 6, Ord.Of(p),
                    new NdView((byte*)o, DType.Float64, new long[] { rows }, new long[] { 8 }));
                double one = 0;
                VectorNorms.Compute(new NdView(q + 240 * 7, DType.Complex128, new long[] { 3, 5 }, new long[] { 80, 16 }), 3, Ord.Of(p),
                    new NdView((byte*)&one, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
                Assert.Equal(BitConverter.DoubleToInt64Bits(out3[7]), BitConverter.DoubleToInt64Bits(one));
            }
            var bytes = new byte[rows * 8];
            Buffer.BlockCopy(out3, 0, bytes, 0, bytes.Length);
            Assert.True(flat.All.AsSpan().SequenceEqual(bytes), $"p={p}");
        }
    }

    [Theory]
    [InlineData(true, 4)]
    [InlineData(false, 4)]
    [InlineData(true, 8)]
    [InlineData(false, 8)]
    [InlineData(true, 64)]
    public void EvenOrdersAreCorrectlyRoundedAgainstAnExactReference(bool wide, int p)
    {
        // Σ (re² + im²)^(p/2) is a dyadic rational: its correctly rounded p-th root in big integers
        var rng = new Random((wide ? 41 : 42) + p);
        int checkedRows = 0;
        int max = ComplexLaneSums.MaxLengthOf(DType.Complex128, p);
        // every length to 64, then a few to the limit (each row of p = 64 costs big-integer powers of its terms)
        var ns = Enumerable.Range(1, Math.Min(max, 64)).Concat(new[] { 65, 100, 128 }.Where(n => n <= max)).ToArray();
        Assert.Equal(max, ns[^1]);
        foreach (int n in ns)
        {
            const int rows = 37;
            int kind = n % 4; // 0: plain, 1: huge, 2: tiny/subnormal, 3: mixed exponents
            var v = new double[2 * rows * n];
            for (int i = 0; i < v.Length; i++) v[i] = Value(rng, kind, false);
            var r = LanePowTests.Run(Encode(v, DType.Complex128), DType.Complex128, rows, n, n, 1, 0, p, (wide, 1));
            for (int row = 0; row < rows; row++)
            {
                var terms = new List<(BigInteger m, int e)>();
                for (int k = 0; k < n; k++)
                {
                    var (a, ea) = ExactReference.Split(v[2 * (row * n + k)]);
                    var (b, eb) = ExactReference.Split(v[2 * (row * n + k) + 1]);
                    // re² + im² as one dyadic s·2^(2e) (e the smaller exponent): |z|^p = s^(p/2)·2^(p·e)
                    int e = Math.Min(a.IsZero ? eb : ea, b.IsZero ? ea : eb);
                    BigInteger s = (BigInteger.Abs(a) << (ea - e)) * (BigInteger.Abs(a) << (ea - e))
                                   + (BigInteger.Abs(b) << (eb - e)) * (BigInteger.Abs(b) << (eb - e));
                    terms.Add((s, 2 * e));
                }
                var (sum, se) = PNormReference.PowSum(terms, p / 2);
                double want = PNormReference.ToDouble(PNormReference.Root(sum, se, p, PNormReference.Format.Double));
                double got = BitConverter.ToDouble(r.All, 8 * row);
                Assert.True(BitConverter.DoubleToInt64Bits(want) == BitConverter.DoubleToInt64Bits(got), $"p={p} n={n} row={row}: {got:R} vs {want:R}");
                checkedRows++;
            }
        }
        Assert.Equal(37 * ns.Length, checkedRows);
    }

    [Fact]
    public void SpecialRowsKeepTheirValuesAndEvents()
    {
        double nan = double.NaN, inf = double.PositiveInfinity;
        double[][] rows =
        {
            new[] { 1.0, 0, 2, 0, 3, 0 }, new[] { 0.0, 0, 0, 0, 0, 0 }, new[] { inf, nan, 1, 1, 1, 1 }, new[] { nan, 0, 1, 1, 1, 1 },
            new[] { 1e308, 1e308, 1e308, 1e308, 1e308, 1e308 }, new[] { 5e-324, 0, 0, 5e-324, 0, 0 }, new[] { 3.0, 4, 0, 0, 0, 0 },
        };
        foreach (double p in new[] { 3.0, 4.0, 5.0, 8.0 })
        {
            var data = Encode(rows.SelectMany(r => r).ToArray(), DType.Complex128);
            var r = LanePowTests.Run(data, DType.Complex128, rows.Length, 3, 3, 1, 0, p, (true, 1));
            Assert.True(r.All.AsSpan().SequenceEqual(r.Alone));
            Assert.Equal(r.EvAlone, r.EvAll);
            var got = new double[rows.Length];
            Buffer.BlockCopy(r.All, 0, got, 0, r.All.Length);
            Assert.Equal(Math.Pow(1 + Math.Pow(2, p) + Math.Pow(3, p), 1 / p), got[0], 1e-15 * got[0]);
            Assert.Equal(0.0, got[1]);
            Assert.Equal(inf, got[2]); // |complex(inf, nan)| = inf
            Assert.True(double.IsNaN(got[3]));
            if (p <= 4)
            {
                Assert.Equal(inf, got[4]); // 3^(1/p)·√2·1e308 overflows
                Assert.True((r.EvAll & FpEvents.Overflow) != 0);
            }
            else Assert.Equal(Math.Pow(3, 1 / p) * Math.Sqrt(2) * 1e308, got[4], 1e-15 * got[4]); // finite: no spurious overflow
            Assert.Equal(Math.Pow(2, 1 / p) * 5e-324, got[5], 5e-324); // no spurious underflow in the terms
            Assert.Equal(5.0, got[6]);
        }
    }
}
