using NormManaged.Engine;
using Xunit;

namespace NormManaged.Tests;

/// <summary>float32 ord 1 over many short rows whose double sum of |x| is exact (RowsWide's eight-rows-per-vector
/// sums and the exact-sum store of <see cref="FloatPowFast.TryStoreExactAbsSum"/>): every output must be the exact
/// (BigInteger) correctly rounded norm and the bits of the same row reduced alone, for both widths and 1–3 threads;
/// rows are normal floats (~8 % of rows of four sum exactly to a float32 midpoint), integers summing past 2²⁴ at random
/// binades (midpoints about half the time), zeros, subnormals, NaN/±∞ and near-overflow values, at lengths around the
/// 8-lane and 24-element limits.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class F32ExactSumTests
{
    private static double[] Rows(int m, int n, int seed)
    {
        var rng = new Random(seed);
        var a = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            int kind = rng.Next(6);
            double scale = Math.ScaleB(1, rng.Next(-120, 100));
            for (int j = 0; j < n; j++)
            {
                double sign = rng.Next(2) == 0 ? -1 : 1;
                a[i * n + j] = kind switch
                {
                    0 or 1 => (float)TwoNormTests.Gaussian(rng),
                    2 or 3 => (float)(sign * scale * (j == 0 ? rng.Next(1 << 23, 1 << 24) : rng.Next(0, 1 << 23))),
                    4 => sign * float.Epsilon * rng.Next(0, 9),
                    _ => rng.Next(3) == 0 ? 0.0 : (float)(sign * Math.ScaleB(1, rng.Next(-149, 128))),
                };
            }
            if (rng.Next(20) == 0) a[i * n + rng.Next(n)] = rng.Next(3) switch { 0 => double.NaN, 1 => double.PositiveInfinity, _ => double.NegativeInfinity };
        }
        return a;
    }

    private static float Exact(double[] row)
    {
        var (s, e) = PNormReference.PowSum(row.Select(TestArray.Dyadic), 1);
        return (float)PNormReference.ToDouble(PNormReference.Root(s, e, 1, PNormReference.Format.Single));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 4)]
    [InlineData(8, 5)]
    [InlineData(9, 6)]
    [InlineData(16, 7)]
    [InlineData(24, 8)]
    [InlineData(25, 9)]
    [InlineData(33, 10)]
    public void EveryRowIsExactAndItsRowAlone(int n, int seed)
    {
        int m = 203; // not a multiple of eight: the leftover rows take the one-row path
        var a = Rows(m, n, seed);
        var bytes = RowsWideTests.Bytes(a, true);
        var want = new long[m];
        var wantEv = FpEvents.None;
        for (int i = 0; i < m; i++)
        {
            var row = a.AsSpan(i * n, n).ToArray();
            var (b, ev) = RowsWideTests.Reduce(RowsWideTests.Bytes(row, true), DType.Float32, new long[] { n }, new long[] { 4 }, 0, 1, 1, 1);
            want[i] = b[0];
            wantEv |= ev;
            if (row.All(double.IsFinite))
            {
                float exact = Exact(row);
                if (float.IsFinite(exact)) Assert.Equal(BitConverter.SingleToInt32Bits(exact), b[0]);
            }
        }
        foreach (var c in EngineKnobs.Configurations())
        {
            var (bits, ev) = EngineKnobs.With(c, () => RowsWideTests.Reduce(bytes, DType.Float32, new long[] { m, n }, new long[] { n * 4, 4 }, 0, 0b10, 1, m));
            Assert.Equal(want, bits);
            Assert.Equal(wantEv, ev);
            var (rev, _) = EngineKnobs.With(c, () => RowsWideTests.Reduce(bytes, DType.Float32, new long[] { m, n }, new long[] { -n * 4, -4 }, (long)(m * n - 1) * 4, 0b10, 1, m));
            Assert.Equal(want.Reverse(), rev);
        }
    }

    /// <summary>The exact-sum store: true only for an exact, finite sum, and then the correctly rounded (ties-to-even)
    /// float; false for a sum that rounds, NaN, ∞ and a float overflow.</summary>
    [Fact]
    public void ExactSumStoreAcceptsOnlyExactSums()
    {
        double t = Math.ScaleB(1, -24);
        var cases = new (double[] Row, bool Exact)[]
        {
            (new[] { 1, t, 0, 0 }, true), (new[] { 1, 3 * t, 0, -0.0 }, true), (new[] { 16777216.0, 1, 3 }, true),
            (new double[] { 0, -0.0 }, true), (new[] { float.Epsilon, 3 * (double)float.Epsilon }, true), (new double[] { }, true),
            (new[] { 1, Math.ScaleB(1, -60) }, false), (new[] { Math.ScaleB(1, 100), 1, -1 }, false),
            (new[] { 1, double.NaN }, false), (new[] { double.PositiveInfinity, 1 }, false), (new[] { 3e38, 3e38 }, false),
        };
        foreach (var (row, exact) in cases)
        {
            float r = -1;
            bool stored;
            fixed (byte* p = RowsWideTests.Bytes(row, true))
                stored = FloatPowFast.TryStoreExactAbsSum(p, row.Length, 4, (byte*)&r);
            Assert.Equal(exact, stored);
            if (stored) Assert.Equal(BitConverter.SingleToInt32Bits(Exact(row)), BitConverter.SingleToInt32Bits(r));
            else Assert.Equal(-1f, r);
        }
        // a stride of −4 reads the same floats backwards
        var back = RowsWideTests.Bytes(new[] { t, 1.0, 0, 0 }, true);
        float rb = 0;
        fixed (byte* p = back) Assert.True(FloatPowFast.TryStoreExactAbsSum(p + 12, 4, -4, (byte*)&rb));
        Assert.Equal(1f, rb);
    }

    /// <summary>float16 ord 1 rows (<see cref="HalfRows"/>: exact double sums rounded once): every output is the exact
    /// (BigInteger) correctly rounded float16 norm — ∞ with the overflow event past 65504 — and the bits of the row
    /// reduced alone, forwards and reversed, for both widths and 1–3 threads; ties (2048 + 1, 1 + 2⁻¹¹), subnormals,
    /// zeros, NaN/±∞.</summary>
    [Theory]
    [InlineData(1, 21)]
    [InlineData(4, 22)]
    [InlineData(9, 23)]
    [InlineData(33, 24)]
    public void Float16RowsAreExactAndTheirRowAlone(int n, int seed)
    {
        int m = 203;
        var rng = new Random(seed);
        var a = new Half[m * n];
        for (int i = 0; i < m; i++)
        {
            int kind = rng.Next(5);
            for (int j = 0; j < n; j++)
                a[i * n + j] = kind switch
                {
                    0 => (Half)TwoNormTests.Gaussian(rng),
                    1 => (Half)(rng.Next(-2048, 2049) * Math.ScaleB(1, rng.Next(-24, 5))),
                    2 => j == 0 ? (Half)2048 : j == 1 ? (Half)1 : (Half)0,
                    3 => (Half)(rng.Next(-3, 4) * Math.ScaleB(1, rng.Next(-24, 16))),
                    _ => j == 0 ? (Half)1 : j == 1 ? (Half)Math.ScaleB(1, -11) : (Half)(-0.0),
                };
            if (rng.Next(20) == 0) a[i * n + rng.Next(n)] = rng.Next(3) switch { 0 => Half.NaN, 1 => Half.PositiveInfinity, _ => Half.NegativeInfinity };
        }
        var want = new short[m];
        var wantEv = FpEvents.None;
        for (int i = 0; i < m; i++)
        {
            var row = a.AsSpan(i * n, n).ToArray();
            var (b, ev) = ReduceHalf(row, new long[] { n }, new long[] { 2 }, 0, 1, 1);
            want[i] = b[0];
            wantEv |= ev;
            if (row.All(Half.IsFinite))
            {
                var (s, e) = PNormReference.PowSum(row.Select(h => TestArray.Dyadic((double)h)), 1);
                var exact = (Half)PNormReference.ToDouble(PNormReference.Root(s, e, 1, PNormReference.Format.Half));
                Assert.Equal(BitConverter.HalfToInt16Bits(exact), b[0]);
                Assert.Equal(Half.IsInfinity(exact), ev == FpEvents.Overflow);
            }
        }
        foreach (var c in EngineKnobs.Configurations())
        {
            var (bits, ev) = EngineKnobs.With(c, () => ReduceHalf(a, new long[] { m, n }, new long[] { n * 2, 2 }, 0, 0b10, m));
            Assert.Equal(want, bits);
            Assert.Equal(wantEv, ev);
            var (rev, _) = EngineKnobs.With(c, () => ReduceHalf(a, new long[] { m, n }, new long[] { -n * 2, -2 }, (long)(m * n - 1) * 2, 0b10, m));
            Assert.Equal(want.Reverse(), rev);
        }
    }

    private static (short[] Bits, FpEvents Ev) ReduceHalf(Half[] data, long[] shape, long[] strides, long offset, ulong mask, int outs)
    {
        var res = new Half[outs];
        FpEvents ev;
        fixed (Half* q = data) fixed (Half* o = res)
            ev = VectorNorms.Compute(new NdView((byte*)q + offset, DType.Float16, shape, strides), mask, Ord.Of(1),
                new NdView((byte*)o, DType.Float16, new long[] { outs }, new long[] { 2 }));
        return (res.Select(BitConverter.HalfToInt16Bits).ToArray(), ev);
    }
}
