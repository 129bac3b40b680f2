using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormManaged.Matrix;

/// <summary>Householder bidiagonalisation of a real m×n matrix (m ≥ n), values only: the same
/// reflectors as LAPACK dgebd2 (Golub &amp; Van Loan §5.4.8), organised for short vectors.
///
/// Layout: column-major with a leading dimension <c>lda</c> that is a multiple of 8, rows
/// m..lda−1 zero. Every vector operation then runs over whole blocks of 8 rows starting at a
/// multiple of 8, with the Householder vector held in a separate buffer that is zero outside
/// its rows: the extra products are exact zeros, so no scalar tails are needed, and each dot
/// product has a fixed lane structure (row i in lane i mod 8, lanes combined in a fixed order)
/// — results depend on the matrix only, not on memory alignment, threads or the SIMD width
/// (two 4-wide vectors are used, never a width chosen at run time).
///
/// Passes: the right reflector's rank-1 update of step k is applied column by column in the
/// same pass as step k + 1's left reflector (dot and update), so each step streams the trailing
/// matrix twice (that pass and w = B·v) instead of four times. Per element the operations and
/// their order are those of the unfused algorithm.</summary>
internal static unsafe class Bidiagonalize
{
    /// <summary>Doubles for the kept right reflectors of an n-column reduction: n τ values and
    /// (n − 1)(n − 2)/2 vector entries.</summary>
    public static long RightReflectorsSize(int n) => n + (long)(n - 1) * (n - 2) / 2;

    /// <summary>Offset of step k's packed right reflector vector (n − k − 2 entries) after the τ values.</summary>
    public static long RightReflectorOffset(int n, int k) => (long)k * (n - 2) - (long)k * (k - 1) / 2;

    /// <summary>Rows rounded up to the lane block.</summary>
    public static int LeadingDimension(int m) => (m + 7) & ~7;

    /// <summary>Doubles of scratch: d (n), e (n), u (lda), w (lda), row (n), the second part's
    /// w (lda), the next row (n); for the QR route (<see cref="QrFirst"/>) also a panel of <see cref="QrBlock"/>
    /// reflector vectors (lda each) and their τ.</summary>
    public static long WorkSize(int m, int n) => 4L * n + 3L * LeadingDimension(m)
        + (QrFirst(m, n) ? PanelCapacity(n) * (LeadingDimension(m) + 1L) : 0);

    /// <summary>Reflector vectors a QR panel of an n-column matrix can hold (a panel never has more
    /// columns than the matrix, so thin matrices do not allocate <see cref="MaxQrBlock"/> of them).</summary>
    private static int PanelCapacity(int n) => Math.Min(n, MaxQrBlock);

    /// <summary>Whether <see cref="Reduce(double*, int, int, double*, double*, int)"/> takes the QR route.</summary>
    internal static bool QrFirst(int m, int n) => n >= QrFrom && m >= (long)QrRatio * n / 4;

    /// <summary>Reduces <paramref name="a"/> (m ≥ n ≥ 1, leading dimension
    /// <see cref="LeadingDimension"/>(m), padding rows zero; destroyed): diagonal into
    /// work[0..n), superdiagonal into work[n..2n−1).</summary>
    public static void Reduce(double* a, int m, int n, double* work) => Reduce(a, m, n, work, null);

    /// <summary>As <see cref="Reduce(double*, int, int, double*)"/>; when
    /// <paramref name="rtau"/> is not null (<see cref="RightReflectorsSize"/> doubles) the right
    /// reflectors are kept: step k's τ in rtau[k] and its vector v (acting on columns k+1..n−1,
    /// v₀ = 1 implied) as v₁..v_{n−k−2} packed contiguously from rtau + n +
    /// <see cref="RightReflectorOffset"/>(n, k) (contiguous, not in row k of the matrix as LAPACK
    /// dgebrd keeps them: reading a row of the column-major matrix back is a cache miss per
    /// element). d and e are the same bits either way.</summary>
    public static void Reduce(double* a, int m, int n, double* work, double* rtau) => Reduce(a, m, n, work, rtau, 1);

    /// <summary>From this many columns on, each step's two passes over the trailing matrix are
    /// cut into two fixed parts by columns (the same columns in both passes, so each thread keeps
    /// its half of the matrix in its own cache), which <see cref="PartTeam"/> runs on up to two
    /// threads. The left pass computes every column whole in one part with the serial
    /// operations; w = B·v is summed per part in column order and the two partial sums are added
    /// (w₀ + w₁) by the caller. The cut depends on n only, never on the thread count, so d and e
    /// are the same bits for every thread count.</summary>
    internal static int SplitFrom { get => t_splitFrom != 0 ? t_splitFrom : 96; set => t_splitFrom = value; }

    // test settings, per calling thread so that tests running side by side never see each other's
    [ThreadStatic] private static int t_splitFrom, t_qrRatio, t_qrBlock;

    /// <summary>As <see cref="Reduce(double*, int, int, double*, double*)"/>, on up to
    /// <paramref name="threads"/> threads (two at most; the result does not depend on it).</summary>
    public static void Reduce(double* a, int m, int n, double* work, double* rtau, int threads)
    {
        if (QrFirst(m, n))
        {
            ReduceTall(a, m, n, work, rtau, threads);
            return;
        }
        var s = new Steps(a, m, n, work);
        int parts = n >= SplitFrom ? 2 : 1;
        PartTeam? team = parts == 2 && threads >= 2 ? PartTeam.Start(s, 2) : null;
        try { s.Run(rtau, parts, team); }
        finally { team?.Stop(); }
    }

    /// <summary>Matrices with at least <see cref="QrFrom"/> columns and m ≥ <see cref="QrRatio"/>/4 · n
    /// rows are first reduced to R by Householder QR (A = Q·R), and R is bidiagonalised (the R-SVD
    /// of Chan 1982; Golub &amp; Van Loan §8.6.3; LAPACK's gesdd does the same from m ≥ 11n/6): a QR
    /// step streams the trailing columns once (dot and update in one sweep per column pair), a
    /// bidiagonalisation step twice, and R's reduction costs O(n³) instead of O(m·n²). Both are
    /// backward stable, so the singular values keep the same error bound; the kept right
    /// reflectors are R's, which are A's (A = Q·Q_R·B·Pᵀ).
    /// <para>The QR is blocked by columns without changing its arithmetic: a panel of
    /// <see cref="QrBlock"/> columns is factored, its reflector vectors kept, and then every
    /// trailing column (two at a time) receives the panel's reflectors one after the other while
    /// it stays in L1, with the dots and updates of the unblocked algorithm in the same order — so
    /// each trailing column is read from memory once per panel instead of once per step, and the
    /// result is the same bits for any panel width, column cut or thread count.</para></summary>
    internal const int QrFrom = 5, MaxQrBlock = 32;

    /// <summary>4 × the least m/n of the QR route (7: m ≥ 1.75·n).</summary>
    internal static int QrRatio { get => t_qrRatio != 0 ? t_qrRatio : 7; set => t_qrRatio = value; }

    /// <summary>Panel width of the blocked QR, 1..<see cref="MaxQrBlock"/> (the result does not depend on it).</summary>
    internal static int QrBlock { get => t_qrBlock != 0 ? t_qrBlock : MaxQrBlock; set => t_qrBlock = Math.Clamp(value, 1, MaxQrBlock); }

    private static void ReduceTall(double* a, int m, int n, double* work, double* rtau, int threads)
    {
        int lda = LeadingDimension(m), ldn = LeadingDimension(n);
        int parts = n >= SplitFrom ? 2 : 1;
        var q = new Steps(a, m, n, work);
        PartTeam? team = parts == 2 && threads >= 2 ? PartTeam.Start(q, 2) : null;
        try { q.RunQr(parts, team); }
        finally { team?.Stop(); }
        // R (upper triangle) to leading dimension ldn ≤ lda in place: column j's destination
        // never reaches a source entry not yet read
        for (int j = 0; j < n; j++)
        {
            double* src = a + (long)j * lda, dst = a + (long)j * ldn;
            for (int i = 0; i <= j; i++) dst[i] = src[i];
            for (int i = j + 1; i < ldn; i++) dst[i] = 0;
        }
        Reduce(a, n, n, work, rtau, threads);
        // the caller reuses the buffer with rows m..lda−1 zero (rows above are rewritten)
        for (int j = 0; j < n; j++)
            new Span<double>(a + (long)j * lda + m, lda - m).Clear();
    }

    /// <summary>The reduction's state between steps, and its two passes cut into parts.</summary>
    private sealed class Steps : IPhaseParts
    {
        private readonly double* _a, _d, _e, _u, _w, _w1;
        // row: step k's right reflector v; next: row k + 1 as the left pass leaves it (written by
        // the part that owns each column, so the caller does not gather it across the other
        // core's cache one line per column)
        private double* _row, _next;
        private readonly int _m, _n, _lda;
        // step k, its left reflector τ, the pending right update (tr, rows from wb), lane block k0
        private int _k, _k0, _wb, _parts, _kEnd;
        private bool _qr;
        private double _tau, _tr;
        private bool _passB;

        public Steps(double* a, int m, int n, double* work)
        {
            _a = a; _m = m; _n = n; _lda = LeadingDimension(m);
            _d = work; _e = _d + n; _u = _e + n; _w = _u + _lda; _row = _w + _lda; _w1 = _row + n; _next = _w1 + _lda;
        }

        public void Run(double* rtau, int parts, PartTeam? team)
        {
            double* a = _a, d = _d, e = _e, u = _u;
            int m = _m, n = _n, lda = _lda;
            double* rvec = rtau == null ? null : rtau + n;
            _parts = parts;
            // pending right update of columns k+1.. from step k−1: c_j −= (tr·v_j)·w over [wb, lda)
            _tr = 0;
            _wb = 0;
            for (int k = 0; k < n; k++)
            {
                double* col = a + (long)k * lda;
                d[k] = Reflect(col + k, m - k, out double tau);
                if (k >= n - 1) break;
                int k0 = k & ~7;
                if (tau != 0)
                {
                    for (int i = k0; i < k; i++) u[i] = 0;
                    u[k] = 1;
                    for (int i = k + 1; i < lda; i++) u[i] = col[i];
                }
                _k = k; _k0 = k0; _tau = tau;
                // pass A: pending right update, left reflection (dot, update)
                _passB = false;
                int rl = n - k - 1;
                if (tau != 0 || _tr != 0)
                {
                    RunPhase(team);
                    double* t0 = _row;
                    _row = _next;
                    _next = t0;
                }
                else for (int t = 0; t < rl; t++) _row[t] = a[k + (long)(k + 1 + t) * lda];
                double* row = _row;
                // right reflector on row k (length rl): v = [1, row[1..]]
                e[k] = Reflect(row, rl, out double tr);
                _tr = tr;
                if (rtau != null)
                {
                    rtau[k] = tr;
                    for (int t = 1; t < rl; t++) rvec[t - 1] = row[t];
                    rvec += rl - 1;
                }
                if (tr == 0 || k + 1 >= m) { _tr = 0; continue; }
                // pass B: w = B·v over rows [k+1, m) of columns k+1..n−1, computed from the lane
                // block start wb (rows ≤ k then zeroed so the update leaves them untouched); column
                // k + 1 (the next left reflector's) is updated now, the rest in pass A
                int wb = (k + 1) & ~7;
                _wb = wb;
                row[0] = 1;
                _passB = true;
                RunPhase(team);
                double* w = _w;
                if (parts == 2) AddTo(w, _w1, wb, lda);
                for (int i = wb; i <= k; i++) w[i] = 0;
                Axpy1(a + (long)(k + 1) * lda, -tr, w, wb, lda);
            }
        }

        /// <summary>Householder QR of the m×n matrix: R in the upper triangle (rows 0..n−1); below
        /// it the reflector vectors (not used).</summary>
        public void RunQr(int parts, PartTeam? team)
        {
            double* a = _a;
            int m = _m, n = _n, lda = _lda, nb = QrBlock;
            double* v = _next + n, vtau = v + (long)PanelCapacity(n) * lda;
            _parts = parts;
            _passB = false;
            _qr = true;
            for (int p0 = 0; p0 < n; p0 += nb)
            {
                int p1 = Math.Min(n, p0 + nb);
                for (int k = p0; k < p1; k++)
                {
                    double* col = a + (long)k * lda;
                    Reflect(col + k, m - k, out double tau);
                    vtau[k - p0] = tau;
                    if (tau == 0) continue;
                    double* u = v + (long)(k - p0) * lda;
                    int k0 = k & ~7;
                    for (int i = k0; i < k; i++) u[i] = 0;
                    u[k] = 1;
                    for (int i = k + 1; i < lda; i++) u[i] = col[i];
                    // the rest of the panel, two columns per sweep (as every trailing column below; Dot2 and
                    // Axpy2 give each column the bits of Dot1 and Axpy1)
                    int j = k + 1;
                    for (; j + 1 < p1; j += 2)
                    {
                        double* c0 = a + (long)j * lda, c1 = c0 + lda;
                        Dot2(u, c0, c1, k0, lda, out double s0, out double s1);
                        Axpy2(c0, c1, -tau * s0, -tau * s1, u, k0, lda);
                    }
                    if (j < p1)
                    {
                        double* c = a + (long)j * lda;
                        Axpy1(c, -tau * Dot1(u, c, k0, lda), u, k0, lda);
                    }
                }
                if (p1 >= n) break;
                _k = p0; _kEnd = p1;
                RunPhase(team);
            }
        }

        /// <summary>Trailing columns [j, end) receive the panel [k, kEnd)'s reflectors in order.</summary>
        private void QrApply(int j, int end)
        {
            int k = _k, kEnd = _kEnd, lda = _lda;
            double* a = _a, v = _next + _n, vtau = v + (long)PanelCapacity(_n) * lda;
            for (; j + 1 < end; j += 2)
            {
                double* c0 = a + (long)j * lda, c1 = c0 + lda;
                for (int i = k; i < kEnd; i++)
                {
                    double tau = vtau[i - k];
                    if (tau == 0) continue;
                    double* u = v + (long)(i - k) * lda;
                    int k0 = i & ~7;
                    Dot2(u, c0, c1, k0, lda, out double s0, out double s1);
                    Axpy2(c0, c1, -tau * s0, -tau * s1, u, k0, lda);
                }
            }
            if (j < end)
            {
                double* c0 = a + (long)j * lda;
                for (int i = k; i < kEnd; i++)
                {
                    double tau = vtau[i - k];
                    if (tau == 0) continue;
                    double* u = v + (long)(i - k) * lda;
                    int k0 = i & ~7;
                    Axpy1(c0, -tau * Dot1(u, c0, k0, lda), u, k0, lda);
                }
            }
        }

        private void RunPhase(PartTeam? team)
        {
            if (team != null) team.Run(_parts);
            else for (int p = 0; p < _parts; p++) Part(p);
        }

        public void Part(int index)
        {
            int k = _k, n = _n, lda = _lda;
            if (_qr)
            {
                // QR: trailing columns [kEnd, n), cut so that the first part has an even count
                int from = _kEnd, to = n;
                if (_parts == 2)
                {
                    int half = _kEnd + (n - _kEnd) / 4 * 2;
                    if (index == 0) to = half; else from = half;
                }
                QrApply(from, to);
                return;
            }
            // columns [k+1, n), cut so that the first part has an even count
            int j = k + 1, end = n;
            if (_parts == 2)
            {
                int mid = k + 1 + (n - k - 1) / 4 * 2;
                if (index == 0) end = mid; else j = mid;
            }
            if (_passB)
                MatVec(_a + (long)j * _lda, lda, _row + (j - k - 1), end - j, index == 0 ? _w : _w1, _wb, lda);
            else PassA(j, end);
        }

        /// <summary>Columns [j, end) of step k: the pending right update of step k − 1 and the
        /// left reflection (dot, update).</summary>
        private void PassA(int j, int end)
        {
            int k = _k, k0 = _k0, wb = _wb, lda = _lda;
            double tau = _tau, tr = _tr;
            double* a = _a, u = _u, w = _w, row = _row, next = _next - (k + 1);
            for (; j + 1 < end; j += 2)
            {
                double* c0 = a + (long)j * lda, c1 = c0 + lda;
                // row[] still holds step k−1's v: column j's entry is row[j − k]; the pending
                // update and the dot share one sweep (wb = k0: w starts at this step's block)
                if (tau != 0)
                {
                    double s0, s1;
                    if (tr != 0) UpdateDot2(c0, c1, -tr * row[j - k], -tr * row[j - k + 1], w, u, k0, lda, out s0, out s1);
                    else Dot2(u, c0, c1, k0, lda, out s0, out s1);
                    Axpy2(c0, c1, -tau * s0, -tau * s1, u, k0, lda);
                }
                else if (tr != 0) Axpy2(c0, c1, -tr * row[j - k], -tr * row[j - k + 1], w, wb, lda);
                next[j] = c0[k]; next[j + 1] = c1[k];
            }
            if (j < end)
            {
                double* c0 = a + (long)j * lda;
                if (tr != 0) Axpy1(c0, -tr * row[j - k], w, wb, lda);
                if (tau != 0)
                {
                    double s0 = Dot1(u, c0, k0, lda);
                    Axpy1(c0, -tau * s0, u, k0, lda);
                }
                next[j] = c0[k];
            }
        }
    }

    /// <summary>Householder reflector for x (length n, stride 1): x[0] ← β, x[1..] ← v
    /// (v₀ = 1 implied); returns β, τ = 0 when no reflection is needed.</summary>
    private static double Reflect(double* x, int n, out double tau)
    {
        tau = 0;
        if (n <= 1) return x[0];
        double alpha = x[0];
        double xnorm = Norm(x + 1, n - 1);
        if (xnorm == 0) return alpha;
        double beta = -Math.CopySign(SvdKernel.HypotAny(alpha, xnorm), alpha);
        tau = (beta - alpha) / beta;
        double v0 = alpha - beta, inv = 1.0 / v0;
        // |x[i]| ≤ xnorm ≤ |v0|; 1/v0 overflows when v0 is subnormal below 2⁻¹⁰²⁴ (tiny entries of a
        // matrix scaled to max 1), then divide
        if (double.IsFinite(inv)) for (int i = 1; i < n; i++) x[i] *= inv;
        else for (int i = 1; i < n; i++) x[i] /= v0;
        x[0] = beta;
        return beta;
    }

    /// <summary>‖x‖₂ as accurately as <see cref="SvdKernel.Norm"/> (squares and sum in
    /// double-double, root corrected once), vectorised: four lanes of TwoProd/TwoSum combined in a
    /// fixed order. A plain SIMD dot first checks that no square or the sum can overflow or
    /// underflow; otherwise the scaled scalar routine runs.</summary>
    private static double Norm(double* x, int n)
    {
        double ss = Blas1.Dot(x, x, n);
        if (!(ss > 1e-290 && ss < 1e290)) return SvdKernel.Norm(x, n);
        var h = Vector256<double>.Zero; var l = h;
        int i = 0;
        for (; i <= n - 4; i += 4)
        {
            var v = Vector256.Load(x + i);
            var p = v * v;
            var pe = Vector256.FusedMultiplyAdd(v, v, -p);
            var sm = h + p;
            var bb = sm - h;
            var err = (h - (sm - bb)) + (p - bb);
            h = sm;
            l += err + pe;
        }
        double hi = 0, lo = 0;
        for (int k = 0; k < 4; k++) Kernels.DD.Add(ref hi, ref lo, h.GetElement(k), l.GetElement(k));
        for (; i < n; i++)
        {
            double t = x[i], p = t * t;
            Kernels.DD.Add(ref hi, ref lo, p, Math.FusedMultiplyAdd(t, t, -p));
        }
        double hh = hi + lo, ll = lo - (hh - hi);
        double r = Math.Sqrt(hh);
        return r + (Math.FusedMultiplyAdd(-r, r, hh) + ll) / (2 * r);
    }

    /// <summary>Sum of the 8 lanes (rows ≡ 0..7 mod 8) in a fixed order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Lanes(Vector256<double> lo, Vector256<double> hi)
    {
        var h = lo + hi;
        return (h.GetElement(0) + h.GetElement(2)) + (h.GetElement(1) + h.GetElement(3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Dot1(double* u, double* c, int from, int to)
    {
        var a0 = Vector256<double>.Zero; var a1 = a0;
        for (int i = from; i < to; i += 8)
        {
            a0 = Vector256.FusedMultiplyAdd(Vector256.Load(u + i), Vector256.Load(c + i), a0);
            a1 = Vector256.FusedMultiplyAdd(Vector256.Load(u + i + 4), Vector256.Load(c + i + 4), a1);
        }
        return Lanes(a0, a1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot2(double* u, double* c0, double* c1, int from, int to, out double s0, out double s1)
    {
        var a0 = Vector256<double>.Zero; var a1 = a0; var b0 = a0; var b1 = a0;
        for (int i = from; i < to; i += 8)
        {
            var u0 = Vector256.Load(u + i); var u1 = Vector256.Load(u + i + 4);
            a0 = Vector256.FusedMultiplyAdd(u0, Vector256.Load(c0 + i), a0);
            a1 = Vector256.FusedMultiplyAdd(u1, Vector256.Load(c0 + i + 4), a1);
            b0 = Vector256.FusedMultiplyAdd(u0, Vector256.Load(c1 + i), b0);
            b1 = Vector256.FusedMultiplyAdd(u1, Vector256.Load(c1 + i + 4), b1);
        }
        s0 = Lanes(a0, a1);
        s1 = Lanes(b0, b1);
    }

    /// <summary>c₀ += f₀·w, c₁ += f₁·w (stored), then the dots of u with the updated columns —
    /// the same operations as <see cref="Axpy2"/> followed by <see cref="Dot2"/>, in one sweep.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateDot2(double* c0, double* c1, double f0, double f1, double* w, double* u, int from, int to, out double s0, out double s1)
    {
        var v0 = Vector256.Create(f0); var v1 = Vector256.Create(f1);
        var a0 = Vector256<double>.Zero; var a1 = a0; var b0 = a0; var b1 = a0;
        for (int i = from; i < to; i += 8)
        {
            var w0 = Vector256.Load(w + i); var w1 = Vector256.Load(w + i + 4);
            var u0 = Vector256.Load(u + i); var u1 = Vector256.Load(u + i + 4);
            var x00 = Vector256.FusedMultiplyAdd(v0, w0, Vector256.Load(c0 + i));
            var x01 = Vector256.FusedMultiplyAdd(v0, w1, Vector256.Load(c0 + i + 4));
            var x10 = Vector256.FusedMultiplyAdd(v1, w0, Vector256.Load(c1 + i));
            var x11 = Vector256.FusedMultiplyAdd(v1, w1, Vector256.Load(c1 + i + 4));
            x00.Store(c0 + i); x01.Store(c0 + i + 4); x10.Store(c1 + i); x11.Store(c1 + i + 4);
            a0 = Vector256.FusedMultiplyAdd(u0, x00, a0);
            a1 = Vector256.FusedMultiplyAdd(u1, x01, a1);
            b0 = Vector256.FusedMultiplyAdd(u0, x10, b0);
            b1 = Vector256.FusedMultiplyAdd(u1, x11, b1);
        }
        s0 = Lanes(a0, a1);
        s1 = Lanes(b0, b1);
    }

    /// <summary>c += f·x over [from, to) (elementwise, FMA).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy1(double* c, double f, double* x, int from, int to)
    {
        var vf = Vector256.Create(f);
        for (int i = from; i < to; i += 8)
        {
            Vector256.FusedMultiplyAdd(vf, Vector256.Load(x + i), Vector256.Load(c + i)).Store(c + i);
            Vector256.FusedMultiplyAdd(vf, Vector256.Load(x + i + 4), Vector256.Load(c + i + 4)).Store(c + i + 4);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy2(double* c0, double* c1, double f0, double f1, double* x, int from, int to)
    {
        var v0 = Vector256.Create(f0); var v1 = Vector256.Create(f1);
        for (int i = from; i < to; i += 8)
        {
            var x0 = Vector256.Load(x + i); var x1 = Vector256.Load(x + i + 4);
            Vector256.FusedMultiplyAdd(v0, x0, Vector256.Load(c0 + i)).Store(c0 + i);
            Vector256.FusedMultiplyAdd(v0, x1, Vector256.Load(c0 + i + 4)).Store(c0 + i + 4);
            Vector256.FusedMultiplyAdd(v1, x0, Vector256.Load(c1 + i)).Store(c1 + i);
            Vector256.FusedMultiplyAdd(v1, x1, Vector256.Load(c1 + i + 4)).Store(c1 + i + 4);
        }
    }

    /// <summary>w += x over [from, to) (lane blocks of 8).</summary>
    private static void AddTo(double* w, double* x, int from, int to)
    {
        for (int i = from; i < to; i += 4) (Vector256.Load(w + i) + Vector256.Load(x + i)).Store(w + i);
    }

    /// <summary>w[from..to) = Σⱼ vⱼ·cⱼ[from..to) over the rl columns (leading dimension lda)
    /// starting at <paramref name="b"/> (vⱼ = row[j]), summed in column order (FMA per term);
    /// 0 when rl = 0.</summary>
    private static void MatVec(double* b, int lda, double* row, int rl, double* w, int from, int to)
    {
        new Span<double>(w + from, to - from).Clear();
        int j = 0;
        for (; j + 3 < rl; j += 4)
        {
            double* c0 = b + (long)j * lda, c1 = c0 + lda, c2 = c1 + lda, c3 = c2 + lda;
            var v0 = Vector256.Create(row[j]);
            var v1 = Vector256.Create(row[j + 1]);
            var v2 = Vector256.Create(row[j + 2]);
            var v3 = Vector256.Create(row[j + 3]);
            for (int i = from; i < to; i += 4)
            {
                var acc = Vector256.Load(w + i);
                acc = Vector256.FusedMultiplyAdd(v0, Vector256.Load(c0 + i), acc);
                acc = Vector256.FusedMultiplyAdd(v1, Vector256.Load(c1 + i), acc);
                acc = Vector256.FusedMultiplyAdd(v2, Vector256.Load(c2 + i), acc);
                acc = Vector256.FusedMultiplyAdd(v3, Vector256.Load(c3 + i), acc);
                acc.Store(w + i);
            }
        }
        for (; j < rl; j++)
            Axpy1(w, row[j], b + (long)j * lda, from, to);
    }
}
