using System.Runtime.CompilerServices;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Vector p-norms for a general order p (no dedicated kernel: not 0, ±1, 2, ±∞, a real half-integer up to
/// 64.5, or a complex order with its own kernel) of float64, float32, float16, integer and complex64/complex128
/// inputs, through the block driver: per block of <see cref="DoubleBlocks.BlockElements"/> elements exact statistics
/// (NaN, ∞, zeros, the reference magnitude), then one vectorised pass of terms (|x|/2ᵉᵇ)^p (2ᵉᵇ above the block's
/// largest magnitude for p &gt; 0, at its smallest for p &lt; 0: no overflow or underflow) — by
/// <see cref="TablePowSum"/> for float64/complex128 results with |p| ≥ <see cref="TablePowSum.MinAbsP"/> (complex:
/// |p| ≤ <see cref="TablePowSum.MaxAbsComplexP"/>), else by <see cref="VecLogExp"/> —, blocks merged as
/// <see cref="RealPowOp"/> merges them. Special values follow
/// <see cref="GeneralNorm"/>: NaN propagates (|complex(∞, NaN)| = ∞), ∞ dominates for p &gt; 0 and contributes 0 for
/// p &lt; 0, a zero makes a negative-order norm 0 with a divide-by-zero event, empty gives 0 or ∞.
///
/// Accuracy: each term is within ~2⁻⁵⁶·⁵ + |p|·2⁻⁵⁷·⁵ of itself (<see cref="TablePowSum"/>; ~2⁻⁵⁸ + |p|·2⁻⁶⁰ by
/// <see cref="VecLogExp"/>), the sum is compensated and the root S^(1/p) is double-double, so the float64 result is
/// within ~2⁻⁵⁴/min(1, |p|) of the norm before its one rounding (orders below <see cref="MinAbsP"/> keep the exact
/// per-element path). float32, float16 and complex64
/// inputs use the plain-double terms (error ≲ 2⁻⁴⁴(1 + |p|), so the result is within ~2⁻⁴²/min(1, |p|)), and their
/// float32/float16 result is stored only when the interval r(1 ± 2⁻³⁶/min(1, |p|)) — 2⁶ times that estimate — holds
/// no midpoint of the format, i.e. when it is provably the correctly rounded value that <see cref="GeneralNorm"/> gives; otherwise
/// (and for subnormal or overflowing results) that output is recomputed by <see cref="GeneralNorm"/>. So narrow
/// results never depend on this path, and float64 results do not depend on the width or the thread count (fixed
/// blocks and lanes, partials merged in order).</summary>
internal static unsafe class GeneralPowFast
{
    /// <summary>Smallest |p| taken: the term error reaches the result divided by |p|.</summary>
    public const double MinAbsP = 0.125;
    /// <summary>Largest |p| taken (keeps every exponent of the vector exp in its exact range).</summary>
    public const double MaxAbsP = 1000;

    /// <summary>Largest |p| taken for a complex negative order.</summary>
    public const double MaxAbsNegativeComplexP = 640;

    /// <summary>True for the orders and dtypes this path computes.</summary>
    public static bool Applies(DType t, double p)
    {
        if (t is DType.LongDouble or DType.CLongDouble || !double.IsFinite(p)) return false;
        double a = Math.Abs(p);
        if (a < MinAbsP || a > MaxAbsP) return false;
        // the dispatch gave complex 0, ±1, −2, 2, 3, 4, 0.5, 2.5 their kernels; a negative order's block reference is
        // the smallest max(|re|, |im|), up to √2·2 below the smallest |z|, whose term (≥ 2^(1.5p)) must stay normal
        if (DTypes.IsComplex(t)) return p > 0 || a <= MaxAbsNegativeComplexP;
        return !(a <= 64.5 && 2 * a == Math.Floor(2 * a)); // real half-integers keep their double-double kernels
    }

    /// <summary>Computes every output of the plan.</summary>
    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot)
    {
        if (NarrowPowFast.Applies(plan, t, ot) && NarrowPowFast.TryRun(plan, x, t, p, o))
            return FpEvents.None; // provably the correctly rounded float32, i.e. the bits of the paths below
        var failed = ot == DType.Float64 ? null : new Failures();
        var ev = Blocks(plan, x, t, o, ot, new GeneralPowOp(p, DTypes.IsComplex(t), failed));
        if (failed is { Count: > 0 })
        {
            var it = new OuterIterator(plan, x, o);
            while (it.Next(out byte* xp, out byte* op2))
                if (failed.Contains((nint)op2)) ev |= Decide(plan, xp, t, p, ot, op2);
        }
        return ev;
    }

    /// <summary>The blocks of one output (<paramref name="plan"/> with its one outer position at <paramref name="x"/>,
    /// or any plan's line at its outer position) through <paramref name="op"/>: a long vector's blocks on the workers.</summary>
    private static FpEvents Blocks(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, GeneralPowOp op)
    {
        int threads = Parallelism.MaxThreads;
        return threads > 1 && plan.OuterCount == 1 && plan.InnerShape.Length == 1 && plan.InnerCount >= MinParallelElements
            ? ParallelBlocks(plan, x, t, o, ot, op, threads)
            : BlockDriver.Run<GeneralPowOp, RealKernels.PowAcc>(plan, x, t, o, ot, op);
    }

    /// <summary>A narrow output (float32, float16; complex64's float32) whose plain-double result lay within
    /// <see cref="NarrowRel"/> of a rounding midpoint, decided in two tiers: first the float64 path's own terms
    /// (<see cref="TablePowSum"/>, else <see cref="VecLogExp"/>'s double-double ones) and root, stored when
    /// <see cref="PreciseRel"/> proves the result correctly rounded; only the lines that closer still to a midpoint
    /// (~2⁻¹³ of those that reach here at |p| = 0.3) go on to <see cref="GeneralNorm.Reduce"/>, whose double-double terms
    /// cost ~300 ns a value. Before, every such line went there: a float32 (600, 800) column at ord 0.3 meets the
    /// plain test's interval ~1 time in 600, so a call over 400 columns spent ~180 µs on one column a call, on one
    /// thread. Same bits either way: a stored narrow result is the correctly rounded norm, which is unique.</summary>
    internal static FpEvents Decide(ReductionPlan plan, byte* x, DType t, double p, DType ot, byte* o)
    {
        var failed = new Failures();
        var op = new GeneralPowOp(p, DTypes.IsComplex(t), failed, precise: true);
        FpEvents ev;
        if (plan.OuterCount == 1) ev = Blocks(plan, x, t, o, ot, op);
        else
        {
            double* buf = stackalloc double[(int)Math.Min(plan.InnerCount, DoubleBlocks.BlockElements) * 2 + 8];
            ev = BlockDriver.One<GeneralPowOp, RealKernels.PowAcc>(plan, x, t, o, ot, op, buf);
        }
        return failed.Count == 0 ? ev : GeneralNorm.Reduce(plan, x, t, p, ot, o);
    }

    /// <summary>One 1-D output from this many elements on spreads its blocks over the workers: a term costs
    /// ~2 ns (table terms) to ~7 ns (double-double), so a vector of four blocks is 30–100 µs of work (the block
    /// driver splits only whole chunks of 64 blocks).</summary>
    private const long MinParallelElements = 4L * DoubleBlocks.BlockElements;

    /// <summary>The block driver's walk with every block computed on any worker: the blocks (the driver's grid of
    /// <see cref="DoubleBlocks.BlockElements"/> elements) are applied afterwards in index order into chunks of
    /// <see cref="BlockDriver.BlocksPerChunk"/> merged in order, exactly the serial walk's additions, so the
    /// result is the same bits for every thread count.</summary>
    private static FpEvents ParallelBlocks(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, GeneralPowOp op, int threads)
    {
        var parts = DoubleBlocks.MapBlocks(plan, x, t, threads, b => op.Compute(b));
        RealKernels.PowAcc total = default, part = default;
        for (int k = 0; k < parts.Length; k++)
        {
            op.Apply(parts[k], ref part);
            if ((k + 1) % BlockDriver.BlocksPerChunk == 0 || k == parts.Length - 1) { op.Merge(ref total, part); part = default; }
        }
        return op.Finish(total, ot, o);
    }

    /// <summary>Outputs whose narrow result could not be proven correctly rounded (written from several threads).</summary>
    internal sealed class Failures
    {
        private readonly HashSet<nint> _set = new();
        public int Count { get { lock (_set) return _set.Count; } }
        public void Add(nint p) { lock (_set) _set.Add(p); }
        public bool Contains(nint p) { lock (_set) return _set.Contains(p); }
    }

    /// <summary>The relative bound of a narrow result computed from plain-double terms, the one every store test of
    /// these paths uses: 2⁻³⁶/min(1, |p|) (2⁶ times the analysis' estimate; see the class summary).</summary>
    internal static double NarrowRel(double p) => Math.ScaleB(1.0, -36) / Math.Min(1.0, Math.Abs(p));

    /// <summary>The relative bound of a narrow result computed from the float64 path's terms (<see cref="Decide"/>):
    /// 2⁻⁴⁹/min(1, |p|). A <see cref="TablePowSum"/> term is within ~2⁻⁵⁶·⁵ + |p|·2⁻⁵⁷·⁵, a <see cref="VecLogExp"/>
    /// double-double one within ~2⁻⁵⁸ + |p|·2⁻⁶⁰, the sums are compensated and the root double-double (~2⁻⁹⁸), so the
    /// result lies within ~2⁻⁵⁵·⁵/min(1, |p|) of the norm; the test keeps 2⁶·⁵ of slack over that, as
    /// <see cref="NarrowRel"/> keeps 2⁶ over the plain terms' estimate.</summary>
    internal static double PreciseRel(double p) => Math.ScaleB(1.0, -49) / Math.Min(1.0, Math.Abs(p));

    /// <summary>A narrow result r (within <paramref name="rel"/> of the norm) stored when that decides it:
    /// <see cref="TryStoreNarrow"/> (no event), else <see cref="TryStoreOutside"/> (+∞ with the overflow event, or +0).
    /// False, with nothing stored, when neither does: the exact path decides.</summary>
    internal static bool TryStoreProven(in Ext r, double rel, DType ot, byte* dst, out FpEvents ev)
    {
        ev = FpEvents.None;
        return TryStoreNarrow(r, rel, ot, dst) || TryStoreOutside(r, rel, ot, dst, out ev);
    }

    /// <summary>A float32/float16 norm beyond its format's range: +∞ (with the overflow event) when r(1 − 2·rel) is at
    /// or past the overflow threshold (the midpoint between the largest finite value and the next power of two), +0
    /// (no event) when r(1 + 2·rel) is below half the smallest subnormal — so that the exact norm, within rel of r,
    /// rounds there; what <see cref="GeneralNorm.Reduce"/> then stores, with its events. False (nothing stored)
    /// otherwise. Narrow norms far outside their format (float16 ord 0.3 / −0.3 of 30 000 values: ∞ / 0) went to that
    /// exact per-element path: 7–9 ms against NumPy's 0.4–0.7.</summary>
    internal static bool TryStoreOutside(in Ext r, double rel, DType ot, byte* dst, out FpEvents ev)
    {
        ev = FpEvents.None;
        if (!r.IsFiniteNonZero || (ot != DType.Float32 && ot != DType.Float16)) return false;
        bool single = ot == DType.Float32;
        double v = r.E > 1100 ? double.PositiveInfinity : r.E < -1200 ? 0 : Math.ScaleB(r.H + r.L, r.E);
        if (v * (1 - 2 * rel) >= (single ? 3.4028235677973366e38 : 65520))
        {
            if (single) Unsafe.WriteUnaligned(dst, float.PositiveInfinity);
            else Unsafe.WriteUnaligned(dst, Half.PositiveInfinity);
            ev = FpEvents.Overflow;
            return true;
        }
        if (v * (1 + 2 * rel) < (single ? Math.ScaleB(1.0, -150) : Math.ScaleB(1.0, -25)))
        {
            if (single) Unsafe.WriteUnaligned(dst, 0f);
            else Unsafe.WriteUnaligned(dst, (Half)0f);
            return true;
        }
        return false;
    }

    /// <summary>Stores r as a float32/float16 if r(1 ± <paramref name="rel"/>) lies strictly between the two
    /// midpoints around the rounded value (then that value is the correctly rounded one); false otherwise, and for a
    /// zero, infinite or largest-finite result. Subnormal results are taken (their neighbours are the bit patterns ±1,
    /// as for normal ones): float16 rows of 64 at ord −0.3, whose norms lie among float16's subnormals, went to the exact
    /// per-element path line by line (9 ms against NumPy's 0.9).</summary>
    internal static bool TryStoreNarrow(in Ext r, double rel, DType ot, byte* dst)
    {
        if (!r.IsFiniteNonZero || r.E < -200 || r.E > 200) return false;
        double v = Math.ScaleB(r.H + r.L, r.E), d = v * rel;
        double lo, hi;
        if (ot == DType.Float32)
        {
            float f = (float)v;
            if (f == 0 || !float.IsFinite(f) || f == float.MaxValue) return false; // subnormals: the neighbours are still ±1 ulp
            lo = ((double)f + MathF.BitDecrement(f)) * 0.5; hi = ((double)f + MathF.BitIncrement(f)) * 0.5; // exact
            if (!(v - d > lo && v + d < hi)) return false;
            Unsafe.WriteUnaligned(dst, f);
            return true;
        }
        if (ot == DType.Float16)
        {
            Half h = (Half)v;
            if (h == Half.Zero || !Half.IsFinite(h) || h == Half.MaxValue) return false;
            short bits = BitConverter.HalfToInt16Bits(h);
            double below = (double)BitConverter.Int16BitsToHalf((short)(bits - 1)), above = (double)BitConverter.Int16BitsToHalf((short)(bits + 1));
            lo = ((double)h + below) * 0.5; hi = ((double)h + above) * 0.5;
            if (!(v - d > lo && v + d < hi)) return false;
            Unsafe.WriteUnaligned(dst, h);
            return true;
        }
        return false;
    }
}

/// <summary>The block operator of <see cref="GeneralPowFast"/>: statistics and the vectorised power sum per block,
/// merge and finish as <see cref="RealPowOp"/> (the same partial type and special-value flags).</summary>
internal readonly unsafe struct GeneralPowOp : IBlockOp<RealKernels.PowAcc>
{
    /// <summary>~2–5 ns a term: many outputs go to the workers from 16384 terms in all.</summary>
    public static long ParallelElements => 1L << 14;

    private readonly double _p;
    private readonly bool _complex;
    private readonly GeneralPowFast.Failures? _failed;
    private readonly bool _precise;

    /// <summary>Terms and store for the result dtype: float64 (<paramref name="failed"/> null) the float64 path's
    /// terms, rounded once; narrow the plain-double terms and the <see cref="GeneralPowFast.NarrowRel"/> store test,
    /// or with <paramref name="precise"/> the float64 path's terms and the <see cref="GeneralPowFast.PreciseRel"/> test
    /// (<see cref="GeneralPowFast.Decide"/>); an output the test leaves undecided goes into
    /// <paramref name="failed"/>.</summary>
    public GeneralPowOp(double p, bool complex, GeneralPowFast.Failures? failed, bool precise = false)
    {
        _p = p; _complex = complex; _failed = failed; _precise = precise;
    }

    /// <summary>What one block contributes: its special-value flags, or its power sum (h + l)·2^(eb·p) relative to the
    /// reference 2^eb. A pure function of the block, so blocks may be computed on any thread and applied in order.</summary>
    internal struct BlockPart
    {
        public bool NaN, Inf, Zero, HasSum;
        public int Eb;
        public double H, L;
    }

    public void Block(ReadOnlySpan<double> b, ref RealKernels.PowAcc acc) => Apply(Compute(b), ref acc);

    /// <summary>The block's statistics and, when it has finite nonzero terms to add, its vectorised power sum.</summary>
    internal BlockPart Compute(ReadOnlySpan<double> b)
    {
        var r = new BlockPart();
        if (b.IsEmpty) return r;
        double mx, mn;
        bool nan, inf, zero;
        if (_complex) VecLogExp.ComplexStats(b, out mx, out mn, out nan, out inf, out zero);
        else
        {
            var st = new RealKernels.Stats();
            RealKernels.AddStats(b, ref st);
            nan = st.NaN; zero = st.NonZero < b.Length;
            mx = st.Max; mn = st.Min; inf = double.IsInfinity(mx);
        }
        bool neg = _p < 0;
        if (nan)
        {
            // NaN wins the value, but a zero met by a negative order still divides by zero (numpy warns)
            r.NaN = true;
            r.Zero = neg && zero;
            return r;
        }
        int eb;
        if (neg)
        {
            if (zero) { r.Zero = true; return r; }
            if (double.IsInfinity(mn)) return r; // only infinities: they contribute 0
            eb = Math.ILogB(mn);
        }
        else
        {
            if (inf) { r.Inf = true; return r; }
            if (mx == 0) return r;
            eb = Math.ILogB(mx) + 1;
        }
        bool lite = _failed is not null && !_precise;
        if (!lite && TablePowSum.Applies(_complex, _p))
        {
            // zeros (p > 0), infinities (p < 0), real subnormals and terms that may fall below 2⁻¹⁰²² need the mask
            bool masked = zero || inf || !TablePowSum.InRange(_complex, _p, mn, mx);
            TablePowSum.Sum(b, _complex, _p, eb, neg ? mn : mx, masked, masked ? 0 : Math.ILogB(mx) - Math.ILogB(mn), out r.H, out r.L);
        }
        else VecLogExp.PowSum(b, _complex, _p, eb, lite, out r.H, out r.L);
        r.Eb = eb;
        r.HasSum = true;
        return r;
    }

    /// <summary>Adds a block's contribution to a chunk's partial (what <see cref="Block"/> does after computing it).</summary>
    internal void Apply(in BlockPart r, ref RealKernels.PowAcc acc)
    {
        if (r.NaN) acc.HasNaN = true;
        if (r.Inf) acc.HasInf = true;
        if (r.Zero) acc.HasZero = true;
        if (r.HasSum) acc.Add(new Ext(1, 0, r.Eb), r.H, r.L, _p);
    }

    public void Merge(ref RealKernels.PowAcc total, in RealKernels.PowAcc part) => new RealPowOp(_p).Merge(ref total, part);

    public FpEvents Finish(in RealKernels.PowAcc acc, DType ot, byte* dst)
    {
        if (_failed is null || acc.HasNaN || acc.HasZero || acc.HasInf || !acc.Any)
            return new RealPowOp(_p).Finish(acc, ot, dst); // float64, or an exact special value
        Ext r = GeneralNorm.Root(acc.Hi, acc.Lo, 0, _p, acc.Ref);
        double rel = _precise ? GeneralPowFast.PreciseRel(_p) : GeneralPowFast.NarrowRel(_p);
        if (GeneralPowFast.TryStoreProven(r, rel, ot, dst, out var ev)) return ev;
        _failed.Add((nint)dst);
        return FpEvents.None;
    }
}
