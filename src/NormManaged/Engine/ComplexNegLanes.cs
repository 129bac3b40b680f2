using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Complex128 ord −2 over many short lines (at most <see cref="MaxInner"/> values), a SIMD lane per line for the
/// SUM as well as the root. The 1-D path (<see cref="ComplexNegative"/>) sums a line in one pass when every
/// s = re² + im² lies in its fast range: |z|² as an exact-to-2⁻¹⁰⁴ pair, the term 1/|z|² = y + y·d (y = fl(1/qh)), element
/// i added by TwoSum to accumulator LaneOf(i mod 4) of four (its vector body unpacks elements 0, 2, 1, 3), the four folded
/// by DD.Add in order and renormalised; the norm is GeneralNorm.Root of that sum. Eight lines are copied side by side
/// and each lane applies to its own line those very IEEE operations in that order (a line of at most 256 values is one
/// run of the 1-D walk, so i is the element's index), so each lane's sum has the bits of its line alone; the roots go
/// through <see cref="LanePow.Roots"/> (the double-double root's bits, or a proof that the stored rounding is the same).
/// A line with any value outside the fast range (zeros, NaN, ∞, extreme scales) is reduced alone by
/// <see cref="ComplexNegative"/> itself (numpy's rules and warnings). Rows of 4 measured 0.06× NumPy through the 1-D code
/// per line, 0.19× with only the roots in lanes.</summary>
internal static unsafe class ComplexNegLanes
{
    /// <summary>Lines side by side.</summary>
    private const int Lines = 8;

    /// <summary>Longest line taken (one run of <see cref="ComplexNegative"/>'s 256-value walk).</summary>
    internal const long MaxInner = 128;

    private static readonly double Lo = Math.ScaleB(1.0, -1000), Hi = Math.ScaleB(1.0, 1000);

    /// <summary>Total elements (a root counted as <see cref="RootElements"/>) from which the outputs are split over threads.</summary>
    private const long ParallelElements = 1L << 14;
    private const long RootElements = 16;

    public static bool Applies(ReductionPlan plan, DType t, DType ot, double p)
        => t == DType.Complex128 && ot == DType.Float64 && p == -2 && plan.InnerShape.Length == 1
           && plan.InnerCount >= 1 && plan.InnerCount <= MaxInner && plan.OuterCount >= LanePow.Group;

    public static FpEvents Run(ReductionPlan plan, byte* x, byte* o)
    {
        long outs = plan.OuterCount;
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && outs * (plan.InnerCount + RootElements) >= ParallelElements)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(outs, threads, (k0, count) => Range(plan, (byte*)xb, (byte*)ob, k0, count));
        }
        return Range(plan, x, o, 0, outs);
    }

    /// <summary>Pending roots of a range.</summary>
    private struct State
    {
        public double* Sh, Sl, Rh, Rl;
        public int* Se, Rk, Eb;
        public Ext* Sc;
        public nint* Dst;
        public int Pending;
        public FpEvents Ev;
    }

    private static FpEvents Range(ReductionPlan plan, byte* x, byte* o, long first, long count)
    {
        int n = (int)plan.InnerCount;
        const int g = LanePow.Group;
        double* re = stackalloc double[n * Lines], im = stackalloc double[n * Lines];
        double* res = stackalloc double[3 * Lines]; // per lane: hi, lo, 1 = alone
        var st = new State();
        double* sh = stackalloc double[g], sl = stackalloc double[g], rh = stackalloc double[g], rl = stackalloc double[g];
        int* se = stackalloc int[g], rk = stackalloc int[g], eb = stackalloc int[g];
        Ext* sc = stackalloc Ext[g];
        nint* dst = stackalloc nint[g];
        st.Sh = sh; st.Sl = sl; st.Rh = rh; st.Rl = rl; st.Se = se; st.Rk = rk; st.Eb = eb; st.Sc = sc; st.Dst = dst;
        byte** xs = stackalloc byte*[Lines];
        byte** os = stackalloc byte*[Lines];
        int m = 0;
        if (plan.OuterShape.Length == 1)
        {
            long ois = plan.OuterInStrides[0], oos = plan.OuterOutStrides[0];
            for (long k = first; k < first + count; k++)
            {
                xs[m] = x + k * ois; os[m] = o + k * oos;
                if (++m == Lines) { Group8(plan, ref st, xs, os, m, re, im, res); m = 0; }
            }
        }
        else
        {
            var it = new OuterIterator(plan, x, o, first, count);
            while (it.Next(out byte* xp, out byte* op))
            {
                xs[m] = xp; os[m] = op;
                if (++m == Lines) { Group8(plan, ref st, xs, os, m, re, im, res); m = 0; }
            }
        }
        if (m > 0)
        {
            for (int r = m; r < Lines; r++) xs[r] = xs[0]; // idle lanes repeat a line; nothing of theirs is used
            Group8(plan, ref st, xs, os, m, re, im, res);
        }
        if (st.Pending > 0) Flush(ref st);
        return st.Ev;
    }

    private static void Group8(ReductionPlan plan, ref State st, byte** xs, byte** os, int m, double* re, double* im, double* res)
    {
        int n = (int)plan.InnerCount;
        long s = plan.InnerStrides[0], off = plan.InnerBaseOffset;
        bool adjacent = Avx512F.IsSupported;
        for (int r = 1; r < Lines && adjacent; r++) adjacent = xs[r] - xs[0] == 16 * r;
        if (adjacent)
        {
            // adjacent outputs (C-order columns, Fortran rows): value i of the eight lines is 128 contiguous bytes, split
            // into parts by two permutes (the same values: the scalar copy was a tenth of (4, 3000) axis 0)
            byte* q = xs[0] + off;
            for (int i = 0; i < n; i++, q += s)
            {
                Lanes512 v0 = Lanes512.Load((double*)q), v1 = Lanes512.Load((double*)q + 8);
                Lanes512.Evens(v0, v1).Store(re + i * Lines);
                Lanes512.Odds(v0, v1).Store(im + i * Lines);
            }
        }
        else
            for (int r = 0; r < Lines; r++)
            {
                byte* q = xs[r] + off;
                for (int i = 0; i < n; i++, q += s)
                {
                    re[i * Lines + r] = ((double*)q)[0];
                    im[i * Lines + r] = ((double*)q)[1];
                }
            }
        if (RealKernels.Wide) Sums<Lanes512>(re, im, n, res);
        else Sums<Lanes256>(re, im, n, res);
        uint rooted = RealKernels.Wide && Avx512F.IsSupported ? RecipRoots(res, os, m) : 0;
        for (int r = 0; r < m; r++)
        {
            if ((rooted >> r & 1) != 0) continue; // stored by RecipRoots
            if (res[2 * Lines + r] != 0)
            {
                // a value outside the one-pass range: the line alone, by the 1-D code (it scans and scales)
                st.Ev |= ComplexNegative.ReduceLine(plan, xs[r], DType.Complex128, -2, DType.Float64, os[r], tried: true);
                continue;
            }
            int i0 = st.Pending;
            st.Sh[i0] = res[r]; st.Sl[i0] = res[Lines + r]; st.Se[i0] = 0; st.Sc[i0] = new Ext(1, 0, 0);
            st.Dst[i0] = (nint)os[r];
            if (++st.Pending == LanePow.Group) Flush(ref st);
        }
    }

    /// <summary>2⁻⁸⁰: <see cref="RecipRoots"/>' distance to a rounding midpoint (relative) beyond which its root decides.</summary>
    private const double RecipTie = 1.0 / (1L << 40) / (1L << 40);

    /// <summary>The norm S^(−1/2) of each lane's clean sum S = h + l (res[r], res[8 + r]; S ∈ [2⁻¹⁰⁰⁰, 2¹⁰⁰⁷] as every
    /// term lies in [2⁻¹⁰⁰⁰, 2¹⁰⁰⁰] and a line holds ≤ 128) without ln and exp (<see cref="DDLanes.RecipSqrtStep{L}"/>):
    /// r within ε₁ ≤ 2⁻¹⁰⁰ of S^(−1/2). The double-double root the 1-D path
    /// stores (<see cref="GeneralNorm.Root"/>: DD.Log within 2⁻¹⁰⁰·|ln S| ≤ 2⁻⁹⁰·⁵ absolute, halved by the division,
    /// DD.Div's 2⁻¹⁰³ relative on |x| ≤ 350, DD.Exp's 2⁻¹⁰⁴) lies within ε₂ ≤ 2⁻⁹⁰ relative of it. Where
    /// <see cref="DDLanes.Decided{L}"/> finds r farther than <see cref="RecipTie"/> (≫ ε₁ + ε₂) from every float64
    /// midpoint, fl(r) is the correctly rounded norm and the rounding of the 1-D root alike: stored here. Every result
    /// is a normal double (S^(−1/2) ∈ [2⁻⁵⁰⁴, 2⁵⁰⁰]). Returns the lanes stored (bit r); lines with a value outside the
    /// range and undecided lanes (~2⁻²⁶ of them) go on to <see cref="LanePow.Roots"/> as before. Measured: the roots
    /// by ln and exp (LanePow.Roots' cheap root, its double-double fallback and bookkeeping) were half of complex128
    /// (4, 3000) axis=0's time at −2.</summary>
    private static uint RecipRoots(double* res, byte** os, int m)
    {
        var h = new Lanes512(Vector512.Load(res));
        var l = new Lanes512(Vector512.Load(res + Lines));
        var rh = DDLanes.RecipSqrtStep(h, l, out var rl);
        var ok = DDLanes.Decided(rh, rl, Lanes512.Create(RecipTie)).V
                 & Vector512.Equals(Vector512.Load(res + 2 * Lines), Vector512<double>.Zero)
                 & Vector512.GreaterThanOrEqual(h.V, Vector512.Create(Lo)) & Vector512.LessThan(h.V, Vector512.Create(double.MaxValue));
        uint bits = (uint)ok.ExtractMostSignificantBits() & ((1u << m) - 1);
        for (uint b = bits; b != 0; b &= b - 1)
        {
            int r = System.Numerics.BitOperations.TrailingZeroCount(b);
            *(double*)os[r] = rh.V.GetElement(r);
        }
        return bits;
    }

    /// <summary>Each lane's one-pass sum (see the class summary): res[r] = hi, res[8 + r] = lo, res[16 + r] = 1 when
    /// some value of line r is outside the range (its sum is then not used).</summary>
    private static void Sums<L>(double* re, double* im, int n, double* res) where L : struct, ILanes<L>
    {
        var lo = L.Create(Lo); var hi = L.Create(Hi); var one = L.Create(1.0);
        for (int h = 0; h < Lines; h += L.Count)
        {
            L a0 = L.Zero, a1 = L.Zero, a2 = L.Zero, a3 = L.Zero, c0 = L.Zero, c1 = L.Zero, c2 = L.Zero, c3 = L.Zero;
            L bad = L.Zero;
            for (int i = 0; i < n; i++)
            {
                L zr = L.Load(re + i * Lines + h), zi = L.Load(im + i * Lines + h);
                L x = zr * zr, y = zi * zi;
                L sum = x + y;
                bad |= ~(L.GreaterThanOrEqual(sum, lo) & L.LessThanOrEqual(sum, hi));
                L xe = L.Fma(zr, zr, -x), ye = L.Fma(zi, zi, -y);
                L bb = sum - x;
                L e = (x - (sum - bb)) + (y - bb);
                L qe = e + (xe + ye);
                L qh = sum + qe, ql = qe - (qh - sum);
                L th = one / qh;
                L d = L.Fma(-th, qh, one) - th * ql;
                L tl = th * d;
                switch (i & 3) // accumulator LaneOf(i mod 4): 0, 2, 1, 3
                {
                    case 0: Add(ref a0, ref c0, th, tl); break;
                    case 1: Add(ref a2, ref c2, th, tl); break;
                    case 2: Add(ref a1, ref c1, th, tl); break;
                    default: Add(ref a3, ref c3, th, tl); break;
                }
            }
            // SumTerms' fold: h = acc[0], l = acc[4], DD.Add of the others in order, then FastTwoSum
            L fh = a0, fl = c0;
            DDLanes.Add(ref fh, ref fl, a1, c1);
            DDLanes.Add(ref fh, ref fl, a2, c2);
            DDLanes.Add(ref fh, ref fl, a3, c3);
            fh = DDLanes.FastTwoSum(fh, fl, out fl);
            fh.Store(res + h); fl.Store(res + Lines + h); (bad & one).Store(res + 2 * Lines + h);
        }
    }

    /// <summary>ScalarTerm's accumulation: TwoSum into the lane's high part, its error plus the term's low part into the low.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add<L>(ref L a, ref L c, L th, L tl) where L : struct, ILanes<L>
    {
        L sum = a + th;
        L b2 = sum - a;
        L err = (a - (sum - b2)) + (th - b2);
        a = sum;
        c += err + tl;
    }

    /// <summary>Roots the pending sums (<see cref="LanePow.Roots"/>) and stores them: fl(rh + rl)·2^rk directly when that is
    /// normal (ResultWriter's one rounding of the same double-double, as in LaneIntSums' flush), else through
    /// <see cref="ResultWriter.Store(DType, byte*, in Ext)"/>.</summary>
    private static void Flush(ref State st)
    {
        const int g = LanePow.Group;
        for (int i = st.Pending; i < g; i++) { st.Sh[i] = 1; st.Sl[i] = 0; st.Se[i] = 0; } // idle lanes: any valid sum
        LanePow.ScaleExponents(st.Sc, st.Pending, st.Eb);
        LanePow.Roots(st.Sh, st.Sl, st.Se, -2, st.Eb, st.Rh, st.Rl, st.Rk);
        for (int i = 0; i < st.Pending; i++)
        {
            double h = st.Rh[i], l = st.Rl[i];
            if (LanePow.TryStoreNormal(h, l, st.Rk[i], (byte*)st.Dst[i])) continue;
            st.Ev |= ResultWriter.Store(DType.Float64, (byte*)st.Dst[i], Ext.Mul(Ext.Normalize(h, l, st.Rk[i]), st.Sc[i]));
        }
        st.Pending = 0;
    }
}
