"""Complex reductions over a non-contiguous axis whose outputs are adjacent (C-order axis 0, Fortran rows, a leading
axis of a 3-D array, reversed and strided views): complex128 ord 2 (Complex128Columns) and ±inf (LaneAcross's lanes
with the extreme's magnitude rounded in the lanes). Values against exact references (Fractions: ord 2 and ±inf
correctly rounded for normal results, mpmath ulps otherwise) on columns with extreme scales, subnormals, inf/nan,
zeros, Pythagorean and tied magnitudes; NumPy's dtypes, shapes and NaN positions; every output bit-identical to its
column reduced alone (the 1-D path), and to the result with one thread."""
import math
import warnings
from fractions import Fraction

import numpy as np
import pytest

import normnative
from _reference import assert_float32_correctly_rounded, correctly_rounded_sqrt_fraction, norm_at_threads, ulp_error, vector_ref

RNG = np.random.default_rng(20261128)
TINY_NORMAL = 2.0 ** -1022


def _columns(n, k, dtype=np.complex128):
    """An (n, k) array whose columns (the lines reduced over axis 0) cover the special cases in the first columns."""
    a = (RNG.standard_normal((n, k)) + 1j * RNG.standard_normal((n, k))).astype(dtype)
    big = 1e300 if dtype == np.complex128 else 1e30
    tiny = 1e-300 if dtype == np.complex128 else 1e-30
    sub = 5e-324 if dtype == np.complex128 else 1e-45
    specials = [
        np.zeros(n),                                               # all zeros
        a[:, 1] * big,                                             # squares overflow: scaled path
        a[:, 2] * tiny,                                            # squares underflow
        np.full(n, complex(sub, 3 * sub)),                         # subnormal parts
        np.where(np.arange(n) % 2 == 0, a[:, 4] * 1e200, a[:, 4] * 1e-200) if dtype == np.complex128 else a[:, 4],
        np.resize([3 + 4j, 5, -4 - 3j, 0 + 5j], n),                # Pythagorean, all |z| = 5: ties for the extremes
        np.resize([1 + 1j, 1 - 1j, -1 + 1j], n) * (1 + 2.0 ** -50),  # equal magnitudes, inexact
        a[:, 7] * np.where(np.arange(n) == n // 2, np.nan, 1),     # a NaN
        np.where(np.arange(n) == 0, complex(np.inf, 1), a[:, 8]),  # an infinity
        np.where(np.arange(n) == n - 1, 0, a[:, 9]),              # one zero (the minimum)
        np.where(np.arange(n) == 1, a[:, 10] * 1e-150, a[:, 10]),  # one small element
    ]
    for j, col in enumerate(specials[: k]):
        a[:, j] = col
    return a


def _exact_rounded(values, p):
    """The exact norm rounded to a double: correctly rounded through Fractions when normal, else (subnormal, 0, inf,
    nan) None and the mpmath reference is used."""
    vals = [complex(v) for v in values]
    if any(math.isnan(v.real) or math.isnan(v.imag) for v in vals) or any(math.isinf(abs(v)) for v in vals):
        return None
    sq = [Fraction(v.real) ** 2 + Fraction(v.imag) ** 2 for v in vals]
    q = sum(sq) if p == 2 else max(sq) if p == math.inf else min(sq)
    if q == 0 or q < Fraction(TINY_NORMAL) ** 2 * 4 or q > Fraction(1.7e308) ** 2:
        return None
    return correctly_rounded_sqrt_fraction(q)


def _check_exact(got, lines, p, dtype):
    for k in range(lines.shape[0]):
        want = _exact_rounded(lines[k], p)
        if want is not None and dtype == np.complex128:
            assert got[k] == want, (k, p, got[k], want)
        else:
            exact = vector_ref(list(lines[k]), p)
            if math.isnan(exact):
                assert math.isnan(got[k]), k
            elif math.isinf(exact):
                assert got[k] == exact, k
            else:
                assert ulp_error(got[k], exact, np.float64 if dtype == np.complex128 else np.float32) <= (1 if p == 2 else 0.5), (k, got[k])


def _same(x, y):
    x, y = np.ascontiguousarray(x), np.ascontiguousarray(y)
    u = np.uint32 if x.dtype == np.float32 else np.uint64
    return x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x.view(u), y.view(u))


def _layouts(n, k, dtype):
    """(name, array, axis, the lines as rows) for the column layouts, each with the special columns."""
    a = _columns(n, k, dtype)
    yield "C axis 0", a, 0, a.T
    f = np.asfortranarray(a.T)
    yield "F rows", f, 1, f
    yield "reversed", a[::-1], 0, a[::-1].T
    s = np.repeat(a, 2, axis=0)[::2]
    yield "strided rows", s, 0, s.T
    three = np.ascontiguousarray(np.concatenate([a, a[:, ::-1]], axis=1).reshape(n, 2, k))
    yield "3-D axis 0", three, 0, three.reshape(n, 2 * k).T


ORDS = [2, None, np.inf, -np.inf]


@pytest.mark.parametrize("ord", ORDS)
@pytest.mark.parametrize("shape", [(4, 37), (2, 12), (5, 203), (300, 21)])
def test_complex128_columns_exact_and_alone(ord, shape):
    n, k = shape
    p = 2 if ord is None else ord
    for name, a, axis, lines in _layouts(n, k, np.complex128):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            got = normnative.norm(a, ord, axis=axis)
            kept = normnative.norm(a, ord, axis=axis, keepdims=True)
            want = np.linalg.norm(a, ord, axis=axis)
        assert got.dtype == want.dtype == np.float64 and got.shape == want.shape, name
        assert _same(kept.reshape(got.shape), got)
        flat = got.reshape(-1)
        assert np.array_equal(np.isnan(flat), np.isnan(want.reshape(-1))), name
        alone = np.array([normnative.norm(np.ascontiguousarray(line), ord) for line in lines])
        assert _same(flat, alone), (name, np.nonzero(flat != alone))
        _check_exact(flat, lines, p, np.complex128)


@pytest.mark.parametrize("ord", ORDS)
@pytest.mark.parametrize("shape", [(4, 3000), (64, 1000), (400, 700)])
def test_complex128_columns_threads_and_numpy(ord, shape):
    a = _columns(*shape)
    before = normnative.get_num_threads()
    try:
        normnative.set_num_threads(1)
        one = normnative.norm(a, ord, axis=0)
        normnative.set_num_threads(2)
        two = normnative.norm(a, ord, axis=0)
        f = normnative.norm(np.asfortranarray(a.T), ord, axis=1)
    finally:
        normnative.set_num_threads(before)
    assert _same(one, two) and _same(one, f)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want = np.linalg.norm(a, ord, axis=0)
    ok = np.isfinite(want) & (np.abs(a).max(axis=0) < 1e200) & (np.abs(a).min(axis=0) > 1e-100)
    np.testing.assert_allclose(one[ok], want[ok], rtol=1e-15)
    assert np.array_equal(np.isnan(one), np.isnan(want))
    # random columns (past the special ones) against the exact rounded value
    for j in range(11, shape[1], max(1, shape[1] // 40)):
        assert one[j] == _exact_rounded(a[:, j], 2 if ord is None else ord), j


@pytest.mark.parametrize("ord", [2, None, 1, np.inf, -np.inf, 0.5, 3, 4, -1, 1.5, -2.5, 1.7, 100.0, -100.0])
@pytest.mark.parametrize("shape", [(4, 37), (3, 12), (64, 29)])
def test_complex64_columns_correctly_rounded_and_alone(ord, shape):
    n, k = shape
    p = 2 if ord is None else ord
    for name, a, axis, lines in _layouts(n, k, np.complex64):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            got = normnative.norm(a, ord, axis=axis)
            want = np.linalg.norm(a, ord, axis=axis)
        assert got.dtype == want.dtype == np.float32 and got.shape == want.shape, name
        flat = got.reshape(-1)
        assert np.array_equal(np.isnan(flat), np.isnan(want.reshape(-1))), name
        alone = np.array([normnative.norm(np.ascontiguousarray(line), ord) for line in lines])
        assert _same(flat, alone), (name, np.nonzero(flat != alone))
        for j in range(lines.shape[0]):
            exact = vector_ref(list(lines[j]), p)
            assert_float32_correctly_rounded(flat[j], exact, name, j)


@pytest.mark.parametrize("ord", [2, 1, 3, 1.5])
def test_complex64_columns_threads(ord):
    a = _columns(400, 1500, np.complex64)
    one, two = norm_at_threads((1, 2), a, ord, axis=0)
    assert _same(one, two)
    for j in range(11, 1500, 97):
        assert ulp_error(one[j], vector_ref(list(a[:, j]), ord), np.float32) <= 0.5
