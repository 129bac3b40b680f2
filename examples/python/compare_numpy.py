"""examples/python/compare_numpy.py {demo,check,bench}: NormNative next to NumPy.

NumPy's own norm is the reference here (this script is not part of the installed package, whose
arithmetic all runs in libnormnative). Run with the package importable, e.g.
PYTHONPATH=bindings/python after ./build.sh build, or after installing the wheel.

  demo   a side-by-side table of values, errors in ulps and times on generated data (default)
  check  a parity self-check against the installed NumPy's norm over dtypes, views, ords,
         axes and keepdims (exit status 1 on a mismatch)
  bench  a short benchmark (call overhead, sizes, strides, ords), with a progress bar
"""
from __future__ import annotations

import argparse
import itertools
import sys
import time
import timeit
import warnings

import numpy as np

from normnative import __version__, norm


def _time(f, budget=0.05):
    n = 1
    while True:
        t = min(timeit.repeat(f, number=n, repeat=3))
        if t > budget or n > 1 << 20:
            return t / n
        n *= 4


def _fmt_t(s):
    return f"{s * 1e6:9.2f} us" if s < 1e-3 else f"{s * 1e3:9.2f} ms"


class _Bar:
    def __init__(self, total, label):
        self.total, self.n, self.label, self.t0 = total, 0, label, time.time()
        self.tty = sys.stderr.isatty()

    def update(self, k=1):
        self.n += k
        if self.tty or self.n == self.total:
            w = 30
            done = int(w * self.n / max(self.total, 1))
            sys.stderr.write(f"\r{self.label} [{'#' * done}{'.' * (w - done)}] {self.n}/{self.total} "
                             f"{time.time() - self.t0:5.1f}s")
            if self.n >= self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()


def demo() -> int:
    import numpy.linalg as npl  # the reference, for the side-by-side table only

    rng = np.random.default_rng(2026)
    v = rng.standard_normal(1_000_000)
    m = rng.standard_normal((300, 300))
    cases = [
        ("norm(v), n=1e6", lambda f: f(v)),
        ("norm(v[::3])", lambda f: f(v[::3])),
        ("norm(v[::-1])", lambda f: f(v[::-1])),
        ("norm(v, 1)", lambda f: f(v, 1)),
        ("norm(v, 3)", lambda f: f(v, 3)),
        ("norm(m, 2), 300x300", lambda f: f(m, 2)),
        ("norm(m.T, axis=0)[0]", lambda f: f(m.T, axis=0)[0]),
        ("norm(1e200 * v[:1000])", lambda f: f(1e200 * v[:1000])),
        ("norm(1e-200 * v[:1000])", lambda f: f(1e-200 * v[:1000])),
        ("norm(x10), small", lambda f: f(v[:10])),
    ]
    print(f"NormNative {__version__} next to NumPy {np.__version__}")
    hdr = f"{'case':26} {'normnative':>24} {'numpy':>24} {'diff':>10} {'t normnative':>12} {'t numpy':>12}"
    print(hdr)
    print("-" * len(hdr))
    for name, call in cases:
        try:
            a = float(call(norm))
            ta = _time(lambda: call(norm))
        except Exception as e:  # noqa: BLE001 - shown, not hidden
            print(f"{name:26} {'error: ' + str(e)[:60]}")
            continue
        with np.errstate(all="ignore"):
            b = float(call(npl.norm))
            tb = _time(lambda: call(npl.norm))
        if np.isfinite(a) and np.isfinite(b) and a != 0:
            d = f"{abs(a - b) / np.spacing(a):7.1f}ulp"
        else:
            d = "differs" if a != b else "0"
        print(f"{name:26} {a:24.17g} {b:24.17g} {d:>10} {_fmt_t(ta):>12} {_fmt_t(tb):>12}")
    return 0


def check() -> int:
    """Parity self-check: result type, dtype, shape, value (or exception class) vs numpy."""
    import numpy.linalg as npl

    rng = np.random.default_rng(1)
    base = rng.standard_normal((4, 5, 3))
    arrays = []
    for dt in (np.int32, np.float16, np.float32, np.float64, np.complex64, np.complex128):
        a = base.astype(dt) if np.dtype(dt).kind != "c" else (base + 1j * base[::-1]).astype(dt)
        arrays += [a[0], a[:, 0, :].T, a[0, ::2], a[0, 0, ::-1], a]
    ords = [None, "fro", "nuc", np.inf, -np.inf, 0, 1, -1, 2, -2, 3, 0.5]
    combos = [(x, o, ax, kd) for x in arrays for o in ords for ax in (None, 0, -1, (0, 1), (1, 0))
              for kd in (False, True)]
    bar = _Bar(len(combos), "parity")
    bad = 0
    for x, o, ax, kd in combos:
        bar.update()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                want = npl.norm(x, o, ax, kd)
            except Exception as e:  # noqa: BLE001
                want = e
            try:
                got = norm(x, o, ax, kd)
            except Exception as e:  # noqa: BLE001
                got = e
        if isinstance(want, Exception) or isinstance(got, Exception):
            ok = type(want) is type(got)
        else:
            ga, wa = np.asarray(got), np.asarray(want)
            tol = {2: 5e-3, 4: 1e-5}.get(wa.dtype.itemsize, 1e-12)
            ok = (type(got) is type(want) and ga.dtype == wa.dtype and ga.shape == wa.shape
                  and np.allclose(ga.astype(float), wa.astype(float), rtol=tol, atol=tol * 1e-3, equal_nan=True))
        if not ok:
            bad += 1
            if bad <= 20:
                print(f"MISMATCH x{x.shape} {x.dtype} ord={o!r} axis={ax!r} keepdims={kd}: "
                      f"normnative {got!r:.80} vs numpy {want!r:.80}")
    print(f"{len(combos) - bad}/{len(combos)} calls agree with NumPy {np.__version__}")
    return 1 if bad else 0


def bench() -> int:
    import numpy.linalg as npl

    rng = np.random.default_rng(3)
    x = rng.standard_normal(10**6)
    m = rng.standard_normal((500, 500))
    cases = [("norm(x), n=10", lambda f: f(x[:10])), ("norm(x), n=1e3", lambda f: f(x[:1000])),
             ("norm(x), n=1e6", lambda f: f(x)), ("norm(x[::3])", lambda f: f(x[::3])),
             ("norm(x[::-1])", lambda f: f(x[::-1])), ("norm(x, 1)", lambda f: f(x, 1)),
             ("norm(x, inf)", lambda f: f(x, np.inf)), ("norm(x, 3)", lambda f: f(x, 3)),
             ("norm(m, axis=0)", lambda f: f(m, axis=0)), ("norm(m, axis=1)", lambda f: f(m, axis=1)),
             ("norm(m, 1)", lambda f: f(m, 1)), ("norm(m, 2)", lambda f: f(m, 2))]
    bar = _Bar(len(cases), "bench")
    rows = []
    for name, call in cases:
        try:
            ta = _time(lambda: call(norm))
        except Exception:  # noqa: BLE001
            ta = float("nan")
        tb = _time(lambda: call(npl.norm))
        rows.append((name, ta, tb))
        bar.update()
    print(f"{'case':20} {'normnative':>12} {'numpy':>12} {'numpy/normnative':>17}")
    for name, ta, tb in rows:
        r = f"{tb / ta:8.2f}x" if ta == ta else "n/a"
        print(f"{name:20} {_fmt_t(ta) if ta == ta else 'n/a':>12} {_fmt_t(tb):>12} {r:>17}")
    print("The full benchmark: ./build.sh bench in the repository (bench/python/bench_norm.py).")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="compare_numpy.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", nargs="?", default="demo", choices=["demo", "check", "bench"],
                    help="what to run (default: demo)")
    args = ap.parse_args(argv)
    return {"demo": demo, "check": check, "bench": bench}[args.command]()


if __name__ == "__main__":
    sys.exit(main())
