using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormManaged.Matrix;

/// <summary>Approximate complex line sums Σ|aᵢⱼ| for the screen of <see cref="LineSumNorms"/>: which lines can
/// still be the largest (smallest) one. Only the bound matters, never the bits: the candidate lines are then summed
/// by the exact code, so the stored result is the full pass's.
///
/// Each magnitude is m = s·rsqrt(s) with s = re² + im² in float64 (complex64 parts widen exactly): with AVX-512 the
/// reciprocal square root is the 14-bit estimate VRSQRT14PD (relative error &lt; 2⁻¹⁴, Intel SDM), without it a
/// correctly rounded square root. s is clamped below at 2⁻¹⁰⁰⁰ before the estimate, so zeros give 0 and tiny values
/// keep an absolute error below 2⁻⁴⁹⁸; an s that overflows (|z| beyond ~2⁵¹¹) gives NaN, and NaN/∞ parts give NaN
/// or ∞: the screen then decides nothing. The sums are plain float64 sums in any order.
/// Bound (<see cref="Bound"/>): a computed sum P of len magnitudes satisfies
/// S(1 − r) − len·A ≤ P ≤ S(1 + r) + len·A with r = 2⁻¹⁴(1 + 2⁻²⁰) + (len + 4)·2⁻⁵², A = 2⁻⁴⁹⁸.</summary>
internal static unsafe class ComplexLineScreen
{
    private static readonly double Floor = Math.ScaleB(1.0, -1000);

    /// <summary>(f, slack) for <see cref="LineSumNorms"/>' screen: a line whose plain sum p has p + slack &lt;
    /// (M − slack)·f (M the largest plain sum) cannot be the maximum; f ≤ (1 − r)/(1 + r) with rounding margin.
    /// <paramref name="single"/>: the float32 screen of <see cref="SumsSingle"/> (its own r and A).</summary>
    public static (double F, double Slack) Bound(long len, bool single)
    {
        double r = single
            ? Math.ScaleB(1.0, -14) * (1 + Math.ScaleB(1.0, -6)) + (len + 8) * Math.ScaleB(1.0, -23)
            : Math.ScaleB(1.0, -14) * (1 + Math.ScaleB(1.0, -20)) + (len + 4) * Math.ScaleB(1.0, -52);
        return (1 - 2 * r - Math.ScaleB(1.0, -50), len * Math.ScaleB(1.0, single ? -62 : -498));
    }

    /// <summary>True when complex64 (or float32) lines of <paramref name="len"/> elements take a float32 screen
    /// (<see cref="SumsSingle"/>; float32: LineSumNorms' float32 sums): its summation error (len·2⁻²³) must stay
    /// small next to the estimate's 2⁻¹⁴, and next to the spread of typical line sums.</summary>
    public static bool Single(DType t, long len) => t is DType.Complex64 or DType.Float32 && len <= 4096;

    /// <summary>ps[l] ≈ Σ|x| of line l for lines [l0, l1) of complex64 or complex128 elements (see the class remarks);
    /// <paramref name="single"/> (complex64 only, see <see cref="Single"/>) takes the float32 screen.</summary>
    public static void PlainSums(byte* x, DType t, long l0, long l1, long len, long lineStride, long elemStride, bool streamLines, bool single, double* ps)
    {
        if (single) SumsSingle(x, l0, l1, len, lineStride, elemStride, streamLines, ps);
        else if (t == DType.Complex64) Sums<float>(x, l0, l1, len, lineStride, elemStride, streamLines, ps);
        else Sums<double>(x, l0, l1, len, lineStride, elemStride, streamLines, ps);
    }

    /// <summary>The complex64 screen in float32, twice the lanes of the float64 one: s = re² + im² (FMA), m =
    /// s·rsqrt14(max(s, 2⁻¹²⁶)) with AVX-512, else √s; float32 sums. Per element m is within 2⁻¹⁴ + 3·2⁻²⁴ of |z|
    /// relatively when s is normal (a subnormal square's error is below 2⁻¹⁵⁰ ≤ 2⁻²⁴·s), and within 2⁻⁶² absolutely
    /// when s &lt; 2⁻¹²⁶; the sums add (len − 1)·2⁻²⁴ (<see cref="Bound"/> doubles both). |z| ≥ 2⁶⁴ overflows s: NaN or
    /// ∞ in ps, and the caller falls back to the float64 screen.</summary>
    private static void SumsSingle(byte* x, long l0, long l1, long len, long lineStride, long elemStride, bool streamLines, double* ps)
    {
        bool wide = Kernels.RealKernels.Wide;
        if (streamLines)
        {
            for (long l = l0; l < l1; l++)
            {
                float* p = (float*)(x + l * lineStride);
                long k = 0;
                float s = 0;
                if (elemStride == 8)
                {
                    if (wide)
                    {
                        Vector512<int> even = EvenF, odd = OddF;
                        var floor = Vector512.Create(FloorF);
                        Vector512<float> a0 = Vector512<float>.Zero, a1 = a0;
                        for (; k <= len - 32; k += 32)
                        {
                            a0 += Mag16(p + 2 * k, even, odd, floor);
                            a1 += Mag16(p + 2 * k + 32, even, odd, floor);
                        }
                        for (; k <= len - 16; k += 16) a0 += Mag16(p + 2 * k, even, odd, floor);
                        s = Vector512.Sum(a0 + a1);
                    }
                    else
                    {
                        var a0 = Vector256<float>.Zero;
                        for (; k <= len - 8; k += 8) a0 += Mag8Single(p + 2 * k, ordered: false);
                        s = Vector256.Sum(a0);
                    }
                }
                for (; k < len; k++) s += MagSingle((byte*)p + k * elemStride);
                ps[l] = s;
            }
            return;
        }
        int n = (int)(l1 - l0);
        float[]? heap = n > 4096 ? new float[n] : null;
        Span<float> accSpan = heap ?? stackalloc float[n];
        accSpan.Clear();
        fixed (float* acc = accSpan)
        {
            byte* b = x + l0 * lineStride;
            for (long k = 0; k < len; k++)
            {
                byte* r = b + k * elemStride;
                int i = 0;
                if (lineStride == 8)
                {
                    if (wide)
                    {
                        // the permutations and the floor in registers: read from the statics inside the loop, the
                        // JIT reloaded them and spilled the sums (~30 cycles a step; complex64 200×200 ±∞ C 0.4×)
                        Vector512<int> even = EvenF, odd = OddF;
                        var floor = Vector512.Create(FloorF);
                        float* rf = (float*)r;
                        for (; i <= n - 32; i += 32)
                        {
                            var m0 = Mag16(rf + 2 * i, even, odd, floor);
                            var m1 = Mag16(rf + 2 * i + 32, even, odd, floor);
                            Vector512.Store(Vector512.Load(acc + i) + m0, acc + i);
                            Vector512.Store(Vector512.Load(acc + i + 16) + m1, acc + i + 16);
                        }
                        for (; i <= n - 16; i += 16)
                            Vector512.Store(Vector512.Load(acc + i) + Mag16(rf + 2 * i, even, odd, floor), acc + i);
                    }
                    for (; i <= n - 8; i += 8) Vector256.Store(Vector256.Load(acc + i) + Mag8Single((float*)r + 2 * i, ordered: true), acc + i);
                }
                for (; i < n; i++) acc[i] += MagSingle(r + i * lineStride);
            }
            for (int i = 0; i < n; i++) ps[l0 + i] = acc[i];
        }
    }

    /// <summary>Approximate magnitudes of 16 consecutive complex64 values in index order (AVX-512).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Mag16(float* p, Vector512<int> even, Vector512<int> odd, Vector512<float> floor)
    {
        var a = Vector512.Load(p); var b = Vector512.Load(p + 16);
        var re = Avx512F.PermuteVar16x32x2(a, even, b);
        var im = Avx512F.PermuteVar16x32x2(a, odd, b);
        var s = Vector512.FusedMultiplyAdd(re, re, im * im);
        return s * Avx512F.ReciprocalSqrt14(Avx512F.Max(s, floor));
    }

    /// <summary>√(re² + im²) of 8 consecutive complex64 values (index order when <paramref name="ordered"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Mag8Single(float* p, bool ordered)
    {
        var a = Vector256.Load(p); var b = Vector256.Load(p + 8);
        // [r0 r1 r4 r5 | r2 r3 r6 r7] and the same for im
        var re = Avx.Shuffle(a, b, 0b10_00_10_00); var im = Avx.Shuffle(a, b, 0b11_01_11_01);
        var m = Vector256.Sqrt(Vector256.FusedMultiplyAdd(re, re, im * im));
        return ordered ? Avx2.Permute4x64(m.AsDouble(), 0b11_01_10_00).AsSingle() : m;
    }

    /// <summary>The scalar magnitude for the float32 screen, in float32 (≤ 2.5·2⁻²⁴ relative when no square
    /// underflows; a float64 body converted back measured ~10 ns per element here).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float MagSingle(byte* p)
    {
        float re = Unsafe.ReadUnaligned<float>(p), im = Unsafe.ReadUnaligned<float>(p + 4);
        return MathF.Sqrt(re * re + im * im);
    }

    private static readonly float FloorF = MathF.ScaleB(1.0f, -126);
    private static readonly Vector512<int> EvenF = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    private static readonly Vector512<int> OddF = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);

    /// <summary>The body for parts of type <typeparamref name="T"/> (float: complex64, double: complex128).</summary>
    private static void Sums<T>(byte* x, long l0, long l1, long len, long lineStride, long elemStride, bool streamLines, double* ps)
        where T : unmanaged
    {
        long item = 2 * sizeof(T);
        bool wide = Kernels.RealKernels.Wide;
        if (streamLines)
        {
            for (long l = l0; l < l1; l++)
            {
                byte* p = x + l * lineStride;
                long k = 0;
                double s = 0;
                if (elemStride == item)
                {
                    if (wide)
                    {
                        Vector512<long> even = Even, odd = Odd;
                        var floor = Vector512.Create(Floor);
                        var a0 = Vector512<double>.Zero; var a1 = a0;
                        for (; k <= len - 16; k += 16)
                        {
                            a0 += Mag8<T>(p + k * item, even, odd, floor);
                            a1 += Mag8<T>(p + (k + 8) * item, even, odd, floor);
                        }
                        for (; k <= len - 8; k += 8) a0 += Mag8<T>(p + k * item, even, odd, floor);
                        s = Vector512.Sum(a0 + a1);
                    }
                    else
                    {
                        var a0 = Vector256<double>.Zero; var a1 = a0;
                        for (; k <= len - 8; k += 8) { a0 += Mag4<T>(p + k * item); a1 += Mag4<T>(p + (k + 4) * item); }
                        for (; k <= len - 4; k += 4) a0 += Mag4<T>(p + k * item);
                        s = Vector256.Sum(a0 + a1);
                    }
                }
                for (; k < len; k++) s += Mag<T>(p + k * elemStride);
                ps[l] = s;
            }
            return;
        }
        int n = (int)(l1 - l0);
        double* acc = ps + l0;
        new Span<double>(acc, n).Clear();
        byte* b = x + l0 * lineStride;
        // the permutations and the floor in registers (see SumsSingle)
        Vector512<long> ev = Even, od = Odd;
        var fl = Vector512.Create(Floor);
        for (long k = 0; k < len; k++)
        {
            byte* r = b + k * elemStride;
            int i = 0;
            if (lineStride == item)
            {
                // vector lanes in line order (the permutes put magnitudes back in index order)
                if (wide)
                {
                    for (; i <= n - 16; i += 16)
                    {
                        var m0 = Mag8<T>(r + i * item, ev, od, fl);
                        var m1 = Mag8<T>(r + (i + 8) * item, ev, od, fl);
                        Vector512.Store(Vector512.Load(acc + i) + m0, acc + i);
                        Vector512.Store(Vector512.Load(acc + i + 8) + m1, acc + i + 8);
                    }
                    for (; i <= n - 8; i += 8) Vector512.Store(Vector512.Load(acc + i) + Mag8<T>(r + i * item, ev, od, fl), acc + i);
                }
                for (; i <= n - 4; i += 4) Vector256.Store(Vector256.Load(acc + i) + Mag4<T>(r + i * item, ordered: true), acc + i);
            }
            for (; i < n; i++) acc[i] += Mag<T>(r + i * lineStride);
        }
    }

    /// <summary>Loads four consecutive complex values as (re, im) interleaved doubles in two vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double>, Vector256<double>) Load4<T>(byte* p) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            var f = Vector256.Load((float*)p);
            return Vector256.Widen(f);
        }
        return (Vector256.Load((double*)p), Vector256.Load((double*)p + 4));
    }

    /// <summary>Approximate magnitudes of four consecutive complex values (index order when
    /// <paramref name="ordered"/>, else lanes 0, 2, 1, 3 — enough for a sum).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Mag4<T>(byte* p, bool ordered = false) where T : unmanaged
    {
        var (a, b) = Load4<T>(p);
        // [r0 r2 r1 r3], [i0 i2 i1 i3]
        var re = Avx.UnpackLow(a, b); var im = Avx.UnpackHigh(a, b);
        var m = Vector256.Sqrt(re * re + im * im);
        return ordered ? Avx2.Permute4x64(m, 0b11_01_10_00) : m;
    }

    /// <summary>Approximate magnitudes of eight consecutive complex values in index order (AVX-512:
    /// s·rsqrt14(max(s, 2⁻¹⁰⁰⁰))).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Mag8<T>(byte* p, Vector512<long> even, Vector512<long> odd, Vector512<double> floor) where T : unmanaged
    {
        Vector512<double> a, b;
        if (typeof(T) == typeof(float))
        {
            a = Avx512F.ConvertToVector512Double(Vector256.Load((float*)p));
            b = Avx512F.ConvertToVector512Double(Vector256.Load((float*)p + 8));
        }
        else { a = Vector512.Load((double*)p); b = Vector512.Load((double*)p + 8); }
        var re = Avx512F.PermuteVar8x64x2(a, even, b);
        var im = Avx512F.PermuteVar8x64x2(a, odd, b);
        var s = Vector512.FusedMultiplyAdd(re, re, im * im);
        return s * Avx512F.ReciprocalSqrt14(Avx512F.Max(s, floor));
    }

    private static readonly Vector512<long> Even = Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14);
    private static readonly Vector512<long> Odd = Vector512.Create(1L, 3, 5, 7, 9, 11, 13, 15);

    /// <summary>The scalar magnitude √(re² + im²) (correctly rounded square root; within the bound).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Mag<T>(byte* p) where T : unmanaged
    {
        double re, im;
        if (typeof(T) == typeof(float)) { re = Unsafe.ReadUnaligned<float>(p); im = Unsafe.ReadUnaligned<float>(p + 4); }
        else { re = Unsafe.ReadUnaligned<double>(p); im = Unsafe.ReadUnaligned<double>(p + 8); }
        return Math.Sqrt(re * re + im * im);
    }
}
