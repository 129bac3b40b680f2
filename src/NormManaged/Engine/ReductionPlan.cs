namespace NormManaged.Engine;

/// <summary>How one reduction walks memory: the kept ("outer") axes, over which results are
/// produced, and the reduced ("inner") axes, whose elements are combined into one result.
/// Both sets are canonicalised: size-1 axes dropped, reduced axes sorted by |stride| (smallest
/// innermost) with negative strides flipped, and adjacent reduced axes that form one arithmetic
/// progression coalesced. The order of the reduced walk therefore depends only on the layout,
/// never on thread count or alignment.</summary>
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

    private ReductionPlan(long[] os, long[] ois, long[] oos, long[] ish, long[] ist, long baseOff)
    {
        OuterShape = os; OuterInStrides = ois; OuterOutStrides = oos;
        InnerShape = ish; InnerStrides = ist; InnerBaseOffset = baseOff;
        long oc = 1; foreach (long n in os) oc *= n;
        long ic = 1; foreach (long n in ish) ic *= n;
        OuterCount = oc; InnerCount = ic;
    }

    /// <summary>Builds the plan for reducing the axes in <paramref name="reduceMask"/> (bit i = axis i)
    /// of an array with <paramref name="shape"/> and <paramref name="strides"/>; <paramref name="outStrides"/> are the output's byte strides for the kept
    /// axes in order. Callers have validated both descriptors.</summary>
    public static ReductionPlan Create(ReadOnlySpan<long> shape, ReadOnlySpan<long> strides, ulong reduceMask, ReadOnlySpan<long> outStrides)
    {
        int rank = shape.Length;
        var os = new List<long>(rank); var ois = new List<long>(rank); var oos = new List<long>(rank);
        var inner = new List<(long n, long s)>(rank);
        long baseOff = 0;
        bool emptyInner = false;
        int k = 0;
        for (int i = 0; i < rank; i++)
        {
            long n = shape[i], s = strides[i];
            if (((reduceMask >> i) & 1) == 0)
            {
                long ostr = outStrides[k++];
                if (n != 1) { os.Add(n); ois.Add(s); oos.Add(ostr); }
                continue;
            }
            if (n == 0) emptyInner = true;
            if (n <= 1) continue;
            if (s < 0) { baseOff += (n - 1) * s; s = -s; }
            inner.Add((n, s));
        }
        if (emptyInner) { inner.Clear(); inner.Add((0, 0)); baseOff = 0; }
        return Build(os, ois, oos, inner, baseOff);
    }

    private static ReductionPlan Build(List<long> os, List<long> ois, List<long> oos, List<(long n, long s)> inner, long baseOff)
    {
        // Innermost = smallest stride; stable so equal strides keep axis order (deterministic).
        var sorted = inner.Select((d, idx) => (d.n, d.s, idx)).OrderBy(d => d.s).ThenBy(d => d.idx).ToList();
        var ish = new List<long>(); var ist = new List<long>();
        foreach (var d in sorted)
        {
            int last = ish.Count - 1;
            if (last >= 0 && ist[last] * ish[last] == d.s)
            {
                ish[last] *= d.n; // coalesce: this axis continues the progression of the previous one
                continue;
            }
            ish.Add(d.n); ist.Add(d.s);
        }
        if (ish.Count == 0) { ish.Add(1); ist.Add(0); } // a single element: one run of length 1
        return new ReductionPlan(os.ToArray(), ois.ToArray(), oos.ToArray(), ish.ToArray(), ist.ToArray(), baseOff);
    }
}
