"""Thread cliffs: shapes just above the parallel thresholds, timed at 1 and at 2 threads next to NumPy.

A kernel that splits work over the pool must never make a call much slower than running it on one thread (session
15 found (4,30000) float64 ord 1 axis 0 at 2 threads 16× slower than at 1: a fresh large array per call page-faulted
once a worker thread existed). This sweeps every layout family (short columns, short rows, Fortran order, long rows,
long strided columns, each axis of a 3-D (k,N,k) array, lone vectors) at totals around the thresholds for the chosen
dtypes and orders, and prints the cells where 2 threads is more than ``--slack`` slower than 1 thread, or where 2
threads is below NumPy (ratio = NumPy time / NormNative time < ``--below``).

    PYTHONPATH=bindings/python /usr/bin/python3 bench/python/thread_cliffs.py [--dtypes float64,float32]
        [--ords None,1,inf] [--filter TEXT] [--totals 120000,400000] [--k 2,4,8] [--budget 0.004] [--all]

Each cell is timed in alternating batches (1 thread, 2 threads, NumPy; best of five); flagged cells are timed again
with three times the budget and reported only if still flagged, so a noisy moment on the shared machine does not
show up as a cliff. About a minute for the defaults; narrow with --dtypes/--ords/--filter.

On a loaded machine (other processes on both cores) every 2-thread time is inflated — the worker waits for a core —
so the time flags mean little there; ``--faults-only`` flags the cells whose 2-thread call page-faults more than the
1-thread call (a per-call buffer: the session-15 cliff showed 116 faults per call), which does not depend on load.
Session 15, load average 14–21 on 2 cores: 0 of 5040 cells (9 dtypes × 10 orders, totals 1.2e5 and 4e5, k = 2, 4,
8, every layout) flagged by faults after the AcrossOutputs fix, nor with totals of 2e6; before it, (k,N) float64 ord
1/2 columns (116 faults per call).
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
import warnings
from pathlib import Path

import numpy as np

import normnative

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floor_survey import _data  # noqa: E402  (the survey's data: normals, ×40 for integers)

DTYPES = ("float64", "float32", "complex128", "complex64", "float16", "int32")
ORDS = (None, 1, np.inf, -np.inf, 0, -1, 3, 0.5)
TOTALS = (120_000, 400_000)
KS = (2, 4, 8)


def layouts(k: int, total: int):
    """(name, shape, order, axis) for one short extent k and about ``total`` elements."""
    n = max(1, total // k)
    m = max(1, int(round((total / (k * k)))))
    return (
        (f"cols ({k},{n}) ax0", (k, n), "C", 0),
        (f"rows ({n},{k}) ax1", (n, k), "C", 1),
        (f"F rows ({n},{k}) ax1", (n, k), "F", 1),
        (f"F cols ({k},{n}) ax0", (k, n), "F", 0),
        (f"long rows ({k},{n}) ax1", (k, n), "C", 1),
        (f"long cols ({n},{k}) ax0", (n, k), "C", 0),
        (f"3-D ({k},{m},{k}) ax0", (k, m, k), "C", 0),
        (f"3-D ({k},{m},{k}) ax1", (k, m, k), "C", 1),
        (f"3-D ({k},{m},{k}) ax2", (k, m, k), "C", 2),
        (f"vector {k * n}", (k * n,), "C", None),
    )


def _ord(text: str):
    t = text.strip()
    if t == "None":
        return None
    if t in ("inf", "-inf"):
        return float(t)
    return float(t) if "." in t else int(t)


def _batch(f, number: int) -> float:
    t0 = time.perf_counter()
    for _ in range(number):
        f()
    return (time.perf_counter() - t0) / number


def faults(f, threads: int, number: int = 20) -> float:
    """Page faults per call (the whole process, every thread): a kernel that allocates and touches a fresh buffer per
    call shows here whatever the machine's load, where its time may drown in noise."""
    normnative.set_num_threads(threads)
    f()
    r0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(number):
        f()
    return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - r0) / number


def time_cell(x, o, ax, budget: float):
    """(1-thread, 2-thread, NumPy) seconds per call, best of five alternating batches."""
    nn = lambda: normnative.norm(x, o, axis=ax)  # noqa: E731
    npf = lambda: np.linalg.norm(x, o, axis=ax)  # noqa: E731
    normnative.set_num_threads(2)
    nn()
    normnative.set_num_threads(1)
    one = _batch(nn, 1)
    number = max(1, int(budget / max(one, 1e-7)))
    best = [float("inf")] * 3
    for _ in range(5):
        for i, (th, f) in enumerate(((1, nn), (2, nn), (0, npf))):
            if th:
                normnative.set_num_threads(th)
            best[i] = min(best[i], _batch(f, number))
    normnative.set_num_threads(0)
    return tuple(best)


def flagged(t, slack: float, below: float, flt=(0.0, 0.0)) -> str:
    t1, t2, tn = t
    why = []
    if flt[1] > flt[0] + 1:
        why.append(f"faults/call 2t {flt[1]:.0f} vs 1t {flt[0]:.0f}")
    if t2 > t1 * (1 + slack):
        why.append(f"2t/1t {t2 / t1:.2f}")
    if tn / t2 < below:
        why.append(f"vs NumPy {tn / t2:.2f}")
    return ", ".join(why)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dtypes", default=",".join(DTYPES))
    ap.add_argument("--ords", default=",".join(str(o) for o in ORDS), help="comma-separated: None,1,inf,-inf,0.5,…")
    ap.add_argument("--totals", default=",".join(map(str, TOTALS)), help="elements per call (about)")
    ap.add_argument("--k", default=",".join(map(str, KS)), help="short extents")
    ap.add_argument("--filter", default="", help="only cells whose 'dtype layout ord=O' contains this text")
    ap.add_argument("--slack", type=float, default=0.2, help="flag 2 threads slower than 1 thread by more than this")
    ap.add_argument("--below", type=float, default=1.0, help="flag 2-thread ratio (NumPy / ours) below this")
    ap.add_argument("--budget", type=float, default=0.004, help="seconds per batch")
    ap.add_argument("--all", action="store_true", help="print every cell, not only the flagged ones")
    ap.add_argument("--faults-only", action="store_true",
                    help="flag only page-fault cliffs (2 threads faulting more per call than 1): robust on a loaded machine")
    a = ap.parse_args(argv)
    if not hasattr(normnative, "set_num_threads"):
        print("normnative.set_num_threads is missing")
        return 2
    ords = [_ord(s) for s in a.ords.split(",")]
    if a.faults_only:
        a.slack, a.below = float("inf"), 0.0
    rng = np.random.default_rng(3)
    n_cells = 0
    hits = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for dt in a.dtypes.split(","):
            for total in (int(s) for s in a.totals.split(",")):
                for k in (int(s) for s in a.k.split(",")):
                    for name, shape, order, ax in layouts(k, total):
                        if name.startswith("vector") and k != int(a.k.split(",")[0]):
                            continue  # one vector per total
                        x = _data(rng, shape, dt)
                        if order == "F":
                            x = np.asfortranarray(x)
                        for o in ords:
                            label = f"{dt} {name} ord={o}"
                            if a.filter and a.filter not in label:
                                continue
                            n_cells += 1
                            f = lambda: normnative.norm(x, o, axis=ax)  # noqa: E731
                            flt = (faults(f, 1), faults(f, 2))
                            if a.faults_only and not flt[1] > flt[0] + 1 and not a.all:
                                continue
                            t = time_cell(x, o, ax, a.budget)
                            why = flagged(t, a.slack, a.below, flt)
                            if why:  # confirm with a longer look before reporting
                                t2 = time_cell(x, o, ax, 3 * a.budget)
                                t = tuple(min(u, v) for u, v in zip(t, t2))
                                why = flagged(t, a.slack, a.below, flt)
                            line = (f"{label:48s} 1t {t[0] * 1e6:8.1f}  2t {t[1] * 1e6:8.1f}  np {t[2] * 1e6:8.1f} µs"
                                    f"  2t/1t {t[1] / t[0]:5.2f}  np/2t {t[2] / t[1]:5.2f}")
                            if why:
                                hits.append(line + "   <- " + why)
                                print(hits[-1], flush=True)
                            elif a.all:
                                print(line, flush=True)
    print(f"{len(hits)} of {n_cells} cells flagged (page faults, 2t > 1t × {1 + a.slack:g} or NumPy / 2t < {a.below:g})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
