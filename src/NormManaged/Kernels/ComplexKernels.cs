using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NormManaged.Engine;

namespace NormManaged.Kernels;

/// <summary>|z| of complex blocks (interleaved re, im doubles) for the L1 norm and the max norm. The block is
/// scaled by an exact power of two below its largest component; each |z| is a double-double hypot
/// (exact squares by FMA, double-double sum and square root), so the scaled magnitudes carry ~2⁻¹⁰⁴ relative
/// error and magnitudes far below the block's largest lose only what cannot matter to a sum or a maximum.
/// Blocks holding a NaN or infinity take the exact per-element path (C99 hypot: inf wins over NaN).</summary>
internal static class ComplexKernels
{
    /// <summary>Adds Σ|z| (as a ScaledSum) or folds max |z| (as an Ext in <paramref name="max"/>) for one block.</summary>
    public static void AddBlock(ReadOnlySpan<double> b, bool sum, ref ScaledSum acc, ref Ext max, ref bool nan)
    {
        if (b.IsEmpty) return;
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
        if (System.Runtime.Intrinsics.X86.Avx.IsSupported && n >= 8)
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
}
