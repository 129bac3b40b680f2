using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
/// structure is fixed at 16 doubles whatever vector width the machine has).</summary>
internal static class SumSquares
{
    /// <summary>Elements per scaling block.</summary>
    public const int BlockSize = 4096;
    private const int SafeExp = 450; // |x| in [2^-450, 2^451) squares and sums without harm

    /// <summary>Adds Σ x[i]² for one block (length ≤ <see cref="BlockSize"/>) to <paramref name="acc"/>.</summary>
    public static void AddBlock(ReadOnlySpan<double> x, ref ScaledSum acc)
    {
        if (x.IsEmpty) return;
        // Fast path (no max pass): guess σ from the first 16 elements (256 if those are zeros) with 2^20 headroom, and accept
        // the block only if every lane's sum of squares stayed ≤ σ (then every x² ≤ σ, which is what
        // the error-free update needs). Elements far below the guess are negligible against it.
        if (x.Length >= 64)
        {
            // a block that starts with zeros (identity and other sparse matrices: the ones of eye(200) lie 201 apart)
            // guesses from its first 256 elements before the max pass over all of it (eye(200) 'fro' ran both passes
            // on 19 blocks of 20: 0.74× NumPy)
            double m0 = MaxAbs(x[..16]);
            if (m0 == 0) m0 = MaxAbs(x[..Math.Min(256, x.Length)]);
            if (m0 > 0 && double.IsFinite(m0))
            {
                int e0 = Math.ILogB(m0);
                if (e0 >= -SafeExp + 12 && e0 <= SafeExp - 12)
                {
                    double sigma0 = Math.ScaleB(1.0, 2 * e0 + 22);
                    if (Accumulate(x, 1.0, 1.0, sigma0, out double h0, out double l0) && double.IsFinite(h0) && double.IsFinite(l0))
                    {
                        acc.Add(0, h0, l0);
                        return;
                    }
                }
            }
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

    /// <summary>Σ (x·s1·s2)² as hi + lo, with every lane offset by <paramref name="sigma"/>
    /// (σ ≥ every scaled square, a power of two).</summary>
    /// <returns>False when some lane's sum exceeded σ (or was not finite): then some x² may have exceeded σ.</returns>
    private static unsafe bool Accumulate(ReadOnlySpan<double> x, double s1, double s2, double sigma, out double hi, out double lo)
    {
        ref double r = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        double* pb = (double*)Unsafe.AsPointer(ref r); // for prefetch hints only (harmless if stale or past the end)
        int n = x.Length, i = 0;
        bool scaled = s1 != 1.0 || s2 != 1.0;
        bool ok = true;
        hi = 0; lo = 0;
        int lanes = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            // The same 16 logical lanes as the Vector256 loop below, two lanes-of-8 per register: lane j still sees
            // elements i + j, with the same operations in the same order, and the fold below re-forms the Vector256
            // loop's l0..l3 sums exactly — so the bits do not depend on the vector width.
            var vs = Vector512.Create(sigma);
            Vector512<double> a0 = vs, a1 = vs;
            Vector512<double> l0 = Vector512<double>.Zero, l1 = l0;
            var f1 = Vector512.Create(s1); var f2 = Vector512.Create(s2);
            if (scaled)
            {
                for (; i <= n - 16; i += 16)
                {
                    var x0 = Vector512.LoadUnsafe(ref r, (nuint)i) * f1 * f2;
                    var x1 = Vector512.LoadUnsafe(ref r, (nuint)i + 8) * f1 * f2;
                    Step(x0, ref a0, ref l0); Step(x1, ref a1, ref l1);
                }
            }
            else
            {
                for (; i <= n - 16; i += 16)
                {
                    Prefetch.Ahead128(pb + i);
                    var x0 = Vector512.LoadUnsafe(ref r, (nuint)i);
                    var x1 = Vector512.LoadUnsafe(ref r, (nuint)i + 8);
                    Step(x0, ref a0, ref l0); Step(x1, ref a1, ref l1);
                }
            }
            lanes = 16;
            Span<double> av = stackalloc double[16];
            a0.StoreUnsafe(ref av[0]); a1.StoreUnsafe(ref av[8]);
            // Vector256 loop: Sum((l0 + l1) + (l2 + l3)) with l0|l1 = this l0 and l2|l3 = this l1
            double lsum = Vector256.Sum((l0.GetLower() + l0.GetUpper()) + (l1.GetLower() + l1.GetUpper()));
            foreach (double v in av) { ok &= v <= 2 * sigma; DD.Add(ref hi, ref lo, v, 0); }
            DD.Add(ref hi, ref lo, -lanes * sigma, lsum);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            var vs = Vector256.Create(sigma);
            Vector256<double> a0 = vs, a1 = vs, a2 = vs, a3 = vs;
            Vector256<double> l0 = Vector256<double>.Zero, l1 = l0, l2 = l0, l3 = l0;
            var f1 = Vector256.Create(s1); var f2 = Vector256.Create(s2);
            for (; i <= n - 16; i += 16)
            {
                Prefetch.Ahead128(pb + i);
                var x0 = Vector256.LoadUnsafe(ref r, (nuint)i);
                var x1 = Vector256.LoadUnsafe(ref r, (nuint)i + 4);
                var x2 = Vector256.LoadUnsafe(ref r, (nuint)i + 8);
                var x3 = Vector256.LoadUnsafe(ref r, (nuint)i + 12);
                if (scaled) { x0 = x0 * f1 * f2; x1 = x1 * f1 * f2; x2 = x2 * f1 * f2; x3 = x3 * f1 * f2; }
                Step(x0, ref a0, ref l0); Step(x1, ref a1, ref l1);
                Step(x2, ref a2, ref l2); Step(x3, ref a3, ref l3);
            }
            lanes = 16;
            // Fold: Σ (a - σ) + Σ l, as an exact double-double sum of the lane values.
            Span<double> av = stackalloc double[16];
            a0.StoreUnsafe(ref av[0]); a1.StoreUnsafe(ref av[4]); a2.StoreUnsafe(ref av[8]); a3.StoreUnsafe(ref av[12]);
            double lsum = 0;
            lsum += Vector256.Sum((l0 + l1) + (l2 + l3));
            foreach (double v in av) { ok &= v <= 2 * sigma; DD.Add(ref hi, ref lo, v, 0); }
            DD.Add(ref hi, ref lo, -lanes * sigma, lsum);
        }
        // Tail (and everything when not vectorised): one scalar lane, also offset by σ.
        if (i < n)
        {
            double a = sigma, l = 0;
            for (; i < n; i++)
            {
                double v = Unsafe.Add(ref r, i);
                if (scaled) v = v * s1 * s2;
                double nw = Math.FusedMultiplyAdd(v, v, a);
                l += Math.FusedMultiplyAdd(v, v, a - nw);
                a = nw;
            }
            ok &= a <= 2 * sigma;
            DD.Add(ref hi, ref lo, a, l);
            DD.Add(ref hi, ref lo, -sigma, 0);
        }
        return ok;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(Vector512<double> x, ref Vector512<double> a, ref Vector512<double> l)
    {
        var nw = Vector512.FusedMultiplyAdd(x, x, a);
        l += Vector512.FusedMultiplyAdd(x, x, a - nw);
        a = nw;
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
