using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormManaged.Matrix;

/// <summary>The two level-1 operations the Householder reductions share: a dot product with two
/// FMA lanes of four and y += a·x. Fixed lane structure, so results do not depend on alignment.</summary>
internal static unsafe class Blas1
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Dot(double* x, double* y, int n)
    {
        int i = 0;
        double s = 0;
        if (n >= 8)
        {
            var s0 = Vector256<double>.Zero; var s1 = s0;
            for (; i <= n - 8; i += 8)
            {
                s0 = Vector256.FusedMultiplyAdd(Vector256.Load(x + i), Vector256.Load(y + i), s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.Load(x + i + 4), Vector256.Load(y + i + 4), s1);
            }
            s = Vector256.Sum(s0 + s1);
        }
        for (; i < n; i++) s = Math.FusedMultiplyAdd(x[i], y[i], s);
        return s;
    }

    /// <summary>The four dot products xₖ·y (k = 0..3), each with exactly the operations and order of
    /// <see cref="Dot"/> (so the same bits), in one sweep: y is loaded once and the four chains of
    /// FMAs overlap, where four calls of <see cref="Dot"/> wait on one chain at a time.</summary>
    internal static void Dot4(double* x0, double* x1, double* x2, double* x3, double* y, int n,
        out double d0, out double d1, out double d2, out double d3)
    {
        int i = 0;
        d0 = d1 = d2 = d3 = 0;
        if (n >= 8)
        {
            var a0 = Vector256<double>.Zero; var a1 = a0; var b0 = a0; var b1 = a0;
            var c0 = a0; var c1 = a0; var e0 = a0; var e1 = a0;
            for (; i <= n - 8; i += 8)
            {
                var y0 = Vector256.Load(y + i); var y1 = Vector256.Load(y + i + 4);
                a0 = Vector256.FusedMultiplyAdd(Vector256.Load(x0 + i), y0, a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.Load(x0 + i + 4), y1, a1);
                b0 = Vector256.FusedMultiplyAdd(Vector256.Load(x1 + i), y0, b0);
                b1 = Vector256.FusedMultiplyAdd(Vector256.Load(x1 + i + 4), y1, b1);
                c0 = Vector256.FusedMultiplyAdd(Vector256.Load(x2 + i), y0, c0);
                c1 = Vector256.FusedMultiplyAdd(Vector256.Load(x2 + i + 4), y1, c1);
                e0 = Vector256.FusedMultiplyAdd(Vector256.Load(x3 + i), y0, e0);
                e1 = Vector256.FusedMultiplyAdd(Vector256.Load(x3 + i + 4), y1, e1);
            }
            d0 = Vector256.Sum(a0 + a1); d1 = Vector256.Sum(b0 + b1); d2 = Vector256.Sum(c0 + c1); d3 = Vector256.Sum(e0 + e1);
        }
        for (; i < n; i++)
        {
            d0 = Math.FusedMultiplyAdd(x0[i], y[i], d0);
            d1 = Math.FusedMultiplyAdd(x1[i], y[i], d1);
            d2 = Math.FusedMultiplyAdd(x2[i], y[i], d2);
            d3 = Math.FusedMultiplyAdd(x3[i], y[i], d3);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Axpy(double a, double* x, double* y, int n)
    {
        int i = 0;
        var va = Vector256.Create(a);
        for (; i <= n - 4; i += 4)
            Vector256.FusedMultiplyAdd(va, Vector256.Load(x + i), Vector256.Load(y + i)).Store(y + i);
        for (; i < n; i++) y[i] = Math.FusedMultiplyAdd(a, x[i], y[i]);
    }
}
