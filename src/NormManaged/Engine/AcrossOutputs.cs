using System.Runtime.Intrinsics;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Axis reductions whose outputs are adjacent in memory but whose reduced axis is not (C-order
/// axis=0, Fortran-order axis=1): one SIMD lane per output, the rows streamed contiguously in bands of up to
/// 512 outputs (threads over bands), so every cache line read is fully used and prefetched. Each lane keeps a double-double sum (TwoProd/TwoSum), accurate to
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

    /// <summary>Outputs per band: the band's two accumulator arrays (2 × 4 KB) stay in L1 while rows stream.</summary>
    private const int Band = 512;

    public static FpEvents Run(ReductionPlan plan, byte* x, DType ot, byte* o, double p)
    {
        long outs = plan.OuterCount;
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && outs * plan.InnerCount >= BlockDriver.ParallelThreshold && outs >= 2 * Lanes)
        {
            // Bands may be cut anywhere: each output's arithmetic is the same sequential walk down its own column.
            long w = Math.Clamp((outs + 2L * threads - 1) / (2L * threads), Lanes, Band);
            w = (w + 7) & ~7L;
            int bands = (int)((outs + w - 1) / w);
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForParts(bands, threads, b =>
            {
                long k0 = b * w;
                return Stream(plan, (byte*)xb, (byte*)ob, ot, k0, (int)Math.Min(w, outs - k0), p);
            });
        }
        var ev = FpEvents.None;
        for (long k0 = 0; k0 < outs; k0 += Band)
            ev |= Stream(plan, x, o, ot, k0, (int)Math.Min(Band, outs - k0), p);
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

    /// <summary>Outputs k0 … k0 + w − 1: the rows are streamed (contiguous runs of w elements) into per-output
    /// double-double accumulators, Vector512/Vector256/scalar by position only; every output sees the same IEEE
    /// operations in the same order down its column whatever the width, band or thread, so the bits are fixed.</summary>
    private static FpEvents Stream(ReductionPlan plan, byte* x, byte* o, DType ot, long k0, int w, double p)
    {
        long n = plan.InnerCount, s = plan.InnerStrides[0];
        double* hs = stackalloc double[w];
        double* ls = stackalloc double[w];
        new Span<double>(hs, w).Clear();
        new Span<double>(ls, w).Clear();
        byte* row = x + k0 * 8 + plan.InnerBaseOffset;
        bool sq = p == 2;
        bool wide = Kernels.RealKernels.Wide;
        long i = 0;
        if (wide)
        {
            // four rows per pass over the accumulators: each output still takes its rows in order, one LaneStep.Add each
            for (; i + 4 <= n; i += 4, row += 4 * s)
            {
                double* r0 = (double*)row, r1 = (double*)(row + s), r2 = (double*)(row + 2 * s), r3 = (double*)(row + 3 * s);
                int j = 0;
                for (; j <= w - 8; j += 8)
                {
                    var h = Vector512.Load(hs + j); var l = Vector512.Load(ls + j);
                    LaneStep.Add(ref h, ref l, Vector512.Load(r0 + j), sq);
                    LaneStep.Add(ref h, ref l, Vector512.Load(r1 + j), sq);
                    LaneStep.Add(ref h, ref l, Vector512.Load(r2 + j), sq);
                    LaneStep.Add(ref h, ref l, Vector512.Load(r3 + j), sq);
                    Vector512.Store(h, hs + j); Vector512.Store(l, ls + j);
                }
                for (; j < w; j++)
                {
                    LaneStep.Add(ref hs[j], ref ls[j], r0[j], sq);
                    LaneStep.Add(ref hs[j], ref ls[j], r1[j], sq);
                    LaneStep.Add(ref hs[j], ref ls[j], r2[j], sq);
                    LaneStep.Add(ref hs[j], ref ls[j], r3[j], sq);
                }
            }
        }
        for (; i < n; i++, row += s)
        {
            double* r = (double*)row;
            int j = 0;
            if (wide)
                for (; j <= w - 8; j += 8)
                {
                    var h = Vector512.Load(hs + j); var l = Vector512.Load(ls + j);
                    LaneStep.Add(ref h, ref l, Vector512.Load(r + j), sq);
                    Vector512.Store(h, hs + j); Vector512.Store(l, ls + j);
                }
            if (Vector256.IsHardwareAccelerated)
                for (; j <= w - 4; j += 4)
                {
                    var h = Vector256.Load(hs + j); var l = Vector256.Load(ls + j);
                    LaneStep.Add(ref h, ref l, Vector256.Load(r + j), sq);
                    Vector256.Store(h, hs + j); Vector256.Store(l, ls + j);
                }
            for (; j < w; j++) LaneStep.Add(ref hs[j], ref ls[j], r[j], sq);
        }
        var ev = FpEvents.None;
        for (int j = 0; j < w; j++)
        {
            double h = hs[j], l = ls[j];
            bool safe = double.IsFinite(h) && double.IsFinite(l) && (sq ? h >= s_tiny : h > 0 || h == 0 && l == 0);
            if (!safe) { ev |= OneD(plan, x, o, ot, k0 + j, p); continue; }
            byte* dst = o + (k0 + j) * plan.OuterOutStrides[0];
            h = DD.FastTwoSum(h, l, out l);
            if (sq)
            {
                var acc = new ScaledSum { Hi = h, Lo = l };
                SumSquares.Sqrt(acc, out double rr, out double c, out int k);
                ev |= ResultWriter.Store(ot, dst, rr, c, k);
            }
            else ev |= ResultWriter.Store(ot, dst, h, l, 0);
        }
        return ev;
    }
}
