using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Complex whole orders 3 … <see cref="MaxOrder"/> of short lines (at most <see cref="MaxLength"/> values): the
/// definition of such a line's sum, one generic body over <see cref="ILanes{TSelf}"/> that a lone line runs on
/// <see cref="Lane1"/> (<see cref="TryLine"/>) and many lines run a SIMD lane per line (<see cref="Run"/>), so every
/// output has, by construction, the bits of its line reduced alone.
///
/// The line is scaled by exact powers of two 2^a·2^c = 2^−eb, eb = ilogb(M) + 1 for M the largest |component|, so the
/// largest scaled component lies in [1/2, 1), every |z| &lt; √2 and the largest term lies in [2⁻ᵖ, 2^(p/2)]; a term
/// lost to underflow is below 2⁻¹⁰²² against that (no spurious over- or underflow). |z|² = hh + hl with exact squares
/// by FMA (<see cref="ComplexMag.Square{L}"/>); p = 4 takes (hh + hl)², p = 3 (hh + hl)·(√hh + c), c the exact residual
/// hh − (√hh)² plus hl over 2√hh, other p double-double powers of hh + hl (times |z| when odd); each term is a
/// double-double to ~2⁻¹⁰⁰ and the terms are added in index order by TwoSum with one low-order accumulator. The norm
/// is 2^eb·S^(1/p) by <see cref="GeneralNorm.Root"/> (lanes: <see cref="LanePow.Roots"/>, the same bits). A line
/// holding NaN or ∞, or only zeros, is finished by /// <see cref="GeneralNorm.Reduce"/> (numpy's rules and warnings) on both routes.</summary>
internal static unsafe class ComplexLaneSums
{
    /// <summary>Longest line taken. Below <see cref="ComplexOffsetSum.MinLength"/> the lone line used to take an
    /// extended-precision hypot and double-double powers per element, up to here that one-pass kernel's statistics and
    /// fold per line; both cost many rows 3–14× NumPy's time.</summary>
    public const int MaxLength = 64;

    /// <summary>Longest line taken for order <paramref name="p"/>: <see cref="MaxLength"/>, but 32 for p = 3 and 4, whose
    /// longer lines keep <see cref="ComplexOffsetSum"/>'s exact one-pass kernel (measured, complex128 (1000,64) axis=1:
    /// ord 3 240–250 µs there against 270–305 µs in lanes; ord 5/8 530 µs there against 240–280 µs in lanes, rows of
    /// 17–32 of every order 2.5–4× faster in lanes).</summary>
    public static int MaxLengthOf(double p) => p is 3 or 4 ? 32 : MaxLength;

    /// <summary>Lines summed per batch (<see cref="LanePow.Group"/>, whose roots are taken at once).</summary>
    private const int Group = LanePow.Group;

    /// <summary>Total elements from which the lines are split over threads (rows are independent).</summary>
    private const long ParallelElements = 1L << 14;

    /// <summary>The orders whose short lines this class defines.</summary>
    public static bool Takes(DType t, double p) => t is DType.Complex128 or DType.Complex64 && p >= 3 && p <= MaxOrder && p == Math.Floor(p);

    /// <summary>Largest whole order taken: every scaled term lies in [2⁻ᵖ, 2^(p/2)] for the line's largest value.</summary>
    public const int MaxOrder = 64;

    /// <summary>Lines of 1 … <see cref="MaxLengthOf"/> values (any reduced axes).</summary>
    public static bool Applies(ReductionPlan plan, DType t, double p)
        => Takes(t, p) && plan.OuterCount >= 1 && plan.InnerCount >= 1 && plan.InnerCount <= MaxLengthOf(p);

    /// <summary>The scale exponent eb of a line whose largest |component| is <paramref name="m"/> (NaN if any is) and
    /// the two factors 2^a·2^c = 2^−eb; false for a line with NaN, ∞ or only zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Scale(double m, out int eb, out double f1, out double f2)
    {
        eb = 0; f1 = f2 = 1;
        if (!(m > 0 && m <= double.MaxValue)) return false; // NaN, ∞ or only zeros
        int be = (int)(BitConverter.DoubleToUInt64Bits(m) >> 52); // m > 0 finite: the biased exponent
        eb = (be == 0 ? Math.ILogB(m) : be - 1023) + 1;
        int a = -eb / 2; // a and −eb − a lie in [−512, 537]: the factors are normal powers of two, built from bits
        f1 = BitConverter.Int64BitsToDouble((long)(a + 1023) << 52);
        f2 = BitConverter.Int64BitsToDouble((long)(-eb - a + 1023) << 52);
        return true;
    }

    /// <summary>The largest |v[i]| of <paramref name="count"/> doubles, NaN if any is NaN: a maximum of the magnitude bits
    /// (ordered as the values; every NaN's above ∞'s), two chains — Math.Max's NaN rules cost a third of a short row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double MaxAbs(double* v, int count)
    {
        const ulong magnitude = 0x7FFF_FFFF_FFFF_FFFF;
        ulong m0 = 0, m1 = 0;
        int i = 0;
        for (; i + 1 < count; i += 2)
        {
            ulong a = BitConverter.DoubleToUInt64Bits(v[i]) & magnitude, b = BitConverter.DoubleToUInt64Bits(v[i + 1]) & magnitude;
            m0 = a > m0 ? a : m0;
            m1 = b > m1 ? b : m1;
        }
        if (i < count) { ulong a = BitConverter.DoubleToUInt64Bits(v[i]) & magnitude; m0 = a > m0 ? a : m0; }
        return BitConverter.UInt64BitsToDouble(m0 > m1 ? m0 : m1);
    }

    /// <summary>Σ|z|^p (p = 3 or 4) of <paramref name="n"/> values scaled by f1·f2, value k's parts at re[k·step] and
    /// im[k·step], as sh + sl (normalised): the one body of both routes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L Sum<L>(double* re, double* im, nint step, int n, int p, L f1, L f2, out L sl) where L : struct, ILanes<L>
    {
        L s = L.Zero, l = L.Zero;
        for (int k = 0; k < n; k++)
        {
            L x = L.Load(re + k * step) * f1 * f2, y = L.Load(im + k * step) * f1 * f2;
            L hh = ComplexMag.Square(x, y, out L hl), th, tl;
            if (p == 3)
            {
                L sq = Root(hh, hl, out L c);
                th = hh * sq;
                tl = L.Fma(hh, c, L.Fma(hl, sq, L.MulSub(hh, sq, th)));
            }
            else if (p == 4)
            {
                th = hh * hh;
                tl = L.Fma(hh + hh, hl, L.MulSub(hh, hh, th));
            }
            else th = Power(hh, hl, p, out tl);
            L t = s + th, b = t - s;
            l += ((s - (t - b)) + (th - b)) + tl;
            s = t;
        }
        L h = s + l;
        sl = l - (h - s);
        return h;
    }

    /// <summary>|z| = sq + c from |z|² = hh + hl: the rounded root and the exact residual hh − sq² plus hl over 2·sq.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L Root<L>(L hh, L hl, out L c) where L : struct, ILanes<L>
    {
        L sq = L.Sqrt(hh);
        c = (L.Fma(-sq, sq, hh) + hl) / (sq + sq);
        c = L.Select(L.Equal(hh, L.Zero), L.Zero, c); // |z| = 0: no residual (0/0 otherwise)
        return sq;
    }

    /// <summary>|z|^p for a whole p ≥ 5: (hh + hl)^⌊p/2⌋ by binary powering in double-double (<see cref="DDLanes.Mul{L}"/>),
    /// times <see cref="Root{L}"/>'s |z| when p is odd (≈ 2⁻¹⁰⁴·log₂p relative).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L Power<L>(L hh, L hl, int p, out L lo) where L : struct, ILanes<L>
    {
        L bh = hh, bl = hl, rh = L.Zero, rl = L.Zero;
        bool any = false;
        for (int k = p >> 1; ; )
        {
            if ((k & 1) != 0)
            {
                if (any) rh = DDLanes.Mul(rh, rl, bh, bl, out rl);
                else { rh = bh; rl = bl; any = true; }
            }
            k >>= 1;
            if (k == 0) break;
            bh = DDLanes.Mul(bh, bl, bh, bl, out bl);
        }
        if ((p & 1) != 0)
        {
            L sq = Root(hh, hl, out L c);
            rh = DDLanes.Mul(rh, rl, sq, c, out rl);
        }
        lo = rl;
        return rh;
    }

    /// <summary>The norm of one line of <paramref name="n"/> ≤ <see cref="MaxLength"/> values already widened to
    /// doubles (re, im interleaved at <paramref name="z"/>): false, nothing computed, for a line
    /// <see cref="GeneralNorm.Reduce"/> must finish (NaN, ∞, only zeros).</summary>
    public static bool TryLine(double* z, int n, double p, out Ext r)
    {
        r = default;
        if (!Scale(MaxAbs(z, 2 * n), out int eb, out double f1, out double f2)) return false;
        double sh = Sum(z, z + 1, 2, n, (int)p, new Lane1(f1), new Lane1(f2), out Lane1 sl).V;
        r = GeneralNorm.Root(sh, sl.V, 0, p, new Ext(1, 0, eb));
        return true;
    }

    /// <summary>A lone line: <see cref="TryLine"/> on its widened values, else numpy's rules by <see cref="GeneralNorm.Reduce"/>.</summary>
    private static FpEvents One(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot)
    {
        double* buf = stackalloc double[2 * MaxLength + 8];
        var it = new OuterIterator(plan, x, o);
        it.Next(out byte* xp, out byte* op);
        fixed (double* z = new DoubleBlocks(plan, xp, t, buf).Next())
            if (TryLine(z, (int)plan.InnerCount, p, out Ext r)) return ResultWriter.Store(ot, op, r);
        return GeneralNorm.Reduce(plan, xp, t, p, ot, op);
    }

    /// <summary>Computes every output of the plan (<see cref="Applies"/>).</summary>
    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot)
    {
        long outs = plan.OuterCount;
        if (outs == 1) return One(plan, x, t, p, o, ot);
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && outs * plan.InnerCount >= ParallelElements)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(outs, threads, (k0, count) => Lines(plan, (byte*)xb, t, p, (byte*)ob, ot, k0, count));
        }
        return Lines(plan, x, t, p, o, ot, 0, outs);
    }

    /// <summary>The outputs first … first + count − 1, <see cref="Group"/> lines at a time: each line's values
    /// transposed into lane order (value k of line i at [k·Group + i]) with its scale, then the sums and roots in lanes.</summary>
    private static FpEvents Lines(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot, long first, long count)
    {
        int n = (int)plan.InnerCount;
        double* re = stackalloc double[MaxLength * Group], im = stackalloc double[MaxLength * Group];
        double* f1 = stackalloc double[Group], f2 = stackalloc double[Group];
        double* sh = stackalloc double[Group], sl = stackalloc double[Group], rh = stackalloc double[Group], rl = stackalloc double[Group];
        int* se = stackalloc int[Group], rk = stackalloc int[Group], eb = stackalloc int[Group];
        nint* dst = stackalloc nint[Group];
        double* wide = stackalloc double[2 * MaxLength + 8];
        // complex128 over one axis is read in place; anything else is widened by DoubleBlocks, as the lone line is
        bool direct = t == DType.Complex128 && plan.InnerShape.Length == 1;
        long stride = plan.InnerStrides[0];
        int ip = (int)p;
        var ev = FpEvents.None;
        var it = new OuterIterator(plan, x, o, first, count);
        int g = 0;
        bool more = true;
        while (more)
        {
            more = it.Next(out byte* xp, out byte* op);
            if (more)
            {
                double m;
                if (direct)
                {
                    // straight into lane order, the largest magnitude by maxpd (exact; a NaN or ∞ flagged apart)
                    var mag = Vector128.Create(0x7FFF_FFFF_FFFF_FFFFUL).AsDouble();
                    var top = Vector128.Create(double.MaxValue);
                    Vector128<double> acc = default, bad = default;
                    for (int k = 0; k < n; k++)
                    {
                        var e = Vector128.Load((double*)(xp + plan.InnerBaseOffset + k * stride));
                        re[k * Group + g] = e.ToScalar(); im[k * Group + g] = e.GetElement(1);
                        var a = e & mag;
                        acc = Sse2.Max(acc, a);
                        bad |= Sse2.CompareNotLessThanOrEqual(a, top);
                    }
                    m = Vector128.EqualsAll(bad.AsUInt64(), Vector128<ulong>.Zero) ? Math.Max(acc.ToScalar(), acc.GetElement(1)) : double.NaN;
                }
                else
                {
                    fixed (double* v = new DoubleBlocks(plan, xp, t, wide).Next())
                    {
                        for (int k = 0; k < n; k++) { re[k * Group + g] = v[2 * k]; im[k * Group + g] = v[2 * k + 1]; }
                        m = MaxAbs(v, 2 * n);
                    }
                }
                if (!Scale(m, out eb[g], out f1[g], out f2[g]))
                {
                    ev |= GeneralNorm.Reduce(plan, xp, t, p, ot, op); // NaN, ∞ or only zeros: numpy's rules
                    continue; // its lane is taken by the next line
                }
                dst[g] = (nint)op;
                if (++g < Group) continue;
            }
            if (g == 0) break;
            for (int i = g; i < Group; i++) // idle lanes: any valid line (the value 1)
            {
                f1[i] = f2[i] = 1;
                for (int k = 0; k < n; k++) { re[k * Group + i] = 1; im[k * Group + i] = 0; }
            }
            if (RealKernels.Wide) Sums<Lanes512>(re, im, n, ip, f1, f2, sh, sl);
            else Sums<Lanes256>(re, im, n, ip, f1, f2, sh, sl);
            for (int i = 0; i < Group; i++) se[i] = 0;
            for (int i = g; i < Group; i++) eb[i] = 0;
            LanePow.Roots(sh, sl, se, p, eb, rh, rl, rk); // scales 2^eb: Roots may prove the cheap root's rounding
            for (int i = 0; i < g; i++)
            {
                // GeneralNorm.Root's last step, as TryLine takes it, then the store. rh + rl is a normalised
                // double-double (DD.Exp's) near 1 and both steps only scale it by powers of two: a float64 result
                // that is normal is fl(rh + rl)·2^(rk + eb), the one rounding of the same value (LanePow.TryStoreNormal)
                if (ot != DType.Float64 || !LanePow.TryStoreNormal(rh[i], rl[i], (long)rk[i] + eb[i], (byte*)dst[i]))
                    ev |= ResultWriter.Store(ot, (byte*)dst[i], Ext.Mul(Ext.Normalize(rh[i], rl[i], rk[i]), new Ext(1, 0, eb[i])));
            }
            g = 0;
        }
        return ev;
    }

    private static void Sums<L>(double* re, double* im, int n, int p, double* f1, double* f2, double* sh, double* sl) where L : struct, ILanes<L>
    {
        for (int j = 0; j < Group; j += L.Count)
        {
            L h = Sum(re + j, im + j, Group, n, p, L.Load(f1 + j), L.Load(f2 + j), out L l);
            h.Store(sh + j); l.Store(sl + j);
        }
    }
}
