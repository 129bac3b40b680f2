using Xunit;

namespace NormManaged.Tests;

/// <summary>Matrix ±1 / ±∞ norms of stacks of small complex matrices (<see cref="Matrix.ComplexLineStacks"/>): every
/// output must have the bits and events of its matrix copied out and reduced alone (the line-sum kernels), for both
/// widths, 1–3 threads, the stack axis first, in the middle or reversed, the row/column axes swapped, Fortran-order
/// matrices and a strided stack (so the batched, the screened and the gathered paths all run); finite complex128
/// matrices must equal the exact reference (each |aᵢⱼ| correctly rounded, their line sums rounded once). Values:
/// every exponent (1e±300 included), subnormals, Pythagorean ties, zeros, NaN/±∞.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class ComplexLineStacksTests
{
    private static readonly double[] Ords = { 1, -1, double.PositiveInfinity, double.NegativeInfinity };

    /// <summary>k matrices r×c, C order, interleaved (re, im).</summary>
    private static double[] Stack(int k, int r, int c, int seed, bool single)
    {
        var rng = new Random(seed);
        var a = new double[2 * k * r * c];
        for (int m = 0; m < k; m++)
        {
            int kind = rng.Next(8);
            for (int i = 0; i < 2 * r * c; i++)
            {
                double g = TwoNormTests.Gaussian(rng);
                double v = kind switch
                {
                    0 => g,
                    1 => g * Math.Pow(2, rng.Next(single ? -149 : -1074, single ? 127 : 1023)),
                    2 => rng.Next(-5, 6),
                    3 => (single ? float.Epsilon : double.Epsilon) * rng.Next(-9, 9),
                    4 => g * (single ? 1e38 : 1e300),
                    5 => 0,
                    6 => i % 2 == 0 ? 3 * (1 + rng.Next(2)) : 4 * (1 + rng.Next(2)), // equal magnitudes, tied line sums
                    _ => g * Math.Pow(2, rng.Next(-20, 20)),
                };
                a[2 * m * r * c + i] = single ? (float.IsFinite((float)v) ? (float)v : float.MaxValue) : v;
            }
            switch (rng.Next(8))
            {
                case 0: a[2 * m * r * c + rng.Next(2 * r * c)] = double.NaN; break;
                case 1: a[2 * m * r * c + rng.Next(2 * r * c)] = rng.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity; break;
            }
        }
        return a;
    }

    /// <summary>The stack as complex128 or complex64 bytes.</summary>
    private static byte[] Bytes(double[] a, bool single)
    {
        if (!single)
        {
            var b = new byte[a.Length * 8];
            Buffer.BlockCopy(a, 0, b, 0, b.Length);
            return b;
        }
        var f = a.Select(v => (float)v).ToArray();
        var fb = new byte[f.Length * 4];
        Buffer.BlockCopy(f, 0, fb, 0, fb.Length);
        return fb;
    }

    private static (double[] R, FpEvents Ev) Run(byte[] a, bool single, long[] shape, long[] strides, long offset, int ra, int ca, double p, int outs)
    {
        var t = single ? DType.Complex64 : DType.Complex128;
        var ot = single ? DType.Float32 : DType.Float64;
        var raw = new byte[8 * Math.Max(outs, 1)];
        FpEvents ev;
        fixed (byte* q = a) fixed (byte* o = raw)
            ev = MatrixNorms.Compute(new NdView(q + offset, t, shape, strides), ra, ca, Ord.Of(p),
                shape.Length == 2 ? new NdView(o, ot, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty)
                                  : new NdView(o, ot, new long[] { outs }, new long[] { single ? 4 : 8 }));
        var res = new double[outs];
        for (int i = 0; i < outs; i++) res[i] = single ? BitConverter.ToSingle(raw, 4 * i) : BitConverter.ToDouble(raw, 8 * i);
        return (res, ev);
    }

    /// <summary>max/min over lines of the exact Σ of correctly rounded |aᵢⱼ|, rounded once (complex128).</summary>
    private static double Exact(double[] a, int m, int r, int c, double p)
    {
        bool cols = Math.Abs(p) == 1;
        double best = p > 0 ? 0 : double.PositiveInfinity;
        for (int i = 0; i < (cols ? c : r); i++)
        {
            var line = new List<double>();
            for (int k = 0; k < (cols ? r : c); k++)
            {
                int at = 2 * (m * r * c + (cols ? k * c + i : i * c + k));
                line.Add(ExactReference.Norm2(new[] { a[at], a[at + 1] }));
            }
            var (s, e) = PNormReference.PowSum(line.Select(TestArray.Dyadic), 1);
            double v = PNormReference.ToDouble(PNormReference.Root(s, e, 1, PNormReference.Format.Double));
            best = p > 0 ? Math.Max(best, v) : Math.Min(best, v);
        }
        return best;
    }

    [Theory]
    [InlineData(40, 1, 1, 1, false)]
    [InlineData(40, 1, 5, 2, false)]
    [InlineData(41, 2, 2, 3, false)]
    [InlineData(43, 3, 4, 4, false)]
    [InlineData(40, 4, 4, 5, false)]
    [InlineData(30, 8, 8, 6, false)]       // screened lines
    [InlineData(30, 10, 10, 7, false)]
    [InlineData(13, 15, 15, 8, false)]
    [InlineData(20, 7, 12, 9, false)]
    [InlineData(20, 16, 3, 10, false)]     // beyond the small size: the line-sum kernels, for comparison
    [InlineData(5000, 4, 4, 11, false)]    // above the thread threshold
    [InlineData(40, 3, 3, 12, true)]
    [InlineData(30, 9, 9, 13, true)]
    public void EveryMatrixIsItselfAloneAndExact(int k, int r, int c, int seed, bool single)
    {
        var a = Stack(k, r, c, seed, single);
        var bytes = Bytes(a, single);
        long z = single ? 8 : 16;
        foreach (double p in Ords)
        {
            var want = new double[k];
            var wantEv = FpEvents.None;
            for (int m = 0; m < k; m++)
            {
                var mat = new byte[r * c * z];
                Array.Copy(bytes, m * r * c * z, mat, 0, mat.Length);
                var (one, ev) = Run(mat, single, new long[] { r, c }, new long[] { z * c, z }, 0, 0, 1, p, 1);
                want[m] = one[0]; wantEv |= ev;
                bool finite = true;
                for (int i = 0; i < 2 * r * c; i++) finite &= double.IsFinite(a[2 * m * r * c + i]);
                if (!single && finite && m < 100)
                    Assert.Equal(BitConverter.DoubleToInt64Bits(Exact(a, m, r, c, p)), BitConverter.DoubleToInt64Bits(want[m]));
            }
            // the same matrices stored in Fortran order, and every other matrix of a stack twice as long
            var fortran = new byte[bytes.Length];
            for (int m = 0; m < k; m++)
                for (int i = 0; i < r; i++)
                    for (int j = 0; j < c; j++)
                        Array.Copy(bytes, (m * r * c + i * c + j) * z, fortran, (m * r * c + j * r + i) * z, z);
            var spaced = new byte[2 * bytes.Length];
            for (int m = 0; m < k; m++) Array.Copy(bytes, m * r * c * z, spaced, 2 * m * r * c * z, r * c * z);
            foreach (var cfg in EngineKnobs.Configurations())
            {
                if (k > 1000 && cfg.Threads == 3) continue;
                var runs = new List<(double[] R, FpEvents Ev)>
                {
                    EngineKnobs.With(cfg, () => Run(bytes, single, new long[] { k, r, c }, new long[] { z * r * c, z * c, z }, 0, 1, 2, p, k)),
                    EngineKnobs.With(cfg, () => Run(fortran, single, new long[] { k, r, c }, new long[] { z * r * c, z, z * r }, 0, 1, 2, p, k)),
                    EngineKnobs.With(cfg, () => Run(spaced, single, new long[] { k, r, c }, new long[] { 2 * z * r * c, z * c, z }, 0, 1, 2, p, k)),
                    // the transposed matrices (axes swapped) have the column and row roles exchanged
                    EngineKnobs.With(cfg, () => Run(bytes, single, new long[] { k, c, r }, new long[] { z * r * c, z, z * c }, 0, 2, 1, p, k)),
                    // stack axis in the middle: shape (r, k, c) over the same memory
                    EngineKnobs.With(cfg, () => Run(bytes, single, new long[] { r, k, c }, new long[] { z * c, z * r * c, z }, 0, 0, 2, p, k)),
                };
                var (rev, revEv) = EngineKnobs.With(cfg, () => Run(bytes, single, new long[] { k, r, c }, new long[] { -z * r * c, z * c, z }, z * (k - 1) * r * c, 1, 2, p, k));
                Array.Reverse(rev);
                runs.Add((rev, revEv));
                foreach (var (got, ev) in runs)
                {
                    for (int m = 0; m < k; m++)
                        Assert.True(BitConverter.DoubleToInt64Bits(want[m]) == BitConverter.DoubleToInt64Bits(got[m]),
                            $"p={p} {cfg} matrix {m}: want {want[m]:R} got {got[m]:R}");
                    Assert.Equal(wantEv, ev);
                }
            }
        }
    }
}
