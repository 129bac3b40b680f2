using System.Runtime.InteropServices;
using NormManaged;

namespace NormNative;

/// <summary>Layout twin of <c>normnative_array</c> (48 bytes on 64-bit targets).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeArray
{
    public void* Data;
    public long* Shape;
    public long* Strides;
    public int NDim;
    public int DType;
    public void* RangeBase;
    public long RangeLength;

    /// <summary>Turns a C descriptor into a validated view; checks the declared byte range.
    /// The descriptor, its shape and its strides are copied into library memory first
    /// (<paramref name="shapeCopy"/>, <paramref name="stridesCopy"/>: 64 entries each), so what
    /// is validated is exactly what the kernels use even if the caller changes the descriptor
    /// concurrently.</summary>
    public static NdView ToView(NativeArray* desc, string name, long* shapeCopy, long* stridesCopy)
    {
        if (desc == null) throw new NormException(NormError.NullPointer, $"{name}: descriptor is NULL");
        NativeArray copy = *desc;
        NativeArray* a = &copy;
        if (a->NDim >= 0 && a->NDim <= NdView.MaxRank && a->Shape != null && a->Strides != null)
        {
            for (int i = 0; i < a->NDim; i++) { shapeCopy[i] = a->Shape[i]; stridesCopy[i] = a->Strides[i]; }
            a->Shape = shapeCopy;
            a->Strides = stridesCopy;
        }
        if (a->NDim < 0 || a->NDim > NdView.MaxRank)
            throw new NormException(NormError.InvalidArgument, $"{name}: ndim {a->NDim} is outside [0, {NdView.MaxRank}]");
        if (a->NDim > 0 && (a->Shape == null || a->Strides == null))
            throw new NormException(NormError.NullPointer, $"{name}: shape or strides is NULL with ndim {a->NDim}");
        if (!DTypes.IsValid(a->DType))
            throw new NormException(NormError.BadDType, $"{name}: unknown dtype code {a->DType}");
        var view = new NdView(a->Data, (DType)a->DType,
            new ReadOnlySpan<long>(a->Shape, a->NDim), new ReadOnlySpan<long>(a->Strides, a->NDim));
        long count = view.Validate(name, out long lo, out long hi);
        if (a->RangeBase != null)
        {
            if (a->RangeLength < 0)
                throw new NormException(NormError.InvalidArgument, $"{name}: range_length {a->RangeLength} is negative");
            if (count > 0)
            {
                ulong first = (ulong)((long)a->Data + lo), end = (ulong)((long)a->Data + hi);
                ulong rb = (ulong)a->RangeBase, re = rb + (ulong)a->RangeLength;
                if (re < rb || first < rb || end > re)
                    throw new NormException(NormError.OutOfRange,
                        $"{name}: elements span bytes [{lo}, {hi}) relative to data, outside the declared range of {a->RangeLength} bytes");
            }
        }
        return view;
    }
}
