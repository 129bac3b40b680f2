using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NormManaged.Kernels;

namespace NormManaged.Matrix;

/// <summary>Refines a computed σ_max of a complex (or real) matrix to about half an ulp.
/// <para>Given σ̂ (a few ulps off, from the bidiagonal route), inverse iteration on
/// G − σ̂²·I (G = AᴴA, formed in double, LU with partial pivoting) gives a vector x close to the
/// top right singular vector v₁; then ‖Ax‖/‖x‖ is evaluated in double-double (every product exact
/// by FMA) and rounded once by the caller. If x = v₁ + Σ εⱼvⱼ, then
/// ‖Ax‖²/‖x‖² = σ₁² − Σ εⱼ²(σ₁² − σⱼ²)/(1 + Σεⱼ²): the error is quadratic in the vector error and
/// the value never exceeds σ₁ (Rayleigh quotient of AᴴA). Forming G in double perturbs the
/// vector by εⱼ ≲ u·σ₁²/(σ₁² − σⱼ²), so the value is off by ≲ u²·σ₁²/(σ₁² − σⱼ²)·σ₁, about
/// an ulp at worst (gap ≈ u) once the shift resolves the gap; the final rounding adds ½ ulp.</para>
/// <para>Every Rayleigh value is a lower bound of σ₁, so the largest one computed is kept. Two
/// inverse-iteration steps with shift σ̂²; if the value is still more than 8 ulps below σ̂ (σ̂ high,
/// or a neighbour σ₂ within a few ulps that σ̂'s error cannot separate), up to two Rayleigh-shifted
/// steps. The result is accepted only if it is at least σ̂·(1 − 32u) (σ̂ is within a few ulps of
/// σ₁); otherwise σ̂ itself is returned.</para></summary>
internal static unsafe class SigmaMaxRefine
{
    /// <summary>Columns up to which the refinement runs (its O(m·n² + n³) cost is then small
    /// against the bidiagonalisation's; larger matrices keep the bidiagonal route's value).</summary>
    internal static int MaxColumns = 32;

    /// <summary>Doubles of scratch for m×n: G/LU (2n²), two vectors (4n), pivots (n), the
    /// double-double accumulator of Ax (4m), a copy of G (2n²).</summary>
    public static long WorkSize(int m, int n) => 4L * n * n + 5L * n + 4L * m;

    /// <summary>Refined σ_max (hi + lo) of the interleaved column-major complex m×n matrix
    /// <paramref name="a"/> (m ≥ n ≥ 2, entries scaled to at most 2, not modified), given the
    /// estimate <paramref name="sigma"/> &gt; 0.</summary>
    public static double Complex(double* a, int m, int n, double sigma, double* work, out double lo)
        => Refine(a, m, n, sigma, work, false, out lo);

    /// <summary>The same refinement for a real column-major m×n matrix (m ≥ n ≥ 2, entries scaled
    /// to at most 2, not modified), in real arithmetic; scratch: <see cref="WorkSize"/>.</summary>
    public static double Real(double* a, int m, int n, double sigma, double* work, out double lo)
        => Refine(a, m, n, sigma, work, true, out lo);

    private static double Refine(double* a, int m, int n, double sigma, double* work, bool real, out double lo)
    {
        lo = 0;
        if (!(sigma > 0) || n > MaxColumns) return sigma;
        int c = real ? 1 : 2;   // doubles per element
        double* g = work, x = g + 2L * n * n, piv = x + 4 * n, acc = piv + n, gcopy = acc + 4 * m;
        // G = AᴴA (upper triangle computed, mirrored); j* = the column of largest norm
        int jmax = 0;
        double dmax = -1;
        for (int j = 0; j < n; j++)
        {
            double* aj = a + (long)c * j * m;
            int i0 = 0;
            if (real)
                // four entries per sweep over aⱼ (each the bits of Blas1.Dot)
                for (; i0 + 3 <= j; i0 += 4)
                {
                    double* ai = a + (long)i0 * m;
                    Blas1.Dot4(ai, ai + m, ai + 2L * m, ai + 3L * m, aj, m, out double d0, out double d1, out double d2, out double d3);
                    g[i0 + j * n] = g[j + i0 * n] = d0;
                    g[i0 + 1 + j * n] = g[j + (i0 + 1) * n] = d1;
                    g[i0 + 2 + j * n] = g[j + (i0 + 2) * n] = d2;
                    g[i0 + 3 + j * n] = g[j + (i0 + 3) * n] = d3;
                }
            for (int i = i0; i <= j; i++)
            {
                if (real) { double d = Blas1.Dot(a + (long)i * m, aj, m); g[i + j * n] = d; g[j + i * n] = d; continue; }
                ComplexBidiagonal.DotH(a + 2L * i * m, aj, m, out double re, out double im);   // conj(aᵢ)·aⱼ
                if (i == j) im = 0;
                g[2 * (i + j * n)] = re; g[2 * (i + j * n) + 1] = im;
                g[2 * (j + i * n)] = re; g[2 * (j + i * n) + 1] = -im;
            }
            if (g[c * (j + j * n)] > dmax) { dmax = g[c * (j + j * n)]; jmax = j; }
        }
        // start: G·e_j* (one power step towards v₁ for free); keep G for the Rayleigh-shifted step
        for (int i = 0; i < c * n; i++) x[i] = g[(long)c * jmax * n + i];
        long nn = (long)c * n * n;
        Buffer.MemoryCopy(g, gcopy, 8 * nn, 8 * nn);
        // M = G − σ̂²I, factored in place
        Shift(g, n, c, sigma * sigma);
        int smallPivots = real ? FactorReal(g, n, piv, Math.ScaleB(sigma * sigma, -60)) : Factor(g, n, piv, Math.ScaleB(sigma * sigma, -60));
        // Every Rayleigh value is a lower bound of σ₁ (to ~2⁻¹⁰⁰), so the largest one is kept.
        double near = sigma * (1 - 8.0 / (1L << 53)), accept = sigma * (1 - 32.0 / (1L << 53));
        double best = 0, bestLo = 0;
        for (int step = 0; step < 3 && best < near; step++)
        {
            if (real) SolveReal(g, n, piv, x); else Solve(g, n, piv, x);
            NormaliseMax(x, c * n);
            if (step == 0) continue;
            double r = real ? RayleighReal(a, m, n, x, acc, out double rl) : RayleighValue(a, m, n, x, acc, out rl);
            if (r > best || (r == best && rl > bestLo)) { best = r; bestLo = rl; }
        }
        // Still more than 8 ulps below σ̂ (σ̂ high, or x not converged), or G − σ̂²I has two or more
        // tiny pivots (σ₂ within a few ulps of σ₁, which a shift as far off as σ̂'s error cannot
        // separate, so x may mix v₁ and v₂): inverse iteration with a shift just above σ₁²,
        // (max(best, σ̂)·(1 + 4u))², where v₁ is amplified the most; each step shrinks the v₂
        // share by (distance to σ₁²)/(distance to σ₂²).
        if (best < near || smallPivots >= 2)
        {
            double top = Math.Max(best, sigma) * (1 + 4.0 / (1L << 53));
            double sh = top * top;
            Buffer.MemoryCopy(gcopy, g, 8 * nn, 8 * nn);
            Shift(g, n, c, sh);
            if (real) FactorReal(g, n, piv, Math.ScaleB(sh, -60)); else Factor(g, n, piv, Math.ScaleB(sh, -60));
            for (int step = 0; step < 4; step++)
            {
                if (real) SolveReal(g, n, piv, x); else Solve(g, n, piv, x);
                NormaliseMax(x, c * n);
                double r = real ? RayleighReal(a, m, n, x, acc, out double rl) : RayleighValue(a, m, n, x, acc, out rl);
                bool better = r > best || (r == best && rl > bestLo);
                if (better) { best = r; bestLo = rl; }
                if (!better && step > 0) break;
            }
        }
        if (best >= accept) { lo = bestLo; return best; }
        lo = 0;
        return sigma;
    }

    private static void Shift(double* g, int n, int c, double s2)
    {
        for (int j = 0; j < n; j++) g[c * (j + j * n)] -= s2;
    }

    /// <summary>LU with partial pivoting of the complex n×n column-major <paramref name="g"/> in
    /// place; a zero pivot is replaced by <paramref name="tiny"/> (the matrix is singular to
    /// working precision exactly when the shift is good). Returns the number of pivots below
    /// 2³⁰·<paramref name="tiny"/>.</summary>
    internal static int Factor(double* g, int n, double* piv, double tiny)
    {
        int small = 0;
        double smallBound = Math.ScaleB(tiny, 30);
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
            if (Math.Abs(d[0]) + Math.Abs(d[1]) < smallBound) small++;
            // 1/pivot
            double sc = Math.Max(Math.Abs(d[0]), Math.Abs(d[1]));
            double d0 = d[0] / sc, d1 = d[1] / sc, den = (d0 * d0 + d1 * d1) * sc;
            double ir = d0 / den, ii = -d1 / den;
            double* lc = g + 2 * k * n;
            for (int i = k + 1; i < n; i++)
            {
                double* l = lc + 2 * i;
                double lr = l[0] * ir - l[1] * ii, li = l[0] * ii + l[1] * ir;
                l[0] = lr; l[1] = li;
            }
            // trailing update column by column (contiguous), two entries per vector: each entry receives
            // t − (lr·ur − li·ui), t − (lr·ui + li·ur) as in the row-by-row scalar loop (x − y = x + (−y) and
            // the sum's order do not change a rounded result), so the factors are the same bits
            var flip = Vector256.Create(-1.0, 1.0, -1.0, 1.0);
            for (int j = k + 1; j < n; j++)
            {
                double* tc = g + 2 * j * n;
                double ur = tc[2 * k], ui = tc[2 * k + 1];
                var vur = Vector256.Create(ur); var vui = Vector256.Create(ui);
                int i = k + 1;
                for (; i + 1 < n; i += 2)
                {
                    var l = Vector256.Load(lc + 2 * i);
                    var ls = Vector256.Shuffle(l, Vector256.Create(1L, 0L, 3L, 2L));
                    var prod = l * vur + flip * (ls * vui);
                    (Vector256.Load(tc + 2 * i) - prod).Store(tc + 2 * i);
                }
                for (; i < n; i++)
                {
                    double lr = lc[2 * i], li = lc[2 * i + 1];
                    tc[2 * i] -= lr * ur - li * ui;
                    tc[2 * i + 1] -= lr * ui + li * ur;
                }
            }
        }
        return small;
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
    private static void NormaliseMax(double* x, int len)
    {
        double mx = 0;
        bool bad = false;
        for (int i = 0; i < len; i++) { double v = Math.Abs(x[i]); mx = Math.Max(mx, v); bad |= !double.IsFinite(v); }
        if (bad || mx == 0)
        {
            for (int i = 0; i < len; i++) x[i] = 0;
            x[0] = 1;
            return;
        }
        int e = Math.ILogB(mx);
        if (e > -1000 && e < 1000)
        {
            double f = BitConverter.Int64BitsToDouble((long)(1023 - e) << 52);   // 2⁻ᵉ, exact
            for (int i = 0; i < len; i++) x[i] *= f;
        }
        else for (int i = 0; i < len; i++) x[i] = Math.ScaleB(x[i], -e);
    }

    /// <summary>‖Ax‖/‖x‖ in double-double: the 2m parts of Ax accumulated column by column from
    /// exact products (FMA) with TwoSum, the errors collected in a second vector (Ogita–Rump–Oishi
    /// Dot2: as accurate as if computed in twice the precision); then the squared moduli and ‖x‖²
    /// in double-double, one division and square root. <paramref name="acc"/>: 4m doubles.</summary>
    internal static double RayleighValue(double* a, int m, int n, double* x, double* acc, out double lo)
    {
        int len = 2 * m;
        double* hi = acc, er = acc + len;
        new Span<double>(acc, 2 * len).Clear();
        for (int j = 0; j < n; j++)
        {
            double* aj = a + 2L * j * m;
            double xr = x[2 * j], xi = x[2 * j + 1];
            // re lanes: ar·xr − ai·xi; im lanes: ai·xr + ar·xi
            var vxr = Vector256.Create(xr);
            var vxi = Vector256.Create(-xi, xi, -xi, xi);
            int i = 0;
            for (; i <= len - 4; i += 4)
            {
                var va = Vector256.Load(aj + i);
                var vs = Vector256.Shuffle(va, Vector256.Create(1L, 0L, 3L, 2L));
                var h = Vector256.Load(hi + i);
                var e = Vector256.Load(er + i);
                var p = va * vxr;
                e += Vector256.FusedMultiplyAdd(va, vxr, -p);
                var t = h + p; var bb = t - h;
                e += (h - (t - bb)) + (p - bb);
                h = t;
                p = vs * vxi;
                e += Vector256.FusedMultiplyAdd(vs, vxi, -p);
                t = h + p; bb = t - h;
                e += (h - (t - bb)) + (p - bb);
                t.Store(hi + i); e.Store(er + i);
            }
            for (; i < len; i += 2)
            {
                double ar = aj[i], ai = aj[i + 1];
                Dot2Step(ref hi[i], ref er[i], ar, xr); Dot2Step(ref hi[i], ref er[i], -ai, xi);
                Dot2Step(ref hi[i + 1], ref er[i + 1], ai, xr); Dot2Step(ref hi[i + 1], ref er[i + 1], ar, xi);
            }
        }
        double sh = 0, sl = 0, nh = 0, nl = 0;
        for (int i = 0; i < len; i++)
        {
            double yh = DD.FastTwoSum(hi[i], er[i], out double yl);
            double ph = DD.Mul(yh, yl, yh, yl, out double pl);
            DD.Add(ref sh, ref sl, ph, pl);
        }
        for (int i = 0; i < 2 * n; i++)
        {
            double p = x[i] * x[i];
            DD.Add(ref nh, ref nl, p, Math.FusedMultiplyAdd(x[i], x[i], -p));
        }
        double qh = DD.Div(sh, sl, nh, nl, out double ql);
        if (!(qh > 0)) { lo = 0; return 0; }
        return DD.Sqrt(qh, ql, out lo);
    }

    /// <summary>Real LU with partial pivoting in place (see <see cref="Factor"/>).</summary>
    internal static int FactorReal(double* g, int n, double* piv, double tiny)
    {
        int small = 0;
        double smallBound = Math.ScaleB(tiny, 30);
        for (int k = 0; k < n; k++)
        {
            int p = k;
            double best = -1;
            for (int i = k; i < n; i++) { double v = Math.Abs(g[i + k * n]); if (v > best) { best = v; p = i; } }
            piv[k] = p;
            if (p != k)
                for (int j = 0; j < n; j++) (g[k + j * n], g[p + j * n]) = (g[p + j * n], g[k + j * n]);
            double d = g[k + k * n];
            if (d == 0) d = g[k + k * n] = tiny;
            if (Math.Abs(d) < smallBound) small++;
            // the multipliers, then the trailing columns one at a time (contiguous, four rows per vector): each
            // g[i, j] becomes g[i, j] − l[i]·g[k, j], one multiply and one subtract, once per k, as in row order
            // (the rows ran the strided j loop innermost: ~24 % of a 30×30 2-norm)
            double* lk = g + k * n;
            for (int i = k + 1; i < n; i++) lk[i] /= d;
            for (int j = k + 1; j < n; j++)
            {
                double* c = g + j * n;
                double u = c[k];
                int i = k + 1;
                if (Vector256.IsHardwareAccelerated)
                {
                    var vu = Vector256.Create(u);
                    for (; i + 4 <= n; i += 4) (Vector256.Load(c + i) - Vector256.Load(lk + i) * vu).Store(c + i);
                }
                for (; i < n; i++) c[i] -= lk[i] * u;
            }
        }
        return small;
    }

    /// <summary>x ← (LU)⁻¹·P·x for the real factorisation.</summary>
    private static void SolveReal(double* g, int n, double* piv, double* x)
    {
        for (int k = 0; k < n; k++)
        {
            int p = (int)piv[k];
            if (p != k) (x[k], x[p]) = (x[p], x[k]);
        }
        for (int k = 0; k < n; k++)
            for (int i = k + 1; i < n; i++) x[i] -= g[i + k * n] * x[k];
        for (int k = n - 1; k >= 0; k--)
        {
            double t = x[k];
            for (int j = k + 1; j < n; j++) t -= g[k + j * n] * x[j];
            x[k] = t / g[k + k * n];
        }
    }

    /// <summary>‖Ax‖/‖x‖ for a real column-major A, as <see cref="RayleighValue"/> (Dot2 over four
    /// rows per vector, identical arithmetic in the scalar tail).</summary>
    internal static double RayleighReal(double* a, int m, int n, double* x, double* acc, out double lo)
    {
        new Span<double>(acc, 2 * m).Clear();
        int j = 0;
        for (; j + 1 < n; j += 2) AccumulateReal2(a + (long)j * m, a + (long)(j + 1) * m, m, x[j], x[j + 1], acc);
        if (j < n) AccumulateReal(a + (long)j * m, m, x[j], acc);
        return FinishReal(m, n, x, acc, out lo);
    }

    /// <summary>Columns j and k = j + 1 of <see cref="RayleighReal"/> in one sweep over acc: per row the
    /// same two Dot2 steps in the same order as two <see cref="AccumulateReal"/> calls (the same bits),
    /// with half the loads and stores of the accumulators.</summary>
    private static void AccumulateReal2(double* aj, double* ak, int m, double xj, double xk, double* acc)
    {
        double* hi = acc, er = acc + m;
        var vj = Vector256.Create(xj); var vk = Vector256.Create(xk);
        int i = 0;
        for (; i <= m - 4; i += 4)
        {
            var h = Vector256.Load(hi + i);
            var e = Vector256.Load(er + i);
            Dot2Lane(ref h, ref e, Vector256.Load(aj + i), vj);
            Dot2Lane(ref h, ref e, Vector256.Load(ak + i), vk);
            h.Store(hi + i); e.Store(er + i);
        }
        for (; i < m; i++)
        {
            Dot2Step(ref hi[i], ref er[i], aj[i], xj);
            Dot2Step(ref hi[i], ref er[i], ak[i], xk);
        }
    }

    /// <summary>One Dot2 step per lane: h + e += a·x (exact product by FMA, TwoSum into h).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot2Lane(ref Vector256<double> h, ref Vector256<double> e, Vector256<double> va, Vector256<double> vx)
    {
        var p = va * vx;
        e += Vector256.FusedMultiplyAdd(va, vx, -p);
        var t = h + p; var bb = t - h;
        e += (h - (t - bb)) + (p - bb);
        h = t;
    }

    /// <summary>One column of <see cref="RayleighReal"/>: acc (hi: m, err: m) += aⱼ·xⱼ in Dot2
    /// form. Columns may be supplied one at a time (from any buffer) in order j = 0..n−1.</summary>
    internal static void AccumulateReal(double* aj, int m, double xj, double* acc)
    {
        double* hi = acc, er = acc + m;
        var vx = Vector256.Create(xj);
        int i = 0;
        for (; i <= m - 4; i += 4)
        {
            var h = Vector256.Load(hi + i);
            var e = Vector256.Load(er + i);
            Dot2Lane(ref h, ref e, Vector256.Load(aj + i), vx);
            h.Store(hi + i); e.Store(er + i);
        }
        for (; i < m; i++) Dot2Step(ref hi[i], ref er[i], aj[i], xj);
    }

    /// <summary>Row form of the same value: (Ax)ᵢ = aᵢ·x in Dot2 (four lanes of exact products
    /// and TwoSum, the lane sums and errors combined in a fixed order), and its square added to the
    /// double-double <paramref name="sh"/> + <paramref name="sl"/>. For inputs whose rows are the
    /// contiguous direction (C order), so the rows are gathered in address order.</summary>
    internal static void AddRowSquare(double* row, double* x, int n, ref double sh, ref double sl)
    {
        var h = Vector256<double>.Zero; var er = h;
        int i = 0;
        for (; i <= n - 4; i += 4)
        {
            var va = Vector256.Load(row + i);
            var vx = Vector256.Load(x + i);
            var p = va * vx;
            er += Vector256.FusedMultiplyAdd(va, vx, -p);
            var t = h + p; var bb = t - h;
            er += (h - (t - bb)) + (p - bb);
            h = t;
        }
        double hi = 0, e = 0;
        for (int k = 0; k < 4; k++)
        {
            hi = DD.TwoSum(hi, h.GetElement(k), out double te);
            e += te + er.GetElement(k);
        }
        for (; i < n; i++) Dot2Step(ref hi, ref e, row[i], x[i]);
        double yh = DD.FastTwoSum(hi, e, out double yl);
        double ph = DD.Mul(yh, yl, yh, yl, out double pl);
        DD.Add(ref sh, ref sl, ph, pl);
    }

    /// <summary>‖Ax‖/‖x‖ (hi, lo out) from Σ(Ax)ᵢ² accumulated by <see cref="AddRowSquare"/>.</summary>
    internal static double FinishRows(double sh, double sl, int n, double* x, out double lo)
    {
        double nh = 0, nl = 0;
        for (int i = 0; i < n; i++)
        {
            double p = x[i] * x[i];
            DD.Add(ref nh, ref nl, p, Math.FusedMultiplyAdd(x[i], x[i], -p));
        }
        double qh = DD.Div(sh, sl, nh, nl, out double ql);
        if (!(qh > 0)) { lo = 0; return 0; }
        return DD.Sqrt(qh, ql, out lo);
    }

    /// <summary>‖Ax‖/‖x‖ (hi, lo out) from the accumulated Ax.</summary>
    internal static double FinishReal(int m, int n, double* x, double* acc, out double lo)
    {
        double* hi = acc, er = acc + m;
        double sh = 0, sl = 0, nh = 0, nl = 0;
        for (int i = 0; i < m; i++)
        {
            double yh = DD.FastTwoSum(hi[i], er[i], out double yl);
            double ph = DD.Mul(yh, yl, yh, yl, out double pl);
            DD.Add(ref sh, ref sl, ph, pl);
        }
        for (int i = 0; i < n; i++)
        {
            double p = x[i] * x[i];
            DD.Add(ref nh, ref nl, p, Math.FusedMultiplyAdd(x[i], x[i], -p));
        }
        double qh = DD.Div(sh, sl, nh, nl, out double ql);
        if (!(qh > 0)) { lo = 0; return 0; }
        return DD.Sqrt(qh, ql, out lo);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot2Step(ref double hi, ref double err, double x, double y)
    {
        double p = x * y;
        err += Math.FusedMultiplyAdd(x, y, -p);
        hi = DD.TwoSum(hi, p, out double e);
        err += e;
    }
}
