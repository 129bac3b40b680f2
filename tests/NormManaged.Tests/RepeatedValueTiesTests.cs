using System.Numerics;
using NormManaged.Kernels;
using Xunit;

namespace NormManaged.Tests;

/// <summary><see cref="PowerTie"/> on lines of repeated values (its interval bounds compute each distinct |x| once per
/// round) and its integer square root (started from a double estimate): the decisions must be those of the exact
/// comparison, which monotonicity gives here — a tie is 0, and raising (lowering) one element raises (lowers) the norm
/// for every order, negative ones included.</summary>
public class RepeatedValueTiesTests
{
    [Fact]
    public void ISqrtIsTheFloorSquareRoot()
    {
        var rng = new Random(5);
        for (int bits = 1; bits <= 2200; bits += bits < 140 ? 1 : 37)
            for (int trial = 0; trial < 6; trial++)
            {
                var bytes = new byte[(bits + 7) / 8 + 1];
                rng.NextBytes(bytes);
                bytes[^1] = 0;
                var x = new BigInteger(bytes) & ((BigInteger.One << bits) - 1);
                x |= BigInteger.One << (bits - 1);
                foreach (var v in new[] { x, x * x, x * x - 1, x * x + 1, (x + 1) * (x + 1) - 1 })
                {
                    var r = PowerTie.ISqrt(v);
                    Assert.True(r * r <= v && (r + 1) * (r + 1) > v, $"bits {bits}");
                }
            }
        Assert.Equal(BigInteger.Zero, PowerTie.ISqrt(BigInteger.Zero));
        Assert.Equal(BigInteger.One, PowerTie.ISqrt(3));
        Assert.Equal(new BigInteger(2), PowerTie.ISqrt(4));
    }

    /// <summary>(d, k, r): kᵢ·o·2^e each repeated r times has p-norm exactly d·o·2^e times a power of two:
    /// −1: r·(1/40 + 1/24) = r/15 (r = 8: norm 15/8·o·2^e); 3: 8·(1 + 6³ + 8³) = (2·9)³; 4: 16·(95800⁴ + …) = (2·422481)⁴.</summary>
    public static readonly TheoryData<int, long, long[], int, int> Families = new()
    {
        { -1, 15, new long[] { 40, 24 }, 8, -3 },
        { 3, 9, new long[] { 1, 6, 8 }, 8, 1 },
        { 4, 422481, new long[] { 95800, 217519, 414560 }, 16, 1 },
        { -1, 15, new long[] { 40, 24 }, 64, -6 },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void RepeatedLinesDecideAsTheExactComparison(int p, long d, long[] k, int r, int shift)
    {
        var rng = new Random(11 + p + r);
        for (int trial = 0; trial < 4; trial++)
        {
            long maxOdd = k.Max(v => v >> BitOperations.TrailingZeroCount(v));
            long o;
            do o = rng.NextInt64((1L << 53) / d + 1, Math.Min((1L << 54) / d, (1L << 53) / maxOdd)) | 1;
            while (!(d * o >= 1L << 53 && d * o < 1L << 54));
            int e = rng.Next(-100, 100);
            var mid = new Midpoint { Odd = d * o, Exp = e + shift };
            var line = new List<double>();
            for (int c = 0; c < r; c++)
                foreach (long kv in k) line.Add(Math.ScaleB((double)(kv * o), e) * (c % 2 == 0 ? 1 : -1));
            var x = line.OrderBy(_ => rng.Next()).ToArray();
            Assert.Equal(0, Compare(p, mid, x));
            foreach (int i in new[] { 0, x.Length / 2, x.Length - 1 })
                foreach (int dir in new[] { -1, 1 })
                {
                    var y = (double[])x.Clone();
                    double a = Math.Abs(y[i]);
                    y[i] = Math.CopySign(dir > 0 ? Math.BitIncrement(a) : Math.BitDecrement(a), y[i]);
                    Assert.Equal(dir, Compare(p, mid, y));
                    // every copy of that value moved the same way: still that side
                    var z = x.Select(v => Math.Abs(v) == a ? Math.CopySign(Math.Abs(y[i]), v) : v).ToArray();
                    Assert.Equal(dir, Compare(p, mid, z));
                }
        }
    }

    private static int Compare(int p, Midpoint mid, double[] x)
        => new PowerTie(p, mid).Compare(f => { foreach (double v in x) f(v); });
}
