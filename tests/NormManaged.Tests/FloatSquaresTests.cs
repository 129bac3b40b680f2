using Xunit;

namespace NormManaged.Tests;

/// <summary>The contiguous float32/complex64 2-norm (widened in registers) must give the bits of the general
/// widening path, which a strided view of the same values takes, for every size and thread count.</summary>
public unsafe class FloatSquaresTests
{
    /// <summary>The float32-result 2-norm of n elements of dtype <paramref name="t"/> at a byte stride.</summary>
    internal static float Norm(float* p, long n, long strideBytes, DType t)
    {
        long[] shape = { n }; long[] strides = { strideBytes };
        float r;
        VectorNorms.Compute(new NdView(p, t, shape, strides), 1, Ord.Two,
            new NdView(&r, DType.Float32, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        return r;
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Complex64)]
    public void ContiguousMatchesStridedForEverySizeAndThreadCount(DType t)
    {
        var rng = new Random(t == DType.Float32 ? 3 : 4);
        int w = t == DType.Complex64 ? 2 : 1;
        foreach (int n in new[] { 1, 7, 15, 16, 17, 100, 4095, 4096, 4097, 70_000, 262_144, 262_145, 600_001 })
        {
            var a = new float[n * w];
            int scale = rng.Next(-60, 60);
            for (int i = 0; i < a.Length; i++) a[i] = (float)(TwoNormTests.Gaussian(rng) * Math.Pow(2, scale + rng.Next(-20, 20)));
            if (n > 100 && rng.Next(2) == 0) a[rng.Next(a.Length)] = 0;
            var spread = new float[2 * a.Length];
            for (int i = 0; i < a.Length; i += w) { spread[2 * i] = a[i]; if (w == 2) spread[2 * i + 1] = a[i + 1]; }
            fixed (float* pa = a) fixed (float* ps = spread)
            {
                float want = Norm(ps, n, 8 * w, t); // strided: the general gather-and-widen path, one thread
                foreach (int threads in new[] { 1, 2, 3 })
                {
                    int old = Parallelism.SetMaxThreads(threads);
                    try { Assert.Equal(BitConverter.SingleToInt32Bits(want), BitConverter.SingleToInt32Bits(Norm(pa, n, 4 * w, t))); }
                    finally { Parallelism.SetMaxThreads(old); }
                }
            }
        }
    }

    [Fact]
    public void NonFiniteAndManyOutputsMatchStrided()
    {
        var rng = new Random(9);
        const int rows = 300, cols = 1000;
        var a = new float[rows * cols];
        for (int i = 0; i < a.Length; i++) a[i] = (float)TwoNormTests.Gaussian(rng) * 1e30f;
        a[5 * cols + 17] = float.NaN; a[6 * cols + 999] = float.PositiveInfinity; a[7 * cols] = float.NegativeInfinity;
        a[7 * cols + 3] = float.NaN; Array.Clear(a, 8 * cols, cols);
        var got = new float[rows];
        long[] shape = { rows, cols }, strides = { cols * 4, 4 }, oshape = { rows }, ostr = { 4 };
        fixed (float* p = a) fixed (float* o = got)
        {
            VectorNorms.Compute(new NdView(p, DType.Float32, shape, strides), 0b10, Ord.Two, new NdView(o, DType.Float32, oshape, ostr));
            for (int r = 0; r < rows; r++)
            {
                var spread = new float[2 * cols];
                for (int i = 0; i < cols; i++) spread[2 * i] = a[r * cols + i];
                fixed (float* ps = spread)
                    Assert.Equal(BitConverter.SingleToInt32Bits(Norm(ps, cols, 8, DType.Float32)), BitConverter.SingleToInt32Bits(got[r]));
            }
        }
        Assert.True(float.IsNaN(got[5]) && float.IsPositiveInfinity(got[6]) && float.IsNaN(got[7]) && got[8] == 0);
    }
}
