using Xunit;

namespace NormManaged.Tests;

/// <summary>Short bool/integer lines of every order, widened by bands to float64 (<c>IntRows</c>, <c>IntColumns</c>):
/// each output must have the bits of the same line converted to float64 and reduced alone, under both SIMD widths,
/// 1/2/3 threads and with the vector widening on or off, for C rows, reversed rows (negative strides), every other
/// element, and columns; row counts that are not a multiple of the lane counts, lengths around the limits.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class IntShortRowsTests
{
    private static readonly double[] Ords = { 2, 1, double.PositiveInfinity, double.NegativeInfinity, 0, -1, 0.5, 1.7, 2.5, 3, 5, -2.5, 3.5, 0.3 };

    private static readonly DType[] Types =
        { DType.Bool, DType.Int8, DType.UInt8, DType.Int16, DType.UInt16, DType.Int32, DType.UInt32, DType.Int64, DType.UInt64 };

    private static long Draw(Random rng, DType t, int kind) => t switch
    {
        DType.Bool => rng.Next(2),
        DType.Int8 => kind == 0 ? rng.Next(-128, 128) : (rng.Next(2) == 0 ? -128 : rng.Next(1, 9)),
        DType.UInt8 => kind == 0 ? rng.Next(256) : rng.Next(1, 9),
        DType.Int16 => kind == 0 ? rng.Next(short.MinValue, short.MaxValue + 1) : rng.Next(1, 300),
        DType.UInt16 => kind == 0 ? rng.Next(ushort.MaxValue + 1) : rng.Next(1, 300),
        DType.Int32 => kind == 0 ? rng.Next(int.MinValue, int.MaxValue) : -rng.Next(1, 3000),
        DType.UInt32 => kind == 0 ? (long)(uint)rng.Next(int.MinValue, int.MaxValue) : rng.Next(1, 3000),
        _ => kind == 0 ? (rng.Next(3) == 0 ? long.MinValue : rng.NextInt64(long.MinValue, long.MaxValue)) : rng.Next(1, 3000),
    };

    private static void Put(byte* p, DType t, long v)
    {
        switch (t)
        {
            case DType.Bool: case DType.Int8: case DType.UInt8: *p = (byte)v; break;
            case DType.Int16: case DType.UInt16: *(short*)p = (short)v; break;
            case DType.Int32: case DType.UInt32: *(int*)p = (int)v; break;
            default: *(long*)p = v; break; // uint64: the bit pattern (long.MinValue is 2^63)
        }
    }

    private static double AsDouble(byte* p, DType t) => t switch
    {
        DType.Bool => *p != 0 ? 1 : 0,
        DType.Int8 => *(sbyte*)p,
        DType.UInt8 => *p,
        DType.Int16 => *(short*)p,
        DType.UInt16 => *(ushort*)p,
        DType.Int32 => *(int*)p,
        DType.UInt32 => *(uint*)p,
        DType.Int64 => *(long*)p,
        _ => *(ulong*)p,
    };

    [Fact]
    public void EveryLineHasItsFloat64LoneLineBits()
    {
        var rng = new Random(2026);
        foreach (var t in Types)
            foreach (int n in new[] { 1, 4, 7, 16, 17, 32, 33, 65 })
                foreach (int rows in new[] { 2, 37 })
                    Check(t, n, rows, rng, rng.Next(2));
    }

    private static void Check(DType t, int n, int rows, Random rng, int kind)
    {
        int size = DTypes.ItemSize(t);
        // a rows × 2n array: the lines are its first n columns (C rows), every other column (strided) or its rows
        // read backwards; the transposed reads make columns
        var data = new byte[rows * 2 * n * size];
        var col = new byte[rows * n * size];
        fixed (byte* d = data, c = col)
        {
            for (int i = 0; i < rows * 2 * n; i++) Put(d + i * size, t, Draw(rng, t, kind));
            for (int i = 0; i < rows * n; i++) Put(c + i * size, t, Draw(rng, t, kind));
            long rs = 2L * n * size;
            var layouts = new (string Name, nint Base, long[] Shape, long[] Strides, int Axis)[]
            {
                ("rows", (nint)d, new long[] { rows, n }, new long[] { rs, size }, 1),
                ("strided", (nint)d, new long[] { rows, n }, new long[] { rs, 2L * size }, 1),
                ("reversed", (nint)(d + (rows - 1) * rs + (n - 1) * size), new long[] { rows, n }, new long[] { -rs, -size }, 1),
                ("columns", (nint)c, new long[] { n, rows }, new long[] { (long)rows * size, size }, 0),
            };
            foreach (var (name, b, shape, strides, axis) in layouts)
                foreach (double p in Ords)
                {
                    int outs = (int)shape[1 - axis];
                    long step = strides[axis], across = strides[1 - axis];
                    var alone = new double[outs];
                    var line = new double[n];
                    for (int k = 0; k < outs; k++)
                    {
                        for (int i = 0; i < n; i++) line[i] = AsDouble((byte*)b + k * across + i * step, t);
                        alone[k] = Norms.VectorNorm(line, p);
                    }
                    foreach (var cfg in EngineKnobs.Configurations())
                        foreach (bool widen in new[] { true, false })
                        {
                            var got = new double[outs];
                            bool saved = NormManaged.Engine.IntWiden.Enabled;
                            NormManaged.Engine.IntWiden.Enabled = widen;
                            try
                            {
                                fixed (double* o = got)
                                {
                                    nint op = (nint)o;
                                    EngineKnobs.With(cfg, () => VectorNorms.Compute(new NdView((byte*)b, t, shape, strides), 1UL << axis,
                                        Ord.Of(p), new NdView((double*)op, DType.Float64, new long[] { outs }, new long[] { 8 })));
                                }
                            }
                            finally { NormManaged.Engine.IntWiden.Enabled = saved; }
                            for (int k = 0; k < outs; k++)
                                Assert.True(BitConverter.DoubleToInt64Bits(alone[k]) == BitConverter.DoubleToInt64Bits(got[k]),
                                    $"{t} {name} n={n} rows={rows} p={p} line {k} {cfg} widen={widen}: {got[k]:R} vs alone {alone[k]:R}");
                        }
                }
        }
    }
}
