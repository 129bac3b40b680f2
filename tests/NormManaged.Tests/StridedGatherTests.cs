using Xunit;

namespace NormManaged.Tests;

/// <summary>Strided float64 2-norms (the AVX-512 permute gathers for strides of 2 and 3 doubles, and the scalar
/// remainder) read exactly the addressed elements: the gaps hold huge values, the result must be the correctly
/// rounded norm of the addressed ones, for every length around the vector step, offset and direction.</summary>
public unsafe class StridedGatherTests
{
    [Fact]
    public void ReadsExactlyTheAddressedElements()
    {
        var rng = new Random(31);
        foreach (int step in new[] { 2, 3, 4, -2, -3 })
        {
            int k = Math.Abs(step);
            foreach (int n in Enumerable.Range(1, 40).Concat(new[] { 4095, 4096, 4097, 8193, 20_000 }))
            {
                int off = rng.Next(0, 4);
                var a = new double[n * k + 8];
                Array.Fill(a, 1e300);
                var vals = new double[n];
                for (int i = 0; i < n; i++)
                {
                    vals[i] = TwoNormTests.Gaussian(rng) * Math.Pow(2, rng.Next(-20, 20));
                    int pos = step > 0 ? off + i * k : off + (n - 1 - i) * k;
                    a[pos] = vals[i];
                }
                double want = ExactReference.Norm2(vals);
                fixed (double* p = a)
                {
                    double* first = step > 0 ? p + off : p + off + (n - 1) * k;
                    long[] shape = { n }; long[] strides = { 8L * step };
                    double r;
                    VectorNorms.Compute(new NdView(first, DType.Float64, shape, strides), 1, Ord.Two,
                        new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
                    Assert.Equal(want, r);
                }
            }
        }
    }
}
