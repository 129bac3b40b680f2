using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Matrix;

/// <summary>|z| of interleaved complex values (already widened to double) for the line sums of
/// <see cref="LineSumNorms"/>, four at a time.
///
/// Each magnitude is one function of its own (re, im), computed by the same operations in the vector
/// and the scalar code: the square re² + im² exactly as a double-double (ComplexMag.Square,
/// FMA products), r = √hi, then one Newton correction r + (hi − r² + lo)/(2r) with the residual by FMA.
/// The result is within ≈2⁻¹⁰⁰ relative of |z| before its final rounding, so it is |z| correctly rounded
/// except in such near-ties, and identical whatever the vector width or the position of the element in
/// its group. Components whose larger magnitude lies outside [2⁻⁴⁵⁰, 2⁴⁵⁰] (and zeros, ∞, NaN) go through
/// the scalar code, which scales them by a power of two first (exact) so no square overflows or
/// underflows; inside that range the scaling factor is 1, so the vector and scalar results agree.</summary>
internal static unsafe class LineMagnitudes
{
    /// <summary>The range of the larger part that the vector code takes (no scaling).</summary>
    internal static readonly double Lo = Math.ScaleB(1.0, -450), Hi = Math.ScaleB(1.0, 450);

    /// <summary>dst[i] = |v[2i] + i·v[2i+1]| for i &lt; n; dst may be v (written in increasing order,
    /// never ahead of what is still to be read).</summary>
    public static void Run(double* v, int n, double* dst)
    {
        int i = 0;
        if (Avx2.IsSupported && Fma.IsSupported)
        {
            var lo = Vector256.Create(Lo); var hi = Vector256.Create(Hi);
            for (; i <= n - 4; i += 4)
            {
                var a = Avx.LoadVector256(v + 2 * i); var b = Avx.LoadVector256(v + 2 * i + 4);
                // [r0 r2 r1 r3], [i0 i2 i1 i3]
                var re = Vector256.Abs(Avx.UnpackLow(a, b)); var im = Vector256.Abs(Avx.UnpackHigh(a, b));
                var mx = Vector256.Max(re, im);
                // all four in range (NaN compares false and falls through to the scalar code)
                if (Vector256.GreaterThanOrEqualAll(mx, lo) && Vector256.LessThanOrEqualAll(mx, hi))
                {
                    var m = Core(re, im);
                    Avx2.Permute4x64(m, 0b11_01_10_00).Store(dst + i);
                }
                else
                {
                    double z0 = Of(v[2 * i], v[2 * i + 1]), z1 = Of(v[2 * i + 2], v[2 * i + 3]);
                    double z2 = Of(v[2 * i + 4], v[2 * i + 5]), z3 = Of(v[2 * i + 6], v[2 * i + 7]);
                    dst[i] = z0; dst[i + 1] = z1; dst[i + 2] = z2; dst[i + 3] = z3;
                }
            }
        }
        for (; i < n; i++) dst[i] = Of(v[2 * i], v[2 * i + 1]);
    }

    /// <summary>dst[i] = |v[2i] + i·v[2i+1]| for complex64 components widened to double (so re², im² are exact
    /// and nothing overflows or underflows): √(re² + im²) with the sum rounded once, ≤ ¾ ulp of float64 — the
    /// line sums then carry ≤ 2⁻⁵² relative error, far below the float32 result's ½ ulp (correctly rounded but
    /// for such near-ties, as with any float64 magnitude). No division, no correction: half the work of
    /// <see cref="Run"/>. Same in-place rule as <see cref="Run"/>; ∞ beats NaN as in <see cref="Of"/>.</summary>
    public static void RunSingle(double* v, int n, double* dst)
    {
        int i = 0;
        if (Avx2.IsSupported)
        {
            var big = Vector256.Create((double)float.MaxValue);
            for (; i <= n - 4; i += 4)
            {
                var a = Avx.LoadVector256(v + 2 * i); var b = Avx.LoadVector256(v + 2 * i + 4);
                var re = Avx.UnpackLow(a, b); var im = Avx.UnpackHigh(a, b);
                if (Vector256.LessThanOrEqualAll(Vector256.Max(Vector256.Abs(re), Vector256.Abs(im)), big))
                    Avx2.Permute4x64(Vector256.Sqrt(re * re + im * im), 0b11_01_10_00).Store(dst + i);
                else
                {
                    double z0 = OfSingle(v[2 * i], v[2 * i + 1]), z1 = OfSingle(v[2 * i + 2], v[2 * i + 3]);
                    double z2 = OfSingle(v[2 * i + 4], v[2 * i + 5]), z3 = OfSingle(v[2 * i + 6], v[2 * i + 7]);
                    dst[i] = z0; dst[i + 1] = z1; dst[i + 2] = z2; dst[i + 3] = z3;
                }
            }
        }
        for (; i < n; i++) dst[i] = OfSingle(v[2 * i], v[2 * i + 1]);
    }

    /// <summary>The scalar magnitude of <see cref="RunSingle"/>.</summary>
    public static double OfSingle(double re, double im)
    {
        if (double.IsInfinity(re) || double.IsInfinity(im)) return double.PositiveInfinity;
        return Math.Sqrt(re * re + im * im);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Core(Vector256<double> re, Vector256<double> im)
    {
        var hh = ComplexMag.Square(re, im, out var hl);
        var r = Vector256.Sqrt(hh);
        var res = Vector256.FusedMultiplyAdd(-r, r, hh) + hl;
        return r + res / (r + r);
    }

    /// <summary>The scalar |re + i·im| (the same operations as the vector code in range).</summary>
    public static double Of(double re, double im)
    {
        re = Math.Abs(re); im = Math.Abs(im);
        if (double.IsInfinity(re) || double.IsInfinity(im)) return double.PositiveInfinity;
        if (double.IsNaN(re) || double.IsNaN(im)) return double.NaN;
        double mx = Math.Max(re, im);
        if (mx == 0) return 0;
        int e = mx >= Lo && mx <= Hi ? 0 : Math.ILogB(mx);
        // a subnormal larger component needs 2^-e beyond 2^1023: scale in two exact steps
        if (e != 0)
        {
            double f1 = Math.ScaleB(1.0, -e / 2), f2 = Math.ScaleB(1.0, -e - (-e / 2));
            re = re * f1 * f2; im = im * f1 * f2;
        }
        double hh = ComplexMag.Square(re, im, out double hl);
        double r = Math.Sqrt(hh);
        double res = Math.FusedMultiplyAdd(-r, r, hh) + hl;
        double z = r + res / (r + r);
        return e == 0 ? z : Math.ScaleB(z, e);
    }
}
