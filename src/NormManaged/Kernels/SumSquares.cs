using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Engine;

namespace NormManaged.Kernels;

/// <summary>Accurate, overflow- and underflow-safe Σx² over doubles.
///
/// Elements are consumed in blocks of <see cref="BlockSize"/>. For each block the largest |x|
/// fixes an exact power-of-two scale (none when the block is in the safe range) and an offset
/// σ = 2^m ≥ max x². Every lane accumulator starts at σ, so each update a' = fl(a + x²) satisfies
/// a ≥ x² and a ≤ a' ≤ 2a: then a − a' is exact (Sterbenz) and fma(x, x, a − a') is the rounding
/// error of the update to within 2⁻⁵³ of itself. The errors are summed in a second lane set.
/// This is an error-free-transformation sum (cf. Ogita–Rump–Oishi Sum2) at four flops per
/// element. Blocks combine as <see cref="ScaledSum"/>s in index order, so the result depends on
/// the values and the block grid only — not on thread count, alignment, or SIMD width (the lane
/// structure is fixed at <see cref="Lanes"/> doubles whatever vector width the machine has).</summary>
internal static unsafe class SumSquares
{
    /// <summary>Elements per scaling block.</summary>
    public const int BlockSize = 4096;
    private const int SafeExp = 450; // |x| in [2^-450, 2^451) squares and sums without harm

    /// <summary>Adds Σ x[i]² for one block (length ≤ <see cref="BlockSize"/>) to <paramref name="acc"/>.</summary>
    public static unsafe void AddBlock(ReadOnlySpan<double> x, ref ScaledSum acc)
    {
        if (x.IsEmpty) return;
        if (x.Length >= 64)
            fixed (double* p = x)
                if (TryGuessed(p, x.Length, false, out double h0, out double l0))
                {
                    acc.Add(0, h0, l0);
                    return;
                }
        double m = MaxAbs(x);
        if (!(m > 0))
        {
            if (double.IsNaN(m)) acc.HasNaN = true;
            return;
        }
        if (double.IsInfinity(m)) { Classify(x, ref acc); return; }
        int e = Math.ILogB(m);
        double hi, lo;
        if (e >= -SafeExp && e <= SafeExp)
        {
            double sigma = Math.ScaleB(1.0, 2 * e + 2);
            Accumulate(x, 1.0, 1.0, sigma, out hi, out lo);
            if (!double.IsFinite(hi) || !double.IsFinite(lo)) { Classify(x, ref acc); return; }
            acc.Add(0, hi, lo);
        }
        else
        {
            // x · 2^-e, applied as two exact factors so that each stays representable.
            int a = -e / 2, b = -e - a;
            Accumulate(x, Math.ScaleB(1.0, a), Math.ScaleB(1.0, b), 4.0, out hi, out lo);
            if (!double.IsFinite(hi) || !double.IsFinite(lo)) { Classify(x, ref acc); return; }
            acc.Add(2 * e, hi, lo);
        }
    }

    /// <summary>The fast path of <see cref="AddBlock"/> (no max pass), also <see cref="Engine.LongRow"/>'s: σ = 2^(2e₀+22)
    /// from the largest of the first 16 magnitudes (of the first 256 when those are zeros: identity and other sparse
    /// matrices — the ones of eye(200) lie 201 apart — ran both passes on 19 blocks of 20, 0.74× NumPy), read as bit
    /// patterns (NaN and ∞ give an out-of-range exponent, as zero and subnormal maxima do), e₀ in [−438, 438]: 2²⁰
    /// headroom. The sum is accepted only if every lane stayed ≤ 2σ (then every x² ≤ σ, which the error-free update
    /// needs) and is finite; elements far below the guess are negligible against it. <paramref name="cached"/>: no
    /// prefetch hints (a row already in cache); the same operations, so the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe bool TryGuessed(double* x, int n, bool cached, out double hi, out double lo)
        => cached ? TryGuessed<Run1, NoAhead>(x, n, out hi, out lo) : TryGuessed<Run1, Ahead>(x, n, out hi, out lo);

    /// <summary><see cref="TryGuessed(double*, int, bool, out double, out double)"/> over the elements
    /// <typeparamref name="TL"/> reads from <paramref name="x"/> (every second or third double, or all of them): the same
    /// guess and the same operations on the same values, so the bits of the block copied out and summed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe bool TryGuessed<TL, TAhead>(double* x, int n, out double hi, out double lo)
        where TL : struct, IRunLoad where TAhead : struct, IAhead
    {
        hi = lo = 0;
        ulong m;
        if (typeof(TL) == typeof(Run1))
        {
            var mask = Vector256.Create(0x7FFF_FFFF_FFFF_FFFFUL);
            var mb = Vector256.Max(Vector256.Max(Vector256.Load(x).AsUInt64() & mask, Vector256.Load(x + 4).AsUInt64() & mask),
                                   Vector256.Max(Vector256.Load(x + 8).AsUInt64() & mask, Vector256.Load(x + 12).AsUInt64() & mask));
            m = Math.Max(Math.Max(mb.GetElement(0), mb.GetElement(1)), Math.Max(mb.GetElement(2), mb.GetElement(3)));
        }
        else
        {
            var mask = Vector512.Create(0x7FFF_FFFF_FFFF_FFFFUL);
            var m8 = Vector512.Max(TL.Load(x, 0).AsUInt64() & mask, TL.Load(x, 8).AsUInt64() & mask);
            var mb = Vector256.Max(m8.GetLower(), m8.GetUpper());
            m = Math.Max(Math.Max(mb.GetElement(0), mb.GetElement(1)), Math.Max(mb.GetElement(2), mb.GetElement(3)));
        }
        if (m == 0) m = MaxMagnitudeBits<TL>(x, Math.Min(256, n));
        int e0 = (int)(m >> 52) - 1023;
        if (e0 < -SafeExp + 12 || e0 > SafeExp - 12) return false;
        double sigma = BitConverter.UInt64BitsToDouble((ulong)(2 * e0 + 22 + 1023) << 52);
        bool ok = Accumulate<Unscaled, TAhead, TL>(x, n, 1.0, 1.0, sigma, out hi, out lo);
        return ok && double.IsFinite(hi) && double.IsFinite(lo);
    }

    /// <summary>Σx² of one block of <paramref name="n"/> float64 elements every <paramref name="step"/> (2 or 3) doubles
    /// from <paramref name="x"/>, added to <paramref name="acc"/> with the bits of <see cref="AddBlock"/> over the same
    /// elements copied out (<see cref="Engine.Gather"/>): the guess path reads them in place, as whole cache lines and
    /// permutes (x[::2] and x[::3] of 1e6 spent 44 % of their time copying the blocks out, one thread; fused 209 → ~130
    /// µs for x[::2]). Its vectors read up to step − 1 doubles past the block's last element, so a block that ends its
    /// run (<paramref name="last"/>) — and any block the guess does not take — is copied through
    /// <paramref name="buf"/> (≥ n doubles) and summed by <see cref="AddBlock"/>. Needs AVX-512 (<see cref="RealKernels.Wide"/>).</summary>
    internal static unsafe void AddStrided(double* x, int step, int n, bool last, double* buf, ref ScaledSum acc)
    {
        double h = 0, l = 0;
        bool done = !last && n >= 64 && RealKernels.Wide
                    && (step == 2 ? TryGuessed<Run2, Ahead>(x, n, out h, out l) : step == 3 && TryGuessed<Run3, Ahead>(x, n, out h, out l));
        if (done)
        {
            acc.Add(0, h, l);
            return;
        }
        Gather.Run(DType.Float64, (byte*)x, 8L * step, n, buf);
        AddBlock(new ReadOnlySpan<double>(buf, n), ref acc);
    }

    /// <summary>Reads eight consecutive elements of a run of doubles as one vector (the strided ones by whole-line
    /// loads and permutes), one element alone, and hints the lines a 32-element step will read next. Also the loads
    /// of <see cref="Engine.AcrossOutputs"/>' outputs two or three elements apart.</summary>
    internal interface IRunLoad
    {
        /// <summary>Doubles from one element to the next.</summary>
        static abstract int Step { get; }
        /// <summary>Elements j … j + 7.</summary>
        static abstract Vector512<double> Load(double* x, int j);
        /// <summary>Element i.</summary>
        static abstract double At(double* x, int i);
        /// <summary>Prefetches ahead of the step that reads elements i … i + 31.</summary>
        static abstract void Ahead(double* x, int i);
    }

    /// <summary>Contiguous doubles.</summary>
    internal struct Run1 : IRunLoad
    {
        public static int Step => 1;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Load(double* x, int j) => Vector512.Load(x + j);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double At(double* x, int i) => x[i];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Ahead(double* x, int i) => Prefetch.Ahead256(x + i);
    }

    /// <summary>Every second double: two loads (reading one double past element j + 7) and a two-source permute.</summary>
    internal struct Run2 : IRunLoad
    {
        public static int Step => 2;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Load(double* x, int j)
        {
            double* d = x + 2 * j;
            return Avx512F.PermuteVar8x64x2(Vector512.Load(d), Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14), Vector512.Load(d + 8));
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double At(double* x, int i) => x[2 * i];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Ahead(double* x, int i) { Prefetch.Ahead256(x + 2 * i); Prefetch.Ahead256(x + 2 * i + 32); }
    }

    /// <summary>Every third double: three loads (reading two doubles past element j + 7) and two permutes.</summary>
    internal struct Run3 : IRunLoad
    {
        public static int Step => 3;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Load(double* x, int j)
        {
            double* d = x + 3 * j;
            var t0 = Avx512F.PermuteVar8x64x2(Vector512.Load(d), Vector512.Create(0L, 3, 6, 9, 12, 15, 0, 0), Vector512.Load(d + 8));
            return Avx512F.PermuteVar8x64x2(t0, Vector512.Create(0L, 1, 2, 3, 4, 5, 10, 13), Vector512.Load(d + 16));
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double At(double* x, int i) => x[3 * i];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Ahead(double* x, int i)
        {
            Prefetch.Ahead256(x + 3 * i); Prefetch.Ahead256(x + 3 * i + 32); Prefetch.Ahead256(x + 3 * i + 64);
        }
    }

    /// <summary>The largest |x[i]| of the first <paramref name="count"/> as a bit pattern.</summary>
    private static unsafe ulong MaxMagnitudeBits<TL>(double* x, int count) where TL : struct, IRunLoad
    {
        ulong m = 0;
        int i = 0;
        if (typeof(TL) == typeof(Run1))
        {
            var mask = Vector256.Create(0x7FFF_FFFF_FFFF_FFFFUL);
            var mb = Vector256<ulong>.Zero;
            for (; i <= count - 4; i += 4) mb = Vector256.Max(mb, Vector256.Load(x + i).AsUInt64() & mask);
            m = Math.Max(Math.Max(mb.GetElement(0), mb.GetElement(1)), Math.Max(mb.GetElement(2), mb.GetElement(3)));
        }
        for (; i < count; i++) m = Math.Max(m, BitConverter.DoubleToUInt64Bits(TL.At(x, i)) & 0x7FFF_FFFF_FFFF_FFFFUL);
        return m;
    }

    private static void Classify(ReadOnlySpan<double> x, ref ScaledSum acc)
    {
        foreach (double v in x)
        {
            if (double.IsNaN(v)) { acc.HasNaN = true; return; }
            if (double.IsInfinity(v)) acc.HasInf = true;
        }
    }

    /// <summary>max |x|, NaN if any element is NaN.</summary>
    public static double MaxAbs(ReadOnlySpan<double> x)
    {
        int i = 0;
        double m = 0;
        ref double r = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        if (Vector256.IsHardwareAccelerated && x.Length >= 16)
        {
            Vector256<double> m0 = Vector256<double>.Zero, m1 = m0, m2 = m0, m3 = m0;
            for (; i <= x.Length - 16; i += 16)
            {
                m0 = Vector256.Max(m0, Vector256.Abs(Vector256.LoadUnsafe(ref r, (nuint)i)));
                m1 = Vector256.Max(m1, Vector256.Abs(Vector256.LoadUnsafe(ref r, (nuint)i + 4)));
                m2 = Vector256.Max(m2, Vector256.Abs(Vector256.LoadUnsafe(ref r, (nuint)i + 8)));
                m3 = Vector256.Max(m3, Vector256.Abs(Vector256.LoadUnsafe(ref r, (nuint)i + 12)));
            }
            var mm = Vector256.Max(Vector256.Max(m0, m1), Vector256.Max(m2, m3));
            for (int j = 0; j < 4; j++) m = Math.Max(m, mm.GetElement(j));
        }
        for (; i < x.Length; i++) m = Math.Max(m, Math.Abs(Unsafe.Add(ref r, i)));
        return m;
    }

    /// <summary>Logical lanes of the accumulation: lane j sees elements j, j + 32, j + 64, … of a block (then a scalar
    /// tail lane). Four independent chains of Vector512 (eight of Vector256) hide the FMA latency: with 16 lanes, two
    /// chains of a' = fma(x, x, a) bounded a block of 4096 to ~8 cycles per 16 elements.</summary>
    public const int Lanes = 32;

    /// <summary>Σ (x·s1·s2)² as hi + lo, with every lane offset by <paramref name="sigma"/>
    /// (σ ≥ every scaled square, a power of two).</summary>
    /// <returns>False when some lane's sum exceeded 2σ (or was not finite): then some x² may have exceeded σ, and
    /// hi + lo is the exact fold of the lanes (for a σ known to bound every square, still the sum).</returns>
    private static unsafe bool Accumulate(ReadOnlySpan<double> x, double s1, double s2, double sigma, out double hi, out double lo)
    {
        fixed (double* p = x)
            return Accumulate(p, x.Length, s1, s2, sigma, out hi, out lo);
    }

    /// <inheritdoc cref="Accumulate(ReadOnlySpan{double}, double, double, double, out double, out double)"/>
    internal static unsafe bool Accumulate(double* x, int n, double s1, double s2, double sigma, out double hi, out double lo)
        => s1 != 1.0 || s2 != 1.0 ? Accumulate<Scaled, NoAhead, Run1>(x, n, s1, s2, sigma, out hi, out lo)
                                  : Accumulate<Unscaled, Ahead, Run1>(x, n, 1.0, 1.0, sigma, out hi, out lo);

    private struct Scaled;
    private struct Unscaled;

    /// <summary>The accumulation with the scaling decided at compile time (a run-time flag tested in the loop cost
    /// two branches per step), over the elements <typeparamref name="TL"/> reads (strided runs: AVX-512 only, where the
    /// 512-bit body runs; the 256-bit body reads contiguous doubles).</summary>
    private static unsafe bool Accumulate<TScaled, TAhead, TL>(double* x, int n, double s1, double s2, double sigma, out double hi, out double lo)
        where TScaled : struct where TAhead : struct, IAhead where TL : struct, IRunLoad
    {
        bool scaled = typeof(TScaled) == typeof(Scaled);
        Vector256<double> q0, q1, q2, q3, q4, q5, q6, q7, k0, k1, k2, k3; // the lanes in logical order, four at a time
        int i = 0;
        // The error terms of lanes j and j + 16 share an accumulator (e_j + e_{j+16} first, then one add), so the
        // Vector256 form keeps 12 accumulators in its 16 registers; the order of operations per lane is the same in
        // both widths, and both store their lanes in logical order below, so the bits do not depend on the width.
        if (RealKernels.Wide)
        {
            var vs = Vector512.Create(sigma);
            Vector512<double> a0 = vs, a1 = vs, a2 = vs, a3 = vs, l0 = Vector512<double>.Zero, l1 = l0;
            var f1 = Vector512.Create(s1); var f2 = Vector512.Create(s2);
            for (; i <= n - Lanes; i += Lanes)
            {
                if (TAhead.On) TL.Ahead(x, i);
                var x0 = TL.Load(x, i); var x1 = TL.Load(x, i + 8);
                var x2 = TL.Load(x, i + 16); var x3 = TL.Load(x, i + 24);
                if (scaled) { x0 = x0 * f1 * f2; x1 = x1 * f1 * f2; x2 = x2 * f1 * f2; x3 = x3 * f1 * f2; }
                var n0 = Vector512.FusedMultiplyAdd(x0, x0, a0); var e0 = Vector512.FusedMultiplyAdd(x0, x0, a0 - n0);
                var n1 = Vector512.FusedMultiplyAdd(x1, x1, a1); var e1 = Vector512.FusedMultiplyAdd(x1, x1, a1 - n1);
                var n2 = Vector512.FusedMultiplyAdd(x2, x2, a2); var e2 = Vector512.FusedMultiplyAdd(x2, x2, a2 - n2);
                var n3 = Vector512.FusedMultiplyAdd(x3, x3, a3); var e3 = Vector512.FusedMultiplyAdd(x3, x3, a3 - n3);
                a0 = n0; a1 = n1; a2 = n2; a3 = n3;
                l0 += e0 + e2; l1 += e1 + e3;
            }
            for (; i <= n - 8; i += 8) // groups of eight into lanes 0 … 7
            {
                var x0 = TL.Load(x, i);
                if (scaled) x0 = x0 * f1 * f2;
                var n0 = Vector512.FusedMultiplyAdd(x0, x0, a0);
                l0 += Vector512.FusedMultiplyAdd(x0, x0, a0 - n0);
                a0 = n0;
            }
            if (i < n && n >= 8)
            {
                // the last eight elements into lanes 0 … 7, those already added zeroed (a zero leaves a lane as it
                // is): no scalar lane with its latency chain after a short row
                var x0 = TL.Load(x, n - 8) & TailMask(n - i).AsDouble();
                if (scaled) x0 = x0 * f1 * f2;
                var n0 = Vector512.FusedMultiplyAdd(x0, x0, a0);
                l0 += Vector512.FusedMultiplyAdd(x0, x0, a0 - n0);
                a0 = n0;
                i = n;
            }
            q0 = a0.GetLower(); q1 = a0.GetUpper(); q2 = a1.GetLower(); q3 = a1.GetUpper();
            q4 = a2.GetLower(); q5 = a2.GetUpper(); q6 = a3.GetLower(); q7 = a3.GetUpper();
            k0 = l0.GetLower(); k1 = l0.GetUpper(); k2 = l1.GetLower(); k3 = l1.GetUpper();
        }
        else
        {
            System.Diagnostics.Debug.Assert(typeof(TL) == typeof(Run1));
            var vs = Vector256.Create(sigma);
            Vector256<double> a0 = vs, a1 = vs, a2 = vs, a3 = vs, a4 = vs, a5 = vs, a6 = vs, a7 = vs;
            Vector256<double> l0 = Vector256<double>.Zero, l1 = l0, l2 = l0, l3 = l0;
            var f1 = Vector256.Create(s1); var f2 = Vector256.Create(s2);
            for (; i <= n - Lanes; i += Lanes)
            {
                if (TAhead.On) Prefetch.Ahead256(x + i);
                var x0 = Vector256.Load(x + i); var x1 = Vector256.Load(x + i + 4);
                var x4 = Vector256.Load(x + i + 16); var x5 = Vector256.Load(x + i + 20);
                if (scaled) { x0 = x0 * f1 * f2; x1 = x1 * f1 * f2; x4 = x4 * f1 * f2; x5 = x5 * f1 * f2; }
                var n0 = Vector256.FusedMultiplyAdd(x0, x0, a0); var e0 = Vector256.FusedMultiplyAdd(x0, x0, a0 - n0);
                var n1 = Vector256.FusedMultiplyAdd(x1, x1, a1); var e1 = Vector256.FusedMultiplyAdd(x1, x1, a1 - n1);
                var n4 = Vector256.FusedMultiplyAdd(x4, x4, a4); var e4 = Vector256.FusedMultiplyAdd(x4, x4, a4 - n4);
                var n5 = Vector256.FusedMultiplyAdd(x5, x5, a5); var e5 = Vector256.FusedMultiplyAdd(x5, x5, a5 - n5);
                a0 = n0; a1 = n1; a4 = n4; a5 = n5;
                l0 += e0 + e4; l1 += e1 + e5;
                var x2 = Vector256.Load(x + i + 8); var x3 = Vector256.Load(x + i + 12);
                var x6 = Vector256.Load(x + i + 24); var x7 = Vector256.Load(x + i + 28);
                if (scaled) { x2 = x2 * f1 * f2; x3 = x3 * f1 * f2; x6 = x6 * f1 * f2; x7 = x7 * f1 * f2; }
                var n2 = Vector256.FusedMultiplyAdd(x2, x2, a2); var e2 = Vector256.FusedMultiplyAdd(x2, x2, a2 - n2);
                var n3 = Vector256.FusedMultiplyAdd(x3, x3, a3); var e3 = Vector256.FusedMultiplyAdd(x3, x3, a3 - n3);
                var n6 = Vector256.FusedMultiplyAdd(x6, x6, a6); var e6 = Vector256.FusedMultiplyAdd(x6, x6, a6 - n6);
                var n7 = Vector256.FusedMultiplyAdd(x7, x7, a7); var e7 = Vector256.FusedMultiplyAdd(x7, x7, a7 - n7);
                a2 = n2; a3 = n3; a6 = n6; a7 = n7;
                l2 += e2 + e6; l3 += e3 + e7;
            }
            for (; i <= n - 8; i += 8)
            {
                var x0 = Vector256.Load(x + i); var x1 = Vector256.Load(x + i + 4);
                if (scaled) { x0 = x0 * f1 * f2; x1 = x1 * f1 * f2; }
                var n0 = Vector256.FusedMultiplyAdd(x0, x0, a0); var n1 = Vector256.FusedMultiplyAdd(x1, x1, a1);
                l0 += Vector256.FusedMultiplyAdd(x0, x0, a0 - n0);
                l1 += Vector256.FusedMultiplyAdd(x1, x1, a1 - n1);
                a0 = n0; a1 = n1;
            }
            if (i < n && n >= 8)
            {
                var m = TailMask(n - i).AsDouble();
                var x0 = Vector256.Load(x + n - 8) & m.GetLower(); var x1 = Vector256.Load(x + n - 4) & m.GetUpper();
                if (scaled) { x0 = x0 * f1 * f2; x1 = x1 * f1 * f2; }
                var n0 = Vector256.FusedMultiplyAdd(x0, x0, a0); var n1 = Vector256.FusedMultiplyAdd(x1, x1, a1);
                l0 += Vector256.FusedMultiplyAdd(x0, x0, a0 - n0);
                l1 += Vector256.FusedMultiplyAdd(x1, x1, a1 - n1);
                a0 = n0; a1 = n1;
                i = n;
            }
            q0 = a0; q1 = a1; q2 = a2; q3 = a3; q4 = a4; q5 = a5; q6 = a6; q7 = a7;
            k0 = l0; k1 = l1; k2 = l2; k3 = l3;
        }
        // Fewer than eight elements in all: one scalar lane, also offset by σ.
        double ta = sigma, tl = 0;
        for (; i < n; i++)
        {
            double v = TL.At(x, i);
            if (scaled) v = v * s1 * s2;
            double nw = Math.FusedMultiplyAdd(v, v, ta);
            tl += Math.FusedMultiplyAdd(v, v, ta - nw);
            ta = nw;
        }
        return Fold(q0, q1, q2, q3, q4, q5, q6, q7, k0, k1, k2, k3, ta, tl, sigma, out hi, out lo);
    }

    /// <summary>All ones in the last <paramref name="r"/> (1 … 7) of eight 64-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<long> TailMask(int r)
        => Vector512.GreaterThanOrEqual(Vector512.Create(0L, 1, 2, 3, 4, 5, 6, 7), Vector512.Create((long)(8 - r)));

    /// <summary>The lanes' total Σ(a − σ) + Σ l + tl as a normalised double-double. When every lane is in [σ, 2σ] (the
    /// guess held) the differences a − σ are exact (Sterbenz) and a TwoSum tree adds them (the errors summed plainly:
    /// ~2⁻¹⁰⁰ relative), instead of 33 dependent double-double additions (a ~1000-cycle chain per block). Otherwise
    /// (a σ that bounds every square but not the lane sums) the lanes, multiples of ulp(σ) below 2⁶⁵·ulp(σ), are added
    /// exactly in sequence.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Fold(Vector256<double> q0, Vector256<double> q1, Vector256<double> q2, Vector256<double> q3,
                             Vector256<double> q4, Vector256<double> q5, Vector256<double> q6, Vector256<double> q7,
                             Vector256<double> k0, Vector256<double> k1, Vector256<double> k2, Vector256<double> k3,
                             double ta, double tl, double sigma, out double hi, out double lo)
    {
        double lsum = Vector256.Sum((k0 + k1) + (k2 + k3)) + tl;
        // every lane ≤ 2σ (NaN fails); comparisons and ands (IEEE max is three instructions a vector here)
        var two = Vector256.Create(2 * sigma);
        var within = (Vector256.LessThanOrEqual(q0, two) & Vector256.LessThanOrEqual(q1, two))
                   & (Vector256.LessThanOrEqual(q2, two) & Vector256.LessThanOrEqual(q3, two))
                   & ((Vector256.LessThanOrEqual(q4, two) & Vector256.LessThanOrEqual(q5, two))
                   & (Vector256.LessThanOrEqual(q6, two) & Vector256.LessThanOrEqual(q7, two)));
        bool ok = Vector256.EqualsAll(within.AsUInt64(), Vector256<ulong>.AllBitsSet) && ta <= 2 * sigma;
        if (ok)
        {
            // a − σ ∈ [0, σ] is a multiple of ulp(σ), so the sum of two of them (< 2σ, the same multiple) is exact too
            var vs = Vector256.Create(sigma);
            var s01 = (q0 - vs) + (q1 - vs);
            var s23 = (q2 - vs) + (q3 - vs);
            var s45 = (q4 - vs) + (q5 - vs);
            var s67 = (q6 - vs) + (q7 - vs);
            var s03 = LaneStep.TwoSum(s01, s23, out var e03);
            var s47 = LaneStep.TwoSum(s45, s67, out var e47);
            var s4 = LaneStep.TwoSum(s03, s47, out var e4);
            var err4 = (e03 + e47) + e4;
            var s2 = LaneStep.TwoSum(s4.GetLower(), s4.GetUpper(), out var e2);
            double h = DD.TwoSum(s2.GetElement(0), s2.GetElement(1), out double e1);
            h = DD.TwoSum(h, ta - sigma, out double et);
            double l = Vector256.Sum(err4) + (e2.GetElement(0) + e2.GetElement(1)) + e1 + et + lsum;
            hi = DD.TwoSum(h, l, out lo);
        }
        else
        {
            hi = 0; lo = 0;
            AddLanes(ref hi, ref lo, q0); AddLanes(ref hi, ref lo, q1); AddLanes(ref hi, ref lo, q2); AddLanes(ref hi, ref lo, q3);
            AddLanes(ref hi, ref lo, q4); AddLanes(ref hi, ref lo, q5); AddLanes(ref hi, ref lo, q6); AddLanes(ref hi, ref lo, q7);
            DD.Add(ref hi, ref lo, ta, 0);
            DD.Add(ref hi, ref lo, -(Lanes + 1) * sigma, lsum);
        }
        return ok;
    }

    /// <summary>The four lanes of <paramref name="q"/>, in order, into the double-double (hi, lo).</summary>
    private static void AddLanes(ref double hi, ref double lo, Vector256<double> q)
    {
        for (int j = 0; j < 4; j++) DD.Add(ref hi, ref lo, q.GetElement(j), 0);
    }

    /// <summary>One offset-lane update a' = fl(a + x²) with its error added to l, lane-wise (also the short-row lanes').</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Step(Vector256<double> x, ref Vector256<double> a, ref Vector256<double> l)
    {
        var nw = Vector256.FusedMultiplyAdd(x, x, a);
        l += Vector256.FusedMultiplyAdd(x, x, a - nw);
        a = nw;
    }

    /// <summary>√(value of <paramref name="s"/>) as r + c scaled by 2^k, ready for <see cref="Rounding"/>.</summary>
    public static void Sqrt(ScaledSum s, out double r, out double c, out int k)
    {
        k = 0; c = 0;
        if (s.HasNaN) { r = double.NaN; return; }
        if (s.HasInf) { r = double.PositiveInfinity; return; }
        if (s.IsZero) { r = 0; return; }
        s.MakeExpEven();
        double h = DD.FastTwoSum(s.Hi, s.Lo, out double l);
        r = Math.Sqrt(h);
        c = (Math.FusedMultiplyAdd(-r, r, h) + l) / (2 * r);
        k = s.Exp / 2;
    }
}
