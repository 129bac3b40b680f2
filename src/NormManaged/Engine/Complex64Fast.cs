using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>One term |z|^p of <see cref="Complex64Fast"/> from s = fl(re² + im²) of a complex64 value widened to
/// double: re² and im² are exact in double (24-bit significands, exponents within ±298), so s is S = |z|² rounded
/// once (|s − S| ≤ u·S, u = 2⁻⁵³) and lies in {0} ∪ [2⁻²⁹⁸, 2²⁵⁷] or is ∞/NaN. No term can overflow or underflow.</summary>
internal interface IC64Term
{
    /// <summary>The order p.</summary>
    static abstract double P { get; }
    /// <summary>|z|^p from s (any value for s = 0 when p &lt; 0: the caller refuses zeros then).</summary>
    static abstract Vector512<double> Term(Vector512<double> s);
    /// <summary>Bound on the relative error of <see cref="Term"/> against the exact |z|^p, in units of u (it
    /// includes s's own rounding).</summary>
    static abstract int Ulps { get; }
}

/// <summary>|z| = √s (s's rounding halved, then <see cref="Complex64Fast.Sqrt"/>'s 3100u).</summary>
internal readonly struct C64Abs : IC64Term
{
    public static double P => 1;
    public static Vector512<double> Term(Vector512<double> s) => Complex64Fast.Sqrt(s);
    public static int Ulps => 4096;
}

/// <summary>|z|^0.5 = √√s (the inner root's error halved, plus the outer's: ≤ 1600u + 3100u).</summary>
internal readonly struct C64Root : IC64Term
{
    public static double P => 0.5;
    public static Vector512<double> Term(Vector512<double> s) => Complex64Fast.Sqrt(Complex64Fast.Sqrt(s));
    public static int Ulps => 8192;
}

/// <summary>|z|^2.5 = s·√√s (≤ u + 4700u + u).</summary>
internal readonly struct C64TwoHalf : IC64Term
{
    public static double P => 2.5;
    public static Vector512<double> Term(Vector512<double> s) => s * Complex64Fast.Sqrt(Complex64Fast.Sqrt(s));
    public static int Ulps => 8192;
}

/// <summary>|z|³ = s·√s (≤ u + 3100u + u).</summary>
internal readonly struct C64Cube : IC64Term
{
    public static double P => 3;
    public static Vector512<double> Term(Vector512<double> s) => s * Complex64Fast.Sqrt(s);
    public static int Ulps => 4096;
}

/// <summary>|z|⁴ = s² (≤ 2u + u).</summary>
internal readonly struct C64Fourth : IC64Term
{
    public static double P => 4;
    public static Vector512<double> Term(Vector512<double> s) => s * s;
    public static int Ulps => 4;
}

/// <summary>1/|z| = 1/√s: vrsqrt14pd (|y₀√s − 1| ≤ 2⁻¹⁴) and two Newton steps y·(3/2 − (s/2)·y²); the first leaves
/// ≤ 1.5·2⁻²⁸ + 2.5u ≈ 2⁻²⁷·⁴, the second ≤ 1.5·2⁻⁵⁴·⁸ + 2.5u &lt; 3u; with s's rounding halved: ≤ 3.5u.</summary>
internal readonly struct C64Recip : IC64Term
{
    public static double P => -1;
    public static Vector512<double> Term(Vector512<double> s)
    {
        var nhs = s * Vector512.Create(-0.5);
        var th = Vector512.Create(1.5);
        var y = Avx512F.ReciprocalSqrt14(s);
        y *= Vector512.FusedMultiplyAdd(nhs, y * y, th);
        return y * Vector512.FusedMultiplyAdd(nhs, y * y, th);
    }
    public static int Ulps => 6;
}

/// <summary>1/|z|² = 1/s (<see cref="FloatPowFast.Recip"/>: ≤ 1.3u, plus s's rounding).</summary>
internal readonly struct C64RecipSquare : IC64Term
{
    public static double P => -2;
    public static Vector512<double> Term(Vector512<double> s) => FloatPowFast.Recip(s);
    public static int Ulps => 4;
}

/// <summary>|z|^1.5 (<see cref="C64RowOneHalf"/>'s FMA-only term, &lt; 8192u).</summary>
internal readonly struct C64OneHalf : IC64Term
{
    public static double P => 1.5;
    public static Vector512<double> Term(Vector512<double> s) => C64RowOneHalf.WideTerm(s);
    public static int Ulps => C64RowOneHalf.WideUlps;
}

/// <summary>|z|^−2.5 (<see cref="C64RowNegTwoHalf"/>'s FMA-only term, &lt; 8192u).</summary>
internal readonly struct C64NegTwoHalf : IC64Term
{
    public static double P => -2.5;
    public static Vector512<double> Term(Vector512<double> s) => C64RowNegTwoHalf.WideTerm(s);
    public static int Ulps => C64RowNegTwoHalf.WideUlps;
}

/// <summary>Complex64 vector norms of order 1, 0.5, 1.5, ±2.5, 3, 4, −1, −2 and ±∞ of one contiguous vector, in double
/// from s = re² + im² (one rounding, see <see cref="IC64Term"/>), returning a result only when it is provably the
/// correctly rounded float32 value of the true norm — the argument of <see cref="FloatPowFast"/>:
///
/// Sums: every term has relative error ≤ k·u (<see cref="IC64Term.Ulps"/>), and a plain double sum of n non-negative
/// terms in which every term passes through at most d additions is within γ_{d+k} of the exact sum whatever the
/// order; the root (one or two roundings; p = 3 <see cref="FloatPowFast.Cbrt"/>, p = 1.5, ±2.5
/// <see cref="ComplexShortRows.LiteRoot{L}"/>, each within its bound) and
/// <see cref="FloatPowFast.TryStore"/>'s midpoint test then decide. ±∞: s rounds monotonically, so the largest
/// (smallest) s is the rounded largest (smallest) |z|², and √ of it is within 1.5u of the true extreme |z|.
///
/// The correctly rounded value is unique, so an accepted result has the bits of the exact paths
/// (<see cref="ComplexOffsetSum"/>, <see cref="ComplexNegative"/>, <see cref="ComplexAbsOp"/>), which run whenever
/// the test fails: near a float32 midpoint, on NaN or ∞ anywhere, on a zero with p &lt; 0 (divide-by-zero event),
/// on a zero sum, or on a result that is subnormal or beyond the largest float. The lane order, the split over
/// threads and the vector width cannot change an accepted result; without AVX-512 (or with
/// <see cref="RealKernels.Wide"/> off) this path is skipped and the exact paths give the same bits.</summary>
internal static unsafe class Complex64Fast
{
    /// <summary>Fewest complex values per part of a split sum (so from 2·SplitMin = 65536 values two threads share a
    /// sum): a part is then ≥ ~30 µs of work single-threaded, more than the float32 2-norm's parts
    /// (<see cref="FloatFastPath.SplitFrom"/>).</summary>
    private const long SplitMin = 1L << 15;
    private const double TinyValue = 2.409919865102884e-181; // 2⁻⁶⁰⁰ (a constant: a static field's init check in the loop made the JIT spill every accumulator)
    private const ulong InfBits = 0x7FF0_0000_0000_0000UL;

    public static bool Applies(ReductionPlan plan, DType t, DType ot, double p)
        => t == DType.Complex64 && ot == DType.Float32 && plan.OuterCount == 1 && plan.InnerShape.Length == 1 && plan.InnerCount > 0
           && (plan.InnerStrides[0] == 8 || FloatRuns.TakesStride(plan.InnerStrides[0])) && TakesOrder(p);

    /// <summary>The orders this path sums (with AVX-512 and <see cref="RealKernels.Wide"/> on).</summary>
    internal static bool TakesOrder(double p)
        => RealKernels.Wide && Avx512F.IsSupported && (p is 1 or 0.5 or 1.5 or 2.5 or -2.5 or 3 or 4 or -1 or -2 || double.IsInfinity(p));

    /// <summary>True when the correctly rounded result was stored (no FP events are possible then). Strided vectors
    /// are read in place (<see cref="FloatRuns"/>).</summary>
    public static bool TryRun(ReductionPlan plan, byte* x, byte* o, double p)
        => TryLine(x + plan.InnerBaseOffset, plan.InnerCount, plan.InnerStrides[0], p, o);

    /// <summary><see cref="TryRun(ReductionPlan, byte*, byte*, double)"/> for the <paramref name="n"/> values
    /// <paramref name="s"/> bytes apart (positive) from <paramref name="f"/>.</summary>
    internal static bool TryLine(byte* f, long n, long s, double p, byte* o)
        => FloatRuns.With<Line, bool>(f, s, n, true, new Line(p, o));

    private readonly struct Line(double p, byte* o) : IRunUser<bool>
    {
        public bool Use<R>(R run, long m) where R : struct, IFloatRun<R> => TryRun(run, m / 2, o, p); // m floats: m/2 values
    }

    private static bool TryRun<R>(R f, long n, byte* o, double p) where R : struct, IFloatRun<R>
        => p switch
        {
            1 => TrySum<C64Abs, R>(f, n, o),
            0.5 => TrySum<C64Root, R>(f, n, o),
            1.5 => TrySum<C64OneHalf, R>(f, n, o),
            2.5 => TrySum<C64TwoHalf, R>(f, n, o),
            -2.5 => TrySum<C64NegTwoHalf, R>(f, n, o),
            3 => TrySum<C64Cube, R>(f, n, o),
            4 => TrySum<C64Fourth, R>(f, n, o),
            -1 => TrySum<C64Recip, R>(f, n, o),
            -2 => TrySum<C64RecipSquare, R>(f, n, o),
            _ => TryExtreme(f, n, o, p > 0),
        };

    /// <summary>√s within 2⁻⁴¹ relative for s ∈ {0} ∪ [2⁻⁶⁰⁰, 2⁶⁰⁰], FMAs only (the hardware square root's
    /// throughput was the bound): y₀ = vrsqrt14pd(s), |y₀√s − 1| = |ε₀| &lt; 2⁻¹⁴ (Intel's bound), h = y₀/2 (exact),
    /// a₀ = s·y₀, then twice aᵢ₊₁ = aᵢ + (s − aᵢ²)·h, the residual by FMA. With aᵢ = √s(1 + εᵢ) one step gives exactly
    /// √s(1 − εᵢ²/2 − εᵢε₀ − εᵢ²ε₀/2), plus its roundings (the residual's is ~2⁻²⁶u relative, the last FMA's u):
    /// |ε₁| ≤ 1.5·2⁻²⁸·(1 + 2⁻¹³) + 1.1u ≤ 2⁻²⁷·⁴, |ε₂| ≤ |ε₁|(|ε₁|/2 + |ε₀|)(1 + 2⁻¹³) + 1.1u ≤ 2⁻⁴¹·³ ≈ 3100u.
    /// s = 0 gives 0 (y₀ from max(s, 2⁻⁶⁰⁰) stays finite); ∞ and NaN give NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> Sqrt(Vector512<double> s)
    {
        // vmaxpd (a NaN s gives 2⁻⁶⁰⁰ here, and NaN again in s·y); Vector512.Max would add NaN/±0 fix-ups
        var y = Avx512F.ReciprocalSqrt14(Avx512F.Max(s, Vector512.Create(TinyValue)));
        var h = y * Vector512.Create(0.5);
        var a = s * y;
        a = Vector512.FusedMultiplyAdd(Avx512F.FusedMultiplyAddNegated(a, a, s), h, a); // s − a² rounded once
        return Vector512.FusedMultiplyAdd(Avx512F.FusedMultiplyAddNegated(a, a, s), h, a);
    }

    /// <summary>s = re² + im² of 8 complex64 values (16 floats from float <paramref name="i"/>) in the lane order 0, 4,
    /// 1, 5, 2, 6, 3, 7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Squares<R>(R p, long i) where R : struct, IFloatRun<R>
    {
        var w0 = Avx512F.ConvertToVector512Double(p.Load8(i));
        var w1 = Avx512F.ConvertToVector512Double(p.Load8(i + 8));
        var re = Avx512F.UnpackLow(w0, w1);
        var im = Avx512F.UnpackHigh(w0, w1);
        return Vector512.FusedMultiplyAdd(re, re, im * im);
    }

    /// <summary>s of the last m &lt; 8 complex values (from a buffer padded with 1 + 0i, whose s = 1 is harmless to
    /// the range checks) and the mask of the lanes that hold real values.</summary>
    private static Vector512<double> TailSquares<R>(R p, long i, int m, out Vector512<double> mask) where R : struct, IFloatRun<R>
    {
        float* buf = stackalloc float[16];
        for (int j = 0; j < 8; j++)
        {
            buf[2 * j] = j < m ? p.At(i + 2 * j) : 1f;
            buf[2 * j + 1] = j < m ? p.At(i + 2 * j + 1) : 0f;
        }
        mask = Vector512.LessThan(Vector512.Create(0.0, 4, 1, 5, 2, 6, 3, 7), Vector512.Create((double)m));
        return Squares(new ContiguousFloats(buf), 0);
    }

    /// <summary>Σ T(s) over m complex values; <paramref name="hi"/>/<paramref name="lo"/> get the largest/smallest s
    /// bit pattern (unsigned: NaN of either sign and ∞ are ≥ <see cref="InfBits"/>; zero is 0; <paramref name="lo"/>
    /// only for p &lt; 0).</summary>
    internal static double Sum<T, R>(R p, long m, out ulong hi, out ulong lo) where T : struct, IC64Term where R : struct, IFloatRun<R>
    {
        Vector512<double> a0 = default, a1 = default;
        Vector512<ulong> mx = default, mn = Vector512<ulong>.AllBitsSet;
        long full = m & ~15L;
        for (long i = 0; i < full; i += 16)
        {
            var s0 = Squares(p, 2 * i);
            var s1 = Squares(p, 2 * i + 16);
            a0 += T.Term(s0); a1 += T.Term(s1);
            mx = Vector512.Max(mx, Vector512.Max(s0.AsUInt64(), s1.AsUInt64()));
            if (T.P < 0) mn = Vector512.Min(mn, Vector512.Min(s0.AsUInt64(), s1.AsUInt64())); // zeros matter only then
        }
        // everything folded before the call (no vector register survives a call: the JIT spilled the accumulators
        // inside the loop when they were live across it)
        hi = MaxOf(mx);
        lo = MinOf(mn);
        double sum = Vector512.Sum(a0 + a1);
        if (full < m)
        {
            sum += Tail<T, R>(p.From(2 * full), (int)(m - full), out ulong th, out ulong tl);
            hi = Math.Max(hi, th);
            lo = Math.Min(lo, tl);
        }
        return sum;
    }

    /// <summary>Σ T(s) over the last r &lt; 16 values, eight at a time (the last group padded, its padding masked out).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Tail<T, R>(R p, int r, out ulong hi, out ulong lo) where T : struct, IC64Term where R : struct, IFloatRun<R>
    {
        Vector512<double> a = default;
        Vector512<ulong> mx = default, mn = Vector512<ulong>.AllBitsSet;
        for (int i = 0; i < r; i += 8)
        {
            Vector512<double> s, mask = Vector512<double>.AllBitsSet;
            if (r - i >= 8) s = Squares(p, 2 * i);
            else s = TailSquares(p, 2 * i, r - i, out mask);
            a += T.Term(s) & mask;
            mx = Vector512.Max(mx, s.AsUInt64() & mask.AsUInt64()); // the padding takes part in neither extreme
            mn = Vector512.Min(mn, s.AsUInt64() | ~mask.AsUInt64());
        }
        hi = MaxOf(mx);
        lo = MinOf(mn);
        return Vector512.Sum(a);
    }

    private static ulong MaxOf(Vector512<ulong> v)
    {
        var h = Vector256.Max(v.GetLower(), v.GetUpper());
        return Math.Max(Math.Max(h[0], h[1]), Math.Max(h[2], h[3]));
    }

    private static ulong MinOf(Vector512<ulong> v)
    {
        var h = Vector256.Min(v.GetLower(), v.GetUpper());
        return Math.Min(Math.Min(h[0], h[1]), Math.Min(h[2], h[3]));
    }

    private static bool TrySum<T, R>(R p, long n, byte* dst) where T : struct, IC64Term where R : struct, IFloatRun<R>
    {
        int threads = Parallelism.MaxThreads, parts = 1;
        if (threads > 1 && n >= 2 * SplitMin) parts = (int)Math.Min(threads, n / SplitMin);
        double s;
        ulong hi, lo;
        if (parts == 1) s = Sum<T, R>(p, n, out hi, out lo);
        else
        {
            var ps = new double[parts];
            var his = new ulong[parts];
            var los = new ulong[parts];
            Parallelism.For(parts, threads, k =>
            {
                long first = n * k / parts, last = n * (k + 1) / parts;
                ps[k] = Sum<T, R>(p.From(2 * first), last - first, out his[k], out los[k]);
            });
            s = 0; hi = 0; lo = ulong.MaxValue;
            for (int k = 0; k < parts; k++) { s += ps[k]; hi = Math.Max(hi, his[k]); lo = Math.Min(lo, los[k]); }
        }
        // NaN/∞ anywhere, or a zero with p < 0: numpy's special-value rules and events belong to the exact paths
        if (hi >= InfBits || (T.P < 0 && lo == 0) || !(s > 0) || !double.IsFinite(s)) return false;
        // chain: a lane (≤ n/16 + 1 terms), the lane folds (≤ 16), the combine of the parts
        long d = n / 16 + 1 + 16 + parts;
        double r = T.P switch
        {
            1 => s,
            0.5 => s * s,
            -1 => 1 / s,
            -2 => 1 / Math.Sqrt(s),
            3 => FloatPowFast.Cbrt(s), // s ∈ [2⁻⁴⁴⁷, 2³⁸⁵]: inside Cbrt's range
            4 => Math.Sqrt(Math.Sqrt(s)),
            _ => LiteRoot(s, 1 / T.P), // a normal double: these orders' terms lie in [2⁻³⁷³, 2³⁷³]
        };
        // a term with relative error ≤ k·u enters the bound like k more roundings; then the root's own error: one or
        // two roundings, Cbrt's bound for ord 3, LiteRoot's 2⁻³⁶ for 1.5 and ±2.5 (the double-double root per line
        // was ~45 % of complex64 (60, 80, 100) axis 1 ord 3, ~55 % of (3000, 100) axis 1 ord 2.5)
        long root = T.P switch { 3 => FloatPowFast.CbrtUlps, 4 => 2, 1 or 0.5 or -1 or -2 => 1, _ => ComplexShortRows.LiteRootUlps };
        return FloatPowFast.TryStore(r, d + T.Ulps + root, dst);
    }

    /// <summary>s^<paramref name="invP"/> by <see cref="ComplexShortRows.LiteRoot{L}"/> on one lane (s a positive
    /// normal double, |invP| ≤ 2/3).</summary>
    private static double LiteRoot(double s, double invP)
    {
        double* tmp = stackalloc double[2];
        return Unsafe.BitCast<Lane1, double>(ComplexShortRows.LiteRoot(Unsafe.BitCast<double, Lane1>(s), invP, tmp));
    }

    /// <summary>max |z| (<paramref name="max"/>) or min |z|: the extreme s, then one √.</summary>
    private static bool TryExtreme<R>(R p, long n, byte* dst, bool max) where R : struct, IFloatRun<R>
    {
        Vector512<ulong> mx = default, mn = Vector512<ulong>.AllBitsSet;
        long full = n & ~15L;
        for (long i = 0; i < full; i += 16)
        {
            var s0 = Squares(p, 2 * i).AsUInt64();
            var s1 = Squares(p, 2 * i + 16).AsUInt64();
            mx = Vector512.Max(mx, Vector512.Max(s0, s1));
            mn = Vector512.Min(mn, Vector512.Min(s0, s1));
        }
        ulong hi = MaxOf(mx), lo = MinOf(mn); // folded before the call, as in Sum
        if (full < n)
        {
            Tail<C64Fourth, R>(p.From(2 * full), (int)(n - full), out ulong th, out ulong tl); // its sum is not needed
            hi = Math.Max(hi, th);
            lo = Math.Min(lo, tl);
        }
        if (hi >= InfBits) return false; // NaN or ∞: numpy's rules on the exact path
        ulong pick = max ? hi : lo;
        if (pick == 0)
        {
            if (max) return false; // all zero: rare, exact path
            Unsafe.WriteUnaligned(dst, 0f); // min |z| = 0 exactly (no event for −∞)
            return true;
        }
        // √(s·(1 + δ)), |δ| ≤ u, rounded: within 1.5u of the extreme |z|
        return FloatPowFast.TryStore(Math.Sqrt(BitConverter.UInt64BitsToDouble(pick)), 2, dst);
    }
}
