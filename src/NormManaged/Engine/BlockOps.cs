using System.Runtime.CompilerServices;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>One norm as a block operator: blocks of widened doubles accumulate into a partial, partials
/// merge in index order, and the final partial is rounded into the output. The driver
/// (<see cref="BlockDriver"/>) groups blocks into fixed chunks, so the same partials merge in the same
/// order whatever the thread count.</summary>
internal unsafe interface IBlockOp<TAcc> where TAcc : struct
{
    void Block(ReadOnlySpan<double> b, ref TAcc acc);
    void Merge(ref TAcc total, in TAcc part);
    FpEvents Finish(in TAcc acc, DType ot, byte* dst);

    /// <summary>Total elements from which <see cref="BlockDriver"/> spreads many outputs over threads: ops whose
    /// terms cost several nanoseconds pay for a worker hand-off much sooner than the memory-speed ones.</summary>
    static virtual long ParallelElements => BlockDriver.ParallelThreshold;

    /// <summary>True when <see cref="Block"/>(b, ref acc) is bit for bit <see cref="Merge"/>(ref acc, the block
    /// alone onto an empty accumulator) — the block's result does not depend on what was accumulated before (one
    /// <see cref="ScaledSum.Add(int, double, double)"/> of a value computed from the block alone, or NaN/∞ flags; or an
    /// exact maximum). Then one vector's blocks may be computed on any thread and replayed in order
    /// (<see cref="BlockDriver"/>'s balanced split), so it is split by blocks instead of whole chunks.</summary>
    static virtual bool BlocksStandAlone => false;

    /// <summary>True when <see cref="BlockStrided"/> reads float64 blocks every second or third double in place
    /// (<see cref="DoubleBlocks.Feed{TOp, TAcc}"/> then hands it those blocks uncopied).</summary>
    static virtual bool FusesStrided => false;

    /// <summary>The block of <paramref name="n"/> doubles every <paramref name="step"/> doubles from
    /// <paramref name="x"/>, with the bits of <see cref="Block"/> over them copied out; <paramref name="last"/>: no
    /// element of the run follows (nothing may be read past the block's end); <paramref name="buf"/> holds n doubles.</summary>
    void BlockStrided(double* x, int step, int n, bool last, double* buf, ref TAcc acc)
    {
        Gather.Run(DType.Float64, (byte*)x, 8L * step, n, buf);
        Block(new ReadOnlySpan<double>(buf, n), ref acc);
    }
}

/// <summary>Σ|x|², then √ (the 2-norm; complex parts are just more doubles).</summary>
internal readonly unsafe struct SumSquaresOp : IBlockOp<ScaledSum>
{
    /// <summary><see cref="SumSquares.AddBlock"/> adds one block sum (its own scale and offset) or sets flags.</summary>
    public static bool BlocksStandAlone => true;
    public void Block(ReadOnlySpan<double> b, ref ScaledSum acc) => SumSquares.AddBlock(b, ref acc);
    /// <summary>x[::2] and x[::3] of float64 are summed in place (<see cref="SumSquares.AddStrided"/>).</summary>
    public static bool FusesStrided => true;
    public void BlockStrided(double* x, int step, int n, bool last, double* buf, ref ScaledSum acc)
        => SumSquares.AddStrided(x, step, n, last, buf, ref acc);
    public void Merge(ref ScaledSum total, in ScaledSum part) => total.Add(part);
    public FpEvents Finish(in ScaledSum acc, DType ot, byte* dst)
    {
        SumSquares.Sqrt(acc, out double r, out double c, out int k);
        return ResultWriter.Store(ot, dst, r, c, k);
    }
}

/// <summary>Σx², then √, for narrow source types (see <see cref="RealKernels.AddNarrowSquares"/>).</summary>
internal readonly unsafe struct NarrowSquaresOp : IBlockOp<ScaledSum>
{
    public void Block(ReadOnlySpan<double> b, ref ScaledSum acc) => RealKernels.AddNarrowSquares(b, ref acc);
    public void Merge(ref ScaledSum total, in ScaledSum part) => total.Add(part);
    public FpEvents Finish(in ScaledSum acc, DType ot, byte* dst) => default(SumSquaresOp).Finish(acc, ot, dst);
}

/// <summary>max |x| (p = +∞), min |x| (p = −∞) or the nonzero count (p = 0) of reals.</summary>
internal readonly unsafe struct StatsOp : IBlockOp<RealKernels.Stats>
{
    private readonly double _p;
    public StatsOp(double p) => _p = p;
    public void Block(ReadOnlySpan<double> b, ref RealKernels.Stats acc) => RealKernels.AddStats(b, ref acc);
    public void Merge(ref RealKernels.Stats total, in RealKernels.Stats part)
    {
        if (!part.Any) return;
        if (!total.Any) { total = part; return; }
        total.Max = Math.Max(total.Max, part.Max);
        total.Min = Math.Min(total.Min, part.Min);
        total.NonZero += part.NonZero;
        total.NaN |= part.NaN;
    }
    public FpEvents Finish(in RealKernels.Stats st, DType ot, byte* dst)
    {
        double v = _p == 0 ? st.NonZero : st.NaN ? double.NaN : !st.Any ? 0 : _p > 0 ? st.Max : st.Min;
        return ResultWriter.Store(ot, dst, v, 0, 0);
    }
}

/// <summary>Σ|x| (p = 1) or Σ|x|^p for integer 3 ≤ p ≤ 64 of reals, then the root.</summary>
internal readonly unsafe struct IntPowOp : IBlockOp<ScaledSum>
{
    /// <summary><see cref="RealKernels.AddAbsSum"/> / <see cref="RealKernels.AddIntPowSum"/> add one block sum or set flags.</summary>
    public static bool BlocksStandAlone => true;
    private readonly int _p;
    public IntPowOp(int p) => _p = p;
    public void Block(ReadOnlySpan<double> b, ref ScaledSum acc)
    {
        if (_p == 1) RealKernels.AddAbsSum(b, ref acc);
        else RealKernels.AddIntPowSum(b, _p, ref acc);
    }
    public void Merge(ref ScaledSum total, in ScaledSum part) => total.Add(part);
    public FpEvents Finish(in ScaledSum acc, DType ot, byte* dst)
    {
        if (acc.HasNaN) return ResultWriter.Store(ot, dst, double.NaN, 0, 0);
        if (acc.HasInf) return ResultWriter.Store(ot, dst, double.PositiveInfinity, 0, 0);
        return ResultWriter.Store(ot, dst, Value(acc));
    }

    private Ext Value(in ScaledSum acc)
        => _p == 1 ? Ext.Normalize(acc.Hi, acc.Lo, acc.Exp) : GeneralNorm.Root(acc.Hi, acc.Lo, acc.Exp, _p, new Ext(1, 0, 0));

    /// <summary><see cref="Finish(in ScaledSum, DType, byte*)"/> with the output's line at hand: a norm within
    /// <see cref="RealPowOp.TieMargin"/> of a rounding midpoint of the result is decided exactly
    /// (<see cref="RealPowOp.StoreDecided"/>), so these norms are correctly rounded without exception — except the
    /// float64-result 1-norm, which the many-output kernels (rows, columns, slabs, runs) store from their own
    /// double-double sums with the same bits as <see cref="Finish(in ScaledSum, DType, byte*)"/>: deciding it here
    /// alone would make the paths disagree (a sum of a few doubles is exactly a midpoint about half the time, so
    /// those kernels cannot afford the check).</summary>
    public FpEvents FinishExact(in ScaledSum acc, DType ot, byte* dst, in BlockLine line)
    {
        if (acc.HasNaN || acc.HasInf || (_p == 1 && ot == DType.Float64)) return Finish(acc, ot, dst);
        return RealPowOp.StoreDecided(Value(acc), _p, ot, dst, line);
    }
}

/// <summary>Σ|x|^p for the real p that <see cref="RealKernels.HandlesRealP"/> accepts, then the root.</summary>
internal readonly unsafe struct RealPowOp : IBlockOp<RealKernels.PowAcc>
{
    private readonly double _p;
    public RealPowOp(double p) => _p = p;
    /// <summary>1–2 ns a term (roots, reciprocals, ln/exp): 32768 terms are tens of µs.</summary>
    public static long ParallelElements => 1L << 15;
    public void Block(ReadOnlySpan<double> b, ref RealKernels.PowAcc acc) => RealKernels.AddRealPowSum(b, _p, ref acc);
    public void Merge(ref RealKernels.PowAcc total, in RealKernels.PowAcc part)
    {
        total.HasNaN |= part.HasNaN; total.HasInf |= part.HasInf; total.HasZero |= part.HasZero;
        if (part.Any) total.Add(part.Ref, part.Hi, part.Lo, _p);
    }
    public FpEvents Finish(in RealKernels.PowAcc acc, DType ot, byte* dst)
    {
        var ev = acc.HasZero ? FpEvents.DivideByZero : FpEvents.None; // p < 0 with a zero element
        if (acc.HasNaN) return ev | ResultWriter.Store(ot, dst, double.NaN, 0, 0);
        if (acc.HasZero) return ev | ResultWriter.Store(ot, dst, 0, 0, 0);
        if (acc.HasInf) return ResultWriter.Store(ot, dst, double.PositiveInfinity, 0, 0);
        if (!acc.Any)
            return _p > 0 ? ResultWriter.Store(ot, dst, 0, 0, 0)
                          : ResultWriter.Store(ot, dst, double.PositiveInfinity, 0, 0) | FpEvents.ScalarPower;
        return ResultWriter.Store(ot, dst, GeneralNorm.Root(acc.Hi, acc.Lo, 0, _p, acc.Ref));
    }

    /// <summary>Relative distance from a rounding midpoint below which Σ|x|^p (within 2⁻⁷² of exact, hence the norm within 2⁻⁷¹: the
    /// root divides the sum's relative error by |p| ≥ ½) do not decide the rounding; 2⁻⁶⁸ keeps
    /// a factor of 8 over that bound. About one float64 result in 2¹⁴ of random data comes this close.</summary>
    internal const double TieMargin = 1.0 / (1L << 34) / (1L << 34); // 2⁻⁶⁸

    /// <summary><see cref="Finish(in RealKernels.PowAcc, DType, byte*)"/> with the output's line at hand: a whole or
    /// half-integer order whose double-double norm lies within <see cref="TieMargin"/> of a rounding midpoint of the
    /// result is decided exactly (<see cref="StoreDecided"/>), so these norms are correctly rounded without exception,
    /// on every path that ends here.</summary>
    public FpEvents Finish(in RealKernels.PowAcc acc, DType ot, byte* dst, in BlockLine line)
    {
        if (!PowerTie.Handles(_p) || acc.HasNaN || acc.HasZero || acc.HasInf || !acc.Any) return Finish(acc, ot, dst);
        return StoreDecided(GeneralNorm.Root(acc.Hi, acc.Lo, 0, _p, acc.Ref), _p, ot, dst, line);
    }

    /// <summary>Stores v, a finite p-norm (p accepted by <see cref="PowerTie.Handles"/>) within 2⁻⁷¹ of the exact one,
    /// rounded once; when v lies within <see cref="TieMargin"/> of a rounding midpoint m of <paramref name="ot"/>, the
    /// side of m is decided exactly from the line (<see cref="PowerTie"/>: m itself when the norm is exactly m, ties to
    /// even). The result is then the correctly rounded norm, which is unique: every path that ends here agrees.</summary>
    internal static FpEvents StoreDecided(in Ext v, double p, DType ot, byte* dst, in BlockLine line)
    {
        if (!Midpoint.Near(v, ot, TieMargin, out Midpoint m)) return ResultWriter.Store(ot, dst, v);
        int side = p == 1 ? line.SumSide(m) : new PowerTie(p, m).Compare(line.Walk);
        return ResultWriter.Store(ot, dst, m.Neighbour(side), 0, m.Exp + 1);
    }
}

/// <summary>One output's line of a <see cref="BlockDriver"/> reduction, walked again element by element (widened to
/// double) by the rare exact finishes.</summary>
internal readonly unsafe struct BlockLine
{
    private readonly ReductionPlan _plan;
    private readonly nint _x;
    private readonly DType _t;

    public BlockLine(ReductionPlan plan, byte* x, DType t) { _plan = plan; _x = (nint)x; _t = t; }

    /// <summary>sign(Σ|xᵢ| − m) over the line, exactly: a 1-D float line is read in place (<see cref="PowerTie.SumSign(byte*, long, long, DType, in Midpoint)"/>,
    /// no allocation: exact midpoints are common for sums of a few numbers), others through <see cref="Walk"/>.</summary>
    public int SumSide(in Midpoint m)
        => (_plan.InnerShape.Length == 1 ? PowerTie.SumSign((byte*)_x + _plan.InnerBaseOffset, _plan.InnerCount, _plan.InnerStrides[0], _t, m) : null)
           ?? new PowerTie(1, m).Compare(Walk);

    /// <summary>Calls <paramref name="element"/> with every element of the line, in index order.</summary>
    public void Walk(Action<double> element)
    {
        double* buf = stackalloc double[2 * DoubleBlocks.BlockElements];
        var blocks = new DoubleBlocks(_plan, (byte*)_x, _t, buf);
        ReadOnlySpan<double> b;
        while (!(b = blocks.Next()).IsEmpty)
            foreach (double v in b) element(v);
    }
}

/// <summary>Partial of <see cref="ComplexAbsOp"/>.</summary>
internal struct ComplexAcc
{
    public ScaledSum Sum;
    public Ext Max;
    public bool NaN;
}

/// <summary>Σ|z| (p = 1) or max |z| (p = +∞) of complex64/complex128.</summary>
internal readonly unsafe struct ComplexAbsOp : IBlockOp<ComplexAcc>
{
    private readonly bool _sum;
    public ComplexAbsOp(bool sum) => _sum = sum;
    public void Block(ReadOnlySpan<double> b, ref ComplexAcc acc) => ComplexKernels.AddBlock(b, _sum, ref acc.Sum, ref acc.Max, ref acc.NaN);
    public void Merge(ref ComplexAcc total, in ComplexAcc part)
    {
        total.NaN |= part.NaN;
        total.Sum.Add(part.Sum);
        if (part.Max.IsInf || (!total.Max.IsInf && !part.Max.IsZero && (total.Max.IsZero || Ext.Compare(part.Max, total.Max) > 0)))
            total.Max = part.Max;
    }
    public FpEvents Finish(in ComplexAcc acc, DType ot, byte* dst)
    {
        if (acc.NaN) return ResultWriter.Store(ot, dst, double.NaN, 0, 0);
        if (_sum)
        {
            if (acc.Sum.HasInf) return ResultWriter.Store(ot, dst, double.PositiveInfinity, 0, 0);
            return ResultWriter.Store(ot, dst, Ext.Normalize(acc.Sum.Hi, acc.Sum.Lo, acc.Sum.Exp));
        }
        return ResultWriter.Store(ot, dst, acc.Max);
    }
}

/// <summary>Complex p-norms for p = 0.5, 2.5, 3, 4 (otherwise the per-element extended path of
/// <see cref="GeneralNorm"/>): each output's blocks go through <see cref="ComplexOffsetSum"/> in index order; a block
/// that refuses it (a guess that did not fit, tiny or huge values) is summed per element from an accurate hypot and
/// double-double powers (exp/log for half-integers) into the same exponent-carrying sum; the total is rooted and
/// rounded once (a complex64 result next to a float32 midpoint decided from the line: <see cref="GeneralNorm.StoreDecided"/>). An output holding NaN or ∞ is computed by <see cref="GeneralNorm.Reduce"/> (numpy's special-value
/// rules). Every choice depends only on the output's data, and blocks merge in the block driver's fixed chunks
/// (threads over chunks for one large output), so the result does not depend on threads.</summary>
internal static unsafe class ComplexPowNorm
{
    public static bool Applies(DType t, double p) => DTypes.IsComplex(t) && t != DType.CLongDouble && p is 3 or 4 or 0.5 or 2.5;

    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot)
    {
        long n = plan.InnerCount;
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && plan.OuterCount == 1 && plan.InnerShape.Length == 1 && n > BlockDriver.ChunkElements
            && n >= BlockDriver.ParallelThreshold)
        {
            // the block driver's fixed chunks: partials merge in chunk order, as in the serial walk below
            byte* start = x + plan.InnerBaseOffset;
            long stride = plan.InnerStrides[0];
            int chunks = (int)((n + BlockDriver.ChunkElements - 1) / BlockDriver.ChunkElements);
            var parts = new ScaledSum[chunks];
            var ok = new bool[chunks];
            nint basePtr = (nint)start;
            Parallelism.For(chunks, threads, c =>
            {
                double* cb = stackalloc double[2 * DoubleBlocks.BlockElements];
                long first = c * BlockDriver.ChunkElements;
                var sub = ReductionPlan.Run(Math.Min(BlockDriver.ChunkElements, n - first), stride);
                var blocks = new DoubleBlocks(sub, (byte*)basePtr + first * stride, t, cb);
                ok[c] = SumBlocks(ref blocks, p, int.MaxValue, out parts[c], out _);
            });
            ScaledSum total = default;
            bool all = true;
            for (int c = 0; c < chunks; c++) { all &= ok[c]; total.Add(parts[c]); }
            return all ? GeneralNorm.StoreDecided(plan, x, t, p, ot, o, GeneralNorm.Root(total.Hi, total.Lo, total.Exp, p, new Ext(1, 0, 0)))
                       : GeneralNorm.Reduce(plan, x, t, p, ot, o);
        }
        if (threads > 1 && plan.OuterCount == 1 && plan.InnerShape.Length == 1 && n >= MinParallelElements)
            return ParallelBlocks(plan, x, t, p, o, ot, threads);
        var ev = FpEvents.None;
        double* buf = stackalloc double[(int)Math.Min(n, DoubleBlocks.BlockElements) * 2 + 8];
        var it = new OuterIterator(plan, x, o);
        while (it.Next(out byte* xp, out byte* op))
        {
            if (n >= ComplexOffsetSum.MinLength && TrySum(plan, xp, t, p, buf, out ScaledSum acc))
                ev |= GeneralNorm.StoreDecided(plan, xp, t, p, ot, op, GeneralNorm.Root(acc.Hi, acc.Lo, acc.Exp, p, new Ext(1, 0, 0)));
            else
                ev |= GeneralNorm.Reduce(plan, xp, t, p, ot, op);
        }
        return ev;
    }

    /// <summary>One 1-D output from this many elements on computes its blocks on the workers (below the driver's
    /// parallel threshold a vector is otherwise one thread's work).</summary>
    private const long MinParallelElements = 4L * DoubleBlocks.BlockElements;

    /// <summary>The serial walk of <see cref="TrySum"/> with the one-pass kernel of every block run on any worker:
    /// the blocks are then added in index order into chunks of <see cref="BlockDriver.BlocksPerChunk"/> merged in
    /// order (a block the kernel refused is summed per element at its turn), the serial walk's additions, so the
    /// bits do not depend on the thread count.</summary>
    private static FpEvents ParallelBlocks(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot, int threads)
    {
        var sums = DoubleBlocks.MapBlocks(plan, x, t, threads,
            b => ComplexOffsetSum.TryAdd(p, b, out double h, out double l) ? (Fast: true, H: h, L: l) : default);
        long n = plan.InnerCount, stride = plan.InnerStrides[0];
        double* buf = stackalloc double[2 * DoubleBlocks.BlockElements];
        ScaledSum total = default, part = default;
        for (int k = 0; k < sums.Length; k++)
        {
            if (sums[k].Fast) part.Add(0, sums[k].H, sums[k].L);
            else if (!SlowBlock(DoubleBlocks.Block(x + plan.InnerBaseOffset, n, stride, t, k, buf), p, ref part))
                return GeneralNorm.Reduce(plan, x, t, p, ot, o);
            if ((k + 1) % BlockDriver.BlocksPerChunk == 0 || k == sums.Length - 1) { total.Add(part); part = default; }
        }
        return GeneralNorm.StoreDecided(plan, x, t, p, ot, o, GeneralNorm.Root(total.Hi, total.Lo, total.Exp, p, new Ext(1, 0, 0)));
    }

    internal static bool TrySum(ReductionPlan plan, byte* xp, DType t, double p, double* buf, out ScaledSum acc)
    {
        var blocks = new DoubleBlocks(plan, xp, t, buf);
        acc = default;
        int used;
        do
        {
            // chunks of the block driver's size, merged in order (the parallel split above gives the same bits)
            if (!SumBlocks(ref blocks, p, BlockDriver.BlocksPerChunk, out ScaledSum part, out used)) return false;
            acc.Add(part);
        } while (used == BlockDriver.BlocksPerChunk);
        return true;
    }

    /// <summary>Sums up to <paramref name="maxBlocks"/> blocks into <paramref name="part"/>; false at a NaN or ∞.</summary>
    private static bool SumBlocks(ref DoubleBlocks blocks, double p, int maxBlocks, out ScaledSum part, out int used)
    {
        part = default;
        for (used = 0; used < maxBlocks; used++)
        {
            var b = blocks.Next();
            if (b.IsEmpty) break;
            if (ComplexOffsetSum.TryAdd(p, b, out double h, out double l)) part.Add(0, h, l);
            else if (!SlowBlock(b, p, ref part)) return false;
        }
        return true;
    }

    /// <summary>Σ|z|^p of a block per element (false at the first NaN or ∞).</summary>
    private static bool SlowBlock(ReadOnlySpan<double> b, double p, ref ScaledSum acc)
    {
        int ip = p is 3 or 4 ? (int)p : 0;
        for (int i = 0; i + 1 < b.Length; i += 2)
        {
            Ext a = Ext.Hypot(Ext.FromDouble(b[i]), Ext.FromDouble(b[i + 1]));
            if (!a.IsFiniteNonZero)
            {
                if (a.IsZero) continue;
                return false;
            }
            if (ip > 0)
            {
                double h = GeneralNorm.PowInt(a.H, a.L, ip, out double l);
                acc.Add(a.E * ip, h, l);
            }
            else
            {
                double lh = DD.Log(a.H, a.L, a.E, out double ll);
                double xh = DD.Mul(lh, ll, p, 0, out double xl);
                double th = DD.Exp(xh, xl, out double tl, out int k);
                acc.Add(k, th, tl);
            }
        }
        return true;
    }
}

/// <summary>Runs a block operator over every output of a plan: blocks of
/// <see cref="DoubleBlocks.BlockElements"/> elements are grouped into chunks of
/// <see cref="BlocksPerChunk"/> blocks whose partials merge in index order. Large single reductions
/// spread their chunks over threads, many-output reductions spread their outputs; either way every
/// output sees the same partials merged in the same order, so results are bit-identical for every
/// thread count.</summary>
internal static unsafe class BlockDriver
{
    /// <summary>Blocks per chunk (the unit of parallel work in a single reduction).</summary>
    public const int BlocksPerChunk = 64;
    /// <summary>Elements per chunk.</summary>
    public const long ChunkElements = (long)BlocksPerChunk * DoubleBlocks.BlockElements;
    /// <summary>Total elements below which a call stays on the calling thread: 96 Ki since the library's own worker
    /// pool (<see cref="Workers"/>) made the hand-off ~1–3 µs (2¹⁸ before, set against Parallel.For's 18–60 µs). A/B of
    /// the two settings on a quiet machine, 400 cells of the floor sweep: the (40,50,60) axes (120 000 elements) 18–27 %
    /// faster at every dtype, while 2¹⁶ made (64,1000) columns (64 000 elements, 5–40 µs calls) 17 % slower — so the
    /// line sits between. Single-vector splits keep their own chunk sizes, so 1-D calls are unchanged.</summary>
    public const long ParallelThreshold = 3L << 15;

    /// <summary>One vector of an op whose blocks stand alone (<see cref="IBlockOp{TAcc}.BlocksStandAlone"/>) is split
    /// over threads from this many elements (16 blocks), by blocks (<see cref="Balanced"/>): the chunk split started
    /// above one chunk (2¹⁸) and gave 3e5 elements a 7:1 split, so a float64 2-norm of 1e5 ran on one thread
    /// (0.82× NumPy, whose ddot uses both cores) and 3e5 on about one (0.59×). Not lower: a 5e4 2-norm takes ~7 µs
    /// on one thread, and on the loaded machine 8 blocks measured 7.1 → 8.1 µs at 2 threads (a worker that claims a
    /// range and loses its core makes the caller wait).</summary>
    public const long VectorSplitElements = 16L * DoubleBlocks.BlockElements;

    public static FpEvents Run<TOp, TAcc>(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, TOp op)
        where TOp : struct, IBlockOp<TAcc> where TAcc : struct
    {
        long outer = plan.OuterCount, inner = plan.InnerCount;
        int threads = Parallelism.MaxThreads;
        if (outer == 0) return FpEvents.None;
        if (typeof(TOp) == typeof(NarrowSquaresOp) && t == DType.Float16 && ot == DType.Float16 && outer == 1
            && plan.InnerShape.Length == 1 && plan.InnerStrides[0] == 2
            && FloatFastPath.TryRunHalf((Half*)(x + plan.InnerBaseOffset), inner, o))
            return FpEvents.None; // provably the correctly rounded half, i.e. this driver's bits
        if (threads > 1 && outer == 1 && TOp.BlocksStandAlone && plan.InnerShape.Length == 1 && inner >= VectorSplitElements)
            return Balanced<TOp, TAcc>(plan, x + plan.InnerBaseOffset, t, o, ot, op, threads);
        if (threads > 1 && outer * inner >= (outer >= 2 ? TOp.ParallelElements : ParallelThreshold))
        {
            if (outer == 1 && plan.InnerShape.Length == 1 && inner > ChunkElements)
                return ParallelChunks<TOp, TAcc>(plan, x + plan.InnerBaseOffset, t, o, ot, op, threads);
            if (outer >= 2)
                return ParallelOutputs<TOp, TAcc>(plan, x, t, o, ot, op, threads);
        }
        // A small reduction needs only a small widening buffer (and touches fewer stack pages).
        int bufLen = (int)Math.Min(inner, DoubleBlocks.BlockElements) * 2 + 8;
        double* buf = stackalloc double[bufLen];
        var ev = FpEvents.None;
        var it = new OuterIterator(plan, x, o);
        while (it.Next(out byte* xp, out byte* op2))
            ev |= One<TOp, TAcc>(plan, xp, t, op2, ot, op, buf);
        return ev;
    }

    /// <summary>One output's blocks (the line of <paramref name="plan"/> at <paramref name="xp"/>) on the calling thread;
    /// <paramref name="buf"/> holds 2·min(inner, <see cref="DoubleBlocks.BlockElements"/>) + 8 doubles.</summary>
    internal static FpEvents One<TOp, TAcc>(ReductionPlan plan, byte* xp, DType t, byte* dst, DType ot, TOp op, double* buf)
        where TOp : struct, IBlockOp<TAcc> where TAcc : struct
    {
        var blocks = new DoubleBlocks(plan, xp, t, buf);
        TAcc total = default, part = default;
        int nb = 0;
        while (blocks.Feed(op, ref part))
            if (++nb == BlocksPerChunk) { op.Merge(ref total, part); part = default; nb = 0; }
        if (nb > 0) op.Merge(ref total, part);
        return Finish(ref op, ref total, ot, dst, new BlockLine(plan, xp, t));
    }

    /// <summary>The op's finish; the ops whose rare exact finish re-reads the line get it (a compile-time choice per op).</summary>
    private static FpEvents Finish<TOp, TAcc>(ref TOp op, ref TAcc acc, DType ot, byte* dst, in BlockLine line)
        where TOp : struct, IBlockOp<TAcc> where TAcc : struct
    {
        if (typeof(TOp) == typeof(RealPowOp))
            return Unsafe.As<TOp, RealPowOp>(ref op).Finish(Unsafe.As<TAcc, RealKernels.PowAcc>(ref acc), ot, dst, line);
        if (typeof(TOp) == typeof(IntPowOp))
            return Unsafe.As<TOp, IntPowOp>(ref op).FinishExact(Unsafe.As<TAcc, ScaledSum>(ref acc), ot, dst, line);
        return op.Finish(acc, ot, dst);
    }

    private static FpEvents ParallelChunks<TOp, TAcc>(ReductionPlan plan, byte* start, DType t, byte* o, DType ot, TOp op, int threads)
        where TOp : struct, IBlockOp<TAcc> where TAcc : struct
    {
        long n = plan.InnerCount, stride = plan.InnerStrides[0];
        int chunks = (int)((n + ChunkElements - 1) / ChunkElements);
        var parts = new TAcc[chunks];
        nint basePtr = (nint)start;
        Parallelism.For(chunks, threads, c =>
        {
            double* buf = stackalloc double[2 * DoubleBlocks.BlockElements];
            long first = c * ChunkElements;
            long len = Math.Min(ChunkElements, n - first);
            var sub = ReductionPlan.Run(len, stride);
            var blocks = new DoubleBlocks(sub, (byte*)basePtr + first * stride, t, buf);
            TAcc part = default;
            while (blocks.Feed(op, ref part)) { }
            parts[c] = part;
        });
        TAcc total = default;
        for (int c = 0; c < chunks; c++) op.Merge(ref total, parts[c]);
        return Finish(ref op, ref total, ot, o, new BlockLine(ReductionPlan.Run(n, stride), start, t));
    }

    /// <summary>One 1-D reduction split evenly by blocks over the threads, with the bits of the serial walk
    /// (<see cref="One{TOp, TAcc}"/>): the same block grid and chunk grid. Each thread takes a fixed range of
    /// blocks; a chunk inside one range is accumulated there exactly as the serial walk does; a chunk cut by a
    /// range boundary keeps each block's accumulator alone (the op's block onto an empty one), and those are merged
    /// into the chunk's part in block order — the serial operations, because the op's blocks stand alone
    /// (<see cref="IBlockOp{TAcc}.BlocksStandAlone"/>). Chunks then merge in order. The ranges depend on the thread
    /// count, the result does not. Long strided vectors (<c>x[::3]</c> of 1e6 is 1.27 chunks: a chunk split gave one
    /// thread 79 % of the work) take it too.</summary>
    private static FpEvents Balanced<TOp, TAcc>(ReductionPlan plan, byte* start, DType t, byte* o, DType ot, TOp op, int threads)
        where TOp : struct, IBlockOp<TAcc> where TAcc : struct
    {
        long n = plan.InnerCount, stride = plan.InnerStrides[0];
        long blocks = (n + DoubleBlocks.BlockElements - 1) / DoubleBlocks.BlockElements;
        int chunks = (int)((blocks + BlocksPerChunk - 1) / BlocksPerChunk);
        int ranges = (int)Math.Min(threads, blocks);
        var parts = new TAcc[chunks];
        TAcc[]?[] perBlock = new TAcc[]?[chunks];
        for (int r = 1; r < ranges; r++)
        {
            long b = blocks * r / ranges;
            if (b % BlocksPerChunk != 0) perBlock[b / BlocksPerChunk] ??= new TAcc[BlocksPerChunk];
        }
        nint sp = (nint)start;
        Parallelism.For(ranges, ranges, r =>
        {
            double* buf = stackalloc double[2 * DoubleBlocks.BlockElements];
            long b0 = blocks * r / ranges, b1 = blocks * (r + 1) / ranges;
            long first = b0 * DoubleBlocks.BlockElements, len = Math.Min(n, b1 * DoubleBlocks.BlockElements) - first;
            var walk = new DoubleBlocks(ReductionPlan.Run(len, stride), (byte*)sp + first * stride, t, buf);
            for (long k = b0; k < b1; k++)
            {
                long c = k / BlocksPerChunk;
                var cut = perBlock[c];
                if (cut != null)
                {
                    TAcc one = default;
                    walk.Feed(op, ref one);
                    cut[k - c * BlocksPerChunk] = one;
                }
                else walk.Feed(op, ref parts[c]);
            }
        });
        TAcc total = default;
        for (int c = 0; c < chunks; c++)
        {
            var cut = perBlock[c];
            if (cut != null)
            {
                TAcc part = default;
                long inChunk = Math.Min(BlocksPerChunk, blocks - (long)c * BlocksPerChunk);
                for (int k = 0; k < inChunk; k++) op.Merge(ref part, cut[k]);
                op.Merge(ref total, part);
            }
            else op.Merge(ref total, parts[c]);
        }
        return Finish(ref op, ref total, ot, o, new BlockLine(ReductionPlan.Run(n, stride), start, t));
    }

    private static FpEvents ParallelOutputs<TOp, TAcc>(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, TOp op, int threads)
        where TOp : struct, IBlockOp<TAcc> where TAcc : struct
    {
        nint xb = (nint)x, ob = (nint)o;
        return Parallelism.ForOutputRanges(plan.OuterCount, threads, (lo, n) =>
        {
            double* buf = stackalloc double[2 * DoubleBlocks.BlockElements];
            var it = new OuterIterator(plan, (byte*)xb, (byte*)ob, lo, n);
            var ev = FpEvents.None;
            while (it.Next(out byte* xp, out byte* dst))
                ev |= One<TOp, TAcc>(plan, xp, t, dst, ot, op, buf);
            return ev;
        });
    }
}
