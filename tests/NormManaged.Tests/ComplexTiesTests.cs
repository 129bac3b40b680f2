using NormManaged.Engine;
using NormManaged.Kernels;
using Xunit;

namespace NormManaged.Tests;

/// <summary><see cref="ExtExtreme"/> (a candidate with the winner's pair of part magnitudes, or its swap, skipped
/// before Ext.Hypot) against the rule it replaces — Ext.Hypot of every candidate, first strict winner kept — on
/// sequences of tied, swapped, negated, equal-|z| distinct and one-ulp-apart values: the same Ext bits.</summary>
public class ComplexTiesTests
{
    private static (double, double)[] Values(Random rng, int n)
    {
        double e = Math.ScaleB(1.0, -52);
        (double, double)[] pool =
        {
            (1, 1), (-1, 1), (1, -1), (1, 1 + e), (1 + e, 1), (1 - e, 1 + e), (3, 0.1), (0.1, 3), (-0.1, -3),
            (9, 2), (2, -9), (7, 6), (-6, 7), (8, 1), (4, 7), (1, 8), (0, 5), (3, 4), (-5, 0), (4, -3),
        };
        double scale = Math.ScaleB(1.0, rng.Next(-400, 400));
        var a = new (double, double)[n];
        for (int i = 0; i < n; i++)
        {
            var (re, im) = pool[rng.Next(pool.Length)];
            a[i] = (re * scale, im * scale);
        }
        return a;
    }

    [Fact]
    public void SkippingTheWinnersPairKeepsTheBits()
    {
        var rng = new Random(5);
        for (int trial = 0; trial < 2000; trial++)
        {
            var v = Values(rng, 1 + rng.Next(40));
            foreach (bool min in new[] { false, true })
            {
                var pick = new ExtExtreme();
                Ext best = default;
                bool has = false;
                foreach (var (re, im) in v)
                {
                    pick.Take(re, im, min);
                    Ext z = Ext.Hypot(Ext.FromDouble(re), Ext.FromDouble(im));
                    int c = has ? Ext.Compare(z, best) : 0;
                    if (!has || (min ? c < 0 : c > 0)) { best = z; has = true; }
                }
                Assert.True(pick.Has);
                Assert.Equal(BitConverter.DoubleToInt64Bits(best.H), BitConverter.DoubleToInt64Bits(pick.Best.H));
                Assert.Equal(BitConverter.DoubleToInt64Bits(best.L), BitConverter.DoubleToInt64Bits(pick.Best.L));
                Assert.Equal(best.E, pick.Best.E);
            }
        }
    }
}
