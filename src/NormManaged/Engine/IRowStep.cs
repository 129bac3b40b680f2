using System.Runtime.Intrinsics;

namespace NormManaged.Engine;

/// <summary>One accumulation step per lane into a pair of accumulators (h, l), in the three widths the row kernels
/// use. The loops that stream rows into per-output accumulators (<see cref="AcrossOutputs"/>,
/// <see cref="RunsAcross"/>) are written once, generic over a struct implementing this (<see cref="LaneStep"/> or
/// <see cref="OffsetStep"/>), so each instantiation is compiled with its step inlined. Every implementation must
/// perform the same operations on one lane whatever the width, so tails and wide bodies give the same bits.</summary>
internal interface IRowStep
{
    /// <summary>Adds x (or x², when <paramref name="square"/>) to eight lanes.</summary>
    static abstract void Add(ref Vector512<double> h, ref Vector512<double> l, Vector512<double> x, bool square);

    /// <summary>Adds x (or x², when <paramref name="square"/>) to four lanes.</summary>
    static abstract void Add(ref Vector256<double> h, ref Vector256<double> l, Vector256<double> x, bool square);

    /// <summary>Adds x (or x², when <paramref name="square"/>) to one lane.</summary>
    static abstract void Add(ref double h, ref double l, double x, bool square);
}
