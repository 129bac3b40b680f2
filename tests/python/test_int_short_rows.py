"""Many short bool/integer lines, every order (IntRows / IntColumns: the lines widened to float64 by bands and
reduced by the float64 line kernels): every output bit for bit against the same line converted to float64 and
reduced alone, and against the integer line reduced alone (both 1-D paths); values and warnings as NumPy; sampled
outputs against exact references (fractions / math.isqrt for orders 0, ±1, 2, ±inf; mpmath for the others, within
the float64 bounds of the README). Every integer dtype and bool, extremes (±2^63, uint64 max, int8 −128, zeros with
negative orders), line lengths around the lane/limit boundaries, row counts not a multiple of the lane count, C rows,
strided, reversed, F-order, columns, rows of a 3-D array, and 1/2/3 threads."""
import math
import warnings
from fractions import Fraction

import mpmath
import numpy as np
import pytest

import normnative
from _reference import recorded

DTYPES = (np.bool_, np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64)
ORDS = (None, 1, 2, np.inf, -np.inf, 0, -1, 0.5, 1.7, 2.5, 3, 4, -2.5, 3.5, -1.5, 0.3, -3)
LENGTHS = (1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 65, 128, 129, 200, 256, 257)


@pytest.fixture(autouse=True)
def _restore_threads():
    old = normnative.get_num_threads()
    yield
    normnative.set_num_threads(old)


def _ints(dtype, shape, rng, kind):
    if dtype is np.bool_:
        return rng.integers(0, 2, shape).astype(bool)
    info = np.iinfo(dtype)
    if kind == "full":
        return rng.integers(info.min, info.max, shape, dtype=dtype, endpoint=True)
    if kind == "extreme":
        return rng.choice(np.array([info.min, info.max, 0, 1, info.max // 3], dtype=dtype), shape)
    if kind == "nonzero":
        a = rng.integers(max(info.min, -50), 50, shape).astype(dtype)
        a[a == 0] = 7
        return a
    return rng.integers(max(info.min, -1000), min(info.max, 1000), shape).astype(dtype)


def _silent(f):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f()


def _check_alone(view, p, axis):
    """Each output: the float64 line reduced alone, and the integer line reduced alone, bit for bit."""
    got = _silent(lambda: normnative.norm(view, p, axis=axis))
    lines = [view[i] for i in range(view.shape[0])] if axis == 1 else [view[:, j] for j in range(view.shape[1])]
    as_float = np.array([_silent(lambda: normnative.norm(np.ascontiguousarray(v).astype(np.float64), p))
                         for v in lines])
    as_int = np.array([_silent(lambda: normnative.norm(np.ascontiguousarray(v), p)) for v in lines])
    assert got.dtype == np.float64
    assert got.tobytes() == as_float.tobytes(), (view.dtype, view.shape, p, axis)
    assert got.tobytes() == as_int.tobytes(), (view.dtype, view.shape, p, axis)
    return got


def _views(a):
    yield a, 1  # C rows
    yield np.asfortranarray(a), 1  # F-order: adjacent lines (IntColumns)
    yield a[::-1, ::-1], 1  # reversed lines and rows
    yield np.repeat(a, 2, axis=1)[:, ::2], 1  # strided lines
    yield np.ascontiguousarray(a.T), 0  # columns of a C-order array


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
def test_rows_match_each_line_alone(dtype):
    rng = np.random.default_rng(len(dtype.__name__) * 101 + 5)
    for n in LENGTHS:
        for rows in ((2, 33) if n > 32 else (2, 9, 33)):
            for kind in ("small", "full", "extreme", "nonzero"):
                a = _ints(dtype, (rows, n), rng, kind)
                for p in ORDS:
                    _check_alone(a, p, 1)
                    if n in (4, 16, 33) and kind in ("full", "nonzero"):
                        for view, axis in _views(a):
                            _check_alone(view, p, axis)


@pytest.mark.parametrize("dtype", (np.int8, np.uint16, np.int64, np.bool_), ids=lambda d: d.__name__)
@pytest.mark.parametrize("p", ORDS)
def test_values_and_warnings_as_numpy(dtype, p):
    rng = np.random.default_rng(7)
    for shape in ((3000, 4), (1000, 16), (37, 33), (5, 1)):
        a = _ints(dtype, shape, rng, "small" if dtype is not np.int64 else "extreme")
        a[1] = 0  # a zero line; zero elements everywhere for small ints: divide-by-zero warnings for p < 0
        ours, w_ours = recorded(lambda: normnative.norm(a, p, axis=1))
        ref, w_ref = recorded(lambda: np.linalg.norm(a, p, axis=1))
        assert ours.dtype == ref.dtype and ours.shape == ref.shape
        np.testing.assert_allclose(ours, ref, rtol=1e-13, atol=0)
        assert sorted({(w.category, str(w.message)) for w in w_ours}) == sorted({(w.category, str(w.message)) for w in w_ref})


def _exact(line, p):
    """The correctly rounded float64 norm of the float64-converted integer line, for the exactly computable orders."""
    v = [abs(Fraction(float(x))) for x in line]  # float(): int64/uint64 rounded as NumPy's conversion rounds
    if p == np.inf:
        return float(max(v))
    if p == -np.inf:
        return float(min(v))
    if p == 0:
        return float(sum(1 for x in v if x != 0))
    if p == 1:
        return float(sum(v))
    if p == -1:
        return 0.0 if 0 in v else float(1 / sum(1 / x for x in v))
    s = int(sum(x * x for x in v))  # p == 2: integers, so s is an integer
    # √(s·4^k) with at least 55 bits, floored, and whether it was exact: rounded to 53 bits, to nearest even
    k = max(0, 111 - s.bit_length()) // 2
    t = s << (2 * k)
    q = math.isqrt(t)
    exact = q * q == t
    shift = max(0, q.bit_length() - 53)
    m, rem = divmod(q, 1 << shift)
    if shift and (rem > (1 << (shift - 1)) or (rem == (1 << (shift - 1)) and (not exact or m & 1))):
        m += 1
    return float(Fraction(m << shift, 1 << k))


def _ulps(got, line, p):
    mpmath.mp.prec = 200
    s = mpmath.fsum(mpmath.power(abs(mpmath.mpf(float(x))), p) for x in line)
    exact = mpmath.power(s, 1 / mpmath.mpf(p))
    return abs(mpmath.mpf(got) - exact) / mpmath.mpf(math.ulp(float(exact)))


@pytest.mark.parametrize("dtype", (np.int8, np.uint8, np.int32, np.uint32, np.int64, np.uint64, np.bool_),
                         ids=lambda d: d.__name__)
def test_exact_references(dtype):
    rng = np.random.default_rng(11)
    for n in (1, 4, 16, 33):
        a = _ints(dtype, (40, n), rng, "extreme")
        b = _ints(dtype, (40, n), rng, "nonzero" if dtype is not np.bool_ else "small")
        for p in (1, 2, np.inf, -np.inf, 0, -1):
            for arr in (a, b):
                got = _silent(lambda: normnative.norm(arr, p, axis=1))
                for i in range(0, 40, 7):
                    assert got[i] == _exact(arr[i], p), (dtype, n, p, arr[i])
        for p, bound in ((0.5, 2), (2.5, 2), (1.7, 1), (3, 1), (-2.5, 2), (0.3, 1)):
            got = _silent(lambda: normnative.norm(b, p, axis=1))
            for i in range(0, 40, 9):
                if p < 0 and not b[i].all():
                    assert got[i] == 0.0
                    continue
                assert _ulps(got[i], b[i], p) <= bound, (dtype, n, p, b[i])


def test_extremes():
    i64 = np.array([[np.iinfo(np.int64).min] * 4, [np.iinfo(np.int64).max] * 4, [-1, 0, 1, 2]] * 11, dtype=np.int64)
    u64 = np.array([[np.iinfo(np.uint64).max] * 5, [0, 0, 0, 0, 1]] * 17, dtype=np.uint64)
    i8 = np.array([[-128] * 16, [127, -128, 0, 1] * 4] * 9, dtype=np.int8)
    for a in (i64, u64, i8):
        for p in ORDS:
            _check_alone(a, p, 1)
            ours = _silent(lambda: normnative.norm(a, p, axis=1))
            ref = _silent(lambda: np.linalg.norm(a, p, axis=1))
            np.testing.assert_allclose(ours, ref, rtol=1e-13, atol=0)
    # 2^63 four times: the 2-norm is exactly 2^64, the 1-norm 2^65, ord 3 2^63·4^(1/3) (NumPy's conversion first)
    got = normnative.norm(i64[:3], 2, axis=1)
    assert got[0] == 2.0 ** 64 and got[1] == 2.0 ** 64  # int64 max converts to 2^63 as well
    assert normnative.norm(i8[:1], 1, axis=1)[0] == 2048.0


def test_rows_of_3d_and_keepdims():
    rng = np.random.default_rng(3)
    a = _ints(np.int16, (5, 7, 9), rng, "nonzero")
    for p in ORDS:
        for axis in (2, 1, 0, -1):
            got = _silent(lambda: normnative.norm(a, p, axis=axis, keepdims=True))
            moved = np.moveaxis(a, axis, -1)
            alone = np.array([_silent(lambda: normnative.norm(moved[i, j].astype(np.float64), p))
                              for i in range(moved.shape[0]) for j in range(moved.shape[1])])
            assert np.squeeze(got, axis=axis).ravel().tobytes() == alone.tobytes(), (p, axis)


@pytest.mark.parametrize("p", (None, 1, -1, 0.5, 1.7, 2.5, 3, -2.5, np.inf))
def test_thread_count_does_not_change_bits(p):
    rng = np.random.default_rng(19)
    for shape in ((20000, 4), (5000, 16), (1500, 33), (3001, 7)):
        a = _ints(np.int32, shape, rng, "nonzero")
        for view, axis in ((a, 1), (np.asfortranarray(a), 1), (a[:, ::-1], 1)):
            results = []
            for t in (1, 2, 3):
                normnative.set_num_threads(t)
                results.append(_silent(lambda: normnative.norm(view, p, axis=axis)).tobytes())
            assert results[0] == results[1] == results[2], (shape, p)
            normnative.set_num_threads(1)
            assert results[0][:64 * 8] == _check_alone(view[:64], p, axis).tobytes(), (shape, p)


@pytest.mark.parametrize("p", (-1, -2.5, -0.5, -3, -1.7))
def test_lines_with_zeros_at_negative_orders(p):
    """Lines holding a zero are +0 with NumPy's divide-by-zero warning; the others keep their bits (rows: moved
    together before the float64 kernels run; columns: their zeros replaced by ones, the output then overwritten):
    every mix, whole bands of zero lines, none at all; C rows, reversed, F-order, columns."""
    rng = np.random.default_rng(23)
    for shape in ((3000, 4), (700, 64), (40, 1), (9, 200)):
        for frac in (0.0, 0.3, 0.97, 1.0):
            a = _ints(np.int16, shape, rng, "nonzero")
            hit = rng.random(shape[0]) < frac
            a[hit, rng.integers(0, shape[1], int(hit.sum()))] = 0
            for view, axis in ((a, 1), (a[::-1], 1), (np.asfortranarray(a), 1), (np.ascontiguousarray(a.T), 0)):
                for t in (1, 2):
                    normnative.set_num_threads(t)
                    got = _check_alone(view, p, axis)
                    assert ((got == 0) == (view == 0).any(axis=axis)).all()
                ours, w_ours = recorded(lambda: normnative.norm(view, p, axis=axis))
                ref, w_ref = recorded(lambda: np.linalg.norm(view, p, axis=axis))
                np.testing.assert_allclose(ours, ref, rtol=1e-13, atol=0)
                assert {(w.category, str(w.message)) for w in w_ours} == {(w.category, str(w.message)) for w in w_ref}


@pytest.mark.parametrize("dtype", (np.int8, np.uint32, np.int64), ids=lambda d: d.__name__)
def test_lines_of_nd_views_whose_kept_axes_do_not_merge(dtype):
    """Kept axes that cannot be merged into one (every other row, a reversed axis, a transposed pair): each output
    still has its line's bits alone, zero lines included, over 1/2/3 threads."""
    rng = np.random.default_rng(31)
    base = _ints(dtype, (6, 14, 2 * 9), rng, "small")
    base[0, 3] = 0
    views = (base[:, ::2, :9], base[::-1, 1::2, ::2], base[:, :, :7].transpose(1, 0, 2), base[:, ::-3, 1:10])
    for p in ORDS:
        for view in views:
            for t in (1, 3):
                normnative.set_num_threads(t)
                got = _silent(lambda: normnative.norm(view, p, axis=2))
                alone = np.array([[_silent(lambda: normnative.norm(view[i, j].astype(np.float64), p))
                                   for j in range(view.shape[1])] for i in range(view.shape[0])])
                assert got.tobytes() == alone.tobytes(), (p, view.shape, view.strides)
            ours, w_ours = recorded(lambda: normnative.norm(view, p, axis=2, keepdims=True))
            ref, w_ref = recorded(lambda: np.linalg.norm(view, p, axis=2, keepdims=True))
            assert ours.shape == ref.shape
            np.testing.assert_allclose(ours, ref, rtol=1e-13, atol=0)
            assert {(w.category, str(w.message)) for w in w_ours} == {(w.category, str(w.message)) for w in w_ref}
    big = _ints(dtype, (300, 40, 8), rng, "nonzero")[:, ::2, :5]  # 6000 lines: split over threads
    for p in (2, 1, 0.5, -1, 2.5, 1.7):
        outs = []
        for t in (1, 2, 3):
            normnative.set_num_threads(t)
            outs.append(_silent(lambda: normnative.norm(big, p, axis=2)).tobytes())
        assert outs[0] == outs[1] == outs[2]
        normnative.set_num_threads(1)
        assert outs[0][:8 * 20] == np.array([_silent(lambda: normnative.norm(big[0, j].astype(np.float64), p))
                                             for j in range(20)]).tobytes()
