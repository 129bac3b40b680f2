using NormManaged.Engine;
using NormManaged.Kernels;

namespace NormManaged.Matrix;

internal static unsafe partial class LineSumNorms
{
    /// <summary>Stores the best line sum (hi, lo) of a real matrix at <paramref name="x"/>, correctly rounded without
    /// exception. Every line's double-double sum is within ~2⁻¹⁰⁰ of its exact sum Sₗ, so (hi, lo) is within that of
    /// the exact best S* = max/min Sₗ: unless (hi, lo) lies within <see cref="RealPowOp.TieMargin"/> of a rounding
    /// midpoint m of <paramref name="ot"/>, its rounding is S*'s. Near m, S* rounds to m's lower or upper neighbour (or
    /// to the even one) by sign(S* − m) alone, which is max/min over the lines of sign(Sₗ − m): a line whose plain
    /// float64 sum (<paramref name="plain"/>, the screen's, when given) is farther from m than its error bound gives its
    /// sign at once, the others (usually the one best line) are summed exactly (<see cref="PowerTie.ExactSum"/>, a few
    /// error-free additions per element). That also makes the choice of the best line exact when two lines' sums are
    /// within the double-double bound of each other. Complex lines (magnitudes rounded once first) are stored as before.
    ///
    /// Not used by the short float64 lines (≤ <see cref="SmallLen"/> elements: <see cref="SmallFloat64"/>,
    /// <see cref="SmallLanes"/>, <see cref="AcrossMatrices"/>): a sum of a few doubles of similar size is exactly a
    /// midpoint about half the time (45 % of random 4×4 matrices), and neither a check at that point (a pass over the
    /// matrix, ~20–40 ns) nor an exactness flag or magnitude range kept in those kernels (+1–2 operations per element)
    /// measured free on stacks of tiny matrices (2000×4×4: +6–50 %; side by side: +20–90 %).</summary>
    private static FpEvents StoreBest(DType ot, byte* dst, double hi, double lo, byte* x, DType t, long lines, long len,
        long lineStride, long elemStride, bool wantMax, double[]? plain)
    {
        // cheapest tests first: (hi, lo) is normalised (Pick), so Near needs no Ext
        if (DTypes.IsComplex(t) || (ot == DType.Float64 && !Midpoint.MaybeNear64(hi, lo, RealPowOp.TieMargin))
            || !Midpoint.Near(hi, lo, 0, ot, RealPowOp.TieMargin, out Midpoint m))
            return ResultWriter.Store(ot, dst, hi, lo, 0);
        return ResultWriter.Store(ot, dst, m.Neighbour(BestSide(m, hi, x, t, lines, len, lineStride, elemStride, wantMax, plain)), 0, m.Exp + 1);
    }

    /// <summary>sign(S* − m): the max (or min) over the lines of sign(Sₗ − m), stopping at the first line that settles it.
    /// <paramref name="near"/> is the best double-double's high word, within 2⁻⁶⁷ of m.</summary>
    private static int BestSide(in Midpoint m, double near, byte* x, DType t, long lines, long len, long lineStride, long elemStride,
        bool wantMax, double[]? plain)
    {
        const int Piece = 64;
        double* buf = stackalloc double[Piece];
        // a plain float64 sum of non-negative terms, any order: |s − Sₗ| ≤ len·2⁻⁵³·Sₗ; near adds 2⁻⁶⁷·m
        double rel = (len + 4) * (1.0 / (1L << 52));
        int side = wantMax ? -1 : 1;
        for (long l = 0; l < lines; l++)
        {
            byte* p = x + l * lineStride;
            double s = 0;
            if (plain != null) s = plain[l];
            else if (t == DType.Float64)
                for (long i = 0; i < len; i++) s += Math.Abs(*(double*)(p + i * elemStride));
            else
                for (long i = 0; i < len; i += Piece)
                {
                    int k = (int)Math.Min(Piece, len - i);
                    Gather.Run(t, p + i * elemStride, elemStride, k, buf);
                    for (int j = 0; j < k; j++) s += Math.Abs(buf[j]);
                }
            double bound = rel * (s + near);
            int ls = double.IsPositiveInfinity(s) ? 1 : s + bound < near ? -1 : s - bound > near ? 1 : ExactSide(m, p, t, len, elemStride, buf, Piece);
            side = wantMax ? Math.Max(side, ls) : Math.Min(side, ls);
            if (side == (wantMax ? 1 : -1)) break;
        }
        return side;
    }

    /// <summary>sign(Σ|aᵢ| − m) over one line, exactly (big integers when the expansion does not fit).</summary>
    private static int ExactSide(in Midpoint m, byte* p, DType t, long len, long es, double* buf, int piece)
    {
        var sum = new PowerTie.ExactSum(stackalloc double[PowerTie.ExpansionCapacity], m);
        if (t == DType.Float64)
            for (long i = 0; i < len; i++) sum.Add(*(double*)(p + i * es));
        else
            for (long i = 0; i < len; i += piece)
            {
                int k = (int)Math.Min(piece, len - i);
                Gather.Run(t, p + i * es, es, k, buf);
                for (int j = 0; j < k; j++) sum.Add(buf[j]);
            }
        return sum.Sign ?? new PowerTie(1, m).Compare(LineWalk((nint)p, t, len, es));
    }

    private static PowerTie.Walk LineWalk(nint p, DType t, long len, long es) => f =>
    {
        double v;
        for (long i = 0; i < len; i++)
        {
            Gather.Run(t, (byte*)p + i * es, es, 1, &v);
            f(v);
        }
    };
}
