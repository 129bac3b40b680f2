using System.Numerics;
using Xunit;

namespace NormManaged.Tests;

/// <summary><c>axis=0</c> of C-order, <c>axis=1</c> of Fortran-order and row-reversed float32 / float64 matrices for the
/// ords of the <see cref="Engine.AcrossOutputsWide"/> kernel (float32: 2, 1, 3, 4, −1, 0.5, 0, ±∞; float64: ±∞, 0): every
/// output must have the bits and events of the same column copied out and reduced alone (a different, contiguous
/// path), for both widths and 1–3 threads, and float32 p = 1, 2, 3, 4 must equal the exact (BigInteger) correctly
/// rounded norm. Columns cover every exponent, subnormals, all-zero and ±0, NaN/±∞, near-overflow values, small
/// integers (exact ties), and the lane/band boundaries of 8 and 1024 outputs.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class AcrossOutputsWideTests
{
    private static readonly double[] Ords32 = { 2, 1, 3, 4, -1, 0.5, 0, double.PositiveInfinity, double.NegativeInfinity };
    private static readonly double[] Ords64 = { 0, double.PositiveInfinity, double.NegativeInfinity };

    private static double Value(Random rng, int kind, int m)
    {
        double g = TwoNormTests.Gaussian(rng);
        return kind switch
        {
            0 => g,
            1 => g * Math.Pow(2, rng.Next(-149, 127)),       // every exponent, subnormals
            2 => rng.Next(-3, 4),                            // small integers, zeros, ties
            3 => float.Epsilon * rng.Next(-9, 9),            // subnormal only
            4 => g * 1e38,                                   // near float overflow (p = 2 overflows)
            5 => 1 + g * 1e-6,                               // nearly equal
            6 => 0.0,
            7 => rng.Next(2) == 0 ? -0.0 : 0.0,
            8 => g * Math.Pow(2, rng.Next(-1000, 1000)),     // float64 only: extreme exponents
            _ => g * Math.Pow(2, rng.Next(-30, 30)),
        };
    }

    private static double[] Matrix(int m, int n, int seed, bool f32)
    {
        var rng = new Random(seed);
        var a = new double[m * n];
        for (int j = 0; j < n; j++)
        {
            int kind = rng.Next(10);
            if (f32 && kind == 8) kind = 1;
            for (int i = 0; i < m; i++)
            {
                double v = Value(rng, kind, m);
                a[i * n + j] = f32 ? (float.IsFinite((float)v) ? (float)v : float.MaxValue) : v;
            }
            switch (rng.Next(8))
            {
                case 0: a[rng.Next(m) * n + j] = double.NaN; break;
                case 1: a[rng.Next(m) * n + j] = rng.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity; break;
                case 2: a[rng.Next(m) * n + j] = 0; break;
            }
        }
        return a;
    }

    private static byte[] Bytes(double[] a, bool f32) => RowsWideTests.Bytes(a, f32);

    private static (long[] Bits, FpEvents Ev) Reduce(byte[] data, bool f32, long[] shape, long[] strides, long offset, ulong mask, double p, int outs)
        => RowsWideTests.Reduce(data, f32 ? DType.Float32 : DType.Float64, shape, strides, offset, mask, p, outs);

    private static (long[] Bits, FpEvents Ev) StridedOut(byte[] data, bool f32, int m, int n, double p)
    {
        int size = f32 ? 4 : 8;
        var res = new byte[3 * n * size];
        FpEvents ev;
        fixed (byte* q = data) fixed (byte* o = res)
            ev = VectorNorms.Compute(new NdView(q, f32 ? DType.Float32 : DType.Float64, new long[] { m, n }, new long[] { n * size, size }), 0b01, Ord.Of(p),
                new NdView(o, f32 ? DType.Float32 : DType.Float64, new long[] { n }, new long[] { 3 * size }));
        var bits = new long[n];
        fixed (byte* o = res)
            for (int j = 0; j < n; j++) bits[j] = f32 ? BitConverter.SingleToInt32Bits(((float*)o)[3 * j]) : ((long*)o)[3 * j];
        return (bits, ev);
    }

    private static (long Bits, FpEvents Ev) Alone(double[] col, bool f32, double p)
    {
        var (b, ev) = Reduce(Bytes(col, f32), f32, new long[] { col.Length }, new long[] { f32 ? 4 : 8 }, 0, 1, p, 1);
        return (b[0], ev);
    }

    /// <summary>The correctly rounded float32 p-norm (p = 1, 2, 3, 4) of finite values.</summary>
    private static float Exact32(double[] col, int p)
    {
        var (s, e) = PNormReference.PowSum(col.Select(TestArray.Dyadic), p);
        return (float)PNormReference.ToDouble(PNormReference.Root(s, e, p, PNormReference.Format.Single));
    }

    [Theory]
    [InlineData(true, 2, 8, 1)]
    [InlineData(true, 3, 9, 2)]
    [InlineData(true, 5, 15, 3)]
    [InlineData(true, 17, 33, 4)]
    [InlineData(true, 64, 70, 5)]
    [InlineData(true, 300, 300, 6)]
    [InlineData(true, 7, 1030, 7)]
    [InlineData(true, 1000, 41, 8)]
    [InlineData(false, 2, 8, 11)]
    [InlineData(false, 5, 13, 12)]
    [InlineData(false, 300, 300, 13)]
    [InlineData(false, 6, 1031, 14)]
    [InlineData(false, 4, 3000, 15)]
    [InlineData(false, 3, 1025, 16)]
    [InlineData(true, 4, 3001, 17)]
    public void EveryOutputIsItsColumnAloneAndExact(bool f32, int m, int n, int seed)
    {
        var a = Matrix(m, n, seed, f32);
        var bytes = Bytes(a, f32);
        int size = f32 ? 4 : 8;
        foreach (double p in f32 ? Ords32 : Ords64)
        {
            var want = new long[n];
            var wantEv = FpEvents.None;
            for (int j = 0; j < n; j++)
            {
                var col = new double[m];
                for (int i = 0; i < m; i++) col[i] = a[i * n + j];
                (want[j], var ev) = Alone(col, f32, p);
                wantEv |= ev;
                if (f32 && p is 1 or 2 or 3 or 4 && Array.TrueForAll(col, double.IsFinite))
                {
                    float exact = Exact32(col, (int)p);
                    Assert.True(BitConverter.SingleToInt32Bits(exact) == want[j], $"p={p} column {j}: exact {exact}, alone {BitConverter.Int32BitsToSingle((int)want[j])}");
                }
            }
            foreach (var c in EngineKnobs.Configurations())
            {
                var runs = new[]
                {
                    // C order, axis 0
                    EngineKnobs.With(c, () => Reduce(bytes, f32, new long[] { m, n }, new long[] { n * size, size }, 0, 0b01, p, n)),
                    // the same memory as a Fortran-order (n, m) array, axis 1
                    EngineKnobs.With(c, () => Reduce(bytes, f32, new long[] { n, m }, new long[] { size, n * size }, 0, 0b10, p, n)),
                    // rows reversed: a negative stride on the reduced axis (the sum order changes, the result may not)
                    EngineKnobs.With(c, () => Reduce(bytes, f32, new long[] { m, n }, new long[] { -n * size, size }, (long)(m - 1) * n * size, 0b01, p, n)),
                    // strided outputs (every third element): the four-at-a-time finishes store lane by lane
                    EngineKnobs.With(c, () => StridedOut(bytes, f32, m, n, p)),
                };
                foreach (var (bits, ev) in runs)
                {
                    for (int j = 0; j < n; j++)
                        Assert.True(want[j] == bits[j], $"p={p} {c} column {j}: want {want[j]:X} got {bits[j]:X}");
                    Assert.Equal(wantEv, ev);
                }
            }
        }
    }

    /// <summary>Sums that land exactly on or next to a float32 rounding midpoint must go to the exact path and come
    /// back correctly rounded: columns of 1 and one tiny term (1 + 2⁻²⁴ ± ε is the midpoint above 1).</summary>
    [Fact]
    public void NearMidpointSumsAreCorrectlyRounded()
    {
        int m = 4, n = 16;
        var a = new double[m * n];
        for (int j = 0; j < n; j++)
        {
            a[j] = 1;
            a[n + j] = Math.ScaleB(1, -24);                           // exactly the midpoint for p = 1
            a[2 * n + j] = j % 3 == 0 ? 0 : Math.ScaleB(j % 2 == 0 ? 1 : -1, -70 - j); // a nudge either way
            a[3 * n + j] = j % 4 == 0 ? -0.0 : Math.ScaleB(1, -100 - j);
        }
        var bytes = Bytes(a, true);
        foreach (var c in EngineKnobs.Configurations())
        {
            var (bits, _) = EngineKnobs.With(c, () => Reduce(bytes, true, new long[] { m, n }, new long[] { n * 4, 4 }, 0, 0b01, 1, n));
            for (int j = 0; j < n; j++)
            {
                var col = new double[m];
                for (int i = 0; i < m; i++) col[i] = (float)a[i * n + j];
                Assert.Equal(BitConverter.SingleToInt32Bits(Exact32(col, 1)), bits[j]);
            }
        }
    }

    /// <summary>p = 2 columns whose Σx² is the square of the float32 midpoint 1 + 2⁻²⁴ (exact in the double lane), or
    /// that plus a term far below the double's ulp (lost by the lane sum, yet it decides the rounding): the four-lane
    /// finish must prove nothing near a midpoint and leave those outputs to the exact path.</summary>
    [Fact]
    public void MidpointSquaresAreCorrectlyRounded()
    {
        int m = 5, n = 24;
        var a = new double[m * n];
        for (int j = 0; j < n; j++)
        {
            a[j] = j % 5 == 0 ? 3 : 1;                      // a few ordinary outputs in the same groups
            a[n + j] = Math.ScaleB(1, -12);
            a[2 * n + j] = -Math.ScaleB(1, -12);
            a[3 * n + j] = Math.ScaleB(1, -24);
            a[4 * n + j] = j % 3 == 0 ? 0 : Math.ScaleB(j % 2 == 0 ? 1 : -1, -60 - j);
        }
        var bytes = Bytes(a, true);
        foreach (var c in EngineKnobs.Configurations())
        {
            var (bits, _) = EngineKnobs.With(c, () => Reduce(bytes, true, new long[] { m, n }, new long[] { n * 4, 4 }, 0, 0b01, 2, n));
            for (int j = 0; j < n; j++)
            {
                var col = new double[m];
                for (int i = 0; i < m; i++) col[i] = (float)a[i * n + j];
                Assert.Equal(BitConverter.SingleToInt32Bits(Exact32(col, 2)), bits[j]);
            }
        }
    }
}
