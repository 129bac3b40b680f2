"""General-order norms of contiguous float32 / complex64 vectors (the one-pass plain-double kernel that stores a result
only when it is provably the correctly rounded float32): correctly rounded against 100-digit mpmath references at
lengths around the lane, run (2048) and thread-split (16384) boundaries, magnitudes across the float range (subnormal,
near the top, mixed), zeros with positive orders, reversed views; and the same bits for 1, 2 and 3 threads."""
import warnings

import mpmath
import numpy as np
import pytest

import normnative
from _reference import ulp_error, vector_ref

RNG = np.random.default_rng(5151)
ORDS = (0.3, 1.7, 7.3, 33.3, 1000.0, -0.5, -3.3, -7.5)


def _data(dtype, n, kind):
    def real(m):
        g = RNG.standard_normal(m)
        if kind == "wide":
            return g * np.exp2(RNG.integers(-140, 100, m).astype(float))
        if kind == "subnormal":
            return g * 1e-41
        if kind == "top":
            return g * 1e30
        if kind == "zeros":
            g[::7] = 0
        return g

    x = real(n)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * real(n)
    with np.errstate(all="ignore"):
        return x.astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.complex64])
@pytest.mark.parametrize("p", ORDS)
def test_correctly_rounded(dtype, p):
    for n, kind in ((2047, "normal"), (2049, "wide"), (16383, "zeros"), (16385, "subnormal"), (4100, "top")):
        x = _data(dtype, n, kind)
        if p < 0:
            x[x == 0] = 1
        exact = vector_ref(x, p)  # the reversed view has the same norm
        for v in (x, x[::-1]):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = normnative.norm(v, p)
            assert got.dtype == np.float32
            assert ulp_error(got, exact, np.float32) <= 0.5, (n, kind, got, mpmath.nstr(exact, 20))


@pytest.mark.parametrize("dtype", [np.float32, np.complex64])
@pytest.mark.parametrize("p", (1.7, -3.3, 0.3))
def test_bits_independent_of_threads(dtype, p):
    old = normnative.get_num_threads()
    try:
        for n in (16384, 30001, 100003):
            x = _data(dtype, n, "wide")
            if p < 0:
                x[x == 0] = 1
            bits = set()
            for t in (1, 2, 3):
                normnative.set_num_threads(t)
                bits.add(np.float32(normnative.norm(x, p)).tobytes())
                bits.add(np.float32(normnative.norm(x[1:], p)).tobytes() + b"shifted")
            assert len(bits) == 2, (n, bits)
    finally:
        normnative.set_num_threads(old)


@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.float32, np.complex64])
@pytest.mark.parametrize("p", (1000.0, 960.5, -999.0))
def test_orders_near_a_thousand_keep_terms_just_below_the_largest(dtype, p):
    # the largest term relative to a power-of-two reference can be as small as 2^-|p|; 10^5 elements a little below
    # the largest have terms ~2^-30 below it, under 2^-1022 -- dropped, they cost 2^-22 of the norm (float64 path)
    x = np.full(100_000, 0.49) + (np.arange(100_000) % 97) * 1e-5
    if p < 0:
        x = 1 / x
    x[0] = 0.5 if p > 0 else 1.0
    x = x.astype(dtype)
    got = normnative.norm(x, p)
    vals, counts = np.unique(x, return_counts=True)
    with mpmath.workdps(100):
        s = mpmath.fsum(int(c) * abs(mpmath.mpmathify(complex(v) if np.iscomplexobj(v) else float(v))) ** p
                        for v, c in zip(vals, counts))
        exact = s ** (1 / mpmath.mpf(p))
    rdt = np.float64 if np.dtype(dtype) in (np.float64, np.complex128) else np.float32
    assert ulp_error(got, exact, rdt) <= (1.0 if rdt == np.float64 else 0.5), (got, mpmath.nstr(exact, 20))


@pytest.mark.parametrize("p", (5.0, 7.0, 16.0, 64.0, -3.0, -4.0, -17.0))
def test_float32_whole_orders_correctly_rounded(p):
    # float32 whole orders other than ±1, ±2, 3, 4 take the one-pass kernel before the integer-power kernels
    for n, kind in ((1, "normal"), (17, "wide"), (2049, "wide"), (16385, "subnormal"), (4100, "top"), (30001, "normal")):
        x = _data(np.float32, n, kind)
        if p < 0:
            x[x == 0] = 1
        exact = vector_ref(x, p)
        for v in (x, x[::-1]):
            got = normnative.norm(v, p)
            assert got.dtype == np.float32
            assert ulp_error(got, exact, np.float32) <= 0.5, (n, kind, got, mpmath.nstr(exact, 20))
