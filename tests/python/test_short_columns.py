"""Short columns (a few rows, many adjacent outputs: C-order axis 0, Fortran rows, transposed views) at orders
0, 1, 2, None, ±inf and −1 for complex64, float32, float64 and int dtypes — the shapes of the (4, 3000) sweep cells, whose
column kernels (AcrossOutputsWide's complex64 squares on the AVX-512 route, AcrossOutputs' static band routine) must
give every output the bits of its column reduced alone (the 1-D path, itself correctly rounded for float32/complex64)
at one and two threads, and NumPy's dtypes, shapes and NaN positions. Data: random, small integers, ones, repeated
values, columns whose double sum lies on or next to a float32 midpoint, NaN/inf/zeros and subnormal parts."""
import warnings

import numpy as np
import pytest

import normnative
from _reference import assert_float32_correctly_rounded, norm_at_threads, vector_ref

RNG = np.random.default_rng(20261128)
ORDS = [0, 1, 2, None, np.inf, -np.inf, -1]
H = 2.0 ** -24  # half a float32 ulp of 1


def _data(kind, n, k, dtype):
    cplx = np.dtype(dtype).kind == "c"
    if kind == "random":
        a = RNG.standard_normal((n, k)) + (1j * RNG.standard_normal((n, k)) if cplx else 0)
    elif kind == "ints":
        a = RNG.integers(-9, 10, (n, k)) + (1j * RNG.integers(-9, 10, (n, k)) if cplx else 0)
    elif kind == "ones":
        a = np.ones((n, k))
    else:  # repeats: a few values, so many columns are equal and many magnitudes tie
        vals = np.array([3 + 4j, -5, 4 - 3j, 0.5j, 1]) if cplx else np.array([3.0, -5, 4, 0.5, 1])
        a = vals[RNG.integers(0, vals.size, (n, k))]
    a = np.asarray(a).astype(dtype)
    if np.dtype(dtype).kind in "fc" and kind != "ones":
        _specials(a, dtype)
    return a


def _specials(a, dtype):
    """Puts special columns first: zeros, a NaN, an infinity, one zero, subnormal parts, and (for float32/complex64
    sums) columns whose double sum of |x| lies exactly on or within a few double ulps of a float32 midpoint."""
    n, k = a.shape
    cplx = np.dtype(dtype).kind == "c"
    cols = [
        np.zeros(n),
        np.where(np.arange(n) == n // 2, np.nan, 1.5),
        np.where(np.arange(n) == 0, np.inf, 2.0),
        np.where(np.arange(n) == n - 1, 0, 3.0),
        np.full(n, 1e-45 if np.dtype(dtype).itemsize <= 8 else 5e-324),
    ]
    # near float32 midpoints: 1 + 2⁻²⁴ (a tie, to even), and sums a few units of 2⁻⁴⁸ beside it, in f32-exact terms
    for extra in (0.0, 2.0 ** -40, -(2.0 ** -40), 2.0 ** -47, -(2.0 ** -47)):
        col = np.zeros(n)
        col[0], col[1] = 1.0, H
        if n >= 3:
            col[2] = extra
        elif extra:
            continue
        cols.append(col)
    # 2-norms on a float32 midpoint: 16254975² + 4153408² = (2²⁴ + 1)², a tie (to even) between two floats, and with
    # a third element 1 a hair above it (≈ 2⁻⁴⁹ relative: inside any fast bound, so the exact hand-off decides)
    for third in (0.0, 1.0):
        col = np.zeros(n)
        col[0], col[1 % n] = 16254975.0, 4153408.0
        if n >= 3:
            col[2] = third
        elif third:
            continue
        cols.append(col)
    col = np.zeros(n)  # 3 + 2⁻²² (midpoint of two floats in [2, 4)) over several terms
    col[: min(n, 3)] = [1.0, 2.0, 2.0 ** -22][: min(n, 3)]
    cols.append(col)
    for j, col in enumerate(cols[: k]):
        a[:, j] = col.astype(dtype) * (1 - 1j if cplx and j == 2 else 1)  # a complex infinity with a finite part
    if cplx and k > len(cols) + 2:  # complex near-midpoints: |3+4i| = 5 and a tiny imaginary part beside
        c = np.zeros(n, complex)
        c[0], c[1 % n] = 3 + 4j, c[1 % n] + 5 * H * 4
        a[:, len(cols)] = c.astype(dtype)
        a[:, len(cols) + 1] = (np.resize([1 + 0j, 1j * H], n)).astype(dtype)


def _same(x, y):
    x, y = np.asarray(x), np.asarray(y)
    return x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x.view(np.uint8), y.view(np.uint8))


def _layouts(a):
    """(name, array, axis, lines): the same columns as C-order axis 0, Fortran-order rows, a transposed view."""
    yield "C axis0", a, 0, a.T
    f = np.asfortranarray(a.T)
    yield "F axis1", f, 1, a.T
    yield "T view", np.ascontiguousarray(a.T).T, 0, a.T


def _check(a, ord):
    n, k = a.shape
    for name, x, axis, lines in _layouts(a):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            one, two = norm_at_threads((1, 2), x, ord, axis=axis)
            want = np.linalg.norm(x, ord, axis=axis)
            alone = np.array([normnative.norm(np.ascontiguousarray(line), ord) for line in lines], dtype=want.dtype)
        assert one.dtype == want.dtype and one.shape == want.shape, name
        assert np.array_equal(np.isnan(one), np.isnan(want)), name
        assert _same(one, two), (name, np.nonzero(one != two))
        assert _same(one, alone), (name, np.nonzero(one != alone), one[one != alone], alone[one != alone])
    return one


@pytest.mark.parametrize("dtype", [np.complex64, np.float32])
@pytest.mark.parametrize("kind", ["random", "ints", "ones", "repeats"])
@pytest.mark.parametrize("n", [2, 3, 4, 5, 8])
def test_narrow_short_columns_bits_of_the_line(dtype, kind, n):
    a = _data(kind, n, 203, dtype)
    for ord in ORDS:
        one = _check(a, ord)
        if kind in ("random", "ints") and ord in (1, 2, None):
            p = 2 if ord is None else ord
            for j in range(0, 203, 17):  # exact references: correctly rounded (NaN/inf/zero columns included)
                assert_float32_correctly_rounded(float(one[j]), vector_ref([complex(v) for v in a[:, j]], p), kind, n, j)


@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.int64, np.complex128])
@pytest.mark.parametrize("kind", ["random", "ints", "repeats"])
def test_wide_short_columns_bits_of_the_line(dtype, kind):
    a = _data(kind, 4, 131, dtype)
    for ord in ORDS:
        _check(a, ord)


@pytest.mark.parametrize("dtype", [np.complex64, np.float32, np.float64])
def test_short_columns_threaded_bands(dtype):
    """Enough outputs for the threaded band split ((4, 30000) at 2 threads) and a ragged last band and group."""
    a = _data("random", 4, 30011, dtype)
    for ord in (1, 2, np.inf, -np.inf):
        one, two = norm_at_threads((1, 2), a, ord, axis=0)
        assert _same(one, two)
        for j in (0, 1, 5, 6, 7, 8, 1023, 1024, 30009, 30010):
            assert one[j] == normnative.norm(np.ascontiguousarray(a[:, j]), ord) or (np.isnan(one[j]) and j == 1)


@pytest.mark.parametrize("n", list(range(2, 18)))
def test_float64_register_columns_every_row_count(n):
    """float64 ord 1 / 2 columns of up to 16 rows are summed eight outputs at a time in registers (session 18): every
    row count up to the limit and one past it, a ragged tail, and groups where some lanes leave the fast finish
    (squares that underflow or overflow, ∞, NaN, all-zero columns) — every output the bits of its line alone."""
    rng = np.random.default_rng(1000 + n)
    a = rng.standard_normal((n, 8 * 9 + 3))
    a[:, 3] = 0.0
    a[:, 9] *= 1e-300       # squares below the finish's range: the scaled 1-D path
    a[:, 17] *= 1e300       # squares that overflow
    a[0, 26] = np.inf
    a[n - 1, 34] = np.nan
    a[:, 40] = 5e-324
    a[:, 48:56] *= 1e-160   # a whole group near the lower edge
    a[:, 56:64] = np.round(a[:, 56:64] * 8)
    for ord in (1, 2, None):
        _check(a, ord)


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_int_columns_with_sums_beyond_two_to_53(dtype):
    """Integer ord 1 / 2 columns finish eight adjacent plain double sums at a time (session 18); a group holding a sum
    of 2^53 or more (inexact in double) must send the call to the exact path — every output the correctly rounded
    norm (integer arithmetic: isqrt), wherever that column sits (in a group of eight, in the tail)."""
    from fractions import Fraction
    from _reference import correctly_rounded_sqrt_fraction
    rng = np.random.default_rng(53)
    for big in (0, 5, 8, 16, 34):
        a = rng.integers(-1000, 1000, (4, 35)).astype(dtype)
        if big:
            a[:, big] = np.array([2 ** 30 + 1, 2 ** 30 - 3, 2 ** 29 + 7, 12345], dtype=dtype) if dtype == np.int64 \
                else np.array([2 ** 30 + 1, -(2 ** 30 - 3), 2 ** 29 + 7, 12345], dtype=dtype)
        for ord in (1, 2):
            got = normnative.norm(a, ord, axis=0)
            for j in range(a.shape[1]):
                col = [int(v) for v in a[:, j]]
                if ord == 1:
                    want = float(sum(abs(v) for v in col))  # exact: below 2^53
                else:
                    q = sum(v * v for v in col)
                    want = correctly_rounded_sqrt_fraction(Fraction(q)) if q else 0.0
                assert got[j] == want, (big, ord, j, col, got[j], want)


@pytest.mark.parametrize("ord", [np.inf, -np.inf])
@pytest.mark.parametrize("n", [1, 3, 4, 9])
def test_float16_columns_extrema_store_the_element_bits(ord, n):
    """float16 ±inf over adjacent columns stores the extreme magnitude's bits directly, eight outputs at a time where no
    lane holds a NaN (session 18; two software conversions per output before): every output equal to NumPy's exact
    max / min of |x| and to the column alone — subnormals, zeros, ±0, infinities, NaNs, a ragged tail, strided and
    reversed kept axes."""
    rng = np.random.default_rng(16 + n)
    with np.errstate(over="ignore"):  # a few draws beyond 65504 become inf: kept, as data
        a = (rng.standard_normal((n, 8 * 5 + 3)) * np.exp2(rng.integers(-26, 16, (n, 8 * 5 + 3)))).astype(np.float16)
    a[:, 8] = np.float16(6e-8)     # the least subnormal
    a[:, 9] = -0.0
    a[0, 10] = np.inf
    a[n - 1, 17] = np.nan          # a NaN group: the lane-by-lane finish
    a[:, 24:32] = np.float16(65504)
    for x, axis, lines in ((a, 0, a.T), (a[:, ::-1], 0, a[:, ::-1].T), (np.asfortranarray(a.T), 1, a.T)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            got = normnative.norm(x, ord, axis=axis)
            want = np.linalg.norm(x, ord, axis=axis)
        assert got.dtype == np.float16
        assert got.view(np.uint16).tolist() == np.where(np.isnan(want), got, want).astype(np.float16).view(np.uint16).tolist()
        assert np.array_equal(np.isnan(got), np.isnan(want))
        alone = np.array([normnative.norm(np.ascontiguousarray(c), ord) for c in lines], np.float16)
        assert got.view(np.uint16).tolist() == alone.view(np.uint16).tolist()
