using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>float64 2-norm (or 1-norm) over two reduced axes whose inner one is contiguous while the kept axis lies
/// between them in memory, e.g. <c>axis=(0, 2)</c> of a C-order 3-D array: each output gathers many contiguous
/// runs far apart. The general driver copies every run into a block buffer output by output (a page jump per
/// run). Here the outputs of a band are advanced together, run index outermost, so memory is read in address
/// order, and each output keeps 16 double-double lanes (lane = position in the run mod 16, a run's last partial
/// group added as its last 16 elements with the ones already added zeroed; TwoProd/TwoSum
/// per element, as <see cref="AcrossOutputs"/>), accurate to ~n·2⁻¹⁰⁶.
///
/// Bits: the lanes are folded into a double-double and rounded once (√ by <see cref="SumSquares.Sqrt"/>), which
/// gives the correctly rounded norm, and the general path's result is correctly rounded too, so both are the
/// same double: this kernel relies on that uniqueness (tested against exact references and against each
/// output reduced alone). Outputs whose sum is not safely in range (NaN/∞, overflow, tiny sums whose squares
/// may have underflowed) are recomputed by the general driver itself.</summary>
internal static unsafe class RunsAcross
{
    private const int Lanes = 16;
    private static readonly double s_tiny = Math.ScaleB(1.0, -900);

    public static bool Applies(ReductionPlan plan, DType t, double p)
        => t == DType.Float64 && (p == 2 || p == 1) && plan.InnerShape.Length == 2 && plan.OuterShape.Length == 1
           && plan.InnerStrides[0] == 8 && plan.InnerShape[0] >= Lanes && plan.OuterCount >= 2
           && plan.InnerStrides[1] > Math.Abs(plan.OuterInStrides[0]);

    public static FpEvents Run(ReductionPlan plan, byte* x, DType ot, byte* o, double p)
    {
        long outs = plan.OuterCount;
        int threads = Parallelism.MaxThreads;
        // accumulators: 2·16 doubles per output; bands of at most 128 outputs keep them within 32 KB
        const int MaxBand = 128;
        long band = MaxBand;
        if (threads > 1 && outs * plan.InnerCount >= BlockDriver.ParallelThreshold)
            band = Math.Clamp((outs + threads - 1) / threads, 1, MaxBand);
        int bands = (int)((outs + band - 1) / band);
        if (bands > 1 && threads > 1 && outs * plan.InnerCount >= BlockDriver.ParallelThreshold)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForParts(bands, threads, b =>
            {
                long j0 = b * band;
                return Band(plan, (byte*)xb, (byte*)ob, ot, j0, (int)Math.Min(band, outs - j0), p);
            });
        }
        var ev = FpEvents.None;
        for (long j0 = 0; j0 < outs; j0 += band) ev |= Band(plan, x, o, ot, j0, (int)Math.Min(band, outs - j0), p);
        return ev;
    }

    /// <summary>Doubles of state per output: TwoSum lanes (hi 16, lo 16), offset lanes (a 16, l 16), σ, and the
    /// double-double of accepted offset chunks (H, L); padded to whole cache lines.</summary>
    private const int Per = 72;
    private const int OffA = 2 * Lanes, OffL = 3 * Lanes, OffSigma = 4 * Lanes, OffH = OffSigma + 1, OffLo = OffSigma + 2;

    /// <summary>Runs summed with TwoSum lanes before the offset chunks start (they give each output its scale).</summary>
    private const int FirstRuns = 2;

    /// <summary>Outputs j0 … j0 + w − 1. The first runs go into 16 TwoSum lanes per output (lane = position in the
    /// run mod 16). Every later chunk of runs (about 64 terms per lane) uses 16 offset lanes per output that start
    /// at σ, a power of two ≥ 4× the lane's expected chunk sum (from the output's running total), so each update
    /// a' = a + t is error-free recoverable in four flops (see <see cref="OffsetStep"/>); the chunk is accepted for
    /// an output when every lane ended ≤ 2σ (every term was ≤ σ) and the chunk's sum is ≥ σ/4 (its error bound,
    /// ~16·64²·2⁻¹⁰⁵σ, is then ≤ 2⁻⁸⁷ of it) or exactly zero, and then folded exactly (a − σ by Sterbenz, a TwoSum
    /// tree) into a double-double; otherwise the output's chunk is summed again with its TwoSum lanes. All decisions
    /// are per output and every lane performs the same operations at any vector width.</summary>
    private static FpEvents Band(ReductionPlan plan, byte* x, byte* o, DType ot, long j0, int w, double p)
    {
        int len = (int)plan.InnerShape[0];
        long runs = plan.InnerShape[1], rs = plan.InnerStrides[1], os = plan.OuterInStrides[0];
        double* st = stackalloc double[w * Per];
        new Span<double>(st, w * Per).Clear();
        bool sq = p == 2;
        byte* b0 = x + plan.InnerBaseOffset + j0 * os;
        long first = Math.Min(runs, FirstRuns);
        Runs<LaneStep>(b0, rs, os, 0, first, len, st, 0, w, 0, Lanes, sq);
        long chunk = Math.Max(1, 1024 / len);
        for (long r = first; r < runs; r += chunk)
        {
            long e = Math.Min(runs, r + chunk);
            double ratio = (double)(e - r) / r / Lanes;
            for (int j = 0; j < w; j++) SetSigma(st + j * Per, ratio);
            Runs<OffsetStep>(b0, rs, os, r, e, len, st, 0, w, OffA, OffL, sq);
            for (int j = 0; j < w; j++)
                if (!Accept(st + j * Per)) Runs<LaneStep>(b0, rs, os, r, e, len, st, j, 1, 0, Lanes, sq);
        }
        var ev = FpEvents.None;
        for (int j = 0; j < w; j++)
        {
            double* hs = st + j * Per, ls = hs + Lanes;
            double h = 0, l = 0;
            bool finite = true;
            for (int q = 0; q < Lanes; q++)
            {
                finite &= double.IsFinite(hs[q]) && double.IsFinite(ls[q]);
                DD.Add(ref h, ref l, hs[q], ls[q]);
            }
            finite &= double.IsFinite(hs[OffH]) && double.IsFinite(hs[OffLo]);
            DD.Add(ref h, ref l, hs[OffH], hs[OffLo]);
            bool safe = finite && double.IsFinite(h) && double.IsFinite(l) && (sq ? h >= s_tiny : h > 0 || h == 0 && l == 0);
            if (!safe) { ev |= Alone(plan, x, o, ot, j0 + j, p); continue; }
            ev |= FastFinish.Store(ot, o + (j0 + j) * plan.OuterOutStrides[0], h, l, sq);
        }
        return ev;
    }

    private static readonly double s_sigmaMin = Math.ScaleB(1.0, -900), s_sigmaMax = Math.ScaleB(1.0, 1000);

    /// <summary>σ = 2·2^⌊log₂(4E)⌋ ≥ 4E, E = the output's running total × <paramref name="ratio"/> (the expected chunk
    /// sum of one lane); the offset lanes start at σ with no error. An unusable σ (zero, tiny, huge, NaN) is stored as
    /// 0, which <see cref="Accept"/> rejects.</summary>
    private static void SetSigma(double* st, double ratio)
    {
        double t = st[OffH];
        for (int q = 0; q < Lanes; q++) t += st[q];
        double e4 = t * ratio * 4;
        double sigma = BitConverter.UInt64BitsToDouble(BitConverter.DoubleToUInt64Bits(e4) & 0x7FF0_0000_0000_0000UL) * 2;
        if (!(sigma >= s_sigmaMin && sigma <= s_sigmaMax)) sigma = 0;
        st[OffSigma] = sigma;
        for (int q = 0; q < Lanes; q++) { st[OffA + q] = sigma; st[OffL + q] = 0; }
    }

    /// <summary>Validates an output's offset chunk and, if accepted, adds it to its (H, L); the fold is done in
    /// Vector256 quarters whatever the width, so its bits do not depend on it.</summary>
    private static bool Accept(double* st)
    {
        double sigma = st[OffSigma];
        if (sigma == 0) return false;
        var vs = Vector256.Create(sigma);
        Vector256<double> a0 = Vector256.Load(st + OffA), a1 = Vector256.Load(st + OffA + 4), a2 = Vector256.Load(st + OffA + 8), a3 = Vector256.Load(st + OffA + 12);
        var top = Vector256.Max(Vector256.Max(a0, a1), Vector256.Max(a2, a3));
        // every lane ≤ 2σ (NaN fails)
        if (!Vector256.LessThanOrEqualAll(top, vs + vs)) return false;
        var lsum = Vector256.Sum((Vector256.Load(st + OffL) + Vector256.Load(st + OffL + 4)) + (Vector256.Load(st + OffL + 8) + Vector256.Load(st + OffL + 12)));
        if (!double.IsFinite(lsum)) return false;
        var s01 = LaneStep.TwoSum(a0 - vs, a1 - vs, out var e01);
        var s23 = LaneStep.TwoSum(a2 - vs, a3 - vs, out var e23);
        var s4 = LaneStep.TwoSum(s01, s23, out var e4);
        double q0 = s4.GetElement(0), q1 = s4.GetElement(1), q2 = s4.GetElement(2), q3 = s4.GetElement(3);
        double h01 = DD.TwoSum(q0, q1, out double f01), h23 = DD.TwoSum(q2, q3, out double f23);
        double h = DD.TwoSum(h01, h23, out double f);
        double lo = Vector256.Sum((e01 + e23) + e4) + ((f01 + f23) + f) + lsum;
        bool zero = h == 0 && lo == 0;
        if (!zero && !(h >= 0.25 * sigma)) return false;
        DD.Add(ref st[OffH], ref st[OffLo], h, lo);
        return true;
    }

    /// <summary>Runs [r0, r1) of outputs [jf, jf + count) into their lanes at offsets <paramref name="offH"/> /
    /// <paramref name="offL"/> of each output's state, one <typeparamref name="TStep"/> per element (<see cref="LaneStep"/>:
    /// TwoSum lanes; <see cref="OffsetStep"/>: offset lanes), run index outermost.</summary>
    private static void Runs<TStep>(byte* b0, long rs, long os, long r0, long r1, int len, double* st, int jf, int count, int offH, int offL, bool sq)
        where TStep : struct, IRowStep
    {
        if (sq) Runs<TStep, SquareTerms>(b0, rs, os, r0, r1, len, st, jf, count, offH, offL);
        else Runs<TStep, MagnitudeTerms>(b0, rs, os, r0, r1, len, st, jf, count, offH, offL);
    }

    /// <summary><see cref="Runs{TStep}"/> with squares or magnitudes fixed at compile time.</summary>
    private static void Runs<TStep, TKind>(byte* b0, long rs, long os, long r0, long r1, int len, double* st, int jf, int count, int offH, int offL)
        where TStep : struct, IRowStep where TKind : struct
    {
        bool sq = typeof(TKind) == typeof(SquareTerms);
        bool wide = RealKernels.Wide;
        // the run's last 16 elements with the ones already added zeroed (a zero leaves a lane as it is): a scalar
        // tail reloading a lane just stored by the vector registers stalled every run
        int full = len & ~(Lanes - 1);
        var keep = Vector512.Create((long)(Lanes - (len - full)));
        var index = Vector512.Create(0L, 1, 2, 3, 4, 5, 6, 7); // a constant (a static field's init check spilled the lanes)
        var m0 = Vector512.GreaterThanOrEqual(index, keep).AsDouble();
        var m1 = Vector512.GreaterThanOrEqual(index + Vector512.Create(8L), keep).AsDouble();
        for (long r = r0; r < r1; r++)
        {
            byte* rb = b0 + r * rs;
            for (int j = jf; j < jf + count; j++)
            {
                double* v = (double*)(rb + j * os);
                double* hs = st + j * Per + offH, ls = st + j * Per + offL;
                int k = 0;
                if (wide)
                {
                    var h0 = Vector512.Load(hs); var h1 = Vector512.Load(hs + 8);
                    var l0 = Vector512.Load(ls); var l1 = Vector512.Load(ls + 8);
                    for (; k <= len - Lanes; k += Lanes)
                    {
                        TStep.Add(ref h0, ref l0, Vector512.Load(v + k), sq);
                        TStep.Add(ref h1, ref l1, Vector512.Load(v + k + 8), sq);
                    }
                    if (k < len)
                    {
                        TStep.Add(ref h0, ref l0, Vector512.Load(v + len - Lanes) & m0, sq);
                        TStep.Add(ref h1, ref l1, Vector512.Load(v + len - 8) & m1, sq);
                        k = len;
                    }
                    h0.Store(hs); h1.Store(hs + 8); l0.Store(ls); l1.Store(ls + 8);
                }
                else
                {
                    var h0 = Vector256.Load(hs); var h1 = Vector256.Load(hs + 4); var h2 = Vector256.Load(hs + 8); var h3 = Vector256.Load(hs + 12);
                    var l0 = Vector256.Load(ls); var l1 = Vector256.Load(ls + 4); var l2 = Vector256.Load(ls + 8); var l3 = Vector256.Load(ls + 12);
                    for (; k <= len - Lanes; k += Lanes)
                    {
                        TStep.Add(ref h0, ref l0, Vector256.Load(v + k), sq);
                        TStep.Add(ref h1, ref l1, Vector256.Load(v + k + 4), sq);
                        TStep.Add(ref h2, ref l2, Vector256.Load(v + k + 8), sq);
                        TStep.Add(ref h3, ref l3, Vector256.Load(v + k + 12), sq);
                    }
                    if (k < len)
                    {
                        double* t = v + len - Lanes;
                        TStep.Add(ref h0, ref l0, Vector256.Load(t) & m0.GetLower(), sq);
                        TStep.Add(ref h1, ref l1, Vector256.Load(t + 4) & m0.GetUpper(), sq);
                        TStep.Add(ref h2, ref l2, Vector256.Load(t + 8) & m1.GetLower(), sq);
                        TStep.Add(ref h3, ref l3, Vector256.Load(t + 12) & m1.GetUpper(), sq);
                        k = len;
                    }
                    h0.Store(hs); h1.Store(hs + 4); h2.Store(hs + 8); h3.Store(hs + 12);
                    l0.Store(ls); l1.Store(ls + 4); l2.Store(ls + 8); l3.Store(ls + 12);
                }
                for (int q = 0; k < len; k++, q++) TStep.Add(ref hs[q], ref ls[q], v[k], sq);
            }
        }
    }

    /// <summary>Output <paramref name="j"/> through the general block driver (its exact code path).</summary>
    private static FpEvents Alone(ReductionPlan plan, byte* x, byte* o, DType ot, long j, double p)
    {
        var sub = ReductionPlan.Create(plan.InnerShape, plan.InnerStrides, 0b11, ReadOnlySpan<long>.Empty);
        byte* xp = x + plan.InnerBaseOffset + j * plan.OuterInStrides[0];
        byte* dst = o + j * plan.OuterOutStrides[0];
        return p == 2 ? BlockDriver.Run<SumSquaresOp, ScaledSum>(sub, xp, DType.Float64, dst, ot, default)
                      : BlockDriver.Run<IntPowOp, ScaledSum>(sub, xp, DType.Float64, dst, ot, new IntPowOp(1));
    }
}
