using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NormManaged.Engine;

namespace NormManaged.Kernels;

/// <summary>|z| of complex blocks (interleaved re, im doubles) for the L1 norm and the max norm. The block is
/// scaled by an exact power of two below its largest component; each |z| is a double-double hypot
/// (exact squares by FMA, double-double sum and square root), so the scaled magnitudes carry ~2⁻¹⁰⁴ relative
/// error and magnitudes far below the block's largest lose only what cannot matter to a sum or a maximum.
/// Blocks holding a NaN or infinity take the exact per-element path (C99 hypot: inf wins over NaN). Sums first try
/// the single offset-lane pass of <see cref="ComplexOffsetSum"/> (no statistics pass, no divider).</summary>
internal static class ComplexKernels
{
    /// <summary>Adds Σ|z| (as a ScaledSum) or folds max |z| (as an Ext in <paramref name="max"/>) for one block.</summary>
    public static void AddBlock(ReadOnlySpan<double> b, bool sum, ref ScaledSum acc, ref Ext max, ref bool nan)
    {
        if (b.IsEmpty) return;
        if (sum && ComplexOffsetSum.TryAdd<CAbsTerm>(b, out double fh, out double fl)) { acc.Add(0, fh, fl); return; }
        var st = new RealKernels.Stats();
        RealKernels.AddStats(b, ref st);
        int n = b.Length / 2;
        if (st.NaN || double.IsInfinity(st.Max))
        {
            for (int i = 0; i < n; i++)
            {
                Ext z = Ext.Hypot(Ext.FromDouble(b[2 * i]), Ext.FromDouble(b[2 * i + 1]));
                if (z.IsNaN) { nan = true; continue; }
                if (z.IsInf) { acc.HasInf = true; max = Ext.Inf; continue; }
                if (sum) { if (!z.IsZero) acc.Add(z.E, z.H, z.L); }
                else if (!max.IsInf && Ext.Compare(z, max) > 0) max = z;
            }
            return;
        }
        if (st.Max == 0) return;
        int eb = Math.ILogB(st.Max) + 1;
        int a = -eb / 2, c = -eb - a;
        double f1 = Math.ScaleB(1.0, a), f2 = Math.ScaleB(1.0, c);
        ref double r = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(b);
        double sh = 0, sl = 0, mh = 0, ml = 0;
        int i0 = 0;
        if (!sum && System.Runtime.Intrinsics.X86.Avx.IsSupported && n >= 8)
        {
            i0 = n & ~3;
            MaxByCandidates(ref r, i0, f1, f2, ref mh, ref ml);
        }
        else if (System.Runtime.Intrinsics.X86.Avx.IsSupported && n >= 8)
        {
            // 4 complex per step: unpack (re, im) pairs into a re-vector and an im-vector (lane order is
            // fixed, so the result is deterministic), exact squares, double-double sum and sqrt per lane.
            var v1 = Vector256.Create(f1); var v2 = Vector256.Create(f2);
            Vector256<double> s = default, cv = default, vmh = default, vml = default;
            for (; i0 <= n - 4; i0 += 4)
            {
                var va = Vector256.LoadUnsafe(ref r, (nuint)(2 * i0)) * v1 * v2;
                var bq = Vector256.LoadUnsafe(ref r, (nuint)(2 * i0 + 4)) * v1 * v2;
                var re = System.Runtime.Intrinsics.X86.Avx.UnpackLow(va, bq);
                var im = System.Runtime.Intrinsics.X86.Avx.UnpackHigh(va, bq);
                var p = re * re; var pe = Vector256.FusedMultiplyAdd(re, re, -p);
                var q = im * im; var qe = Vector256.FusedMultiplyAdd(im, im, -q);
                var h = p + q; var bb = h - p;
                var e = ((p - (h - bb)) + (q - bb)) + (pe + qe);
                var h2 = h + e; var l2 = e - (h2 - h);
                var zh = Vector256.Sqrt(h2);
                var zl = (Vector256.FusedMultiplyAdd(-zh, zh, h2) + l2) / (zh + zh);
                zl = Vector256.ConditionalSelect(Vector256.Equals(h2, Vector256<double>.Zero), Vector256<double>.Zero, zl);
                if (sum)
                {
                    var t = s + zh; var b2 = t - s;
                    cv += ((s - (t - b2)) + (zh - b2)) + zl;
                    s = t;
                }
                else
                {
                    var gt = Vector256.GreaterThan(zh, vmh) | (Vector256.Equals(zh, vmh) & Vector256.GreaterThan(zl, vml));
                    vmh = Vector256.ConditionalSelect(gt, zh, vmh);
                    vml = Vector256.ConditionalSelect(gt, zl, vml);
                }
            }
            if (sum)
            {
                for (int j = 0; j < 4; j++) DD.Add(ref sh, ref sl, s.GetElement(j), 0);
                DD.Add(ref sh, ref sl, Vector256.Sum(cv), 0);
            }
            else
                for (int j = 0; j < 4; j++)
                {
                    double zh = vmh.GetElement(j), zl = vml.GetElement(j);
                    if (zh > mh || (zh == mh && zl > ml)) { mh = zh; ml = zl; }
                }
        }
        for (int i = i0; i < n; i++)
        {
            double re = Unsafe.Add(ref r, 2 * i) * f1 * f2, im = Unsafe.Add(ref r, 2 * i + 1) * f1 * f2;
            double p = re * re, pe = Math.FusedMultiplyAdd(re, re, -p);
            double q = im * im, qe = Math.FusedMultiplyAdd(im, im, -q);
            double h = DD.TwoSum(p, q, out double e);
            e += pe + qe;
            h = DD.FastTwoSum(h, e, out double l);
            if (h == 0) continue;
            double zh = DD.Sqrt(h, l, out double zl);
            if (sum)
            {
                sh = DD.TwoSum(sh, zh, out double e2);
                sl += e2 + zl;
            }
            else if (zh > mh || (zh == mh && zl > ml)) { mh = zh; ml = zl; }
        }
        if (sum) acc.Add(eb, sh, sl);
        else if (mh > 0)
        {
            Ext z = Ext.Normalize(mh, ml, eb);
            if (!max.IsInf && (max.IsZero || Ext.Compare(z, max) > 0)) max = z;
        }
    }

    /// <summary>The (hi, lo) maximum of the first <paramref name="m"/> (a multiple of 4) scaled |z| exactly as the
    /// 4-lane loop of <see cref="AddBlock"/> finds it, but computing the double-double hypot only for candidates:
    /// a cheap pass takes H = max fl(re² + im²) (relative error ≤ 2⁻⁵², so the true maximum's estimate is ≥ H·(1 − 2⁻⁵⁰)),
    /// and only elements whose estimate is ≥ H·(1 − 2⁻⁴⁸) are evaluated, in the loop's lane order (lane j holds
    /// elements j, j+4, …; lanes merge 0..3; strict comparisons keep the first of equals), so the result is the
    /// loop's own.</summary>
    private static unsafe void MaxByCandidates(ref double r, int m, double f1, double f2, ref double mh, ref double ml)
    {
        var v1 = Vector256.Create(f1); var v2 = Vector256.Create(f2);
        Vector256<double> best = Vector256<double>.Zero;
        for (int i = 0; i < m; i += 4)
        {
            var va = Vector256.LoadUnsafe(ref r, (nuint)(2 * i)) * v1 * v2;
            var bq = Vector256.LoadUnsafe(ref r, (nuint)(2 * i + 4)) * v1 * v2;
            var re = System.Runtime.Intrinsics.X86.Avx.UnpackLow(va, bq);
            var im = System.Runtime.Intrinsics.X86.Avx.UnpackHigh(va, bq);
            best = Vector256.Max(best, Vector256.FusedMultiplyAdd(im, im, re * re));
        }
        double top = Math.Max(Math.Max(best.GetElement(0), best.GetElement(1)), Math.Max(best.GetElement(2), best.GetElement(3)));
        double thr = top * (1 - Math.ScaleB(1.0, -48));
        // Second pass with the loop's own unpacked lanes: each lane keeps its running maximum over its candidates
        // in element order, then lanes merge 0..3, as in the loop.
        var vt = Vector256.Create(thr);
        double* lh = stackalloc double[4];
        double* ll = stackalloc double[4];
        for (int j = 0; j < 4; j++) { lh[j] = 0; ll[j] = 0; }
        for (int g = 0; g < m; g += 4)
        {
            var va = Vector256.LoadUnsafe(ref r, (nuint)(2 * g)) * v1 * v2;
            var bq = Vector256.LoadUnsafe(ref r, (nuint)(2 * g + 4)) * v1 * v2;
            var re4 = System.Runtime.Intrinsics.X86.Avx.UnpackLow(va, bq);
            var im4 = System.Runtime.Intrinsics.X86.Avx.UnpackHigh(va, bq);
            uint hit = Vector256.GreaterThanOrEqual(Vector256.FusedMultiplyAdd(im4, im4, re4 * re4), vt).ExtractMostSignificantBits();
            while (hit != 0)
            {
                int lane = System.Numerics.BitOperations.TrailingZeroCount(hit);
                hit &= hit - 1;
                double re = re4.GetElement(lane), im = im4.GetElement(lane);
                double p = re * re, pe = Math.FusedMultiplyAdd(re, re, -p);
                double q = im * im, qe = Math.FusedMultiplyAdd(im, im, -q);
                double h = p + q, bb = h - p;
                double e = ((p - (h - bb)) + (q - bb)) + (pe + qe);
                double h2 = h + e, l2 = e - (h2 - h);
                double zh = Math.Sqrt(h2);
                double zl = (Math.FusedMultiplyAdd(-zh, zh, h2) + l2) / (zh + zh);
                if (h2 == 0) zl = 0;
                if (zh > lh[lane] || (zh == lh[lane] && zl > ll[lane])) { lh[lane] = zh; ll[lane] = zl; }
            }
        }
        for (int j = 0; j < 4; j++)
            if (lh[j] > mh || (lh[j] == mh && ll[j] > ml)) { mh = lh[j]; ml = ll[j]; }
    }
}
