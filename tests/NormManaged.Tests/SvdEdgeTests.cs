using NormManaged.Matrix;
using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>Edge cases of the singular-value kernels found while reworking the bidiagonal route.</summary>
public class SvdEdgeTests
{
    [Fact]
    public void SubnormalColumnNormIsNotNaN()
    {
        // bidiagonal with a zero diagonal entry whose only coupling is 1e-300: after the Jacobi
        // kernel's QR one column of Rᵀ holds only subnormal entries; its 2-norm used to be
        // computed with a scale factor 2^1070 = inf, giving 0·inf = NaN for σ_min
        var rng = new Random(3);
        int n = 25, z = 12;
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            a[i * n + i] = i == z ? 0 : rng.NextDouble() + 0.5;
            if (i < n - 1) a[i * n + i + 1] = i == z ? 1e-300 : rng.NextDouble() + 0.5;
        }
        double smin = Norm(a, n, n, Ord.Of(-2));
        Assert.True(smin >= 0 && smin < 1e-299, $"σ_min {smin:R}");
        var s = SingularValues.Of(a, n, n);
        Assert.All(s, v => Assert.True(double.IsFinite(v)));
        Assert.True(s[^1] < 1e-299);
        unsafe
        {
            // the vector norm helper itself: subnormal-only input, exact cases
            double[] v = { 3 * double.Epsilon, 4 * double.Epsilon, 0 };
            fixed (double* p = v) Assert.Equal(5 * double.Epsilon, SvdKernel.Norm(p, 3));
        }
    }
}
