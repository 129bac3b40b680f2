using System.Numerics;
using System.Runtime.CompilerServices;

namespace NormManaged.Kernels;

/// <summary>A non-negative magnitude with a double-double significand and a wide binary exponent:
/// value = (H + L)·2^E with H in [1, 2) when finite and nonzero; H = 0 for zero, +∞ for infinity,
/// NaN for NaN. Wide enough for every element of every dtype (x87 extended included) and for the
/// intermediate powers of the p-norms, so nothing overflows or underflows before the final rounding.</summary>
internal struct Ext
{
    public double H, L;
    public int E;

    public Ext(double h, double l, int e) { H = h; L = l; E = e; }

    public static Ext Zero => new(0, 0, 0);
    public static Ext Inf => new(double.PositiveInfinity, 0, 0);
    public static Ext NaN => new(double.NaN, 0, 0);

    public readonly bool IsZero => H == 0;
    public readonly bool IsNaN => double.IsNaN(H);
    public readonly bool IsInf => double.IsPositiveInfinity(H);
    public readonly bool IsFiniteNonZero => H != 0 && double.IsFinite(H);

    /// <summary>|x| of a double, exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Ext FromDouble(double x)
    {
        x = Math.Abs(x);
        if (x == 0 || !double.IsFinite(x)) return new Ext(x, 0, 0);
        int f = Math.ILogB(x);
        return new Ext(Math.ScaleB(x, -f), 0, f);
    }

    /// <summary>Normalises (h + l)·2^e (h ≥ 0) so that H ∈ [1, 2).</summary>
    public static Ext Normalize(double h, double l, long e)
    {
        if (h == 0 || !double.IsFinite(h)) return new Ext(h, 0, 0);
        int f = Math.ILogB(h);
        h = Math.ScaleB(h, -f); l = Math.ScaleB(l, -f);
        e += f;
        if (h < 1) { h *= 2; l *= 2; e--; } // h + l crossed a power of two
        else if (h >= 2) { h *= 0.5; l *= 0.5; e++; }
        e = Math.Clamp(e, int.MinValue / 4, int.MaxValue / 4);
        return new Ext(h, l, (int)e);
    }

    /// <summary>Total order on magnitudes (NaN not handled: callers test it first).</summary>
    public static int Compare(in Ext a, in Ext b)
    {
        if (a.H == 0 || b.H == 0 || double.IsInfinity(a.H) || double.IsInfinity(b.H)) return a.H.CompareTo(b.H);
        if (a.E != b.E) return a.E < b.E ? -1 : 1;
        if (a.H != b.H) return a.H < b.H ? -1 : 1;
        return a.L.CompareTo(b.L);
    }

    /// <summary>a·b (both finite, nonzero).</summary>
    public static Ext Mul(in Ext a, in Ext b)
    {
        double h = DD.Mul(a.H, a.L, b.H, b.L, out double l);
        return Normalize(h, l, (long)a.E + b.E);
    }

    /// <summary>√(a² + b²) accurate to ~2⁻¹⁰⁰ relative, with no overflow or underflow; ∞ if either is ∞
    /// (C99 hypot: even with a NaN), else NaN if either is NaN.</summary>
    public static Ext Hypot(Ext a, Ext b)
    {
        if (a.IsInf || b.IsInf) return Inf;
        if (a.IsNaN || b.IsNaN) return NaN;
        if (b.IsZero) return a;
        if (a.IsZero) return b;
        if (Compare(a, b) < 0) (a, b) = (b, a);
        int d = b.E - a.E; // ≤ 0
        if (d < -120) return a;
        double bh = Math.ScaleB(b.H, d), bl = Math.ScaleB(b.L, d);
        double sh = DD.Mul(a.H, a.L, a.H, a.L, out double sl);
        double th = DD.Mul(bh, bl, bh, bl, out double tl);
        DD.Add(ref sh, ref sl, th, tl);
        double rh = DD.Sqrt(sh, sl, out double rl);
        return Normalize(rh, rl, a.E);
    }
}

/// <summary>Software codec for the x87 80-bit extended format stored in 16 bytes (numpy's longdouble on
/// x86-64 Linux): 64-bit significand with an explicit integer bit, 15-bit biased exponent, sign.</summary>
internal static unsafe class LongDoubleCodec
{
    private const int Bias = 16383;

    /// <summary>|x| of the extended value at <paramref name="p"/>, exactly. Pseudo-denormals decode by value;
    /// unnormals, pseudo-infinities and pseudo-NaNs (invalid operands on x87) decode as NaN.</summary>
    public static Ext DecodeAbs(byte* p)
    {
        ulong m = Unsafe.ReadUnaligned<ulong>(p);
        int se = Unsafe.ReadUnaligned<ushort>(p + 8);
        int ex = se & 0x7FFF;
        if (ex == 0x7FFF)
            return (m == 0x8000000000000000UL) ? Ext.Inf : Ext.NaN;
        if (ex != 0 && (m >> 63) == 0) return Ext.NaN; // unnormal
        if (m == 0) return Ext.Zero;
        int e = (ex == 0 ? 1 : ex) - Bias - 63; // value = m·2^e
        int lz = BitOperations.LeadingZeroCount(m);
        m <<= lz; e -= lz;
        double hi = (double)(m & ~0x7FFUL); // top 53 bits, exact
        double lo = (double)(m & 0x7FFUL);  // low 11 bits, exact
        // m ∈ [2^63, 2^64): scale to [1, 2)
        return new Ext(Math.ScaleB(hi, -63), Math.ScaleB(lo, -63), e + 63);
    }

    /// <summary>Writes the extended value nearest (ties to even) to (r + c)·2^k. Returns true when a finite
    /// value overflowed to +∞.</summary>
    public static bool Encode(byte* dst, double r, double c, long k)
    {
        ulong mant; int field;
        bool overflow = false;
        if (double.IsNaN(r)) { mant = 0xC000000000000000UL; field = 0x7FFF; }
        else if (double.IsInfinity(r)) { mant = 0x8000000000000000UL; field = 0x7FFF; }
        else if (r == 0 && c == 0) { mant = 0; field = 0; }
        else
        {
            var (mr, er) = Split(r);
            var (mc, ec) = Split(c);
            int emin = mc.IsZero ? er : Math.Min(er, ec);
            BigInteger n = (mr << (er - emin)) + (mc.IsZero ? BigInteger.Zero : mc << (ec - emin));
            if (n.Sign <= 0) { mant = 0; field = 0; goto write; }
            long scale = emin + k;                // value = n·2^scale
            long lead = (long)n.GetBitLength() - 1 + scale;
            long q = Math.Max(lead - 63, 1 - Bias - 63); // exponent of the last kept bit
            long s = q - scale;
            BigInteger kept;
            if (s <= 0) kept = n << (int)Math.Min(-s, 200);
            else if (s > 20000) kept = BigInteger.Zero;
            else
            {
                kept = n >> (int)s;
                BigInteger rem = n - (kept << (int)s);
                BigInteger half = BigInteger.One << (int)(s - 1);
                int cmp = rem.CompareTo(half);
                if (cmp > 0 || (cmp == 0 && !kept.IsEven)) kept += 1;
            }
            if (kept.GetBitLength() > 64) { kept >>= 1; q++; }
            if (q + 63 > Bias) { mant = 0x8000000000000000UL; field = 0x7FFF; overflow = true; }
            else
            {
                mant = (ulong)kept;
                field = (mant >> 63) != 0 ? (int)(q + 63 + Bias) : 0;
            }
        }
    write:
        Unsafe.WriteUnaligned(dst, mant);
        Unsafe.WriteUnaligned(dst + 8, (ushort)field);
        Unsafe.WriteUnaligned(dst + 10, (ushort)0);
        Unsafe.WriteUnaligned(dst + 12, 0u);
        return overflow;
    }

    private static (BigInteger m, int e) Split(double x)
    {
        if (x == 0) return (BigInteger.Zero, 0);
        long bits = BitConverter.DoubleToInt64Bits(x);
        int exp = (int)((bits >> 52) & 0x7FF);
        long frac = bits & 0xFFFFFFFFFFFFFL;
        long m = exp == 0 ? frac : frac | (1L << 52);
        int e = exp == 0 ? -1074 : exp - 1075;
        return (x < 0 ? -m : m, e);
    }
}
