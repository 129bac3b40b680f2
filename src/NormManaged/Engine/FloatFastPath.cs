using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>A fast path for the float32 / complex64 2-norm that is exact in the only sense that matters: it
/// returns a result only when that result is provably the correctly rounded float32 value of the true norm.
///
/// A float's square is exact in double and cannot overflow or underflow there (|x|² ≤ 2^256, ≥ 2^-298), so a
/// plain double sum of squares Ŝ of n non-negative terms satisfies |Ŝ − S| ≤ γ_d·S, where d is the largest
/// number of additions any one term passes through (lane chain + lane folds + partial combines) and
/// γ_d = d·u/(1 − d·u), u = 2⁻⁵³ — whatever the lane count, the SIMD width, the split over threads or the
/// summation order. Then r = fl(√Ŝ) lies within δ = r·(γ_d + 8u) of N = √S (the slack also covers the rounding
/// of r ± δ). If [r − δ, r + δ] contains no float32 rounding boundary (midpoint between adjacent floats), N
/// rounds to the same float as r, so (float)r is the correctly rounded result. The correctly rounded value is
/// unique, so this gives the bits of the exact path (<see cref="FloatSquares"/>), which runs only when the test
/// fails: near a midpoint (probability ~2·δ/ulp, about 1e-4 at n = 1e6), on inf/NaN, on an overflowing or
/// subnormal float32 result. That is also why this path may split work over any number of threads and use any
/// vector width: its accepted results cannot depend on either.</summary>
internal static unsafe class FloatFastPath
{
    /// <summary>Fewest floats per part of a split fast sum; a sum is split from three parts' worth (<see
    /// cref="SplitFrom"/>). The accepted result is the correctly rounded one whatever the split, so the split is free
    /// to follow the thread count. One thread sums ~3·10⁴ floats a microsecond and a hand-off costs 1–2 µs, so two
    /// threads pay from ~9·10⁴ floats: A/B (alternating processes) against splitting from 2¹⁷, 10⁵ floats 4.6–5.8 →
    /// 3.9 µs and 1.3·10⁵ 5.5–6.6 → 4.4 µs, 7·10⁴ (unsplit in both) unchanged; splitting from 2¹⁶ made 7·10⁴ slower.</summary>
    public const long SplitFloats = 1L << 15;

    /// <summary>Floats from which a fast sum is split over threads.</summary>
    public const long SplitFrom = 3 * SplitFloats;

    /// <summary>Lanes each term is spread over at least when vectorised (the bound's chain length is n/lanes).</summary>
    private const int MinLanes = 16;

    /// <summary>Tries the fast path on <paramref name="m"/> contiguous floats; true when the result was stored.</summary>
    public static bool TryRun(float* p, long m, byte* dst, int threads) => TryRun(new ContiguousFloats(p), m, dst, threads);

    /// <summary>Tries the fast path on the 2-norm of <paramref name="n"/> float32 (<paramref name="complex"/>: complex64)
    /// elements <paramref name="stride"/> bytes apart from <paramref name="first"/> (not adjacent: those take
    /// <see cref="TryRun(float*, long, byte*, int)"/>), read in place (<see cref="FloatRuns"/>); false when nothing
    /// was stored, also when the stride is not one the runs read.</summary>
    public static bool TryRunStrided(byte* first, long n, long stride, bool complex, byte* dst, int threads)
    {
        if (!FloatRuns.TakesStride(stride)) return false;
        byte* low = FloatRuns.Lowest(first, n, ref stride);
        return FloatRuns.With<Whole, bool>(low, stride, n, complex, new Whole(dst, threads));
    }

    private readonly struct Whole(byte* dst, int threads) : IRunUser<bool>
    {
        public bool Use<R>(R run, long m) where R : struct, IFloatRun<R> => TryRun(run, m, dst, threads);
    }

    /// <summary>The fast path for the 2-norm of a whole 2-D view of float32 (<paramref name="complex"/>: complex64) —
    /// <paramref name="rows"/> rows of <paramref name="n"/> elements <paramref name="stride"/> bytes apart, rows
    /// <paramref name="rowStride"/> bytes apart (non-negative strides, <see cref="ReductionPlan"/>'s inner axes) — read
    /// in place; false when nothing was stored. Each row's sum is the vector's (its lanes and folds), and the rows add
    /// in sequence within a part: a term passes through at most the row's chain plus one addition per row. (Such views —
    /// x[::2, :], x[:300, 1:401], a 'fro' of a sliced matrix — went through the exact block path: 0.32–0.74× NumPy.)</summary>
    public static bool TryRunRows(byte* x, long n, long stride, long rows, long rowStride, bool complex, byte* dst, int threads)
    {
        long item = complex ? 8 : 4;
        if (n <= 0 || rows <= 0 || (stride != item && !FloatRuns.TakesStride(stride))) return false;
        return FloatRuns.With<Rows, bool>(x, stride, n, complex, new Rows(rows, rowStride, dst, threads));
    }

    private readonly struct Rows(long rows, long rowStride, byte* dst, int threads) : IRunUser<bool>
    {
        public bool Use<R>(R run, long m) where R : struct, IFloatRun<R> => TryRows(run, m, rows, rowStride, dst, threads);
    }

    /// <summary><see cref="TryRunRows"/> over rows of <paramref name="m"/> floats read by <typeparamref name="R"/>.</summary>
    private static bool TryRows<R>(R first, long m, long rows, long rowStride, byte* dst, int threads) where R : struct, IFloatRun<R>
    {
        int parts = 1;
        if (threads > 1 && m * rows >= SplitFrom) parts = (int)Math.Max(1, Math.Min(Math.Min(threads, rows), m * rows / SplitFloats));
        var ps = stackalloc double[parts];
        if (parts == 1) ps[0] = SumRows(first, m, 0, rows, rowStride);
        else
        {
            nint pp = (nint)ps;
            Parallelism.For(parts, threads, k => ((double*)pp)[k] = SumRows(first, m, rows * k / parts, rows * (k + 1) / parts, rowStride));
        }
        double s = 0;
        for (int k = 0; k < parts; k++) s += ps[k];
        // a row's chain (as a vector's of m floats, below), one addition per row of its part, the combine of the parts
        long d = (Vector256.IsHardwareAccelerated ? m / MinLanes + 1 : m) + 64 + 16 + rows + parts;
        return TryStore(s, d, dst);
    }

    private static double SumRows<R>(R first, long m, long r0, long r1, long rowStride) where R : struct, IFloatRun<R>
    {
        double s = 0;
        for (long r = r0; r < r1; r++) s += SumSquares(first.Moved(r * rowStride), m);
        return s;
    }

    private static bool TryRun<R>(R run, long m, byte* dst, int threads) where R : struct, IFloatRun<R>
    {
        int parts = 1;
        if (threads > 1 && m >= SplitFrom) parts = (int)Math.Max(1, Math.Min(threads, m / SplitFloats));
        double s;
        if (parts == 1) s = SumSquares(run, m);
        else
        {
            var ps = new double[parts];
            Parallelism.For(parts, threads, k =>
            {
                // parts start at even floats (a complex element is never split; any split bounds alike)
                long lo = (m * k / parts) & ~1L, hi = k == parts - 1 ? m : (m * (k + 1) / parts) & ~1L;
                ps[k] = SumSquares(run.From(lo), hi - lo);
            });
            s = 0;
            foreach (double v in ps) s += v;
        }
        // longest chain a term goes through: its lane (≤ m/MinLanes + 1 terms, or all m unvectorised),
        // the scalar tail (< 64), the lane folds (≤ 16) and the combine of the parts
        long d = (Vector256.IsHardwareAccelerated ? m / MinLanes + 1 : m) + 64 + 16 + parts;
        return TryStore(s, d, dst);
    }

    /// <summary>Stores (float)√<paramref name="s"/> if that is provably the correctly rounded norm, given that
    /// |s − S| ≤ γ_d·S.</summary>
    internal static bool TryStore(double s, long d, byte* dst)
    {
        const double u = 1.0 / (1L << 53);
        if (!double.IsFinite(s)) return false;
        if (s == 0) { Unsafe.WriteUnaligned(dst, 0f); return true; } // every square was 0: so is the norm
        double du = d * u;
        if (!(du < 1.0 / (1 << 20))) return false;
        double gamma = du / (1 - du);
        double r = Math.Sqrt(s);
        float f = (float)r;
        if (!float.IsNormal(f) || f == float.MaxValue) return false;
        double delta = r * (gamma + 8 * u);
        double fd = f;
        int fb = BitConverter.SingleToInt32Bits(f); // f is positive and normal: its neighbours are the patterns ± 1
        double midLo = (fd + BitConverter.Int32BitsToSingle(fb - 1)) * 0.5, midHi = (fd + BitConverter.Int32BitsToSingle(fb + 1)) * 0.5; // exact
        if (!(r - delta > midLo && r + delta < midHi)) return false;
        Unsafe.WriteUnaligned(dst, f);
        return true;
    }

    /// <summary>The same test for a float16 result: a half's square is exact in double (22-bit significand, within
    /// [2^-48, 2^32]); the contiguous halves are widened to floats a block at a time and summed as above. True when
    /// the correctly rounded half was stored.</summary>
    public static bool TryRunHalf(Half* p, long n, byte* dst)
    {
        const int per = 4096;
        float* buf = stackalloc float[per];
        double s = 0;
        for (long first = 0; first < n; first += per)
        {
            int len = (int)Math.Min(per, n - first);
            System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(p + first, len), new Span<float>(buf, len));
            s += SumSquares(buf, len);
        }
        // chain: a block's lane (≤ per/MinLanes + 1, or per unvectorised), tail, folds, then one add per block
        long d = (Vector256.IsHardwareAccelerated ? per / MinLanes + 1 : per) + 64 + 16 + n / per + 1;
        return TryStoreHalf(s, d, dst);
    }

    /// <summary><see cref="TryStore"/> for a float16 result.</summary>
    internal static bool TryStoreHalf(double s, long d, byte* dst)
    {
        const double u = 1.0 / (1L << 53);
        if (!double.IsFinite(s)) return false;
        if (s == 0) { Unsafe.WriteUnaligned(dst, (Half)0f); return true; }
        double du = d * u;
        if (!(du < 1.0 / (1 << 20))) return false;
        double gamma = du / (1 - du);
        double r = Math.Sqrt(s);
        Half h = (Half)r;
        if (!Half.IsNormal(h) || h == Half.MaxValue) return false;
        double delta = r * (gamma + 8 * u);
        double hd = (double)h;
        double midLo = (hd + (double)Half.BitDecrement(h)) * 0.5, midHi = (hd + (double)Half.BitIncrement(h)) * 0.5; // exact
        if (!(r - delta > midLo && r + delta < midHi)) return false;
        Unsafe.WriteUnaligned(dst, h);
        return true;
    }

    /// <summary>Σ p[i]² in double (any order: only the bound above matters).</summary>
    internal static double SumSquares(float* p, long m) => SumSquares(new ContiguousFloats(p), m);

    /// <summary>Σ x² over the first <paramref name="m"/> floats of <paramref name="p"/>.</summary>
    private static double SumSquares<R>(R p, long m) where R : struct, IFloatRun<R>
    {
        long i = 0;
        double s = 0;
        if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated && m >= 64)
        {
            Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector512<double> a4 = default, a5 = default, a6 = default, a7 = default;
            for (; i <= m - 64; i += 64)
            {
                p.Ahead(i);
                // eight floats to eight doubles straight from memory (vcvtps2pd zmm, m256: one shuffle-port µop each);
                // Vector512.Widen of a 512-bit load added an extract per sixteen floats on that port, its bottleneck
                var w0 = Avx512F.ConvertToVector512Double(p.Load8(i));
                var w1 = Avx512F.ConvertToVector512Double(p.Load8(i + 8));
                var w2 = Avx512F.ConvertToVector512Double(p.Load8(i + 16));
                var w3 = Avx512F.ConvertToVector512Double(p.Load8(i + 24));
                var w4 = Avx512F.ConvertToVector512Double(p.Load8(i + 32));
                var w5 = Avx512F.ConvertToVector512Double(p.Load8(i + 40));
                var w6 = Avx512F.ConvertToVector512Double(p.Load8(i + 48));
                var w7 = Avx512F.ConvertToVector512Double(p.Load8(i + 56));
                a0 = Vector512.FusedMultiplyAdd(w0, w0, a0); a1 = Vector512.FusedMultiplyAdd(w1, w1, a1);
                a2 = Vector512.FusedMultiplyAdd(w2, w2, a2); a3 = Vector512.FusedMultiplyAdd(w3, w3, a3);
                a4 = Vector512.FusedMultiplyAdd(w4, w4, a4); a5 = Vector512.FusedMultiplyAdd(w5, w5, a5);
                a6 = Vector512.FusedMultiplyAdd(w6, w6, a6); a7 = Vector512.FusedMultiplyAdd(w7, w7, a7);
            }
            s = Vector512.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)));
        }
        else if (Vector256.IsHardwareAccelerated && m >= 32)
        {
            Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector256<double> a4 = default, a5 = default, a6 = default, a7 = default;
            for (; i <= m - 32; i += 32)
            {
                p.Ahead32(i);
                var (w0, w1) = Vector256.Widen(p.Load8(i));
                var (w2, w3) = Vector256.Widen(p.Load8(i + 8));
                var (w4, w5) = Vector256.Widen(p.Load8(i + 16));
                var (w6, w7) = Vector256.Widen(p.Load8(i + 24));
                a0 = Vector256.FusedMultiplyAdd(w0, w0, a0); a1 = Vector256.FusedMultiplyAdd(w1, w1, a1);
                a2 = Vector256.FusedMultiplyAdd(w2, w2, a2); a3 = Vector256.FusedMultiplyAdd(w3, w3, a3);
                a4 = Vector256.FusedMultiplyAdd(w4, w4, a4); a5 = Vector256.FusedMultiplyAdd(w5, w5, a5);
                a6 = Vector256.FusedMultiplyAdd(w6, w6, a6); a7 = Vector256.FusedMultiplyAdd(w7, w7, a7);
            }
            s = Vector256.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)));
        }
        double t = 0;
        for (; i < m; i++) { double v = p.At(i); t = Math.FusedMultiplyAdd(v, v, t); }
        return s + t;
    }
}
