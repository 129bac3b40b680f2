using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormManaged.Kernels;

/// <summary>A width-generic vector of double lanes, so that one body of a lane-parallel algorithm
/// runs on Vector256 or Vector512 (<c>ISimdVector</c> is not public in .NET 10). Code is written
/// as generic methods over <c>where L : struct, ILanes&lt;L&gt;</c>; the AOT compiler specialises
/// them per struct type and inlines the one-line members, so the layer costs nothing.
///
/// Every member is one IEEE operation (or a bitwise one) applied to each lane independently, the
/// same instruction at either width. An algorithm that gives each lane its own data and uses only
/// these members therefore produces, in each lane, bits that do not depend on the width or on the
/// lane's mates — as long as any cross-lane decision (<see cref="AllZero"/>, <see cref="AllSet"/>)
/// only skips work that would be an identity for the lanes concerned.
///
/// Masks are vectors whose lanes are all-ones (true) or all-zeros (false), as the comparisons
/// return them.
///
/// Codegen: each member is an inlining candidate of its own (plus the wrapping constructor), so a
/// single method with hundreds of lane operations exceeds the inliner's budget and starts calling
/// the members — split long kernels into phase methods of a few dozen operations each (measured on
/// Stack3: one big method ran 4–5× slower). A generic struct wrapping two of these (16 lanes) was
/// not promoted to registers at all; issue two independent workspaces' phases back to back instead.</summary>
internal unsafe interface ILanes<TSelf> where TSelf : struct, ILanes<TSelf>
{
    /// <summary>Number of double lanes.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes +0.</summary>
    static abstract TSelf Zero { get; }

    /// <summary>All lanes all-ones (the true mask).</summary>
    static abstract TSelf AllBitsSet { get; }

    /// <summary>Every lane <paramref name="value"/>.</summary>
    static abstract TSelf Create(double value);

    /// <summary>Every lane the double whose bits are <paramref name="bits"/>.</summary>
    static abstract TSelf CreateBits(ulong bits);

    /// <summary>Count doubles from <paramref name="p"/> (no alignment required).</summary>
    static abstract TSelf Load(double* p);

    /// <summary>Stores the lanes to Count doubles at <paramref name="p"/>.</summary>
    void Store(double* p);

    /// <summary>Lane <paramref name="i"/>.</summary>
    double this[int i] { get; }

    /// <summary>Lane-wise sum.</summary>
    static abstract TSelf operator +(TSelf a, TSelf b);

    /// <summary>Lane-wise difference.</summary>
    static abstract TSelf operator -(TSelf a, TSelf b);

    /// <summary>Lane-wise product.</summary>
    static abstract TSelf operator *(TSelf a, TSelf b);

    /// <summary>Lane-wise quotient.</summary>
    static abstract TSelf operator /(TSelf a, TSelf b);

    /// <summary>Lane-wise negation (sign bit flipped).</summary>
    static abstract TSelf operator -(TSelf a);

    /// <summary>Bitwise and.</summary>
    static abstract TSelf operator &(TSelf a, TSelf b);

    /// <summary>Bitwise or.</summary>
    static abstract TSelf operator |(TSelf a, TSelf b);

    /// <summary>Bitwise complement.</summary>
    static abstract TSelf operator ~(TSelf a);

    /// <summary>a·b + c rounded once.</summary>
    static abstract TSelf Fma(TSelf a, TSelf b, TSelf c);

    /// <summary>a·b − c rounded once (the same value as <see cref="Fma"/> with −c; a member of its own because the
    /// compiler forms the single fused multiply-subtract only when the negation sits inside the call, which the
    /// <see cref="Lane1"/> wrapper otherwise hides: an extra xor on <see cref="DD.Mul"/>'s latency chain).</summary>
    static abstract TSelf MulSub(TSelf a, TSelf b, TSelf c);

    /// <summary>Correctly rounded square root.</summary>
    static abstract TSelf Sqrt(TSelf a);

    /// <summary>|a| (sign bit cleared).</summary>
    static abstract TSelf Abs(TSelf a);

    /// <summary>Magnitude of <paramref name="magnitude"/>, sign of <paramref name="sign"/>.</summary>
    static abstract TSelf CopySign(TSelf magnitude, TSelf sign);

    /// <summary>Lane-wise maximum with .NET's <c>Vector256.Max</c> semantics (the same at every width).</summary>
    static abstract TSelf Max(TSelf a, TSelf b);

    /// <summary>Lane-wise minimum with .NET's <c>Vector256.Min</c> semantics (the same at every width).</summary>
    static abstract TSelf Min(TSelf a, TSelf b);

    /// <summary>Mask of a == b.</summary>
    static abstract TSelf Equal(TSelf a, TSelf b);

    /// <summary>Mask of a &gt; b.</summary>
    static abstract TSelf GreaterThan(TSelf a, TSelf b);

    /// <summary>Mask of a ≥ b.</summary>
    static abstract TSelf GreaterThanOrEqual(TSelf a, TSelf b);

    /// <summary>Mask of a &lt; b.</summary>
    static abstract TSelf LessThan(TSelf a, TSelf b);

    /// <summary>Mask of a ≤ b.</summary>
    static abstract TSelf LessThanOrEqual(TSelf a, TSelf b);

    /// <summary>Per lane: <paramref name="a"/> where <paramref name="mask"/> is set, else <paramref name="b"/>.</summary>
    static abstract TSelf Select(TSelf mask, TSelf a, TSelf b);

    /// <summary>Whether every bit of every lane is zero (a mask that is false everywhere).</summary>
    static abstract bool AllZero(TSelf mask);

    /// <summary>Whether every bit of every lane is one (a mask that is true everywhere).</summary>
    static abstract bool AllSet(TSelf mask);

    /// <summary>Each lane's 64 bits shifted right by <paramref name="count"/> (logical: zeros enter).</summary>
    static abstract TSelf ShiftRightBits(TSelf a, int count);

    /// <summary>Each lane's 64 bits shifted left by <paramref name="count"/>.</summary>
    static abstract TSelf ShiftLeftBits(TSelf a, int count);

    /// <summary>Each lane's 64 bits as an integer, <paramref name="b"/>'s subtracted (modulo 2⁶⁴).</summary>
    static abstract TSelf SubtractBits(TSelf a, TSelf b);

    /// <summary>The even-indexed doubles of the 2·Count doubles <paramref name="a"/> then <paramref name="b"/>
    /// (the real parts of Count interleaved complex values), in order.</summary>
    static abstract TSelf Evens(TSelf a, TSelf b);

    /// <summary>The odd-indexed doubles of <paramref name="a"/> then <paramref name="b"/> (the imaginary parts).</summary>
    static abstract TSelf Odds(TSelf a, TSelf b);

    /// <summary>Per lane, <paramref name="table"/>[i] for the 64-bit integer i ∈ [0, 15] held in the lane's bits of
    /// <paramref name="index"/> (a 16-entry table: a two-register permute at 512 bits, a gather at 256).</summary>
    static abstract TSelf Lookup16(double* table, TSelf index);
}

/// <summary>Four double lanes in one <see cref="Vector256{T}"/>.</summary>
internal readonly unsafe struct Lanes256 : ILanes<Lanes256>
{
    /// <summary>The lanes.</summary>
    public readonly Vector256<double> V;

    /// <summary>Wraps <paramref name="v"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Lanes256(Vector256<double> v) => V = v;

    public static int Count => Vector256<double>.Count;
    public static Lanes256 Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector256<double>.Zero); }
    public static Lanes256 AllBitsSet { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector256<double>.AllBitsSet); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Create(double value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 CreateBits(ulong bits) => new(Vector256.Create(bits).AsDouble());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Load(double* p) => new(Vector256.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(double* p) => V.Store(p);
    public double this[int i] { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => V.GetElement(i); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator +(Lanes256 a, Lanes256 b) => new(a.V + b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator -(Lanes256 a, Lanes256 b) => new(a.V - b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator *(Lanes256 a, Lanes256 b) => new(a.V * b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator /(Lanes256 a, Lanes256 b) => new(a.V / b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator -(Lanes256 a) => new(-a.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator &(Lanes256 a, Lanes256 b) => new(a.V & b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator |(Lanes256 a, Lanes256 b) => new(a.V | b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator ~(Lanes256 a) => new(~a.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Fma(Lanes256 a, Lanes256 b, Lanes256 c) => new(Vector256.FusedMultiplyAdd(a.V, b.V, c.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 MulSub(Lanes256 a, Lanes256 b, Lanes256 c) => new(Vector256.FusedMultiplyAdd(a.V, b.V, -c.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Sqrt(Lanes256 a) => new(Vector256.Sqrt(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Abs(Lanes256 a) => new(Vector256.Abs(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 CopySign(Lanes256 m, Lanes256 s) => new(Vector256.CopySign(m.V, s.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Max(Lanes256 a, Lanes256 b) => new(Vector256.Max(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Min(Lanes256 a, Lanes256 b) => new(Vector256.Min(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Equal(Lanes256 a, Lanes256 b) => new(Vector256.Equals(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 GreaterThan(Lanes256 a, Lanes256 b) => new(Vector256.GreaterThan(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 GreaterThanOrEqual(Lanes256 a, Lanes256 b) => new(Vector256.GreaterThanOrEqual(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 LessThan(Lanes256 a, Lanes256 b) => new(Vector256.LessThan(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 LessThanOrEqual(Lanes256 a, Lanes256 b) => new(Vector256.LessThanOrEqual(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Select(Lanes256 m, Lanes256 a, Lanes256 b) => new(Vector256.ConditionalSelect(m.V, a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllZero(Lanes256 m) => Vector256.EqualsAll(m.V.AsUInt64(), Vector256<ulong>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllSet(Lanes256 m) => Vector256.EqualsAll(m.V.AsUInt64(), Vector256<ulong>.AllBitsSet);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 ShiftRightBits(Lanes256 a, int count) => new(Vector256.ShiftRightLogical(a.V.AsUInt64(), count).AsDouble());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 ShiftLeftBits(Lanes256 a, int count) => new(Vector256.ShiftLeft(a.V.AsUInt64(), count).AsDouble());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 SubtractBits(Lanes256 a, Lanes256 b) => new((a.V.AsInt64() - b.V.AsInt64()).AsDouble());
    // unpack gives [a0 b0 a2 b2] / [a1 b1 a3 b3]; the 64-bit permute (0, 2, 1, 3) puts them in order
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Evens(Lanes256 a, Lanes256 b) => new(Avx2.Permute4x64(Avx.UnpackLow(a.V, b.V), 0xD8));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Odds(Lanes256 a, Lanes256 b) => new(Avx2.Permute4x64(Avx.UnpackHigh(a.V, b.V), 0xD8));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Lookup16(double* table, Lanes256 index) => new(Avx2.GatherVector256(table, index.V.AsInt64(), 8));
}

/// <summary>Eight double lanes in one <see cref="Vector512{T}"/> (use only where AVX-512F is
/// supported; elsewhere the runtime emulates it with two halves, correctly but slowly).</summary>
internal readonly unsafe struct Lanes512 : ILanes<Lanes512>
{
    /// <summary>The lanes.</summary>
    public readonly Vector512<double> V;

    /// <summary>Wraps <paramref name="v"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Lanes512(Vector512<double> v) => V = v;

    public static int Count => Vector512<double>.Count;
    public static Lanes512 Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector512<double>.Zero); }
    public static Lanes512 AllBitsSet { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector512<double>.AllBitsSet); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Create(double value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 CreateBits(ulong bits) => new(Vector512.Create(bits).AsDouble());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Load(double* p) => new(Vector512.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(double* p) => V.Store(p);
    public double this[int i] { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => V.GetElement(i); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator +(Lanes512 a, Lanes512 b) => new(a.V + b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator -(Lanes512 a, Lanes512 b) => new(a.V - b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator *(Lanes512 a, Lanes512 b) => new(a.V * b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator /(Lanes512 a, Lanes512 b) => new(a.V / b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator -(Lanes512 a) => new(-a.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator &(Lanes512 a, Lanes512 b) => new(a.V & b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator |(Lanes512 a, Lanes512 b) => new(a.V | b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator ~(Lanes512 a) => new(~a.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Fma(Lanes512 a, Lanes512 b, Lanes512 c) => new(Vector512.FusedMultiplyAdd(a.V, b.V, c.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 MulSub(Lanes512 a, Lanes512 b, Lanes512 c) => new(Vector512.FusedMultiplyAdd(a.V, b.V, -c.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Sqrt(Lanes512 a) => new(Vector512.Sqrt(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Abs(Lanes512 a) => new(Vector512.Abs(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 CopySign(Lanes512 m, Lanes512 s) => new(Vector512.CopySign(m.V, s.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Max(Lanes512 a, Lanes512 b) => new(Vector512.Max(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Min(Lanes512 a, Lanes512 b) => new(Vector512.Min(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Equal(Lanes512 a, Lanes512 b) => new(Vector512.Equals(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 GreaterThan(Lanes512 a, Lanes512 b) => new(Vector512.GreaterThan(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 GreaterThanOrEqual(Lanes512 a, Lanes512 b) => new(Vector512.GreaterThanOrEqual(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 LessThan(Lanes512 a, Lanes512 b) => new(Vector512.LessThan(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 LessThanOrEqual(Lanes512 a, Lanes512 b) => new(Vector512.LessThanOrEqual(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Select(Lanes512 m, Lanes512 a, Lanes512 b) => new(Vector512.ConditionalSelect(m.V, a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllZero(Lanes512 m) => Vector512.EqualsAll(m.V.AsUInt64(), Vector512<ulong>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllSet(Lanes512 m) => Vector512.EqualsAll(m.V.AsUInt64(), Vector512<ulong>.AllBitsSet);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 ShiftRightBits(Lanes512 a, int count) => new(Vector512.ShiftRightLogical(a.V.AsUInt64(), count).AsDouble());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 ShiftLeftBits(Lanes512 a, int count) => new(Vector512.ShiftLeft(a.V.AsUInt64(), count).AsDouble());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 SubtractBits(Lanes512 a, Lanes512 b) => new((a.V.AsInt64() - b.V.AsInt64()).AsDouble());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Evens(Lanes512 a, Lanes512 b) => new(Avx512F.PermuteVar8x64x2(a.V, Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14), b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Odds(Lanes512 a, Lanes512 b) => new(Avx512F.PermuteVar8x64x2(a.V, Vector512.Create(1L, 3, 5, 7, 9, 11, 13, 15), b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Lookup16(double* table, Lanes512 index) => new(Avx512F.PermuteVar8x64x2(Vector512.Load(table), index.V.AsInt64(), Vector512.Load(table + 8)));
}

/// <summary>One double lane in a plain <see cref="double"/>: the scalar tail of a lane-parallel algorithm runs the
/// same generic body as its vector lanes, with the same IEEE operation per member (FMA as
/// <see cref="Math.FusedMultiplyAdd"/>, Max / Min as <see cref="Math.Max(double, double)"/> /
/// <see cref="Math.Min(double, double)"/>, whose semantics the vector members share).</summary>
internal readonly unsafe struct Lane1 : ILanes<Lane1>
{
    /// <summary>The lane.</summary>
    public readonly double V;

    /// <summary>Wraps <paramref name="v"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Lane1(double v) => V = v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static Lane1 Bits(ulong bits) => new(BitConverter.UInt64BitsToDouble(bits));
    private ulong B { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => BitConverter.DoubleToUInt64Bits(V); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static Lane1 Mask(bool c) => Bits(c ? ulong.MaxValue : 0);

    public static int Count => 1;
    public static Lane1 Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(0.0); }
    public static Lane1 AllBitsSet { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Bits(ulong.MaxValue); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Create(double value) => new(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 CreateBits(ulong bits) => Bits(bits);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Load(double* p) => new(*p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(double* p) => *p = V;
    public double this[int i] { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => V; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 operator +(Lane1 a, Lane1 b) => new(a.V + b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 operator -(Lane1 a, Lane1 b) => new(a.V - b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 operator *(Lane1 a, Lane1 b) => new(a.V * b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 operator /(Lane1 a, Lane1 b) => new(a.V / b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 operator -(Lane1 a) => new(-a.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 operator &(Lane1 a, Lane1 b) => Bits(a.B & b.B);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 operator |(Lane1 a, Lane1 b) => Bits(a.B | b.B);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 operator ~(Lane1 a) => Bits(~a.B);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Fma(Lane1 a, Lane1 b, Lane1 c) => new(Math.FusedMultiplyAdd(a.V, b.V, c.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 MulSub(Lane1 a, Lane1 b, Lane1 c) => new(Math.FusedMultiplyAdd(a.V, b.V, -c.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Sqrt(Lane1 a) => new(Math.Sqrt(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Abs(Lane1 a) => new(Math.Abs(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 CopySign(Lane1 m, Lane1 s) => new(Math.CopySign(m.V, s.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Max(Lane1 a, Lane1 b) => new(Math.Max(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Min(Lane1 a, Lane1 b) => new(Math.Min(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Equal(Lane1 a, Lane1 b) => Mask(a.V == b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 GreaterThan(Lane1 a, Lane1 b) => Mask(a.V > b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 GreaterThanOrEqual(Lane1 a, Lane1 b) => Mask(a.V >= b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 LessThan(Lane1 a, Lane1 b) => Mask(a.V < b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 LessThanOrEqual(Lane1 a, Lane1 b) => Mask(a.V <= b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Select(Lane1 m, Lane1 a, Lane1 b) => Bits((a.B & m.B) | (b.B & ~m.B));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllZero(Lane1 m) => m.B == 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllSet(Lane1 m) => m.B == ulong.MaxValue;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 ShiftRightBits(Lane1 a, int count) => Bits(a.B >> count);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 ShiftLeftBits(Lane1 a, int count) => Bits(a.B << count);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 SubtractBits(Lane1 a, Lane1 b) => Bits(a.B - b.B);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Evens(Lane1 a, Lane1 b) => a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Odds(Lane1 a, Lane1 b) => b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Lookup16(double* table, Lane1 index) => new(table[(long)index.B]);
}
