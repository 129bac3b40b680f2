using NormManaged.Engine;

namespace NormManaged.Matrix;

internal static unsafe partial class LineSumNorms
{
    /// <summary>Whether <see cref="IntLines"/> takes the batch: one matrix of bool or integers of at most 32 bits whose
    /// lines are not adjacent (adjacent lines — ord ±1 of a C-order matrix — are streamed row by row with a sum per line,
    /// which measured as fast or faster: (300, 400) int8 / int32 32 µs there, 58–61 µs here), and whose line sums are
    /// exact in float64 (8 / 16-bit: any length below 2³⁷; 32-bit: at most 2²¹ elements, 2²¹·(2³² − 1) &lt; 2⁵³).</summary>
    private static bool IntLinesApply(MatrixBatch b, long lines, long len, long lineStride)
        => b.Count == 1 && b.OT == DType.Float64 && lines >= 2 && len >= 1 && IntRows.IsInteger(b.T)
           && Math.Abs(lineStride) != DTypes.ItemSize(b.T)
           && DTypes.ItemSize(b.T) <= 4 && (DTypes.ItemSize(b.T) <= 2 ? len < 1L << 37 : len <= 1L << 21);

    /// <summary>One integer matrix: every line's abs-sum by the vector ord-1 reduction of its lines (the column and row
    /// kernels, strided views compacted by <see cref="ColumnBands"/>, threads as they take them), then the best. Each
    /// line's ord-1 result is its sum correctly rounded, here an exact integer, so the best of them is the exact best
    /// line sum and its store is exact: the bits of the double-double path, which walked such a matrix element by
    /// element in its own reader — uint8 <c>a[::-1, ::-2]</c> of (600, 800) ord 1 258 µs, 0.89× NumPy; int8 <c>a[::2,
    /// ::3]</c> 0.71×. No floating-point event can occur. The sums take an O(lines) scratch buffer.</summary>
    private static FpEvents IntLines(MatrixBatch b, long lines, long len, long lineStride, long elemStride, bool wantMax)
    {
        double[] sums = Scratch.Rent(lines);
        try
        {
            fixed (double* s = sums)
            {
                Span<long> shape = [lines, len], strides = [lineStride, elemStride], oshape = [lines], ostrides = [sizeof(double)];
                VectorNorms.Compute(new NdView(b.X, b.T, shape, strides), 2, Ord.Of(1), new NdView(s, DType.Float64, oshape, ostrides));
                double best = s[0];
                for (long i = 1; i < lines; i++) best = wantMax ? Math.Max(best, s[i]) : Math.Min(best, s[i]);
                return ResultWriter.Store(DType.Float64, b.O, best, 0, 0);
            }
        }
        finally
        {
            Scratch.Return(sums);
        }
    }
}
