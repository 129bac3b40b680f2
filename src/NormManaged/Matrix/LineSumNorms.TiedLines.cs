using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NormManaged.Kernels;

namespace NormManaged.Matrix;

internal static unsafe partial class LineSumNorms
{
    /// <summary>The screen's candidates when too many lines tie (zeros, eye, diagonal, ones: every line is a candidate),
    /// with the same bits as <see cref="ScreenedBest"/>'s loop (and so the full pass) but without an exact sum for a
    /// line whose exact sum is known without one:
    /// <list type="bullet">
    /// <item>no nonzero element (every real element == 0, or both parts of a complex one): every magnitude is +0
    /// (Math.Abs, <see cref="LineMagnitudes.Of"/>/<see cref="LineMagnitudes.OfSingle"/> give +0 for ±0), every TwoSum
    /// in <see cref="SumAbs"/>/<see cref="ExactLine"/> adds +0 to +0 with error (+0 − +0) + (+0 − +0) = +0, so the exact
    /// route's (hi, lo) is (+0, +0);</item>
    /// <item>exactly one nonzero element a with a finite magnitude v = |a| (real: Math.Abs; complex: the scalar
    /// function of <see cref="LineMagnitudes"/>, which its vector code equals bit for bit — its doc comment): whatever
    /// lane v lands in, every addition is v + 0, 0 + v or 0 + 0, exact, so each TwoSum error is +0 (see above: the
    /// terms are s − s or 0 − 0) and the fold and <see cref="Add"/> keep (v, +0): the exact route's (hi, lo) is (v, 0);</item>
    /// <item>bitwise the same elements as the last line summed exactly: the exact sum is a function of the element
    /// bits alone (<see cref="ExactLine"/> reads nothing else; its streamed and sequential forms agree), so the same
    /// (hi, lo).</item>
    /// </list>
    /// A real line whose plain sum ps[l] is exactly 0 has no nonzero element: its terms are exact |x| ≥ 0 (float32 ones
    /// widen or stay float32 exactly), and a rounded sum of non-negative terms in any order is at least its largest term
    /// (rounding is monotone and fl(a + b) ≥ fl(b) = b for a ≥ 0), so one nonzero |x| ≥ 2⁻¹⁴⁹ would leave ps[l] &gt; 0
    /// (the screen's sums never flush subnormals). Complex screen magnitudes can underflow to 0, so complex lines are
    /// always scanned. A NaN <paramref name="cut"/> makes every line a candidate (<paramref name="ps"/> unused: the
    /// complex screen could not decide because its absolute error term dominates, e.g. an all-zero matrix).
    /// Crossed lines (elements far apart) are scanned only when complex (their exact magnitudes cost far more than a
    /// strided scan) and never compared with the previous line.
    /// Lines with a non-finite element, or two or more nonzero elements unlike the previous exact one, are summed by
    /// <see cref="ExactLine"/> as before. Candidates are the same (ps beyond <paramref name="cut"/>) and picked in index
    /// order by the same <see cref="Pick"/>, so the result is bit for bit the loop's. False (nothing decided: the caller
    /// runs the full pass, as before this walk existed) once more than max(4, lines/16) lines need an exact sum: then
    /// the walk has cost at most the scans plus that share of the exact sums.</summary>
    private static bool TiedBest(byte* x, DType t, long lines, long len, long lineStride, long elemStride, bool wantMax,
        bool streamLines, double[] ps, double cut, double* buf, out double bh, out double bl)
    {
        bh = bl = 0;
        bool first = true;
        long hard = 0, limit = Math.Max(4, lines / 16);
        byte* last = null; // the last line summed exactly
        double lastH = 0, lastL = 0;
        int item = DTypes.ItemSize(t);
        bool real = !DTypes.IsComplex(t), all = double.IsNaN(cut);
        long at = 0;
        // crossed real lines: a strided scan costs about what the full pass's exact sums do, so only the ps = 0 lines
        // are skipped; give up at once when more than the limit of the others are candidates
        bool scan = streamLines || !real;
        if (!scan)
        {
            long rest = 0;
            for (long l = 0; l < lines; l++) rest += (wantMax ? ps[l] >= cut : ps[l] <= cut) && ps[l] != 0 ? 1 : 0;
            if (rest > limit) return false;
        }
        for (long l = 0; l < lines; l++)
        {
            if (!all && !(wantMax ? ps[l] >= cut : ps[l] <= cut)) continue;
            byte* p = x + l * lineStride;
            double h, lo;
            long nz = real && ps[l] == 0 ? 0 : scan ? NonZeros(p, t, len, elemStride, out at) : 2;
            if (nz == 0) { h = 0; lo = 0; }
            else if (nz == 1 && Single(p + at * elemStride, t, out double v)) { h = v; lo = 0; }
            else if (streamLines && last != null && SameLine(p, last, len, elemStride, item)) { h = lastH; lo = lastL; }
            else
            {
                if (++hard > limit) return false;
                ExactLine(p, t, len, elemStride, !streamLines, buf, out h, out lo);
                last = p; lastH = h; lastL = lo;
            }
            Pick(ref first, wantMax, h, lo, ref bh, ref bl);
        }
        return true;
    }

    /// <summary>How many elements of the line are nonzero (stops counting at 2), and where the first one is. An element
    /// is zero when every part is ±0: its bits but the sign bit(s) are all clear (a NaN or ±∞ counts as nonzero).</summary>
    private static long NonZeros(byte* p, DType t, long len, long es, out long at)
    {
        at = -1;
        bool wide = t is DType.Float64 or DType.Complex128; // 8-byte parts, else 4-byte ones
        int parts = t is DType.Complex64 or DType.Complex128 ? 2 : 1;
        int item = (wide ? 8 : 4) * parts;
        if (es == item)
        {
            // contiguous: the line is len·parts words; the first nonzero word, then any after its element
            long words = len * parts;
            long w = wide ? FirstNonZero64((ulong*)p, 0, words) : FirstNonZero32((uint*)p, 0, words);
            if (w < 0) return 0;
            at = w / parts;
            long from = (at + 1) * parts;
            long w2 = wide ? FirstNonZero64((ulong*)p, from, words) : FirstNonZero32((uint*)p, from, words);
            return w2 < 0 ? 1 : 2;
        }
        long nz = 0;
        for (long i = 0; i < len; i++, p += es)
        {
            bool z = wide
                ? ((Unsafe.ReadUnaligned<ulong>(p) | (parts == 2 ? Unsafe.ReadUnaligned<ulong>(p + 8) : 0)) & Mask64) == 0
                : ((Unsafe.ReadUnaligned<uint>(p) | (parts == 2 ? Unsafe.ReadUnaligned<uint>(p + 4) : 0)) & Mask32) == 0;
            if (z) continue;
            if (nz++ == 0) at = i;
            else return 2;
        }
        return nz;
    }

    private const ulong Mask64 = 0x7FFF_FFFF_FFFF_FFFF;
    private const uint Mask32 = 0x7FFF_FFFF;

    /// <summary>The first i in [from, n) with (v[i] &amp; ~sign) ≠ 0, or −1.</summary>
    private static long FirstNonZero64(ulong* v, long from, long n)
    {
        long i = from;
        if (Vector256.IsHardwareAccelerated)
        {
            var m = Vector256.Create(Mask64);
            for (; i <= n - 16; i += 16)
            {
                var a = (Vector256.Load(v + i) | Vector256.Load(v + i + 4) | Vector256.Load(v + i + 8) | Vector256.Load(v + i + 12)) & m;
                if (a != Vector256<ulong>.Zero) break;
            }
        }
        for (; i < n; i++) if ((v[i] & Mask64) != 0) return i;
        return -1;
    }

    /// <summary>The first i in [from, n) with (v[i] &amp; ~sign) ≠ 0, or −1.</summary>
    private static long FirstNonZero32(uint* v, long from, long n)
    {
        long i = from;
        if (Vector256.IsHardwareAccelerated)
        {
            var m = Vector256.Create(Mask32);
            for (; i <= n - 32; i += 32)
            {
                var a = (Vector256.Load(v + i) | Vector256.Load(v + i + 8) | Vector256.Load(v + i + 16) | Vector256.Load(v + i + 24)) & m;
                if (a != Vector256<uint>.Zero) break;
            }
        }
        for (; i < n; i++) if ((v[i] & Mask32) != 0) return i;
        return -1;
    }

    /// <summary>The magnitude the exact route takes for one element (see <see cref="Load"/>); false when it is not
    /// finite (such lines keep the exact route's own handling).</summary>
    private static bool Single(byte* p, DType t, out double v)
    {
        double re, im = 0;
        switch (t)
        {
            case DType.Float64: v = Math.Abs(Unsafe.ReadUnaligned<double>(p)); break;
            case DType.Float32: v = Math.Abs((double)Unsafe.ReadUnaligned<float>(p)); break;
            case DType.Complex128:
                re = Unsafe.ReadUnaligned<double>(p); im = Unsafe.ReadUnaligned<double>(p + 8);
                v = double.IsFinite(re) && double.IsFinite(im) ? LineMagnitudes.Of(re, im) : double.NaN;
                break;
            default:
                re = Unsafe.ReadUnaligned<float>(p); im = Unsafe.ReadUnaligned<float>(p + 4);
                v = double.IsFinite(re) && double.IsFinite(im) ? LineMagnitudes.OfSingle(re, im) : double.NaN;
                break;
        }
        return double.IsFinite(v);
    }

    /// <summary>True when two lines hold the same element bits.</summary>
    private static bool SameLine(byte* a, byte* b, long len, long es, int item)
    {
        if (es == item)
        {
            for (long done = 0, total = len * item; done < total; done += 1 << 20)
            {
                int n = (int)Math.Min(1 << 20, total - done);
                if (!new ReadOnlySpan<byte>(a + done, n).SequenceEqual(new ReadOnlySpan<byte>(b + done, n))) return false;
            }
            return true;
        }
        for (long i = 0; i < len; i++, a += es, b += es)
            if (!new ReadOnlySpan<byte>(a, item).SequenceEqual(new ReadOnlySpan<byte>(b, item))) return false;
        return true;
    }
}
