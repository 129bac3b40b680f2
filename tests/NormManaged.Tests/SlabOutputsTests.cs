using Xunit;

namespace NormManaged.Tests;

/// <summary><see cref="Engine.Slabs"/> over output layouts Python never passes (a transposed output, an output with
/// gaps that keeps axis 0 of a 3-D array from coalescing, a reversed output of a 4-D reduction) and every dtype and
/// order family: each output must have the bits of the same slab reduced as a 2-D view (slab axis = the kept axis with
/// the smallest input stride) into a contiguous output, the kernel's own per-slab result, for both vector widths and
/// 1–3 threads.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class SlabOutputsTests
{
    private static readonly double[] Ords = { 2, 1, double.PositiveInfinity, double.NegativeInfinity, 0, -1, 0.5, 3, 4, -2, 1.5 };

    /// <summary>Reduces axis <paramref name="axis"/> of the C-order array of <paramref name="shape"/> into an output
    /// view with byte strides <paramref name="ostr"/> (kept axes in order) at <paramref name="ooff"/> bytes into a
    /// zeroed buffer, and checks each output against the per-slab 2-D computation.</summary>
    private static void Check(DType t, double p, long[] shape, int axis, long slabAxis, Func<long, long[]> outStrides, Func<long, long> outOffset, int seed)
    {
        int rank = shape.Length;
        long count = shape.Aggregate(1L, (a, b) => a * b);
        bool complex = t is DType.Complex64 or DType.Complex128;
        var rng = new Random(seed);
        var vals = new double[count * (complex ? 2 : 1)];
        int kind = seed % TestData.Kinds;
        for (int i = 0; i < vals.Length; i++) vals[i] = t == DType.Int32 ? rng.Next(-1000, 1000) : TestData.Draw(rng, i % 3 == 0 ? kind : 0, t);
        byte[] x = TestData.Encode(vals, t);
        long es = DTypes.ItemSize(t);
        DType ot = DTypes.ResultType(t);
        long eo = DTypes.ItemSize(ot);
        var xstr = new long[rank];
        for (int d = rank - 1, s = 1; d >= 0; s *= (int)shape[d], d--) xstr[d] = s * es;
        var kept = Enumerable.Range(0, rank).Where(d => d != axis).ToArray();
        long[] oshape = kept.Select(d => shape[d]).ToArray();
        long outs = oshape.Aggregate(1L, (a, b) => a * b);
        long[] ostr = outStrides(eo);
        long ooff = outOffset(eo);
        long obytes = ooff + 1;
        for (int k = 0; k < kept.Length; k++) obytes += (oshape[k] - 1) * Math.Abs(ostr[k]);
        obytes += eo + 2 * outs * eo;

        // the per-slab 2-D reductions, into contiguous outputs, one configuration (results must not depend on it)
        var want = new byte[outs * eo];
        int si = Array.IndexOf(kept, (int)slabAxis);
        long n = shape[slabAxis];
        fixed (byte* xp = x)
        fixed (byte* wp = want)
        {
            var slab = new byte[n * eo];
            for (long q = 0; q < outs / n; q++)
            {
                // origin of slab q: the other kept axes' index in C order
                long rem = q, xo = 0;
                var idx = new long[kept.Length];
                for (int k = kept.Length - 1; k >= 0; k--)
                {
                    if (k == si) continue;
                    idx[k] = rem % oshape[k]; rem /= oshape[k];
                    xo += idx[k] * xstr[kept[k]];
                }
                fixed (byte* sp = slab)
                {
                    long[] s2 = { n, shape[axis] }, st2 = { xstr[slabAxis], xstr[axis] };
                    VectorNorms.Compute(new NdView(xp + xo, t, s2, st2), 2, Ord.Of(p), new NdView(sp, ot, new[] { n }, new[] { eo }));
                }
                for (long j = 0; j < n; j++)
                {
                    idx[si] = j;
                    long flat = 0;
                    for (int k = 0; k < kept.Length; k++) flat = flat * oshape[k] + idx[k];
                    Buffer.BlockCopy(slab, (int)(j * eo), want, (int)(flat * eo), (int)eo);
                }
            }
        }
        foreach (var c in EngineKnobs.Configurations())
        {
            var got = new byte[obytes];
            EngineKnobs.With(c, () =>
            {
                fixed (byte* xp = x)
                fixed (byte* op = got)
                    VectorNorms.Compute(new NdView(xp, t, shape, xstr), 1UL << axis, Ord.Of(p), new NdView(op + ooff, ot, oshape, ostr));
                return 0;
            });
            for (long f = 0; f < outs; f++)
            {
                long rem = f, at = ooff;
                for (int k = kept.Length - 1; k >= 0; k--) { at += rem % oshape[k] * ostr[k]; rem /= oshape[k]; }
                for (long b = 0; b < eo; b++)
                    Assert.True(got[at + b] == want[f * eo + b],
                        $"{t} ord {p} shape ({string.Join(",", shape)}) axis {axis} output {f} config {c}: bytes differ from the per-slab result");
            }
        }
    }

    public static IEnumerable<object[]> DTypesUnderTest()
    {
        foreach (var t in new[] { DType.Float64, DType.Float32, DType.Complex128, DType.Complex64, DType.Float16, DType.Int32 })
            yield return new object[] { t };
    }

    [Theory]
    [MemberData(nameof(DTypesUnderTest))]
    public void NonContiguousOutputsGetThePerSlabBits(DType t)
    {
        int seed = 1;
        foreach (double p in Ords)
        {
            // 3-D axis 1 into a transposed output: (d0, d2) with strides (1, d0) elements
            Check(t, p, new long[] { 5, 19, 24 }, 1, 2, eo => new[] { eo, 5 * eo }, _ => 0, seed++);
            // 3-D axis 0 into every other element of each output row: the kept axes do not coalesce
            Check(t, p, new long[] { 7, 6, 40 }, 0, 2, eo => new[] { 2 * 40 * eo, eo }, _ => 0, seed++);
            // 4-D axis 2 into a reversed output
            Check(t, p, new long[] { 3, 4, 10, 17 }, 2, 3, eo => new[] { -4 * 17 * eo, -17 * eo, -eo }, eo => (3 * 4 * 17 - 1) * eo, seed++);
        }
    }

    /// <summary>The cells this walker exists for — a C-order (40, 50, 60) array over axis 1, whose two kept axes do
    /// not coalesce — are run slab by slab (before, they fell to the per-line paths at 0.08–0.5× NumPy).</summary>
    [Theory]
    [InlineData(DType.Float32, new[] { 2.0, 1, 3, 0.5, 0, double.PositiveInfinity, double.NegativeInfinity, -1 })]
    [InlineData(DType.Float64, new[] { 2.0, 1, 0, double.PositiveInfinity, double.NegativeInfinity, 0.5, -1 })]
    [InlineData(DType.Complex64, new[] { double.PositiveInfinity, double.NegativeInfinity, 0 })]
    [InlineData(DType.Complex128, new[] { 1.0, -1, 0.5, double.PositiveInfinity, 0 })]
    [InlineData(DType.Int16, new[] { 2.0, 1, double.PositiveInfinity, 0 })]
    [InlineData(DType.Bool, new[] { 2.0, 1, double.PositiveInfinity })]
    public void ThreeDAxisOneRunsSlabBySlab(DType t, double[] ords)
    {
        long[] shape = { 40, 50, 60 };
        long es = DTypes.ItemSize(t);
        DType ot = DTypes.ResultType(t);
        long eo = DTypes.ItemSize(ot);
        var x = new byte[40 * 50 * 60 * es];
        var o = new byte[40 * 60 * eo];
        var plan = Engine.ReductionPlan.Create(shape, new[] { 50 * 60 * es, 60 * es, es }, 2, new[] { 60 * eo, eo });
        foreach (double p in ords)
            fixed (byte* xp = x)
            fixed (byte* op = o)
                Assert.True(Engine.Slabs.TryRun(plan, VectorNorms.Choose(plan, t, ot, p), xp, t, op, ot, p, out _), $"{t} ord {p}");
    }
}
