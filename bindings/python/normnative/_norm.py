"""numpy.linalg.norm semantics on top of libnormnative.

This module only normalises arguments, allocates results and maps errors; every arithmetic
operation on the data happens in the native library.
"""
from __future__ import annotations

import ctypes
import operator

import numpy as np

from . import _lib

try:  # numpy >= 1.25
    from numpy.exceptions import AxisError
except ImportError:  # pragma: no cover - numpy 1.24
    from numpy import AxisError

_CODE = {
    np.dtype(np.bool_): 1, np.dtype(np.int8): 2, np.dtype(np.int16): 3, np.dtype(np.int32): 4,
    np.dtype(np.int64): 5, np.dtype(np.uint8): 6, np.dtype(np.uint16): 7, np.dtype(np.uint32): 8,
    np.dtype(np.uint64): 9, np.dtype(np.float16): 10, np.dtype(np.float32): 11,
    np.dtype(np.float64): 12, np.dtype(np.complex64): 13, np.dtype(np.complex128): 14,
}
# long double: x87 80-bit in 16 bytes on x86-64 Linux; where it is just double, numpy's float64 rules apply.
if np.dtype(np.longdouble).itemsize == 16 and np.finfo(np.longdouble).nmant == 63:
    _CODE[np.dtype(np.longdouble)] = 15
    _CODE[np.dtype(np.clongdouble)] = 16

_RESULT = {
    1: np.dtype(np.float64), 2: np.dtype(np.float64), 3: np.dtype(np.float64), 4: np.dtype(np.float64),
    5: np.dtype(np.float64), 6: np.dtype(np.float64), 7: np.dtype(np.float64), 8: np.dtype(np.float64),
    9: np.dtype(np.float64), 10: np.dtype(np.float16), 11: np.dtype(np.float32), 12: np.dtype(np.float64),
    13: np.dtype(np.float32), 14: np.dtype(np.float64), 15: np.dtype(np.longdouble), 16: np.dtype(np.longdouble),
}


def _prepare(x) -> tuple[np.ndarray, int]:
    """The array in a form the library reads in place, and its dtype code."""
    x = np.asarray(x)
    code = _CODE.get(x.dtype)
    if code is None:
        if x.dtype.kind in "biufc" and not x.dtype.isnative:
            x = x.astype(x.dtype.newbyteorder("="))
        elif x.dtype == object:
            raise TypeError("normnative: object arrays are not supported (numpy computes them with Python arithmetic)")
        else:
            # numpy's norm converts every non-inexact dtype with astype(float) (strings, datetimes, ...)
            x = x.astype(float)
        code = _CODE[x.dtype]
    return x, code


def _descriptor(a: np.ndarray, code: int) -> tuple[_lib.Array, object]:
    nd = a.ndim
    shape = (ctypes.c_int64 * nd)(*a.shape)
    strides = (ctypes.c_int64 * nd)(*a.strides)
    desc = _lib.Array(a.__array_interface__["data"][0], shape, strides, nd, code, None, 0)
    return desc, (shape, strides, a)  # the tuple keeps everything alive for the call


def _raise(status: int) -> None:
    msg = _lib.error_message()
    if status == _lib.E_AXIS:
        raise AxisError(msg)
    if status == _lib.E_CONVERGENCE:
        raise np.linalg.LinAlgError("SVD did not converge")
    raise _lib.NormNativeError(status, msg)


def _ord_code(ord) -> tuple[int, float]:
    if isinstance(ord, str):
        return (_lib.ORD_FRO, 0.0) if ord in ("f", "fro") else (_lib.ORD_NUC, 0.0)
    return _lib.ORD_P, float(ord)


def _vector(x: np.ndarray, code: int, axes: tuple[int, ...] | None, p: float, keepdims: bool):
    nd = x.ndim
    reduced = range(nd) if axes is None else axes
    if keepdims:
        out_shape = tuple(1 if i in reduced else n for i, n in enumerate(x.shape))
    else:
        out_shape = tuple(n for i, n in enumerate(x.shape) if i not in reduced)
    out = np.empty(out_shape, dtype=_RESULT[code])
    xd, keep_x = _descriptor(x, code)
    od, keep_o = _descriptor(out, _CODE[out.dtype])
    events = ctypes.c_uint32(0)
    if axes is None:
        st = _lib.vector_norm(xd, None, _lib.ALL_AXES, _lib.ORD_P, p, od, ctypes.byref(events))
    else:
        ax = (ctypes.c_int32 * len(axes))(*axes)
        st = _lib.vector_norm(xd, ax, len(axes), _lib.ORD_P, p, od, ctypes.byref(events))
    if st != _lib.OK:
        _raise(st)
    return out[()] if out.ndim == 0 else out


def _matrix(x: np.ndarray, code: int, row: int, col: int, ord, keepdims: bool):
    kind, p = _ord_code(ord)
    out_shape = tuple(n for i, n in enumerate(x.shape) if i not in (row, col))
    out = np.empty(out_shape, dtype=_RESULT[code])
    xd, keep_x = _descriptor(x, code)
    od, keep_o = _descriptor(out, _CODE[out.dtype])
    events = ctypes.c_uint32(0)
    st = _lib.matrix_norm(xd, row, col, kind, p, od, ctypes.byref(events))
    if st != _lib.OK:
        _raise(st)
    if keepdims:
        shape = list(x.shape)
        shape[row] = 1
        shape[col] = 1
        out = out.reshape(shape)
    return out[()] if out.ndim == 0 else out


def norm(x, ord=None, axis=None, keepdims=False):
    """Matrix or vector norm: a drop-in replacement for :func:`numpy.linalg.norm`.

    Same parameters, result types, dtypes, shapes and exceptions as NumPy; the values are
    computed by libnormnative accurately and without spurious overflow or underflow.
    """
    x, code = _prepare(x)
    nd = x.ndim
    if axis is None and (ord is None or (ord in ("f", "fro") and nd == 2) or (ord == 2 and nd == 1)):
        # numpy's "fast path": the 2-norm of every element, whatever the number of dimensions
        r = _vector(x, code, None, 2.0, False)
        if keepdims:
            r = np.asarray(r).reshape(nd * [1]) if nd else r
        return r
    if axis is None:
        axis = tuple(range(nd))
    elif not isinstance(axis, tuple):
        try:
            axis = int(axis)
        except Exception as e:
            raise TypeError("'axis' must be None, an integer or a tuple of integers") from e
        axis = (axis,)
    if len(axis) == 1:
        if isinstance(ord, str):
            raise ValueError(f"Invalid norm order '{ord}' for vectors")
        p = 2.0 if ord is None else float(ord)
        a = operator.index(axis[0])
        if not -nd <= a < nd:
            raise AxisError(a, nd)
        return _vector(x, code, (a % nd,), p, keepdims)
    if len(axis) == 2:
        row, col = (np.core.multiarray.normalize_axis_index(a, nd) for a in axis)
        if row == col:
            raise ValueError("Duplicate axes given.")
        if ord not in (2, -2, 1, -1, np.inf, -np.inf, None, "fro", "f", "nuc"):
            raise ValueError("Invalid norm order for matrices.")
        return _matrix(x, code, row, col, "fro" if ord is None else ord, keepdims)
    raise ValueError("Improper number of dimensions to norm.")
