namespace NormManaged.Engine;

/// <summary>Checks that an output descriptor matches a reduction and extracts the byte strides
/// of the kept axes. The output may drop the reduced axes (numpy's default) or keep them with
/// extent 1 (keepdims).</summary>
internal static unsafe class OutputLayout
{
    public static long[] KeptStrides(in NdView x, ulong reduceMask, in NdView output)
    {
        DType want = DTypes.ResultType(x.DType);
        if (output.DType != want)
            throw new NormException(NormError.OutputMismatch,
                $"out: dtype {DTypes.Name(output.DType)} does not match the result dtype {DTypes.Name(want)} of a {DTypes.Name(x.DType)} input");
        int rank = x.Rank;
        int reduced = System.Numerics.BitOperations.PopCount(reduceMask);
        var strides = new long[rank - reduced];
        int k = 0;
        if (output.Rank == rank - reduced)
        {
            for (int i = 0; i < rank; i++)
            {
                if (((reduceMask >> i) & 1) != 0) continue;
                if (output.Shape[k] != x.Shape[i]) throw Mismatch(x, reduceMask, output);
                strides[k] = output.Strides[k]; k++;
            }
        }
        else if (output.Rank == rank && reduced > 0)
        {
            for (int i = 0; i < rank; i++)
            {
                bool r = ((reduceMask >> i) & 1) != 0;
                if (output.Shape[i] != (r ? 1 : x.Shape[i])) throw Mismatch(x, reduceMask, output);
                if (!r) strides[k++] = output.Strides[i];
            }
        }
        else throw Mismatch(x, reduceMask, output);
        return strides;
    }

    /// <summary>Rejects an output whose bytes overlap the input's.</summary>
    public static void CheckNoAlias(in NdView x, long xlo, long xhi, in NdView output, long olo, long ohi)
    {
        if (xhi == xlo || ohi == olo) return;
        long a0 = (long)x.Data + xlo, a1 = (long)x.Data + xhi;
        long b0 = (long)output.Data + olo, b1 = (long)output.Data + ohi;
        if (a0 < b1 && b0 < a1)
            throw new NormException(NormError.Aliasing, "out: the output memory overlaps the input");
    }

    private static NormException Mismatch(in NdView x, ulong mask, in NdView output)
    {
        var want = new List<long>();
        for (int i = 0; i < x.Rank; i++) if (((mask >> i) & 1) == 0) want.Add(x.Shape[i]);
        return new NormException(NormError.OutputMismatch,
            $"out: shape ({string.Join(", ", output.Shape.ToArray())}) does not match the reduction; expected ({string.Join(", ", want)}) or the same with the reduced axes kept as 1");
    }
}
