"""Real half-integer orders (±1.5 … ±64.5) of float64 lines and complex orders 3, 4, 2.5 over an axis of many short
lines (LanePow.RunHalf / RunComplex: each line summed as the path that reduces it alone sums it, the roots of 32 lines
taken in SIMD lanes): every output bit for bit against the same line reduced alone, sampled outputs against mpmath
(half-integers: the correctly rounded value, midpoints included — exact ties and norms within 2⁻¹⁰⁰ of a midpoint;
complex: within the 1-ulp bound), magnitudes near 1e±300, subnormals, zeros, inf and NaN (values and warnings as
NumPy), line lengths 1 … 70, row counts around the 32-line group, C, F-order, reversed and strided views, 1/2/3
threads. Both SIMD widths are covered by the xunit tests (LanePowTests)."""
import warnings
from fractions import Fraction

import mpmath
import numpy as np
import pytest

import normnative
from _reference import recorded, scaled_values
from test_ties import _pnorm_mp, _round_fraction, _round_mp, _sum_nudged_down, _tie

HALF = (1.5, 2.5, -1.5, 3.5, -2.5, 10.5, 64.5, -64.5)
COMPLEX = (3, 4, 2.5)


@pytest.fixture(autouse=True)
def _restore_threads():
    old = normnative.get_num_threads()
    yield
    normnative.set_num_threads(old)


def _rows(shape, kind, rng, complex_=False):
    a = scaled_values(shape, kind, rng, complex_)
    if kind == "special":
        rows, n = shape
        a[rng.integers(0, rows, 6), rng.integers(0, n, 6)] = [0.0, 5e-324, np.inf, -np.inf, np.nan, 0.0]
        a[rng.integers(0, rows)] = 0.0
    return a


def _alone(a, p):
    return np.array([normnative.norm(np.ascontiguousarray(a[i]), p) for i in range(a.shape[0])])


def _views(a):
    yield "C", a
    yield "F", np.asfortranarray(a)
    yield "reversed", a[::-1, ::-1]
    yield "strided", np.repeat(a, 2, axis=1)[:, ::2]


def _mp_norm(line, p):
    return _pnorm_mp([abs(complex(v)) if np.iscomplexobj(line) else v for v in line], p) if not np.iscomplexobj(line) \
        else mpmath.fsum(mpmath.fabs(mpmath.mpc(float(v.real), float(v.imag))) ** p for v in line if v != 0) ** (1 / mpmath.mpf(p))


def _ulps(got, v):
    """|got − v| in units of the float64 spacing at v."""
    f = float(v)
    return float(abs(mpmath.mpf(got) - v) / mpmath.mpf(np.spacing(f)))


@pytest.mark.parametrize("p", HALF)
@pytest.mark.parametrize("kind", ("normal", "wide", "tiny", "huge", "special"))
def test_half_integer_rows_match_each_row_alone_and_mpmath(p, kind):
    rng = np.random.default_rng(int(abs(p) * 10) + 3 * len(kind))
    for rows, n in ((32, 4), (33, 16), (95, 3), (64, 64), (40, 1), (31, 5)):
        a = _rows((rows, n), kind, rng)
        for name, view in _views(a):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = normnative.norm(view, p, axis=1)
                alone = _alone(view, p)
            assert got.tobytes() == alone.tobytes(), (p, kind, rows, n, name)
        if kind != "special":
            got = normnative.norm(a, p, axis=1)
            for i in range(0, rows, 9):
                assert got[i] == _round_mp(_pnorm_mp(a[i], p)), (p, kind, rows, n, i)


@pytest.mark.parametrize("dtype", ("complex128", "complex64"))
@pytest.mark.parametrize("p", COMPLEX)
@pytest.mark.parametrize("kind", ("normal", "wide", "tiny", "special"))
def test_complex_rows_match_each_row_alone_and_mpmath(dtype, p, kind):
    rng = np.random.default_rng(int(p * 10) + 3 * len(kind) + len(dtype))
    for rows, n in ((32, 4), (33, 7), (33, 8), (95, 3), (64, 64), (40, 1), (31, 5)):
        a = _rows((rows, n), kind, rng, complex_=True)
        if dtype == "complex64":
            a = (a / 1e270 if kind in ("wide", "huge") else a * 1e270 if kind == "tiny" else a).astype(np.complex64)
        for name, view in _views(a):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = normnative.norm(view, p, axis=1)
                alone = _alone(view, p)
                assert got.dtype == np.linalg.norm(view[:1], p, axis=1).dtype
            assert got.tobytes() == alone.tobytes(), (dtype, p, kind, rows, n, name)
        if kind != "special" and dtype == "complex128":
            got = normnative.norm(a, p, axis=1)
            for i in range(0, rows, 9):
                # README's bounds: 1 ulp for whole orders, 2 for 2.5 (lines under 8 elements take GeneralNorm's
                # per-element pow: 1.13 ulps seen)
                assert _ulps(got[i], _mp_norm(a[i], p)) <= (1 if p in (3, 4) else 2), (p, kind, rows, n, i)


@pytest.mark.parametrize("n", range(1, 71, 3))
def test_every_length(n):
    rng = np.random.default_rng(n)
    a = rng.standard_normal((35, n))
    c = a + 1j * rng.standard_normal((35, n))
    for p in (1.5, -2.5):
        assert normnative.norm(a, p, axis=1).tobytes() == _alone(a, p).tobytes()
        assert normnative.norm(a.T, p, axis=0).tobytes() == _alone(a, p).tobytes()
    for p in (3, 2.5):
        assert normnative.norm(c, p, axis=1).tobytes() == _alone(c, p).tobytes()


def test_exact_midpoint_rows_round_to_even():
    """Rows that are exact p = 1.5 ties (test_ties' construction, padded with a zero) and rows next to a tie by ~2⁻¹⁶⁰
    of the norm, among ordinary rows: the correctly rounded value for each, every thread count."""
    rows, want = [], []
    for s in range(40):
        x, m = _tie(1.5, 50 * s + 11, s % 2 == 0)
        if s % 4 == 3:  # next to the midpoint, above (an extra tiny element) or below (a nudged sum)
            mf = float(m)
            y = np.append(x, mf * 2.0 ** (-160 / 1.5)) if s % 8 == 3 else _sum_nudged_down(x, 1.5)
            rows.append(y)
            want.append(_round_mp(_pnorm_mp(y, 1.5)))
        else:
            rows.append(np.append(x, 0.0))
            want.append(_round_fraction(m))
        rows.append(np.random.default_rng(s).uniform(0.5, 2, 4))
        want.append(None)
    a = np.array(rows)
    for threads in (1, 2, 3):
        normnative.set_num_threads(threads)
        for name, view in (("C", a), ("F", np.asfortranarray(a)), ("reversed", a[::-1, ::-1])):
            got = normnative.norm(view, 1.5, axis=1)
            w = want[::-1] if name == "reversed" else want
            for i, v in enumerate(w):
                if v is not None:
                    assert got[i] == v, (name, threads, i)
            assert got.tobytes() == _alone(view, 1.5).tobytes()


@pytest.mark.parametrize("p", (2.5, -1.5, 3.5, -2.5, 10.5))
def test_rows_near_midpoints_random(p):
    """Rows whose norm is made to fall within ~2⁻⁶⁰ of a float64 midpoint by solving for the last element."""
    rng = np.random.default_rng(int(abs(p) * 10) + 1)
    rows, want = [], []
    while len(rows) < 36:
        x = rng.uniform(0.5, 2, 12)
        f = _round_mp(_pnorm_mp(x, p))
        mid = (mpmath.mpf(f) + mpmath.mpf(np.nextafter(f, np.inf))) / 2
        target = mid ** p - _pnorm_mp(x[:-1], p) ** p
        if target <= 0:
            continue
        x[-1] = float(target ** (1 / mpmath.mpf(p)))
        rows.append(x)
        want.append(_round_mp(_pnorm_mp(x, p)))
    a = np.array(rows)
    for threads in (1, 3):
        normnative.set_num_threads(threads)
        got = normnative.norm(a, p, axis=1)
        assert list(got) == want
        assert got.tobytes() == _alone(a, p).tobytes()


def test_special_rows_match_numpy_values_and_warnings():
    a = np.array([[0.0, 0.0, 0.0], [np.inf, 1.0, 2.0], [np.nan, 1.0, 2.0], [1.0, 2.0, 2.0], [0.0, 1.0, 2.0]] * 8)
    c = a.astype(complex)
    c.imag = a[::-1]
    cases = [(a, p) for p in (1.5, -1.5, 2.5, -64.5)] + [(c, p) for p in COMPLEX]
    for x, p in cases:
        got, w1 = recorded(lambda: normnative.norm(x, p, axis=1))
        want, w2 = recorded(lambda: np.linalg.norm(x, p, axis=1))
        np.testing.assert_allclose(got, want, rtol=1e-14)
        assert [str(m.message) for m in w1] == [str(m.message) for m in w2 if "invalid" not in str(m.message)]


@pytest.mark.parametrize("p", (1.5, -2.5, 3, 2.5))
def test_thread_count_does_not_change_bits(p):
    rng = np.random.default_rng(8)
    a = rng.standard_normal((20000, 8)) * 10.0 ** rng.integers(-100, 100, size=(20000, 8))
    if p in COMPLEX:
        a = a + 1j * a[::-1]
    results = []
    for t in (1, 2, 3):
        normnative.set_num_threads(t)
        results.append(normnative.norm(a, p, axis=1).tobytes())
    assert results[0] == results[1] == results[2]
