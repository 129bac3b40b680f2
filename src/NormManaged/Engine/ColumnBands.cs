using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormManaged.Engine;

/// <summary>Columns of strided views — axis 0 of <c>a[:, ::2]</c>, <c>a[::2, ::3]</c>, <c>a[::-1, ::-2]</c> — whose
/// outputs are 2 … 16 elements apart in the input (<see cref="MaxSpacing"/>), so no column kernel takes them (those need adjacent outputs;
/// only <see cref="AcrossOutputs"/>, float64 ord 1 / 2, loads such outputs itself) and each line went alone through the
/// 1-D path, every element from another cache line (complex128 axis 0 ±∞ of <c>a[::2, ::3]</c> of a (600, 800) array
/// 0.58× NumPy, float64 ord 1 0.49× before AcrossOutputs read them). Here a band of adjacent outputs is
/// compacted — each row's band of values copied, de-interleaved by permutes, into a buffer that stays in L2 — and the
/// kernel chain (<see cref="VectorNorms.Dispatch"/>) runs over the band as the columns of a C-order matrix, so a
/// column kernel takes it. Rows whose elements are 2 … 16 apart (axis 1 of the same views) are compacted the same
/// way into contiguous rows, for the row kernels (float32 general p over a[::2, ::3]'s rows 0.67× NumPy before).
///
/// <para>Bits: a compacted output reduces the same values in the same order as the original line, and every route of
/// the chain gives a line the bits of its 1-D reduction (the contract the strided-view tests check), so results do
/// not depend on the band, the split or the thread count. The band width depends on the column length only; the last
/// band is shifted back to end at the last output (it recomputes a few outputs, with the same bits), so every band has
/// one width and one kernel.</para>
///
/// <para>Memory: one band buffer per thread, at most <see cref="BandBytes"/>, whatever the input's size.</para></summary>
internal static unsafe class ColumnBands
{
    /// <summary>Largest compacted band (256 KiB: it stays in L2 while its kernel reads it back).</summary>
    internal const int BandBytes = 1 << 18;

    /// <summary>Fewest outputs in a band (the column kernels' lanes).</summary>
    private const int MinBand = 8;

    /// <summary>Most outputs in a band (<see cref="AcrossOutputs"/>' own band).</summary>
    private const int MaxBand = 1024;

    [ThreadStatic] private static byte[]? t_band;

    /// <summary>Every output of <paramref name="plan"/> band by band, when its lines are strided columns and the chain
    /// gives a compacted band to a kernel that takes adjacent columns a lane per output (<see cref="Pays"/>), or strided
    /// rows of a dtype and order whose compacted rows measured faster (<see cref="RowsPay"/>); false, with nothing
    /// written, otherwise.</summary>
    public static bool TryRun(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p, bool floatFastTried, out FpEvents ev)
    {
        ev = FpEvents.None;
        if (!Avx512F.IsSupported || plan.OuterShape.Length != 1 || plan.InnerShape.Length != 1 || plan.OuterCount < 2
            || plan.InnerCount < 2 || !(t is DType.Float64 or DType.Complex128 or DType.Complex64 or DType.Float32 || IntRows.IsInteger(t))) return false;
        long outs = plan.OuterCount, n = plan.InnerCount, os = plan.OuterInStrides[0], oos = plan.OuterOutStrides[0], s = plan.InnerStrides[0];
        int es = DTypes.ItemSize(t);
        // columns: outputs 2 … 16 elements apart, lines further; rows: each line's elements 2 … 16 apart,
        // the lines further apart than a line spans
        bool columns = Spaced(os, es) && s > Math.Abs(os);
        // rows more than three elements apart only when they are not back to back: a[:, ::4]'s rows read in place
        // stream memory in order, which their compaction measured slower than (float64 2-norm 93 → 120 µs), while
        // a[::4, ::5]'s do not (46 → 30 µs)
        bool rows = !columns && Spaced(s, es) && Math.Abs(os) >= n * s && (s <= 3 * es || Math.Abs(os) > n * s);
        if (!(columns || rows) || n * es * MinBand > BandBytes || (columns && (outs < MinBand || NarrowLines.Grouped(plan, t, p))))
            return false;
        int w = Width(outs, n * es);
        if (os < 0)
        {
            // walk a backwards axis forwards: the same (input, output) pairs
            x += (outs - 1) * os; o += (outs - 1) * oos;
            os = -os; oos = -oos;
        }
        // the band as the chain sees it: w adjacent columns of n rows, or w contiguous rows of n
        var band = columns ? ReductionPlan.Lines(w, es, oos, n, (long)w * es) : ReductionPlan.Lines(w, n * es, oos, n, es);
        bool pays = columns ? Pays(band, t, ot, p) : RowsPay(band, t, p, s / es);
        if (!pays) return false;
        x += plan.InnerBaseOffset;
        long bands = (outs + w - 1) / w;
        var job = columns ? new Job(x, os, o, oos, outs, w, os, s, w, n, band, t, ot, p, floatFastTried)
                          : new Job(x, os, o, oos, outs, w, s, os, (int)n, w, band, t, ot, p, floatFastTried);
        int threads = Parallelism.MaxThreads;
        // bands spread over the threads from the lowest threshold any band kernel threads at (a band's kernel then runs
        // inline: the pool is busy); below it no kernel threads a band. Spreading from the cheap orders' 3·2¹⁵ instead
        // left a (300, 267) complex64 ord 1 view to its kernel, which forked per band: 66 → 94 µs.
        ev = threads > 1 && bands > 1 && outs * n >= Parallelism.CostlyElements
            ? Parallelism.ForOutputRanges(bands, threads, (b0, count) => Bands(job, b0, b0 + count))
            : Bands(job, 0, bands);
        return true;
    }

    /// <summary>Lines in a band of <paramref name="lines"/> lines of <paramref name="lineBytes"/> each (≤ 1/8 of
    /// <see cref="BandBytes"/>): as many as the buffer holds, in multiples of eight, at most <see cref="MaxBand"/>, and
    /// at least four bands when there are 32 lines (two threads then share them evenly: three bands of a (300, 267)
    /// complex64 view left one thread a third of the work). Depends on the shape only.</summary>
    internal static int Width(long lines, long lineBytes)
    {
        long quarter = ((lines + 3) / 4 + MinBand - 1) & ~(long)(MinBand - 1);
        return (int)Math.Min(lines, Math.Min(Math.Max(quarter, MinBand), Math.Min(MaxBand, BandBytes / lineBytes & ~(MinBand - 1))));
    }

    /// <summary>Whether <paramref name="stride"/> is 2 … <see cref="MaxSpacing"/> elements of <paramref name="es"/> bytes,
    /// either way.</summary>
    internal static bool Spaced(long stride, int es) => stride % es == 0 && Math.Abs(stride) / es is >= 2 and <= MaxSpacing;

    /// <summary>Most elements between consecutive values compacted: two and three apart are gathered by permutes, more
    /// by element copies (a[::4, ::5] of a (600, 1600) complex128 array: axis 0 ord 1 0.32× NumPy line by line).</summary>
    internal const int MaxSpacing = 16;

    /// <summary>Whether the chain gives a compacted band to a kernel that takes adjacent columns a lane per output (the
    /// copy then pays; (600, 800) views, A/B against the lines alone: float64 ord 1 / −1 / −2 / 3 1.3–2.1× faster,
    /// complex128 ½ / −1 / ±∞ / 0, complex64 1.7 / −2 / −3 / −½ 1.4–3.4×). Not <see cref="DDColumns"/>' 1.5 and 2.5
    /// (10–15 % slower than the lines alone).</summary>
    private static bool Pays(ReductionPlan band, DType t, DType ot, double p)
        => VectorNorms.Choose(band, t, ot, p) switch
        {
            VectorNorms.FastKernel.AcrossOutputs or VectorNorms.FastKernel.AcrossOutputsWide or VectorNorms.FastKernel.Complex128Columns
                or VectorNorms.FastKernel.LaneAcross or VectorNorms.FastKernel.Complex64Columns or VectorNorms.FastKernel.NarrowLaneSums
                or VectorNorms.FastKernel.NarrowNegCols or VectorNorms.FastKernel.ComplexExtremaRows or VectorNorms.FastKernel.CountRows
                or VectorNorms.FastKernel.IntColumns => true,
            VectorNorms.FastKernel.DDColumns => p is not (1.5 or 2.5),
            VectorNorms.FastKernel.None => Float64NegCols.Applies(band, t, ot, p),
            _ => false,
        };

    /// <summary>Whether compacted rows pay for their copy (each row's elements <paramref name="spacing"/> apart),
    /// by dtype and order as measured, A/B against the lines read in place, over (600, 800) views' axis 1 (rows of 267
    /// and 400): float32 2, 1, 3, ±∞ and the general orders (1.7: 345 → 196 µs), float64 ±∞ and, three apart, 2 and 1
    /// (80 → 34 µs; two apart the block paths' in-place loaders were as fast), complex64 2 and the general orders,
    /// complex128 2, 1, ½, −1, integers 1, 2, 3, ½, ±∞ (and whole orders 4 … 64 three or more apart) — 1.2–3.6× faster. Not the others, which measured slower or
    /// alike (float64 3 / ½ / −2 / 1.7 10–25 % slower).</summary>
    private static bool RowsPay(ReductionPlan band, DType t, double p, long spacing) => t switch
    {
        DType.Float32 => p is 2 or 1 or 3 || double.IsInfinity(p) || GeneralPowFast.Applies(t, p) || LongLanes(band, p),
        DType.Float64 => double.IsInfinity(p) || (p is 1 or 2 && spacing >= 3),
        DType.Complex64 => p == 2 || (GeneralPowFast.Applies(t, p) && 2 * p != Math.Floor(2 * p)) || ComplexWholeRows(p, band.InnerCount),
        DType.Complex128 => p is 2 or 1 or 0.5 or -1,
        // integers: whole orders 4 … 64 when the elements are three or more apart (a[::2, ::3], a[::4, ::5] of
        // (600, 800) int8 … int64: 1.5–2× faster copied; two apart, back to back, alike or 20 % slower)
        _ => p is 1 or 2 or 3 or 0.5 || double.IsInfinity(p) || (spacing >= 3 && p >= 4 && p <= 64 && p == Math.Floor(p)),
    };

    /// <summary>float32 rows of 65 … 512 compacted when <see cref="NarrowLaneSums.LongRows"/> takes the compacted
    /// <paramref name="band"/> (here: its whole and half-integer orders, which the rows read in place took through the
    /// exact per-line paths; A/B, (600, 800) views: a[::2, ::3] ord 5 / −3 / 4 286 / 194 / 167 → 118 / 113 / 35 µs,
    /// a[::4, ::5] 3–4×); −1.5 / −2.5 only to 256 (rows of 267 / 400 were 25 % slower copied than on their strided 1-D
    /// path, of 67 / 160 1.5–3× faster); rows of 534 measured alike or slower copied.</summary>
    private static bool LongLanes(ReductionPlan band, double p)
        => band.InnerCount <= 512 && (band.InnerCount <= 256 || p is not (-1.5 or -2.5)) && NarrowLaneSums.LongRows(band, DType.Float32, p);

    /// <summary>complex64 rows longer than 64 at the whole and half-integer orders without a fast path of their own
    /// (5, 10, −0.5, −3, …): their contiguous rows' path is 2–3× faster than the strided one (A/B, (600, 800) views:
    /// a[::2, ::3] ord 5 / −0.5 / 10 195 / 245 / 197 → 131 / 156 / 112 µs, a[:, ::2] 1.6–1.9×, a[::4, ::5] 1.8×).</summary>
    private static bool ComplexWholeRows(double p, long n)
        => n > ComplexShortRows.MaxInner && Kernels.PowerTie.Handles(p) && !Complex64Fast.TakesOrder(p);

    /// <summary>One call's bands: band b's first output k0, at x + k0·<see cref="Os"/>, is compacted as
    /// <see cref="Rows"/> pieces <see cref="RowStep"/> bytes apart of <see cref="PerRow"/> elements <see cref="Step"/>
    /// bytes apart (columns: the band's outputs in each reduced row; rows: each line's elements).</summary>
    private sealed class Job(byte* x, long os, byte* o, long oos, long outs, int w, long step, long rowStep, int perRow, long rows,
                             ReductionPlan band, DType t, DType ot, double p, bool tried)
    {
        public readonly nint X = (nint)x, O = (nint)o;
        public readonly long Os = os, Oos = oos, Outs = outs, Step = step, RowStep = rowStep, Rows = rows;
        public readonly int W = w, PerRow = perRow;
        public readonly ReductionPlan Band = band;
        public readonly DType T = t, Ot = ot;
        public readonly double P = p;
        public readonly bool Tried = tried;
    }

    /// <summary>This thread's band buffer (<see cref="BandBytes"/>, cache-line aligned), kept for the thread's life: it
    /// is allocated on the pinned heap, so its address is stable.</summary>
    internal static byte* Buffer() => Pinned(ref t_band, BandBytes);

    /// <summary>The cache-line aligned start of <paramref name="slot"/>'s <paramref name="bytes"/>, allocated on the
    /// pinned heap at first use (a thread-static slot: kept for the thread's life, its address stable).</summary>
    internal static byte* Pinned(ref byte[]? slot, int bytes)
    {
        var buf = slot ??= GC.AllocateUninitializedArray<byte>(bytes + 64, pinned: true);
        return (byte*)(((nint)Unsafe.AsPointer(ref buf[0]) + 63) & ~(nint)63);
    }

    private static FpEvents Bands(Job j, long b0, long b1)
    {
        int es = DTypes.ItemSize(j.T);
        byte* dst = Buffer();
        var ev = FpEvents.None;
        for (long b = b0; b < b1; b++)
        {
            long k0 = Math.Min(b * j.W, j.Outs - j.W);
            Compact((byte*)j.X + k0 * j.Os, j.Step, j.RowStep, j.PerRow, j.Rows, es, dst);
            ev |= VectorNorms.Dispatch(j.Band, dst, j.T, (byte*)j.O + k0 * j.Oos, j.Ot, j.P, j.Tried);
        }
        return ev;
    }

    /// <summary>Rows 0 … n − 1 (<paramref name="rs"/> bytes apart) of <paramref name="w"/> elements of
    /// <paramref name="es"/> bytes, <paramref name="os"/> bytes apart (2 … 16 elements), copied into
    /// <paramref name="dst"/> as rows of w adjacent elements.</summary>
    internal static void Compact(byte* src, long os, long rs, int w, long n, int es, byte* dst)
    {
        if (es == 4) Compact32(src, os, rs, w, n, dst);
        else if (es >= 8) Compact64(src, os, rs, w, n, es, dst);
        else CompactCopy(src, os, rs, w, n, es, dst);
    }

    /// <summary>8-byte units (float64, complex64, and complex128 as two units): eight units a vector, gathered from
    /// the three vectors a group's elements span by two two-source permutes.</summary>
    private static void Compact64(byte* src, long os, long rs, int w, long n, int es, byte* dst)
    {
        if (os > 3 * es) { CompactCopy(src, os, rs, w, n, es, dst); return; }
        int u = es / 8, m = (int)(os / 8);                   // units per element, units per output step
        int per = 8 / u;                                     // elements a vector
        Span<ulong> lo = stackalloc ulong[8], hi = stackalloc ulong[8];
        int maxPos = 0;
        for (int i = 0; i < 8; i++)
        {
            int pos = i / u * m + i % u;
            maxPos = Math.Max(maxPos, pos);
            lo[i] = (ulong)(pos < 16 ? pos : 0);
            hi[i] = (ulong)(pos < 16 ? i : 8 + pos - 16);
        }
        var ia = Vector512.Create((ReadOnlySpan<ulong>)lo);
        var ib = Vector512.Create((ReadOnlySpan<ulong>)hi);
        bool three = maxPos >= 16;
        long span = three ? 192 : 128, extent = (w - 1) * os + es;
        long rowBytes = (long)w * es;
        for (long r = 0; r < n; r++, src += rs, dst += rowBytes)
        {
            if (r + Ahead < n) AheadRow(src + Ahead * rs, extent);
            int j = 0;
            byte* d = dst;
            if (three)
                for (; j * os + span <= extent; j += per, d += 64)
                {
                    byte* s = src + j * os;
                    var a = Avx512F.PermuteVar8x64x2(Vector512.Load((ulong*)s), ia, Vector512.Load((ulong*)(s + 64)));
                    Avx512F.PermuteVar8x64x2(a, ib, Vector512.Load((ulong*)(s + 128))).Store((ulong*)d);
                }
            else
                for (; j * os + span <= extent; j += per, d += 64)
                {
                    byte* s = src + j * os;
                    Avx512F.PermuteVar8x64x2(Vector512.Load((ulong*)s), ia, Vector512.Load((ulong*)(s + 64))).Store((ulong*)d);
                }
            for (; j < w; j++, d += es)
            {
                byte* s = src + j * os;
                *(ulong*)d = *(ulong*)s;
                if (u == 2) *(ulong*)(d + 8) = *(ulong*)(s + 8);
            }
        }
    }

    /// <summary>Rows ahead whose band is prefetched: a band's piece of a row is a few cache lines, the next row's piece a
    /// whole row away, a pattern the hardware prefetchers do not follow.</summary>
    internal const int Ahead = 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AheadRow(byte* row, long extent)
    {
        for (long b = 0; b < extent; b += 64) Kernels.Prefetch.Line(row + b);
        Kernels.Prefetch.Line(row + extent - 1);
    }

    /// <summary>Elements four or more apart, and 1- and 2-byte elements at any spacing: one copy each (8-byte units; 4-, 2- and 1-byte elements one at a time), the next rows'
    /// pieces prefetched as the permutes' are.</summary>
    private static void CompactCopy(byte* src, long os, long rs, int w, long n, int es, byte* dst)
    {
        long extent = (w - 1) * os + es;
        long rowBytes = (long)w * es;
        for (long r = 0; r < n; r++, src += rs, dst += rowBytes)
        {
            if (r + Ahead < n)
            {
                if (os < 64) AheadRow(src + Ahead * rs, extent);
                else for (int j = 0; j < w; j++) Kernels.Prefetch.Line(src + Ahead * rs + j * os); // a line per element
            }
            byte* s = src, d = dst;
            if (es == 4)
                for (int j = 0; j < w; j++, s += os, d += 4) *(uint*)d = *(uint*)s;
            else if (es == 8)
                for (int j = 0; j < w; j++, s += os, d += 8) *(ulong*)d = *(ulong*)s;
            else if (es == 2)
                for (int j = 0; j < w; j++, s += os, d += 2) *(ushort*)d = *(ushort*)s;
            else if (es == 1)
                for (int j = 0; j < w; j++, s += os, d++) *d = *s;
            else
                for (int j = 0; j < w; j++, s += os, d += 16) { *(ulong*)d = *(ulong*)s; *(ulong*)(d + 8) = *(ulong*)(s + 8); }
        }
    }

    /// <summary>4-byte units (float32): sixteen elements a vector, the same two permutes.</summary>
    private static void Compact32(byte* src, long os, long rs, int w, long n, byte* dst)
    {
        if (os > 12) { CompactCopy(src, os, rs, w, n, 4, dst); return; }
        int m = (int)(os / 4);
        Span<uint> lo = stackalloc uint[16], hi = stackalloc uint[16];
        for (int i = 0; i < 16; i++)
        {
            int pos = i * m;
            lo[i] = (uint)(pos < 32 ? pos : 0);
            hi[i] = (uint)(pos < 32 ? i : 16 + pos - 32);
        }
        var ia = Vector512.Create((ReadOnlySpan<uint>)lo);
        var ib = Vector512.Create((ReadOnlySpan<uint>)hi);
        bool three = 15 * m >= 32;
        long span = three ? 192 : 128, extent = (w - 1) * os + 4;
        for (long r = 0; r < n; r++, src += rs, dst += 4L * w)
        {
            if (r + Ahead < n) AheadRow(src + Ahead * rs, extent);
            int j = 0;
            byte* d = dst;
            if (three)
                for (; j * os + span <= extent; j += 16, d += 64)
                {
                    byte* s = src + j * os;
                    var a = Avx512F.PermuteVar16x32x2(Vector512.Load((uint*)s), ia, Vector512.Load((uint*)(s + 64)));
                    Avx512F.PermuteVar16x32x2(a, ib, Vector512.Load((uint*)(s + 128))).Store((uint*)d);
                }
            else
                for (; j * os + span <= extent; j += 16, d += 64)
                {
                    byte* s = src + j * os;
                    Avx512F.PermuteVar16x32x2(Vector512.Load((uint*)s), ia, Vector512.Load((uint*)(s + 64))).Store((uint*)d);
                }
            for (; j < w; j++, d += 4) *(uint*)d = *(uint*)(src + j * os);
        }
    }
}
