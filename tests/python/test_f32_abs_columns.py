"""float32 ord 1 over short columns (C-order axis=0, F-order axis=1: AcrossOutputsWide's F32Abs lanes and their finish,
AbsSumFloats — the midpoint test on the bits of the double sum — plus the exact-sum store of failing lanes): EVERY output
against an exact Fraction reference rounded once to float32 (ties to even). Columns are built to sit on or next to
float32 midpoints with sums that are exact (1 + 2^-24 ties, integers around 2^24) and sums that are NOT exact (a tie plus
a term 2^-36 … 2^-70 below: the double sum lands on the midpoint, the exact sum does not), mixed with random columns at
extreme scales, zeros, subnormals, values near the float32 maximum; widths not a multiple of 4 or 8; 1 and 2 threads."""
import warnings
from fractions import Fraction

import numpy as np
import pytest

import normnative

from test_f32_exact_sums import _round_f32


_OVERFLOW = Fraction(2) ** 128 - Fraction(2) ** 103  # float32 max + half an ulp: from here on the float is inf


def _exact_col(col):
    q = sum((abs(Fraction(float(v))) for v in col), Fraction(0))
    return np.float32(np.inf) if q >= _OVERFLOW else _round_f32(q)


def _columns(n, w, seed):
    rng = np.random.default_rng(seed)
    a = (rng.standard_normal((n, w)) * np.exp2(rng.integers(-30, 30, size=(1, w)))).astype(np.float32)
    kinds = rng.integers(0, 8, size=w)
    for j in range(w):
        c = np.zeros(n, np.float64)
        e = float(rng.integers(-100, 100))
        k = kinds[j]
        if k == 0:  # exact tie 2^e(1 + 2^-24): ties to even
            c[0], c[1 % n] = 2.0 ** e, 2.0 ** (e - 24) * (1 if n > 1 else 0)
        elif k == 1 and n >= 3:  # tie plus a tiny term: double sum is the tie, exact sum above it
            c[0], c[1], c[2] = 2.0 ** e, 2.0 ** (e - 24), 2.0 ** (e - 24 - int(rng.integers(12, 46)))
        elif k == 2:  # integers around 2^24 (exact sums on and off midpoints)
            c[:] = rng.integers(2 ** 22, 2 ** 23, size=n)
            c[0] += 2 ** 24
        elif k == 3 and n >= 3:  # odd float + half ulp split in two: exact tie on an odd float
            c[0], c[1], c[2] = 2.0 ** e * (1 + 2.0 ** -23), 2.0 ** (e - 25), 2.0 ** (e - 25)
        elif k == 4:  # subnormals and zeros
            c[:] = rng.integers(0, 50, size=n) * 2.0 ** -149
        elif k == 5:  # near the float32 maximum
            c[:] = rng.uniform(0.2, 1.0, size=n) * 3.4e38 / n * 1.2
        else:
            continue
        a[:, j] = (c * np.where(rng.random(n) < 0.5, -1, 1)).astype(np.float32)
    return a


def _check(a, got):
    assert got.dtype == np.float32 and got.shape == (a.shape[1],)
    want = np.array([_exact_col(a[:, j]) for j in range(a.shape[1])], np.float32)
    bad = np.flatnonzero(got.view(np.uint32) != want.view(np.uint32))
    assert bad.size == 0, (bad[:5], a[:, bad[:3]].T, got[bad[:3]], want[bad[:3]])


@pytest.mark.parametrize("n", [2, 3, 4, 5, 7, 8, 16, 17])
@pytest.mark.parametrize("w", [8, 13, 37, 1030, 3001])
def test_columns_every_output_exact(n, w):
    a = _columns(n, w, 1000 * n + w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = normnative.norm(a, 1, axis=0)
        _check(a, got)
        # the same columns as F-order axis=1 and through a strided view
        assert np.array_equal(normnative.norm(np.asfortranarray(a.T), 1, axis=1).view(np.uint32), got.view(np.uint32))
        b = np.zeros((n, 2 * w), np.float32)[:, ::2]
        b[...] = a
        assert np.array_equal(normnative.norm(b, 1, axis=0).view(np.uint32), got.view(np.uint32))


def test_inexact_tie_columns_are_not_rounded_as_ties():
    # the double sum of each column is exactly 1 + 2^-24 (a midpoint), the exact sum lies above it: the correct float is
    # 1 + 2^-23; rounding the double sum (ties to even) would give 1.0
    w = 40
    a = np.zeros((4, w), np.float32)
    a[0], a[1] = 1.0, 2.0 ** -24
    a[2] = 2.0 ** -(24 + 30 + np.arange(w) % 20)
    got = normnative.norm(a, 1, axis=0)
    assert np.all(got == np.float32(1 + 2.0 ** -23))
    _check(a, got)
    # and an exact tie stays on the even float
    a[2] = 0
    assert np.all(normnative.norm(a, 1, axis=0) == np.float32(1.0))


def test_threads_give_the_same_bits():
    a = _columns(4, 70000, 7)  # 280000 elements: above the parallel threshold, bands split over threads
    saved = normnative.get_num_threads()
    outs = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for th in (1, 2, 3):
                assert normnative.set_num_threads(th) >= 0
                outs.append(normnative.norm(a, 1, axis=0).view(np.uint32).copy())
    finally:
        normnative.set_num_threads(saved)
    assert np.array_equal(outs[0], outs[1]) and np.array_equal(outs[0], outs[2])
    _check(a[:, :2000], outs[0][:2000].view(np.float32))


@pytest.mark.parametrize("n", [2, 4, 5, 16])
def test_exact_sum_window_boundary(n):
    """Session 18's register lanes (columns of at most 16 rows) store fl32 of the double sum without a midpoint test
    when the exponent window e+ - e- + ceil(log2 n) <= 29 proves the sum exact. Columns 2^24 + 1 + 2^-k (a float32
    midpoint plus a term 24 + k binades below) cross that boundary at k = 5 - ceil(log2 n), then stay exact in double
    up to k ~ 28 (decided by the midpoint test and the exact re-walk) and are inexact beyond (the double sum is the
    tie itself): every output against the exact reference."""
    ks = np.arange(0, 44)
    a = np.zeros((n, 8 * len(ks)), np.float32)
    for i, k in enumerate(ks):
        for lane in range(8):
            j = 8 * i + lane
            a[0, j] = 2.0 ** 24 * 2.0 ** (lane - 4)
            a[1, j] = 1.0 * 2.0 ** (lane - 4)
            if n > 2:
                a[2, j] = 2.0 ** -int(k) * 2.0 ** (lane - 4)
    got = normnative.norm(a, 1, axis=0)
    _check(a, got)


def _pythagorean_columns(n, w, seed):
    """Columns whose exact 2-norm is a float32 midpoint (the legs of u^2 - v^2, 2uv, u^2 + v^2 with u = 2^12: the
    hypotenuse 2^24 + 1 lies between the floats 2^24 and 2^24 + 2), that plus a tiny third element (the norm just above
    the midpoint), scaled by powers of 4, and random columns at many scales."""
    rng = np.random.default_rng(seed)
    a = (rng.standard_normal((n, w)) * np.exp2(rng.integers(-40, 40, size=(1, w)))).astype(np.float32)
    for j in range(w):
        kind = j % 4
        if kind == 3:
            continue
        c = np.zeros(n, np.float64)
        v = int(rng.integers(1, 40)) if kind == 2 else 1
        u = 2 ** 12 if kind != 2 else 2 ** 12 + int(rng.integers(0, 50))
        c[0], c[1 % n] = (u * u - v * v), 2 * u * v
        if kind == 1 and n >= 3:
            c[2] = 2.0 ** -int(rng.integers(0, 30))
        scale = 4.0 ** int(rng.integers(-20, 20))
        a[:, j] = (c * scale * np.where(rng.random(n) < 0.5, -1, 1)).astype(np.float32)
    return a


@pytest.mark.parametrize("n", [2, 3, 4, 8, 16])
def test_float32_two_norm_columns_every_output_exact(n):
    """float32 ord 2 over short columns (the register lanes' Newton root and squared-midpoint proof, their fallback):
    every output equal to sqrt of the exact sum of squares rounded once to float32 (math.isqrt), ties to even."""
    from _reference import correctly_rounded_sqrt_fraction
    a = _pythagorean_columns(n, 8 * 41 + 5, 77 + n)
    got = normnative.norm(a, 2, axis=0)
    assert got.dtype == np.float32
    for j in range(a.shape[1]):
        q = sum((Fraction(float(v)) ** 2 for v in a[:, j]), Fraction(0))
        want = np.float32(correctly_rounded_sqrt_fraction(q, 24)) if q else np.float32(0)
        assert got[j].view(np.uint32) == want.view(np.uint32), (j, a[:, j], got[j], want)
    assert np.array_equal(normnative.norm(np.asfortranarray(a.T), 2, axis=1).view(np.uint32), got.view(np.uint32))
