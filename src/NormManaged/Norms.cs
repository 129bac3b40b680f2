using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace NormManaged;

/// <summary>Thrown when the singular values of a matrix cannot be computed (a NaN in the
/// matrix with the orders 2, −2 and nuclear) — NumPy's <c>LinAlgError: SVD did not converge</c>.</summary>
public sealed class NormConvergenceException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    public NormConvergenceException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The public C# face of NormManaged: vector and matrix norms of spans, tensor spans and
/// strided views, with <c>numpy.linalg.norm</c> semantics.</summary>
/// <remarks>
/// <para>Every method uses the same kernels as the native library: no spurious overflow or
/// underflow for any order or element type, float64 2-norms correctly rounded, float32/float16
/// computed in higher precision and rounded once, results independent of alignment, SIMD width
/// and thread count.</para>
/// <para>Orders (vector): 2 (default), 1, ∞ (max |x|), −∞ (min |x|), 0 (count of nonzeros), any
/// other real p: (Σ|x|^p)^(1/p). Orders (matrix, see <see cref="Ord"/>): Frobenius (default),
/// nuclear, 1/−1 (max/min column abs-sum), ∞/−∞ (max/min row abs-sum), 2/−2 (largest/smallest
/// singular value).</para>
/// <para>Result types follow NumPy: <see cref="float"/> for float input, <see cref="Half"/> for
/// Half, <see cref="double"/> for double, <see cref="Complex"/>, bool and integers.</para>
/// <para>Errors: <see cref="NormException"/> (an <see cref="ArgumentException"/>; its
/// <see cref="NormException.Error"/> is the C ABI status) for invalid input, including an order
/// not valid for the kind of norm and a minimum over zero elements;
/// <see cref="NormConvergenceException"/> (an <see cref="ArithmeticException"/>) when singular
/// values cannot be computed. All methods are thread-safe.</para>
/// </remarks>
public static unsafe class Norms
{
    /// <summary>The Euclidean norm √(Σ xᵢ²), correctly rounded except within ~2⁻¹⁰⁰ of a rounding
    /// boundary, with no spurious overflow or underflow (‖[1e200, 1e200]‖ = 1.414…e200).</summary>
    /// <remarks>NaN if any element is NaN, else +∞ if any is infinite. Same as
    /// <see cref="VectorNorm(ReadOnlySpan{double}, double)"/> with order 2.</remarks>
    public static double Norm2(ReadOnlySpan<double> x) => VectorNorm(x, 2.0);

    // ---- vector norms of spans ---------------------------------------------------------------

    /// <summary>Vector norm of order <paramref name="ord"/> of all elements.</summary>
    /// <remarks>An empty span gives 0 except for ord = −∞ (no minimum: <see cref="NormException"/>)
    /// and negative orders (+∞ as in NumPy).</remarks>
    /// <exception cref="NormException">ord = −∞ on an empty span.</exception>
    public static double VectorNorm(ReadOnlySpan<double> x, double ord = 2.0) => VectorOf<double, double>(x, ord);

    /// <summary>Vector norm of float32 elements, computed in higher precision and rounded once to float32.</summary>
    /// <remarks>As <see cref="VectorNorm(ReadOnlySpan{double}, double)"/>; the result is +∞ only when the exact norm exceeds float32's range.</remarks>
    public static float VectorNorm(ReadOnlySpan<float> x, double ord = 2.0) => VectorOf<float, float>(x, ord);

    /// <summary>Vector norm of float16 elements, computed in higher precision and rounded once to float16.</summary>
    /// <remarks>As <see cref="VectorNorm(ReadOnlySpan{double}, double)"/>.</remarks>
    public static Half VectorNorm(ReadOnlySpan<Half> x, double ord = 2.0) => VectorOf<Half, Half>(x, ord);

    /// <summary>Vector norm of complex elements (of their moduli |z|), as a double.</summary>
    /// <remarks>As <see cref="VectorNorm(ReadOnlySpan{double}, double)"/>; |z| is never formed with overflow.</remarks>
    public static double VectorNorm(ReadOnlySpan<Complex> x, double ord = 2.0) => VectorOf<Complex, double>(x, ord);

    /// <summary>Vector norm of signed bytes, as a double (NumPy's result type for integers).</summary>
    /// <remarks>As <see cref="VectorNorm(ReadOnlySpan{double}, double)"/>; |−128| is 128.</remarks>
    public static double VectorNorm(ReadOnlySpan<sbyte> x, double ord = 2.0) => VectorOf<sbyte, double>(x, ord);
    /// <summary>Vector norm of bytes, as a double.</summary>
    /// <remarks>As <see cref="VectorNorm(ReadOnlySpan{double}, double)"/>.</remarks>
    public static double VectorNorm(ReadOnlySpan<byte> x, double ord = 2.0) => VectorOf<byte, double>(x, ord);
    /// <summary>Vector norm of 16-bit integers, as a double.</summary>
    /// <remarks>As <see cref="VectorNorm(ReadOnlySpan{double}, double)"/>.</remarks>
    public static double VectorNorm(ReadOnlySpan<short> x, double ord = 2.0) => VectorOf<short, double>(x, ord);
    /// <summary>Vector norm of unsigned 16-bit integers, as a double.</summary>
    /// <remarks>As <see cref="VectorNorm(ReadOnlySpan{double}, double)"/>.</remarks>
    public static double VectorNorm(ReadOnlySpan<ushort> x, double ord = 2.0) => VectorOf<ushort, double>(x, ord);
    /// <summary>Vector norm of 32-bit integers, as a double.</summary>
    /// <remarks>As <see cref="VectorNorm(ReadOnlySpan{double}, double)"/>.</remarks>
    public static double VectorNorm(ReadOnlySpan<int> x, double ord = 2.0) => VectorOf<int, double>(x, ord);
    /// <summary>Vector norm of unsigned 32-bit integers, as a double.</summary>
    /// <remarks>As <see cref="VectorNorm(ReadOnlySpan{double}, double)"/>.</remarks>
    public static double VectorNorm(ReadOnlySpan<uint> x, double ord = 2.0) => VectorOf<uint, double>(x, ord);
    /// <summary>Vector norm of 64-bit integers, as a double; every element is used exactly (no rounding to double first).</summary>
    /// <remarks>As <see cref="VectorNorm(ReadOnlySpan{double}, double)"/>.</remarks>
    public static double VectorNorm(ReadOnlySpan<long> x, double ord = 2.0) => VectorOf<long, double>(x, ord);
    /// <summary>Vector norm of unsigned 64-bit integers, as a double; every element is used exactly.</summary>
    /// <remarks>As <see cref="VectorNorm(ReadOnlySpan{double}, double)"/>.</remarks>
    public static double VectorNorm(ReadOnlySpan<ulong> x, double ord = 2.0) => VectorOf<ulong, double>(x, ord);
    /// <summary>Vector norm of booleans (true = 1), as a double.</summary>
    /// <remarks>As <see cref="VectorNorm(ReadOnlySpan{double}, double)"/>.</remarks>
    public static double VectorNorm(ReadOnlySpan<bool> x, double ord = 2.0) => VectorOf<bool, double>(x, ord);

    // ---- matrix norms of row-major spans -------------------------------------------------------

    /// <summary>Matrix norm of a <paramref name="rows"/> × <paramref name="columns"/> matrix stored
    /// row-major in <paramref name="x"/>.</summary>
    /// <remarks>Orders: <see cref="Ord.Fro"/>, <see cref="Ord.Nuc"/>, or <see cref="Ord.Of"/> with
    /// 1, −1, 2, −2, ∞, −∞.</remarks>
    /// <exception cref="NormException">rows × columns ≠ x.Length, an invalid order, or a minimum over an empty matrix.</exception>
    /// <exception cref="NormConvergenceException">Singular-value orders on a matrix holding NaN.</exception>
    public static double MatrixNorm(ReadOnlySpan<double> x, int rows, int columns, Ord ord) => MatrixOf<double, double>(x, rows, columns, ord);
    /// <summary>Frobenius norm of a row-major <paramref name="rows"/> × <paramref name="columns"/> matrix.</summary>
    /// <remarks>Same as <see cref="MatrixNorm(ReadOnlySpan{double}, int, int, Ord)"/> with <see cref="Ord.Fro"/>.</remarks>
    public static double MatrixNorm(ReadOnlySpan<double> x, int rows, int columns) => MatrixOf<double, double>(x, rows, columns, Ord.Fro);
    /// <summary>Matrix norm of a row-major float32 matrix, rounded once to float32.</summary>
    /// <remarks>As <see cref="MatrixNorm(ReadOnlySpan{double}, int, int, Ord)"/>.</remarks>
    public static float MatrixNorm(ReadOnlySpan<float> x, int rows, int columns, Ord ord) => MatrixOf<float, float>(x, rows, columns, ord);
    /// <summary>Frobenius norm of a row-major float32 matrix.</summary>
    /// <remarks>As <see cref="MatrixNorm(ReadOnlySpan{double}, int, int)"/>.</remarks>
    public static float MatrixNorm(ReadOnlySpan<float> x, int rows, int columns) => MatrixOf<float, float>(x, rows, columns, Ord.Fro);
    /// <summary>Matrix norm of a row-major complex matrix.</summary>
    /// <remarks>As <see cref="MatrixNorm(ReadOnlySpan{double}, int, int, Ord)"/>; singular values of the complex matrix.</remarks>
    public static double MatrixNorm(ReadOnlySpan<Complex> x, int rows, int columns, Ord ord) => MatrixOf<Complex, double>(x, rows, columns, ord);
    /// <summary>Frobenius norm of a row-major complex matrix.</summary>
    /// <remarks>As <see cref="MatrixNorm(ReadOnlySpan{double}, int, int)"/>.</remarks>
    public static double MatrixNorm(ReadOnlySpan<Complex> x, int rows, int columns) => MatrixOf<Complex, double>(x, rows, columns, Ord.Fro);
    /// <summary>Matrix norm of a row-major matrix of 32-bit integers, as a double.</summary>
    /// <remarks>As <see cref="MatrixNorm(ReadOnlySpan{double}, int, int, Ord)"/>.</remarks>
    public static double MatrixNorm(ReadOnlySpan<int> x, int rows, int columns, Ord ord) => MatrixOf<int, double>(x, rows, columns, ord);
    /// <summary>Matrix norm of a row-major matrix of 64-bit integers, as a double.</summary>
    /// <remarks>As <see cref="MatrixNorm(ReadOnlySpan{double}, int, int, Ord)"/>.</remarks>
    public static double MatrixNorm(ReadOnlySpan<long> x, int rows, int columns, Ord ord) => MatrixOf<long, double>(x, rows, columns, ord);

    // ---- tensor spans ------------------------------------------------------------------------------

    /// <summary>Vector norm of all elements of a tensor span of any rank and strides, as a double
    /// (the result of the element type's norm, widened exactly).</summary>
    /// <remarks>T is one of double, float, Half, Complex, sbyte, byte, short, ushort, int, uint,
    /// long, ulong, bool. Strides (in elements) may be zero (broadcast); nothing is copied.</remarks>
    /// <exception cref="NormException">An unsupported T, or ord = −∞ on an empty tensor.</exception>
    public static double VectorNorm<T>(ReadOnlyTensorSpan<T> x, double ord = 2.0) where T : unmanaged
    {
        DType t = DTypeOf<T>();
        Span<long> shape = stackalloc long[x.Rank], strides = stackalloc long[x.Rank];
        Describe(x.Lengths, x.Strides, sizeof(T), shape, strides);
        fixed (T* p = x)
        {
            var view = new NdView(p, t, shape, strides);
            ulong all = x.Rank == 0 ? 0 : x.Rank == 64 ? ulong.MaxValue : (1UL << x.Rank) - 1;
            return ComputeScalar(view, all, Ord.Of(ord), isMatrix: false);
        }
    }

    /// <summary>Vector norm over <paramref name="axes"/> of a tensor span, one result per remaining
    /// position, written into <paramref name="destination"/>.</summary>
    /// <remarks>The destination's shape is x's with the reduced axes removed, or kept with length 1
    /// (NumPy's keepdims); TResult must be the result type of T (double for double, Complex, bool
    /// and integers; float for float; Half for Half). Negative axes count from the end; an empty
    /// list reduces nothing (|x| elementwise).</remarks>
    /// <returns>Floating-point events (for NumPy-like warnings).</returns>
    /// <exception cref="NormException">Bad axes, a destination of the wrong shape or type, a
    /// destination that overlaps x, an unsupported T, or a minimum over zero elements.</exception>
    public static FpEvents VectorNorm<T, TResult>(ReadOnlyTensorSpan<T> x, ReadOnlySpan<int> axes, double ord, TensorSpan<TResult> destination)
        where T : unmanaged where TResult : unmanaged
    {
        Span<long> shape = stackalloc long[x.Rank], strides = stackalloc long[x.Rank];
        Span<long> oshape = stackalloc long[destination.Rank], ostrides = stackalloc long[destination.Rank];
        Describe(x.Lengths, x.Strides, sizeof(T), shape, strides);
        Describe(destination.Lengths, destination.Strides, sizeof(TResult), oshape, ostrides);
        fixed (T* p = x)
        fixed (TResult* q = destination)
        {
            var xv = new NdView(p, DTypeOf<T>(), shape, strides);
            var ov = new NdView(q, DTypeOf<TResult>(), oshape, ostrides);
            return VectorNorm(xv, axes, Ord.Of(ord), ov);
        }
    }

    /// <summary>Matrix norm of a rank-2 tensor span (rows along axis 0), as a double.</summary>
    /// <remarks>Orders as <see cref="MatrixNorm(ReadOnlySpan{double}, int, int, Ord)"/>. Any strides.</remarks>
    /// <exception cref="NormException">x is not rank 2, an invalid order, or an unsupported T.</exception>
    /// <exception cref="NormConvergenceException">Singular-value orders on a matrix holding NaN.</exception>
    public static double MatrixNorm<T>(ReadOnlyTensorSpan<T> x, Ord ord) where T : unmanaged
    {
        if (x.Rank != 2)
            throw new NormException(NormError.BadAxis, $"x: a matrix norm of a tensor span needs rank 2, got {x.Rank}; use the overload with axes");
        Span<long> shape = stackalloc long[2], strides = stackalloc long[2];
        Describe(x.Lengths, x.Strides, sizeof(T), shape, strides);
        fixed (T* p = x)
            return ComputeScalar(new NdView(p, DTypeOf<T>(), shape, strides), 3, ord, isMatrix: true);
    }

    /// <summary>Matrix norms over (<paramref name="rowAxis"/>, <paramref name="columnAxis"/>) of a
    /// tensor span, batched over the other axes, written into <paramref name="destination"/>.</summary>
    /// <remarks>Destination shape and type as for
    /// <see cref="VectorNorm{T, TResult}(ReadOnlyTensorSpan{T}, ReadOnlySpan{int}, double, TensorSpan{TResult})"/>
    /// with the two matrix axes reduced. Negative axes count from the end. If
    /// <see cref="NormConvergenceException"/> is thrown the destination may be partly written.</remarks>
    /// <returns>Floating-point events.</returns>
    public static FpEvents MatrixNorm<T, TResult>(ReadOnlyTensorSpan<T> x, int rowAxis, int columnAxis, Ord ord, TensorSpan<TResult> destination)
        where T : unmanaged where TResult : unmanaged
    {
        Span<long> shape = stackalloc long[x.Rank], strides = stackalloc long[x.Rank];
        Span<long> oshape = stackalloc long[destination.Rank], ostrides = stackalloc long[destination.Rank];
        Describe(x.Lengths, x.Strides, sizeof(T), shape, strides);
        Describe(destination.Lengths, destination.Strides, sizeof(TResult), oshape, ostrides);
        fixed (T* p = x)
        fixed (TResult* q = destination)
            return MatrixNorm(new NdView(p, DTypeOf<T>(), shape, strides), rowAxis, columnAxis, ord,
                              new NdView(q, DTypeOf<TResult>(), oshape, ostrides));
    }

    // ---- strided views (byte strides, negative allowed) ---------------------------------------------

    /// <summary>Vector norm over <paramref name="axes"/> of a strided view (byte strides, negative
    /// and zero allowed — what spans and tensor spans cannot express) into <paramref name="destination"/>.</summary>
    /// <remarks>Negative axes count from the end; an empty list reduces nothing. The destination's
    /// shape is x's with the reduced axes removed or kept as 1, its dtype
    /// <see cref="DTypes.ResultType"/> of x's. Nothing is written when an exception is thrown.</remarks>
    /// <returns>Floating-point events.</returns>
    /// <exception cref="NormException">Any invalid argument.</exception>
    public static FpEvents VectorNorm(in NdView x, ReadOnlySpan<int> axes, Ord ord, in NdView destination)
    {
        if (ord.Kind != OrdKind.P)
            throw new NormException(NormError.BadOrd, "ord: Frobenius and nuclear are matrix norm orders");
        ulong mask = 0;
        for (int i = 0; i < axes.Length; i++)
        {
            int a = NormalizeAxis(axes[i], x.Rank, $"axes[{i}]");
            if ((mask >> a & 1) != 0) throw new NormException(NormError.BadAxis, $"axes[{i}]: repeated axis {axes[i]}");
            mask |= 1UL << a;
        }
        return VectorNorms.Compute(x, mask, ord, destination);
    }

    /// <summary>Matrix norm over (<paramref name="rowAxis"/>, <paramref name="columnAxis"/>) of a
    /// strided view, batched over the other axes, into <paramref name="destination"/>.</summary>
    /// <remarks>Negative axes count from the end. Destination as for
    /// <see cref="VectorNorm(in NdView, ReadOnlySpan{int}, Ord, in NdView)"/> with both axes reduced.</remarks>
    /// <returns>Floating-point events.</returns>
    /// <exception cref="NormException">Any invalid argument.</exception>
    /// <exception cref="NormConvergenceException">Singular-value orders on a matrix holding NaN
    /// (the destination may then be partly written).</exception>
    public static FpEvents MatrixNorm(in NdView x, int rowAxis, int columnAxis, Ord ord, in NdView destination)
    {
        int r = NormalizeAxis(rowAxis, x.Rank, "rowAxis"), c = NormalizeAxis(columnAxis, x.Rank, "columnAxis");
        if (r == c) throw new NormException(NormError.BadAxis, $"rowAxis and columnAxis: both name axis {r}");
        try { return MatrixNorms.Compute(x, r, c, ord, destination); }
        catch (NormException e) when (e.Error == NormError.NoConvergence) { throw new NormConvergenceException(e.Message, e); }
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static TResult VectorOf<T, TResult>(ReadOnlySpan<T> x, double ord) where T : unmanaged where TResult : unmanaged
    {
        fixed (T* p = x)
        {
            ReadOnlySpan<long> shape = stackalloc long[] { x.Length };
            ReadOnlySpan<long> strides = stackalloc long[] { sizeof(T) };
            TResult r;
            var ov = new NdView(&r, DTypeOf<TResult>(), ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty);
            VectorNorms.Compute(new NdView(p, DTypeOf<T>(), shape, strides), 1UL, Ord.Of(ord), ov);
            return r;
        }
    }

    private static TResult MatrixOf<T, TResult>(ReadOnlySpan<T> x, int rows, int columns, Ord ord) where T : unmanaged where TResult : unmanaged
    {
        if (rows < 0 || columns < 0 || (long)rows * columns != x.Length)
            throw new NormException(NormError.InvalidArgument, $"rows, columns: {rows} x {columns} does not match the span's {x.Length} elements");
        fixed (T* p = x)
        {
            ReadOnlySpan<long> shape = stackalloc long[] { rows, columns };
            ReadOnlySpan<long> strides = stackalloc long[] { (long)columns * sizeof(T), sizeof(T) };
            TResult r;
            var ov = new NdView(&r, DTypeOf<TResult>(), ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty);
            try { MatrixNorms.Compute(new NdView(p, DTypeOf<T>(), shape, strides), 0, 1, ord, ov); }
            catch (NormException e) when (e.Error == NormError.NoConvergence) { throw new NormConvergenceException(e.Message, e); }
            return r;
        }
    }

    /// <summary>One result of x's result dtype, widened to double.</summary>
    private static double ComputeScalar(in NdView x, ulong mask, Ord ord, bool isMatrix)
    {
        DType rt = DTypes.ResultType(x.DType);
        byte* buf = stackalloc byte[16];
        var ov = new NdView(buf, rt, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty);
        if (isMatrix)
        {
            try { MatrixNorms.Compute(x, 0, 1, ord, ov); }
            catch (NormException e) when (e.Error == NormError.NoConvergence) { throw new NormConvergenceException(e.Message, e); }
        }
        else VectorNorms.Compute(x, mask, ord, ov);
        return rt switch
        {
            DType.Float32 => *(float*)buf,
            DType.Float16 => (double)*(Half*)buf,
            _ => *(double*)buf,
        };
    }

    private static void Describe(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> elementStrides, int itemSize, Span<long> shape, Span<long> strides)
    {
        for (int i = 0; i < lengths.Length; i++)
        {
            shape[i] = lengths[i];
            strides[i] = checked((long)elementStrides[i] * itemSize);
        }
    }

    private static int NormalizeAxis(int axis, int rank, string name)
    {
        if (axis < -rank || axis >= rank)
            throw new NormException(NormError.BadAxis, $"{name}: axis {axis} is out of bounds for array of dimension {rank}");
        return axis < 0 ? axis + rank : axis;
    }

    /// <summary>The dtype of a .NET element type; <see cref="NormException"/> for unsupported ones.</summary>
    internal static DType DTypeOf<T>()
    {
        if (typeof(T) == typeof(double)) return DType.Float64;
        if (typeof(T) == typeof(float)) return DType.Float32;
        if (typeof(T) == typeof(Half)) return DType.Float16;
        if (typeof(T) == typeof(Complex)) return DType.Complex128;
        if (typeof(T) == typeof(sbyte)) return DType.Int8;
        if (typeof(T) == typeof(byte)) return DType.UInt8;
        if (typeof(T) == typeof(short)) return DType.Int16;
        if (typeof(T) == typeof(ushort)) return DType.UInt16;
        if (typeof(T) == typeof(int)) return DType.Int32;
        if (typeof(T) == typeof(uint)) return DType.UInt32;
        if (typeof(T) == typeof(long)) return DType.Int64;
        if (typeof(T) == typeof(ulong)) return DType.UInt64;
        if (typeof(T) == typeof(bool)) return DType.Bool;
        throw new NormException(NormError.BadDType, $"element type {typeof(T).Name} is not supported");
    }
}
