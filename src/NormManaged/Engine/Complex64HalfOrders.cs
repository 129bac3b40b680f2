using System.Runtime.Intrinsics;
using NormManaged.Kernels;

namespace NormManaged.Engine;

// Orders of ComplexShortRows (complex64 rows and Complex64Columns' adjacent columns) whose terms are algebraic in
// s = fl(re² + im²): square roots (Complex64Fast.Sqrt's FMA-only roots on 512-bit lanes), products and a reciprocal
// instead of NarrowLaneSums' plain-double exp(½p·ln s) per value (which made complex64 (4, 3000) axis 0 ord 2.5 ~0.5×
// NumPy). One ln/exp per output remains, in the root (ComplexShortRows.LiteRoot, |1/p| ≤ 2/3 here). The proof is
// ComplexShortRows.Roots': terms within k·u of |z|^p (s's own rounding included), a plain sum, the root's bound, the
// store test; the first-order sums below each leave a margin to the bound stated (second-order terms ~2⁻⁸⁰).

/// <summary>p = 1.5: a·√a with a = √s (s^(3/4): 0.75u from s, 1.5·0.5u from a, 0.5u + u from √a and the product:
/// ≤ 3u); wide: a within 3100u, √a within 1550u + 3100u, the product u: ≤ 1.5·3100u + 3100u + 1.75u &lt; 8192u.</summary>
internal readonly unsafe struct C64RowOneHalf : IC64RowOrder
{
    public static bool Negative => false;
    public static L Term<L>(L s) where L : struct, ILanes<L> { var a = L.Sqrt(s); return a * L.Sqrt(a); }
    public static L Root<L>(L sum, double* tmp) where L : struct, ILanes<L> => ComplexShortRows.LiteRoot(sum, 1.0 / 1.5, tmp);
    public static long RootUlps => ComplexShortRows.LiteRootUlps;
    public static Vector512<double> WideTerm(Vector512<double> s) { var a = Complex64Fast.Sqrt(s); return a * Complex64Fast.Sqrt(a); }
    public static int WideUlps => 8192;
    public static int Ulps => 4;
}

/// <summary>p = 2.5: s·√√s (1.25u from s, 0.25u + 0.5u from the roots, u the product: ≤ 3u); wide
/// <see cref="C64TwoHalf"/>.</summary>
internal readonly unsafe struct C64RowTwoHalf : IC64RowOrder
{
    public static bool Negative => false;
    public static L Term<L>(L s) where L : struct, ILanes<L> => s * L.Sqrt(L.Sqrt(s));
    public static L Root<L>(L sum, double* tmp) where L : struct, ILanes<L> => ComplexShortRows.LiteRoot(sum, 0.4, tmp);
    public static long RootUlps => ComplexShortRows.LiteRootUlps;
    public static Vector512<double> WideTerm(Vector512<double> s) => C64TwoHalf.Term(s);
    public static int WideUlps => C64TwoHalf.Ulps;
    public static int Ulps => 4;
}

/// <summary>p = −2.5: 1/(s·√√s) (the product's 3u, the division's u: ≤ 4u); wide the reciprocal of
/// <see cref="C64TwoHalf"/>'s term by <see cref="FloatPowFast.Recip"/> (1.3u more: ≤ 4702u + 1.3u &lt; 8192u).</summary>
internal readonly unsafe struct C64RowNegTwoHalf : IC64RowOrder
{
    public static bool Negative => true;
    public static L Term<L>(L s) where L : struct, ILanes<L> => L.Create(1.0) / (s * L.Sqrt(L.Sqrt(s)));
    public static L Root<L>(L sum, double* tmp) where L : struct, ILanes<L> => ComplexShortRows.LiteRoot(sum, -0.4, tmp);
    public static long RootUlps => ComplexShortRows.LiteRootUlps;
    public static Vector512<double> WideTerm(Vector512<double> s) => FloatPowFast.Recip(C64TwoHalf.Term(s));
    public static int WideUlps => 8192;
    public static int Ulps => 5;
}

/// <summary>p = −3: 1/(s·√s) (1.5u from s, 0.5u + u + u from the root, product and division: ≤ 4u); wide the
/// reciprocal of <see cref="C64Cube"/>'s term (≤ 3102u + 1.3u &lt; 4096u).</summary>
internal readonly unsafe struct C64RowNegCube : IC64RowOrder
{
    public static bool Negative => true;
    public static L Term<L>(L s) where L : struct, ILanes<L> => L.Create(1.0) / (s * L.Sqrt(s));
    public static L Root<L>(L sum, double* tmp) where L : struct, ILanes<L> => ComplexShortRows.LiteRoot(sum, -1.0 / 3, tmp);
    public static long RootUlps => ComplexShortRows.LiteRootUlps;
    public static Vector512<double> WideTerm(Vector512<double> s) => FloatPowFast.Recip(C64Cube.Term(s));
    public static int WideUlps => C64Cube.Ulps;
    public static int Ulps => 5;
}
