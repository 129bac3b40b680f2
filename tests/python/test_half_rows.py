"""float16 ord 1 over many lines (HalfRows): contiguous lines are widened by the vector half->float conversion and
summed in double lanes, other layouts counted in integer units (short lines) or gathered a chunk at a time; the sum is exact in any order, so every output must be the
correctly rounded Σ|x| (fractions), equal bit for bit to the line reduced alone, with NumPy's overflow warning and
inf when the sum exceeds float16, NaN/inf as NumPy. Lengths around the lane widths and the 1024-half chunk, joined
rows, rows of a wider array, reversed rows, F-order, row counts not a multiple of anything, 1/2/3 threads."""
import warnings
from fractions import Fraction

import numpy as np
import pytest

import normnative


@pytest.fixture(autouse=True)
def _restore_threads():
    old = normnative.get_num_threads()
    yield
    normnative.set_num_threads(old)


def _exact(line):
    s = sum(abs(Fraction(float(v))) for v in line)  # exact, and a double exactly (< 2^29, multiples of 2^-24)
    with np.errstate(over="ignore"):
        return np.float16(float(s))  # one rounding; above 65520: inf


def _check(view, threads):
    normnative.set_num_threads(threads)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = normnative.norm(view, 1, axis=1)
        alone = np.array([normnative.norm(np.ascontiguousarray(r), 1) for r in view], dtype=np.float16)
    assert got.dtype == np.float16
    assert got.tobytes() == alone.tobytes()
    for i in range(0, view.shape[0], 5):
        line = view[i]
        if np.isfinite(line.astype(np.float64)).all():
            want = _exact(line)
            assert got[i].tobytes() == want.tobytes(), (i, got[i], want)
    return got


def _rows(rng, rows, n):
    a = (rng.standard_normal((rows, n)) * 2.0 ** rng.integers(-20, 8, (rows, 1))).astype(np.float16)
    a[1::7, 0] = np.float16(6e-8)  # subnormal
    a[2::11] = 0
    return a


@pytest.mark.parametrize("n", (1, 3, 4, 7, 8, 9, 15, 16, 17, 64, 65, 500, 1023, 1024, 1025))
@pytest.mark.parametrize("threads", (1, 2, 3))
def test_rows_are_correctly_rounded_and_equal_their_line(n, threads):
    rng = np.random.default_rng(n * 3 + threads)
    rows = 45 if n > 100 else 203
    a = _rows(rng, rows, n)
    _check(a, threads)
    _check(a[::-1], threads)  # reversed rows: negative line stride
    wide = _rows(rng, rows, n + 3)
    _check(wide[:, 1:n + 1], threads)  # rows of a wider array: not joined
    _check(np.asfortranarray(a), threads)
    spread = _rows(rng, rows, 3 * n)
    _check(spread[:, ::3], threads)  # rows of values three apart: gathered (or counted in units when short)
    _check(spread[:, ::-3], threads)  # and reversed


@pytest.mark.parametrize("n", (16, 40))
@pytest.mark.parametrize("layout", ("C", "F", "[:, ::3]"))
def test_specials_and_overflow_as_numpy(n, layout):
    a = np.ones((37, n), dtype=np.float16)
    a[3, 5] = np.nan
    a[4, 0] = np.inf
    a[5, 2] = -np.inf
    a[6] = 60000  # sum overflows float16: inf and NumPy's overflow warning
    a[7, :2] = 40000  # 80000 + 14: overflows too
    a[8] = np.float16(65504) / 16  # sum exactly 65504: the largest float16, no warning
    a[8, 16:] = 0
    a[9, n - 1] = np.nan  # the last element counts too
    a[10] = 0
    a[10, 0] = np.float16(65504)  # the largest finite value: counted, not taken for NaN / inf
    if layout == "F":
        a = np.asfortranarray(a)
    elif layout == "[:, ::3]":
        a = np.repeat(a, 3, axis=1)[:, ::3]
    with warnings.catch_warnings(record=True) as w_ours:
        warnings.simplefilter("always")
        got = normnative.norm(a, 1, axis=1)
    with warnings.catch_warnings(record=True) as w_np:
        warnings.simplefilter("always")
        want = np.linalg.norm(a, 1, axis=1)
    assert got.dtype == want.dtype == np.float16
    assert np.array_equal(got, want, equal_nan=True)
    assert got[8] == np.float16(65504)
    assert {type(x.message) for x in w_ours} == {type(x.message) for x in w_np}
    assert any(issubclass(x.category, RuntimeWarning) and "overflow" in str(x.message) for x in w_ours)


@pytest.mark.parametrize("n", (4, 16, 40))
@pytest.mark.parametrize("layout", ("F", "[:, ::3]"))
def test_infinite_elements_give_inf_without_an_overflow_warning(n, layout):
    a = np.ones((29, n), dtype=np.float16)
    a[2, 1] = np.inf
    a[5, n - 1] = -np.inf
    a = np.asfortranarray(a) if layout == "F" else np.repeat(a, 3, axis=1)[:, ::3]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # NumPy warns of nothing here: neither may we
        got = normnative.norm(a, 1, axis=1)
        want = np.linalg.norm(a, 1, axis=1)
    assert got.tobytes() == want.tobytes()
    assert np.isinf(got[2]) and np.isinf(got[5])
