using System.Numerics;
using System.Runtime.InteropServices;
using NormManaged.Matrix;
using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>σ_min (ord −2) on the certified bidiagonal route (Matrix/SigmaMinRefine.cs) and its
/// fallback to Jacobi. Exact references: A = Q·diag(s)·P with Q, P exactly orthogonal (Kronecker
/// products of the 4×4 Householder matrix I − vvᵀ/2, v = (1, 1, 1, −1), entries ±2⁻ᵏ; complex:
/// times unit phases ±1, ±i) and integer s, so every entry of A is exact in float64 (and float32)
/// and σ_min is the integer min|sᵢ|. A certified result is within 2⁻⁵⁷ of it before its one
/// rounding, so it must come out exactly.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class SigmaMinCertifiedTests
{
    private static readonly Ord MinusTwo = Ord.Of(-2);

    /// <summary>The 4ᵏ×4ᵏ exactly orthogonal matrix H⊗H⊗…, row-major; rows permuted by <paramref name="rng"/>.</summary>
    private static double[] Orthogonal(int k, Random rng)
    {
        double[] h = { 0.5, -0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5, -0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5 };
        double[] q = { 1 };
        int n = 1;
        for (int step = 0; step < k; step++)
        {
            int nn = 4 * n;
            var r = new double[nn * nn];
            for (int i = 0; i < nn; i++)
                for (int j = 0; j < nn; j++)
                    r[i * nn + j] = q[i / 4 * n + j / 4] * h[i % 4 * 4 + j % 4];
            q = r; n = nn;
        }
        var perm = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).ToArray();
        var p = new double[n * n];
        for (int i = 0; i < n; i++) Array.Copy(q, perm[i] * n, p, i * n, n);
        return p;
    }

    /// <summary>m×n (m = 4^km ≥ n = 4^kn) real A = Q[:, :n]·diag(s)·P, exact.</summary>
    private static double[] Exact(int km, int kn, long[] s, Random rng, out int m, out int n)
    {
        var q = Orthogonal(km, rng);
        var p = Orthogonal(kn, rng);
        m = 1 << (2 * km); n = 1 << (2 * kn);
        var a = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double v = 0;
                for (int t = 0; t < n; t++) v += q[i * m + t] * s[t] * p[t * n + j];
                a[i * n + j] = v;
            }
        return a;
    }

    private static long[] Values(int n, long smin, Random rng, int max = 1 << 14)
    {
        var s = new long[n];
        for (int i = 0; i < n; i++) s[i] = rng.Next(2 * (int)smin + 3, max) * (rng.Next(2) == 0 ? 1 : -1);
        s[rng.Next(n)] = smin;
        return s;
    }

    private static double Jacobi(Func<double> f)
    {
        int saved = SigmaMinRefine.FastFrom;
        SigmaMinRefine.FastFrom = int.MaxValue;
        try { return f(); }
        finally { SigmaMinRefine.FastFrom = saved; }
    }

    private static double Complex128(Complex[] a, int m, int n) => Norm(a, m, n, MinusTwo);

    private static double Complex64(Complex[] a, int m, int n)
    {
        var flat = new float[2 * a.Length];
        for (int i = 0; i < a.Length; i++) { flat[2 * i] = (float)a[i].Real; flat[2 * i + 1] = (float)a[i].Imaginary; }
        byte[] bytes = MemoryMarshal.AsBytes(flat.AsSpan()).ToArray();
        return Run(bytes, DType.Complex64, new long[] { m, n }, new long[] { 8L * n, 8 }, 0, 0, 1, MinusTwo)[0];
    }

    private static double Float32(double[] a, int m, int n, bool fortran)
    {
        var flat = a.Select(v => (float)v).ToArray();
        byte[] bytes = MemoryMarshal.AsBytes(flat.AsSpan()).ToArray();
        // fortran: the same values read as the transpose's F-order storage, i.e. the n×m matrix Aᵀ
        return fortran
            ? Run(bytes, DType.Float32, new long[] { n, m }, new long[] { 4, 4L * n }, 0, 0, 1, MinusTwo)[0]
            : Run(bytes, DType.Float32, new long[] { m, n }, new long[] { 4L * n, 4 }, 0, 0, 1, MinusTwo)[0];
    }

    private static Complex[] WithPhases(double[] a, int m, int n, Random rng)
    {
        // A·diag(phases): unitary column phases keep the singular values
        var ph = Enumerable.Range(0, n).Select(_ => rng.Next(4) switch { 0 => Complex.One, 1 => Complex.ImaginaryOne, 2 => -Complex.One, _ => -Complex.ImaginaryOne }).ToArray();
        var z = new Complex[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) z[i * n + j] = a[i * n + j] * ph[j];
        return z;
    }

    [Fact]
    public void ExactSingularValuesComeOutExactly()
    {
        var rng = new Random(7);
        int saved = SigmaMinRefine.FastFrom;
        SigmaMinRefine.FastFrom = 3;   // the 16×4 case too
        try
        {
        foreach (var (km, kn) in new[] { (2, 2), (3, 2), (3, 3), (2, 1) })
            for (int trial = 0; trial < 3; trial++)
            {
                long smin = rng.Next(1, 40);
                var a = Exact(km, kn, Values(1 << (2 * kn), smin, rng), rng, out int m, out int n);
                long fast0 = SigmaMinRefine.FastCount;
                Assert.Equal(smin, Norm(a, m, n, MinusTwo));                  // tall or square, C order
                Assert.Equal(smin, Norm(Transpose(a, m, n), n, m, MinusTwo)); // wide
                Assert.Equal(smin, Float32(a, m, n, false));
                Assert.Equal(smin, Float32(a, m, n, true));
                var z = WithPhases(a, m, n, rng);
                Assert.Equal(smin, Complex128(z, m, n));
                Assert.Equal(smin, Complex64(z, m, n));
                Assert.Equal(fast0 + 6, SigmaMinRefine.FastCount);   // all six certified
                // scaled by 2^±600: the same bits scaled (the route works at the scale of 1)
                Assert.Equal(Math.ScaleB(smin, 600), Norm(a.Select(v => Math.ScaleB(v, 600)).ToArray(), m, n, MinusTwo));
                Assert.Equal(Math.ScaleB(smin, -600), Norm(a.Select(v => Math.ScaleB(v, -600)).ToArray(), m, n, MinusTwo));
            }
        }
        finally { SigmaMinRefine.FastFrom = saved; }
    }

    private static double[] Transpose(double[] a, int m, int n)
    {
        var t = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) t[j * m + i] = a[i * n + j];
        return t;
    }

    [Fact]
    public void BothRoutesAreExercised()
    {
        var rng = new Random(11);
        // a certified matrix
        var s = Values(16, 5, rng);
        var a = Exact(2, 2, s, rng, out int m, out int n);
        long fast0 = SigmaMinRefine.FastCount, fb0 = SigmaMinRefine.FallbackCount;
        Assert.Equal(5.0, Norm(a, m, n, MinusTwo));
        Assert.Equal((fast0 + 1, fb0), (SigmaMinRefine.FastCount, SigmaMinRefine.FallbackCount));
        // the same σ twice (no gap: no certificate can exist) and a singular matrix: fallback,
        // with the Jacobi kernel's own result
        var s2 = (long[])s.Clone();
        int other = Array.FindIndex(s2, v => v != 5);
        s2[other] = -5;
        var twice = Exact(2, 2, s2, rng, out _, out _);
        var s0 = (long[])s.Clone();
        s0[other] = 0;
        var singular = Exact(2, 2, s0, rng, out _, out _);
        foreach (var x in new[] { twice, singular })
        {
            fast0 = SigmaMinRefine.FastCount; fb0 = SigmaMinRefine.FallbackCount;
            long split0 = SigmaMinRefine.SplitCount;
            double got = Norm(x, m, n, MinusTwo);
            Assert.Equal((fast0, fb0 + 1), (SigmaMinRefine.FastCount, SigmaMinRefine.FallbackCount));
            // the singular one: its noise is split off (SvdKernel.SplitForMin) and measured on its own
            Assert.Equal(split0 + (x == singular ? 1 : 0), SigmaMinRefine.SplitCount);
            if (x == twice) Assert.Equal(Jacobi(() => Norm(x, m, n, MinusTwo)), got);
        }
        Assert.True(Math.Abs(Norm(twice, m, n, MinusTwo) - 5) < 1e-11);
        Assert.True(Norm(singular, m, n, MinusTwo) < 1e-12);
        // below FastFrom columns the route is not tried
        fast0 = SigmaMinRefine.FastCount; fb0 = SigmaMinRefine.FallbackCount;
        var small = Exact(1, 1, new long[] { 3, 9, -4, 7 }, rng, out int m4, out int n4);
        Assert.Equal(3.0, Norm(small, m4, n4, MinusTwo), 14);
        Assert.Equal((fast0, fb0), (SigmaMinRefine.FastCount, SigmaMinRefine.FallbackCount));
    }

    [Fact]
    public void ComplexFromFourColumnsTakeTheRouteByDefault()
    {
        // complex 4×4 and 16×4 (A·diag(phases), exact singular values) are certified without an override;
        // a complex 2×2 is not tried (closed form), nor a real 4×4 (BothRoutesAreExercised)
        var rng = new Random(21);
        foreach (var (km, kn) in new[] { (1, 1), (2, 1) })
        {
            long smin = rng.Next(1, 40);
            var a = Exact(km, kn, Values(1 << (2 * kn), smin, rng), rng, out int m, out int n);
            var z = WithPhases(a, m, n, rng);
            long fast0 = SigmaMinRefine.FastCount;
            Assert.Equal(smin, Complex128(z, m, n));
            Assert.Equal(smin, Complex64(z, m, n));
            Assert.Equal(fast0 + 2, SigmaMinRefine.FastCount);
        }
    }

    [Fact]
    public void ImprovementStepsAreTakenAndCertified()
    {
        // columns scaled geometrically down to 1/κ: B's vector is not good enough for the
        // certificate, one or two steps x ← x − M⁻¹r are; the result agrees with Jacobi (which is
        // relatively accurate on column-scaled matrices) to 1e−13
        var rng = new Random(1);
        int certifiedAfterSteps = 0;
        foreach (int n in new[] { 8, 20, 60 })
            foreach (double kappa in new[] { 1.0, 1e2, 1e4, 1e6, 1e8 })
            {
                var a = new double[n * n];
                for (int i = 0; i < a.Length; i++) a[i] = rng.NextDouble() - 0.5;
                for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i * n + j] *= Math.Pow(kappa, -(double)j / (n - 1));
                long f0 = SigmaMinRefine.FastCount, s0 = SigmaMinRefine.StepCount;
                double got = Norm(a, n, n, MinusTwo);
                if (SigmaMinRefine.FastCount > f0 && SigmaMinRefine.StepCount > s0) certifiedAfterSteps++;
                double jac = Jacobi(() => Norm(a, n, n, MinusTwo));
                Assert.True(Math.Abs(got - jac) <= 1e-13 * jac, $"n={n} κ={kappa}: {got:R} vs {jac:R}");
            }
        Assert.True(certifiedAfterSteps >= 2, $"{certifiedAfterSteps}");
    }

    [Fact]
    public void NearlyRankDeficientMatricesSkipTheRounds()
    {
        // σₙ₋₁ = 3 and σₙ = 1 under fourteen values near 2³⁵: σₙ₋₁ ≈ 2⁻³⁷·‖A‖_F, far below 8·√u·‖A‖_F, where the vector's
        // error along σₙ₋₁'s direction is ≫ 1 and no round can bring the certificate in reach. One Sturm count sends it
        // to the fallback without rounds (before: three improvement steps, then the same fallback).
        var rng = new Random(17);
        var s = new long[16];
        for (int i = 0; i < 16; i++) s[i] = (1L << 35) + rng.Next(1 << 20);
        s[3] = 3; s[11] = -1;
        var a = Exact(2, 2, s, rng, out int m, out int n);
        long f0 = SigmaMinRefine.FastCount, fb0 = SigmaMinRefine.FallbackCount, st0 = SigmaMinRefine.StepCount;
        double got = Norm(a, m, n, MinusTwo);
        Assert.Equal((f0, fb0 + 1, st0), (SigmaMinRefine.FastCount, SigmaMinRefine.FallbackCount, SigmaMinRefine.StepCount));
        // the fallback's error, ~κ·u = 2³⁷·2⁻⁵³ (NumPy's LAPACK errs by about u·σ₁ too)
        Assert.True(Math.Abs(got - 1) <= 1e-4, $"{got:R}");
        double jac = Jacobi(() => Norm(a, m, n, MinusTwo));
        Assert.True(Math.Abs(jac - 1) <= 1e-4, $"{jac:R}");

        // exactly singular of rank n − 1 (σₙ = 0 under values up to 2¹⁴, no equal lines): B's σₙ is rounding noise, far
        // below 2²²·u·‖A‖_F, so neither the vector nor a round is tried (before: three steps, then the same fallback)
        var s0 = Values(16, 1, rng);
        s0[rng.Next(16)] = 0;
        var sing = Exact(2, 2, s0, rng, out _, out _);
        f0 = SigmaMinRefine.FastCount; fb0 = SigmaMinRefine.FallbackCount; st0 = SigmaMinRefine.StepCount;
        double z = Norm(sing, m, n, MinusTwo);
        Assert.Equal((f0, fb0 + 1, st0), (SigmaMinRefine.FastCount, SigmaMinRefine.FallbackCount, SigmaMinRefine.StepCount));
        Assert.True(z <= 1e-11, $"{z:R}");
    }

    [Fact]
    public void Float32ResultsOfIllConditionedMatricesAreCertified()
    {
        // σₙ = 1, σₙ₋₁ = 2 under values near 2¹⁴ (exact in float32): too ill-conditioned for the 2⁻⁵⁷ a float64 result
        // needs from the vector the reduction gives, but well inside a float32 rounding interval (2⁻³⁰ is enough
        // there): certified, exactly 1, where it used to fall back after its rounds
        var rng = new Random(29);
        int certified = 0;
        for (int trial = 0; trial < 4; trial++)
        {
            var s = new long[16];
            for (int i = 0; i < 16; i++) s[i] = (1L << 14) - rng.Next(1 << 10);
            s[rng.Next(16)] = 2; s[(trial * 5 + 1) % 16] = 1;
            var a = Exact(2, 2, s, rng, out int m, out int n);
            foreach (bool fortran in new[] { false, true })
            {
                long f0 = SigmaMinRefine.FastCount, st0 = SigmaMinRefine.StepCount;
                Assert.Equal(1.0, Float32(a, m, n, fortran));
                if (SigmaMinRefine.FastCount == f0 + 1 && SigmaMinRefine.StepCount == st0) certified++;
            }
        }
        Assert.True(certified >= 6, $"{certified} of 8 certified from the first vector");
    }

    [Fact]
    public void Float32LowRankProductsSplitAtTheirRank()
    {
        // B·C of rank 10 / 20 rounded to float32: full rank, with n − k singular values at the float32 rounding's
        // noise, ~2⁻²⁴·‖A‖·√n — more than 2⁻²⁰ of the last pivot once the QR's √(n−k) is counted, so the float32
        // trigger 2⁻²⁰ never fired and the Jacobi kernel ran on all 160 columns (0.17× NumPy at 200×200). The split
        // now triggers at 2⁻¹² and accepts w ≤ 2⁻³⁰ (its relative error w/2 is 2⁻⁷ of a float32 ulp); the result is
        // the Jacobi kernel's within a float32 ulp.
        var rng = new Random(41);
        const int n = 160;
        foreach (int rank in new[] { 10, 20 })
        {
            var b = new double[n * rank];
            var c = new double[rank * n];
            for (int i = 0; i < b.Length; i++) b[i] = rng.NextDouble() * 2 - 1;
            for (int i = 0; i < c.Length; i++) c[i] = rng.NextDouble() * 2 - 1;
            var a = new double[n * n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    double v = 0;
                    for (int t = 0; t < rank; t++) v += b[i * rank + t] * c[t * n + j];
                    a[i * n + j] = (float)v;
                }
            long split0 = SigmaMinRefine.SplitCount;
            double got = Float32(a, n, n, false);
            Assert.Equal(split0 + 1, SigmaMinRefine.SplitCount);
            double jac = Jacobi(() => Float32(a, n, n, false));
            Assert.True(Math.Abs(got - jac) <= MathF.BitIncrement((float)jac) - (float)jac, $"rank {rank}: {got:R} vs {jac:R}");
        }
    }

    [Fact]
    public void GradedMatricesStayRelativelyAccurate()
    {
        // D₁·A·D₂ with A exact and D powers of two: σ_min is not known exactly, but the Jacobi
        // kernel is relatively accurate on it (to ~κ(A)·u), and the certified route must either
        // agree to 1e−12 or not be taken
        var rng = new Random(5);
        for (int trial = 0; trial < 6; trial++)
        {
            var a = Exact(2, 2, Values(16, 3, rng, 300), rng, out int m, out int n);
            int spread = 4 + 8 * trial;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                    a[i * n + j] = Math.ScaleB(a[i * n + j], -(spread * i / m) - (spread * j / n) / 2);
            double got = Norm(a, m, n, MinusTwo), jac = Jacobi(() => Norm(a, m, n, MinusTwo));
            Assert.True(Math.Abs(got - jac) <= 1e-12 * jac, $"trial {trial}: {got:R} vs {jac:R}");
        }
    }

    [Fact]
    public void SameBitsForEveryThreadCountWidthAndLayout()
    {
        var rng = new Random(3);
        foreach (var (m, n) in new[] { (300, 300), (130, 97), (37, 36) })
        {
            var a = new double[m * n];
            for (int i = 0; i < a.Length; i++) a[i] = rng.NextDouble() - 0.5;
            double first = double.NaN;
            foreach (var c in EngineKnobs.Configurations())
            {
                long fast0 = SigmaMinRefine.FastCount;
                double got = EngineKnobs.With(c, () => Norm(a, m, n, MinusTwo));
                Assert.Equal(fast0 + 1, SigmaMinRefine.FastCount);
                if (double.IsNaN(first)) first = got;
                Assert.Equal(first, got);
            }
            // F order of the same matrix, and a negative row stride (rows reversed: the same σ)
            var f = Transpose(a, m, n);
            Assert.Equal(first, Batch(f, new long[] { m, n }, new long[] { 1, m }, 0, 0, 1, MinusTwo)[0]);
            double rev = Batch(a, new long[] { m, n }, new long[] { -n, 1 }, (long)(m - 1) * n, 0, 1, MinusTwo)[0];
            Assert.True(Math.Abs(rev - first) <= 2.3e-16 * first);
            // a stack of three: split over matrices instead of inside one, the same bits
            var stack = a.Concat(a).Concat(a).ToArray();
            foreach (var c in EngineKnobs.Configurations())
                Assert.Equal(new[] { first, first, first },
                    EngineKnobs.With(c, () => Batch(stack, new long[] { 3, m, n }, null, 0, 1, 2, MinusTwo)));
        }
    }
}

/// <summary>The certificate's decisions on synthetic inputs (σ̂ = 1, ‖A‖_F = 1, σₙ₋₁(B) ≥ 2, 10×10):
/// the Kato–Temple term ‖r‖²/(β − ρ) must stay below 2⁻⁵⁷, the gap must exceed the backward-error
/// bound, and a float32 result must not straddle a rounding midpoint.</summary>
[Collection(nameof(EngineKnobsCollection))]
public class SigmaMinCertificateTests
{
    [Fact]
    public void AcceptsOnlyProvenIntervals()
    {
        Assert.True(SigmaMinRefine.Certify(1, 0, 1e-18, 1, 2, 10, 10, false, 0));    // ‖r‖ = 1e−9: 3e−19 relative
        Assert.False(SigmaMinRefine.Certify(1, 0, 1e-16, 1, 2, 10, 10, false, 0));   // ‖r‖ = 1e−8: 3e−17 > 2⁻⁵⁷
        Assert.False(SigmaMinRefine.Certify(1, 0, 1e-30, 1, 1 + 1e-13, 10, 10, false, 0));  // gap below δ = 16(m+n)·n·u·‖A‖_F = 3.5e−13
        Assert.True(SigmaMinRefine.Certify(1, 0, 1e-30, 1, 1 + 1e-11, 10, 10, false, 0));   // gap above it
        Assert.False(SigmaMinRefine.Certify(1, 0, 1e-30, 1e26, 2, 10, 10, false, 0));        // ‖A‖_F so large that δ > ℓ
        Assert.False(SigmaMinRefine.Certify(1, 0, double.NaN, 1, 2, 10, 10, false, 0));
        Assert.False(SigmaMinRefine.Certify(0, 0, 0, 1, 2, 10, 10, false, 0));
        // float32: 1 + 2⁻²⁴ is the midpoint between 1 and its successor; 2^k scales it
        double mid = 1 + Math.ScaleB(1, -24);
        Assert.False(SigmaMinRefine.Certify(mid, 0, 1e-30, 1, 2, 10, 10, true, 0));
        Assert.False(SigmaMinRefine.Certify(mid, 0, 1e-30, 1, 2, 10, 10, true, -20));
        Assert.True(SigmaMinRefine.Certify(mid, 0, 1e-30, 1, 2, 10, 10, false, 0));
        Assert.True(SigmaMinRefine.Certify(1 + Math.ScaleB(1, -26), 0, 1e-30, 1, 2, 10, 10, true, 0));
        // one double ulp beside the midpoint (far more than the proven width): accepted; the low
        // part counts (σ̂ = mid + lo with lo on either side of it)
        Assert.True(SigmaMinRefine.Certify(Math.BitIncrement(mid), 0, 1e-30, 1, 2, 10, 10, true, 0));
        // ‖r‖ = 1e−6: ~3e−13 relative, far above float64's 2⁻⁵⁷ but inside float32's 2⁻³⁰ (midpoints then decide)
        Assert.False(SigmaMinRefine.Certify(1.25, 0, 1e-12, 1, 2, 10, 10, false, 0));
        Assert.True(SigmaMinRefine.Certify(1.25, 0, 1e-12, 1, 2, 10, 10, true, 0));
        Assert.False(SigmaMinRefine.Certify(1.25, 0, 1e-4, 1, 2, 10, 10, true, 0));
        Assert.False(SigmaMinRefine.Certify(Math.BitIncrement(mid), -Math.ScaleB(1, -52), 1e-30, 1, 2, 10, 10, true, 0));
    }
}
