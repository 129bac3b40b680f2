using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormManaged.Engine;

/// <summary>SIMD widening of contiguous bool and integer elements to doubles, eight at a time: a sign- or zero-extending
/// load to 32-bit lanes (or a plain load of 32/64-bit lanes) and one conversion. Every bool and every integer of at
/// most 32 bits is a double exactly; int64/uint64 are rounded to nearest-even by the hardware conversion, which is the
/// rounding of the scalar conversion (<c>(double)long</c>) that <see cref="Gather"/> uses, so the doubles are the same
/// bits whichever way they were read. Bool bytes are 0 → 0.0 and any non-zero byte → 1.0.</summary>
internal static unsafe class IntWiden
{
    /// <summary>Whether the vector loops run (tests switch it off to compare with the scalar reads).</summary>
    internal static bool Enabled = true;

    /// <summary>Whether <see cref="Run"/> handles dtype <paramref name="t"/> read with byte step <paramref name="stride"/>.</summary>
    public static bool Handles(DType t, long stride)
        => Enabled && Avx2.IsSupported && stride == DTypes.ItemSize(t) && t switch
        {
            DType.Bool or DType.Int8 or DType.UInt8 or DType.Int16 or DType.UInt16 or DType.Int32 => true,
            DType.UInt32 => Avx512F.VL.IsSupported,
            DType.Int64 or DType.UInt64 => Avx512DQ.VL.IsSupported,
            _ => false,
        };

    /// <summary>Widens the first multiple of eight of the <paramref name="n"/> contiguous elements at
    /// <paramref name="p"/> into <paramref name="dst"/>; returns how many (the caller reads the rest). Requires
    /// <see cref="Handles"/>. Never reads past element n − 1.</summary>
    public static int Run(DType t, byte* p, int n, double* dst)
    {
        int m = n & ~7;
        switch (t)
        {
            case DType.Bool:
                for (int i = 0; i < m; i += 8)
                    Store8(Vector256.Min(Avx2.ConvertToVector256Int32(p + i).AsUInt32(), Vector256<uint>.One).AsInt32(), dst + i);
                break;
            case DType.Int8:
                for (int i = 0; i < m; i += 8) Store8(Avx2.ConvertToVector256Int32((sbyte*)p + i), dst + i);
                break;
            case DType.UInt8:
                for (int i = 0; i < m; i += 8) Store8(Avx2.ConvertToVector256Int32(p + i), dst + i);
                break;
            case DType.Int16:
                for (int i = 0; i < m; i += 8) Store8(Avx2.ConvertToVector256Int32((short*)p + i), dst + i);
                break;
            case DType.UInt16:
                for (int i = 0; i < m; i += 8) Store8(Avx2.ConvertToVector256Int32((ushort*)p + i), dst + i);
                break;
            case DType.Int32:
                for (int i = 0; i < m; i += 8) Store8(Vector256.Load((int*)p + i), dst + i);
                break;
            case DType.UInt32:
                for (int i = 0; i < m; i += 8)
                {
                    var v = Vector256.Load((uint*)p + i);
                    Vector256.Store(Avx512F.VL.ConvertToVector256Double(v.GetLower()), dst + i);
                    Vector256.Store(Avx512F.VL.ConvertToVector256Double(v.GetUpper()), dst + i + 4);
                }
                break;
            case DType.Int64:
                for (int i = 0; i < m; i += 4) Vector256.Store(Avx512DQ.VL.ConvertToVector256Double(Vector256.Load((long*)p + i)), dst + i);
                break;
            case DType.UInt64:
                for (int i = 0; i < m; i += 4) Vector256.Store(Avx512DQ.VL.ConvertToVector256Double(Vector256.Load((ulong*)p + i)), dst + i);
                break;
            default:
                return 0;
        }
        return m;
    }

    /// <summary>Eight int32 lanes as eight doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store8(Vector256<int> v, double* dst)
    {
        if (Avx512F.IsSupported)
        {
            Vector512.Store(Avx512F.ConvertToVector512Double(v), dst);
            return;
        }
        Vector256.Store(Avx.ConvertToVector256Double(v.GetLower()), dst);
        Vector256.Store(Avx.ConvertToVector256Double(v.GetUpper()), dst + 4);
    }
}
