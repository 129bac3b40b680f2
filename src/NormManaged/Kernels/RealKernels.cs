using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormManaged.Kernels;

/// <summary>Block kernels over real doubles (every non-extended real dtype is widened to double exactly).
/// Sums use a fixed logical structure of 16 double lanes (4 × Vector256; the scalar tail is one more lane)
/// folded in a fixed order, so the result depends only on the data and the block grid; Σ|x| of a block of at most
/// <see cref="ShortAbsLine"/> doubles is the one lane alone (<see cref="AbsLine{L}"/>).</summary>
internal static class RealKernels
{
    /// <summary>Whether the sum and power loops run their 16 lanes as two Vector512 instead of four Vector256. Lane j of
    /// Vector512 number q is lane j mod 4 of Vector256 number 2q + j / 4: the same elements meet the same IEEE operations
    /// in the same order, and the halves are folded exactly as the four 256-bit accumulators, so the bits do not depend
    /// on it. Internal and writable so that tests can compare both widths on one machine.</summary>
    internal static bool Wide = Avx512F.IsSupported;

    /// <summary>Order-independent facts about a block: exact, so any lane structure gives the same answer.</summary>
    public struct Stats
    {
        public double Max, Min;   // over |x| (NaNs excluded)
        public long NonZero;      // x != 0 (NaN counts)
        public bool NaN;
        public bool Any;
    }

    /// <summary>max |x|, min |x|, nonzero count and NaN presence of a block.</summary>
    public static void AddStats(ReadOnlySpan<double> x, ref Stats st)
    {
        if (x.IsEmpty) return;
        ref double r = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        double mx = st.Any ? st.Max : 0, mn = st.Any ? st.Min : double.PositiveInfinity;
        long nz = 0; bool nan = false;
        if (Wide && n >= 16)
        {
            // Same statistics with 8-wide vectors: max, min and the count are exact, so any lane structure gives
            // the same values (with a NaN present only the flag matters to every caller).
            var vmax = Vector512.Create(mx); var vmin = Vector512.Create(mn);
            var cnt = Vector512<long>.Zero; var bad = Vector512<double>.Zero;
            var zero = Vector512<double>.Zero;
            for (; i <= n - 8; i += 8)
            {
                var a = Vector512.LoadUnsafe(ref r, (nuint)i);
                bad |= ~Vector512.Equals(a, a);
                var aa = Vector512.Abs(a);
                vmax = Vector512.MaxNative(vmax, aa);
                vmin = Vector512.MinNative(vmin, aa);
                cnt -= (~Vector512.Equals(a, zero)).AsInt64();
            }
            for (int j = 0; j < 8; j++)
            {
                mx = Math.Max(mx, vmax.GetElement(j));
                mn = Math.Min(mn, vmin.GetElement(j));
                nz += cnt.GetElement(j);
            }
            nan = bad != Vector512<double>.Zero;
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var vmax = Vector256.Create(mx); var vmin = Vector256.Create(mn);
            var vmax2 = vmax; var vmin2 = vmin;
            var cnt = Vector256<long>.Zero; var bad = Vector256<double>.Zero;
            var zero = Vector256<double>.Zero;
            for (; i <= n - 8; i += 8)
            {
                var a = Vector256.LoadUnsafe(ref r, (nuint)i);
                var b = Vector256.LoadUnsafe(ref r, (nuint)i + 4);
                bad |= ~Vector256.Equals(a, a) | ~Vector256.Equals(b, b);
                var aa = Vector256.Abs(a); var ab = Vector256.Abs(b);
                vmax = Vector256.MaxNative(vmax, aa); vmax2 = Vector256.MaxNative(vmax2, ab);
                vmin = Vector256.MinNative(vmin, aa); vmin2 = Vector256.MinNative(vmin2, ab);
                cnt -= (~Vector256.Equals(a, zero)).AsInt64() + (~Vector256.Equals(b, zero)).AsInt64();
            }
            // MaxNative/MinNative may drop NaNs; NaN is tracked in 'bad'.
            for (int j = 0; j < 4; j++)
            {
                mx = Math.Max(mx, Math.Max(vmax.GetElement(j), vmax2.GetElement(j)));
                mn = Math.Min(mn, Math.Min(vmin.GetElement(j), vmin2.GetElement(j)));
                nz += cnt.GetElement(j);
            }
            nan = bad != Vector256<double>.Zero;
        }
        for (; i < n; i++)
        {
            double v = Unsafe.Add(ref r, i);
            if (double.IsNaN(v)) { nan = true; nz++; continue; }
            double a = Math.Abs(v);
            if (a > mx) mx = a;
            if (a < mn) mn = a;
            if (v != 0) nz++;
        }
        if (double.IsNaN(mx) || double.IsNaN(mn)) nan = true;
        st.Max = mx; st.Min = mn; st.NonZero += nz; st.NaN |= nan; st.Any = true;
    }

    /// <summary>Adds Σ|x| of a block (any finite or non-finite values) to <paramref name="acc"/>: a block of at most
    /// <see cref="ShortAbsLine"/> doubles by one TwoSum lane (<see cref="AbsLine{L}"/>); a longer one by one offset-lane
    /// pass (<see cref="OffsetPowSum"/>) when its guess holds, else error-free up to the double-double of each of 16
    /// lanes (TwoSum per element) and their fold.</summary>
    public static void AddAbsSum(ReadOnlySpan<double> x, ref ScaledSum acc)
    {
        if (x.IsEmpty) return;
        double hi, lo;
        if (x.Length > ShortAbsLine && OffsetPowSum.TryAdd<AbsTerm>(x, out hi, out lo)) { acc.Add(0, hi, lo); return; }
        SumAbs(x, 1.0, out hi, out lo);
        if (double.IsFinite(hi) && double.IsFinite(lo)) { acc.Add(0, hi, lo); return; }
        // NaN or infinity in the block, or the sum overflowed: classify, else redo scaled by 2^-600.
        bool nan = false, inf = false;
        foreach (double v in x) { if (double.IsNaN(v)) nan = true; else if (double.IsInfinity(v)) inf = true; }
        if (nan || inf) { acc.HasNaN |= nan; acc.HasInf |= inf; return; }
        SumAbs(x, Math.ScaleB(1.0, -600), out hi, out lo);
        acc.Add(600, hi, lo);
    }

    /// <summary>Blocks of at most this many doubles are summed as one line (<see cref="AbsLine{L}"/> on <see cref="Lane1"/>):
    /// the row kernels (<see cref="Engine.SmallRows"/>) run the same body with a line per vector lane, so a row and the
    /// same line alone agree by construction. Longer blocks take the offset lanes or 16 TwoSum lanes and their fold.</summary>
    internal const int ShortAbsLine = 64;

    private static unsafe void SumAbs(ReadOnlySpan<double> x, double scale, out double hi, out double lo)
    {
        fixed (double* p = x)
        {
            ref double r = ref *p;
            int n = x.Length, i = 0;
            hi = 0; lo = 0;
            if (Wide && n > ShortAbsLine)
            {
                var f = Vector512.Create(scale);
                Vector512<double> s0 = default, s1 = default, c0 = default, c1 = default;
                for (; i <= n - 16; i += 16)
                {
                    Prefetch.Ahead128(p + i);
                    TwoSumStep(ref s0, ref c0, Vector512.Abs(Vector512.LoadUnsafe(ref r, (nuint)i)) * f);
                    TwoSumStep(ref s1, ref c1, Vector512.Abs(Vector512.LoadUnsafe(ref r, (nuint)i + 8)) * f);
                }
                FoldLanes(s0, s1, c0, c1, ref hi, ref lo);
            }
            else if (Vector256.IsHardwareAccelerated && n > ShortAbsLine)
            {
                var f = Vector256.Create(scale);
                Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
                Vector256<double> c0 = default, c1 = default, c2 = default, c3 = default;
                for (; i <= n - 16; i += 16)
                {
                    Prefetch.Ahead128(p + i);
                    TwoSumStep(ref s0, ref c0, Vector256.Abs(Vector256.LoadUnsafe(ref r, (nuint)i)) * f);
                    TwoSumStep(ref s1, ref c1, Vector256.Abs(Vector256.LoadUnsafe(ref r, (nuint)i + 4)) * f);
                    TwoSumStep(ref s2, ref c2, Vector256.Abs(Vector256.LoadUnsafe(ref r, (nuint)i + 8)) * f);
                    TwoSumStep(ref s3, ref c3, Vector256.Abs(Vector256.LoadUnsafe(ref r, (nuint)i + 12)) * f);
                }
                FoldLanes(s0, s1, s2, s3, c0, c1, c2, c3, ref hi, ref lo);
            }
            if (i < n)
            {
                AbsLine(p + i, n - i, new Lane1(scale), out Lane1 s, out Lane1 c);
                DD.Add(ref hi, ref lo, s.V, c.V);
            }
        }
    }

    /// <summary>Σ|x|·f of lines side by side, one per lane of <typeparamref name="L"/> (element i of every lane's line at
    /// <paramref name="x"/> + i·Count): TwoSum from zero in index order, the errors summed plainly into c. On
    /// <see cref="Lane1"/> this is the sum of a short line (and the tail lane of a long one); the row kernels run it in
    /// vector lanes, which perform the same IEEE operations, so each lane has the bits of its line alone. s + c is within
    /// about n²·2⁻¹⁰⁶ of the exact sum (the only roundings are c's, each below 2⁻⁵³ of an error ≤ 2⁻⁵³ of the sum), far
    /// inside the 2⁻⁷² that the 1-norm's rounding claim needs, and exact whenever the errors fit one double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void AbsLine<L>(double* x, int n, L f, out L s, out L c) where L : struct, ILanes<L>
    {
        s = L.Zero; c = L.Zero;
        for (int i = 0; i < n; i++)
        {
            s = DDLanes.TwoSum(s, L.Abs(L.Load(x + (nint)i * L.Count)) * f, out L e);
            c += e;
        }
    }

    /// <summary>Adds Σx² of a block whose values came from a narrow type (float32, float16, complex64, integers:
    /// |x| ∈ {0} ∪ [2^-149, 2^64]), where no square can overflow or underflow in double: exact products by FMA and
    /// TwoSum lanes, no scaling and no max pass. NaN/∞ are classified from the (non-finite) sum.</summary>
    public static void AddNarrowSquares(ReadOnlySpan<double> x, ref ScaledSum acc)
    {
        if (x.IsEmpty) return;
        ref double r = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        double hi = 0, lo = 0;
        if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
            Vector256<double> c0 = default, c1 = default, c2 = default, c3 = default;
            for (; i <= n - 16; i += 16)
            {
                SqStep(ref s0, ref c0, Vector256.LoadUnsafe(ref r, (nuint)i));
                SqStep(ref s1, ref c1, Vector256.LoadUnsafe(ref r, (nuint)i + 4));
                SqStep(ref s2, ref c2, Vector256.LoadUnsafe(ref r, (nuint)i + 8));
                SqStep(ref s3, ref c3, Vector256.LoadUnsafe(ref r, (nuint)i + 12));
            }
            FoldLanes(s0, s1, s2, s3, c0, c1, c2, c3, ref hi, ref lo);
        }
        if (i < n)
        {
            double s = 0, c = 0;
            for (; i < n; i++)
            {
                double v = Unsafe.Add(ref r, i);
                double p = v * v, pe = Math.FusedMultiplyAdd(v, v, -p);
                s = DD.TwoSum(s, p, out double e);
                c += e + pe;
            }
            DD.Add(ref hi, ref lo, s, c);
        }
        if (double.IsFinite(hi) && double.IsFinite(lo)) { acc.Add(0, hi, lo); return; }
        foreach (double v in x) { if (double.IsNaN(v)) { acc.HasNaN = true; return; } if (double.IsInfinity(v)) acc.HasInf = true; }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SqStep(ref Vector256<double> s, ref Vector256<double> c, Vector256<double> v)
    {
        var p = v * v;
        var pe = Vector256.FusedMultiplyAdd(v, v, -p);
        var t = s + p;
        var bb = t - s;
        c += ((s - (t - bb)) + (p - bb)) + pe;
        s = t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TwoSumStep(ref Vector256<double> s, ref Vector256<double> c, Vector256<double> v)
    {
        var t = s + v;
        var bb = t - s;
        c += (s - (t - bb)) + (v - bb);
        s = t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TwoSumStep(ref Vector512<double> s, ref Vector512<double> c, Vector512<double> v)
    {
        var t = s + v;
        var bb = t - s;
        c += (s - (t - bb)) + (v - bb);
        s = t;
    }

    /// <summary><see cref="FoldLanes(Vector256{double}, Vector256{double}, Vector256{double}, Vector256{double}, Vector256{double}, Vector256{double}, Vector256{double}, Vector256{double}, ref double, ref double)"/>
    /// of the halves: the same 16 lanes in the same order.</summary>
    private static void FoldLanes(Vector512<double> s01, Vector512<double> s23, Vector512<double> c01, Vector512<double> c23, ref double hi, ref double lo)
        => FoldLanes(s01.GetLower(), s01.GetUpper(), s23.GetLower(), s23.GetUpper(),
                     c01.GetLower(), c01.GetUpper(), c23.GetLower(), c23.GetUpper(), ref hi, ref lo);

    /// <summary>Adds the 16 lane sums (and their compensations) in a fixed order as a double-double.</summary>
    private static void FoldLanes(Vector256<double> s0, Vector256<double> s1, Vector256<double> s2, Vector256<double> s3,
        Vector256<double> c0, Vector256<double> c1, Vector256<double> c2, Vector256<double> c3, ref double hi, ref double lo)
    {
        double csum = Vector256.Sum((c0 + c1) + (c2 + c3));
        for (int j = 0; j < 4; j++) DD.Add(ref hi, ref lo, s0.GetElement(j), 0);
        for (int j = 0; j < 4; j++) DD.Add(ref hi, ref lo, s1.GetElement(j), 0);
        for (int j = 0; j < 4; j++) DD.Add(ref hi, ref lo, s2.GetElement(j), 0);
        for (int j = 0; j < 4; j++) DD.Add(ref hi, ref lo, s3.GetElement(j), 0);
        DD.Add(ref hi, ref lo, csum, 0);
    }

    /// <summary>Adds Σ|x|^p (integer 2 ≤ p ≤ 64) of a block to <paramref name="acc"/>: for p = 3 and 4 one offset-lane
    /// pass (<see cref="OffsetPowSum"/>) when its guess holds; otherwise the block is scaled by an exact power of two
    /// below its maximum (found by a statistics pass), powers are double-double (error ≲ 2⁻¹⁰⁰ each) and summed with TwoSum lanes.</summary>
    public static void AddIntPowSum(ReadOnlySpan<double> x, int p, ref ScaledSum acc)
    {
        if (x.IsEmpty) return;
        double fh = 0, fl = 0;
        bool fast = p switch
        {
            3 => OffsetPowSum.TryAdd<CubeTerm>(x, out fh, out fl),
            4 => OffsetPowSum.TryAdd<FourthTerm>(x, out fh, out fl),
            _ => false,
        };
        if (fast) { acc.Add(0, fh, fl); return; }
        var st = new Stats();
        AddStats(x, ref st);
        if (st.NaN) { acc.HasNaN = true; return; }
        if (double.IsInfinity(st.Max)) { acc.HasInf = true; return; }
        if (st.Max == 0) return;
        int eb = Math.ILogB(st.Max) + 1;
        int a = -eb / 2, b = -eb - a;
        double f1 = Math.ScaleB(1.0, a), f2 = Math.ScaleB(1.0, b);
        ref double r = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        double hi = 0, lo = 0;
        if (Wide && n >= 16)
        {
            var v1 = Vector512.Create(f1); var v2 = Vector512.Create(f2);
            Vector512<double> s0 = default, s1 = default, c0 = default, c1 = default;
            for (; i <= n - 16; i += 16)
            {
                PowStep(ref s0, ref c0, Vector512.Abs(Vector512.LoadUnsafe(ref r, (nuint)i)) * v1 * v2, p);
                PowStep(ref s1, ref c1, Vector512.Abs(Vector512.LoadUnsafe(ref r, (nuint)i + 8)) * v1 * v2, p);
            }
            FoldLanes(s0, s1, c0, c1, ref hi, ref lo);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            var v1 = Vector256.Create(f1); var v2 = Vector256.Create(f2);
            Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
            Vector256<double> c0 = default, c1 = default, c2 = default, c3 = default;
            for (; i <= n - 16; i += 16)
            {
                PowStep(ref s0, ref c0, Vector256.Abs(Vector256.LoadUnsafe(ref r, (nuint)i)) * v1 * v2, p);
                PowStep(ref s1, ref c1, Vector256.Abs(Vector256.LoadUnsafe(ref r, (nuint)i + 4)) * v1 * v2, p);
                PowStep(ref s2, ref c2, Vector256.Abs(Vector256.LoadUnsafe(ref r, (nuint)i + 8)) * v1 * v2, p);
                PowStep(ref s3, ref c3, Vector256.Abs(Vector256.LoadUnsafe(ref r, (nuint)i + 12)) * v1 * v2, p);
            }
            FoldLanes(s0, s1, s2, s3, c0, c1, c2, c3, ref hi, ref lo);
        }
        if (i < n)
        {
            double s = 0, c = 0;
            for (; i < n; i++)
            {
                double y = Math.Abs(Unsafe.Add(ref r, i)) * f1 * f2;
                double th = PowScalar(y, p, out double tl);
                s = DD.TwoSum(s, th, out double e);
                c += e + tl;
            }
            DD.Add(ref hi, ref lo, s, c);
        }
        acc.Add(eb * p, hi, lo);
    }

    /// <summary>y^p as a double-double by binary powering (same operation sequence as the vector lanes).</summary>
    private static double PowScalar(double y, int p, out double lo)
    {
        double rh = 0, rl = 0; bool have = false;
        double bh = y, bl = 0;
        while (true)
        {
            if ((p & 1) != 0)
            {
                if (!have) { rh = bh; rl = bl; have = true; }
                else rh = DD.Mul(rh, rl, bh, bl, out rl);
            }
            p >>= 1;
            if (p == 0) break;
            bh = DD.Mul(bh, bl, bh, bl, out bl);
        }
        lo = rl;
        return rh;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PowStep(ref Vector256<double> s, ref Vector256<double> c, Vector256<double> y, int p)
    {
        PowV(y, p, out var rh, out var rl);
        var t = s + rh;
        var bb = t - s;
        c += ((s - (t - bb)) + (rh - bb)) + rl;
        s = t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PowStep(ref Vector512<double> s, ref Vector512<double> c, Vector512<double> y, int p)
    {
        PowV(y, p, out var rh, out var rl);
        var t = s + rh;
        var bb = t - s;
        c += ((s - (t - bb)) + (rh - bb)) + rl;
        s = t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> MulV(Vector512<double> ah, Vector512<double> al, Vector512<double> bh, Vector512<double> bl, out Vector512<double> lo)
    {
        var p = ah * bh;
        var e = Vector512.FusedMultiplyAdd(ah, bh, -p);
        e = Vector512.FusedMultiplyAdd(ah, bl, Vector512.FusedMultiplyAdd(al, bh, e));
        var s = p + e;
        lo = e - (s - p);
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PowV(Vector512<double> y, int p, out Vector512<double> rh, out Vector512<double> rl)
    {
        rh = default; rl = default; bool have = false;
        var bh = y; var bl = Vector512<double>.Zero;
        while (true)
        {
            if ((p & 1) != 0)
            {
                if (!have) { rh = bh; rl = bl; have = true; }
                else rh = MulV(rh, rl, bh, bl, out rl);
            }
            p >>= 1;
            if (p == 0) break;
            bh = MulV(bh, bl, bh, bl, out bl);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccStep(ref Vector512<double> s, ref Vector512<double> c, Vector512<double> th, Vector512<double> tl)
    {
        var t = s + th;
        var bb = t - s;
        c += ((s - (t - bb)) + (th - bb)) + tl;
        s = t;
    }

    /// <summary><see cref="RecipV(Vector256{double}, Vector256{double}, out Vector256{double})"/> lane for lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> RecipV(Vector512<double> h, Vector512<double> l, out Vector512<double> lo)
    {
        var bad = ~Vector512.Equals(h - h, Vector512<double>.Zero);
        var q = Vector512<double>.One / h;
        var e = Vector512.FusedMultiplyAdd(-q, h, Vector512<double>.One) - q * l;
        lo = Vector512.ConditionalSelect(bad | Vector512.Equals(q, Vector512<double>.Zero), Vector512<double>.Zero, e * q);
        return Vector512.ConditionalSelect(bad, Vector512<double>.Zero, q);
    }

    /// <summary>One 8-lane step of the half-integer loop of <see cref="AddRealPowSum"/>: |x|^k·√|x| (or |x|^k) as a
    /// double-double, reciprocal for p &lt; 0, exactly the operations of the 256-bit loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void HalfTerm(Vector512<double> y, int k, bool frac, bool neg, out Vector512<double> th, out Vector512<double> tl)
    {
        if (frac)
        {
            var sq = Vector512.Sqrt(y);
            var corr = Vector512.FusedMultiplyAdd(-sq, sq, y) * HalfRecip(sq);
            corr = Vector512.ConditionalSelect(Vector512.Equals(y, Vector512<double>.Zero) | Vector512.Equals(y, Vector512.Create(double.PositiveInfinity)), Vector512<double>.Zero, corr);
            th = sq; tl = corr;
            if (k > 0)
            {
                PowV(y, k, out var ph, out var pl);
                th = MulV(ph, pl, sq, corr, out tl);
            }
        }
        else PowV(y, k, out th, out tl);
        if (neg) th = RecipV(th, tl, out tl);
    }

    // 1/(2·sq) for the half-integer correction term corr = (y − sq²)/(2·sq) without a division (the divider is
    // shared with the square root and was the bottleneck of p = 0.5): a bit-pattern first guess of 1/sq
    // (relative error < 2^-3) and four Newton steps r ← r + r·(1 − sq·r), each squaring the error, give 1/sq to
    // ≈ 2^-48, so corr is off by ≈ 2^-48 of itself, i.e. 2^-101 of the term (was 2^-106). Only IEEE +, ×, FMA and an
    // integer subtract: the same bits in every lane width and in the scalar tail. sq = 0 or ∞ (y = 0 or ∞) gives
    // garbage that the callers discard.
    private const long RecipMagic = 0x7FDE_6238_22FC_16E6;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> HalfRecip(Vector512<double> sq)
    {
        var one = Vector512<double>.One;
        var r = (Vector512.Create(RecipMagic) - sq.AsInt64()).AsDouble();
        for (int it = 0; it < 4; it++) r = Vector512.FusedMultiplyAdd(r, Vector512.FusedMultiplyAdd(-sq, r, one), r);
        return r * Vector512.Create(0.5);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> HalfRecip(Vector256<double> sq)
    {
        var one = Vector256<double>.One;
        var r = (Vector256.Create(RecipMagic) - sq.AsInt64()).AsDouble();
        for (int it = 0; it < 4; it++) r = Vector256.FusedMultiplyAdd(r, Vector256.FusedMultiplyAdd(-sq, r, one), r);
        return r * Vector256.Create(0.5);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double HalfRecip(double sq)
    {
        double r = BitConverter.Int64BitsToDouble(RecipMagic - BitConverter.DoubleToInt64Bits(sq));
        for (int it = 0; it < 4; it++) r = Math.FusedMultiplyAdd(r, Math.FusedMultiplyAdd(-sq, r, 1.0), r);
        return r * 0.5;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> MulV(Vector256<double> ah, Vector256<double> al, Vector256<double> bh, Vector256<double> bl, out Vector256<double> lo)
    {
        var p = ah * bh;
        var e = Vector256.FusedMultiplyAdd(ah, bh, -p);
        e = Vector256.FusedMultiplyAdd(ah, bl, Vector256.FusedMultiplyAdd(al, bh, e));
        var s = p + e;
        lo = e - (s - p);
        return s;
    }

    /// <summary>A sum of (|x|/Mᵦ)^p terms whose blocks have different reference magnitudes Mᵦ: value =
    /// (Hi + Lo)·Ref^p. Blocks are aligned to the largest reference by a double-double exp(p·ln(Mᵦ/Ref)).</summary>
    public struct PowAcc
    {
        public double Hi, Lo;
        public Ext Ref;
        public bool Any, HasNaN, HasInf, HasZero;

        /// <summary>Adds (h + l)·r^p. The kept reference is the largest for p &gt; 0 and the smallest for p &lt; 0,
        /// so every alignment factor is ≤ 1.</summary>
        public void Add(Ext r, double h, double l, double p)
        {
            if (h == 0 && l == 0) return;
            if (!Any) { Hi = h; Lo = l; Ref = r; Any = true; return; }
            int c = Ext.Compare(r, Ref);
            if (p < 0) c = -c;
            if (c > 0)
            {
                double fh = Ratio(Ref, r, p, out double fl);
                Hi = DD.Mul(Hi, Lo, fh, fl, out Lo);
                Ref = r;
            }
            else if (c < 0)
            {
                double fh = Ratio(r, Ref, p, out double fl);
                h = DD.Mul(h, l, fh, fl, out l);
            }
            DD.Add(ref Hi, ref Lo, h, l);
        }

        /// <summary>(a/b)^p (≤ 1 as called), as a double-double.</summary>
        private static double Ratio(in Ext a, in Ext b, double p, out double lo)
        {
            double ah = DD.Log(a.H, a.L, a.E, out double al);
            double bh = DD.Log(b.H, b.L, b.E, out double bl);
            DD.Add(ref ah, ref al, -bh, -bl);
            double xh = DD.Mul(ah, al, p, 0, out double xl);
            double h = DD.Exp(xh, xl, out double l, out int k);
            lo = Math.ScaleB(l, k);
            return Math.ScaleB(h, k);
        }
    }

    /// <summary>True when <see cref="AddRealPowSum"/> handles order <paramref name="p"/>: half-integers in (0, 64]
    /// (double-double sqrt and powers) and other p in (1, 1000] (vector log/exp; the root divides their error by p).</summary>
    public static bool HandlesRealP(double p)
    {
        double a = Math.Abs(p);
        return p != 0 && ((a <= 64.5 && 2 * a == Math.Floor(2 * a)) || (a > 1 && a <= 1000));
    }

    /// <summary>Adds Σ|x|^p of a block for a p accepted by <see cref="HandlesRealP"/>: for p = 0.5, 1.5, 2.5 one
    /// offset-lane pass (<see cref="OffsetPowSum"/>) when its guess holds, else a statistics pass and a scaled pass.</summary>
    public static void AddRealPowSum(ReadOnlySpan<double> x, double p, ref PowAcc acc)
    {
        if (x.IsEmpty) return;
        double fh = 0, fl = 0;
        bool fast = p switch
        {
            0.5 => OffsetPowSum.TryAdd<SqrtTerm>(x, out fh, out fl),
            1.5 => OffsetPowSum.TryAdd<OneHalfTerm>(x, out fh, out fl),
            2.5 => OffsetPowSum.TryAdd<TwoHalfTerm>(x, out fh, out fl),
            _ => false,
        };
        if (fast) { acc.Add(new Ext(1, 0, 0), fh, fl, p); return; }
        var st = new Stats();
        AddStats(x, ref st);
        bool neg = p < 0;
        if (st.NaN)
        {
            // NaN wins the value, but a zero met by a negative order still divides by zero (numpy warns)
            acc.HasNaN = true;
            if (neg && st.NonZero < x.Length) acc.HasZero = true;
            return;
        }
        if (neg)
        {
            // reference = the smallest magnitude; a zero makes the norm 0, infinities contribute 0
            if (st.NonZero < x.Length) { acc.HasZero = true; return; }
            if (double.IsInfinity(st.Min)) return;
        }
        else
        {
            if (double.IsInfinity(st.Max)) { acc.HasInf = true; return; }
            if (st.Max == 0) return;
        }
        double ap = Math.Abs(p);
        bool half = ap <= 64.5 && 2 * ap == Math.Floor(2 * ap);
        // Half-integers scale by an exact power of two; log/exp divides by the block maximum so that
        // the largest terms are exactly 1 (a lone element comes back exactly).
        double refMag = neg ? st.Min : st.Max;
        int eb = neg ? Math.ILogB(refMag) : Math.ILogB(refMag) + 1; // y = |x|·2^-eb: < 1 for p > 0, ≥ 1 for p < 0
        int a = -eb / 2, b = -eb - a;
        double f1 = Math.ScaleB(1.0, a), f2 = Math.ScaleB(1.0, b);
        double inv = 1.0;
        Ext reference = new(1, 0, eb);
        if (!half)
        {
            f1 = 1.0; f2 = 1.0;
            inv = refMag; // divisor: the reference term is exactly 1
            reference = Ext.FromDouble(refMag);
        }
        ref double r = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        double hi = 0, lo = 0;
        int k = (int)Math.Floor(ap); // half-integer: y^k · √y (then the reciprocal for p < 0)
        bool frac = ap != k;
        if (half && Wide && n >= 16)
        {
            var v1 = Vector512.Create(f1); var v2 = Vector512.Create(f2);
            Vector512<double> s0 = default, s1 = default, c0 = default, c1 = default;
            for (; i <= n - 16; i += 16)
            {
                HalfTerm(Vector512.Abs(Vector512.LoadUnsafe(ref r, (nuint)i)) * v1 * v2, k, frac, neg, out var th0, out var tl0);
                AccStep(ref s0, ref c0, th0, tl0);
                HalfTerm(Vector512.Abs(Vector512.LoadUnsafe(ref r, (nuint)i + 8)) * v1 * v2, k, frac, neg, out var th1, out var tl1);
                AccStep(ref s1, ref c1, th1, tl1);
            }
            FoldLanes(s0, s1, c0, c1, ref hi, ref lo);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            var v1 = Vector256.Create(f1); var v2 = Vector256.Create(f2); var vp = Vector256.Create(p); var vm = Vector256.Create(inv); var vinf = Vector256.Create(double.PositiveInfinity);
            Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
            Vector256<double> c0 = default, c1 = default, c2 = default, c3 = default;
            for (; i <= n - 16; i += 16)
            {
                for (int q = 0; q < 4; q++)
                {
                    var y = half ? Vector256.Abs(Vector256.LoadUnsafe(ref r, (nuint)(i + 4 * q))) * v1 * v2
                                 : Vector256.Abs(Vector256.LoadUnsafe(ref r, (nuint)(i + 4 * q))) / vm;
                    Vector256<double> th, tl;
                    if (half)
                    {
                        if (frac)
                        {
                            var sq = Vector256.Sqrt(y);
                            var corr = Vector256.FusedMultiplyAdd(-sq, sq, y) * HalfRecip(sq);
                            corr = Vector256.ConditionalSelect(Vector256.Equals(y, Vector256<double>.Zero) | Vector256.Equals(y, vinf), Vector256<double>.Zero, corr);
                            th = sq; tl = corr;
                            if (k > 0)
                            {
                                PowV(y, k, out var ph, out var pl);
                                th = MulV(ph, pl, sq, corr, out tl);
                            }
                        }
                        else PowV(y, k, out th, out tl);
                        if (neg) th = RecipV(th, tl, out tl);
                    }
                    else
                    {
                        th = Vector256.Exp(vp * Vector256.Log(y));
                        th = Vector256.ConditionalSelect(Vector256.Equals(y, Vector256<double>.Zero), Vector256<double>.Zero, th);
                        tl = Vector256<double>.Zero;
                    }
                    switch (q)
                    {
                        case 0: AccStep(ref s0, ref c0, th, tl); break;
                        case 1: AccStep(ref s1, ref c1, th, tl); break;
                        case 2: AccStep(ref s2, ref c2, th, tl); break;
                        default: AccStep(ref s3, ref c3, th, tl); break;
                    }
                }
            }
            FoldLanes(s0, s1, s2, s3, c0, c1, c2, c3, ref hi, ref lo);
        }
        if (i < n)
        {
            double s = 0, c = 0;
            for (; i < n; i++)
            {
                double y = half ? Math.Abs(Unsafe.Add(ref r, i)) * f1 * f2 : Math.Abs(Unsafe.Add(ref r, i)) / inv;
                double th, tl;
                if (half)
                {
                    if (frac)
                    {
                        double sq = Math.Sqrt(y);
                        double corr = y == 0 || double.IsInfinity(y) ? 0 : Math.FusedMultiplyAdd(-sq, sq, y) * HalfRecip(sq);
                        th = sq; tl = corr;
                        if (k > 0)
                        {
                            double ph = PowScalar(y, k, out double pl);
                            th = DD.Mul(ph, pl, sq, corr, out tl);
                        }
                    }
                    else th = PowScalar(y, k, out tl);
                    if (neg) th = RecipS(th, tl, out tl);
                }
                else
                {
                    th = y == 0 ? 0 : Vector256.Exp(Vector256.Create(p) * Vector256.Log(Vector256.Create(y))).GetElement(0);
                    tl = 0;
                }
                s = DD.TwoSum(s, th, out double e);
                c += e + tl;
            }
            DD.Add(ref hi, ref lo, s, c);
        }
        acc.Add(reference, hi, lo, p);
    }

    /// <summary>1/(h + l) as a double-double (0 when h is ∞ or NaN: an overflowed power).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> RecipV(Vector256<double> h, Vector256<double> l, out Vector256<double> lo)
    {
        // h = ∞ or NaN means y^k overflowed (the term is below 2^-1024 of the reference term): 0.
        var bad = ~Vector256.Equals(h - h, Vector256<double>.Zero);
        var q = Vector256<double>.One / h;
        var e = Vector256.FusedMultiplyAdd(-q, h, Vector256<double>.One) - q * l;
        lo = Vector256.ConditionalSelect(bad | Vector256.Equals(q, Vector256<double>.Zero), Vector256<double>.Zero, e * q);
        return Vector256.ConditionalSelect(bad, Vector256<double>.Zero, q);
    }

    private static double RecipS(double h, double l, out double lo)
    {
        if (!double.IsFinite(h)) { lo = 0; return 0; }
        double q = 1.0 / h;
        double e = Math.FusedMultiplyAdd(-q, h, 1.0) - q * l;
        lo = q == 0 ? 0 : e * q;
        return q;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccStep(ref Vector256<double> s, ref Vector256<double> c, Vector256<double> th, Vector256<double> tl)
    {
        var t = s + th;
        var bb = t - s;
        c += ((s - (t - bb)) + (th - bb)) + tl;
        s = t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PowV(Vector256<double> y, int p, out Vector256<double> rh, out Vector256<double> rl)
    {
        rh = default; rl = default; bool have = false;
        var bh = y; var bl = Vector256<double>.Zero;
        while (true)
        {
            if ((p & 1) != 0)
            {
                if (!have) { rh = bh; rl = bl; have = true; }
                else rh = MulV(rh, rl, bh, bl, out rl);
            }
            p >>= 1;
            if (p == 0) break;
            bh = MulV(bh, bl, bh, bl, out bl);
        }
    }
}
