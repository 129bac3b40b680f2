using System.Runtime.CompilerServices;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Tied candidates of the complex ord ±∞ kernels (<see cref="Complex128Max"/>, <see cref="ComplexExtremaRows"/>,
/// <see cref="LaneAcross"/>): when values repeat (np.ones, small integers, a few repeated values) every element of a line
/// ties with the extreme, and each used to get its own extended magnitude (<see cref="Ext.Hypot"/>) and exact compare —
/// 0.02–0.2× NumPy.
///
/// Why skipping is exact: the candidate evaluations these kernels make are functions of the pair (|re|, |im|) alone and
/// symmetric in it. <see cref="Ext.Hypot"/> takes the magnitudes (<see cref="Ext.FromDouble"/> drops the sign) and orders
/// its two arguments by <see cref="Ext.Compare"/> before any arithmetic (equal arguments give the same value either way),
/// so (a, b) and (b, a) give the same Ext bits; <see cref="ComplexExtremaRows"/>' double-double root takes |re|, |im|,
/// adds the two exact squares (a commutative rounded sum, its exact error) and their residuals (a commutative rounded
/// sum), so it too is symmetric. A candidate whose pair equals the current winner's pair or its swap therefore has the
/// winner's value bit for bit, and the keep rule (strictly better replaces) never takes it: skipping it leaves the same
/// winner, the same stored bits, and the same early stop (a root that fails its midpoint test failed when that pair was
/// first evaluated). NaN parts compare unequal to everything, so they are never skipped.</summary>
internal static class ComplexTies
{
    /// <summary>True when the magnitudes (a, b) are the pair (pa, pb) or its swap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Same(double a, double b, double pa, double pb) => (a == pa && b == pb) || (a == pb && b == pa);
}

/// <summary>The extreme of <see cref="Ext.Hypot"/> over candidates, first strict winner kept (the rule of
/// <see cref="Complex128Max.Consider"/> and of the column/row finishes), with a candidate skipped before any extended
/// arithmetic when its parts' magnitudes are the winner's pair or its swap (<see cref="ComplexTies"/>: the same bits).</summary>
internal struct ExtExtreme
{
    public Ext Best;
    /// <summary>|re|, |im| of the winner.</summary>
    public double A, B;
    public bool Has;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Take(double re, double im, bool min)
    {
        double a = Math.Abs(re), b = Math.Abs(im);
        if (Has && ComplexTies.Same(a, b, A, B)) return;
        Evaluate(a, b, min);
    }

    private void Evaluate(double a, double b, bool min)
    {
        Ext z = Ext.Hypot(Ext.FromDouble(a), Ext.FromDouble(b));
        int c = Has ? Ext.Compare(z, Best) : 0;
        if (!Has || (min ? c < 0 : c > 0)) { Best = z; A = a; B = b; Has = true; }
    }
}
