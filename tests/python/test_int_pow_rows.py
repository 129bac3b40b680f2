"""Integer rows at ord 3, 4, 1.5 and 2.5 over one kept axis: IntRows sums each widened row exactly in plain
doubles (ord 3/4, while every sum stays below 2⁵³) or in double-double (1.5/2.5, |x| < 2²⁶) and takes the roots in lanes. Every output must be the correctly rounded float64 norm
of the row (float64 whole orders are correctly rounded on every path, README "Accuracy"), from an mpmath reference at
700 bits — never the library — and the bits of the same row reduced alone (1-D path), for 1 and 2 threads; NumPy parity
for values, dtype and shape. Rows hold the dtype's extremes (−128, INT32_MIN, INT64_MIN, the maxima), rows of zeros, and int32
rows whose sums pass 2⁵³ (the band goes back to the float64 row kernels)."""
import warnings

import numpy as np
import pytest

import normnative
from _midpoints import correctly_rounded

DTYPES = ("int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64")


def _rows(dtype, n, rng):
    info = np.iinfo(dtype)
    small = (rng.standard_normal((40, n)) * 40).round()
    a = np.clip(small, info.min, info.max).astype(dtype)
    full = rng.integers(info.min, info.max, (8, n), endpoint=True, dtype=dtype)
    a = np.concatenate([a, full])
    a[0] = info.min
    a[1] = 0
    a[2] = info.max
    a[3, :] = 0
    a[3, -1] = info.min if info.min else info.max
    return a


def _reference(row, p):
    vals = [float(v) for v in row if v != 0]
    if not vals:
        return 0.0
    return float(correctly_rounded(vals, p, np.float64))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("p", [3, 4, 1.5, 2.5])
def test_rows_correctly_rounded(dtype, p):
    rng = np.random.default_rng(abs(hash((dtype, p))) % 2**32)
    for n in (1, 3, 4, 7, 16, 33, 128):
        a = _rows(dtype, n, rng)
        got = normnative.norm(a, p, axis=1)
        assert got.dtype == np.float64 and got.shape == (a.shape[0],)
        want = np.array([_reference(r, p) for r in a])
        assert got.tobytes() == want.tobytes(), (dtype, p, n, np.flatnonzero(got != want))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            np.testing.assert_allclose(got, np.linalg.norm(a, p, axis=1), rtol=1e-13)
        alone = np.array([normnative.norm(r, p) for r in a])
        assert got.tobytes() == alone.tobytes()


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64"])
def test_threads_and_layouts(dtype):
    rng = np.random.default_rng(3)
    a = (rng.standard_normal((5000, 4)) * 60).astype(dtype)
    a[::17] = 0
    old = normnative.get_num_threads()
    try:
        for p in (3, 4, 1.5, 2.5):
            res = []
            for t in (1, 2):
                normnative.set_num_threads(t)
                res.append(normnative.norm(a, p, axis=1).tobytes())
                # reversed rows and columns (negative strides) and keepdims: the same values
                assert normnative.norm(a[::-1, ::-1], p, axis=1)[::-1].tobytes() == res[-1]
                assert normnative.norm(a, p, axis=1, keepdims=True).ravel().tobytes() == res[-1]
            assert res[0] == res[1]
    finally:
        normnative.set_num_threads(old)
