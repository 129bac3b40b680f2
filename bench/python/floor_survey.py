"""The NumPy floor beyond the benchmark table and the dtype x size x ord grid: axis reductions of every layout and
dtype, N-D axes, stacks of small matrices, rectangular and strided matrices, integer and bool vectors, general p.

Each case is timed side by side in one process (NormNative, then NumPy, best of five batches) and reported as
ratio = NumPy time / NormNative time; a ratio below 1.0 is a workload where NumPy is faster.

    PYTHONPATH=bindings/python /usr/bin/python3 bench/python/floor_survey.py [--quick] [--filter TEXT]

``bench_norm.py`` runs it in its full mode and writes the table into ``bench/results/python.md``.
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

import normnative

NP_NORM = np.linalg.norm


def _data(rng, shape, dtype):
    a = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        a = a + 1j * rng.standard_normal(shape)
    if np.dtype(dtype).kind in "iu":
        a = a * 40
    return a.astype(dtype)


def cases(quick: bool):
    """(group, name, x, ord, axis) for every surveyed workload."""
    rng = np.random.default_rng(5)
    out = []
    n = 30000
    for dt in ("int8", "uint8", "int32", "int64", "bool", "float16"):
        x = _data(rng, n, dt)
        for o in (None, 1, np.inf, -1, 0.5):
            out.append(("integer/bool/half vectors", f"{dt} n={n} ord={o}", x, o, None))
    for dt in ("float64", "float32", "complex128", "complex64"):
        x = _data(rng, n, dt)
        x[::7] = 0  # zeros (and their neighbours' subnormal intermediates) must not leave the fast kernels
        for o in (None, 1, np.inf, 0.5, 1.5, 2.5, 3, 1.7):
            out.append(("vectors with zeros", f"{dt} n={n}, every 7th zero, ord={o}", x, o, None))
    for dt in ("float64", "float32", "complex128", "complex64"):
        x = _data(rng, n, dt)
        for o in (7, 1.7, -3, 0.3):
            out.append(("general p", f"{dt} n={n} ord={o}", x, o, None))
    for dt in ("float64", "float32", "complex128"):
        a = _data(rng, (300, 300), dt)
        for layout, m in (("C", a), ("F", np.asfortranarray(a))):
            for ax in (0, 1):
                for o in ((None, 1, np.inf, 0, 3, 0.5, -1) if not quick else (None, 1, np.inf)):
                    out.append(("axis 300×300", f"{dt} {layout} axis={ax} ord={o}", m, o, ax))
    for dt in ("float64", "float32", "float16", "complex128", "complex64", "int8", "int32", "int64"):
        for shape in ((3000, 4), (3000, 16), (1000, 64)):
            a = _data(rng, shape, dt)
            ords = (None, 1, -1, 0.5, 1.7, 2.5, 3, -2.5) + (() if quick else (-3.3, 7))
            # the orders whose roots LanePow takes in lanes: real half-integers, complex whole orders
            ords += {"float64": (1.5, -1.5, 3.5), "complex128": (4, 5, 8)}.get(dt, ())
            for o in dict.fromkeys(ords):
                out.append(("short rows", f"{dt} {shape} axis=1 ord={o}", a, o, 1))
    # the integer/bool dtypes the loop above does not sample (bool: the orders with distinct kernels)
    for dt in ("uint8", "int16", "uint16", "uint32", "uint64", "bool"):
        for shape in ((3000, 4), (3000, 16), (1000, 64)):
            a = _data(rng, shape, dt)
            # general p (1.7, −2.5: the float64 kernels after widening, sampled by int8/int32/int64 above) in full runs
            ords = (None, 1, -1, 0.5) if dt == "bool" else (None, 1, -1, 0.5, 2.5, 3) + (() if quick else (1.7, -2.5))
            for o in ords:
                out.append(("short rows", f"{dt} {shape} axis=1 ord={o}", a, o, 1))
    # float64/int32 ord-1 lines just above the one-lane TwoSum limit (64)
    for dt in ("float64", "int32"):
        for shape in ((1000, 65), (1000, 100), (300, 200)):
            out.append(("short rows", f"{dt} {shape} axis=1 ord=1", _data(rng, shape, dt), 1, 1))
    # negative whole orders over short rows (the survey's −1 and −2.5 take lane kernels; −2, −3 did not)
    for dt, shape in (("float64", (3000, 4)), ("float64", (1000, 64)), ("int16", (3000, 4))):
        a = _data(rng, shape, dt)
        for o in (-2, -3):
            out.append(("short rows", f"{dt} {shape} axis=1 ord={o}", a, o, 1))
    # int16 layouts: F-order rows, .T columns, N-D views over one and two axes, one long-line guard
    a16 = _data(rng, (3000, 16), "int16")
    for o in (None, 1, 3):
        out.append(("int16 layouts", f"int16 (3000,16) F-order axis=1 ord={o}", np.asfortranarray(a16), o, 1))
        out.append(("int16 layouts", f"int16 (3000,16).T axis=1 ord={o}", a16.T, o, 1))
    x16 = _data(rng, (40, 50, 60), "int16")
    for ax in (0, 2, (0, 1), (1, 2)):
        for o in (None, 1):
            out.append(("int16 layouts", f"int16 (40,50,60) axis={ax} ord={o}", x16, o, ax))
    out.append(("int16 layouts", "int16 (300,500) axis=1 ord=3", _data(rng, (300, 500), "int16"), 3, 1))
    x3 = _data(rng, (50, 60, 70), "float64")
    for ax in (0, 1, 2, (0, 1), (1, 2), (0, 2)):
        out.append(("N-D axis", f"float64 (50,60,70) axis={ax}", x3, None, ax))
    for ax in ((0, 1), (1, 2), (2, 0)):
        for o in (1, np.inf, "nuc"):
            out.append(("N-D matrix axes", f"float64 (50,60,70) axis={ax} ord={o}", x3, o, ax))
    for dt in ("float64", "float32", "complex128"):
        for m in (2, 4, 10):
            s = _data(rng, (2000, m, m), dt)
            for o in (None, 1, np.inf, 2, -2, "nuc"):
                out.append(("stacks of matrices", f"{dt} 2000×{m}×{m} ord={o}", s, o, (1, 2)))
    for shape in ((1000, 8), (500, 20), (20, 500), (2000, 20)):
        a = _data(rng, shape, "float64")
        for o in (None, 1, np.inf, 2, -2, "nuc"):
            out.append(("rectangular matrices", f"float64 {shape[0]}×{shape[1]} ord={o}", a, o, None))
    a = _data(rng, (400, 400), "float64")[::2, ::2]
    for o in (None, 1, np.inf, 2, "nuc"):
        out.append(("strided matrices", f"float64 (400,400)[::2,::2] ord={o}", a, o, None))
    # 3-D axis 1: two kept axes that do not coalesce, run slab by slab with the columns kernels (Engine/Slabs.cs)
    for dt, ords in (("float32", (None, 1, np.inf, 0, -1)), ("float64", (0, 0.5, -1)), ("complex64", (np.inf,)),
                     ("complex128", (1, 0.5)), ("int16", (None,)), ("bool", (1,))):
        x = _data(rng, (40, 50, 60), dt)
        for o in ords:
            out.append(("3-D axis 1", f"{dt} (40,50,60) axis=1 ord={o}", x, o, 1))
    # complex columns: outputs adjacent, the reduced axis strided (C axis 0; 3-D axis 0 coalesces to one run of outputs)
    crng = np.random.default_rng(12)  # its own generator: the workloads above keep their data
    for dt in ("complex128", "complex64"):
        for shape, ax in (((4, 3000), 0), ((64, 1000), 0), ((40, 50, 60), 0)):
            c = _data(crng, shape, dt)
            for o in (None, 1, np.inf, -np.inf) + (() if quick else (0.5, -1, 2.5)):
                out.append(("complex columns", f"{dt} {shape} axis={ax} ord={o}", c, o, ax))
    # float32 ord 4 over many lines, real / integer columns (adjacent outputs)
    f4 = _data(rng, (3000, 16), "float32")
    out.append(("real columns", "float32 (3000,16) axis=1 ord=4", f4, 4, 1))
    for dt, ords in (("float32", (4, 1, -1, 1.5)), ("float64", (4, 3, 1.5, 1)), ("int16", (4, 3)), ("float16", (np.inf, 0))):
        c = _data(rng, (4, 3000), dt)
        for o in ords:
            out.append(("real columns", f"{dt} (4,3000) axis=0 ord={o}", c, o, 0))
    # negative whole orders over many short lines (session 12: sums a SIMD lane per line / per output)
    for dt in ("float64", "complex128", "float32", "int16"):
        for shape, ax in (((3000, 4), 1), ((4, 3000), 0)):
            x = _data(rng, shape, dt)
            for o in ((-2,) if dt.startswith("complex") else (-2, -3)):
                out.append(("negative whole orders", f"{dt} {shape} axis={ax} ord={o}", x, o, ax))
    return out


def survey(quick: bool, budget: float, text: str = "", progress=None):
    """[(group, name, NormNative seconds, NumPy seconds)] for the matching cases."""
    from bench_norm import timeit_best  # the table's timer (imported here: bench_norm imports this module)

    rows = []
    warnings.simplefilter("ignore", RuntimeWarning)  # ord < 0 over zeros: both libraries warn, by design
    for group, name, x, o, ax in cases(quick):
        if text and text not in f"{group} {name}":
            continue
        t_nn = timeit_best(lambda: normnative.norm(x, o, axis=ax), budget)
        t_np = timeit_best(lambda: NP_NORM(x, o, axis=ax), budget)
        rows.append((group, name, t_nn, t_np))
        if progress:
            progress.step(f"survey {name}")
    return rows


def survey_lines(rows) -> list:
    below = [r for r in rows if r[3] / r[2] < 1]
    lines = [f"### Beyond the grid: {len(below)} of {len(rows)} surveyed workloads below 1.0 (in bold)", "",
             "| group | workload | normnative | numpy | ratio |", "|---|---|---:|---:|---:|"]
    for group, name, a, b in rows:
        r = b / a
        cell = f"**{r:.2f}**" if r < 1 else f"{r:.2f}"
        lines.append(f"| {group} | {name} | {a * 1e6:.1f} µs | {b * 1e6:.1f} µs | {cell} |")
    lines.append("")
    return lines


def emit(lines, t0: float, out=None) -> int:
    """Print a sweep's Markdown lines and its wall time since ``t0``; also write them to ``out`` when given."""
    print("\n".join(lines))
    print(f"({time.perf_counter() - t0:.0f} s)")
    if out:
        Path(out).write_text("\n".join(lines) + "\n")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer axis ords and a smaller time budget")
    ap.add_argument("--filter", default="", help="only the cases whose 'group workload' contains this text")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    rows = survey(args.quick, 0.02 if args.quick else 0.05, args.filter)
    return emit(survey_lines(rows), t0)


if __name__ == "__main__":
    sys.exit(main())
