namespace NormManaged;

/// <summary>The convenient C# face of NormManaged: norms of spans and strided views.
/// Every method computes with the same accurate, overflow-safe kernels as the native library.</summary>
public static unsafe class Norms
{
    /// <summary>The Euclidean norm √(Σ xᵢ²), correctly rounded except within ~2⁻¹⁰⁰ of a rounding
    /// boundary, with no spurious overflow or underflow (‖[1e200, 1e200]‖ = 1.414…e200).
    /// NaN if any element is NaN, else +∞ if any is infinite.</summary>
    public static double Norm2(ReadOnlySpan<double> x)
    {
        fixed (double* p = x)
        {
            ReadOnlySpan<long> shape = stackalloc long[] { x.Length };
            ReadOnlySpan<long> strides = stackalloc long[] { sizeof(double) };
            double result;
            var view = new NdView(p, DType.Float64, shape, strides);
            var outView = new NdView(&result, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty);
            VectorNorms.Compute(view, 1UL, Ord.Two, outView);
            return result;
        }
    }
}
