"""Vector p-norms for ord 1, 3, 4, 0.5, 2.5 (the single-pass offset-lane kernels and their fallbacks) against
mpmath references: the float64 result must be the double nearest the exact norm, on data that takes the fast path
and on data that makes its guess fail (big element late in a block, zero guess, scale limits, subnormals), and
identical for every thread count."""
import math

import mpmath
import numpy as np
import pytest

import normnative
from _reference import vector_ref

ORDS = (1, 3, 4, 0.5, 2.5)
BLOCK = 4096


def nearest_double(v):
    """The double nearest the mpmath value v (ties to even), by exact comparisons."""
    if mpmath.isinf(v):
        return math.inf
    d = float(v)
    best = d
    for c in (np.nextafter(d, -math.inf), d, np.nextafter(d, math.inf)):
        c = float(c)
        if abs(mpmath.mpf(c) - v) < abs(mpmath.mpf(best) - v):
            best = c
    return best


def data(kind, rng):
    n = 2 * BLOCK + 777
    if kind == "normal":
        return rng.standard_normal(n)
    if kind == "uniform":
        return rng.random(n)
    if kind == "wide":
        return rng.standard_normal(n) * np.exp2(rng.integers(-30, 30, n))
    if kind == "late-big":
        x = rng.standard_normal(n)
        x[BLOCK - 5] = 3e7
        x[2 * BLOCK + 700] = -5e9
        return x
    if kind == "zero-guess":
        x = rng.standard_normal(n)
        x[:16] = 0.0
        x[BLOCK:BLOCK + 16] = 0.0
        return x
    if kind == "tiny":
        x = rng.standard_normal(n) * 2.0 ** -760
        x[5] = 5e-324
        return x
    if kind == "huge":
        return rng.standard_normal(n) * 2.0 ** 240
    if kind == "subnormal-mix":
        x = rng.standard_normal(n)
        x[20:200:3] = 5e-324 * np.arange(1, 61)
        return x
    raise ValueError(kind)


KINDS = ("normal", "uniform", "wide", "late-big", "zero-guess", "tiny", "huge", "subnormal-mix")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("p", ORDS)
def test_pnorm_is_the_nearest_double(p, kind):
    rng = np.random.default_rng(abs(hash((p, kind))) % 2**32)
    x = data(kind, rng)
    want = nearest_double(vector_ref(x, p))
    got = normnative.norm(x, p)
    assert type(got) is type(np.linalg.norm(x, p))
    assert got == want, f"ord={p} {kind}: got {got!r}, want {want!r}"
    # reversed and sliced views read the same values through other strides
    assert normnative.norm(x[::-1], p) == want
    xs = np.empty(2 * x.size)
    xs[::2] = x
    assert normnative.norm(xs[::2], p) == want


@pytest.mark.parametrize("p", ORDS)
def test_pnorm_special_values_anywhere(p):
    rng = np.random.default_rng(7)
    for pos in (0, 15, 16, BLOCK - 1, BLOCK + 3000, 3 * BLOCK + 10):
        x = rng.standard_normal(3 * BLOCK + 11)
        x[pos] = np.nan
        assert math.isnan(normnative.norm(x, p))
        x[pos] = -np.inf
        assert normnative.norm(x, p) == math.inf
        x[(pos + 7) % x.size] = np.nan
        assert math.isnan(normnative.norm(x, p))


@pytest.mark.parametrize("p", ORDS)
def test_pnorm_thread_count_does_not_change_bits(p):
    rng = np.random.default_rng(11)
    x = rng.standard_normal(300_000)
    x[::50_000] *= 1e6  # some blocks take the fallback
    old = normnative.get_num_threads()
    try:
        results = set()
        for t in (1, 2, 3):
            normnative.set_num_threads(t)
            results.add(normnative.norm(x, p))
    finally:
        normnative.set_num_threads(old)
    assert len(results) == 1
    (r,) = results
    assert abs(r - np.linalg.norm(x, p)) <= 1e-13 * r  # NumPy's own pow-based sum is a few ulps off


def nearest_float32(v):
    """The float32 nearest the mpmath value v, by exact comparisons."""
    if mpmath.isinf(v):
        return np.float32(np.inf)
    d = np.float32(float(v))
    best = d
    for c in (np.nextafter(d, np.float32(-np.inf)), d, np.nextafter(d, np.float32(np.inf))):
        if abs(mpmath.mpf(float(c)) - v) < abs(mpmath.mpf(float(best)) - v):
            best = c
    return best


def complex_data(kind, rng, dtype):
    n = 2 * BLOCK + 333
    z = rng.standard_normal(n) + 1j * rng.standard_normal(n)
    if kind == "late-big":
        z[BLOCK - 3] = 4e6 - 2e6j
    elif kind == "big-guess":      # a large element among the first ones: the guess is too high for the sum
        z[3] = 50 + 0j
    elif kind == "tiny":           # below the fast path's range: per-element blocks
        z *= 2.0 ** -600 if dtype == np.complex128 else 2.0 ** -70
    elif kind == "axis-parts":     # real or imaginary part zero
        z[::3] = z[::3].real
        z[1::3] = 1j * z[1::3].imag
    return z.astype(dtype)


@pytest.mark.parametrize("kind", ("normal", "late-big", "big-guess", "tiny", "axis-parts"))
@pytest.mark.parametrize("p", ORDS)
@pytest.mark.parametrize("dtype", (np.complex128, np.complex64))
def test_complex_pnorm_is_correctly_rounded(dtype, p, kind):
    rng = np.random.default_rng(abs(hash((p, kind, dtype.__name__))) % 2**32)
    z = complex_data(kind, rng, dtype)
    ref = vector_ref(z, p)
    got = normnative.norm(z, p)
    if dtype == np.complex128:
        want = nearest_double(ref)
        assert type(got) is np.float64
    else:
        want = nearest_float32(ref)
        assert type(got) is np.float32
    assert got == want, f"{dtype.__name__} ord={p} {kind}: got {got!r}, want {want!r}"
    assert normnative.norm(z[::-1], p) == want


@pytest.mark.parametrize("p", ORDS)
def test_complex_pnorm_special_values(p):
    rng = np.random.default_rng(5)
    z = rng.standard_normal(BLOCK + 100) + 1j * rng.standard_normal(BLOCK + 100)
    z[BLOCK + 50] = complex(np.inf, np.nan)
    assert normnative.norm(z, p) == np.linalg.norm(z, p) == math.inf  # |inf + nan j| = inf
    z[7] = complex(np.nan, 1.0)
    assert math.isnan(normnative.norm(z, p))
    z = np.zeros(BLOCK + 100, complex)
    assert normnative.norm(z, p) == 0.0


@pytest.mark.parametrize("p", ORDS)
def test_complex_pnorm_thread_count_does_not_change_bits(p):
    rng = np.random.default_rng(13)
    z = rng.standard_normal(300_000) + 1j * rng.standard_normal(300_000)
    z[::50_000] *= 1e6  # some blocks take the per-element path
    old = normnative.get_num_threads()
    try:
        results = set()
        for t in (1, 2, 3):
            normnative.set_num_threads(t)
            results.add(normnative.norm(z, p))
    finally:
        normnative.set_num_threads(old)
    assert len(results) == 1
    (r,) = results
    assert abs(r - np.linalg.norm(z, p)) <= 1e-13 * r


@pytest.mark.parametrize("n", (7, 8, 9, 15, 16, 17, 31, 40, 63, 64, 65))
@pytest.mark.parametrize("p", ORDS)
@pytest.mark.parametrize("dtype", (np.complex128, np.complex64))
def test_short_complex_pnorm_is_correctly_rounded(dtype, p, n):
    """Vectors of 8..63 complex values take the one-pass kernel with every value in the tail lane (fewer
    than 8 take the per-element path); a big value after the guess's 8 makes it fall back."""
    rng = np.random.default_rng(n * 131 + int(2 * p))
    for late_big in (False, True):
        z = rng.standard_normal(n) + 1j * rng.standard_normal(n)
        if late_big:
            z[-1] = 3e5 - 1e5j
        z = z.astype(dtype)
        ref = vector_ref(z, p)
        want = nearest_double(ref) if dtype == np.complex128 else nearest_float32(ref)
        got = normnative.norm(z, p)
        assert got == want, f"{dtype.__name__} n={n} ord={p} late_big={late_big}: got {got!r}, want {want!r}"
        assert normnative.norm(z[::-1], p) == want
