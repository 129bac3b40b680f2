using NormManaged.Engine;
using NormManaged.Kernels;
using Xunit;

namespace NormManaged.Tests;

/// <summary>The cheap root with a rounding proof (<see cref="DDLanes.RootLite{L}"/>, <see cref="DDLanes.Decided{L}"/>)
/// that <see cref="LanePow.Roots(double*, double*, int*, double, int*, double*, double*, int*)"/> uses when told each
/// output's scale: its error against the double-double root within <see cref="DDLanes.RootLiteBound"/> (with room),
/// and every store of a proven lane — float64 (normal range), float32 with its tie rule, the narrow proof, the
/// float64 midpoint hand-off — the bits the double-double root (<see cref="GeneralNorm.Root"/>) gives, both widths,
/// over random sums, sums whose root is (within 2⁻¹⁰⁰) a float64 midpoint or exactly a double, near-midpoints at
/// 2⁻⁶⁰…2⁻⁷⁰, exponents up to ±6000, subnormal sums, |p| from 1/8 to 1000, scales at the normal range's ends.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class RootProofTests
{
    private static readonly double[] Orders =
        { 0.125, 0.3, -0.5, 1.5, 1.7, -2, 2.5, 3, 4, 7, -3, -7.5, 33.3, 64, 64.5, -640.5, 1000, -999 };

    /// <summary>(h + l)·2^e − (H + L)·2^E relative to the latter (both normalised pairs).</summary>
    private static double RelDiff(double h, double l, int e, in Ext d)
    {
        var c = Ext.Normalize(h, l, e);
        double s = Math.ScaleB(1.0, c.E - d.E); // 1, 2 or ½ around a power of two
        double dh = c.H * s - d.H; // exact: both near the same binade
        return Math.Abs(dh + (c.L * s - d.L)) / d.H;
    }

    /// <summary>A sum S = (sh + sl)·2^se of one of the kinds above for order p.</summary>
    private static void MakeSum(Random rng, double p, out double sh, out double sl, out int se, bool plain = false)
    {
        int kind = plain ? 7 : rng.Next(8);
        se = rng.Next(4) == 0 && !plain ? rng.Next(-6000, 6000) : 0;
        double h, l;
        switch (kind)
        {
            case 0: h = Math.ScaleB(1.0, rng.Next(-1074, 13)); l = 0; break; // powers of two, subnormals
            case 1: h = double.Epsilon * rng.Next(1, 1 << 20); l = 0; break;
            case 2: case 3: case 4:
            {
                // S = m^p for m a float64 midpoint (kind 2), a double (3), or a midpoint moved by 2^-60…2^-70 (4)
                double y = 1 + rng.NextDouble();
                double mh = y, ml = kind == 3 ? 0 : Math.ScaleB(1.0, -53);
                if (kind == 4) ml += Math.ScaleB(rng.NextDouble() - 0.5, -60 - rng.Next(11)) * 2;
                mh = DD.FastTwoSum(mh, ml, out ml);
                double lh = DD.Log(mh, ml, 0, out double ll);
                double xh = DD.Mul(lh, ll, p, 0, out double xl);
                h = DD.Exp(xh, xl, out l, out int k);
                se += k;
                break;
            }
            default:
                h = (1 + rng.NextDouble()) * Math.ScaleB(1.0, rng.Next(-1060, 12));
                l = h * Math.ScaleB(rng.NextDouble() - 0.5, -53);
                if (Math.Abs(l) < Math.ScaleB(1.0, -1070)) l = 0;
                break;
        }
        sh = h + l; sl = l - (sh - h);
    }

    [Fact]
    public void CheapRootIsWithinItsBound()
    {
        var rng = new Random(91);
        foreach (double p in Orders)
        {
            double worst = 0;
            for (int i = 0; i < 4000; i++)
            {
                MakeSum(rng, p, out double sh, out double sl, out int se);
                var h = DDLanes.RootLite(new Lane1(sh), new Lane1(sl), new Lane1(se), p, out var l, out var k);
                Ext d = GeneralNorm.Root(sh, sl, se, p, new Ext(1, 0, 0));
                worst = Math.Max(worst, RelDiff(h.V, l.V, (int)k.V, d));
            }
            // the bound has a factor ≥ 2 of room over the analysis; the measured error is far below it
            Assert.True(worst <= DDLanes.RootLiteBound(p) / 4, $"p={p}: {worst:E3} vs bound {DDLanes.RootLiteBound(p):E3}");
            Assert.True(worst > 0, $"p={p}: no difference at all from the double-double root is implausible");
        }
    }

    /// <summary>The roots without ln and exp that LanePow.Roots uses in RootLite's place: order −2's
    /// (<see cref="DDLanes.RecipSqrtLite{L}"/>, within 2⁻¹⁰⁰ of S^(−1/2) by its analysis) and order −½'s
    /// (<see cref="DDLanes.RecipSquareLite{L}"/>, 1/S² by a division and a Newton step, within 2⁻¹⁰¹), so within ~2⁻⁹⁰
    /// of the double-double root (itself that close to the root) — far inside the cheap root's bound — over the same
    /// kinds of sums, exponents to ±6000 and subnormal sums included.</summary>
    [Theory]
    [InlineData(-2.0, 95)]
    [InlineData(-0.5, 96)]
    public void AlgebraicRootsAreFarInsideTheCheapBound(double p, int seed)
    {
        var rng = new Random(seed);
        double worst = 0;
        for (int i = 0; i < 20000; i++)
        {
            MakeSum(rng, p, out double sh, out double sl, out int se);
            Lane1 l, k;
            var h = p == -2 ? DDLanes.RecipSqrtLite(new Lane1(sh), new Lane1(sl), new Lane1(se), out l, out k)
                            : DDLanes.RecipSquareLite(new Lane1(sh), new Lane1(sl), new Lane1(se), out l, out k);
            Ext d = GeneralNorm.Root(sh, sl, se, p, new Ext(1, 0, 0));
            worst = Math.Max(worst, RelDiff(h.V, l.V, (int)k.V, d));
        }
        Assert.True(worst <= Math.ScaleB(1.0, -88), $"{worst:E3}");
        Assert.True(worst <= DDLanes.RootLiteBound(p) / (1L << 20));
        Assert.True(worst > 0, "no difference at all from the double-double root is implausible");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ProvenRootsStoreTheDoubleDoubleRootsBits(bool wide)
        => EngineKnobs.With((wide, 1), () =>
        {
            var rng = new Random(wide ? 93 : 94);
            const int g = LanePow.Group;
            double* sh = stackalloc double[g], sl = stackalloc double[g], rh = stackalloc double[g], rl = stackalloc double[g];
            int* rk = stackalloc int[g], se = stackalloc int[g], eb = stackalloc int[g];
            byte* a = stackalloc byte[8], b = stackalloc byte[8];
            long plainLanes = 0, decided = 0;
            foreach (double p in Orders)
                for (int round = 0; round < 120; round++)
                {
                    bool plain = round % 4 == 0; // random sums and scales only: the proof should mostly succeed
                    for (int i = 0; i < g; i++)
                    {
                        MakeSum(rng, p, out sh[i], out sl[i], out se[i], plain);
                        eb[i] = plain ? rng.Next(-200, 200) : rng.Next(8) switch { 0 => LanePow.NoProof, 1 => rng.Next(-1100, -900), 2 => rng.Next(900, 1100), _ => rng.Next(-200, 200) };
                    }
                    LanePow.Roots(sh, sl, se, p, eb, rh, rl, rk);
                    for (int i = 0; i < g; i++)
                    {
                        int e = eb[i] == LanePow.NoProof ? 0 : eb[i];
                        Ext want = GeneralNorm.Root(sh[i], sl[i], se[i], p, new Ext(1, 0, e));
                        Ext got = Ext.Mul(Ext.Normalize(rh[i], rl[i], rk[i]), new Ext(1, 0, e));
                        string what = $"p={p} S=({sh[i]:R}+{sl[i]:R})·2^{se[i]} eb={eb[i]}";
                        Assert.Equal(BitConverter.DoubleToInt64Bits(Rounding.ToDouble(want.H, want.L, want.E)),
                                     BitConverter.DoubleToInt64Bits(Rounding.ToDouble(got.H, got.L, got.E)));
                        Assert.True(Rounding.ToSingle(want.H, want.L, want.E).Equals(Rounding.ToSingle(got.H, got.L, got.E)), what);
                        Assert.Equal(Midpoint.Near(want, DType.Float64, RealPowOp.TieMargin, out _),
                                     Midpoint.Near(got, DType.Float64, RealPowOp.TieMargin, out _));
                        bool na = GeneralPowFast.TryStoreNarrow(want, Math.ScaleB(1.0, -36), DType.Float32, a);
                        bool nb = GeneralPowFast.TryStoreNarrow(got, Math.ScaleB(1.0, -36), DType.Float32, b);
                        Assert.Equal(na, nb);
                        if (na) Assert.Equal(*(uint*)a, *(uint*)b);
                        bool same = want.H == got.H && want.L == got.L && want.E == got.E;
                        if (plain) { plainLanes++; if (!same) decided++; }
                        if (!same && eb[i] == LanePow.NoProof) Assert.Fail($"{what}: a NoProof lane left the double-double root");
                    }
                }
            // the proof route is really taken (for most random lanes; constructed midpoints: MidpointRootsAreNeverDecided)
            Assert.True(decided > plainLanes * 3 / 4, $"{decided} of {plainLanes} random lanes took the cheap root");
            return 0;
        });

    [Fact]
    public void MidpointRootsAreNeverDecided()
    {
        var rng = new Random(95);
        foreach (double p in Orders)
            for (int i = 0; i < 2000; i++)
            {
                // S = m^p, m a float64 midpoint: the cheap root cannot prove a side, so the double-double root decides
                double y = (1 + rng.NextDouble()) * (rng.Next(2) == 0 ? 1 : 0.5 + 0.5 * rng.NextDouble());
                double ml = Math.ScaleB(Math.BitIncrement(y) - y, -1);
                double lh = DD.Log(y, ml, 0, out double ll);
                double xh = DD.Mul(lh, ll, p, 0, out double xl);
                double h = DD.Exp(xh, xl, out double l, out int k);
                var rh = DDLanes.RootLite(new Lane1(h), new Lane1(l), new Lane1(k), p, out var rl, out _);
                var ok = DDLanes.Decided(rh, rl, new Lane1(4 * DDLanes.RootLiteBound(p)));
                Assert.True(ok.V == 0 || BitConverter.DoubleToInt64Bits(ok.V) == 0, $"p={p} y={y:R}: a midpoint root was decided");
            }
    }

    [Fact]
    public void MidpointsBelowPowersOfTwoAreNeverDecided()
    {
        // the midpoint between 2^k and the double below it lies a quarter of 2^k's ulp below 2^k: a root there reads
        // yh = 2^k, yl ≈ −ulp/4, the one place Decided tests the quarter-ulp distance
        var rng = new Random(96);
        foreach (double p in Orders)
            foreach (double top in new[] { 0.5, 1.0, 2.0, 4.0 })
            {
                double below = Math.BitDecrement(top);
                double ml = Math.ScaleB(top - below, -1); // exact: the midpoint is below + ml
                double lh = DD.Log(below, ml, 0, out double ll);
                double xh = DD.Mul(lh, ll, p, 0, out double xl);
                double h = DD.Exp(xh, xl, out double l, out int k);
                var rh = DDLanes.RootLite(new Lane1(h), new Lane1(l), new Lane1(k), p, out var rl, out _);
                var ok = DDLanes.Decided(rh, rl, new Lane1(4 * DDLanes.RootLiteBound(p)));
                Assert.True(BitConverter.DoubleToInt64Bits(ok.V) == 0, $"p={p} below {top}: a midpoint root was decided");
            }
        // and pairs a quarter ulp from a double that is no power of two are no midpoint: decided, both signs
        for (int i = 0; i < 1000; i++)
        {
            double yh = Math.BitIncrement(1 + rng.NextDouble() * 0.999);
            double q = Math.ScaleB(Math.BitIncrement(yh) - yh, -2);
            foreach (double yl in new[] { q, -q })
            {
                var ok = DDLanes.Decided(new Lane1(yh), new Lane1(yl), new Lane1(4 * DDLanes.RootLiteBound(0.125)));
                Assert.True(BitConverter.DoubleToInt64Bits(ok.V) != 0, $"{yh:R} + {yl:R} left undecided");
            }
        }
    }

    [Fact]
    public void CubeRootIsWithinItsBound()
    {
        // |c³/s − 1|/3 against c³ in double-double (≲ 2⁻¹⁰⁴): every mantissa step of 2⁻¹² in three binades, random
        // values over the whole range FloatPowFast.Cbrt takes, its ends, exact cubes; outside it Math.Cbrt itself
        var rng = new Random(97);
        var values = new List<double>();
        for (int i = 0; i < 4096; i++)
            for (int j = 0; j < 3; j++) values.Add((1 + i / 4096.0) * Math.ScaleB(1.0, j));
        for (int i = 0; i < 200000; i++) values.Add((1 + rng.NextDouble()) * Math.ScaleB(1.0, rng.Next(-1000, 1000)));
        for (int i = 1; i < 3000; i++) values.Add((double)i * i * i);
        values.AddRange(new[] { Math.ScaleB(1.0, -1000), Math.ScaleB(1.0, 1000), Math.ScaleB(1.9999999999999998, -1000), 1.0, 8.0 });
        double worst = 0;
        foreach (double s in values)
        {
            double c = FloatPowFast.Cbrt(s);
            double h = DD.Mul(c, 0, c, 0, out double l);
            h = DD.Mul(h, l, c, 0, out l);
            DD.Add(ref h, ref l, -s, 0);
            worst = Math.Max(worst, Math.Abs(h + l) / s / 3 * Math.ScaleB(1.0, 53));
        }
        Assert.True(worst <= 0.75 * FloatPowFast.CbrtUlps, $"worst {worst:F3} u");
        foreach (double s in new[] { 0.0, double.Epsilon, Math.ScaleB(1.0, -1001), Math.ScaleB(1.0, 1001), double.MaxValue, double.PositiveInfinity, double.NaN })
            Assert.Equal(BitConverter.DoubleToInt64Bits(Math.Cbrt(s)), BitConverter.DoubleToInt64Bits(FloatPowFast.Cbrt(s)));
    }
}
