"""General orders over an axis of many short float32 / float16 lines (NarrowLaneSums: plain-double lanes, a result
stored only when provably the correctly rounded float32/float16, any other line reduced alone): every output
correctly rounded against 60-digit mpmath references and bit for bit the same line reduced alone, over magnitudes
across each format (subnormal float16 and float32, 65504 and the float32 top, mixed), zeros, inf and NaN (values and
warnings as NumPy's), line lengths 1 ... 65 (around the group of 8 lines and the longest line, 64), C rows, strided,
reversed and adjacent (F-order) lines, rows coalesced from two reduced axes, and 1/2/3 threads."""
import numpy as np
import pytest

import normnative
from _reference import recorded, ulp_error, vector_ref

RNG = np.random.default_rng(20261128)
SINGLE_ORDS = (1.7, 2.5, -2.5, 0.3, -0.7, 3.0, 3.3, 33.3, -999.9)
HALF_ORDS = (1.7, 2.5, -2.5, 0.5, 2.0, 3.0, -1.0, 0.3, 40.5)
LENGTHS = (1, 3, 4, 7, 8, 9, 16, 17, 33, 63, 64, 65)


def _rows(dtype, rows, n, kind):
    g = RNG.standard_normal((rows, n))
    top = 60000.0 if dtype == np.float16 else 3e38
    if kind == "wide":
        lo, hi = (-24, 15) if dtype == np.float16 else (-149, 126)
        g = g * np.exp2(RNG.integers(lo, hi, (rows, n)).astype(float))
    elif kind == "subnormal":
        g = g * (3e-6 if dtype == np.float16 else 1e-42)
    elif kind == "top":
        g = np.clip(g, -1, 1) * top
    elif kind == "zeros":
        g[RNG.random((rows, n)) < 0.3] = 0
    return g.astype(dtype)


def _kind(w):
    """A warning's class and event ('overflow', 'divide by zero', ...): a 1-D call says "scalar power"."""
    return w.category, str(w.message).split(" encountered")[0]


def _check(x, p, axis=1):
    """Ours against mpmath (correctly rounded) and against each line alone (bits)."""
    ours = normnative.norm(x, p, axis=axis)
    assert ours.dtype == x.dtype
    lines = np.moveaxis(x, axis, -1) if np.ndim(axis) == 0 else x.reshape(x.shape[0], -1)
    for i, line in enumerate(lines):
        alone = normnative.norm(np.ascontiguousarray(line), p)
        assert ours[i].tobytes() == np.asarray(alone, x.dtype).tobytes(), (p, i, line, ours[i], alone)
        exact = vector_ref([float(v) for v in line], p)
        assert ulp_error(float(ours[i]), exact, x.dtype) <= 0.5, (p, i, line, ours[i], exact)


@pytest.mark.parametrize("dtype,ords", [(np.float32, SINGLE_ORDS), (np.float16, HALF_ORDS)])
def test_rows_correctly_rounded_and_as_alone(dtype, ords):
    kinds = ("normal", "wide", "subnormal", "top", "zeros")
    with np.errstate(all="ignore"):
        for p in ords:
            for n in LENGTHS:
                kind = kinds[RNG.integers(len(kinds))]
                x = _rows(dtype, 9 + int(RNG.integers(12)), n, kind)
                layout = RNG.integers(4)
                if layout == 1:  # strided inside a wider array
                    w = np.zeros((x.shape[0], 3 * n), dtype)
                    w[:, ::3] = x
                    x = w[:, ::3]
                elif layout == 2:  # reversed rows
                    x = x[:, ::-1]
                elif layout == 3:  # adjacent lines: F order
                    x = np.asfortranarray(x)
                _check(x, p)


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_two_reduced_axes_and_columns(dtype):
    with np.errstate(all="ignore"):
        x = _rows(dtype, 24, 12, "wide").reshape(24, 3, 4)
        ours = normnative.vector_norm(x, axis=(1, 2), ord=1.7)  # coalesced into one line of 12
        for i in range(24):
            assert ours[i].tobytes() == np.asarray(normnative.norm(x[i].ravel(), 1.7), dtype).tobytes()
        _check(_rows(dtype, 16, 20, "normal").T.copy().T, -2.5)  # F-order rows
        _check(_rows(dtype, 5, 40, "normal"), 2.5, axis=0)  # columns: 40 lines of 5


@pytest.mark.parametrize("dtype,p", [(np.float32, 2.5), (np.float32, -2.5), (np.float32, 3.0), (np.float16, 1.7), (np.float16, -1.0)])
def test_threads_give_the_same_bits(dtype, p):
    x = _rows(dtype, 3001, 16, "wide")
    old = normnative.get_num_threads()
    try:
        results = []
        for t in (1, 2, 3):
            normnative.set_num_threads(t)
            with np.errstate(all="ignore"):
                results.append(normnative.norm(x, p, axis=1).tobytes())
    finally:
        normnative.set_num_threads(old)
    assert results[0] == results[1] == results[2]
    with np.errstate(all="ignore"):
        for i in RNG.integers(0, 3001, 40):
            assert normnative.norm(x[i : i + 1], p, axis=1).tobytes() == np.asarray(normnative.norm(x[i], p), dtype).tobytes()


@pytest.mark.parametrize("dtype,p", [(t, p) for t in (np.float32, np.float16) for p in (1.7, 0.3, -0.7, -2.5)]
                         + [(np.float32, 3.0), (np.float16, 2.0), (np.float16, -1.0)])  # other whole float32 orders: own kernels
def test_special_rows_values_and_warnings_as_numpy(dtype, p):
    inf, nan = np.inf, np.nan
    top = 65504.0 if dtype == np.float16 else float(np.finfo(np.float32).max)
    tiny = float(np.finfo(dtype).smallest_subnormal)
    rows = np.array([[3, 4, 0, 1], [0, 2, 3, 1], [inf, 2, 3, 1], [nan, 2, 3, 1], [0, 0, 0, 0], [inf, -inf, inf, 1],
                     [nan, 0, 5, 1], [top, top, top, top], [tiny, tiny, -tiny, 0], [-0.0, -0.0, 1, 0],
                     [1, 1, 1, 1], [top, tiny, 1, 0]], dtype)
    ours, w_ours = recorded(lambda: normnative.norm(rows, p, axis=1))
    ref, _ = recorded(lambda: np.linalg.norm(rows, p, axis=1))
    assert ours.dtype == ref.dtype == dtype
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(ref))
    w_alone = set()
    for i, row in enumerate(rows):
        # the row alone as a one-row reduction (a 1-D ord-2 call takes NumPy's dot path, which never warns)
        alone, w = recorded(lambda: normnative.norm(row[None], p, axis=1)[0])
        w_alone |= {_kind(x) for x in w}
        assert ours[i].tobytes() == np.asarray(alone, dtype).tobytes(), (i, row)
        exact = vector_ref([float(v) for v in row], p)  # NumPy overflows [top, tiny, 1, 0] (float32 powers): not we
        if np.isnan(float(exact)):
            assert np.isnan(ours[i])
        else:
            assert ulp_error(float(ours[i]), exact, dtype) <= 0.5, (i, row, ours[i], exact)
    assert {_kind(x) for x in w_ours} == w_alone  # the warnings of the lines reduced alone
