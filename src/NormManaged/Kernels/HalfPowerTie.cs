using System.Numerics;

namespace NormManaged.Kernels;

/// <summary>Decides exactly on which side of a rounding midpoint m a half-integer p-norm (Σ|xᵢ|^p)^(1/p) lies, for
/// p = ±(k + ½), 0 ≤ k ≤ 64 — the rare finish of <see cref="Engine.RealPowOp"/> when its double-double value (within
/// ~2⁻⁷¹ of the norm) is too close to a midpoint of the result format for the rounding to be decided.
///
/// The norm is above m iff S = Σ tᵢ is above 1 (p &gt; 0; below for p &lt; 0), tᵢ = (aᵢ/m)^p = √Rᵢ with aᵢ = |xᵢ| ≠ 0
/// and Rᵢ = (aᵢ/m)^(2p) a positive rational (2p is an odd integer). Write √Rᵢ = qᵢ·√dᵢ with qᵢ &gt; 0 rational and dᵢ a
/// square-free integer. Square roots of distinct square-free integers are linearly independent over ℚ, so S = 1 = 1·√1
/// forces the coefficients of every dᵢ ≠ 1 to cancel — impossible, since they are sums of positive qᵢ. Hence S = 1
/// only if every Rᵢ is the square of a rational, i.e. (2p being odd) every aᵢ/m is.
/// <list type="number">
/// <item>If every aᵢ/m is a rational square (aᵢ = oᵢ·2^eᵢ, m = M·2^E with oᵢ, M odd: eᵢ − E even and oᵢ·M a perfect
/// square, tested in 128-bit integers), S is rational: it is summed exactly in big integers and compared with 1.</item>
/// <item>Otherwise S ≠ 1, and bounds ⌊tᵢ·2^W⌋ = ⌊√⌊Rᵢ·4^W⌋⌋ (exact integer square roots) give
/// Σ⌊tᵢ2^W⌋ ≤ S·2^W &lt; Σ(⌊tᵢ2^W⌋ + 1); W doubles until the interval excludes 2^W, which it must since S ≠ 1.</item>
/// </list>
/// The caller walks its line once per pass (a pass per W and one for the rational test; no buffer proportional to the
/// line). The cost is a few big-integer operations per element, paid only in the near-midpoint case.</summary>
internal sealed class HalfPowerTie
{
    private readonly int _n; // 2p, an odd integer
    private readonly long _m;
    private readonly int _e;

    /// <summary>Compares the p-norm with the midpoint <paramref name="mid"/>.</summary>
    public HalfPowerTie(double p, in Midpoint mid)
    {
        _n = (int)(2 * p);
        _m = mid.Odd;
        _e = mid.Exp;
    }

    /// <summary>True when <see cref="Engine.RealPowOp"/>'s p is one this class decides: ±(k + ½), k ≤ 64.</summary>
    public static bool Handles(double p)
    {
        double a = Math.Abs(p);
        return a <= 64.5 && a != Math.Floor(a) && 2 * a == Math.Floor(2 * a);
    }

    /// <summary>Walks the line, calling the callback with every element (any order; NaN, ∞ excluded by the caller).</summary>
    public delegate void Walk(Action<double> element);

    /// <summary>sign(norm − m).</summary>
    public int Compare(Walk walk)
    {
        int s = RationalSign(walk) ?? IntervalSign(walk);
        return _n > 0 ? s : -s;
    }

    /// <summary>sign(S − 1) when every aᵢ/m is a rational square, else null.</summary>
    private int? RationalSign(Walk walk)
    {
        bool square = true;
        BigInteger num = BigInteger.Zero, den = BigInteger.One;
        int an = Math.Abs(_n);
        walk(x =>
        {
            if (!square || x == 0) return;
            Split(x, out long o, out int e);
            if (((e - _e) & 1) != 0 || !IsSquare((UInt128)(ulong)o * (ulong)_m, out ulong b)) { square = false; return; }
            // √(aᵢ/m) = b/M · 2^h, h = (e − E)/2; tᵢ = (b/M)^n · 2^(n·h)
            int h = (e - _e) / 2;
            BigInteger bb = b, mm = _m;
            BigInteger tn = BigInteger.Pow(_n > 0 ? bb : mm, an), td = BigInteger.Pow(_n > 0 ? mm : bb, an);
            long sh = (long)_n * h;
            if (sh >= 0) tn <<= (int)sh; else td <<= (int)-sh;
            BigInteger g = BigInteger.GreatestCommonDivisor(den, td);
            num = num * (td / g) + tn * (den / g);
            den = den / g * td;
        });
        return square ? num.CompareTo(den) : null;
    }

    private int IntervalSign(Walk walk)
    {
        long count = 0;
        walk(x => { if (x != 0) count++; });
        int w = 64 + (int)BigInteger.Log(count + 1, 2) + 2;
        double log2M = Math.Log2(_m);
        while (true)
        {
            BigInteger lo = BigInteger.Zero;
            walk(x =>
            {
                if (x == 0) return;
                Split(x, out long o, out int e);
                // log2 tᵢ ≈ (n/2)·(log2 o + e − E − log2 M); far below 2^−W the floor is 0
                double l2 = _n * 0.5 * (Math.Log2(o) + (e - _e) - log2M);
                if (l2 < -w - 4) return;
                long sh = (long)_n * (e - _e) + 2L * w; // Rᵢ·4^W = (o/M)^n · 2^sh
                int an = Math.Abs(_n);
                BigInteger rn = BigInteger.Pow(_n > 0 ? o : _m, an), rd = BigInteger.Pow(_n > 0 ? _m : o, an);
                if (sh >= 0) rn <<= (int)sh; else rd <<= (int)-sh;
                lo += ISqrt(rn / rd);
            });
            BigInteger one = BigInteger.One << w;
            if (lo > one) return 1;
            if (lo + count <= one) return -1;
            w *= 2;
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
        BigInteger r = BigInteger.One << (int)((bits + 1) / 2); // ≥ √x
        while (true)
        {
            BigInteger y = (r + x / r) >> 1;
            if (y >= r) return r;
            r = y;
        }
    }
}
