namespace NormManaged.Engine;

/// <summary>float32 / complex64 norms into float32 over one axis of many lines too long for the short-line kernels
/// (<see cref="ComplexShortRows"/>, <see cref="Complex64Columns"/>, ≤ 64 values) and not taken by a column kernel
/// (strided columns, whose outputs are not adjacent; complex64 columns and rows of any layout at orders those kernels
/// lack): each line goes through the 1-D fast path its vector would take — the proven-rounding sums of
/// <see cref="FloatFastPath"/>, <see cref="FloatPowFast"/>, <see cref="Complex64Fast"/>, <see cref="NarrowPowFast"/>
/// or the exact scan of <see cref="FloatMinMax"/>, reading it in place at any stride (<see cref="FloatRuns"/>) — and
/// a line they decline goes alone through the 1-D path (<see cref="AcrossOutputsWide.Alone(byte*, DType, long, long, byte*, DType, double)"/>). Accepted results are the
/// unique correctly rounded values (or exact extrema), so every output has the bits of its line reduced alone. Before,
/// these lines went one by one through the exact block paths: complex64 (600, 800) columns ord −1 / ½ 0.24–0.38×
/// NumPy, rows 0.48–0.58×; float32 [:, ::2] columns ord 1 / −1 / 1.7 / ±∞ 0.45–0.6×.</summary>
internal static unsafe class NarrowLines
{
    /// <summary>Shortest line taken (the short-line kernels take up to 64).</summary>
    internal const long MinLine = 65;

    /// <summary>Longest line taken: below every split threshold of the 1-D fast paths (NarrowPowFast's 2¹⁴ is the
    /// lowest), so a line never spreads over threads inside a worker; longer lines take the block paths' own splits.</summary>
    internal const long MaxLine = (1L << 14) - 1;

    public static bool Applies(ReductionPlan plan, DType t, DType ot, double p)
    {
        if (t is not (DType.Float32 or DType.Complex64) || ot != DType.Float32 || plan.InnerShape.Length != 1
            || plan.OuterCount < 2 || plan.InnerCount < MinLine || plan.InnerCount > MaxLine) return false;
        bool complex = t == DType.Complex64;
        long s = plan.InnerStrides[0], item = complex ? 8 : 4;
        if (s != item && !FloatRuns.TakesStride(s)) return false;
        // general p: only strided float32 lines (A/B: complex64 rows and contiguous float32 rows of 800 ran 30–40 %
        // slower through NarrowPowFast's per-line keys pass and table than through the paths they take)
        if (complex) return Complex64Fast.TakesOrder(p);
        // contiguous float32 rows: FloatSquares (2) and FloatMinMax (±∞) take them line by line already
        if (p == 2 || double.IsInfinity(p)) return s != item;
        return p is 1 or -1 or -2 or 0.5 or -1.5 or -2.5 || (s != item && GeneralPowFast.Applies(t, p));
    }

    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, double p, byte* o)
    {
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && plan.OuterCount * plan.InnerCount >= Parallelism.CostlyElements)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(plan.OuterCount, threads, (first, count) => Range(plan, (byte*)xb, t, p, (byte*)ob, first, count));
        }
        return Range(plan, x, t, p, o, 0, plan.OuterCount);
    }

    private static FpEvents Range(ReductionPlan plan, byte* x, DType t, double p, byte* o, long first, long count)
    {
        long n = plan.InnerCount, s = plan.InnerStrides[0];
        bool complex = t == DType.Complex64;
        var ev = FpEvents.None;
        var it = new OuterIterator(plan, x, o, first, count);
        while (it.Next(out byte* xp, out byte* dst))
        {
            byte* v = xp + plan.InnerBaseOffset;
            if (!complex && double.IsInfinity(p)) { ev |= FloatMinMax.Line(v, n, s, 4, p < 0, dst, DType.Float32); continue; }
            if (!TryLine(v, n, s, complex, p, dst)) ev |= AcrossOutputsWide.Alone(v, t, n, s, dst, DType.Float32, p);
        }
        return ev;
    }

    /// <summary>The 1-D fast path of the line's vector; true when it stored the result.</summary>
    private static bool TryLine(byte* v, long n, long s, bool complex, double p, byte* dst)
    {
        if (p == 2)
            return s == (complex ? 8 : 4) ? FloatFastPath.TryRun((float*)v, complex ? 2 * n : n, dst, 1)
                                          : FloatFastPath.TryRunStrided(v, n, s, complex, dst, 1);
        if (complex) return Complex64Fast.TryLine(v, n, s, p, dst);
        return p is 1 or -1 or -2 or 0.5 or -1.5 or -2.5 ? FloatPowFast.TryLine(v, n, s, p, dst) : NarrowPowFast.TryLine(v, n, s, false, p, dst);
    }
}
