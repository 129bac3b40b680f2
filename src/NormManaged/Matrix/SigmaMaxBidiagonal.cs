namespace NormManaged.Matrix;

/// <summary>O(m·n) refinement of σ_max on the real bidiagonal route (any number of columns).
/// <para>After <see cref="Bidiagonalize.Reduce(double*, int, int, double*, double*)"/> has kept
/// its right reflectors (A = Q·B·Pᵀ, P = H₀·H₁·…), the top right singular vector y of the
/// bidiagonal B is obtained by inverse iteration on the Golub–Kahan tridiagonal T − σ̂·I
/// (T = tridiag(d₀, e₀, d₁, e₁, …) with zero diagonal; its eigenvector for σ₁ interleaves
/// (y₀, u₀, y₁, u₁, …)), a 2n×2n tridiagonal LU with partial pivoting (LAPACK dgttrf/dgttrs
/// form), O(n) per step. No squaring: the shift σ̂ (bisection on the same d, e, ~1 ulp of B's σ₁)
/// resolves B's gaps down to a few ulps. Then x = P·y (O(n²)) and ‖Ax‖/‖x‖ in double-double
/// from the scaled A, its columns read again from the input one at a time (no copy), O(m·n).</para>
/// <para>Why this is accurate: B is exactly bidiagonal for A + δA with ‖δA‖ ≤ p(n)·u·‖A‖, so
/// x = v₁ + Σ εⱼvⱼ with εⱼ ≲ ‖δA‖/(σ₁ − σⱼ), and the Rayleigh value ‖Ax‖/‖x‖ =
/// σ₁·(1 − Σ εⱼ²(σ₁² − σⱼ²)/(2σ₁²) + …) is below σ₁ by ≲ ‖δA‖²/(σ₁ − σⱼ): far below an ulp
/// unless some σⱼ is within a few ulps of σ₁, and at most ~‖δA‖ (σ̂'s own error class) when the
/// gap is as small as ‖δA‖ — the one case it does not fix (measured worst: 1.05 ulp, clustered
/// 64×64; 2.05 ulp for one clustered 24×24, which is why ≤ 32 columns keep the explicit-AᵀA
/// method). It never exceeds σ₁ (to ~2⁻¹⁰⁰). The caller keeps it only when it is within 32 ulps
/// of σ̂ (otherwise σ̂ itself, as <see cref="SigmaMaxRefine"/> decides).</para></summary>
internal static unsafe class SigmaMaxBidiagonal
{
    /// <summary>Doubles of scratch for <see cref="TopVector"/>: LU of the 2n tridiagonal (4·2n),
    /// pivots (2n), z (2n).</summary>
    public static long WorkSize(int n) => 12L * n;

    /// <summary>The approximate top right singular vector x (n doubles, largest component in
    /// [1, 2)) of the reduced matrix: <paramref name="rtau"/> holds its right reflectors
    /// (<see cref="Bidiagonalize.Reduce(double*, int, int, double*, double*)"/>); (d, e) the
    /// bidiagonal; <paramref name="sigma"/> σ̂ from bisection. False if it failed (non-finite).
    /// The caller evaluates ‖Ax‖/‖x‖ (<see cref="SigmaMaxRefine.AccumulateReal"/>) and keeps it
    /// through <see cref="Accept"/>.</summary>
    public static bool TopVector(double* rtau, double* d, double* e, int n,
        double sigma, double* work, double* x)
    {
        if (!BidiagonalVector(d, e, n, sigma, work, x)) return false;
        return MapBackReal(rtau, n, x);
    }

    /// <summary>y (n doubles, largest component in [1, 2)): the top right singular vector of the
    /// real bidiagonal (d, e) by inverse iteration on its Golub–Kahan tridiagonal shifted by
    /// <paramref name="sigma"/>; <see cref="WorkSize"/> doubles of scratch.</summary>
    public static bool BidiagonalVector(double* d, double* e, int n, double sigma, double* work, double* y)
    {
        if (!(sigma > 0) || n < 2) return false;
        int len = 2 * n;
        double* dg = work, du = dg + len, du2 = du + len, dl = du2 + len, piv = dl + len, z = piv + len;
        // T − σ̂I: diagonal −σ̂, off-diagonals t = (d₀, e₀, d₁, …)
        for (int i = 0; i < len; i++) dg[i] = -sigma;
        for (int i = 0; i < len - 1; i++) { double t = (i & 1) == 0 ? d[i >> 1] : e[i >> 1]; du[i] = t; dl[i] = t; }
        double tiny = Math.ScaleB(sigma, -60);
        // LU with partial pivoting: U has diagonals dg, du, du2; multipliers in dl
        for (int i = 0; i < len - 1; i++)
        {
            du2[i] = 0;
            if (Math.Abs(dg[i]) >= Math.Abs(dl[i]))
            {
                if (dg[i] == 0) dg[i] = tiny;
                double f = dl[i] / dg[i];
                dl[i] = f;
                dg[i + 1] -= f * du[i];
                piv[i] = 0;
            }
            else
            {
                double f = dg[i] / dl[i];
                dg[i] = dl[i];
                dl[i] = f;
                double tmp = du[i];
                du[i] = dg[i + 1];
                dg[i + 1] = tmp - f * dg[i + 1];
                if (i < len - 2) { du2[i] = du[i + 1]; du[i + 1] = -f * du[i + 1]; }
                piv[i] = 1;
            }
        }
        if (dg[len - 1] == 0) dg[len - 1] = tiny;
        for (int i = 0; i < len; i++) dg[i] = 1 / dg[i];   // the solves multiply
        // deterministic start with no special structure (never orthogonal to v₁ in practice)
        ulong st = 0x9E3779B97F4A7C15UL;
        for (int i = 0; i < len; i++)
        {
            st ^= st << 13; st ^= st >> 7; st ^= st << 17;
            z[i] = 0.5 + (double)(st >> 11) * (1.0 / (1L << 53));
        }
        // two solves: the first leaves a share ~(σ̂'s error)/gap of the other vectors, the
        // second its square (the Rayleigh value's error is the share squared times the gap)
        for (int step = 0; step < 2; step++)
        {
            // forward (row swaps as selects, not branches: the pivot pattern is irregular)
            double cur = z[0];
            for (int i = 0; i < len - 1; i++)
            {
                double nxt = z[i + 1];
                bool p = piv[i] != 0;
                double top = p ? nxt : cur, bot = p ? cur : nxt;
                z[i] = top;
                cur = bot - dl[i] * top;
            }
            double z2 = cur * dg[len - 1];
            double z1 = (z[len - 2] - du[len - 2] * z2) * dg[len - 2];
            z[len - 1] = z2; z[len - 2] = z1;
            for (int i = len - 3; i >= 0; i--)
            {
                double zi = (z[i] - du[i] * z1 - du2[i] * z2) * dg[i];
                z[i] = zi; z2 = z1; z1 = zi;
            }
            if (!Normalise(z, len)) return false;
        }
        for (int i = 0; i < n; i++) y[i] = z[2 * i];
        return Normalise(y, n);
    }

    /// <summary>x ← P·x = H₀(H₁(…H_{n−3}x)) with the kept real right reflectors.</summary>
    private static bool MapBackReal(double* rtau, int n, double* x)
    {
        ApplyRight(rtau, n, x, false);
        return Normalise(x, n);
    }

    /// <summary>x ← P·x, or x ← Pᵀ·x = H_{n−3}(…H₀x) when <paramref name="transpose"/>, with the
    /// kept real right reflectors (each Hₖ = I − τₖ·v·vᵀ is symmetric).</summary>
    internal static void ApplyRight(double* rtau, int n, double* x, bool transpose)
    {
        for (int i = 0; i <= n - 3; i++)
        {
            int k = transpose ? i : n - 3 - i;
            double tau = rtau[k];
            if (tau == 0) continue;
            // v = (1, w₀, w₁, …) on columns k+1..n−1
            double* w = rtau + n + Bidiagonalize.RightReflectorOffset(n, k);
            double* xs = x + k + 2;
            int len2 = n - k - 2;
            double s = x[k + 1] + Blas1.Dot(w, xs, len2);
            s *= tau;
            x[k + 1] -= s;
            Blas1.Axpy(-s, w, xs, len2);
        }
    }

    /// <summary>Complex: x (2n doubles, interleaved) ← V·D₂ᴴ·y, the top right singular vector of A
    /// from y, that of the real bidiagonal |B| (<paramref name="keep"/>: the phases and right
    /// reflectors kept by <see cref="ComplexBidiagonal.Reduce(double*, int, int, double*, double*)"/>).
    /// The complex bidiagonal is B = D₁·|B|·D₂ with unit diagonal D₁ = diag(αₖ), D₂ = diag(βₖ):
    /// β₀ = 1, αₖ = phase(dₖ)·conj(βₖ), βₖ₊₁ = conj(αₖ)·phase(eₖ) (1 for a zero entry); if
    /// |B|y = σ·u then B·(D₂ᴴy) = σ·D₁u. Then V = Q₀Q₁…, Qₖ = I − τₖ·w·wᴴ, w = conj(uₖ).</summary>
    public static bool MapBackComplex(double* keep, int n, double* y, double* x)
    {
        for (int k = 0; k < n; k++) { x[2 * k] = y[k]; x[2 * k + 1] = 0; }
        ApplyRightComplex(keep, n, x, false);
        return Normalise(x, 2 * n);
    }

    /// <summary>x (2n doubles, interleaved) ← V·D₂ᴴ·x, or x ← D₂·Vᴴ·x when
    /// <paramref name="adjoint"/> (V and D₂ as in <see cref="MapBackComplex"/>; each Qₖ has a
    /// real τₖ, so it is Hermitian and Vᴴ = …Q₁Q₀).</summary>
    internal static void ApplyRightComplex(double* keep, int n, double* x, bool adjoint)
    {
        double* tau = keep + 4 * n, us = keep + 5 * n;
        if (!adjoint) Phases(keep, n, x, true);
        for (int i = 0; i <= n - 2; i++)
        {
            int k = adjoint ? i : n - 2 - i;
            double t = tau[k];
            if (t == 0) continue;
            int rl = n - k - 1;
            double* u = us + ComplexReflectorOffset(n, k);
            double* xs = x + 2 * (k + 1);
            // s = wᴴ·x = Σ uⱼ·xⱼ
            double sr = 0, si = 0;
            for (int j = 0; j < rl; j++)
            {
                double ur = u[2 * j], ui = u[2 * j + 1], xr = xs[2 * j], xi = xs[2 * j + 1];
                sr += ur * xr - ui * xi; si += ur * xi + ui * xr;
            }
            sr *= t; si *= t;
            // xⱼ −= τ·s·conj(uⱼ)
            for (int j = 0; j < rl; j++)
            {
                double ur = u[2 * j], ui = -u[2 * j + 1];
                xs[2 * j] -= sr * ur - si * ui; xs[2 * j + 1] -= sr * ui + si * ur;
            }
        }
        if (adjoint) Phases(keep, n, x, false);
    }

    /// <summary>xₖ ← conj(βₖ)·xₖ (D₂ᴴ) or βₖ·xₖ (D₂), β from the kept phases (β₀ = 1,
    /// βₖ₊₁ = conj(αₖ)·phase(eₖ), αₖ = phase(dₖ)·conj(βₖ)).</summary>
    private static void Phases(double* keep, int n, double* x, bool conjugate)
    {
        double* dph = keep, eph = keep + 2 * n;
        double br = 1, bi = 0;
        for (int k = 0; k < n; k++)
        {
            double xr = x[2 * k], xi = x[2 * k + 1], ci = conjugate ? bi : -bi;
            x[2 * k] = br * xr + ci * xi; x[2 * k + 1] = br * xi - ci * xr;
            if (k == n - 1) break;
            double ar = dph[2 * k] * br + dph[2 * k + 1] * bi, ai = dph[2 * k + 1] * br - dph[2 * k] * bi;   // phase(d)·conj(β)
            double nr = ar * eph[2 * k] + ai * eph[2 * k + 1], ni = ar * eph[2 * k + 1] - ai * eph[2 * k];     // conj(α)·phase(e)
            br = nr; bi = ni;
        }
    }

    /// <summary>Doubles kept by the complex reduction for <see cref="MapBackComplex"/>: phases of d
    /// and e (2n each), τ (n), the right reflector vectors (n − k − 1 complex for step k).</summary>
    public static long ComplexKeepSize(int n) => 5L * n + (long)n * (n - 1);

    /// <summary>Offset of step k's complex reflector vector in the vector area.</summary>
    public static long ComplexReflectorOffset(int n, int k) => 2L * ((long)k * (n - 1) - (long)k * (k - 1) / 2);

    /// <summary>The Rayleigh value r (+ rl) if it is at least σ̂·(1 − 32u) — every such value is a
    /// lower bound of σ₁ and σ̂ is within a few ulps of σ₁ — otherwise σ̂ (lo = 0).</summary>
    public static double Accept(double r, double rl, double sigma, out double lo)
    {
        if (r >= sigma * (1 - 32.0 / (1L << 53))) { lo = rl; return r; }
        lo = 0;
        return sigma;
    }

    /// <summary>Scales by a power of two so the largest |component| is in [1, 2); false when a
    /// component is not finite or all are zero.</summary>
    internal static bool Normalise(double* x, int len)
    {
        double mx = 0;
        for (int i = 0; i < len; i++) mx = Math.Max(mx, Math.Abs(x[i]));
        if (!double.IsFinite(mx) || mx == 0) return false;
        int ex = Math.ILogB(mx);
        double f = Math.ScaleB(1.0, -ex);   // 2⁻ᵉˣ, exact (the fallback covers a subnormal maximum)
        if (!(f > 0 && double.IsFinite(f))) { for (int i = 0; i < len; i++) x[i] = Math.ScaleB(x[i], -ex); f = 1; }
        // components below 2⁻⁴⁰⁰ (3.87e−121) of the largest are flushed to zero: they do not change the vector
        // to working precision, and a singular vector of a bidiagonal decays along it, so they
        // would otherwise become subnormal in later steps (slow arithmetic)
        for (int i = 0; i < len; i++) { double v = x[i] * f; x[i] = Math.Abs(v) < 3.872591914849318e-121 ? 0 : v; }
        return true;
    }
}
