using System.Runtime.InteropServices;
using NormManaged;

namespace NormNative;

/// <summary>Layout twin of DLPack's <c>DLTensor</c> (include/normnative_dlpack.h; DLPack spec:
/// data, device {device_type, device_id}, ndim, dtype {code, bits, lanes}, shape, strides in
/// elements or NULL for compact row-major, byte_offset). 48 bytes on 64-bit targets.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct DLTensor
{
    public void* Data;
    public int DeviceType;
    public int DeviceId;
    public int NDim;
    public byte DTypeCode;
    public byte DTypeBits;
    public ushort DTypeLanes;
    public long* Shape;
    public long* Strides;
    public ulong ByteOffset;

    private const int DeviceCpu = 1;                       // kDLCPU
    private const byte CodeInt = 0, CodeUInt = 1, CodeFloat = 2, CodeComplex = 5, CodeBool = 6;

    /// <summary>Validates a DLTensor and describes it as an <see cref="NdView"/> with byte strides
    /// written into the caller's <paramref name="shape"/>/<paramref name="strides"/> scratch (64 each).</summary>
    public static NdView ToView(DLTensor* tensor, string name, long* shape, long* strides)
    {
        if (tensor == null) throw new NormException(NormError.NullPointer, $"{name}: DLTensor is NULL");
        DLTensor copy = *tensor;   // read the caller's struct once
        DLTensor* t = &copy;
        if (t->DeviceType != DeviceCpu)
            throw new NormException(NormError.InvalidArgument, $"{name}: device.device_type {t->DeviceType} is not kDLCPU (1); only CPU memory is supported");
        if (t->NDim < 0 || t->NDim > NdView.MaxRank)
            throw new NormException(NormError.InvalidArgument, $"{name}: ndim {t->NDim} is outside [0, {NdView.MaxRank}]");
        int n = t->NDim;
        if (n > 0 && t->Shape == null) throw new NormException(NormError.NullPointer, $"{name}: shape is NULL with ndim {n}");
        DType dt = MapDType(t, name);
        long item = DTypes.ItemSize(dt);
        bool empty = false;
        for (int i = 0; i < n; i++)
        {
            shape[i] = t->Shape[i];
            if (shape[i] < 0) throw new NormException(NormError.InvalidArgument, $"{name}: shape[{i}] = {shape[i]} is negative");
            if (shape[i] == 0) empty = true;
        }
        try
        {
            if (t->Strides == null)
            {
                long s = item;                              // compact row-major, in bytes
                for (int i = n - 1; i >= 0; i--)
                {
                    strides[i] = s;
                    if (!empty) s = checked(s * Math.Max(shape[i], 1));
                }
            }
            else
            {
                for (int i = 0; i < n; i++) strides[i] = checked(t->Strides[i] * item);
            }
        }
        catch (OverflowException)
        {
            throw new NormException(NormError.InvalidArgument, $"{name}: strides x itemsize overflows int64");
        }
        byte* data = (byte*)t->Data;
        if (!empty)
        {
            if (data == null) throw new NormException(NormError.NullPointer, $"{name}: data is NULL but the tensor is not empty");
            if (t->ByteOffset > long.MaxValue || t->ByteOffset > ulong.MaxValue - (ulong)data)
                throw new NormException(NormError.InvalidArgument, $"{name}: byte_offset {t->ByteOffset} overflows the address space");
            data += t->ByteOffset;
        }
        var view = new NdView(data, dt, new ReadOnlySpan<long>(shape, n), new ReadOnlySpan<long>(strides, n));
        view.Validate(name, out _, out _);
        return view;
    }

    private static DType MapDType(DLTensor* t, string name)
    {
        if (t->DTypeLanes != 1)
            throw new NormException(NormError.BadDType, $"{name}: dtype.lanes {t->DTypeLanes} is not 1 (vector lanes are not supported)");
        DType? d = (t->DTypeCode, t->DTypeBits) switch
        {
            (CodeBool, 8) => DType.Bool,
            (CodeInt, 8) => DType.Int8,
            (CodeInt, 16) => DType.Int16,
            (CodeInt, 32) => DType.Int32,
            (CodeInt, 64) => DType.Int64,
            (CodeUInt, 8) => DType.UInt8,
            (CodeUInt, 16) => DType.UInt16,
            (CodeUInt, 32) => DType.UInt32,
            (CodeUInt, 64) => DType.UInt64,
            (CodeFloat, 16) => DType.Float16,
            (CodeFloat, 32) => DType.Float32,
            (CodeFloat, 64) => DType.Float64,
            (CodeComplex, 64) => DType.Complex64,
            (CodeComplex, 128) => DType.Complex128,
            _ => null,
        };
        return d ?? throw new NormException(NormError.BadDType,
            $"{name}: DLPack dtype (code {t->DTypeCode}, bits {t->DTypeBits}) is not supported");
    }
}
