using NormManaged.Engine;
using Xunit;

namespace NormManaged.Tests;

/// <summary>Bool and integer vectors: the SIMD widening reads (<see cref="IntWiden"/>) give exactly the doubles of an
/// independent per-element conversion, for raw bytes covering every bit pattern (INT_MIN, all-ones, bool bytes other
/// than 0/1), every length 0…300 and around the 8-element groups, and every misalignment.</summary>
public unsafe class IntVectorTests
{
    public static readonly DType[] IntTypes =
    {
        DType.Bool, DType.Int8, DType.UInt8, DType.Int16, DType.UInt16, DType.Int32, DType.UInt32, DType.Int64, DType.UInt64,
    };

    public static IEnumerable<object[]> Types() => IntTypes.Select(t => new object[] { t });

    /// <summary>The value of one element, converted independently of the library: bools are 0 or 1 (any non-zero byte),
    /// 64-bit integers round to the nearest double (ties to even), as numpy's astype(float) does.</summary>
    internal static double Reference(DType t, byte[] raw, int offset) => t switch
    {
        DType.Bool => raw[offset] != 0 ? 1 : 0,
        DType.Int8 => (sbyte)raw[offset],
        DType.UInt8 => raw[offset],
        DType.Int16 => BitConverter.ToInt16(raw, offset),
        DType.UInt16 => BitConverter.ToUInt16(raw, offset),
        DType.Int32 => BitConverter.ToInt32(raw, offset),
        DType.UInt32 => BitConverter.ToUInt32(raw, offset),
        DType.Int64 => RoundToDouble(BitConverter.ToInt64(raw, offset)),
        _ => RoundToDouble(BitConverter.ToUInt64(raw, offset)),
    };

    /// <summary>Nearest double, ties to even, by big-integer arithmetic (not by the conversion under test).</summary>
    private static double RoundToDouble(System.Numerics.BigInteger v)
    {
        if (v.IsZero) return 0;
        bool neg = v.Sign < 0;
        var a = System.Numerics.BigInteger.Abs(v);
        double r = ExactReference.RoundToDouble(a, false, 0);
        return neg ? -r : r;
    }

    /// <summary>Raw bytes with the extremes of every width mixed in: 0x80 / 0x8000… (INT_MIN), 0xFF… (−1 / max),
    /// 0x7F… (max), 0x00 and random bytes; 64-bit values near 2^53 (where rounding starts) too.</summary>
    internal static byte[] RawBytes(DType t, int n, Random rng)
    {
        int size = DTypes.ItemSize(t);
        var b = new byte[n * size];
        rng.NextBytes(b);
        for (int i = 0; i < n; i++)
        {
            var e = b.AsSpan(i * size, size);
            switch (rng.Next(8))
            {
                case 0: e.Clear(); e[size - 1] = 0x80; break;
                case 1: e.Fill(0xFF); break;
                case 2: e.Fill(0xFF); e[size - 1] = 0x7F; break;
                case 3: e.Clear(); break;
                case 4 when size == 8:
                    long v = (1L << 53) + rng.Next(-4, 5) + (rng.Next(2) == 0 ? 0 : 3L << 54) * (rng.Next(2) == 0 ? 1 : -1);
                    BitConverter.TryWriteBytes(e, v);
                    break;
            }
        }
        return b;
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void WideningReadsMatchPerElementConversion(DType t)
    {
        var rng = new Random((int)t * 7919);
        int size = DTypes.ItemSize(t);
        double* dst = stackalloc double[340];
        foreach (int n in Enumerable.Range(0, 301).Concat(new[] { 333 }))
            foreach (int off in new[] { 0, 1, 3, 5 })
            {
                if (off != 0 && n % 7 != 0 && n > 40) continue; // misalignment: a sample of the lengths
                byte[] raw = RawBytes(t, n + 1, rng);
                var buf = new byte[raw.Length + off];
                Array.Copy(raw, 0, buf, off, raw.Length);
                foreach (bool simd in new[] { true, false })
                {
                    bool saved = IntWiden.Enabled;
                    IntWiden.Enabled = simd;
                    try
                    {
                        new Span<double>(dst, 340).Fill(double.NaN);
                        fixed (byte* p = buf) Gather.Run(t, p + off, size, n, dst);
                    }
                    finally { IntWiden.Enabled = saved; }
                    for (int i = 0; i < n; i++)
                    {
                        double want = Reference(t, raw, i * size);
                        Assert.True(want.Equals(dst[i]), $"{t} n={n} off={off} simd={simd} i={i}: got {dst[i]:R}, want {want:R}");
                    }
                    Assert.True(double.IsNaN(dst[n]), $"{t} n={n}: wrote past the end");
                }
            }
    }
}
