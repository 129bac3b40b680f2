using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>max |z| (ord = +∞; min |z| for −∞) of one contiguous complex128 vector in one streaming pass per cached block, with the
/// exact magnitude evaluated only for candidates.
///
/// s = fl(fl(re²) + im²) (an FMA) is within 2.01u of |z|² when no square overflows, and an underflowed square loses
/// less than 2⁻¹⁰⁷⁴. Each block of <see cref="Block"/> values first takes its largest s (an unsigned integer maximum
/// of the bit patterns: NaN of either sign and ∞ sort above every finite s), the running top T; then, if the block
/// can hold one, its candidates s ≥ T·(1 − 2⁻⁴⁸) get the extended magnitude <see cref="Ext.Hypot"/> (the one
/// <see cref="GeneralNorm"/> builds) and the largest is kept exactly. The true maximum z* always qualifies: with the
/// final T ∈ [2⁻¹⁰⁰⁰, 2¹⁰⁰⁰], s* ≥ |z*|²(1 − 2.01u) − 2⁻¹⁰⁷³ and T ≤ |z*|²(1 + 2.01u), so s* ≥ T(1 − 5u) beyond
/// every threshold used (thresholds only grow). The result is the exact maximum rounded once, so it does not depend
/// on the block grid, the lane order or the split over threads. NaN or ∞ anywhere, a top outside [2⁻¹⁰⁰⁰, 2¹⁰⁰⁰]
/// (huge parts whose squares may overflow, or tiny data) return false: the block driver's path
/// (<see cref="ComplexAbsOp"/>) then runs with numpy's special-value rules.
/// Ties (np.ones, repeated values: every element a candidate, each once given its own Ext.Hypot, 0.02× NumPy): a
/// candidate whose (|re|, |im|) is the current winner's pair or its swap is masked off eight at a time before any
/// extended arithmetic — its Ext.Hypot is the winner's, bit for bit, and only a strictly larger one replaces the
/// winner (<see cref="ComplexTies"/>), so the stored value is unchanged. Ord −∞ is the mirror (<see cref="ScanMin"/>),
/// the path of complex128 vectors that <see cref="ComplexNegative"/> took before.</summary>
internal static unsafe class Complex128Max
{
    private const int Block = 2048;
    private const long SplitElements = 1L << 17;
    internal static readonly double Lo = Math.ScaleB(1.0, -1000), Hi = Math.ScaleB(1.0, 1000), Slack = 1 - Math.ScaleB(1.0, -48);

    public static bool Applies(ReductionPlan plan, DType t, double p)
        => t == DType.Complex128 && double.IsInfinity(p) && RealKernels.Wide && Avx512F.IsSupported
           && plan.OuterCount == 1 && plan.InnerShape.Length == 1 && plan.InnerStrides[0] == 16 && plan.InnerCount >= 8;

    /// <summary>True when max |z| (p = +∞) or min |z| (p = −∞) was stored (no FP events are possible then).</summary>
    public static bool TryRun(ReductionPlan plan, byte* x, byte* o, DType ot, double p)
    {
        double* d = (double*)(x + plan.InnerBaseOffset);
        long n = plan.InnerCount;
        bool min = p < 0;
        int threads = Parallelism.MaxThreads, parts = 1;
        if (threads > 1 && n >= 2 * SplitElements) parts = (int)Math.Min(threads, n / SplitElements);
        Ext best;
        if (parts == 1)
        {
            if (!(min ? ScanMin(d, n, out best, out _) : Scan(d, n, out best))) return false;
        }
        else
        {
            var bests = new Ext[parts];
            var oks = new bool[parts];
            var zeros = new bool[parts];
            nint b = (nint)d;
            Parallelism.For(parts, threads, k =>
            {
                long first = n * k / parts, last = n * (k + 1) / parts;
                oks[k] = min ? ScanMin((double*)b + 2 * first, last - first, out bests[k], out zeros[k])
                             : Scan((double*)b + 2 * first, last - first, out bests[k]);
            });
            best = Ext.Zero;
            bool has = false, zero = false;
            for (int k = 0; k < parts; k++)
            {
                if (!oks[k]) return false;
                zero |= zeros[k];
                int c = has ? Ext.Compare(bests[k], best) : 0;
                if (!has || (min ? c < 0 : c > 0)) { best = bests[k]; has = true; }
            }
            if (zero) best = Ext.Zero;
        }
        ResultWriter.Store(ot, o, best);
        return true;
    }

    /// <summary>The exact max |z| of m values (m ≥ 1); false on NaN/∞ or a top outside [2⁻¹⁰⁰⁰, 2¹⁰⁰⁰].</summary>
    internal static bool Scan(double* d, long m, out Ext best)
    {
        var pick = new ExtExtreme { Best = Ext.Zero };
        best = Ext.Zero;
        double top = 0;
        for (long first = 0; first < m; first += Block)
        {
            int len = (int)Math.Min(Block, m - first);
            double* p = d + 2 * first;
            double bt = BlockTop(p, len);
            if (!(bt <= Hi)) return false; // NaN (any sign) or ∞ or huge
            if (bt == 0 || bt < top * Slack) continue; // no candidate here (zeros never are: an all-zero vector fails below)
            top = Math.Max(top, bt);
            Candidates(p, len, top * Slack, ref pick, false);
        }
        best = pick.Best;
        return top >= Lo;
    }

    /// <summary>The exact min |z| of m values (m ≥ 1), the mirror of <see cref="Scan"/> (the vector path of ord −∞ that
    /// <see cref="ComplexNegative"/> took, an Ext.Hypot per tied element): each block's smallest s (and largest, for NaN
    /// and ∞, which fail) and the running bottom B; candidates s ≤ B/(1 − 2⁻⁴⁸). The true minimum z* qualifies: with
    /// the final B ∈ [2⁻¹⁰⁰⁰, 2¹⁰⁰⁰] its s* ≤ |z*|²(1 + 2.01u) ≤ B(1 + 5u), below every threshold used (thresholds only
    /// shrink), and so does the element of least Ext.Hypot (within ~2⁻¹⁰⁰ of |z*|). The stored value is that least
    /// Ext.Hypot, rounded once — the value ComplexNegative's scan keeps (it evaluates every element not provably above
    /// its running minimum, so its minimum is the same least Ext value). A finite line holding an exact 0 gives
    /// <paramref name="zero"/> and best = 0, ComplexNegative's 0 for it. False on NaN or ∞ anywhere or a bottom outside
    /// [2⁻¹⁰⁰⁰, 2¹⁰⁰⁰] without an exact 0 (ComplexNegative then runs, as before).</summary>
    internal static bool ScanMin(double* d, long m, out Ext best, out bool zero)
    {
        var pick = new ExtExtreme { Best = Ext.Zero };
        best = Ext.Zero;
        zero = false;
        double bottom = double.PositiveInfinity;
        for (long first = 0; first < m; first += Block)
        {
            int len = (int)Math.Min(Block, m - first);
            double* p = d + 2 * first;
            double bt = BlockRange(p, len, out double bmax);
            if (!(bmax <= double.MaxValue)) return false; // NaN (any sign) or ∞
            if (zero) continue; // the result is 0 unless a NaN or ∞ follows
            if (bt < Lo)
            {
                if (bt == 0 && HasZero(p, len)) { zero = true; continue; }
                return false;
            }
            if (bt > bottom / Slack) continue; // no candidate here
            bottom = Math.Min(bottom, bt);
            Candidates(p, len, bottom / Slack, ref pick, true);
        }
        if (zero) return true;
        best = pick.Best;
        return bottom <= Hi;
    }

    /// <summary>The smallest s of the block, and in <paramref name="max"/> the largest (NaN when a NaN or ∞ pattern is
    /// there: they compare above every finite s as unsigned integers).</summary>
    private static double BlockRange(double* p, int len, out double max)
    {
        var mx = Vector512<ulong>.Zero;
        var mn = Vector512<ulong>.AllBitsSet;
        int i = 0;
        for (; i <= len - 8; i += 8)
        {
            var v = Squares(p + 2 * i).AsUInt64();
            mx = Vector512.Max(mx, v);
            mn = Vector512.Min(mn, v);
        }
        var h = Vector256.Max(mx.GetLower(), mx.GetUpper());
        var l = Vector256.Min(mn.GetLower(), mn.GetUpper());
        ulong top = Math.Max(Math.Max(h[0], h[1]), Math.Max(h[2], h[3]));
        ulong bot = Math.Min(Math.Min(l[0], l[1]), Math.Min(l[2], l[3]));
        for (; i < len; i++)
        {
            double re = p[2 * i], im = p[2 * i + 1];
            ulong v = BitConverter.DoubleToUInt64Bits(Math.FusedMultiplyAdd(im, im, re * re));
            top = Math.Max(top, v);
            bot = Math.Min(bot, v);
        }
        max = top >= 0x7FF0_0000_0000_0000UL ? double.NaN : BitConverter.UInt64BitsToDouble(top);
        return BitConverter.UInt64BitsToDouble(bot); // finite when max is
    }

    private static bool HasZero(double* p, int len)
    {
        for (int i = 0; i < len; i++)
            if (p[2 * i] == 0 && p[2 * i + 1] == 0) return true;
        return false;
    }

    /// <summary>The largest s of the block as a double (NaN and ∞ patterns compare above everything).</summary>
    private static double BlockTop(double* p, int len)
    {
        var mx = Vector512<ulong>.Zero;
        int i = 0;
        for (; i <= len - 8; i += 8)
            mx = Vector512.Max(mx, Squares(p + 2 * i).AsUInt64());
        var h = Vector256.Max(mx.GetLower(), mx.GetUpper());
        ulong top = Math.Max(Math.Max(h[0], h[1]), Math.Max(h[2], h[3]));
        for (; i < len; i++)
        {
            double re = p[2 * i], im = p[2 * i + 1];
            top = Math.Max(top, BitConverter.DoubleToUInt64Bits(Math.FusedMultiplyAdd(im, im, re * re)));
        }
        return top >= 0x7FF0_0000_0000_0000UL ? double.NaN : BitConverter.UInt64BitsToDouble(top);
    }

    /// <summary>s of 8 complex values (lane order 0, 4, 1, 5, 2, 6, 3, 7; the order does not matter here). Inlined: as a
    /// call it returned through the stack and the scans' running maximum was spilled every step (ones 30000 ord ∞: the
    /// block-top pass took a third of the time at ~12 cycles per eight values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Squares(double* q)
    {
        var u = Vector512.Load(q);
        var v = Vector512.Load(q + 8);
        var re = Avx512F.UnpackLow(u, v);
        var im = Avx512F.UnpackHigh(u, v);
        return Vector512.FusedMultiplyAdd(im, im, re * re);
    }

    /// <summary>Hands the block's candidates (s ≥ thr) to <paramref name="pick"/>, the ones whose parts' magnitudes are
    /// the winner's pair (or its swap) masked off eight at a time first (they cannot change it: <see cref="ComplexTies"/>).</summary>
    private static void Candidates(double* p, int len, double thr, ref ExtExtreme pick, bool min)
    {
        var vt = Vector512.Create(thr);
        var sign = Vector512.Create(-0.0);
        int i = 0;
        for (; i <= len - 8; i += 8)
        {
            var u = Vector512.Load(p + 2 * i);
            var v = Vector512.Load(p + 2 * i + 8);
            var re = Avx512F.UnpackLow(u, v);
            var im = Avx512F.UnpackHigh(u, v);
            var sq = Vector512.FusedMultiplyAdd(im, im, re * re);
            var hits = min ? Vector512.LessThanOrEqual(sq, vt) : Vector512.GreaterThanOrEqual(sq, vt);
            if (pick.Has && hits != Vector512<double>.Zero)
            {
                Vector512<double> ar = Vector512.AndNot(re, sign), ai = Vector512.AndNot(im, sign);
                Vector512<double> pa = Vector512.Create(pick.A), pb = Vector512.Create(pick.B);
                var same = (Vector512.Equals(ar, pa) & Vector512.Equals(ai, pb)) | (Vector512.Equals(ar, pb) & Vector512.Equals(ai, pa));
                hits = Vector512.AndNot(hits, same);
            }
            ulong hit = hits.ExtractMostSignificantBits();
            while (hit != 0)
            {
                int lane = System.Numerics.BitOperations.TrailingZeroCount(hit);
                hit &= hit - 1;
                int j = i + (lane >> 1) + ((lane & 1) << 2); // lane order 0, 4, 1, 5, 2, 6, 3, 7
                pick.Take(p[2 * j], p[2 * j + 1], min);
            }
        }
        for (; i < len; i++)
        {
            double re = p[2 * i], im = p[2 * i + 1];
            double v = Math.FusedMultiplyAdd(im, im, re * re);
            if (min ? v <= thr : v >= thr) pick.Take(re, im, min);
        }
    }

    internal static void Consider(double re, double im, ref Ext best)
    {
        Ext z = Ext.Hypot(Ext.FromDouble(re), Ext.FromDouble(im));
        if (best.IsZero || Ext.Compare(z, best) > 0) best = z;
    }
}
