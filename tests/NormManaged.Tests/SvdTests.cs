using System.Numerics;
using System.Runtime.InteropServices;
using NormManaged.Matrix;
using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>Singular-value norms (2, −2, nuclear) against matrices with known singular values
/// and exact invariants.</summary>
public class SvdTests
{
    public static IEnumerable<object[]> Shapes()
    {
        int[][] s = { new[] { 3, 3 }, new[] { 4, 4 }, new[] { 5, 3 }, new[] { 3, 5 }, new[] { 2, 3 }, new[] { 3, 2 },
                      new[] { 8, 8 }, new[] { 12, 5 }, new[] { 2, 7 }, new[] { 25, 25 }, new[] { 40, 17 } };
        foreach (var x in s) yield return new object[] { x[0], x[1] };
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void RealKnownSingularValues(int m, int n)
    {
        var rng = new Random(m * 100 + n);
        int k = Math.Min(m, n);
        var s = Enumerable.Range(0, k).Select(_ => 1 + 3 * rng.NextDouble()).ToArray();
        var a = WithSingularValues(m, n, s, rng);
        Assert.True(RelErr(Norm(a, m, n, Ord.Two), s.Max()) < 1e-14);
        Assert.True(RelErr(Norm(a, m, n, Ord.Of(-2)), s.Min()) < 1e-14);
        Assert.True(RelErr(Norm(a, m, n, Ord.Nuc), s.Sum()) < 1e-14);
        var all = SingularValues.Of(a, m, n);
        var want = s.OrderByDescending(v => v).ToArray();
        for (int i = 0; i < k; i++) Assert.True(RelErr(all[i], want[i]) < 1e-14, $"σ{i}: {all[i]} vs {want[i]}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ComplexKnownSingularValues(int m, int n)
    {
        var rng = new Random(m * 1000 + n);
        int k = Math.Min(m, n);
        var s = Enumerable.Range(0, k).Select(_ => 1 + 3 * rng.NextDouble()).ToArray();
        var a = WithSingularValuesComplex(m, n, s, rng);
        Assert.True(RelErr(Norm(a, m, n, Ord.Two), s.Max()) < 1e-14);
        Assert.True(RelErr(Norm(a, m, n, Ord.Of(-2)), s.Min()) < 1e-14);
        Assert.True(RelErr(Norm(a, m, n, Ord.Nuc), s.Sum()) < 1e-14);
    }

    [Fact]
    public void SpreadSingularValuesAbsoluteAccuracy()
    {
        var rng = new Random(7);
        var s = new[] { 1.0, 1e-3, 1e-6, 1e-9, 1e-12, 0.5, 0.25 };
        var a = WithSingularValues(9, 7, s, rng);
        // backward-stable bound for σ_max; the others are limited by the construction (≈ n·u·σ_max)
        Assert.True(RelErr(Norm(a, 9, 7, Ord.Two), 1.0) < 1e-15);
        Assert.True(Math.Abs(Norm(a, 9, 7, Ord.Of(-2)) - 1e-12) < 1e-14);
        Assert.True(RelErr(Norm(a, 9, 7, Ord.Nuc), s.Sum()) < 1e-14);
    }

    /// <summary>Powers of ten 10^(−40·u), u uniform, in random order.</summary>
    private static double[] Grading(int n, Random rng, double decades = 40)
        => Enumerable.Range(0, n).Select(_ => Math.Pow(10, -decades * rng.NextDouble())).ToArray();

    [Theory]
    [InlineData(6, 0)]
    [InlineData(12, 1)]
    [InlineData(16, 2)]
    [InlineData(3, 3)]
    public void RowAndColumnGradedHaveExactlyKnownValues(int n, int seed)
    {
        // D·Q and Q·D (Q orthogonal) have singular values |dᵢ|; rounding each entry perturbs them
        // by ≈ n·u relatively at most (Demmel–Veselić), so every σ must be that accurate.
        var rng = new Random(seed);
        var d = Grading(n, rng);
        var q = Orthogonal(n, rng);
        var dq = new double[n * n]; var qd = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) { dq[i * n + j] = d[i] * q[i, j]; qd[i * n + j] = q[i, j] * d[j]; }
        var want = d.OrderByDescending(v => v).ToArray();
        foreach (var a in new[] { dq, qd })
        {
            var got = SingularValues.Of(a, n, n);
            for (int i = 0; i < n; i++) Assert.True(RelErr(got[i], want[i]) < 1e-13, $"σ{i}: {got[i]:R} vs {want[i]:R}");
            Assert.True(RelErr(Norm(a, n, n, Ord.Of(-2)), want[^1]) < 1e-13);
            Assert.True(RelErr(Norm(a, n, n, Ord.Two), want[0]) < 2e-15, $"smax {RelErr(Norm(a, n, n, Ord.Two), want[0]):E3}");
            Assert.True(RelErr(Norm(a, n, n, Ord.Nuc), want.Sum()) < 1e-14);
        }
    }

    [Theory]
    [InlineData(5, 10)]
    [InlineData(8, 11)]
    [InlineData(10, 12)]
    public void TwoSidedGradedSmallestValueFromExactDeterminant(int n, int seed)
    {
        // A = D₁·C·D₂ with κ(C) ≤ 1e3 and a grading of 40 decades each side (κ(A) ~ 1e80).
        // Π σᵢ = |det A| exactly (big-integer Bareiss on A's actual entries), so
        // σ_min = |det A| / Π_{i<n} σᵢ checks the smallest value against the larger ones.
        var rng = new Random(seed);
        var cs = Enumerable.Range(0, n).Select(i => Math.Pow(10, -3.0 * i / (n - 1))).ToArray();
        var c = WithSingularValues(n, n, cs, rng);
        var d1 = Grading(n, rng); var d2 = Grading(n, rng);
        var a = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i * n + j] = d1[i] * c[i * n + j] * d2[j];
        var s = SingularValues.Of(a, n, n);
        var (detM, detE) = ExactDet(a, n);
        // log-domain comparison of Π σ with |det|
        double logDet = BigInteger.Log(BigInteger.Abs(detM)) + detE * Math.Log(2);
        double logRest = s.Take(n - 1).Sum(Math.Log);
        double ref_ = Math.Exp(logDet - logRest - Math.Log(s[n - 1]));
        Assert.True(Math.Abs(ref_ - 1) < 1e-12, $"σ_min relative error {ref_ - 1:E2}");
        // Σσ² = ‖A‖_F²
        double fro = ExactReference.Norm2(a);
        double ss = Math.Sqrt(s.Sum(v => v * v));
        Assert.True(RelErr(ss, fro) < 1e-14);
        // ord −2 (steep gradings split off by SvdKernel.SplitForMin, the rest of the Jacobi kernel's path) against the
        // same determinant reference
        double smin = Norm(a, n, n, Ord.Of(-2));
        double viaDet = Math.Exp(logDet - logRest);
        Assert.True(RelErr(smin, viaDet) < 1e-12, $"ord -2 relative error {RelErr(smin, viaDet):E2}");
        // grading by powers of two is invisible: σ(2^k·A) = 2^k·σ(A) bit for bit
        var a2 = a.Select(v => Math.ScaleB(v, 300)).ToArray();
        Assert.Equal(Math.ScaleB(smin, 300), Norm(a2, n, n, Ord.Of(-2)));
    }

    /// <summary>Exact determinant of a double matrix as M·2^E (Bareiss on the integer mantissas).</summary>
    private static (BigInteger, int) ExactDet(double[] a, int n)
    {
        var parts = a.Select(ExactReference.Split).ToArray();
        int e0 = parts.Where(p => !p.m.IsZero).Min(p => p.e);
        var m = new BigInteger[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i, j] = parts[i * n + j].m << (parts[i * n + j].e - e0);
        int sign = 1;
        BigInteger prev = 1;
        for (int k = 0; k < n - 1; k++)
        {
            if (m[k, k].IsZero)
            {
                int r = k + 1;
                while (r < n && m[r, k].IsZero) r++;
                if (r == n) return (0, 0);
                for (int j = 0; j < n; j++) (m[k, j], m[r, j]) = (m[r, j], m[k, j]);
                sign = -sign;
            }
            for (int i = k + 1; i < n; i++)
                for (int j = k + 1; j < n; j++)
                    m[i, j] = (m[i, j] * m[k, k] - m[i, k] * m[k, j]) / prev;
            prev = m[k, k];
        }
        return (sign * m[n - 1, n - 1], n * e0);
    }

    [Fact]
    public void TwoByTwoClosedForm()
    {
        Assert.Equal(4.0, Norm(new[] { 3.0, 0, 0, 4 }, 2, 2, Ord.Two));
        Assert.Equal(3.0, Norm(new[] { 3.0, 0, 0, -4 }, 2, 2, Ord.Of(-2)));
        Assert.Equal(7.0, Norm(new[] { 3.0, 0, 0, 4 }, 2, 2, Ord.Nuc));
        Assert.Equal(7.0, Norm(new[] { 0.0, 5, 7, 0 }, 2, 2, Ord.Two));
        Assert.Equal(5.0, Norm(new[] { 0.0, 5, -7, 0 }, 2, 2, Ord.Of(-2)));
        Assert.Equal(0.0, Norm(new[] { 1.0, 2, 2, 4 }, 2, 2, Ord.Of(-2)));
        Assert.Equal(2e200, Norm(new[] { 1e200, 1e200, 1e200, 1e200 }, 2, 2, Ord.Two), 1e186);
        Assert.Equal(1e-200, Norm(new[] { 1e-200, 0, 0, 1e-200 }, 2, 2, Ord.Two));
        var rng = new Random(3);
        for (int t = 0; t < 2000; t++)
        {
            var a = Enumerable.Range(0, 4).Select(_ => Math.ScaleB(Gaussian(rng), rng.Next(-60, 60))).ToArray();
            double smax = Norm(a, 2, 2, Ord.Two), smin = Norm(a, 2, 2, Ord.Of(-2)), nuc = Norm(a, 2, 2, Ord.Nuc);
            // σmax·σmin = |det| (exact), σmax² + σmin² = ‖A‖_F² (exact)
            var (dm, de) = ExactDet(a, 2);
            double det = ExactReference.RoundToDouble(BigInteger.Abs(dm), false, de);
            Assert.True(RelErr(smax * smin, det) < 8e-16 || det < 1e-300, $"{t}: det");
            double fro = ExactReference.Norm2(a);
            Assert.True(RelErr(Math.Sqrt(smax * smax + smin * smin), fro) < 4e-16);
            Assert.True(RelErr(nuc, smax + smin) < 4e-16, $"nuc {nuc:R} {smax:R} {smin:R} {RelErr(nuc, smax + smin):E3}");
        }
    }

    [Fact]
    public void OneRowAndOneColumnAreTheVectorNorm()
    {
        var rng = new Random(5);
        var v = Enumerable.Range(0, 37).Select(_ => Gaussian(rng) * 1e250).ToArray();
        double want = ExactReference.Norm2(v);
        foreach (var o in new[] { Ord.Two, Ord.Of(-2), Ord.Nuc })
        {
            Assert.Equal(want, Norm(v, 1, 37, o));
            Assert.Equal(want, Norm(v, 37, 1, o));
        }
    }

    [Fact]
    public void RankDeficientAndZero()
    {
        var u = new[] { 1.0, -2, 3, 0.5, 4 }; var w = new[] { 2.0, 1, -1, 3 };
        var a = new double[20];
        for (int i = 0; i < 5; i++) for (int j = 0; j < 4; j++) a[i * 4 + j] = u[i] * w[j];
        double want = ExactReference.Norm2(u) * ExactReference.Norm2(w);
        Assert.True(RelErr(Norm(a, 5, 4, Ord.Two), want) < 4e-16);
        Assert.True(Norm(a, 5, 4, Ord.Of(-2)) < 1e-14 * want);
        Assert.True(RelErr(Norm(a, 5, 4, Ord.Nuc), want) < 1e-15);
        Assert.Equal(0.0, Norm(new double[12], 3, 4, Ord.Two));
        Assert.Equal(0.0, Norm(new double[12], 3, 4, Ord.Nuc));
    }

    [Fact]
    public void HugeAndTinyScalesDoNotOverflow()
    {
        var rng = new Random(11);
        var s = new[] { 3.0, 2.0, 1.0, 0.5 };
        var a = WithSingularValues(6, 4, s, rng);
        foreach (int k in new[] { 600, -600, 1000, -1040 })
        {
            var b = a.Select(v => Math.ScaleB(v, k)).ToArray();
            foreach (var o in new[] { Ord.Two, Ord.Of(-2), Ord.Nuc })
                Assert.Equal(Math.ScaleB(Norm(a, 6, 4, o), k), Norm(b, 6, 4, o));
        }
        var big = a.Select(v => v * 1e200).ToArray();
        Assert.True(RelErr(Norm(big, 6, 4, Ord.Two), 3e200) < 1e-14);
    }

    [Fact]
    public void NaNRaisesInfGivesNaN()
    {
        var a = new double[] { 1, 2, 3, double.NaN, 5, 6, 7, 8, 9 };
        foreach (var o in new[] { Ord.Two, Ord.Of(-2), Ord.Nuc })
        {
            var ex = Assert.Throws<NormException>(() => Norm(a, 3, 3, o));
            Assert.Equal(NormError.NoConvergence, ex.Error);
            Assert.Equal("SVD did not converge", ex.Message);
            Assert.Equal(NormError.NoConvergence, Assert.Throws<NormException>(() => Norm(a.Take(4).ToArray(), 2, 2, o)).Error);
            Assert.True(double.IsNaN(Norm(new double[] { 1, 2, double.PositiveInfinity, 4, 5, 6 }, 2, 3, o)));
            Assert.True(double.IsNaN(Norm(new double[] { 1, 2, double.NegativeInfinity, 4 }, 2, 2, o)));
        }
        // a NaN in any matrix of the stack fails the whole batch
        var stack = new double[5 * 9];
        stack[4 * 9 + 3] = double.NaN;
        Assert.Throws<NormException>(() => Batch(stack, new long[] { 5, 3, 3 }, null, 0, 1, 2, Ord.Two));
    }

    [Fact]
    public void EmptyMatrices()
    {
        foreach (var (m, n) in new[] { (0, 3), (3, 0), (0, 0) })
        {
            Assert.Equal(0.0, Norm(Array.Empty<double>(), m, n, Ord.Two));
            Assert.Equal(0.0, Norm(Array.Empty<double>(), m, n, Ord.Nuc));
            Assert.Equal(NormError.EmptyReduction, Assert.Throws<NormException>(() => Norm(Array.Empty<double>(), m, n, Ord.Of(-2))).Error);
        }
        Assert.Empty(Batch(Array.Empty<double>(), new long[] { 0, 3, 3 }, null, 0, 1, 2, Ord.Of(-2)));
    }

    [Fact]
    public void UnsupportedDTypesRaiseNumpysMessage()
    {
        var bytes = new byte[64];
        foreach (var (t, name) in new[] { (DType.Float16, "float16"), (DType.LongDouble, "float128"), (DType.CLongDouble, "complex256") })
            foreach (var o in new[] { Ord.Two, Ord.Of(-2), Ord.Nuc })
            {
                int sz = DTypes.ItemSize(t);
                var ex = Assert.Throws<NormException>(() => Run(bytes, t, new long[] { 1, 2 }, new long[] { 2 * sz, sz }, 0, 0, 1, o));
                Assert.Equal(NormError.BadDType, ex.Error);
                Assert.Equal($"array type {name} is unsupported in linalg", ex.Message);
            }
    }

    public static IEnumerable<object[]> BatchShapes()
    {
        foreach (var (m, n) in new[] { (2, 2), (3, 3), (4, 2), (2, 5), (1, 3), (6, 6) })
            foreach (var o in new[] { 2, -2, 0 })
                yield return new object[] { m, n, o };
    }

    private static Ord OrdOf(int code) => code == 0 ? Ord.Nuc : Ord.Of(code);

    [Theory]
    [MemberData(nameof(BatchShapes))]
    public void StacksAndViewsMatchContiguousCopies(int m, int n, int ordCode)
    {
        // x has shape (4, n, 3, m) in memory; the view reads matrices with rows on axis 3 and
        // columns on axis 1, with a reversed batch axis: every layout must give the same bits
        // as the contiguous copy of each matrix.
        var ord = OrdOf(ordCode);
        var rng = new Random(m * 31 + n * 7 + ordCode);
        long[] shape = { 4, n, 3, m };
        var data = Enumerable.Range(0, 4 * n * 3 * m + 5).Select(_ => Gaussian(rng)).ToArray();
        var st = CStrides(shape);
        // reverse axis 2
        long[] strides = { st[0], st[1], -st[2], st[3] };
        long offset = 2 * st[2];
        var got = Batch(data, shape, strides, offset, 3, 1, ord); // kept axes (0, 2)
        for (int b0 = 0; b0 < 4; b0++)
            for (int b2 = 0; b2 < 3; b2++)
            {
                var a = new double[m * n];
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                        a[i * n + j] = data[offset + b0 * strides[0] + j * strides[1] + b2 * strides[2] + i * strides[3]];
                Assert.Equal(Norm(a, m, n, ord), got[b0 * 3 + b2]);
            }
        // transposition: σ(Aᵀ) = σ(A) (bit-identical for non-square: the same oriented matrix)
        var t = Batch(data, shape, strides, offset, 1, 3, ord);
        for (int i = 0; i < got.Length; i++)
            if (m != n) Assert.Equal(got[i], t[i]);
            else Assert.True(RelErr(t[i], got[i]) < 1e-14);
        // zero strides: a matrix whose every row is the same
        var z = Batch(data, new long[] { m, n }, new long[] { 0, 1 }, 0, 0, 1, ord);
        var row = data.Take(n).ToArray();
        double rowNorm = ExactReference.Norm2(row) * Math.Sqrt(m);
        if (ordCode == 2 || (Math.Min(m, n) == 1)) Assert.True(RelErr(z[0], rowNorm) < 1e-15);
        else if (ordCode == -2) Assert.True(z[0] < 1e-14 * rowNorm);
    }

    [Fact]
    public void DTypesWidenExactlyAndRoundOnce()
    {
        var rng = new Random(21);
        int m = 4, n = 3;
        var f = Enumerable.Range(0, m * n).Select(_ => (float)Gaussian(rng)).ToArray();
        var d = f.Select(v => (double)v).ToArray();
        foreach (var o in new[] { Ord.Two, Ord.Of(-2), Ord.Nuc })
        {
            double r64 = Norm(d, m, n, o);
            var r32 = Run(MemoryMarshal.AsBytes(f.AsSpan()).ToArray(), DType.Float32, new long[] { m, n }, new long[] { 4 * n, 4 }, 0, 0, 1, o);
            Assert.Equal((double)(float)r64, r32[0]);
            // complex64 with zero imaginary parts = the real matrix
            var c = f.SelectMany(v => new[] { v, 0f }).ToArray();
            var rc = Run(MemoryMarshal.AsBytes(c.AsSpan()).ToArray(), DType.Complex64, new long[] { m, n }, new long[] { 8 * n, 8 }, 0, 0, 1, o);
            Assert.True(RelErr(rc[0], (float)r64) < 2e-7);
            var ints = Enumerable.Range(0, m * n).Select(i => rng.Next(-100, 100)).ToArray();
            var ri = Run(MemoryMarshal.AsBytes(ints.AsSpan()).ToArray(), DType.Int32, new long[] { m, n }, new long[] { 4 * n, 4 }, 0, 0, 1, o);
            Assert.Equal(Norm(ints.Select(v => (double)v).ToArray(), m, n, o), ri[0]);
            var bools = Enumerable.Range(0, m * n).Select(i => (byte)(i % 3 == 0 ? 1 : 0)).ToArray();
            var rb = Run(bools, DType.Bool, new long[] { m, n }, new long[] { n, 1 }, 0, 0, 1, o);
            Assert.Equal(Norm(bools.Select(v => (double)v).ToArray(), m, n, o), rb[0]);
        }
        // float32 result beyond float32 range: inf and the overflow event
        var big = new[] { 3e38f, 3e38f, 3e38f, -3e38f };
        var rr = Run(MemoryMarshal.AsBytes(big.AsSpan()).ToArray(), DType.Float32, new long[] { 2, 2 }, new long[] { 8, 4 }, 0, 0, 1, Ord.Two, out var ev);
        Assert.True(double.IsPositiveInfinity(rr[0]));
        Assert.Equal(FpEvents.Overflow, ev);
    }

    [Fact]
    public void DeterministicAcrossThreadCounts()
    {
        var rng = new Random(99);
        foreach (var (m, n) in new[] { (2, 2), (3, 3), (7, 5) })
        {
            var data = Enumerable.Range(0, 3000 * m * n).Select(_ => Gaussian(rng)).ToArray();
            foreach (var o in new[] { Ord.Two, Ord.Of(-2), Ord.Nuc })
            {
                int prev = Parallelism.SetMaxThreads(1);
                double[] one;
                try { one = Batch(data, new long[] { 3000, m, n }, null, 0, 1, 2, o); }
                finally { Parallelism.SetMaxThreads(prev); }
                prev = Parallelism.SetMaxThreads(4);
                try { Assert.Equal(one, Batch(data, new long[] { 3000, m, n }, null, 0, 1, 2, o)); }
                finally { Parallelism.SetMaxThreads(prev); }
            }
        }
    }
}

/// <summary>The bidiagonal σ_max route (ord 2, larger matrices) against the Jacobi kernel.</summary>
public class SvdBidiagonalTests
{
    [Theory]
    [InlineData(12, 12)]
    [InlineData(13, 40)]
    [InlineData(64, 30)]
    [InlineData(100, 100)]
    [InlineData(150, 20)]
    public void AgreesWithJacobiToAFewUlp(int m, int n)
    {
        var rng = new Random(m * 7 + n);
        var a = Enumerable.Range(0, m * n).Select(_ => Gaussian(rng)).ToArray();
        double jac = SingularValues.Of(a, m, n)[0];
        double bd = Norm(a, m, n, Ord.Two);
        Assert.True(RelErr(bd, jac) < 3e-15, $"bidiagonal {bd:R} jacobi {jac:R} rel {RelErr(bd, jac):E2}");
        // rank one: σ_max = ‖u‖‖v‖
        var u = Enumerable.Range(0, m).Select(_ => Gaussian(rng)).ToArray();
        var v = Enumerable.Range(0, n).Select(_ => Gaussian(rng)).ToArray();
        var r1 = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) r1[i * n + j] = u[i] * v[j];
        Assert.True(RelErr(Norm(r1, m, n, Ord.Two), ExactReference.Norm2(u) * ExactReference.Norm2(v)) < 1e-15);
        // known singular values, one dominant
        int k = Math.Min(m, n);
        var s = Enumerable.Range(0, k).Select(i => i == 0 ? 10.0 : rng.NextDouble()).ToArray();
        Assert.True(RelErr(Norm(WithSingularValues(m, n, s, rng), m, n, Ord.Two), 10.0) < 1e-15);
        // diagonal: exact
        var dg = new double[m * n];
        for (int i = 0; i < k; i++) dg[i * n + i] = i == k / 2 ? 7.25 : rng.NextDouble();
        Assert.Equal(7.25, Norm(dg, m, n, Ord.Two));
        // 1e±200 scaling
        Assert.Equal(Math.ScaleB(Norm(a, m, n, Ord.Two), 700), Norm(a.Select(x => Math.ScaleB(x, 700)).ToArray(), m, n, Ord.Two));
    }
}

/// <summary>The bidiagonal nuclear-norm route (Golub–Kahan QR sweeps) against the Jacobi kernel.</summary>
public class SvdNuclearBidiagonalTests
{
    [Theory]
    [InlineData(12, 12, 0)]
    [InlineData(30, 13, 0)]
    [InlineData(13, 45, 0)]
    [InlineData(80, 80, 0)]
    [InlineData(20, 15, 5)]
    [InlineData(40, 40, 1)]
    [InlineData(25, 25, 24)]
    public void AgreesWithJacobiSum(int m, int n, int rank)
    {
        var rng = new Random(m * 13 + n + rank);
        double[] a;
        if (rank == 0) a = Enumerable.Range(0, m * n).Select(_ => Gaussian(rng)).ToArray();
        else
        {
            // rank-deficient: exact zero singular values make zero (or tiny) bidiagonal entries
            var u = Enumerable.Range(0, m * rank).Select(_ => Gaussian(rng)).ToArray();
            var v = Enumerable.Range(0, rank * n).Select(_ => Gaussian(rng)).ToArray();
            a = new double[m * n];
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) for (int k = 0; k < rank; k++) a[i * n + j] += u[i * rank + k] * v[k * n + j];
        }
        double jac = SingularValues.Of(a, m, n).Sum();
        double got = Norm(a, m, n, Ord.Nuc);
        Assert.True(RelErr(got, jac) < 2e-14, $"nuc {got:R} jacobi {jac:R} rel {RelErr(got, jac):E2}");
        // diagonal and identity-like matrices: exact (the bidiagonal is already diagonal)
        var dg = new double[m * n];
        int k2 = Math.Min(m, n);
        for (int i = 0; i < k2; i++) dg[i * n + i] = i + 1;
        Assert.Equal(k2 * (k2 + 1) / 2.0, Norm(dg, m, n, Ord.Nuc));
        var zc = (double[])a.Clone();
        for (int i = 0; i < m; i++) zc[i * n + n / 2] = 0; // a zero column
        Assert.True(RelErr(Norm(zc, m, n, Ord.Nuc), SingularValues.Of(zc, m, n).Sum()) < 2e-14);
    }

    [Fact]
    public void KnownValuesAndComplex()
    {
        var rng = new Random(77);
        var s = Enumerable.Range(0, 20).Select(i => Math.Pow(10, -i / 4.0)).ToArray();
        Assert.True(RelErr(Norm(WithSingularValues(30, 20, s, rng), 30, 20, Ord.Nuc), s.Sum()) < 1e-14);
        var c = WithSingularValuesComplex(14, 14, s.Take(14).ToArray(), rng);
        Assert.True(RelErr(Norm(c, 14, 14, Ord.Nuc), s.Take(14).Sum()) < 1e-14);
    }
}

/// <summary>The complex bidiagonal route (ord 2 and nuc, 6+ columns) on matrices with known singular values.</summary>
public class SvdComplexBidiagonalTests
{
    [Theory]
    [InlineData(6, 6)]
    [InlineData(9, 20)]
    [InlineData(31, 7)]
    [InlineData(24, 24)]
    [InlineData(180, 170)]   // from 160 columns the reduction is cut in two parts (ComplexBidiagonal.SplitFrom)
    [InlineData(170, 200)]
    public void KnownSingularValues(int m, int n)
    {
        var rng = new Random(m * 101 + n);
        int k = Math.Min(m, n);
        var s = Enumerable.Range(0, k).Select(i => Math.Pow(10, -i / 5.0) * (1 + rng.NextDouble())).ToArray();
        var a = WithSingularValuesComplex(m, n, s, rng);
        Assert.True(RelErr(Norm(a, m, n, Ord.Two), s.Max()) < 2e-15);
        Assert.True(RelErr(Norm(a, m, n, Ord.Nuc), s.Sum()) < 1e-14);
        // rank-deficient: zero the last singular values
        var s2 = s.Select((v, i) => i < k / 2 ? v : 0).ToArray();
        var b = WithSingularValuesComplex(m, n, s2, rng);
        Assert.True(RelErr(Norm(b, m, n, Ord.Nuc), s2.Sum()) < 1e-14);
        Assert.True(RelErr(Norm(b, m, n, Ord.Two), s2.Max()) < 2e-15);
        // a purely imaginary matrix i·R has the singular values of R
        var r = Enumerable.Range(0, m * n).Select(_ => Gaussian(rng)).ToArray();
        var ir = r.Select(v => new System.Numerics.Complex(0, v)).ToArray();
        Assert.True(RelErr(Norm(ir, m, n, Ord.Nuc), SingularValues.Of(r, m, n).Sum()) < 1e-14);
        Assert.True(RelErr(Norm(ir, m, n, Ord.Two), SingularValues.Of(r, m, n)[0]) < 3e-15);
    }
}
