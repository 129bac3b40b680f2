using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormManaged.Engine;

/// <summary>float16 ord 1 over many lines of one reduced axis (any stride): each line's double sum of |x|, rounded
/// once to float16. The sum is exact: a float16 magnitude is a multiple of 2⁻²⁴ below 2¹⁶, so any partial sum of at
/// most <see cref="MaxLine"/> = 2¹³ of them is a multiple of 2⁻²⁴ below 2²⁹ — 53 bits, a double — whatever the order.
/// One rounding of the exact sum (<see cref="ResultWriter"/>: ties to even, the overflow event when it exceeds
/// float16) is the correctly rounded norm, the unique value the line reduced alone gives. A line holding NaN or ∞
/// goes alone. Before, such rows went through the block driver one output at a time (~150 ns a row of four).
/// Lines of other strides (session 30): short ones counted in integer units of 2⁻²⁴, longer ones gathered and widened
/// by the vector conversion (not the software (double)Half cast per element): (600, 800) `[::2, ::3]` rows 281 → 69 µs,
/// Fortran-order rows 851 → 223 µs.</summary>
internal static unsafe class HalfRows
{
    /// <summary>Longest line taken (the exactness bound above).</summary>
    private const long MaxLine = 1 << 13;

    public static bool Applies(ReductionPlan plan, DType t, DType ot, double p)
        => t == DType.Float16 && ot == DType.Float16 && p == 1 && plan.InnerShape.Length == 1 && plan.OuterCount >= 2
           && plan.InnerCount >= 1 && plan.InnerCount <= MaxLine;

    public static FpEvents Run(ReductionPlan plan, byte* x, byte* o)
    {
        long outer = plan.OuterCount;
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && outer * plan.InnerCount >= BlockDriver.ParallelThreshold)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(outer, threads, (lo, n) => Lines(plan, (byte*)xb, (byte*)ob, lo, n));
        }
        return Lines(plan, x, o, 0, outer);
    }

    private static FpEvents Lines(ReductionPlan plan, byte* x, byte* o, long start, long count)
    {
        long n = plan.InnerCount, stride = plan.InnerStrides[0];
        if (stride == 2 && plan.OuterShape.Length == 1 && n <= Chunk)
            return Rows(x + plan.InnerBaseOffset + start * plan.OuterInStrides[0], plan.OuterInStrides[0],
                        o + start * plan.OuterOutStrides[0], plan.OuterOutStrides[0], (int)n, count);
        var ev = FpEvents.None;
        var it = new OuterIterator(plan, x, o, start, count);
        bool gather = n >= GatherFrom;
        ushort* hb = stackalloc ushort[gather ? Chunk : 1];
        float* fb = stackalloc float[gather ? Chunk : 1];
        while (it.Next(out byte* xp, out byte* dst))
        {
            byte* v = xp + plan.InnerBaseOffset;
            double s = gather ? GatheredAbsSum(v, n, stride, hb, fb) : UnitsAbsSum(v, n, stride);
            Half h = (Half)s; // one rounding, ties to even (ResultWriter's conversion)
            if (Half.IsFinite(h)) Unsafe.WriteUnaligned(dst, h);
            else ev |= double.IsFinite(s) ? ResultWriter.Store(DType.Float16, dst, s, 0, 0) // overflow: ∞ and its event
                : AcrossOutputsWide.Alone(v, DType.Float16, n, stride, dst, DType.Float16, 1);
        }
        return ev;
    }

    /// <summary>Halves widened per call to floats (the buffer, 4 KB).</summary>
    private const int Chunk = 1024;

    /// <summary>Shortest line of other layouts widened through a buffer (<see cref="GatheredAbsSum"/>); shorter ones
    /// are counted in integer units (<see cref="UnitsAbsSum"/>), cheaper than the vector conversion's call there (A/B,
    /// float16 rows of 16 / 48 values F-order / three apart ~1.15× faster counted, F-order rows of 32 ~1.25× slower).</summary>
    private const long GatherFrom = 32;

    /// <summary>Σ|x| of a short line of any stride, counted in integer units of 2⁻²⁴ (|x| = m·2^(e−1) units for a
    /// biased exponent e ≥ 1 and the significand m with its leading bit, the stored bits for e = 0; below 2⁵³ units
    /// for <see cref="MaxLine"/> elements), so exactly the double sum; ∞ for a line holding NaN or ∞ (then taken alone
    /// by the caller, as the double sum's non-finite value was).</summary>
    private static double UnitsAbsSum(byte* v, long n, long stride)
    {
        long units = 0;
        int top = 0;
        for (long i = 0; i < n; i++)
        {
            int b = Unsafe.ReadUnaligned<ushort>(v + i * stride) & 0x7FFF;
            int e = b >> 10;
            top = Math.Max(top, b);
            units += e == 0 ? b : (long)((b & 0x3FF) | 0x400) << (e - 1);
        }
        return top >= 0x7C00 ? double.PositiveInfinity : units * (1.0 / (1 << 24));
    }

    /// <summary>Σ|x| of a line of any stride: its halves copied (as bits) to <paramref name="hb"/> a chunk at a time,
    /// widened by the vector conversion, summed by <see cref="AbsSum"/> — exact in any grouping (see the type's summary),
    /// so the bits of the element-by-element sum. The scalar (double)Half cast was ~75 % of float16 `[::2, ::3]` rows
    /// (a software conversion call per element).</summary>
    private static double GatheredAbsSum(byte* v, long n, long stride, ushort* hb, float* fb)
    {
        double s = 0;
        for (long i0 = 0; i0 < n; i0 += Chunk)
        {
            int k = (int)Math.Min(Chunk, n - i0);
            byte* q = v + i0 * stride;
            ushort* src = (ushort*)q;
            if (stride != 2)
            {
                for (int i = 0; i < k; i++) hb[i] = Unsafe.ReadUnaligned<ushort>(q + i * stride);
                src = hb;
            }
            System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(src, k), new Span<float>(fb, k));
            s += AbsSum(fb, k);
        }
        return s;
    }

    /// <summary>Contiguous lines <paramref name="lineStride"/> bytes apart (one kept axis): widened to floats by
    /// TensorPrimitives' vector conversion (exact; several adjacent lines per call), each line's |x| summed in double
    /// vector lanes — exact in any order, so the same sum — and rounded once as in <see cref="Lines"/>. The scalar
    /// (double)Half cast was ~45 % of (3000, 16) ord 1.</summary>
    private static FpEvents Rows(byte* x, long lineStride, byte* o, long outStride, int n, long count)
    {
        float* buf = stackalloc float[Chunk];
        bool joined = lineStride == 2L * n;
        int per = joined ? Chunk / n : 1;
        var ev = FpEvents.None;
        for (long r = 0; r < count; r += per)
        {
            int k = (int)Math.Min(per, count - r);
            System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(
                new ReadOnlySpan<Half>(x + r * lineStride, k * n), new Span<float>(buf, k * n));
            for (int j = 0; j < k; j++)
            {
                double s = AbsSum(buf + j * n, n);
                byte* dst = o + (r + j) * outStride;
                Half h = (Half)s;
                if (Half.IsFinite(h)) Unsafe.WriteUnaligned(dst, h);
                else ev |= double.IsFinite(s) ? ResultWriter.Store(DType.Float16, dst, s, 0, 0)
                    : AcrossOutputsWide.Alone(x + (r + j) * lineStride, DType.Float16, n, 2, dst, DType.Float16, 1);
            }
        }
        return ev;
    }

    /// <summary>Σ|f| of <paramref name="n"/> floats in double lanes (exact here: see the type's summary).</summary>
    private static double AbsSum(float* f, int n)
    {
        var a0 = Vector256<double>.Zero; var a1 = Vector256<double>.Zero;
        int i = 0;
        for (; i <= n - 8; i += 8)
        {
            var (lo, hi) = Vector256.Widen(Vector256.Load(f + i));
            a0 += Vector256.Abs(lo); a1 += Vector256.Abs(hi);
        }
        double s = Vector256.Sum(a0 + a1);
        for (; i < n; i++) s += Math.Abs((double)f[i]);
        return s;
    }
}
