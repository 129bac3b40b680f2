using System.Numerics;
using NormManaged.Kernels;
using Xunit;

namespace NormManaged.Tests;

/// <summary><see cref="DD.Exp"/> and <see cref="DD.Log"/> — the scalar double-double exp and log behind every p-norm's
/// root S^(1/p) and the per-element exact path — against big-integer fixed-point references (400 fractional bits:
/// ln 2 from Σ 1/(k·2ᵏ), e^r by its Taylor series, ln m by 2·atanh((m − 1)/(m + 1))).</summary>
public class DoubleDoubleExpLogTests
{
    private const int F = 400;
    private static readonly BigInteger One = BigInteger.One << F;
    private static readonly BigInteger Ln2 = ComputeLn2();

    private static BigInteger ComputeLn2()
    {
        BigInteger s = BigInteger.Zero, scale = BigInteger.One << (F + 32);
        for (int k = 1; k < F + 40; k++) s += scale / (new BigInteger(k) << k);
        return s >> 32;
    }

    /// <summary>v·2^F exactly (v a double; F large enough that every double in the tested range is exact).</summary>
    private static BigInteger Fixed(double v)
    {
        if (v == 0) return BigInteger.Zero;
        long bits = BitConverter.DoubleToInt64Bits(v);
        int ex = (int)((bits >> 52) & 0x7FF);
        long man = bits & 0xF_FFFF_FFFF_FFFFL;
        if (ex == 0) ex = 1; else man |= 1L << 52;
        int shift = ex - 1075 + F;
        var m = new BigInteger(man);
        var r = shift >= 0 ? m << shift : m >> -shift;
        return v < 0 ? -r : r;
    }

    private static BigInteger Mul(BigInteger a, BigInteger b) => (a * b) >> F;

    /// <summary>e^x·2^(−k) in fixed point with k = round(x/ln 2).</summary>
    private static BigInteger RefExp(BigInteger x, out long k)
    {
        k = (long)BigInteger.Divide(x + Ln2 / 2, Ln2);
        if (x + Ln2 / 2 < 0 && (x + Ln2 / 2) % Ln2 != 0) k--; // floor division
        BigInteger r = x - k * Ln2, term = One, sum = One;
        for (int n = 1; n < 120 && !term.IsZero; n++)
        {
            term = Mul(term, r) / n;
            sum += term;
        }
        return sum;
    }

    /// <summary>ln m in fixed point, m (fixed point) in [1/2, 2].</summary>
    private static BigInteger RefLogMantissa(BigInteger m)
    {
        BigInteger z = ((m - One) << F) / (m + One), z2 = Mul(z, z), term = z, sum = BigInteger.Zero;
        for (int n = 1; n < 600 && !term.IsZero; n += 2)
        {
            sum += term / n;
            term = Mul(term, z2);
        }
        return 2 * sum;
    }

    private static double RelErr(BigInteger got, BigInteger want)
        => Math.Abs((double)((got - want) << 200) / (double)want) * Math.ScaleB(1.0, -200);

    [Fact]
    public void ExpIsAccurateToTwoToTheMinus103()
    {
        var rng = new Random(5);
        double worst = 0;
        for (int t = 0; t < 4000; t++)
        {
            // arguments the callers produce: ln of a double-range value over p (|x| ≲ 750), p·ln (up to ~2¹⁰),
            // near-zero, and exact multiples of ln2/64 (table boundaries) with a small offset
            double xh = (t % 4) switch
            {
                0 => (rng.NextDouble() * 2 - 1) * 750,
                1 => (rng.NextDouble() * 2 - 1) * Math.ScaleB(1.0, rng.Next(-60, 11)),
                2 => Math.Round(rng.Next(-70000, 70000) * (Math.Log(2) / 64), 10) + (rng.NextDouble() - 0.5) * 1e-12,
                _ => (rng.NextDouble() * 2 - 1) * 0.0108,
            };
            double xl = xh * Math.ScaleB(rng.NextDouble() - 0.5, -53);
            xl = Math.Abs(xl) < Math.Abs(xh) * Math.ScaleB(1.0, -53) ? xl : 0;
            double h = DD.Exp(xh, xl, out double l, out int k);
            Assert.InRange(h, 0.7, 1.4142135623730951);
            var want = RefExp(Fixed(xh) + Fixed(xl), out long kr);
            var got = Fixed(h) + Fixed(l);
            long shift = k - kr;
            Assert.InRange(shift, -1, 1);
            got = shift >= 0 ? got << (int)shift : got >> (int)-shift;
            worst = Math.Max(worst, RelErr(got, want));
        }
        Assert.True(worst < Math.ScaleB(1.0, -103), $"worst relative error {worst:E3} (2^{Math.Log2(worst):F1})");
    }

    [Fact]
    public void ExpSpecialArguments()
    {
        Assert.True(double.IsNaN(DD.Exp(double.NaN, 0, out _, out _)));
        Assert.Equal(1.0, DD.Exp(0, 0, out double l0, out int k0));
        Assert.Equal(0.0, l0);
        Assert.Equal(0, k0);
        Assert.Equal(1.0, DD.Exp(1e9, 0, out _, out int kb));
        Assert.Equal(int.MaxValue / 4, kb);
        Assert.Equal(0.0, DD.Exp(-1e9, 0, out _, out _));
        // the largest arguments below the limit keep an exponent far from int overflow
        double h = DD.Exp(DD.ExpLimit, 0, out _, out int kl);
        Assert.InRange(h, 0.7, 1.4142135623730951);
        Assert.InRange(kl, 4e8, int.MaxValue / 4);
        DD.Exp(-DD.ExpLimit, 0, out _, out int km);
        Assert.InRange(km, -int.MaxValue / 4, -4e8);

    }

    [Fact]
    public void LogIsAccurateToTwoToTheMinus103()
    {
        var rng = new Random(6);
        double worst = 0;
        for (int t = 0; t < 3000; t++)
        {
            double hi = 1 + rng.NextDouble();
            if (t % 3 == 0) hi = 1 + (rng.NextDouble() - 0.5) * Math.ScaleB(1.0, -rng.Next(1, 40)); // near 1: ln small
            double lo = hi * Math.ScaleB(rng.NextDouble() - 0.5, -53);
            int e = t % 5 == 0 ? 0 : rng.Next(-1100, 1100);
            double yh = DD.Log(hi, lo, e, out double yl);
            // reference: m·2^E with m in [1/√2, √2)
            BigInteger m = Fixed(hi) + Fixed(lo);
            long E = e;
            while (m > One * 1414 / 1000) { m >>= 1; E++; }
            while (m < One * 707 / 1000) { m <<= 1; E--; }
            var want = RefLogMantissa(m) + E * Ln2;
            var got = Fixed(yh) + Fixed(yl);
            // relative to max(1, |ln|), the documented bound's scale
            var scale = BigInteger.Max(One, BigInteger.Abs(want));
            worst = Math.Max(worst, Math.Abs((double)((got - want) << 200) / (double)scale) * Math.ScaleB(1.0, -200));
        }
        Assert.True(worst < Math.ScaleB(1.0, -103), $"worst error / max(1, |ln|) {worst:E3} (2^{Math.Log2(worst):F1})");
    }

    /// <summary>The lane prelude's exponent handling (bit operations, subnormal hi scaled first, lo scaled in two
    /// halves) against exact rescalings: (hi·2^k, lo·2^k, e − k) is the same number as (hi, lo, e), so when both
    /// scalings are exact the log's bits must agree — for subnormal hi (lo then 0), hi up to the largest doubles, and
    /// lo scaled far down — while the reference test above bounds the value itself.</summary>
    [Fact]
    public void LogOfExactlyRescaledArgumentsIsBitIdentical()
    {
        var rng = new Random(11);
        for (int t = 0; t < 2000; t++)
        {
            // hi in [1, 2) with its 24 low mantissa bits clear, so that hi·2^k stays exact down to 2^−1045
            double hi = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(1 + rng.NextDouble()) & ~0xFF_FFFFL);
            double lo = t % 2 == 0 ? 0 : hi * Math.ScaleB(rng.NextDouble() - 0.5, -53);
            int e = rng.Next(-2000, 2000);
            double want = DD.Log(hi, lo, e, out double wantLo);
            int k = (t % 4) switch
            {
                0 => rng.Next(-1045, -1022),    // subnormal hi, its 29 bits kept (lo must be 0 there)
                1 => rng.Next(1000, 1024),      // hi up to the largest finite doubles
                2 => rng.Next(-1022, -960),     // hi near the normal limit
                _ => rng.Next(-900, 900),
            };
            if (k < -1022 + 60) lo = 0; // keep lo·2^k exact (normal)
            if (lo == 0) want = DD.Log(hi, 0, e, out wantLo);
            double h2 = Math.ScaleB(hi, k), l2 = Math.ScaleB(lo, k);
            Assert.Equal(hi, Math.ScaleB(h2, -k));
            double got = DD.Log(h2, l2, e - k, out double gotLo);
            Assert.Equal(want, got);
            Assert.Equal(wantLo, gotLo);
        }
    }
}
