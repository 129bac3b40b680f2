namespace NormManaged.Matrix;

/// <summary><see cref="SvdKernel.SplitForMin"/> for complex matrices, in complex arithmetic. The Jacobi kernel runs on
/// the real embedding [[Re, −Im], [Im, Re]], whose singular values come in pairs: split there, L₂₂'s pairs leave no gap
/// for a certificate, so a complex rank-k matrix rotated its noise for ~10 sweeps of a 2n-column matrix (rank 2,
/// 200×200: 110 ms, NumPy 4.3). Here the same steps on the interleaved complex matrix (column j at a + 2·j·m): rows
/// sorted by their largest |part|, Householder QR with column pivoting (reflectors I − 2uuᴴ/‖u‖², u = x + e^{iθ}‖x‖e₁,
/// θ = arg x₀) stopped at the split's trigger, an LQ of the k finished rows (reflectors from the right, applied to
/// every row below), and the same bound w on ‖L₂₁‖ against σ_k(L₁₁) (the Schur-complement argument holds for
/// Hermitian MᴴM unchanged). Returns k ≥ 1 (L₂₂ at a + 2(k + k·m), leading dimension m), 0 when the QR ran to its
/// end without a trigger, −1 when the split was rejected, −2 when no step up to maxK triggered; the matrix is destroyed
/// in every case.</summary>
internal static unsafe class ComplexSplit
{
    /// <summary>Doubles of scratch: a row permutation's copy and keys (3m), column norms (2n), w (2m), L₁₁⁻¹'s column (2n).</summary>
    public static long WorkSize(int m, int n) => 5L * m + 4L * n;

    public static int Run(double* a, int m, int n, double* work, bool single, out double w, int maxK = int.MaxValue)
    {
        w = 0;
        double* tmp = work, key = tmp + 2 * m, cn = key + m, wv = cn + 2 * n, xv = wv + 2 * m;
        SortRows(a, m, n, tmp, key);
        double trigger = single ? SvdKernel.SplitTriggerSingle : SvdKernel.SplitTrigger;
        int k = Qr(a, m, n, cn, trigger, maxK);
        if (k < 0) return -2;
        if (k == n) return 0;
        for (int j = 0; j < k; j++)
            for (int i = j + 1; i < m; i++) { a[2 * (i + (long)j * m)] = 0; a[2 * (i + (long)j * m) + 1] = 0; }
        Lq(a, m, n, k, wv, cn);   // the QR's column norms are done with: their 2n doubles hold u
        w = Bound(a, m, n, k, xv);
        return w <= SvdKernel.SplitAccept(single) ? k : -1;
    }

    private static double Abs(double re, double im) => SvdKernel.HypotAny(re, im);

    /// <summary>Stable sort of the rows by decreasing max(|re|, |im|) (as <see cref="SvdKernel"/>'s row sort).</summary>
    private static void SortRows(double* a, int m, int n, double* tmp, double* key)
    {
        for (int i = 0; i < m; i++) key[i] = 0;
        for (int j = 0; j < n; j++)
        {
            double* aj = a + 2L * j * m;
            for (int i = 0; i < m; i++) key[i] = Math.Max(key[i], Math.Max(Math.Abs(aj[2 * i]), Math.Abs(aj[2 * i + 1])));
        }
        if (SvdKernel.Sorted(key, m)) return;
        int[]? heap = m > 256 ? new int[m] : null;
        Span<int> perm = heap ?? stackalloc int[m];
        SvdKernel.RowOrder(key, m, perm);
        for (int j = 0; j < n; j++)
        {
            double* aj = a + 2L * j * m;
            for (int i = 0; i < m; i++) { tmp[2 * i] = aj[2 * perm[i]]; tmp[2 * i + 1] = aj[2 * perm[i] + 1]; }
            Buffer.MemoryCopy(tmp, aj, 16L * m, 16L * m);
        }
    }

    /// <summary>‖x‖₂ of <paramref name="len"/> complex values (2·len doubles) at any scale.</summary>
    private static double Norm(double* x, int len) => SvdKernel.ColumnNorm(x, 2 * len);

    /// <summary>Householder QR with column pivoting, stopped at the first step whose remaining columns (norms
    /// downdated as <see cref="SvdKernel"/>'s QR does) are all <paramref name="trigger"/>·|R(k−1, k−1)| or below
    /// (√(n−k) of them); returns that k, or n, or −1 when step <paramref name="maxK"/> is reached first.</summary>
    private static int Qr(double* a, int m, int n, double* cn, double trigger, int maxK)
    {
        double* cn0 = cn + n;
        for (int j = 0; j < n; j++) cn[j] = cn0[j] = Norm(a + 2L * j * m, m);
        double guard = Math.Sqrt(2 * 1.1102230246251565e-16);
        for (int k = 0; k < n; k++)
        {
            int piv = k;
            for (int j = k + 1; j < n; j++) if (cn[j] > cn[piv]) piv = j;
            if (k >= 1)
            {
                long d = 2 * (k - 1 + (long)(k - 1) * m);
                if (cn[piv] * Math.Sqrt(n - k) <= trigger * Abs(a[d], a[d + 1])) return k;
            }
            if (k == maxK) return -1;
            if (piv != k)
            {
                double* c1 = a + 2L * k * m, c2 = a + 2L * piv * m;
                for (int i = 0; i < 2 * m; i++) (c1[i], c2[i]) = (c2[i], c1[i]);
                cn[piv] = cn[k]; cn0[piv] = cn0[k];
            }
            double* col = a + 2 * (k + (long)k * m);
            int len = m - k;
            if (len <= 1) return n;
            double xn = Norm(col, len);
            double tail = Norm(col + 2, len - 1);
            if (tail != 0)
                Reflect(col, len, xn, a, m, k, n);
            for (int j = k + 1; j < n; j++)
            {
                if (cn[j] == 0) continue;
                long e = 2 * (k + (long)j * m);
                double r = Abs(a[e], a[e + 1]) / cn[j];
                double t = Math.Max(0, (1 - r) * (1 + r));
                double ratio = cn[j] / cn0[j];
                if (t * ratio * ratio <= guard)
                    cn[j] = cn0[j] = Norm(a + e + 2, m - k - 1);
                else cn[j] *= Math.Sqrt(t);
            }
        }
        return n;
    }

    /// <summary>The reflector H = I − 2uuᴴ/‖u‖² with u = x + e^{iθ}‖x‖e₁ taking column x (<paramref name="len"/> values
    /// at <paramref name="col"/>, norm <paramref name="xn"/>) to −e^{iθ}‖x‖e₁, applied to columns k + 1 … n − 1 (rows
    /// k … m − 1) of <paramref name="a"/>; x is overwritten by H·x.</summary>
    private static void Reflect(double* col, int len, double xn, double* a, int m, int k, int n)
    {
        double x0r = col[0], x0i = col[1], ax0 = Abs(x0r, x0i);
        double pr = ax0 == 0 ? 1 : x0r / ax0, pi = ax0 == 0 ? 0 : x0i / ax0; // e^{iθ}
        // u = x with u₀ = x₀ + e^{iθ}‖x‖ = e^{iθ}(|x₀| + ‖x‖); 2/‖u‖² = 1/(‖x‖(‖x‖ + |x₀|))
        double u0r = pr * (ax0 + xn), u0i = pi * (ax0 + xn);
        double coef = 1 / (xn * (xn + ax0));
        if (!double.IsFinite(coef)) coef = 1 / xn / (xn + ax0);
        for (int j = k + 1; j < n; j++)
        {
            double* c = a + 2 * (k + (long)j * m);
            // s = uᴴc, c −= u·s (vector lanes past u₀: ComplexBidiagonal's)
            ComplexBidiagonal.DotH(col + 2, c + 2, len - 1, out double sr, out double si);
            sr += u0r * c[0] + u0i * c[1];
            si += u0r * c[1] - u0i * c[0];
            if (sr == 0 && si == 0) continue;
            sr *= coef; si *= coef;
            c[0] -= u0r * sr - u0i * si;
            c[1] -= u0r * si + u0i * sr;
            ComplexBidiagonal.Axpy(-sr, -si, col + 2, c + 2, len - 1);
        }
        col[0] = -pr * xn; col[1] = -pi * xn;
        for (int i = 1; i < len; i++) { col[2 * i] = 0; col[2 * i + 1] = 0; }
    }

    /// <summary>LQ of the first k rows by reflectors from the right: row ρ (entries j … n − 1) becomes ρ·H = (γ, 0, …)
    /// with H = I − 2uuᴴ/‖u‖², u = x + e^{iθ}‖x‖e₁ for x = ρᴴ; every row below is multiplied by the same H
    /// (σ ↦ σ − (2/‖u‖²)(σ·u)uᴴ). <paramref name="w"/>: 2m doubles; <paramref name="u"/>: 2n.</summary>
    private static void Lq(double* a, int m, int n, int k, double* w, double* u)
    {
        int rowsMax = m;
        for (int j = 0; j < k; j++)
        {
            int len = n - j;
            // x = conj(row j), from its diagonal on
            double mx = 0;
            for (int c = 0; c < len; c++)
            {
                long e = 2 * (j + (long)(j + c) * m);
                u[2 * c] = a[e]; u[2 * c + 1] = -a[e + 1];
                if (c > 0) mx = Math.Max(mx, Math.Max(Math.Abs(a[e]), Math.Abs(a[e + 1])));
            }
            if (mx == 0) continue;
            double xn = Norm(u, len), ax0 = Abs(u[0], u[1]);
            double pr = ax0 == 0 ? 1 : u[0] / ax0, pi = ax0 == 0 ? 0 : u[1] / ax0;
            u[0] = pr * (ax0 + xn); u[1] = pi * (ax0 + xn);
            double coef = 1 / (xn * (xn + ax0));
            if (!double.IsFinite(coef)) coef = 1 / xn / (xn + ax0);
            // row j becomes (H·x)ᴴ = (−e^{iθ}‖x‖)* e₁ᵀ
            a[2 * (j + (long)j * m)] = -pr * xn;
            a[2 * (j + (long)j * m) + 1] = pi * xn;
            for (int c = 1; c < len; c++) { long e = 2 * (j + (long)(j + c) * m); a[e] = 0; a[e + 1] = 0; }
            int rows = rowsMax - j - 1;
            if (rows == 0) continue;
            // w = (rows below)·u, then rows −= coef·w·uᴴ
            new Span<double>(w, 2 * rows).Clear();
            for (int c = 0; c < len; c++)
            {
                double ur = u[2 * c], ui = u[2 * c + 1];
                if (ur == 0 && ui == 0) continue;
                ComplexBidiagonal.Axpy(ur, ui, a + 2 * (j + 1 + (long)(j + c) * m), w, rows);
            }
            for (int i = 0; i < rows; i++) { w[2 * i] *= coef; w[2 * i + 1] *= coef; }
            for (int c = 0; c < len; c++)
            {
                // col −= w·conj(u_c)
                double ur = u[2 * c], ui = u[2 * c + 1];
                if (ur == 0 && ui == 0) continue;
                ComplexBidiagonal.Axpy(-ur, ui, w, a + 2 * (j + 1 + (long)(j + c) * m), rows);
            }
        }
    }

    /// <summary><see cref="SvdKernel"/>'s split bound for the complex blocks: 2‖L₂₁‖²_F/(4s² − ‖L₂₂‖²_F),
    /// s = 1/(2‖L₁₁⁻¹‖_F), +∞ when ‖L₂₂‖_F &gt; s. <paramref name="x"/>: 2k doubles.</summary>
    private static double Bound(double* a, int m, int n, int k, double* x)
    {
        double inv2 = 0;
        for (int c = 0; c < k; c++)
        {
            // column c of L₁₁⁻¹ in column order, as SvdKernel's bound: x[j] = t_j / L[j, j], then t −= L[j+1.., j]·x[j]
            new Span<double>(x + 2 * c, 2 * (k - c)).Clear();
            x[2 * c] = 1;
            for (int j = c; j < k; j++)
            {
                long d = 2 * (j + (long)j * m);
                double dr = a[d], di = a[d + 1], dd = dr * dr + di * di, tr = x[2 * j], ti = x[2 * j + 1];
                double xr = (tr * dr + ti * di) / dd, xi = (ti * dr - tr * di) / dd;
                x[2 * j] = xr; x[2 * j + 1] = xi;
                inv2 += xr * xr + xi * xi;
                if ((xr != 0 || xi != 0) && j + 1 < k) ComplexBidiagonal.Axpy(-xr, -xi, a + d + 2, x + 2 * (j + 1), k - j - 1);
            }
        }
        double l21 = 0, l22 = 0;
        for (int j = 0; j < k; j++) l21 = SvdKernel.HypotAny(l21, Norm(a + 2 * (k + (long)j * m), m - k));
        for (int j = k; j < n; j++) l22 = SvdKernel.HypotAny(l22, Norm(a + 2 * (k + (long)j * m), m - k));
        return SvdKernel.SplitBoundOf(inv2, l21, l22);
    }
}
