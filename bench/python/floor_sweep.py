"""The NumPy floor swept systematically: every vector order × every dtype × short rows, short and long columns,
Fortran-order rows, each axis of a 3-D array, and lone vectors. ``floor_survey.py`` samples chosen workloads; this
sweep samples the whole product, so a (dtype, layout, ord) cell that falls off every fast kernel cannot stay hidden.

Each cell is timed side by side in one process (NormNative, then NumPy, best of five batches); ratio = NumPy time /
NormNative time, below 1.0 = NumPy is faster.

    PYTHONPATH=bindings/python /usr/bin/python3 bench/python/floor_sweep.py [--dtypes float64,int16] [--filter TEXT]
        [--below 1.0] [--budget 0.01] [--ords wide|P,P,...] [--out FILE.md]

Prints the cells below ``--below`` (slowest first) and a count per dtype × layout; ``--out`` also writes them as
Markdown (``./build.sh bench`` writes ``bench/results/sweep.md``). About 75 s for the whole product.
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
from floor_survey import _data, emit  # noqa: E402

DTYPES = ("float64", "float32", "float16", "complex128", "complex64", "int8", "int16", "int32", "int64", "uint8", "bool")
ORDS = (None, np.inf, -np.inf, 0, 1, -1, 2, -2, 3, -3, 0.5, -0.5, 1.5, 1.7, 2.5, -2.5, 4)
BOOL_ORDS = (None, 1, -1, 0.5, 2, np.inf, 0)  # bool: every other order is one of these kernels' arithmetic on 0/1
# --ords wide: orders beyond ORDS (small |p|, large whole and half-integer orders, |p| past the complex lane
# kernels' 32): session 20's scan of these found cells at 0.01-0.06x that the sweep's own orders never visit
WIDE_ORDS = (-0.5, -1.5, 0.3, -0.3, 0.25, -0.25, 0.75, -0.75, 1.2, 5, -4, 6.5, 10, -10, 20, -20, 100, -100, 1000)
# (name, shape, order, axis)
LAYOUTS = (
    ("rows (3000,4)", (3000, 4), "C", 1),
    ("rows (3000,16)", (3000, 16), "C", 1),
    ("rows (1000,64)", (1000, 64), "C", 1),
    ("cols (4,3000)", (4, 3000), "C", 0),
    ("cols (64,1000)", (64, 1000), "C", 0),
    ("F rows (1000,64)", (1000, 64), "F", 1),
    ("3-D (40,50,60) axis 0", (40, 50, 60), "C", 0),
    ("3-D (40,50,60) axis 1", (40, 50, 60), "C", 1),
    ("3-D (40,50,60) axis 2", (40, 50, 60), "C", 2),
    ("vector 100", (100,), "C", None),
    ("vector 30000", (30000,), "C", None),
)


DATA = ("random", "ones", "ints", "repeats")


def _structured(rng, shape, dtype, data: str):
    """Inputs whose values repeat: equal sums, ties and exact midpoints are where correctly rounded kernels hand
    lines to their slow exact routes, so random data alone would hide a kernel that falls off on ``np.ones``."""
    if data == "random":
        return _data(rng, shape, dtype)
    if data == "ones":
        a = np.ones(shape)
    elif data == "ints":
        a = rng.integers(-9, 10, shape).astype(float)
    else:  # "repeats": a few fixed non-integer values
        a = rng.choice(np.array([1.3, -0.7, 2.5, 0.1]), shape)
    if np.dtype(dtype).kind == "c":
        a = a + 1j * a[::-1] if a.ndim == 1 else a + 1j * np.flip(a, 0)
    return np.abs(a).astype(dtype) if np.dtype(dtype).kind in "ub" else a.astype(dtype)


def cells(dtypes=DTYPES, text: str = "", data: str = "random", ords=ORDS):
    """(dtype, layout, ord, x, axis) for every swept cell matching ``text``."""
    rng = np.random.default_rng(7)
    for dt in dtypes:
        for lname, shape, order, ax in LAYOUTS:
            x = _structured(rng, shape, dt, data)
            if order == "F":
                x = np.asfortranarray(x)
            for o in BOOL_ORDS if dt == "bool" and ords is ORDS else ords:
                if text and text not in f"{dt} {lname} ord={o}":
                    continue
                yield dt, lname, o, x, ax


def sweep(dtypes=DTYPES, text: str = "", budget: float = 0.01, data: str = "random", ords=ORDS):
    """[(dtype, layout, ord, NormNative seconds, NumPy seconds)]."""
    from bench_norm import timeit_best  # the table's timer (bench_norm imports floor_survey, not this module)

    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # ord < 0 over zeros: both libraries warn, by design
        for dt, lname, o, x, ax in cells(dtypes, text, data, ords):
            t_nn = timeit_best(lambda: normnative.norm(x, o, axis=ax), budget)
            t_np = timeit_best(lambda: np.linalg.norm(x, o, axis=ax), budget)
            out.append((dt, lname, o, t_nn, t_np))
    return out


def sweep_lines(rows, below: float = 1.0, data: str = "random", ords_name: str = "ORDS") -> list:
    """Markdown: a count of cells below ``below`` per dtype × layout, then those cells, slowest first."""
    low = sorted((r for r in rows if r[4] / r[3] < below), key=lambda r: r[4] / r[3])
    layouts = [name for name, *_ in LAYOUTS]
    dts = list(dict.fromkeys(r[0] for r in rows))
    lines = [f"### Systematic sweep ({data} data): {len(low)} of {len(rows)} cells below {below:g}", "",
             f"Cells below {below:g} per dtype (rows) and layout (columns), over every order of `{ords_name}`"
             + (" (bool: `BOOL_ORDS`)." if ords_name == "ORDS" else "."), "",
             "| dtype | " + " | ".join(layouts) + " |", "|---|" + "---:|" * len(layouts)]
    for dt in dts:
        counts = [sum(1 for r in low if r[0] == dt and r[1] == name) for name in layouts]
        lines.append(f"| {dt} | " + " | ".join(str(c) if c else "" for c in counts) + " |")
    lines += ["", "| dtype | layout | ord | normnative | numpy | ratio |", "|---|---|---|---:|---:|---:|"]
    for dt, lname, o, a, b in low:
        lines.append(f"| {dt} | {lname} | {o} | {a * 1e6:.1f} µs | {b * 1e6:.1f} µs | {b / a:.2f} |")
    lines.append("")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dtypes", default=",".join(DTYPES), help="comma-separated dtypes (default: all)")
    ap.add_argument("--filter", default="", help="only the cells whose 'dtype layout ord=O' contains this text")
    ap.add_argument("--below", type=float, default=1.0, help="list the cells whose ratio is below this")
    ap.add_argument("--budget", type=float, default=0.01, help="seconds per timing (five batches)")
    ap.add_argument("--data", default="random", choices=DATA,
                    help="random normals (default), ones, small integers, or a few repeated values")
    ap.add_argument("--ords", default="", help="'wide' (WIDE_ORDS) or comma-separated orders instead of ORDS")
    ap.add_argument("--out", help="also write the Markdown here")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    ords, name = ORDS, "ORDS"
    if args.ords == "wide":
        ords, name = WIDE_ORDS, "WIDE_ORDS"
    elif args.ords:
        ords, name = tuple(float(v) for v in args.ords.split(",")), args.ords
    rows = sweep(tuple(args.dtypes.split(",")), args.filter, args.budget, args.data, ords)
    lines = sweep_lines(rows, args.below, args.data, name)
    return emit(lines, t0, args.out)


if __name__ == "__main__":
    sys.exit(main())
