using NormManaged.Engine;
using Xunit;

namespace NormManaged.Tests;

/// <summary>The worker pool behind <see cref="Parallelism"/>: every part runs exactly once whatever the thread count,
/// nesting or number of concurrent callers; exceptions come back as themselves; the thread limit rules; idle workers
/// block.</summary>
public unsafe class WorkersTests
{
    private static readonly int[] PartCounts = { 1, 2, 3, 7, 8, 64, 1000 };
    private static readonly int[] ThreadCounts = { 1, 2, 3, 8 };

    [Fact]
    public void EveryPartRunsExactlyOnce()
    {
        foreach (int threads in ThreadCounts)
            foreach (int parts in PartCounts)
                for (int rep = 0; rep < 20; rep++)
                {
                    var hits = new int[parts];
                    Parallelism.For(parts, threads, i => Interlocked.Increment(ref hits[i]));
                    Assert.All(hits, h => Assert.Equal(1, h));

                    var hits2 = new int[parts];
                    FpEvents ev = Parallelism.ForParts(parts, threads, i =>
                    {
                        Interlocked.Increment(ref hits2[i]);
                        return (FpEvents)(1u << (i % 5));
                    });
                    Assert.All(hits2, h => Assert.Equal(1, h));
                    uint want = 0;
                    for (int i = 0; i < parts; i++) want |= 1u << (i % 5);
                    Assert.Equal(want, (uint)ev);
                }
    }

    [Fact]
    public void OutputRangesCoverEveryOutputOnce()
    {
        foreach (int threads in ThreadCounts)
            foreach (long outer in new long[] { 1, 2, 5, 31, 1000 })
            {
                var hits = new int[outer];
                Parallelism.ForOutputRanges(outer, threads, (lo, n) =>
                {
                    for (long k = lo; k < lo + n; k++) Interlocked.Increment(ref hits[k]);
                    return FpEvents.None;
                });
                Assert.All(hits, h => Assert.Equal(1, h));
            }
    }

    /// <summary>A part's exception reaches the caller as itself (a <see cref="NormException"/> keeps its error code
    /// through the C exports), not wrapped in an AggregateException as Parallel.For did.</summary>
    [Fact]
    public void PartExceptionIsRethrownAsItself()
    {
        foreach (int threads in ThreadCounts)
            foreach (int parts in new[] { 2, 3, 16 })
            {
                var e = Assert.Throws<NormException>(() => Parallelism.ForParts(parts, threads, i =>
                    i == parts - 1 ? throw new NormException(NormError.BadOrd, $"part {i}") : FpEvents.None));
                Assert.Equal(NormError.BadOrd, e.Error);
                Assert.Equal($"part {parts - 1}", e.Message);
                Assert.Throws<InvalidOperationException>(() => Parallelism.For(parts, threads, i =>
                {
                    if (i == 0) throw new InvalidOperationException("first");
                }));
                // the pool is usable afterwards
                var hits = new int[parts];
                Parallelism.For(parts, threads, i => Interlocked.Increment(ref hits[i]));
                Assert.All(hits, h => Assert.Equal(1, h));
            }
    }

    [Fact]
    public void NestedCallsRunAndDoNotDeadlock()
    {
        foreach (int threads in ThreadCounts)
        {
            const int outer = 6, inner = 5;
            var hits = new int[outer * inner];
            FpEvents ev = Parallelism.ForParts(outer, threads, i =>
                Parallelism.ForParts(inner, threads, k =>
                {
                    Parallelism.For(2, threads, _ => { });
                    Interlocked.Increment(ref hits[i * inner + k]);
                    return (FpEvents)(1u << (k % 3));
                }));
            Assert.All(hits, h => Assert.Equal(1, h));
            Assert.Equal(7u, (uint)ev);
        }
    }

    /// <summary>Several user threads share the pool (one owns it, the others run inline): a lost or doubled part
    /// changes the sum each caller checks.</summary>
    [Fact]
    public void ConcurrentCallersEachGetAllTheirParts()
    {
        const int callers = 8, calls = 400;
        int bad = 0;
        var ts = new Thread[callers];
        for (int t = 0; t < callers; t++)
        {
            int seed = t;
            ts[t] = new Thread(() =>
            {
                var rng = new Random(seed);
                for (int c = 0; c < calls; c++)
                {
                    int parts = rng.Next(1, 40), threads = ThreadCounts[rng.Next(ThreadCounts.Length)];
                    var sums = new long[parts];
                    FpEvents ev = Parallelism.ForParts(parts, threads, i =>
                    {
                        long s = 0;
                        for (int k = 0; k <= i * 50; k++) s += k;
                        sums[i] += s;
                        return i == parts - 1 ? FpEvents.Overflow : FpEvents.None;
                    });
                    for (int i = 0; i < parts; i++)
                        if (sums[i] != (long)(i * 50) * (i * 50 + 1) / 2) Interlocked.Increment(ref bad);
                    if (ev != FpEvents.Overflow) Interlocked.Increment(ref bad);
                }
            });
            ts[t].Start();
        }
        foreach (var t in ts) t.Join();
        Assert.Equal(0, bad);
    }
}

/// <summary>Runs alone: other test classes use the workers and change the thread limit too.</summary>
[CollectionDefinition(nameof(WorkersAloneTests), DisableParallelization = true)]
public sealed class WorkersAloneCollection { }

[Collection(nameof(WorkersAloneTests))]
public class WorkersAloneTests
{
    [Fact]
    public void ThreadLimitRules()
    {
        int caller = Environment.CurrentManagedThreadId;
        var ids = new int[16];
        Parallelism.For(16, 1, i => { Thread.SpinWait(2000); ids[i] = Environment.CurrentManagedThreadId; });
        Assert.All(ids, id => Assert.Equal(caller, id));
        // workers are created on demand, up to threads − 1
        Parallelism.For(3, 3, _ => { });
        Assert.True(Workers.Started >= 2);
        // the library limit is what kernels pass: a change between calls takes effect on the next call
        int old = Parallelism.SetMaxThreads(1);
        try
        {
            Parallelism.For(16, Parallelism.MaxThreads, i => { Thread.SpinWait(2000); ids[i] = Environment.CurrentManagedThreadId; });
            Assert.All(ids, id => Assert.Equal(caller, id));
        }
        finally { Parallelism.SetMaxThreads(old); }
        // with more workers started than a call may use, a call on t threads still runs on at most t threads
        Parallelism.For(8, 8, _ => { });
        foreach (int t in new[] { 2, 3 })
        {
            var used = new int[64];
            Parallelism.For(64, t, i => { Thread.SpinWait(5000); used[i] = Environment.CurrentManagedThreadId; });
            Assert.InRange(used.Distinct().Count(), 1, t);
        }
    }

    /// <summary>Workers spin only for a bounded window after a call, then block: a process that stops calling goes
    /// quiet. Linux only (reads the threads' CPU times from /proc).</summary>
    [Fact]
    public void IdleWorkersBlock()
    {
        if (!OperatingSystem.IsLinux()) return;
        for (int i = 0; i < 50; i++) Parallelism.For(4, 3, _ => Thread.SpinWait(100));
        Thread.Sleep(100);   // ≫ the spin window
        var before = WorkerTicks();
        Assert.NotEmpty(before);
        Thread.Sleep(300);
        var after = WorkerTicks();
        foreach (var (tid, ticks) in before)
            Assert.True(after.TryGetValue(tid, out long now) && now == ticks, $"worker {tid} used CPU while idle: {ticks} -> {now}");
    }

    /// <summary>utime + stime (clock ticks) of every "NormNative worker" thread of this process.</summary>
    private static Dictionary<string, long> WorkerTicks()
    {
        var r = new Dictionary<string, long>();
        foreach (string dir in Directory.GetDirectories("/proc/self/task"))
        {
            string comm;
            try { comm = File.ReadAllText(Path.Combine(dir, "comm")).Trim(); } catch (IOException) { continue; }
            if (!comm.StartsWith("NormNative work", StringComparison.Ordinal)) continue;
            string stat = File.ReadAllText(Path.Combine(dir, "stat"));
            string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields after the name: state(3) … utime(14) stime(15) → indices 11, 12 here
            r[Path.GetFileName(dir)] = long.Parse(f[11]) + long.Parse(f[12]);
        }
        return r;
    }
}
