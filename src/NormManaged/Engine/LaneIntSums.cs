using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Whole orders 3…64 and real half-integer orders ±1.5…±64.5 of many short float64 lines into float64, a SIMD
/// lane per line for the SUM as well as the root (<see cref="LanePow"/>'s roots). A line of fewer than
/// <see cref="OffsetPowSum.MinLength"/> elements (or, for the orders without an offset kernel, at most
/// <see cref="MaxInner"/>) is summed by the 1-D path's block kernel — <see cref="RealKernels.AddIntPowSum"/> or
/// <see cref="RealKernels.AddRealPowSum"/> — in its two-pass form: an exact statistics pass, the scale 2⁻ᵉᵇ applied as
/// the two factors 2^a·2^b, double-double terms, the first ⌊n/16⌋·16 elements in 16 logical TwoSum accumulators (element i
/// in accumulator i mod 16), those folded in order (their sums by <see cref="DD.Add"/>, their error lanes by
/// <c>Vector256.Sum</c>), the other elements in one more accumulator added last. Eight lines are copied side by side
/// (element i of line r at buf[8i + r]) and every lane applies to its own line the very IEEE operations of that kernel in
/// its order (<see cref="DDLanes"/>'s bodies, which are <see cref="DD"/>'s), so each line's (hi, lo, eb) — hence its root
/// and stored bits — is the block driver's, i.e. that of the same line reduced alone, at any width, alignment or
/// thread count. Lines with NaN, ∞ (p &gt; 0), a zero (p &lt; 0), no nonzero element, or whose sum is not positive, are
/// summed and finished by the 1-D code itself (<see cref="LanePow.ILineSum.Sum"/>); every output is stored by that
/// kind's own finish (the exact midpoint decision included).</summary>
internal static unsafe class LaneIntSums
{
    /// <summary>Lines side by side: one 512-bit vector or two 256-bit ones.</summary>
    private const int Lines = LaneSums.Lines; // LaneSums.Statistics' layout

    /// <summary>Logical accumulators of the block kernels' vector loops.</summary>
    private const int Acc = 16;

    /// <summary>Longest line taken for the orders the 1-D path never sums with <see cref="OffsetPowSum"/>: rows of 100
    /// and 128 measured ord 5 0.64 → 1.01× and 0.80 → 1.03× NumPy, ord 3.5 0.54 → 0.81× (one thread); rows of 256 were
    /// no faster than the 1-D block kernel, rows of 512 slower.</summary>
    internal const long MaxInner = 128;

    /// <summary>True when the lines of <paramref name="plan"/> (already accepted by <see cref="LanePow.AppliesInt"/> or
    /// <see cref="LanePow.AppliesHalf"/>) are short enough for the lane sums: below the offset kernel's length for the
    /// orders it serves (3, 4, 1.5, 2.5), else up to <see cref="MaxInner"/>.</summary>
    public static bool Applies(ReductionPlan plan, double p)
        => plan.InnerCount < OffsetPowSum.MinLength || (p is not (3 or 4 or 1.5 or 2.5) && plan.InnerCount <= MaxInner);

    /// <summary>Whole order p (<see cref="LanePow.AppliesInt"/>) over every output of the plan.</summary>
    public static FpEvents RunInt(ReductionPlan plan, byte* x, double p, byte* o)
        => Run<IntTerm, LanePow.IntLines>(plan, x, p, o, new LanePow.IntLines(plan, (int)p));

    /// <summary>Half-integer order p (<see cref="LanePow.AppliesHalf"/>) over every output of the plan.</summary>
    public static FpEvents RunHalf(ReductionPlan plan, byte* x, double p, byte* o)
        => p > 0 ? Run<HalfTerm, LanePow.HalfLines>(plan, x, p, o, new LanePow.HalfLines(plan, p))
                 : Run<NegHalfTerm, LanePow.HalfLines>(plan, x, p, o, new LanePow.HalfLines(plan, p));

    /// <summary>Negative whole order p (<see cref="LanePow.AppliesNegWhole"/>) over every output of the plan: the 1-D
    /// kernel sums these as the half-integer orders with no √ factor (<see cref="RealKernels.AddRealPowSum"/>'s
    /// k = |p|, frac false), so the same lanes with <see cref="NegWholeTerm"/> and <see cref="LanePow.HalfLines"/>'
    /// finish give each line the bits of that line reduced alone (rows of 4: 0.11× NumPy through the 1-D block code).</summary>
    public static FpEvents RunNegWhole(ReductionPlan plan, byte* x, double p, byte* o)
        => Run<NegWholeTerm, LanePow.HalfLines>(plan, x, p, o, new LanePow.HalfLines(plan, p));

    /// <summary>A row's root (double-double ln, division, exp) and store cost about as much as this many of its terms:
    /// the work counted against <see cref="RealPowOp.ParallelElements"/> (whose terms cost about what these do) when
    /// the outputs are spread over threads — 3000 rows of 4 take ~0.3 ms on one core.</summary>
    private const long RootElements = LaneSums.RootElements;

    private static FpEvents Run<T, S>(ReductionPlan plan, byte* x, double p, byte* o, S lines)
        where T : struct, ITerm where S : struct, LanePow.ILineSum
    {
        long outs = plan.OuterCount;
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && outs * (plan.InnerCount + RootElements) >= RealPowOp.ParallelElements)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(outs, threads, (k0, count) => Range<T, S>(plan, (byte*)xb, p, (byte*)ob, lines, k0, count));
        }
        return Range<T, S>(plan, x, p, o, lines, 0, outs);
    }

    /// <summary>One term of a line's sum: a double-double power of y = |x|·2⁻ᵉᵇ, the operations of the 1-D kernel's
    /// term for that order; and how a line's (hi, lo) with its exponent eb becomes a pending root.</summary>
    private interface ITerm
    {
        static abstract L Term<L>(L y, int k, out L lo) where L : struct, ILanes<L>;

        /// <summary>The pending root of a one-block total (hi, lo) of reference exponent eb, as the kind's ILineSum gives it.</summary>
        static abstract void Pending(int eb, int p, out int se, out Ext scale);
    }

    /// <summary>y^k (<see cref="RealKernels.AddIntPowSum"/>): the sum's exponent carries eb·p.</summary>
    private readonly struct IntTerm : ITerm
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static L Term<L>(L y, int k, out L lo) where L : struct, ILanes<L> => Pow(y, k, out lo);
        public static void Pending(int eb, int p, out int se, out Ext scale) { se = eb * p; scale = new Ext(1, 0, 0); }
    }

    /// <summary>y^k·√y (<see cref="RealKernels.AddRealPowSum"/>, p &gt; 0): the reference 2^eb scales the root.</summary>
    private readonly struct HalfTerm : ITerm
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static L Term<L>(L y, int k, out L lo) where L : struct, ILanes<L> => HalfPow(y, k, out lo);
        public static void Pending(int eb, int p, out int se, out Ext scale) { se = 0; scale = new Ext(1, 0, eb); }
    }

    /// <summary>1/(y^k·√y) (p &lt; 0): reference at the smallest magnitude.</summary>
    private readonly struct NegHalfTerm : ITerm
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static L Term<L>(L y, int k, out L lo) where L : struct, ILanes<L> => Recip(HalfPow(y, k, out var l), l, out lo);
        public static void Pending(int eb, int p, out int se, out Ext scale) { se = 0; scale = new Ext(1, 0, eb); }
    }

    /// <summary>1/y^k (p = −k, whole): RealKernels' PowV then its reciprocal RecipV, reference at the smallest magnitude.</summary>
    private readonly struct NegWholeTerm : ITerm
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static L Term<L>(L y, int k, out L lo) where L : struct, ILanes<L> => Recip(Pow(y, k, out var l), l, out lo);
        public static void Pending(int eb, int p, out int se, out Ext scale) { se = 0; scale = new Ext(1, 0, eb); }
    }

    /// <summary>RealKernels' RecipV: 1/(h + l) as a double-double, an overflowed power (∞ or NaN) giving the term 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L Recip<L>(L h, L l, out L lo) where L : struct, ILanes<L>
    {
        var bad = ~L.Equal(h - h, L.Zero);
        var one = L.Create(1.0);
        var q = one / h;
        var e = L.Fma(-q, h, one) - q * l;
        lo = L.Select(bad | L.Equal(q, L.Zero), L.Zero, e * q);
        return L.Select(bad, L.Zero, q);
    }

    /// <summary>y^k as a double-double by binary powering: RealKernels' PowV/PowScalar (its MulV is <see cref="DDLanes.Mul{L}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L Pow<L>(L y, int k, out L rl) where L : struct, ILanes<L>
    {
        L rh = L.Zero, bh = y, bl = L.Zero;
        rl = L.Zero;
        bool have = false;
        while (true)
        {
            if ((k & 1) != 0)
            {
                if (!have) { rh = bh; rl = bl; have = true; }
                else rh = DDLanes.Mul(rh, rl, bh, bl, out rl);
            }
            k >>= 1;
            if (k == 0) break;
            bh = DDLanes.Mul(bh, bl, bh, bl, out bl);
        }
        return rh;
    }

    /// <summary>RealKernels' Newton reciprocal magic (its HalfRecip): 1/(2·sq) by IEEE +, ×, FMA and an integer subtract.</summary>
    private const ulong RecipMagic = 0x7FDE_6238_22FC_16E6;

    /// <summary>y^k·√y as RealKernels' half-integer term: √y correctly rounded plus its correction (y − sq²)/(2·sq), zero at
    /// y = 0 or ∞, times the double-double y^k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L HalfPow<L>(L y, int k, out L lo) where L : struct, ILanes<L>
    {
        var sq = L.Sqrt(y);
        var one = L.Create(1.0);
        var r = L.SubtractBits(L.CreateBits(RecipMagic), sq);
        for (int it = 0; it < 4; it++) r = L.Fma(r, L.Fma(-sq, r, one), r);
        var corr = L.Fma(-sq, sq, y) * (r * L.Create(0.5));
        corr = L.Select(L.Equal(y, L.Zero) | L.Equal(y, L.Create(double.PositiveInfinity)), L.Zero, corr);
        if (k == 0) { lo = corr; return sq; }
        var ph = Pow(y, k, out var pl);
        return DDLanes.Mul(ph, pl, sq, corr, out lo);
    }

    /// <summary>What a range's groups share.</summary>
    private struct State
    {
        public double* Buf, Stats, C;
        public double* Sh, Sl;
        public int* Se;
        public Ext* Sc;
        public nint* Src, Dst;
        public double* Rh, Rl;
        public int* Rk, Eb;
        public int Pending;
        public FpEvents Ev;
        // the line memo (null when off, see LaneMemo): each pending output's slot (−1: none) and hash; the group's
        public LaneMemo* Memo;
        public int* PSlot, GSlot;
        public ulong* PHash, GHash;
        public long Lookups, Hits, Off;
        // the lines that took their own finish (exact decisions near a midpoint), remembered for identical lines
        public LineMemo* Exact;
        public long N, Ins;
        // looking lines up in Exact before their sums (ExactFirst): 0 until a line takes its own finish, then on (1)
        // until a trial with few hits turns it off (−1)
        public int XState;
        public long XLookups, XHits;
    }

    /// <summary>Once a line of the range has taken its own finish (<see cref="Flush"/> enters it in the
    /// <see cref="LineMemo"/>), later lines are looked up there before their sums: an identical line copies the stored
    /// result and events at once (the bits LineMemo gives it in Flush, after its sums and root). np.ones (40,50,60)
    /// axis 2 at ord −20 computed every line's sums and root only to find it in the memo (0.42 ms against NumPy's
    /// 0.29). After <see cref="LaneMemo.Trial"/> lookups with fewer than 1/16 hits (random data: an exact finish is one
    /// line in thousands) the lookups stop for the rest of the range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ExactFirst(ref State st, byte* xp, byte* op)
    {
        st.XLookups++;
        if (st.Exact->TryCopy(xp + st.Off, DType.Float64, st.N, st.Ins, op, DType.Float64, out _, out var ev))
        {
            st.XHits++;
            st.Ev |= ev;
            return true;
        }
        if (LaneMemo.TrialFailed(st.XLookups, st.XHits)) st.XState = -1;
        return false;
    }

    /// <summary>True when the memo had the line at <paramref name="xp"/> (its result is stored at
    /// <paramref name="op"/>); else its slot and hash are noted as lane <paramref name="m"/> of the group, and the memo
    /// is switched off after a trial with few hits (<see cref="LaneMemo"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Remembered(ref State st, byte* xp, byte* op, int n, long s, long off, int m)
    {
        byte* v = xp + off;
        ulong h = LaneMemo.Hash(v, n, s);
        int slot = LaneMemo.SlotOf(h);
        st.Lookups++;
        if (st.Memo->TryCopy(slot, h, v, n, s, op)) { st.Hits++; return true; }
        st.GSlot[m] = slot; st.GHash[m] = h;
        if (LaneMemo.TrialFailed(st.Lookups, st.Hits))
        {
            // few repeats: no memo for the rest of the range (Group8 and Flush look at it no more)
            st.Memo = null;
        }
        return false;
    }

    // no zeroing of the stack (the memo is 24 KiB): every scratch below is written before it is read
    [SkipLocalsInit]
    private static FpEvents Range<T, S>(ReductionPlan plan, byte* x, double p, byte* o, S lines, long first, long count)
        where T : struct, ITerm where S : struct, LanePow.ILineSum
    {
        int n = (int)plan.InnerCount;
        const int g = LanePow.Group;
        var st = new State();
        double* buf = stackalloc double[n * Lines];
        double* stats = stackalloc double[StatsLength * Lines];
        double* cAcc = stackalloc double[Acc * Lines];
        double* sh = stackalloc double[g], sl = stackalloc double[g];
        int* se = stackalloc int[g];
        Ext* sc = stackalloc Ext[g];
        nint* src = stackalloc nint[g], dst = stackalloc nint[g];
        double* rh = stackalloc double[g], rl = stackalloc double[g];
        int* rk = stackalloc int[g], eb = stackalloc int[g];
        st.Rh = rh; st.Rl = rl; st.Rk = rk; st.Eb = eb;
        st.Buf = buf; st.Stats = stats; st.C = cAcc; st.Sh = sh; st.Sl = sl; st.Se = se; st.Sc = sc; st.Src = src; st.Dst = dst;
        double* lineBuf = stackalloc double[n * 2 + 8]; // one block for the lines finished by the 1-D code
        byte** xs = stackalloc byte*[Lines];
        byte** os = stackalloc byte*[Lines];
        // the zeroed scratch these kernels had before [SkipLocalsInit] (only the memo is left unwritten)
        new Span<double>(buf, n * Lines).Clear(); new Span<double>(stats, StatsLength * Lines).Clear();
        new Span<double>(cAcc, Acc * Lines).Clear(); new Span<double>(lineBuf, n * 2 + 8).Clear();
        new Span<double>(sh, g).Clear(); new Span<double>(sl, g).Clear(); new Span<double>(rh, g).Clear(); new Span<double>(rl, g).Clear();
        new Span<int>(se, g).Clear(); new Span<int>(rk, g).Clear(); new Span<int>(eb, g).Clear();
        new Span<Ext>(sc, g).Clear(); new Span<nint>(src, g).Clear(); new Span<nint>(dst, g).Clear();
        LaneMemo memo;
        int* gslot = stackalloc int[Lines], pslot = stackalloc int[g];
        ulong* ghash = stackalloc ulong[Lines], phash = stackalloc ulong[g];
        st.GSlot = gslot; st.PSlot = pslot; st.GHash = ghash; st.PHash = phash;
        long ins = plan.InnerStrides[0], off = plan.InnerBaseOffset;
        st.Off = off;
        if (LaneMemo.Worth(n, count))
        {
            LaneMemo.Init(out memo);
            st.Memo = &memo;
        }
        else Unsafe.SkipInit(out memo);
        LineMemo.Init(out var exact);
        st.Exact = &exact; st.N = n; st.Ins = ins;
        int m = 0;
        if (plan.OuterShape.Length == 1)
        {
            // one kept axis (the rows of a matrix): the walk of OuterIterator without its general bookkeeping
            long ois = plan.OuterInStrides[0], oos = plan.OuterOutStrides[0];
            for (long k = first; k < first + count; k++)
            {
                xs[m] = x + k * ois; os[m] = o + k * oos;
                if (st.Memo != null && Remembered(ref st, xs[m], os[m], n, ins, off, m)) continue;
                if (st.XState > 0 && ExactFirst(ref st, xs[m], os[m])) continue;
                if (++m == Lines) { Group8<T, S>(plan, ref st, p, ref lines, xs, os, m, lineBuf); m = 0; }
            }
        }
        else
        {
            var it = new OuterIterator(plan, x, o, first, count);
            while (it.Next(out byte* xp, out byte* op))
            {
                xs[m] = xp; os[m] = op;
                if (st.Memo != null && Remembered(ref st, xp, op, n, ins, off, m)) continue;
                if (st.XState > 0 && ExactFirst(ref st, xp, op)) continue;
                if (++m == Lines) { Group8<T, S>(plan, ref st, p, ref lines, xs, os, m, lineBuf); m = 0; }
            }
        }
        if (m > 0)
        {
            for (int r = m; r < Lines; r++) xs[r] = xs[0]; // idle lanes repeat a line; nothing of theirs is used
            Group8<T, S>(plan, ref st, p, ref lines, xs, os, m, lineBuf);
        }
        if (st.Pending > 0) Flush(ref st, ref lines, p);
        return st.Ev;
    }

    // stats rows (Lines doubles each): max |x| of the finite elements, min nonzero |x| of the finite elements, 1 for a
    // line the 1-D code finishes, 2^a, 2^b, hi, lo, the error lanes' four partial sums, the tail's s and c, eb
    private const int RowMax = 0, RowMin = 1, RowAlone = 2, RowF1 = 3, RowF2 = 4, RowHi = 5, RowLo = 6, RowW = 7, RowTs = 11, RowTc = 12, RowEb = 13;
    private const int StatsLength = 14;

    private static void Group8<T, S>(ReductionPlan plan, ref State st, double p, ref S lines, byte** xs, byte** os, int m, double* lineBuf)
        where T : struct, ITerm where S : struct, LanePow.ILineSum
    {
        int n = (int)plan.InnerCount;
        long s = plan.InnerStrides[0];
        double* buf = st.Buf, stats = st.Stats;
        LaneSums.Columns(xs, plan.InnerBaseOffset, n, s, buf);
        if (RealKernels.Wide) LaneSums.Statistics<Lanes512>(buf, n, p < 0, stats); // rows RowMax, RowMin, RowAlone
        else LaneSums.Statistics<Lanes256>(buf, n, p < 0, stats);
        Scales(stats, p < 0);
        int k = (int)Math.Floor(Math.Abs(p));
        if (RealKernels.Wide) Sums<Lanes512, T>(ref st, n, k);
        else Sums<Lanes256, T>(ref st, n, k);
        int n16 = n & ~(Acc - 1);
        if (n16 == 0 && m == Lines && st.Pending + Lines <= LanePow.Group && AllSummed(stats))
        {
            // the usual group of short lines: every lane has its one-accumulator sum, queued as the loop below would
            int i0 = st.Pending;
            Vector256.Load(stats + RowHi * Lines).Store(st.Sh + i0); Vector256.Load(stats + RowHi * Lines + 4).Store(st.Sh + i0 + 4);
            Vector256.Load(stats + RowLo * Lines).Store(st.Sl + i0); Vector256.Load(stats + RowLo * Lines + 4).Store(st.Sl + i0 + 4);
            for (int r = 0; r < Lines; r++)
            {
                T.Pending((int)stats[RowEb * Lines + r], k, out st.Se[i0 + r], out st.Sc[i0 + r]);
                st.Src[i0 + r] = (nint)xs[r]; st.Dst[i0 + r] = (nint)os[r];
                st.PSlot[i0 + r] = st.Memo != null ? st.GSlot[r] : -1; st.PHash[i0 + r] = st.GHash[r];
            }
            if ((st.Pending += Lines) == LanePow.Group) Flush(ref st, ref lines, p);
            return;
        }
        for (int r = 0; r < m; r++)
        {
            double hi = stats[RowHi * Lines + r], lo = stats[RowLo * Lines + r];
            if (n16 > 0)
            {
                // RealKernels.FoldLanes' last step (its error lanes' Vector256.Sum), then the tail accumulator's DD.Add
                double w = Vector256Sum(stats[RowW * Lines + r], stats[(RowW + 1) * Lines + r], stats[(RowW + 2) * Lines + r], stats[(RowW + 3) * Lines + r]);
                DD.Add(ref hi, ref lo, w, 0);
                if (n16 < n) DD.Add(ref hi, ref lo, stats[RowTs * Lines + r], stats[RowTc * Lines + r]);
            }
            int i0 = st.Pending;
            if (stats[RowAlone * Lines + r] != 0 || !(hi > 0))
            {
                if (NegativeZeros.Flagged(stats[RowAlone * Lines + r], p, DType.Float64, os[r]) is { } zev) { st.Ev |= zev; continue; } // a zero
                // special values, or a sum that is not positive: the 1-D code sums the line (and finishes it if special)
                if (!lines.Sum(xs[r], os[r], lineBuf, out st.Sh[i0], out st.Sl[i0], out st.Se[i0], out st.Sc[i0], ref st.Ev)) continue;
            }
            else
            {
                st.Sh[i0] = hi; st.Sl[i0] = lo;
                T.Pending((int)stats[RowEb * Lines + r], k, out st.Se[i0], out st.Sc[i0]);
            }
            st.Src[i0] = (nint)xs[r]; st.Dst[i0] = (nint)os[r];
            st.PSlot[i0] = st.Memo != null ? st.GSlot[r] : -1; st.PHash[i0] = st.GHash[r];
            if (++st.Pending == LanePow.Group) Flush(ref st, ref lines, p);
        }
    }

    /// <summary>The block kernel's scale 2⁻ᵉᵇ of every lane as its two factors 2^a·2^b (RowF1, RowF2; each normal: |eb| ≤
    /// 1075) and eb (RowEb), four lanes at a time in integer lanes: eb = ILogB(max) + 1 (p &gt; 0) or ILogB(min) (p &lt; 0),
    /// a subnormal reference scaled by 2⁵⁴ first (exact), a = −eb/2 truncated toward zero as C#'s division, b = −eb − a;
    /// lanes the 1-D code finishes get 0, 0 and eb 0. (The scalar loop this replaces was a fifth of rows of 4's
    /// bookkeeping.)</summary>
    private static void Scales(double* stats, bool atMin)
    {
        var one = Vector256.Create(1.0);
        var plus = Vector256.Create(atMin ? 0L : 1L);
        var bias = Vector256.Create(1023L);
        for (int h = 0; h < Lines; h += 4)
        {
            var sums = Vector256.Equals(Vector256.Load(stats + RowAlone * Lines + h), Vector256<double>.Zero);
            var v = Vector256.ConditionalSelect(sums, Vector256.Load(stats + (atMin ? RowMin : RowMax) * Lines + h), one);
            var sub = Vector256.LessThan(v, Vector256.Create(VecLogExp.MinNormal));
            v *= Vector256.ConditionalSelect(sub, Vector256.Create(VecLogExp.TwoP54), one); // exact
            var e = ((v.AsInt64() >>> 52) & Vector256.Create(0x7FFL)) - bias - (sub.AsInt64() & Vector256.Create(54L)) + plus;
            var eb = e & sums.AsInt64();
            var ne = Vector256<long>.Zero - eb;
            var a = (ne - (ne >> 63)) >> 1; // toward zero
            var b = ne - a;
            (((a + bias) << 52) & sums.AsInt64()).AsDouble().Store(stats + RowF1 * Lines + h);
            (((b + bias) << 52) & sums.AsInt64()).AsDouble().Store(stats + RowF2 * Lines + h);
            Vector256.ConvertToDouble(eb).Store(stats + RowEb * Lines + h);
        }
    }

    /// <summary>True when every lane has a sum of its own (none finished by the 1-D code) and it is positive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool AllSummed(double* stats)
    {
        var z = Vector256<double>.Zero;
        var ok = Vector256.Equals(Vector256.Load(stats + RowAlone * Lines), z) & Vector256.Equals(Vector256.Load(stats + RowAlone * Lines + 4), z)
                 & Vector256.GreaterThan(Vector256.Load(stats + RowHi * Lines), z) & Vector256.GreaterThan(Vector256.Load(stats + RowHi * Lines + 4), z);
        return Vector256.ExtractMostSignificantBits(ok) == 0xF;
    }

    /// <summary>Roots and stores the pending outputs: <see cref="LanePow.Roots"/>, then the kind's own store
    /// (<see cref="LanePow.ILineSum.Store"/> of Ext.Mul(Ext.Normalize(rh, rl, rk), scale), as LanePow's flush does) —
    /// except where that store is plainly fl(rh + rl)·2^(rk + E) for the scale 2^E: a result that is normal (scalings of
    /// normal values by powers of two are exact and commute with the one rounding, as in LaneSums' flush) and whose
    /// double-double lies nowhere near a rounding midpoint (<see cref="Midpoint.MaybeNear64"/>, a necessary condition
    /// for the stores' <see cref="Midpoint.Near(in Ext, DType, double, out Midpoint)"/> at <see cref="RealPowOp.TieMargin"/>,
    /// the only case in which they decide otherwise).</summary>
    private static void Flush<S>(ref State st, ref S lines, double p) where S : struct, LanePow.ILineSum
    {
        const int g = LanePow.Group;
        for (int i = st.Pending; i < g; i++) { st.Sh[i] = 1; st.Sl[i] = 0; st.Se[i] = 0; } // idle lanes: any valid sum
        LanePow.ScaleExponents(st.Sc, st.Pending, st.Eb);
        LanePow.Roots(st.Sh, st.Sl, st.Se, p, st.Eb, st.Rh, st.Rl, st.Rk);
        double* v = stackalloc double[g];
        uint normal = LanePow.NormalLanes(st.Rh, st.Rl, st.Rk, st.Eb, v); // Eb: sc.E for a scale 2^E, else NoProof (never set)
        for (int i = 0; i < st.Pending; i++)
        {
            double h = st.Rh[i], l = st.Rl[i];
            ref Ext sc = ref st.Sc[i];
            if ((normal & (1u << i)) != 0 && sc.H == 1 && sc.L == 0 && !Midpoint.MaybeNear64(h, l, RealPowOp.TieMargin))
            {
                Unsafe.WriteUnaligned((byte*)st.Dst[i], v[i]); // LanePow.TryStoreNormal's store
                if (st.Memo != null && st.PSlot[i] >= 0) st.Memo->Enter(st.PSlot[i], st.PHash[i], (byte*)st.Src[i] + st.Off, v[i]);
                continue;
            }
            // the line's own finish (its exact decision near a midpoint), or the result and events of an identical line
            // that took it earlier in the range (LineMemo: the finish is a function of the line's element bytes):
            // np.ones (40,50,60) ord −20 along axis 2 has every line's 60^(−1/20) 1.7·10⁻⁵ ulp from a midpoint, each
            // decided in big integers (0.05× NumPy)
            byte* line = (byte*)st.Src[i] + st.Off;
            if (st.Exact->TryCopy(line, DType.Float64, st.N, st.Ins, (byte*)st.Dst[i], DType.Float64, out ulong lh, out var copied))
            {
                st.Ev |= copied;
                continue;
            }
            var e = lines.Store(Ext.Mul(Ext.Normalize(h, l, st.Rk[i]), sc), (byte*)st.Src[i], (byte*)st.Dst[i]);
            st.Ev |= e;
            st.Exact->Enter(lh, line, (byte*)st.Dst[i], e);
            if (st.XState == 0) st.XState = 1; // later lines: looked up before their sums (ExactFirst)
        }
        st.Pending = 0;
    }

    /// <summary><c>Vector256.Sum</c> of four doubles, the operation (and so the order) RealKernels.FoldLanes uses.</summary>
    private static double Vector256Sum(double a, double b, double c, double d)
        => System.Runtime.Intrinsics.Vector256.Sum(System.Runtime.Intrinsics.Vector256.Create(a, b, c, d));

    /// <summary>Each lane's terms and accumulators, in the block kernel's order (see the class summary).</summary>
    private static void Sums<L, T>(ref State st, int n, int k) where L : struct, ILanes<L> where T : struct, ITerm
    {
        double* buf = st.Buf, stats = st.Stats, cAcc = st.C;
        int n16 = n & ~(Acc - 1);
        for (int h = 0; h < Lines; h += L.Count)
        {
            L f1 = L.Load(stats + RowF1 * Lines + h), f2 = L.Load(stats + RowF2 * Lines + h);
            L hi = L.Zero, lo = L.Zero;
            if (n16 > 0)
            {
                // accumulator j takes elements j, j + 16, … in order; the accumulators are independent, so each is
                // run to its end in turn and its sum folded at once (FoldLanes adds them by DD.Add in this order)
                for (int j = 0; j < Acc; j++)
                {
                    L sv = L.Zero, cv = L.Zero;
                    for (int i = j; i < n16; i += Acc) Step<L, T>(ref sv, ref cv, L.Load(buf + i * Lines + h), f1, f2, k);
                    DDLanes.Add(ref hi, ref lo, sv, L.Zero);
                    cv.Store(cAcc + j * Lines + h);
                }
                // and the error lanes' partial sums (c₀+c₁)+(c₂+c₃) per Vector256 position (the scalar caller adds
                // them by Vector256.Sum)
                for (int q = 0; q < 4; q++)
                {
                    var w = (L.Load(cAcc + q * Lines + h) + L.Load(cAcc + (4 + q) * Lines + h))
                            + (L.Load(cAcc + (8 + q) * Lines + h) + L.Load(cAcc + (12 + q) * Lines + h));
                    w.Store(stats + (RowW + q) * Lines + h);
                }
            }
            if (n16 < n)
            {
                L ts = L.Zero, tc = L.Zero;
                for (int i = n16; i < n; i++) Step<L, T>(ref ts, ref tc, L.Load(buf + i * Lines + h), f1, f2, k);
                if (n16 == 0) DDLanes.Add(ref hi, ref lo, ts, tc);
                else { ts.Store(stats + RowTs * Lines + h); tc.Store(stats + RowTc * Lines + h); }
            }
            hi.Store(stats + RowHi * Lines + h); lo.Store(stats + RowLo * Lines + h);
        }
    }

    /// <summary>One element into an accumulator: y = (|x|·2^a)·2^b, its term (th, tl), then the kernels' AccStep
    /// (the scalar tail's TwoSum and c += e + tl are the same operations).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<L, T>(ref L s, ref L c, L x, L f1, L f2, int k) where L : struct, ILanes<L> where T : struct, ITerm
    {
        var th = T.Term(L.Abs(x) * f1 * f2, k, out var tl);
        var t = s + th;
        var bb = t - s;
        c += ((s - (t - bb)) + (th - bb)) + tl;
        s = t;
    }
}
