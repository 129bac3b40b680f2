using System.Numerics;
using Xunit;
using static NormManaged.Tests.PNormReference;

namespace NormManaged.Tests;

/// <summary>Every vector order for every dtype against exact references, numpy's special-value rules and
/// closed forms.</summary>
public unsafe class VectorOrdTests
{
    public static readonly DType[] RealTypes =
    {
        DType.Bool, DType.Int8, DType.Int16, DType.Int32, DType.Int64, DType.UInt8, DType.UInt16, DType.UInt32,
        DType.UInt64, DType.Float16, DType.Float32, DType.Float64, DType.LongDouble,
    };
    public static readonly DType[] ComplexTypes = { DType.Complex64, DType.Complex128, DType.CLongDouble };

    internal static Format FormatOf(DType resultType) => resultType switch
    {
        DType.Float64 => Format.Double,
        DType.Float32 => Format.Single,
        DType.Float16 => Format.Half,
        _ => Format.X87,
    };

    /// <summary>A random value exactly representable in <paramref name="t"/>, with extremes mixed in.</summary>
    internal static double RandomValue(DType t, Random rng, bool wide)
    {
        double g = TwoNormTests.Gaussian(rng);
        switch (t)
        {
            case DType.Bool: return rng.Next(2);
            case DType.Int8: return rng.Next(10) == 0 ? -128 : rng.Next(-128, 128);
            case DType.UInt8: return rng.Next(256);
            case DType.Int16: return rng.Next(-32768, 32768);
            case DType.UInt16: return rng.Next(65536);
            case DType.Int32: return rng.Next(10) == 0 ? int.MinValue : rng.Next(int.MinValue, int.MaxValue);
            case DType.UInt32: return (uint)rng.NextInt64(0, 1L << 32);
            case DType.Int64: return rng.Next(8) == 0 ? -9.223372036854775808e18 : (double)rng.NextInt64(long.MinValue, long.MaxValue);
            case DType.UInt64: return Math.Floor(rng.NextDouble() * 1.8e19);
            case DType.Float16: return (double)(Half)(wide ? g * Math.Pow(2, rng.Next(-24, 15)) : g * 10);
            case DType.Float32: return (float)(wide ? g * Math.Pow(2, rng.Next(-149, 127)) : g * 10);
            default: return wide ? g * Math.Pow(2, rng.Next(-1074, 1023)) : g * 10;
        }
    }

    internal static TestArray Random(DType t, int n, Random rng, bool wide)
    {
        var a = new TestArray(t, n);
        for (int i = 0; i < n; i++)
        {
            double re = RandomValue(t == DType.Complex64 ? DType.Float32 : t == DType.Complex128 || t == DType.CLongDouble ? DType.Float64 : t, rng, wide);
            double im = DTypes.IsComplex(t) ? RandomValue(t == DType.Complex64 ? DType.Float32 : DType.Float64, rng, wide) : 0;
            if (rng.Next(7) == 0) re = 0;
            a.Set(i, re, im);
        }
        return a;
    }

    /// <summary>Exact (m, lsb) of ‖x‖_p for integer p ≥ 1 (even p for complex).</summary>
    internal static (BigInteger m, long lsb) ExactIntP(TestArray a, IEnumerable<int> idx, int p, Format f)
    {
        if (!DTypes.IsComplex(a.T))
        {
            var (s, e) = PowSum(idx.Select(i => a.Re[i]), p);
            return Root(s, e, p, f);
        }
        // complex, even p: |z|^p = (re² + im²)^(p/2)
        var parts = idx.Select(i => (a.Re[i], a.Im[i])).ToList();
        var mags = new List<(BigInteger m, int e)>();
        BigInteger total = BigInteger.Zero; long e0 = long.MaxValue;
        var sq = new List<(BigInteger m, long e)>();
        foreach (var ((mr, er), (mi, ei)) in parts)
        {
            var (s2, e2) = PowSum(new[] { (mr, er), (mi, ei) }, 2);
            if (s2.IsZero) continue;
            sq.Add((s2, e2));
        }
        if (sq.Count == 0) return (BigInteger.Zero, 0);
        int h = p / 2;
        e0 = sq.Min(x => x.e * h);
        foreach (var (m, e) in sq) total += BigInteger.Pow(m, h) << (int)(e * h - e0);
        return Root(total, e0, p, f);
    }

    internal static void AssertResult(DType t, byte[] got, (BigInteger m, long lsb) want, string what)
    {
        var rt = DTypes.ResultType(t);
        if (rt == DType.LongDouble)
        {
            fixed (byte* g = got)
            {
                var r = TestArray.ReadX87(g);
                Assert.True(r == want, $"{what}: got ({r.m}, {r.lsb}), want ({want.m}, {want.lsb})");
            }
        }
        else
        {
            double w = ToDouble(want), g = TestArray.AsDouble(rt, got);
            Assert.True(w.Equals(g), $"{what}: got {g:R}, want {w:R}");
        }
    }

    public static IEnumerable<object[]> IntCases()
    {
        foreach (var t in RealTypes.Concat(ComplexTypes))
            foreach (int p in new[] { 1, 2, 3, 4 })
                if (!DTypes.IsComplex(t) || p % 2 == 0)
                    yield return new object[] { t, p };
    }

    [Theory]
    [MemberData(nameof(IntCases))]
    public void IntegerOrdersAreCorrectlyRounded(DType t, int p)
    {
        var rng = new Random((int)t * 31 + p);
        var f = FormatOf(DTypes.ResultType(t));
        foreach (int n in new[] { 1, 2, 3, 7, 16, 17, 33, 100, 257, 300 })
            foreach (int step in new[] { 1, -1, 3, -2 })
                foreach (bool wide in new[] { false, true })
                {
                    int span = n * Math.Abs(step);
                    var a = Random(t, span, rng, wide);
                    int first = step > 0 ? 0 : span - 1;
                    var idx = Enumerable.Range(0, n).Select(i => first + i * step).ToList();
                    byte[] got = a.Norm(Ord.Of(p), out _, first, n, step);
                    AssertResult(t, got, ExactIntP(a, idx, p, f), $"{t} p={p} n={n} step={step} wide={wide}");
                }
    }

    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float16)]
    [InlineData(DType.Int32)]
    [InlineData(DType.LongDouble)]
    public void NegativeIntegerOrdersAreCorrectlyRounded(DType t)
    {
        var rng = new Random((int)t);
        var f = FormatOf(DTypes.ResultType(t));
        foreach (int p in new[] { 1, 2, 3 })
            foreach (int n in new[] { 1, 2, 5, 13, 40 })
            {
                var a = new TestArray(t, n);
                for (int i = 0; i < n; i++)
                {
                    double v;
                    do v = RandomValue(t, rng, t is DType.Float64 or DType.LongDouble); while (v == 0);
                    a.Set(i, v);
                }
                // Σ|x|^-p = N/D·2^E: D = Π m_i^p, N = Σ_i Π_{j≠i} m_j^p · 2^(-e_i p - E)
                var ms = a.Re.Select(x => BigInteger.Pow(BigInteger.Abs(x.m), p)).ToArray();
                long eMax = a.Re.Max(x => (long)x.e * p);
                BigInteger D = ms.Aggregate(BigInteger.One, (x, y) => x * y), N = BigInteger.Zero;
                for (int i = 0; i < n; i++) N += (D / ms[i]) << (int)(eMax - (long)a.Re[i].e * p);
                // value^(−1/p) = (D/N · 2^eMax)^(1/p)
                long shift = (long)(f.Bits + 40) * p + (long)N.GetBitLength() - (long)D.GetBitLength();
                shift = Math.Max(shift, 0);
                shift += ((eMax - shift) % p + p) % p;
                BigInteger num = D << (int)shift;
                BigInteger t0 = BigInteger.DivRem(num, N, out BigInteger rem);
                BigInteger q = IRoot(t0, p);
                bool sticky = !rem.IsZero || BigInteger.Pow(q, p) != t0;
                var want = RoundQ(q, sticky, (eMax - shift) / p, f);
                byte[] got = a.Norm(Ord.Of(-p), out var ev);
                Assert.Equal(FpEvents.None, ev);
                AssertResult(t, got, want, $"{t} p=-{p} n={n}");
            }
    }

    public static IEnumerable<object[]> AllTypes() => RealTypes.Concat(ComplexTypes).Select(t => new object[] { t });

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void MaxMinAndCountAreExact(DType t)
    {
        var rng = new Random(7 + (int)t);
        var f = FormatOf(DTypes.ResultType(t));
        foreach (int n in new[] { 1, 2, 9, 64, 300 })
            foreach (int step in new[] { 1, -3, 0 })
            {
                int span = step == 0 ? 1 : n * Math.Abs(step);
                var a = Random(t, span, rng, true);
                int first = step >= 0 ? 0 : span - 1;
                var idx = Enumerable.Range(0, n).Select(i => first + i * step).ToList();
                // |x|² as exact rationals compare like |x|
                var sq = idx.Select(i => PowSum(new[] { a.Re[i], a.Im[i] }, 2)).ToList();
                int Cmp((BigInteger S, long E) x, (BigInteger S, long E) y)
                {
                    if (x.S.IsZero || y.S.IsZero) return x.S.CompareTo(y.S);
                    long e = Math.Min(x.E, y.E);
                    return (x.S << (int)(x.E - e)).CompareTo(y.S << (int)(y.E - e));
                }
                var max = sq.Aggregate((x, y) => Cmp(x, y) >= 0 ? x : y);
                var min = sq.Aggregate((x, y) => Cmp(x, y) <= 0 ? x : y);
                AssertResult(t, a.Norm(Ord.Of(double.PositiveInfinity), out _, first, n, step), Root(max.S, max.E, 2, f), $"{t} inf n={n} step={step}");
                AssertResult(t, a.Norm(Ord.Of(double.NegativeInfinity), out _, first, n, step), Root(min.S, min.E, 2, f), $"{t} -inf n={n} step={step}");
                int nz = sq.Count(x => !x.S.IsZero);
                AssertResult(t, a.Norm(Ord.Of(0), out _, first, n, step), RoundQ(nz, false, 0, f), $"{t} 0 n={n} step={step}");
            }
    }

    [Theory]
    [InlineData(DType.Complex128)]
    [InlineData(DType.Complex64)]
    [InlineData(DType.CLongDouble)]
    public void ComplexL1IsWithinHalfUlpPlusTiny(DType t)
    {
        // Σ|z| is irrational: bracket each |z| between integer square roots at 200 bits, round both ends.
        var rng = new Random(11 + (int)t);
        var f = FormatOf(DTypes.ResultType(t));
        foreach (int n in new[] { 1, 2, 5, 50, 300 })
        {
            var a = Random(t, n, rng, false);
            var sq = Enumerable.Range(0, n).Select(i => PowSum(new[] { a.Re[i], a.Im[i] }, 2)).Where(x => !x.S.IsZero).ToList();
            const int bits = 200;
            BigInteger lo = 0, hi = 0;
            foreach (var (s, e) in sq)
            {
                // √(s·2^e)·2^bits = √(s·2^(e + 2·bits))
                long ee = e + 2L * bits;
                BigInteger v = ee >= 0 ? s << (int)ee : s >> (int)(-ee);
                BigInteger r = ExactReference.ISqrt(v);
                lo += r; hi += r + 1;
            }
            var wlo = RoundQ(lo, false, -bits, f);
            var whi = RoundQ(hi, false, -bits, f);
            byte[] got = a.Norm(Ord.Of(1), out _);
            if (wlo == whi) AssertResult(t, got, wlo, $"{t} L1 n={n}");
            else
            {
                double g = TestArray.AsDouble(DTypes.ResultType(t), got);
                Assert.True(g >= ToDouble(wlo) && g <= ToDouble(whi), $"{t} L1 n={n}: {g:R} not in [{ToDouble(wlo):R}, {ToDouble(whi):R}]");
            }
        }
    }

    private static double D(DType t, double[] xs, double p, out FpEvents ev)
    {
        var a = new TestArray(t, xs.Length);
        for (int i = 0; i < xs.Length; i++) a.Set(i, xs[i]);
        return TestArray.AsDouble(DTypes.ResultType(t), a.Norm(Ord.Of(p), out ev));
    }

    private static double C(DType t, (double re, double im)[] xs, double p, out FpEvents ev)
    {
        var a = new TestArray(t, xs.Length);
        for (int i = 0; i < xs.Length; i++) a.Set(i, xs[i].re, xs[i].im);
        return TestArray.AsDouble(DTypes.ResultType(t), a.Norm(Ord.Of(p), out ev));
    }

    public static IEnumerable<object[]> FloatTypes() =>
        new[] { DType.Float16, DType.Float32, DType.Float64, DType.LongDouble }.Select(t => new object[] { t });

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void NaNAndInfinityFollowNumpy(DType t)
    {
        double nan = double.NaN, inf = double.PositiveInfinity;
        double[] ords = { 2, 1, 0, inf, -inf, 3, 0.5, -1, -2 };
        // numpy 1.24 table (NUMPY_NORM_SPEC §5.2)
        var table = new (double[] x, double[] want)[]
        {
            (new[] { 1, nan, 2 }, new[] { nan, nan, 3, nan, nan, nan, nan, nan, nan }),
            (new[] { 1, inf, 2 }, new[] { inf, inf, 3, inf, 1, inf, inf, 2.0 / 3, 0.8944271909999159 }),
            (new[] { 1, -inf, nan }, new[] { nan, nan, 3, nan, nan, nan, nan, nan, nan }),
            (new[] { 0, inf }, new[] { inf, inf, 1, inf, 0, inf, inf, 0, 0 }),
            (new[] { inf, inf }, new[] { inf, inf, 2, inf, inf, inf, inf, inf, inf }),
            (new[] { nan }, new[] { nan, nan, 1, nan, nan, nan, nan, nan, nan }),
            (new[] { -0.0, -0.0 }, new[] { 0, 0, 0, 0, 0, 0, 0, 0, 0.0 }),
        };
        foreach (var (x, want) in table)
            for (int k = 0; k < ords.Length; k++)
            {
                double got = D(t, x, ords[k], out _);
                double w = t == DType.Float16 ? (double)(Half)want[k] : t == DType.Float32 ? (float)want[k] : want[k];
                if (t == DType.LongDouble && double.IsFinite(w) && w != 0) { Assert.True(Math.Abs(got - w) <= 1e-15 * w, $"{t} ord {ords[k]}: {got:R} vs {w:R}"); continue; }
                Assert.True(w.Equals(got), $"{t} [{string.Join(",", x)}] ord {ords[k]}: got {got:R} want {w:R}");
                Assert.False(BitConverter.DoubleToInt64Bits(got) < 0 && got == 0, "negative zero");
            }
    }

    [Theory]
    [MemberData(nameof(ComplexTypes2))]
    public void ComplexSpecialValuesFollowNumpy(DType t)
    {
        double nan = double.NaN, inf = double.PositiveInfinity;
        double[] ords = { 2, 1, 0, inf, -inf, 3, 0.5, -1, -2 };
        var table = new ((double, double)[] x, double[] want)[]
        {
            (new[] { (nan, 0.0), (1.0, 0.0) }, new[] { nan, nan, 2, nan, nan, nan, nan, nan, nan }),
            (new[] { (inf, nan), (1.0, 0.0) }, new[] { nan, inf, 2, inf, 1, inf, inf, 1, 1 }),
            (new[] { (1.0, inf) }, new[] { inf, inf, 1, inf, inf, inf, inf, inf, inf }),
            (new[] { (0.0, 0.0), (0.0, -0.0) }, new[] { 0, 0, 0, 0, 0, 0, 0, 0, 0.0 }),
            (new[] { (0.0, 1e-30), (0.0, 0.0) }, new[] { 1e-30, 1e-30, 1, 1e-30, 0, 1e-30, 1e-30, 0, 0 }),
        };
        foreach (var (x, want) in table)
            for (int k = 0; k < ords.Length; k++)
            {
                double got = C(t, x, ords[k], out _);
                double w = t == DType.Complex64 ? (float)want[k] : want[k];
                bool close = t == DType.CLongDouble ? Math.Abs(got - w) <= 1e-15 * Math.Abs(w) || w.Equals(got) : w.Equals(got);
                Assert.True(close, $"{t} ord {ords[k]} case {Array.IndexOf(table, (x, want))}: got {got:R} want {w:R}");
            }
    }

    public static IEnumerable<object[]> ComplexTypes2() => ComplexTypes.Select(t => new object[] { t });

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void EventsAndEmptyVectorsFollowNumpy(DType t)
    {
        double inf = double.PositiveInfinity;
        var empty = new TestArray(t, 0);
        Assert.Equal(0.0, TestArray.AsDouble(DTypes.ResultType(t), empty.Norm(Ord.Of(3), out var ev)));
        Assert.Equal(FpEvents.None, ev);
        Assert.Equal(0.0, TestArray.AsDouble(DTypes.ResultType(t), empty.Norm(Ord.Of(0), out _)));
        Assert.Equal(0.0, TestArray.AsDouble(DTypes.ResultType(t), empty.Norm(Ord.Of(inf), out _)));
        Assert.Equal(0.0, TestArray.AsDouble(DTypes.ResultType(t), empty.Norm(Ord.Of(1), out _)));
        Assert.Equal(inf, TestArray.AsDouble(DTypes.ResultType(t), empty.Norm(Ord.Of(-1.5), out ev)));
        Assert.Equal(FpEvents.ScalarPower, ev);
        var ex = Assert.Throws<NormException>(() => empty.Norm(Ord.Of(-inf), out _));
        Assert.Equal(NormError.EmptyReduction, ex.Error);
        Assert.Equal("zero-size array to reduction operation minimum which has no identity", ex.Message);
        Assert.True(double.IsNaN(TestArray.AsDouble(DTypes.ResultType(t), empty.Norm(Ord.Of(double.NaN), out _))));

        var withZero = new TestArray(t, 2);
        withZero.Set(0, 0); withZero.Set(1, 1);
        foreach (double p in new[] { -1, -2, -0.5 })
        {
            Assert.Equal(0.0, TestArray.AsDouble(DTypes.ResultType(t), withZero.Norm(Ord.Of(p), out ev)));
            Assert.Equal(FpEvents.DivideByZero, ev);
        }
        Assert.Equal(0.0, TestArray.AsDouble(DTypes.ResultType(t), withZero.Norm(Ord.Of(-inf), out ev)));
        Assert.Equal(FpEvents.None, ev);
    }

    [Fact]
    public void Float16CountsRoundAndOverflow()
    {
        var a = new TestArray(DType.Float16, 70000);
        for (int i = 0; i < a.Count; i++) a.Set(i, 1);
        Assert.Equal(double.PositiveInfinity, TestArray.AsDouble(DType.Float16, a.Norm(Ord.Of(0), out var ev)));
        Assert.Equal(FpEvents.Overflow, ev);
        Assert.Equal(3000.0, TestArray.AsDouble(DType.Float16, a.Norm(Ord.Of(0), out ev, 0, 3001)));
        Assert.Equal(FpEvents.None, ev);
    }

    [Fact]
    public void NoSpuriousOverflowOrUnderflow()
    {
        double R(double[] x, double p) => D(DType.Float64, x, p, out _);
        Assert.Equal(Math.Cbrt(2) * 1e200, R(new[] { 1e200, 1e200 }, 3), 1e186);
        Assert.Equal(1.2599210498948731e200, R(new[] { 1e200, 1e200 }, 3)); // mpmath: cbrt(2·1e200³) rounds here
        double r1000 = R(new[] { 2.0, 3.0 }, 1000);
        Assert.Equal(3.0, r1000); // 3·(1 + (2/3)^1000)^(1/1000) rounds to 3
        Assert.Equal(2.0, R(new[] { 2.0, 3.0 }, -1000));
        Assert.Equal(1e-200 / 2, R(new[] { 1e-200, 1e-200 }, -1), 1e-215);
        Assert.Equal(double.MaxValue, R(new[] { double.MaxValue, double.MaxValue }, 1e308));
        Assert.Equal(3.0, R(new[] { 2.0, 3.0 }, 1e308));
        Assert.Equal(7.07106781186547524e199, R(new[] { 1e200, 1e200 }, -2), 1e185);
        Assert.Equal(2e-320 * 2, R(new[] { 2e-320, 2e-320 }, 1));
        Assert.Equal(double.PositiveInfinity, R(new[] { double.MaxValue, double.MaxValue }, 1));
        D(DType.Float64, new[] { double.MaxValue, double.MaxValue }, 1, out var ev);
        Assert.Equal(FpEvents.Overflow, ev);
        Assert.Equal(double.PositiveInfinity, D(DType.Float64, new[] { 2.0, 3.0 }, 1e-300, out ev));
        Assert.Equal(FpEvents.Overflow, ev);
        // one nonzero element: the norm is that magnitude for every p
        foreach (double p in new[] { 1e-300, 1e-10, 0.3, 7.7, 1e300, -1e-300, -0.3, -7.7 })
            Assert.Equal(5e-300, R(new[] { 0.0, -5e-300, 0.0 }.Where(v => p > 0 || v != 0).ToArray(), p));
        // float32: [1e20, 1e20] 2-norm and L1 fine; longdouble keeps its wide range
        Assert.Equal((double)(float)(Math.Sqrt(2) * 1e20), D(DType.Float32, new[] { 1e20, 1e20 }, 2, out _));
        Assert.Equal((double)2e20f, D(DType.Float32, new[] { 1e20, 1e20 }, 1, out _));
    }

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void RealOrdersMatchClosedForms(DType t)
    {
        // 2^j copies of v: ‖x‖_p = v·2^(j/p); choose (j, p) with j/p an integer m.
        var rng = new Random(3 + (int)t);
        foreach (var (j, p) in new[] { (1, 0.5), (5, 2.5), (3, 1.5), (1, -0.5), (2, -0.5), (3, 0.75), (4, 0.25), (10, 2.5), (3, -0.375) })
            for (int trial = 0; trial < 5; trial++)
            {
                double v = RandomValue(t, rng, false);
                if (v == 0) continue;
                int n = 1 << j;
                int m = (int)Math.Round(j / p);
                var xs = Enumerable.Repeat(v, n).ToArray();
                double got = D(t, xs, p, out _);
                double want = Math.ScaleB(Math.Abs(v), m);
                want = t == DType.Float16 ? (double)(Half)want : t == DType.Float32 ? (float)want : want;
                Assert.Equal(want, got);
            }
    }

    [Fact]
    public void GeneralOrdersAgreeWithPowReferenceAndAreMonotone()
    {
        var rng = new Random(99);
        foreach (int n in new[] { 1, 3, 10, 100, 300 })
        {
            var xs = Enumerable.Range(0, n).Select(_ => TwoNormTests.Gaussian(rng)).ToArray();
            double prev = double.PositiveInfinity;
            foreach (double p in new[] { 0.1, 0.5, 0.9, 1.0, 1.3, 2.0, 2.5, 3.0, 7.3, 20, 100 })
            {
                double got = D(DType.Float64, xs, p, out _);
                // long-double-free reference: scaled naive sum in double; good to ~n·1e-16 relative
                double mx = xs.Max(Math.Abs);
                double s = xs.Sum(x => Math.Pow(Math.Abs(x) / mx, p));
                double refv = mx * Math.Pow(s, 1 / p);
                Assert.True(Math.Abs(got - refv) <= 1e-13 * refv / Math.Min(p, 1), $"n={n} p={p}: {got:R} vs {refv:R}");
                Assert.True(got <= prev, $"not monotone in p at n={n} p={p}");
                prev = got;
            }
        }
    }

    [Fact]
    public void LongDoubleWideRangeAndCodec()
    {
        // values beyond double's range: 2^±16000
        var a = new TestArray(DType.LongDouble, 3);
        a.SetX87(0, 0xC000000000000001UL, 16000 - 63);
        a.SetX87(1, 0x8000000000000000UL, 16000 - 63);
        a.SetX87(2, 0xFFFFFFFFFFFFFFFFUL, 15900);
        var f = Format.X87;
        foreach (int p in new[] { 1, 2, 3 })
        {
            var (s, e) = PowSum(a.Re, p);
            AssertResult(DType.LongDouble, a.Norm(Ord.Of(p), out var ev), Root(s, e, p, f), $"x87 p={p}");
            Assert.Equal(FpEvents.None, ev);
        }
        AssertResult(DType.LongDouble, a.Norm(Ord.Of(double.PositiveInfinity), out _), (new BigInteger(0xC000000000000001UL), 16000 - 63), "x87 max");
        AssertResult(DType.LongDouble, a.Norm(Ord.Of(double.NegativeInfinity), out _), (new BigInteger(0xFFFFFFFFFFFFFFFFUL), 15900), "x87 min");
        // subnormal x87 values round-trip through the max
        var sub = new TestArray(DType.LongDouble, 2);
        sub.SetX87(0, 12345, -16445);
        sub.SetX87(1, 3, -16445);
        AssertResult(DType.LongDouble, sub.Norm(Ord.Of(double.PositiveInfinity), out _), (new BigInteger(12345), -16445), "x87 subnormal max");
        AssertResult(DType.LongDouble, sub.Norm(Ord.Of(1), out _), (new BigInteger(12348), -16445), "x87 subnormal sum");
        // overflow of the x87 range reports Overflow
        var big = new TestArray(DType.LongDouble, 2);
        big.SetX87(0, ulong.MaxValue, 16383 - 63);
        big.SetX87(1, ulong.MaxValue, 16383 - 63);
        Assert.Equal(double.PositiveInfinity, TestArray.AsDouble(DType.LongDouble, big.Norm(Ord.Of(1), out var ev2)));
        Assert.Equal(FpEvents.Overflow, ev2);
        AssertResult(DType.LongDouble, big.Norm(Ord.Of(5), out _), Root(PowSum(big.Re, 5).S, PowSum(big.Re, 5).E, 5, f), "x87 near max p=5");
    }

    [Fact]
    public void ManyOutputsEqualSeparateReductions()
    {
        // 2-D C-order 7×13 float32, reduce each axis; every output equals the 1-D strided norm.
        var rng = new Random(4);
        const int R = 7, Cc = 13;
        var a = Random(DType.Float64, R * Cc, rng, true);
        foreach (double p in new[] { 1, 2, 3, 0.5, double.PositiveInfinity, double.NegativeInfinity, 0, -1.5 })
            foreach (int axis in new[] { 0, 1 })
            {
                int outs = axis == 0 ? Cc : R;
                var res = new double[outs];
                fixed (byte* b = a.Bytes) fixed (double* r = res)
                {
                    long[] shape = { R, Cc }; long[] strides = { Cc * 8, 8 };
                    long[] oshape = { outs }; long[] ostr = { 8 };
                    VectorNorms.Compute(new NdView(b, DType.Float64, shape, strides), 1UL << axis, Ord.Of(p), new NdView(r, DType.Float64, oshape, ostr));
                }
                for (int k = 0; k < outs; k++)
                {
                    byte[] one = axis == 0 ? a.Norm(Ord.Of(p), out _, k, R, Cc) : a.Norm(Ord.Of(p), out _, k * Cc, Cc, 1);
                    Assert.Equal(BitConverter.ToDouble(one), res[k]);
                }
            }
    }

    [Fact]
    public void ComplexL1AndMaxHaveNoSpuriousOverflowAcrossBlocks()
    {
        // 10000 elements (3 blocks): |1e200 + 1e200i| = √2·1e200 each
        var xs = Enumerable.Range(0, 10000).Select(i => (i % 2 == 0 ? 1e200 : -1e200, 1e200)).ToArray();
        double l1 = C(DType.Complex128, xs, 1, out var ev);
        Assert.Equal(FpEvents.None, ev);
        Assert.Equal(Math.Sqrt(2) * 1e204, l1, 1e190);
        Assert.Equal(1.4142135623730951e200, C(DType.Complex128, xs, double.PositiveInfinity, out _));
        var tiny = Enumerable.Range(0, 5000).Select(i => (3e-320, 4e-320)).ToArray();
        Assert.Equal(5000 * 5e-320, C(DType.Complex128, tiny, 1, out _), 1e-330);
        xs[7777] = (double.PositiveInfinity, double.NaN);
        Assert.Equal(double.PositiveInfinity, C(DType.Complex128, xs, 1, out _));
        xs[9999] = (double.NaN, 0);
        Assert.True(double.IsNaN(C(DType.Complex128, xs, double.PositiveInfinity, out _)));
    }
}
