using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Engine;
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
        // complex crossed lines side by side: one pass over the rows in place of a strided scan per line (real ones
        // keep the ps = 0 skip below: measured, the pass cost more than the full exact pass for float32 200×200)
        if (!streamLines && !real && lineStride == item && lines >= 2 && Vector256.IsHardwareAccelerated && Avx2.IsSupported)
            return TiedCrossed(x, t, lines, len, lineStride, elemStride, wantMax, ps, cut, buf, limit, out bh, out bl);
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
    /// is zero when every part is ±0: its bits but the sign bit(s) are all clear (a NaN or ±∞ counts as nonzero); an
    /// integer (or bool) element when all its bits are clear.</summary>
    private static long NonZeros(byte* p, DType t, long len, long es, out long at)
    {
        at = -1;
        if (t is not (DType.Float64 or DType.Float32 or DType.Complex128 or DType.Complex64))
            return OtherNonZeros(p, t, len, es, out at);
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

    /// <summary><see cref="NonZeros"/> for the integer dtypes, bool and float16, element by element: the float sizes'
    /// word scan read 64-bit integers as 4-byte words with the float sign bit masked, so int64 values whose low word is
    /// 0 (2⁴⁰, …) and −2⁶³ / 2⁶³ counted as zeros (their tied stacks stored 0 for them).</summary>
    private static long OtherNonZeros(byte* p, DType t, long len, long es, out long at)
    {
        at = -1;
        int size = DTypes.ItemSize(t);
        long nz = 0;
        for (long i = 0; i < len; i++, p += es)
        {
            bool z = size switch
            {
                8 => Unsafe.ReadUnaligned<ulong>(p) == 0,
                4 => Unsafe.ReadUnaligned<uint>(p) == 0,
                2 => (Unsafe.ReadUnaligned<ushort>(p) & (t == DType.Float16 ? 0x7FFF : 0xFFFF)) == 0,
                _ => *p == 0,
            };
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
            case DType.Complex64:
                re = Unsafe.ReadUnaligned<float>(p); im = Unsafe.ReadUnaligned<float>(p + 4);
                v = double.IsFinite(re) && double.IsFinite(im) ? LineMagnitudes.OfSingle(re, im) : double.NaN;
                break;
            default:
                // integers (64-bit ones rounded to the nearest double) and float16: the exact route's own conversion
                // (Load → Gather.Run); these dtypes were read as complex64 here before (a one-element int64 line of a
                // tied stack stored its low bits as a float)
                Gather.Run(t, p, DTypes.ItemSize(t), 1, &re);
                v = Math.Abs(re);
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

    /// <summary>True when every element of the matrix is ±0 (every part, bits but the sign bit(s) clear: a NaN or ±∞
    /// is nonzero). Walks memory along the smaller stride and stops at the first nonzero element, so a matrix that
    /// starts with a nonzero element costs one read. An all-zero matrix's best line sum is (+0, +0): every line's exact
    /// sum is (see <see cref="TiedBest"/>), and Pick over equal (+0, +0) keeps it.</summary>
    private static bool AllZero(byte* x, DType t, long lines, long len, long lineStride, long elemStride)
    {
        if (lines == 0 || len == 0) return true;
        bool inner = Math.Abs(elemStride) <= Math.Abs(lineStride);
        long n = inner ? len : lines, outer = inner ? lines : len, s = inner ? elemStride : lineStride, os = inner ? lineStride : elemStride;
        for (long o = 0; o < outer; o++)
            if (NonZeros(x + o * os, t, n, s, out _) != 0) return false;
        return true;
    }

    /// <summary><see cref="TiedBest"/> for crossed lines whose elements sit side by side in each row (lineStride = the
    /// item size, the summed axis strided: C-order ±1, F-order ±∞). One pass over the rows (<see cref="CrossedKeys"/>)
    /// records per line how many nonzero elements it has (0, 1, ≥ 2), the row of the first one, and whether it holds
    /// bitwise the same elements as the line before it. Each candidate line then takes, in index order:
    /// <list type="bullet">
    /// <item>the previous line's (hi, lo) when it is bitwise equal to it and that line's value is known: the exact
    /// route's sum is a function of the element bits alone (<see cref="ExactLine"/> reads nothing else), and the
    /// previous value is that route's value however it was obtained (below);</item>
    /// <item>(+0, +0) without nonzero elements, (v, +0) for one finite nonzero element (the reasons in
    /// <see cref="TiedBest"/>'s remarks);</item>
    /// <item>else the exact route itself (<see cref="ExactLine"/>, sequential: the bits of <see cref="Crossed"/>).</item>
    /// </list>
    /// Candidates and their order are <see cref="TiedBest"/>'s, so the result is bit for bit the same; false (the
    /// caller runs the full pass) when more than <paramref name="limit"/> lines need the exact route, decided from the
    /// recorded counts before any exact sum.</summary>
    private static bool TiedCrossed(byte* x, DType t, long lines, long len, long lineStride, long elemStride, bool wantMax,
        double[] ps, double cut, double* buf, long limit, out double bh, out double bl)
    {
        bh = bl = 0;
        bool all = double.IsNaN(cut);
        long[]? heap = lines > 1024 ? new long[3 * lines] : null;
        Span<long> span = heap ?? stackalloc long[(int)(3 * lines)];
        fixed (long* st = span)
        {
            long* cnt = st, first = st + lines, same = st + 2 * lines;
            CrossedKeys(x, t, lines, len, lineStride, elemStride, cnt, first, same);
            bool Cand(long l) => all || (wantMax ? ps[l] >= cut : ps[l] <= cut);
            long need = 0;
            for (long l = 0; l < lines; l++)
                if (Cand(l) && cnt[l] >= 2 && !(same[l] != 0 && l > 0 && Cand(l - 1)) && ++need > limit) return false;
            bool first1 = true, known = false;
            double ph = 0, pl = 0;
            long hard = 0;
            for (long l = 0; l < lines; l++)
            {
                if (!Cand(l)) { known = false; continue; }
                byte* p = x + l * lineStride;
                double h, lo;
                if (known && same[l] != 0) { h = ph; lo = pl; }
                else if (cnt[l] == 0) { h = 0; lo = 0; }
                else if (cnt[l] == 1 && Single(p + first[l] * elemStride, t, out double v)) { h = v; lo = 0; }
                else
                {
                    if (++hard > limit) return false;
                    ExactLine(p, t, len, elemStride, true, buf, out h, out lo);
                }
                ph = h; pl = lo; known = true;
                Pick(ref first1, wantMax, h, lo, ref bh, ref bl);
            }
        }
        return true;
    }

    /// <summary>For lines [0, lines) of a crossed complex matrix (line l's element k at x + l·item + k·elemStride; real
    /// lines never come here, see <see cref="TiedBest"/>): cnt[l] = how many nonzero elements (exact count), first[l] =
    /// the row of the first one (−1 if none), same[l] ≠ 0 when line l holds bitwise the same elements as line l − 1
    /// (same[0] = 0). Sixteen lines (AVX-512) or four per step down all rows (state in registers, each row's lines read
    /// side by side); line 0 and the tail lines one at a time.</summary>
    private static void CrossedKeys(byte* x, DType t, long lines, long len, long lineStride, long elemStride, long* cnt, long* first, long* same)
    {
        long l = 1;
        if (len > 0)
        {
            // sixteen complex lines a step on AVX-512 (two vectors of eight lanes: each row segment read once and
            // whole), then four, then one at a time (complex64 ones 200×200 ±∞ C: 47 % of the call in the four-line
            // blocks, which read each cache line twice and carried three dependency chains per four lines)
            if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
                l += t == DType.Complex128
                    ? Blocks16<Pair64x8>(x, l, lines, len, lineStride, elemStride, cnt, first, same)
                    : Blocks16<Pair32x8>(x, l, lines, len, lineStride, elemStride, cnt, first, same);
            l += t == DType.Complex128
                ? Blocks<Pair64>(x, l, lines, len, lineStride, elemStride, cnt, first, same)
                : Blocks<Pair32>(x, l, lines, len, lineStride, elemStride, cnt, first, same);
        }
        int item = DTypes.ItemSize(t);
        for (long j = 0; j < lines; j = j == 0 ? l : j + 1)
        {
            byte* p = x + j * lineStride;
            long c = 0, f = -1;
            bool eq = j > 0;
            for (long k = 0; k < len; k++, p += elemStride)
            {
                if (Nonzero(p, t)) { if (c++ == 0) f = k; }
                if (eq && !SameBits(p, p - lineStride, item)) eq = false;
            }
            cnt[j] = c; first[j] = f; same[j] = eq ? 1 : 0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SameBits(byte* a, byte* b, int item)
        => Unsafe.ReadUnaligned<ulong>(a) == Unsafe.ReadUnaligned<ulong>(b)
           && (item == 8 || Unsafe.ReadUnaligned<ulong>(a + 8) == Unsafe.ReadUnaligned<ulong>(b + 8));

    /// <summary>Lines [l0, l0 + 16m) of <see cref="CrossedKeys"/> by two 512-bit vectors of eight lines (complex64: a
    /// 64-bit lane per item; complex128: two loads unpacked, <see cref="Pair64x8"/>); returns 16m. The same counts, first rows and
    /// equalities as <see cref="Blocks{K}"/> lane for lane.</summary>
    private static long Blocks16<K>(byte* x, long l0, long lines, long len, long ls, long es, long* cnt, long* first, long* same)
        where K : struct, IKeys8
    {
        long blocks = (lines - l0) / 16;
        var none = Vector512.Create(-1L);
        var one = Vector512.Create(1L);
        for (long bi = 0; bi < blocks; bi++)
        {
            long l = l0 + 16 * bi;
            byte* p = x + l * ls;
            Vector512<long> c0 = Vector512<long>.Zero, c1 = c0, f0 = none, f1 = none, q0 = none, q1 = none;
            for (long k = 0; k < len; k++, p += es)
            {
                var kk = Vector512.Create(k);
                K.Keys(p, out var nz0, out var e0);
                K.Keys(p + 8 * ls, out var nz1, out var e1);
                c0 -= nz0; c1 -= nz1;
                f0 = Vector512.ConditionalSelect(Vector512.Equals(f0, none) & nz0, kk, f0);
                f1 = Vector512.ConditionalSelect(Vector512.Equals(f1, none) & nz1, kk, f1);
                q0 &= e0; q1 &= e1;
            }
            K.Order(c0).Store(cnt + l); K.Order(c1).Store(cnt + l + 8);
            K.Order(f0).Store(first + l); K.Order(f1).Store(first + l + 8);
            K.Order(q0 & one).Store(same + l); K.Order(q1 & one).Store(same + l + 8);
        }
        return 16 * blocks;
    }

    /// <summary>Eight side-by-side items at p: nz lane = −1 when nonzero, e lane = −1 when equal (bits) to the item before.</summary>
    private interface IKeys8
    {
        static abstract void Keys(byte* p, out Vector512<long> nz, out Vector512<long> e);
        /// <summary>The lanes of a state in line order (Keys may give them permuted; the state then is too).</summary>
        static virtual Vector512<long> Order(Vector512<long> v) => v;
    }

    /// <summary>complex128 items, eight lines from two vectors of four: lanes in the line order 0, 4, 1, 5, 2, 6, 3, 7
    /// (the unpacks of the two loads), put back by <see cref="Order"/> when the state is stored.</summary>
    private struct Pair64x8 : IKeys8
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Keys(byte* p, out Vector512<long> nz, out Vector512<long> e)
        {
            var a = Vector512.Load((ulong*)p); var b = Vector512.Load((ulong*)p + 8);
            var pa = Vector512.Load((ulong*)(p - 16)); var pb = Vector512.Load((ulong*)(p + 48));
            var re = Avx512F.UnpackLow(a, b); var im = Avx512F.UnpackHigh(a, b);
            var pre = Avx512F.UnpackLow(pa, pb); var pim = Avx512F.UnpackHigh(pa, pb);
            nz = ~Vector512.Equals((re | im) & Vector512.Create(Mask64), Vector512<ulong>.Zero).AsInt64();
            e = (Vector512.Equals(re, pre) & Vector512.Equals(im, pim)).AsInt64();
        }

        public static Vector512<long> Order(Vector512<long> v) => Avx512F.PermuteVar8x64(v, Vector512.Create(0L, 2, 4, 6, 1, 3, 5, 7));
    }

    /// <summary>complex64 items (nonzero: any bit but the two parts' signs).</summary>
    private struct Pair32x8 : IKeys8
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Keys(byte* p, out Vector512<long> nz, out Vector512<long> e)
        {
            var v = Vector512.Load((ulong*)p);
            nz = ~Vector512.Equals(v & Vector512.Create(0x7FFF_FFFF_7FFF_FFFFUL), Vector512<ulong>.Zero).AsInt64();
            e = Vector512.Equals(v, Vector512.Load((ulong*)(p - 8))).AsInt64();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Nonzero(byte* p, DType t) => t == DType.Complex128
        ? ((Unsafe.ReadUnaligned<ulong>(p) | Unsafe.ReadUnaligned<ulong>(p + 8)) & Mask64) != 0
        : ((Unsafe.ReadUnaligned<uint>(p) | Unsafe.ReadUnaligned<uint>(p + 4)) & Mask32) != 0;

    /// <summary>Lines [l0, l0 + 4m) of <see cref="CrossedKeys"/> by vectors; returns 4m.</summary>
    private static long Blocks<K>(byte* x, long l0, long lines, long len, long ls, long es, long* cnt, long* first, long* same) where K : struct, IKeys
    {
        long blocks = (lines - l0) / 4;
        var none = Vector256.Create(-1L);
        for (long bi = 0; bi < blocks; bi++)
        {
            long l = l0 + 4 * bi;
            byte* p = x + l * ls;
            var c = Vector256<long>.Zero; var f = none; var eq = none;
            for (long k = 0; k < len; k++, p += es)
            {
                K.Keys(p, ls, out var nz, out var e);
                c -= nz;
                f = Vector256.ConditionalSelect(Vector256.Equals(f, none) & nz, Vector256.Create(k), f);
                eq &= e;
            }
            c.Store(cnt + l); f.Store(first + l); (eq & Vector256.Create(1L)).Store(same + l);
        }
        return 4 * blocks;
    }

    /// <summary>Four side-by-side elements at p (item size apart): nz lane = −1 when the element is nonzero, e lane = −1
    /// when its bits equal the element before it (p − item, the previous line's).</summary>
    private interface IKeys
    {
        static abstract void Keys(byte* p, long item, out Vector256<long> nz, out Vector256<long> e);
    }

    private struct Pair32 : IKeys
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Keys(byte* p, long item, out Vector256<long> nz, out Vector256<long> e)
        {
            var v = Vector256.Load((ulong*)p);
            nz = ~Vector256.Equals(v & Vector256.Create(0x7FFF_FFFF_7FFF_FFFFUL), Vector256<ulong>.Zero).AsInt64();
            e = Vector256.Equals(v, Vector256.Load((ulong*)(p - 8))).AsInt64();
        }
    }

    private struct Pair64 : IKeys
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Keys(byte* p, long item, out Vector256<long> nz, out Vector256<long> e)
        {
            var a = Vector256.Load((ulong*)p); var b = Vector256.Load((ulong*)p + 4);
            var pa = Vector256.Load((ulong*)(p - 16)); var pb = Vector256.Load((ulong*)(p + 16));
            // lanes in the order 0, 2, 1, 3; the permute puts them back
            var re = Avx2.UnpackLow(a, b); var im = Avx2.UnpackHigh(a, b);
            var pre = Avx2.UnpackLow(pa, pb); var pim = Avx2.UnpackHigh(pa, pb);
            var z = ~Vector256.Equals((re | im) & Vector256.Create(Mask64), Vector256<ulong>.Zero);
            var q = Vector256.Equals(re, pre) & Vector256.Equals(im, pim);
            nz = Avx2.Permute4x64(z.AsInt64(), 0b11_01_10_00);
            e = Avx2.Permute4x64(q.AsInt64(), 0b11_01_10_00);
        }
    }
}
