using Xunit;

namespace NormManaged.Tests;

/// <summary>Contiguous float64 rows of 16 … 4096 elements (<c>axis=-1</c> of a C-order matrix, <c>axis=0</c> of a
/// Fortran-order one) take the one-lane short kernel (16 … 63, four rows per vector) or the long-row kernel (64 on): every output must be the exact reference (finite rows) and the
/// bits of the same row reduced alone, for both vector widths and 1–3 threads, including rows whose σ guess
/// fails (a big element late in the row, a zero start), NaN/∞, and extreme exponents.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class LongRowTests
{
    private static double[] Rows(int count, int n, int seed)
    {
        var rng = new Random(seed);
        var a = new double[count * n];
        for (int k = 0; k < count; k++)
        {
            int kind = rng.Next(16);
            int scale = kind switch
            {
                0 => rng.Next(-1074, -900), 1 => rng.Next(900, 1023), 2 => rng.Next(-450, -430), 3 => rng.Next(430, 450),
                _ => rng.Next(-40, 40)
            };
            for (int i = 0; i < n; i++) a[k * n + i] = TwoNormTests.Gaussian(rng) * Math.Pow(2, scale);
            int at = k * n;
            switch (kind)
            {
                case 5: a[at + rng.Next(n)] = double.NaN; break;
                case 6: a[at + rng.Next(n)] = double.NegativeInfinity; break;
                case 7: Array.Clear(a, at, n); break;
                case 8: a[at + n - 1 - rng.Next(4)] *= Math.Pow(2, rng.Next(11, 200)); break; // late big element: guess fails
                case 9: Array.Clear(a, at, 16); break;                                       // zero start
                case 10: a[at + n - 1] = double.MaxValue; break;
                case 11: for (int i = 16; i < n; i++) a[at + i] *= Math.ScaleB(1, -60); break; // tail far below the guess
            }
        }
        return a;
    }

    [Theory]
    [InlineData(16, 7)]
    [InlineData(17, 8)]
    [InlineData(31, 9)]
    [InlineData(32, 10)]
    [InlineData(47, 11)]
    [InlineData(63, 12)]
    [InlineData(64, 1)]
    [InlineData(65, 2)]
    [InlineData(100, 3)]
    [InlineData(1000, 4)]
    [InlineData(1007, 5)]
    [InlineData(4096, 6)]
    public void RowsMatchExactReferenceAndAloneForEveryWidthAndThreadCount(int n, int seed)
    {
        int count = Math.Max(64, 300_000 / n); // above the parallel threshold
        var a = Rows(count, n, seed);
        var want = new long[count];
        for (int k = 0; k < count; k++)
        {
            var row = a.AsSpan(k * n, n).ToArray();
            double alone = ManyOutputsTests.Alone(row);
            want[k] = BitConverter.DoubleToInt64Bits(alone);
            if (Array.TrueForAll(row, double.IsFinite) && k % 3 == 0)
                Assert.Equal(ExactReference.Norm2(row), alone);
        }
        foreach (var c in EngineKnobs.Configurations())
        {
            // C-order rows (axis 1) and the same rows as the columns of a Fortran-order array (axis 0)
            var got = EngineKnobs.With(c, () => Reduce(a, new long[] { count, n }, new long[] { n * 8, 8 }, 0b10));
            var gotF = EngineKnobs.With(c, () => Reduce(a, new long[] { n, count }, new long[] { 8, n * 8 }, 0b01));
            for (int k = 0; k < count; k++)
            {
                Assert.Equal(want[k], BitConverter.DoubleToInt64Bits(got[k]));
                Assert.Equal(want[k], BitConverter.DoubleToInt64Bits(gotF[k]));
            }
        }
    }

    private static double[] Reduce(double[] a, long[] shape, long[] strides, ulong mask)
    {
        int outs = (int)(a.Length / (shape[0] * shape[1]) * (mask == 0b10 ? shape[0] : shape[1]));
        var got = new double[outs];
        fixed (double* p = a) fixed (double* o = got)
            VectorNorms.Compute(new NdView(p, DType.Float64, shape, strides), mask, Ord.Two,
                new NdView(o, DType.Float64, new long[] { outs }, new long[] { 8 }));
        return got;
    }
}
