using System.Diagnostics;

namespace NormManaged.Matrix;

/// <summary>Work split into a fixed number of parts per phase (parts write disjoint outputs).</summary>
internal interface IPhaseParts
{
    /// <summary>Runs part <paramref name="index"/> of the current phase.</summary>
    void Part(int index);
}

/// <summary>A calling thread and at most one helper from the thread pool running many short
/// fork–join phases (one per Householder step) without a task per phase: the caller publishes a
/// phase, both threads claim its parts through one compare-and-swap word, and the caller waits
/// until every part is done. The caller never waits for the helper to start: if the helper has
/// not arrived (busy pool, one core), the caller claims every part itself. Which thread runs a
/// part never changes what the part computes, so results do not depend on the thread count or
/// on scheduling.</summary>
internal sealed class PartTeam
{
    private readonly IPhaseParts _parts;
    // (phase << 8) | parts claimed so far
    private long _state;
    private int _count;
    private int _done;
    private volatile bool _stop;

    private PartTeam(IPhaseParts parts) => _parts = parts;

    /// <summary>A team for <paramref name="parts"/>, with a helper thread queued when
    /// <paramref name="threads"/> ≥ 2; call <see cref="Stop"/> when done (also on failure).</summary>
    public static PartTeam Start(IPhaseParts parts, int threads)
    {
        var t = new PartTeam(parts);
        if (threads >= 2)
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.HelperLoop(), t, preferLocal: false);
        return t;
    }

    /// <summary>Runs parts 0 … <paramref name="count"/>−1 (count ≤ 255) of a new phase and returns
    /// when all of them have finished.</summary>
    public void Run(int count)
    {
        _count = count;
        Volatile.Write(ref _done, 0);
        long phase = (Volatile.Read(ref _state) >> 8) + 1;
        Volatile.Write(ref _state, phase << 8);
        Work(phase);
        // the helper's part is about as long as the caller's: spin (no yield) for a while first
        long until = 0;
        var spin = new SpinWait();
        while (Volatile.Read(ref _done) < count)
        {
            if (until == 0) until = Stopwatch.GetTimestamp() + BusySpinTicks;
            if (Stopwatch.GetTimestamp() < until) Thread.SpinWait(8);
            else spin.SpinOnce(-1);
        }
    }

    // ~100 µs: longer than the caller's serial work between two phases (a reflector, O(m)),
    // so a helper that gets a core keeps it instead of yielding between phases
    private static readonly long BusySpinTicks = Math.Max(1, Stopwatch.Frequency / 10_000);

    /// <summary>Releases the helper (it leaves at its next look at the phase word).</summary>
    public void Stop() => _stop = true;

    private void Work(long phase)
    {
        while (true)
        {
            long s = Volatile.Read(ref _state);
            if (s >> 8 != phase) return;
            int c = (int)(s & 0xff);
            if (c >= Volatile.Read(ref _count)) return;
            if (Interlocked.CompareExchange(ref _state, s + 1, s) != s) continue;
            _parts.Part(c);
            Interlocked.Increment(ref _done);
        }
    }

    private void HelperLoop()
    {
        long seen = 0, until = Stopwatch.GetTimestamp() + BusySpinTicks;
        var spin = new SpinWait();
        while (!_stop)
        {
            long s = Volatile.Read(ref _state), p = s >> 8;
            if (p != seen)
            {
                seen = p;
                Work(p);
                spin.Reset();
                until = Stopwatch.GetTimestamp() + BusySpinTicks;
            }
            else if (Stopwatch.GetTimestamp() < until) Thread.SpinWait(8);
            else spin.SpinOnce(-1);
        }
    }
}
