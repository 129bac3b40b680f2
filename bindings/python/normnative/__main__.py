"""python3 -m normnative [demo]: NormNative next to NumPy on generated data."""
from __future__ import annotations

import argparse
import sys
import timeit

import numpy as np

from . import __version__, norm


def _time(f, budget=0.05):
    n, t = 1, 0.0
    while True:
        t = min(timeit.repeat(f, number=n, repeat=3))
        if t > budget or n > 1 << 20:
            return t / n
        n *= 4


def _fmt_t(s):
    return f"{s * 1e6:9.1f} us" if s < 1e-3 else f"{s * 1e3:9.2f} ms"


def demo() -> int:
    rng = np.random.default_rng(2026)
    v = rng.standard_normal(1_000_000)
    m = rng.standard_normal((1000, 1000))
    cases = [
        ("norm(v), n=1e6", lambda f: f(v)),
        ("norm(v[::3])", lambda f: f(v[::3])),
        ("norm(v[::-1])", lambda f: f(v[::-1])),
        ("norm(m.T, axis=0)[:1]", lambda f: f(m.T, axis=0)[0]),
        ("norm(1e200 * v[:1000])", lambda f: f(1e200 * v[:1000])),
        ("norm(1e-200 * v[:1000])", lambda f: f(1e-200 * v[:1000])),
        ("norm(x10), small", lambda f: f(v[:10])),
    ]
    import numpy.linalg as npl  # the reference, for the side-by-side table only

    print(f"NormNative {__version__} next to NumPy {np.__version__}")
    hdr = f"{'case':26} {'normnative':>24} {'numpy':>24} {'diff':>10} {'t normnative':>12} {'t numpy':>12}"
    print(hdr)
    print("-" * len(hdr))
    for name, call in cases:
        a = float(call(norm))
        b = float(call(npl.norm))
        if np.isfinite(a) and np.isfinite(b) and a != 0:
            d = f"{abs(a - b) / np.spacing(a):7.1f}ulp"
        else:
            d = "differs" if a != b else "0"
        ta = _time(lambda: call(norm))
        tb = _time(lambda: call(npl.norm))
        print(f"{name:26} {a:24.17g} {b:24.17g} {d:>10} {_fmt_t(ta):>12} {_fmt_t(tb):>12}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m normnative", description=__doc__)
    ap.add_argument("command", nargs="?", default="demo", choices=["demo"], help="what to run (default: demo)")
    args = ap.parse_args(argv)
    if args.command == "demo":
        return demo()
    return 2


if __name__ == "__main__":
    sys.exit(main())
