using NormManaged.Engine;
using Xunit;

namespace NormManaged.Tests;

/// <summary>Bool and integer vectors: the SIMD widening reads (<see cref="IntWiden"/>) give exactly the doubles of an
/// independent per-element conversion, for raw bytes covering every bit pattern (INT_MIN, all-ones, bool bytes other
/// than 0/1), every length 0…300 and around the 8-element groups, and every misalignment.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class IntVectorTests
{
    public static readonly DType[] IntTypes =
    {
        DType.Bool, DType.Int8, DType.UInt8, DType.Int16, DType.UInt16, DType.Int32, DType.UInt32, DType.Int64, DType.UInt64,
    };

    public static IEnumerable<object[]> Types() => IntTypes.Select(t => new object[] { t });

    /// <summary>The value of one element, converted independently of the library: bools are 0 or 1 (any non-zero byte),
    /// 64-bit integers round to the nearest double (ties to even), as numpy's astype(float) does.</summary>
    internal static double Reference(DType t, byte[] raw, int offset) => t switch
    {
        DType.Bool => raw[offset] != 0 ? 1 : 0,
        DType.Int8 => (sbyte)raw[offset],
        DType.UInt8 => raw[offset],
        DType.Int16 => BitConverter.ToInt16(raw, offset),
        DType.UInt16 => BitConverter.ToUInt16(raw, offset),
        DType.Int32 => BitConverter.ToInt32(raw, offset),
        DType.UInt32 => BitConverter.ToUInt32(raw, offset),
        DType.Int64 => RoundToDouble(BitConverter.ToInt64(raw, offset)),
        _ => RoundToDouble(BitConverter.ToUInt64(raw, offset)),
    };

    /// <summary>Nearest double, ties to even, by big-integer arithmetic (not by the conversion under test).</summary>
    private static double RoundToDouble(System.Numerics.BigInteger v)
    {
        if (v.IsZero) return 0;
        bool neg = v.Sign < 0;
        var a = System.Numerics.BigInteger.Abs(v);
        double r = ExactReference.RoundToDouble(a, false, 0);
        return neg ? -r : r;
    }

    /// <summary>Raw bytes with the extremes of every width mixed in: 0x80 / 0x8000… (INT_MIN), 0xFF… (−1 / max),
    /// 0x7F… (max), 0x00 and random bytes; 64-bit values near 2^53 (where rounding starts) too.</summary>
    internal static byte[] RawBytes(DType t, int n, Random rng)
    {
        int size = DTypes.ItemSize(t);
        var b = new byte[n * size];
        rng.NextBytes(b);
        for (int i = 0; i < n; i++)
        {
            var e = b.AsSpan(i * size, size);
            switch (rng.Next(8))
            {
                case 0: e.Clear(); e[size - 1] = 0x80; break;
                case 1: e.Fill(0xFF); break;
                case 2: e.Fill(0xFF); e[size - 1] = 0x7F; break;
                case 3: e.Clear(); break;
                case 4 when size == 8:
                    long v = (1L << 53) + rng.Next(-4, 5) + (rng.Next(2) == 0 ? 0 : 3L << 54) * (rng.Next(2) == 0 ? 1 : -1);
                    BitConverter.TryWriteBytes(e, v);
                    break;
            }
        }
        return b;
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void WideningReadsMatchPerElementConversion(DType t)
    {
        var rng = new Random((int)t * 7919);
        int size = DTypes.ItemSize(t);
        double* dst = stackalloc double[340];
        foreach (int n in Enumerable.Range(0, 301).Concat(new[] { 333 }))
            foreach (int off in new[] { 0, 1, 3, 5 })
            {
                if (off != 0 && n % 7 != 0 && n > 40) continue; // misalignment: a sample of the lengths
                byte[] raw = RawBytes(t, n + 1, rng);
                var buf = new byte[raw.Length + off];
                Array.Copy(raw, 0, buf, off, raw.Length);
                foreach (bool simd in new[] { true, false })
                {
                    bool saved = IntWiden.Enabled;
                    IntWiden.Enabled = simd;
                    try
                    {
                        new Span<double>(dst, 340).Fill(double.NaN);
                        fixed (byte* p = buf) Gather.Run(t, p + off, size, n, dst);
                    }
                    finally { IntWiden.Enabled = saved; }
                    for (int i = 0; i < n; i++)
                    {
                        double want = Reference(t, raw, i * size);
                        Assert.True(want.Equals(dst[i]), $"{t} n={n} off={off} simd={simd} i={i}: got {dst[i]:R}, want {want:R}");
                    }
                    Assert.True(double.IsNaN(dst[n]), $"{t} n={n}: wrote past the end");
                }
            }
    }

    public static IEnumerable<object[]> SquareTypes() => IntTypes.Where(IntSquaresOp.Handles).Select(t => new object[] { t });

    /// <summary>Raw bytes where every element is the type's largest magnitude (INT_MIN, all-ones unsigned, true):
    /// the sums that stress the exactness bounds most.</summary>
    private static byte[] Extreme(DType t, int n)
    {
        int size = DTypes.ItemSize(t);
        var b = new byte[n * size];
        for (int i = 0; i < n; i++)
        {
            var e = b.AsSpan(i * size, size);
            if (t == DType.Bool) e[0] = 0xFF;
            else if (t is DType.UInt8 or DType.UInt16 or DType.UInt32) e.Fill(0xFF);
            else e[size - 1] = 0x80;
        }
        return b;
    }

    private static double Run<TOp>(DType t, byte[] raw, int n, int step, TOp op) where TOp : struct, IBlockOp<NormManaged.Kernels.ScaledSum>
    {
        int size = DTypes.ItemSize(t);
        double r = double.NaN;
        fixed (byte* p = raw)
        {
            byte* first = step > 0 ? p : p + (long)(n - 1) * -step * size;
            var plan = ReductionPlan.Run(n, (long)step * size);
            BlockDriver.Run<TOp, NormManaged.Kernels.ScaledSum>(plan, first, t, (byte*)&r, DType.Float64, op);
        }
        return r;
    }

    /// <summary>The exact-sum 2-norm of bool/≤32-bit integers gives the narrow TwoSum op's bits and the correctly rounded
    /// norm (big-integer reference), for random and all-extreme data, every length 0…300, block and chunk boundaries
    /// (4096, 64·4096 elements), strides 1, −1, 3, both vector widths and 1–3 threads; also through the public entry point.</summary>
    [Theory]
    [MemberData(nameof(SquareTypes))]
    public void ExactSquaresMatchNarrowOpAndReference(DType t)
    {
        var rng = new Random((int)t * 104729);
        int size = DTypes.ItemSize(t);
        var lengths = Enumerable.Range(0, 301).Concat(new[] { 4095, 4096, 4097, 8193, 262_143, 262_145, 300_001 });
        foreach (int n in lengths)
            foreach (int step in new[] { 1, -1, 3 })
            {
                if (step != 1 && n > 300 && n != 4097 && n != 262_145) continue;
                bool big = n > 5000;
                foreach (bool extreme in big ? new[] { n % 2 == 1 } : new[] { false, true })
                {
                    int span = Math.Max(1, n * Math.Abs(step));
                    byte[] raw = extreme ? Extreme(t, span) : RawBytes(t, span, rng);
                    var vals = new double[n];
                    for (int i = 0; i < n; i++) vals[i] = Reference(t, raw, (step > 0 ? i * step : (n - 1 - i) * -step) * size);
                    double want = ExactReference.Norm2(vals);
                    var configs = big ? new[] { (true, 1), (false, 2) } : EngineKnobs.Configurations().ToArray();
                    foreach (var c in configs)
                    {
                        double got = EngineKnobs.With(c, () => Run(t, raw, n, step, new IntSquaresOp(t)));
                        double narrow = EngineKnobs.With(c, () => Run(t, raw, n, step, default(NarrowSquaresOp)));
                        string what = $"{t} n={n} step={step} extreme={extreme} wide={c.Item1} threads={c.Item2}";
                        Assert.True(want.Equals(got), $"{what}: got {got:R}, want {want:R}");
                        Assert.True(BitConverter.DoubleToInt64Bits(narrow) == BitConverter.DoubleToInt64Bits(got), $"{what}: narrow op {narrow:R}");
                    }
                    if (n <= 300 || step == 1)
                    {
                        double pub = double.NaN;
                        fixed (byte* p = raw)
                        {
                            byte* first = step > 0 ? p : p + (long)(n - 1) * -step * size;
                            VectorNorms.Compute(new NdView(first, t, new long[] { n }, new long[] { (long)step * size }), 1, Ord.Two,
                                new NdView((byte*)&pub, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
                        }
                        Assert.True(want.Equals(pub), $"{t} n={n} step={step}: public entry {pub:R}, want {want:R}");
                    }
                }
            }
    }

    /// <summary>Axis reductions of a 2-D integer array (rows and columns, C order) give each line's correctly rounded norm.</summary>
    [Theory]
    [MemberData(nameof(SquareTypes))]
    public void ExactSquaresAlongAxes(DType t)
    {
        var rng = new Random((int)t + 17);
        int size = DTypes.ItemSize(t);
        foreach (var (rows, cols) in new[] { (3, 300), (37, 41), (300, 5), (2, 5000) })
        {
            byte[] raw = RawBytes(t, rows * cols, rng);
            foreach (int axis in new[] { 0, 1 })
            {
                int outs = axis == 0 ? cols : rows, len = axis == 0 ? rows : cols;
                var res = new double[outs];
                fixed (byte* p = raw) fixed (double* o = res)
                    VectorNorms.Compute(new NdView(p, t, new long[] { rows, cols }, new long[] { (long)cols * size, size }), 1UL << axis, Ord.Two,
                        new NdView((byte*)o, DType.Float64, new long[] { outs }, new long[] { 8 }));
                for (int k = 0; k < outs; k++)
                {
                    var vals = Enumerable.Range(0, len).Select(i => Reference(t, raw, (axis == 0 ? i * cols + k : k * cols + i) * size));
                    double want = ExactReference.Norm2(vals);
                    Assert.True(want.Equals(res[k]), $"{t} {rows}x{cols} axis={axis} k={k}: got {res[k]:R}, want {want:R}");
                }
            }
        }
    }

    private static double ExactOrd(DType t, double[] vals, double p)
    {
        if (p == 2) return ExactReference.Norm2(vals);
        if (p == 1)
        {
            // an exact integer sum (64-bit values were rounded to doubles first, as the library reads them)
            System.Numerics.BigInteger s = 0;
            foreach (double v in vals) s += new System.Numerics.BigInteger(Math.Abs(v));
            return s.IsZero ? 0 : ExactReference.RoundToDouble(s, false, 0);
        }
        if (vals.Length == 0) return p > 0 ? 0 : double.PositiveInfinity;
        return p > 0 ? vals.Max(Math.Abs) : vals.Min(Math.Abs);
    }

    /// <summary>Short adjacent integer rows reduced along the last axis (the banded float64 row path) give, row by
    /// row, the exact reference's value and the bits of the same row reduced alone as a 1-D vector, for every dtype,
    /// p = 2, 1, ±∞, row lengths around the lane/band sizes, reversed rows (x[:, ::-1]), negative output strides, and a
    /// threaded size; both vector widths and 1–3 threads.</summary>
    [Theory]
    [MemberData(nameof(Types))]
    public void ShortRowsMatchRowsAloneAndReference(DType t)
    {
        var rng = new Random((int)t * 613);
        int size = DTypes.ItemSize(t);
        var shapes = new[] { (2, 1), (5, 2), (37, 3), (9, 7), (300, 10), (41, 16), (17, 17), (70, 63), (5, 64), (300, 100), (3, 300), (2, 2048), (30_000, 10) };
        foreach (var (rows, n) in shapes)
            foreach (bool reversed in new[] { false, true })
            {
                byte[] raw = RawBytes(t, rows * n, rng);
                var vals = new double[rows][];
                for (int r = 0; r < rows; r++)
                    vals[r] = Enumerable.Range(0, n).Select(i => Reference(t, raw, (r * n + (reversed ? n - 1 - i : i)) * size)).ToArray();
                foreach (double p in new[] { 2.0, 1.0, double.PositiveInfinity, double.NegativeInfinity })
                {
                    var configs = rows * n > 100_000 ? new[] { (true, 1), (false, 3) } : EngineKnobs.Configurations().ToArray();
                    foreach (var c in configs)
                    {
                        var res = new double[rows];
                        fixed (byte* bp = raw) fixed (double* op = res)
                        {
                            nint first = (nint)(reversed ? bp + (n - 1) * size : bp), last = (nint)(op + rows - 1);
                            // results written in reverse row order through a negative output stride
                            EngineKnobs.With(c, () => VectorNorms.Compute(
                                new NdView((byte*)first, t, new long[] { rows, n }, new long[] { (long)n * size, reversed ? -size : size }), 2, Ord.Of(p),
                                new NdView((double*)last, DType.Float64, new long[] { rows }, new long[] { -8 })));
                        }
                        for (int r = 0; r < rows; r += rows > 1000 ? 97 : 1)
                        {
                            double got = res[rows - 1 - r], want = ExactOrd(t, vals[r], p), alone;
                            fixed (byte* bp = raw)
                            {
                                byte* first = reversed ? bp + (r * n + n - 1) * size : bp + r * n * size;
                                alone = double.NaN;
                                VectorNorms.Compute(new NdView(first, t, new long[] { n }, new long[] { reversed ? -size : size }), 1, Ord.Of(p),
                                    new NdView(&alone, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
                            }
                            string what = $"{t} ({rows},{n}) reversed={reversed} p={p} row={r} wide={c.Item1} threads={c.Item2}";
                            Assert.True(want.Equals(got), $"{what}: got {got:R}, want {want:R}");
                            Assert.True(BitConverter.DoubleToInt64Bits(alone) == BitConverter.DoubleToInt64Bits(got), $"{what}: alone {alone:R}");
                        }
                    }
                }
            }
    }

    /// <summary>Columns of C-order integer arrays (axis 0; the banded across-outputs path up to 512 rows) give, column by
    /// column, the exact reference's value and the bits of the same column reduced alone as a strided 1-D vector, for
    /// p = 2 and 1, shapes around the 16-output vector set and the band/row limits, a threaded size, both widths and
    /// 1–3 threads.</summary>
    [Theory]
    [MemberData(nameof(SquareTypes))]
    public void ColumnsMatchColumnsAloneAndReference(DType t)
    {
        var rng = new Random((int)t * 997);
        int size = DTypes.ItemSize(t);
        var shapes = new[] { (2, 16), (3, 40), (17, 17), (100, 300), (300, 100), (512, 16), (512, 33), (513, 20), (64, 5000) };
        foreach (var (m, cols) in shapes)
        {
            byte[] raw = rng.Next(3) == 0 ? Extreme(t, m * cols) : RawBytes(t, m * cols, rng);
            foreach (double p in new[] { 2.0, 1.0 })
            {
                var configs = m * cols > 100_000 ? new[] { (true, 1), (false, 3) } : EngineKnobs.Configurations().ToArray();
                foreach (var c in configs)
                {
                    var res = new double[cols];
                    fixed (byte* bp = raw) fixed (double* op = res)
                    {
                        nint b = (nint)bp, o = (nint)op;
                        EngineKnobs.With(c, () => VectorNorms.Compute(
                            new NdView((byte*)b, t, new long[] { m, cols }, new long[] { (long)cols * size, size }), 1, Ord.Of(p),
                            new NdView((double*)o, DType.Float64, new long[] { cols }, new long[] { 8 })));
                    }
                    for (int k = 0; k < cols; k += cols > 1000 ? 37 : 1)
                    {
                        var vals = Enumerable.Range(0, m).Select(i => Reference(t, raw, (i * cols + k) * size)).ToArray();
                        double want = ExactOrd(t, vals, p), alone = double.NaN;
                        fixed (byte* bp = raw)
                            VectorNorms.Compute(new NdView(bp + k * size, t, new long[] { m }, new long[] { (long)cols * size }), 1, Ord.Of(p),
                                new NdView(&alone, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
                        string what = $"{t} ({m},{cols}) p={p} col={k} wide={c.Item1} threads={c.Item2}";
                        Assert.True(want.Equals(res[k]), $"{what}: got {res[k]:R}, want {want:R}");
                        Assert.True(BitConverter.DoubleToInt64Bits(alone) == BitConverter.DoubleToInt64Bits(res[k]), $"{what}: alone {alone:R}");
                    }
                }
            }
        }
    }
}
