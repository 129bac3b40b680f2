using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NormManaged;

namespace NormNative;

/// <summary>The C ABI (include/normnative.h). Thin shims: validate and translate descriptors, call
/// NormManaged, turn every exception into a status. No mathematics lives here.
/// <para>Every export, even a trivially safe one, has a catch-all: no managed exception can unwind
/// into a C caller. Caller memory (arrays, fp_events) is written only after every argument has
/// been validated.</para></summary>
internal static unsafe class Exports
{
    private const string P = "normnative_";

    [UnmanagedCallersOnly(EntryPoint = P + "version_number")]
    private static uint VersionNumber()
    {
        try { return Version.Number; } catch { return 0; }
    }

    [UnmanagedCallersOnly(EntryPoint = P + "abi_version")]
    private static int AbiVersion()
    {
        try { return Version.Abi; } catch { return 0; }
    }

    [UnmanagedCallersOnly(EntryPoint = P + "version_string")]
    private static byte* VersionString()
    {
        try { return Status.Ptr(Version.Utf8); } catch { return Status.Ptr("\0"u8); }
    }

    [UnmanagedCallersOnly(EntryPoint = P + "status_string")]
    private static byte* StatusString(int status)
    {
        try { return Status.Text(status); } catch { return Status.Ptr("\0"u8); }
    }

    [UnmanagedCallersOnly(EntryPoint = P + "last_error")]
    private static byte* LastErrorText()
    {
        try { return LastError.Get(); } catch { return Status.Ptr("\0"u8); }
    }

    [UnmanagedCallersOnly(EntryPoint = P + "set_num_threads")]
    private static int SetNumThreads(int n)
    {
        try { return Parallelism.SetMaxThreads(n); } catch { return 1; }
    }

    [UnmanagedCallersOnly(EntryPoint = P + "get_num_threads")]
    private static int GetNumThreads()
    {
        try { return Parallelism.MaxThreads; } catch { return 1; }
    }

    // The four norm exports keep their own frames free of stack buffers: a method with a stack
    // buffer gets a GS cookie, and when such an export is the very first call into the library
    // the runtime initialises the cookie during the call, after the prologue saved the old value,
    // so the epilogue's check fails fast. The buffers live in the NoInlining bodies below.

    [UnmanagedCallersOnly(EntryPoint = P + "vector_norm")]
    private static int VectorNorm(NativeArray* x, int* axes, int naxes, int ordKind, double p, NativeArray* output, uint* fpEvents)
    {
        try { return VectorBody(x, null, axes, naxes, ordKind, p, output, fpEvents); }
        catch (Exception e) { return Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = P + "matrix_norm")]
    private static int MatrixNorm(NativeArray* x, int rowAxis, int colAxis, int ordKind, double p, NativeArray* output, uint* fpEvents)
    {
        try { return MatrixBody(x, null, rowAxis, colAxis, ordKind, p, output, fpEvents); }
        catch (Exception e) { return Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = P + "vector_norm_dlpack")]
    private static int VectorNormDlpack(DLTensor* x, int* axes, int naxes, int ordKind, double p, NativeArray* output, uint* fpEvents)
    {
        try { return VectorBody(null, x, axes, naxes, ordKind, p, output, fpEvents); }
        catch (Exception e) { return Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = P + "matrix_norm_dlpack")]
    private static int MatrixNormDlpack(DLTensor* x, int rowAxis, int colAxis, int ordKind, double p, NativeArray* output, uint* fpEvents)
    {
        try { return MatrixBody(null, x, rowAxis, colAxis, ordKind, p, output, fpEvents); }
        catch (Exception e) { return Fail(e); }
    }

    /// <summary>x comes as a normnative_array (<paramref name="x"/>) or a DLTensor (<paramref name="t"/>).
    /// Shapes and strides are copied into this frame before validation.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int VectorBody(NativeArray* x, DLTensor* t, int* axes, int naxes, int ordKind, double p, NativeArray* output, uint* fpEvents)
    {
        LastError.Clear();
        long* buf = stackalloc long[4 * NdView.MaxRank];
        NdView xv = t != null ? DLTensor.ToView(t, "x", buf, buf + NdView.MaxRank) : NativeArray.ToView(x, "x", buf, buf + NdView.MaxRank);
        NdView ov = NativeArray.ToView(output, "out", buf + 2 * NdView.MaxRank, buf + 3 * NdView.MaxRank);
        return RunVector(xv, axes, naxes, ordKind, p, ov, fpEvents);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int MatrixBody(NativeArray* x, DLTensor* t, int rowAxis, int colAxis, int ordKind, double p, NativeArray* output, uint* fpEvents)
    {
        LastError.Clear();
        long* buf = stackalloc long[4 * NdView.MaxRank];
        NdView xv = t != null ? DLTensor.ToView(t, "x", buf, buf + NdView.MaxRank) : NativeArray.ToView(x, "x", buf, buf + NdView.MaxRank);
        NdView ov = NativeArray.ToView(output, "out", buf + 2 * NdView.MaxRank, buf + 3 * NdView.MaxRank);
        return RunMatrix(xv, rowAxis, colAxis, ordKind, p, ov, fpEvents);
    }

    private static int RunVector(in NdView xv, int* axes, int naxes, int ordKind, double p, in NdView ov, uint* fpEvents)
    {
        ulong mask = AxisMask(axes, naxes, xv.Rank);
        Ord ord = MakeOrd(ordKind, p);
        if (ord.Kind != OrdKind.P)
            throw new NormException(NormError.BadOrd, $"ord_kind: {(ord.Kind == OrdKind.Frobenius ? "NORMNATIVE_ORD_FRO" : "NORMNATIVE_ORD_NUC")} is not a vector norm order");
        FpEvents ev = VectorNorms.Compute(xv, mask, ord, ov);
        if (fpEvents != null) *fpEvents = (uint)ev;
        return Status.Ok;
    }

    private static int RunMatrix(in NdView xv, int rowAxis, int colAxis, int ordKind, double p, in NdView ov, uint* fpEvents)
    {
        if (xv.Rank < 2)
            throw new NormException(NormError.BadAxis, $"x: a matrix norm needs at least 2 dimensions, got ndim {xv.Rank}");
        int r = NormalizeAxis(rowAxis, xv.Rank, "row_axis"), c = NormalizeAxis(colAxis, xv.Rank, "col_axis");
        if (r == c) throw new NormException(NormError.BadAxis, $"row_axis and col_axis: both name axis {r} (Duplicate axes given)");
        Ord ord = MakeOrd(ordKind, p);
        if (ord.Kind == OrdKind.P && !(Math.Abs(p) is 1.0 or 2.0 || double.IsInfinity(p)))
            throw new NormException(NormError.BadOrd, $"p: {p} is not a matrix norm order (1, -1, 2, -2, inf, -inf, or ord_kind FRO/NUC)");
        FpEvents ev = MatrixNorms.Compute(xv, r, c, ord, ov);
        if (fpEvents != null) *fpEvents = (uint)ev;
        return Status.Ok;
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
