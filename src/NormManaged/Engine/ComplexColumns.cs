using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>complex128 2-norm over an axis whose outputs are adjacent in memory but whose reduced axis is not (C-order
/// axis=0, Fortran-order axis=1, a leading axis of a C-order array whose kept axes coalesce): the real and imaginary
/// parts of the outputs are two interleaved float64 columns each, so the whole run of outputs is <see cref="AcrossOutputs"/>'
/// float64 2-norm problem with twice the columns. Its streaming kernel (<see cref="AcrossOutputs.Stream"/>: a SIMD lane
/// per column, rows read contiguously, TwoSum then validated offset chunks, each column a double-double within ~2⁻⁸⁶
/// of its exact Σx², on the same fixed row parts) runs unchanged; an output then adds its two columns' pairs (part by
/// part in part order, <see cref="DDLanes.Add{L}"/>) and rounds √ once with <see cref="FastFinish.TrySqrt"/>'s
/// operations — within ~2⁻⁸⁵ of the exact |z|-column 2-norm before that one rounding, so the result is the correctly
/// rounded norm except within about that of a rounding midpoint: the value the 1-D kernel (the block driver's
/// double-double Σ(re² + im²)) stores, and within the 1-ulp bound without exception. Scaling: a column sum that is
/// NaN/∞ (an ∞ or NaN part, or squares that overflow) or below 2⁻⁹⁰⁰ (squares that may have underflowed) sends the
/// output to the scaled 1-D path alone, as AcrossOutputs does. Every operation is per output and its lane sees the
/// same operations whatever the band, group, width or thread: the bits depend on the shape only.
///
/// Before this kernel these columns took the block driver one line at a time: (4, 3000) axis 0 ran 0.07× NumPy.</summary>
internal static unsafe class Complex128Columns
{
    /// <summary>Total complex elements from which the columns are split over threads (2¹⁷: two float64 terms each).</summary>
    internal const long ParallelElements = 1L << 17;

    public static bool Applies(ReductionPlan plan, DType t, DType ot, double p)
        => t == DType.Complex128 && ot == DType.Float64 && p == 2 && plan.InnerShape.Length == 1 && plan.OuterShape.Length == 1
           && plan.OuterInStrides[0] == 16 && plan.InnerStrides[0] != 16 && plan.OuterCount >= 4 && plan.InnerCount >= 2
           && plan.InnerCount < int.MaxValue;

    public static FpEvents Run(ReductionPlan plan, byte* x, byte* o)
    {
        long outs = plan.OuterCount, n = plan.InnerCount, cols = 2 * outs;
        int parts = n >= 64L * AcrossOutputs.RowParts ? AcrossOutputs.RowParts : 1;
        long w = Math.Min(cols, AcrossOutputs.Band); // even: whole outputs per band
        int bands = (int)((cols + w - 1) / w);
        int threads = Parallelism.MaxThreads;
        bool par = threads > 1 && outs * n >= ParallelElements; // a complex element is two float64 terms
        nint xb = (nint)x, ob = (nint)o;
        if (parts == 1)
        {
            // each band streams into a stack buffer and finishes its own outputs: no scratch beyond the band
            FpEvents Band(int b)
            {
                long k0 = b * w;
                int bw = (int)Math.Min(w, cols - k0);
                double* partial = stackalloc double[2 * bw];
                AcrossOutputs.Stream(plan, (byte*)xb, k0, bw, 0, n, partial, true);
                return Finish(plan, (byte*)xb, (byte*)ob, partial, 1, bw, k0 / 2, bw / 2);
            }
            if (par && bands > 1) return Parallelism.ForParts(bands, threads, Band);
            var ev = FpEvents.None;
            for (int b = 0; b < bands; b++) ev |= Band(b);
            return ev;
        }
        // rows cut into fixed parts (shape only): partial pairs per part and float column, part-major; n ≥ 256 rows here,
        // so the O(outputs) scratch is small against the work and is rented, not allocated
        long len = parts * cols * 2;
        double[] rented = ArrayPool<double>.Shared.Rent((int)len);
        try
        {
            fixed (double* pp = rented)
            {
                nint pb = (nint)pp;
                int items = bands * parts;
                void Item(int it)
                {
                    int b = it / parts, q = it % parts;
                    long k0 = b * w, r0 = n * q / parts, r1 = n * (q + 1) / parts;
                    AcrossOutputs.Stream(plan, (byte*)xb, k0, (int)Math.Min(w, cols - k0), r0, r1, (double*)pb + (q * cols + k0) * 2, true);
                }
                if (par && items > 1) Parallelism.ForParts(items, threads, it => { Item(it); return FpEvents.None; });
                else for (int it = 0; it < items; it++) Item(it);
                return Finish(plan, x, o, pp, parts, cols, 0, outs);
            }
        }
        finally { ArrayPool<double>.Shared.Return(rented); }
    }

    /// <summary>Outputs j0 … j0 + count − 1 from the partial pairs at <paramref name="partial"/> (float column c of part q
    /// at partial[2(q·stride + c − 2·j0)]): four at a time in Vector256 lanes, the rest one by one with the same
    /// operations (<see cref="Lane1"/>), so an output's bits do not depend on where it falls.</summary>
    private static FpEvents Finish(ReductionPlan plan, byte* x, byte* o, double* partial, int parts, long stride, long j0, long count)
    {
        long os = plan.OuterOutStrides[0];
        var ev = FpEvents.None;
        long j = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; j + 4 <= count; j += 4)
            {
                var v = Root<Lanes256>(partial + 4 * j, parts, stride, out var ok);
                if (Lanes256.AllSet(ok))
                {
                    byte* dst = o + (j0 + j) * os;
                    if (os == 8) v.V.Store((double*)dst);
                    else for (int i = 0; i < 4; i++) Unsafe.WriteUnaligned(dst + i * os, v.V.GetElement(i));
                }
                else
                    for (long k = j; k < j + 4; k++) ev |= One(plan, x, o, partial, parts, stride, j0, k);
            }
        for (; j < count; j++) ev |= One(plan, x, o, partial, parts, stride, j0, j);
        return ev;
    }

    private static FpEvents One(ReductionPlan plan, byte* x, byte* o, double* partial, int parts, long stride, long j0, long j)
    {
        var v = Root<Lane1>(partial + 4 * j, parts, stride, out var ok);
        byte* dst = o + (j0 + j) * plan.OuterOutStrides[0];
        if (BitConverter.DoubleToUInt64Bits(ok.V) != 0)
        {
            Unsafe.WriteUnaligned(dst, v.V);
            return FpEvents.None;
        }
        // NaN/∞/overflowing or tiny sums: the column alone through the scaled 1-D path (numpy's rules, overflow events)
        long k = j0 + j;
        return BlockDriver.Run<SumSquaresOp, ScaledSum>(ReductionPlan.Run(plan.InnerCount, plan.InnerStrides[0]),
            x + plan.InnerBaseOffset + k * 16, DType.Complex128, dst, DType.Float64, default);
    }

    /// <summary>L.Count outputs from q (output i's real column pair at q[4i], q[4i + 1], its imaginary one at q[4i + 2],
    /// q[4i + 3]; part k's at q + 2k·stride): Σ over parts of (re pair + im pair) in double-doubles, then
    /// <see cref="FastFinish.TrySqrt"/>'s operations; <paramref name="ok"/> all-ones per lane whose sum lies in
    /// [2⁻⁹⁰⁰, MaxValue) with a finite low part (TrySqrt's range; NaN/∞ partials fail it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L Root<L>(double* q, int parts, long stride, out L ok) where L : struct, ILanes<L>
    {
        L h = Gather<L>(q, 0), l = Gather<L>(q, 1);
        DDLanes.Add(ref h, ref l, Gather<L>(q, 2), Gather<L>(q, 3));
        for (int k = 1; k < parts; k++)
        {
            double* r = q + 2 * k * stride;
            DDLanes.Add(ref h, ref l, Gather<L>(r, 0), Gather<L>(r, 1));
            DDLanes.Add(ref h, ref l, Gather<L>(r, 2), Gather<L>(r, 3));
        }
        ok = L.GreaterThanOrEqual(h, L.Create(AcrossOutputs.s_tiny)) & L.LessThan(h, L.Create(double.MaxValue))
             & L.LessThan(L.Abs(l), L.Create(double.PositiveInfinity));
        h = DDLanes.FastTwoSum(h, l, out l);
        var rt = L.Sqrt(h);
        var c = (L.Fma(-rt, rt, h) + l) / (rt + rt);
        return rt + c;
    }

    /// <summary>q[4i + k] for the L.Count lanes i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L Gather<L>(double* q, int k) where L : struct, ILanes<L>
    {
        if (typeof(L) == typeof(Lanes256))
            return Unsafe.BitCast<Vector256<double>, L>(Vector256.Create(q[k], q[4 + k], q[8 + k], q[12 + k]));
        return Unsafe.BitCast<double, L>(q[k]);
    }
}

/// <summary>complex64 orders of <see cref="ComplexShortRows"/> that no column op of <see cref="AcrossOutputsWide"/> takes
/// (0.5, 3, 4, −1, 1.5, ±2.5, general p with 1/4 ≤ |p| ≤ 128; not the whole orders ≤ −2) over an axis whose outputs are adjacent and whose reduced axis is not
/// (C-order axis 0, Fortran rows, 3-D axis 0): ComplexShortRows reduces eight lines side by side from a buffer of their
/// s = fl(re² + im²) (value i of line r at buf[8i + r]), filled element by element for strided lines; eight adjacent
/// columns fill the same buffer a row at a time from one 64-byte load (the same single rounding of the exact squares,
/// so the same buffer), then <see cref="ComplexShortRows.Roots"/> computes the eight norms and its bound proves each
/// float32 correctly rounded (<see cref="LaneAcross.TryStoreSingle"/>) — the 1-D path's unique value — or the column
/// goes alone (<see cref="AcrossOutputsWide.Alone(byte*, DType, long, long, byte*, DType, double)"/>). The last group
/// overlaps the previous one (the same lines give the same bits) and stores only its new outputs; groups are split
/// over threads by a shape-only count. Before: (64, 1000) ord 3 ran 63 µs against 26 µs for the same lines as rows.
/// With AVX-512, two whole groups at a time for the orders of <see cref="ComplexPairs"/> (their roots in flight together).
/// Columns longer than 64 values: general p by chunks of buffered rows (<see cref="LongGroups(ReductionPlan, byte*, double, byte*, int, int)"/>),
/// the orders with terms of their own summed straight from the rows (<see cref="TermGroups"/>).</summary>
internal static unsafe class Complex64Columns
{
    private const int Lines = 8;
    /// <summary>Complex elements from which the groups go to threads (each costs 1–3 ns here, a root per output on top).</summary>
    internal const long ParallelElements = Parallelism.CostlyElements;

    public static bool Applies(ReductionPlan plan, DType t, DType ot, double p)
        => t == DType.Complex64 && ot == DType.Float32 && System.Runtime.Intrinsics.X86.Avx2.IsSupported
           && plan.InnerShape.Length == 1 && plan.OuterShape.Length == 1 && plan.OuterInStrides[0] == 8
           && plan.InnerStrides[0] != 8 && plan.OuterCount >= Lines && p is not (-2 or -3) // NarrowNegCols' (the other whole
           // p ≤ −4 were excluded with them and went to ComplexShortRows' value-by-value copy: (4, 3000) ord −4 0.59×, −10 0.51×)
           && (ComplexShortRows.Applies(plan, t, ot, p) || LongGeneral(plan, p) || LongTerms(plan, p));

    /// <summary>Longest column of the general orders taken (<see cref="LongGroups(ReductionPlan, byte*, double, byte*, int, int)"/>).</summary>
    internal const long MaxLongGeneral = NarrowLaneSums.MaxAdjacent;

    /// <summary>General-p columns longer than ComplexShortRows takes (65 … <see cref="MaxLongGeneral"/> values): before,
    /// line by line through the block paths — (600, 800) axis 0 ord 1.7 / 0.3 0.49–0.51× NumPy, (100, 3000) 0.34–0.36×.</summary>
    private static bool LongGeneral(ReductionPlan plan, double p)
        => plan.InnerCount > ComplexShortRows.MaxGeneral && plan.InnerCount <= MaxLongGeneral
           && ComplexShortRows.KindOf(p) == ComplexShortRows.General;

    /// <summary>Longest column of <see cref="LongTerms"/> (its bound, 3(n + 8192) + 2¹⁸ double ulps, stays far below
    /// the 2²⁷ that <see cref="LaneAcross.TryStoreSingle"/> allows).</summary>
    internal const long MaxLongTerms = 1L << 20;

    /// <summary>Columns longer than ComplexShortRows takes (65 … <see cref="MaxLongTerms"/> values) of the orders with
    /// terms of their own (½, 3, 4, −1, 1.5, 2.5, −2.5; <see cref="IC64RowOrder"/>). Before, line by line through
    /// <see cref="Complex64Fast"/> (or transposed first): A/B, C (600, 800) axis 0 ord 4 492 → 71 µs (NumPy 572),
    /// 1.5 1072 → 199, ½ 309 → 183, −1 289 → 124; Fortran (60, 80, 100) axis 2 ord 2.5 1746 → 230, −1 651 → 132 —
    /// 0.1–0.6× NumPy before, 1.6–8× after.</summary>
    internal static bool LongTerms(ReductionPlan plan, double p)
        => plan.InnerCount > ComplexShortRows.MaxInner && plan.InnerCount <= MaxLongTerms
           && ComplexShortRows.KindOf(p) is ComplexShortRows.Root or ComplexShortRows.Cube or ComplexShortRows.Fourth
               or ComplexShortRows.Recip or ComplexShortRows.OneHalf or ComplexShortRows.TwoHalf or ComplexShortRows.NegTwoHalf;

    public static FpEvents Run(ReductionPlan plan, byte* x, double p, byte* o)
    {
        long outs = plan.OuterCount;
        int groups = (int)((outs + Lines - 1) / Lines);
        int threads = Parallelism.MaxThreads;
        nint xb = (nint)x, ob = (nint)o;
        if (threads > 1 && groups > 1 && outs * plan.InnerCount >= ParallelElements)
        {
            int parts = Math.Min(groups, 4 * threads);
            return Parallelism.ForParts(parts, threads, q => Groups(plan, (byte*)xb, p, (byte*)ob, groups * q / parts, groups * (q + 1) / parts));
        }
        return Groups(plan, x, p, o, 0, groups);
    }

    private static FpEvents Groups(ReductionPlan plan, byte* x, double p, byte* o, int g0, int g1)
    {
        int n = (int)plan.InnerCount, kind = ComplexShortRows.KindOf(p);
        long outs = plan.OuterCount, s = plan.InnerStrides[0], os = plan.OuterOutStrides[0];
        if (LongTerms(plan, p)) return TermGroups(plan, x, p, o, g0, g1);
        if (n > ComplexShortRows.MaxGeneral) return LongGroups(plan, x, p, o, g0, g1);
        double* buf = stackalloc double[2 * n * Lines];
        double* res = stackalloc double[ComplexPairs.Scratch];
        byte* c0 = x + plan.InnerBaseOffset;
        var ev = FpEvents.None;
        bool pairs = Avx512F.IsSupported && RealKernels.Wide && ComplexPairs.Takes(p);
        LineMemo.Init(out var memo); // repeated columns that fail the store test: the 1-D path once (LineMemo)
        for (int g = g0; g < g1; g++)
        {
            long k = Math.Min((long)g * Lines, outs - Lines);
            byte* c = c0 + 8 * k;
            if (pairs && g + 1 < g1 && (long)(g + 2) * Lines <= outs)
            {
                // two whole groups: both buffers, then both groups' lanes at once (ComplexPairs), lane-wise stores
                Fill(c, s, n, buf);
                Fill(c + 8 * Lines, s, n, buf + n * Lines);
                long pulps = ComplexPairs.Roots(n, p, buf, buf + n * Lines, res, out long sumUlps);
                for (int h = 0; h < 2 * Lines; h += Lines)
                    for (uint bad = LaneAcross.TryStoreSingles(res + h, pulps, o + (k + h) * os, os, 0); bad != 0; bad &= bad - 1)
                    {
                        int j = h + System.Numerics.BitOperations.TrailingZeroCount(bad);
                        byte* v = c + 8 * j, dst = o + (k + j) * os;
                        if (memo.TryCopy(v, DType.Complex64, n, s, dst, DType.Float32, out ulong lh, out var e)) { ev |= e; continue; }
                        // the precise root of the lane sum first, then the 1-D path; either result is remembered
                        e = sumUlps != 0 && ComplexPairs.TryPrecise(res[ComplexPairs.Sums + j], p, sumUlps, dst) ? FpEvents.None
                            : AcrossOutputsWide.Alone(v, DType.Complex64, n, s, dst, DType.Float32, p);
                        memo.Enter(lh, v, dst, e);
                        ev |= e;
                    }
                g++;
                continue;
            }
            Fill(c, s, n, buf);
            long ulps = ComplexShortRows.Roots(kind, n, p, buf, res);
            int from = (int)((long)g * Lines - k);
            if (Avx512F.IsSupported)
            {
                ev |= StoreGroup(res, ulps, c, n, s, o + k * os, os, from, p, ref memo); // the same test lane-wise
                continue;
            }
            for (long j = from; j < Lines; j++)
            {
                byte* dst = o + (k + j) * os;
                if (!LaneAcross.TryStoreSingle(res[j], ulps, dst))
                    ev |= memo.Alone(c + 8 * j, DType.Complex64, n, s, dst, DType.Float32, p);
            }
        }
        return ev;
    }

    /// <summary>Rows of s filled and summed at a time by <see cref="LongGroups"/>.</summary>
    private const int Chunk = 64;

    /// <summary>General-p columns of 65 … <see cref="MaxLongGeneral"/> values, eight at a time: the s values of
    /// <see cref="Chunk"/> rows filled as for short columns, each lane's NarrowLaneSums term of them added to its plain
    /// sum chunk after chunk (the same terms and root as ComplexShortRows' general kind; the bound there with ≤ 4095
    /// additions, ≤ 2⁻⁴¹, instead of 63: the root within 2⁻³⁹·⁵/min(1, |p|), the store test's 2⁻³⁶/min(1, |p|) a factor
    /// 11 away), then the root and the float32 proof, else the column alone.</summary>
    private static FpEvents LongGroups(ReductionPlan plan, byte* x, double p, byte* o, int g0, int g1)
        => RealKernels.Wide ? (ComplexShortRows.ClampsTerms(p) ? LongGroups<Lanes512, NarrowLaneSums.Clamped>(plan, x, p, o, g0, g1)
                                                               : LongGroups<Lanes512, NarrowLaneSums.InRange>(plan, x, p, o, g0, g1))
                            : (ComplexShortRows.ClampsTerms(p) ? LongGroups<Lanes256, NarrowLaneSums.Clamped>(plan, x, p, o, g0, g1)
                                                               : LongGroups<Lanes256, NarrowLaneSums.InRange>(plan, x, p, o, g0, g1));

    private static FpEvents LongGroups<L, R>(ReductionPlan plan, byte* x, double p, byte* o, int g0, int g1)
        where L : struct, ILanes<L> where R : struct, NarrowLaneSums.ITerms
    {
        int n = (int)plan.InnerCount;
        long outs = plan.OuterCount, s = plan.InnerStrides[0], os = plan.OuterOutStrides[0];
        double* buf = stackalloc double[Chunk * Lines];
        double* res = stackalloc double[Lines];
        double* tab = VecLogExp.Tables;
        var halfP = L.Create(0.5 * p);
        var zeroTerm = L.Create(p > 0 ? 0 : double.NaN);
        long ulps = NarrowLaneSums.Ulps(p);
        byte* c0 = x + plan.InnerBaseOffset;
        var ev = FpEvents.None;
        LineMemo.Init(out var memo);
        for (int g = g0; g < g1; g++)
        {
            long k = Math.Min((long)g * Lines, outs - Lines);
            byte* c = c0 + 8 * k;
            L a0 = L.Zero, a1 = L.Zero; // lanes 0 … L.Count − 1 and (256-bit) L.Count … 7
            for (int i0 = 0; i0 < n; i0 += Chunk)
            {
                int len = Math.Min(Chunk, n - i0);
                Fill(c + i0 * s, s, len, buf);
                for (int i = 0; i < len; i++)
                {
                    a0 += NarrowLaneSums.Term<L, R>(L.Load(buf + i * Lines), halfP, zeroTerm, tab);
                    if (L.Count < Lines) a1 += NarrowLaneSums.Term<L, R>(L.Load(buf + i * Lines + L.Count), halfP, zeroTerm, tab);
                }
            }
            NarrowLaneSums.Root(a0, p, tab).Store(res);
            if (L.Count < Lines) NarrowLaneSums.Root(a1, p, tab).Store(res + L.Count);
            for (int j = (int)((long)g * Lines - k); j < Lines; j++)
            {
                byte* dst = o + (k + j) * os;
                if (!LaneAcross.TryStoreSingle(res[j], ulps, dst))
                    ev |= memo.Alone(c + 8 * j, DType.Complex64, n, s, dst, DType.Float32, p);
            }
        }
        return ev;
    }

    /// <summary><see cref="LongTerms"/>' columns, eight at a time: each lane sums its column's terms straight from the
    /// rows (<see cref="ColumnSquares"/>, no buffer: the same s as <see cref="Fill"/>) by
    /// <see cref="ComplexShortRows.KindRoots"/> — the lane sums, roots and bound of short columns, with n additions — and
    /// the proven float32 roundings are stored; the rest alone.</summary>
    private static FpEvents TermGroups(ReductionPlan plan, byte* x, double p, byte* o, int g0, int g1)
    {
        long n = plan.InnerCount, outs = plan.OuterCount, s = plan.InnerStrides[0], os = plan.OuterOutStrides[0];
        int kind = ComplexShortRows.KindOf(p);
        double* res = stackalloc double[ComplexPairs.Scratch];
        byte* c0 = x + plan.InnerBaseOffset;
        var ev = FpEvents.None;
        LineMemo.Init(out var memo);
        for (int g = g0; g < g1; g++)
        {
            long k = Math.Min((long)g * Lines, outs - Lines);
            byte* c = c0 + 8 * k;
            long ulps = ComplexShortRows.KindRoots(kind, n, new ColumnSquares(c, s), res);
            ev |= StoreGroup(res, ulps, c, n, s, o + k * os, os, (int)((long)g * Lines - k), p, ref memo);
        }
        return ev;
    }

    /// <summary>A group's eight roots (<paramref name="res"/>, columns at <paramref name="c"/>) stored lane-wise from
    /// output <paramref name="from"/> on where <see cref="LaneAcross.TryStoreSingles"/> proves them correctly rounded;
    /// each other column alone (<see cref="LineMemo.Alone"/>).</summary>
    private static FpEvents StoreGroup(double* res, long ulps, byte* c, long n, long s, byte* og, long os, int from, double p, ref LineMemo memo)
    {
        var ev = FpEvents.None;
        for (uint bad = LaneAcross.TryStoreSingles(res, ulps, og, os, from); bad != 0; bad &= bad - 1)
        {
            int j = System.Numerics.BitOperations.TrailingZeroCount(bad);
            ev |= memo.Alone(c + 8 * j, DType.Complex64, n, s, og + j * os, DType.Float32, p);
        }
        return ev;
    }

    /// <summary>s = fl(re² + im²) of row i of the eight adjacent complex64 columns at <paramref name="c"/> (rows
    /// <paramref name="s"/> bytes apart), in column order: both squares exact in double, one rounding (the value of
    /// <see cref="Fill"/>).</summary>
    private readonly struct ColumnSquares(byte* c, long s) : IC64Squares
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public L Load<L>(long i, int h) where L : struct, ILanes<L>
        {
            float* f = (float*)(c + i * s) + 2 * h;
            if (typeof(L) == typeof(Lanes512))
            {
                var w0 = Avx512F.ConvertToVector512Double(Vector256.Load(f));     // re0 im0 … re3 im3
                var w1 = Avx512F.ConvertToVector512Double(Vector256.Load(f + 8)); // re4 im4 … re7 im7
                var re = Avx512F.PermuteVar8x64x2(w0, Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14), w1);
                var im = Avx512F.PermuteVar8x64x2(w0, Vector512.Create(1L, 3, 5, 7, 9, 11, 13, 15), w1);
                return Unsafe.BitCast<Vector512<double>, L>(Vector512.FusedMultiplyAdd(re, re, im * im));
            }
            var (lo, hi) = Vector256.Widen(Vector256.Load(f)); // re0 im0 re1 im1 | re2 im2 re3 im3
            var m = Avx.HorizontalAdd(lo * lo, hi * hi);            // s0 s2 s1 s3
            return Unsafe.BitCast<Vector256<double>, L>(Avx2.Permute4x64(m, 0b11_01_10_00));
        }
    }

    /// <summary>s of the eight adjacent columns at <paramref name="c"/>, value i of column r at buf[8i + r].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Fill(byte* c, long s, int n, double* buf)
    {
        for (int i = 0; i < n; i++)
        {
            C64Squares.Load(c + i * s, out var s0, out var s1); // outputs 0, 2, 1, 3 | 4, 6, 5, 7
            Avx2.Permute4x64(s0, 0b11_01_10_00).Store(buf + i * Lines);
            Avx2.Permute4x64(s1, 0b11_01_10_00).Store(buf + i * Lines + 4);
        }
    }
}
