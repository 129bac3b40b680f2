using NormManaged.Engine;

namespace NormManaged;

/// <summary>The library-wide limit on worker threads for large reductions, and the only way kernels run work on
/// several threads (<see cref="For"/>, <see cref="ForParts"/>, <see cref="ForOutputRanges"/>; the threads are the
/// library's own, see <see cref="Workers"/>). Results never depend on the limit: work is split on a fixed grid
/// chosen by the caller and partials combine in index order.</summary>
public static class Parallelism
{
    private static int s_max = Environment.ProcessorCount;

    /// <summary>Elements from which kernels whose element costs 1–5 ns split work over threads: a division, a square
    /// root, a complex magnitude or a double-double term per element, with a root per output of short lines. From 2¹³
    /// two threads pay for the hand-off (~1–2 µs); the general thresholds (2¹⁴–3·2¹⁵) kept (4, 3000) of such orders on
    /// one thread — float64 ord −2.5 47 µs against 28 on two, complex64 ord 1.7 39 against 22. The kernels that take
    /// it: DDColumns' short columns, Complex64Columns, AcrossOutputsWide's costly column ops, ComplexShortRows' costly
    /// orders, LaneAcross' complex128 lines.</summary>
    internal const long CostlyElements = 1L << 13;

    /// <summary>Current limit (≥ 1).</summary>
    public static int MaxThreads => Volatile.Read(ref s_max);

    /// <summary>Sets the limit; n ≤ 0 restores the default (processor count). Returns the previous limit.</summary>
    public static int SetMaxThreads(int n) => Interlocked.Exchange(ref s_max, n <= 0 ? Environment.ProcessorCount : n);

    /// <summary>Runs <paramref name="body"/>(0 … parts−1) on the calling thread and up to
    /// <paramref name="threads"/>−1 workers, and returns when every part has finished. Parts must write disjoint
    /// outputs. A call made while the workers are busy (another caller, or from inside a part) runs inline. An
    /// exception in a part is rethrown here as itself.</summary>
    internal static void For(int parts, int threads, Action<int> body) => Workers.Run(parts, threads, body, null);

    /// <summary><see cref="For"/> whose parts report floating-point events; returns their OR. Parts write
    /// disjoint outputs, so the result does not depend on scheduling.</summary>
    internal static FpEvents ForParts(int parts, int threads, Func<int, FpEvents> body) => Workers.Run(parts, threads, null, body);

    /// <summary><see cref="ForParts"/> over outputs [0, outer) cut into min(outer, 4·threads) equal
    /// ranges; <paramref name="body"/> gets (first output, count).</summary>
    internal static FpEvents ForOutputRanges(long outer, int threads, Func<long, long, FpEvents> body)
    {
        int ranges = (int)Math.Min(outer, 4L * threads);
        return ForParts(ranges, threads, r =>
        {
            long lo = outer * r / ranges, hi = outer * (r + 1) / ranges;
            return body(lo, hi - lo);
        });
    }
}
