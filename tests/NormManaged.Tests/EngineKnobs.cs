using NormManaged.Kernels;
using Xunit;

namespace NormManaged.Tests;

/// <summary>The engine settings results must not depend on: the vector width of the power/abs loops
/// (Vector512 when AVX-512 is there) and the thread count.</summary>
internal static class EngineKnobs
{
    /// <summary>Every (wide, threads) configuration to compare: 1, 2, 3 and 8 threads (more workers than this
    /// machine may have cores, and more than a kernel's grid may have parts).</summary>
    public static IEnumerable<(bool Wide, int Threads)> Configurations()
    {
        foreach (bool wide in new[] { true, false })
            foreach (int threads in wide ? new[] { 1, 2, 3 } : new[] { 1, 2, 8 })
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

/// <summary>The test classes that flip the engine's global knobs (<see cref="RealKernels.Wide"/>, IntWiden.Enabled,
/// ComplexNegative.UseVector, the SVD thresholds): xunit runs them one at a time after the parallel classes, so no other
/// test sees a knob flipped in the middle of its calls (OneRunFastPathTests once failed in a clean clone's full run
/// while another class had the width switched off).</summary>
[CollectionDefinition(nameof(EngineKnobsCollection), DisableParallelization = true)]
public sealed class EngineKnobsCollection { }
