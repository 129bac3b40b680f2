"""Negative orders over lines that hold zeros (small-integer data: about one value in 19 is 0).

NumPy: 0**ord = inf for ord < 0, so the sum is inf (NaN when a magnitude is NaN) and inf**(1/ord) = 0 — the norm of a
line with a zero is exactly 0 (or NaN), with a "divide by zero" RuntimeWarning. The lane kernels finish such lanes in
place (a sum of +inf, or one scan of the line) instead of sending each line through the 1-D dispatch; these tests pin
that the values and warnings stay NumPy's, that every line (with or without zeros, NaN, inf, -0.0) gets the bits of
the per-line 1-D call, and that the bits do not depend on the thread count.
"""
import warnings

import numpy as np
import pytest

import normnative
from _reference import norm_at_threads

ORDS = (-1, -2, -2.5, -3, -0.5)
DTYPES = ("float16", "float32", "float64", "complex64", "complex128", "int32")

# line patterns, by line index modulo len(PATTERNS): where the zeros (and specials) go in a line of n
PATTERNS = ("none", "first", "middle", "last", "lane", "two", "all", "negzero", "zero_nan", "zero_inf", "nan", "inf",
            "zero_inf_nan", "none2", "lane2", "none3")


def _lines(count, n, dtype, seed):
    """count lines of n values: integers ±1…9 (no zeros) with zeros/specials planted per PATTERNS; complex lines
    get an independent nonzero imaginary part except where a zero is planted (re = im = 0 there)."""
    rng = np.random.default_rng(seed)
    kind = np.dtype(dtype).kind
    a = rng.integers(1, 10, (count, n)).astype(float) * rng.choice([-1.0, 1.0], (count, n))
    b = rng.integers(1, 10, (count, n)).astype(float) * rng.choice([-1.0, 1.0], (count, n))
    zero = np.zeros((count, n), bool)
    for i in range(count):
        pat = PATTERNS[i % len(PATTERNS)]
        lane = i % n
        if pat == "first":
            zero[i, 0] = True
        elif pat == "middle":
            zero[i, n // 2] = True
        elif pat == "last":
            zero[i, n - 1] = True
        elif pat in ("lane", "lane2"):
            zero[i, lane] = True
        elif pat == "two":
            zero[i, lane] = zero[i, (lane + n // 3 + 1) % n] = True
        elif pat == "all":
            zero[i, :] = True
        elif pat == "negzero":
            a[i, lane] = -0.0
            b[i, lane] = -0.0 if kind == "c" else b[i, lane]
            zero[i, lane] = kind in "iu"  # -0.0 of an integer is 0
            continue
        if kind in "fc":
            if pat in ("zero_nan", "zero_inf", "zero_inf_nan"):
                zero[i, lane] = True
            if pat in ("zero_nan", "nan", "zero_inf_nan"):
                a[i, (lane + 1) % n] = np.nan
            if pat in ("zero_inf", "inf", "zero_inf_nan"):
                a[i, (lane + 2) % n] = -np.inf
    a[zero] = 0.0
    b[zero] = 0.0
    if kind == "c":
        return (a + 1j * b).astype(dtype)
    return a.astype(dtype)


def _layouts(dtype, seed):
    """(name, x, axis, lines): x whose reduction along axis gives the lines in `lines` (count × n), in order."""
    out = []
    for m, n in ((48, 4), (48, 16), (40, 64)):
        L = _lines(m, n, dtype, seed + n)
        out.append((f"rows ({m},{n})", np.ascontiguousarray(L), 1, L))
        out.append((f"F rows ({m},{n})", np.asfortranarray(L), 1, L))
    for m, n in ((48, 4), (40, 64), (20, 7)):
        L = _lines(m, n, dtype, seed + 100 + n)
        out.append((f"cols ({n},{m})", np.ascontiguousarray(L.T), 0, L))
    # 3-D (6, 7, 9) reduced along each axis: the lines in C order of the kept axes
    shape = (6, 7, 9)
    for ax in range(3):
        kept = [s for i, s in enumerate(shape) if i != ax]
        L = _lines(kept[0] * kept[1], shape[ax], dtype, seed + 200 + ax)
        x = np.ascontiguousarray(np.moveaxis(L.reshape(kept[0], kept[1], shape[ax]), 2, ax))
        out.append((f"3-D {shape} axis {ax}", x, ax, L))
    return out


def _warnings_of(f):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r = f()
    return r, sorted({str(x.message) for x in w if x.category is RuntimeWarning})


def _same_bits(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("dtype", DTYPES)
def test_lines_with_zeros_match_numpy_and_the_1d_call(dtype):
    for name, x, ax, L in _layouts(dtype, seed=DTYPES.index(dtype)):
        for o in ORDS:
            got, w_got = _warnings_of(lambda: normnative.norm(x, o, axis=ax))
            want, w_want = _warnings_of(lambda: np.linalg.norm(x, o, axis=ax))
            assert got.dtype == want.dtype and got.shape == want.shape, (name, o)
            assert w_got == w_want, (name, o, w_got, w_want)
            flat = got.reshape(-1)
            kind = np.dtype(dtype).kind
            mags = np.abs(L.astype(complex if kind == "c" else float))
            has_zero = (mags == 0).any(axis=1)
            has_nan = np.isnan(mags).any(axis=1)
            # a line with a zero: exactly NumPy's value (0, or NaN with a NaN magnitude)
            zl = np.flatnonzero(has_zero)
            assert zl.size > 0
            np.testing.assert_array_equal(flat[zl], want.reshape(-1)[zl], err_msg=f"{name} ord={o}")
            assert np.all(np.where(has_nan[zl], np.isnan(flat[zl]), flat[zl] == 0)), (name, o)
            # every line: the bits of the per-line 1-D call
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                if ax == 0 and x.ndim == 2:
                    ref = [normnative.norm(x[:, j], o) for j in range(x.shape[1])]
                elif x.ndim == 2:
                    ref = [normnative.norm(x[j, :], o) for j in range(x.shape[0])]
                else:
                    ref = [normnative.norm(np.moveaxis(x, ax, -1)[idx], o) for idx in np.ndindex(*got.shape)]
            assert _same_bits(np.array(ref, dtype=got.dtype), flat), (name, o)


@pytest.mark.parametrize("dtype", DTYPES[:5])
def test_vectors_with_zeros(dtype):
    rng = np.random.default_rng(5)
    for n in (7, 100, 3000):
        base = (rng.integers(1, 10, n) * rng.choice([-1, 1], n)).astype(dtype)
        for where in (0, n // 2, n - 1):
            for extra in (None, np.nan, np.inf):
                x = base.copy()
                x[where] = 0
                if extra is not None:
                    x[(where + 1) % n] = extra
                for o in ORDS:
                    got, w_got = _warnings_of(lambda: normnative.norm(x, o))
                    want, w_want = _warnings_of(lambda: np.linalg.norm(x, o))
                    assert w_got == w_want, (n, where, extra, o)
                    assert np.isnan(got) if extra is not None and np.isnan(extra) else got == 0, (n, where, extra, o)
                    assert np.isnan(want) == np.isnan(got) and type(got) is type(want)


@pytest.mark.parametrize("dtype", ("float32", "float64", "complex64", "complex128"))
def test_zero_lanes_are_thread_count_invariant(dtype):
    rng = np.random.default_rng(11)
    for shape, ax in (((3000, 16), 1), ((4, 3000), 0), ((64, 1000), 0), ((40, 50, 60), 0), ((40, 50, 60), 2)):
        a = rng.integers(-9, 10, shape).astype(float)
        a.reshape(-1)[rng.integers(0, a.size, 3)] = np.nan
        b = np.where(a == 0, 0.0, rng.integers(-9, 10, shape))  # a zero element: both parts zero
        x = (a + 1j * b).astype(dtype) if dtype.startswith("complex") else a.astype(dtype)
        for o in (-1, -2, -2.5, -3):
            r = norm_at_threads((1, 2, 4), x, o, axis=ax)
            assert _same_bits(r[0], r[1]) and _same_bits(r[0], r[2]), (shape, ax, o)
            assert (np.asarray(r[0]) == 0).mean() > 0.1, (shape, ax, o)  # zeros were there (mostly)


@pytest.mark.parametrize("dtype", ("complex64", "complex128"))
def test_complex_zero_lines_with_nan_and_inf_parts(dtype):
    """|z| is inf when a part is inf, even with a NaN other part; NaN only when a part is NaN and neither is inf: a
    line with a zero is then 0 or NaN accordingly (contiguous vectors and rows: the vectorised scans)."""
    nan, inf = np.nan, np.inf
    cases = [
        ([complex(inf, nan)], 0.0), ([complex(nan, inf)], 0.0), ([complex(nan, 1)], nan), ([complex(1, nan)], nan),
        ([complex(nan, 1), complex(-inf, 2)], nan), ([complex(inf, nan), complex(3, nan)], nan),
        ([complex(-inf, 0)], 0.0), ([complex(0, -0.0), complex(-0.0, 0)], 0.0)
    ]
    rng = np.random.default_rng(3)
    for specials, expect in cases:
        for n in (9, 64, 1001):
            for at in (0, n // 2, n - 2):
                x = (rng.integers(1, 10, n) + 1j * rng.integers(1, 10, n)).astype(dtype)
                x[(at + 1) % n] = 0  # the zero
                for k, z in enumerate(specials):
                    x[(at + 2 + 3 * k) % n] = z
                for o in ORDS:
                    got, w_got = _warnings_of(lambda: normnative.norm(x, o))
                    want, w_want = _warnings_of(lambda: np.linalg.norm(x, o))
                    assert w_got == w_want, (specials, n, at, o)
                    if np.isnan(want):
                        assert np.isnan(got), (specials, n, at, o)
                    else:
                        assert want == 0 and got == 0, (specials, n, at, o, got, want)
                    rows = np.stack([x, x[::-1], np.roll(x, 5), x]).astype(dtype)
                    r, _ = _warnings_of(lambda: normnative.norm(rows, o, axis=1))
                    assert np.array_equal(np.isnan(r), np.isnan(np.full(4, want))) and np.all((r == 0) | np.isnan(r))
