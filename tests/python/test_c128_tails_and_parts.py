"""complex128 paths reworked in session 14.

- ComplexOffsetSum (the one-pass ord 1 / 0.5 / 2.5 / 3 / 4 sums of a line of ≥ 8 values): the last n mod 16 values
  (a whole line of 8–15) go through the 16 vector lanes as one zero-padded group. Lines of every length 8 … 70 and
  long ones with a ragged end stay within the bound (correctly rounded away from ~2⁻⁷⁰ of a midpoint: ≤ 0.5 ulp +
  a hair against 100-digit references), with zeros, subnormal and huge values in the tail; rows of such lines
  ((40,50,60) axis 2 style, 1 and 2 threads) carry the bits of each row alone.
- complex128 ord −1 / −∞ of lone vectors (ComplexNegative, serial): the same bits with 1, 2 and 3 threads and as a
  row of a 2-D array, within the bound against references (−∞: the exact minimum, ties of the same |z| from
  different values included), NumPy's values and warnings with zeros, NaN and ∞.
"""
import math

import numpy as np
import pytest

import normnative
from _reference import recorded, scaled_values, ulp_error, vector_ref

SUM_ORDERS = (1, 0.5, 2.5, 3, 4)


@pytest.fixture(autouse=True)
def _restore_threads():
    old = normnative.get_num_threads()
    yield
    normnative.set_num_threads(old)


def _bits(v):
    return np.float64(v).tobytes()


def _line(n, kind, rng):
    a = scaled_values(n, kind, rng, complex_=True)
    if kind == "plain" and n > 3:
        a[-1] = 0  # a zero value in the tail, next to the padding zeros
        a[-2] = complex(3e-320, -1e-310)  # a subnormal value in the tail
    return a


@pytest.mark.parametrize("p", SUM_ORDERS)
def test_lines_with_ragged_ends_stay_within_the_bound(p):
    rng = np.random.default_rng(140 + int(10 * p))
    for n in list(range(8, 71)) + [4096 + 7, 5000]:
        for kind in ("plain", "huge") if n <= 70 else ("plain",):
            a = _line(n, kind, rng)
            got = normnative.norm(a, p)
            err = ulp_error(got, vector_ref(a, p), np.float64)
            assert err <= 0.5 + 2.0 ** -20, (p, n, kind, err)


@pytest.mark.parametrize("p", SUM_ORDERS)
def test_rows_with_ragged_ends_have_their_lone_bits_any_threads(p):
    rng = np.random.default_rng(7 + int(10 * p))
    for n in (17, 31, 60, 63):
        a = rng.standard_normal((3, 11, n)) + 1j * rng.standard_normal((3, 11, n))
        a[0, 3, -1] = 0
        a[1, 2, :] *= 1e300
        a[2, 5, :] *= 1e-300
        flat = a.reshape(-1, n)
        alone = [_bits(normnative.norm(flat[i].copy(), p)) for i in range(flat.shape[0])]
        for threads in (1, 2):
            normnative.set_num_threads(threads)
            got = normnative.norm(a, p, axis=2).reshape(-1)
            assert [_bits(v) for v in got] == alone, (p, n, threads)


def _long_vector(n, rng, scale=1.0):
    return (rng.standard_normal(n) + 1j * rng.standard_normal(n)) * scale


@pytest.mark.parametrize("n", [30000])
def test_minus_one_long_lines_same_bits_any_threads_and_as_a_row(n):
    rng = np.random.default_rng(n)
    for scale in (1.0, 1e150, 1e-150):
        x = _long_vector(n, rng, scale)
        bits = set()
        for threads in (1, 2, 3):
            normnative.set_num_threads(threads)
            bits.add(_bits(normnative.norm(x, -1)))
        normnative.set_num_threads(2)
        rows = np.stack([x, x[::-1].copy()])
        r = normnative.norm(rows, -1, axis=1)  # two lines, each reduced as alone
        bits.add(_bits(r[0]))
        assert len(bits) == 1, (n, scale)
        assert ulp_error(np.frombuffer(bits.pop(), np.float64)[0], vector_ref(x, -1), np.float64) <= 0.5 + 2.0 ** -20


def test_minus_one_with_values_outside_the_fast_range():
    # a value whose |z|² leaves the one pass's range sends the line to the two-pass path: the same bits any threads,
    # and within the bound
    rng = np.random.default_rng(3)
    x = _long_vector(30000, rng)
    x[25000] = complex(1e-170, 0)
    for threads in (1, 2):
        normnative.set_num_threads(threads)
        got = normnative.norm(x, -1)
        assert ulp_error(got, vector_ref(x, -1), np.float64) <= 0.5 + 2.0 ** -20


def _exact_min(x):
    """min |z| exactly (100-digit references for the candidates within 2⁻³⁰ of the smallest re² + im²)."""
    with np.errstate(all="ignore"):
        s = x.real ** 2 + x.imag ** 2
    if np.isnan(s).any():
        return math.nan
    cand = x[s <= s.min() * (1 + 2.0 ** -30)]
    return vector_ref(cand, -np.inf)


@pytest.mark.parametrize("where", [100, 29999])
def test_minus_inf_matches_numpy_values_and_warnings(where):
    rng = np.random.default_rng(where)
    base = _long_vector(30000, rng)
    cases = []
    x = base.copy(); x[where] = 0; cases.append(x)
    x = base.copy(); x[where] = complex(np.nan, 1); cases.append(x)
    x = base.copy(); x[where] = complex(np.inf, 0); cases.append(x)
    x = base.copy(); x[where] = complex(1e-200, 1e-200); cases.append(x)
    # ties: the same smallest |z| from different (re, im) far apart
    u = 2.0 ** -12  # exact ties: |1 + 7i| = |5 + 5i| = √50, |3 + 4i| = |5i| = 5
    x = base.copy(); x[10] = complex(u, 7 * u); x[where] = complex(5 * u, 5 * u); cases.append(x)
    x = base.copy(); x[where] = complex(3 * u, -4 * u); x[-1] = complex(0, 5 * u); cases.append(x)
    for x in cases:
        want, ww = recorded(lambda: np.linalg.norm(x, -np.inf))
        exact = _exact_min(x)  # the exact smallest |z|, correctly rounded (NumPy's hypot may be 1 ulp off)
        bits = set()
        for threads in (1, 2, 3):
            normnative.set_num_threads(threads)
            got, gw = recorded(lambda: normnative.norm(x, -np.inf))
            bits.add(_bits(got))
            assert {w.category for w in gw} == {w.category for w in ww}
            if math.isnan(want):
                assert math.isnan(got)
            else:
                assert got == exact and math.isclose(got, want, rel_tol=4e-16, abs_tol=0), (where, got, want)
        assert len(bits) == 1


def test_minus_one_specials_match_numpy():
    rng = np.random.default_rng(11)
    base = _long_vector(30000, rng)
    for v in (0, complex(np.nan, 0), complex(0, np.inf)):
        x = base.copy(); x[20000] = v
        want, ww = recorded(lambda: np.linalg.norm(x, -1))
        for threads in (1, 2):
            normnative.set_num_threads(threads)
            got, gw = recorded(lambda: normnative.norm(x, -1))
            if math.isnan(want) or want == 0:
                assert _bits(got) == _bits(want) or (math.isnan(got) and math.isnan(want)), (v, got, want)
            else:  # ∞ adds 1/∞ = 0: the rest's norm, within the bound (NumPy's own sum may be an ulp off)
                assert ulp_error(got, vector_ref(x, -1), np.float64) <= 0.5 + 2.0 ** -20, (v, got, want)
            assert {w.category for w in gw} == {w.category for w in ww}


def _near_midpoint_minus_two(count, rng):
    """Lines of 4 nonzero values whose ord −2 norm lies within ~2⁻¹⁰⁰ of the float64 midpoint m = d − ulp(d)/2:
    1/|z₁|² + 3·(1/c²) = 1/m² with |z₁| = d, c = √3·(1/m² − 1/d²)^(−1/2) rounded (c ≈ 2²⁶·d: its rounding moves the
    sum by ~2⁻¹⁰⁴)."""
    mp = __import__("mpmath")
    mp.mp.prec = 200
    lines = []
    for _ in range(count):
        d = float(rng.uniform(1.01, 1.99)) * 2.0 ** int(rng.integers(-200, 200))
        m = mp.mpf(d) - mp.mpf(np.spacing(d)) / 2
        c = float(mp.sqrt(3) * (1 / m ** 2 - 1 / mp.mpf(d) ** 2) ** mp.mpf(-0.5))
        line = np.array([d, c, c, c], complex)
        k = rng.permutation(4)
        line = line[k]
        line[k[1]] = 1j * line[k[1]]
        lines.append(line)
    return np.array(lines)


def test_minus_two_lanes_next_to_a_midpoint_keep_their_lone_bits():
    # ComplexNegLanes' cheap root 1/√S in double-double decides a lane only 2⁻⁸⁰ away from a midpoint; these lines sit
    # within ~2⁻¹⁰⁰ of one, where only the hand-off to the 1-D path's double-double root gives each its bits alone
    rng = np.random.default_rng(2)
    lines = _near_midpoint_minus_two(64, rng)
    for a, ax in ((lines, 1), (np.ascontiguousarray(lines.T), 0)):
        got = normnative.norm(a, -2, axis=ax)
        for i in range(lines.shape[0]):
            assert _bits(got[i]) == _bits(normnative.norm(lines[i].copy(), -2)), (ax, i)


def test_minus_two_columns_and_rows_within_the_bound_any_threads():
    rng = np.random.default_rng(5)
    for kind in ("plain", "wide", "huge", "tiny"):
        a = scaled_values((4, 300), kind, rng, complex_=True)
        alone = [_bits(normnative.norm(a[:, j].copy(), -2)) for j in range(a.shape[1])]
        for threads in (1, 2):
            normnative.set_num_threads(threads)
            got = normnative.norm(a, -2, axis=0)
            assert [_bits(v) for v in got] == alone, (kind, threads)
        for j in range(0, a.shape[1], 37):
            assert ulp_error(got[j], vector_ref(a[:, j], -2), np.float64) <= 0.5 + 2.0 ** -20, (kind, j)
