using Xunit;

namespace NormManaged.Tests;

/// <summary>complex128 ord 2 (<see cref="Engine.Complex128Columns"/>), ±∞ and 1 (<see cref="Engine.LaneAcross"/>'s column
/// lanes) and complex64 ord 2 and 1 (<see cref="Engine.C64SquareSum"/>, <see cref="Engine.C64AbsSum"/>), 3, 0.5, −1, −4, −10, 4,
/// 1.5, ±2.5 and general p (<see cref="Engine.Complex64Columns"/>, columns of ≤ 64 and longer ones) over a
/// non-contiguous axis with adjacent outputs (C-order axis 0, Fortran-order axis 1, rows reversed, strided outputs):
/// every output must have the bits and events of its column copied out and reduced alone (the 1-D path) for both
/// vector widths and 1–3 threads, and a finite complex128 column's ord-2 / ±∞ result must be the correctly rounded
/// value of its exact Σ|z|² / extreme |z|² root (big-integer dyadics). Columns mix Gaussian values, random exponents
/// over the whole double range, subnormals, near-overflow parts, small integers (Pythagorean and tied magnitudes),
/// zeros, and a NaN or ∞ in some; row counts below, at and above the four-part split (256) and output counts around
/// the 4/8-lane groups and the 1024-column bands.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class ComplexColumnLanesTests
{
    private static double Part(Random rng, int kind)
    {
        double g = TwoNormTests.Gaussian(rng);
        return kind switch
        {
            0 => g,
            1 => g * Math.Pow(2, rng.Next(-1074, 1000)),
            2 => rng.Next(-5, 6),
            3 => double.Epsilon * rng.Next(-9, 9),
            4 => Math.Clamp(g * 1e307, -double.MaxValue, double.MaxValue),
            5 => g * 1e-160,
            6 => rng.Next(2) == 0 ? -0.0 : 0.0,
            _ => g * Math.Pow(2, rng.Next(-60, 60)),
        };
    }

    /// <summary>m × n complex values, row-major, as 2mn doubles (complex64: each part rounded to float).</summary>
    private static double[] Matrix(int m, int n, int seed, bool single)
    {
        var rng = new Random(seed);
        var a = new double[2 * m * n];
        for (int j = 0; j < n; j++)
        {
            int kind = rng.Next(9);
            for (int i = 0; i < m; i++)
            {
                a[2 * (i * n + j)] = Part(rng, kind);
                a[2 * (i * n + j) + 1] = Part(rng, rng.Next(3) == 0 ? 6 : kind);
            }
            int at = 2 * (rng.Next(m) * n + j) + rng.Next(2);
            switch (rng.Next(12))
            {
                case 0: a[at] = double.NaN; break;
                case 1: a[at] = rng.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity; break;
                case 2: a[at] = 0; a[at ^ 1] = 0; break;
            }
        }
        if (single) for (int k = 0; k < a.Length; k++) a[k] = (float)a[k];
        return a;
    }

    private static (long[] Bits, FpEvents Ev) Reduce(double[] a, bool single, long[] shape, long[] strides, long offset, ulong mask, double p, int outs, int outStep = 1)
    {
        var bits = new long[outs];
        FpEvents ev;
        if (single)
        {
            var f = Array.ConvertAll(a, v => (float)v);
            var res = new float[outs * outStep];
            fixed (float* q = f) fixed (float* o = res)
                ev = VectorNorms.Compute(new NdView((byte*)q + offset / 2, DType.Complex64, shape, Array.ConvertAll(strides, s => s / 2)), mask, Ord.Of(p),
                    new NdView(o, DType.Float32, new long[] { outs }, new long[] { 4L * outStep }));
            for (int j = 0; j < outs; j++) bits[j] = BitConverter.SingleToInt32Bits(res[j * outStep]);
        }
        else
        {
            var res = new double[outs * outStep];
            fixed (double* q = a) fixed (double* o = res)
                ev = VectorNorms.Compute(new NdView((byte*)q + offset, DType.Complex128, shape, strides), mask, Ord.Of(p),
                    new NdView(o, DType.Float64, new long[] { outs }, new long[] { 8L * outStep }));
            for (int j = 0; j < outs; j++) bits[j] = BitConverter.DoubleToInt64Bits(res[j * outStep]);
        }
        return (bits, ev);
    }

    /// <summary>The correctly rounded double of √(Σ|z|²) (p = 2) or of the extreme |z| (±∞) of finite values.</summary>
    private static double Exact(double[] col, double p)
    {
        if (p == 2)
        {
            var all = new List<(System.Numerics.BigInteger, int)>();
            foreach (double v in col) all.Add(TestArray.Dyadic(v));
            var (s, e) = PNormReference.PowSum(all, 2);
            return PNormReference.ToDouble(PNormReference.Root(s, e, 2, PNormReference.Format.Double));
        }
        (System.Numerics.BigInteger S, long E) best = default;
        bool any = false;
        for (int i = 0; i < col.Length; i += 2)
        {
            var (s, e) = PNormReference.PowSum(new[] { TestArray.Dyadic(col[i]), TestArray.Dyadic(col[i + 1]) }, 2);
            int c = any ? Compare(s, e, best.S, best.E) : 0;
            if (!any || (p > 0 ? c > 0 : c < 0)) best = (s, e);
            any = true;
        }
        return PNormReference.ToDouble(PNormReference.Root(best.S, best.E, 2, PNormReference.Format.Double));
    }

    private static int Compare(System.Numerics.BigInteger a, long ea, System.Numerics.BigInteger b, long eb)
    {
        if (a.IsZero || b.IsZero) return a.Sign.CompareTo(b.Sign);
        long e = Math.Min(ea, eb);
        return (a << (int)(ea - e)).CompareTo(b << (int)(eb - e));
    }

    [Theory]
    [InlineData(2, 8, 1, false)]
    [InlineData(4, 3001, 2, false)]
    [InlineData(5, 15, 3, false)]
    [InlineData(17, 1030, 4, false)]
    [InlineData(300, 37, 5, false)]
    [InlineData(3, 9, 6, true)]
    [InlineData(4, 1031, 7, true)]
    [InlineData(64, 100, 8, true)]
    [InlineData(65, 9, 9, true)]
    [InlineData(257, 20, 10, true)]
    [InlineData(1100, 12, 11, true)]
    public void EveryOutputIsItsColumnAloneAndExact(int m, int n, int seed, bool single)
    {
        var a = Matrix(m, n, seed, single);
        var ords = single ? new[] { 2.0, 1, 3, 0.5, -1, 1.5, -2.5, -4, -10, 4, 2.5 } : new[] { 2.0, double.PositiveInfinity, double.NegativeInfinity, 1 };
        foreach (double p in ords)
        {
            var want = new long[n];
            var wantEv = FpEvents.None;
            for (int j = 0; j < n; j++)
            {
                var col = new double[2 * m];
                for (int i = 0; i < m; i++) { col[2 * i] = a[2 * (i * n + j)]; col[2 * i + 1] = a[2 * (i * n + j) + 1]; }
                var (b, ev) = Reduce(col, single, new long[] { m }, new long[] { 16 }, 0, 1, p, 1);
                want[j] = b[0];
                wantEv |= ev;
                if (!single && p != 1 && Array.TrueForAll(col, double.IsFinite))
                {
                    double exact = Exact(col, p), got = BitConverter.Int64BitsToDouble(want[j]);
                    // the 1-D 2-norm's bound is 1 ulp (correctly rounded in practice); the extremes are exact
                    if (p == 2) Assert.True(got == exact || Math.Abs(got - exact) <= Math.BitIncrement(exact) - exact, $"p=2 column {j}: {got} vs {exact}");
                    else Assert.True(got == exact, $"p={p} column {j}: {got} vs {exact}");
                }
            }
            foreach (var c in EngineKnobs.Configurations())
            {
                var runs = new[]
                {
                    EngineKnobs.With(c, () => Reduce(a, single, new long[] { m, n }, new long[] { n * 16, 16 }, 0, 0b01, p, n)),
                    EngineKnobs.With(c, () => Reduce(a, single, new long[] { n, m }, new long[] { 16, n * 16 }, 0, 0b10, p, n)),
                    EngineKnobs.With(c, () => Reduce(a, single, new long[] { m, n }, new long[] { -n * 16, 16 }, (long)(m - 1) * n * 16, 0b01, p, n)),
                    EngineKnobs.With(c, () => Reduce(a, single, new long[] { m, n }, new long[] { n * 16, 16 }, 0, 0b01, p, n, 3)),
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
}
