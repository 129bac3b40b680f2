using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Widens float32 lanes to the double lanes of <typeparamref name="L"/> (exact).</summary>
internal unsafe interface IFloatWiden<L> where L : struct, ILanes<L>
{
    /// <summary>L.Count floats from <paramref name="p"/>, as doubles.</summary>
    static abstract L Widen(float* p);
}

internal readonly unsafe struct Widen512 : IFloatWiden<Lanes512>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Widen(float* p) => new(Avx512F.ConvertToVector512Double(Vector256.Load(p)));
}

internal readonly unsafe struct Widen256 : IFloatWiden<Lanes256>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Widen(float* p) => new(Avx.ConvertToVector256Double(Vector128.Load(p)));
}

/// <summary>General-p norms (the orders of <see cref="GeneralPowFast"/>) of one contiguous float32 or complex64
/// vector into a float32 result, straight from the floats: no widening buffer, no per-block statistics, one pass of
/// plain-double log₂/exp₂ terms (<see cref="Run"/>).
///
/// <para>A first pass finds, exactly, the largest and smallest magnitude key (|x|, or max(|re|, |im|)) as integer
/// maxima/minima of the float bits; NaN, ∞, a zero with p &lt; 0 or an all-zero vector decline (the caller's path has
/// the special-value rules). The reference is that largest key (p &gt; 0) or smallest (p &lt; 0), ref = ρ·2ᵉᵇ with
/// ρ ∈ [1, 2). Every term is t = 2^(p'·log₂(a·2⁻ᵉᵇ) − K) (a = |x| and p' = p, or a = |z|² = re² + im² — both squares
/// exact in double, one rounding — with the exponent doubled and p' = p/2), the integer K = ⌊p'·log₂ ρ⁽²⁾⌋ putting the
/// largest term in [1, 2) (real) or [2^(p/2), 2^(p/2 + 1)] (complex): the sum cannot overflow, and terms below
/// 2⁻¹⁰²¹, dropped, are below 2⁻⁷⁰⁰ of it. Floats are normal doubles, so no other scaling is needed.</para>
///
/// <para>Error: a term's relative error is ≲ 2⁻⁴²·⁵(1 + |p|) + 2⁻⁵²·d where d = |y| ≤ |y_max| + (y_max − y) measures
/// its exponent y (|y_max| ≤ |p|); weighted by the terms themselves the average y_max − y is ≤ 2·log₂ n + 1 (terms
/// more than log₂ n below the largest weigh at most n·d·2⁻ᵈ ≤ log₂ n together), so for n ≤ 2⁴⁰ the sum's relative
/// error from the terms is ≲ 2⁻⁴²(1 + |p|); lanes add plainly within runs of <see cref="RunElements"/> elements
/// (≤ 520 additions deep: γ ≲ 2⁻⁴⁴) and runs add as double-doubles. The root S^(1/p)·2ᵉᵇ
/// (<see cref="GeneralNorm.Root"/>, double-double) divides that by |p|: the result is within ~2⁻⁴¹/min(1, |p|) of the
/// norm, and it is stored only if <see cref="GeneralPowFast.TryStoreNarrow"/> finds no float32 midpoint within
/// 2⁻³⁶/min(1, |p|) of it — then it is the correctly rounded norm, which is unique, so the bits are those of the exact
/// path and do not depend on the vector width, the split over threads or the alignment. Otherwise (near a midpoint,
/// subnormal or overflowing result) the caller's path computes the output.</para></summary>
internal static unsafe class NarrowPowFast
{
    /// <summary>Elements whose terms add plainly in the lanes before the run's total enters the double-double sum.</summary>
    private const int RunElements = 2048;
    /// <summary>A vector from this many elements on is split over the workers.</summary>
    private const long MinParallelElements = 1L << 14;

    /// <summary>True for a single contiguous float32 or complex64 vector into a float32 result.</summary>
    public static bool Applies(ReductionPlan plan, DType t, DType ot)
        => ot == DType.Float32 && (t is DType.Float32 or DType.Complex64) && plan.OuterCount == 1
           && plan.InnerShape.Length == 1 && plan.InnerCount > 0
           && (plan.InnerStrides[0] == (t == DType.Float32 ? 4 : 8) || FloatRuns.TakesStride(plan.InnerStrides[0]));

    /// <summary>True for the whole and half-integer orders on which this kernel beats the float32 double-double kernels
    /// (whole: measured 1.1–2.1× at 10³–10⁵): 5 … 64 (3 and 4 have multiply-only kernels of their own), −3 … −1000 (−1
    /// and −2 too), and the half-integers 3.5 … 64.5, −0.5 and −3.5 … −64.5 (1.5 and 2.5 have one-pass offset lanes,
    /// −1.5 and −2.5 <see cref="FloatPowFast"/>; until session 21 they took the double-double half-integer kernel:
    /// 30 000 floats at 3.5 / 6.5 / 10.5 / −3.5 0.88 / 0.75 / 0.63 / 0.67× NumPy). The other paths' float32 results of
    /// these orders are correctly rounded, so a proven store here has their bits.</summary>
    public static bool TakesExactOrder(double p)
    {
        if (p == Math.Floor(p)) return p is >= 5 and <= 64 || p is <= -3 and >= -GeneralPowFast.MaxAbsP;
        double a = Math.Abs(p);
        return 2 * a == Math.Floor(2 * a) && a <= 64.5 && (a >= 3.5 || p == -0.5);
    }

    /// <summary>True when the correctly rounded norm was stored (no FP events are possible then).</summary>
    public static bool TryRun(ReductionPlan plan, byte* x, DType t, double p, byte* o)
        => TryLine(x + plan.InnerBaseOffset, plan.InnerCount, plan.InnerStrides[0], t == DType.Complex64, p, o);

    /// <summary><see cref="TryRun(ReductionPlan, byte*, DType, double, byte*)"/> for the <paramref name="n"/> elements
    /// <paramref name="stride"/> bytes apart (positive) from <paramref name="x"/>.</summary>
    internal static bool TryLine(byte* x, long n, long stride, bool complex, double p, byte* o)
    {
        float* f = (float*)x;
        if (stride != (complex ? 8 : 4)) return TryRunStrided(x, n, stride, complex, p, o);
        if (!Prepare(f, n, complex, p, out int eb, out double pp, out double koff, out double k, out bool exact)) return false;
        int threads = Parallelism.MaxThreads, parts = 1;
        if (threads > 1 && n >= MinParallelElements) parts = (int)Math.Min(threads, n / (MinParallelElements / 2));
        double hi, lo;
        if (parts == 1) Sum(f, n, complex, pp, koff, k, exact, out hi, out lo);
        else
        {
            var his = new double[parts];
            var los = new double[parts];
            nint b = (nint)f;
            int w = complex ? 2 : 1;
            Parallelism.For(parts, threads, q =>
            {
                long a = n * q / parts, e = n * (q + 1) / parts;
                Sum((float*)b + a * w, e - a, complex, pp, koff, k, exact, out his[q], out los[q]);
            });
            hi = 0; lo = 0;
            for (int q = 0; q < parts; q++) DD.Add(ref hi, ref lo, his[q], los[q]);
        }
        if (!double.IsFinite(hi) || hi <= 0) return false;
        Ext res = GeneralNorm.Root(hi, lo, (int)k, p, new Ext(1, 0, eb));
        return GeneralPowFast.TryStoreNarrow(res, GeneralPowFast.NarrowRel(p), DType.Float32, o);
    }

    /// <summary>Elements of a strided vector copied into contiguous floats at a time (one run of the sum).</summary>
    private const int StridedChunk = RunElements;

    /// <summary><see cref="TryRun"/> for <paramref name="n"/> elements <paramref name="stride"/> bytes apart (positive,
    /// not adjacent): chunks of <see cref="StridedChunk"/> elements are copied into contiguous floats on the stack, the
    /// keys taken over all of them, then each chunk's sum (whole runs and a padded tail, as a vector's) added as a
    /// double-double, as the runs and the parts of a contiguous vector are — the error analysis of the type's summary
    /// holds as it stands, so the proof and the stored bits are the same. float32 x[::2] of 6e5 at ord 1.7 took the
    /// double path's widening copy: 0.58–0.76× NumPy.</summary>
    private static bool TryRunStrided(byte* f, long n, long stride, bool complex, double p, byte* o)
    {
        int w = complex ? 2 : 1;
        int threads = Parallelism.MaxThreads, parts = 1;
        if (threads > 1 && n >= MinParallelElements) parts = (int)Math.Min(threads, n / (MinParallelElements / 2));
        var maxes = new uint[parts];
        var mins = new uint[parts];
        nint b = (nint)f;
        Parallelism.For(parts, threads, q =>
        {
            float* buf = stackalloc float[2 * StridedChunk];
            uint mx = 0, mn = uint.MaxValue;
            for (long a = n * q / parts, e = n * (q + 1) / parts; a < e; a += StridedChunk)
            {
                int len = (int)Math.Min(StridedChunk, e - a);
                FloatRuns.Copy((byte*)b + a * stride, stride, len, complex, buf);
                Keys(buf, len, complex, out uint cmax, out uint cmin);
                mx = Math.Max(mx, cmax); mn = Math.Min(mn, cmin);
            }
            maxes[q] = mx; mins[q] = mn;
        });
        uint max = 0, min = uint.MaxValue;
        for (int q = 0; q < parts; q++) { max = Math.Max(max, maxes[q]); min = Math.Min(min, mins[q]); }
        if (!Prepare(max, min, complex, p, out int eb, out double pp, out double koff, out double k, out bool exact)) return false;
        var his = new double[parts];
        var los = new double[parts];
        Parallelism.For(parts, threads, q =>
        {
            float* buf = stackalloc float[2 * StridedChunk];
            double* tab = stackalloc double[TableLength];
            VecLogExp.NarrowTables(pp, tab);
            double h = 0, l = 0;
            for (long a = n * q / parts, e = n * (q + 1) / parts; a < e; a += StridedChunk)
            {
                int len = (int)Math.Min(StridedChunk, e - a);
                FloatRuns.Copy((byte*)b + a * stride, stride, len, complex, buf);
                Sum(buf, len, complex, pp, koff, k, exact, tab, out double ch, out double cl);
                DD.Add(ref h, ref l, ch, cl);
            }
            his[q] = h; los[q] = l;
        });
        double hi = 0, lo = 0;
        for (int q = 0; q < parts; q++) DD.Add(ref hi, ref lo, his[q], los[q]);
        if (!double.IsFinite(hi) || hi <= 0) return false;
        Ext res = GeneralNorm.Root(hi, lo, (int)k, p, new Ext(1, 0, eb));
        return GeneralPowFast.TryStoreNarrow(res, GeneralPowFast.NarrowRel(p), DType.Float32, o);
    }

    /// <summary>The parameters of <see cref="Sum(float*, long, bool, double, double, double, bool, out double, out double)"/>
    /// for the vector at <paramref name="f"/> (reference 2^eb, the integers koff and k, the maskless case); false (decline) for NaN, ∞, a zero with p &lt; 0 or an all-zero vector.</summary>
    internal static bool Prepare(float* f, long n, bool complex, double p, out int eb, out double pp, out double koff, out double k, out bool exact)
    {
        Keys(f, n, complex, out uint max, out uint min);
        return Prepare(max, min, complex, p, out eb, out pp, out koff, out k, out exact);
    }

    /// <summary><see cref="Prepare(float*, long, bool, double, out int, out double, out double, out double, out bool)"/>
    /// from the vector's keys (<see cref="Keys"/>).</summary>
    private static bool Prepare(uint max, uint min, bool complex, double p, out int eb, out double pp, out double koff, out double k, out bool exact)
    {
        eb = 0; pp = 0; koff = 0; k = 0; exact = false;
        if (max >= 0x7F800000u || (p > 0 ? max == 0 : min == 0)) return false; // NaN, ∞, zeros for p < 0, all zero
        double r = BitConverter.UInt32BitsToSingle(p > 0 ? max : min);
        eb = Math.ILogB(r);
        double rho = Math.ScaleB(r, -eb);
        pp = complex ? 0.5 * p : p;
        k = Math.Floor(pp * (complex ? 2 : 1) * Math.Log2(rho)); // any integer is exact; this one centres the terms
        koff = complex ? -2.0 * eb : -eb;
        // no zero, and even the smallest term lies within 2⁹⁰⁰ of the largest: no masks needed
        exact = min != 0 && Math.Abs(p) * (Math.ILogB(BitConverter.UInt32BitsToSingle(max)) - Math.ILogB(BitConverter.UInt32BitsToSingle(min)) + 3) < 900;
        return true;
    }

    /// <summary>The largest and smallest magnitude key of the vector as float bits (sign cleared; complex: the larger
    /// part's): integer comparisons, exact, any width. A NaN or ∞ makes the largest ≥ 0x7F800000.</summary>
    internal static void Keys(float* f, long n, bool complex, out uint max, out uint min)
    {
        long m = complex ? 2 * n : n, i = 0;
        var mask = Vector256.Create(0x7FFFFFFFu);
        Vector256<uint> vmax = Vector256<uint>.Zero, vmin = Vector256<uint>.AllBitsSet;
        if (complex)
            for (; i + 8 <= m; i += 8)
            {
                var u = Vector256.Load((uint*)f + i) & mask;
                u = Vector256.Max(u, Vector256.Shuffle(u, Vector256.Create(1u, 0, 3, 2, 5, 4, 7, 6)));
                vmax = Vector256.Max(vmax, u); vmin = Vector256.Min(vmin, u);
            }
        else
            for (; i + 8 <= m; i += 8)
            {
                var u = Vector256.Load((uint*)f + i) & mask;
                vmax = Vector256.Max(vmax, u); vmin = Vector256.Min(vmin, u);
            }
        max = 0; min = uint.MaxValue;
        for (int j = 0; j < 8; j++) { max = Math.Max(max, vmax[j]); min = Math.Min(min, vmin[j]); }
        int step = complex ? 2 : 1;
        for (; i < m; i += step)
        {
            uint u = ((uint*)f)[i] & 0x7FFFFFFFu;
            if (complex) u = Math.Max(u, ((uint*)f)[i + 1] & 0x7FFFFFFFu);
            max = Math.Max(max, u); min = Math.Min(min, u);
        }
    }

    /// <summary>Σ terms (see the type's summary) of <paramref name="n"/> elements as hi + lo: the terms
    /// 2^(pp·(log₂ a + koff) − k), where <paramref name="koff"/> and <paramref name="k"/> are integers.
    /// <paramref name="exact"/>: no element is zero and no term can fall below 2⁻¹⁰²² (no masks needed).</summary>
    internal static void Sum(float* f, long n, bool complex, double pp, double koff, double k, bool exact, out double hi, out double lo)
    {
        double* tab = stackalloc double[TableLength];
        VecLogExp.NarrowTables(pp, tab);
        Sum(f, n, complex, pp, koff, k, exact, tab, out hi, out lo);
    }

    /// <summary>Doubles of the table <see cref="VecLogExp.NarrowTables"/> makes for an order.</summary>
    internal const int TableLength = 48;

    /// <summary><see cref="Sum(float*, long, bool, double, double, double, bool, out double, out double)"/> with the
    /// order's table already made (by <see cref="VecLogExp.NarrowTables"/> for <paramref name="pp"/>): many short
    /// vectors of one order share it.</summary>
    internal static void Sum(float* f, long n, bool complex, double pp, double koff, double k, bool exact, double* tab, out double hi, out double lo)
    {
        if (RealKernels.Wide) Sum<Lanes512, Widen512>(f, n, complex, pp, koff, k, exact, tab, out hi, out lo);
        else Sum<Lanes256, Widen256>(f, n, complex, pp, koff, k, exact, tab, out hi, out lo);
    }

    private static void Sum<L, W>(float* f, long n, bool complex, double pp, double koff, double k, bool exact, double* tab, out double hi, out double lo)
        where L : struct, ILanes<L> where W : struct, IFloatWiden<L>
    {
        int w = complex ? 2 : 1, c = L.Count;
        var cs = new Consts(pp, koff, k);
        hi = 0; lo = 0;
        long i = 0, full = n & ~(long)(c - 1);
        for (int len; i < full; i += len)
        {
            len = (int)Math.Min(RunElements, full - i);
            L acc = (complex, exact) switch
            {
                (false, false) => Run<L, W, RealLoad, Masked>(f + i, len, tab, cs),
                (false, true) => Run<L, W, RealLoad, Unmasked>(f + i, len, tab, cs),
                (true, false) => Run<L, W, ComplexLoad, Masked>(f + 2 * i, len, tab, cs),
                _ => Run<L, W, ComplexLoad, Unmasked>(f + 2 * i, len, tab, cs),
            };
            AddLanes(acc, ref hi, ref lo);
        }
        if (i < n)
        {
            // the tail, padded with zeros (their terms are masked to 0)
            float* pad = stackalloc float[2 * 8];
            new Span<float>(pad, 2 * 8).Clear();
            new ReadOnlySpan<float>(f + i * w, (int)(n - i) * w).CopyTo(new Span<float>(pad, 2 * 8));
            AddLanes(complex ? Run<L, W, ComplexLoad, Masked>(pad, c, tab, cs) : Run<L, W, RealLoad, Masked>(pad, c, tab, cs), ref hi, ref lo);
        }
    }

    private static void AddLanes<L>(L acc, ref double hi, ref double lo) where L : struct, ILanes<L>
    {
        double s = 0;
        for (int j = 0; j < L.Count; j++) s += acc[j];
        DD.Add(ref hi, ref lo, s, 0);
    }

    /// <summary>The per-call constants of <see cref="Run"/>.</summary>
    private readonly struct Consts
    {
        public readonly double Pp, Koff, NkBias, MinY;
        public Consts(double pp, double koff, double k)
        {
            Pp = pp;
            Koff = koff;                    // the exponent of a·2^koff is a's plus this
            NkBias = -Magic / 16 - k;       // (Magic + 16i)/16 + this = i − k
            MinY = k - 1021;                // below this the term is below 2⁻¹⁰²¹ (dropped), above it its scale is normal
        }
    }

    private const double Magic = 6755399441055744.0; // 1.5·2⁵²: fl(v + Magic) − Magic rounds v to an integer

    /// <summary>What the term is taken of: |x| (real) or |z|² (complex).</summary>
    private interface ILoad
    {
        static abstract L Load<L, W>(float* p) where L : struct, ILanes<L> where W : struct, IFloatWiden<L>;
        static abstract int Width { get; }
    }

    private readonly struct RealLoad : ILoad
    {
        public static int Width => 1;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static L Load<L, W>(float* p) where L : struct, ILanes<L> where W : struct, IFloatWiden<L> => L.Abs(W.Widen(p));
    }

    private readonly struct ComplexLoad : ILoad
    {
        public static int Width => 2;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static L Load<L, W>(float* p) where L : struct, ILanes<L> where W : struct, IFloatWiden<L>
        {
            var a0 = W.Widen(p); var a1 = W.Widen(p + L.Count);
            var re = L.Evens(a0, a1); var im = L.Odds(a0, a1);
            return L.Fma(re, re, im * im); // im² exact (24-bit parts), the sum rounded once
        }
    }

    /// <summary>Whether zeros and underflowing terms are masked out.</summary>
    private interface IMasking { static abstract bool On { get; } }
    private readonly struct Masked : IMasking { public static bool On => true; }
    private readonly struct Unmasked : IMasking { public static bool On => false; }

    /// <summary>The lanes' plain sums of the terms of <paramref name="len"/> elements (a multiple of L.Count).
    /// Per element, a = m·2ᴱ (m ∈ [1, 2)), j = m's top four fraction bits, r = m·c_j − 1 (one rounding, |r| ≤ 0.0303):
    /// y = pp·(E + koff) + pp·(−log₂ c_j) + pp·log₂(1 + r), log₂(1 + r) to r⁷ (truncation ≤ 2⁻⁴²·⁸); then
    /// y = n/16 + f (n = round(16y), f exact, |f| ≤ 1/32) and the term 2^(n/16 − k)·2^f, 2^f − 1 to f⁵ (truncation
    /// ≤ 2⁻⁴²·⁷ relative). Relative term error ≲ 2⁻⁴²·⁸|pp| + 2⁻⁴²·⁵ + 2⁻⁵³·|y| (y's rounding), which the root divides by
    /// |p| (see the type's summary for the |y| part).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static L Run<L, W, TL, TM>(float* p, int len, double* tab, in Consts cs)
        where L : struct, ILanes<L> where W : struct, IFloatWiden<L> where TL : struct, ILoad where TM : struct, IMasking
    {
        const double l2e = 1.4426950408889634; // 1/ln 2
        const double ln2 = 0.6931471805599453;
        var acc = L.Zero;
        var one = L.Create(1.0);
        var ppv = L.Create(cs.Pp);
        var koff = L.Create(cs.Koff); var nkBias = L.Create(cs.NkBias); var minY = L.Create(cs.MinY);
        int c = L.Count, w = TL.Width;
        for (int i = 0; i < len; i += c)
        {
            var a = TL.Load<L, W>(p + i * w);
            var v = L.AllBitsSet;
            if (TM.On)
            {
                v = L.GreaterThan(a, L.Zero);
                a = L.Select(v, a, one);
            }
            // log₂: a = m·2ᴱ
            var e = TablePowSum.Exponent(a) + koff;
            var m = TablePowSum.Significand(a);
            var j = L.ShiftRightBits(a, 48) & L.CreateBits(15);
            var r = L.Fma(m, L.Lookup16(tab, j), -one);
            // log₂(1 + r) = r·(1 − r/2 + r²/3 − … + r⁶/7)/ln 2 (Estrin)
            var r2 = r * r;
            var q01 = L.Fma(r, L.Create(-0.5 * l2e), L.Create(l2e));
            var q23 = L.Fma(r, L.Create(-0.25 * l2e), L.Create(l2e / 3));
            var q45 = L.Fma(r, L.Create(-l2e / 6), L.Create(0.2 * l2e));
            var q = L.Fma(L.Fma(L.Create(l2e / 7), r2, q45), r2 * r2, L.Fma(q23, r2, q01));
            var y = L.Fma(ppv * r, q, L.Fma(ppv, e, L.Lookup16(tab + 16, j)));
            // 2^y = 2^(n/16)·2^f
            var t = L.Fma(y, L.Create(16.0), L.Create(Magic));
            var n = t - L.Create(Magic);
            var f = L.Fma(n, L.Create(-1.0 / 16), y);
            var ji = t & L.CreateBits(15);
            var f2 = f * f;
            // 2^f − 1 = f·(ln2 + (ln2)²/2·f + … + (ln2)⁵/120·f⁴)
            var pf = L.Fma(L.Fma(L.Create(ln2 * ln2 * ln2 * ln2 * ln2 / 120), f2, L.Fma(L.Create(ln2 * ln2 * ln2 * ln2 / 24), f, L.Create(ln2 * ln2 * ln2 / 6))),
                           f2, L.Fma(L.Create(ln2 * ln2 / 2), f, L.Create(ln2)));
            var th = L.Lookup16(tab + 32, ji);
            var h = L.Fma(th, f * pf, th);
            // 2^(i − k), i = (n − ji)/16: t with its low four bits cleared is Magic + 16i (exact)
            var nk = L.Fma(t & L.CreateBits(~15UL), L.Create(1.0 / 16), nkBias);
            if (TM.On)
            {
                v &= L.GreaterThanOrEqual(y, minY);
                h = L.Select(v, TablePowSum.Scale(h, L.Max(nk, L.Create(-1022.0))), L.Zero);
            }
            else h = TablePowSum.Scale(h, nk);
            acc += h;
        }
        return acc;
    }
}
