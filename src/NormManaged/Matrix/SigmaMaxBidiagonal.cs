namespace NormManaged.Matrix;

/// <summary>O(m·n) refinement of σ_max on the real bidiagonal route (any number of columns).
/// <para>After <see cref="Bidiagonalize.Reduce(double*, int, int, double*, double*)"/> has kept
/// its right reflectors (A = Q·B·Pᵀ, P = H₀·H₁·…), the top right singular vector y of the
/// bidiagonal B is obtained by inverse iteration on the Golub–Kahan tridiagonal T − σ̂·I
/// (T = tridiag(d₀, e₀, d₁, e₁, …) with zero diagonal; its eigenvector for σ₁ interleaves
/// (y₀, u₀, y₁, u₁, …)), a 2n×2n tridiagonal LU with partial pivoting (LAPACK dgttrf/dgttrs
/// form), O(n) per step. No squaring: the shift σ̂ (bisection on the same d, e, ~1 ulp of B's σ₁)
/// resolves B's gaps down to a few ulps. Then x = P·y (O(n²)) and ‖Ax‖/‖x‖ in double-double
/// from a dense copy of the scaled A (<see cref="SigmaMaxRefine.RayleighReal"/>, O(m·n)).</para>
/// <para>Why this is accurate: B is exactly bidiagonal for A + δA with ‖δA‖ ≤ p(n)·u·‖A‖, so
/// x = v₁ + Σ εⱼvⱼ with εⱼ ≲ ‖δA‖/(σ₁ − σⱼ), and the Rayleigh value ‖Ax‖/‖x‖ =
/// σ₁·(1 − Σ εⱼ²(σ₁² − σⱼ²)/(2σ₁²) + …) is below σ₁ by ≲ ‖δA‖²/(σ₁ − σⱼ) — far below an ulp
/// unless a σⱼ is within ~p(n)·√u… of σ₁, and at most ~‖δA‖ (σ̂'s own error class) when the gap
/// is as small as ‖δA‖. It never exceeds σ₁ (to ~2⁻¹⁰⁰). The caller keeps it only when it is
/// within 32 ulps of σ̂ (otherwise σ̂ itself, as <see cref="SigmaMaxRefine"/> decides).</para></summary>
internal static unsafe class SigmaMaxBidiagonal
{
    /// <summary>Doubles of scratch: LU of the 2n tridiagonal (4·2n), pivots (2n), z (2n), x (n),
    /// the Rayleigh accumulator (2m), τ (n).</summary>
    public static long WorkSize(int m, int n) => 12L * n + 2L * n + 2L * m + 2;

    /// <summary>Refined σ_max (hi, lo out). <paramref name="dense"/>: the scaled m×n column-major
    /// matrix (leading dimension m); <paramref name="red"/>: the reduced matrix (leading dimension
    /// <paramref name="lda"/>) holding the right reflectors, τ in <paramref name="rtau"/>;
    /// (d, e) the bidiagonal; <paramref name="sigma"/> σ̂ from bisection.</summary>
    public static double Refine(double* dense, int m, int n, double* red, int lda, double* rtau,
        double* d, double* e, double sigma, double* work, out double lo)
    {
        lo = 0;
        if (!(sigma > 0) || n < 2) return sigma;
        int len = 2 * n;
        double* dg = work, du = dg + len, du2 = du + len, dl = du2 + len, piv = dl + len, z = piv + len, x = z + len, acc = x + n;
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
        // deterministic start with no special structure (never orthogonal to v₁ in practice)
        ulong st = 0x9E3779B97F4A7C15UL;
        for (int i = 0; i < len; i++)
        {
            st ^= st << 13; st ^= st >> 7; st ^= st << 17;
            z[i] = 0.5 + (double)(st >> 11) * (1.0 / (1L << 53));
        }
        for (int step = 0; step < 3; step++)
        {
            for (int i = 0; i < len - 1; i++)
            {
                if (piv[i] == 0) z[i + 1] -= dl[i] * z[i];
                else { double tmp = z[i]; z[i] = z[i + 1]; z[i + 1] = tmp - dl[i] * z[i]; }
            }
            z[len - 1] /= dg[len - 1];
            z[len - 2] = (z[len - 2] - du[len - 2] * z[len - 1]) / dg[len - 2];
            for (int i = len - 3; i >= 0; i--) z[i] = (z[i] - du[i] * z[i + 1] - du2[i] * z[i + 2]) / dg[i];
            if (!Normalise(z, len)) return sigma;
        }
        // x = P·y = H₀(H₁(…H_{n−3}y)), y = the even entries of z
        for (int i = 0; i < n; i++) x[i] = z[2 * i];
        for (int k = n - 3; k >= 0; k--)
        {
            double tau = rtau[k];
            if (tau == 0) continue;
            double* rowk = red + k;   // v_t at red[k + (k+1+t)·lda], t ≥ 1; v₀ = 1 at column k+1
            double s = x[k + 1];
            for (int j = k + 2; j < n; j++) s += rowk[(long)j * lda] * x[j];
            s *= tau;
            x[k + 1] -= s;
            for (int j = k + 2; j < n; j++) x[j] -= s * rowk[(long)j * lda];
        }
        if (!Normalise(x, n)) return sigma;
        double r = SigmaMaxRefine.RayleighReal(dense, m, n, x, acc, out double rl);
        if (r >= sigma * (1 - 32.0 / (1L << 53))) { lo = rl; return r; }
        return sigma;
    }

    /// <summary>Scales by a power of two so the largest |component| is in [1, 2); false when a
    /// component is not finite or all are zero.</summary>
    private static bool Normalise(double* x, int len)
    {
        double mx = 0;
        for (int i = 0; i < len; i++) mx = Math.Max(mx, Math.Abs(x[i]));
        if (!double.IsFinite(mx) || mx == 0) return false;
        int ex = Math.ILogB(mx);
        for (int i = 0; i < len; i++) x[i] = Math.ScaleB(x[i], -ex);
        return true;
    }
}
