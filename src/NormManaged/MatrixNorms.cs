namespace NormManaged;

/// <summary>Matrix norms over two axes of a strided array, batched over the others: the engine
/// behind <c>normnative_matrix_norm</c>.</summary>
public static class MatrixNorms
{
    /// <summary>Computes the matrix norm of order <paramref name="ord"/> with rows along
    /// <paramref name="rowAxis"/> and columns along <paramref name="colAxis"/> (both already
    /// normalised to [0, rank), distinct) into <paramref name="output"/> (shape = the input's with
    /// both axes removed or kept as 1; dtype = <see cref="DTypes.ResultType"/>).</summary>
    public static FpEvents Compute(in NdView x, int rowAxis, int colAxis, Ord ord, in NdView output)
    {
        if (rowAxis < 0 || colAxis < 0 || rowAxis >= x.Rank || colAxis >= x.Rank || rowAxis == colAxis)
            throw new NormException(NormError.BadAxis, $"axes ({rowAxis}, {colAxis}) are not two distinct axes of an array of dimension {x.Rank}");
        ulong mask = (1UL << rowAxis) | (1UL << colAxis);
        if (ord.Kind == OrdKind.Frobenius)
            return VectorNorms.Compute(x, mask, Ord.Two, output);
        throw new NormException(NormError.BadOrd, "ord: only 'fro' is implemented for matrices so far");
    }
}
