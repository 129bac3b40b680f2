"""Shapes around the parallel thresholds: results are the same bits at 1, 2 and 3 threads, the correctly rounded
paths match exact references, and a 2-thread call does not page-fault on a fresh buffer every time.

Session 15: float64 ord 1 / 2 of short C-order columns ((4, 30000) axis 0, above BlockDriver.ParallelThreshold) took
~920 µs at 2 threads against ~58 µs at 1 — AcrossOutputs allocated a fresh large array of partial sums per call,
which page-faulted on every write once a worker thread existed. One vector is now split by blocks from 16 blocks
(BlockDriver.VectorSplitElements) instead of whole 2¹⁸-element chunks, float32 2-norms from 2¹⁷ floats."""
import math
import resource
from fractions import Fraction

import numpy as np
import pytest

import normnative
from _reference import norm_at_threads, ulp_error, vector_ref

THREADS = (1, 2, 3)


def _same_bits(outs):
    b = [np.asarray(o).tobytes() for o in outs]
    return all(x == b[0] for x in b)


@pytest.mark.parametrize("shape", [(4, 30000), (2, 60000), (8, 15000), (4, 20000), (3, 40001), (300, 1100)])
@pytest.mark.parametrize("ord_", [1, None])
def test_float64_columns_bits_and_exact(shape, ord_):
    rng = np.random.default_rng(shape[1])
    x = rng.standard_normal(shape) * np.exp2(rng.integers(-30, 30, shape))
    x[:, 7] = [1e-300] * shape[0]  # a column summed again alone (tiny)
    outs = norm_at_threads(THREADS, x, ord_, axis=0)
    assert _same_bits(outs), (shape, ord_)
    p = 2 if ord_ is None else 1
    for j in (0, 7, shape[1] // 2, shape[1] - 1):  # correctly rounded: the exact value, rounded
        want = vector_ref(x[:, j], p)
        assert ulp_error(outs[0][j], want, np.float64) <= 0.5, (shape, ord_, j)


@pytest.mark.parametrize("order", ["C", "F"])
def test_float64_columns_3d_slabs(order):
    rng = np.random.default_rng(4)
    x = rng.standard_normal((4, 30000, 3))
    if order == "F":
        x = np.asfortranarray(x)
    for ord_ in (1, None):
        for axis in (0, 1):
            assert _same_bits(norm_at_threads(THREADS, x, ord_, axis=axis)), (order, ord_, axis)


def test_two_threads_do_not_fault_per_call():
    # before: ~116 page faults per call at 2 threads (a fresh 480 KB array each time), 0 at 1 thread
    x = np.random.default_rng(1).standard_normal((4, 30000))
    before = normnative.get_num_threads()
    try:
        normnative.set_num_threads(2)
        for _ in range(3):
            normnative.norm(x, 1, axis=0)
        f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for _ in range(20):
            normnative.norm(x, 1, axis=0)
            normnative.norm(x, None, axis=0)
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0
    finally:
        normnative.set_num_threads(before)
    assert faults < 200, faults


SIZES = (65535, 65536, 65537, 100000, 200000, 262143, 262145, 300001, 600001)


def _vector(n, dtype, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n) * np.exp2(rng.integers(-20, 20, n))
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.standard_normal(n)
    return x.astype(dtype)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype,ord_", [("float64", None), ("float64", 1), ("float64", 3), ("float64", 5), ("float64", np.inf),
                                        ("complex128", None)])
def test_vector_bits_do_not_depend_on_threads(n, dtype, ord_):
    x = _vector(n, dtype, n)
    for v in (x, x[::-1], x[::3]):
        assert _same_bits(norm_at_threads(THREADS + (5,), v, ord_)), (n, dtype, ord_, v.strides)


@pytest.mark.parametrize("n", (100000, 300001))
def test_vector_blocks_refused_and_flags(n):
    # blocks that take the slow (scaled) route, a huge block, NaN and inf in different chunks: the per-block
    # replay must give the serial bits and the serial flags
    x = _vector(n, "float64", 3)
    x[5000:5100] = 1e-310
    x[70000:70010] = 1e300
    outs = norm_at_threads(THREADS, x)
    assert _same_bits(outs)
    y = x.copy()
    y[n - 10] = np.inf
    assert all(o == np.inf for o in norm_at_threads(THREADS, y))
    y[9000] = np.nan
    assert all(math.isnan(o) for o in norm_at_threads(THREADS, y))
    assert all(math.isnan(o) for o in norm_at_threads(THREADS, y, 1))
    z = x[:40000].copy()
    want = vector_ref(z, 2)
    got = norm_at_threads(THREADS, z)
    assert _same_bits(got) and ulp_error(got[0], want, np.float64) <= 1


def _float32_correctly_rounded(got, x):
    """got is the float32 nearest √Σ|x|²: the exact sum in integers (x·2¹²⁰ are integers for these data) lies
    strictly between the squares of got's neighbouring midpoints."""
    parts = [x.real, x.imag] if x.dtype.kind == "c" else [x]
    s = 0
    for a in parts:
        w = a.astype(np.float64) * 2.0 ** 120  # exact
        assert np.all(np.floor(w) == w)
        ints = w.tolist()
        s += sum(int(t) * int(t) for t in ints)
    g = np.float32(got)
    lo = (Fraction(float(g)) + Fraction(float(np.nextafter(g, np.float32(0))))) / 2
    hi = (Fraction(float(g)) + Fraction(float(np.nextafter(g, np.float32(np.inf))))) / 2
    S = Fraction(s, 2 ** 240)
    assert lo * lo < S < hi * hi, (got, x.dtype, x.size)


@pytest.mark.parametrize("n", (65536, 131071, 131072, 300001))
@pytest.mark.parametrize("dtype", ["float32", "complex64"])
def test_float32_vector_correctly_rounded_any_split(n, dtype):
    x = _vector(n, dtype, n + 1)
    outs = norm_at_threads(THREADS, x)
    assert _same_bits(outs)
    _float32_correctly_rounded(outs[1], x)
