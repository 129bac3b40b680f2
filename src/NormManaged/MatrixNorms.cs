using NormManaged.Engine;
using NormManaged.Matrix;

namespace NormManaged;

/// <summary>Matrix norms over two axes of a strided array, batched over the others: the engine
/// behind <c>normnative_matrix_norm</c>.</summary>
public static class MatrixNorms
{
    /// <summary>Computes the matrix norm of order <paramref name="ord"/> with rows along
    /// <paramref name="rowAxis"/> and columns along <paramref name="colAxis"/> (both already
    /// normalised to [0, rank), distinct) into <paramref name="output"/> (shape = the input's with
    /// both axes removed or kept as 1; dtype = <see cref="DTypes.ResultType"/>).
    /// Orders: Frobenius; nuclear (Σσ); p = 2 (σ_max), −2 (σ_min), 1 / −1 (max / min column
    /// abs-sum), +∞ / −∞ (max / min row abs-sum).</summary>
    /// <returns>Floating-point events for numpy-compatible warnings.</returns>
    /// <exception cref="NormException">Invalid arguments; <see cref="NormError.BadDType"/> for
    /// float16 / longdouble with the singular-value orders; <see cref="NormError.NoConvergence"/>
    /// when a matrix holds NaN (singular-value orders; the output may then be partly written);
    /// <see cref="NormError.EmptyReduction"/> for a minimum over zero singular values or lines.</exception>
    public static FpEvents Compute(in NdView x, int rowAxis, int colAxis, Ord ord, in NdView output)
    {
        if (rowAxis < 0 || colAxis < 0 || rowAxis >= x.Rank || colAxis >= x.Rank || rowAxis == colAxis)
            throw new NormException(NormError.BadAxis, $"axes ({rowAxis}, {colAxis}) are not two distinct axes of an array of dimension {x.Rank}");
        ulong mask = (1UL << rowAxis) | (1UL << colAxis);
        if (ord.Kind == OrdKind.Frobenius)
            return VectorNorms.Compute(x, mask, Ord.Two, output);
        int kind = Classify(ord);
        x.Validate("x", out long xlo, out long xhi);
        output.Validate("out", out long olo, out long ohi);
        // the stride of an axis of extent 1, or any stride of an empty array, never moves an address, and any int64 is
        // a valid one there (NumPy views carry such strides); the matrix kernels compare strides by magnitude, and
        // |long.MinValue| overflows: zeroed
        if (NdView.HasIdleStrides(x) || NdView.HasIdleStrides(output))
            return Compute(NdView.IdleStridesZeroed(x, stackalloc long[x.Rank]), rowAxis, colAxis, ord,
                           NdView.IdleStridesZeroed(output, stackalloc long[output.Rank]));
        long[] outStrides = OutputLayout.KeptStrides(x, mask, output);
        OutputLayout.CheckNoAlias(x, xlo, xhi, output, olo, ohi);
        if (SmallLineStacks.Applies(x, rowAxis, colAxis, kind, output))
            return SmallLineStacks.Run(x, rowAxis, colAxis, kind, output, outStrides);
        if (ComplexLineStacks.Applies(x, rowAxis, colAxis, kind, output))
            return ComplexLineStacks.Run(x, rowAxis, colAxis, kind, output, outStrides);
        var batch = new MatrixBatch(x, rowAxis, colAxis, output, outStrides);
        return kind switch
        {
            1 => LineSumNorms.Run(batch, columnSums: true, wantMax: true),
            -1 => LineSumNorms.Run(batch, columnSums: true, wantMax: false),
            3 => LineSumNorms.Run(batch, columnSums: false, wantMax: true),
            -3 => LineSumNorms.Run(batch, columnSums: false, wantMax: false),
            2 => SvdNorms.Run(batch, SvdOrd.Max),
            -2 => SvdNorms.Run(batch, SvdOrd.Min),
            _ => SvdNorms.Run(batch, SvdOrd.Sum),
        };
    }

    /// <summary>1, −1, 2, −2 as themselves, ±∞ as ±3, nuclear as 0.</summary>
    private static int Classify(Ord ord)
    {
        if (ord.Kind == OrdKind.Nuclear) return 0;
        if (ord.Kind == OrdKind.P)
        {
            double p = ord.P;
            if (p == 1) return 1;
            if (p == -1) return -1;
            if (p == 2) return 2;
            if (p == -2) return -2;
            if (double.IsPositiveInfinity(p)) return 3;
            if (double.IsNegativeInfinity(p)) return -3;
        }
        throw new NormException(NormError.BadOrd, "Invalid norm order for matrices.");
    }
}
