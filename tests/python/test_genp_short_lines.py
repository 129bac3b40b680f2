"""General-p float64 norms of many short lines whose values repeat (the line memo of LaneSums, LaneMemo): every output
bit for bit equal to the same line reduced alone (the 1-D path), for lines over a few repeated values, np.ones, small
integers, random values (the memo switches itself off), random lines before repeated ones and after them, lines with
NaN, inf, signed zeros and subnormals among repeated values; C rows, F order, transposed views and strided views; 1
and 2 threads; plus a 100-digit reference on the distinct lines."""
import warnings

import numpy as np
import pytest

from _reference import norm_at_threads, ulp_error, vector_ref

ORDS = (1.7, -2.0, 0.5, -2.5, 3.3, 3.0, 4.0, -3.0, 1.5, 2.5)  # LaneSums; LaneIntSums (whole, half, negative whole)
ROWS = 1500


def _data(kind, n, rng):
    if kind == "repeats":
        return rng.choice(np.array([1.3, -0.7, 2.5, 0.1]), (ROWS, n))
    if kind == "ones":
        return np.ones((ROWS, n))
    if kind == "ints":
        return rng.integers(-3, 4, (ROWS, n)).astype(float)
    if kind == "random":
        return rng.standard_normal((ROWS, n))
    if kind == "random_then_repeats":
        a = rng.choice(np.array([1.3, -0.7]), (ROWS, n))
        a[:400] = rng.standard_normal((400, n))
        return a
    if kind == "repeats_then_random":
        a = rng.choice(np.array([1.3, -0.7]), (ROWS, n))
        a[700:] = rng.standard_normal((ROWS - 700, n))
        return a
    # specials among repeated values: NaN (two payloads), ±inf, ±0, a subnormal, huge and tiny values
    vals = np.array([1.3, -0.7, 0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, 1e300, 1e-300])
    a = rng.choice(vals, (ROWS, n), p=[0.3, 0.3, 0.05, 0.05, 0.02, 0.02, 0.02, 0.08, 0.08, 0.08])
    b = a.view(np.uint64)
    b[rng.random((ROWS, n)) < 0.01] = np.uint64(0x7FF8_0000_0000_0001)  # another NaN payload
    return a


def _alone(a, p):
    """Each line's 1-D result, computed once per distinct line (rows compared as bytes)."""
    import normnative

    u, inv = np.unique(a.view(np.uint64), axis=0, return_inverse=True)
    lines = u.view(np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = np.array([normnative.norm(np.array(line), p) for line in lines])
    return lines, res, res[inv.ravel()]


@pytest.mark.parametrize("kind", ["repeats", "ones", "ints", "random", "random_then_repeats", "repeats_then_random", "specials"])
@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 8, 9, 16, 40])
def test_repeated_lines_match_the_line_alone(kind, n):
    rng = np.random.default_rng(1000 + n)
    a = _data(kind, n, rng)
    for p in ORDS:
        lines, res, want = _alone(a, p)
        wide = np.zeros((ROWS, 2 * n), order="C")
        wide[:, ::2] = a
        layouts = [(a, 1), (np.asfortranarray(a), 1), (np.ascontiguousarray(a.T).T, 1), (a.T, 0), (wide[:, ::2], 1)]
        for x, axis in layouts:
            for got in norm_at_threads((1, 2), x, p, axis=axis):
                assert got.dtype == np.float64
                diff = np.flatnonzero(got.view(np.uint64) != want.view(np.uint64))
                assert diff.size == 0, (kind, n, p, axis, diff[:5], got[diff[:5]], want[diff[:5]])
        if kind in ("repeats", "ints") and n <= 4:
            for line, r in list(zip(lines, res))[:20]:
                if np.all(np.isfinite(line)) and (p > 0 or np.all(line != 0)):
                    assert ulp_error(r, vector_ref(line, p), np.dtype(np.float64)) <= 1.0, (line, p, r)
