using System.Runtime.Intrinsics;
using NormManaged.Kernels;

namespace NormManaged.Matrix;

/// <summary>σ_min (matrix ord −2) from the bidiagonal route, accepted only with a certificate.
/// <para>The one-sided Jacobi kernel (<see cref="SvdKernel"/>) keeps σ_min of graded matrices
/// relatively accurate but costs several times the bidiagonal reduction. Here: A = Q·B·Pᵀ
/// (<see cref="Bidiagonalize"/>, right reflectors kept); σ̂ₙ and a lower bound ℓ of σₙ₋₁(B) by
/// Sturm counts on B's Golub–Kahan tridiagonal; x = P·y with y B's bottom right singular vector
/// (inverse iteration with shift σ̂ₙ, <see cref="SigmaMaxBidiagonal.BidiagonalVector"/>). With K =
/// AᵀA, Ax and Kx are evaluated in double-double (Dot2: exact products, compensated sums), giving
/// σ̂ = ‖Ax‖/‖x‖ (√ of the Rayleigh quotient ρ(x) ≥ λₙ) and the residual r = Kx − ρ̂x.</para>
/// <para>Certificate (Kato–Temple): if no eigenvalue of K lies in (λₙ, β] and ρ &lt; β, then
/// ρ − λₙ ≤ ‖r‖²/(β − ρ) for unit x. β = (ℓ·(1 − 16nu) − δ)² with δ = 16(m + n)·n·u·‖A‖_F, a
/// bound on the bidiagonalisation's backward error ‖ΔA‖₂ (Householder: ‖ΔA‖_F ≤ γ̃_{cmn}‖A‖_F,
/// Higham, Accuracy and Stability, Thm 19.4; Weyl turns it into |σᵢ(A) − σᵢ(B)|) and 16nu the
/// relative error of a Sturm count on a bidiagonal (Demmel &amp; Kahan 1990). The rounding of the
/// double-double evaluation is bounded by Dot2's error bound γₙ²·|A||x| (Ogita, Rump &amp; Oishi
/// 2005) and added to ‖r‖ and to σ̂'s uncertainty. σ̂ (hi + lo) is returned only if the proven
/// interval for σₙ is within 2⁻⁵⁷ of it (relative; the caller's single rounding then leaves
/// ≤ ⅝ ulp for float64) or, for a float32 result, within 2⁻³⁰ and between the same two rounding
/// midpoints (so the rounded result is the correctly rounded σₙ).</para>
/// <para>If the certificate fails, the vector is improved by x ← x − M⁻¹r with M⁻¹ = P(BᵀB)⁻¹Pᵀ
/// (O(n²)): with M = K this is exactly one inverse-iteration step ρ·K⁻¹x, and M's error
/// (‖K − M‖ ≲ 2σ₁δ) only adds components along the bottom vector (harmless) and ≲ δσ₁/σⱼ²
/// along the others, so the vector error shrinks by about λₙ/λₙ₋₁ + O(uκ²) per step. Up to
/// <see cref="MaxRounds"/> such steps; then the caller falls back to the Jacobi kernel (graded,
/// very ill-conditioned, rank-deficient, clustered bottom pairs, tiny σₙ).</para></summary>
internal static unsafe class SigmaMinRefine
{
    /// <summary>A test's override of <see cref="FastFromFor"/> on the calling thread (a single matrix runs
    /// on the caller's thread); 0, the default: none.</summary>
    internal static int FastFrom { get => t_fastFrom; set => t_fastFrom = value; }

    /// <summary>Matrices with at least this many columns (3 at least) try the certified bidiagonal
    /// route: real from 5, complex from 4 (below, Jacobi runs on the 2m×2n real embedding: a complex128
    /// 200×4 took 1.7× NumPy's time there, 0.9× on this route; complex 3×3 stacks measured faster on Jacobi).</summary>
    internal static int FastFromFor(bool complex) => t_fastFrom != 0 ? t_fastFrom : complex ? 4 : 5;

    [ThreadStatic] private static int t_fastFrom;

    /// <summary>Improvement steps after the first certificate attempt.</summary>
    internal const int MaxRounds = 3;

    private const double U = 1.1102230246251565e-16;   // 2⁻⁵³

    [ThreadStatic] private static long t_fast, t_fallback, t_steps;

    /// <summary>Improvement steps taken (x ← x − M⁻¹r), on the current thread (for tests).</summary>
    internal static long StepCount => t_steps;

    /// <summary>Matrices whose σ_min was certified on this route, on the current thread (for tests).</summary>
    internal static long FastCount => t_fast;

    /// <summary>Matrices that tried this route and fell back to Jacobi, on the current thread (for tests).</summary>
    internal static long FallbackCount => t_fallback;

    internal static void CountFallback() => t_fallback++;

    [ThreadStatic] private static long t_split;

    /// <summary>Fallbacks finished through <see cref="SvdKernel.SplitForMin"/>'s split, on the current thread (for tests).</summary>
    internal static long SplitCount => t_split;

    internal static void CountSplit() => t_split++;

    [ThreadStatic] private static long t_probed;

    /// <summary>Matrices sent to the split by the low-rank probe without a certificate attempt, on the current thread (for tests).</summary>
    internal static long ProbedCount => t_probed;

    internal static void CountProbed() => t_probed++;

    /// <summary>Doubles of scratch for <see cref="Run"/>: x, t, r (n values each), Ax in
    /// double-double (2m values), for complex also Ax rotated by −i (4m) and B's vector (n), and
    /// the bidiagonal inverse iteration's.</summary>
    public static long WorkSize(int m, int n, bool complex)
        => complex ? 7L * n + 8L * m + SigmaMaxBidiagonal.WorkSize(n) : 3L * n + 2L * m + SigmaMaxBidiagonal.WorkSize(n);

    /// <summary>Certified σ_min (hi + lo) of the column-major m×n <paramref name="a"/> (m ≥ n ≥ 2,
    /// leading dimension m; complex: interleaved; largest |part| in [1, 2); not modified), given
    /// its bidiagonal (d, e) (complex: the real |B|) and <paramref name="right"/>: the right
    /// reflectors kept by <see cref="Bidiagonalize"/> (real) or the phases and reflectors kept by
    /// <see cref="ComplexBidiagonal"/> (complex). False if no certificate was obtained.
    /// <paramref name="single"/>: the result is rounded to float32 after scaling by 2^<paramref name="k"/>.
    /// <paramref name="extraRel"/>: a relative uncertainty the caller adds (a split's, <see cref="SvdKernel.SplitForMin"/>).</summary>
    public static bool Run(double* a, int m, int n, bool complex, double* d, double* e, double* right, double* work,
        bool single, int k, out double hi, out double lo, double extraRel = 0)
    {
        hi = 0; lo = 0;
        int c = complex ? 2 : 1;
        // ‖A‖²_F in two FMA lanes of four (a serial sum was ~10 µs of a 1000×8 matrix's ~70); an upper bound
        // after the factor: any order of summing m·n nonnegative terms errs by less than m·n·u < 1.2e−7 relative
        double f2 = Blas1.Dot(a, a, c * m * n) * 1.001, fn = Math.Sqrt(f2);
        // Matrices too close to rank deficiency for a certificate, by one Sturm count: with two singular values below
        // δ/2 (δ: the backward error bound Gap subtracts), Brackets' lower bound of σₙ₋₁ (a point with fewer than two
        // below it; computed counts are monotone in the shift, Kahan 1966) lies below δ/2, Gap is negative and no
        // certificate possible: the same false, without Brackets' two bisections (~40 % of σ_min of a rank-2 20×20).
        // Below 8·√(u)·‖A‖_F the count only picks the route: the vector's error along σₙ₋₁'s direction is then of order
        // u·σ₁²/σₙ₋₁² ≳ 1/64, and the improvement rounds contract by about that much, so Kato–Temple's
        // ‖r‖²/(σₙ₋₁² − σₙ²) stays far above the 2⁻⁵⁷ (float32 results 2⁻³⁰) it needs. Measured over graded matrices
        // (8 ≤ n ≤ 100, real and complex, σₙ₋₁ from 10⁻⁴ to 10⁻¹⁰ of σ₁): none was certified below 84·√(u)·‖A‖_F
        // (float32 results; float64 ≳ 4000), every one below 9 fell back after all its rounds.
        double floorN1 = Math.Max(8 * (double)(c * m + c * n) * (c * n) * U, 8 * Math.Sqrt(U)) * fn;
        if (floorN1 > 0 && BidiagonalMax.SingularValuesBelow(d, e, n, floorN1) >= 2) return false;
        if (!Brackets(d, e, n, out double sn, out double l2)) return false;
        // σₙ within 2²² (float32 results 2¹⁰) of u·‖A‖_F: B's vector errs by about u·‖A‖/σₙ relative to σₙ's scale, so
        // Kato–Temple's term is about (u·‖A‖/σₙ)², far above the 2⁻⁵⁷ (2⁻³⁰) it needs, and the rounds diverge (uκ² ≫ 1).
        // Measured over matrices with one small σₙ (10 ≤ n ≤ 200, real and complex): float64 results certified down to
        // σₙ ≈ 1.4·10⁸·u·‖A‖_F, none below 6·10⁷; float32 results down to 3·10⁵. The same false without the vector and
        // the rounds (exactly singular matrices of rank n − 1 spent ~11 % of their σ_min there).
        if (sn < (single ? 1024.0 : 4194304.0) * U * fn) return false;
        // Certify's β needs σₙ₋₁'s lower bound above the reduction's backward error: when it is not, no vector can be
        // certified (numerically singular or rank-deficient matrices), so the vector and the rounds are skipped
        if (!(Gap(l2, f2, c * m, c * n) > 0)) return false;
        double* x = work, t = x + c * n, r = t + c * n, acc = r + c * n, rot = acc + 2 * c * m;
        double* vw = rot + (complex ? 4 * m : 0), y = vw + SigmaMaxBidiagonal.WorkSize(n);
        if (complex ? !(SigmaMaxBidiagonal.BidiagonalVector(d, e, n, sn, vw, y) && SigmaMaxBidiagonal.MapBackComplex(right, n, y, x))
                    : !SigmaMaxBidiagonal.TopVector(right, d, e, n, sn, vw, x)) return false;
        for (int round = 0; ; round++)
        {
            Evaluate(a, m, n, complex, x, acc, rot, r, out double sh, out double sl, out double rr);
            // error constants in real operations: a complex entry is two real terms
            if (Certify(sh, sl, rr, f2, l2, c * m, c * n, single, k, extraRel))
            {
                t_fast++;
                hi = sh; lo = sl;
                return true;
            }
            if (round == MaxRounds) return false;
            // x ← x − M⁻¹r, M⁻¹ = P(BᵀB)⁻¹Pᵀ (complex: V·D₂ᴴ(|B|ᵀ|B|)⁻¹D₂·Vᴴ)
            t_steps++;
            for (int i = 0; i < c * n; i++) t[i] = r[i];
            if (complex)
            {
                SigmaMaxBidiagonal.ApplyRightComplex(right, n, t, true);
                SolveNormal(d, e, n, t, 2);
                SolveNormal(d, e, n, t + 1, 2);
                SigmaMaxBidiagonal.ApplyRightComplex(right, n, t, false);
            }
            else
            {
                SigmaMaxBidiagonal.ApplyRight(right, n, t, true);
                SolveNormal(d, e, n, t, 1);
                SigmaMaxBidiagonal.ApplyRight(right, n, t, false);
            }
            for (int i = 0; i < c * n; i++) x[i] -= t[i];
            if (!SigmaMaxBidiagonal.Normalise(x, c * n)) return false;
        }
    }

    /// <summary>σ̂ₙ of the bidiagonal (d, e) to ~2⁻⁵⁰ and a lower bound <paramref name="l2"/> of
    /// σₙ₋₁ (to ~2⁻¹²), by Sturm counts; false when σₙ is below 2⁻⁴⁰⁰ of the Gershgorin bound
    /// (near-singular: the double-double evaluation would approach underflow) or a second
    /// singular value lies within 2⁻²⁰ of it (no certificate possible).</summary>
    internal static bool Brackets(double* d, double* e, int n, out double sn, out double l2)
    {
        sn = 0; l2 = 0;
        double g = 0;
        for (int i = 0; i < n; i++)
        {
            double left = i > 0 ? Math.Abs(e[i - 1]) : 0, right = i < n - 1 ? Math.Abs(e[i]) : 0;
            g = Math.Max(g, Math.Abs(d[i]) + Math.Max(left, right));
        }
        if (!(g > 0) || !double.IsFinite(g)) return false;
        g *= 1 + 1e-10;
        double lo = 0, hi = g, floor = g * 3.8725919148493183e-121;
        int* counts = stackalloc int[8];
        if (!Bisect(d, e, n, ref lo, ref hi, 1, 8.881784197001252e-16, true, floor, 300, 0, counts, out _)) return false;
        if (lo < floor) return false;
        sn = 0.5 * (lo + hi);
        double a = hi * (1 + 9.5367431640625e-07), b = g;
        Bisect(d, e, n, ref a, ref b, 2, 0.000244140625, false, 0, 60, a, counts, out int atA);
        if (atA >= 2) return false;
        l2 = a;
        return true;
    }

    /// <summary>Bisection of [lo, hi] for a Sturm count threshold: while fewer than
    /// <paramref name="maxIt"/> steps were taken and hi − lo &gt; <paramref name="rel"/>·hi, the point
    /// mid (geometric while hi &gt; 2·lo, 2⁻¹⁶·hi from lo = 0) replaces hi when at least
    /// <paramref name="k"/> singular values lie below it, else lo; with <paramref name="checkMid"/>
    /// a mid not strictly inside ends it; false when hi falls below <paramref name="floor"/>. The
    /// scalar loop this was, step for step: each pass evaluates the counts of a three-level tree of
    /// the next seven mids (node j's children 2j + 1 for hi ← mid, 2j + 2 for lo ← mid) in one
    /// vector Sturm pass, then replays up to three steps from them, so lo and hi end with the bits
    /// of one count at a time. lo, hi stay finite and nonnegative (Gershgorin bound, square roots,
    /// halvings), so the comparisons see no NaN. <paramref name="extraCount"/>: the count at
    /// <paramref name="extra"/> when &gt; 0 (the first pass's spare lane, else a scalar count).</summary>
    private static bool Bisect(double* d, double* e, int n, ref double lo, ref double hi, int k, double rel,
        bool checkMid, double floor, int maxIt, double extra, int* counts, out int extraCount)
    {
        extraCount = 0;
        double* l = stackalloc double[7], h = stackalloc double[7], p = stackalloc double[8];
        bool first = true;
        int it = 0;
        while (it < maxIt && hi - lo > rel * hi)
        {
            l[0] = lo; h[0] = hi;
            for (int j = 0; j < 7; j++)
            {
                p[j] = Mid(l[j], h[j]);
                if (j < 3)
                {
                    l[2 * j + 1] = l[j]; h[2 * j + 1] = p[j];
                    l[2 * j + 2] = p[j]; h[2 * j + 2] = h[j];
                }
            }
            // a spare lane: the extra point once, else a copy of the root's mid (some positive point)
            p[7] = first && extra > 0 ? extra : p[0];
            BidiagonalMax.SingularValuesBelow(d, e, n, Vector256.Load(p), Vector256.Load(p + 4), counts);
            if (first && extra > 0) extraCount = counts[7];
            first = false;
            for (int j = 0, level = 0; level < 3 && it < maxIt && hi - lo > rel * hi; level++, it++)
            {
                double mid = p[j];
                if (checkMid && !(mid > lo && mid < hi)) return true;
                if (counts[j] >= k) { hi = mid; j = 2 * j + 1; }
                else { lo = mid; j = 2 * j + 2; }
                if (hi < floor) return false;
            }
        }
        if (first && extra > 0) extraCount = BidiagonalMax.SingularValuesBelow(d, e, n, extra);
        return true;
    }

    private static double Mid(double lo, double hi)
        => lo == 0 ? hi * (1.0 / 65536) : hi > 2 * lo ? Math.Sqrt(lo) * Math.Sqrt(hi) : 0.5 * (lo + hi);

    /// <summary>t ← (BᵀB)⁻¹t for the upper bidiagonal B = (d, e) (t's entries <paramref name="s"/>
    /// apart): Bᵀ forward, then B backward.</summary>
    private static void SolveNormal(double* d, double* e, int n, double* t, int s)
    {
        t[0] /= d[0];
        for (int i = 1; i < n; i++) t[i * s] = (t[i * s] - e[i - 1] * t[(i - 1) * s]) / d[i];
        t[(n - 1) * s] /= d[n - 1];
        for (int i = n - 2; i >= 0; i--) t[i * s] = (t[i * s] - e[i] * t[(i + 1) * s]) / d[i];
    }

    /// <summary>σ̂ = ‖Ax‖/‖x‖ (sh + sl) and ‖r‖²/‖x‖² (<paramref name="rr"/>) with r = AᴴAx − σ̂²x
    /// (written to <paramref name="r"/>), Ax and Aᴴ(Ax) in double-double. Complex: Re(aⱼᴴy) is the
    /// real dot of the interleaved arrays, Im(aⱼᴴy) that with y multiplied by −i (<paramref name="rot"/>).</summary>
    private static void Evaluate(double* a, int m, int n, bool complex, double* x, double* acc, double* rot, double* r,
        out double sh, out double sl, out double rr)
    {
        int c = complex ? 2 : 1, len = c * m;
        sh = complex ? SigmaMaxRefine.RayleighValue(a, m, n, x, acc, out sl) : SigmaMaxRefine.RayleighReal(a, m, n, x, acc, out sl);
        double rh = DD.Mul(sh, sl, sh, sl, out double rl);
        double* yh = acc, yl = acc + len;
        for (int i = 0; i < len; i++) { yh[i] = DD.TwoSum(yh[i], yl[i], out double l); yl[i] = l; }
        if (complex)
            for (int i = 0; i < len; i += 2)
            {
                rot[i] = yh[i + 1]; rot[i + 1] = -yh[i];
                rot[len + i] = yl[i + 1]; rot[len + i + 1] = -yl[i];
            }
        double s = 0, nx = 0;
        for (int j = 0; j < n; j++)
        {
            double* aj = a + (long)len * j;
            double wh = DotDD(aj, yh, yl, len, out double wl);
            double v = Residual(wh, wl, rh, rl, x[c * j]);
            r[c * j] = v; s += v * v; nx += x[c * j] * x[c * j];
            if (!complex) continue;
            wh = DotDD(aj, rot, rot + len, len, out wl);
            v = Residual(wh, wl, rh, rl, x[2 * j + 1]);
            r[2 * j + 1] = v; s += v * v; nx += x[2 * j + 1] * x[2 * j + 1];
        }
        rr = s / nx * (1 + 1e-13);
    }

    /// <summary>(wh + wl) − (ρh + ρl)·xⱼ in double-double, rounded once.</summary>
    private static double Residual(double wh, double wl, double rh, double rl, double xj)
    {
        double p = rh * xj, pe = Math.FusedMultiplyAdd(rh, xj, -p);
        double s = DD.TwoSum(wh, -p, out double e1);
        return s + (e1 + (wl - pe - rl * xj));
    }

    /// <summary>aᵀ(yh + yl) as a double-double (hi returned): Dot2 on aᵀyh (four lanes, combined
    /// in a fixed order), aᵀyl added to the error term.</summary>
    private static double DotDD(double* a, double* yh, double* yl, int m, out double lo)
    {
        var h = Vector256<double>.Zero; var er = h;
        int i = 0;
        for (; i <= m - 4; i += 4)
        {
            var va = Vector256.Load(a + i);
            var vy = Vector256.Load(yh + i);
            var p = va * vy;
            er += Vector256.FusedMultiplyAdd(va, vy, -p) + va * Vector256.Load(yl + i);
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
        for (; i < m; i++)
        {
            double p = a[i] * yh[i];
            e += Math.FusedMultiplyAdd(a[i], yh[i], -p) + a[i] * yl[i];
            hi = DD.TwoSum(hi, p, out double te);
            e += te;
        }
        return DD.TwoSum(hi, e, out lo);
    }

    /// <summary>ℓ·(1 − 16nu) − δ, δ = 16(m + n)·n·u·‖A‖_F: the lower bound of σₙ₋₁(A) that <see cref="Certify"/>'s β is
    /// the square of (m, n in real operations).</summary>
    private static double Gap(double l2, double f2, int m, int n)
        => l2 * (1 - 16 * n * U) - 16 * (double)(m + n) * n * U * Math.Sqrt(f2);

    /// <summary>The Kato–Temple certificate (see the class summary) for σ̂ = sh + sl with
    /// ‖r‖²/‖x‖² = <paramref name="rr"/> computed, ‖A‖²_F ≤ <paramref name="f2"/>, σₙ₋₁(B) ≥ <paramref name="l2"/>.</summary>
    internal static bool Certify(double sh, double sl, double rr, double f2, double l2, int m, int n, bool single, int k,
        double extraRel = 0)
    {
        if (!(sh > 0) || !double.IsFinite(sh) || !double.IsFinite(rr)) return false;
        double f = Math.Sqrt(f2), mn = m + n;
        // √ρ(x) within σ̂·(1 ± relE): Dot2's error of Ax (γₙ²·‖A‖_F per unit x), underflowed products
        // (absolute), the double-double sums of m + n squares, division and square root (2⁻¹⁰² each)
        double relE = (1.01 * n * (double)n * U * U * f + 2.409919865102884e-181) / sh + (m + n + 16) * 1.9721522630525295e-31;
        // ‖computed Kx − Kx‖ per unit x: Ax's error through Aᵀ, Aᵀ(Ax)'s own Dot2 error, ρ̂x's rounding
        double ek = 2.2 * mn * mn * U * U * f2 + 4 * U * U * sh * sh + 2.409919865102884e-181;
        double rn = Math.Sqrt(rr) * (1 + 1e-13) + ek;
        double b = Gap(l2, f2, m, n);
        if (!(b > 0)) return false;
        double beta = b * b * (1 - 4 * U), rhoUp = sh * sh * (1 + 1e-14);
        if (!(beta > rhoUp)) return false;
        double kt = rn * rn / (beta - rhoUp) * (1 + 1e-13);
        // σₙ ≥ σ̂·√((1 − relE)² − kt/σ̂²) ≥ σ̂·(1 − relE − kt/σ̂²)
        double relLow = relE + 1.001 * kt / (sh * sh) + extraRel;
        // (a caller's extraRel: at most 2⁻⁶² for a float64 result, any for float32, which the midpoints decide)
        if (!single) return relLow - extraRel <= 6.938893903907228e-18 && extraRel <= 2.168404344971009e-19;
        // a float32 result needs only the interval between the two rounding midpoints (below), so 2⁻³⁰ rather than
        // 2⁻⁵⁷ (the bound above is first order in relE and kt/σ̂², both then below 2⁻³⁰): an ill-conditioned matrix
        // (κ ~ 10¹⁰: inverse iteration with the reduced matrix's M stalls at O(uκ²)) is certified from its first
        // vector instead of falling back after every round
        if (!(relLow - extraRel <= 9.313225746154785e-10)) return false;
        // float32 result: the whole interval between the two rounding midpoints around fl₃₂(σ̂)
        double v = Math.ScaleB(sh, k);
        float fv = (float)v;
        if (float.IsInfinity(fv)) return true;
        double midHi = 0.5 * ((double)fv + MathF.BitIncrement(fv)), midLo = 0.5 * ((double)fv + MathF.BitDecrement(fv));
        double margin = 1.01 * relLow * v + Math.Abs(Math.ScaleB(sl, k));
        return v - midLo > margin && midHi - v > margin;
    }
}
