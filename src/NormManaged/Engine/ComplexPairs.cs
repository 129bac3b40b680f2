using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Two groups of eight complex64 lines at once for <see cref="Complex64Columns"/> (AVX-512): the lanes of
/// <see cref="ComplexShortRows.Roots"/> — per lane the same terms from s = fl(re² + im²), the same plain sum, the same
/// root and so the same bound — with the two groups' terms interleaved value by value and both roots computed
/// together. One group alone left the core waiting on its root's latency chain (√√S, or ln and exp; ~40 ns a group
/// of eight on complex64 (4, 3000) axis 0 whatever the order). A result is still only stored through the float32
/// midpoint test with the returned bound (<see cref="LaneAcross.TryStoreSingles"/>), else the column goes alone.</summary>
internal static unsafe class ComplexPairs
{
    private const int Lines = 8;

    /// <summary>Doubles of result and scratch space <see cref="Roots"/> needs (16 results, 2 × 16 for the roots, 16 sums
    /// at <see cref="Sums"/>).</summary>
    internal const int Scratch = 8 * Lines;

    /// <summary>Where <see cref="Roots"/> leaves each line's sum S for <see cref="TryPrecise"/> (NaN for a line that goes
    /// alone), when it returns a nonzero sum bound.</summary>
    internal const int Sums = 6 * Lines;

    /// <summary>Relative error of <see cref="TryPrecise"/>'s root beyond its error from the sum's, in double ulps of the
    /// result: DDLanes.RootLite's ≤ 2⁻⁶⁶·(1 + 1/|p|) (≤ 2⁻¹¹ ulp for |1/p| ≤ 2) and the rounding of its pair (½ ulp).</summary>
    private const long PreciseRootUlps = 1;


    /// <summary>The orders of Complex64Columns (not 2, 1: AcrossOutputsWide's; not the whole orders ≤ −2:
    /// NarrowNegCols') taken in pairs: 0.5, 4, −1, the general orders, and 3, 1.5, 2.5, −2.5 with NarrowLaneSums' root
    /// in place of ComplexShortRows.LiteRoot (two LiteRoots in one call left their exp out of line: no gain).</summary>
    public static bool Takes(double p)
        => p is 0.5 or 4 or -1 or 3 or 1.5 or 2.5 or -2.5 || ComplexShortRows.IsGeneral(p);

    /// <summary>The roots of the lines of <paramref name="b0"/> into res[0..8) and of <paramref name="b1"/> into
    /// res[8..16) (NaN for a line to finish alone); the bound in double ulps (ComplexShortRows.Roots'). For the orders
    /// of <see cref="IC64RowOrder"/>, <paramref name="sumUlps"/> is the bound of a root computed precisely from the sums
    /// left at <see cref="Sums"/> (<see cref="TryPrecise"/>), else 0.</summary>
    public static long Roots(int n, double p, double* b0, double* b1, double* res, out long sumUlps)
    {
        switch (p)
        {
            case 0.5: return Pair<C64RowRoot>(n, b0, b1, res, out sumUlps);
            case 4: return Pair<C64RowFourth>(n, b0, b1, res, out sumUlps);
            case -1: return Pair<C64RowRecip>(n, b0, b1, res, out sumUlps);
            // ComplexShortRows.LiteRoot's orders: NarrowLaneSums.Root instead (S ∈ [2⁻⁹⁶⁰, 2⁹⁶⁰], else NaN: alone; within
            // 2⁻⁴²·²/|p| + 2u·|q| + 2⁻⁴²·⁵ ≤ 2⁻⁴¹ relative for |p| ≥ 1.5 and a root in the float32 range, inside the
            // 2⁻³⁶ (LiteRootUlps) the bound allows), which stays inline: two LiteRoots in one call left their exp out of line
            case 3: return Pair<C64RowCube>(n, b0, b1, res, out sumUlps, p);
            case 1.5: return Pair<C64RowOneHalf>(n, b0, b1, res, out sumUlps, p);
            case 2.5: return Pair<C64RowTwoHalf>(n, b0, b1, res, out sumUlps, p);
            case -2.5: return Pair<C64RowNegTwoHalf>(n, b0, b1, res, out sumUlps, p);
        }
        sumUlps = 0;
        if (ComplexShortRows.ClampsTerms(p)) General<NarrowLaneSums.Clamped>(n, p, b0, b1, res);
        else General<NarrowLaneSums.InRange>(n, p, b0, b1, res);
        return NarrowLaneSums.Ulps(p);
    }

    /// <summary>A line whose root failed the float32 store test by the bound of its fast root (LiteRootUlps, 2⁻³⁶,
    /// dominates it): S^(1/p) from its sum <paramref name="s"/> (res[<see cref="Sums"/> + line]) by
    /// <see cref="DDLanes.RootLite{L}"/>, stored when the float32 test passes with <paramref name="sumUlps"/> — the
    /// sum's error and this root's. The stored float32 is then the correctly rounded norm, the 1-D path's value, as for
    /// any stored lane. Lines within ~2⁻¹² float32 ulp of a midpoint failed the fast test (np.repeat-like data: complex64
    /// (4, 3000) ord 2.5 over four values sent a sixth of its columns to the 1-D path, 0.55× NumPy); this decides all
    /// but those within ~2⁻²⁴. False (nothing stored) otherwise: the 1-D path decides.</summary>
    internal static bool TryPrecise(double s, double p, long sumUlps, byte* dst)
    {
        if (!(s > 0 && s <= double.MaxValue)) return false;
        var h = DDLanes.RootLite(new Lane1(s), Lane1.Zero, Lane1.Zero, p, out var lo, out var k);
        return LaneAcross.TryStoreSingle(Math.ScaleB(h.V + lo.V, (int)k.V), sumUlps, dst);
    }

    private static long Pair<T>(int n, double* b0, double* b1, double* res, out long sumUlps, double rootP = 0) where T : struct, IC64RowOrder
    {
        // Vector512 operations directly (intrinsics: nothing left to the inliner's budget), as Roots<Lanes512, T> does them
        var inf = Vector512.Create(double.PositiveInfinity);
        Vector512<double> acc0 = default, acc1 = default, bad0 = default, bad1 = default;
        for (int i = 0; i < n; i++)
        {
            var s0 = Vector512.Load(b0 + i * Lines);
            var s1 = Vector512.Load(b1 + i * Lines);
            bad0 |= ~Vector512.LessThan(s0, inf); // NaN or ∞
            bad1 |= ~Vector512.LessThan(s1, inf);
            if (T.Negative)
            {
                bad0 |= Vector512.Equals(s0, Vector512<double>.Zero);
                bad1 |= Vector512.Equals(s1, Vector512<double>.Zero);
            }
            acc0 += T.WideTerm(s0);
            acc1 += T.WideTerm(s1);
        }
        bad0 |= ~Vector512.GreaterThan(acc0, Vector512<double>.Zero); // no nonzero value (p > 0)
        bad1 |= ~Vector512.GreaterThan(acc1, Vector512<double>.Zero);
        var one = Vector512.Create(1.0);
        var nan = Vector512.Create(double.NaN);
        Vector512<double> r0, r1;
        if (rootP != 0)
        {
            GeneralRoots(Unsafe.BitCast<Vector512<double>, Lanes512>(Vector512.ConditionalSelect(bad0, one, acc0)),
                Unsafe.BitCast<Vector512<double>, Lanes512>(Vector512.ConditionalSelect(bad1, one, acc1)), rootP, VecLogExp.Tables, res);
            r0 = Vector512.Load(res);
            r1 = Vector512.Load(res + Lines);
        }
        else
        {
            r0 = RootOne<T>(Vector512.ConditionalSelect(bad0, one, acc0), res + 2 * Lines);
            r1 = RootOne<T>(Vector512.ConditionalSelect(bad1, one, acc1), res + 4 * Lines);
        }
        Vector512.ConditionalSelect(bad0, nan, r0).Store(res);
        Vector512.ConditionalSelect(bad1, nan, r1).Store(res + Lines);
        Vector512.ConditionalSelect(bad0, nan, acc0).Store(res + Sums);
        Vector512.ConditionalSelect(bad1, nan, acc1).Store(res + Sums + Lines);
        // ComplexShortRows.Roots<Lanes512, T>'s bound (the same lane operations), and with the precise root
        sumUlps = 3L * (n + T.WideUlps) + 2 * PreciseRootUlps + 4;
        return 3L * (n + T.WideUlps) + 2 * T.RootUlps + 4;
    }

    /// <summary>T's root of eight lanes (a call of its own: the root's operations stay inline within it; the two
    /// groups' calls are independent, so the second starts while the first's chain is in flight).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector512<double> RootOne<T>(Vector512<double> sum, double* tmp) where T : struct, IC64RowOrder
        => Unsafe.BitCast<Lanes512, Vector512<double>>(T.Root(Unsafe.BitCast<Vector512<double>, Lanes512>(sum), tmp));

    private static void General<R>(int n, double p, double* b0, double* b1, double* res) where R : struct, NarrowLaneSums.ITerms
    {
        double* tab = VecLogExp.Tables;
        var halfP = Lanes512.Create(0.5 * p);
        var zeroTerm = Lanes512.Create(p > 0 ? 0 : double.NaN);
        Lanes512 acc0 = Lanes512.Zero, acc1 = Lanes512.Zero;
        for (int i = 0; i < n; i++)
        {
            acc0 += NarrowLaneSums.Term<Lanes512, R>(Lanes512.Load(b0 + i * Lines), halfP, zeroTerm, tab);
            acc1 += NarrowLaneSums.Term<Lanes512, R>(Lanes512.Load(b1 + i * Lines), halfP, zeroTerm, tab);
        }
        GeneralRoots(acc0, acc1, p, tab, res);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void GeneralRoots(Lanes512 acc0, Lanes512 acc1, double p, double* tab, double* res)
    {
        var r0 = NarrowLaneSums.Root(acc0, p, tab);
        var r1 = NarrowLaneSums.Root(acc1, p, tab);
        r0.Store(res);
        r1.Store(res + Lines);
    }
}
