using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormManaged.Engine;

/// <summary>One step of <see cref="AcrossOutputsWide"/>: folds eight adjacent elements (eight outputs' next terms) into
/// the 64 bytes of accumulator state (a0, a1) those outputs share, and finishes one output from its lane. Every
/// step is a fixed sequence of Vector256 operations on 8 lanes, so an output's lane sees the same operations
/// whatever band, group or thread it lands in.</summary>
internal unsafe interface IColumnOp
{
    /// <summary>Element size in bytes.</summary>
    static abstract int Size { get; }

    /// <summary>The state of eight fresh outputs.</summary>
    static abstract void Init(out Vector256<double> a0, out Vector256<double> a1);

    /// <summary>Adds the eight elements at <paramref name="p"/>.</summary>
    static abstract void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p);

    /// <summary>Folds the eight lanes into lane 0 (one output's row spread over the lanes, see <see cref="RowsWide"/>).</summary>
    static abstract void Fold(ref Vector256<double> a0, ref Vector256<double> a1);

    /// <summary>Stores output <paramref name="lane"/> (0…7) of the group state at <paramref name="st"/> after
    /// <paramref name="n"/> terms, none of which went through more than <paramref name="chain"/> additions; false when
    /// the caller must compute it alone (the exact path).</summary>
    static abstract bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot);

    /// <summary>Stores outputs 0–3 (<paramref name="half"/> = 0) or 4–7 (1) of a group, <paramref name="os"/> bytes
    /// apart, with the bits <see cref="Finish"/> gives each; false, with nothing stored, when any of the four needs
    /// the lane-by-lane finish.</summary>
    static virtual bool FinishFour(byte* st, int half, long chain, byte* dst, long os, DType ot) => false;

    /// <summary>Stores the eight outputs of a group at once when it can prove all of them (the same floats as
    /// <see cref="Finish"/>); false, with nothing stored, otherwise (the caller then tries four, then one at a time).</summary>
    static virtual bool FinishEight(byte* st, long n, long chain, byte* dst, long os, DType ot) => false;

    /// <summary>True for the float32 sums whose result is a root r of the lane (<see cref="Root4"/>) proved by the
    /// rounding test of <see cref="FloatPowFast.TryStore"/>: the band is then finished four lanes at a time by
    /// <see cref="AcrossOutputsWide"/> (one branch-free pass, the failures afterwards by <see cref="Finish"/>).</summary>
    static virtual bool ProvenRoot => false;

    /// <summary>The result r of four lanes, for <see cref="ProvenRoot"/> ops.</summary>
    static virtual Vector256<double> Root4(Vector256<double> s) => s;

    /// <summary>Roundings the root (and a term's own rounding) add to the lane's chain in the proof.</summary>
    static virtual long RootUlps => 0;
    /// <summary>Elements from which the bands go to threads: <see cref="BlockDriver.ParallelThreshold"/>, or
    /// <see cref="Parallelism.CostlyElements"/> for ops whose element costs a division, a square root or a complex
    /// magnitude (and F32Cubes, a cube root per output).</summary>
    static virtual long ParallelElements => BlockDriver.ParallelThreshold;
}

/// <summary>Axis reductions whose outputs are adjacent in memory but whose reduced axis is not (C-order axis=0,
/// Fortran-order axis=1), for the (dtype, ord) pairs the float64 <see cref="AcrossOutputs"/> does not take: float32
/// with p = 2, 1, 3, 0.5, ±∞, 0, float64 with ±∞, 0 and complex64 with ±∞. One Vector256 lane per output, rows streamed in address
/// order (bands of up to 1024 outputs, four rows per pass over a band's accumulators), threads over bands.
///
/// Bits. The ±∞ and 0 ops are exact (integer max/min of sign-cleared bit patterns, a count of zeros), so any
/// order gives the value the block driver stores. The float32 sums are plain double sums of terms computed in double
/// (x² exact, |x| exact, |x|³ and √|x| rounded once) along one lane of n terms, so |Ŝ − S| ≤ γ_{n+k}·S; the result is
/// stored only when <see cref="FloatFastPath.TryStore"/> / <see cref="FloatPowFast.TryStore"/> prove it is the
/// correctly rounded float32 — the unique value the exact path (within 2⁻⁷² of exact) also rounds to. Any output that
/// fails the test, or is NaN/∞, is recomputed alone through <see cref="VectorNorms.Compute"/>, the path the same
/// column takes by itself.</summary>
internal static unsafe class AcrossOutputsWide
{
    private const int Band = 1024;

    public static bool Applies(ReductionPlan plan, DType t, DType ot, double p)
    {
        if (plan.InnerShape.Length != 1 || plan.OuterShape.Length != 1 || plan.OuterCount < 8 || plan.InnerCount < 2
            || plan.InnerCount >= int.MaxValue || !Vector256.IsHardwareAccelerated)
            return false;
        long size = DTypes.ItemSize(t);
        if (plan.OuterInStrides[0] != size || plan.InnerStrides[0] == size) return false;
        if (t == DType.Float32 && ot == DType.Float32)
            return p is 2 or 1 or 3 or 4 or 0.5 or 0 or -1 || double.IsInfinity(p);
        if (t == DType.Float16 && ot == DType.Float16) // integer extrema / zero counts of the half bits (were the block driver, a line at a time)
            return (p == 0 ? plan.InnerCount <= 65504 : double.IsInfinity(p)) && Avx2.IsSupported; // counts: no overflow event to drop
        if (t == DType.Complex64 && ot == DType.Float32)
            return (double.IsInfinity(p) || p == 0) && Avx.IsSupported || p is 2 or 1 && Avx2.IsSupported;
        if (t == DType.Complex128 && ot == DType.Float64)
            return p == 0 && Avx2.IsSupported;
        return t == DType.Float64 && ot == DType.Float64 && (p == 0 || double.IsInfinity(p));
    }

    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p)
    {
        if (t == DType.Complex64)
            return p switch
            {
                0 => Bands<C64Count>(plan, x, t, o, ot, p),
                2 => Bands<C64SquareSum>(plan, x, t, o, ot, p),
                1 => Bands<C64AbsSum>(plan, x, t, o, ot, p),
                double.PositiveInfinity => Bands<C64Max>(plan, x, t, o, ot, p),
                _ => Bands<C64Min>(plan, x, t, o, ot, p),
            };
        if (t == DType.Complex128)
            return Bands<C128Count>(plan, x, t, o, ot, p);
        if (t == DType.Float16)
            return p == 0 ? Bands<F16Count>(plan, x, t, o, ot, p) : p > 0 ? Bands<F16Max>(plan, x, t, o, ot, p) : Bands<F16Min>(plan, x, t, o, ot, p);
        if (t == DType.Float32)
            return p switch
            {
                2 => Bands<F32Squares>(plan, x, t, o, ot, p),
                1 => Bands<F32Abs>(plan, x, t, o, ot, p),
                3 => Bands<F32Cubes>(plan, x, t, o, ot, p),
                4 => Bands<F32Quartics>(plan, x, t, o, ot, p),
                -1 => Bands<F32Recips>(plan, x, t, o, ot, p),
                0.5 => Bands<F32Roots>(plan, x, t, o, ot, p),
                0 => Bands<F32Count>(plan, x, t, o, ot, p),
                double.PositiveInfinity => Bands<F32Max>(plan, x, t, o, ot, p),
                _ => Bands<F32Min>(plan, x, t, o, ot, p),
            };
        return p switch
        {
            0 => Bands<F64Count>(plan, x, t, o, ot, p),
            double.PositiveInfinity => Bands<F64Max>(plan, x, t, o, ot, p),
            _ => Bands<F64Min>(plan, x, t, o, ot, p),
        };
    }

    private static FpEvents Bands<TOp>(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p) where TOp : struct, IColumnOp
    {
        long outs = plan.OuterCount;
        int threads = Parallelism.MaxThreads;
        long band = Band;
        bool par = threads > 1 && outs * plan.InnerCount >= TOp.ParallelElements;
        // with threads, at least one band per thread (whole groups of 8)
        if (par) band = Math.Clamp(((outs + threads - 1) / threads + 7) & ~7L, 8, Band);
        int bands = (int)((outs + band - 1) / band);
        // the lambda lives in its own method: captured here, its closure was allocated at entry on every call,
        // the one-thread short-column calls too
        if (par && bands > 1) return ParBands<TOp>(plan, x, t, o, ot, p, band, bands, threads);
        var ev = FpEvents.None;
        for (long k0 = 0; k0 < outs; k0 += band) ev |= BandOf<TOp>(plan, x, t, o, ot, p, k0, (int)Math.Min(band, outs - k0));
        return ev;
    }

    private static FpEvents ParBands<TOp>(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p, long band, int bands, int threads)
        where TOp : struct, IColumnOp
    {
        nint xb = (nint)x, ob = (nint)o;
        long outs = plan.OuterCount;
        return Parallelism.ForParts(bands, threads, b =>
        {
            long k0 = b * band;
            return BandOf<TOp>(plan, (byte*)xb, t, (byte*)ob, ot, p, k0, (int)Math.Min(band, outs - k0));
        });
    }

    /// <summary>Outputs k0 … k0 + w − 1: rows streamed into one 64-byte state per group of 8 outputs; a last partial
    /// group reads its elements through a zero-padded copy (the padding lanes are never finished).</summary>
    private static FpEvents BandOf<TOp>(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p, long k0, int w)
        where TOp : struct, IColumnOp
    {
        int size = TOp.Size;
        long s = plan.InnerStrides[0], n = plan.InnerCount;
        if ((typeof(TOp) == typeof(F32Abs) || typeof(TOp) == typeof(F32Squares)) && ot == DType.Float32 && w >= 8
            && n <= ShortFloatRows && Avx512F.IsSupported)
            return ShortFloats<TOp>(plan, x, t, o, p, k0, w);
        int groups = (w + 7) >> 3, full = w >> 3, rest = w & 7;
        var st = stackalloc Vector256<double>[2 * groups];
        for (int g = 0; g < groups; g++) TOp.Init(out st[2 * g], out st[2 * g + 1]);
        byte* row = x + plan.InnerBaseOffset + k0 * size;
        int gb = 8 * size; // bytes of a group's row: 32, 64 or 128
        byte* pad = stackalloc byte[4 * 128];
        new Span<byte>(pad, 4 * 128).Clear();
        long r = 0;
        for (; r + 4 <= n; r += 4, row += 4 * s)
        {
            for (int g = 0; g < full; g++)
            {
                var a0 = st[2 * g]; var a1 = st[2 * g + 1];
                byte* q = row + g * 8 * size;
                TOp.Add(ref a0, ref a1, q);
                TOp.Add(ref a0, ref a1, q + s);
                TOp.Add(ref a0, ref a1, q + 2 * s);
                TOp.Add(ref a0, ref a1, q + 3 * s);
                st[2 * g] = a0; st[2 * g + 1] = a1;
            }
            if (rest != 0)
            {
                byte* q = row + full * 8 * size;
                for (int i = 0; i < 4; i++) Buffer.MemoryCopy(q + i * s, pad + gb * i, gb, rest * size);
                var a0 = st[2 * full]; var a1 = st[2 * full + 1];
                TOp.Add(ref a0, ref a1, pad);
                TOp.Add(ref a0, ref a1, pad + gb);
                TOp.Add(ref a0, ref a1, pad + 2 * gb);
                TOp.Add(ref a0, ref a1, pad + 3 * gb);
                st[2 * full] = a0; st[2 * full + 1] = a1;
            }
        }
        for (; r < n; r++, row += s)
            for (int g = 0; g < groups; g++)
            {
                byte* q = row + g * 8 * size;
                if (g == full) { Buffer.MemoryCopy(q, pad, gb, rest * size); q = pad; }
                var a0 = st[2 * g]; var a1 = st[2 * g + 1];
                TOp.Add(ref a0, ref a1, q);
                st[2 * g] = a0; st[2 * g + 1] = a1;
            }
        var ev = FpEvents.None;
        long os = plan.OuterOutStrides[0];
        int j0 = 0;
        if (typeof(TOp) == typeof(F32Abs) && Avx2.IsSupported)
            ev |= AbsSumFloats(plan, x, t, o, k0, w, (double*)st, n, out j0);
        else if (TOp.ProvenRoot && ot == DType.Float32 && Avx.IsSupported)
            ev |= ProvenFloats<TOp>(plan, x, t, o, p, k0, w, (double*)st, n, out j0);
        for (int j = j0; j < w; j++)
        {
            byte* dst = o + (k0 + j) * os;
            if ((j & 7) == 0 && j + 8 <= w && TOp.FinishEight((byte*)(st + 2 * (j >> 3)), n, Chain(n), dst, os, ot))
            {
                j += 7;
                continue;
            }
            if ((j & 3) == 0 && j + 4 <= w && TOp.FinishFour((byte*)(st + 2 * (j >> 3)), (j >> 2) & 1, Chain(n), dst, os, ot))
            {
                j += 3;
                continue;
            }
            if (!TOp.Finish((byte*)(st + 2 * (j >> 3)), j & 7, n, Chain(n), dst, ot))
                ev |= Alone(plan, x, t, o, ot, p, k0 + j);
        }
        return ev;
    }

    /// <summary>Longest float32 column <see cref="ShortFloats{TOp}"/> takes.</summary>
    internal const long ShortFloatRows = 16;

    /// <summary>float32 ord 1 / 2 over short columns (at most <see cref="ShortFloatRows"/> rows) into float32: each group
    /// of eight adjacent outputs goes through its rows with its double sums in one register (each float widened
    /// exactly, |x| added or x² fused in, row by row: the Ŝ of <see cref="BandOf{TOp}"/>'s lanes) and is finished at
    /// once by a test that proves the float f it stores is the correctly rounded norm — so the bits are those of every
    /// other path. The band loop's stack arrays, its finish (a double square root per output: vsqrtpd's throughput
    /// bounded ord 2) and the re-read of ord 1's midpoint lanes cost float32 (4, 3000) 0.63× / 0.68× NumPy.
    ///
    /// <para>The test. S is the exact sum (of |x| or x², every term exact in double), Ŝ the lane's: Chain(n) roundings of
    /// nonnegative partial sums, so |Ŝ − S| ≤ γ·S ≤ 4·Chain(n)·u·Ŝ for Chain(n)·u &lt; 2⁻²⁰ (γ/(1 − γ) ≤ 2γ ≤ 4·Chain·u).
    /// Let d = fl(Ŝ·F) with F = 4(Chain + 1)u + 8u: then fl(Ŝ − d) ≤ Ŝ − d + u·Ŝ &lt; Ŝ − 4·Chain·u·Ŝ ≤ S, and likewise
    /// fl(Ŝ + d) &gt; S. A candidate float f (any: ord 1 Ŝ rounded to float, ord 2 a float near √Ŝ, below) has the
    /// midpoints m∓ = (f + f∓)/2 to its float neighbours, exact in double, and their squares are exact too (at most 26
    /// significant bits each; f is normal, so nothing underflows). f is the correctly rounded norm when m₋ &lt; S &lt; m₊
    /// (ord 1) or m₋² &lt; S &lt; m₊² (ord 2, S ≥ 0), which fl(Ŝ − d) &gt; m₋ (m₋²) and fl(Ŝ + d) &lt; m₊ (m₊²) imply
    /// (<see cref="Proved"/>). f must be a normal float below the largest (so m₊ is finite); NaN fails every compare.</para>
    ///
    /// <para>ord 1 stores f = fl32(Ŝ) without that test where the sum is exact: the terms are floats whose exponent
    /// fields lie in [e₋, e₊] (e₋ of the least nonzero one, at least 1), so every partial sum is a multiple of
    /// 2^(e₋ − 150) below 2^(e₊ − 126 + ⌈log₂n⌉): with e₊ − e₋ + ⌈log₂n⌉ ≤ 29 that is at most 53 bits, every addition
    /// is exact, Ŝ = S and fl32(S) rounds to nearest even — exact midpoints too (small-integer sums land on them: the
    /// band finish re-read those columns). Tracked per lane as the largest and the least nonzero magnitude bits (the
    /// least of bits − 1, where a zero wraps to the top).</para>
    ///
    /// <para>Lanes that fail go as <see cref="BandOf{TOp}"/>'s would: ord 1 by its exact re-walk, then the op's
    /// Finish (which proves what it stores from the same Ŝ), else alone.</para></summary>
    private static FpEvents ShortFloats<TOp>(ReductionPlan plan, byte* x, DType t, byte* o, double p, long k0, int w)
        where TOp : struct, IColumnOp
    {
        const double u = 1.0 / (1L << 53);
        bool abs = typeof(TOp) == typeof(F32Abs);
        long s = plan.InnerStrides[0], n = plan.InnerCount, os = plan.OuterOutStrides[0];
        var fac = Vector512.Create(4 * (Chain(n) + 1) * u + 8 * u);
        // exponent window of exact sums: e₊ − e₋ ≤ 29 − ⌈log₂n⌉
        var window = Vector256.Create(29 - (64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(n - 1))));
        byte* col = x + plan.InnerBaseOffset + k0 * 4;
        byte* dst = o + k0 * os;
        var ev = FpEvents.None;
        int j = 0;
        // sixteen outputs a step where they are adjacent, the two groups' chains interleaved: the finish is one long
        // dependency chain, and with one group a step the schedulers fill with its waiting operations (ord 2 per
        // column 1.05 → 0.89 ns); a step with a lane to finish otherwise goes again as two groups
        if (os == 4)
            for (; j + 16 <= w; j += 16)
                if (!(abs ? Abs16(col + j * 4, n, s, window, fac, (float*)(dst + j * 4))
                          : Squares16(col + j * 4, n, s, fac, (float*)(dst + j * 4))))
                    ev |= ShortGroup<TOp>(plan, x, t, o, p, k0, j, fac, window) | ShortGroup<TOp>(plan, x, t, o, p, k0, j + 8, fac, window);
        for (; j + 8 <= w; j += 8) ev |= ShortGroup<TOp>(plan, x, t, o, p, k0, j, fac, window);
        if (j < w) ev |= BandOf<TOp>(plan, x, t, o, DType.Float32, p, k0 + j, w - j);
        return ev;
    }

    /// <summary><see cref="ShortFloats{TOp}"/>' group of eight outputs k0 + j …: its sums, proof and stores, and the
    /// finish of the lanes that fail.</summary>
    private static FpEvents ShortGroup<TOp>(ReductionPlan plan, byte* x, DType t, byte* o, double p, long k0, int j,
        Vector512<double> fac, Vector256<int> window) where TOp : struct, IColumnOp
    {
        bool abs = typeof(TOp) == typeof(F32Abs);
        long s = plan.InnerStrides[0], n = plan.InnerCount, os = plan.OuterOutStrides[0];
        byte* col = x + plan.InnerBaseOffset + (k0 + j) * 4;
        // the sums in one 512-bit register (each float widened by one vcvtps2pd: the same double per lane as
        // TOp.Add's two halves, added in the same order)
        var sum = Vector512<double>.Zero;
        var hi = Vector256<uint>.Zero;
        var lo = Vector256<uint>.AllBitsSet;
        byte* q = col;
        if (abs)
            for (long r = 0; r < n; r++, q += s) AddAbs(q, ref sum, ref hi, ref lo);
        else
            for (long r = 0; r < n; r++, q += s)
            {
                var y = Avx512F.ConvertToVector512Double(Vector256.Load((float*)q));
                sum = Vector512.FusedMultiplyAdd(y, y, sum); // y² exact: one rounding, as TOp.Add's
            }
        Vector256<float> f;
        uint good;
        if (abs)
        {
            f = Avx512F.ConvertToVector256Single(sum);
            good = ExactLanes(hi, lo, window);
            // exact sums (the usual case) need no midpoint test, only a finite float
            if (good != 0xFF) good |= Proved(sum, f, fac, false);
            good &= Finite(f);
        }
        else
        {
            f = RootCandidate(sum);
            good = Proved(sum, f, fac, true);
        }
        byte* dj = o + (k0 + j) * os;
        if (good == 0xFF && os == 4) { f.Store((float*)dj); return FpEvents.None; }
        double* lanes = stackalloc double[8];
        sum.Store(lanes);
        var ev = FpEvents.None;
        long chain = Chain(n);
        for (int i = 0; i < 8; i++)
        {
            byte* di = dj + i * os;
            if ((good >> i & 1) != 0) Unsafe.WriteUnaligned(di, f.GetElement(i));
            else if (!(abs && ExactAbsSum(col + i * 4, n, s, di))
                     && !TOp.Finish((byte*)lanes, i, n, chain, di, DType.Float32))
                ev |= Alone(plan, x, t, o, DType.Float32, p, k0 + j + i);
        }
        return ev;
    }

    /// <summary>Two groups of ord 1 (sixteen adjacent outputs into <paramref name="d"/>), interleaved: stored and true
    /// when every lane is proved (as <see cref="ShortGroup{TOp}"/> proves it), else false with nothing stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Abs16(byte* q, long n, long s, Vector256<int> window, Vector512<double> fac, float* d)
    {
        Vector512<double> s0 = Vector512<double>.Zero, s1 = Vector512<double>.Zero;
        Vector256<uint> hi0 = Vector256<uint>.Zero, hi1 = Vector256<uint>.Zero;
        Vector256<uint> lo0 = Vector256<uint>.AllBitsSet, lo1 = Vector256<uint>.AllBitsSet;
        for (long r = 0; r < n; r++, q += s)
        {
            AddAbs(q, ref s0, ref hi0, ref lo0);
            AddAbs(q + 32, ref s1, ref hi1, ref lo1);
        }
        var f0 = Avx512F.ConvertToVector256Single(s0); var f1 = Avx512F.ConvertToVector256Single(s1);
        uint g0 = ExactLanes(hi0, lo0, window), g1 = ExactLanes(hi1, lo1, window);
        if ((g0 & g1) != 0xFF)
        {
            g0 |= Proved(s0, f0, fac, false);
            g1 |= Proved(s1, f1, fac, false);
        }
        if ((g0 & Finite(f0) & g1 & Finite(f1)) != 0xFF) return false;
        f0.Store(d); f1.Store(d + 8);
        return true;
    }

    /// <summary>Two groups of ord 2 (sixteen adjacent outputs into <paramref name="d"/>), their chains interleaved
    /// operation by operation: stored and true when every lane is proved, else false with nothing stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Squares16(byte* q, long n, long s, Vector512<double> fac, float* d)
    {
        Vector512<double> s0 = Vector512<double>.Zero, s1 = Vector512<double>.Zero;
        for (long r = 0; r < n; r++, q += s)
        {
            var y0 = Avx512F.ConvertToVector512Double(Vector256.Load((float*)q));
            var y1 = Avx512F.ConvertToVector512Double(Vector256.Load((float*)q + 8));
            s0 = Vector512.FusedMultiplyAdd(y0, y0, s0);
            s1 = Vector512.FusedMultiplyAdd(y1, y1, s1);
        }
        RootCandidates(s0, s1, out var f0, out var f1);
        if ((Proved(s0, f0, fac, true) & Proved(s1, f1, fac, true)) != 0xFF) return false;
        f0.Store(d); f1.Store(d + 8);
        return true;
    }

    /// <summary>ord 1's step for one row of a group: |x| added in double, the largest magnitude bits and the least of
    /// bits − 1 (a zero wraps to the top) tracked for <see cref="ExactLanes"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddAbs(byte* q, ref Vector512<double> sum, ref Vector256<uint> hi, ref Vector256<uint> lo)
    {
        var b = Vector256.Load((uint*)q) & Vector256.Create(0x7FFF_FFFFu);
        sum += Avx512F.ConvertToVector512Double(b.AsSingle());
        hi = Vector256.Max(hi, b);
        lo = Vector256.Min(lo, b - Vector256<uint>.One);
    }

    /// <summary>The lanes whose sum the exponent window proves exact (see <see cref="ShortFloats{TOp}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ExactLanes(Vector256<uint> hi, Vector256<uint> lo, Vector256<int> window)
    {
        var ehi = (hi >> 23).AsInt32();
        var elo = Vector256.Max(((lo + Vector256<uint>.One) >> 23).AsInt32(), Vector256<int>.One);
        return Vector256.ExtractMostSignificantBits(Vector256.LessThanOrEqual(ehi - elo, window));
    }

    /// <summary>The lanes of f (≥ +0 or NaN) below the largest float: finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Finite(Vector256<float> f)
        => Vector256.ExtractMostSignificantBits(Vector256.LessThan(f.AsUInt32(), Vector256.Create(0x7F7F_FFFFu)));

    /// <summary>ord 2's candidate float: √Ŝ to ~2⁻⁵⁰ without a square-root instruction (vsqrtpd's throughput bounded
    /// the band finish) — a 14-bit reciprocal square root r, g = Ŝ·r, h = r/2 and two coupled Newton steps (14 → 28
    /// → 56 bits) — rounded to float: the correctly rounded one unless √Ŝ lies within ~2⁻²⁰ ulp of a float midpoint,
    /// which the proof then rejects (only the proof decides what is stored).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> RootCandidate(Vector512<double> sum)
    {
        var half = Vector512.Create(0.5);
        var r = Avx512F.ReciprocalSqrt14(sum);
        var g = sum * r;
        var h = r * half;
        var e = Vector512.FusedMultiplyAdd(-g, h, half);
        g = Vector512.FusedMultiplyAdd(g, e, g); h = Vector512.FusedMultiplyAdd(h, e, h);
        e = Vector512.FusedMultiplyAdd(-g, h, half);
        g = Vector512.FusedMultiplyAdd(g, e, g);
        return Avx512F.ConvertToVector256Single(g);
    }

    /// <summary><see cref="RootCandidate"/> of two groups, operation by operation interleaved (the same operations per
    /// lane, so the same floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RootCandidates(Vector512<double> s0, Vector512<double> s1, out Vector256<float> f0, out Vector256<float> f1)
    {
        var half = Vector512.Create(0.5);
        var r0 = Avx512F.ReciprocalSqrt14(s0); var r1 = Avx512F.ReciprocalSqrt14(s1);
        var g0 = s0 * r0; var g1 = s1 * r1;
        var h0 = r0 * half; var h1 = r1 * half;
        var e0 = Vector512.FusedMultiplyAdd(-g0, h0, half); var e1 = Vector512.FusedMultiplyAdd(-g1, h1, half);
        g0 = Vector512.FusedMultiplyAdd(g0, e0, g0); g1 = Vector512.FusedMultiplyAdd(g1, e1, g1);
        h0 = Vector512.FusedMultiplyAdd(h0, e0, h0); h1 = Vector512.FusedMultiplyAdd(h1, e1, h1);
        e0 = Vector512.FusedMultiplyAdd(-g0, h0, half); e1 = Vector512.FusedMultiplyAdd(-g1, h1, half);
        g0 = Vector512.FusedMultiplyAdd(g0, e0, g0); g1 = Vector512.FusedMultiplyAdd(g1, e1, g1);
        f0 = Avx512F.ConvertToVector256Single(g0); f1 = Avx512F.ConvertToVector256Single(g1);
    }

    /// <summary><see cref="ShortFloats{TOp}"/>' proof for eight lanes, a bit per lane: f's float midpoints m∓ (their
    /// squares when <paramref name="squares"/>) enclose fl(Ŝ ∓ Ŝ·F), and f is a normal float below the largest. Compared
    /// at twice (four times) the scale: 2m∓ = f + f∓ and 4m∓² = (f + f∓)² are exact, and so is the scaling of Ŝ and of
    /// fl(Ŝ·F), fl(Ŝ ∓ d) by a power of two — the same decisions as at scale 1 with two multiplications fewer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Proved(Vector512<double> sum, Vector256<float> f, Vector512<double> fac, bool squares)
    {
        var fb = f.AsInt32();
        var fd = Avx512F.ConvertToVector512Double(f);
        var tlo = fd + Avx512F.ConvertToVector512Double((fb - Vector256<int>.One).AsSingle());
        var thi = fd + Avx512F.ConvertToVector512Double((fb + Vector256<int>.One).AsSingle());
        if (squares) { tlo *= tlo; thi *= thi; }
        var sc = sum * Vector512.Create(squares ? 4.0 : 2.0);
        var d = sc * fac;
        var ok = Vector512.GreaterThan(sc - d, tlo) & Vector512.LessThan(sc + d, thi);
        return (uint)Vector512.ExtractMostSignificantBits(ok) & NormalBelowMax(fb);
    }

    /// <summary>A bit per lane whose float bits (of a value ≥ +0 or NaN) are a normal float below the largest: one
    /// unsigned compare of bits − 2²³ against the span (subnormals and zero wrap above it, ∞ and NaN lie above it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint NormalBelowMax(Vector256<int> fb)
        => Vector256.ExtractMostSignificantBits(Vector256.LessThan((fb - Vector256.Create(0x0080_0000)).AsUInt32(),
                                                                   Vector256.Create(0x7F7F_FFFFu - 0x0080_0000u)));

    /// <summary>The float32 results of a band's first ⌊w/4⌋·4 lanes (<paramref name="done"/>), for a
    /// <see cref="IColumnOp.ProvenRoot"/> op: every four lanes' r = <see cref="IColumnOp.Root4"/>, the float nearest to
    /// each stored, and a bit per lane for the rounding test of <see cref="FloatPowFast.TryStore"/> (r within
    /// 2.5η + 8u of the norm, η ≥ γ_d for d = the chain plus the op's root roundings, holds no float32 midpoint; the
    /// float is normal and below the largest) — the same float and the same test per lane as the op's
    /// <see cref="IColumnOp.Finish"/>, without a branch; then each lane that failed is finished by Finish (the same
    /// value where it can prove it) or alone. A stored float is the correctly rounded norm, so the bits do not depend
    /// on which of the two proved it.</summary>
    private static FpEvents ProvenFloats<TOp>(ReductionPlan plan, byte* x, DType t, byte* o, double p, long k0, int w, double* st, long n, out int done)
        where TOp : struct, IColumnOp
    {
        const double u = 1.0 / (1L << 53);
        long chain = Chain(n);
        double du = (chain + TOp.RootUlps) * u;
        done = 0;
        if (!(du < 1.0 / (1 << 20))) return FpEvents.None;
        double eta = du * (1 + 2 * du);
        var fac = Vector256.Create(2.5 * eta + 8 * u);
        var half = Vector256.Create(0.5);
        var least = Vector256.Create(1.1754943508222875e-38); // 2⁻¹²⁶
        var top = Vector256.Create((double)float.MaxValue);
        long os = plan.OuterOutStrides[0];
        byte* dst = o + k0 * os;
        int w4 = w & ~3;
        byte* masks = stackalloc byte[(w4 >> 2) + 1];
        var zeros = Vector256<double>.Zero;
        for (int q = 0; q < w4; q += 4)
        {
            var r = TOp.Root4(Vector256.Load(st + q));
            var f = Avx.ConvertToVector128Single(r);
            var fb = f.AsInt32();
            var fd = Avx.ConvertToVector256Double(f);
            var below = Avx.ConvertToVector256Double((fb - Vector128<int>.One).AsSingle());
            var above = Avx.ConvertToVector256Double((fb + Vector128<int>.One).AsSingle());
            var delta = r * fac;
            var ok = Vector256.GreaterThan(r - delta, (fd + below) * half) & Vector256.LessThan(r + delta, (fd + above) * half)
                     & Vector256.GreaterThanOrEqual(fd, least) & Vector256.LessThan(fd, top);
            if (typeof(TOp) == typeof(F32Recips))
            {
                // ord −1: a sum of +∞ comes from a zero element (a term 1/0; a NaN makes it NaN, the terms of finite
                // elements stay below 2¹⁵⁰): the norm is 0 — f already holds 1/∞ = 0 — with numpy's divide-by-zero
                var zero = Vector256.Equals(Vector256.Load(st + q), Vector256.Create(double.PositiveInfinity));
                zeros |= zero;
                ok |= zero;
            }
            ExactFinish.StoreFour(f, dst + q * os, os);
            masks[q >> 2] = (byte)Vector256.ExtractMostSignificantBits(ok);
        }
        var ev = zeros == Vector256<double>.Zero ? FpEvents.None : FpEvents.DivideByZero;
        for (int q = 0; q < w4; q += 4)
            for (uint bad = ~(uint)masks[q >> 2] & 0xF; bad != 0; bad &= bad - 1)
            {
                int j = q + System.Numerics.BitOperations.TrailingZeroCount(bad);
                if (!TOp.Finish((byte*)st + 64 * (j >> 3), j & 7, n, chain, dst + j * os, DType.Float32))
                    ev |= Alone(plan, x, t, o, DType.Float32, p, k0 + j);
            }
        done = w4;
        return ev;
    }

    /// <summary>The float32 ord-1 results of a band's first ⌊w/4⌋·4 lanes (<paramref name="done"/>): <see cref="ProvenFloats{TOp}"/>
    /// for <see cref="F32Abs"/> with the midpoint test done on the bits of Ŝ (a third of the instructions; the finish
    /// pass was ~2.8 µs of the ~8 µs float32 (4, 3000) axis-0 ord-1 call, NumPy's whole call ~3.5 µs).
    ///
    /// Proof. Ŝ is the double sum of the exact terms |x| along the lane, |Ŝ − S| ≤ δ = f·Ŝ with f = 2.5η + 8u of
    /// <see cref="ProvenFloats{TOp}"/> (η ≥ γ_d, d = chain + 1). Let Ŝ ∈ [2ᵉ, 2ᵉ⁺¹) lie in the normal float32 range; the
    /// double ulp there is 2ᵉ⁻⁵², the float ulp 2ᵉ⁻²³, so the float32 midpoints inside the binade (including the one
    /// under 2ᵉ⁺¹) are the doubles whose low 29 significand bits L equal 2²⁸; the midpoint under 2ᵉ lies 2²⁷ double ulps
    /// below 2ᵉ and those above 2ᵉ⁺¹ are beyond the in-binade one. δ &lt; f·2ᵉ⁺¹ = f·2⁵³ ulps &lt; K for K = ⌈f·2⁵⁴⌉ + 1
    /// &lt; 2²⁶. So |L − 2²⁸| &gt; K leaves no midpoint within δ of Ŝ: S and Ŝ round to the same float, the one vcvtpd2ps
    /// gives (round to nearest even). Ŝ must also lie in [2⁻¹²⁶, 3·10³⁸] (a normal float below the largest, as
    /// ProvenFloats asks; NaN fails the compares). Lanes that fail go through F32Abs.Finish, else alone — as in
    /// ProvenFloats; every stored float is the correctly rounded norm, so the bits are those of the paths it replaces.</summary>
    private static FpEvents AbsSumFloats(ReductionPlan plan, byte* x, DType t, byte* o, long k0, int w, double* st, long n, out int done)
    {
        const double u = 1.0 / (1L << 53);
        long chain = Chain(n);
        double du = (chain + 1) * u;
        done = 0;
        if (!(du < 1.0 / (1 << 20))) return FpEvents.None;
        double eta = du * (1 + 2 * du);
        double f = 2.5 * eta + 8 * u;
        long k = (long)Math.Ceiling(f * 18014398509481984.0) + 1; // f·2⁵⁴ + margin
        if (k >= 1L << 26) return FpEvents.None;
        var low = Vector256.Create((1L << 29) - 1);
        var mid = Vector256.Create(1L << 28);
        var kk = Vector256.Create(k);
        var nk = Vector256.Create(-k);
        var least = Vector256.Create(1.1754943508222875e-38); // 2⁻¹²⁶
        var top = Vector256.Create(3.0e38);
        long os = plan.OuterOutStrides[0];
        byte* dst = o + k0 * os;
        int w4 = w & ~3;
        byte* masks = stackalloc byte[(w4 >> 2) + 1];
        for (int q = 0; q < w4; q += 4)
        {
            var r = Vector256.Load(st + q);
            var d = (r.AsInt64() & low) - mid;
            var ok = (Vector256.GreaterThan(d, kk) | Vector256.LessThan(d, nk)).AsDouble()
                     & Vector256.GreaterThanOrEqual(r, least) & Vector256.LessThanOrEqual(r, top);
            ExactFinish.StoreFour(Avx.ConvertToVector128Single(r), dst + q * os, os);
            masks[q >> 2] = (byte)Vector256.ExtractMostSignificantBits(ok);
        }
        var ev = FpEvents.None;
        long s = plan.InnerStrides[0];
        byte* col = x + plan.InnerBaseOffset + k0 * 4;
        for (int q = 0; q < w4; q += 4)
        {
            uint bad = ~(uint)masks[q >> 2] & 0xF;
            if (bad == 0) continue;
            bad &= ~ExactFour(col + q * 4, n, s, Vector256.Load(st + q));
            for (; bad != 0; bad &= bad - 1)
            {
                int j = q + System.Numerics.BitOperations.TrailingZeroCount(bad);
                if (!ExactAbsSum(col + j * 4, n, s, dst + j * os)
                    && !F32Abs.Finish((byte*)st + 64 * (j >> 3), j & 7, n, chain, dst + j * os, DType.Float32))
                    ev |= Alone(plan, x, t, o, DType.Float32, 1, k0 + j);
            }
        }
        done = w4;
        return ev;
    }

    /// <summary>A bit per lane of four adjacent float32 columns at <paramref name="v"/> whose double sum of |x|, in row
    /// order, is exact and a normal float below the largest (so the float AbsSumFloats stored from the lane — the same
    /// additions in the same order — is the correctly rounded norm): <see cref="ExactAbsSum"/>'s test on four lanes,
    /// one branch per four columns instead of a scalar column walk per failing lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ExactFour(byte* v, long n, long stride, Vector256<double> lane)
    {
        var sum = Vector256<double>.Zero;
        var exact = Vector256<double>.AllBitsSet;
        for (long i = 0; i < n; i++, v += stride)
        {
            var a = Vector256.Abs(Avx.ConvertToVector256Double(Vector128.Load((float*)v)));
            var u = sum + a;
            exact &= Vector256.Equals(u - sum, a) & Vector256.Equals(u - a, sum);
            sum = u;
        }
        exact &= Vector256.Equals(sum, lane) & Vector256.GreaterThanOrEqual(sum, Vector256.Create(1.1754943508222875e-38))
                 & Vector256.LessThanOrEqual(sum, Vector256.Create(3.0e38));
        return Vector256.ExtractMostSignificantBits(exact);
    }

    /// <summary>Stores the float32 Σ|v| of a column when its double sum is exact (then rounding it once is the correctly
    /// rounded norm; a column of sums landing on float32 midpoints, ~8% of random (4, n) columns, failed the test and
    /// cost ~10 ns each through Finish and the dispatch). An addition t = a + b of doubles is exact iff t − a = b and
    /// t − b = a: when exact both differences are exact; when not, the difference taken from the larger operand is
    /// exact (Fast2Sum) and so differs. Branch-free along the column; false (nothing stored) for an inexact sum, NaN,
    /// ∞ or a result that is not a normal float below the largest.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ExactAbsSum(byte* v, long n, long stride, byte* dst)
    {
        double sum = 0;
        bool exact = true;
        for (long i = 0; i < n; i++, v += stride)
        {
            double a = Math.Abs((double)Unsafe.ReadUnaligned<float>(v));
            double u = sum + a;
            exact &= (u - sum == a) & (u - a == sum);
            sum = u;
        }
        if (!exact || !(sum >= 1.1754943508222875e-38 && sum <= 3.0e38)) return false;
        Unsafe.WriteUnaligned(dst, (float)sum);
        return true;
    }

    /// <summary>Output <paramref name="k"/> as the 1-D reduction of its column, through the whole dispatch.</summary>
    private static FpEvents Alone(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p, long k)
    {
        long size = DTypes.ItemSize(t);
        return Alone(x + plan.InnerBaseOffset + k * size, t, plan.InnerCount, plan.InnerStrides[0], o + k * plan.OuterOutStrides[0], ot, p);
    }

    /// <summary>The 1-D reduction of the <paramref name="n"/> elements <paramref name="stride"/> bytes apart at
    /// <paramref name="v"/>, through the whole dispatch (a single output: no across-output kernel takes it) — or,
    /// for a float32 ord-1 line whose double sum is exact, that sum rounded once (the same correctly rounded bits,
    /// without the dispatch: see <see cref="FloatPowFast.TryStoreExactAbsSum"/>).
    /// A line with a zero at a negative order is finished from one scan (<see cref="NegativeZeros"/>: 0 or NaN,
    /// the 1-D path's value and events).</summary>
    internal static FpEvents Alone(byte* v, DType t, long n, long stride, byte* dst, DType ot, double p)
        => t == DType.Float32 && p == 1 && FloatPowFast.TryStoreExactAbsSum(v, n, stride, dst) ? FpEvents.None
        : p < 0 && NegativeZeros.TryStore(v, t, n, stride, dst, ot, p, out var zev) ? zev
        : VectorNorms.Compute(new NdView(v, t, new[] { n }, new[] { stride }), 1, Ord.Of(p),
            new NdView(dst, ot, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));

    /// <summary>Sum of the eight double lanes into lane 0 (a term passes through ≤ 4 more additions).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void FoldSum(ref Vector256<double> a0, ref Vector256<double> a1)
    {
        a0 = Vector256.CreateScalar(Vector256.Sum(a0 + a1));
        a1 = default;
    }

    /// <summary>Integer max (min) of the eight int32 lanes of a0 (a1) into lane 0 of each.</summary>
    internal static void FoldInt32(ref Vector256<double> a0, ref Vector256<double> a1, bool minFirst, bool sumFirst)
    {
        int* v = stackalloc int[16];
        a0.Store((double*)v); a1.Store((double*)v + 4);
        int r0 = v[0], r1 = v[8];
        for (int i = 1; i < 8; i++)
        {
            r0 = sumFirst ? r0 + v[i] : minFirst ? Math.Min(r0, v[i]) : Math.Max(r0, v[i]);
            r1 = Math.Max(r1, v[8 + i]);
        }
        a0 = Vector256.CreateScalar(r0).AsDouble(); a1 = Vector256.CreateScalar(r1).AsDouble();
    }

    /// <summary>Integer max (sum) of the eight int64 lanes of a0 and a1 into lane 0 of a0.</summary>
    internal static void FoldInt64(ref Vector256<double> a0, ref Vector256<double> a1, bool sum)
    {
        long* v = stackalloc long[8];
        a0.Store((double*)v); a1.Store((double*)v + 4);
        long r = v[0];
        for (int i = 1; i < 8; i++) r = sum ? r + v[i] : Math.Max(r, v[i]);
        a0 = Vector256.CreateScalar(r).AsDouble(); a1 = default;
    }

    /// <summary>Double lane <paramref name="lane"/> of a widened group (outputs 0–3 in a0, 4–7 in a1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Lane(byte* st, int lane) => ((double*)st)[lane];

    /// <summary>Longest chain of additions a term passes through in a lane of n terms (the sum starts at 0).</summary>
    internal static long Chain(long n) => n + 1;
}

/// <summary>Σx² of float32 in double: squares exact, n roundings along the lane; proved/rounded by
/// <see cref="FloatFastPath.TryStore"/>.</summary>
internal readonly unsafe struct F32Squares : IColumnOp
{
    public static int Size => 4;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1) { a0 = default; a1 = default; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
    {
        var (w0, w1) = Vector256.Widen(Vector256.Load((float*)p));
        a0 = Vector256.FusedMultiplyAdd(w0, w0, a0); // w² exact: the FMA rounds like the separate add
        a1 = Vector256.FusedMultiplyAdd(w1, w1, a1);
    }
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1) => AcrossOutputsWide.FoldSum(ref a0, ref a1);
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot)
        => FloatFastPath.TryStore(AcrossOutputsWide.Lane(st, lane), chain, dst);
    public static bool FinishFour(byte* st, int half, long chain, byte* dst, long os, DType ot)
        => C64Squares.TryStoreFour(Vector256.Load((double*)st + 4 * half), chain, dst, os);
    // the band finish proves √Ŝ with FloatPowFast.TryStore's wider interval (2.5η + 8u ⊇ γ + 8u): where it fails
    // FloatFastPath.TryStore still may store the same float
    public static bool ProvenRoot => true;
    public static Vector256<double> Root4(Vector256<double> s) => Vector256.Sqrt(s);
}

/// <summary>Σ|x| of float32 in double (terms exact).</summary>
internal readonly unsafe struct F32Abs : IColumnOp
{
    public static int Size => 4;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1) { a0 = default; a1 = default; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
    {
        var (w0, w1) = Vector256.Widen(Vector256.Abs(Vector256.Load((float*)p)));
        a0 += w0; a1 += w1;
    }
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1) => AcrossOutputsWide.FoldSum(ref a0, ref a1);
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot)
        => FloatPowFast.TryStore(AcrossOutputsWide.Lane(st, lane), chain + 1, dst);
    public static bool ProvenRoot => true;
    public static long RootUlps => 1;
}

/// <summary>Σ|x|³ of float32 in double (x² exact, one rounding for the third factor; within [2⁻⁴⁴⁷, 2³⁸⁴], so no
/// underflow or overflow), the result ∛Ŝ by <see cref="FloatPowFast.Cbrt"/>, whose bound the rounding test adds.</summary>
internal readonly unsafe struct F32Cubes : IColumnOp
{
    public static long ParallelElements => Parallelism.CostlyElements;
    public static int Size => 4;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1) { a0 = default; a1 = default; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
    {
        var (w0, w1) = Vector256.Widen(Vector256.Abs(Vector256.Load((float*)p)));
        a0 += (w0 * w0) * w0; a1 += (w1 * w1) * w1;
    }
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1) => AcrossOutputsWide.FoldSum(ref a0, ref a1);
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot)
    {
        double s = AcrossOutputsWide.Lane(st, lane);
        return FloatPowFast.TryStore(FloatPowFast.Cbrt(s), chain + 2 + FloatPowFast.CbrtUlps, dst);
    }
    public static bool ProvenRoot => true;
    /// <summary><see cref="FloatPowFast.Cbrt"/> of four lanes: in four vector lanes when every sum is in its fast range
    /// (<see cref="FloatPowFast.CbrtLanes"/>, the same value per lane; the four scalar calls were a third of float32
    /// (4, 3000) ord 3), else lane by lane.</summary>
    public static Vector256<double> Root4(Vector256<double> s)
        => FloatPowFast.InCbrtRange(s) ? FloatPowFast.CbrtLanes(s)
           : Vector256.Create(FloatPowFast.Cbrt(s[0]), FloatPowFast.Cbrt(s[1]), FloatPowFast.Cbrt(s[2]), FloatPowFast.Cbrt(s[3]));
    public static long RootUlps => 2 + FloatPowFast.CbrtUlps;
}

/// <summary>Σ|x|⁴ of float32 in double: x² exact, its square added by one FMA (one rounding per addition, as a plain
/// sum of the exact terms would have after their own rounding: the chain counts one more); a float32 fourth power lies
/// in [2⁻⁵⁹⁶, 2⁵¹²], so no underflow or overflow below 2³⁰ rows. The result ⁴√Ŝ = √√Ŝ (two correctly rounded roots,
/// each adding ≤ u, and dividing Ŝ's relative error by 4); proved/rounded by <see cref="FloatPowFast.TryStore"/>,
/// else (near a midpoint, zero, subnormal or non-finite) the column goes alone.</summary>
internal readonly unsafe struct F32Quartics : IColumnOp
{
    public static int Size => 4;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1) { a0 = default; a1 = default; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
    {
        var (w0, w1) = Vector256.Widen(Vector256.Load((float*)p));
        w0 *= w0; w1 *= w1; // exact
        a0 = Vector256.FusedMultiplyAdd(w0, w0, a0);
        a1 = Vector256.FusedMultiplyAdd(w1, w1, a1);
    }
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1) => AcrossOutputsWide.FoldSum(ref a0, ref a1);
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot)
        => FloatPowFast.TryStore(Math.Sqrt(Math.Sqrt(AcrossOutputsWide.Lane(st, lane))), chain + 3, dst);
    public static bool ProvenRoot => true;
    public static Vector256<double> Root4(Vector256<double> s) => Vector256.Sqrt(Vector256.Sqrt(s));
    public static long RootUlps => 3;
}

/// <summary>Σ1/|x| of float32 in double (each term one division, ≤ u; every float's reciprocal is a normal double), the
/// result 1/Ŝ (one more rounding); proved by <see cref="FloatPowFast.TryStore"/>. A zero element makes the sum ∞ and
/// the result 0, an all-∞ column the sum 0 and the result ∞, NaN stays NaN: none of them passes the test (a
/// normal float result), so those columns go alone (their values and divide-by-zero events). These columns went
/// through LaneAcross's exact double-double lanes: (4, 3000) at 0.3× NumPy.</summary>
internal readonly unsafe struct F32Recips : IColumnOp
{
    public static long ParallelElements => Parallelism.CostlyElements;
    public static int Size => 4;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1) { a0 = default; a1 = default; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
    {
        var (w0, w1) = Vector256.Widen(Vector256.Abs(Vector256.Load((float*)p)));
        a0 += Vector256<double>.One / w0; a1 += Vector256<double>.One / w1;
    }
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1) => AcrossOutputsWide.FoldSum(ref a0, ref a1);
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot)
        => FloatPowFast.TryStore(1.0 / AcrossOutputsWide.Lane(st, lane), chain + 2, dst);
    public static bool ProvenRoot => true;
    public static Vector256<double> Root4(Vector256<double> s) => Vector256<double>.One / s;
    public static long RootUlps => 2;
}

/// <summary>Σ√|x| of float32 in double, the result Ŝ². A term is not a double √ (vsqrtpd is the bottleneck) but the
/// float √ s = √x(1 + δ), |δ| ≤ 2⁻²⁴, widened, and one Newton step t = s + (e/2)·h with e = x − s² (exact: one FMA,
/// s² has 48 bits) and h = 1/s(1 + ρ) from the float division (correctly rounded: |ρ| ≤ 2⁻²⁴). Exact Newton gives
/// √x(1 + δ²/(2(1 + δ))), h adds √x·δρ, the two roundings ≤ 2u: |t/√x − 1| ≤ 2⁻⁴⁹ + 2⁻⁴⁸ + 2u &lt; 2⁻⁴⁷ = 64u,
/// passed on to the rounding test (the root Ŝ² doubles it) as 2⁷ more roundings. With the float reciprocal estimate
/// (|ρ| ≤ 1.5·2⁻¹², 2¹⁹ roundings) the test failed for ~0.3% of outputs, each then alone: most of the float32
/// (4, 3000) axis-0 call. A zero gives 0 (h from max(s, 2⁻¹⁰⁰)), ∞ and NaN give NaN (alone).</summary>
internal readonly unsafe struct F32Roots : IColumnOp
{
    public static long ParallelElements => Parallelism.CostlyElements;
    public static int Size => 4;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1) { a0 = default; a1 = default; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
    {
        var x = Vector256.Abs(Vector256.Load((float*)p));
        var s = Vector256.Sqrt(x);
        var hs = Vector256.Max(s, Vector256.Create(TinyRoot));
        var h = Vector256<float>.One / hs;
        var (x0, x1) = Vector256.Widen(x);
        var (s0, s1) = Vector256.Widen(s);
        var (h0, h1) = Vector256.Widen(h);
        var half = Vector256.Create(0.5);
        a0 += Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(-s0, s0, x0) * half, h0, s0);
        a1 += Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(-s1, s1, x1) * half, h1, s1);
    }
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1) => AcrossOutputsWide.FoldSum(ref a0, ref a1);
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot)
    {
        double s = AcrossOutputsWide.Lane(st, lane);
        return FloatPowFast.TryStore(s * s, chain + 2 + (1 << 7), dst);
    }
    public static bool ProvenRoot => true;
    public static Vector256<double> Root4(Vector256<double> s) => s * s;
    public static long RootUlps => 2 + (1 << 7);

    /// <summary>2⁻¹⁰⁰: below √ of the least float (2⁻⁷⁴·⁵), so only a zero is raised to it.</summary>
    private static readonly float TinyRoot = MathF.ScaleB(1f, -100);
}

/// <summary>Shared finish of the exact ops: a finite value is stored as the block driver's <see cref="StatsOp"/> /
/// <see cref="MaxAbsOp"/> store it (one rounding into the result dtype); NaN goes to the exact path.</summary>
internal static unsafe class ExactFinish
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Store(double v, byte* dst, DType ot)
    {
        if (double.IsNaN(v)) return false;
        // v is a float64 (float32 for float32 outputs) value already: the direct store is ResultWriter's rounding
        if (ot == DType.Float64) Unsafe.WriteUnaligned(dst, v);
        else if (ot == DType.Float32) Unsafe.WriteUnaligned(dst, (float)v);
        else ResultWriter.Store(ot, dst, v, 0, 0);
        return true;
    }

    /// <summary>Stores four finite results of the output dtype (the values <see cref="Store"/> writes), <paramref name="os"/> bytes apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool StoreFour<T>(Vector128<T> v, byte* dst, long os) where T : unmanaged
    {
        if (os == sizeof(T)) v.Store((T*)dst);
        else
            for (int i = 0; i < 4; i++) Unsafe.WriteUnaligned(dst + i * os, v.GetElement(i));
        return true;
    }

    /// <summary>Stores eight finite float32 results (the values <see cref="Store"/> writes), <paramref name="os"/> bytes
    /// apart: one store for adjacent outputs. The float32 ±∞ columns finished four at a time spent most of a (4, 30000)
    /// call in the per-group finish loop (22 µs, NumPy's time, against 15 µs for ord 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool StoreEight(Vector256<float> v, byte* dst, long os) => StoreLanes(v, dst, os);

    /// <inheritdoc cref="StoreFour{T}(Vector128{T}, byte*, long)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool StoreFour(Vector256<double> v, byte* dst, long os) => StoreLanes(v, dst, os);

    /// <summary>Every lane of <paramref name="v"/> to its output, <paramref name="os"/> bytes apart (one store when adjacent).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool StoreLanes<T>(Vector256<T> v, byte* dst, long os) where T : unmanaged
    {
        if (os == sizeof(T)) v.Store((T*)dst);
        else
            for (int i = 0; i < Vector256<T>.Count; i++) Unsafe.WriteUnaligned(dst + i * os, v.GetElement(i));
        return true;
    }

    /// <summary><see cref="Count(long, long, byte*, DType)"/> of eight outputs at once from eight int32 zero counts at
    /// <paramref name="st"/> (the values Count stores: n − zeros, exact in float32 up to 2²⁴ and in float64); false,
    /// with nothing stored, for other result dtypes or longer lines. One store per group instead of a call per output:
    /// (4,3000) float32 ord 0 spent most of its time in the per-output stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool CountEight(byte* st, long n, byte* dst, long os, DType ot)
        => n <= 1 << 24 && Avx.IsSupported && StoreCounts(Vector256.Load((int*)st), n, dst, os, ot);

    /// <summary><see cref="CountEight(byte*, long, byte*, long, DType)"/> from eight int64 zero counts (outputs 0–3, then 4–7).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool CountEight64(byte* st, long n, byte* dst, long os, DType ot)
    {
        if (n > 1 << 24 || !Avx2.IsSupported) return false;
        // counts below 2²⁴: the low int32 of each int64 lane holds it
        var idx = Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6);
        var lo = Avx2.PermuteVar8x32(Vector256.Load((int*)st), idx);
        var hi = Avx2.PermuteVar8x32(Vector256.Load((int*)st + 8), idx);
        return StoreCounts(Vector256.Create(lo.GetLower(), hi.GetLower()), n, dst, os, ot);
    }

    /// <summary>Stores n − zeros for eight outputs (n ≤ 2²⁴), float32 or float64; false for other result dtypes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool StoreCounts(Vector256<int> zeros, long n, byte* dst, long os, DType ot)
    {
        var c = Vector256.Create((int)n) - zeros;
        if (ot == DType.Float32)
        {
            var f = Avx.ConvertToVector256Single(c);
            if (os == 4) f.Store((float*)dst);
            else for (int i = 0; i < 8; i++) Unsafe.WriteUnaligned(dst + i * os, f.GetElement(i));
            return true;
        }
        if (ot != DType.Float64) return false;
        StoreFour(Avx.ConvertToVector256Double(c.GetLower()), dst, os);
        StoreFour(Avx.ConvertToVector256Double(c.GetUpper()), dst + 4 * os, os);
        return true;
    }

    /// <summary>The number of nonzero elements (NaN counts) from a count of zeros; never an FP event.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Count(long zeros, long n, byte* dst, DType ot)
    {
        double c = n - zeros; // exact below 2⁵³
        if (ot == DType.Float64) Unsafe.WriteUnaligned(dst, c);
        else if (ot == DType.Float32 && c <= 1 << 24) Unsafe.WriteUnaligned(dst, (float)c);
        else ResultWriter.Store(ot, dst, c, 0, 0);
        return true;
    }
}

/// <summary>max |x| of float32: integer max of the sign-cleared bits (8 × int32 in a0; NaN patterns lie above ∞).</summary>
internal readonly unsafe struct F32Max : IColumnOp
{
    public static int Size => 4;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1) { a0 = default; a1 = default; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
        => a0 = Vector256.Max(a0.AsInt32(), Vector256.Load((int*)p) & Vector256.Create(0x7FFF_FFFF)).AsDouble();
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1) => AcrossOutputsWide.FoldInt32(ref a0, ref a1, false, false);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot)
    {
        int b = ((int*)st)[lane];
        return b <= 0x7F80_0000 && ExactFinish.Store(BitConverter.Int32BitsToSingle(b), dst, ot);
    }
    public static bool FinishFour(byte* st, int half, long chain, byte* dst, long os, DType ot)
    {
        var b = Vector128.Load((int*)st + 4 * half);
        return ot == DType.Float32 && Vector128.LessThanOrEqualAll(b, Vector128.Create(0x7F80_0000)) && ExactFinish.StoreFour(b.AsSingle(), dst, os);
    }
    public static bool FinishEight(byte* st, long n, long chain, byte* dst, long os, DType ot)
    {
        var b = Vector256.Load((int*)st);
        return ot == DType.Float32 && Vector256.LessThanOrEqualAll(b, Vector256.Create(0x7F80_0000)) && ExactFinish.StoreEight(b.AsSingle(), dst, os);
    }
}

/// <summary>min |x| of float32 (a0: integer min of the sign-cleared bits; a1: their max, for the NaN test).</summary>
internal readonly unsafe struct F32Min : IColumnOp
{
    public static int Size => 4;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1)
    {
        a0 = Vector256.Create(int.MaxValue).AsDouble(); a1 = default;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
    {
        var b = Vector256.Load((int*)p) & Vector256.Create(0x7FFF_FFFF);
        a0 = Vector256.Min(a0.AsInt32(), b).AsDouble();
        a1 = Vector256.Max(a1.AsInt32(), b).AsDouble();
    }
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1) => AcrossOutputsWide.FoldInt32(ref a0, ref a1, true, false);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot)
        => ((int*)st)[8 + lane] <= 0x7F80_0000 && ExactFinish.Store(BitConverter.Int32BitsToSingle(((int*)st)[lane]), dst, ot);
    public static bool FinishFour(byte* st, int half, long chain, byte* dst, long os, DType ot)
        => ot == DType.Float32 && Vector128.LessThanOrEqualAll(Vector128.Load((int*)st + 8 + 4 * half), Vector128.Create(0x7F80_0000))
           && ExactFinish.StoreFour(Vector128.Load((float*)st + 4 * half), dst, os);
    public static bool FinishEight(byte* st, long n, long chain, byte* dst, long os, DType ot)
        => ot == DType.Float32 && Vector256.LessThanOrEqualAll(Vector256.Load((int*)st + 8), Vector256.Create(0x7F80_0000))
           && ExactFinish.StoreEight(Vector256.Load((float*)st), dst, os);
}

/// <summary>Number of nonzero float32 elements: a0 counts the zeros per lane (int32; NaN ≠ 0 is nonzero).</summary>
internal readonly unsafe struct F32Count : IColumnOp
{
    public static int Size => 4;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1) { a0 = default; a1 = default; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
        => a0 = (a0.AsInt32() - Vector256.Equals(Vector256.Load((float*)p), Vector256<float>.Zero).AsInt32()).AsDouble();
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1) => AcrossOutputsWide.FoldInt32(ref a0, ref a1, false, true);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot)
        => ExactFinish.Count(((int*)st)[lane], n, dst, ot);
    public static bool FinishEight(byte* st, long n, long chain, byte* dst, long os, DType ot) => ExactFinish.CountEight(st, n, dst, os, ot);
}

/// <summary>The sign-cleared bits of eight float16 values as int32 lanes (NaN patterns lie above ∞'s 0x7C00).</summary>
internal static unsafe class HalfBits
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Load(byte* p) => Avx2.ConvertToVector256Int32((ushort*)p) & Vector256.Create(0x7FFF);

    /// <summary>Stores the half whose sign-cleared bits are <paramref name="b"/> (not NaN) exactly: into a float16 output
    /// the bits themselves (what the conversions to double and back gave, through two software conversions per output:
    /// float16 (4, 3000) ±∞ 0.69× NumPy), else the value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Store(int b, byte* dst, DType ot)
    {
        if (ot == DType.Float16) { Unsafe.WriteUnaligned(dst, (ushort)b); return true; }
        return ExactFinish.Store((double)BitConverter.UInt16BitsToHalf((ushort)b), dst, ot);
    }

    /// <summary>Eight float16 outputs at once (<paramref name="os"/> = 2, float16 out) from the sign-cleared bits b of a
    /// group when <paramref name="check"/> (the bits whose NaN decides) holds none above ∞'s: the bits narrowed and
    /// stored, as <see cref="Store"/> writes each; else false with nothing stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool StoreEight(Vector256<int> b, Vector256<int> check, byte* dst, long os, DType ot)
    {
        if (ot != DType.Float16 || os != 2 || !Vector256.LessThanOrEqualAll(check, Vector256.Create(0x7C00))) return false;
        Vector128.Narrow(b.GetLower(), b.GetUpper()).AsUInt16().Store((ushort*)dst);
        return true;
    }
}

/// <summary>max |x| of float16: integer max of the sign-cleared bits (8 × int32 in a0).</summary>
internal readonly unsafe struct F16Max : IColumnOp
{
    public static int Size => 2;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1) { a0 = default; a1 = default; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
        => a0 = Vector256.Max(a0.AsInt32(), HalfBits.Load(p)).AsDouble();
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1) => AcrossOutputsWide.FoldInt32(ref a0, ref a1, false, false);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot)
    {
        int b = ((int*)st)[lane];
        return b <= 0x7C00 && HalfBits.Store(b, dst, ot);
    }
    public static bool FinishEight(byte* st, long n, long chain, byte* dst, long os, DType ot)
    {
        var b = Vector256.Load((int*)st);
        return HalfBits.StoreEight(b, b, dst, os, ot);
    }
}

/// <summary>min |x| of float16 (a0: integer min of the sign-cleared bits; a1: their max, for the NaN test).</summary>
internal readonly unsafe struct F16Min : IColumnOp
{
    public static int Size => 2;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1)
    {
        a0 = Vector256.Create(int.MaxValue).AsDouble(); a1 = default;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
    {
        var b = HalfBits.Load(p);
        a0 = Vector256.Min(a0.AsInt32(), b).AsDouble();
        a1 = Vector256.Max(a1.AsInt32(), b).AsDouble();
    }
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1) => AcrossOutputsWide.FoldInt32(ref a0, ref a1, true, false);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot)
        => ((int*)st)[8 + lane] <= 0x7C00 && HalfBits.Store(((int*)st)[lane], dst, ot);
    public static bool FinishEight(byte* st, long n, long chain, byte* dst, long os, DType ot)
        => HalfBits.StoreEight(Vector256.Load((int*)st), Vector256.Load((int*)st + 8), dst, os, ot);
}

/// <summary>Number of nonzero float16 elements: a0 counts the zeros per lane (int32; NaN is nonzero).</summary>
internal readonly unsafe struct F16Count : IColumnOp
{
    public static int Size => 2;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1) { a0 = default; a1 = default; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
        => a0 = (a0.AsInt32() - Vector256.Equals(HalfBits.Load(p), Vector256<int>.Zero)).AsDouble();
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1) => AcrossOutputsWide.FoldInt32(ref a0, ref a1, false, true);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot)
        => ExactFinish.Count(((int*)st)[lane], n, dst, ot);
}

/// <summary>max |x| of float64: integer max of the sign-cleared bits (outputs 0–3 in a0, 4–7 in a1).</summary>
internal readonly unsafe struct F64Max : IColumnOp
{
    public static int Size => 8;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1) { a0 = default; a1 = default; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
    {
        var m = Vector256.Create(0x7FFF_FFFF_FFFF_FFFFL);
        a0 = Vector256.Max(a0.AsInt64(), Vector256.Load((long*)p) & m).AsDouble();
        a1 = Vector256.Max(a1.AsInt64(), Vector256.Load((long*)p + 4) & m).AsDouble();
    }
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1) => AcrossOutputsWide.FoldInt64(ref a0, ref a1, false);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot)
        => ExactFinish.Store(((double*)st)[lane], dst, ot); // NaN patterns are above ∞'s, and NaN goes alone
    public static bool FinishFour(byte* st, int half, long chain, byte* dst, long os, DType ot)
    {
        var b = Vector256.Load((long*)st + 4 * half);
        return ot == DType.Float64 && Vector256.LessThanOrEqualAll(b, Vector256.Create(0x7FF0_0000_0000_0000L)) && ExactFinish.StoreFour(b.AsDouble(), dst, os);
    }
    public static bool FinishEight(byte* st, long n, long chain, byte* dst, long os, DType ot)
    {
        Vector256<long> b0 = Vector256.Load((long*)st), b1 = Vector256.Load((long*)st + 4), inf = Vector256.Create(0x7FF0_0000_0000_0000L);
        return ot == DType.Float64 && Vector256.LessThanOrEqualAll(b0, inf) && Vector256.LessThanOrEqualAll(b1, inf)
               && ExactFinish.StoreFour(b0.AsDouble(), dst, os) && ExactFinish.StoreFour(b1.AsDouble(), dst + 4 * os, os);
    }
}

/// <summary>min |x| of float64: integer min of the sign-cleared bits, where a NaN's pattern (above ∞'s) is first
/// replaced by −1, so a lane that saw a NaN ends negative and its output goes alone (NaN, as NumPy's minimum).</summary>
internal readonly unsafe struct F64Min : IColumnOp
{
    public static int Size => 8;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1)
    {
        a0 = Vector256.Create(long.MaxValue).AsDouble(); a1 = a0;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
    {
        a0 = Vector256.Min(a0.AsInt64(), Bits(Vector256.Load((long*)p))).AsDouble();
        a1 = Vector256.Min(a1.AsInt64(), Bits(Vector256.Load((long*)p + 4))).AsDouble();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> Bits(Vector256<long> v)
    {
        var b = v & Vector256.Create(0x7FFF_FFFF_FFFF_FFFFL);
        return b | Vector256.GreaterThan(b, Vector256.Create(0x7FF0_0000_0000_0000L));
    }
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1)
    {
        long* v = stackalloc long[8];
        a0.Store((double*)v); a1.Store((double*)v + 4);
        long r = v[0];
        for (int i = 1; i < 8; i++) r = Math.Min(r, v[i]); // a NaN's −1 wins
        a0 = Vector256.CreateScalar(r).AsDouble(); a1 = default;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot)
    {
        long b = ((long*)st)[lane];
        return b >= 0 && ExactFinish.Store(BitConverter.Int64BitsToDouble(b), dst, ot);
    }
    public static bool FinishFour(byte* st, int half, long chain, byte* dst, long os, DType ot)
    {
        var b = Vector256.Load((long*)st + 4 * half);
        return ot == DType.Float64 && Vector256.GreaterThanOrEqualAll(b, Vector256<long>.Zero) && ExactFinish.StoreFour(b.AsDouble(), dst, os);
    }
    public static bool FinishEight(byte* st, long n, long chain, byte* dst, long os, DType ot)
    {
        Vector256<long> b0 = Vector256.Load((long*)st), b1 = Vector256.Load((long*)st + 4);
        return ot == DType.Float64 && Vector256.GreaterThanOrEqualAll(b0, Vector256<long>.Zero) && Vector256.GreaterThanOrEqualAll(b1, Vector256<long>.Zero)
               && ExactFinish.StoreFour(b0.AsDouble(), dst, os) && ExactFinish.StoreFour(b1.AsDouble(), dst + 4 * os, os);
    }
}

/// <summary>max |z| of complex64 (<see cref="C64Squares"/>): integer max of the bits of s = fl(re² + im²) ≥ 0 (a NaN's
/// pattern lies above ∞'s and goes alone).</summary>
internal readonly unsafe struct C64Max : IColumnOp
{
    public static long ParallelElements => Parallelism.CostlyElements;
    public static int Size => 8;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1) { a0 = default; a1 = default; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
    {
        C64Squares.Load(p, out var s0, out var s1);
        a0 = Vector256.Max(a0.AsInt64(), s0.AsInt64()).AsDouble();
        a1 = Vector256.Max(a1.AsInt64(), s1.AsInt64()).AsDouble();
    }
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1) => AcrossOutputsWide.FoldInt64(ref a0, ref a1, false);
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot) => C64Squares.Store(st, lane, dst);
    public static bool FinishFour(byte* st, int half, long chain, byte* dst, long os, DType ot) => C64Squares.StoreFour(st, half, dst, os);
    public static bool FinishEight(byte* st, long n, long chain, byte* dst, long os, DType ot) => C64Squares.StoreEight(st, 2, dst, os);
}

/// <summary>min |z| of complex64: integer min of the bits of s, a NaN's replaced by −1 (the lane then goes alone).</summary>
internal readonly unsafe struct C64Min : IColumnOp
{
    public static long ParallelElements => Parallelism.CostlyElements;
    public static int Size => 8;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1)
    {
        a0 = Vector256.Create(long.MaxValue).AsDouble(); a1 = a0;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
    {
        C64Squares.Load(p, out var s0, out var s1);
        var inf = Vector256.Create(0x7FF0_0000_0000_0000L);
        var b0 = s0.AsInt64(); var b1 = s1.AsInt64();
        a0 = Vector256.Min(a0.AsInt64(), b0 | Vector256.GreaterThan(b0, inf)).AsDouble();
        a1 = Vector256.Min(a1.AsInt64(), b1 | Vector256.GreaterThan(b1, inf)).AsDouble();
    }
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1)
    {
        long* v = stackalloc long[8];
        a0.Store((double*)v); a1.Store((double*)v + 4);
        long r = v[0];
        for (int i = 1; i < 8; i++) r = Math.Min(r, v[i]); // a NaN's −1 wins
        a0 = Vector256.CreateScalar(r).AsDouble(); a1 = default;
    }
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot) => C64Squares.Store(st, lane, dst);
    public static bool FinishFour(byte* st, int half, long chain, byte* dst, long os, DType ot) => C64Squares.StoreFour(st, half, dst, os);
    public static bool FinishEight(byte* st, long n, long chain, byte* dst, long os, DType ot) => C64Squares.StoreEight(st, 2, dst, os);
}

/// <summary>s = fl(re² + im²) of eight complex64 values (squares exact in double, one rounding), and the store of
/// √s. fl is monotone, so the max (min) of the s of a column is fl(S*) of its exact extreme S* = |z*|², within one
/// rounding: <see cref="FloatFastPath.TryStore"/> stores (float)√s only when that is provably the correctly rounded
/// |z*| — the unique value the 1-D path stores; anything else (NaN, ∞, subnormal results, near-midpoints) goes alone.
/// Outputs 0, 2, 1, 3 are in lanes 0–3 of the first vector, 4, 6, 5, 7 in the second.</summary>
internal static unsafe class C64Squares
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load(byte* p, out Vector256<double> s0, out Vector256<double> s1)
    {
        if (Avx512F.IsSupported)
        {
            var s = Load512(p);
            s0 = s.GetLower(); s1 = s.GetUpper();
            return;
        }
        var (u0, u1) = Vector256.Widen(Vector256.Load((float*)p));
        var (v0, v1) = Vector256.Widen(Vector256.Load((float*)p + 8));
        var m = Vector256.Create(0x7FFF_FFFF_FFFF_FFFFL).AsDouble(); // a NaN may carry a sign
        s0 = Avx.HorizontalAdd(u0 * u0, u1 * u1) & m;
        s1 = Avx.HorizontalAdd(v0 * v0, v1 * v1) & m;
    }

    /// <summary><see cref="Load"/>'s two vectors as one (outputs 0, 2, 1, 3, 4, 6, 5, 7), the same bits: the 16 floats
    /// widened by two vcvtps2pd, the real and imaginary parts gathered in that output order by two vpermt2pd, then
    /// fma(re, re, im·im) — im² and re² are exact in double (24-bit significands), so the FMA rounds re² + im² once,
    /// as the AVX2 route's horizontal add of the two exact squares does (the same value; the addition commutes) — and
    /// the sign bit cleared as there. Half the instructions of the AVX2 route (whose 256-bit hadds cost three µops
    /// each): the loads bounded complex64 column loops (4, 3000) ord 1 / ±∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Load512(byte* p)
    {
        var w0 = Avx512F.ConvertToVector512Double(Vector256.Load((float*)p));     // re0 im0 … re3 im3
        var w1 = Avx512F.ConvertToVector512Double(Vector256.Load((float*)p + 8)); // re4 im4 … re7 im7
        var re = Avx512F.PermuteVar8x64x2(w0, Vector512.Create(0L, 4, 2, 6, 8, 12, 10, 14), w1);
        var im = Avx512F.PermuteVar8x64x2(w0, Vector512.Create(1L, 5, 3, 7, 9, 13, 11, 15), w1);
        return Vector512.FusedMultiplyAdd(re, re, im * im) & Vector512.Create(0x7FFF_FFFF_FFFF_FFFFL).AsDouble(); // a NaN may carry a sign
    }

    /// <summary>The double lane of output <paramref name="lane"/> (0…7) in the order <see cref="Load"/> leaves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LaneOf(int lane) => (lane & 4) | ((lane & 1) << 1) | ((lane >> 1) & 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Store(byte* st, int lane, byte* dst)
    {
        long b = ((long*)st)[LaneOf(lane)];
        return b >= 0 && b < 0x7FF0_0000_0000_0000L && FloatFastPath.TryStore(BitConverter.Int64BitsToDouble(b), 2, dst);
    }

    /// <summary><see cref="Store"/> of outputs 4·half … 4·half + 3 at once (lanes back in output order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool StoreFour(byte* st, int half, byte* dst, long os)
        => Avx2.IsSupported && TryStoreFour(Avx2.Permute4x64(Vector256.Load((double*)st + 4 * half), 0b11_01_10_00), 2, dst, os);

    /// <summary><see cref="FloatPowFast.TryStore"/> on four lanes: the same float (float)r per lane and the same proof
    /// (δ = r·(2.5η + 8u), η = d₁u·(1 + 2d₁u)) that it is the correctly rounded norm, for r with a normal float result
    /// below float.MaxValue; all four stored, or none (false).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryStoreSumFour(Vector256<double> r, long d1, byte* dst, long os)
    {
        const double u = 1.0 / (1L << 53);
        double du = d1 * u;
        if (!(du < 1.0 / (1 << 20))) return false;
        double eta = du * (1 + 2 * du);
        var f = Avx.ConvertToVector128Single(r);
        var fb = f.AsInt32();
        var fd = Avx.ConvertToVector256Double(f);
        var below = Avx.ConvertToVector256Double((fb - Vector128<int>.One).AsSingle());
        var above = Avx.ConvertToVector256Double((fb + Vector128<int>.One).AsSingle());
        var delta = r * Vector256.Create(2.5 * eta + 8 * u);
        var half = Vector256.Create(0.5);
        var ok = Vector256.GreaterThan(r - delta, (fd + below) * half) & Vector256.LessThan(r + delta, (fd + above) * half)
                 & Vector256.GreaterThanOrEqual(fd, Vector256.Create(1.1754943508222875e-38 /* 2⁻¹²⁶ */)) & Vector256.LessThan(fd, Vector256.Create((double)float.MaxValue))
                 & Vector256.LessThan(r, Vector256.Create(double.PositiveInfinity));
        return Vector256.ExtractMostSignificantBits(ok) == 0xF && ExactFinish.StoreFour(f, dst, os);
    }

    /// <summary><see cref="TryStoreSumFour"/> on eight lanes (outputs in order) into eight adjacent floats: the same
    /// float and the same test per lane, all eight stored or none (false). One branch per group instead of two.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryStoreSumEight(Vector512<double> r, long d1, float* dst)
    {
        const double u = 1.0 / (1L << 53);
        double du = d1 * u;
        if (!(du < 1.0 / (1 << 20))) return false;
        double eta = du * (1 + 2 * du);
        var f = Avx512F.ConvertToVector256Single(r);
        var fb = f.AsInt32();
        var fd = Avx512F.ConvertToVector512Double(f);
        var below = Avx512F.ConvertToVector512Double((fb - Vector256<int>.One).AsSingle());
        var above = Avx512F.ConvertToVector512Double((fb + Vector256<int>.One).AsSingle());
        var delta = r * Vector512.Create(2.5 * eta + 8 * u);
        var half = Vector512.Create(0.5);
        var ok = Vector512.GreaterThan(r - delta, (fd + below) * half) & Vector512.LessThan(r + delta, (fd + above) * half)
                 & Vector512.GreaterThanOrEqual(fd, Vector512.Create(1.1754943508222875e-38 /* 2⁻¹²⁶ */)) & Vector512.LessThan(fd, Vector512.Create((double)float.MaxValue))
                 & Vector512.LessThan(r, Vector512.Create(double.PositiveInfinity));
        if (Vector512.ExtractMostSignificantBits(ok) != 0xFF) return false;
        f.Store(dst);
        return true;
    }

    /// <summary>The eight outputs of a group at <paramref name="st"/> (lanes 0, 2, 1, 3, 4, 6, 5, 7) by
    /// <see cref="TryStoreEight"/> with bound <paramref name="d"/> into eight adjacent floats (AVX-512, os = 4), else false.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool StoreEight(byte* st, long d, byte* dst, long os)
        => Avx512F.IsSupported && os == 4
           && TryStoreEight(Avx512F.PermuteVar8x64(Vector512.Load((double*)st), Vector512.Create(0L, 2, 1, 3, 4, 6, 5, 7)), d, (float*)dst);

    /// <summary><see cref="TryStoreFour"/> on eight lanes (outputs in order) into eight adjacent floats: the same float
    /// (float)√s and the same test per lane, all eight stored or none (false). One branch per group instead of two.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryStoreEight(Vector512<double> s, long d, float* dst)
    {
        const double u = 1.0 / (1L << 53);
        double du = d * u;
        if (!(du < 1.0 / (1 << 20))) return false;
        var r = Vector512.Sqrt(s);
        var f = Avx512F.ConvertToVector256Single(r);
        var fb = f.AsInt32();
        var fd = Avx512F.ConvertToVector512Double(f);
        var below = Avx512F.ConvertToVector512Double((fb - Vector256<int>.One).AsSingle());
        var above = Avx512F.ConvertToVector512Double((fb + Vector256<int>.One).AsSingle());
        var delta = r * Vector512.Create(du / (1 - du) + 8 * u);
        var half = Vector512.Create(0.5);
        var ok = Vector512.GreaterThan(r - delta, (fd + below) * half) & Vector512.LessThan(r + delta, (fd + above) * half)
                 & Vector512.GreaterThanOrEqual(fd, Vector512.Create(1.1754943508222875e-38 /* 2⁻¹²⁶ */)) & Vector512.LessThan(fd, Vector512.Create((double)float.MaxValue))
                 & Vector512.LessThan(s, Vector512.Create(double.PositiveInfinity));
        if (Vector512.ExtractMostSignificantBits(ok) != 0xFF) return false;
        f.Store(dst);
        return true;
    }

    /// <summary><see cref="FloatFastPath.TryStore"/> on four lanes: the same float (float)√s per lane and the same
    /// proof that it is the correctly rounded norm, for positive finite s with a normal result below float.MaxValue;
    /// all four stored, or none (false).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryStoreFour(Vector256<double> s, long d, byte* dst, long os)
    {
        const double u = 1.0 / (1L << 53);
        double du = d * u;
        if (!(du < 1.0 / (1 << 20))) return false;
        var r = Vector256.Sqrt(s);
        var f = Avx.ConvertToVector128Single(r);
        var fb = f.AsInt32();
        var fd = Avx.ConvertToVector256Double(f);
        var below = Avx.ConvertToVector256Double((fb - Vector128<int>.One).AsSingle());
        var above = Avx.ConvertToVector256Double((fb + Vector128<int>.One).AsSingle());
        var delta = r * Vector256.Create(du / (1 - du) + 8 * u);
        var half = Vector256.Create(0.5);
        var ok = Vector256.GreaterThan(r - delta, (fd + below) * half) & Vector256.LessThan(r + delta, (fd + above) * half)
                 & Vector256.GreaterThanOrEqual(fd, Vector256.Create(1.1754943508222875e-38 /* 2⁻¹²⁶ */)) & Vector256.LessThan(fd, Vector256.Create((double)float.MaxValue))
                 & Vector256.LessThan(s, Vector256.Create(double.PositiveInfinity));
        return Vector256.ExtractMostSignificantBits(ok) == 0xF && ExactFinish.StoreFour(f, dst, os);
    }
}

/// <summary>Σ|z|² of complex64 in double (complex64 2-norm columns): each term s = fl(re² + im²) (squares exact, one
/// rounding, no underflow or overflow for float parts), n more roundings along the lane, so |Ŝ − S| ≤ γ_{chain+1}·S and
/// <see cref="FloatFastPath.TryStore"/> stores (float)√Ŝ only when that is provably the correctly rounded norm — the
/// unique value the 1-D path stores; anything else (NaN, ∞, near-midpoints, subnormal results) goes alone.
/// Lanes hold outputs 0, 2, 1, 3 | 4, 6, 5, 7 (<see cref="C64Squares.Load"/>).</summary>
internal readonly unsafe struct C64SquareSum : IColumnOp
{
    public static int Size => 8;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1) { a0 = default; a1 = default; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
    {
        C64Squares.Load(p, out var s0, out var s1);
        a0 += s0; a1 += s1;
    }
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1) => AcrossOutputsWide.FoldSum(ref a0, ref a1);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot)
        => FloatFastPath.TryStore(((double*)st)[C64Squares.LaneOf(lane)], chain + 1, dst);
    public static bool FinishFour(byte* st, int half, long chain, byte* dst, long os, DType ot)
        => C64Squares.TryStoreFour(Avx2.Permute4x64(Vector256.Load((double*)st + 4 * half), 0b11_01_10_00), chain + 1, dst, os);
    public static bool FinishEight(byte* st, long n, long chain, byte* dst, long os, DType ot) => C64Squares.StoreEight(st, chain + 1, dst, os);
}

/// <summary>Σ|z| of complex64 in double (complex64 1-norm columns): each term √s of s = fl(re² + im²), by
/// <see cref="Complex64Fast.Sqrt"/>'s FMA-only root with AVX-512 (within <see cref="C64Abs.Ulps"/>·u of |z|, s's rounding
/// included; the hardware root's throughput bounded the loop: (4, 3000) 11 µs) or the hardware root (≤ 2u) otherwise;
/// with the lane's chain of additions |Ŝ − S| ≤ γ_{chain+Ulps}·S, so <see cref="FloatPowFast.TryStore"/>
/// (d + 1 = chain + Ulps + 1, the larger bound on either width) stores (float)Ŝ only when it is provably the correctly
/// rounded Σ|z| — the 1-D path's bits; other outputs (NaN, ∞, zero, near-midpoints) go alone.</summary>
internal readonly unsafe struct C64AbsSum : IColumnOp
{
    public static long ParallelElements => Parallelism.CostlyElements;
    public static int Size => 8;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1) { a0 = default; a1 = default; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
    {
        if (Avx512F.IsSupported)
        {
            var r = Complex64Fast.Sqrt(C64Squares.Load512(p));
            a0 += r.GetLower(); a1 += r.GetUpper();
            return;
        }
        C64Squares.Load(p, out var s0, out var s1);
        a0 += Vector256.Sqrt(s0); a1 += Vector256.Sqrt(s1);
    }
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1) => AcrossOutputsWide.FoldSum(ref a0, ref a1);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot)
        => FloatPowFast.TryStore(((double*)st)[C64Squares.LaneOf(lane)], chain + C64Abs.Ulps + 1, dst);
    public static bool FinishFour(byte* st, int half, long chain, byte* dst, long os, DType ot)
        => C64Squares.TryStoreSumFour(Avx2.Permute4x64(Vector256.Load((double*)st + 4 * half), 0b11_01_10_00), chain + C64Abs.Ulps + 1, dst, os);
    public static bool FinishEight(byte* st, long n, long chain, byte* dst, long os, DType ot)
        => Avx512F.IsSupported && os == 4
           && C64Squares.TryStoreSumEight(Avx512F.PermuteVar8x64(Vector512.Load((double*)st), Vector512.Create(0L, 2, 1, 3, 4, 6, 5, 7)), chain + C64Abs.Ulps + 1, (float*)dst);
}

/// <summary>Number of nonzero complex64 elements: a value is zero when both its float parts compare equal to 0 (its
/// 64-bit lane of the equality mask is all ones); NaN parts are nonzero.</summary>
internal readonly unsafe struct C64Count : IColumnOp
{
    public static int Size => 8;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1) { a0 = default; a1 = default; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
    {
        var ones = Vector256<long>.AllBitsSet;
        a0 = (a0.AsInt64() - Vector256.Equals(Vector256.Equals(Vector256.Load((float*)p), Vector256<float>.Zero).AsInt64(), ones)).AsDouble();
        a1 = (a1.AsInt64() - Vector256.Equals(Vector256.Equals(Vector256.Load((float*)p + 8), Vector256<float>.Zero).AsInt64(), ones)).AsDouble();
    }
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1) => AcrossOutputsWide.FoldInt64(ref a0, ref a1, true);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot)
        => ExactFinish.Count(((long*)st)[lane], n, dst, ot);
    public static bool FinishEight(byte* st, long n, long chain, byte* dst, long os, DType ot) => ExactFinish.CountEight64(st, n, dst, os, ot);
}

/// <summary>Number of nonzero complex128 elements: zero when the bits of re | im, sign cleared, are 0.</summary>
internal readonly unsafe struct C128Count : IColumnOp
{
    public static int Size => 16;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1) { a0 = default; a1 = default; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
    {
        a0 = (a0.AsInt64() - Zeros((double*)p)).AsDouble();
        a1 = (a1.AsInt64() - Zeros((double*)p + 8)).AsDouble();
    }
    /// <summary>−1 per zero among the four complex values at q (in order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> Zeros(double* q)
    {
        var u = Vector256.Load(q); var v = Vector256.Load(q + 4);
        var bits = (Avx.UnpackLow(u, v) | Avx.UnpackHigh(u, v)).AsInt64() << 1; // values 0, 2, 1, 3
        return Avx2.Permute4x64(Vector256.Equals(bits, Vector256<long>.Zero), 0b11_01_10_00);
    }
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1) => AcrossOutputsWide.FoldInt64(ref a0, ref a1, true);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot)
        => ExactFinish.Count(((long*)st)[lane], n, dst, ot);
    public static bool FinishEight(byte* st, long n, long chain, byte* dst, long os, DType ot) => ExactFinish.CountEight64(st, n, dst, os, ot);
}

/// <summary>Number of nonzero float64 elements: zeros counted per lane in int64.</summary>
internal readonly unsafe struct F64Count : IColumnOp
{
    public static int Size => 8;
    public static void Init(out Vector256<double> a0, out Vector256<double> a1) { a0 = default; a1 = default; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Vector256<double> a0, ref Vector256<double> a1, byte* p)
    {
        a0 = (a0.AsInt64() - Vector256.Equals(Vector256.Load((double*)p), Vector256<double>.Zero).AsInt64()).AsDouble();
        a1 = (a1.AsInt64() - Vector256.Equals(Vector256.Load((double*)p + 4), Vector256<double>.Zero).AsInt64()).AsDouble();
    }
    public static void Fold(ref Vector256<double> a0, ref Vector256<double> a1) => AcrossOutputsWide.FoldInt64(ref a0, ref a1, true);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Finish(byte* st, int lane, long n, long chain, byte* dst, DType ot)
        => ExactFinish.Count(((long*)st)[lane], n, dst, ot);
    public static bool FinishEight(byte* st, long n, long chain, byte* dst, long os, DType ot) => ExactFinish.CountEight64(st, n, dst, os, ot);
}
