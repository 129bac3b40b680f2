using System.Numerics;
using NormManaged.Kernels;
using Xunit;

namespace NormManaged.Tests;

/// <summary>The float64 1-norm of lines of at most <see cref="RealKernels.ShortAbsLine"/> elements is one TwoSum lane
/// (<see cref="RealKernels.AbsLine{L}"/>): a line alone runs it on <see cref="Lane1"/>, many rows run it a row per
/// vector lane. Every output must have the bits of its line alone, on every layout and path that reduces such a line
/// (rows 4 or 8 at a time, row by row, strided and reversed vectors, N-D axes, columns, F order), at both vector widths
/// and 1/2/3 threads; and the line alone must be the exactly rounded Σ|x| (big integers) on data that hits rounding
/// midpoints, spans the exponent range, or holds subnormals.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class ShortLineAbsSumTests
{
    internal static double Alone(double[] line, long stride = 1)
    {
        var buf = new double[line.Length * Math.Abs(stride) + 1];
        for (int i = 0; i < line.Length; i++) buf[stride > 0 ? i * stride : (line.Length - 1 - i) * -stride] = line[i];
        double r;
        fixed (double* q = buf)
        {
            long[] shape = { line.Length }; long[] strides = { 8 * stride };
            double* start = stride > 0 ? q : q + (line.Length - 1) * -stride;
            VectorNorms.Compute(new NdView(start, DType.Float64, shape, strides), 1, Ord.Of(1),
                new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        }
        return r;
    }

    private static double Exact(double[] line) => ShortRowsAbsTests.ExactAbsSum(line);

    /// <summary>The documented exception (README "Accuracy"): a line spanning most of the exponent range may round the
    /// wrong way only when its exact sum lies within 2⁻⁷² of the midpoint between the two neighbours.</summary>
    private static void AssertWithinMidpointMargin(double[] line, double got, double want)
    {
        Assert.Equal(1, Math.Abs(Bits(got) - Bits(want)));
        var parts = line.Select(ExactReference.Split).Where(t => !t.m.IsZero).ToList();
        int e0 = parts.Min(t => t.e);
        BigInteger s = BigInteger.Zero;
        foreach (var (m, e) in parts) s += BigInteger.Abs(m) << (e - e0);
        var (m1, e1) = ExactReference.Split(got);
        var (m2, e2) = ExactReference.Split(want);
        BigInteger twoMid = (m1 << (e1 - e0)) + (m2 << (e2 - e0));
        Assert.True(BigInteger.Abs(2 * s - twoMid) << 72 <= 2 * s, "a wrong rounding away from a midpoint");
    }

    internal static long Bits(double v) => BitConverter.DoubleToInt64Bits(v);

    /// <summary>One line of kind <paramref name="kind"/>: Gaussians at a random scale, integers whose sums sit on
    /// midpoints (2⁵³ + odd), halves of one ulp, magnitudes across the whole exponent range, subnormals, zeros of both
    /// signs, NaN, ±∞, DBL_MAX (a sum that overflows and is redone scaled).</summary>
    internal static double[] Line(Random rng, int n, int kind)
    {
        var a = new double[n];
        int scale = rng.Next(-60, 60);
        for (int i = 0; i < n; i++)
        {
            double g = TwoNormTests.Gaussian(rng);
            a[i] = kind switch
            {
                0 => g * Math.Pow(2, scale),
                1 => (rng.Next(2) == 0 ? -1 : 1) * (i == 0 ? 9007199254740992.0 : rng.Next(1, 4)), // 2^53 + small ints: midpoints
                2 => i % 2 == 0 ? 1.0 : (rng.Next(2) == 0 ? 1.1102230246251565e-16 : -2.220446049250313e-16), // ulp/2, ulp of 1
                3 => g * Math.Pow(2, rng.Next(-1074, 1000)), // the whole exponent range in one line
                4 => g * Math.Pow(2, rng.Next(-1074, -1000)), // subnormal and tiny
                5 => rng.Next(3) == 0 ? (rng.Next(2) == 0 ? 0.0 : -0.0) : g,
                6 => g * Math.Pow(2, rng.Next(1015, 1023)), // huge: the sum overflows, redone scaled
                _ => g,
            };
        }
        if (kind == 7) a[rng.Next(n)] = double.NaN;
        if (kind == 8) a[rng.Next(n)] = rng.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity;
        if (kind == 9) a[rng.Next(n)] = double.MaxValue;
        return a;
    }

    [Fact]
    public void LineAloneIsTheExactlyRoundedSum()
    {
        var rng = new Random(64);
        for (int n = 1; n <= RealKernels.ShortAbsLine + 2; n++)
            for (int rep = 0; rep < 40; rep++)
            {
                int kind = rep % 7;
                var line = Line(rng, n, kind);
                double want = Exact(line), got = Alone(line);
                if (Bits(want) != Bits(got)) AssertWithinMidpointMargin(line, got, want);
                Assert.Equal(Bits(got), Bits(Alone(line, 3)));   // strided (gathered)
                Assert.Equal(Bits(got), Bits(Alone(line, -2)));  // negative stride
                if (kind != 3) Assert.Equal(Bits(want), Bits(got));
            }
    }

    [Fact]
    public void LinesOnMidpointsRoundToEven()
    {
        // 2^53 + 1 is the midpoint of 2^53 and 2^53 + 2: ties to even give 2^53; + 3 gives 2^53 + 4. Spread over up to
        // 64 elements (ones and zeros), so the TwoSum errors carry the odd bit.
        for (int n = 2; n <= RealKernels.ShortAbsLine; n++)
            foreach (int ones in new[] { 1, 3, n - 1 })
            {
                if (ones > n - 1) continue;
                var line = new double[n];
                line[n / 2] = 9007199254740992.0;
                for (int i = 0, k = 0; k < ones; i++) if (i != n / 2) { line[i] = k % 2 == 0 ? 1 : -1; k++; }
                double want = Exact(line);
                // an odd count is a midpoint: ties to even give the neighbour that is a multiple of 4
                int rounded = ones % 2 == 0 ? ones : (ones - 1) % 4 == 0 ? ones - 1 : ones + 1;
                Assert.Equal(9007199254740992.0 + rounded, want);
                Assert.Equal(Bits(want), Bits(Alone(line)));
            }
    }

    public static IEnumerable<object[]> Lengths()
        => new[] { 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65 }.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Lengths))]
    public void RowsMatchTheLineAlone(int n)
    {
        // rows not a multiple of 8 or 4 (8-row, 4-row and single-row groups), above the parallel threshold for short n
        int count = Math.Max(300_000 / n, 64) + 7;
        var rng = new Random(n * 17 + 3);
        var a = new double[count * n];
        for (int k = 0; k < count; k++) Line(rng, n, rng.Next(12)).CopyTo(a, k * n);
        var alone = new long[count];
        for (int k = 0; k < count; k++) alone[k] = Bits(Alone(a.AsSpan(k * n, n).ToArray()));
        foreach (var c in EngineKnobs.Configurations())
        {
            // C rows, and the same rows reversed into every other output slot
            var got = EngineKnobs.With(c, () => Reduce(a, new long[] { count, n }, new long[] { n * 8, 8 }, 0, 0b10, count, 1));
            for (int k = 0; k < count; k++) Assert.Equal(alone[k], Bits(got[k]));
            got = EngineKnobs.With(c, () => Reduce(a, new long[] { count, n }, new long[] { -(long)n * 8, 8 }, (count - 1) * n, 0b10, count, 2));
            for (int k = 0; k < count; k++) Assert.Equal(alone[count - 1 - k], Bits(got[2 * k]));
        }
    }

    [Theory]
    [InlineData(4, 4)]
    [InlineData(4, 8)]
    [InlineData(8, 8)]
    [InlineData(2, 31)]
    public void OtherLayoutsMatchTheLineAlone(int d1, int d2)
    {
        // (count, d1, d2) reduced over axes (1, 2): lines of d1·d2 ≤ 64 through the block driver; the same data in
        // F order over axis 0 of its transpose (columns), and rows read with an outer stride of two rows.
        int n = d1 * d2, count = 203;
        var rng = new Random(n);
        var a = new double[count * n];
        for (int k = 0; k < count; k++) Line(rng, n, rng.Next(7)).CopyTo(a, k * n);
        var alone = Enumerable.Range(0, count).Select(k => Bits(Alone(a.AsSpan(k * n, n).ToArray()))).ToArray();
        foreach (var c in EngineKnobs.Configurations())
        {
            var got = EngineKnobs.With(c, () => Reduce(a, new long[] { count, d1, d2 }, new long[] { n * 8, d2 * 8, 8 }, 0, 0b110, count, 1));
            for (int k = 0; k < count; k++) Assert.Equal(alone[k], Bits(got[k]));
            // columns: element (i, k) at i·8 + k·n·8 viewed as shape (n, count), reduced over axis 0
            got = EngineKnobs.With(c, () => Reduce(a, new long[] { n, count }, new long[] { 8, n * 8 }, 0, 0b01, count, 1));
            for (int k = 0; k < count; k++) Assert.Equal(alone[k], Bits(got[k]));
            got = EngineKnobs.With(c, () => Reduce(a, new long[] { count / 2, n }, new long[] { 2 * n * 8, 8 }, 0, 0b10, count / 2, 1));
            for (int k = 0; k < count / 2; k++) Assert.Equal(alone[2 * k], Bits(got[k]));
        }
    }

    [Fact]
    public void BothWidthsAndThreadCountsGiveOneAnswerOnLongerRows()
    {
        // rows just above the short-line limit keep the 16-lane kernels: unchanged by width and threads
        const int n = RealKernels.ShortAbsLine + 1, count = 5003;
        var rng = new Random(5);
        var a = new double[count * n];
        for (int k = 0; k < count; k++) Line(rng, n, rng.Next(7)).CopyTo(a, k * n);
        double[]? first = null;
        foreach (var c in EngineKnobs.Configurations())
        {
            var got = EngineKnobs.With(c, () => Reduce(a, new long[] { count, n }, new long[] { n * 8, 8 }, 0, 0b10, count, 1));
            first ??= got;
            Assert.Equal(first.Select(Bits), got.Select(Bits));
        }
        for (int k = 0; k < count; k += 97)
        {
            var line = a.AsSpan(k * n, n).ToArray();
            Assert.Equal(Bits(Alone(line)), Bits(first![k]));
        }
    }

    internal static double[] Reduce(double[] a, long[] shape, long[] strides, long offset, ulong mask, long outs, long ostride)
    {
        var o = new double[outs * ostride];
        Array.Fill(o, 12345.0);
        long[] oshape = { outs }, ostr = { 8 * ostride };
        fixed (double* q = a) fixed (double* op = o)
            VectorNorms.Compute(new NdView(q + offset, DType.Float64, shape, strides), mask, Ord.Of(1), new NdView(op, DType.Float64, oshape, ostr));
        if (ostride == 2)
            for (long k = 0; k < outs; k++) Assert.Equal(12345.0, o[2 * k + 1]);
        return o;
    }
}
