using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormManaged.Engine;

/// <summary>One offset-accumulator step per lane (the lane a starts at a power of two σ ≥ every term, so
/// a ≤ a' = fl(a + t) ≤ 2a and a − a' is exact): adds t = x² (error fma(x, x, a − a')) when <c>square</c>, else
/// t = |x| (error t − (a' − a), Fast2Sum), the error into l. The scalar form performs the vector forms' operations on
/// one lane, so every width gives the same bits. The caller validates afterwards that a ≤ 2σ.</summary>
internal readonly struct OffsetStep : IRowStep
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector512<double> a, ref Vector512<double> l, Vector512<double> x, bool square)
    {
        if (square)
        {
            var nw = Vector512.FusedMultiplyAdd(x, x, a);
            l += Vector512.FusedMultiplyAdd(x, x, a - nw);
            a = nw;
        }
        else
        {
            var t = Vector512.Abs(x);
            var nw = a + t;
            l += t - (nw - a);
            a = nw;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a, ref Vector256<double> l, Vector256<double> x, bool square)
    {
        if (square)
        {
            var nw = Vector256.FusedMultiplyAdd(x, x, a);
            l += Vector256.FusedMultiplyAdd(x, x, a - nw);
            a = nw;
        }
        else
        {
            var t = Vector256.Abs(x);
            var nw = a + t;
            l += t - (nw - a);
            a = nw;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref double a, ref double l, double x, bool square)
    {
        if (square)
        {
            double nw = Math.FusedMultiplyAdd(x, x, a);
            l += Math.FusedMultiplyAdd(x, x, a - nw);
            a = nw;
        }
        else
        {
            double t = Math.Abs(x);
            double nw = a + t;
            l += t - (nw - a);
            a = nw;
        }
    }
}

/// <summary>Compile-time choice of the term of an <see cref="IRowStep"/> loop (x² or |x|): a kernel generic over it
/// passes <c>typeof(TKind) == typeof(SquareTerms)</c> as the step's flag, a constant in each instantiation (a run-time
/// flag was tested by every step).</summary>
internal struct SquareTerms;

/// <inheritdoc cref="SquareTerms"/>
internal struct MagnitudeTerms;
