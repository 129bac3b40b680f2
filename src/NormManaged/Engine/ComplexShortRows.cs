using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>An order of <see cref="ComplexShortRows"/> whose terms need no scaling: |z|^p from s = fl(re² + im²)
/// (s ∈ {0} ∪ [2⁻²⁹⁸, 2²⁵⁷], or ∞/NaN; see <see cref="IC64Term"/>), the norm from the plain sum S of the terms.</summary>
internal unsafe interface IC64RowOrder
{
    /// <summary>True for p &lt; 0 (a zero element sends the line to the 1-D path).</summary>
    static abstract bool Negative { get; }
    /// <summary>|z|^p from s, lane-wise.</summary>
    static abstract L Term<L>(L s) where L : struct, ILanes<L>;
    /// <summary>The same term on 512-bit lanes by <see cref="Complex64Fast"/>'s FMA-only roots (<see cref="IC64Term"/>;
    /// the hardware square root's throughput bounds <see cref="Term{L}"/>).</summary>
    static abstract Vector512<double> WideTerm(Vector512<double> s);
    /// <summary>Relative error of <see cref="WideTerm"/> (s's rounding included), in units of u.</summary>
    static abstract int WideUlps { get; }
    /// <summary>S^(1/p), lane-wise (<paramref name="tmp"/>: 2·L.Count doubles of scratch).</summary>
    static abstract L Root<L>(L sum, double* tmp) where L : struct, ILanes<L>;
    /// <summary>Relative error of a term (s's rounding included), in units of u = 2⁻⁵³.</summary>
    static abstract int Ulps { get; }
    /// <summary>Relative error of the root beyond its error from the sum's, in double ulps of the result.</summary>
    static abstract long RootUlps { get; }
}

/// <summary>Where <see cref="ComplexShortRows"/>' lane sums read s = fl(re² + im²) of value i of eight lines, lanes
/// h … h + L.Count − 1 in line order.</summary>
internal interface IC64Squares
{
    L Load<L>(long i, int h) where L : struct, ILanes<L>;
}

/// <summary>s from a buffer filled beforehand, value i of line r at buf[8i + r].</summary>
internal readonly unsafe struct BufferedSquares(double* buf) : IC64Squares
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public L Load<L>(long i, int h) where L : struct, ILanes<L> => L.Load(buf + i * 8 + h);
}

/// <summary>p = 2: the term is s (one rounding), the root √S.</summary>
internal readonly unsafe struct C64RowSquares : IC64RowOrder
{
    public static bool Negative => false;
    public static L Term<L>(L s) where L : struct, ILanes<L> => s;
    public static L Root<L>(L sum, double* tmp) where L : struct, ILanes<L> => L.Sqrt(sum);
    public static long RootUlps => 1;
    public static Vector512<double> WideTerm(Vector512<double> s) => s;
    public static int WideUlps => 1;
    public static int Ulps => 1;
}

/// <summary>p = 1: √s (≤ u/2 + u), the root S.</summary>
internal readonly unsafe struct C64RowAbs : IC64RowOrder
{
    public static bool Negative => false;
    public static L Term<L>(L s) where L : struct, ILanes<L> => L.Sqrt(s);
    public static L Root<L>(L sum, double* tmp) where L : struct, ILanes<L> => sum;
    public static long RootUlps => 0;
    public static Vector512<double> WideTerm(Vector512<double> s) => C64Abs.Term(s);
    public static int WideUlps => C64Abs.Ulps;
    public static int Ulps => 2;
}

/// <summary>p = 0.5: √√s (≤ u/4 + u/2 + u), the root S².</summary>
internal readonly unsafe struct C64RowRoot : IC64RowOrder
{
    public static bool Negative => false;
    public static L Term<L>(L s) where L : struct, ILanes<L> => L.Sqrt(L.Sqrt(s));
    public static L Root<L>(L sum, double* tmp) where L : struct, ILanes<L> => sum * sum;
    public static long RootUlps => 1;
    public static Vector512<double> WideTerm(Vector512<double> s) => C64Root.Term(s);
    public static int WideUlps => C64Root.Ulps;
    public static int Ulps => 2;
}

/// <summary>p = 3: s·√s (≤ u + 1.5u + u), the root by <see cref="ComplexShortRows.LiteRoot{L}"/>.</summary>
internal readonly unsafe struct C64RowCube : IC64RowOrder
{
    public static bool Negative => false;
    public static L Term<L>(L s) where L : struct, ILanes<L> => s * L.Sqrt(s);
    public static L Root<L>(L sum, double* tmp) where L : struct, ILanes<L> => ComplexShortRows.LiteRoot(sum, 1.0 / 3, tmp);
    public static long RootUlps => ComplexShortRows.LiteRootUlps;
    public static Vector512<double> WideTerm(Vector512<double> s) => C64Cube.Term(s);
    public static int WideUlps => C64Cube.Ulps;
    public static int Ulps => 4;
}

/// <summary>p = 4: s² (≤ 2u + u), the root √√S.</summary>
internal readonly unsafe struct C64RowFourth : IC64RowOrder
{
    public static bool Negative => false;
    public static L Term<L>(L s) where L : struct, ILanes<L> => s * s;
    public static L Root<L>(L sum, double* tmp) where L : struct, ILanes<L> => L.Sqrt(L.Sqrt(sum));
    public static long RootUlps => 2;
    public static Vector512<double> WideTerm(Vector512<double> s) => C64Fourth.Term(s);
    public static int WideUlps => C64Fourth.Ulps;
    public static int Ulps => 4;
}

/// <summary>p = −1: 1/√s (≤ u + u/2 + u), the root 1/S.</summary>
internal readonly unsafe struct C64RowRecip : IC64RowOrder
{
    public static bool Negative => true;
    public static L Term<L>(L s) where L : struct, ILanes<L> => L.Create(1.0) / L.Sqrt(s);
    public static L Root<L>(L sum, double* tmp) where L : struct, ILanes<L> => L.Create(1.0) / sum;
    public static long RootUlps => 1;
    public static Vector512<double> WideTerm(Vector512<double> s) => C64Recip.Term(s);
    public static int WideUlps => C64Recip.Ulps;
    public static int Ulps => 3;
}

/// <summary>p = −2: 1/s (≤ 2u), the root 1/√S.</summary>
internal readonly unsafe struct C64RowRecipSquare : IC64RowOrder
{
    public static bool Negative => true;
    public static L Term<L>(L s) where L : struct, ILanes<L> => L.Create(1.0) / s;
    public static L Root<L>(L sum, double* tmp) where L : struct, ILanes<L> => L.Create(1.0) / L.Sqrt(sum);
    public static long RootUlps => 2;
    public static Vector512<double> WideTerm(Vector512<double> s) => C64RecipSquare.Term(s);
    public static int WideUlps => C64RecipSquare.Ulps;
    public static int Ulps => 2;
}

/// <summary>Complex64 vector norms (and complex128 ord 1: <see cref="Complex128Rows"/>) over one axis of many short lines (≤ <see cref="MaxInner"/> values), eight lines
/// side by side in double lanes (s = re² + im² of value i of line r at buf[8i + r]: both squares exact, one rounding).
///
/// complex64 results are float32 and the 1-D path's are correctly rounded (<see cref="Complex64Fast"/>, the exact
/// per-element paths), so a line needs no particular operations, only a proof: each lane computes its line's norm in
/// double and the float32 is stored only when it is provably the correctly rounded value — unique, hence the bits of
/// the same line reduced alone, whatever the lane, width, alignment or thread count. Otherwise (near a float32
/// midpoint, NaN, ∞, a zero with p &lt; 0, no nonzero value, a result outside the normal float range) the line goes
/// through the whole dispatch alone (<see cref="AcrossOutputsWide.Alone(byte*, DType, long, long, byte*, DType, double)"/>),
/// with its values and FP events.
/// <list type="bullet">
/// <item>p = 2, 1, 0.5, 3, 4, −1, −2, 1.5, 2.5, −2.5, −3 (<see cref="IC64RowOrder"/>, Complex64HalfOrders.cs): a plain double sum of terms with relative error ≤
/// k·u, each through ≤ n additions, so within γ_{n+k}; the root and <see cref="FloatPowFast.TryStore"/>'s test, the
/// argument of <see cref="Complex64Fast"/>.</item>
/// <item>other p with 1/4 ≤ |p| ≤ 128: <see cref="NarrowLaneSums"/>' float32 term and root on s — |z|^p = s^(p/2) =
/// exp((p/2)·ln s) in plain double, unscaled, a plain sum, the root e^(ln S / p), stored when r(1 ± 2⁻³⁶/min(1, |p|))
/// holds no float32 midpoint (the bound in <see cref="Roots"/>); a sum outside [2⁻⁹⁶⁰, 2⁹⁶⁰] sends the line alone.</item>
/// </list></summary>
internal static unsafe class ComplexShortRows
{
    /// <summary>Lines side by side: one 512-bit vector or two 256-bit ones.</summary>
    private const int Lines = 8;

    /// <summary>Longest line taken.</summary>
    internal const long MaxInner = 64;

    /// <summary>Longest line taken for p = 2 (the block driver's squares measured faster from 16: rows of 64 2.3× NumPy there).</summary>
    internal const long MaxSquares = 8;

    /// <summary>Longest complex128 line taken (ord 1). Until session 14 16: rows of 64 had measured 0.85× NumPy on the
    /// 1-D offset sums and 0.53× here; with the contiguous transposes here, measured side by side (best wall time, a
    /// loaded machine): one thread (3000,32) 235 → 131 µs, (1000,64) 100 → 80 µs, (40,50,60) axis 2 227 → 156 µs
    /// (NumPy 114 / 70 / 139 µs); two threads (3000,20) 290 → 105 µs (NumPy 75 µs).</summary>
    internal const long MaxAbs128 = 64;

    /// <summary>Longest line taken for general p (NarrowLaneSums' plain-double terms): side by side with the 1-D path
    /// rows of 25 measured 2.9–6.5× faster here, of 32–48 2.0–3.9×, of 64 1.6–2.5×.</summary>
    internal const long MaxGeneral = 64;

    /// <summary>Values from which complex64 squares and magnitudes are split over threads; the orders with roots or
    /// powers per value and complex128 magnitudes take <see cref="Parallelism.CostlyElements"/> (complex64 rows
    /// (3000, 4) ord 1.7 ran on one thread at 2¹⁵, 65 µs against NumPy's 45).</summary>
    private const long ParallelElements = 1L << 15;

    internal const int Simple = 0, Squares = 1, Abs = 2, Root = 3, Cube = 4, Fourth = 5, Recip = 6, RecipSquare = 7, General = 8, Abs128 = 9,
        OneHalf = 10, TwoHalf = 11, NegTwoHalf = 12, NegCube = 13;

    /// <summary>True for complex64 → float32 over one axis of 1 … <see cref="MaxInner"/> values, at least
    /// <see cref="Lines"/> outputs, of an order this kernel computes.</summary>
    public static bool Applies(ReductionPlan plan, DType t, DType ot, double p)
        => plan.InnerShape.Length == 1 && plan.OuterCount >= Lines && plan.InnerCount >= 1
           && ((t == DType.Complex64 && ot == DType.Float32
                && plan.InnerCount <= KindOf(p) switch { Simple => 0, Squares => MaxSquares, General => MaxGeneral, _ => MaxInner })
               || (t == DType.Complex128 && ot == DType.Float64 && p == 1 && plan.InnerCount <= MaxAbs128));

    internal static int KindOf(double p) => p switch
    {
        2 => Squares,
        1 => Abs,
        0.5 => Root,
        3 => Cube,
        4 => Fourth,
        -1 => Recip,
        -2 => RecipSquare,
        1.5 => OneHalf, 2.5 => TwoHalf, -2.5 => NegTwoHalf, -3 => NegCube, // algebraic terms (Complex64HalfOrders.cs)
        _ => Math.Abs(p) >= 0.25 && Math.Abs(p) <= MaxGeneralOrder ? General : Simple,
    };

    /// <summary>Largest |p| of the General kind. Its terms are unscaled, and a line whose sum leaves [2⁻⁹⁶⁰, 2⁹⁶⁰] goes
    /// alone through the whole dispatch (~10× a lane's cost): for p &gt; 0 that is a line whose largest |z| lies outside
    /// 2^(±960/p), here [2⁻⁷·⁵, 2⁷·⁵] (p &lt; 0: its smallest). Until session 21 the limit was 64: complex64 (4,3000) ord
    /// ±100 went line by line through the block path, 0.47× NumPy, now 8×; at |p| = 800 random rows of 16 left the range
    /// half the time (285 → 900 µs), hence not NarrowLaneSums' 1000.</summary>
    internal const double MaxGeneralOrder = 128;

    /// <summary>True for the orders of the General kind: 1/4 ≤ |p| ≤ <see cref="MaxGeneralOrder"/> and none of the
    /// orders with terms of their own.</summary>
    internal static bool IsGeneral(double p) => KindOf(p) == General;

    /// <summary>Computes every output of the plan.</summary>
    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, double p, byte* o)
    {
        long outs = plan.OuterCount;
        int threads = Parallelism.MaxThreads;
        int kind = t == DType.Complex128 ? Abs128 : KindOf(p);
        if (threads > 1 && outs * plan.InnerCount >= (kind is Squares or Abs ? ParallelElements : Parallelism.CostlyElements))
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(outs, threads, (k0, count) => Range(plan, (byte*)xb, t, p, (byte*)ob, k0, count));
        }
        return Range(plan, x, t, p, o, 0, outs);
    }

    private static FpEvents Range(ReductionPlan plan, byte* x, DType t, double p, byte* o, long first, long count)
    {
        int n = (int)plan.InnerCount, kind = t == DType.Complex128 ? Abs128 : KindOf(p);
        double* buf = stackalloc double[(kind == Abs128 ? 2 : 1) * n * Lines];
        double* res = stackalloc double[5 * Lines]; // per lane: the root; then scratch (Abs128Group, Roots)
        byte** xs = stackalloc byte*[Lines];
        byte** os = stackalloc byte*[Lines];
        var ev = FpEvents.None;
        var it = new OuterIterator(plan, x, o, first, count);
        LineMemo.Init(out var memo); // repeated lines that fail the store test: the 1-D path once (LineMemo)
        bool flat = plan.OuterShape.Length == 1; // one kept axis: the lines' addresses directly
        long inStep = plan.OuterInStrides[0], outStep = plan.OuterOutStrides[0];
        for (long k = 0; k < count; k += Lines)
        {
            int m = (int)Math.Min(Lines, count - k);
            for (int r = 0; r < m; r++)
            {
                if (flat)
                {
                    xs[r] = x + (first + k + r) * inStep + plan.InnerBaseOffset;
                    os[r] = o + (first + k + r) * outStep;
                }
                else
                {
                    it.Next(out byte* xp, out os[r]);
                    xs[r] = xp + plan.InnerBaseOffset;
                }
            }
            for (int r = m; r < Lines; r++) xs[r] = xs[0]; // idle lanes repeat a line; nothing of theirs is stored
            ev |= Group8(plan, kind, p, xs, os, m, buf, res, ref memo);
        }
        return ev;
    }

    /// <summary>The outputs of eight lines (the first <paramref name="m"/> real).</summary>
    private static FpEvents Group8(ReductionPlan plan, int kind, double p, byte** xs, byte** os, int m, double* buf, double* res, ref LineMemo memo)
    {
        int n = (int)plan.InnerCount;
        long stride = plan.InnerStrides[0];
        if (kind == Abs128) return Abs128Group(xs, os, m, n, stride, p, buf, res);
        if (stride == 8 && RealKernels.Wide && Avx512F.IsSupported) ContiguousSquares(xs, n, buf);
        else if (EvenWords.Uniform(xs, Lines, out long apart) && apart is 16 or 24 && RealKernels.Wide && Avx512F.IsSupported)
            SpacedSquares(xs[0], apart, n, stride, buf);
        else if (RealKernels.Wide && Avx512F.IsSupported && Avx2.IsSupported)
            GatheredSquares(xs, n, stride, buf);
        else
            for (int r = 0; r < Lines; r++)
            {
                byte* q = xs[r];
                for (int i = 0; i < n; i++) buf[i * Lines + r] = SquareOf(q + i * stride);
            }
        long ulps = Roots(kind, n, p, buf, res);
        var ev = FpEvents.None;
        for (int r = 0; r < m; r++)
            if (!LaneAcross.TryStoreSingle(res[r], ulps, os[r])) // NaN (a line to finish alone) fails too
                ev |= memo.Alone(xs[r], DType.Complex64, n, stride, os[r], DType.Float32, p);
        return ev;
    }

    /// <summary>complex128 ord 1 (<see cref="Complex128Rows"/>): the parts side by side, the lanes' double-double sums,
    /// the proven double or the line alone.</summary>
    private static FpEvents Abs128Group(byte** xs, byte** os, int m, int n, long stride, double p, double* buf, double* res)
    {
        if (stride == 16 && RealKernels.Wide && Avx512F.IsSupported) Complex128Rows.ContiguousParts(xs, n, buf);
        else if (RealKernels.Wide && Avx512F.IsSupported) LinesParts(xs, n, stride, buf);
        else
            for (int r = 0; r < Lines; r++)
            {
                byte* q = xs[r];
                for (int i = 0; i < n; i++)
                {
                    buf[2 * i * Lines + r] = Unsafe.ReadUnaligned<double>(q + i * stride);
                    buf[(2 * i + 1) * Lines + r] = Unsafe.ReadUnaligned<double>(q + i * stride + 8);
                }
            }
        if (RealKernels.Wide) Complex128Rows.AbsSums<Lanes512>(n, buf, res); else Complex128Rows.AbsSums<Lanes256>(n, buf, res);
        var ev = FpEvents.None;
        for (int r = 0; r < m; r++)
            if (!Complex128Rows.TryStore(res[r], res[Lines + r], res[2 * Lines + r], os[r]))
                ev |= AcrossOutputsWide.Alone(xs[r], DType.Complex128, n, stride, os[r], DType.Float64, p);
        return ev;
    }

    /// <summary>The parts of eight complex128 lines at any addresses (strided, N-D and transposed views, groups that
    /// span two rows of kept outputs), part j of line r to buf[8j + r]: value i of the eight lines by one 16-byte load
    /// each, joined into two 512-bit vectors and split into real and imaginary parts by two two-source permutes
    /// (copies: the same values). Value by value it was a third of complex128 matrix ord 1 over <c>a[::2, :, ::3]</c>
    /// stacks (sixteen scalar loads and stores a value index).</summary>
    private static void LinesParts(byte** xs, int n, long stride, double* buf)
    {
        byte* x0 = xs[0], x1 = xs[1], x2 = xs[2], x3 = xs[3], x4 = xs[4], x5 = xs[5], x6 = xs[6], x7 = xs[7];
        long off = 0;
        for (int i = 0; i < n; i++, off += stride)
        {
            var re = Parts8(x0, x1, x2, x3, x4, x5, x6, x7, off, out var im);
            re.Store(buf + 2 * i * Lines);
            im.Store(buf + (2 * i + 1) * Lines);
        }
    }

    /// <summary>The real parts (returned) and imaginary parts of the complex128 values at xr + off for the eight line
    /// addresses x0 … x7 (passed one by one: the callers keep them in registers across their loops, where a pointer
    /// array would be read again after every store): one 16-byte load each, joined into two 512-bit vectors and split
    /// by two two-source permutes (AVX-512).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> Parts8(byte* x0, byte* x1, byte* x2, byte* x3, byte* x4, byte* x5, byte* x6, byte* x7, long off,
        out Vector512<double> im)
    {
        var a = Vector512.Create(Vector256.Create(Vector128.Load((double*)(x0 + off)), Vector128.Load((double*)(x1 + off))),
                                 Vector256.Create(Vector128.Load((double*)(x2 + off)), Vector128.Load((double*)(x3 + off))));
        var b = Vector512.Create(Vector256.Create(Vector128.Load((double*)(x4 + off)), Vector128.Load((double*)(x5 + off))),
                                 Vector256.Create(Vector128.Load((double*)(x6 + off)), Vector128.Load((double*)(x7 + off))));
        im = Avx512F.PermuteVar8x64x2(a, Vector512.Create(1L, 3, 5, 7, 9, 11, 13, 15), b);
        return Avx512F.PermuteVar8x64x2(a, Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14), b);
    }

    /// <summary>Each lane's norm in double into res[r] (NaN for a line to finish alone); the bound on its error in
    /// double ulps.</summary>
    internal static long Roots(int kind, int n, double p, double* buf, double* res)
    {
        long ulps = KindRoots(kind, n, new BufferedSquares(buf), res);
        if (ulps >= 0) return ulps;
        bool wide = RealKernels.Wide;
        if (ClampsTerms(p))
        {
            if (wide) GeneralRoots<Lanes512, NarrowLaneSums.Clamped>(n, buf, res, p); else GeneralRoots<Lanes256, NarrowLaneSums.Clamped>(n, buf, res, p);
        }
        else if (wide) GeneralRoots<Lanes512, NarrowLaneSums.InRange>(n, buf, res, p); else GeneralRoots<Lanes256, NarrowLaneSums.InRange>(n, buf, res, p);
        // NarrowLaneSums' bound: ln s (|k| ≤ 298) within 2⁻⁴³ + 298·2⁻⁵⁴ ≤ 2⁻⁴²·⁷, s's own rounding u more; z = (p/2)·ln s
        // within |p|·2⁻⁴³·⁶ + 2⁻⁴³·⁵; a term within |p|·2⁻⁴³·⁶ + 2⁻⁴¹·⁹ (its ε_S for float32 terms), ≤ 63 additions
        // ≤ 2⁻⁴⁷: the root within 2⁻⁴⁰/min(1, |p|), the store allowing 2⁻³⁶/min(1, |p|)
        return NarrowLaneSums.Ulps(p);
    }

    /// <summary>Each lane's norm for the orders with terms of their own (<see cref="IC64RowOrder"/>) from the s values
    /// of <paramref name="src"/>, as <see cref="Roots(int, int, double, double*, double*)"/>; −1 for any other kind
    /// (nothing written).</summary>
    internal static long KindRoots<S>(int kind, long n, S src, double* res) where S : struct, IC64Squares
    {
        bool wide = RealKernels.Wide;
        switch (kind)
        {
            case Squares: return wide ? Roots<Lanes512, C64RowSquares, S>(n, src, res) : Roots<Lanes256, C64RowSquares, S>(n, src, res);
            case Abs: return wide ? Roots<Lanes512, C64RowAbs, S>(n, src, res) : Roots<Lanes256, C64RowAbs, S>(n, src, res);
            case Root: return wide ? Roots<Lanes512, C64RowRoot, S>(n, src, res) : Roots<Lanes256, C64RowRoot, S>(n, src, res);
            case Cube: return wide ? Roots<Lanes512, C64RowCube, S>(n, src, res) : Roots<Lanes256, C64RowCube, S>(n, src, res);
            case Fourth: return wide ? Roots<Lanes512, C64RowFourth, S>(n, src, res) : Roots<Lanes256, C64RowFourth, S>(n, src, res);
            case Recip: return wide ? Roots<Lanes512, C64RowRecip, S>(n, src, res) : Roots<Lanes256, C64RowRecip, S>(n, src, res);
            case RecipSquare: return wide ? Roots<Lanes512, C64RowRecipSquare, S>(n, src, res) : Roots<Lanes256, C64RowRecipSquare, S>(n, src, res);
            case OneHalf: return wide ? Roots<Lanes512, C64RowOneHalf, S>(n, src, res) : Roots<Lanes256, C64RowOneHalf, S>(n, src, res);
            case TwoHalf: return wide ? Roots<Lanes512, C64RowTwoHalf, S>(n, src, res) : Roots<Lanes256, C64RowTwoHalf, S>(n, src, res);
            case NegTwoHalf: return wide ? Roots<Lanes512, C64RowNegTwoHalf, S>(n, src, res) : Roots<Lanes256, C64RowNegTwoHalf, S>(n, src, res);
            case NegCube: return wide ? Roots<Lanes512, C64RowNegCube, S>(n, src, res) : Roots<Lanes256, C64RowNegCube, S>(n, src, res);
        }
        return -1;
    }

    /// <summary>fl(re² + im²) of the complex64 value at <paramref name="q"/>: both squares are exact in double, so
    /// any evaluation order gives this one rounding (cvtps2pd of the pair: a scalar conversion would merge into its
    /// destination register and chain the copies).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SquareOf(byte* q)
    {
        if (Sse2.IsSupported)
        {
            var w = Sse2.ConvertToVector128Double(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<double>(q)).AsSingle());
            var sq = w * w;
            return sq.ToScalar() + sq.GetElement(1);
        }
        double re = Unsafe.ReadUnaligned<float>(q), im = Unsafe.ReadUnaligned<float>(q + 4);
        return Math.FusedMultiplyAdd(re, re, im * im);
    }

    /// <summary>s of eight lines two or three values apart (<paramref name="apart"/> 16 or 24 bytes: the outputs of
    /// <c>a[..., ::2]</c>, axis 0 of <c>a[::2, :, ::3]</c>): value i of the eight lines is one row read by
    /// <see cref="EvenWords.EvenQwords8"/> / <see cref="EvenWords.ThirdQwords8"/>, widened, squared and each pair added
    /// (exact squares, one rounding: <see cref="SquareOf"/>'s s). Element by element the gather was two fifths of
    /// complex64 ord 1 over axis 0 of a[::2, :, ::3].</summary>
    private static void SpacedSquares(byte* q, long apart, int n, long stride, double* buf)
    {
        var evens = Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14);
        var odds = Vector512.Create(1L, 3, 5, 7, 9, 11, 13, 15);
        for (int i = 0; i < n; i++, q += stride)
        {
            var f = (apart == 16 ? EvenWords.EvenQwords8(q) : EvenWords.ThirdQwords8(q)).AsSingle();
            Squares8(f.GetLower(), f.GetUpper(), evens, odds).Store(buf + i * Lines);
        }
    }

    /// <summary>s of eight lines at any addresses (a group that spans two rows of kept outputs, lines of no common
    /// spacing): value i of the eight lines by two 4-lane gathers of its 8 bytes (the lines' offsets from the first),
    /// then squared as <see cref="SpacedSquares"/> does (the same s).</summary>
    private static void GatheredSquares(byte** xs, int n, long stride, double* buf)
    {
        byte* q = xs[0];
        var lo = Offsets4(xs, 0);
        var hi = Offsets4(xs, 4);
        for (int i = 0; i < n; i++, q += stride) GatherSquares8(q, lo, hi).Store(buf + i * Lines);
    }

    /// <summary>Byte offsets of xs[first … first + 3] from xs[0], the indices of a 4-lane 64-bit gather.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<long> Offsets4(byte** xs, int first)
        => Vector256.Create(xs[first] - xs[0], xs[first + 1] - xs[0], xs[first + 2] - xs[0], xs[first + 3] - xs[0]);

    /// <summary>s = re² + im² (each square and the sum rounded once, as <see cref="SquareOf"/>) of the eight complex64
    /// values at q + lo[r] and q + hi[r]: two 4-lane AVX2 gathers of their 8 bytes, widened (AVX-512).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> GatherSquares8(byte* q, Vector256<long> lo, Vector256<long> hi)
        => Squares8(Avx2.GatherVector256((long*)q, lo, 1).AsSingle(), Avx2.GatherVector256((long*)q, hi, 1).AsSingle(),
                    Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14), Vector512.Create(1L, 3, 5, 7, 9, 11, 13, 15));

    /// <summary>s of values i … i + 3 of the eight contiguous lines (value i of line r to buf[8i + r]) from one 32-byte
    /// load a line: the squares of the widened parts, each pair added (exact squares, one rounding: the same s as
    /// <see cref="SquareOf"/>), then an 8 × 4 transpose by two-source permutes (gathers measured several times slower).
    /// The last n mod 4 values by <see cref="SquareOf"/>.</summary>
    private static void ContiguousSquares(byte** xs, int n, double* buf)
    {
        var evens = Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14);
        var odds = Vector512.Create(1L, 3, 5, 7, 9, 11, 13, 15);
        var t0 = Vector512.Create(0L, 4, 8, 12, 1, 5, 9, 13);
        var t1 = Vector512.Create(2L, 6, 10, 14, 3, 7, 11, 15);
        var lo = Vector512.Create(0L, 1, 2, 3, 8, 9, 10, 11);
        var hi = Vector512.Create(4L, 5, 6, 7, 12, 13, 14, 15);
        int i = 0;
        for (; i + 4 <= n; i += 4)
        {
            // P[k] = [s of lines 2k and 2k + 1, values i … i + 3 each]
            var p0 = PairSquares(xs[0], xs[1], i, evens, odds);
            var p1 = PairSquares(xs[2], xs[3], i, evens, odds);
            var p2 = PairSquares(xs[4], xs[5], i, evens, odds);
            var p3 = PairSquares(xs[6], xs[7], i, evens, odds);
            var q0 = Avx512F.PermuteVar8x64x2(p0, t0, p1); // values i, i + 1 of lines 0–3
            var q1 = Avx512F.PermuteVar8x64x2(p0, t1, p1); // values i + 2, i + 3
            var r0 = Avx512F.PermuteVar8x64x2(p2, t0, p3); // the same of lines 4–7
            var r1 = Avx512F.PermuteVar8x64x2(p2, t1, p3);
            Avx512F.PermuteVar8x64x2(q0, lo, r0).Store(buf + i * Lines);
            Avx512F.PermuteVar8x64x2(q0, hi, r0).Store(buf + (i + 1) * Lines);
            Avx512F.PermuteVar8x64x2(q1, lo, r1).Store(buf + (i + 2) * Lines);
            Avx512F.PermuteVar8x64x2(q1, hi, r1).Store(buf + (i + 3) * Lines);
        }
        for (; i < n; i++)
            for (int r = 0; r < Lines; r++) buf[i * Lines + r] = SquareOf(xs[r] + 8L * i);
    }

    /// <summary>[s of values i … i + 3 of line a, the same of line b].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> PairSquares(byte* a, byte* b, int i, Vector512<long> evens, Vector512<long> odds)
        => Squares8(Vector256.Load((float*)a + 2 * i), Vector256.Load((float*)b + 2 * i), evens, odds);

    /// <summary>s = re² + im² of the four complex64 values in <paramref name="a"/>, then of the four in
    /// <paramref name="b"/>: the parts widened, squared (exact) and each pair added (one rounding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Squares8(Vector256<float> a, Vector256<float> b, Vector512<long> evens, Vector512<long> odds)
    {
        var wa = Avx512F.ConvertToVector512Double(a);
        var wb = Avx512F.ConvertToVector512Double(b);
        wa *= wa; wb *= wb;
        return Avx512F.PermuteVar8x64x2(wa, evens, wb) + Avx512F.PermuteVar8x64x2(wa, odds, wb);
    }

    /// <summary>The lanes' plain sums of <typeparamref name="T"/>'s terms and their roots into res (NaN for a line
    /// with NaN, ∞ or — p &lt; 0 — a zero); the result's bound in double ulps.</summary>
    private static long Roots<L, T, S>(long n, S src, double* res) where L : struct, ILanes<L> where T : struct, IC64RowOrder where S : struct, IC64Squares
    {
        var inf = L.Create(double.PositiveInfinity);
        double* tmp = res + 3 * Lines;
        bool wide = typeof(L) == typeof(Lanes512); // a constant in each instantiation
        for (int h = 0; h < Lines; h += L.Count)
        {
            L acc = L.Zero, bad = L.Zero;
            for (long i = 0; i < n; i++)
            {
                var s = src.Load<L>(i, h);
                bad |= ~L.LessThan(s, inf); // NaN or ∞
                if (T.Negative) bad |= L.Equal(s, L.Zero);
                acc += wide ? Unsafe.BitCast<Vector512<double>, L>(T.WideTerm(Unsafe.BitCast<L, Vector512<double>>(s))) : T.Term(s);
            }
            bad |= ~L.GreaterThan(acc, L.Zero); // no nonzero value (p > 0)
            L.Select(bad, L.Create(double.NaN), T.Root(L.Select(bad, L.Create(1.0), acc), tmp)).Store(res + h);
        }
        // Ŝ = S(1 + ε), |ε| ≤ γ_{n+k} (a term through ≤ n additions, its own error k·u); the root's exponent is at most 2
        // in magnitude, so the result is within 2.1γ + its own rounding(s): in ulps of the result (each ≥ 2⁻⁵³ of it)
        // below 3(n + k) + 2·RootUlps + 4
        return 3L * (n + (wide ? T.WideUlps : T.Ulps)) + 2 * T.RootUlps + 4;
    }

    /// <summary>Bound on <see cref="LiteRoot{L}"/>'s relative error in double ulps: 2⁻³⁶ (ln S within ≲ 2⁻⁴⁸ + 2⁻⁵³|ln S|
    /// absolute, exp within ≲ 2⁻⁵⁰ relative: ≲ 2⁻⁴⁷ for |1/p| ≤ 4; see <see cref="LaneSums"/>' float32 roots).</summary>
    internal const long LiteRootUlps = 1L << 17;

    /// <summary>e^(ln S · <paramref name="invP"/>) by <see cref="VecLogExp"/>'s plain-double ln and exp (S a normal
    /// double; <paramref name="tmp"/>: 2·L.Count doubles).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static L LiteRoot<L>(L sum, double invP, double* tmp) where L : struct, ILanes<L>
    {
        L.Zero.Store(tmp); L.Zero.Store(tmp + L.Count);
        VecLogExp.ExpAddLite(VecLogExp.LnLite(sum, L.Zero), L.AllBitsSet, invP, tmp, tmp + L.Count); // from 0: exact
        return L.Load(tmp);
    }

    /// <summary>The line through the whole dispatch alone: the 1-D path's value and events.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static FpEvents Alone(byte* line, int n, long stride, byte* dst, double p)
        => AcrossOutputsWide.Alone(line, DType.Complex64, n, stride, dst, DType.Float32, p);

    /// <summary>|ln s| above which (p/2)·ln s can leave [−700, 700] for s ∈ [2⁻²⁹⁸, 2²⁵⁷] (ln 2⁻²⁹⁸ ≈ −206.6).</summary>
    private const double MaxLnSquare = 206.7;

    /// <summary>Whether the general kind's terms s^(p/2) need <see cref="NarrowLaneSums.Clamped"/> exponents (else
    /// <see cref="NarrowLaneSums.InRange"/>): the rule of every complex64 kernel on these terms.</summary>
    internal static bool ClampsTerms(double p) => Math.Abs(0.5 * p) * MaxLnSquare > 700;

    /// <summary>General p: each lane's root S^(1/p) into res[r] from <see cref="NarrowLaneSums"/>' plain-double terms
    /// s^(p/2) = exp((p/2)·ln s) (ln to r⁷/7, exp to r⁵/5!, no scaling) and root, NaN for a line to finish alone (a
    /// NaN or ∞ value or — p &lt; 0 — a zero gives a NaN term; a sum outside [2⁻⁹⁶⁰, 2⁹⁶⁰], no nonzero value included,
    /// a NaN root). <typeparamref name="R"/> clamps the exponent where |p/2|·<see cref="MaxLnSquare"/> &gt; 700.</summary>
    private static void GeneralRoots<L, R>(int n, double* buf, double* res, double p) where L : struct, ILanes<L> where R : struct, NarrowLaneSums.ITerms
    {
        double* tab = VecLogExp.Tables;
        var halfP = L.Create(0.5 * p);
        var zeroTerm = L.Create(p > 0 ? 0 : double.NaN);
        for (int h = 0; h < Lines; h += L.Count)
        {
            L acc = L.Zero;
            for (int i = 0; i < n; i++) acc += NarrowLaneSums.Term<L, R>(L.Load(buf + i * Lines + h), halfP, zeroTerm, tab);
            NarrowLaneSums.Root(acc, p, tab).Store(res + h);
        }
    }
}
