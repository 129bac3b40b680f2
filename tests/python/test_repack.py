"""Reductions of N-D strided and transposed views whose kept axes do not merge and whose slabs no kernel takes
(Repack: blocks of lines copied into a C-order matrix, as its rows or its columns, then the kernel chain over the
block). Every output must have the bits and the call the warnings of the contiguous copy — and each output the bits of
its line alone — whatever the block width (the last block is narrower), the walk order and the thread count, with NaN,
∞, zeros, huge and tiny values in some lines."""
import warnings

import numpy as np
import pytest

import normnative
from _calls import norm_with_warnings as _call

RNG = np.random.default_rng(20261129)

DTYPES = [np.float64, np.float32, np.complex128, np.complex64, np.float16, np.int64, np.int32, np.int16, np.uint8,
          np.bool_]

VIEWS = {
    "[::2, :, ::3]": lambda a: a[::2, :, ::3],
    "transpose(2, 0, 1)": lambda a: a.transpose(2, 0, 1),
    "[:, ::-2, 1:]": lambda a: a[:, ::-2, 1:],
    "[..., ::2].T": lambda a: a[..., ::2].T,
    "[::-3, ::2, ::-5]": lambda a: a[::-3, ::2, ::-5],
    "F": np.asfortranarray,
}

AXES = [0, 1, 2, (0, 1), (1, 2), (0, 2), (2, 0)]
VECTOR_ORDS = [None, 1, 2, np.inf, -np.inf, 0, 0.5, -1, 3, 1.7, -2]


def _values(dtype, shape):
    if np.dtype(dtype) == np.bool_:
        return RNG.random(shape) > 0.4
    v = RNG.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        v = v + 1j * RNG.standard_normal(shape)
    if np.dtype(dtype).kind in "iu":
        v = v * 60
    return v.astype(dtype)


def _check(v, o, axis):
    got, gw = _call(v, o, axis)
    want, ww = _call(np.ascontiguousarray(v), o, axis)
    assert np.asarray(got).dtype == np.asarray(want).dtype and np.shape(got) == np.shape(want)
    assert np.asarray(got).tobytes() == np.asarray(want).tobytes(), (v.dtype, v.shape, v.strides, o, axis)
    assert gw == ww, (v.dtype, v.strides, o, axis, gw, ww)
    return got


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("view", list(VIEWS))
def test_views_match_the_contiguous_copy(dtype, view, threads):
    v = VIEWS[view](_values(dtype, (30, 40, 50)))
    for axis in AXES:
        orders = VECTOR_ORDS if isinstance(axis, int) else [None, 1, np.inf, -1, -np.inf]
        for o in orders:
            if dtype == np.float16 and isinstance(axis, tuple) and o is not None:
                continue  # NumPy's matrix norms reject float16 except Frobenius
            _check(v, o, axis)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.complex64])
def test_special_values_in_some_lines(dtype, threads):
    """NaN, ∞, zeros (negative orders: divide-by-zero), values near overflow and underflow in some lines: their
    kernels' fall-backs read the copied block."""
    real = np.float32 if dtype in (np.float32, np.complex64) else np.float64
    a = _values(dtype, (30, 40, 50))
    v = a[::2, :, ::3]
    v[3, 1, 2] = np.nan
    v[4, 5, 6] = np.inf
    v[:, 7, :] = 0
    v[2, 8, 9] = 0
    v[:, 10, :] = np.finfo(real).max / 4
    v[:, 11, :] = np.finfo(real).tiny * 3
    for axis in (0, 1, 2):
        for o in VECTOR_ORDS + [-0.5, 4, 2.5]:
            got = _check(v, o, axis)
            if axis == 0:  # each output against its line alone
                for i in range(0, v.shape[1], 7):
                    for j in range(0, v.shape[2], 5):
                        line = normnative.norm(np.ascontiguousarray(v[:, i, j]), o)
                        assert got[i, j].tobytes() == np.asarray(line).tobytes(), (o, i, j)


@pytest.mark.parametrize("dtype", [np.float64, np.complex64, np.int16])
def test_many_blocks_long_lines_and_four_dimensions(dtype, threads):
    """More outputs than a block takes (1024), lines up to the buffer's limit (eight lines of 256 KiB) and beyond it,
    and a 4-D view with two reduced axes."""
    a = _values(dtype, (20, 60, 90))
    for o in (None, 1, np.inf, 0.5):
        _check(a[::2, ::-1, ::3], o, 0)  # 1800 outputs: two blocks, the second narrower
    es = np.dtype(dtype).itemsize
    n = (1 << 18) // (8 * es)
    for rows in (n, n + 1):
        b = _values(dtype, (rows, 4, 6))
        for o in (None, 1, np.inf):
            _check(b[:, ::2, ::3], o, 0)
    c = _values(dtype, (6, 10, 12, 14))[:, ::2, ::-3, 1:]
    for axis in ((1, 3), (0, 2), 2, 3):
        for o in ([None, 1, 2, np.inf] if isinstance(axis, int) else [None, 1, np.inf]):
            _check(c, o, axis)


@pytest.mark.parametrize("o", [1.7, 1.5, -0.5, 0.3, 5, 4, 2.5, 3, -2, None, 1])
def test_complex128_long_lines(o, threads):
    """complex128 lines longer than 64: at ComplexLaneSums' orders (general, whole from 5; to 128 values since session
    28) not copied but read in place by its lanes, at 4 and 2.5 copied as rows (the chain reduces them line by line),
    at 3 read in place: Fortran axis 2 and C axis 1 of 3-D arrays, a strided view, the bits of the contiguous copy;
    special values in some lines."""
    a = _values(np.complex128, (12, 16, 100))
    a[3, 5, 7] = complex(np.inf, 0)
    a[4, 2, 9] = complex(np.nan, 1)
    a[5, 1, :] = 0
    _check(np.asfortranarray(a), o, 2)
    b = _values(np.complex128, (10, 80, 12))
    b[2, 7, 3] = 0
    _check(b, o, 1)
    _check(np.asfortranarray(a)[::-1, 1:, ::2], o, 2)
