using System.Runtime.CompilerServices;
using NormManaged.Engine;
using NormManaged.Kernels;

namespace NormManaged;

/// <summary>Vector norms over any set of axes of a strided array: the engine behind
/// <c>normnative_vector_norm</c> and <see cref="Norms"/>.</summary>
public static unsafe class VectorNorms
{
    /// <summary>Computes the vector norm of order <paramref name="ord"/> over the axes set in
    /// <paramref name="reduceMask"/> (bit i = axis i; all axes of a 0-d array is mask 0) and writes
    /// one result per kept position into <paramref name="output"/>, whose dtype must be
    /// <see cref="DTypes.ResultType"/> of the input's and whose shape is the input's with the
    /// reduced axes removed or kept as 1.</summary>
    /// <returns>Floating-point events for numpy-compatible warnings.</returns>
    /// <exception cref="NormException">Any invalid argument; nothing has been written then.</exception>
    public static FpEvents Compute(in NdView x, ulong reduceMask, Ord ord, in NdView output)
    {
        x.Validate("x", out long xlo, out long xhi);
        output.Validate("out", out long olo, out long ohi);
        if (x.Rank < 64 && (reduceMask >> x.Rank) != 0)
            throw new NormException(NormError.BadAxis, $"axes: an axis is out of bounds for array of dimension {x.Rank}");
        if (ord.Kind != OrdKind.P)
            throw new NormException(NormError.BadOrd, $"ord: {(ord.Kind == OrdKind.Frobenius ? "'fro'" : "'nuc'")} is not a vector norm order");
        // Small-call fast paths: every axis reduced into one output, the elements one evenly spaced run (a 1-D vector,
        // or a contiguous C- or F-order array), checked once.
        if (x.DType == DType.Float64 && output.DType == DType.Float64 && (ord.P == 2 || ord.P == 1)
            && WholeRun(x, reduceMask, output, 8, out long n, out long stride))
        {
            // one block, 2-norm or 1-norm: the driver's kernels and single-block partial, so the same bits
            if (n > 0 && n <= DoubleBlocks.BlockElements)
            {
                OutputLayout.CheckNoAlias(x, xlo, xhi, output, olo, ohi);
                return SmallFloat64(x.Data, n, stride, ord.P, output.Data);
            }
            // a few contiguous blocks (2-norm): the driver would run them on this thread as one chunk, block by block,
            // after building a plan (GC allocations; 4097 elements cost ~0.8 µs more than 4096 that way)
            if (ord.P == 2 && (stride == 8 || stride == -8) && n < BlockDriver.VectorSplitElements)
            {
                OutputLayout.CheckNoAlias(x, xlo, xhi, output, olo, ohi);
                return Float64Blocks((double*)(stride < 0 ? x.Data + (n - 1) * stride : x.Data), (int)n, output.Data);
            }
        }
        // float32 / complex64 → float32 2-norm of one contiguous run: the fast sum whose result is stored only when it
        // is provably the correctly rounded one (so the bits of every other path); else the general path below, which
        // then does not try it again (a NaN, ∞ or a result near a midpoint would have cost a second pass).
        bool floatFastTried = false;
        if (x.DType is DType.Float32 or DType.Complex64 && output.DType == DType.Float32 && ord.P == 2)
        {
            long item = x.DType == DType.Float32 ? 4 : 8;
            if (WholeRun(x, reduceMask, output, item, out long m, out long step) && m > 0 && Math.Abs(step) == item)
            {
                OutputLayout.CheckNoAlias(x, xlo, xhi, output, olo, ohi);
                float* first = (float*)(step < 0 ? x.Data + (m - 1) * step : x.Data);
                if (FloatFastPath.TryRun(first, item == 4 ? m : 2 * m, output.Data, Parallelism.MaxThreads))
                    return FpEvents.None;
                floatFastTried = true;
            }
        }
        long[] outStrides = OutputLayout.KeptStrides(x, reduceMask, output);
        OutputLayout.CheckNoAlias(x, xlo, xhi, output, olo, ohi);
        var plan = ReductionPlan.Create(x.Shape, x.Strides, reduceMask, outStrides);
        double p = ord.P;
        // the float32 / complex64 2-norm of a whole view that is not one contiguous run (x[::2], a column of a matrix,
        // x[::2, :], a slice of a matrix; x[:, ::2] of a matrix is one strided run once its axes merge): the same
        // proven fast sum, the elements read in place
        if (!floatFastTried && p == 2 && x.DType is DType.Float32 or DType.Complex64 && output.DType == DType.Float32
            && plan.OuterCount == 1 && plan.InnerShape.Length is 1 or 2 && plan.InnerCount > 0)
        {
            bool complex = x.DType == DType.Complex64;
            byte* first = x.Data + plan.InnerBaseOffset;
            long n0 = plan.InnerShape[0], s0 = plan.InnerStrides[0];
            bool done = plan.InnerShape.Length == 2
                ? FloatFastPath.TryRunRows(first, n0, s0, plan.InnerShape[1], plan.InnerStrides[1], complex, output.Data, Parallelism.MaxThreads)
                : s0 == (complex ? 8 : 4) ? FloatFastPath.TryRun((float*)first, complex ? 2 * n0 : n0, output.Data, Parallelism.MaxThreads)
                : FloatFastPath.TryRunStrided(first, n0, s0, complex, output.Data, Parallelism.MaxThreads);
            if (done) return FpEvents.None;
            floatFastTried = true;
        }
        if (double.IsNegativeInfinity(p) && plan.InnerCount == 0 && plan.OuterCount > 0)
            throw new NormException(NormError.EmptyReduction, "zero-size array to reduction operation minimum which has no identity");
        return Dispatch(plan, x.Data, x.DType, output.Data, output.DType, p, floatFastTried);
    }

    /// <summary>The kernel chain over a built plan: every output of <paramref name="plan"/> from <paramref name="xd"/>
    /// into <paramref name="od"/>. Also entered by <see cref="ColumnBands"/> with the plan of one compacted band.
    /// <paramref name="floatFastTried"/>: the float32 / complex64 2-norm's proven fast sum already declined this
    /// reduction (it is not tried again).</summary>
    internal static FpEvents Dispatch(ReductionPlan plan, byte* xd, DType t, byte* od, DType ot, double p, bool floatFastTried)
    {
        bool extended = t is DType.LongDouble or DType.CLongDouble;
        bool realDouble = !extended && !DTypes.IsComplex(t);
        // The fast kernels, as one choice (see Choose), so that a plan with several kept axes can first ask whether
        // the kernels take one slab of it: Slabs then runs the slab's kernel once per slab.
        var fast = Choose(plan, t, ot, p);
        if (plan.OuterShape.Length >= 2 && Slabs.TryRun(plan, fast, xd, t, od, ot, p, out var slabEvents))
            return slabEvents;
        // int32 ord 0 / ±∞ over columns of 128 rows or more, strided or not: eight lines side by side (before CountRows /
        // IntRows, which take each line alone, every element from another cache line: (600, 800) columns 100–300 →
        // 36–67 µs; shorter columns keep their paths, see NarrowLines.MinIntGrouped)
        if (fast is FastKernel.IntRows or FastKernel.CountRows && t == DType.Int32 && NarrowLines.Grouped(plan, t, p))
            return NarrowLines.Run(plan, xd, t, p, od);
        // columns of strided views: bands compacted, then this chain over each (integer columns: before IntRows,
        // which takes any layout line by line)
        if (fast is FastKernel.None or FastKernel.IntRows && ColumnBands.TryRun(plan, xd, t, od, ot, p, floatFastTried, out var bandEvents))
            return bandEvents;
        // N-D views no slab kernel takes: blocks of lines copied into a matrix, then this chain over each
        if (fast is FastKernel.None or FastKernel.IntRows && Repack.TryRun(plan, xd, t, od, ot, p, floatFastTried, out var packEvents))
            return packEvents;
        if (fast != FastKernel.None)
            return Run(fast, plan, xd, t, od, ot, p);
        if (NarrowLines.Applies(plan, t, ot, p)) // many float32/complex64 lines of 65 … 16383: each line's 1-D fast path
            return NarrowLines.Run(plan, xd, t, p, od);
        if (FloatPowFast.Applies(plan, t, ot, p) && FloatPowFast.TryRun(plan, xd, od, p))
            return FpEvents.None; // provably the correctly rounded float, i.e. the bits of the exact paths below
        if (Complex64Fast.Applies(plan, t, ot, p) && Complex64Fast.TryRun(plan, xd, od, p))
            return FpEvents.None; // the same argument for complex64 vectors
        if (FloatSquares.Applies(plan, t, p))
            return FloatSquares.Run(plan, xd, t, od, ot, floatFastTried);
        if (p == 2.0 && IntSquaresOp.Handles(t)) // exact sums: the narrow op's bits, fewer operations
            return BlockDriver.Run<IntSquaresOp, ScaledSum>(plan, xd, t, od, ot, new IntSquaresOp(t));
        if (p == 2.0 && t is not (DType.Float64 or DType.Complex128 or DType.LongDouble or DType.CLongDouble))
            return BlockDriver.Run<NarrowSquaresOp, ScaledSum>(plan, xd, t, od, ot, default);
        if (p == 2.0 && !extended)
            return BlockDriver.Run<SumSquaresOp, ScaledSum>(plan, xd, t, od, ot, default);
        if (realDouble && double.IsPositiveInfinity(p))
            return BlockDriver.Run<MaxAbsOp, MaxAbsAcc>(plan, xd, t, od, ot, default);
        if (realDouble && (double.IsInfinity(p) || p == 0))
            return BlockDriver.Run<StatsOp, RealKernels.Stats>(plan, xd, t, od, ot, new StatsOp(p));
        if (t == DType.Float32 && NarrowPowFast.TakesExactOrder(p) && NarrowPowFast.Applies(plan, t, ot) && NarrowPowFast.TryRun(plan, xd, t, p, od))
            return FpEvents.None; // float32 orders 5…64, −3…, half-integers: correctly rounded, hence the bits of the paths below (complex64 measured no gain)
        if (LanePow.AppliesInt(plan, t, ot, p)) // whole orders over many short float64 lines: roots in lanes
            return LanePow.RunInt(plan, xd, p, od);
        if (LanePow.AppliesHalf(plan, t, ot, p)) // real half-integer orders over many short float64 lines: the same
            return LanePow.RunHalf(plan, xd, p, od);
        if (Float64NegCols.Applies(plan, t, ot, p)) // float64 −2 columns: a lane per output, proven roundings, else alone
            return Float64NegCols.Run(plan, xd, od);
        if (LanePow.AppliesNegWhole(plan, t, ot, p)) // float64 orders −2 … −64 over many short lines: the 1-D sums, lane roots
            return LanePow.RunNegWhole(plan, xd, p, od);
        if (ComplexLaneSums.Applies(plan, t, p)) // complex whole orders 3…64, lines of ≤ 64 (3, 4: 32; complex128 from 5: 128), complex128 general p ≤ 128 (2.5: 24): one body, a lane per line
            return ComplexLaneSums.Run(plan, xd, t, p, od, ot);
        if (LanePow.AppliesComplex(plan, t, p)) // complex 3, 4, 2.5 over many short lines: ComplexPowNorm's sums, lane roots
            return LanePow.RunComplex(plan, xd, t, p, od, ot);
        if (ComplexNegLanes.Applies(plan, t, ot, p)) // complex128 −2 over many lines ≤ 128: sums and roots a lane per line
            return ComplexNegLanes.Run(plan, xd, od);
        if (LanePow.AppliesComplexNeg(plan, t, p)) // complex −2 over many short lines: ComplexNegative's sums, lane roots
            return LanePow.RunComplexNeg(plan, xd, t, p, od, ot);
        if (realDouble && (p == 1 || (p >= 3 && p <= 64 && p == Math.Floor(p))))
            return BlockDriver.Run<IntPowOp, ScaledSum>(plan, xd, t, od, ot, new IntPowOp((int)p));
        if (ComplexRows.Applies(plan, t, p)) // complex128 ord 1 / ∞ of short contiguous rows: each row's 1-D computation
            return ComplexRows.Run(plan, xd, od, ot, p);
        if (Complex128Max.Applies(plan, t, p) && Complex128Max.TryRun(plan, xd, od, ot, p))
            return FpEvents.None; // the exact maximum (minimum for −∞), rounded once
        if (!extended && DTypes.IsComplex(t) && (p == 1 || double.IsPositiveInfinity(p)))
            return BlockDriver.Run<ComplexAbsOp, ComplexAcc>(plan, xd, t, od, ot, new ComplexAbsOp(p == 1));
        if (ComplexNegative.Applies(t, p))
            return ComplexNegative.Run(plan, xd, t, p, od, ot);
        if (ComplexPowNorm.Applies(t, p))
            return ComplexPowNorm.Run(plan, xd, t, p, od, ot);
        if (LaneSums.Applies(plan, t, ot, p)) // many short float64/float32 lines: sums and roots a lane per line
            return LaneSums.Run(plan, xd, t, p, od, ot);
        if (GeneralPowFast.Applies(t, p) && LanePow.Applies(plan)) // many short lines: the block driver's sums, roots 8 at a time
            return LanePow.Run(plan, xd, t, p, od, ot);
        if (GeneralPowFast.Applies(t, p))
            return GeneralPowFast.Run(plan, xd, t, p, od, ot);
        if (realDouble && RealKernels.HandlesRealP(p))
            return BlockDriver.Run<RealPowOp, RealKernels.PowAcc>(plan, xd, t, od, ot, new RealPowOp(p));
        return General(plan, xd, t, p, od, ot);
    }

    /// <summary>The kernels at the head of the dispatch chain, in chain order. To add one: a line in
    /// <see cref="Choose"/> at its place in the order and a case in <see cref="Run"/>.</summary>
    internal enum FastKernel : byte
    {
        None, CountRows, ComplexExtremaRows, IntRows, IntColumns, AcrossOutputsWide, AcrossOutputs, NarrowNegCols, DDColumns, Complex128Columns,
        LaneAcross, Complex64Columns, ComplexShortRows, HalfRows, NarrowLaneSums, RunsAcross, SmallRows, SmallRowsAbs, RowsWide, FloatMinMax,
    }

    /// <summary>The first kernel at the head of the chain that takes <paramref name="plan"/>, or None (the rest of
    /// <see cref="Compute"/> decides). Depends on the plan's shape and strides only, never on addresses, so one
    /// answer holds for every slab of an N-D plan (<see cref="Slabs"/>).</summary>
    internal static FastKernel Choose(ReductionPlan plan, DType t, DType ot, double p)
    {
        if (CountRows.Applies(plan, t, p)) return FastKernel.CountRows; // ord 0 of many lines, any dtype: exact counts in the element's own width
        if (ComplexExtremaRows.Applies(plan, t, p)) return FastKernel.ComplexExtremaRows; // complex ±∞ of many lines: extreme re²+im², Ext.Hypot for candidates only
        if (IntRows.Applies(plan, t, p)) return FastKernel.IntRows; // short integer rows: widened by bands, float64 row kernels
        if (IntColumns.Applies(plan, t, p)) return FastKernel.IntColumns; // integer columns: widened by bands, float64 across-outputs kernel
        if (AcrossOutputsWide.Applies(plan, t, ot, p)) return FastKernel.AcrossOutputsWide;
        if (AcrossOutputs.Applies(plan, t, p)) return FastKernel.AcrossOutputs;
        if (NarrowNegCols.Applies(plan, t, ot, p)) return FastKernel.NarrowNegCols; // float32 −2/−3, complex64 −2 columns: a lane per output, proven float32 roundings
        if (DDColumns.Applies(plan, t, ot, p)) return FastKernel.DDColumns; // float64 ord 8 … 3, ±2.5, 1.5, −1, 0.5 of adjacent outputs: double-double lanes, proven roots
        if (Complex128Columns.Applies(plan, t, ot, p)) return FastKernel.Complex128Columns; // complex128 2-norm columns: AcrossOutputs' lanes on the float64 parts
        if (LaneAcross.Applies(plan, t, p)) return FastKernel.LaneAcross; // complex128 ord 1 / ±∞ / 0.5, float64 0.5 / −1, float32 −1: a lane per output
        if (Complex64Columns.Applies(plan, t, ot, p)) return FastKernel.Complex64Columns; // the same lanes for adjacent complex64 columns, rows loaded whole
        if (ComplexShortRows.Applies(plan, t, ot, p)) return FastKernel.ComplexShortRows; // many short complex64 (and complex128 ord 1) lines: lanes, proven results or the line alone
        if (HalfRows.Applies(plan, t, ot, p)) return FastKernel.HalfRows; // float16 ord 1 lines: exact double sums, one rounding
        if (NarrowLaneSums.Applies(plan, t, ot, p)) return FastKernel.NarrowLaneSums; // many short float32/float16 lines, general p: plain-double lanes, proven roots
        if (RunsAcross.Applies(plan, t, p)) return FastKernel.RunsAcross;
        if (SmallRows.Applies(plan, t, ot, p)) return FastKernel.SmallRows;
        if (SmallRows.AppliesAbs(plan, t, ot, p)) return FastKernel.SmallRowsAbs;
        if (RowsWide.Applies(plan, t, ot, p)) return FastKernel.RowsWide;
        if (FloatMinMax.Applies(plan, t, p)) return FastKernel.FloatMinMax;
        return FastKernel.None;
    }

    /// <summary>Runs kernel <paramref name="k"/> (from <see cref="Choose"/> for this plan's shape) over every output.</summary>
    internal static FpEvents Run(FastKernel k, ReductionPlan plan, byte* xd, DType t, byte* od, DType ot, double p)
        => k switch
        {
            FastKernel.CountRows => CountRows.Run(plan, xd, t, od, ot),
            FastKernel.ComplexExtremaRows => ComplexExtremaRows.Run(plan, xd, t, od, ot, p),
            FastKernel.IntRows => IntRows.Run(plan, xd, t, od, p),
            FastKernel.IntColumns => IntColumns.Run(plan, xd, t, od, p),
            FastKernel.AcrossOutputsWide => AcrossOutputsWide.Run(plan, xd, t, od, ot, p),
            FastKernel.AcrossOutputs => AcrossOutputs.Run(plan, xd, ot, od, p),
            FastKernel.NarrowNegCols => NarrowNegCols.Run(plan, xd, t, od, p),
            FastKernel.DDColumns => DDColumns.Run(plan, xd, od, p),
            FastKernel.Complex128Columns => Complex128Columns.Run(plan, xd, od),
            FastKernel.LaneAcross => LaneAcross.Run(plan, xd, t, od, ot, p),
            FastKernel.Complex64Columns => Complex64Columns.Run(plan, xd, p, od),
            FastKernel.ComplexShortRows => ComplexShortRows.Run(plan, xd, t, p, od),
            FastKernel.HalfRows => HalfRows.Run(plan, xd, od),
            FastKernel.NarrowLaneSums => NarrowLaneSums.Run(plan, xd, t, p, od),
            FastKernel.RunsAcross => RunsAcross.Run(plan, xd, ot, od, p),
            FastKernel.SmallRows => SmallRows.Run(plan, xd, od),
            FastKernel.SmallRowsAbs => SmallRows.RunAbs(plan, xd, od, p),
            FastKernel.RowsWide => RowsWide.Run(plan, xd, t, od, ot, p),
            FastKernel.FloatMinMax => FloatMinMax.Run(plan, xd, t, od, ot, p),
            _ => throw new NormException(NormError.InvalidArgument, "internal: no fast kernel chosen"),
        };

    /// <summary>Every axis of <paramref name="x"/> reduced into a one-element <paramref name="output"/> (rank 0 or the
    /// input's), and the elements one evenly spaced run (<see cref="OneRun"/>).</summary>
    private static bool WholeRun(in NdView x, ulong reduceMask, in NdView output, long itemSize, out long n, out long stride)
    {
        n = 0; stride = 0;
        return (x.Rank == 1 ? reduceMask == 1 : x.Rank > 1 && x.Rank < 64 && reduceMask == (1UL << x.Rank) - 1)
               && (output.Rank == 0 || output.Rank == x.Rank) && IsOneElement(output)
               && OneRun(x, out n, out stride, itemSize);
    }

    /// <summary>Whether the elements of <paramref name="x"/> are <paramref name="n"/> values <paramref name="stride"/>
    /// bytes apart from <c>x.Data</c>: a 1-D view (any stride), or a C- or Fortran-contiguous array (axes of length 1
    /// ignored). Anything else, or more than 2³¹ elements, gives false.</summary>
    private static bool OneRun(in NdView x, out long n, out long stride, long itemSize)
    {
        if (x.Rank == 1)
        {
            n = x.Shape[0]; stride = x.Strides[0];
            return true;
        }
        n = 1; stride = itemSize;
        bool c = true, f = true;
        long cs = itemSize, fs = itemSize;
        for (int i = 0; i < x.Rank; i++)
        {
            long len = x.Shape[i];
            if (len > int.MaxValue) return false;
            n *= len;
            if (n > int.MaxValue) return false;
            int j = x.Rank - 1 - i; // C order: the last axis is innermost
            if (x.Shape[j] != 1) { c &= x.Strides[j] == cs; cs *= x.Shape[j]; }
            if (len != 1) { f &= x.Strides[i] == fs; fs *= len; }
        }
        return c || f || n == 0;
    }

    private static bool IsOneElement(in NdView v)
    {
        foreach (long len in v.Shape)
            if (len != 1) return false;
        return true;
    }

    private static FpEvents SmallFloat64(byte* data, long count, long stride, double p, byte* dst)
    {
        int n = (int)count;
        byte* start = stride < 0 ? data + (n - 1) * stride : data;
        if (stride < 0) stride = -stride;
        double* v = (double*)start;
        if (stride != 8 && n > 1)
        {
            double* buf = stackalloc double[n];
            Gather.Run(DType.Float64, start, stride, n, buf);
            v = buf;
        }
        var span = new ReadOnlySpan<double>(v, n);
        var acc = new ScaledSum();
        if (p == 2)
        {
            // the arithmetic rows of this length take (SmallRows), so a vector and the same row agree
            if (n < SmallRows.ShortMax && SmallRows.TryShort(v, n, out double r))
            {
                Unsafe.WriteUnaligned(dst, r);
                return FpEvents.None;
            }
            SumSquares.AddBlock(span, ref acc);
            return default(SumSquaresOp).Finish(acc, DType.Float64, dst);
        }
        RealKernels.AddAbsSum(span, ref acc);
        return new IntPowOp(1).Finish(acc, DType.Float64, dst);
    }

    /// <summary>The 2-norm of n contiguous doubles (fewer than <see cref="BlockDriver.VectorSplitElements"/>, so one
    /// chunk on the calling thread): <see cref="BlockDriver"/>'s blocks, merge and finish, so its bits.</summary>
    private static FpEvents Float64Blocks(double* v, int n, byte* dst)
    {
        ScaledSum part = default, total = default;
        for (int s = 0; s < n; s += DoubleBlocks.BlockElements)
            SumSquares.AddBlock(new ReadOnlySpan<double>(v + s, Math.Min(DoubleBlocks.BlockElements, n - s)), ref part);
        total.Add(part);
        return default(SumSquaresOp).Finish(total, DType.Float64, dst);
    }

    private static FpEvents General(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot)
    {
        var ev = FpEvents.None;
        var it = new OuterIterator(plan, x, o);
        while (it.Next(out byte* xp, out byte* op))
            ev |= GeneralNorm.Reduce(plan, xp, t, p, ot, op);
        return ev;
    }

    /// <summary>Σ|x|² (complex: re² + im²) over the reduced axes at one kept position, as an exact-exponent
    /// double-double, computed exactly as the 2-norm computes it (same block grid and chunk merging), so a
    /// caller that takes its square root gets the 2-norm's bits. For reuse by other kernels (e.g. Frobenius).</summary>
    internal static ScaledSum SumOfSquares(ReductionPlan plan, byte* outerPtr, DType t)
    {
        if (t is DType.LongDouble or DType.CLongDouble)
            throw new NormException(NormError.BadDType, "SumOfSquares: extended dtypes are not supported by this helper");
        double* buf = stackalloc double[(int)Math.Min(plan.InnerCount, DoubleBlocks.BlockElements) * 2 + 8];
        var blocks = new DoubleBlocks(plan, outerPtr, t, buf);
        ScaledSum total = default, part = default;
        int nb = 0;
        bool narrow = t is not (DType.Float64 or DType.Complex128);
        ReadOnlySpan<double> b;
        while (!(b = blocks.Next()).IsEmpty)
        {
            if (narrow) RealKernels.AddNarrowSquares(b, ref part);
            else SumSquares.AddBlock(b, ref part);
            if (++nb == BlockDriver.BlocksPerChunk) { total.Add(part); part = default; nb = 0; }
        }
        if (nb > 0) total.Add(part);
        return total;
    }
}
