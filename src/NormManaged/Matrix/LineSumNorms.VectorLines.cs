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

    /// <summary>Whether <see cref="VectorLines"/> screens the batch (<c>screen</c>): a stack of float64 (lines longer than
    /// <see cref="SmallLen"/>: the short ones keep their plain store) or complex matrices that interleave — the kept
    /// axis steps less than a cache line or less than a matrix spans along its axis of smaller stride (axes (0, 1) of a
    /// C-order array, strided or reversed views of it, a transposed or Fortran-order one kept on its first axis,
    /// <c>[::2, :, ::3]</c> over axes (0, 2)) — so that walking one matrix at a time, as the per-matrix passes do, reads
    /// the same cache lines again for every matrix ((60, 80, 100) complex64 <c>[:, ::-2, 1:]</c> axes (0, 1) ord 1 0.40×
    /// NumPy, complex128 0.62×, float64 <c>[..., ::2].T</c> axes (1, 2) ord ∞ 0.68×, int64 0.64×); and complex or
    /// 64-bit integer stacks whose matrices have no contiguous axis (<c>[..., ::2].T</c> over (0, 1): 330–580 → 145–280
    /// µs). Other stacks stay on the per-matrix passes, which measured faster there (int64 axes (1, 2) of a C-order array
    /// 125 µs against 175 screened; float64 <c>[::2, :, ::3]</c> over (0, 2) 57 against 65–71). The result dtype must be
    /// the vector ord-1 one (float32 for complex64, else float64).</summary>
    private static bool StackScreenApplies(MatrixBatch b, long lines, long len, long ls, long es)
    {
        if (b.Count < 2 || lines < 2 || len < 1 || len >= 1L << 30 || !b.OneKeptAxis(out long ks, out _)) return false;
        // the span of a matrix along its axis of smaller stride: a kept step inside it interleaves the matrices; a
        // matrix with no contiguous axis is read in pieces by the per-matrix passes too
        long inner = Math.Abs(ls) <= Math.Abs(es) ? Math.Abs(ls) * lines : Math.Abs(es) * len;
        bool interleaved = Math.Abs(ks) < Math.Max(64, inner);
        bool pieces = interleaved || Math.Min(Math.Abs(ls), Math.Abs(es)) > DTypes.ItemSize(b.T);
        return b.T switch
        {
            DType.Float64 => Math.Abs(ks) < 64 && len > SmallLen && b.OT == DType.Float64,
            DType.Complex128 or DType.Int64 or DType.UInt64 => pieces && b.OT == DType.Float64,
            DType.Complex64 => pieces && b.OT == DType.Float32,
            _ => false,
        };
    }

    /// <summary>The screen's bound (<see cref="ScreenedWithin"/>)
    /// for the vector ord-1 results r of lines of <paramref name="len"/> elements against the exact sums S of the
    /// per-matrix passes (complex magnitudes rounded to float64 once; 64-bit integers converted to float64, as the
    /// vector kernels and NumPy convert them too): float64 results are within an ulp of their exact sum (complex: of
    /// Σ|z|), |r − S| ≤ 2⁻⁵¹S with the magnitudes' ≤ len·2⁻⁵³S, so r = (len + 8)·2⁻⁵² relatively — a plain float64 sum
    /// in any order would meet it too; complex128 adds an absolute (len + 1)·2⁻¹⁰⁷⁰ for magnitudes rounded in the
    /// subnormal range. complex64's float32 results are correctly rounded: 2⁻²⁴ relatively or 2⁻¹⁵⁰ absolutely; taken
    /// as 2⁻²¹ and (len + 1)·2⁻¹⁴⁰. f = 1 − 2r − 2⁻⁵⁰ ≤ (1 − r)/(1 + r), as in <see cref="ComplexLineScreen.Bound"/>.
    /// The margin is a safety: results this accurate are monotone in S up to ties, and the tests' near ties (three
    /// permuted lines, one nudged by an ulp of one element) gave the same bits with f = 1.</summary>
    private static (double F, double Slack) StackScreenBound(DType t, long len)
    {
        double r = t == DType.Complex64 ? Math.ScaleB(1.0, -21) : (len + 8) * Math.ScaleB(1.0, -52);
        double slack = t switch
        {
            DType.Complex64 => (len + 1) * Math.ScaleB(1.0, -140),
            DType.Complex128 => (len + 1) * Math.ScaleB(1.0, -1070),
            _ => 0,
        };
        return (1 - 2 * r - Math.ScaleB(1.0, -50), slack);
    }

    [ThreadStatic] private static double[]? t_screen;

    /// <summary>The screen's line sums: a thread's array kept between calls for matrices of up to 2¹⁶ lines (a fresh
    /// one per call was a GC allocation, its page faults and clearing, 2–3 % of complex64 stacks of 80 × 34), at least
    /// <paramref name="lines"/> long; only the first <paramref name="lines"/> are read.</summary>
    private static double[] ScreenScratch(long lines)
    {
        if (lines > 1 << 16) return new double[lines];
        var a = t_screen;
        if (a is null || a.Length < lines) t_screen = a = new double[Math.Max(lines, 64)];
        return a;
    }

    /// <summary>Every matrix's best line sum from the vector ord-1 reduction of its lines (the column and row kernels,
    /// strided views compacted or repacked, threads as they take them), chunk by chunk of matrices.
    /// Without <paramref name="screen"/>, each line's ord-1 result is its sum correctly rounded (integers: exact, below
    /// 2⁵³; float32: correctly rounded without exception), and rounding is monotone, so the best of them is the best
    /// exact line sum rounded once: the bits of the double-double path. A chunk with a NaN line (whose first NaN that
    /// path returns) or a floating-point event (an overflowing line the best may not be) returns false — outputs partly
    /// written, all to be rewritten by that path; a precaution: the tests' NaN lines and overflowing float32 lines gave
    /// the same bits and warnings without it.
    /// With <paramref name="screen"/> (<see cref="StackScreenApplies"/>), the results only screen the lines
    /// (<see cref="StackScreenBound"/>): the candidates of each matrix (usually its one best line) are summed by the
    /// per-matrix passes' own exact code and stored by <see cref="StoreBest"/>, as <see cref="ScreenedPlain"/> does, so
    /// the bits are theirs; a matrix the screen cannot decide (a non-finite or tiny result, too many tied lines) returns
    /// false for the per-matrix passes to redo everything. Scratch: at most <see cref="VectorLinesScratch"/> line
    /// results.</summary>
    private static bool VectorLines(MatrixBatch b, long lines, long len, long ls, long es, bool wantMax, bool screen, out FpEvents events)
    {
        events = FpEvents.None;
        long count = b.Count, ks = 0, os = 0;
        if (count > 1) b.OneKeptAxis(out ks, out os);
        bool single = b.OT == DType.Float32;
        int oes = single ? sizeof(float) : sizeof(double);
        long chunk = Math.Max(1, Math.Min(count, VectorLinesScratch / lines));
        double[] sums = Scratch.Rent((chunk * lines * oes + 7) / 8);
        double[]? ps = screen ? ScreenScratch(lines) : null;
        var bound = screen ? StackScreenBound(b.T, len) : default;
        bool streamLines = Math.Abs(es) <= Math.Abs(ls), across = Math.Abs(ks) < Math.Abs(ls);
        // complex and 64-bit integer stacks screened down to one candidate line per matrix (the usual case) take the candidates' exact
        // sums eight matrices at a time (ExactLanes: ExactLine's operations lane by lane, the same bits) instead of one
        // strided line at a time, whose serial chain and cache misses were a sixth of (60, 80, 100) [::2, :, ::3] over (0, 2)
        bool batch = ps != null && b.T is DType.Complex64 or DType.Complex128 or DType.Int64 or DType.UInt64 && !streamLines && ExactLanes.Supported;
        byte** pline = stackalloc byte*[ExactLanes.Lines];
        byte** pdst = stackalloc byte*[ExactLanes.Lines];
        byte** pmat = stackalloc byte*[ExactLanes.Lines];
        int pending = 0;
        // stack spans (a conditional of two collection expressions made a heap array each, per chunk)
        Span<long> shape = stackalloc long[3], strides = stackalloc long[3], oshape = stackalloc long[2], ostrides = stackalloc long[2];
        try
        {
            fixed (double* s = sums)
            {
                for (long c0 = 0; c0 < count; c0 += chunk)
                {
                    long cc = Math.Min(chunk, count - c0);
                    // the kept axes in decreasing input stride and the results laid out alike (the engine's kernels
                    // take the axes in the order given: int64 [::2, :, ::3] axes (0, 1) 132 → 63 µs)
                    long mstep = across ? 1 : lines, lstep = across ? cc : 1;
                    if (across) { shape[0] = lines; shape[1] = cc; strides[0] = ls; strides[1] = ks; ostrides[0] = oes * lstep; ostrides[1] = oes * mstep; }
                    else { shape[0] = cc; shape[1] = lines; strides[0] = ks; strides[1] = ls; ostrides[0] = oes * mstep; ostrides[1] = oes * lstep; }
                    shape[2] = len; strides[2] = es; oshape[0] = shape[0]; oshape[1] = shape[1];
                    var ev = VectorNorms.Compute(new NdView(b.X + c0 * ks, b.T, shape, strides), 4, Ord.Of(1),
                                                 new NdView(s, b.OT, oshape, ostrides));
                    if (ev != FpEvents.None) return false;
                    for (long i = 0; i < cc; i++)
                    {
                        byte* dst = b.O + (c0 + i) * os;
                        if (ps != null)
                        {
                            for (long j = 0; j < lines; j++) ps[j] = single ? ((float*)s)[i * mstep + j * lstep] : s[i * mstep + j * lstep];
                            byte* xm = b.X + (c0 + i) * ks;
                            if (ScreenCut(ps, lines, wantMax, bound, out double cut, out long candidates) <= 0) return false;
                            if (batch && candidates == 1)
                            {
                                // the one candidate's exact sum later, eight matrices' lines side by side
                                long l = 0;
                                while (!(wantMax ? ps[l] >= cut : ps[l] <= cut)) l++;
                                pline[pending] = xm + l * ls; pdst[pending] = dst; pmat[pending] = xm;
                                if (++pending == ExactLanes.Lines) { events |= StoreExactLines(b, pline, pdst, pmat, pending, lines, len, ls, es, wantMax); pending = 0; }
                                continue;
                            }
                            if (ScreenedCandidates(xm, b.T, lines, len, ls, es, wantMax, streamLines, ps, cut, candidates, out double hi, out double lo) <= 0)
                                return false;
                            events |= StoreBest(b.OT, dst, hi, lo, xm, b.T, lines, len, ls, es, wantMax, b.T == DType.Float64 ? ps : null);
                        }
                        else if (single)
                        {
                            float* f = (float*)s + i * mstep;
                            float best = f[0];
                            for (long j = 1; j < lines; j++) best = wantMax ? MathF.Max(best, f[j * lstep]) : MathF.Min(best, f[j * lstep]);
                            if (float.IsNaN(best)) return false;
                            *(float*)dst = best;
                        }
                        else
                        {
                            double* d = s + i * mstep;
                            double best = d[0];
                            for (long j = 1; j < lines; j++) best = wantMax ? Math.Max(best, d[j * lstep]) : Math.Min(best, d[j * lstep]);
                            *(double*)dst = best;
                        }
                    }
                }
                if (pending > 0) events |= StoreExactLines(b, pline, pdst, pmat, pending, lines, len, ls, es, wantMax);
            }
            return true;
        }
        finally
        {
            Scratch.Return(sums);
        }
    }

    /// <summary>Stores the best line sums of matrices screened down to one candidate each (<paramref name="n"/> ≤ 8
    /// lines at <paramref name="pline"/>, of the matrices at <paramref name="pmat"/>): their exact sums side by side
    /// (<see cref="ExactLanes"/>), each then stored by <see cref="StoreBest"/> as <see cref="ScreenedCandidates"/>
    /// stores a lone candidate's (Pick's normalisation, then the complex store or, for integers, the midpoint decision
    /// over the matrix's lines).</summary>
    private static FpEvents StoreExactLines(MatrixBatch b, byte** pline, byte** pdst, byte** pmat, int n, long lines, long len, long ls, long es, bool wantMax)
    {
        double* hi = stackalloc double[ExactLanes.Lines], lo = stackalloc double[ExactLanes.Lines];
        for (int r = n; r < ExactLanes.Lines; r++) pline[r] = pline[0]; // idle lanes repeat a line; nothing of theirs is stored
        if (b.T == DType.Complex64) ExactLanes.Complex64(pline, len, es, hi, lo);
        else if (b.T == DType.Complex128) ExactLanes.Complex128(pline, len, es, hi, lo);
        else ExactLanes.Int64(pline, len, es, b.T == DType.UInt64, hi, lo);
        var ev = FpEvents.None;
        for (int r = 0; r < n; r++)
        {
            bool first = true;
            double bh = 0, bl = 0;
            Pick(ref first, wantMax, hi[r], lo[r], ref bh, ref bl);
            ev |= StoreBest(b.OT, pdst[r], bh, bl, pmat[r], b.T, lines, len, ls, es, wantMax, null);
        }
        return ev;
    }
}
