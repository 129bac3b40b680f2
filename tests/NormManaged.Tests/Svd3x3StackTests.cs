using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>Real 3×3 stacks (the lane-parallel kernel, four matrices per vector): known singular
/// values of graded matrices in every lane, agreement with the general scalar kernel on mixed
/// stacks (with lanes that must fall back), and results independent of lane mates.</summary>
public class Svd3x3StackTests
{
    private static double[] Stack(IList<double[]> mats) => mats.SelectMany(a => a).ToArray();

    private static double[] Run(double[] data, int count, Ord ord) => Batch(data, new long[] { count, 3, 3 }, null, 0, 1, 2, ord);

    [Fact]
    public void GradedStacksHaveKnownValuesInEveryLane()
    {
        // D·Q and Q·D (Q orthogonal, D spread over 40 decades) have singular values |dᵢ| to ≈ n·u
        // relatively: σ_min too, which needs the row sort + pivoted QR before Jacobi.
        var rng = new Random(303);
        int count = 203; // not a multiple of 4: a padded tail group
        var mats = new List<double[]>(); var want = new List<double[]>();
        for (int c = 0; c < count; c++)
        {
            var d = Enumerable.Range(0, 3).Select(_ => Math.Pow(10, -40 * rng.NextDouble())).ToArray();
            var q = Orthogonal(3, rng);
            bool rows = c % 2 == 0;
            var a = new double[9];
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) a[3 * i + j] = rows ? d[i] * q[i, j] : q[i, j] * d[j];
            mats.Add(a); want.Add(d.OrderByDescending(v => v).ToArray());
        }
        var data = Stack(mats);
        var smax = Run(data, count, Ord.Two); var smin = Run(data, count, Ord.Of(-2)); var nuc = Run(data, count, Ord.Nuc);
        for (int c = 0; c < count; c++)
        {
            Assert.True(RelErr(smax[c], want[c][0]) < 2e-15, $"{c}: smax {smax[c]:R} vs {want[c][0]:R}");
            Assert.True(RelErr(smin[c], want[c][2]) < 1e-13, $"{c}: smin {smin[c]:R} vs {want[c][2]:R}");
            Assert.True(RelErr(nuc[c], want[c].Sum()) < 1e-14, $"{c}: nuc");
        }
    }

    [Fact]
    public void MixedStacksAgreeWithTheScalarKernel()
    {
        // Gaussian, rank-deficient, tiny-entry (scalar fallback), zero, huge/tiny scaled and integer
        // matrices side by side; every result against the general kernel run on that matrix alone.
        var rng = new Random(77);
        var mats = new List<double[]>();
        for (int c = 0; c < 400; c++)
        {
            var a = Enumerable.Range(0, 9).Select(_ => Gaussian(rng)).ToArray();
            switch (c % 8)
            {
                case 1: for (int j = 0; j < 3; j++) a[6 + j] = a[j] - 2 * a[3 + j]; break; // rank 2 (nearly)
                case 2: a[4] = 1e-200; break;                                                // fallback lane
                case 3: Array.Clear(a); break;
                case 4: for (int i = 0; i < 9; i++) a[i] *= 1e300; break;
                case 5: for (int i = 0; i < 9; i++) a[i] *= 1e-300; break;
                case 6: for (int i = 0; i < 9; i++) a[i] = Math.Round(a[i] * 3); break;
            }
            mats.Add(a);
        }
        var data = Stack(mats);
        var smax = Run(data, mats.Count, Ord.Two); var smin = Run(data, mats.Count, Ord.Of(-2)); var nuc = Run(data, mats.Count, Ord.Nuc);
        for (int c = 0; c < mats.Count; c++)
        {
            var s = NormManaged.Matrix.SingularValues.Of(mats[c], 3, 3);
            // the stack's σ_max is refined (‖Av‖/‖v‖ in double-double, ≤ 2 ulp of a 256-bit reference:
            // tests/python/test_sigma_ulps.py); the unrefined scalar kernel is within ~2.5 ulp of it
            Assert.True(RelErr(smax[c], s[0]) <= 1e-15, $"{c}: smax {smax[c]:R} vs {s[0]:R}");
            Assert.True(RelErr(nuc[c], s.Sum()) <= 1e-15, $"{c}: nuc {nuc[c]:R} vs {s.Sum():R}");
            // σ_min relative to itself where it is well above the rounding level of σ_max
            if (s[2] > 1e-10 * s[0]) Assert.True(RelErr(smin[c], s[2]) < 1e-12, $"{c}: smin {smin[c]:R} vs {s[2]:R}");
            else Assert.True(Math.Abs(smin[c] - s[2]) <= 1e-14 * s[0], $"{c}: smin {smin[c]:R} vs {s[2]:R}");
        }
    }

    [Fact]
    public void ResultDoesNotDependOnLaneMatesOrThreads()
    {
        var rng = new Random(5);
        var probe = Enumerable.Range(0, 9).Select(_ => Gaussian(rng) * Math.Pow(10, rng.Next(-8, 8))).ToArray();
        foreach (var ord in new[] { Ord.Two, Ord.Of(-2), Ord.Nuc })
        {
            double? first = null;
            for (int pos = 0; pos < 6; pos++)
            {
                int count = 7;
                var mats = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, 9).Select(_ => Gaussian(rng)).ToArray()).ToList();
                mats[pos] = probe;
                double got = Run(Stack(mats), count, ord)[pos];
                first ??= got;
                Assert.Equal(first.Value, got);
            }
            var big = Enumerable.Range(0, 30001).Select(i => i == 12345 ? probe : Enumerable.Range(0, 9).Select(_ => Gaussian(rng)).ToArray()).ToList();
            var data = Stack(big);
            foreach (int t in new[] { 1, 2, 3 })
            {
                int prev = Parallelism.SetMaxThreads(t);
                try { Assert.Equal(first!.Value, Run(data, big.Count, ord)[12345]); }
                finally { Parallelism.SetMaxThreads(prev); }
            }
        }
    }

    [Fact]
    public void InfinityInOneLaneGivesNaNThereOnly()
    {
        var rng = new Random(9);
        var mats = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, 9).Select(_ => Gaussian(rng)).ToArray()).ToList();
        mats[2][5] = double.NegativeInfinity;
        var data = Stack(mats);
        foreach (var ord in new[] { Ord.Two, Ord.Of(-2), Ord.Nuc })
        {
            var got = Run(data, mats.Count, ord);
            for (int c = 0; c < mats.Count; c++)
            {
                if (c == 2) { Assert.True(double.IsNaN(got[c])); continue; }
                var s = NormManaged.Matrix.SingularValues.Of(mats[c], 3, 3);
                double want = ord.Kind == OrdKind.Nuclear ? s.Sum() : ord.P > 0 ? s[0] : s[2];
                Assert.True(RelErr(got[c], want) < 1e-13, $"{c}");
            }
        }
    }
}
