using Xunit;

namespace NormManaged.Tests;

/// <summary>The 2-norm guesses each block's offset σ from its first 16 elements; blocks whose later elements
/// outgrow the guess must fall back and still be correctly rounded.</summary>
public class SigmaGuessTests
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (double jump in new[] { 1.0, 100.0, 1000.0, 1100.0, 1e5, 1e150, 1e300, double.MaxValue })
            foreach (int at in new[] { 16, 17, 100, 4095, 4096, 5000 })
                yield return new object[] { jump, at };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OutliersAfterThePrefixAreHandled(double jump, int at)
    {
        var rng = new Random(at);
        var x = new double[6000];
        for (int i = 0; i < x.Length; i++) x[i] = TwoNormTests.Gaussian(rng) * 1e-3;
        x[at] = jump;
        x[at / 2 + 20] = -jump / 3;
        double want = ExactReference.Norm2(x);
        double got = TwoNormTests.StridedNorm(x, 0, x.Length, 1);
        Assert.Equal(want, got);
    }

    [Fact]
    public void TinyPrefixThenNormalValues()
    {
        var x = new double[5000];
        for (int i = 0; i < 16; i++) x[i] = 1e-300;
        for (int i = 16; i < x.Length; i++) x[i] = 1.0 + i * 1e-9;
        Assert.Equal(ExactReference.Norm2(x), TwoNormTests.StridedNorm(x, 0, x.Length, 1));
        x[3] = double.NaN;
        Assert.True(double.IsNaN(TwoNormTests.StridedNorm(x, 0, x.Length, 1)));
        x[3] = double.PositiveInfinity;
        Assert.Equal(double.PositiveInfinity, TwoNormTests.StridedNorm(x, 0, x.Length, 1));
    }
}
