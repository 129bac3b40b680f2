"""Float64 short columns (session 14, ``colpow2``): ord -3 over adjacent outputs in double-double lanes with proved
roundings (DDColumns' NegCubic), general-p columns loaded a row of eight adjacent outputs at a time (LaneSums).

Every float64 output is checked against the column reduced alone (the 1-D path's bits) and, for ord -3, against an
exact reference (``test_rcols._cr``: 130-digit mpmath, the midpoints decided exactly), including columns whose norm
lies within ~2^-100 of a rounding midpoint (a lane that stored those without the hand-off to the exact path would
round some of them the wrong way), extreme scales, zeros/inf/nan with NumPy's values and warnings, odd widths,
reversed and strided kept axes, N-D slabs, and 1 vs 2 threads bit for bit."""
import warnings
import zlib
from fractions import Fraction

import mpmath
import numpy as np
import pytest

import normnative
from test_rcols import KINDS, _check_exact, _scaled


def _norm(x, p, axis=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return normnative.norm(x, p, axis=axis)


def _alone(a, p):
    return np.array([_norm(np.array(c), p) for c in a.T])


def _threads(f):
    outs = []
    for threads in (1, 2):
        old = normnative.set_num_threads(threads)
        try:
            outs.append(f())
        finally:
            normnative.set_num_threads(old)
    assert outs[0].tobytes() == outs[1].tobytes()
    return outs[0]


def test_float64_neg3_columns_correctly_rounded_every_layout():
    rng = np.random.default_rng(zlib.crc32(b"colpow2 -3 columns"))
    for n in (2, 3, 4, 5, 7, 16, 33):
        for width in (1, 7, 8, 9, 17, 19):
            kind = KINDS[(n + width) % len(KINDS)]
            a = _scaled(rng, (n, width), kind, "float64")
            got = _norm(a, -3, axis=0)
            assert got.dtype == np.float64
            _check_exact(got, a.T, -3, np.float64)
            assert got.tobytes() == _alone(a, -3).tobytes()
            assert _norm(np.asfortranarray(a.T), -3, axis=1).tobytes() == got.tobytes()
            assert _norm(a[::-1], -3, axis=0).tobytes() == got.tobytes()
            assert _norm(a[:, ::-1], -3, axis=0).tobytes() == got[::-1].tobytes()
            wide = np.zeros((n, 2 * width))
            wide[:, ::2] = a
            assert _norm(wide[:, ::2], -3, axis=0).tobytes() == got.tobytes()
            b = np.ascontiguousarray(np.broadcast_to(a[:, None, :], (n, 3, width)))
            assert _norm(b, -3, axis=0).tobytes() == np.tile(got, (3, 1)).tobytes()


@pytest.mark.parametrize("p", [-3, -2.5, 2.5, 1.5, 3, 4, 5, 6, 7, 8])
def test_float64_columns_and_short_rows_near_rounding_midpoints(p):
    """Lines [a, b, c, e] whose norm N = (a^p + b^p + c^p + e^p)^(1/p) lies within ~2^-100 of the rounding midpoint
    next to a, on either side (b fills most of the gap, c most of what b's granularity leaves; e = 0, or 2^150 for
    p < 0: negligible but inside the lanes' range), as columns (C axis 0) and as short rows (C axis 1, eight lines
    loaded element by element). Fails for every order, as rows and (with the rows check removed) as columns, with the
    lanes' proof margin removed (checked), i.e. a lane must hand these outputs to the exact path."""
    rng = np.random.default_rng(61 + int(4 * p))
    cols, lines = 64, []
    for j in range(cols):
        a = rng.uniform(1, 2) * 2.0 ** int(rng.integers(-30, 30))
        other = np.nextafter(a, 0.0 if p < 0 else np.inf)
        m = (Fraction(a) + Fraction(float(other))) / 2
        with mpmath.workdps(90):
            mm = mpmath.mpf(m.numerator) / m.denominator
            b = float((mm ** p - mpmath.mpf(a) ** p) ** (1 / mpmath.mpf(p)))
        b = [b, np.nextafter(b, 0.0), np.nextafter(b, np.inf)][j % 3]
        with mpmath.workdps(90):
            rest = mm ** p - mpmath.mpf(a) ** p - mpmath.mpf(b) ** p
            far = 2.0 ** 160 if p < 0 else 0.0
            c = float(rest ** (1 / mpmath.mpf(p))) if rest > 0 and j % 4 else far
        e = 2.0 ** 150 if p < 0 else 0.0
        lines.append([a, -b, c, e] if j % 2 else [e, a, b, -c])
    x = np.array(lines).T.copy()
    rows = np.ascontiguousarray(x.T)
    by_rows = _threads(lambda: _norm(rows, p, axis=1))
    _check_exact(by_rows, rows, p, np.float64)
    got = _threads(lambda: _norm(x, p, axis=0))
    _check_exact(got, x.T, p, np.float64)
    assert got.tobytes() == _alone(x, p).tobytes() == by_rows.tobytes()
    assert _norm(rows[::-1], p, axis=1).tobytes() == got[::-1].tobytes()


def test_float64_neg3_special_columns_match_numpy_values_and_warnings():
    x = np.array([[1.0, 0.0, 3.0, np.nan, 5.0, np.inf, 1e-300, 2.0, -0.0],
                  [2.0, 1.0, -np.inf, 1.0, 5.0, np.inf, 1.0, 1e250, 1.0],
                  [3.0, 2.0, 4.0, 2.0, -6.0, 1.0, 1e-310, 2.0, 1.0]])
    x = np.tile(x, (1, 3))  # 27 columns: three groups of eight and a tail
    with warnings.catch_warnings(record=True) as w_np:
        warnings.simplefilter("always")
        want = np.linalg.norm(x, -3, axis=0)
    with warnings.catch_warnings(record=True) as w_nn:
        warnings.simplefilter("always")
        got = normnative.norm(x, -3, axis=0)
    # NumPy's 1e-310 ** -3 overflows (a spurious overflow: the norm is 1e-310); ours warns only for the zeros
    assert {str(w.message) for w in w_nn} == {str(w.message) for w in w_np} - {"overflow encountered in power"}
    assert len(w_nn) == 1
    assert got.dtype == want.dtype
    for g, wv, line in zip(got, want, x.T):
        if np.any(np.isnan(line)) or np.any(line == 0):
            assert (np.isnan(g) and np.isnan(wv)) or (g == wv == 0)
        else:  # an infinite element adds a zero term (NumPy is an ulp off on [3, -inf, 4]; ours is correctly rounded)
            with mpmath.workdps(60):
                ref = mpmath.fsum(abs(mpmath.mpf(v)) ** -3 for v in line if np.isfinite(v)) ** (-mpmath.mpf(1) / 3)
            assert g == float(ref)


@pytest.mark.parametrize("p", [-3, 2.5, -2.5, 1.5, 3, 4, 5, 6, 7, 8, -1, 0.5, 1.7, 0.3, -2.7])
def test_float64_adjacent_columns_equal_the_columns_alone(p):
    """Adjacent outputs: the lanes' rows loaded whole must give each column the bits of the column reduced alone
    (DDColumns' proved lanes, eight or four outputs a step and a padded tail; LaneSums' 1-D recipe for general p), at
    odd widths, reversed/strided kept axes, F rows, 3-D slabs, 1 vs 2 threads."""
    rng = np.random.default_rng(zlib.crc32(f"colpow2 alone {p}".encode()))
    for n, width, kind in ((4, 3001, "normal"), (3, 17, "mixed"), (5, 9, "tiny"), (64, 41, "huge"), (2, 7, "normal"),
                           (7, 25, "subnormal"), (6, 1003, "mixed"), (3, 801, "huge"), (4, 2001, "spread"), (9, 803, "spread")):
        if kind == "spread":  # every exponent the lanes take (|x| in [2^-200, 2^200]): their sums span 2^±500
            a = rng.standard_normal((n, width)) * np.exp2(rng.integers(-190, 190, (n, 1)) + rng.integers(-8, 8, (n, width)))
        else:
            a = _scaled(rng, (n, width), kind, "float64")
        got = _threads(lambda: _norm(a, p, axis=0))
        cols = range(width) if width < 100 or p in (2.5, -2.5) else rng.choice(width, 60, replace=False)
        for j in cols:
            assert got[j].tobytes() == _norm(np.ascontiguousarray(a[:, j]), p).tobytes(), (p, n, width, kind, j)
        assert _norm(np.asfortranarray(a.T), p, axis=1).tobytes() == got.tobytes()
        assert _norm(a[:, ::-1], p, axis=0).tobytes() == got[::-1].tobytes()
        wide = np.zeros((n, 2 * width))
        wide[:, ::2] = a
        assert _norm(wide[:, ::2], p, axis=0).tobytes() == got.tobytes()
        b = np.ascontiguousarray(np.broadcast_to(a[None], (2, n, width)))
        assert _norm(b, p, axis=1).tobytes() == np.tile(got, (2, 1)).tobytes()


@pytest.mark.parametrize("p", [2.5, -2.5, 1.5, 3, -3, 4])
def test_float64_and_int_short_rows_equal_the_rows_alone(p):
    """Short rows (outputs not adjacent: eight lines loaded element by element into the columns' lanes): each output
    the bits of its row reduced alone, exact references, rows of 2 to 8 and of 9 (the line path), odd output counts,
    strided and reversed rows, 3-D slabs, integer rows (widened), 1 vs 2 threads."""
    rng = np.random.default_rng(zlib.crc32(f"colpow2 rows {p}".encode()))
    for n, rows_, kind in ((4, 3001, "normal"), (2, 9, "normal"), (3, 17, "mixed"), (5, 8, "tiny"), (8, 41, "huge"),
                           (7, 25, "subnormal"), (9, 19, "normal"), (4, 301, "spread"), (6, 33, "spread")):
        if kind == "spread":
            a = rng.standard_normal((rows_, n)) * np.exp2(rng.integers(-190, 190, (rows_, 1)) + rng.integers(-8, 8, (rows_, n)))
        else:
            a = _scaled(rng, (rows_, n), kind, "float64")
        got = _threads(lambda: _norm(a, p, axis=1))
        idx = range(rows_) if rows_ < 400 else rng.choice(rows_, 80, replace=False)
        for i in idx:
            assert got[i].tobytes() == _norm(np.ascontiguousarray(a[i]), p).tobytes(), (p, n, rows_, kind, i)
        if rows_ < 400:
            _check_exact(got, a, p, np.float64)
        assert _norm(a[::-1], p, axis=1).tobytes() == got[::-1].tobytes()
        assert _norm(a[:, ::-1], p, axis=1).tobytes() == got.tobytes()  # correctly rounded: the order cannot matter
        wide = np.zeros((rows_, 2 * n))
        wide[:, ::2] = a
        assert _norm(wide[:, ::2], p, axis=1).tobytes() == got.tobytes()
        b = np.ascontiguousarray(np.broadcast_to(a[None], (2, rows_, n)))
        assert _norm(b, p, axis=2).tobytes() == np.tile(got, (2, 1)).tobytes()
    ints = rng.integers(-100, 100, (301, 4)).astype(np.int16)
    got = _threads(lambda: _norm(ints, p, axis=1))
    assert got.tobytes() == _norm(ints.astype(np.float64), p, axis=1).tobytes()
    _check_exact(got, ints.astype(np.float64), p, np.float64)
