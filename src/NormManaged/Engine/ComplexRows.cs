using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>complex128 ord 1, 0.5 and ∞ over a contiguous axis of at most one block (C-order axis=1, Fortran-order
/// axis=0; rows of up to <see cref="DoubleBlocks.BlockElements"/> values): each output is its row's 1-D computation —
/// the block driver's single block (<see cref="ComplexAbsOp"/> on the row in place, merged and finished as the driver
/// does), for ord 0.5 <see cref="ComplexPowNorm"/> on the row (which alone splits only a single output over threads),
/// or, for ord ∞ where the 1-D path takes it, <see cref="Complex128Max"/>'s scan (falling back to the block
/// path as the 1-D path does) — without the driver's per-output setup, and with the rows split over threads from a
/// smaller size than the driver's (a complex term costs several times a real one). Rows are independent, so the bits
/// are the 1-D path's whatever the thread count.</summary>
internal static unsafe class ComplexRows
{
    /// <summary>Total elements from which rows are split over threads.</summary>
    private const long ParallelElements = 1L << 14;

    public static bool Applies(ReductionPlan plan, DType t, double p)
        => t == DType.Complex128 && (p is 1 or 0.5 || double.IsPositiveInfinity(p)) && plan.InnerShape.Length == 1
           && plan.InnerStrides[0] == 16 && plan.InnerCount >= 1 && plan.InnerCount <= DoubleBlocks.BlockElements && plan.OuterCount >= 2;

    public static FpEvents Run(ReductionPlan plan, byte* x, byte* o, DType ot, double p)
    {
        bool sum = p != double.PositiveInfinity;
        // the 1-D path's choice for one such row (Complex128Max.Applies with one output)
        bool scan = !sum && RealKernels.Wide && System.Runtime.Intrinsics.X86.Avx512F.IsSupported && plan.InnerCount >= 8;
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && plan.OuterCount * plan.InnerCount >= ParallelElements)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(plan.OuterCount, threads, (lo, n) => Range(plan, (byte*)xb, (byte*)ob, lo, n, ot, p, scan));
        }
        return Range(plan, x, o, 0, plan.OuterCount, ot, p, scan);
    }

    private static FpEvents Range(ReductionPlan plan, byte* x, byte* o, long start, long count, DType ot, double p, bool scan)
    {
        long n = plan.InnerCount;
        var op = new ComplexAbsOp(p == 1);
        var row1 = p == 0.5 ? ReductionPlan.Run(n, 16) : null;
        var ev = FpEvents.None;
        var it = new OuterIterator(plan, x, o, start, count);
        while (it.Next(out byte* xp, out byte* dst))
        {
            double* row = (double*)(xp + plan.InnerBaseOffset);
            if (row1 != null)
            {
                ev |= ComplexPowNorm.Run(row1, (byte*)row, DType.Complex128, p, dst, ot); // the row's own 1-D computation
                continue;
            }
            if (scan && Complex128Max.Scan(row, n, out Ext best))
            {
                ResultWriter.Store(ot, dst, best);
                continue;
            }
            ComplexAcc part = default, total = default;
            op.Block(new ReadOnlySpan<double>(row, (int)(2 * n)), ref part);
            op.Merge(ref total, part);
            ev |= op.Finish(total, ot, dst);
        }
        return ev;
    }
}
