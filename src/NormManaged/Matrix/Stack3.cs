using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using NormManaged.Engine;
using NormManaged.Kernels;

namespace NormManaged.Matrix;

/// <summary>Real 3×3 stacks for ord 2 / −2 / nuc, one matrix per lane of a width-generic vector
/// (<see cref="ILanes{TSelf}"/>: eight per Vector512 where AVX-512 is available, else four per
/// Vector256; one body of the algorithm for both), two (Vector512) or three (Vector256) such
/// vectors per group with their phases issued in turn (the Jacobi rotation is a long chain of
/// dependent divisions and square roots; independent chains fill its latency): the same algorithm as
/// <see cref="SvdKernel.SingularValues"/> — rows sorted by decreasing
/// largest |entry| (stable), Householder QR with column pivoting, one-sided Jacobi on Rᵀ to 3·2⁻⁵³,
/// σⱼ = ‖column j‖ in double-double — written lane-wise with masks instead of branches, so there is
/// no per-matrix dispatch, buffer or call. A lane that has converged only repeats identity sweeps,
/// so each matrix's result depends on that matrix alone (never on its lane mates, the vector width,
/// the batch split or the thread count).
///
/// For ord 2 the Jacobi value (up to ~2.5 ulps off: rounding accumulated over the rotations) is
/// replaced by ‖Av‖/‖v‖ evaluated in double-double on the scaled input, v the kernel's top singular
/// vector (the largest final column, pivot swaps undone) — the lane-parallel form of
/// <see cref="SigmaMaxRefine"/>: a lower bound of σ₁ whose deficit is quadratic in v's error. Where
/// another singular value is within 2⁻⁴⁰ of σ₁, v is first corrected in the span of the kernel's
/// other two vectors (see <c>Refine</c>). Measured: ≤ 0.5 ulp on generic matrices and for a
/// close pair, ≤ 1.07 ulp for three values within a few ulps. Kept only if at least the Jacobi
/// value·(1 − 16u).
///
/// A matrix whose scaled entries could make squares underflow (nonzero |entry| &lt; 2⁻⁴⁵⁰ of the
/// largest) or whose smallest σ comes out below 2⁻⁴⁰⁰ of the largest entry, and any matrix with
/// NaN / ±∞ / all zeros, is instead handed to the general scalar path.</summary>
internal static unsafe class Stack3
{
    private const double Eps = 1.1102230246251565e-16;
    private const int MaxSweeps = 40;
    private const double SmallSigma = 3.8725919148493183e-121; // 2^-400

    /// <summary>Whether to run eight matrices per Vector512 instead of four per Vector256 (the
    /// bits are the same: each lane is one matrix and meets the same IEEE operations). Follows
    /// <see cref="RealKernels.Wide"/>, the engine's one width switch, which tests flip.</summary>
    private static bool Wide => RealKernels.Wide && Avx512F.IsSupported;

    /// <summary>Computes matrices [start, end) of a real 3×3 batch; <paramref name="scalar"/> runs the
    /// general path for one matrix index.</summary>
    public static void Range(MatrixBatch b, SvdOrd ord, long start, long end, Action<long> scalar, ref int evOut)
    {
        if (Wide) Lanes<Lanes512>.Range(b, ord, start, end, scalar, ref evOut);
        else Lanes<Lanes256>.Range(b, ord, start, end, scalar, ref evOut);
    }

    /// <summary>The algorithm over N = L.Count lanes. It runs in phases (reduction, Jacobi
    /// sweeps, column norms, refinement) that pass their state through a per-group workspace of
    /// N-double rows: each phase is a method of its own, small enough that the JIT/AOT compiler
    /// inlines every lane operation into it (one big method exhausts the inliner's budget and
    /// calls the one-instruction members instead).</summary>
    private static class Lanes<L> where L : struct, ILanes<L>
    {
        private static int N => L.Count;

        // workspace rows (N doubles each)
        private const int RowE = 0;   // 9: scaled entries, row 3i + j
        private const int RowX = 9;   // 9: Jacobi columns, row 3p + i for column p
        private const int RowP = 18;  // 3: the pivot swap masks of the QR
        private const int RowO = 21;  // 3: column norms (the singular values, unordered)
        private const int RowV = 24;  // 3: the top singular vector
        private const int RowC = 27;  // 6: the other two columns (pivot swaps undone)
        private const int RowS = 33;  // 3: squared column norms during the sweeps
        private const int RowY = 36;  // 18: three double-double images A·v (refinement)
        private const int RowR = 54;  // 2: refined σ₁ (hi, lo)
        private const int RowMx = 56; // largest |entry| (before scaling)
        private const int RowOk = 57; // mask of the lanes the kernel handles (else the scalar path)
        private const int RowF = 58;  // the float64 result (r + lo)·2ᵉ where that is a normal number
        private const int RowFast = 59; // mask of the lanes where RowF holds the result
        private const int RowCn = 60; // 2: the norms of the two columns in RowC
        private const int Rows = 62;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static L Get(double* w, int row) => L.Load(w + row * N);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Put(double* w, int row, L v) => v.Store(w + row * N);

        /// <summary>Workspaces of N lanes per <see cref="Group"/>, whose phases (and Jacobi
        /// rotations) are issued alternately: independent dependency chains in flight. Measured
        /// (1e5 3×3, one thread): Vector512 2 ≈ 3 ≈ 4 (1 is ~35% slower), Vector256 3 ≈ 4, ~10%
        /// faster than 2.</summary>
        private static int Parts => N >= 8 ? 2 : 3;

        /// <summary>Matrices per <see cref="Group"/>.</summary>
        private static int GroupSize => Parts * N;

        public static void Range(MatrixBatch b, SvdOrd ord, long start, long end, Action<long> scalar, ref int evOut)
        {
            int ev = 0;
            int n = GroupSize;
            var xs = new nint[n]; var os = new nint[n]; var ks = new long[n];
            int filled = 0;
            b.ForRange(start, end, (k, xp, op) =>
            {
                xs[filled] = xp; os[filled] = op; ks[filled] = k; filled++;
                if (filled == n) { ev |= Group(b, ord, xs, os, ks, n, scalar); filled = 0; }
            });
            if (filled > 0) ev |= Group(b, ord, xs, os, ks, filled, scalar);
            evOut |= ev;
        }

        private static int Group(MatrixBatch b, SvdOrd ord, nint[] xs, nint[] os, long[] ks, int count, Action<long> scalar)
        {
            DType t = b.T;
            long rs = b.Rs, cs = b.Cs;
            int used = (count + N - 1) / N; // workspaces in use
            double* w = stackalloc double[Parts * Rows * N];
            for (int l = 0; l < used * N; l++)
            {
                byte* xp = (byte*)xs[l < count ? l : 0]; // pad with a copy of lane 0
                double* e = w + (l / N) * Rows * N + RowE * N + l % N; // entry (i, j) at e[(3i + j)·N]
                if (t == DType.Float64)
                {
                    for (int i = 0; i < 3; i++, xp += rs)
                    {
                        e[(3 * i) * N] = Unsafe.ReadUnaligned<double>(xp);
                        e[(3 * i + 1) * N] = Unsafe.ReadUnaligned<double>(xp + cs);
                        e[(3 * i + 2) * N] = Unsafe.ReadUnaligned<double>(xp + 2 * cs);
                    }
                }
                else
                    for (int i = 0; i < 3; i++)
                        for (int j = 0; j < 3; j++) e[(3 * i + j) * N] = RealReader.Read(t, xp + i * rs + j * cs);
            }
            // each phase for every workspace back to back (independent work for the out-of-order core)
            int wsz = Rows * N;
            for (int g = 0; g < used; g++) Scale(w + g * wsz);
            for (int g = 0; g < used; g++) Reduce(w + g * wsz);
            Jacobi(w, used);
            bool max = ord == SvdOrd.Max;
            for (int g = 0; g < used; g++) Finish(w + g * wsz, max);
            // ord 2: ‖Av‖/‖v‖ for the kernel's top singular vector v, in double-double on the scaled
            // input itself (SigmaMaxRefine's argument: a lower bound of σ₁, error quadratic in v's)
            if (max) for (int g = 0; g < used; g++) Refine(w + g * wsz);
            for (int g = 0; g < used; g++) Choose(w + g * wsz, ord);
            int ev = 0;
            bool f64 = b.OT == DType.Float64;
            for (int l = 0; l < count; l++)
            {
                double* h = w + (l / N) * Rows * N + l % N;
                if (BitConverter.DoubleToUInt64Bits(h[RowOk * N]) == 0) { scalar(ks[l]); continue; }
                if (f64 && BitConverter.DoubleToUInt64Bits(h[RowFast * N]) != 0) { Unsafe.WriteUnaligned((byte*)os[l], h[RowF * N]); continue; }
                ev |= (int)ResultWriter.Store(b.OT, (byte*)os[l], h[RowR * N], h[(RowR + 1) * N], Math.ILogB(h[RowMx * N]));
            }
            return ev;
        }

        /// <summary>Per lane: largest and smallest nonzero |entry| and finiteness of the entries in
        /// w; scales them by 2⁻ᵉ (mx in [2ᵉ, 2ᵉ⁺¹)), or to zero in lanes that must take the scalar
        /// path; mx and that mask to the workspace.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Scale(double* w)
        {
            var inf = L.Create(double.PositiveInfinity);
            var mx = L.Zero; var mn = inf; var fin = L.AllBitsSet;
            for (int q = 0; q < 9; q++)
            {
                var v = Get(w, RowE + q);
                var a = L.Abs(v);
                fin &= L.Equal(v - v, L.Zero);
                mx = L.Max(mx, a);
                mn = L.Min(mn, Sel(L.Equal(a, L.Zero), inf, a));
            }
            // mx in [2⁻⁹⁹⁹, 2¹⁰⁰⁰) and mn ≥ mx·2⁻⁴⁵⁰; the exponent bits of mx are 2ᵉ, and 1/2ᵉ is exact
            var ok = fin & L.GreaterThanOrEqual(mx, L.Create(1.8665272370064378e-301)) // 2⁻⁹⁹⁹
                     & L.LessThan(mx, L.Create(1.0715086071862673e301))            // 2¹⁰⁰⁰
                     & L.GreaterThanOrEqual(mn * L.Create(2.8948022309329048e135), mx);
            var f = Sel(ok, L.Create(1.0) / (mx & L.CreateBits(0x7FF0000000000000UL)), L.Zero);
            for (int q = 0; q < 9; q++) Put(w, RowE + q, Get(w, RowE + q) * f);
            Put(w, RowMx, mx); Put(w, RowOk, ok);
        }

        /// <summary>Per lane, the result (r, lo) of <paramref name="ord"/> from the column norms (and,
        /// for ord 2, the refined value), rounded once as <see cref="ResultWriter"/> would; lanes
        /// whose smallest σ is below 2⁻⁴⁰⁰ of the largest entry are dropped from the ok mask (scalar
        /// path). Scalar-equivalent: the same operations as the per-matrix code it replaces.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Choose(double* w, SvdOrd ord)
        {
            var o0 = Get(w, RowO); var o1 = Get(w, RowO + 1); var o2 = Get(w, RowO + 2);
            var ok = Get(w, RowOk) & ~L.LessThan(L.Min(o0, L.Min(o1, o2)), L.Create(SmallSigma));
            L r, lo = L.Zero;
            switch (ord)
            {
                case SvdOrd.Max:
                {
                    r = L.Max(L.Max(o0, o1), o2);
                    // the Rayleigh value never exceeds σ₁ (to ~2⁻¹⁰⁰); the Jacobi value is within a
                    // few ulps of σ₁, so a Rayleigh value far below it means a bad vector: keep r
                    var q = Get(w, RowR);
                    var keep = L.GreaterThanOrEqual(q, r * L.Create(1 - 32 * Eps / 2));
                    r = Sel(keep, q, r); lo = Sel(keep, Get(w, RowR + 1), lo);
                    break;
                }
                case SvdOrd.Min: r = L.Min(L.Min(o0, o1), o2); break;
                default:
                    r = L.Zero;
                    AddDD(ref r, ref lo, o0, L.Zero); AddDD(ref r, ref lo, o1, L.Zero); AddDD(ref r, ref lo, o2, L.Zero);
                    break;
            }
            Put(w, RowR, r); Put(w, RowR + 1, lo); Put(w, RowOk, ok);
            // (r + lo)·2ᵉ, 2ᵉ the exponent bits of the largest |entry|: exact, and what
            // Rounding.ToDouble gives, whenever it is a normal number (then it is above 2⁻¹⁰²²; a
            // value rounded to 2⁻¹⁰²² itself may come from below, so it takes the general store)
            var v = (r + lo) * (Get(w, RowMx) & L.CreateBits(0x7FF0000000000000UL));
            Put(w, RowF, v); Put(w, RowFast, ok & L.GreaterThan(v, L.Create(2.2250738585072014e-308)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static L Sel(L mask, L a, L b) => L.Select(mask, a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Swap(L mask, ref L a, ref L b)
        {
            var na = Sel(mask, b, a); var nb = Sel(mask, a, b);
            a = na; b = nb;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static L Fma(L a, L b, L c) => L.Fma(a, b, c);

        /// <summary>Rows sorted, pivoted Householder QR: from the scaled entries to the Jacobi
        /// columns X = Rᵀ and the three pivot masks.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Reduce(double* w)
        {
            var a00 = Get(w, RowE); var a01 = Get(w, RowE + 1); var a02 = Get(w, RowE + 2);
            var a10 = Get(w, RowE + 3); var a11 = Get(w, RowE + 4); var a12 = Get(w, RowE + 5);
            var a20 = Get(w, RowE + 6); var a21 = Get(w, RowE + 7); var a22 = Get(w, RowE + 8);
            var zero = L.Zero;
            var one = L.Create(1.0);

            // 1. rows by decreasing largest |entry|, stable (swap only on strictly greater)
            var k0 = L.Max(L.Max(L.Abs(a00), L.Abs(a01)), L.Abs(a02));
            var k1 = L.Max(L.Max(L.Abs(a10), L.Abs(a11)), L.Abs(a12));
            var k2 = L.Max(L.Max(L.Abs(a20), L.Abs(a21)), L.Abs(a22));
            var m = L.GreaterThan(k1, k0);
            Swap(m, ref a00, ref a10); Swap(m, ref a01, ref a11); Swap(m, ref a02, ref a12); Swap(m, ref k0, ref k1);
            m = L.GreaterThan(k2, k1);
            Swap(m, ref a10, ref a20); Swap(m, ref a11, ref a21); Swap(m, ref a12, ref a22); Swap(m, ref k1, ref k2);
            m = L.GreaterThan(k1, k0);
            Swap(m, ref a00, ref a10); Swap(m, ref a01, ref a11); Swap(m, ref a02, ref a12);

            // 2. Householder QR with column pivoting (norms recomputed, not downdated: 3×3)
            var c0 = Fma(a20, a20, Fma(a10, a10, a00 * a00));
            var c1 = Fma(a21, a21, Fma(a11, a11, a01 * a01));
            var c2 = Fma(a22, a22, Fma(a12, a12, a02 * a02));
            var p1 = L.GreaterThan(c1, c0);          // pivot among columns 0, 1
            Swap(p1, ref a00, ref a01); Swap(p1, ref a10, ref a11); Swap(p1, ref a20, ref a21); Swap(p1, ref c0, ref c1);
            var p2 = L.GreaterThan(c2, c0);          // then column 2
            Swap(p2, ref a00, ref a02); Swap(p2, ref a10, ref a12); Swap(p2, ref a20, ref a22);
            {
                var x2 = Fma(a20, a20, a10 * a10);
                var nz = ~L.Equal(x2, zero);
                var beta = -L.CopySign(L.Sqrt(Fma(a00, a00, x2)), a00);
                var v0 = a00 - beta;
                var tau = (beta - a00) / beta;
                var inv = one / v0;
                var v1 = a10 * inv; var v2 = a20 * inv;
                var w1 = Fma(v2, a21, Fma(v1, a11, a01)) * tau;
                var w2 = Fma(v2, a22, Fma(v1, a12, a02)) * tau;
                a01 = Sel(nz, a01 - w1, a01); a11 = Sel(nz, Fma(-w1, v1, a11), a11); a21 = Sel(nz, Fma(-w1, v2, a21), a21);
                a02 = Sel(nz, a02 - w2, a02); a12 = Sel(nz, Fma(-w2, v1, a12), a12); a22 = Sel(nz, Fma(-w2, v2, a22), a22);
                a00 = Sel(nz, beta, a00);
            }
            // k = 1: pivot between trailing columns 1 and 2 (rows 1..2)
            c1 = Fma(a21, a21, a11 * a11);
            c2 = Fma(a22, a22, a12 * a12);
            var p3 = L.GreaterThan(c2, c1);
            Swap(p3, ref a01, ref a02); Swap(p3, ref a11, ref a12); Swap(p3, ref a21, ref a22);
            {
                var x2 = a21 * a21;
                var nz = ~L.Equal(x2, zero);
                var beta = -L.CopySign(L.Sqrt(Fma(a11, a11, x2)), a11);
                var v0 = a11 - beta;
                var tau = (beta - a11) / beta;
                var v2 = a21 / v0;
                var w2 = Fma(v2, a22, a12) * tau;
                a12 = Sel(nz, a12 - w2, a12); a22 = Sel(nz, Fma(-w2, v2, a22), a22);
                a11 = Sel(nz, beta, a11);
            }

            // 3. X = Rᵀ: x0 = (r00, r01, r02), x1 = (0, r11, r12), x2 = (0, 0, r22)
            Put(w, RowX, a00); Put(w, RowX + 1, a01); Put(w, RowX + 2, a02);
            Put(w, RowX + 3, zero); Put(w, RowX + 4, a11); Put(w, RowX + 5, a12);
            Put(w, RowX + 6, zero); Put(w, RowX + 7, zero); Put(w, RowX + 8, a22);
            Put(w, RowP, p1); Put(w, RowP + 1, p2); Put(w, RowP + 2, p3);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static L Dot(L p0, L p1, L p2, L q0, L q1, L q2) => Fma(p2, q2, Fma(p1, q1, p0 * q0));

        /// <summary>One-sided Jacobi sweeps over the columns of X in workspaces [0, parts) from
        /// <paramref name="w"/>, their rotations interleaved, until each has had a sweep without
        /// rotation in any lane (or <see cref="MaxSweeps"/>).</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Jacobi(double* w, int parts)
        {
            int wsz = Rows * N;
            uint active = (1u << parts) - 1; // bit g: workspace g rotated in its last sweep
            for (int g = 0; g < parts; g++) Squares(w + g * wsz);
            for (int sweep = 0; sweep < MaxSweeps && active != 0; sweep++)
            {
                uint next = 0;
                for (int pair = 0; pair < 3; pair++)
                {
                    int pc = pair >> 1, qc = pair == 0 ? 1 : 2; // (0, 1), (0, 2), (1, 2)
                    for (int g = 0; g < parts; g++)
                        if ((active >> g & 1) != 0 && Rotate(w + g * wsz, pc, qc)) next |= 1u << g;
                }
                active = next;
            }
        }

        /// <summary>Squared norms of the three columns of X.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Squares(double* w)
        {
            for (int c = 0; c < 3; c++)
            {
                var x0 = Get(w, RowX + 3 * c); var x1 = Get(w, RowX + 3 * c + 1); var x2 = Get(w, RowX + 3 * c + 2);
                Put(w, RowS + c, Dot(x0, x1, x2, x0, x1, x2));
            }
        }

        /// <summary>One Jacobi rotation of the column pair (p, q) in every lane where they are not yet
        /// orthogonal to 3·2⁻⁵³; identity elsewhere. Returns whether any lane rotated.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool Rotate(double* w, int pc, int qc)
        {
            const double tol = 3 * Eps;
            int pr = RowX + 3 * pc, qr = RowX + 3 * qc;
            var p0 = Get(w, pr); var p1 = Get(w, pr + 1); var p2 = Get(w, pr + 2);
            var q0 = Get(w, qr); var q1 = Get(w, qr + 1); var q2 = Get(w, qr + 2);
            var zero = L.Zero;
            var alpha = Get(w, RowS + pc); var beta = Get(w, RowS + qc);
            var gamma = Dot(p0, p1, p2, q0, q1, q2);
            var ab = alpha * beta;
            // |γ| > tol·√(αβ): squared while αβ is far from underflow, else with square roots
            var big = L.GreaterThan(ab, L.Create(1e-280));
            var test = L.GreaterThan(gamma * gamma, L.Create(tol * tol) * ab);
            if (!L.AllSet(big))
                test = Sel(big, test,
                    L.GreaterThan(L.Abs(gamma), L.Create(tol) * L.Sqrt(alpha) * L.Sqrt(beta)));
            var mask = test & ~L.Equal(alpha, zero) & ~L.Equal(beta, zero);
            if (L.AllZero(mask)) return false;
            var one = L.Create(1.0);
            // tan θ = t = sign(dγ)·|2γ| / u with d = β − α, u = |d| + √(d² + 4γ²) (the smaller root of
            // the 2×2 problem, without dividing by γ; entries are scaled to [2⁻⁴⁵⁰, 2), so nothing
            // overflows). With h = √(u² + 4γ²) = u·√(1 + t²): s = sin θ = sign·|2γ|/h and
            // 1 − c = 4γ²/(h(h + u)), from one division — one square root and one division fewer on
            // this chain than forming t first. Where u < 2⁻⁵⁰⁰ (u² would lose bits) the tangent form.
            var d = beta - alpha;
            var g2 = gamma + gamma;
            var g2sq = g2 * g2;
            var u = L.Abs(d) + L.Sqrt(Fma(d, d, g2sq));
            var sg = L.CopySign(L.Abs(g2), d * gamma);
            var h = L.Sqrt(Fma(u, u, g2sq));
            var hu = h + u;
            var iq = one / (h * hu);
            var sn = sg * (hu * iq);
            var omc = g2sq * iq;
            var small = mask & L.LessThan(u, L.Create(3.054936363499605e-151)); // 2⁻⁵⁰⁰
            if (!L.AllZero(small))
            {
                // t = sign·|2γ|/u with u from d and 2γ scaled by 2⁶⁰⁰ (exact: both are below 2⁻⁵⁰⁰ here): unscaled,
                // d² and 4γ² underflow once the pair's columns are below ~2⁻²⁶⁸ and u fell to |d| — a wrong angle
                // (σ_min of [[1, 0, 0], [0, s, 0], [0, 0.3s, s]], s = 1e−100, came out 11 % high). Where nothing
                // underflowed this is the same t bit for bit (scaling by a power of two commutes with rounding).
                // c = 1/r, s = t/r, 1 − c = t²/(r(r + 1)), r = √(1 + t²); ±1 where u = 0 (no rotation needed there)
                var sc = L.Create(4.149515568880993e180); // 2⁶⁰⁰
                var ds = d * sc;
                var gs = g2 * sc;
                var us = L.Abs(ds) + L.Sqrt(Fma(ds, ds, gs * gs));
                var t = Sel(L.Equal(us, zero), L.CopySign(one, sg), (sg * sc) / us);
                var r = L.Sqrt(Fma(t, t, one));
                var rp = r + one;
                var qv = one / (r * rp);
                sn = Sel(small, t * (qv * rp), sn);
                omc = Sel(small, t * t * qv, omc);
            }
            sn = Sel(mask, sn, zero);
            omc = Sel(mask, omc, zero);
            // [x, y] ← [x − (omc·x + s·y), y − (omc·y − s·x)]
            var u0 = p0; var u1 = p1; var u2 = p2; var w0 = q0; var w1 = q1; var w2 = q2;
            p0 = u0 - Fma(omc, u0, sn * w0); q0 = w0 - Fma(omc, w0, -(sn * u0));
            p1 = u1 - Fma(omc, u1, sn * w1); q1 = w1 - Fma(omc, w1, -(sn * u1));
            p2 = u2 - Fma(omc, u2, sn * w2); q2 = w2 - Fma(omc, w2, -(sn * u2));
            // the squared norms recomputed from the rotated columns (identical where nothing rotated)
            Put(w, RowS + pc, Dot(p0, p1, p2, p0, p1, p2));
            Put(w, RowS + qc, Dot(q0, q1, q2, q0, q1, q2));
            Put(w, pr, p0); Put(w, pr + 1, p1); Put(w, pr + 2, p2);
            Put(w, qr, q0); Put(w, qr + 1, q1); Put(w, qr + 2, q2);
            return true;
        }

        /// <summary>Column norms of X·J (the singular values), the top singular vector of A (the
        /// largest column, pivot swaps undone, divided by its norm) and the other two columns,
        /// normalised alike (the vectors only if <paramref name="vectors"/>: ord 2).</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Finish(double* w, bool vectors)
        {
            var x00 = Get(w, RowX); var x01 = Get(w, RowX + 1); var x02 = Get(w, RowX + 2);
            var x10 = Get(w, RowX + 3); var x11 = Get(w, RowX + 4); var x12 = Get(w, RowX + 5);
            var x20 = Get(w, RowX + 6); var x21 = Get(w, RowX + 7); var x22 = Get(w, RowX + 8);
            var p1 = Get(w, RowP); var p2 = Get(w, RowP + 1); var p3 = Get(w, RowP + 2);
            var one = L.Create(1.0);
            var o0 = Norm(x00, x01, x02); var o1 = Norm(x10, x11, x12); var o2 = Norm(x20, x21, x22);
            Put(w, RowO, o0); Put(w, RowO + 1, o1); Put(w, RowO + 2, o2);
            if (!vectors) return;
            // The columns of X·J are σⱼ·uⱼ with uⱼ the left singular vectors of X = Rᵀ, i.e. the right
            // singular vectors of R: the column of largest norm is (to the Jacobi tolerance) σ₁·v₁ of R.
            // A·S₁S₂S₃ = PᵀQR (S: the pivot swaps in order), so v₁ of A is S₁(S₂(S₃·v₁ of R)).
            var t1 = L.GreaterThan(o1, o0);
            var best = Sel(t1, o1, o0);
            var sv0 = Sel(t1, x10, x00); var sv1 = Sel(t1, x11, x01); var sv2 = Sel(t1, x12, x02);
            var t2 = L.GreaterThan(o2, best);
            sv0 = Sel(t2, x20, sv0); sv1 = Sel(t2, x21, sv1); sv2 = Sel(t2, x22, sv2);
            Swap(p3, ref sv1, ref sv2);
            Swap(p2, ref sv0, ref sv2);
            Swap(p1, ref sv0, ref sv1);
            // the other two columns and their norms, for the correction step
            var b0 = ~(t1 | t2);
            var oa = Sel(b0, o1, o0); var ob = Sel(t2, o1, o2);
            var ca0 = Sel(b0, x10, x00); var ca1 = Sel(b0, x11, x01); var ca2 = Sel(b0, x12, x02);
            var cb0 = Sel(t2, x10, x20); var cb1 = Sel(t2, x11, x21); var cb2 = Sel(t2, x12, x22);
            Put(w, RowCn, oa); Put(w, RowCn + 1, ob); // Correct divides by these (rarely needed)
            Swap(p3, ref ca1, ref ca2); Swap(p2, ref ca0, ref ca2); Swap(p1, ref ca0, ref ca1);
            Swap(p3, ref cb1, ref cb2); Swap(p2, ref cb0, ref cb2); Swap(p1, ref cb0, ref cb1);
            Put(w, RowC, ca0); Put(w, RowC + 1, ca1); Put(w, RowC + 2, ca2);
            Put(w, RowC + 3, cb0); Put(w, RowC + 4, cb1); Put(w, RowC + 5, cb2);
            var fs = one / best;
            Put(w, RowV, sv0 * fs); Put(w, RowV + 1, sv1 * fs); Put(w, RowV + 2, sv2 * fs);
        }

        /// <summary>σ₁ per lane (hi, lo) to the workspace: the larger of the Rayleigh values of v₁ (the kernel's top
        /// vector) and of v₁ corrected within the span of the other two kernel vectors. Both are lower
        /// bounds of σ₁; the correction matters when σ₂ (or σ₃) is within a few ulps of σ₁, where v₁'s
        /// error (its columns are orthogonal only to the Jacobi tolerance) is of the order of the gap.
        /// With ĉ = (v₁, c_a, c_b) and ρ = Rayleigh(v₁)², K = (Aĉ)ᵀ(Aĉ) − ρ·ĉᵀĉ is formed in
        /// double-double (K₁₁ ≈ 0, K_kk ≈ −gap); a Jacobi rotation of each pair (1, k) of K gives the
        /// coefficient tₖ, and v = v₁ − t_a·c_a − t_b·c_b.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Refine(double* w)
        {
            double* y = w + RowY * N; // y[vec][i] hi at (6·vec + 2i)·N, lo at (6·vec + 2i + 1)·N
            var v0 = Get(w, RowV); var v1 = Get(w, RowV + 1); var v2 = Get(w, RowV + 2);
            Apply(w, v0, v1, v2, y);
            var yy = DotYY(y, y, out var yyl);
            var nn = DotVV(v0, v1, v2, v0, v1, v2, out var nnl);
            var rho = Div(yy, yyl, nn, nnl, out var rhol);
            // v₁'s error in the direction of vₖ is ~(orthogonality tolerance)/(σ₁ − σₖ)·σ₁, its Rayleigh
            // deficit ~tolerance²/gap: negligible unless another Jacobi norm is within 2⁻⁴⁰ of the
            // largest. Only such lanes take the correction (a per-lane mask, so a lane's result never
            // depends on whether its mates needed it); groups without one skip it.
            var o0 = Get(w, RowO); var o1 = Get(w, RowO + 1); var o2 = Get(w, RowO + 2);
            var top = L.Max(o0, L.Max(o1, o2));
            var lim = top * L.Create(9.094947017729282e-13); // 2⁻⁴⁰
            var close = L.LessThanOrEqual(top - o0, lim) & L.LessThan(o0, top)
                      | L.LessThanOrEqual(top - o1, lim) & L.LessThan(o1, top)
                      | L.LessThanOrEqual(top - o2, lim) & L.LessThan(o2, top);
            // two or three equal norms (o == top for more than one): also close
            var q0 = L.Equal(o0, top); var q1 = L.Equal(o1, top); var q2 = L.Equal(o2, top);
            close |= q0 & q1 | q0 & q2 | q1 & q2;
            if (!L.AllZero(close)) Correct(w, close, ref rho, ref rhol);
            var r = SqrtDD(rho, rhol, out var lo);
            Put(w, RowR, r); Put(w, RowR + 1, lo);
        }

        /// <summary>The correction step of <see cref="Refine"/> for the lanes in <paramref name="close"/>:
        /// replaces (ρ, ρ_lo) by the corrected vector's Rayleigh value where that is larger.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Correct(double* w, L close, ref L rho, ref L rhol)
        {
            double* y = w + RowY * N;
            var v0 = Get(w, RowV); var v1 = Get(w, RowV + 1); var v2 = Get(w, RowV + 2);
            // the other two columns normalised (approximately: used as they are); zero if zero
            var zero = L.Zero; var one = L.Create(1.0);
            var oa = Get(w, RowCn); var ob = Get(w, RowCn + 1);
            var fa = Sel(L.Equal(oa, zero), zero, one / oa);
            var fb = Sel(L.Equal(ob, zero), zero, one / ob);
            var a0 = Get(w, RowC) * fa; var a1 = Get(w, RowC + 1) * fa; var a2 = Get(w, RowC + 2) * fa;
            var b0 = Get(w, RowC + 3) * fb; var b1 = Get(w, RowC + 4) * fb; var b2 = Get(w, RowC + 5) * fb;
            Apply(w, a0, a1, a2, y + 6 * N);
            Apply(w, b0, b1, b2, y + 12 * N);
            var k11 = KEntry(y, y, v0, v1, v2, v0, v1, v2, rho, rhol);
            var kaa = KEntry(y + 6 * N, y + 6 * N, a0, a1, a2, a0, a1, a2, rho, rhol);
            var kbb = KEntry(y + 12 * N, y + 12 * N, b0, b1, b2, b0, b1, b2, rho, rhol);
            var ta = Tangent(k11, kaa, KEntry(y, y + 6 * N, v0, v1, v2, a0, a1, a2, rho, rhol));
            var tb = Tangent(k11, kbb, KEntry(y, y + 12 * N, v0, v1, v2, b0, b1, b2, rho, rhol));
            // the pair's eigenvector of the larger eigenvalue: (1, −t) if K₁₁ ≥ K_kk, else (t, 1) (in a
            // cluster the Jacobi column ordering may disagree with the Rayleigh values); combined as
            // (x₁y₁, x_a·y₁, x₁·y_b) — exact for one close neighbour, a heuristic for two, and only kept
            // if its Rayleigh value is larger
            var sa = L.GreaterThanOrEqual(k11, kaa); var sb = L.GreaterThanOrEqual(k11, kbb);
            var x1 = Sel(sa, one, ta); var xa = Sel(sa, -ta, one);
            var y1 = Sel(sb, one, tb); var yb = Sel(sb, -tb, one);
            var cvv = x1 * y1; var ca = xa * y1; var cb = x1 * yb;
            var w0 = Fma(cvv, v0, Fma(ca, a0, cb * b0)); var w1 = Fma(cvv, v1, Fma(ca, a1, cb * b1)); var w2 = Fma(cvv, v2, Fma(ca, a2, cb * b2));
            Apply(w, w0, w1, w2, y + 6 * N);
            var zz = DotYY(y + 6 * N, y + 6 * N, out var zzl);
            var mm = DotVV(w0, w1, w2, w0, w1, w2, out var mml);
            var q = Div(zz, zzl, mm, mml, out var ql);
            var better = close & (L.GreaterThan(q, rho) | (L.Equal(q, rho) & L.GreaterThan(ql, rhol)));
            rho = Sel(better, q, rho); rhol = Sel(better, ql, rhol);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static L SqrtDD(L qh, L ql, out L lo)
        {
            var r = L.Sqrt(qh);
            var c = (Fma(-r, r, qh) + ql) / (r + r);
            return FastTwoSum(r, c, out lo);
        }

        /// <summary>Rows of A·v per lane (A: the scaled entries in w) as double-double (Dot2) into y:
        /// hi of row i at 2i·N, lo at (2i + 1)·N.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Apply(double* w, L v0, L v1, L v2, double* y)
        {
            for (int i = 0; i < 3; i++)
            {
                var b0 = Get(w, RowE + 3 * i); var b1 = Get(w, RowE + 3 * i + 1); var b2 = Get(w, RowE + 3 * i + 2);
                var h = b0 * v0; var er = Fma(b0, v0, -h);
                var p = b1 * v1; er += Fma(b1, v1, -p);
                h = TwoSum(h, p, out var se); er += se;
                p = b2 * v2; er += Fma(b2, v2, -p);
                h = TwoSum(h, p, out se); er += se;
                var yh = TwoSum(h, er, out var yl);
                yh.Store(y + 2 * N * i); yl.Store(y + (2 * i + 1) * N);
            }
        }

        /// <summary>Σᵢ yᵢ·zᵢ for double-double 3-vectors (layout of <see cref="Apply"/>), in double-double.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static L DotYY(double* y, double* z, out L lo)
        {
            L sh = L.Zero, sl = L.Zero;
            for (int i = 0; i < 3; i++)
            {
                var ah = L.Load(y + 2 * N * i); var al = L.Load(y + (2 * i + 1) * N);
                var bh = L.Load(z + 2 * N * i); var bl = L.Load(z + (2 * i + 1) * N);
                var ph = ah * bh;
                var pl = Fma(ah, bl, Fma(al, bh, Fma(ah, bh, -ph)));
                AddDD(ref sh, ref sl, ph, pl);
            }
            lo = sl;
            return sh;
        }

        /// <summary>a·b of double 3-vectors: exact products summed in double-double.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static L DotVV(L a0, L a1, L a2, L b0, L b1, L b2, out L lo)
        {
            var h = a0 * b0; var l = Fma(a0, b0, -h);
            var p = a1 * b1; AddDD(ref h, ref l, p, Fma(a1, b1, -p));
            p = a2 * b2; AddDD(ref h, ref l, p, Fma(a2, b2, -p));
            lo = l;
            return h;
        }

        /// <summary>(Au)·(Aw) − ρ·(u·w), rounded to double from double-double.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static L KEntry(double* yu, double* yw, L u0, L u1, L u2, L w0, L w1, L w2, L rho, L rhol)
        {
            var g = DotYY(yu, yw, out var gl);
            var m = DotVV(u0, u1, u2, w0, w1, w2, out var ml);
            var ph = rho * m;
            var pl = Fma(rho, ml, Fma(rhol, m, Fma(rho, m, -ph)));
            AddDD(ref g, ref gl, -ph, -pl);
            return g + gl;
        }

        /// <summary>tan θ of the Jacobi rotation of the symmetric pair [[α, γ], [γ, β]] whose first
        /// vector (1, −t) takes the larger eigenvalue α − tγ (as in <see cref="Rotate"/>); 0 if γ = 0.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static L Tangent(L alpha, L beta, L gamma)
        {
            var zero = L.Zero;
            var d = beta - alpha;
            var g2 = gamma + gamma;
            var den = L.Abs(d) + L.Sqrt(Fma(d, d, g2 * g2));
            var sgn = L.CopySign(L.Create(1.0), d * gamma);
            var t = sgn * L.Abs(g2) / den;
            return Sel(L.Equal(den, zero) | ~L.Equal(t, t), zero, t);
        }

        /// <summary>(ah + al)/(bh + bl) in double-double.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static L Div(L ah, L al, L bh, L bl, out L lo)
        {
            var q1 = ah / bh;
            var m = q1 * bh; var me = Fma(q1, bh, -m);
            me = Fma(q1, bl, me);
            var d = TwoSum(ah, -m, out var de);
            de += al - me;
            var qc = (d + de) / bh;
            return FastTwoSum(q1, qc, out lo);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static L TwoSum(L a, L b, out L err)
        {
            var s = a + b; var bb = s - a;
            err = (a - (s - bb)) + (b - bb);
            return s;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static L FastTwoSum(L a, L b, out L err)
        {
            var s = a + b;
            err = b - (s - a);
            return s;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void AddDD(ref L hi, ref L lo, L bh, L bl)
        {
            var s = TwoSum(hi, bh, out var e);
            e += lo + bl;
            hi = FastTwoSum(s, e, out lo);
        }

        /// <summary>‖(a, b, c)‖ per lane: FMA-exact squares summed in double-double, one corrected square root.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static L Norm(L a, L b, L c)
        {
            var hi = a * a; var lo = Fma(a, a, -hi);
            Acc(ref hi, ref lo, b); Acc(ref hi, ref lo, c);
            var h = hi + lo; var l = lo - (h - hi);
            var r = L.Sqrt(h);
            var corr = (Fma(-r, r, h) + l) / (r + r);
            return Sel(L.Equal(h, L.Zero), h, r + corr);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Acc(ref L hi, ref L lo, L x)
        {
            var p = x * x; var pe = Fma(x, x, -p);
            var s = hi + p; var bb = s - hi;
            lo += (hi - (s - bb)) + (p - bb) + pe;
            hi = s;
        }
    }
}
