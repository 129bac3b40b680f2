"""Whole orders 3 ... 64 over an axis of many short float64 lines (LanePow.RunInt: each line summed as the block
driver sums it, the roots taken in lanes): every output bit for bit against the same line reduced alone and the
exact big-integer reference (correctly rounded), over magnitudes near 1e+-300, subnormals, zeros, inf and NaN
(values and warnings as NumPy), line lengths 1 ... 70, row counts around the 32-line group, C rows, strided,
reversed and adjacent (F-order) lines, and 1/2/3 threads."""
import warnings
from fractions import Fraction

import numpy as np
import pytest

import normnative
from _reference import recorded

RNG = np.random.default_rng(20261127)


def _exact_root(line, p):
    """The correctly rounded float64 of (sum |x|^p)^(1/p) for a finite line, by an integer root with a sticky bit."""
    s = sum(Fraction(abs(float(v))) ** p for v in line)
    if s == 0:
        return 0.0
    # t = s·2^(pk) with an integer root of 80 to 81 bits
    k = 80 - (s.numerator.bit_length() - s.denominator.bit_length()) // p
    while s * Fraction(2) ** (p * k) < Fraction(2) ** (p * 80):
        k += 1
    while s * Fraction(2) ** (p * k) >= Fraction(2) ** (p * 81):
        k -= 1
    t = s * Fraction(2) ** (p * k)
    n = t.numerator // t.denominator
    root = 1 << ((n.bit_length() + p - 1) // p)  # Newton from above: floor(n^(1/p))
    while True:
        nxt = ((p - 1) * root + n // root ** (p - 1)) // p
        if nxt >= root:
            break
        root = nxt
    while root ** p > n:
        root -= 1
    while (root + 1) ** p <= n:
        root += 1
    sticky = Fraction(root ** p) != t  # the exact root lies in [root, root + 1), strictly above root when sticky
    shift = root.bit_length() - 53
    q, r = divmod(root, 1 << shift)
    half = 1 << (shift - 1)
    if r > half or (r == half and (sticky or q & 1)):
        q += 1
    return float(Fraction(q << shift) / Fraction(2) ** k)


def _rows(rows, n, kind, rng):
    a = rng.standard_normal((rows, n))
    if kind == "wide":
        a *= 10.0 ** rng.integers(-300, 300, size=(rows, n))
    elif kind == "tiny":
        a *= 1e-310
    elif kind == "special":
        a[rng.integers(0, rows, 6), rng.integers(0, n, 6)] = [0.0, 5e-324, np.inf, -np.inf, np.nan, 0.0]
        a[rng.integers(0, rows)] = 0.0
    return a


def _alone(a, p, axis):
    return np.array([normnative.norm(np.ascontiguousarray(a[i] if axis == 1 else a[:, i]), p)
                     for i in range(a.shape[1 - axis])])


@pytest.mark.parametrize("p", (3, 4, 5, 7, 33, 64))
@pytest.mark.parametrize("kind", ("normal", "wide", "tiny", "special"))
def test_rows_match_each_row_alone_and_exact(p, kind):
    rng = np.random.default_rng(p * 7 + len(kind))
    for rows, n in ((32, 4), (33, 16), (95, 3), (64, 64), (40, 1)):
        a = _rows(rows, n, kind, rng)
        for view in (a, np.asfortranarray(a), a[::-1, ::-1], np.repeat(a, 2, axis=1)[:, ::2]):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = normnative.norm(view, p, axis=1)
                alone = _alone(view, p, 1)
            assert got.tobytes() == alone.tobytes()
        if kind != "special":
            got = normnative.norm(a, p, axis=1)
            for i in range(0, rows, 7):
                assert got[i] == _exact_root(a[i], p)


def test_exact_reference_on_a_few_rows():
    # the reference itself against known values: (3, 4, 5) -> 6 for p = 3 (27 + 64 + 125 = 216)
    assert _exact_root([3.0, 4.0, 5.0], 3) == 6.0
    assert _exact_root([1.0, 1.0], 4) == 2 ** 0.25


@pytest.mark.parametrize("n", range(1, 71, 3))
def test_every_length(n):
    a = RNG.standard_normal((35, n))
    for p in (3, 6):
        assert normnative.norm(a, p, axis=1).tobytes() == _alone(a, p, 1).tobytes()
        assert normnative.norm(a.T, p, axis=0).tobytes() == _alone(a.T, p, 0).tobytes()


def test_special_rows_match_numpy_values_and_warnings():
    a = np.array([[0.0, 0.0, 0.0], [np.inf, 1.0, 2.0], [np.nan, 1.0, 2.0], [1.0, 2.0, 2.0]] * 10)
    for p in (3, 4):
        got, w1 = recorded(lambda: normnative.norm(a, p, axis=1))
        want, w2 = recorded(lambda: np.linalg.norm(a, p, axis=1))
        np.testing.assert_allclose(got, want, rtol=1e-15)
        assert [str(x.message) for x in w1] == [str(x.message) for x in w2 if "invalid" not in str(x.message)]


@pytest.mark.parametrize("p", (3, 5))
def test_thread_count_does_not_change_bits(p):
    a = RNG.standard_normal((40000, 8)) * 10.0 ** RNG.integers(-100, 100, size=(40000, 8))
    old = normnative.get_num_threads()
    try:
        results = []
        for t in (1, 2, 3):
            normnative.set_num_threads(t)
            results.append(normnative.norm(a, p, axis=1).tobytes())
    finally:
        normnative.set_num_threads(old)
    assert results[0] == results[1] == results[2]
