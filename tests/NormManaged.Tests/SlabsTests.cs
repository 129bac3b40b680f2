using Xunit;

namespace NormManaged.Tests;

/// <summary>N-D reductions over one axis whose kept axes coalesce into one run of outputs
/// (<see cref="Engine.ReductionPlan"/>) or are walked slab by slab (<see cref="Engine.Slabs"/>): every output must be
/// the bits of the same elements reduced alone as a 1-D vector (which is correctly rounded for p = 2 and 1, so also
/// the exact reference), for both vector widths and 1–3 threads, for C order, Fortran order, negative strides and a
/// transposed view, including rows of extreme exponent, NaN, ∞ and zeros.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class SlabsTests
{
    private static double[] Data(int n, int seed)
    {
        var rng = new Random(seed);
        var a = new double[n];
        for (int i = 0; i < n; i++)
        {
            int kind = rng.Next(40);
            int scale = kind switch { 0 => rng.Next(-1074, -900), 1 => rng.Next(900, 1020), _ => rng.Next(-30, 30) };
            a[i] = kind switch
            {
                2 => 0,
                3 when rng.Next(20) == 0 => double.NaN,
                4 when rng.Next(20) == 0 => double.PositiveInfinity,
                _ => TwoNormTests.Gaussian(rng) * Math.Pow(2, scale),
            };
        }
        return a;
    }

    /// <summary>Reduces axis <paramref name="axis"/> of the 3-D view (shape, element strides, element offset) of
    /// <paramref name="a"/> and checks every output against the same elements gathered and reduced alone.</summary>
    private static void Check(double[] a, long[] shape, long[] estr, long offset, int axis, Ord ord)
    {
        var keep = Enumerable.Range(0, 3).Where(d => d != axis).ToArray();
        long o0 = shape[keep[0]], o1 = shape[keep[1]];
        var want = new double[o0 * o1];
        for (long i = 0; i < o0; i++)
            for (long j = 0; j < o1; j++)
            {
                var v = new double[shape[axis]];
                for (long k = 0; k < shape[axis]; k++)
                {
                    var idx = new long[3];
                    idx[keep[0]] = i; idx[keep[1]] = j; idx[axis] = k;
                    v[k] = a[offset + idx[0] * estr[0] + idx[1] * estr[1] + idx[2] * estr[2]];
                }
                want[i * o1 + j] = ManyOutputsTests.Alone(v, ord);
            }
        long[] bstr = estr.Select(s => s * 8).ToArray();
        foreach (var c in EngineKnobs.Configurations())
        {
            var got = new double[o0 * o1];
            EngineKnobs.With(c, () =>
            {
                fixed (double* xp = a)
                fixed (double* op = got)
                {
                    long[] oshape = { o0, o1 }, ostr = { o1 * 8, 8 };
                    VectorNorms.Compute(new NdView(xp + offset, DType.Float64, shape, bstr), 1UL << axis, ord,
                        new NdView(op, DType.Float64, oshape, ostr));
                }
                return 0;
            });
            for (long q = 0; q < got.Length; q++)
                Assert.True(BitConverter.DoubleToInt64Bits(want[q]) == BitConverter.DoubleToInt64Bits(got[q]),
                    $"output {q}, axis {axis}, ord {ord.P}, config {c}: {got[q]:R} != {want[q]:R}");
        }
    }

    [Theory]
    [InlineData(50, 60, 70, 1)]
    [InlineData(7, 33, 19, 2)]
    [InlineData(3, 300, 41, 3)]
    [InlineData(90, 40, 80, 4)]  // above the parallel threshold: slabs spread over the workers
    public void EveryAxisOfEveryLayoutMatchesEachOutputAlone(int d0, int d1, int d2, int seed)
    {
        var a = Data(d0 * d1 * d2, seed);
        foreach (var ord in new[] { Ord.Two, Ord.Of(1) })
            for (int axis = 0; axis < 3; axis++)
            {
                // C order, Fortran order, all strides negated, and a transposed C-order view
                Check(a, new long[] { d0, d1, d2 }, new long[] { d1 * d2, d2, 1 }, 0, axis, ord);
                Check(a, new long[] { d0, d1, d2 }, new long[] { 1, d0, d0 * d1 }, 0, axis, ord);
                Check(a, new long[] { d0, d1, d2 }, new long[] { -d1 * d2, -d2, -1 }, (long)d0 * d1 * d2 - 1, axis, ord);
                Check(a, new long[] { d2, d1, d0 }, new long[] { 1, d2, d1 * d2 }, 0, axis, ord);
            }
    }
}
