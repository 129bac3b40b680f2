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

    [Theory]
    [InlineData(100)]
    [InlineData(200)]
    public void IdenticalColumnsConvergeInFewSweeps(int n)
    {
        // ones(n, n): every Householder step leaves identical trailing columns about u times smaller, down to
        // subnormal noise, whose Jacobi rotations only round (unchanged bits, or bits that churn): the kernel ran all
        // 40 sweeps (3.3 s for σ_min of ones(200, 200), 24 s for the complex one) before all-subnormal columns were
        // left alone and a sweep that changes nothing ended the iteration
        var a = new double[n * n];
        Array.Fill(a, 1.0);
        var s = SingularValues.Of(a, n, n);
        Assert.InRange(SvdKernel.LastSweeps, 1, 6);
        Assert.Equal(n, s[0], (double)n * 1e-15);
        Assert.All(s.Skip(1), v => Assert.InRange(v, 0.0, n * 1e-15));
        // ord −2 does not get that far: two equal columns make the matrix exactly singular (SvdNorms.ExactlySingular),
        // with neither the certified route nor the Jacobi kernel tried
        long fast0 = SigmaMinRefine.FastCount, fb0 = SigmaMinRefine.FallbackCount;
        Assert.Equal(0.0, Norm(a, n, n, Ord.Of(-2)));
        Assert.Equal((fast0, fb0), (SigmaMinRefine.FastCount, SigmaMinRefine.FallbackCount));
    }

    [Theory]
    [InlineData(60, 2)]
    [InlineData(120, 5)]
    [InlineData(200, 20)]   // n/8 = 25 probe vectors from 200 columns (8 until session 17: rank 20 ran A's reduction first)
    public void LowRankMatricesSplitInsteadOfRotatingNoise(int n, int rank)
    {
        // rank-k products: no certificate on A (its bottom n − k values are rounding noise), so the fallback's QR
        // splits at k and L₂₂ (the noise, a matrix like any other) takes the certified route; the Jacobi kernel used to
        // rotate the n − k noise columns against each other (18 ms for 200×200, NumPy 3)
        var rng = new Random(n + rank);
        var x = new double[n * rank];
        var y = new double[rank * n];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble() - 0.5;
        for (int i = 0; i < y.Length; i++) y[i] = rng.NextDouble() - 0.5;
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double t = 0;
                for (int l = 0; l < rank; l++) t += x[i * rank + l] * y[l * n + j];
                a[i * n + j] = t;
            }
        long fb0 = SigmaMinRefine.FallbackCount, split0 = SigmaMinRefine.SplitCount, fast0 = SigmaMinRefine.FastCount;
        long probed0 = SigmaMinRefine.ProbedCount;
        double smin = Norm(a, n, n, Ord.Of(-2));
        // the low-rank probe sends it to the split at once: no certificate attempt on A, no fallback
        Assert.Equal((fb0, split0 + 1, probed0 + 1), (SigmaMinRefine.FallbackCount, SigmaMinRefine.SplitCount, SigmaMinRefine.ProbedCount));
        Assert.Equal(fast0 + 1, SigmaMinRefine.FastCount); // L₂₂ certified
        double fro = Math.Sqrt(a.Sum(v => v * v));
        Assert.InRange(smin, 0.0, 4 * n * 2.220446049250313e-16 * fro);
        // the Jacobi kernel's value is noise of the same level
        Assert.InRange(SingularValues.Of(a, n, n).Min(), 0.0, 4 * n * 2.220446049250313e-16 * fro);
    }

    [Theory]
    [InlineData(4, 8, 60)]
    [InlineData(3, 12, 200)]
    public void SteepBlockGradingSplitsAndKeepsRelativeAccuracy(int k, int r, int e)
    {
        // blkdiag(B, 2^-e·C) with rows and columns permuted: no certificate (σ_min far below the reduction's
        // backward error), the split at k, σ_min = 2^-e·σ_min(C) to the Jacobi kernel's accuracy on C alone
        var rng = new Random(k * 100 + r);
        int n = k + r;
        var full = new double[n * n];
        var c = new double[r * r];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++) full[i * n + j] = rng.Next(-9, 10) + (i == j ? 10 : 0);
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++)
            {
                c[i * r + j] = rng.Next(-9, 10) + (i == j ? 3 : 0);
                full[(k + i) * n + k + j] = Math.ScaleB(c[i * r + j], -e);
            }
        var p = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).ToArray();
        var q = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).ToArray();
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) a[i * n + j] = full[p[i] * n + q[j]];
        double want = Math.ScaleB(SingularValues.Of(c, r, r).Min(), -e);
        long split0 = SigmaMinRefine.SplitCount;
        double got = Norm(a, n, n, Ord.Of(-2));
        Assert.Equal(split0 + 1, SigmaMinRefine.SplitCount);
        Assert.True(Math.Abs(got - want) <= 1e-12 * want, $"{got:R} vs {want:R}");
    }

    [Theory]
    [InlineData(40, 9)]
    [InlineData(64, 12)]
    public void ProbeLeavesFullRankAndHigherRankMatricesToTheCertifiedRoute(int n, int rank)
    {
        // random (full rank) and rank above the probe's 8 vectors: certified (random) or the fallback's split (rank 9,
        // 12), never the probe's route; the same values as with the probe's threshold out of reach
        var rng = new Random(n);
        var a = new double[n * n];
        for (int i = 0; i < a.Length; i++) a[i] = rng.NextDouble() - 0.5;
        long probed0 = SigmaMinRefine.ProbedCount, fast0 = SigmaMinRefine.FastCount;
        Norm(a, n, n, Ord.Of(-2));
        Assert.Equal((probed0, fast0 + 1), (SigmaMinRefine.ProbedCount, SigmaMinRefine.FastCount));
        var x = new double[n * rank];
        var y = new double[rank * n];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble() - 0.5;
        for (int i = 0; i < y.Length; i++) y[i] = rng.NextDouble() - 0.5;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double t = 0;
                for (int l = 0; l < rank; l++) t += x[i * rank + l] * y[l * n + j];
                a[i * n + j] = t;
            }
        long fb0 = SigmaMinRefine.FallbackCount, split0 = SigmaMinRefine.SplitCount;
        probed0 = SigmaMinRefine.ProbedCount;
        double smin = Norm(a, n, n, Ord.Of(-2));
        Assert.Equal((probed0, fb0 + 1, split0 + 1), (SigmaMinRefine.ProbedCount, SigmaMinRefine.FallbackCount, SigmaMinRefine.SplitCount));
        Assert.InRange(smin, 0.0, 4 * n * 2.220446049250313e-16 * Math.Sqrt(a.Sum(v => v * v)));
    }

    [Fact]
    public void RandomMatrixStillConvergesToTheSameValues()
    {
        // the all-subnormal rule does not touch normal matrices: σ of a random 60×60 matrix agree with the
        // Golub–Kahan route (SvdTests pins the accuracy; here the kernel must still converge normally)
        var rng = new Random(11);
        int n = 60;
        var a = new double[n * n];
        for (int i = 0; i < a.Length; i++) a[i] = rng.NextDouble() - 0.5;
        var s = SingularValues.Of(a, n, n);
        Assert.InRange(SvdKernel.LastSweeps, 3, 20);
        double fro = 0;
        foreach (double v in a) fro += v * v;
        double ss = 0;
        foreach (double v in s) ss += v * v;
        Assert.Equal(fro, ss, fro * 1e-13); // Σσ² = ‖A‖_F²
    }
}
