using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>float64 2-norm (or 1-norm) over two reduced axes whose inner one is contiguous while the kept axis lies
/// between them in memory, e.g. <c>axis=(0, 2)</c> of a C-order 3-D array: each output gathers many contiguous
/// runs far apart. The general driver copies every run into a block buffer output by output (a page jump per
/// run). Here the outputs of a band are advanced together, run index outermost, so memory is read in address
/// order, and each output keeps 16 double-double lanes (lane = position in the run mod 16; TwoProd/TwoSum
/// per element, as <see cref="AcrossOutputs"/>), accurate to ~n·2⁻¹⁰⁶.
///
/// Bits: the lanes are folded into a double-double and rounded once (√ by <see cref="SumSquares.Sqrt"/>), which
/// gives the correctly rounded norm, and the general path's result is correctly rounded too, so both are the
/// same double: this kernel relies on that uniqueness (tested against exact references and against each
/// output reduced alone). Outputs whose sum is not safely in range (NaN/∞, overflow, tiny sums whose squares
/// may have underflowed) are recomputed by the general driver itself.</summary>
internal static unsafe class RunsAcross
{
    private const int Lanes = 16;
    private static readonly double s_tiny = Math.ScaleB(1.0, -900);

    public static bool Applies(ReductionPlan plan, DType t, double p)
        => t == DType.Float64 && (p == 2 || p == 1) && plan.InnerShape.Length == 2 && plan.OuterShape.Length == 1
           && plan.InnerStrides[0] == 8 && plan.InnerShape[0] >= Lanes && plan.OuterCount >= 2
           && plan.InnerStrides[1] > Math.Abs(plan.OuterInStrides[0]);

    public static FpEvents Run(ReductionPlan plan, byte* x, DType ot, byte* o, double p)
    {
        long outs = plan.OuterCount;
        int threads = Parallelism.MaxThreads;
        // accumulators: 2·16 doubles per output; bands of at most 128 outputs keep them within 32 KB
        const int MaxBand = 128;
        long band = MaxBand;
        if (threads > 1 && outs * plan.InnerCount >= BlockDriver.ParallelThreshold)
            band = Math.Clamp((outs + threads - 1) / threads, 1, MaxBand);
        int bands = (int)((outs + band - 1) / band);
        if (bands > 1 && threads > 1 && outs * plan.InnerCount >= BlockDriver.ParallelThreshold)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForParts(bands, threads, b =>
            {
                long j0 = b * band;
                return Band(plan, (byte*)xb, (byte*)ob, ot, j0, (int)Math.Min(band, outs - j0), p);
            });
        }
        var ev = FpEvents.None;
        for (long j0 = 0; j0 < outs; j0 += band) ev |= Band(plan, x, o, ot, j0, (int)Math.Min(band, outs - j0), p);
        return ev;
    }

    private static FpEvents Band(ReductionPlan plan, byte* x, byte* o, DType ot, long j0, int w, double p)
    {
        int len = (int)plan.InnerShape[0];
        long runs = plan.InnerShape[1], rs = plan.InnerStrides[1], os = plan.OuterInStrides[0];
        double* acc = stackalloc double[w * 2 * Lanes]; // per output: 16 hi, then 16 lo
        new Span<double>(acc, w * 2 * Lanes).Clear();
        bool sq = p == 2, wide = RealKernels.Wide;
        byte* b0 = x + plan.InnerBaseOffset + j0 * os;
        for (long r = 0; r < runs; r++)
        {
            byte* rb = b0 + r * rs;
            for (int j = 0; j < w; j++)
            {
                double* v = (double*)(rb + j * os);
                double* hs = acc + j * 2 * Lanes, ls = hs + Lanes;
                int k = 0;
                if (wide)
                {
                    var h0 = Vector512.Load(hs); var h1 = Vector512.Load(hs + 8);
                    var l0 = Vector512.Load(ls); var l1 = Vector512.Load(ls + 8);
                    for (; k <= len - Lanes; k += Lanes)
                    {
                        LaneStep.Add(ref h0, ref l0, Vector512.Load(v + k), sq);
                        LaneStep.Add(ref h1, ref l1, Vector512.Load(v + k + 8), sq);
                    }
                    h0.Store(hs); h1.Store(hs + 8); l0.Store(ls); l1.Store(ls + 8);
                }
                else
                {
                    var h0 = Vector256.Load(hs); var h1 = Vector256.Load(hs + 4); var h2 = Vector256.Load(hs + 8); var h3 = Vector256.Load(hs + 12);
                    var l0 = Vector256.Load(ls); var l1 = Vector256.Load(ls + 4); var l2 = Vector256.Load(ls + 8); var l3 = Vector256.Load(ls + 12);
                    for (; k <= len - Lanes; k += Lanes)
                    {
                        LaneStep.Add(ref h0, ref l0, Vector256.Load(v + k), sq);
                        LaneStep.Add(ref h1, ref l1, Vector256.Load(v + k + 4), sq);
                        LaneStep.Add(ref h2, ref l2, Vector256.Load(v + k + 8), sq);
                        LaneStep.Add(ref h3, ref l3, Vector256.Load(v + k + 12), sq);
                    }
                    h0.Store(hs); h1.Store(hs + 4); h2.Store(hs + 8); h3.Store(hs + 12);
                    l0.Store(ls); l1.Store(ls + 4); l2.Store(ls + 8); l3.Store(ls + 12);
                }
                for (int q = 0; k < len; k++, q++) LaneStep.Add(ref hs[q], ref ls[q], v[k], sq);
            }
        }
        var ev = FpEvents.None;
        for (int j = 0; j < w; j++)
        {
            double* hs = acc + j * 2 * Lanes, ls = hs + Lanes;
            double h = 0, l = 0;
            bool finite = true;
            for (int q = 0; q < Lanes; q++)
            {
                finite &= double.IsFinite(hs[q]) && double.IsFinite(ls[q]);
                DD.Add(ref h, ref l, hs[q], ls[q]);
            }
            byte* dst = o + (j0 + j) * plan.OuterOutStrides[0];
            bool safe = finite && double.IsFinite(h) && double.IsFinite(l) && (sq ? h >= s_tiny : h > 0 || h == 0 && l == 0);
            if (!safe) { ev |= Alone(plan, x, o, ot, j0 + j, p); continue; }
            if (ot == DType.Float64 && (sq ? FastFinish.TrySqrt(h, l, out double v) : FastFinish.TrySum(h, l, out v)))
            {
                Unsafe.WriteUnaligned(dst, v);
                continue;
            }
            if (sq)
            {
                var s = new ScaledSum { Hi = h, Lo = l };
                SumSquares.Sqrt(s, out double rr, out double c, out int e);
                ev |= ResultWriter.Store(ot, dst, rr, c, e);
            }
            else ev |= ResultWriter.Store(ot, dst, h, l, 0);
        }
        return ev;
    }

    /// <summary>Output <paramref name="j"/> through the general block driver (its exact code path).</summary>
    private static FpEvents Alone(ReductionPlan plan, byte* x, byte* o, DType ot, long j, double p)
    {
        var sub = ReductionPlan.Create(plan.InnerShape, plan.InnerStrides, 0b11, ReadOnlySpan<long>.Empty);
        byte* xp = x + plan.InnerBaseOffset + j * plan.OuterInStrides[0];
        byte* dst = o + j * plan.OuterOutStrides[0];
        return p == 2 ? BlockDriver.Run<SumSquaresOp, ScaledSum>(sub, xp, DType.Float64, dst, ot, default)
                      : BlockDriver.Run<IntPowOp, ScaledSum>(sub, xp, DType.Float64, dst, ot, new IntPowOp(1));
    }
}
