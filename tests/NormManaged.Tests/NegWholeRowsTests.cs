using NormManaged.Engine;
using Xunit;

namespace NormManaged.Tests;

/// <summary>Negative whole orders −2 … −64 over many short float64 lines (<see cref="LanePow.RunNegWhole"/>): every
/// output and the events against each line reduced alone (the 1-D path), bit for bit, at both SIMD widths and 1/2/3
/// threads, for lengths 1 … 70, row counts around the 32-line group, C, strided, reversed and F layouts, and
/// magnitudes from subnormal to 1e308 with zeros, ∞ and NaN. The correctly rounded values themselves are checked
/// against exact references in tests/python/test_neg_whole_rows.py.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class NegWholeRowsTests
{
    private static readonly double[] Orders = { -2, -3, -4, -5, -8, -17, -33, -64 };

    private static double[] Values(Random rng, int count, int kind)
    {
        var v = new double[count];
        for (int i = 0; i < count; i++)
        {
            double g = rng.NextDouble() * 2 - 1;
            v[i] = kind switch
            {
                0 => g,
                1 => g * Math.Pow(10, rng.Next(-300, 300)),
                2 => g * 1e-310,
                3 => g * 1e307,
                _ => rng.Next(12) switch { 0 => 0.0, 1 => double.PositiveInfinity, 2 => double.NaN, 3 => 5e-324, _ => g },
            };
        }
        return v;
    }

    private static byte[] Bytes(double[] v)
    {
        var b = new byte[v.Length * 8];
        Buffer.BlockCopy(v, 0, b, 0, b.Length);
        return b;
    }

    [Fact]
    public void EveryRowHasTheBitsOfThatRowAloneAtEveryWidthAndThreadCount()
    {
        var rng = new Random(-2);
        var knobs = EngineKnobs.Configurations().ToArray();
        int taken = 0, cases = 0;
        foreach (int n in Enumerable.Range(1, 70))
            foreach (int rows in new[] { 31, 32, 33, 65, 100 })
            {
                double p = Orders[rng.Next(Orders.Length)];
                int kind = rng.Next(5), layout = rng.Next(4);
                long cs = layout switch { 1 => 2, 2 => -1, 3 => rows, _ => 1 };
                long rs = layout switch { 1 => 2L * n + 1, 2 => n, 3 => 1, _ => n };
                long span = layout == 1 ? (2L * n + 1) * rows : (long)n * rows;
                long first = layout == 2 ? n - 1 : 0;
                var data = Bytes(Values(rng, (int)span + 2, kind));
                var c = knobs[(n + rows) % knobs.Length];
                var (all, evAll, alone, evAlone, _) = LanePowTests.Run(data, DType.Float64, rows, n, rs, cs, first, p, c);
                Assert.True(all.AsSpan().SequenceEqual(alone), $"p={p} rows={rows} n={n} kind={kind} layout={layout} {c}");
                Assert.Equal(evAlone, evAll);
                long[] shape = { rows, n }, strides = { rs * 8, cs * 8 }, ostr = { 8 };
                if (LanePow.AppliesNegWhole(ReductionPlan.Create(shape, strides, 2, ostr), DType.Float64, DType.Float64, p)) taken++;
                cases++;
            }
        Assert.True(taken >= cases / 2, $"RunNegWhole took {taken} of {cases}");
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(-7)]
    [InlineData(-64)]
    public void BitsDoNotDependOnWidthThreadsOrRowCount(double p)
    {
        var rng = new Random(11);
        foreach (int n in new[] { 3, 16, 64 })
        {
            const int rows = 3001; // many parallel ranges, a last group of one
            var data = Bytes(Values(rng, rows * n, 1));
            byte[]? firstAll = null;
            foreach (var c in EngineKnobs.Configurations())
            {
                var r = LanePowTests.Run(data, DType.Float64, rows, n, n, 1, 0, p, c);
                firstAll ??= r.All;
                Assert.True(firstAll.AsSpan().SequenceEqual(r.All), $"p={p} n={n} {c}");
                Assert.True(r.All.AsSpan().SequenceEqual(r.Alone), $"p={p} n={n} {c} alone");
            }
        }
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(-3)]
    [InlineData(-8)]
    [InlineData(-64)]
    public void Float32RowsHaveTheBitsOfEachRowAlone(double p)
    {
        // NarrowLaneSums takes these (stores only proven correctly rounded floats, the rest alone)
        var rng = new Random((int)-p);
        foreach (int n in new[] { 1, 3, 4, 7, 8, 9, 16, 31, 63, 64 })
            foreach (int rows in new[] { 8, 9, 33, 3001 })
            {
                int kind = rng.Next(5);
                var v = Values(rng, rows * n, kind);
                var f = new float[v.Length];
                for (int i = 0; i < v.Length; i++) f[i] = (float)(kind is 1 or 3 ? v[i] * 1e-270 : kind == 2 ? v[i] * 1e270 : v[i]);
                var data = new byte[f.Length * 4];
                Buffer.BlockCopy(f, 0, data, 0, data.Length);
                long[] shape = { rows, n }, strides = { n * 4L, 4 }, ostr = { 4 };
                Assert.True(NarrowLaneSums.Applies(ReductionPlan.Create(shape, strides, 2, ostr), DType.Float32, DType.Float32, p));
                byte[]? first = null;
                foreach (var c in EngineKnobs.Configurations())
                {
                    var r = LanePowTests.Run(data, DType.Float32, rows, n, n, 1, 0, p, c);
                    first ??= r.All;
                    Assert.True(r.All.AsSpan().SequenceEqual(r.Alone), $"p={p} rows={rows} n={n} kind={kind} {c}");
                    Assert.True(first.AsSpan().SequenceEqual(r.All), $"p={p} rows={rows} n={n} {c} width/threads");
                    Assert.Equal(r.EvAlone, r.EvAll);
                }
            }
    }
}
