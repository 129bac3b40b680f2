using NormManaged.Matrix;
using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>The padded, lane-blocked bidiagonalisation: the bidiagonal it produces has the
/// singular values of the input (checked with the Jacobi kernel on both), and the padding rows
/// stay zero so the buffer can be reused for the next matrix of a stack.</summary>
public unsafe class SvdBidiagonalizeTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(9, 3)]
    [InlineData(12, 12)]
    [InlineData(13, 12)]
    [InlineData(17, 16)]
    [InlineData(40, 33)]
    [InlineData(64, 64)]
    [InlineData(71, 20)]
    public void BidiagonalKeepsTheSingularValues(int m, int n)
    {
        var rng = new Random(m * 31 + n);
        int ld = Bidiagonalize.LeadingDimension(m);
        Assert.True(ld % 8 == 0 && ld >= m && ld < m + 8);
        var rowMajor = Enumerable.Range(0, m * n).Select(_ => Gaussian(rng)).ToArray();
        var a = new double[ld * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) a[j * ld + i] = rowMajor[i * n + j];
        var w = new double[Bidiagonalize.WorkSize(m, n)];
        fixed (double* pa = a, pw = w) Bidiagonalize.Reduce(pa, m, n, pw);
        for (int j = 0; j < n; j++) for (int i = m; i < ld; i++) Assert.Equal(0.0, a[j * ld + i]);
        var b = new double[n * n];
        for (int i = 0; i < n; i++) { b[i * n + i] = w[i]; if (i < n - 1) b[i * n + i + 1] = w[n + i]; }
        var want = SingularValues.Of(rowMajor, m, n);
        var got = SingularValues.Of(b, n, n);
        double scale = want[0];
        for (int i = 0; i < n; i++)
            Assert.True(Math.Abs(got[i] - want[i]) <= 8 * n * 1.1e-16 * scale, $"σ{i}: {got[i]:R} vs {want[i]:R}");
    }
}

/// <summary>σ_max of a bidiagonal with more than 16 rows: the Laguerre-estimated bracket must
/// give the full bisection's answer to its own resolution, and the Jacobi kernel's to ~1 ulp.</summary>
public unsafe class SvdLargestTests
{
    [Theory]
    [InlineData(17, 0)]
    [InlineData(50, 0)]
    [InlineData(200, 0)]
    [InlineData(60, 1)]
    [InlineData(60, 2)]
    [InlineData(60, 3)]
    public void LaguerreBracketMatchesBisection(int n, int kind)
    {
        var rng = new Random(n + 7 * kind);
        var d = new double[n];
        var e = new double[n];
        for (int i = 0; i < n; i++)
        {
            d[i] = kind switch { 1 => Math.Pow(0.7, i), 2 => 1.0, _ => rng.NextDouble() * 4 - 2 };
            e[i] = kind switch { 1 => Math.Pow(0.7, i) * 0.3, 2 => 1e-9, _ => rng.NextDouble() * 4 - 2 };
        }
        if (kind == 3) { d[n / 2] = 0; e[n / 3] = 0; }
        var scratch = new double[2 * n];
        double got, full;
        fixed (double* pd = d, pe = e, ps = scratch)
        {
            got = BidiagonalMax.LargestOf(pd, pe, n, ps);
            full = BidiagonalMax.LargestSingularValue(pd, pe, n);
        }
        Assert.True(Math.Abs(got - full) <= 4.5e-16 * full, $"{got:R} vs {full:R}");
        var a = new double[n * n];
        for (int i = 0; i < n; i++) { a[i * n + i] = d[i]; if (i < n - 1) a[i * n + i + 1] = e[i]; }
        double jac = SingularValues.Of(a, n, n)[0];
        Assert.True(Math.Abs(got - jac) <= 3.4e-16 * jac, $"{got:R} vs Jacobi {jac:R}");
    }
}
