using System.Numerics;

namespace NormManaged.Kernels;

/// <summary>Decides exactly on which side of a rounding midpoint m a real p-norm (Σ|xᵢ|^p)^(1/p) lies, for the orders
/// p = k/2, 0 &lt; |p| ≤ 64.5 (whole and half-integer) — the rare finish of <see cref="Engine.RealPowOp"/> and
/// <see cref="Engine.IntPowOp"/> when their double-double value (within ~2⁻⁷¹ of the norm) is too close to a midpoint
/// of the result format for the rounding to be decided.
///
/// The norm is above m iff S = Σ tᵢ is above 1 (p &gt; 0; below for p &lt; 0), tᵢ = (aᵢ/m)^p with aᵢ = |xᵢ| ≠ 0.
/// <list type="bullet">
/// <item>Whole p: every tᵢ is rational. p = 1 first sums a₁ + … + aₙ − m exactly as a floating-point expansion (a few
/// error-free additions per element, no allocation: exact midpoints are common for sums of a few doubles); p &gt; 0
/// sums the tᵢ over the common denominator M^p·2^k in big integers; p &lt; 0 first tries the integer bounds below
/// (whose denominators stay fixed), then sums the fractions exactly.</item>
/// <item>Half-integer p: tᵢ = √Rᵢ with Rᵢ = (aᵢ/m)^(2p) a positive rational (2p odd). Write √Rᵢ = qᵢ·√dᵢ with qᵢ &gt; 0
/// rational and dᵢ a square-free integer. Square roots of distinct square-free integers are linearly independent over
/// ℚ, so S = 1 = 1·√1 forces the coefficients of every dᵢ ≠ 1 to cancel — impossible, since they are sums of positive
/// qᵢ. Hence S = 1 only if every Rᵢ is the square of a rational, i.e. (2p being odd) every aᵢ/m is. If so (aᵢ = oᵢ·2^eᵢ,
/// m = M·2^E with oᵢ, M odd: eᵢ − E even and oᵢ·M a perfect square, tested in 128-bit integers), S is rational and
/// summed exactly; otherwise S ≠ 1 and the bounds below must separate it from 1.</item>
/// <item>Bounds: ⌊tᵢ·2^W⌋ (an exact big-integer quotient, and for half-integers an exact integer square root of
/// ⌊Rᵢ·4^W⌋) give Σ⌊tᵢ2^W⌋ ≤ S·2^W &lt; Σ(⌊tᵢ2^W⌋ + 1); W doubles until the interval excludes 2^W.</item>
/// </list>
/// The caller walks its line once per pass (no buffer proportional to the line). The cost is a few big-integer
/// operations per element, paid only in the near-midpoint case.</summary>
internal sealed class PowerTie
{
    private readonly int _n; // 2p
    private readonly long _m;
    private readonly int _e;

    /// <summary>Compares the p-norm with the midpoint <paramref name="mid"/>.</summary>
    public PowerTie(double p, in Midpoint mid)
    {
        _n = (int)(2 * p);
        _m = mid.Odd;
        _e = mid.Exp;
    }

    /// <summary>True for the orders this class decides: p = k/2 ≠ 0, |p| ≤ 64.5.</summary>
    public static bool Handles(double p)
    {
        double a = Math.Abs(p);
        return a <= 64.5 && a != 0 && 2 * a == Math.Floor(2 * a);
    }

    /// <summary>Walks the line, calling the callback with every element (any order; NaN, ∞ excluded by the caller).</summary>
    public delegate void Walk(Action<double> element);

    /// <summary>sign(norm − m).</summary>
    public int Compare(Walk walk)
    {
        int s;
        if (_n == 2) s = SumSign(walk) ?? RationalSign(walk)!.Value;
        else if (WordSign(walk) is int w) s = w;
        else if ((_n & 1) != 0) s = RationalSign(walk) ?? IntervalSign(walk, int.MaxValue)!.Value;
        else if (_n > 0) s = RationalSign(walk)!.Value;
        else s = IntervalSign(walk, 4) ?? RationalSign(walk)!.Value;
        return _n > 0 ? s : -s;
    }

    /// <summary>sign(Σ|xᵢ| − m) for n float64, float32 or float16 elements <paramref name="stride"/> bytes apart (p = 1),
    /// or null for other dtypes or when <see cref="ExactSum"/> cannot tell.</summary>
    public static unsafe int? SumSign(byte* x, long n, long stride, DType t, in Midpoint mid)
    {
        if (t is not (DType.Float64 or DType.Float32 or DType.Float16)) return null;
        var sum = new ExactSum(stackalloc double[ExpansionCapacity], mid);
        for (long i = 0; i < n; i++, x += stride)
            sum.Add(t == DType.Float64 ? *(double*)x : t == DType.Float32 ? *(float*)x : (double)*(Half*)x);
        return sum.Sign;
    }

    /// <summary>Σ|xᵢ| − m, exactly, as a floating-point expansion in a caller's buffer of
    /// <see cref="ExpansionCapacity"/> doubles (no allocation).</summary>
    internal ref struct ExactSum
    {
        private readonly Span<double> _e;
        private int _len;
        private bool _ok;

        public ExactSum(Span<double> buffer, in Midpoint mid)
        {
            _e = buffer;
            _len = 0;
            _ok = StartExpansion(buffer, ref _len, mid);
        }

        /// <summary>Adds |v|.</summary>
        public void Add(double v)
        {
            if (_ok) _ok = Grow(_e, ref _len, Math.Abs(v));
        }

        /// <summary>sign(Σ|xᵢ| − m), or null when the expansion outgrew its buffer, met a non-finite value, or m was
        /// not two doubles.</summary>
        public readonly int? Sign => _ok ? ExpansionSign(_e, _len) : null;
    }

    private int? SumSign(Walk walk)
    {
        var e = new double[ExpansionCapacity];
        int len = 0;
        bool ok = StartExpansion(e, ref len, new Midpoint { Odd = _m, Exp = _e });
        if (ok) walk(v => { if (ok) ok = Grow(e, ref len, Math.Abs(v)); });
        return ok ? ExpansionSign(e, len) : null;
    }

    /// <summary>Components an expansion may hold before the exact sum falls back to big integers (a sum of doubles of
    /// a few exponents needs two or three).</summary>
    internal const int ExpansionCapacity = 40;

    /// <summary>Puts −m into the expansion as −(M − 1)·2^E − 2^E (both doubles when 2^E is one); false otherwise.</summary>
    private static bool StartExpansion(Span<double> e, ref int len, in Midpoint mid)
    {
        if (mid.Exp < -1074 || mid.Exp > 1023 - 54) return false;
        double unit = mid.Exp >= -1022 ? BitConverter.Int64BitsToDouble((long)(mid.Exp + 1023) << 52) : Math.ScaleB(1.0, mid.Exp);
        return Grow(e, ref len, -unit) && Grow(e, ref len, -(mid.Odd - 1) * unit);
    }

    /// <summary>Adds b to the nonoverlapping expansion e[0..len) (increasing magnitude, zeros eliminated) with error-free
    /// additions: the result is again such an expansion of the exact sum. False when it would not fit or b is not finite.</summary>
    private static bool Grow(Span<double> e, ref int len, double b)
    {
        double q = b;
        int k = 0;
        for (int i = 0; i < len; i++)
        {
            q = DD.TwoSum(q, e[i], out double h);
            if (h != 0) e[k++] = h;
        }
        if (!double.IsFinite(q)) return false;
        if (q != 0)
        {
            if (k == e.Length) return false;
            e[k++] = q;
        }
        len = k;
        return true;
    }

    /// <summary>The sign of an expansion: that of its largest component (the others sum to less than its ulp).</summary>
    private static int ExpansionSign(ReadOnlySpan<double> e, int len) => len == 0 ? 0 : Math.Sign(e[len - 1]);

    /// <summary>sign(S − 1) from S = Σ tᵢ in double-double arithmetic, or null when S lies within the bound below of 1
    /// (an exact tie among them) or a value leaves the range. rᵢ = aᵢ/m (p &gt; 0) or m/aᵢ (p &lt; 0): both ≤ ~1 near a
    /// tie, so the powers only underflow (absolute errors far below the bound), by one division (≲ 2⁻¹⁰³ relative,
    /// <see cref="DD.Div"/>), tᵢ = rᵢ^⌊|p|⌋ by binary powering (≤ 12 products of ≲ 2⁻¹⁰³·⁷ each) times √rᵢ for a
    /// half-integer (≲ 2⁻¹⁰⁴ plus half rᵢ's error): tᵢ within (|p| + 14)·2⁻¹⁰² relative; the sum of n positive
    /// double-doubles ≲ 5·2⁻¹⁰⁶ relative an addition. So S̃ is within (|p| + 14 + n)·2⁻¹⁰² of S, and a difference from 1
    /// beyond twice that decides. Near-midpoint lines (1 in ~2¹⁴ of random data, within 2⁻⁶⁸) are decided here in
    /// ~0.1 µs a value; the big-integer bounds below took ~1.5 µs a value twice over (a float64 line of 600 values at
    /// ord 1.5: 2.2 ms).</summary>
    private int? WordSign(Walk walk)
    {
        if (_e < -1000 || _e > 960) return null;
        double mh = _m, ml = _m - (long)mh; // M < 2⁵⁵: hi rounded, the rest exact
        mh = Math.ScaleB(mh, _e); ml = Math.ScaleB(ml, _e);
        int k = Math.Abs(_n) / 2;
        bool half = (_n & 1) != 0, neg = _n < 0;
        double sh = 0, sl = 0;
        long count = 0;
        walk(x =>
        {
            if (x == 0) return;
            count++;
            double a = Math.Abs(x), rh, rl;
            rh = neg ? DD.Div(mh, ml, a, 0, out rl) : DD.Div(a, 0, mh, ml, out rl);
            double th = Engine.GeneralNorm.PowInt(rh, rl, k, out double tl);
            if (half && rh > 0)
            {
                double qh = DD.Sqrt(rh, rl, out double ql);
                th = DD.Mul(th, tl, qh, ql, out tl);
            }
            else if (half) th = tl = 0; // rᵢ underflowed: a term far below the bound
            DD.Add(ref sh, ref sl, th, tl);
        });
        if (!double.IsFinite(sh) || !double.IsFinite(sl) || count == 0) return null;
        double d = (sh - 1) + sl; // sh − 1 exact (Sterbenz) near 1; far from 1 the sign is plain
        double bound = 2 * (Math.Abs(_n) * 0.5 + 14 + count) * Math.ScaleB(1.0, -102) * Math.Max(1, sh);
        return d > bound ? 1 : d < -bound ? -1 : null;
    }

    /// <summary>sign(S − 1) when S is rational (whole p, or a half-integer p whose every aᵢ/m is a rational square),
    /// else null.</summary>
    private int? RationalSign(Walk walk)
    {
        bool rational = true;
        BigInteger num = BigInteger.Zero, den = BigInteger.One;
        bool half = (_n & 1) != 0;
        int j = half ? _n : _n / 2, aj = Math.Abs(j);
        walk(x =>
        {
            if (!rational || x == 0) return;
            Split(x, out long o, out int e);
            BigInteger bb, mm = _m;
            long sh;
            if (half)
            {
                // √(aᵢ/m) = b/M · 2^h, h = (e − E)/2; tᵢ = (b/M)^n · 2^(n·h)
                if (((e - _e) & 1) != 0 || !IsSquare((UInt128)(ulong)o * (ulong)_m, out ulong b)) { rational = false; return; }
                bb = b;
                sh = (long)_n * ((e - _e) / 2);
            }
            else
            {
                bb = o; // tᵢ = (o/M)^(n/2) · 2^((n/2)(e − E))
                sh = (long)j * (e - _e);
            }
            BigInteger tn = BigInteger.Pow(j > 0 ? bb : mm, aj), td = BigInteger.Pow(j > 0 ? mm : bb, aj);
            if (sh >= 0) tn <<= (int)sh; else td <<= (int)-sh;
            BigInteger g = BigInteger.GreatestCommonDivisor(den, td);
            num = num * (td / g) + tn * (den / g);
            den = den / g * td;
        });
        return rational ? num.CompareTo(den) : null;
    }

    /// <summary>sign(S − 1) from integer bounds on S·2^W, W doubling up to <paramref name="maxRounds"/> times; null when
    /// they never excluded 1 (possible only for a rational S = 1).</summary>
    private int? IntervalSign(Walk walk, int maxRounds)
    {
        long count = 0;
        walk(x => { if (x != 0) count++; });
        int w = 64 + (int)BigInteger.Log(count + 1, 2) + 2;
        double log2M = Math.Log2(_m);
        bool half = (_n & 1) != 0;
        int j = half ? _n : _n / 2, aj = Math.Abs(j);
        // a line of repeated values (np.ones, small integers, a few distinct values) pays each distinct |x| once per
        // round: equal elements have equal floors, so Σ⌊tᵢ2^W⌋ is the same integer (float64 (1000, 64) ord 1.5 rows
        // of four repeated values spent ~30 % of their time here, 64 big-integer roots a near-midpoint line)
        var seen = new Dictionary<long, BigInteger>();
        for (int round = 0; round < maxRounds; round++)
        {
            BigInteger lo = BigInteger.Zero;
            seen.Clear();
            walk(x =>
            {
                if (x == 0) return;
                long key = BitConverter.DoubleToInt64Bits(x) & long.MaxValue;
                if (seen.TryGetValue(key, out BigInteger known)) { lo += known; return; }
                BigInteger term = Term(x);
                seen[key] = term;
                lo += term;
            });
            BigInteger one = BigInteger.One << w;
            if (lo > one) return 1;
            if (lo + count <= one) return -1;
            w *= 2;
        }
        return null;

        // ⌊tᵢ·2^W⌋ of one element (⌊√(Rᵢ·4^W)⌋ for half-integers), 0 far below 2^−W
        BigInteger Term(double x)
        {
                Split(x, out long o, out int e);
                // log2 tᵢ ≈ (n/2)·(log2 o + e − E − log2 M); far below 2^−W the floor is 0
                double l2 = _n * 0.5 * (Math.Log2(o) + (e - _e) - log2M);
                if (l2 < -w - 4) return BigInteger.Zero;
                // half-integers: Rᵢ·4^W = (o/M)^n · 2^(n(e−E) + 2W), then the root; whole p: tᵢ·2^W directly
                long sh = (long)j * (e - _e) + (half ? 2L : 1L) * w;
                BigInteger rn = BigInteger.Pow(j > 0 ? o : _m, aj), rd = BigInteger.Pow(j > 0 ? _m : o, aj);
                if (sh >= 0) rn <<= (int)sh; else rd <<= (int)-sh;
                return half ? ISqrt(rn / rd) : rn / rd;
        }
    }

    /// <summary>x = o·2^e with o odd (x finite, nonzero; sign ignored).</summary>
    internal static void Split(double x, out long o, out int e)
    {
        long bits = BitConverter.DoubleToInt64Bits(x) & long.MaxValue;
        int be = (int)(bits >> 52);
        long mant = bits & ((1L << 52) - 1);
        if (be == 0) e = -1074; else { mant |= 1L << 52; e = be - 1075; }
        int tz = BitOperations.TrailingZeroCount(mant);
        o = mant >> tz;
        e += tz;
    }

    /// <summary>True when v is a perfect square (its root in <paramref name="root"/>).</summary>
    internal static bool IsSquare(UInt128 v, out ulong root)
    {
        ulong s = (ulong)Math.Sqrt((double)v);
        while ((UInt128)s * s > v) s--;
        while ((UInt128)(s + 1) * (s + 1) <= v) s++;
        root = s;
        return (UInt128)s * s == v;
    }

    /// <summary>⌊√x⌋ of a non-negative big integer (Newton's iteration from above).</summary>
    internal static BigInteger ISqrt(BigInteger x)
    {
        if (x.Sign <= 0) return BigInteger.Zero;
        long bits = (long)x.GetBitLength();
        // start at r ≥ √x from the top ≤ 100 bits: x = t·2^s + rest (s even) < (t + 1)·2^s, so
        // √x < √(t + 1)·2^(s/2) ≤ (⌊d·(1 + 2⁻⁴⁰)⌋ + 2)·2^(s/2) for d = fl(√fl(t)) (two roundings, ≤ 2⁻⁵² relative, and
        // √(t + 1) − √t < 1). The iteration from above then returns ⌊√x⌋ from any r ≥ √x (bits unchanged; it only
        // starts closer: 2–3 divisions instead of ~log₂ bits from the power of two above)
        int s = (int)Math.Max(0, bits - 100) & ~1;
        double d = Math.Sqrt((double)(x >> s));
        BigInteger r = (new BigInteger(Math.Floor(d * (1 + Math.ScaleB(1.0, -40)))) + 2) << (s / 2);
        while (true)
        {
            BigInteger y = (r + x / r) >> 1;
            if (y >= r) return r;
            r = y;
        }
    }
}
