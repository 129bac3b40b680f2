using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormManaged.Kernels;

/// <summary>One offset-lane update a += |z|^p for <see cref="ComplexOffsetSum"/>, from |z|² = hh + hl (exact squares by
/// FMA, TwoSum of the two, ≈ 2⁻¹⁰⁶ relative) and, where p needs roots, the FMA-only square roots of
/// <see cref="HalfSqrt"/>: |z| = sq + (r2 + hl)·hr, √|z| = s2 + (r2' + c)·hr'. The last product is fused into the
/// update (a' = fma(·, ·, a)) and its exact error, with the low-order parts, goes to l. One body serves every width
/// (<see cref="ILanes{TSelf}"/>: the vector lanes and the scalar tail run the same operations).</summary>
internal interface IComplexTerm
{
    static abstract double P { get; }
    static abstract void Step<L>(ref L a, ref L l, L re, L im) where L : struct, ILanes<L>;
}

/// <summary>|z|² = hh + hl.</summary>
internal static class ComplexMag
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static L Square<L>(L re, L im, out L hl) where L : struct, ILanes<L>
    {
        var p = re * re; var pe = L.Fma(re, re, -p);
        var q = im * im; var qe = L.Fma(im, im, -q);
        var hh = p + q; var bb = hh - p;
        hl = ((p - (hh - bb)) + (q - bb)) + (pe + qe);
        return hh;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Square(Vector512<double> re, Vector512<double> im, out Vector512<double> hl)
    {
        var hh = Square(new Lanes512(re), new Lanes512(im), out var l);
        hl = l.V;
        return hh.V;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Square(Vector256<double> re, Vector256<double> im, out Vector256<double> hl)
    {
        var hh = Square(new Lanes256(re), new Lanes256(im), out var l);
        hl = l.V;
        return hh.V;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Square(double re, double im, out double hl)
    {
        var hh = Square(new Lane1(re), new Lane1(im), out var l);
        hl = l.V;
        return hh.V;
    }
}

/// <summary>|z| (p = 1).</summary>
internal readonly struct CAbsTerm : IComplexTerm
{
    public static double P => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step<L>(ref L a, ref L l, L re, L im) where L : struct, ILanes<L>
    {
        var hh = ComplexMag.Square(re, im, out var hl);
        var sq = HalfSqrt.Sqrt(hh, out var r2, out var hr);
        var nw = a + sq;
        l += L.Fma(r2 + hl, hr, sq - (nw - a));
        a = nw;
    }
}

/// <summary>|z|³ = (hh + hl)·|z|.</summary>
internal readonly struct CCubeTerm : IComplexTerm
{
    public static double P => 3;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step<L>(ref L a, ref L l, L re, L im) where L : struct, ILanes<L>
    {
        var hh = ComplexMag.Square(re, im, out var hl);
        var sq = HalfSqrt.Sqrt(hh, out var r2, out var hr);
        var c = (r2 + hl) * hr;
        var nw = L.Fma(hh, sq, a);
        l += L.Fma(hh, c, L.Fma(hl, sq, L.Fma(hh, sq, -(nw - a))));
        a = nw;
    }
}

/// <summary>|z|⁴ = (hh + hl)².</summary>
internal readonly struct CFourthTerm : IComplexTerm
{
    public static double P => 4;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step<L>(ref L a, ref L l, L re, L im) where L : struct, ILanes<L>
    {
        var hh = ComplexMag.Square(re, im, out var hl);
        var nw = L.Fma(hh, hh, a);
        l += L.Fma(hh + hh, hl, L.Fma(hh, hh, -(nw - a)));
        a = nw;
    }
}

/// <summary>|z|^0.5 = √(sq + c).</summary>
internal readonly struct CSqrtTerm : IComplexTerm
{
    public static double P => 0.5;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step<L>(ref L a, ref L l, L re, L im) where L : struct, ILanes<L>
    {
        var hh = ComplexMag.Square(re, im, out var hl);
        var sq = HalfSqrt.Sqrt(hh, out var r2, out var hr);
        var c = (r2 + hl) * hr;
        var s2 = HalfSqrt.Sqrt(sq, out var r2b, out var hr2);
        var nw = a + s2;
        l += L.Fma(r2b + c, hr2, s2 - (nw - a));
        a = nw;
    }
}

/// <summary>|z|^2.5 = (hh + hl)·√|z|.</summary>
internal readonly struct CTwoHalfTerm : IComplexTerm
{
    public static double P => 2.5;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step<L>(ref L a, ref L l, L re, L im) where L : struct, ILanes<L>
    {
        var hh = ComplexMag.Square(re, im, out var hl);
        var sq = HalfSqrt.Sqrt(hh, out var r2, out var hr);
        var c = (r2 + hl) * hr;
        var s2 = HalfSqrt.Sqrt(sq, out var r2b, out var hr2);
        var c2 = (r2b + c) * hr2;
        var nw = L.Fma(hh, s2, a);
        l += L.Fma(hh, c2, L.Fma(hl, s2, L.Fma(hh, s2, -(nw - a))));
        a = nw;
    }
}

/// <summary>Single-pass Σ|z|^p of one block of interleaved complex values (re, im doubles) with the offset lanes of
/// <see cref="OffsetPowSum"/> (same guess, same lane check and exact fold, same error bound): the fast path of
/// <see cref="ComplexKernels.AddBlock"/> (p = 1) and of complex p = 0.5, 2.5, 3, 4, which otherwise take the
/// per-element extended path. 16 lanes (four Vector256 or two Vector512, de-interleaved by unpacking two loads into a
/// fixed element order that both widths share, see <see cref="Narrow{T}"/>), the last n mod 16 values as one more zero-padded group.
/// The guess reads the first 8 complex values; |z| ≤ √2·max(|re|, |im|) &lt; 2^(e0 + 1.5). Components at least
/// 2⁻⁴⁵⁰ keep the squares exact; above 2⁵⁰⁰ the block is refused. Without AVX the caller's exact path runs.</summary>
internal static class ComplexOffsetSum
{
    /// <summary>Σ|z|^p of the block (interleaved, an even number of doubles) as hi + lo for p = 1, 3, 4, 0.5, 2.5;
    /// false when the guess failed (or for any other p).</summary>
    public static bool TryAdd(double p, ReadOnlySpan<double> b, out double hi, out double lo) => p switch
    {
        1 => TryAdd<CAbsTerm>(b, out hi, out lo),
        3 => TryAdd<CCubeTerm>(b, out hi, out lo),
        4 => TryAdd<CFourthTerm>(b, out hi, out lo),
        0.5 => TryAdd<CSqrtTerm>(b, out hi, out lo),
        2.5 => TryAdd<CTwoHalfTerm>(b, out hi, out lo),
        _ => Fail(out hi, out lo),
    };

    private static bool Fail(out double hi, out double lo) { hi = 0; lo = 0; return false; }

    /// <summary>Fewest complex values the fast path takes: the guess reads the first 8. The last n mod 16 values (all of a
    /// line shorter than 16) go through the 16 lanes too, as one more group of 16 whose missing values are zeros (a zero
    /// adds exactly nothing to a lane: its term is 0 and a + 0 = a); a lane then holds at most ⌈n/16⌉ ≤ n/16 + 1
    /// terms, the count the guess allows for. Until session 14 those values went one by one through a scalar tail lane,
    /// which cost more than the vector lanes on rows of 60 (complex128 (40,50,60) axis 2 ord 1). Below 64 values the
    /// per-element extended path cost 5–10× NumPy's time.</summary>
    public const int MinLength = 8;

    public static unsafe bool TryAdd<T>(ReadOnlySpan<double> b, out double hi, out double lo) where T : struct, IComplexTerm
    {
        hi = 0; lo = 0;
        int n = b.Length / 2;
        if (n < MinLength || !Avx.IsSupported) return false;
        ref double r = ref MemoryMarshal.GetReference(b);
        if (!OffsetPowSum.Guess(ref r, T.P, n, 1.5, out int s, out int e0) || e0 < -450 || e0 > 500) return false;
        double sigma = BitConverter.Int64BitsToDouble((long)(s + 1023) << 52);
        double* av = stackalloc double[16];
        int i = n & ~15;
        double* pad = null;
        if (i < n)
        {
            // the last values, zero-padded to a whole group of 16
            double* tail = stackalloc double[32];
            Vector512<double>.Zero.Store(tail); Vector512<double>.Zero.Store(tail + 8);
            Vector512<double>.Zero.Store(tail + 16); Vector512<double>.Zero.Store(tail + 24);
            for (int k = 2 * i; k < 2 * n; k++) tail[k - 2 * i] = Unsafe.Add(ref r, k);
            pad = tail;
        }
        double lsum = RealKernels.Wide ? Wide<T>(ref r, i, sigma, av, pad) : Narrow<T>(ref r, i, sigma, av, pad);
        return OffsetPowSum.Fold(av, sigma, lsum, s, out hi, out lo); // the tail lane is empty: σ
    }

    /// <summary>16 lanes over the first <paramref name="m"/> complex values (a multiple of 16) as four Vector256: a
    /// group of 8 complex values fills two of them, unpacked from the loads at doubles 0/8 and 4/12 of the group, so
    /// the lanes hold the elements (0, 4, 1, 5) and (2, 6, 3, 7) — the order one Vector512 unpack gives.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe double Narrow<T>(ref double r, int m, double sigma, double* av, double* pad) where T : struct, IComplexTerm
    {
        var vs = Lanes256.Create(sigma);
        Lanes256 a0 = vs, a1 = vs, a2 = vs, a3 = vs, l0 = default, l1 = default, l2 = default, l3 = default;
        for (int i = 0; i < 2 * m + (pad != null ? 32 : 0); i += 32)
        {
            ref double q = ref i < 2 * m ? ref Unsafe.Add(ref r, i) : ref *pad; // the padded last group after the whole ones
            Step<T>(ref a0, ref l0, Vector256.LoadUnsafe(ref q, 0), Vector256.LoadUnsafe(ref q, 8));
            Step<T>(ref a1, ref l1, Vector256.LoadUnsafe(ref q, 4), Vector256.LoadUnsafe(ref q, 12));
            Step<T>(ref a2, ref l2, Vector256.LoadUnsafe(ref q, 16), Vector256.LoadUnsafe(ref q, 24));
            Step<T>(ref a3, ref l3, Vector256.LoadUnsafe(ref q, 20), Vector256.LoadUnsafe(ref q, 28));
        }
        a0.Store(av); a1.Store(av + 4); a2.Store(av + 8); a3.Store(av + 12);
        return Vector256.Sum(((l0 + l1) + (l2 + l3)).V);
    }

    /// <summary>The same 16 lanes as two Vector512 (vunpcklpd/vunpckhpd work per 128-bit lane, giving the elements
    /// 0, 4, 1, 5, 2, 6, 3, 7 of each group of 8), with the same operations and the same fold.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe double Wide<T>(ref double r, int m, double sigma, double* av, double* pad) where T : struct, IComplexTerm
    {
        var vs = Lanes512.Create(sigma);
        Lanes512 a0 = vs, a1 = vs, l0 = default, l1 = default;
        for (int i = 0; i < 2 * m + (pad != null ? 32 : 0); i += 32)
        {
            ref double q = ref i < 2 * m ? ref Unsafe.Add(ref r, i) : ref *pad; // the padded last group after the whole ones
            var u0 = Vector512.LoadUnsafe(ref q, 0); var v0 = Vector512.LoadUnsafe(ref q, 8);
            T.Step(ref a0, ref l0, new Lanes512(Avx512F.UnpackLow(u0, v0)), new Lanes512(Avx512F.UnpackHigh(u0, v0)));
            var u1 = Vector512.LoadUnsafe(ref q, 16); var v1 = Vector512.LoadUnsafe(ref q, 24);
            T.Step(ref a1, ref l1, new Lanes512(Avx512F.UnpackLow(u1, v1)), new Lanes512(Avx512F.UnpackHigh(u1, v1)));
        }
        a0.Store(av); a1.Store(av + 8);
        return Vector256.Sum((l0.V.GetLower() + l0.V.GetUpper()) + (l1.V.GetLower() + l1.V.GetUpper()));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<T>(ref Lanes256 a, ref Lanes256 l, Vector256<double> u, Vector256<double> v) where T : struct, IComplexTerm
        => T.Step(ref a, ref l, new Lanes256(Avx.UnpackLow(u, v)), new Lanes256(Avx.UnpackHigh(u, v)));
}
