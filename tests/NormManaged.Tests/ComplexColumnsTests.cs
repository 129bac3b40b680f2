using Xunit;

namespace NormManaged.Tests;

/// <summary>complex64 ord ±∞ and 0 (and complex128 ord 0) over a non-contiguous axis with adjacent outputs (C-order axis 0, Fortran-order axis 1,
/// rows reversed, strided outputs) — the <see cref="Engine.C64Max"/> / <see cref="Engine.C64Min"/> column ops: every
/// output must have the bits and events of its column copied out and reduced alone (the 1-D path), for both vector
/// widths and 1–3 threads, and a finite column's result must be the correctly rounded float32 of its exact extreme
/// |z| (from the exact |z|² of the float parts). Columns cover NaN in either part (either sign), ±∞, zeros of both
/// signs, subnormals, near-overflow parts, equal magnitudes, values one float32 ulp apart, and output counts around
/// the 8-lane groups and 1024-output bands; ord 0 must equal the direct count of values with a nonzero part.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class ComplexColumnsTests
{
    private static float Part(Random rng, int kind)
    {
        double g = TwoNormTests.Gaussian(rng);
        return kind switch
        {
            0 => (float)g,
            1 => (float)(g * Math.Pow(2, rng.Next(-149, 127))),
            2 => rng.Next(-3, 4),
            3 => float.Epsilon * rng.Next(-9, 9),
            4 => (float)Math.Clamp(g * 1e38, -float.MaxValue, float.MaxValue),
            5 => 1 + (float)rng.Next(-2, 3) * MathF.BitIncrement(1f) - 1, // values one ulp apart
            6 => rng.Next(2) == 0 ? -0f : 0f,
            _ => (float)(g * Math.Pow(2, rng.Next(-30, 30))),
        };
    }

    /// <summary>m × n complex64 values, row-major, as 2mn floats.</summary>
    private static float[] Matrix(int m, int n, int seed)
    {
        var rng = new Random(seed);
        var a = new float[2 * m * n];
        for (int j = 0; j < n; j++)
        {
            int kind = rng.Next(9);
            for (int i = 0; i < m; i++)
            {
                a[2 * (i * n + j)] = Part(rng, kind);
                a[2 * (i * n + j) + 1] = Part(rng, rng.Next(3) == 0 ? 6 : kind);
            }
            int at = 2 * (rng.Next(m) * n + j) + rng.Next(2);
            switch (rng.Next(10))
            {
                case 0: a[at] = float.NaN; break;
                case 1: a[at] = -float.NaN; break;
                case 2: a[at] = rng.Next(2) == 0 ? float.PositiveInfinity : float.NegativeInfinity; break;
                case 3: a[at] = 0; break;
                case 4: a[at] = float.NaN; a[2 * (rng.Next(m) * n + j)] = float.PositiveInfinity; break;
            }
        }
        return a;
    }

    private static (int[] Bits, FpEvents Ev) Reduce(float[] a, long[] shape, long[] strides, long offset, ulong mask, double p, int outs, int outStep = 1)
    {
        var res = new float[outs * outStep];
        FpEvents ev;
        fixed (float* q = a) fixed (float* o = res)
            ev = VectorNorms.Compute(new NdView((byte*)q + offset, DType.Complex64, shape, strides), mask, Ord.Of(p),
                new NdView(o, DType.Float32, new long[] { outs }, new long[] { 4L * outStep }));
        var bits = new int[outs];
        for (int j = 0; j < outs; j++) bits[j] = BitConverter.SingleToInt32Bits(res[j * outStep]);
        return (bits, ev);
    }

    /// <summary>The correctly rounded float32 of max (min) |z| of finite values: the exact |z|² (double products of
    /// floats are exact, their sum in BigInteger-backed dyadics) rooted by <see cref="PNormReference"/>.</summary>
    private static float Exact(float[] col, bool max)
    {
        (System.Numerics.BigInteger S, long E) best = default;
        bool any = false;
        for (int i = 0; i < col.Length; i += 2)
        {
            var (s, e) = PNormReference.PowSum(new[] { TestArray.Dyadic(col[i]), TestArray.Dyadic(col[i + 1]) }, 2);
            if (!any || (max ? Compare(s, e, best.S, best.E) > 0 : Compare(s, e, best.S, best.E) < 0)) best = (s, e);
            any = true;
        }
        return (float)PNormReference.ToDouble(PNormReference.Root(best.S, best.E, 2, PNormReference.Format.Single));
    }

    private static int Compare(System.Numerics.BigInteger a, long ea, System.Numerics.BigInteger b, long eb)
    {
        long e = Math.Min(ea, eb);
        return (a << (int)(ea - e)).CompareTo(b << (int)(eb - e));
    }

    [Theory]
    [InlineData(2, 8, 1)]
    [InlineData(3, 9, 2)]
    [InlineData(4, 3001, 3)]
    [InlineData(5, 15, 4)]
    [InlineData(17, 33, 5)]
    [InlineData(64, 1000, 6)]
    [InlineData(7, 1030, 7)]
    public void EveryOutputIsItsColumnAloneAndExact(int m, int n, int seed)
    {
        var a = Matrix(m, n, seed);
        foreach (double p in new[] { double.PositiveInfinity, double.NegativeInfinity, 0 })
        {
            var want = new int[n];
            var wantEv = FpEvents.None;
            for (int j = 0; j < n; j++)
            {
                var col = new float[2 * m];
                for (int i = 0; i < m; i++) { col[2 * i] = a[2 * (i * n + j)]; col[2 * i + 1] = a[2 * (i * n + j) + 1]; }
                var (b, ev) = Reduce(col, new long[] { m }, new long[] { 8 }, 0, 1, p, 1);
                want[j] = b[0];
                wantEv |= ev;
                if (p == 0)
                {
                    int nz = 0;
                    for (int i = 0; i < m; i++) nz += col[2 * i] != 0 || col[2 * i + 1] != 0 ? 1 : 0;
                    Assert.Equal(BitConverter.SingleToInt32Bits(nz), want[j]);
                }
                else if (Array.TrueForAll(col, float.IsFinite))
                    Assert.True(BitConverter.SingleToInt32Bits(Exact(col, p > 0)) == want[j], $"p={p} column {j}: alone {BitConverter.Int32BitsToSingle(want[j])}");
            }
            foreach (var c in EngineKnobs.Configurations())
            {
                var runs = new[]
                {
                    EngineKnobs.With(c, () => Reduce(a, new long[] { m, n }, new long[] { n * 8, 8 }, 0, 0b01, p, n)),
                    EngineKnobs.With(c, () => Reduce(a, new long[] { n, m }, new long[] { 8, n * 8 }, 0, 0b10, p, n)),
                    EngineKnobs.With(c, () => Reduce(a, new long[] { m, n }, new long[] { -n * 8, 8 }, (long)(m - 1) * n * 8, 0b01, p, n)),
                    EngineKnobs.With(c, () => Reduce(a, new long[] { m, n }, new long[] { n * 8, 8 }, 0, 0b01, p, n, 3)),
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

    [Theory]
    [InlineData(2, 9, 1)]
    [InlineData(4, 3001, 2)]
    [InlineData(17, 1030, 3)]
    public void Complex128CountsMatchTheColumnAlone(int m, int n, int seed)
    {
        var f = Matrix(m, n, seed);
        var a = Array.ConvertAll(f, v => (double)v);
        var rng = new Random(seed);
        for (int k = 0; k < a.Length; k += 7) a[k] = rng.Next(3) switch { 0 => 0.0, 1 => -0.0, _ => double.Epsilon };
        var want = new double[n];
        for (int j = 0; j < n; j++)
        {
            var col = new double[2 * m];
            for (int i = 0; i < m; i++) { col[2 * i] = a[2 * (i * n + j)]; col[2 * i + 1] = a[2 * (i * n + j) + 1]; }
            want[j] = Reduce128(col, new long[] { m }, new long[] { 16 }, 0, 1, 1, 1)[0];
            int nz = 0;
            for (int i = 0; i < m; i++) nz += col[2 * i] != 0 || col[2 * i + 1] != 0 ? 1 : 0;
            Assert.Equal(nz, want[j]);
        }
        foreach (var c in EngineKnobs.Configurations())
        {
            var runs = new[]
            {
                EngineKnobs.With(c, () => Reduce128(a, new long[] { m, n }, new long[] { n * 16, 16 }, 0, 0b01, n, 1)),
                EngineKnobs.With(c, () => Reduce128(a, new long[] { n, m }, new long[] { 16, n * 16 }, 0, 0b10, n, 1)),
                EngineKnobs.With(c, () => Reduce128(a, new long[] { m, n }, new long[] { -n * 16, 16 }, (long)(m - 1) * n * 16, 0b01, n, 1)),
                EngineKnobs.With(c, () => Reduce128(a, new long[] { m, n }, new long[] { n * 16, 16 }, 0, 0b01, n, 2)),
            };
            foreach (var got in runs) Assert.Equal(want, got);
        }
    }

    private static double[] Reduce128(double[] a, long[] shape, long[] strides, long offset, ulong mask, int outs, int outStep)
    {
        var res = new double[outs * outStep];
        fixed (double* q = a) fixed (double* o = res)
            VectorNorms.Compute(new NdView((byte*)q + offset, DType.Complex128, shape, strides), mask, Ord.Of(0),
                new NdView(o, DType.Float64, new long[] { outs }, new long[] { 8L * outStep }));
        var r = new double[outs];
        for (int j = 0; j < outs; j++) r[j] = res[j * outStep];
        return r;
    }
}
