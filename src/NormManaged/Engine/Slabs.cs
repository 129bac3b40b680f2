namespace NormManaged.Engine;

/// <summary>N-D reductions whose last kept axis, taken alone, suits a kernel that vectorises across one run of
/// outputs (<see cref="AcrossOutputs"/>, <see cref="RunsAcross"/>) — e.g. axis 1 of a C-order (50, 60, 70) array:
/// 50 slabs of 70 contiguous outputs, each reducing 60 rows. The kernel runs once per slab (its origin from the leading
/// kept axes); slabs too small to thread on their own are spread over the workers instead. Each output's arithmetic is
/// the kernel's for that output, which depends only on the slab's shape, so results do not depend on the split.</summary>
internal static unsafe class Slabs
{
    private enum Kernel { None, Across, Runs }

    private static Kernel Choose(ReductionPlan slab, DType t, double p)
        => AcrossOutputs.Applies(slab, t, p) ? Kernel.Across : RunsAcross.Applies(slab, t, p) ? Kernel.Runs : Kernel.None;

    /// <summary>Runs the reduction slab by slab when its plan has several kept axes and the last one suits a
    /// run kernel; returns false (nothing written) otherwise.</summary>
    public static bool TryRun(ReductionPlan plan, byte* x, DType t, DType ot, byte* o, double p, out FpEvents ev)
    {
        ev = FpEvents.None;
        if (plan.OuterShape.Length < 2 || plan.OuterCount == 0) return false;
        plan.SplitLastOuter(out var lead, out var slab);
        var k = Choose(slab, t, p);
        if (k == Kernel.None) return false;
        long slabs = lead.OuterCount;
        int threads = Parallelism.MaxThreads;
        bool spread = threads > 1 && slabs > 1
                      && slab.OuterCount * slab.InnerCount < BlockDriver.ParallelThreshold
                      && plan.OuterCount * plan.InnerCount >= BlockDriver.ParallelThreshold;
        if (spread)
        {
            nint xb = (nint)x, ob = (nint)o;
            ev = Parallelism.ForOutputRanges(slabs, threads, (lo, n) => Range(lead, slab, k, (byte*)xb, ot, (byte*)ob, p, lo, n));
        }
        else ev = Range(lead, slab, k, x, ot, o, p, 0, slabs);
        return true;
    }

    private static FpEvents Range(ReductionPlan lead, ReductionPlan slab, Kernel k, byte* x, DType ot, byte* o, double p, long start, long count)
    {
        var ev = FpEvents.None;
        var it = new OuterIterator(lead, x, o, start, count);
        while (it.Next(out byte* xs, out byte* os))
            ev |= k == Kernel.Across ? AcrossOutputs.Run(slab, xs, ot, os, p) : RunsAcross.Run(slab, xs, ot, os, p);
        return ev;
    }
}
