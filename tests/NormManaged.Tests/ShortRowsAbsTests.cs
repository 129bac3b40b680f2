using System.Numerics;
using Xunit;

namespace NormManaged.Tests;

/// <summary>ord 1 and ord ∞ over many short contiguous rows (the SmallRows fast path): every output must have the
/// bits of the same row reduced alone, whatever the thread count; the 1-norm must equal the exactly rounded Σ|x|
/// and ∞ the exact max |x|.</summary>
public unsafe class ShortRowsAbsTests
{
    private static double Alone(double[] row, double p)
    {
        double r;
        fixed (double* q = row)
        {
            long[] shape = { row.Length }; long[] strides = { 8 };
            VectorNorms.Compute(new NdView(q, DType.Float64, shape, strides), 1, Ord.Of(p),
                new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        }
        return r;
    }

    /// <summary>Σ|x| of a finite row from big integers, rounded once (ties to even).</summary>
    internal static double ExactAbsSum(double[] row)
    {
        var parts = row.Select(ExactReference.Split).Where(t => !t.m.IsZero).ToList();
        if (parts.Count == 0) return 0;
        int e0 = parts.Min(t => t.e);
        BigInteger s = BigInteger.Zero;
        foreach (var (m, e) in parts) s += BigInteger.Abs(m) << (e - e0);
        return ExactReference.RoundToDouble(s, false, e0);
    }

    [Theory]
    [InlineData(1.0, 1)]
    [InlineData(1.0, 3)]
    [InlineData(1.0, 8)]
    [InlineData(1.0, 15)]
    [InlineData(1.0, 16)]
    [InlineData(1.0, 21)]
    public void AbsSumRows(double p, int n) => RowsMatchAlone(p, n);

    [Theory]
    [InlineData(double.PositiveInfinity, 1)]
    [InlineData(double.PositiveInfinity, 5)]
    [InlineData(double.PositiveInfinity, 8)]
    [InlineData(double.PositiveInfinity, 17)]
    public void MaxRows(double p, int n) => RowsMatchAlone(p, n);

    private static void RowsMatchAlone(double p, int n)
    {
        int count = 300_000 / n + 3; // above the parallel threshold, not a multiple of 4
        var rng = new Random(n * 31 + (p == 1 ? 1 : 2));
        var a = new double[count * n];
        for (int k = 0; k < count; k++)
        {
            int kind = rng.Next(14);
            int scale = kind switch { 0 => rng.Next(-1074, -1000), 1 => rng.Next(1015, 1024), 2 => rng.Next(-1010, -990), _ => rng.Next(-40, 40) };
            for (int i = 0; i < n; i++)
            {
                double v = TwoNormTests.Gaussian(rng) * Math.Pow(2, scale);
                if (kind == 3 && rng.Next(3) == 0) v = 0;
                if (kind == 4) v = rng.Next(3) - 1; // exact small integers, signed zeros
                a[k * n + i] = v;
            }
            if (kind == 5) a[k * n + rng.Next(n)] = double.NaN;
            if (kind == 6) a[k * n + rng.Next(n)] = double.NegativeInfinity;
            if (kind == 7) Array.Clear(a, k * n, n);
            if (kind == 8) a[k * n + rng.Next(n)] = double.MaxValue;
            if (kind == 9) a[k * n + rng.Next(n)] = -0.0;
        }
        long[] shape = { count, n }, strides = { n * 8, 8 };
        long[] oshape = { count }, ostr = { 8 };
        var got = new double[count];
        foreach (int threads in new[] { 1, 2, 3 })
        {
            int old = Parallelism.SetMaxThreads(threads);
            try
            {
                Array.Fill(got, 12345.0);
                fixed (double* q = a) fixed (double* o = got)
                    VectorNorms.Compute(new NdView(q, DType.Float64, shape, strides), 0b10, Ord.Of(p), new NdView(o, DType.Float64, oshape, ostr));
            }
            finally { Parallelism.SetMaxThreads(old); }
            for (int k = 0; k < count; k += threads == 1 ? 1 : 5)
            {
                var row = a.AsSpan(k * n, n).ToArray();
                Assert.Equal(BitConverter.DoubleToInt64Bits(Alone(row, p)), BitConverter.DoubleToInt64Bits(got[k]));
                if (threads != 1 || !Array.TrueForAll(row, double.IsFinite)) continue;
                double want = p == 1 ? ExactAbsSum(row) : row.Max(Math.Abs);
                Assert.Equal(BitConverter.DoubleToInt64Bits(want), BitConverter.DoubleToInt64Bits(got[k]));
            }
        }
    }

    [Fact]
    public void ReversedRowsAndStridedOutput()
    {
        // (40000, 6) viewed with rows reversed, into every other slot of an output: outer strides of any sign.
        const int count = 40_000, n = 6;
        var rng = new Random(7);
        var a = new double[count * n];
        for (int i = 0; i < a.Length; i++) a[i] = TwoNormTests.Gaussian(rng);
        foreach (double p in new[] { 1.0, double.PositiveInfinity })
        {
            var got = new double[2 * count];
            long[] shape = { count, n }, strides = { -(long)n * 8, 8 };
            long[] oshape = { count }, ostr = { 16 };
            fixed (double* q = a) fixed (double* o = got)
                VectorNorms.Compute(new NdView(q + (count - 1) * n, DType.Float64, shape, strides), 0b10, Ord.Of(p), new NdView(o, DType.Float64, oshape, ostr));
            for (int k = 0; k < count; k++)
            {
                var row = a.AsSpan((count - 1 - k) * n, n).ToArray();
                Assert.Equal(BitConverter.DoubleToInt64Bits(Alone(row, p)), BitConverter.DoubleToInt64Bits(got[2 * k]));
                Assert.Equal(0.0, got[2 * k + 1]);
            }
        }
    }
}
