using System.Runtime.Intrinsics;
using NormManaged.Engine;
using Xunit;

namespace NormManaged.Tests;

/// <summary>The contiguous float32/float64 ±∞ path (<see cref="FloatMinMax"/>) and the float32 p = −1, −2, 0.5 fast path
/// (<see cref="FloatPowFast"/>) must give the exact path's bits and events (the same data read with a stride of two
/// elements takes the exact path) for every SIMD width and thread count, on special values too.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class FloatOrdFastTests
{
    private static readonly double[] Ords = { double.PositiveInfinity, double.NegativeInfinity, -1, -2, 0.5, 1, -1.5, -2.5 };

    private static (float R, FpEvents Ev) Norm32(float* p, long n, long strideBytes, double ord)
    {
        long[] shape = { n }; long[] strides = { strideBytes };
        float r;
        var ev = VectorNorms.Compute(new NdView(p, DType.Float32, shape, strides), 1, Ord.Of(ord),
            new NdView(&r, DType.Float32, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        return (r, ev);
    }

    private static (double R, FpEvents Ev) Norm64(double* p, long n, long strideBytes, double ord)
    {
        long[] shape = { n }; long[] strides = { strideBytes };
        double r;
        var ev = VectorNorms.Compute(new NdView(p, DType.Float64, shape, strides), 1, Ord.Of(ord),
            new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        return (r, ev);
    }

    private static double N64(double[] a, int first, long n, long stride, double ord)
    {
        fixed (double* p = a) return Norm64(p + first, n, stride, ord).R;
    }

    private static float N32(float[] a, long n, double ord)
    {
        fixed (float* p = a) return Norm32(p, n, 4, ord).R;
    }

    private static float[] Data(Random rng, int n, int kind)
    {
        var a = new float[n];
        int scale = rng.Next(-120, 100);
        for (int i = 0; i < n; i++)
        {
            double g = TwoNormTests.Gaussian(rng);
            a[i] = kind switch
            {
                0 => (float)(g * Math.Pow(2, scale)),
                1 => (float)(g * Math.Pow(2, rng.Next(-149, 127))),     // every exponent, subnormals too
                2 => (float)rng.Next(-3, 4),                              // small integers (zeros, exact ties)
                3 => rng.Next(2) == 0 ? float.Epsilon * rng.Next(1, 9) : (float)g, // subnormal terms dominate p < 0
                4 => (float)(g * 1e38) is var h && float.IsFinite(h) ? h : float.MaxValue, // near the top
                _ => (float)(1 + g * 1e-6),                               // nearly equal: many ties of ±∞
            };
        }
        if (n > 2 && kind < 2)
            switch (rng.Next(6))
            {
                case 0: a[rng.Next(n)] = 0; break;
                case 1: a[rng.Next(n)] = float.NaN; break;
                case 2: a[rng.Next(n)] = float.PositiveInfinity * (rng.Next(2) * 2 - 1); break;
                case 3: a[rng.Next(n)] = -0f; break;
            }
        return a;
    }

    [Fact]
    public void Float32MatchesTheExactPathForEveryWidthAndThreadCount()
    {
        var rng = new Random(21);
        foreach (int n in new[] { 1, 2, 15, 16, 31, 32, 33, 64, 100, 1000, 4097, 70_000, 262_144, 300_001 })
            for (int kind = 0; kind < 6; kind++)
            {
                if (n > 70_000 && kind > 2) continue;
                var a = Data(rng, n, kind);
                var spread = new float[2 * n];
                for (int i = 0; i < n; i++) spread[2 * i] = a[i];
                int off = rng.Next(1, 4); // misaligned start
                var shifted = new float[n + 4];
                Array.Copy(a, 0, shifted, off, n);
                foreach (double ord in Ords)
                {
                    (float R, FpEvents Ev) want;
                    fixed (float* s = spread) want = Norm32(s, n, 8, ord);
                    foreach (var c in EngineKnobs.Configurations())
                    {
                        var got = EngineKnobs.With(c, () => { fixed (float* p = shifted) return Norm32(p + off, n, 4, ord); });
                        Assert.True(BitConverter.SingleToInt32Bits(want.R) == BitConverter.SingleToInt32Bits(got.R) || (float.IsNaN(want.R) && float.IsNaN(got.R)),
                            $"n={n} kind={kind} ord={ord} {c}: {got.R:R} vs exact path {want.R:R}");
                        Assert.Equal(want.Ev, got.Ev);
                    }
                }
            }
    }

    [Fact]
    public void InfinityOrdsAreTheExactExtremes()
    {
        var rng = new Random(22);
        foreach (int n in new[] { 1, 3, 16, 17, 63, 64, 65, 1000, 300_000 })
        {
            var a = new double[n];
            for (int i = 0; i < n; i++) a[i] = TwoNormTests.Gaussian(rng) * Math.Pow(2, rng.Next(-1074, 1023));
            var f = a.Select(v => (float)(v * Math.Pow(2, -900))).ToArray();
            foreach (var c in EngineKnobs.Configurations())
            {
                Assert.Equal(a.Max(Math.Abs), EngineKnobs.With(c, () => N64(a, 0, n, 8, double.PositiveInfinity)));
                Assert.Equal(a.Min(Math.Abs), EngineKnobs.With(c, () => N64(a, 0, n, 8, double.NegativeInfinity)));
                Assert.Equal(a.Max(Math.Abs), EngineKnobs.With(c, () => N64(a, n - 1, n, -8, double.PositiveInfinity)));
                Assert.Equal(f.Max(Math.Abs), EngineKnobs.With(c, () => N32(f, n, double.PositiveInfinity)));
                Assert.Equal(f.Min(Math.Abs), EngineKnobs.With(c, () => N32(f, n, double.NegativeInfinity)));
            }
            // special values: NaN anywhere wins both; an infinity is the max, a zero the min
            foreach (double s in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0 })
            {
                var b = (double[])a.Clone();
                b[rng.Next(n)] = s;
                double mx = b.Any(double.IsNaN) ? double.NaN : b.Max(Math.Abs), mn = b.Any(double.IsNaN) ? double.NaN : b.Min(Math.Abs);
                foreach (var c in EngineKnobs.Configurations())
                {
                    Assert.Equal(mx, EngineKnobs.With(c, () => N64(b, 0, n, 8, double.PositiveInfinity)));
                    Assert.Equal(mn, EngineKnobs.With(c, () => N64(b, 0, n, 8, double.NegativeInfinity)));
                }
            }
        }
    }

    [Fact]
    public void ManyOutputsMatchOneByOne()
    {
        // rows of a 2-D array reduced along the contiguous axis take the min/max path once per output
        var rng = new Random(23);
        int rows = 300, n = 1000;
        var a = new float[rows * n];
        for (int i = 0; i < a.Length; i++) a[i] = (float)TwoNormTests.Gaussian(rng);
        a[5 * n + 7] = float.NaN; a[9 * n + 1] = 0;
        foreach (double ord in new[] { double.PositiveInfinity, double.NegativeInfinity })
            foreach (var c in EngineKnobs.Configurations())
            {
                var got = new float[rows];
                EngineKnobs.With(c, () =>
                {
                    fixed (float* p = a) fixed (float* o = got)
                    {
                        long[] shape = { rows, n }; long[] strides = { 4L * n, 4 }; long[] os = { rows }; long[] ost = { 4 };
                        return VectorNorms.Compute(new NdView(p, DType.Float32, shape, strides), 0b10, Ord.Of(ord), new NdView(o, DType.Float32, os, ost));
                    }
                });
                for (int r = 0; r < rows; r++)
                {
                    var row = new ArraySegment<float>(a, r * n, n);
                    float want = row.Any(float.IsNaN) ? float.NaN : ord > 0 ? row.Max(Math.Abs) : row.Min(Math.Abs);
                    Assert.Equal(want, got[r]);
                }
            }
    }

    /// <summary>Rows of every length around the vector widths (the last partial vector is one more vector ending at
    /// the row's end, overlapping the previous one) and the row-of-four / one-row switch: each output is the exact
    /// extreme of its row (NaN wins), whatever the SIMD width, thread count or walk direction.</summary>
    [Fact]
    public void RowsOfEveryLengthAreTheirExactExtremes()
    {
        var rng = new Random(25);
        var lengths = Enumerable.Range(1, 40).Concat(new[] { 47, 48, 63, 64, 65, 95, 96, 97, 127, 128, 129, 300 });
        foreach (int n in lengths)
        {
            int rows = 37;
            var d = new double[rows * n];
            for (int i = 0; i < d.Length; i++)
                d[i] = rng.Next(4) switch
                {
                    0 => TwoNormTests.Gaussian(rng) * Math.Pow(2, rng.Next(-1074, 1000)),
                    1 => double.Epsilon * rng.Next(0, 5),
                    _ => TwoNormTests.Gaussian(rng),
                };
            // specials in a few rows, at the first, last and a middle element
            d[3 * n] = double.NaN; d[5 * n + n - 1] = double.NegativeInfinity; d[7 * n + n / 2] = -0.0;
            d[11 * n + n - 1] = double.NaN; d[13 * n] = 0;
            var f = d.Select(v => (float)(v * Math.Pow(2, -950))).ToArray();
            foreach (double ord in new[] { double.PositiveInfinity, double.NegativeInfinity })
                foreach (bool reversed in new[] { false, true })
                    foreach (var c in EngineKnobs.Configurations())
                    {
                        var g64 = new double[rows]; var g32 = new float[rows];
                        EngineKnobs.With(c, () =>
                        {
                            // reversed: both axes walked backwards (negative strides from the last element)
                            long[] shape = { rows, n };
                            long[] s64 = reversed ? new[] { -8L * n, -8 } : new[] { 8L * n, 8 };
                            long[] s32 = reversed ? new[] { -4L * n, -4 } : new[] { 4L * n, 4 };
                            long[] os = { rows };
                            fixed (double* p = d) fixed (float* q = f) fixed (double* o64 = g64) fixed (float* o32 = g32)
                            {
                                double* p0 = reversed ? p + d.Length - 1 : p;
                                float* q0 = reversed ? q + f.Length - 1 : q;
                                VectorNorms.Compute(new NdView(p0, DType.Float64, shape, s64), 0b10, Ord.Of(ord), new NdView(o64, DType.Float64, os, new[] { 8L }));
                                VectorNorms.Compute(new NdView(q0, DType.Float32, shape, s32), 0b10, Ord.Of(ord), new NdView(o32, DType.Float32, os, new[] { 4L }));
                            }
                            return 0;
                        });
                        for (int r = 0; r < rows; r++)
                        {
                            int src = reversed ? rows - 1 - r : r;
                            var row = new ArraySegment<double>(d, src * n, n);
                            var frow = new ArraySegment<float>(f, src * n, n);
                            double want = row.Any(double.IsNaN) ? double.NaN : ord > 0 ? row.Max(Math.Abs) : row.Min(Math.Abs);
                            float fwant = frow.Any(float.IsNaN) ? float.NaN : ord > 0 ? frow.Max(Math.Abs) : frow.Min(Math.Abs);
                            Assert.True(want.Equals(g64[r]) && BitConverter.DoubleToInt64Bits(want) == BitConverter.DoubleToInt64Bits(Math.Abs(g64[r])) || double.IsNaN(want) && double.IsNaN(g64[r]),
                                $"float64 n={n} row {r} ord={ord} reversed={reversed} {c}: {g64[r]:R} vs {want:R}");
                            Assert.True(fwant.Equals(g32[r]) && BitConverter.SingleToInt32Bits(g32[r]) >= 0 || float.IsNaN(fwant) && float.IsNaN(g32[r]),
                                $"float32 n={n} row {r} ord={ord} reversed={reversed} {c}: {g32[r]:R} vs {fwant:R}");
                        }
                    }
        }
    }

    [Fact]
    public void WideRootAndReciprocalTermsStayWithinTheirBounds()
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported) return; // the division/vsqrtpd terms round once
        const double u = 1.0 / (1L << 53);
        var rng = new Random(24);
        var f = new float[16];
        for (int trial = 0; trial < 20_000; trial++)
        {
            for (int j = 0; j < 16; j++)
                f[j] = rng.Next(8) switch
                {
                    0 => float.Epsilon * rng.Next(1, 1 << 23),                                      // subnormal
                    1 => BitConverter.Int32BitsToSingle(rng.Next(0x0080_0000, 0x7F80_0000)),     // any normal
                    2 => float.MaxValue,
                    _ => (float)(TwoNormTests.Gaussian(rng) * Math.Pow(2, rng.Next(-60, 60))),
                };
            FloatPowFast.Root16(System.Runtime.Intrinsics.Vector512.Create(f), out var t0, out var t1);
            for (int j = 0; j < 16; j++)
            {
                double x = Math.Abs((double)f[j]), want = Math.Sqrt(x); // within u/2 of √x
                double got = j < 8 ? t0.GetElement(j) : t1.GetElement(j - 8);
                Assert.True(Math.Abs(got - want) <= 20.5 * u * want, $"sqrt({x:R}) = {got:R}, want {want:R}");
                double r = FloatPowFast.Recip(System.Runtime.Intrinsics.Vector512.Create(x)).GetElement(0);
                Assert.True(Math.Abs(Math.FusedMultiplyAdd(r, x, -1)) <= 1.31 * u, $"1/{x:R} = {r:R}"); // residual: one tiny rounding
            }
        }
        FloatPowFast.Root16(System.Runtime.Intrinsics.Vector512.Create(0f), out var z0, out _);
        Assert.Equal(0.0, z0.GetElement(0));
    }
}
