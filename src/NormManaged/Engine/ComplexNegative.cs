using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Complex (complex64/complex128) vector orders 0, −∞, −1 and −2 without building an extended
/// magnitude for every element, with the semantics of <see cref="GeneralNorm"/>.
///
/// Order 0 counts the elements with re ≠ 0 or im ≠ 0 (NaN counts), exactly.
/// Order −∞: s = re² + im² in double is within 2.01u of |z|² whenever s ∈ [2^-1000, 2^1000] (each square is
/// rounded once, an underflowed square loses less than 2^-1074), so an element whose s exceeds the running
/// winner's by more than the factor 1 + 2^-48 has a strictly larger |z| and is skipped; every other element
/// (and every element with s out of that range, NaN or inf) gets the same extended magnitude
/// (<see cref="Ext.Hypot"/>) GeneralNorm builds and is compared exactly. The winner is therefore the same
/// exact minimum GeneralNorm finds, and the stored value the same bits.
/// Orders −1, −2: when every element is in the fast range, one pass with no scaling; otherwise the minimum m from the −∞ scan fixes the scale 2^k, k = |p|·exponent(m), so every term
/// |z|^p·2^-k ≤ 1; the terms are double-double (1/|z|² from the exact squares, 1/|z| through a double-double
/// square root), summed in double-double, and the result is one double-double root, rounded once (a complex64 result
/// next to a float32 midpoint decided from the line: <see cref="GeneralNorm.StoreDecided"/>).
/// Serial per kept position: the bits do not depend on threads, alignment or SIMD width.</summary>
internal static unsafe class ComplexNegative
{
    private const int Block = 256;
    private static readonly double Lo = Math.ScaleB(1.0, -1000), Hi = Math.ScaleB(1.0, 1000), Slack = 1 + Math.ScaleB(1.0, -48);

    /// <summary>Test knob: false forces the scalar bodies (the results must not change).</summary>
    internal static bool UseVector = true;

    /// <summary>True for the complex dtypes and orders this class computes.</summary>
    public static bool Applies(DType t, double p)
        => t is DType.Complex64 or DType.Complex128 && (p == 0 || p == -1 || p == -2 || double.IsNegativeInfinity(p));

    /// <summary>Computes the order-<paramref name="p"/> norm at every kept position of <paramref name="plan"/>: the kept
    /// positions spread over threads in fixed ranges when there is enough work (each output is its line's alone, so the
    /// same bits; a long line is also split within <see cref="SumTerms"/>, inline when the workers are taken). Orders −1
    /// and −2 cost a square root and a division, or a division, a value (<see cref="Parallelism.CostlyElements"/>); the
    /// count and the minimum scan take the general threshold. On one thread, complex128 (600, 800) rows at ord −1 ran
    /// at ~1.0× NumPy.</summary>
    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot)
    {
        long outer = plan.OuterCount;
        int threads = Parallelism.MaxThreads;
        long work = p == -1 || p == -2 ? Parallelism.CostlyElements : BlockDriver.ParallelThreshold;
        if (threads > 1 && outer >= 2 && outer * plan.InnerCount >= work)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(outer, threads, (first, count) => Range(plan, (byte*)xb, t, p, (byte*)ob, ot, first, count));
        }
        return Range(plan, x, t, p, o, ot, 0, outer);
    }

    private static FpEvents Range(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot, long first, long count)
    {
        var ev = FpEvents.None;
        var it = new OuterIterator(plan, x, o, first, count);
        while (it.Next(out byte* xp, out byte* op))
            ev |= Reduce(plan, xp, t, p, ot, op);
        return ev;
    }

    private struct MinStats
    {
        public long Count;
        public bool NaN, Inf, Zero, HaveFinite;
        public Ext Min;     // smallest finite nonzero |z|
        public double SMin; // an upper-bound-safe screen value for Min²
    }

    /// <summary>The one-pass sum of <see cref="Reduce"/> for order −1 or −2 (its first branch): true with the line's
    /// Σ|z|^p = h + l (h &gt; 0) when every element is in the fast range, the norm then being
    /// <c>GeneralNorm.Root(h, l, 0, p, 1)</c> stored once — what <see cref="Reduce"/> stores for the line alone.</summary>
    internal static bool TryCleanSum(ReductionPlan plan, byte* xp, DType t, double p, out double h, out double l)
    {
        l = 0; h = 0;
        if (plan.InnerCount == 0 || !(p == -1 || plan.InnerCount <= 1 << 20)) return false;
        h = SumTerms(plan, xp, t, (int)-p, 0, true, out l, out bool clean);
        return clean;
    }

    /// <summary>The norm of one line (order 0, −∞, −1 or −2) as this class computes it alone; <paramref name="tried"/>:
    /// the caller found <see cref="TryCleanSum"/> false for it (the same decision, so it is not tried again).</summary>
    internal static FpEvents ReduceLine(ReductionPlan plan, byte* xp, DType t, double p, DType ot, byte* op, bool tried)
        => Reduce(plan, xp, t, p, ot, op, tried);

    private static FpEvents Reduce(ReductionPlan plan, byte* xp, DType t, double p, DType ot, byte* op, bool tried = false)
    {
        if (p == 0) return ResultWriter.Store(ot, op, CountNonZero(plan, xp, t), 0, 0);
        if (!tried && !double.IsNegativeInfinity(p) && plan.InnerCount > 0 && (p == -1 || plan.InnerCount <= 1 << 20))
        {
            // One pass when every s = re² + im² lies in [2^-1000, 2^1000] (no NaN, inf, zero or extreme part):
            // then every term is in [2^-1000, 2^1000] unscaled (1/|z| in [2^-500, 2^500]) and the sum of at most
            // 2^20 of them (any number for p = −1) cannot overflow, so k = 0. Otherwise the two passes below.
            double h = SumTerms(plan, xp, t, (int)-p, 0, true, out double l, out bool clean);
            if (clean) return GeneralNorm.StoreDecided(plan, xp, t, p, ot, op, GeneralNorm.Root(h, l, 0, p, new Ext(1, 0, 0)));
        }
        // not clean: a zero makes the norm 0 (NaN with a NaN magnitude) with divide-by-zero, as below, from one scan
        // instead of the exact minimum scan (Ext magnitudes)
        if (p < 0 && !double.IsNegativeInfinity(p) && plan.InnerShape.Length == 1
            && NegativeZeros.TryStore(xp + plan.InnerBaseOffset, t, plan.InnerCount, plan.InnerStrides[0], op, ot, p, out var zev))
            return zev;
        var st = ScanMin(plan, xp, t);
        if (double.IsNegativeInfinity(p))
        {
            if (st.NaN) return ResultWriter.Store(ot, op, double.NaN, 0, 0);
            if (st.Zero) return ResultWriter.Store(ot, op, 0, 0, 0);
            return ResultWriter.Store(ot, op, st.HaveFinite ? st.Min : Ext.Inf);
        }
        if (st.Count == 0) return ResultWriter.Store(ot, op, double.PositiveInfinity, 0, 0) | FpEvents.ScalarPower;
        var ev = st.Zero ? FpEvents.DivideByZero : FpEvents.None;
        if (st.NaN) return ev | ResultWriter.Store(ot, op, double.NaN, 0, 0);
        if (st.Zero) return ev | ResultWriter.Store(ot, op, 0, 0, 0);
        if (!st.HaveFinite) return ResultWriter.Store(ot, op, double.PositiveInfinity, 0, 0) | FpEvents.ScalarPower;
        int ip = (int)-p;
        int k = -ip * st.Min.E; // largest term·2^-k ∈ (2^-ip, 1]
        double sh = SumTerms(plan, xp, t, ip, k, false, out double sl, out _);
        return GeneralNorm.StoreDecided(plan, xp, t, p, ot, op, GeneralNorm.Root(sh, sl, k, p, new Ext(1, 0, 0)));
    }

    private static long CountNonZero(ReductionPlan plan, byte* xp, DType t)
    {
        double* buf = stackalloc double[2 * Block];
        var w = new InnerWalker(plan, xp);
        long c = 0;
        while (w.Next(Block, out byte* p, out int n, out long stride))
        {
            Gather.Run(t, p, stride, n, buf);
            int i = 0;
            if (UseVector && Avx.IsSupported)
            {
                // movemask bit 2j / 2j+1: re / im of element j is nonzero (NaN ≠ 0 is true)
                for (; i + 2 <= n; i += 2)
                {
                    uint m = (uint)Avx.MoveMask(Avx.CompareNotEqual(Avx.LoadVector256(buf + 2 * i), Vector256<double>.Zero));
                    c += BitOperations.PopCount((m | (m >> 1)) & 0b0101);
                }
            }
            for (; i < n; i++)
                c += (buf[2 * i] != 0) | (buf[2 * i + 1] != 0) ? 1 : 0;
        }
        return c;
    }

    private static MinStats ScanMin(ReductionPlan plan, byte* xp, DType t)
    {
        double* buf = stackalloc double[2 * Block];
        var w = new InnerWalker(plan, xp);
        var st = new MinStats { SMin = double.PositiveInfinity };
        double screen = double.PositiveInfinity; // skip s when s > screen
        while (w.Next(Block, out byte* p, out int n, out long stride))
        {
            Gather.Run(t, p, stride, n, buf);
            st.Count += n;
            for (int i = 0; i < n; i++)
            {
                if (UseVector && Avx.IsSupported && (i & 3) == 0 && i + 4 <= n && AllAbove(buf + 2 * i, screen))
                {
                    i += 3; // all four skipped: same decision as the scalar screen below, lane by lane
                    continue;
                }
                double re = buf[2 * i], im = buf[2 * i + 1];
                double s = re * re + im * im;
                bool inRange = s >= Lo && s <= Hi;
                if (inRange && s > screen) continue;
                Ext a = Ext.Hypot(Ext.FromDouble(re), Ext.FromDouble(im));
                if (a.IsZero) { st.Zero = true; continue; }
                if (a.IsNaN) { st.NaN = true; continue; }
                if (a.IsInf) { st.Inf = true; continue; }
                if (st.HaveFinite && Ext.Compare(a, st.Min) >= 0) continue;
                st.Min = a; st.HaveFinite = true;
                // Screen value: s itself when in range (within 2.01u of |z|²), else |z|² from the extended value
                // (only matters when it is in range; an out-of-range winner near 2^±1000 is still accurate there).
                double m2 = inRange ? s : Math.ScaleB((a.H + a.L) * (a.H + a.L), 2 * a.E);
                screen = m2 * Slack;
            }
        }
        return st;
    }

    /// <summary>True when each of the four complex values at <paramref name="q"/> has s = re·re + im·im (the
    /// scalar screen's value, bit for bit: one rounded product each, one rounded sum) in [Lo, Hi] and above
    /// <paramref name="screen"/>. NaN fails every comparison, so it is never skipped.</summary>
    private static bool AllAbove(double* q, double screen)
    {
        Vector256<double> a = Avx.LoadVector256(q), b = Avx.LoadVector256(q + 4);
        Vector256<double> s = Avx.HorizontalAdd(Avx.Multiply(a, a), Avx.Multiply(b, b));
        Vector256<double> ok = Avx.And(Avx.And(Avx.CompareGreaterThan(s, Vector256.Create(screen)),
                                               Avx.CompareLessThanOrEqual(s, Vector256.Create(Hi))),
                                       Avx.CompareGreaterThanOrEqual(s, Vector256.Create(Lo)));
        return Avx.MoveMask(ok) == 0xF;
    }

    /// <summary>Values per segment of a line's sum: a longer line's sum is the double-double sum, in order, of its
    /// segments' sums (each from fresh lanes), so segments can go to different threads with the bits of one thread.</summary>
    private const int Segment = 16 * Block;

    /// <summary>Values from which a one-axis line's segments are split over threads: a value costs ~1.5 ns (a square
    /// root and a division, or a division), so two segments are ~12 µs of work against a 1–2 µs hand-off.</summary>
    private const long ParallelValues = 2 * Segment;

    /// <summary>Σ |z|^-ip · 2^-k over the finite nonzero elements, as a double-double: the segments' sums
    /// (<see cref="SegmentSum"/>) added in order, on up to <see cref="Parallelism.MaxThreads"/> threads for a long
    /// one-axis line; a line of one segment is that segment's sum. <paramref name="clean"/>: false when
    /// <paramref name="onlyFast"/> and some element is out of the fast range (the sum is then meaningless).</summary>
    private static double SumTerms(ReductionPlan plan, byte* xp, DType t, int ip, int k, bool onlyFast, out double lo, out bool clean)
    {
        long total = plan.InnerCount;
        int threads = Parallelism.MaxThreads;
        double h, l;
        if (threads > 1 && plan.InnerShape.Length == 1 && total >= ParallelValues)
        {
            int segs = (int)((total + Segment - 1) / Segment);
            var parts = new double[2 * segs];
            int unclean = 0;
            nint start = (nint)(xp + plan.InnerBaseOffset);
            long stride = plan.InnerStrides[0];
            Parallelism.For(segs, threads, q =>
            {
                long first = (long)q * Segment;
                var w1 = new InnerWalker(ReductionPlan.Run(Math.Min(Segment, total - first), stride), (byte*)start + first * stride);
                parts[2 * q] = SegmentSum(ref w1, t, ip, k, onlyFast, out parts[2 * q + 1], out bool ok, out _);
                if (!ok) Volatile.Write(ref unclean, 1);
            });
            clean = unclean == 0;
            if (!clean) { lo = 0; return 0; }
            h = parts[0]; l = parts[1];
            for (int q = 1; q < segs; q++) DD.Add(ref h, ref l, parts[2 * q], parts[2 * q + 1]);
            return DD.FastTwoSum(h, l, out lo);
        }
        var w = new InnerWalker(plan, xp);
        h = SegmentSum(ref w, t, ip, k, onlyFast, out l, out clean, out long used);
        while (clean && used == Segment)
        {
            double sh = SegmentSum(ref w, t, ip, k, onlyFast, out double sl, out clean, out used);
            if (used > 0) DD.Add(ref h, ref l, sh, sl);
        }
        if (!clean) { lo = 0; return 0; }
        return DD.FastTwoSum(h, l, out lo);
    }

    /// <summary>The sum over the next (at most) <see cref="Segment"/> values of <paramref name="w"/>, as a
    /// double-double h + lo (not renormalised). Four lane accumulators:
    /// element j of each aligned group of four within a run goes to lane <see cref="LaneOf"/>(j), the vector body
    /// (AVX2 + FMA) and the scalar body do the same operations in the same order per lane, and the lanes are
    /// combined in a fixed order, so the bits do not depend on which body ran.</summary>
    private static double SegmentSum(ref InnerWalker w, DType t, int ip, int k, bool onlyFast, out double lo, out bool clean, out long used)
    {
        used = 0;
        clean = true;
        double* buf = stackalloc double[2 * Block];
        double* acc = stackalloc double[8]; // lane hi at [0..3], lane lo at [4..7]
        for (int j = 0; j < 8; j++) acc[j] = 0;
        // 2^-k as two exact powers of two (|k| ≤ 2·1074); a term that underflows is below 2^-1022 of the largest
        double f1 = Math.ScaleB(1.0, -k / 2), f2 = Math.ScaleB(1.0, -k - (-k / 2));
        bool vec = UseVector && Avx2.IsSupported && Fma.IsSupported;
        while (used < Segment && w.Next((int)Math.Min(Block, Segment - used), out byte* p, out int n, out long stride))
        {
            used += n;
            // contiguous complex128 is read in place (the copy was ~7 % of a long line's time)
            double* src = t == DType.Complex128 && stride == 16 ? (double*)p : buf;
            if (src == buf) Gather.Run(t, p, stride, n, buf);
            int i = 0;
            if (vec)
            {
                var sh = Avx.LoadVector256(acc);
                var sc = Avx.LoadVector256(acc + 4);
                for (; i + 4 <= n; i += 4)
                {
                    if (!VecTerms(src + 2 * i, ip, f1, f2, k != 0, out var th, out var tl))
                    {
                        Avx.Store(acc, sh); Avx.Store(acc + 4, sc);
                        for (int j = 0; j < 4; j++)
                            if (!ScalarTerm(src[2 * (i + j)], src[2 * (i + j) + 1], ip, k, f1, f2, acc, LaneOf(j), onlyFast))
                            { clean = false; lo = 0; return 0; }
                        sh = Avx.LoadVector256(acc); sc = Avx.LoadVector256(acc + 4);
                        continue;
                    }
                    // TwoSum into the lanes' double-double (the scalar body's operations, lane-wise)
                    var sum = Avx.Add(sh, th);
                    var b2 = Avx.Subtract(sum, sh);
                    var err = Avx.Add(Avx.Subtract(sh, Avx.Subtract(sum, b2)), Avx.Subtract(th, b2));
                    sh = sum;
                    sc = Avx.Add(sc, Avx.Add(err, tl));
                }
                Avx.Store(acc, sh); Avx.Store(acc + 4, sc);
            }
            for (; i < n; i++)
                if (!ScalarTerm(src[2 * i], src[2 * i + 1], ip, k, f1, f2, acc, LaneOf(i & 3), onlyFast))
                { clean = false; lo = 0; return 0; }
        }
        double h = acc[0], l = acc[4];
        for (int j = 1; j < 4; j++) DD.Add(ref h, ref l, acc[j], acc[4 + j]);
        lo = l;
        return h;
    }

    /// <summary>Lane of element j (0..3) of a group: the vector body unpacks elements 0, 2, 1, 3 into lanes 0..3.</summary>
    private static int LaneOf(int j) => j == 1 ? 2 : j == 2 ? 1 : j;

    /// <summary>Adds the term of one element to lane <paramref name="lane"/> of <paramref name="acc"/>; with
    /// <paramref name="onlyFast"/>, an element out of the fast range adds nothing and returns false.</summary>
    private static bool ScalarTerm(double re, double im, int ip, int k, double f1, double f2, double* acc, int lane, bool onlyFast)
    {
        double x = re * re, y = im * im;
        double s = x + y;
        double th, tl;
        if (s >= Lo && s <= Hi)
        {
            // |z|² = re² + im² as a double-double (relative error ~2^-104)
            double xe = Math.FusedMultiplyAdd(re, re, -x), ye = Math.FusedMultiplyAdd(im, im, -y);
            double bb = s - x;
            double e = (x - (s - bb)) + (y - bb);
            double qe = e + (xe + ye);
            double qh = s + qe, ql = qe - (qh - s);
            if (ip == 2)
            {
                // 1/q = y·(1 + d) with y = fl(1/qh), d = 1 − y·q (|d| ≲ 2^-52): th + tl = y + y·d
                th = 1 / qh;
                double d = Math.FusedMultiplyAdd(-th, qh, 1) - th * ql;
                tl = th * d;
            }
            else
            {
                // 1/√q: y = fl(1/fl(√qh)), one Newton step y·(1 + (1 − q·y²)/2) in double-double
                th = 1 / Math.Sqrt(qh);
                double y2 = th * th, y2e = Math.FusedMultiplyAdd(th, th, -y2);
                double d = Math.FusedMultiplyAdd(-qh, y2, 1) - qh * y2e - ql * y2;
                tl = 0.5 * th * d;
            }
            th = th * f1 * f2; tl = tl * f1 * f2;
        }
        else
        {
            if (onlyFast) return false;
            Ext m = Ext.Hypot(Ext.FromDouble(re), Ext.FromDouble(im));
            if (!m.IsFiniteNonZero) return true; // infinities contribute 0; NaN/zero were handled by the scan
            double h = GeneralNorm.PowInt(m.H, m.L, ip, out double l);
            th = DD.Div(1, 0, h, l, out tl);
            int sc2 = -ip * m.E - k;
            th = Math.ScaleB(th, sc2); tl = Math.ScaleB(tl, sc2);
        }
        double a = acc[lane];
        double sum = a + th;
        double b2 = sum - a;
        double err = (a - (sum - b2)) + (th - b2);
        acc[lane] = sum;
        acc[4 + lane] += err + tl;
        return true;
    }

    /// <summary>The terms of <see cref="ScalarTerm"/> for four elements (lanes 0, 2, 1, 3), scaled by f1·f2 when
    /// <paramref name="scaled"/> (else those are 1: the same values); false when one of them is out of the fast range
    /// (then the caller adds the four one by one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool VecTerms(double* q, int ip, double f1, double f2, bool scaled, out Vector256<double> th, out Vector256<double> tl)
    {
        th = tl = default;
        Vector256<double> a = Avx.LoadVector256(q), b = Avx.LoadVector256(q + 4);
        Vector256<double> re = Avx.UnpackLow(a, b), im = Avx.UnpackHigh(a, b); // elements 0, 2, 1, 3
        Vector256<double> x = Avx.Multiply(re, re), y = Avx.Multiply(im, im);
        Vector256<double> s = Avx.Add(x, y);
        Vector256<double> ok = Avx.And(Avx.CompareGreaterThanOrEqual(s, Vector256.Create(Lo)),
                                       Avx.CompareLessThanOrEqual(s, Vector256.Create(Hi)));
        if (Avx.MoveMask(ok) != 0xF) return false;
        Vector256<double> xe = Fma.MultiplySubtract(re, re, x), ye = Fma.MultiplySubtract(im, im, y);
        Vector256<double> bb = Avx.Subtract(s, x);
        Vector256<double> e = Avx.Add(Avx.Subtract(x, Avx.Subtract(s, bb)), Avx.Subtract(y, bb));
        Vector256<double> qe = Avx.Add(e, Avx.Add(xe, ye));
        Vector256<double> qh = Avx.Add(s, qe), ql = Avx.Subtract(qe, Avx.Subtract(qh, s));
        Vector256<double> one = Vector256.Create(1.0);
        if (ip == 2)
        {
            th = Avx.Divide(one, qh);
            Vector256<double> d = Avx.Subtract(Fma.MultiplyAddNegated(th, qh, one), Avx.Multiply(th, ql));
            tl = Avx.Multiply(th, d);
        }
        else
        {
            th = Avx.Divide(one, Avx.Sqrt(qh));
            Vector256<double> y2 = Avx.Multiply(th, th), y2e = Fma.MultiplySubtract(th, th, y2);
            Vector256<double> d = Avx.Subtract(Avx.Subtract(Fma.MultiplyAddNegated(qh, y2, one), Avx.Multiply(qh, y2e)),
                                               Avx.Multiply(ql, y2));
            tl = Avx.Multiply(Avx.Multiply(Vector256.Create(0.5), th), d);
        }
        if (scaled)
        {
            Vector256<double> vf1 = Vector256.Create(f1), vf2 = Vector256.Create(f2);
            th = Avx.Multiply(Avx.Multiply(th, vf1), vf2); tl = Avx.Multiply(Avx.Multiply(tl, vf1), vf2);
        }
        return true;
    }
}
