using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormManaged.Matrix;

/// <summary>Singular values of a real matrix, computed for relative accuracy.
///
/// Method (Demmel &amp; Veselić 1992; Drmač &amp; Veselić, "New fast and accurate Jacobi SVD
/// algorithm I", SIAM J. Matrix Anal. Appl. 29(4), 2008, the design of LAPACK's dgejsv):
/// rows sorted by decreasing size, Householder QR with column pivoting A·P = Q·R, then
/// one-sided (Hestenes) Jacobi on X = Rᵀ until every pair of columns is orthogonal to
/// m·2⁻⁵³ relative; σᵢ = ‖Xᵢ‖. For A = D₁·C·D₂ with diagonal D₁, D₂ this gives every σ, the
/// smallest included, to a relative error governed by κ(C), not κ(A).
///
/// Callers pass a column-major m×n matrix with m ≥ n, finite entries, scaled by a power of two
/// so that the largest |aᵢⱼ| lies in [1, 2) (or all zero), or for σ_min in [2²⁰⁰, 2²⁰¹); a Jacobi pair whose
/// squared norms would underflow is measured on a copy scaled by a power of two (<see cref="ScaledPair"/>), so
/// gradings down to the smallest normal entries keep their relative accuracy.</summary>
internal static unsafe class SvdKernel
{
    private const double Eps = 1.1102230246251565e-16; // 2^-53
    private const int MaxSweeps = 40;

    /// <summary>Sweeps the calling thread's last <see cref="Jacobi"/> ran (the last one rotated nothing unless it was
    /// the MaxSweeps-th): lets tests check convergence, which a wrong stopping rule turns into MaxSweeps sweeps.</summary>
    [ThreadStatic] internal static int LastSweeps;

    /// <summary>Doubles of scratch <see cref="SingularValues"/> needs beyond the matrix itself.</summary>
    public static long WorkSize(int m, int n) => (long)n * n + 2L * m + 3L * n;

    /// <summary>Writes the n singular values of <paramref name="a"/> (column-major, leading
    /// dimension m, destroyed) into <paramref name="s"/>, in no particular order.
    /// <paramref name="graded"/> = false skips the row sort, which only row-graded matrices' smallest σ needs
    /// (the values keep the QR's and Jacobi's backward stability, what σ_max and the nuclear norm need; a
    /// 1000×8 matrix spends about as long in the sort as in the QR).</summary>
    public static void SingularValues(double* a, int m, int n, double* s, double* work, bool graded = true)
    {
        if (n == 0) return;
        if (n == 1) { s[0] = Norm(a, m); return; }
        if (m == 2 && n == 2)
        {
            TwoByTwo(a[0], a[2], a[1], a[3], out s[0], out s[1]);
            return;
        }
        double* x = work;                 // n×n
        double* tmp = x + (long)n * n;    // m
        double* key = tmp + m;            // m (row keys), then reused
        double* cn = key + m;             // n column norms
        if (graded) SortRows(a, m, n, tmp, key);
        QrColumnPivoted(a, m, n, cn);
        // X = Rᵀ: column j of X is row j of R.
        for (int j = 0; j < n; j++)
        {
            double* xj = x + (long)j * n;
            for (int i = 0; i < j; i++) xj[i] = 0;
            for (int i = j; i < n; i++) xj[i] = a[j + (long)i * m];
        }
        Jacobi(x, n, n, cn); // cn: 3n doubles, 2n used
        for (int j = 0; j < n; j++) s[j] = Norm(x + (long)j * n, n);
    }

    /// <summary>The split's trigger in <see cref="QrColumnPivoted"/>: remaining columns this far below the last pivot.</summary>
    internal const double SplitTrigger = 9.094947017729282e-13; // 2⁻⁴⁰

    /// <summary>The trigger for a float32 result (whose split may leave a relative 2⁻³¹): 2⁻¹². A float32 matrix of
    /// rank k in exact arithmetic is full rank after its rounding, with n − k singular values near 2⁻²⁴·√n of the top:
    /// with the trigger's √(n − k) that was above 2⁻²⁰ of the k-th pivot at 200×200 (ranks 10–50), and the QR ran to
    /// its end and the Jacobi kernel over all columns (0.17× NumPy). At 2⁻¹² the same matrices split at their rank with
    /// bounds w of 2⁻³⁶…2⁻⁴⁵.</summary>
    internal const double SplitTriggerSingle = 0.000244140625;

    /// <summary>The largest split bound accepted: 2⁻⁶³, or 2⁻³⁰ for a float32 result (a relative 2⁻³¹, 2⁻⁷ of a float32
    /// ulp; the elimination's own error on σ_min of a rounded low-rank product is larger).</summary>
    internal static double SplitAccept(bool single) => single ? 9.313225746154785e-10 : 1.0842021724855044e-19;

    /// <summary>The split bound 2‖L₂₁‖²_F/(4s² − ‖L₂₂‖²_F) from ‖L₁₁⁻¹‖²_F = <paramref name="inv2"/> (s = 1/(2‖L₁₁⁻¹‖_F))
    /// and the two blocks' Frobenius norms; +∞ when the inverse is not finite or ‖L₂₂‖_F &gt; s (real and complex splits).</summary>
    internal static double SplitBoundOf(double inv2, double l21, double l22)
    {
        if (!(inv2 > 0) || double.IsInfinity(inv2)) return double.PositiveInfinity;
        double s = 0.5 / Math.Sqrt(inv2);
        if (!(l22 <= s)) return double.PositiveInfinity;
        double q = l21 / s;
        return 2 * q * q / (4 - (l22 / s) * (l22 / s));
    }

    /// <summary>σ_min's deflation of numerically rank-deficient (and steeply graded) matrices.
    /// <para>The rows are sorted and the pivoted QR runs as in <see cref="SingularValues"/> (graded), but stops at the
    /// first step k whose remaining columns are all 2⁴⁰ below the last pivot. The m×n matrix then holds, up to the row
    /// permutation and the k reflectors (orthogonal: the same singular values), M = [T; [0 A₂₂]] with T = [R₁₁ R₁₂] the
    /// k finished rows. An LQ factorisation of T (k Householder reflectors from the right, applied to all rows) makes it
    /// M·V = [L₁₁ 0; L₂₁ L₂₂], L₁₁ k×k lower triangular, L₂₂ (m−k)×(n−k).</para>
    /// <para>Then the n−k smallest singular values of M are those of L₂₂ up to a factor in [√(1−w), 1], w =
    /// ‖L₂₁‖²/(σ_k(L₁₁)² − σ²): in MᵀM − λ the Schur complement of the leading block is
    /// L₂₂ᵀ(I − L₂₁(L₁₁ᵀL₁₁ + L₂₁ᵀL₂₁ − λ)⁻¹L₂₁ᵀ)L₂₂ − λ, whose middle factor lies between (1 − w)·I and I (Ostrowski),
    /// and the k largest singular values of M are at least σ_k(L₁₁) (interlacing). So σ_min(A) is σ_min(L₂₂) to a
    /// relative w/2 or less; <see cref="SplitBound"/> bounds w from above, and the split is accepted when the bound
    /// (<paramref name="w"/>, returned) is at most 2⁻⁶³ — or 2⁻³⁰ for a float32 result (<paramref name="single"/>),
    /// where it is far below the elimination's own error.</para>
    /// <para>The rounding is that of the kernel's own path: the QR is the one the Jacobi kernel starts from (stopped
    /// earlier: the steps left out are orthogonal transforms of A₂₂), and each reflector of the LQ changes each row of
    /// M by a backward error relative to that row (row-wise backward stable), the same kind the Jacobi sweeps on Rᵀ
    /// make. What it saves: for a rank-k matrix the Jacobi kernel rotated n − k columns of rounding noise against each
    /// other (n²/2 pairs, ~10 sweeps: σ_min of a rank-2 200×200 matrix took 18 ms, NumPy 3), where L₂₂'s smallest
    /// singular value can go to the certified bidiagonal route (<see cref="SigmaMinRefine"/>).</para>
    /// Returns k ≥ 1 with L₁₁, L₂₁ and L₂₂ in <paramref name="a"/> (leading dimension m; L₂₂ at a + k + k·m); 0 when
    /// no step triggered: the QR ran to the end and <paramref name="s"/> holds the singular values, the bits of
    /// <see cref="SingularValues"/>; −1 when the split was not accepted, −2 when no step up to
    /// <paramref name="maxK"/> triggered (<paramref name="a"/> destroyed in both).
    /// <paramref name="a"/>, <paramref name="work"/> as for <see cref="SingularValues"/> (n ≥ 3).</summary>
    public static int SplitForMin(double* a, int m, int n, double* s, double* work, bool single, out double w, int maxK = int.MaxValue)
    {
        w = 0;
        double* x = work;                 // n×n
        double* tmp = x + (long)n * n;    // m
        double* key = tmp + m;            // m
        double* cn = key + m;             // 3n
        SortRows(a, m, n, tmp, key);
        int k = QrColumnPivoted(a, m, n, cn, single ? SplitTriggerSingle : SplitTrigger, maxK);
        if (k < 0) return -2;
        if (k == n)
        {
            for (int j = 0; j < n; j++)
            {
                double* xj = x + (long)j * n;
                for (int i = 0; i < j; i++) xj[i] = 0;
                for (int i = j; i < n; i++) xj[i] = a[j + (long)i * m];
            }
            Jacobi(x, n, n, cn);
            for (int j = 0; j < n; j++) s[j] = Norm(x + (long)j * n, n);
            return 0;
        }
        // M: the QR's reflectors below the diagonal of the first k columns are not part of it
        for (int j = 0; j < k; j++)
            for (int i = j + 1; i < m; i++) a[i + (long)j * m] = 0;
        LqRows(a, m, n, k, tmp);
        w = SplitBound(a, m, n, k, x);
        return w <= SplitAccept(single) ? k : -1;
    }

    /// <summary>LQ of the first k rows of the column-major m×n <paramref name="a"/> by Householder reflectors from the
    /// right, each applied to every row below it as well; row j's reflector vector is stored right of its diagonal.
    /// <paramref name="w"/>: m doubles.</summary>
    private static void LqRows(double* a, int m, int n, int k, double* w)
    {
        for (int j = 0; j < k; j++)
        {
            double* rj = a + j + (long)j * m;        // row j from its diagonal on, stride m
            double alpha = rj[0];
            double ss = 0, mx = 0;
            for (int c = 1; c < n - j; c++) mx = Math.Max(mx, Math.Abs(rj[(long)c * m]));
            if (mx == 0) continue;
            for (int c = 1; c < n - j; c++) { double t = rj[(long)c * m] / mx; ss += t * t; }
            double xnorm = mx * Math.Sqrt(ss);
            double beta = -Math.CopySign(HypotAny(alpha, xnorm), alpha);
            double v0 = alpha - beta;
            double tau = (beta - alpha) / beta;
            for (int c = 1; c < n - j; c++) rj[(long)c * m] /= v0;
            rj[0] = beta;
            int rows = m - j - 1;
            if (rows == 0) continue;
            // w = (rows below)·v, v = [1, rj[m], rj[2m], …]; then rows −= τ·w·vᵀ
            double* below = a + j + 1 + (long)j * m;
            new Span<double>(w, rows).Clear();
            Blas1.Axpy(1, below, w, rows);
            for (int c = 1; c < n - j; c++)
            {
                double v = rj[(long)c * m];
                if (v != 0) Blas1.Axpy(v, below + (long)c * m, w, rows);
            }
            Blas1.Axpy(-tau, w, below, rows);
            for (int c = 1; c < n - j; c++)
            {
                double v = rj[(long)c * m];
                if (v != 0) Blas1.Axpy(-tau * v, w, below + (long)c * m, rows);
            }
        }
    }

    /// <summary>The split's bound of <see cref="SplitForMin"/>: 2‖L₂₁‖²_F/(4s² − ‖L₂₂‖²_F) ≥ 2w with s = 1/(2‖L₁₁⁻¹‖_F)
    /// ≤ σ_k(L₁₁)/2 (a factor 2 for the rounding of the triangular inverse, by forward substitution), ‖L₂₂‖_F ≥ σ_min(L₂₂)
    /// (and a factor 2 for the norms' few ulps); +∞ when ‖L₂₂‖_F &gt; s. <paramref name="x"/>: k doubles.</summary>
    private static double SplitBound(double* a, int m, int n, int k, double* x)
    {
        double inv2 = 0;
        for (int c = 0; c < k; c++)
        {
            // column c of L₁₁⁻¹, x[c..k), by forward substitution in column order: each finished x[j] leaves L's column j
            // below the diagonal (contiguous, vector lanes) times x[j] in the rest (the row-order form read L along its
            // rows, m apart, one scalar at a time: 11 % of σ_min of an exactly singular 200×200; the same error bound,
            // Higham, Accuracy and Stability, §8.1)
            new Span<double>(x + c, k - c).Clear();
            x[c] = 1;
            for (int j = c; j < k; j++)
            {
                double xj = x[j] / a[j + (long)j * m];
                x[j] = xj;
                inv2 += xj * xj;
                if (xj != 0 && j + 1 < k) Blas1.Axpy(-xj, a + j + 1 + (long)j * m, x + j + 1, k - j - 1);
            }
        }
        double l21 = 0, l22 = 0;
        for (int j = 0; j < k; j++) l21 = HypotAny(l21, ColumnNorm(a + k + (long)j * m, m - k));
        for (int j = k; j < n; j++) l22 = HypotAny(l22, ColumnNorm(a + k + (long)j * m, m - k));
        return SplitBoundOf(inv2, l21, l22);
    }

    /// <summary>σ_max and σ_min of [[a, b], [c, d]] (entries of moderate size): {σ₁ + σ₂, σ₁ − σ₂}
    /// = {hypot(a + d, c − b), hypot(a − d, b + c)}, so σ_max is their mean; σ_min = |ad − bc| / σ_max with Kahan's FMA determinant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TwoByTwo(double a, double b, double c, double d, out double smax, out double smin)
    {
        smax = TwoByTwoMax(a, b, c, d);
        double w = b * c;
        double e = Math.FusedMultiplyAdd(-b, c, w);
        double f = Math.FusedMultiplyAdd(a, d, -w);
        double det = f + e;
        smin = smax == 0 ? 0 : Math.Abs(det) / smax;
    }

    /// <summary>ad − bc of [[a, b], [c, d]] for finite entries of any range, returned as <c>det·2^-E</c> with
    /// <paramref name="e"/> = E: each product's factors are brought by exact powers of two to a common scale
    /// (a to [1, 2), d so that a·d is ad·2^-E; likewise b and c, E the larger product exponent), then Kahan's FMA
    /// determinant. Where nothing underflows this is the determinant of the matrix scaled by any power of two, bit for
    /// bit up to the power; a term that does underflow is below 2⁻¹⁰²⁰ of the other and cannot change the rounding of
    /// a difference it is that far beneath. Scaling the whole matrix first (what <see cref="TwoByTwo"/>'s callers do
    /// against overflow) loses entries more than 2¹⁰⁷⁴ below the largest: σ_min of diag(1e200, 1e-200) came out 0.</summary>
    public static double Det2(double a, double b, double c, double d, out int e)
    {
        bool ad = a != 0 && d != 0, bc = b != 0 && c != 0;
        e = 0;
        if (!ad && !bc) return 0;
        int ea = ad ? Math.ILogB(a) : 0, eb = bc ? Math.ILogB(b) : 0;
        int pad = ad ? ea + Math.ILogB(d) : int.MinValue, pbc = bc ? eb + Math.ILogB(c) : int.MinValue;
        e = Math.Max(pad, pbc);
        double a1 = ad ? Math.ScaleB(a, -ea) : 0, d1 = ad ? Math.ScaleB(d, ea - e) : 0;
        double b1 = bc ? Math.ScaleB(b, -eb) : 0, c1 = bc ? Math.ScaleB(c, eb - e) : 0;
        double w = b1 * c1;
        double err = Math.FusedMultiplyAdd(-b1, c1, w);
        double f = Math.FusedMultiplyAdd(a1, d1, -w);
        return f + err;
    }

    /// <summary>σ_max of [[a, b], [c, d]] (entries of moderate size): the mean of hypot(a + d, c − b) and
    /// hypot(a − d, b + c), which are σ₁ + σ₂ and σ₁ − σ₂ in some order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double TwoByTwoMax(double a, double b, double c, double d)
        => 0.5 * (Hypot(a + d, c - b) + Hypot(a - d, b + c));

    /// <summary>σ₁ + σ₂ of [[a, b], [c, d]]: hypot(a + d, c − b)² = ‖A‖²_F + 2·det and
    /// hypot(a − d, b + c)² = ‖A‖²_F − 2·det, so the larger of the two is σ₁ + σ₂.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double TwoByTwoNuclear(double a, double b, double c, double d)
        => Math.Max(Hypot(a + d, c - b), Hypot(a - d, b + c));

    /// <summary>√(x² + y²) to about half an ulp for |x|, |y| within [2⁻⁴⁰⁰, 2⁴⁰⁰] (or zero):
    /// the sum of squares is formed as a double-double and the root corrected once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Hypot(double x, double y)
    {
        double p = x * x, pe = Math.FusedMultiplyAdd(x, x, -p);
        double q = y * y, qe = Math.FusedMultiplyAdd(y, y, -q);
        double s = p + q;
        double bb = s - p;
        double se = (p - (s - bb)) + (q - bb);
        double low = pe + qe + se;
        if (s == 0) return 0;
        double r = Math.Sqrt(s);
        return r + (Math.FusedMultiplyAdd(-r, r, s) + low) / (2 * r);
    }

    /// <summary>Hypot for any finite or infinite magnitudes (scales by a power of two when needed).</summary>
    public static double HypotAny(double x, double y)
    {
        x = Math.Abs(x); y = Math.Abs(y);
        if (double.IsInfinity(x) || double.IsInfinity(y)) return double.PositiveInfinity;
        if (double.IsNaN(x) || double.IsNaN(y)) return double.NaN;
        double mx = Math.Max(x, y);
        if (mx == 0) return 0;
        int e = Math.ILogB(mx);
        if (e > -400 && e < 400) return Hypot(x, y);
        double r = Hypot(Math.ScaleB(x, -e), Math.ScaleB(y, -e));
        return Math.ScaleB(r, e);
    }

    /// <summary>Euclidean norm of n contiguous doubles, safe from overflow and underflow.</summary>
    public static double Norm(double* v, int n)
    {
        double mx = 0;
        for (int i = 0; i < n; i++) mx = Math.Max(mx, Math.Abs(v[i]));
        if (mx == 0 || !double.IsFinite(mx)) return mx;
        // no scaling needed while every square and the sum stay far from both ends of the range
        bool safe = mx >= 1e-135 && mx <= 1e135 && n < (1 << 20);
        int e = safe ? 0 : Math.ILogB(mx);
        // a subnormal largest entry needs a factor beyond 2¹⁰²³ (inf): scale in two steps then
        bool wide = e < -1000;
        double f = safe ? 1.0 : Math.ScaleB(1.0, wide ? -(e + 600) : -e);
        double f2 = wide ? Math.ScaleB(1.0, 600) : 1.0;
        double hi = 0, lo = 0;
        for (int i = 0; i < n; i++)
        {
            double t = v[i] * f * f2;
            double p = t * t, pe = Math.FusedMultiplyAdd(t, t, -p);
            double s = hi + p, bb = s - hi;
            lo += (hi - (s - bb)) + (p - bb) + pe;
            hi = s;
        }
        double h = hi + lo, l = lo - (h - hi);
        double r = Math.Sqrt(h);
        r += (Math.FusedMultiplyAdd(-r, r, h) + l) / (2 * r);
        return safe ? r : Math.ScaleB(r, e);
    }

    /// <summary>Permutes the rows into decreasing order of their largest |entry| (stable), which
    /// makes the following Householder QR row-wise backward stable (Cox &amp; Higham 1998), the
    /// condition for relative accuracy on row-graded matrices.</summary>
    private static void SortRows(double* a, int m, int n, double* tmp, double* key)
    {
        for (int i = 0; i < m; i++) key[i] = 0;
        for (int j = 0; j < n; j++)
        {
            double* aj = a + (long)j * m;
            for (int i = 0; i < m; i++) key[i] = Math.Max(key[i], Math.Abs(aj[i]));
        }
        if (Sorted(key, m)) return;
        int[]? heap = m > 256 ? new int[m] : null;
        Span<int> perm = heap ?? stackalloc int[m];
        RowOrder(key, m, perm);
        for (int j = 0; j < n; j++)
        {
            double* aj = a + (long)j * m;
            for (int i = 0; i < m; i++) tmp[i] = aj[perm[i]];
            for (int i = 0; i < m; i++) aj[i] = tmp[i];
        }
    }

    /// <summary>Whether the m keys are already in decreasing order (then no row moves; checked before any permutation
    /// is allocated).</summary>
    internal static bool Sorted(double* key, int m)
    {
        for (int i = 1; i < m; i++) if (!(key[i - 1] >= key[i])) return false;
        return true;
    }

    /// <summary>The stable order of the m rows by decreasing <paramref name="key"/> into <paramref name="perm"/>.
    /// Shared with <see cref="ComplexSplit"/>'s row sort.</summary>
    internal static void RowOrder(double* key, int m, Span<int> perm)
    {
        for (int i = 0; i < m; i++) perm[i] = i;
        if (m <= 64)
        {
            // insertion sort: stable, no allocation (small matrices are the batched case)
            for (int i = 1; i < m; i++)
            {
                int v = perm[i];
                int j = i - 1;
                while (j >= 0 && key[perm[j]] < key[v]) { perm[j + 1] = perm[j]; j--; }
                perm[j + 1] = v;
            }
        }
        else
        {
            var keys = new double[m];
            for (int i = 0; i < m; i++) keys[i] = -key[i];
            var idx = perm.ToArray();
            Array.Sort(keys, idx); // ties: Array.Sort is unstable, so order equal keys by index below
            for (int i = 0; i < m;)
            {
                int e = i + 1;
                while (e < m && keys[e] == keys[i]) e++;
                Array.Sort(idx, i, e - i);
                i = e;
            }
            idx.CopyTo(perm);
        }
    }

    /// <summary>In-place Householder QR with column pivoting (largest remaining column norm
    /// first). On return the upper triangle of the leading n×n block holds R.</summary>
    private static int QrColumnPivoted(double* a, int m, int n, double* cn, double split = 0, int maxK = int.MaxValue)
    {
        // cn[j]: current norm of the trailing part of column j; cn[n + j]: its value when last
        // computed from scratch (LAPACK dlaqp2's downdating with a cancellation guard).
        double* cn0 = cn + n;
        for (int j = 0; j < n; j++) cn[j] = cn0[j] = ColumnNorm(a + (long)j * m, m);
        double guard = Math.Sqrt(2 * Eps);
        for (int k = 0; k < n; k++)
        {
            int piv = k;
            for (int j = k + 1; j < n; j++) if (cn[j] > cn[piv]) piv = j;
            // σ_min's split (SplitForMin): every remaining column (its norm kept up to date as LAPACK's dlaqp2 does)
            // is 2⁴⁰ below the last pivot; the split is checked exactly afterwards, so this is a trigger only
            if (k >= 1 && cn[piv] * Math.Sqrt(n - k) <= split * Math.Abs(a[k - 1 + (long)(k - 1) * m]))
                return k;
            if (k == maxK) return -1; // no split within maxK steps: abandoned
            if (piv != k)
            {
                double* c1 = a + (long)k * m, c2 = a + (long)piv * m;
                for (int i = 0; i < m; i++) (c1[i], c2[i]) = (c2[i], c1[i]);
                cn[piv] = cn[k]; cn0[piv] = cn0[k];
            }
            double* col = a + (long)k * m + k;
            int len = m - k;
            if (len <= 1) return n; // k = m − 1 = n − 1: nothing below the diagonal
            double alpha = col[0];
            double xnorm = ColumnNorm(col + 1, len - 1);
            if (xnorm != 0)
            {
                double beta = -Math.CopySign(HypotAny(alpha, xnorm), alpha);
                double v0 = alpha - beta;
                double tau = (beta - alpha) / beta;
                // |col[i]| ≤ xnorm ≤ |v0|, so the quotients are at most 1; 1/v0 itself overflows when v0 is
                // subnormal below 2⁻¹⁰²⁴ (a column of tiny entries after the matrix was scaled to max 1).
                double inv = 1.0 / v0;
                if (double.IsFinite(inv)) for (int i = 1; i < len; i++) col[i] *= inv;
                else for (int i = 1; i < len; i++) col[i] /= v0;
                col[0] = beta;
                // apply H = I − τ v vᵀ (v = [1, col[1..]]) to the trailing columns
                for (int j = k + 1; j < n; j++)
                {
                    double* cj = a + (long)j * m + k;
                    double w = cj[0] + Blas1.Dot(col + 1, cj + 1, len - 1);
                    if (w == 0) continue;
                    double tw = tau * w;
                    cj[0] -= tw;
                    Blas1.Axpy(-tw, col + 1, cj + 1, len - 1);
                }
            }
            for (int j = k + 1; j < n; j++)
            {
                if (cn[j] == 0) continue;
                double r = Math.Abs(a[k + (long)j * m]) / cn[j];
                double t = Math.Max(0, (1 - r) * (1 + r));
                double ratio = cn[j] / cn0[j];
                if (t * ratio * ratio <= guard)
                    cn[j] = cn0[j] = ColumnNorm(a + (long)j * m + k + 1, m - k - 1);
                else cn[j] *= Math.Sqrt(t);
            }
        }
        return n;
    }

    /// <summary>2-norm for pivoting: a SIMD dot when it neither underflows nor overflows, else <see cref="Norm"/>.</summary>
    internal static double ColumnNorm(double* v, int n)
    {
        double d = Blas1.Dot(v, v, n);
        return d > 1e-290 && d < 1e290 ? Math.Sqrt(d) : ScaledNorm(v, n);
    }

    /// <summary>‖v‖₂ to a few ulps at any scale: the squares of v·2⁻ᵉ (largest |entry| in [1, 2), an exact scaling
    /// — two factors for a subnormal largest entry) summed as <see cref="Blas1.Dot"/> does, times 2ᵉ. For pivots and
    /// rotation tests, where <see cref="Norm"/>'s double-double sum of scalars cost most of the time on matrices whose
    /// QR leaves tiny columns (σ_min of ones(50, 50) complex: 30 % of the samples).</summary>
    private static double ScaledNorm(double* v, int n)
    {
        double mx = MaxAbs(v, n);
        if (mx == 0 || !double.IsFinite(mx)) return mx;
        int e = Math.ILogB(mx);
        int k1 = Math.Clamp(-e, -1023, 1023);
        double f1 = Math.ScaleB(1.0, k1), f2 = Math.ScaleB(1.0, -e - k1);
        int i = 0;
        double s = 0;
        if (n >= 4)
        {
            var acc = Vector256<double>.Zero;
            var v1 = Vector256.Create(f1); var v2 = Vector256.Create(f2);
            for (; i <= n - 4; i += 4)
            {
                var t = Vector256.Load(v + i) * v1 * v2;
                acc = Vector256.FusedMultiplyAdd(t, t, acc);
            }
            s = Vector256.Sum(acc);
        }
        for (; i < n; i++) { double t = v[i] * f1 * f2; s = Math.FusedMultiplyAdd(t, t, s); }
        return Math.ScaleB(Math.Sqrt(s), e);
    }

    /// <summary>One-sided Jacobi: rotates column pairs of the m×n column-major <paramref name="x"/>
    /// until all are mutually orthogonal to m·2⁻⁵³ (relative), row-cyclic order. A pair whose squared norms lie
    /// below <see cref="TinySquare"/> is measured scaled by a power of two (<see cref="ScaledPair"/>).
    /// <paramref name="sq"/> holds 2n doubles: the squared column norms, then tiny columns' largest |entries|.</summary>
    private static void Jacobi(double* x, int m, int n, double* sq)
    {
        double tol = Math.Max(m, 2) * Eps, tol2 = tol * tol;
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            // squared column norms, fresh each sweep and updated by the rotation formulas inside
            // it (recomputed when an update cancels, as in LAPACK dgesvj)
            for (int j = 0; j < n; j++) { double* xj = x + (long)j * m; sq[j] = Blas1.Dot(xj, xj, m); }
            // tiny columns' largest |entry|, to skip all-subnormal ones once per sweep (see ScaledPair)
            for (int j = 0; j < n; j++) sq[n + j] = sq[j] < TinySquare ? MaxAbs(x + (long)j * m, m) : double.PositiveInfinity;
            bool rotated = false;
            for (int p = 0; p < n - 1; p++)
            {
                double* xp = x + (long)p * m;
                for (int q = p + 1; q < n; q++)
                {
                    double alpha = sq[p], beta = sq[q], gamma;
                    double* xq = x + (long)q * m;
                    bool scaled = alpha < TinySquare || beta < TinySquare;
                    if (scaled)
                    {
                        // the columns' largest |entries|: kept for tiny columns (exact: updated after each rotation), found
                        // now for a column that became tiny inside this sweep
                        if (double.IsPositiveInfinity(sq[n + p])) sq[n + p] = MaxAbs(xp, m);
                        if (double.IsPositiveInfinity(sq[n + q])) sq[n + q] = MaxAbs(xq, m);
                        // the smaller of α, β may still underflow after the common scaling (columns 2⁵¹¹ apart), so
                        // the test takes the norms; (β − α) below then only loses a term far below the other's ulp
                        if (!ScaledPair(xp, xq, m, sq[n + p], sq[n + q], out alpha, out beta, out gamma, out double np, out double nq)
                            || !(Math.Abs(gamma) > tol * np * nq)) continue; // a zero column, or orthogonal
                    }
                    else
                    {
                        if (alpha == 0 || beta == 0) continue;
                        gamma = Blas1.Dot(xp, xq, m);
                        // |γ| > tol·√(αβ), squared while αβ is far from underflow and overflow (sqrt-free test)
                        double ab = alpha * beta;
                        if (ab > 1e-280 && ab < 1e280 ? !(gamma * gamma > tol2 * ab)
                                        : !(Math.Abs(gamma) > tol * Math.Sqrt(alpha) * Math.Sqrt(beta))) continue;
                    }
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.Abs(zeta) > 1e150
                        ? 0.5 / zeta
                        : Math.CopySign(1.0, zeta) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
                    // a scaled pair 2⁵¹¹+ apart can pass the test with ζ = ±∞: t = 0 changes nothing, and counting it
                    // as a rotation would repeat identity sweeps up to MaxSweeps
                    if (t == 0) continue;
                    // c = 1/r, s = t/r and 1 − c = t²/(r(r + 1)), kept separately so that the
                    // rotation stays orthogonal to O(u·|t|): rounding c to 1 when t² < u would
                    // scale both columns up by (1 + t²/2) each time, a bias that accumulates.
                    double r = Math.Sqrt(1 + t * t);
                    double ir = 1.0 / r;
                    double sn = t * ir;
                    double omc = t * t * ir / (r + 1);
                    // A pair of normal columns that passes the test moves by ~tol relative, which is representable. A
                    // scaled (tiny) pair's rotation, applied to the unscaled columns, can round to no change at all —
                    // columns of subnormal noise (the trailing part of R for an exactly singular matrix such as ones(100,100)):
                    // counting it would repeat the same sweep up to MaxSweeps (40 sweeps of scaled pairs, seconds).
                    // A sweep in which no column changed is a fixed point, so it ends the iteration.
                    if (scaled)
                    {
                        if (RotateChanged(xp, xq, m, omc, sn, out double mxp, out double mxq)) rotated = true;
                        sq[n + p] = mxp; sq[n + q] = mxq;
                    }
                    else
                    {
                        Rotate(xp, xq, m, omc, sn);
                        rotated = true;
                        sq[n + p] = sq[n + q] = double.PositiveInfinity; // largest entries unknown again
                    }
                    double na = alpha - t * gamma, nb = beta + t * gamma;
                    // (a scaled pair's α, β carry the scale: its squared norms again, unscaled)
                    sq[p] = !scaled && na >= 0.25 * alpha ? na : Blas1.Dot(xp, xp, m);
                    sq[q] = !scaled && nb >= 0.25 * beta ? nb : Blas1.Dot(xq, xq, m);
                }
            }
            if (!rotated) { LastSweeps = sweep + 1; return; }
        }
        LastSweeps = MaxSweeps;
    }

    /// <summary>Squared column norms below this (2⁻⁹⁰⁰) make <see cref="Jacobi"/> measure the pair scaled: unscaled,
    /// α, β and γ of columns below ~2⁻⁵³⁷ underflow (to 0: the pair was skipped; or to a few bits), and σ_min of
    /// [[1, .5, 0], [0, s, 0], [0, .3s, s]]-like gradings beyond 2⁷³⁷ of range came out 18 % off after the scaling of
    /// the largest entry to 2²⁰⁰. Above it nothing in the pair's sums comes near underflow.</summary>
    private const double TinySquare = 1.1830521861667747e-271; // 2⁻⁹⁰⁰

    /// <summary>The smallest normal double, 2⁻¹⁰²².</summary>
    private const double MinNormal = 2.2250738585072014e-308;

    /// <summary>α = ‖xp‖², β = ‖xq‖², γ = xp·xq and the norms of the two columns (largest |entries|
    /// <paramref name="mp"/>, <paramref name="mq"/>) scaled by the power of two that brings the larger to [1, 2) — exact,
    /// and every sum is then 2^(2k) times the unscaled one wherever that one did not underflow, so the rotation (which
    /// depends on ratios only) is the same. False when a column is zero or all its entries are subnormal: such a
    /// column is left as it is. Inputs reach the kernel scaled so that their entries are normal (σ_min: entries up to
    /// 2¹²²² below the largest at MinShift, WideShift beyond), so an all-subnormal column is the noise of an elimination
    /// (ones(n, n): every Householder step leaves identical trailing columns about u times smaller, down to subnormals),
    /// where a rotation only rounds: at n = 200 such pairs kept changing bits for all 40 sweeps (seconds per call). Its
    /// norm still bounds σ_min from above (σ_min ≤ ‖X·eⱼ‖), so a σ_min that small is returned within 2⁻¹⁰¹⁷ of the
    /// scaled matrix's largest entry (2²⁰⁰ or more) — absolutely, where it cannot be relatively.</summary>
    private static bool ScaledPair(double* xp, double* xq, int m, double mp, double mq, out double alpha, out double beta, out double gamma,
                                   out double np, out double nq)
    {
        alpha = beta = gamma = np = nq = 0;
        if (!(mp >= MinNormal && mq >= MinNormal)) return false; // a zero or all-subnormal column (below)
        // k ≥ 0 here (the pair is tiny), so the scaling goes up and is exact, subnormal inputs included; a factor
        // beyond 2¹⁰²³ is applied as two exact multiplications. The sums take the scaled entries as they are loaded
        // (Blas1.Dot's two-lane order), so nothing is copied.
        int k = -Math.ILogB(Math.Max(mp, mq));
        int k1 = Math.Min(k, 1023);
        double f1 = Math.ScaleB(1.0, k1), f2 = Math.ScaleB(1.0, k - k1);
        int i = 0;
        if (m >= 8)
        {
            var v1 = Vector256.Create(f1); var v2 = Vector256.Create(f2);
            var a0 = Vector256<double>.Zero; var a1 = a0; var b0 = a0; var b1 = a0; var g0 = a0; var g1 = a0;
            for (; i <= m - 8; i += 8)
            {
                var u0 = Vector256.Load(xp + i) * v1 * v2; var u1 = Vector256.Load(xp + i + 4) * v1 * v2;
                var w0 = Vector256.Load(xq + i) * v1 * v2; var w1 = Vector256.Load(xq + i + 4) * v1 * v2;
                a0 = Vector256.FusedMultiplyAdd(u0, u0, a0); a1 = Vector256.FusedMultiplyAdd(u1, u1, a1);
                b0 = Vector256.FusedMultiplyAdd(w0, w0, b0); b1 = Vector256.FusedMultiplyAdd(w1, w1, b1);
                g0 = Vector256.FusedMultiplyAdd(u0, w0, g0); g1 = Vector256.FusedMultiplyAdd(u1, w1, g1);
            }
            alpha = Vector256.Sum(a0 + a1); beta = Vector256.Sum(b0 + b1); gamma = Vector256.Sum(g0 + g1);
        }
        for (; i < m; i++)
        {
            double u = xp[i] * f1 * f2, w = xq[i] * f1 * f2;
            alpha = Math.FusedMultiplyAdd(u, u, alpha); beta = Math.FusedMultiplyAdd(w, w, beta);
            gamma = Math.FusedMultiplyAdd(u, w, gamma);
        }
        // the larger column now has its largest entry in [1, 2): its squared norm is far from underflow and √α is its
        // norm to a few ulps; the smaller one may still be tiny (columns 2⁵¹¹ apart), then ScaledNorm (exact ×2ᵏ: the
        // column's norm is at least its largest entry, a normal number)
        np = alpha >= TinySquare ? Math.Sqrt(alpha) : ScaledNorm(xp, m) * f1 * f2;
        nq = beta >= TinySquare ? Math.Sqrt(beta) : ScaledNorm(xq, m) * f1 * f2;
        return true;
    }

    /// <summary>max |vᵢ| over n doubles (0 for n = 0).</summary>
    private static double MaxAbs(double* v, int n)
    {
        int i = 0;
        double mx = 0;
        if (n >= 4)
        {
            var a = Vector256<double>.Zero;
            for (; i <= n - 4; i += 4) a = Vector256.Max(a, Vector256.Abs(Vector256.Load(v + i)));
            mx = Math.Max(Math.Max(a[0], a[1]), Math.Max(a[2], a[3]));
        }
        for (; i < n; i++) mx = Math.Max(mx, Math.Abs(v[i]));
        return mx;
    }

    /// <summary><see cref="Rotate"/>, whether any element changed (bitwise), and the columns' new largest |entries|.</summary>
    private static bool RotateChanged(double* x, double* y, int n, double omc, double s, out double mx, out double my)
    {
        int i = 0;
        var vo = Vector256.Create(omc); var vs = Vector256.Create(s);
        var diff = Vector256<double>.Zero; var ax = diff; var ay = diff;
        for (; i <= n - 4; i += 4)
        {
            var u = Vector256.Load(x + i); var w = Vector256.Load(y + i);
            var nu = u - Vector256.FusedMultiplyAdd(vo, u, vs * w);
            var nw = w - Vector256.FusedMultiplyAdd(vo, w, -(vs * u));
            diff |= (nu.AsUInt64() ^ u.AsUInt64()).AsDouble() | (nw.AsUInt64() ^ w.AsUInt64()).AsDouble();
            ax = Vector256.Max(ax, Vector256.Abs(nu)); ay = Vector256.Max(ay, Vector256.Abs(nw));
            nu.Store(x + i); nw.Store(y + i);
        }
        bool changed = diff.AsUInt64() != Vector256<ulong>.Zero;
        mx = Math.Max(Math.Max(ax[0], ax[1]), Math.Max(ax[2], ax[3]));
        my = Math.Max(Math.Max(ay[0], ay[1]), Math.Max(ay[2], ay[3]));
        for (; i < n; i++)
        {
            double u = x[i], w = y[i];
            double nu = u - Math.FusedMultiplyAdd(omc, u, s * w), nw = w - Math.FusedMultiplyAdd(omc, w, -(s * u));
            changed |= BitConverter.DoubleToInt64Bits(nu) != BitConverter.DoubleToInt64Bits(u)
                    || BitConverter.DoubleToInt64Bits(nw) != BitConverter.DoubleToInt64Bits(w);
            x[i] = nu; y[i] = nw;
            mx = Math.Max(mx, Math.Abs(nu)); my = Math.Max(my, Math.Abs(nw));
        }
        return changed;
    }

    /// <summary>[x, y] ← [c·x − s·y, s·x + c·y] with c = 1 − <paramref name="omc"/>, evaluated as
    /// x − (omc·x + s·y) and y − (omc·y − s·x).</summary>
    private static void Rotate(double* x, double* y, int n, double omc, double s)
    {
        int i = 0;
        var vo = Vector256.Create(omc); var vs = Vector256.Create(s);
        for (; i <= n - 4; i += 4)
        {
            var u = Vector256.Load(x + i); var w = Vector256.Load(y + i);
            (u - Vector256.FusedMultiplyAdd(vo, u, vs * w)).Store(x + i);
            (w - Vector256.FusedMultiplyAdd(vo, w, -(vs * u))).Store(y + i);
        }
        for (; i < n; i++)
        {
            double u = x[i], w = y[i];
            x[i] = u - Math.FusedMultiplyAdd(omc, u, s * w);
            y[i] = w - Math.FusedMultiplyAdd(omc, w, -(s * u));
        }
    }
}

/// <summary>Convenience entry for C# callers and tests: all singular values of a row-major
/// float64 matrix, in decreasing order, through the same scaling and kernel the norms use.</summary>
internal static unsafe class SingularValues
{
    /// <summary>σ₁ ≥ … ≥ σ_min(m,n) of the row-major m×n matrix <paramref name="a"/> (finite entries).</summary>
    public static double[] Of(ReadOnlySpan<double> a, int m, int n)
    {
        if (a.Length != (long)m * n) throw new ArgumentException("length is not m·n");
        bool tr = m < n;
        int rows = Math.Max(m, n), cols = Math.Min(m, n);
        var s = new double[cols];
        if (cols == 0) return s;
        var col = new double[rows * cols];
        double mx = 0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double v = a[i * n + j];
                if (!double.IsFinite(v)) throw new ArgumentException("non-finite entry");
                mx = Math.Max(mx, Math.Abs(v));
                if (!tr) col[i + j * rows] = v; else col[j + i * rows] = v;
            }
        if (mx == 0) return s;
        int e = Math.ILogB(mx);
        for (int i = 0; i < col.Length; i++) col[i] = Math.ScaleB(col[i], -e);
        var work = new double[SvdKernel.WorkSize(rows, cols)];
        fixed (double* pa = col, ps = s, pw = work)
        {
            if (cols == 1) ps[0] = SvdKernel.Norm(pa, rows);
            else SvdKernel.SingularValues(pa, rows, cols, ps, pw);
        }
        for (int i = 0; i < cols; i++) s[i] = Math.ScaleB(s[i], e);
        Array.Sort(s);
        Array.Reverse(s);
        return s;
    }
}
