"""Columns and rows of strided 2-D views (axis 0 and 1 of a[:, ::2], a[::2, ::3], a[::-1, ::-2], a[:, ::-3]): outputs,
or each row's elements, 2 … 16 elements apart, which ColumnBands compacts band by band into adjacent columns for
the column kernels (float64 ord 1 / 2 / −1 / −2 / 3 / 4 / ½, complex128 ord 1 / 2 / ½ / ±∞ / 0, complex64 and float32
orders of the lane kernels, integer columns) or into contiguous rows for the row kernels. Every
output must have the bits of its line reduced alone and the call the warnings of the contiguous copy, whatever the band
width (the last band overlaps the one before it), the thread count, and with NaN, ∞, zeros, huge and tiny values in
some columns (their kernels' fall-backs read the band)."""
import numpy as np
import pytest

import normnative
from _calls import norm_with_warnings as _call

RNG = np.random.default_rng(20261129)

ORDS = [None, 1, -1, 2, -2, 0.5, -0.5, 3, 4, -3, 1.5, 2.5, -2.5, 1.7, 5, np.inf, -np.inf, 0]

VIEWS = {
    "[:, ::2]": lambda a: a[:, ::2],
    "[::2, ::3]": lambda a: a[::2, ::3],
    "[::-1, ::-2]": lambda a: a[::-1, ::-2],
    "[:, ::-3]": lambda a: a[:, ::-3],
    "[1:, 1::2]": lambda a: a[1:, 1::2],
    "[:, ::-1]": lambda a: a[:, ::-1],
    "[::4, ::5]": lambda a: a[::4, ::5],
    "[:, ::-8]": lambda a: a[:, ::-8],
    "[::2, ::16]": lambda a: a[::2, ::16],
}


def _values(dtype, shape, scale=1.0):
    if np.dtype(dtype).kind == "b":
        return RNG.random(shape) > 0.3
    if np.dtype(dtype).itemsize <= 2:  # the dtype's whole range, its extremes included
        info = np.iinfo(dtype)
        v = RNG.integers(info.min, int(info.max) + 1, size=shape)
        v[0, ::5] = info.max
        v[1, ::7] = info.min
        return v.astype(dtype)
    if np.dtype(dtype).kind in "iu":  # integer columns: IntColumns over the compacted band
        v = RNG.integers(0 if np.dtype(dtype).kind == "u" else -1000, 1000, size=shape).astype(dtype)
        v[0, ::5] = np.iinfo(dtype).max  # sums beyond 2⁵³: exact integer paths
        return v
    v = RNG.standard_normal(shape) * scale
    if np.dtype(dtype).kind == "c":
        v = v + 1j * RNG.standard_normal(shape) * scale
    return v.astype(dtype)


def _check(v, o, axis=0):
    got, gw = _call(v, o, axis)
    want, ww = _call(np.ascontiguousarray(v), o, axis)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert got.tobytes() == want.tobytes(), (v.dtype, v.shape, v.strides, o, axis)
    assert gw == ww, (v.dtype, v.strides, o, axis, gw, ww)
    for j in range(v.shape[1 - axis]):
        line = normnative.norm(np.ascontiguousarray(v[:, j] if axis == 0 else v[j]), o)
        assert got[j].tobytes() == np.asarray(line).tobytes(), (v.dtype, v.shape, v.strides, o, axis, j, got[j], line)


@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.complex64, np.float32, np.int32, np.int64, np.uint32])
@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("shape", [(40, 50), (300, 331), (1100, 70)])
def test_strided_columns_match_each_line_alone(dtype, view, shape, threads):
    a = _values(dtype, shape)
    v = VIEWS[view](a)
    for o in ORDS:
        _check(v, o)


@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.complex64, np.float32, np.int32, np.int64])
@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("shape", [(50, 40), (331, 300), (70, 1100)])
def test_strided_rows_match_each_line_alone(dtype, view, shape, threads):
    a = _values(dtype, shape)
    v = VIEWS[view](a)
    for o in ORDS + [2.2, -1.7]:
        _check(v, o, axis=1)


@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.complex64, np.float32])
@pytest.mark.parametrize("view", ["[:, ::2]", "[::-1, ::-2]", "[::2, ::3]"])
def test_special_values_in_some_columns(dtype, view, threads):
    """NaN, ∞, zeros (negative orders: divide-by-zero), values near overflow and underflow, exact sums (midpoints):
    each column's fall-back inside the band kernels reads the compacted band."""
    a = _values(dtype, (260, 400))
    big = np.finfo(np.dtype(dtype).char.lower() if np.dtype(dtype).kind == "f" else
                   (np.float32 if dtype == np.complex64 else np.float64)).max
    v = VIEWS[view](a)
    v[3, 0] = np.nan
    v[5, 1] = np.inf
    v[:, 2] = 0
    v[7, 3] = 0
    v[:, 4] = big / 4
    v[:, 5] = np.finfo(big.dtype).tiny * 3
    v[:, 6] = 1
    v[:, -1] = -2
    for o in ORDS + [2.2, -1.7]:
        _check(v, o)
        _check(v, o, axis=1)


@pytest.mark.parametrize("dtype", [np.float64, np.complex64])
def test_band_limit_and_beyond(dtype):
    """Columns and rows at and past the longest a band takes (eight lines of 2¹⁸ bytes), and few outputs (one band)."""
    es = np.dtype(dtype).itemsize
    for rows in ((1 << 18) // (8 * es), (1 << 18) // (8 * es) + 1):
        a = _values(dtype, (rows, 34))
        for o in (1, 2, -1, np.inf):
            _check(a[:, ::2], o)
            _check(a[:, ::3], o)
        for k in (2, 3):  # rows of that length, elements k apart
            b = _values(dtype, (20, k * rows))
            for o in (1, 2, np.inf):
                _check(b[:, ::k], o, axis=1)


MATRIX_VIEWS = dict(VIEWS, **{"[::3, ::2].T": lambda a: a[::3, ::2].T, "[::-2, ::-3]": lambda a: a[::-2, ::-3]})


def _check_matrix(v, o):
    got, gw = _call(v, o, None)
    want, ww = _call(np.ascontiguousarray(v), o, None)
    assert np.asarray(got).dtype == np.asarray(want).dtype
    assert np.asarray(got).tobytes() == np.asarray(want).tobytes(), (v.dtype, v.shape, v.strides, o, got, want)
    assert gw == ww, (v.dtype, v.strides, o, gw, ww)


@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.complex64, np.float32])
@pytest.mark.parametrize("view", list(MATRIX_VIEWS))
@pytest.mark.parametrize("shape", [(60, 50), (600, 800), (40, 3000)])
def test_matrix_line_sums_of_strided_views(dtype, view, shape, threads):
    """Matrix ord ±1 / ±∞ of a strided matrix (LineSumNorms' compacted bands of lines): the bits and warnings of the
    contiguous copy, with random values, then (cumulatively) one line far above the rest, lines tied exactly, NaN and
    −NaN, an ∞ line, zeros."""
    a = _values(dtype, shape)
    v = MATRIX_VIEWS[view](a)
    for kind in ("random", "peak", "ties", "nan", "inf", "zeros"):
        if kind == "peak":
            v[:, v.shape[1] // 2] *= 1e3
            v[v.shape[0] // 3, :] *= 1e3
        elif kind == "ties":  # every column the same values, every row too: exact ties, results on midpoints
            v[...] = 1
            v[::2, ::2] = 3
        elif kind == "nan":
            v[1, 2] = np.nan
            v[-1, -2] = -np.nan
        elif kind == "inf":
            v[:, 0] = np.inf
        elif kind == "zeros":
            v[...] = 0
            v[0, 0] = 1
        for o in (1, -1, np.inf, -np.inf):
            _check_matrix(v, o)


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32])
@pytest.mark.parametrize("view", ["C", ".T", "[:300, 1:401]"] + list(MATRIX_VIEWS))
def test_integer_matrix_line_sums(dtype, view, threads):
    """Matrix ord ±1 / ±∞ of one bool / integer matrix of any layout (the vector ord-1 kernels' line sums, exact
    integers, then the best): the exact best line sum (Python integers), converted once, with the dtype's extremes,
    a zero line and tied lines."""
    a = _values(dtype, (600, 800))
    v = a if view == "C" else a.T if view == ".T" else a[:300, 1:401] if view == "[:300, 1:401]" else MATRIX_VIEWS[view](a)
    v[:, 3] = 0
    v[4, :] = 0
    v[:, 5] = v[:, 6]
    wide = v.astype(np.int64)
    for o in (1, -1, np.inf, -np.inf):
        sums = [int(s) for s in np.abs(wide).sum(axis=0 if o in (1, -1) else 1)]
        want = float(max(sums) if o > 0 else min(sums))
        got, gw = _call(v, o, None)
        assert np.asarray(got).dtype == np.float64 and float(got) == want, (dtype, view, o, got, want)
        assert gw == []


@pytest.mark.parametrize("n", [1 << 21, (1 << 21) + 1])
def test_uint32_matrix_rows_at_the_exact_limit(n):
    """uint32 rows of 2²¹ elements at 2³² − 1 (sums just below 2⁵³, exact in float64: the vector kernels' line sums)
    and one more (sums past 2⁵³: the double-double path): the exact best row sum, correctly rounded."""
    a = np.full((3, n), np.iinfo(np.uint32).max, dtype=np.uint32)
    a[1, ::3] = 7
    a[2, 5] = 0
    for o in (np.inf, -np.inf):
        sums = [int(s) for s in a.astype(np.uint64).sum(axis=1, dtype=np.uint64)]
        want = float(max(sums) if o > 0 else min(sums))
        assert float(normnative.norm(a, o)) == want
        assert float(normnative.norm(a[:, ::-1], o)) == want


@pytest.mark.parametrize("step", [2, 3, -2])
def test_large_strided_float64_columns(step):
    """float64 ord 1 / 2 over the columns of a view of more than 2²² elements (AcrossOutputs' prefetching stream with
    the outputs' elements gathered two or three apart, rows split in four parts over the threads)."""
    a = _values(np.float64, (2049, 2048 * abs(step)))
    v = a[:, ::step]
    v[5, 7] = np.nan
    v[:, 9] = 1e300
    v[:, 11] = 1e-300
    for o in (1, 2, None):
        _check(v, o)


@pytest.mark.parametrize("view", ["C", "[:, ::2]", "[::-1, ::-2]", "[::2, ::3]"])
@pytest.mark.parametrize("rows", [127, 128, 600])
def test_int32_columns_side_by_side(view, rows, threads):
    """int32 ord 0 / ±∞ over columns of 128 rows or more (NarrowLines' grouped counts and extremes, eight lines side by
    side, the last group overlapping): each output exact, the bits of its line alone — with −2³¹ (whose magnitude
    needs 64 bits), 2³¹ − 1, zeros and a column of zeros."""
    a = _values(np.int32, (rows, 203))
    a[3, 1] = np.iinfo(np.int32).min
    a[4, 2] = np.iinfo(np.int32).max
    a[:, 5] = 0
    a[::7, 6] = 0
    v = a if view == "C" else VIEWS[view](a)
    for o in (0, np.inf, -np.inf):
        _check(v, o)


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint8, np.int16, np.uint16])
@pytest.mark.parametrize("view", ["[:, ::2]", "[::2, ::3]", "[::-1, ::-2]", "[:, ::-3]", "[::4, ::5]", "[::2, ::16]"])
@pytest.mark.parametrize("shape", [(40, 50), (300, 331), (1100, 70)])
def test_narrow_integer_strided_lines(dtype, view, shape, threads):
    """bool and 8 / 16-bit integers over strided views (ColumnBands' element copies of 1- and 2-byte units, then the
    integer kernels over the compacted band): columns and rows with the bits of each line alone, with zeros in some
    columns and a column of zeros (negative orders' early zero)."""
    a = _values(dtype, shape)
    v = VIEWS[view](a)
    v[:, 1] = 0
    v[::3, 2] = 0
    for o in ORDS:
        _check(v, o)
        _check(v, o, axis=1)


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.int16, np.int32, np.uint32, np.int64, np.uint64])
@pytest.mark.parametrize("rows", [512, 513, 1024, 1025, 2048, 2049])
def test_long_integer_columns_in_wide_bands(dtype, rows, threads):
    """Integer columns of more than 512 rows (IntColumns' per-thread buffer: bands of whole columns, a multiple of 16
    wide, beyond the stack buffer; negative orders only up to 1024 rows; more than 2048 rows go elsewhere), C order and
    transposed (Fortran rows), every order: the bits of each line alone, with int64 values that round when converted,
    zeros in some columns (the band's zero marks), an all-zero column and a column of ones."""
    a = _values(dtype, (rows, 70))
    if np.dtype(dtype).itemsize == 8:
        a[2, 3] = np.iinfo(dtype).max - 1  # rounds up to 2⁶³ / 2⁶⁴
        a[5, 4] = (1 << 53) + 1 if dtype == np.int64 else np.iinfo(dtype).max // 3
    a[:, 6] = 0
    a[::9, 7] = 0
    a[:, 8] = 1
    for o in ORDS + [5, -1.5]:
        _check(a, o)
        _check(np.asfortranarray(a).T, o, axis=1)


@pytest.mark.parametrize("view", ["C", "[::2, :]", "[:, ::2]", "[::-1, ::-2]", "[:300, 1:401]"])
def test_complex64_long_columns_views(view, threads):
    """complex64 ord −1 / ½ over long columns (Complex64Columns' long-column lanes; spaced outputs compacted by bands
    first): the bits of each line alone, with zeros (divide-by-zero), NaN, ∞ and exact sums in some columns."""
    a = _values(np.complex64, (600, 800))
    a[:, 3] = 1
    a[7, 4] = 0
    a[9, 5] = np.nan
    a[11, 6] = np.inf
    v = a if view == "C" else a[:300, 1:401] if view == "[:300, 1:401]" else VIEWS.get(view, lambda b: b[::2, :])(a)
    for o in (-1, 0.5):
        _check(v, o)
