"""Negative whole orders −2 … −64 of float64 (and integer) lines over an axis of many short lines
(LanePow.RunNegWhole: each line summed as the 1-D path sums it alone, the roots of 32 lines taken in SIMD lanes,
near-midpoint roots decided exactly by the 1-D finish): every output bit for bit against the same line reduced
alone, sampled outputs against the exact correctly rounded norm (fractions), rows
solved to fall next to a rounding midpoint, magnitudes near 1e±300, subnormals, zeros (+0 and NumPy's divide
warning), inf and NaN, line lengths 1 … 70, row counts around the 32-line group, C, F-order, reversed and strided
views, 1/2/3 threads. Both SIMD widths: NegWholeRowsTests (xunit)."""
import warnings

import mpmath
import numpy as np
import pytest

import normnative
from _reference import recorded
from test_lane_roots_rows import _alone, _restore_threads, _rows, _views  # noqa: F401 (an autouse fixture)
from fractions import Fraction as F


def rounded_root(x, p, dt=np.float64):
    """The correctly rounded (dtype dt) (Σ|xᵢ|^p)^(1/p) for a negative whole p, exactly: the norm is T^(1/q) with
    T = 1/S (a rational) and q = −p; a candidate from mpmath is walked to the double whose rounding interval
    holds it by comparing T with the q-th powers of its midpoints (ties to even)."""
    if any(v == 0 for v in x):
        return 0.0  # 1/0 = ∞ in the sum
    q = -p
    t = 1 / sum(F(abs(float(v))) ** p for v in x)
    with mpmath.workprec(400):
        c = dt(float(mpmath.root(mpmath.mpf(t.numerator) / t.denominator, q)))
    for _ in range(8):
        lo = (F(float(c)) + F(float(np.nextafter(c, dt(0))))) / 2
        hi = (F(float(c)) + F(float(np.nextafter(c, dt(np.inf))))) / 2
        odd = int(np.array(c).view(np.int64 if dt == np.float64 else np.int32)) & 1
        if t < lo ** q or (t == lo ** q and odd):
            c = np.nextafter(c, dt(0))
        elif t > hi ** q or (t == hi ** q and odd):
            c = np.nextafter(c, dt(np.inf))
        else:
            return float(c)
    raise AssertionError("no nearest value")

ORDS = (-2, -3, -4, -8, -17, -64)


@pytest.mark.parametrize("p", ORDS)
@pytest.mark.parametrize("kind", ("normal", "wide", "tiny", "huge", "special"))
def test_rows_match_each_row_alone_and_exact(p, kind):
    rng = np.random.default_rng(-p * 10 + 3 * len(kind))
    for rows, n in ((32, 4), (33, 16), (95, 3), (64, 64), (40, 1), (31, 5), (100, 2)):
        a = _rows((rows, n), kind, rng)
        for name, view in _views(a):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = normnative.norm(view, p, axis=1)
                alone = _alone(view, p)
            assert got.tobytes() == alone.tobytes(), (p, kind, rows, n, name)
        if kind != "special":
            got = normnative.norm(a, p, axis=1)
            for i in range(0, rows, 7):
                assert got[i] == rounded_root(a[i], p), (p, kind, rows, n, i)


@pytest.mark.parametrize("n", range(1, 71, 3))
def test_every_length_rows_and_columns(n):
    rng = np.random.default_rng(n)
    a = rng.standard_normal((35, n))
    for p in (-2, -5):
        alone = _alone(a, p).tobytes()
        assert normnative.norm(a, p, axis=1).tobytes() == alone
        assert normnative.norm(a.T, p, axis=0).tobytes() == alone
        assert normnative.norm(np.asfortranarray(a.T), p, axis=0).tobytes() == alone


@pytest.mark.parametrize("p", (-2, -3, -4, -8))
def test_rows_near_midpoints(p):
    """Rows whose norm is made to fall within ~2⁻⁶⁰ of a float64 midpoint by solving for the last element, among
    ordinary rows: the exact correctly rounded value for each, every thread count."""
    rng = np.random.default_rng(-p)
    rows = []
    while len(rows) < 40:
        x = rng.uniform(0.5, 2, 6)
        f = float(mpmath.mpf(rounded_root(x, p)))
        mid = (mpmath.mpf(f) + mpmath.mpf(np.nextafter(f, np.inf))) / 2
        s = mpmath.fsum(mpmath.mpf(float(v)) ** p for v in x[:-1])
        target = mid ** p - s
        if target <= 0:
            continue
        x[-1] = float(target ** (1 / mpmath.mpf(p)))
        rows.append(x)
        rows.append(rng.uniform(0.5, 2, 6))
    a = np.array(rows)
    want = [rounded_root(r, p) for r in a]
    for threads in (1, 2, 3):
        normnative.set_num_threads(threads)
        got = normnative.norm(a, p, axis=1)
        assert list(got) == want
        assert got.tobytes() == _alone(a, p).tobytes()


def test_special_rows_match_numpy_values_and_warnings():
    a = np.array([[0.0, 0.0, 0.0], [np.inf, 1.0, 2.0], [np.nan, 1.0, 2.0], [1.0, 2.0, 2.0], [0.0, 1.0, 2.0],
                  [np.inf, np.inf, -np.inf], [1e-3, 1e3, 3.0], [-0.0, 1.0, 1.0]] * 8)
    for p in (-2, -3, -64):
        got, w1 = recorded(lambda: normnative.norm(a, p, axis=1))
        want, w2 = recorded(lambda: np.linalg.norm(a, p, axis=1))
        np.testing.assert_allclose(got, want, rtol=1e-14)
        assert np.signbit(got[~np.isnan(want)]).tolist() == np.signbit(want[~np.isnan(want)]).tolist()
        assert [str(m.message) for m in w1] == [str(m.message) for m in w2 if "invalid" not in str(m.message)]


@pytest.mark.parametrize("dtype", ("int8", "int32", "int64", "uint16"))
def test_integer_rows_are_the_float64_rows(dtype):
    rng = np.random.default_rng(len(dtype))
    info = np.iinfo(dtype)
    a = rng.integers(max(info.min, -1000), min(info.max, 1000), size=(300, 4)).astype(dtype)
    a[5, 1] = 0
    for p in (-2, -3, -8):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = normnative.norm(a, p, axis=1)
            want = normnative.norm(a.astype(np.float64), p, axis=1)
        assert got.tobytes() == want.tobytes()
        assert got.tobytes() == _alone(a.astype(np.float64), p).tobytes()


@pytest.mark.parametrize("p", (-2, -7))
def test_thread_count_and_nd_axes_do_not_change_bits(p):
    rng = np.random.default_rng(8)
    a = rng.standard_normal((20000, 8)) * 10.0 ** rng.integers(-100, 100, size=(20000, 8))
    results = []
    for t in (1, 2, 3):
        normnative.set_num_threads(t)
        results.append(normnative.norm(a, p, axis=1).tobytes())
    assert results[0] == results[1] == results[2]
    b = a[:2000].reshape(50, 40, 8)
    assert normnative.norm(b, p, axis=2).ravel().tobytes() == _alone(a[:2000], p).tobytes()
    c = a[:4000].reshape(50, 80, 8)[:, ::-2, :]  # kept axes that do not merge
    assert normnative.norm(c, p, axis=2).ravel().tobytes() == _alone(c.reshape(2000, 8), p).tobytes()
    d = a[:2000].reshape(50, 8, 40)  # the middle axis reduced: lines strided, outputs over two axes
    want = _alone(np.moveaxis(d, 1, 2).reshape(2000, 8), p)
    assert normnative.norm(d, p, axis=1).ravel().tobytes() == want.tobytes()


@pytest.mark.parametrize("p", (-2, -3, -4, -8, -64))
@pytest.mark.parametrize("kind", ("normal", "wide", "tiny", "special"))
def test_float32_rows_match_each_row_alone_and_exact(p, kind):
    """float32 rows (NarrowLaneSums: plain-double lanes, a result stored only where proven correctly rounded)."""
    rng = np.random.default_rng(-p * 7 + len(kind))
    for rows, n in ((8, 4), (9, 16), (95, 3), (64, 64), (40, 1), (3001, 5), (33, 65)):
        a = rng.standard_normal((rows, n))
        if kind == "wide":
            a *= 10.0 ** rng.integers(-40, 38, size=a.shape)
        elif kind == "tiny":
            a *= 1e-42
        elif kind == "special":
            a[rng.integers(0, rows, 5), rng.integers(0, n, 5)] = [0.0, 1e-45, np.inf, np.nan, 0.0]
        a = a.astype(np.float32)
        for name, view in _views(a):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = normnative.norm(view, p, axis=1)
                alone = _alone(view, p)
            assert got.dtype == np.float32
            assert got.tobytes() == alone.tobytes(), (p, kind, rows, n, name)
        if kind != "special":
            got = normnative.norm(a, p, axis=1)
            for i in range(0, rows, max(1, rows // 12)):
                assert got[i] == rounded_root(a[i], p, np.float32), (p, kind, rows, n, i)


def float32_midpoint_lines(p, seed, count=60):
    """At least ``count`` float32 lines of 5 values whose exact norm of negative order p lies next to a float32
    midpoint: a random line, its last element solved for the midpoint, then that element's float32 neighbours."""
    rng = np.random.default_rng(seed)
    lines = []
    while len(lines) < count:
        x = rng.uniform(0.5, 2, 5).astype(np.float32)
        f = np.float32(rounded_root(x, p, np.float32))
        mid = (mpmath.mpf(float(f)) + mpmath.mpf(float(np.nextafter(f, np.float32(np.inf))))) / 2
        target = mid ** p - mpmath.fsum(mpmath.mpf(float(v)) ** p for v in x[:-1])
        if target <= 0:
            continue
        last = np.float32(float(target ** (1 / mpmath.mpf(p))))
        for d in (last, np.nextafter(last, np.float32(0)), np.nextafter(last, np.float32(np.inf))):
            y = x.copy()
            y[-1] = d
            lines.append(y)
    return lines


@pytest.mark.parametrize("p", (-2, -3))
def test_float32_rows_near_midpoints(p):
    """float32 rows whose exact norm lies next to a float32 midpoint (solved last element, then its float32
    neighbours): the correctly rounded value, as the line alone."""
    a = np.array(float32_midpoint_lines(p, -p + 40), dtype=np.float32)
    want = [rounded_root(r, p, np.float32) for r in a]
    for threads in (1, 3):
        normnative.set_num_threads(threads)
        got = normnative.norm(a, p, axis=1)
        assert [float(v) for v in got] == want
        assert got.tobytes() == _alone(a, p).tobytes()
