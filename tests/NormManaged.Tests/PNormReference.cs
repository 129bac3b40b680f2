using System.Numerics;

namespace NormManaged.Tests;

/// <summary>Exact references for the p-norms with integer p (p = 1 included): every element is an exact
/// m·2^e, so Σ|x|^p is an exact big integer times a power of two, and its p-th root is rounded correctly
/// to any binary format from an integer root with a sticky bit.</summary>
public static class PNormReference
{
    /// <summary>A binary floating format: significand bits (with the hidden bit), least exponent of the last bit, largest finite exponent.</summary>
    public readonly record struct Format(int Bits, int MinLsbExp, int MaxExp)
    {
        public static readonly Format Double = new(53, -1074, 1023);
        public static readonly Format Single = new(24, -149, 127);
        public static readonly Format Half = new(11, -24, 15);
        public static readonly Format X87 = new(64, -16445, 16383);
    }

    /// <summary>Σ |m·2^e|^p exactly as S·2^E (p ≥ 1).</summary>
    public static (BigInteger S, long E) PowSum(IEnumerable<(BigInteger m, int e)> xs, int p)
    {
        var parts = xs.Where(x => !x.m.IsZero).Select(x => (m: BigInteger.Abs(x.m), x.e)).ToList();
        if (parts.Count == 0) return (BigInteger.Zero, 0);
        long e0 = parts.Min(x => (long)x.e * p);
        BigInteger s = BigInteger.Zero;
        foreach (var (m, e) in parts) s += BigInteger.Pow(m, p) << (int)((long)e * p - e0);
        return (s, e0);
    }

    /// <summary>floor(n^(1/p)).</summary>
    public static BigInteger IRoot(BigInteger n, int p)
    {
        if (n.IsZero || p == 1) return n;
        BigInteger x = BigInteger.One << (int)((n.GetBitLength() + p - 1) / p + 1);
        while (true)
        {
            BigInteger y = ((p - 1) * x + n / BigInteger.Pow(x, p - 1)) / p;
            if (y >= x) break;
            x = y;
        }
        while (BigInteger.Pow(x, p) > n) x -= 1;
        while (BigInteger.Pow(x + 1, p) <= n) x += 1;
        return x;
    }

    /// <summary>The correctly rounded (S·2^E)^(1/p) in <paramref name="f"/>, as (significand, exponent of its last bit);
    /// (0, 0) for zero; significand = -1 for overflow.</summary>
    public static (BigInteger m, long lsb) Root(BigInteger s, long e, int p, Format f)
    {
        if (s.IsZero) return (BigInteger.Zero, 0);
        // make E divisible by p and the root at least Bits + 40 bits long
        long shift = (long)(f.Bits + 40) * p - (long)s.GetBitLength();
        if (shift < 0) shift = 0;
        long r = ((e - shift) % p + p) % p;
        shift += r;
        BigInteger t = s << (int)shift;
        long te = e - shift; // divisible by p
        BigInteger q = IRoot(t, p);
        bool sticky = BigInteger.Pow(q, p) != t;
        return RoundQ(q, sticky, te / p, f);
    }

    /// <summary>Rounds (q + δ)·2^k, δ ∈ (0,1) if sticky else 0, to the format (ties to even).</summary>
    public static (BigInteger m, long lsb) RoundQ(BigInteger q, bool sticky, long k, Format f)
    {
        if (q.IsZero) return (BigInteger.Zero, 0);
        long top = (long)q.GetBitLength() - 1 + k;
        long lsb = Math.Max(top - (f.Bits - 1), f.MinLsbExp);
        long drop = lsb - k;
        BigInteger kept;
        if (drop <= 0) kept = q << (int)-drop; // δ < 1 unit of q is below half a kept unit: no change
        else
        {
            kept = q >> (int)drop;
            BigInteger rem = q - (kept << (int)drop);
            BigInteger half = BigInteger.One << (int)(drop - 1);
            int c = rem.CompareTo(half);
            if (c > 0 || (c == 0 && (sticky || !kept.IsEven))) kept += 1;
        }
        if (kept.GetBitLength() > f.Bits) { kept >>= 1; lsb++; }
        if (lsb + f.Bits - 1 > f.MaxExp) return (BigInteger.MinusOne, 0);
        return (kept, lsb);
    }

    /// <summary>A (significand, lsb) pair as a double (exact for formats no wider than double); +∞ for overflow.</summary>
    public static double ToDouble((BigInteger m, long lsb) v)
        => v.m.Sign < 0 ? double.PositiveInfinity : v.m.IsZero ? 0.0 : Math.ScaleB((double)v.m, (int)v.lsb);
}

/// <summary>Test arrays of any dtype with the exact dyadic value of every element.</summary>
public sealed unsafe class TestArray
{
    public readonly DType T;
    public readonly byte[] Bytes;
    public readonly (BigInteger m, int e)[] Re, Im;
    public int Count => Re.Length;
    public int Size => DTypes.ItemSize(T);

    public TestArray(DType t, int n)
    {
        T = t; Bytes = new byte[Math.Max(1, n) * DTypes.ItemSize(t)];
        Re = new (BigInteger, int)[n]; Im = new (BigInteger, int)[n];
    }

    public static (BigInteger m, int e) Dyadic(double x) => x == 0 ? (BigInteger.Zero, 0) : ExactReference.Split(x);

    /// <summary>Stores a real (or complex part) given as a double, exactly representable in the dtype.</summary>
    public void Set(int i, double re, double im = 0)
    {
        fixed (byte* b0 = Bytes)
        {
            byte* p = b0 + (long)i * Size;
            switch (T)
            {
                case DType.Bool: *p = re != 0 ? (byte)1 : (byte)0; re = re != 0 ? 1 : 0; break;
                case DType.Int8: *(sbyte*)p = (sbyte)re; break;
                case DType.UInt8: *p = (byte)re; break;
                case DType.Int16: *(short*)p = (short)re; break;
                case DType.UInt16: *(ushort*)p = (ushort)re; break;
                case DType.Int32: *(int*)p = (int)re; break;
                case DType.UInt32: *(uint*)p = (uint)re; break;
                case DType.Int64: *(long*)p = (long)re; break;
                case DType.UInt64: *(ulong*)p = (ulong)re; break;
                case DType.Float16: *(Half*)p = (Half)re; re = (double)(Half)re; break;
                case DType.Float32: *(float*)p = (float)re; re = (float)re; break;
                case DType.Float64: *(double*)p = re; break;
                case DType.Complex64: ((float*)p)[0] = (float)re; ((float*)p)[1] = (float)im; re = (float)re; im = (float)im; break;
                case DType.Complex128: ((double*)p)[0] = re; ((double*)p)[1] = im; break;
                case DType.LongDouble: WriteX87(p, re); break;
                case DType.CLongDouble: WriteX87(p, re); WriteX87(p + 16, im); break;
            }
        }
        Re[i] = double.IsFinite(re) ? Dyadic(re) : (BigInteger.Zero, int.MinValue);
        Im[i] = double.IsFinite(im) ? Dyadic(im) : (BigInteger.Zero, int.MinValue);
    }

    /// <summary>Stores an x87 value m·2^e exactly (m &lt; 2^64, normal or subnormal range; longdouble dtypes only).</summary>
    public void SetX87(int i, ulong m, int e)
    {
        fixed (byte* b0 = Bytes) WriteX87Raw(b0 + (long)i * Size, m, e);
        Re[i] = (new BigInteger(m), e);
        Im[i] = (BigInteger.Zero, 0);
    }

    public static void WriteX87(byte* p, double v)
    {
        if (double.IsNaN(v)) { *(ulong*)p = 0xC000000000000000UL; *(ushort*)(p + 8) = 0x7FFF; return; }
        if (double.IsInfinity(v)) { *(ulong*)p = 0x8000000000000000UL; *(ushort*)(p + 8) = (ushort)(v < 0 ? 0xFFFF : 0x7FFF); return; }
        if (v == 0) { *(ulong*)p = 0; *(ushort*)(p + 8) = (ushort)(double.IsNegative(v) ? 0x8000 : 0); return; }
        var (m, e) = ExactReference.Split(v);
        WriteX87Raw(p, (ulong)BigInteger.Abs(m), e, v < 0);
    }

    public static void WriteX87Raw(byte* p, ulong m, int e, bool neg = false)
    {
        if (m == 0) { *(ulong*)p = 0; *(ushort*)(p + 8) = 0; return; }
        int lz = System.Numerics.BitOperations.LeadingZeroCount(m);
        m <<= lz; e -= lz;               // value = m·2^e, m normalised
        int field = e + 63 + 16383;
        if (field <= 0) { m >>= 1 - field; field = 0; } // subnormal (callers pass exact values)
        *(ulong*)p = m;
        *(ushort*)(p + 8) = (ushort)(field | (neg ? 0x8000 : 0));
        *(ushort*)(p + 10) = 0; *(uint*)(p + 12) = 0;
    }

    /// <summary>Reads an x87 result as (significand, lsb exponent); (-1, 0) for +∞, (-2, 0) for NaN.</summary>
    public static (BigInteger m, long lsb) ReadX87(byte* p)
    {
        ulong m = *(ulong*)p; int f = *(ushort*)(p + 8) & 0x7FFF;
        if (f == 0x7FFF) return (m << 1 == 0 ? BigInteger.MinusOne : new BigInteger(-2), 0);
        if (m == 0) return (BigInteger.Zero, 0);
        return (new BigInteger(m), (f == 0 ? 1 : f) - 16383 - 63);
    }

    /// <summary>Norm through <see cref="VectorNorms.Compute"/> of elements first + i·step (in elements), i &lt; n;
    /// the result is returned as raw bytes of the result dtype.</summary>
    public byte[] Norm(Ord ord, out FpEvents ev, int first = 0, int n = -1, int step = 1)
    {
        if (n < 0) n = Count;
        var ot = DTypes.ResultType(T);
        var res = new byte[16];
        fixed (byte* b = Bytes) fixed (byte* r = res)
        {
            long[] shape = { n };
            long[] strides = { (long)step * Size };
            var x = new NdView(b + (long)first * Size, T, shape, strides);
            var o = new NdView(r, ot, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty);
            ev = VectorNorms.Compute(x, 1, ord, o);
        }
        return res;
    }

    /// <summary>The result as a double (longdouble results rounded to double only when they fit; tests compare x87 bits separately).</summary>
    public static double AsDouble(DType resultType, byte[] r) => resultType switch
    {
        DType.Float64 => BitConverter.ToDouble(r),
        DType.Float32 => BitConverter.ToSingle(r),
        DType.Float16 => (double)BitConverter.ToHalf(r),
        _ => X87ToDouble(r),
    };

    public static double X87ToDouble(byte[] r)
    {
        fixed (byte* p = r)
        {
            var (m, lsb) = ReadX87(p);
            if (m == -1) return double.PositiveInfinity;
            if (m == -2) return double.NaN;
            if (m.IsZero) return 0;
            return Math.ScaleB((double)m, (int)lsb); // not correctly rounded; for NaN/inf/ordering checks only
        }
    }
}
