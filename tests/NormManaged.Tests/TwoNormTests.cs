using Xunit;

namespace NormManaged.Tests;

/// <summary>The float64 2-norm kernel against the exact big-integer reference.</summary>
public unsafe class TwoNormTests
{
    /// <summary>Norm of x[offset + i·step], i &lt; n, through the strided engine.</summary>
    internal static double StridedNorm(double[] buf, int offset, int n, int step)
    {
        fixed (double* p = buf)
        {
            long[] shape = { n };
            long[] strides = { step * (long)sizeof(double) };
            double r;
            var x = new NdView(p + offset, DType.Float64, shape, strides);
            var o = new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty);
            VectorNorms.Compute(x, 1, Ord.Two, o);
            return r;
        }
    }

    private static double[] Elements(double[] buf, int offset, int n, int step)
        => Enumerable.Range(0, n).Select(i => buf[offset + i * step]).ToArray();

    public static IEnumerable<object[]> LengthsAndSteps()
    {
        foreach (int step in new[] { 1, -1, 3, -7 })
            for (int n = 0; n <= 300; n += (n < 40 ? 1 : 13))
                yield return new object[] { n, step };
    }

    [Theory]
    [MemberData(nameof(LengthsAndSteps))]
    public void RandomNormalIsCorrectlyRounded(int n, int step)
    {
        var rng = new Random(1000 * n + step);
        int span = Math.Max(1, n * Math.Abs(step));
        var buf = new double[span + 2];
        for (int i = 0; i < buf.Length; i++) buf[i] = Gaussian(rng);
        int offset = step > 0 ? 1 : span;
        double got = StridedNorm(buf, offset, n, step);
        double want = ExactReference.Norm2(Elements(buf, offset, n, step));
        Assert.Equal(want, got);
    }

    public static IEnumerable<object[]> Adversarial()
    {
        yield return new object[] { "huge", Enumerable.Repeat(1e200, 50).ToArray() };
        yield return new object[] { "near max", new[] { double.MaxValue / 2, double.MaxValue / 2 } };
        yield return new object[] { "tiny", Enumerable.Repeat(1e-200, 50).ToArray() };
        yield return new object[] { "subnormal", Enumerable.Repeat(double.Epsilon * 3, 1000).ToArray() };
        yield return new object[] { "min subnormal", new[] { double.Epsilon } };
        yield return new object[] { "one large many tiny", new[] { 1.0 }.Concat(Enumerable.Repeat(Math.ScaleB(1, -27), 20000)).ToArray() };
        yield return new object[] { "many tiny one large", Enumerable.Repeat(Math.ScaleB(1, -27), 20000).Concat(new[] { 1.0 }).ToArray() };
        yield return new object[] { "pythagorean", new[] { 3.0, 4.0, 12.0 } };
        yield return new object[] { "pythagorean scaled", new[] { 3e-300, 4e-300 } };
        yield return new object[] { "exponent sweep", Enumerable.Range(-1074, 2098).Where(k => k % 7 == 0).Select(k => Math.ScaleB(1.2345, Math.Min(k, 1022))).ToArray() };
        yield return new object[] { "mixed blocks", Enumerable.Range(0, 9000).Select(i => i < 4096 ? 1e-300 : (i < 8192 ? 1e300 : 1.0)).ToArray() };
        yield return new object[] { "equal runs", Enumerable.Repeat(0.1, 100003).ToArray() };
        yield return new object[] { "negative zero", new[] { -0.0, -0.0 } };
    }

    [Theory]
    [MemberData(nameof(Adversarial))]
    public void AdversarialInputsAreCorrectlyRounded(string name, double[] x)
    {
        double got = StridedNorm(x, 0, x.Length, 1);
        double want = ExactReference.Norm2(x);
        Assert.True(want == got, $"{name}: got {got:R}, want {want:R}");
        Assert.True(double.IsFinite(got));
    }

    [Fact]
    public void NaNAndInfinityFollowNumpy()
    {
        Assert.True(double.IsNaN(StridedNorm(new[] { 1.0, double.NaN, 2.0 }, 0, 3, 1)));
        Assert.True(double.IsNaN(StridedNorm(new[] { double.PositiveInfinity, double.NaN }, 0, 2, 1)));
        Assert.Equal(double.PositiveInfinity, StridedNorm(new[] { 1.0, double.NegativeInfinity }, 0, 2, 1));
        var big = Enumerable.Repeat(1.0, 10000).ToArray();
        big[9999] = double.NaN;
        Assert.True(double.IsNaN(StridedNorm(big, 0, big.Length, 1)));
    }

    [Fact]
    public void ZeroStrideRepeatsOneElement()
    {
        var buf = new[] { 3.0 };
        double got = StridedNorm(buf, 0, 16, 0);
        Assert.Equal(12.0, got);
    }

    [Fact]
    public void ResultDoesNotDependOnAlignment()
    {
        var rng = new Random(5);
        var src = Enumerable.Range(0, 5000).Select(_ => Gaussian(rng) * 1e10).ToArray();
        double first = double.NaN;
        for (int off = 0; off < 8; off++)
        {
            var buf = new double[src.Length + 8];
            Array.Copy(src, 0, buf, off, src.Length);
            double r = StridedNorm(buf, off, src.Length, 1);
            if (off == 0) first = r;
            Assert.Equal(BitConverter.DoubleToInt64Bits(first), BitConverter.DoubleToInt64Bits(r));
        }
    }

    internal static double Gaussian(Random rng)
    {
        double u = 1 - rng.NextDouble(), v = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
