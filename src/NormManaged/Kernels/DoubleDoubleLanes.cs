using System.Runtime.CompilerServices;

namespace NormManaged.Kernels;

/// <summary>The double-double operations of <see cref="DD"/> lane by lane over any <see cref="ILanes{TSelf}"/> width,
/// and the cores of <see cref="DD.Exp"/> and <see cref="DD.Log"/> written once for all of them: the scalar calls run
/// them on <see cref="Lane1"/>, and kernels that take many roots at once run the same operations in vector lanes, so each
/// lane's bits are the scalar call's.</summary>
internal static unsafe class DDLanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static L TwoSum<L>(L a, L b, out L e) where L : struct, ILanes<L>
    {
        var s = a + b;
        var bb = s - a;
        e = (a - (s - bb)) + (b - bb);
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static L FastTwoSum<L>(L a, L b, out L e) where L : struct, ILanes<L>
    {
        var s = a + b;
        e = b - (s - a);
        return s;
    }

    /// <summary>(hi, lo) += (bh, bl) as <see cref="DD.Add"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add<L>(ref L hi, ref L lo, L bh, L bl) where L : struct, ILanes<L>
    {
        var s = TwoSum(hi, bh, out var e);
        e += lo + bl;
        hi = FastTwoSum(s, e, out lo);
    }

    /// <summary>(hi, lo) += b for a double b, renormalised.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo<L>(ref L hi, ref L lo, L b) where L : struct, ILanes<L>
    {
        var s = TwoSum(hi, b, out var e);
        e += lo;
        hi = FastTwoSum(s, e, out lo);
    }

    /// <summary>(ah + al)·(bh + bl) as <see cref="DD.Mul"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static L Mul<L>(L ah, L al, L bh, L bl, out L lo) where L : struct, ILanes<L>
    {
        var p = ah * bh;
        var e = L.MulSub(ah, bh, p);
        e = L.Fma(ah, bl, L.Fma(al, bh, e));
        return FastTwoSum(p, e, out lo);
    }

    private const double InvLn2x64 = 92.33248261689366; // 64/ln 2 (only rounds x to the nearest multiple of ln2/64)
    private const double Ln2x64Hi = DD.Ln2Hi / 64, Ln2x64Lo = DD.Ln2Lo / 64, Ln2x64Lo2 = 5.707708438416212e-34 / 64;
    private const double RoundMagic = 6755399441055744.0; // 1.5·2⁵²: (v + M) − M rounds |v| < 2⁵¹ to an integer, ties to even
    // 1/3!, 1/4!, 1/5! as double-doubles; 1/6! … 1/11! as doubles (their terms are below 2⁻⁴⁵)
    private const double F3Hi = 0.16666666666666666, F3Lo = 9.25185853854297e-18;
    private const double F4Hi = 0.041666666666666664, F4Lo = 2.3129646346357427e-18;
    private const double F5Hi = 0.008333333333333333, F5Lo = 1.1564823173178714e-19;
    private const double F6 = 1.0 / 720, F7 = 1.0 / 5040, F8 = 1.0 / 40320, F9 = 1.0 / 362880, F10 = 1.0 / 3628800, F11 = 1.0 / 39916800;

    /// <summary>e^(xh + xl) = (hi + lo)·2^k per lane for |xh| ≤ <see cref="DD.ExpLimit"/> (no NaN): the method and
    /// bounds of <see cref="DD.Exp"/>, which handles the special arguments and calls this; k is returned as an
    /// integer-valued double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static L Exp<L>(L xh, L xl, double* table, out L lo, out L k) where L : struct, ILanes<L>
    {
        var magic = L.Create(RoundMagic);
        var nd = (xh * L.Create(InvLn2x64) + magic) - magic;
        // r = x − nd·ln2/64 as a double-double (see DD.Exp)
        var c1 = L.Create(Ln2x64Hi);
        var c2 = L.Create(Ln2x64Lo);
        var p1 = nd * c1;
        var p1e = L.Fma(nd, c1, -p1);
        var p2 = nd * c2;
        var p2e = L.Fma(nd, c2, -p2);
        var rh = TwoSum(xh, -p1, out var rl);
        AddTo(ref rh, ref rl, xl);
        AddTo(ref rh, ref rl, -p1e);
        AddTo(ref rh, ref rl, -p2);
        rl -= p2e + nd * L.Create(Ln2x64Lo2);
        var q = L.Fma(rh, L.Fma(rh, L.Fma(rh, L.Fma(rh, L.Fma(rh, L.Create(F11), L.Create(F10)), L.Create(F9)),
            L.Create(F8)), L.Create(F7)), L.Create(F6));
        var th = FastTwoSum(L.Create(F5Hi), rh * q, out var tl);
        tl += L.Create(F5Lo);
        th = Mul(th, tl, rh, rl, out tl); Add(ref th, ref tl, L.Create(F4Hi), L.Create(F4Lo));
        th = Mul(th, tl, rh, rl, out tl); Add(ref th, ref tl, L.Create(F3Hi), L.Create(F3Lo));
        th = Mul(th, tl, rh, rl, out tl); Add(ref th, ref tl, L.Create(0.5), L.Zero);
        th = Mul(th, tl, rh, rl, out tl); Add(ref th, ref tl, L.Create(1.0), L.Zero);
        th = Mul(th, tl, rh, rl, out tl); // e^r − 1
        // nd = 64k + j, 0 ≤ j < 64: k = ⌊nd/64⌋ (nd/64 is a multiple of 1/64; the offset keeps round-to-nearest
        // off every tie), j = nd − 64k, both exact
        k = ((nd * L.Create(1.0 / 64) - L.Create(0.5 - 1.0 / 128)) + magic) - magic;
        var j = nd - k * L.Create(64.0);
        TableEntry(table, j, out var ch, out var cl);
        var h = Mul(ch, cl, th, tl, out var l);
        Add(ref h, ref l, ch, cl);
        var big = L.GreaterThan(h, L.Create(1.4142135623730951));
        var half = L.Select(big, L.Create(0.5), L.Create(1.0));
        lo = l * half;
        k += L.Select(big, L.Create(1.0), L.Zero);
        return h * half;
    }

    /// <summary>ln((hi + lo)·2^e) per lane as a double-double, for hi in [√½, √2] and e an integer-valued double (as
    /// <see cref="LogReduce{L}"/> leaves them) and y0 ≈ ln(hi) within ~2⁻⁵⁰ (<see cref="LogStart{L}"/>): with
    /// t = m·e^(−y0) − 1 as a double-double (e^(−y0) by <see cref="Exp{L}"/>, whose exponent is −1, 0 or 1 here, so its
    /// scaling is exact), ln m = y0 + ln(1 + t) = y0 + t − t²/2 + O(t³) (|t| ≲ 2⁻⁵⁰, so t³ is below 2⁻¹⁵⁰), then
    /// + e·ln 2. The core of <see cref="DD.Log"/>, which runs it on <see cref="Lane1"/>; absolute error
    /// ≲ 2⁻¹⁰⁰·max(1, |ln|).</summary>
    public static L Log<L>(L hi, L lo, L e, L y0, double* table, out L outLo) where L : struct, ILanes<L>
    {
        var eh = Exp(-y0, L.Zero, table, out var el, out var ek);
        var sc = Pow2(ek);
        eh *= sc; el *= sc;
        var th = Mul(hi, lo, eh, el, out var tl);
        Add(ref th, ref tl, L.Create(-1.0), L.Zero);
        tl -= L.Create(0.5) * th * th; // ln(1 + t)'s second-order term (y0 is not the correctly rounded ln)
        L yh = y0, yl = L.Zero;
        Add(ref yh, ref yl, th, tl);
        var ln2Hi = L.Create(DD.Ln2Hi);
        var eh2 = e * ln2Hi;
        var ee = L.Fma(e, ln2Hi, -eh2);
        Add(ref yh, ref yl, eh2, ee + e * L.Create(DD.Ln2Lo));
        outLo = yl;
        return yh;
    }

    /// <summary>2^k per lane for integer-valued k in [−1022, 1023] (the bits of 2⁵² + 1023 + k shifted into the
    /// exponent field).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static L Pow2<L>(L k) where L : struct, ILanes<L> => L.ShiftLeftBits(k + L.Create(1023.0 + 4503599627370496.0), 52);

    /// <summary>table[2j] and table[2j + 1] per lane, j an integer-valued double in [0, 64).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TableEntry<L>(double* table, L j, out L hi, out L lo) where L : struct, ILanes<L>
    {
        if (typeof(L) == typeof(Lane1))
        {
            int i = (int)j[0];
            hi = L.Create(table[2 * i]); lo = L.Create(table[2 * i + 1]);
            return;
        }
        double* h = stackalloc double[L.Count], l = stackalloc double[L.Count];
        for (int c = 0; c < L.Count; c++)
        {
            int i = (int)j[c];
            h[c] = table[2 * i]; l[c] = table[2 * i + 1];
        }
        hi = L.Load(h); lo = L.Load(l);
    }

    /// <summary>(hi + lo)·2^e rewritten per lane as (hi' + lo')·2^e' with hi' in [√½, √2] (hi &gt; 0 finite, subnormal
    /// allowed; e an integer-valued double): the prelude of <see cref="Log{L}"/>, by bit operations. hi' is exact; lo'
    /// = lo·2^(e − e') by two power-of-two products, exact unless lo' falls below 2⁻¹⁰²² (then within 2⁻¹⁰⁷⁴, far
    /// below the log's error).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LogReduce<L>(ref L hi, ref L lo, ref L e) where L : struct, ILanes<L>
    {
        // a subnormal hi is first scaled by 2⁵⁴ (exact) so that its exponent field is its exponent
        var sub = L.LessThan(hi, L.Create(2.2250738585072014E-308));
        var up = L.Select(sub, L.Create(18014398509481984.0), L.Create(1.0));
        hi *= up; lo *= up;
        // the biased exponent field as a double (2⁵² + field − 2⁵²), and the mantissa with exponent 0: hi = m·2^f
        var two52 = L.Create(4503599627370496.0);
        var field = (L.ShiftRightBits(hi, 52) | two52) - two52;
        var m = (hi & L.CreateBits(0x000F_FFFF_FFFF_FFFFUL)) | L.Create(1.0);
        var big = L.GreaterThan(m, L.Create(1.4142135623730951));
        hi = m * L.Select(big, L.Create(0.5), L.Create(1.0));
        var f = field - L.Create(1023.0) + L.Select(big, L.Create(1.0), L.Zero) - L.Select(sub, L.Create(54.0), L.Zero);
        e += f;
        // lo·2^−(f + the subnormal 54) = lo'·2^g1·2^g2 with g = −f split in halves, each within Pow2's range
        var g = -f - L.Select(sub, L.Create(54.0), L.Zero);
        var g1 = (g * L.Create(0.5) + L.Create(RoundMagic)) - L.Create(RoundMagic);
        lo = lo * Pow2(g1) * Pow2(g - g1);
    }

    private const double A1 = 2.0 / 3, A2 = 2.0 / 5, A3 = 2.0 / 7, A4 = 2.0 / 9, A5 = 2.0 / 11, A6 = 2.0 / 13,
        A7 = 2.0 / 15, A8 = 2.0 / 17, A9 = 2.0 / 19;

    /// <summary>ln m per lane for m in [√½, √2], the starting value of <see cref="Log{L}"/>: 2·atanh(s) with
    /// s = (m − 1)/(m + 1) (|s| ≤ 0.1716; m − 1 exact), the series to s¹⁹ (truncation ≲ 2⁻⁵⁵, rounding a few
    /// 2⁻⁵³ — the Newton step's t carries the rest).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static L LogStart<L>(L m) where L : struct, ILanes<L>
    {
        var one = L.Create(1.0);
        var s = (m - one) / (m + one);
        var z = s * s;
        var q = L.Fma(z, L.Fma(z, L.Fma(z, L.Fma(z, L.Fma(z, L.Fma(z, L.Fma(z, L.Fma(z, L.Create(A9), L.Create(A8)),
            L.Create(A7)), L.Create(A6)), L.Create(A5)), L.Create(A4)), L.Create(A3)), L.Create(A2)), L.Create(A1));
        return L.Fma(s * z, q, s + s);
    }

    /// <summary>(ah + al) / (bh + bl) per lane with <see cref="DD.Div"/>'s operations in its order, so each lane has
    /// its bits (one correction step, ≲ 2⁻¹⁰³ relative).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static L Div<L>(L ah, L al, L bh, L bl, out L lo) where L : struct, ILanes<L>
    {
        var q1 = ah / bh;
        var ph = Mul(q1, L.Zero, bh, bl, out var pl);
        var rh = TwoSum(ah, -ph, out var re);
        re += al - pl;
        var q2 = (rh + re) / bh;
        var ph2 = Mul(q2, L.Zero, bh, bl, out var pl2);
        var rh2 = TwoSum(rh, -ph2, out var re2);
        re2 += re - pl2;
        var q3 = (rh2 + re2) / bh;
        var h = FastTwoSum(q1, q2, out var l);
        l += q3;
        return FastTwoSum(h, l, out lo);
    }
    /// <summary>Relative error bound of <see cref="RootLite{L}"/> for order p: 2⁻⁶⁶·(1 + 1/|p|) (the analysis in its
    /// summary gives ≲ 2⁻⁶⁷/|p| + 2⁻⁶⁸; measured well below, <c>RootProofTests</c>).</summary>
    public static double RootLiteBound(double p) => 1.0 / (1L << 33) / (1L << 33) * (1 + 1 / Math.Abs(p));

    /// <summary>S^(1/p) = (hi' + lo')·2^k per lane for S = (hi + lo)·2^e (hi &gt; 0 finite, e an integer-valued double,
    /// |p| ≥ 1/8), in plain double arithmetic with a few exact (FMA) pairs instead of double-double ln and exp: relative
    /// error ≤ <see cref="RootLiteBound"/>, about six times cheaper than <see cref="Log{L}"/>, <see cref="Div{L}"/> and
    /// <see cref="Exp{L}"/>. hi' = fl(hi' + lo') lies in [0.97, 1.96].
    ///
    /// S = m·2^e with m ∈ [√½, √2] (<see cref="LogReduce{L}"/>); e/p = q + ρ/p with q the integer nearest e/p and
    /// ρ = e − q·p exact (one FMA: ρ is a multiple of p's last place below |p|), so S^(1/p) = 2^q·exp(x),
    /// x = (ρ·ln 2 + ln m)/p, |x| ≤ ln2/2 + ln√2/|p| — the error stays small however large |ln S| is.
    /// <list type="bullet">
    /// <item>ln m (<see cref="LnLite{L}"/>): m = 2^κ·m₁, m₁ ∈ [1, 2), κ ∈ {−1, 0}; r = m₁·c_j − 1 as an exact pair
    /// (<see cref="VecLogExp"/>'s 16 reduction factors, |r| ≤ 0.0303), ln m = κ·ln 2 − ln c_j + r − r²/2 + r³·P(r), P the
    /// Taylor terms to r¹³/13 (truncation ≤ 2⁻⁷³); r²/2 exact, r³P (≤ 2⁻¹⁶·⁶) in double: absolute error ≲ 2⁻⁶⁷.</item>
    /// <item>x as a pair, ρ·ln 2 by an exact product; z/p by one FMA remainder (≲ 2⁻¹⁰⁰ relative).</item>
    /// <item>exp(x) (<see cref="ExpLite{L}"/>): x = (16n + j)·ln2/16 + r, |r| ≤ ln2/32, exp(x) = 2ⁿ·2^(j/16)·(1 + r +
    /// r²/2 + r³·Q(r)), Q to r⁹/9! (truncation ≤ 2⁻⁷⁶), r²/2 exact, the table's double-double 2^(j/16): relative error
    /// ≲ 2⁻⁶⁸.</item>
    /// </list></summary>
    public static L RootLite<L>(L hi, L lo, L e, double p, out L outLo, out L k) where L : struct, ILanes<L>
    {
        LogReduce(ref hi, ref lo, ref e);
        var magic = L.Create(RoundMagic);
        var pl = L.Create(p);
        var q = (e * L.Create(1 / p) + magic) - magic;
        var rho = L.Fma(-q, pl, e); // exact
        var lh = LnLite(hi, lo, out var ll);
        var ln2 = L.Create(DD.Ln2Hi);
        var ah = rho * ln2;
        var ae = L.MulSub(rho, ln2, ah); // exact
        var zh = TwoSum(ah, lh, out var zl);
        zl += ae + L.Fma(rho, L.Create(DD.Ln2Lo), ll);
        var xh = zh / pl;
        var xl = (zl - L.MulSub(xh, pl, zh)) / pl; // zh − xh·p exact
        var h = ExpLite(xh, xl, out var l, out var n);
        k = n + q;
        return FastTwoSum(h, l, out outLo);
    }

    /// <summary>S^(−1/2) = (hi' + lo')·2^k per lane for S = (hi + lo)·2^e (hi &gt; 0 finite, |lo| ≤ ulp(hi)/2, e an
    /// integer-valued double) without ln and exp, for the order −2: S = m·2^(2q) with m ∈ [√½/2, 2√2] (LogReduce, then
    /// the odd exponent moved into m exactly), and <see cref="RecipSqrtStep{L}"/> of m: relative error ≤ 2⁻¹⁰⁰, far
    /// inside <see cref="RootLiteBound"/>(−2), so it serves wherever <see cref="RootLite{L}"/> does for p = −2 (one
    /// square root, one division and a few FMAs instead of the ln and exp chains).</summary>
    public static L RecipSqrtLite<L>(L hi, L lo, L e, out L outLo, out L k) where L : struct, ILanes<L>
    {
        LogReduce(ref hi, ref lo, ref e);
        var magic = L.Create(RoundMagic);
        var q = (e * L.Create(0.5) + magic) - magic; // an integer near e/2
        var m = Pow2(e - (q + q)); // 2^−1, 1 or 2: exact products
        k = -q;
        return RecipSqrtStep(hi * m, lo * m, out outLo);
    }

    /// <summary>S^(−2) = (hi' + lo')·2^k per lane for S = (hi + lo)·2^e (hi &gt; 0 finite, |lo| ≤ ulp(hi)/2, e an
    /// integer-valued double) without ln and exp, for the order −1/2: S = m·2^e (<see cref="LogReduce{L}"/>, m ∈ [√½, √2]),
    /// s = m² as sh = fl(hi²) and sl = fma(hi, hi, −sh) + 2·hi·lo (within ~2⁻¹⁰⁴ relative: lo² ≤ 2⁻¹⁰⁶ dropped, one
    /// rounding of a part ≤ 2⁻⁵² of s), y = fl(1/sh), d = fma(−sh, y, 1) − sl·y (|d| ≤ 2⁻⁵¹·⁴, error ≲ 2⁻¹⁰⁴), and one
    /// Newton step r = y + y·d: the dropped y·d² ≤ 2⁻¹⁰²·⁸ and the roundings (≲ 2⁻¹⁰⁴ each) leave ≤ 2⁻¹⁰¹ relative, far
    /// inside <see cref="RootLiteBound"/>(−1/2), so it serves wherever <see cref="RootLite{L}"/> does for p = −1/2
    /// (a division and a few FMAs instead of the ln and exp chains). r lies in [1/2, 2]; k = −2e.</summary>
    public static L RecipSquareLite<L>(L hi, L lo, L e, out L outLo, out L k) where L : struct, ILanes<L>
    {
        LogReduce(ref hi, ref lo, ref e);
        var one = L.Create(1.0);
        var sh = hi * hi;
        var sl = L.Fma(hi, hi, -sh) + (hi + hi) * lo;
        var y = one / sh;
        var d = L.Fma(-sh, y, one) - sl * y;
        k = L.Zero - (e + e);
        return FastTwoSum(y, y * d, out outLo);
    }

    /// <summary>(h + l)^(−1/2) as a normalised pair for h &gt; 0 normal and |l| ≤ ulp(h)/2, without ln and exp:
    /// y = fl(1/fl(√h)), within δ ≤ 1.5·2⁻⁵² of the root (h is S within 2⁻⁵³; two roundings), then one Newton step in
    /// double-double, r = y + (y/2)·d with d = 1 − S·y² (y² = y2 + y2e exactly by FMA, d = fma(−h, y2, 1) − h·y2e − l·y2):
    /// the step leaves 1.5δ² + O(δ³) ≤ 2⁻¹⁰¹·⁸ and d's roundings (|d| ≤ 2⁻⁵⁰·⁴: ≤ 3 roundings of 2⁻¹⁰³·⁴, with l·y2's
    /// ≤ 2⁻¹⁰⁶) add ≤ 2⁻¹⁰²; r normalised by Fast2Sum: relative error ≤ 2⁻¹⁰⁰.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static L RecipSqrtStep<L>(L h, L l, out L rl) where L : struct, ILanes<L>
    {
        var one = L.Create(1.0);
        var y = one / L.Sqrt(h);
        var y2 = y * y;
        var y2e = L.Fma(y, y, -y2);
        var d = L.Fma(-h, y2, one) - h * y2e - l * y2;
        var c = L.Create(0.5) * y * d;
        return FastTwoSum(y, c, out rl);
    }

    /// <summary>True per lane where (yh + yl) (a normalised pair, yh in the normal range) lies farther than
    /// rel·yh from every rounding midpoint of float64 near it (yh ± ulp/2, or yh − ulp/4 below a power of two): the
    /// lane version of <see cref="Midpoint.MaybeNear64"/>'s test, negated. The quarter-ulp distance is tested only
    /// where yh is a power of two (no significand bits): elsewhere both neighbours of yh are an ulp away, so no
    /// midpoint lies there, and testing it anyway doubled the lanes left undecided (the double-double root of
    /// <see cref="Engine.LanePow"/>'s vectors with such a lane was ~15 % of general p = 0.3 over rows of four).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static L Decided<L>(L yh, L yl, L rel) where L : struct, ILanes<L>
    {
        var half = (yh & L.CreateBits(0x7FF0_0000_0000_0000UL)) * L.Create(1.1102230246251565E-16); // ulp(yh)/2
        var a = L.Abs(yl);
        var tol = rel * yh;
        // the significand bits alone read as a double: +0 exactly for a power of two (a subnormal otherwise; were
        // subnormals read as zero, the lane would only be tested more)
        var pow2 = L.Equal(yh & L.CreateBits(0x000F_FFFF_FFFF_FFFFUL), L.Zero);
        return L.GreaterThan(L.Abs(a - half), tol) & (~pow2 | L.GreaterThan(L.Abs(a - half * L.Create(0.5)), tol));
    }

    private const double LP3 = 1.0 / 3, LP4 = -1.0 / 4, LP5 = 1.0 / 5, LP6 = -1.0 / 6, LP7 = 1.0 / 7, LP8 = -1.0 / 8,
        LP9 = 1.0 / 9, LP10 = -1.0 / 10, LP11 = 1.0 / 11, LP12 = -1.0 / 12, LP13 = 1.0 / 13;

    /// <summary>ln(hi + lo) as a pair for hi ∈ [√½, √2] (<see cref="RootLite{L}"/>'s ln m), absolute error ≲ 2⁻⁶⁷.</summary>
    internal static L LnLite<L>(L hi, L lo, out L outLo) where L : struct, ILanes<L>
    {
        var one = L.Create(1.0);
        var below = L.LessThan(hi, one);
        var m = L.Select(below, hi + hi, hi); // exact
        var lm = L.Select(below, lo + lo, lo);
        var kappa = L.Select(below, L.Create(-1.0), L.Zero);
        double* tab = VecLogExp.Tables;
        var j = L.ShiftRightBits(m, 48) & L.CreateBits(15);
        var c = L.Lookup16(tab + VecLogExp.LnC, j);
        var ph = m * c;
        var pe = L.MulSub(m, c, ph); // exact
        var rh = TwoSum(ph - one, L.Fma(lm, c, pe), out var rl); // ph − 1 exact (Sterbenz)
        var s2 = rh * rh;
        var s2e = L.MulSub(rh, rh, s2); // exact
        var bh = TwoSum(rh, s2 * L.Create(-0.5), out var be);
        var pr = L.Fma(rh, L.Create(LP13), L.Create(LP12));
        pr = L.Fma(rh, pr, L.Create(LP11)); pr = L.Fma(rh, pr, L.Create(LP10)); pr = L.Fma(rh, pr, L.Create(LP9));
        pr = L.Fma(rh, pr, L.Create(LP8)); pr = L.Fma(rh, pr, L.Create(LP7)); pr = L.Fma(rh, pr, L.Create(LP6));
        pr = L.Fma(rh, pr, L.Create(LP5)); pr = L.Fma(rh, pr, L.Create(LP4)); pr = L.Fma(rh, pr, L.Create(LP3));
        // −ln c_j + κ·ln 2: the 40-bit parts add exactly; the small terms first, r³·P last
        var a = L.Fma(kappa, L.Create(VecLogExp.Ln2Hi), L.Lookup16(tab + VecLogExp.LnTHi, j));
        var zh = TwoSum(a, bh, out var ze);
        var low = ((ze + be) + rl) - L.Create(0.5) * s2e - rh * rl + s2 * rl
                  + L.Fma(kappa, L.Create(VecLogExp.Ln2Lo), L.Lookup16(tab + VecLogExp.LnTLo, j));
        low += s2 * rh * pr;
        return TwoSum(zh, low, out outLo);
    }

    private const double EQ3 = 1.0 / 6, EQ4 = 1.0 / 24, EQ5 = 1.0 / 120, EQ6 = 1.0 / 720, EQ7 = 1.0 / 5040,
        EQ8 = 1.0 / 40320, EQ9 = 1.0 / 362880;

    /// <summary>e^(xh + xl) = (hi + lo)·2^n for |xh| ≤ 4 (<see cref="RootLite{L}"/>'s exp), relative error ≲ 2⁻⁶⁸;
    /// hi ∈ [0.97, 1.96].</summary>
    internal static L ExpLite<L>(L xh, L xl, out L lo, out L n) where L : struct, ILanes<L>
    {
        var t = L.Fma(xh, L.Create(VecLogExp.Inv16Ln2), L.Create(VecLogExp.Magic));
        var nn = t - L.Create(VecLogExp.Magic);
        var r1 = L.Fma(-nn, L.Create(VecLogExp.E16Hi), xh); // exact for |nn| < 2¹⁵
        var rh = TwoSum(r1, L.Fma(-nn, L.Create(VecLogExp.E16Lo), xl), out var rl);
        var s2 = rh * rh;
        var s2e = L.MulSub(rh, rh, s2); // exact
        var eh = FastTwoSum(rh, L.Create(0.5) * s2, out var ee);
        var qr = L.Fma(rh, L.Create(EQ9), L.Create(EQ8));
        qr = L.Fma(rh, qr, L.Create(EQ7)); qr = L.Fma(rh, qr, L.Create(EQ6)); qr = L.Fma(rh, qr, L.Create(EQ5));
        qr = L.Fma(rh, qr, L.Create(EQ4)); qr = L.Fma(rh, qr, L.Create(EQ3));
        var el = (((ee + rl) + L.Create(0.5) * s2e) + rh * rl + L.Create(0.5) * s2 * rl) + s2 * rh * qr;
        // 2^(j/16)·(1 + eh + el) = Th + Th·eh (exact pair) + Th·el + Tl·(1 + eh)
        var ji = t & L.CreateBits(15);
        double* tab = VecLogExp.Tables;
        var th = L.Lookup16(tab + VecLogExp.ExpTHi, ji);
        var tl = L.Lookup16(tab + VecLogExp.ExpTLo, ji);
        var ph = th * eh;
        var pe = L.MulSub(th, eh, ph); // exact
        var h = th + ph;
        lo = ((ph - (h - th)) + pe) + L.Fma(th, el, L.Fma(tl, eh, tl)); // Fast2Sum: Th ≥ 1 > |Th·eh|
        n = (nn - ((ji | L.CreateBits(VecLogExp.ExpBitsOf2P52)) - L.Create(VecLogExp.TwoP52))) * L.Create(1.0 / 16);
        return h;
    }
}
