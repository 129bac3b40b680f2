"""Half-integer p-norms whose exact value is a rounding midpoint of float64 (or lies within ~2⁻¹⁰⁰ of one): p = 0.5,
1.5, −0.5 exact ties built from rational square roots, and every half-integer order next to a midpoint. References are
exact by construction (the midpoint is the norm, ties go to the even neighbour) or mpmath at 1200 bits; every layout
(1-D, reversed, strided, rows and columns of a matrix, which take the lane kernels) and thread count must give the
correctly rounded value."""
from fractions import Fraction

import mpmath
import numpy as np
import pytest

import normnative

mpmath.mp.prec = 1200


@pytest.fixture(autouse=True)
def _restore_threads():
    old = normnative.get_num_threads()
    yield
    normnative.set_num_threads(old)


def _round_fraction(q: Fraction) -> float:
    """The float64 nearest to the positive rational q, ties to even (Python's int/int division rounds correctly)."""
    return q.numerator / q.denominator


def _round_mp(v) -> float:
    """The float64 nearest to an mpmath value far (≫ 2⁻¹¹⁰⁰ relative) from a midpoint."""
    lo = float(v)
    for c in (lo, np.nextafter(lo, np.inf), np.nextafter(lo, 0)):
        nb = [np.nextafter(c, 0), np.nextafter(c, np.inf)]
        if all(abs(mpmath.mpf(c) - v) < abs(mpmath.mpf(n) - v) for n in nb):
            return float(c)
    raise AssertionError("no nearest double")


def _pnorm_mp(x, p):
    s = mpmath.fsum(mpmath.mpf(abs(float(v))) ** p for v in x if v != 0)
    return s ** (1 / mpmath.mpf(p))


def _odd_in(lo, hi, seed):
    """An odd integer in [lo, hi) from a seed."""
    rng = np.random.default_rng(seed)
    o = int(rng.integers(lo, hi)) | 1
    return o if o < hi else o - 2


# Exact ties: elements aᵢ = qᵢ²·m with rationals qᵢ, Σ qᵢ^(2p) = 1, so the norm is exactly m = M·2^E (M odd, 54 bits).
# p = 0.5: q = 1/3, 2/3 (M = 9o); p = 1.5: q = 1/9, 6/9, 8/9 (1³ + 6³ + 8³ = 9³, M = 81o); p = −0.5: q = 8/5, 8/3
# (5/8 + 3/8 = 1, M = 225o).
FAMILIES = {
    0.5: (9, [1, 4]),
    1.5: (81, [1, 36, 64]),
    -0.5: (225, [9 * 64, 25 * 64]),
}


def _tie(p, seed, want_up):
    """(x, m): elements of a tie whose midpoint m rounds up (odd lower neighbour) or down (even), as asked."""
    d, mult = FAMILIES[p]
    for s in range(seed, seed + 64):
        o = _odd_in(-(-2 ** 53 // d), 2 ** 54 // d, s)
        M = d * o
        if M % 2 == 1 and 2 ** 53 <= M < 2 ** 54 and (((M - 1) // 2) % 2 == 1) == want_up:
            e = int(np.random.default_rng(s).integers(-400, 400))
            x = np.array([float(Fraction(k * o) * Fraction(2) ** e) for k in mult])
            assert all(Fraction(v) == Fraction(k * o) * Fraction(2) ** e for v, k in zip(x, mult))
            return x, Fraction(M) * Fraction(2) ** e
    raise AssertionError("no odd multiplier")


def _layouts(x):
    """The vector as 1-D (contiguous, reversed, strided), as a column among others (lane kernels) and as rows."""
    n = len(x)
    yield "1-D", lambda: normnative.norm(x, P)
    yield "reversed", lambda: normnative.norm(x[::-1].copy()[::-1], P)
    big = np.zeros(3 * n)
    big[::3] = x
    yield "stride 3", lambda: normnative.norm(big[::3], P)
    back = np.zeros(3 * n)
    back[::3] = x[::-1]
    yield "negative stride", lambda: normnative.norm(back[::3][::-1], P)
    cols = np.tile(x[:, None], (1, 9))
    yield "columns (axis 0)", lambda: normnative.norm(cols, P, axis=0)[4]
    rows = np.tile(x[None, :], (9, 1))
    yield "rows (axis 1)", lambda: normnative.norm(rows, P, axis=1)[4]
    yield "F-order rows", lambda: normnative.norm(np.asfortranarray(rows), P, axis=1)[4]


P = None


def _check_all(x, p, want, what):
    global P
    P = p
    for threads in (1, 2, 3):
        normnative.set_num_threads(threads)
        for name, f in _layouts(x):
            got = float(f())
            assert got == want, f"{what} {name} threads={threads}: got {got!r}, want {want!r}"


@pytest.mark.parametrize("p", sorted(FAMILIES))
@pytest.mark.parametrize("up", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_exact_midpoint_ties_to_even(p, up, seed):
    x, m = _tie(p, 100 * seed + 7, up)
    want = _round_fraction(m)
    assert (want > m) == up
    _check_all(x, p, want, f"p={p} tie")
    # repeated 2^j times (p = 0.5: 4^j·m; p = 1.5: 8 copies give 4·m; p = −0.5: 4 copies give m/16) — long lines
    # take the SIMD lanes and the one-pass offset kernel
    reps = {0.5: 64, 1.5: 512, -0.5: 1024}[p]
    scale = {0.5: Fraction(reps) ** 2, 1.5: Fraction(64), -0.5: Fraction(1, reps ** 2)}[p]
    _check_all(np.repeat(x, reps), p, _round_fraction(m * scale), f"p={p} tie ×{reps}")


@pytest.mark.parametrize("p", sorted(FAMILIES))
@pytest.mark.parametrize("seed", range(3))
def test_next_to_a_midpoint(p, seed):
    """A tie plus one element whose term moves the norm by ~2⁻¹⁶⁰ relative (up for p > 0, down for p < 0): far inside
    the one-pass sums' error bound (and below a double-double's resolution), so only the exact decision gets it right."""
    x, m = _tie(p, 1000 + seed, seed % 2 == 0)
    mf = float(m)
    # term t^p = 2⁻¹⁶⁰·m^p, i.e. t = m·2^(−160/p) (p > 0: a tiny element; p < 0: a huge one)
    t = mf * 2.0 ** (-160 / p)
    mm = mpmath.mpf(m.numerator) / m.denominator
    for y, up in ((np.append(x, t), p > 0), (_sum_nudged_down(x, p), p < 0)):
        v = _pnorm_mp(y, p)
        assert 0 < abs(v / mm - 1) < mpmath.mpf(2) ** -100 and (v > mm) == up
        want = _round_mp(v)
        assert (want > mm) == up
        _check_all(y, p, want, f"p={p} near, up={up}")


def _sum_nudged_down(x, p):
    """x with Σ|xᵢ|^p lowered by less than ~2⁻¹⁰⁵ of itself: x[1] moved one ulp (down for p > 0, up for p < 0), which
    lowers its term by D, and a new element whose term is the largest double's term below D."""
    pm = mpmath.mpf(p)
    a = float(x[1])
    a2 = float(np.nextafter(a, 0 if p > 0 else np.inf))
    d = mpmath.mpf(a) ** pm - mpmath.mpf(a2) ** pm
    t = float(d ** (1 / pm))
    while mpmath.mpf(t) ** pm >= d:
        t = float(np.nextafter(t, 0 if p > 0 else np.inf))
    y = x.copy()
    y[1] = a2
    return np.append(y, t)


@pytest.mark.parametrize("p", [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 10.5, -7.5])
def test_half_integers_near_midpoints_random(p):
    """Random vectors whose norm is made to fall within 2⁻⁶⁰ of a midpoint by scaling a last element: against mpmath."""
    rng = np.random.default_rng(int(abs(p) * 10))
    for trial in range(6):
        x = rng.uniform(0.5, 2, 20 + trial)
        v = _pnorm_mp(x, p)
        f = _round_mp(v)
        mid = (mpmath.mpf(f) + mpmath.mpf(np.nextafter(f, np.inf))) / 2
        # solve for the last element so that the norm is (nearly) mid: t^p = mid^p − Σ others
        rest = _pnorm_mp(x[:-1], p) ** p
        target = mid ** p - rest
        if target <= 0:
            continue
        t = float(target ** (1 / mpmath.mpf(p)))
        x[-1] = t
        v = _pnorm_mp(x, p)
        want = _round_mp(v)
        for threads in (1, 3):
            normnative.set_num_threads(threads)
            assert float(normnative.norm(x, p)) == want, (p, trial)
            assert float(normnative.norm(np.tile(x[:, None], (1, 8)), p, axis=0)[3]) == want, (p, trial)
