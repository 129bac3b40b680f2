using System.Numerics;
using Xunit;

namespace NormManaged.Tests;

/// <summary>Integer columns whose plain double Σx² stays below 2⁵³ are rooted directly (the sum is exact); at 2⁵³ and
/// above they take the exact path. Sums just below, at and above the limit (int32 ±2²⁶ and neighbours, uint32 up to
/// 2³²−1) must give the correctly rounded √ of the exact integer sum, and the bits of the column reduced alone.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class IntColumnsPlainTests
{
    [Fact]
    public void SumsAroundTwoToThe53AreCorrectlyRounded()
    {
        const int cols = 256;
        foreach (int m in new[] { 2, 3, 5, 17 })
        {
            var rng = new Random(m);
            var a = new int[m * cols];
            var u = new uint[m * cols];
            for (int k = 0; k < cols; k++)
                for (int i = 0; i < m; i++)
                {
                    // column k: two elements of magnitude near 2^26 (sum of squares near 2^53), the rest small or big
                    int big = (1 << 26) - (k % 4);
                    a[i * cols + k] = k >= cols / 2 ? rng.Next(1 << 26, 1 << 27) * (rng.Next(2) * 2 - 1) // sums in [2^53, 2^57): rounded
                        : i < 2 ? (rng.Next(2) == 0 ? big : -big) : (k % 3 == 0 ? rng.Next(-3, 4) : rng.Next(int.MinValue, int.MaxValue));
                    u[i * cols + k] = i < 2 ? (uint)(big + (k % 2)) : (uint)rng.Next(0, 9) * (k % 5 == 0 ? 0x1FFF_FFFFu : 1u);
                }
            fixed (int* pa = a) fixed (uint* pu = u)
            {
                Check((byte*)pa, DType.Int32, m, cols, i => a[i]);
                Check((byte*)pu, DType.UInt32, m, cols, i => u[i]);
            }
        }
    }

    private static void Check(byte* data, DType t, int m, int cols, Func<int, BigInteger> at)
    {
        foreach (var c in EngineKnobs.Configurations())
        {
            var res = new double[cols];
            fixed (double* op = res)
            {
                nint d = (nint)data, o = (nint)op;
                EngineKnobs.With(c, () => VectorNorms.Compute(new NdView((byte*)d, t, new long[] { m, cols }, new long[] { 4L * cols, 4 }), 1,
                    Ord.Two, new NdView((double*)o, DType.Float64, new long[] { cols }, new long[] { 8 })));
            }
            for (int k = 0; k < cols; k++)
            {
                BigInteger s = BigInteger.Zero;
                for (int i = 0; i < m; i++) { var v = at(i * cols + k); s += v * v; }
                double want = ExactReference.Sqrt(s, 0), alone;
                VectorNorms.Compute(new NdView(data + 4 * k, t, new long[] { m }, new long[] { 4L * cols }), 1, Ord.Two,
                    new NdView(&alone, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
                Assert.True(want.Equals(res[k]), $"{t} m={m} col {k} (sum {s}) {c}: {res[k]:R} vs {want:R}");
                Assert.Equal(BitConverter.DoubleToInt64Bits(alone), BitConverter.DoubleToInt64Bits(res[k]));
            }
        }
    }
}
