using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>max |z| (p = +∞) and min |z| (p = −∞) of many complex64 / complex128 lines along one reduced axis, a
/// line at a time with no buffer: a first pass takes the extreme of s = re² + im² in double (complex64: parts widened,
/// squares exact, one rounding, error ≤ u·s; complex128: one FMA, within 2.01u of |z|² when s ∈ [2⁻¹⁰⁰⁰, 2¹⁰⁰⁰], the
/// <see cref="Complex128Max"/> argument), a second pass evaluates the extended magnitude <see cref="Ext.Hypot"/> only
/// for the candidates within 2⁻⁴⁸ of that extreme (the true extreme always qualifies) and keeps the exact extreme, rounded
/// once — or, cheaper and with the same result, complex64's √top when it decides the float32 alone and complex128's
/// double-double root (<see cref="TryRoot"/>) when no candidate lies near a midpoint. Lines holding NaN or ∞, complex128 lines whose extreme s lies outside [2⁻¹⁰⁰⁰, 2¹⁰⁰⁰], get Ext.Hypot for
/// every element (numpy's rules: |z| = ∞ when a part is infinite, else NaN when a part is NaN; NaN wins the line).
/// The stored value is the exact extreme rounded once, the value of the 1-D paths (<see cref="ComplexAbsOp"/>,
/// <see cref="Complex128Max"/>, <see cref="ComplexNegative"/>) for the line alone, whatever the thread count.
/// (Those paths, one line at a time through the block driver, ran at 0.14–0.45× NumPy on 3000 rows of 4 or 16.)
/// Ties (np.ones, small integers, repeated values: every element of a line a candidate, 0.12–0.2× NumPy): a candidate
/// whose (|re|, |im|) is the winner's pair or its swap is skipped — four at a time when all four are — before its root
/// or Ext.Hypot (both symmetric functions of that pair; only a strictly better value replaces the winner, so the result
/// and the midpoint stop are unchanged: <see cref="ComplexTies"/>). A finite line whose minimum s is 0 and that holds an
/// exact 0 stores 0 at once, what the every-element route stores for it.</summary>
internal static unsafe class ComplexExtremaRows
{
    /// <summary>Longest line taken.</summary>
    private const long MaxLine = 4096;

    /// <summary>2⁻²⁵⁰: an extreme s at or above it has its root among float32's normal numbers.</summary>
    private static readonly double F32Tiny = Math.ScaleB(1.0, -250);

    /// <summary>2⁻⁹⁰⁰: from here up the complex128 candidates' double-double squares lose nothing that matters.</summary>
    private static readonly double RootLo = Math.ScaleB(1.0, -900);

    public static bool Applies(ReductionPlan plan, DType t, double p)
    {
        if (!double.IsInfinity(p) || t is not (DType.Complex64 or DType.Complex128)) return false;
        if (plan.InnerShape.Length != 1 || plan.OuterShape.Length < 1 || plan.OuterCount < 2) return false;
        long n = plan.InnerCount;
        // lines, not columns (the reduced axis moves no farther than the innermost kept one)
        return n >= 1 && n <= MaxLine && plan.InnerStrides[0] * n <= Math.Abs(plan.OuterInStrides[^1]);
    }

    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p)
    {
        long rows = plan.OuterCount, n = plan.InnerCount;
        int threads = Parallelism.MaxThreads;
        bool c64 = t == DType.Complex64, min = p < 0;
        // a candidate's Ext.Hypot costs about as much as a few dozen elements; the cheap-order threshold is kept for
        // contiguous lines, a quarter of it for strided ones (each value loaded part by part: (600,800)[::2, ::3] axis 1,
        // 80 100 values, ran on one thread at 0.56× NumPy)
        bool adjacent = plan.InnerStrides[0] == (c64 ? 8 : 16);
        if (threads > 1 && rows * n >= (adjacent ? BlockDriver.ParallelThreshold : BlockDriver.ParallelThreshold / 4))
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(rows, threads, (first, count) => Rows(plan, (byte*)xb, (byte*)ob, ot, first, count, c64, min));
        }
        return Rows(plan, x, o, ot, 0, rows, c64, min);
    }

    private static FpEvents Rows(ReductionPlan plan, byte* x, byte* o, DType ot, long first, long count, bool c64, bool min)
    {
        if (!c64 && ot == DType.Float64 && plan.InnerCount <= ShortLine && count >= Lanes && RealKernels.Wide && Avx512F.IsSupported)
            return ShortRows(plan, x, o, first, count, min);
        var v = new Extremum(plan.InnerCount, plan.InnerStrides[0], c64, min, ot);
        return OuterIterator.ForEach(plan, x, o, first, count, ref v);
    }

    /// <summary>Longest complex128 line taken eight lines at a time (<see cref="ShortRows"/>).</summary>
    private const long ShortLine = 16;

    /// <summary>Lines per group of <see cref="ShortRows"/>: a Vector512 lane each.</summary>
    private const int Lanes = 8;

    /// <summary>complex128 lines of at most <see cref="ShortLine"/> values into float64, eight at a time, a lane per
    /// line: the extreme s (one FMA, as <see cref="Complex128Max"/>) over gathered parts, the candidates within 2⁻⁴⁸
    /// of it, and — where every candidate of the line has the first candidate's part magnitudes (a, b) or their swap, so
    /// that all of them have its |z| — <see cref="TryRoot"/>'s operations on (a, b) in the lanes, stored where the root
    /// is decided. The extreme |z| is then that correctly rounded root, what <see cref="Line{P}"/> stores. Any other
    /// line (NaN, ∞, s outside [2⁻⁹⁰⁰, 2¹⁰⁰⁰], distinct candidates, an undecided root) goes through Line itself.
    /// Line by line, a scalar √ and ÷ chain per candidate and the per-value candidate walk made complex128 (3000, 4)
    /// ±∞ ~33 ns a line, below NumPy with ties (0.82–0.85×).</summary>
    private static FpEvents ShortRows(ReductionPlan plan, byte* x, byte* o, long first, long count, bool min)
    {
        long n = plan.InnerCount, s = plan.InnerStrides[0], off = plan.InnerBaseOffset;
        byte** xs = stackalloc byte*[Lanes];
        byte** os = stackalloc byte*[Lanes];
        double* buf = stackalloc double[(int)(2 * Lanes * n)];
        var ev = FpEvents.None;
        int m = 0;
        bool flat = plan.OuterShape.Length == 1;
        long si = flat ? plan.OuterInStrides[0] : 0, so = flat ? plan.OuterOutStrides[0] : 0;
        var it = new OuterIterator(plan, x, o, first, flat ? 0 : count);
        for (long k = first; k < first + count; k++)
        {
            if (flat) { xs[m] = x + k * si + off; os[m] = o + k * so; }
            else { it.Next(out byte* lp, out os[m]); xs[m] = lp + off; }
            if (++m == Lanes) { ev |= Group(xs, os, Lanes, n, s, min, buf); m = 0; }
        }
        if (m > 0)
        {
            for (int r = m; r < Lanes; r++) xs[r] = xs[0]; // idle lanes repeat a line; nothing of theirs is stored
            ev |= Group(xs, os, m, n, s, min, buf);
        }
        return ev;
    }

    /// <summary>Eight lines (the first <paramref name="m"/> real) of <see cref="ShortRows"/>; <paramref name="buf"/>
    /// holds 2·8·n doubles.</summary>
    private static FpEvents Group(byte** xs, byte** os, int m, long n, long s, bool min, double* buf)
    {
        // byte offsets of lines 0–3 and 4–7 from line 0 (two 256-bit gathers a vector: .NET has no 512-bit gather)
        var i0 = Vector256.Create(0L, xs[1] - xs[0], xs[2] - xs[0], xs[3] - xs[0]);
        var i1 = Vector256.Create(xs[4] - xs[0], xs[5] - xs[0], xs[6] - xs[0], xs[7] - xs[0]);
        var sign = Vector512.Create(-0.0);
        var top = Vector512.Create(min ? double.PositiveInfinity : 0);
        var bad = Vector512<double>.Zero;
        byte* q = xs[0];
        for (long i = 0; i < n; i++, q += s)
        {
            var re = Vector512.AndNot(Vector512.Create(Avx2.GatherVector256((double*)q, i0, 1), Avx2.GatherVector256((double*)q, i1, 1)), sign);
            var im = Vector512.AndNot(Vector512.Create(Avx2.GatherVector256((double*)(q + 8), i0, 1), Avx2.GatherVector256((double*)(q + 8), i1, 1)), sign);
            re.Store(buf + 16 * i); im.Store(buf + 16 * i + 8);
            var sq = Vector512.FusedMultiplyAdd(im, im, re * re);
            bad += sq - sq; // NaN where s is NaN or ∞
            top = min ? Vector512.MinNative(top, sq) : Vector512.MaxNative(top, sq);
        }
        var ok = Vector512.Equals(bad, Vector512<double>.Zero)
                 & Vector512.GreaterThanOrEqual(top, Vector512.Create(RootLo)) & Vector512.LessThanOrEqual(top, Vector512.Create(Complex128Max.Hi));
        var thr = top * Vector512.Create(min ? 1.0000000000000036 : Complex128Max.Slack);
        Vector512<double> a = Vector512<double>.Zero, b = Vector512<double>.Zero, has = Vector512<double>.Zero, distinct = Vector512<double>.Zero;
        for (long i = 0; i < n; i++)
        {
            var re = Vector512.Load(buf + 16 * i); var im = Vector512.Load(buf + 16 * i + 8);
            var sq = Vector512.FusedMultiplyAdd(im, im, re * re); // the same s (squares ignore the sign)
            var cand = min ? Vector512.LessThanOrEqual(sq, thr) : Vector512.GreaterThanOrEqual(sq, thr);
            var firstCand = Vector512.AndNot(cand, has);
            a = Vector512.ConditionalSelect(firstCand, re, a);
            b = Vector512.ConditionalSelect(firstCand, im, b);
            has |= cand;
            var same = (Vector512.Equals(re, a) & Vector512.Equals(im, b)) | (Vector512.Equals(re, b) & Vector512.Equals(im, a));
            distinct |= Vector512.AndNot(cand, same);
        }
        ok = Vector512.AndNot(ok & has, distinct);
        var decided = RootLanes(new Lanes512(a), new Lanes512(b), out var root); // TryRoot's operations, lane by lane
        ulong good = (ok & decided.V).ExtractMostSignificantBits();
        var ev = FpEvents.None;
        for (int k = 0; k < m; k++)
        {
            if ((good >> k & 1) != 0) *(double*)os[k] = root[k];
            else ev |= Line<C128>(xs[k], n, s, false, min, os[k], DType.Float64);
        }
        return ev;
    }

    private readonly struct Extremum(long n, long s, bool c64, bool min, DType ot) : ILineVisitor
    {
        public FpEvents Line(byte* xp, byte* dst) => ComplexExtremaRows.Line(xp, n, s, c64, min, dst, ot);
    }

    private interface IParts
    {
        static abstract double Re(byte* p);
        static abstract double Im(byte* p);
        /// <summary>re² + im² within 2.01u of |z|² (complex128: when in [2⁻¹⁰⁰⁰, 2¹⁰⁰⁰]).</summary>
        static abstract double Square(double re, double im);
        /// <summary>re² + im² of the 4 contiguous values at p (lane order z0, z2, z1, z3), within 2.01u as above.</summary>
        static abstract Vector256<double> Squares4(byte* p);
        /// <summary>The same re² + im² (three roundings; complex64: one) for 4 values <paramref name="s"/> bytes apart, in
        /// some lane order; complex128 also gives the parts lane by lane in value order (<paramref name="re"/>,
        /// <paramref name="im"/>, for the ties test), complex64 zeros.</summary>
        static abstract Vector256<double> StridedSquares4(byte* p, long s, out Vector256<double> re, out Vector256<double> im);
    }

    private struct C64 : IParts
    {
        public static double Re(byte* p) => ((float*)p)[0];
        public static double Im(byte* p) => ((float*)p)[1];
        public static double Square(double re, double im) => re * re + im * im; // exact squares, one rounding

        public static Vector256<double> Squares4(byte* p)
        {
            var (a, b) = Vector256.Widen(Vector256.Load((float*)p));
            return Avx.HorizontalAdd(a * a, b * b); // the same single rounding
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> StridedSquares4(byte* p, long s, out Vector256<double> re, out Vector256<double> im)
        {
            // a value's 8 bytes a load (part by part, two float loads and conversions a value, was 1.35× slower)
            var v = Vector256.Create(Unsafe.ReadUnaligned<double>(p), Unsafe.ReadUnaligned<double>(p + s),
                                     Unsafe.ReadUnaligned<double>(p + 2 * s), Unsafe.ReadUnaligned<double>(p + 3 * s));
            var (u, w) = Vector256.Widen(v.AsSingle());
            re = im = Vector256<double>.Zero;
            return Avx.HorizontalAdd(u * u, w * w);
        }
    }

    private struct C128 : IParts
    {
        public static double Re(byte* p) => ((double*)p)[0];
        public static double Im(byte* p) => ((double*)p)[1];
        public static double Square(double re, double im) => Math.FusedMultiplyAdd(im, im, re * re);

        public static Vector256<double> Squares4(byte* p)
        {
            Vector256<double> a = Vector256.Load((double*)p), b = Vector256.Load((double*)p + 4);
            return Avx.HorizontalAdd(a * a, b * b); // three roundings: within 2u + u² of |z|² in range
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> StridedSquares4(byte* p, long s, out Vector256<double> re, out Vector256<double> im)
        {
            // part by part (two 16-byte loads joined and a horizontal add measured 2× slower here)
            re = Vector256.Create(Re(p), Re(p + s), Re(p + 2 * s), Re(p + 3 * s));
            im = Vector256.Create(Im(p), Im(p + s), Im(p + 2 * s), Im(p + 3 * s));
            return re * re + im * im;
        }
    }

    private static FpEvents Line(byte* p, long n, long s, bool c64, bool min, byte* dst, DType ot)
    {
        if (!c64 && s == 16 && n >= LongScan && ot == DType.Float64 && RealKernels.Wide && Avx512F.IsSupported
            && (min ? Complex128Max.ScanMin((double*)p, n, out Ext best, out _) : Complex128Max.Scan((double*)p, n, out best)))
            return ResultWriter.Store(ot, dst, best);
        return c64 ? Line<C64>(p, n, s, true, min, dst, ot) : Line<C128>(p, n, s, false, min, dst, ot);
    }

    /// <summary>Contiguous complex128 lines from this many values take the 1-D kernel's scan
    /// (<see cref="Complex128Max.Scan"/>: eight values a step, and a candidate pass only over blocks that raise the top)
    /// before the two four-value passes below; both give the exact extreme rounded once, so the same bits (a line with
    /// NaN, ∞ or a top outside [2⁻¹⁰⁰⁰, 2¹⁰⁰⁰] fails the scan and goes below, with its events). Measured side by side
    /// (±∞, two threads): rows of 300 94–98 → 68–69 µs, of 3000 147 → 70 µs, of 200 58–64 → 51–53 µs; rows of 128 and
    /// shorter lost 5–50 % (the scan's exact candidates cost more per line than TryRoot's), hence the limit.</summary>
    private const long LongScan = 192;

    /// <summary>One line of n ≥ 1 elements, <paramref name="s"/> bytes apart.</summary>
    private static FpEvents Line<P>(byte* p, long n, long s, bool c64, bool min, byte* dst, DType ot) where P : struct, IParts
    {
        double top = min ? double.PositiveInfinity : 0;
        bool finite = true;
        byte* q = p;
        long i = 0, size = c64 ? 8 : 16;
        if (Avx.IsSupported && s == size && n >= 4)
        {
            // whole vectors of 4 values; a NaN or ∞ s leaves NaN in bad (s − s), so max/min need no NaN rule
            var t = Vector256.Create(top);
            var bad = Vector256<double>.Zero;
            for (; i <= n - 4; i += 4, q += 4 * size)
            {
                var v = P.Squares4(q);
                bad += v - v;
                t = min ? Avx.Min(t, v) : Avx.Max(t, v);
            }
            top = Fold(t, bad, min, out finite);
        }
        else if (Avx.IsSupported && n >= 4)
        {
            // strided lines (rows of x[::2, ::3]): four values a step (StridedSquares4: complex64 values loaded whole,
            // complex128 part by part), the same re² + im² as Squares4; the scalar loop's dependent compare chain ran
            // ~4 ns a value (complex128 (600,800)[::2, ::3] axis 1 ±∞ 0.44× NumPy)
            var t = Vector256.Create(top);
            var bad = Vector256<double>.Zero;
            for (; i <= n - 4; i += 4, q += 4 * s)
            {
                var v = P.StridedSquares4(q, s, out _, out _);
                bad += v - v;
                t = min ? Avx.Min(t, v) : Avx.Max(t, v);
            }
            top = Fold(t, bad, min, out finite);
        }
        for (; i < n; i++, q += s)
        {
            double v = P.Square(P.Re(q), P.Im(q));
            finite &= double.IsFinite(v);
            top = min ? (v < top ? v : top) : (v > top ? v : top); // NaN: caught by the flag
        }
        if (finite && min && top == 0 && HasZero(p, n, s, c64))
            return ResultWriter.Store(ot, dst, Ext.Zero); // what Every stores for a finite line holding 0 (its |z| is the minimum)
        if (!finite || (!c64 && (top < Complex128Max.Lo || top > Complex128Max.Hi)))
            return Every(p, n, s, c64, min, dst, ot);
        if (c64 && top >= F32Tiny && ot == DType.Float32)
        {
            // complex64: the exact extreme s* has fl(s*) = top (rounding is monotone), so √s* lies within 2u of
            // r = √top; when everything within 2⁻⁴⁶ of r rounds to one float32, that float32 is the correctly
            // rounded |z| (no Ext.Hypot needed). Near a float32 midpoint (about 1 line in 2²¹), past float32's
            // range or in its subnormals, the exact pass below decides.
            double r = Math.Sqrt(top);
            float f = (float)(r * 0.99999999999998579); // 1 ∓ 2⁻⁴⁶
            if (f == (float)(r * 1.0000000000000142) && float.IsFinite(f))
            {
                *(float*)dst = f;
                return FpEvents.None;
            }
        }
        // complex64 s is within u of |z|², complex128 within 2.01u: 2⁻⁴⁸ covers both with room
        double thr = min ? top * 1.0000000000000036 : top * Complex128Max.Slack; // 1 + 2⁻⁴⁸
        if (!c64 && top >= RootLo && ot == DType.Float64)
        {
            var roots = new RootPick();
            if (Candidates<P, RootPick>(p, n, s, size, thr, min, ref roots))
            {
                *(double*)dst = roots.Best;
                return FpEvents.None;
            }
        }
        var exact = new ExtPick();
        Candidates<P, ExtPick>(p, n, s, size, thr, min, ref exact);
        return ResultWriter.Store(ot, dst, exact.X.Best);
    }

    /// <summary>The extreme of a vector pass's four lanes (their start value included) and whether every s was finite
    /// (a NaN or ∞ s left NaN in <paramref name="bad"/>).</summary>
    private static double Fold(Vector256<double> t, Vector256<double> bad, bool min, out bool finite)
    {
        finite = Vector256.EqualsAll(bad, Vector256<double>.Zero);
        double top = t.GetElement(0);
        for (int j = 1; j < 4; j++)
        {
            double v = t.GetElement(j);
            top = min ? (v < top ? v : top) : (v > top ? v : top);
        }
        return top;
    }

    /// <summary>What is done with a candidate: false stops the pass (its result is not decided).</summary>
    private interface IPick
    {
        bool Take(double re, double im, bool min);
        /// <summary>Whether a winner is held, and its part magnitudes: candidates with that pair (or its swap) cannot
        /// change the result.</summary>
        bool Has { get; }
        double A { get; }
        double B { get; }
    }

    /// <summary>The exact extreme of Ext.Hypot magnitudes (a candidate with the winner's pair of part magnitudes
    /// skipped: <see cref="ComplexTies"/>).</summary>
    private struct ExtPick : IPick
    {
        public ExtExtreme X;

        public bool Has => X.Has;
        public double A => X.A;
        public double B => X.B;

        public bool Take(double re, double im, bool min)
        {
            X.Take(re, im, min);
            return true;
        }
    }

    /// <summary>complex128: the extreme of <see cref="TryRoot"/>'s correctly rounded roots, which is the correctly
    /// rounded extreme (rounding is monotone); stops at a root too close to a midpoint. A candidate whose part
    /// magnitudes are the winner's pair (or its swap) has the winner's root bit for bit and is skipped
    /// (<see cref="ComplexTies"/>).</summary>
    private struct RootPick : IPick
    {
        public double Best;
        public double PA, PB;
        public bool Any;

        public bool Has => Any;
        public double A => PA;
        public double B => PB;

        public bool Take(double re, double im, bool min)
        {
            double a = Math.Abs(re), b = Math.Abs(im);
            if (Any && ComplexTies.Same(a, b, PA, PB)) return true;
            if (!TryRoot(a, b, out double r)) return false;
            if (!Any || (min ? r < Best : r > Best)) { Best = r; PA = a; PB = b; Any = true; }
            return true;
        }
    }

    /// <summary>Hands every value whose scalar s passes the threshold to <paramref name="pick"/>; contiguous lines
    /// look value by value only into vectors of 4 holding a candidate (the vector s, differently rounded, only
    /// selects the vector; the scalar test decides, as for the rest).</summary>
    private static bool Candidates<P, K>(byte* p, long n, long s, long size, double thr, bool min, ref K pick)
        where P : struct, IParts where K : struct, IPick
    {
        bool c64 = size == 8;
        byte* q = p;
        long i = 0;
        if (Avx.IsSupported && s == size && n >= 4)
        {
            var th = Vector256.Create(thr);
            for (; i <= n - 4; i += 4, q += 4 * size)
            {
                var v = P.Squares4(q);
                if ((min ? Vector256.LessThanOrEqualAny(v, th) : Vector256.GreaterThanOrEqualAny(v, th))
                    && !(!c64 && pick.Has && SameFour(Vector256.Load((double*)q), Vector256.Load((double*)q + 4), pick.A, pick.B)))
                    for (int j = 0; j < 4; j++)
                        if (!Consider<P, K>(q + j * size, thr, min, ref pick)) return false;
            }
        }
        else if (Avx.IsSupported && n >= 4)
        {
            // strided lines: four values a step selected by Line's strided s (the same roundings as Squares4, so the
            // true extreme's vector always qualifies); the scalar test decides within it. Value by value, the per-value
            // call was ~65 % of complex128 (600, 800)[:, ::2] rows ±∞.
            var th = Vector256.Create(thr);
            for (; i <= n - 4; i += 4, q += 4 * s)
            {
                var v = P.StridedSquares4(q, s, out var re, out var im);
                if (!(min ? Vector256.LessThanOrEqualAny(v, th) : Vector256.GreaterThanOrEqualAny(v, th))) continue;
                if (!c64 && pick.Has && SamePairs(re, im, pick.A, pick.B)) continue;
                for (int j = 0; j < 4; j++)
                    if (!Consider<P, K>(q + j * s, thr, min, ref pick)) return false;
            }
        }
        for (; i < n; i++, q += s)
            if (!Consider<P, K>(q, thr, min, ref pick)) return false;
        return true;
    }

    /// <summary>True when each of 4 complex128 values, parts (re₀, im₀, re₁, im₁) in <paramref name="u"/> and (re₂, im₂,
    /// re₃, im₃) in <paramref name="w"/>, has part magnitudes (a, b) or (b, a): none of them can change the winner whose
    /// pair that is (<see cref="ComplexTies"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static bool SameFour(Vector256<double> u, Vector256<double> w, double a, double b)
    {
        var sign = Vector256.Create(-0.0);
        u = Vector256.AndNot(u, sign); w = Vector256.AndNot(w, sign);
        Vector256<double> ab = Vector256.Create(a, b, a, b), ba = Vector256.Create(b, a, b, a);
        // bits 2k, 2k + 1 of each mask: the parts of value k (u: values 0, 1; w: values 2, 3)
        uint m = Vector256.Equals(u, ab).ExtractMostSignificantBits() | Vector256.Equals(w, ab).ExtractMostSignificantBits() << 4;
        uint r = Vector256.Equals(u, ba).ExtractMostSignificantBits() | Vector256.Equals(w, ba).ExtractMostSignificantBits() << 4;
        return ((m & m >> 1 | r & r >> 1) & 0x55) == 0x55;
    }

    /// <summary>True when each of four complex128 values, parts lane by lane in <paramref name="re"/> and
    /// <paramref name="im"/>, has part magnitudes (a, b) or (b, a) (<see cref="SameFour"/> for values loaded part by part).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SamePairs(Vector256<double> re, Vector256<double> im, double a, double b)
    {
        var sign = Vector256.Create(-0.0);
        re = Vector256.AndNot(re, sign); im = Vector256.AndNot(im, sign);
        Vector256<double> va = Vector256.Create(a), vb = Vector256.Create(b);
        var same = (Vector256.Equals(re, va) & Vector256.Equals(im, vb)) | (Vector256.Equals(re, vb) & Vector256.Equals(im, va));
        return same.ExtractMostSignificantBits() == 0xF;
    }

    private static bool Consider<P, K>(byte* q, double thr, bool min, ref K pick) where P : struct, IParts where K : struct, IPick
    {
        double re = P.Re(q), im = P.Im(q);
        double v = P.Square(re, im);
        return !(min ? v <= thr : v >= thr) || pick.Take(re, im, min);
    }

    /// <summary>√(re² + im²) correctly rounded for re² + im² ≥ 2⁻⁹⁰⁰ (finite, ≤ 2¹⁰⁰⁰·(1 + 2⁻⁴⁷)): S = re² + im² as a
    /// double-double (FMA products, two-sum; relative error below 2⁻¹⁰³ — the tiny square's lost low part is
    /// below 2⁻¹⁰⁷⁴), r = √S_hi, δ = (S − r²)/(2r) ≈ √S − r with relative error below 2⁻⁴⁹ (and √S's absolute
    /// error below 2⁻¹⁰³·√S ≈ 2⁻⁵⁰ ulp). r + δ is correctly rounded unless √S lies within those errors of a
    /// midpoint; moving δ by ±2⁻⁴⁰ of itself (≈ 2⁻⁴¹ ulp near a midpoint, far beyond them) must not change the sum,
    /// else false (Ext.Hypot decides).</summary>
    private static bool TryRoot(double re, double im, out double root)
    {
        bool ok = Lane1.AllSet(RootLanes(new Lane1(Math.Abs(re)), new Lane1(Math.Abs(im)), out var r));
        root = r.V;
        return ok;
    }

    /// <summary><see cref="TryRoot"/>'s operations on lanes of magnitudes a, b ≥ 0 (one body for the line-by-line
    /// root and <see cref="ShortRows"/>' eight lines, so the same bits): the root and the mask of the decided lanes.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static L RootLanes<L>(L a, L b, out L root) where L : struct, ILanes<L>
    {
        L p1 = a * a, e1 = L.MulSub(a, a, p1);
        L p2 = b * b, e2 = L.MulSub(b, b, p2);
        L sh = p1 + p2, bb = sh - p1;
        L sl = (p1 - (sh - bb)) + (p2 - bb) + (e1 + e2);
        L h = sh + sl; // renormalised
        L l = sl - (h - sh);
        L r = L.Sqrt(h);
        L rh = r * r, rl = L.MulSub(r, r, rh);
        L d = ((h - rh) - rl + l) / (r + r); // h − rh is exact (Sterbenz)
        // 1 ± 2⁻⁴⁰ as constants: Math.ScaleB was two calls per root (2 % of a (3000, 4) ±∞ call)
        root = r + d * L.Create(1.0000000000009095);
        return L.Equal(root, r + d * L.Create(0.9999999999990905));
    }

    private static void Keep(in Ext z, bool min, ref Ext best, ref bool has)
    {
        int c = has ? Ext.Compare(z, best) : 0;
        if (!has || (min ? c < 0 : c > 0)) { best = z; has = true; }
    }

    /// <summary>True when some element is exactly 0 (both parts ±0): a zero s may also be an underflowed square.</summary>
    private static bool HasZero(byte* p, long n, long s, bool c64)
    {
        for (long i = 0; i < n; i++, p += s)
            if (c64 ? C64.Re(p) == 0 && C64.Im(p) == 0 : C128.Re(p) == 0 && C128.Im(p) == 0) return true;
        return false;
    }

    /// <summary>Ext.Hypot of every element, with numpy's special values.</summary>
    private static FpEvents Every(byte* p, long n, long s, bool c64, bool min, byte* dst, DType ot)
    {
        bool nan = false, inf = false, has = false;
        Ext best = Ext.Zero;
        for (long i = 0; i < n; i++, p += s)
        {
            Ext z = c64 ? Ext.Hypot(Ext.FromDouble(C64.Re(p)), Ext.FromDouble(C64.Im(p)))
                        : Ext.Hypot(Ext.FromDouble(C128.Re(p)), Ext.FromDouble(C128.Im(p)));
            if (z.IsNaN) nan = true;
            else if (z.IsInf) inf = true;
            else Keep(z, min, ref best, ref has);
        }
        if (nan) return ResultWriter.Store(ot, dst, double.NaN, 0, 0);
        if (min ? !has : inf) return ResultWriter.Store(ot, dst, double.PositiveInfinity, 0, 0);
        return ResultWriter.Store(ot, dst, best);
    }
}
