using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NormManaged.Kernels;

/// <summary>One offset-lane update a += |x|^p for <see cref="OffsetPowSum"/>: the new lane value and the exact
/// rounding error of the update (plus the term's own low-order part) added to l. Three widths that perform the same
/// IEEE operations lane for lane, so the bits do not depend on the width. Each form requires a ≥ every term's
/// binade (a ≥ σ &gt; term/2), which makes d = a' − a exact.</summary>
// Kept written out per width, not one Step<L> over ILanes like ComplexOffsetSum's terms: folded (tried, with every
// output bit unchanged), the p = 1 loop no longer folded the load into vandpd and re-broadcast the sign mask every
// iteration, and the 1-norm of 10^5 doubles ran 5-27% slower in five A/B rounds (noise floor 1-3%).
internal interface IPowTerm
{
    /// <summary>The order p.</summary>
    static abstract double P { get; }
    static abstract void Step(ref Vector512<double> a, ref Vector512<double> l, Vector512<double> x);
    static abstract void Step(ref Vector256<double> a, ref Vector256<double> l, Vector256<double> x);
    static abstract void Step(ref double a, ref double l, double x);
}

/// <summary>|x| (p = 1): Fast2Sum, the term is exact.</summary>
internal readonly struct AbsTerm : IPowTerm
{
    public static double P => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref Vector512<double> a, ref Vector512<double> l, Vector512<double> x)
    {
        var t = Vector512.Abs(x);
        var nw = a + t;
        l += t - (nw - a);
        a = nw;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref Vector256<double> a, ref Vector256<double> l, Vector256<double> x)
    {
        var t = Vector256.Abs(x);
        var nw = a + t;
        l += t - (nw - a);
        a = nw;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref double a, ref double l, double x)
    {
        double t = Math.Abs(x);
        double nw = a + t;
        l += t - (nw - a);
        a = nw;
    }
}

/// <summary>|x|³ with y = |x|, y² = p2 + e2 exactly (FMA): a' = fl(a + p2·y) by one FMA, d = a' − a exact, and
/// l += e2·y + (p2·y − d), the inner FMA rounding once a value below ulp(a') (error ≲ 2⁻¹⁰⁴σ per term).</summary>
internal readonly struct CubeTerm : IPowTerm
{
    public static double P => 3;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref Vector512<double> a, ref Vector512<double> l, Vector512<double> x)
    {
        var y = Vector512.Abs(x);
        var p2 = y * y; var e2 = Vector512.FusedMultiplyAdd(y, y, -p2);
        var nw = Vector512.FusedMultiplyAdd(p2, y, a);
        l += Vector512.FusedMultiplyAdd(e2, y, Vector512.FusedMultiplyAdd(p2, y, -(nw - a)));
        a = nw;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref Vector256<double> a, ref Vector256<double> l, Vector256<double> x)
    {
        var y = Vector256.Abs(x);
        var p2 = y * y; var e2 = Vector256.FusedMultiplyAdd(y, y, -p2);
        var nw = Vector256.FusedMultiplyAdd(p2, y, a);
        l += Vector256.FusedMultiplyAdd(e2, y, Vector256.FusedMultiplyAdd(p2, y, -(nw - a)));
        a = nw;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref double a, ref double l, double x)
    {
        double y = Math.Abs(x);
        double p2 = y * y, e2 = Math.FusedMultiplyAdd(y, y, -p2);
        double nw = Math.FusedMultiplyAdd(p2, y, a);
        l += Math.FusedMultiplyAdd(e2, y, Math.FusedMultiplyAdd(p2, y, -(nw - a)));
        a = nw;
    }
}

/// <summary>x⁴ = (p2 + e2)² with x² = p2 + e2 exactly: a' = fl(a + p2²) by one FMA, d = a' − a exact, and
/// l += 2·p2·e2 + (p2² − d) (e2² is below 2⁻¹⁰⁵ of the term).</summary>
internal readonly struct FourthTerm : IPowTerm
{
    public static double P => 4;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref Vector512<double> a, ref Vector512<double> l, Vector512<double> x)
    {
        var p2 = x * x; var e2 = Vector512.FusedMultiplyAdd(x, x, -p2);
        var nw = Vector512.FusedMultiplyAdd(p2, p2, a);
        l += Vector512.FusedMultiplyAdd(p2 + p2, e2, Vector512.FusedMultiplyAdd(p2, p2, -(nw - a)));
        a = nw;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref Vector256<double> a, ref Vector256<double> l, Vector256<double> x)
    {
        var p2 = x * x; var e2 = Vector256.FusedMultiplyAdd(x, x, -p2);
        var nw = Vector256.FusedMultiplyAdd(p2, p2, a);
        l += Vector256.FusedMultiplyAdd(p2 + p2, e2, Vector256.FusedMultiplyAdd(p2, p2, -(nw - a)));
        a = nw;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref double a, ref double l, double x)
    {
        double p2 = x * x, e2 = Math.FusedMultiplyAdd(x, x, -p2);
        double nw = Math.FusedMultiplyAdd(p2, p2, a);
        l += Math.FusedMultiplyAdd(p2 + p2, e2, Math.FusedMultiplyAdd(p2, p2, -(nw - a)));
        a = nw;
    }
}

/// <summary>√y as sq + r2·hr for the half-integer terms, with FMAs only: the hardware square root's throughput
/// (≈ 3 cycles per element here) bounded p = 0.5. A bit-pattern guess of r ≈ 1/√y (relative error &lt; 2⁻⁴·⁸) and three
/// Newton steps r ← r·(1.5 − (y/2)·r²) give r to ≈ 2⁻³⁵; sq₀ = y·r, and one Newton step on the root,
/// sq = sq₀ + (y − sq₀²)·r/2, is within an ulp or so of √y; then r2 = y − sq² (one FMA, nearly exact) and
/// hr = r/2, so r2·hr is the remaining correction to within 2⁻³⁴ of itself, i.e. ≈ 2⁻⁸⁶ of the term. r is formed
/// for max(y, 2⁻¹⁰²⁰) (the guess needs a normal exponent, 0 would overflow r², and y/2 must stay normal: a
/// subnormal operand costs the FMA a microcode assist, ~100× slower, which made a vector with many zeros take
/// 2 ms instead of 30 µs): y = 0 gives sq = r2 = 0 with a finite hr, and y &lt; 2⁻¹⁰²⁰ a poor but finite term
/// below 1.5·2⁻⁵¹⁰, which the caller's range check (guess ≥ 2⁻⁷⁰⁰) makes negligible; ∞/NaN give NaN (the lane check rejects the block). Only IEEE +, ×, FMA and integer shift/subtract: the same bits in every width.</summary>
internal static class HalfSqrt
{
    private const long RsqrtMagic = 0x5FE6_EB50_C7B5_37A9;
    private const double MinNormal = 8.900295434028806e-308; // 2⁻¹⁰²⁰: y/2 and every product stay normal

    /// <summary>The root of the width <typeparamref name="L"/> names, for one generic body over <see cref="ILanes{TSelf}"/>
    /// (the width bodies below stay written out: through the lane wrappers, two roots per term exceeded the AOT
    /// inliner's budget and the p = 0.5 kernel ran 2× slower).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static L Sqrt<L>(L y, out L r2, out L hr) where L : struct, ILanes<L>
    {
        if (typeof(L) == typeof(Lanes512))
        {
            var s = Sqrt(Unsafe.BitCast<L, Vector512<double>>(y), out var a, out var b);
            r2 = Unsafe.BitCast<Vector512<double>, L>(a); hr = Unsafe.BitCast<Vector512<double>, L>(b);
            return Unsafe.BitCast<Vector512<double>, L>(s);
        }
        if (typeof(L) == typeof(Lanes256))
        {
            var s = Sqrt(Unsafe.BitCast<L, Vector256<double>>(y), out var a, out var b);
            r2 = Unsafe.BitCast<Vector256<double>, L>(a); hr = Unsafe.BitCast<Vector256<double>, L>(b);
            return Unsafe.BitCast<Vector256<double>, L>(s);
        }
        {
            var s = Sqrt(Unsafe.BitCast<L, double>(y), out var a, out var b);
            r2 = Unsafe.BitCast<double, L>(a); hr = Unsafe.BitCast<double, L>(b);
            return Unsafe.BitCast<double, L>(s);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Sqrt(Vector512<double> y, out Vector512<double> r2, out Vector512<double> hr)
    {
        var half = Vector512.Create(0.5); var th = Vector512.Create(1.5);
        var yb = Vector512.Max(y, Vector512.Create(MinNormal));
        var r = (Vector512.Create(RsqrtMagic) - Vector512.ShiftRightLogical(yb.AsInt64(), 1)).AsDouble();
        var hy = yb * half;
        r *= Vector512.FusedMultiplyAdd(-hy, r * r, th);
        r *= Vector512.FusedMultiplyAdd(-hy, r * r, th);
        r *= Vector512.FusedMultiplyAdd(-hy, r * r, th);
        hr = r * half;
        var s0 = y * r;
        var sq = Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(-s0, s0, y), hr, s0);
        r2 = Vector512.FusedMultiplyAdd(-sq, sq, y);
        return sq;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Sqrt(Vector256<double> y, out Vector256<double> r2, out Vector256<double> hr)
    {
        var half = Vector256.Create(0.5); var th = Vector256.Create(1.5);
        var yb = Vector256.Max(y, Vector256.Create(MinNormal));
        var r = (Vector256.Create(RsqrtMagic) - Vector256.ShiftRightLogical(yb.AsInt64(), 1)).AsDouble();
        var hy = yb * half;
        r *= Vector256.FusedMultiplyAdd(-hy, r * r, th);
        r *= Vector256.FusedMultiplyAdd(-hy, r * r, th);
        r *= Vector256.FusedMultiplyAdd(-hy, r * r, th);
        hr = r * half;
        var s0 = y * r;
        var sq = Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(-s0, s0, y), hr, s0);
        r2 = Vector256.FusedMultiplyAdd(-sq, sq, y);
        return sq;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sqrt(double y, out double r2, out double hr)
    {
        double yb = Math.Max(y, MinNormal);
        double r = BitConverter.Int64BitsToDouble(RsqrtMagic - (long)((ulong)BitConverter.DoubleToInt64Bits(yb) >> 1));
        double hy = yb * 0.5;
        r *= Math.FusedMultiplyAdd(-hy, r * r, 1.5);
        r *= Math.FusedMultiplyAdd(-hy, r * r, 1.5);
        r *= Math.FusedMultiplyAdd(-hy, r * r, 1.5);
        hr = r * 0.5;
        double s0 = y * r;
        double sq = Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(-s0, s0, y), hr, s0);
        r2 = Math.FusedMultiplyAdd(-sq, sq, y);
        return sq;
    }
}

/// <summary>|x|^0.5 = sq + r2·hr: a' = a + sq, l += r2·hr + (sq − d).</summary>
internal readonly struct SqrtTerm : IPowTerm
{
    public static double P => 0.5;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref Vector512<double> a, ref Vector512<double> l, Vector512<double> x)
    {
        var sq = HalfSqrt.Sqrt(Vector512.Abs(x), out var r2, out var hr);
        var nw = a + sq;
        l += Vector512.FusedMultiplyAdd(r2, hr, sq - (nw - a));
        a = nw;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref Vector256<double> a, ref Vector256<double> l, Vector256<double> x)
    {
        var sq = HalfSqrt.Sqrt(Vector256.Abs(x), out var r2, out var hr);
        var nw = a + sq;
        l += Vector256.FusedMultiplyAdd(r2, hr, sq - (nw - a));
        a = nw;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref double a, ref double l, double x)
    {
        double sq = HalfSqrt.Sqrt(Math.Abs(x), out double r2, out double hr);
        double nw = a + sq;
        l += Math.FusedMultiplyAdd(r2, hr, sq - (nw - a));
        a = nw;
    }
}

/// <summary>|x|^1.5 = y·(sq + c): a' = fl(a + y·sq) by FMA, l += y·c + (y·sq − d).</summary>
internal readonly struct OneHalfTerm : IPowTerm
{
    public static double P => 1.5;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref Vector512<double> a, ref Vector512<double> l, Vector512<double> x)
    {
        var y = Vector512.Abs(x);
        var sq = HalfSqrt.Sqrt(y, out var r2, out var hr);
        var nw = Vector512.FusedMultiplyAdd(y, sq, a);
        l += Vector512.FusedMultiplyAdd(y, r2 * hr, Vector512.FusedMultiplyAdd(y, sq, -(nw - a)));
        a = nw;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref Vector256<double> a, ref Vector256<double> l, Vector256<double> x)
    {
        var y = Vector256.Abs(x);
        var sq = HalfSqrt.Sqrt(y, out var r2, out var hr);
        var nw = Vector256.FusedMultiplyAdd(y, sq, a);
        l += Vector256.FusedMultiplyAdd(y, r2 * hr, Vector256.FusedMultiplyAdd(y, sq, -(nw - a)));
        a = nw;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref double a, ref double l, double x)
    {
        double y = Math.Abs(x);
        double sq = HalfSqrt.Sqrt(y, out double r2, out double hr);
        double nw = Math.FusedMultiplyAdd(y, sq, a);
        l += Math.FusedMultiplyAdd(y, r2 * hr, Math.FusedMultiplyAdd(y, sq, -(nw - a)));
        a = nw;
    }
}

/// <summary>|x|^2.5 = (p2 + e2)·(sq + c) with y² = p2 + e2 exactly: a' = fl(a + p2·sq) by FMA,
/// l += p2·c + e2·sq + (p2·sq − d) (e2·c is below 2⁻¹⁰⁵ of the term).</summary>
internal readonly struct TwoHalfTerm : IPowTerm
{
    public static double P => 2.5;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref Vector512<double> a, ref Vector512<double> l, Vector512<double> x)
    {
        var y = Vector512.Abs(x);
        var sq = HalfSqrt.Sqrt(y, out var r2, out var hr);
        var p2 = y * y; var e2 = Vector512.FusedMultiplyAdd(y, y, -p2);
        var nw = Vector512.FusedMultiplyAdd(p2, sq, a);
        l += Vector512.FusedMultiplyAdd(p2, r2 * hr, Vector512.FusedMultiplyAdd(e2, sq, Vector512.FusedMultiplyAdd(p2, sq, -(nw - a))));
        a = nw;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref Vector256<double> a, ref Vector256<double> l, Vector256<double> x)
    {
        var y = Vector256.Abs(x);
        var sq = HalfSqrt.Sqrt(y, out var r2, out var hr);
        var p2 = y * y; var e2 = Vector256.FusedMultiplyAdd(y, y, -p2);
        var nw = Vector256.FusedMultiplyAdd(p2, sq, a);
        l += Vector256.FusedMultiplyAdd(p2, r2 * hr, Vector256.FusedMultiplyAdd(e2, sq, Vector256.FusedMultiplyAdd(p2, sq, -(nw - a))));
        a = nw;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref double a, ref double l, double x)
    {
        double y = Math.Abs(x);
        double sq = HalfSqrt.Sqrt(y, out double r2, out double hr);
        double p2 = y * y, e2 = Math.FusedMultiplyAdd(y, y, -p2);
        double nw = Math.FusedMultiplyAdd(p2, sq, a);
        l += Math.FusedMultiplyAdd(p2, r2 * hr, Math.FusedMultiplyAdd(e2, sq, Math.FusedMultiplyAdd(p2, sq, -(nw - a))));
        a = nw;
    }
}

/// <summary>Single-pass Σ|x|^p of one block with offset lanes (the fast path of <see cref="RealKernels.AddAbsSum"/>,
/// <see cref="RealKernels.AddIntPowSum"/> for p = 3, 4 and <see cref="RealKernels.AddRealPowSum"/> for p = 0.5, 1.5, 2.5).
///
/// Every one of the 16 logical lanes (plus one scalar tail lane) starts at σ = 2^s, a guess from the first 16
/// elements with headroom for the lane length. Terms are ≥ 0, so a lane value a never drops below σ; while every
/// term t is &lt; 2σ its exponent is ≤ a's, so d = a' − a is exact and t − d is the update's exact error (Fast2Sum,
/// 3 flops instead of TwoSum's 6; for p = 3, 4 the last product is fused into the update, a' = fma(p2, ·, a), and its
/// error t − d into one more FMA). The block is accepted only if every final lane value is ≤ 2σ: a term ≥ 2σ would
/// have pushed its lane to ≥ 3σ for good (rounding is monotone), so acceptance proves every d was exact; NaN and ∞
/// fail the test too. The errors (and the terms' low parts) are summed in a second lane set. The result is
/// Σ(a − σ) + Σ errors as a double-double: exact up to the error lanes' own roundings, at most ≈ 2⁻⁸⁴·σ in all
/// (a lane adds ≤ 257 values each ≲ 2⁻⁵⁰σ: update errors and the terms' low parts), and the block is also rejected
/// unless the sum is ≥ 2⁻¹²σ, so the partial is within 2⁻⁷² of the exact sum (typically σ is 2⁴–2⁶ times the sum
/// and the roundings partly cancel, far better). No scaling: the guess is accepted only
/// where no term, nor the unscaled sum of the blocks' partials, can overflow (σ ≤ 2^960) and underflow in the terms (absolute, ≲ 2⁻¹⁰⁷⁰ each) is below 2⁻¹⁰⁰ of
/// the sum. A rejected block returns false and the caller runs its exact two-pass path. Lane j of Vector512 number
/// q is lane j mod 4 of Vector256 number 2q + j / 4, and the error lanes are summed in the same order, so both widths
/// give the same bits; the lane values are folded exactly (so in any order) by a few vector operations rather than a
/// serial double-double chain, which had cost ~0.1 cycle per element of a block. The decision depends only on the
/// data, so the result is deterministic.</summary>
internal static class OffsetPowSum
{
    /// <summary>Smallest block the fast path tries (the guess reads 16 elements).</summary>
    public const int MinLength = 64;
    private static readonly double MinGuess = Math.ScaleB(1.0, -700); // the guess must be normal and not tiny

    /// <summary>Σ|x|^p of the block as hi + lo (unscaled), or false when the guess failed.</summary>
    public static unsafe bool TryAdd<T>(ReadOnlySpan<double> x, out double hi, out double lo) where T : struct, IPowTerm
    {
        hi = 0; lo = 0;
        int n = x.Length;
        if (n < MinLength) return false;
        ref double r = ref MemoryMarshal.GetReference(x);
        if (!Guess(ref r, T.P, n, 1, out int s, out _)) return false;
        double sigma = BitConverter.Int64BitsToDouble((long)(s + 1023) << 52);
        double* av = stackalloc double[16];
        int i = n & ~15;
        double lsum = RealKernels.Wide ? Lanes512<T>(ref r, i, sigma, av) : Lanes256<T>(ref r, i, sigma, av);
        double at = sigma;
        if (i < n)
        {
            double l = 0;
            for (; i < n; i++) T.Step(ref at, ref l, Unsafe.Add(ref r, i));
            lsum += l;
        }
        return Fold(av, at, lsum, s, out hi, out lo);
    }

    /// <summary>The guessed σ = 2^s for terms |x|^p of a block of <paramref name="terms"/> terms in 16 lanes, from the
    /// largest of the first 16 doubles at <paramref name="r"/> (magnitudes up to 2^(e0 + <paramref name="top"/>) count
    /// as its size); false when it is zero, tiny (&lt; 2⁻⁷⁰⁰), non-finite, or a term could overflow or underflow harmfully.</summary>
    internal static bool Guess(ref double r, double p, int terms, double top, out int s, out int e0)
    {
        s = 0; e0 = 0;
        // max of the first 16 |x| (exact, so any order; a NaN among them fails the lanes anyway)
        var m4 = Vector256.Max(Vector256.Max(Vector256.Abs(Vector256.LoadUnsafe(ref r, 0)), Vector256.Abs(Vector256.LoadUnsafe(ref r, 4))),
                               Vector256.Max(Vector256.Abs(Vector256.LoadUnsafe(ref r, 8)), Vector256.Abs(Vector256.LoadUnsafe(ref r, 12))));
        double m0 = Math.Max(Math.Max(m4.GetElement(0), m4.GetElement(1)), Math.Max(m4.GetElement(2), m4.GetElement(3)));
        if (!(m0 >= MinGuess && m0 <= double.MaxValue)) return false;   // zero, subnormal, tiny, ∞ or NaN
        e0 = (int)((BitConverter.DoubleToInt64Bits(m0) >> 52) & 0x7FF) - 1023;   // normal m0: its exponent
        // terms of the guessed size are < 2^(p(e0+top)); a lane holds ≤ terms/16 + 1 of them; 2^6 more for larger ones
        s = (int)Math.Ceiling(p * (e0 + top)) + BitOperations.Log2((uint)(terms / 16 + 1)) + 1 + 6;
        // overflow: a block sums to < 2^(s+6) ≤ 2^966, so even 2^50 blocks added unscaled stay finite;
        // underflow: terms (and the half-integer terms of subnormal elements, ≲ 2⁻⁵⁰⁹) stay ≲ 2⁻¹⁰⁰ of the sum
        return s <= 960 && p * e0 >= -900;
    }

    /// <summary>Checks the 16 lane values <paramref name="av"/> and the tail lane value <paramref name="at"/> against
    /// 2σ and folds Σ(a − σ) + <paramref name="lsum"/> into hi + lo; false when the block must be rejected.</summary>
    internal static unsafe bool Fold(double* av, double at, double lsum, int s, out double hi, out double lo)
    {
        hi = 0; lo = 0;
        double sigma = BitConverter.Int64BitsToDouble((long)(s + 1023) << 52);
        // Every lane value a ∈ [σ, 2σ] (else reject): d = a − σ is exact (Sterbenz) and a multiple of u = 2^(s−52).
        // Split d = h + t with h a multiple of 2^(s−46) (h = (d + C) − C, C = 1.5·2^(s+6)) and |t| ≤ 2^(s−47): the 17 h
        // sum to &lt; 2^(s+5) on a 2^(s−46) grid and the 17 t to &lt; 2^(s−42) on the u grid, so both sums are exact in
        // doubles whatever their order, and Σd = H + T exactly.
        var vs = Vector256.Create(sigma); var lim = Vector256.Create(2 * sigma);
        var vc = Vector256.Create(BitConverter.Int64BitsToDouble((long)(s + 6 + 1023) << 52) * 1.5);
        var a0 = Vector256.Load(av); var a1 = Vector256.Load(av + 4); var a2 = Vector256.Load(av + 8); var a3 = Vector256.Load(av + 12);
        var okv = Vector256.LessThanOrEqual(a0, lim) & Vector256.LessThanOrEqual(a1, lim)
                & Vector256.LessThanOrEqual(a2, lim) & Vector256.LessThanOrEqual(a3, lim);
        if (!Vector256.EqualsAll(okv.AsInt64(), Vector256<long>.AllBitsSet) || !(at <= 2 * sigma)) return false;
        var d0 = a0 - vs; var d1 = a1 - vs; var d2 = a2 - vs; var d3 = a3 - vs;
        var h0 = (d0 + vc) - vc; var h1 = (d1 + vc) - vc; var h2 = (d2 + vc) - vc; var h3 = (d3 + vc) - vc;
        var t4 = ((d0 - h0) + (d1 - h1)) + ((d2 - h2) + (d3 - h3));
        var h4 = (h0 + h1) + (h2 + h3);
        double dt = at - sigma, c = vc.GetElement(0);
        double ht = (dt + c) - c;
        double H = Vector256.Sum(h4) + ht, Tl = Vector256.Sum(t4) + (dt - ht);
        hi = DD.FastTwoSum(H, Tl, out lo);
        DD.Add(ref hi, ref lo, lsum, 0);
        if (!(hi >= sigma * (1.0 / 4096))) { hi = 0; lo = 0; return false; }
        return true;
    }

    /// <summary>The 16 lanes over the first <paramref name="m"/> (a multiple of 16) elements as two Vector512: stores the
    /// lane values (in the Vector256 loop's order) to <paramref name="av"/> and returns the error lanes' sum.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe double Lanes512<T>(ref double r, int m, double sigma, double* av) where T : struct, IPowTerm
    {
        var vs = Vector512.Create(sigma);
        Vector512<double> a0 = vs, a1 = vs, l0 = default, l1 = default;
        double* pb = (double*)Unsafe.AsPointer(ref r); // prefetch hints only
        for (int i = 0; i < m; i += 16)
        {
            Prefetch.Ahead128(pb + i);
            T.Step(ref a0, ref l0, Vector512.LoadUnsafe(ref r, (nuint)i));
            T.Step(ref a1, ref l1, Vector512.LoadUnsafe(ref r, (nuint)i + 8));
        }
        a0.Store(av); a1.Store(av + 8);
        return Vector256.Sum((l0.GetLower() + l0.GetUpper()) + (l1.GetLower() + l1.GetUpper()));
    }

    /// <summary>The same 16 lanes as four Vector256.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe double Lanes256<T>(ref double r, int m, double sigma, double* av) where T : struct, IPowTerm
    {
        var vs = Vector256.Create(sigma);
        Vector256<double> a0 = vs, a1 = vs, a2 = vs, a3 = vs, l0 = default, l1 = default, l2 = default, l3 = default;
        double* pb = (double*)Unsafe.AsPointer(ref r); // prefetch hints only
        for (int i = 0; i < m; i += 16)
        {
            Prefetch.Ahead128(pb + i);
            T.Step(ref a0, ref l0, Vector256.LoadUnsafe(ref r, (nuint)i));
            T.Step(ref a1, ref l1, Vector256.LoadUnsafe(ref r, (nuint)i + 4));
            T.Step(ref a2, ref l2, Vector256.LoadUnsafe(ref r, (nuint)i + 8));
            T.Step(ref a3, ref l3, Vector256.LoadUnsafe(ref r, (nuint)i + 12));
        }
        a0.Store(av); a1.Store(av + 4); a2.Store(av + 8); a3.Store(av + 12);
        return Vector256.Sum((l0 + l1) + (l2 + l3));
    }
}
