using NormManaged.Engine;
using Xunit;

namespace NormManaged.Tests;

/// <summary>Complex orders 0, −∞, −1, −2 (<see cref="ComplexNegative"/>) against the element-by-element extended
/// path (<see cref="GeneralNorm"/>): the same bits and events for 0 and −∞ (exact count, exact minimum), the same
/// special-value results and events and at most one ulp apart for −1 and −2; plus exact small cases.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class ComplexNegativeTests
{
    private static readonly double[] Ords = { 0, double.NegativeInfinity, -1, -2 };

    /// <summary>Norm of n complex values (interleaved re, im in <paramref name="reim"/>, element stride
    /// <paramref name="step"/> in elements, possibly negative) through the public entry point, and through GeneralNorm.</summary>
    private static (double Got, FpEvents GotEv, double Want, FpEvents WantEv) Both(double[] reim, int n, int step, DType t, double p)
    {
        int es = t == DType.Complex128 ? 16 : 8;
        var bytes = new byte[Math.Max(1, (n - 1) * Math.Abs(step) + 1) * es + 8];
        fixed (byte* b0 = bytes)
        {
            byte* first = step < 0 ? b0 + (n - 1) * (long)(-step) * es : b0;
            for (int i = 0; i < n; i++)
            {
                byte* q = first + (long)i * step * es;
                if (t == DType.Complex128) { ((double*)q)[0] = reim[2 * i]; ((double*)q)[1] = reim[2 * i + 1]; }
                else { ((float*)q)[0] = (float)reim[2 * i]; ((float*)q)[1] = (float)reim[2 * i + 1]; }
            }
            DType ot = t == DType.Complex128 ? DType.Float64 : DType.Float32;
            long[] shape = { n }, strides = { (long)step * es };
            double g = 0, w = 0; float gf = 0, wf = 0;
            FpEvents gev, wev;
            if (ot == DType.Float64)
            {
                gev = VectorNorms.Compute(new NdView(first, t, shape, strides), 1, Ord.Of(p),
                    new NdView(&g, ot, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
                var plan = ReductionPlan.Create(shape, strides, 1, ReadOnlySpan<long>.Empty);
                wev = GeneralNorm.Reduce(plan, first, t, p, ot, (byte*)&w);
            }
            else
            {
                gev = VectorNorms.Compute(new NdView(first, t, shape, strides), 1, Ord.Of(p),
                    new NdView(&gf, ot, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
                var plan = ReductionPlan.Create(shape, strides, 1, ReadOnlySpan<long>.Empty);
                wev = GeneralNorm.Reduce(plan, first, t, p, ot, (byte*)&wf);
                g = gf; w = wf;
            }
            return (g, gev, w, wev);
        }
    }

    private static void Check(double[] reim, int n, int step, DType t, string what)
    {
        foreach (double p in Ords)
        {
            var (g, gev, w, wev) = Both(reim, n, step, t, p);
            Assert.True(gev == wev, $"{what} {t} p={p}: events {gev} vs {wev}");
            if (p == 0 || double.IsNegativeInfinity(p) || double.IsNaN(w) || double.IsInfinity(w) || w == 0)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(g) == BitConverter.DoubleToInt64Bits(w), $"{what} {t} p={p}: {g:R} vs {w:R}");
                continue;
            }
            double ulp = t == DType.Complex128 ? Math.BitIncrement(w) - w : MathF.BitIncrement((float)w) - (float)w;
            Assert.True(Math.Abs(g - w) <= ulp, $"{what} {t} p={p}: {g:R} vs {w:R}");
        }
    }

    private static double Part(Random rng, int kind)
    {
        double g = TwoNormTests.Gaussian(rng);
        return kind switch
        {
            0 => g,
            1 => g * Math.Pow(2, rng.Next(-1100, 1000)),                 // every binade, subnormals included
            2 => rng.Next(5) == 0 ? 0 : g * Math.Pow(2, rng.Next(-520, -480)), // around the 2^-500 screen edge
            3 => g * Math.Pow(2, rng.Next(480, 520)),                    // around the 2^500 screen edge
            4 => rng.Next(6) switch { 0 => double.NaN, 1 => double.PositiveInfinity, 2 => 0, 3 => -0.0, _ => g },
            _ => rng.Next(3) switch { 0 => 3, 1 => 4, _ => 5 } * (rng.Next(2) == 0 ? 1 : -1), // exact ties |3+4i| = |5|
        };
    }

    [Fact]
    public void MatchesTheExtendedPathOnRandomAndSpecialData()
    {
        var rng = new Random(7);
        foreach (DType t in new[] { DType.Complex128, DType.Complex64 })
            foreach (int n in new[] { 1, 2, 3, 5, 8, 9, 255, 256, 257, 1000, 3000 })
                for (int kind = 0; kind < 6; kind++)
                    for (int trial = 0; trial < 3; trial++)
                    {
                        var a = new double[2 * n];
                        double s = Math.Pow(2, rng.Next(-60, 60));
                        for (int i = 0; i < a.Length; i++)
                            a[i] = kind == 0 ? Part(rng, 0) * s : (rng.Next(4) == 0 ? Part(rng, kind) : Part(rng, 0) * s);
                        int step = trial switch { 0 => 1, 1 => -1, _ => 3 };
                        Check(a, n, step, t, $"n={n} kind={kind} trial={trial}");
                    }
    }

    [Fact]
    public void DescendingMagnitudesUpdateTheMinimumEveryElement()
    {
        // the screen never skips: every element is the new minimum (ties between neighbours included)
        foreach (DType t in new[] { DType.Complex128, DType.Complex64 })
            foreach (double scale in new[] { 1.0, Math.Pow(2, -520), Math.Pow(2, 500), Math.Pow(2, -140) })
            {
                int n = 700;
                var a = new double[2 * n];
                for (int i = 0; i < n; i++) { a[2 * i] = (n - i / 2) * 3 * scale; a[2 * i + 1] = (n - i / 2) * 4 * scale; }
                Check(a, n, 1, t, $"descending scale={scale}");
            }
    }

    [Fact]
    public void NearTiesInMagnitudeAreDecidedExactly()
    {
        // |z| within a few ulps of each other at every position (angles vary, magnitudes 1 + O(2^-50)):
        // a screen that skipped a candidate by more than its rounding error would pick a different minimum
        var rng = new Random(11);
        foreach (int n in new[] { 4, 7, 64, 300, 1500 })
            for (int trial = 0; trial < 20; trial++)
            {
                var a = new double[2 * n];
                double scale = Math.Pow(2, rng.Next(-400, 400));
                for (int i = 0; i < n; i++)
                {
                    double m = 1 + rng.Next(-8, 8) * Math.Pow(2, -52), th = rng.NextDouble() * 2 * Math.PI;
                    a[2 * i] = m * Math.Cos(th) * scale; a[2 * i + 1] = m * Math.Sin(th) * scale;
                }
                Check(a, n, trial % 2 == 0 ? 1 : -2, DType.Complex128, $"near ties n={n} trial={trial}");
            }
    }

    [Fact]
    public void VectorAndScalarBodiesGiveTheSameBits()
    {
        var rng = new Random(5);
        foreach (DType t in new[] { DType.Complex128, DType.Complex64 })
            foreach (int n in new[] { 3, 4, 13, 256, 1001, 5000 })
                for (int kind = 0; kind < 6; kind++)
                {
                    var a = new double[2 * n];
                    for (int i = 0; i < a.Length; i++) a[i] = rng.Next(50) == 0 ? Part(rng, kind) : Part(rng, 0);
                    foreach (double p in Ords)
                        foreach (int step in new[] { 1, -1, 2 })
                        {
                            ComplexNegative.UseVector = false;
                            double s;
                            try { s = Both(a, n, step, t, p).Got; }
                            finally { ComplexNegative.UseVector = true; }
                            double v = Both(a, n, step, t, p).Got;
                            Assert.True(BitConverter.DoubleToInt64Bits(s) == BitConverter.DoubleToInt64Bits(v),
                                $"{t} n={n} kind={kind} p={p} step={step}: scalar {s:R} vector {v:R}");
                        }
                }
    }

    /// <summary>Lines of several 4096-value segments (summed in order, split over threads from two segments): the same
    /// bits for 1, 2 and 3 threads and within an ulp of the extended path, for the one-pass sum, the scaled two-pass
    /// sum (values beyond the fast range) and the zero short-cut, at every stride sign.</summary>
    [Fact]
    public void LongLinesGiveTheSameBitsForEveryThreadCount()
    {
        var rng = new Random(19);
        foreach (DType t in new[] { DType.Complex128, DType.Complex64 })
            foreach (int n in new[] { 8191, 8192, 8193, 12289, 20000 })
                for (int kind = 0; kind < 3; kind++)
                {
                    var a = new double[2 * n];
                    for (int i = 0; i < a.Length; i++) a[i] = Part(rng, 0) * Math.Pow(2, rng.Next(-20, 20));
                    if (kind == 1) a[2 * rng.Next(n)] = Math.Pow(2, 600); // out of the fast range: the two-pass sum
                    if (kind == 2) { int z = rng.Next(n); a[2 * z] = 0; a[2 * z + 1] = 0; }
                    foreach (double p in new[] { -1.0, -2.0 })
                        foreach (int step in new[] { 1, -1, 2 })
                        {
                            var one = WithThreads(1, () => Both(a, n, step, t, p));
                            foreach (int threads in new[] { 2, 3 })
                            {
                                var r = WithThreads(threads, () => Both(a, n, step, t, p));
                                Assert.True(BitConverter.DoubleToInt64Bits(one.Got) == BitConverter.DoubleToInt64Bits(r.Got) && one.GotEv == r.GotEv,
                                    $"{t} n={n} kind={kind} p={p} step={step} threads={threads}: {one.Got:R} vs {r.Got:R}");
                            }
                        }
                    Check(a, n, 1, t, $"long n={n} kind={kind}");
                }
    }

    private static T WithThreads<T>(int threads, Func<T> f)
    {
        int old = Parallelism.SetMaxThreads(threads);
        try { return f(); } finally { Parallelism.SetMaxThreads(old); }
    }

    [Fact]
    public void LargestTermsJustPastTheOnePassCount()
    {
        // |z| ≈ 2^-500 (the edge of the fast range): each 1/|z|² ≈ 2^1000; 2^20 + 3 of them take the two-pass
        // scaled path (the one-pass sum is used for p = −2 only up to 2^20 terms, keeping it below 2^1020)
        int n = (1 << 20) + 3;
        var a = new double[2 * n];
        for (int i = 0; i < n; i++) { a[2 * i] = Math.Pow(2, -500) * 0.6; a[2 * i + 1] = Math.Pow(2, -500) * 0.8; }
        var r = Both(a, n, 1, DType.Complex128, -2);
        Assert.True(double.IsFinite(r.Got) && r.Got > 0, $"{r.Got:R}");
        Assert.True(Math.Abs(r.Got - r.Want) <= Math.BitIncrement(r.Want) - r.Want, $"{r.Got:R} vs {r.Want:R}");
        Assert.Equal(FpEvents.None, r.GotEv);
    }

    [Fact]
    public void ExactSmallCases()
    {
        // |3+4i| = 5, |0+5i| = 5, |1+0i| = 1: ord 0 → 3, −∞ → 1, −1 → 1/(1/5+1/5+1) = 5/7, −2 → 1/√(1/25+1/25+1) = 5/√27
        var a = new double[] { 3, 4, 0, -5, 1, 0 };
        foreach (DType t in new[] { DType.Complex128, DType.Complex64 })
        {
            Assert.Equal(3.0, Both(a, 3, 1, t, 0).Got);
            Assert.Equal(1.0, Both(a, 3, 1, t, double.NegativeInfinity).Got);
            double m1 = Both(a, 3, 1, t, -1).Got, m2 = Both(a, 3, 1, t, -2).Got;
            if (t == DType.Complex128) { Assert.Equal(5.0 / 7, m1); Assert.Equal(5 / Math.Sqrt(27), m2); }
            else { Assert.Equal((float)(5.0 / 7), (float)m1); Assert.Equal((float)(5 / Math.Sqrt(27)), (float)m2); }
        }
        // zero with negative ord: 0 and DivideByZero; NaN wins over zero; inf only: inf with ScalarPower
        var z = new double[] { 1, 1, 0, 0 };
        var r = Both(z, 2, 1, DType.Complex128, -1);
        Assert.Equal(0.0, r.Got); Assert.Equal(FpEvents.DivideByZero, r.GotEv);
        var zn = new double[] { 0, 0, double.NaN, 1 };
        r = Both(zn, 2, 1, DType.Complex128, -2);
        Assert.True(double.IsNaN(r.Got)); Assert.Equal(FpEvents.DivideByZero, r.GotEv);
        var inf = new double[] { double.PositiveInfinity, double.NaN };
        r = Both(inf, 1, 1, DType.Complex128, -1);
        Assert.Equal(double.PositiveInfinity, r.Got); Assert.Equal(FpEvents.ScalarPower, r.GotEv);
        Assert.Equal(double.PositiveInfinity, Both(inf, 1, 1, DType.Complex128, double.NegativeInfinity).Got);
        Assert.Equal(1.0, Both(inf, 1, 1, DType.Complex128, 0).Got);
    }
}
