using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormManaged.Engine;

/// <summary>One double-double accumulation step per lane, shared by the kernels that stream rows
/// into per-output accumulators (<see cref="AcrossOutputs"/>, <see cref="RunsAcross"/>): adds x²
/// exactly (FMA error term) when <c>square</c>, else |x|, with a TwoSum into (h, l). The scalar
/// form performs the vector forms' operations on one lane, so tails have the same bits.</summary>
internal readonly struct LaneStep : IRowStep
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector512<double> h, ref Vector512<double> l, Vector512<double> x, bool square)
    {
        Vector512<double> t, e;
        if (square) { t = x * x; e = Vector512.FusedMultiplyAdd(x, x, -t); }
        else { t = Vector512.Abs(x); e = Vector512<double>.Zero; }
        var s = h + t;
        var bb = s - h;
        l += ((h - (s - bb)) + (t - bb)) + e;
        h = s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> h, ref Vector256<double> l, Vector256<double> x, bool square)
    {
        Vector256<double> t, e;
        if (square) { t = x * x; e = Vector256.FusedMultiplyAdd(x, x, -t); }
        else { t = Vector256.Abs(x); e = Vector256<double>.Zero; }
        var s = h + t;
        var bb = s - h;
        l += ((h - (s - bb)) + (t - bb)) + e;
        h = s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref double h, ref double l, double x, bool square)
    {
        double t, e;
        if (square) { t = x * x; e = Math.FusedMultiplyAdd(x, x, -t); }
        else { t = Math.Abs(x); e = 0; }
        double s = h + t;
        double bb = s - h;
        l += ((h - (s - bb)) + (t - bb)) + e;
        h = s;
    }

    /// <summary>Knuth's TwoSum lane-wise: s = fl(a + b) and the exact error e = a + b − s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> TwoSum(Vector256<double> a, Vector256<double> b, out Vector256<double> e)
    {
        var s = a + b;
        var bb = s - a;
        e = (a - (s - bb)) + (b - bb);
        return s;
    }

    /// <inheritdoc cref="TwoSum(Vector256{double}, Vector256{double}, out Vector256{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> TwoSum(Vector128<double> a, Vector128<double> b, out Vector128<double> e)
    {
        var s = a + b;
        var bb = s - a;
        e = (a - (s - bb)) + (b - bb);
        return s;
    }
}
