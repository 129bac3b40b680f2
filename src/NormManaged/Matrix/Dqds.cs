namespace NormManaged.Matrix;

/// <summary>All singular values of an upper bidiagonal matrix by the shifted differential qd
/// algorithm (dqds; Fernando &amp; Parlett, "Accurate singular values and differential qd
/// algorithms", Numer. Math. 67, 1994; Parlett &amp; Marques, "An implementation of the dqds
/// algorithm (positive case)", LAA 309, 2000), values only, summed for the nuclear norm.
///
/// The qd array holds qᵢ = dᵢ², eᵢ = eᵢ² of B; one dqds transform with shift s maps it to the qd
/// array of B̂ with B̂ᵀB̂ = BBᵀ − s·I (every step a product, a quotient, or a sum of non-negative
/// terms, so nothing cancels), so each eigenvalue λ of BᵀB is found to high relative
/// accuracy as the sum of the shifts plus the last deflated q. It needs no square roots and
/// about one division per entry and transform, where implicit QR sweeps need two square roots and
/// four divisions (LAPACK's dbdsqr hands the values-only case to dqds, dlasq1, for this reason).
///
/// Shifts: the smaller eigenvalue of the bottom 2×2 of BᵀB (from its bidiagonal, cancellation
/// free), capped by the smallest d of the previous transform (an upper bound on λ_min), times
/// 1 − 10⁻⁵ (times ½ while the bottom e is not yet small); a shift that breaks positivity (a
/// negative d) is retried 10 % lower, twice, then at zero (which cannot fail). About four
/// transforms per singular value on random matrices (measured), against ~7 for the QR sweeps.
/// Deflation uses dlasq2's relative tests. If the iteration budget runs out the caller falls
/// back to <see cref="GolubKahan"/>: nothing here depends on timing or threads, so which path a
/// matrix takes is a function of the matrix alone.</summary>
internal static unsafe class Dqds
{
    /// <summary>Doubles of scratch <see cref="SumOfSingularValues"/> needs.</summary>
    public static long WorkSize(int n) => 5L * n;

    // dlasq2's tolerance: 100·ε relative, compared in squared (qd) quantities
    private const double Tol = 100 * 1.1102230246251565e-16;
    private const double Tol2 = Tol * Tol;

    /// <summary>Σσ of the bidiagonal (d, e) (not modified) as a double-double (hi, lo); false if
    /// the iteration did not converge within its budget (then hi, lo are meaningless).</summary>
    public static bool SumOfSingularValues(double* d, double* e, int n, double* work, out double hi, out double lo)
    {
        hi = 0; lo = 0;
        if (n == 0) return true;
        double* q = work, ee = work + n, q2 = work + 2 * n, e2 = work + 3 * n;
        // sig[k]: the shift already applied to the block whose bottom row is k (set when an e
        // inside a shifted block becomes exactly zero and splits it)
        double* sig = work + 4 * n;
        for (int i = 0; i < n; i++) { q[i] = d[i] * d[i]; sig[i] = 0; }
        for (int i = 0; i < n - 1; i++) ee[i] = e[i] * e[i];
        ee[n - 1] = 0;
        long budget = 30L * n + 60;
        int top = n - 1;
        while (top >= 0)
        {
            // the unreduced block [blo, top]: an exactly zero (or underflowed) e splits
            int blo = top;
            while (blo > 0 && ee[blo - 1] != 0) blo--;
            int bhi = top;
            double sacc = sig[top], dminPrev = double.PositiveInfinity;
            while (bhi >= blo)
            {
                if (bhi == blo) { AddRoot(ref hi, ref lo, q[bhi] + sacc); bhi--; break; }
                double qn = q[bhi], en = ee[bhi - 1], qn1 = q[bhi - 1];
                if (en <= Tol2 * (sacc + qn) || en <= Tol2 * qn1)
                {
                    AddRoot(ref hi, ref lo, qn + sacc);
                    bhi--;
                    dminPrev = double.PositiveInfinity;
                    continue;
                }
                double en1 = bhi - 1 > blo ? ee[bhi - 2] : 0;
                if (bhi - 1 == blo || en1 <= Tol2 * (sacc + qn1) || en1 <= Tol2 * q[bhi - 2])
                {
                    Eig2(qn1, en, qn, out double lmax, out double lmin);
                    AddRoot(ref hi, ref lo, lmax + sacc);
                    AddRoot(ref hi, ref lo, lmin + sacc);
                    bhi -= 2;
                    dminPrev = double.PositiveInfinity;
                    continue;
                }
                if (--budget < 0) return false;
                Eig2(qn1, en, qn, out _, out double guess);
                // 1 − 10⁻⁵ below the estimate once the bottom is converging, half of it before
                double s = Math.Min(guess, dminPrev) * (en > 0.1 * qn ? 0.5 : 0.99999);
                if (!(s > 0)) s = 0;
                double dmin;
                int tries = 0;
                while (!Transform(q, ee, q2, e2, blo, bhi, s, out dmin))
                {
                    if (++tries >= 3 || s == 0) s = 0; else s *= 0.9;
                    if (tries > 3) return false; // s = 0 cannot fail on a positive array
                }
                sacc += s;
                dminPrev = dmin;
                int split = -1;
                for (int i = blo; i < bhi; i++)
                {
                    q[i] = q2[i]; ee[i] = e2[i];
                    if (e2[i] == 0) split = i;
                }
                q[bhi] = q2[bhi];
                if (split >= 0)
                {
                    // an exact zero (underflow) splits the block: finish the part below, the part
                    // above waits with the shift applied so far
                    sig[split] = sacc;
                    blo = split + 1;
                    dminPrev = double.PositiveInfinity;
                }
            }
            top = blo - 1;
        }
        return true;
    }

    /// <summary>One dqds transform of q[lo..hi], e[lo..hi−1] with shift s into (q2, e2); false if
    /// the shifted matrix is not positive (semi)definite.</summary>
    private static bool Transform(double* q, double* e, double* q2, double* e2, int lo, int hi, double s, out double dmin)
    {
        double d = q[lo] - s;
        dmin = d;
        if (d < 0) return false;
        for (int i = lo; i < hi; i++)
        {
            double qh = d + e[i];
            if (!(qh > 0)) return false;
            double t = q[i + 1] / qh;
            q2[i] = qh;
            e2[i] = e[i] * t;
            d = d * t - s;
            if (d < 0) return false;
            dmin = Math.Min(dmin, d);
        }
        q2[hi] = d;
        return double.IsFinite(d);
    }

    /// <summary>Eigenvalues of BᵀB for B = [[√q1, √e], [0, √q2]] without cancellation:
    /// λ_max = (S + √((q1 + e − q2)² + 4·e·q2)) / 2 with S = q1 + e + q2, λ_min = q1·q2 / λ_max.</summary>
    private static void Eig2(double q1, double e, double q2, out double lmax, out double lmin)
    {
        double a = q1 + e - q2;
        double r = Math.Sqrt(a * a + 4 * e * q2);
        lmax = 0.5 * (q1 + e + q2 + r);
        lmin = lmax > 0 ? q1 * q2 / lmax : 0;
    }

    private static void AddRoot(ref double hi, ref double lo, double lambda)
        => Kernels.DD.Add(ref hi, ref lo, Math.Sqrt(Math.Max(lambda, 0)), 0);
}
