using Xunit;

namespace NormManaged.Tests;

/// <summary>2-norms whose result is subnormal are correctly rounded too, including the exact ties on the
/// subnormal grid that only the low part of the double-double root decides.</summary>
public unsafe class SubnormalResultTests
{
    [Fact]
    public void SubnormalTwoNormsAreCorrectlyRounded()
    {
        var rng = new Random(77);
        for (int t = 0; t < 3000; t++)
        {
            int n = rng.Next(1, 50);
            var x = new double[n];
            int scale = rng.Next(-1074, -1000);
            for (int i = 0; i < n; i++) x[i] = TwoNormTests.Gaussian(rng) * Math.Pow(2, scale);
            double r;
            fixed (double* p = x)
            {
                long[] shape = { n }; long[] strides = { 8 };
                VectorNorms.Compute(new NdView(p, DType.Float64, shape, strides), 1, Ord.Two,
                    new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
            }
            Assert.Equal(ExactReference.Norm2(x), r);
        }
    }
}
