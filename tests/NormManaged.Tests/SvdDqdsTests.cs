using NormManaged.Matrix;
using Xunit;

namespace NormManaged.Tests;

/// <summary>The dqds nuclear-norm kernel on bidiagonals, against the Jacobi kernel on the same
/// bidiagonal written out as a dense matrix (Jacobi is relatively accurate for every singular
/// value of a bidiagonal) and against exactly known cases.</summary>
public unsafe class SvdDqdsTests
{
    /// <summary>Σσ by dqds; also asserts it converged (no fallback to the QR sweeps).</summary>
    private static double Dq(double[] d, double[] e)
    {
        int n = d.Length;
        var w = new double[Dqds.WorkSize(n)];
        var dc = (double[])d.Clone();
        var ec = (double[])e.Clone();
        fixed (double* pd = dc, pe = ec, pw = w)
        {
            Assert.True(Dqds.SumOfSingularValues(pd, pe, n, pw, out double hi, out double lo), "dqds did not converge");
            Assert.Equal(d, dc); // inputs are not modified
            Assert.Equal(e, ec);
            return hi + lo;
        }
    }

    private static double JacobiSum(double[] d, double[] e)
    {
        int n = d.Length;
        var a = new double[n * n];
        for (int i = 0; i < n; i++) { a[i * n + i] = d[i]; if (i < n - 1) a[i * n + i + 1] = e[i]; }
        // sum in double-double, smallest first
        var s = SingularValues.Of(a, n, n);
        double hi = 0, lo = 0;
        for (int i = s.Length - 1; i >= 0; i--) Kernels.DD.Add(ref hi, ref lo, s[i], 0);
        return hi + lo;
    }

    private static double Rel(double a, double b) => b == 0 ? Math.Abs(a) : Math.Abs(a - b) / Math.Abs(b);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(40)]
    [InlineData(150)]
    public void RandomBidiagonalsMatchJacobi(int n)
    {
        var rng = new Random(n);
        for (int rep = 0; rep < 5; rep++)
        {
            var d = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
            var e = Enumerable.Range(0, Math.Max(n - 1, 0)).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
            double got = Dq(d, e), want = JacobiSum(d, e);
            Assert.True(Rel(got, want) < 8e-16 * Math.Max(4, Math.Sqrt(n)), $"n={n} rep={rep}: {got:R} vs {want:R}");
        }
    }

    [Theory]
    [InlineData(10, 0.5)]
    [InlineData(30, 0.25)]
    [InlineData(60, 0.7)]
    public void GradedBidiagonalsAreRelativelyAccurate(int n, double ratio)
    {
        // d_i, e_i shrinking geometrically (over up to 10^-37): Σσ is dominated by the top values,
        // but the smaller ones must not pollute it, and the iteration must converge on each
        var rng = new Random(n);
        var d = Enumerable.Range(0, n).Select(i => Math.Pow(ratio, i) * (1 + rng.NextDouble())).ToArray();
        var e = Enumerable.Range(0, n - 1).Select(i => Math.Pow(ratio, i + 0.5) * (rng.NextDouble() - 0.5)).ToArray();
        Assert.True(Rel(Dq(d, e), JacobiSum(d, e)) < 4e-15);
        // the reversed grading (small on top) too
        var dr = d.Reverse().ToArray();
        var er = e.Reverse().ToArray();
        Assert.True(Rel(Dq(dr, er), JacobiSum(dr, er)) < 4e-15);
    }

    [Fact]
    public void ExactCases()
    {
        // diagonal: the sum of |d|
        Assert.Equal(1 + 2 + 3 + 4.5, Dq(new[] { 1.0, -2, 3, -4.5 }, new[] { 0.0, 0, 0 }));
        // all zero
        Assert.Equal(0, Dq(new double[5], new double[4]));
        // [[a, b], [0, 0]]: one value, hypot(a, b) = 5
        Assert.Equal(5, Dq(new[] { 3.0, 0 }, new[] { 4.0 }));
        // equal values: the Jordan-like bidiagonal with d = 1, e = 0 except one block
        Assert.Equal(6, Dq(new[] { 1.0, 1, 1, 1, 1, 1 }, new[] { 0.0, 0, 0, 0, 0 }));
        // [[1, 1], [0, 1]]: σ = (√5 ± 1)/2, sum √5
        Assert.True(Rel(Dq(new[] { 1.0, 1 }, new[] { 1.0 }), Math.Sqrt(5)) < 3e-16);
    }

    [Fact]
    public void ZerosAndTinyEntriesInside()
    {
        var rng = new Random(3);
        int n = 25;
        foreach (int z in new[] { 0, 12, 24 })
        {
            var d = Enumerable.Range(0, n).Select(_ => rng.NextDouble() + 0.5).ToArray();
            var e = Enumerable.Range(0, n - 1).Select(_ => rng.NextDouble() + 0.5).ToArray();
            d[z] = 0; // a zero singular value
            Assert.True(Rel(Dq(d, e), JacobiSum(d, e)) < 2e-15, $"zero d at {z}");
            if (z < n - 1) e[z] = 1e-300; // squares underflow: an exact split
            Assert.True(Rel(Dq(d, e), JacobiSum(d, e)) < 2e-15, $"tiny e at {z}: {Dq(d, e):R} {JacobiSum(d, e):R}");
            d[z] = 1e-200;
            Assert.True(Rel(Dq(d, e), JacobiSum(d, e)) < 2e-15, $"tiny d at {z}");
        }
    }

    [Fact]
    public void ClusteredValues()
    {
        // nearly equal singular values (slow shifts) and a glued Wilkinson-like pattern
        int n = 50;
        var d = Enumerable.Range(0, n).Select(i => 1 + 1e-12 * i).ToArray();
        var e = Enumerable.Range(0, n - 1).Select(i => 1e-8).ToArray();
        Assert.True(Rel(Dq(d, e), JacobiSum(d, e)) < 2e-15);
        var d2 = Enumerable.Range(0, n).Select(i => (double)Math.Abs(n / 2 - i) + 1).ToArray();
        var e2 = Enumerable.Range(0, n - 1).Select(_ => 1.0).ToArray();
        Assert.True(Rel(Dq(d2, e2), JacobiSum(d2, e2)) < 2e-15);
    }
}
