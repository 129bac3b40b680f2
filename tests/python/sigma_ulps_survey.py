"""Survey: max ulp error of normnative.norm(A, 2) (sigma_max) per singular-value path, against a
256-bit reference (_sigma_ref.py). Not a test (slow); run
    PYTHONPATH=bindings/python /usr/bin/python3 tests/python/sigma_ulps_survey.py [N]
"""
import sys

import numpy as np

import normnative
from _sigma_ref import sigma_max, ulps


def unitary(rng, n, cplx):
    z = rng.standard_normal((n, n)) + (1j * rng.standard_normal((n, n)) if cplx else 0)
    q, r = np.linalg.qr(z)
    return q * (np.diag(r) / np.abs(np.diag(r)))


def make(rng, kind, m, n, cplx):
    """One matrix of the given class."""
    if kind == "randn":
        a = rng.standard_normal((m, n)) + (1j * rng.standard_normal((m, n)) if cplx else 0)
    elif kind == "uniform":
        a = rng.uniform(-1, 1, (m, n)) + (1j * rng.uniform(-1, 1, (m, n)) if cplx else 0)
    elif kind in ("illcond", "rankdef", "cluster"):
        k = min(m, n)
        if kind == "illcond":
            s = np.geomspace(1.0, 10.0 ** -rng.uniform(3, 15), k)
        elif kind == "rankdef":
            s = np.r_[rng.uniform(0.5, 1, max(1, k - 1 - rng.integers(0, k - 1) if k > 1 else 1)), np.zeros(k)][:k]
        else:
            s = 1.0 - np.r_[0.0, 10.0 ** -rng.uniform(4, 15, k - 1)]
        a = unitary(rng, m, cplx)[:, :k] @ np.diag(s) @ unitary(rng, n, cplx)[:k, :]
    elif kind == "int":
        a = rng.integers(-3, 4, (m, n)) + (1j * rng.integers(-3, 4, (m, n)) if cplx else 0)
        a = a.astype(np.complex128 if cplx else np.float64)
    else:
        raise ValueError(kind)
    return a


def survey(n_per, dtype, shapes, kinds, scales=None, stack=False, seed=1):
    rng = np.random.default_rng(seed)
    cplx = np.dtype(dtype).kind == "c"
    rdt = np.float32 if np.dtype(dtype) in (np.float32, np.complex64) else np.float64
    if scales is None:
        scales = (1.0, 1e200, 1e-200) if rdt == np.float64 else (1.0, 1e30, 1e-30)
    out = {}
    for (m, n) in shapes:
        for kind in kinds:
            worst = 0.0
            mats = []
            for i in range(n_per):
                a = make(rng, kind, m, n, cplx) * scales[i % len(scales)]
                a = a.astype(dtype)
                if not np.any(a):
                    continue
                mats.append(a)
            got = normnative.norm(np.stack(mats), 2, axis=(-2, -1)) if stack else [normnative.norm(a, 2) for a in mats]
            for a, g in zip(mats, got):
                e = ulps(g, sigma_max(a), rdt)
                worst = max(worst, e)
            out[(m, n, kind)] = worst
            print(f"{np.dtype(dtype).name:10} {m}x{n:<3} {kind:8} {'stack' if stack else 'single':6} max {worst:.3f} ulp ({len(mats)})",
                  flush=True)
    return out


if __name__ == "__main__":
    N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    kinds = ["randn", "uniform", "illcond", "rankdef", "cluster", "int"]
    small = [(2, 2), (3, 3), (2, 3), (3, 2), (1, 4), (4, 1)]
    mid = [(4, 4), (5, 3), (8, 8), (12, 12), (16, 10)]
    for dt in (np.complex128, np.complex64, np.float64, np.float32):
        survey(N, dt, small, kinds)
        survey(N, dt, [(2, 2), (3, 3)], kinds, stack=True)
        survey(max(N // 10, 10), dt, mid, kinds)
