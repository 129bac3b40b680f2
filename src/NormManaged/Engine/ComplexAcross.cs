using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>complex128 ord 1, 0.5 and ∞ over an axis whose outputs are adjacent in memory but whose reduced axis is not
/// (C-order axis=0, Fortran-order axis=1): one SIMD lane per output, a group of 8 (or 4) adjacent outputs walked down
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
/// so sums below 2⁻¹⁰⁰ go alone (through ComplexPowNorm).
///
/// Ord ∞: the screen of <see cref="Complex128Max"/> per lane in one pass: s = fl(fl(re²) + im²) (FMA) with the running
/// top T, the row of the top, and a flag set whenever two values come within the screen's slack of each other
/// (s ≥ T·(1 − 2⁻⁴⁸) and T ≥ s·(1 − 2⁻⁴⁸)). Unflagged, the top's element is the only candidate Complex128Max would
/// evaluate (its argument: the true maximum's s is within the slack of the final top), so max |z| is its exact
/// magnitude (<see cref="Ext.Hypot"/>) rounded once — the bits Complex128Max stores for the same line held
/// contiguously; flagged, the column's candidates are evaluated as Complex128Max does. NaN, a top outside
/// [2⁻¹⁰⁰⁰, 2¹⁰⁰⁰] or zero: the output is recomputed alone by the block driver.</summary>
internal static unsafe class ComplexAcross
{
    /// <summary>Longest reduction taken (keeps the summed error bounds above far below 2⁻⁸⁰).</summary>
    private const long MaxInner = 1L << 24;

    /// <summary>Rows per chunk of the ord-1 sums.</summary>
    private const int ChunkRows = 64;

    /// <summary>Total elements from which groups are split over threads (a term costs ~10 vector operations).</summary>
    private const long ParallelElements = 1L << 16;

    private static readonly double SumMin = Math.ScaleB(1.0, -300), RootSumMin = Math.ScaleB(1.0, -100);

    public static bool Applies(ReductionPlan plan, DType t, double p)
        => t == DType.Complex128 && (p is 1 or 0.5 || double.IsPositiveInfinity(p)) && Avx2.IsSupported && Fma.IsSupported
           && plan.InnerShape.Length == 1 && plan.OuterShape.Length == 1 && plan.OuterInStrides[0] == 16
           && plan.InnerStrides[0] != 16 && plan.OuterCount >= 4 && plan.InnerCount >= 2 && plan.InnerCount <= MaxInner;

    public static FpEvents Run(ReductionPlan plan, byte* x, byte* o, DType ot, double p)
    {
        long outs = plan.OuterCount, n = plan.InnerCount, s = plan.InnerStrides[0];
        bool sum = p != double.PositiveInfinity, half = p == 0.5;
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
                for (int g = g0; g < g1; g++)
                {
                    long k = Math.Min((long)g * w, outs - w); // the last group overlaps the previous one
                    byte* c = (byte*)cb + 16 * k;
                    double* d = (double*)rb + 3 * k;
                    if (w == 8)
                    {
                        if (half) Sum8<RootTerm>(c, s, n, d); else if (sum) Sum8<AbsTerm>(c, s, n, d); else Max8(c, s, n, d);
                    }
                    else if (half) Sum4<RootTerm>(c, s, n, d);
                    else if (sum) Sum4<AbsTerm>(c, s, n, d);
                    else Max4(c, s, n, d);
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
                byte* c = col0 + 16 * k;
                if (sum)
                {
                    if (!(flag == 0 && a >= (half ? RootSumMin : SumMin) && a <= double.MaxValue)) ev |= Alone(c, s, n, dst, ot, p);
                    else if (half) ev |= ResultWriter.Store(ot, dst, GeneralNorm.Root(a, b, 0, p, new Ext(1, 0, 0)));
                    else ev |= FastFinish.Store(ot, dst, a, b, false);
                    continue;
                }
                if (flag == 1 || !(a >= Complex128Max.Lo && a <= Complex128Max.Hi)) { ev |= Alone(c, s, n, dst, ot, p); continue; }
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

    /// <summary>One output's line through the 1-D path (its bits and numpy's special-value rules).</summary>
    private static FpEvents Alone(byte* c, long s, long n, byte* dst, DType ot, double p)
        => p == 0.5 ? ComplexPowNorm.Run(ReductionPlan.Run(n, s), c, DType.Complex128, p, dst, ot)
                    : BlockDriver.Run<ComplexAbsOp, ComplexAcc>(ReductionPlan.Run(n, s), c, DType.Complex128, dst, ot, new ComplexAbsOp(p == 1));

    /// <summary>The real and imaginary parts of the 8 complex values at <paramref name="q"/>, in order (the permute
    /// indices are built here, not read from static fields, whose class-initialisation check inside a loop made the
    /// register allocator keep every accumulator on the stack).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<double> Re, Vector512<double> Im) Load8(double* q)
    {
        var u = Vector512.Load(q); var v = Vector512.Load(q + 8);
        return (Avx512F.PermuteVar8x64x2(u, Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14), v),
                Avx512F.PermuteVar8x64x2(u, Vector512.Create(1L, 3, 5, 7, 9, 11, 13, 15), v));
    }

    /// <summary>The real and imaginary parts of the 4 complex values at <paramref name="q"/>, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> Re, Vector256<double> Im) Load4(double* q)
    {
        var u = Vector256.Load(q); var v = Vector256.Load(q + 4);
        return (Avx2.Permute4x64(Avx.UnpackLow(u, v), 0xD8), Avx2.Permute4x64(Avx.UnpackHigh(u, v), 0xD8));
    }

    /// <summary>A term of the sums as hi + lo, in two widths with the same operations per lane.</summary>
    private interface ITerm
    {
        static abstract Vector512<double> Of(Vector512<double> re, Vector512<double> im, out Vector512<double> lo);
        static abstract Vector256<double> Of(Vector256<double> re, Vector256<double> im, out Vector256<double> lo);
    }

    /// <summary>|z| = sq + (r2 + hl)·hr (<see cref="CAbsTerm"/>'s root).</summary>
    private readonly struct AbsTerm : ITerm
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Of(Vector512<double> re, Vector512<double> im, out Vector512<double> lo)
        {
            var hh = ComplexMag.Square(re, im, out var hl);
            var sq = HalfSqrt.Sqrt(hh, out var r2, out var hr);
            lo = (r2 + hl) * hr;
            return sq;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Of(Vector256<double> re, Vector256<double> im, out Vector256<double> lo)
        {
            var hh = ComplexMag.Square(re, im, out var hl);
            var sq = HalfSqrt.Sqrt(hh, out var r2, out var hr);
            lo = (r2 + hl) * hr;
            return sq;
        }
    }

    /// <summary>√|z| = s2 + (r2' + c)·hr' with |z| = sq + c (<see cref="CSqrtTerm"/>'s roots).</summary>
    private readonly struct RootTerm : ITerm
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Of(Vector512<double> re, Vector512<double> im, out Vector512<double> lo)
        {
            var sq = AbsTerm.Of(re, im, out var c);
            var s2 = HalfSqrt.Sqrt(sq, out var r2, out var hr);
            lo = (r2 + c) * hr;
            return s2;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Of(Vector256<double> re, Vector256<double> im, out Vector256<double> lo)
        {
            var sq = AbsTerm.Of(re, im, out var c);
            var s2 = HalfSqrt.Sqrt(sq, out var r2, out var hr);
            lo = (r2 + c) * hr;
            return s2;
        }
    }

    /// <summary>Σ term of 8 adjacent outputs into d[3j] (hi), d[3j + 1] (lo), d[3j + 2] (flag).</summary>
    private static void Sum8<T>(byte* c, long s, long n, double* d) where T : struct, ITerm
    {
        Vector512<double> h = default, l = default;
        for (long r0 = 0; r0 < n; r0 += ChunkRows)
        {
            long r1 = Math.Min(n, r0 + ChunkRows);
            Vector512<double> a = default, e = default;
            for (long r = r0; r < r1; r++)
            {
                Ahead(c + (r + Distance) * s, 128);
                var (re, im) = Load8((double*)(c + r * s));
                var sq = T.Of(re, im, out var cl);
                var nw = a + sq; var bb = nw - a;
                e += ((a - (nw - bb)) + (sq - bb)) + cl;
                a = nw;
            }
            var t = h + a; var tb = t - h;
            var f = ((h - (t - tb)) + (a - tb)) + (l + e);
            h = t + f; l = f - (h - t);
        }
        for (int j = 0; j < 8; j++) Put(d, j, h.GetElement(j), l.GetElement(j), 0);
    }

    /// <summary><see cref="Sum8{T}"/> for 4 outputs (the same operations per lane).</summary>
    private static void Sum4<T>(byte* c, long s, long n, double* d) where T : struct, ITerm
    {
        Vector256<double> h = default, l = default;
        for (long r0 = 0; r0 < n; r0 += ChunkRows)
        {
            long r1 = Math.Min(n, r0 + ChunkRows);
            Vector256<double> a = default, e = default;
            for (long r = r0; r < r1; r++)
            {
                Ahead(c + (r + Distance) * s, 64);
                var (re, im) = Load4((double*)(c + r * s));
                var sq = T.Of(re, im, out var cl);
                var nw = a + sq; var bb = nw - a;
                e += ((a - (nw - bb)) + (sq - bb)) + cl;
                a = nw;
            }
            var t = h + a; var tb = t - h;
            var f = ((h - (t - tb)) + (a - tb)) + (l + e);
            h = t + f; l = f - (h - t);
        }
        for (int j = 0; j < 4; j++) Put(d, j, h.GetElement(j), l.GetElement(j), 0);
    }

    /// <summary>The screened top of 8 adjacent outputs into d[3j] (top), d[3j + 1] (its row), d[3j + 2] (flag).</summary>
    private static void Max8(byte* c, long s, long n, double* d)
    {
        Vector512<double> top = default, row = default, nan = default, near = default, rv = default;
        var slack = Vector512.Create(Complex128Max.Slack); var one = Vector512.Create(1.0);
        for (long r = 0; r < n; r++, rv += one)
        {
            Ahead(c + (r + Distance) * s, 128);
            var (re, im) = Load8((double*)(c + r * s));
            var sv = Vector512.FusedMultiplyAdd(im, im, re * re);
            nan |= ~Vector512.Equals(sv, sv);
            near |= Vector512.GreaterThanOrEqual(sv, top * slack) & Vector512.GreaterThanOrEqual(top, sv * slack)
                    & Vector512.GreaterThan(sv, Vector512<double>.Zero);
            var gt = Vector512.GreaterThan(sv, top);
            top = Vector512.ConditionalSelect(gt, sv, top);
            row = Vector512.ConditionalSelect(gt, rv, row);
        }
        for (int j = 0; j < 8; j++)
            Put(d, j, top.GetElement(j), row.GetElement(j), nan.GetElement(j) != 0 ? 1 : near.GetElement(j) != 0 ? 2 : 0);
    }

    /// <summary><see cref="Max8"/> for 4 outputs (the same operations per lane).</summary>
    private static void Max4(byte* c, long s, long n, double* d)
    {
        Vector256<double> top = default, row = default, nan = default, near = default, rv = default;
        var slack = Vector256.Create(Complex128Max.Slack); var one = Vector256.Create(1.0);
        for (long r = 0; r < n; r++, rv += one)
        {
            Ahead(c + (r + Distance) * s, 64);
            var (re, im) = Load4((double*)(c + r * s));
            var sv = Vector256.FusedMultiplyAdd(im, im, re * re);
            nan |= ~Vector256.Equals(sv, sv);
            near |= Vector256.GreaterThanOrEqual(sv, top * slack) & Vector256.GreaterThanOrEqual(top, sv * slack)
                    & Vector256.GreaterThan(sv, Vector256<double>.Zero);
            var gt = Vector256.GreaterThan(sv, top);
            top = Vector256.ConditionalSelect(gt, sv, top);
            row = Vector256.ConditionalSelect(gt, rv, row);
        }
        for (int j = 0; j < 4; j++)
            Put(d, j, top.GetElement(j), row.GetElement(j), nan.GetElement(j) != 0 ? 1 : near.GetElement(j) != 0 ? 2 : 0);
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
        if (bytes == 128) Sse.Prefetch0(p + 64);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(double* d, int j, double a, double b, double flag)
    {
        d[3 * j] = a; d[3 * j + 1] = b; d[3 * j + 2] = flag;
    }
}
