using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormManaged.Kernels;

/// <summary>4×4 register transposes for the gathers that turn rows into columns (lines side by side for the lane
/// kernels, a matrix's rows into column-major storage): copies only, so the values of an element-by-element copy.</summary>
internal static unsafe class Transpose4
{
    /// <summary>Reads 4 doubles from each of the rows <paramref name="src"/> + k·<paramref name="srcBytes"/> (k = 0…3)
    /// and stores column j of that block at <paramref name="dst"/> + j·<paramref name="dstStride"/> (two unpacks and two
    /// lane permutes a pair).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Doubles(double* src, long srcBytes, double* dst, long dstStride)
    {
        Columns(src, srcBytes, out var c0, out var c1, out var c2, out var c3);
        c0.Store(dst);
        c1.Store(dst + dstStride);
        c2.Store(dst + 2 * dstStride);
        c3.Store(dst + 3 * dstStride);
    }

    /// <summary>The transpose of <see cref="Doubles"/> into registers: column j of the block in cj (for callers that
    /// combine two blocks into wider vectors before one store, which a later wide load can forward).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Columns(double* src, long srcBytes, out Vector256<double> c0, out Vector256<double> c1, out Vector256<double> c2, out Vector256<double> c3)
    {
        Vector256<double> a0 = Vector256.Load(src), a1 = Vector256.Load((double*)((byte*)src + srcBytes));
        Vector256<double> a2 = Vector256.Load((double*)((byte*)src + 2 * srcBytes)), a3 = Vector256.Load((double*)((byte*)src + 3 * srcBytes));
        Vector256<double> t0 = Avx.UnpackLow(a0, a1), t1 = Avx.UnpackHigh(a0, a1);
        Vector256<double> t2 = Avx.UnpackLow(a2, a3), t3 = Avx.UnpackHigh(a2, a3);
        c0 = Avx.Permute2x128(t0, t2, 0x20);
        c1 = Avx.Permute2x128(t1, t3, 0x20);
        c2 = Avx.Permute2x128(t0, t2, 0x31);
        c3 = Avx.Permute2x128(t1, t3, 0x31);
    }

    /// <summary><see cref="Doubles"/> for floats: 128-bit unpacks and half moves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Singles(float* src, long srcBytes, float* dst, long dstStride)
    {
        Vector128<float> a0 = Vector128.Load(src), a1 = Vector128.Load((float*)((byte*)src + srcBytes));
        Vector128<float> a2 = Vector128.Load((float*)((byte*)src + 2 * srcBytes)), a3 = Vector128.Load((float*)((byte*)src + 3 * srcBytes));
        Vector128<float> t0 = Sse.UnpackLow(a0, a1), t1 = Sse.UnpackHigh(a0, a1);
        Vector128<float> t2 = Sse.UnpackLow(a2, a3), t3 = Sse.UnpackHigh(a2, a3);
        Sse.MoveLowToHigh(t0, t2).Store(dst);
        Sse.MoveHighToLow(t2, t0).Store(dst + dstStride);
        Sse.MoveLowToHigh(t1, t3).Store(dst + 2 * dstStride);
        Sse.MoveHighToLow(t3, t1).Store(dst + 3 * dstStride);
    }
}
