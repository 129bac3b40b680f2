using NormManaged.Engine;
using Xunit;

namespace NormManaged.Tests;

/// <summary>Contiguous float16 runs are widened through TensorPrimitives' vector half→float conversion (256 at a
/// time) instead of the scalar cast: every one of the 65 536 bit patterns (subnormals, ±0, ±∞, NaN payloads) must
/// give the double of the scalar <c>(double)Half</c> cast, bit for bit, at every length around the 8-lane and
/// 256-element chunk edges and at odd byte offsets.</summary>
public unsafe class HalfGatherTests
{
    [Fact]
    public void EveryPatternWidensAsTheScalarCast()
    {
        var all = new ushort[65536 + 1];
        for (int i = 0; i < 65536; i++) all[i] = (ushort)i;
        var got = new double[65536];
        fixed (ushort* p = all) fixed (double* d = got)
        {
            Gather.Run(DType.Float16, (byte*)p, 2, 65536, d);
            for (int i = 0; i < 65536; i++)
                Assert.True(BitConverter.DoubleToInt64Bits((double)BitConverter.UInt16BitsToHalf((ushort)i)) == BitConverter.DoubleToInt64Bits(d[i]),
                    $"pattern {i:X4}");
        }
    }

    [Fact]
    public void LengthsAndOffsets()
    {
        var rng = new Random(3);
        var bytes = new byte[2 * 1100 + 3];
        rng.NextBytes(bytes);
        var got = new double[1100];
        foreach (int n in Enumerable.Range(0, 20).Concat(new[] { 255, 256, 257, 511, 512, 513, 1000, 1100 }))
            foreach (int off in new[] { 0, 1, 2, 3 })
            {
                if (2 * n + off > bytes.Length) continue;
                Array.Fill(got, -7.0);
                fixed (byte* b = bytes) fixed (double* d = got)
                {
                    Gather.Run(DType.Float16, b + off, 2, n, d);
                    for (int i = 0; i < n; i++)
                    {
                        ushort h = (ushort)(b[off + 2 * i] | b[off + 2 * i + 1] << 8);
                        Assert.Equal(BitConverter.DoubleToInt64Bits((double)BitConverter.UInt16BitsToHalf(h)), BitConverter.DoubleToInt64Bits(d[i]));
                    }
                    if (n < got.Length) Assert.Equal(-7.0, d[n]);   // nothing written past the run
                }
            }
    }
}
