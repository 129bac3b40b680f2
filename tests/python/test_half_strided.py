"""Strided float16 lines (session 30): halves that are not adjacent are gathered a chunk at a time and widened by the
vector conversion instead of one software cast per element. The widening is exact, so every result must equal, bit for
bit, the same values reduced as a contiguous copy (a route that never gathers) — at every order, for lengths around
the 16-value threshold and the 256-half chunk, positive and negative strides, vectors and rows of a 2-D view — and
stay close to NumPy's float16 result."""
import warnings

import numpy as np
import pytest

import normnative

ORDS = (None, 1, np.inf, -np.inf, 0, 0.5, 3, 1.7, -1, -2.5)


def _values(rng, n):
    v = (rng.standard_normal(n) * 2.0 ** rng.integers(-14, 6, n)).astype(np.float16)
    v[::37] = np.float16(6e-8)  # subnormal
    return v


def _same(got, want):
    assert got.dtype == want.dtype == np.float16
    assert np.asarray(got).tobytes() == np.asarray(want).tobytes()


@pytest.mark.parametrize("n", (15, 16, 17, 255, 256, 257, 600))
@pytest.mark.parametrize("step", (2, 3, -2, -3))
@pytest.mark.parametrize("ord", ORDS)
def test_strided_vectors_equal_their_contiguous_copy(n, step, ord):
    rng = np.random.default_rng(n * 7 + step)
    base = _values(rng, n * abs(step) + 1)
    v = base[::step][:n]
    assert not v.flags.c_contiguous
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = normnative.norm(v, ord)
        want = normnative.norm(np.ascontiguousarray(v), ord)
        ref = np.linalg.norm(v.astype(np.float64), ord)
    _same(got, want)
    with np.errstate(over="ignore"):
        ref16 = np.float16(ref)  # overflows to inf as a float16 result does
    assert np.isclose(float(got), float(ref16), rtol=2e-3, atol=0) or float(got) == float(ref16), (got, ref16)


@pytest.mark.parametrize("ord", ORDS)
@pytest.mark.parametrize("view", ("[::2, ::3]", "[::-1, ::-2]", "F"))
def test_strided_rows_equal_their_contiguous_rows(ord, view):
    rng = np.random.default_rng(11)
    a = _values(rng, 40 * 900).reshape(40, 900)
    v = {"[::2, ::3]": a[::2, ::3], "[::-1, ::-2]": a[::-1, ::-2], "F": np.asfortranarray(a)}[view]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = normnative.norm(v, ord, axis=1)
        want = np.array([normnative.norm(np.ascontiguousarray(r), ord) for r in v], dtype=np.float16)
    _same(got, want)


def test_specials_in_strided_vectors_as_numpy():
    for val, where in ((np.nan, 5), (np.inf, 290), (-np.inf, 100)):
        w = np.ones(3 * 300, dtype=np.float16)
        w[3 * where] = val
        s = w[::3]
        for ord in ORDS:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = normnative.norm(s, ord)
                want = np.linalg.norm(s, ord)
            assert np.array_equal(got, want, equal_nan=True), (val, ord, got, want)
