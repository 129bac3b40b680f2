using System.Runtime.CompilerServices;
using NormManaged.Kernels;

namespace NormManaged.Matrix;

/// <summary>Refines a computed σ_max of a complex matrix to about half an ulp.
/// <para>Given σ̂ (a few ulps off, from the bidiagonal route), inverse iteration on
/// G − σ̂²·I (G = AᴴA, formed in double, LU with partial pivoting) gives a vector x close to the
/// top right singular vector v₁; then ‖Ax‖/‖x‖ is evaluated in double-double (every product exact
/// by FMA) and rounded once by the caller. If x = v₁ + Σ εⱼvⱼ, then
/// ‖Ax‖²/‖x‖² = σ₁² − Σ εⱼ²(σ₁² − σⱼ²)/(1 + Σεⱼ²): the error is quadratic in the vector error and
/// the value never exceeds σ₁ (Rayleigh quotient of AᴴA). Forming G in double perturbs the
/// vector by εⱼ ≲ u·σ₁²/(σ₁² − σⱼ²), so the value is off by ≲ u²·σ₁²/(σ₁² − σⱼ²)·σ₁, under
/// an ulp even for nearly equal top singular values; the final rounding adds ½ ulp.</para>
/// <para>The result is accepted only if it is at least σ̂·(1 − 32u) (a converged vector cannot
/// give less, since σ̂ is within a few ulps of σ₁); otherwise one more inverse-iteration step,
/// then σ̂ itself is returned.</para></summary>
internal static unsafe class SigmaMaxRefine
{
    /// <summary>Columns up to which the refinement runs (its O(m·n² + n³) cost is then small
    /// against the bidiagonalisation's; larger matrices keep the bidiagonal route's value).</summary>
    internal static int MaxColumns = 32;

    /// <summary>Doubles of scratch for n columns: G/LU (2n²), two vectors (4n), pivots (n).</summary>
    public static long WorkSize(int n) => 2L * n * n + 5L * n;

    /// <summary>Refined σ_max (hi + lo) of the interleaved column-major complex m×n matrix
    /// <paramref name="a"/> (m ≥ n ≥ 2, entries scaled to at most 2, not modified), given the
    /// estimate <paramref name="sigma"/> &gt; 0.</summary>
    public static double Complex(double* a, int m, int n, double sigma, double* work, out double lo)
    {
        lo = 0;
        if (!(sigma > 0) || n > MaxColumns) return sigma;
        double* g = work, x = g + 2L * n * n, y = x + 2 * n, piv = y + 2 * n;
        // G = AᴴA (upper triangle computed, mirrored); j* = the column of largest norm
        int jmax = 0;
        double dmax = -1;
        for (int j = 0; j < n; j++)
        {
            double* aj = a + 2L * j * m;
            for (int i = 0; i <= j; i++)
            {
                double* ai = a + 2L * i * m;
                double re = 0, im = 0;
                for (int k = 0; k < 2 * m; k += 2)
                {
                    // conj(ai)·aj
                    re = Math.FusedMultiplyAdd(ai[k], aj[k], Math.FusedMultiplyAdd(ai[k + 1], aj[k + 1], re));
                    im = Math.FusedMultiplyAdd(ai[k], aj[k + 1], Math.FusedMultiplyAdd(-ai[k + 1], aj[k], im));
                }
                if (i == j) im = 0;
                g[2 * (i + j * n)] = re; g[2 * (i + j * n) + 1] = im;
                g[2 * (j + i * n)] = re; g[2 * (j + i * n) + 1] = -im;
            }
            if (g[2 * (j + j * n)] > dmax) { dmax = g[2 * (j + j * n)]; jmax = j; }
        }
        // start: G·e_j* (one power step towards v₁ for free)
        for (int i = 0; i < 2 * n; i++) x[i] = g[2L * jmax * n + i];
        // M = G − σ̂²I, factored in place
        double s2 = sigma * sigma;
        for (int j = 0; j < n; j++) g[2 * (j + j * n)] -= s2;
        Factor(g, n, piv, Math.ScaleB(s2, -60));
        double est = sigma * (1 - 32.0 / (1L << 53));
        double r = sigma;
        for (int step = 0; step < 3; step++)
        {
            Solve(g, n, piv, x);
            NormaliseMax(x, n);
            if (step == 0) continue;
            r = RayleighValue(a, m, n, x, out lo);
            if (r >= est) return r;
        }
        lo = 0;
        return sigma;
    }

    /// <summary>LU with partial pivoting of the complex n×n column-major <paramref name="g"/> in
    /// place; a zero pivot is replaced by <paramref name="tiny"/> (the matrix is singular to
    /// working precision exactly when the shift is good).</summary>
    private static void Factor(double* g, int n, double* piv, double tiny)
    {
        for (int k = 0; k < n; k++)
        {
            int p = k;
            double best = -1;
            for (int i = k; i < n; i++)
            {
                double v = Math.Abs(g[2 * (i + k * n)]) + Math.Abs(g[2 * (i + k * n) + 1]);
                if (v > best) { best = v; p = i; }
            }
            piv[k] = p;
            if (p != k)
                for (int j = 0; j < n; j++)
                {
                    double* u = g + 2 * (k + j * n), w = g + 2 * (p + j * n);
                    (u[0], w[0]) = (w[0], u[0]);
                    (u[1], w[1]) = (w[1], u[1]);
                }
            double* d = g + 2 * (k + k * n);
            if (d[0] == 0 && d[1] == 0) d[0] = tiny;
            // 1/pivot
            double sc = Math.Max(Math.Abs(d[0]), Math.Abs(d[1]));
            double d0 = d[0] / sc, d1 = d[1] / sc, den = (d0 * d0 + d1 * d1) * sc;
            double ir = d0 / den, ii = -d1 / den;
            for (int i = k + 1; i < n; i++)
            {
                double* l = g + 2 * (i + k * n);
                double lr = l[0] * ir - l[1] * ii, li = l[0] * ii + l[1] * ir;
                l[0] = lr; l[1] = li;
                for (int j = k + 1; j < n; j++)
                {
                    double* u = g + 2 * (k + j * n), t = g + 2 * (i + j * n);
                    t[0] -= lr * u[0] - li * u[1];
                    t[1] -= lr * u[1] + li * u[0];
                }
            }
        }
    }

    /// <summary>x ← (LU)⁻¹·P·x in place.</summary>
    private static void Solve(double* g, int n, double* piv, double* x)
    {
        for (int k = 0; k < n; k++)
        {
            int p = (int)piv[k];
            if (p != k) { (x[2 * k], x[2 * p]) = (x[2 * p], x[2 * k]); (x[2 * k + 1], x[2 * p + 1]) = (x[2 * p + 1], x[2 * k + 1]); }
        }
        for (int k = 0; k < n; k++)
            for (int i = k + 1; i < n; i++)
            {
                double* l = g + 2 * (i + k * n);
                x[2 * i] -= l[0] * x[2 * k] - l[1] * x[2 * k + 1];
                x[2 * i + 1] -= l[0] * x[2 * k + 1] + l[1] * x[2 * k];
            }
        for (int k = n - 1; k >= 0; k--)
        {
            double* d = g + 2 * (k + k * n);
            double xr = x[2 * k], xi = x[2 * k + 1];
            for (int j = k + 1; j < n; j++)
            {
                double* u = g + 2 * (k + j * n);
                xr -= u[0] * x[2 * j] - u[1] * x[2 * j + 1];
                xi -= u[0] * x[2 * j + 1] + u[1] * x[2 * j];
            }
            // (xr + i·xi)/(d0 + i·d1), scaled to avoid overflow of the denominator's square
            double sc = Math.Max(Math.Abs(d[0]), Math.Abs(d[1]));
            double d0 = d[0] / sc, d1 = d[1] / sc, den = d0 * d0 + d1 * d1;
            x[2 * k] = (xr * d0 + xi * d1) / den / sc;
            x[2 * k + 1] = (xi * d0 - xr * d1) / den / sc;
        }
    }

    /// <summary>Scales x by a power of two so its largest component is in [1, 2) (exact; the
    /// Rayleigh value does not depend on the scale). A non-finite or zero vector is replaced by
    /// e₀ (the acceptance test then rejects it unless it happens to be good).</summary>
    private static void NormaliseMax(double* x, int n)
    {
        double mx = 0;
        bool bad = false;
        for (int i = 0; i < 2 * n; i++) { double v = Math.Abs(x[i]); mx = Math.Max(mx, v); bad |= !double.IsFinite(v); }
        if (bad || mx == 0)
        {
            for (int i = 0; i < 2 * n; i++) x[i] = 0;
            x[0] = 1;
            return;
        }
        int e = Math.ILogB(mx);
        for (int i = 0; i < 2 * n; i++) x[i] = Math.ScaleB(x[i], -e);
    }

    /// <summary>‖Ax‖/‖x‖ in double-double: each (Ax)ᵢ accumulated from exact products, its squared
    /// modulus and the sums in double-double, one division and square root (≈2⁻¹⁰⁰ relative).</summary>
    private static double RayleighValue(double* a, int m, int n, double* x, out double lo)
    {
        double nh = 0, nl = 0;
        for (int i = 0; i < 2 * n; i++) AddProd(ref nh, ref nl, x[i], x[i]);
        double sh = 0, sl = 0;
        for (int k = 0; k < m; k++)
        {
            double rh = 0, rl = 0, ih = 0, il = 0;
            for (int j = 0; j < n; j++)
            {
                double ar = a[2 * ((long)j * m + k)], ai = a[2 * ((long)j * m + k) + 1];
                double xr = x[2 * j], xi = x[2 * j + 1];
                AddProd(ref rh, ref rl, ar, xr); AddProd(ref rh, ref rl, -ai, xi);
                AddProd(ref ih, ref il, ar, xi); AddProd(ref ih, ref il, ai, xr);
            }
            double ph = DD.Mul(rh, rl, rh, rl, out double pl);
            DD.Add(ref sh, ref sl, ph, pl);
            ph = DD.Mul(ih, il, ih, il, out pl);
            DD.Add(ref sh, ref sl, ph, pl);
        }
        double qh = DD.Div(sh, sl, nh, nl, out double ql);
        if (!(qh > 0)) { lo = 0; return 0; }
        return DD.Sqrt(qh, ql, out lo);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddProd(ref double hi, ref double lo, double x, double y)
    {
        double pr = x * y, pe = Math.FusedMultiplyAdd(x, y, -pr);
        DD.Add(ref hi, ref lo, pr, pe);
    }
}
