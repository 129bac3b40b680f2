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
