"""Integer rows whose 1-/2-norm IntRows takes from plain double sums (bool and integers of at most 32 bits, exact while
every row's sum stays below 2^53): rows whose sum of squares sits just below, at and above 2^53 (the band must then
fall back to the float64 kernels), against the converted float64 line reduced alone and the correctly rounded root
of the exact integer sum; lengths around the plain-row limit (16 for ord 1), row counts not a multiple of the lane
count, strided/reversed rows and 1/2/3 threads."""
import math
import warnings

import mpmath
import numpy as np
import pytest

import normnative

mpmath.mp.prec = 300


@pytest.fixture(autouse=True)
def _restore_threads():
    old = normnative.get_num_threads()
    yield
    normnative.set_num_threads(old)


def _exact_norm(line, p):
    s = sum(abs(int(v)) ** p for v in line)
    return float(s) if p == 1 else float(mpmath.sqrt(mpmath.mpf(s)))


def _alone(line, p):
    return normnative.norm(np.ascontiguousarray(line).astype(np.float64), p)


@pytest.mark.parametrize("threads", (1, 2, 3))
def test_sums_of_squares_around_two_to_53(threads):
    normnative.set_num_threads(threads)
    rng = np.random.default_rng(53)
    # two values a, b with a² + b² within 2b of 2^53, either side (a, b < 2^31: int32), among ordinary rows
    base = 2 ** 53
    rows = []
    for k in range(600):
        if k % 3 == 0:
            a = int(rng.integers(2 ** 25, 2 ** 26))
            b = math.isqrt(base - a * a) + int(rng.integers(0, 2))  # a² + b² just below or above 2^53
            rows.append([a, -b, 0, 1 if k % 2 else 0])
        else:
            rows.append(list(rng.integers(-1000, 1000, 4)))
    a = np.array(rows, dtype=np.int32)
    for p in (2, None):
        got = normnative.norm(a, p, axis=1)
        want = np.array([_alone(r, 2) for r in a])
        assert got.tobytes() == want.tobytes()
        for i in range(0, len(a), 7):
            assert got[i] == _exact_norm(a[i], 2)
    big = a[:, :2].astype(np.int64)
    assert ((big ** 2).sum(axis=1) >= base).any() and ((big ** 2).sum(axis=1) < base).any()


@pytest.mark.parametrize("dtype", (np.bool_, np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32))
@pytest.mark.parametrize("n", (1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 64, 65, 200))
def test_rows_equal_their_lines_alone(dtype, n):
    rng = np.random.default_rng(n * 7 + 1)
    rows = 37
    if dtype is np.bool_:
        a = rng.integers(0, 2, (rows, n)).astype(bool)
    else:
        info = np.iinfo(dtype)
        a = rng.integers(info.min, info.max, (rows, n), dtype=dtype, endpoint=True)
        a[::5] = rng.integers(max(info.min, -100), 100, (len(a[::5]), n)).astype(dtype)
    for view in (a, a[::-1, ::-1], np.repeat(a, 2, axis=1)[:, ::2]):
        for p in (1, 2, None):
            got = normnative.norm(view, p, axis=1)
            want = np.array([_alone(r, 1 if p == 1 else 2) for r in view])
            assert got.dtype == np.float64
            assert got.tobytes() == want.tobytes(), (dtype, n, p)
            for i in range(0, rows, 9):
                assert got[i] == _exact_norm(view[i], 1 if p == 1 else 2)


@pytest.mark.parametrize("n", (1, 2, 4, 5, 16, 17, 64, 255, 2048))
def test_bool_counts(n):
    """bool ord 0.5 = (count of ones)², ord −1 = 1/n without a zero, +0 and NumPy's divide warning with one."""
    rng = np.random.default_rng(n)
    a = rng.random((41, n)) < 0.9
    a[::4] = True
    a[1::9] = False
    for view in (a, a[::-1], np.repeat(a, 2, axis=1)[:, ::2]):
        got = normnative.norm(view, 0.5, axis=1)
        assert got.tolist() == [float(int(r.sum()) ** 2) for r in view]
        has_zero = not view.all(axis=1).all()
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            got = normnative.norm(view, -1, axis=1)
        assert got.tobytes() == np.array([1.0 / n if r.all() else 0.0 for r in view]).tobytes()
        assert any("divide by zero" in str(x.message) for x in w) == has_zero
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert got.tobytes() == np.linalg.norm(view, -1, axis=1).tobytes()
