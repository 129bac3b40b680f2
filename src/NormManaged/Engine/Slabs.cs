using K = NormManaged.VectorNorms.FastKernel;

namespace NormManaged.Engine;

/// <summary>N-D reductions with several kept axes that do not coalesce — e.g. axis 1 of a C-order (40, 50, 60) array:
/// 40 slabs of 60 adjacent outputs, each reducing 50 rows — run slab by slab with the kernel that takes one slab.
/// Most fast kernels take a plan with one kept axis only (the columns kernels <see cref="AcrossOutputsWide"/>,
/// <see cref="AcrossOutputs"/>, <see cref="IntColumns"/>, <see cref="LaneAcross"/>, <see cref="RunsAcross"/>), so
/// without this such a reduction falls to the per-line paths (float32 2-norm of the example: 0.08× NumPy).
///
/// The slab axis is the kept axis with the smallest |input stride| (the run of outputs the columns kernels vectorise
/// across; a backwards axis is walked forwards, see <see cref="ReductionPlan.SplitOuter"/>); the other kept axes give
/// the slab origins. <see cref="VectorNorms.Choose"/> picks the slab's kernel once (it depends on the slab's shape
/// and strides only, which all slabs share); it then runs once per slab. Slabs too small to be threaded by their
/// kernel are spread over the workers instead. Each output's arithmetic is the kernel's for that output of a slab,
/// which depends only on the slab's shape, so results do not depend on the split or the thread count: every output
/// has the bits the kernel gives the same slab as a 2-D view.</summary>
internal static unsafe class Slabs
{
    /// <summary>Kernels that take one kept axis only: when one of them takes the slab it is preferred to any kernel
    /// that takes the whole N-D plan (those walk each line alone, e.g. <see cref="CountRows"/> on Fortran-order
    /// columns or <see cref="IntRows"/> on strided columns).</summary>
    private static bool SingleAxis(K k) => k is K.AcrossOutputsWide or K.AcrossOutputs or K.IntColumns or K.LaneAcross or K.RunsAcross
                                              or K.Complex128Columns or K.Complex64Columns or K.DDColumns or K.NarrowNegCols;

    /// <summary>Whether slab kernel <paramref name="k"/> is taken over kernel <paramref name="whole"/>, which takes the
    /// whole plan: the single-axis kernels, except integer columns of the costly orders, where <see cref="IntRows"/>
    /// over the whole plan measured faster ((40, 50, 60) int32 axis 1, A/B: ord −3 557 → 1000 µs, −1 68 → 113 µs
    /// by slabs; ord 2 / 1 / 0 / ∞ gain: int16 2 297 → 125 µs, bool 1 168 → 52 µs).</summary>
    private static bool Preempts(K k, K whole, double p)
        => SingleAxis(k) && !(k == K.IntColumns && whole == K.IntRows && !IntRows.CheapOrder(p));

    /// <summary>Shortest slab run by a kernel that also takes the whole plan. That kernel is run per slab only when the
    /// slab axis is not the last kept axis, i.e. when the whole plan's walk would step along a larger stride innermost:
    /// e.g. a Fortran-order (40, 50, 60) float64 array over axis 0 (rows of 40 whose kept axes' strides are 320 and
    /// 16000 bytes) walked by <see cref="SmallRows"/> measured 335 µs over the whole plan, 62–75 µs slab by slab
    /// (0.3× → 1.3× NumPy; float32 ord −1 by <see cref="RowsWide"/> 93–128 → 42 µs). When the slab axis is the last
    /// one the walks visit the lines in the same order and slabs only add calls (float32 ord 0.5 rows of a
    /// [:, ::2, :] view: 64 → 82 µs).</summary>
    private const long SameKernelSlab = 16;

    /// <summary>Runs the reduction slab by slab when its plan (≥ 2 kept axes) has a slab that a fast kernel takes and
    /// either no fast kernel takes the whole plan (<paramref name="whole"/>, <see cref="VectorNorms.Choose"/> of it), or
    /// the slab's kernel <see cref="Preempts"/> it, or it is the same kernel and walking slab by slab puts the smallest
    /// stride innermost (<see cref="SameKernelSlab"/>); returns false (nothing written) otherwise.</summary>
    public static bool TryRun(ReductionPlan plan, K whole, byte* x, DType t, byte* o, DType ot, double p, out FpEvents ev)
    {
        ev = FpEvents.None;
        if (plan.OuterShape.Length < 2 || plan.OuterCount == 0 || plan.InnerCount == 0) return false;
        int axis = SlabAxis(plan);
        plan.SplitOuter(axis, out var lead, out var slab, out long inShift, out long outShift);
        var k = VectorNorms.Choose(slab, t, ot, p);
        if (k == K.None || !(whole == K.None || Preempts(k, whole, p) || (k == whole && axis != plan.OuterShape.Length - 1 && slab.OuterCount >= SameKernelSlab))) return false;
        long slabs = lead.OuterCount;
        int threads = Parallelism.MaxThreads;
        long threshold = ParallelElements(k, t, p);
        bool spread = threads > 1 && slabs > 1
                      && !ThreadsItself(k, slab, t, p, threshold)
                      && plan.OuterCount * plan.InnerCount >= (k == K.AcrossOutputs ? AcrossOutputsSlabs : threshold);
        x += inShift; o += outShift;
        if (spread)
        {
            nint xb = (nint)x, ob = (nint)o;
            ev = Parallelism.ForOutputRanges(slabs, threads, (lo, n) => Range(lead, slab, k, (byte*)xb, t, (byte*)ob, ot, p, lo, n));
        }
        else ev = Range(lead, slab, k, x, t, o, ot, p, 0, slabs);
        return true;
    }

    /// <summary>The kept axis with the smallest |input stride| (the last such): the run the columns kernels
    /// vectorise across, and for rows the axis whose lines lie closest together.</summary>
    private static int SlabAxis(ReductionPlan plan)
    {
        int best = plan.OuterShape.Length - 1;
        long bs = Math.Abs(plan.OuterInStrides[best]);
        for (int i = best - 1; i >= 0; i--)
        {
            long s = Math.Abs(plan.OuterInStrides[i]);
            if (s < bs) { best = i; bs = s; }
        }
        return best;
    }

    /// <summary>Elements from which slabs of <see cref="K.AcrossOutputs"/> are spread over threads: a slab of strided
    /// lines (gathered a value at a time) costs several times a contiguous band's ~0.2 ns a value, so the block
    /// driver's 3·2¹⁵ kept 81 600-value calls on one thread (A/B, session 28, float64 (60, 80, 100)
    /// <c>[::2, :, ::3]</c>: axis 0 ord 1 / 2 46 / 47 → 34 / 29 µs, axes (0, 1) ord 1 68 → 59). A 2-D call keeps its
    /// own threshold (contiguous (300, 300) columns: 15 → 17 µs on two threads), which is also what tells whether a slab
    /// threads itself (<see cref="ParallelElements"/>).</summary>
    private const long AcrossOutputsSlabs = 1L << 15;

    /// <summary>Elements (outputs × reduced length) from which kernel <paramref name="k"/> threads a call itself
    /// (the thresholds in the kernels' Run methods); the same total decides whether slabs are spread, but for
    /// <see cref="K.AcrossOutputs"/> (<see cref="AcrossOutputsSlabs"/>).</summary>
    private static long ParallelElements(K k, DType t, double p) => k switch
    {
        K.LaneAcross => 1L << 14,
        K.ComplexShortRows => 1L << 15,
        K.Complex64Columns => Complex64Columns.ParallelElements,
        K.Complex128Columns => Complex128Columns.ParallelElements,
        K.DDColumns => DDColumns.ParallelElements,
        K.NarrowNegCols => NarrowNegCols.ParallelElements,
        K.NarrowLaneSums => GeneralPowOp.ParallelElements,
        _ => BlockDriver.ParallelThreshold,
    };

    /// <summary>Whether the kernel threads one slab by itself (then slabs run one after the other; spreading them
    /// too would nest the workers).</summary>
    private static bool ThreadsItself(K k, ReductionPlan slab, DType t, double p, long threshold)
        => k == K.IntRows ? IntRows.Parallel(slab.OuterCount, slab.InnerCount, p)
         : k == K.IntColumns ? slab.OuterCount > IntColumns.BandColumns(slab.OuterCount, slab.InnerCount) && IntRows.Parallel(slab.OuterCount, slab.InnerCount, p)
            : slab.OuterCount * slab.InnerCount >= threshold;

    private static FpEvents Range(ReductionPlan lead, ReductionPlan slab, K k, byte* x, DType t, byte* o, DType ot, double p, long start, long count)
    {
        var ev = FpEvents.None;
        var it = new OuterIterator(lead, x, o, start, count);
        if (k == K.AcrossOutputs)
        {
            // one buffer of partial sums for every slab of this range, not one per slab
            long len = AcrossOutputs.ScratchLength(slab);
            double[]? scratch = len > 0 ? Scratch.Rent(len) : null;
            while (it.Next(out byte* xs, out byte* os))
                ev |= AcrossOutputs.Run(slab, xs, ot, os, p, scratch);
            if (scratch is not null) Scratch.Return(scratch);
            return ev;
        }
        while (it.Next(out byte* xs, out byte* os))
            ev |= VectorNorms.Run(k, slab, xs, t, os, ot, p);
        return ev;
    }
}
