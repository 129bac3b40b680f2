using NormManaged.Kernels;
using Xunit;

namespace NormManaged.Tests;

/// <summary>ord 0 and ±∞ over many short lines (CountRows, FloatMinMax's float16 rows, ComplexExtremaRows): every
/// output the same bits under both vector widths and 1–3 threads, and the bits of the line reduced alone; rows of
/// 1…130 values holding zeros of both signs, NaN, ±∞, subnormals and extreme magnitudes.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class RowsCountExtremaTests
{
    private static readonly double[] Pool =
        { 0.0, -0.0, 1.0, -2.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 5e-324, 1e-300, 1e300, -3e38, 6e-8, 65504 };

    private static byte[] Data(DType t, int count, Random rng, bool specials)
    {
        int size = DTypes.ItemSize(t), parts = DTypes.IsComplex(t) ? 2 : 1;
        var b = new byte[count * size];
        for (int i = 0; i < count * parts; i++)
        {
            double v = rng.NextDouble() < 0.3 ? 0.0 : (rng.NextDouble() - 0.5) * Math.ScaleB(1.0, rng.Next(-30, 30));
            if (specials && rng.NextDouble() < 0.1) v = Pool[rng.Next(Pool.Length)];
            int w = size / parts;
            fixed (byte* q = &b[i * w])
            {
                switch (t)
                {
                    case DType.Float16: *(Half*)q = (Half)v; break;
                    case DType.Float32 or DType.Complex64: *(float*)q = (float)v; break;
                    case DType.Float64 or DType.Complex128: *(double*)q = v; break;
                    case DType.Int8: *(sbyte*)q = (sbyte)(double.IsFinite(v) ? Math.Clamp(v * 8, -128, 127) : 0); break;
                    default: *(int*)q = (int)(double.IsFinite(v) ? Math.Clamp(v * 1e6, -2e9, 2e9) : 0); break;
                }
            }
        }
        return b;
    }

    private static byte[] Rows(byte[] data, DType t, int rows, int n, double p)
    {
        DType ot = DTypes.ResultType(t);
        int size = DTypes.ItemSize(t), osize = DTypes.ItemSize(ot);
        var o = new byte[rows * osize];
        fixed (byte* x = data) fixed (byte* d = o)
        {
            long[] shape = { rows, n }, strides = { (long)n * size, size }, oshape = { rows }, ostrides = { osize };
            VectorNorms.Compute(new NdView(x, t, shape, strides), 2, Ord.Of(p), new NdView(d, ot, oshape, ostrides));
        }
        return o;
    }

    private static byte[] Alone(byte[] data, DType t, int row, int n, double p)
    {
        DType ot = DTypes.ResultType(t);
        int size = DTypes.ItemSize(t);
        var o = new byte[DTypes.ItemSize(ot)];
        fixed (byte* x = &data[row * n * size]) fixed (byte* d = o)
        {
            long[] shape = { n }, strides = { size };
            VectorNorms.Compute(new NdView(x, t, shape, strides), 1, Ord.Of(p), new NdView(d, ot, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        }
        return o;
    }

    [Theory]
    [InlineData(DType.Float16)]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Complex64)]
    [InlineData(DType.Complex128)]
    [InlineData(DType.Int8)]
    [InlineData(DType.Int32)]
    public void EveryConfigurationAndTheLineAloneAgree(DType t)
    {
        var rng = new Random(1128 + (int)t);
        int osize = DTypes.ItemSize(DTypes.ResultType(t));
        foreach (int n in new[] { 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 130 })
            foreach (bool specials in new[] { false, true })
            {
                int rows = 2 + rng.Next(9);
                byte[] data = Data(t, rows * n, rng, specials);
                foreach (double p in new[] { 0.0, double.PositiveInfinity, double.NegativeInfinity })
                {
                    byte[]? first = null;
                    foreach (var c in EngineKnobs.Configurations())
                    {
                        byte[] got = EngineKnobs.With(c, () => Rows(data, t, rows, n, p));
                        if (first == null) first = got;
                        else Assert.Equal(first, got);
                    }
                    for (int r = 0; r < rows; r++)
                        Assert.Equal(Alone(data, t, r, n, p), first![(r * osize)..((r + 1) * osize)]);
                }
            }
    }

    /// <summary>Exact counts: −0 is zero, NaN and subnormals are not (a wrong mask would miss one of these).</summary>
    [Fact]
    public void CountsSignedZerosNaNAndSubnormals()
    {
        double[] x = { -0.0, 0.0, double.NaN, 5e-324, -0.0, 1.0, 0.0, double.NegativeInfinity, 0.0 };
        var data = new byte[x.Length * 8];
        Buffer.BlockCopy(x, 0, data, 0, data.Length);
        foreach (var c in EngineKnobs.Configurations())
        {
            byte[] got = EngineKnobs.With(c, () => Rows(data, DType.Float64, 3, 3, 0));
            var d = new double[3];
            Buffer.BlockCopy(got, 0, d, 0, 24);
            Assert.Equal(new[] { 1.0, 2.0, 1.0 }, d);
        }
    }
}
