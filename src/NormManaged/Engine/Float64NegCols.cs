using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>float64 ord −2 over an axis whose outputs are adjacent in memory but whose reduced axis is not (C-order axis
/// 0, 3-D axis 0): a SIMD lane per output, 8 adjacent outputs walked down the reduced axis (the last group overlaps the
/// previous one). These norms are correctly rounded on every path (README "Accuracy"), so a lane stores its result only
/// where its error bound proves the rounding: every other output — an element outside [2⁻⁴⁰⁰, 2⁴⁰⁰] (zeros, NaN, ∞,
/// extreme scales) or a root within <see cref="RealPowOp.TieMargin"/> of a rounding midpoint — is the 1-D reduction of its
/// column alone (exact midpoint decision included), with that path's value and events.
///
/// Error bound (u = 2⁻⁵³, n ≤ <see cref="MaxInner"/>). x² = q + qe exactly (FMA); the term 1/x² = th + tl with th = fl(1/q),
/// tl = th·(fma(−th, q, 1) − th·qe): relative error ≤ 2⁻¹⁰² (second order in the residual, the roundings of tl's parts
/// ≲ 2⁻¹⁰⁵); every term and tl in the normal range. TwoSum into s, errors and tl plainly into c: |s + c − Σ| ≤
/// ((n² + 2n)·2⁻¹⁰⁶ + 2⁻¹⁰²)·Σ ≤ 2⁻⁸¹·Σ for n ≤ 4096 (Σ|eᵢ| ≤ n·u·Σ for positive terms, c's n roundings γₙ of that).
/// The root: y₀ = fl(1/fl(√S_h)) (within 2.01u), one double-double Newton step y₀ + y₀·r/2, r = 1 − S·y₀² from FMA
/// residuals (absolute error ≲ 2⁻¹⁰³): within 2⁻⁹⁹ of S̃^(−1/2), so within 2⁻⁸¹ of the norm; the result is stored only
/// when no float64 midpoint lies within 2⁻⁶⁸ (relative) of it, where the rounding is then decided.</summary>
internal static unsafe class Float64NegCols
{
    /// <summary>Longest column taken (the bound above).</summary>
    internal const long MaxInner = 4096;

    /// <summary>Total elements from which groups are split over threads.</summary>
    private const long ParallelElements = 1L << 15;

    private static readonly double MinAbs = Math.ScaleB(1.0, -400), MaxAbs = Math.ScaleB(1.0, 400);

    public static bool Applies(ReductionPlan plan, DType t, DType ot, double p)
        => t == DType.Float64 && ot == DType.Float64 && p == -2 && Avx2.IsSupported && Fma.IsSupported
           && plan.InnerShape.Length == 1 && plan.OuterShape.Length == 1 && plan.InnerCount >= 2 && plan.InnerCount <= MaxInner
           && plan.OuterInStrides[0] == 8 && plan.InnerStrides[0] != 8 && plan.OuterCount >= 8;

    public static FpEvents Run(ReductionPlan plan, byte* x, byte* o)
    {
        long outs = plan.OuterCount, n = plan.InnerCount;
        long groups = (outs + 7) / 8;
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && groups > 1 && outs * n >= ParallelElements)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(groups, threads, (g0, count) => Groups(plan, (byte*)xb, (byte*)ob, g0, count));
        }
        return Groups(plan, x, o, 0, groups);
    }

    private static FpEvents Groups(ReductionPlan plan, byte* x, byte* o, long g0, long count)
    {
        long outs = plan.OuterCount, n = plan.InnerCount, s = plan.InnerStrides[0], os = plan.OuterOutStrides[0];
        byte* start = x + plan.InnerBaseOffset;
        double* v = stackalloc double[24];
        var ev = FpEvents.None;
        for (long g = g0; g < g0 + count; g++)
        {
            long k = Math.Min(g * 8, outs - 8); // the last group overlaps the previous one
            byte* c = start + k * 8;
            Vector256<double> s0 = default, c0 = default, s1 = default, c1 = default, bad0 = default, bad1 = default;
            for (long r = 0; r < n; r++)
            {
                double* q = (double*)(c + r * s);
                Step(Vector256.Load(q), ref s0, ref c0, ref bad0);
                Step(Vector256.Load(q + 4), ref s1, ref c1, ref bad1);
            }
            Root(s0, c0, bad0, v, v + 8, v + 16);
            Root(s1, c1, bad1, v + 4, v + 12, v + 20);
            for (int j = 0; j < 8; j++)
            {
                byte* dst = o + (k + j) * os;
                double h = v[j], l = v[8 + j];
                if (v[16 + j] == 0 && !Midpoint.MaybeNear64(h, l, RealPowOp.TieMargin))
                    Unsafe.WriteUnaligned(dst, h); // fl(h + l) = h, and so is the correctly rounded norm
                else
                    ev |= AcrossOutputsWide.Alone(c + j * 8, DType.Float64, n, s, dst, DType.Float64, -2);
            }
        }
        return ev;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(Vector256<double> x, ref Vector256<double> s, ref Vector256<double> c, ref Vector256<double> bad)
    {
        var a = Vector256.Abs(x);
        bad |= ~(Vector256.GreaterThanOrEqual(a, Vector256.Create(MinAbs)) & Vector256.LessThanOrEqual(a, Vector256.Create(MaxAbs)));
        var one = Vector256<double>.One;
        var q = a * a;
        var qe = Vector256.FusedMultiplyAdd(a, a, -q);
        var th = one / q;
        var d = Vector256.FusedMultiplyAdd(-th, q, one) - th * qe;
        var tl = th * d;
        var t = s + th;
        var bb = t - s;
        c += ((s - (t - bb)) + (th - bb)) + tl;
        s = t;
    }

    /// <summary>The lanes' roots (S_h + S_l)^(−1/2) as normalised double-doubles into h and l, and 1 into flag for a lane
    /// whose column had an element outside the range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Root(Vector256<double> s, Vector256<double> c, Vector256<double> bad, double* h, double* l, double* flag)
    {
        var one = Vector256<double>.One;
        var sh = s + c;
        var sl = c - (sh - s);
        var y0 = one / Vector256.Sqrt(sh);
        var y2 = y0 * y0;
        var y2e = Vector256.FusedMultiplyAdd(y0, y0, -y2);
        var r = Vector256.FusedMultiplyAdd(-sh, y2, one) - sh * y2e - sl * y2;
        var yl = Vector256.Create(0.5) * y0 * r;
        var rh = y0 + yl;
        var rl = yl - (rh - y0);
        rh.Store(h); rl.Store(l);
        (bad & one).Store(flag);
    }
}
