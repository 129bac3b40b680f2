using System.Runtime.InteropServices;
using NormManaged;

namespace NormNative;

/// <summary>Binding support for the Python package (normnative.h, "binding support" section): a
/// lean entry point that reads a NumPy array object's public <c>PyArrayObject_fields</c> (data, nd,
/// dimensions, strides) at byte offsets the Python side has verified at import, so that
/// <c>normnative.norm(x)</c> costs one foreign call with scalar arguments. Not a general C API:
/// every other caller uses <c>normnative_vector_norm</c>.</summary>
internal static unsafe class ExportsPython
{
    private const string P = "normnative_py_";

    // Offsets of data (char*), nd (int), dimensions (npy_intp*), strides (npy_intp*) in the array
    // object; -1 until normnative_py_set_layout succeeds.
    private static long s_offData = -1, s_offNd = -1, s_offDims = -1, s_offStrides = -1;

    [ThreadStatic] private static int t_status;

    /// <summary>Declares where the four fields live; offsets must be non-negative, pointer
    /// fields 8-byte aligned, and all below 4096. Returns 0 or NORMNATIVE_E_INVALID.</summary>
    [UnmanagedCallersOnly(EntryPoint = P + "set_layout")]
    private static int SetLayout(long offData, long offNd, long offDims, long offStrides)
    {
        LastError.Clear();
        static bool Ptr(long o) => o >= 0 && o < 4096 && o % 8 == 0;
        if (!Ptr(offData) || !Ptr(offDims) || !Ptr(offStrides) || offNd < 0 || offNd >= 4096 || offNd % 4 != 0)
        {
            LastError.Set("normnative_py_set_layout: offsets must be aligned and in [0, 4096)");
            return (int)NormError.InvalidArgument;
        }
        s_offData = offData; s_offNd = offNd; s_offDims = offDims; s_offStrides = offStrides;
        return Status.Ok;
    }

    /// <summary>The vector norm of every element of the array object at <paramref name="obj"/>
    /// (dtype code <paramref name="dtype"/>, whose result dtype must be float64, float32 or float16),
    /// returned as a double (exact for the narrower result types). On failure returns NaN and records the status for <c>normnative_py_last_status</c>;
    /// on success that "status" is the FP event bits (≥ 0: a zero element or empty vector with a negative order,
    /// overflow), so a caller reports numpy's warnings without a second call. A NaN result with a status ≥ 0 is a
    /// genuine NaN norm.</summary>
    [UnmanagedCallersOnly(EntryPoint = P + "norm_full")]
    private static double NormFull(byte* obj, int dtype, int ordKind, double p)
    {
        t_status = Status.Ok;
        try
        {
            return NormFullCore(obj, dtype, ordKind, p);
        }
        catch (Exception e)
        {
            return FailedDouble(e);
        }
    }

    /// <summary>Records <paramref name="e"/> for <c>normnative_py_last_status</c> / <c>last_error</c> and
    /// returns NaN (the failure value of the double-returning exports); never throws.</summary>
    private static double FailedDouble(Exception e)
    {
        try
        {
            if (e is NormException ne) { LastError.Set(ne.Message); t_status = (int)ne.Error; }
            else { LastError.Set($"internal error: {e.GetType().Name}: {e.Message}"); t_status = Status.Internal; }
        }
        catch { t_status = Status.Internal; }
        return double.NaN;
    }

    // The work lives outside the export's frame: the out-parameter local whose address is taken
    // stays out of the UnmanagedCallersOnly frame (see the boundary branch's first-call GS note).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static double NormFullCore(byte* obj, int dtype, int ordKind, double p)
    {
        {
            if (obj == null) throw new NormException(NormError.NullPointer, "obj: NULL");
            if (s_offData < 0) throw new NormException(NormError.InvalidArgument, "the object layout has not been declared");
            DType rt = DTypes.IsValid(dtype) ? DTypes.ResultType((DType)dtype) : DType.Bool;
            if (rt is not (DType.Float64 or DType.Float32 or DType.Float16))
                throw new NormException(NormError.BadDType, $"dtype: code {dtype} does not give a float64, float32 or float16 result");
            if (ordKind != (int)OrdKind.P)
                throw new NormException(NormError.BadOrd, "ord_kind: only NORMNATIVE_ORD_P");
            int nd = *(int*)(obj + s_offNd);
            if (nd < 0 || nd > NdView.MaxRank)
                throw new NormException(NormError.InvalidArgument, $"nd {nd} is outside [0, {NdView.MaxRank}]");
            void* data = *(void**)(obj + s_offData);
            long* dims = *(long**)(obj + s_offDims);
            long* strides = *(long**)(obj + s_offStrides);
            if (nd > 0 && (dims == null || strides == null))
                throw new NormException(NormError.NullPointer, "dimensions or strides is NULL");
            var x = new NdView(data, (DType)dtype, new ReadOnlySpan<long>(dims, nd), new ReadOnlySpan<long>(strides, nd));
            ulong mask = nd == 64 ? ulong.MaxValue : (1UL << nd) - 1;
            // The result in its own dtype, returned widened: float32 and float16 values are exact
            // in double, so the caller's np.float32(r) / np.float16(r) gives the same bits.
            double r64 = 0;
            float r32 = 0;
            Half r16 = default;
            void* dst = rt == DType.Float64 ? &r64 : rt == DType.Float32 ? &r32 : &r16;
            var o = new NdView(dst, rt, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty);
            t_status = (int)VectorNorms.Compute(x, mask, new Ord(OrdKind.P, p), o); // the FP events (≥ 0)
            return rt == DType.Float64 ? r64 : rt == DType.Float32 ? r32 : (double)r16;
        }
    }

    /// <summary>The matrix norm (<paramref name="ordKind"/>, <paramref name="p"/>) of the 2-D array
    /// object at <paramref name="obj"/> (rows axis 0, columns axis 1; dtype code
    /// <paramref name="dtype"/> with a float64, float32 or float16 result), returned as a double
    /// (exact for the narrower result types). FP events are not returned: the only one a matrix norm
    /// reports is an overflow, whose result is inf. On failure returns NaN and records the status for
    /// <c>normnative_py_last_status</c>.</summary>
    [UnmanagedCallersOnly(EntryPoint = P + "matrix_full")]
    private static double MatrixFull(byte* obj, int dtype, int ordKind, double p)
    {
        t_status = Status.Ok;
        try
        {
            return MatrixFullCore(obj, dtype, ordKind, p);
        }
        catch (Exception e)
        {
            return FailedDouble(e);
        }
    }

    // Outside the export's frame for the same reason as NormFullCore.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static double MatrixFullCore(byte* obj, int dtype, int ordKind, double p)
    {
        NdView x = View(obj, dtype, "obj");
        if (x.Rank != 2) throw new NormException(NormError.BadAxis, $"obj: a matrix needs 2 dimensions, not {x.Rank}");
        DType rt = DTypes.ResultType((DType)dtype);
        if (rt is not (DType.Float64 or DType.Float32 or DType.Float16))
            throw new NormException(NormError.BadDType, $"dtype: code {dtype} does not give a float64, float32 or float16 result");
        if (ordKind < (int)OrdKind.P || ordKind > (int)OrdKind.Nuclear)
            throw new NormException(NormError.BadOrd, $"ord_kind: unknown code {ordKind}");
        double r64 = 0;
        float r32 = 0;
        Half r16 = default;
        void* dst = rt == DType.Float64 ? &r64 : rt == DType.Float32 ? &r32 : &r16;
        var o = new NdView(dst, rt, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty);
        MatrixNorms.Compute(x, 0, 1, new Ord((OrdKind)ordKind, p), o);
        return rt == DType.Float64 ? r64 : rt == DType.Float32 ? r32 : (double)r16;
    }

    /// <summary>Vector norm over the axes in <paramref name="reduceMask"/> of the array object
    /// <paramref name="xObj"/> into the array object <paramref name="outObj"/> (both read through the
    /// declared layout). Returns the FP event bits (&gt;= 0) or a negative status.</summary>
    [UnmanagedCallersOnly(EntryPoint = P + "vector_norm")]
    private static int VectorNorm(byte* xObj, int xDType, ulong reduceMask, int ordKind, double p, byte* outObj, int outDType)
    {
        LastError.Clear();
        try
        {
            NdView x = View(xObj, xDType, "x");
            NdView o = View(outObj, outDType, "out");
            if (x.Rank < 64 && (reduceMask >> x.Rank) != 0)
                throw new NormException(NormError.BadAxis, $"reduce_mask: an axis is out of bounds for array of dimension {x.Rank}");
            if (ordKind < (int)OrdKind.P || ordKind > (int)OrdKind.Nuclear)
                throw new NormException(NormError.BadOrd, $"ord_kind: unknown code {ordKind}");
            return (int)VectorNorms.Compute(x, reduceMask, new Ord((OrdKind)ordKind, p), o);
        }
        catch (Exception e) { return Fail(e); }
    }

    /// <summary>Matrix norm over (<paramref name="rowAxis"/>, <paramref name="colAxis"/>), both in
    /// [0, ndim) and distinct, of the array object <paramref name="xObj"/> into
    /// <paramref name="outObj"/>. Returns the FP event bits (&gt;= 0) or a negative status.</summary>
    [UnmanagedCallersOnly(EntryPoint = P + "matrix_norm")]
    private static int MatrixNorm(byte* xObj, int xDType, int rowAxis, int colAxis, int ordKind, double p, byte* outObj, int outDType)
    {
        LastError.Clear();
        try
        {
            NdView x = View(xObj, xDType, "x");
            NdView o = View(outObj, outDType, "out");
            if (rowAxis < 0 || colAxis < 0 || rowAxis >= x.Rank || colAxis >= x.Rank || rowAxis == colAxis)
                throw new NormException(NormError.BadAxis, $"axes ({rowAxis}, {colAxis}) are not two distinct axes of an array of dimension {x.Rank}");
            if (ordKind < (int)OrdKind.P || ordKind > (int)OrdKind.Nuclear)
                throw new NormException(NormError.BadOrd, $"ord_kind: unknown code {ordKind}");
            return (int)MatrixNorms.Compute(x, rowAxis, colAxis, new Ord((OrdKind)ordKind, p), o);
        }
        catch (Exception e) { return Fail(e); }
    }

    private static NdView View(byte* obj, int dtype, string name)
    {
        if (obj == null) throw new NormException(NormError.NullPointer, $"{name}: NULL");
        if (s_offData < 0) throw new NormException(NormError.InvalidArgument, "the object layout has not been declared");
        if (!DTypes.IsValid(dtype)) throw new NormException(NormError.BadDType, $"{name}: unknown dtype code {dtype}");
        int nd = *(int*)(obj + s_offNd);
        if (nd < 0 || nd > NdView.MaxRank)
            throw new NormException(NormError.InvalidArgument, $"{name}: nd {nd} is outside [0, {NdView.MaxRank}]");
        void* data = *(void**)(obj + s_offData);
        long* dims = *(long**)(obj + s_offDims);
        long* strides = *(long**)(obj + s_offStrides);
        if (nd > 0 && (dims == null || strides == null))
            throw new NormException(NormError.NullPointer, $"{name}: dimensions or strides is NULL");
        return new NdView(data, (DType)dtype, new ReadOnlySpan<long>(dims, nd), new ReadOnlySpan<long>(strides, nd));
    }

    private static int Fail(Exception e)
    {
        try
        {
            if (e is NormException ne) { LastError.Set(ne.Message); return (int)ne.Error; }
            LastError.Set($"internal error: {e.GetType().Name}: {e.Message}");
        }
        catch { /* the status still tells */ }
        return Status.Internal;
    }

    /// <summary>Status of the last <c>normnative_py_norm_full</c> on this thread (0 = success).</summary>
    [UnmanagedCallersOnly(EntryPoint = P + "last_status")]
    private static int LastStatus() => t_status;
}
