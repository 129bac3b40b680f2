using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormManaged.Engine;

/// <summary>float32 / complex64 norms into float32 (and float64 ±∞ / 0 over strided columns, int32 ±∞ / 0 over columns of
/// 128 rows or more, <see cref="Grouped"/>) over one axis of many lines too long for the short-line kernels
/// (<see cref="ComplexShortRows"/>, <see cref="Complex64Columns"/>, ≤ 64 values) and not taken by a column kernel
/// (strided columns, whose outputs are not adjacent; complex64 columns and rows of any layout at orders those kernels
/// lack): each line goes through the 1-D fast path its vector would take — the proven-rounding sums of
/// <see cref="FloatFastPath"/>, <see cref="FloatPowFast"/>, <see cref="Complex64Fast"/>, <see cref="NarrowPowFast"/>
/// or the exact scan of <see cref="FloatMinMax"/>, reading it in place at any stride (<see cref="FloatRuns"/>) — and
/// a line they decline goes alone through the 1-D path (<see cref="AcrossOutputsWide.Alone(byte*, DType, long, long, byte*, DType, double)"/>). Accepted results are the
/// unique correctly rounded values (or exact extrema), so every output has the bits of its line reduced alone. Before,
/// these lines went one by one through the exact block paths: complex64 (600, 800) columns ord −1 / ½ 0.24–0.38×
/// NumPy, rows 0.48–0.58×; float32 [:, ::2] columns ord 1 / −1 / 1.7 / ±∞ 0.45–0.6×.</summary>
internal static unsafe class NarrowLines
{
    /// <summary>Shortest line taken (the short-line kernels take up to 64).</summary>
    internal const long MinLine = 65;

    /// <summary>Longest line taken: below every split threshold of the 1-D fast paths (NarrowPowFast's 2¹⁴ is the
    /// lowest), so a line never spreads over threads inside a worker; longer lines take the block paths' own splits.</summary>
    internal const long MaxLine = (1L << 14) - 1;

    public static bool Applies(ReductionPlan plan, DType t, DType ot, double p)
    {
        if ((ot == t || t == DType.Int32) && Grouped(plan, t, p)) return true; // strided columns, eight side by side (float64, int32: ord 0 and ±∞ only)
        if (t is not (DType.Float32 or DType.Complex64) || ot != DType.Float32 || plan.InnerShape.Length != 1
            || plan.OuterCount < 2 || plan.InnerCount < MinLine || plan.InnerCount > MaxLine) return false;
        bool complex = t == DType.Complex64;
        long s = plan.InnerStrides[0], item = complex ? 8 : 4;
        if (s != item && !FloatRuns.TakesStride(s)) return false;
        // general p: only strided float32 lines (A/B: complex64 rows and contiguous float32 rows of 800 ran 30–40 %
        // slower through NarrowPowFast's per-line keys pass and table than through the paths they take)
        if (complex) return Complex64Fast.TakesOrder(p);
        // contiguous float32 rows: FloatSquares (2) and FloatMinMax (±∞) take them line by line already
        if (p == 2 || double.IsInfinity(p)) return s != item;
        return p is 1 or -1 or -2 or 0.5 or -1.5 or -2.5 || (s != item && GeneralPowFast.Applies(t, p));
    }

    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, double p, byte* o)
    {
        int threads = Parallelism.MaxThreads;
        if (Grouped(plan, t, p))
        {
            long groups = (plan.OuterCount + Lanes - 1) / Lanes;
            if (threads > 1 && plan.OuterCount * plan.InnerCount >= Parallelism.CostlyElements)
            {
                nint xb = (nint)x, ob = (nint)o;
                return Parallelism.ForOutputRanges(groups, threads, (first, count) => Groups(plan, (byte*)xb, t, p, (byte*)ob, first, first + count));
            }
            return Groups(plan, x, t, p, o, 0, groups);
        }
        if (threads > 1 && plan.OuterCount * plan.InnerCount >= Parallelism.CostlyElements)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(plan.OuterCount, threads, (first, count) => Range(plan, (byte*)xb, t, p, (byte*)ob, first, count));
        }
        return Range(plan, x, t, p, o, 0, plan.OuterCount);
    }

    /// <summary>Longest line of the grouped kernels: counts stay exact in float32, sums' chains far inside the proofs'
    /// limits.</summary>
    private const long MaxGrouped = 1L << 24;

    /// <summary>Shortest int32 lines grouped: from (300, 267) of a [::2, ::3] view (ord 0 83 → 12 µs) grouping pays;
    /// shorter columns ((64, 1000), (4, 3000)) keep CountRows / IntRows / IntColumns, which read short columns well —
    /// their A/B was inside this VM's two speed modes (7.5 or 10.8 µs for the same (4, 3000) call), so no gain was
    /// shown there.</summary>
    private const long MinIntGrouped = 128;

    /// <summary>Outputs summed side by side, a lane each.</summary>
    private const int Lanes = 8;

    /// <summary>float32 columns of a strided view (outputs a few bytes apart, each line's elements far apart: one line
    /// at a time read every element from another cache line, ~0.85 ns each — float32 [::-1, ::-2] axis 0 ord 1 / ±∞
    /// 0.33–0.35× NumPy): eight outputs side by side, a row's eight values per step, for the 2-norm (its exact squares and
    /// <see cref="FloatFastPath.TryStore"/>), the orders of <see cref="FloatPowFast"/> and ±∞ (float64 ±∞ too).</summary>
    internal static bool Grouped(ReductionPlan plan, DType t, double p)
        => (t == DType.Float32 || (t is DType.Float64 or DType.Int32 && (double.IsInfinity(p) || p == 0))) && Avx512F.IsSupported
           && (t != DType.Int32 || plan.InnerCount >= MinIntGrouped)
           && plan.InnerShape.Length == 1 && plan.InnerCount is >= 1 and < MaxGrouped && plan.OuterShape.Length == 1 && plan.OuterCount >= Lanes
           && plan.InnerStrides[0] > 64 && plan.OuterInStrides[0] != 0 && Math.Abs(plan.OuterInStrides[0]) <= 64
           && (double.IsInfinity(p) || p is 0 or 2 or 1 or 3 or -1 or -2 or 0.5 or -1.5 or -2.5);

    /// <summary>Groups g0 … g1 − 1 of a grouped plan, by dtype.</summary>
    private static FpEvents Groups(ReductionPlan plan, byte* x, DType t, double p, byte* o, long g0, long g1)
        => t switch
        {
            DType.Float64 => p == 0 ? Counts(plan, x, o, g0, g1, t) : Extremes64<Float64Bits>(plan, x, p < 0, o, g0, g1),
            DType.Int32 => p == 0 ? Counts(plan, x, o, g0, g1, t) : Extremes64<Int32Magnitudes>(plan, x, p < 0, o, g0, g1),
            _ => Groups(plan, x, p, o, g0, g1),
        };

    private static FpEvents Groups(ReductionPlan plan, byte* x, double p, byte* o, long g0, long g1)
        => p switch
        {
            0 => Counts(plan, x, o, g0, g1, DType.Float32),
            2 => Groups<SquareTerm>(plan, x, p, o, g0, g1),
            3 => Groups<CubeTerm>(plan, x, p, o, g0, g1),
            1 => Groups<AbsTerm>(plan, x, p, o, g0, g1),
            -1 => Groups<RecipTerm>(plan, x, p, o, g0, g1),
            -2 => Groups<RecipSquareTerm>(plan, x, p, o, g0, g1),
            0.5 => Groups<RootTerm>(plan, x, p, o, g0, g1),
            -1.5 => Groups<NegHalfTerm<HalfOrder1>>(plan, x, p, o, g0, g1),
            -2.5 => Groups<NegHalfTerm<HalfOrder2>>(plan, x, p, o, g0, g1),
            _ => Extremes(plan, x, p < 0, o, g0, g1),
        };

    /// <summary>Groups g0 … g1 − 1 of eight outputs (the last group overlaps the one before it and stores only its new
    /// outputs): each lane sums its line's terms T(x) in double (two accumulators, rows alternating: a term passes
    /// through at most n/2 + 1 additions), then <see cref="FloatPowFast.TryStore"/> proves the float32 result as for
    /// the line's vector (its bound with this chain), else the line goes alone.</summary>
    private static FpEvents Groups<T>(ReductionPlan plan, byte* x, double p, byte* o, long g0, long g1) where T : struct, IFloatTerm
    {
        long n = plan.InnerCount, s = plan.InnerStrides[0], es = plan.OuterInStrides[0], os = plan.OuterOutStrides[0], outs = plan.OuterCount;
        byte* b = x + plan.InnerBaseOffset;
        long d = n / 2 + 2 + Math.Max(1, T.WideTermUlps);
        double* sums = stackalloc double[Lanes];
        var ev = FpEvents.None;
        for (long g = g0; g < g1; g++)
        {
            long k = Math.Min(g * Lanes, outs - Lanes);
            byte* c = b + k * es;
            Vector512<double> a0 = default, a1 = default;
            long i = 0;
            for (; i + 2 <= n; i += 2, c += 2 * s)
            {
                a0 += T.Term(Avx512F.ConvertToVector512Double(Row(c, es)));
                a1 += T.Term(Avx512F.ConvertToVector512Double(Row(c + s, es)));
            }
            if (i < n) a0 += T.Term(Avx512F.ConvertToVector512Double(Row(c, es)));
            (a0 + a1).Store(sums);
            for (int j = (int)(g * Lanes - k); j < Lanes; j++)
            {
                byte* dst = o + (k + j) * os;
                bool stored = typeof(T) == typeof(SquareTerm) ? FloatFastPath.TryStore(sums[j], d, dst) // its root and test
                                                              : FloatPowFast.TryStore(T.Result(sums[j]), d, dst);
                if (!stored)
                    ev |= AcrossOutputsWide.Alone(b + (k + j) * es, DType.Float32, n, s, dst, DType.Float32, p);
            }
        }
        return ev;
    }

    /// <summary>max |x| (<paramref name="min"/>: min) of eight lines side by side: exact integer extremes of the
    /// sign-cleared bits, stored as <see cref="FloatMinMax"/> stores a line's.</summary>
    private static FpEvents Extremes(ReductionPlan plan, byte* x, bool min, byte* o, long g0, long g1)
    {
        long n = plan.InnerCount, s = plan.InnerStrides[0], es = plan.OuterInStrides[0], os = plan.OuterOutStrides[0], outs = plan.OuterCount;
        byte* b = x + plan.InnerBaseOffset;
        var mask = Vector256.Create(0x7FFF_FFFF);
        int* lo = stackalloc int[Lanes], hi = stackalloc int[Lanes];
        var ev = FpEvents.None;
        for (long g = g0; g < g1; g++)
        {
            long k = Math.Min(g * Lanes, outs - Lanes);
            byte* c = b + k * es;
            Vector256<int> l = mask, h = Vector256<int>.Zero;
            for (long i = 0; i < n; i++, c += s)
            {
                var v = Row(c, es).AsInt32() & mask;
                l = Vector256.Min(l, v); h = Vector256.Max(h, v);
            }
            l.Store(lo); h.Store(hi);
            for (int j = (int)(g * Lanes - k); j < Lanes; j++)
                ev |= FloatMinMax.Store(lo[j], hi[j], 4, min, o + (k + j) * os, DType.Float32);
        }
        return ev;
    }

    /// <summary>ord 0 of eight float32, float64 or int32 lines side by side: each lane counts its line's elements that
    /// compare unequal to zero (NaN included, as NumPy's <c>x != 0</c>), an exact count below 2²⁴, stored as the line's
    /// own ord-0 path stores it (into float32 for float32, else float64).</summary>
    private static FpEvents Counts(ReductionPlan plan, byte* x, byte* o, long g0, long g1, DType t)
    {
        bool single = t == DType.Float32;
        long n = plan.InnerCount, s = plan.InnerStrides[0], es = plan.OuterInStrides[0], os = plan.OuterOutStrides[0], outs = plan.OuterCount;
        byte* b = x + plan.InnerBaseOffset;
        long* cnt = stackalloc long[Lanes];
        var ev = FpEvents.None;
        for (long g = g0; g < g1; g++)
        {
            long k = Math.Min(g * Lanes, outs - Lanes);
            byte* c = b + k * es;
            var zeros = Vector512<long>.Zero; // per lane: −(elements equal to zero)
            if (single)
                for (long i = 0; i < n; i++, c += s)
                    zeros += Vector512.Equals(Avx512F.ConvertToVector512Double(Row(c, es)), Vector512<double>.Zero).AsInt64();
            else if (t == DType.Int32)
                for (long i = 0; i < n; i++, c += s)
                    zeros += Vector512.Equals(Avx512F.ConvertToVector512Int64(Row(c, es).AsInt32()), Vector512<long>.Zero);
            else
                for (long i = 0; i < n; i++, c += s)
                    zeros += Vector512.Equals(Row64(c, es).AsDouble(), Vector512<double>.Zero).AsInt64();
            (Vector512.Create(n) + zeros).Store(cnt);
            for (int j = (int)(g * Lanes - k); j < Lanes; j++)
                ev |= ResultWriter.Store(single ? DType.Float32 : DType.Float64, o + (k + j) * os, cnt[j], 0, 0);
        }
        return ev;
    }

    /// <summary>max |x| (<paramref name="min"/>: min) of eight float64 or int32 lines side by side, as 64-bit integer
    /// extremes of <typeparamref name="TMag"/>'s magnitudes (float64: the sign-cleared bits; int32: the values widened,
    /// |−2³¹| fits), stored as the lines' own paths store theirs.</summary>
    private static FpEvents Extremes64<TMag>(ReductionPlan plan, byte* x, bool min, byte* o, long g0, long g1) where TMag : struct, IMagnitudes64
    {
        long n = plan.InnerCount, s = plan.InnerStrides[0], es = plan.OuterInStrides[0], os = plan.OuterOutStrides[0], outs = plan.OuterCount;
        byte* b = x + plan.InnerBaseOffset;
        long* lo = stackalloc long[Lanes], hi = stackalloc long[Lanes];
        var ev = FpEvents.None;
        for (long g = g0; g < g1; g++)
        {
            long k = Math.Min(g * Lanes, outs - Lanes);
            byte* c = b + k * es;
            Vector512<long> l = Vector512.Create(long.MaxValue), h = Vector512<long>.Zero;
            for (long i = 0; i < n; i++, c += s)
            {
                var v = TMag.Load(c, es);
                l = Vector512.Min(l, v); h = Vector512.Max(h, v);
            }
            l.Store(lo); h.Store(hi);
            for (int j = (int)(g * Lanes - k); j < Lanes; j++)
                ev |= TMag.Store(lo[j], hi[j], min, o + (k + j) * os);
        }
        return ev;
    }

    /// <summary>Eight lines' magnitudes as ordered 64-bit integers, and a line's extreme stored.</summary>
    private interface IMagnitudes64
    {
        static abstract Vector512<long> Load(byte* c, long es);
        static abstract FpEvents Store(long lo, long hi, bool min, byte* dst);
    }

    /// <summary>float64: the sign-cleared bits (ordered as the magnitudes), stored as <see cref="FloatMinMax"/> stores.</summary>
    private readonly struct Float64Bits : IMagnitudes64
    {
        public static Vector512<long> Load(byte* c, long es) => Row64(c, es) & Vector512.Create(0x7FFF_FFFF_FFFF_FFFFL);
        public static FpEvents Store(long lo, long hi, bool min, byte* dst) => FloatMinMax.Store(lo, hi, 8, min, dst, DType.Float64);
    }

    /// <summary>int32: |x| widened to 64 bits, stored exactly as float64.</summary>
    private readonly struct Int32Magnitudes : IMagnitudes64
    {
        public static Vector512<long> Load(byte* c, long es) => Vector512.Abs(Avx512F.ConvertToVector512Int64(Row(c, es).AsInt32()));
        public static FpEvents Store(long lo, long hi, bool min, byte* dst) => ResultWriter.Store(DType.Float64, dst, min ? lo : hi, 0, 0);
    }

    /// <summary>The eight 64-bit patterns <paramref name="es"/> bytes apart from <paramref name="c"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<long> Row64(byte* c, long es)
        => Vector512.Create(Unsafe.ReadUnaligned<long>(c), Unsafe.ReadUnaligned<long>(c + es), Unsafe.ReadUnaligned<long>(c + 2 * es),
                            Unsafe.ReadUnaligned<long>(c + 3 * es), Unsafe.ReadUnaligned<long>(c + 4 * es), Unsafe.ReadUnaligned<long>(c + 5 * es),
                            Unsafe.ReadUnaligned<long>(c + 6 * es), Unsafe.ReadUnaligned<long>(c + 7 * es));

    /// <summary>|x|³ of a float in double (x² exact, one rounding for the third factor; within [2⁻⁴⁴⁷, 2³⁸⁴]: no
    /// underflow or overflow), the result ∛S by <see cref="FloatPowFast.Cbrt"/>: its bound and that rounding counted
    /// as <see cref="AcrossOutputsWide"/>'s float32 cube columns count them (2 + <see cref="FloatPowFast.CbrtUlps"/>).</summary>
    private readonly struct CubeTerm : IFloatTerm
    {
        public static Vector512<double> Term(Vector512<double> w) { var a = Vector512.Abs(w); return a * a * a; }
        public static Vector256<double> Term(Vector256<double> w) { var a = Vector256.Abs(w); return a * a * a; }
        public static double Term(double w) { double a = Math.Abs(w); return a * a * a; }
        public static double Result(double s) => FloatPowFast.Cbrt(s);
        public static int WideTermUlps => 2 + FloatPowFast.CbrtUlps;
    }

    /// <summary>x² of a float, exact in double (the 2-norm's term; <see cref="FloatFastPath.TryStore"/> takes the sum).</summary>
    private readonly struct SquareTerm : IFloatTerm
    {
        public static Vector512<double> Term(Vector512<double> w) => w * w;
        public static Vector256<double> Term(Vector256<double> w) => w * w;
        public static double Term(double w) => w * w;
        public static double Result(double s) => s;
        public static int WideTermUlps => 0;
    }

    /// <summary>The eight floats <paramref name="es"/> bytes apart from <paramref name="c"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Row(byte* c, long es)
        => Vector256.Create(Unsafe.ReadUnaligned<float>(c), Unsafe.ReadUnaligned<float>(c + es), Unsafe.ReadUnaligned<float>(c + 2 * es),
                            Unsafe.ReadUnaligned<float>(c + 3 * es), Unsafe.ReadUnaligned<float>(c + 4 * es), Unsafe.ReadUnaligned<float>(c + 5 * es),
                            Unsafe.ReadUnaligned<float>(c + 6 * es), Unsafe.ReadUnaligned<float>(c + 7 * es));

    private static FpEvents Range(ReductionPlan plan, byte* x, DType t, double p, byte* o, long first, long count)
    {
        long n = plan.InnerCount, s = plan.InnerStrides[0];
        bool complex = t == DType.Complex64;
        var ev = FpEvents.None;
        var it = new OuterIterator(plan, x, o, first, count);
        while (it.Next(out byte* xp, out byte* dst))
        {
            byte* v = xp + plan.InnerBaseOffset;
            if (!complex && double.IsInfinity(p)) { ev |= FloatMinMax.Line(v, n, s, 4, p < 0, dst, DType.Float32); continue; }
            if (!TryLine(v, n, s, complex, p, dst)) ev |= AcrossOutputsWide.Alone(v, t, n, s, dst, DType.Float32, p);
        }
        return ev;
    }

    /// <summary>The 1-D fast path of the line's vector; true when it stored the result.</summary>
    private static bool TryLine(byte* v, long n, long s, bool complex, double p, byte* dst)
    {
        if (p == 2)
            return s == (complex ? 8 : 4) ? FloatFastPath.TryRun((float*)v, complex ? 2 * n : n, dst, 1)
                                          : FloatFastPath.TryRunStrided(v, n, s, complex, dst, 1);
        if (complex) return Complex64Fast.TryLine(v, n, s, p, dst);
        return p is 1 or -1 or -2 or 0.5 or -1.5 or -2.5 ? FloatPowFast.TryLine(v, n, s, p, dst) : NarrowPowFast.TryLine(v, n, s, false, p, dst);
    }
}
