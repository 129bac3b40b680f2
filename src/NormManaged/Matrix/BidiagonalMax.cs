using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormManaged.Matrix;

/// <summary>σ_max alone, for the 2-norm of larger matrices: Householder bidiagonalisation
/// (Golub &amp; Kahan 1965; Golub &amp; Van Loan, Matrix Computations §5.4.8), then bisection with
/// Sturm counts on the Golub–Kahan tridiagonal [[0, B], [Bᵀ, 0]] for its largest eigenvalue.
///
/// Bidiagonalisation is backward stable (‖δA‖ ≤ p(n)·u·‖A‖), so σ_max — the one singular value
/// with σ ≈ ‖A‖ — is accurate to a few ulp, as with LAPACK's gesdd; the bisection is carried to
/// an interval of relative width 2⁻⁵². The smaller singular values of this route are only
/// absolutely accurate, which is why −2 and nuclear keep the Jacobi kernel.
/// Same input contract as <see cref="SvdKernel.SingularValues"/>.</summary>
internal static unsafe class BidiagonalMax
{
    /// <summary>Doubles of scratch needed: the reduction's, then the dqds arrays after d and e.</summary>
    public static long WorkSize(int m, int n) => Math.Max(Bidiagonalize.WorkSize(m, n), 2L * n + Dqds.WorkSize(n));

    /// <summary>σ_max of the column-major m×n <paramref name="a"/> (m ≥ n ≥ 2; leading dimension
    /// <see cref="Bidiagonalize.LeadingDimension"/>(m), padding rows zero; destroyed).</summary>
    public static double Compute(double* a, int m, int n, double* work)
    {
        Bidiagonalize.Reduce(a, m, n, work);
        return LargestOf(work, work + n, n, work + 2 * n);
    }

    /// <summary>σ_max of the bidiagonal (d, e) by bisection. For n ≤ 16 the QR sweeps (on a copy
    /// in <paramref name="scratch"/>, 2n doubles) first give an estimate good to a few ulp, and
    /// bisection only has to confirm a bracket of ±2⁻⁴⁵ around it and narrow it (≈ 10 Sturm
    /// counts instead of ≈ 55); if the bracket does not hold, the full bisection runs.</summary>
    public static double LargestOf(double* d, double* e, int n, double* scratch)
    {
        if (n <= 16)
        {
            double* sd = scratch, se = scratch + n;
            for (int i = 0; i < n; i++) sd[i] = d[i];
            for (int i = 0; i < n - 1; i++) se[i] = e[i];
            GolubKahan.Diagonalise(sd, se, n);
            double g = 0;
            for (int i = 0; i < n; i++) g = Math.Max(g, Math.Abs(sd[i]));
            if (g == 0) return 0;
            double lo = g * (1 - 2.842170943040401e-14), hi = g * (1 + 2.842170943040401e-14);
            if (CountAbove(d, e, n, lo) && !CountAbove(d, e, n, hi)) return Bisect(d, e, n, lo, hi);
        }
        else
        {
            double g = LaguerreEstimate(d, e, n);
            if (g > 0)
            {
                double lo = g * (1 - 2.842170943040401e-14), hi = g * (1 + 2.842170943040401e-14);
                if (CountAbove(d, e, n, lo) && !CountAbove(d, e, n, hi)) return Bisect(d, e, n, lo, hi);
            }
        }
        return LargestSingularValue(d, e, n);
    }

    /// <summary>An estimate of σ_max for the bracket above: Laguerre's method on
    /// det(T − xI), T the Golub–Kahan tridiagonal (2n real roots ±σᵢ), started above the
    /// Gershgorin bound, where it decreases monotonically to the largest root with cubic
    /// convergence (typically 4–6 steps; each costs about one Sturm count). f′/f and f″/f come
    /// from the LDLᵀ pivots and their derivatives. Only an estimate: the caller confirms a
    /// bracket of ±2⁻⁴⁵ around it with two Sturm counts and bisects inside, so rounding here
    /// cannot change the result's accuracy; 0 if it fails (then full bisection runs).</summary>
    private static double LaguerreEstimate(double* d, double* e, int n)
    {
        int len = 2 * n;
        double x = 0;
        for (int i = 0; i < len - 1; i++)
        {
            double ti = Math.Abs(Off(d, e, i));
            double tn = i + 1 < len - 1 ? Math.Abs(Off(d, e, i + 1)) : 0;
            double tp = i > 0 ? Math.Abs(Off(d, e, i - 1)) : 0;
            x = Math.Max(x, Math.Max(ti + tn, ti + tp));
        }
        if (x == 0) return 0;
        x *= 1 + 1e-10;
        double nn = len;
        for (int it = 0; it < 40; it++)
        {
            // pivots q, q′, q″ of T − xI; G = Σ q′/q, L2 = Σ (q″/q − (q′/q)²) = (log f)″
            double q = -x, q1 = -1, q2 = 0;
            double g = q1 / q, l2 = -(g * g);
            for (int i = 1; i < len; i++)
            {
                double t = Off(d, e, i - 1), c = t * t;
                double r = 1 / q, cr = c * r;
                double nq = -x - cr;
                double nq1 = -1 + cr * q1 * r;
                double nq2 = cr * r * (q2 - 2 * q1 * q1 * r);
                q = nq; q1 = nq1; q2 = nq2;
                double gi = q1 / q;
                g += gi;
                l2 += q2 / q - gi * gi;
            }
            double h = -l2; // G² − f″/f
            double disc = (nn - 1) * (nn * h - g * g);
            double den = g + Math.Sqrt(Math.Max(disc, 0));
            double step = nn / den;
            if (!double.IsFinite(step) || step < 0) break;
            double xn = x - step;
            if (!(xn > 0)) break;
            if (step <= 1e-15 * x) { x = xn; break; }
            x = xn;
        }
        return x;
    }

    /// <summary>Σσ of <paramref name="a"/> as a double-double (hi returned, lo out): bidiagonal
    /// reduction, then shifted Golub–Kahan QR sweeps (Golub &amp; Van Loan Alg. 8.6.2, in the form of
    /// LAPACK dbdsqr) until every superdiagonal is below 2⁻⁵³·‖B‖. Every σ then has absolute error
    /// O(u·‖A‖), which the nuclear norm (≥ σ_max) turns into a small relative error.</summary>
    public static double NuclearNorm(double* a, int m, int n, double* work, out double lo)
    {
        Bidiagonalize.Reduce(a, m, n, work);
        return SumOfSingularValues(work, work + n, n, work + 2 * n, out lo);
    }

    /// <summary>Σσ of the bidiagonal (d, e) (both destroyed), as a double-double: dqds
    /// (<see cref="Dqds"/>, <see cref="Dqds.WorkSize"/> doubles of <paramref name="scratch"/>), or the Golub–Kahan QR
    /// sweeps should dqds exhaust its iteration budget.</summary>
    public static double SumOfSingularValues(double* d, double* e, int n, double* scratch, out double lo)
    {
        if (Dqds.SumOfSingularValues(d, e, n, scratch, out double h, out lo)) return h;
        GolubKahan.Diagonalise(d, e, n);
        double hi = 0;
        lo = 0;
        for (int i = 0; i < n; i++) Kernels.DD.Add(ref hi, ref lo, Math.Abs(d[i]), 0);
        return hi;
    }

    /// <summary>Largest singular value of the upper bidiagonal (d, e) by bisection on the
    /// Golub–Kahan tridiagonal: with off-diagonals t = (d₀, e₀, d₁, e₁, …, d_{n−1}), the number
    /// of eigenvalues below x is the number of negative pivots of T − x·I.</summary>
    public static double LargestSingularValue(double* d, double* e, int n)
    {
        int len = 2 * n - 1;
        double hi = 0, tmax = 0;
        for (int i = 0; i < len; i++)
        {
            double ti = Math.Abs(Off(d, e, i));
            double tn = i + 1 < len ? Math.Abs(Off(d, e, i + 1)) : 0;
            hi = Math.Max(hi, ti + tn);
            tmax = Math.Max(tmax, ti);
        }
        if (tmax == 0) return 0;
        // every entry of B is at most σ_max; Gershgorin bounds it by max(|tᵢ| + |tᵢ₊₁|) ≤ 2·max|tᵢ|
        double lo = 0.5 * tmax;
        hi = Math.Max(hi, tmax) * (1 + 1e-15);
        return Bisect(d, e, n, lo, hi);
    }

    /// <summary>Bisection for σ_max within [lo, hi] (σ_max &gt; lo, none above hi) to ~1 ulp.</summary>
    private static double Bisect(double* d, double* e, int n, double lo, double hi)
    {
        for (int it = 0; it < 200; it++)
        {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) break;
            if (CountAbove(d, e, n, mid)) lo = mid; else hi = mid;
            if (hi - lo <= 2.3e-16 * lo) break;
        }
        return 0.5 * (lo + hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Off(double* d, double* e, int i) => (i & 1) == 0 ? d[i >> 1] : e[i >> 1];

    /// <summary>True when the Golub–Kahan matrix has an eigenvalue greater than x (x &gt; 0):
    /// the count of negative pivots of T − xI is below 2n.</summary>
    private static bool CountAbove(double* d, double* e, int n, double x) => NegativePivots(d, e, n, x) < 2 * n;

    /// <summary>How many singular values of the bidiagonal (d, e) lie below x (x &gt; 0): the
    /// negative pivots of T − xI counted beyond the n eigenvalues −σᵢ (Sturm count; in floating
    /// point it is the exact count of a bidiagonal within a few ulps of (d, e), relatively).</summary>
    internal static int SingularValuesBelow(double* d, double* e, int n, double x) => NegativePivots(d, e, n, x) - n;

    /// <summary><see cref="SingularValuesBelow(double*, double*, int, double)"/> at eight points at once (lanes of
    /// <paramref name="x0"/>, <paramref name="x1"/>; each &gt; 0) into <paramref name="counts"/>: lane by lane the
    /// IEEE operations of <see cref="NegativePivots"/>, so every count equals the scalar one. The pivot recurrence is
    /// a chain of divisions, so two vectors of four cost about one scalar count.</summary>
    internal static void SingularValuesBelow(double* d, double* e, int n, Vector256<double> x0, Vector256<double> x1, int* counts)
    {
        int len = 2 * n;
        var eps = Vector256.Create(double.Epsilon);
        Vector256<double> m0 = -x0, m1 = -x1, q0 = m0, q1 = m1;
        Vector256<double> tiny0 = x0 * 1e-300 + eps, tiny1 = x1 * 1e-300 + eps;
        // a negative pivot's compare mask is −1: the counts accumulate negated
        var n0 = Vector256.LessThan(q0, Vector256<double>.Zero).AsInt64();
        var n1 = Vector256.LessThan(q1, Vector256<double>.Zero).AsInt64();
        for (int i = 1; i < len; i++)
        {
            var t = Vector256.Create(Off(d, e, i - 1));
            q0 = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(q0), tiny0), -tiny0, q0);
            q1 = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(q1), tiny1), -tiny1, q1);
            q0 = m0 - t * (t / q0);
            q1 = m1 - t * (t / q1);
            n0 += Vector256.LessThan(q0, Vector256<double>.Zero).AsInt64();
            n1 += Vector256.LessThan(q1, Vector256<double>.Zero).AsInt64();
        }
        for (int j = 0; j < 4; j++)
        {
            counts[j] = (int)-n0.GetElement(j) - n;
            counts[4 + j] = (int)-n1.GetElement(j) - n;
        }
    }

    private static int NegativePivots(double* d, double* e, int n, double x)
    {
        int len = 2 * n;
        int neg = 0;
        double q = -x;
        double tiny = x * 1e-300 + double.Epsilon;
        if (q < 0) neg++;
        for (int i = 1; i < len; i++)
        {
            double t = Off(d, e, i - 1);
            if (Math.Abs(q) < tiny) q = -tiny;
            q = -x - t * (t / q);
            if (q < 0) neg++;
        }
        return neg;
    }
}

/// <summary>Singular values of an upper bidiagonal matrix by implicit shifted QR (values only).</summary>
internal static unsafe class GolubKahan
{
    /// <summary>Drives the superdiagonal <paramref name="e"/> (length n − 1) to zero; on return
    /// |d[i]| are the singular values (absolute accuracy O(u·‖B‖)).</summary>
    public static void Diagonalise(double* d, double* e, int n)
    {
        if (n <= 1) return;
        double bound = 0, emax = 0;
        for (int i = 0; i < n; i++) bound = Math.Max(bound, Math.Abs(d[i]));
        for (int i = 0; i < n - 1; i++) emax = Math.Max(emax, Math.Abs(e[i]));
        double thresh = 1.1102230246251565e-16 * (bound + emax);
        if (thresh == 0) return;
        long maxIt = 6L * n * n + 100, it = 0;
        int hi = n - 1;
        while (hi > 0 && it++ < maxIt)
        {
            if (Math.Abs(e[hi - 1]) <= thresh) { e[hi - 1] = 0; hi--; continue; }
            int lo = hi - 1;
            while (lo > 0 && Math.Abs(e[lo - 1]) > thresh) lo--;
            if (lo > 0) e[lo - 1] = 0;
            bool split = false;
            for (int k = lo; k <= hi; k++)
            {
                if (Math.Abs(d[k]) > thresh) continue;
                d[k] = 0;
                if (k < hi) ChaseRow(d, e, k, hi); else ChaseColumn(d, e, lo, hi);
                split = true;
                break;
            }
            if (split) continue;
            if (hi - lo == 1)
            {
                SvdKernel.TwoByTwo(d[lo], e[lo], 0, d[hi], out double smax, out double smin);
                d[lo] = smax; d[hi] = smin; e[lo] = 0;
                continue;
            }
            Sweep(d, e, lo, hi);
        }
    }

    /// <summary>d[k] = 0 (k &lt; hi): rotates row k against the rows below to clear e[k].</summary>
    private static void ChaseRow(double* d, double* e, int k, int hi)
    {
        double f = e[k];
        e[k] = 0;
        for (int j = k + 1; j <= hi && f != 0; j++)
        {
            Rotg(d[j], f, out double c, out double s, out double r);
            d[j] = r;
            if (j < hi) { f = -s * e[j]; e[j] *= c; }
        }
    }

    /// <summary>d[hi] = 0: rotates column hi against the columns to its left to clear e[hi − 1].</summary>
    private static void ChaseColumn(double* d, double* e, int lo, int hi)
    {
        double f = e[hi - 1];
        e[hi - 1] = 0;
        for (int j = hi - 1; j >= lo && f != 0; j--)
        {
            Rotg(d[j], f, out double c, out double s, out double r);
            d[j] = r;
            if (j > lo) { f = -s * e[j - 1]; e[j - 1] *= c; }
        }
    }

    /// <summary>One implicit QR sweep on the unreduced block [lo, hi] with the shift = the smaller
    /// singular value of the trailing 2×2 (dropped when negligible), as in LAPACK dbdsqr.</summary>
    private static void Sweep(double* d, double* e, int lo, int hi)
    {
        SvdKernel.TwoByTwo(d[hi - 1], e[hi - 1], 0, d[hi], out _, out double shift);
        double sll = Math.Abs(d[lo]);
        if (sll == 0 || (shift / sll) * (shift / sll) < 1.1102230246251565e-16) shift = 0;
        double f = (sll - shift) * (Math.CopySign(1.0, d[lo]) + shift / d[lo]);
        double g = e[lo];
        for (int k = lo; k < hi; k++)
        {
            Rotg(f, g, out double cr, out double sr, out double r);
            if (k > lo) e[k - 1] = r;
            f = cr * d[k] + sr * e[k];
            e[k] = cr * e[k] - sr * d[k];
            g = sr * d[k + 1];
            d[k + 1] *= cr;
            Rotg(f, g, out double cl, out double sl, out r);
            d[k] = r;
            f = cl * e[k] + sl * d[k + 1];
            d[k + 1] = cl * d[k + 1] - sl * e[k];
            if (k < hi - 1) { g = sl * e[k + 1]; e[k + 1] *= cl; }
        }
        e[hi - 1] = f;
    }

    /// <summary>c, s, r with [c s; −s c]·[f; g] = [r; 0].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rotg(double f, double g, out double c, out double s, out double r)
    {
        if (g == 0) { c = 1; s = 0; r = f; return; }
        if (f == 0) { c = 0; s = 1; r = g; return; }
        double ff = Math.Abs(f), gg = Math.Abs(g);
        r = (ff > 1e-150 && ff < 1e150 && gg > 1e-150 && gg < 1e150)
            ? Math.Sqrt(f * f + g * g)
            : SvdKernel.HypotAny(f, g);
        c = f / r; s = g / r;
    }
}
