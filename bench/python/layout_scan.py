"""The NumPy floor over strided and transposed views (session 22): the sweeps time contiguous arrays, so views that
reach kernels only through their strides — every second row or column, reversed axes, slices, transposes — are
scanned here: six dtypes × six 2-D views of a (600, 800) array × axes None / 0 / 1 × ten vector orders, and the
matrix orders on three of the views (861 cells, ~4 min).

Each cell is timed side by side in one process (NormNative, then NumPy, best of five batches); ratio = NumPy time /
NormNative time, below 1.0 = NumPy is faster.

    PYTHONPATH=bindings/python /usr/bin/python3 bench/python/layout_scan.py [--below 1.0] [--out FILE.md] [--nd]

Prints the cells below ``--below`` (slowest first); ``--out`` also writes them as Markdown. ``--nd`` (session 24)
scans N-D views instead: ten dtypes (the integers and bool too) × six views of a (60, 80, 100) array — strided on two
axes, transposed, reversed, Fortran order — × every single axis and pair of axes (vector orders on one axis, Frobenius
and the matrix ±1 / ±∞ on two), 1800 cells, ~2 min. ``--orders`` (session 26) scans the orders the two scans above
skip — 1.5, 2.5, 4, 5, −0.5, −2.5, 0.3 — over seven 2-D and six N-D layouts of seven dtypes (637 cells, ~4 min): it
found complex64 columns of 100 values at 0.1–0.6× NumPy and float32 rows of 70 … 300 at 0.3–0.5×.
"""
from __future__ import annotations

import argparse
import timeit
import warnings

import numpy as np

import normnative

DTYPES = (np.float64, np.float32, np.complex128, np.complex64, np.int32, np.float16)
VECTOR_ORDS = (None, 1, np.inf, -np.inf, 0, 2, 1.7, 3, 0.5, -1)
MATRIX_ORDS = ("fro", 1, -1, np.inf, -np.inf, 2, "nuc")
VIEWS = {
    "[:, ::2]": lambda a: a[:, ::2],
    "[::2, :]": lambda a: a[::2, :],
    "[::2, ::3]": lambda a: a[::2, ::3],
    ".T": lambda a: a.T,
    "[::-1, ::-2]": lambda a: a[::-1, ::-2],
    "[:300, 1:401]": lambda a: a[:300, 1:401],
}
MATRIX_VIEWS = ("[::2, ::3]", ".T", "[:300, 1:401]")


def _best(f, number):
    return min(timeit.repeat(f, number=number, repeat=5)) / number


def _cell(v, o, axis, number):
    try:
        ours = _best(lambda: normnative.norm(v, o, axis), number)
        theirs = _best(lambda: np.linalg.norm(v, o, axis), number)
    except (ValueError, TypeError, np.linalg.LinAlgError):
        return None
    return ours, theirs


ND_DTYPES = DTYPES[:5] + (np.float16, np.int64, np.int16, np.uint8, np.bool_)
ND_VIEWS = {
    "[::2, :, ::3]": lambda a: a[::2, :, ::3],
    "transpose(2, 0, 1)": lambda a: a.transpose(2, 0, 1),
    "[:, ::-2, 1:]": lambda a: a[:, ::-2, 1:],
    "[..., ::2].T": lambda a: a[..., ::2].T,
    "C": lambda a: a,
    "F": np.asfortranarray,
}
ND_AXES = (0, 1, 2, (0, 1), (1, 2), (0, 2))
ND_ORDS = (None, 1, np.inf, 0, 2, 3, -1)


def _nd_cells(args):
    rng = np.random.default_rng(5)
    rows, total = [], 0
    for dt in ND_DTYPES:
        base = rng.standard_normal((60, 80, 100))
        if np.dtype(dt).kind == "c":
            base = base + 1j * rng.standard_normal(base.shape)
        a = base > 0.5 if dt is np.bool_ else (base * 50 if np.dtype(dt).kind in "iu" else base).astype(dt)
        for name, make in ND_VIEWS.items():
            v = make(a)
            for axis in ND_AXES:
                for o in ND_ORDS if isinstance(axis, int) else (None, 1, np.inf):
                    t = _cell(v, o, axis, 10)
                    if t is None:
                        continue
                    total += 1
                    if t[1] / t[0] < args.below:
                        rows.append((t[1] / t[0], np.dtype(dt).name, name, axis, o, t[0], t[1]))
        print(f"{np.dtype(dt).name}: {total} cells so far, {len(rows)} below {args.below}", flush=True)
    return rows, total


EXTRA_ORDS = (1.5, 2.5, 4, 5, -0.5, -2.5, 0.3)
EXTRA_DTYPES = (np.float64, np.float32, np.complex128, np.complex64, np.float16, np.int32, np.int64)
EXTRA_LAYOUTS = (  # (shape, Fortran order, view, axis)
    ((600, 800), False, "C", 0), ((600, 800), False, "C", 1), ((600, 800), True, "F", 0), ((600, 800), True, "F", 1),
    ((600, 800), False, "[::2, ::3]", 0), ((600, 800), False, "[::2, ::3]", 1), ((600, 800), False, "[:, ::2]", 0),
    ((60, 80, 100), True, "F", 2), ((60, 80, 100), False, "[:, ::-2, 1:]", 2), ((60, 80, 100), False, "[..., ::2].T", 2),
    ((60, 80, 100), False, "[..., ::2].T", 0), ((60, 80, 100), False, "[::2, :, ::3]", 0), ((60, 80, 100), False, "C", 1),
)


def _extra_cells(args):
    rng = np.random.default_rng(5)
    views = {"C": lambda a: a, "F": lambda a: a, **VIEWS, **ND_VIEWS}
    rows, total = [], 0
    for dt in EXTRA_DTYPES:
        arrays = {}
        for shape, fortran, name, axis in EXTRA_LAYOUTS:
            if (shape, fortran) not in arrays:
                base = rng.standard_normal(shape)
                if np.dtype(dt).kind == "c":
                    base = base + 1j * rng.standard_normal(shape)
                a = (base * 50 if np.dtype(dt).kind in "iu" else base).astype(dt)
                arrays[(shape, fortran)] = np.asfortranarray(a) if fortran else a
            v = views[name](arrays[(shape, fortran)])
            for o in EXTRA_ORDS:
                t = _cell(v, o, axis, 10)
                if t is None:
                    continue
                total += 1
                if t[1] / t[0] < args.below:
                    label = f"{name} {shape}" if name in ("C", "F") else name
                    rows.append((t[1] / t[0], np.dtype(dt).name, label, axis, o, t[0], t[1]))
        print(f"{np.dtype(dt).name}: {total} cells so far, {len(rows)} below {args.below}", flush=True)
    return rows, total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--below", type=float, default=1.0)
    ap.add_argument("--out", default=None)
    ap.add_argument("--nd", action="store_true", help="N-D views of a (60, 80, 100) array instead")
    ap.add_argument("--orders", action="store_true", help="the orders the other scans skip, over 2-D and N-D layouts")
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    if args.orders:
        rows, total = _extra_cells(args)
        _report(rows, total, args, "Order scan")
        return
    if args.nd:
        rows, total = _nd_cells(args)
        _report(rows, total, args, "N-D layout scan")
        return
    rng = np.random.default_rng(5)
    rows, total = [], 0
    for dt in DTYPES:
        base = rng.standard_normal((600, 800))
        if np.dtype(dt).kind == "c":
            base = base + 1j * rng.standard_normal((600, 800))
        if np.dtype(dt).kind == "i":
            base = base * 100
        a = base.astype(dt)
        for name, make in VIEWS.items():
            v = make(a)
            cells = [(axis, o, 20) for axis in (None, 0, 1) for o in VECTOR_ORDS if axis is not None or o is None]
            if name in MATRIX_VIEWS and dt is not np.float16:
                cells += [("matrix", o, 3 if o in (2, "nuc") else 20) for o in MATRIX_ORDS]
            for axis, o, number in cells:
                t = _cell(v, o, None if axis == "matrix" else axis, number)
                if t is None:
                    continue
                total += 1
                ratio = t[1] / t[0]
                if ratio < args.below:
                    rows.append((ratio, np.dtype(dt).name, name, axis, o, t[0], t[1]))
        print(f"{np.dtype(dt).name}: {total} cells so far, {len(rows)} below {args.below}", flush=True)
    _report(rows, total, args, "Layout scan")


def _report(rows, total, args, title):
    rows.sort(key=lambda r: r[0])
    lines = [f"# {title}: {len(rows)} of {total} cells below {args.below}", "",
             "| ratio | dtype | view | axis | ord | normnative | numpy |", "|---:|---|---|---|---|---:|---:|"]
    lines += [f"| {r[0]:.2f} | {r[1]} | `{r[2]}` | {r[3]} | {r[4]!r} | {r[5] * 1e6:.0f} µs | {r[6] * 1e6:.0f} µs |" for r in rows]
    print("\n".join(lines))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
