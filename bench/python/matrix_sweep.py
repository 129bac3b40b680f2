"""Matrix norms over structured matrices, side by side with NumPy: every matrix order × dtype × kind × size.

Random matrices are the easy case for singular-value routes; identity and diagonal matrices (clusters of equal
singular values), ones and low-rank matrices (exactly or numerically singular: sigma_min is noise, certificates
fail), small integers (exact line sums and ties) and zeros are where a route can fall to a slow fallback. Each cell is
timed in one process (NormNative, then NumPy, best of five batches); ratio = NumPy time / NormNative time.

    PYTHONPATH=bindings/python /usr/bin/python3 bench/python/matrix_sweep.py [--filter TEXT] [--below 1.0] [--out FILE.md]

About two minutes for the whole product.
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

import normnative

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_norm import timeit_best  # noqa: E402
from floor_survey import emit  # noqa: E402

ORDS = ("fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf)
DTYPES = ("float64", "float32", "complex128", "complex64")
KINDS = ("random", "eye", "diag", "ones", "ints", "rank 2", "zeros")
SIZES = (3, 10, 50, 200)


def matrix(kind: str, n: int, dtype: str, rng) -> np.ndarray:
    if kind == "eye":
        a = np.eye(n)
    elif kind == "diag":
        a = np.diag(rng.integers(1, 4, n).astype(float))
    elif kind == "ones":
        a = np.ones((n, n))
    elif kind == "ints":
        a = rng.integers(-9, 10, (n, n)).astype(float)
    elif kind == "rank 2":
        a = np.outer(rng.standard_normal(n), rng.standard_normal(n)) + np.outer(rng.standard_normal(n), rng.standard_normal(n))
    elif kind == "zeros":
        a = np.zeros((n, n))
    else:
        a = rng.standard_normal((n, n))
    if np.dtype(dtype).kind == "c":
        a = a + 1j * a.T
    return a.astype(dtype)


def sweep(text: str = "", budget: float = 0.01):
    rng = np.random.default_rng(3)
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for dt in DTYPES:
            for kind in KINDS:
                for n in SIZES:
                    a = matrix(kind, n, dt, rng)
                    for o in ORDS:
                        name = f"{dt} {kind} {n}x{n} ord={o}"
                        if text and text not in name:
                            continue
                        t_nn = timeit_best(lambda: normnative.norm(a, o), budget)
                        t_np = timeit_best(lambda: np.linalg.norm(a, o), budget)
                        out.append((dt, kind, n, o, t_nn, t_np))
    return out


def lines_for(rows, below: float) -> list:
    low = sorted((r for r in rows if r[5] / r[4] < below), key=lambda r: r[5] / r[4])
    lines = [f"### Matrix sweep: {len(low)} of {len(rows)} cells below {below:g}", "",
             "| dtype | kind | n | ord | normnative | numpy | ratio |", "|---|---|---:|---|---:|---:|---:|"]
    for dt, kind, n, o, a, b in low:
        lines.append(f"| {dt} | {kind} | {n} | {o} | {a * 1e6:.1f} µs | {b * 1e6:.1f} µs | {b / a:.2f} |")
    lines.append("")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--filter", default="", help="only the cells whose 'dtype kind NxN ord=O' contains this text")
    ap.add_argument("--below", type=float, default=1.0, help="list the cells whose ratio is below this")
    ap.add_argument("--budget", type=float, default=0.01, help="seconds per timing (five batches)")
    ap.add_argument("--out", help="also write the Markdown here")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    lines = lines_for(sweep(args.filter, args.budget), args.below)
    return emit(lines, t0, args.out)


if __name__ == "__main__":
    sys.exit(main())
