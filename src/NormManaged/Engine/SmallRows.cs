using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>The float64 2-norm of many short contiguous reductions (stacks of small matrices with
/// <c>axis=(-2, -1)</c>, short rows with <c>axis=-1</c>): one tight loop over the outputs with no
/// per-output setup, threads over outputs for big calls.
///
/// A reduction of n ≤ <see cref="DoubleBlocks.BlockElements"/> contiguous doubles is a single block, so the
/// general driver computes it as one <see cref="SumSquares.AddBlock"/>, one merge and one square root.
/// For n &lt; 16 whose largest magnitude lies in the safe exponent range (the common case) this file
/// replays exactly that arithmetic inline (and the same one-lane arithmetic up to n &lt; 64, see TryShort) — σ = 2^(2e+2) from max |x|, the scalar offset lane, the same
/// two double-double additions, the same √ correction — so the bits are the driver's. Every other
/// reduction (NaN, ±∞, all zero, extreme exponents) goes through the same block kernel as the
/// driver, just without the iterator and block-walker setup; rows of 64 or more take <see cref="LongRow"/> (the same
/// lanes with a cheaper fold; the correctly rounded result, hence the driver's bits).</summary>
internal static unsafe class SmallRows
{
    /// <summary>Contiguous float64 inner run of at most one block, float64 output, p = 2.</summary>
    public static bool Applies(ReductionPlan plan, DType t, DType ot, double p)
        => p == 2 && ShortContiguousRows(plan, t, ot);

    private static bool ShortContiguousRows(ReductionPlan plan, DType t, DType ot)
        => t == DType.Float64 && ot == DType.Float64 && plan.InnerShape.Length == 1
           && plan.InnerStrides[0] == 8 && plan.InnerCount >= 1 && plan.InnerCount <= DoubleBlocks.BlockElements
           && plan.OuterCount >= 2;

    public static FpEvents Run(ReductionPlan plan, byte* x, byte* o) => OverRows(plan, x, o, Mode.Squares);

    private enum Mode { Squares, Sum, Max }

    private static FpEvents OverRows(ReductionPlan plan, byte* x, byte* o, Mode mode)
    {
        long outer = plan.OuterCount;
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && outer * plan.InnerCount >= BlockDriver.ParallelThreshold)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(outer, threads, (lo, n) => Rows(plan, (byte*)xb, (byte*)ob, lo, n, mode));
        }
        return Rows(plan, x, o, 0, outer, mode);
    }

    private static FpEvents Rows(ReductionPlan plan, byte* x, byte* o, long lo, long n, Mode mode)
        => mode == Mode.Squares ? Range(plan, x, o, lo, n) : RangeAbs(plan, x, o, lo, n, mode == Mode.Sum);

    /// <summary>Contiguous float64 inner run of at most one block, float64 output, p = 1 or p = +∞.</summary>
    public static bool AppliesAbs(ReductionPlan plan, DType t, DType ot, double p)
        => (p == 1 || (double.IsPositiveInfinity(p) && plan.InnerCount <= MaxRowOfFour)) && ShortContiguousRows(plan, t, ot);

    /// <summary>Longest row whose max |x| is taken four rows at a time (<see cref="FourMax"/>, one element per lane per
    /// step); longer rows stream whole vectors of one row (<see cref="FloatMinMax"/>), e.g. (300, 300) rows
    /// 33 -> 12 us. Both are exact, so the choice does not change a bit.</summary>
    private const int MaxRowOfFour = 16;

    /// <summary>Σ|x| (p = 1) or max |x| (p = +∞) of every short row, with the bits of the block driver
    /// (<see cref="IntPowOp"/> / <see cref="StatsOp"/> over one block).</summary>
    public static FpEvents RunAbs(ReductionPlan plan, byte* x, byte* o, double p)
        => OverRows(plan, x, o, p == 1 ? Mode.Sum : Mode.Max);

    private static FpEvents RangeAbs(ReductionPlan plan, byte* x, byte* o, long start, long count, bool sum)
    {
        int n = (int)plan.InnerCount;
        x += plan.InnerBaseOffset;
        var ev = FpEvents.None;
        if (plan.OuterShape.Length == 1)
        {
            long si = plan.OuterInStrides[0], so = plan.OuterOutStrides[0];
            byte* xp = x + start * si, op = o + start * so;
            long k = 0;
            if (sum && n <= MaxLaneAbsRow)
            {
                double* tx = stackalloc double[8 * MaxLaneAbsRow];
                if (RealKernels.Wide)
                    for (; k + 8 <= count; k += 8, xp += 8 * si, op += 8 * so)
                        ev |= AbsSums<Lanes512>(xp, si, n, op, so, tx);
                if (Vector256.IsHardwareAccelerated)
                    for (; k + 4 <= count; k += 4, xp += 4 * si, op += 4 * so)
                        ev |= AbsSums<Lanes256>(xp, si, n, op, so, tx);
            }
            else if (Vector256.IsHardwareAccelerated && !sum)
                for (; k + 4 <= count; k += 4, xp += 4 * si, op += 4 * so)
                    ev |= FourMax(xp, si, n, op, so);
            for (; k < count; k++, xp += si, op += so) ev |= OneAbs(xp, n, op, sum);
            return ev;
        }
        var it = new OuterIterator(plan, x, o, start, count);
        while (it.Next(out byte* p, out byte* d)) ev |= OneAbs(p, n, d, sum);
        return ev;
    }

    /// <summary>One row through the driver's block kernel and finish (<see cref="BlockDriver"/>'s single-block case).</summary>
    private static FpEvents OneAbs(byte* xp, int n, byte* op, bool sum)
    {
        var b = new ReadOnlySpan<double>(xp, n);
        if (sum)
        {
            var sop = new IntPowOp(1);
            ScaledSum part = default, total = default;
            sop.Block(b, ref part);
            sop.Merge(ref total, part);
            return sop.Finish(total, DType.Float64, op);
        }
        var mop = new StatsOp(double.PositiveInfinity);
        RealKernels.Stats mpart = default, mtotal = default;
        mop.Block(b, ref mpart);
        mop.Merge(ref mtotal, mpart);
        return mop.Finish(mtotal, DType.Float64, op);
    }

    /// <summary>Σ|x| of Count rows of n ≤ <see cref="MaxLaneAbsRow"/>, one per lane: the rows are turned into
    /// columns (4×4 register transposes, copies: the same values) and summed by <see cref="RealKernels.AbsLine{L}"/>, the
    /// body that sums such a row alone on <see cref="Lane1"/>. The driver then forms hi = fl(s + c) (its double-double
    /// add onto zero) and stores ToDouble(Normalize(hi, lo)), which is hi itself when hi is 0 or a normal number
    /// ≥ 2⁻¹⁰⁰⁰ (exact power-of-two scalings; a lo that underflows while scaled is far below half an ulp). Groups
    /// with a row outside that case (NaN, ∞, overflow, tiny sums) go row by row through the kernel.</summary>
    private static FpEvents AbsSums<L>(byte* xp, long si, int n, byte* op, long so, double* tx) where L : struct, ILanes<L>
    {
        int w = L.Count, i = 0;
        if (typeof(L) == typeof(Lanes512) && n < ForwardedColumns)
            for (; i + 4 <= n; i += 4)
            {
                // both halves of a column in one 512-bit store, which the sum's 512-bit load, soon after, can forward
                // (two 256-bit stores cannot: rows of 4 ran 1.7x slower that way)
                Transpose4.Columns((double*)xp + i, si, out var a0, out var a1, out var a2, out var a3);
                Transpose4.Columns((double*)(xp + 4 * si) + i, si, out var b0, out var b1, out var b2, out var b3);
                Vector512.Create(a0, b0).Store(tx + w * i);
                Vector512.Create(a1, b1).Store(tx + w * (i + 1));
                Vector512.Create(a2, b2).Store(tx + w * (i + 2));
                Vector512.Create(a3, b3).Store(tx + w * (i + 3));
            }
        for (; i + 4 <= n; i += 4)
            for (int g = 0; g < w; g += 4)
                Transpose4.Doubles((double*)(xp + g * si) + i, si, tx + w * i + g, w);
        for (; i < n; i++)
            for (int g = 0; g < w; g++)
                tx[w * i + g] = ((double*)(xp + g * si))[i];
        RealKernels.AbsLine(tx, n, L.Create(1.0), out L s, out L c);
        var r = s + c;
        // r == 0, or r in [2^-1000, DBL_MAX] (NaN fails both comparisons)
        var ok = L.Equal(r, L.Zero)
               | (L.GreaterThanOrEqual(r, L.Create(s_tinySum)) & L.LessThanOrEqual(r, L.Create(double.MaxValue)));
        if (n > RealKernels.ShortAbsLine)
        {
            // A longer line alone is summed by the offset lanes or 16 TwoSum lanes, within E' = 2⁻⁷² of the exact sum S
            // (relative); s + c here is within E = n²·2⁻¹⁰⁶ ≤ 2⁻⁹⁰ of S (n ≤ MaxLaneAbsRow). Both round to the same
            // double unless S lies within E + E' of a rounding midpoint: the 1-norm is then correctly rounded, hence
            // unique. lo = c − (r − s) is the exact residual (Fast2Sum, |c| ≤ s), so s + c = r + lo; a row is stored
            // only if r + (lo ± d), d = 2⁻⁶⁴·r, both round to r: d less its own rounding (≤ 2⁻⁵³·ulp(r)) is
            // ≥ 2⁻¹³·ulp(r) > 2⁻¹⁸·ulp(r) ≥ E + E', and rounding is monotone, so every value within E + E' of s + c
            // rounds to r. About one row in 2¹⁰ fails (its group goes row by row through the kernel).
            var lo = c - (r - s);
            var d = r * L.Create(TieMargin);
            ok &= L.Equal(r + (lo + d), r) & L.Equal(r + (lo - d), r);
        }
        if (L.AllSet(ok))
        {
            if (so == 8) r.Store((double*)op);
            else
            {
                r.Store(tx);
                for (int g = 0; g < w; g++) Unsafe.WriteUnaligned(op + g * so, tx[g]);
            }
            return FpEvents.None;
        }
        var ev = FpEvents.None;
        for (int g = 0; g < w; g++, xp += si, op += so) ev |= OneAbs(xp, n, op, true);
        return ev;
    }

    /// <summary>Longest row summed a row per lane (<see cref="AbsSums{L}"/>); rows up to
    /// <see cref="RealKernels.ShortAbsLine"/> have their line's bits by construction, longer ones are stored only
    /// when correctly rounded (the tie margin check).</summary>
    internal const int MaxLaneAbsRow = 256;

    /// <summary>Relative distance d/r by which a longer row's lane sum must clear a rounding midpoint (see
    /// <see cref="AbsSums{L}"/>).</summary>
    private const double TieMargin = 1.0 / 18446744073709551616.0; // 2⁻⁶⁴

    /// <summary>Rows shorter than this are transposed for the 512-bit sum by whole 512-bit stores: the sum loads a column
    /// right after its store. Longer rows' columns are stored long before they are loaded, and the extra inserts cost
    /// more than they save (rows of 32: 39 -> 44 us).</summary>
    private const int ForwardedColumns = 16;

    private static readonly double s_tinySum = Math.ScaleB(1.0, -1000);

    /// <summary>max |x| of four rows, one per lane: the maximum is exact, so it is the driver's value whatever the
    /// order; the driver stores it unchanged. Rows with a NaN go through the kernel (NaN result).</summary>
    private static FpEvents FourMax(byte* xp, long si, int n, byte* op, long so)
    {
        double* x0 = (double*)xp, x1 = (double*)(xp + si), x2 = (double*)(xp + 2 * si), x3 = (double*)(xp + 3 * si);
        var mask = Vector256.Create(AbsMask);
        var mb = Vector256<ulong>.Zero;
        for (int i = 0; i < n; i++)
            mb = Vector256.Max(mb, Vector256.Create(x0[i], x1[i], x2[i], x3[i]).AsUInt64() & mask);
        if (Vector256.LessThanOrEqualAll(mb, Vector256.Create(InfBits)))
        {
            var r = mb.AsDouble();
            Store4(r, op, so);
            return FpEvents.None;
        }
        var ev = FpEvents.None;
        for (int j = 0; j < 4; j++, xp += si, op += so) ev |= OneAbs(xp, n, op, false);
        return ev;
    }

    private const ulong InfBits = 0x7FF0_0000_0000_0000UL;

    /// <summary>The four lanes of <paramref name="r"/> into four outputs <paramref name="so"/> bytes apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4(Vector256<double> r, byte* op, long so)
    {
        Unsafe.WriteUnaligned(op, r.GetElement(0));
        Unsafe.WriteUnaligned(op + so, r.GetElement(1));
        Unsafe.WriteUnaligned(op + 2 * so, r.GetElement(2));
        Unsafe.WriteUnaligned(op + 3 * so, r.GetElement(3));
    }

    private static FpEvents Range(ReductionPlan plan, byte* x, byte* o, long start, long count)
    {
        int n = (int)plan.InnerCount;
        x += plan.InnerBaseOffset;
        var ev = FpEvents.None;
        if (plan.OuterShape.Length == 1)
        {
            long si = plan.OuterInStrides[0], so = plan.OuterOutStrides[0];
            byte* xp = x + start * si, op = o + start * so;
            if (n < ShortMax)
            {
                long k = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; k + 8 <= count; k += 8, xp += 8 * si, op += 8 * so)
                        ev |= Eight(xp, si, n, op, so);
                    for (; k + 4 <= count; k += 4, xp += 4 * si, op += 4 * so)
                        ev |= Four(xp, si, n, op, so);
                }
                for (; k < count; k++, xp += si, op += so)
                {
                    if (TryShort((double*)xp, n, out double v)) Unsafe.WriteUnaligned(op, v);
                    else ev |= General(xp, n, op);
                }
            }
            else
                for (long k = 0; k < count; k++, xp += si, op += so)
                {
                    if (LongRow.TryNorm((double*)xp, n, out double v)) Unsafe.WriteUnaligned(op, v);
                    else ev |= General(xp, n, op);
                }
            return ev;
        }
        var it = new OuterIterator(plan, x, o, start, count);
        while (it.Next(out byte* p, out byte* d))
        {
            if (n < ShortMax && TryShort((double*)p, n, out double v)) Unsafe.WriteUnaligned(d, v);
            else if (n >= ShortMax && LongRow.TryNorm((double*)p, n, out v)) Unsafe.WriteUnaligned(d, v);
            else ev |= General(p, n, d);
        }
        return ev;
    }

    /// <summary>One block through the driver's kernels (<see cref="BlockDriver"/>'s single-block case).</summary>
    private static FpEvents General(byte* xp, int n, byte* op)
    {
        ScaledSum part = default, total = default;
        SumSquares.AddBlock(new ReadOnlySpan<double>(xp, n), ref part);
        total.Add(part);
        return default(SumSquaresOp).Finish(total, DType.Float64, op);
    }

    /// <summary>Four short reductions side by side, one per SIMD lane: each lane performs exactly the scalar
    /// operations of <see cref="TryShort"/> (IEEE add, FMA, √, ÷ give the same bits in a lane as in a scalar
    /// register), so results do not depend on whether a row went through here. A group with any row outside
    /// the fast range falls back row by row to <see cref="TryShort"/> / the driver's kernel.</summary>
    private static FpEvents Four(byte* xp, long si, int n, byte* op, long so)
    {
        var c = new Gathered(xp, si);
        var mb = Vector256<ulong>.Zero;
        var mask = Vector256.Create(AbsMask);
        for (int i = 0; i < n; i++) mb = Vector256.Max(mb, c.At(i).AsUInt64() & mask);
        if (Sigma(mb, out var sigma))
        {
            var a = sigma;
            var l = Vector256<double>.Zero;
            for (int i = 0; i < n; i++) SumSquares.Step(c.At(i), ref a, ref l); // TryShort's offset-lane update, lane-wise
            if (TryStore(a, l, sigma, op, so)) return FpEvents.None;
        }
        var ev = FpEvents.None;
        for (int j = 0; j < 4; j++, xp += si, op += so)
        {
            if (TryShort((double*)xp, n, out double v)) Unsafe.WriteUnaligned(op, v);
            else ev |= General(xp, n, op);
        }
        return ev;
    }

    /// <summary>Two groups of <see cref="Four"/> in one loop (the same lane operations, so the same bits): the two
    /// chains of dependent FMAs overlap instead of running one after the other. Rows of a multiple of four elements
    /// are first turned into columns by 4×4 register transposes (copies: the same values) in place of per-element
    /// lane inserts.</summary>
    private static FpEvents Eight(byte* xp, long si, int n, byte* op, long so)
    {
        if ((n & 3) != 0)
            return Eight(new Gathered(xp, si), new Gathered(xp + 4 * si, si), xp, si, n, op, so);
        double* tx = stackalloc double[8 * n];
        for (int i = 0; i < n; i += 4)
        {
            Transpose4.Doubles((double*)xp + i, si, tx + 4 * i, 4);
            Transpose4.Doubles((double*)(xp + 4 * si) + i, si, tx + 4 * n + 4 * i, 4);
        }
        return Eight(new Columns(tx), new Columns(tx + 4 * n), xp, si, n, op, so);
    }

    private static FpEvents Eight<TC>(TC cx, TC cy, byte* xp, long si, int n, byte* op, long so) where TC : struct, IColumns
    {
        var mx = Vector256<ulong>.Zero;
        var my = Vector256<ulong>.Zero;
        var mask = Vector256.Create(AbsMask);
        for (int i = 0; i < n; i++)
        {
            mx = Vector256.Max(mx, cx.At(i).AsUInt64() & mask);
            my = Vector256.Max(my, cy.At(i).AsUInt64() & mask);
        }
        if (Sigma(mx, out var sx) && Sigma(my, out var sy))
        {
            var ax = sx; var ay = sy;
            var lx = Vector256<double>.Zero; var ly = lx;
            for (int i = 0; i < n; i++)
            {
                SumSquares.Step(cx.At(i), ref ax, ref lx);
                SumSquares.Step(cy.At(i), ref ay, ref ly);
            }
            bool doneX = TryStore(ax, lx, sx, op, so), doneY = TryStore(ay, ly, sy, op + 4 * so, so);
            return (doneX ? FpEvents.None : Four(xp, si, n, op, so)) | (doneY ? FpEvents.None : Four(xp + 4 * si, si, n, op + 4 * so, so));
        }
        return Four(xp, si, n, op, so) | Four(xp + 4 * si, si, n, op + 4 * so, so);
    }

    /// <summary>Element i of four rows as the lanes of a vector.</summary>
    private interface IColumns
    {
        Vector256<double> At(int i);
    }

    /// <summary>Four rows <c>si</c> bytes apart, one element of each per lane.</summary>
    private readonly struct Gathered : IColumns
    {
        private readonly double* _x0, _x1, _x2, _x3;
        public Gathered(byte* xp, long si) { _x0 = (double*)xp; _x1 = (double*)(xp + si); _x2 = (double*)(xp + 2 * si); _x3 = (double*)(xp + 3 * si); }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> At(int i) => Vector256.Create(_x0[i], _x1[i], _x2[i], _x3[i]);
    }

    /// <summary>Four rows already transposed: element i of each at 4i.</summary>
    private readonly struct Columns : IColumns
    {
        private readonly double* _t;
        public Columns(double* t) => _t = t;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> At(int i) => Vector256.Load(_t + 4 * i);
    }

    /// <summary><see cref="TryShort"/>'s σ = 2^(2e+2) per lane from the largest magnitudes' bits; false when some lane's
    /// exponent is outside the fast range (or NaN/∞).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Sigma(Vector256<ulong> mb, out Vector256<double> sigma)
    {
        var be = (mb >> 52).AsInt64();
        sigma = ((be + be - Vector256.Create(1021L)) << 52).AsDouble();
        return Vector256.GreaterThanOrEqualAll(be, Vector256.Create(1023L - 450)) && Vector256.LessThanOrEqualAll(be, Vector256.Create(1023L + 450));
    }

    /// <summary><see cref="TryShort"/>'s fold and root, lane-wise, stored into four outputs; false (nothing stored) when
    /// some lane's sum is not positive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryStore(Vector256<double> a, Vector256<double> l, Vector256<double> sigma, byte* op, long so)
    {
        Vector256<double> hi = Vector256<double>.Zero, lo = Vector256<double>.Zero;
        AddDD(ref hi, ref lo, a, l);
        AddDD(ref hi, ref lo, -sigma, Vector256<double>.Zero);
        if (!Vector256.GreaterThanAll(hi, Vector256<double>.Zero)) return false;
        var h = hi + lo;
        var ll = lo - (h - hi);
        var r = Vector256.Sqrt(h);
        var c = (Vector256.FusedMultiplyAdd(-r, r, h) + ll) / (r + r);
        Store4(r + c, op, so);
        return true;
    }

    /// <summary><see cref="DD.Add"/> lane-wise, operation for operation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddDD(ref Vector256<double> hi, ref Vector256<double> lo, Vector256<double> bh, Vector256<double> bl)
    {
        var s = hi + bh;
        var bb = s - hi;
        var e = (hi - (s - bb)) + (bh - bb);
        e += lo + bl;
        hi = s + e;
        lo = e - (hi - s);
    }

    private const ulong AbsMask = 0x7FFF_FFFF_FFFF_FFFFUL;

    /// <summary>Rows shorter than this take <see cref="TryShort"/> (and <see cref="Four"/>); from here on
    /// <see cref="LongRow"/> (its minimum length).</summary>
    internal const int ShortMax = LongRow.MinLength;

    /// <summary>The 2-norm of n &lt; <see cref="ShortMax"/> doubles when max |x| = 2^e·m with −450 ≤ e ≤ 450 (and no
    /// NaN/∞), from one offset lane σ = 2^(2e+2) (σ &gt; every x², so each fma update is error-free recoverable,
    /// a − σ is exact as a double-double) and the √ correction of <see cref="SumSquares.Sqrt"/>. For n &lt; 8 these
    /// are the operations, in order, of <see cref="SumSquares.AddBlock"/> (short-block path, scalar lane) followed by
    /// <see cref="SumSquares.Sqrt"/> and <see cref="Rounding.ToDouble"/> with exponent 0: the block kernel's bits.
    /// For 8 ≤ n &lt; 64 the block kernel instead scans for the maximum and adds groups of eight to its vector lanes;
    /// the one lane's total is within n²·2⁻¹⁰⁴ ≤ 2⁻⁹² of the exact sum (the plainly summed fma errors are
    /// the only rounding), so the rounded root is the same correctly rounded value. The 1-D path
    /// (<see cref="VectorNorms"/>) takes this function for the same n, so a row and the same vector alone agree.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryShort(double* x, int n, out double result)
    {
        result = 0;
        ulong mb = 0;
        for (int i = 0; i < n; i++)
        {
            ulong b = BitConverter.DoubleToUInt64Bits(x[i]) & AbsMask;
            if (b > mb) mb = b;
        }
        // Biased exponent of max |x| within [1023 − 450, 1023 + 450]: finite, normal, no NaN/∞.
        int be = (int)(mb >> 52);
        if (be < 1023 - 450 || be > 1023 + 450) return false;
        int e = be - 1023;
        double sigma = BitConverter.UInt64BitsToDouble((ulong)(2 * e + 2 + 1023) << 52);
        double a = sigma, l = 0;
        for (int i = 0; i < n; i++)
        {
            double v = x[i];
            double nw = Math.FusedMultiplyAdd(v, v, a);
            l += Math.FusedMultiplyAdd(v, v, a - nw);
            a = nw;
        }
        double hi = 0, lo = 0;
        DD.Add(ref hi, ref lo, a, l);
        DD.Add(ref hi, ref lo, -sigma, 0);
        if (!(hi > 0)) return false; // cannot happen with max |x| ≥ 2^-450; keep the general path's semantics
        double h = DD.FastTwoSum(hi, lo, out double ll);
        double r = Math.Sqrt(h);
        double c = (Math.FusedMultiplyAdd(-r, r, h) + ll) / (2 * r);
        result = r + c;
        return true;
    }
}
