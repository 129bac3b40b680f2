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

    public static IEnumerable<object[]> BlockShapes()
    {
        // 2 … 15 blocks of 4096 on the calling thread: the multi-block small-call path (2-norm)
        foreach (var s in new[] { new long[] { 4097 }, new long[] { 70, 60 }, new long[] { 3, 7, 500 }, new long[] { 255, 257 } })
            yield return new object[] { s };
    }

    /// <summary>A contiguous float64 array of several blocks (below the threads' split) reduced over every axis: C, F,
    /// and reversed 1-D layouts give the bits of the general driver (the same elements padded, hence gathered) and
    /// the correctly rounded norm, also when a block's first 16 elements guess its scale wrong.</summary>
    [Theory]
    [MemberData(nameof(BlockShapes))]
    public void SeveralBlocksGiveTheDriversBits(long[] shape)
    {
        var rng = new Random((int)shape[^1]);
        long n = 1;
        foreach (long s in shape) n *= s;
        int rank = shape.Length;
        ulong all = (1UL << rank) - 1;
        for (int t = 0; t < 4; t++)
        {
            var v = new double[n + 2];
            int scale = t == 0 ? 0 : rng.Next(-1000, 1000);
            for (int i = 0; i < v.Length; i++) v[i] = Math.ScaleB(rng.NextDouble() - 0.5, scale);
            if (t == 3) for (int i = 1; i < 17; i++) v[i] *= 1e-9; // the first block's guess fails: max pass, exact fold
            double want = ExactReference.Norm2(v.Skip(1).Take((int)n));
            long[] c = new long[rank], f = new long[rank];
            long cs = 8, fs = 8;
            for (int i = rank - 1; i >= 0; i--) { c[i] = cs; cs *= shape[i]; }
            for (int i = 0; i < rank; i++) { f[i] = fs; fs *= shape[i]; }
            var w = new double[2 * n];
            for (long k = 0; k < n; k++) w[2 * k] = v[1 + k];
            double general = Reduce(w, 0, new[] { n }, new[] { 16L }, 1, 2, Array.Empty<long>());
            Assert.Equal(want, general);
            foreach (var strides in new[] { c, f })
                Assert.Equal(BitConverter.DoubleToInt64Bits(general), BitConverter.DoubleToInt64Bits(Reduce(v, 1, shape, strides, all, 2, Array.Empty<long>())));
            // reversed: the same elements from the other end, read from the lowest address like the driver's plan
            var r = new double[n];
            for (long k = 0; k < n; k++) r[k] = v[n - k];
            Assert.Equal(BitConverter.DoubleToInt64Bits(general), BitConverter.DoubleToInt64Bits(Reduce(r, (int)n - 1, new[] { n }, new[] { -8L }, 1, 2, Array.Empty<long>())));
        }
    }

    /// <summary>float32 and complex64 arrays forming one contiguous run (any rank, C or F, reversed) take the proved
    /// fast sum before any plan is built: the correctly rounded float, as through the driver.</summary>
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Complex64)]
    public void FloatRunsGiveTheCorrectlyRoundedNorm(DType t)
    {
        var rng = new Random((int)t);
        int width = t == DType.Complex64 ? 2 : 1;
        foreach (var shape in new[] { new long[] { 1 }, new long[] { 10 }, new long[] { 5, 7 }, new long[] { 3, 1, 40 }, new long[] { 300, 301 } })
        {
            long n = 1;
            foreach (long s in shape) n *= s;
            int rank = shape.Length;
            var v = new float[width * n];
            int scale = rng.Next(-60, 60);
            for (int i = 0; i < v.Length; i++) v[i] = (float)Math.ScaleB(rng.NextDouble() - 0.5, scale);
            float want = FloatFastPathTests.ExactNorm(v);
            long item = 4 * width;
            long[] c = new long[rank], f = new long[rank];
            long cs = item, fs = item;
            for (int i = rank - 1; i >= 0; i--) { c[i] = cs; cs *= shape[i]; }
            for (int i = 0; i < rank; i++) { f[i] = fs; fs *= shape[i]; }
            float r = float.NaN;
            fixed (float* b = v)
            {
                foreach (var strides in new[] { c, f })
                {
                    VectorNorms.Compute(new NdView(b, t, shape, strides), (1UL << rank) - 1, Ord.Of(2), new NdView(&r, DType.Float32, Array.Empty<long>(), Array.Empty<long>()));
                    Assert.Equal(want, r);
                }
                VectorNorms.Compute(new NdView(b + width * (n - 1), t, new[] { n }, new[] { -item }), 1, Ord.Of(2), new NdView(&r, DType.Float32, Array.Empty<long>(), Array.Empty<long>()));
                Assert.Equal(want, r);
            }
        }
    }
}
