using NormManaged.Engine;
using Xunit;

namespace NormManaged.Tests;

/// <summary>Complex ord −2 over many lines (<see cref="ComplexNegLanes"/> for complex128 lines ≤ 128, LanePow's lane roots
/// for longer lines and complex64): every output and the events against each line reduced alone (the 1-D path), bit for
/// bit, at both SIMD widths and 1/2/3 threads, for C, strided, reversed and F layouts, with zeros, ∞, NaN, subnormal and
/// 1e±300 values (the lines the lanes hand to the 1-D code). Values against mpmath: tests/python/test_neg_whole_lanes.py.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class ComplexNegLanesTests
{
    private static byte[] Values(Random rng, int count, int kind, DType t)
    {
        var v = new double[2 * count];
        for (int i = 0; i < v.Length; i++)
        {
            double g = rng.NextDouble() * 2 - 1;
            v[i] = kind switch
            {
                0 => g,
                1 => g * Math.Pow(10, rng.Next(-300, 300)),
                2 => g * 1e-305,
                3 => g * 1e303,
                _ => rng.Next(16) switch { 0 => 0.0, 1 => double.PositiveInfinity, 2 => double.NaN, 3 => 5e-324, 4 => 1e-200, _ => g },
            };
            if (kind == 4 && i % 2 == 1 && rng.Next(6) == 0) { v[i] = 0; v[i - 1] = 0; } // a zero element
        }
        if (t == DType.Complex128)
        {
            var b = new byte[v.Length * 8];
            Buffer.BlockCopy(v, 0, b, 0, b.Length);
            return b;
        }
        var f = new float[v.Length];
        for (int i = 0; i < v.Length; i++) f[i] = (float)(kind == 1 ? v[i] * 1e-270 : kind == 3 ? v[i] * 1e-270 : v[i]);
        var fb = new byte[f.Length * 4];
        Buffer.BlockCopy(f, 0, fb, 0, fb.Length);
        return fb;
    }

    [Theory]
    [InlineData(DType.Complex128)]
    [InlineData(DType.Complex64)]
    public void EveryRowHasTheBitsOfThatRowAloneAtEveryWidthAndThreadCount(DType t)
    {
        var rng = new Random(t == DType.Complex128 ? 12 : 13);
        var knobs = EngineKnobs.Configurations().ToArray();
        int taken = 0, cases = 0;
        foreach (int n in new[] { 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 64, 127, 128, 129, 200 })
            foreach (int rows in new[] { 31, 32, 33, 100 })
            {
                int kind = rng.Next(5), layout = rng.Next(4);
                long cs = layout switch { 1 => 2, 2 => -1, 3 => rows, _ => 1 };
                long rs = layout switch { 1 => 2L * n + 1, 2 => n, 3 => 1, _ => n };
                long span = layout == 1 ? (2L * n + 1) * rows : (long)n * rows;
                long first = layout == 2 ? n - 1 : 0;
                var data = Values(rng, (int)span + 2, kind, t);
                foreach (var c in new[] { knobs[(n + rows) % knobs.Length], knobs[(n + rows + 1) % knobs.Length] })
                {
                    var (all, evAll, alone, evAlone, _) = LanePowTests.Run(data, t, rows, n, rs, cs, first, -2, c);
                    Assert.True(all.AsSpan().SequenceEqual(alone), $"{t} rows={rows} n={n} kind={kind} layout={layout} {c}");
                    Assert.Equal(evAlone, evAll);
                }
                int es = t == DType.Complex128 ? 16 : 8;
                long[] shape = { rows, n }, strides = { rs * es, cs * es }, ostr = { es / 2 };
                var plan = ReductionPlan.Create(shape, strides, 2, ostr);
                if (ComplexNegLanes.Applies(plan, t, DTypes.ResultType(t), -2) || LanePow.AppliesComplexNeg(plan, t, -2)) taken++;
                cases++;
            }
        Assert.True(taken >= cases / 2, $"lanes took {taken} of {cases}");
    }

    [Fact]
    public void BitsDoNotDependOnWidthThreadsOrRowCount()
    {
        var rng = new Random(21);
        foreach (int n in new[] { 3, 16, 128 })
        {
            const int rows = 3001; // many parallel ranges, a last group of one
            var data = Values(rng, rows * n, 1, DType.Complex128);
            byte[]? firstAll = null;
            foreach (var c in EngineKnobs.Configurations())
            {
                var r = LanePowTests.Run(data, DType.Complex128, rows, n, n, 1, 0, -2, c);
                firstAll ??= r.All;
                Assert.True(firstAll.AsSpan().SequenceEqual(r.All), $"n={n} {c}");
                Assert.True(r.All.AsSpan().SequenceEqual(r.Alone), $"n={n} {c} alone");
            }
        }
    }
}
