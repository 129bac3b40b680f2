using System.Runtime.InteropServices;
using NormManaged;

namespace NormNative;

/// <summary>The C ABI (include/normnative.h). Thin shims: translate descriptors, call NormManaged,
/// turn every exception into a status. No mathematics lives here.</summary>
internal static unsafe class Exports
{
    private const string P = "normnative_";
    private static readonly byte* VersionText = (byte*)Marshal.StringToCoTaskMemUTF8(Version.String);

    [UnmanagedCallersOnly(EntryPoint = P + "version_number")]
    private static uint VersionNumber() => Version.Number;

    [UnmanagedCallersOnly(EntryPoint = P + "abi_version")]
    private static int AbiVersion() => Version.Abi;

    [UnmanagedCallersOnly(EntryPoint = P + "version_string")]
    private static byte* VersionString() => VersionText;

    [UnmanagedCallersOnly(EntryPoint = P + "status_string")]
    private static byte* StatusString(int status) => Status.Text(status);

    [UnmanagedCallersOnly(EntryPoint = P + "last_error")]
    private static byte* LastErrorText() => LastError.Get();

    [UnmanagedCallersOnly(EntryPoint = P + "set_num_threads")]
    private static int SetNumThreads(int n) => Parallelism.SetMaxThreads(n);

    [UnmanagedCallersOnly(EntryPoint = P + "get_num_threads")]
    private static int GetNumThreads() => Parallelism.MaxThreads;

    [UnmanagedCallersOnly(EntryPoint = P + "vector_norm")]
    private static int VectorNorm(NativeArray* x, int* axes, int naxes, int ordKind, double p, NativeArray* output, uint* fpEvents)
    {
        LastError.Clear();
        try
        {
            if (fpEvents != null) *fpEvents = 0;
            NdView xv = NativeArray.ToView(x, "x");
            NdView ov = NativeArray.ToView(output, "out");
            ulong mask = AxisMask(axes, naxes, xv.Rank);
            FpEvents ev = VectorNorms.Compute(xv, mask, MakeOrd(ordKind, p), ov);
            if (fpEvents != null) *fpEvents = (uint)ev;
            return Status.Ok;
        }
        catch (Exception e) { return Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = P + "matrix_norm")]
    private static int MatrixNorm(NativeArray* x, int rowAxis, int colAxis, int ordKind, double p, NativeArray* output, uint* fpEvents)
    {
        LastError.Clear();
        try
        {
            if (fpEvents != null) *fpEvents = 0;
            NdView xv = NativeArray.ToView(x, "x");
            NdView ov = NativeArray.ToView(output, "out");
            int r = NormalizeAxis(rowAxis, xv.Rank, "row_axis"), c = NormalizeAxis(colAxis, xv.Rank, "col_axis");
            if (r == c) throw new NormException(NormError.BadAxis, "row_axis and col_axis: Duplicate axes given.");
            FpEvents ev = MatrixNorms.Compute(xv, r, c, MakeOrd(ordKind, p), ov);
            if (fpEvents != null) *fpEvents = (uint)ev;
            return Status.Ok;
        }
        catch (Exception e) { return Fail(e); }
    }

    private static Ord MakeOrd(int kind, double p)
    {
        if (kind < (int)OrdKind.P || kind > (int)OrdKind.Nuclear)
            throw new NormException(NormError.BadOrd, $"ord_kind: unknown code {kind}");
        return new Ord((OrdKind)kind, p);
    }

    private static int NormalizeAxis(int axis, int rank, string name)
    {
        if (axis < -rank || axis >= rank)
            throw new NormException(NormError.BadAxis, $"{name}: axis {axis} is out of bounds for array of dimension {rank}");
        return axis < 0 ? axis + rank : axis;
    }

    private static ulong AxisMask(int* axes, int naxes, int rank)
    {
        if (naxes == -1) return rank == 64 ? ulong.MaxValue : (1UL << rank) - 1;
        if (naxes < 0 || naxes > rank)
            throw new NormException(NormError.BadAxis, $"naxes: {naxes} is not in [0, ndim={rank}] or NORMNATIVE_ALL_AXES");
        if (naxes > 0 && axes == null) throw new NormException(NormError.NullPointer, "axes: NULL with naxes > 0");
        ulong mask = 0;
        for (int i = 0; i < naxes; i++)
        {
            int a = NormalizeAxis(axes[i], rank, $"axes[{i}]");
            if ((mask & (1UL << a)) != 0) throw new NormException(NormError.BadAxis, $"axes[{i}]: repeated axis {axes[i]}");
            mask |= 1UL << a;
        }
        return mask;
    }

    private static int Fail(Exception e)
    {
        try
        {
            if (e is NormException ne) { LastError.Set(ne.Message); return (int)ne.Error; }
            LastError.Set($"internal error: {e.GetType().Name}: {e.Message}");
        }
        catch { /* even formatting failed: the status still tells */ }
        return Status.Internal;
    }
}
