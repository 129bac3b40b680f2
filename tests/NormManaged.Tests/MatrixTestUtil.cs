using System.Numerics;
using System.Runtime.InteropServices;

namespace NormManaged.Tests;

/// <summary>Helpers for the matrix-norm tests: calling <see cref="MatrixNorms.Compute"/> on
/// managed arrays, random orthogonal/unitary matrices and exact references.</summary>
internal static unsafe class MatrixTestUtil
{
    public static readonly Ord Inf = Ord.Of(double.PositiveInfinity);
    public static readonly Ord NegInf = Ord.Of(double.NegativeInfinity);

    /// <summary>Norm of the C-contiguous float64 m×n matrix <paramref name="a"/>.</summary>
    public static double Norm(double[] a, int m, int n, Ord ord)
        => Batch(a, new long[] { m, n }, null, 0, 0, 1, ord)[0];

    /// <summary>Norm of the C-contiguous complex128 m×n matrix <paramref name="a"/>.</summary>
    public static double Norm(Complex[] a, int m, int n, Ord ord)
    {
        var flat = new double[2 * a.Length];
        for (int i = 0; i < a.Length; i++) { flat[2 * i] = a[i].Real; flat[2 * i + 1] = a[i].Imaginary; }
        byte[] bytes = MemoryMarshal.AsBytes(flat.AsSpan()).ToArray();
        return Run(bytes, DType.Complex128, new long[] { m, n }, new long[] { 16L * n, 16 }, 0, 0, 1, ord)[0];
    }

    /// <summary>Norms of float64 data with element strides (C order when null) over axes (r, c).</summary>
    public static double[] Batch(double[] data, long[] shape, long[]? elemStrides, long elemOffset, int r, int c, Ord ord)
    {
        elemStrides ??= CStrides(shape);
        byte[] bytes = MemoryMarshal.AsBytes(data.AsSpan()).ToArray();
        return Run(bytes, DType.Float64, shape, elemStrides.Select(s => s * 8).ToArray(), elemOffset * 8, r, c, ord);
    }

    public static long[] CStrides(long[] shape)
    {
        var s = new long[shape.Length];
        long acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { s[i] = acc; acc *= Math.Max(1, shape[i]); }
        return s;
    }

    /// <summary>Runs the engine on raw bytes; returns the results (widened to double) in C order of the kept axes.</summary>
    public static double[] Run(byte[] bytes, DType t, long[] shape, long[] byteStrides, long byteOffset, int r, int c, Ord ord)
        => Run(bytes, t, shape, byteStrides, byteOffset, r, c, ord, out _);

    public static double[] Run(byte[] bytes, DType t, long[] shape, long[] byteStrides, long byteOffset, int r, int c, Ord ord, out FpEvents ev)
    {
        var outShape = shape.Where((_, i) => i != r && i != c).ToArray();
        long count = outShape.Aggregate(1L, (x, y) => x * y);
        DType ot = DTypes.ResultType(t);
        int osz = DTypes.ItemSize(ot);
        var outBytes = new byte[Math.Max(1, count) * osz];
        var outStrides = CStrides(outShape).Select(s => s * osz).ToArray();
        fixed (byte* p = bytes, o = outBytes)
        {
            var xv = new NdView(p + byteOffset, t, shape, byteStrides);
            var ov = new NdView(o, ot, outShape, outStrides);
            ev = MatrixNorms.Compute(xv, r, c, ord, ov);
        }
        var res = new double[count];
        for (int i = 0; i < count; i++)
            res[i] = ot switch
            {
                DType.Float64 => BitConverter.ToDouble(outBytes, 8 * i),
                DType.Float32 => BitConverter.ToSingle(outBytes, 4 * i),
                _ => (double)BitConverter.ToHalf(outBytes, 2 * i),
            };
        return res;
    }

    public static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A random n×n orthogonal matrix (row-major) as a product of n Householder reflections.</summary>
    public static double[,] Orthogonal(int n, Random rng)
    {
        var q = new double[n, n];
        for (int i = 0; i < n; i++) q[i, i] = 1;
        for (int k = 0; k < n; k++)
        {
            var v = new double[n];
            double nn = 0;
            for (int i = 0; i < n; i++) { v[i] = Gaussian(rng); nn += v[i] * v[i]; }
            // Q ← Q (I − 2 v vᵀ / vᵀv)
            for (int i = 0; i < n; i++)
            {
                double d = 0;
                for (int j = 0; j < n; j++) d += q[i, j] * v[j];
                for (int j = 0; j < n; j++) q[i, j] -= 2 * d * v[j] / nn;
            }
        }
        return q;
    }

    /// <summary>A random n×n unitary matrix as a product of complex Householder reflections.</summary>
    public static Complex[,] Unitary(int n, Random rng)
    {
        var q = new Complex[n, n];
        for (int i = 0; i < n; i++) q[i, i] = 1;
        for (int k = 0; k < n; k++)
        {
            var v = new Complex[n];
            double nn = 0;
            for (int i = 0; i < n; i++) { v[i] = new Complex(Gaussian(rng), Gaussian(rng)); nn += v[i].Real * v[i].Real + v[i].Imaginary * v[i].Imaginary; }
            for (int i = 0; i < n; i++)
            {
                Complex d = 0;
                for (int j = 0; j < n; j++) d += q[i, j] * v[j];
                for (int j = 0; j < n; j++) q[i, j] -= 2 * d * Complex.Conjugate(v[j]) / nn;
            }
        }
        return q;
    }

    /// <summary>U·diag(s)·Vᵀ (m×n, row-major) for random orthogonal U, V.</summary>
    public static double[] WithSingularValues(int m, int n, double[] s, Random rng)
    {
        var u = Orthogonal(m, rng); var v = Orthogonal(n, rng);
        var a = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double acc = 0;
                for (int k = 0; k < s.Length; k++) acc += u[i, k] * s[k] * v[j, k];
                a[i * n + j] = acc;
            }
        return a;
    }

    /// <summary>U·diag(s)·Vᴴ (m×n, row-major) for random unitary U, V.</summary>
    public static Complex[] WithSingularValuesComplex(int m, int n, double[] s, Random rng)
    {
        var u = Unitary(m, rng); var v = Unitary(n, rng);
        var a = new Complex[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                Complex acc = 0;
                for (int k = 0; k < s.Length; k++) acc += u[i, k] * s[k] * Complex.Conjugate(v[j, k]);
                a[i * n + j] = acc;
            }
        return a;
    }

    /// <summary>Correctly rounded Σ|xᵢ| (big-integer exact sum).</summary>
    public static double ExactAbsSum(IEnumerable<double> xs)
    {
        var parts = xs.Select(ExactReference.Split).Where(p => !p.m.IsZero).ToList();
        if (parts.Count == 0) return 0;
        int e0 = parts.Min(p => p.e);
        BigInteger s = BigInteger.Zero;
        foreach (var (m, e) in parts) s += BigInteger.Abs(m) << (e - e0);
        return ExactReference.RoundToDouble(s, false, e0);
    }

    public static double RelErr(double got, double want) => want == 0 ? Math.Abs(got) : Math.Abs(got - want) / Math.Abs(want);
}
