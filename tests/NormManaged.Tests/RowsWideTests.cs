using System.Numerics;
using Xunit;

namespace NormManaged.Tests;

/// <summary>Many contiguous float32 rows (p = 2, 1, 3, 0.5, 0, −1) and complex128 rows (p = 2) — the
/// <see cref="Engine.RowsWide"/> kernel: every output must have the bits and events of its row copied out and reduced
/// alone (1-D, another path), for both widths, 1–3 threads, reversed inner order (negative stride) and a stack of
/// matrices reduced over two axes; float32 p = 1, 2, 3 and the complex 2-norm must equal exact (BigInteger)
/// references. Lengths cross the 8-lane chunks, the 16/64 boundaries of the float64 row kernels (complex rows of
/// 2n doubles) and the 2¹⁸-element thread threshold; values cover every exponent, subnormals, zeros, NaN/±∞.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class RowsWideTests
{
    private static readonly double[] Ords32 = { 2, 1, 3, 0.5, 0, -1 };

    private static double Value(Random rng, int kind, bool f32)
    {
        double g = TwoNormTests.Gaussian(rng);
        double v = kind switch
        {
            0 => g,
            1 => g * Math.Pow(2, f32 ? rng.Next(-149, 127) : rng.Next(-1074, 1020)),
            2 => rng.Next(-3, 4),
            3 => f32 ? float.Epsilon * rng.Next(-9, 9) : double.Epsilon * rng.Next(-9, 9),
            4 => f32 ? g * 1e38 : g * 1e307,
            5 => 1 + g * 1e-6,
            6 => 0.0,
            _ => g * Math.Pow(2, rng.Next(-30, 30)),
        };
        return f32 ? (float.IsFinite((float)v) ? (float)v : float.MaxValue) : v;
    }

    /// <summary>rows × len values (complex: interleaved re, im, so 2·len per row), each row of one kind.</summary>
    private static double[] Rows(int rows, int len, int seed, bool f32, int width)
    {
        var rng = new Random(seed);
        int w = len * width;
        var a = new double[rows * w];
        for (int r = 0; r < rows; r++)
        {
            int kind = rng.Next(8);
            for (int i = 0; i < w; i++) a[r * w + i] = Value(rng, kind, f32);
            switch (rng.Next(10))
            {
                case 0: a[r * w + rng.Next(w)] = double.NaN; break;
                case 1: a[r * w + rng.Next(w)] = rng.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity; break;
                case 2: a[r * w + rng.Next(w)] = -0.0; break;
            }
        }
        return a;
    }

    /// <summary>The values as float32 or float64 bytes.</summary>
    internal static byte[] Bytes(double[] a, bool f32)
    {
        var b = new byte[a.Length * (f32 ? 4 : 8)];
        fixed (byte* p = b)
            for (int i = 0; i < a.Length; i++)
                if (f32) ((float*)p)[i] = (float)a[i]; else ((double*)p)[i] = a[i];
        return b;
    }

    /// <summary>One reduction into a 1-D output; results as raw bits (float32 as its 32-bit pattern) and the events.</summary>
    internal static (long[] Bits, FpEvents Ev) Reduce(byte[] data, DType t, long[] shape, long[] strides, long offset, ulong mask, double p, int outs)
    {
        bool f32 = t == DType.Float32;
        var ot = f32 ? DType.Float32 : DType.Float64;
        int size = f32 ? 4 : 8;
        var res = new byte[outs * size];
        FpEvents ev;
        fixed (byte* q = data) fixed (byte* o = res)
            ev = VectorNorms.Compute(new NdView(q + offset, t, shape, strides), mask, Ord.Of(p),
                new NdView(o, ot, new long[] { outs }, new long[] { size }));
        var bits = new long[outs];
        fixed (byte* o = res)
            for (int j = 0; j < outs; j++) bits[j] = f32 ? BitConverter.SingleToInt32Bits(((float*)o)[j]) : ((long*)o)[j];
        return (bits, ev);
    }

    [Theory]
    [InlineData(false, 1, 40, 1)]
    [InlineData(false, 7, 40, 2)]
    [InlineData(false, 8, 40, 3)]
    [InlineData(false, 9, 33, 4)]
    [InlineData(false, 16, 33, 5)]
    [InlineData(false, 17, 33, 6)]
    [InlineData(false, 31, 20, 7)]
    [InlineData(false, 32, 20, 8)]
    [InlineData(false, 33, 20, 9)]
    [InlineData(false, 100, 20, 10)]
    [InlineData(false, 4096, 3, 11)]
    [InlineData(false, 16, 17000, 12)]   // above the thread threshold
    [InlineData(true, 1, 40, 21)]
    [InlineData(true, 2, 40, 22)]
    [InlineData(true, 4, 40, 23)]
    [InlineData(true, 7, 40, 24)]
    [InlineData(true, 8, 30, 25)]
    [InlineData(true, 16, 30, 26)]
    [InlineData(true, 31, 30, 27)]
    [InlineData(true, 32, 30, 28)]
    [InlineData(true, 100, 20, 29)]
    [InlineData(true, 16, 9000, 30)]     // above the thread threshold
    public void EveryRowIsItselfAloneAndExact(bool complex, int len, int rows, int seed)
    {
        bool f32 = !complex;
        int width = complex ? 2 : 1;
        var t = complex ? DType.Complex128 : DType.Float32;
        int size = complex ? 16 : 4;
        var a = Rows(rows, len, seed, f32, width);
        var bytes = Bytes(a, f32);
        bool exhaustive = (long)rows * len < 100_000;
        foreach (double p in complex ? new[] { 2.0 } : Ords32)
        {
            var want = new long[rows];
            var wantEv = FpEvents.None;
            for (int r = 0; r < rows; r++)
            {
                var row = new double[len * width];
                Array.Copy(a, r * len * width, row, 0, len * width);
                var (b, ev) = Reduce(Bytes(row, f32), t, new long[] { len }, new long[] { size }, 0, 1, p, 1);
                want[r] = b[0]; wantEv |= ev;
                if (p is 1 or 2 or 3 && Array.TrueForAll(row, double.IsFinite) && (exhaustive || r < 50))
                {
                    long exact;
                    if (complex) exact = BitConverter.DoubleToInt64Bits(ExactReference.Norm2(row));
                    else
                    {
                        var (s, e) = PNormReference.PowSum(row.Select(TestArray.Dyadic), (int)p);
                        exact = BitConverter.SingleToInt32Bits((float)PNormReference.ToDouble(PNormReference.Root(s, e, (int)p, PNormReference.Format.Single)));
                    }
                    Assert.True(exact == want[r], $"p={p} row {r}: exact {exact:X} alone {want[r]:X}");
                }
            }
            foreach (var c in EngineKnobs.Configurations())
            {
                if (!exhaustive && c.Threads == 3) continue;
                var runs = new List<(long[], FpEvents)>
                {
                    EngineKnobs.With(c, () => Reduce(bytes, t, new long[] { rows, len }, new long[] { len * size, size }, 0, 0b10, p, rows)),
                    // each row read backwards (the inner axis is canonicalised to a positive stride: same memory order)
                    EngineKnobs.With(c, () => Reduce(bytes, t, new long[] { rows, len }, new long[] { len * size, -size }, (len - 1) * size, 0b10, p, rows)),
                };
                if (len % 2 == 0)
                    // a stack of (len/2 × 2) matrices over axes (1, 2)
                    runs.Add(EngineKnobs.With(c, () => Reduce(bytes, t, new long[] { rows, len / 2, 2 }, new long[] { len * size, 2 * size, size }, 0, 0b110, p, rows)));
                // rows in reverse order (negative outer stride): output r is row rows − 1 − r
                var (rb, rev) = EngineKnobs.With(c, () => Reduce(bytes, t, new long[] { rows, len }, new long[] { -len * size, size }, (long)(rows - 1) * len * size, 0b10, p, rows));
                Array.Reverse(rb);
                runs.Add((rb, rev));
                foreach (var (bits, ev) in runs)
                {
                    for (int r = 0; r < rows; r++)
                        Assert.True(want[r] == bits[r], $"p={p} {c} row {r}: want {want[r]:X} got {bits[r]:X}");
                    Assert.Equal(wantEv, ev);
                }
            }
        }
    }
}
