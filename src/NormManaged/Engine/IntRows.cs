using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Many short lines of bool/integers, one reduced axis, any order p: bands of whole lines (at most
/// <see cref="BandElements"/> elements, so a bounded stack buffer) are widened to doubles — C-order rows in one
/// contiguous run, other rows (strided, reversed, every other element, rows of an N-D array) line by line — and the
/// band, a C-order float64 array, is reduced along its rows by the float64 dispatch (<see cref="SmallRows"/>,
/// <see cref="LaneSums"/>, <see cref="LanePow"/>, <see cref="LaneAcross"/>, <see cref="FloatMinMax"/>, …) instead
/// of one block-driver pass per line. Ord 2 (and ord 1 of lines from 16 elements) of bool and integers of ≤ 32 bits skip
/// the float64 kernels: plain exact sums along each widened line (<see cref="PlainRows"/>); so do ords 3 and 4
/// (<see cref="PowerRows"/>: exact plain sums below 2⁵³) and 1.5 and 2.5 (<see cref="HalfRows"/>: double-double sums
/// within 2⁻⁹⁴) of one kept axis, whose roots are taken in lanes and stored only where provably correctly rounded.
///
/// The values are the same: NumPy reduces an integer line as the same line converted to float64, and so do we — the
/// integer 1-D paths give, bit for bit, the float64 1-D result of the converted line for every order (every integer
/// of ≤ 32 bits is a double exactly, int64/uint64 are rounded as everywhere; tested per dtype and order). The float64
/// row kernels give each row the bits of that row reduced alone, whatever the number of rows in a band, so an integer
/// row here has the bits of the same integer line reduced alone. Rows are independent, so the band split and threads
/// cannot change any bit.</summary>
internal static unsafe class IntRows
{
    /// <summary>Doubles per band (the buffer, 32 KB).</summary>
    public const int BandElements = 4096;

    /// <summary>Whether <paramref name="t"/> is bool or an integer dtype.</summary>
    internal static bool IsInteger(DType t)
        => t is DType.Bool or DType.Int8 or DType.UInt8 or DType.Int16 or DType.UInt16 or DType.Int32
            or DType.UInt32 or DType.Int64 or DType.UInt64;

    /// <summary>True for at least two integer lines of 1 … <see cref="BandElements"/>/2 elements (general orders: 1 …
    /// <see cref="LaneSums.MaxInner"/>, the other orders but 1, 2 and ±∞: 1 … <see cref="MaxCostlyLine"/>) along one
    /// axis whose lines are not interleaved (those are <see cref="IntColumns"/>' when it takes them).</summary>
    public static bool Applies(ReductionPlan plan, DType t, double p)
    {
        if (!IsInteger(t) || double.IsNaN(p)) return false;
        if (plan.InnerShape.Length != 1 || plan.OuterShape.Length < 1 || plan.OuterCount < 2) return false;
        long n = plan.InnerCount;
        // general orders (1.7, …): lines longer than the float64 lane sums take go to LanePow straight from the
        // integers, which measured faster than widening first ((1000, 64) int8 ord 1.7: 265 µs there, 394 µs here);
        // the other costly orders up to MaxCostlyLine (longer lines: bands of a few rows, below the float64 lane
        // kernels' row counts, measured no faster than the integer block paths: int16 (500, 256) ord 3 the same;
        // columns of 500, ord 3: 282 µs there, 488 µs widened)
        return n >= 1 && n <= MostElements(t, p, BandElements / 2) && !IntColumns.Applies(plan, t, p);
    }

    /// <summary>Longest line widened for order <paramref name="p"/>: <paramref name="cheap"/> for 1, 2 and ±∞.</summary>
    internal static long MostElements(DType t, double p, long cheap)
        => p is 1 or 2 || double.IsInfinity(p) ? cheap : GeneralPowFast.Applies(t, p) ? LaneSums.MaxInner : MaxCostlyLine;

    /// <summary>The cheap orders 0, 1, 2 and ±∞ (a compare, an add or a square per element, no root), which the
    /// integer routes treat apart from the costly ones.</summary>
    internal static bool CheapOrder(double p) => p is 0 or 1 or 2 || double.IsInfinity(p);

    /// <summary>Whether <paramref name="lines"/> lines of <paramref name="n"/> elements are split over threads: from
    /// the block driver's threshold for the cheap orders 0, 1, 2 and ±∞; for the others from the general-p kernels'
    /// (a few ns a term), a line's root counted as <see cref="RootElements"/> terms, as the float64 lane kernels count
    /// it (3000 int8 rows of 4, ord 3: 0.79× NumPy on one thread, 1.06× on two).</summary>
    internal static bool Parallel(long lines, long n, double p)
        => Parallelism.MaxThreads > 1 && (CheapOrder(p)
            ? lines * n >= BlockDriver.ParallelThreshold : lines * (n + RootElements) >= GeneralPowOp.ParallelElements);

    /// <summary>Longest line taken for the orders other than 1, 2, ±∞ and general p.</summary>
    private const long MaxCostlyLine = 128;

    /// <summary>A line's root (double-double ln, division, exp) and store in terms of its elements' cost.</summary>
    private const long RootElements = 16;

    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, byte* o, double p)
    {
        long rows = plan.OuterCount;
        int threads = Parallelism.MaxThreads;
        byte* start = x + plan.InnerBaseOffset;
        if (Parallel(rows, plan.InnerCount, p))
        {
            nint xs = (nint)start, os = (nint)o;
            return Parallelism.ForOutputRanges(rows, threads, (lo, count) => Range(plan, (byte*)xs, t, (byte*)os, p, lo, count));
        }
        return Range(plan, start, t, o, p, 0, rows);
    }

    private static FpEvents Range(ReductionPlan plan, byte* start, DType t, byte* o, double p, long first, long count)
    {
        int n = (int)plan.InnerCount, size = DTypes.ItemSize(t);
        long step = plan.InnerStrides[0];
        // one kept axis: lines and outputs evenly spaced (C-order rows: the band is one contiguous run); several kept
        // axes that did not merge: walked one line at a time, the outputs stored through their offsets
        bool flat = plan.OuterShape.Length == 1;
        long lineStride = flat ? plan.OuterInStrides[0] : 0, outStride = flat ? plan.OuterOutStrides[0] : 0;
        bool joined = flat && step == size && lineStride == n * size;
        bool zeroesOut = p < 0 && !double.IsNegativeInfinity(p);
        // ord 1 rows below 16: the float64 row kernel's transposed lanes measured faster (int16 (3000, 4): 12 vs 15 µs)
        bool plain = (p == 2 || (p == 1 && n >= MinPlainAbsRow)) && IntSquaresOp.Handles(t);
        // bool ord 0.5 and −1 from the count of ones: c² (exact, c ≤ 2¹¹) and 1/n (one rounding) are the correctly
        // rounded norms, which the 1-D path gives for these orders (README "Accuracy"): the same bits
        bool counts = t == DType.Bool && p is 0.5 or -1;
        // ords 3 and 4 of integers (int64/uint64 as widened: integer-valued doubles), one kept axis: exact plain sums,
        // the roots in lanes (PowerRows)
        bool powers = p is 3 or 4 && flat && t != DType.Bool;
        // ords 1.5 and 2.5 of the same: double-double sums of |x|^k·√|x| (HalfRows), the same lane roots
        bool halves = p is 1.5 or 2.5 && flat && t != DType.Bool;
        int band = BandElements / n;
        double* buf = stackalloc double[band * n];
        double* res = stackalloc double[band];
        long* outAt = stackalloc long[flat ? 0 : band];
        bool* zero = stackalloc bool[zeroesOut ? band : 0];
        var lines = new LineWalk(plan, flat ? 0 : first, stackalloc long[flat ? 0 : plan.OuterShape.Length]);
        Span<long> shape = stackalloc long[2], strides = stackalloc long[2], oshape = stackalloc long[1], ostrides = stackalloc long[1];
        strides[0] = 8L * n; strides[1] = 8; shape[1] = n;
        var ev = FpEvents.None;
        for (long r = first; r < first + count; r += band)
        {
            int k = (int)Math.Min(band, first + count - r);
            byte* lines0 = start + r * lineStride;
            if (joined) Gather.Run(t, lines0, size, k * n, buf);
            else if (flat)
                for (int i = 0; i < k; i++) Gather.Run(t, lines0 + i * lineStride, step, n, buf + (long)i * n);
            else
                for (int i = 0; i < k; i++, lines.Next())
                {
                    Gather.Run(t, start + lines.In, step, n, buf + (long)i * n);
                    outAt[i] = lines.Out;
                }
            if (powers && PowerRows(buf, n, k, (int)p, res, o + r * outStride, outStride, ref ev)) continue;
            if (halves && HalfRows(buf, n, k, p, res, o + r * outStride, outStride, ref ev)) continue;
            if ((plain || counts) && PlainRows(buf, n, k, p == 2, res))
            {
                for (int i = 0; i < k; i++)
                {
                    double v = res[i];
                    if (counts) // bool: v = the line's count c of ones; Σ√x = c, so c²; Σ1/x = n (no zero), so 1/n
                    {
                        if (p == 0.5) v *= v;
                        else if (v < n) { v = 0; ev |= FpEvents.DivideByZero; } // a zero: +0, as the line alone
                        else v = 1.0 / n;
                    }
                    Unsafe.WriteUnaligned(o + (flat ? (r + i) * outStride : outAt[i]), v);
                }
                continue;
            }
            int m = zeroesOut ? DropZeroLines(buf, n, k, zero) : k;
            bool direct = flat && m == k; // the outputs written in place
            if (m > 0)
            {
                shape[0] = m; oshape[0] = m; ostrides[0] = direct ? outStride : 8;
                ev |= VectorNorms.Compute(new NdView(buf, DType.Float64, shape, strides), 2, Ord.Of(p),
                    new NdView(direct ? (double*)(o + r * outStride) : res, DType.Float64, oshape, ostrides));
            }
            if (m < k) ev |= FpEvents.DivideByZero;
            if (!direct)
                for (int i = 0, j = 0; i < k; i++)
                    Unsafe.WriteUnaligned(o + (flat ? (r + i) * outStride : outAt[i]), m < k && zero[i] ? 0.0 : res[j++]);
        }
        return ev;
    }

    /// <summary>The kept positions of a plan in order (the last kept axis fastest), from a given one: the byte offsets
    /// of each line's first element and of its output.</summary>
    private ref struct LineWalk
    {
        private readonly ReductionPlan _plan;
        private readonly Span<long> _index;
        /// <summary>Byte offset of the current line.</summary>
        public long In;
        /// <summary>Byte offset of the current output.</summary>
        public long Out;

        public LineWalk(ReductionPlan plan, long first, Span<long> index)
        {
            _plan = plan; _index = index; In = 0; Out = 0;
            for (int d = index.Length - 1; d >= 0; d--)
            {
                index[d] = first % plan.OuterShape[d];
                first /= plan.OuterShape[d];
                In += index[d] * plan.OuterInStrides[d];
                Out += index[d] * plan.OuterOutStrides[d];
            }
        }

        /// <summary>Moves to the next kept position (past the last one: anywhere, not to be read).</summary>
        public void Next()
        {
            for (int d = _index.Length - 1; d >= 0; d--)
            {
                In += _plan.OuterInStrides[d]; Out += _plan.OuterOutStrides[d];
                if (++_index[d] < _plan.OuterShape[d] || d == 0) return;
                In -= _index[d] * _plan.OuterInStrides[d]; Out -= _index[d] * _plan.OuterOutStrides[d];
                _index[d] = 0;
            }
        }
    }

    /// <summary>Shortest row whose 1-norm <see cref="PlainRows"/> takes.</summary>
    private const int MinPlainAbsRow = 16;

    /// <summary>res[r] = Σ|x| (or √Σx² when <paramref name="squares"/>) of the <paramref name="k"/> widened lines of
    /// <paramref name="n"/> doubles at <paramref name="buf"/>, by plain double sums along each line; true when every
    /// sum is below 2⁵³ (else res is partly written and the band goes through the float64 kernels). Bool and integers of
    /// ≤ 32 bits only: then each sum is exact in any order (non-negative terms, so every partial sum and computed term is
    /// below the final one, and an integer result below 2⁵³ rounds to itself; <see cref="IntColumns"/>' PlainSums
    /// argument), so the 1-norm is that sum and the 2-norm its correctly rounded root — the unique values the float64
    /// 1-D path gives the converted line (its 1-norm is correctly rounded away from midpoints, an exact double is none;
    /// its 2-norm always). The float64 row kernels' scaled double-double sums are not needed: int8 (1000, 64) ord 2
    /// 0.82–1.2× NumPy.</summary>
    private static bool PlainRows(double* buf, int n, int k, bool squares, double* res)
    {
        const double limit = 9007199254740992.0; // 2^53
        for (int r = 0; r < k; r++)
        {
            double* line = buf + (long)r * n;
            var a0 = Vector256<double>.Zero; var a1 = Vector256<double>.Zero;
            int i = 0;
            for (; i <= n - 8; i += 8)
            {
                Vector256<double> u = Vector256.Load(line + i), v = Vector256.Load(line + i + 4);
                a0 += squares ? u * u : Vector256.Abs(u);
                a1 += squares ? v * v : Vector256.Abs(v);
            }
            if (i <= n - 4) { var u = Vector256.Load(line + i); a0 += squares ? u * u : Vector256.Abs(u); i += 4; }
            double s = Vector256.Sum(a0 + a1);
            for (; i < n; i++) s += squares ? line[i] * line[i] : Math.Abs(line[i]);
            if (!(s < limit)) return false;
            res[r] = squares ? Math.Sqrt(s) : s;
        }
        return true;
    }

    /// <summary>Ord <paramref name="p"/> = 3 or 4 of the <paramref name="k"/> widened integer lines of <paramref name="n"/>
    /// doubles at <paramref name="buf"/>, stored at <paramref name="o"/> (<paramref name="outStride"/> bytes apart); false
    /// (nothing stored) when some line's plain double Σ|x|^p reaches 2⁵³ — the band then goes through the float64 kernels.
    ///
    /// Below 2⁵³ each sum S is exact: the terms x·x(·x, ·x²) are integers and non-negative, every partial product and
    /// partial sum is at most the final sum, rounding is monotone, and an integer operation whose rounded result is
    /// below 2⁵³ was exact (<see cref="PlainRows"/>' argument). The norm is then R = S^(1/p) of an exact integer S. The
    /// roots are <see cref="LanePow.Roots(double*, double*, int*, double, int*, double*, double*, int*)"/> of (S, 0) with
    /// the scale 2⁰, stored as <see cref="LaneIntSums"/>' flush stores them: fl(rh + rl)·2^rk where that pair lies
    /// farther than <see cref="RealPowOp.TieMargin"/> (2⁻⁶⁸) from every float64 rounding midpoint
    /// (<see cref="Midpoint.MaybeNear64"/>) — Roots' pair is the double-double root D or one proven to round as D does,
    /// and |D − R| ≲ 2⁻⁸⁵·R, so that store is the correctly rounded R. README "Accuracy": float64 whole orders 3…64 are
    /// correctly rounded on every path, so this is the bit pattern of the float64 1-D path of the converted line (which is
    /// that of the integer line). A root within the margin, or one that is not a normal double (none is: 1 ≤ R &lt; 2¹⁸),
    /// goes to the float64 dispatch for its line alone; S = 0 (a line of zeros) gives +0, as every path, no event.
    /// The sums beat the float64 row kernels' double-double terms and per-line bookkeeping: the roots are most of the
    /// cost left.</summary>
    private static bool PowerRows(double* buf, int n, int k, int p, double* res, byte* o, long outStride, ref FpEvents ev)
    {
        const double limit = 9007199254740992.0; // 2^53
        for (int r = 0; r < k; r++)
        {
            double* line = buf + (long)r * n;
            var a0 = Vector256<double>.Zero; var a1 = Vector256<double>.Zero;
            int i = 0;
            for (; i <= n - 8; i += 8)
            {
                Vector256<double> u = Vector256.Load(line + i), v = Vector256.Load(line + i + 4);
                Vector256<double> u2 = u * u, v2 = v * v;
                a0 += p == 3 ? u2 * Vector256.Abs(u) : u2 * u2;
                a1 += p == 3 ? v2 * Vector256.Abs(v) : v2 * v2;
            }
            if (i <= n - 4) { var u = Vector256.Load(line + i); var u2 = u * u; a0 += p == 3 ? u2 * Vector256.Abs(u) : u2 * u2; i += 4; }
            double s = Vector256.Sum(a0 + a1);
            for (; i < n; i++) { double x2 = line[i] * line[i]; s += p == 3 ? x2 * Math.Abs(line[i]) : x2 * x2; }
            if (!(s < limit)) return false;
            res[r] = s;
        }
        StoreRoots(buf, n, k, p, res, null, o, outStride, ref ev);
        return true;
    }

    /// <summary>The roots S^(1/p) of the <paramref name="k"/> sums (sh, sl) = (res[r], lo[r]) (lo null: 0), each within
    /// 2⁻⁹⁰ (relative) of the line's exact Σ|x|^p, stored correctly rounded (see <see cref="PowerRows"/>; the double-double
    /// root D of the given sum lies within 2⁻⁸⁵ of its exact root, which lies within 2⁻⁹⁰/|p| of the line's norm R, so a
    /// pair 2⁻⁶⁸ clear of every midpoint rounds as R); a zero sum gives +0.</summary>
    private static void StoreRoots(double* buf, int n, int k, double p, double* res, double* lo, byte* o, long outStride, ref FpEvents ev)
    {
        const int g = LanePow.Group;
        double* sh = stackalloc double[g], sl = stackalloc double[g], rh = stackalloc double[g], rl = stackalloc double[g];
        int* se = stackalloc int[g], eb = stackalloc int[g], rk = stackalloc int[g];
        for (int i = 0; i < g; i++) { sl[i] = 0; se[i] = 0; eb[i] = 0; }
        for (int r0 = 0; r0 < k; r0 += g)
        {
            int m = Math.Min(g, k - r0);
            for (int i = 0; i < g; i++)
            {
                bool use = i < m && res[r0 + i] > 0;
                sh[i] = use ? res[r0 + i] : 1; // idle lanes, zero sums: any valid sum
                sl[i] = use && lo != null ? lo[r0 + i] : 0;
            }
            LanePow.Roots(sh, sl, se, p, eb, rh, rl, rk);
            for (int i = 0; i < m; i++)
            {
                int r = r0 + i;
                byte* dst = o + r * outStride;
                if (res[r] == 0) { Unsafe.WriteUnaligned(dst, 0.0); continue; }
                if (!Midpoint.MaybeNear64(rh[i], rl[i], RealPowOp.TieMargin) && LanePow.TryStoreNormal(rh[i], rl[i], rk[i], dst)) continue;
                ev |= LineAlone(buf + (long)r * n, n, p, dst);
            }
        }
    }

    /// <summary>Ord <paramref name="p"/> = 1.5 or 2.5 of the <paramref name="k"/> widened integer lines (as
    /// <see cref="PowerRows"/>); false (nothing stored) when a line holds |x| ≥ 2²⁶ (then x² is not exact).
    ///
    /// Each term a^j·√a (a = |x| &lt; 2²⁶, j = ⌊p⌋) as a double-double: s = fl(√a) = √a(1 + δ), |δ| ≤ 2⁻⁵³; e = a − s²
    /// exactly (one FMA: s² lies within 2⁻⁵² of a); c = fl(e/(2s)). √a = s·√(1 + τ), τ = e/s², |τ| ≤ 2⁻⁵¹·⁹, and
    /// s(1 + τ/2) drops ≤ s·τ²/8 ≤ s·2⁻¹⁰⁶, c's rounding ≤ |e/(2s)|·2⁻⁵³ ≤ s·2⁻¹⁰⁶: s + c = √a(1 + ε₁), |ε₁| ≤ 2⁻¹⁰⁴.
    /// q = a^j is exact (an integer below 2⁵²); th = fl(q·s) and FMA(q, s, −th) exactly, plus fl(q·c) (≤ 2⁻⁵¹·th, one
    /// rounding, ≤ 2⁻¹⁰⁴·th), summed once more (≤ 2⁻¹⁰⁴·th): the term is th + tl within 2⁻¹⁰²·term. The terms are added to
    /// 4-lane TwoSum accumulators (the high parts exactly; the low parts, each ≤ 2⁻⁵¹ of a partial sum, in plain
    /// doubles: ≤ n·2⁻¹⁰⁴·S), the lanes joined pairwise by TwoSum (their errors and low parts added plainly): the sum is within (n + 8)·2⁻¹⁰²·S ≤ 2⁻⁹⁴·S for n ≤ 128 of
    /// Σ|x|^p. All values are finite and normal or zero (a^p &lt; 2⁶⁵, a = 0 gives the term 0 exactly, c = 0).
    /// <see cref="StoreRoots"/> then stores the correctly rounded norm — the value of every path: half-integer
    /// orders are correctly rounded without exception (README "Accuracy"), so these are the float64 1-D path's bits for
    /// the converted line, i.e. the integer line's.</summary>
    private static bool HalfRows(double* buf, int n, int k, double p, double* res, byte* o, long outStride, ref FpEvents ev)
    {
        const double big = 67108864.0; // 2^26
        bool cube = p == 2.5; // j = 2
        double* lo = stackalloc double[k];
        for (int r = 0; r < k; r++)
        {
            double* line = buf + (long)r * n;
            Vector256<double> hi = Vector256<double>.Zero, lw = Vector256<double>.Zero, mx = Vector256<double>.Zero;
            int i = 0;
            for (; i <= n - 4; i += 4)
            {
                var a = Vector256.Abs(Vector256.Load(line + i));
                mx = Vector256.Max(mx, a);
                var sq = Vector256.Sqrt(a);
                var e = Vector256.FusedMultiplyAdd(-sq, sq, a);
                var hs = Vector256.Max(sq, Vector256<double>.One); // a ≥ 1 or a = 0 (then e = 0)
                var c = e / (hs + hs);
                var q = cube ? a * a : a;
                var th = q * sq;
                var tl = Vector256.FusedMultiplyAdd(q, sq, -th) + q * c;
                var t = hi + th;
                var bb = t - hi;
                lw += ((hi - (t - bb)) + (th - bb)) + tl;
                hi = t;
            }
            // the lanes joined pairwise by TwoSum (halves, then the two left): two short chains, no stores
            Vector128<double> a0 = hi.GetLower(), a1 = hi.GetUpper(), t2 = a0 + a1, b2 = t2 - a0;
            var l2 = (lw.GetLower() + lw.GetUpper()) + ((a0 - (t2 - b2)) + (a1 - b2));
            double x0 = t2.ToScalar(), x1 = t2.GetElement(1), sh = x0 + x1, b1 = sh - x0;
            double sl = (l2.ToScalar() + l2.GetElement(1)) + ((x0 - (sh - b1)) + (x1 - b1));
            var m2 = Vector128.Max(mx.GetLower(), mx.GetUpper());
            double m = Math.Max(m2.ToScalar(), m2.GetElement(1));
            for (; i < n; i++)
            {
                double a = Math.Abs(line[i]);
                m = Math.Max(m, a);
                double sq = Math.Sqrt(a), e = Math.FusedMultiplyAdd(-sq, sq, a), hs = Math.Max(sq, 1.0);
                double c = e / (hs + hs), q = cube ? a * a : a, th = q * sq;
                double tl = Math.FusedMultiplyAdd(q, sq, -th) + q * c;
                TwoSumInto(ref sh, ref sl, th);
                sl += tl;
            }
            if (!(m < big)) return false;
            double f = sh + sl; // Fast2Sum: |sl| is far below sh (or both 0)
            res[r] = f; lo[r] = sl - (f - sh);
        }
        StoreRoots(buf, n, k, p, res, lo, o, outStride, ref ev);
        return true;
    }

    /// <summary>(s, c) += x: TwoSum of s and x into s, its error added to c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TwoSumInto(ref double s, ref double c, double x)
    {
        double t = s + x, bb = t - s;
        c += (s - (t - bb)) + (x - bb);
        s = t;
    }

    /// <summary>One widened line (n doubles) reduced alone by the float64 dispatch into the double at <paramref name="dst"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static FpEvents LineAlone(double* line, int n, double p, byte* dst)
    {
        Span<long> shape = stackalloc long[1], strides = stackalloc long[1];
        shape[0] = n; strides[0] = 8;
        return VectorNorms.Compute(new NdView(line, DType.Float64, shape, strides), 1, Ord.Of(p),
            new NdView((double*)dst, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
    }

    /// <summary>Negative finite orders: moves the <paramref name="k"/> lines of <paramref name="n"/> doubles at
    /// <paramref name="buf"/> that hold no zero to its front, in order, and returns how many; <paramref name="zero"/>[i]
    /// tells whether line i holds a zero.
    /// Such a line's norm is exactly +0 with a divide-by-zero event (1/0 = ∞ in its sum, ∞^(1/p) = 0), the value
    /// and event of every path for it alone, whereas the float64 row kernels send it to the 1-D path alone — the
    /// survey's int rows of 64 with a zero nearly every row measured 2× slower that way.</summary>
    private static int DropZeroLines(double* buf, int n, int k, bool* zero)
    {
        int m = 0;
        for (int i = 0; i < k; i++)
        {
            double* line = buf + (long)i * n;
            zero[i] = HasZero(line, n);
            if (zero[i]) continue;
            if (m != i) Buffer.MemoryCopy(line, buf + (long)m * n, 8L * n, 8L * n);
            m++;
        }
        return m;
    }

    private static bool HasZero(double* line, int n)
    {
        int i = 0;
        for (; i <= n - 4; i += 4)
            if (Vector256.EqualsAny(Vector256.Load(line + i), Vector256<double>.Zero)) return true;
        for (; i < n; i++)
            if (line[i] == 0) return true;
        return false;
    }
}

/// <summary>Columns of a C-order bool/integer array (the reduced axis strided, the outputs adjacent), any order p, at
/// most <see cref="MaxRows"/> rows (fewer for the costly orders: <see cref="IntRows.MostElements"/>): bands of adjacent columns (all rows, at most <see cref="BandElements"/> elements)
/// are widened row segment by row segment into a stack buffer and reduced along its columns by the float64 dispatch
/// (<see cref="AcrossOutputs"/>, <see cref="AcrossOutputsWide"/>, <see cref="LaneAcross"/>, …) instead of one
/// strided block-driver pass per column. The values are the same, as for <see cref="IntRows"/>: an integer line's norm
/// is the float64 norm of the converted line, and the float64 column kernels give each column its lone-line bits.
/// Columns are independent, so the band split and threads cannot change any bit.</summary>
internal static unsafe class IntColumns
{
    /// <summary>Doubles per band of columns up to <see cref="StackRows"/> rows (a stack buffer, 64 KB).</summary>
    public const int BandElements = 8192;

    /// <summary>Doubles per band of longer columns (a pinned buffer per thread, 256 KiB, <see cref="WideBuffer"/>).</summary>
    private const int WideElements = 1 << 15;

    /// <summary>Most rows widened into the stack buffer.</summary>
    private const int StackRows = BandElements / 16;

    /// <summary>Most rows (reduced length) handled: a band still holds 16 columns (one across-outputs vector set). Columns
    /// of 513 … 2048 rows went each alone through IntRows' line widening (every element from another cache line):
    /// (600, 800) C columns, bool ±∞ / 0 0.34–0.39× NumPy, int64 / int16 ±∞ 270–290 µs against float64's 52.</summary>
    public const int MaxRows = WideElements / 16;

    /// <summary>Columns per band for columns of <paramref name="m"/> rows: as many as the band's buffer holds, a multiple of eight (long
    /// columns: a multiple of 16, so rows widen without a scalar tail — 54 columns of 600 int64 rows left Gather 9 % of
    /// the call).</summary>
    internal static int BandColumns(long cols, long m) => (int)Math.Min(cols, m <= StackRows ? BandElements / m & ~7L : WideElements / m & ~15L);

    [ThreadStatic] private static byte[]? t_wide;

    /// <summary>This thread's buffer for bands of long columns (<see cref="WideElements"/> doubles, kept for the thread's
    /// life; not <see cref="ColumnBands"/>' buffer, which holds the compacted band a widened band may be cut from).</summary>
    private static double* WideBuffer() => (double*)ColumnBands.Pinned(ref t_wide, WideElements * sizeof(double));

    /// <summary>Most rows for order <paramref name="p"/>: the cheap orders' <see cref="MaxRows"/> for ord 0 (its float64
    /// column path is a compare per element) and for the orders whose float64 column kernels take long columns
    /// (<see cref="DDColumns"/>, <see cref="LaneAcross"/>, <see cref="Float64NegCols"/>); the other orders keep
    /// <see cref="IntRows.MostElements"/>' limits. A/B against their lines alone, int32
    /// (600, 800) / (2000, 300) / (1000, 100) columns: ½, 1.5, 2.5, 3, 4 1.03–2.4× faster; −1, −2, −2.5, −3 1.2–2.8×
    /// without zeros but down to 0.56× with zeros in every column (the lines alone stop early) over the 16-column bands of
    /// (2000, 300), so those from 32-column bands only (≤ 1024 rows); −½, −1.5, 1.7 0.25–0.9× (not taken). Ords 5 … 8 since
    /// DDColumns takes float64 columns of them (session 27): ord 5 int32 (600, 800) 672 → 243 µs, (1000, 100) 127 → 55,
    /// (2000, 300) 641 → 358, int64 / uint8 <c>[::2, ::3]</c> 319 → 100 / 304 → 69, (4, 3000) 46 → 39; ords 6 … 8 int32 /
    /// int64 (600, 800) 735 / 730 → 308 / 294, int16 (2000, 300) 738 → 459, uint8 <c>[::2, ::3]</c> 263 → 90.</summary>
    private static long MostRows(DType t, double p)
        => p is 0 or 0.5 or 1.5 or 2.5 or 3 or 4 or 5 or 6 or 7 or 8 ? MaxRows
         : p is -1 or -2 or -2.5 or -3 ? WideElements / 32
         : IntRows.MostElements(t, p, MaxRows);

    public static bool Applies(ReductionPlan plan, DType t, double p)
    {
        if (!IntRows.IsInteger(t) || double.IsNaN(p)) return false;
        if (plan.InnerShape.Length != 1 || plan.OuterShape.Length != 1 || plan.OuterCount < 16) return false;
        long m = plan.InnerCount, size = DTypes.ItemSize(t);
        return m >= 2 && (m <= MostRows(t, p) || LongPlain(t, p, m))
               && plan.OuterInStrides[0] == size && plan.InnerStrides[0] >= plan.OuterCount * size;
    }

    /// <summary>Columns longer than the stack bands take (more than <see cref="StackRows"/> rows) at ord 1 and 2 of bool and
    /// integers of ≤ 32 bits: <see cref="PlainSums"/> over the whole column, rows split over threads (the sums are
    /// exact, so any split gives the same bits). Before, such columns went to <see cref="IntRows"/>, which gathers each
    /// strided column alone: int16 (2000, 60) `axis=0` 212 µs against float64's 63 µs.</summary>
    private static bool LongPlain(DType t, double p, long m) => p is 1 or 2 && IntSquaresOp.Handles(t) && m > StackRows && m <= int.MaxValue;

    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, byte* o, double p)
    {
        long cols = plan.OuterCount, m = plan.InnerCount;
        if (LongPlain(t, p, m))
        {
            // LongPlain's columns; a sum of 2⁵³ or more (|x| near 2²⁶ and beyond) goes to the block driver, the
            // exact path these orders took before the bands (the same bits as every integer path: the converted line's)
            if (Plain(plan, x + plan.InnerBaseOffset, t, o, p == 2)) return FpEvents.None;
            return p == 2
                ? BlockDriver.Run<IntSquaresOp, ScaledSum>(plan, x, t, o, DType.Float64, new IntSquaresOp(t))
                : BlockDriver.Run<IntPowOp, ScaledSum>(plan, x, t, o, DType.Float64, new IntPowOp(1));
        }
        int band = BandColumns(cols, m);
        byte* start = x + plan.InnerBaseOffset;
        int threads = Parallelism.MaxThreads;
        if ((p == 2 || p == 1) && IntSquaresOp.Handles(t) && cols * m < BlockDriver.ParallelThreshold && Plain(plan, start, t, o, p == 2))
            return FpEvents.None;
        bool par = IntRows.Parallel(cols, m, p);
        // with threads, at least four bands a thread (multiples of 16 columns): (4, 3000) made two bands of 2048 and
        // 952 columns, one thread waited for the other, and each band's float64 kernel sought threads of its own
        // (int32 ord −1 26 µs on one thread, 24 on two). Every output is its line's value whatever the band.
        if (par) band = (int)Math.Min(band, Math.Max(64, ((cols + 4 * threads - 1) / (4 * threads) + 15) & ~15L));
        long bands = (cols + band - 1) / band;
        if (bands > 1 && par)
        {
            nint xs = (nint)start, os = (nint)o;
            return Parallelism.ForOutputRanges(bands, threads, (lo, count) => Range(plan, (byte*)xs, t, (byte*)os, p, band, lo, count));
        }
        return Range(plan, start, t, o, p, band, 0, bands);
    }

    private static FpEvents Range(ReductionPlan plan, byte* start, DType t, byte* o, double p, int band, long firstBand, long count)
    {
        long cols = plan.OuterCount, rowStride = plan.InnerStrides[0], outStride = plan.OuterOutStrides[0];
        int m = (int)plan.InnerCount, size = DTypes.ItemSize(t);
        double* buf = stackalloc double[m <= StackRows ? m * band : 0];
        if (m > StackRows) buf = WideBuffer();
        Span<long> shape = stackalloc long[2], strides = stackalloc long[2], oshape = stackalloc long[1], ostrides = stackalloc long[1];
        shape[0] = m; strides[1] = 8; ostrides[0] = outStride;
        bool simd = IntWiden.Handles(t, size), zeroesOut = p < 0 && !double.IsNegativeInfinity(p);
        // ord 2 and 0.5: an all-zero column's norm is exactly +0 with no event on every path (√0, 0²), but the float64
        // kernels' range tests (a sum ≥ 2⁻⁹⁰⁰ for √, ≥ 2⁻⁶⁰⁰ for the double-double roots) send it to the 1-D path alone:
        // int64 (4, 3000) ord 2 with a zero column in 16 ran 0.41× NumPy, int16 ord 0.5 0.41×. Integer squares and
        // roots of nonzero values are ≥ 1, so only all-zero columns fail those tests; marked the same way
        bool zeroesPositive = p is 2 or 0.5;
        bool ahead = m * rowStride > Kernels.Prefetch.CacheBytes; // the input beyond L2
        double* zero = stackalloc double[zeroesOut || zeroesPositive ? band : 0];
        var ev = FpEvents.None;
        for (long b = firstBand; b < firstBand + count; b++)
        {
            long c0 = b * band;
            int k = (int)Math.Min(band, cols - c0);
            for (int i = 0; i < m; i++)
            {
                // short segments: the vector widening directly, Gather (with its dispatch) only for the tail
                byte* src = start + i * rowStride + c0 * size;
                double* dst = buf + (long)i * k;
                // a band's piece of a row is a few cache lines, the next row's a whole row away: the hardware
                // prefetchers do not follow (int64 (600, 800) columns ord 1: IntWiden 30 % of the call)
                if (ahead && i + ColumnBands.Ahead < m) ColumnBands.AheadRow(src + ColumnBands.Ahead * rowStride, (long)k * size);
                int done = simd ? IntWiden.Run(t, src, k, dst) : 0;
                if (done < k) Gather.Run(t, src + done * size, size, k - done, dst + done);
            }
            bool zeros = zeroesOut ? MarkZeroColumns(buf, m, k, zero) : zeroesPositive && MarkAllZeroColumns(buf, m, k, zero);
            shape[1] = k; strides[0] = 8L * k; oshape[0] = k;
            ev |= VectorNorms.Compute(new NdView(buf, DType.Float64, shape, strides), 1, Ord.Of(p),
                new NdView(o + c0 * outStride, DType.Float64, oshape, ostrides));
            if (!zeros) continue;
            for (int j = 0; j < k; j++)
                if (zero[j] != 0) Unsafe.WriteUnaligned(o + (c0 + j) * outStride, 0.0);
            if (zeroesOut) ev |= FpEvents.DivideByZero;
        }
        return ev;
    }

    /// <summary>Ord 2 and 0.5: <paramref name="zero"/>[j] ≠ 0 for each of the <paramref name="k"/> columns of the
    /// m × k band whose values are all zero (±0), whose values are then replaced by ones; true when there was any. Such
    /// a column's norm is exactly +0 without event on every path for it alone (Σ of +0 terms is +0, its root +0),
    /// written over whatever the ones gave; the other columns are untouched, so their bits do not change.</summary>
    private static bool MarkAllZeroColumns(double* buf, int m, int k, double* zero)
    {
        // first a sample of up to 64 evenly spaced columns: without a column there whose first two values are zero
        // (typical data), the band is left as it is — a zero column it may still hold takes the 1-D path as before
        // (the same bits either way); the full pass below cost random int64 (4, 3000) ord 2 ~6 %
        double* r1 = buf + k;
        bool sampled = false;
        for (int q = 0; q < 64 && !sampled; q++)
        {
            long j = (long)q * k / 64;
            sampled = buf[j] == 0 && r1[j] == 0;
        }
        if (!sampled) return false;
        // candidates: columns whose first two values are zero (m ≥ 2), sixteen columns at a time by vector compares
        // with one branch per block, each checked down its column; zero[] is cleared and written only once a column
        // qualifies
        bool found = false;
        var z0 = Vector256<double>.Zero;
        for (int j0 = 0; j0 < k; j0 += 16)
        {
            if (j0 + 16 <= k)
            {
                var any = (Vector256.Equals(Vector256.Load(buf + j0), z0) & Vector256.Equals(Vector256.Load(r1 + j0), z0))
                          | (Vector256.Equals(Vector256.Load(buf + j0 + 4), z0) & Vector256.Equals(Vector256.Load(r1 + j0 + 4), z0))
                          | (Vector256.Equals(Vector256.Load(buf + j0 + 8), z0) & Vector256.Equals(Vector256.Load(r1 + j0 + 8), z0))
                          | (Vector256.Equals(Vector256.Load(buf + j0 + 12), z0) & Vector256.Equals(Vector256.Load(r1 + j0 + 12), z0));
                if (any == Vector256<double>.Zero) continue;
            }
            for (int j = j0; j < Math.Min(k, j0 + 16); j++)
            {
                int i = 0;
                while (i < m && buf[(long)i * k + j] == 0) i++;
                if (i < m) continue;
                if (!found) { new Span<double>(zero, k).Clear(); found = true; }
                zero[j] = 1;
                for (i = 0; i < m; i++) buf[(long)i * k + j] = 1;
            }
        }
        return found;
    }

    /// <summary>Negative finite orders: <paramref name="zero"/>[j] ≠ 0 for each of the <paramref name="k"/> columns
    /// of the m × k band that holds a zero, whose zeros are then replaced by ones; true when there was any. Such a
    /// column's norm is exactly +0 with a divide-by-zero event (1/0 = ∞ in its sum, ∞^(1/p) = 0: the value and event
    /// of every path for it alone), written over whatever the ones gave; the float64 across-outputs kernels would
    /// send it to the 1-D path alone (int16 (16, 3000) with zeros, ord −1: 0.87× NumPy). The other columns are
    /// independent of it, so their bits do not change.</summary>
    private static bool MarkZeroColumns(double* buf, int m, int k, double* zero)
    {
        new Span<double>(zero, k).Clear();
        var one = Vector256<double>.One;
        for (int i = 0; i < m; i++)
        {
            double* row = buf + (long)i * k;
            int j = 0;
            for (; j <= k - 4; j += 4)
            {
                var v = Vector256.Load(row + j);
                var z = Vector256.Equals(v, Vector256<double>.Zero);
                if (z == Vector256<double>.Zero) continue;
                Vector256.Store(Vector256.ConditionalSelect(z, one, v), row + j);
                Vector256.Store(Vector256.Load(zero + j) | z, zero + j);
            }
            for (; j < k; j++)
                if (row[j] == 0) { row[j] = 1; zero[j] = 1; }
        }
        for (int j = 0; j < k; j++)
            if (zero[j] != 0) return true;
        return false;
    }

    /// <summary>Columns this many at a time in <see cref="Plain"/> (two stack buffers of as many doubles).</summary>
    private const int PlainWidth = 1024;

    /// <summary>Rows per part of <see cref="Plain"/> (fixed by the shape; exact sums make the split invisible).</summary>
    private const int LongRowsPerPart = 1024;

    /// <summary>Every output from <see cref="PlainSums"/>: chunks of <see cref="PlainWidth"/> adjacent columns, each
    /// summed over row ranges of <see cref="LongRowsPerPart"/> (in parallel when large) whose exact partial sums add
    /// exactly; false (outputs partly written, all to be rewritten by an exact path) as soon as some column's sum
    /// reaches 2⁵³. Columns of at most <see cref="LongRowsPerPart"/> rows (one range) take a stack buffer.</summary>
    private static bool Plain(ReductionPlan plan, byte* start, DType t, byte* o, bool squares)
    {
        long cols = plan.OuterCount, rowStride = plan.InnerStrides[0], outStride = plan.OuterOutStrides[0];
        int m = (int)plan.InnerCount, size = DTypes.ItemSize(t);
        bool simd = IntWiden.Handles(t, size);
        int parts = (m + LongRowsPerPart - 1) / LongRowsPerPart;
        int threads = cols * m >= BlockDriver.ParallelThreshold ? Math.Min(parts, Parallelism.MaxThreads) : 1;
        int width = (int)Math.Min(PlainWidth, cols);
        double[]? rented = parts > 1 ? ArrayPool<double>.Shared.Rent(parts * width) : null;
        double* one = stackalloc double[parts > 1 ? 0 : width];
        double* row = stackalloc double[parts > 1 ? 0 : width];
        try
        {
            for (long c0 = 0; c0 < cols; c0 += PlainWidth)
            {
                int k = (int)Math.Min(PlainWidth, cols - c0);
                fixed (double* pr = rented)
                {
                    double* acc = parts > 1 ? pr : one;
                    byte* src = start + c0 * size;
                    // one range (every short column): no closure, no pool call on the small-call path
                    if (parts == 1 ? !PlainSums(src, t, m, k, rowStride, squares, simd, row, acc)
                                   : !PlainRanges(src, t, m, k, rowStride, squares, simd, parts, threads, acc))
                        return false;
                    int j = 0;
                    // eight outputs a step where they are adjacent (vsqrtpd rounds each lane as Math.Sqrt does; the
                    // scalar root per output was half of int32 (4, 3000) ord 2, 0.79× NumPy)
                    if (outStride == 8 && Vector512.IsHardwareAccelerated)
                        for (; j + 8 <= k; j += 8)
                        {
                            var a = Vector512.Load(acc + j);
                            if (!Vector512.LessThanAll(a, Vector512.Create(9007199254740992.0))) return false;
                            (squares ? Vector512.Sqrt(a) : a).Store((double*)(o + (c0 + j) * 8));
                        }
                    for (; j < k; j++)
                    {
                        if (!(acc[j] < 9007199254740992.0)) return false;
                        Unsafe.WriteUnaligned(o + (c0 + j) * outStride, squares ? Math.Sqrt(acc[j]) : acc[j]);
                    }
                }
            }
            return true;
        }
        finally { if (rented != null) ArrayPool<double>.Shared.Return(rented); }
    }

    /// <summary>acc[j] = the exact Σ of <see cref="PlainSums"/> over all m rows as <paramref name="parts"/> ranges of
    /// <see cref="LongRowsPerPart"/> rows (on up to <paramref name="threads"/> threads; acc holds parts·k doubles, the
    /// ranges' partials added in order after); false when some range's sum reaches 2⁵³.</summary>
    private static bool PlainRanges(byte* start, DType t, int m, int k, long rowStride, bool squares, bool simd, int parts, int threads, double* acc)
    {
        bool ok = true;
        nint ps = (nint)acc, src = (nint)start;
        Parallelism.For(parts, threads, r =>
        {
            int r0 = r * LongRowsPerPart, rn = Math.Min(LongRowsPerPart, m - r0);
            double* row = stackalloc double[k];
            if (!PlainSums((byte*)src + r0 * rowStride, t, rn, k, rowStride, squares, simd, row, (double*)ps + (long)r * k))
                Volatile.Write(ref ok, false);
        });
        if (!ok) return false;
        for (int r = 1; r < parts; r++)
        {
            double* q = acc + (long)r * k;
            for (int j = 0; j < k; j++) acc[j] += q[j];
        }
        return true;
    }

    /// <summary>acc[j] = plain double Σx² (or Σ|x|) of columns j &lt; k, rows widened one segment at a time into
    /// <paramref name="row"/>; true when every sum is below 2⁵³. Then each sum is exact: terms and partial sums only
    /// grow (non-negative terms, monotone rounding), so every computed term and partial sum is below 2⁵³ too, and an
    /// integer operation whose rounded result is below 2⁵³ had an exact result below 2⁵³, which is a double. √ of
    /// the exact sum (Math.Sqrt rounds correctly) is then the correctly rounded 2-norm and the sum itself the 1-norm —
    /// the unique values the exact paths give. Typical integer data (|x| well below 2²⁶) always passes.</summary>
    private static bool PlainSums(byte* start, DType t, int m, int k, long rowStride, bool squares, bool simd, double* row, double* acc)
    {
        if (k <= NarrowColumns && m >= 2 * k && Vector512.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            switch (t)
            {
                case DType.Int8: return ColumnsDown<I8>(start, m, k, rowStride, squares, acc);
                case DType.UInt8: return ColumnsDown<U8>(start, m, k, rowStride, squares, acc);
                case DType.Int16: return ColumnsDown<I16>(start, m, k, rowStride, squares, acc);
                case DType.UInt16: return ColumnsDown<U16>(start, m, k, rowStride, squares, acc);
                case DType.Int32: return ColumnsDown<I32>(start, m, k, rowStride, squares, acc);
                case DType.Bool: return ColumnsDown<B8>(start, m, k, rowStride, squares, acc);
            }
        }
        int size = DTypes.ItemSize(t);
        new Span<double>(acc, k).Clear();
        for (int i = 0; i < m; i++)
        {
            byte* src = start + i * rowStride;
            int done = simd ? IntWiden.Run(t, src, k, row) : 0;
            if (done < k) Gather.Run(t, src + done * size, size, k - done, row + done);
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
                for (; j <= k - 4; j += 4)
                {
                    var v = Vector256.Load(row + j);
                    Vector256.Store(Vector256.Load(acc + j) + (squares ? v * v : Vector256.Abs(v)), acc + j);
                }
            for (; j < k; j++) acc[j] += squares ? row[j] * row[j] : Math.Abs(row[j]);
        }
        const double limit = 9007199254740992.0; // 2^53
        for (int j = 0; j < k; j++)
            if (!(acc[j] < limit)) return false;
        return true;
    }

    /// <summary>Columns from which <see cref="PlainSums"/> keeps the row-by-row order: narrower ones (many rows of a few
    /// columns, e.g. (40,50,60) over axes (0, 1): 2000 rows of 60) go down each group of eight columns in one register
    /// (<see cref="ColumnsDown{W}"/>). Row by row, each row paid a widening call, a gather of its tail and a load and
    /// store of every accumulator: int16 (40,50,60) axis=(0, 1) 85 µs on one thread (107 on two) against NumPy's 70.</summary>
    private const int NarrowColumns = 64;

    /// <summary><see cref="PlainSums"/> for k ≤ <see cref="NarrowColumns"/> columns, the loops swapped: eight columns
    /// widened exactly a row at a time and summed down all m rows in one register by FMA (x² or |x|), the last k mod 8
    /// columns one by one. The same exact sums in another order: every term and partial sum is an integer, exact while
    /// below 2⁵³ (an FMA of integers whose exact result is below 2⁵³ returns it), which the final test checks as
    /// PlainSums' does.</summary>
    private static bool ColumnsDown<W>(byte* start, int m, int k, long rowStride, bool squares, double* acc) where W : struct, IWiden8
    {
        int j = 0;
        for (; j + 8 <= k; j += 8)
        {
            byte* p = start + j * W.Size;
            Vector512<double> a0 = Vector512<double>.Zero, a1 = Vector512<double>.Zero;
            int i = 0;
            for (; i + 1 < m; i += 2, p += 2 * rowStride)
            {
                var v0 = W.Load8(p);
                var v1 = W.Load8(p + rowStride);
                if (squares) { a0 = Vector512.FusedMultiplyAdd(v0, v0, a0); a1 = Vector512.FusedMultiplyAdd(v1, v1, a1); }
                else { a0 += Vector512.Abs(v0); a1 += Vector512.Abs(v1); }
            }
            if (i < m)
            {
                var v0 = W.Load8(p);
                a0 = squares ? Vector512.FusedMultiplyAdd(v0, v0, a0) : a0 + Vector512.Abs(v0);
            }
            (a0 + a1).Store(acc + j);
        }
        for (; j < k; j++)
        {
            double s = 0;
            byte* p = start + j * W.Size;
            for (int i = 0; i < m; i++, p += rowStride)
            {
                double v = W.Load1(p);
                s = squares ? Math.FusedMultiplyAdd(v, v, s) : s + Math.Abs(v);
            }
            acc[j] = s;
        }
        for (j = 0; j < k; j++)
            if (!(acc[j] < 9007199254740992.0)) return false; // 2⁵³
        return true;
    }

    /// <summary>Eight integers widened exactly to doubles, and one.</summary>
    private interface IWiden8
    {
        static abstract int Size { get; }
        static abstract Vector512<double> Load8(byte* p);
        static abstract double Load1(byte* p);
    }

    private readonly struct I8 : IWiden8
    {
        public static int Size => 1;
        public static Vector512<double> Load8(byte* p) => System.Runtime.Intrinsics.X86.Avx512F.ConvertToVector512Double(System.Runtime.Intrinsics.X86.Avx2.ConvertToVector256Int32((sbyte*)p));
        public static double Load1(byte* p) => *(sbyte*)p;
    }

    private readonly struct U8 : IWiden8
    {
        public static int Size => 1;
        public static Vector512<double> Load8(byte* p) => System.Runtime.Intrinsics.X86.Avx512F.ConvertToVector512Double(System.Runtime.Intrinsics.X86.Avx2.ConvertToVector256Int32(p));
        public static double Load1(byte* p) => *p;
    }

    /// <summary>bool: every nonzero byte is True, 1 (the byte widened, then min(·, 1): exact). Before session 28 bool
    /// took PlainSums' row-by-row loop: Fortran (60, 80, 100) over axes (1, 2) (60 columns of 8000) 213 → 50 µs.</summary>
    private readonly struct B8 : IWiden8
    {
        public static int Size => 1;
        public static Vector512<double> Load8(byte* p) => Vector512.Min(U8.Load8(p), Vector512<double>.One);
        public static double Load1(byte* p) => *p != 0 ? 1 : 0;
    }

    private readonly struct I16 : IWiden8
    {
        public static int Size => 2;
        public static Vector512<double> Load8(byte* p) => System.Runtime.Intrinsics.X86.Avx512F.ConvertToVector512Double(System.Runtime.Intrinsics.X86.Avx2.ConvertToVector256Int32((short*)p));
        public static double Load1(byte* p) => *(short*)p;
    }

    private readonly struct U16 : IWiden8
    {
        public static int Size => 2;
        public static Vector512<double> Load8(byte* p) => System.Runtime.Intrinsics.X86.Avx512F.ConvertToVector512Double(System.Runtime.Intrinsics.X86.Avx2.ConvertToVector256Int32((ushort*)p));
        public static double Load1(byte* p) => *(ushort*)p;
    }

    private readonly struct I32 : IWiden8
    {
        public static int Size => 4;
        public static Vector512<double> Load8(byte* p) => System.Runtime.Intrinsics.X86.Avx512F.ConvertToVector512Double(Vector256.Load((int*)p));
        public static double Load1(byte* p) => *(int*)p;
    }
}

