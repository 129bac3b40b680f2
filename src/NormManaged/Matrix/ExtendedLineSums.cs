using NormManaged.Engine;
using NormManaged.Kernels;

namespace NormManaged.Matrix;

/// <summary>Matrix norms of order ±1 / ±∞ for longdouble and clongdouble (x87 80-bit extended).
///
/// Each element is decoded exactly (complex: an <see cref="Ext.Hypot"/> magnitude, ≈2⁻¹⁰⁰ relative)
/// and each line sum is kept as an <see cref="Ext"/> (106-bit significand, wide exponent), so
/// nothing overflows or underflows before the single rounding to x87 extended on store: the result
/// is correctly rounded (64-bit significand) except in near-tie cases far below one ulp. Lines are
/// summed in index order whichever way memory is walked, so the walk never changes a result.</summary>
internal static unsafe class ExtendedLineSums
{
    /// <summary>Runs the reduction for every matrix of <paramref name="b"/> (lines/len as in
    /// <see cref="LineSumNorms.Run"/>; empty-reduction checks already done by the caller).</summary>
    public static FpEvents Run(MatrixBatch b, long lines, long len, long lineStride, long elemStride, bool wantMax)
    {
        bool complex = b.T == DType.CLongDouble;
        bool streamLines = Math.Abs(elemStride) <= Math.Abs(lineStride) || lines == 1;
        int evBits = 0;
        b.Run(8.0 * lines * len, (start, end) =>
        {
            var acc = streamLines ? Array.Empty<Ext>() : new Ext[lines];
            int ev = 0;
            b.ForRange(start, end, (_, xp, op) =>
            {
                byte* x = (byte*)xp;
                Ext best = Ext.Zero;
                bool first = true;
                if (streamLines)
                {
                    for (long l = 0; l < lines; l++)
                    {
                        Ext s = Ext.Zero;
                        byte* p = x + l * lineStride;
                        for (long k = 0; k < len; k++, p += elemStride) s = Add(s, Mag(p, complex));
                        Pick(ref first, wantMax, s, ref best);
                    }
                }
                else
                {
                    Array.Fill(acc, Ext.Zero);
                    for (long k = 0; k < len; k++)
                    {
                        byte* p = x + k * elemStride;
                        for (long l = 0; l < lines; l++, p += lineStride) acc[l] = Add(acc[l], Mag(p, complex));
                    }
                    for (long l = 0; l < lines; l++) Pick(ref first, wantMax, acc[l], ref best);
                }
                ev |= (int)ResultWriter.Store(b.OT, (byte*)op, best);
            });
            Interlocked.Or(ref evBits, ev);
        });
        return (FpEvents)evBits;
    }

    private static Ext Mag(byte* p, bool complex)
        => complex ? Ext.Hypot(LongDoubleCodec.DecodeAbs(p), LongDoubleCodec.DecodeAbs(p + 16)) : LongDoubleCodec.DecodeAbs(p);

    /// <summary>a + b for non-negative magnitudes; NaN wins, then +∞.</summary>
    internal static Ext Add(Ext a, Ext b)
    {
        if (a.IsNaN || b.IsNaN) return Ext.NaN;
        if (a.IsInf || b.IsInf) return Ext.Inf;
        if (b.IsZero) return a;
        if (a.IsZero) return b;
        if (Ext.Compare(a, b) < 0) (a, b) = (b, a);
        int d = b.E - a.E; // ≤ 0
        if (d < -200) return a; // below 2⁻¹⁹⁸ relative: invisible at 106 bits
        double h = a.H, l = a.L;
        DD.Add(ref h, ref l, Math.ScaleB(b.H, d), Math.ScaleB(b.L, d));
        return Ext.Normalize(h, l, a.E);
    }

    /// <summary>Keeps the max (or min) line sum; NaN wins.</summary>
    private static void Pick(ref bool first, bool wantMax, in Ext s, ref Ext best)
    {
        if (first) { best = s; first = false; return; }
        if (best.IsNaN) return;
        if (s.IsNaN) { best = s; return; }
        int c = Ext.Compare(s, best);
        if (wantMax ? c > 0 : c < 0) best = s;
    }
}
