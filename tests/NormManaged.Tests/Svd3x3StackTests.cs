using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>Real 3×3 stacks (the lane-parallel kernel, one matrix per lane: eight per Vector512 or
/// four per Vector256): known singular values of graded matrices in every lane, agreement with the
/// general scalar kernel on mixed stacks (with lanes that must fall back), and results independent
/// of lane mates, vector width and thread count.</summary>
[Collection(nameof(EngineKnobsCollection))]
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

    [Fact]
    public void SameBitsAtBothWidthsAndEveryThreadCount()
    {
        // Each lane is one matrix meeting the same IEEE operations at either width, so Vector512
        // (eight lanes) and Vector256 (four) must agree bit for bit, whatever the thread split. The
        // stack mixes generic, clustered (the refinement's correction step), graded, fallback, zero,
        // non-finite and integer matrices; its length is no multiple of 8 (a padded tail) and large
        // enough to be split over threads. float64 C order, a transposed view and float32 input.
        var rng = new Random(2024);
        int count = 4099;
        var data = new double[9 * count];
        for (int c = 0; c < count; c++)
        {
            double[] a;
            switch (c % 10)
            {
                case 0:
                case 1:
                    // two or three singular values within a few ulps of each other
                    var s = new[] { 1.0, 1 + rng.Next(0, 6) * 2.2e-16, c % 2 == 0 ? 0.5 : 1 + rng.Next(0, 6) * 2.2e-16 };
                    a = WithSingularValues(3, 3, s, rng);
                    break;
                case 2: a = WithSingularValues(3, 3, new[] { 1.0, Math.Pow(10, -rng.Next(1, 30)), Math.Pow(10, -rng.Next(30, 60)) }, rng); break;
                case 3: a = Enumerable.Range(0, 9).Select(_ => Gaussian(rng)).ToArray(); a[rng.Next(9)] = 1e-200; break;
                case 4: a = new double[9]; if (c % 20 == 4) a[rng.Next(9)] = c % 40 == 4 ? double.NegativeInfinity : double.PositiveInfinity; break;
                case 5: a = Enumerable.Range(0, 9).Select(_ => Math.Round(3 * Gaussian(rng))).ToArray(); break;
                default: a = Enumerable.Range(0, 9).Select(_ => Gaussian(rng) * Math.Pow(2, rng.Next(-300, 300))).ToArray(); break;
            }
            Array.Copy(a, 0, data, 9 * c, 9);
        }
        var f32 = new float[data.Length];
        for (int i = 0; i < data.Length; i++) f32[i] = (float)Math.Clamp(data[i], -1e30, 1e30);
        byte[] bytes32 = System.Runtime.InteropServices.MemoryMarshal.AsBytes(f32.AsSpan()).ToArray();
        long[] shape = { count, 3, 3 };
        foreach (var ord in new[] { Ord.Two, Ord.Of(-2), Ord.Nuc })
        {
            double[][]? first = null;
            foreach (var config in EngineKnobs.Configurations())
            {
                var res = EngineKnobs.With(config, () => new[]
                {
                    Run(data, count, ord),
                    Batch(data, shape, new long[] { 9, 1, 3 }, 0, 1, 2, ord),
                    MatrixTestUtil.Run(bytes32, DType.Float32, shape, new long[] { 36, 12, 4 }, 0, 1, 2, ord),
                });
                if (first == null) { first = res; continue; }
                for (int v = 0; v < res.Length; v++)
                    for (int c = 0; c < count; c++)
                        Assert.True(BitConverter.DoubleToInt64Bits(first[v][c]) == BitConverter.DoubleToInt64Bits(res[v][c]),
                            $"{ord} view {v} matrix {c} under {config}: {res[v][c]:R} vs {first[v][c]:R}");
            }
            // and the values are right (the C-order results against the scalar kernel on finite lanes)
            for (int c = 0; c < count; c += 7)
            {
                var m = data.AsSpan(9 * c, 9).ToArray();
                if (!Array.TrueForAll(m, double.IsFinite)) { Assert.True(double.IsNaN(first![0][c])); continue; }
                var sv = NormManaged.Matrix.SingularValues.Of(m, 3, 3);
                double want = ord.Kind == OrdKind.Nuclear ? sv.Sum() : ord.P > 0 ? sv[0] : sv[2];
                double tol = ord.P < 0 ? 1e-8 * sv[0] : 1e-15 * want;
                Assert.True(Math.Abs(first![0][c] - want) <= tol, $"{ord} matrix {c}: {first[0][c]:R} vs {want:R}");
            }
        }
    }

    [Fact]
    public void ResultsAroundTheSubnormalBoundaryAreExactRescalings()
    {
        // Entries near 2⁻⁹⁹⁵ (still inside the kernel) with σ spread over 2⁰..2⁻⁶⁰: results straddle
        // 2⁻¹⁰²². The kernel sees the same scaled matrix for A and 2⁶⁰⁰·A, so every normal result of
        // A is exactly 2⁻⁶⁰⁰ times that of 2⁶⁰⁰·A, and a subnormal one is within one rounding of it.
        var rng = new Random(31);
        int count = 301;
        var small = new double[9 * count]; var big = new double[9 * count];
        for (int c = 0; c < count; c++)
        {
            var s = new[] { 1.0, Math.Pow(2, -rng.Next(0, 40)), Math.Pow(2, -rng.Next(20, 60)) };
            var a = WithSingularValues(3, 3, s, rng);
            double f = Math.Pow(2, -994 - rng.Next(0, 4)); // largest entry ≥ 2⁻⁹⁹⁹: the kernel, not the scalar path
            for (int i = 0; i < 9; i++) { small[9 * c + i] = a[i] * f; big[9 * c + i] = Math.ScaleB(a[i] * f, 600); }
        }
        foreach (var ord in new[] { Ord.Two, Ord.Of(-2), Ord.Nuc })
        {
            var rs = Run(small, count, ord); var rb = Run(big, count, ord);
            int subnormal = 0;
            for (int c = 0; c < count; c++)
            {
                double want = Math.ScaleB(rb[c], -600);
                if (Math.Abs(rb[c]) >= Math.ScaleB(1.0, -422)) Assert.Equal(want, rs[c]);
                else { subnormal++; Assert.True(Math.Abs(rs[c] - want) <= double.Epsilon, $"{ord} {c}: {rs[c]:R} vs {want:R}"); }
            }
            if (ord.P < 0) Assert.True(subnormal > count / 4, $"only {subnormal} subnormal results");
        }
    }
}
