"""float32 vector ords -1, -2, 0.5, -1.5, -2.5 (double-sum fast path with a rounding test, else the exact path) and +-inf (the
integer min/max path): the float32 result must be the float nearest the exact norm, with numpy's special-value
results, the same for every thread count and for the strided (exact-path) view of the same data."""
import math
import warnings

import mpmath
import numpy as np
import pytest

import normnative
from _reference import vector_ref


def nearest_float32(v):
    """The float32 nearest the mpmath value v (ties to even), by exact comparisons."""
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return np.float32(v)
    if mpmath.isinf(v):
        return np.float32(math.inf)
    if v >= mpmath.mpf(2) ** 128 - mpmath.mpf(2) ** 103:   # the midpoint above the largest float (tie: even = inf)
        return np.float32(math.inf)
    if v > np.finfo(np.float32).max:
        return np.finfo(np.float32).max
    f = np.float32(float(v))
    best = f
    for c in (np.nextafter(f, np.float32(-np.inf)), f, np.nextafter(f, np.float32(np.inf))):
        if abs(mpmath.mpf(float(c)) - v) < abs(mpmath.mpf(float(best)) - v) or (
                abs(mpmath.mpf(float(c)) - v) == abs(mpmath.mpf(float(best)) - v) and int(c.view(np.int32)) % 2 == 0):
            best = c
    return best


def data(kind, n, rng):
    if kind == "normal":
        return rng.standard_normal(n).astype(np.float32)
    if kind == "wide":
        return (rng.standard_normal(n) * np.exp2(rng.integers(-140, 120, n))).astype(np.float32)
    if kind == "ints":
        return rng.integers(1, 4, n).astype(np.float32)
    if kind == "subnormal":
        x = rng.standard_normal(n).astype(np.float32)
        x[::3] = np.float32(1e-45) * rng.integers(1, 9, x[::3].size)
        return x
    if kind == "huge":
        return (rng.standard_normal(n) * 1e37).astype(np.float32)
    raise ValueError(kind)


@pytest.mark.parametrize("kind", ["normal", "wide", "ints", "subnormal", "huge"])
@pytest.mark.parametrize("n", [1, 17, 33, 1000, 5000])
@pytest.mark.parametrize("ord", [1, -1, -2, 0.5, -1.5, -2.5, math.inf, -math.inf])
def test_correctly_rounded(kind, n, ord):
    rng = np.random.default_rng(hash((kind, n, str(ord))) % 2**32)
    x = data(kind, n, rng)
    want = nearest_float32(vector_ref([float(v) for v in x], ord))
    with np.errstate(all="ignore"):
        got = normnative.norm(x, ord)
    assert got.dtype == np.float32
    assert got.view(np.int32) == want.view(np.int32), (got, want)
    spread = np.zeros(2 * n, np.float32)
    spread[::2] = x
    assert normnative.norm(spread[::2], ord).view(np.int32) == got.view(np.int32)


@pytest.mark.parametrize("ord", [1, -1, -2, 0.5, -1.5, -2.5, math.inf, -math.inf])
@pytest.mark.parametrize("special", [0.0, -0.0, math.nan, math.inf, -math.inf])
def test_special_values_match_numpy(ord, special):
    rng = np.random.default_rng(5)
    x = rng.standard_normal(3000).astype(np.float32)
    x[1234] = special
    with warnings.catch_warnings(record=True) as wn:
        warnings.simplefilter("always")
        want = np.linalg.norm(x, ord)
    with warnings.catch_warnings(record=True) as wg:
        warnings.simplefilter("always")
        got = normnative.norm(x, ord)
    assert sorted(w.category.__name__ for w in wg) == sorted(w.category.__name__ for w in wn)
    assert got.dtype == want.dtype
    exact = nearest_float32(vector_ref([float(v) for v in x], ord))   # numpy's own float32 sum is not exact
    assert (math.isnan(want) and math.isnan(got)) or got.view(np.int32) == exact.view(np.int32)


@pytest.mark.parametrize("ord", [1, -1, -2, 0.5, -1.5, -2.5, math.inf, -math.inf])
def test_large_vector_every_thread_count(ord):
    rng = np.random.default_rng(6)
    x = (rng.standard_normal(600_001) * 3).astype(np.float32)
    spread = np.zeros(2 * x.size, np.float32)
    spread[::2] = x
    want = normnative.norm(spread[::2], ord)   # strided: the exact path
    old = normnative.get_num_threads()
    try:
        for t in (1, 2, 3):
            normnative.set_num_threads(t)
            assert normnative.norm(x, ord).view(np.int32) == want.view(np.int32)
    finally:
        normnative.set_num_threads(old)
