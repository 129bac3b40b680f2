using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>float32 and complex64 ord −2 and −3 over an axis whose outputs are adjacent in memory but whose reduced
/// axis is not (C-order axis 0 and the like): a SIMD lane per output, a group of 8 (complex64: 4, 8 with AVX-512) adjacent outputs walked
/// down the reduced axis with plain double accumulators; the last group overlaps the previous one (a lane recomputes
/// the same value). A float32 result is stored only when it is provably the correctly rounded norm
/// (<see cref="LaneAcross.TryStoreSingle"/>), the unique value every path stores (these results are correctly rounded on
/// the 1-D path); every other output — zeros (a term 1/0), NaN, only infinities, results outside the float32 normal
/// range, or a value too near a float32 rounding midpoint — is the 1-D reduction of its column alone
/// (<see cref="AcrossOutputsWide.Alone(byte*, DType, long, long, byte*, DType, double)"/>), with that path's value and events.
///
/// Error bound (u = 2⁻⁵³, n ≤ <see cref="MaxInner"/>). Each value is exact in double, and so is x² (≤ 48 bits); |z|² = fl(re² + im²)
/// is one rounding. Terms: 1/x² one rounding, 1/|z|² two, 1/|x|³ = fl(1/fl(x²·|x|)) two, 1/|z|³ = fl(1/fl(m·fl(√m)))
/// with m = fl(|z|²) within (1 + u)^(3/2)(1 + u)²/(1 − u) − 1 ≤ γ₅; all in the double normal range (|x| ∈ [2⁻¹⁴⁹, 2¹²⁸],
/// |z|³ ∈ [2⁻⁴⁴⁷, 2³⁸⁶]), an ∞ element giving the exact term 0 (its true term). The plain sum of n positive terms
/// then has S̃ = S(1 + θ), |θ| ≤ γ_(n+k) (k = 2; complex ord −3: 5, or with AVX-512 y³ for y = 1/√m by vrsqrt14pd and two
/// Newton steps, ≤ 3·3.5u + 2u, so k = 16 for both). Ord −2: v = fl(1/fl(√S̃)) is within |θ|/2 + 2u(1 + u) of S^(−1/2). Ord −3: r from
/// an estimate (<see cref="InvCbrtEstimate"/>) and three Newton steps, accepted only when the residual d = fma(−S̃, fl(fl(r·r)·r), 1) has |d| ≤ 2⁻⁴⁸: then
/// S̃·r³ = (1 − d/(1 + ρ))/(1 + η) with |ρ| ≤ u, |η| ≤ 2.01u, so r is within (|d|(1 + u) + 2.01u)/3·1.01 of S̃^(−1/3), and
/// within that plus |θ|/3 of the norm. In double ulps of the result (relative ε → fewer than ε·2⁵³ ulps) both stay below
/// <see cref="Ulps"/>, a factor of two of slack; TryStoreSingle stores (float)v only when v is farther than that from
/// every float32 midpoint.</summary>
internal static unsafe class NarrowNegCols
{
    /// <summary>Longest column taken (the bound in ulps stays far below the 2²⁷ that TryStoreSingle's test allows).</summary>
    internal const long MaxInner = 1L << 20;

    /// <summary>Total elements from which groups are split over threads.</summary>
    internal const long ParallelElements = 1L << 15;

    public static bool Applies(ReductionPlan plan, DType t, DType ot, double p)
    {
        if (!(Avx2.IsSupported && Fma.IsSupported) || ot != DType.Float32 || plan.InnerShape.Length != 1 || plan.OuterShape.Length != 1
            || plan.InnerCount < 2 || plan.InnerCount > MaxInner) return false;
        if (!(t is DType.Float32 or DType.Complex64) || p is not (-2 or -3)) return false;
        long es = DTypes.ItemSize(t);
        return plan.OuterInStrides[0] == es && plan.InnerStrides[0] != es && plan.OuterCount >= Width(t);
    }

    private static int Width(DType t) => t == DType.Float32 ? 8 : 4;

    /// <summary>Outputs per group: <see cref="Width"/>, or 8 for complex64 with AVX-512 and at least 8 outputs (two
    /// 4-lane accumulators, stored lane-wise). Depends on the shape only.</summary>
    private static int GroupWidth(DType t, long outs) => t == DType.Complex64 && outs >= 8 && Avx512F.IsSupported ? 8 : Width(t);

    /// <summary>Double ulps of a result allowed between it and a float32 midpoint (see the class summary).</summary>
    private static long Ulps(long n, double p, DType t) => p == -2 ? n + 16 : 2 * ((34 + n + (t == DType.Complex64 ? 16 : 2)) / 3 + 1) + 16;

    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, byte* o, double p)
    {
        long outs = plan.OuterCount, n = plan.InnerCount;
        int w = GroupWidth(t, outs);
        long groups = (outs + w - 1) / w;
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && groups > 1 && outs * n >= ParallelElements)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(groups, threads, (g0, count) => Groups(plan, (byte*)xb, t, (byte*)ob, p, g0, count));
        }
        return Groups(plan, x, t, o, p, 0, groups);
    }

    private static FpEvents Groups(ReductionPlan plan, byte* x, DType t, byte* o, double p, long g0, long count)
    {
        long outs = plan.OuterCount, n = plan.InnerCount, s = plan.InnerStrides[0], os = plan.OuterOutStrides[0];
        int w = GroupWidth(t, outs), es = DTypes.ItemSize(t);
        long ulps = Ulps(n, p, t);
        byte* start = x + plan.InnerBaseOffset;
        double* v = stackalloc double[8];
        double* sums = stackalloc double[8]; // the lanes' sums in column order: +∞ marks a zero element
        var ev = FpEvents.None;
        for (long g = g0; g < g0 + count; g++)
        {
            long k = Math.Min(g * w, outs - w); // the last group overlaps the previous one
            byte* c = start + k * es;
            Vector256<double> a0 = default, a1 = default;
            Vector256<double> s0, s1 = default; // the lanes' sums, complex64 in lane order [0, 2, 1, 3]: +∞ marks a zero
            if (t == DType.Complex64 && w == 8 && p == -3)
            {
                // eight outputs on 512-bit lanes, the term y³ from y = 1/√s by vrsqrt14pd and two Newton steps
                // (C64Recip: ≤ 3.5u, s's rounding included; the cube two more roundings: ≤ 3·3.5u + 2u < 16u), FMAs
                // only (the hardware root and division were the bound); a zero or ∞ element gives NaN: alone
                Vector512<double> acc = default;
                for (long r = 0; r < n; r++)
                {
                    var (lo, hi) = Vector256.Widen(Vector256.Load((float*)(c + r * s)));
                    var (lo2, hi2) = Vector256.Widen(Vector256.Load((float*)(c + r * s) + 8));
                    // [|z₀|², |z₂|², |z₁|², |z₃|² | |z₄|², |z₆|², |z₅|², |z₇|²]: each fl(re² + im²), one rounding
                    var m = Vector512.Create(Avx.HorizontalAdd(lo * lo, hi * hi), Avx.HorizontalAdd(lo2 * lo2, hi2 * hi2));
                    var y = C64Recip.Term(m);
                    acc += y * y * y;
                }
                if (!Vector512.EqualsAll(acc, acc))
                {
                    // a zero element's term is NaN (∞·0 in the Newton steps), as a NaN's or an ∞'s: the group's rows
                    // again (in cache; a blend in the loop above cost random data ~8 %) for the lanes with a zero |z|²
                    // and no NaN or ∞ one, whose sum is made +∞ (1/0, as the other bodies): stored as 0 below
                    var zm = Vector512<double>.Zero; var sp = Vector512<double>.Zero;
                    for (long r = 0; r < n; r++)
                    {
                        var (lo, hi) = Vector256.Widen(Vector256.Load((float*)(c + r * s)));
                        var (lo2, hi2) = Vector256.Widen(Vector256.Load((float*)(c + r * s) + 8));
                        var m = Vector512.Create(Avx.HorizontalAdd(lo * lo, hi * hi), Avx.HorizontalAdd(lo2 * lo2, hi2 * hi2));
                        zm |= Vector512.Equals(m, Vector512<double>.Zero);
                        sp |= ~Vector512.LessThan(m, Vector512.Create(double.PositiveInfinity));
                    }
                    acc = Vector512.ConditionalSelect(zm & ~sp, Vector512.Create(double.PositiveInfinity), acc);
                }
                Roots(acc.GetLower(), p).Store(v);
                Roots(acc.GetUpper(), p).Store(v + 4);
                s0 = acc.GetLower(); s1 = acc.GetUpper();
                (v[1], v[2]) = (v[2], v[1]); // back to column order
                (v[5], v[6]) = (v[6], v[5]);
            }
            else if (t == DType.Complex64)
            {
                for (long r = 0; r < n; r++)
                {
                    var (lo, hi) = Vector256.Widen(Vector256.Load((float*)(c + r * s)));
                    // [|z₀|², |z₂|², |z₁|², |z₃|²]: each fl(re² + im²) of exact squares, one rounding
                    var m = Avx.HorizontalAdd(lo * lo, hi * hi);
                    a0 += Vector256<double>.One / (p == -2 ? m : m * Vector256.Sqrt(m));
                    if (w == 8)
                    {
                        (lo, hi) = Vector256.Widen(Vector256.Load((float*)(c + r * s) + 8)); // outputs 4–7
                        m = Avx.HorizontalAdd(lo * lo, hi * hi);
                        a1 += Vector256<double>.One / (p == -2 ? m : m * Vector256.Sqrt(m));
                    }
                }
                Roots(a0, p).Store(v);
                s0 = a0; s1 = a1;
                (v[1], v[2]) = (v[2], v[1]); // back to column order
                if (w == 8)
                {
                    Roots(a1, p).Store(v + 4);
                    (v[5], v[6]) = (v[6], v[5]);
                }
            }
            else
            {
                for (long r = 0; r < n; r++)
                {
                    var (lo, hi) = Vector256.Widen(Vector256.Abs(Vector256.Load((float*)(c + r * s))));
                    if (p == -2)
                    {
                        a0 += Vector256<double>.One / (lo * lo);
                        a1 += Vector256<double>.One / (hi * hi);
                    }
                    else
                    {
                        a0 += Vector256<double>.One / (lo * lo * lo);
                        a1 += Vector256<double>.One / (hi * hi * hi);
                    }
                }
                Roots(a0, p).Store(v);
                Roots(a1, p).Store(v + 4);
                s0 = a0; s1 = a1;
            }
            if (w == 8 && Avx512F.IsSupported)
            {
                // the same test lane-wise (the scalar test's branches per output were ~20 % of the float32 call)
                uint bad = LaneAcross.TryStoreSingles(v, ulps, o + k * os, os, 0);
                if (bad != 0) Sums(s0, s1, t, sums);
                for (; bad != 0; bad &= bad - 1)
                {
                    int j = System.Numerics.BitOperations.TrailingZeroCount(bad);
                    ev |= Rejected(c + j * es, t, n, s, o + (k + j) * os, p, sums[j]);
                }
                continue;
            }
            Sums(s0, s1, t, sums);
            for (int j = 0; j < w; j++)
            {
                byte* dst = o + (k + j) * os;
                if (!LaneAcross.TryStoreSingle(v[j], ulps, dst))
                    ev |= Rejected(c + j * es, t, n, s, dst, p, sums[j]);
            }
        }
        return ev;
    }

    /// <summary>The lanes' sums into <paramref name="sums"/> in column order (complex64 lanes hold [0, 2, 1, 3]).</summary>
    private static void Sums(Vector256<double> s0, Vector256<double> s1, DType t, double* sums)
    {
        s0.Store(sums); s1.Store(sums + 4);
        if (t != DType.Complex64) return;
        (sums[1], sums[2]) = (sums[2], sums[1]);
        (sums[5], sums[6]) = (sums[6], sums[5]);
    }

    /// <summary>An output the store test rejected: a sum of +∞ comes only from a zero element (a term 1/0; a NaN makes
    /// the sum NaN, an ∞ element adds 0, and the terms of finite elements stay below 2⁴⁴⁷), whose norm is 0 with
    /// numpy's divide-by-zero event — the 1-D path's value and events — stored at once; any other goes alone.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FpEvents Rejected(byte* c, DType t, long n, long s, byte* dst, double p, double sum)
    {
        if (sum == double.PositiveInfinity)
        {
            Unsafe.WriteUnaligned(dst, 0f);
            return FpEvents.DivideByZero;
        }
        return AcrossOutputsWide.Alone(c, t, n, s, dst, DType.Float32, p);
    }

    /// <summary>The lanes' roots S^(1/p), or 0 (rejected by the store test, so the column goes alone) for an ord −3 lane
    /// whose residual is not below 2⁻⁴⁸.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Roots(Vector256<double> sum, double p)
    {
        var one = Vector256<double>.One;
        if (p == -2) return one / Vector256.Sqrt(sum);
        // lanes whose sum is not a normal double (+∞ from a zero element, NaN, 0 from only infinities) iterate on 1
        // and are rejected: their estimates were subnormal, and subnormal operands in the Newton steps cost a
        // microcode assist each (float32 (4, 3000) ord −3 with a zero in a fifth of the columns 17 → 40 µs)
        var valid = Vector256.GreaterThanOrEqual(sum, Vector256.Create(VecLogExp.MinNormal)) & Vector256.LessThanOrEqual(sum, Vector256.Create(double.MaxValue));
        sum = Vector256.ConditionalSelect(valid, sum, one);
        var r = InvCbrtEstimate(sum);
        var third = Vector256.Create(1.0 / 3);
        for (int it = 0; it < 3; it++)
        {
            var d0 = Vector256.FusedMultiplyAdd(-sum, r * r * r, one);
            r = Vector256.FusedMultiplyAdd(r * d0, third, r);
        }
        var d = Vector256.FusedMultiplyAdd(-sum, r * r * r, one);
        var ok = valid & Vector256.LessThanOrEqual(Vector256.Abs(d), Vector256.Create(Math.ScaleB(1.0, -48)));
        return Vector256.ConditionalSelect(ok, r, Vector256<double>.Zero);
    }

    /// <summary>S^(−1/3) within 0.3 % for a positive normal S (anything for 0, subnormals, ∞ or NaN: the residual test
    /// of <see cref="Roots"/> rejects those lanes): S = 2^e·m, m ∈ [1, 2), e = 3q + j (j ∈ {0, 1, 2}), the estimate
    /// 2^(−q)·2^(−j/3)·P(m) with P a quadratic fit of m^(−1/3) (relative error ≤ 2.94·10⁻³). Three Newton steps
    /// r ← r + r(1 − S·r³)/3 (error e → ≈ −2e²) bring it to ≈ 10⁻¹⁸, far inside the 2⁻⁴⁸ residual the proof asks; the
    /// estimate only decides how fast r converges, never the bound (the accepted residual does). Integer and FMA
    /// operations only: Vector256.Exp(Log) was ~30 % of the float32 (4, 3000) ord −3 call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> InvCbrtEstimate(Vector256<double> sum)
    {
        var bits = sum.AsInt64();
        var m = ((bits & Vector256.Create(0x000F_FFFF_FFFF_FFFFL)) | Vector256.Create(0x3FF0_0000_0000_0000L)).AsDouble();
        var two52 = Vector256.Create(4503599627370496.0); // 2⁵²: bits 0x4330… + k is the double 2⁵² + k
        var e = ((bits >>> 52) | two52.AsInt64()).AsDouble() - two52 - Vector256.Create(1023.0);
        var q = Vector256.Floor((e + Vector256.Create(0.5)) * Vector256.Create(1.0 / 3)); // exact: (3q + j + ½)/3 ∈ [q + ⅙, q + ⅚]
        var j = e - q * Vector256.Create(3.0);
        var c = Vector256.ConditionalSelect(Vector256.Equals(j, Vector256<double>.Zero), Vector256<double>.One,
            Vector256.ConditionalSelect(Vector256.Equals(j, Vector256<double>.One), Vector256.Create(0.79370052598409979), Vector256.Create(0.62996052494743658)));
        var poly = Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(m, Vector256.Create(0.09201838), Vector256.Create(-0.47730914)), m, Vector256.Create(1.38235576));
        var scale = (((Vector256.Create(1023.0) - q) + two52).AsInt64() << 52).AsDouble(); // 2^(−q), q ∈ [−342, 341]
        return poly * c * scale;
    }
}
