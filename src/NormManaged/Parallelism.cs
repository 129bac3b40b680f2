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
}
