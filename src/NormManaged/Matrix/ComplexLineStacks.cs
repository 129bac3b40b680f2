using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Engine;

namespace NormManaged.Matrix;

/// <summary>Matrix ±1 / ±∞ norms (the largest or smallest column or row sum of |a|) of stacks of small complex
/// matrices: one tight loop per matrix instead of <see cref="LineSumNorms"/>' per-matrix setup (delegates, scratch
/// arrays, screens), which cost more than NumPy's whole computation on a 2×2 or 4×4 matrix.
///
/// Bits. The operations are those of <see cref="LineSumNorms"/> on lines shorter than 16: every |aᵢⱼ| is
/// <see cref="LineMagnitudes"/>' magnitude (a function of the element alone, the same in its vector and scalar
/// code), each line is summed in index order by TwoSum from zero (what <c>SumAbs</c>, <c>AddAbs</c> and the
/// screen's exact candidates all do below 16 terms), the lines are picked in index order by
/// <see cref="LineSumNorms.Pick"/> and the double-double is rounded once by <see cref="ResultWriter"/>. So every
/// output has the bits and events of its matrix reduced alone, by construction; matrices are independent, so
/// neither the split over threads nor the order of the stack changes anything.</summary>
internal static unsafe class ComplexLineStacks
{
    /// <summary>Largest matrix side taken (lines of at most 15 terms are summed sequentially by the line-sum kernels).</summary>
    private const long MaxSide = 15;

    /// <summary>Total elements from which the stack is split over threads (a magnitude costs ~10 flops).</summary>
    private const long ParallelElements = 1L << 16;

    /// <summary>kind: 1 / −1 (column sums), 3 / −3 (row sums), as <c>MatrixNorms.Classify</c>.</summary>
    public static bool Applies(in NdView x, int rowAxis, int colAxis, int kind, in NdView output)
        => x.DType is DType.Complex128 or DType.Complex64 && SmallLineStacks.IsStack(x, rowAxis, colAxis, kind, MaxSide);

    public static FpEvents Run(in NdView x, int rowAxis, int colAxis, int kind, in NdView output, long[] outStrides)
    {
        ulong mask = (1UL << rowAxis) | (1UL << colAxis);
        var plan = ReductionPlan.Create(x.Shape, x.Strides, mask, outStrides);
        // lines along the summed axis: column sums run down the rows
        bool cols = kind is 1 or -1, max = kind > 0;
        long nr = x.Shape[rowAxis], nc = x.Shape[colAxis], rs = x.Strides[rowAxis], cs = x.Strides[colAxis];
        var shape = new Shape((int)(cols ? nc : nr), (int)(cols ? nr : nc), cols ? cs : rs, cols ? rs : cs, max);
        DType t = x.DType, ot = output.DType;
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && plan.OuterCount * plan.InnerCount >= ParallelElements)
        {
            nint xb = (nint)x.Data, ob = (nint)output.Data;
            return Parallelism.ForOutputRanges(plan.OuterCount, threads, (lo, n) => Range(plan, (byte*)xb, (byte*)ob, lo, n, t, ot, shape));
        }
        return Range(plan, x.Data, output.Data, 0, plan.OuterCount, t, ot, shape);
    }

    /// <summary>Lines (count, length) of every matrix, their byte strides, and max or min.</summary>
    private readonly record struct Shape(int Lines, int Len, long LineStride, long ElemStride, bool Max);

    private static FpEvents Range(ReductionPlan plan, byte* x, byte* o, long start, long count, DType t, DType ot, Shape s)
    {
        int lines = s.Lines, len = s.Len, n = lines * len;
        long ls = s.LineStride, es = s.ElemStride;
        double* buf = stackalloc double[3 * n]; // widened components (2n), then the magnitudes (n)
        double* mag = buf + 2 * n;
        double* ps = stackalloc double[lines];
        // a complex128 matrix stored contiguously (either order) gives its magnitudes without a copy; unit strides
        // of a line and of an element in mag
        bool direct = t == DType.Complex128 && ((es == 16 && ls == 16L * len) || (ls == 16 && es == 16L * lines));
        long lu = direct ? ls / 16 : len, eu = direct ? es / 16 : 1;
        bool screen = lines >= 2 && len >= ScreenLen, streamLines = Math.Abs(es) <= Math.Abs(ls);
        var (f, slack) = ComplexLineScreen.Bound(len, single: false);
        var ev = FpEvents.None;
        if (direct && !screen && plan.OuterShape.Length == 1 && plan.OuterInStrides[0] == 16L * n)
        {
            // consecutive contiguous matrices: the magnitudes of a batch of them in one call (the same function of
            // each element), then each matrix's lines
            int batch = Math.Max(1, BatchElements / n);
            double* mags = stackalloc double[batch * n];
            long os = plan.OuterOutStrides[0];
            for (long k = start; k < start + count; k += batch)
            {
                int b = (int)Math.Min(batch, start + count - k);
                LineMagnitudes.Run((double*)(x + k * 16L * n), b * n, mags);
                int j = 0;
                if (Avx2.IsSupported)
                    for (; j + 4 <= b; j += 4)
                    {
                        FourLineSums(mags + j * n, n, lines, len, lu, eu, s.Max, out var vh, out var vl);
                        for (int q = 0; q < 4; q++)
                            ev |= FastFinish.Store(ot, o + (k + j + q) * os, vh.GetElement(q), vl.GetElement(q), false);
                    }
                for (; j < b; j++)
                {
                    double bh = 0, bl = 0;
                    bool first = true;
                    for (int l = 0; l < lines; l++) LineSum(mags + j * n + l * lu, len, eu, s.Max, ref first, ref bh, ref bl);
                    ev |= FastFinish.Store(ot, o + (k + j) * os, bh, bl, false);
                }
            }
            return ev;
        }
        var it = new OuterIterator(plan, x, o, start, count);
        while (it.Next(out byte* xp, out byte* dst))
        {
            // xp: element (0, 0) of this matrix (the plan's inner base offset is not applied; strides may be negative)
            double bh = 0, bl = 0;
            bool first = true;
            if (screen)
            {
                ComplexLineScreen.PlainSums(xp, t, 0, lines, len, ls, es, streamLines, single: false, ps);
                if (Cut(ps, lines, s.Max, f, slack, out double cut))
                {
                    for (int l = 0; l < lines; l++)
                    {
                        if (!(s.Max ? ps[l] >= cut : ps[l] <= cut)) continue;
                        Gather.Run(t, xp + l * ls, es, len, buf);
                        Magnitudes(t, buf, len, mag);
                        LineSum(mag, len, 1, s.Max, ref first, ref bh, ref bl);
                    }
                    ev |= FastFinish.Store(ot, dst, bh, bl, false);
                    continue;
                }
            }
            if (direct) LineMagnitudes.Run((double*)xp, n, mag);
            else
            {
                for (int l = 0; l < lines; l++) Gather.Run(t, xp + l * ls, es, len, buf + 2 * l * len);
                Magnitudes(t, buf, n, mag);
            }
            for (int l = 0; l < lines; l++) LineSum(mag + l * lu, len, eu, s.Max, ref first, ref bh, ref bl);
            ev |= FastFinish.Store(ot, dst, bh, bl, false); // bh + bl rounded once, as ResultWriter.Store(ot, dst, bh, bl, 0)
        }
        return ev;
    }

    /// <summary>Magnitudes computed per call for a batch of consecutive matrices.</summary>
    private const int BatchElements = 1024;

    /// <summary>Lines at least this long are screened first by approximate magnitudes (<see cref="ComplexLineScreen"/>):
    /// only the lines that can still be the largest (smallest) get correctly rounded magnitudes.</summary>
    private const int ScreenLen = 8;

    /// <summary>The screen of <c>LineSumNorms.ScreenedBest</c> on one matrix's approximate sums: a line whose sum is
    /// beyond <paramref name="cut"/> cannot hold the maximum (minimum) exact sum, by <see cref="ComplexLineScreen.Bound"/>.
    /// False (every line is summed exactly) when a sum is not finite or the bound's absolute part is not small.</summary>
    private static bool Cut(double* ps, int lines, bool max, double f, double slack, out double cut)
    {
        double best = ps[0], top = ps[0];
        bool finite = true;
        for (int l = 0; l < lines; l++)
        {
            double v = ps[l];
            finite &= double.IsFinite(v); // NaN and ∞ decide nothing, so plain comparisons serve below
            best = max ? (v > best ? v : best) : (v < best ? v : best);
            top = v > top ? v : top;
        }
        cut = max ? (best - slack) * f - slack : (best + slack) / f + slack;
        return finite && !(slack > top * SlackShare);
    }

    /// <summary>2⁻²⁰: the bound's absolute part must be this small next to the sums (a constant: ScaleB is a call).</summary>
    private const double SlackShare = 9.5367431640625e-07;

    private static void Magnitudes(DType t, double* v, int n, double* dst)
    {
        if (t == DType.Complex64) LineMagnitudes.RunSingle(v, n, dst);
        else LineMagnitudes.Run(v, n, dst);
    }

    /// <summary><see cref="LineSum"/> and <see cref="LineSumNorms.Pick"/> for four matrices at once, one per lane (magnitudes
    /// <paramref name="n"/> apart): the same operations on every lane, branch-free, so each lane has the scalar bits.
    /// A scalar Pick's comparison of random sums mispredicted about every other line.</summary>
    private static void FourLineSums(double* m, int n, int lines, int len, long lu, long eu, bool max,
        out Vector256<double> bh, out Vector256<double> bl)
    {
        var idx = Vector128.Create(0, n, 2 * n, 3 * n);
        var inf = Vector256.Create(double.PositiveInfinity);
        bh = bl = Vector256<double>.Zero;
        for (int l = 0; l < lines; l++)
        {
            double* p = m + l * lu;
            Vector256<double> h = Vector256<double>.Zero, lo = Vector256<double>.Zero;
            for (int e = 0; e < len; e++)
            {
                var v = Vector256.Abs(Avx2.GatherVector256(p + e * eu, idx, 8));
                var sum = h + v; var bb = sum - h;
                lo += (h - (sum - bb)) + (v - bb);
                h = sum;
            }
            // Pick: a non-finite sum keeps lo = 0, a finite one is normalised by Fast2Sum
            var fin = Vector256.LessThan(Vector256.Abs(h), inf);
            var hn = h + lo;
            var ln = Vector256.ConditionalSelect(fin, lo - (hn - h), Vector256<double>.Zero);
            hn = Vector256.ConditionalSelect(fin, hn, h);
            if (l == 0) { bh = hn; bl = ln; continue; }
            // NaN wins and then stays; otherwise strictly better (in index order, the first of equals is kept)
            var better = max ? Vector256.GreaterThan(hn, bh) | (Vector256.Equals(hn, bh) & Vector256.GreaterThan(ln, bl))
                             : Vector256.LessThan(hn, bh) | (Vector256.Equals(hn, bh) & Vector256.LessThan(ln, bl));
            var take = Vector256.Equals(bh, bh) & (~Vector256.Equals(hn, hn) | better);
            bh = Vector256.ConditionalSelect(take, hn, bh);
            bl = Vector256.ConditionalSelect(take, ln, bl);
        }
    }

    /// <summary>Σ|m| of one line (len magnitudes <paramref name="step"/> apart) by TwoSum in index order from zero, then
    /// <see cref="LineSumNorms.Pick"/>: the line-sum kernels' operations on lines shorter than 16.</summary>
    private static void LineSum(double* m, int len, long step, bool max, ref bool first, ref double bh, ref double bl)
    {
        double h = 0, lo = 0;
        for (int e = 0; e < len; e++)
        {
            double v = Math.Abs(m[e * step]);
            double sum = h + v, bb = sum - h;
            lo += (h - (sum - bb)) + (v - bb);
            h = sum;
        }
        if (!double.IsFinite(h)) lo = 0;
        LineSumNorms.Pick(ref first, max, h, lo, ref bh, ref bl);
    }
}
