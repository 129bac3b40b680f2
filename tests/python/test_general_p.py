"""Vector p-norms for general orders (no dedicated kernel: 0.01, 0.3, 1.7, 7.3, 33.3, 100, 1000, -0.5, -3.3, -7.5, ...)
against 100-digit mpmath references, for every dtype: float64 / complex128 within 1 ulp (the vectorised path measures
<= 0.5), float32 / float16 / complex64 correctly rounded; magnitudes near the ends of the range, subnormals, mixed
huge and tiny, zeros with negative orders, inf and NaN (values and warnings as NumPy); strided and reversed views;
axis reductions (each output equals the 1-D norm of its line, bit for bit); and bits independent of the thread
count."""
import math
import warnings

import mpmath
import numpy as np
import pytest

import normnative
from _reference import ulp_error, vector_ref

ORDS = (0.01, 0.13, 0.3, 0.7, 1.7, 7.3, 33.3, 100.0, 1000.0, -0.13, -0.5, -3.3, -7.5, -100.0)
RNG = np.random.default_rng(20261127)


def _values(kind, n, rng):
    if kind == "normal":
        return rng.standard_normal(n)
    if kind == "wide":
        return rng.standard_normal(n) * np.exp2(rng.integers(-300, 300, n).astype(float))
    if kind == "huge":
        return rng.standard_normal(n) * 1e300
    if kind == "tiny":
        return rng.standard_normal(n) * 1e-300
    if kind == "subnormal":
        return rng.standard_normal(n) * 1e-315
    if kind == "mixed":
        x = rng.standard_normal(n) * 1e-290
        x[:: max(1, n // 3)] *= 1e290
        x[:: max(1, n // 3)] *= 1e290
        return x
    raise ValueError(kind)


def _bound(dtype):
    return 1.0 if np.dtype(dtype) in (np.float64, np.complex128) else 0.5


@pytest.mark.parametrize("p", ORDS)
@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_double_results_within_one_ulp(dtype, p):
    worst = 0.0
    for kind in ("normal", "wide", "huge", "tiny", "subnormal", "mixed"):
        for n in (1, 3, 16, 17, 100):
            x = _values(kind, n, RNG)
            if np.dtype(dtype).kind == "c":
                x = x + 1j * _values(kind, n, RNG)[::-1]
            x = x.astype(dtype)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = normnative.norm(x, p)
            exact = vector_ref(x, p)
            e = ulp_error(got, exact, np.float64)
            assert e <= 1.0, (kind, n, got, mpmath.nstr(exact, 20))
            worst = max(worst, e)
    assert worst <= 1.0


@pytest.mark.parametrize("p", ORDS)
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.complex64])
def test_narrow_results_correctly_rounded(dtype, p):
    rdt = np.float32 if np.dtype(dtype) == np.complex64 else dtype
    fi = np.finfo(rdt)
    for n in (1, 5, 16, 33, 300):
        for scale in (1.0, float(fi.tiny) * 8, float(fi.max) / 1e4 / max(1, n)):
            x = RNG.standard_normal(n) * scale
            if np.dtype(dtype).kind == "c":
                x = x + 1j * RNG.standard_normal(n) * scale
            with np.errstate(all="ignore"):
                x = x.astype(dtype)
            if not np.all(np.isfinite(x)):
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = normnative.norm(x, p)
            assert got.dtype == rdt
            exact = vector_ref(x, p)
            e = ulp_error(got, exact, rdt)
            assert e <= 0.5, (n, scale, got, mpmath.nstr(exact, 20))


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint8, np.uint64, np.bool_])
@pytest.mark.parametrize("p", (0.3, 1.7, -3.3))
def test_integer_inputs(dtype, p):
    x = RNG.integers(0, 100, 777).astype(dtype)
    x[5] = 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = normnative.norm(x, p)
        want_np = np.linalg.norm(x, p)
    assert got.dtype == want_np.dtype == np.float64
    exact = vector_ref(x, p)
    assert ulp_error(got, exact, np.float64) <= 1.0


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.complex64])
@pytest.mark.parametrize("p", (1.7, 0.3, -0.5, -3.3))
def test_special_values_match_numpy(dtype, p):
    base = np.arange(1, 41, dtype=float) / 7
    cases = []
    for special in (0.0, np.inf, -np.inf, np.nan):
        for pos in (0, 39):
            x = base.copy()
            x[pos] = special
            cases.append(x)
    if np.dtype(dtype).kind == "c":
        z = base.astype(complex)
        z[3] = complex(np.inf, np.nan)  # |z| = inf
        cases.append(z)
        z = base.astype(complex)
        z[3] = complex(0, np.nan)
        cases.append(z)
        z = base.astype(complex)
        z[3] = 0
        z[9] = complex(np.nan, 1)
        cases.append(z)
    cases.append(np.zeros(0))
    for x in cases:
        x = x.astype(dtype)
        with warnings.catch_warnings(record=True) as w_ours:
            warnings.simplefilter("always")
            got = normnative.norm(x, p)
        with warnings.catch_warnings(record=True) as w_np:
            warnings.simplefilter("always")
            want = np.linalg.norm(x, p)
        assert got.dtype == want.dtype
        if np.isnan(want) or np.isinf(want) or want == 0:
            assert (np.isnan(got) and np.isnan(want)) or got == want, (x, got, want)
        else:
            # mpmath's abs(mpc(inf, nan)) is nan; C99 (and NumPy) say inf
            exact = vector_ref([math.inf if np.isinf(v) else v for v in x], p)
            assert ulp_error(got, exact, got.dtype) <= _bound(x.dtype), (x, got, want)
        assert {type(m.message) for m in w_ours} == {type(m.message) for m in w_np}, (x, w_ours, w_np)


@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.float32])
@pytest.mark.parametrize("p", (0.3, 1.7, -3.3, 33.3))
def test_strided_and_reversed_views(dtype, p):
    for n in (15, 16, 17, 4095, 4097):
        base = RNG.standard_normal(3 * n) * np.exp2(RNG.integers(-20, 20, 3 * n).astype(float))
        if np.dtype(dtype).kind == "c":
            base = base + 1j * RNG.standard_normal(3 * n)
        base = base.astype(dtype)
        for view in (base[::3], base[n:2 * n][::-1], base[1::2][:n]):
            got = normnative.norm(view, p)
            assert got == normnative.norm(np.ascontiguousarray(view)[::-1].copy()[::-1].copy(), p) or \
                ulp_error(got, vector_ref(view, p), got.dtype) <= _bound(dtype)
            assert ulp_error(got, vector_ref(view, p), got.dtype) <= _bound(dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.float32])
@pytest.mark.parametrize("p", (0.3, 1.7, -3.3))
def test_axis_reductions_equal_line_norms(dtype, p):
    a = RNG.standard_normal((37, 45, 3)) * np.exp2(RNG.integers(-50, 50, (37, 45, 3)).astype(float))
    if np.dtype(dtype).kind == "c":
        a = a + 1j * RNG.standard_normal((37, 45, 3))
    a = a.astype(dtype)
    for axis in (0, 1, 2):
        got = normnative.norm(a, p, axis=axis)
        want_shape = np.linalg.norm(a, p, axis=axis).shape
        assert got.shape == want_shape
        moved = np.moveaxis(a, axis, -1)
        for idx in np.ndindex(*moved.shape[:-1]):
            line = moved[idx]
            assert got[idx] == normnative.norm(np.ascontiguousarray(line), p)
        for idx in list(np.ndindex(*moved.shape[:-1]))[:5]:
            assert ulp_error(got[idx], vector_ref(moved[idx], p), got.dtype) <= _bound(dtype)
    # keepdims and a tuple of one axis
    k = normnative.norm(a, p, axis=(1,), keepdims=True)
    assert k.shape == (37, 1, 3)


@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
@pytest.mark.parametrize("p", (0.3, -7.5, 1.7))
def test_thread_count_does_not_change_bits(dtype, p):
    x = RNG.standard_normal(700_001) * np.exp2(RNG.integers(-40, 40, 700_001).astype(float))
    if np.dtype(dtype).kind == "c":
        x = x + 1j * RNG.standard_normal(700_001)
    x = x.astype(dtype)
    old = normnative.get_num_threads()
    try:
        results = set()
        for t in (1, 2, 3):
            normnative.set_num_threads(t)
            results.add(float(normnative.norm(x, p)).hex())
        assert len(results) == 1, results
    finally:
        normnative.set_num_threads(old)


LONG_ORDS = (0.01, 0.3, 1.7, 7.0, 33.3, 1000.0, -0.5, -3.0, -7.5)
LONG_KINDS = ("normal", "wide", "mixed", "subnormal", "zeros", "equal", "inf", "nan")


def _long_values(kind, n, rng, complex_):
    def one():
        if kind in ("normal", "wide", "mixed", "subnormal"):
            return _values(kind, n, rng)
        if kind == "zeros":  # a fifth zeros among values spread over 2**+-40
            x = rng.standard_normal(n) * np.exp2(rng.integers(-40, 40, n).astype(float))
            x[rng.random(n) < 0.2] = 0.0
            return x
        if kind == "equal":  # one value throughout: every term's error has the same sign
            return np.full(n, rng.standard_normal() * 2.0 ** rng.integers(-500, 500))
        if kind in ("inf", "nan"):
            x = rng.standard_normal(n)
            x[rng.integers(0, n)] = np.inf if kind == "inf" else np.nan
            return x
        raise ValueError(kind)
    x = one()
    if complex_:
        z = x.astype(np.complex128)
        z.imag = one() if kind != "equal" else x * 0.75  # assigned, not 1j * y (which makes nan + inf·j of inf)
        return z
    return x


@pytest.mark.parametrize("p", LONG_ORDS)
@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_long_vectors_within_one_ulp(dtype, p):
    # lengths around the 4096-element blocks and 16-lane groups (full groups take the unmasked table terms, blocks
    # with zeros, infinities, subnormals or wide ranges the masked ones); two kinds per length, rotating
    complex_ = np.dtype(dtype).kind == "c"
    rng = np.random.default_rng(int(abs(p) * 1000) + (7 if complex_ else 0))
    worst = 0.0
    for i, n in enumerate((4095, 4097, 8193)):
        for kind in (LONG_KINDS[(2 * i) % 8], LONG_KINDS[(2 * i + 1 + int(abs(p) * 10)) % 8]):
            x = _long_values(kind, n, rng, complex_).astype(dtype)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = normnative.norm(x, p)
                want_np = np.linalg.norm(x, p)
            exact = vector_ref(x, p)
            if isinstance(exact, float) and (math.isnan(exact) or math.isinf(exact) or exact == 0):
                assert (np.isnan(got) and math.isnan(exact)) or got == exact, (kind, n, got, exact)
                assert (np.isnan(got) and np.isnan(want_np)) or got == want_np, (kind, n, got, want_np)
                continue
            e = ulp_error(got, exact, np.float64)
            assert e <= 1.0, (kind, n, got, mpmath.nstr(exact, 20))
            worst = max(worst, e)
    print(f"long vectors {np.dtype(dtype).name} p={p}: worst {worst:.3f} ulp")
