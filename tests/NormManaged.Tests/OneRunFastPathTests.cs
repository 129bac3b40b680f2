using Xunit;

namespace NormManaged.Tests;

/// <summary>The small-call path of <see cref="VectorNorms.Compute"/> also takes float64 arrays of any rank whose
/// elements form one evenly spaced run (C- or Fortran-contiguous, axes of length 1 anywhere) reduced over every
/// axis: the result must be the bits of the same elements as a 1-D vector and of the general driver (a layout the
/// fast path does not take, e.g. a transposed or padded view of the same values), with the output shape rules
/// unchanged.</summary>
public unsafe class OneRunFastPathTests
{
    private static double Reduce(double[] buf, int offset, long[] shape, long[] strides, ulong mask, double p, long[] outShape)
    {
        double r = double.NaN;
        long[] outStrides = new long[outShape.Length];
        fixed (double* b = buf)
        {
            var x = new NdView(b + offset, DType.Float64, shape, strides);
            var o = new NdView(&r, DType.Float64, outShape, outStrides);
            VectorNorms.Compute(x, mask, Ord.Of(p), o);
        }
        return r;
    }

    public static IEnumerable<object[]> Shapes()
    {
        foreach (var s in new[] { new long[] { 10, 3 }, new long[] { 1, 7 }, new long[] { 7, 1 }, new long[] { 3, 4, 5 },
                                  new long[] { 2, 1, 3, 1 }, new long[] { 32, 32 }, new long[] { 17, 61 } })
            foreach (double p in new[] { 2.0, 1.0 })
                yield return new object[] { s, p };
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ContiguousArraysGiveTheBitsOfTheirElementsAsOneVector(long[] shape, double p)
    {
        var rng = new Random(shape.Length * 31 + (int)p);
        long n = 1;
        foreach (long s in shape) n *= s;
        int rank = shape.Length;
        ulong all = (1UL << rank) - 1;
        for (int t = 0; t < 20; t++)
        {
            var v = new double[2 * n + 3];
            int scale = t % 4 == 0 ? 0 : rng.Next(-1070, 1000);
            for (int i = 0; i < v.Length; i++) v[i] = Math.ScaleB(rng.NextDouble() - 0.5, scale - rng.Next(0, t % 3 == 0 ? 60 : 3));
            // C order, F order (same elements), the 1-D vector, and a padded view (element stride 16: the general driver)
            long[] c = new long[rank], f = new long[rank];
            long cs = 8, fs = 8;
            for (int i = rank - 1; i >= 0; i--) { c[i] = cs; cs *= shape[i]; }
            for (int i = 0; i < rank; i++) { f[i] = fs; fs *= shape[i]; }
            double vec = Reduce(v, 1, new[] { n }, new[] { 8L }, 1, p, Array.Empty<long>());
            // the same elements with a gap after every innermost row: not one run, so the general driver
            long inner = shape[rank - 1];
            long[] g = new long[rank];
            long gs = 8;
            for (int i = rank - 1; i >= 0; i--) { g[i] = gs; gs *= i == rank - 1 ? shape[i] + 1 : shape[i]; }
            var w = new double[gs / 8 + 1];
            for (long k = 0; k < n; k++) w[k / inner * (inner + 1) + k % inner] = v[1 + k];
            double general = Reduce(w, 0, shape, g, all, p, Array.Empty<long>());
            Assert.Equal(BitConverter.DoubleToInt64Bits(vec), BitConverter.DoubleToInt64Bits(general));
            var ones = new long[rank];
            Array.Fill(ones, 1L);
            foreach (var strides in new[] { c, f })
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(vec), BitConverter.DoubleToInt64Bits(Reduce(v, 1, shape, strides, all, p, Array.Empty<long>())));
                Assert.Equal(BitConverter.DoubleToInt64Bits(vec), BitConverter.DoubleToInt64Bits(Reduce(v, 1, shape, strides, all, p, ones)));
            }
        }
    }

    [Fact]
    public void OutputShapesKeepTheirRules()
    {
        var v = new double[12];
        for (int i = 0; i < v.Length; i++) v[i] = i - 5.5;
        // a 1-D input into a (1, 1) output, and a (3, 4) input into a (1,) output, are shape errors on every path
        var e1 = Assert.Throws<NormException>(() => Reduce(v, 0, new long[] { 12 }, new long[] { 8 }, 1, 2, new long[] { 1, 1 }));
        var e2 = Assert.Throws<NormException>(() => Reduce(v, 0, new long[] { 3, 4 }, new long[] { 32, 8 }, 3, 2, new long[] { 1 }));
        Assert.Equal(e1.Error, e2.Error);
        // not every axis reduced: the general driver, one output per row
        Assert.Throws<NormException>(() => Reduce(v, 0, new long[] { 3, 4 }, new long[] { 32, 8 }, 2, 2, Array.Empty<long>()));
    }
}
