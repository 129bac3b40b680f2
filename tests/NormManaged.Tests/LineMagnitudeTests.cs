using System.Numerics;
using System.Runtime.InteropServices;
using NormManaged.Matrix;
using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>The vectorised |z| of the matrix ±1/±∞ line sums: correctly rounded against an exact big-integer
/// test, the vector and scalar code bit-identical at every position, special values, and matrix results the same
/// for both widths and 1–3 threads.</summary>
[Collection(nameof(EngineKnobsCollection))]
public class LineMagnitudeTests
{
    /// <summary>True when z is a correctly rounded √(re² + im²): (z − ½ulp)² ≤ re² + im² ≤ (z + ½ulp)², exactly.</summary>
    private static bool CorrectlyRounded(double re, double im, double z)
    {
        // every double is k·2⁻¹¹⁰⁰ for an integer k: compare scaled integers
        static BigInteger K(double x)
        {
            long bits = BitConverter.DoubleToInt64Bits(Math.Abs(x));
            int e = (int)(bits >> 52);
            long m = bits & ((1L << 52) - 1);
            if (e == 0) e = 1; else m |= 1L << 52;
            return (BigInteger)m << (e - 1);   // |x|·2¹⁰⁷⁴ = m·2^(e−1)
        }
        BigInteger s = K(re) * K(re) + K(im) * K(im);      // (re² + im²)·2^2148
        double up = Math.BitIncrement(z), dn = Math.BitDecrement(z);
        // twice the midpoints between z and its neighbours, scaled by 2¹⁰⁷⁴
        BigInteger hiMid = K(z) + K(up), loMid = z == 0 ? BigInteger.Zero : K(z) + K(dn);
        BigInteger s4 = s * 4;
        return loMid * loMid <= s4 && s4 <= hiMid * hiMid;
    }

    private static double RandomComponent(Random rng) => rng.Next(8) switch
    {
        0 => 0.0,
        1 => Math.ScaleB(rng.NextDouble(), rng.Next(-1074, -1000)),
        2 => Math.ScaleB(1 + rng.NextDouble(), rng.Next(900, 1023)),
        3 => Math.ScaleB(1 + rng.NextDouble(), rng.Next(-470, -430)),
        4 => Math.ScaleB(1 + rng.NextDouble(), rng.Next(430, 470)),
        _ => (rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-60, 60)),
    };

    [Fact]
    public unsafe void VectorAndScalarAgreeAndAreCorrectlyRounded()
    {
        var rng = new Random(5);
        int n = 4001;
        var v = new double[2 * n + 8];
        for (int i = 0; i < 2 * n; i++) v[i] = (rng.Next(2) == 0 ? -1 : 1) * RandomComponent(rng);
        // blocks with only in-range values (vector path) and single special values in them
        for (int i = 0; i < 400; i++) v[i] = rng.NextDouble() * 3 - 1.5;
        v[401] = double.NaN; v[600] = double.PositiveInfinity; v[603] = double.NaN; v[602] = double.NegativeInfinity;
        var dst = new double[n];
        for (int shift = 0; shift < 3; shift++)
        {
            fixed (double* pv = v, pd = dst) LineMagnitudes.Run(pv + 2 * shift, n - shift, pd);
            for (int i = 0; i < n - shift; i++)
            {
                double re = v[2 * (i + shift)], im = v[2 * (i + shift) + 1];
                double want = LineMagnitudes.Of(re, im);
                Assert.Equal(BitConverter.DoubleToInt64Bits(want), BitConverter.DoubleToInt64Bits(dst[i]));
                if (double.IsInfinity(re) || double.IsInfinity(im)) Assert.Equal(double.PositiveInfinity, want);
                else if (double.IsNaN(re) || double.IsNaN(im)) Assert.True(double.IsNaN(want));
                else if (want >= Math.ScaleB(1.0, -1020)) Assert.True(CorrectlyRounded(re, im, want), $"{re:R} {im:R} -> {want:R}");
            }
        }
        // in place, as Load uses it
        var w = (double[])v.Clone();
        fixed (double* pw = w) LineMagnitudes.Run(pw, n, pw);
        fixed (double* pv = v, pd = dst) LineMagnitudes.Run(pv, n, pd);
        Assert.Equal(dst, w.Take(n).ToArray());
        Assert.Equal(5e300, LineMagnitudes.Of(3e300, -4e300));
        Assert.Equal(5 * double.Epsilon, LineMagnitudes.Of(3 * double.Epsilon, 4 * double.Epsilon));
    }

    [Fact]
    public unsafe void SinglePrecisionMagnitudesMatchScalarAndExact()
    {
        var rng = new Random(6);
        int n = 2001;
        var v = new double[2 * n];
        for (int i = 0; i < 2 * n; i++)
            v[i] = (float)((rng.Next(2) == 0 ? -1 : 1) * (rng.Next(6) == 0 ? 0 : Math.ScaleB(1 + rng.NextDouble(), rng.Next(-149, 128))));
        v[11] = double.NaN; v[40] = double.PositiveInfinity; v[41] = double.NaN; v[100] = double.NegativeInfinity;
        v[300] = float.Epsilon; v[301] = -float.Epsilon; v[302] = float.MaxValue; v[303] = float.MaxValue;
        var dst = new double[n];
        fixed (double* pv = v, pd = dst) LineMagnitudes.RunSingle(pv, n, pd);
        for (int i = 0; i < n; i++)
        {
            double re = v[2 * i], im = v[2 * i + 1], want = LineMagnitudes.OfSingle(re, im);
            Assert.Equal(BitConverter.DoubleToInt64Bits(want), BitConverter.DoubleToInt64Bits(dst[i]));
            if (double.IsInfinity(re) || double.IsInfinity(im)) { Assert.Equal(double.PositiveInfinity, want); continue; }
            if (double.IsNaN(re) || double.IsNaN(im)) { Assert.True(double.IsNaN(want)); continue; }
            // within one float64 ulp of the exact |z| (the correctly rounded one is the exact-test reference)
            double cr = LineMagnitudes.Of(re, im);
            Assert.True(want == cr || want == Math.BitIncrement(cr) || want == Math.BitDecrement(cr), $"{re:R} {im:R}");
        }
        Assert.Equal(Math.Sqrt(2) * float.MaxValue, dst[151], 1e24);
        Assert.Equal(Math.Sqrt(2) * float.Epsilon, dst[150], 1e-60);
    }

    [Fact]
    public void ComplexLineSumsSameForWidthsAndThreads()
    {
        var rng = new Random(9);
        foreach (var (m, n) in new[] { (30, 30), (300, 260), (7, 500) })
        {
            var z = Enumerable.Range(0, m * n).Select(_ => new Complex(Gaussian(rng) * Math.ScaleB(1.0, rng.Next(-40, 40)), Gaussian(rng))).ToArray();
            z[m * n / 2] = new Complex(double.NaN, 1);
            foreach (var o in new[] { Ord.Of(1), Ord.Of(-1), Inf, NegInf })
            {
                double? first = null;
                foreach (var c in EngineKnobs.Configurations())
                {
                    double got = EngineKnobs.With(c, () => Norm(z, m, n, o));
                    if (first is null) first = got; else Assert.Equal(BitConverter.DoubleToInt64Bits(first.Value), BitConverter.DoubleToInt64Bits(got));
                }
                // reference with NaN removed: line sums of exactly rounded magnitudes, each well within 1e-15
                var clean = z.Select(c => double.IsNaN(c.Real) ? new Complex(0, 1) : c).ToArray();
                bool cols = Math.Abs(o.P) == 1;
                var sums = Enumerable.Range(0, cols ? n : m).Select(l => Enumerable.Range(0, cols ? m : n).Sum(k => Complex.Abs(cols ? clean[k * n + l] : clean[l * n + k]))).ToArray();
                double want = o.P > 0 ? sums.Max() : sums.Min();
                double gotClean = Norm(clean, m, n, o);
                Assert.True(RelErr(gotClean, want) < 1e-13, $"{gotClean} vs {want}");
                Assert.True(double.IsNaN(first!.Value));   // NaN wins for max and min
                // complex64: float32 results equal the rounding of exact sums of correctly rounded magnitudes
                var fl = clean.SelectMany(c => new[] { (float)c.Real, (float)c.Imaginary }).ToArray();
                var fsums = Enumerable.Range(0, cols ? n : m).Select(l => ExactAbsSum(Enumerable.Range(0, cols ? m : n).Select(k =>
                {
                    int at = cols ? k * n + l : l * n + k;
                    return LineMagnitudes.Of(fl[2 * at], fl[2 * at + 1]);
                }))).ToArray();
                double fwant = (float)(o.P > 0 ? fsums.Max() : fsums.Min());
                foreach (var c in EngineKnobs.Configurations())
                {
                    var got = EngineKnobs.With(c, () => Run(MemoryMarshal.AsBytes(fl.AsSpan()).ToArray(), DType.Complex64, new long[] { m, n }, new long[] { 8L * n, 8 }, 0, 0, 1, o)[0]);
                    Assert.Equal(fwant, got);
                }
            }
        }
    }
}
