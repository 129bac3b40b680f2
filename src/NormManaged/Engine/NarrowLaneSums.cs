using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>General-p float32 and float16 norms of many short lines along one axis (any stride), a SIMD lane per line:
/// eight lines are copied side by side (element i of line r at buf[8i + r], widened to double, exact), each lane sums
/// plain-double terms |x|^p = exp(p·ln|x|) of its own line without any scaling (p = 3 and 2.5: products and a square
/// root, see <see cref="ITerms"/>), and takes the root S^(1/p) = exp(ln S / p) in the same lanes; eight float32 C rows
/// (one run of 8n floats) take their terms straight from the floats instead (<see cref="BlockRoots{L, R}"/>), and so do
/// float32 rows longer than 64 (<see cref="LongRows"/>, <see cref="RowRoots{L, R}"/>; up to 4096, their plain sums within
/// the ≤ 4095u of long adjacent lines below). A float32/float16 result is stored only when it is provably the correctly
/// rounded value (<see cref="TryStoreSingle"/>, <see cref="TryStoreHalf"/>) — unique, hence the bits the same line reduced alone gets from the 1-D path
/// whatever the width, alignment or thread count; otherwise, and for every line whose sum leaves
/// [<see cref="SumMin"/>, <see cref="SumMax"/>] (NaN, ∞, a zero with p &lt; 0, an extreme range), the line goes through
/// the whole dispatch alone (<see cref="AcrossOutputsWide.Alone(byte*, DType, long, long, byte*, DType, double)"/>),
/// with that path's value and events.
///
/// Error bound (|p| ∈ [1/8, 1000], n ≤ <see cref="MaxInner"/>; u = 2⁻⁵³). A term: ln a by <see cref="Ln{L}"/>
/// (absolute error ≤ 2⁻⁴³ for a float32 or float16 a, |k| ≤ 150), z = fl(p·ln a) (|z| ≤ 710 where unclamped: error ≤
/// 2⁻⁴³·⁵), e^z by <see cref="Exp{L, R}"/> (relative ≤ 2⁻⁴²·⁵): the term within |p|·2⁻⁴³ + 2⁻⁴¹·⁹ relative. A term
/// clamped at the bottom (true value below 2⁻¹⁰²⁰) is off by at most 2⁻¹⁰²⁰ absolute, n of them by at most
/// 2⁻¹⁰¹⁴ ≤ 2⁻⁵⁴·S for S ≥ <see cref="SumMin"/>. The plain sum of n ≤ 64 positive terms adds ≤ 63u ≤ 2⁻⁴⁷. So S is
/// within ε_S ≤ |p|·2⁻⁴³ + 2⁻⁴¹·⁸ relative. The root: ln S within 2⁻⁴³ + 960·2⁻⁵⁴ + 666u ≤ 2⁻⁴²·² absolute;
/// q = fl(ln S · fl(1/p)) within 2u·|q| + (2⁻⁴²·² + ε_S)/|p|, where |q| ≤ 89 for a root inside the float32 range; e^q
/// 2⁻⁴²·⁵ more: the root is within 2⁻⁴¹/min(1, |p|) + 2⁻⁴³ + 2⁻⁴⁵·⁵ + 2⁻⁴²·⁵ ≤ 2⁻⁴⁰/min(1, |p|) relative. The store
/// test allows 2⁻³⁶/min(1, |p|) (<see cref="Ulps"/>): a factor 16 of slack.</summary>
internal static unsafe class NarrowLaneSums
{
    /// <summary>Lines side by side: one 512-bit vector or two 256-bit ones.</summary>
    private const int Lines = 8;

    /// <summary>Longest line taken.</summary>
    internal const long MaxInner = 64;

    /// <summary>The sums whose roots are taken (outside: alone).</summary>
    private static readonly double SumMin = Math.ScaleB(1.0, -960), SumMax = Math.ScaleB(1.0, 960);

    /// <summary>True for float32 → float32 or float16 → float16 lines of at most <see cref="MaxInner"/> elements along
    /// one axis, at least <see cref="Lines"/> of them, of an order <see cref="TakesOrder"/> takes.</summary>
    public static bool Applies(ReductionPlan plan, DType t, DType ot, double p)
        => (t == DType.Float32 || t == DType.Float16) && ot == t && TakesOrder(t, p)
           && plan.InnerShape.Length == 1 && plan.OuterCount >= Lines && plan.InnerCount >= 1
           && (plan.InnerCount <= MaxLine(t, p, Adjacent(plan, t)) || LongRows(plan, t, p));

    /// <summary>Longest line taken: <see cref="MaxCubeInner"/> for float32 ord 3, <see cref="MaxAdjacent"/> for float32
    /// lines side by side (<paramref name="adjacent"/>), else <see cref="MaxInner"/>.</summary>
    internal static long MaxLine(DType t, double p, bool adjacent)
        => p == 3 && t == DType.Float32 ? MaxCubeInner : adjacent && t == DType.Float32 ? MaxAdjacent : MaxInner;

    /// <summary>float32 lines whose own elements are contiguous (rows), longer than <see cref="MaxInner"/>, read in
    /// place by <see cref="RowRoots{L, R}"/>: before, they went line by line through the per-line paths (the exact ones
    /// for whole and half-integer orders, offset sums and a double-double root per line: (3000, 70) ord 1.5 822 µs, 3.3×
    /// NumPy's time). A/B by length: rows of 70 … 300 1.3–7× faster at every order here (not 3 and −2, whose 1-D fast
    /// paths were 1.5–3× faster); the whole and half-integer orders to 2048 (rows of 800 0.57–0.73× the time, of 4000
    /// alike; not −1.5, −2.5 beyond 512, whose 1-D path is 1.3–3× faster there); general p to 4096, steady at ~0.6 ns a
    /// value where the 1-D path per line ranged 0.55–1.5 ns by length (rows of 1500 / 3000 / 4096 2.1–2.4× faster, of
    /// 800 / 2048 5–15 % slower).</summary>
    internal static bool LongRows(ReductionPlan plan, DType t, double p)
    {
        if (t != DType.Float32 || plan.InnerShape.Length != 1 || plan.InnerStrides[0] != 4 || plan.OuterCount < Lines
            || plan.InnerCount <= MaxInner || !TakesOrder(t, p) || p is 3 or -2) return false;
        long n = plan.InnerCount;
        if (n <= LongRowsAll) return true;
        if (2 * p != Math.Floor(2 * p)) return n <= MaxAdjacent;
        return n <= LongRowsMost && p is not (-1.5 or -2.5);
    }

    /// <summary>Longest row taken at every order, and at the whole and half-integer orders (<see cref="LongRows"/>).</summary>
    private const long LongRowsAll = 512, LongRowsMost = 2048;

    /// <summary>float32 lines side by side (C columns, F rows): element i of eight lines is eight adjacent floats.</summary>
    private static bool Adjacent(ReductionPlan plan, DType t)
        => t == DType.Float32 && plan.OuterShape.Length == 1 && plan.OuterInStrides[0] == 4 && plan.InnerCount > 1;

    /// <summary>Longest float32 line taken side by side: the lanes load the rows in place (no copy, no buffer), and the
    /// error bound above holds with the plain sum's ≤ 4095u ≤ 2⁻⁴¹ (the root then within 2⁻³⁹·⁵/min(1, |p|), the test's
    /// 2⁻³⁶ still a factor 11 away). Before, columns longer than 64 went line by line through the block paths:
    /// float32 (600, 800) axis 0 ord 1.7 / 0.3 0.44–0.49× NumPy, (100, 3000) 0.17–0.20×.</summary>
    internal const long MaxAdjacent = 4096;

    /// <summary>Longest float32 line of order 3 taken: rows of 64 measured 62 µs before (NarrowPowFast), 84 µs here.</summary>
    internal const long MaxCubeInner = 32;

    /// <summary>|p| ∈ [1/8, 1000] (the error bound above); float32: every such order but 1, 2, −1 and ½ (their own
    /// kernels) — float32 results of whole and half-integer orders are correctly rounded on every path (README
    /// "Accuracy"), and other orders' stored results are proven so, hence each the 1-D path's value. Before, whole orders
    /// 3 and 4 (3000 rows of 4 at 0.03× NumPy through the block driver line by line), the negative whole orders (0.02×),
    /// then −0.5 and the whole orders ≥ 5 (5, 10, 20 over (4, 3000): 1.3–1.4 ms against NumPy's 18–35 µs) were added
    /// one by one; float16: not 1 (<see cref="HalfRows"/>, exact sums).</summary>
    internal static bool TakesOrder(DType t, double p)
    {
        double a = Math.Abs(p);
        if (!(a >= GeneralPowFast.MinAbsP && a <= GeneralPowFast.MaxAbsP)) return false;
        return t == DType.Float16 ? p != 1 : !(p is 1 or 2 or -1 or 0.5);
    }

    /// <summary>Computes every output of the plan.</summary>
    public static FpEvents Run(ReductionPlan plan, byte* x, DType t, double p, byte* o)
    {
        long outs = plan.OuterCount;
        int threads = Parallelism.MaxThreads;
        // the work counted as LaneSums counts it: a line's root and store cost about LaneSums.RootElements terms (rows
        // and columns of 4 ran on one thread: float32 (4, 3000) ord 1.7 23 µs against NumPy's 19)
        if (threads > 1 && outs * (plan.InnerCount + LaneSums.RootElements) >= GeneralPowOp.ParallelElements)
        {
            nint xb = (nint)x, ob = (nint)o;
            return Parallelism.ForOutputRanges(outs, threads, (k0, count) => Range(plan, (byte*)xb, t, p, (byte*)ob, k0, count));
        }
        return Range(plan, x, t, p, o, 0, outs);
    }

    /// <summary>Double ulps of a root allowed between it and a rounding midpoint: 2⁻³⁶/min(1, |p|) relative (a root
    /// in [2ᵉ, 2ᵉ⁺¹) has 2⁵² ulps of 2ᵉ⁻⁵² per binade, so relative ε is fewer than ε·2⁵³ ulps).</summary>
    internal static long Ulps(double p) => (long)(Math.ScaleB(1.0, 53 - 36) / Math.Min(1.0, Math.Abs(p))) + 1;

    private static FpEvents Range(ReductionPlan plan, byte* x, DType t, double p, byte* o, long first, long count)
    {
        bool half = t == DType.Float16;
        if (p == 3) return Range<Cubes>(plan, x, t, p, o, first, count);
        if (p == 4) return Range<Quartics>(plan, x, t, p, o, first, count);
        if (p == 1.5) return Range<Roots15>(plan, x, t, p, o, first, count);
        if (p == 2.5) return Range<Roots25>(plan, x, t, p, o, first, count);
        return Math.Abs(p) * (half ? MaxLnHalf : MaxLnSingle) > 700 ? Range<Clamped>(plan, x, t, p, o, first, count)
            : Range<InRange>(plan, x, t, p, o, first, count);
    }

    private static FpEvents Range<R>(ReductionPlan plan, byte* x, DType t, double p, byte* o, long first, long count) where R : struct, ITerms
    {
        int n = (int)plan.InnerCount;
        long s = plan.InnerStrides[0];
        long ulps = Ulps(p);
        bool half = t == DType.Float16, wide = RealKernels.Wide;
        // float32 lines side by side longer than MaxInner never use the copy buffer (their last group overlaps)
        bool longAdjacent = Adjacent(plan, t) && n > MaxInner;
        // long contiguous rows: read in place, eight at a time, never the copy buffer
        bool longRows = !longAdjacent && LongRows(plan, t, p);
        double* buf = stackalloc double[longAdjacent || longRows ? Lines : n * Lines + Lines];
        double* roots = stackalloc double[2 * Lines];
        byte** xs = stackalloc byte*[Lines];
        byte** os = stackalloc byte*[Lines];
        var ev = FpEvents.None;
        // one outer axis (the common case): line k at x + k·stride, without the general iterator
        bool flat = plan.OuterShape.Length == 1;
        long xStep = flat ? plan.OuterInStrides[0] : 0, oStep = flat ? plan.OuterOutStrides[0] : 0;
        // float32 C rows (the eight lines one run of 8n floats): terms straight from the floats, no copy
        bool block = flat && !half && s == 4 && xStep == 4L * n && !longRows;
        // float32 lines side by side (C columns, F rows: element i of the eight lines is eight adjacent floats): the
        // lanes load them straight from the rows, no copy (the same operations per lane as the copied lines)
        bool adjacent = flat && !half && xStep == 4 && n > 1;
        var it = new OuterIterator(plan, x, o, first, count);
        LineMemo.Init(out var memo); // repeated lines that fail the store test: the 1-D path once (LineMemo)
        for (long k = 0; k < count; k += Lines)
        {
            int m = (int)Math.Min(Lines, count - k);
            if (block && m == Lines)
            {
                float* f = (float*)(x + (first + k) * xStep + plan.InnerBaseOffset);
                if (wide) BlockRoots<Lanes512, R>(f, n, p, buf, roots);
                else BlockRoots<Lanes256, R>(f, n, p, buf, roots);
                for (int r = 0; r < Lines; r++)
                {
                    byte* op = o + (first + k + r) * oStep;
                    if (!TryStoreSingle(roots[r], ulps, op))
                        ev |= Failed(ref memo, roots[r], (byte*)(f + r * n), t, n, s, op, p);
                }
                continue;
            }
            if (adjacent && wide && Avx512F.IsSupported && k + 2 * Lines <= count)
            {
                // two groups at once: their terms interleaved and both roots in flight (one group's ln/exp chain
                // left the core idle), the store test lane-wise — the same values and tests as below
                byte* f = x + (first + k) * 4 + plan.InnerBaseOffset;
                ColumnRoots2<Lanes512, R>(f, s, n, p, roots);
                for (int h = 0; h < 2 * Lines; h += Lines)
                    for (uint bad = LaneAcross.TryStoreSingles(roots + h, ulps, o + (first + k + h) * oStep, oStep, 0); bad != 0; bad &= bad - 1)
                    {
                        int r = h + System.Numerics.BitOperations.TrailingZeroCount(bad);
                        ev |= Failed(ref memo, roots[r], f + 4 * r, t, n, s, o + (first + k + r) * oStep, p);
                    }
                k += Lines;
                continue;
            }
            if (adjacent && (m == Lines || longAdjacent))
            {
                // a short last group of long lines: the eight lines ending at the plan's last output (at least eight),
                // only this range's outputs stored (the others get the same values from their own range)
                long start = Math.Min(first + k, plan.OuterCount - Lines);
                int r0 = (int)(first + k - start);
                byte* f = x + start * 4 + plan.InnerBaseOffset;
                if (wide) ColumnRoots<Lanes512, R>(f, s, n, p, roots);
                else ColumnRoots<Lanes256, R>(f, s, n, p, roots);
                for (int r = r0; r < r0 + m; r++)
                {
                    byte* op = o + (start + r) * oStep;
                    if (!TryStoreSingle(roots[r], ulps, op))
                        ev |= Failed(ref memo, roots[r], f + 4 * r, t, n, s, op, p);
                }
                continue;
            }
            for (int r = 0; r < m; r++)
            {
                byte* xp, op;
                if (flat) { xp = x + (first + k + r) * xStep; op = o + (first + k + r) * oStep; }
                else it.Next(out xp, out op);
                xs[r] = xp + plan.InnerBaseOffset; os[r] = op;
            }
            for (int r = m; r < Lines; r++) xs[r] = xs[0]; // idle lanes repeat a line; nothing of theirs is stored
            if (longRows)
            {
                if (wide) RowRoots<Lanes512, R>(xs, n, p, buf, roots);
                else RowRoots<Lanes256, R>(xs, n, p, buf, roots);
                for (int r = 0; r < m; r++)
                    if (!TryStoreSingle(roots[r], ulps, os[r]))
                        ev |= Failed(ref memo, roots[r], xs[r], t, n, s, os[r], p);
                continue;
            }
            if (half) GatherHalves(xs, n, s, buf); else GatherSingles(xs, n, s, buf);
            if (wide) Roots<Lanes512, R>(buf, n, p, half, roots);
            else Roots<Lanes256, R>(buf, n, p, half, roots);
            for (int r = 0; r < m; r++)
                if (!(half ? TryStoreHalf(roots[r], ulps, os[r]) : TryStoreSingle(roots[r], ulps, os[r])))
                    ev |= Failed(ref memo, roots[r], xs[r], t, n, s, os[r], p);
        }
        return ev;
    }

    /// <summary>Line r's float32 elements, widened (exact), at buf[8i + r]. Lines two or three words apart (the outputs
    /// of <c>a[..., ::2]</c> views, axis 0 of <c>a[::2, :, ::3]</c>) are read a row of eight at a time
    /// (<see cref="EvenWords.Row8"/>, <see cref="EvenWords.Thirds8"/>): element by element the gather was as long as the
    /// terms and root (float32 <c>[..., ::2].T</c> axis 2 ord 0.3).</summary>
    private static void GatherSingles(byte** xs, int n, long s, double* buf)
    {
        if (Avx.IsSupported && EvenWords.Uniform(xs, Lines, out long apart) && (apart == 8 || apart == 12 && Avx512F.IsSupported))
        {
            byte* q = xs[0];
            for (int i = 0; i < n; i++, q += s)
            {
                var f = (apart == 8 ? EvenWords.Row8(q) : EvenWords.Thirds8(q)).AsSingle();
                Avx.ConvertToVector256Double(f.GetLower()).Store(buf + i * Lines);
                Avx.ConvertToVector256Double(f.GetUpper()).Store(buf + i * Lines + 4);
            }
            return;
        }
        for (int r = 0; r < Lines; r++)
        {
            byte* q = xs[r];
            for (int i = 0; i < n; i++) buf[i * Lines + r] = Widen(*(float*)(q + i * s));
        }
    }

    /// <summary>(double)f, exact, by cvtps2pd (the scalar cvtss2sd merges into its destination register: a serial
    /// dependency through the copy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Widen(float f)
        => Sse2.IsSupported ? Sse2.ConvertToVector128Double(Vector128.CreateScalar(f)).ToScalar() : f;

    /// <summary>Line r's float16 magnitudes as the bits |h|·2⁴² (a double whose value is |h|·2⁻¹⁰⁰⁸; see
    /// <see cref="Roots{L, R}"/>).</summary>
    private static void GatherHalves(byte** xs, int n, long s, double* buf)
    {
        ulong* u = (ulong*)buf;
        for (int r = 0; r < Lines; r++)
        {
            byte* q = xs[r];
            for (int i = 0; i < n; i++) u[i * Lines + r] = (ulong)(*(ushort*)(q + i * s) & 0x7FFF) << 42;
        }
    }

    /// <summary>|ln a| of the smallest nonzero float32 (2⁻¹⁴⁹) and float16 (2⁻²⁴), above |ln| of their largest: for
    /// |p|·this ≤ 700 no term's exponent p·ln a leaves [−700, 700], and <see cref="Exp{L, R}"/> needs no clamp.</summary>
    private const double MaxLnSingle = 103.3, MaxLnHalf = 16.7;

    /// <summary>How terms are made (a type, so each body is compiled without the tests): |x|^p by ln and exp, with
    /// <see cref="Exp{L, R}"/> clamping its argument or not; |x|³ by two multiplications (p = 3: a² is exact, the
    /// product one rounding, 2⁻⁵³ relative; a float32 cube lies in [2⁻⁴⁴⁷, 2³⁸⁴]); |x|^2.5 = a²·√a (p = 2.5: the
    /// correctly rounded root and one product, ≤ 2⁻⁵² relative, in [2⁻³⁷³, 2³²⁰]; measured 1.2-1.3× faster than ln
    /// and exp; −2.5 by a division as well measured no faster).</summary>
    internal interface ITerms
    {
        static abstract bool Clamp { get; }
        static abstract bool Cube { get; }
        static abstract bool Root25 { get; }
        /// <summary>|x|⁴ = (a²)² (p = 4): a² exact for a float32 or float16 a, the square rounded once (2⁻⁵³ relative);
        /// a float32 fourth power lies in [2⁻⁵⁹⁶, 2⁵¹²], so no underflow or overflow and every sum of ≤ 64 of them
        /// inside [<see cref="SumMin"/>, <see cref="SumMax"/>] unless it is 0.</summary>
        static virtual bool Quartic => false;
        /// <summary>|x|^1.5 = a·√a (p = 1.5): the correctly rounded root and one product, ≤ 2⁻⁵² relative, in
        /// [2⁻²²⁴, 2¹⁹²] for float32 (float16: narrower); no ln or exp per element.</summary>
        static virtual bool Root15 => false;
    }

    internal struct Clamped : ITerms
    {
        public static bool Root25 => false;
        public static bool Clamp => true;
        public static bool Cube => false;
    }

    internal struct InRange : ITerms
    {
        public static bool Root25 => false;
        public static bool Clamp => false;
        public static bool Cube => false;
    }

    private struct Roots25 : ITerms
    {
        public static bool Root25 => true;
        public static bool Clamp => false;
        public static bool Cube => false;
    }

    private struct Roots15 : ITerms
    {
        public static bool Root25 => false;
        public static bool Clamp => false;
        public static bool Cube => false;
        public static bool Root15 => true;
    }

    private struct Quartics : ITerms
    {
        public static bool Root25 => false;
        public static bool Clamp => false;
        public static bool Cube => false;
        public static bool Quartic => true;
    }

    private struct Cubes : ITerms
    {
        public static bool Root25 => false;
        public static bool Clamp => false;
        public static bool Cube => true;
    }

    /// <summary>Each lane's root S^(1/p) of S = Σ |x|^p (any value where S leaves [SumMin, SumMax]: never stored).
    /// float16 lanes hold |h|·2⁻¹⁰⁰⁸ (a float16's exponent and significand fields shifted into a double's): times 2¹⁰⁰⁸
    /// that is |h| exactly (subnormal halves included); ∞ and NaN halves (exponent field 31) come out ≥ 2¹⁶ and are
    /// made NaN. A zero element's term is 0 (p &gt; 0) or NaN (p &lt; 0), an ∞ or NaN element adds a − a = NaN, so
    /// those lines get a NaN sum and go alone (their lanes' other values, from ln of a zero, ∞ or NaN, never count).</summary>
    private static void Roots<L, R>(double* buf, int n, double p, bool half, double* roots) where L : struct, ILanes<L> where R : struct, ITerms
    {
        double* tab = VecLogExp.Tables;
        var pp = L.Create(p);
        var zeroTerm = L.Create(p > 0 ? 0 : double.NaN);
        var big = L.Create(65536.0);
        var nan = L.Create(double.NaN);
        var scale = L.Create(Math.ScaleB(1.0, 1008));
        for (int h = 0; h < Lines; h += L.Count)
        {
            L acc = L.Zero;
            for (int i = 0; i < n; i++)
            {
                var a = L.Load(buf + i * Lines + h);
                if (half)
                {
                    a *= scale;
                    a = L.Select(L.LessThan(a, big), a, nan);
                }
                else a = L.Abs(a);
                acc += Term<L, R>(a, pp, zeroTerm, tab);
            }
            Root(acc, p, tab).Store(roots + h);
        }
    }

    /// <summary>|x|^p for a = |x| (NaN where a is ∞ or NaN, <paramref name="zeroTerm"/> where a = 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static L Term<L, R>(L a, L pp, L zeroTerm, double* tab) where L : struct, ILanes<L> where R : struct, ITerms
        => R.Cube ? a * a * a + (a - a) : R.Quartic ? (a * a) * (a * a) + (a - a) : R.Root15 ? a * L.Sqrt(a) + (a - a) : R.Root25 ? a * a * L.Sqrt(a) + (a - a) : L.Select(L.Equal(a, L.Zero), zeroTerm, Exp<L, R>(pp * Ln(a, tab), tab)) + (a - a);

    /// <summary>S^(1/p) for S in [SumMin, SumMax], NaN otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static L Root<L>(L sum, double p, double* tab) where L : struct, ILanes<L>
    {
        var ok = L.GreaterThanOrEqual(sum, L.Create(SumMin)) & L.LessThanOrEqual(sum, L.Create(SumMax));
        var lnS = Ln(L.Select(ok, sum, L.Create(1.0)), tab);
        return L.Select(ok, Exp<L, Clamped>(lnS * L.Create(1 / p), tab), L.Create(double.NaN));
    }

    /// <summary><see cref="Roots{L, R}"/> for eight float32 lines side by side: element i of line r at
    /// <paramref name="f"/> + i·<paramref name="s"/> + 4r, widened (exact) straight into the lanes.</summary>
    private static void ColumnRoots<L, R>(byte* f, long s, int n, double p, double* roots) where L : struct, ILanes<L> where R : struct, ITerms
    {
        double* tab = VecLogExp.Tables;
        var pp = L.Create(p);
        var zeroTerm = L.Create(p > 0 ? 0 : double.NaN);
        for (int h = 0; h < Lines; h += L.Count)
        {
            L acc = L.Zero;
            byte* q = f + 4 * h;
            for (int i = 0; i < n; i++, q += s) acc += Term<L, R>(L.Abs(LoadFloats<L>((float*)q)), pp, zeroTerm, tab);
            Root(acc, p, tab).Store(roots + h);
        }
    }

    /// <summary><see cref="ColumnRoots{L, R}"/> for sixteen adjacent lines on 512-bit lanes, the two vectors' terms
    /// interleaved row by row (per lane the same operations in the same order).</summary>
    private static void ColumnRoots2<L, R>(byte* f, long s, int n, double p, double* roots) where L : struct, ILanes<L> where R : struct, ITerms
    {
        double* tab = VecLogExp.Tables;
        var pp = L.Create(p);
        var zeroTerm = L.Create(p > 0 ? 0 : double.NaN);
        L acc0 = L.Zero, acc1 = L.Zero;
        byte* q = f;
        for (int i = 0; i < n; i++, q += s)
        {
            acc0 += Term<L, R>(L.Abs(LoadFloats<L>((float*)q)), pp, zeroTerm, tab);
            acc1 += Term<L, R>(L.Abs(LoadFloats<L>((float*)q + L.Count)), pp, zeroTerm, tab);
        }
        Roots2(acc0, acc1, p, tab, roots);
    }

    /// <summary>Both vectors' roots (a call of its own: the inliner's budget then still takes every lane operation).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Roots2<L>(L acc0, L acc1, double p, double* tab, double* roots) where L : struct, ILanes<L>
    {
        var r0 = Root(acc0, p, tab);
        var r1 = Root(acc1, p, tab);
        r0.Store(roots);
        r1.Store(roots + L.Count);
    }

    /// <summary><see cref="Roots{L, R}"/> for eight float32 lines that are one run <paramref name="x"/> of 8n floats:
    /// the terms of the run in order, vector by vector, into <paramref name="terms"/>, then each line's plain sum (any
    /// order: the bound above only counts additions).</summary>
    private static void BlockRoots<L, R>(float* x, int n, double p, double* terms, double* roots) where L : struct, ILanes<L> where R : struct, ITerms
    {
        double* tab = VecLogExp.Tables;
        var pp = L.Create(p);
        var zeroTerm = L.Create(p > 0 ? 0 : double.NaN);
        int total = Lines * n, c = L.Count; // total: a multiple of c
        int w = n; // the terms summed per line
        if (n % c == 0)
        {
            // whole vectors per line: each line's terms added in a vector, its c lanes summed below
            for (int r = 0; r < Lines; r++)
            {
                L acc = L.Zero;
                for (int k = 0; k < n; k += c) acc += Term<L, R>(L.Abs(LoadFloats<L>(x + r * n + k)), pp, zeroTerm, tab);
                acc.Store(terms + r * c);
            }
            w = c;
        }
        else
            for (int k = 0; k < total; k += c)
                Term<L, R>(L.Abs(LoadFloats<L>(x + k)), pp, zeroTerm, tab).Store(terms + k);
        double* sums = terms + total;
        for (int r = 0; r < Lines; r++)
        {
            double* q = terms + r * w;
            double s0 = 0, s1 = 0;
            int i = 0;
            for (; i + 1 < w; i += 2) { s0 += q[i]; s1 += q[i + 1]; }
            if (i < w) s0 += q[i];
            sums[r] = s0 + s1;
        }
        for (int h = 0; h < Lines; h += L.Count) Root(L.Load(sums + h), p, tab).Store(roots + h);
    }

    /// <summary><see cref="Roots{L, R}"/> for eight contiguous float32 lines of n ≥ L.Count elements each (line r at
    /// <paramref name="xs"/>[r]): each line's terms vector by vector from the floats, the last vector the line's last
    /// L.Count elements with the lanes already counted masked out (nothing outside the line is read), then each line's
    /// plain sum of its vector's lanes (≤ n/L.Count + L.Count additions a term: the bound above, n ≤ 4096).</summary>
    private static void RowRoots<L, R>(byte** xs, int n, double p, double* sums, double* roots) where L : struct, ILanes<L> where R : struct, ITerms
    {
        double* tab = VecLogExp.Tables;
        var pp = L.Create(p);
        var zeroTerm = L.Create(p > 0 ? 0 : double.NaN);
        int c = L.Count, full = n - n % c;
        double* lanes = stackalloc double[c];
        for (int i = 0; i < c; i++) lanes[i] = i;
        // the tail vector's lanes i < c − n % c repeat elements already counted
        var tailKeep = L.GreaterThanOrEqual(L.Load(lanes), L.Create(c - n % c));
        for (int r = 0; r < Lines; r++)
        {
            float* x = (float*)xs[r];
            L acc = L.Zero;
            for (int k = 0; k < full; k += c) acc += Term<L, R>(L.Abs(LoadFloats<L>(x + k)), pp, zeroTerm, tab);
            if (full < n) acc += L.Select(tailKeep, Term<L, R>(L.Abs(LoadFloats<L>(x + n - c)), pp, zeroTerm, tab), L.Zero);
            acc.Store(lanes);
            double s0 = 0;
            for (int i = 0; i < c; i++) s0 += lanes[i];
            sums[r] = s0;
        }
        for (int h = 0; h < Lines; h += L.Count) Root(L.Load(sums + h), p, tab).Store(roots + h);
    }

    /// <summary>L.Count floats from <paramref name="f"/>, widened (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L LoadFloats<L>(float* f) where L : struct, ILanes<L>
    {
        if (typeof(L) == typeof(Lanes512))
        {
            var v = new Lanes512(Avx512F.ConvertToVector512Double(Avx.LoadVector256(f)));
            return Unsafe.As<Lanes512, L>(ref v);
        }
        if (typeof(L) == typeof(Lanes256))
        {
            var v = new Lanes256(Avx.ConvertToVector256Double(Sse.LoadVector128(f)));
            return Unsafe.As<Lanes256, L>(ref v);
        }
        throw new NotSupportedException(typeof(L).Name);
    }

    /// <summary>ln a for a normal double a, absolute error ≤ 2⁻⁴³ + |k|·2⁻⁵⁴ (a = 2ᵏ·m, m ∈ [1, 2)): m·c_j = 1 + r with
    /// <see cref="VecLogExp"/>'s 16-entry table (|r| ≤ 1/33), ln a = k·ln2 + (−ln c_j) + ln(1 + r), the series to r⁷/7
    /// (truncation ≤ 2⁻⁴³·⁴), −ln c_j and ln2 as single doubles (≤ 2⁻⁵⁴ and |k|·2⁻⁵⁴).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L Ln<L>(L a, double* tab) where L : struct, ILanes<L>
    {
        var k = (L.ShiftRightBits(a, 52) | L.CreateBits(VecLogExp.ExpBitsOf2P52)) - L.Create(VecLogExp.TwoP52 + 1023);
        var m = (a & L.CreateBits(0x000FFFFFFFFFFFFFUL)) | L.CreateBits(0x3FF0000000000000UL);
        var j = L.ShiftRightBits(a, 48) & L.CreateBits(15);
        var r = L.Fma(m, L.Lookup16(tab + VecLogExp.LnC, j), L.Create(-1.0));
        var r2 = r * r;
        var q = L.Fma(L.Fma(r, L.Create(1.0 / 7), L.Create(-1.0 / 6)), r2 * r2,
                      L.Fma(L.Fma(r, L.Create(1.0 / 5), L.Create(-1.0 / 4)), r2, L.Fma(r, L.Create(1.0 / 3), L.Create(-0.5))));
        return L.Fma(k, L.Create(VecLogExp.Ln2), L.Lookup16(tab + VecLogExp.LnTHi, j) + L.Fma(r2, q, r));
    }

    /// <summary>e^z, relative error ≤ 2⁻⁴²·⁵: z = (16n + j)·ln2/16 + r (Cody–Waite in two steps, |r| ≤ ln2/32),
    /// 2^(j/16) from <see cref="VecLogExp"/>'s table, e^r − 1 to r⁵/5! (truncation ≤ 2⁻⁴²·⁶ relative), 2ⁿ made from the
    /// low 16 bits of t = 16n + j + 1.5·2⁵² (shifted to the top, j's bits cleared, the bias added as an integer; exact
    /// for |16n + j| &lt; 2¹⁵). <typeparamref name="R"/> clamped: z in [−707, 710] first — below, 2⁻¹⁰²⁰ (absolute error
    /// ≤ 2⁻¹⁰²⁰); above, +∞ (n = 1024); NaN stays NaN. Otherwise z must lie in [−707, 709].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static L Exp<L, R>(L z, double* tab) where L : struct, ILanes<L> where R : struct, ITerms
    {
        if (R.Clamp)
        {
            z = L.Select(L.LessThan(z, L.Create(-707.0)), L.Create(-707.0), z);
            z = L.Select(L.GreaterThan(z, L.Create(710.0)), L.Create(710.0), z);
        }
        var t = L.Fma(z, L.Create(VecLogExp.Inv16Ln2), L.Create(VecLogExp.Magic));
        var k = t - L.Create(VecLogExp.Magic);
        var r = L.Fma(-k, L.Create(VecLogExp.E16Hi), z);
        r = L.Fma(-k, L.Create(VecLogExp.E16Lo), r);
        var ji = t & L.CreateBits(15);
        var scale = L.SubtractBits(L.ShiftLeftBits(t, 48) & L.CreateBits(0xFFF0_0000_0000_0000UL), L.CreateBits(unchecked((ulong)(-1023L << 52))));
        var r2 = r * r;
        var pl = L.Fma(L.Fma(r, L.Create(1.0 / 120), L.Create(1.0 / 24)), r2, L.Fma(r, L.Create(1.0 / 6), L.Create(0.5)));
        var th = L.Lookup16(tab + VecLogExp.ExpTHi, ji);
        return L.Fma(th, L.Fma(pl, r2, r), th) * scale;
    }

    /// <summary>A line whose root failed the fast store test: where the root is a positive finite double, the same root
    /// and bound (<see cref="GeneralPowFast.NarrowRel"/>, <see cref="Ulps"/>) through
    /// <see cref="GeneralPowFast.TryStoreProven"/> (subnormal results taken; +∞ with the overflow event, or +0, for a norm
    /// beyond the format) — the 1-D path's own tests on a root as accurate, so its value and events —
    /// else the 1-D path itself (through the memo). float16 rows of 64 at ord 0.3 (norms past 65504) and −0.3 (norms
    /// among the subnormals) each went line by line through the 1-D path: 0.9 ms against 0.09 at ord 0.75.</summary>
    private static FpEvents Failed(ref LineMemo memo, double root, byte* v, DType t, long n, long s, byte* dst, double p)
    {
        if (root > 0 && root <= double.MaxValue)
        {
            if (GeneralPowFast.TryStoreProven(Ext.FromDouble(root), GeneralPowFast.NarrowRel(p), t, dst, out var ev)) return ev;
        }
        return memo.Alone(v, t, n, s, dst, t, p);
    }

    /// <summary>Stores the float32 nearest to <paramref name="v"/> when v is a normal float32 value (not near the
    /// largest) farther than <paramref name="ulps"/> double ulps from every float32 rounding midpoint — the low 29
    /// significand bits against their midpoint pattern 2²⁸; the midpoints of neighbouring binades lie farther still —
    /// so that the exact root, within that many ulps of v, rounds to the same value: the correctly rounded result.
    /// False, with nothing stored, otherwise (NaN included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryStoreSingle(double v, long ulps, byte* dst)
    {
        long tail = (long)(BitConverter.DoubleToUInt64Bits(v) & ((1UL << 29) - 1));
        if (!(v >= 2.350988701644575e-38 && v < 1.7014118346046923e38) || Math.Abs(tail - (1L << 28)) <= ulps) return false; // [2⁻¹²⁵, 2¹²⁷)
        Unsafe.WriteUnaligned(dst, (float)v);
        return true;
    }

    /// <summary><see cref="TryStoreSingle"/> for float16: the low 42 significand bits against 2⁴¹, normal float16
    /// values below 65504 (the largest, so nothing rounds to it or beyond).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryStoreHalf(double v, long ulps, byte* dst)
    {
        long tail = (long)(BitConverter.DoubleToUInt64Bits(v) & ((1UL << 42) - 1));
        if (!(v >= 1.0 / 16384 && v < 65504.0) || Math.Abs(tail - (1L << 41)) <= ulps) return false;
        Unsafe.WriteUnaligned(dst, (Half)v); // one rounding from double (not through float)
        return true;
    }
}
