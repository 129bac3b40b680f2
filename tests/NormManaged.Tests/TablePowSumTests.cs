using NormManaged.Engine;
using NormManaged.Kernels;
using Xunit;

namespace NormManaged.Tests;

/// <summary>The table-reduced terms of the float64/complex128 general-order norm (<see cref="TablePowSum"/>): each term
/// against double-double ln/exp over the whole exponent range (masked and unmasked bodies, both widths), the masked
/// body giving the unmasked one's bits where both apply, bits independent of the width on blocks with zeros,
/// infinities, subnormals and wide ranges at every length around the 16-lane groups, and whole norms with those blocks
/// against the exact per-element path.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class TablePowSumTests
{
    private static readonly double[] Orders = { 0.25, 0.3, 0.7, 1.7, 2.2, 7.3, 31.9, 33.3, 100.1, 1000, -0.25, -0.5, -3.3, -7.7, -31.5, -600, -999 };

    private static (double H, double L, int K) RefTerm(double re, double im, double p, int eb, bool complex)
    {
        Ext a = complex ? Ext.Hypot(Ext.FromDouble(re), Ext.FromDouble(im)) : Ext.FromDouble(Math.Abs(re));
        double lh = DD.Log(a.H, a.L, a.E - eb, out double ll);
        double zh = DD.Mul(lh, ll, p, 0, out double zl);
        double h = DD.Exp(zh, zl, out double l, out int k);
        return (h, l, k);
    }

    /// <summary>The block arguments <see cref="GeneralPowOp"/> passes: eb above the largest reference part for p &gt; 0,
    /// at the smallest for p &lt; 0.</summary>
    private static int BlockExponent(double refPart, double p) => p > 0 ? Math.ILogB(refPart) + 1 : Math.ILogB(refPart);

    private static T WithWidth<T>(bool wide, Func<T> f)
    {
        bool saved = RealKernels.Wide;
        RealKernels.Wide = wide && System.Runtime.Intrinsics.X86.Avx512F.IsSupported;
        try { return f(); }
        finally { RealKernels.Wide = saved; }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void EachTermIsWithinTheBound(bool wide, bool complex)
    {
        // one element (the masked tail body), sixteen copies (a full group: the unmasked body when in range, and the
        // masked one forced) and 4096 (256 terms in each lane: the sum's own error, systematic with equal terms) over
        // the whole exponent range, subnormals included; complex with a second part anywhere below the first. The
        // bound of the type's summary: ≲ 2⁻⁵⁷·⁵|p| + 2⁻⁵⁶·⁵ relative.
        var rng = new Random(complex ? 31 : 29);
        double worst = 0;
        WithWidth(wide, () =>
        {
            foreach (double p in Orders)
            {
                if (!TablePowSum.Applies(complex, p)) continue;
                for (int t = 0; t < 200; t++)
                {
                    double re = (1 + rng.NextDouble()) * Math.ScaleB(1.0, rng.Next(-1074, 1024)) * (rng.Next(2) == 0 ? 1 : -1);
                    if (double.IsInfinity(re)) continue;
                    double im = complex ? re * Math.ScaleB(rng.NextDouble(), -rng.Next(0, 80)) : 0;
                    double refPart = Math.Max(Math.Abs(re), Math.Abs(im));
                    int eb = BlockExponent(refPart, p);
                    var r = RefTerm(re, im, p, eb, complex);
                    double want = Math.ScaleB(r.H, r.K), wantLo = Math.ScaleB(r.L, r.K);
                    foreach (int copies in t % 10 == 0 ? new[] { 1, 16, 4096 } : new[] { 1, 16 })
                        foreach (bool masked in new[] { true, false })
                        {
                            if (!masked && (copies == 1 || !TablePowSum.InRange(complex, p, refPart, refPart))) continue;
                            var b = new double[copies * (complex ? 2 : 1)];
                            for (int i = 0; i < copies; i++)
                                if (complex) { b[2 * i] = im; b[2 * i + 1] = re; }
                                else b[i] = re;
                            TablePowSum.Sum(b, complex, p, eb, refPart, masked, 0, out double h, out double l);
                            double err = Math.Abs(((h - copies * want) + (l - copies * wantLo)) / (copies * want));
                            worst = Math.Max(worst, err / (Math.Abs(p) + 2));
                        }
                }
            }
            return 0;
        });
        Assert.True(worst < Math.ScaleB(1.0, -57), $"worst relative term error / (|p| + 2): {worst:E3}");
    }

    private static double[] Block(Random rng, int n, bool complex, int kind)
    {
        var b = new double[n * (complex ? 2 : 1)];
        for (int i = 0; i < b.Length; i++)
        {
            double g = TwoNormTests.Gaussian(rng);
            b[i] = kind switch
            {
                0 => g,
                1 => g * Math.ScaleB(1.0, rng.Next(-1074, 1000)), // the whole range: terms flushed, subnormals
                2 => rng.Next(5) == 0 ? 0.0 : g * 1e-310,      // subnormals and zeros
                3 => rng.Next(7) == 0 ? (rng.Next(2) == 0 ? double.PositiveInfinity : 0.0) : g * 1e200,
                _ => g * Math.ScaleB(1.0, rng.Next(-60, 60)),
            };
        }
        return b;
    }

    /// <summary>What <see cref="GeneralPowOp"/> finds for a block: the reference and whether a mask is needed (a NaN-free
    /// block with something to add), or false.</summary>
    private static bool Reference(double[] b, bool complex, double p, out double refPart, out int eb, out bool masked, out int binades)
    {
        double mx = 0, mn = double.PositiveInfinity;
        bool zero = false, inf = false;
        int w = complex ? 2 : 1;
        for (int i = 0; i < b.Length; i += w)
        {
            double m = complex ? Math.Max(Math.Abs(b[i]), Math.Abs(b[i + 1])) : Math.Abs(b[i]);
            if (double.IsInfinity(m)) { inf = true; continue; }
            if (m == 0) { zero = true; continue; }
            mx = Math.Max(mx, m); mn = Math.Min(mn, m);
        }
        refPart = p > 0 ? mx : mn; eb = 0; masked = true; binades = 0;
        if (mx == 0 || (p > 0 && inf) || (p < 0 && zero)) return false;
        eb = BlockExponent(refPart, p);
        masked = zero || inf || !TablePowSum.InRange(complex, p, mn, mx);
        binades = Math.ILogB(mx) - Math.ILogB(mn);
        return true;
    }

    /// <summary>The place K (<see cref="TablePowSum.PlaceOf{L}"/>): the same integer from the scalar block path and
    /// from every lane at both widths, K ∈ [−1001, 0], and p·log₂ρ − K (double-double log) within [−2⁻³⁴, 1 + 2⁻³⁴] —
    /// the largest term after K stays far below C₀ — on ρ at both ends of its range and where p·log₂ρ lies next to
    /// an integer.</summary>
    [Fact]
    public void PlaceIsTheSameInEveryLaneAndWithinItsWindow()
    {
        var rng = new Random(43);
        double* rho = stackalloc double[8];
        double* ps = stackalloc double[8];
        double* k256 = stackalloc double[8];
        double* k512 = stackalloc double[8];
        int count = 0;
        foreach (double p in Orders)
        {
            double lo = p > 0 ? 0.5 : 1.0;
            var cand = new List<double> { lo, Math.BitIncrement(lo), Math.BitDecrement(2 * lo), 2 * lo - 0.25 * lo, 1.0 };
            for (int j = 0; j <= Math.Min(1000, (int)Math.Ceiling(Math.Abs(p))); j += Math.Max(1, (int)Math.Abs(p) / 37))
            {
                double r = Math.Pow(2, -j / Math.Abs(p) * (p > 0 ? 1 : -1)); // p·log₂r = −j (p > 0) or j·… next to integers
                foreach (double c in new[] { r, Math.BitIncrement(r), Math.BitDecrement(r) }) cand.Add(c);
            }
            for (int i = 0; i < 64; i++) cand.Add(lo * (1 + rng.NextDouble()));
            cand.RemoveAll(c => c < lo || c >= 2 * lo);
            for (int i0 = 0; i0 < cand.Count; i0 += 8)
            {
                for (int r = 0; r < 8; r++) { rho[r] = cand[Math.Min(i0 + r, cand.Count - 1)]; ps[r] = p; }
                TablePowSum.PlaceOf(Lanes256.Load(ps), Lanes256.Load(rho)).Store(k256);
                TablePowSum.PlaceOf(Lanes256.Load(ps + 4), Lanes256.Load(rho + 4)).Store(k256 + 4);
                if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
                    TablePowSum.PlaceOf(Lanes512.Load(ps), Lanes512.Load(rho)).Store(k512);
                for (int r = 0; r < 8; r++)
                {
                    int eb = p > 0 ? 1 : 0; // Place takes the reference as refPart·2⁻ᵉᵇ
                    int k = TablePowSum.Place(p, Math.ScaleB(rho[r], eb), eb);
                    Assert.Equal(k, TablePowSum.PlaceOf(new Lane1(p), new Lane1(rho[r])).V);
                    Assert.Equal(k, k256[r]);
                    if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported) Assert.Equal(k, k512[r]);
                    Assert.InRange(k, -1001, 0);
                    // p·log₂ρ − K in double-double: ln ρ / ln 2 · p
                    double lh = DD.Log(rho[r], 0, 0, out double ll);
                    double qh = DD.Div(lh, ll, 0.6931471805599453, 2.3190468138462996e-17, out double ql);
                    double zh = DD.Mul(qh, ql, p, 0, out double zl);
                    double d = (zh - k) + zl;
                    Assert.InRange(d, -Math.ScaleB(1.0, -34), 1 + Math.ScaleB(1.0, -34));
                    count++;
                }
            }
        }
        Assert.True(count > 1000);
    }

    /// <summary>The block's inlined scaling is <see cref="Math.ScaleB"/> bit for bit, also where the product is
    /// subnormal, overflows, or 2ⁿ is not normal.</summary>
    [Fact]
    public void ScaleBIsMathScaleB()
    {
        var rng = new Random(47);
        for (int i = 0; i < 20000; i++)
        {
            double x = Math.ScaleB(1 + rng.NextDouble(), rng.Next(-1074, 1024)) * (rng.Next(2) == 0 ? 1 : -1);
            if (i % 97 == 0) x = double.Epsilon * rng.Next(1, 9);
            int n = rng.Next(-1100, 1100);
            Assert.Equal(BitConverter.DoubleToInt64Bits(Math.ScaleB(x, n)), BitConverter.DoubleToInt64Bits(TablePowSum.ScaleB(x, n)));
        }
    }

    [Fact]
    public void MaskedBodyGivesTheUnmaskedBitsWhereBothApply()
    {
        var rng = new Random(41);
        foreach (bool complex in new[] { false, true })
            foreach (double p in Orders)
            {
                if (!TablePowSum.Applies(complex, p)) continue;
                foreach (int n in new[] { 16, 32, 48, 4096 })
                {
                    var b = Block(rng, n, complex, rng.Next(2) == 0 ? 0 : 4);
                    if (!Reference(b, complex, p, out double refPart, out int eb, out bool masked, out int binades) || masked) continue;
                    foreach (bool wide in new[] { true, false })
                    {
                        var (h1, l1) = WithWidth(wide, () => { TablePowSum.Sum(b, complex, p, eb, refPart, false, binades, out double h, out double l); return (h, l); });
                        var (h2, l2) = WithWidth(wide, () => { TablePowSum.Sum(b, complex, p, eb, refPart, true, binades, out double h, out double l); return (h, l); });
                        Assert.Equal(BitConverter.DoubleToInt64Bits(h1), BitConverter.DoubleToInt64Bits(h2));
                        Assert.Equal(BitConverter.DoubleToInt64Bits(l1), BitConverter.DoubleToInt64Bits(l2));
                    }
                }
            }
    }

    [Fact]
    public void BitsDoNotDependOnTheWidthAtAnyLength()
    {
        var rng = new Random(43);
        foreach (bool complex in new[] { false, true })
            foreach (double p in new[] { 0.3, 1.7, 33.3, 1000, -0.5, -3.3, -31.5, -999 })
            {
                if (!TablePowSum.Applies(complex, p)) continue;
                foreach (int n in new[] { 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 4095, 4096 })
                    for (int kind = 0; kind < 5; kind++)
                    {
                        var b = Block(rng, n, complex, kind);
                        if (!Reference(b, complex, p, out double refPart, out int eb, out bool masked, out int binades)) continue;
                        var a = WithWidth(true, () => { TablePowSum.Sum(b, complex, p, eb, refPart, masked, binades, out double h, out double l); return (h, l); });
                        var c = WithWidth(false, () => { TablePowSum.Sum(b, complex, p, eb, refPart, masked, binades, out double h, out double l); return (h, l); });
                        Assert.True(a == c, $"p={p} n={n} kind={kind} complex={complex}: {a} vs {c}");
                    }
            }
    }

    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Complex128)]
    public void NormsWithMaskedBlocksAgreeWithTheExactPath(DType t)
    {
        // zeros, subnormals, infinities, values over the whole range (terms flushed) and 2^±60 spreads, in blocks of
        // every kind, whole vectors through the engine against the per-element path: within 1 ulp, events equal
        bool complex = t == DType.Complex128;
        var rng = new Random(complex ? 47 : 53);
        double worst = 0;
        foreach (double p in Orders)
            foreach (int n in new[] { 3, 17, 100, 4097, 9000 })
            {
                var x = Block(rng, n, complex, rng.Next(5));
                double got, want;
                FpEvents evGot, evWant;
                fixed (double* q = x)
                {
                    long[] shape = { n }; long[] strides = { complex ? 16L : 8L };
                    double r;
                    evGot = VectorNorms.Compute(new NdView(q, t, shape, strides), 1, Ord.Of(p),
                        new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
                    got = r;
                    var plan = ReductionPlan.Create(shape, strides, 1, ReadOnlySpan<long>.Empty);
                    evWant = GeneralNorm.Reduce(plan, (byte*)q, t, p, DType.Float64, (byte*)&r);
                    want = r;
                }
                Assert.Equal(evWant, evGot);
                if (BitConverter.DoubleToInt64Bits(got) == BitConverter.DoubleToInt64Bits(want)) continue;
                double d = Math.Abs(got - want) / (Math.BitIncrement(Math.Abs(want)) - Math.Abs(want));
                Assert.True(d <= 1, $"p={p} n={n}: {got:R} vs exact path {want:R}");
                worst = Math.Max(worst, d);
            }
        Assert.True(worst <= 1);
    }

    [Fact]
    public void ComplexStatsOnTheBitsMatchTheLaneScan()
    {
        // finite blocks (zeros, −0, subnormals, huge, signs) at every length around the vector widths: the integer
        // statistics equal the classifying scan's; a NaN or ∞ part anywhere gives the scan's answer too
        var rng = new Random(59);
        foreach (int n in new[] { 0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 100, 4096 })
            for (int trial = 0; trial < 12; trial++)
            {
                var b = new double[2 * n];
                for (int i = 0; i < b.Length; i++)
                {
                    double g = TwoNormTests.Gaussian(rng);
                    b[i] = rng.Next(6) switch
                    {
                        0 => rng.Next(2) == 0 ? 0.0 : -0.0,
                        1 => g * 1e-310,
                        2 => g * 1e300,
                        _ => g * Math.ScaleB(1.0, rng.Next(-100, 100)),
                    };
                }
                if (n > 0 && trial % 3 == 0)
                    b[rng.Next(b.Length)] = trial % 2 == 0 ? double.NaN : double.NegativeInfinity;
                foreach (bool wide in new[] { true, false })
                {
                    var got = WithWidth(wide, () => { VecLogExp.ComplexStats(b, out double mx, out double mn, out bool nan, out bool inf, out bool z); return (mx, mn, nan, inf, z); });
                    var want = WithWidth(wide, () => { VecLogExp.ComplexStatsScan(b, out double mx, out double mn, out bool nan, out bool inf, out bool z); return (mx, mn, nan, inf, z); });
                    Assert.Equal(want, got);
                }
            }
    }
}
