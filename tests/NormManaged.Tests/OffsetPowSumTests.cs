using System.Numerics;
using NormManaged.Kernels;
using Xunit;
using static NormManaged.Tests.PNormReference;

namespace NormManaged.Tests;

/// <summary>The single-pass offset-lane kernels of p = 1, 3, 4 (<see cref="OffsetPowSum"/>): the fast path is taken on
/// ordinary data and its partial is within its bound of the exact sum; every way the guess can fail (a big element late
/// in a block, a block at the scale limits, NaN/∞ anywhere, a sum far below σ) falls back to the exact path; norms are
/// correctly rounded either way, and identical for both SIMD widths and every thread count.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class OffsetPowSumTests
{
    public static readonly TheoryData<int> Orders = new() { 1, 3, 4 };

    private static bool Try(int p, ReadOnlySpan<double> x, out double hi, out double lo) => p switch
    {
        1 => OffsetPowSum.TryAdd<AbsTerm>(x, out hi, out lo),
        3 => OffsetPowSum.TryAdd<CubeTerm>(x, out hi, out lo),
        _ => OffsetPowSum.TryAdd<FourthTerm>(x, out hi, out lo),
    };

    private static double Norm(double[] x, double p)
    {
        double r;
        fixed (double* q = x)
        {
            long[] shape = { x.Length }; long[] strides = { 8 };
            VectorNorms.Compute(new NdView(q, DType.Float64, shape, strides), 1, Ord.Of(p),
                new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        }
        return r;
    }

    private static double Exact(double[] x, int p)
    {
        var (s, e) = PowSum(x.Select(TestArray.Dyadic), p);
        return ToDouble(Root(s, e, p, Format.Double));
    }

    private static void AssertCorrectlyRounded(double[] x, int p, string what)
    {
        double want = Exact(x, p);
        foreach (var c in EngineKnobs.Configurations())
        {
            double got = EngineKnobs.With(c, () => Norm(x, p));
            Assert.True(want.Equals(got), $"{what} p={p} wide={c.Wide} threads={c.Threads}: got {got:R}, want {want:R}");
        }
    }

    /// <summary>|hi + lo − S| ≤ 2⁻⁷²·S (the documented bound), with S = Σ|x|^p exactly.</summary>
    private static void AssertPartialWithinBound(double[] x, int p, double hi, double lo)
    {
        var (s, e) = PowSum(x.Select(TestArray.Dyadic), p);
        var (mh, eh) = TestArray.Dyadic(hi);
        var (ml, el) = TestArray.Dyadic(lo);
        long e0 = Math.Min(e, Math.Min(mh.IsZero ? e : eh, ml.IsZero ? e : el));
        BigInteger S = s << (int)(e - e0);
        BigInteger got = (mh << (int)((mh.IsZero ? e0 : eh) - e0)) + (ml << (int)((ml.IsZero ? e0 : el) - e0));
        Assert.True(BigInteger.Abs(got - S) << 72 <= S, $"p={p}: partial off by more than 2^-72 of the sum");
    }

    private static double[] Gaussian(Random rng, int n, double scale)
    {
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = TwoNormTests.Gaussian(rng) * scale;
        return x;
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void FastPathIsTakenOnOrdinaryBlocksAndIsAccurate(int p)
    {
        var rng = new Random(10 + p);
        bool saved = RealKernels.Wide;
        try
        {
            foreach (int n in new[] { 64, 65, 79, 100, 1000, 4095, 4096 })
                foreach (double scale in new[] { 1.0, 1e-30, 3e40, Math.ScaleB(1.0, -200), Math.ScaleB(1.0, 200) })
                {
                    var x = Gaussian(rng, n, scale);
                    var bits = new List<(long, long)>();
                    foreach (bool wide in new[] { true, false })
                    {
                        RealKernels.Wide = wide && System.Runtime.Intrinsics.X86.Avx512F.IsSupported;
                        bool inRange = p * (Math.ILogB(scale) + 4) < 1000 && p * (Math.ILogB(scale) - 4) > -900;
                        bool ok = Try(p, x, out double hi, out double lo);
                        Assert.Equal(inRange, ok);
                        if (!ok) continue;
                        AssertPartialWithinBound(x, p, hi, lo);
                        bits.Add((BitConverter.DoubleToInt64Bits(hi), BitConverter.DoubleToInt64Bits(lo)));
                    }
                    Assert.True(bits.Count == 0 || bits.All(b => b == bits[0]), $"p={p} n={n}: widths differ");
                    RealKernels.Wide = saved;
                    Assert.Equal(Exact(x, p), Norm(x, p));
                }
        }
        finally { RealKernels.Wide = saved; }
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void BigElementLateInABlockFallsBackToTheExactPath(int p)
    {
        var rng = new Random(20 + p);
        foreach (int pos in new[] { 16, 100, 2047, 4079, 4095 })
            foreach (double big in new[] { 1e6, 1e30, 1e200 })
            {
                var x = Gaussian(rng, 4096, 1.0);
                x[pos] = big * (rng.Next(2) == 0 ? 1 : -1);
                Assert.False(Try(p, x, out _, out _));
                AssertCorrectlyRounded(x, p, $"big {big} at {pos}");
            }
        // a big element in the scalar tail lane (n not a multiple of 16)
        var y = Gaussian(rng, 1000 + 7, 1.0);
        y[^1] = 1e6;
        Assert.False(Try(p, y, out _, out _));
        AssertCorrectlyRounded(y, p, "big in the tail");
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void SumFarBelowTheGuessFallsBack(int p)
    {
        // the first 16 elements set the guess, the rest are tiny: σ would be too large for the bound
        var x = new double[4096];
        x[3] = 1.0;
        for (int i = 16; i < x.Length; i++) x[i] = 1e-3 * (i % 7 + 1);
        var y = (double[])x.Clone();
        y[3] = 0; y[5] = 1e-3;   // no large element: the guess fits
        bool okX = Try(p, x, out _, out _), okY = Try(p, y, out _, out _);
        Assert.True(okY);
        if (p > 1) Assert.False(okX); // Σ|x|^p ≈ 1 ≪ 2⁻¹²σ for p ≥ 3
        AssertCorrectlyRounded(x, p, "far below");
        AssertCorrectlyRounded(y, p, "fits");
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void ScaleLimitsNeitherOverflowNorUnderflow(int p)
    {
        var rng = new Random(30 + p);
        // huge: terms near the top of the range (the fast path must refuse before overflowing)
        foreach (int e in new[] { 1023 / p - 12, 1023 / p - 6, 1023 / p - 1, 1023 - 2, 1023 })
        {
            var x = Gaussian(rng, 3000, 1.0);
            for (int i = 0; i < x.Length; i++) x[i] = Math.Clamp(Math.ScaleB(x[i], e - 2), -double.MaxValue, double.MaxValue);
            double r = Norm(x, p);
            Assert.True(double.IsFinite(r) || Exact(x, p) == double.PositiveInfinity);
            AssertCorrectlyRounded(x, p, $"huge 2^{e}");
        }
        // tiny: terms near and below the subnormal range, with subnormal elements mixed in
        foreach (int e in new[] { -1074 / p + 60, -900 / p, -900 / p - 3, -1000, -1070 })
        {
            var x = Gaussian(rng, 3000, 1.0);
            for (int i = 0; i < x.Length; i++) x[i] = Math.ScaleB(x[i], e);
            x[17] = double.Epsilon; x[2000] = -double.Epsilon * 3;
            Assert.True(Norm(x, p) > 0);
            AssertCorrectlyRounded(x, p, $"tiny 2^{e}");
        }
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void NaNAndInfinityAnywhereAreClassified(int p)
    {
        var rng = new Random(40 + p);
        foreach (int n in new[] { 64, 100, 4096, 10_000 })
            foreach (int pos in new[] { 0, 15, 16, n / 2, n - 1 })
            {
                var x = Gaussian(rng, n, 1.0);
                x[pos] = double.NaN;
                Assert.False(Try(p, x.AsSpan(0, Math.Min(n, 4096)), out _, out _) && pos < 4096);
                Assert.True(double.IsNaN(Norm(x, p)), $"NaN at {pos} of {n}");
                x[pos] = double.NegativeInfinity;
                Assert.Equal(double.PositiveInfinity, Norm(x, p));
                x[(pos + 1) % n] = double.NaN; // NaN wins over ∞
                Assert.True(double.IsNaN(Norm(x, p)));
            }
    }

    [Fact]
    public void OneNormRoundsATieBrokenByATinyElement()
    {
        // exact sum 1 + 2⁻⁵³ + 2⁻⁸⁰: just above the midpoint between 1 and 1 + 2⁻⁵², so it rounds up
        var x = new double[64];
        x[0] = 1.0; x[20] = Math.ScaleB(1.0, -53); x[41] = Math.ScaleB(1.0, -80);
        Assert.True(Try(1, x, out _, out _));
        Assert.Equal(1 + Math.ScaleB(1.0, -52), Norm(x, 1));
        x[41] = -x[41]; // |x| is the same
        Assert.Equal(1 + Math.ScaleB(1.0, -52), Norm(x, 1));
        x[41] = 0;      // an exact tie: to even
        Assert.Equal(1.0, Norm(x, 1));
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void LargeVectorsAreCorrectlyRoundedAndThreadIndependent(int p)
    {
        // 70 blocks: most take the fast path, some fall back (a big element late in the block, a zero guess)
        var rng = new Random(50 + p);
        var x = Gaussian(rng, 70 * 4096 + 123, 1.0);
        for (int b = 0; b < 70; b += 9) x[b * 4096 + 3000] = 1e5;
        for (int i = 0; i < 16; i++) x[4096 * 5 + i] = 0;
        AssertCorrectlyRounded(x, p, "large");
    }

    public static readonly TheoryData<double> HalfOrders = new() { 0.5, 1.5, 2.5 };

    private static bool TryHalf(double p, ReadOnlySpan<double> x, out double hi, out double lo) => p switch
    {
        0.5 => OffsetPowSum.TryAdd<SqrtTerm>(x, out hi, out lo),
        1.5 => OffsetPowSum.TryAdd<OneHalfTerm>(x, out hi, out lo),
        _ => OffsetPowSum.TryAdd<TwoHalfTerm>(x, out hi, out lo),
    };

    [Theory]
    [MemberData(nameof(HalfOrders))]
    public void HalfIntegerFastPathMatchesTheScaledPath(double p)
    {
        // x·2⁻⁷⁶⁰ is refused by the guess (exponent below −700) and takes the statistics + scaled pass. The norm is
        // homogeneous and both paths round a double-double far more accurate than the result once, so
        // ‖x·2⁻⁷⁶⁰‖ = 2⁻⁷⁶⁰·‖x‖ bit for bit; the fast path's partials are the same for both widths.
        var rng = new Random(60 + (int)(2 * p));
        bool saved = RealKernels.Wide;
        try
        {
            foreach (int n in new[] { 64, 100, 1000, 4096, 3 * 4096 + 5 })
                for (int trial = 0; trial < 3; trial++)
                {
                    var x = Gaussian(rng, n, trial == 2 ? 1e-20 : 1.0);
                    if (trial == 1) for (int i = 20; i < n; i += 7) x[i] = 0;
                    var bits = new List<(long, long)>();
                    foreach (bool wide in new[] { true, false })
                    {
                        RealKernels.Wide = wide && System.Runtime.Intrinsics.X86.Avx512F.IsSupported;
                        Assert.True(TryHalf(p, x.AsSpan(0, Math.Min(n, 4096)), out double hi, out double lo));
                        bits.Add((BitConverter.DoubleToInt64Bits(hi), BitConverter.DoubleToInt64Bits(lo)));
                    }
                    Assert.Equal(bits[0], bits[1]);
                    var y = x.Select(v => Math.ScaleB(v, -760)).ToArray();
                    Assert.False(TryHalf(p, y.AsSpan(0, Math.Min(n, 4096)), out _, out _));
                    foreach (var c in EngineKnobs.Configurations())
                    {
                        double a = EngineKnobs.With(c, () => Norm(x, p)), b = EngineKnobs.With(c, () => Norm(y, p));
                        Assert.True(Math.ScaleB(a, -760).Equals(b), $"p={p} n={n} trial={trial} {c}: {a:R}·2^-760 vs {b:R}");
                    }
                }
        }
        finally { RealKernels.Wide = saved; }
    }

    [Theory]
    [MemberData(nameof(HalfOrders))]
    public void HalfIntegerSubnormalAndZeroElementsAreNegligibleNotHarmful(double p)
    {
        // the bit-pattern root guess assumes a normal exponent: subnormal elements get a poor but finite term
        var x = new double[64];
        x[0] = 1.0;
        for (int i = 16; i < 64; i += 3) x[i] = double.Epsilon * (i + 1);
        x[40] = -2.2250738585072009e-308;
        Assert.True(TryHalf(p, x, out double hi, out double lo));
        Assert.Equal(1.0, hi);
        Assert.True(Math.Abs(lo) < Math.ScaleB(1.0, -400), $"lo = {lo:R}");
        Assert.Equal(1.0, Norm(x, p));
    }

    [Theory]
    [MemberData(nameof(HalfOrders))]
    public void HalfIntegerFallbacksKeepTheValues(double p)
    {
        var rng = new Random(70 + (int)(2 * p));
        var x = Gaussian(rng, 4096, 1.0);
        double baseNorm = Norm(x, p);
        x[3000] = 1e12;                                  // big element late in the block: the guess fails
        Assert.False(TryHalf(p, x, out _, out _));
        double big = Norm(x, p);
        Assert.True(big >= 1e12 && big > baseNorm);
        x[3000] = double.PositiveInfinity;
        Assert.False(TryHalf(p, x, out _, out _));
        Assert.Equal(double.PositiveInfinity, Norm(x, p));
        x[17] = double.NaN;
        Assert.True(double.IsNaN(Norm(x, p)));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(3.0)]
    [InlineData(4.0)]
    [InlineData(0.5)]
    [InlineData(2.5)]
    public void ComplexFastPathIsWidthIndependentAndMatchesTheExactPath(double p)
    {
        // interleaved (re, im) blocks: the Vector512 and Vector256 lanes hold the same elements in the same order
        var rng = new Random(80 + (int)(2 * p));
        bool saved = RealKernels.Wide;
        try
        {
            foreach (int n in new[] { 64, 77, 1000, 4096 })
            {
                var b = Gaussian(rng, 2 * n, 1.0);
                var bits = new List<(long, long)>();
                foreach (bool wide in new[] { true, false })
                {
                    RealKernels.Wide = wide && System.Runtime.Intrinsics.X86.Avx512F.IsSupported;
                    Assert.True(ComplexOffsetSum.TryAdd(p, b, out double hi, out double lo));
                    bits.Add((BitConverter.DoubleToInt64Bits(hi), BitConverter.DoubleToInt64Bits(lo)));
                }
                Assert.Equal(bits[0], bits[1]);
                // the same values scaled by 2⁻⁶⁰⁰ are refused (components below 2⁻⁴⁵⁰) and summed per element (hypot,
                // double-double powers): the norms agree bit for bit through homogeneity, for every width/thread count
                var za = new TestArray(DType.Complex128, n); var zb = new TestArray(DType.Complex128, 3 * n);
                for (int i = 0; i < n; i++)
                {
                    za.Set(i, b[2 * i], b[2 * i + 1]);
                    zb.Set(3 * i, Math.ScaleB(b[2 * i], -600), Math.ScaleB(b[2 * i + 1], -600));
                }
                foreach (var c in EngineKnobs.Configurations())
                {
                    double fast = EngineKnobs.With(c, () => TestArray.AsDouble(DType.Float64, za.Norm(Ord.Of(p), out _)));
                    double slow = EngineKnobs.With(c, () => TestArray.AsDouble(DType.Float64, zb.Norm(Ord.Of(p), out _, 0, n, 3)));
                    Assert.True(Math.ScaleB(fast, -600).Equals(slow), $"p={p} n={n} {c}: {fast:R}·2^-600 vs {slow:R}");
                }
            }
        }
        finally { RealKernels.Wide = saved; }
    }
}
