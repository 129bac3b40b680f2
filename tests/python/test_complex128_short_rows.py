"""complex128 general orders (1/4 ≤ |p| ≤ 1000, no kernel of their own; 2.5 included) over lines of ≤ 128 values (64 until session 28; 41–128 in four chains) (2.5: 24): ComplexLaneSums'
general terms, one definition for a lone line and for a SIMD lane per line. Checks: 100-digit mpmath references
(within 0.5 ulp plus the table-reduced terms' error over |p|, _bound) over magnitudes near 1e±300, subnormals, huge and tiny in one
line and one component zero; every path that reduces such a line (C rows, F-order columns, strided, reversed, 1-D contiguous, strided and negative-stride vectors) against the same line alone, bit for bit, at lengths
around the limits (24/25, 40/41, 64/65, 128/129); special values and warnings as NumPy's (NaN, ∞, zeros with negative orders → 0 and
divide-by-zero, all-zero lines). 3-D reductions over two axes and both SIMD widths: ComplexLaneSumsTests (xunit)."""
import warnings

import mpmath
import numpy as np
import pytest

import normnative
from test_lane_complex_rows import _restore_threads, _rows  # noqa: F401 (the autouse fixture restores the thread count)

ORDERS = (1.7, -2.5, 2.5, 0.3, -0.75, 7.5, 31.9, -3.0, -31.5, 1.5, 0.25, -0.25, 32.0,
          # beyond ±32 (session 21): whole orders above MaxOrder 64, the refined scale above 512, up to ±1000
          32.5, -40.0, 65.0, 100.0, -100.0, 333.3, 512.0, 512.5, -640.5, 800.0, 1000.0, -1000.0)
LIMIT = 128  # ComplexLaneSums.MaxGeneralLength (2.5: 24, MaxLength25)


_KINDS = (None, "wide", "tiny", "huge", "axis")  # plain, huge and tiny in one line, subnormal, huge, one component zero


def _line(n, kind, rng):
    return _rows(n, _KINDS[kind], rng)


def _exact(line, p):
    mpmath.mp.dps = 100
    s = mpmath.mpf(0)
    for z in line:
        m = mpmath.sqrt(mpmath.mpf(float(z.real)) ** 2 + mpmath.mpf(float(z.imag)) ** 2)
        if m != 0:
            s += m ** mpmath.mpf(p)
    return s ** (1 / mpmath.mpf(p))


def _bound(p):
    """ComplexLaneSums' bound in ulps: the float64 rounding plus the terms' relative error 2⁻⁵⁶·⁵ + 2⁻⁵⁷·⁵·|p| divided
    by |p| in the root and the root's own 2⁻⁶³, an ulp being at least 2⁻⁵³ of the value."""
    return 0.5 + 2.0 ** 53 * ((2.0 ** -56.5 + 2.0 ** -57.5 * abs(p)) / abs(p) + 2.0 ** -63)


def _ulps(got, want):
    return float(abs(mpmath.mpf(float(got)) - want) / mpmath.mpf(float(np.spacing(abs(float(want))))))


@pytest.mark.parametrize("p", ORDERS)
def test_accuracy_against_mpmath(p):
    rng = np.random.default_rng(int(abs(p) * 100) + 7)
    worst = 0.0
    for trial in range(60):
        n = int(rng.integers(1, LIMIT + 1))
        line = _line(n, trial % 5, rng)
        want = _exact(line, p)
        if not (mpmath.mpf(2) ** -1022 < want < mpmath.mpf(2) ** 1023):
            continue  # subnormal or overflowing results: covered by the parity checks below
        got = normnative.norm(line, p)
        worst = max(worst, _ulps(got, want))
        rows = normnative.norm(np.stack([line] * 9), p, axis=1)
        assert (rows == got).all()
    assert worst <= _bound(p), worst


@pytest.mark.parametrize("p", (1.7, -2.5, 2.5, 0.3, -31.5, 100.0, -777.0, 999.5))
def test_every_path_gives_the_lone_line_bits(p):
    rng = np.random.default_rng(int(abs(p) * 10))
    for n in (1, 2, 3, 4, 7, 8, 9, 16, 23, 24, 25, 32, 39, 40, 41, 44, 45, 63, 64, 65, 100, 127, 128, 129):
        a = _line(40 * n, int(rng.integers(0, 5)), rng).reshape(40, n)
        alone = np.array([normnative.norm(a[i], p) for i in range(40)])
        assert alone.view(np.int64).tolist() == normnative.norm(a, p, axis=1).view(np.int64).tolist()
        f = np.asfortranarray(a)
        assert (normnative.norm(f, p, axis=1) == alone).all()
        assert (normnative.norm(f.T, p, axis=0) == alone).all()
        assert (normnative.norm(a[::-1, ::-1], p, axis=1)[::-1] == np.array([normnative.norm(a[i, ::-1], p) for i in range(40)])).all()
        big = np.zeros((40, 3 * n), complex)
        big[:, ::3] = a
        assert (normnative.norm(big[:, ::3], p, axis=1) == alone).all()
        for i in (0, 17, 39):
            assert normnative.norm(big[i, ::3], p) == alone[i]
            assert normnative.norm(a[i, ::-1][::-1], p) == alone[i]
    a = _line(3001 * 6, 1, rng).reshape(3001, 6)
    for threads in (1, 2, 3):
        normnative.set_num_threads(threads)
        r = normnative.norm(a, p, axis=1)
        assert r[1234] == normnative.norm(a[1234], p)
        if threads == 1:
            first = r
        assert (r == first).all()


@pytest.mark.parametrize("p", (1.7, -2.5, 0.3, -0.75))
def test_special_values_and_warnings_as_numpy(p):
    nan, inf = np.nan, np.inf
    rows = np.array([
        [1, 2, 3j, 4],
        [0, 0, 0, 0],
        [complex(inf, nan), 1, 1, 1],
        [complex(nan, 0), 1, 1, 1],
        [0, 1, 2, 3],
        [complex(inf, 0), 1, 2, 3],
        [1e308 + 1e308j, 1e308, 1e308, 1e-308],
        [5e-324, 5e-324j, 1e-320, 0],
        [complex(-inf, 2), complex(0, nan), 0, 1],
    ], dtype=complex)
    for sel in (slice(None), slice(0, 1), slice(1, 2), slice(4, 5)):
        part = np.repeat(rows[sel], 5, axis=0)
        with warnings.catch_warnings(record=True) as ours:
            warnings.simplefilter("always")
            got = normnative.norm(part, p, axis=1)
        with warnings.catch_warnings(record=True) as theirs:
            warnings.simplefilter("always")
            want = np.linalg.norm(part, p, axis=1)
        for g, w, row in zip(got, want, part):
            if not np.isfinite(row).all() or (row == 0).all() or (p < 0 and (row == 0).any()):
                assert g == w or (np.isnan(g) and np.isnan(w)), (p, row, g, w)  # NumPy's special-value rules
            else:  # NumPy may overflow or underflow here: the exact value instead
                e = _exact(row, p)
                if e < 2.0 ** -1022:  # subnormal: the 2⁻¹⁰⁷⁴ grid
                    assert g == float(mpmath.nint(e * mpmath.mpf(2) ** 1074)) * 2.0 ** -1074, (p, row, g)
                elif e > mpmath.mpf(2) ** 1024 * (1 - mpmath.mpf(2) ** -54):  # overflows (with numpy's warning)
                    assert g == np.inf
                else:
                    assert _ulps(g, e) <= _bound(p), (p, row, g)
        mine, numpys = {str(w.message) for w in ours}, {str(w.message) for w in theirs}
        if sel == slice(None):  # NumPy's power overflows spuriously on the tiny and huge rows: the zero's warning only
            assert ("divide by zero encountered in power" in mine) == ("divide by zero encountered in power" in numpys)
        else:
            assert mine == numpys
    # no spurious overflow or underflow: the exact values
    huge = np.full(4, 1e300 + 1e300j)
    assert normnative.norm(huge, p) == float(_exact(huge, p))
    tiny = np.full(3, 5e-324 + 0j)
    want = _exact(tiny, p)  # subnormal: rounded on the 2⁻¹⁰⁷⁴ grid
    assert normnative.norm(tiny, p) == float(mpmath.nint(want * mpmath.mpf(2) ** 1074)) * 2.0 ** -1074


@pytest.mark.parametrize("p", (512.0, 800.0, 1000.0, 999.5, 640.0 + 0.5, -1000.0, -333.3))
def test_extreme_orders_keep_every_term_that_counts(p):
    """The largest orders' edges (ComplexLaneSums.RefineAbove): a line whose largest |z| is half its largest
    component's binade (its largest term near 2⁻ᵖ after the component scale, refined to 2^(−p/2) above 512) beside
    values a few percent smaller that still add ~e⁻¹⁶ … e⁻²⁰ of it each (dropping terms below e⁻⁷⁰⁰ must not touch them),
    or just above that half (no refinement); at p = −1000 the smallest |z| ≈ ½ puts the largest term near 2¹⁰⁰⁰ (no
    overflow in the sum of 128). Within the accuracy bound of the 100-digit reference, and the same bits in rows."""
    for scale in (1.0, 2.0 ** -900, 2.0 ** 900, 3.0 ** 300, 2.0 ** -1060):
        for n in (2, 5, 64, 128):
            for top in (0.5, 0.7072, 0.99):
                k = np.arange(n)
                line = (top - 0.01 * k / n) * scale + 0j
                line[-1] = complex(0, top * scale) if p > 0 else complex(0.35 * scale, 0.35 * scale)
                want = _exact(line, p)
                if not (mpmath.mpf(2) ** -1022 < want < mpmath.mpf(2) ** 1023):
                    continue  # subnormal or overflowing results: the parity checks above
                got = normnative.norm(line, p)
                assert _ulps(got, want) <= _bound(p), (p, scale, n, top, got)
                assert (normnative.norm(np.stack([line] * 9), p, axis=1) == got).all()
                assert (normnative.norm(np.stack([line] * 9).T, p, axis=0) == got).all()
