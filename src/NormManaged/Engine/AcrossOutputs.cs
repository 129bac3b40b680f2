using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Axis reductions whose outputs are adjacent in memory but whose reduced axis is not (C-order
/// axis=0, Fortran-order axis=1): one SIMD lane per output, whole rows (bands of up to 1024 outputs) streamed in
/// address order, the rows cut into four fixed parts that threads share. Each output keeps a double-double per part
/// (TwoSum for a part's first rows, then validated offset accumulators per 64-row chunk, see <see cref="Stream"/>),
/// the parts are added in order and rounded once: accurate to ~2⁻⁸⁶, so results are correctly rounded like the 1-D
/// kernels'; an output whose sum overflowed, is NaN/inf, or is small enough (&lt; 2⁻⁹⁰⁰) that squares may have
/// underflowed is recomputed by the scaled 1-D kernel. Handles float64 with p = 2 or p = 1 over one reduced axis
/// and one kept axis.</summary>
internal static unsafe class AcrossOutputs
{
    /// <summary>Fewest outputs taken whatever the row count: from eight outputs one Vector512 lane set pays (measured
    /// (64,12) 4.2 → 1.9 µs and (1000,12) 11.8 → 7.1 µs a call against the per-output 1-D path it replaces).</summary>
    private const int Lanes = 8;
    /// <summary>Most rows taken for 2 … <see cref="Lanes"/> − 1 outputs: (128,4) 2.6 → 2.1 µs, (16,4) 3.3 → 2.3 µs, but
    /// (1000,4) 4.2 → 6.2 µs, where the per-output path reads a column of a narrow row faster.</summary>
    private const int FewOutputsMaxRows = 128;
    internal static readonly double s_tiny = Math.ScaleB(1.0, -900);

    public static bool Applies(ReductionPlan plan, DType t, double p)
        => t == DType.Float64 && (p == 2 || p == 1) && plan.InnerShape.Length == 1 && plan.OuterShape.Length == 1
           && (plan.OuterInStrides[0] == 8 && plan.InnerStrides[0] != 8 && plan.InnerCount >= 2
               && (plan.OuterCount >= Lanes || (plan.OuterCount >= 2 && plan.InnerCount <= FewOutputsMaxRows))
               || Spaced(plan));

    /// <summary>Columns of a strided view: outputs two or three elements apart, either way, or adjacent backwards
    /// (<c>a[:, ::2]</c>, <c>a[::2, ::3]</c>, <c>a[::-1, ::-2]</c>, <c>a[:, ::-1]</c>), each column longer than the first
    /// chunk's rows. Their rows are streamed as adjacent outputs' are, the outputs' elements gathered by permutes
    /// (<see cref="SumSquares.Run2"/>, <see cref="SumSquares.Run3"/>): (600, 800) [:, ::2] ord 1 went column by column (0.68× NumPy),
    /// then by compacted bands (<see cref="ColumnBands"/>, ~1.1×).</summary>
    private static bool Spaced(ReductionPlan plan)
        => Avx512F.IsSupported && plan.OuterInStrides[0] is -8 or 16 or -16 or 24 or -24
           && plan.InnerStrides[0] > Math.Abs(plan.OuterInStrides[0]) && plan.InnerCount > FirstRows && plan.OuterCount >= Lanes;

    /// <summary>Outputs per band: whole rows of up to 1024 outputs are streamed, so a band reads memory in one
    /// sequential sweep (C order: consecutive rows are adjacent); its hot accumulators (2 × 8 KB) stay in L1.</summary>
    internal const int Band = 1024;

    /// <summary>Rows are cut into this many fixed parts (when there are at least 64 rows per part) whose partial
    /// double-doubles are added in part order: the split depends on the shape only, never on the thread count, and
    /// gives two threads long sequential sweeps instead of interleaved half-rows.</summary>
    internal const int RowParts = 4;

    public static FpEvents Run(ReductionPlan plan, byte* x, DType ot, byte* o, double p) => Run(plan, x, ot, o, p, null);

    /// <summary>Doubles of partial sums <see cref="Run(ReductionPlan, byte*, DType, byte*, double, double[])"/> uses for this
    /// plan; zero for short columns (one part), which stream each band into a stack buffer.</summary>
    public static long ScratchLength(ReductionPlan plan) => plan.InnerCount >= 64L * RowParts ? RowParts * plan.OuterCount * 2 : 0;

    /// <summary><see cref="Run(ReductionPlan, byte*, DType, byte*, double)"/> with the partial sums in
    /// <paramref name="scratch"/> when it holds <see cref="ScratchLength"/> doubles (a caller running many slabs
    /// reuses one buffer), else in the kept <see cref="Scratch"/> buffer. The partials are overwritten before they are read, so the bits do
    /// not depend on the buffer.</summary>
    public static FpEvents Run(ReductionPlan plan, byte* x, DType ot, byte* o, double p, double[]? scratch)
    {
        if (plan.OuterInStrides[0] < 0)
        {
            // a backwards kept axis walked forwards: the same (input, output) pairs
            long last = plan.OuterCount - 1, os = plan.OuterInStrides[0], oos = plan.OuterOutStrides[0];
            x += last * os + plan.InnerBaseOffset; o += last * oos;
            plan = ReductionPlan.Lines(plan.OuterCount, -os, -oos, plan.InnerCount, plan.InnerStrides[0]);
        }
        long outs = plan.OuterCount, n = plan.InnerCount;
        int parts = n >= 64L * RowParts ? RowParts : 1;
        long w = Math.Min(outs, Band);
        int bands = (int)((outs + w - 1) / w);
        int threads = Parallelism.MaxThreads;
        int items = bands * parts;
        bool par = threads > 1 && items > 1 && outs * n >= BlockDriver.ParallelThreshold;
        if (parts == 1)
        {
            // one part (short columns): each band is streamed into a stack buffer and finished at once — the same
            // sums and the same finish per output as below, without an O(outputs) array. Threads take whole bands.
            // The array cost more than its zeroing: a fresh (large-object) array per call page-faulted on every
            // write, and with a second thread in the process every page the GC gave back cost a TLB shoot-down —
            // (4,30000) ord 1 took ~920 µs at 2 threads against ~58 µs at 1.
            // The band routine is static and the delegate is made only in the threaded branch: a local function
            // capturing the parameters made the compiler allocate its closure at method entry, on every call.
            if (par) return ParBands(plan, x, ot, o, p, w, bands, threads);
            var ev = FpEvents.None;
            for (int b = 0; b < bands; b++) ev |= BandRun(plan, x, ot, o, p, w, b);
            return ev;
        }
        return RunParts(plan, x, ot, o, p, scratch, parts, w, bands, par ? threads : 1);
    }

    /// <summary>One band of a one-part (short-column) plan: streamed into a stack buffer and finished at once.</summary>
    private static FpEvents BandRun(ReductionPlan plan, byte* x, DType ot, byte* o, double p, long w, int b)
    {
        long k0 = b * w, outs = plan.OuterCount;
        int wb = (int)Math.Min(w, outs - k0);
        if (plan.InnerCount <= FirstRows && ot == DType.Float64 && Vector512.IsHardwareAccelerated)
            return ShortColumns(plan, x + k0 * plan.OuterInStrides[0], o + k0 * plan.OuterOutStrides[0], p, wb);
        double* band = stackalloc double[2 * wb];
        StreamAny(plan, x, k0, wb, 0, plan.InnerCount, band, p == 2);
        return Finish(plan, x + k0 * plan.OuterInStrides[0], ot, o + k0 * plan.OuterOutStrides[0], p, band, 1, wb);
    }

    private static FpEvents ParBands(ReductionPlan plan, byte* x, DType ot, byte* o, double p, long w, int bands, int threads)
    {
        nint xb = (nint)x, ob = (nint)o;
        return Parallelism.ForParts(bands, threads, b => BandRun(plan, (byte*)xb, ot, (byte*)ob, p, w, b));
    }

    /// <summary>Four fixed row parts per band (see <see cref="RowParts"/>); <paramref name="threads"/> 1 runs them inline.</summary>
    private static FpEvents RunParts(ReductionPlan plan, byte* x, DType ot, byte* o, double p, double[]? scratch, int parts, long w, int bands, int threads)
    {
        long outs = plan.OuterCount, n = plan.InnerCount;
        bool sq = p == 2;
        int items = bands * parts;
        // partial sums (hi, lo) per part and output: O(outputs), part-major, every one written by Stream; the buffer
        // is the caller's or one kept between calls (see above: a fresh large array per call page-faults)
        long need = parts * outs * 2;
        double[]? rented = scratch is not null && scratch.Length >= need ? null : Scratch.Rent(need);
        double[] partial = rented ?? scratch!;
        nint xb = (nint)x;
        try
        {
            fixed (double* pp = partial)
            {
                nint pb = (nint)pp;
                if (threads > 1)
                    ParItems(plan, xb, pb, parts, w, items, threads, sq);
                else
                    for (int it = 0; it < items; it++) Item(plan, (byte*)xb, (double*)pb, parts, w, it, sq);
                return Finish(plan, x, ot, o, p, pp, parts, outs);
            }
        }
        finally { if (rented is not null) Scratch.Return(rented); }
    }

    private static void Item(ReductionPlan plan, byte* x, double* partial, int parts, long w, int it, bool sq)
    {
        long outs = plan.OuterCount, n = plan.InnerCount;
        int b = it / parts, q = it % parts;
        long k0 = b * w, r0 = n * q / parts, r1 = n * (q + 1) / parts;
        StreamAny(plan, x, k0, (int)Math.Min(w, outs - k0), r0, r1, partial + (q * outs + k0) * 2, sq);
    }

    private static void ParItems(ReductionPlan plan, nint xb, nint pb, int parts, long w, int items, int threads, bool sq)
        => Parallelism.ForParts(items, threads, it => { Item(plan, (byte*)xb, (double*)pb, parts, w, it, sq); return FpEvents.None; });

    /// <summary>Adds the parts of every output in part order, then rounds once (or recomputes an unsafe output alone).</summary>
    private static FpEvents Finish(ReductionPlan plan, byte* x, DType ot, byte* o, double p, double* partial, int parts, long outs)
    {
        bool sq = p == 2;
        var ev = FpEvents.None;
        long j = 0;
        if (ot == DType.Float64 && Avx2.IsSupported)
        {
            double* pair = stackalloc double[8];
            for (; j + 4 <= outs; j += 4)
                if (!(parts == 1 ? FinishGroup(o + j * plan.OuterOutStrides[0], plan.OuterOutStrides[0], partial + 2 * j, sq)
                                 : CombineParts(partial, parts, outs, j, pair)
                                   && FinishGroup(o + j * plan.OuterOutStrides[0], plan.OuterOutStrides[0], pair, sq)))
                    for (long k = j; k < j + 4; k++) ev |= FinishOne(plan, x, ot, o, p, partial, parts, outs, k);
        }
        for (; j < outs; j++) ev |= FinishOne(plan, x, ot, o, p, partial, parts, outs, j);
        return ev;
    }

    /// <summary>Outputs j … j + 3's parts added in order as <see cref="FinishOne"/> adds them (DD.Add's operations in
    /// vector lanes, so the same sums), into <paramref name="pair"/> as (h, l) pairs; false when a part is not finite
    /// (<see cref="FinishOne"/> then sends that output alone). A scalar loop of three double-double additions and a
    /// square root per output was ~7 % of a (1000, 1000) column reduction.</summary>
    private static bool CombineParts(double* partial, int parts, long outs, long j, double* pair)
    {
        var inf = Vector256.Create(double.PositiveInfinity);
        var a = Vector256.Load(partial + 2 * j); var b = Vector256.Load(partial + 2 * j + 4);
        var h = new Lanes256(Avx.UnpackLow(a, b)); var l = new Lanes256(Avx.UnpackHigh(a, b)); // outputs 0, 2, 1, 3
        var finite = Vector256.LessThan(Vector256.Abs(h.V), inf) & Vector256.LessThan(Vector256.Abs(l.V), inf);
        for (int q = 1; q < parts; q++)
        {
            double* pq = partial + (q * outs + j) * 2;
            a = Vector256.Load(pq); b = Vector256.Load(pq + 4);
            var ph = Avx.UnpackLow(a, b); var pl = Avx.UnpackHigh(a, b);
            finite &= Vector256.LessThan(Vector256.Abs(ph), inf) & Vector256.LessThan(Vector256.Abs(pl), inf);
            DDLanes.Add(ref h, ref l, new Lanes256(ph), new Lanes256(pl));
        }
        if (Vector256.ExtractMostSignificantBits(finite) != 0xF) return false;
        Avx.UnpackLow(h.V, l.V).Store(pair);      // h0 l0 h1 l1
        Avx.UnpackHigh(h.V, l.V).Store(pair + 4); // h2 l2 h3 l3
        return true;
    }

    private static FpEvents FinishOne(ReductionPlan plan, byte* x, DType ot, byte* o, double p, double* partial, int parts, long outs, long j)
    {
        double h = partial[2 * j], l = partial[2 * j + 1];
        bool finite = double.IsFinite(h) && double.IsFinite(l);
        for (int q = 1; q < parts; q++)
        {
            double ph = partial[(q * outs + j) * 2], pl = partial[(q * outs + j) * 2 + 1];
            finite &= double.IsFinite(ph) && double.IsFinite(pl);
            DD.Add(ref h, ref l, ph, pl);
        }
        return finite ? FinishSum(plan, x, ot, o, p, h, l, j) : OneD(plan, x, o, ot, j, p);
    }

    /// <summary>Output j from its summed (h, l): rounded once when in range, else recomputed alone.</summary>
    private static FpEvents FinishSum(ReductionPlan plan, byte* x, DType ot, byte* o, double p, double h, double l, long j)
    {
        bool sq = p == 2;
        bool safe = double.IsFinite(h) && double.IsFinite(l) && (sq ? h >= s_tiny : h > 0 || h == 0 && l == 0);
        if (!safe) return OneD(plan, x, o, ot, j, p);
        return FastFinish.Store(ot, o + j * plan.OuterOutStrides[0], h, l, sq);
    }

    /// <summary>A band of short columns (at most <see cref="FirstRows"/> rows, float64 outputs): eight adjacent outputs
    /// at a time go through all their rows with their double-doubles in registers and are finished at once — the
    /// same <see cref="LaneStep"/> operations per lane in the same row order as <see cref="Stream"/>'s first rows,
    /// and <see cref="FinishGroup"/>'s operations on eight lanes, so the same bits. Stream kept the band's sums in
    /// stack arrays (cleared, re-read every four rows, interleaved into pairs) and the finish read them back:
    /// float64 (4, 3000) ord 1 at 0.68× NumPy.</summary>
    private static FpEvents ShortColumns(ReductionPlan plan, byte* x, byte* o, double p, int w)
    {
        long s = plan.InnerStrides[0], n = plan.InnerCount, os = plan.OuterOutStrides[0];
        bool sq = p == 2;
        byte* col = x + plan.InnerBaseOffset;
        var ev = FpEvents.None;
        double tiny = s_tiny;
        int j = 0;
        for (; j + 8 <= w; j += 8)
        {
            Vector512<double> h = Vector512<double>.Zero, l = Vector512<double>.Zero;
            byte* q = col + j * 8;
            // the order as a constant in each loop (a flag tested per row was reloaded from the stack every row)
            if (sq) for (long r = 0; r < n; r++, q += s) LaneStep.Add(ref h, ref l, Vector512.Load((double*)q), true);
            else for (long r = 0; r < n; r++, q += s) LaneStep.Add(ref h, ref l, Vector512.Load((double*)q), false);
            var ok = FinishLanes(new Lanes512(h), new Lanes512(l), sq, tiny, out var vl).V;
            var v = vl.V;
            ulong good = Vector512.ExtractMostSignificantBits(ok);
            if (good == 0xFF && os == 8) { v.Store((double*)(o + j * 8)); continue; }
            for (int i = 0; i < 8; i++)
            {
                if ((good >> i & 1) != 0) Unsafe.WriteUnaligned(o + (j + i) * os, v.GetElement(i));
                else ev |= FinishSum(plan, x, DType.Float64, o, p, h.GetElement(i), l.GetElement(i), j + i);
            }
        }
        for (; j < w; j++)
        {
            double h = 0, l = 0;
            byte* q = col + j * 8;
            for (long r = 0; r < n; r++, q += s) LaneStep.Add(ref h, ref l, *(double*)q, sq);
            ev |= FinishSum(plan, x, DType.Float64, o, p, h, l, j);
        }
        return ev;
    }

    /// <summary>Double-doubles (h, l) rounded once per lane into <paramref name="v"/> — <see cref="FastFinish.TrySqrt"/>
    /// (<paramref name="sq"/>) or <see cref="FastFinish.TrySum"/>'s operations — and the mask of the lanes in their
    /// range (<paramref name="tiny"/> = 2⁻⁹⁰⁰); the four-lane finish and the short columns' eight-lane one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L FinishLanes<L>(L h, L l, bool sq, double tiny, out L v) where L : struct, ILanes<L>
    {
        var min = L.Create(tiny);
        var inf = L.Create(double.PositiveInfinity);
        var ok = L.LessThan(L.Abs(l), inf);
        if (sq)
        {
            ok &= L.GreaterThanOrEqual(h, min) & L.LessThan(h, L.Create(double.MaxValue));
            var hh = h + l;
            var ll = l - (hh - h);
            var r = L.Sqrt(hh);
            v = r + (L.Fma(-r, r, hh) + ll) / (r + r);
        }
        else
        {
            v = h + l;
            ok &= (L.GreaterThanOrEqual(h, min) | (L.Equal(h, L.Zero) & L.Equal(l, L.Zero))) & L.LessThan(L.Abs(v), inf);
        }
        return ok;
    }

    /// <summary>Four outputs of one part into float64: <see cref="FastFinish.TrySqrt"/> / <see cref="FastFinish.TrySum"/>
    /// on four lanes (the same operations per lane, so the same bits as <see cref="FinishOne"/>); false, with nothing
    /// stored, unless all four are in those functions' range (the caller then finishes them one by one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FinishGroup(byte* dst, long os, double* partial, bool sq)
    {
        var a = Vector256.Load(partial);
        var b = Vector256.Load(partial + 4);
        var h = Avx.UnpackLow(a, b);  // outputs 0, 2, 1, 3
        var l = Avx.UnpackHigh(a, b);
        var ok = FinishLanes(new Lanes256(h), new Lanes256(l), sq, s_tiny, out var vl).V;
        var v = vl.V;
        if (Vector256.ExtractMostSignificantBits(ok) != 0xF) return false;
        v = Avx2.Permute4x64(v, 0b11_01_10_00);
        if (os == 8) v.Store((double*)dst);
        else
            for (int i = 0; i < 4; i++) Unsafe.WriteUnaligned(dst + i * os, v.GetElement(i));
        return true;
    }

    // 2⁻⁹⁰⁰, 2¹⁰⁰⁰ and 2⁻⁶ as constants (static readonly vectors cost the fold a class-initialisation check and spills)
    private const ulong SigmaMinBits = (ulong)(1023 - 900) << 52, SigmaMaxBits = (ulong)(1023 + 1000) << 52, FloorBits = (ulong)(1023 - 6) << 52;

    /// <summary>σ = 2·2^⌊log₂(4E)⌋ ≥ 4E for E = running total × ratio, per lane; the lane starts at σ with no error.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetSigma(double* hs, double* sa, double* sl, double* sg, double ratio)
    {
        var e4 = Vector256.Load(hs) * Vector256.Create(4 * ratio);
        var sigma = (e4.AsUInt64() & Vector256.Create(0x7FF0_0000_0000_0000UL)).AsDouble() * Vector256.Create(2.0);
        sigma.Store(sg); sigma.Store(sa); Vector256<double>.Zero.Store(sl);
    }

    /// <summary>Adds each accepted lane's chunk (a − σ exactly, plus its error sum) to the running double-double;
    /// returns a bit per rejected lane (σ out of range, a term above σ, NaN/∞, or a chunk sum too small against σ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint FoldChunk(double* hs, double* ls, double* sa, double* sl, double* sg)
    {
        var a = Vector256.Load(sa); var l = Vector256.Load(sl); var sigma = Vector256.Load(sg);
        var d = a - sigma;
        var ok = Vector256.GreaterThanOrEqual(sigma, Vector256.Create(SigmaMinBits).AsDouble())
               & Vector256.LessThanOrEqual(sigma, Vector256.Create(SigmaMaxBits).AsDouble())
               & Vector256.LessThanOrEqual(a, sigma + sigma)
               & (Vector256.GreaterThanOrEqual(d + l, sigma * Vector256.Create(FloorBits).AsDouble())
                  | (Vector256.Equals(d, Vector256<double>.Zero) & Vector256.Equals(l, Vector256<double>.Zero)));
        var h = Vector256.Load(hs); var lo = Vector256.Load(ls);
        var t = h + d;
        var bb = t - h;
        var nl = lo + (((h - (t - bb)) + (d - bb)) + l);
        Vector256.ConditionalSelect(ok, t, h).Store(hs);
        Vector256.ConditionalSelect(ok, nl, lo).Store(ls);
        return ~Vector256.ExtractMostSignificantBits(ok.AsUInt64()) & 0xF;
    }

    /// <summary>Elements of a reduction from which <see cref="Rows{TStep}"/> prefetches the rows ahead (32 MiB of float64).</summary>
    private const long PrefetchElements = 1L << 22;

    /// <summary><paramref name="count"/> rows from <paramref name="row"/> into the (sa, sl) lanes of w outputs, one
    /// <typeparamref name="TStep"/> per element (<see cref="LaneStep"/>: TwoSum double-doubles; <see cref="OffsetStep"/>:
    /// offset lanes); row r of output j is at <paramref name="row"/> + r·s + 8j. Each output takes its rows in order
    /// whatever the width, so the bits do not depend on it.</summary>
    private static void Rows<TStep>(byte* row, long s, long count, double* sa, double* sl, int w, bool sq) where TStep : struct, IRowStep
        => Rows<TStep, NoAhead, SumSquares.Run1>(row, s, count, sa, sl, w, sq);

    /// <summary><see cref="Rows{TStep}"/>, with the next four rows prefetched when <typeparamref name="TAhead"/> says so
    /// (a compile-time choice: the hint instructions cost ~8 % on rows that are in cache), and output j's element at
    /// <paramref name="row"/> + r·s + 8·j·<typeparamref name="TLoad"/>.Step (<see cref="SumSquares.IRunLoad"/>).</summary>
    private static void Rows<TStep, TAhead, TLoad>(byte* row, long s, long count, double* sa, double* sl, int w, bool sq)
        where TStep : struct, IRowStep where TAhead : struct, IAhead where TLoad : struct, SumSquares.IRunLoad
    {
        if (sq) Rows<TStep, TAhead, SquareTerms, TLoad>(row, s, count, sa, sl, w);
        else Rows<TStep, TAhead, MagnitudeTerms, TLoad>(row, s, count, sa, sl, w);
    }

    /// <summary><see cref="Rows{TStep, TAhead, TLoad}"/> with squares or magnitudes fixed at compile time.</summary>
    private static void Rows<TStep, TAhead, TKind, TLoad>(byte* row, long s, long count, double* sa, double* sl, int w)
        where TStep : struct, IRowStep where TAhead : struct, IAhead where TKind : struct where TLoad : struct, SumSquares.IRunLoad
    {
        int slack = TLoad.Step > 1 ? 1 : 0; // outputs past a vector's last one whose gaps its loads may touch
        int span = TLoad.Step * 8; // bytes from one output to the next
        bool sq = typeof(TKind) == typeof(SquareTerms);
        bool wide = Kernels.RealKernels.Wide;
        long i = 0;
        if (wide)
        {
            for (; i + 4 <= count; i += 4, row += 4 * s)
            {
                double* q0 = (double*)row, q1 = (double*)(row + s), q2 = (double*)(row + 2 * s), q3 = (double*)(row + 3 * s);
                int j = 0;
                byte* ahead = row + 4 * s; // the next four rows, the same outputs (hints only)
                // sixteen outputs a step, the two vectors' chains interleaved op by op: each output's four-row chain
                // (an FMA latency per row) is what bounds the step, and the scheduler overlaps two chains side by
                // side better than two consecutive iterations (each output still takes its rows in order: same bits)
                for (; j <= w - 16 - slack; j += 16)
                {
                    if (TAhead.On)
                        for (int c = 0; c < 2 * TLoad.Step; c++)
                        {
                            byte* line = ahead + span * j + 64 * c;
                            Prefetch.Line(line); Prefetch.Line(line + s); Prefetch.Line(line + 2 * s); Prefetch.Line(line + 3 * s);
                        }
                    var a = Vector512.Load(sa + j); var l = Vector512.Load(sl + j);
                    var b = Vector512.Load(sa + j + 8); var m = Vector512.Load(sl + j + 8);
                    TStep.Add(ref a, ref l, TLoad.Load(q0, j), sq);
                    TStep.Add(ref b, ref m, TLoad.Load(q0, j + 8), sq);
                    TStep.Add(ref a, ref l, TLoad.Load(q1, j), sq);
                    TStep.Add(ref b, ref m, TLoad.Load(q1, j + 8), sq);
                    TStep.Add(ref a, ref l, TLoad.Load(q2, j), sq);
                    TStep.Add(ref b, ref m, TLoad.Load(q2, j + 8), sq);
                    TStep.Add(ref a, ref l, TLoad.Load(q3, j), sq);
                    TStep.Add(ref b, ref m, TLoad.Load(q3, j + 8), sq);
                    Vector512.Store(a, sa + j); Vector512.Store(l, sl + j);
                    Vector512.Store(b, sa + j + 8); Vector512.Store(m, sl + j + 8);
                }
                for (; j <= w - 8 - slack; j += 8)
                {
                    if (TAhead.On)
                        for (int c = 0; c < TLoad.Step; c++)
                        {
                            byte* line = ahead + span * j + 64 * c;
                            Prefetch.Line(line); Prefetch.Line(line + s); Prefetch.Line(line + 2 * s); Prefetch.Line(line + 3 * s);
                        }
                    var a = Vector512.Load(sa + j); var l = Vector512.Load(sl + j);
                    TStep.Add(ref a, ref l, TLoad.Load(q0, j), sq);
                    TStep.Add(ref a, ref l, TLoad.Load(q1, j), sq);
                    TStep.Add(ref a, ref l, TLoad.Load(q2, j), sq);
                    TStep.Add(ref a, ref l, TLoad.Load(q3, j), sq);
                    Vector512.Store(a, sa + j); Vector512.Store(l, sl + j);
                }
                for (; j < w; j++)
                {
                    TStep.Add(ref sa[j], ref sl[j], TLoad.At(q0, j), sq);
                    TStep.Add(ref sa[j], ref sl[j], TLoad.At(q1, j), sq);
                    TStep.Add(ref sa[j], ref sl[j], TLoad.At(q2, j), sq);
                    TStep.Add(ref sa[j], ref sl[j], TLoad.At(q3, j), sq);
                }
            }
        }
        for (; i < count; i++, row += s)
        {
            double* q = (double*)row;
            int j = 0;
            if (wide)
                for (; j <= w - 8 - slack; j += 8)
                {
                    var a = Vector512.Load(sa + j); var l = Vector512.Load(sl + j);
                    TStep.Add(ref a, ref l, TLoad.Load(q, j), sq);
                    Vector512.Store(a, sa + j); Vector512.Store(l, sl + j);
                }
            if (Vector256.IsHardwareAccelerated && TLoad.Step == 1)
                for (; j <= w - 4; j += 4)
                {
                    var a = Vector256.Load(sa + j); var l = Vector256.Load(sl + j);
                    TStep.Add(ref a, ref l, Vector256.Load(q + j), sq);
                    Vector256.Store(a, sa + j); Vector256.Store(l, sl + j);
                }
            for (; j < w; j++) TStep.Add(ref sa[j], ref sl[j], TLoad.At(q, j), sq);
        }
    }

    private static FpEvents OneD(ReductionPlan plan, byte* x, byte* o, DType ot, long k, double p)
    {
        var sub = ReductionPlan.Run(plan.InnerCount, plan.InnerStrides[0]);
        byte* xp = x + k * plan.OuterInStrides[0] + plan.InnerBaseOffset;
        byte* dst = o + k * plan.OuterOutStrides[0];
        return p == 2 ? BlockDriver.Run<SumSquaresOp, ScaledSum>(sub, xp, DType.Float64, dst, ot, default)
                      : BlockDriver.Run<IntPowOp, ScaledSum>(sub, xp, DType.Float64, dst, ot, new IntPowOp(1));
    }

    /// <summary>Rows of the first chunk, summed with TwoSum lanes: they give every output the scale the offset chunks need.</summary>
    private const int FirstRows = 16;
    /// <summary>Rows of the first offset chunk (later chunks take as many rows as are already summed, up to twice this).</summary>
    private const int ChunkRows = 64;

    /// <summary>Outputs k0 … k0 + w − 1 over rows [r0, r1) (one fixed part), into partial[2j], partial[2j + 1]: the rows
    /// are streamed (contiguous runs of w elements) into per-output accumulators. The part's first 16 rows go into a double-double (TwoSum) per output.
    /// Every later chunk of 64 … 128 rows uses an
    /// offset accumulator per output (see <see cref="SumSquares"/>): the lane starts at σ, a power of two ≥ 4× the
    /// chunk's expected sum (the output's running total × chunk rows / rows so far), so while every term is ≤ σ each update
    /// a' = a + t lies in [a, 2a] and its error is exactly t − (a' − a) (x²: fma(x, x, a − a')) — four flops instead of
    /// TwoSum's eight. After the chunk an output's lane is accepted when a ≤ 2σ (every term was ≤ σ) and the chunk sum
    /// is ≥ σ·2⁻⁶ (its error bound, ~m²·2⁻¹⁰⁶σ for m ≤ 128 rows, stays ≤ 2⁻⁸⁶ of the sum) or exactly zero; the exact a − σ and the error
    /// sum are then added to the output's double-double. A rejected output's chunk is summed again with TwoSum.
    /// Every decision and operation is per output, on its own column in row order, the same in a Vector512,
    /// Vector256 or scalar lane, so results do not depend on width, band or thread; the total is accurate to ~2⁻⁸⁶
    /// and rounded once, giving the correctly rounded norm, the unique value the 1-D kernels also produce.</summary>
    /// <remarks>The outputs are adjacent float64s whatever the plan's outer stride (<see cref="Complex128Columns"/> passes
    /// complex columns as twice as many float64 ones).</remarks>
    internal static void Stream(ReductionPlan plan, byte* x, long k0, int w, long r0, long r1, double* partial, bool sq)
        => Stream<SumSquares.Run1>(plan, x, k0, w, r0, r1, partial, sq);

    /// <summary><see cref="Stream(ReductionPlan, byte*, long, int, long, long, double*, bool)"/> for this kernel's own
    /// plans: outputs adjacent, or two or three elements apart (<see cref="Spaced"/>).</summary>
    private static void StreamAny(ReductionPlan plan, byte* x, long k0, int w, long r0, long r1, double* partial, bool sq)
    {
        switch (plan.OuterInStrides[0])
        {
            case 16: Stream<SumSquares.Run2>(plan, x, k0, w, r0, r1, partial, sq); break;
            case 24: Stream<SumSquares.Run3>(plan, x, k0, w, r0, r1, partial, sq); break;
            default: Stream<SumSquares.Run1>(plan, x, k0, w, r0, r1, partial, sq); break;
        }
    }

    /// <summary><see cref="Stream(ReductionPlan, byte*, long, int, long, long, double*, bool)"/> with the outputs' elements
    /// loaded by <typeparamref name="TLoad"/> (adjacent, or two or three elements apart).</summary>
    private static void Stream<TLoad>(ReductionPlan plan, byte* x, long k0, int w, long r0, long r1, double* partial, bool sq)
        where TLoad : struct, SumSquares.IRunLoad
    {
        long s = plan.InnerStrides[0];
        int wp = (w + 7) & ~7;
        double* buf = stackalloc double[5 * wp];
        new Span<double>(buf, 2 * wp).Clear(); // the double-doubles; SetSigma sets the offset lanes before every use
        double* hs = buf, ls = buf + wp, sa = buf + 2 * wp, sl = buf + 3 * wp, sg = buf + 4 * wp;
        byte* row0 = x + k0 * 8 * TLoad.Step + plan.InnerBaseOffset + r0 * s;
        long n = r1 - r0;
        long first = Math.Min(n, FirstRows);
        // rows of a reduction too large for the caches are prefetched four rows ahead: on this machine that took a
        // (3000,3000) axis-0 2-norm from ~4.0 to ~2.7 ms, but cost (1000,1000) ~10 % in cache
        bool pf = plan.InnerCount * plan.OuterCount >= PrefetchElements;
        if (pf) Rows<LaneStep, Ahead, TLoad>(row0, s, first, hs, ls, w, sq);
        else Rows<LaneStep, NoAhead, TLoad>(row0, s, first, hs, ls, w, sq);
        for (long r = first, e; r < n; r = e)
        {
            // chunks grow with the rows done, from 64 up to 128 rows (the error bound below grows as the square)
            e = Math.Min(n, r + Math.Clamp(r, ChunkRows, 2 * ChunkRows));
            double ratio = (double)(e - r) / r;
            for (int j = 0; j < wp; j += 4) SetSigma(hs + j, sa + j, sl + j, sg + j, ratio);
            if (pf) Rows<OffsetStep, Ahead, TLoad>(row0 + r * s, s, e - r, sa, sl, w, sq);
            else Rows<OffsetStep, NoAhead, TLoad>(row0 + r * s, s, e - r, sa, sl, w, sq);
            for (int j = 0; j < wp; j += 4)
            {
                uint bad = FoldChunk(hs + j, ls + j, sa + j, sl + j, sg + j);
                for (; bad != 0; bad &= bad - 1)
                {
                    int q = j + System.Numerics.BitOperations.TrailingZeroCount(bad);
                    if (q < w) Rows<LaneStep>(row0 + q * 8 * TLoad.Step + r * s, s, e - r, hs + q, ls + q, 1, sq);
                }
            }
        }
        int jj = 0;
        if (Avx.IsSupported)
            for (; jj + 4 <= w; jj += 4)
            {
                // (h, l) pairs interleaved four at a time (the scalar loop below was ~15% of (4,3000) ord 1)
                var h = Vector256.Load(hs + jj); var l = Vector256.Load(ls + jj);
                var lo = Avx.UnpackLow(h, l);   // h0 l0 h2 l2
                var hi = Avx.UnpackHigh(h, l);  // h1 l1 h3 l3
                Avx.Permute2x128(lo, hi, 0x20).Store(partial + 2 * jj);
                Avx.Permute2x128(lo, hi, 0x31).Store(partial + 2 * jj + 4);
            }
        for (; jj < w; jj++) { partial[2 * jj] = hs[jj]; partial[2 * jj + 1] = ls[jj]; }
    }
}

/// <summary>A compile-time switch for a kernel's prefetch hints.</summary>
internal interface IAhead
{
    static abstract bool On { get; }
}

internal readonly struct Ahead : IAhead
{
    public static bool On => true;
}

internal readonly struct NoAhead : IAhead
{
    public static bool On => false;
}
