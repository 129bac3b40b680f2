using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormManaged.Matrix;

/// <summary>Householder bidiagonalisation of a complex matrix held as interleaved (re, im)
/// doubles, column-major with leading dimension m (complex elements). Reflectors are
/// P = I − 2·u·uᴴ/‖u‖² with u = x + e^{iθ}‖x‖·e₁ (θ = arg x₀), so P·x = −e^{iθ}‖x‖·e₁. The
/// resulting bidiagonal is complex, but B = D₁·|B|·D₂ for diagonal unitary D₁, D₂, so only the
/// moduli |dₖ|, |eₖ| are kept: a real bidiagonal with the same singular values. Four times the
/// flops of the real case (half of the real 2m×2n embedding's).</summary>
internal static unsafe class ComplexBidiagonal
{
    /// <summary>Doubles of scratch: d (n), e (n), w (2m), row (2n), and a second w (2m) for the two-part product.</summary>
    public static long WorkSize(int m, int n) => 2L * n + 2L * m + 2L * n + 2L * m;

    /// <summary>Reduces <paramref name="a"/> (m ≥ n ≥ 2, destroyed); |diagonal| into work[0..n),
    /// |superdiagonal| into work[n..2n−1).</summary>
    public static void Reduce(double* a, int m, int n, double* work) => Reduce(a, m, n, work, null);

    /// <summary>As <see cref="Reduce(double*, int, int, double*)"/>; when <paramref name="keep"/>
    /// is not null (<see cref="SigmaMaxBidiagonal.ComplexKeepSize"/> doubles) the phases of the
    /// complex bidiagonal's entries and the right reflectors are kept for
    /// <see cref="SigmaMaxBidiagonal.MapBackComplex"/>; d and e are the same bits either way.</summary>
    public static void Reduce(double* a, int m, int n, double* work, double* keep) => Reduce(a, m, n, work, keep, 1);

    /// <summary>From this many columns on, each step's three passes (left reflection, t = A·w and the right update)
    /// are cut by the same columns into two parts run on up to two threads (<see cref="PartTeam"/>), so each core
    /// keeps its half of the trailing matrix in its own cache. Every column is computed whole by one part with the
    /// serial operations; t = A·w is the sum of the two parts' partial products, added in a fixed order (part 0's +
    /// part 1's). The cut depends on n only, so d, e and the kept phases and reflectors are the same bits for any
    /// thread count. (The earlier row cut of t = A·w read every column from both cores each step and lost below
    /// ~600 columns: 300×300 21 → 25 ms.)</summary>
    internal static int SplitFrom { get => t_splitFrom != 0 ? t_splitFrom : 160; set => t_splitFrom = value; }

    [ThreadStatic] private static int t_splitFrom;

    /// <summary>As <see cref="Reduce(double*, int, int, double*, double*)"/>, on up to
    /// <paramref name="threads"/> threads (same bits).</summary>
    public static void Reduce(double* a, int m, int n, double* work, double* keep, int threads)
    {
        var s = new Steps(a, m, n, work);
        int parts = n >= SplitFrom ? 2 : 1;
        PartTeam? team = parts == 2 && threads >= 2 ? PartTeam.Start(s, 2) : null;
        try { s.Run(keep, parts, team); }
        finally { team?.Stop(); }
    }

    private enum Pass { Left, Product, Right }

    /// <summary>The reduction's state between steps, and its passes cut into parts.</summary>
    private sealed class Steps : IPhaseParts
    {
        private readonly double* _a, _d, _e, _w, _row, _w1;
        private readonly int _m, _n;
        private int _k, _parts;
        private double _inv2, _ir;
        private Pass _pass;

        public Steps(double* a, int m, int n, double* work)
        {
            _a = a; _m = m; _n = n;
            _d = work; _e = _d + n; _w = _e + n; _row = _w + 2 * m; _w1 = _row + 2 * n;
        }

        public void Run(double* keep, int parts, PartTeam? team)
        {
            double* a = _a, d = _d, e = _e, row = _row;
            int m = _m, n = _n;
            double* dph = keep, eph = keep + 2 * n, rtau = keep + 4 * n, us = keep + 5 * n;
            double pr, pi;
            _parts = parts;
            for (int k = 0; k < n; k++)
            {
                double* col = a + 2 * ((long)k * m + k);
                int len = m - k;
                d[k] = Reflect(col, len, out double inv2, out pr, out pi);
                if (keep != null) { dph[2 * k] = pr; dph[2 * k + 1] = pi; }
                _k = k;
                bool left = inv2 != 0 && k + 1 < n;
                if (left)
                {
                    // c ← c − (2/‖u‖²)·u·(uᴴc) for the trailing columns; each part also copies
                    // row k of its columns into row[] (no gather across the other core's cache)
                    _inv2 = inv2;
                    RunPhase(Pass.Left, team);
                }
                if (k >= n - 1) break;
                // right reflection on row k, columns k+1..: u from the row's entries
                int rl = n - k - 1;
                if (!left)
                    for (int j = 0; j < rl; j++)
                    {
                        double* p = a + 2 * (k + (long)(k + 1 + j) * m);
                        row[2 * j] = p[0]; row[2 * j + 1] = p[1];
                    }
                e[k] = Reflect(row, rl, out double ir, out pr, out pi);
                if (keep != null)
                {
                    eph[2 * k] = pr; eph[2 * k + 1] = pi;
                    rtau[k] = ir;
                    Buffer.MemoryCopy(row, us + SigmaMaxBidiagonal.ComplexReflectorOffset(n, k), 16L * rl, 16L * rl);
                }
                if (ir == 0 || k + 1 >= m) continue;
                // Right reflection A ← A·Q with Q = I − 2·w·wᴴ/‖w‖², w = conj(u): x·Q = xᵀ-reflected.
                // t = A·w = Σ_j w_j·a_j; then a_j ← a_j − (2/‖w‖²)·conj(w_j)·t.
                _ir = ir;
                RunPhase(Pass.Product, team);
                if (parts == 2)
                {
                    // t = part 0's partial product + part 1's, in this order
                    int bl = m - k - 1;
                    for (int i = 0; i < 2 * bl; i++) _w[i] += _w1[i];
                }
                RunPhase(Pass.Right, team);
            }
        }

        private void RunPhase(Pass pass, PartTeam? team)
        {
            _pass = pass;
            if (team != null) team.Run(_parts);
            else for (int p = 0; p < _parts; p++) Part(p);
        }

        public void Part(int index)
        {
            int k = _k, m = _m, n = _n;
            double* a = _a, row = _row, w = _w;
            if (_pass == Pass.Product)
            {
                // rows k+1..m−1 (bl complex entries); the columns cut as in the other passes, part 1 into _w1
                int bl = m - k - 1, rl = n - k - 1, c0 = 0, c1 = rl;
                double* wp = w;
                if (_parts == 2)
                {
                    if (index == 0) c1 = rl / 2; else { c0 = rl / 2; wp = _w1; }
                }
                if (bl <= 0) return;
                double* b0 = a + 2 * ((long)(k + 1) * m + k + 1);
                new Span<double>(wp, 2 * bl).Clear();
                for (int j = c0; j < c1; j++)
                {
                    double ur = row[2 * j], ui = row[2 * j + 1];   // w_j = conj(u_j) = (ur, −ui)
                    if (ur != 0 || ui != 0) Axpy(ur, -ui, b0 + 2L * j * m, wp, bl);
                }
                return;
            }
            // columns [k+1, n), cut in half
            int j0 = k + 1, j1 = n;
            if (_parts == 2)
            {
                int half = k + 1 + (n - k - 1) / 2;
                if (index == 0) j1 = half; else j0 = half;
            }
            if (_pass == Pass.Left)
            {
                double* col = a + 2 * ((long)k * m + k);
                int len = m - k;
                double inv2 = _inv2;
                for (int j = j0; j < j1; j++)
                {
                    double* cj = a + 2 * ((long)j * m + k);
                    DotH(col, cj, len, out double re, out double im);
                    if (re != 0 || im != 0) Axpy(-inv2 * re, -inv2 * im, col, cj, len);
                    row[2 * (j - k - 1)] = cj[0]; row[2 * (j - k - 1) + 1] = cj[1];
                }
            }
            else
            {
                int bl = m - k - 1;
                double ir = _ir;
                double* b0 = a + 2 * ((long)(k + 1) * m + k + 1);
                for (int j = j0 - k - 1; j < j1 - k - 1; j++)
                {
                    double ur = row[2 * j], ui = row[2 * j + 1];   // conj(w_j) = u_j = (ur, ui)
                    if (ur != 0 || ui != 0) Axpy(-ir * ur, -ir * ui, w, b0 + 2L * j * m, bl);
                }
            }
        }
    }

    /// <summary>Turns x (len complex) into u = x + e^{iθ}‖x‖e₁ in place (u₀ replaced, see below)
    /// and returns ‖x‖ (the modulus of the new leading entry, whose phase is (pr, pi)).
    /// <paramref name="inv2"/> = 2/‖u‖², 0 when x is already a multiple of e₁ (x left unchanged
    /// then).</summary>
    private static double Reflect(double* x, int len, out double inv2, out double pr, out double pi)
    {
        inv2 = 0;
        double a0 = SvdKernel.HypotAny(x[0], x[1]);
        double cr = a0 == 0 ? 1 : x[0] / a0, ci = a0 == 0 ? 0 : x[1] / a0;
        // phase of the new leading entry: x₀'s when nothing is reflected, −e^{iθ} otherwise
        pr = cr; pi = ci;
        if (len <= 1) return a0;
        double rest = SvdKernel.Norm(x + 2, 2 * (len - 1));
        if (rest == 0) return a0;
        double nx = SvdKernel.HypotAny(a0, rest);
        pr = -cr; pi = -ci;
        // u₀ = x₀ + e^{iθ}‖x‖ = e^{iθ}(|x₀| + ‖x‖);  ‖u‖² = (|x₀| + ‖x‖)² + rest²
        double s = a0 + nx;
        x[0] = cr * s; x[1] = ci * s;
        // 2/‖u‖² without overflow: entries are scaled to [1, 2) at most, so this is safe
        inv2 = 2.0 / (s * s + rest * rest);
        if (!(inv2 < double.PositiveInfinity)) inv2 = 0;
        return nx;
    }

    /// <summary>(re, im) = uᴴ·c over n complex elements (interleaved).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void DotH(double* u, double* c, int n, out double re, out double im)
    {
        int i = 0, len = 2 * n;
        var sr = Vector256<double>.Zero; var si = sr;
        var sign = Vector256.Create(1.0, -1.0, 1.0, -1.0);
        for (; i <= len - 4; i += 4)
        {
            var vu = Vector256.Load(u + i); var vc = Vector256.Load(c + i);
            sr = Vector256.FusedMultiplyAdd(vu, vc, sr);                 // ur·cr, ui·ci
            var sw = Vector256.Shuffle(vc, Vector256.Create(1L, 0L, 3L, 2L)); // ci, cr
            si = Vector256.FusedMultiplyAdd(vu * sign, sw, si);          // ur·ci, −ui·cr
        }
        re = Vector256.Sum(sr); im = Vector256.Sum(si);
        for (; i < len; i += 2)
        {
            double ur = u[i], ui = u[i + 1], cr = c[i], ci = c[i + 1];
            re = Math.FusedMultiplyAdd(ur, cr, Math.FusedMultiplyAdd(ui, ci, re));
            im = Math.FusedMultiplyAdd(ur, ci, Math.FusedMultiplyAdd(-ui, cr, im));
        }
    }

    /// <summary>y += (ar + i·ai)·x over n complex elements (interleaved).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Axpy(double ar, double ai, double* x, double* y, int n)
    {
        int i = 0, len = 2 * n;
        var va = Vector256.Create(ar);
        var vb = Vector256.Create(-ai, ai, -ai, ai);
        for (; i <= len - 4; i += 4)
        {
            var vx = Vector256.Load(x + i);
            var sw = Vector256.Shuffle(vx, Vector256.Create(1L, 0L, 3L, 2L)); // xi, xr
            var r = Vector256.FusedMultiplyAdd(va, vx, Vector256.Load(y + i));
            Vector256.FusedMultiplyAdd(vb, sw, r).Store(y + i);            // re: −ai·xi, im: ai·xr
        }
        for (; i < len; i += 2)
        {
            double xr = x[i], xi = x[i + 1];
            y[i] = Math.FusedMultiplyAdd(ar, xr, Math.FusedMultiplyAdd(-ai, xi, y[i]));
            y[i + 1] = Math.FusedMultiplyAdd(ar, xi, Math.FusedMultiplyAdd(ai, xr, y[i + 1]));
        }
    }
}
