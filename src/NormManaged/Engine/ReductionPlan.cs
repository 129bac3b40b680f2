namespace NormManaged.Engine;

/// <summary>How one reduction walks memory: the kept ("outer") axes, over which results are
/// produced, and the reduced ("inner") axes, whose elements are combined into one result.
/// Both sets are canonicalised: size-1 axes dropped, adjacent kept axes that continue one stride progression on
/// both the input and the output side merged, reduced axes sorted by |stride| (smallest
/// innermost, ties keep axis order) with negative strides flipped, and adjacent reduced axes that
/// form one arithmetic progression coalesced. The order of the reduced walk therefore depends only
/// on the layout, never on thread count or alignment. Built with a handful of small arrays and no
/// LINQ, so a small call stays cheap.</summary>
internal sealed class ReductionPlan
{
    /// <summary>Extents of the kept axes, in the input's axis order.</summary>
    public readonly long[] OuterShape;
    /// <summary>Input byte strides of the kept axes.</summary>
    public readonly long[] OuterInStrides;
    /// <summary>Output byte strides of the kept axes.</summary>
    public readonly long[] OuterOutStrides;
    /// <summary>Extents of the reduced axes, innermost first, after coalescing.</summary>
    public readonly long[] InnerShape;
    /// <summary>Byte strides of the reduced axes, innermost first, all ≥ 0.</summary>
    public readonly long[] InnerStrides;
    /// <summary>Byte offset to add to an outer position's address so that the inner walk, whose
    /// strides were made non-negative, starts at its lowest address.</summary>
    public readonly long InnerBaseOffset;
    /// <summary>Number of results.</summary>
    public readonly long OuterCount;
    /// <summary>Number of elements reduced into each result.</summary>
    public readonly long InnerCount;

    private static readonly long[] s_empty = Array.Empty<long>();

    private ReductionPlan(long[] os, long[] ois, long[] oos, long[] ish, long[] ist, long baseOff)
    {
        OuterShape = os; OuterInStrides = ois; OuterOutStrides = oos;
        InnerShape = ish; InnerStrides = ist; InnerBaseOffset = baseOff;
        long oc = 1; foreach (long n in os) oc *= n;
        long ic = 1; foreach (long n in ish) ic *= n;
        OuterCount = oc; InnerCount = ic;
    }

    /// <summary>A plan with no kept axes reducing <paramref name="n"/> elements <paramref name="stride"/> bytes apart
    /// (stride ≥ 0), starting at the given address: one chunk of a larger single-axis reduction.</summary>
    public static ReductionPlan Run(long n, long stride)
        => new(s_empty, s_empty, s_empty, new[] { n }, new[] { stride }, 0);

    /// <summary>A plan of <paramref name="outs"/> outputs (<paramref name="inStride"/> bytes apart in the input,
    /// <paramref name="outStride"/> in the output), each reducing <paramref name="n"/> elements
    /// <paramref name="stride"/> bytes apart (≥ 0): the lines of a compacted band (<see cref="ColumnBands"/>).</summary>
    public static ReductionPlan Lines(long outs, long inStride, long outStride, long n, long stride)
        => new(new[] { outs }, new[] { inStride }, new[] { outStride }, new[] { n }, new[] { stride }, 0);

    /// <summary>Builds the plan for reducing the axes in <paramref name="reduceMask"/> (bit i = axis i)
    /// of an array with <paramref name="shape"/> and <paramref name="strides"/>; <paramref name="outStrides"/> are the output's byte strides for the kept
    /// axes in order. Callers have validated both descriptors.</summary>
    public static ReductionPlan Create(ReadOnlySpan<long> shape, ReadOnlySpan<long> strides, ulong reduceMask, ReadOnlySpan<long> outStrides)
    {
        int rank = shape.Length;
        int nOuter = 0, nInner = 0;
        bool emptyInner = false;
        for (int i = 0; i < rank; i++)
        {
            bool red = ((reduceMask >> i) & 1) != 0;
            if (!red) { if (shape[i] != 1) nOuter++; }
            else { if (shape[i] == 0) emptyInner = true; if (shape[i] > 1) nInner++; }
        }
        long[] os = nOuter == 0 ? s_empty : new long[nOuter], ois = nOuter == 0 ? s_empty : new long[nOuter], oos = nOuter == 0 ? s_empty : new long[nOuter];
        Span<long> inN = stackalloc long[Math.Max(1, nInner)];
        Span<long> inS = stackalloc long[Math.Max(1, nInner)];
        long baseOff = 0;
        int k = 0, o = 0, m = 0;
        for (int i = 0; i < rank; i++)
        {
            long n = shape[i], s = strides[i];
            if (((reduceMask >> i) & 1) == 0)
            {
                long ostr = outStrides[k++];
                if (n != 1) { os[o] = n; ois[o] = s; oos[o] = ostr; o++; }
                continue;
            }
            if (n <= 1) continue;
            if (s < 0) { baseOff += (n - 1) * s; s = -s; }
            // insertion sort by stride (stable: equal strides keep axis order)
            int j = m++;
            while (j > 0 && inS[j - 1] > s) { inS[j] = inS[j - 1]; inN[j] = inN[j - 1]; j--; }
            inS[j] = s; inN[j] = n;
        }
        CoalesceOuter(ref os, ref ois, ref oos);
        if (emptyInner) return new ReductionPlan(os, ois, oos, new long[] { 0 }, new long[] { 0 }, 0);
        if (m == 0) return new ReductionPlan(os, ois, oos, new long[] { 1 }, new long[] { 0 }, baseOff);
        // coalesce: an axis continues the progression of the previous one
        int c = 0;
        for (int j = 1; j < m; j++)
        {
            if (inS[c] * inN[c] == inS[j]) inN[c] *= inN[j];
            else { c++; inN[c] = inN[j]; inS[c] = inS[j]; }
        }
        c++;
        return new ReductionPlan(os, ois, oos, inN[..c].ToArray(), inS[..c].ToArray(), baseOff);
    }

    /// <summary>Splits the kept axes into kept axis <paramref name="axis"/> (<paramref name="slab"/>: this plan
    /// restricted to that axis, same reduced axes and base offset, its input stride made non-negative) and the others
    /// (<paramref name="leading"/>: a plan over them with no reduced axes, for walking slab origins with
    /// <see cref="OuterIterator"/>). When the axis runs backwards in the input its walk is flipped: a slab's first
    /// output is then the axis' last one, <paramref name="inShift"/> / <paramref name="outShift"/> bytes from the
    /// origin the leading walk gives, and its output stride is negated with the input's. Requires at least two kept axes.</summary>
    public void SplitOuter(int axis, out ReductionPlan leading, out ReductionPlan slab, out long inShift, out long outShift)
    {
        int d = OuterShape.Length;
        var ls = new long[d - 1];
        var lis = new long[d - 1];
        var los = new long[d - 1];
        for (int i = 0, j = 0; i < d; i++)
        {
            if (i == axis) continue;
            ls[j] = OuterShape[i]; lis[j] = OuterInStrides[i]; los[j] = OuterOutStrides[i]; j++;
        }
        leading = new ReductionPlan(ls, lis, los, new long[] { 1 }, new long[] { 0 }, 0);
        long n = OuterShape[axis], si = OuterInStrides[axis], so = OuterOutStrides[axis];
        inShift = outShift = 0;
        if (si < 0)
        {
            inShift = (n - 1) * si; outShift = (n - 1) * so;
            si = -si; so = -so;
        }
        slab = new ReductionPlan(new[] { n }, new[] { si }, new[] { so }, InnerShape, InnerStrides, InnerBaseOffset);
    }

    /// <summary>This plan with its kept axes reordered by decreasing |input stride| (stable), so a C-order walk of the
    /// outputs (<see cref="OuterIterator"/>) steps along the smallest input stride innermost; the reduced axes and
    /// every (input, output) pair are unchanged. This plan itself when already in that order.</summary>
    public ReductionPlan OuterByStride()
    {
        int d = OuterShape.Length;
        Span<int> ord = stackalloc int[d];
        bool sorted = true;
        for (int i = 0; i < d; i++)
        {
            int j = i;
            long s = Math.Abs(OuterInStrides[i]);
            while (j > 0 && Math.Abs(OuterInStrides[ord[j - 1]]) < s) { ord[j] = ord[j - 1]; j--; }
            ord[j] = i;
            sorted &= j == i;
        }
        if (sorted) return this;
        long[] os = new long[d], ois = new long[d], oos = new long[d];
        for (int i = 0; i < d; i++) { os[i] = OuterShape[ord[i]]; ois[i] = OuterInStrides[ord[i]]; oos[i] = OuterOutStrides[ord[i]]; }
        return new ReductionPlan(os, ois, oos, InnerShape, InnerStrides, InnerBaseOffset);
    }

    /// <summary>Merges adjacent kept axes whose input and output strides both continue one progression (a kept
    /// axis i followed by i + 1 with stride[i] = stride[i + 1]·n[i + 1] on both sides), so e.g. the (60, 70)
    /// outputs of a C-order (50, 60, 70) array reduced over axis 0 are one run of 4200: the kernels that vectorise
    /// across a contiguous run of outputs then see all of them. The walk visits the same (input, output) pairs in
    /// the same order, and each output's own reduction is untouched, so results are unchanged.</summary>
    private static void CoalesceOuter(ref long[] os, ref long[] ois, ref long[] oos)
    {
        int d = os.Length;
        if (d < 2) return;
        int c = 0;
        for (int j = 1; j < d; j++)
        {
            if (ois[c] == ois[j] * os[j] && oos[c] == oos[j] * os[j])
            {
                os[c] *= os[j];
                ois[c] = ois[j];
                oos[c] = oos[j];
            }
            else
            {
                c++;
                os[c] = os[j]; ois[c] = ois[j]; oos[c] = oos[j];
            }
        }
        c++;
        if (c == d) return;
        os = os[..c]; ois = ois[..c]; oos = oos[..c];
    }
}
