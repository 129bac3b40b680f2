using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NormManaged.Kernels;

/// <summary>Σ (|x|·2⁻ᵉᵇ)^p over a block of doubles (or of interleaved complex values) for a general order p, by a
/// lane-parallel ln and exp in double-double (table-free), one body for every vector width (<see cref="ILanes{TSelf}"/>).
///
/// Per element (a = |x|, or a = |z|² formed exactly with FMA products as a double-double, then p/2):
/// <list type="bullet">
/// <item>ln a = k·ln 2 + ln m with m ∈ [√½, √2): ln m = 2·atanh(s), s = (m − 1)/(m + 1) as a double-double (one
/// division, an FMA residual), |s| ≤ 0.1716, so 2s is exact and the tail 2s³/3 + 2s⁵/5 + … (Taylor to s²³, truncation
/// ≤ 2⁻⁵³ of the tail) is ≤ 0.0034: its rounding costs ≲ 2⁻⁶¹. k·ln 2 uses ln 2 split in 40 + 53 bits (k·Ln2Hi is
/// exact for |k| &lt; 2¹³). Absolute error of the double-double ln ≲ 2⁻⁶⁰.</item>
/// <item>z = p·ln(a/2ᵉᵇ) as a double-double (FMA product); exp(z) = 2ⁿ·exp(r), r = z − n·ln 2 (Cody–Waite, the
/// first step exact), |r| ≤ 0.347: exp(r) = 1 + r + r²/2 + r³·Q(r) with 1 + r and r²/2 exact double-doubles and
/// Q's Taylor terms to r¹⁴/14! (truncation ≤ 2⁻⁶³); the r³Q part is ≤ 0.0073, so its rounding costs ≲ 2⁻⁵⁹. The term
/// comes out as a double-double with relative error ≲ 2⁻⁵⁸ + |p|·2⁻⁶⁰.</item>
/// <item>Terms below the least normal double underflow gradually (<see cref="Pow2Split{L}"/>: absolute error
/// ≤ 2⁻¹⁰⁷⁵ each, against a largest term ≥ 2^−|p| ≥ 2⁻¹⁰⁰⁰); zeros (p &gt; 0) and infinities (p &lt; 0) contribute 0
/// by mask.</item>
/// </list>
/// The norm is 2ᵉᵇ·S^(1/p), so a term error τ reaches the result as τ/|p|: the callers keep |p| ≥ 1/8.
///
/// Bits: element i of a group of 16 always feeds logical lane i mod 16, whose double-double accumulator sees the same
/// IEEE operations at every width (8-lane vectors twice or 4-lane vectors four times per group; a tail group is padded
/// with zeros, whose terms are masked to 0 and leave the accumulators unchanged); the 16 lanes fold in order. So the
/// result does not depend on the vector width.</summary>
internal static unsafe class VecLogExp
{
    /// <summary>ln 2 rounded down to 40 bits: k·Ln2Hi is exact for |k| &lt; 2¹³.</summary>
    internal const double Ln2Hi = 0.6931471805592082;
    /// <summary>ln 2 − Ln2Hi, rounded.</summary>
    internal const double Ln2Lo = 7.371002565167799e-13;
    internal const double Ln2 = 0.6931471805599453;
    internal const double Inv16Ln2 = 23.083120654223414;     // 16/ln 2
    internal const double E16Hi = 0.04332169878489367;       // ln2/16 rounded down to 38 bits: n·E16Hi exact for |n| < 2¹⁵
    internal const double E16Lo = 1.0291218489310676e-13;    // ln2/16 − E16Hi
    internal const double Magic = 6755399441055744.0;   // 1.5·2⁵²: fl(v + Magic) − Magic rounds v to an integer
    internal const double TwoP52 = 4503599627370496.0;
    internal const double TwoP54 = 18014398509481984.0;
    internal const double MinNormal = 2.2250738585072014e-308;
    internal const ulong ExpBitsOf2P52 = 0x4330000000000000UL;

    // 16-entry tables (from 400-bit mpmath values), one pinned block
    internal const int LnC = 0, LnTHi = 16, LnTLo = 32, ExpTHi = 48, ExpTLo = 64;
    private static readonly double* s_tables = MakeTables();

    /// <summary>The pinned 80-double block of the tables above (offsets <see cref="LnC"/> … <see cref="ExpTLo"/>).</summary>
    internal static double* Tables => s_tables;

    private static double* MakeTables()
    {
        ulong[] bits =
        {
            // c_j ≈ 1/(1 + (j + ½)/16), any double
            0x3FEF07C1F07C1F08UL, 0x3FED41D41D41D41DUL, 0x3FEBACF914C1BAD0UL, 0x3FEA41A41A41A41AUL,
            0x3FE8F9C18F9C18FAUL, 0x3FE7D05F417D05F4UL, 0x3FE6C16C16C16C17UL, 0x3FE5C9882B931057UL,
            0x3FE4E5E0A72F0539UL, 0x3FE4141414141414UL, 0x3FE3521CFB2B78C1UL, 0x3FE29E4129E4129EUL,
            0x3FE1F7047DC11F70UL, 0x3FE15B1E5F75270DUL, 0x3FE0C9714FBCDA3BUL, 0x3FE0410410410410UL,
            // −ln c_j rounded to a multiple of 2⁻⁴⁰
            0x3F9F829B0E780000UL, 0x3FB6F0D28AE50000UL, 0x3FC29552F8200000UL, 0x3FC9525A9CF48000UL,
            0x3FCFB9186D5E0000UL, 0x3FD2E8E2BAE10000UL, 0x3FD5D1BDBF580000UL, 0x3FD89A3386C14000UL,
            0x3FDB44F77BCC8000UL, 0x3FDDD46A04C1C000UL, 0x3FE02552A5A5E000UL, 0x3FE154C3D2F4E000UL,
            0x3FE2795E1289C000UL, 0x3FE393E0D3562000UL, 0x3FE4A4F85DB04000UL, 0x3FE5AD404C35A000UL,
            // −ln c_j minus the above
            0x3D297C267C7E09E4UL, 0x3D5AD376F9266E7BUL, 0xBD35BD67F4471DFCUL, 0xBD54A524DF67C564UL,
            0x3D5F14A6AAA3361CUL, 0x3D5D30DC2CC91A85UL, 0x3D4393411B1C1EE4UL, 0x3D22D92D38C40882UL,
            0x3D4EC7F97DDB55D3UL, 0x3D3283FB989A9274UL, 0xBD5E01C2C72D4502UL, 0xBD542BCCE198B8D3UL,
            0xBD5DC9290F81848DUL, 0x3D5433638884C06EUL, 0xBD24575D840B8591UL, 0xBD1A509ACAAB41FCUL,
            // 2^(j/16) rounded
            0x3FF0000000000000UL, 0x3FF0B5586CF9890FUL, 0x3FF172B83C7D517BUL, 0x3FF2387A6E756238UL,
            0x3FF306FE0A31B715UL, 0x3FF3DEA64C123422UL, 0x3FF4BFDAD5362A27UL, 0x3FF5AB07DD485429UL,
            0x3FF6A09E667F3BCDUL, 0x3FF7A11473EB0187UL, 0x3FF8ACE5422AA0DBUL, 0x3FF9C49182A3F090UL,
            0x3FFAE89F995AD3ADUL, 0x3FFC199BDD85529CUL, 0x3FFD5818DCFBA487UL, 0x3FFEA4AFA2A490DAUL,
            // 2^(j/16) minus the above
            0x0000000000000000UL, 0x3C98A62E4ADC610BUL, 0xBC819041B9D78A76UL, 0x3C99B07EB6C70573UL,
            0x3C86F46AD23182E4UL, 0x3C8ADA0911F09EBCUL, 0x3C7D4397AFEC42E2UL, 0x3C96324C054647ADUL,
            0xBC9BDD3413B26456UL, 0xBC841577EE04992FUL, 0x3C96E9F156864B27UL, 0x3C7C7C46B071F2BEUL,
            0x3C97A1CD345DCC81UL, 0x3C811065895048DDUL, 0x3C82ED02D75B3707UL, 0xBC9E9C23179C2893UL,
        };
        var t = (double*)NativeMemory.AlignedAlloc((nuint)(bits.Length * sizeof(double)), 64);
        for (int i = 0; i < bits.Length; i++) t[i] = BitConverter.UInt64BitsToDouble(bits[i]);
        return t;
    }

    /// <summary>The 48-double table of <see cref="Engine.NarrowPowFast"/>'s log₂/exp₂ terms for order <paramref name="pp"/>:
    /// c_j ≈ 1/(1 + (j + ½)/16) (the reduction factors of <see cref="Ln{L}"/>), pp·(−log₂ c_j) (from the double-double
    /// −ln c_j, three roundings: within 2⁻⁵¹·|pp| absolute) and 2^(j/16) (rounded), j = 0..15.</summary>
    internal static void NarrowTables(double pp, double* dst)
    {
        for (int j = 0; j < 16; j++)
        {
            dst[j] = s_tables[LnC + j];
            dst[16 + j] = pp * ((s_tables[LnTHi + j] + s_tables[LnTLo + j]) / Ln2);
            dst[32 + j] = s_tables[ExpTHi + j];
        }
    }

    /// <summary>Elements per group (logical lanes).</summary>
    public const int Group = 16;

    /// <summary>Σ (|x|·2^−<paramref name="eb"/>)^<paramref name="p"/> over the block (complex: |z| of interleaved
    /// pairs) as hi + lo. Every element must be finite, or contribute 0 (zeros, and ∞ for p &lt; 0); every term must be
    /// ≤ 2^(|p|/2) (eb above the largest magnitude for p &gt; 0, at or below the smallest for p &lt; 0).
    /// <paramref name="lite"/> selects plain-double ln/exp (<see cref="LiteTerms"/>: relative term error ≲ 2⁻⁴⁴ +
    /// |p|·2⁻⁴⁴; elements must be normal doubles of a narrow type: float32, float16, complex64) instead of the
    /// double-double ones (<see cref="PreciseTerms"/>).</summary>
    public static void PowSum(ReadOnlySpan<double> b, bool complex, double p, int eb, bool lite, out double hi, out double lo)
    {
        fixed (double* x = &MemoryMarshal.GetReference(b))
        {
            int n = complex ? b.Length / 2 : b.Length;
            if (lite)
            {
                if (RealKernels.Wide) PowSum<Lanes512, LiteTerms>(x, n, complex, p, eb, out hi, out lo);
                else PowSum<Lanes256, LiteTerms>(x, n, complex, p, eb, out hi, out lo);
            }
            else if (RealKernels.Wide) PowSum<Lanes512, PreciseTerms>(x, n, complex, p, eb, out hi, out lo);
            else PowSum<Lanes256, PreciseTerms>(x, n, complex, p, eb, out hi, out lo);
        }
    }

    /// <summary>How a vector of terms is computed and added from (A + AL)·2^K (V: lanes that contribute).</summary>
    private interface ITermMath
    {
        /// <summary>The terms of two independent vectors (0 and 1) into their own accumulators, the two computations
        /// interleaved by phase so that their dependency chains overlap (<paramref name="tmp"/>: 4·L.Count doubles of
        /// scratch).</summary>
        static abstract void Add2<L>(L a0, L al0, L k0, L v0, L a1, L al1, L k1, L v1, double pp, double* sAcc, double* cAcc, double* tmp)
            where L : struct, ILanes<L>;
    }

    /// <summary>Double-double ln and exp (<see cref="Ln{L}"/>, <see cref="ExpAdd{L}"/>), each phase for both vectors in a
    /// method of its own (one method holding all four exceeds the inliner's budget), the logarithms passed through
    /// the caller's buffer of 4·L.Count doubles.</summary>
    private readonly struct PreciseTerms : ITermMath
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Add2<L>(L a0, L al0, L k0, L v0, L a1, L al1, L k1, L v1, double pp, double* sAcc, double* cAcc, double* tmp)
            where L : struct, ILanes<L>
        {
            LnPair(a0, al0, k0, a1, al1, k1, tmp);
            ExpPair(tmp, v0, v1, pp, sAcc, cAcc);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void LnPair<L>(L a0, L al0, L k0, L a1, L al1, L k1, double* t) where L : struct, ILanes<L>
        {
            Ln(a0, al0, k0, out var lh0, out var ll0);
            Ln(a1, al1, k1, out var lh1, out var ll1);
            lh0.Store(t); ll0.Store(t + L.Count); lh1.Store(t + 2 * L.Count); ll1.Store(t + 3 * L.Count);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ExpPair<L>(double* t, L v0, L v1, double pp, double* sAcc, double* cAcc) where L : struct, ILanes<L>
        {
            int c = L.Count;
            ExpAdd(L.Load(t), L.Load(t + c), v0, pp, sAcc, cAcc);
            ExpAdd(L.Load(t + 2 * c), L.Load(t + 3 * c), v1, pp, sAcc + c, cAcc + c);
        }
    }

    /// <summary>Plain-double ln and exp (<see cref="LnLite{L}"/>, <see cref="ExpAddLite{L}"/>).</summary>
    private readonly struct LiteTerms : ITermMath
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Add2<L>(L a0, L al0, L k0, L v0, L a1, L al1, L k1, L v1, double pp, double* sAcc, double* cAcc, double* tmp)
            where L : struct, ILanes<L>
            => Pair(a0, k0, v0, a1, k1, v1, pp, sAcc, cAcc);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Pair<L>(L a0, L k0, L v0, L a1, L k1, L v1, double pp, double* sAcc, double* cAcc) where L : struct, ILanes<L>
        {
            var l0 = LnLite(a0, k0);
            var l1 = LnLite(a1, k1);
            ExpAddLite(l0, v0, pp, sAcc, cAcc);
            ExpAddLite(l1, v1, pp, sAcc + L.Count, cAcc + L.Count);
        }
    }

    private static void PowSum<L, TM>(double* x, int n, bool complex, double p, int eb, out double hi, out double lo)
        where L : struct, ILanes<L> where TM : struct, ITermMath
    {
        int w = complex ? 2 : 1;
        double* acc = stackalloc double[4 * Group]; // the lanes' sums and low parts, then scratch for the terms
        new Span<double>(acc, 2 * Group).Clear();
        // complex: (|z|²)^(p/2), with the block exponent doubled
        double pp = complex ? 0.5 * p : p, koff = complex ? -2.0 * eb : -eb;
        int i = 0;
        for (; i + Group <= n; i += Group) GroupStep<L, TM>(x + i * w, complex, pp, koff, acc);
        if (i < n)
        {
            double* pad = stackalloc double[2 * Group];
            new Span<double>(pad, 2 * Group).Clear();
            new ReadOnlySpan<double>(x + i * w, (n - i) * w).CopyTo(new Span<double>(pad, 2 * Group));
            GroupStep<L, TM>(pad, complex, pp, koff, acc);
        }
        hi = 0; lo = 0;
        for (int j = 0; j < Group; j++)
        {
            double s = hi + acc[j], bb = s - hi;
            lo += ((hi - (s - bb)) + (acc[j] - bb)) + acc[Group + j];
            hi = s;
        }
        hi = DD.FastTwoSum(hi, lo, out lo); // the lanes' low parts carry the terms' r²/2 parts: renormalise
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GroupStep<L, TM>(double* x, bool complex, double pp, double koff, double* acc)
        where L : struct, ILanes<L> where TM : struct, ITermMath
    {
        // two vectors per call (a group is 2 or 4 vectors): each lane still sees its own elements and operations, so
        // the bits are those of one vector at a time, but the two latency-bound chains overlap (measured ~1.6× on the
        // double-double terms)
        int c = L.Count;
        for (int q = 0; q < Group / c; q += 2)
        {
            if (complex) VectorComplex2<L, TM>(x + 2 * q * c, koff, pp, acc + q * c, acc + Group + q * c, acc + 2 * Group);
            else VectorReal2<L, TM>(x + q * c, koff, pp, acc + q * c, acc + Group + q * c, acc + 2 * Group);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void VectorReal2<L, TM>(double* x, double koff, double pp, double* sAcc, double* cAcc, double* tmp)
        where L : struct, ILanes<L> where TM : struct, ITermMath
    {
        LoadReal<L>(x, koff, out var a0, out var al0, out var k0, out var v0);
        LoadReal<L>(x + L.Count, koff, out var a1, out var al1, out var k1, out var v1);
        TM.Add2(a0, al0, k0, v0, a1, al1, k1, v1, pp, sAcc, cAcc, tmp);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void VectorComplex2<L, TM>(double* x, double koff, double pp, double* sAcc, double* cAcc, double* tmp)
        where L : struct, ILanes<L> where TM : struct, ITermMath
    {
        LoadComplex<L>(x, koff, out var a0, out var al0, out var k0, out var v0);
        LoadComplex<L>(x + 2 * L.Count, koff, out var a1, out var al1, out var k1, out var v1);
        TM.Add2(a0, al0, k0, v0, a1, al1, k1, v1, pp, sAcc, cAcc, tmp);
    }

    /// <summary>2^(j − 1023) for integer-valued j ∈ [1, 2046] (0 gives +0): the bits of 2⁵² + j shifted into the
    /// exponent field.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static L Pow2Biased<L>(L j) where L : struct, ILanes<L> => L.ShiftLeftBits(j + L.Create(TwoP52), 52);

    /// <summary>2^e (e integer-valued) as the product of two factors: 2^max(e, −1022) and 2^(e + 1022) clamped to
    /// [2⁻¹⁰²², 1], so a term h·2^e (h ∈ [½, 2)) multiplied by both underflows gradually, with one rounding (absolute
    /// error ≤ 2⁻¹⁰⁷⁵), down to 2⁻²⁰⁴⁴, and to 0 below; for e ≥ −1022 the second factor is 1. (Dropping terms below
    /// 2⁻¹⁰²² instead lost up to n·2⁻¹⁰²² against a largest term as small as 2^−|p| for |p| near 1000.)</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pow2Split<L>(L e, out L sc, out L sc2) where L : struct, ILanes<L>
    {
        var one = L.Create(1.0);
        sc = Pow2Biased(L.Max(e + L.Create(1023.0), one));
        sc2 = Pow2Biased(L.Max(L.Min(e + L.Create(1022.0), L.Zero) + L.Create(1023.0), one));
    }

    /// <summary>The biased exponent field of a non-negative double, as a double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static L BiasedExponent<L>(L a) where L : struct, ILanes<L>
        => (L.ShiftRightBits(a, 52) | L.CreateBits(ExpBitsOf2P52)) - L.Create(TwoP52);

    /// <summary>A = |x| (1 where the element contributes 0), AL = 0, K = −eb, V = mask of finite nonzero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadReal<L>(double* x, double koff, out L a, out L al, out L k, out L v) where L : struct, ILanes<L>
    {
        var m = L.Abs(L.Load(x));
        v = L.GreaterThan(m, L.Zero) & L.LessThan(m, L.Create(double.PositiveInfinity));
        a = L.Select(v, m, L.Create(1.0));
        al = L.Zero;
        k = L.Create(koff);
    }

    /// <summary>A + AL = |z|²·2^(2(j − 1023)) exactly but for ~2⁻¹⁰⁶ (both parts scaled by the power of two that puts
    /// the larger in [1, 4); the smaller may underflow only where its square is below 2⁻¹⁰⁰ of the larger's),
    /// K = 2(1023 − j) − 2eb, V = mask of finite nonzero elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void LoadComplex<L>(double* x, double koff, out L a, out L al, out L k, out L v) where L : struct, ILanes<L>
    {
        var a0 = L.Load(x); var a1 = L.Load(x + L.Count);
        var re = L.Abs(L.Evens(a0, a1)); var im = L.Abs(L.Odds(a0, a1));
        var inf = L.Create(double.PositiveInfinity);
        var big = L.Max(re, im); var small = L.Min(re, im);
        v = L.GreaterThan(big, L.Zero) & L.LessThan(re, inf) & L.LessThan(im, inf);
        var j = L.Max(L.Create(2046.0) - BiasedExponent(big), L.Create(1.0));
        var sc = Pow2Biased(j);
        var xb = big * sc; var xs = small * sc;
        var h = xb * xb; var he = L.Fma(xb, xb, -h);
        var t = xs * xs; var te = L.Fma(xs, xs, -t);
        var s = h + t;
        var se = (t - (s - h)) + (he + te); // Fast2Sum: h ≥ t
        a = L.Select(v, s, L.Create(1.0));
        al = L.Select(v, se, L.Zero);
        k = (L.Create(1023.0) - j) * L.Create(2.0) + L.Create(koff);
    }

    /// <summary>LH + LL = ln(A + AL) + K·ln 2 (A positive and finite; see the type's summary).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Ln<L>(L a, L al, L k, out L lh, out L ll) where L : struct, ILanes<L>
    {
        var one = L.Create(1.0);
        var sub = L.LessThan(a, L.Create(MinNormal));
        var up = L.Select(sub, L.Create(TwoP54), one);
        a *= up; al *= up;
        var eD = BiasedExponent(a);
        k += eD - L.Create(1023.0) - (sub & L.Create(54.0));
        var m = (a & L.CreateBits(0x000FFFFFFFFFFFFFUL)) | L.CreateBits(0x3FF0000000000000UL);
        var j = L.ShiftRightBits(a, 48) & L.CreateBits(15);
        var c = L.Lookup16(s_tables + LnC, j);
        // r = m·c − 1 (one rounding, |r| ≤ 0.0303), plus AL on m's scale times c ≈ 1/m (AL ≤ 2⁻⁵² of A)
        var r = L.Fma(m, c, -one) + al * Pow2Biased(L.Create(2046.0) - eD) * c;
        // ln(1 + r) = r + r²·Q(r), Taylor to r¹¹/11 (Estrin's scheme: a short dependency chain)
        var r2 = r * r; var r4 = r2 * r2;
        var q01 = L.Fma(r, L.Create(1.0 / 3), L.Create(-0.5));
        var q23 = L.Fma(r, L.Create(1.0 / 5), L.Create(-1.0 / 4));
        var q45 = L.Fma(r, L.Create(1.0 / 7), L.Create(-1.0 / 6));
        var q67 = L.Fma(r, L.Create(1.0 / 9), L.Create(-1.0 / 8));
        var q89 = L.Fma(r, L.Create(1.0 / 11), L.Create(-1.0 / 10));
        var q03 = L.Fma(q23, r2, q01);
        var q47 = L.Fma(q67, r2, q45);
        var q = L.Fma(L.Fma(q89, r4, q47), r4, q03);
        var v = L.Fma(r2, q, r);
        // k·ln2 + ln(1/c): both multiples of 2⁻⁴⁰ below 2¹³, so their sum is exact
        var hi = L.Fma(k, L.Create(Ln2Hi), L.Lookup16(s_tables + LnTHi, j));
        lh = hi + v;
        var bb = lh - hi;
        ll = ((hi - (lh - bb)) + (v - bb)) + L.Fma(k, L.Create(Ln2Lo), L.Lookup16(s_tables + LnTLo, j));
    }

    /// <summary>Adds exp(pp·(LH + LL)) (as a double-double; 0 where V is clear; below 2⁻¹⁰²² it underflows gradually) to
    /// the lanes' accumulators: TwoSum into s, the error and the term's low part into c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ExpAdd<L>(L lh, L ll, L v, double pp, double* sAcc, double* cAcc) where L : struct, ILanes<L>
    {
        var vp = L.Create(pp);
        var zh = vp * lh;
        var zl = L.Fma(vp, lh, -zh) + vp * ll;
        // z = (16e + j)·ln2/16 + r, |r| ≤ ln2/32
        var t = L.Fma(zh, L.Create(Inv16Ln2), L.Create(Magic));
        var n = t - L.Create(Magic);
        var r1 = L.Fma(-n, L.Create(E16Hi), zh); // exact for |n| < 2¹⁵
        var cr = L.Fma(-n, L.Create(E16Lo), zl);
        var rh = r1 + cr;
        var rl = cr - (rh - r1);
        var ji = t & L.CreateBits(15);
        var e = (n - ((ji | L.CreateBits(ExpBitsOf2P52)) - L.Create(TwoP52))) * L.Create(1.0 / 16);
        // exp(r) − 1 = rh + el, el = rh²·P(rh) + rl, Taylor to r⁸/8! (Estrin)
        var h2 = rh * rh; var h4 = h2 * h2;
        var p01 = L.Fma(rh, L.Create(1.0 / 6), L.Create(0.5));
        var p23 = L.Fma(rh, L.Create(1.0 / 120), L.Create(1.0 / 24));
        var p45 = L.Fma(rh, L.Create(1.0 / 5040), L.Create(1.0 / 720));
        var pl = L.Fma(L.Fma(L.Create(1.0 / 40320), h2, p45), h4, L.Fma(p23, h2, p01));
        var el = L.Fma(h2, pl, rl);
        // (Th + Tl)·(1 + rh + el) = Th + Th·rh (exact pair) + Th·el + Tl·(1 + rh)
        var th = L.Lookup16(s_tables + ExpTHi, ji);
        var tl = L.Lookup16(s_tables + ExpTLo, ji);
        var ph = th * rh;
        var pe = L.Fma(th, rh, -ph);
        var small = L.Fma(th, el, L.Fma(tl, rh, tl));
        var h = th + ph;
        var lo = ((ph - (h - th)) + pe) + small; // Fast2Sum: Th ≥ 1 > |Th·rh|
        Pow2Split(L.Select(v, e, L.Zero), out var sc, out var sc2); // a masked lane scales by 1: no underflow assist
        h = L.Select(v, h * sc * sc2, L.Zero);
        lo = L.Select(v, lo * sc * sc2, L.Zero);
        var s = L.Load(sAcc); var cc = L.Load(cAcc);
        var sum = s + h;
        var b2 = sum - s;
        cc += ((s - (sum - b2)) + (h - b2)) + lo;
        sum.Store(sAcc);
        cc.Store(cAcc);
    }

    /// <summary>ln(A) + K·ln 2 in plain double (A a normal double): the table reduction of <see cref="Ln{L}"/> and
    /// ln(1 + r) to r⁸/8 (truncation ≤ 2⁻⁴⁸); absolute error ≲ 2⁻⁵³·|result| + 2⁻⁴⁸.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static L LnLite<L>(L a, L k) where L : struct, ILanes<L>
    {
        var one = L.Create(1.0);
        var eD = BiasedExponent(a);
        k += eD - L.Create(1023.0);
        var m = (a & L.CreateBits(0x000FFFFFFFFFFFFFUL)) | L.CreateBits(0x3FF0000000000000UL);
        var j = L.ShiftRightBits(a, 48) & L.CreateBits(15);
        var r = L.Fma(m, L.Lookup16(s_tables + LnC, j), -one);
        var r2 = r * r;
        var q01 = L.Fma(r, L.Create(1.0 / 3), L.Create(-0.5));
        var q23 = L.Fma(r, L.Create(1.0 / 5), L.Create(-1.0 / 4));
        var q45 = L.Fma(r, L.Create(1.0 / 7), L.Create(-1.0 / 6));
        var q = L.Fma(L.Fma(L.Create(-1.0 / 8), r2, q45), r2 * r2, L.Fma(q23, r2, q01));
        var v = L.Fma(r2, q, r);
        var t = L.Lookup16(s_tables + LnTHi, j) + (L.Lookup16(s_tables + LnTLo, j) + v);
        return L.Fma(k, L.Create(Ln2), t);
    }

    /// <summary>Adds exp(pp·lh) in plain double (Cody–Waite in two steps, 2^(j/16) from the table, exp(r) − 1 to r⁶/6!,
    /// truncation ≤ 2⁻⁵¹; relative error ≲ 2⁻⁵⁰ + 2⁻⁵³·|pp·lh|) to the lanes' compensated accumulators; 0 where V is
    /// clear (below 2⁻¹⁰²² a term underflows gradually).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ExpAddLite<L>(L lh, L v, double pp, double* sAcc, double* cAcc) where L : struct, ILanes<L>
    {
        var z = L.Create(pp) * lh;
        var t = L.Fma(z, L.Create(Inv16Ln2), L.Create(Magic));
        var n = t - L.Create(Magic);
        var r = L.Fma(-n, L.Create(E16Hi), z);
        r = L.Fma(-n, L.Create(E16Lo), r);
        var ji = t & L.CreateBits(15);
        var e = (n - ((ji | L.CreateBits(ExpBitsOf2P52)) - L.Create(TwoP52))) * L.Create(1.0 / 16);
        var r2 = r * r;
        var pl = L.Fma(L.Fma(L.Fma(r, L.Create(1.0 / 720), L.Create(1.0 / 120)), r2, L.Fma(r, L.Create(1.0 / 24), L.Create(1.0 / 6))),
                       r2, L.Fma(r, L.Create(0.5), L.Create(1.0)));
        var th = L.Lookup16(s_tables + ExpTHi, ji);
        var h = L.Fma(th, r * pl, th);
        Pow2Split(L.Select(v, e, L.Zero), out var sc, out var sc2); // a masked lane scales by 1: no underflow assist
        h = L.Select(v, h * sc * sc2, L.Zero);
        var s = L.Load(sAcc);
        var sum = s + h;
        var bb = sum - s;
        (L.Load(cAcc) + ((s - (sum - bb)) + (h - bb))).Store(cAcc);
        sum.Store(sAcc);
    }

    /// <summary>Statistics of a block of interleaved complex values for the general-p norm: the largest part of a
    /// finite element (<paramref name="max"/>), the smallest max(|re|, |im|) of a finite nonzero element
    /// (<paramref name="min"/>, +∞ if none), and whether some element is NaN (a NaN part and no ∞ part: |z| is NaN),
    /// has an ∞ part (|z| = ∞), or is zero. Exact, so independent of the width.</summary>
    public static void ComplexStats(ReadOnlySpan<double> b, out double max, out double min, out bool nan, out bool inf, out bool zero)
    {
        fixed (double* x = &MemoryMarshal.GetReference(b))
        {
            nan = inf = false;
            if (FiniteComplexStats(x, b.Length / 2, out max, out min, out zero)) return;
        }
        ComplexStatsScan(b, out max, out min, out nan, out inf, out zero);
    }

    /// <summary>The same statistics by a lane scan that also classifies NaN and ∞ parts (the blocks
    /// <see cref="FiniteComplexStats"/> declines).</summary>
    internal static void ComplexStatsScan(ReadOnlySpan<double> b, out double max, out double min, out bool nan, out bool inf, out bool zero)
    {
        fixed (double* x = &MemoryMarshal.GetReference(b))
        {
            if (RealKernels.Wide) ComplexStats<Lanes512>(x, b.Length / 2, out max, out min, out nan, out inf, out zero);
            else ComplexStats<Lanes256>(x, b.Length / 2, out max, out min, out nan, out inf, out zero);
        }
    }

    /// <summary><see cref="ComplexStats(ReadOnlySpan{double}, out double, out double, out bool, out bool, out bool)"/>
    /// on the bits: with the sign shifted out, non-negative doubles order as unsigned integers (NaN and ∞ above every
    /// finite value), so integer maxima and minima of b = max(|re|, |im|) (and of b − 1, where a zero wraps to the top)
    /// give the statistics exactly in a few operations per element. False (nothing decided) when some part is NaN or
    /// ∞: the caller's general scan handles those blocks.</summary>
    private static bool FiniteComplexStats(double* x, int n, out double max, out double min, out bool zero)
    {
        ulong* u = (ulong*)x;
        long m = 2L * n, i = 0;
        ulong mx = 0, mn = ulong.MaxValue, mnz = ulong.MaxValue;
        if (RealKernels.Wide)
        {
            Vector512<ulong> vmx = Vector512<ulong>.Zero, vmn = Vector512<ulong>.AllBitsSet, vmnz = vmn, one = Vector512<ulong>.One;
            var swap = Vector512.Create(1ul, 0, 3, 2, 5, 4, 7, 6);
            for (; i + 8 <= m; i += 8)
            {
                var v = Vector512.Load(u + i) << 1;
                var big = Vector512.Max(v, Vector512.Shuffle(v, swap)); // each element's larger part, twice
                vmx = Vector512.Max(vmx, big); vmn = Vector512.Min(vmn, big); vmnz = Vector512.Min(vmnz, big - one);
            }
            for (int j = 0; j < 8; j++) { mx = Math.Max(mx, vmx[j]); mn = Math.Min(mn, vmn[j]); mnz = Math.Min(mnz, vmnz[j]); }
        }
        else
        {
            Vector256<ulong> vmx = Vector256<ulong>.Zero, vmn = Vector256<ulong>.AllBitsSet, vmnz = vmn, one = Vector256<ulong>.One;
            var swap = Vector256.Create(1ul, 0, 3, 2);
            for (; i + 4 <= m; i += 4)
            {
                var v = Vector256.Load(u + i) << 1;
                var big = Vector256.Max(v, Vector256.Shuffle(v, swap));
                vmx = Vector256.Max(vmx, big); vmn = Vector256.Min(vmn, big); vmnz = Vector256.Min(vmnz, big - one);
            }
            for (int j = 0; j < 4; j++) { mx = Math.Max(mx, vmx[j]); mn = Math.Min(mn, vmn[j]); mnz = Math.Min(mnz, vmnz[j]); }
        }
        for (; i < m; i += 2)
        {
            ulong big = Math.Max(u[i] << 1, u[i + 1] << 1);
            mx = Math.Max(mx, big); mn = Math.Min(mn, big); mnz = Math.Min(mnz, big - 1);
        }
        zero = mn == 0;
        max = BitConverter.UInt64BitsToDouble(mx >> 1);
        min = mnz == ulong.MaxValue ? double.PositiveInfinity : BitConverter.UInt64BitsToDouble((mnz + 1) >> 1);
        return mx < 0x7FF0000000000000UL << 1; // no NaN or ∞ part
    }

    private static void ComplexStats<L>(double* x, int n, out double max, out double min, out bool nan, out bool inf, out bool zero)
        where L : struct, ILanes<L>
    {
        var vinf = L.Create(double.PositiveInfinity);
        L mx = L.Zero, mn = vinf, anyNan = L.Zero, anyInf = L.Zero, anyZero = L.Zero;
        int c = L.Count, i = 0;
        for (; i + c <= n; i += c)
        {
            var a0 = L.Load(x + 2 * i); var a1 = L.Load(x + 2 * i + c);
            var re = L.Abs(L.Evens(a0, a1)); var im = L.Abs(L.Odds(a0, a1));
            var isInf = L.Equal(re, vinf) | L.Equal(im, vinf);
            var isNan = ~(L.Equal(re, re) & L.Equal(im, im)) & ~isInf;
            var big = L.Max(re, im);
            var isZero = L.Equal(big, L.Zero) & ~isNan;
            var fin = ~(isInf | isNan);
            mx = L.Max(mx, L.Select(fin, big, L.Zero));
            mn = L.Min(mn, L.Select(fin & ~isZero, big, vinf));
            anyNan |= isNan; anyInf |= isInf; anyZero |= isZero;
        }
        max = 0; min = double.PositiveInfinity;
        for (int j = 0; j < c; j++) { max = Math.Max(max, mx[j]); min = Math.Min(min, mn[j]); }
        nan = !L.AllZero(anyNan); inf = !L.AllZero(anyInf); zero = !L.AllZero(anyZero);
        for (; i < n; i++)
        {
            double re = Math.Abs(x[2 * i]), im = Math.Abs(x[2 * i + 1]);
            bool ei = double.IsPositiveInfinity(re) || double.IsPositiveInfinity(im);
            bool en = !ei && (double.IsNaN(re) || double.IsNaN(im));
            inf |= ei; nan |= en;
            if (ei || en) continue;
            double big = Math.Max(re, im);
            if (big == 0) { zero = true; continue; }
            max = Math.Max(max, big);
            min = Math.Min(min, big);
        }
    }
}
