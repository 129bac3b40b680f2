using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace NormManaged.Kernels;

/// <summary>Σ (|x|·2⁻ᵉᵇ)^p over a block of doubles (or of interleaved complex values, as (|z|²)^(p/2)) for the
/// float64/complex128 general-order norm, with a cheaper term than <see cref="VecLogExp"/>'s double-double ln/exp and
/// the error bound the norm needs. One body for every vector width (<see cref="ILanes{TSelf}"/>).
///
/// <para>Per element, a = 2ᵉ·m (m ∈ [1, 2), e relative to the block exponent eb; complex: a = |z|² as a double plus a
/// low part, exactly as <see cref="VecLogExp"/> forms it), j = m's top four fraction bits, u = m·c_j − 1 (one rounding,
/// |u| ≤ 0.0304; c_j ≈ 1/(1 + (j + ½)/16) are <see cref="VecLogExp"/>'s reduction factors) and
/// z = p'·ln a = e·P₁ + Q_j + p'·ln(1 + u), with P₁ = p'·ln 2 and Q_j = p'·ln(1/c_j) built per block as pairs whose
/// high parts lie on the grid G = 2^(⌊log₂|p'·ln 2|⌋ − 39) (≥ 2⁻⁴³). On that grid the large part
/// Z = e·P₁ₕ + Q_jₕ is exact (|e| &lt; 2¹³, P₁ₕ/G ≤ 2⁴⁰), and so is Z − n·ln2/16ₕ (ln2/16 rounded to 38 bits, a multiple
/// of 2⁻⁴²; |n| &lt; 2¹⁵ for every term that is kept): all rounding happens in the small parts. Then
/// e^z·2⁻ᴷ = 2^(N − K)·2^(i/16)·e^r with n = 16N + i = round(16z/ln 2), r = z − n·ln2/16 (|r| ≤ 0.0217), 2^(i/16) a
/// double-double from the table, e^r − 1 = q by Taylor to r⁷/7!, and the integer K (per block) putting the largest term
/// near [1, 2). The term is h = 2^(i/16)ₕ(1 + q) rounded plus its low part (≲ 2⁻⁵³ of it), times 2^(N−K), added with
/// Fast2Sum into accumulators that start at C₀ ≥ every term (so |s| ≥ |term| holds), the errors and low parts summed
/// plainly (≲ 2⁻⁵² of the term each, so their sum's roundings stay ≲ n·2⁻¹⁰⁵ of the sum), and C₀ is taken off exactly
/// at the end.</para>
///
/// <para>Error of a term, relative: ln(1 + u) to u¹⁰ (truncation ≤ 2⁻⁵⁹·¹) and u's rounding (≤ 2⁻⁵⁸) are absolute errors
/// of ln a, i.e. |p|·2⁻⁵⁷·⁵ relative in the term; the small part's roundings (≤ 2⁻⁵³·|p'|·0.031 ≈ |p|·2⁻⁵⁸) likewise;
/// r's rounding (≤ 2⁻⁵⁸·⁵), e^r − 1 (truncation ≤ 2⁻⁵⁹·³, rounding ≤ 2⁻⁵⁸·⁵), the product 2^(i/16)ₕ·q's rounding and
/// the dropped 2^(i/16)ₗ·q (≤ 2⁻⁵⁸·⁵ each) are ≲ 2⁻⁵⁶·⁵. The norm S^(1/p) divides a term error by |p|, so the
/// float64 result is within ~2⁻⁵⁶·⁵ + 2⁻⁵⁶·⁵/|p| of the norm before its one rounding: ≤ 0.5 + 2⁻³·⁵ ulp for
/// |p| ≥ <see cref="MinAbsP"/>. Terms below 2⁻¹⁰²² of the largest (after K) are flushed to 0 (the clamp on z keeps
/// everything finite): the sum loses less than n·2⁻¹⁰²² of a value ≥ 1. Real subnormals are scaled by 2⁵⁴ first
/// (masked blocks only), complex ones are scaled by the loader.</para>
///
/// <para>Bits: element i of a group of 16 feeds logical lane i mod 16, which sees the same IEEE operations at every
/// width; the lanes fold in order; the tail group is padded with zeros that the mask drops. So the result depends on
/// the block's contents only.</para></summary>
internal static unsafe class TablePowSum
{
    /// <summary>Smallest |p| taken: below, the exp part's ~2⁻⁵⁶·⁵ divided by |p| would pass 2⁻⁵⁵.</summary>
    public const double MinAbsP = 0.25;
    /// <summary>Largest |p| taken for complex input: the largest term, whose place K is set from the larger part of the
    /// reference element, can be 2^(|p|/2) off that place; the accumulators' start C₀ must stay within 2¹⁸ of the sum.</summary>
    public const double MaxAbsComplexP = 32;

    private const double Ln2Tail = 2.3190468138462996e-17; // ln 2 − VecLogExp.Ln2
    private const int Group = VecLogExp.Group;
    internal const int TabC = 0, TabQh = 16, TabQl = 32;

    /// <summary>True when this kernel computes the terms of order <paramref name="p"/>.</summary>
    public static bool Applies(bool complex, double p)
    {
        double a = Math.Abs(p);
        return a >= MinAbsP && a <= Engine.GeneralPowFast.MaxAbsP && (!complex || a <= MaxAbsComplexP);
    }

    /// <summary>The constants of the term bodies that may differ from lane to lane: the table parts of Z and of its
    /// small rest for reduction index j (the block's, or a line's own with its exponent added), the exponent bias
    /// −Magic/16 − K and the clamp ZMin. <see cref="Consts"/> broadcasts one block's; <see cref="Engine.LaneSums"/>
    /// holds one line per lane.</summary>
    internal interface ILaneConsts<L> where L : struct, ILanes<L>
    {
        double Pp { get; }
        double P1h { get; }
        double P1l { get; }
        L Qh(double* tab, L j);
        L Ql(double* tab, L j);
        L NkBias { get; }
        L ZMin { get; }
    }

    /// <summary>Per-block constants of the lane bodies.</summary>
    private readonly struct Consts
    {
        public readonly double Pp, P1h, P1l, NkBias, ZMin, Scale;

        public Consts(double pp, double p1h, double p1l, double nkBias, double zMin, double scale)
        {
            Pp = pp; P1h = p1h; P1l = p1l; NkBias = nkBias; ZMin = zMin; Scale = scale;
        }
    }

    /// <summary>One block's <see cref="Consts"/> in every lane (its exponent is in the table).</summary>
    private readonly struct BlockConsts<L> : ILaneConsts<L> where L : struct, ILanes<L>
    {
        private readonly Consts _c;
        public BlockConsts(in Consts c) { _c = c; }
        public double Pp => _c.Pp;
        public double P1h => _c.P1h;
        public double P1l => _c.P1l;
        public L Qh(double* tab, L j) => L.Lookup16(tab + TabQh, j);
        public L Ql(double* tab, L j) => L.Lookup16(tab + TabQl, j);
        public L NkBias => L.Create(_c.NkBias);
        public L ZMin => L.Create(_c.ZMin);
    }

    /// <summary>Σ (|x|·2^−<paramref name="eb"/>)^<paramref name="p"/> over the block as hi + lo (complex: |z| of
    /// interleaved pairs). Elements must be finite, or masked (<paramref name="masked"/>: zeros, infinities and real
    /// subnormals are then handled: zeros and infinities contribute 0); NaN must not occur. <paramref name="refPart"/> is
    /// the block's reference magnitude (real |x|, complex max(|re|, |im|)): the largest for p &gt; 0 with
    /// 2^(eb−1) ≤ it &lt; 2^eb, the smallest for p &lt; 0 with 2^eb ≤ it &lt; 2^(eb+1).
    /// <paramref name="binades"/> = ILogB(max) − ILogB(min) of those magnitudes lets an unmasked complex block within
    /// <see cref="UniformBinades"/> skip the per-element scaling.</summary>
    public static void Sum(ReadOnlySpan<double> b, bool complex, double p, int eb, double refPart, bool masked, int binades, out double hi, out double lo)
    {
        bool uniform = complex && !masked && binades < UniformBinades;
        double pp = complex ? 0.5 * p : p;
        // K: the reference element's term is 2^(p·log₂ρ − K) ∈ [1, 2) up to the log's rounding (any integer is exact)
        int k = Place(p, refPart, eb);
        double c0 = complex && p > 0 ? Math.ScaleB(1.0, (int)Math.Ceiling(0.5 * p) + 2) : RealStart;
        double* tab = stackalloc double[TableLength];
        MakeTable(pp, eb, complex, tab, out double p1h, out double p1l);
        var cs = new Consts(pp, p1h, p1l, NkBias(new Lane1(k)).V, ZMin(new Lane1(k)).V, uniform ? Math.ScaleB(1.0, -eb) : 0); // Scale: uniform complex blocks only
        fixed (double* x = &MemoryMarshal.GetReference(b))
        {
            int n = complex ? b.Length / 2 : b.Length;
            if (RealKernels.Wide) Sum<Lanes512>(x, n, complex, eb, masked, uniform, tab, cs, c0, out hi, out lo);
            else Sum<Lanes256>(x, n, complex, eb, masked, uniform, tab, cs, c0, out hi, out lo);
        }
        hi = DD.FastTwoSum(hi, lo, out lo);
        hi = ScaleB(hi, k);
        lo = ScaleB(lo, k);
    }

    /// <summary>Doubles of a table (<see cref="MakeTable"/>).</summary>
    internal const int TableLength = 48;

    /// <summary>The real accumulators' start C₀ (every real term is below 2 after K).</summary>
    internal const double RealStart = 4.0;

    /// <summary>K: the reference element's term is 2^(p·log₂ρ − K) ∈ [1, 2) up to the log's error (any integer is
    /// exact), ρ = refPart·2⁻ᵉᵇ ∈ [½, 2) (see <see cref="PlaceOf{L}"/>).</summary>
    internal static int Place(double p, double refPart, int eb) => (int)PlaceOf(new Lane1(p), new Lane1(ScaleB(refPart, -eb))).V;

    /// <summary>K = ⌊p·log₂ρ⌋ of a normal ρ ∈ [½, 2), lane by lane, with log₂ρ taken as <see cref="VecLogExp.LnLite{L}"/>(ρ)/ln 2
    /// (absolute error ≲ 2⁻⁴⁷ on this range): the reference term 2^(p·log₂ρ − K) then lies in [1, 2) up to a factor
    /// 2^(±|p|·2⁻⁴⁶) ≤ 1 ± 2⁻³⁵ (|p| ≤ 1000), far inside C₀ = 4, and K ∈ [−1001, 0]. One generic body: the scalar
    /// <see cref="Place"/> of a block (<see cref="Lane1"/>) and the lanes of <see cref="Engine.LaneSums"/> (a line per
    /// lane) make the same IEEE operations, so a line's K is its block's bit for bit (the libm log2 this replaces
    /// could not be vectorised so).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static L PlaceOf<L>(L p, L rho) where L : struct, ILanes<L>
    {
        var z = p * (VecLogExp.LnLite(rho, L.Zero) * L.Create(1 / VecLogExp.Ln2));
        var t = (z + L.Create(RoundInt)) - L.Create(RoundInt); // z rounded to an integer (|z| ≤ 1001: exact)
        return t - (L.GreaterThan(t, z) & L.Create(1.0));
    }

    /// <summary><see cref="Math.ScaleB"/>(x, n), the same value: where 2ⁿ is normal, ScaleB is the one multiplication
    /// x·2ⁿ made here without its call (a block's K, eb and grid exponents almost always are).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double ScaleB(double x, int n)
        => n >= -1022 && n <= 1023 ? x * BitConverter.Int64BitsToDouble((long)(n + 1023) << 52) : Math.ScaleB(x, n);

    /// <summary>1.5·2⁵²: (v + it) − it is v rounded to the nearest integer for |v| &lt; 2⁵¹.</summary>
    private const double RoundInt = 6755399441055744.0;

    /// <summary>The exponent bias −Magic/16 − K of the terms' scale 2^(N − K).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static L NkBias<L>(L k) where L : struct, ILanes<L> => L.Create(-VecLogExp.Magic / 16) - k;

    /// <summary>The clamp on z of masked bodies: 2^(−1060) below the place K.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static L ZMin<L>(L k) where L : struct, ILanes<L> => (k - L.Create(1060.0)) * L.Create(VecLogExp.Ln2);

    /// <summary>The table of order <paramref name="pp"/> (c_j, and Q_j split on the grid G, each with −eb·P₁ added for
    /// real elements) and P₁ = pp·ln 2 split on G.</summary>
    internal static void MakeTable(double pp, int eb, bool complex, double* tab, out double p1h, out double p1l)
    {
        double g = ScaleB(1.0, Math.Max(Math.ILogB(Math.Abs(pp) * VecLogExp.Ln2) - 39, -43));
        double round = 1.5 * VecLogExp.TwoP52 * g; // (v + round) − round is v rounded to a multiple of g (|v| < 2⁵¹g)
        double* t = VecLogExp.Tables;
        double ph = pp * VecLogExp.Ln2;
        double pl = Math.FusedMultiplyAdd(pp, VecLogExp.Ln2, -ph) + pp * Ln2Tail;
        p1h = (ph + round) - round; p1l = (ph - p1h) + pl;
        // real elements give their own exponent: the block's −eb·P₁ goes into the table (exact on the grid: |eb| < 2¹¹)
        double ebh = complex ? 0 : -eb * p1h, ebl = complex ? 0 : -eb * p1l;
        for (int j = 0; j < 16; j++)
        {
            tab[TabC + j] = t[VecLogExp.LnC + j];
            double qh = pp * t[VecLogExp.LnTHi + j];
            double ql = Math.FusedMultiplyAdd(pp, t[VecLogExp.LnTHi + j], -qh) + pp * t[VecLogExp.LnTLo + j];
            double gh = (qh + round) - round;
            tab[TabQh + j] = gh + ebh;
            tab[TabQl + j] = ((qh - gh) + ql) + ebl; // qh − gh exact: a multiple of ulp(qh) below g/2
        }
    }

    private static void Sum<L>(double* x, int n, bool complex, int eb, bool masked, bool uniform, double* tab, in Consts cs, double c0, out double hi, out double lo)
        where L : struct, ILanes<L>
    {
        int w = complex ? 2 : 1;
        double* acc = stackalloc double[2 * Group + 8 * 8]; // the lanes' sums (from C₀) and low parts, then scratch
        new Span<double>(acc, Group).Fill(c0);
        new Span<double>(acc + Group, Group).Clear();
        double koff = -2.0 * eb;
        int i = 0;
        if (masked)
            for (; i + Group <= n; i += Group) GroupStep<L, Masked>(x + i * w, complex, koff, tab, cs, acc);
        else if (complex && uniform)
            for (; i + Group <= n; i += Group) GroupStep<L, UnmaskedUniform>(x + i * w, complex, koff, tab, cs, acc);
        else
            for (; i + Group <= n; i += Group) GroupStep<L, Unmasked>(x + i * w, complex, koff, tab, cs, acc);
        if (i < n)
        {
            double* pad = stackalloc double[2 * Group];
            new Span<double>(pad, 2 * Group).Clear();
            new ReadOnlySpan<double>(x + i * w, (n - i) * w).CopyTo(new Span<double>(pad, 2 * Group));
            GroupStep<L, Masked>(pad, complex, koff, tab, cs, acc); // the zeros of the padding are masked out
        }
        hi = 0; lo = 0;
        for (int j = 0; j < Group; j++)
        {
            double v = acc[j] - c0; // exact: acc[j] ≥ C₀ and both are multiples of ulp(acc[j])
            double s = hi + v, bb = s - hi;
            lo += ((hi - (s - bb)) + (v - bb)) + acc[Group + j];
            hi = s;
        }
    }

    /// <summary>Whether zeros, infinities, real subnormals and terms below 2⁻¹⁰²² are masked (else every element is a
    /// finite normal nonzero, or a complex value with such a larger part, and every term lies within 2⁻¹⁰⁰⁰ of the
    /// largest: see <see cref="InRange"/>).</summary>
    private interface IMasking
    {
        static abstract bool On { get; }
        /// <summary>Complex unmasked blocks within <see cref="UniformBinades"/>: every element scaled by the block's
        /// 2⁻ᵉᵇ (no per-element exponent).</summary>
        static abstract bool Uniform { get; }
    }
    private readonly struct Masked : IMasking { public static bool On => true; public static bool Uniform => false; }
    private readonly struct Unmasked : IMasking { public static bool On => false; public static bool Uniform => false; }
    private readonly struct UnmaskedUniform : IMasking { public static bool On => false; public static bool Uniform => true; }

    /// <summary>A complex block whose larger parts span fewer binades than this is scaled as a whole by 2⁻ᵉᵇ: the
    /// squares of the larger parts then lie in [2⁻⁹⁰², 2⁹⁰⁴], and a smaller part's square that underflows is below
    /// 2⁻¹²⁰ of its element's.</summary>
    private const int UniformBinades = 450;

    /// <summary>True when a block whose finite nonzero magnitudes (real |x|, complex max(|re|, |im|)) lie in
    /// [<paramref name="min"/>, <paramref name="max"/>], all normal, has every term within 2⁻¹⁰⁰⁰ of the largest
    /// (complex: |z| may exceed the larger part by √2), so no term needs the flush to 0.</summary>
    public static bool InRange(bool complex, double p, double min, double max)
        => min >= VecLogExp.MinNormal && Math.Abs(p) * (Math.ILogB(max) - Math.ILogB(min) + (complex ? 3 : 2)) <= 1000;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GroupStep<L, TM>(double* x, bool complex, double koff, double* tab, in Consts cs, double* acc)
        where L : struct, ILanes<L> where TM : struct, IMasking
    {
        // two vectors per call, their phases interleaved (two independent dependency chains); each lane still sees
        // its own elements and operations
        int c = L.Count;
        double* tmp = acc + 2 * Group;
        for (int q = 0; q < Group / c; q += 2)
        {
            if (complex && TM.Uniform) LogComplexUniform2<L>(x + 2 * q * c, tab, cs, tmp);
            else if (complex) LogComplex2<L, TM>(x + 2 * q * c, koff, tab, cs, tmp);
            else LogReal2<L, TM>(x + q * c, tab, cs, tmp);
            ExpAdd2<L, TM>(tmp, cs, acc + q * c, acc + Group + q * c);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LogReal2<L, TM>(double* x, double* tab, in Consts cs, double* tmp)
        where L : struct, ILanes<L> where TM : struct, IMasking
    {
        var bc = new BlockConsts<L>(cs);
        LogReal<L, TM, BlockConsts<L>>(L.Load(x), tab, bc, tmp, tmp + L.Count, tmp + 2 * L.Count);
        LogReal<L, TM, BlockConsts<L>>(L.Load(x + L.Count), tab, bc, tmp + 3 * L.Count, tmp + 4 * L.Count, tmp + 5 * L.Count);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LogComplex2<L, TM>(double* x, double koff, double* tab, in Consts cs, double* tmp)
        where L : struct, ILanes<L> where TM : struct, IMasking
    {
        int c = L.Count;
        VecLogExp.LoadComplex<L>(x, koff, out var a0, out var al0, out var k0, out var v0);
        VecLogExp.LoadComplex<L>(x + 2 * c, koff, out var a1, out var al1, out var k1, out var v1);
        var e0 = Exponent(a0); var e1 = Exponent(a1);
        var bc = new BlockConsts<L>(cs);
        LogParts<L, BlockConsts<L>>(a0, al0, e0, e0 + k0, true, tab, bc, tmp, tmp + c);
        LogParts<L, BlockConsts<L>>(a1, al1, e1, e1 + k1, true, tab, bc, tmp + 3 * c, tmp + 4 * c);
        if (TM.On) { v0.Store(tmp + 2 * c); v1.Store(tmp + 5 * c); }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LogComplexUniform2<L>(double* x, double* tab, in Consts cs, double* tmp) where L : struct, ILanes<L>
    {
        int c = L.Count;
        LoadUniform<L>(x, cs.Scale, out var a0, out var al0);
        LoadUniform<L>(x + 2 * c, cs.Scale, out var a1, out var al1);
        var e0 = Exponent(a0); var e1 = Exponent(a1);
        var bc = new BlockConsts<L>(cs);
        LogParts<L, BlockConsts<L>>(a0, al0, e0, e0, true, tab, bc, tmp, tmp + c);
        LogParts<L, BlockConsts<L>>(a1, al1, e1, e1, true, tab, bc, tmp + 3 * c, tmp + 4 * c);
    }

    /// <summary>A + AL = |z|²·S² (S = 2⁻ᵉᵇ) but for ~2⁻¹⁰⁶ relative (and a smaller part's square lost where it is below
    /// 2⁻¹²⁰ of the larger's, see <see cref="UniformBinades"/>): the squares exact by FMA, added by Fast2Sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadUniform<L>(double* x, double scale, out L a, out L al) where L : struct, ILanes<L>
    {
        var a0 = L.Load(x); var a1 = L.Load(x + L.Count);
        var re = L.Abs(L.Evens(a0, a1)); var im = L.Abs(L.Odds(a0, a1));
        var sc = L.Create(scale);
        var xb = MaxNative(re, im) * sc; var xs = MinNative(re, im) * sc;
        var h = xb * xb; var he = L.Fma(xb, xb, -h);
        var t = xs * xs; var te = L.Fma(xs, xs, -t);
        a = h + t;
        al = (t - (a - h)) + (he + te); // Fast2Sum: h ≥ t
    }

    /// <summary>max(a, b) of lanes holding no NaN (one instruction; the same value at either width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L MaxNative<L>(L a, L b) where L : struct, ILanes<L>
    {
        if (typeof(L) == typeof(Lanes512))
            return Unsafe.BitCast<Lanes512, L>(new Lanes512(System.Runtime.Intrinsics.Vector512.MaxNative(Unsafe.BitCast<L, Lanes512>(a).V, Unsafe.BitCast<L, Lanes512>(b).V)));
        return Unsafe.BitCast<Lanes256, L>(new Lanes256(System.Runtime.Intrinsics.Vector256.MaxNative(Unsafe.BitCast<L, Lanes256>(a).V, Unsafe.BitCast<L, Lanes256>(b).V)));
    }

    /// <summary>min(a, b) of lanes holding no NaN (one instruction; the same value at either width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L MinNative<L>(L a, L b) where L : struct, ILanes<L>
    {
        if (typeof(L) == typeof(Lanes512))
            return Unsafe.BitCast<Lanes512, L>(new Lanes512(System.Runtime.Intrinsics.Vector512.MinNative(Unsafe.BitCast<L, Lanes512>(a).V, Unsafe.BitCast<L, Lanes512>(b).V)));
        return Unsafe.BitCast<Lanes256, L>(new Lanes256(System.Runtime.Intrinsics.Vector256.MinNative(Unsafe.BitCast<L, Lanes256>(a).V, Unsafe.BitCast<L, Lanes256>(b).V)));
    }

    /// <summary>Z and z − Z of one real vector into <paramref name="zb"/> and <paramref name="zs"/>, its mask into
    /// <paramref name="vm"/> (masked bodies only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LogReal<L, TM, TC>(L xv, double* tab, in TC cs, double* zb, double* zs, double* vm)
        where L : struct, ILanes<L> where TM : struct, IMasking where TC : struct, ILaneConsts<L>
    {
        var a = L.Abs(xv);
        L e;
        if (TM.On)
        {
            var v = L.GreaterThan(a, L.Zero) & L.LessThan(a, L.Create(double.PositiveInfinity));
            var sub = L.LessThan(a, L.Create(VecLogExp.MinNormal));
            a *= L.Select(sub, L.Create(VecLogExp.TwoP54), L.Create(1.0));
            e = Exponent(a) - (sub & L.Create(54.0));
            v.Store(vm);
        }
        else e = Exponent(a);
        LogParts<L, TC>(a, L.Zero, e, e, false, tab, cs, zb, zs);
    }

    /// <summary>The exponent of a positive normal double, as a double (exact; AVX-512: vgetexppd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static L Exponent<L>(L a) where L : struct, ILanes<L>
    {
        if (typeof(L) == typeof(Lanes512))
            return Unsafe.BitCast<Lanes512, L>(new Lanes512(Avx512F.GetExponent(Unsafe.BitCast<L, Lanes512>(a).V)));
        return VecLogExp.BiasedExponent(a) - L.Create(1023.0);
    }

    /// <summary>The significand in [1, 2) of a positive normal double (exact; AVX-512: vgetmantpd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static L Significand<L>(L a) where L : struct, ILanes<L>
    {
        if (typeof(L) == typeof(Lanes512))
            return Unsafe.BitCast<Lanes512, L>(new Lanes512(Avx512F.GetMantissa(Unsafe.BitCast<L, Lanes512>(a).V, 0)));
        return (a & L.CreateBits(0x000FFFFFFFFFFFFFUL)) | L.CreateBits(0x3FF0000000000000UL);
    }

    /// <summary>h·2ᵏ and l·2ᵏ for an integer-valued k with 2ᵏ normal (exact but for l's gradual underflow, rounded the
    /// same way by both; AVX-512: vscalefpd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scale2<L>(ref L h, ref L l, L k) where L : struct, ILanes<L>
    {
        if (typeof(L) == typeof(Lanes512)) { h = Scale(h, k); l = Scale(l, k); return; }
        var sc = VecLogExp.Pow2Biased(k + L.Create(1023.0));
        h *= sc;
        l *= sc;
    }

    /// <summary>x·2ᵏ for an integer-valued k with 2ᵏ normal (one rounding, only where the product is subnormal;
    /// AVX-512: vscalefpd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static L Scale<L>(L x, L k) where L : struct, ILanes<L>
    {
        if (typeof(L) == typeof(Lanes512))
            return Unsafe.BitCast<Lanes512, L>(new Lanes512(Avx512F.Scale(Unsafe.BitCast<L, Lanes512>(x).V, Unsafe.BitCast<L, Lanes512>(k).V)));
        return x * VecLogExp.Pow2Biased(k + L.Create(1023.0));
    }

    /// <summary>Z = e·P₁ₕ + Q_jₕ (exact) and the small rest e·P₁ₗ + Q_jₗ + p'·ln(1 + u) of p'·ln(a + al) for a positive
    /// normal a with exponent <paramref name="ea"/>, scaled by 2^(e − ea) (real: the block's −eb is in the table).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LogParts<L, TC>(L a, L al, L ea, L e, bool withLow, double* tab, in TC cs, double* zb, double* zs)
        where L : struct, ILanes<L> where TC : struct, ILaneConsts<L>
    {
        var m = Significand(a);
        var j = L.ShiftRightBits(a, 48) & L.CreateBits(15);
        var c = L.Lookup16(tab + TabC, j);
        var u = L.Fma(m, c, L.Create(-1.0));
        // the complex low part on m's scale times c ≈ 1/m (al ≤ 2⁻⁵² of a)
        if (withLow) u += al * L.ShiftLeftBits(L.Create(VecLogExp.TwoP52 + 1023) - ea, 52) * c; // al·2^−ea·c
        // ln(1 + u) = u + u²·(−1/2 + u/3 − … − u⁸/10) (Estrin)
        var u2 = u * u; var u4 = u2 * u2;
        var q01 = L.Fma(u, L.Create(1.0 / 3), L.Create(-0.5));
        var q23 = L.Fma(u, L.Create(1.0 / 5), L.Create(-1.0 / 4));
        var q45 = L.Fma(u, L.Create(1.0 / 7), L.Create(-1.0 / 6));
        var q67 = L.Fma(u, L.Create(1.0 / 9), L.Create(-1.0 / 8));
        var q47 = L.Fma(q67, u2, q45);
        var q = L.Fma(L.Fma(L.Create(-1.0 / 10), u4, q47), u4, L.Fma(q23, u2, q01));
        var v = L.Fma(u2, q, u);
        L.Fma(e, L.Create(cs.P1h), cs.Qh(tab, j)).Store(zb);
        L.Fma(L.Create(cs.Pp), v, L.Fma(e, L.Create(cs.P1l), cs.Ql(tab, j))).Store(zs);
    }

    /// <summary>The masked real body's term of each lane's element (finite, zero, ∞ or subnormal) added to that lane's
    /// accumulators (sum from <see cref="RealStart"/>, low part): the operations the block body applies to an element
    /// of a masked block, with the lane's own constants (<paramref name="tmp"/>: 3·L.Count doubles of scratch). Since
    /// the masked body gives an unmasked block's elements the bits of the unmasked body (their scale factors are 1,
    /// nothing is clamped or dropped in range), a line's terms so added are those of the line's own block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AddRealTerm<L, TC>(L x, double* tab, in TC cs, double* tmp, double* sAcc, double* cAcc)
        where L : struct, ILanes<L> where TC : struct, ILaneConsts<L>
    {
        LogReal<L, Masked, TC>(x, tab, cs, tmp, tmp + L.Count, tmp + 2 * L.Count);
        ExpAdd<L, Masked, TC>(tmp, cs, sAcc, cAcc);
    }

    /// <summary>The first half of <see cref="AddRealTerm{L, TC}"/> for the two vectors of elements at
    /// <paramref name="x0"/> and <paramref name="x1"/>: each lane's logarithm parts (zb, zs, validity) into
    /// <paramref name="tmp"/> (6·L.Count doubles), for <see cref="ExpAddPair{L, TC}"/>. Two calls, as
    /// <see cref="GroupStep{L, TM}"/> makes them: one body holding both phases of both vectors is past the AOT's
    /// inlining budget (its lane operators became calls, 3× slower). <see cref="Engine.LaneSums"/> takes every pair's
    /// logarithms before their exponentials (independent chains in flight; each lane makes its own operations in its
    /// order, so the same bits).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void LogRealPair<L, TC>(double* x0, double* x1, double* tab, in TC cs, double* tmp)
        where L : struct, ILanes<L> where TC : struct, ILaneConsts<L>
    {
        int c = L.Count;
        LogReal<L, Masked, TC>(L.Load(x0), tab, cs, tmp, tmp + c, tmp + 2 * c);
        LogReal<L, Masked, TC>(L.Load(x1), tab, cs, tmp + 3 * c, tmp + 4 * c, tmp + 5 * c);
    }

    /// <summary>The second half: the two vectors' terms from <see cref="LogRealPair{L, TC}"/>'s parts at
    /// <paramref name="tmp"/>, each added to its own lanes' accumulators.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void ExpAddPair<L, TC>(double* tmp, in TC cs, double* sAcc0, double* cAcc0, double* sAcc1, double* cAcc1)
        where L : struct, ILanes<L> where TC : struct, ILaneConsts<L>
    {
        ExpAdd<L, Masked, TC>(tmp, cs, sAcc0, cAcc0);
        ExpAdd<L, Masked, TC>(tmp + 3 * L.Count, cs, sAcc1, cAcc1);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ExpAdd2<L, TM>(double* tmp, in Consts cs, double* sAcc, double* cAcc)
        where L : struct, ILanes<L> where TM : struct, IMasking
    {
        int c = L.Count;
        var bc = new BlockConsts<L>(cs);
        ExpAdd<L, TM, BlockConsts<L>>(tmp, bc, sAcc, cAcc);
        ExpAdd<L, TM, BlockConsts<L>>(tmp + 3 * c, bc, sAcc + c, cAcc + c);
    }

    /// <summary>Adds 2⁻ᴷ·e^(Z + zs) (as an exact double plus a low part; 0 where masked, and in masked bodies below
    /// 2⁻¹⁰²²) to the lanes' accumulators by Fast2Sum (each sum ≥ C₀ ≥ the term).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ExpAdd<L, TM, TC>(double* tmp, in TC cs, double* sAcc, double* cAcc)
        where L : struct, ILanes<L> where TM : struct, IMasking where TC : struct, ILaneConsts<L>
    {
        int c = L.Count;
        var zb = L.Load(tmp); var zs = L.Load(tmp + c);
        var zh = zb + zs;
        if (TM.On) zh = L.Select(L.LessThan(zh, cs.ZMin), cs.ZMin, zh); // keeps n and r finite
        var t = L.Fma(zh, L.Create(VecLogExp.Inv16Ln2), L.Create(VecLogExp.Magic));
        var n = t - L.Create(VecLogExp.Magic);
        var r = L.Fma(n, L.Create(-VecLogExp.E16Hi), zb) + L.Fma(n, L.Create(-VecLogExp.E16Lo), zs); // the first exact
        // e^r − 1 = r + r²·(1/2 + r/6 + … + r⁵/5040) (Estrin)
        var r2 = r * r;
        var p01 = L.Fma(r, L.Create(1.0 / 6), L.Create(0.5));
        var p23 = L.Fma(r, L.Create(1.0 / 120), L.Create(1.0 / 24));
        var p45 = L.Fma(r, L.Create(1.0 / 5040), L.Create(1.0 / 720));
        var q = L.Fma(r2, L.Fma(L.Fma(p45, r2, p23), r2, p01), r);
        var ji = t & L.CreateBits(15);
        // the term's high part h = Tₕ(1 + q) rounded and its low part (Tₕ(1 + q) − h, exact before its one rounding,
        // plus Tₗ): the low parts must stay ~2⁻⁵³ of the term, or their plain sum in the lanes would lose ~n·2⁻⁵³·q
        var th = L.Lookup16(VecLogExp.Tables + VecLogExp.ExpTHi, ji);
        var h = L.Fma(th, q, th);
        var lo = L.Fma(th, q, th - h) + L.Lookup16(VecLogExp.Tables + VecLogExp.ExpTLo, ji); // th − h exact (Sterbenz)
        // N − K: t with its low four bits cleared is Magic + 16N
        var nk = L.Fma(t & L.CreateBits(~15UL), L.Create(1.0 / 16), cs.NkBias);
        if (TM.On)
        {
            var v = L.Load(tmp + 2 * c) & L.GreaterThanOrEqual(nk, L.Create(-1022.0));
            nk = L.Select(v, nk, L.Zero);
            Scale2(ref h, ref lo, nk);
            h = L.Select(v, h, L.Zero);
            lo = L.Select(v, lo, L.Zero);
        }
        else Scale2(ref h, ref lo, nk);
        var s = L.Load(sAcc);
        var sum = s + h;
        (L.Load(cAcc) + ((h - (sum - s)) + lo)).Store(cAcc);
        sum.Store(sAcc);
    }
}
