using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>The 2-norm of contiguous float32 / complex64 data without a widening buffer: floats are widened in
/// registers and fed to the same 16-lane TwoSum structure as <see cref="RealKernels.AddNarrowSquares"/>, on the
/// same block grid and chunk grouping as <see cref="BlockDriver"/>, so the bits are the driver's for every thread
/// count. A float's square is exact in double (24-bit significand), so the FMA error term of the narrow kernel is
/// always zero and is omitted in the vector loop (adding +0 never changes the compensation, which is never −0).</summary>
internal static unsafe class FloatSquares
{
    public static bool Applies(ReductionPlan plan, DType t, double p)
        => p == 2 && plan.InnerShape.Length == 1 && plan.InnerCount > 0
           && ((t == DType.Float32 && plan.InnerStrides[0] == 4) || (t == DType.Complex64 && plan.InnerStrides[0] == 8));

    /// <summary>The 2-norms of the plan; <paramref name="fastTried"/>: the caller already tried
    /// <see cref="FloatFastPath"/> on this one-output reduction (it is not tried again).</summary>
    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, bool fastTried)
    {
        long outer = plan.OuterCount, inner = plan.InnerCount;
        int width = t == DType.Complex64 ? 2 : 1;
        int threads = Parallelism.MaxThreads;
        if (outer == 0) return FpEvents.None;
        if (outer == 1 && ot == DType.Float32 && !fastTried
            && FloatFastPath.TryRun((float*)(x + plan.InnerBaseOffset), inner * width, o, threads))
            return FpEvents.None;
        if (threads > 1 && outer == 1 && inner >= BlockDriver.ParallelThreshold && inner > BlockDriver.ChunkElements)
            return Chunks((float*)(x + plan.InnerBaseOffset), inner, width, o, ot, threads);
        if (threads > 1 && outer >= 2 && outer * (inner * width + LineFloats) >= BlockDriver.ParallelThreshold)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(outer, threads, (lo, n) => Lines(plan, (byte*)xb, (byte*)ob, lo, n, width, ot));
        }
        return Lines(plan, x, o, 0, outer, width, ot);
    }

    /// <summary>A line's fast-path test and store (a square root, the float conversions and midpoint checks, the
    /// call) cost about as much as summing this many floats: counted with its elements against the thread threshold.
    /// Counting only the elements kept complex64 (3000, 16) ord 2 on one thread — 57 µs, ~19 ns a line, most of it
    /// per line — against NumPy's 70.</summary>
    private const long LineFloats = 64;

    /// <summary>Outputs first … first + count − 1, a line at a time (one outer axis: by its strides, not the iterator).</summary>
    private static FpEvents Lines(ReductionPlan plan, byte* x, byte* o, long first, long count, int width, DType ot)
    {
        long inner = plan.InnerCount;
        bool tryFast = plan.OuterCount > 1; // a single line tried the fast path at the top of Compute
        var ev = FpEvents.None;
        if (plan.OuterShape.Length == 1)
        {
            long si = plan.OuterInStrides[0], so = plan.OuterOutStrides[0];
            byte* xp = x + plan.InnerBaseOffset + first * si, dst = o + first * so;
            for (long k = 0; k < count; k++, xp += si, dst += so)
                ev |= One((float*)xp, inner, width, dst, ot, tryFast);
            return ev;
        }
        var it = new OuterIterator(plan, x, o, first, count);
        while (it.Next(out byte* lp, out byte* d))
            ev |= One((float*)(lp + plan.InnerBaseOffset), inner, width, d, ot, tryFast);
        return ev;
    }

    private static FpEvents One(float* p, long n, int width, byte* dst, DType ot, bool tryFast)
    {
        if (tryFast && ot == DType.Float32 && FloatFastPath.TryRun(p, n * width, dst, 1)) return FpEvents.None;
        ScaledSum total = default, part = default;
        int nb = 0;
        for (long first = 0; first < n; first += DoubleBlocks.BlockElements)
        {
            int len = (int)Math.Min(DoubleBlocks.BlockElements, n - first);
            AddBlock(p + first * width, len * width, ref part);
            if (++nb == BlockDriver.BlocksPerChunk) { total.Add(part); part = default; nb = 0; }
        }
        if (nb > 0) total.Add(part);
        return default(SumSquaresOp).Finish(total, ot, dst);
    }

    private static FpEvents Chunks(float* start, long n, int width, byte* o, DType ot, int threads)
    {
        long ce = BlockDriver.ChunkElements;
        int chunks = (int)((n + ce - 1) / ce);
        var parts = new ScaledSum[chunks];
        nint basePtr = (nint)start;
        Parallelism.For(chunks, threads, c =>
        {
            long first = c * ce, end = Math.Min(n, first + ce);
            ScaledSum part = default;
            for (long b = first; b < end; b += DoubleBlocks.BlockElements)
            {
                int len = (int)Math.Min(DoubleBlocks.BlockElements, end - b);
                AddBlock((float*)basePtr + b * width, len * width, ref part);
            }
            parts[c] = part;
        });
        ScaledSum total = default;
        for (int c = 0; c < chunks; c++) total.Add(parts[c]);
        return default(SumSquaresOp).Finish(total, ot, o);
    }

    /// <summary><see cref="RealKernels.AddNarrowSquares"/> of the <paramref name="n"/> floats at <paramref name="x"/>
    /// widened to double, operation for operation.</summary>
    private static void AddBlock(float* x, int n, ref ScaledSum acc)
    {
        if (n == 0) return;
        int i = 0;
        double hi = 0, lo = 0;
        if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
            Vector256<double> c0 = default, c1 = default, c2 = default, c3 = default;
            for (; i <= n - 16; i += 16)
            {
                var (a0, a1) = Vector256.Widen(Vector256.Load(x + i));
                var (a2, a3) = Vector256.Widen(Vector256.Load(x + i + 8));
                Step(ref s0, ref c0, a0); Step(ref s1, ref c1, a1);
                Step(ref s2, ref c2, a2); Step(ref s3, ref c3, a3);
            }
            double csum = Vector256.Sum((c0 + c1) + (c2 + c3));
            // Through memory, not GetElement(j) in a loop: indexing the accumulators made the JIT keep them on
            // the stack inside the hot loop (a store-to-load round trip on every step of the dependency chain).
            double* sv = stackalloc double[16];
            s0.Store(sv); s1.Store(sv + 4); s2.Store(sv + 8); s3.Store(sv + 12);
            for (int j = 0; j < 16; j++) DD.Add(ref hi, ref lo, sv[j], 0);
            DD.Add(ref hi, ref lo, csum, 0);
        }
        if (i < n)
        {
            double s = 0, c = 0;
            for (; i < n; i++)
            {
                double v = x[i];
                double p = v * v, pe = Math.FusedMultiplyAdd(v, v, -p);
                s = DD.TwoSum(s, p, out double e);
                c += e + pe;
            }
            DD.Add(ref hi, ref lo, s, c);
        }
        if (double.IsFinite(hi) && double.IsFinite(lo)) { acc.Add(0, hi, lo); return; }
        for (int k = 0; k < n; k++)
        {
            if (float.IsNaN(x[k])) { acc.HasNaN = true; return; }
            if (float.IsInfinity(x[k])) acc.HasInf = true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(ref Vector256<double> s, ref Vector256<double> c, Vector256<double> v)
    {
        var p = v * v;
        var t = s + p;
        var bb = t - s;
        c += (s - (t - bb)) + (p - bb);
        s = t;
    }
}
