using System.Numerics;
using Xunit;

namespace NormManaged.Tests;

/// <summary>complex128 ord 1 / ∞ / 0.5 / −1 over an axis whose outputs are adjacent (<see cref="Engine.LaneAcross"/>: C-order
/// axis 0, Fortran-order axis 1): every output must have the bits and events of its column copied out and reduced as a
/// vector, for both widths and 1–3 threads, C and Fortran order, a misaligned start, reversed and every-other rows;
/// and finite columns must equal the exact reference (ord 1 and ∞) (max: the largest correctly rounded |z|; sum: Σ|z| from big-integer
/// square roots, bracketed and rounded once). Columns: Gaussian, every scale 2^±900, wild exponents per element
/// (subnormal to 2¹⁰²³), Pythagorean ties, near ties on the unit circle and within ulps of 1 (where fl(re² + im²) does
/// not order the magnitudes), parts whose squares underflow alone or among normal terms, zeros, NaN, ±∞, 1e300 parts
/// (squares overflow), parts of 2⁵⁰⁵, a zero column; shapes around the group width, the 64-row chunk and the thread
/// threshold. The contiguous axis (rows, <see cref="Engine.ComplexRows"/>) is checked against its rows the same way.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class LaneAcrossTests
{
    private static readonly double[] Ords = { 1, double.PositiveInfinity, 0.5, -1 };

    /// <summary>rows × cols complex values, C order, interleaved.</summary>
    private static double[] Matrix(int rows, int cols, Random rng)
    {
        var a = new double[2 * rows * cols];
        for (int j = 0; j < cols; j++)
        {
            int kind = rng.Next(16);
            double scale = Math.Pow(2, rng.Next(-900, 900));
            for (int i = 0; i < rows; i++)
            {
                double re = TwoNormTests.Gaussian(rng), im = TwoNormTests.Gaussian(rng);
                switch (kind)
                {
                    case 1: re *= scale; im *= scale; break;
                    case 2: re = Math.ScaleB(re, rng.Next(-1074, 1020)); im = Math.ScaleB(im, rng.Next(-1074, 1020)); break;
                    case 3: (re, im) = rng.Next(3) switch { 0 => (3.0, 4.0), 1 => (5.0, 0.0), _ => (0.0, -5.0) }; break;
                    case 4: { double t = rng.NextDouble() * 2 * Math.PI; re = Math.Cos(t); im = Math.Sin(t); break; }
                    case 5: im *= 1e-200; re *= 1e-150; break;
                    case 6: if (rng.Next(3) == 0) { re = 0; im = 0; } break;
                    case 7: re = 0; im = 0; break;
                    case 8: if (i == rng.Next(rows)) re = double.NaN; break;
                    case 9: if (i == rng.Next(rows)) im = rng.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity; break;
                    case 10: re *= 1e300; break;
                    case 11: re = double.Epsilon * rng.Next(-9, 9); im = double.Epsilon * rng.Next(-9, 9); break;
                    // |z| within ulps of each other: fl(re² + im²) does not order them, the exact magnitudes do
                    case 12: re = Math.BitIncrement(1.0) * (1 + rng.Next(3) * Math.ScaleB(1.0, -52)); im = Math.ScaleB(1.42 + rng.NextDouble(), -27); break; // im² ≈ 2⁻⁵²: s ties, |z| rounds either way
                    case 13: if (rng.Next(2) == 0) { re *= 1e-160; im *= 1e-170; } break; // tiny terms among normal ones
                    case 14: if (rng.Next(4) == 0) re = Math.ScaleB(re, 505); break;       // |z|² beyond 2¹⁰⁰⁰, finite
                }
                a[2 * (i * cols + j)] = re; a[2 * (i * cols + j) + 1] = im;
            }
        }
        return a;
    }

    private static (double[] R, FpEvents Ev) Axis(double[] buf, long offset, long[] shape, long[] strides, int axis, double p, int outs)
    {
        var r = new double[outs];
        FpEvents ev;
        fixed (double* q = buf) fixed (double* o = r)
            ev = VectorNorms.Compute(new NdView((byte*)q + offset, DType.Complex128, shape, strides), 1UL << axis, Ord.Of(p),
                new NdView(o, DType.Float64, new long[] { outs }, new long[] { 8 }));
        return (r, ev);
    }

    private static (double R, FpEvents Ev) Vector(double[] col, double p)
    {
        double r;
        FpEvents ev;
        fixed (double* q = col)
            ev = VectorNorms.Compute(new NdView(q, DType.Complex128, new long[] { col.Length / 2 }, new long[] { 16 }), 1, Ord.Of(p),
                new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        return (r, ev);
    }

    /// <summary>The exact Σ|z| (p = 1) or max |z| rounded once, or NaN when the bracket of the sum straddles a rounding
    /// boundary (then no reference is claimed).</summary>
    internal static double Exact(double[] col, double p)
    {
        int n = col.Length / 2;
        if (double.IsPositiveInfinity(p))
        {
            double best = 0;
            for (int i = 0; i < n; i++) best = Math.Max(best, ExactReference.Norm2(new[] { col[2 * i], col[2 * i + 1] }));
            return best;
        }
        var parts = col.Where(v => v != 0).Select(ExactReference.Split).ToList();
        if (parts.Count == 0) return 0;
        int e0 = parts.Min(q => q.e);
        const int P = 90;
        BigInteger low = 0;
        bool inexact = false;
        for (int i = 0; i < n; i++)
        {
            BigInteger sq = 0;
            for (int c = 0; c < 2; c++)
            {
                if (col[2 * i + c] == 0) continue;
                var (m, e) = ExactReference.Split(col[2 * i + c]);
                var v = m << (e - e0);
                sq += v * v;
            }
            var scaled = sq << (2 * P);
            var root = ExactReference.ISqrt(scaled);
            inexact |= root * root != scaled;
            low += root;
        }
        double a = ExactReference.RoundToDouble(low, inexact, e0 - P);
        double b = ExactReference.RoundToDouble(low + n, false, e0 - P);
        return a == b ? a : double.NaN;
    }

    /// <summary>Every output has the wanted bits, and the events are the wanted ones.</summary>
    private static void Same(double[] want, FpEvents wantEv, double[] got, FpEvents ev, string what)
    {
        for (int j = 0; j < want.Length; j++)
            Assert.True(BitConverter.DoubleToInt64Bits(want[j]) == BitConverter.DoubleToInt64Bits(got[j]),
                $"{what} output {j}: want {want[j]:R} got {got[j]:R}");
        Assert.Equal(wantEv, ev);
    }

    [Theory]
    [InlineData(2, 4, 1)]
    [InlineData(3, 5, 2)]
    [InlineData(17, 8, 3)]
    [InlineData(64, 9, 4)]
    [InlineData(65, 12, 5)]
    [InlineData(130, 16, 6)]
    [InlineData(300, 23, 7)]
    [InlineData(700, 100, 8)]   // above the thread threshold
    public void EveryOutputIsItsColumnAndExact(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var a = Matrix(rows, cols, rng);
        var shifted = new double[a.Length + 1];
        Array.Copy(a, 0, shifted, 1, a.Length);
        var spaced = new double[2 * a.Length];
        for (int i = 0; i < rows; i++) Array.Copy(a, 2 * i * cols, spaced, 4 * i * cols, 2 * cols);
        int checkedExact = 0;
        foreach (double p in Ords)
        {
            var want = new double[cols];
            var wantEv = FpEvents.None;
            for (int j = 0; j < cols; j++)
            {
                var col = new double[2 * rows];
                for (int i = 0; i < rows; i++) { col[2 * i] = a[2 * (i * cols + j)]; col[2 * i + 1] = a[2 * (i * cols + j) + 1]; }
                (want[j], var ev) = Vector(col, p);
                wantEv |= ev;
                if (col.All(double.IsFinite) && p is 1 or double.PositiveInfinity && (p != 1 || j % 3 == 0))
                {
                    double exact = Exact(col, p);
                    if (double.IsNaN(exact)) continue;
                    Assert.True(BitConverter.DoubleToInt64Bits(exact) == BitConverter.DoubleToInt64Bits(want[j]), $"p={p} column {j}: {want[j]:R} vs exact {exact:R}");
                    checkedExact++;
                }
            }
            foreach (var cfg in EngineKnobs.Configurations())
            {
                if (rows * cols > 20000 && cfg.Threads == 3) continue;
                long z = 16, rs = z * cols;
                var runs = new List<(string What, double[] R, FpEvents Ev)>();
                void Add(string what, Func<(double[], FpEvents)> run) { var (r, e) = EngineKnobs.With(cfg, run); runs.Add((what, r, e)); }
                Add("C axis 0", () => Axis(a, 0, new long[] { rows, cols }, new long[] { rs, z }, 0, p, cols));
                // the transposed matrix in Fortran order (the same memory), reduced over axis 1
                Add("F axis 1", () => Axis(a, 0, new long[] { cols, rows }, new long[] { z, z * cols }, 1, p, cols));
                Add("misaligned", () => Axis(shifted, 8, new long[] { rows, cols }, new long[] { rs, z }, 0, p, cols));
                Add("reversed rows", () => Axis(a, rs * (rows - 1), new long[] { rows, cols }, new long[] { -rs, z }, 0, p, cols));
                Add("every other row", () => Axis(spaced, 0, new long[] { rows, cols }, new long[] { 2 * rs, z }, 0, p, cols));
                foreach (var (what, got, ev) in runs) Same(want, wantEv, got, ev, $"p={p} {what} {cfg}");
            }
        }
        Assert.True(checkedExact > 0);
    }

    /// <summary>The contiguous counterpart (<see cref="Engine.ComplexRows"/>: C-order axis 1, Fortran-order axis 0): every
    /// output is its row reduced as a vector, bits and events, for both widths and 1–3 threads, rows of 1 to 4097 values
    /// (one block and beyond), the same column kinds laid out as rows.</summary>
    [Theory]
    [InlineData(1, 5, 11)]
    [InlineData(7, 6, 12)]
    [InlineData(8, 40, 13)]
    [InlineData(9, 40, 14)]
    [InlineData(300, 61, 15)]
    [InlineData(4096, 3, 16)]
    [InlineData(4097, 3, 17)]
    [InlineData(500, 200, 18)]   // above the thread threshold
    public void EveryRowIsItsVector(int len, int outs, int seed)
    {
        var rng = new Random(seed);
        var a = Matrix(len, outs, rng);
        var rows = new double[a.Length];
        for (int i = 0; i < len; i++)
            for (int j = 0; j < outs; j++) { rows[2 * (j * len + i)] = a[2 * (i * outs + j)]; rows[2 * (j * len + i) + 1] = a[2 * (i * outs + j) + 1]; }
        foreach (double p in Ords)
        {
            var want = new double[outs];
            var wantEv = FpEvents.None;
            for (int j = 0; j < outs; j++)
            {
                (want[j], var ev) = Vector(rows[(2 * j * len)..(2 * (j + 1) * len)], p);
                wantEv |= ev;
            }
            foreach (var cfg in EngineKnobs.Configurations())
            {
                long z = 16;
                foreach (var (what, (got, ev)) in new[]
                {
                    ("C axis 1", EngineKnobs.With(cfg, () => Axis(rows, 0, new long[] { outs, len }, new long[] { z * len, z }, 1, p, outs))),
                    ("F axis 0", EngineKnobs.With(cfg, () => Axis(rows, 0, new long[] { len, outs }, new long[] { z, z * len }, 0, p, outs))),
                })
                    Same(want, wantEv, got, ev, $"p={p} {what} {cfg}");
            }
        }
    }
}
