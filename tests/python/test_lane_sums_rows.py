"""General-p float64/float32 norms of many short rows whose sums are made a SIMD lane per row (LaneSums): every output
against a 100-digit mpmath reference (float64 within 1 ulp, float32 correctly rounded) and bit for bit against the
same row reduced alone, for the brief's orders (0.01 ... 1000, -0.5 ... -7.5; the whole and half-integer ones keep
kernels of their own and are compared all the same) and general orders near the ends of the lanes' range; magnitudes
near 1e+-300 (1e+-38), subnormals, rows mixing huge and tiny values, zeros under negative orders, inf and NaN (values
and warnings as NumPy), row lengths around the 16 logical accumulators and the longest lines taken, row counts that
are not a multiple of the 8 lanes or the 32 roots, strided, reversed and F-order views, and 1/2/3 threads."""
import warnings
import zlib

import numpy as np
import pytest

import normnative
from _reference import recorded, ulp_error, vector_ref

ORDS = (0.01, 0.3, 1.7, 3.0, 4.0, 7.0, 33.3, 1000.0, -0.5, -3.0, -7.5, 0.25, -1000.0, -0.29)
LENGTHS = (1, 2, 3, 5, 8, 11, 12, 13, 15, 16, 17, 24, 31, 32, 33, 47, 64, 65, 70, 127, 128, 129)


def _bound(dtype):
    return 1.0 if np.dtype(dtype) == np.float64 else 0.5


def _rows(rows, n, dtype, kind, rng):
    single = np.dtype(dtype) == np.float32
    g = rng.standard_normal((rows, n))
    scale = {
        "normal": 1.0,
        "huge": 3e37 if single else 1e300,
        "tiny": 1e-38 if single else 1e-300,
        "subnormal": 1e-43 if single else 1e-315,
    }.get(kind)
    if scale is None:  # mixed: huge and tiny in one row
        span = 120 if single else 1000
        return (g * np.exp2(rng.integers(-span, span, (rows, n)).astype(float))).astype(dtype)
    return (g * scale).astype(dtype)


def _layouts(a):
    rows, n = a.shape
    wide = np.zeros((rows, 3 * n + 1), a.dtype)
    wide[:, : 3 * n : 3] = a
    return [(a, 1), (wide[:, : 3 * n : 3], 1), (a[::-1, ::-1], 1), (np.asfortranarray(a), 1), (np.ascontiguousarray(a.T), 0)]


def _check(x, p, axis, dtype, exact):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = normnative.norm(x, p, axis=axis)
        lines = x if axis == 1 else x.T
        alone = [normnative.norm(np.array(line), p) for line in lines]  # each row as a contiguous 1-D vector
    for i, line in enumerate(lines):
        assert got[i].tobytes() == alone[i].tobytes(), (i, p, got[i], alone[i])
        if i in exact:
            e = ulp_error(got[i], vector_ref(line, p), got.dtype)
            assert e <= _bound(dtype), (i, p, got[i], e)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("p", ORDS)
def test_rows_match_mpmath_and_each_row_alone(dtype, p):
    rng = np.random.default_rng(zlib.crc32(f"lanesums {np.dtype(dtype).str} {p}".encode()))
    for j, n in enumerate(LENGTHS):
        rows = int(rng.choice([8, 9, 15, 33, 41]))
        kind = ("normal", "huge", "tiny", "subnormal", "mixed")[j % 5]
        a = _rows(rows, n, dtype, kind, rng)
        exact = {0, rows - 1, int(rng.integers(rows))}
        for view, axis in _layouts(a):
            _check(view, p, axis, dtype, exact)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_special_rows_next_to_ordinary_ones(dtype):
    rng = np.random.default_rng(3)
    for p in (1.7, 33.3, -0.7, -2.2):
        for n in (3, 4, 16, 17, 32):
            a = rng.standard_normal((19, n)).astype(dtype)
            a[1, 0] = 0
            a[2, n - 1] = np.inf
            a[3, n // 2] = np.nan
            a[4] = 0
            a[5] = -np.inf
            a[6, 0], a[6, -1] = np.nan, 0
            a[7, 0] = -0.0
            got, ours = recorded(lambda: normnative.norm(a, p, axis=1))
            want, theirs = recorded(lambda: np.linalg.norm(a.astype(np.float64), p, axis=1).astype(dtype))
            assert {w.category for w in ours} == {w.category for w in theirs}
            for i in range(1, 8):
                if np.isfinite(want[i]) and want[i] != 0:  # a zero (p > 0) or an inf (p < 0) that adds 0
                    assert abs(got[i] - want[i]) <= 4 * np.spacing(want[i]), (p, n, i, got[i], want[i])
                else:
                    assert (np.isnan(got[i]) and np.isnan(want[i])) or got[i] == want[i], (p, n, i, got[i], want[i])
            for i in (0, 8, 18):
                assert ulp_error(got[i], vector_ref(a[i], p), got.dtype) <= _bound(dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_bits_do_not_depend_on_threads(dtype):
    rng = np.random.default_rng(11)
    old = normnative.get_num_threads()
    try:
        for n in (4, 12, 31):
            a = _rows(5003, n, dtype, "mixed", rng)
            a = a[:, ::-1] if n == 31 else a
            results = []
            for t in (1, 2, 3):
                normnative.set_num_threads(t)
                results.append(normnative.norm(a, 1.7, axis=1).tobytes())
            assert results[0] == results[1] == results[2]
        normnative.set_num_threads(1)
        one = normnative.norm(a, -3.3, axis=1)
        normnative.set_num_threads(3)
        assert normnative.norm(a, -3.3, axis=1).tobytes() == one.tobytes()
    finally:
        normnative.set_num_threads(old)
