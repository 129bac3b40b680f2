"""Whole-order norms whose exact value is a rounding midpoint of the result (or lies a hair from one): p = −1 for
float32/float16/float64 (1/m = Σ 1/aᵢ exactly), float32 p = 1, p = 3, 4 (1³ + 6³ + 8³ = 9³, 95800⁴ + 217519⁴ + 414560⁴ = 422481⁴). References are exact: the rational norm (p = ±1)
or the rational p-th power compared with the p-th power of the candidate (p = 3, 4) — no floating point. Every 1-D
layout (contiguous, strided, reversed, long lines over threads) must give the correctly rounded value."""
from fractions import Fraction as F

import numpy as np
import pytest

import normnative

FMT = {np.float64: (53, -1022), np.float32: (24, -126), np.float16: (11, -14)}


@pytest.fixture(autouse=True)
def _restore_threads():
    old = normnative.get_num_threads()
    yield
    normnative.set_num_threads(old)


def round_fraction(q: F, dt) -> float:
    """The value of dtype dt nearest to the positive rational q, ties to even (subnormals on their grid)."""
    prec, emin = FMT[dt]
    e = q.numerator.bit_length() - q.denominator.bit_length()
    if F(2) ** e > q:
        e -= 1
    e = max(e, emin)
    scale = F(2) ** (prec - 1 - e)
    v = q * scale
    f = v.numerator // v.denominator
    r = v - f
    if r > F(1, 2) or (r == F(1, 2) and f % 2 == 1):
        f += 1
    return float(F(f) / scale)


def rounded_root(x, p, dt=np.float64) -> float:
    """The correctly rounded (Σ|xᵢ|^p)^(1/p) for whole p ≠ 0, exactly: S^(1/p) is the rational S (p = 1), 1/S
    (p = −1), else the candidate c nearest the norm is found by comparing S with the p-th powers of midpoints."""
    s = sum(F(abs(float(v))) ** p for v in x if v != 0)
    if p in (1, -1):
        return round_fraction(s if p == 1 else 1 / s, dt)
    # ⌊S·2^(pK)⌋^(1/p)·2^−K, K chosen for a ~64-bit integer root: within an ulp of the norm
    k = 64 - (s.numerator.bit_length() - s.denominator.bit_length()) // p
    c = float(F(_iroot(int(s * F(2) ** (p * k)), p), 2 ** k) if k >= 0 else F(_iroot(int(s / F(2) ** (-p * k)), p) * 2 ** -k))
    for _ in range(64):  # walk to the double whose rounding interval holds S^(1/p)
        lo = (F(c) + F(np.nextafter(c, 0))) / 2
        hi = (F(c) + F(np.nextafter(c, np.inf))) / 2
        if s < lo ** p or (s == lo ** p and int(np.float64(c).view(np.int64)) & 1):
            c = float(np.nextafter(c, 0))
        elif s > hi ** p or (s == hi ** p and int(np.float64(c).view(np.int64)) & 1):
            c = float(np.nextafter(c, np.inf))
        else:
            return c
    raise AssertionError("no nearest double")


def _iroot(v: int, p: int) -> int:
    """⌊v^(1/p)⌋ for a positive integer v (Newton's iteration from above)."""
    r = 1 << -(-v.bit_length() // p)
    while True:
        y = ((p - 1) * r + v // r ** (p - 1)) // p
        if y >= r:
            return r
        r = y


def layouts(x, long=True):
    n = len(x)
    yield "1-D", lambda: normnative.norm(x, P)
    big = np.zeros(3 * n, x.dtype)
    big[::3] = x
    yield "stride 3", lambda: normnative.norm(big[::3], P)
    back = np.zeros(3 * n, x.dtype)
    back[::3] = x[::-1]
    yield "negative stride", lambda: normnative.norm(back[::3][::-1], P)
    if long and P > 0:  # zeros change nothing for p > 0: long lines, chunks over threads
        for total in (5000, 70001, 600_001):
            z = np.zeros(total, x.dtype)
            z[np.linspace(0, total - 1, n).astype(int)] = x
            yield f"inside {total} zeros", lambda z=z: normnative.norm(z, P)


P = None


def check_all(x, p, want, what, long=True):
    global P
    P = p
    for threads in (1, 2, 3):
        normnative.set_num_threads(threads)
        for name, f in layouts(x, long):
            got = float(f())
            assert got == want, f"{what} {name} threads={threads}: got {got!r}, want {want!r}"


def recip_tie(dt, seed, want_up, e_range):
    """(x, m) with 1/x₀ + 1/x₁ = 1/m exactly, m = 15·o·2^E a midpoint of dt (5/8 + 3/8 = 1: x = (8/5·m, 8/3·m)),
    whose lower neighbour is odd (rounds up) or even (rounds down), as asked."""
    prec, emin = FMT[dt]
    rng = np.random.default_rng(seed)
    for _ in range(1000):
        odd = 15 * int(rng.integers(2 ** prec // 15 + 1, 2 ** (prec + 1) // 15))
        if odd % 2 == 0 or (((odd - 1) // 2) % 2 == 1) != want_up:
            continue
        e = int(rng.integers(*e_range)) - prec
        x = np.array([5 * (odd // 15) * 2.0 ** (e + 3), -3 * (odd // 15) * 2.0 ** (e + 3)], dtype=dt)
        assert F(float(x[0])) == F(5 * (odd // 15)) * F(2) ** (e + 3)
        return x, F(odd) * F(2) ** e
    raise AssertionError("no tie")


RECIP_SCALES = {np.float64: [(-900, -800), (-10, 10), (900, 960)], np.float32: [(-100, -90), (-5, 5), (90, 100)],
                np.float16: [(-3, 3)]}


@pytest.mark.parametrize("dt", [np.float64, np.float32, np.float16], ids=lambda d: d.__name__)
@pytest.mark.parametrize("up", [False, True])
def test_reciprocal_ties_round_to_even(dt, up):
    for k, scale in enumerate(RECIP_SCALES[dt]):
        for seed in range(3):
            x, m = recip_tie(dt, 10 * seed + k, up, scale)
            want = round_fraction(m, dt)
            assert (F(want) > m) == up and want == round_fraction(1 / sum(1 / F(abs(float(v))) for v in x), dt)
            check_all(x, -1, want, f"{dt.__name__} p=-1 tie")
            # next to the tie: one element a unit of its last place up or down moves the norm that way
            for d in (np.inf, 0):
                y = x.copy()
                y[1] = np.nextafter(y[1], -d)  # x[1] < 0: away from 0 is up in magnitude
                check_all(y, -1, rounded_root(y, -1, dt), f"{dt.__name__} p=-1 next to a tie")
            # a huge element adds a tiny 1/x: the norm falls just below the tie
            big = np.finfo(dt).max / 4
            z = np.append(x, dt(big))
            want_z = rounded_root(z, -1, dt)
            assert F(want_z) < m
            check_all(z, -1, want_z, f"{dt.__name__} p=-1 below a tie")


def test_float32_reciprocal_documented_example():
    x = np.array([0.06796265, -0.43203735], np.float32)
    want = rounded_root(x, -1, np.float32)
    m = 1 / sum(1 / F(abs(float(v))) for v in x)
    assert want == round_fraction(m, np.float32) and want > m  # an exact tie that rounds up to even
    check_all(x, -1, want, "documented float32 example")
    # the same line as a column among others (the lane kernel hands a near-midpoint line to the 1-D path)
    for cols in (4, 9, 17):
        a = np.tile(x[:, None], (1, cols)).astype(np.float32)
        a[:, ::2] *= np.float32(0.75)
        for threads in (1, 2):
            normnative.set_num_threads(threads)
            got = normnative.norm(a, -1, axis=0)
            assert float(got[1]) == want
            assert float(normnative.norm(np.ascontiguousarray(a.T), -1, axis=1)[1]) == want


def test_float32_subnormal_reciprocal_ties():
    """Results on float32's subnormal grid (spacing 2⁻¹⁴⁹): m = 15·o·2⁻¹⁵⁰, elements (8/5·m, 8/3·m)."""
    for o in (1, 3, 101, 2 ** 18 + 1):
        m = F(15 * o) * F(2) ** -150
        x = np.array([5 * o * 2.0 ** -147, 3 * o * 2.0 ** -147], np.float32)
        assert F(float(x[1])) == F(3 * o) * F(2) ** -147
        check_all(x, -1, round_fraction(m, np.float32), "float32 subnormal p=-1")


def test_float32_sums_at_a_midpoint():
    """float32 1-norms exactly at a float32 midpoint (1 + 2⁻²⁴ lies between 1 and 1 + 2⁻²³), or one element's unit
    away, at several scales, and random sums of a few floats (exactly a midpoint about half the time): the fast
    float path cannot prove these and hands them to the exact finish; ties go to even."""
    for e in (-100, -60, 0, 60, 100):
        s = 2.0 ** e
        for rest, want in (([2.0 ** -24], 1.0), ([3 * 2.0 ** -24], 1 + 2.0 ** -22), ([2.0 ** -24, 2.0 ** -40], 1 + 2.0 ** -23),
                           ([np.nextafter(np.float32(2.0 ** -24), np.float32(0))], 1.0)):
            x = np.array([1.0] + [-v for v in rest], np.float32) * np.float32(s)
            assert rounded_root(x, 1, np.float32) == want * s
            check_all(x, 1, want * s, f"float32 p=1 scale 2^{e}")
    rng = np.random.default_rng(5)
    for n in (2, 3, 5, 17):
        for _ in range(40):
            x = (rng.uniform(0.5, 2, n) * 2.0 ** int(rng.integers(-100, 100))).astype(np.float32)
            check_all(x, 1, rounded_root(x, 1, np.float32), f"float32 p=1 random n={n}", long=False)


POWER_TIES = {3: (9, [1, 6, 8]), 4: (422481, [95800, 217519, 414560])}


def power_tie(p, seed):
    d, parts = POWER_TIES[p]
    rng = np.random.default_rng(seed)
    odd_parts = [k >> ((k & -k).bit_length() - 1) for k in parts]
    hi = min(2 ** 54 // d, 2 ** 53 // max(odd_parts))
    while True:
        o = int(rng.integers(2 ** 53 // d + 1, hi)) | 1
        if 2 ** 53 <= d * o < 2 ** 54:
            break
    e = int(rng.integers(-250, 250))
    x = np.array([float(F(k * o) * F(2) ** e) for k in parts])
    assert all(F(float(v)) == F(k * o) * F(2) ** e for v, k in zip(x, parts))
    return x, F(d * o) * F(2) ** e


@pytest.mark.parametrize("p", sorted(POWER_TIES))
@pytest.mark.parametrize("seed", range(6))
def test_whole_power_ties(p, seed):
    x, m = power_tie(p, seed)
    want = round_fraction(m, np.float64)
    assert want == rounded_root(x, p)
    check_all(x, p, want, f"p={p} tie")
    for y in (x * np.array([1, -1, 1]), x[::-1].copy()):
        check_all(y, p, want, f"p={p} tie, signs/order")
    # one element a unit up or down; a tiny extra element (its term 2⁻²⁰⁰ of the sum) just above the tie
    for d in (np.inf, 0):
        y = x.copy()
        y[seed % 3] = np.nextafter(y[seed % 3], d)
        check_all(y, p, rounded_root(y, p), f"p={p} next to a tie")
    z = np.append(x, float(m) * 2.0 ** (-200 / p))
    want_z = rounded_root(z, p)
    assert F(want_z) > m
    check_all(z, p, want_z, f"p={p} just above a tie")


@pytest.mark.parametrize("scale", [-900, 0, 900])
def test_matrix_line_sums_at_a_midpoint(scale):
    """Matrix ±1/±∞ of lines longer than the short-line kernels take: 2⁶⁰ + 128 + 2⁻⁶⁰ (just above the midpoint
    between 2⁶⁰ and 2⁶⁰ + 256, beyond a double-double) next to 2⁶⁰ + 128 (the midpoint itself): the max rounds up,
    the min to even; C and F order, transposed views, stacks, threads. Exact references from fractions."""
    s = 2.0 ** scale
    pad = [0.0] * 17
    above, tie, below = [2.0 ** 60, -128.0, 2.0 ** -60], [2.0 ** 60, 128.0, 0.0], [2.0 ** 60, np.nextafter(128.0, 0), 2.0 ** -60]
    for r0, r1 in ((above, tie), (tie, above), (tie, tie), (below, tie), (above, [1.0, 2.0, 3.0])):
        m = np.array([r0 + pad, r1 + pad]) * s
        sums = [sum(F(abs(float(v))) for v in row) for row in m]
        for a, o, f in ((m, np.inf, max), (m, -np.inf, min), (m.T.copy(), 1, max), (m.T.copy(), -1, min)):
            want = round_fraction(f(sums), np.float64)
            for threads in (1, 2):
                normnative.set_num_threads(threads)
                for arr in (a, np.asfortranarray(a), np.ascontiguousarray(a.T).T):
                    assert float(normnative.norm(arr, o)) == want, (scale, o)
                assert float(normnative.norm(np.stack([a * 0.5, a, a * 0.25]), o, axis=(1, 2))[1]) == want


def test_matrix_line_sums_random_wide_range():
    rng = np.random.default_rng(11)
    for _ in range(25):
        r, c = (int(v) for v in rng.integers(16, 40, 2))
        a = rng.uniform(0.5, 1.5, (r, c)) * 2.0 ** int(rng.integers(-900, 900))
        a[rng.random((r, c)) < 0.1] *= 2.0 ** -100
        a *= np.where(rng.random((r, c)) < 0.5, -1, 1)
        cols = [sum(F(abs(float(v))) for v in a[:, j]) for j in range(c)]
        rows = [sum(F(abs(float(v))) for v in a[i, :]) for i in range(r)]
        for o, s, f in ((1, cols, max), (-1, cols, min), (np.inf, rows, max), (-np.inf, rows, min)):
            assert float(normnative.norm(a, o)) == round_fraction(f(s), np.float64)


def _many_line_layouts(x, rng, dt):
    """The line x as row/column R//2 of (R, n) arrays in every layout the many-output kernels take (rows of C and F
    order, columns, a 3-D middle axis), R below and above the lane kernels' group sizes."""
    n = len(x)
    for rows in (8, 9, 33, 100):
        a = rng.uniform(0.5, 2, (rows, n)).astype(dt)
        a[rows // 2] = x
        yield rows, a, 1
        yield rows, np.asfortranarray(a), 1
        yield rows, np.ascontiguousarray(a.T), 0
        yield rows, np.asfortranarray(a.T), 0
        yield rows, np.ascontiguousarray(a.T).reshape(n, rows, 1), 0


@pytest.mark.parametrize("p", [-1, 3, 4])
def test_ties_in_many_line_layouts(p):
    """A tie line among many (rows, columns, 3-D axes) must get the 1-D path's correctly rounded value: the lane
    kernels (LaneAcross for ord −1, LanePow for whole orders) hand roots near a midpoint to that decision."""
    rng = np.random.default_rng(11 + p)
    dts = [np.float64, np.float32] if p == -1 else [np.float64]
    for dt in dts:
        for seed in range(4):
            if p == -1:
                pair, _ = recip_tie(dt, seed, seed % 2 == 1, (-10, 10) if dt == np.float64 else (-5, 5))
                x = np.tile(pair, (1, 2, 4, 16)[seed])
            else:
                x, _ = power_tie(p, seed)
            rng.shuffle(x)
            want = rounded_root(x, p, dt)
            assert float(normnative.norm(x, p)) == want
            for rows, a, axis in _many_line_layouts(x, rng, dt):
                for threads in (1, 2):
                    normnative.set_num_threads(threads)
                    got = np.asarray(normnative.norm(a, p, axis=axis)).ravel()[rows // 2]
                    assert float(got) == want, f"{dt.__name__} p={p} n={len(x)} rows={rows} {a.shape} axis={axis} threads={threads}"
