using System.Numerics;
using NormManaged.Matrix;
using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>The σ_max refinement of complex matrices (Matrix/SigmaMaxRefine.cs): its double-double
/// Rayleigh value against exact big-integer arithmetic, and σ_max of complex matrices whose
/// largest singular value is an exact integer (rank one, and a doubled top value).</summary>
public unsafe class SigmaMaxRefineTests
{
    [Fact]
    public void RayleighValueMatchesExactArithmetic()
    {
        // entries k·2⁻⁴⁰ and x components k·2⁻³⁰ (|k| < 2⁴¹): Ax·2⁷⁰ and x·2³⁰ are exact integers,
        // and the products (up to 82 bits) are not representable in double, so the exact-product
        // path is exercised; m from 1 to 9 covers the vector body and the scalar tail
        var rng = new Random(17);
        for (int trial = 0; trial < 300; trial++)
        {
            int m = 1 + trial % 9, n = 1 + trial / 9 % 4;
            var ai = new long[2 * m * n];
            var xi = new long[2 * n];
            for (int i = 0; i < ai.Length; i++) ai[i] = rng.NextInt64(-(1L << 41), 1L << 41);
            for (int i = 0; i < xi.Length; i++) xi[i] = rng.NextInt64(-(1L << 41), 1L << 41);
            var a = ai.Select(v => Math.ScaleB(v, -40)).ToArray();
            var x = xi.Select(v => Math.ScaleB(v, -30)).ToArray();
            BigInteger s = 0, nx = 0;
            for (int k = 0; k < m; k++)
            {
                BigInteger re = 0, im = 0;
                for (int j = 0; j < n; j++)
                {
                    long ar = ai[2 * (j * m + k)], aim = ai[2 * (j * m + k) + 1], xr = xi[2 * j], xim = xi[2 * j + 1];
                    re += (BigInteger)ar * xr - (BigInteger)aim * xim;
                    im += (BigInteger)ar * xim + (BigInteger)aim * xr;
                }
                s += re * re + im * im;   // ‖Ax‖²·2¹⁴⁰
            }
            foreach (long v in xi) nx += (BigInteger)v * v;   // ‖x‖²·2⁶⁰
            var acc = new double[4 * m];
            double hi, lo;
            fixed (double* pa = a, px = x, pacc = acc) hi = SigmaMaxRefine.RayleighValue(pa, m, n, px, pacc, out lo);
            // (hi + lo)² · ‖x‖² vs ‖Ax‖², relative difference below 2⁻⁹⁸
            var (mh, eh) = ExactReference.Split(hi);
            var (ml, el) = ExactReference.Split(lo);
            int e0 = Math.Min(eh, lo == 0 ? eh : el);
            BigInteger r = (mh << (eh - e0)) + (lo == 0 ? 0 : ml << (el - e0));   // (hi + lo) = r·2^e0
            // compare r²·2^(2e0)·nx·2⁻⁶⁰ with s·2⁻¹⁴⁰: both sides times 2^(140 + …)
            int shift = 2 * e0 - 60 + 140;
            BigInteger lhs = r * r * nx, rhs = s;
            if (shift >= 0) lhs <<= shift; else rhs <<= -shift;
            BigInteger diff = BigInteger.Abs(lhs - rhs);
            Assert.True(s.IsZero ? hi == 0 : (diff << 98) <= rhs, $"trial {trial}: m={m} n={n} {hi:R}+{lo:R}");
        }
    }

    [Fact]
    public void ExactLargestSingularValues()
    {
        foreach (int scale in new[] { 0, 300, -300, 1000, -1020 })
        {
            double f = Math.ScaleB(1, scale);
            // rank one x·yᴴ: σ = ‖x‖·‖y‖ = 5·3 (2×2), 3·3 (3×3), 5·3 (2×3)
            Check(Outer(new Complex[] { new(1, 2), new(2, 4) }, new Complex[] { new(2, 0), new(1, 2) }), 2, 2, 15, f);
            Check(Outer(new Complex[] { new(1, 0), new(0, 2), new(2, 0) }, new Complex[] { new(0, 2), new(1, 0), new(2, 0) }), 3, 3, 9, f);
            Check(Outer(new Complex[] { new(1, 2), new(2, 4) }, new Complex[] { new(1, 2), new(2, 0), new(0, 0) }), 2, 3, 15, f);
            // [[a, b], [−b̄, ā]] ⊕ c with |a|² + |b|² = 25: σ₁ = σ₂ = 5 (a double top value), σ₃ = |c|
            var q = new Complex[] { new(1, 2), new(2, 4), 0, new(-2, 4), new(1, -2), 0, 0, 0, new(1, 1) };
            Check(q, 3, 3, 5, f);
        }
    }

    private static Complex[] Outer(Complex[] x, Complex[] y)
    {
        var a = new Complex[x.Length * y.Length];
        for (int i = 0; i < x.Length; i++)
            for (int j = 0; j < y.Length; j++) a[i * y.Length + j] = x[i] * Complex.Conjugate(y[j]);
        return a;
    }

    private static void Check(Complex[] a, int m, int n, double want, double f)
    {
        var s = a.Select(z => z * f).ToArray();
        double w = want * f;
        if (!double.IsFinite(w) || w < double.Epsilon * 1e20) return;   // stay in range
        Assert.Equal(w, Norm(s, m, n, Ord.Of(2)));
        Assert.Equal(w, Norm(s.Select(Complex.Conjugate).ToArray(), m, n, Ord.Of(2)));
    }
}
