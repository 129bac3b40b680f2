using System.Runtime.CompilerServices;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>General-p vector norms (the orders <see cref="GeneralPowFast"/> takes) over one axis of many short lines
/// (at most <see cref="MaxInner"/> elements, so one block each): each line's block is made and summed exactly as the
/// block driver does it for <see cref="GeneralPowOp"/> (the same <see cref="DoubleBlocks"/> block, statistics and
/// <see cref="VecLogExp.PowSum"/>), and the roots 2ᵉᵇ·S^(1/p) of <see cref="Group"/> lines are then taken at once: the
/// double-double ln and exp of <see cref="GeneralNorm.Root"/> (<see cref="DD.Log"/>, <see cref="DD.Div"/>,
/// <see cref="DD.Exp"/>) one SIMD lane per output, every lane doing the scalar code's IEEE operations in its order
/// (the FMAs where it has FMAs, the starting value y₀ = ln(hi) by the same <see cref="Math.Log(double)"/> call, the
/// same 1/k! table), so each output gets the bits <see cref="GeneralNorm.Root"/> gives it — those of the block
/// driver, i.e. of the same line reduced alone, at any width, alignment or thread count. The scalar root was two
/// thirds of the ~0.8 µs each short line cost. A line with NaN, ∞, a zero under p &lt; 0 or an empty sum is finished by
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
    {
        // the failure set is never filled here (narrow outputs that fail are recomputed on the spot); its presence
        // selects the plain-double terms for narrow outputs, as in GeneralPowFast.Run
        var op = new GeneralPowOp(p, DTypes.IsComplex(t), ot == DType.Float64 ? null : new GeneralPowFast.Failures());
        long outs = plan.OuterCount;
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && outs * plan.InnerCount >= GeneralPowOp.ParallelElements)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(outs, threads, (k0, count) => Range(plan, (byte*)xb, t, p, (byte*)ob, ot, op, k0, count));
        }
        return Range(plan, x, t, p, o, ot, op, 0, outs);
    }

    private static FpEvents Range(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot, GeneralPowOp op, long first, long count)
    {
        double* buf = stackalloc double[(int)Math.Min(plan.InnerCount, DoubleBlocks.BlockElements) * 2 + 8];
        double* sh = stackalloc double[Group], sl = stackalloc double[Group];
        int* se = stackalloc int[Group], eb = stackalloc int[Group];
        nint* src = stackalloc nint[Group], dst = stackalloc nint[Group];
        bool complex = DTypes.IsComplex(t);
        // contiguous float32/complex64 lines into float32: NarrowPowFast's sums straight from the floats
        bool floats = ot == DType.Float32 && t is (DType.Float32 or DType.Complex64) && plan.InnerStrides[0] == (complex ? 8 : 4);
        long n = plan.InnerCount;
        double* tab = stackalloc double[floats ? NarrowPowFast.TableLength : 0];
        if (floats) VecLogExp.NarrowTables(complex ? 0.5 * p : p, tab); // Prepare's pp
        int m = 0;
        var ev = FpEvents.None;
        var it = new OuterIterator(plan, x, o, first, count);
        while (it.Next(out byte* xp, out byte* op2))
        {
            if (floats)
            {
                float* f = (float*)(xp + plan.InnerBaseOffset);
                if (NarrowPowFast.Prepare(f, n, complex, p, out int e, out double pp, out double koff, out double k, out bool exact))
                {
                    NarrowPowFast.Sum(f, n, complex, pp, koff, k, exact, tab, out double hi, out double lo);
                    if (double.IsFinite(hi) && hi > 0)
                    {
                        // (hi + lo)·2^k against the reference 2^e: NarrowPowFast.TryRun's root, then its proof below
                        sh[m] = hi; sl[m] = lo; se[m] = (int)k; eb[m] = e; src[m] = (nint)xp; dst[m] = (nint)op2;
                        if (++m == Group) { ev |= Store(plan, t, p, ot, sh, sl, se, eb, src, dst, m); m = 0; }
                        continue;
                    }
                }
                // special values (or a sum NarrowPowFast declines): the block path below
            }
            var blocks = new DoubleBlocks(plan, xp, t, buf);
            var part = op.Compute(blocks.Next()); // the line is one block (MaxInner)
            if (part.NaN || part.Inf || part.Zero || !part.HasSum || !(part.H > 0))
            {
                // BlockDriver.One for a one-block line: the special values' rules and events, and an empty sum
                RealKernels.PowAcc acc = default, total = default;
                op.Apply(part, ref acc);
                op.Merge(ref total, acc);
                ev |= op.Finish(total, ot, op2);
                continue;
            }
            // one block: the chunk and total partials are (H, L) against the reference 2^Eb, unchanged
            sh[m] = part.H; sl[m] = part.L; se[m] = 0; eb[m] = part.Eb; src[m] = (nint)xp; dst[m] = (nint)op2;
            if (++m == Group) { ev |= Store(plan, t, p, ot, sh, sl, se, eb, src, dst, m); m = 0; }
        }
        if (m > 0) ev |= Store(plan, t, p, ot, sh, sl, se, eb, src, dst, m);
        return ev;
    }

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
    {
        var op = new IntPowOp((int)p);
        long outs = plan.OuterCount;
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && outs * plan.InnerCount >= BlockDriver.ParallelThreshold) // IntPowOp's threshold (the default)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(outs, threads, (k0, count) => RangeInt(plan, (byte*)xb, p, (byte*)ob, op, k0, count));
        }
        return RangeInt(plan, x, p, o, op, 0, outs);
    }

    private static FpEvents RangeInt(ReductionPlan plan, byte* x, double p, byte* o, IntPowOp op, long first, long count)
    {
        double* buf = stackalloc double[(int)Math.Min(plan.InnerCount, DoubleBlocks.BlockElements) * 2 + 8];
        double* sh = stackalloc double[Group], sl = stackalloc double[Group];
        int* se = stackalloc int[Group], eb = stackalloc int[Group];
        nint* src = stackalloc nint[Group], dst = stackalloc nint[Group];
        int m = 0;
        var ev = FpEvents.None;
        var it = new OuterIterator(plan, x, o, first, count);
        while (it.Next(out byte* xp, out byte* op2))
        {
            // BlockDriver.One for a one-block line: one Block, one Merge into the empty total
            var blocks = new DoubleBlocks(plan, xp, DType.Float64, buf);
            ScaledSum part = default, total = default;
            op.Block(blocks.Next(), ref part);
            op.Merge(ref total, part);
            if (total.HasNaN || total.HasInf || !(total.Hi > 0))
            {
                ev |= op.Finish(total, DType.Float64, op2);
                continue;
            }
            sh[m] = total.Hi; sl[m] = total.Lo; se[m] = total.Exp; eb[m] = 0; src[m] = (nint)xp; dst[m] = (nint)op2;
            if (++m == Group) { ev |= Store(plan, DType.Float64, p, DType.Float64, sh, sl, se, eb, src, dst, m); m = 0; }
        }
        if (m > 0) ev |= Store(plan, DType.Float64, p, DType.Float64, sh, sl, se, eb, src, dst, m);
        return ev;
    }

    /// <summary>Roots and stores the first <paramref name="m"/> pending outputs (sums (sh + sl)·2^se against 2^eb).</summary>
    private static FpEvents Store(ReductionPlan plan, DType t, double p, DType ot, double* sh, double* sl, int* se, int* eb, nint* src, nint* dst, int m)
    {
        for (int i = m; i < Group; i++) { sh[i] = 1; sl[i] = 0; se[i] = 0; } // idle lanes: any valid sum
        double* rh = stackalloc double[Group], rl = stackalloc double[Group];
        int* rk = stackalloc int[Group];
        Roots(sh, sl, se, p, rh, rl, rk);
        var ev = FpEvents.None;
        double rel = Math.ScaleB(1.0, -36) / Math.Min(1.0, Math.Abs(p)); // GeneralPowOp.Finish's bound for the narrow terms
        for (int i = 0; i < m; i++)
        {
            // GeneralNorm.Root's last steps: Exp gives 0 only below −ExpLimit, beyond any sum's ln(S)/p here
            Ext r = Ext.Mul(Ext.Normalize(rh[i], rl[i], rk[i]), new Ext(1, 0, eb[i]));
            byte* d = (byte*)dst[i];
            if (ot == DType.Float64) ev |= ResultWriter.Store(ot, d, r);
            else if (!GeneralPowFast.TryStoreNarrow(r, rel, ot, d)) ev |= GeneralNorm.Reduce(plan, (byte*)src[i], t, p, ot, d);
        }
        return ev;
    }

    /// <summary>exp(ln((sh + sl)·2^se)/p) as (rh + rl)·2^rk for <see cref="Group"/> sums (sh positive and finite, as every
    /// block sum is; |se| small), the operations of <see cref="GeneralNorm.Root"/> from its ln to its exp, lane by lane.</summary>
    internal static void Roots(double* sh, double* sl, int* se, double p, double* rh, double* rl, int* rk)
    {
        if (RealKernels.Wide) Roots<Lanes512>(sh, sl, se, p, rh, rl, rk);
        else Roots<Lanes256>(sh, sl, se, p, rh, rl, rk);
    }

    private static void Roots<L>(double* sh, double* sl, int* se, double p, double* rh, double* rl, int* rk) where L : struct, ILanes<L>
    {
        const int n = Group;
        double* ah = stackalloc double[n], al = stackalloc double[n], ed = stackalloc double[n], y0 = stackalloc double[n];
        double* eh = stackalloc double[n], el = stackalloc double[n], ek = stackalloc double[n];
        // DD.Log's scalar prelude per lane: hi ∈ [√½, √2] and its exponent E, and y₀ = ln(hi) from the C library
        for (int i = 0; i < n; i++)
        {
            double hi = sh[i], lo = sl[i];
            int f = Math.ILogB(hi);
            hi = Math.ScaleB(hi, -f); lo = Math.ScaleB(lo, -f);
            long e = (long)se[i] + f;
            if (hi > 1.4142135623730951) { hi *= 0.5; lo *= 0.5; e++; }
            ah[i] = hi; al[i] = lo; ed[i] = e; y0[i] = Math.Log(hi);
            rh[i] = -y0[i]; rl[i] = 0;
        }
        // DD.Log: one Newton step on y ↦ y + m·e^(−y) − 1 from y₀, then + E·ln 2; then GeneralNorm.Root's x = ln S / p
        // as a double-double quotient (DD.Div per lane)
        Exp<L>(rh, rl, eh, el, ek);
        for (int j = 0; j < n; j += L.Count)
        {
            L hi = L.Load(ah + j), lo = L.Load(al + j), e = L.Load(ed + j), y = L.Load(y0 + j);
            L sc = Pow2(L.Load(ek + j));
            L h1 = L.Load(eh + j) * sc, l1 = L.Load(el + j) * sc; // ScaleB by ek ∈ {−1, 0, 1} of normal values: exact
            L th = DDLanes.Mul(hi, lo, h1, l1, out L tl);
            DDLanes.Add(ref th, ref tl, L.Create(-1.0), L.Zero);
            L yh = y, yl = L.Zero;
            DDLanes.Add(ref yh, ref yl, th, tl);
            L ln2Hi = L.Create(DD.Ln2Hi);
            L eh2 = e * ln2Hi;
            L ee = L.Fma(e, ln2Hi, -eh2);
            DDLanes.Add(ref yh, ref yl, eh2, ee + e * L.Create(DD.Ln2Lo));
            yh.Store(rh + j); yl.Store(rl + j);
        }
        for (int i = 0; i < n; i++) rh[i] = DD.Div(rh[i], rl[i], p, 0, out rl[i]); // the scalar quotient itself
        Exp<L>(rh, rl, rh, rl, ek);
        for (int i = 0; i < n; i++) rk[i] = (int)ek[i];
    }

    /// <summary>2^k for integer-valued k in [−1022, 1023] (the bits of 2⁵² + 1023 + k shifted into the exponent field).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L Pow2<L>(L k) where L : struct, ILanes<L> => L.ShiftLeftBits(k + L.Create(1023.0 + 4503599627370496.0), 52);

    /// <summary><see cref="DD.Exp"/> lane by lane for the <see cref="Group"/> arguments xh + xl, |xh| ≤
    /// <see cref="DD.ExpLimit"/> (its NaN and limit branches cannot be reached from a block sum): e^(xh + xl) =
    /// (oh + ol)·2^ok, the outputs possibly aliasing the inputs — <see cref="DDLanes.Exp{L}"/>, the core the scalar call
    /// runs, so each lane has its bits.</summary>
    private static void Exp<L>(double* xh, double* xl, double* oh, double* ol, double* ok) where L : struct, ILanes<L>
    {
        double* table = DD.Exp2Table;
        for (int j = 0; j < Group; j += L.Count)
        {
            L h = DDLanes.Exp(L.Load(xh + j), L.Load(xl + j), table, out L l, out L k);
            h.Store(oh + j); l.Store(ol + j); k.Store(ok + j);
        }
    }
}
