"""Concurrency (8 threads, bit-identical to serial; also calls that split work over the library's own workers),
thread-count invariance (1, 2, 3, 8 threads) and a leak check (RSS flat over 1e6 calls)."""
import os
import threading

import numpy as np

import normnative

RNG = np.random.default_rng(77)


def _calls():
    """Thousands of mixed calls: dtypes, ords, axes, views, sizes (some above thread thresholds)."""
    arrays = [RNG.standard_normal(n) for n in (1, 7, 10, 100, 4099)]
    arrays += [RNG.standard_normal((33, 17)), RNG.standard_normal((5, 6, 7))[:, ::2, ::-1],
               np.asfortranarray(RNG.standard_normal((40, 30))), RNG.standard_normal(300_000)[::3]]
    arrays += [a.astype(np.float32) for a in arrays[:6]] + [a.astype(np.float16) for a in arrays[:3]]
    arrays += [(RNG.standard_normal(50) + 1j * RNG.standard_normal(50)).astype(t) for t in (np.complex64, np.complex128)]
    arrays += [RNG.integers(-100, 100, 64).astype(t) for t in (np.int8, np.int32, np.int64, np.uint16)]
    calls = []
    for i, a in enumerate(arrays):
        for ord in (None, 2, 1, np.inf, -np.inf, 0, 3, 0.5, -1):
            calls.append((a, ord, None))
            calls.append((a, ord, -1))
        if a.ndim >= 2:
            for ord in (None, "fro", 1, -1, np.inf, 2, -2, "nuc"):
                calls.append((a, ord, (0, 1)))
    return calls * 12


def _run(call):
    a, ord, axis = call
    try:
        with np.errstate(all="ignore"):
            r = normnative.norm(a, ord, axis)
        return ("ok", np.asarray(r).dtype.str, np.asarray(r).tobytes())
    except Exception as e:  # noqa: BLE001 - errors must be as deterministic as values
        return ("raise", type(e).__name__, str(e))


def test_eight_threads_bit_identical_to_serial():
    calls = _calls()
    assert len(calls) >= 3000
    serial = [_run(c) for c in calls]
    results = [None] * 8
    order = [np.random.default_rng(t).permutation(len(calls)) for t in range(8)]
    barrier = threading.Barrier(8)

    def worker(t):
        barrier.wait()
        out = {}
        for i in order[t]:
            out[i] = _run(calls[i])
        results[t] = out

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for t in range(8):
        assert len(results[t]) == len(calls)
        for i, s in enumerate(serial):
            assert results[t][i] == s, (t, i, calls[i][1:], s[:2], results[t][i][:2])


def _rss_kib():
    with open(f"/proc/{os.getpid()}/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def test_rss_flat_over_a_million_small_calls():
    x = np.arange(10.0)
    y = np.arange(12.0).reshape(3, 4)
    norm = normnative.norm
    # Warm up until RSS stops rising: the managed heap of the library grows to its gen0 budget
    # (tens of MiB on a machine with a large L3) before its first collection, then stays flat.
    # A leak never plateaus, so it still shows below (the warm-up is capped).
    last = -1
    for _ in range(12):
        for _ in range(100_000):
            norm(x)
            norm(y, axis=1)
        now = _rss_kib()
        if now == last:
            break
        last = now
    before = _rss_kib()
    for _ in range(900_000):
        norm(x)
    for _ in range(100_000):
        norm(y, axis=1)
        norm(x, 2, 0)
    growth = _rss_kib() - before
    assert growth < 2048, f"RSS grew by {growth} KiB over 1.1e6 calls"


def _split_calls():
    """Calls whose kernels split work across threads (above their thresholds), with a few small ones between."""
    m = RNG.standard_normal((700, 600))
    f = np.asfortranarray(m)
    c = RNG.standard_normal((300, 400)) + 1j * RNG.standard_normal((300, 400))
    s = RNG.standard_normal((40, 90, 80))
    x = RNG.standard_normal(600_000)
    calls = [(m, o, ax) for o in (None, 1, np.inf, 3) for ax in (0, 1)]
    calls += [(m, 1, None), (m, np.inf, None), (f, None, 0), (f, 1, 1), (f, np.inf, None)]
    calls += [(x, None, None), (x, 1, None), (x, np.inf, None), (x, 3, None), (x, 0.5, None), (x[::3], None, None)]
    calls += [(x.astype(np.float32), None, None), (x.astype(np.float32), 3, None), (m.astype(np.float32), 1, 0)]
    calls += [(c, None, 0), (c, 1, 1), (c.astype(np.complex64), None, None), (c, np.inf, None)]
    calls += [(s, None, 1), (s, 1, 2), (s, np.inf, (1, 2)), ((m * 100).astype(np.int32), 1, 1)]
    calls += [(RNG.standard_normal(n), 2, None) for n in (5, 100)] + [(RNG.standard_normal((8, 9)), 1, 0)]
    return calls


def test_concurrent_callers_of_split_kernels_match_single_threaded():
    """Eight Python threads (the GIL is released during calls) make calls that split their work while the main
    thread keeps changing the thread limit: every result equals the single-threaded one. A part lost or run twice
    in a shared pool changes the bits."""
    calls = _split_calls()
    saved = normnative.get_num_threads()
    try:
        normnative.set_num_threads(1)
        serial = [_run(c) for c in calls]
        normnative.set_num_threads(2)
        assert [_run(c) for c in calls] == serial
        results = [None] * 8
        barrier = threading.Barrier(9)
        done = threading.Event()

        def worker(t):
            barrier.wait()
            rng = np.random.default_rng(100 + t)
            out = []
            for i in rng.integers(0, len(calls), 60):
                out.append((i, _run(calls[i])))
            results[t] = out

        threads = [threading.Thread(target=worker, args=(t,)) for t in range(8)]
        for th in threads:
            th.start()
        barrier.wait()
        k = 0
        while any(th.is_alive() for th in threads):
            normnative.set_num_threads(1 + k % 4)
            k += 1
            done.wait(0.002)
        for th in threads:
            th.join()
        for t in range(8):
            assert len(results[t]) == 60
            for i, r in results[t]:
                assert r == serial[i], (t, i, calls[i][1:], calls[i][0].shape, calls[i][0].dtype)
    finally:
        normnative.set_num_threads(saved)


def test_thread_count_does_not_change_results():
    x = RNG.standard_normal(3_000_000)
    m = RNG.standard_normal((2000, 700))
    calls = [(x, None, None), (x, 3, None), (x, 1, None), (m, None, 0), (m, 1, None)] + _split_calls()
    saved = normnative.get_num_threads()
    try:
        results = []
        for n in (1, 2, 3, 8):
            assert normnative.set_num_threads(n) >= 0 and normnative.get_num_threads() == n
            results.append([_run(c) for c in calls])
        for r in results[1:]:
            for i, (a, b) in enumerate(zip(results[0], r)):
                assert a == b, (i, calls[i][1:], calls[i][0].shape, calls[i][0].dtype)
    finally:
        normnative.set_num_threads(saved)


def test_forked_child_completes_split_calls():
    """A child forked after the library's workers started (multiprocessing's default on Linux) has none of them:
    its calls that split work must still finish, with the parent's bits. (Parallel.For hung there.)"""
    import time
    m = RNG.standard_normal((700, 600))
    x = RNG.standard_normal(600_000)
    saved = normnative.get_num_threads()
    normnative.set_num_threads(2)
    try:
        want = [normnative.norm(m, None, 0).tobytes(), normnative.norm(m, 1).tobytes(), normnative.norm(x, 1).tobytes()]
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                for _ in range(20):
                    got = [normnative.norm(m, None, 0).tobytes(), normnative.norm(m, 1).tobytes(),
                           normnative.norm(x, 1).tobytes()]
                    if got != want:
                        break
                else:
                    code = 0
            finally:
                os._exit(code)
        deadline = time.monotonic() + 30
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                raise AssertionError("forked child hung in a split call")
            time.sleep(0.01)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
    finally:
        normnative.set_num_threads(saved)
