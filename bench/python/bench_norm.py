"""NormNative vs NumPy (and scipy.linalg.norm where it applies), side by side in one process.

Writes bench/results/python.md (times and ratio = NumPy time / NormNative time; > 1 means
NormNative is faster) and bench/results/python_sweep.png (size sweep). Run it with
``./build.sh bench`` (BENCH_QUICK=1 for the quick mode, < 2 minutes).
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
import timeit
import tracemalloc
from pathlib import Path

import numpy as np

import normnative

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floor_survey import survey, survey_lines  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
NP_NORM = np.linalg.norm
try:
    import scipy
    import scipy.linalg

    def SP_NORM(x, ord=None, axis=None):
        return scipy.linalg.norm(x, ord=ord, axis=axis, check_finite=False)
except ImportError:  # pragma: no cover
    scipy = None
    SP_NORM = None


def timeit_best(f, budget: float) -> float:
    """Best time per call: calls batched to ~budget/5 seconds, best of 5 batches."""
    try:
        t0 = time.perf_counter()
        f()
        first = time.perf_counter() - t0
    except Exception:  # noqa: BLE001
        return float("nan")
    if first > 1.0:  # slow case: two single calls are enough
        t0 = time.perf_counter()
        f()
        return min(first, time.perf_counter() - t0)
    n = 1
    while True:
        t = timeit.timeit(f, number=n)
        if t > budget / 5 or n >= 1 << 22:
            break
        n *= 4 if t < budget / 50 else 2
    return min(timeit.repeat(f, number=n, repeat=5)) / n


def fmt_t(s: float) -> str:
    if s != s:
        return "n/a"
    if s < 1e-6:
        return f"{s * 1e9:.0f} ns"
    if s < 1e-3:
        return f"{s * 1e6:.2f} µs"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.2f} s"


class Progress:
    def __init__(self, total: int, quiet: bool = False):
        self.total, self.done, self.quiet, self.t0 = total, 0, quiet, time.time()

    def step(self, label: str):
        self.done += 1
        if self.quiet:
            return
        w = 30
        k = int(w * self.done / self.total)
        sys.stderr.write(f"\r[{'#' * k}{'.' * (w - k)}] {self.done}/{self.total} {time.time() - self.t0:5.0f}s {label[:40]:40}")
        if self.done == self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def workloads(quick: bool):
    rng = np.random.default_rng(5)
    big = 10**6 if quick else 10**7
    v10 = rng.standard_normal(10)
    vin = rng.standard_normal(4096)
    vbig = rng.standard_normal(big)
    v1m = vbig[: 10**6]
    f32 = v1m.astype(np.float32)
    c128 = (rng.standard_normal(10**6 // 2) + 1j * rng.standard_normal(10**6 // 2))
    m = rng.standard_normal((1000, 1000))
    mf = np.asfortranarray(m)
    t3 = rng.standard_normal((100, 100, 100))
    s22 = rng.standard_normal((10**5, 2, 2))
    s33 = rng.standard_normal((10**5, 3, 3))
    W = []  # (group, name, args, kwargs, scipy applies)
    W.append(("call overhead", "norm(x), n=10 float64", (v10,), {}, True))
    W.append(("call overhead", "norm(x, axis=0), n=10", (v10,), {"axis": 0}, True))
    W.append(("2-norm", "n=4096 float64 (in cache)", (vin,), {}, True))
    W.append(("2-norm", f"n={big:.0e} float64", (vbig,), {}, True))
    W.append(("2-norm", "n=1e6 float32", (f32,), {}, True))
    W.append(("2-norm", "n=5e5 complex128", (c128,), {}, True))
    W.append(("strided", "x[::2], x: 1e6", (v1m[::2],), {}, True))
    W.append(("strided", "x[::3], x: 1e6", (v1m[::3],), {}, True))
    W.append(("strided", "x[::-1], x: 1e6", (v1m[::-1],), {}, True))
    # float32 / complex64 views: NumPy copies them too; ours are read in place by the proven-rounding sums
    W.append(("strided", "float32 x[::2], x: 1e6", (f32[::2],), {}, True))
    W.append(("strided", "float32 x[::3], ord=1, x: 1e6", (f32[::3], 1), {}, True))
    W.append(("strided", "complex64 x[::2], x: 1e6", (c128.astype(np.complex64)[::2],), {}, True))
    for o in (1, np.inf, 3, 4, 0.5, 2.5):
        W.append(("vector ord", f"ord={o}, n=1e6", (v1m, o), {}, True))
    for o in (1.7, 0.3, -3.3):
        W.append(("general p", f"ord={o}, n=1e6", (v1m, o), {}, True))
    W.append(("general p", "ord=1.7, n=5e5 complex128", (c128, 1.7), {}, True))
    W.append(("general p", "ord=0.3 rows: (1000,1000) C, axis=1", (m, 0.3), {"axis": 1}, True))
    W.append(("axis", "rows: (1000,1000) C, axis=1", (m,), {"axis": 1}, True))
    W.append(("axis", "columns: (1000,1000) C, axis=0", (m,), {"axis": 0}, True))
    W.append(("axis", "rows: (1000,1000) F, axis=1", (mf,), {"axis": 1}, True))
    W.append(("axis", "columns: (1000,1000) F, axis=0", (mf,), {"axis": 0}, True))
    W.append(("axis", "Frobenius axis=(0,2) of (100,100,100)", (t3,), {"axis": (0, 2)}, True))
    for o in (1, np.inf, "fro"):
        W.append(("matrix", f"ord={o!r}, 1000x1000", (m, o), {}, True))
    for n in ((50, 200) if quick else (50, 200, 1000)):
        a = rng.standard_normal((n, n))
        for o in (2, "nuc"):
            W.append(("SVD", f"ord={o!r}, {n}x{n}", (a, o), {}, True))
    for name, s in (("2x2", s22), ("3x3", s33)):
        for o in (None, 2):
            W.append(("stacks", f"1e5 stack of {name}, ord={o}", (s, o), {"axis": (1, 2)}, False))
    # integer and bool input (NumPy converts to a float64 temporary first); no zeros, so negative ords do not warn
    mag = rng.integers(1, 101, 30000) * (rng.integers(0, 2, 30000) * 2 - 1)
    for dt in ("int8", "int32", "int64", "bool"):
        xi = np.ones(30000, bool) if dt == "bool" else mag.astype(dt)
        for o in ((None, 1, np.inf, -1, 0.5) if dt == "int8" else (None, 1, np.inf, -1)):
            W.append(("integers", f"{dt} n=3e4, ord={o}", (xi, o), {}, True))
    W.append(("integers", "int8 rows: (3000,10), axis=1", (mag.astype(np.int8).reshape(3000, 10),), {"axis": 1}, True))
    W.append(("integers", "int32 columns: (300,100), axis=0", (mag.astype(np.int32).reshape(300, 100),), {"axis": 0}, True))
    # axis reductions beyond the float64 2-/1-norm (dtype x ord x layout), and small-matrix stacks
    a64 = rng.standard_normal((300, 300))
    a32 = a64.astype(np.float32)
    a128 = a64 + 1j * rng.standard_normal((300, 300))
    for o in (None, 1, np.inf, 0, 3, 0.5):
        W.append(("axis ords", f"float32 (300,300) axis=0, ord={o}", (a32, o), {"axis": 0}, True))
    for o in (1, 3, 0.5, 0):
        W.append(("axis ords", f"float32 (300,300) axis=1, ord={o}", (a32, o), {"axis": 1}, True))
    for o in (np.inf, 0, 0.5):
        W.append(("axis ords", f"float64 (300,300) axis=0, ord={o}", (a64, o), {"axis": 0}, True))
    W.append(("axis ords", "float64 (300,300) axis=1, ord=0.5", (a64, 0.5), {"axis": 1}, True))
    for o in (1, np.inf, 0.5):
        W.append(("axis ords", f"complex128 (300,300) axis=0, ord={o}", (a128, o), {"axis": 0}, True))
    for dt, ms in (("float32", (2, 4, 10)), ("complex128", (2, 4))):
        for k in ms:
            s = rng.standard_normal((2000, k, k))
            s = s.astype(np.float32) if dt == "float32" else s + 1j * rng.standard_normal((2000, k, k))
            W.append(("axis ords", f"2000 stack of {k}x{k} {dt}, ord=None", (s, None), {"axis": (1, 2)}, False))
    for dt, k, o in (("float32", 4, np.inf), ("float32", 10, np.inf), ("complex128", 4, np.inf),
                     ("complex128", 10, np.inf), ("complex128", 10, 1)):
        s = rng.standard_normal((2000, k, k))
        s = s.astype(np.float32) if dt == "float32" else s + 1j * rng.standard_normal((2000, k, k))
        W.append(("axis ords", f"2000 stack of {k}x{k} {dt}, ord={o}", (s, o), {"axis": (1, 2)}, False))
    return W


def warm_up(seconds: float = 0.5) -> None:
    """Both libraries called for a while before the first timing: the first rows of a fresh process otherwise
    measured up to 1.8x slow (clock ramp-up, first-touch page faults), whichever library came first."""
    x = np.random.default_rng(0).standard_normal(4096)
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        normnative.norm(x)
        NP_NORM(x)


def run_workloads(quick: bool, budget: float, progress: Progress, rows: list):
    warm_up()
    for group, name, args, kw, sp in workloads(quick):
        t_nn = timeit_best(lambda: normnative.norm(*args, **kw), budget)
        t_np = timeit_best(lambda: NP_NORM(*args, **kw), budget)
        t_sp = timeit_best(lambda: SP_NORM(*args, **kw), budget) if (sp and SP_NORM) else float("nan")
        rows.append((group, name, t_nn, t_np, t_sp))
        progress.step(name)


def size_sweep(quick: bool, budget: float, progress: Progress):
    sizes = [10, 100, 1000, 10**4, 10**5, 10**6] + ([] if quick else [10**7])
    rng = np.random.default_rng(9)
    x = rng.standard_normal(sizes[-1])
    out = []
    for n in sizes:
        v = x[:n]
        out.append((n, timeit_best(lambda: normnative.norm(v), budget), timeit_best(lambda: NP_NORM(v), budget)))
        progress.step(f"sweep n={n}")
    return out


def peak_memory(gib: float):
    """Peak traced allocation (tracemalloc sees numpy's data buffers) for a large input."""
    n = int(gib * (1 << 30) / 8)
    x = np.ones(n)
    res = []
    for label, kw in (("ord=None", {}), ("ord=1", {"ord": 1}), ("ord=inf", {"ord": np.inf}), ("axis=0", {"axis": 0}),
                      ("x[::2]", {"_view": True})):
        row = [label]
        for f in (normnative.norm, NP_NORM):
            arg = x[::2] if kw.get("_view") else x
            kwargs = {k: v for k, v in kw.items() if k != "_view"}
            tracemalloc.start()
            try:
                f(arg, **kwargs)
                peak = tracemalloc.get_traced_memory()[1]
            except Exception:  # noqa: BLE001
                peak = float("nan")
            tracemalloc.stop()
            row.append(peak)
        res.append(row)
    del x
    return res, n * 8


def c_bandwidth(exe: str, mib: int) -> dict[int, float]:
    """GB/s of the plain C read loop (bench/bandwidth.c) over `mib` MiB, by thread count."""
    r = subprocess.run([exe, str(mib)], capture_output=True, text=True, check=False)
    out = {}
    for line in r.stdout.split("\n"):
        f = dict(kv.split("=") for kv in line.split())
        if "threads" in f:
            out[int(f["threads"])] = float(f["GB/s"])
    return out


def bandwidth_table(exe: str | None, budget: float, progress: Progress):
    """The float64 2-norm of a large array next to the plain C read loop over the same number of bytes, measured
    alternately (C, norm, C, norm, ...) so both see the same machine state. Returns rows
    (MiB, C GB/s 1 thread, C GB/s 2 threads, NormNative GB/s, NumPy GB/s)."""
    if not exe or not Path(exe).is_file():
        return []
    rows = []
    for mib in (80, 512):
        n = mib * (1 << 20) // 8
        x = np.ones(n)
        x[::7] = 3.0
        c1 = c2 = ours = theirs = 0.0
        for _ in range(3):
            bw = c_bandwidth(exe, mib)
            c1, c2 = max(c1, bw.get(1, 0.0)), max(c2, bw.get(2, 0.0))
            ours = max(ours, 8 * n / timeit_best(lambda: normnative.norm(x), budget) / 1e9)
            theirs = max(theirs, 8 * n / timeit_best(lambda: NP_NORM(x), budget) / 1e9)
        rows.append((mib, c1, c2, ours, theirs))
        del x
        progress.step(f"bandwidth {mib} MiB")
    return rows


def blas_info():
    try:
        import threadpoolctl

        return "; ".join(f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} threads={i.get('num_threads')}"
                         for i in threadpoolctl.threadpool_info())
    except ImportError:
        return "threadpoolctl not installed; OPENBLAS_CORETYPE=%s OPENBLAS_L2_SIZE=%s in this process" % (
            os.environ.get("OPENBLAS_CORETYPE", "(unset)"), os.environ.get("OPENBLAS_L2_SIZE", "(unset)"))


def plot(sweep, path: Path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ns = [n for n, _, _ in sweep]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.loglog(ns, [t for _, t, _ in sweep], "o-", label="normnative.norm")
    ax.loglog(ns, [t for _, _, t in sweep], "s--", label="numpy.linalg.norm")
    ax.set_xlabel("n (float64, contiguous)")
    ax.set_ylabel("time per call [s]")
    ax.set_title("2-norm: time per call vs size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


FLOOR_DTYPES = ("float64", "float32", "complex128", "complex64")
FLOOR_VECTOR_ORDS = (None, 1, np.inf, -np.inf, 0, 3, 0.5, 2.5, -1, -2, 1.7, 0.3, -3.3)  # the last three: general p
FLOOR_MATRIX_ORDS = (None, "fro", 1, -1, np.inf, -np.inf, 2, -2, "nuc")


def _floor_data(rng, dtype: str, shape):
    a = rng.standard_normal(shape)
    if dtype.startswith("complex"):
        a = a + 1j * rng.standard_normal(shape)
    return a.astype(dtype)


def floor_grid(budget: float, progress: Progress | None = None):
    """NumPy time / NormNative time for every dtype x size x ord, vectors (n = 10, 1000, 1e5) and square matrices
    (n = 4, 30, 300): the check that NumPy is the floor on every workload, small inputs included."""
    rng = np.random.default_rng(11)
    grids = []
    for kind, sizes, ords in (("vector", (10, 1000, 10**5), FLOOR_VECTOR_ORDS),
                              ("matrix", (4, 30, 300), FLOOR_MATRIX_ORDS)):
        rows = []
        for dt in FLOOR_DTYPES:
            for n in sizes:
                x = _floor_data(rng, dt, (n,) if kind == "vector" else (n, n))
                cells = []
                for o in ords:
                    t_nn = timeit_best(lambda: normnative.norm(x, o), budget)
                    t_np = timeit_best(lambda: NP_NORM(x, o), budget)
                    cells.append(t_np / t_nn)
                rows.append((dt, n, cells))
                if progress:
                    progress.step(f"floor {kind} {dt} {n}")
        grids.append((kind, ords, rows))
    return grids


def floor_lines(grids) -> list:
    def name(o):
        return "None" if o is None else (repr(o) if isinstance(o, str) else f"{o:g}")

    lines = []
    for kind, ords, rows in grids:
        below = sum(c < 1 for _, _, cells in rows for c in cells)
        total = sum(len(cells) for _, _, cells in rows)
        lines += [f"### {kind.capitalize()} norms: NumPy ÷ NormNative by dtype, size and ord "
                  f"({below} of {total} cells below 1.0, in bold)", "",
                  "| dtype | n | " + " | ".join(f"ord={name(o)}" for o in ords) + " |",
                  "|---|---:|" + "---:|" * len(ords)]
        for dt, n, cells in rows:
            size = f"{n}" if kind == "vector" else f"{n}×{n}"
            lines.append(f"| {dt} | {size} | " + " | ".join(f"**{c:.2f}**" if c < 1 else f"{c:.2f}" for c in cells) + " |")
        lines.append("")
    return lines


def filtered(quick: bool, budget: float, text: str) -> int:
    """Time the matching workloads only (for iterating on one kernel); print, write nothing."""
    print("| group | workload | normnative | numpy | ratio |")
    print("|---|---|---:|---:|---:|")
    for group, name, args, kw, _ in workloads(quick):
        if text not in f"{group} {name}":
            continue
        t_nn = timeit_best(lambda: normnative.norm(*args, **kw), budget)
        t_np = timeit_best(lambda: NP_NORM(*args, **kw), budget)
        print(f"| {group} | {name} | {fmt_t(t_nn)} | {fmt_t(t_np)} | {t_np / t_nn:.2f}× |", flush=True)
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller sizes and time budget (< 2 minutes)")
    ap.add_argument("--bandwidth", help="path of the compiled bench/bandwidth.c")
    ap.add_argument("--memory-gib", type=float, default=None, help="input size for the peak-memory table (default 1, quick 0.25)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results"), help="output directory")
    ap.add_argument("--quiet", action="store_true", help="no progress bar")
    ap.add_argument("--filter", help="only the workloads whose 'group workload' contains this text; "
                    "prints their table and writes nothing")
    ap.add_argument("--floor", action="store_true", help="only the dtype x size x ord floor grid; prints it, writes nothing")
    args = ap.parse_args(argv)
    quick = args.quick
    budget = 0.05 if quick else 0.3
    if args.floor:
        print("\n".join(floor_lines(floor_grid(0.02 if quick else 0.05))))
        return 0
    if args.filter:
        return filtered(quick, budget, args.filter)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    nwork = len(workloads(quick))
    nsweep = 6 if quick else 7
    nfloor = 2 * len(FLOOR_DTYPES) * 3
    progress = Progress(nwork + nsweep + nfloor + (2 if args.bandwidth else 0), args.quiet)
    rows = []
    run_workloads(quick, budget, progress, rows)
    sweep = size_sweep(quick, budget, progress)
    floor = floor_grid(0.02 if quick else 0.05, progress)
    surveyed = survey(quick, 0.02 if quick else 0.05)
    mem, mem_bytes = peak_memory(args.memory_gib or (0.25 if quick else 1.0))
    bw = bandwidth_table(args.bandwidth, budget, progress)

    lines = ["# Python benchmark: normnative vs NumPy" + (" (quick mode)" if quick else ""), ""]
    lines.append(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; Python {platform.python_version()}, "
                 f"NumPy {np.__version__}" + (f", SciPy {scipy.__version__}" if scipy else "") +
                 f", normnative {normnative.__version__}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    lines.append(f"BLAS: {blas_info()}")
    lines += ["", "Ratio = NumPy time / NormNative time (> 1: NormNative faster). n/a: not computed "
              "(an ord not yet implemented natively, or not applicable).", "",
              "| group | workload | normnative | numpy | scipy.linalg.norm | ratio |", "|---|---|---:|---:|---:|---:|"]
    for group, name, a, b, c in rows:
        ratio = f"{b / a:.2f}×" if a == a and b == b else "n/a"
        lines.append(f"| {group} | {name} | {fmt_t(a)} | {fmt_t(b)} | {fmt_t(c)} | {ratio} |")
    lines += ["", "## Size sweep (float64 2-norm, contiguous)", "", "| n | normnative | numpy | ratio | normnative GB/s |",
              "|---:|---:|---:|---:|---:|"]
    for n, a, b in sweep:
        lines.append(f"| {n:.0e} | {fmt_t(a)} | {fmt_t(b)} | {b / a:.2f}× | {8 * n / a / 1e9:.2f} |")
    lines += ["", f"![size sweep](python_sweep.png)", "", "## Every dtype, size and ord", ""] + floor_lines(floor)
    lines += survey_lines(surveyed)
    if bw:
        lines += ["## Large float64 2-norm against the machine's read bandwidth", "",
                  "Plain C read loop (`bench/bandwidth.c`: 64-bit integer sum, vectorised, 1 and 2 threads) over the "
                  "same number of bytes, measured alternately with the norms (best of three rounds each).", "",
                  "| input | C, 1 thread | C, 2 threads | normnative | % of C 2 threads | numpy | ratio |",
                  "|---:|---:|---:|---:|---:|---:|---:|"]
        for mib, c1, c2, ours, theirs in bw:
            lines.append(f"| {mib} MiB | {c1:.1f} GB/s | {c2:.1f} GB/s | {ours:.1f} GB/s | {100 * ours / c2:.0f} % | "
                         f"{theirs:.1f} GB/s | {ours / theirs:.2f}× |")
        lines.append("")
    lines += [
              f"## Peak traced memory, {mem_bytes / 2**30:.2f} GiB float64 input (tracemalloc)", "",
              "| call | normnative | numpy |", "|---|---:|---:|"]
    for label, a, b in mem:
        f = lambda v: "n/a" if v != v else f"{v / 2**20:.1f} MiB"  # noqa: E731
        lines.append(f"| norm(x{', ' + label if not label.startswith('x') else ''}) {'on ' + label if label.startswith('x') else ''} | {f(a)} | {f(b)} |")
    text = "\n".join(lines) + "\n"
    (out / "python.md").write_text(text)
    plot(sweep, out / "python_sweep.png")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
