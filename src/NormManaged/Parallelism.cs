namespace NormManaged;

/// <summary>The library-wide limit on worker threads for large reductions. Results never depend
/// on it: work is split on a fixed block grid and partials combine in index order.</summary>
public static class Parallelism
{
    private static int s_max = Environment.ProcessorCount;

    /// <summary>Current limit (≥ 1).</summary>
    public static int MaxThreads => Volatile.Read(ref s_max);

    /// <summary>Sets the limit; n ≤ 0 restores the default (processor count). Returns the previous limit.</summary>
    public static int SetMaxThreads(int n) => Interlocked.Exchange(ref s_max, n <= 0 ? Environment.ProcessorCount : n);

    /// <summary>Runs <paramref name="body"/>(0 … parts−1) on up to <paramref name="threads"/> workers
    /// and ORs the floating-point events. Parts write disjoint outputs, so the result does not depend
    /// on scheduling.</summary>
    internal static FpEvents ForParts(int parts, int threads, Func<int, FpEvents> body)
    {
        var evs = new FpEvents[parts];
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = threads }, r => evs[r] = body(r));
        var all = FpEvents.None;
        foreach (var e in evs) all |= e;
        return all;
    }

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
