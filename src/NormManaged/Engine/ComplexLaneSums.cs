using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Complex whole orders 3 … <see cref="MaxOrder"/> and complex128 general orders (<see cref="TakesGeneral"/>)
/// of short lines (at most <see cref="MaxLengthOf(DType, double)"/> values): the definition of such a line's sum, one generic body over <see cref="ILanes{TSelf}"/> that a lone line runs on
/// <see cref="Lane1"/> (<see cref="TryLine"/>) and many lines run a SIMD lane per line (<see cref="Run"/>), so every
/// output has, by construction, the bits of its line reduced alone.
///
/// The line is scaled by exact powers of two 2^a·2^c = 2^−eb, eb = ilogb(M) + 1 for M the largest |component|, so the
/// largest scaled component lies in [1/2, 1), every |z| &lt; √2 and the largest term lies in [2⁻ᵖ, 2^(p/2)]; a term
/// lost to underflow is below 2⁻¹⁰²² against that (no spurious over- or underflow). |z|² = hh + hl with exact squares
/// by FMA (<see cref="ComplexMag.Square{L}"/>); p = 4 takes (hh + hl)², p = 3 (hh + hl)·(√hh + c), c the exact residual
/// hh − (√hh)² plus hl over 2√hh, other whole p double-double powers of hh + hl (times |z| when odd), general p
/// e^((p/2)·ln(hh + hl)) by <see cref="GeneralTerm{L}"/>'s table-reduced plain-double terms (p = 2.5: double-double
/// roots, <see cref="Term25{L}"/>) (p &lt; 0: the line scaled
/// by its smallest max(|re|, |im|), a line with a zero finished by numpy's rules); each whole-order term is a
/// double-double to ~2⁻¹⁰⁰, a general one to ≲ 2⁻⁵⁶·⁵ + 2⁻⁵⁷·⁵·|p| (a lone line computes those a vector of values at a
/// time — a term is a pure function of its value — and adds them on <see cref="Lane1"/>), and the terms are added in
/// index order by TwoSum with one low-order accumulator. The norm
/// is 2^eb·S^(1/p) by <see cref="GeneralNorm.Root"/> (lanes: <see cref="LanePow.Roots"/>, the same bits). A line
/// holding NaN or ∞, or only zeros, is finished by /// <see cref="GeneralNorm.Reduce"/> (numpy's rules and warnings) on both routes.</summary>
internal static unsafe class ComplexLaneSums
{
    /// <summary>Longest line taken of complex64's whole orders and of complex128's orders 3 and 4 over adjacent lines
    /// (<see cref="AdjacentLines"/>). Below <see cref="ComplexOffsetSum.MinLength"/> the lone line used to take an
    /// extended-precision hypot and double-double powers per element, up to here that one-pass kernel's statistics and
    /// fold per line; both cost many rows 3–14× NumPy's time. complex128's general and whole orders from 5 go on to
    /// <see cref="MaxLine"/>.</summary>
    public const int MaxLength = 64;

    /// <summary>Longest line taken for order <paramref name="p"/>: <see cref="MaxLength"/>, but 32 for p = 3 and 4, whose
    /// longer lines keep <see cref="ComplexOffsetSum"/>'s exact one-pass kernel (measured, complex128 (1000,64) axis=1:
    /// ord 3 240–250 µs there against 270–305 µs in lanes; ord 5/8 530 µs there against 240–280 µs in lanes, rows of
    /// 17–32 of every order 2.5–4× faster in lanes), <see cref="MaxGeneralLength"/> for the general orders and
    /// <see cref="MaxLength25"/> for 2.5.</summary>
    public static int MaxLengthOf(double p)
        => p is 3 or 4 ? 32 : p == 2.5 ? MaxLength25 : TakesGeneral(DType.Complex128, p) ? MaxGeneralLength : MaxLength;

    /// <summary>Longest line of dtype <paramref name="t"/> taken for order <paramref name="p"/>: complex128's whole orders
    /// from 5 to <see cref="MaxLine"/> (their lone lines of 65 … 128 took the block path's table terms; in lanes,
    /// session 28, (1000, 80) rows ord 5 / 12 224 → 92 / 97 µs, (60, 80, 100) C axis 1 ord 5 1625 → 730 µs; a lone
    /// line of 128 at ord 5 / 64 2.0 / 2.2 µs both ways), else <see cref="MaxLengthOf(double)"/>.</summary>
    public static int MaxLengthOf(DType t, double p)
        => t == DType.Complex128 && p >= 5 && p == Math.Floor(p) ? MaxLine : MaxLengthOf(p);

    /// <summary>Longest line of any order (the buffers).</summary>
    public const int MaxLine = 128;

    /// <summary>Longest line taken for a general order. Rows of 25–40 cost half the block path's time with
    /// <see cref="GeneralTerm{L}"/> (measured side by side, one thread, (3000,32) ord 1.7: 1240 → 620 µs; (1000,64)
    /// 1.7 / −2.5 / 0.3 also 10–25 % faster). Up to 40 a lone line adds its terms in one serial TwoSum chain; a lone
    /// 1-D vector of 64 values took 5–10 % longer that way than on the block path's sixteen accumulators (2.06 → 2.19 µs
    /// at 1.7), so longer lines add in four chains (<see cref="OneChain"/>), on both routes. 64 until session 28: lines
    /// of 65 … 128 of N-D views went line by line through the block path (stats, table, masked tail per line), now a
    /// lane each, A/B two threads: (1000, 100) rows ord 1.7 294 → 178 µs, (100, 4800) columns 0.3 1646 → 967,
    /// (60, 80, 100) Fortran axis 2 0.3 1820 → 1001, C axis 1 1683 → 1102; a lone vector of 128 values pays
    /// ~0.2 µs (1.9 → 2.1 µs at 1.7; NumPy 3.6).</summary>
    public const int MaxGeneralLength = 128;

    /// <summary>Longest line taken for p = 2.5, whose longer lines keep <see cref="ComplexPowNorm"/>'s sums
    /// (<see cref="LanePow.AppliesComplex"/>): (1000,64) 315 µs there against 417 µs in lanes.</summary>
    public const int MaxLength25 = 24;

    /// <summary>Complex128 orders p with <see cref="MinGeneral"/> ≤ |p| ≤ <see cref="GeneralPowFast.MaxAbsP"/> and no kernel
    /// of their own (not ±1, ±2, 0.5, nor a whole order of
    /// <see cref="MaxOrder"/> or below): the general terms of <see cref="GeneralTerm{L}"/>. Before, rows of 4 cost 11×
    /// NumPy's time through the block driver's per-line statistics, table and vectorised pass (<see cref="LanePow"/>),
    /// rows of 16 and 64 2–4×; until session 21 the orders beyond ±32 (the block path's range for its complex table
    /// terms, whose accumulators start at a C₀ set from the largest component) still went that way: (4,3000) ord ±100
    /// 0.09× NumPy. Bounds: positive orders, <see cref="RefineAbove"/>; negative ones scale by the smallest
    /// max(|re|, |im|), so the largest term lies in (2^(p/2), 2^−p] — at most 2¹⁰⁰⁰, a sum of ≤ 128 below 2¹⁰⁰⁷ — and a dropped
    /// one is below 2⁻⁵⁰⁴ of it at p = −1000. The term error (≲ 2⁻⁵⁶·⁵ + 2⁻⁵⁷·⁵·|p| relative, the small part's
    /// roundings growing with |p|) reaches the norm divided by |p|.</summary>
    public static bool TakesGeneral(DType t, double p)
        => t == DType.Complex128 && Math.Abs(p) >= MinGeneral && Math.Abs(p) <= GeneralPowFast.MaxAbsP
           && p is not (1 or -1 or 2 or -2 or 0.5) && !(p >= 3 && p <= MaxOrder && p == Math.Floor(p));

    /// <summary>Smallest |p| of <see cref="TakesGeneral"/>: a term dropped below 2⁻¹⁰⁰⁰ of |z|² (scaled) is then below
    /// 2⁻¹²⁵ of the largest term's size.</summary>
    public const double MinGeneral = 0.25;

    /// <summary>Lines summed per batch (<see cref="LanePow.Group"/>, whose roots are taken at once).</summary>
    private const int Group = LanePow.Group;

    /// <summary>Total elements from which the lines are split over threads (rows are independent).</summary>
    private const long ParallelElements = 1L << 12;

    /// <summary>The orders whose short lines this class defines.</summary>
    public static bool Takes(DType t, double p)
        => (t is DType.Complex128 or DType.Complex64 && p >= 3 && p <= MaxOrder && p == Math.Floor(p)) || TakesGeneral(t, p);

    /// <summary>Largest whole order taken: every scaled term lies in [2⁻ᵖ, 2^(p/2)] for the line's largest value.</summary>
    public const int MaxOrder = 64;

    /// <summary>Lines of 1 … <see cref="MaxLengthOf(DType, double)"/> values (any reduced axes).</summary>
    public static bool Applies(ReductionPlan plan, DType t, double p)
        => Takes(t, p) && plan.OuterCount >= 1 && plan.InnerCount >= 1
           && (plan.InnerCount <= MaxLengthOf(t, p) || (plan.InnerCount <= MaxLength && AdjacentLines(plan, t)));

    /// <summary>complex128 lines of adjacent values (<see cref="LinesContiguous"/>' column mode): every order up to
    /// <see cref="MaxLength"/> values, as no other path reads eight adjacent outputs' values at once (measured side by
    /// side: (40,50,60) axis 0 ord 2.5 660 → 200 µs, ord 3 460 → 150 µs; (64,1000) axis 0 ord 2.5 364 → 120 µs, 3 149 →
    /// 88 µs, 4 118 → 72 µs). Such a column of 33–64 values (25–64 at 2.5) is this class's lane definition, not the
    /// lone line's (<see cref="ComplexOffsetSum"/>, <see cref="ComplexPowNorm"/>): both sums are double-double to
    /// ~2⁻¹⁰⁰ and both roots the double-double root, so the two agree except within ~2⁻⁸⁵ of a float64 midpoint,
    /// and every output keeps the lone line's bound (tests: the correctly rounded value, mpmath).</summary>
    private static bool AdjacentLines(ReductionPlan plan, DType t)
        => t == DType.Complex128 && plan.InnerShape.Length == 1 && plan.OuterShape.Length == 1 && plan.OuterInStrides[0] == 16
           && RealKernels.Wide && Avx512F.IsSupported;

    /// <summary>The scale exponent eb of a line whose largest |component| is <paramref name="m"/> (NaN if any is) and
    /// the two factors 2^a·2^c = 2^−eb; false for a line with NaN, ∞ or only zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Scale(double m, out int eb, out double f1, out double f2)
    {
        eb = 0; f1 = f2 = 1;
        if (!(m > 0 && m <= double.MaxValue)) return false; // NaN, ∞ or only zeros
        int be = (int)(BitConverter.DoubleToUInt64Bits(m) >> 52); // m > 0 finite: the biased exponent
        eb = (be == 0 ? Math.ILogB(m) : be - 1023) + 1;
        Factors(eb, out f1, out f2);
        return true;
    }

    /// <summary>The factors 2^a·2^c = 2^−eb of a scale exponent eb ∈ [−1074, 1024]: a and −eb − a lie in [−512, 537], so
    /// both are normal powers of two, built from bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Factors(int eb, out double f1, out double f2)
    {
        int a = -eb / 2;
        f1 = BitConverter.Int64BitsToDouble((long)(a + 1023) << 52);
        f2 = BitConverter.Int64BitsToDouble((long)(-eb - a + 1023) << 52);
    }

    /// <summary>Positive orders above which a line's scale is refined (<see cref="Refine"/>). The component scale puts the
    /// largest |z|² in [1/4, 2), so the largest term lies in [2⁻ᵖ, 2^(p/2)], and <see cref="GeneralTerm{L}"/> drops terms
    /// below e⁻⁷⁰⁰ ≈ 2⁻¹⁰⁰⁹·⁹ — at most 128 of them, below 2^(p − 1002.9) of the sum: under 2⁻⁴⁹⁰ up to here, but at
    /// p = 1000 a largest term near 2⁻¹⁰⁰⁰ would lose its neighbours.</summary>
    private const double RefineAbove = 512;

    /// <summary>For p &gt; <see cref="RefineAbove"/>: when the scaled line's largest fl(x² + y²) is below 1/2, the line is
    /// scaled by 2 more (eb − 1, exact), so that the largest |z|² lies in [1/2·(1 − 2⁻⁵²), 2) and the largest term in
    /// (2^(−p/2 − 1), 2^(p/2)]: 128 dropped terms are below 2⁻⁵⁰² of the sum and 128 kept ones below 2⁵⁰⁷ at p = 1000. A
    /// scalar pass over the values in index order, the same on every route (a lone line, lanes of lines), so a line's
    /// scale is a function of its values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Refine(double* re, double* im, nint step, int n, double p, ref int eb, ref double f1, ref double f2)
    {
        if (!(p > RefineAbove)) return;
        double h = 0;
        for (int k = 0; k < n; k++)
        {
            double x = re[k * step] * f1 * f2, y = im[k * step] * f1 * f2; // the terms' scaled parts, (v·f1)·f2
            h = Math.Max(h, x * x + y * y);
        }
        if (h < 0.5)
        {
            eb -= 1;
            Factors(eb, out f1, out f2);
        }
    }

    /// <summary>The largest |v[i]| of <paramref name="count"/> doubles, NaN if any is NaN: a maximum of the magnitude bits
    /// (ordered as the values; every NaN's above ∞'s), two chains — Math.Max's NaN rules cost a third of a short row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double MaxAbs(double* v, int count)
    {
        const ulong magnitude = 0x7FFF_FFFF_FFFF_FFFF;
        ulong m0 = 0, m1 = 0;
        int i = 0;
        for (; i + 1 < count; i += 2)
        {
            ulong a = BitConverter.DoubleToUInt64Bits(v[i]) & magnitude, b = BitConverter.DoubleToUInt64Bits(v[i + 1]) & magnitude;
            m0 = a > m0 ? a : m0;
            m1 = b > m1 ? b : m1;
        }
        if (i < count) { ulong a = BitConverter.DoubleToUInt64Bits(v[i]) & magnitude; m0 = a > m0 ? a : m0; }
        return BitConverter.UInt64BitsToDouble(m0 > m1 ? m0 : m1);
    }

    /// <summary>Σ|z|^p of <paramref name="n"/> values scaled by f1·f2, value k's parts at re[k·step] and im[k·step], as
    /// sh + sl (normalised): the one body of both routes (a lone line of a general order runs only its
    /// <see cref="Add{L}"/> on <see cref="Lane1"/>, its terms being lane-independent: <see cref="TryLine"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L Sum<L>(double* re, double* im, nint step, int n, double p, in Powers g, L f1, L f2, out L sl) where L : struct, ILanes<L>
    {
        L s = L.Zero, l = L.Zero;
        if (Chained(n, p)) return SumChains(re, im, step, n, p, g, f1, f2, out sl);
        for (int k = 0; k < n; k++)
        {
            L th = Term(L.Load(re + k * step) * f1 * f2, L.Load(im + k * step) * f1 * f2, p, g, out L tl);
            Add(ref s, ref l, th, tl);
        }
        return Finish(s, l, out sl);
    }

    /// <summary><see cref="Sum{L}"/> of a general order's line longer than <see cref="OneChain"/>: four chains. Kept out
    /// of line: inlined beside Sum's loop it cost rows of 4 half their speed (register pressure in the shared body).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static L SumChains<L>(double* re, double* im, nint step, int n, double p, in Powers g, L f1, L f2, out L sl) where L : struct, ILanes<L>
    {
        L s = L.Zero, l = L.Zero;
        // four chains, value k into chain k mod 4: the chain added to is always (s, l), then the chains rotate
        L s1 = L.Zero, l1 = L.Zero, s2 = L.Zero, l2 = L.Zero, s3 = L.Zero, l3 = L.Zero;
        for (int k = 0; k < n + ((4 - (n & 3)) & 3); k++)
        {
            if (k < n)
            {
                L th = Term(L.Load(re + k * step) * f1 * f2, L.Load(im + k * step) * f1 * f2, p, g, out L tl);
                Add(ref s, ref l, th, tl);
            }
            (s, l, s1, l1, s2, l2, s3, l3) = (s1, l1, s2, l2, s3, l3, s, l);
        }
        return MergeChains(s, l, s1, l1, s2, l2, s3, l3, out sl);
    }

    /// <summary>Longest general-order line summed in one chain (whole orders: <see cref="Chained"/>). Longer ones (to <see cref="MaxGeneralLength"/>) add
    /// value k into chain k mod 4 (each in index order by <see cref="Add{L}"/>), then the chains as
    /// ((0 + 1) + (2 + 3)) by the same TwoSum step and <see cref="Finish{L}"/>: a lone line's serial TwoSum chain of
    /// 41–64 additions made it 5–10 % slower than the block path, and four chains cut that latency fourfold. The
    /// bound is unchanged in substance: every addition of positive terms or partial sums is a TwoSum whose error is
    /// kept in a low-order accumulator (the chains' lows add ≤ 2 more roundings of quantities ≤ 2⁻⁵² of the sum),
    /// so the sum stays within ~n·2⁻¹⁰⁴ of the terms' exact sum, far below the terms' own error.</summary>
    private const int OneChain = 40;

    /// <summary>Whether a line of <paramref name="n"/> values adds its terms in four chains (<see cref="SumChains{L}"/>):
    /// a general order's from <see cref="OneChain"/> + 1 values, a whole order's (complex128) beyond
    /// <see cref="MaxLength"/> — the same on both routes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Chained(int n, double p) => n > (TakesGeneral(DType.Complex128, p) ? OneChain : MaxLength);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L MergeChains<L>(L s0, L l0, L s1, L l1, L s2, L l2, L s3, L l3, out L sl) where L : struct, ILanes<L>
    {
        Add(ref s0, ref l0, s1, l1);
        Add(ref s2, ref l2, s3, l3);
        Add(ref s0, ref l0, s2, l2);
        return Finish(s0, l0, out sl);
    }

    /// <summary>Adds the term th + tl to the running sum s (TwoSum) and its low-order accumulator l.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add<L>(ref L s, ref L l, L th, L tl) where L : struct, ILanes<L>
    {
        L t = s + th, b = t - s;
        l += ((s - (t - b)) + (th - b)) + tl;
        s = t;
    }

    /// <summary>The sum s + l normalised (Fast2Sum).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L Finish<L>(L s, L l, out L sl) where L : struct, ILanes<L>
    {
        L h = s + l;
        sl = l - (h - s);
        return h;
    }

    /// <summary>|z|^p of the scaled value x + iy as th + tl: a pure function of the value, the same bits in every lane
    /// at every width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L Term<L>(L x, L y, double p, in Powers g, out L tl) where L : struct, ILanes<L>
    {
        L hh = ComplexMag.Square(x, y, out L hl), th;
        if (p == 3)
        {
            L sq = Root(hh, hl, out L c);
            th = hh * sq;
            tl = L.Fma(hh, c, L.Fma(hl, sq, L.MulSub(hh, sq, th)));
        }
        else if (p == 4)
        {
            th = hh * hh;
            tl = L.Fma(hh + hh, hl, L.MulSub(hh, hh, th));
        }
        else if (p == Math.Floor(p) && p >= 5 && p <= MaxOrder) th = Power(hh, hl, (int)p, out tl); // whole p above: general terms
        else if (p == 2.5) th = Term25(hh, hl, out tl);
        else th = GeneralTerm(hh, hl, g, out tl);
        return th;
    }

    /// <summary>The constants of <see cref="GeneralTerm{L}"/> for one order p (the same for every line and lane):
    /// <see cref="TablePowSum.MakeTable"/>'s table for p' = p/2 (reduction factors c_j and Q_j = p'·ln(1/c_j) split on
    /// its grid) and P₁ = p'·ln 2 split on the same grid.</summary>
    private readonly struct Powers
    {
        public readonly double* Tab;
        public readonly double Pp, P1h, P1l;

        /// <summary>Fills <paramref name="tab"/> (<see cref="TablePowSum.TableLength"/> doubles) for order
        /// <paramref name="p"/>; whole orders take no table (<paramref name="tab"/> may be null).</summary>
        public Powers(double p, double* tab)
        {
            Tab = tab; Pp = 0.5 * p; P1h = P1l = 0;
            if (tab != null) TablePowSum.MakeTable(Pp, 0, true, tab, out P1h, out P1l);
        }
    }

    /// <summary>The general orders' term (hh + hl)^p' (p' = p/2) of a scaled |z|² = hh + hl as th + tl, 0 for hh
    /// outside [2⁻¹⁰²², <see cref="TermCeiling"/>) (a zero or a square that underflowed, p &gt; 0; a value whose
    /// scaling overflowed, p &lt; 0) and where the term is below e⁻⁷⁰⁰. The method and error of
    /// <see cref="TablePowSum"/>'s complex terms, with a line's scale in place of the block's: hh = 2ᵉ·m, m ∈ [1, 2),
    /// j = m's top four fraction bits, u = m·c_j − 1 (one rounding, |u| ≤ 0.0304) plus hl·2⁻ᵉ·c_j, and
    /// z = p'·ln(hh + hl) = Z + zs with Z = e·P₁ₕ + Q_jₕ exact on the table's grid (|e| ≤ 1022) and the small rest
    /// zs = e·P₁ₗ + Q_jₗ + p'·ln(1 + u) (ln(1 + u) to u¹⁰); then n = round(16z/ln 2) = 16N + i, r = Z − n·(ln2/16)ₕ
    /// (exact) + zs − n·(ln2/16)ₗ, |r| ≲ 0.0217, and the term 2ᴺ·2^(i/16)·(1 + q), q = e^r − 1 to r⁷/7!, as
    /// 2^(i/16)ₕ(1 + q) rounded plus its low part (the exact product's remainder and 2^(i/16)ₗ). Relative error
    /// ≲ 2⁻⁵⁶·⁵ + 2⁻⁵⁷·⁵·|p| (TablePowSum's analysis: ln's truncation and u's rounding 2⁻⁵⁸·|p'|, the small part's
    /// roundings ≈ 2⁻⁵⁸·|p|, r, e^r − 1 and the last product ≲ 2⁻⁵⁶·⁵ together), a few times fewer operations than
    /// pairs. Each lane's operations are the same IEEE operations at every width (exponent and significand by
    /// vgetexp/vgetmant or by bits, both exact; 2ᴺ by vscalef or an exact product, N ≥ −1010), so a term is a pure
    /// function of its value. A dropped term is below 2⁻¹²⁵ of the largest (the line's scale puts that in
    /// [2⁻|ᵖ|, 2^|p|] and |p| ≥ 1/4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L GeneralTerm<L>(L hh, L hl, in Powers g, out L tl) where L : struct, ILanes<L>
    {
        var ok = L.GreaterThanOrEqual(hh, L.Create(VecLogExp.MinNormal)) & L.LessThan(hh, L.Create(TermCeiling));
        L a = L.Select(ok, hh, L.Create(1.0)), al = L.Select(ok, hl, L.Zero);
        L e = TablePowSum.Exponent(a), m = TablePowSum.Significand(a);
        var j = L.ShiftRightBits(a, 48) & L.CreateBits(15);
        double* tab = g.Tab;
        var c = L.Lookup16(tab + TablePowSum.TabC, j);
        // u with hl on m's scale (hl·2⁻ᵉ·c ≤ 2⁻⁵² of u's unit; hl·2⁻ᵉ is exact, 2⁻ᵉ normal)
        var u = L.Fma(m, c, L.Create(-1.0)) + TablePowSum.Scale(al, -e) * c;
        // ln(1 + u) = u + u²·(−1/2 + u/3 − … − u⁸/10), the inner polynomial by pairs of coefficients (short chains)
        L u2 = u * u, u4 = u2 * u2;
        var w01 = L.Fma(u, L.Create(1.0 / 3), L.Create(-0.5));
        var w23 = L.Fma(u, L.Create(1.0 / 5), L.Create(-1.0 / 4));
        var w45 = L.Fma(u, L.Create(1.0 / 7), L.Create(-1.0 / 6));
        var w67 = L.Fma(u, L.Create(1.0 / 9), L.Create(-1.0 / 8));
        var w = L.Fma(L.Fma(L.Fma(L.Create(-1.0 / 10), u2, w67), u2, w45), u4, L.Fma(w23, u2, w01));
        var v = L.Fma(u2, w, u);
        var zb = L.Fma(e, L.Create(g.P1h), L.Lookup16(tab + TablePowSum.TabQh, j)); // exact on the grid
        var zs = L.Fma(L.Create(g.Pp), v, L.Fma(e, L.Create(g.P1l), L.Lookup16(tab + TablePowSum.TabQl, j)));
        var zh = zb + zs;
        ok &= L.GreaterThan(zh, L.Create(-700.0)); // below, 2ᴺ may not be normal: the lane's value is dropped at the end
        var t = L.Fma(zh, L.Create(VecLogExp.Inv16Ln2), L.Create(VecLogExp.Magic));
        var n = t - L.Create(VecLogExp.Magic);
        var r = L.Fma(n, L.Create(-VecLogExp.E16Hi), zb) + L.Fma(n, L.Create(-VecLogExp.E16Lo), zs); // the first exact
        // e^r − 1 = r + r²·(1/2 + r/6 + … + r⁵/5040), by pairs of coefficients
        var r2 = r * r;
        var q01 = L.Fma(r, L.Create(1.0 / 6), L.Create(0.5));
        var q23 = L.Fma(r, L.Create(1.0 / 120), L.Create(1.0 / 24));
        var q45 = L.Fma(r, L.Create(1.0 / 5040), L.Create(1.0 / 720));
        var q = L.Fma(r2, L.Fma(L.Fma(q45, r2, q23), r2, q01), r);
        var ji = t & L.CreateBits(15);
        var th = L.Lookup16(VecLogExp.Tables + VecLogExp.ExpTHi, ji);
        var h = L.Fma(th, q, th);
        var lo = L.Fma(th, q, th - h) + L.Lookup16(VecLogExp.Tables + VecLogExp.ExpTLo, ji); // th − h exact (Sterbenz)
        // N: t with its low four bits cleared is Magic + 16N (kept lanes: |N| ≤ 1010, 2ᴺ normal)
        var nn = L.Fma(t & L.CreateBits(~15UL), L.Create(1.0 / 16), L.Create(-VecLogExp.Magic / 16));
        tl = L.Select(ok, TablePowSum.Scale(lo, nn), L.Zero);
        return L.Select(ok, TablePowSum.Scale(h, nn), L.Zero);
    }

    /// <summary>|z|^2.5 = s·s^(1/4) of a scaled |z|² = s = hh + hl as th + tl, to ≲ 2⁻¹⁰¹ relative, by two double-double
    /// square roots and a pair product (the general orders' plain-double terms, ≲ 2⁻⁵⁴·⁵ here, cost 2.5 its correct
    /// rounding on short lines). y = √hh rounded, y + yl = √s with yl = (fma(−y, y, hh) + hl)/(2y); w = √y rounded,
    /// w + wl = √(y + yl) with wl = (fma(−w, w, y) + yl)/(2w), where 1/(2w) is taken as w·(1/(2y)) (w² = y(1 + ε),
    /// |ε| ≤ u: one division per term); then (hh + hl)·(w + wl) by <see cref="DDLanes.Mul{L}"/>.
    /// Error, u = 2⁻⁵³ (<see cref="ComplexMag.Square{L}"/>: hh + hl within u²/2 of |z|², |hl| ≤ 2u·hh). Step 1: the
    /// residual hh − y² is exact (FMA) and ≤ 2u·hh, so δ = (s − y²)/y² ≤ 4u; √s = y(1 + δ/2 − δ²/8 + …); yl's three
    /// roundings (sum, 1/(2y), product) err ≤ 3u on a correction ≤ 2u·y, and δ²/8 ≤ 2u² is dropped: ≤ 8u² relative.
    /// Step 2 on y + yl: its input error halves (4u²), δ' ≤ 4u, the correction's five roundings (sum, product,
    /// 1/(2y), w·h, ε) err ≤ 5u on ≤ 2u·w, δ'²/8 ≤ 2u²: ≤ 16u². The product drops hl·wl ≤ 4u² and rounds twice
    /// below that: ≤ 6u². In all ≲ 31u² ≈ 2⁻¹⁰¹ relative (the pair terms it replaces were 2⁻⁶⁷), far below the
    /// TwoSum chain's. Every value is normal while hh ≥ 2⁻⁸⁰⁰; below (a term under 2⁻¹⁰⁰⁰ against a largest term
    /// ≥ 2⁻²·⁵ at the line's scale) an underflowed residual or low part moves the term by ≤ 2⁻¹⁰⁷⁰, nothing; hh below
    /// 2⁻¹⁰²² (a zero, a square that underflowed) gives 0, a term below 2⁻¹²⁷⁷. Scaled |z|² &lt; 2: no overflow. The
    /// same IEEE operations in every lane (sqrt, division, FMA: correctly rounded), so a term is a pure function of
    /// its value at every width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L Term25<L>(L hh, L hl, out L tl) where L : struct, ILanes<L>
    {
        var ok = L.GreaterThanOrEqual(hh, L.Create(VecLogExp.MinNormal));
        L a = L.Select(ok, hh, L.Create(1.0)), al = L.Select(ok, hl, L.Zero);
        L y = L.Sqrt(a), h = L.Create(0.5) / y; // h = 1/(2y)
        L yl = (L.Fma(-y, y, a) + al) * h;
        L w = L.Sqrt(y);
        L wl = (L.Fma(-w, w, y) + yl) * (w * h); // 1/(2w) = w/(2w²) ≈ w/(2y)
        L th = DDLanes.Mul(a, al, w, wl, out L lo);
        tl = L.Select(ok, lo, L.Zero);
        return L.Select(ok, th, L.Zero);
    }

    /// <summary>Scaled |z|² from which a general term is dropped (p &lt; 0 only: |z|² ≤ 2 for p &gt; 0).</summary>
    private const double TermCeiling = 1e300;

    /// <summary>|z| = sq + c from |z|² = hh + hl: the rounded root and the exact residual hh − sq² plus hl over 2·sq.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L Root<L>(L hh, L hl, out L c) where L : struct, ILanes<L>
    {
        L sq = L.Sqrt(hh);
        c = (L.Fma(-sq, sq, hh) + hl) / (sq + sq);
        c = L.Select(L.Equal(hh, L.Zero), L.Zero, c); // |z| = 0: no residual (0/0 otherwise)
        return sq;
    }

    /// <summary>|z|^p for a whole p ≥ 5: (hh + hl)^⌊p/2⌋ by binary powering in double-double (<see cref="DDLanes.Mul{L}"/>),
    /// times <see cref="Root{L}"/>'s |z| when p is odd (≈ 2⁻¹⁰⁴·log₂p relative).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L Power<L>(L hh, L hl, int p, out L lo) where L : struct, ILanes<L>
    {
        L bh = hh, bl = hl, rh = L.Zero, rl = L.Zero;
        bool any = false;
        for (int k = p >> 1; ; )
        {
            if ((k & 1) != 0)
            {
                if (any) rh = DDLanes.Mul(rh, rl, bh, bl, out rl);
                else { rh = bh; rl = bl; any = true; }
            }
            k >>= 1;
            if (k == 0) break;
            bh = DDLanes.Mul(bh, bl, bh, bl, out bl);
        }
        if ((p & 1) != 0)
        {
            L sq = Root(hh, hl, out L c);
            rh = DDLanes.Mul(rh, rl, sq, c, out rl);
        }
        lo = rl;
        return rh;
    }

    /// <summary>The norm of one line of <paramref name="n"/> ≤ <see cref="MaxLine"/> values already widened to
    /// doubles (re, im interleaved at <paramref name="z"/>): false, nothing computed, for a line
    /// <see cref="GeneralNorm.Reduce"/> must finish (NaN, ∞, only zeros; p &lt; 0: a zero). A general order's terms (and
    /// a whole order's beyond <see cref="MaxLength"/> values) are computed a vector of values at a time (each term is a pure function of its value, the same bits in any lane) and
    /// added in index order by <see cref="Add{L}"/> on <see cref="Lane1"/>: the additions each lane of
    /// <see cref="Sum{L}"/> makes for the same line.</summary>
    public static bool TryLine(double* z, int n, double p, out Ext r)
    {
        r = default;
        if (!LineScale(z, z + 1, 2, n, MaxAbs(z, 2 * n), p, out int eb, out double f1, out double f2)) return false;
        double sh, sl;
        if (TakesGeneral(DType.Complex128, p) || n > MaxLength)
        {
            double* tab = stackalloc double[TablePowSum.TableLength];
            var g = new Powers(p, TakesGeneral(DType.Complex128, p) && p != 2.5 ? tab : null); // 2.5: Term25, whole orders: no table
            sh = RealKernels.Wide ? GeneralLine<Lanes512>(z, n, p, g, f1, f2, out sl) : GeneralLine<Lanes256>(z, n, p, g, f1, f2, out sl);
        }
        else
        {
            sh = Sum(z, z + 1, 2, n, p, new Powers(p, null), new Lane1(f1), new Lane1(f2), out Lane1 l).V;
            sl = l.V;
        }
        r = GeneralNorm.Root(sh, sl, 0, p, new Ext(1, 0, eb));
        return true;
    }

    /// <summary>A lone line's general-order sum: the terms in lanes of <typeparamref name="L"/>, the additions in order.</summary>
    private static double GeneralLine<L>(double* z, int n, double p, in Powers g, double f1, double f2, out double sl) where L : struct, ILanes<L>
    {
        const int pad = MaxLine + 8;
        double* re = stackalloc double[pad], im = stackalloc double[pad], th = stackalloc double[pad], tl = stackalloc double[pad];
        int w = (n + L.Count - 1) / L.Count * L.Count;
        for (int k = 0; k < w; k++)
        {
            re[k] = k < n ? z[2 * k] : 1; // padding: a valid value whose term is not added
            im[k] = k < n ? z[2 * k + 1] : 0;
        }
        L a = L.Create(f1), b = L.Create(f2);
        for (int k = 0; k < w; k += L.Count)
        {
            Term(L.Load(re + k) * a * b, L.Load(im + k) * a * b, p, g, out L lo).Store(th + k);
            lo.Store(tl + k);
        }
        Lane1 s = Lane1.Zero, l = Lane1.Zero;
        if (Chained(n, p))
        {
            // Sum's four chains (value k into chain k mod 4), merged as there
            Lane1 s1 = Lane1.Zero, l1 = Lane1.Zero, s2 = Lane1.Zero, l2 = Lane1.Zero, s3 = Lane1.Zero, l3 = Lane1.Zero;
            for (int k = 0; k < n; k++)
            {
                Lane1 h0 = new(th[k]), h1 = new(tl[k]);
                switch (k & 3)
                {
                    case 0: Add(ref s, ref l, h0, h1); break;
                    case 1: Add(ref s1, ref l1, h0, h1); break;
                    case 2: Add(ref s2, ref l2, h0, h1); break;
                    default: Add(ref s3, ref l3, h0, h1); break;
                }
            }
            double m = MergeChains(s, l, s1, l1, s2, l2, s3, l3, out Lane1 ml).V;
            sl = ml.V;
            return m;
        }
        for (int k = 0; k < n; k++) Add(ref s, ref l, new Lane1(th[k]), new Lane1(tl[k]));
        double h = Finish(s, l, out Lane1 lo1).V;
        sl = lo1.V;
        return h;
    }

    /// <summary><see cref="Scale"/> of a line (value k's parts at re[k·step], im[k·step]) whose largest |component| is
    /// <paramref name="m"/>: from m for p &gt; 0; for p &lt; 0 from the smallest max(|re|, |im|) (then the smallest
    /// scaled |z| lies in [1/2, √2) and every term below 2^|p|), false also for a line with a zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool LineScale(double* re, double* im, nint step, int n, double m, double p, out int eb, out double f1, out double f2)
    {
        if (!Scale(m, out eb, out f1, out f2)) return false;
        if (p > 0)
        {
            Refine(re, im, step, n, p, ref eb, ref f1, ref f2);
            return true;
        }
        // no NaN here: minsd/maxsd (MinNative/MaxNative) give Math.Min/Max's values without their NaN fix-ups, which
        // cost a quarter of a short row's setup (the scale is exact: any order of the same minimum gives its bits)
        var mn = Vector128.CreateScalarUnsafe(double.MaxValue);
        for (int k = 0; k < n; k++)
            mn = Vector128.MinNative(mn, Vector128.MaxNative(Vector128.CreateScalarUnsafe(Math.Abs(re[k * step])), Vector128.CreateScalarUnsafe(Math.Abs(im[k * step]))));
        return mn.ToScalar() > 0 && Scale(mn.ToScalar(), out eb, out f1, out f2);
    }

    /// <summary><see cref="Refine"/> of the <paramref name="live"/> lanes (bit r) of lane-ordered values (value k of lane r at
    /// [k·Group + r]), eight lanes a vector: each lane makes the scalar pass's products, sums and maximum (exact, so its
    /// order is immaterial), hence its scale.</summary>
    private static void RefineLanes(double* re, double* im, int n, uint live, int* eb, double* f1, double* f2)
    {
        for (int r0 = 0; r0 < Group; r0 += 8)
        {
            uint lanes = (live >> r0) & 0xFF;
            if (lanes == 0) continue;
            Vector512<double> a = Vector512.Load(f1 + r0), b = Vector512.Load(f2 + r0), h = Vector512<double>.Zero;
            for (int k = 0; k < n; k++)
            {
                var x = Vector512.Load(re + k * Group + r0) * a * b;
                var y = Vector512.Load(im + k * Group + r0) * a * b;
                h = Vector512.Max(h, x * x + y * y);
            }
            for (uint low = (uint)Vector512.LessThan(h, Vector512.Create(0.5)).ExtractMostSignificantBits() & lanes; low != 0; low &= low - 1)
            {
                int r = r0 + System.Numerics.BitOperations.TrailingZeroCount(low);
                eb[r] -= 1;
                Factors(eb[r], out f1[r], out f2[r]);
            }
        }
    }

    /// <summary>A lone line: <see cref="TryLine"/> on its widened values, else numpy's rules by <see cref="GeneralNorm.Reduce"/>.</summary>
    private static FpEvents One(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot)
    {
        double* buf = stackalloc double[2 * MaxLine + 8];
        var it = new OuterIterator(plan, x, o);
        it.Next(out byte* xp, out byte* op);
        fixed (double* z = new DoubleBlocks(plan, xp, t, buf).Next())
            if (TryLine(z, (int)plan.InnerCount, p, out Ext r)) return GeneralNorm.StoreDecided(plan, xp, t, p, ot, op, r);
        return GeneralNorm.Reduce(plan, xp, t, p, ot, op);
    }

    /// <summary>Computes every output of the plan (<see cref="Applies"/>).</summary>
    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot)
    {
        long outs = plan.OuterCount;
        if (outs == 1) return One(plan, x, t, p, o, ot);
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && outs * plan.InnerCount >= ParallelElements)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(outs, threads, (k0, count) => Lines(plan, (byte*)xb, t, p, (byte*)ob, ot, k0, count));
        }
        return Lines(plan, x, t, p, o, ot, 0, outs);
    }

    /// <summary>The outputs first … first + count − 1, <see cref="Group"/> lines at a time: each line's values
    /// transposed into lane order (value k of line i at [k·Group + i]) with its scale, then the sums and roots in lanes.</summary>
    private static FpEvents Lines(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot, long first, long count)
    {
        if (t == DType.Complex128 && plan.InnerShape.Length == 1 && RealKernels.Wide && Avx512F.IsSupported
            && (plan.InnerStrides[0] == 16 || plan.OuterInStrides.AsSpan().Contains(16)))
            return LinesContiguous(plan, x, t, p, o, ot, first, count, plan.InnerStrides[0] == 16);
        int n = (int)plan.InnerCount;
        double* re = stackalloc double[n * Group], im = stackalloc double[n * Group];
        double* f1 = stackalloc double[Group], f2 = stackalloc double[Group];
        double* sh = stackalloc double[Group], sl = stackalloc double[Group], rh = stackalloc double[Group], rl = stackalloc double[Group];
        int* se = stackalloc int[Group], rk = stackalloc int[Group], eb = stackalloc int[Group];
        nint* dst = stackalloc nint[Group], src = stackalloc nint[Group];
        double* tab = stackalloc double[TablePowSum.TableLength];
        var powers = new Powers(p, TakesGeneral(t, p) && p != 2.5 ? tab : null);
        double* wide = stackalloc double[2 * MaxLine + 8];
        // complex128 over one axis is read in place; anything else is widened by DoubleBlocks, as the lone line is
        bool direct = t == DType.Complex128 && plan.InnerShape.Length == 1;
        long stride = plan.InnerStrides[0];
        var ev = FpEvents.None;
        var it = new OuterIterator(plan.OuterShape.Length > 1 ? plan.OuterByStride() : plan, x, o, first, count); // smallest input stride innermost
        int g = 0;
        bool more = true;
        while (more)
        {
            more = it.Next(out byte* xp, out byte* op);
            if (more)
            {
                double m;
                if (direct)
                {
                    // straight into lane order, the largest magnitude by maxpd (exact; a NaN or ∞ flagged apart)
                    var mag = Vector128.Create(0x7FFF_FFFF_FFFF_FFFFUL).AsDouble();
                    var top = Vector128.Create(double.MaxValue);
                    Vector128<double> acc = default, bad = default;
                    byte* row = xp + plan.InnerBaseOffset;
                    for (int k = 0; k < n; k++)
                    {
                        var e = Vector128.Load((double*)(row + k * stride));
                        re[k * Group + g] = e.ToScalar(); im[k * Group + g] = e.GetElement(1);
                        var a = e & mag;
                        acc = Sse2.Max(acc, a);
                        bad |= Sse2.CompareNotLessThanOrEqual(a, top);
                    }
                    // no NaN in acc where nothing is flagged: maxsd without Math.Max's NaN fix-up
                    m = Vector128.EqualsAll(bad.AsUInt64(), Vector128<ulong>.Zero)
                        ? Vector128.MaxNative(acc, Vector128.Shuffle(acc, Vector128.Create(1L, 0))).ToScalar() : double.NaN;
                }
                else
                {
                    fixed (double* v = new DoubleBlocks(plan, xp, t, wide).Next())
                    {
                        for (int k = 0; k < n; k++) { re[k * Group + g] = v[2 * k]; im[k * Group + g] = v[2 * k + 1]; }
                        m = MaxAbs(v, 2 * n);
                    }
                }
                if (!LineScale(re + g, im + g, Group, n, m, p, out eb[g], out f1[g], out f2[g]))
                {
                    ev |= GeneralNorm.Reduce(plan, xp, t, p, ot, op); // NaN, ∞, only zeros (p < 0: a zero): numpy's rules
                    continue; // its lane is taken by the next line
                }
                dst[g] = (nint)op;
                src[g] = (nint)xp;
                if (++g < Group) continue;
            }
            if (g == 0) break;
            for (int i = g; i < Group; i++) // idle lanes: any valid line (the value 1)
            {
                f1[i] = f2[i] = 1;
                for (int k = 0; k < n; k++) { re[k * Group + i] = 1; im[k * Group + i] = 0; }
            }
            if (RealKernels.Wide) Sums<Lanes512>(re, im, n, p, powers, f1, f2, sh, sl);
            else Sums<Lanes256>(re, im, n, p, powers, f1, f2, sh, sl);
            for (int i = 0; i < Group; i++) se[i] = 0;
            for (int i = g; i < Group; i++) eb[i] = 0;
            LanePow.Roots(sh, sl, se, p, eb, rh, rl, rk); // scales 2^eb: Roots may prove the cheap root's rounding
            for (int i = 0; i < g; i++)
            {
                // GeneralNorm.Root's last step, as TryLine takes it, then the store. rh + rl is a normalised
                // double-double (DD.Exp's) near 1 and both steps only scale it by powers of two: a float64 result
                // that is normal is fl(rh + rl)·2^(rk + eb), the one rounding of the same value (LanePow.TryStoreNormal);
                // others, and complex64's float32 results, by LanePow.StoreComplex (midpoints decided from the line)
                if (ot != DType.Float64 || !LanePow.TryStoreNormal(rh[i], rl[i], (long)rk[i] + eb[i], (byte*)dst[i]))
                    ev |= LanePow.StoreComplex(Ext.Mul(Ext.Normalize(rh[i], rl[i], rk[i]), new Ext(1, 0, eb[i])), plan, (byte*)src[i], t, p, ot, (byte*)dst[i]);
            }
            g = 0;
        }
        return ev;
    }

    /// <summary><see cref="Lines"/> for complex128 lines of contiguous values (stride 16) on 512-bit lanes: the lines'
    /// addresses straight from a single kept axis, eight lines at a time moved into lane order by one 8 × 8 transpose per
    /// four values (<see cref="Complex128Rows.ContiguousParts(byte**, int, double*, double*, int)"/>), their largest
    /// |component| (and for p &lt; 0 smallest max(|re|, |im|)) and NaN/∞ flags lane-wise, then each line's
    /// <see cref="Scale"/> from those — the values and scales <see cref="Lines"/> gives every lane, so the same sums,
    /// roots and bits. Before, reading a row of 4 element by element into lane order with its maximum, and the
    /// general iterator, were ~40 % of such a row's time.
    ///
    /// Without <paramref name="rows"/>, eight lines whose first values are adjacent complex128 values (16 bytes apart,
    /// <see cref="EvenWords.Uniform"/>: the columns of a C-order matrix or of a 3-D array's first axis, any reduced
    /// stride, also within a kept axis of several — (60, 80, 100) Fortran axis 2 read value by value through
    /// <see cref="Lines"/> took twice the time of (4800, 100) read this way): value k of eight adjacent
    /// lines is two contiguous 512-bit loads, split into real and imaginary parts by two permutes straight into lane
    /// order — the values <see cref="Lines"/> puts there one by one, so the same sums, roots and bits. Before,
    /// complex128 (4,3000) axis=0 read its values element by element through the general iterator: ord 4 cost
    /// 92 µs against 67 µs for rows (3000,4), and 2.3–3.3× NumPy's time at every general or whole order.
    ///
    /// The lanes' bookkeeping is bit masks (live lanes, decided stores); the few undecided lanes (~1 in 1000, near a
    /// midpoint, or out of the normal range) take <see cref="GeneralNorm.Root"/> one by one, as <see cref="TryLine"/>
    /// does — the double-double root's bits, which <see cref="LanePow.Roots"/>' lanes gave for the whole group of 32.
    /// Measured (thread CPU time, one thread, complex128 (4,3000) axis 0): the per-lane loops and that group root
    /// were ~10–15 % of the orders' time (ord 4 61 → 51 µs, 1.7 86 → 75 µs).</summary>
    private static FpEvents LinesContiguous(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot, long first, long count, bool rows)
    {
        int n = (int)plan.InnerCount;
        double* re = stackalloc double[n * Group], im = stackalloc double[n * Group];
        double* f1 = stackalloc double[Group], f2 = stackalloc double[Group], mx = stackalloc double[Group], mn = stackalloc double[Group];
        double* sh = stackalloc double[Group], sl = stackalloc double[Group];
        int* eb = stackalloc int[Group];
        byte** xs = stackalloc byte*[Group];
        byte** dst = stackalloc byte*[Group];
        double* tab = stackalloc double[TablePowSum.TableLength];
        var powers = new Powers(p, TakesGeneral(t, p) && p != 2.5 ? tab : null);
        var ev = FpEvents.None;
        bool flat = plan.OuterShape.Length == 1;
        // several kept axes: walked smallest input stride innermost, so that neighbouring lines of a group are
        // adjacent wherever some kept axis has stride 16 (results do not depend on the walk: each line is its own)
        var it = new OuterIterator(flat ? plan : plan.OuterByStride(), x, o, first, count);
        long inStep = plan.OuterInStrides[0], outStep = plan.OuterOutStrides[0];
        var mag = Vector512.Create(0x7FFF_FFFF_FFFF_FFFFUL).AsDouble();
        var top = Vector512.Create(double.MaxValue);
        double ih = ComplexLaneRoot.InvHi(p), il = ComplexLaneRoot.InvLo(p);
        var rel = new Lanes512(Vector512.Create(4 * DDLanes.RootLiteBound(p)));
        for (long k0 = 0; k0 < count; k0 += Group)
        {
            int g = (int)Math.Min(Group, count - k0);
            if (flat)
            {
                byte* x0 = x + (first + k0) * inStep + plan.InnerBaseOffset, d0 = o + (first + k0) * outStep;
                for (int r = 0; r < g; r++) { xs[r] = x0 + r * inStep; dst[r] = d0 + r * outStep; }
            }
            else
                for (int r = 0; r < g; r++)
                {
                    it.Next(out byte* xp, out dst[r]);
                    xs[r] = xp + plan.InnerBaseOffset;
                }
            int blocks = (g + 7) >> 3;
            for (int b = 0; b < blocks; b++)
            {
                int r0 = 8 * b;
                for (int r = g; r < r0 + 8; r++) xs[r] = xs[r0]; // idle lanes repeat a line (made the value 1 below)
                if (rows) Complex128Rows.ContiguousParts(xs + r0, n, re + r0, im + r0, Group);
                else if (r0 + 8 <= g && EvenWords.Uniform(xs + r0, 8, out long apart) && apart == 16)
                    ColumnParts(xs[r0], plan.InnerStrides[0], n, re + r0, im + r0);
                else
                    for (int r = r0; r < r0 + 8; r++)
                        for (int k = 0; k < n; k++)
                        {
                            double* v = (double*)(xs[r] + k * plan.InnerStrides[0]);
                            re[k * Group + r] = v[0]; im[k * Group + r] = v[1];
                        }
                Vector512<double> hi = Vector512<double>.Zero, lo = Vector512.Create(double.MaxValue), bad = Vector512<double>.Zero;
                for (int k = 0; k < n; k++)
                {
                    Vector512<double> a = Vector512.Load(re + k * Group + r0) & mag, c = Vector512.Load(im + k * Group + r0) & mag;
                    var big = Avx512F.Max(a, c); // NaN: flagged below, its lane's maximum not used
                    hi = Avx512F.Max(hi, big);
                    lo = Avx512F.Min(lo, big);
                    bad |= Avx512F.CompareNotLessThanOrEqual(a, top) | Avx512F.CompareNotLessThanOrEqual(c, top);
                }
                hi = Avx512F.BlendVariable(hi, Vector512.Create(double.NaN), bad); // Scale refuses NaN
                hi.Store(mx + r0); lo.Store(mn + r0);
            }
            // live lanes (bit r): a line with a scale, whose sum and root the lanes compute
            uint live = 0;
            for (int b = 0; b < Group / 8; b++)
            {
                // Scale's exponent and factors lane-wise where the scaling value is a normal double (bits: exact);
                // other lanes (idle, NaN/∞/zeros, a zero under p < 0, a subnormal scaling value) are settled one by one
                int r0 = 8 * b;
                var m = Vector512.Load(mx + r0);
                var sv = p > 0 ? m : Vector512.Load(mn + r0);
                var ok = Avx512F.CompareGreaterThanOrEqual(sv, Vector512.Create(VecLogExp.MinNormal))
                         & Avx512F.CompareLessThanOrEqual(m, top)
                         & Avx512F.CompareLessThan(Vector512.Create(0.0, 1, 2, 3, 4, 5, 6, 7), Vector512.Create((double)(g - r0)));
                var e = Vector512.ShiftRightLogical(sv.AsInt64(), 52) - Vector512.Create(1022L); // ilogb + 1
                var a = -Vector512.ShiftRightArithmetic(e + Vector512.ShiftRightLogical(e, 63), 1); // −eb / 2, truncated as C#'s
                Vector512.ShiftLeft(a + Vector512.Create(1023L), 52).AsDouble().Store(f1 + r0);
                Vector512.ShiftLeft(Vector512.Create(1023L) - e - a, 52).AsDouble().Store(f2 + r0);
                Avx512F.ConvertToVector256Int32(e).Store(eb + r0);
                uint okBits = (uint)ok.ExtractMostSignificantBits();
                live |= okBits << r0;
                for (uint rest = ~okBits & 0xFF; rest != 0; rest &= rest - 1)
                {
                    int r = r0 + System.Numerics.BitOperations.TrailingZeroCount(rest);
                    if (r < g && Scale(mx[r], out eb[r], out f1[r], out f2[r]) && (p > 0 || (mn[r] > 0 && Scale(mn[r], out eb[r], out f1[r], out f2[r]))))
                    {
                        live |= 1u << r;
                        continue;
                    }
                    if (r < g) ev |= GeneralNorm.Reduce(plan, xs[r] - plan.InnerBaseOffset, t, p, ot, dst[r]); // NaN, ∞, only zeros (p < 0: a zero): numpy's rules
                    f1[r] = f2[r] = 1; eb[r] = 0; // the lane computes the value 1
                    for (int k = 0; k < n; k++) { re[k * Group + r] = 1; im[k * Group + r] = 0; }
                }
            }
            if (p > RefineAbove) RefineLanes(re, im, n, live, eb, f1, f2); // LineScale's refinement, live lines only
            Sums<Lanes512>(re, im, n, p, powers, f1, f2, sh, sl);
            bool packed = flat && outStep == 8 && ot == DType.Float64;
            uint slow = 0; // live lanes (bit r) left to the double-double root
            for (int r0 = 0; r0 < g; r0 += 8)
            {
                uint lv = (live >> r0) & 0xFF, done = 0;
                if (ot == DType.Float64)
                {
                    // ComplexLaneRoot's cheap root and LanePow.Roots' proof, fused with LanePow.TryStoreNormal's
                    // store lane-wise: decided lanes store fl(h + l)·2^(k + eb), the double-double root's bits
                    Lanes512 h, l, k;
                    if (p == 4) { h = FourthRoot(new Lanes512(Vector512.Load(sh + r0)), new Lanes512(Vector512.Load(sl + r0)), out l); k = Lanes512.Zero; }
                    else h = ComplexLaneRoot.Root(new Lanes512(Vector512.Load(sh + r0)), new Lanes512(Vector512.Load(sl + r0)), p, ih, il, out l, out k);
                    var ek = k.V + Avx512F.ConvertToVector512Double(Vector256.Load(eb + r0));
                    var ok = DDLanes.Decided(h, l, p == 4 ? Lanes512.Create(FourthTie) : rel).V & Vector512.LessThan(Vector512.Abs(ek), Vector512.Create(ProofRange));
                    var e = Avx512DQ.ConvertToVector512Int64(ek);
                    var v = (h.V + l.V) * Vector512.ShiftLeft(e + Vector512.Create(1023L), 52).AsDouble();
                    var fine = ok & Avx512F.CompareGreaterThan(v, Vector512.Create(VecLogExp.MinNormal)) & Avx512F.CompareLessThanOrEqual(v, top);
                    done = (uint)fine.ExtractMostSignificantBits() & lv;
                    if (packed && done == 0xFF) { v.Store((double*)dst[r0]); continue; }
                    for (uint d = done; d != 0; d &= d - 1)
                    {
                        int i = System.Numerics.BitOperations.TrailingZeroCount(d);
                        *(double*)dst[r0 + i] = v.GetElement(i);
                    }
                }
                slow |= (lv & ~done) << r0;
            }
            // the rest (~1 lane in 1000 near a midpoint, results out of the normal range): each its line's own root,
            // GeneralNorm.Root as TryLine takes it (the double-double root LanePow.Roots' lanes would give, bit for bit)
            for (; slow != 0; slow &= slow - 1)
            {
                int i = System.Numerics.BitOperations.TrailingZeroCount(slow);
                ev |= ResultWriter.Store(ot, dst[i], GeneralNorm.Root(sh[i], sl[i], 0, p, new Ext(1, 0, eb[i])));
            }
        }
        return ev;
    }

    /// <summary>2⁻⁸⁰: <see cref="FourthRoot"/>'s distance to a rounding midpoint (relative) beyond which it decides.</summary>
    private const double FourthTie = 1.0 / (1L << 40) / (1L << 40);

    /// <summary>S^(1/4) of p = 4's scaled sum S = h + l (S ∈ [1/16, 256]: the largest term ≥ 2⁻⁴, each ≤ 4, ≤ 64 of them)
    /// by two double-double square roots, no ln and exp: y = fl(√h), c = (fma(−y, y, h) + l)/(2y) (the residual exact;
    /// two roundings of a correction ≤ 2⁻⁵²·y and the dropped δ²/8: ≲ 2⁻¹⁰³ relative), renormalised; twice, the second
    /// halving the first's error: within ε₁ ≲ 2⁻¹⁰² of S^(1/4). The double-double root of the lone line
    /// (<see cref="GeneralNorm.Root"/>: DD.Log within 2⁻¹⁰⁰·max(1, |ln S|) ≤ 2⁻⁹⁷·⁵ absolute here, divided by 4, DD.Div's
    /// 2⁻¹⁰³ and DD.Exp's 2⁻¹⁰⁴ relative) lies within ε₂ ≲ 2⁻⁹⁹ of it; a lane farther than <see cref="FourthTie"/>
    /// (≫ ε₁ + ε₂) from every float64 midpoint rounds like that root — the bits the lane stores; the others take
    /// GeneralNorm.Root alone. Measured: ComplexLaneRoot's ln and exp were a quarter of p = 4's time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Lanes512 FourthRoot(Lanes512 h, Lanes512 l, out Lanes512 lo)
    {
        h = SqrtPair(h, l, out l);
        return SqrtPair(h, l, out lo);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Lanes512 SqrtPair(Lanes512 h, Lanes512 l, out Lanes512 lo)
    {
        var y = Lanes512.Sqrt(h);
        var c = (Lanes512.Fma(-y, y, h) + l) / (y + y);
        return DDLanes.FastTwoSum(y, c, out lo);
    }

    /// <summary>The parts of eight adjacent complex128 values per step: value k of lines 0…7 (at
    /// <paramref name="x"/> + k·<paramref name="stride"/>, line r 16·r bytes on) to re[k·Group + r] and
    /// im[k·Group + r].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ColumnParts(byte* x, long stride, int n, double* re, double* im)
    {
        var ev = Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14); var od = Vector512.Create(1L, 3, 5, 7, 9, 11, 13, 15);
        for (int k = 0; k < n; k++)
        {
            double* v = (double*)(x + k * stride);
            Vector512<double> a = Vector512.Load(v), b = Vector512.Load(v + 8);
            Avx512F.PermuteVar8x64x2(a, ev, b).Store(re + k * Group);
            Avx512F.PermuteVar8x64x2(a, od, b).Store(im + k * Group);
        }
    }

    /// <summary>Scaled results 2^(k + eb) with |k + eb| below this are normal doubles with room to spare.</summary>
    private const double ProofRange = 1000;

    private static void Sums<L>(double* re, double* im, int n, double p, in Powers g, double* f1, double* f2, double* sh, double* sl) where L : struct, ILanes<L>
    {
        for (int j = 0; j < Group; j += L.Count)
        {
            L h = Sum(re + j, im + j, Group, n, p, g, L.Load(f1 + j), L.Load(f2 + j), out L l);
            h.Store(sh + j); l.Store(sl + j);
        }
    }
}
