using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace NormManaged.Engine;

/// <summary>The library's own fork–join pool behind <see cref="Parallelism"/>: dedicated background threads
/// (created on first need, named "NormNative worker k") that run the parts of one call next to the calling thread.
///
/// <para>Why not <c>Parallel.For</c>: the threaded kernels take 20–500 µs on two threads, and waking a thread-pool
/// thread per call (futex wake-up, the pool's own spinning and <c>sched_yield</c>) cost a large share of that — perf
/// of a (1000,1000) axis-0 2-norm showed ~20 % of samples in the hand-off. Here a worker that just finished a part
/// spins for a bounded window (<see cref="SpinTicks"/>) watching for the next call before it blocks, so a Python
/// loop of such calls hands off through one shared word; a process that stops calling goes quiet after the window.</para>
///
/// <para>Scheduling never changes results: the caller fixes the parts (the grid), each part writes its own outputs,
/// and threads merely claim part indices from one counter. The caller claims parts too, so a worker that is slow to
/// wake (a loaded machine) costs nothing: the caller then runs every part itself.</para>
///
/// <para>One call owns the pool at a time. A call that finds it busy — another user thread (Python threads,
/// C pthreads) or a part that itself splits work (nesting) — runs its parts inline on its own thread, so nothing
/// can deadlock. An exception in a part is captured, the remaining parts are skipped, and the first exception is
/// rethrown on the caller as itself (not wrapped), so the C exports map it to the same status as a serial run.</para>
///
/// <para>Since the caller never waits for a worker to start, a child process forked from a process that had
/// workers (Python multiprocessing) still completes its calls on its one thread; Parallel.For hung there.</para></summary>
internal static class Workers
{
    /// <summary>One call's parts. Never reused: a worker holding a stale reference can only find it fully claimed.</summary>
    private sealed class Job
    {
        public Action<int>? Act;
        public Func<int, FpEvents>? Fn;
        public int Parts;
        /// <summary>Workers 0 … Helpers−1 take part (the caller is the other thread).</summary>
        public int Helpers;
        /// <summary>Claim counter: the next part index to hand out (may run past <see cref="Parts"/>).</summary>
        public int Next;
        /// <summary>Parts not finished yet.</summary>
        public int Remaining;
        public uint Events;
        public Exception? Error;
        /// <summary>1 once the caller blocks on this job's monitor (the last finisher then pulses it).</summary>
        public int CallerBlocked;
    }

    /// <summary>A worker's wake-up word and monitor.</summary>
    private sealed class Slot
    {
        public int Sleeping;
    }

    /// <summary>At most this many dedicated threads.</summary>
    public const int MaxHelpers = 63;

    private static Job? s_job;
    private static int s_busy;
    private static Slot[] s_slots = [];
    private static readonly object s_startLock = new();

    /// <summary>How long a worker keeps watching for the next call after finishing its parts, and how long the
    /// caller spins for the last part before it blocks (Stopwatch ticks; 50 µs). Measured from a Python loop on the
    /// loaded 2-core machine (best of 3, µs): 1e6 float64 ord 1 took 107 / 109 / 53 / 53 / 58 with 0 / 10 / 25 / 50 /
    /// 100 µs windows, the 1e6 2-norm 118 / 124 / 64 / 64 / 120 — without a window the worker's futex wake-up
    /// (tens of µs under load) costs the whole second thread; past 50 µs nothing more is won.</summary>
    internal static long SpinTicks = Math.Max(1, Stopwatch.Frequency / 20_000);

    /// <summary>Number of dedicated threads started so far (tests).</summary>
    internal static int Started => Volatile.Read(ref s_slots).Length;

    /// <summary>Runs parts 0 … <paramref name="parts"/>−1 of <paramref name="act"/> or <paramref name="fn"/> on the
    /// calling thread and up to <paramref name="threads"/>−1 workers; returns the OR of <paramref name="fn"/>'s events.</summary>
    public static FpEvents Run(int parts, int threads, Action<int>? act, Func<int, FpEvents>? fn)
    {
        int helpers = Math.Min(Math.Min(threads, parts) - 1, MaxHelpers);
        if (helpers <= 0 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0) return Inline(parts, act, fn);
        try
        {
            Slot[] slots = EnsureStarted(helpers);
            helpers = Math.Min(helpers, slots.Length);
            if (helpers <= 0) return Inline(parts, act, fn);
            var j = new Job { Act = act, Fn = fn, Parts = parts, Helpers = helpers, Remaining = parts };
            Interlocked.Exchange(ref s_job, j);     // full fence: a worker going to sleep after this sees the job
            for (int i = 0; i < helpers; i++)
                if (Volatile.Read(ref slots[i].Sleeping) != 0) Wake(slots[i]);
            Work(j);
            WaitDone(j);
            Volatile.Write(ref s_job, null);
            if (j.Error is { } e) ExceptionDispatchInfo.Throw(e);
            return (FpEvents)j.Events;
        }
        finally { Volatile.Write(ref s_busy, 0); }
    }

    /// <summary>Pulses a sleeping worker. The caller never blocks on a worker's monitor: a worker holds it only
    /// for a moment (or forever in a child process forked while it did, where the worker does not exist). If the
    /// monitor stays taken the worker may miss this call — the caller then runs every part itself.</summary>
    private static void Wake(Slot s)
    {
        for (int k = 0; k < 64; k++)
        {
            if (Monitor.TryEnter(s))
            {
                try { Monitor.Pulse(s); } finally { Monitor.Exit(s); }
                return;
            }
            Thread.SpinWait(1);
        }
    }

    private static FpEvents Inline(int parts, Action<int>? act, Func<int, FpEvents>? fn)
    {
        var ev = FpEvents.None;
        if (act != null) for (int i = 0; i < parts; i++) act(i);
        else for (int i = 0; i < parts; i++) ev |= fn!(i);
        return ev;
    }

    /// <summary>Claims and runs parts of <paramref name="j"/> until none is left.</summary>
    private static void Work(Job j)
    {
        while (true)
        {
            int i = Interlocked.Increment(ref j.Next) - 1;
            if (i >= j.Parts) return;
            if (Volatile.Read(ref j.Error) == null)
            {
                try
                {
                    if (j.Act != null) j.Act(i);
                    else
                    {
                        var e = j.Fn!(i);
                        if (e != FpEvents.None) Interlocked.Or(ref j.Events, (uint)e);
                    }
                }
                catch (Exception ex) { Interlocked.CompareExchange(ref j.Error, ex, null); }
            }
            // full fence, then the flag: either the caller sees Remaining == 0 or this thread sees it blocked
            if (Interlocked.Decrement(ref j.Remaining) == 0 && Volatile.Read(ref j.CallerBlocked) != 0)
                lock (j) Monitor.Pulse(j);
        }
    }

    private static void WaitDone(Job j)
    {
        if (Volatile.Read(ref j.Remaining) == 0) return;
        // the parts still running were claimed by workers that are running them: about one part's time
        long until = Stopwatch.GetTimestamp() + SpinTicks;
        do
        {
            for (int k = 0; k < 32; k++)
            {
                if (Volatile.Read(ref j.Remaining) == 0) return;
                Thread.SpinWait(1);
            }
        } while (Stopwatch.GetTimestamp() < until);
        lock (j)
        {
            Interlocked.Exchange(ref j.CallerBlocked, 1);
            while (Volatile.Read(ref j.Remaining) != 0) Monitor.Wait(j);
        }
    }

    private static Slot[] EnsureStarted(int helpers)
    {
        Slot[] slots = Volatile.Read(ref s_slots);
        if (slots.Length >= helpers) return slots;
        lock (s_startLock)
        {
            slots = s_slots;
            if (slots.Length >= helpers) return slots;
            var grown = new Slot[helpers];
            Array.Copy(slots, grown, slots.Length);
            int n = slots.Length;
            if (n == 0) WarmRuntime();
            try
            {
                for (; n < helpers; n++)
                {
                    var s = new Slot();
                    var t = new Thread(Loop) { IsBackground = true, Name = $"NormNative worker {n}" };
                    grown[n] = s;
                    t.Start((s, n));
                }
            }
            catch (Exception)
            {
                // no more threads (resource limits): run with the ones there are
                Array.Resize(ref grown, n);
            }
            Volatile.Write(ref s_slots, grown);
            return grown;
        }
    }

    /// <summary>Runs, on the calling thread and before any worker exists, the runtime's UTF-8 string marshalling (the
    /// UTF8Encoding class constructor) and its environment lookup. Why: a new worker names itself through that
    /// marshalling, and the NativeAOT runtime (.NET 10) re-enters it when that first class constructor meets a
    /// contended constructor lock — the caller was running the kernels' own class constructors at the same moment —
    /// because the lock's first contention reads its spin setting from the environment through the very
    /// UTF8Encoding being constructed: a null dereference inside the runtime and an abort of the whole process. It hit
    /// 15 of 100 fresh Python processes whose first call was a general-p column reduction (0 of 100 after;
    /// tests/python/test_first_threaded_call.py). With those class constructors already run, the lock's first
    /// contention finds them done.</summary>
    private static void WarmRuntime()
    {
        _ = System.Text.Encoding.UTF8.GetByteCount("NormNative worker");
        _ = Environment.GetEnvironmentVariable("DOTNET_Lock_SpinCount");
    }

    private static void Loop(object? state)
    {
        var (slot, me) = ((Slot, int))state!;
        Job? seen = null;
        long until = 0;
        int polls = 0;
        while (true)
        {
            Job? j = Volatile.Read(ref s_job);
            if (j != null && j != seen && me < j.Helpers)
            {
                seen = j;
                Work(j);
                until = Stopwatch.GetTimestamp() + SpinTicks;
                continue;
            }
            // watch the job word with one pause per look (a new call is seen within ~0.1 µs), the clock every 32 looks
            if ((++polls & 31) != 0 || Stopwatch.GetTimestamp() < until)
            {
                Thread.SpinWait(1);
                continue;
            }
            // full fence, then the job word: either the caller sees Sleeping or this thread sees its job
            Interlocked.Exchange(ref slot.Sleeping, 1);
            lock (slot)
            {
                while (true)
                {
                    j = Volatile.Read(ref s_job);
                    if (j != null && j != seen && me < j.Helpers) break;
                    Monitor.Wait(slot);
                }
            }
            Volatile.Write(ref slot.Sleeping, 0);
        }
    }
}
