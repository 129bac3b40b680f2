using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>General-p float64 vector norms (the orders <see cref="TablePowSum"/> takes for real input) over
/// one axis of many short lines, a SIMD lane per line for the SUM as well as the root: eight lines are copied side by
/// side (element i of line r at buf[8i + r], widened to double), one exact pass finds each line's statistics (NaN, ∞,
/// zeros, max |x| or min nonzero |x|), and every lane then applies to its own line's elements, in the line's order,
/// the IEEE operations <see cref="TablePowSum"/> applies to the same line held as one block of the 1-D path:
/// <list type="bullet">
/// <item>the same table (reduction factors, Q_j, P₁ on the grid G) with the line's −eb·P₁ added to the looked-up Q_j
/// parts by the very addition the block's table makes, and the line's own K bias and clamp
/// (<see cref="TablePowSum.ILaneConsts{L}"/>);</item>
/// <item>the masked body's term (<see cref="TablePowSum.AddRealTerm{L, TC}"/>), which gives an in-range block the bits
/// of the unmasked body;</item>
/// <item>element i into logical accumulator i mod 16 (from <see cref="TablePowSum.RealStart"/>), the logical
/// accumulators folded in order, then Fast2Sum and the scaling by 2ᴷ. The block body's padding of its last group and the
/// fold over logical accumulators that received nothing are left out: they add +0 to sums ≥ C₀ and to low parts that
/// start at +0 (a round-to-nearest sum is −0 only when both addends are), so they change no bit.</item>
/// </list>
/// So each line's (H, L, eb) is the block driver's, and its root — <see cref="LanePow.Roots"/>, 32 lines at a time,
/// finished as <see cref="LanePow"/> finishes them — the bits of the same line reduced alone (the 1-D path), at any
/// width, alignment or thread count (a line's result depends on its own elements only).
///
/// Lines with NaN, ∞ (p &gt; 0), a zero (p &lt; 0) or no finite nonzero element are finished alone by the block
/// operator's own code (<see cref="GeneralPowOp"/>). (float32 and float16 lines: <see cref="NarrowLaneSums"/>.)</summary>
internal static unsafe class LaneSums
{
    /// <summary>Lines side by side: one 512-bit vector or two 256-bit ones.</summary>
    internal const int Lines = 8;

    /// <summary>Longest line taken (one block of the 1-D path, so the lane sums reproduce its one block). With two
    /// elements' terms interleaved per step (<see cref="TablePowSum.LogRealPair{L, TC}"/>, <see cref="TablePowSum.ExpAddPair{L, TC}"/>) the lanes beat the
    /// block body's two chains (<see cref="LanePow"/>) at every length to 64 and match them at 128: NumPy ÷ ours, one
    /// thread, side by side, (1000, 48) ord 1.7 0.50 → 0.85, (1000, 40) ord −2.7 0.36 → 0.77, (1000, 64) ord 1.7 / 0.3
    /// 0.54 / 0.53 → 0.80 / 0.78, (500, 96) 0.62 → 0.70, (500, 128) 0.67 → 0.68; integer lines, widened by
    /// <see cref="IntRows"/> up to this length: int8 (1000, 64) ord 1.7 1.06 → 1.82, (500, 128) 1.39 → 1.78. (Before
    /// the interleaving, rows of 48 measured 0.43 → 0.38× here, hence the earlier limit 32.)</summary>
    internal const long MaxInner = 128;

    /// <summary>True for float64 → float64 lines of at most <see cref="MaxInner"/> elements along one axis, at least
    /// <see cref="Lines"/> of them, of an order whose 1-D sums <see cref="TablePowSum"/> makes.</summary>
    public static bool Applies(ReductionPlan plan, DType t, DType ot, double p)
        => t == DType.Float64 && ot == DType.Float64 && GeneralPowFast.Applies(t, p) && TablePowSum.Applies(false, p)
           && plan.InnerShape.Length == 1 && plan.OuterCount >= Lines && plan.InnerCount >= 1 && plan.InnerCount <= MaxInner;

    /// <summary>A line's root, statistics, constants and store cost about as much as this many of its terms: the work
    /// counted when the outputs are spread over threads (rows of 4
    /// spent ~60 % of their time outside the terms; 3000 of them, ~0.13 ms on one core, ran on one thread when only
    /// the terms were counted against <see cref="GeneralPowOp.ParallelElements"/>). Counted against
    /// <see cref="Parallelism.CostlyElements"/> since session 28 (against RealPowOp's 2¹⁵ before, (1000, 4) rows —
    /// ~40 µs on one core — stayed on one thread: ord 0.3 / 1.7 38 / 39 → 22 / 23 µs, (4, 1000) columns 38 → 22,
    /// (500, 4) 20 → 14; NumPy 21 / 21 / 13.5 / 12.7).</summary>
    internal const long RootElements = 16;

    /// <summary>Computes every output of the plan.</summary>
    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot)
    {
        long outs = plan.OuterCount;
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && outs * (plan.InnerCount + RootElements) >= Parallelism.CostlyElements)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(outs, threads, (k0, count) => Range(plan, (byte*)xb, t, p, (byte*)ob, ot, k0, count));
        }
        return Range(plan, x, t, p, o, ot, 0, outs);
    }

    /// <summary>What a range's groups share: the order's table and P₁, the pending roots.</summary>
    private struct State
    {
        public double P, P1h, P1l;
        public DType T, Ot;
        public double* Tab, Buf, Sh, Sl, Tmp, Terms;
        public int* Se, Eb;
        public nint* Dst;
        public int Pending;
        public FpEvents Ev;
        // the line memo (null when off): each pending output's slot (−1: none), hash and element address
        public LaneMemo* Memo;
        public int* PSlot;
        public ulong* PHash;
        public nint* PLine;
    }

    // no zeroing of the memo (24 KiB): the other scratch is cleared below as before
    [SkipLocalsInit]
    private static FpEvents Range(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot, long first, long count)
    {
        int n = (int)plan.InnerCount;
        const int g = LanePow.Group;
        var st = new State { P = p, T = t, Ot = ot };
        double* tab = stackalloc double[TablePowSum.TableLength];
        TablePowSum.MakeTable(p, 0, false, tab, out st.P1h, out st.P1l); // Q_j without an exponent: added per lane
        double* buf = stackalloc double[n * Lines];
        double* sh = stackalloc double[g], sl = stackalloc double[g];
        int* se = stackalloc int[g], eb = stackalloc int[g];
        nint* dst = stackalloc nint[g];
        double* tmp = stackalloc double[2 * Group * Lines + 17 * Lines]; // accumulators, statistics, term scratch (6 vectors)
        double* terms = stackalloc double[(n / 2 + 1) * 6 * Lines]; // each pair's logarithm parts (6 vectors a pair)
        st.Terms = terms;
        st.Tab = tab; st.Buf = buf; st.Sh = sh; st.Sl = sl; st.Se = se; st.Eb = eb; st.Dst = dst; st.Tmp = tmp;
        for (int i = 0; i < g; i++) se[i] = 0;
        byte** xs = stackalloc byte*[Lines];
        byte** os = stackalloc byte*[Lines];
        // the zeroed scratch this kernel had before [SkipLocalsInit] (only the memo is left unwritten)
        new Span<double>(buf, n * Lines).Clear(); // (the table is written whole by MakeTable above)
        new Span<double>(sh, g).Clear(); new Span<double>(sl, g).Clear(); new Span<int>(eb, g).Clear(); new Span<nint>(dst, g).Clear();
        new Span<double>(tmp, 2 * Group * Lines + 17 * Lines).Clear();
        int m = 0;
        // one outer axis (the rows of a matrix): a line's addresses by one multiplication each, not the iterator's
        // walk (7 % of rows of 4)
        bool flat = plan.OuterShape.Length == 1;
        long si = flat ? plan.OuterInStrides[0] : 0, so = flat ? plan.OuterOutStrides[0] : 0;
        var it = new OuterIterator(plan, x, o, first, flat ? 0 : count);
        // short lines of a long call: the line memo (see LaneMemo), switched off after a trial without repeats
        LaneMemo memo;
        int* gslot = stackalloc int[Lines];
        ulong* ghash = stackalloc ulong[Lines];
        int* pslot = stackalloc int[g];
        ulong* phash = stackalloc ulong[g];
        nint* pline = stackalloc nint[g];
        long s = plan.InnerStrides[0], off = plan.InnerBaseOffset;
        long lookups = 0, hits = 0;
        if (LaneMemo.Worth(n, count))
        {
            LaneMemo.Init(out memo);
            st.Memo = &memo; st.PSlot = pslot; st.PHash = phash; st.PLine = pline;
        }
        else Unsafe.SkipInit(out memo);
        for (long k = first; k < first + count; k++)
        {
            if (flat) { xs[m] = x + k * si; os[m] = o + k * so; }
            else it.Next(out xs[m], out os[m]);
            if (st.Memo != null)
            {
                byte* v = xs[m] + off;
                ulong h = LaneMemo.Hash(v, n, s);
                int slot = LaneMemo.SlotOf(h);
                if (memo.TryCopy(slot, h, v, n, s, os[m])) { hits++; lookups++; continue; }
                gslot[m] = slot; ghash[m] = h;
                if (LaneMemo.TrialFailed(++lookups, hits))
                {
                    // few repeats: no memo for the rest of the range (the pending lines' slots are forgotten)
                    for (int i = 0; i < st.Pending; i++) pslot[i] = -1;
                    st.Memo = null;
                    for (int r = 0; r <= m; r++) gslot[r] = -1;
                }
            }
            if (++m == Lines) { Group8(plan, ref st, xs, os, m, gslot, ghash); m = 0; }
        }
        if (m > 0)
        {
            for (int r = m; r < Lines; r++) xs[r] = xs[0]; // idle lanes repeat a line; nothing of theirs is stored
            Group8(plan, ref st, xs, os, m, gslot, ghash);
        }
        if (st.Pending > 0) Flush(ref st);
        return st.Ev;
    }

    /// <summary>Logical accumulators of the block body.</summary>
    private const int Group = VecLogExp.Group;

    /// <summary>The sums of eight lines (the first <paramref name="m"/> real) queued for their roots, or finished alone.</summary>
    private static void Group8(ReductionPlan plan, ref State st, byte** xs, byte** os, int m, int* gslot, ulong* ghash)
    {
        int n = (int)plan.InnerCount;
        long s = plan.InnerStrides[0];
        double* buf = st.Buf;
        Columns(xs, plan.InnerBaseOffset, n, s, buf);
        double* tmp = st.Tmp;
        double* sAcc = tmp, cAcc = tmp + Group * Lines, stats = tmp + 2 * Group * Lines;
        if (RealKernels.Wide) Sums<Lanes512>(ref st, n, sAcc, cAcc, stats);
        else Sums<Lanes256>(ref st, n, sAcc, cAcc, stats);
        // stats: [0] max, [8] min nonzero, [16] NaN/∞/zero flags, [24] hi, [32] lo, [40] 2ᴷ,
        // [48] eb (per lane)
        if (m == Lines && st.Pending + Lines <= LanePow.Group && AllQueued(stats))
        {
            // the usual group: every lane has a positive finite sum, queued as the loop below would, by vector copies
            int i0 = st.Pending;
            Vector256.Load(stats + 3 * Lines).Store(st.Sh + i0); Vector256.Load(stats + 3 * Lines + 4).Store(st.Sh + i0 + 4);
            Vector256.Load(stats + 4 * Lines).Store(st.Sl + i0); Vector256.Load(stats + 4 * Lines + 4).Store(st.Sl + i0 + 4);
            Sse2.Store(st.Eb + i0, Avx.ConvertToVector128Int32WithTruncation(Vector256.Load(stats + 6 * Lines)));
            Sse2.Store(st.Eb + i0 + 4, Avx.ConvertToVector128Int32WithTruncation(Vector256.Load(stats + 6 * Lines + 4)));
            for (int r = 0; r < Lines; r++) st.Dst[i0 + r] = (nint)os[r];
            if (st.Memo != null) Remember(ref st, i0, xs, plan.InnerBaseOffset, gslot, ghash, Lines);
            if ((st.Pending += Lines) == LanePow.Group) Flush(ref st);
            return;
        }
        for (int r = 0; r < m; r++)
        {
            byte* d = os[r];
            if (stats[2 * Lines + r] != 0)
            {
                st.Ev |= NegativeZeros.Flagged(stats[2 * Lines + r], st.P, st.Ot, d) ?? Alone(plan, xs[r], st.T, st.P, st.Ot, d);
                continue;
            }
            double hi = stats[3 * Lines + r], lo = stats[4 * Lines + r];
            if (!(hi > 0) || !double.IsFinite(hi))
            {
                st.Ev |= Alone(plan, xs[r], st.T, st.P, st.Ot, d);
                continue;
            }
            int i0 = st.Pending;
            st.Sh[i0] = hi; st.Sl[i0] = lo; st.Eb[i0] = (int)stats[6 * Lines + r];
            st.Dst[i0] = (nint)d;
            if (st.Memo != null) Remember(ref st, i0, xs + r, plan.InnerBaseOffset, gslot + r, ghash + r, 1);
            if (++st.Pending == LanePow.Group) Flush(ref st);
        }
    }

    /// <summary>Notes the memo slot, hash and element address of <paramref name="c"/> lines queued at pending index
    /// <paramref name="i0"/> on: <see cref="Flush"/> enters their results.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Remember(ref State st, int i0, byte** xs, long offset, int* gslot, ulong* ghash, int c)
    {
        for (int r = 0; r < c; r++)
        {
            st.PSlot[i0 + r] = gslot[r];
            st.PHash[i0 + r] = ghash[r];
            st.PLine[i0 + r] = (nint)(xs[r] + offset);
        }
    }

    /// <summary>True when no lane of the group is finished alone and every sum is positive and finite (the loop's tests);
    /// eb (an exponent, |eb| ≤ 1075) converts exactly by truncation. Needs AVX (<see cref="Columns"/>' transposes
    /// need more).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool AllQueued(double* stats)
    {
        if (!Avx.IsSupported) return false;
        var z = Vector256<double>.Zero;
        var max = Vector256.Create(double.MaxValue);
        Vector256<double> a0 = Vector256.Load(stats + 2 * Lines), a1 = Vector256.Load(stats + 2 * Lines + 4);
        Vector256<double> h0 = Vector256.Load(stats + 3 * Lines), h1 = Vector256.Load(stats + 3 * Lines + 4);
        var ok = Vector256.Equals(a0, z) & Vector256.Equals(a1, z) & Vector256.GreaterThan(h0, z) & Vector256.GreaterThan(h1, z)
                 & Vector256.LessThanOrEqual(h0, max) & Vector256.LessThanOrEqual(h1, max);
        return Vector256.ExtractMostSignificantBits(ok) == 0xF;
    }

    /// <summary>Copies element i of float64 line r (r &lt; <see cref="Lines"/>, <paramref name="s"/> bytes between elements)
    /// to buf[8i + r]: where the lines are contiguous and equally spaced (rows of a matrix), by 4×4 register transposes
    /// (<see cref="Transpose4.Columns"/>, copies: the same values) whose halves are joined into one 512-bit store per
    /// element index (the 512-bit statistics pass loads them at once: two 256-bit stores could not be forwarded), else
    /// element by element.</summary>
    internal static void Columns(byte** xs, long offset, int n, long s, double* buf)
    {
        bool uniform = EvenWords.Uniform(xs, Lines, out long d);
        if (uniform && d == 8)
        {
            // adjacent lines (columns of a C-order matrix, rows of a Fortran one): element i of the eight lines is one
            // contiguous run of eight doubles — a vector copy per element index instead of 8·n scalar ones (the same values)
            byte* q = xs[0] + offset;
            if (Vector512.IsHardwareAccelerated)
                for (int j = 0; j < n; j++, q += s) Vector512.Load((double*)q).Store(buf + j * Lines);
            else
                for (int j = 0; j < n; j++, q += s)
                {
                    Vector256.Load((double*)q).Store(buf + j * Lines);
                    Vector256.Load((double*)q + 4).Store(buf + j * Lines + 4);
                }
            return;
        }
        bool even = s == 8 && n >= 4 && Avx512F.IsSupported && uniform;
        int i = 0;
        if (even)
            for (; i + 4 <= n; i += 4)
            {
                Transpose4.Columns((double*)(xs[0] + offset) + i, d, out var a0, out var a1, out var a2, out var a3);
                Transpose4.Columns((double*)(xs[4] + offset) + i, d, out var b0, out var b1, out var b2, out var b3);
                Vector512.Create(a0, b0).Store(buf + i * Lines);
                Vector512.Create(a1, b1).Store(buf + (i + 1) * Lines);
                Vector512.Create(a2, b2).Store(buf + (i + 2) * Lines);
                Vector512.Create(a3, b3).Store(buf + (i + 3) * Lines);
            }
        for (int r = 0; r < Lines; r++)
        {
            byte* q = xs[r] + offset;
            for (int j = i; j < n; j++) buf[j * Lines + r] = *(double*)(q + j * s);
        }
    }

    /// <summary>Each lane's statistics, constants, terms and folded sum (see <see cref="Group8"/> for the layout of
    /// <paramref name="stats"/>).</summary>
    private static void Sums<L>(ref State st, int n, double* sAcc, double* cAcc, double* stats) where L : struct, ILanes<L>
    {
        int c = L.Count;
        double* buf = st.Buf;
        double p = st.P;
        bool neg = p < 0;
        Statistics<L>(buf, n, neg, stats);
        // the line's constants, as the block's: eb and K from its reference magnitude, −eb·P₁ (exact), bias and clamp
        double* ebh = stats + 7 * Lines, ebl = stats + 8 * Lines, nkb = stats + 9 * Lines, zmin = stats + 10 * Lines;
        for (int h = 0; h < Lines; h += c)
        {
            // the reference (lanes finished alone take 1: any normal value, nothing of theirs is used)
            var v = L.Select(L.Equal(L.Load(stats + 2 * Lines + h), L.Zero), L.Load(stats + (neg ? Lines : 0) + h), L.Create(1.0));
            var sub = L.LessThan(v, L.Create(VecLogExp.MinNormal));
            v *= L.Select(sub, L.Create(VecLogExp.TwoP54), L.Create(1.0)); // exact
            var e = TablePowSum.Exponent(v) - (sub & L.Create(54.0)); // ILogB of the reference
            var m = TablePowSum.Significand(v); // ρ = reference·2⁻ᵉᵇ, exactly the block's ScaleB
            var eb = neg ? e : e + L.Create(1.0);
            var k = TablePowSum.PlaceOf(L.Create(p), neg ? m : m * L.Create(0.5));
            var nEb = L.Zero - eb; // +0 for eb = 0, as the block's integer −eb
            (nEb * L.Create(st.P1h)).Store(ebh + h); (nEb * L.Create(st.P1l)).Store(ebl + h);
            TablePowSum.NkBias(k).Store(nkb + h); TablePowSum.ZMin(k).Store(zmin + h);
            VecLogExp.Pow2Biased(k + L.Create(1023.0)).Store(stats + 5 * Lines + h); // 2ᴷ, K ∈ [−1001, 0]: normal
            eb.Store(stats + 6 * Lines + h);
        }
        int used = Math.Min(n, Group);
        for (int j = 0; j < used; j++)
        {
            new Span<double>(sAcc + j * Lines, Lines).Fill(TablePowSum.RealStart);
            new Span<double>(cAcc + j * Lines, Lines).Clear();
        }
        double* tmp = stats + 11 * Lines;
        for (int h = 0; h < Lines; h += c)
        {
            var lc = new LineConsts<L>(p, st.P1h, st.P1l, L.Load(ebh + h), L.Load(ebl + h), L.Load(nkb + h), L.Load(zmin + h));
            int i = 0;
            double* terms = st.Terms;
            // every pair's logarithm first (independent of one another), then the exponentials added in index order:
            // each accumulator still receives its elements in order (elements i and i + 1 go to distinct logical
            // accumulators, i even), so the same bits, with more independent chains in flight
            for (int k = 0; 2 * k + 1 < n; k++)
                TablePowSum.LogRealPair<L, LineConsts<L>>(buf + 2 * k * Lines + h, buf + (2 * k + 1) * Lines + h, st.Tab, lc, terms + 6 * c * k);
            for (int k = 0; 2 * k + 1 < n; k++, i += 2)
            {
                int j = i & (Group - 1);
                TablePowSum.ExpAddPair<L, LineConsts<L>>(terms + 6 * c * k, lc,
                    sAcc + j * Lines + h, cAcc + j * Lines + h, sAcc + (j + 1) * Lines + h, cAcc + (j + 1) * Lines + h);
            }
            if (i < n)
            {
                int j = i & (Group - 1);
                TablePowSum.AddRealTerm(L.Load(buf + i * Lines + h), st.Tab, lc, tmp, sAcc + j * Lines + h, cAcc + j * Lines + h);
            }
            // the block body's fold of its logical accumulators, in order
            L hi = L.Zero, lo = L.Zero, c0 = L.Create(TablePowSum.RealStart);
            for (int j = 0; j < used; j++)
            {
                var v = L.Load(sAcc + j * Lines + h) - c0;
                var sum = hi + v;
                var bb = sum - hi;
                lo += ((hi - (sum - bb)) + (v - bb)) + L.Load(cAcc + j * Lines + h);
                hi = sum;
            }
            // the block's Fast2Sum and its scaling by 2ᴷ (Math.ScaleB by a K ≥ −1022 is this one multiplication)
            var fs = hi + lo;
            lo -= fs - hi;
            var pk = L.Load(stats + 5 * Lines + h);
            (fs * pk).Store(stats + 3 * Lines + h); (lo * pk).Store(stats + 4 * Lines + h);
        }
    }

    /// <summary>The block's reference exponent of a lane that has a sum: above its largest magnitude for p &gt; 0, at its
    /// smallest for p &lt; 0.</summary>
    private static int RefExponent(double* stats, int r, bool neg)
    {
        double v = neg ? stats[Lines + r] : stats[r];
        int e = v >= VecLogExp.MinNormal ? (int)(BitConverter.DoubleToInt64Bits(v) >> 52) - 1023 : Math.ILogB(v); // v > 0 finite
        return neg ? e : e + 1;
    }

    /// <summary>Exact statistics of each lane's line: max |x| [0] and min nonzero |x| [1] of the finite elements, and
    /// 1 in [2] for a line the block operator gives no sum (NaN; p &gt; 0: ∞ or all zeros; p &lt; 0: a zero or only ∞).</summary>
    internal static void Statistics<L>(double* buf, int n, bool neg, double* stats) where L : struct, ILanes<L>
    {
        int c = L.Count;
        var inf = L.Create(double.PositiveInfinity);
        for (int h = 0; h < Lines; h += c)
        {
            // exact statistics, in any order: NaN, ∞ and zero flags, max |x| and min nonzero |x| of the finite elements
            L mx = L.Zero, mn = inf, nan = L.Zero, isInf = L.Zero, zero = L.Zero;
            for (int i = 0; i < n; i++)
            {
                var a = L.Abs(L.Load(buf + i * Lines + h));
                var num = L.Equal(a, a);
                var fin = L.LessThan(a, inf);
                var z = L.Equal(a, L.Zero);
                nan |= ~num; isInf |= L.Equal(a, inf); zero |= z;
                mx = L.Max(mx, L.Select(fin, a, L.Zero));
                mn = L.Min(mn, L.Select(fin & ~z, a, inf));
            }
            var alone = neg ? nan | zero | L.Equal(mn, inf) : nan | isInf | L.Equal(mx, L.Zero);
            var one = L.Create(1.0);
            // p < 0: 2 for a line with a zero, 3 with a zero and a NaN (NegativeZeros.Flagged), else 1 when alone
            var code = neg ? (alone & one) + (zero & one) + (zero & nan & one) : alone & one;
            mx.Store(stats + h); mn.Store(stats + Lines + h); code.Store(stats + 2 * Lines + h);
        }
    }

    /// <summary>A line per lane: the block's table parts with the lane's −eb·P₁ added, its K bias and clamp.</summary>
    private readonly struct LineConsts<L> : TablePowSum.ILaneConsts<L> where L : struct, ILanes<L>
    {
        private readonly L _ebh, _ebl, _nkb, _zmin;

        public LineConsts(double pp, double p1h, double p1l, L ebh, L ebl, L nkb, L zmin)
        {
            Pp = pp; P1h = p1h; P1l = p1l; _ebh = ebh; _ebl = ebl; _nkb = nkb; _zmin = zmin;
        }

        public double Pp { get; }
        public double P1h { get; }
        public double P1l { get; }
        // the additions MakeTable makes for a block's exponent (gh + ebh, base + ebl), lane by lane
        public L Qh(double* tab, L j) => L.Lookup16(tab + TablePowSum.TabQh, j) + _ebh;
        public L Ql(double* tab, L j) => L.Lookup16(tab + TablePowSum.TabQl, j) + _ebl;
        public L NkBias => _nkb;
        public L ZMin => _zmin;
    }

    /// <summary>Roots and stores the pending float64 outputs: <see cref="LanePow"/>'s finish of a one-block line.</summary>
    private static void Flush(ref State st)
    {
        const int g = LanePow.Group;
        for (int i = st.Pending; i < g; i++) { st.Sh[i] = 1; st.Sl[i] = 0; st.Eb[i] = 0; } // idle lanes: any valid sum, scale 1
        double* rh = stackalloc double[g], rl = stackalloc double[g];
        int* rk = stackalloc int[g];
        LanePow.Roots(st.Sh, st.Sl, st.Se, st.P, st.Eb, rh, rl, rk); // stored as fl(rh + rl)·2^(rk + eb)
        double* v = stackalloc double[g];
        uint normal = LanePow.NormalLanes(rh, rl, rk, st.Eb, v);
        for (int i = 0; i < st.Pending; i++)
        {
            // LanePow's finish (Ext.Mul(Ext.Normalize(rh, rl, rk), 2^eb) stored by Rounding.ToDouble) by one
            // multiplication where the result is normal (LanePow.TryStoreNormal), else (overflow, subnormal) that code itself
            byte* d = (byte*)st.Dst[i];
            if ((normal & (1u << i)) != 0)
            {
                Unsafe.WriteUnaligned(d, v[i]);
                if (st.Memo != null && st.PSlot[i] >= 0) st.Memo->Enter(st.PSlot[i], st.PHash[i], (byte*)st.PLine[i], v[i]);
                continue;
            }
            st.Ev |= ResultWriter.Store(DType.Float64, d, Ext.Mul(Ext.Normalize(rh[i], rl[i], rk[i]), new Ext(1, 0, st.Eb[i])));
        }
        st.Pending = 0;
    }

    /// <summary>One line through the 1-D path's block operator, as <see cref="LanePow"/> finishes its special lines: NaN,
    /// ∞, zeros and empty sums with their values and events.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static FpEvents Alone(ReductionPlan plan, byte* xp, DType t, double p, DType ot, byte* d)
    {
        double* buf = stackalloc double[(int)Math.Min(plan.InnerCount, DoubleBlocks.BlockElements) * 2 + 8];
        var op = new GeneralPowOp(p, false, null);
        var part = op.Compute(new DoubleBlocks(plan, xp, t, buf).Next()); // the line is one block
        RealKernels.PowAcc acc = default, total = default;
        op.Apply(part, ref acc);
        op.Merge(ref total, acc);
        return op.Finish(total, ot, d);
    }
}
