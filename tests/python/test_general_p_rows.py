"""General-p norms over an axis of many short lines (the roots taken eight lanes at a time): every output against a
100-digit (>= 330-bit) mpmath reference (float64 / complex128 within 1 ulp, float32 / complex64 correctly rounded) and
bit for bit against the same line reduced alone; orders 0.01 ... 1000 and -0.5 ... -7.5, magnitudes near 1e+-300
(1e+-38 for the narrow types), subnormals, lines mixing huge and tiny values, zeros with negative orders, inf and NaN
(values and warnings as NumPy), line lengths 1 ... 70 around the lane and block boundaries, row counts that are not a
multiple of the group, C rows, strided, reversed and adjacent (F-order) lines, and 1/2/3 threads."""
import math
import warnings
import zlib

import numpy as np
import pytest

import normnative
from _reference import recorded, ulp_error, vector_ref

ORDS = (0.01, 0.3, 1.7, 7.0, 33.3, 1000.0, -0.5, -3.0, -7.5)
RNG = np.random.default_rng(20261128)


def _bound(dtype):
    return 1.0 if np.dtype(dtype) in (np.float64, np.complex128) else 0.5


def _matrix(rows, n, dtype, kind, rng):
    narrow = np.dtype(dtype) in (np.float32, np.complex64)
    big = 1e37 if narrow else 1e300
    tiny = 1e-38 if narrow else 1e-300
    span = 120 if narrow else 1000

    def part():
        g = rng.standard_normal((rows, n))
        if kind == "huge":
            return g * big
        if kind == "tiny":
            return g * tiny
        if kind == "subnormal":
            return g * (1e-42 if narrow else 1e-315)
        if kind == "mixed":
            return g * np.exp2(rng.integers(-span, span, (rows, n)).astype(float))
        return g

    a = part()
    if np.dtype(dtype).kind == "c":
        a = a + 1j * part()
    return a.astype(dtype)


def _views(a):
    """The same lines as C rows, a strided view, reversed rows and adjacent (F-order) lines: (view, axis)."""
    rows, n = a.shape
    pad = np.zeros((rows, 2 * n + 1), a.dtype)
    pad[:, : 2 * n : 2] = a
    f = np.asfortranarray(a)
    return [(a, 1), (pad[:, : 2 * n : 2], 1), (a[:, ::-1], 1), (f, 1), (np.ascontiguousarray(a.T), 0)]


def _check_lines(x, p, axis, dtype, exact_rows):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = normnative.norm(x, p, axis=axis)
        lines = x if axis == 1 else x.T
        alone = [normnative.norm(line, p) for line in lines]  # the same memory as a 1-D view
    assert got.dtype == np.dtype(alone[0].dtype)
    for i, line in enumerate(lines):
        assert got[i].tobytes() == alone[i].tobytes(), (i, p, got[i], alone[i])
        if i in exact_rows:
            e = ulp_error(got[i], vector_ref(line, p), got.dtype)
            assert e <= _bound(dtype), (i, p, got[i], e)


@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.float32, np.complex64])
@pytest.mark.parametrize("p", ORDS)
def test_rows_match_mpmath_and_each_row_alone(dtype, p):
    rng = np.random.default_rng(zlib.crc32(f"{np.dtype(dtype).str} {p}".encode()))
    for n in (1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 70):
        rows = int(rng.choice([9, 17, 31, 33]))
        kind = ("normal", "huge", "tiny", "subnormal", "mixed")[n % 5]
        a = _matrix(rows, n, dtype, kind, rng)
        for view, axis in _views(a):
            _check_lines(view, p, axis, dtype, exact_rows=(0, rows - 1) if n > 33 else (0, rows // 2, rows - 1))


@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.float32])
def test_every_length_to_70(dtype):
    rng = np.random.default_rng(7)
    for n in range(1, 71):
        p = ORDS[n % len(ORDS)]
        a = _matrix(int(rng.integers(2, 40)), n, dtype, ("normal", "mixed")[n % 2], rng)
        _check_lines(a, p, 1, dtype, exact_rows=(0,))


@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.float32, np.complex64])
@pytest.mark.parametrize("p", (1.7, 0.3, -0.5, -3.0, -7.5, 33.3))
def test_special_rows_match_numpy(dtype, p):
    base = np.arange(1, 7, dtype=float) / 7
    # each special value first and last in a row of six, then all-zero and all-inf rows, then ordinary rows
    rows = [np.where(np.arange(6) == pos, special, base) for special in (0.0, np.inf, -np.inf, np.nan) for pos in (0, 5)]
    rows += [np.zeros(6), np.full(6, np.inf)]
    rows += [base] * 5
    a = np.array(rows).astype(dtype)
    if np.dtype(dtype).kind == "c":
        a[2, 3] = complex(np.inf, np.nan)  # |z| = inf
        a[3, 3] = complex(0, np.nan)
    for view, axis in ((a, 1), (np.asfortranarray(a), 1)):
        got, w_ours = recorded(lambda: normnative.norm(view, p, axis=axis))
        want, w_np = recorded(lambda: np.linalg.norm(view, p, axis=axis))
        assert got.dtype == want.dtype and got.shape == want.shape
        assert {type(m.message) for m in w_ours} == {type(m.message) for m in w_np}, (w_ours, w_np)
        for i in range(len(rows)):
            if np.isnan(want[i]) or np.isinf(want[i]) or want[i] == 0:
                assert (np.isnan(got[i]) and np.isnan(want[i])) or got[i] == want[i], (i, got[i], want[i])
            else:
                line = [math.inf if np.isinf(v) else v for v in view[i]]
                assert ulp_error(got[i], vector_ref(line, p), got.dtype) <= _bound(dtype), (i, got[i], want[i])
        _check_lines(view, p, axis, dtype, exact_rows=())
    # a huge row next to ordinary ones: NumPy overflows (inf and a warning), the exact norm is finite
    huge = np.array([base * (1e300 if np.dtype(dtype) in (np.float64, np.complex128) else 1e37)] + [base] * 8).astype(dtype)
    _check_lines(huge, p, 1, dtype, exact_rows=(0, 1))


@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.float32])
@pytest.mark.parametrize("p", (1.7, -7.5, 0.3))
def test_thread_count_does_not_change_bits(dtype, p):
    a = _matrix(3001, 16, dtype, "mixed", RNG)
    old = normnative.get_num_threads()
    try:
        results = set()
        for t in (1, 2, 3):
            normnative.set_num_threads(t)
            results.add(normnative.norm(a, p, axis=1).tobytes())
        assert len(results) == 1
    finally:
        normnative.set_num_threads(old)
