using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormManaged.Engine;

/// <summary>ord 0 (the number of non-zero elements) of many lines along one reduced axis, every dtype but the
/// extended ones, read in the element's own width: an element is non-zero when its bit pattern with the sign bits
/// cleared (floats; complex: both parts) is not zero — −0 counts as zero, NaN and ∞ as non-zero, as numpy's
/// <c>x != 0</c>. The count is an exact integer rounded once into the result dtype, the value
/// <see cref="StatsOp"/> stores, so neither the lane structure nor the SIMD width nor the split over threads changes
/// a bit. (The block driver widened each short line into a buffer and kept max, min and NaN state besides: 0.2× NumPy
/// on 3000 float64 rows of 4.)</summary>
internal static unsafe class CountRows
{
    /// <summary>Longest line taken: beyond this the block driver's per-line setup no longer matters.</summary>
    private const long MaxLine = 4096;

    public static bool Applies(ReductionPlan plan, DType t, double p)
    {
        if (p != 0 || t is DType.LongDouble or DType.CLongDouble) return false;
        if (plan.InnerShape.Length != 1 || plan.OuterShape.Length < 1 || plan.OuterCount < 2) return false;
        long n = plan.InnerCount, s = plan.InnerStrides[0];
        // lines, not columns: the reduced axis moves no farther than the innermost kept one (columns belong to the
        // across-outputs kernels)
        long so = Math.Abs(plan.OuterInStrides[^1]);
        return n >= 1 && n <= MaxLine && s * n <= so;
    }

    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, byte* o, DType ot)
    {
        long rows = plan.OuterCount, n = plan.InnerCount;
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && rows * n >= BlockDriver.ParallelThreshold)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(rows, threads, (first, count) => Rows(plan, (byte*)xb, t, (byte*)ob, ot, first, count));
        }
        return Rows(plan, x, t, o, ot, 0, rows);
    }

    private static FpEvents Rows(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, long first, long count) => t switch
    {
        DType.Bool or DType.Int8 or DType.UInt8 => Rows<byte>(plan, x, o, ot, first, count, 0xFF),
        DType.Int16 or DType.UInt16 => Rows<ushort>(plan, x, o, ot, first, count, 0xFFFF),
        DType.Float16 => Rows<ushort>(plan, x, o, ot, first, count, 0x7FFF),
        DType.Int32 or DType.UInt32 => Rows<uint>(plan, x, o, ot, first, count, 0xFFFF_FFFF),
        DType.Float32 => Rows<uint>(plan, x, o, ot, first, count, 0x7FFF_FFFF),
        DType.Int64 or DType.UInt64 => Rows<ulong>(plan, x, o, ot, first, count, ulong.MaxValue),
        DType.Float64 => Rows<ulong>(plan, x, o, ot, first, count, 0x7FFF_FFFF_FFFF_FFFFUL),
        DType.Complex64 => Rows<ulong>(plan, x, o, ot, first, count, 0x7FFF_FFFF_7FFF_FFFFUL), // both parts' signs cleared
        _ => Rows<UInt128>(plan, x, o, ot, first, count, new UInt128(0x7FFF_FFFF_FFFF_FFFFUL, 0x7FFF_FFFF_FFFF_FFFFUL)), // complex128
    };

    private static FpEvents Rows<T>(ReductionPlan plan, byte* x, byte* o, DType ot, long first, long count, T mask)
        where T : unmanaged, IBinaryInteger<T>
    {
        var v = new Counter<T>(plan.InnerCount, plan.InnerStrides[0], mask, ot);
        return OuterIterator.ForEach(plan, x, o, first, count, ref v);
    }

    private readonly struct Counter<T>(long n, long s, T mask, DType ot) : ILineVisitor where T : unmanaged, IBinaryInteger<T>
    {
        public FpEvents Line(byte* xp, byte* dst) => Store(Count(xp, n, s, mask), dst, ot);
    }

    private static FpEvents Store(long c, byte* dst, DType ot)
    {
        if (ot == DType.Float64)
        {
            Unsafe.WriteUnaligned(dst, (double)c);
            return FpEvents.None;
        }
        if (ot == DType.Float32) // c ≤ MaxLine: exact
        {
            Unsafe.WriteUnaligned(dst, (float)c);
            return FpEvents.None;
        }
        if (ot == DType.Float16 && c <= 2048) // exact in float16
        {
            Unsafe.WriteUnaligned(dst, (Half)c);
            return FpEvents.None;
        }
        return ResultWriter.Store(ot, dst, c, 0, 0);
    }

    /// <summary>Elements whose pattern &amp; <paramref name="mask"/> is not zero (complex128: T = UInt128, both parts).
    /// Contiguous lines take whole vectors (zero lanes counted from the comparison's sign bits) and a scalar rest.</summary>
    private static long Count<T>(byte* p, long n, long s, T mask) where T : unmanaged, IBinaryInteger<T>
    {
        long c = 0, i = 0;
        if (s != sizeof(T))
        {
            for (; i < n; i++, p += s) c += (*(T*)p & mask) != T.Zero ? 1 : 0;
            return c;
        }
        T* q = (T*)p;
        if (typeof(T) != typeof(UInt128) && Vector128.IsHardwareAccelerated)
        {
            long zeros = 0;
            int w = Vector256<T>.Count;
            if (Vector256.IsHardwareAccelerated && n >= w)
            {
                var m = Vector256.Create(mask);
                for (; i <= n - w; i += w)
                    zeros += BitOperations.PopCount(Vector256.Equals(Vector256.Load(q + i) & m, Vector256<T>.Zero).ExtractMostSignificantBits());
            }
            if (n - i >= Vector128<T>.Count) // short lines (4 float32, 16 int8) and a half-vector rest
            {
                zeros += BitOperations.PopCount(Vector128.Equals(Vector128.Load(q + i) & Vector128.Create(mask), Vector128<T>.Zero).ExtractMostSignificantBits());
                i += Vector128<T>.Count;
            }
            c = i - zeros;
        }
        for (; i < n; i++) c += (q[i] & mask) != T.Zero ? 1 : 0;
        return c;
    }
}
