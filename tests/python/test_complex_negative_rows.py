"""Complex orders −1, −2, −∞ and 0 over many lines (session 30: ComplexNegative spreads the kept positions over threads
in fixed ranges). Every output must be the bits of its line reduced alone as a contiguous vector, at 1, 2 and 3 threads,
with NumPy's special values and warnings: lines with zeros, NaN, ∞, values past the one-pass range (huge / tiny /
subnormal parts), in rows, transposed rows, strided and 3-D layouts, and row counts that do not divide evenly."""
import warnings

import numpy as np
import pytest

import normnative
from _reference import norm_at_threads


@np.errstate(all="ignore")
def _data(rng, shape, dt):
    a = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    flat = a.reshape(-1)
    flat[7::97] = 0  # zeros: the norm is 0 with divide-by-zero
    flat[11::131] = complex(np.nan, 1)  # (the assignments below multiply NaN / inf parts: silenced)
    flat[13::173] = complex(np.inf, 0)
    flat[17::59] *= 1e200  # past the one-pass range: two passes with a scale
    flat[19::61] *= 1e-200
    flat[23::251] = complex(5e-324, 0)
    a[:, 3] = a[:, 4] if a.ndim == 2 else a[:, 3]  # repeated lines
    with np.errstate(over="ignore"):
        return a.astype(dt)  # complex64: the 1e200 parts overflow to inf


def _alone(x, p, axis):
    moved = np.moveaxis(x, axis, -1)
    out = np.empty(moved.shape[:-1], dtype=np.float64 if x.dtype == np.complex128 else np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for idx in np.ndindex(out.shape):
            out[idx] = normnative.norm(np.ascontiguousarray(moved[idx]), p)
    return out


def _same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("dt", (np.complex128, np.complex64))
@pytest.mark.parametrize("p", (-1, -2, -np.inf, 0))
def test_lines_equal_their_line_alone_at_every_thread_count(dt, p):
    rng = np.random.default_rng(int(-10 * p) if np.isfinite(p) else 99)
    base = _data(rng, (203, 300), dt)
    cube = _data(rng, (9, 21, 200), dt)
    for x, axis in ((base, 1), (base.T, 0), (base[::2, ::-3], 1), (base[:, 1:129], 1), (cube, 2), (cube, 1),
                    (cube.transpose(2, 0, 1), 0)):
        want = _alone(x, p, axis)
        for t in (1, 2, 3):
            # a call on other values first, so that a result array reusing its memory cannot hold right values by chance
            # where an output was never written
            with np.errstate(all="ignore"):
                y = x * 3
            other = norm_at_threads([t], y, p, axis=axis)[0]
            del other
            got = norm_at_threads([t], x, p, axis=axis)[0]
            assert _same(got, want), (x.shape, x.strides, axis, p, dt, t)


@pytest.mark.parametrize("p", (-1, -2))
def test_warnings_and_specials_as_numpy(p):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((64, 300)) + 1j * rng.standard_normal((64, 300))
    x[3, 7] = 0
    x[9, 2] = complex(np.nan, 0)
    x[12, 5] = complex(0, np.inf)
    for t in (1, 2):
        old = normnative.get_num_threads()
        normnative.set_num_threads(t)
        try:
            with warnings.catch_warnings(record=True) as ours:
                warnings.simplefilter("always")
                got = normnative.norm(x, p, axis=1)
            with warnings.catch_warnings(record=True) as theirs:
                warnings.simplefilter("always")
                want = np.linalg.norm(x, p, axis=1)
        finally:
            normnative.set_num_threads(old)
        assert got.dtype == want.dtype
        assert np.array_equal(np.isnan(got), np.isnan(want)) and got[3] == 0 and np.isnan(got[9])
        fin = np.isfinite(want)
        assert np.allclose(got[fin], want[fin], rtol=1e-13, atol=0)
        assert {(w.category, str(w.message)) for w in ours} == {(w.category, str(w.message)) for w in theirs}
