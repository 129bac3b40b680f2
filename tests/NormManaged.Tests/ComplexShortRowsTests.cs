using NormManaged.Engine;
using Xunit;

namespace NormManaged.Tests;

/// <summary>Many short complex64 lines (<see cref="ComplexShortRows"/>): every output must have the bits and the FP events
/// of its line reduced alone (the 1-D path), for both SIMD widths (the wide one has its own loads and FMA-only roots)
/// and 1/2/3 threads, contiguous, strided and reversed layouts, line lengths around the kernel's limits and row counts
/// not a multiple of its eight lanes, with zeros, NaN, ∞, subnormal parts and every exponent mixed in.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class ComplexShortRowsTests
{
    private static readonly double[] Ords = { 2, 1, 0.5, 3, 4, -1, -2, 1.7, 2.5, -2.5, 0.3, 7.5, 100, -128 };
    private static readonly int[] Lengths = { 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 25, 63, 64, 65 };

    /// <summary>rows × n values at <paramref name="first"/>, element step <paramref name="step"/> (in values) and row
    /// step <paramref name="rowStep"/>: the norms of the rows (and the events).</summary>
    private static (float[] R, FpEvents Ev) Rows(float* first, int rows, int n, long rowStep, long step, double ord)
    {
        long[] shape = { rows, n }, strides = { rowStep * 8, step * 8 }, outStrides = { 4 };
        var r = new float[rows];
        FpEvents ev;
        fixed (float* o = r)
            ev = VectorNorms.Compute(new NdView(first, DType.Complex64, shape, strides), 2, Ord.Of(ord),
                new NdView(o, DType.Float32, new long[] { rows }, outStrides));
        return (r, ev);
    }

    private static (float R, FpEvents Ev) Alone(float[] row, double ord)
    {
        float r;
        FpEvents ev;
        fixed (float* p = row)
            ev = VectorNorms.Compute(new NdView(p, DType.Complex64, new long[] { row.Length / 2 }, new long[] { 8 }), 1, Ord.Of(ord),
                new NdView(&r, DType.Float32, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        return (r, ev);
    }

    private static float[] Data(Random rng, int rows, int n)
    {
        var a = new float[2 * rows * n];
        for (int r = 0; r < rows; r++)
        {
            int kind = r % 6, scale = rng.Next(-120, 100);
            for (int i = 0; i < 2 * n; i++)
            {
                double g = TwoNormTests.Gaussian(rng);
                a[2 * r * n + i] = kind switch
                {
                    0 => (float)g,
                    1 => (float)(g * Math.Pow(2, scale)),
                    2 => (float)(g * Math.Pow(2, rng.Next(-149, 127))), // every exponent, subnormals too
                    3 => (float)rng.Next(-3, 4),                          // small integers: zeros, exact |z|
                    4 => (float)(g * 1e38) is var h && float.IsFinite(h) ? h : float.MaxValue,
                    _ => rng.Next(2) == 0 ? float.Epsilon * rng.Next(1, 9) : (float)g,
                };
            }
            if (r % 7 == 5)
            {
                int i = rng.Next(n);
                switch (rng.Next(4))
                {
                    case 0: a[2 * (r * n + i)] = 0; a[2 * (r * n + i) + 1] = -0f; break;
                    case 1: a[2 * (r * n + i) + rng.Next(2)] = float.NaN; break;
                    case 2: a[2 * (r * n + i) + rng.Next(2)] = float.NegativeInfinity; break;
                    default: a[2 * (r * n + i)] = float.PositiveInfinity; a[2 * (r * n + i) + 1] = float.NaN; break;
                }
            }
        }
        return a;
    }

    [Fact]
    public void EveryRowHasTheBitsAndEventsOfTheRowAlone()
    {
        var rng = new Random(71);
        foreach (int n in Lengths)
            foreach (int rows in new[] { 8, 13, 30 })
            {
                var a = Data(rng, rows, n);
                // the same rows every other value of a wider buffer, and reversed (negative strides)
                var spread = new float[4 * rows * n + 4];
                var rev = new float[2 * rows * n];
                for (int k = 0; k < rows * n; k++)
                {
                    spread[4 * k] = a[2 * k]; spread[4 * k + 1] = a[2 * k + 1];
                    rev[2 * (rows * n - 1 - k)] = a[2 * k]; rev[2 * (rows * n - 1 - k) + 1] = a[2 * k + 1];
                }
                foreach (double ord in Ords)
                {
                    var want = new (float R, FpEvents Ev)[rows];
                    var all = FpEvents.None;
                    for (int r = 0; r < rows; r++)
                    {
                        want[r] = Alone(a[(2 * r * n)..(2 * (r + 1) * n)], ord);
                        all |= want[r].Ev;
                    }
                    foreach (var c in EngineKnobs.Configurations())
                    {
                        var got = EngineKnobs.With(c, () => { fixed (float* p = a) return Rows(p, rows, n, n, 1, ord); });
                        var got2 = EngineKnobs.With(c, () => { fixed (float* p = spread) return Rows(p, rows, n, 2 * n, 2, ord); });
                        var got3 = EngineKnobs.With(c, () => { fixed (float* p = rev) return Rows(p + 2 * (rows * n - 1), rows, n, -n, -1, ord); });
                        for (int r = 0; r < rows; r++)
                        {
                            string what = $"n={n} rows={rows} ord={ord} {c} row {r}";
                            Same(want[r].R, got.R[r], what);
                            Same(want[r].R, got2.R[r], what + " strided");
                            Same(want[r].R, got3.R[r], what + " reversed");
                        }
                        Assert.True(got.Ev == all && got2.Ev == all && got3.Ev == all, $"n={n} rows={rows} ord={ord} {c}: events {got.Ev}/{got2.Ev}/{got3.Ev} vs {all}");
                    }
                }
            }
    }

    [Fact]
    public void TheKernelTakesTheShortRowsItIsMeantFor()
    {
        foreach (int n in Lengths)
            foreach (double ord in Ords)
            {
                var plan = ReductionPlan.Create(new long[] { 30, n }, new long[] { 8L * n, 8 }, 2, new long[] { 4 });
                long limit = ord == 2 ? ComplexShortRows.MaxSquares : ord is 1 or 0.5 or 3 or 4 or -1 or -2 ? ComplexShortRows.MaxInner : ComplexShortRows.MaxGeneral;
                Assert.Equal(n <= limit, ComplexShortRows.Applies(plan, DType.Complex64, DType.Float32, ord));
            }
        foreach (int n in Lengths)
        {
            var plan = ReductionPlan.Create(new long[] { 30, n }, new long[] { 16L * n, 16 }, 2, new long[] { 8 });
            Assert.Equal(n <= ComplexShortRows.MaxAbs128, ComplexShortRows.Applies(plan, DType.Complex128, DType.Float64, 1));
            Assert.False(ComplexShortRows.Applies(plan, DType.Complex128, DType.Float64, 2));
        }
        var few = ReductionPlan.Create(new long[] { 7, 4 }, new long[] { 32, 8 }, 2, new long[] { 4 });
        Assert.False(ComplexShortRows.Applies(few, DType.Complex64, DType.Float32, 1)); // fewer outputs than lanes
    }

    private static (double[] R, FpEvents Ev) Rows128(double* first, int rows, int n, long rowStep, long step)
    {
        var r = new double[rows];
        FpEvents ev;
        fixed (double* o = r)
            ev = VectorNorms.Compute(new NdView(first, DType.Complex128, new long[] { rows, n }, new long[] { rowStep * 16, step * 16 }), 2, Ord.Of(1),
                new NdView(o, DType.Float64, new long[] { rows }, new long[] { 8 }));
        return (r, ev);
    }

    /// <summary>complex128 ord 1 (<see cref="Complex128Rows"/>): each row's bits and events are the row's alone
    /// (tests/python/test_complex_short_rows.py checks them against mpmath).</summary>
    [Fact]
    public void Complex128Ord1RowsHaveTheBitsOfTheRowAlone()
    {
        var rng = new Random(72);
        foreach (int n in Lengths)
            foreach (int rows in new[] { 8, 13, 30 })
            {
                var a = new double[2 * rows * n];
                for (int r = 0; r < rows; r++)
                {
                    int kind = r % 5;
                    for (int i = 0; i < 2 * n; i++)
                    {
                        double g = TwoNormTests.Gaussian(rng);
                        a[2 * r * n + i] = kind switch
                        {
                            0 => g,
                            1 => g * Math.Pow(2, rng.Next(-1074, 1020)),  // every exponent, subnormals too
                            2 => rng.Next(-5, 6),                          // small integers: zeros, exact |z|, sums on midpoints
                            3 => g * 1e300,
                            _ => g * 1e-300,
                        };
                    }
                    if (r % 7 == 6) a[2 * r * n + rng.Next(2 * n)] = rng.Next(3) switch { 0 => double.NaN, 1 => double.NegativeInfinity, _ => 0 };
                }
                var spread = new double[4 * rows * n + 4];
                for (int k = 0; k < 2 * rows * n; k += 2) { spread[2 * k] = a[k]; spread[2 * k + 1] = a[k + 1]; }
                var want = new double[rows];
                var all = FpEvents.None;
                for (int r = 0; r < rows; r++)
                {
                    double w;
                    fixed (double* p = a)
                        all |= VectorNorms.Compute(new NdView(p + 2 * r * n, DType.Complex128, new long[] { n }, new long[] { 16 }), 1, Ord.Of(1),
                            new NdView(&w, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
                    want[r] = w;
                }
                foreach (var c in EngineKnobs.Configurations())
                {
                    var got = EngineKnobs.With(c, () => { fixed (double* p = a) return Rows128(p, rows, n, n, 1); });
                    var got2 = EngineKnobs.With(c, () => { fixed (double* p = spread) return Rows128(p, rows, n, 2 * n, 2); });
                    for (int r = 0; r < rows; r++)
                    {
                        Assert.True(BitConverter.DoubleToInt64Bits(want[r]) == BitConverter.DoubleToInt64Bits(got.R[r]) || (double.IsNaN(want[r]) && double.IsNaN(got.R[r])), $"n={n} rows={rows} {c} row {r}: {got.R[r]:R} vs {want[r]:R}");
                        Assert.True(BitConverter.DoubleToInt64Bits(want[r]) == BitConverter.DoubleToInt64Bits(got2.R[r]) || (double.IsNaN(want[r]) && double.IsNaN(got2.R[r])), $"n={n} rows={rows} {c} row {r} strided");
                    }
                    Assert.True(got.Ev == all && got2.Ev == all, $"n={n} rows={rows} {c}: events");
                }
            }
    }

    private static void Same(float want, float got, string what)
        => Assert.True(BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(got) || (float.IsNaN(want) && float.IsNaN(got)),
            $"{what}: {got:R} vs the row alone {want:R}");
}
