using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormManaged.Engine;

/// <summary>Lines that hold a zero at a negative finite order. NumPy computes 0^p = +∞ (a "divide by zero" warning),
/// the sum is then +∞ (or NaN when an element's magnitude is NaN), and ∞^(1/p) = 0: the norm is exactly 0, or NaN
/// when the line has a NaN magnitude — whatever the other elements are (an ∞ element only adds a 0 term). The 1-D
/// paths (<see cref="RealPowOp"/>, <see cref="ComplexNegative"/>, GeneralNorm) store exactly that with
/// <see cref="FpEvents.DivideByZero"/>. The lane kernels reject such lanes (a 1/0 term makes their sums ∞ or NaN); this
/// class finishes them from one scan of the line instead of the whole 1-D dispatch (which allocated its views and
/// walked the line through the power kernels: ~10× the lane cost on small-integer data, where most lines hold a zero).
/// A complex element's magnitude is NaN when a part is NaN and neither is ±∞ (<see cref="Kernels.Ext.Hypot"/>).</summary>
internal static unsafe class NegativeZeros
{
    /// <summary>What <see cref="Scan"/> found.</summary>
    internal const int None = 0, Zero = 1, ZeroAndNaN = 2;

    /// <summary>The dtypes scanned here (the others go through their usual routes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Handles(DType t) => t is DType.Float16 or DType.Float32 or DType.Float64 or DType.Complex64 or DType.Complex128;

    /// <summary>When <paramref name="p"/> is negative and finite and the <paramref name="n"/> elements
    /// <paramref name="stride"/> bytes apart at <paramref name="v"/> hold a zero: stores the norm (0, or NaN with a NaN
    /// magnitude in the line) as <paramref name="ot"/> at <paramref name="dst"/>, sets <paramref name="ev"/> to
    /// <see cref="FpEvents.DivideByZero"/> (the 1-D path's events for such a line) and returns true. Else false,
    /// nothing stored.</summary>
    internal static bool TryStore(byte* v, DType t, long n, long stride, byte* dst, DType ot, double p, out FpEvents ev)
    {
        ev = FpEvents.None;
        if (!(p < 0 && p > double.NegativeInfinity) || n <= 0 || !Handles(t)) return false;
        int found = Scan(v, t, n, stride);
        if (found == None) return false;
        ev = FpEvents.DivideByZero | Store(ot, dst, found);
        return true;
    }

    /// <summary>Stores the norm of a line with a zero: 0, or NaN for <see cref="ZeroAndNaN"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FpEvents Store(DType ot, byte* dst, int found)
    {
        double v = found == ZeroAndNaN ? double.NaN : 0.0;
        switch (ot)
        {
            case DType.Float64: Unsafe.WriteUnaligned(dst, v); return FpEvents.None;
            case DType.Float32: Unsafe.WriteUnaligned(dst, (float)v); return FpEvents.None;
            case DType.Float16: Unsafe.WriteUnaligned(dst, (Half)v); return FpEvents.None;
            default: return ResultWriter.Store(ot, dst, v, 0, 0);
        }
    }

    /// <summary>For a lane-statistics code (<see cref="LaneSums.Statistics{L}"/> at a negative order: 2 = the line holds
    /// a zero, 3 = a zero and a NaN): stores 0 or NaN and returns the events (divide-by-zero); null for any other code
    /// or order (the caller's lone-line route then decides).</summary>
    internal static FpEvents? Flagged(double code, double p, DType ot, byte* dst)
    {
        if (!(code >= 2) || !(p < 0 && p > double.NegativeInfinity)) return null;
        return FpEvents.DivideByZero | Store(ot, dst, code == 3 ? ZeroAndNaN : Zero);
    }

    /// <summary><see cref="None"/> when no element is zero, else <see cref="Zero"/> or <see cref="ZeroAndNaN"/> (some
    /// element's magnitude is NaN). Reads every element once (stops early once both are seen).</summary>
    internal static int Scan(byte* v, DType t, long n, long stride)
    {
        bool zero = false, nan = false;
        long i = 0;
        switch (t)
        {
            case DType.Float64:
                if (stride == 8 && Vector256.IsHardwareAccelerated)
                {
                    var z = Vector256<ulong>.Zero; var u = Vector256<ulong>.Zero;
                    for (; i + 4 <= n; i += 4)
                    {
                        var x = Vector256.Load((double*)v + i);
                        z |= Vector256.Equals(x, Vector256<double>.Zero).AsUInt64();
                        u |= ~Vector256.Equals(x, x).AsUInt64();
                    }
                    zero = z != Vector256<ulong>.Zero; nan = u != Vector256<ulong>.Zero;
                }
                for (; i < n && !(zero && nan); i++)
                {
                    ulong b = *(ulong*)(v + i * stride) & 0x7FFF_FFFF_FFFF_FFFFUL;
                    zero |= b == 0; nan |= b > 0x7FF0_0000_0000_0000UL;
                }
                break;
            case DType.Float32:
                if (stride == 4 && Vector256.IsHardwareAccelerated)
                {
                    var z = Vector256<uint>.Zero; var u = Vector256<uint>.Zero;
                    for (; i + 8 <= n; i += 8)
                    {
                        var x = Vector256.Load((float*)v + i);
                        z |= Vector256.Equals(x, Vector256<float>.Zero).AsUInt32();
                        u |= ~Vector256.Equals(x, x).AsUInt32();
                    }
                    zero = z != Vector256<uint>.Zero; nan = u != Vector256<uint>.Zero;
                }
                for (; i < n && !(zero && nan); i++)
                {
                    uint b = *(uint*)(v + i * stride) & 0x7FFF_FFFFu;
                    zero |= b == 0; nan |= b > 0x7F80_0000u;
                }
                break;
            case DType.Float16:
                for (; i < n && !(zero && nan); i++)
                {
                    int b = *(ushort*)(v + i * stride) & 0x7FFF;
                    zero |= b == 0; nan |= b > 0x7C00;
                }
                break;
            case DType.Complex64:
                if (stride == 8 && Vector256.IsHardwareAccelerated)
                {
                    // four elements a vector: zero when both parts are ±0 (the 64-bit element without its two sign
                    // bits is 0); a NaN part counts only without an ∞ part, so a NaN with any ∞ in the line is left
                    // to the scalar walk below (from the start)
                    var z = Vector256<ulong>.Zero; var u = Vector256<uint>.Zero; var f = Vector256<uint>.Zero;
                    var mag = Vector256.Create(0x7FFF_FFFF_7FFF_FFFFUL);
                    for (; i + 4 <= n; i += 4)
                    {
                        var b = Vector256.Load((ulong*)v + i) & mag;
                        z |= Vector256.Equals(b, Vector256<ulong>.Zero);
                        u |= Vector256.GreaterThan(b.AsUInt32(), Vector256.Create(0x7F80_0000u));
                        f |= Vector256.Equals(b.AsUInt32(), Vector256.Create(0x7F80_0000u));
                    }
                    zero = z != Vector256<ulong>.Zero; nan = u != Vector256<uint>.Zero;
                    if (nan && f != Vector256<uint>.Zero) { i = 0; zero = nan = false; }
                }
                for (; i < n && !(zero && nan); i++)
                {
                    uint re = *(uint*)(v + i * stride) & 0x7FFF_FFFFu, im = *(uint*)(v + i * stride + 4) & 0x7FFF_FFFFu;
                    zero |= (re | im) == 0;
                    nan |= (re > 0x7F80_0000u || im > 0x7F80_0000u) && re != 0x7F80_0000u && im != 0x7F80_0000u;
                }
                break;
            case DType.Complex128:
                if (stride == 16 && Vector256.IsHardwareAccelerated)
                {
                    // two elements a vector, as for complex64: a part's magnitude bits, OR-ed with its partner's
                    var z = Vector256<ulong>.Zero; var u = Vector256<ulong>.Zero; var f = Vector256<ulong>.Zero;
                    var mag = Vector256.Create(0x7FFF_FFFF_FFFF_FFFFUL);
                    var inf = Vector256.Create(0x7FF0_0000_0000_0000UL);
                    for (; i + 2 <= n; i += 2)
                    {
                        var b = Vector256.Load((ulong*)v + 2 * i) & mag;
                        z |= Vector256.Equals(b | Vector256.Shuffle(b, Vector256.Create(1UL, 0, 3, 2)), Vector256<ulong>.Zero);
                        u |= Vector256.GreaterThan(b, inf);
                        f |= Vector256.Equals(b, inf);
                    }
                    zero = z != Vector256<ulong>.Zero; nan = u != Vector256<ulong>.Zero;
                    if (nan && f != Vector256<ulong>.Zero) { i = 0; zero = nan = false; }
                }
                for (; i < n && !(zero && nan); i++)
                {
                    ulong re = *(ulong*)(v + i * stride) & 0x7FFF_FFFF_FFFF_FFFFUL, im = *(ulong*)(v + i * stride + 8) & 0x7FFF_FFFF_FFFF_FFFFUL;
                    const ulong Inf = 0x7FF0_0000_0000_0000UL;
                    zero |= (re | im) == 0;
                    nan |= (re > Inf || im > Inf) && re != Inf && im != Inf;
                }
                break;
        }
        return !zero ? None : nan ? ZeroAndNaN : Zero;
    }
}
