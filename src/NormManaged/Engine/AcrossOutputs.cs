using System.Runtime.Intrinsics;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Axis reductions whose outputs are adjacent in memory but whose reduced axis is not (C-order
/// axis=0, Fortran-order axis=1): 16 outputs at a time, one SIMD lane per output, streaming the rows, so
/// every cache line read is fully used. Each lane keeps a double-double sum (TwoProd/TwoSum), accurate to
/// ~n·2⁻¹⁰⁶, so results are correctly rounded like the 1-D kernels'; a lane whose sum overflowed, is NaN/inf,
/// or is small enough (&lt; 2⁻⁹⁰⁰) that squares may have underflowed is recomputed by the scaled 1-D kernel.
/// Handles float64 with p = 2 or p = 1 over one reduced axis and one kept axis.</summary>
internal static unsafe class AcrossOutputs
{
    private const int Lanes = 16;
    private static readonly double s_tiny = Math.ScaleB(1.0, -900);

    public static bool Applies(ReductionPlan plan, DType t, double p)
        => t == DType.Float64 && (p == 2 || p == 1) && plan.InnerShape.Length == 1 && plan.OuterShape.Length == 1
           && plan.OuterInStrides[0] == 8 && plan.InnerStrides[0] != 8 && plan.OuterCount >= Lanes && plan.InnerCount >= 2;

    public static FpEvents Run(ReductionPlan plan, byte* x, DType ot, byte* o, double p)
    {
        long outs = plan.OuterCount;
        long groups = outs / Lanes;
        int threads = Parallelism.MaxThreads;
        var ev = FpEvents.None;
        if (threads > 1 && outs * plan.InnerCount >= BlockDriver.ParallelThreshold && groups >= 2)
        {
            int ranges = (int)Math.Min(groups, 4L * threads);
            var evs = new FpEvents[ranges];
            nint xb = (nint)x, ob = (nint)o;
            Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = threads }, r =>
            {
                long g0 = groups * r / ranges, g1 = groups * (r + 1) / ranges;
                var e = FpEvents.None;
                for (long g = g0; g < g1; g++) e |= Group(plan, (byte*)xb, (byte*)ob, ot, g * Lanes, p);
                evs[r] = e;
            });
            foreach (var e in evs) ev |= e;
        }
        else
            for (long g = 0; g < groups; g++) ev |= Group(plan, x, o, ot, g * Lanes, p);
        for (long k = groups * Lanes; k < outs; k++) ev |= OneD(plan, x, o, ot, k, p);
        return ev;
    }

    private static FpEvents OneD(ReductionPlan plan, byte* x, byte* o, DType ot, long k, double p)
    {
        var sub = ReductionPlan.Run(plan.InnerCount, plan.InnerStrides[0]);
        byte* xp = x + k * plan.OuterInStrides[0] + plan.InnerBaseOffset;
        byte* dst = o + k * plan.OuterOutStrides[0];
        return p == 2 ? BlockDriver.Run<SumSquaresOp, ScaledSum>(sub, xp, DType.Float64, dst, ot, default)
                      : BlockDriver.Run<IntPowOp, ScaledSum>(sub, xp, DType.Float64, dst, ot, new IntPowOp(1));
    }

    private static FpEvents Group(ReductionPlan plan, byte* x, byte* o, DType ot, long k0, double p)
    {
        long n = plan.InnerCount, s = plan.InnerStrides[0];
        double* row = (double*)(x + k0 * 8 + plan.InnerBaseOffset);
        Vector256<double> h0 = default, h1 = default, h2 = default, h3 = default;
        Vector256<double> l0 = default, l1 = default, l2 = default, l3 = default;
        bool sq = p == 2;
        for (long i = 0; i < n; i++, row = (double*)((byte*)row + s))
        {
            Step(ref h0, ref l0, Vector256.Load(row), sq);
            Step(ref h1, ref l1, Vector256.Load(row + 4), sq);
            Step(ref h2, ref l2, Vector256.Load(row + 8), sq);
            Step(ref h3, ref l3, Vector256.Load(row + 12), sq);
        }
        double* hs = stackalloc double[Lanes];
        double* ls = stackalloc double[Lanes];
        Vector256.Store(h0, hs); Vector256.Store(h1, hs + 4); Vector256.Store(h2, hs + 8); Vector256.Store(h3, hs + 12);
        Vector256.Store(l0, ls); Vector256.Store(l1, ls + 4); Vector256.Store(l2, ls + 8); Vector256.Store(l3, ls + 12);
        var ev = FpEvents.None;
        for (int j = 0; j < Lanes; j++)
        {
            double h = hs[j], l = ls[j];
            bool safe = double.IsFinite(h) && double.IsFinite(l) && (sq ? h >= s_tiny : h > 0 || h == 0 && l == 0);
            if (!safe) { ev |= OneD(plan, x, o, ot, k0 + j, p); continue; }
            byte* dst = o + (k0 + j) * plan.OuterOutStrides[0];
            h = DD.FastTwoSum(h, l, out l);
            if (sq)
            {
                var acc = new ScaledSum { Hi = h, Lo = l };
                SumSquares.Sqrt(acc, out double r, out double c, out int k);
                ev |= ResultWriter.Store(ot, dst, r, c, k);
            }
            else ev |= ResultWriter.Store(ot, dst, h, l, 0);
        }
        return ev;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Step(ref Vector256<double> h, ref Vector256<double> l, Vector256<double> x, bool square)
    {
        Vector256<double> t, e;
        if (square)
        {
            t = x * x;
            e = Vector256.FusedMultiplyAdd(x, x, -t);
        }
        else { t = Vector256.Abs(x); e = Vector256<double>.Zero; }
        var s = h + t;
        var bb = s - h;
        l += ((h - (s - bb)) + (t - bb)) + e;
        h = s;
    }
}
