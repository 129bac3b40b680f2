"""Loads libnormnative and declares every prototype of include/normnative.h once.

Lookup order: the file named by the NORMNATIVE_LIBRARY environment variable, then
``_lib/libnormnative.so`` inside this package (where ``./build.sh build`` and the wheel put it).
"""
from __future__ import annotations

import ctypes
import os
from ctypes import POINTER, c_char_p, c_double, c_int32, c_int64, c_uint32, c_void_p
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _candidates() -> list[Path]:
    env = os.environ.get("NORMNATIVE_LIBRARY")
    paths = [Path(env)] if env else []
    paths.append(_HERE / "_lib" / "libnormnative.so")
    return paths


def _load() -> ctypes.CDLL:
    tried = []
    for path in _candidates():
        if path.is_file():
            try:
                return ctypes.CDLL(str(path))
            except OSError as e:  # pragma: no cover - a broken file
                tried.append(f"{path} ({e})")
        else:
            tried.append(f"{path} (not found)")
    raise ImportError(
        "normnative: cannot find libnormnative.so; looked in: " + "; ".join(tried)
        + ". Build it with './build.sh build' in the NormNative repository, or point the "
        "NORMNATIVE_LIBRARY environment variable at the library.")


lib = _load()


class Array(ctypes.Structure):
    """normnative_array: a borrowed strided N-d array (byte strides)."""
    _fields_ = [
        ("data", c_void_p),
        ("shape", POINTER(c_int64)),
        ("strides", POINTER(c_int64)),
        ("ndim", c_int32),
        ("dtype", c_int32),
        ("range_base", c_void_p),
        ("range_length", c_int64),
    ]


ArrayP = POINTER(Array)


def _proto(name, restype, *argtypes):
    f = getattr(lib, "normnative_" + name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


# uint32_t normnative_version_number(void);
version_number = _proto("version_number", c_uint32)
# int32_t normnative_abi_version(void);
abi_version = _proto("abi_version", c_int32)
# const char* normnative_version_string(void);
version_string = _proto("version_string", c_char_p)
# const char* normnative_status_string(int32_t);
status_string = _proto("status_string", c_char_p, c_int32)
# const char* normnative_last_error(void);
last_error = _proto("last_error", c_char_p)
# int32_t normnative_vector_norm(const normnative_array* x, const int32_t* axes, int32_t naxes,
#                                int32_t ord_kind, double p, const normnative_array* out, uint32_t* fp_events);
vector_norm = _proto("vector_norm", c_int32, ArrayP, POINTER(c_int32), c_int32, c_int32, c_double, ArrayP, POINTER(c_uint32))
# int32_t normnative_matrix_norm(const normnative_array* x, int32_t row_axis, int32_t col_axis,
#                                int32_t ord_kind, double p, const normnative_array* out, uint32_t* fp_events);
matrix_norm = _proto("matrix_norm", c_int32, ArrayP, c_int32, c_int32, c_int32, c_double, ArrayP, POINTER(c_uint32))
# int32_t normnative_set_num_threads(int32_t n);  int32_t normnative_get_num_threads(void);
set_num_threads = _proto("set_num_threads", c_int32, c_int32)
get_num_threads = _proto("get_num_threads", c_int32)

# Binding support (normnative.h, last section): the lean path over a NumPy array object.
# int32_t normnative_py_set_layout(int64_t off_data, int64_t off_nd, int64_t off_dims, int64_t off_strides);
py_set_layout = _proto("py_set_layout", c_int32, c_int64, c_int64, c_int64, c_int64)
# double normnative_py_norm_full(const void* obj, int32_t dtype, int32_t ord_kind, double p);
py_norm_full = _proto("py_norm_full", c_double, c_void_p, c_int32, c_int32, c_double)
# double normnative_py_matrix_full(const void* obj, int32_t dtype, int32_t ord_kind, double p);
py_matrix_full = _proto("py_matrix_full", c_double, c_void_p, c_int32, c_int32, c_double)
# int32_t normnative_py_last_status(void);
py_last_status = _proto("py_last_status", c_int32)
# int32_t normnative_py_vector_norm(const void* x_obj, int32_t x_dtype, uint64_t reduce_mask,
#                                   int32_t ord_kind, double p, const void* out_obj, int32_t out_dtype);
py_vector_norm = _proto("py_vector_norm", c_int32, c_void_p, c_int32, ctypes.c_uint64, c_int32, c_double, c_void_p, c_int32)
# int32_t normnative_py_matrix_norm(const void* x_obj, int32_t x_dtype, int32_t row_axis, int32_t col_axis,
#                                   int32_t ord_kind, double p, const void* out_obj, int32_t out_dtype);
py_matrix_norm = _proto("py_matrix_norm", c_int32, c_void_p, c_int32, c_int32, c_int32, c_int32, c_double, c_void_p, c_int32)

ABI_VERSION = 1
if abi_version() != ABI_VERSION:  # pragma: no cover - mismatched build
    raise ImportError(f"normnative: library ABI version {abi_version()} does not match the "
                      f"bindings' {ABI_VERSION}; rebuild with ./build.sh build")

# Status codes (normnative.h)
OK, E_NULL, E_INVALID, E_DTYPE, E_AXIS, E_ORD, E_OUTPUT, E_ALIAS, E_RANGE, E_EMPTY, E_CONVERGENCE = \
    0, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10
E_INTERNAL = -99
ORD_P, ORD_FRO, ORD_NUC = 0, 1, 2
ALL_AXES = -1
FP_DIVIDE_BY_ZERO, FP_OVERFLOW, FP_UNDERFLOW, FP_INVALID, FP_SCALAR_POWER = 1, 2, 4, 8, 16


class NormNativeError(RuntimeError):
    """A failure reported by libnormnative that has no numpy counterpart (a bug or bad build)."""

    def __init__(self, status: int, message: str):
        super().__init__(f"{message} (status {status}: {status_string(status).decode()})")
        self.status = status


def error_message() -> str:
    return last_error().decode("utf-8", "replace")
