using System.Collections.Concurrent;
using System.Numerics;

namespace NormManaged.Kernels;

/// <summary>Decides on which side of a rounding midpoint m a p-norm (Σ|xᵢ|^p)^(1/p) lies for ANY finite order
/// p ≠ 0 (|p| within [<see cref="MinAbsP"/>, <see cref="MaxAbsP"/>]) and real or complex elements — the second stage
/// (after Ziv) of the float32/float16 results of <see cref="Engine.GeneralNorm"/>, whose double-double value (within
/// ~2⁻⁹⁵ of the norm) cannot decide the rounding when the norm lies closer than that to a midpoint. Whole and
/// half-integer orders of real elements have an exact decision (<see cref="PowerTie"/>); every other case comes here.
///
/// <para>As in <see cref="PowerTie"/>, the norm is above m iff S = Σ tᵢ is above 1 for p &gt; 0 (below 1 for p &lt; 0),
/// with tᵢ = (qᵢ/m²)^(p/2) and qᵢ = |xᵢ|² = re² + im² — an exact dyadic rational (a big integer times a power of two)
/// for every double element. Every tᵢ is computed in big-integer fixed point with F fractional bits as
/// exp((p/2)·(ln qᵢ − ln m²)): ln of a dyadic o·2ᵉ as 2·atanh((f − 1)/(f + 1)) for its significand f ∈ [1/√2, √2]
/// (a series in t² ≤ 0.03) plus k·ln 2 (ln 2 = 2·atanh(1/3), computed to F bits once per F); exp(y) for the reduced
/// y − j·ln 2 ∈ [0, ln 2) by its Taylor series, times 2ʲ. Each operation truncates by at most one unit 2⁻ᶠ; the series
/// add at most one unit per term (≤ F terms), the k·ln 2 and j·ln 2 products |k|, |j| ≤ 2¹² units of ln 2's error
/// (≤ F units), and the product by p/2 scales the error of ln qᵢ − ln m² by |p|/2: with tᵢ ≤ 1 + 2⁻²⁰ (m lies within
/// 2⁻⁹⁰ of the norm, and no single term exceeds the norm's p-th power) every computed tᵢ lies within
/// (|p| + 1)·2¹⁵·F units of the true one. F = W + 40 + ⌈log₂(|p| + 1)⌉ (W ≤ 2¹¹) makes that ≤ 2⁻ᵂ⁻⁸ — so the exact S
/// lies within n·2⁻ᵂ of the computed sum. A term whose double estimate of log₂ tᵢ (good to far better than one unit
/// at these magnitudes) is below −(W + log₂ n + 16) is bounded by 2⁻ᵂ⁻¹⁶/n instead of computed.</para>
///
/// <para>W starts at 128 + log₂ n and doubles until the interval excludes 1 (Ziv's strategy); a norm exactly at m
/// (possible: a complex64 line of one value whose modulus is a float32 midpoint, or (a/m)^p rational) never
/// separates, and after W = 4096 is taken as the tie it almost surely is (side 0: ties to even). Rare by construction
/// (~2⁻⁶⁵ of random float32 results come within the first stage's margin), so speed is secondary: a few big-integer
/// series per element and round.</para></summary>
internal static class GeneralTie
{
    /// <summary>Smallest |p| decided (the root S^(1/p) amplifies errors by 1/|p| beyond this).</summary>
    public const double MinAbsP = 1.0 / (1 << 20);
    /// <summary>Largest |p| decided.</summary>
    public const double MaxAbsP = 1 << 20;
    private const int MaxW = 4096;

    /// <summary>True for the orders decided here.</summary>
    public static bool Handles(double p)
    {
        double a = Math.Abs(p);
        return a >= MinAbsP && a <= MaxAbsP;
    }

    /// <summary>A line's elements: each call of the callback gets one element as (re, im); im = 0 for real elements.</summary>
    public delegate void Walk(Action<double, double> element);

    /// <summary>sign(norm − m) for the nonzero finite elements of <paramref name="walk"/> (zeros are skipped; NaN and ∞
    /// excluded by the caller; p &lt; 0 with a zero element decided by the caller).</summary>
    public static int Compare(double p, in Midpoint mid, Walk walk)
    {
        long n = 0;
        walk((re, im) => { if (re != 0 || im != 0) n++; });
        if (n == 0) return -1; // an empty sum: norm 0 (p > 0); the caller never asks for p < 0
        int logn = 64 - BitOperations.LeadingZeroCount((ulong)n);
        // m² = Odd²·2^(2·Exp)
        var m2 = new Dyadic(BigInteger.Pow(mid.Odd, 2), 2L * mid.Exp);
        double log2m2 = m2.Log2Estimate();
        // p = P·2^s exactly (P odd), and p/2 = P·2^(s − 1)
        PowerTie.Split(p, out long pOdd, out int pExp);
        if (p < 0) pOdd = -pOdd;
        int pBits = (int)Math.Ceiling(Math.Log2(Math.Abs(p) + 1));
        for (int w = 128 + logn; w <= MaxW; w *= 2)
        {
            int f = w + 40 + pBits;
            BigInteger ln2 = Ln2(f);
            BigInteger lnM2 = Ln(m2, f, ln2);
            BigInteger one = BigInteger.One << f;
            BigInteger sum = BigInteger.Zero;
            long skipped = 0;
            double cut = -(w + logn + 16);
            walk((re, im) =>
            {
                if (re == 0 && im == 0) return;
                var q = Dyadic.Square(re, im);
                if (0.5 * p * (q.Log2Estimate() - log2m2) < cut) { skipped++; return; }
                BigInteger d = Ln(q, f, ln2) - lnM2;
                BigInteger y = d * pOdd; // (ln q − ln m²)·P, then ·2^(s − 1)
                int sh = pExp - 1;
                y = sh >= 0 ? y << sh : y >> -sh;
                sum += Exp(y, f, ln2);
            });
            // |S − sum·2^−f| ≤ n·2^−w (every term, skipped ones included, within 2^−w of itself)
            BigInteger tol = (BigInteger)n << (f - w);
            int side;
            if (sum - tol > one) side = 1;
            else if (sum + tol < one) side = -1;
            else continue;
            return p > 0 ? side : -side;
        }
        return 0;
    }

    private static readonly ConcurrentDictionary<int, BigInteger> Ln2Cache = new();

    /// <summary>ln 2 in fixed point with f fractional bits (within f units).</summary>
    private static BigInteger Ln2(int f) => Ln2Cache.GetOrAdd(f, b => 2 * AtanhFixed((BigInteger.One << b) / 3, b));

    /// <summary>ln v for a positive dyadic v, with f fractional bits.</summary>
    private static BigInteger Ln(in Dyadic v, int f, BigInteger ln2)
    {
        long len = (long)v.Odd.GetBitLength();
        // v = g·2^k with g = Odd/2^(len−1) ∈ [1, 2); then g ∈ [1/√2, √2) by halving the upper part
        long k = v.Exp + len - 1;
        BigInteger g = len - 1 <= f ? v.Odd << (int)(f - (len - 1)) : v.Odd >> (int)(len - 1 - f);
        BigInteger one = BigInteger.One << f;
        // √2 ≈ 1.41421356: compare g·10⁸ with 141421356·2^f (exactness here only moves g within [1/√2, √2] a hair)
        if (g * 100_000_000 > one * 141_421_356) { g >>= 1; k++; }
        // ln g = 2·atanh((g − 1)/(g + 1))
        BigInteger lnG = 2 * AtanhFixed(((g - one) << f) / (g + one), f);
        return lnG + k * ln2;
    }

    /// <summary>atanh(t) = Σ t^(2k+1)/(2k+1) for a fixed-point t (|t| ≤ 1/3) with f fractional bits.</summary>
    private static BigInteger AtanhFixed(BigInteger t, int f)
    {
        if (t.Sign < 0) return -AtanhFixed(-t, f); // odd; the series below truncates toward 0 on t ≥ 0
        BigInteger t2 = (t * t) >> f;
        BigInteger pow = t, sum = t;
        for (int k = 1; ; k++)
        {
            pow = (pow * t2) >> f;
            if (pow.IsZero) return sum;
            sum += pow / (2 * k + 1);
        }
    }

    /// <summary>e^y for a fixed-point y (y ≤ about 2⁻²⁰; far negative y gives 0), with f fractional bits.</summary>
    private static BigInteger Exp(BigInteger y, int f, BigInteger ln2)
    {
        // j = ⌊y / ln 2⌋, r = y − j·ln 2 ∈ [0, ln 2)
        BigInteger j = BigInteger.Divide(y, ln2);
        if (y.Sign < 0 && j * ln2 != y) j -= 1;
        if (j < -(f + 2)) return BigInteger.Zero; // e^y < 2^−(f+1)
        BigInteger r = y - j * ln2;
        BigInteger one = BigInteger.One << f;
        BigInteger term = one, sum = one;
        for (int i = 1; ; i++)
        {
            term = ((term * r) >> f) / i;
            if (term.IsZero) break;
            sum += term;
        }
        int jj = (int)j;
        return jj >= 0 ? sum << jj : sum >> -jj;
    }

    /// <summary>A positive dyadic rational Odd·2^Exp (Odd a positive big integer, not necessarily odd).</summary>
    private readonly struct Dyadic
    {
        public readonly BigInteger Odd;
        public readonly long Exp;
        public Dyadic(BigInteger odd, long exp) { Odd = odd; Exp = exp; }

        /// <summary>re² + im², exactly (not both zero).</summary>
        public static Dyadic Square(double re, double im)
        {
            if (im == 0) return Sq(re);
            if (re == 0) return Sq(im);
            Dyadic a = Sq(re), b = Sq(im);
            long e = Math.Min(a.Exp, b.Exp);
            return new Dyadic((a.Odd << (int)(a.Exp - e)) + (b.Odd << (int)(b.Exp - e)), e);
        }

        private static Dyadic Sq(double x)
        {
            PowerTie.Split(x, out long o, out int e);
            return new Dyadic((BigInteger)o * o, 2L * e);
        }

        /// <summary>log₂ of the value, to double precision (for the skip test only).</summary>
        public double Log2Estimate()
        {
            long len = (long)Odd.GetBitLength();
            int drop = (int)Math.Max(0, len - 60);
            return Math.Log2((double)(Odd >> drop)) + drop + Exp;
        }
    }
}
