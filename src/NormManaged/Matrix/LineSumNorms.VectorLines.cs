using NormManaged.Engine;

namespace NormManaged.Matrix;

internal static unsafe partial class LineSumNorms
{
    /// <summary>Line results buffered at a time (matrices are taken in chunks of at most this many lines in all).</summary>
    private const long VectorLinesScratch = 1 << 16;

    /// <summary>Whether <see cref="VectorLines"/> takes the batch: one matrix of bool or integers of at most 32 bits whose
    /// lines are not adjacent (adjacent lines — ord ±1 of a C-order matrix — are streamed row by row with a sum per
    /// line, which measured as fast or faster: (300, 400) int8 / int32 32 µs there, 58–61 µs here), or a stack of such
    /// integer or of float32 matrices along one kept axis (float32 stacks went matrix by matrix through the double-double
    /// path: (60, 80, 100) axes (0, 1) ord 1 0.40× NumPy). Integer line sums must be exact in float64 (8 / 16-bit: any
    /// length below 2³⁷; 32-bit: at most 2²¹ elements, 2²¹·(2³² − 1) &lt; 2⁵³).</summary>
    private static bool VectorLinesApply(MatrixBatch b, long lines, long len, long lineStride)
    {
        if (lines < 2 || len < 1 || b.Count < 1) return false;
        int es = DTypes.ItemSize(b.T);
        bool ints = IntRows.IsInteger(b.T) && es <= 4 && (es <= 2 ? len < 1L << 37 : len <= 1L << 21) && b.OT == DType.Float64;
        if (b.Count == 1) return ints && Math.Abs(lineStride) != es;
        return (ints || (b.T == DType.Float32 && b.OT == DType.Float32)) && b.OneKeptAxis(out _, out _);
    }

    /// <summary>Every matrix's best line sum from the vector ord-1 reduction of its lines (the column and row kernels,
    /// strided views compacted or repacked, threads as they take them), chunk by chunk of matrices. Each line's ord-1
    /// result is its sum correctly rounded (integers: exact, below 2⁵³; float32: correctly rounded without exception),
    /// and rounding is monotone, so the best of them is the best exact line sum rounded once: the bits of the
    /// double-double path. A chunk with a NaN line (whose first NaN that path returns) or a floating-point event (an
    /// overflowing line the best may not be) returns false — outputs partly written, all to be rewritten by that path;
    /// a precaution: the tests' NaN lines and overflowing float32 lines gave the same bits and warnings without it.
    /// Scratch: at most <see cref="VectorLinesScratch"/> line results.</summary>
    private static bool VectorLines(MatrixBatch b, long lines, long len, long ls, long es, bool wantMax)
    {
        long count = b.Count, ks = 0, os = 0;
        if (count > 1) b.OneKeptAxis(out ks, out os);
        bool single = b.OT == DType.Float32;
        int oes = single ? sizeof(float) : sizeof(double);
        long chunk = Math.Max(1, Math.Min(count, VectorLinesScratch / lines));
        double[] sums = Scratch.Rent((chunk * lines * oes + 7) / 8);
        try
        {
            fixed (double* s = sums)
            {
                for (long c0 = 0; c0 < count; c0 += chunk)
                {
                    long cc = Math.Min(chunk, count - c0);
                    Span<long> shape = [cc, lines, len], strides = [ks, ls, es], oshape = [cc, lines], ostrides = [lines * oes, oes];
                    var ev = VectorNorms.Compute(new NdView(b.X + c0 * ks, b.T, shape, strides), 4, Ord.Of(1),
                                                 new NdView(s, b.OT, oshape, ostrides));
                    if (ev != FpEvents.None) return false;
                    for (long i = 0; i < cc; i++)
                    {
                        byte* dst = b.O + (c0 + i) * os;
                        if (single)
                        {
                            float* f = (float*)s + i * lines;
                            float best = f[0];
                            for (long j = 1; j < lines; j++) best = wantMax ? MathF.Max(best, f[j]) : MathF.Min(best, f[j]);
                            if (float.IsNaN(best)) return false;
                            *(float*)dst = best;
                        }
                        else
                        {
                            double* d = s + i * lines;
                            double best = d[0];
                            for (long j = 1; j < lines; j++) best = wantMax ? Math.Max(best, d[j]) : Math.Min(best, d[j]);
                            *(double*)dst = best;
                        }
                    }
                }
            }
            return true;
        }
        finally
        {
            Scratch.Return(sums);
        }
    }
}
