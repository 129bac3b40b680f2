using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>A SIMD lane per output: complex128 ord 1, 0.5 and ∞, float64 ord 0.5 and −1, float32 ord −1 over an axis
/// whose outputs are adjacent in memory but whose reduced axis is not (C-order axis=0, Fortran-order axis=1), and the
/// same sums over short lines that are not adjacent once <see cref="Gather"/> has copied eight of them side by side:
/// one SIMD lane per output, a group of 8 (or 4) adjacent outputs walked down
/// the reduced axis with its accumulators in registers, groups split over threads. Each output is a function of its own
/// column only (the last group overlaps the previous one instead of having a scalar tail: a lane recomputes the same
/// bits), so results do not depend on the width, the group or the thread.
///
/// Ord 1: |z| = sq + (r2 + hl)·hr from |z|² = hh + hl (<see cref="ComplexMag"/>) and the FMA-only root of
/// <see cref="HalfSqrt"/> (≈ 2⁻⁸⁶ relative, the vector kernel's term); terms added by TwoSum into a double-double per
/// 64-row chunk, chunks folded into the output's double-double (≈ 2⁻⁸⁵ overall), rounded once: the correctly rounded
/// Σ|z| but within ~2⁻⁸⁵ of a rounding midpoint, i.e. the value the 1-D kernels give (within 2⁻⁷² of the exact sum,
/// correctly rounded). NaN, ∞ or a square that overflows make the sum NaN or ∞; tiny terms (|z|² &lt; 2⁻⁹⁰⁰, where the
/// squares lose bits) are off by less than 2⁻⁵⁰⁹ each, negligible against a sum ≥ 2⁻³⁰⁰; an output whose sum is not
/// finite, smaller, or zero is recomputed alone by the block driver (the 1-D path, numpy's special-value rules).
/// Ord 0.5 sums √|z| = s2 + (r2' + c)·hr' the same way (the second root of <see cref="CSqrtTerm"/>) and takes
/// <see cref="GeneralNorm.Root"/> of the sum, as <see cref="ComplexPowNorm"/> does; a tiny |z| may be off by 2⁻²⁵⁵ in √|z|,
/// so sums below 2⁻¹⁰⁰ go alone (through ComplexPowNorm). float64 ord 0.5 takes the same sums of √|x| (|x| exact, so
/// the root's low part is r2·hr alone); its lone outputs go through the real p-norm block op.
///
/// Ord ∞: the screen of <see cref="Complex128Max"/> per lane in one pass: s = fl(fl(re²) + im²) (FMA) with the running
/// top T, the row of the top, and a flag set whenever two values come within the screen's slack of each other
/// (s ≥ T·(1 − 2⁻⁴⁸) and T ≥ s·(1 − 2⁻⁴⁸)). Unflagged, the top's element is the only candidate Complex128Max would
/// evaluate (its argument: the true maximum's s is within the slack of the final top), so max |z| is its exact
/// magnitude (<see cref="Ext.Hypot"/>) rounded once — the bits Complex128Max stores for the same line held
/// contiguously; flagged, the column's candidates are evaluated as Complex128Max does. NaN, a top outside
/// [2⁻¹⁰⁰⁰, 2¹⁰⁰⁰] or zero: the output is recomputed alone by the block driver.</summary>
internal static unsafe class LaneAcross
{
    /// <summary>Longest reduction taken (keeps the summed error bounds above far below 2⁻⁸⁰).</summary>
    private const long MaxInner = 1L << 24;

    /// <summary>Rows per chunk of the ord-1 sums.</summary>
    private const int ChunkRows = 64;

    /// <summary>Total elements from which groups are split over threads (a term costs ~10 vector operations).</summary>
    private const long ParallelElements = 1L << 14; // 1–3 ns a term: ≥ 16 µs of work per call

    private static readonly double SquareMax = Math.ScaleB(1.0, 500), RecipSumMax = Math.ScaleB(1.0, 1000);
    private static readonly double SumMin = Math.ScaleB(1.0, -300), RootSumMin = Math.ScaleB(1.0, -100);

    public static bool Applies(ReductionPlan plan, DType t, double p)
    {
        int es = ElementSize(t, p);
        if (es == 0 || !Avx2.IsSupported || !Fma.IsSupported || plan.InnerShape.Length != 1 || plan.OuterShape.Length != 1
            || plan.InnerCount < 2 || plan.InnerCount > MaxInner) return false;
        if (plan.OuterInStrides[0] == es && t != DType.Float32) return plan.InnerStrides[0] != es && plan.OuterCount >= 4;
        // ord 0.5 of short lines that are not side by side (rows of a C-order matrix, strided views): each group's
        // lines are first copied side by side into a small buffer, then summed exactly as adjacent lines are
        return p is 0.5 or -1 && plan.OuterCount >= 8 && plan.InnerCount <= (p == -1 ? MaxGatheredRecip : MaxGathered);
    }

    /// <summary>Longest line gathered for ord 0.5 (eight complex lines of it: 32 KB of stack); longer contiguous lines
    /// measured faster on the 1-D kernel (float64 rows of 300: 1.57× → 1.21× NumPy when gathered).</summary>
    private const int MaxGathered = 256;

    /// <summary>Longest float64 line gathered for ord −1 (32 KB): rows of 300 gain (0.70× → 1.19×), rows of 1000
    /// lose (1.49× → 0.78×) against the 1-D path.</summary>
    private const int MaxGatheredRecip = 512;

    /// <summary>Bytes per element of the dtypes and orders taken (float64 ord 0.5: the same √ term and sums with
    /// |x| exact in place of |z|; float64 ord −1: 1/|x| as a double-double term, the root 1/S a double-double
    /// quotient), else 0.</summary>
    private static int ElementSize(DType t, double p)
        => t == DType.Complex128 && (p is 1 or 0.5 || double.IsPositiveInfinity(p)) ? 16
         : t == DType.Float64 && p is 0.5 or -1 ? 8
         : t == DType.Float32 && p == -1 ? 4 : 0; // float32 0.5 rows measured faster on RowsWide (0.57× vs 0.35×)

    /// <summary>Relative margin a float32 result must keep from every rounding midpoint to be stored from the lanes'
    /// double-double (accurate to ≈ 2⁻⁸⁵): it is then the unique correctly rounded float32, i.e. the 1-D path's.</summary>
    private static readonly double NarrowMargin = Math.ScaleB(1.0, -70);

    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p)
    {
        long outs = plan.OuterCount, n = plan.InnerCount, s = plan.InnerStrides[0];
        bool sum = p != double.PositiveInfinity, half = p == 0.5, recip = p == -1, real = t is DType.Float64 or DType.Float32;
        int es = ElementSize(t, p);
        long ois = plan.OuterInStrides[0];
        bool gathered = ois != es || t == DType.Float32; // float32 lines are widened as they are gathered
        int w = RealKernels.Wide && outs >= 8 ? 8 : 4;
        int groups = (int)((outs + w - 1) / w);
        // per output: (hi, lo, flag) of the sum, or (top, row, flag) of the maximum; flag: 1 = alone, 2 = candidates
        var res = new double[3 * outs];
        byte* col0 = x + plan.InnerBaseOffset;
        fixed (double* r = res)
        {
            nint cb = (nint)col0, rb = (nint)r;
            void Groups(int g0, int g1)
            {
                double* buf = stackalloc double[gathered ? (int)n * w * (es == 16 ? 2 : 1) : 0];
                for (int g = g0; g < g1; g++)
                {
                    long k = Math.Min((long)g * w, outs - w); // the last group overlaps the previous one
                    byte* c = (byte*)cb + ois * k;
                    long cs = s;
                    if (gathered)
                    {
                        Gather(c, ois, s, n, w, es, buf);
                        c = (byte*)buf; cs = (long)w * (es == 16 ? 16 : 8);
                    }
                    double* d = (double*)rb + 3 * k;
                    if (real)
                    {
                        if (recip)
                        {
                            if (w == 8) Sum<Lanes512, RecipTerm>(c, cs, n, d); else Sum<Lanes256, RecipTerm>(c, cs, n, d);
                        }
                        else if (w == 8) Sum<Lanes512, RealRootTerm>(c, cs, n, d);
                        else Sum<Lanes256, RealRootTerm>(c, cs, n, d);
                    }
                    else if (w == 8)
                    {
                        if (half) Sum<Lanes512, RootTerm>(c, cs, n, d); else if (sum) Sum<Lanes512, AbsTerm>(c, cs, n, d); else Max<Lanes512>(c, cs, n, d);
                    }
                    else if (half) Sum<Lanes256, RootTerm>(c, cs, n, d);
                    else if (sum) Sum<Lanes256, AbsTerm>(c, cs, n, d);
                    else Max<Lanes256>(c, cs, n, d);
                }
            }
            int threads = Parallelism.MaxThreads;
            if (threads > 1 && groups > 1 && outs * n >= ParallelElements)
            {
                int parts = Math.Min(groups, 4 * threads);
                Parallelism.ForParts(parts, threads, q => { Groups(groups * q / parts, groups * (q + 1) / parts); return FpEvents.None; });
            }
            else Groups(0, groups);
            var ev = FpEvents.None;
            long os = plan.OuterOutStrides[0];
            for (long k = 0; k < outs; k++)
            {
                double a = r[3 * k], b = r[3 * k + 1], flag = r[3 * k + 2];
                byte* dst = o + k * os;
                byte* c = col0 + ois * k;
                if (sum)
                {
                    if (!(flag == 0 && a >= (half ? RootSumMin : SumMin) && a <= (recip ? RecipSumMax : double.MaxValue)))
                        ev |= Alone(c, s, n, dst, t, ot, p);
                    else if (recip || (half && a <= SquareMax))
                    {
                        // 1/S or S² as one double-double quotient or product: GeneralNorm.Root's p = −1 / 0.5 branch
                        // without its exponent bookkeeping (S ∈ [2⁻³⁰⁰, 2¹⁰⁰⁰] for 1/S, S ∈ [2⁻¹⁰⁰, 2⁵⁰⁰] for S²: no
                        // overflow, and the low parts stay normal)
                        double qh = recip ? DD.Div(1, 0, a, b, out double ql) : DD.Mul(a, b, a, b, out ql);
                        ev |= Store(qh, ql, c, s, n, dst, t, ot, p);
                    }
                    else if (half) ev |= StoreHalf(GeneralNorm.Root(a, b, 0, p, new Ext(1, 0, 0)), c, s, n, dst, t, ot, p); // float64/complex128 only
                    else ev |= FastFinish.Store(ot, dst, a, b, false);
                    continue;
                }
                if (flag == 1 || !(a >= Complex128Max.Lo && a <= Complex128Max.Hi)) { ev |= Alone(c, s, n, dst, t, ot, p); continue; }
                Ext best = Ext.Zero;
                if (flag == 0)
                {
                    double* z = (double*)(c + (long)b * s);
                    Complex128Max.Consider(z[0], z[1], ref best);
                }
                else
                {
                    double thr = a * Complex128Max.Slack;
                    for (long i = 0; i < n; i++)
                    {
                        double* z = (double*)(c + i * s);
                        if (Math.FusedMultiplyAdd(z[1], z[1], z[0] * z[0]) >= thr) Complex128Max.Consider(z[0], z[1], ref best);
                    }
                }
                ev |= ResultWriter.Store(ot, dst, best);
            }
            return ev;
        }
    }

    /// <summary>Copies the n elements of w lines (line i at c + i·ls, element r at + r·s) side by side into buf: element r
    /// of line i at buf + (r·w + i)·8 (complex: ·16); float32 elements are widened (exactly).</summary>
    private static void Gather(byte* c, long ls, long s, long n, int w, int es, double* buf)
    {
        for (int i = 0; i < w; i++)
        {
            byte* q = c + i * ls;
            if (es == 8)
                for (long r = 0; r < n; r++) buf[r * w + i] = *(double*)(q + r * s);
            else if (es == 4)
                for (long r = 0; r < n; r++) buf[r * w + i] = *(float*)(q + r * s);
            else
                for (long r = 0; r < n; r++)
                {
                    double* z = (double*)(q + r * s);
                    buf[2 * (r * w + i)] = z[0];
                    buf[2 * (r * w + i) + 1] = z[1];
                }
        }
    }

    /// <summary>Stores a double-double root: rounded once into float64, or into float32 only when provably the correctly
    /// rounded value (else the line goes alone).</summary>
    private static FpEvents Store(double qh, double ql, byte* c, long s, long n, byte* dst, DType t, DType ot, double p)
        => ot != DType.Float32 ? (p == 0.5 && Midpoint.MaybeNear64(qh, ql, RealPowOp.TieMargin) ? StoreHalf(new Ext(qh, ql, 0), c, s, n, dst, t, ot, p)
                                                                                                : ResultWriter.Store(ot, dst, qh, ql, 0))
         : GeneralPowFast.TryStoreNarrow(new Ext(qh, ql, 0), NarrowMargin, ot, dst) ? FpEvents.None : Alone(c, s, n, dst, t, ot, p);

    /// <summary>Stores a float64 ord 0.5 root v = (H + L)·2^E (a double-double, not necessarily normalised); one within
    /// <see cref="RealPowOp.TieMargin"/> of a rounding midpoint goes alone (the 1-D path decides such real norms exactly,
    /// <see cref="RealPowOp"/>), so the lanes and the 1-D path agree without exception.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static FpEvents StoreHalf(in Ext v, byte* c, long s, long n, byte* dst, DType t, DType ot, double p)
        => t == DType.Float64 && Midpoint.Near(v.H, v.L, v.E, ot, RealPowOp.TieMargin, out _) ? Alone(c, s, n, dst, t, ot, p) : ResultWriter.Store(ot, dst, v);

    /// <summary>One output's line through the 1-D path (its bits and numpy's special-value rules).</summary>
    private static FpEvents Alone(byte* c, long s, long n, byte* dst, DType t, DType ot, double p)
        => t is DType.Float64 or DType.Float32 ? BlockDriver.Run<RealPowOp, RealKernels.PowAcc>(ReductionPlan.Run(n, s), c, t, dst, ot, new RealPowOp(p))
         : p == 0.5 ? ComplexPowNorm.Run(ReductionPlan.Run(n, s), c, DType.Complex128, p, dst, ot)
                    : BlockDriver.Run<ComplexAbsOp, ComplexAcc>(ReductionPlan.Run(n, s), c, DType.Complex128, dst, ot, new ComplexAbsOp(p == 1));

    /// <summary>A term of the sums as hi + lo, the same operations per lane at either width.</summary>
    private interface ITerm
    {
        /// <summary>Bytes per element.</summary>
        static abstract int Size { get; }

        /// <summary>The terms of the L.Count elements at <paramref name="q"/>.</summary>
        static abstract L Of<L>(double* q, out L lo) where L : struct, ILanes<L>;
    }

    /// <summary>|z| = sq + (r2 + hl)·hr (<see cref="CAbsTerm"/>'s root), through the width's own
    /// <see cref="ComplexMag"/> and <see cref="HalfSqrt"/> (the lanes types wrap the vectors, so the casts are free).</summary>
    private readonly struct AbsTerm : ITerm
    {
        public static int Size => 16;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static L Of<L>(double* q, out L lo) where L : struct, ILanes<L>
        {
            L u = L.Load(q), v = L.Load(q + L.Count);
            return Abs(L.Evens(u, v), L.Odds(u, v), out lo);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static L Abs<L>(L re, L im, out L lo) where L : struct, ILanes<L>
        {
            if (typeof(L) == typeof(Lanes512))
            {
                var hh = ComplexMag.Square(Unsafe.BitCast<L, Vector512<double>>(re), Unsafe.BitCast<L, Vector512<double>>(im), out var hl);
                var sq = HalfSqrt.Sqrt(hh, out var r2, out var hr);
                lo = Unsafe.BitCast<Vector512<double>, L>((r2 + hl) * hr);
                return Unsafe.BitCast<Vector512<double>, L>(sq);
            }
            else
            {
                var hh = ComplexMag.Square(Unsafe.BitCast<L, Vector256<double>>(re), Unsafe.BitCast<L, Vector256<double>>(im), out var hl);
                var sq = HalfSqrt.Sqrt(hh, out var r2, out var hr);
                lo = Unsafe.BitCast<Vector256<double>, L>((r2 + hl) * hr);
                return Unsafe.BitCast<Vector256<double>, L>(sq);
            }
        }
    }

    /// <summary>√|z| = s2 + (r2' + c)·hr' with |z| = sq + c (<see cref="CSqrtTerm"/>'s roots).</summary>
    private readonly struct RootTerm : ITerm
    {
        public static int Size => 16;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static L Of<L>(double* q, out L lo) where L : struct, ILanes<L>
        {
            var sq = AbsTerm.Of<L>(q, out var c);
            return Root(sq, c, out lo);
        }

        /// <summary>√(sq + c) as s2 + lo (c = 0 for an exact operand).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static L Root<L>(L sq, L c, out L lo) where L : struct, ILanes<L>
        {
            if (typeof(L) == typeof(Lanes512))
            {
                var s2 = HalfSqrt.Sqrt(Unsafe.BitCast<L, Vector512<double>>(sq), out var r2, out var hr);
                lo = Unsafe.BitCast<Vector512<double>, L>((r2 + Unsafe.BitCast<L, Vector512<double>>(c)) * hr);
                return Unsafe.BitCast<Vector512<double>, L>(s2);
            }
            else
            {
                var s2 = HalfSqrt.Sqrt(Unsafe.BitCast<L, Vector256<double>>(sq), out var r2, out var hr);
                lo = Unsafe.BitCast<Vector256<double>, L>((r2 + Unsafe.BitCast<L, Vector256<double>>(c)) * hr);
                return Unsafe.BitCast<Vector256<double>, L>(s2);
            }
        }
    }

    /// <summary>√|x| of float64 elements = s2 + r2·hr (|x| exact, so <see cref="RootTerm"/>'s root with c = 0).</summary>
    private readonly struct RealRootTerm : ITerm
    {
        public static int Size => 8;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static L Of<L>(double* q, out L lo) where L : struct, ILanes<L> => RootTerm.Root(L.Abs(L.Load(q)), L.Zero, out lo);
    }

    /// <summary>1/|x| of float64 elements = q + fma(−q, |x|, 1)·q (the residual is exact). A zero, ∞, NaN or subnormal
    /// element makes the sum NaN or ∞ (the output then goes alone); a huge element's subnormal term is off by at most
    /// 2⁻¹⁰⁷⁴, negligible against a sum ≥ 2⁻³⁰⁰.</summary>
    private readonly struct RecipTerm : ITerm
    {
        public static int Size => 8;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static L Of<L>(double* q, out L lo) where L : struct, ILanes<L>
        {
            L y = L.Abs(L.Load(q)), one = L.Create(1.0);
            L r = one / y;
            lo = L.Fma(-r, y, one) * r;
            return r;
        }
    }

    /// <summary>Σ term of L.Count adjacent outputs into d[3j] (hi), d[3j + 1] (lo), d[3j + 2] (flag 0): per lane a TwoSum
    /// double-double per chunk of rows, folded into the output's double-double.</summary>
    private static void Sum<L, T>(byte* c, long s, long n, double* d) where L : struct, ILanes<L> where T : struct, ITerm
    {
        L h = L.Zero, l = L.Zero;
        for (long r0 = 0; r0 < n; r0 += ChunkRows)
        {
            long r1 = Math.Min(n, r0 + ChunkRows);
            L a = L.Zero, e = L.Zero;
            for (long r = r0; r < r1; r++)
            {
                Ahead(c + (r + Distance) * s, T.Size * L.Count);
                var t = T.Of<L>((double*)(c + r * s), out var tl);
                var nw = a + t; var bb = nw - a;
                e += ((a - (nw - bb)) + (t - bb)) + tl;
                a = nw;
            }
            var sum = h + a; var sb = sum - h;
            var f = ((h - (sum - sb)) + (a - sb)) + (l + e);
            h = sum + f; l = f - (h - sum);
        }
        for (int j = 0; j < L.Count; j++) Put(d, j, h[j], l[j], 0);
    }

    /// <summary>The screened top of L.Count adjacent outputs into d[3j] (top), d[3j + 1] (its row), d[3j + 2] (flag).</summary>
    private static void Max<L>(byte* c, long s, long n, double* d) where L : struct, ILanes<L>
    {
        L top = L.Zero, row = L.Zero, nan = L.Zero, near = L.Zero, rv = L.Zero;
        L slack = L.Create(Complex128Max.Slack), one = L.Create(1.0);
        for (long r = 0; r < n; r++, rv += one)
        {
            Ahead(c + (r + Distance) * s, 16 * L.Count);
            double* q = (double*)(c + r * s);
            L u = L.Load(q), v = L.Load(q + L.Count);
            L re = L.Evens(u, v), im = L.Odds(u, v);
            var sv = L.Fma(im, im, re * re);
            nan |= ~L.Equal(sv, sv);
            near |= L.GreaterThanOrEqual(sv, top * slack) & L.GreaterThanOrEqual(top, sv * slack) & L.GreaterThan(sv, L.Zero);
            var gt = L.GreaterThan(sv, top);
            top = L.Select(gt, sv, top);
            row = L.Select(gt, rv, row);
        }
        for (int j = 0; j < L.Count; j++)
            Put(d, j, top[j], row[j], BitConverter.DoubleToUInt64Bits(nan[j]) != 0 ? 1 : BitConverter.DoubleToUInt64Bits(near[j]) != 0 ? 2 : 0);
    }

    /// <summary>Rows prefetched ahead of the walk down the reduced axis: its stride is usually beyond the hardware's
    /// stride prefetcher (rows of a C-order matrix are kilobytes apart), and a group reads only 64–128 bytes a row.</summary>
    private const int Distance = 12;

    /// <summary>Prefetches the <paramref name="bytes"/> (64 or 128) a group reads at <paramref name="p"/> (and the line a
    /// misaligned group also touches). A prefetch never faults, so running past the data is harmless.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Ahead(byte* p, int bytes)
    {
        Sse.Prefetch0(p);
        Sse.Prefetch0(p + bytes - 1);
        if (bytes > 64) Sse.Prefetch0(p + 64);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(double* d, int j, double a, double b, double flag)
    {
        d[3 * j] = a; d[3 * j + 1] = b; d[3 * j + 2] = flag;
    }
}
