using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormManaged.Engine;

/// <summary>Matrix ±1 / ±∞ norms (the largest or smallest column or row sum of |a|) of stacks of small float32
/// matrices: one tight loop per matrix instead of <see cref="Matrix.LineSumNorms"/>' per-matrix setup.
///
/// Bits. Each line sum Ŝᵢ is a plain double sum of exact terms |a| (a float widened), so |Ŝᵢ − Sᵢ| ≤ γ_d·Sᵢ with d the
/// line length + 1; then the largest (smallest) Ŝᵢ is within γ_d of the largest (smallest) Sᵢ whichever lines they
/// are. The result is stored only when <see cref="FloatPowFast.TryStore"/> proves that the float nearest to it is
/// the correctly rounded norm — the unique value the line-sum kernels (correctly rounded for real dtypes) give;
/// otherwise (near a midpoint, NaN/∞, zero, a subnormal or overflowing result) the matrix goes alone through
/// <see cref="MatrixNorms.Compute"/>.</summary>
internal static unsafe class SmallLineStacks
{
    /// <summary>Largest matrix side taken.</summary>
    private const long MaxSide = 16;

    /// <summary>kind: 1 / −1 (column sums), 3 / −3 (row sums), as <c>MatrixNorms.Classify</c>.</summary>
    public static bool Applies(in NdView x, int rowAxis, int colAxis, int kind, in NdView output)
        => x.DType == DType.Float32 && output.DType == DType.Float32 && IsStack(x, rowAxis, colAxis, kind, MaxSide);

    /// <summary>An ord ±1 / ±∞ (<paramref name="kind"/>) reduction of at least two matrices with sides in 1 … <paramref name="maxSide"/>
    /// (shared with <see cref="Matrix.ComplexLineStacks"/>).</summary>
    internal static bool IsStack(in NdView x, int rowAxis, int colAxis, int kind, long maxSide)
    {
        if (!(kind is 1 or -1 or 3 or -3 && x.Rank >= 3
              && x.Shape[rowAxis] >= 1 && x.Shape[rowAxis] <= maxSide && x.Shape[colAxis] >= 1 && x.Shape[colAxis] <= maxSide))
            return false;
        long stack = 1;
        for (int i = 0; i < x.Rank; i++)
            if (i != rowAxis && i != colAxis) stack *= x.Shape[i];
        return stack >= 2;
    }

    public static FpEvents Run(in NdView x, int rowAxis, int colAxis, int kind, in NdView output, long[] outStrides)
    {
        ulong mask = (1UL << rowAxis) | (1UL << colAxis);
        var plan = ReductionPlan.Create(x.Shape, x.Strides, mask, outStrides);
        // lines along the summed axis: column sums run down the rows
        bool cols = kind is 1 or -1, max = kind > 0;
        long nr = x.Shape[rowAxis], nc = x.Shape[colAxis], rs = x.Strides[rowAxis], cs = x.Strides[colAxis];
        long lines = cols ? nc : nr, len = cols ? nr : nc, ls = cols ? cs : rs, es = cols ? rs : cs;
        long d1 = len + 2;
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && plan.OuterCount * plan.InnerCount >= BlockDriver.ParallelThreshold)
        {
            nint xb = (nint)x.Data, ob = (nint)output.Data;
            return Parallelism.ForOutputRanges(plan.OuterCount, threads, (lo, n) =>
                Range(plan, (byte*)xb, (byte*)ob, lo, n, lines, len, ls, es, max, d1, nr, nc, rs, cs, kind));
        }
        return Range(plan, x.Data, output.Data, 0, plan.OuterCount, lines, len, ls, es, max, d1, nr, nc, rs, cs, kind);
    }

    private static FpEvents Range(ReductionPlan plan, byte* x, byte* o, long start, long count, long lines, long len, long ls, long es,
        bool max, long d1, long nr, long nc, long rs, long cs, int kind)
    {
        var ev = FpEvents.None;
        var it = new OuterIterator(plan, x, o, start, count);
        // adjacent lines (ls = 4: eight or sixteen lines per masked load) or contiguous lines (es = 4: a line per
        // masked load or two); lanes beyond the matrix are masked off (no access past it) and read as 0
        int layout = !Avx.IsSupported ? 0 : ls == 4 ? 1 : es == 4 ? 2 : 0;
        long wide = layout == 1 ? lines : len;
        var lane = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var m0 = Vector256.LessThan(lane, Vector256.Create((int)wide)).AsSingle();
        var m1 = Vector256.LessThan(lane + Vector256.Create(8), Vector256.Create((int)wide)).AsSingle();
        double* sums = stackalloc double[16];
        while (it.Next(out byte* xp, out byte* dst))
        {
            // xp: element (0, 0) of this matrix (the plan's inner base offset is not applied; strides may be negative)
            double best = max ? 0 : double.PositiveInfinity;
            if (layout == 1) AcrossLines(xp, lines, len, es, m0, m1, sums);
            else if (layout == 2) AlongLines(xp, lines, len, ls, m0, m1, sums);
            else
                for (long i = 0; i < lines; i++)
                {
                    byte* p = xp + i * ls;
                    double s = 0;
                    for (long k = 0; k < len; k++) s += Math.Abs((double)*(float*)(p + k * es));
                    sums[i] = s;
                }
            for (long i = 0; i < lines; i++)
            {
                double s = sums[i];
                // NaN loses every comparison, so flag it (the test below then sends the matrix alone)
                if (double.IsNaN(s)) { best = double.NaN; break; }
                best = max ? Math.Max(best, s) : Math.Min(best, s);
            }
            if (FloatPowFast.TryStore(best, d1, dst)) continue;
            if (ExactLines(xp, lines, len, ls, es, max, out double exact) && float.IsFinite((float)exact))
                *(float*)dst = (float)exact;
            else ev |= Alone(xp, nr, nc, rs, cs, kind, dst);
        }
        return ev;
    }

    /// <summary>Sums of up to 16 adjacent lines, one double lane each, the line's terms added in order (≤ len roundings).</summary>
    private static void AcrossLines(byte* xp, long lines, long len, long es, Vector256<float> m0, Vector256<float> m1, double* sums)
    {
        Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
        for (long k = 0; k < len; k++)
        {
            float* q = (float*)(xp + k * es);
            var (w0, w1) = Vector256.Widen(Vector256.Abs(Avx.MaskLoad(q, m0)));
            s0 += w0; s1 += w1;
            if (lines > 8)
            {
                var (w2, w3) = Vector256.Widen(Vector256.Abs(Avx.MaskLoad(q + 8, m1)));
                s2 += w2; s3 += w3;
            }
        }
        s0.Store(sums); s1.Store(sums + 4); s2.Store(sums + 8); s3.Store(sums + 12);
    }

    /// <summary>Sums of lines of up to 16 contiguous floats: the widened quarters added pairwise, then across the four
    /// lanes — a term goes through at most four additions, and only min(4, len − 1) of them can round, ≤ len + 1.</summary>
    private static void AlongLines(byte* xp, long lines, long len, long ls, Vector256<float> m0, Vector256<float> m1, double* sums)
    {
        for (long i = 0; i < lines; i++)
        {
            float* q = (float*)(xp + i * ls);
            var (w0, w1) = Vector256.Widen(Vector256.Abs(Avx.MaskLoad(q, m0)));
            var acc = w0 + w1;
            if (len > 8)
            {
                var (w2, w3) = Vector256.Widen(Vector256.Abs(Avx.MaskLoad(q + 8, m1)));
                acc += w2 + w3;
            }
            sums[i] = Vector256.Sum(acc);
        }
    }

    /// <summary>The same line sums with every addition checked by TwoSum: true when none rounded, i.e. the sums and
    /// hence their max (min) <paramref name="best"/> are exact, so (float)best (round to nearest even) is the correctly
    /// rounded norm. Short sums of similar floats are often exact and then often land on a float midpoint, where the
    /// rounding test above must fail; this settles them without the per-matrix kernel.</summary>
    private static bool ExactLines(byte* xp, long lines, long len, long ls, long es, bool max, out double best)
    {
        best = max ? 0 : double.PositiveInfinity;
        for (long i = 0; i < lines; i++)
        {
            byte* p = xp + i * ls;
            double s = 0;
            for (long k = 0; k < len; k++)
            {
                double t = Math.Abs((double)*(float*)(p + k * es));
                double n = s + t, bb = n - s;
                if ((s - (n - bb)) + (t - bb) != 0 || !double.IsFinite(n)) return false;
                s = n;
            }
            best = max ? Math.Max(best, s) : Math.Min(best, s);
        }
        return true;
    }

    private static FpEvents Alone(byte* m, long nr, long nc, long rs, long cs, int kind, byte* dst)
    {
        double p = kind switch { 1 => 1, -1 => -1, 3 => double.PositiveInfinity, _ => double.NegativeInfinity };
        return MatrixNorms.Compute(new NdView(m, DType.Float32, new[] { nr, nc }, new[] { rs, cs }), 0, 1, Ord.Of(p),
            new NdView(dst, DType.Float32, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
    }
}
