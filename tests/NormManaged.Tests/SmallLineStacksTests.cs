using Xunit;

namespace NormManaged.Tests;

/// <summary>Matrix ±1 / ±∞ norms of stacks of small float32 matrices (<see cref="Engine.SmallLineStacks"/>): every
/// output must have the bits and events of its matrix copied out and reduced alone (the line-sum kernels), for both
/// widths, 1–3 threads, the stack axis first, in the middle or reversed, and the row/column axes swapped; finite
/// matrices must equal the exact (BigInteger) correctly rounded norm. Values: every exponent, subnormals, small
/// integers (exact sums on float midpoints), zeros, NaN/±∞, and line sums that overflow float32.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class SmallLineStacksTests
{
    private static readonly double[] Ords = { 1, -1, double.PositiveInfinity, double.NegativeInfinity };

    private static float[] Stack(int k, int r, int c, int seed)
    {
        var rng = new Random(seed);
        var a = new float[k * r * c];
        for (int m = 0; m < k; m++)
        {
            int kind = rng.Next(7);
            for (int i = 0; i < r * c; i++)
            {
                double g = TwoNormTests.Gaussian(rng);
                double v = kind switch
                {
                    0 => g,
                    1 => g * Math.Pow(2, rng.Next(-149, 127)),
                    2 => rng.Next(-5, 6),
                    3 => float.Epsilon * rng.Next(-9, 9),
                    4 => g * 3e38,
                    5 => 0,
                    _ => g * Math.Pow(2, rng.Next(-20, 20)),
                };
                a[m * r * c + i] = float.IsFinite((float)v) ? (float)v : float.MaxValue;
            }
            switch (rng.Next(8))
            {
                case 0: a[m * r * c + rng.Next(r * c)] = float.NaN; break;
                case 1: a[m * r * c + rng.Next(r * c)] = rng.Next(2) == 0 ? float.PositiveInfinity : float.NegativeInfinity; break;
            }
        }
        return a;
    }

    private static (float[] R, FpEvents Ev) Run(float[] a, long[] shape, long[] strides, long offset, int ra, int ca, double p, int outs)
    {
        var res = new float[outs];
        FpEvents ev;
        fixed (float* q = a) fixed (float* o = res)
            ev = MatrixNorms.Compute(new NdView((byte*)q + offset, DType.Float32, shape, strides), ra, ca, Ord.Of(p),
                shape.Length == 2 ? new NdView(o, DType.Float32, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty)
                                  : new NdView(o, DType.Float32, new long[] { outs }, new long[] { 4 }));
        return (res, ev);
    }

    private static float Exact(float[] m, int r, int c, double p)
    {
        bool cols = Math.Abs(p) == 1;
        float best = p > 0 ? 0 : float.PositiveInfinity;
        for (int i = 0; i < (cols ? c : r); i++)
        {
            var line = new List<double>();
            for (int k = 0; k < (cols ? r : c); k++) line.Add(cols ? m[k * c + i] : m[i * c + k]);
            var (s, e) = PNormReference.PowSum(line.Select(TestArray.Dyadic), 1);
            float v = (float)PNormReference.ToDouble(PNormReference.Root(s, e, 1, PNormReference.Format.Single));
            best = p > 0 ? Math.Max(best, v) : Math.Min(best, v);
        }
        return best;
    }

    [Theory]
    [InlineData(40, 1, 1, 1)]
    [InlineData(40, 1, 5, 2)]
    [InlineData(40, 2, 2, 3)]
    [InlineData(40, 3, 4, 4)]
    [InlineData(40, 4, 4, 5)]
    [InlineData(30, 10, 10, 6)]
    [InlineData(30, 16, 7, 7)]
    [InlineData(20, 17, 3, 8)]      // beyond the small size: the line-sum kernels, for comparison
    [InlineData(17000, 4, 4, 9)]    // above the thread threshold
    public void EveryMatrixIsItselfAloneAndExact(int k, int r, int c, int seed)
    {
        var a = Stack(k, r, c, seed);
        foreach (double p in Ords)
        {
            var want = new float[k];
            var wantEv = FpEvents.None;
            for (int m = 0; m < k; m++)
            {
                var mat = new float[r * c];
                Array.Copy(a, m * r * c, mat, 0, r * c);
                var (one, ev) = Run(mat, new long[] { r, c }, new long[] { 4L * c, 4 }, 0, 0, 1, p, 1);
                want[m] = one[0]; wantEv |= ev;
                if (Array.TrueForAll(mat, float.IsFinite) && m < 200)
                    Assert.Equal(BitConverter.SingleToInt32Bits(Exact(mat, r, c, p)), BitConverter.SingleToInt32Bits(want[m]));
            }
            foreach (var cfg in EngineKnobs.Configurations())
            {
                if (k > 1000 && cfg.Threads == 3) continue;
                var runs = new List<(float[] R, FpEvents Ev)>
                {
                    EngineKnobs.With(cfg, () => Run(a, new long[] { k, r, c }, new long[] { 4L * r * c, 4L * c, 4 }, 0, 1, 2, p, k)),
                    // the transposed matrices (axes swapped) have the column and row roles exchanged
                    EngineKnobs.With(cfg, () => Run(a, new long[] { k, c, r }, new long[] { 4L * r * c, 4, 4L * c }, 0, 2, 1, p, k)),
                    // stack axis in the middle: shape (r, k, c) over the same memory
                    EngineKnobs.With(cfg, () => Run(a, new long[] { r, k, c }, new long[] { 4L * c, 4L * r * c, 4 }, 0, 0, 2, p, k)),
                };
                var (rev, revEv) = EngineKnobs.With(cfg, () => Run(a, new long[] { k, r, c }, new long[] { -4L * r * c, 4L * c, 4 }, 4L * (k - 1) * r * c, 1, 2, p, k));
                Array.Reverse(rev);
                runs.Add((rev, revEv));
                foreach (var (got, ev) in runs)
                {
                    for (int m = 0; m < k; m++)
                        Assert.True(BitConverter.SingleToInt32Bits(want[m]) == BitConverter.SingleToInt32Bits(got[m]),
                            $"p={p} {cfg} matrix {m}: want {want[m]} got {got[m]}");
                    Assert.Equal(wantEv, ev);
                }
            }
        }
    }
}
