using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Many short contiguous rows (<c>axis=-1</c>, stacks of small matrices with <c>axis=(-2, -1)</c>) for the
/// pairs the float64 <see cref="SmallRows"/> does not take: float32 with p = 2, 1, 3, 0.5, 0, −1 and the complex128
/// 2-norm. One tight loop over the rows, threads over rows for big calls.
///
/// float32: a row is spread over the eight lanes of an <see cref="IColumnOp"/> state (a last partial chunk through a
/// zero-padded copy: zeros add nothing, and the zero count is taken against the padded length), the lanes folded,
/// and the result stored only when the op's rounding test proves it correctly rounded (the unique value the exact
/// path also gives); otherwise the row goes alone through <see cref="VectorNorms.Compute"/>. A term passes through at
/// most ⌈n/8⌉ + 4 additions.
///
/// complex128: Σ re² + im² over a row of n complex numbers is the float64 sum of squares of its 2n doubles, so the
/// row's norm is the float64 2-norm of those doubles, which <see cref="SmallRows"/> returns correctly rounded
/// (<see cref="SmallRows.TryShort"/>, <see cref="LongRow.TryNorm"/> or the block kernel) — the value the complex path
/// returns alone (correctly rounded too, tested bit-exact against big-integer references).</summary>
internal static unsafe class RowsWide
{
    /// <summary>Longest row taken: beyond it the per-row paths (threads inside a row, wider lanes) are as good.</summary>
    private const long MaxRow = 4096;

    public static bool Applies(ReductionPlan plan, DType t, DType ot, double p)
    {
        if (plan.InnerShape.Length != 1 || plan.OuterCount < 2 || plan.InnerCount < 1 || plan.InnerCount > MaxRow
            || !Vector256.IsHardwareAccelerated)
            return false;
        if (t == DType.Float32)
            return ot == DType.Float32 && plan.InnerStrides[0] == 4 && (p is 2 or 1 or 3 or 0.5 or 0 || (p == -1 && Avx.IsSupported && Fma.IsSupported));
        return t == DType.Complex128 && ot == DType.Float64 && p == 2 && plan.InnerStrides[0] == 16
               && 2 * plan.InnerCount <= DoubleBlocks.BlockElements;
    }

    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p)
    {
        if (t == DType.Complex128) return ComplexAsDoubles(plan, x, o);
        if (p is 2 or 1 && plan.OuterShape.Length == 1 && plan.InnerCount <= EightMax)
            return Threads(plan, x, t, o, ot, p, p == 2 ? &Eight<EightSquares> : &Eight<EightAbs>);
        if (p is 0.5 or -1 && plan.OuterShape.Length == 1 && Avx.IsSupported)
            return Threads(plan, x, t, o, ot, p, p == 0.5 ? &Quads<QuadRoots> : &Quads<QuadRecips>);
        return p switch
        {
            2 => Threads(plan, x, t, o, ot, p, &Rows<F32Squares>),
            1 => Threads(plan, x, t, o, ot, p, &Rows<F32Abs>),
            3 => Threads(plan, x, t, o, ot, p, &Rows<F32Cubes>),
            0.5 => Threads(plan, x, t, o, ot, p, &Rows<F32Roots>),
            -1 => Threads(plan, x, t, o, ot, p, &RecipRows),
            _ => Threads(plan, x, t, o, ot, p, &Rows<F32Count>),
        };
    }

    private static FpEvents Threads(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p,
        delegate*<ReductionPlan, byte*, DType, byte*, DType, double, long, long, FpEvents> body)
    {
        long outer = plan.OuterCount;
        int threads = Parallelism.MaxThreads;
        if (threads > 1 && outer * plan.InnerCount >= BlockDriver.ParallelThreshold)
        {
            nint xb = (nint)x, ob = (nint)o, fb = (nint)body;
            return Parallelism.ForOutputRanges(outer, threads, (lo, n) =>
                ((delegate*<ReductionPlan, byte*, DType, byte*, DType, double, long, long, FpEvents>)fb)(plan, (byte*)xb, t, (byte*)ob, ot, p, lo, n));
        }
        return body(plan, x, t, o, ot, p, 0, outer);
    }

    private static FpEvents Rows<TOp>(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p, long start, long count)
        where TOp : struct, IColumnOp
    {
        long n = plan.InnerCount, full = n & ~7L, padded = (n + 7) & ~7L;
        int rest = (int)(n - full);
        long chain = padded / 8 + 4;
        byte* pad = stackalloc byte[32];
        new Span<byte>(pad, 32).Clear();
        var st = stackalloc Vector256<double>[2];
        var tailMask = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(rest)).AsSingle();
        var ev = FpEvents.None;
        var it = new OuterIterator(plan, x, o, start, count);
        while (it.Next(out byte* xp, out byte* dst))
        {
            byte* row = xp + plan.InnerBaseOffset;
            Lanes<TOp>(row, full, rest, tailMask, pad, out var a0, out var a1);
            TOp.Fold(ref a0, ref a1);
            st[0] = a0; st[1] = a1;
            if (!TOp.Finish((byte*)st, 0, padded, chain, dst, ot))
                ev |= AcrossOutputsWide.Alone(row, t, n, 4, dst, ot, p);
        }
        return ev;
    }

    /// <summary>float32 ord −1 of contiguous rows: a row spread over eight double lanes of
    /// <see cref="LaneAcross.SingleRecipTerms"/> (a last partial chunk masked: no access past the row, its missing
    /// terms zero), the lanes added, and 1/S stored by <see cref="LaneAcross.TryStoreSingleRecip"/> when provably the
    /// correctly rounded float32 (a term passes through ⌈n/8⌉ + 3 additions), else the row goes alone.</summary>
    private static FpEvents RecipRows(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p, long start, long count)
    {
        long n = plan.InnerCount, full = n & ~7L;
        int rest = (int)(n - full);
        long chain = (n + 7) / 8 + 3;
        var tailMask = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(rest));
        var (m0, m1) = Vector256.Widen(tailMask);
        var ev = FpEvents.None;
        var it = new OuterIterator(plan, x, o, start, count);
        while (it.Next(out byte* xp, out byte* dst))
        {
            float* row = (float*)(xp + plan.InnerBaseOffset);
            if (!LaneAcross.TryStoreSingleRecip(Vector256.Sum(RecipLanes(row, full, rest, tailMask, m0, m1)), chain, dst))
                ev |= AcrossOutputsWide.Alone((byte*)row, t, n, 4, dst, ot, p);
        }
        return ev;
    }

    /// <summary>A row's terms in <typeparamref name="TOp"/>'s two accumulators: its full 8-element chunks, then a
    /// last partial chunk zero-padded in <paramref name="pad"/> (32 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Lanes<TOp>(byte* row, long full, int rest, Vector256<float> tailMask, byte* pad,
        out Vector256<double> a0, out Vector256<double> a1) where TOp : struct, IColumnOp
    {
        TOp.Init(out a0, out a1);
        for (long i = 0; i < full; i += 8) TOp.Add(ref a0, ref a1, row + 4 * i);
        if (rest != 0)
        {
            // a masked load (no access past the row) stored whole: a narrower copy into the pad stalled the
            // following 32-byte load on store forwarding (~65 ns a row)
            if (Avx.IsSupported) Avx.MaskLoad((float*)(row + 4 * full), tailMask).Store((float*)pad);
            else Buffer.MemoryCopy(row + 4 * full, pad, 32, 4 * rest);
            TOp.Add(ref a0, ref a1, pad);
        }
    }

    /// <summary>The ord −1 terms of a row, its eight double lanes added pairwise (a last partial chunk masked: no
    /// access past the row, its missing terms zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> RecipLanes(float* row, long full, int rest, Vector256<int> tailMask,
        Vector256<long> m0, Vector256<long> m1)
    {
        Vector256<double> a0 = default, a1 = default;
        for (long i = 0; i < full; i += 8)
        {
            a0 += LaneAcross.SingleRecipTerms(Vector256.Load(row + i), out var hi);
            a1 += hi;
        }
        if (rest != 0)
        {
            var lo = LaneAcross.SingleRecipTerms(Avx.MaskLoad(row + full, tailMask.AsSingle()), out var hi);
            a0 += lo & m0.AsDouble();
            a1 += hi & m1.AsDouble();
        }
        return a0 + a1;
    }

    /// <summary>A float32 order whose rows go four at a time through <see cref="Quads{TQ}"/>: a row's four double lane
    /// sums, the test of four row sums at once, and the one-row path taken when a row of the four fails it.</summary>
    private interface IQuadRow
    {
        /// <summary>The row's terms summed into four double lanes (⌈n/8⌉ + 1 additions a term at most).</summary>
        static abstract Vector256<double> Lanes(byte* row, long full, int rest, Vector256<float> tailMask, byte* pad);

        /// <summary>True when the four sums (lane j = row j, a term through at most <paramref name="chain"/>
        /// additions) all give provably correctly rounded norms, <paramref name="f"/>.</summary>
        static abstract bool Accept(Vector256<double> sums, long chain, out Vector128<float> f);

        /// <summary>The one-row path (<see cref="Rows{TOp}"/> / <see cref="RecipRows"/>) for rows start … start + count.</summary>
        static abstract FpEvents Rows(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p, long start, long count);
    }

    /// <summary>ord 0.5: √|x| terms (<see cref="F32Roots"/>), the norm s² tested as <see cref="F32Roots.Finish"/> does.</summary>
    private readonly struct QuadRoots : IQuadRow
    {
        public static Vector256<double> Lanes(byte* row, long full, int rest, Vector256<float> tailMask, byte* pad)
        {
            Lanes<F32Roots>(row, full, rest, tailMask, pad, out var a0, out var a1);
            return a0 + a1;
        }

        public static bool Accept(Vector256<double> sums, long chain, out Vector128<float> f)
        {
            const double u = 1.0 / (1L << 53);
            double du = (chain + 2 + (1 << 19)) * u, eta = du / (1 - du);
            return RowsWide.Accept(sums * sums, Vector256.Create(2.5 * eta + 8 * u), out f);
        }

        public static FpEvents Rows(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p, long start, long count)
            => Rows<F32Roots>(plan, x, t, o, ot, p, start, count);
    }

    /// <summary>ord −1: 1/|x| terms (<see cref="LaneAcross.SingleRecipTerms"/>), 1/S tested as
    /// <see cref="LaneAcross.TryStoreSingleRecip"/> does.</summary>
    private readonly struct QuadRecips : IQuadRow
    {
        public static Vector256<double> Lanes(byte* row, long full, int rest, Vector256<float> tailMask, byte* pad)
        {
            var (m0, m1) = Vector256.Widen(tailMask.AsInt32());
            return RecipLanes((float*)row, full, rest, tailMask.AsInt32(), m0, m1);
        }

        public static bool Accept(Vector256<double> sums, long chain, out Vector128<float> f)
            => LaneAcross.AcceptSingleRecip(sums, chain, out f);

        public static FpEvents Rows(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p, long start, long count)
            => RecipRows(plan, x, t, o, ot, p, start, count);
    }

    /// <summary>float32 ord 0.5 / −1 of contiguous rows, four rows at a time (a 1-D outer axis): each row's lane sums
    /// as the one-row path forms them, the four rows' sums completed together (hadd and a cross-half add: two more
    /// additions, within the one-row chain ⌈n/8⌉ + 3), and the four results tested and stored at once. The fixed cost
    /// per row of the one-row path (its horizontal sum, the scalar rounding test, the outer iterator: ~35 % of a
    /// 16-element row) is shared by four. A stored value is provably the correctly rounded norm, hence the unique value
    /// the one-row path stores whatever its summation order; a group with a failing row sends each of its rows through
    /// the one-row path, which then decides as before.</summary>
    private static FpEvents Quads<TQ>(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p, long start, long count)
        where TQ : struct, IQuadRow
    {
        long n = plan.InnerCount, full = n & ~7L, si = plan.OuterInStrides[0], so = plan.OuterOutStrides[0];
        int rest = (int)(n - full);
        long chain = (n + 7) / 8 + 3;
        byte* pad = stackalloc byte[32];
        new Span<byte>(pad, 32).Clear();
        var tailMask = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(rest)).AsSingle();
        var ev = FpEvents.None;
        byte* xp = x + plan.InnerBaseOffset + start * si, op = o + start * so;
        long k = 0;
        for (; k + 4 <= count; k += 4, xp += 4 * si, op += 4 * so)
        {
            var s0 = TQ.Lanes(xp, full, rest, tailMask, pad);
            var s1 = TQ.Lanes(xp + si, full, rest, tailMask, pad);
            var s2 = TQ.Lanes(xp + 2 * si, full, rest, tailMask, pad);
            var s3 = TQ.Lanes(xp + 3 * si, full, rest, tailMask, pad);
            var h01 = Avx.HorizontalAdd(s0, s1); // s0₀+s0₁, s1₀+s1₁, s0₂+s0₃, s1₂+s1₃
            var h23 = Avx.HorizontalAdd(s2, s3);
            var sums = Avx.Permute2x128(h01, h23, 0x20) + Avx.Permute2x128(h01, h23, 0x31);
            if (TQ.Accept(sums, chain, out var f))
            {
                Unsafe.WriteUnaligned(op, f.GetElement(0)); Unsafe.WriteUnaligned(op + so, f.GetElement(1));
                Unsafe.WriteUnaligned(op + 2 * so, f.GetElement(2)); Unsafe.WriteUnaligned(op + 3 * so, f.GetElement(3));
                continue;
            }
            if (typeof(TQ) == typeof(QuadRecips))
            {
                // ord −1: each row finished from its own sum (the one-row path's test on the same kind of sum, so a
                // stored value is the same correctly rounded float) — a failing row (a zero: most rows of small
                // integers) no longer sends its three neighbours through the one-row path again
                for (int j = 0; j < 4; j++)
                    if (!LaneAcross.TryStoreSingleRecip(sums.GetElement(j), chain, op + j * so))
                        ev |= AcrossOutputsWide.Alone(xp + j * si, t, n, 4, op + j * so, ot, p);
                continue;
            }
            ev |= TQ.Rows(plan, x, t, o, ot, p, start + k, 4);
        }
        if (k < count) ev |= TQ.Rows(plan, x, t, o, ot, p, start + k, count - k);
        return ev;
    }

    /// <summary>Rows up to this long take <see cref="Eight{TE}"/>.</summary>
    private const long EightMax = 24;

    /// <summary>A float32 order whose short rows go eight at a time through <see cref="Eight{TE}"/>: a row's exact
    /// double terms summed in order along its lane, the norm from the sum, and the scalar test of the one-row path.</summary>
    private interface IEightRow
    {
        /// <summary>The lane sums plus the terms of the widened floats <paramref name="w"/> (exact terms, one rounding).</summary>
        static abstract Vector256<double> Add(Vector256<double> acc, Vector256<double> w);

        /// <summary>The norms r from the sums, within r·γ + 8u-covered roundings of the true norms.</summary>
        static abstract Vector256<double> Result(Vector256<double> s);

        /// <summary>The one-row path's test on a lane sum <paramref name="s"/> (a term through ≤ <paramref name="chain"/>
        /// additions): true when it stored the provably correctly rounded norm.</summary>
        static abstract bool TryStore(double s, long chain, byte* dst);

        /// <summary>The one-row path for rows start … start + count.</summary>
        static abstract FpEvents Rows(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p, long start, long count);
    }

    /// <summary>ord 2: squares (exact in double) by FMA, r = √S, tested as <see cref="FloatFastPath.TryStore"/>.</summary>
    private readonly struct EightSquares : IEightRow
    {
        public static Vector256<double> Add(Vector256<double> acc, Vector256<double> w) => Vector256.FusedMultiplyAdd(w, w, acc);
        public static Vector256<double> Result(Vector256<double> s) => Vector256.Sqrt(s);
        public static bool TryStore(double s, long chain, byte* dst) => FloatFastPath.TryStore(s, chain, dst);
        public static FpEvents Rows(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p, long start, long count)
            => Rows<F32Squares>(plan, x, t, o, ot, p, start, count);
    }

    /// <summary>ord 1: |x| (exact), r = S, tested as <see cref="F32Abs.Finish"/> does; a failing row goes
    /// <see cref="AcrossOutputsWide.Alone(byte*, DType, long, long, byte*, DType, double)"/>, which stores an exact sum
    /// (a float32 midpoint, a zero row) rounded once without the dispatch.</summary>
    private readonly struct EightAbs : IEightRow
    {
        public static Vector256<double> Add(Vector256<double> acc, Vector256<double> w) => acc + Vector256.Abs(w);
        public static Vector256<double> Result(Vector256<double> s) => s;
        public static bool TryStore(double s, long chain, byte* dst) => FloatPowFast.TryStore(s, chain + 1, dst);
        public static FpEvents Rows(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p, long start, long count)
            => Rows<F32Abs>(plan, x, t, o, ot, p, start, count);
    }

    /// <summary>float32 2-norms / 1-norms of short rows, eight rows at a time, one row per double lane (outputs 0–3 in
    /// a0, 4–7 in a1): the row's exact terms summed in order along its lane, a chain of n + 1 additions as in
    /// <see cref="F32Squares"/> / <see cref="F32Abs"/> over a column; then the scalar test (<see cref="FloatFastPath.TryStore"/>:
    /// √, the float conversion, the exact neighbouring midpoints, r ± δ with δ = r(γ + 8u)) done lane-wise with the
    /// same IEEE operations and a bound no smaller, so a lane passes only when its float is provably the correctly
    /// rounded norm. A group with a failing lane (zero sum, NaN/∞, near a midpoint, subnormal or top result) finishes
    /// lane by lane through the scalar test and, failing that, the row alone.</summary>
    private static FpEvents Eight<TE>(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p, long start, long count)
        where TE : struct, IEightRow
    {
        const double u = 1.0 / (1L << 53);
        long n = plan.InnerCount, si = plan.OuterInStrides[0], so = plan.OuterOutStrides[0];
        long chain = n + 1;
        double du = chain * u;
        var factor = Vector256.Create(du / (1 - du) + 8 * u);
        var ev = FpEvents.None;
        byte* xp = x + plan.InnerBaseOffset + start * si, op = o + start * so;
        var st = stackalloc Vector256<double>[2];
        long k = 0;
        for (; k + 8 <= count; k += 8, xp += 8 * si, op += 8 * so)
        {
            float* r0 = (float*)xp, r1 = (float*)(xp + si), r2 = (float*)(xp + 2 * si), r3 = (float*)(xp + 3 * si);
            float* r4 = (float*)(xp + 4 * si), r5 = (float*)(xp + 5 * si), r6 = (float*)(xp + 6 * si), r7 = (float*)(xp + 7 * si);
            Vector256<double> a0 = default, a1 = default;
            for (long i = 0; i < n; i++)
            {
                var v = Vector256.Create(r0[i], r1[i], r2[i], r3[i], r4[i], r5[i], r6[i], r7[i]);
                var (w0, w1) = Vector256.Widen(v);
                a0 = TE.Add(a0, w0);
                a1 = TE.Add(a1, w1);
            }
            if (Accept(TE.Result(a0), factor, out var f0) & Accept(TE.Result(a1), factor, out var f1))
            {
                Unsafe.WriteUnaligned(op, f0.GetElement(0)); Unsafe.WriteUnaligned(op + so, f0.GetElement(1));
                Unsafe.WriteUnaligned(op + 2 * so, f0.GetElement(2)); Unsafe.WriteUnaligned(op + 3 * so, f0.GetElement(3));
                Unsafe.WriteUnaligned(op + 4 * so, f1.GetElement(0)); Unsafe.WriteUnaligned(op + 5 * so, f1.GetElement(1));
                Unsafe.WriteUnaligned(op + 6 * so, f1.GetElement(2)); Unsafe.WriteUnaligned(op + 7 * so, f1.GetElement(3));
                continue;
            }
            st[0] = a0; st[1] = a1;
            for (int j = 0; j < 8; j++)
                if (!TE.TryStore(((double*)st)[j], chain, op + j * so))
                    ev |= AcrossOutputsWide.Alone(xp + j * si, t, n, 4, op + j * so, ot, p);
        }
        if (k < count)
            ev |= TE.Rows(plan, x, t, o, ot, p, start + k, count - k);
        return ev;
    }

    /// <summary><see cref="FloatFastPath.TryStore"/>'s / <see cref="FloatPowFast.TryStore"/>'s test on four lanes:
    /// true when every lane's (float)r is provably the correctly rounded norm, r within r·<paramref name="factor"/>
    /// of it; <paramref name="f"/> = those floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Accept(Vector256<double> r, Vector256<double> factor, out Vector128<float> f)
    {
        var half = Vector256.Create(0.5);
        f = Avx.IsSupported ? Avx.ConvertToVector128Single(r) : Vector128.Create((float)r[0], (float)r[1], (float)r[2], (float)r[3]);
        var bits = f.AsInt32();
        // a normal float below float.MaxValue (s = 0, NaN and ∞ fail here or below)
        var normal = Vector128.GreaterThanOrEqual(bits, Vector128.Create(0x0080_0000)) & Vector128.LessThan(bits, Vector128.Create(0x7F7F_FFFF));
        if (!Vector128.EqualsAll(normal, Vector128<int>.AllBitsSet)) return false;
        var fd = Vector256.WidenLower(f.ToVector256Unsafe());
        var dn = Vector256.WidenLower((bits - Vector128<int>.One).AsSingle().ToVector256Unsafe());
        var up = Vector256.WidenLower((bits + Vector128<int>.One).AsSingle().ToVector256Unsafe());
        var midLo = (fd + dn) * half;
        var midHi = (fd + up) * half;
        var delta = r * factor;
        return Vector256.GreaterThanAll(r - delta, midLo) && Vector256.LessThanAll(r + delta, midHi);
    }

    /// <summary>The complex rows as float64 rows of 2n doubles through <see cref="SmallRows"/> (its four-rows-per-vector
    /// kernel; a scalar loop here ran at a tenth of its speed). A row read backwards is the same set of doubles read
    /// forwards from its lowest address, which leaves the correctly rounded result unchanged.</summary>
    private static FpEvents ComplexAsDoubles(ReductionPlan plan, byte* x, byte* o)
    {
        int k = plan.OuterShape.Length;
        var shape = new long[k + 1];
        var strides = new long[k + 1];
        plan.OuterShape.CopyTo(shape, 0);
        plan.OuterInStrides.CopyTo(strides, 0);
        shape[k] = 2 * plan.InnerCount;
        strides[k] = 8;
        var rows = ReductionPlan.Create(shape, strides, 1UL << k, plan.OuterOutStrides);
        return SmallRows.Run(rows, x + plan.InnerBaseOffset, o);
    }
}
