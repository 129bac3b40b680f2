using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NormManaged.Engine;
using NormManaged.Kernels;

namespace NormManaged.Matrix;

/// <summary>Real 3×3 stacks for ord 2 / −2 / nuc, four matrices per 256-bit vector (one matrix per
/// lane): the same algorithm as <see cref="SvdKernel.SingularValues"/> — rows sorted by decreasing
/// largest |entry| (stable), Householder QR with column pivoting, one-sided Jacobi on Rᵀ to 3·2⁻⁵³,
/// σⱼ = ‖column j‖ in double-double — written lane-wise with masks instead of branches, so there is
/// no per-matrix dispatch, buffer or call. A lane that has converged only repeats identity sweeps,
/// so each matrix's result depends on that matrix alone (never on its lane mates, the batch split
/// or the thread count).
///
/// For ord 2 the Jacobi value (up to ~2.5 ulps off: rounding accumulated over the rotations) is
/// replaced by ‖Av‖/‖v‖ evaluated in double-double on the scaled input, v the kernel's top singular
/// vector (the largest final column, pivot swaps undone) — the lane-parallel form of
/// <see cref="SigmaMaxRefine"/>: a lower bound of σ₁ whose deficit is quadratic in v's error. Where
/// another singular value is within 2⁻⁴⁰ of σ₁, v is first corrected in the span of the kernel's
/// other two vectors (see <see cref="Refine"/>). Measured: ≤ 0.5 ulp on generic matrices and for a
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
    private const double Tiny = 3.5257702261856614e-136; // 2^-450
    private const double SmallSigma = 3.8725919148493183e-121; // 2^-400

    /// <summary>Computes matrices [start, end) of a real 3×3 batch; <paramref name="scalar"/> runs the
    /// general path for one matrix index.</summary>
    public static void Range(MatrixBatch b, SvdOrd ord, long start, long end, Action<long> scalar, ref int evOut)
    {
        int ev = 0;
        var xs = new nint[4]; var os = new nint[4]; var ks = new long[4];
        int filled = 0;
        b.ForRange(start, end, (k, xp, op) =>
        {
            xs[filled] = xp; os[filled] = op; ks[filled] = k; filled++;
            if (filled == 4) { ev |= Group(b, ord, xs, os, ks, 4, scalar); filled = 0; }
        });
        if (filled > 0) ev |= Group(b, ord, xs, os, ks, filled, scalar);
        evOut |= ev;
    }


    private static int Group(MatrixBatch b, SvdOrd ord, nint[] xs, nint[] os, long[] ks, int count, Action<long> scalar)
    {
        DType t = b.T;
        long rs = b.Rs, cs = b.Cs;
        double* e = stackalloc double[9 * 4]; // e[(3i + j)·4 + lane]
        for (int l = 0; l < 4; l++)
        {
            byte* xp = (byte*)xs[l < count ? l : 0]; // pad with a copy of lane 0
            if (t == DType.Float64)
            {
                for (int i = 0; i < 3; i++, xp += rs)
                {
                    e[(3 * i) * 4 + l] = Unsafe.ReadUnaligned<double>(xp);
                    e[(3 * i + 1) * 4 + l] = Unsafe.ReadUnaligned<double>(xp + cs);
                    e[(3 * i + 2) * 4 + l] = Unsafe.ReadUnaligned<double>(xp + 2 * cs);
                }
            }
            else
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 3; j++) e[(3 * i + j) * 4 + l] = RealReader.Read(t, xp + i * rs + j * cs);
        }
        // per lane: largest and smallest nonzero |entry|, finiteness, then the power-of-two scale
        var inf = Vector256.Create(double.PositiveInfinity);
        var mx = Vector256<double>.Zero; var mn = inf; var fin = Vector256<double>.AllBitsSet;
        for (int q = 0; q < 9; q++)
        {
            var v = Vector256.Load(e + 4 * q);
            var a = Vector256.Abs(v);
            fin &= Vector256.Equals(v - v, Vector256<double>.Zero);
            mx = Vector256.Max(mx, a);
            mn = Vector256.Min(mn, Sel(Vector256.Equals(a, Vector256<double>.Zero), inf, a));
        }
        var field = mx.AsInt64() >>> 52; // biased exponent of mx (finite, non-negative)
        var okv = fin & Vector256.GreaterThan(field, Vector256.Create(23L)).AsDouble()
                     & Vector256.LessThan(field, Vector256.Create(2023L)).AsDouble()
                     & Vector256.GreaterThanOrEqual(mn * Vector256.Create(2.8948022309329048e135), mx); // mn ≥ mx·2⁻⁴⁵⁰
        var f = Sel(okv, (Vector256.Create(2046L) - field << 52).AsDouble(), Vector256<double>.Zero);
        for (int q = 0; q < 9; q++) (Vector256.Load(e + 4 * q) * f).Store(e + 4 * q);
        double* cv = stackalloc double[6 * 4];
        Kernel(e, out var s0, out var s1, out var s2, out var u0, out var u1, out var u2, cv);
        // ord 2: ‖Av‖/‖v‖ for the kernel's top singular vector v, in double-double on the scaled
        // input itself (SigmaMaxRefine's argument: a lower bound of σ₁, error quadratic in v's)
        Vector256<double> rh = default, rl = default;
        if (ord == SvdOrd.Max) rh = Refine(e, u0, u1, u2, cv, s0, s1, s2, out rl);
        int ev = 0;
        for (int l = 0; l < count; l++)
        {
            double a0 = s0.GetElement(l), a1 = s1.GetElement(l), a2 = s2.GetElement(l);
            if (okv.AsUInt64().GetElement(l) == 0 || Math.Min(a0, Math.Min(a1, a2)) < SmallSigma) { scalar(ks[l]); continue; }
            double r, lo = 0;
            switch (ord)
            {
                case SvdOrd.Max:
                    r = Math.Max(Math.Max(a0, a1), a2);
                    // the Rayleigh value never exceeds σ₁ (to ~2⁻¹⁰⁰); the Jacobi value is within a
                    // few ulps of σ₁, so a Rayleigh value far below it means a bad vector: keep r
                    double q = rh.GetElement(l);
                    if (q >= r * (1 - 32 * Eps / 2)) { r = q; lo = rl.GetElement(l); }
                    break;
                case SvdOrd.Min: r = Math.Min(Math.Min(a0, a1), a2); break;
                default:
                    r = 0;
                    DD.Add(ref r, ref lo, a0, 0); DD.Add(ref r, ref lo, a1, 0); DD.Add(ref r, ref lo, a2, 0);
                    break;
            }
            ev |= (int)ResultWriter.Store(b.OT, (byte*)os[l], r, lo, (int)field.GetElement(l) - 1023);
        }
        return ev;
    }

    private static Vector256<double> Sel(Vector256<double> mask, Vector256<double> a, Vector256<double> b)
        => Vector256.ConditionalSelect(mask, a, b);

    private static void Swap(Vector256<double> mask, ref Vector256<double> a, ref Vector256<double> b)
    {
        var na = Sel(mask, b, a); var nb = Sel(mask, a, b);
        a = na; b = nb;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Fma(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);

    /// <summary>Singular values (unordered) of four scaled 3×3 matrices given entry-major in e.</summary>
    private static void Kernel(double* e, out Vector256<double> o0, out Vector256<double> o1, out Vector256<double> o2,
        out Vector256<double> sv0, out Vector256<double> sv1, out Vector256<double> sv2, double* cv)
    {
        var a00 = Vector256.Load(e + 0); var a01 = Vector256.Load(e + 4); var a02 = Vector256.Load(e + 8);
        var a10 = Vector256.Load(e + 12); var a11 = Vector256.Load(e + 16); var a12 = Vector256.Load(e + 20);
        var a20 = Vector256.Load(e + 24); var a21 = Vector256.Load(e + 28); var a22 = Vector256.Load(e + 32);
        var zero = Vector256<double>.Zero;
        var one = Vector256.Create(1.0);

        // 1. rows by decreasing largest |entry|, stable (swap only on strictly greater)
        var k0 = Vector256.Max(Vector256.Max(Vector256.Abs(a00), Vector256.Abs(a01)), Vector256.Abs(a02));
        var k1 = Vector256.Max(Vector256.Max(Vector256.Abs(a10), Vector256.Abs(a11)), Vector256.Abs(a12));
        var k2 = Vector256.Max(Vector256.Max(Vector256.Abs(a20), Vector256.Abs(a21)), Vector256.Abs(a22));
        var m = Vector256.GreaterThan(k1, k0);
        Swap(m, ref a00, ref a10); Swap(m, ref a01, ref a11); Swap(m, ref a02, ref a12); Swap(m, ref k0, ref k1);
        m = Vector256.GreaterThan(k2, k1);
        Swap(m, ref a10, ref a20); Swap(m, ref a11, ref a21); Swap(m, ref a12, ref a22); Swap(m, ref k1, ref k2);
        m = Vector256.GreaterThan(k1, k0);
        Swap(m, ref a00, ref a10); Swap(m, ref a01, ref a11); Swap(m, ref a02, ref a12);

        // 2. Householder QR with column pivoting (norms recomputed, not downdated: 3×3)
        var c0 = Fma(a20, a20, Fma(a10, a10, a00 * a00));
        var c1 = Fma(a21, a21, Fma(a11, a11, a01 * a01));
        var c2 = Fma(a22, a22, Fma(a12, a12, a02 * a02));
        var p1 = Vector256.GreaterThan(c1, c0);          // pivot among columns 0, 1
        Swap(p1, ref a00, ref a01); Swap(p1, ref a10, ref a11); Swap(p1, ref a20, ref a21); Swap(p1, ref c0, ref c1);
        var p2 = Vector256.GreaterThan(c2, c0);          // then column 2
        Swap(p2, ref a00, ref a02); Swap(p2, ref a10, ref a12); Swap(p2, ref a20, ref a22);
        {
            var x2 = Fma(a20, a20, a10 * a10);
            var nz = ~Vector256.Equals(x2, zero);
            var beta = -Vector256.CopySign(Vector256.Sqrt(Fma(a00, a00, x2)), a00);
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
        var p3 = Vector256.GreaterThan(c2, c1);
        Swap(p3, ref a01, ref a02); Swap(p3, ref a11, ref a12); Swap(p3, ref a21, ref a22);
        {
            var x2 = a21 * a21;
            var nz = ~Vector256.Equals(x2, zero);
            var beta = -Vector256.CopySign(Vector256.Sqrt(Fma(a11, a11, x2)), a11);
            var v0 = a11 - beta;
            var tau = (beta - a11) / beta;
            var v2 = a21 / v0;
            var w2 = Fma(v2, a22, a12) * tau;
            a12 = Sel(nz, a12 - w2, a12); a22 = Sel(nz, Fma(-w2, v2, a22), a22);
            a11 = Sel(nz, beta, a11);
        }

        // 3. X = Rᵀ: x0 = (r00, r01, r02), x1 = (0, r11, r12), x2 = (0, 0, r22)
        var x00 = a00; var x01 = a01; var x02 = a02;
        var x10 = zero; var x11 = a11; var x12 = a12;
        var x20 = zero; var x21 = zero; var x22 = a22;
        Jacobi(ref x00, ref x01, ref x02, ref x10, ref x11, ref x12, ref x20, ref x21, ref x22);
        o0 = Norm(x00, x01, x02); o1 = Norm(x10, x11, x12); o2 = Norm(x20, x21, x22);
        // The columns of X·J are σⱼ·uⱼ with uⱼ the left singular vectors of X = Rᵀ, i.e. the right
        // singular vectors of R: the column of largest norm is (to the Jacobi tolerance) σ₁·v₁ of R.
        // A·S₁S₂S₃ = PᵀQR (S: the pivot swaps in order), so v₁ of A is S₁(S₂(S₃·v₁ of R)).
        var t1 = Vector256.GreaterThan(o1, o0);
        var best = Sel(t1, o1, o0);
        sv0 = Sel(t1, x10, x00); sv1 = Sel(t1, x11, x01); sv2 = Sel(t1, x12, x02);
        var t2 = Vector256.GreaterThan(o2, best);
        sv0 = Sel(t2, x20, sv0); sv1 = Sel(t2, x21, sv1); sv2 = Sel(t2, x22, sv2);
        Swap(p3, ref sv1, ref sv2);
        Swap(p2, ref sv0, ref sv2);
        Swap(p1, ref sv0, ref sv1);
        // the other two columns, normalised (approximately: the refinement uses these vectors as
        // they are), to cv[0..5]; zero for a zero column
        var b0 = ~(t1 | t2);
        var oa = Sel(b0, o1, o0); var ob = Sel(t2, o1, o2);
        var fa = Sel(Vector256.Equals(oa, zero), zero, one / oa);
        var fb = Sel(Vector256.Equals(ob, zero), zero, one / ob);
        var ca0 = Sel(b0, x10, x00) * fa; var ca1 = Sel(b0, x11, x01) * fa; var ca2 = Sel(b0, x12, x02) * fa;
        var cb0 = Sel(t2, x10, x20) * fb; var cb1 = Sel(t2, x11, x21) * fb; var cb2 = Sel(t2, x12, x22) * fb;
        Swap(p3, ref ca1, ref ca2); Swap(p2, ref ca0, ref ca2); Swap(p1, ref ca0, ref ca1);
        Swap(p3, ref cb1, ref cb2); Swap(p2, ref cb0, ref cb2); Swap(p1, ref cb0, ref cb1);
        ca0.Store(cv); ca1.Store(cv + 4); ca2.Store(cv + 8);
        cb0.Store(cv + 12); cb1.Store(cv + 16); cb2.Store(cv + 20);
        var fs = one / best;
        sv0 *= fs; sv1 *= fs; sv2 *= fs;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Dot(Vector256<double> p0, Vector256<double> p1, Vector256<double> p2,
        Vector256<double> q0, Vector256<double> q1, Vector256<double> q2) => Fma(p2, q2, Fma(p1, q1, p0 * q0));

    private static void Jacobi(ref Vector256<double> x00, ref Vector256<double> x01, ref Vector256<double> x02,
        ref Vector256<double> x10, ref Vector256<double> x11, ref Vector256<double> x12,
        ref Vector256<double> x20, ref Vector256<double> x21, ref Vector256<double> x22)
    {
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            var sq0 = Dot(x00, x01, x02, x00, x01, x02);
            var sq1 = Dot(x10, x11, x12, x10, x11, x12);
            var sq2 = Dot(x20, x21, x22, x20, x21, x22);
            var any = Vector256<double>.Zero;
            any |= Rotate(ref x00, ref x01, ref x02, ref x10, ref x11, ref x12, ref sq0, ref sq1);
            any |= Rotate(ref x00, ref x01, ref x02, ref x20, ref x21, ref x22, ref sq0, ref sq2);
            any |= Rotate(ref x10, ref x11, ref x12, ref x20, ref x21, ref x22, ref sq1, ref sq2);
            if (Vector256.EqualsAll(any.AsUInt64(), Vector256<ulong>.Zero)) return;
        }
    }

    /// <summary>One Jacobi rotation of the column pair (p, q) in every lane where they are not yet
    /// orthogonal to 3·2⁻⁵³; identity elsewhere. Returns the mask of rotated lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Rotate(ref Vector256<double> p0, ref Vector256<double> p1, ref Vector256<double> p2,
        ref Vector256<double> q0, ref Vector256<double> q1, ref Vector256<double> q2,
        ref Vector256<double> sp, ref Vector256<double> sq)
    {
        const double tol = 3 * Eps;
        var zero = Vector256<double>.Zero;
        var alpha = sp; var beta = sq;
        var gamma = Dot(p0, p1, p2, q0, q1, q2);
        var ab = alpha * beta;
        // |γ| > tol·√(αβ): squared while αβ is far from underflow, else with square roots
        var big = Vector256.GreaterThan(ab, Vector256.Create(1e-280));
        var test = Vector256.GreaterThan(gamma * gamma, Vector256.Create(tol * tol) * ab);
        if (!Vector256.EqualsAll(big.AsUInt64(), Vector256<ulong>.AllBitsSet))
            test = Sel(big, test,
                Vector256.GreaterThan(Vector256.Abs(gamma), Vector256.Create(tol) * Vector256.Sqrt(alpha) * Vector256.Sqrt(beta)));
        var mask = test & ~Vector256.Equals(alpha, zero) & ~Vector256.Equals(beta, zero);
        if (Vector256.EqualsAll(mask.AsUInt64(), Vector256<ulong>.Zero)) return mask;
        var one = Vector256.Create(1.0);
        // t = tan θ = sign(ζ)/(|ζ| + √(1 + ζ²)) with ζ = (β − α)/(2γ), written without the division
        // by γ: t = sign(dγ)·|2γ| / (|d| + √(d² + 4γ²)), d = β − α (all entries are scaled to
        // [2⁻⁴⁵⁰, 2), so nothing overflows; a tiny γ gives t ≈ γ/d as the |ζ| > 10¹⁵⁰ branch did)
        var d = beta - alpha;
        var g2 = gamma + gamma;
        var den = Vector256.Abs(d) + Vector256.Sqrt(Fma(d, d, g2 * g2));
        var sgn = Vector256.CopySign(one, d * gamma);
        var t = Sel(Vector256.Equals(den, zero), sgn, sgn * Vector256.Abs(g2) / den);
        t = Sel(mask, t, zero);
        // c = 1/r, s = t/r, 1 − c = t²/(r(r + 1)) from one division
        var r = Vector256.Sqrt(Fma(t, t, one));
        var rp = r + one;
        var qv = one / (r * rp);
        var ir = qv * rp;
        var sn = t * ir;
        var omc = t * t * qv;
        // [x, y] ← [x − (omc·x + s·y), y − (omc·y − s·x)]
        var u0 = p0; var u1 = p1; var u2 = p2; var w0 = q0; var w1 = q1; var w2 = q2;
        p0 = u0 - Fma(omc, u0, sn * w0); q0 = w0 - Fma(omc, w0, -(sn * u0));
        p1 = u1 - Fma(omc, u1, sn * w1); q1 = w1 - Fma(omc, w1, -(sn * u1));
        p2 = u2 - Fma(omc, u2, sn * w2); q2 = w2 - Fma(omc, w2, -(sn * u2));
        var tg = t * gamma;
        var na = alpha - tg; var nb = beta + tg;
        var quarter = Vector256.Create(0.25);
        sp = Sel(Vector256.GreaterThanOrEqual(na, quarter * alpha), na, Dot(p0, p1, p2, p0, p1, p2));
        sq = Sel(Vector256.GreaterThanOrEqual(nb, quarter * beta), nb, Dot(q0, q1, q2, q0, q1, q2));
        return mask;
    }

    /// <summary>σ₁ per lane (hi, lo): the larger of the Rayleigh values of v₁ (the kernel's top
    /// vector) and of v₁ corrected within the span of the other two kernel vectors. Both are lower
    /// bounds of σ₁; the correction matters when σ₂ (or σ₃) is within a few ulps of σ₁, where v₁'s
    /// error (its columns are orthogonal only to the Jacobi tolerance) is of the order of the gap.
    /// With ĉ = (v₁, c_a, c_b) and ρ = Rayleigh(v₁)², K = (Aĉ)ᵀ(Aĉ) − ρ·ĉᵀĉ is formed in
    /// double-double (K₁₁ ≈ 0, K_kk ≈ −gap); a Jacobi rotation of each pair (1, k) of K gives the
    /// coefficient tₖ, and v = v₁ − t_a·c_a − t_b·c_b.</summary>
    private static Vector256<double> Refine(double* e, Vector256<double> v0, Vector256<double> v1, Vector256<double> v2,
        double* cv, Vector256<double> o0, Vector256<double> o1, Vector256<double> o2, out Vector256<double> lo)
    {
        double* y = stackalloc double[3 * 6 * 4]; // y[vec][i] hi at (6·vec + 2i)·4, lo at (6·vec + 2i + 1)·4
        Apply(e, v0, v1, v2, y);
        var yy = DotYY(y, y, out var yyl);
        var nn = DotVV(v0, v1, v2, v0, v1, v2, out var nnl);
        var rho = Div(yy, yyl, nn, nnl, out var rhol);
        // v₁'s error in the direction of vₖ is ~(orthogonality tolerance)/(σ₁ − σₖ)·σ₁, its Rayleigh
        // deficit ~tolerance²/gap: negligible unless another Jacobi norm is within 2⁻⁴⁰ of the
        // largest. Only such lanes take the correction (a per-lane mask, so a lane's result never
        // depends on whether its mates needed it); groups without one skip it.
        var top = Vector256.Max(o0, Vector256.Max(o1, o2));
        var lim = top * Vector256.Create(9.094947017729282e-13); // 2⁻⁴⁰
        var close = Vector256.LessThanOrEqual(top - o0, lim) & Vector256.LessThan(o0, top)
                  | Vector256.LessThanOrEqual(top - o1, lim) & Vector256.LessThan(o1, top)
                  | Vector256.LessThanOrEqual(top - o2, lim) & Vector256.LessThan(o2, top);
        // two or three equal norms (o == top for more than one): also close
        var eq = Vector256.Equals(o0, top).AsInt64() + Vector256.Equals(o1, top).AsInt64() + Vector256.Equals(o2, top).AsInt64();
        close |= Vector256.LessThan(eq, Vector256.Create(-1L)).AsDouble();
        if (Vector256.EqualsAll(close.AsUInt64(), Vector256<ulong>.Zero)) return SqrtDD(rho, rhol, out lo);
        var a0 = Vector256.Load(cv); var a1 = Vector256.Load(cv + 4); var a2 = Vector256.Load(cv + 8);
        var b0 = Vector256.Load(cv + 12); var b1 = Vector256.Load(cv + 16); var b2 = Vector256.Load(cv + 20);
        Apply(e, a0, a1, a2, y + 24);
        Apply(e, b0, b1, b2, y + 48);
        var k11 = KEntry(y, y, v0, v1, v2, v0, v1, v2, rho, rhol);
        var kaa = KEntry(y + 24, y + 24, a0, a1, a2, a0, a1, a2, rho, rhol);
        var kbb = KEntry(y + 48, y + 48, b0, b1, b2, b0, b1, b2, rho, rhol);
        var ta = Tangent(k11, kaa, KEntry(y, y + 24, v0, v1, v2, a0, a1, a2, rho, rhol));
        var tb = Tangent(k11, kbb, KEntry(y, y + 48, v0, v1, v2, b0, b1, b2, rho, rhol));
        // the pair's eigenvector of the larger eigenvalue: (1, −t) if K₁₁ ≥ K_kk, else (t, 1) (in a
        // cluster the Jacobi column ordering may disagree with the Rayleigh values); combined as
        // (x₁y₁, x_a·y₁, x₁·y_b) — exact for one close neighbour, a heuristic for two, and only kept
        // if its Rayleigh value is larger
        var one = Vector256.Create(1.0);
        var sa = Vector256.GreaterThanOrEqual(k11, kaa); var sb = Vector256.GreaterThanOrEqual(k11, kbb);
        var x1 = Sel(sa, one, ta); var xa = Sel(sa, -ta, one);
        var y1 = Sel(sb, one, tb); var yb = Sel(sb, -tb, one);
        var cvv = x1 * y1; var ca = xa * y1; var cb = x1 * yb;
        var w0 = Fma(cvv, v0, Fma(ca, a0, cb * b0)); var w1 = Fma(cvv, v1, Fma(ca, a1, cb * b1)); var w2 = Fma(cvv, v2, Fma(ca, a2, cb * b2));
        Apply(e, w0, w1, w2, y + 24);
        var zz = DotYY(y + 24, y + 24, out var zzl);
        var mm = DotVV(w0, w1, w2, w0, w1, w2, out var mml);
        var q = Div(zz, zzl, mm, mml, out var ql);
        var better = close & (Vector256.GreaterThan(q, rho) | (Vector256.Equals(q, rho) & Vector256.GreaterThan(ql, rhol)));
        return SqrtDD(Sel(better, q, rho), Sel(better, ql, rhol), out lo);
    }

    private static Vector256<double> SqrtDD(Vector256<double> qh, Vector256<double> ql, out Vector256<double> lo)
    {
        var r = Vector256.Sqrt(qh);
        var c = (Fma(-r, r, qh) + ql) / (r + r);
        return FastTwoSum(r, c, out lo);
    }

    /// <summary>Rows of A·v per lane as double-double (Dot2) into y: hi of row i at 8i, lo at 8i + 4.</summary>
    private static void Apply(double* e, Vector256<double> v0, Vector256<double> v1, Vector256<double> v2, double* y)
    {
        for (int i = 0; i < 3; i++)
        {
            var b0 = Vector256.Load(e + 12 * i); var b1 = Vector256.Load(e + 12 * i + 4); var b2 = Vector256.Load(e + 12 * i + 8);
            var h = b0 * v0; var er = Fma(b0, v0, -h);
            var p = b1 * v1; er += Fma(b1, v1, -p);
            h = TwoSum(h, p, out var se); er += se;
            p = b2 * v2; er += Fma(b2, v2, -p);
            h = TwoSum(h, p, out se); er += se;
            var yh = TwoSum(h, er, out var yl);
            yh.Store(y + 8 * i); yl.Store(y + 8 * i + 4);
        }
    }

    /// <summary>Σᵢ yᵢ·zᵢ for double-double 3-vectors (layout of <see cref="Apply"/>), in double-double.</summary>
    private static Vector256<double> DotYY(double* y, double* z, out Vector256<double> lo)
    {
        Vector256<double> sh = Vector256<double>.Zero, sl = Vector256<double>.Zero;
        for (int i = 0; i < 3; i++)
        {
            var ah = Vector256.Load(y + 8 * i); var al = Vector256.Load(y + 8 * i + 4);
            var bh = Vector256.Load(z + 8 * i); var bl = Vector256.Load(z + 8 * i + 4);
            var ph = ah * bh;
            var pl = Fma(ah, bl, Fma(al, bh, Fma(ah, bh, -ph)));
            AddDD(ref sh, ref sl, ph, pl);
        }
        lo = sl;
        return sh;
    }

    /// <summary>a·b of double 3-vectors: exact products summed in double-double.</summary>
    private static Vector256<double> DotVV(Vector256<double> a0, Vector256<double> a1, Vector256<double> a2,
        Vector256<double> b0, Vector256<double> b1, Vector256<double> b2, out Vector256<double> lo)
    {
        var h = a0 * b0; var l = Fma(a0, b0, -h);
        var p = a1 * b1; AddDD(ref h, ref l, p, Fma(a1, b1, -p));
        p = a2 * b2; AddDD(ref h, ref l, p, Fma(a2, b2, -p));
        lo = l;
        return h;
    }

    /// <summary>(Au)·(Aw) − ρ·(u·w), rounded to double from double-double.</summary>
    private static Vector256<double> KEntry(double* yu, double* yw, Vector256<double> u0, Vector256<double> u1, Vector256<double> u2,
        Vector256<double> w0, Vector256<double> w1, Vector256<double> w2, Vector256<double> rho, Vector256<double> rhol)
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
    private static Vector256<double> Tangent(Vector256<double> alpha, Vector256<double> beta, Vector256<double> gamma)
    {
        var zero = Vector256<double>.Zero;
        var d = beta - alpha;
        var g2 = gamma + gamma;
        var den = Vector256.Abs(d) + Vector256.Sqrt(Fma(d, d, g2 * g2));
        var sgn = Vector256.CopySign(Vector256.Create(1.0), d * gamma);
        var t = sgn * Vector256.Abs(g2) / den;
        return Sel(Vector256.Equals(den, zero) | ~Vector256.Equals(t, t), zero, t);
    }

    /// <summary>(ah + al)/(bh + bl) in double-double.</summary>
    private static Vector256<double> Div(Vector256<double> ah, Vector256<double> al, Vector256<double> bh, Vector256<double> bl,
        out Vector256<double> lo)
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
    private static Vector256<double> TwoSum(Vector256<double> a, Vector256<double> b, out Vector256<double> err)
    {
        var s = a + b; var bb = s - a;
        err = (a - (s - bb)) + (b - bb);
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> FastTwoSum(Vector256<double> a, Vector256<double> b, out Vector256<double> err)
    {
        var s = a + b;
        err = b - (s - a);
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddDD(ref Vector256<double> hi, ref Vector256<double> lo, Vector256<double> bh, Vector256<double> bl)
    {
        var s = TwoSum(hi, bh, out var e);
        e += lo + bl;
        hi = FastTwoSum(s, e, out lo);
    }

    /// <summary>‖(a, b, c)‖ per lane: FMA-exact squares summed in double-double, one corrected square root.</summary>
    private static Vector256<double> Norm(Vector256<double> a, Vector256<double> b, Vector256<double> c)
    {
        var hi = a * a; var lo = Fma(a, a, -hi);
        Acc(ref hi, ref lo, b); Acc(ref hi, ref lo, c);
        var h = hi + lo; var l = lo - (h - hi);
        var r = Vector256.Sqrt(h);
        var corr = (Fma(-r, r, h) + l) / (r + r);
        return Sel(Vector256.Equals(h, Vector256<double>.Zero), h, r + corr);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Acc(ref Vector256<double> hi, ref Vector256<double> lo, Vector256<double> x)
    {
        var p = x * x; var pe = Fma(x, x, -p);
        var s = hi + p; var bb = s - hi;
        lo += (hi - (s - bb)) + (p - bb) + pe;
        hi = s;
    }
}
