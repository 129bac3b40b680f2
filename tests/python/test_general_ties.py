"""float32/float16 results at a general order p whose norm lies closer to a rounding midpoint than the double-double
first stage (~2⁻⁹⁸) can resolve: the second stage (`GeneralTie`, big-integer fixed point with growing precision)
decides the side, so the result is still the correctly rounded norm (mpmath at 700–1200 bits is the reference).
Before it these lines rounded to whichever side the double-double value happened to fall (float32 p = 1.7: 9 of 12
lines 2⁻¹⁴⁰ away from a midpoint were wrong)."""
import math

import numpy as np
import pytest

import normnative as nn
from _midpoints import complex_rounded, correctly_rounded, log2_abs, pythagorean_midpoints, real_lines_near_midpoint, relative_distance


def test_the_reported_float32_line():
    # 2⁻¹⁰³ relative above the midpoint between 0x73198826 and 0x73198827
    x = np.array([1.1928302e18, 2.5164175e30, -1.2111972e22, -1.0619480e31, 2.8920508e26, 3.7858670e30], np.float32)
    want = correctly_rounded(x, 1.7, np.float32)
    assert want.view(np.uint32) == 0x73198827
    a = np.zeros((3, 6), np.float32)
    a[1] = x
    for got in (nn.norm(x, 1.7), nn.norm(x[::-1], 1.7), nn.norm(a, 1.7, axis=1)[1], nn.norm(a.T.copy(), 1.7, axis=0)[1],
                nn.norm(np.asfortranarray(a), 1.7, axis=1)[1]):
        assert got.view(np.uint32) == 0x73198827


@pytest.mark.parametrize("dtype, p, greedy, n, exponents", [
    (np.float32, 1.7, 6, 8, (-60, 60)),
    (np.float32, -2.7, 6, 8, (-60, 60)),
    (np.float32, 3.3, 6, 8, (-60, 60)),
    (np.float32, 7.25, 6, 9, (-30, 30)),
    # half-integers: since session 21 a contiguous float32 vector tries NarrowPowFast's proven store first
    (np.float32, 3.5, 6, 8, (-60, 60)),
    (np.float32, -3.5, 6, 8, (-30, 30)),
    (np.float32, 10.5, 6, 9, (-10, 10)),
    (np.float16, 7.7, 12, 14, (-3, 12)),
    (np.float16, 12.3, 12, 14, (-3, 12)),
])
def test_lines_within_2_to_the_minus_100_of_a_midpoint(dtype, p, greedy, n, exponents):
    rng = np.random.default_rng(int(abs(p) * 100) + n)
    close = 0
    for k in range(12):
        made = real_lines_near_midpoint(dtype, p, n, greedy, rng, above=bool(k % 2),
                                        exponent=int(rng.integers(*exponents)))
        if made is None:
            continue
        line, m = made
        if log2_abs(relative_distance(line, p, m)) < -100:
            close += 1
        want = correctly_rounded(line, p, dtype)
        got = nn.norm(line, p)
        assert got.dtype == dtype
        assert got == want, (line.tolist(), p)
        rows = np.stack([line, line[::-1]])
        assert (nn.norm(rows, p, axis=1) == want).all()
    assert close >= 6  # the cases the double-double value cannot decide


@pytest.mark.parametrize("p, length", [(1.7, 2), (-2.5, 2), (1.25, 2), (-1.3, 2), (2.7, 2), (1.7, 70), (1.25, 70),
                                       (2.7, 70)])
def test_complex64_lines_a_hair_beside_a_pythagorean_midpoint(p, length):
    # |z| is exactly a float32 midpoint; w adds 2^-sh·|z|^p to the power sum, so the norm is |z|·(1 + 2^-sh)^(1/p)
    # (zeros pad the long lines, which take the one-pass block kernels, so only p > 0 there)
    tails = 0
    for z in pythagorean_midpoints(6):
        for sh in (110, int(120 * abs(p))):  # the second: 2^-150 … 2^-324, far beyond the double-double stage
            w = abs(z) * 2.0 ** (-sh / p)
            x = np.zeros(length, np.complex64)
            x[0], x[length // 2] = z, w
            if x[length // 2] == 0:
                continue
            tails += 1
            want = complex_rounded(x, p, prec=1200)
            assert nn.norm(x, p) == want, (z, sh)
            assert (nn.norm(x, p) > abs(complex(x[0]))) == (p > 0)
    assert tails >= 8


@pytest.mark.parametrize("p", [1.7, 0.3, -2.5, 11.5])
def test_a_norm_exactly_at_a_midpoint_ties_to_even(p):
    # one complex64 value whose modulus is a float32 midpoint: the norm is that modulus for every p
    for z in pythagorean_midpoints(6):
        x = np.array([z], np.complex64)
        a, b = float(x[0].real), float(x[0].imag)
        m = math.sqrt(a * a + b * b)
        assert m * m == a * a + b * b  # exact: a 25-bit midpoint
        assert nn.norm(x, p) == np.float32(m)  # numpy's float64 → float32 cast rounds ties to even


def test_equal_terms_summing_to_a_midpoint_exactly():
    # (2·(|z|/16)^¼)⁴ = |z|: two values at a midpoint over 16 give the midpoint itself at p = ¼
    for z in pythagorean_midpoints(3):
        x = np.array([z / 16, z / 16], np.complex64)
        a, b = float(x[0].real) * 16, float(x[0].imag) * 16
        assert nn.norm(x, 0.25) == np.float32(math.sqrt(a * a + b * b))


@pytest.mark.parametrize("p, length", [(3, 2), (4, 2), (5, 2), (8, 2), (5, 40), (8, 40), (3, 70), (4, 70), (2.5, 70),
                                       (2.5, 130)])
def test_complex64_whole_orders_a_hair_beside_a_pythagorean_midpoint(p, length):
    # complex64 orders 3, 4, 5, 8 (and 2.5): short lines take ComplexLaneSums' double-double sums (a lane per line for
    # a few rows), longer ones ComplexPowNorm's, many rows of those LanePow's lane roots (possibly the cheap root);
    # each must hand a result this close to a midpoint to the second stage (before it, 8–15 of 12 lines of 2 or 40
    # values, and every one of 40 rows of 70 or 130 values at 2.5/3/4, rounded down instead of up)
    for z in pythagorean_midpoints(4):
        for sh in (110, 150):
            w = abs(z) * 2.0 ** (-sh / p)
            x = np.zeros(length, np.complex64)
            x[0], x[length // 2] = z, w
            assert x[length // 2] != 0
            want = complex_rounded(x, p, prec=1200)
            assert nn.norm(x, p) == want, (z, sh)
            for rows in (3, 9, 40):
                assert (nn.norm(np.stack([x, x[::-1]] * rows), p, axis=1) == want).all(), (z, sh, rows)


@pytest.mark.parametrize("p", [-1, -2, -1.5, -3])
@pytest.mark.parametrize("length", [2, 70])
def test_complex64_negative_orders_a_hair_below_a_pythagorean_midpoint(p, length):
    # p < 0: w adds 2^-sh·|z|^p, the other values (2^20·z) almost nothing, so the norm lies just below |z|; −1 and −2 take
    # ComplexNegative's double-double sums (before the second stage, every −2 line of 2 values rounded up to even)
    for z in pythagorean_midpoints(4):
        for sh in (110, int(120 * abs(p))):  # |w| = |z|·2^(sh/|p|) ≤ |z|·2^120: finite in complex64
            x = np.full(length, z * 2 ** 20, np.complex64)
            x[0], x[length // 2] = z, abs(z) * 2.0 ** (-sh / p)
            want = complex_rounded(x, p, prec=1200)
            assert want < abs(complex(x[0]))
            assert nn.norm(x, p) == want, (z, sh)
            for rows in (2, 9, 40):
                assert (nn.norm(np.stack([x] * rows), p, axis=1) == want).all(), (z, sh, rows)


@pytest.mark.parametrize("p", [3.5, 4.5, 6.5, 10.5, 64.5, -0.5, -3.5, -64.5])
def test_float32_half_integer_vectors_correctly_rounded(p):
    """Contiguous float32 vectors at half-integer orders (NarrowPowFast's plain-double terms and proven store since
    session 21, the double-double kernel where the proof fails): the correctly rounded norm, which the strided and
    reversed views (other paths) must give too."""
    rng = np.random.default_rng(int(abs(p) * 10) + 5)
    for n in (1, 7, 100, 3000, 40000):
        x = (rng.standard_normal(n) * np.exp2(rng.integers(-20, 20, n))).astype(np.float32)
        want = correctly_rounded(x, p, np.float32)
        got = nn.norm(x, p)
        assert got.dtype == np.float32 and got == want, (n, got, want)
        assert nn.norm(x[::-1], p) == want and nn.norm(np.repeat(x, 2)[::2], p) == want
