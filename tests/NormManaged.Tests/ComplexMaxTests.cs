using Xunit;

namespace NormManaged.Tests;

/// <summary>max |z| (ord = inf) of complex128 blocks equals the largest |z| of the elements taken one at a time,
/// including exact and near ties in magnitude at every lane position.</summary>
public unsafe class ComplexMaxTests
{
    private static double MaxAbs(double[] reim, int n, long strideBytes = 16)
    {
        double r;
        fixed (double* p = reim)
        {
            long[] shape = { n }; long[] strides = { strideBytes };
            VectorNorms.Compute(new NdView(p, DType.Complex128, shape, strides), 1, Ord.Of(double.PositiveInfinity),
                new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        }
        return r;
    }

    [Fact]
    public void BlockMaximumIsTheLargestSingleElementMagnitude()
    {
        var rng = new Random(21);
        foreach (int n in new[] { 8, 9, 11, 12, 33, 100, 4096, 5000 })
            for (int trial = 0; trial < 12; trial++)
            {
                var a = new double[2 * n];
                int kind = trial % 4;
                double scale = Math.Pow(2, rng.Next(-200, 200));
                for (int i = 0; i < n; i++)
                {
                    double re = TwoNormTests.Gaussian(rng), im = TwoNormTests.Gaussian(rng);
                    if (kind == 1) { (re, im) = (rng.Next(2) == 0 ? (3.0, 4.0) : (5.0, 0.0)); if (rng.Next(3) == 0) re = -re; }
                    if (kind == 2) { double t = rng.NextDouble() * 2 * Math.PI; re = Math.Cos(t); im = Math.Sin(t); }
                    if (kind == 3 && rng.Next(4) != 0) { re *= 1e-3; im *= 1e-3; }
                    a[2 * i] = re * scale; a[2 * i + 1] = im * scale;
                }
                double want = 0;
                for (int i = 0; i < n; i++) want = Math.Max(want, MaxAbs(new[] { a[2 * i], a[2 * i + 1] }, 1));
                Assert.Equal(want, MaxAbs(a, n));
                var spread = new double[4 * n]; // strided view: same values through the gather path
                for (int i = 0; i < n; i++) { spread[4 * i] = a[2 * i]; spread[4 * i + 1] = a[2 * i + 1]; }
                Assert.Equal(want, MaxAbs(spread, n, 32));
            }
    }
}
