using NormManaged.Engine;
using Xunit;

namespace NormManaged.Tests;

/// <summary>max |z| of contiguous complex128 vectors (<see cref="Complex128Max"/>: screened by fl(re² + im²), exact
/// magnitudes for candidates) against the exact reference — the largest of the elements' correctly rounded |z|
/// (big-integer square roots), which is the correctly rounded maximum — for every width and thread count, reversed
/// and misaligned views, near ties, components whose squares underflow, block boundaries; and special values and
/// extreme scales (where it declines) against the strided view, which takes the block driver's path.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class Complex128MaxTests
{
    private static double MaxAbs(double* first, long n, long step)
    {
        double r;
        long[] shape = { n }; long[] strides = { step * 16 };
        VectorNorms.Compute(new NdView(first, DType.Complex128, shape, strides), 1, Ord.Of(double.PositiveInfinity),
            new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        return r;
    }

    private static double[] Data(Random rng, int n, int kind)
    {
        var a = new double[2 * n];
        double scale = Math.Pow(2, rng.Next(-900, 900));
        for (int i = 0; i < n; i++)
        {
            double re = TwoNormTests.Gaussian(rng), im = TwoNormTests.Gaussian(rng);
            switch (kind)
            {
                case 1: (re, im) = rng.Next(2) == 0 ? (3.0, 4.0) : (5.0, 0.0); if (rng.Next(2) == 0) im = -im; break; // exact ties
                case 2: { double t = rng.NextDouble() * 2 * Math.PI; re = Math.Cos(t); im = Math.Sin(t); break; } // near ties
                case 3: if (rng.Next(2) == 0) im *= 1e-200; break;  // im² underflows against re² (at small scales)
                case 4: re = Math.BitIncrement(1.0) * (1 + rng.Next(3) * Math.ScaleB(1.0, -52)); im = Math.ScaleB(rng.NextDouble(), -27); break; // |z| within ulps
            }
            a[2 * i] = re * scale; a[2 * i + 1] = im * scale;
        }
        return a;
    }

    private static double Reference(double[] a)
    {
        double want = 0;
        for (int i = 0; i < a.Length / 2; i++) want = Math.Max(want, ExactReference.Norm2(new[] { a[2 * i], a[2 * i + 1] }));
        return want;
    }

    private static void Check(double[] a, double want, string what)
    {
        int n = a.Length / 2;
        var shifted = new double[2 * n + 3];
        Array.Copy(a, 0, shifted, 1, 2 * n); // 8-byte misaligned start
        var reversed = new double[2 * n];
        for (int i = 0; i < n; i++) { reversed[2 * (n - 1 - i)] = a[2 * i]; reversed[2 * (n - 1 - i) + 1] = a[2 * i + 1]; }
        foreach (var c in EngineKnobs.Configurations())
        {
            double g1 = EngineKnobs.With(c, () => { fixed (double* p = shifted) return MaxAbs(p + 1, n, 1); });
            double g2 = EngineKnobs.With(c, () => { fixed (double* p = reversed) return MaxAbs(p + 2 * (n - 1), n, -1); });
            Assert.True(BitConverter.DoubleToInt64Bits(want) == BitConverter.DoubleToInt64Bits(g1), $"{what} {c}: {g1:R} vs {want:R}");
            Assert.True(BitConverter.DoubleToInt64Bits(want) == BitConverter.DoubleToInt64Bits(g2), $"{what} reversed {c}: {g2:R} vs {want:R}");
        }
    }

    [Fact]
    public void EqualsTheExactMaximum()
    {
        var rng = new Random(61);
        foreach (int n in new[] { 8, 9, 15, 16, 17, 100, 2047, 2048, 2049, 4097, 262_145 })
            for (int kind = 0; kind < 5; kind++)
            {
                if (n > 5000 && kind > 1) continue;
                var a = Data(rng, n, kind);
                Check(a, Reference(a), $"n={n} kind={kind}");
                // the maximum planted in the last block, in every lane position of a vector
                int at = n - 1 - rng.Next(Math.Min(n, 8));
                a[2 * at] = Math.BitIncrement(Reference(a)); a[2 * at + 1] = Math.ScaleB(1.0, -600);
                Check(a, Reference(a), $"n={n} kind={kind} planted at {at}");
            }
    }

    [Fact]
    public void SpecialValuesAndExtremeScalesMatchTheBlockPath()
    {
        var rng = new Random(62);
        foreach (int n in new[] { 8, 33, 2049 })
            foreach (var (re, im) in new[] { (double.NaN, 0.0), (0.0, double.NaN), (double.PositiveInfinity, double.NaN), (double.NegativeInfinity, 1.0),
                                             (1e300, 1e300), (1e-300, 0.0), (0.0, 0.0), (double.Epsilon, double.Epsilon) })
                foreach (bool all in new[] { false, true })
                {
                    var a = Data(rng, n, 0);
                    for (int i = 0; i < n; i++)
                        if (all || i == n / 2) { a[2 * i] = re * (all ? rng.Next(1, 4) : 1); a[2 * i + 1] = im; }
                    var spread = new double[4 * n];
                    for (int i = 0; i < n; i++) { spread[4 * i] = a[2 * i]; spread[4 * i + 1] = a[2 * i + 1]; }
                    double want;
                    fixed (double* s = spread) want = MaxAbs(s, n, 2);
                    foreach (var c in EngineKnobs.Configurations())
                    {
                        double got = EngineKnobs.With(c, () => { fixed (double* p = a) return MaxAbs(p, n, 1); });
                        Assert.True(BitConverter.DoubleToInt64Bits(want) == BitConverter.DoubleToInt64Bits(got) || (double.IsNaN(want) && double.IsNaN(got)),
                            $"n={n} ({re}, {im}) all={all} {c}: {got:R} vs {want:R}");
                    }
                }
    }
}
