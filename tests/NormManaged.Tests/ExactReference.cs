using System.Numerics;

namespace NormManaged.Tests;

/// <summary>Exact references computed with big integers: every double is m·2^e with integer m, so
/// Σxᵢ² is an exact integer times a power of two, and its square root can be rounded correctly
/// from an integer square root with a sticky bit.</summary>
public static class ExactReference
{
    /// <summary>Decomposes a finite double into m·2^e (m a signed integer).</summary>
    public static (BigInteger m, int e) Split(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        int exp = (int)((bits >> 52) & 0x7FF);
        long frac = bits & 0xFFFFFFFFFFFFFL;
        long m = exp == 0 ? frac : frac | (1L << 52);
        int e = exp == 0 ? -1074 : exp - 1075;
        return (x < 0 ? -m : m, e);
    }

    /// <summary>Σ x² exactly, as S·2^E.</summary>
    public static (BigInteger S, int E) SumOfSquares(IEnumerable<double> xs)
    {
        var parts = xs.Select(Split).Where(p => !p.m.IsZero).ToList();
        if (parts.Count == 0) return (BigInteger.Zero, 0);
        int e0 = parts.Min(p => 2 * p.e);
        BigInteger s = BigInteger.Zero;
        foreach (var (m, e) in parts) s += (m * m) << (2 * e - e0);
        return (s, e0);
    }

    /// <summary>The correctly rounded double of √(S·2^E).</summary>
    public static double Sqrt(BigInteger s, int e)
    {
        if (s.IsZero) return 0.0;
        if ((e & 1) != 0) { s <<= 1; e -= 1; }
        // scale so the integer root has at least 80 bits
        int shift = Math.Max(0, 170 - (int)s.GetBitLength());
        if ((shift & 1) != 0) shift++;
        BigInteger t = s << shift;
        BigInteger q = ISqrt(t);
        bool inexact = q * q != t;
        return RoundToDouble(q, inexact, e / 2 - shift / 2);
    }

    /// <summary>Correctly rounded Euclidean norm of the doubles.</summary>
    public static double Norm2(IEnumerable<double> xs)
    {
        var (s, e) = SumOfSquares(xs);
        return Sqrt(s, e);
    }

    public static BigInteger ISqrt(BigInteger n)
    {
        if (n.IsZero) return n;
        BigInteger x = BigInteger.One << (int)((n.GetBitLength() + 1) / 2);
        while (true)
        {
            BigInteger y = (x + n / x) >> 1;
            if (y >= x) return x;
            x = y;
        }
    }

    /// <summary>Nearest double (ties to even) to (q + δ)·2^k where δ ∈ (0,1) if <paramref name="sticky"/>, else 0.</summary>
    public static double RoundToDouble(BigInteger q, bool sticky, int k)
    {
        if (q.IsZero) return 0.0;
        int len = (int)q.GetBitLength();
        int topExp = len - 1 + k;                 // exponent of the leading bit
        int lsbExp = Math.Max(topExp - 52, -1074); // exponent of the last kept bit
        if (topExp > 1023) return double.PositiveInfinity;
        int drop = lsbExp - k;
        BigInteger kept;
        if (drop <= 0) kept = q << -drop;
        else
        {
            kept = q >> drop;
            BigInteger rem = q - (kept << drop);
            BigInteger half = BigInteger.One << (drop - 1);
            int cmp = rem.CompareTo(half);
            if (cmp > 0 || (cmp == 0 && sticky) || (cmp == 0 && !sticky && !kept.IsEven)) kept += 1;
        }
        if (drop <= 0 && sticky) { /* exact bits kept, δ < one unit of q: below half of the last kept bit */ }
        return Math.ScaleB((double)kept, lsbExp); // kept < 2^54, exact conversion; scaling exact
    }

    /// <summary>Error of <paramref name="got"/> in ulps of the exact value √(S·2^E), as a double (for reports).</summary>
    public static double UlpError(double got, BigInteger s, int e)
    {
        double want = Sqrt(s, e);
        if (got == want) return 0;
        if (double.IsInfinity(got) || got == 0) return double.PositiveInfinity;
        double ulp = Math.BitIncrement(want) - want;
        return Math.Abs(got - want) / ulp;
    }
}
