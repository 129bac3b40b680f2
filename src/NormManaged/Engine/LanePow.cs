using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>General-p vector norms (the orders <see cref="GeneralPowFast"/> takes) over one axis of many short lines
/// (at most <see cref="MaxInner"/> elements, so one block each): each line's block is made and summed exactly as the
/// block driver does it for <see cref="GeneralPowOp"/> (the same <see cref="DoubleBlocks"/> block, statistics and
/// <see cref="VecLogExp.PowSum"/>), and the roots 2ᵉᵇ·S^(1/p) of <see cref="Group"/> lines are then taken at once: the
/// double-double ln and exp of <see cref="GeneralNorm.Root"/> (<see cref="DD.Log"/>, <see cref="DD.Div"/>,
/// <see cref="DD.Exp"/>) one SIMD lane per output, every lane doing the scalar code's IEEE operations in its order
/// (the FMAs where it has FMAs, the same lane-computed starting value y₀ ≈ ln(hi), the same 1/k! table; the scalar
/// calls run these very bodies on <see cref="Lane1"/>), so each output gets the bits <see cref="GeneralNorm.Root"/> gives it — those of the block
/// driver, i.e. of the same line reduced alone, at any width, alignment or thread count. The scalar root was two
/// thirds of the ~0.8 µs each short line cost. Most lanes now take a cheap root instead, stored only where a rounding
/// proof shows that every store gets the double-double root's bits from it (<see cref="Roots(double*, double*, int*, double, int*, double*, double*, int*)"/>). A line with NaN, ∞, a zero under p &lt; 0 or an empty sum is finished by
/// the block driver's own code (<see cref="GeneralPowOp.Finish"/>).
///
/// Narrow results (float32, float16) are stored only when <see cref="GeneralPowFast.TryStoreNarrow"/> proves them the
/// correctly rounded value (unique, so the bits of every other path), else that line goes through
/// <see cref="GeneralNorm.Reduce"/>, as in <see cref="GeneralPowFast.Run"/>; contiguous float32/complex64 lines take
/// <see cref="NarrowPowFast"/>'s sums straight from the floats (one order table for all lines) and the same proof.</summary>
internal static unsafe class LanePow
{
    /// <summary>Longest line taken: one block of the driver's grid (complex elements take two doubles of it).</summary>
    private const long MaxInner = DoubleBlocks.BlockElements / 2;

    /// <summary>Outputs whose roots are taken together: four 512-bit vectors (or eight 256-bit ones) whose latency-bound
    /// double-double chains overlap.</summary>
    internal const int Group = 32;

    /// <summary>True for a plan whose lines this class reduces; the caller has checked <see cref="GeneralPowFast.Applies"/>.</summary>
    public static bool Applies(ReductionPlan plan)
        => plan.InnerShape.Length == 1 && plan.OuterCount >= 2 && plan.InnerCount >= 1 && plan.InnerCount <= MaxInner;

    /// <summary>Computes every output of the plan.</summary>
    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot)
        => Run(plan, x, o, p, new GeneralLines(plan, t, p, ot), GeneralPowOp.ParallelElements);

    /// <summary>True for whole orders 3…64 of many short float64 lines into float64 (the lines <see cref="IntPowOp"/>
    /// would reduce one at a time): <see cref="RunInt"/> sums each line exactly as the block driver does and takes
    /// the roots in lanes, as for general p.</summary>
    public static bool AppliesInt(ReductionPlan plan, DType t, DType ot, double p)
        => t == DType.Float64 && ot == DType.Float64 && p >= 3 && p <= 64 && p == Math.Floor(p) && Applies(plan)
           && plan.OuterCount >= Group;

    /// <summary>Computes every output of the plan for a whole order p (<see cref="AppliesInt"/>): each line's one block
    /// through <see cref="IntPowOp"/> as <see cref="BlockDriver"/> does it (so the same sum), special values and zero
    /// sums finished by <see cref="IntPowOp.Finish"/> itself, and the roots of the others <see cref="Group"/> at a
    /// time: <see cref="IntPowOp.Finish"/>'s <see cref="GeneralNorm.Root"/> with the scale 1, lane by lane.</summary>
    public static FpEvents RunInt(ReductionPlan plan, byte* x, double p, byte* o)
        => LaneIntSums.Applies(plan, p) ? LaneIntSums.RunInt(plan, x, p, o) // short lines: the sums in lanes too
         : Run(plan, x, o, p, new IntLines(plan, (int)p), BlockDriver.ParallelThreshold); // IntPowOp's threshold (the default)

    /// <summary>True for the complex orders of <see cref="ComplexPowNorm"/> that take a log/exp root (3, 4, 2.5) over
    /// many short complex128/complex64 lines: <see cref="RunComplex"/>.</summary>
    public static bool AppliesComplex(ReductionPlan plan, DType t, double p)
        => t is DType.Complex128 or DType.Complex64 && p is 3 or 4 or 2.5 && Applies(plan) && plan.OuterCount >= Group;

    /// <summary>Computes every output of the plan for <see cref="AppliesComplex"/>: each line summed as
    /// <see cref="ComplexPowNorm.Run"/> sums it alone (<see cref="ComplexPowNorm.TrySum"/> from
    /// <see cref="ComplexOffsetSum.MinLength"/> elements, else <see cref="GeneralNorm"/>'s per-element sum), the lines
    /// with NaN, ∞ or only zeros finished by that path's own code, and the roots <see cref="Group"/> at a time.</summary>
    public static FpEvents RunComplex(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot)
        => Run(plan, x, o, p, new ComplexLines(plan, t, p, ot), RealPowOp.ParallelElements);

    /// <summary>True for the real half-integer orders ±1.5 … ±64.5 over many short float64 lines into float64 (the
    /// lines <see cref="RealPowOp"/> would reduce one at a time): <see cref="RunHalf"/>.</summary>
    public static bool AppliesHalf(ReductionPlan plan, DType t, DType ot, double p)
    {
        double a = Math.Abs(p);
        return t == DType.Float64 && ot == DType.Float64 && (a >= 1.5 || p == -0.5) && a <= 64.5 && 2 * a == Math.Floor(2 * a) && a != Math.Floor(a)
               && Applies(plan) && plan.OuterCount >= Group;
    }

    /// <summary>Computes every output of the plan for <see cref="AppliesHalf"/>: each line's one block through
    /// <see cref="RealPowOp"/> as <see cref="BlockDriver"/> does it (so the same sum), special lines finished by
    /// <see cref="RealPowOp.Finish(in RealKernels.PowAcc, DType, byte*, in BlockLine)"/>, the roots <see cref="Group"/>
    /// at a time; a root within <see cref="RealPowOp.TieMargin"/> of a rounding midpoint goes back to that finish,
    /// which decides it exactly (so midpoints get the 1-D path's bits too).</summary>
    public static FpEvents RunHalf(ReductionPlan plan, byte* x, double p, byte* o)
        => LaneIntSums.Applies(plan, p) ? LaneIntSums.RunHalf(plan, x, p, o) // short lines: the sums in lanes too
         : Run(plan, x, o, p, new HalfLines(plan, p), RealPowOp.ParallelElements);

    /// <summary>True for the negative whole orders −2 … −64 over many short float64 lines into float64 (the lines
    /// <see cref="RealPowOp"/> would reduce one at a time): <see cref="RunNegWhole"/>.</summary>
    public static bool AppliesNegWhole(ReductionPlan plan, DType t, DType ot, double p)
        => t == DType.Float64 && ot == DType.Float64 && p <= -2 && p >= -64 && p == Math.Floor(p)
           && Applies(plan) && plan.OuterCount >= Group;

    /// <summary>Computes every output of the plan for <see cref="AppliesNegWhole"/>: <see cref="RunHalf"/>'s lines
    /// (each line's one block through <see cref="RealPowOp"/>, so the 1-D path's sum; special lines and roots near a
    /// midpoint finished by its own exact finish), the roots <see cref="Group"/> at a time. These norms are correctly
    /// rounded on every path (README "Accuracy"), so every output has the bits of the same line reduced alone.</summary>
    public static FpEvents RunNegWhole(ReductionPlan plan, byte* x, double p, byte* o)
        => LaneIntSums.Applies(plan, p) ? LaneIntSums.RunNegWhole(plan, x, p, o) // lines ≤ 128: the sums in lanes too
         : Run(plan, x, o, p, new HalfLines(plan, p), RealPowOp.ParallelElements);

    /// <summary>True for complex ord −2 over many short complex128/complex64 lines: <see cref="RunComplexNeg"/>.</summary>
    public static bool AppliesComplexNeg(ReductionPlan plan, DType t, double p)
        => t is DType.Complex128 or DType.Complex64 && p == -2 && Applies(plan) && plan.OuterCount >= Group;

    /// <summary>Computes every output of the plan for <see cref="AppliesComplexNeg"/>: each line summed as
    /// <see cref="ComplexNegative"/> sums it alone (its one-pass double-double Σ1/|z|², <see cref="ComplexNegative.TryCleanSum"/>),
    /// lines with an element outside that pass's range (zeros, NaN, ∞, extreme scales) reduced alone by that class,
    /// and the roots <see cref="Group"/> at a time — the scalar root per line was most of the 0.06× NumPy of rows of 4.
    /// Each output gets the bits of its line alone (the roots are <see cref="GeneralNorm.Root"/>'s, or proven to round alike).</summary>
    public static FpEvents RunComplexNeg(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot)
        => Run(plan, x, o, p, new ComplexNegLines(plan, t, p, ot), ComplexNegParallel);

    /// <summary>Total elements from which <see cref="RunComplexNeg"/> splits the outputs over threads (a term is a few
    /// ns, a root tens).</summary>
    private const long ComplexNegParallel = 1L << 14;

    /// <summary>Complex ord −2: <see cref="ComplexNegative"/>'s one-pass sum, else that class alone.</summary>
    private readonly struct ComplexNegLines : ILineSum
    {
        private readonly ReductionPlan _plan;
        private readonly DType _t, _ot;
        private readonly double _p;

        public ComplexNegLines(ReductionPlan plan, DType t, double p, DType ot) { _plan = plan; _t = t; _p = p; _ot = ot; }

        public bool Sum(byte* xp, byte* dst, double* buf, out double sh, out double sl, out int se, out Ext scale, ref FpEvents ev)
        {
            se = 0; scale = new Ext(1, 0, 0);
            if (ComplexNegative.TryCleanSum(_plan, xp, _t, _p, out sh, out sl)) return true;
            ev |= ComplexNegative.ReduceLine(_plan, xp, _t, _p, _ot, dst, tried: true);
            return false;
        }

        public FpEvents Store(in Ext r, byte* xp, byte* dst) => StoreComplex(r, _plan, xp, _t, _p, _ot, dst);
    }

    /// <summary>The store of a complex line's lane root: complex128's float64 result rounded once; complex64's float32
    /// result next to a rounding midpoint (within the lane root's bound, which may be the cheap root's, plus 2⁻⁸⁰)
    /// decided from the line (<see cref="GeneralNorm.StoreDecided"/>).</summary>
    internal static FpEvents StoreComplex(in Ext r, ReductionPlan plan, byte* xp, DType t, double p, DType ot, byte* dst)
        => ot == DType.Float64 ? ResultWriter.Store(ot, dst, r)
         : GeneralNorm.StoreDecided(plan, xp, t, p, ot, dst, r, 4 * DDLanes.RootLiteBound(p));

    /// <summary>One kind of line for the batching loop (<see cref="Lines{S}"/>): sums a line exactly as the path that
    /// would reduce it alone does, finishing the lines whose norm needs no root (special values, empty sums) with
    /// that path's code, and stores a rooted output. A struct per kind, so the AOT compiles the loop for each.</summary>
    internal interface ILineSum
    {
        /// <summary>Sums the line at <paramref name="xp"/>: true with its norm pending as
        /// ((sh + sl)·2^se)^(1/p)·scale (sh &gt; 0 finite), or false once the output at <paramref name="dst"/> is
        /// stored (its events added to <paramref name="ev"/>). <paramref name="buf"/> holds one block of doubles.</summary>
        bool Sum(byte* xp, byte* dst, double* buf, out double sh, out double sl, out int se, out Ext scale, ref FpEvents ev);

        /// <summary>Stores the rooted norm <paramref name="r"/> of the line at <paramref name="xp"/>.</summary>
        FpEvents Store(in Ext r, byte* xp, byte* dst);
    }

    private static FpEvents Run<S>(ReductionPlan plan, byte* x, byte* o, double p, S lines, long parallelElements) where S : struct, ILineSum
    {
        long outs = plan.OuterCount;
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && outs * (plan.InnerCount + LineElements) >= parallelElements)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(outs, threads, (k0, count) => Lines(plan, (byte*)xb, (byte*)ob, p, lines, k0, count));
        }
        return Lines(plan, x, o, p, lines, 0, outs);
    }

    /// <summary>A line's own block pass (the 1-D block operator's statistics and vector body set up for it) and root cost
    /// about as much as this many of its terms: counted with the elements against the thread threshold. Counting the
    /// elements alone kept complex128 (4, 3000) ord ±100 (~260 ns a line) on one thread: 0.8 ms against NumPy's 0.04.</summary>
    private const long LineElements = 64;

    /// <summary>The outputs first … first + count − 1: each line summed, the pending roots taken <see cref="Group"/> at
    /// a time (<see cref="Flush{S}"/>).</summary>
    private static FpEvents Lines<S>(ReductionPlan plan, byte* x, byte* o, double p, S lines, long first, long count) where S : struct, ILineSum
    {
        double* buf = stackalloc double[(int)Math.Min(plan.InnerCount, DoubleBlocks.BlockElements) * 2 + 8];
        double* sh = stackalloc double[Group], sl = stackalloc double[Group];
        int* se = stackalloc int[Group];
        Ext* sc = stackalloc Ext[Group];
        nint* src = stackalloc nint[Group], dst = stackalloc nint[Group];
        int m = 0;
        var ev = FpEvents.None;
        var it = new OuterIterator(plan, x, o, first, count);
        while (it.Next(out byte* xp, out byte* op))
        {
            if (!lines.Sum(xp, op, buf, out sh[m], out sl[m], out se[m], out sc[m], ref ev)) continue;
            src[m] = (nint)xp; dst[m] = (nint)op;
            if (++m == Group) { ev |= Flush(ref lines, p, sh, sl, se, sc, src, dst, m); m = 0; }
        }
        if (m > 0) ev |= Flush(ref lines, p, sh, sl, se, sc, src, dst, m);
        return ev;
    }

    /// <summary>Roots and stores the first <paramref name="m"/> pending outputs: <see cref="GeneralNorm.Root"/>'s last
    /// steps (its exp gives 0 only below −<see cref="DD.ExpLimit"/>, beyond any sum's ln(S)/p here) on each lane's root.</summary>
    private static FpEvents Flush<S>(ref S lines, double p, double* sh, double* sl, int* se, Ext* sc, nint* src, nint* dst, int m) where S : struct, ILineSum
    {
        for (int i = m; i < Group; i++) { sh[i] = 1; sl[i] = 0; se[i] = 0; } // idle lanes: any valid sum
        double* rh = stackalloc double[Group], rl = stackalloc double[Group];
        int* rk = stackalloc int[Group], eb = stackalloc int[Group];
        ScaleExponents(sc, m, eb);
        Roots(sh, sl, se, p, eb, rh, rl, rk);
        var ev = FpEvents.None;
        for (int i = 0; i < m; i++)
            ev |= lines.Store(Ext.Mul(Ext.Normalize(rh[i], rl[i], rk[i]), sc[i]), (byte*)src[i], (byte*)dst[i]);
        return ev;
    }

    /// <summary>General orders (<see cref="GeneralPowOp"/>'s block, or <see cref="NarrowPowFast"/>'s sums of contiguous
    /// float32/complex64 lines into float32). Narrow results are stored only when
    /// <see cref="GeneralPowFast.TryStoreNarrow"/> proves them correctly rounded, else recomputed by
    /// <see cref="GeneralNorm.Reduce"/>.</summary>
    private unsafe struct GeneralLines : ILineSum
    {
        private readonly ReductionPlan _plan;
        private readonly DType _t, _ot;
        private readonly double _p, _rel;
        private readonly GeneralPowOp _op;
        private readonly bool _complex, _floats;
        private fixed double _tab[NarrowPowFast.TableLength]; // the float lines' order table (one for all lines)

        public GeneralLines(ReductionPlan plan, DType t, double p, DType ot)
        {
            _plan = plan; _t = t; _p = p; _ot = ot;
            _complex = DTypes.IsComplex(t);
            // the failure set is never filled here (narrow outputs that fail are recomputed on the spot); its presence
            // selects the plain-double terms for narrow outputs, as in GeneralPowFast.Run
            _op = new GeneralPowOp(p, _complex, ot == DType.Float64 ? null : new GeneralPowFast.Failures());
            // contiguous float32/complex64 lines into float32: NarrowPowFast's sums straight from the floats
            _floats = ot == DType.Float32 && t is (DType.Float32 or DType.Complex64) && plan.InnerStrides[0] == (_complex ? 8 : 4);
            _rel = GeneralPowFast.NarrowRel(p); // GeneralPowOp.Finish's bound for the narrow terms
            if (_floats)
                fixed (double* tab = _tab) VecLogExp.NarrowTables(_complex ? 0.5 * p : p, tab); // Prepare's pp
        }

        public bool Sum(byte* xp, byte* dst, double* buf, out double sh, out double sl, out int se, out Ext scale, ref FpEvents ev)
        {
            if (_floats)
            {
                float* f = (float*)(xp + _plan.InnerBaseOffset);
                long n = _plan.InnerCount;
                if (NarrowPowFast.Prepare(f, n, _complex, _p, out int e, out double pp, out double koff, out double k, out bool exact))
                {
                    double hi, lo;
                    fixed (double* tab = _tab) NarrowPowFast.Sum(f, n, _complex, pp, koff, k, exact, tab, out hi, out lo);
                    if (double.IsFinite(hi) && hi > 0)
                    {
                        // (hi + lo)·2^k against the reference 2^e: NarrowPowFast.TryRun's root, then its proof in Store
                        (sh, sl, se, scale) = (hi, lo, (int)k, new Ext(1, 0, e));
                        return true;
                    }
                }
                // special values (or a sum NarrowPowFast declines): the block path below
            }
            var blocks = new DoubleBlocks(_plan, xp, _t, buf);
            var part = _op.Compute(blocks.Next()); // the line is one block (MaxInner)
            if (part.NaN || part.Inf || part.Zero || !part.HasSum || !(part.H > 0))
            {
                // BlockDriver.One for a one-block line: the special values' rules and events, and an empty sum
                RealKernels.PowAcc acc = default, total = default;
                _op.Apply(part, ref acc);
                _op.Merge(ref total, acc);
                ev |= _op.Finish(total, _ot, dst);
                (sh, sl, se, scale) = (0, 0, 0, default);
                return false;
            }
            // one block: the chunk and total partials are (H, L) against the reference 2^Eb, unchanged
            (sh, sl, se, scale) = (part.H, part.L, 0, new Ext(1, 0, part.Eb));
            return true;
        }

        public FpEvents Store(in Ext r, byte* xp, byte* dst)
        {
            if (_ot == DType.Float64) return ResultWriter.Store(_ot, dst, r);
            return GeneralPowFast.TryStoreProven(r, _rel, _ot, dst, out var ev) ? ev : GeneralPowFast.Decide(_plan, xp, _t, _p, _ot, dst);
        }
    }

    /// <summary>Whole orders of float64 lines: <see cref="IntPowOp"/>'s block and merge.</summary>
    internal readonly struct IntLines : ILineSum
    {
        private readonly ReductionPlan _plan;
        private readonly IntPowOp _op;
        private readonly int _p;

        public IntLines(ReductionPlan plan, int p) { _plan = plan; _op = new IntPowOp(p); _p = p; }

        public bool Sum(byte* xp, byte* dst, double* buf, out double sh, out double sl, out int se, out Ext scale, ref FpEvents ev)
        {
            // BlockDriver.One for a one-block line: one Block, one Merge into the empty total
            var blocks = new DoubleBlocks(_plan, xp, DType.Float64, buf);
            ScaledSum part = default, total = default;
            _op.Block(blocks.Next(), ref part);
            _op.Merge(ref total, part);
            (sh, sl, se, scale) = (total.Hi, total.Lo, total.Exp, new Ext(1, 0, 0));
            if (total.HasNaN || total.HasInf || !(total.Hi > 0))
            {
                ev |= _op.Finish(total, DType.Float64, dst);
                return false;
            }
            return true;
        }

        /// <summary>r is the bits of <see cref="IntPowOp.Finish(in ScaledSum, DType, byte*)"/>'s root; near a midpoint
        /// the line's own finish (<see cref="IntPowOp.FinishExact"/>) decides it exactly, so this store does too.</summary>
        public FpEvents Store(in Ext r, byte* xp, byte* dst)
            => RealPowOp.StoreDecided(r, _p, DType.Float64, dst, new BlockLine(_plan, xp, DType.Float64));
    }

    /// <summary>Complex orders 3, 4, 2.5: the line's sum as <see cref="ComplexPowNorm.Run"/> forms it alone.</summary>
    private readonly struct ComplexLines : ILineSum
    {
        private readonly ReductionPlan _plan;
        private readonly DType _t, _ot;
        private readonly double _p;

        public ComplexLines(ReductionPlan plan, DType t, double p, DType ot) { _plan = plan; _t = t; _p = p; _ot = ot; }

        public bool Sum(byte* xp, byte* dst, double* buf, out double sh, out double sl, out int se, out Ext scale, ref FpEvents ev)
        {
            if (_plan.InnerCount >= ComplexOffsetSum.MinLength && ComplexPowNorm.TrySum(_plan, xp, _t, _p, buf, out ScaledSum acc))
            {
                (sh, sl, se, scale) = (acc.Hi, acc.Lo, acc.Exp, new Ext(1, 0, 0));
                if (acc.Hi > 0) return true;
                ev |= ResultWriter.Store(_ot, dst, GeneralNorm.Root(acc.Hi, acc.Lo, acc.Exp, _p, scale)); // only zeros
                return false;
            }
            if (_plan.InnerCount <= GeneralNorm.MaxShortComplex)
            {
                // a short line: its values widened once (DoubleBlocks' doubles are Gather's), GeneralNorm's sum of them
                var blocks = new DoubleBlocks(_plan, xp, _t, buf);
                fixed (double* z = blocks.Next())
                    if (GeneralNorm.TryComplexPowerSum(z, (int)_plan.InnerCount, _p, out sh, out sl, out se, out scale)) return true;
            }
            else if (GeneralNorm.TryPowerSum(_plan, xp, _t, _p, out sh, out sl, out se, out scale)) return true;
            ev |= GeneralNorm.Reduce(_plan, xp, _t, _p, _ot, dst); // NaN, ∞ or only zeros: numpy's rules
            return false;
        }

        public FpEvents Store(in Ext r, byte* xp, byte* dst) => StoreComplex(r, _plan, xp, _t, _p, _ot, dst);
    }

    /// <summary>Real half-integer orders of float64 lines: <see cref="RealPowOp"/>'s block and merge, and its exact
    /// finish for the roots near a midpoint.</summary>
    internal readonly struct HalfLines : ILineSum
    {
        private readonly ReductionPlan _plan;
        private readonly RealPowOp _op;

        public HalfLines(ReductionPlan plan, double p) { _plan = plan; _op = new RealPowOp(p); }

        public bool Sum(byte* xp, byte* dst, double* buf, out double sh, out double sl, out int se, out Ext scale, ref FpEvents ev)
        {
            var total = Total(xp, buf);
            (sh, sl, se, scale) = (total.Hi, total.Lo, 0, total.Ref);
            if (total.HasNaN || total.HasZero || total.HasInf || !total.Any || !(total.Hi > 0))
            {
                ev |= _op.Finish(total, DType.Float64, dst, new BlockLine(_plan, xp, DType.Float64));
                return false;
            }
            return true;
        }

        /// <summary>BlockDriver.One's total for a one-block line: one Block, one Merge into the empty total.</summary>
        private RealKernels.PowAcc Total(byte* xp, double* buf)
        {
            var blocks = new DoubleBlocks(_plan, xp, DType.Float64, buf);
            RealKernels.PowAcc part = default, total = default;
            _op.Block(blocks.Next(), ref part);
            _op.Merge(ref total, part);
            return total;
        }

        public FpEvents Store(in Ext r, byte* xp, byte* dst)
        {
            // r is the bits of RealPowOp.Finish's root; near a midpoint that finish decides exactly (rare)
            if (!Midpoint.Near(r, DType.Float64, RealPowOp.TieMargin, out _)) return ResultWriter.Store(DType.Float64, dst, r);
            return NearMidpoint(xp, dst);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private FpEvents NearMidpoint(byte* xp, byte* dst)
        {
            double* buf = stackalloc double[(int)Math.Min(_plan.InnerCount, DoubleBlocks.BlockElements) * 2 + 8];
            return _op.Finish(Total(xp, buf), DType.Float64, dst, new BlockLine(_plan, xp, DType.Float64));
        }
    }

    /// <summary>exp(ln((sh + sl)·2^se)/p) as (rh + rl)·2^rk for <see cref="Group"/> sums (sh positive and finite, as every
    /// block sum is; |se| small), the operations of <see cref="GeneralNorm.Root"/> from its ln to its exp, lane by lane.
    ///
    /// With <paramref name="eb"/> (each output's scale 2^eb, or <see cref="NoProof"/>) a lane may instead get the
    /// cheap root of <see cref="DDLanes.RootLite{L}"/> (R̃ within ε = <see cref="DDLanes.RootLiteBound"/> of the exact
    /// root R): only where <see cref="DDLanes.Decided{L}"/> finds R̃ farther than 4ε from every float64 rounding
    /// midpoint and the scaled result 2^(rk + eb)·R̃ is far inside the normal range. There R lies more than 3ε
    /// (≥ 2⁻⁶⁵·R) from every midpoint, and so does the double-double root D (|D − R| ≲ 2⁻⁸⁵·R even for |ln S| ~ 4000, DD.Log being within 2⁻¹⁰⁰·|ln S|): fl(D) = fl(R) = rh,
    /// sign(D − rh) = sign(R − rh) = sign(rl), D is not within <see cref="RealPowOp.TieMargin"/> (2⁻⁶⁸) of a midpoint,
    /// and scaling by 2^(rk + eb) in the normal range commutes with the rounding. So every store that reads the root
    /// through its float64 rounding (Rounding.ToDouble, GeneralPowFast.TryStoreNarrow's fl(H + L)), a float32
    /// rounding of fl(H) with the sign of L for ties (Rounding.ToSingle), or a midpoint hand-off, stores the bits D
    /// gives it. Other lanes (≈0.3 % for |p| ≥ 1) take the double-double root, a vector at a time (each lane's bits
    /// are its own). Without <paramref name="eb"/> every lane is the double-double root, bit for bit. For p = −2 the cheap
    /// root is <see cref="DDLanes.RecipSqrtLite{L}"/> (within 2⁻¹⁰⁰, far inside ε; a square root and a Newton step instead
    /// of the ln and exp chains: rows (3000, 4) ord −2 float64 59 → 50 µs, int16 69 → 60 µs), for p = −1/2
    /// <see cref="DDLanes.RecipSquareLite{L}"/> (1/S² by a division and a Newton step, within 2⁻¹⁰¹); the test is the same.</summary>
    internal static void Roots(double* sh, double* sl, int* se, double p, int* eb, double* rh, double* rl, int* rk)
    {
        if (RealKernels.Wide) Roots<Lanes512>(sh, sl, se, p, eb, rh, rl, rk);
        else Roots<Lanes256>(sh, sl, se, p, eb, rh, rl, rk);
    }

    /// <summary>An <c>eb</c> of <see cref="Roots(double*, double*, int*, double, int*, double*, double*, int*)"/> for a
    /// lane whose store needs the double-double root itself (a scale that is not a power of two).</summary>
    internal const int NoProof = int.MinValue / 2;

    /// <summary>The <c>eb</c> of <see cref="Roots(double*, double*, int*, double, int*, double*, double*, int*)"/> for
    /// the first <paramref name="m"/> pending outputs' scales (each root is stored times its scale: a power of two lets
    /// Roots prove the rounding cheaply, any other scale gets <see cref="NoProof"/>); 0 for the idle lanes.</summary>
    internal static void ScaleExponents(Ext* sc, int m, int* eb)
    {
        for (int i = 0; i < Group; i++) eb[i] = i >= m ? 0 : sc[i].H == 1 && sc[i].L == 0 ? sc[i].E : NoProof;
    }

    /// <summary>Stores a lane root (rh + rl)·2^rk times its scale 2^eb, <paramref name="e"/> = rk + eb, as float64 when
    /// the result fl(rh + rl)·2^e is normal: then it is the one rounding that
    /// <c>Rounding.ToDouble(Ext.Mul(Ext.Normalize(rh, rl, rk), 2^eb))</c> makes, since power-of-two scalings of normal
    /// values are exact and commute with it. False (nothing stored) otherwise (overflow, subnormal): the caller's full
    /// store then decides.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryStoreNormal(double rh, double rl, long e, byte* dst)
    {
        if (e < -1022 || e > 1023) return false;
        double v = (rh + rl) * BitConverter.Int64BitsToDouble((e + 1023) << 52);
        if (!(v > VecLogExp.MinNormal && v <= double.MaxValue)) return false;
        Unsafe.WriteUnaligned(dst, v);
        return true;
    }

    /// <summary><see cref="TryStoreNormal"/>'s test and value for all <see cref="Group"/> lanes, four at a time: v[i] =
    /// fl(rh[i] + rl[i])·2^(rk[i] + eb[i]) and bit i of the result set where that is a normal double (the operations and
    /// conditions of TryStoreNormal, lane by lane; an eb of <see cref="NoProof"/> is out of range, so never set). The
    /// caller stores the lanes it wants; the per-lane scalar test was most of the flushes' time on rows of 4.</summary>
    internal static uint NormalLanes(double* rh, double* rl, int* rk, int* eb, double* v)
    {
        uint bits = 0;
        if (!Avx2.IsSupported)
        {
            for (int i = 0; i < Group; i++)
            {
                long e = (long)rk[i] + eb[i];
                if (e < -1022 || e > 1023) continue;
                double r = (rh[i] + rl[i]) * BitConverter.Int64BitsToDouble((e + 1023) << 52);
                if (!(r > VecLogExp.MinNormal && r <= double.MaxValue)) continue;
                v[i] = r;
                bits |= 1u << i;
            }
            return bits;
        }
        var bias = Vector256.Create(1023L);
        for (int i = 0; i < Group; i += 4)
        {
            var e = Avx2.ConvertToVector256Int64(Sse2.LoadVector128(rk + i)) + Avx2.ConvertToVector256Int64(Sse2.LoadVector128(eb + i));
            var inRange = Vector256.GreaterThanOrEqual(e, Vector256.Create(-1022L)) & Vector256.LessThanOrEqual(e, bias);
            var r = (Vector256.Load(rh + i) + Vector256.Load(rl + i)) * ((e + bias) << 52).AsDouble();
            var ok = inRange.AsDouble() & Vector256.GreaterThan(r, Vector256.Create(VecLogExp.MinNormal))
                     & Vector256.LessThanOrEqual(r, Vector256.Create(double.MaxValue));
            r.Store(v + i);
            bits |= Vector256.ExtractMostSignificantBits(ok) << i;
        }
        return bits;
    }

    /// <summary>Scaled results 2^(rk + eb) with |rk + eb| below this are normal doubles with room to spare.</summary>
    private const double ProofRange = 1000;

    private static void Roots<L>(double* sh, double* sl, int* se, double p, int* eb, double* rh, double* rl, int* rk) where L : struct, ILanes<L>
    {
        const int n = Group;
        double* ek = stackalloc double[n], kc = stackalloc double[n];
        ToDouble(se, ek);
        uint need = (1u << (n / L.Count)) - 1; // vectors that need the double-double root
        if (eb != null)
        {
            double* ebd = stackalloc double[n];
            ToDouble(eb, ebd);
            var rel = L.Create(4 * DDLanes.RootLiteBound(p));
            var lim = L.Create(ProofRange);
            for (int j = 0; j < n; j += L.Count)
            {
                L l, k;
                L h = p == -2 ? DDLanes.RecipSqrtLite(L.Load(sh + j), L.Load(sl + j), L.Load(ek + j), out l, out k) // within 2⁻¹⁰⁰
                      : p == -0.5 ? DDLanes.RecipSquareLite(L.Load(sh + j), L.Load(sl + j), L.Load(ek + j), out l, out k) // 2⁻¹⁰¹
                      : DDLanes.RootLite(L.Load(sh + j), L.Load(sl + j), L.Load(ek + j), p, out l, out k);
                var ok = DDLanes.Decided(h, l, rel) & L.LessThan(L.Abs(k + L.Load(ebd + j)), lim);
                h.Store(rh + j); l.Store(rl + j); k.Store(kc + j);
                if (L.AllSet(ok)) need &= ~(1u << (j / L.Count));
            }
        }
        if (need != 0) DDRoots<L>(sh, sl, ek, p, need, rh, rl, kc);
        ToInt(kc, rk);
    }

    /// <summary>d[i] = v[i] for the <see cref="Group"/> lanes (exact), four at a time: the scalar loops these replace were
    /// half of Roots' own time on rows of 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ToDouble(int* v, double* d)
    {
        if (!Avx.IsSupported)
        {
            for (int i = 0; i < Group; i++) d[i] = v[i];
            return;
        }
        for (int i = 0; i < Group; i += 4) Avx.Store(d + i, Avx.ConvertToVector256Double(Sse2.LoadVector128(v + i)));
    }

    /// <summary>v[i] = (int)d[i] for the <see cref="Group"/> lanes, C#'s saturating conversion (NaN → 0, out of range →
    /// int.MinValue / int.MaxValue) by clamping before the truncating vector conversion.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ToInt(double* d, int* v)
    {
        if (!Avx.IsSupported)
        {
            for (int i = 0; i < Group; i++) v[i] = (int)d[i];
            return;
        }
        var lo = Vector256.Create((double)int.MinValue);
        var hi = Vector256.Create((double)int.MaxValue);
        for (int i = 0; i < Group; i += 4)
        {
            var x = Avx.LoadVector256(d + i);
            x = Avx.And(Avx.Compare(x, x, FloatComparisonMode.OrderedEqualNonSignaling), x); // NaN → +0
            x = Avx.Min(Avx.Max(x, lo), hi);
            Sse2.Store(v + i, Avx.ConvertToVector128Int32WithTruncation(x));
        }
    }

    /// <summary>The double-double roots of the vectors flagged in <paramref name="need"/> (bit v: lanes
    /// v·L.Count …): DD.Log (its prelude, starting value and core), then GeneralNorm.Root's x = ln S / p as a
    /// double-double quotient (DD.Div's operations), then DD.Exp, all in lanes, so each lane has the scalar calls'
    /// bits. <paramref name="ek"/> holds the exponents on entry and is overwritten; the exponents out go to k.</summary>
    private static void DDRoots<L>(double* sh, double* sl, double* ek, double p, uint need, double* rh, double* rl, double* k) where L : struct, ILanes<L>
    {
        double* table = DD.Exp2Table;
        var pl = L.Create(p);
        for (int j = 0; j < Group; j += L.Count)
        {
            if ((need & (1u << (j / L.Count))) == 0) continue;
            L hi = L.Load(sh + j), lo = L.Load(sl + j), e = L.Load(ek + j);
            DDLanes.LogReduce(ref hi, ref lo, ref e);
            L yh = DDLanes.Log(hi, lo, e, DDLanes.LogStart(hi), table, out L yl);
            yh = DDLanes.Div(yh, yl, pl, L.Zero, out yl);
            yh.Store(ek + j); yl.Store(rl + j); // the quotient, for the exp below
        }
        for (int j = 0; j < Group; j += L.Count)
        {
            if ((need & (1u << (j / L.Count))) == 0) continue;
            L h = DDLanes.Exp(L.Load(ek + j), L.Load(rl + j), table, out L l, out L kk);
            h.Store(rh + j); l.Store(rl + j); kk.Store(k + j);
        }
    }
}
