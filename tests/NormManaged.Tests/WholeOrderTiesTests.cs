using System.Numerics;
using NormManaged.Kernels;
using Xunit;

namespace NormManaged.Tests;

/// <summary>Whole-order norms exactly at (or one unit of the exact value from) a rounding midpoint: p = 1, 3, 4, −1
/// (<see cref="PowerTie"/>'s rational and expansion decisions) through the 1-D paths of every dtype, SIMD width and
/// thread count. Expected values are exact by construction (the midpoint m = M·2^e rounds to its even neighbour) or
/// by big-integer comparison.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class WholeOrderTiesTests
{
    /// <summary>(d, k): elements kᵢ·o·2^e whose p-norm is exactly d·o·2^e: p = 1 (1 + 2 = 3), 3 (1³ + 6³ + 8³ = 9³),
    /// 4 (95800⁴ + 217519⁴ + 414560⁴ = 422481⁴), −1 (1/40 + 1/24 = 1/15: elements 8/5·m and 8/3·m).</summary>
    private static (long D, long[] K) Family(int p) => p switch
    {
        1 => (3, new long[] { 1, 2 }),
        3 => (9, new long[] { 1, 6, 8 }),
        4 => (422481, new long[] { 95800, 217519, 414560 }),
        _ => (15, new long[] { 40, 24 }),
    };

    public static readonly TheoryData<int> Orders = new() { 1, 3, 4, -1 };

    /// <summary>An odd o for which every kᵢ·o fits 53 bits and M = d·o is a float64 midpoint's odd integer (54 bits).</summary>
    private static long PickO(long d, long[] k, Random rng)
    {
        long maxOdd = k.Max(v => v >> BitOperations.TrailingZeroCount(v));
        while (true)
        {
            long hi = Math.Min((1L << 54) / d, (1L << 53) / maxOdd);
            long o = rng.NextInt64((1L << 53) / d + 1, hi) | 1;
            if (d * o >= 1L << 53 && d * o < 1L << 54) return o;
        }
    }

    private static double TieToEven(long m, int e)
    {
        long lo = m >> 1;
        return Math.ScaleB((lo & 1) == 0 ? lo : lo + 1, e + 1);
    }

    private static double Norm<T>(T[] x, DType t, long stride, double p) where T : unmanaged
    {
        int n = x.Length / (int)Math.Abs(stride);
        double r = 0;
        float rf = 0;
        Half rh = default;
        DType ot = t == DType.Float64 ? DType.Float64 : t;
        void* dst = ot == DType.Float64 ? &r : ot == DType.Float32 ? &rf : &rh;
        fixed (T* q = x)
        {
            T* first = stride > 0 ? q : q + (n - 1) * -stride;
            VectorNorms.Compute(new NdView(first, t, new long[] { n }, new[] { sizeof(T) * stride }), 1, Ord.Of(p),
                new NdView(dst, ot, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        }
        return ot == DType.Float64 ? r : ot == DType.Float32 ? rf : (double)rh;
    }

    /// <summary>The vector spread with stride s (zeros between), in either direction.</summary>
    private static T[] Spread<T>(T[] x, int s) where T : unmanaged
    {
        var y = new T[x.Length * s];
        for (int i = 0; i < x.Length; i++) y[i * s] = x[i];
        return y;
    }

    private static void AllPaths<T>(T[] x, DType t, double p, double want) where T : unmanaged
    {
        foreach (var c in EngineKnobs.Configurations())
            foreach (int s in new[] { 1, 3 })
            {
                var y = Spread(x, s);
                Assert.Equal(want, EngineKnobs.With(c, () => Norm(y, t, s, p)));
                Assert.Equal(want, EngineKnobs.With(c, () => Norm(y, t, -s, p)));
            }
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void Float64TiesRoundToEvenOnEveryPath(int p)
    {
        var (d, k) = Family(p);
        var rng = new Random(31 + p);
        for (int trial = 0; trial < 8; trial++)
        {
            long o = PickO(d, k, rng);
            int e = rng.Next(-200, 200);
            double want = TieToEven(d * o, e);
            var x = k.Select((kv, i) => Math.ScaleB((double)(kv * o), e) * (i % 2 == 0 ? 1 : -1)).ToArray();
            AllPaths(x, DType.Float64, p, want);
            // p > 0: long lines of zeros around the tie (chunks over threads, the one-pass kernels' blocks)
            if (p > 0)
            {
                var z = new double[70001];
                for (int i = 0; i < x.Length; i++) z[i * 33333] = x[i];
                foreach (var c in EngineKnobs.Configurations())
                    Assert.Equal(want, EngineKnobs.With(c, () => Norm(z, DType.Float64, 1, p)));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void PowerTieDecidesWholeOrdersExactly(int p)
    {
        var (d, k) = Family(p);
        var rng = new Random(7 - p);
        long o = PickO(d, k, rng);
        var mid = new Midpoint { Odd = d * o, Exp = -20 };
        var x = k.Select(kv => Math.ScaleB((double)(kv * o), -20)).ToArray();
        Assert.Equal(0, Compare(p, mid, x));
        for (int i = 0; i < x.Length; i++)
            foreach (int dir in new[] { -1, 1 })
            {
                var y = (double[])x.Clone();
                y[i] = dir > 0 ? Math.BitIncrement(y[i]) : Math.BitDecrement(y[i]);
                Assert.Equal(dir, Compare(p, mid, y)); // a p-norm increases with every |xᵢ|, for p < 0 too
            }
        // a far smaller element (p > 0) or a far larger one (p < 0) moves the norm away from the tie by ~2⁻¹⁰⁰⁰
        var z = x.Append(p > 0 ? double.Epsilon : double.MaxValue).ToArray();
        Assert.Equal(p > 0 ? 1 : -1, Compare(p, mid, z));
    }

    private static int? SumSign(double[] x, Midpoint mid)
    {
        fixed (double* q = x) return PowerTie.SumSign((byte*)q, x.Length, 8, DType.Float64, mid);
    }

    private static int Compare(int p, Midpoint mid, double[] x)
    {
        int side = new PowerTie(p, mid).Compare(f => { foreach (double v in x) f(v); });
        if (p == 1) Assert.Equal(side, SumSign(x, mid)); // the in-place expansion agrees with the walk
        return side;
    }

    /// <summary>v·2^s as an exact integer (v a double, s large enough).</summary>
    private static BigInteger Fx(double v, int s)
    {
        var (m, e) = ExactReference.Split(Math.Abs(v));
        return e + s >= 0 ? m << (e + s) : m >> -(e + s);
    }

    [Fact]
    public void SumSideAgreesWithBigIntegersAcrossTheExponentRange()
    {
        // sums whose expansions overflow the fixed capacity (elements 60 binades apart) fall back to the rational
        // sum: both must give the BigInteger sign against the midpoints next to the sum's double
        var rng = new Random(3);
        int checkedCount = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            int n = rng.Next(1, 60);
            var x = new double[n];
            for (int i = 0; i < n; i++)
                x[i] = Math.ScaleB(rng.NextDouble() + 0.5, trial % 2 == 0 ? rng.Next(-1070, 1000) : 900 - 60 * i % 1900 - rng.Next(0, 3))
                       * (rng.Next(2) == 0 ? 1 : -1);
            if (trial % 3 == 0) x[0] = Math.ScaleB(1.0, -1074);
            BigInteger sum = x.Aggregate(BigInteger.Zero, (a, v) => a + Fx(v, 1100));
            double r = x.Sum(Math.Abs);
            if (!(r > Math.ScaleB(1.0, -1000) && r < double.MaxValue / 4)) continue;
            foreach (double nb in new[] { Math.BitIncrement(r), Math.BitDecrement(r) })
            {
                BigInteger m2 = Fx(r, 1101) + Fx(nb, 1101); // 2·2^1100·(r + nb)/2
                int exp = -1101;
                while (m2.IsEven) { m2 >>= 1; exp++; }
                var mid = new Midpoint { Odd = (long)m2, Exp = exp };
                int want = (sum << 1).CompareTo(Fx(r, 1101) + Fx(nb, 1101));
                Assert.Equal(want, SumSign(x, mid) ?? want); // null: the expansion outgrew its buffer (the walk decides)
                Assert.Equal(want, new PowerTie(1, mid).Compare(f => { foreach (double v in x) f(v); }));
                checkedCount++;
            }
        }
        Assert.True(checkedCount > 400);
    }

    [Fact]
    public void NarrowReciprocalTiesRoundToEven()
    {
        // float32: m = 15·o·2^e with 2²⁴ ≤ 15·o < 2²⁵ (and on the subnormal grid, 15·o < 2²⁴, e = −150); float16 alike
        var rng = new Random(11);
        foreach (var (t, prec, emin) in new[] { (DType.Float32, 24, -149), (DType.Float16, 11, -24) })
            for (int trial = 0; trial < 24; trial++)
            {
                bool sub = trial % 4 == 3;
                long o = sub ? 2 * rng.Next(0, (1 << (prec - 4)) / 2) + 1 : rng.NextInt64((1L << prec) / 15 + 1, (2L << prec) / 15) | 1;
                long m = 15 * o;
                if (!sub && (m < 1L << prec || m >= 2L << prec)) continue;
                int e = sub ? emin - 1 : rng.Next(-6, 6) - prec;
                double a = Math.ScaleB((double)(5 * o), e + 3), b = -Math.ScaleB((double)(3 * o), e + 3);
                double want = TieToEven(m, e);
                if (t == DType.Float32)
                    AllPaths(new[] { (float)a, (float)b }, t, -1, want);
                else
                    AllPaths(new[] { (Half)a, (Half)b }, t, -1, want);
            }
        // the documented example: an exact tie that rounds up to the even neighbour
        var f = new[] { 0.06796265f, -0.43203735f };
        float r = (float)Norm(f, DType.Float32, 1, -1);
        // the norm is the midpoint mm below r: 1/mm = 1/a + 1/b ⇔ a·b = mm·(a + b), in integers (times 2^600)
        BigInteger fa = Fx(f[0], 200), fb = Fx(f[1], 200), mm2 = Fx(r, 200) + Fx(MathF.BitDecrement(r), 200);
        Assert.Equal(2 * fa * fb, mm2 * (fa + fb));
        Assert.Equal(0, BitConverter.SingleToInt32Bits(r) & 1);
        AllPaths(f, DType.Float32, -1, r);
    }
}
