using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>One term |x|^p of <see cref="FloatPowFast"/>, computed in double from a float widened exactly, with one
/// rounding (relative error ≤ u = 2⁻⁵³): 1/|x| (p = −1), 1/x² (p = −2; x² is exact in double), √|x| (p = 0.5). No
/// overflow or underflow is possible for float inputs: the terms lie in [2⁻²⁹⁸, 2²⁹⁸].</summary>
internal interface IFloatTerm
{
    static abstract Vector512<double> Term(Vector512<double> w);
    static abstract Vector256<double> Term(Vector256<double> w);
    static abstract double Term(double w);
    /// <summary>N from S = Σ terms, one or two roundings.</summary>
    static abstract double Result(double s);
    /// <summary>Bound on the relative error of a <see cref="Term(Vector512{double})"/> term, in units of u = 2⁻⁵³
    /// (the other overloads round once: 1).</summary>
    static abstract int WideTermUlps { get; }
}

internal readonly struct AbsTerm : IFloatTerm
{
    public static Vector512<double> Term(Vector512<double> w) => Vector512.Abs(w); // exact
    public static Vector256<double> Term(Vector256<double> w) => Vector256.Abs(w);
    public static double Term(double w) => Math.Abs(w);
    public static double Result(double s) => s;
    public static int WideTermUlps => 1;
}

internal readonly struct RecipTerm : IFloatTerm
{
    // vrcp14pd (|x·r0 − 1| < 2⁻¹⁴) and two Newton steps with FMA: x·r(1 + ê) = 1 − ê², so |x·r1 − 1| ≲ 2⁻²⁸ and
    // |x·r2 − 1| ≤ 2⁻⁵⁶ + u + (the FMA residual's rounding, ~2⁻⁸¹) < 1.3u; a zero or ∞ gives NaN (→ exact path).
    public static Vector512<double> Term(Vector512<double> w) => FloatPowFast.Recip(Vector512.Abs(w));
    public static int WideTermUlps => Avx512F.IsSupported ? 2 : 1;
    public static Vector256<double> Term(Vector256<double> w) => Vector256<double>.One / Vector256.Abs(w);
    public static double Term(double w) => 1.0 / Math.Abs(w);
    public static double Result(double s) => 1.0 / s;
}

internal readonly struct RecipSquareTerm : IFloatTerm
{
    public static Vector512<double> Term(Vector512<double> w) => FloatPowFast.Recip(w * w); // w² exact
    public static int WideTermUlps => Avx512F.IsSupported ? 2 : 1;
    public static Vector256<double> Term(Vector256<double> w) => Vector256<double>.One / (w * w);
    public static double Term(double w) => 1.0 / (w * w);
    public static double Result(double s) => 1.0 / Math.Sqrt(s);
}

internal readonly struct RootTerm : IFloatTerm
{
    public static Vector512<double> Term(Vector512<double> w) => Vector512.Sqrt(Vector512.Abs(w));
    // the AVX-512 loop of FloatPowFast.Sum uses FloatPowFast.Root16 instead (≤ 20u; see there)
    public static int WideTermUlps => Avx512F.IsSupported ? 24 : 1;
    public static Vector256<double> Term(Vector256<double> w) => Vector256.Sqrt(Vector256.Abs(w));
    public static double Term(double w) => Math.Sqrt(Math.Abs(w));
    public static double Result(double s) => s * s;
}

/// <summary>|x|^(−k−½) for k = 1, 2 (p = −1.5, −2.5): 1/(wᵏ·√w). wᵏ is exact in double (w has 24 bits, w² 48), √w
/// rounds once, the product once, the reciprocal once (division: u; <see cref="FloatPowFast.Recip"/>: ≤ 1.3u), so the
/// term is within (1 + u)²(1 + 1.3u) − 1 &lt; 3.4u of the true one: <see cref="WideTermUlps"/> = 4 bounds every overload.
/// No overflow or underflow: float magnitudes lie in [2⁻¹⁴⁹, 2¹²⁸), so wᵏ·√w in [2⁻³⁷³, 2³²⁰] and its reciprocal are
/// normal doubles; a zero gives ∞ or NaN, ∞ gives NaN (the sum is then not finite: the exact path).
/// The result S^(1/p) is the double-double root of <see cref="GeneralNorm.Root"/> (within ~2⁻⁸⁵ relative, see
/// <see cref="LanePow.Roots(double*, double*, int*, double, int*, double*, double*, int*)"/>) rounded once to double:
/// g(S) = S^(1/p) with |1/p| ≤ ⅔ turns a relative error η of S into ≤ ⅔η(1 + η) ≤ 2.5η, and the root adds ≤ u + 2⁻⁸⁵
/// &lt; 4u, within <see cref="FloatPowFast"/>'s E ≤ 2.5η + 4u.</summary>
internal readonly struct NegHalfTerm<K> : IFloatTerm where K : struct, IHalfOrder
{
    public static Vector512<double> Term(Vector512<double> w)
    {
        var a = Vector512.Abs(w);
        var q = K.K == 1 ? a : a * a; // exact
        return FloatPowFast.Recip(q * Vector512.Sqrt(a));
    }
    public static Vector256<double> Term(Vector256<double> w)
    {
        var a = Vector256.Abs(w);
        var q = K.K == 1 ? a : a * a;
        return Vector256<double>.One / (q * Vector256.Sqrt(a));
    }
    public static double Term(double w)
    {
        double a = Math.Abs(w), q = K.K == 1 ? a : a * a;
        return 1.0 / (q * Math.Sqrt(a));
    }
    public static double Result(double s)
    {
        var r = GeneralNorm.Root(s, 0, 0, -(K.K + 0.5), new Ext(1, 0, 0));
        return Rounding.ToDouble(r.H, r.L, r.E);
    }
    public static int WideTermUlps => 4;
}

/// <summary>The whole part k of a half-integer order k + ½ (a type, so each order's loop is compiled alone).</summary>
internal interface IHalfOrder { static abstract int K { get; } }
internal readonly struct HalfOrder1 : IHalfOrder { public static int K => 1; }
internal readonly struct HalfOrder2 : IHalfOrder { public static int K => 2; }

/// <summary>Float32 p-norms for p = 1, −1, −2, 0.5, −1.5, −2.5 that return a result only when it is provably the correctly rounded
/// float32 value of the true norm (the argument of <see cref="FloatFastPath"/>, for other terms).
///
/// Each term t̂ = t(1 + δ), |δ| ≤ u, and a plain double sum of n non-negative terms in which every term passes
/// through at most d additions satisfies |Ŝ − S| ≤ η·S with η = γ_{d+1} = (d+1)u/(1 − (d+1)u), whatever the order.
/// The result r = g(Ŝ) (Ŝ, 1/Ŝ, 1/√Ŝ or Ŝ², one or two more roundings) then lies within E·N of the true norm N with
/// E ≤ 2.5η + 4u (the exponent of g is at most 2 in magnitude); the test below uses r·(2.5η + 8u), whose slack also
/// covers the rounding of r ± δ and E/(1 − E). If that interval holds no float32 midpoint, (float)r is the correctly
/// rounded norm, which is unique — so this path gives the bits of the exact path (<see cref="RealPowOp"/>), which
/// runs whenever the test fails: near a midpoint, on a zero (p &lt; 0: the norm is 0 with a divide-by-zero event), NaN,
/// ∞ (p = 0.5), Ŝ = 0, and on a result that is subnormal, the largest float or beyond. That also makes the lane
/// structure, the SIMD width and the split over threads irrelevant to the bits.</summary>
internal static unsafe class FloatPowFast
{
    private const long SplitFloats = 1L << 17;
    private static readonly double TinyRoot = Math.ScaleB(1.0, -100); // below √ of the least float (2^-74.5)

    public static bool Applies(ReductionPlan plan, DType t, DType ot, double p)
        => (p == -1 || p == -2 || p == 0.5 || p == 1 || p == -1.5 || p == -2.5) && t == DType.Float32 && ot == DType.Float32 && plan.OuterCount == 1
           && plan.InnerShape.Length == 1 && (plan.InnerStrides[0] == 4 || FloatRuns.TakesStride(plan.InnerStrides[0]))
           && plan.InnerCount > 0;

    /// <summary>True when the correctly rounded result was stored (no FP events are possible then). Strided vectors
    /// are read in place (<see cref="FloatRuns"/>).</summary>
    public static bool TryRun(ReductionPlan plan, byte* x, byte* o, double p)
        => TryLine(x + plan.InnerBaseOffset, plan.InnerCount, plan.InnerStrides[0], p, o);

    /// <summary><see cref="TryRun(ReductionPlan, byte*, byte*, double)"/> for the <paramref name="n"/> floats
    /// <paramref name="s"/> bytes apart (positive) from <paramref name="f"/>.</summary>
    internal static bool TryLine(byte* f, long n, long s, double p, byte* o)
        => FloatRuns.With<Line, bool>(f, s, n, false, new Line(p, o));

    private readonly struct Line(double p, byte* o) : IRunUser<bool>
    {
        public bool Use<R>(R run, long m) where R : struct, IFloatRun<R> => TryRun(run, m, o, p);
    }

    private static bool TryRun<R>(R f, long n, byte* o, double p) where R : struct, IFloatRun<R>
        => p switch
        {
            -1 => TryRun<RecipTerm, R>(f, n, o),
            -2 => TryRun<RecipSquareTerm, R>(f, n, o),
            1 => TryRun<AbsTerm, R>(f, n, o),
            -1.5 => TryRun<NegHalfTerm<HalfOrder1>, R>(f, n, o),
            -2.5 => TryRun<NegHalfTerm<HalfOrder2>, R>(f, n, o),
            _ => TryRun<RootTerm, R>(f, n, o),
        };

    private static bool TryRun<T, R>(R p, long n, byte* dst) where T : struct, IFloatTerm where R : struct, IFloatRun<R>
    {
        int threads = Parallelism.MaxThreads, parts = 1;
        // floats loaded one by one (a strided run) cost ~1 cycle each: split as early as the 2-norm's fast sum does
        bool gathered = typeof(R) == typeof(StridedFloats); // (one by one)
        long from = gathered ? FloatFastPath.SplitFrom : BlockDriver.ParallelThreshold, per = gathered ? FloatFastPath.SplitFloats : SplitFloats;
        if (threads > 1 && n >= from) parts = (int)Math.Max(1, Math.Min(threads, n / per));
        double s;
        if (parts == 1) s = Sum<T, R>(p, n);
        else
        {
            var ps = new double[parts];
            Parallelism.For(parts, threads, k =>
            {
                long lo = n * k / parts, hi = n * (k + 1) / parts;
                ps[k] = Sum<T, R>(p.From(lo), hi - lo);
            });
            s = 0;
            foreach (double v in ps) s += v;
        }
        if (!double.IsFinite(s) || s == 0) return false;
        // chain: a lane (≤ n/16 + 1 terms, or n when not vectorised), the scalar tail (< 32), the lane folds (≤ 16),
        // the combine of the parts
        long d = (Vector256.IsHardwareAccelerated ? n / 16 + 1 : n) + 32 + 16 + parts;
        // a term with relative error ≤ k·u enters the bound like k more roundings: (1 + ku)(1 + γ_d) ≤ 1 + γ_{d+k}
        return TryStore(T.Result(s), d + Math.Max(1, T.WideTermUlps), dst);
    }

    /// <summary>float32 ord 1 of the <paramref name="n"/> floats <paramref name="stride"/> bytes apart at
    /// <paramref name="v"/> when their double sum is provably exact: then one rounding of it to float32 (ties to even,
    /// subnormals included) is the correctly rounded norm, the unique value the exact path stores. Each step is checked
    /// error-free (Fast2Sum: for 0 ≤ b ≤ a, t = fl(a + b) gives t − a exactly, so t = a + b exactly iff t − a = b); the
    /// rounding test of <see cref="TryStore"/> cannot accept an exact sum on a float32 midpoint (~8 % of rows of four
    /// normal floats), nor a zero sum. False (nothing stored) on an inexact step, ∞, NaN, or a sum beyond the float range
    /// (the exact path then raises the overflow event).</summary>
    internal static bool TryStoreExactAbsSum(byte* v, long n, long stride, byte* dst)
    {
        double s = 0;
        for (long i = 0; i < n; i++)
        {
            double a = Math.Abs((double)Unsafe.ReadUnaligned<float>(v + i * stride));
            double t = s + a;
            bool sBig = s >= a;
            if (t - (sBig ? s : a) != (sBig ? a : s)) return false; // also NaN and ∞ (∞ − ∞ is NaN)
            s = t;
        }
        float f = (float)s;
        if (!float.IsFinite(f)) return false;
        Unsafe.WriteUnaligned(dst, f);
        return true;
    }

    /// <summary>Stores (float)<paramref name="r"/> if it is provably the correctly rounded norm (see the type's
    /// summary; <paramref name="d1"/> = d + 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryStore(double r, long d1, byte* dst)
    {
        const double u = 1.0 / (1L << 53);
        double du = d1 * u;
        if (!(du < 1.0 / (1 << 20)) || !(r > 0) || !double.IsFinite(r)) return false; // a norm: never negative
        double eta = du * (1 + 2 * du); // ≥ γ = du/(1 − du) for du ≤ ½, without a division (this runs once a row)
        float f = (float)r;
        if (!float.IsNormal(f) || f == float.MaxValue) return false;
        double delta = r * (2.5 * eta + 8 * u);
        double fd = f;
        uint bits = BitConverter.SingleToUInt32Bits(f); // f > 0 normal, below the largest: its neighbours are bits ∓ 1
        double midLo = (fd + BitConverter.UInt32BitsToSingle(bits - 1)) * 0.5, midHi = (fd + BitConverter.UInt32BitsToSingle(bits + 1)) * 0.5; // exact
        if (!(r - delta > midLo && r + delta < midHi)) return false;
        Unsafe.WriteUnaligned(dst, f);
        return true;
    }

    /// <summary>∛s within <see cref="CbrtUlps"/>·u (relative) for s ∈ [2⁻¹⁰⁰⁰, 2¹⁰⁰⁰] (else, and for 0, ∞, NaN,
    /// <see cref="Math.Cbrt"/>): the C library's cbrt was half the time of float32 ord-3 rows. r₀ ≈ s^(−1/3) from the
    /// bits (the exponent field divided by 3: |s·r₀³ − 1| ≤ 0.106 over every mantissa), then two steps
    /// r ← r·(1 − ε/3 + 2ε²/9 − 14ε³/81), ε = s·r³ − 1 (one FMA), the series of (1 + ε)^(−1/3) to ε³: the truncation
    /// 35ε⁴/243 leaves ≤ 2⁻¹⁴ after the first step and ≲ 2⁻⁵⁹ after the second; the roundings (r³ two, ε one, the
    /// update one) give r within ≈ 1.5u, ∛s = s·r² within ≈ 4u (measured 3.96u, <c>FloatOrdFastTests</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Cbrt(double s)
    {
        if (!(s >= CbrtLeast && s <= CbrtMost)) return Math.Cbrt(s);
        double r = BitConverter.Int64BitsToDouble(CbrtMagic - BitConverter.DoubleToInt64Bits(s) / 3);
        for (int i = 0; i < 2; i++)
        {
            double e = Math.FusedMultiplyAdd(s, r * r * r, -1);
            double q = Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(e, -14.0 / 81, 2.0 / 9), e, -1.0 / 3);
            r = Math.FusedMultiplyAdd(r, e * q, r);
        }
        return s * r * r;
    }

    /// <summary><see cref="Cbrt"/>'s fast range: [2⁻¹⁰⁰⁰, 2¹⁰⁰⁰].</summary>
    private const double CbrtLeast = 9.3326361850321888e-302, CbrtMost = 1.0715086071862673e301;

    /// <summary>Whether every lane lies in <see cref="Cbrt"/>'s fast range (NaN does not).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool InCbrtRange(Vector256<double> s)
        => Vector256.GreaterThanOrEqualAll(s, Vector256.Create(CbrtLeast)) && Vector256.LessThanOrEqualAll(s, Vector256.Create(CbrtMost));

    /// <summary><see cref="Cbrt"/> of four lanes in its fast range (<see cref="InCbrtRange"/>): r₀ from each lane's bits
    /// (the integer division by 3 per lane, as there), the same two FMA iterations and the final product, lane by lane
    /// — so the same value per lane (a test compares them bit for bit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> CbrtLanes(Vector256<double> s)
    {
        var bits = s.AsInt64();
        var r = Vector256.Create(CbrtMagic - bits.GetElement(0) / 3, CbrtMagic - bits.GetElement(1) / 3,
                                 CbrtMagic - bits.GetElement(2) / 3, CbrtMagic - bits.GetElement(3) / 3).AsDouble();
        var one = Vector256<double>.One;
        for (int i = 0; i < 2; i++)
        {
            var e = Vector256.FusedMultiplyAdd(s, r * r * r, -one);
            var q = Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(e, Vector256.Create(-14.0 / 81), Vector256.Create(2.0 / 9)), e,
                                               Vector256.Create(-1.0 / 3));
            r = Vector256.FusedMultiplyAdd(r, e * q, r);
        }
        return s * r * r;
    }

    /// <summary>Bound of <see cref="Cbrt"/>'s relative error in units of u = 2⁻⁵³ (twice the analysis).</summary>
    internal const int CbrtUlps = 8;

    /// <summary>4/3 of 1.0's bits, tuned (max |s·r₀³ − 1| over the mantissas of three binades): r₀'s bits are this
    /// minus a third of s's.</summary>
    private const long CbrtMagic = 0x553EE00000000000;

    /// <summary>1/x (x ≥ 0) within 1.3u: vrcp14pd and two Newton steps; division without AVX-512.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> Recip(Vector512<double> x)
    {
        if (!Avx512F.IsSupported) return Vector512<double>.One / x;
        var one = Vector512<double>.One;
        var r = Avx512F.Reciprocal14(x);
        r = Vector512.FusedMultiplyAdd(r, Vector512.FusedMultiplyAdd(-x, r, one), r);
        return Vector512.FusedMultiplyAdd(r, Vector512.FusedMultiplyAdd(-x, r, one), r);
    }

    /// <summary>√|x| of 16 floats in double within 20u (AVX-512 only): s = the float √ (correctly rounded, so
    /// s = √x(1 + δ), |δ| ≤ 2⁻²⁴), e = x − s² exactly (one FMA: s² has 48 bits, x 24, the difference fits), then one
    /// Newton step s + (e/2)·h with h ≈ 1/s from vrcp14pd and one Newton step (|h·s − 1| ≲ 2⁻²⁸). With t = e/s²
    /// (|t| ≤ 2⁻²³): √x = s·√(1 + t), the step drops ≤ t²/8 ≤ 16u, h's error adds ≤ 2u, the last FMA rounds once (u).
    /// A zero gives 0 (h from max(s, 2⁻¹⁰⁰) stays finite and e = 0); ∞ and NaN give NaN (→ the exact path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Root16(Vector512<float> v, out Vector512<double> t0, out Vector512<double> t1)
    {
        var x = Vector512.Abs(v);
        var (x0, x1) = Vector512.Widen(x);
        var (s0, s1) = Vector512.Widen(Vector512.Sqrt(x));
        t0 = RootStep(x0, s0);
        t1 = RootStep(x1, s1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> RootStep(Vector512<double> x, Vector512<double> s)
    {
        var one = Vector512<double>.One;
        var hs = Vector512.Max(s, Vector512.Create(TinyRoot));
        var h = Avx512F.Reciprocal14(hs);
        h = Vector512.FusedMultiplyAdd(h, Vector512.FusedMultiplyAdd(-hs, h, one), h);
        var e = Vector512.FusedMultiplyAdd(-s, s, x);
        return Vector512.FusedMultiplyAdd(e * Vector512.Create(0.5), h, s);
    }

    /// <summary>Σ T(p[i]) in double, 16 lanes (any order: only the bound matters).</summary>
    internal static double Sum<T>(float* p, long m) where T : struct, IFloatTerm => Sum<T, ContiguousFloats>(new ContiguousFloats(p), m);

    /// <summary>Σ T(x) over the first <paramref name="m"/> floats of <paramref name="p"/>.</summary>
    private static double Sum<T, R>(R p, long m) where T : struct, IFloatTerm where R : struct, IFloatRun<R>
    {
        long i = 0;
        double s = 0;
        if (RealKernels.Wide && m >= 32)
        {
            Vector512<double> a0 = default, a1 = default;
            if (typeof(T) == typeof(RootTerm))
                for (; i <= m - 16; i += 16)
                {
                    Root16(p.Load16(i), out var t0, out var t1);
                    a0 += t0; a1 += t1;
                }
            else
                for (; i <= m - 16; i += 16)
                {
                    var (w0, w1) = Vector512.Widen(p.Load16(i));
                    a0 += T.Term(w0); a1 += T.Term(w1);
                }
            s = Vector512.Sum(a0 + a1);
        }
        else if (Vector256.IsHardwareAccelerated && m >= 32)
        {
            Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= m - 16; i += 16)
            {
                var (w0, w1) = Vector256.Widen(p.Load8(i));
                var (w2, w3) = Vector256.Widen(p.Load8(i + 8));
                a0 += T.Term(w0); a1 += T.Term(w1); a2 += T.Term(w2); a3 += T.Term(w3);
            }
            s = Vector256.Sum((a0 + a1) + (a2 + a3));
        }
        double t = 0;
        for (; i < m; i++) t += T.Term((double)p.At(i));
        return s + t;
    }
}
