using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Engine;
using NormManaged.Kernels;

namespace NormManaged.Matrix;

/// <summary>Matrix norms of order ±1 (max/min over columns of the column abs-sums) and ±∞
/// (max/min over rows of the row abs-sums).
///
/// Every abs-sum is a double-double (TwoSum per element, 4 lanes × 2 fixed whatever the
/// hardware), so it is exact to ~2⁻¹⁰⁰ relative and the stored result is correctly rounded to
/// the result dtype except in such near-tie cases. Memory is walked in its own order: when the
/// summed axis has the smaller stride each line is streamed; otherwise the other axis is
/// streamed and a vector of per-line double-double sums (O(n) per thread) is accumulated.
/// Complex magnitudes are correctly rounded to float64 but for near-ties (<see cref="LineMagnitudes"/>).</summary>
internal static unsafe partial class LineSumNorms
{
    private const int Chunk = 512;

    /// <summary>Runs the reduction for every matrix of <paramref name="b"/>.</summary>
    /// <param name="b">The batch.</param>
    /// <param name="columnSums">True for ord ±1 (sum down each column), false for ±∞.</param>
    /// <param name="wantMax">True for +1/+∞, false for −1/−∞.</param>
    public static FpEvents Run(MatrixBatch b, bool columnSums, bool wantMax)
    {
        // lines = the sums compared; k = the length of each sum
        long lines = columnSums ? b.N : b.M, len = columnSums ? b.M : b.N;
        long lineStride = columnSums ? b.Cs : b.Rs, elemStride = columnSums ? b.Rs : b.Cs;
        if (b.Count == 0) return FpEvents.None;
        if (lines == 0 && !wantMax)
            throw new NormException(NormError.EmptyReduction,
                "zero-size array to reduction operation minimum which has no identity");
        if (lines > int.MaxValue / 4 || len > long.MaxValue / 2)
            throw new NormException(NormError.InvalidArgument, "matrix too large");
        if (b.T is DType.LongDouble or DType.CLongDouble)
            return ExtendedLineSums.Run(b, lines, len, lineStride, elemStride, wantMax);
        if (AcrossApplies(b, lines, len, lineStride, elemStride))
            return AcrossMatrices(b, lines, len, lineStride, elemStride, wantMax, columnSums);
        if (IntAcrossApplies(b, lines, len)) // small integers, matrices side by side: exact integer sums in lanes
            return IntAcross(b, lines, len, lineStride, elemStride, wantMax);
        // one integer matrix, stacks of integer or float32 ones: the vector kernels' correctly rounded line sums, the best
        if (VectorLinesApply(b, lines, len, lineStride) && VectorLines(b, lines, len, lineStride, elemStride, wantMax, false, out _))
            return FpEvents.None;
        if (ScreenAcrossApplies(b, lines, len, lineStride, elemStride)) // long streamed lines, matrices side by side
            return ScreenAcross(b, lines, len, lineStride, elemStride, wantMax);
        // other interleaved stacks: the vector line sums screen the lines, the candidates summed exactly
        if (StackScreenApplies(b, lines, len, lineStride, elemStride) && VectorLines(b, lines, len, lineStride, elemStride, wantMax, true, out var screened))
            return screened;
        if (BandsApply(b, lines, len, lineStride, elemStride, out bool bandColumns)) // one strided matrix: compacted bands of lines
            return Bands(b, lines, len, lineStride, elemStride, wantMax, bandColumns);
        bool streamLines = Math.Abs(elemStride) <= Math.Abs(lineStride) || lines == 1;
        int evBits = 0;
        int threads = Parallelism.MaxThreads;
        bool screen = Screens(b.T, lines, len);
        if (threads > 1 && b.Count < threads && lines >= 64 && (double)lines * len >= 1 << 18)
        {
            // few large matrices: split each matrix's lines over threads. Every line sum is
            // computed exactly as in one piece, and max/min of the parts is order-independent.
            int parts = (int)Math.Min(threads, lines / 32);
            b.ForRange(0, b.Count, (_, xp, op) =>
            {
                if (screen)
                {
                    // plain sums over fixed line ranges in parallel, then the few candidates exactly
                    var ps = new double[lines];
                    bool single = ComplexLineScreen.Single(b.T, len);
                    Parallelism.For(parts, threads, part =>
                    {
                        long l0 = lines * part / parts, l1 = lines * (part + 1) / parts;
                        fixed (double* pp = ps) PlainSums((byte*)xp, b.T, l0, l1, len, lineStride, elemStride, streamLines, single, pp);
                    });
                    if (ScreenedBest((byte*)xp, b.T, lines, len, lineStride, elemStride, wantMax, streamLines, single, ps, out double sh, out double sl) > 0)
                    {
                        evBits |= (int)StoreBest(b.OT, (byte*)op, sh, sl, (byte*)xp, b.T, lines, len, lineStride, elemStride, wantMax, b.T == DType.Float64 ? ps : null);
                        return;
                    }
                }
                var ph = new double[parts]; var pl = new double[parts]; var pn = new bool[parts];
                Parallelism.For(parts, threads, part =>
                {
                    long l0 = lines * part / parts, l1 = lines * (part + 1) / parts;
                    pn[part] = Part((byte*)xp + l0 * lineStride, b.T, l1 - l0, len, lineStride, elemStride, wantMax, streamLines, out ph[part], out pl[part]);
                });
                double hi = 0, lo = 0;
                bool first = true;
                for (int i = 0; i < parts; i++) if (pn[i]) Pick(ref first, wantMax, ph[i], pl[i], ref hi, ref lo);
                evBits |= (int)StoreBest(b.OT, (byte*)op, hi, lo, (byte*)xp, b.T, lines, len, lineStride, elemStride, wantMax, null);
            });
            return (FpEvents)evBits;
        }
        b.Run((double)lines * len, (start, end) =>
        {
            DType t = b.T;
            // the full pass's scratch only when a matrix needs it (a screened matrix does not)
            double[]? buf = null, accHi = null, accLo = null;
            double[] ps = screen ? new double[lines] : Array.Empty<double>();
            int ev = 0;
            b.ForRange(start, end, (_, xp, op) =>
            {
                double hi, lo;
                double[]? plain = null; // float64 plain sums of every line, when the screen computed them
                if (lines == 0) { hi = 0; lo = 0; }
                else if (screen && ScreenedPlain((byte*)xp, t, lines, len, lineStride, elemStride, wantMax, streamLines, ps, out hi, out lo))
                    plain = t == DType.Float64 ? ps : null;
                else if (t == DType.Float64 && len <= SmallLen)
                {
                    // the short-line kernels keep their plain store (LineSumNorms.Ties.cs says why)
                    SmallFloat64((byte*)xp, lines, len, lineStride, elemStride, wantMax, out hi, out lo);
                    ev |= (int)ResultWriter.Store(b.OT, (byte*)op, hi, lo, 0);
                    return;
                }
                else if (streamLines) Streamed((byte*)xp, b.T, lines, len, lineStride, elemStride, wantMax, buf ??= new double[Cap(lines, len) * 2 * Group], out hi, out lo);
                else Crossed((byte*)xp, b.T, lines, len, lineStride, elemStride, wantMax, buf ??= new double[Cap(lines, len) * 2 * Group],
                    accHi ??= new double[lines], accLo ??= new double[lines], out hi, out lo);
                ev |= (int)StoreBest(b.OT, (byte*)op, hi, lo, (byte*)xp, t, lines, len, lineStride, elemStride, wantMax, plain);
            });
            Interlocked.Or(ref evBits, ev);
        });
        return (FpEvents)evBits;
    }

    /// <summary>float64 and float32 lines longer than <see cref="SmallLen"/> are screened by plain float64 sums first
    /// (see <see cref="ScreenedBest"/>; float32 elements widen exactly, so the same bound holds); the bound used
    /// there needs len·2⁻⁵³ small. Complex lines from <see cref="ComplexScreenLen"/> elements are screened by
    /// approximate magnitudes (<see cref="ComplexLineScreen"/>).</summary>
    private static bool Screens(DType t, long lines, long len)
        => lines >= 2 && (t is DType.Float64 or DType.Float32 ? len > SmallLen && len < 1L << 40
            : t is DType.Complex64 or DType.Complex128 && len >= ComplexScreenLen && len < 1L << 30);

    /// <summary>Complex lines at least this long are screened (<see cref="ComplexLineScreen"/>): an approximate
    /// magnitude costs a fraction of the correctly rounded one, so the screen pays off even on short lines.</summary>
    private const int ComplexScreenLen = 8;

    /// <summary><see cref="PlainSums"/> over all lines, then <see cref="ScreenedBest"/>; complex64's float32 screen
    /// is redone in float64 when its range does not suffice (|z| beyond 2⁶⁴, or sums so small that its absolute
    /// error term decides).</summary>
    private static bool ScreenedPlain(byte* x, DType t, long lines, long len, long lineStride, long elemStride, bool wantMax,
        bool streamLines, double[] ps, out double hi, out double lo)
    {
        if (AllZero(x, t, lines, len, lineStride, elemStride))
        {
            // every line's exact sum is (+0, +0) (TiedBest's remarks), and so is Pick's best over them
            hi = lo = 0;
            return true;
        }
        bool single = ComplexLineScreen.Single(t, len);
        fixed (double* pp = ps) PlainSums(x, t, 0, lines, len, lineStride, elemStride, streamLines, single, pp);
        int r = ScreenedBest(x, t, lines, len, lineStride, elemStride, wantMax, streamLines, single, ps, out hi, out lo);
        if (r < 0 && single)
        {
            fixed (double* pp = ps) PlainSums(x, t, 0, lines, len, lineStride, elemStride, streamLines, false, pp);
            r = ScreenedBest(x, t, lines, len, lineStride, elemStride, wantMax, streamLines, false, ps, out hi, out lo);
        }
        if (r == -2)
        {
            // tiny or zero complex sums: no screen, but lines of zeros or one element still need no exact sum
            double* buf = stackalloc double[2 * Cap(1, len)];
            r = TiedBest(x, t, lines, len, lineStride, elemStride, wantMax, streamLines, ps, double.NaN, buf, out hi, out lo) ? 1 : 0;
        }
        return r > 0;
    }

    /// <summary>The best exact line sum from plain float64 sums <paramref name="ps"/> of every line: a plain sum p of
    /// len non-negative terms (any order) is within γ = (len−1)·u/(1−(len−1)·u) of the exact sum S relatively
    /// (u = 2⁻⁵³), so a line with p &lt; M·f, M the largest p and f = 1 − 4(len+2)·u ≤ (1−γ)/(1+γ), has
    /// S ≤ p/(1−γ) &lt; M/(1+γ) ≤ S of M's line: it cannot be the maximum (likewise p &gt; m/f for the minimum).
    /// Only the remaining candidates (usually one or two) are summed exactly, each by the same
    /// <see cref="Streamed"/>/<see cref="Crossed"/> code and picked in index order as the full pass does, so the
    /// stored bits are the full pass's. False (nothing decided) when some plain sum is not finite or too many
    /// lines are candidates; the caller then runs the full exact pass. Complex sums use the wider bound of
    /// <see cref="ComplexLineScreen.Bound"/> (approximate magnitudes) in place of γ.</summary>
    /// <returns>1 when decided; 0 when too many lines need an exact sum (<see cref="TiedBest"/>); −1 when a plain sum
    /// is not finite, −2 when the bound's absolute part is not small next to the sums (a wider screen may still decide).</returns>
    private static int ScreenedBest(byte* x, DType t, long lines, long len, long lineStride, long elemStride, bool wantMax,
        bool streamLines, bool single, double[] ps, out double bh, out double bl)
        // complex: approximate magnitudes (ComplexLineScreen's bound, with an absolute part for tiny values)
        // float32 with single: float32 sums of exact |x|, relative error ≤ (len − 1)·2⁻²⁴ (no underflow: sums of
        // floats are exact in the subnormal range), doubled for margin
        => ScreenedWithin(x, t, lines, len, lineStride, elemStride, wantMax, streamLines, ps,
            DTypes.IsComplex(t) ? ComplexLineScreen.Bound(len, single)
            : single ? (1 - 2 * (len + 8) * Math.ScaleB(1.0, -23) - Math.ScaleB(1.0, -50), 0.0)
            : (1 - 4.0 * (len + 2) * Math.ScaleB(1.0, -53), 0.0), out bh, out bl);

    /// <summary><see cref="ScreenedBest"/> with the screen's bound given: a line whose approximate sum p has p + slack &lt; (M − slack)·f (M the largest
    /// p) cannot be the maximum, likewise for the minimum.</summary>
    private static int ScreenedWithin(byte* x, DType t, long lines, long len, long lineStride, long elemStride, bool wantMax,
        bool streamLines, double[] ps, (double F, double Slack) bound, out double bh, out double bl)
    {
        bh = bl = 0;
        int r = ScreenCut(ps, lines, wantMax, bound, out double cut, out long count);
        return r <= 0 ? r : ScreenedCandidates(x, t, lines, len, lineStride, elemStride, wantMax, streamLines, ps, cut, count, out bh, out bl);
    }

    /// <summary>The screen of <see cref="ScreenedWithin"/>: the cut a candidate's approximate sum must reach and how
    /// many lines reach it (1); −1 for a non-finite approximate sum, −2 when the slack decides (nothing screened).</summary>
    private static int ScreenCut(double[] ps, long lines, bool wantMax, (double F, double Slack) bound, out double cut, out long count)
    {
        cut = 0; count = 0;
        double best;
        fixed (double* pp = ps)
            if (!FiniteExtreme(pp, lines, wantMax, out best)) return -1;
        var (f, slack) = bound;
        if (slack > 0 && slack > (wantMax ? best : MaxOf(ps, lines)) * Math.ScaleB(1.0, -20)) return -2;
        cut = wantMax ? (best - slack) * f - slack : (best + slack) / f + slack;
        fixed (double* pp = ps) count = Beyond(pp, lines, wantMax, cut);
        return 1;
    }

    /// <summary>The best of the <paramref name="count"/> candidate lines beyond <paramref name="cut"/> by their exact sums
    /// (<see cref="ScreenedWithin"/>'s second half): 1, or 0 when tied lines leave it undecided.</summary>
    private static int ScreenedCandidates(byte* x, DType t, long lines, long len, long lineStride, long elemStride, bool wantMax,
        bool streamLines, double[] ps, double cut, long count, out double bh, out double bl)
    {
        bh = bl = 0;
        double* buf = stackalloc double[2 * Cap(1, len)];
        if (count > Math.Max(4, lines / 16))
            return TiedBest(x, t, lines, len, lineStride, elemStride, wantMax, streamLines, ps, cut, buf, out bh, out bl) ? 1 : 0;
        bool first = true;
        for (long l = 0; l < lines; l++)
        {
            if (!(wantMax ? ps[l] >= cut : ps[l] <= cut)) continue;
            ExactLine(x + l * lineStride, t, len, elemStride, !streamLines, buf, out double h, out double lo);
            Pick(ref first, wantMax, h, lo, ref bh, ref bl);
        }
        return 1;
    }

    /// <summary>The largest of ps[0..n) (finite: FiniteExtreme has checked them); ps may be longer than n.</summary>
    private static double MaxOf(double[] ps, long n)
    {
        double m = ps[0];
        for (long i = 1; i < n; i++) m = Math.Max(m, ps[i]);
        return m;
    }

    /// <summary>The largest (<paramref name="wantMax"/>) or smallest of v[0..n) (n ≥ 1) into <paramref name="best"/>; false
    /// when some value is NaN or ±∞ (best is then meaningless). Four lanes of running extremes: the extreme of finite
    /// values is exact, so it does not depend on the order.</summary>
    private static bool FiniteExtreme(double* v, long n, bool wantMax, out double best)
    {
        long i = 0;
        best = v[0];
        var max = Vector256.Create(double.MaxValue);
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var b0 = Vector256.Create(best); var b1 = b0;
            var fin = Vector256<double>.AllBitsSet;
            for (; i <= n - 8; i += 8)
            {
                var a = Vector256.Load(v + i); var c = Vector256.Load(v + i + 4);
                fin &= Vector256.LessThanOrEqual(Vector256.Abs(a), max) & Vector256.LessThanOrEqual(Vector256.Abs(c), max);
                b0 = wantMax ? Vector256.MaxNative(b0, a) : Vector256.MinNative(b0, a);
                b1 = wantMax ? Vector256.MaxNative(b1, c) : Vector256.MinNative(b1, c);
            }
            if (!Vector256.EqualsAll(fin.AsUInt64(), Vector256<ulong>.AllBitsSet)) return false;
            var b = wantMax ? Vector256.MaxNative(b0, b1) : Vector256.MinNative(b0, b1);
            for (int j = 0; j < 4; j++) best = wantMax ? Math.Max(best, b.GetElement(j)) : Math.Min(best, b.GetElement(j));
        }
        bool finite = true;
        for (; i < n; i++)
        {
            finite &= double.IsFinite(v[i]);
            best = wantMax ? Math.Max(best, v[i]) : Math.Min(best, v[i]);
        }
        return finite;
    }

    /// <summary>How many of v[0..n) are ≥ <paramref name="cut"/> (<paramref name="wantMax"/>) or ≤ it.</summary>
    private static long Beyond(double* v, long n, bool wantMax, double cut)
    {
        long i = 0, count = 0;
        if (Vector256.IsHardwareAccelerated && n >= 4)
        {
            var c = Vector256.Create(cut);
            var k = Vector256<long>.Zero;
            for (; i <= n - 4; i += 4)
            {
                var a = Vector256.Load(v + i);
                k -= (wantMax ? Vector256.GreaterThanOrEqual(a, c) : Vector256.LessThanOrEqual(a, c)).AsInt64();
            }
            count = Vector256.Sum(k);
        }
        for (; i < n; i++) count += (wantMax ? v[i] >= cut : v[i] <= cut) ? 1 : 0;
        return count;
    }

    /// <summary>ps[l] = a plain float64 Σ|x| of line l, for lines [l0, l1) (any summation order: only the bound
    /// of <see cref="ScreenedBest"/> matters, so the bits of ps never reach a result).</summary>
    private static void PlainSums(byte* x, DType t, long l0, long l1, long len, long lineStride, long elemStride, bool streamLines, bool single, double* ps)
    {
        if (DTypes.IsComplex(t))
        {
            ComplexLineScreen.PlainSums(x, t, l0, l1, len, lineStride, elemStride, streamLines, single, ps);
            return;
        }
        if (t == DType.Float32)
        {
            if (single) FloatSums(x, l0, l1, len, lineStride, elemStride, streamLines, ps);
            else PlainSumsSingle(x, l0, l1, len, lineStride, elemStride, streamLines, ps);
            return;
        }
        if (streamLines)
        {
            for (long l = l0; l < l1; l++) ps[l] = PlainLine(x + l * lineStride, len, elemStride);
            return;
        }
        int n = (int)(l1 - l0);
        double* acc = ps + l0;
        new Span<double>(acc, n).Clear();
        byte* b = x + l0 * lineStride;
        long k = 0;
        for (; k + 8 <= len; k += 8) PlainRows(b + k * elemStride, 8, elemStride, lineStride, n, acc);
        if (k < len) PlainRows(b + k * elemStride, (int)(len - k), elemStride, lineStride, n, acc);
    }

    /// <summary><see cref="PlainSums"/> for float32: elements widened exactly to float64 and summed in float64.</summary>
    private static void PlainSumsSingle(byte* x, long l0, long l1, long len, long lineStride, long elemStride, bool streamLines, double* ps)
    {
        if (streamLines)
        {
            for (long l = l0; l < l1; l++)
            {
                byte* p = x + l * lineStride;
                long i = 0;
                double s = 0;
                if (elemStride == sizeof(float) && len >= 16)
                {
                    var a0 = Vector256<double>.Zero; var a1 = a0; var a2 = a0; var a3 = a0;
                    for (; i <= len - 16; i += 16)
                    {
                        var (w0, w1) = Vector256.Widen(Vector256.Load((float*)p + i));
                        var (w2, w3) = Vector256.Widen(Vector256.Load((float*)p + i + 8));
                        a0 += Vector256.Abs(w0); a1 += Vector256.Abs(w1); a2 += Vector256.Abs(w2); a3 += Vector256.Abs(w3);
                    }
                    s = Vector256.Sum((a0 + a1) + (a2 + a3));
                }
                for (; i < len; i++) s += Math.Abs((double)Unsafe.ReadUnaligned<float>(p + i * elemStride));
                ps[l] = s;
            }
            return;
        }
        int n = (int)(l1 - l0);
        double* acc = ps + l0;
        new Span<double>(acc, n).Clear();
        byte* b = x + l0 * lineStride;
        long k = 0;
        if (lineStride == sizeof(float))
            for (; k + 4 <= len; k += 4)
            {
                // four rows per pass over the accumulators
                byte* r0 = b + k * elemStride, r1 = r0 + elemStride, r2 = r1 + elemStride, r3 = r2 + elemStride;
                int i = 0;
                for (; i <= n - 8; i += 8)
                {
                    var (a0, a1) = Vector256.Widen(Vector256.Load((float*)r0 + i));
                    var (b0, b1) = Vector256.Widen(Vector256.Load((float*)r1 + i));
                    var (c0, c1) = Vector256.Widen(Vector256.Load((float*)r2 + i));
                    var (d0, d1) = Vector256.Widen(Vector256.Load((float*)r3 + i));
                    Vector256.Store(Vector256.Load(acc + i) + ((Vector256.Abs(a0) + Vector256.Abs(b0)) + (Vector256.Abs(c0) + Vector256.Abs(d0))), acc + i);
                    Vector256.Store(Vector256.Load(acc + i + 4) + ((Vector256.Abs(a1) + Vector256.Abs(b1)) + (Vector256.Abs(c1) + Vector256.Abs(d1))), acc + i + 4);
                }
                for (; i < n; i++)
                    acc[i] += (Math.Abs((double)((float*)r0)[i]) + Math.Abs((double)((float*)r1)[i])) + (Math.Abs((double)((float*)r2)[i]) + Math.Abs((double)((float*)r3)[i]));
            }
        for (; k < len; k++)
        {
            byte* r = b + k * elemStride;
            int i = 0;
            if (lineStride == sizeof(float))
                for (; i <= n - 8; i += 8)
                {
                    var (w0, w1) = Vector256.Widen(Vector256.Load((float*)r + i));
                    Vector256.Store(Vector256.Load(acc + i) + Vector256.Abs(w0), acc + i);
                    Vector256.Store(Vector256.Load(acc + i + 4) + Vector256.Abs(w1), acc + i + 4);
                }
            for (; i < n; i++) acc[i] += Math.Abs((double)Unsafe.ReadUnaligned<float>(r + i * lineStride));
        }
    }

    /// <summary><see cref="PlainSums"/> for float32 lines of at most 4096 elements, summed in float32 (twice the lanes
    /// of <see cref="PlainSumsSingle"/>, no widening); <see cref="ScreenedBest"/> uses the float32 summation bound.
    /// A sum beyond float32's range gives ∞ and the caller redoes the screen with <see cref="PlainSumsSingle"/>.</summary>
    private static void FloatSums(byte* x, long l0, long l1, long len, long lineStride, long elemStride, bool streamLines, double* ps)
    {
        bool wide = RealKernels.Wide;
        if (streamLines)
        {
            for (long l = l0; l < l1; l++)
            {
                float* p = (float*)(x + l * lineStride);
                long i = 0;
                float s = 0;
                if (elemStride == sizeof(float))
                {
                    if (wide)
                    {
                        var a0 = Vector512<float>.Zero; var a1 = a0;
                        for (; i <= len - 32; i += 32) { a0 += Vector512.Abs(Vector512.Load(p + i)); a1 += Vector512.Abs(Vector512.Load(p + i + 16)); }
                        s = Vector512.Sum(a0 + a1);
                    }
                    var b0 = Vector256<float>.Zero;
                    for (; i <= len - 8; i += 8) b0 += Vector256.Abs(Vector256.Load(p + i));
                    s += Vector256.Sum(b0);
                }
                for (; i < len; i++) s += Math.Abs(Unsafe.ReadUnaligned<float>((byte*)p + i * elemStride));
                ps[l] = s;
            }
            return;
        }
        int n = (int)(l1 - l0);
        float[]? heap = n > 4096 ? new float[n] : null;
        Span<float> accSpan = heap ?? stackalloc float[n];
        accSpan.Clear();
        fixed (float* acc = accSpan)
        {
            byte* b = x + l0 * lineStride;
            long k = 0;
            if (lineStride == sizeof(float))
                for (; k + 4 <= len; k += 4)
                {
                    // four rows per pass over the accumulators
                    float* r0 = (float*)(b + k * elemStride), r1 = (float*)((byte*)r0 + elemStride), r2 = (float*)((byte*)r1 + elemStride), r3 = (float*)((byte*)r2 + elemStride);
                    int i = 0;
                    if (wide)
                        for (; i <= n - 16; i += 16)
                            Vector512.Store(Vector512.Load(acc + i) + ((Vector512.Abs(Vector512.Load(r0 + i)) + Vector512.Abs(Vector512.Load(r1 + i)))
                                + (Vector512.Abs(Vector512.Load(r2 + i)) + Vector512.Abs(Vector512.Load(r3 + i)))), acc + i);
                    for (; i <= n - 8; i += 8)
                        Vector256.Store(Vector256.Load(acc + i) + ((Vector256.Abs(Vector256.Load(r0 + i)) + Vector256.Abs(Vector256.Load(r1 + i)))
                            + (Vector256.Abs(Vector256.Load(r2 + i)) + Vector256.Abs(Vector256.Load(r3 + i)))), acc + i);
                    for (; i < n; i++) acc[i] += (Math.Abs(r0[i]) + Math.Abs(r1[i])) + (Math.Abs(r2[i]) + Math.Abs(r3[i]));
                }
            for (; k < len; k++)
            {
                byte* r = b + k * elemStride;
                for (int i = 0; i < n; i++) acc[i] += Math.Abs(Unsafe.ReadUnaligned<float>(r + i * lineStride));
            }
            for (int i = 0; i < n; i++) ps[l0 + i] = acc[i];
        }
    }

    /// <summary>acc[i] += Σ_r |row r, line i| over g ≤ 8 rows <paramref name="es"/> bytes apart.</summary>
    private static void PlainRows(byte* b, int g, long es, long ls, int n, double* acc)
    {
        int i = 0;
        if (ls == sizeof(double))
        {
            if (RealKernels.Wide && g == 8)
                for (; i <= n - 8; i += 8)
                {
                    var s0 = Vector512.Abs(Vector512.Load((double*)b + i)) + Vector512.Abs(Vector512.Load((double*)(b + es) + i));
                    var s1 = Vector512.Abs(Vector512.Load((double*)(b + 2 * es) + i)) + Vector512.Abs(Vector512.Load((double*)(b + 3 * es) + i));
                    var s2 = Vector512.Abs(Vector512.Load((double*)(b + 4 * es) + i)) + Vector512.Abs(Vector512.Load((double*)(b + 5 * es) + i));
                    var s3 = Vector512.Abs(Vector512.Load((double*)(b + 6 * es) + i)) + Vector512.Abs(Vector512.Load((double*)(b + 7 * es) + i));
                    Vector512.Store(Vector512.Load(acc + i) + ((s0 + s1) + (s2 + s3)), acc + i);
                }
            for (; i <= n - 4; i += 4)
            {
                var s = Vector256.Load(acc + i);
                for (int r = 0; r < g; r++) s += Vector256.Abs(Vector256.Load((double*)(b + r * es) + i));
                Vector256.Store(s, acc + i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 4; i += 4)
            {
                // spaced lines (e.g. a [::2, ::2] view): four lines gathered per vector instead of one scalar chain
                var s = Vector256.Load(acc + i);
                byte* q = b + i * ls;
                for (int r = 0; r < g; r++) s += Vector256.Abs(Four(q + r * es, ls));
                Vector256.Store(s, acc + i);
            }
        for (; i < n; i++)
        {
            double s = acc[i];
            for (int r = 0; r < g; r++) s += Math.Abs(Unsafe.ReadUnaligned<double>(b + r * es + i * ls));
            acc[i] = s;
        }
    }

    /// <summary>A plain Σ|x| of one line of len elements <paramref name="es"/> bytes apart.</summary>
    private static double PlainLine(byte* p, long len, long es)
    {
        long i = 0;
        double s = 0;
        if (es == sizeof(double))
        {
            double* v = (double*)p;
            if (RealKernels.Wide && len >= 32)
            {
                var a0 = Vector512<double>.Zero; var a1 = a0; var a2 = a0; var a3 = a0;
                for (; i <= len - 32; i += 32)
                {
                    a0 += Vector512.Abs(Vector512.Load(v + i)); a1 += Vector512.Abs(Vector512.Load(v + i + 8));
                    a2 += Vector512.Abs(Vector512.Load(v + i + 16)); a3 += Vector512.Abs(Vector512.Load(v + i + 24));
                }
                s = Vector512.Sum((a0 + a1) + (a2 + a3));
            }
            else if (len >= 16)
            {
                var a0 = Vector256<double>.Zero; var a1 = a0; var a2 = a0; var a3 = a0;
                for (; i <= len - 16; i += 16)
                {
                    a0 += Vector256.Abs(Vector256.Load(v + i)); a1 += Vector256.Abs(Vector256.Load(v + i + 4));
                    a2 += Vector256.Abs(Vector256.Load(v + i + 8)); a3 += Vector256.Abs(Vector256.Load(v + i + 12));
                }
                s = Vector256.Sum((a0 + a1) + (a2 + a3));
            }
            for (; i < len; i++) s += Math.Abs(v[i]);
            return s;
        }
        double t0 = 0, t1 = 0;
        for (; i + 2 <= len; i += 2, p += 2 * es) { t0 += Math.Abs(Unsafe.ReadUnaligned<double>(p)); t1 += Math.Abs(Unsafe.ReadUnaligned<double>(p + es)); }
        if (i < len) t0 += Math.Abs(Unsafe.ReadUnaligned<double>(p));
        return t0 + t1;
    }

    /// <summary>Best line sum of a range of lines, with its own scratch; false when empty.</summary>
    private static bool Part(byte* x, DType t, long lines, long len, long lineStride, long elemStride,
        bool wantMax, bool streamLines, out double hi, out double lo)
    {
        hi = lo = 0;
        if (lines <= 0) return false;
        double[] buf = new double[Cap(lines, len) * 2 * Group];
        if (streamLines) Streamed(x, t, lines, len, lineStride, elemStride, wantMax, buf, out hi, out lo);
        else Crossed(x, t, lines, len, lineStride, elemStride, wantMax, buf, new double[lines], new double[lines], out hi, out lo);
        return true;
    }

    /// <summary>Each line is summed on its own, streaming its elements.</summary>
    private static void Streamed(byte* x, DType t, long lines, long len, long lineStride, long elemStride,
        bool wantMax, double[] buf, out double bh, out double bl)
    {
        bh = bl = 0;
        bool first = true;
        fixed (double* pb = buf)
        {
            for (long l = 0; l < lines; l++)
            {
                ExactLine(x + l * lineStride, t, len, elemStride, false, pb, out double hi, out double lo);
                Pick(ref first, wantMax, hi, lo, ref bh, ref bl);
            }
        }
    }

    /// <summary>The exact abs-sum (hi, lo) of one line as the full pass computes it: as <see cref="Streamed"/> does
    /// (chunks of 16 lanes, <see cref="SumAbs"/>), or, when <paramref name="sequential"/>, as one line of
    /// <see cref="Crossed"/> (TwoSum in index order, the arithmetic of <see cref="AddAbs"/> for every lane) — the
    /// same bits either way. <paramref name="buf"/> holds 2·min(len, Chunk) doubles.</summary>
    private static void ExactLine(byte* p, DType t, long len, long es, bool sequential, double* buf, out double hi, out double lo)
    {
        hi = lo = 0;
        for (long k = 0; k < len; k += Chunk)
        {
            int n = (int)Math.Min(Chunk, len - k);
            byte* q = p + k * es;
            double* v;
            if (t == DType.Float64 && es == sizeof(double)) v = (double*)q;
            else { Load(t, q, es, n, buf); v = buf; }
            if (!sequential) { SumAbs(v, n, ref hi, ref lo); continue; }
            double h = hi, l = lo;
            for (int i = 0; i < n; i++)
            {
                double x = Math.Abs(v[i]);
                double s = h + x, bb = s - h;
                l += (h - (s - bb)) + (x - bb);
                h = s;
            }
            hi = h; lo = l;
        }
    }

    /// <summary>Streams the summed axis in the outer loop and accumulates all line sums at once,
    /// eight elements of each line per pass over the accumulators (in index order, so the result
    /// is the same as one at a time).</summary>
    private static void Crossed(byte* x, DType t, long lines, long len, long lineStride, long elemStride,
        bool wantMax, double[] buf, double[] accHi, double[] accLo, out double bh, out double bl)
    {
        Array.Clear(accHi); Array.Clear(accLo);
        bool raw = t == DType.Float64 && lineStride == sizeof(double);
        // float32 lines side by side: widened straight from the rows into the same double-double additions, in the same
        // order (row by row per line), instead of through a gathered copy (17 % of float32 ones 200×200 ord 1)
        bool f32 = t == DType.Float32 && lineStride == sizeof(float) && RealKernels.Wide && Avx512F.IsSupported;
        int cap = Cap(lines, len);
        double** v = stackalloc double*[Group];
        fixed (double* pb = buf, ph = accHi, pl = accLo)
        {
            // float32: plain double sums first, exact (the double-double pass's (S, +0) per line) when the exponents
            // allow it; else cleared and summed as below
            bool done = f32 && PlainFloatsExact(x, lines, len, elemStride, ph);
            if (f32 && !done) Array.Clear(accHi);
            for (long k = 0; !done && k < len; k += Group)
            {
                int g = (int)Math.Min(Group, len - k);
                for (long l = 0; l < lines; l += Chunk)
                {
                    int n = (int)Math.Min(Chunk, lines - l);
                    if (f32)
                    {
                        AddAbsFloats(x + k * elemStride + l * lineStride, elemStride, g, n, ph + l, pl + l);
                        continue;
                    }
                    for (int r = 0; r < g; r++)
                    {
                        byte* q = x + (k + r) * elemStride + l * lineStride;
                        if (raw) v[r] = (double*)q;
                        else { v[r] = pb + r * cap * 2; Load(t, q, lineStride, n, v[r]); }
                    }
                    AddAbs(v, g, n, ph + l, pl + l);
                }
            }
            bh = bl = 0;
            bool first = true;
            for (long l = 0; l < lines; l++) Pick(ref first, wantMax, ph[l], pl[l], ref bh, ref bl);
        }
    }

    private const int Group = 8;

    /// <summary>Lines at most this long (float64; SumAbs switches to lanes at 16) are summed by <see cref="SmallFloat64"/>.</summary>
    private const int SmallLen = 15;

    /// <summary>Scratch doubles per row of a chunk: no more than the matrix needs (small matrices
    /// must not pay for a 32 KB buffer per call).</summary>
    private static int Cap(long lines, long len) => (int)Math.Max(1, Math.Min(Chunk, Math.Max(lines, len)));

    /// <summary>Short float64 lines read in place, each summed in index order with TwoSum exactly
    /// as <see cref="SumAbs"/> / <see cref="AddAbs"/> do below 16 elements (same bits), without
    /// the gather and the per-line calls.</summary>
    private static void SmallFloat64(byte* x, long lines, long len, long lineStride, long elemStride,
        bool wantMax, out double bh, out double bl)
    {
        bh = bl = 0;
        bool first = true;
        if (Vector256.IsHardwareAccelerated && lines >= MinLaneLines && SmallLanes(x, lines, len, lineStride, elemStride, wantMax, out bh, out bl))
            return;
        for (long li = 0; li < lines; li++)
        {
            byte* p = x + li * lineStride;
            double h = 0, l = 0;
            for (long k = 0; k < len; k++, p += elemStride)
            {
                double v = Math.Abs(Unsafe.ReadUnaligned<double>(p));
                double s = h + v, bb = s - h;
                l += (h - (s - bb)) + (v - bb);
                h = s;
            }
            if (!double.IsFinite(h)) l = 0;
            Pick(ref first, wantMax, h, l, ref bh, ref bl);
        }
    }

    /// <summary>Widens n elements; complex ones become |z| (<see cref="LineMagnitudes"/>, correctly rounded
    /// but for near-ties, vectorised) so dst holds n magnitudes-to-be.</summary>
    private static void Load(DType t, byte* p, long stride, int n, double* dst)
    {
        Gather.Run(t, p, stride, n, dst);
        if (t == DType.Complex64) LineMagnitudes.RunSingle(dst, n, dst);
        else if (DTypes.IsComplex(t)) LineMagnitudes.Run(dst, n, dst);
    }

    /// <summary>(hi, lo) += Σ|v[i]| as a double-double; non-finite values propagate (NaN first).
    /// Sixteen fixed lanes (four 4-wide vectors, or two 8-wide ones holding the same lanes) are folded with TwoSum.</summary>
    private static void SumAbs(double* v, int n, ref double hi, ref double lo)
    {
        int i = 0;
        double h = 0, l = 0;
        if (n >= 16)
        {
            var s0 = Vector256<double>.Zero; var s1 = s0; var s2 = s0; var s3 = s0;
            var e0 = s0; var e1 = s0; var e2 = s0; var e3 = s0;
            if (RealKernels.Wide)
            {
                // the same 16 lanes as two 8-wide vectors: lanes 0-7 are s0|s1, lanes 8-15 are s2|s3
                var w01 = Vector512<double>.Zero; var w23 = w01; var f01 = w01; var f23 = w01;
                for (; i <= n - 16; i += 16)
                {
                    TwoSum(ref w01, ref f01, Vector512.Abs(Vector512.Load(v + i)));
                    TwoSum(ref w23, ref f23, Vector512.Abs(Vector512.Load(v + i + 8)));
                }
                s0 = w01.GetLower(); s1 = w01.GetUpper(); s2 = w23.GetLower(); s3 = w23.GetUpper();
                e0 = f01.GetLower(); e1 = f01.GetUpper(); e2 = f23.GetLower(); e3 = f23.GetUpper();
            }
            for (; i <= n - 16; i += 16)
            {
                TwoSum(ref s0, ref e0, Vector256.Abs(Vector256.Load(v + i)));
                TwoSum(ref s1, ref e1, Vector256.Abs(Vector256.Load(v + i + 4)));
                TwoSum(ref s2, ref e2, Vector256.Abs(Vector256.Load(v + i + 8)));
                TwoSum(ref s3, ref e3, Vector256.Abs(Vector256.Load(v + i + 12)));
            }
            TwoSum(ref s0, ref e0, s1);
            TwoSum(ref s2, ref e2, s3);
            TwoSum(ref s0, ref e0, s2);
            e0 += e1 + e2 + e3;
            h = s0.GetElement(0); l = e0.GetElement(0);
            for (int j = 1; j < 4; j++)
            {
                double x = s0.GetElement(j);
                double t = h + x, bb = t - h;
                l += ((h - (t - bb)) + (x - bb)) + e0.GetElement(j);
                h = t;
            }
        }
        for (; i < n; i++)
        {
            double x = Math.Abs(v[i]);
            double t = h + x, bb = t - h;
            l += (h - (t - bb)) + (x - bb);
            h = t;
        }
        if (!double.IsFinite(h)) l = 0;
        Add(ref hi, ref lo, h, l);
    }

    /// <summary>hi[l] = Σ_k |x[k, l]| in plain double arithmetic for float32 lines side by side (rows
    /// <paramref name="es"/> bytes apart), true when every one of those additions was exact: each |x| is a multiple of
    /// 2^(e_min − 149) for e_min the least exponent field (1 for subnormals) of a nonzero element, every partial sum is
    /// below len·2^(e_max − 126), so when (e_max − e_min) + ⌈log₂ len⌉ ≤ 29 every partial sum is an integer multiple of
    /// that unit below 2⁵³ of it — a double, so each addition is exact, in any order. Then the double-double pass
    /// (<see cref="AddAbsFloats"/>: TwoSum per addition) would give (S, +0) per line with S the same exact sum: the same
    /// pair, at one plain addition per element instead of a TwoSum (float32 ones / eye / diagonal 200×200, whose tied
    /// lines all take this pass). NaN or ∞ (exponent field 255) or a wider range: false (hi holds partial sums).</summary>
    private static bool PlainFloatsExact(byte* x, long lines, long len, long es, double* hi)
    {
        var emax = Vector512<int>.Zero;
        var emin = Vector512.Create(255);
        var absMask = Vector512.Create(0x7FFF_FFFF);
        var one = Vector512.Create(1);
        var emax8 = Vector256<int>.Zero;
        var emin8 = Vector256.Create(255);
        int smax = 0, smin = 255;
        long k = 0;
        for (; k + 4 <= len; k += 4)
        {
            // four rows a pass with the sums in registers (the same additions per sum, in row order): a load and a
            // store of every sum per row made this pass ~40 % of a float32 200×200 ord-1 norm
            float* row = (float*)(x + k * es);
            long i = 0;
            for (; i <= lines - 16; i += 16)
            {
                var s0 = Vector512.Load(hi + i); var s1 = Vector512.Load(hi + i + 8);
                for (int r = 0; r < 4; r++)
                {
                    var v = Vector512.Load((float*)((byte*)row + r * es) + i);
                    var b = v.AsInt32() & absMask;
                    var ef = Vector512.ShiftRightLogical(b, 23);
                    emax = Vector512.Max(emax, ef);
                    emin = Vector512.Min(emin, Vector512.ConditionalSelect(Vector512.Equals(b, Vector512<int>.Zero), Vector512.Create(255), Vector512.Max(ef, one)));
                    s0 += Vector512.Abs(Avx512F.ConvertToVector512Double(v.GetLower()));
                    s1 += Vector512.Abs(Avx512F.ConvertToVector512Double(v.GetUpper()));
                }
                s0.Store(hi + i); s1.Store(hi + i + 8);
            }
            for (; i <= lines - 8; i += 8)
            {
                // a group of eight (a scalar tail chained each sum through memory, row by row)
                var s0 = Vector512.Load(hi + i);
                for (int r = 0; r < 4; r++)
                {
                    var v = Vector256.Load((float*)((byte*)row + r * es) + i);
                    var b = v.AsInt32() & absMask.GetLower();
                    var ef = Vector256.ShiftRightLogical(b, 23);
                    emax8 = Vector256.Max(emax8, ef);
                    emin8 = Vector256.Min(emin8, Vector256.ConditionalSelect(Vector256.Equals(b, Vector256<int>.Zero), Vector256.Create(255), Vector256.Max(ef, one.GetLower())));
                    s0 += Vector512.Abs(Avx512F.ConvertToVector512Double(v));
                }
                s0.Store(hi + i);
            }
            for (; i < lines; i++)
                for (int r = 0; r < 4; r++)
                {
                    float f = ((float*)((byte*)row + r * es))[i];
                    int b = BitConverter.SingleToInt32Bits(f) & 0x7FFF_FFFF, ef = b >> 23;
                    smax = Math.Max(smax, ef);
                    if (b != 0) smin = Math.Min(smin, Math.Max(ef, 1));
                    hi[i] += Math.Abs((double)f);
                }
        }
        for (; k < len; k++)
        {
            float* row = (float*)(x + k * es);
            long i = 0;
            for (; i <= lines - 16; i += 16)
            {
                var v = Vector512.Load(row + i);
                var b = v.AsInt32() & absMask;
                var ef = Vector512.ShiftRightLogical(b, 23);
                emax = Vector512.Max(emax, ef);
                emin = Vector512.Min(emin, Vector512.ConditionalSelect(Vector512.Equals(b, Vector512<int>.Zero), Vector512.Create(255), Vector512.Max(ef, one)));
                var lo = Avx512F.ConvertToVector512Double(v.GetLower()); var up = Avx512F.ConvertToVector512Double(v.GetUpper());
                Vector512.Store(Vector512.Load(hi + i) + Vector512.Abs(lo), hi + i);
                Vector512.Store(Vector512.Load(hi + i + 8) + Vector512.Abs(up), hi + i + 8);
            }
            for (; i < lines; i++)
            {
                float f = row[i];
                int b = BitConverter.SingleToInt32Bits(f) & 0x7FFF_FFFF, ef = b >> 23;
                smax = Math.Max(smax, ef);
                if (b != 0) smin = Math.Min(smin, Math.Max(ef, 1));
                hi[i] += Math.Abs((double)f);
            }
        }
        var mx = Vector256.Max(Vector256.Max(emax.GetLower(), emax.GetUpper()), emax8);
        var mn = Vector256.Min(Vector256.Min(emin.GetLower(), emin.GetUpper()), emin8);
        for (int j = 0; j < 8; j++) { smax = Math.Max(smax, mx[j]); smin = Math.Min(smin, mn[j]); }
        if (smax >= 255) return false;
        if (smin > smax) return true; // all zero: every sum is +0
        return smax - smin + BitOperations.Log2((ulong)Math.Max(1, len - 1)) + 1 <= 29;
    }

    /// <summary><see cref="AddAbs"/> for g rows of n adjacent float32 values, <paramref name="es"/> bytes apart, widened in
    /// the registers: the same values (float32 → double is exact) through the same additions in the same order.</summary>
    private static void AddAbsFloats(byte* b, long es, int g, int n, double* hi, double* lo)
    {
        int i = 0;
        for (; i <= n - 8; i += 8)
        {
            var s = Vector512.Load(hi + i); var e = Vector512.Load(lo + i);
            byte* q = b + 4L * i;
            for (int r = 0; r < g; r++, q += es)
                TwoSum(ref s, ref e, Vector512.Abs(Avx512F.ConvertToVector512Double(Vector256.Load((float*)q))));
            s.Store(hi + i); e.Store(lo + i);
        }
        for (; i < n; i++)
        {
            double h = hi[i], l = lo[i];
            byte* q = b + 4L * i;
            for (int r = 0; r < g; r++, q += es)
            {
                double x = Math.Abs((double)Unsafe.ReadUnaligned<float>(q));
                double s = h + x, bb = s - h;
                l += (h - (s - bb)) + (x - bb);
                h = s;
            }
            hi[i] = h; lo[i] = l;
        }
    }

    /// <summary>acc[i] += |v₀[i]|, then |v₁[i]|, … (g rows) for n lines, each a double-double (hi, lo).</summary>
    private static void AddAbs(double** v, int g, int n, double* hi, double* lo)
    {
        int i = 0;
        if (RealKernels.Wide)
            for (; i <= n - 8; i += 8)
            {
                var s = Vector512.Load(hi + i); var e = Vector512.Load(lo + i);
                for (int r = 0; r < g; r++) TwoSum(ref s, ref e, Vector512.Abs(Vector512.Load(v[r] + i)));
                s.Store(hi + i); e.Store(lo + i);
            }
        for (; i <= n - 4; i += 4)
        {
            var s = Vector256.Load(hi + i); var e = Vector256.Load(lo + i);
            for (int r = 0; r < g; r++) TwoSum(ref s, ref e, Vector256.Abs(Vector256.Load(v[r] + i)));
            s.Store(hi + i); e.Store(lo + i);
        }
        for (; i < n; i++)
        {
            double h = hi[i], l = lo[i];
            for (int r = 0; r < g; r++)
            {
                double x = Math.Abs(v[r][i]);
                double s = h + x, bb = s - h;
                l += (h - (s - bb)) + (x - bb);
                h = s;
            }
            hi[i] = h; lo[i] = l;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TwoSum(ref Vector512<double> s, ref Vector512<double> e, Vector512<double> x)
    {
        var t = s + x;
        var bb = t - s;
        e += (s - (t - bb)) + (x - bb);
        s = t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TwoSum(ref Vector256<double> s, ref Vector256<double> e, Vector256<double> x)
    {
        var t = s + x;
        var bb = t - s;
        e += (s - (t - bb)) + (x - bb);
        s = t;
    }

    /// <summary>Double-double add that lets ±∞ and NaN through as the plain sum would.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref double hi, ref double lo, double bh, double bl)
    {
        double s = hi + bh;
        if (!double.IsFinite(s)) { hi = s; lo = 0; return; }
        DD.Add(ref hi, ref lo, bh, bl);
    }

    /// <summary>Keeps the max (or min) of the line sums; NaN wins.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Pick(ref bool first, bool wantMax, double hi, double lo, ref double bh, ref double bl)
    {
        if (!double.IsFinite(hi)) lo = 0;
        else { double h = hi + lo; lo -= h - hi; hi = h; }
        if (first) { bh = hi; bl = lo; first = false; return; }
        if (double.IsNaN(bh)) return;
        if (double.IsNaN(hi)) { bh = hi; bl = 0; return; }
        bool greater = hi > bh || (hi == bh && lo > bl);
        bool less = hi < bh || (hi == bh && lo < bl);
        if (wantMax ? greater : less) { bh = hi; bl = lo; }
    }
}
