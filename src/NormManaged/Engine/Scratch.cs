namespace NormManaged.Engine;

/// <summary>One buffer of doubles kept between calls for kernels whose scratch is O(outputs) but too large for the
/// stack (e.g. <see cref="AcrossOutputs"/>' partial sums of four row parts). A fresh large array per call is not just
/// an allocation: the GC hands large-object memory back and forth, so every call page-faults on its first writes,
/// and once the process has a second (worker) thread each page given back costs a TLB shoot-down — on the 2-core
/// VM a (4,30000) axis-0 reduction spent ~90 % of its time there. A caller takes the buffer (or a new one when
/// another call holds it or it is too small) and returns it; the larger one is kept, up to <see cref="MaxKept"/>.
/// Contents are never read before a kernel writes them, so results do not depend on the buffer.</summary>
internal static class Scratch
{
    /// <summary>Largest buffer kept between calls (16 MiB): above that the kernel's input is ≥ 32× larger and the
    /// faults of a fresh array are a small share of the call.</summary>
    internal const long MaxKept = 1L << 21;

    private static double[]? s_kept;

    /// <summary>A buffer of at least <paramref name="length"/> doubles, contents undefined.</summary>
    public static double[] Rent(long length)
    {
        var a = Interlocked.Exchange(ref s_kept, null);
        if (a is not null && a.Length >= length) return a;
        if (a is not null) Return(a);
        return GC.AllocateUninitializedArray<double>((int)Math.Max(length, 1));
    }

    /// <summary>Gives a buffer from <see cref="Rent"/> back; it is kept when it is larger than the one kept now.</summary>
    public static void Return(double[] a)
    {
        if (a.Length > MaxKept) return;
        var cur = Volatile.Read(ref s_kept);
        if (cur is null || cur.Length < a.Length) Interlocked.CompareExchange(ref s_kept, a, cur);
    }
}
