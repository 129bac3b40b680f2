"""NumPy's norm semantics on top of libnormnative.

This module only normalises arguments, allocates results and maps errors and floating-point
events; every arithmetic operation on the data happens in the native library. The control flow
of :func:`norm` follows numpy 1.24's ``norm`` step by step (the order of the ``==``
tests on ``ord``, the "fast path" test, axis normalisation, keepdims handling, error precedence),
see docs/NUMPY_NORM_SPEC.md (§2).
"""
from __future__ import annotations

import ctypes
import operator
import sys
import warnings
from typing import Any, Optional, Tuple, Union

import numpy as np

from . import _lib

try:  # numpy >= 1.25
    from numpy.exceptions import AxisError
except ImportError:  # numpy 1.24
    from numpy import AxisError

try:  # numpy >= 2.0
    from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple
except ImportError:  # numpy 1.x
    from numpy.core.multiarray import normalize_axis_index
    from numpy.core.numeric import normalize_axis_tuple

try:
    from numpy.core._exceptions import _UFuncOutputCastingError
except ImportError:  # pragma: no cover - numpy 2.x moved it
    from numpy._core._exceptions import _UFuncOutputCastingError

__all__ = ["norm", "vector_norm", "matrix_norm"]

OrdType = Union[None, int, float, str]
AxisType = Union[None, int, Tuple[int, ...]]


def _numpy_version() -> tuple:
    parts = []
    for s in np.__version__.split(".")[:2]:
        digits = "".join(ch for ch in s if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


#: numpy >= 2.3 returns 0 for max-type norms of empty arrays (vector inf; matrix 1, inf, 2, 'nuc');
#: earlier versions raise "zero-size array to reduction operation maximum which has no identity".
EMPTY_MAX_IS_ZERO = _numpy_version() >= (2, 3)

_CODE = {
    np.dtype(np.bool_): 1, np.dtype(np.int8): 2, np.dtype(np.int16): 3, np.dtype(np.int32): 4,
    np.dtype(np.int64): 5, np.dtype(np.uint8): 6, np.dtype(np.uint16): 7, np.dtype(np.uint32): 8,
    np.dtype(np.uint64): 9, np.dtype(np.float16): 10, np.dtype(np.float32): 11,
    np.dtype(np.float64): 12, np.dtype(np.complex64): 13, np.dtype(np.complex128): 14,
}
# long double: x87 80-bit in 16 bytes on x86-64 Linux. Where it is plain double (e.g. aarch64
# macOS, Windows) numpy's dtype equals float64 and is found above; other formats are not read.
_LONGDOUBLE_X87 = np.dtype(np.longdouble).itemsize == 16 and np.finfo(np.longdouble).nmant == 63
if _LONGDOUBLE_X87:
    _CODE[np.dtype(np.longdouble)] = 15
    _CODE[np.dtype(np.clongdouble)] = 16

_F64 = np.dtype(np.float64)
_RESULT = {
    1: _F64, 2: _F64, 3: _F64, 4: _F64, 5: _F64, 6: _F64, 7: _F64, 8: _F64, 9: _F64,
    10: np.dtype(np.float16), 11: np.dtype(np.float32), 12: _F64, 13: np.dtype(np.float32), 14: _F64,
    15: np.dtype(np.longdouble), 16: np.dtype(np.longdouble),
}
# input dtypes whose norm is float64: the lean path returns a double for these
_F64_RESULT_CODE = {dt: c for dt, c in _CODE.items() if _RESULT[c] == _F64}
_SVD_UNSUPPORTED = (10, 15, 16)  # numpy: "array type float16 is unsupported in linalg"
_INF = float("inf")

_E_MAX = "zero-size array to reduction operation maximum which has no identity"
_E_MIN = "zero-size array to reduction operation minimum which has no identity"


# ---------------------------------------------------------------------------------------------
# Input conversion (zero copy for every NumPy view, DLPack producer and buffer-protocol object)


def _asarray(x: Any) -> np.ndarray:
    if isinstance(x, np.ndarray):
        return np.asarray(x)  # np.matrix / MaskedArray -> base ndarray view (mask ignored, as numpy)
    if hasattr(x, "__dlpack__") and hasattr(x, "__dlpack_device__"):
        try:
            device = x.__dlpack_device__()
        except Exception:
            device = None
        if device is not None and int(device[0]) == 1:  # kDLCPU: read in place
            return np.from_dlpack(x)
    return np.asarray(x)  # lists, scalars, buffer protocol (memoryview, array.array, bytes-like)


def _prepare(x: Any) -> Tuple[np.ndarray, int]:
    """The array in a form the library reads in place, and its dtype code."""
    x = _asarray(x)
    dt = x.dtype
    code = _CODE.get(dt)
    if code is None:
        if dt == object:
            raise TypeError(
                "normnative: object arrays are not supported (they would need Python arithmetic); "
                "convert with x.astype(float) or x.astype(complex) first")
        if dt.kind in "biufc" and not dt.isnative:
            # byte-swapped data: the library reads native byte order only, so this is one copy
            x = x.astype(dt.newbyteorder("="))
        else:
            # numpy's norm converts every other non-inexact dtype with astype(float): strings are
            # parsed, datetimes give their integer payload, structured arrays their field...
            x = x.astype(float)
        code = _CODE.get(x.dtype)
        if code is None:  # pragma: no cover - exotic long double formats
            raise TypeError(f"normnative: dtype {x.dtype} is not supported on this platform")
    return x, code


# ---------------------------------------------------------------------------------------------
# Native calls


def _descriptor(a: np.ndarray, code: int):
    nd = a.ndim
    shape = (ctypes.c_int64 * nd)(*a.shape)
    strides = (ctypes.c_int64 * nd)(*a.strides)
    desc = _lib.Array(a.__array_interface__["data"][0], shape, strides, nd, code, None, 0)
    return desc, (shape, strides)  # the tuple keeps the arrays alive for the call


def _raise(status: int) -> None:
    msg = _lib.error_message()
    if status == _lib.E_AXIS:
        raise AxisError(msg)
    if status == _lib.E_CONVERGENCE:
        raise np.linalg.LinAlgError("SVD did not converge")
    if status == _lib.E_EMPTY:
        raise ValueError(_E_MIN)
    raise _lib.NormNativeError(status, msg)


def _call_vector(x: np.ndarray, code: int, axes, p: float, out_shape) -> Tuple[np.ndarray, int]:
    """axes: None (all) or a tuple of normalised axes; returns (out, fp events)."""
    rdt = _RESULT[code]
    out = np.empty(out_shape, dtype=rdt)
    if LEAN_PATH:  # one call, both arrays read in place through the verified object layout
        if axes is None:
            mask = (1 << x.ndim) - 1
        elif len(axes) == 1:
            mask = 1 << axes[0]
        else:
            mask = 0
            for a in axes:
                mask |= 1 << a
        r = _lib.py_vector_norm(id(x), code, mask, _lib.ORD_P, p, id(out), _CODE[rdt])
        if r < 0:
            _raise(r)
        return out, r
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
    return out, events.value


def _call_matrix(x: np.ndarray, code: int, row: int, col: int, kind: int, p: float, out_shape):
    rdt = _RESULT[code]
    out = np.empty(out_shape, dtype=rdt)
    if LEAN_PATH:
        r = _lib.py_matrix_norm(id(x), code, row, col, kind, p, id(out), _CODE[rdt])
        if r < 0:
            _raise(r)
        return out, r
    xd, keep_x = _descriptor(x, code)
    od, keep_o = _descriptor(out, _CODE[out.dtype])
    events = ctypes.c_uint32(0)
    st = _lib.matrix_norm(xd, row, col, kind, p, od, ctypes.byref(events))
    if st != _lib.OK:
        _raise(st)
    return out, events.value


def _result(out: np.ndarray):
    return out[()] if out.ndim == 0 else out


# ---------------------------------------------------------------------------------------------
# Floating-point events -> numpy's RuntimeWarning / FloatingPointError, honouring np.errstate

_FPE_BITS = {"divide": 1, "over": 2, "under": 4, "invalid": 8}
_FPE_TEXT = {"divide": "divide by zero", "over": "overflow", "under": "underflow", "invalid": "invalid value"}


def _fp_error(kind: str, where: str) -> None:
    """Reports one floating-point error the way numpy's ufunc machinery does (np.seterr)."""
    mode = np.geterr()[kind]
    if mode == "ignore":
        return
    msg = f"{_FPE_TEXT[kind]} encountered in {where}"
    if mode == "warn":
        warnings.warn(msg, RuntimeWarning, stacklevel=4)
    elif mode == "raise":
        raise FloatingPointError(msg)
    elif mode == "call":
        func = np.geterrcall()
        if func is not None:
            func(_FPE_TEXT[kind], _FPE_BITS[kind])
    elif mode == "print":
        sys.stderr.write(f"Warning: {msg}\n")
    elif mode == "log":
        log = np.geterrcall()
        if log is not None:
            log.write(f"Warning: {msg}\n")


def _report_vector(events: int, p: float, scalar: bool) -> None:
    """numpy's vector path: abs(x)**p, add.reduce, **(1/p) — with the ufunc that would complain."""
    if events & _lib.FP_DIVIDE_BY_ZERO:
        _fp_error("divide", "reciprocal" if p == -1 else "power")
    if events & _lib.FP_SCALAR_POWER:
        _fp_error("divide", "scalar power" if scalar else ("reciprocal" if p == -1 else "power"))
    if events & _lib.FP_OVERFLOW:
        # the exact norm exceeds the result dtype: for p in (0, 1) only numpy's final power can
        # overflow; for p > 1 its elementwise power does (or, rarely, the sum)
        if p == 2:
            where = "multiply"
        elif p in (0, 1):
            where = "reduce"
        elif 0 < p < 1:
            # numpy's ``ret **= 1/p`` on an array: an exponent of 2 takes its fast path, np.square
            where = "scalar power" if scalar else ("square" if p == 0.5 else "power")
        else:
            where = "power"
        _fp_error("over", where)


def _report_lean(events: int, p, scalar: bool) -> None:
    """_report_vector for the lean paths, one frame deeper so that the warning points into this module
    as the general path's does (_fp_error's stacklevel)."""
    if events:
        _report_vector(events, float(p), scalar)


def _report_matrix(events: int, kind: int, p: float, code: int) -> None:
    if events & _lib.FP_OVERFLOW:
        if kind == _lib.ORD_FRO:
            where = "multiply"
        elif kind == _lib.ORD_NUC or abs(p) == 2:
            where = "cast" if code in (11, 13) else "reduce"
        else:
            where = "reduce"
        _fp_error("over", where)


# ---------------------------------------------------------------------------------------------
# The lean path: one foreign call for norm(x) on an ndarray with a float64, float32 or float16 result


def _verify_layout() -> Optional[Tuple[int, int, int, int]]:
    """Finds PyArrayObject_fields' data/nd/dimensions/strides offsets and checks them on probes."""
    if ctypes.sizeof(ctypes.c_void_p) != 8 or np.ndarray.__basicsize__ < 48:
        return None
    offs = (16, 24, 32, 40)  # after PyObject_HEAD: char* data; int nd; npy_intp* dimensions, strides
    base = np.arange(60.0).reshape(3, 4, 5)
    probes = [np.zeros(5), np.array(1.5), np.zeros((0, 3)), base, base[:, ::2, ::-1], base.T,
              np.broadcast_to(np.arange(3.0), (4, 3)), np.zeros(7, np.int8)[1:], np.ones((2, 2), np.complex64)]
    try:
        for a in probes:
            addr = id(a)
            data = ctypes.c_void_p.from_address(addr + offs[0]).value or 0
            nd = ctypes.c_int.from_address(addr + offs[1]).value
            if data != a.ctypes.data or nd != a.ndim:
                return None
            if nd:
                dims = ctypes.c_void_p.from_address(addr + offs[2]).value
                strides = ctypes.c_void_p.from_address(addr + offs[3]).value
                if not dims or not strides:
                    return None
                if tuple((ctypes.c_int64 * nd).from_address(dims)) != a.shape:
                    return None
                if tuple((ctypes.c_int64 * nd).from_address(strides)) != a.strides:
                    return None
    except Exception:  # pragma: no cover - an unexpected numpy build
        return None
    return offs


def _enable_lean_path() -> bool:
    offs = _verify_layout()
    if offs is None:
        return False
    if _lib.py_set_layout(*offs) != _lib.OK:
        return False
    # a final end-to-end check against the descriptor path
    x = np.array([3.0, 4.0, 12.0])
    return _lib.py_norm_full(id(x), 12, _lib.ORD_P, 2.0) == 13.0


_LEAN_OK = _enable_lean_path()
#: True when the ndarray object layout was verified at import: calls then read arrays in place
#: through normnative_py_* (one foreign call); otherwise through normnative_array descriptors.
LEAN_PATH = _LEAN_OK
_lean = _lib.py_norm_full
_lean_status = _lib.py_last_status
_ndarray = np.ndarray
_float64 = np.float64
_F64_GET = _F64_RESULT_CODE.get
_NARROW_GET = {np.dtype(np.float32): 11, np.dtype(np.complex64): 13, np.dtype(np.float16): 10}.get
_NARROW_SCALAR = {11: np.float32, 13: np.float32, 10: np.float16}
_empty = np.empty  # float64 by default
_lean_vector = _lib.py_vector_norm
_lean_matrix = _lib.py_matrix_full
_MATRIX_ORDS = frozenset((1.0, -1.0, 2.0, -2.0, _INF, -_INF))  # also matches the ints 1, -1, 2, -2
_MATRIX_ORDS_NO_SVD = frozenset((1.0, -1.0, _INF, -_INF))
# dtype -> (code, result dtype, result code) for the lean axis path (float64/float32/float16 results)
_LEAN_AXIS_GET = {dt: (c, _RESULT[c], _CODE[_RESULT[c]]) for dt, c in _CODE.items()
                  if _RESULT[c] in (_F64, np.dtype(np.float32), np.dtype(np.float16))}.get
#: int ords at least this large take the general path (ctypes would raise converting them to double)
_BIG_ORD = 1 << 1000


# ---------------------------------------------------------------------------------------------
# norm: NumPy's semantics, computed natively


def _use_descriptors(flag: bool = True) -> None:
    """Testing hook: route every call through the C ABI descriptors (True) or the lean path."""
    global LEAN_PATH
    LEAN_PATH = (not flag) and _LEAN_OK


def norm(x: Any, ord: OrdType = None, axis: AxisType = None, keepdims: bool = False) -> Any:
    """Matrix or vector norm (a drop-in replacement for NumPy's ``norm``).

    This function is able to return one of eight different matrix norms, or one of an infinite
    number of vector norms (described below), depending on the value of the ``ord`` parameter.
    Results, result types, dtypes, shapes, warnings and exceptions are those of
    NumPy's ``norm``; the values are computed by libnormnative, accurately and without
    spurious overflow or underflow.

    Parameters
    ----------
    x : array_like
        Input array. If `axis` is None, `x` must be 1-D or 2-D, unless `ord` is None. If both
        `axis` and `ord` are None, the 2-norm of ``x.ravel`` will be returned.
    ord : {non-zero int, inf, -inf, 'fro', 'nuc'}, optional
        Order of the norm (see table under ``Notes``). inf means numpy's `inf` object. The
        default is None.
    axis : {None, int, 2-tuple of ints}, optional.
        If `axis` is an integer, it specifies the axis of `x` along which to compute the vector
        norms. If `axis` is a 2-tuple, it specifies the axes that hold 2-D matrices, and the
        matrix norms of these matrices are computed. If `axis` is None then either a vector norm
        (when `x` is 1-D) or a matrix norm (when `x` is 2-D) is returned. The default is None.
    keepdims : bool, optional
        If this is set to True, the axes which are normed over are left in the result as
        dimensions with size one. With this option the result will broadcast correctly against
        the original `x`.

    Returns
    -------
    n : float or ndarray
        Norm of the matrix or vector(s).

    Notes
    -----
    =====  ============================  ==========================
    ord    norm for matrices             norm for vectors
    =====  ============================  ==========================
    None   Frobenius norm                2-norm
    'fro'  Frobenius norm                --
    'nuc'  nuclear norm                  --
    inf    max(sum(abs(x), axis=1))      max(abs(x))
    -inf   min(sum(abs(x), axis=1))      min(abs(x))
    0      --                            sum(x != 0)
    1      max(sum(abs(x), axis=0))      as below
    -1     min(sum(abs(x), axis=0))      as below
    2      2-norm (largest sing. value)  as below
    -2     smallest singular value       as below
    other  --                            sum(abs(x)**ord)**(1./ord)
    =====  ============================  ==========================

    Deliberate differences from NumPy: no overflow or underflow of intermediate results (for
    example ``norm([1e200, 1e200])`` is ``1.414...e200``, not inf), and no warning where the
    exact result is representable.

    Examples
    --------
    >>> import normnative
    >>> float(normnative.norm([3.0, 4.0]))
    5.0
    """
    # Lean path: norm(ndarray) with a float64 (or float32, float16) result, one foreign call reading the array object.
    if axis is None and keepdims is False and type(x) is _ndarray and LEAN_PATH:
        if ord is None:
            dt = x.dtype
            code = _F64_GET(dt)
            if code is not None:
                r = _lean(id(x), code, 0, 2.0)
                if r == r or _lean_status() >= 0:
                    return _float64(r)
            else:
                code = _NARROW_GET(dt)  # float32, complex64 (float32 result), float16
                if code is not None:
                    r = _lean(id(x), code, 0, 2.0)
                    if r == r or _lean_status() >= 0:
                        return _NARROW_SCALAR[code](r)  # exact: r is the result dtype's value
        # Lean path 3: a numeric ord on a 1-D array (numpy's vector path; 2-D would be a matrix
        # norm). A result in (0, inf) is returned at once; a result of 0 or inf (every
        # floating-point event comes with one: a zero element or an empty vector with a negative
        # ord, overflow) from a non-empty vector is returned with the call's events reported as
        # numpy warns (the status after success is the event bits). NaN (maybe an error) and
        # empty vectors (numpy's errors for empty max/min reductions) take the general path,
        # which redoes the call with numpy's full warnings and exceptions.
        elif type(ord) is float or (type(ord) is int and -_BIG_ORD < ord < _BIG_ORD):
            nd = x.ndim
            if nd == 1:
                dt = x.dtype
                code = _F64_GET(dt)
                if code is not None:
                    r = _lean(id(x), code, 0, ord)
                    if 0.0 < r < _INF:
                        return _float64(r)
                    if r == r and x.shape[0]:
                        if ord != 2:  # numpy's fast path (dot) for ord 2 on a vector never warns
                            _report_lean(_lean_status(), ord, True)
                        return _float64(r)
                else:
                    code = _NARROW_GET(dt)
                    if code is not None:
                        r = _lean(id(x), code, 0, ord)
                        if 0.0 < r < _INF:
                            return _NARROW_SCALAR[code](r)
                        if r == r and x.shape[0]:
                            if ord != 2:  # numpy's fast path (dot) for ord 2 on a vector never warns
                                _report_lean(_lean_status(), ord, True)
                            return _NARROW_SCALAR[code](r)
            # Lean path 4: a matrix ord (1, -1, 2, -2, inf, -inf) on a 2-D array. The library's only
            # event (overflow) comes with inf; a 0 is returned at once for a non-empty matrix (zero
            # matrices redid the call through the general path, ~2 µs), empty ones take numpy's errors.
            elif nd == 2 and ord in _MATRIX_ORDS:
                dt = x.dtype
                code = _F64_GET(dt)
                if code is not None:
                    r = _lean_matrix(id(x), code, 0, ord)
                    if 0.0 < r < _INF or (r == 0.0 and x.size):
                        return _float64(r)
                else:
                    code = _NARROW_GET(dt)
                    if code is not None and (code != 10 or ord in _MATRIX_ORDS_NO_SVD):  # float16: no SVD
                        r = _lean_matrix(id(x), code, 0, ord)
                        if 0.0 < r < _INF or (r == 0.0 and x.size):
                            return _NARROW_SCALAR[code](r)
        # Lean path 5: 'fro' (numpy's fast path: the 2-norm of all elements, never warns) and 'nuc'
        elif type(ord) is str and x.ndim == 2:
            if ord == "fro" or ord == "f":
                kind = 0  # the vector 2-norm of every element
            elif ord == "nuc":
                kind = 2
            else:
                kind = -1
            if kind >= 0:
                dt = x.dtype
                code = _F64_GET(dt)
                scalar = _float64
                if code is None:
                    code = _NARROW_GET(dt)
                    scalar = _NARROW_SCALAR.get(code)
                if code is not None and not (kind and code == 10):
                    r = _lean(id(x), code, 0, 2.0) if kind == 0 else _lean_matrix(id(x), code, 2, 0.0)
                    if (kind == 0 and (r == r or _lean_status() >= 0)) or 0.0 < r < _INF:
                        return scalar(r)
    # Lean path 2: norm(ndarray, axis=int) with ord None or a number and a float64, float32 or
    # float16 result; the call's floating-point events are reported as numpy warns. Anything
    # unusual (an axis out of range, an empty axis with ord ±inf, an error) takes the general
    # path, which redoes the call with numpy's full argument handling, warnings and exceptions.
    elif type(axis) is int and keepdims is False and type(x) is _ndarray and LEAN_PATH and (
            ord is None or type(ord) is float or (type(ord) is int and -_BIG_ORD < ord < _BIG_ORD)):
        shape = x.shape
        if len(shape) == 1 and (axis == 0 or axis == -1) and shape[0]:
            # a lone vector: the one-result call of lean path 3 (no result array, a double back), with the
            # events of numpy's vector path (axis given: abs/power/multiply warn, unlike norm(x) / ord 2)
            p = 2.0 if ord is None else ord
            dt = x.dtype
            code = _F64_GET(dt)
            if code is not None:
                r = _lean(id(x), code, 0, p)
                if 0.0 < r < _INF:
                    return _float64(r)
                if r == r:
                    _report_lean(_lean_status(), p, True)
                    return _float64(r)
            else:
                code = _NARROW_GET(dt)
                if code is not None:
                    r = _lean(id(x), code, 0, p)
                    if 0.0 < r < _INF:
                        return _NARROW_SCALAR[code](r)
                    if r == r:
                        _report_lean(_lean_status(), p, True)
                        return _NARROW_SCALAR[code](r)
            return _norm(x, ord, axis, keepdims)
        lean = _LEAN_AXIS_GET(x.dtype)
        if lean is not None:
            nd = len(shape)
            a = axis + nd if axis < 0 else axis
            if 0 <= a < nd:
                if ord is None:
                    p = 2.0
                elif shape[a] or (ord != _INF and ord != -_INF):  # numpy raises for empty max/min reductions
                    p = ord
                else:
                    return _norm(x, ord, axis, keepdims)
                out = _empty(shape[:a] + shape[a + 1:], lean[1])
                events = _lean_vector(id(x), lean[0], 1 << a, 0, p, id(out), lean[2])
                if events == 0:
                    return out[()] if nd == 1 else out
                if events > 0:
                    _report_lean(events, p, nd == 1)
                    return out[()] if nd == 1 else out
    if LEAN_PATH:
        if type(x) is _ndarray:
            if keepdims is True or type(axis) is tuple or axis is None:
                r = _lean_more(x, ord, axis, keepdims)
                if r is not None:
                    return r
        else:
            # lists, tuples, scalars, np.matrix, buffers: numpy's norm begins with asarray too, so convert once
            # and take the lean paths with the array
            xa = _asarray(x)
            if type(xa) is _ndarray:
                return norm(xa, ord, axis, keepdims)
    return _norm(x, ord, axis, keepdims)


_MATRIX_P = {1: 1.0, -1: -1.0, 2: 2.0, -2: -2.0, _INF: _INF, -_INF: -_INF}.get


def _lean_more(x: np.ndarray, ord, axis, keepdims: bool):
    """keepdims=True, an axis tuple, or axis None with an ord the first lean paths leave: the general path's
    single native call, made directly when the arguments are plain (a bool keepdims, distinct in-range axes, a
    float or small-int ord, a non-empty reduction or a vector norm) and no error occurs; a vector norm's
    floating-point events are reported as numpy warns. Returns None otherwise: the general path then redoes the
    call with numpy's full argument handling, warnings and exceptions."""
    if keepdims is not True and keepdims is not False:
        return None
    lean = _LEAN_AXIS_GET(x.dtype)
    if lean is None:
        return None
    code, rdt, rcode = lean
    shape = x.shape
    nd = len(shape)
    if axis is None:
        if ord is None or (nd == 2 and (ord == "fro" or ord == "f")):  # numpy's fast path: never warns
            out = _empty((1,) * nd if keepdims else (), rdt)
            if _lean_vector(id(x), code, (1 << nd) - 1, 0, 2.0, id(out), rcode) >= 0:
                return out[()] if out.ndim == 0 else out
            return None
        if nd == 1:
            axes = (0,)
        elif nd == 2:
            axes = (0, 1)
        else:
            return None
    elif type(axis) is tuple and 1 <= len(axis) <= 2:
        axes = []
        for a in axis:
            if type(a) is not int or not -nd <= a < nd:
                return None
            axes.append(a + nd if a < 0 else a)
    elif type(axis) is int and -nd <= axis < nd:
        axes = (axis + nd if axis < 0 else axis,)
    else:
        return None
    if len(axes) == 1:
        a = axes[0]
        if ord is None:
            p = 2.0
        elif type(ord) is float or (type(ord) is int and -_BIG_ORD < ord < _BIG_ORD):
            p = ord
        else:
            return None
        if not shape[a] and (p == _INF or p == -_INF):
            return None
        out = _empty(shape[:a] + (1,) + shape[a + 1:] if keepdims else shape[:a] + shape[a + 1:], rdt)
        events = _lean_vector(id(x), code, 1 << a, 0, p, id(out), rcode)
        if events < 0:
            return None
        if events:
            _report_lean(events, p, out.ndim == 0)
    else:
        row, col = axes
        if row == col or not shape[row] or not shape[col]:
            return None
        if ord is None or ord == "fro" or ord == "f":
            kind, p = _lib.ORD_FRO, 0.0
        elif ord == "nuc":
            kind, p = _lib.ORD_NUC, 0.0
        elif type(ord) is float or type(ord) is int:
            p = _MATRIX_P(ord)
            if p is None:
                return None
            kind = _lib.ORD_P
        else:
            return None
        if code == 10 and (kind == _lib.ORD_NUC or p == 2.0 or p == -2.0):  # float16: numpy's SVD TypeError
            return None
        if keepdims:
            oshape = tuple(1 if i == row or i == col else n for i, n in enumerate(shape))
        else:
            oshape = tuple(n for i, n in enumerate(shape) if i != row and i != col)
        out = _empty(oshape, rdt)
        if _lib.py_matrix_norm(id(x), code, row, col, kind, p, id(out), rcode) != 0:
            return None
    return out[()] if out.ndim == 0 else out


def _norm(x, ord, axis, keepdims):
    x, code = _prepare(x)
    nd = x.ndim
    if axis is None:  # numpy's "fast path": BLAS dot, never warns
        if (ord is None) or (ord in ("f", "fro") and nd == 2) or (ord == 2 and nd == 1):
            out, _ = _call_vector(x, code, None, 2.0, (1,) * nd if keepdims else ())
            return _result(out)
    if axis is None:
        axis = tuple(range(nd))
    elif not isinstance(axis, tuple):
        try:
            axis = int(axis)
        except Exception as e:
            raise TypeError("'axis' must be None, an integer or a tuple of integers") from e
        axis = (axis,)
    elif any(type(a) is bool or type(a) is np.bool_ for a in axis):
        # numpy hands a tuple axis to its ufunc reductions, which refuse booleans (an int axis is converted
        # with int() first, and the matrix orders other than 'fro' normalise each axis, accepting them)
        if len(axis) == 1:
            _vector_order(ord, code)  # its errors come first
            raise TypeError("an integer is required")
        if len(axis) == 2 and ord in (None, "fro", "f"):
            if normalize_axis_index(axis[0], nd) == normalize_axis_index(axis[1], nd):
                raise ValueError("Duplicate axes given.")
            raise TypeError("an integer is required")
    if len(axis) == 1:
        return _vector_path(x, code, ord, axis[0], keepdims)
    if len(axis) == 2:
        return _matrix_path(x, code, ord, axis, keepdims)
    raise ValueError("Improper number of dimensions to norm.")


def _vector_order(ord, code: int) -> float:
    """numpy's vector-path dispatch on ord, in its order of == tests; returns p."""
    if ord == _INF:
        return _INF
    if ord == -_INF:
        return -_INF
    if ord == 0:
        return 0.0
    if ord == 1:
        return 1.0
    if ord is None or ord == 2:
        return 2.0
    if isinstance(ord, str):
        raise ValueError(f"Invalid norm order '{ord}' for vectors")
    if isinstance(ord, (complex, np.complexfloating)):
        raise _UFuncOutputCastingError(np.power, "same_kind", np.dtype(np.complex128), _RESULT[code], 0)
    try:
        return float(ord)
    except (TypeError, ValueError) as e:
        raise TypeError(f"normnative: ord must be a real number, 'fro', 'nuc' or None, not {ord!r}") from e


def _vector_path(x: np.ndarray, code: int, ord, axis0, keepdims, axes_override=None):
    p = _vector_order(ord, code)
    # numpy hands keepdims to the ufunc reduction, which converts it like an int argument
    if isinstance(keepdims, float):
        raise TypeError("integer argument expected, got float")
    keep = operator.index(keepdims)
    shape = x.shape
    if axes_override is None:
        nd = len(shape)
        a = operator.index(axis0)
        if not -nd <= a < nd:
            _warn_before_axis_error(x, code, p)
            raise AxisError(a, nd)
        if a < 0:
            a += nd
        axes = (a,)
        n = shape[a]
        out_shape = shape[:a] + (1,) + shape[a + 1:] if keep else shape[:a] + shape[a + 1:]
    else:
        axes = axes_override
        n = 1
        for a in axes:
            n *= shape[a]
        if keep:
            out_shape = tuple(1 if i in axes else s for i, s in enumerate(shape))
        else:
            out_shape = tuple(s for i, s in enumerate(shape) if i not in axes)
    if n == 0:
        if p == -_INF:
            raise ValueError(_E_MIN)
        if p == _INF and not EMPTY_MAX_IS_ZERO:
            raise ValueError(_E_MAX)
    out, events = _call_vector(x, code, axes, p, out_shape)
    if events:
        _report_vector(events, p, out.ndim == 0)
    return out[()] if out.ndim == 0 else out


def _warn_before_axis_error(x: np.ndarray, code: int, p: float) -> None:
    """numpy's vector path computes abs(x)**p before the reduction rejects the axis, so a zero
    element with a negative order warns "divide by zero" first; reproduce that (the library
    finds the zeros: a full reduction whose result is discarded)."""
    if p < 0 and p != -_INF and x.size:
        out, events = _call_vector(x, code, None, p, ())
        if events & _lib.FP_DIVIDE_BY_ZERO:
            _fp_error("divide", "reciprocal" if p == -1 else "power")


def _matrix_path(x: np.ndarray, code: int, ord, axis: tuple, keepdims):
    nd = x.ndim
    row = normalize_axis_index(axis[0], nd)
    col = normalize_axis_index(axis[1], nd)
    if row == col:
        raise ValueError("Duplicate axes given.")
    m, n = x.shape[row], x.shape[col]
    # (kind, p, the length the final max/min runs over, max- or min-type)
    if ord == 2:
        kind, p, length, lo = _lib.ORD_P, 2.0, min(m, n), False
    elif ord == -2:
        kind, p, length, lo = _lib.ORD_P, -2.0, min(m, n), True
    elif ord == 1:
        kind, p, length, lo = _lib.ORD_P, 1.0, n, False
    elif ord == _INF:
        kind, p, length, lo = _lib.ORD_P, _INF, m, False
    elif ord == -1:
        kind, p, length, lo = _lib.ORD_P, -1.0, n, True
    elif ord == -_INF:
        kind, p, length, lo = _lib.ORD_P, -_INF, m, True
    elif ord in [None, "fro", "f"]:
        kind, p, length, lo = _lib.ORD_FRO, 0.0, 1, False
    elif ord == "nuc":
        kind, p, length, lo = _lib.ORD_NUC, 0.0, 1, False
    else:
        raise ValueError("Invalid norm order for matrices.")
    if (kind == _lib.ORD_NUC or abs(p) == 2) and code in _SVD_UNSUPPORTED:
        raise TypeError(f"array type {x.dtype.name} is unsupported in linalg")
    if length == 0:
        if lo:
            raise ValueError(_E_MIN)
        if not EMPTY_MAX_IS_ZERO:
            raise ValueError(_E_MAX)
    out_shape = tuple(s for i, s in enumerate(x.shape) if i != row and i != col)
    out, events = _call_matrix(x, code, row, col, kind, p, out_shape)
    if events:
        _report_matrix(events, kind, p, code)
    if keepdims:
        shape = list(x.shape)
        shape[axis[0]] = 1
        shape[axis[1]] = 1
        out = out.reshape(shape)
    return _result(out)


# ---------------------------------------------------------------------------------------------
# numpy 2.x array-API functions


def vector_norm(x: Any, /, *, axis: AxisType = None, keepdims: bool = False, ord: Union[int, float, None] = 2) -> Any:
    """Computes the vector norm of a vector (or batch of vectors) ``x``.

    Same semantics as NumPy 2.x's ``vector_norm``; the native library reduces any
    set of axes in place (no transpose or copy).

    Parameters
    ----------
    x : array_like
        Input array.
    axis : {None, int, n-tuple of ints}, optional
        If an integer, ``axis`` specifies the axis (dimension) along which to compute vector
        norms. If an n-tuple, ``axis`` specifies the axes (dimensions) along which to compute
        batched vector norms. If ``None``, the vector norm must be computed over all array
        values (i.e., equivalent to computing the vector norm of a flattened array).
        Default: ``None``.
    keepdims : bool, optional
        If this is set to True, the axes which are normed over are left in the result as
        dimensions with size one. Default: False.
    ord : {int, float, inf, -inf}, optional
        The order of the norm. For details see the table under ``Notes`` in
        :func:`norm`. Default: 2.

    Returns
    -------
    out : ndarray
        Vector norms.

    Examples
    --------
    >>> import normnative
    >>> float(normnative.vector_norm([[1.0, 2.0], [2.0, 4.0]]))
    5.0
    """
    if type(x) is _ndarray and LEAN_PATH and keepdims is False and (
            type(ord) is float or (type(ord) is int and -_BIG_ORD < ord < _BIG_ORD)):
        # the lean paths of norm (see there): every axis of any rank, or one axis
        if axis is None:
            dt = x.dtype
            code = _F64_GET(dt)
            if code is not None:
                r = _lean(id(x), code, 0, ord)
                if 0.0 < r < _INF:
                    return _float64(r)
                if r == r and x.size:
                    _report_lean(_lean_status(), ord, True)
                    return _float64(r)
            else:
                code = _NARROW_GET(dt)
                if code is not None:
                    r = _lean(id(x), code, 0, ord)
                    if 0.0 < r < _INF:
                        return _NARROW_SCALAR[code](r)
                    if r == r and x.size:
                        _report_lean(_lean_status(), ord, True)
                        return _NARROW_SCALAR[code](r)
        elif type(axis) is int:
            lean = _LEAN_AXIS_GET(x.dtype)
            if lean is not None:
                shape = x.shape
                nd = len(shape)
                a = axis + nd if axis < 0 else axis
                if 0 <= a < nd and (shape[a] or (ord != _INF and ord != -_INF)):
                    out = _empty(shape[:a] + shape[a + 1:], lean[1])
                    events = _lean_vector(id(x), lean[0], 1 << a, 0, ord, id(out), lean[2])
                    if events == 0:
                        return out[()] if nd == 1 else out
                    if events > 0:
                        _report_lean(events, ord, nd == 1)
                        return out[()] if nd == 1 else out
    x, code = _prepare(x)
    nd = x.ndim
    shape = list(x.shape)
    if axis is None:
        axes = tuple(range(nd))
        res = _vector_path(x, code, ord, None, False, axes_override=axes)
    elif isinstance(axis, tuple):
        axes = tuple(normalize_axis_tuple(axis, nd))
        res = _vector_path(x, code, ord, None, False, axes_override=axes)
    else:
        try:
            a = int(axis)
        except Exception as e:
            raise TypeError("'axis' must be None, an integer or a tuple of integers") from e
        res = _vector_path(x, code, ord, a, False)
    if keepdims:
        _axis = normalize_axis_tuple(range(len(shape)) if axis is None else axis, len(shape))
        for i in _axis:
            shape[i] = 1
        res = res.reshape(tuple(shape))
    return res


def matrix_norm(x: Any, /, *, keepdims: bool = False, ord: OrdType = "fro") -> Any:
    """Computes the matrix norm of a matrix (or a stack of matrices) ``x``.

    Same semantics as NumPy 2.x's ``matrix_norm``: the matrix norm over the last two
    axes, batched over the leading ones.

    Parameters
    ----------
    x : array_like
        Input array having shape (..., M, N) and whose two innermost dimensions form ``MxN``
        matrices.
    keepdims : bool, optional
        If this is set to True, the axes which are normed over are left in the result as
        dimensions with size one. Default: False.
    ord : {1, -1, 2, -2, inf, -inf, 'fro', 'nuc'}, optional
        The order of the norm. For details see the table under ``Notes`` in :func:`norm`.
        Default: "fro".

    Returns
    -------
    out : ndarray
        Norm of the matrix.

    Examples
    --------
    >>> import normnative
    >>> float(normnative.matrix_norm([[3.0, 0.0], [0.0, 4.0]]))
    5.0
    """
    x, code = _prepare(x)
    return _matrix_path(x, code, ord, (-2, -1), keepdims)
