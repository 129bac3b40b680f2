using System.Runtime.CompilerServices;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Reads the elements of one reduction (one kept position) block by block as exact
/// magnitudes |x| in <see cref="Ext"/> form: reals exactly, complex as an accurate hypot, x87 extended
/// by software decoding. Also notes whether any real or imaginary part is NaN (the 2-norm's rule).</summary>
internal unsafe struct MagnitudeStream
{
    /// <summary>Magnitudes per block.</summary>
    public const int Block = 256;

    private InnerWalker _walker;
    private readonly DType _t;
    private readonly int _perBlock;
    public bool AnyPartNaN;

    public MagnitudeStream(ReductionPlan plan, byte* outerPtr, DType t)
    {
        _walker = new InnerWalker(plan, outerPtr);
        _t = t;
        _perBlock = Block;
        AnyPartNaN = false;
    }

    /// <summary>Fills up to <see cref="Block"/> magnitudes into <paramref name="dst"/>; returns how many (0 at the end).
    /// <paramref name="scratch"/> must hold 2·<see cref="Block"/> doubles.</summary>
    public int Next(Ext* dst, double* scratch)
    {
        int filled = 0;
        while (filled < _perBlock && _walker.Next(_perBlock - filled, out byte* p, out int n, out long stride))
        {
            switch (_t)
            {
                case DType.LongDouble:
                    for (int i = 0; i < n; i++, p += stride)
                    {
                        Ext a = LongDoubleCodec.DecodeAbs(p);
                        AnyPartNaN |= a.IsNaN;
                        dst[filled + i] = a;
                    }
                    break;
                case DType.CLongDouble:
                    for (int i = 0; i < n; i++, p += stride)
                    {
                        Ext re = LongDoubleCodec.DecodeAbs(p), im = LongDoubleCodec.DecodeAbs(p + 16);
                        AnyPartNaN |= re.IsNaN | im.IsNaN;
                        dst[filled + i] = Ext.Hypot(re, im);
                    }
                    break;
                case DType.Complex64:
                case DType.Complex128:
                    Gather.Run(_t, p, stride, n, scratch);
                    for (int i = 0; i < n; i++)
                    {
                        double re = scratch[2 * i], im = scratch[2 * i + 1];
                        AnyPartNaN |= double.IsNaN(re) | double.IsNaN(im);
                        dst[filled + i] = Ext.Hypot(Ext.FromDouble(re), Ext.FromDouble(im));
                    }
                    break;
                default:
                    Gather.Run(_t, p, stride, n, scratch);
                    for (int i = 0; i < n; i++)
                    {
                        double v = scratch[i];
                        AnyPartNaN |= double.IsNaN(v);
                        dst[filled + i] = Ext.FromDouble(v);
                    }
                    break;
            }
            filled += n;
        }
        return filled;
    }
}
