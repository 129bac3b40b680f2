"""Strided 1-D vectors (x[::k], reversed, odd byte strides) are read in place by the fast paths — the float32/complex64
proven-rounding sums (2-norm, ord 1, −1, −2, ½, −1.5, −2.5, the complex orders, the general orders of NarrowPowFast),
the float widening copy of the exact paths, the float ±∞ scans and the float64 2-norm's blocks. Every result must have
the bits, the dtype and the warnings of the same values made contiguous (whose paths the parity and accuracy tests
check against NumPy and exact references), for every length, stride, thread count and kind of data."""
import math
import warnings

import numpy as np
import pytest

import normnative

RNG = np.random.default_rng(1129)

ORDS = [None, 1, -1, 2, -2, 0.5, -1.5, -2.5, 3, 4, 2.5, 1.7, 5, -3, 3.5, -0.5, np.inf, -np.inf, 0]
LENGTHS = [7, 8, 9, 16, 17, 100, 2049, 5000, 70_001]


def _call(x, o):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r = normnative.norm(x, o)
    return r, sorted(str(m.message) for m in w)


def _same(x, o):
    got, gw = _call(x, o)
    want, ww = _call(np.ascontiguousarray(x), o)
    assert np.asarray(got).dtype == np.asarray(want).dtype
    assert np.asarray(got).tobytes() == np.asarray(want).tobytes(), (x.dtype, x.strides, x.size, o, got, want)
    assert gw == ww
    return got


def _values(dtype, n, kind):
    span = 4 if dtype == np.float16 else 20  # float16 values stay inside its range
    v = RNG.standard_normal(n) * 2.0 ** int(RNG.integers(-span, span))
    if np.dtype(dtype).kind == "c":
        v = v + 1j * RNG.standard_normal(n)
    v = v.astype(dtype)
    if kind == "nan":
        v[n // 2] = np.nan
    elif kind == "inf":
        v[n - 1] = np.inf
    elif kind == "zero":
        v[n // 3] = 0
    elif kind == "ones":  # every sum exact: results on or next to rounding midpoints
        v[:] = 1
    return v


def _strided(v, step):
    """A view of v's values with `step` elements between them (negative: reversed)."""
    a = abs(step)
    # the values in between are large and finite: one read by mistake changes a sum without making it fail its proof
    parent = (RNG.standard_normal(v.size * a + 3) * 1000).astype(v.dtype)
    if step > 0:
        parent[1::a][: v.size] = v
        return parent[1::a][: v.size]
    view = parent[1::a][: v.size][::-1]
    view[:] = v
    return view


# the float16 exact path and the widest stride only up to 5000 elements (kept short)
CASES = [(d, s, n) for d in (np.float32, np.complex64, np.float16, np.float64) for s in (2, 3, 5, -2, 16) for n in LENGTHS
         if n <= 5000 or (d != np.float16 and s != 16)]


@pytest.mark.parametrize("dtype,step,n", CASES)
def test_random_strided_vectors_match_contiguous(dtype, step, n, threads):
    x = _strided(_values(dtype, n, "random"), step)
    for o in ORDS:
        _same(x, o)


@pytest.mark.parametrize("dtype", [np.float32, np.complex64, np.float64])
@pytest.mark.parametrize("kind", ["nan", "inf", "zero", "ones"])
@pytest.mark.parametrize("n", [9, 2049, 70_001])
def test_special_values_strided_match_contiguous(dtype, kind, n, threads):
    x = _strided(_values(dtype, n, kind), 3)
    for o in ORDS:
        r = _same(x, o)
        if kind == "nan" and o is not None and o != 0:
            assert math.isnan(float(np.asarray(r)))


def test_odd_byte_strides_are_read_in_place():
    """float32 elements 6 and 10 bytes apart (unaligned views a buffer can hold): the element loads take any stride."""
    for stride in (6, 10):
        n = 3000
        buf = np.zeros(n * stride + 8, dtype=np.uint8)
        x = np.ndarray(shape=(n,), dtype=np.float32, buffer=buf, offset=1, strides=(stride,))
        x[:] = RNG.standard_normal(n).astype(np.float32)
        assert not x.flags.aligned or stride % 4 == 0
        for o in ORDS:
            _same(x, o)


def test_broadcast_zero_stride():
    """A zero stride (one element repeated) is left to the exact paths: same bits as the contiguous copy."""
    for dtype in (np.float32, np.complex64, np.float64):
        x = np.broadcast_to(np.array(1.25 + (0.5j if np.dtype(dtype).kind == "c" else 0), dtype=dtype), (5000,))
        assert x.strides == (0,)
        for o in ORDS:
            _same(x, o)


def _lines_match(v, axis, o):
    got = normnative.norm(v, o, axis)
    moved = np.moveaxis(v, axis, -1)
    for idx in np.ndindex(moved.shape[:-1]):
        line = np.ascontiguousarray(moved[idx])
        want = normnative.norm(line, o)
        assert got[idx].tobytes() == np.asarray(want).tobytes(), (v.dtype, v.strides, axis, o, idx, got[idx], want)


VIEWS = {
    "C": lambda a: a,
    "[:, ::2]": lambda a: a[:, ::2],
    "[::2, ::3]": lambda a: a[::2, ::3],
    ".T": lambda a: a.T,
    "[::-1, ::-2]": lambda a: a[::-1, ::-2],
}


@pytest.mark.parametrize("dtype", [np.float32, np.complex64, np.float64, np.complex128])
@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("shape", [(130, 140), (400, 260)])
def test_many_long_lines_match_each_line_alone(dtype, view, shape, threads):
    """Lines of 65 … 16383 float32/complex64 values, any layout (NarrowLines: each line's 1-D fast path, or the line
    alone; strided columns eight at a time, float64 ±∞ too): every output has the bits of its line reduced alone, with
    NaN, ∞ and zeros in some lines."""
    a = _values(dtype, shape[0] * shape[1], "random").reshape(shape)
    a[3, 5] = np.nan
    a[7, :] = 0
    a[11, 13] = np.inf
    a[:, 17] = 1  # exact sums: results on or next to midpoints
    v = VIEWS[view](a)
    for axis in (0, 1):
        if v.shape[axis] < 65:
            continue  # (400, 260)[::2, ::3] rows: short-line kernels, covered elsewhere
        for o in ORDS:
            _lines_match(v, axis, o)


@pytest.mark.parametrize("dtype", [np.float32, np.complex64])
@pytest.mark.parametrize("view", list(VIEWS) + ["[::2, :]", "[1:, :-1]"])
@pytest.mark.parametrize("shape", [(3, 5), (130, 140), (700, 300)])
def test_whole_2d_views_match_contiguous(dtype, view, shape, threads):
    """The float32 / complex64 2-norm (and 'fro') of a whole 2-D view that is not one run of memory, summed row by row
    in place (FloatFastPath.TryRunRows): the bits of the contiguous copy's correctly rounded norm."""
    views = dict(VIEWS, **{"[::2, :]": lambda a: a[::2, :], "[1:, :-1]": lambda a: a[1:, :-1]})
    for kind in ("random", "ones", "nan", "inf"):
        a = _values(dtype, shape[0] * shape[1], kind).reshape(shape)
        v = views[view](a)
        _same(v, None)
        got = normnative.norm(v, "fro")
        assert got.tobytes() == normnative.norm(np.ascontiguousarray(v), "fro").tobytes()


@pytest.mark.parametrize("dtype", [np.float32, np.complex64])
@pytest.mark.parametrize("shape", [(65, 8), (129, 10), (300, 9), (300, 13), (1000, 100), (4096, 11), (4097, 9)])
def test_long_columns_match_each_line_alone(dtype, shape, threads):
    """float32 / complex64 C columns longer than 64 (NarrowLaneSums' lanes side by side up to 4096 values, the last
    group overlapping the one before it, also inside a thread's range; complex64 in chunks of 64 rows) at general
    orders: every output has its line's bits and warnings."""
    a = _values(dtype, shape[0] * shape[1], "random").reshape(shape)
    a[:, 3] = 1          # exact sums: midpoints decided alone
    a[5, 4] = 0          # negative orders: that column alone (divide-by-zero)
    for o in (1.7, 0.3, -2.5, 5, -3, 3.5, 2.5, 1.5, -0.5):
        _lines_match(a, 0, o)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            normnative.norm(a, o, 0)
        with warnings.catch_warnings(record=True) as w1:
            warnings.simplefilter("always")
            normnative.norm(np.ascontiguousarray(a[:, 4]), o)
        assert sorted(str(m.message) for m in w) == sorted(str(m.message) for m in w1)
