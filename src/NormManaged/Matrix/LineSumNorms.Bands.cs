using System.Runtime.Intrinsics.X86;
using NormManaged.Engine;

namespace NormManaged.Matrix;

/// <summary>Matrix norms ±1 / ±∞ of one strided matrix whose lines (the columns summed for ±1, the rows for ±∞) are
/// 2 … 16 elements apart — ord 1 of <c>a[::2, ::3]</c> — or whose lines' elements are: the line sums walked
/// such a matrix element by element from scattered cache lines (complex128 (300, 267) ord ±1 0.67–0.71× NumPy, five
/// times the contiguous copy's time). Bands of lines are compacted as <see cref="ColumnBands"/> compacts a reduction's
/// band (its <see cref="ColumnBands.Compact"/>), and each band's best exact line sum is found as for a whole matrix
/// (the screen, then the exact sums of the candidates). Each line's exact sum does not depend on where its elements
/// lie, and the best of the bands' bests, taken in band order, is the best over the lines in line order (the first NaN
/// line wins either way), so the stored result — rounded once from that best, near-ties decided on the matrix itself —
/// has the bits of the whole matrix's.</summary>
internal static unsafe partial class LineSumNorms
{
    /// <summary>Fewest lines taken.</summary>
    private const int BandMinLines = 16;

    /// <summary>Whether one matrix's lines are taken band by band: one matrix, a dtype the compaction takes, lines or
    /// their elements 2 … 16 elements apart (forwards), the other stride further, lines not so short that
    /// float64 keeps its plain store (<see cref="SmallLen"/>), and a band of eight lines within the buffer.</summary>
    private static bool BandsApply(MatrixBatch b, long lines, long len, long lineStride, long elemStride, out bool columns)
    {
        columns = false;
        if (!Avx512F.IsSupported || b.Count != 1 || lines < BandMinLines || len < 2
            || b.T is not (DType.Float64 or DType.Float32 or DType.Complex64 or DType.Complex128)
            || (b.T == DType.Float64 && len <= SmallLen)) return false;
        int es = DTypes.ItemSize(b.T);
        columns = Spaced(lineStride, es) && Math.Abs(elemStride) > lineStride;
        bool rows = !columns && Spaced(elemStride, es) && Math.Abs(lineStride) >= len * elemStride;
        return (columns || rows) && len * es * 8 <= ColumnBands.BandBytes;
    }

    /// <summary>A forward stride of 2 … <see cref="ColumnBands.MaxSpacing"/> elements of <paramref name="es"/> bytes.</summary>
    private static bool Spaced(long stride, int es) => stride > 0 && ColumnBands.Spaced(stride, es);

    /// <summary>The matrix's best line sum band by band (see the class remarks), stored once.</summary>
    private static FpEvents Bands(MatrixBatch b, long lines, long len, long lineStride, long elemStride, bool wantMax, bool columns)
    {
        int es = DTypes.ItemSize(b.T);
        int w = ColumnBands.Width(lines, len * es);
        int bands = (int)((lines + w - 1) / w);
        var hi = new double[bands]; var lo = new double[bands];
        byte* x = b.X;
        nint xb = (nint)x;
        int threads = Parallelism.MaxThreads;
        Parallelism.For(bands, threads > 1 && lines * len >= Parallelism.CostlyElements ? threads : 1,
            band => BandBest((byte*)xb, b.T, lines, len, lineStride, elemStride, wantMax, columns, w, band, out hi[band], out lo[band]));
        double bh = 0, bl = 0;
        bool first = true;
        for (int i = 0; i < bands; i++) Pick(ref first, wantMax, hi[i], lo[i], ref bh, ref bl);
        return StoreBest(b.OT, b.O, bh, bl, x, b.T, lines, len, lineStride, elemStride, wantMax, null);
    }

    /// <summary>Band <paramref name="band"/>'s best exact line sum: lines k0 … k0 + w − 1 compacted into this thread's
    /// buffer (the last band ends at the last line; lines it shares with the band before give the same sums), then
    /// screened and summed as a whole matrix's lines are.</summary>
    private static void BandBest(byte* x, DType t, long lines, long len, long lineStride, long elemStride, bool wantMax,
        bool columns, int w, int band, out double hi, out double lo)
    {
        int es = DTypes.ItemSize(t);
        long k0 = Math.Min((long)band * w, lines - w);
        byte* dst = ColumnBands.Buffer();
        byte* src = x + k0 * lineStride;
        long ls, el;
        if (columns)
        {
            // w lines side by side in each of len rows: line j's element r at (r·w + j)·es
            ColumnBands.Compact(src, lineStride, elemStride, w, len, es, dst);
            ls = es; el = (long)w * es;
        }
        else
        {
            // each line's len elements contiguous
            ColumnBands.Compact(src, elemStride, lineStride, (int)len, w, es, dst);
            ls = len * es; el = es;
        }
        bool stream = el <= ls;
        if (Screens(t, w, len))
        {
            var ps = new double[w];
            if (ScreenedPlain(dst, t, w, len, ls, el, wantMax, stream, ps, out hi, out lo)) return;
        }
        var buf = new double[Cap(w, len) * 2 * Group];
        if (stream) Streamed(dst, t, w, len, ls, el, wantMax, buf, out hi, out lo);
        else Crossed(dst, t, w, len, ls, el, wantMax, buf, new double[w], new double[w], out hi, out lo);
    }
}
