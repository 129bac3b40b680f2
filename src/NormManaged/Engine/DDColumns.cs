using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Float64 norms of orders 8 … 3 and 1.5 over many adjacent outputs along a non-contiguous axis (C-order
/// axis 0, Fortran-order axis 1 — and the integer columns, which <see cref="IntColumns"/> widens into such float64
/// bands): a Vector256 lane per output, each row read contiguously, a double-double sum per lane and a double-double
/// root; stored only when provably the correctly rounded norm, else the column goes alone. Those lines went through
/// <see cref="LaneIntSums"/> (the 1-D block kernel's exact replica, line by line in lanes): (4, 3000) at 0.5× NumPy.
///
/// <para>Terms (u = 2⁻⁵³, y = |x|). y² = h + l exactly (FMA). p = 4: y⁴ = h² + 2hl + l² as th = fl(h²),
/// tl = fl(2h·l + (h² − th)) (the residual exact): the dropped l² and tl's rounding leave ≤ 4u² relative. p = 3:
/// th = fl(h·y), tl = fl(l·y + (h·y − th)): ≤ 2u². p = 1.5: √y = q + ql (q = fl(√y), ql = fl(fl(y − q²)/(2q)), the
/// residual exact: ≤ 3u²), th = fl(y·q), tl = fl(y·ql + (y·q − th)): ≤ 5u². A lane adds th to its high part by
/// TwoSum (exact) and the error plus tl to its low part (two roundings a row); with all terms positive each low
/// partial is ≤ (k + 3)u·S, so after n rows the double-double is within u²(n²/2 + 5n + 10)·S of S = Σ terms.</para>
///
/// <para>Roots, each from a normalised (s, sl). p = 4: two double-double square roots (q = fl(√s), the residual
/// s − q² exact, plus sl, over 2q: ≤ 3u² each, each halving the error before it). p = 3: c = <see
/// cref="FloatPowFast.Cbrt"/>(s) (≤ 8u), one Newton step c + (S − c³)/(3c²) with c³ as a double-double (≤ 2u²): the
/// step leaves ≤ (8u)²·1.01 and its roundings (c³ ≤ 2u²·c³, the residual u·25u·S, the division 3u·|δ| ≤ 24u²·c) ≤ 35u², and it divides the sum's error by 3. p = 1.5: that cube root
/// squared as a double-double (doubling its error, + 2u²). So N is within ε ≤ u²(n²/2 + 5n + 10) + 202u² of the
/// norm; the test allows <see cref="Allowance"/> = u²(n² + 10n + 400), ≤ 2⁻⁸² for n ≤ <see cref="MaxRows"/>.</para>
///
/// <para>Range: a lane is finished here only when max |x| ≤ 2²⁰⁰ (no term or sum overflows) and its high sum is in
/// [2⁻⁶⁰⁰, 2⁹⁰⁰] (the absolute errors of underflowing tiny terms, ≤ 2⁻¹⁰⁷⁰ each, stay below 2⁻⁴⁶⁰ of it; every root
/// is a normal double); NaN and ∞ fail these tests too. The stored v = fl(rh + rl) has the exact remainder
/// d = (rh + rl) − v (Fast2Sum); N rounds to v when d ± εv lies strictly inside (−(v − v⁻)/2, (v⁺ − v)/2) for the
/// neighbours v∓ of v (distances exact; the comparisons against those representable bounds are monotone). v is then
/// the correctly rounded norm — unique, so the bits of the 1-D path (correctly rounded for whole and half-integer
/// orders, <see cref="IntPowOp.FinishExact"/>, <see cref="RealPowOp.StoreDecided"/>) at any width, band or thread
/// count. Every other output goes alone.</para>
///
/// <para>p = ±2.5: terms y^2.5 = y²·√y as double-doubles (≤ 6u²; p = −2.5 their double-double reciprocal, ≤ 4u²
/// more, and the lane also needs min |x| ≥ 2⁻²⁰⁰ so no term exceeds 2⁵⁰⁰); the root (a + al)·2ᵏ by
/// <see cref="DDLanes.RootLite{L}"/>, within its <see cref="DDLanes.RootLiteBound"/> ε_R (≈ 2⁻⁶⁵): the test then allows
/// the sum's part plus 2ε_R, and the proved a-pair's rounding is scaled by 2ᵏ exactly (the result is normal).</para>
///
/// <para>p = −1 and 0.5: see <see cref="Reciprocal"/> and <see cref="SquareRoot"/> (their term and root errors are a
/// few u², inside the same allowance; 0.5 doubles the sum's error, −1 keeps it). p = −3: see <see cref="NegCubic"/>.</para>
///
/// <para>Layouts: columns of at most <see cref="RegisterRows"/> rows are summed in registers eight outputs at a time
/// (<see cref="ShortBand{T}"/>), and those eight roots are computed in one 512-bit stream where the order has one
/// (<see cref="TwoFifths"/> for ±2.5, <see cref="CbrtLanes"/> for 3, 1.5, −3, each with its own bound); longer columns
/// go through the band loop. Short rows (lines of at most <see cref="ShortLines"/> whose outputs are not adjacent) take
/// the same register lanes with each element index loaded line by line (<see cref="AppliesRows"/>).</para></summary>
internal static unsafe class DDColumns
{
    /// <summary>Total elements from which the bands are split over threads (2¹⁶: double-double terms cost ~4× a
    /// plain term; (64,1000) columns measured slower on two threads below it).</summary>
    internal const long ParallelElements = 1L << 16;

    private const int Band = 1024;

    /// <summary>Fewest outputs in a threaded band of short columns.</summary>
    private const int ShortThreadBand = 256;

    /// <summary>Longest column taken (the error bound grows as n²).</summary>
    internal const long MaxRows = 4096;

    public static bool Applies(ReductionPlan plan, DType t, DType ot, double p)
        => p is 4 or 3 or 1.5 or 2.5 or -2.5 or -1 or 0.5 or -3 or 5 or 6 or 7 or 8 && t == DType.Float64 && ot == DType.Float64 && plan.InnerShape.Length == 1 && plan.OuterShape.Length == 1
           && plan.OuterCount >= 8 && plan.InnerCount >= 2 && Fma.IsSupported && Avx2.IsSupported
           && (plan.OuterInStrides[0] == 8 && plan.InnerStrides[0] != 8 && plan.InnerCount <= MaxRows
               // −1 and 0.5: LaneAcross's lanes (spread over threads from 2¹⁴ elements) measured faster from columns of
               // 64 on ((64, 1000): 19 vs 40 µs); these lanes are faster on short ones ((4, 3000) 0.60× → 0.86× NumPy)
               && (p is not (-1 or 0.5) || plan.InnerCount <= 16 || !LaneAcross.Applies(plan, t, p))
               || AppliesRows(plan, p));

    /// <summary>Longest line taken when the outputs' lines are not adjacent (rows of a C-order matrix, strided views).</summary>
    internal const long ShortLines = 8;

    /// <summary>Short lines whose outputs are not adjacent (e.g. rows (3000, 4)), for the orders whose 8-lane roots are
    /// cheap (±2.5, 1.5, 3, −3, 4): <see cref="ShortBand{T}"/> loads each element index of eight lines by eight scalar
    /// loads instead of one vector; everything else is the columns' (so the same proved roundings). Those rows went
    /// through LanePow's 1-D block replicas: float64 (3000, 4) ±2.5 0.90×, −3 0.93×, 1.5 0.93× NumPy.</summary>
    private static bool AppliesRows(ReductionPlan plan, double p)
        => p is 2.5 or -2.5 or 1.5 or 3 or -3 or 4 && plan.InnerCount <= ShortLines && plan.OuterInStrides[0] != 8
           && Vector512.IsHardwareAccelerated;

    /// <summary>The relative distance allowed between the double-double root and the norm (see the type's summary).</summary>
    internal static double Allowance(long n)
    {
        const double u = 1.0 / (1L << 53);
        return u * u * ((double)n * n + 10.0 * n + 400);
    }

    public static FpEvents Run(ReductionPlan plan, byte* x, byte* o, double p)
        => p switch
        {
            4 => Run<Quartic>(plan, x, o, p),
            3 => Run<Cubic>(plan, x, o, p),
            1.5 => Run<ThreeHalves>(plan, x, o, p),
            2.5 => Run<FiveHalves>(plan, x, o, p),
            -1 => Run<Reciprocal>(plan, x, o, p),
            0.5 => Run<SquareRoot>(plan, x, o, p),
            -3 => Run<NegCubic>(plan, x, o, p),
            5 => Run<Whole<Order5>>(plan, x, o, p),
            6 => Run<Whole<Order6>>(plan, x, o, p),
            7 => Run<Whole<Order7>>(plan, x, o, p),
            8 => Run<Whole<Order8>>(plan, x, o, p),
            _ => Run<NegFiveHalves>(plan, x, o, p),
        };

    private static FpEvents Run<T>(ReductionPlan plan, byte* x, byte* o, double p) where T : struct, IDDPower
    {
        long outs = plan.OuterCount, n = plan.InnerCount;
        int threads = Parallelism.MaxThreads;
        // a fixed band split (shape only); each output's value does not depend on it anyway (proved or alone)
        int band = Band;
        bool par = threads > 1 && outs * n >= ParallelElements;
        if (threads > 1 && n <= RegisterRows && outs >= 2 * ShortThreadBand && outs * n >= (p == -1 ? 2 : 1) * Parallelism.CostlyElements)
        {
            // short columns cost 1–4 ns an element here (double-double terms, a root per output): threads from
            // Parallelism.CostlyElements (ord −1, the cheapest, from twice that: (16, 512) measured 6.8 µs on one
            // thread, 7.3 on two); bands of 256 outputs or more, at least four per thread, so that the split stays
            // even (three bands of 1024 put two thirds of (4, 3000) on one thread)
            band = (int)Math.Max(ShortThreadBand, (outs / (4 * threads) + 7) & ~7L);
            par = true;
        }
        int bands = (int)((outs + band - 1) / band);
        if (par && bands > 1)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForParts(bands, threads, b =>
            {
                long k0 = (long)b * band;
                return BandOf<T>(plan, (byte*)xb, (byte*)ob, p, k0, (int)Math.Min(band, outs - k0));
            });
        }
        var ev = FpEvents.None;
        for (long k0 = 0; k0 < outs; k0 += Band) ev |= BandOf<T>(plan, x, o, p, k0, (int)Math.Min(Band, outs - k0));
        return ev;
    }

    /// <summary>Longest column summed in registers (<see cref="ShortBand{T}"/>): four adjacent outputs at a time through
    /// every row, with no per-band accumulator arrays.</summary>
    internal const long RegisterRows = 32;

    private static FpEvents BandOf<T>(ReductionPlan plan, byte* x, byte* o, double p, long k0, int w) where T : struct, IDDPower
    {
        LineMemo.Init(out var memo); // repeated columns that fail the proof: the 1-D path once (LineMemo)
        long s = plan.InnerStrides[0], n = plan.InnerCount;
        if (n <= RegisterRows) return ShortBand<T>(plan, x, o, p, k0, w);
        int w4 = w & ~3;
        double* hs = stackalloc double[w], ls = stackalloc double[w], ms = stackalloc double[w], ns = stackalloc double[w];
        new Span<double>(hs, w).Clear(); new Span<double>(ls, w).Clear(); new Span<double>(ms, w).Clear();
        new Span<double>(ns, w).Fill(double.PositiveInfinity);
        byte* row = x + plan.InnerBaseOffset + k0 * 8;
        for (long r = 0; r < n; r++, row += s)
        {
            double* q = (double*)row;
            int j = 0;
            for (; j < w4; j += 4)
            {
                var h = Vector256.Load(hs + j); var l = Vector256.Load(ls + j);
                var y = Vector256.Abs(Vector256.Load(q + j));
                Vector256.MaxNative(Vector256.Load(ms + j), y).Store(ms + j);
                if (T.Negative) Vector256.MinNative(Vector256.Load(ns + j), y).Store(ns + j);
                (h, l) = Add<T>(h, l, y);
                h.Store(hs + j); l.Store(ls + j);
            }
            for (; j < w; j++)
            {
                double y = Math.Abs(q[j]);
                ms[j] = Math.Max(ms[j], y);
                ns[j] = Math.Min(ns[j], y);
                var h = Vector256.CreateScalar(hs[j]); var l = Vector256.CreateScalar(ls[j]);
                (h, l) = Add<T>(h, l, Vector256.CreateScalar(y));
                hs[j] = h.ToScalar(); ls[j] = l.ToScalar();
            }
        }
        double eps = Allowance(n);
        long os = plan.OuterOutStrides[0];
        var ev = FpEvents.None;
        double* th = stackalloc double[4], tl = stackalloc double[4], tm = stackalloc double[4], tn = stackalloc double[4];
        for (int j = 0; j < w; j += 4)
        {
            int m = Math.Min(4, w - j);
            Vector256<double> h, l, mx, mn;
            if (m == 4) { h = Vector256.Load(hs + j); l = Vector256.Load(ls + j); mx = Vector256.Load(ms + j); mn = Vector256.Load(ns + j); }
            else
            {
                // the last lanes: padded with a valid sum (never stored)
                for (int i = 0; i < 4; i++) { th[i] = i < m ? hs[j + i] : 1; tl[i] = i < m ? ls[j + i] : 0; tm[i] = i < m ? ms[j + i] : 1; tn[i] = i < m ? ns[j + i] : 1; }
                h = Vector256.Load(th); l = Vector256.Load(tl); mx = Vector256.Load(tm); mn = Vector256.Load(tn);
            }
            uint ok = Finish<T>(h, l, mx, mn, eps, out var v);
            uint zero = T.Negative ? Vector256.ExtractMostSignificantBits(ZeroLanes(h, mn)) : 0;
            for (int i = 0; i < m; i++)
            {
                byte* dst = o + (k0 + j + i) * os;
                if ((ok >> i & 1) != 0) Unsafe.WriteUnaligned(dst, v.GetElement(i));
                else if ((zero >> i & 1) != 0) { Unsafe.WriteUnaligned(dst, 0.0); ev |= FpEvents.DivideByZero; }
                else ev |= memo.Alone(x + plan.InnerBaseOffset + (k0 + j + i) * 8, DType.Float64, n, s, dst, DType.Float64, p);
            }
        }
        return ev;
    }

    /// <summary><see cref="BandOf{T}"/> for short columns: each group of four adjacent outputs goes through all its rows
    /// with its double-double sums, maximum and minimum in registers (one 256-bit load per row), then is finished at
    /// once. The same operations per lane in the same row order as the band loop (so the same sums), and every stored
    /// value is proved correctly rounded either way. The band loop kept eight arrays of 1024 outputs and re-read them
    /// every row: float64 (4, 3000) ord −3 at 0.70× NumPy, ±2.5 at 0.44×.
    /// <para>The maximum and minimum are the native ones (one vmaxpd/vminpd; the IEEE <c>Vector256.Max</c> is a
    /// vrangepd and two vfixupimmpd): exact for the y ≥ +0 seen here, and where they drop a NaN the lane's h is NaN
    /// (every order's term is arithmetic on y), which <see cref="Prepare{T}"/> rejects. The sums are returned by value
    /// (<see cref="Add{T}"/>): by ref the JIT kept all eight accumulators in memory, a store and reload per row.</para></summary>
    private static FpEvents ShortBand<T>(ReductionPlan plan, byte* x, byte* o, double p, long k0, int w) where T : struct, IDDPower
    {
        LineMemo.Init(out var memo); // repeated columns that fail the proof: the 1-D path once (LineMemo)
        long s = plan.InnerStrides[0], n = plan.InnerCount, os = plan.OuterOutStrides[0], si = plan.OuterInStrides[0];
        double eps = Allowance(n);
        byte* col = x + plan.InnerBaseOffset + k0 * si;
        bool adjacent = si == 8;
        double* pad = stackalloc double[4];
        var ev = FpEvents.None;
        int j = 0;
        for (; j + 8 <= w; j += 8)
        {
            // eight outputs: two independent chains per row, the roots in one 512-bit stream where the order has one
            Vector256<double> h0 = Vector256<double>.Zero, l0 = Vector256<double>.Zero, mx0 = Vector256<double>.Zero;
            Vector256<double> h1 = Vector256<double>.Zero, l1 = Vector256<double>.Zero, mx1 = Vector256<double>.Zero;
            Vector256<double> mn0 = Vector256.Create(double.PositiveInfinity), mn1 = mn0;
            byte* q = col + j * si;
            for (long r = 0; r < n; r++, q += s)
            {
                var y0 = Vector256.Abs(adjacent ? Vector256.Load((double*)q) : Lines4(q, si));
                var y1 = Vector256.Abs(adjacent ? Vector256.Load((double*)q + 4) : Lines4(q + 4 * si, si));
                mx0 = Vector256.MaxNative(mx0, y0); mx1 = Vector256.MaxNative(mx1, y1);
                if (T.Negative) { mn0 = Vector256.MinNative(mn0, y0); mn1 = Vector256.MinNative(mn1, y1); }
                (h0, l0) = Add<T>(h0, l0, y0);
                (h1, l1) = Add<T>(h1, l1, y1);
            }
            uint ok = Finish8<T>(h0, l0, mx0, mn0, h1, l1, mx1, mn1, eps, out var v0, out var v1);
            uint zero = 0;
            if (T.Negative && ok != 0xFF)
            {
                // lanes holding a zero (never proved: their h is +∞) store +0
                var z0 = ZeroLanes(h0, mn0); var z1 = ZeroLanes(h1, mn1);
                zero = Vector256.ExtractMostSignificantBits(z0) | Vector256.ExtractMostSignificantBits(z1) << 4;
                if (zero != 0) { ev |= FpEvents.DivideByZero; ok |= zero; v0 = Vector256.AndNot(v0, z0); v1 = Vector256.AndNot(v1, z1); }
            }
            // every output proved or zero: (with a unit output stride) one store of eight
            if (ok == 0xFF && os == 8) { v0.Store((double*)(o + (k0 + j) * 8)); v1.Store((double*)(o + (k0 + j) * 8) + 4); continue; }
            for (int i = 0; i < 8; i++)
            {
                byte* dst = o + (k0 + j + i) * os;
                if ((ok >> i & 1) != 0) Unsafe.WriteUnaligned(dst, i < 4 ? v0.GetElement(i) : v1.GetElement(i - 4));
                else ev |= memo.Alone(col + (j + i) * si, DType.Float64, n, s, dst, DType.Float64, p);
            }
        }
        for (; j < w; j += 4)
        {
            int m = Math.Min(4, w - j);
            Vector256<double> h = Vector256<double>.Zero, l = Vector256<double>.Zero, mx = Vector256<double>.Zero;
            Vector256<double> mn = Vector256.Create(double.PositiveInfinity);
            byte* q = col + j * si;
            if (m == 4)
                for (long r = 0; r < n; r++, q += s)
                {
                    var y = Vector256.Abs(adjacent ? Vector256.Load((double*)q) : Lines4(q, si));
                    mx = Vector256.MaxNative(mx, y);
                    if (T.Negative) mn = Vector256.MinNative(mn, y);
                    (h, l) = Add<T>(h, l, y);
                }
            else
                for (long r = 0; r < n; r++, q += s)
                {
                    // the last outputs: padded with ones (a valid sum, never stored)
                    for (int i = 0; i < 4; i++) pad[i] = i < m ? *(double*)(q + i * si) : 1.0;
                    var y = Vector256.Abs(Vector256.Load(pad));
                    mx = Vector256.MaxNative(mx, y);
                    if (T.Negative) mn = Vector256.MinNative(mn, y);
                    (h, l) = Add<T>(h, l, y);
                }
            uint ok = Finish<T>(h, l, mx, mn, eps, out var v);
            uint zero = T.Negative ? Vector256.ExtractMostSignificantBits(ZeroLanes(h, mn)) : 0;
            for (int i = 0; i < m; i++)
            {
                byte* dst = o + (k0 + j + i) * os;
                if ((ok >> i & 1) != 0) Unsafe.WriteUnaligned(dst, v.GetElement(i));
                else if ((zero >> i & 1) != 0) { Unsafe.WriteUnaligned(dst, 0.0); ev |= FpEvents.DivideByZero; }
                else ev |= memo.Alone(col + (j + i) * si, DType.Float64, n, s, dst, DType.Float64, p);
            }
        }
        return ev;
    }

    /// <summary>At a negative order, the lanes whose line holds a zero and no NaN: their norm is exactly +0 with a
    /// divide-by-zero (<see cref="NegativeZeros"/>: the 1-D path's value and events), stored here instead of through
    /// the lone-line route — on small-integer data a fifth of (4, n) columns hold a zero, and that route (hash, scan,
    /// dispatch) cost as much as all the other columns: float64 (4, 3000) ord −1 over integers 0.48× NumPy.
    /// mn = 0 holds only if some |x| was 0 (mn starts at +∞ and takes only |x| values); h, the plain sum of the high
    /// terms (each ≥ 0, +∞ for a zero, NaN exactly for a NaN element: every order's term is arithmetic on y), is NaN
    /// exactly when the line holds a NaN (+∞ + +∞ stays +∞). Such a lane is never proved (h = +∞ fails the range
    /// test).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ZeroLanes(Vector256<double> h, Vector256<double> mn)
        => Vector256.Equals(mn, Vector256<double>.Zero) & Vector256.Equals(h, h);

    /// <summary>Element r of four lines <paramref name="si"/> bytes apart (q points at the first one's).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Lines4(byte* q, long si)
        => Vector256.Create(*(double*)q, *(double*)(q + si), *(double*)(q + 2 * si), *(double*)(q + 3 * si));

    /// <summary>The order's term y^p as th + tl, and its root of a normalised double-double sum.</summary>
    private interface IDDPower
    {
        static abstract void Term(Vector256<double> y, out Vector256<double> th, out Vector256<double> tl);
        /// <summary>A negative order: the lane also needs min |x| ≥ 2⁻²⁰⁰ (a zero goes alone).</summary>
        static virtual bool Negative => false;
        /// <summary>The root (a + al)·2ᵏ of a lane, with its own relative error bound added to the allowance:
        /// <see cref="DDLanes.RootLite{L}"/> (k ≠ 0); the others leave k = 0 and add nothing.</summary>
        static abstract Vector256<double> ScaledRoot(ref Vector256<double> a, ref Vector256<double> al);
        static virtual double RootBound => 0;
        /// <summary>Whether <see cref="ScaledRoot512"/> computes eight lanes' roots at once (else two 256-bit calls).</summary>
        static virtual bool HasRoot512 => false;
        /// <summary><see cref="ScaledRoot"/> of eight lanes (only where <see cref="HasRoot512"/>).</summary>
        static virtual Vector512<double> ScaledRoot512(ref Vector512<double> a, ref Vector512<double> al) => default;
        /// <summary>The relative error bound of <see cref="ScaledRoot512"/>'s root (as <see cref="RootBound"/> is
        /// <see cref="ScaledRoot"/>'s).</summary>
        static virtual double RootBound512 => 0;
        /// <summary>The least high sum finished here (p = 0.5 squares it: 2⁻⁴⁸⁰ keeps N and its low part normal).</summary>
        static virtual double SumFloor => 2.409919865102884e-181; // 2⁻⁶⁰⁰
    }

    /// <summary>1/y = th + tl: th = fl(1/y), 1 − y·th exact (FMA), tl = fl(that·th) (≤ 2u² relative); the root
    /// 1/(s + sl) = rh + rl with rh = fl(1/s), rl = fl(fl(1 − s·rh − sl·rh)·rh) (≤ 7u²). min |x| ≥ 2⁻²⁰⁰ (a zero goes
    /// alone). These columns went through LaneAcross's exact lanes: float64 (4, 3000) at 0.66× NumPy.</summary>
    private readonly struct Reciprocal : IDDPower
    {
        public static bool Negative => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Term(Vector256<double> y, out Vector256<double> th, out Vector256<double> tl)
        {
            th = Vector256<double>.One / y;
            tl = Vector256.FusedMultiplyAdd(-y, th, Vector256<double>.One) * th;
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> ScaledRoot(ref Vector256<double> a, ref Vector256<double> al)
        {
            var r = Vector256<double>.One / a;
            var rl = Vector256.FusedMultiplyAdd(-al, r, Vector256.FusedMultiplyAdd(-a, r, Vector256<double>.One)) * r;
            a = r + rl;
            al = rl - (a - r);
            return Vector256<double>.Zero;
        }
    }

    /// <summary>√y = q + ql (q = fl(√y), ql = fl(fl(y − q²)/(2q)), the residual exact: ≤ 3u²); the root (s + sl)²
    /// = s² + 2s·sl as a double-double (≤ 2u², and it doubles the sum's error). The sum must be ≥ 2⁻⁴⁸⁰.</summary>
    private readonly struct SquareRoot : IDDPower
    {
        public static double SumFloor => 3.2033329522929615e-145; // 2⁻⁴⁸⁰
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Term(Vector256<double> y, out Vector256<double> th, out Vector256<double> tl)
        {
            th = Vector256.Sqrt(y);
            tl = Vector256.FusedMultiplyAdd(-th, th, y) / (th + th);
            tl = Vector256.ConditionalSelect(Vector256.Equals(y, Vector256<double>.Zero), Vector256<double>.Zero, tl);
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> ScaledRoot(ref Vector256<double> a, ref Vector256<double> al)
        {
            var h = a * a;
            var l = Vector256.FusedMultiplyAdd(a + a, al, Vector256.FusedMultiplyAdd(a, a, -h));
            a = h + l;
            al = l - (a - h);
            return Vector256<double>.Zero;
        }
    }

    private readonly struct Quartic : IDDPower
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Term(Vector256<double> y, out Vector256<double> th, out Vector256<double> tl) => Fourth(y, out _, out _, out th, out tl);

        /// <summary>y⁴ = th + tl, and the exact y² = y2 + y2l it is squared from.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Fourth(Vector256<double> y, out Vector256<double> y2, out Vector256<double> y2l, out Vector256<double> th, out Vector256<double> tl)
        {
            y2 = y * y;
            y2l = Vector256.FusedMultiplyAdd(y, y, -y2); // y² = y2 + y2l exactly
            th = y2 * y2;
            tl = Vector256.FusedMultiplyAdd(y2 + y2, y2l, Vector256.FusedMultiplyAdd(y2, y2, -th));
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> ScaledRoot(ref Vector256<double> a, ref Vector256<double> al)
        {
            Sqrt(ref a, ref al);
            Sqrt(ref a, ref al);
            return Vector256<double>.Zero;
        }
    }

    /// <summary>Whole orders 5 … 8 from <see cref="Quartic"/>'s y⁴ = q + ql (≤ 4u²): y⁵ = (q + ql)·y (th = fl(q·y),
    /// tl = fl(ql·y + (q·y − th)), the residual exact; ≤ 6u²), y⁶ = y⁴ times the exact y² = y2 + y2l as a double-double
    /// product (th = fl(q·y2), tl = fl((q·y2 − th) + (q·y2l + ql·y2)); ≤ 8u²), y⁷ = that times y (th' = fl(th·y),
    /// tl' = fl((th·y − th') + tl·y): ≤ 11u²), y⁸ = (q + ql)² (≤ 12u²). A term that overflows (max |x| above
    /// 2^(1023/p)) makes the lane's sum ∞ or NaN, which the range tests send alone. The roots S^(1/k) by
    /// <see cref="DDLanes.RootLite{L}"/> (its bound added to the allowance). These columns went line by line through the
    /// block path (a gather, the exact whole-order sums and a root per line): float64 / int64 <c>[::2, ::3]</c> axis 0 of
    /// a (600, 800) array at ord 5 0.8× NumPy.</summary>
    private readonly struct Whole<TK> : IDDPower where TK : struct, IWholeOrder
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Term(Vector256<double> y, out Vector256<double> th, out Vector256<double> tl) => WholeTerm(y, TK.K, out th, out tl);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> ScaledRoot(ref Vector256<double> a, ref Vector256<double> al) => Lite(ref a, ref al, TK.K);
        public static double RootBound { get; } = DDLanes.RootLiteBound(TK.K);
    }

    /// <summary>The order k of a <see cref="Whole{TK}"/> (a type, so each order's loops are compiled with it).</summary>
    private interface IWholeOrder
    {
        static abstract int K { get; }
    }

    private readonly struct Order5 : IWholeOrder { public static int K => 5; }
    private readonly struct Order6 : IWholeOrder { public static int K => 6; }
    private readonly struct Order7 : IWholeOrder { public static int K => 7; }
    private readonly struct Order8 : IWholeOrder { public static int K => 8; }

    /// <summary>y^k for k = 5 … 8 (see <see cref="Whole{TK}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WholeTerm(Vector256<double> y, int k, out Vector256<double> th, out Vector256<double> tl)
    {
        Quartic.Fourth(y, out var y2, out var y2l, out var q, out var ql);
        if (k == 5)
        {
            th = q * y;
            tl = Vector256.FusedMultiplyAdd(ql, y, Vector256.FusedMultiplyAdd(q, y, -th));
            return;
        }
        if (k == 8)
        {
            th = q * q;
            tl = Vector256.FusedMultiplyAdd(q + q, ql, Vector256.FusedMultiplyAdd(q, q, -th));
            return;
        }
        th = q * y2;
        tl = Vector256.FusedMultiplyAdd(q, y2, -th) + Vector256.FusedMultiplyAdd(q, y2l, ql * y2);
        if (k == 7)
        {
            var h = th * y;
            tl = Vector256.FusedMultiplyAdd(th, y, -h) + tl * y;
            th = h;
        }
    }

    private readonly struct Cubic : IDDPower
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Term(Vector256<double> y, out Vector256<double> th, out Vector256<double> tl)
        {
            var y2 = y * y;
            var y2l = Vector256.FusedMultiplyAdd(y, y, -y2);
            th = y2 * y;
            tl = Vector256.FusedMultiplyAdd(y2l, y, Vector256.FusedMultiplyAdd(y2, y, -th));
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> ScaledRoot(ref Vector256<double> a, ref Vector256<double> al)
        {
            Cbrt(ref a, ref al);
            return Vector256<double>.Zero;
        }
        public static bool HasRoot512 => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> ScaledRoot512(ref Vector512<double> a, ref Vector512<double> al)
        {
            Cbrt512(ref a, ref al);
            return Vector512<double>.Zero;
        }
    }

    private readonly struct ThreeHalves : IDDPower
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Term(Vector256<double> y, out Vector256<double> th, out Vector256<double> tl)
        {
            var q = Vector256.Sqrt(y);
            var ql = Vector256.FusedMultiplyAdd(-q, q, y) / (q + q); // y − q² exact; 0/0 for y = 0 is made 0 below
            ql = Vector256.ConditionalSelect(Vector256.Equals(y, Vector256<double>.Zero), Vector256<double>.Zero, ql);
            th = y * q;
            tl = Vector256.FusedMultiplyAdd(y, ql, Vector256.FusedMultiplyAdd(y, q, -th));
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> ScaledRoot(ref Vector256<double> a, ref Vector256<double> al)
        {
            Cbrt(ref a, ref al);
            var h = a * a;
            var l = Vector256.FusedMultiplyAdd(a + a, al, Vector256.FusedMultiplyAdd(a, a, -h));
            a = h + l;
            al = l - (a - h);
            return Vector256<double>.Zero;
        }
        public static bool HasRoot512 => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> ScaledRoot512(ref Vector512<double> a, ref Vector512<double> al)
        {
            Cbrt512(ref a, ref al);
            var h = a * a;
            var l = Vector512.FusedMultiplyAdd(a + a, al, Vector512.FusedMultiplyAdd(a, a, -h));
            a = h + l;
            al = l - (a - h);
            return Vector512<double>.Zero;
        }
    }

    /// <summary>y^2.5 = (y2 + y2l)·(q + ql) (y² exact, √y as a double-double): th = fl(y2·q), tl = the FMA residual
    /// plus y2·ql + y2l·q (≤ 6u² relative in all); the root S^(1/2.5) by <see cref="DDLanes.RootLite{L}"/> (its bound
    /// <see cref="DDLanes.RootLiteBound"/> added to the allowance).</summary>
    private readonly struct FiveHalves : IDDPower
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Term(Vector256<double> y, out Vector256<double> th, out Vector256<double> tl) => Pow25(y, out th, out tl);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> ScaledRoot(ref Vector256<double> a, ref Vector256<double> al) => Lite(ref a, ref al, 2.5);
        public static double RootBound { get; } = DDLanes.RootLiteBound(2.5);
        public static bool HasRoot512 => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> ScaledRoot512(ref Vector512<double> a, ref Vector512<double> al) => TwoFifths(ref a, ref al, false);
        public static double RootBound512 => TwoFifthsBound;
    }

    /// <summary>y^−2.5 = 1/(th + tl) of <see cref="FiveHalves"/>'s term as a double-double: r = fl(1/th), the residual
    /// 1 − th·r exact (FMA), minus tl·r, times r (≤ 4u² more); min |x| ≥ 2⁻²⁰⁰ keeps every term ≤ 2⁵⁰⁰.</summary>
    private readonly struct NegFiveHalves : IDDPower
    {
        public static bool Negative => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Term(Vector256<double> y, out Vector256<double> th, out Vector256<double> tl)
        {
            Pow25(y, out var ph, out var pl);
            th = Vector256<double>.One / ph;
            tl = (Vector256.FusedMultiplyAdd(-ph, th, Vector256<double>.One) - pl * th) * th;
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> ScaledRoot(ref Vector256<double> a, ref Vector256<double> al) => Lite(ref a, ref al, -2.5);
        public static double RootBound { get; } = DDLanes.RootLiteBound(-2.5);
        public static bool HasRoot512 => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> ScaledRoot512(ref Vector512<double> a, ref Vector512<double> al) => TwoFifths(ref a, ref al, true);
        public static double RootBound512 => TwoFifthsBound;
    }

    /// <summary>y^−3 = 1/(th + tl) of <see cref="Cubic"/>'s term (≤ 2u²) as a double-double: r = fl(1/th), the residual
    /// 1 − th·r exact (FMA), minus tl·r, times r (≤ 4u² more); min |x| ≥ 2⁻²⁰⁰ and max |x| ≤ 2²⁰⁰ keep every term in
    /// [2⁻⁶⁰⁰, 2⁶⁰⁰]. The root 1/∛(s + sl): <see cref="Cbrt"/> (the p = 3 root, dividing the sum's error by 3, ≤ 35u² +
    /// (8u)²·1.01 of its own) then <see cref="Reciprocal"/>'s double-double reciprocal (≤ 7u²): inside the allowance's
    /// 400u² constant. These columns went through LaneIntSums' replica of the 1-D block sums and LanePow's roots
    /// (float64 (4, 3000) at 0.54× NumPy); the 1-D path is correctly rounded for ord −3, so a proved lane has its bits.</summary>
    private readonly struct NegCubic : IDDPower
    {
        public static bool Negative => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Term(Vector256<double> y, out Vector256<double> th, out Vector256<double> tl)
        {
            Cubic.Term(y, out var ph, out var pl);
            th = Vector256<double>.One / ph;
            tl = (Vector256.FusedMultiplyAdd(-ph, th, Vector256<double>.One) - pl * th) * th;
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> ScaledRoot(ref Vector256<double> a, ref Vector256<double> al)
        {
            Cbrt(ref a, ref al);
            return Reciprocal.ScaledRoot(ref a, ref al);
        }
        public static bool HasRoot512 => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> ScaledRoot512(ref Vector512<double> a, ref Vector512<double> al)
        {
            Cbrt512(ref a, ref al);
            var r = Vector512<double>.One / a;
            var rl = Vector512.FusedMultiplyAdd(-al, r, Vector512.FusedMultiplyAdd(-a, r, Vector512<double>.One)) * r;
            a = r + rl;
            al = rl - (a - r);
            return Vector512<double>.Zero;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pow25(Vector256<double> y, out Vector256<double> th, out Vector256<double> tl)
    {
        var y2 = y * y;
        var y2l = Vector256.FusedMultiplyAdd(y, y, -y2);
        var q = Vector256.Sqrt(y);
        var ql = Vector256.FusedMultiplyAdd(-q, q, y) / (q + q);
        ql = Vector256.ConditionalSelect(Vector256.Equals(y, Vector256<double>.Zero), Vector256<double>.Zero, ql);
        th = y2 * q;
        tl = Vector256.FusedMultiplyAdd(y2, q, -th) + Vector256.FusedMultiplyAdd(y2, ql, y2l * q);
    }

    /// <summary>S^(1/p) = (a + al)·2ᵏ by <see cref="DDLanes.RootLite{L}"/> (a ∈ [0.97, 1.96]); returns k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Lite(ref Vector256<double> a, ref Vector256<double> al, double p)
    {
        var h = DDLanes.RootLite(new Lanes256(a), new Lanes256(al), default(Lanes256), p, out Lanes256 l, out Lanes256 k);
        a = h.V; al = l.V;
        return k.V;
    }

    /// <summary>Relative error bound of <see cref="TwoFifths"/>' root: 2⁻⁹³ (the analysis there gives ≤ 2400u² ≈ 2⁻⁹⁴·⁸
    /// for p = 2.5, 7u² more for −2.5).</summary>
    internal const double TwoFifthsBound = 1.0 / (1L << 62) / (1L << 31);

    /// <summary>S^(±2/5) of eight lanes as (a + al)·2ᵏ, for S = a + al (a normalised pair, a ∈ [2⁻⁶⁰⁰, 2⁹⁰⁰], or 1), within
    /// <see cref="TwoFifthsBound"/> — or NaN in a lane whose Newton correction is too large to bound (it goes alone).
    /// Replaces <see cref="DDLanes.RootLite{L}"/> (a ln and an exp, long Horner chains: two thirds of (4, 3000) ord ±2.5).
    /// <list type="bullet">
    /// <item>S = m·2^(5κ) with κ = ⌊e/5⌋ or one less (e = a's exponent; m ∈ [1, 2¹⁰), the scaling exact), so S^(2/5) =
    /// m^(2/5)·2^(2κ).</item>
    /// <item>r ≈ m^(−1/5): a start from the bits (their fifth, as a double) and three third-order steps r ← r + r·e·(−1/5 +
    /// 3e/25 − 11e²/125), e = m·r⁵ − 1; c = m·r³ ≈ m^(2/5). Its accuracy is not assumed: the next step measures it.</item>
    /// <item>One Newton step on c⁵ = T, T = m² + 2m·ml (≤ 4u² from (m + ml)²), c⁵ = c5 + c5l (c² exact, c⁴ and c⁵ by
    /// FMA residuals, ≤ 5u²): δ = (T − c⁵)/(5c⁴), the high difference exact (Sterbenz), c' = c + δ as a Fast2Sum pair.
    /// With c = N(1 + ε), c' = N(1 + 2ε² + O(ε³)) and ε = −(δ/c)(1 + O(ε)): the lane is kept only when |δ| ≤ 2⁻⁴⁸c, so the
    /// step leaves ≤ 2.2·2⁻⁹⁶ = 2253u²; T's and c⁵'s errors (≤ 9u²·T) move c' by ≤ 1.8u², the division and the product
    /// 5c⁴ by ≤ 2u·|δ/c| ≤ 64u².</item>
    /// <item>p = −2.5: the reciprocal of that pair as <see cref="Reciprocal"/>'s root (≤ 7u² more); k = −2κ.</item>
    /// </list></summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> TwoFifths(ref Vector512<double> a, ref Vector512<double> al, bool negative)
    {
        var one = Vector512<double>.One;
        // S = m·2^(5κ): κ from a's exponent (a normal), 2^(−5κ) built in the exponent field
        var e = Vector512.ConvertToDouble((a.AsInt64() >>> 52) - Vector512.Create(1023L));
        var kappa = Vector512.Floor(e * Vector512.Create(0.2));
        var scale = ((Vector512.Create(1023.0 + 4503599627370496.0) - Vector512.Create(5.0) * kappa).AsInt64() << 52).AsDouble();
        var m = a * scale;
        var ml = al * scale;
        // r ≈ m^(−1/5)
        var r = (Vector512.Create(0x4CB9999999999800L)
                 - Vector512.ConvertToInt64(Vector512.ConvertToDouble(m.AsInt64()) * Vector512.Create(0.2))).AsDouble();
        for (int i = 0; i < 3; i++)
        {
            var r2 = r * r;
            var d = Vector512.FusedMultiplyAdd(m, r2 * r2 * r, -one);
            var poly = Vector512.FusedMultiplyAdd(d, Vector512.FusedMultiplyAdd(d, Vector512.Create(-11.0 / 125), Vector512.Create(3.0 / 25)),
                                                  Vector512.Create(-1.0 / 5));
            r = Vector512.FusedMultiplyAdd(r, d * poly, r);
        }
        var c = m * (r * r * r);
        // one double-double Newton step on c⁵ = T = (m + ml)²
        var t = m * m;
        var tl = Vector512.FusedMultiplyAdd(m, m, -t) + (m + m) * ml;
        var c2 = c * c;
        var c2l = Vector512.FusedMultiplyAdd(c, c, -c2);
        var c4 = c2 * c2;
        var c4l = Vector512.FusedMultiplyAdd(c2, c2, -c4) + (c2 + c2) * c2l;
        var c5 = c4 * c;
        var c5l = Vector512.FusedMultiplyAdd(c4, c, -c5) + c4l * c;
        var res = (t - c5) + (tl - c5l);
        var delta = res / (Vector512.Create(5.0) * c4);
        var hi = c + delta;
        var lo = delta - (hi - c);
        var big = Vector512.GreaterThan(Vector512.Abs(delta), c * Vector512.Create(3.552713678800501e-15)); // 2⁻⁴⁸
        hi = Vector512.ConditionalSelect(big, Vector512.Create(double.NaN), hi);
        if (negative)
        {
            var q = one / hi;
            var ql = Vector512.FusedMultiplyAdd(-lo, q, Vector512.FusedMultiplyAdd(-hi, q, one)) * q;
            hi = q + ql;
            lo = ql - (hi - q);
            kappa = -kappa;
        }
        a = hi; al = lo;
        return kappa + kappa;
    }

    /// <summary>Adds a term to the lanes' double-double (h, l): TwoSum on the high parts, the error and tl to l.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> H, Vector256<double> L) Add<T>(Vector256<double> h, Vector256<double> l, Vector256<double> y)
        where T : struct, IDDPower
    {
        T.Term(y, out var th, out var tl);
        var sum = h + th;
        var bb = sum - h;
        var err = (h - (sum - bb)) + (th - bb);
        return (sum, l + (err + tl));
    }

    private static readonly Vector256<double> s_sumMax = Vector256.Create(Math.ScaleB(1.0, 900));
    private static readonly Vector256<double> s_xMax = Vector256.Create(Math.ScaleB(1.0, 200));
    private static readonly Vector256<double> s_xMin = Vector256.Create(Math.ScaleB(1.0, -200));

    /// <summary>v = the double nearest each lane's root; a bit per lane that is proved (see the type's summary).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Finish<T>(Vector256<double> h, Vector256<double> l, Vector256<double> mx, Vector256<double> mn, double eps, out Vector256<double> v)
        where T : struct, IDDPower
    {
        var ok = Prepare<T>(h, l, mx, mn, out var a, out var al);
        var k = T.ScaledRoot(ref a, ref al);
        return Decide<T>(ok, a, al, k, eps, T.RootBound, out v);
    }

    /// <summary><see cref="Finish{T}"/> of eight lanes (two halves): the roots of orders with a 512-bit root
    /// (<see cref="IDDPower.ScaledRoot512"/>) computed in one instruction stream of eight lanes — the roots are long
    /// dependency chains (a Horner ln and exp), so eight lanes take about the time of four. The same operations per
    /// lane, so the same bits as <see cref="Finish{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Finish8<T>(Vector256<double> h0, Vector256<double> l0, Vector256<double> mx0, Vector256<double> mn0,
        Vector256<double> h1, Vector256<double> l1, Vector256<double> mx1, Vector256<double> mn1, double eps,
        out Vector256<double> v0, out Vector256<double> v1) where T : struct, IDDPower
    {
        var ok0 = Prepare<T>(h0, l0, mx0, mn0, out var a0, out var al0);
        var ok1 = Prepare<T>(h1, l1, mx1, mn1, out var a1, out var al1);
        Vector256<double> k0, k1;
        double bound = T.RootBound;
        if (T.HasRoot512 && Vector512.IsHardwareAccelerated)
        {
            bound = T.RootBound512;
            var a = Vector512.Create(a0, a1); var al = Vector512.Create(al0, al1);
            var k = T.ScaledRoot512(ref a, ref al);
            a0 = a.GetLower(); a1 = a.GetUpper(); al0 = al.GetLower(); al1 = al.GetUpper();
            k0 = k.GetLower(); k1 = k.GetUpper();
        }
        else
        {
            k0 = T.ScaledRoot(ref a0, ref al0);
            k1 = T.ScaledRoot(ref a1, ref al1);
        }
        return Decide<T>(ok0, a0, al0, k0, eps, bound, out v0) | Decide<T>(ok1, a1, al1, k1, eps, bound, out v1) << 4;
    }

    /// <summary>The lanes finished here (range tests) and their normalised sums (the others: 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Prepare<T>(Vector256<double> h, Vector256<double> l, Vector256<double> mx, Vector256<double> mn,
        out Vector256<double> a, out Vector256<double> al) where T : struct, IDDPower
    {
        var ok = Vector256.GreaterThanOrEqual(h, Vector256.Create(T.SumFloor)) & Vector256.LessThanOrEqual(h, s_sumMax)
                 & Vector256.LessThanOrEqual(mx, s_xMax) & Vector256.LessThan(Vector256.Abs(l), h);
        if (T.Negative) ok &= Vector256.GreaterThanOrEqual(mn, s_xMin);
        h = Vector256.ConditionalSelect(ok, h, Vector256<double>.One);
        l = Vector256.ConditionalSelect(ok, l, Vector256<double>.Zero);
        a = h + l;
        al = l - (a - h);
        return ok;
    }

    /// <summary>The proof of each lane's rounding of its root (a + al)·2ᵏ (see the type's summary).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Decide<T>(Vector256<double> ok, Vector256<double> a, Vector256<double> al, Vector256<double> k, double eps,
        double rootBound, out Vector256<double> v) where T : struct, IDDPower
    {
        v = a + al;
        var d = al - (v - a);                                    // a + al = v + d exactly (|al| ≤ |a|)
        var bits = v.AsInt64();
        var below = v - (bits - Vector256<long>.One).AsDouble(); // exact distances to the neighbours
        var above = (bits + Vector256<long>.One).AsDouble() - v;
        var e = v * Vector256.Create(eps + 2 * rootBound);
        var half = Vector256.Create(0.5);
        ok &= Vector256.GreaterThan(d - e, -(below * half)) & Vector256.LessThan(d + e, above * half);
        // times 2ᵏ (|k| ≤ 600 here: the result stays normal, so the scaling is exact and commutes with the rounding)
        var kk = Vector256.ConditionalSelect(ok, k, Vector256<double>.Zero) + Vector256.Create(1023.0 + 4503599627370496.0);
        v *= (kk.AsInt64() << 52).AsDouble();
        return Vector256.ExtractMostSignificantBits(ok);
    }

    /// <summary><see cref="Cbrt"/> of eight lanes: c is <see cref="FloatPowFast.Cbrt"/>'s value in every lane (the same
    /// start r₀, taken from the bits per lane as it takes it, and the same two FMA iterations and final product, lane
    /// by lane — valid because every lane's a lies in its fast range [2⁻⁹⁹⁹, 2⁹⁹⁹]: [2⁻⁶⁰¹, 2⁹⁰¹] for a proved lane, 1
    /// for the others), then the same Newton step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Cbrt512(ref Vector512<double> a, ref Vector512<double> al)
    {
        var c = CbrtLanes(a);
        var c2 = c * c;
        var c2l = Vector512.FusedMultiplyAdd(c, c, -c2);
        var c3 = c2 * c;
        var c3l = Vector512.FusedMultiplyAdd(c2l, c, Vector512.FusedMultiplyAdd(c2, c, -c3));
        var res = (a - c3) + (al - c3l);
        var delta = res / (Vector512.Create(3.0) * c2);
        a = c + delta;
        al = delta - (a - c);
    }

    /// <summary><see cref="FloatPowFast.Cbrt"/>(s) per lane for s in its fast range [2⁻⁹⁹⁹, 2⁹⁹⁹]: r₀ from the bits
    /// (a scalar division per lane, as there), the same two FMA iterations and the final product, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> CbrtLanes(Vector512<double> s)
    {
        var bits = s.AsInt64();
        var r = Vector512.Create(CbrtMagic - bits.GetElement(0) / 3, CbrtMagic - bits.GetElement(1) / 3,
                                 CbrtMagic - bits.GetElement(2) / 3, CbrtMagic - bits.GetElement(3) / 3,
                                 CbrtMagic - bits.GetElement(4) / 3, CbrtMagic - bits.GetElement(5) / 3,
                                 CbrtMagic - bits.GetElement(6) / 3, CbrtMagic - bits.GetElement(7) / 3).AsDouble();
        var one = Vector512<double>.One;
        for (int i = 0; i < 2; i++)
        {
            var e = Vector512.FusedMultiplyAdd(s, r * r * r, -one);
            var q = Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(e, Vector512.Create(-14.0 / 81), Vector512.Create(2.0 / 9)), e,
                                               Vector512.Create(-1.0 / 3));
            r = Vector512.FusedMultiplyAdd(r, e * q, r);
        }
        return s * r * r;
    }

    /// <summary><see cref="FloatPowFast.Cbrt"/>'s start constant (r₀'s bits are this minus a third of s's); a test
    /// checks that <see cref="CbrtLanes"/> gives that function's bits.</summary>
    internal const long CbrtMagic = 0x553EE00000000000;

    /// <summary>(a, al) ← √(a + al) as a normalised double-double (a &gt; 0, |al| ≤ ulp(a)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Sqrt(ref Vector256<double> a, ref Vector256<double> al)
    {
        var q = Vector256.Sqrt(a);
        var r = Vector256.FusedMultiplyAdd(-q, q, a) + al; // a − q² exact
        var ql = r / (q + q);
        a = q + ql;
        al = ql - (a - q);
    }

    /// <summary>(a, al) ← ∛(a + al) as a normalised double-double, a ∈ [2⁻⁶⁰¹, 2⁹⁰¹]: c = <see cref="FloatPowFast.Cbrt"/>
    /// per lane (≤ 8u), then c + δ with δ = (S − c³)/(3c²), c³ = c3 + c3l (c² = c2 + c2l exactly, c2·c by FMA), the
    /// residual's high parts subtracted exactly (Sterbenz: c³ is within 25u of S).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Cbrt(ref Vector256<double> a, ref Vector256<double> al)
    {
        var c = Vector256.Create(FloatPowFast.Cbrt(a.GetElement(0)), FloatPowFast.Cbrt(a.GetElement(1)),
                                 FloatPowFast.Cbrt(a.GetElement(2)), FloatPowFast.Cbrt(a.GetElement(3)));
        var c2 = c * c;
        var c2l = Vector256.FusedMultiplyAdd(c, c, -c2);
        var c3 = c2 * c;
        var c3l = Vector256.FusedMultiplyAdd(c2l, c, Vector256.FusedMultiplyAdd(c2, c, -c3));
        var r = (a - c3) + (al - c3l);
        var delta = r / (Vector256.Create(3.0) * c2);
        a = c + delta;
        al = delta - (a - c);
    }
}
