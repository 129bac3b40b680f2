using System.Runtime.Intrinsics;
using NormManaged.Engine;
using NormManaged.Kernels;

namespace NormManaged.Matrix;

/// <summary>The screened per-matrix path for float64 matrices side by side whose lines are streamed (e.g. ord ±∞ over
/// axes (0, 1) of a C-order (50, 60, 70) array: every line of 60 elements strided, the 70 matrices adjacent): the
/// screen's plain sums of eight adjacent matrices are computed at once, one contiguous 8-double load per element
/// position instead of eight strided scalar reads, then each matrix is decided exactly as alone
/// (<see cref="ScreenedBest"/>, <see cref="StoreBest"/>, or the full <see cref="Streamed"/> pass when the screen does not
/// decide). The plain sums' bits never reach a result (only the screen's bound on them matters), and what reaches
/// it is the correctly rounded best line sum (<see cref="StoreBest"/> decides near-ties exactly), unique: the
/// stored bits are the per-matrix path's whatever the width, the grouping and the threads.</summary>
internal static unsafe partial class LineSumNorms
{
    /// <summary>Matrices per group (one Vector512 or two Vector256 of plain sums per line).</summary>
    private const int ScreenGroup = 8;

    /// <summary>Whether <see cref="ScreenAcross"/> takes the batch: float64, the screen applies (long lines), the lines
    /// are streamed (their elements the nearer), one kept axis of at least <see cref="ScreenGroup"/> adjacent
    /// matrices.</summary>
    private static bool ScreenAcrossApplies(MatrixBatch b, long lines, long len, long lineStride, long elemStride)
        => Vector256.IsHardwareAccelerated && b.T == DType.Float64 && b.OT == DType.Float64 && Screens(b.T, lines, len)
           && Math.Abs(elemStride) <= Math.Abs(lineStride) && b.OneKeptAxis(out long ks, out _) && ks == sizeof(double)
           && b.Count >= ScreenGroup;

    /// <summary>Every matrix of the batch (see the class remarks); groups of <see cref="ScreenGroup"/> adjacent matrices,
    /// the last ending at the last matrix (a matrix done twice is written twice with the same value), spread over the
    /// threads (independent, so the split changes nothing).</summary>
    private static FpEvents ScreenAcross(MatrixBatch b, long lines, long len, long ls, long es, bool wantMax)
    {
        b.OneKeptAxis(out _, out long os);
        long count = b.Count, groups = (count + ScreenGroup - 1) / ScreenGroup;
        nint xb = (nint)b.X, ob = (nint)b.O;
        FpEvents Range(long first, long n)
        {
            var sums = new double[lines * ScreenGroup];
            var ps = new double[lines];
            double[]? buf = null;
            int ev = 0;
            fixed (double* s = sums)
                for (long g = first; g < first + n; g++)
                {
                    long start = Math.Min(g * ScreenGroup, count - ScreenGroup);
                    byte* x0 = (byte*)xb + start * sizeof(double);
                    GroupSums(x0, lines, len, ls, es, s);
                    for (int j = 0; j < ScreenGroup; j++)
                    {
                        for (long l = 0; l < lines; l++) ps[l] = s[l * ScreenGroup + j];
                        byte* xm = x0 + j * sizeof(double), dst = (byte*)ob + (start + j) * os;
                        if (ScreenedBest(xm, DType.Float64, lines, len, ls, es, wantMax, true, false, ps, out double hi, out double lo) > 0)
                        {
                            ev |= (int)StoreBest(DType.Float64, dst, hi, lo, xm, DType.Float64, lines, len, ls, es, wantMax, ps);
                            continue;
                        }
                        Streamed(xm, DType.Float64, lines, len, ls, es, wantMax, buf ??= new double[Cap(lines, len) * 2 * Group], out hi, out lo);
                        ev |= (int)StoreBest(DType.Float64, dst, hi, lo, xm, DType.Float64, lines, len, ls, es, wantMax, null);
                    }
                }
            return (FpEvents)ev;
        }
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && groups > 1 && (double)count * lines * len >= BlockDriver.ParallelThreshold)
            return Parallelism.ForOutputRanges(groups, threads, Range);
        return Range(0, groups);
    }

    /// <summary>s[l·8 + j] = a plain Σ|x| of line l of the matrix at <paramref name="x0"/> + 8j (eight adjacent matrices),
    /// four partial sums per lane over the line's elements (any order: only <see cref="ScreenedBest"/>'s bound matters).</summary>
    private static void GroupSums(byte* x0, long lines, long len, long ls, long es, double* s)
    {
        for (long l = 0; l < lines; l++)
        {
            byte* p = x0 + l * ls;
            long k = 0;
            if (RealKernels.Wide)
            {
                var a0 = Vector512<double>.Zero; var a1 = a0; var a2 = a0; var a3 = a0;
                for (; k + 4 <= len; k += 4, p += 4 * es)
                {
                    a0 += Vector512.Abs(Vector512.Load((double*)p)); a1 += Vector512.Abs(Vector512.Load((double*)(p + es)));
                    a2 += Vector512.Abs(Vector512.Load((double*)(p + 2 * es))); a3 += Vector512.Abs(Vector512.Load((double*)(p + 3 * es)));
                }
                for (; k < len; k++, p += es) a0 += Vector512.Abs(Vector512.Load((double*)p));
                Vector512.Store((a0 + a1) + (a2 + a3), s + l * ScreenGroup);
                continue;
            }
            var b0 = Vector256<double>.Zero; var b1 = b0; var c0 = b0; var c1 = b0;
            for (; k + 2 <= len; k += 2, p += 2 * es)
            {
                b0 += Vector256.Abs(Vector256.Load((double*)p)); c0 += Vector256.Abs(Vector256.Load((double*)p + 4));
                b1 += Vector256.Abs(Vector256.Load((double*)(p + es))); c1 += Vector256.Abs(Vector256.Load((double*)(p + es) + 4));
            }
            if (k < len) { b0 += Vector256.Abs(Vector256.Load((double*)p)); c0 += Vector256.Abs(Vector256.Load((double*)p + 4)); }
            Vector256.Store(b0 + b1, s + l * ScreenGroup);
            Vector256.Store(c0 + c1, s + l * ScreenGroup + 4);
        }
    }
}
