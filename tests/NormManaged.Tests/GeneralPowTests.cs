using NormManaged.Engine;
using NormManaged.Kernels;
using Xunit;

namespace NormManaged.Tests;

/// <summary>The general-order vector path (<see cref="GeneralPowFast"/>, <see cref="VecLogExp"/>): per-term accuracy
/// against double-double exp/log, whole norms against the per-element exact path (<see cref="GeneralNorm"/>), special
/// values against it bit for bit, and bit-identity over vector widths, thread counts, offsets and lengths.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class GeneralPowTests
{
    private static readonly double[] Orders = { 0.125, 0.3, 0.7, 1.7, 7.3, 33.3, 100.1, 1000, -0.13, -0.7, -3.3, -7.7, -600, -999 };

    /// <summary>(|x|·2^−eb)^p by double-double log and exp (relative error ~2⁻⁹⁸), as (h, l, k): (h + l)·2^k.</summary>
    private static (double H, double L, int K) RefTerm(double x, double p, int eb, bool complex, double im = 0)
    {
        Ext a = complex ? Ext.Hypot(Ext.FromDouble(x), Ext.FromDouble(im)) : Ext.FromDouble(x);
        double lh = DD.Log(a.H, a.L, a.E - eb, out double ll);
        double zh = DD.Mul(lh, ll, p, 0, out double zl);
        double h = DD.Exp(zh, zl, out double l, out int k);
        return (h, l, k);
    }

    private static double Rel(double gh, double gl, (double H, double L, int K) r)
    {
        double want = Math.ScaleB(r.H, r.K);
        double d = (gh - want) + (gl - Math.ScaleB(r.L, r.K));
        return Math.Abs(d / want);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void EachTermIsAccurateToTwoToTheMinus56TimesOnePlusP(bool wide, bool lite)
    {
        // one element per call: the block sum is that single term (h + l), checked over the whole exponent range,
        // subnormals included, for real and complex elements and both vector widths. The bound: ln's absolute error
        // (≲ 2⁻⁵⁷) times |p| plus exp's relative error (≲ 2⁻⁵⁷); the norm divides it by |p| again. The plain-double
        // (lite) terms, for float32/float16/complex64 elements (float range), within 2⁻⁴³·(1 + |p|).
        bool saved = RealKernels.Wide;
        RealKernels.Wide = wide && System.Runtime.Intrinsics.X86.Avx512F.IsSupported;
        try
        {
            var rng = new Random(11);
            double worst = 0;
            foreach (double p in Orders)
                for (int t = 0; t < 300; t++)
                {
                    double x = (1 + rng.NextDouble()) * Math.ScaleB(1.0, lite ? rng.Next(-149, 127) : rng.Next(-1074, 1024));
                    if (lite) x = (float)x;
                    if (double.IsInfinity(x)) continue;
                    int e = Math.ILogB(x);
                    int eb = p > 0 ? e + 1 : e;
                    VecLogExp.PowSum(new[] { x }, false, p, eb, lite, out double h, out double l);
                    var r = RefTerm(x, p, eb, false);
                    if (Math.ScaleB(r.H, r.K) < Math.ScaleB(1.0, -1000)) continue; // dropped by design (< 2⁻¹⁰²¹)
                    worst = Math.Max(worst, Rel(h, l, r) / (1 + Math.Abs(p)));
                    // complex: a second part somewhere below the first (possibly underflowing in the square)
                    double im = x * Math.ScaleB(rng.NextDouble(), -rng.Next(0, lite ? 20 : 80)) * (rng.Next(2) == 0 ? 1 : -1);
                    if (lite) im = (float)im;
                    Ext mag = Ext.Hypot(Ext.FromDouble(x), Ext.FromDouble(im));
                    int ebc = p > 0 ? mag.E + 1 : Math.ILogB(Math.Max(Math.Abs(x), Math.Abs(im)));
                    VecLogExp.PowSum(new[] { im, x }, true, p, ebc, lite, out h, out l);
                    r = RefTerm(im, p, ebc, true, x);
                    if (Math.ScaleB(r.H, r.K) < Math.ScaleB(1.0, -1000)) continue;
                    worst = Math.Max(worst, Rel(h, l, r) / (1 + Math.Abs(p)));
                }
            Assert.True(worst < Math.ScaleB(1.0, lite ? -43 : -56), $"worst relative term error / (1 + |p|): {worst:E3}");
        }
        finally { RealKernels.Wide = saved; }
    }

    private static double Norm(double[] x, int offset, int n, long stride, double p, DType t = DType.Float64)
    {
        double r;
        fixed (double* q = x)
        {
            long[] shape = { n }; long[] strides = { stride * (t == DType.Complex128 ? 16 : 8) };
            VectorNorms.Compute(new NdView(q + offset, t, shape, strides), 1, Ord.Of(p),
                new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        }
        return r;
    }

    /// <summary>The exact per-element path on the same data.</summary>
    private static double Exact(double[] x, int offset, int n, long stride, double p, DType t, out FpEvents ev)
    {
        double r;
        fixed (double* q = x)
        {
            long[] shape = { n }; long[] strides = { stride * (t == DType.Complex128 ? 16 : 8) };
            var plan = ReductionPlan.Create(shape, strides, 1, ReadOnlySpan<long>.Empty);
            ev = GeneralNorm.Reduce(plan, (byte*)(q + offset), t, p, DType.Float64, (byte*)&r);
        }
        return r;
    }

    private static double UlpDiff(double a, double b)
        => a == b ? 0 : Math.Abs(a - b) / Math.Max(double.Epsilon, Math.BitIncrement(Math.Abs(b)) - Math.Abs(b));

    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Complex128)]
    public void NormsAgreeWithTheExactPathWithinOneUlp(DType t)
    {
        var rng = new Random(t == DType.Float64 ? 3 : 4);
        int w = t == DType.Complex128 ? 2 : 1;
        double worst = 0;
        foreach (double p in Orders)
            foreach (int n in new[] { 1, 2, 15, 16, 17, 31, 33, 100, 4095, 4096, 4097, 9000 })
            {
                int scaleKind = rng.Next(4);
                var x = new double[n * w * 2 + 3];
                for (int i = 0; i < x.Length; i++)
                {
                    double g = TwoNormTests.Gaussian(rng);
                    x[i] = scaleKind switch
                    {
                        0 => g,
                        1 => g * 1e300,
                        2 => g * 1e-305, // subnormal and tiny normal values
                        _ => g * Math.ScaleB(1.0, rng.Next(-1000, 1000)),
                    };
                }
                long stride = rng.Next(2) == 0 ? 1 : (rng.Next(2) == 0 ? 2 : -1);
                int off = stride < 0 ? (n - 1) * w : rng.Next(2);
                double got = Norm(x, off, n, stride, p, t);
                double want = Exact(x, off, n, stride, p, t, out _);
                double d = UlpDiff(got, want);
                Assert.True(d <= 1, $"p={p} n={n} kind={scaleKind}: {got:R} vs exact path {want:R}");
                worst = Math.Max(worst, d);
            }
        Assert.True(worst <= 1);
    }

    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Complex128)]
    public void SpecialValuesMatchTheExactPath(DType t)
    {
        // zeros (p < 0: 0 and a divide-by-zero event), ∞ (dominates for p > 0, contributes 0 for p < 0), NaN, and for
        // complex the (∞, NaN) element whose magnitude is ∞ — placed in the first or a later block
        int w = t == DType.Complex128 ? 2 : 1;
        double nan = double.NaN, inf = double.PositiveInfinity;
        var specials = new[] { 0.0, inf, -inf, nan };
        foreach (double p in new[] { 1.7, 0.3, -0.7, -3.3 })
            foreach (int n in new[] { 1, 5, 40, 5000 })
                foreach (double s1 in specials)
                    foreach (double s2 in t == DType.Complex128 ? specials : new[] { 1.0 })
                        foreach (int pos in new[] { 0, n - 1 })
                        {
                            var x = new double[n * w];
                            for (int i = 0; i < x.Length; i++) x[i] = 0.5 + i % 7;
                            x[pos * w] = s1;
                            if (w == 2) x[pos * w + 1] = s2;
                            double got;
                            FpEvents evGot;
                            fixed (double* q = x)
                            {
                                long[] shape = { n }; long[] strides = { 8L * w };
                                double r;
                                evGot = VectorNorms.Compute(new NdView(q, t, shape, strides), 1, Ord.Of(p),
                                    new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
                                got = r;
                            }
                            double want = Exact(x, 0, n, 1, p, t, out FpEvents evWant);
                            Assert.True(BitConverter.DoubleToInt64Bits(got) == BitConverter.DoubleToInt64Bits(want)
                                        || UlpDiff(got, want) <= 1, $"p={p} n={n} ({s1}, {s2}) at {pos}: {got} vs {want}");
                            Assert.Equal(evWant, evGot);
                        }
    }

    [Theory]
    [InlineData(DType.Float64, 1.7)]
    [InlineData(DType.Float64, -0.3)]
    [InlineData(DType.Complex128, 0.3)]
    [InlineData(DType.Complex128, -7.7)]
    public void BitsDoNotDependOnWidthThreadsOrAlignment(DType t, double p)
    {
        int w = t == DType.Complex128 ? 2 : 1;
        var rng = new Random(17);
        foreach (int n in new[] { 7, 16, 4111, 16_384, 100_000, 262_144, 300_001 })
        {
            var x = new double[n * w + 1];
            for (int i = 0; i < x.Length; i++) x[i] = TwoNormTests.Gaussian(rng) * Math.ScaleB(1.0, rng.Next(-40, 40));
            long? first = null;
            foreach (var c in EngineKnobs.Configurations())
            {
                double r = EngineKnobs.With(c, () => Norm(x, 0, n, 1, p, t));
                long bits = BitConverter.DoubleToInt64Bits(r);
                first ??= bits;
                Assert.Equal(first.Value, bits);
            }
            // a copy shifted by one double (different alignment) gives the same bits
            var y = new double[x.Length + 1];
            Array.Copy(x, 0, y, 1, x.Length);
            Assert.Equal(first!.Value, BitConverter.DoubleToInt64Bits(Norm(y, 1, n, 1, p, t)));
        }
    }

    [Fact]
    public void NarrowResultsAreTheExactPathsBits()
    {
        // float32 and float16 inputs (results in their own format) must give exactly the correctly rounded value that
        // the exact path stores, whether the fast path proved it or fell back
        var rng = new Random(23);
        foreach (double p in Orders)
            for (int trial = 0; trial < 20; trial++)
            {
                int n = rng.Next(1, 3000);
                var f = new float[n];
                var h = new Half[n];
                for (int i = 0; i < n; i++)
                {
                    f[i] = (float)(TwoNormTests.Gaussian(rng) * Math.ScaleB(1.0, rng.Next(-60, 60)));
                    h[i] = (Half)(TwoNormTests.Gaussian(rng) * Math.ScaleB(1.0, rng.Next(-6, 6)));
                }
                Assert.Equal(NarrowExact(f, DType.Float32, p), NarrowFast(f, DType.Float32, p));
                Assert.Equal(NarrowExact(h, DType.Float16, p), NarrowFast(h, DType.Float16, p));
            }
    }

    private static long NarrowFast<T>(T[] x, DType t, double p) where T : unmanaged
    {
        long r = 0;
        fixed (T* q = x)
        {
            long[] shape = { x.Length }; long[] strides = { sizeof(T) };
            VectorNorms.Compute(new NdView(q, t, shape, strides), 1, Ord.Of(p),
                new NdView(&r, t, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        }
        return r;
    }

    private static long NarrowExact<T>(T[] x, DType t, double p) where T : unmanaged
    {
        long r = 0;
        fixed (T* q = x)
        {
            long[] shape = { x.Length }; long[] strides = { sizeof(T) };
            var plan = ReductionPlan.Create(shape, strides, 1, ReadOnlySpan<long>.Empty);
            GeneralNorm.Reduce(plan, (byte*)q, t, p, t, (byte*)&r);
        }
        return r;
    }

    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Complex128)]
    public void OrdersNearAThousandKeepTermsJustBelowTheLargest(DType t)
    {
        // |p| near 1000: the largest term relative to the block reference can be as small as 2^−|p|, and many
        // elements a little below the largest have terms 2⁻³⁰ below it — under 2⁻¹⁰²², where dropping them cost a
        // relative 2⁻¹² of the sum (2⁻²² in the norm); they must underflow gradually instead
        int w = t == DType.Complex128 ? 2 : 1;
        foreach (double p in new[] { 1000.0, 960.5, -999.0 })
        {
            var x = new double[100_000 * w];
            for (int i = 0; i < x.Length; i++) x[i] = 0.49 + (i % 97) * 1e-5;
            if (p < 0) for (int i = 0; i < x.Length; i++) x[i] = 1 / x[i];
            x[0] = p > 0 ? 0.5 : 1.0;
            if (w == 2) x[1] = 0; // complex: the extreme element's |z| is exactly its real part
            int n = x.Length / w;
            double got = Norm(x, 0, n, 1, p, t);
            double want = Exact(x, 0, n, 1, p, t, out _);
            Assert.True(UlpDiff(got, want) <= 1, $"p={p}: {got:R} vs exact path {want:R}");
            // float32 through the block path (a strided view: the one-pass float kernel takes only contiguous ones)
            var f = new float[2 * n];
            for (int i = 0; i < n; i++) f[2 * i] = (float)x[i * w];
            fixed (float* q = f)
            {
                long[] shape = { n }; long[] strides = { 8 };
                int r = 0, e = 0;
                VectorNorms.Compute(new NdView(q, DType.Float32, shape, strides), 1, Ord.Of(p),
                    new NdView(&r, DType.Float32, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
                var plan = ReductionPlan.Create(shape, strides, 1, ReadOnlySpan<long>.Empty);
                GeneralNorm.Reduce(plan, (byte*)q, DType.Float32, p, DType.Float32, (byte*)&e);
                Assert.Equal(e, r);
            }
        }
    }

    [Fact]
    public void NarrowProofRejectsAnIntervalHoldingAMidpoint()
    {
        // 1 + 2⁻²⁴ is the midpoint between 1 and the next float: no bound proves either rounding
        long r = 0;
        var mid = new Ext(1 + Math.ScaleB(1.0, -24), 0, 0);
        Assert.False(GeneralPowFast.TryStoreNarrow(mid, Math.ScaleB(1.0, -40), DType.Float32, (byte*)&r));
        var clear = new Ext(1 + Math.ScaleB(1.0, -26), 0, 0);
        Assert.True(GeneralPowFast.TryStoreNarrow(clear, Math.ScaleB(1.0, -40), DType.Float32, (byte*)&r));
        Assert.Equal(1.0f, BitConverter.Int32BitsToSingle((int)r));
        var halfMid = new Ext(1 + Math.ScaleB(1.0, -11), 0, 0);
        Assert.False(GeneralPowFast.TryStoreNarrow(halfMid, Math.ScaleB(1.0, -40), DType.Float16, (byte*)&r));
    }
}
