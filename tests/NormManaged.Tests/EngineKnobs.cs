using NormManaged.Kernels;

namespace NormManaged.Tests;

/// <summary>The engine settings results must not depend on: the vector width of the power/abs loops
/// (Vector512 when AVX-512 is there) and the thread count.</summary>
internal static class EngineKnobs
{
    /// <summary>Every (wide, threads) configuration to compare.</summary>
    public static IEnumerable<(bool Wide, int Threads)> Configurations()
    {
        foreach (bool wide in new[] { true, false })
            foreach (int threads in new[] { 1, 2, 3 })
                yield return (wide, threads);
    }

    /// <summary>Runs <paramref name="f"/> under one configuration and restores the previous one.</summary>
    public static T With<T>((bool Wide, int Threads) c, Func<T> f)
    {
        bool saved = RealKernels.Wide;
        int old = Parallelism.SetMaxThreads(c.Threads);
        RealKernels.Wide = c.Wide && System.Runtime.Intrinsics.X86.Avx512F.IsSupported;
        try { return f(); }
        finally { Parallelism.SetMaxThreads(old); RealKernels.Wide = saved; }
    }
}
