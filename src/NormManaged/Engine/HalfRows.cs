using System.Runtime.CompilerServices;

namespace NormManaged.Engine;

/// <summary>float16 ord 1 over many lines of one reduced axis (any stride): each line's double sum of |x|, rounded
/// once to float16. The sum is exact: a float16 magnitude is a multiple of 2⁻²⁴ below 2¹⁶, so any partial sum of at
/// most <see cref="MaxLine"/> = 2¹³ of them is a multiple of 2⁻²⁴ below 2²⁹ — 53 bits, a double — whatever the order.
/// One rounding of the exact sum (<see cref="ResultWriter"/>: ties to even, the overflow event when it exceeds
/// float16) is the correctly rounded norm, the unique value the line reduced alone gives. A line holding NaN or ∞
/// goes alone. Before, such rows went through the block driver one output at a time (~150 ns a row of four).</summary>
internal static unsafe class HalfRows
{
    /// <summary>Longest line taken (the exactness bound above).</summary>
    private const long MaxLine = 1 << 13;

    public static bool Applies(ReductionPlan plan, DType t, DType ot, double p)
        => t == DType.Float16 && ot == DType.Float16 && p == 1 && plan.InnerShape.Length == 1 && plan.OuterCount >= 2
           && plan.InnerCount >= 1 && plan.InnerCount <= MaxLine;

    public static FpEvents Run(ReductionPlan plan, byte* x, byte* o)
    {
        long outer = plan.OuterCount;
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && outer * plan.InnerCount >= BlockDriver.ParallelThreshold)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(outer, threads, (lo, n) => Lines(plan, (byte*)xb, (byte*)ob, lo, n));
        }
        return Lines(plan, x, o, 0, outer);
    }

    private static FpEvents Lines(ReductionPlan plan, byte* x, byte* o, long start, long count)
    {
        long n = plan.InnerCount, stride = plan.InnerStrides[0];
        var ev = FpEvents.None;
        var it = new OuterIterator(plan, x, o, start, count);
        while (it.Next(out byte* xp, out byte* dst))
        {
            byte* v = xp + plan.InnerBaseOffset;
            double s = 0;
            for (long i = 0; i < n; i++)
                s += Math.Abs((double)Unsafe.ReadUnaligned<Half>(v + i * stride)); // exact (see the type's summary)
            Half h = (Half)s; // one rounding, ties to even (ResultWriter's conversion)
            if (Half.IsFinite(h)) Unsafe.WriteUnaligned(dst, h);
            else ev |= double.IsFinite(s) ? ResultWriter.Store(DType.Float16, dst, s, 0, 0) // overflow: ∞ and its event
                : AcrossOutputsWide.Alone(v, DType.Float16, n, stride, dst, DType.Float16, 1);
        }
        return ev;
    }
}
