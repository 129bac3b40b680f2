using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>A SIMD lane per output: complex128 ord 1, 0.5, −1 and ∞, float64 ord 0.5 and −1, float32 ord −1 (and 0.5 of
/// gathered lines) over an axis
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
/// Roots in the lanes: each lane rounds its own root of S = h + l once (S itself for ord 1, S² by DD.Mul's operations
/// for ord 0.5, 1/S as r + (1 − r·h − r·l)·r with r = fl(1/h) for ord −1, ≈ 2⁻¹⁰⁴) when S is in the range where that
/// is accurate, and the group stores its float64 outputs directly; other outputs go through <see cref="Finish"/>.
/// Ord −1: float64 terms 1/|x| = r + fma(−r, |x|, 1)·r (sums ≤ 2⁹⁶⁰), complex128 terms the same reciprocal of the
/// ord-1 |z| term (sums ≤ 2⁴⁴⁹, so every |z|² ≥ 2⁻⁸⁹⁸); zero, NaN or ∞ elements make the sum NaN or ∞ (alone).
/// float32 ord −1 takes plain double sums of a float32 reciprocal refined by one Newton step (<see cref="SingleRecipTerms"/>)
/// and float32 ord 0.5 of gathered lines AcrossOutputsWide's F32Roots lanes; both store (float)v only when v is
/// provably the correctly rounded float32 (<see cref="TryStoreSingle"/>), the unique value the 1-D path stores too.
///
/// Ord ∞: the screen of <see cref="Complex128Max"/> per lane in one pass: s = fl(fl(re²) + im²) (FMA) with the running
/// top T, the row of the top, and a flag set whenever two values come within the screen's slack of each other
/// (s ≥ T·(1 − 2⁻⁴⁸) and T ≥ s·(1 − 2⁻⁴⁸)). Unflagged, the top's element is the only candidate Complex128Max would
/// evaluate (its argument: the true maximum's s is within the slack of the final top), so max |z| is its exact
/// magnitude (<see cref="Ext.Hypot"/>) rounded once — the bits Complex128Max stores for the same line held
/// contiguously; flagged, the column's candidates are evaluated as Complex128Max does (a candidate with the winner's pair
/// of part magnitudes skipped: <see cref="ComplexTies"/>). Ord −∞ is the mirror (bottom, <see cref="Lowest"/>).
/// Repeated values (np.ones, small integers) tie in every column and flagged every lane, each tie then getting its own
/// extended magnitude (0.02× NumPy): now a value whose (|re|, |im|) is the running top's pair or its swap does not
/// flag (tested only on rows where some lane ties). Why that keeps the bits: the relation
/// "within the slack" is symmetric, and every candidate (s within the slack of the final top T) meets, when walked, a
/// running top also within the slack of T (tops move monotonically towards T), so an unflagged lane proves every
/// candidate has the pair of the top it met, and each top change between candidates has the pair of the top it replaced
/// (else flagged): all candidates share the final top element's pair up to swap, hence its exact |z| and its
/// Ext.Hypot bits, and the lane's root (or Finish's single evaluation) is what evaluating them all gives. NaN, a top
/// outside [2⁻¹⁰⁰⁰, 2¹⁰⁰⁰] or zero: the output is recomputed alone by the block driver.</summary>
internal static unsafe class LaneAcross
{
    /// <summary>Longest reduction taken (keeps the summed error bounds above far below 2⁻⁸⁰).</summary>
    private const long MaxInner = 1L << 24;

    /// <summary>Rows per chunk of the ord-1 sums.</summary>
    private const int ChunkRows = 64;

    /// <summary>Total elements from which groups are split over threads (a term costs ~10 vector operations).</summary>
    private const long ParallelElements = 1L << 14; // 1–3 ns a term: ≥ 16 µs of work per call

    private static readonly double SquareMax = Math.ScaleB(1.0, 500);
    private static readonly double SumMin = Math.ScaleB(1.0, -300), RootSumMin = Math.ScaleB(1.0, -100);

    /// <summary>The low 29 significand bits of a double, and their value at a float32 rounding midpoint between two
    /// normal float32 values (bit 28 set, the 28 below clear).</summary>
    private const ulong SingleTail = 0x1FFF_FFFF;
    private const long SingleMidpoint = 0x1000_0000;

    /// <summary>The sums <see cref="TryStoreSingleRecip"/> takes: 1/S then lies in [2⁻¹²⁴, 2¹⁰⁰] (float32 normal with
    /// room), and a term 1/|x| ≤ 2⁻¹²⁶ whose float32 estimate is subnormal (≥ 2⁻²¹ relative) is off by &lt; 2⁻¹⁶⁸,
    /// below 2⁻⁶⁸ of the sum.</summary>
    private static readonly double SingleSumMin = Math.ScaleB(1.0, -100), SingleSumMax = Math.ScaleB(1.0, 124);

    /// <summary>Stores the float32 ord −1 norm 1/S from a plain double sum S of terms t = r0 + r0·(1 − r0·|x|)
    /// (<see cref="SingleRecipTerms"/>) in which no term went through more than <paramref name="chain"/> additions,
    /// when provably correctly rounded; false (nothing stored) otherwise, and for S outside [2⁻¹⁰⁰, 2¹²⁴], ∞ or NaN.
    /// Error: each t is within 1.04·2⁻⁴⁸ of 1/|x|, the sum within γ_chain, the quotient v = fl(1/S) one more rounding,
    /// so |v − 1/S_exact| ≤ (2⁻⁴⁷ + (chain + 1)·2⁻⁵²)·v with a factor 2 of slack, i.e. fewer than
    /// <see cref="SingleRecipUlps"/> double ulps of v (v &lt; 2⁵³ of them). The float32 rounding midpoints of v's binade
    /// are the doubles whose low 29 bits are 2²⁸, 2²⁹ double ulps apart (those of the neighbouring binades lie ≥ 2²⁷
    /// ulps away); when v is farther than the bound from 2²⁸, no midpoint separates v from the exact 1/S, so (float)v
    /// is the correctly rounded float32: the bits of the 1-D path, whatever the summation order or width.</summary>
    internal static bool TryStoreSingleRecip(double sum, long chain, byte* dst)
        => sum >= SingleSumMin && sum <= SingleSumMax && TryStoreSingle(1 / sum, SingleRecipUlps(chain), dst);

    /// <summary><see cref="TryStoreSingleRecip"/>'s test on four sums at once: true when every lane's 1/S passes it
    /// (the same IEEE operations lane-wise: a lane passes exactly when the scalar test would), <paramref name="f"/> =
    /// the four float32 results. S in [2⁻¹⁰⁰, 2¹²⁴] puts 1/S inside the scalar test's normal range, so that check
    /// is implied.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool AcceptSingleRecip(Vector256<double> sums, long chain, out Vector128<float> f)
    {
        var v = Vector256<double>.One / sums;
        var tail = (v.AsInt64() & Vector256.Create((long)SingleTail)) - Vector256.Create(SingleMidpoint);
        var ulps = Vector256.Create(SingleRecipUlps(chain));
        var ok = Vector256.GreaterThanOrEqual(sums, Vector256.Create(SingleSumMin))
                 & Vector256.LessThanOrEqual(sums, Vector256.Create(SingleSumMax))
                 & (Vector256.GreaterThan(tail, ulps) | Vector256.LessThan(tail, -ulps)).AsDouble();
        f = Avx.ConvertToVector128Single(v);
        return Vector256.EqualsAll(ok.AsInt64(), Vector256<long>.AllBitsSet);
    }

    /// <summary>Stores (float)v when v ∈ [2⁻¹²⁵, 2¹²⁷) (float32 normal, with room) is farther than <paramref name="ulps"/>
    /// (&lt; 2²⁷) double ulps from every float32 rounding midpoint: the exact value it approximates that closely then
    /// rounds to the same float32 (see <see cref="TryStoreSingleRecip"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryStoreSingle(double v, long ulps, byte* dst)
    {
        long tail = (long)(BitConverter.DoubleToUInt64Bits(v) & SingleTail);
        if (!(v >= SingleLow && v < SingleHigh) || Math.Abs(tail - SingleMidpoint) <= ulps) return false;
        Unsafe.WriteUnaligned(dst, (float)v);
        return true;
    }

    private static readonly double SingleLow = Math.ScaleB(1.0, -125), SingleHigh = Math.ScaleB(1.0, 127);

    /// <summary><see cref="TryStoreSingle"/> on the eight values at <paramref name="v"/> for outputs <paramref name="from"/>
    /// … 7 (output j at dst + j·os), lane-wise with the same IEEE comparisons (the scalar test's sign branch mispredicted
    /// on half the outputs: ~5 ns an output of the complex64 column lanes); stores the passing lanes' (float)v and returns
    /// the bit mask of the outputs that failed (to be computed alone). Needs AVX-512.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint TryStoreSingles(double* v, long ulps, byte* dst, long os, int from)
    {
        var x = Vector512.Load(v);
        var tail = (x.AsInt64() & Vector512.Create((long)SingleTail)) - Vector512.Create(SingleMidpoint);
        var lim = Vector512.Create(ulps);
        var ok = Vector512.GreaterThanOrEqual(x, Vector512.Create(SingleLow)) & Vector512.LessThan(x, Vector512.Create(SingleHigh))
                 & (Vector512.GreaterThan(tail, lim) | Vector512.LessThan(tail, -lim)).AsDouble();
        uint want = 0xFFu & ~((1u << from) - 1);
        uint pass = (uint)ok.ExtractMostSignificantBits() & want;
        var f = Avx512F.ConvertToVector256Single(x);
        if (pass == 0xFF && os == 4) f.Store((float*)dst);
        else
            for (uint m = pass; m != 0; m &= m - 1)
            {
                int j = System.Numerics.BitOperations.TrailingZeroCount(m);
                Unsafe.WriteUnaligned(dst + j * os, f.GetElement(j));
            }
        return want & ~pass;
    }

    /// <summary>The terms 1/|x| of eight float32 elements (widened into two halves): r0 = fl₃₂(1/|x|) (a float32
    /// division: cheaper than a float64 one), then one Newton step t = r0 + r0·(1 − r0·|x|) in double, whose residual
    /// is exact (a 48-bit product within 2⁻²⁴ of 1), so t = (1 − e²)/|x| rounded once, |e| ≤ 2⁻²⁴ (≤ 2⁻²¹ where r0 is
    /// subnormal, |x| > 2¹²⁶). A zero, ∞ or NaN element gives a NaN term (0·∞ in the residual), a subnormal one a term
    /// above 2¹²⁶ or NaN: the sum then fails <see cref="TryStoreSingleRecip"/>. IEEE-exact operations per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> SingleRecipTerms(Vector256<float> x, out Vector256<double> upper)
    {
        var xf = Vector256.Abs(x);
        var (y0, y1) = Vector256.Widen(xf);
        var (r0, r1) = Vector256.Widen(Vector256<float>.One / xf);
        var one = Vector256<double>.One;
        upper = Vector256.FusedMultiplyAdd(r1, Vector256.FusedMultiplyAdd(-r1, y1, one), r1);
        return Vector256.FusedMultiplyAdd(r0, Vector256.FusedMultiplyAdd(-r0, y0, one), r0);
    }

    public static bool Applies(ReductionPlan plan, DType t, double p)
    {
        int es = ElementSize(t, p);
        if (es == 0 || !Avx2.IsSupported || !Fma.IsSupported || plan.InnerShape.Length != 1 || plan.OuterShape.Length != 1
            || plan.InnerCount < 2 || plan.InnerCount > MaxInner) return false;
        // (float32 ord 0.5 of adjacent outputs: AcrossOutputsWide's F32Roots lanes, taken before this class)
        if (plan.OuterInStrides[0] == es) return plan.InnerStrides[0] != es && plan.OuterCount >= 4 && (t != DType.Float32 || p == -1);
        // ord 0.5 of short lines that are not side by side (rows of a C-order matrix, strided views): each group's
        // lines are first copied side by side into a small buffer, then summed exactly as adjacent lines are
        if (t == DType.Float32 && plan.InnerStrides[0] == 4 && plan.InnerCount >= SingleRowsFrom) return false; // RowsWide
        return p is 0.5 or -1 && plan.OuterCount >= 8 && plan.InnerCount <= (p == -1 ? MaxGatheredRecip : MaxGathered);
    }

    /// <summary>Longest line gathered for ord 0.5 (eight complex lines of it: 32 KB of stack); longer contiguous lines
    /// measured faster on the 1-D kernel (float64 rows of 300: 1.57× → 1.21× NumPy when gathered).</summary>
    private const int MaxGathered = 256;

    /// <summary>Contiguous float32 lines from this length go along their rows (<see cref="RowsWide"/>, no gather).</summary>
    private const long SingleRowsFrom = 16;

    /// <summary>Longest float64 line gathered for ord −1 (32 KB): rows of 300 gain (0.70× → 1.19×), rows of 1000
    /// lose (1.49× → 0.78×) against the 1-D path.</summary>
    private const int MaxGatheredRecip = 512;

    /// <summary>Bytes per element of the dtypes and orders taken (float64 ord 0.5: the same √ term and sums with
    /// |x| exact in place of |z|; float64 ord −1: 1/|x| as a double-double term, the root 1/S a double-double
    /// quotient), else 0.</summary>
    private static int ElementSize(DType t, double p)
        => t == DType.Complex128 && (p is 1 or 0.5 or -1 || double.IsInfinity(p)) ? 16
         : t == DType.Float64 && p is 0.5 or -1 ? 8
         : t == DType.Float32 && p is -1 or 0.5 ? 4 : 0;

    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, byte* o, DType ot, double p)
    {
        long outs = plan.OuterCount, n = plan.InnerCount, s = plan.InnerStrides[0];
        bool half = p == 0.5, recip = p == -1, real = t is DType.Float64 or DType.Float32;
        int es = ElementSize(t, p);
        long ois = plan.OuterInStrides[0], os = plan.OuterOutStrides[0];
        bool gathered = ois != es;
        bool singleRoots = t == DType.Float32 && half; // float32 ord 0.5: F32Roots' eight lanes at either width
        // F32Roots.Finish's bound: FloatPowFast.TryStore's δ = r·(2.5η + 8u), η = d₁u/(1 − d₁u), d₁ = chain + 2 + 2¹⁹,
        // in double ulps of r (r < 2⁵³ of them), plus one
        double rootD1 = (AcrossOutputsWide.Chain(n) + 2 + (1 << 19)) * Math.ScaleB(1.0, -53);
        long rootUlps = (long)(2.5 * rootD1 / (1 - rootD1) * Math.ScaleB(1.0, 53)) + 9;
        bool wide = RealKernels.Wide;
        // float32 ord −1: two lane vectors per group (a group reads 64 bytes, a whole line, per row at 16 outputs)
        int w = t == DType.Float32 && recip ? (wide && outs >= 16 ? 16 : outs >= 8 ? 8 : 4) : (wide || singleRoots) && outs >= 8 ? 8 : 4;
        int groups = (int)((outs + w - 1) / w);
        nint cb = (nint)(x + plan.InnerBaseOffset), ob = (nint)o;
        bool sum = !double.IsInfinity(p), low = double.IsNegativeInfinity(p);
        FpEvents Groups(int g0, int g1)
        {
            double* buf = stackalloc double[gathered ? (int)n * w * es / 8 + 1 : 0];
            // per lane: (hi, lo, flag) of the sum, (1/S, 0, flag) of ord −1, or (top, row, flag) of the maximum;
            // flag: 1 = alone, 2 = candidates, 3 = a float64 ord −1 line with a zero (its value stored with divide-by-zero)
            double* d = stackalloc double[3 * 16];
            var ev = FpEvents.None;
            for (int g = g0; g < g1; g++)
            {
                long k = Math.Min((long)g * w, outs - w); // the last group overlaps the previous one
                byte* c = (byte*)cb + ois * k;
                long cs = s;
                if (gathered)
                {
                    Gather(c, ois, s, n, w, es, buf);
                    c = (byte*)buf; cs = (long)w * es;
                }
                if (singleRoots)
                {
                    // the gathered lines as eight adjacent outputs of AcrossOutputsWide's float32 √|x| lanes, stored only
                    // when F32Roots.Finish's bound proves the result correctly rounded (the 1-D path's bits), else alone
                    Vector256<double> a0 = default, a1 = default;
                    for (long r = 0; r < n; r++) F32Roots.Add(ref a0, ref a1, c + r * cs);
                    a0.Store(d); a1.Store(d + 4);
                    for (long j = (long)g * w - k; j < w; j++)
                    {
                        byte* dst = (byte*)ob + os * (k + j);
                        if (!TryStoreSingle(d[j] * d[j], rootUlps, dst))
                            ev |= Alone((byte*)cb + ois * (k + j), s, n, dst, t, ot, p);
                    }
                    continue;
                }
                byte* dst0 = (byte*)ob + os * k;
                int from = (int)((long)g * w - k);
                bool all = false; // every lane stored by the group
                uint stored = 0; // lanes the group's vector stores have written
                if (es == 4 && recip)
                {
                    if (wide && w >= 8 && Avx512F.IsSupported)
                    {
                        uint failed = SingleRecipStores(c, cs, n, d, w == 16, dst0, os, from);
                        all = failed == 0;
                        stored = ~failed;
                    }
                    else if (wide && w >= 8) SingleRecipSum<Lanes512>(c, cs, n, d, w == 16);
                    else SingleRecipSum<Lanes256>(c, cs, n, d, w == 8);
                }
                else if (recip)
                {
                    if (w == 8)
                    {
                        if (es == 8) all = Sum<Lanes512, RecipTerm>(c, cs, n, d, dst0, os, from, ref ev);
                        else all = Sum<Lanes512, ComplexRecipTerm>(c, cs, n, d, dst0, os, from, ref ev);
                    }
                    else if (es == 8) all = Sum<Lanes256, RecipTerm>(c, cs, n, d, dst0, os, from, ref ev);
                    else all = Sum<Lanes256, ComplexRecipTerm>(c, cs, n, d, dst0, os, from, ref ev);
                }
                else if (real)
                {
                    if (w == 8) all = Sum<Lanes512, RealRootTerm>(c, cs, n, d, dst0, os, from, ref ev); else all = Sum<Lanes256, RealRootTerm>(c, cs, n, d, dst0, os, from, ref ev);
                }
                else if (w == 8)
                {
                    if (half) all = Sum<Lanes512, RootTerm>(c, cs, n, d, dst0, os, from, ref ev); else if (p == 1) all = Sum<Lanes512, AbsTerm>(c, cs, n, d, dst0, os, from, ref ev);
                }
                else if (half) all = Sum<Lanes256, RootTerm>(c, cs, n, d, dst0, os, from, ref ev);
                else if (p == 1) all = Sum<Lanes256, AbsTerm>(c, cs, n, d, dst0, os, from, ref ev);
                // ±∞: the screened extreme of each lane, its |z| rounded in the lanes when provably correctly rounded
                // (then stored at once when every lane is), the other lanes through Finish
                uint rounded = 0;
                Vector512<double> roots = default;
                if (!sum)
                {
                    all = w == 8
                        ? low ? Extreme<Lanes512, Lowest>(c, cs, n, d, ot, dst0, os, from, out rounded, out roots)
                              : Extreme<Lanes512, Highest>(c, cs, n, d, ot, dst0, os, from, out rounded, out roots)
                        : low ? Extreme<Lanes256, Lowest>(c, cs, n, d, ot, dst0, os, from, out rounded, out roots)
                              : Extreme<Lanes256, Highest>(c, cs, n, d, ot, dst0, os, from, out rounded, out roots);
                }
                if (all) continue;
                // the overlapping last group finishes only the outputs the previous group has not (disjoint writes)
                for (long j = (long)g * w - k; j < w; j++)
                {
                    if ((stored >> (int)j & 1) != 0) continue;
                    // a sum's lane with flag 0 holds its root rounded once to float64 (accurate to ≈ 2⁻⁸⁴: the correctly
                    // rounded float64 except within that of a rounding midpoint, as the 1-D path), or float32 ord −1's
                    // 1/S, stored when provably the correctly rounded float32
                    byte* dst = (byte*)ob + os * (k + j);
                    double* dj = d + 3 * j;
                    if (dj[2] == 3)
                    {
                        StoreDouble(dst, dj[0]); // a zero lane (float64 ord −1): 0 or NaN
                        ev |= FpEvents.DivideByZero;
                        continue;
                    }
                    if (sum && dj[2] == 0 && (ot == DType.Float64 ? StoreDouble(dst, dj[0]) : TryStoreSingle(dj[0], SingleRecipUlps(n), dst))) continue;
                    if ((rounded >> (int)j & 1) != 0 && StoreDouble(dst, roots.GetElement((int)j))) continue;
                    ev |= Finish(dj, (byte*)cb + ois * (k + j), s, n, dst, t, ot, p);
                }
            }
            return ev;
        }
        int threads = Parallelism.MaxThreads;
        // complex128 lines (a magnitude per element) from Parallelism.CostlyElements: at 2¹⁴ (4, 3000) ord 1 and ±∞ ran
        // on one thread; float64 ord −1 (64, 128) measured slower on two at 2¹³
        if (threads > 1 && groups > 1 && outs * n >= (t == DType.Complex128 ? Parallelism.CostlyElements : ParallelElements))
        {
            int parts = Math.Min(groups, 4 * threads);
            return Parallelism.ForParts(parts, threads, q => Groups(groups * q / parts, groups * (q + 1) / parts));
        }
        return Groups(0, groups);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool StoreDouble(byte* dst, double v)
    {
        Unsafe.WriteUnaligned(dst, v);
        return true;
    }

    /// <summary>Stores an output the lanes did not (a sum outside their range, a float32 near a midpoint, the maximum
    /// of complex128 ord ∞) from its lane's (a, b, flag), or recomputes it alone.</summary>
    private static FpEvents Finish(double* d, byte* c, long s, long n, byte* dst, DType t, DType ot, double p)
    {
        double a = d[0], b = d[1], flag = d[2];
        if (!double.IsInfinity(p))
        {
            if (flag != 0 && p == 0.5 && a > SquareMax && a <= double.MaxValue)
            {
                var r = GeneralNorm.Root(a, b, 0, p, new Ext(1, 0, 0)); // float64/complex128 only
                if (t != DType.Float64 || !Midpoint.Near(r, ot, RealPowOp.TieMargin, out _)) return ResultWriter.Store(ot, dst, r);
            }
            return Alone(c, s, n, dst, t, ot, p);
        }
        bool low = p < 0;
        // −∞ over a column holding an exact 0 (no NaN: flag 1) is 0, what ComplexNegative stores for it (a zero bottom s
        // may also be an underflowed square: those columns still go alone)
        if (low && flag != 1 && a == 0 && HasZero(c, s, n)) return ResultWriter.Store(ot, dst, 0, 0, 0);
        if (flag == 1 || !(a >= Complex128Max.Lo && a <= Complex128Max.Hi)) return Alone(c, s, n, dst, t, ot, p);
        if (flag == 0)
        {
            Ext best = Ext.Zero;
            double* z = (double*)(c + (long)b * s);
            Complex128Max.Consider(z[0], z[1], ref best);
            return ResultWriter.Store(ot, dst, best);
        }
        // the candidates (max: every s within the slack below the top; min: within the slack above the bottom B, where
        // the true minimum's s is: see Lowest), compared exactly, first strict winner kept as before; a candidate with
        // the winner's pair of part magnitudes is skipped (ComplexTies: the same bits)
        var pick = new ExtExtreme();
        double thr = low ? a / Complex128Max.Slack : a * Complex128Max.Slack;
        for (long i = 0; i < n; i++)
        {
            double* z = (double*)(c + i * s);
            double v = Math.FusedMultiplyAdd(z[1], z[1], z[0] * z[0]);
            if (low ? v <= thr : v >= thr) pick.Take(z[0], z[1], low);
        }
        return ResultWriter.Store(ot, dst, pick.Best);
    }

    /// <summary>True when some complex128 element of the column is exactly 0 (both parts ±0).</summary>
    private static bool HasZero(byte* c, long s, long n)
    {
        for (long i = 0; i < n; i++, c += s)
            if (((double*)c)[0] == 0 && ((double*)c)[1] == 0) return true;
        return false;
    }

    /// <summary>Copies the n elements of w lines (line i at c + i·ls, element r at + r·s) side by side into buf: element r
    /// of line i at buf + (r·w + i)·es. Contiguous float64 and float32 lines go by 4×4 register transposes, contiguous
    /// complex128 lines by 2×2 (a copy either way: the same values).</summary>
    private static void Gather(byte* c, long ls, long s, long n, int w, int es, double* buf)
    {
        long r0 = 0;
        if (s == es && es == 8)
            for (; r0 + 4 <= n; r0 += 4)
                for (int i = 0; i < w; i += 4)
                    Transpose4.Doubles((double*)(c + i * ls) + r0, ls, buf + r0 * w + i, w);
        else if (s == es && es == 4)
            for (; r0 + 4 <= n; r0 += 4)
                for (int i = 0; i < w; i += 4)
                    Transpose4.Singles((float*)(c + i * ls) + r0, ls, (float*)buf + r0 * w + i, w);
        else if (s == es && es == 16)
            for (; r0 + 2 <= n; r0 += 2)
                for (int i = 0; i < w; i += 2)
                {
                    double* q = (double*)(c + i * ls + r0 * 16);
                    Vector256<double> a = Vector256.Load(q), b = Vector256.Load((double*)((byte*)q + ls));
                    double* o = buf + 2 * (r0 * w + i);
                    Avx.Permute2x128(a, b, 0x20).Store(o);
                    Avx.Permute2x128(a, b, 0x31).Store(o + 2 * w);
                }
        if (r0 == 0 && es == 4 && w is 8 or 16 && (ls == 8 && Vector256.IsHardwareAccelerated || ls == 12 && Avx512F.IsSupported))
        {
            // float32 lines two or three floats apart (axis 2 of a[..., ::2].T, axis 0 of a[::2, :, ::3]): each row's
            // w values by EvenWords' loads
            for (long r = 0; r < n; r++)
            {
                byte* q = c + r * s;
                uint* dst = (uint*)buf + r * w;
                if (ls == 12)
                {
                    if (w == 16) EvenWords.Thirds16(q).Store(dst);
                    else EvenWords.Thirds8(q).Store(dst);
                }
                else if (w == 16 && Vector512.IsHardwareAccelerated) EvenWords.Load16(q, dst);
                else
                    for (int i = 0; i < w; i += 8) EvenWords.Load8(q + 8 * i, dst + i);
            }
            return;
        }
        for (int i = 0; i < w; i++)
        {
            byte* q = c + i * ls;
            if (es == 8)
                for (long r = r0; r < n; r++) buf[r * w + i] = *(double*)(q + r * s);
            else if (es == 4)
                for (long r = r0; r < n; r++) ((float*)buf)[r * w + i] = *(float*)(q + r * s);
            else
                for (long r = r0; r < n; r++)
                {
                    double* z = (double*)(q + r * s);
                    buf[2 * (r * w + i)] = z[0];
                    buf[2 * (r * w + i) + 1] = z[1];
                }
        }
    }

    /// <summary>One output's line through the 1-D path (its bits and numpy's special-value rules).</summary>
    private static FpEvents Alone(byte* c, long s, long n, byte* dst, DType t, DType ot, double p)
        => p < 0 && NegativeZeros.TryStore(c, t, n, s, dst, ot, p, out var zev) ? zev // a zero at ord −1: 0 (or NaN), from one scan
         : t is DType.Float64 or DType.Float32 ? BlockDriver.Run<RealPowOp, RealKernels.PowAcc>(ReductionPlan.Run(n, s), c, t, dst, ot, new RealPowOp(p))
         : p == 0.5 ? ComplexPowNorm.Run(ReductionPlan.Run(n, s), c, DType.Complex128, p, dst, ot)
         : p == -1 || double.IsNegativeInfinity(p) ? ComplexNegative.Run(ReductionPlan.Run(n, s), c, DType.Complex128, p, dst, ot)
                    : BlockDriver.Run<ComplexAbsOp, ComplexAcc>(ReductionPlan.Run(n, s), c, DType.Complex128, dst, ot, new ComplexAbsOp(p == 1));

    /// <summary>A term of the sums as hi + lo, the same operations per lane at either width.</summary>
    private interface ITerm
    {
        /// <summary>Bytes per element.</summary>
        static abstract int Size { get; }

        /// <summary>The terms of the L.Count elements at <paramref name="q"/>.</summary>
        static abstract L Of<L>(double* q, out L lo) where L : struct, ILanes<L>;

        /// <summary>The root the lanes take of the sum S: 1 (S itself, ord 1), 0.5 (S²) or −1 (1/S).</summary>
        static virtual double Power => 1;

        /// <summary>The sums the lanes finish: S ∈ [Min, Max] (a NaN or ∞ term, or a sum outside, sends the output to
        /// <see cref="Finish"/>).</summary>
        static virtual double Min => SumMin;

        /// <inheritdoc cref="Min"/>
        static virtual double Max => double.MaxValue;
    }

    /// <summary>|z| = sq + (r2 + hl)·hr (<see cref="CAbsTerm"/>'s root, the same <see cref="ComplexMag"/> and
    /// <see cref="HalfSqrt"/> operations at every width).</summary>
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
            var hh = ComplexMag.Square(re, im, out var hl);
            var sq = HalfSqrt.Sqrt(hh, out var r2, out var hr);
            lo = (r2 + hl) * hr;
            return sq;
        }
    }

    /// <summary>√|z| = s2 + (r2' + c)·hr' with |z| = sq + c (<see cref="CSqrtTerm"/>'s roots).</summary>
    private readonly struct RootTerm : ITerm
    {
        public static int Size => 16;

        public static double Power => 0.5;

        /// <summary>A tiny |z| may be off by 2⁻²⁵⁵ in √|z|: sums below 2⁻¹⁰⁰ go alone; S² in the lanes up to S = 2⁵⁰⁰
        /// (no overflow, the low parts stay normal), <see cref="GeneralNorm.Root"/> above.</summary>
        public static double Min => RootSumMin;

        /// <inheritdoc cref="Min"/>
        public static double Max => SquareMax;

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
            var s2 = HalfSqrt.Sqrt(sq, out var r2, out var hr);
            lo = (r2 + c) * hr;
            return s2;
        }
    }

    /// <summary>√|x| of float64 elements = s2 + r2·hr (|x| exact, so <see cref="RootTerm"/>'s root with c = 0).</summary>
    private readonly struct RealRootTerm : ITerm
    {
        public static int Size => 8;

        public static double Power => 0.5;

        /// <inheritdoc cref="RootTerm.Min"/>
        public static double Min => RootSumMin;

        /// <inheritdoc cref="RootTerm.Min"/>
        public static double Max => SquareMax;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static L Of<L>(double* q, out L lo) where L : struct, ILanes<L> => RootTerm.Root(L.Abs(L.Load(q)), L.Zero, out lo);
    }

    /// <summary>1/|x| of float64 (or widened float32) elements as a double-double (<see cref="Recip"/> with |x| exact).
    /// A zero, ∞, NaN or subnormal element makes the sum NaN or ∞ or beyond 2⁹⁶⁰ (the output then goes alone); a
    /// huge element's subnormal term is off by at most 2⁻¹⁰⁷⁴, negligible against a sum ≥ 2⁻³⁰⁰.</summary>
    private readonly struct RecipTerm : ITerm
    {
        public static int Size => 8;

        public static double Power => -1;

        /// <summary>Sums up to 2⁹⁶⁰ are finished in the lanes: every term then comes from a normal |x|, and 1/S ≥ 2⁻⁹⁶⁰
        /// keeps the quotient's subnormal low part (≤ 2⁻¹⁰⁷⁵ off) below 2⁻¹¹⁵ of it.</summary>
        public static double Max => 9.7453140114e288; // 2⁹⁶⁰

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static L Of<L>(double* q, out L lo) where L : struct, ILanes<L> => Recip(L.Abs(L.Load(q)), L.Zero, out lo);
    }

    /// <summary>float32 ord −1 of L.Count adjacent outputs (2·L.Count for a <paramref name="pair"/>): the plain double sum S of <see cref="SingleRecipTerms"/> along
    /// each lane (n additions per term); into d[3j] fl(1/S) with flag 0 for S in <see cref="TryStoreSingleRecip"/>'s
    /// range (stored through its test), else S with flag 1.</summary>
    private static void SingleRecipSum<L>(byte* c, long s, long n, double* d, bool pair) where L : struct, ILanes<L>
    {
        SingleRecipSums(c, s, n, pair, out L s0, out L s1);
        PutRoots(d, L.Create(1.0) / s0, s0, L.Zero, SingleSumMin, SingleSumMax, L.Zero);
        if (pair) PutRoots(d + 3 * L.Count, L.Create(1.0) / s1, s1, L.Zero, SingleSumMin, SingleSumMax, L.Zero);
    }

    /// <summary><see cref="SingleRecipSum{L}"/> (512-bit lanes) with the stores of the group's outputs from
    /// <paramref name="from"/> on (output j at dst + j·os) made by vector tests (<see cref="TryStoreSingles"/>: the
    /// scalar <see cref="TryStoreSingleRecip"/>'s IEEE operations lane-wise, a sum outside its range made NaN so that it
    /// fails): the bit mask of the outputs that failed, whose (value, flag) entries in d are then PutRoots' for the loop
    /// that finishes them. The loop's per-output test and PutRoots' per-lane branches were ~18 % of float32 ord −1 over
    /// axis 0 of a[::2, :, ::3].</summary>
    private static uint SingleRecipStores(byte* c, long s, long n, double* d, bool pair, byte* dst, long os, int from)
    {
        SingleRecipSums(c, s, n, pair, out Lanes512 s0, out Lanes512 s1);
        long ulps = SingleRecipUlps(n);
        uint failed = SingleRecipHalf(s0.V, d, ulps, dst, os, from);
        if (pair) failed |= SingleRecipHalf(s1.V, d + 3 * Lanes512.Count, ulps, dst + Lanes512.Count * os, os, Math.Max(from - Lanes512.Count, 0)) << Lanes512.Count;
        return failed;
    }

    /// <summary>The plain double sums S of <see cref="SingleRecipTerms{L}"/> down each lane of L.Count adjacent outputs
    /// (and of the next L.Count for a <paramref name="pair"/>: <paramref name="s1"/>), n additions per term in row order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SingleRecipSums<L>(byte* c, long s, long n, bool pair, out L s0, out L s1) where L : struct, ILanes<L>
    {
        s0 = L.Zero; s1 = L.Zero;
        for (long r = 0; r < n; r++)
        {
            if (r + Distance < n) Ahead(c + (r + Distance) * s, (pair ? 8 : 4) * L.Count);
            float* q = (float*)(c + r * s);
            s0 += SingleRecipTerms<L>(q);
            if (pair) s1 += SingleRecipTerms<L>(q + L.Count);
        }
    }

    /// <summary>Eight outputs of <see cref="SingleRecipStores"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint SingleRecipHalf(Vector512<double> sum, double* d, long ulps, byte* dst, long os, int from)
    {
        var v = Vector512<double>.One / sum;
        var inRange = Vector512.GreaterThanOrEqual(sum, Vector512.Create(SingleSumMin)) & Vector512.LessThanOrEqual(sum, Vector512.Create(SingleSumMax));
        double* vv = stackalloc double[Lanes512.Count];
        Vector512.ConditionalSelect(inRange, v, Vector512.Create(double.NaN)).Store(vv);
        uint failed = TryStoreSingles(vv, ulps, dst, os, from);
        for (uint m = failed; m != 0; m &= m - 1)
        {
            int j = System.Numerics.BitOperations.TrailingZeroCount(m);
            if (inRange.GetElement(j) != 0) Put(d, j, v.GetElement(j), 0, 0);
            else Put(d, j, sum.GetElement(j), 0, 1);
        }
        return failed;
    }

    /// <summary><see cref="SingleRecipTerms(Vector256{float}, out Vector256{double})"/> of the L.Count floats at q.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L SingleRecipTerms<L>(float* q) where L : struct, ILanes<L>
    {
        if (typeof(L) == typeof(Lanes512))
        {
            var lo = SingleRecipTerms(Vector256.Load(q), out var hi);
            return Unsafe.BitCast<Vector512<double>, L>(Vector512.Create(lo, hi));
        }
        return Unsafe.BitCast<Vector256<double>, L>(SingleRecipTerms(Vector128.Load(q).ToVector256(), out _)); // upper half: 1/0, unused
    }

    /// <summary><see cref="TryStoreSingleRecip"/>'s error bound in double ulps of v: (2⁻⁴⁷ + (chain + 1)·2⁻⁵²)·2⁵³,
    /// plus one. Below 2²⁷ for every chain ≤ <see cref="MaxInner"/>, as the midpoint test needs.</summary>
    private static long SingleRecipUlps(long chain) => 64 + 2 * (chain + 1) + 1;

    /// <summary>1/|z| of complex128 elements: the reciprocal of |z| = sq + (r2 + hl)·hr (<see cref="AbsTerm"/>, ≈ 2⁻⁸⁶),
    /// ≈ 2⁻⁸⁵ relative. A zero, NaN, ∞ or a square that overflows makes the term NaN (0·∞ in the residual).</summary>
    private readonly struct ComplexRecipTerm : ITerm
    {
        public static int Size => 16;

        public static double Power => -1;

        /// <summary>Sums up to 2⁴⁴⁹ are finished in the lanes: every |z| is then ≥ 2⁻⁴⁴⁹, so |z|² ≥ 2⁻⁸⁹⁸ keeps
        /// <see cref="AbsTerm"/>'s relative bound (its tiny squares lose bits below 2⁻⁹⁰⁰).</summary>
        public static double Max => 1.4536774485912138e135; // 2⁴⁴⁹

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static L Of<L>(double* q, out L lo) where L : struct, ILanes<L>
        {
            var sq = AbsTerm.Of<L>(q, out var c);
            return Recip(sq, c, out lo);
        }
    }

    /// <summary>1/(y + yl) = r + lo with r = fl(1/y) and lo = (1 − r·y − r·yl)·r: 1 − r·y is exact for a correctly
    /// rounded r (one FMA), so the pair is within ≈ 2⁻¹⁰⁴ relative of the quotient (the neglected (1 − r·(y + yl))² and
    /// two roundings of a 2⁻⁵²-sized correction). Division and FMA are IEEE-exact at every width: the same bits per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L Recip<L>(L y, L yl, out L lo) where L : struct, ILanes<L>
    {
        L one = L.Create(1.0), r = one / y;
        lo = L.Fma(-r, yl, L.Fma(-r, y, one)) * r;
        return r;
    }

    /// <summary>Σ term of L.Count adjacent outputs, per lane a TwoSum double-double per chunk of rows, folded into the
    /// output's double-double S; into d[3j] its root rounded once to float64 (flag d[3j + 2] = 0), or, for a sum the
    /// lanes do not finish, S as d[3j] (hi), d[3j + 1] (lo) with flag 1.</summary>
    private static bool Sum<L, T>(byte* c, long s, long n, double* d, byte* dst, long os, int from, ref FpEvents ev) where L : struct, ILanes<L> where T : struct, ITerm
    {
        L h = L.Zero, l = L.Zero;
        for (long r0 = 0; r0 < n; r0 += ChunkRows)
        {
            long r1 = Math.Min(n, r0 + ChunkRows);
            L a = L.Zero, e = L.Zero;
            for (long r = r0; r < r1; r++)
            {
                if (r + Distance < n) Ahead(c + (r + Distance) * s, T.Size * L.Count);
                var t = T.Of<L>((double*)(c + r * s), out var tl);
                var nw = a + t; var bb = nw - a;
                e += ((a - (nw - bb)) + (t - bb)) + tl;
                a = nw;
            }
            var sum = h + a; var sb = sum - h;
            var f = ((h - (sum - sb)) + (a - sb)) + (l + e);
            h = sum + f; l = f - (h - sum);
        }
        // the root of S = h + l as a double-double, rounded once (fl(hi + lo) is the double nearest the pair):
        // S itself (FastFinish's sum), S² (DD.Mul's operations: the bits ResultWriter stores from its pair) or 1/S
        L v, alone = L.Zero;
        if (T.Power == 1) v = h + l;
        else if (T.Power == 0.5)
        {
            var v0 = h * h;
            var cr = L.Fma(h, l, L.Fma(l, h, L.Fma(h, h, -v0)));
            v = v0 + cr;
            // real lines: a root within RealPowOp.TieMargin of a float64 rounding midpoint goes alone, since the 1-D
            // path decides those exactly, so the lanes and the 1-D path agree without exception
            if (typeof(T) == typeof(RealRootTerm)) alone = MaybeNearMidpoint(v, cr - (v - v0));
        }
        else
        {
            var r = Recip(h, l, out var rl);
            v = r + rl;
            // real lines near a midpoint go alone, as for 0.5 (rl − (v − r): v's exact residual, |rl| ≤ ulp(r))
            if (typeof(T) == typeof(RecipTerm)) alone = MaybeNearMidpoint(v, rl - (v - r));
        }
        // every lane finished (the common case): stored at once, lanes from … (the outputs are float64 here)
        var done = L.GreaterThanOrEqual(h, L.Create(T.Min)) & L.LessThanOrEqual(h, L.Create(T.Max)) & ~alone;
        if (L.AllSet(done))
        {
            StoreGroup(v, dst, os, from);
            return true;
        }
        PutRoots(d, v, h, l, T.Min, T.Max, alone);
        // float64 lines with a zero have a NaN sum (1/0 = ∞ with a NaN low part), as have lines with NaN or ∞: when
        // a lane's sum is NaN, the group's rows are walked once more (in cache, a compare per row: the hot loop stays
        // as it was — masks there cost random data ~1.5×) for the lanes that met a zero and those that met a NaN; a
        // zero lane's norm is 0, or NaN with a NaN in the line — the 1-D path's value — flagged 3 for the store with
        // numpy's divide-by-zero event (a per-lane scan of the strided column was 3× the lanes' cost)
        if (typeof(T) == typeof(RecipTerm) && !L.AllSet(L.Equal(h, h)))
        {
            L zm = L.Zero, nm = L.Zero;
            for (long r = 0; r < n; r++)
            {
                var xv = L.Load((double*)(c + r * s));
                zm |= L.Equal(xv, L.Zero);
                nm |= ~L.Equal(xv, xv);
            }
            if (L.AllSet(done | (zm & ~nm)))
            {
                // the usual case on small-integer data: every lane not finished holds a zero and no NaN, so its norm is
                // +0 (finished lanes hold no zero: their sums are not NaN) — the group is stored at once as above, with
                // the divide-by-zero; lane by lane through d and the caller's loop this cost float64 (3000, 4) ord −1
                // over integers twice the time of random data
                StoreGroup(v & ~zm, dst, os, from);
                ev |= FpEvents.DivideByZero;
                return true;
            }
            if (!L.AllZero(zm))
                for (int j = 0; j < L.Count; j++)
                    if (BitConverter.DoubleToUInt64Bits(zm[j]) != 0)
                        Put(d, j, BitConverter.DoubleToUInt64Bits(nm[j]) != 0 ? double.NaN : 0.0, 0, 3);
        }
        return false;
    }

    /// <summary>Stores lanes <paramref name="from"/> … of a group's float64 results, <paramref name="os"/> bytes apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreGroup<L>(L v, byte* dst, long os, int from) where L : struct, ILanes<L>
    {
        if (os == 8 && from == 0) v.Store((double*)dst);
        else for (int j = from; j < L.Count; j++) Unsafe.WriteUnaligned(dst + j * os, v[j]);
    }

    /// <summary><see cref="Midpoint.MaybeNear64"/> lane by lane for v + r (r: v's exact rounding residual): the mask of
    /// the lanes whose root may lie within <see cref="RealPowOp.TieMargin"/> of a float64 rounding midpoint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L MaybeNearMidpoint<L>(L v, L r) where L : struct, ILanes<L>
    {
        var eb = v & L.CreateBits(0x7FF0_0000_0000_0000UL);   // 2^e(v), for v positive normal
        var half = L.SubtractBits(eb, L.CreateBits(53UL << 52)); // ulp(v)/2
        var a = L.Abs(r);
        var tol = v * L.Create(RealPowOp.TieMargin);
        var usual = L.GreaterThan(eb, L.CreateBits(54UL << 52)) & L.GreaterThan(v, L.Zero) & L.LessThanOrEqual(a, half + half);
        return ~usual | L.LessThanOrEqual(L.Abs(a - half), tol) | L.LessThanOrEqual(L.Abs(a - half * L.Create(0.5)), tol);
    }

    /// <summary>Per lane: (v, 0, flag 0) when h ∈ [min, max] and the lane is not in <paramref name="alone"/>, else
    /// (h, l, flag 1).</summary>
    private static void PutRoots<L>(double* d, L v, L h, L l, double min, double max, L alone) where L : struct, ILanes<L>
    {
        var done = L.GreaterThanOrEqual(h, L.Create(min)) & L.LessThanOrEqual(h, L.Create(max)) & ~alone;
        for (int j = 0; j < L.Count; j++)
        {
            if (BitConverter.DoubleToUInt64Bits(done[j]) != 0) Put(d, j, v[j], 0, 0);
            else Put(d, j, h[j], l[j], 1);
        }
    }

    /// <summary>Which extreme <see cref="Extreme{L, TDir}"/> screens for.</summary>
    private interface IDirection
    {
        /// <summary>The lane's start: 0 for the top, +∞ for the bottom.</summary>
        static abstract double Start { get; }

        /// <summary>Mask of the lanes where <paramref name="s"/> beats <paramref name="best"/>.</summary>
        static abstract L Beats<L>(L s, L best) where L : struct, ILanes<L>;
    }

    /// <summary>max |z| (ord ∞): the top s.</summary>
    private readonly struct Highest : IDirection
    {
        public static double Start => 0;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static L Beats<L>(L s, L best) where L : struct, ILanes<L> => L.GreaterThan(s, best);
    }

    /// <summary>min |z| (ord −∞): the bottom s. The mirror of the top's argument: with the final bottom
    /// B ∈ [2⁻¹⁰⁰⁰, 2¹⁰⁰⁰] the true minimum z* has s* ≤ |z*|²(1 + 2.01u) + 2⁻¹⁰⁷³ ≤ |z_B|²(1 + 2.01u) + 2⁻¹⁰⁷³
    /// ≤ B(1 + 5u), so z* is the bottom's element unless another s lies within the slack of B, which the near flag
    /// catches (whichever of the two comes later meets a running bottom within the slack of it); elements whose squares
    /// overflow (s = ∞) are never candidates, as their |z| exceeds 2⁵¹¹ &gt; B.</summary>
    private readonly struct Lowest : IDirection
    {
        public static double Start => double.PositiveInfinity;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static L Beats<L>(L s, L best) where L : struct, ILanes<L> => L.LessThan(s, best);
    }

    /// <summary>The screened top (bottom) of L.Count adjacent outputs, the element that gives it carried along the walk.
    /// Each lane whose extreme is unflagged (no NaN, no second value within the slack) with s in [2⁻⁹⁰⁰, 2¹⁰⁰⁰] gets that
    /// element's |z| rounded once in the lanes: |z|² = hh + hl exactly but for ≈ 2⁻¹⁰⁴ (<see cref="ComplexMag.Square{L}"/>),
    /// r = √hh correctly rounded, so fma(−r, r, hh) is exact and c = (fma(−r, r, hh) + hl)/(2r) leaves r + c within
    /// ≈ 2⁻⁹⁸ of |z|; v = fl(r + c) is then the correctly rounded |z| — the bits <see cref="Complex128Max.Consider"/>'s
    /// exact magnitude rounds to — unless |z| may lie within 2⁻⁶⁸ of a rounding midpoint (<see cref="MaybeNearMidpoint{L}"/>
    /// on v's residual c − (v − r)). When every lane is so (and the output is float64) lanes <paramref name="from"/>…
    /// are stored at <paramref name="dst"/> and true returned; else d[3j] (s), d[3j + 1] (row), d[3j + 2] (flag: 1 NaN,
    /// 2 candidates, else 0) for <see cref="Finish"/>, and the mask of the lanes whose root in <paramref name="roots"/> may
    /// be stored. The squares of s ≥ 2⁻⁹⁰⁰ keep their low parts exact or negligible (an underflowed FMA residual is
    /// off by ≤ 2⁻¹⁰⁷⁵, 2⁻¹⁷⁵ of the sum).</summary>
    private static bool Extreme<L, TDir>(byte* c, long s, long n, double* d, DType ot, byte* dst, long os, int from,
        out uint rounded, out Vector512<double> roots) where L : struct, ILanes<L> where TDir : struct, IDirection
    {
        L top = L.Create(TDir.Start), row = L.Zero, nan = L.Zero, near = L.Zero, rv = L.Zero, zr = L.Zero, zi = L.Zero;
        L slack = L.Create(Complex128Max.Slack), one = L.Create(1.0);
        for (long r = 0; r < n; r++, rv += one)
        {
            if (r + Distance < n) Ahead(c + (r + Distance) * s, 16 * L.Count);
            double* q = (double*)(c + r * s);
            L u = L.Load(q), v = L.Load(q + L.Count);
            L re = L.Evens(u, v), im = L.Odds(u, v);
            var sv = L.Fma(im, im, re * re);
            nan |= ~L.Equal(sv, sv);
            var tie = L.GreaterThanOrEqual(sv, top * slack) & L.GreaterThanOrEqual(top, sv * slack) & L.GreaterThan(sv, L.Zero);
            if (!L.AllZero(tie))
            {
                // a value within the slack of the running top whose (|re|, |im|) is the top's pair or its swap has the
                // top's |z| and Ext bits and does not flag (repeated values: np.ones ties on every row; random data
                // almost never gets here, so a row costs it only this test)
                var mag = L.CreateBits(0x7FFF_FFFF_FFFF_FFFFUL);
                L ar = re & mag, ai = im & mag, tr = zr & mag, ti = zi & mag;
                tie &= ~((L.Equal(ar, tr) & L.Equal(ai, ti)) | (L.Equal(ar, ti) & L.Equal(ai, tr)));
            }
            near |= tie;
            var gt = TDir.Beats(sv, top);
            top = L.Select(gt, sv, top);
            row = L.Select(gt, rv, row);
            zr = L.Select(gt, re, zr);
            zi = L.Select(gt, im, zi);
        }
        rounded = 0; roots = default;
        var ok = ~nan & ~near & L.GreaterThanOrEqual(top, L.Create(RootTopMin)) & L.LessThanOrEqual(top, L.Create(Complex128Max.Hi));
        var hh = ComplexMag.Square(zr, zi, out var hl);
        var rt = L.Sqrt(hh);
        var cc = (L.Fma(-rt, rt, hh) + hl) / (rt + rt);
        var val = rt + cc;
        ok &= ~MaybeNearMidpoint(val, cc - (val - rt));
        if (ot == DType.Float64 && L.AllSet(ok))
        {
            if (os == 8 && from == 0) val.Store((double*)dst);
            else for (int j = from; j < L.Count; j++) Unsafe.WriteUnaligned(dst + j * os, val[j]);
            return true;
        }
        // the lanes read back from memory once (element by element from registers spilled each vector per lane)
        double* lanes = stackalloc double[5 * 8];
        top.Store(lanes); row.Store(lanes + 8); nan.Store(lanes + 16); near.Store(lanes + 24); ok.Store(lanes + 32);
        ulong* bits = (ulong*)lanes;
        for (int j = 0; j < L.Count; j++)
        {
            Put(d, j, lanes[j], lanes[8 + j], bits[16 + j] != 0 ? 1 : bits[24 + j] != 0 ? 2 : 0);
            if (ot == DType.Float64 && bits[32 + j] != 0) rounded |= 1u << j;
        }
        roots = typeof(L) == typeof(Lanes512) ? Unsafe.BitCast<L, Vector512<double>>(val)
              : Vector512.Create(Unsafe.BitCast<L, Vector256<double>>(val), default);
        return false;
    }

    /// <summary>Smallest extreme s whose |z| the lanes round (see <see cref="Extreme{L, TDir}"/>).</summary>
    private static readonly double RootTopMin = Math.ScaleB(1.0, -900);

    /// <summary>Rows prefetched ahead of the walk down the reduced axis: its stride is usually beyond the hardware's
    /// stride prefetcher (rows of a C-order matrix are kilobytes apart), and a group reads only 64–128 bytes a row.
    /// Only rows that exist are prefetched: short columns ((4, 3000)) otherwise fetched twelve rows past the data per
    /// row read, more memory traffic than the data itself.</summary>
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
