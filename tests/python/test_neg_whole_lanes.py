"""Negative whole orders summed a SIMD lane per line (session 12): float64 lines of ≤ 128 values through LaneIntSums'
lanes (rows, columns, 3-D axes, integers widened), complex128 ord −2 through ComplexNegLanes (lines ≤ 128) and
complex ord −2 lane roots (LanePow.RunComplexNeg, longer lines and complex64). Every output bit for bit against the
same line reduced alone (the 1-D path), float64 against the exact correctly rounded norm (fractions) including
columns built next to a rounding midpoint, complex128 against mpmath (≤ 0.5 ulp + 2⁻⁴⁰), NumPy's values and warnings
for zeros / ∞ / NaN, and 1, 2, 3 threads giving the same bytes."""
import warnings

import mpmath
import numpy as np
import pytest

import normnative
from _reference import recorded
from test_lane_roots_rows import _alone, _restore_threads, _rows, _views  # noqa: F401 (an autouse fixture)
from test_neg_whole_rows import float32_midpoint_lines, rounded_root


def _quiet(f):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f()


def _cols_alone(a, p):
    return _alone(np.ascontiguousarray(a.T), p)


@pytest.mark.parametrize("p", (-2, -3, -7))
@pytest.mark.parametrize("kind", ("normal", "wide", "tiny", "huge", "special"))
def test_float64_columns_match_each_column_alone_and_exact(p, kind):
    rng = np.random.default_rng(-p * 11 + len(kind))
    for n, cols in ((4, 40), (3, 95), (16, 33), (64, 40), (128, 33), (1, 40), (4096, 9), (4097, 8)):
        a = _rows((cols, n), kind, rng).T.copy()  # C order, columns of n
        want = _quiet(lambda: _cols_alone(a, p))
        assert _quiet(lambda: normnative.norm(a, p, axis=0)).tobytes() == want.tobytes(), (p, kind, n)
        assert _quiet(lambda: normnative.norm(a[:, ::-1], p, axis=0)).tobytes() == want[::-1].tobytes()
        b = np.stack([a, a * 2.0])  # 3-D, axis 1: two kept axes
        got = _quiet(lambda: normnative.norm(b, p, axis=1))
        assert got[0].tobytes() == want.tobytes()
        if kind != "special" and n <= 128:  # (long columns: the exact sums of 1/|x|^7 get slow)
            for j in range(0, cols, 6):
                assert want[j] == rounded_root(a[:, j], p), (p, kind, n, j)


@pytest.mark.parametrize("p", (-2, -3))
def test_float64_columns_near_midpoints(p):
    """Columns solved to lie within ~2⁻⁶⁰ of a float64 rounding midpoint, among ordinary columns."""
    rng = np.random.default_rng(100 - p)
    lines = []
    while len(lines) < 48:
        x = rng.uniform(0.5, 2, 5)
        f = rounded_root(x, p)
        mid = (mpmath.mpf(f) + mpmath.mpf(float(np.nextafter(f, np.inf)))) / 2
        target = mid ** p - mpmath.fsum(mpmath.mpf(float(v)) ** p for v in x[:-1])
        if target <= 0:
            continue
        x[-1] = float(target ** (1 / mpmath.mpf(p)))
        lines.append(x)
        lines.append(rng.uniform(0.5, 2, 5))
    a = np.array(lines).T.copy()
    want = [rounded_root(a[:, j], p) for j in range(a.shape[1])]
    for threads in (1, 2):
        normnative.set_num_threads(threads)
        assert list(normnative.norm(a, p, axis=0)) == want


@pytest.mark.parametrize("dtype", ("int8", "int16", "int32", "int64", "uint8"))
def test_integer_columns_are_the_float64_columns(dtype):
    rng = np.random.default_rng(len(dtype) + 5)
    info = np.iinfo(dtype)
    a = rng.integers(max(info.min, -100), min(info.max, 100), size=(4, 600)).astype(dtype)
    a[a == 0] = 1
    a[2, 7] = 0
    for p in (-2, -3):
        got, w1 = recorded(lambda: normnative.norm(a, p, axis=0))
        want = _quiet(lambda: normnative.norm(a.astype(np.float64), p, axis=0))
        assert got.tobytes() == want.tobytes()
        assert got.tobytes() == _quiet(lambda: _cols_alone(a.astype(np.float64), p)).tobytes()
        _, w2 = recorded(lambda: np.linalg.norm(a, p, axis=0))
        assert [str(m.message) for m in w1] == [str(m.message) for m in w2]


def _ulps(got, exact):
    return float(abs(mpmath.mpf(float(got)) - exact) / mpmath.mpf(float(np.spacing(float(got)))))


@pytest.mark.parametrize("kind", ("normal", "wide", "tiny", "huge", "special"))
def test_complex128_rows_match_each_row_alone(kind):
    rng = np.random.default_rng(len(kind) + 77)
    for rows, n in ((32, 4), (33, 16), (95, 3), (64, 64), (40, 1), (35, 128), (33, 129), (70, 300)):
        a = _rows((rows, n), kind, rng, complex_=True)
        for name, view in _views(a):
            got = _quiet(lambda: normnative.norm(view, -2, axis=1))
            assert got.tobytes() == _quiet(lambda: _alone(view, -2)).tobytes(), (kind, rows, n, name)
        got = _quiet(lambda: normnative.norm(a.T, -2, axis=0))  # columns
        assert got.tobytes() == _quiet(lambda: _alone(a, -2)).tobytes(), (kind, rows, n)
        if kind in ("normal", "wide"):
            with mpmath.workprec(300):
                for i in range(0, rows, 9):
                    s = mpmath.fsum(1 / (mpmath.mpf(float(v.real)) ** 2 + mpmath.mpf(float(v.imag)) ** 2) for v in a[i])
                    assert _ulps(got[i], 1 / mpmath.sqrt(s)) <= 0.5 + 2.0 ** -40, (kind, rows, n, i)


def test_complex64_rows_match_each_row_alone():
    rng = np.random.default_rng(5)
    for rows, n in ((40, 4), (33, 16), (64, 64)):
        a = (rng.standard_normal((rows, n)) + 1j * rng.standard_normal((rows, n))).astype(np.complex64)
        a[3, 1] = 0
        for name, view in _views(a):
            got = _quiet(lambda: normnative.norm(view, -2, axis=1))
            assert got.dtype == np.float32
            assert got.tobytes() == _quiet(lambda: _alone(view, -2)).tobytes(), (rows, n, name)


def test_complex_special_rows_match_numpy_values_and_warnings():
    z = [[0j, 1 + 1j, 2], [np.inf, 1j, 2], [complex(np.nan, 1), 1, 2], [1 + 2j, 2, 2j], [1e-100j, 1e100, 3],
         [complex(np.inf, np.inf), np.inf, -np.inf], [1e-3, 1e3j, 3], [-0.0j, 1, 1]]
    a = np.array(z * 8, dtype=np.complex128)
    got, w1 = recorded(lambda: normnative.norm(a, -2, axis=1))
    want, w2 = recorded(lambda: np.linalg.norm(a, -2, axis=1))
    np.testing.assert_allclose(got, want, rtol=1e-14)
    assert np.signbit(got[~np.isnan(want)]).tolist() == np.signbit(want[~np.isnan(want)]).tolist()
    assert [str(m.message) for m in w1] == [str(m.message) for m in w2 if "invalid" not in str(m.message)]


def test_thread_counts_give_the_same_bytes():
    rng = np.random.default_rng(9)
    f = rng.standard_normal((12000, 6)) * 10.0 ** rng.integers(-150, 150, size=(12000, 6))
    c = f + 1j * rng.standard_normal((12000, 6))
    for a, p, ax in ((f, -2, 1), (f.T.copy(), -3, 0), (c, -2, 1), (c.T.copy(), -2, 0)):
        out = []
        for t in (1, 2, 3):
            normnative.set_num_threads(t)
            out.append(normnative.norm(a, p, axis=ax).tobytes())
        assert out[0] == out[1] == out[2], (p, ax)


@pytest.mark.parametrize("p", (-2, -3))
@pytest.mark.parametrize("kind", ("normal", "wide", "tiny", "special"))
def test_float32_columns_match_each_column_alone_and_exact(p, kind):
    """NarrowNegCols: float32 columns, a lane per output, stored only when proven correctly rounded."""
    rng = np.random.default_rng(-p * 13 + len(kind))
    for n, cols in ((4, 40), (2, 9), (16, 33), (64, 17), (300, 8), (5, 3001)):
        a = rng.standard_normal((n, cols))
        if kind == "wide":
            a *= 10.0 ** rng.integers(-40, 38, size=a.shape)
        elif kind == "tiny":
            a *= 1e-42
        elif kind == "special":
            a[rng.integers(0, n, 5), rng.integers(0, cols, 5)] = [0.0, 1e-45, np.inf, np.nan, 0.0]
            a[:, 1] = np.inf
        a = a.astype(np.float32)
        want = _quiet(lambda: _cols_alone(a, p))
        got = _quiet(lambda: normnative.norm(a, p, axis=0))
        assert got.dtype == np.float32
        assert got.tobytes() == want.tobytes(), (p, kind, n, cols)
        assert _quiet(lambda: normnative.norm(a[:, ::-1], p, axis=0)).tobytes() == want[::-1].tobytes()
        b = np.stack([a, a]).transpose(1, 0, 2)  # 3-D, axis 0 over two kept axes
        assert _quiet(lambda: normnative.norm(b, p, axis=0))[1].tobytes() == want.tobytes()
        if kind != "special":
            for j in range(0, cols, max(1, cols // 10)):
                assert float(got[j]) == rounded_root(a[:, j], p, np.float32), (p, kind, n, j)


@pytest.mark.parametrize("p", (-2, -3))
def test_float32_columns_near_midpoints(p):
    """float32 columns whose exact norm lies next to a float32 midpoint (a solved last element and its float32
    neighbours): the correctly rounded value, the bits of the column alone."""
    a = np.array(float32_midpoint_lines(p, -p + 90), dtype=np.float32).T.copy()
    want = [rounded_root(a[:, j], p, np.float32) for j in range(a.shape[1])]
    for threads in (1, 3):
        normnative.set_num_threads(threads)
        got = normnative.norm(a, p, axis=0)
        assert [float(v) for v in got] == want
        assert got.tobytes() == _cols_alone(a, p).tobytes()


def test_complex64_columns_match_each_column_alone_and_numpy():
    rng = np.random.default_rng(31)
    for n, cols in ((4, 40), (3, 8), (16, 33), (300, 9)):
        a = (rng.standard_normal((n, cols)) + 1j * rng.standard_normal((n, cols))).astype(np.complex64)
        a[1, 2] = 0
        a[0, 3] = complex(np.inf, 1)
        a[2, 4] = complex(np.nan, 0)
        a[:, 6] *= np.float32(1e-30)
        got, w1 = recorded(lambda: normnative.norm(a, -2, axis=0))
        assert got.dtype == np.float32
        assert got.tobytes() == _quiet(lambda: _cols_alone(a, -2)).tobytes(), (n, cols)
        want, w2 = recorded(lambda: np.linalg.norm(a, -2, axis=0))
        ok = np.isfinite(want) & (want > 0) & (np.abs(want) < 1e30)  # NumPy's own float32 powers under/overflow
        np.testing.assert_allclose(got[ok], want[ok], rtol=1e-6)
        assert {str(m.message) for m in w1} <= {str(m.message) for m in w2}
        for j in (0, 5, 6):
            s = mpmath.fsum(1 / (mpmath.mpf(float(v.real)) ** 2 + mpmath.mpf(float(v.imag)) ** 2) for v in a[:, j])
            assert float(got[j]) == float(np.float32(float(1 / mpmath.sqrt(s))))
