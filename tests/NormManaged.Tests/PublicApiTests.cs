using System.Numerics;
using System.Numerics.Tensors;
using Xunit;

namespace NormManaged.Tests;

/// <summary>The public C# API (Norms): every overload family, exact expected values worked out
/// by hand or in closed form, and the exception contract.</summary>
public unsafe class PublicApiTests
{
    private static readonly double[] V = { 3, 4, 12 };

    [Fact]
    public void VectorOrdersOfDoubles()
    {
        Assert.Equal(13.0, Norms.VectorNorm(V));
        Assert.Equal(13.0, Norms.Norm2(V));
        Assert.Equal(19.0, Norms.VectorNorm(V, 1));
        Assert.Equal(12.0, Norms.VectorNorm(V, double.PositiveInfinity));
        Assert.Equal(3.0, Norms.VectorNorm(V, double.NegativeInfinity));
        Assert.Equal(3.0, Norms.VectorNorm(new double[] { 0, 1, -2, 0, 5 }, 0));
        Assert.Equal(6.0, Norms.VectorNorm(new double[] { 3, 4, 5 }, 3));           // 27+64+125 = 216 = 6^3
        Assert.Equal(1.0 / (1.0 / 2 + 1.0 / 2), Norms.VectorNorm(new double[] { 2, 2 }, -1)); // harmonic: (1/2+1/2)^-1 = 1
        Assert.Equal(1.4142135623730951e200, Norms.VectorNorm(new double[] { 1e200, 1e200 }));
        Assert.Equal(1.4142135623730951e-200, Norms.VectorNorm(new double[] { 1e-200, 1e-200 }));
        Assert.True(double.IsNaN(Norms.VectorNorm(new[] { 1.0, double.NaN, double.PositiveInfinity })));
    }

    [Fact]
    public void ResultTypesFollowNumPy()
    {
        float f = Norms.VectorNorm(new float[] { 3, 4, 12 });
        Assert.Equal(13f, f);
        float big = Norms.VectorNorm(new float[] { 3e38f, 3e38f });                    // exact 4.24e38 > float max
        Assert.True(float.IsPositiveInfinity(big));
        float edge = Norms.VectorNorm(new float[] { 2e38f, 2e38f });                   // no spurious overflow
        Assert.Equal((float)(Math.Sqrt(2) * 2e38f), edge, 1e32f);
        Half h = Norms.VectorNorm(new Half[] { (Half)3, (Half)4 });
        Assert.Equal((Half)5, h);
        Assert.Equal(13.0, Norms.VectorNorm(new Complex[] { new(3, 4), new(0, 12) }));
        Assert.Equal(128.0, Norms.VectorNorm(new sbyte[] { sbyte.MinValue }));
        Assert.Equal(255.0 * 2, Norms.VectorNorm(new byte[] { 255, 255 }, 1));
        Assert.Equal(5.0, Norms.VectorNorm(new short[] { -3, 4 }));
        Assert.Equal(65535.0, Norms.VectorNorm(new ushort[] { 65535 }));
        Assert.Equal(5.0, Norms.VectorNorm(new int[] { 3, -4 }));
        Assert.Equal(4294967295.0, Norms.VectorNorm(new uint[] { uint.MaxValue }, double.PositiveInfinity));
        Assert.Equal(9223372036854775808.0, Norms.VectorNorm(new long[] { long.MinValue }));
        Assert.Equal(18446744073709551616.0, Norms.VectorNorm(new ulong[] { ulong.MaxValue }, 1));
        Assert.Equal(Math.Sqrt(2), Norms.VectorNorm(new bool[] { true, false, true }));
    }

    [Fact]
    public void EmptyVectors()
    {
        Assert.Equal(0.0, Norms.VectorNorm(ReadOnlySpan<double>.Empty));
        Assert.Equal(0.0, Norms.VectorNorm(ReadOnlySpan<double>.Empty, double.PositiveInfinity));
        var e = Assert.Throws<NormException>(() => Norms.VectorNorm(ReadOnlySpan<double>.Empty, double.NegativeInfinity));
        Assert.Equal(NormError.EmptyReduction, e.Error);
    }

    [Fact]
    public void MatrixOrders()
    {
        double[] m = { 1, 2, 3, 4 };   // [[1, 2], [3, 4]]
        double s = Math.Sqrt(884);     // singular values: sqrt((30 ± sqrt(900 - 4·det²)) / 2), det = -2
        double smax = Math.Sqrt((30 + s) / 2), smin = Math.Sqrt((30 - s) / 2);
        Assert.Equal(Math.Sqrt(30), Norms.MatrixNorm(m, 2, 2));
        Assert.Equal(Math.Sqrt(30), Norms.MatrixNorm(m, 2, 2, Ord.Fro));
        Assert.Equal(6.0, Norms.MatrixNorm(m, 2, 2, Ord.Of(1)));
        Assert.Equal(4.0, Norms.MatrixNorm(m, 2, 2, Ord.Of(-1)));
        Assert.Equal(7.0, Norms.MatrixNorm(m, 2, 2, Ord.Of(double.PositiveInfinity)));
        Assert.Equal(3.0, Norms.MatrixNorm(m, 2, 2, Ord.Of(double.NegativeInfinity)));
        Assert.Equal(smax, Norms.MatrixNorm(m, 2, 2, Ord.Of(2)), 1e-14);
        Assert.Equal(smin, Norms.MatrixNorm(m, 2, 2, Ord.Of(-2)), 1e-14);
        Assert.Equal(smax + smin, Norms.MatrixNorm(m, 2, 2, Ord.Nuc), 1e-14);
        Assert.Equal((float)Math.Sqrt(30), Norms.MatrixNorm(new float[] { 1, 2, 3, 4 }, 2, 2));
        Assert.Equal(Math.Sqrt(30), Norms.MatrixNorm(new int[] { 1, 2, 3, 4 }, 2, 2, Ord.Fro));
        Assert.Equal(7.0, Norms.MatrixNorm(new long[] { 1, 2, 3, 4 }, 2, 2, Ord.Of(double.PositiveInfinity)));
        Assert.Equal(Math.Sqrt(30), Norms.MatrixNorm(new Complex[] { 1, new(0, 2), 3, 4 }, 2, 2));
        Assert.Equal(5.0, Norms.MatrixNorm(new Complex[] { new(3, 4) }, 1, 1, Ord.Of(2)), 1e-15);
    }

    [Fact]
    public void ExceptionsAreStandardDotNetFamilies()
    {
        double[] m = { 1, 2, 3, 4 };
        var shape = Assert.Throws<NormException>(() => Norms.MatrixNorm(m, 3, 2));
        Assert.IsAssignableFrom<ArgumentException>(shape);
        Assert.Equal(NormError.InvalidArgument, shape.Error);
        Assert.Contains("rows", shape.Message);
        var ord = Assert.Throws<NormException>(() => Norms.MatrixNorm(m, 2, 2, Ord.Of(3)));
        Assert.Equal(NormError.BadOrd, ord.Error);
        var conv = Assert.Throws<NormConvergenceException>(() => Norms.MatrixNorm(new[] { 1, double.NaN, 3, 4 }, 2, 2, Ord.Of(2)));
        Assert.IsAssignableFrom<ArithmeticException>(conv);
        Assert.Throws<NormConvergenceException>(() => Norms.MatrixNorm(new[] { 1, double.NaN, 3, 4 }, 2, 2, Ord.Nuc));
        Assert.True(double.IsNaN(Norms.MatrixNorm(new[] { 1, double.NaN, 3, 4 }, 2, 2, Ord.Fro)));
        var unsupported = Assert.Throws<NormException>(() => Norms.VectorNorm(new ReadOnlyTensorSpan<char>(new[] { 'a' })));
        Assert.Equal(NormError.BadDType, unsupported.Error);
    }

    [Fact]
    public void TensorSpans()
    {
        double[] a = { 3, 5, 4, 12, 0, 0 };                          // 3x2 row-major
        var t = new ReadOnlyTensorSpan<double>(a, new nint[] { 3, 2 }, new nint[] { 2, 1 });
        Assert.Equal(Math.Sqrt(9 + 25 + 16 + 144), Norms.VectorNorm(t));
        var tt = new ReadOnlyTensorSpan<double>(a, new nint[] { 2, 3 }, new nint[] { 1, 2 });  // its transpose
        var dst = new double[2];
        var ev = Norms.VectorNorm(tt, new[] { 1 }, 2.0, new TensorSpan<double>(dst));
        Assert.Equal(FpEvents.None, ev);
        Assert.Equal(new[] { 5.0, 13.0 }, dst);                       // rows of the transpose = columns of a
        var keep = new double[2];
        Norms.VectorNorm(tt, new[] { -1 }, 1.0, new TensorSpan<double>(keep, new nint[] { 2, 1 }, ReadOnlySpan<nint>.Empty));
        Assert.Equal(new[] { 7.0, 17.0 }, keep);
        Assert.Equal(17.0, Norms.MatrixNorm(t, Ord.Of(1)));            // max column abs-sum of a: 5+12
        Assert.Equal(17.0, Norms.MatrixNorm(tt, Ord.Of(double.PositiveInfinity)));
        var broadcast = new ReadOnlyTensorSpan<double>(new double[] { 2 }, new nint[] { 4 }, new nint[] { 0 });
        Assert.Equal(4.0, Norms.VectorNorm(broadcast));              // sqrt(4 * 2^2)
        var f = new ReadOnlyTensorSpan<float>(new float[] { 3, 4 });
        Assert.Equal(5.0, Norms.VectorNorm(f));
        NormException? mism = null;
        try { Norms.VectorNorm(tt, new[] { 1 }, 2.0, new TensorSpan<float>(new float[2])); }
        catch (NormException e) { mism = e; }
        Assert.Equal(NormError.OutputMismatch, mism?.Error);
        var rank = Assert.Throws<NormException>(() => Norms.MatrixNorm(new ReadOnlyTensorSpan<double>(a), Ord.Fro));
        Assert.Equal(NormError.BadAxis, rank.Error);
        // batched matrix norms: two 1x3 matrices, Frobenius each
        var stack = new ReadOnlyTensorSpan<double>(new double[] { 3, 4, 12, 1, 0, 0 }, new nint[] { 2, 1, 3 }, ReadOnlySpan<nint>.Empty);
        var two = new double[2];
        Norms.MatrixNorm(stack, 1, 2, Ord.Fro, new TensorSpan<double>(two));
        Assert.Equal(new[] { 13.0, 1.0 }, two);
    }

    [Fact]
    public void StridedViewsWithNegativeByteStrides()
    {
        double[] a = { 3, 0, 4, 0, 12 };
        fixed (double* p = a)
        {
            long[] shape = { 3 }, strides = { -16 };
            double r = 0;
            var x = new NdView(p + 4, DType.Float64, shape, strides);          // 12, 4, 3
            var o = new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty);
            Norms.VectorNorm(x, new[] { 0 }, Ord.Two, o);
            Assert.Equal(13.0, r);
            NormException? bad = null, fro = null;
            r = -1;
            try { Norms.VectorNorm(x, new[] { 0, -1 }, Ord.Two, o); } catch (NormException e) { bad = e; }
            Assert.Equal(NormError.BadAxis, bad?.Error);
            Assert.Contains("repeated", bad!.Message);
            try { Norms.VectorNorm(x, ReadOnlySpan<int>.Empty, Ord.Fro, o); } catch (NormException e) { fro = e; }
            Assert.Equal(NormError.BadOrd, fro?.Error);
            Assert.Equal(-1.0, r);   // nothing written on failure
        }
    }

    [Fact]
    public void ConcurrentCallsGiveTheSerialResults()
    {
        var rng = new Random(42);
        double[][] data = Enumerable.Range(0, 32).Select(i => Enumerable.Range(0, 1 + i * 37).Select(_ => rng.NextDouble() * 1e3 - 500).ToArray()).ToArray();
        double[] ords = { 2, 1, double.PositiveInfinity, 0.5, 3 };
        double[,] serial = new double[data.Length, ords.Length];
        for (int i = 0; i < data.Length; i++) for (int k = 0; k < ords.Length; k++) serial[i, k] = Norms.VectorNorm(data[i], ords[k]);
        int mismatches = 0;
        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n =>
        {
            int i = n % data.Length, k = n / data.Length % ords.Length;
            if (BitConverter.DoubleToInt64Bits(Norms.VectorNorm(data[i], ords[k])) != BitConverter.DoubleToInt64Bits(serial[i, k]))
                Interlocked.Increment(ref mismatches);
        });
        Assert.Equal(0, mismatches);
    }
}
