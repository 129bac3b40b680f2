using Xunit;

namespace NormManaged.Tests;

/// <summary>Reductions where the input, the output or both have no elements: every ord and dtype
/// must give NumPy's empty results (or EmptyReduction for a minimum with outputs), never an
/// internal error.</summary>
public unsafe class EmptyReductionTests
{
    public static IEnumerable<object[]> Cases()
    {
        var dtypes = new[] { DType.Bool, DType.Int32, DType.Float16, DType.Float32, DType.Float64, DType.Complex64, DType.Complex128, DType.LongDouble, DType.CLongDouble };
        var ords = new[] { 2.0, 1.0, 0.0, double.PositiveInfinity, double.NegativeInfinity, 3.0, 0.5, -1.0, -2.5, double.NaN };
        var shapes = new (long[] shape, ulong mask)[]
        {
            (new long[] { 0 }, 0UL), (new long[] { 0 }, 1UL), (new long[] { 0, 0 }, 1UL), (new long[] { 0, 0 }, 2UL),
            (new long[] { 0, 0 }, 3UL), (new long[] { 0, 3 }, 2UL), (new long[] { 3, 0 }, 1UL), (new long[] { 2, 0, 3 }, 5UL),
        };
        foreach (var d in dtypes) foreach (var p in ords) foreach (var (s, m) in shapes)
            yield return new object[] { d, p, s, m };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EmptyShapesNeverFailInternally(DType dtype, double p, long[] shape, ulong mask)
    {
        var strides = new long[shape.Length];
        var outShape = shape.Where((_, i) => ((mask >> i) & 1) == 0).ToArray();
        var outStrides = new long[outShape.Length];
        long outCount = outShape.Aggregate(1L, (a, b) => a * b);
        var outBuf = new byte[Math.Max(1, outCount) * 16];
        byte dummy = 0;
        fixed (byte* o = outBuf)
        {
            var x = new NdView(&dummy, dtype, shape, strides);
            var ov = new NdView(o, DTypes.ResultType(dtype), outShape, outStrides);
            try
            {
                VectorNorms.Compute(x, mask, Ord.Of(p), ov);
            }
            catch (NormException e)
            {
                // Only a minimum over zero elements with at least one output may fail.
                Assert.Equal(NormError.EmptyReduction, e.Error);
                Assert.True(double.IsNegativeInfinity(p) && outCount > 0, $"{e.Error}: {e.Message}");
            }
        }
    }
}
