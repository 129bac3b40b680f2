using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>max |x| (p = +∞) and min |x| (p = −∞) of contiguous float32 / float64 rows, read in their own width
/// (no widening buffer): for non-negative IEEE values the sign-cleared bit pattern, read as a signed integer, is
/// ordered like the value, and every NaN pattern lies above +∞'s. One integer max gives the maximum and NaN presence;
/// for p = −∞ an integer min gives the minimum and the max only serves the NaN test (numpy: NaN wins). Both are exact,
/// so any lane structure, SIMD width or split over threads gives the same value, and it is the value
/// <see cref="StatsOp"/> / <see cref="MaxAbsOp"/> store (widening is exact, the stored value is rounded once).</summary>
internal static unsafe class FloatMinMax
{
    /// <summary>Elements per part when a single large row is split over threads.</summary>
    private const long SplitElements = 1L << 17;

    public static bool Applies(ReductionPlan plan, DType t, double p)
        => double.IsInfinity(p) && plan.InnerShape.Length == 1 && plan.InnerCount > 0
           && ((t == DType.Float32 && plan.InnerStrides[0] == 4) || (t == DType.Float64 && plan.InnerStrides[0] == 8));

    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p)
    {
        long outer = plan.OuterCount, n = plan.InnerCount;
        bool min = p < 0, f32 = t == DType.Float32;
        int threads = Parallelism.MaxThreads;
        if (outer == 0) return FpEvents.None;
        if (outer == 1)
        {
            byte* start = x + plan.InnerBaseOffset;
            long lo = 0, hi = 0;
            if (threads > 1 && n >= BlockDriver.ParallelThreshold)
            {
                int parts = (int)Math.Min(threads, n / SplitElements);
                var los = new long[parts]; var his = new long[parts];
                nint b = (nint)start;
                Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = threads }, k =>
                {
                    long a = n * k / parts, e = n * (k + 1) / parts;
                    Scan((byte*)b + a * (f32 ? 4 : 8), e - a, f32, out los[k], out his[k]);
                });
                lo = los[0]; hi = his[0];
                for (int k = 1; k < parts; k++) { lo = Math.Min(lo, los[k]); hi = Math.Max(hi, his[k]); }
            }
            else Scan(start, n, f32, out lo, out hi);
            return Store(lo, hi, f32, min, o, ot);
        }
        if (threads > 1 && outer * n >= BlockDriver.ParallelThreshold)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(outer, threads, (first, count) =>
            {
                var it = new OuterIterator(plan, (byte*)xb, (byte*)ob, first, count);
                var ev = FpEvents.None;
                while (it.Next(out byte* xp, out byte* dst))
                {
                    Scan(xp + plan.InnerBaseOffset, n, f32, out long l, out long h);
                    ev |= Store(l, h, f32, min, dst, ot);
                }
                return ev;
            });
        }
        var ev1 = FpEvents.None;
        var it1 = new OuterIterator(plan, x, o);
        while (it1.Next(out byte* xp, out byte* dst))
        {
            Scan(xp + plan.InnerBaseOffset, n, f32, out long l, out long h);
            ev1 |= Store(l, h, f32, min, dst, ot);
        }
        return ev1;
    }

    private static FpEvents Store(long lo, long hi, bool f32, bool min, byte* dst, DType ot)
    {
        long infBits = f32 ? 0x7F80_0000L : 0x7FF0_0000_0000_0000L;
        if (hi > infBits) return ResultWriter.Store(ot, dst, double.NaN, 0, 0);
        long bits = min ? lo : hi;
        double v = f32 ? BitConverter.Int32BitsToSingle((int)bits) : BitConverter.Int64BitsToDouble(bits);
        return ResultWriter.Store(ot, dst, v, 0, 0);
    }

    /// <summary>Min and max of the sign-cleared bit patterns of <paramref name="n"/> ≥ 1 contiguous elements.</summary>
    internal static void Scan(byte* p, long n, bool f32, out long lo, out long hi)
    {
        if (f32) { Scan32((int*)p, n, out int l, out int h); lo = l; hi = h; }
        else Scan64((long*)p, n, out lo, out hi);
    }

    private static void Scan32(int* p, long n, out int lo, out int hi)
    {
        const int mask = 0x7FFF_FFFF;
        long i = 0;
        int mn = int.MaxValue, mx = 0;
        if (RealKernels.Wide && n >= 64)
        {
            var m = Vector512.Create(mask);
            Vector512<int> a0 = Vector512.Create(int.MaxValue), a1 = a0, b0 = Vector512<int>.Zero, b1 = b0;
            for (; i <= n - 32; i += 32)
            {
                var v0 = Vector512.Load(p + i) & m; var v1 = Vector512.Load(p + i + 16) & m;
                a0 = Vector512.Min(a0, v0); a1 = Vector512.Min(a1, v1);
                b0 = Vector512.Max(b0, v0); b1 = Vector512.Max(b1, v1);
            }
            var a = Vector512.Min(a0, a1); var b = Vector512.Max(b0, b1);
            for (int j = 0; j < 16; j++) { mn = Math.Min(mn, a.GetElement(j)); mx = Math.Max(mx, b.GetElement(j)); }
        }
        else if (Vector256.IsHardwareAccelerated && n >= 32)
        {
            var m = Vector256.Create(mask);
            Vector256<int> a0 = Vector256.Create(int.MaxValue), a1 = a0, b0 = Vector256<int>.Zero, b1 = b0;
            for (; i <= n - 16; i += 16)
            {
                var v0 = Vector256.Load(p + i) & m; var v1 = Vector256.Load(p + i + 8) & m;
                a0 = Vector256.Min(a0, v0); a1 = Vector256.Min(a1, v1);
                b0 = Vector256.Max(b0, v0); b1 = Vector256.Max(b1, v1);
            }
            var a = Vector256.Min(a0, a1); var b = Vector256.Max(b0, b1);
            for (int j = 0; j < 8; j++) { mn = Math.Min(mn, a.GetElement(j)); mx = Math.Max(mx, b.GetElement(j)); }
        }
        for (; i < n; i++) { int v = Unsafe.ReadUnaligned<int>(p + i) & mask; mn = Math.Min(mn, v); mx = Math.Max(mx, v); }
        lo = mn; hi = mx;
    }

    private static void Scan64(long* p, long n, out long lo, out long hi)
    {
        const long mask = 0x7FFF_FFFF_FFFF_FFFFL;
        long i = 0;
        long mn = long.MaxValue, mx = 0;
        if (RealKernels.Wide && n >= 32)
        {
            var m = Vector512.Create(mask);
            Vector512<long> a0 = Vector512.Create(long.MaxValue), a1 = a0, b0 = Vector512<long>.Zero, b1 = b0;
            for (; i <= n - 16; i += 16)
            {
                var v0 = Vector512.Load(p + i) & m; var v1 = Vector512.Load(p + i + 8) & m;
                a0 = Vector512.Min(a0, v0); a1 = Vector512.Min(a1, v1);
                b0 = Vector512.Max(b0, v0); b1 = Vector512.Max(b1, v1);
            }
            var a = Vector512.Min(a0, a1); var b = Vector512.Max(b0, b1);
            for (int j = 0; j < 8; j++) { mn = Math.Min(mn, a.GetElement(j)); mx = Math.Max(mx, b.GetElement(j)); }
        }
        else if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            var m = Vector256.Create(mask);
            Vector256<long> a0 = Vector256.Create(long.MaxValue), a1 = a0, b0 = Vector256<long>.Zero, b1 = b0;
            for (; i <= n - 8; i += 8)
            {
                var v0 = Vector256.Load(p + i) & m; var v1 = Vector256.Load(p + i + 4) & m;
                a0 = Vector256.Min(a0, v0); a1 = Vector256.Min(a1, v1);
                b0 = Vector256.Max(b0, v0); b1 = Vector256.Max(b1, v1);
            }
            var a = Vector256.Min(a0, a1); var b = Vector256.Max(b0, b1);
            for (int j = 0; j < 4; j++) { mn = Math.Min(mn, a.GetElement(j)); mx = Math.Max(mx, b.GetElement(j)); }
        }
        for (; i < n; i++) { long v = Unsafe.ReadUnaligned<long>(p + i) & mask; mn = Math.Min(mn, v); mx = Math.Max(mx, v); }
        lo = mn; hi = mx;
    }
}
