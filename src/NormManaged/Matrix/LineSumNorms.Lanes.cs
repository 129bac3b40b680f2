using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NormManaged.Engine;

namespace NormManaged.Matrix;

/// <summary>float64 line sums with one line per vector lane, for lines summed in index order (the scalar TwoSum steps
/// of <see cref="SmallFloat64"/> and of <see cref="Crossed"/>' <see cref="AddAbs"/>, replayed lane-wise, so each
/// line's (hi, lo) has the bits of those paths): up to four 4-lane chains per pass instead of one latency-bound chain
/// per line, and the best kept per lane with <see cref="Pick"/>'s normalisation and order.</summary>
internal static unsafe partial class LineSumNorms
{
    /// <summary><see cref="SmallFloat64"/> for <see cref="MinLaneLines"/> or more lines: 16 lines per pass over the elements, the last
    /// chains ending at the last line (they may repeat lines). (hi, lo) pairs compare lexicographically, a total order
    /// without NaN, so which lane or pass sees a line first does not matter and a repeated line changes nothing. False
    /// (nothing decided) when a sum is NaN: the scalar loop then picks the first NaN in line order.</summary>
    private static bool SmallLanes(byte* x, long lines, long len, long ls, long es, bool wantMax, out double bh, out double bl)
    {
        var best = stackalloc Vector256<double>[2 * Chains];
        InitBest(best, wantMax);
        var p = stackalloc byte*[Chains];
        for (long g = 0; g < lines; g += 4 * Chains)
        {
            int chains = (int)Math.Min(Chains, (lines - g + 3) / 4);
            for (int c = 0; c < Chains; c++) p[c] = x + Math.Min(g + 4 * c, lines - 4) * ls;
            SumLanes(p, ls, len, es, chains, wantMax, best);
        }
        bh = bl = 0;
        for (int c = 0; c < Chains; c++)
            if (!Vector256.EqualsAll(best[2 * c], best[2 * c])) return false;
        bh = best[0].GetElement(0); bl = best[1].GetElement(0);
        for (int c = 0; c < Chains; c++)
            for (int j = 0; j < 4; j++)
            {
                double h = best[2 * c].GetElement(j), l = best[2 * c + 1].GetElement(j);
                if (wantMax ? h > bh || (h == bh && l > bl) : h < bh || (h == bh && l < bl)) { bh = h; bl = l; }
            }
        return true;
    }

    /// <summary>Whether <see cref="AcrossMatrices"/> takes the batch: float64 matrices whose lines the per-matrix path
    /// sums in index order (short lines, or the summed axis with the larger stride), one kept axis of at least four
    /// adjacent matrices.</summary>
    private static bool AcrossApplies(MatrixBatch b, long lines, long len, long lineStride, long elemStride)
        => Vector256.IsHardwareAccelerated && b.T == DType.Float64 && b.OT == DType.Float64 && lines >= 1 && len >= 1
           && (len <= SmallLen || (Math.Abs(elemStride) > Math.Abs(lineStride) && lines > 1))
           && b.OneKeptAxis(out long ks, out _) && ks == sizeof(double) && b.Count >= 4;

    /// <summary>Matrices side by side (the kept axis contiguous, e.g. axes (0, 1) of a C-order (50, 60, 70) array): one
    /// matrix per lane, 16 per pass (the last pass ending at the last matrix; a matrix done twice is written twice with
    /// the same value), every line of the 16 summed at once. Each lane's line sums are the per-matrix path's (index
    /// order) and its best the per-matrix pick, so the stored bits are that path's; a matrix with a NaN sum goes
    /// alone through <see cref="MatrixNorms.Compute"/> (its first NaN). Passes are independent, so splitting them
    /// over threads changes nothing.</summary>
    private static FpEvents AcrossMatrices(MatrixBatch b, long lines, long len, long ls, long es, bool wantMax, bool columnSums)
    {
        b.OneKeptAxis(out _, out long os);
        long count = b.Count, passes = (count + 4 * Chains - 1) / (4 * Chains);
        int threads = Parallelism.MaxThreads;
        nint xb = (nint)b.X, ob = (nint)b.O;
        FpEvents Range(long first, long n)
        {
            var best = stackalloc Vector256<double>[2 * Chains];
            var start = stackalloc long[Chains];
            var pp = stackalloc byte*[Chains];
            var ev = FpEvents.None;
            for (long pass = first; pass < first + n; pass++)
            {
                long g = pass * 4 * Chains;
                int chains = (int)Math.Min(Chains, (count - g + 3) / 4);
                for (int c = 0; c < Chains; c++) start[c] = Math.Min(g + 4 * c, count - 4);
                InitBest(best, wantMax);
                for (long l = 0; l < lines; l++)
                {
                    for (int c = 0; c < Chains; c++) pp[c] = (byte*)xb + l * ls + start[c] * sizeof(double);
                    SumLanes(pp, sizeof(double), len, es, chains, wantMax, best);
                }
                for (int c = 0; c < chains; c++)
                    for (int j = 0; j < 4; j++)
                    {
                        byte* dst = (byte*)ob + (start[c] + j) * os;
                        double h = best[2 * c].GetElement(j);
                        if (double.IsNaN(h))
                            ev |= Alone((byte*)xb + (start[c] + j) * sizeof(double), b, columnSums, wantMax, dst);
                        else ev |= ResultWriter.Store(DType.Float64, dst, h, best[2 * c + 1].GetElement(j), 0);
                    }
            }
            return ev;
        }
        if (threads > 1 && (double)count * lines * len >= BlockDriver.ParallelThreshold)
            return Parallelism.ForOutputRanges(passes, threads, Range);
        return Range(0, passes);
    }

    /// <summary>One matrix of the batch through the general path (a NaN sum: its first NaN in line order).</summary>
    private static FpEvents Alone(byte* m, MatrixBatch b, bool columnSums, bool wantMax, byte* dst)
    {
        double p = columnSums ? (wantMax ? 1 : -1) : (wantMax ? double.PositiveInfinity : double.NegativeInfinity);
        return MatrixNorms.Compute(new NdView(m, DType.Float64, new[] { b.M, b.N }, new[] { b.Rs, b.Cs }), 0, 1, Ord.Of(p),
            new NdView(dst, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
    }

    /// <summary>Fewest lines <see cref="SmallFloat64"/> sums in lanes: below eight (one or two chains) the lane setup and
    /// the 16-lane fold cost more than the scalar chains save (2000 4×4 matrices: 137 → 164 µs).</summary>
    private const int MinLaneLines = 8;

    /// <summary>Chains of four lanes per pass.</summary>
    private const int Chains = 4;

    /// <summary>Every chain's best (hi, lo) at the value no line sum beats: −1 for the max (sums are ≥ 0), +∞ for the
    /// min (a +∞ sum ties with it and has the same bits).</summary>
    private static void InitBest(Vector256<double>* best, bool wantMax)
    {
        for (int c = 0; c < Chains; c++)
        {
            best[2 * c] = Vector256.Create(wantMax ? -1.0 : double.PositiveInfinity);
            best[2 * c + 1] = Vector256<double>.Zero;
        }
    }

    /// <summary>For <paramref name="chains"/> chains c, the four lines starting at p[c] (lane j at p[c] + j·laneStride)
    /// summed over <paramref name="len"/> elements <paramref name="es"/> bytes apart, then kept into chain c's best
    /// (best[2c], best[2c + 1]).</summary>
    private static void SumLanes(byte** p, long laneStride, long len, long es, int chains, bool wantMax, Vector256<double>* best)
    {
        byte* p0 = p[0], p1 = p[1], p2 = p[2], p3 = p[3];
        Vector256<double> h0 = default, l0 = default, h1 = default, l1 = default, h2 = default, l2 = default, h3 = default, l3 = default;
        for (long k = 0; k < len; k++)
        {
            long o = k * es;
            AddLine(ref h0, ref l0, Four(p0 + o, laneStride));
            if (chains > 1) AddLine(ref h1, ref l1, Four(p1 + o, laneStride));
            if (chains > 2) AddLine(ref h2, ref l2, Four(p2 + o, laneStride));
            if (chains > 3) AddLine(ref h3, ref l3, Four(p3 + o, laneStride));
        }
        Keep(h0, l0, wantMax, ref best[0], ref best[1]);
        if (chains > 1) Keep(h1, l1, wantMax, ref best[2], ref best[3]);
        if (chains > 2) Keep(h2, l2, wantMax, ref best[4], ref best[5]);
        if (chains > 3) Keep(h3, l3, wantMax, ref best[6], ref best[7]);
    }

    /// <summary>Four float64 elements <paramref name="ls"/> bytes apart (one load when adjacent).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Four(byte* p, long ls)
        => ls == sizeof(double) ? Vector256.Load((double*)p)
            : Vector256.Create(Unsafe.ReadUnaligned<double>(p), Unsafe.ReadUnaligned<double>(p + ls),
                Unsafe.ReadUnaligned<double>(p + 2 * ls), Unsafe.ReadUnaligned<double>(p + 3 * ls));

    /// <summary>(h, l) += |v| lane-wise, <see cref="SmallFloat64"/>'s TwoSum step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddLine(ref Vector256<double> h, ref Vector256<double> l, Vector256<double> v)
    {
        v = Vector256.Abs(v);
        var s = h + v;
        var bb = s - h;
        l += (h - (s - bb)) + (v - bb);
        h = s;
    }

    /// <summary>Lane-wise <see cref="Pick"/> of four line sums into the running best. A NaN sum becomes the lane's best
    /// and stays (every comparison with it is false): callers send such lanes to the scalar path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Keep(Vector256<double> h, Vector256<double> l, bool wantMax, ref Vector256<double> bh, ref Vector256<double> bl)
    {
        // Pick: a non-finite hi has lo = 0; a finite one is renormalised (hi + lo, lo − (sum − hi))
        var finite = Vector256.LessThanOrEqual(Vector256.Abs(h), Vector256.Create(double.MaxValue));
        var s = h + l;
        var hn = Vector256.ConditionalSelect(finite, s, h);
        var ln = Vector256.ConditionalSelect(finite, l - (s - h), Vector256<double>.Zero);
        var better = ~Vector256.Equals(hn, hn) | (wantMax
            ? Vector256.GreaterThan(hn, bh) | (Vector256.Equals(hn, bh) & Vector256.GreaterThan(ln, bl))
            : Vector256.LessThan(hn, bh) | (Vector256.Equals(hn, bh) & Vector256.LessThan(ln, bl)));
        bh = Vector256.ConditionalSelect(better, hn, bh);
        bl = Vector256.ConditionalSelect(better, ln, bl);
    }
}
