using NormManaged.Matrix;
using Xunit;

namespace NormManaged.Tests;

/// <summary>The σ_min route's bisection (<see cref="SigmaMinRefine.Brackets"/>) evaluates a three-level tree of Sturm
/// counts per vector pass (<see cref="BidiagonalMax.SingularValuesBelow(double*, double*, int, System.Runtime.Intrinsics.Vector256{double}, System.Runtime.Intrinsics.Vector256{double}, int*)"/>):
/// every lane's count must equal the scalar count at the same point, and the brackets (σ̂ₙ, ℓ, and whether they exist)
/// must have the bits of the one-count-at-a-time bisection they replace (written out below as it was), on bidiagonals
/// that are random, graded over 2^±30 or down to 2⁻¹⁰⁰⁰, clustered (a certificate then fails), singular or near singular (the floor),
/// with zeros, and of every order 1–40.</summary>
public unsafe class SturmMultisectionTests
{
    private static (double[] D, double[] E) Bidiagonal(Random rng, int n, int kind)
    {
        var d = new double[n];
        var e = new double[Math.Max(n - 1, 1)];
        for (int i = 0; i < n; i++)
        {
            d[i] = TwoNormTests.Gaussian(rng);
            if (i < n - 1) e[i] = TwoNormTests.Gaussian(rng);
            switch (kind)
            {
                case 1: d[i] = Math.ScaleB(d[i], rng.Next(-30, 30)); if (i < n - 1) e[i] = Math.ScaleB(e[i], rng.Next(-30, 30)); break;
                case 2: d[i] = 1 + (rng.Next(3) - 1) * 1e-15; if (i < n - 1) e[i] *= 1e-9; break; // clustered
                case 3: if (rng.Next(3) == 0) d[i] = 0; if (i < n - 1 && rng.Next(3) == 0) e[i] = 0; break;
                case 4: d[i] = Math.ScaleB(d[i], -i * 25); break; // graded down to tiny (the floor from ~16 on)
                case 5: d[i] = rng.Next(-3, 4); if (i < n - 1) e[i] = rng.Next(-3, 4); break;
            }
        }
        if (kind == 6) d[rng.Next(n)] = 1e-200; // near singular: below the floor
        return (d, e);
    }

    [Fact]
    public void EveryLaneCountsAsTheScalarCount()
    {
        var rng = new Random(5);
        var x = new double[8];
        var c = new int[8];
        for (int trial = 0; trial < 3000; trial++)
        {
            int n = rng.Next(1, 41);
            var (d, e) = Bidiagonal(rng, n, trial % 7);
            for (int j = 0; j < 8; j++)
                x[j] = rng.Next(5) switch
                {
                    0 => Math.Abs(d[rng.Next(n)]) * (1 + (rng.Next(3) - 1) * 1e-16),
                    1 => Math.ScaleB(rng.NextDouble(), rng.Next(-1074, 300)),
                    2 => double.Epsilon * rng.Next(1, 5),
                    3 => Math.ScaleB(1.0, rng.Next(-1022, 1020)),
                    _ => rng.NextDouble() * 8,
                };
            fixed (double* pd = d, pe = e, px = x) fixed (int* pc = c)
            {
                BidiagonalMax.SingularValuesBelow(pd, pe, n, System.Runtime.Intrinsics.Vector256.Load(px),
                    System.Runtime.Intrinsics.Vector256.Load(px + 4), pc);
                for (int j = 0; j < 8; j++)
                    Assert.Equal(BidiagonalMax.SingularValuesBelow(pd, pe, n, x[j]), c[j]);
            }
        }
    }

    /// <summary>The bisection as it was, one scalar Sturm count per step.</summary>
    private static bool SerialBrackets(double* d, double* e, int n, out double sn, out double l2)
    {
        sn = 0; l2 = 0;
        double g = 0;
        for (int i = 0; i < n; i++)
        {
            double left = i > 0 ? Math.Abs(e[i - 1]) : 0, right = i < n - 1 ? Math.Abs(e[i]) : 0;
            g = Math.Max(g, Math.Abs(d[i]) + Math.Max(left, right));
        }
        if (!(g > 0) || !double.IsFinite(g)) return false;
        g *= 1 + 1e-10;
        double lo = 0, hi = g, floor = g * 3.8725919148493183e-121;
        for (int it = 0; it < 300; it++)
        {
            double mid = lo == 0 ? hi * (1.0 / 65536) : hi > 2 * lo ? Math.Sqrt(lo) * Math.Sqrt(hi) : 0.5 * (lo + hi);
            if (!(mid > lo && mid < hi)) break;
            if (BidiagonalMax.SingularValuesBelow(d, e, n, mid) >= 1) hi = mid; else lo = mid;
            if (hi < floor) return false;
            if (hi - lo <= 8.881784197001252e-16 * hi) break;
        }
        if (lo < floor) return false;
        sn = 0.5 * (lo + hi);
        double a = hi * (1 + 9.5367431640625e-07), b = g;
        if (BidiagonalMax.SingularValuesBelow(d, e, n, a) >= 2) return false;
        for (int it = 0; it < 60 && b - a > 0.000244140625 * b; it++)
        {
            double mid = b > 2 * a ? Math.Sqrt(a) * Math.Sqrt(b) : 0.5 * (a + b);
            if (BidiagonalMax.SingularValuesBelow(d, e, n, mid) <= 1) a = mid; else b = mid;
        }
        l2 = a;
        return true;
    }

    [Fact]
    public void BracketsHaveTheBitsOfTheSerialBisection()
    {
        var rng = new Random(9);
        int[] outcomes = new int[2];
        for (int trial = 0; trial < 4000; trial++)
        {
            int n = rng.Next(1, 41);
            var (d, e) = Bidiagonal(rng, n, trial % 7);
            fixed (double* pd = d, pe = e)
            {
                bool want = SerialBrackets(pd, pe, n, out double sn0, out double l20);
                bool got = SigmaMinRefine.Brackets(pd, pe, n, out double sn1, out double l21);
                Assert.Equal(want, got);
                Assert.Equal(BitConverter.DoubleToInt64Bits(sn0), BitConverter.DoubleToInt64Bits(sn1));
                Assert.Equal(BitConverter.DoubleToInt64Bits(l20), BitConverter.DoubleToInt64Bits(l21));
                outcomes[want ? 1 : 0]++;
            }
        }
        // both outcomes occur often (clusters and the floor fail, the rest pass)
        Assert.True(outcomes[0] > 1000 && outcomes[1] > 1000, $"{outcomes[0]} failed, {outcomes[1]} bracketed");
    }
}
