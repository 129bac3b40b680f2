using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Engine;
using NormManaged.Kernels;

namespace NormManaged.Matrix;

/// <summary>The exact line sums of <see cref="LineSumNorms"/>' per-matrix passes for eight lines side by side, a SIMD lane
/// per line: each lane makes, on its own line's elements and in their order, the IEEE operations of
/// <c>LineSumNorms.ExactLine</c> on a line walked sequentially (its <c>Load</c>: complex64 parts widened to double and the
/// magnitude √(re² + im²) of <see cref="LineMagnitudes.RunSingle"/>, complex128 magnitudes of <see cref="LineMagnitudes.Run"/>,
/// 64-bit integers converted to double; then the TwoSum chain of the absolute values in index order from (0, 0)), so every lane's (hi, lo) is the bits of that line summed alone, whatever lines share its vector. Only finite
/// lines come here (the screen declines a matrix with a non-finite line sum, and a line with an infinite part has one),
/// so RunSingle's +∞ for an infinite part with a NaN beside it is not needed. Used where the screened stacks have one candidate line per matrix (the lines of eight matrices
/// then cost about what one did: the serial chain and the strided loads overlap).</summary>
internal static unsafe class ExactLanes
{
    /// <summary>Lines side by side.</summary>
    internal const int Lines = 8;

    /// <summary>True where the lanes run (AVX-512F and AVX2 gathers).</summary>
    internal static bool Supported => Avx512F.IsSupported && Avx512DQ.IsSupported && Avx2.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>ExactLine's step: |x| added to (h, l) by TwoSum, the error into l, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref Vector512<double> h, ref Vector512<double> l, Vector512<double> value)
    {
        var x = Vector512.Abs(value);
        var s = h + x;
        var bb = s - h;
        l += (h - (s - bb)) + (x - bb);
        h = s;
    }

    /// <summary>(hi[r], lo[r]) = the exact-pass sum Σ|zᵢ| of complex64 line r (<paramref name="len"/> values
    /// <paramref name="es"/> bytes apart from <paramref name="lines"/>[r]) for the eight lines.</summary>
    internal static void Complex64(byte** lines, long len, long es, double* hi, double* lo)
    {
        byte* q = lines[0];
        var offLo = ComplexShortRows.Offsets4(lines, 0);
        var offHi = ComplexShortRows.Offsets4(lines, 4);
        Vector512<double> h = Vector512<double>.Zero, l = Vector512<double>.Zero;
        for (long i = 0; i < len; i++, q += es) // re² + im² with RunSingle's roundings, then its √
            Add(ref h, ref l, Vector512.Sqrt(ComplexShortRows.GatherSquares8(q, offLo, offHi)));
        h.Store(hi);
        l.Store(lo);
    }

    /// <summary><see cref="Complex64"/> for 64-bit integer lines (<paramref name="unsigned"/>: uint64): each value
    /// converted to double by one rounding to nearest (Gather's conversion, the same in vector and scalar code).
    /// Needs AVX-512DQ.</summary>
    internal static void Int64(byte** lines, long len, long es, bool unsigned, double* hi, double* lo)
    {
        byte* q = lines[0];
        var offLo = ComplexShortRows.Offsets4(lines, 0);
        var offHi = ComplexShortRows.Offsets4(lines, 4);
        Vector512<double> h = Vector512<double>.Zero, l = Vector512<double>.Zero;
        for (long i = 0; i < len; i++, q += es)
        {
            var v = Vector512.Create(Avx2.GatherVector256((long*)q, offLo, 1), Avx2.GatherVector256((long*)q, offHi, 1));
            Add(ref h, ref l, unsigned ? Avx512DQ.ConvertToVector512Double(v.AsUInt64()) : Avx512DQ.ConvertToVector512Double(v));
        }
        h.Store(hi);
        l.Store(lo);
    }

    /// <summary><see cref="Complex64"/> for complex128 lines: each magnitude <see cref="LineMagnitudes.Run"/>'s — its
    /// vector operations (the double-double square, √, one Newton correction) where every lane's larger part lies in
    /// its range, else value by value by its scalar <see cref="LineMagnitudes.Of"/> (zeros, tiny or huge parts), which
    /// makes the same operations in range.</summary>
    internal static void Complex128(byte** lines, long len, long es, double* hi, double* lo)
    {
        var lower = Vector512.Create(LineMagnitudes.Lo);
        var upper = Vector512.Create(LineMagnitudes.Hi);
        double* z = stackalloc double[Lines];
        byte* x0 = lines[0], x1 = lines[1], x2 = lines[2], x3 = lines[3], x4 = lines[4], x5 = lines[5], x6 = lines[6], x7 = lines[7];
        Vector512<double> h = Vector512<double>.Zero, l = Vector512<double>.Zero;
        long off = 0;
        for (long i = 0; i < len; i++, off += es)
        {
            var re = Vector512.Abs(ComplexShortRows.Parts8(x0, x1, x2, x3, x4, x5, x6, x7, off, out var ip));
            var im = Vector512.Abs(ip);
            var mx = Vector512.Max(re, im);
            Vector512<double> m;
            if (Vector512.GreaterThanOrEqualAll(mx, lower) && Vector512.LessThanOrEqualAll(mx, upper))
            {
                var hh = ComplexMag.Square(new Lanes512(re), new Lanes512(im), out var hlL).V;
                var r = Vector512.Sqrt(hh);
                var res = Vector512.FusedMultiplyAdd(-r, r, hh) + hlL.V;
                m = r + res / (r + r);
            }
            else
            {
                for (int r = 0; r < Lines; r++)
                {
                    double* v = (double*)(lines[r] + off);
                    z[r] = LineMagnitudes.Of(v[0], v[1]);
                }
                m = Vector512.Load(z);
            }
            Add(ref h, ref l, m);
        }
        h.Store(hi);
        l.Store(lo);
    }
}
