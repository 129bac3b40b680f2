using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormManaged.Engine;

/// <summary>Reductions of N-D views whose kept axes do not merge and whose slabs no kernel takes — axis 0 of
/// <c>a[::2, :, ::3]</c>, axes (0, 1) of <c>a[:, ::-2, 1:]</c>, axis 2 of <c>a[..., ::2].T</c> — which went line by line,
/// every element from another cache line (float32 ord 1 over axis 0 of a (60, 80, 100) array's <c>[::2, :, ::3]</c>
/// 0.06× NumPy, complex64 ±∞ 0.06×, float64 ±∞ 0.18–0.27×). Blocks of up to <see cref="MaxBand"/> outputs, taken in
/// a walk whose innermost kept axis has the smallest stride, have their lines copied into one buffer that stays in L2,
/// as the rows of a C-order matrix (when a line's elements lie closer together than the lines do) or as its columns
/// (otherwise: each reduced position of the block read across the nearby outputs), and the kernel chain
/// (<see cref="VectorNorms.Dispatch"/>) reduces the block as that matrix into a small result buffer, which is then
/// stored to the outputs.
///
/// <para>Bits: a copied line holds its elements in the plan's reduced order, the order its walk in place reads
/// them, and every route of the chain gives a line the bits of its 1-D reduction, so results do not depend on the
/// blocks, the walk or the thread count (the tests compare each output with its line alone and the contiguous
/// copy).</para>
///
/// <para>Memory: one buffer of <see cref="ColumnBands.BandBytes"/> per thread, whatever the input's size (not the
/// band buffer of <see cref="ColumnBands"/>, which the chain may use for a block).</para></summary>
internal static unsafe class Repack
{
    /// <summary>Most outputs in a block (the result and pointer buffers are on the stack).</summary>
    private const int MaxBand = 1024;

    /// <summary>Fewest outputs (a block narrower than the lane kernels' eight lanes gains nothing).</summary>
    private const int MinOutputs = 8;

    [ThreadStatic] private static byte[]? t_block;

    /// <summary>Every output of <paramref name="plan"/> block by block when it has several kept or several reduced
    /// axes (after merging), at least <see cref="MinOutputs"/> outputs and lines short enough that eight fit the buffer;
    /// false, with nothing written, otherwise.</summary>
    public static bool TryRun(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p, bool floatFastTried, out FpEvents ev)
    {
        ev = FpEvents.None;
        if (plan.OuterShape.Length < 2 && plan.InnerShape.Length < 2) return false;
        if (t is DType.LongDouble or DType.CLongDouble || ot is DType.LongDouble or DType.CLongDouble) return false;
        long outs = plan.OuterCount, n = plan.InnerCount;
        int es = DTypes.ItemSize(t), oes = DTypes.ItemSize(ot);
        if (outs < MinOutputs || n < 2 || n * es * MinOutputs > ColumnBands.BandBytes) return false;
        // lines read in runs (the innermost reduced axis contiguous) are read well in place: the copy only added to
        // them ([:, ::-2, 1:] axis 2, C-order axes (0, 2), int16 / int32 / bool / complex64 42–85 → 96–180 µs)
        if (plan.InnerStrides[0] == es) return false;
        // orders whose lines the chain reads faster in place (A/B over (60, 80, 100) views): complex128 ord 3 (the lane
        // kernels' columns, 25–35 % slower), integer negative orders but bool's (lines with a zero stop early in place:
        // 47 → 110 µs). complex64 −1 / ½ / 3 were declined too until Complex64Columns took long columns of them
        // (TermGroups); copied now, [::2, :, ::3] axis 1 ord 3 77 → 57 µs, [..., ::2].T axis 1 186 → 155, the rest alike.
        // complex128 lines ComplexLaneSums takes: its lanes read them in place, adjacent lines by wide loads (A/B over
        // (60, 80, 100) views, session 28: ord 1.7 [:, ::-2, 1:] axis 0 1048 → 490 µs, [..., ::2].T axis 2 1091 → 643,
        // .transpose(2, 0, 1) axis 0 1352 → 941, ord 5 [::2, :, ::3] axis 0 195 → 155, the rest alike)
        if ((t == DType.Complex128 && (p == 3 || ComplexLaneSums.Applies(plan, t, p)))
            || (IntRows.IsInteger(t) && t != DType.Bool && p < 0 && !double.IsNegativeInfinity(p))) return false;
        var walk = plan.OuterShape.Length > 1 ? plan.OuterByStride() : plan;
        // integer lines of adjacent outputs at the cheap orders: IntRows widens them in place (Fortran bool axes
        // (1, 2) 218 → 325 µs); the costly ones gain (int32 C-order axis 1 ord 3 636 → 310 µs, bool −1 900 → 315)
        if (IntRows.IsInteger(t) && Math.Abs(walk.OuterInStrides[^1]) == es && IntRows.CheapOrder(p)) return false;
        // rows when a line's elements lie closer together than neighbouring outputs' lines — and for complex128 lines
        // longer than 64 at the orders without a column kernel (3, 4, 2.5 here: ComplexLaneSums' orders were declined
        // above): the chain reduces those line by
        // line (LanePow), which gathered each line back out of a column block (A/B, (60, 80, 100) F axis 2 / C axis 1,
        // ord 1.5 / 1.7 / −0.5 / 0.3 / 5 / 2.5 / 4 7–28 % faster as rows; −2, whose kernel takes columns, not)
        bool rows = plan.InnerStrides[0] <= Math.Abs(walk.OuterInStrides[^1])
                    || (t == DType.Complex128 && n > ComplexLaneSums.MaxLength && !(p is 2 or 1 or 0.5 or -1 or -2 or 0 || double.IsInfinity(p)));
        int w = (int)Math.Min(outs, Math.Min(MaxBand, ColumnBands.BandBytes / (n * es)));
        if (w < outs) w &= ~7;
        long blocks = (outs + w - 1) / w;
        var job = new Job(walk, x, o, t, ot, p, floatFastTried, rows, w, es, oes);
        int threads = Parallelism.MaxThreads;
        ev = threads > 1 && blocks > 1 && outs * n >= Parallelism.CostlyElements
            ? Parallelism.ForOutputRanges(blocks, threads, (b0, count) => Blocks(job, b0, b0 + count))
            : Blocks(job, 0, blocks);
        return true;
    }

    private sealed class Job(ReductionPlan walk, byte* x, byte* o, DType t, DType ot, double p, bool tried, bool rows, int w, int es, int oes)
    {
        public readonly ReductionPlan Walk = walk;
        public readonly nint X = (nint)x, O = (nint)o;
        public readonly DType T = t, Ot = ot;
        public readonly double P = p;
        public readonly bool Tried = tried, Rows = rows;
        public readonly int W = w, Es = es, Oes = oes;
    }

    /// <summary>Blocks b0 … b1 − 1 (outputs b·W … of the walk).</summary>
    private static FpEvents Blocks(Job j, long b0, long b1)
    {
        var walk = j.Walk;
        long outs = walk.OuterCount, n = walk.InnerCount;
        int w = j.W, es = j.Es, oes = j.Oes;
        byte* buf = ColumnBands.Pinned(ref t_block, ColumnBands.BandBytes);
        byte** src = stackalloc byte*[w];
        byte** dst = stackalloc byte*[w];
        byte* res = stackalloc byte[w * oes];
        long first = b0 * w, count = Math.Min(outs, b1 * w) - first;
        var it = new OuterIterator(walk, (byte*)j.X, (byte*)j.O, first, count);
        var ev = FpEvents.None;
        ReductionPlan? full = null;
        while (count > 0)
        {
            int k = (int)Math.Min(w, count);
            for (int i = 0; i < k; i++)
            {
                it.Next(out byte* xp, out byte* d);
                src[i] = xp + walk.InnerBaseOffset; dst[i] = d;
            }
            count -= k;
            switch (es)
            {
                case 1: Copy<byte>(walk, src, k, j.Rows, buf); break;
                case 2: Copy<ushort>(walk, src, k, j.Rows, buf); break;
                case 4: Copy<uint>(walk, src, k, j.Rows, buf); break;
                case 8: Copy<ulong>(walk, src, k, j.Rows, buf); break;
                default: Copy<Int128>(walk, src, k, j.Rows, buf); break;
            }
            var band = k == w ? full ??= Band(j.Rows, k, n, es, oes) : Band(j.Rows, k, n, es, oes);
            ev |= VectorNorms.Dispatch(band, buf, j.T, res, j.Ot, j.P, j.Tried);
            // the results to their outputs: typed moves for the float64 / float32 results (a Memmove call each was 5 %
            // of float32 ord 1 over axis 0 of a[::2, :, ::3])
            if (oes == 8) for (int i = 0; i < k; i++) Unsafe.WriteUnaligned(dst[i], Unsafe.ReadUnaligned<ulong>(res + i * 8));
            else if (oes == 4) for (int i = 0; i < k; i++) Unsafe.WriteUnaligned(dst[i], Unsafe.ReadUnaligned<uint>(res + i * 4));
            else for (int i = 0; i < k; i++) Unsafe.CopyBlockUnaligned(dst[i], res + i * oes, (uint)oes);
        }
        return ev;
    }

    /// <summary>The block as the chain sees it: k contiguous rows of n, or k adjacent columns of n rows.</summary>
    private static ReductionPlan Band(bool rows, int k, long n, int es, int oes)
        => rows ? ReductionPlan.Lines(k, n * es, oes, n, es) : ReductionPlan.Lines(k, es, oes, n, (long)k * es);

    /// <summary>Marks each group of <paramref name="g"/> lines (<paramref name="spacing"/>[j] for lines g·j … g·j + g − 1)
    /// whose starts are two or three elements of <paramref name="es"/> bytes apart — 4-byte elements (g = 16): axis 2 of
    /// float32 <c>a[..., ::2].T</c>, axis 0 of <c>a[::2, :, ::3]</c>; 8-byte ones (g = 8): the same views of float64,
    /// int64 and complex64 — with that spacing in bytes, so that <see cref="Copy{T}"/> can read the group's elements by
    /// the wide loads of <see cref="EvenWords"/>; any other group (lines of another spacing, or of none: a group
    /// spanning two rows of outputs) as <see cref="Gathered"/> with its lines' offsets from its first line in
    /// <paramref name="gofs"/>[g·j …] when AVX2 is there and they fit 32 bits (gathers measured faster than the
    /// value-by-value copy there, slower than the wide loads), else 0; false when no group is marked.</summary>
    private static bool MarkSpacedGroups(byte** src, int k, int g, int es, byte* spacing, int* gofs)
    {
        bool any = false;
        for (int j = 0; j < k / g; j++)
        {
            bool ok = EvenWords.Uniform(src + g * j, g, out long d) && Avx512F.IsSupported && (d == 2 * es || d == 3 * es);
            spacing[j] = ok ? (byte)d : (byte)0;
            any |= ok;
            if (ok || !Avx2.IsSupported) continue;
            // lines of no common spacing (a group spanning two rows of outputs): gathered when every offset from the
            // group's first line fits the gathers' 32-bit indices
            byte* first = src[g * j];
            bool fits = true;
            for (int i = 0; i < g; i++)
            {
                long o = src[g * j + i] - first;
                fits &= o >= int.MinValue && o <= int.MaxValue;
                gofs[g * j + i] = (int)o;
            }
            if (fits) { spacing[j] = Gathered; any = true; }
        }
        return any;
    }

    /// <summary>A group of <see cref="MarkSpacedGroups"/> read by AVX2 gathers.</summary>
    private const byte Gathered = 1;

    /// <summary>The k lines starting at <paramref name="src"/>[i], each walked in the plan's reduced order (innermost
    /// reduced axis fastest), into <paramref name="buf"/>: line i as row i (rows) or as column i of a k-wide matrix.</summary>
    private static void Copy<T>(ReductionPlan walk, byte** src, int k, bool rows, byte* buf) where T : unmanaged
    {
        var shape = walk.InnerShape;
        var strides = walk.InnerStrides;
        int d = shape.Length;
        long n0 = shape[0], s0 = strides[0];
        Span<long> idx = stackalloc long[d];
        idx.Clear(); // the module skips locals init
        T* b = (T*)buf;
        // groups of lines two or three elements apart, for 4- and 8-byte elements: a row of the group by wide loads
        int g = typeof(T) == typeof(uint) ? 16 : 8;
        byte* spacing = stackalloc byte[k / g + 1];
        int* gofs = stackalloc int[k / g * g + 1]; // a gathered group's lines' offsets from its first line
        bool pairs = !rows && (typeof(T) == typeof(uint) || typeof(T) == typeof(ulong)) && MarkSpacedGroups(src, k, g, sizeof(T), spacing, gofs);
        long off = 0, r = 0; // offset of the current run of the innermost reduced axis; its first position in the line
        while (true)
        {
            if (rows)
                for (int i = 0; i < k; i++)
                {
                    byte* s = src[i] + off;
                    T* t = b + i * walk.InnerCount + r;
                    for (long q = 0; q < n0; q++, s += s0) t[q] = Unsafe.ReadUnaligned<T>(s);
                }
            else if (pairs)
                for (long q = 0; q < n0; q++)
                {
                    long at = off + q * s0;
                    T* t = b + (r + q) * k;
                    int i = 0;
                    for (; i + g <= k; i += g)
                    {
                        switch (spacing[i / g])
                        {
                            case 8: EvenWords.Load16(src[i] + at, (uint*)(t + i)); break; // 16 words two apart
                            case 12: EvenWords.Thirds16(src[i] + at).Store((uint*)(t + i)); break; // three apart
                            case 16: EvenWords.EvenQwords8(src[i] + at).Store((ulong*)(t + i)); break; // 8 quadwords two apart
                            case 24: EvenWords.ThirdQwords8(src[i] + at).Store((ulong*)(t + i)); break; // three apart
                            case Gathered when typeof(T) == typeof(uint):
                                Avx2.GatherVector256((int*)(src[i] + at), Vector256.Load(gofs + i), 1).Store((int*)(t + i));
                                Avx2.GatherVector256((int*)(src[i] + at), Vector256.Load(gofs + i + 8), 1).Store((int*)(t + i + 8));
                                break;
                            case Gathered:
                                Avx2.GatherVector256((long*)(src[i] + at), Vector128.Load(gofs + i), 1).Store((long*)(t + i));
                                Avx2.GatherVector256((long*)(src[i] + at), Vector128.Load(gofs + i + 4), 1).Store((long*)(t + i + 4));
                                break;
                            default:
                                for (int j = i; j < i + g; j++) t[j] = Unsafe.ReadUnaligned<T>(src[j] + at);
                                break;
                        }
                    }
                    for (; i < k; i++) t[i] = Unsafe.ReadUnaligned<T>(src[i] + at);
                }
            else
                for (long q = 0; q < n0; q++)
                {
                    long at = off + q * s0;
                    T* t = b + (r + q) * k;
                    for (int i = 0; i < k; i++) t[i] = Unsafe.ReadUnaligned<T>(src[i] + at);
                }
            r += n0;
            // next run: the odometer over the outer reduced axes
            int a = 1;
            for (; a < d; a++)
            {
                off += strides[a];
                if (++idx[a] < shape[a]) break;
                off -= strides[a] * shape[a];
                idx[a] = 0;
            }
            if (a == d) return;
        }
    }
}
