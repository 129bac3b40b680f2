/*
 * normnative.h — the C ABI of libnormnative, vector and matrix norms with numpy.linalg.norm
 * semantics, computed accurately and without spurious overflow or underflow.
 *
 * This header is the specification: a function, type or constant that does not appear here (or
 * in normnative_dlpack.h, the DLPack entry points) is not part of the published ABI.
 * normnative.hpp is a header-only C++20 layer over it (std::span in, exceptions out).
 * Installed by `./build.sh install PREFIX=...` with normnative.pc (pkg-config) and a CMake
 * package: find_package(NormNative) gives the target NormNative::normnative.
 *
 * Conventions
 *   - Every fallible function returns an int32_t status: NORMNATIVE_OK (0) or a negative
 *     NORMNATIVE_E_* code. Codes are pinned and never renumbered.
 *   - After a failure, normnative_last_error() describes it, naming the argument at fault.
 *   - Memory: the caller owns all of it. Descriptors and the arrays they point to are borrowed
 *     for the duration of the call only; the library keeps no pointer and allocates nothing
 *     that outlives a call. Nothing returned by the library is to be freed.
 *   - Threads: every function is reentrant and may be called concurrently from any number of
 *     threads. Inputs are only read. The error message is per thread.
 *   - The library may use worker threads internally for large inputs (see
 *     normnative_set_num_threads); results are bit-identical whatever the thread count.
 *   - No C++ exception, signal or longjmp ever leaves a call; bad input gives a status. Every
 *     export validates all of its arguments before it reads or writes any caller memory.
 *   - Error message storage: the first failure on a thread allocates that thread's 1 KiB
 *     message buffer, reused by every later failure on the thread and reclaimed after the
 *     thread exits. Status strings, the version string and the "" of a successful call are
 *     static. This is the only library memory that outlives a call.
 *   - ABI policy: status codes, dtype codes, ord codes and FP event bits are pinned and never
 *     renumbered; new codes may be added. A published function's signature or a published
 *     struct's layout never changes; a changed behaviour or signature arrives as a new symbol
 *     with a _v2 suffix next to the old one, and NORMNATIVE_ABI_VERSION is bumped only if an
 *     existing symbol ever has to change incompatibly.
 *   - The library cannot be unloaded (dlclose is a no-op for NativeAOT libraries).
 */
#ifndef NORMNATIVE_H
#define NORMNATIVE_H

#include <stdint.h>

#if defined(_WIN32)
#  define NORMNATIVE_API __declspec(dllimport)
#else
#  define NORMNATIVE_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Version ------------------------------------------------------------------------------ */

#define NORMNATIVE_VERSION_MAJOR 0
#define NORMNATIVE_VERSION_MINOR 1
#define NORMNATIVE_VERSION_PATCH 0
/** MAJOR*1000000 + MINOR*1000 + PATCH. */
#define NORMNATIVE_VERSION_NUMBER (NORMNATIVE_VERSION_MAJOR * 1000000 + NORMNATIVE_VERSION_MINOR * 1000 + NORMNATIVE_VERSION_PATCH)
/** Bumped only when a published struct layout or signature changes incompatibly. */
#define NORMNATIVE_ABI_VERSION 1

/** The library's NORMNATIVE_VERSION_NUMBER; compare with the header's to detect a mismatch:
 *  assert(normnative_version_number() == NORMNATIVE_VERSION_NUMBER). Never fails. */
NORMNATIVE_API uint32_t normnative_version_number(void);
/** The library's NORMNATIVE_ABI_VERSION. Never fails. */
NORMNATIVE_API int32_t normnative_abi_version(void);
/** "MAJOR.MINOR.PATCH", static storage. Never NULL. */
NORMNATIVE_API const char* normnative_version_string(void);

/* ---- Status codes ------------------------------------------------------------------------- */

#define NORMNATIVE_OK                0   /**< Success. */
#define NORMNATIVE_E_NULL           -1   /**< A required pointer was NULL. */
#define NORMNATIVE_E_INVALID        -2   /**< Malformed argument: ndim out of [0, 64], negative extent, size or byte-extent overflow, reserved field not 0. */
#define NORMNATIVE_E_DTYPE          -3   /**< Unknown dtype code, or a dtype the operation does not support (e.g. SVD orders on float16). */
#define NORMNATIVE_E_AXIS           -4   /**< Axis out of range, repeated, or the wrong number of axes. */
#define NORMNATIVE_E_ORD            -5   /**< Order not valid for this norm (e.g. 'nuc' for vectors, 3 for matrices). */
#define NORMNATIVE_E_OUTPUT         -6   /**< Output descriptor's shape or dtype does not match the reduction. */
#define NORMNATIVE_E_ALIAS          -7   /**< Output memory overlaps the input. */
#define NORMNATIVE_E_RANGE          -8   /**< An element would lie outside the byte range declared in the descriptor. */
#define NORMNATIVE_E_EMPTY          -9   /**< A minimum over zero elements (ord -inf, matrix -1/-2/-inf of an empty matrix) has no value. */
#define NORMNATIVE_E_CONVERGENCE   -10   /**< Singular values did not converge (NaN in the input), numpy's LinAlgError. */
#define NORMNATIVE_E_INTERNAL      -99   /**< A bug in the library; the message says where. */

/** Static English text for a status code. Never NULL, never to be freed. */
NORMNATIVE_API const char* normnative_status_string(int32_t status);

/** Message describing the last failure on the calling thread; "" when the last call on this
 *  thread succeeded. Never NULL. Owned by the library; valid until the next call on the same
 *  thread. Use the returned status, not this text, to detect failure. */
NORMNATIVE_API const char* normnative_last_error(void);

/* ---- Element types ------------------------------------------------------------------------ */

#define NORMNATIVE_BOOL         1   /**< 1 byte, 0 = false, anything else = true. */
#define NORMNATIVE_INT8         2
#define NORMNATIVE_INT16        3
#define NORMNATIVE_INT32        4
#define NORMNATIVE_INT64        5
#define NORMNATIVE_UINT8        6
#define NORMNATIVE_UINT16       7
#define NORMNATIVE_UINT32       8
#define NORMNATIVE_UINT64       9
#define NORMNATIVE_FLOAT16     10   /**< IEEE binary16. */
#define NORMNATIVE_FLOAT32     11
#define NORMNATIVE_FLOAT64     12
#define NORMNATIVE_COMPLEX64   13   /**< Two float32: real, imaginary. */
#define NORMNATIVE_COMPLEX128  14   /**< Two float64: real, imaginary. */
#define NORMNATIVE_LONGDOUBLE  15   /**< x87 80-bit extended in 16 bytes (long double on x86-64 Linux). */
#define NORMNATIVE_CLONGDOUBLE 16   /**< Two NORMNATIVE_LONGDOUBLE. */

/* The result dtype of a norm, as numpy.linalg.norm chooses it: FLOAT64 for bool, integers,
 * FLOAT64 and COMPLEX128; FLOAT32 for FLOAT32 and COMPLEX64; FLOAT16 for FLOAT16; LONGDOUBLE
 * for LONGDOUBLE and CLONGDOUBLE. Output descriptors must have exactly this dtype. */

/* ---- Array descriptor --------------------------------------------------------------------- */

/**
 * A borrowed, strided N-d array. Element [i0, …, i(n-1)] is at
 *     (char*)data + i0*strides[0] + … + i(n-1)*strides[n-1]
 * Strides are in BYTES and may be negative, zero, or not a multiple of the item size (any
 * NumPy view is described without a copy). Data need not be aligned.
 *
 * range_base/range_length (optional): when range_base is not NULL, the library first proves
 * that every byte of every element it will touch lies in [range_base, range_base+range_length)
 * and fails with NORMNATIVE_E_RANGE otherwise, before reading or writing anything.
 */
typedef struct normnative_array {
    void* data;                 /**< Address of element [0,…,0]; may be NULL only if the array is empty. */
    const int64_t* shape;       /**< ndim extents, each >= 0. May be NULL when ndim == 0. */
    const int64_t* strides;     /**< ndim byte strides. May be NULL when ndim == 0. */
    int32_t ndim;               /**< 0 … 64. */
    int32_t dtype;              /**< NORMNATIVE_BOOL … NORMNATIVE_CLONGDOUBLE. */
    const void* range_base;     /**< Optional bounds for the proof above; NULL = not checked. */
    int64_t range_length;       /**< Bytes in the range; ignored when range_base is NULL. */
} normnative_array;

/* ---- Orders -------------------------------------------------------------------------------- */

#define NORMNATIVE_ORD_P    0   /**< A real order p: 2 (the default), 1, 0 (count), +-INFINITY, any other real (also negative, fractional, NaN). */
#define NORMNATIVE_ORD_FRO  1   /**< Frobenius (matrices). */
#define NORMNATIVE_ORD_NUC  2   /**< Nuclear, the sum of singular values (matrices). */

/* ---- Floating-point events (for numpy-compatible warnings) -------------------------------- */

#define NORMNATIVE_FP_DIVIDE_BY_ZERO  1u  /**< A zero element met a negative order (numpy warns "divide by zero"). */
#define NORMNATIVE_FP_OVERFLOW        2u  /**< An exact result too large for the result dtype was stored as +inf. */
#define NORMNATIVE_FP_UNDERFLOW       4u  /**< Reserved. */
#define NORMNATIVE_FP_INVALID         8u  /**< Reserved. */
#define NORMNATIVE_FP_SCALAR_POWER   16u  /**< An empty vector met a negative order (divide by zero in the final power). */

/* ---- Norms --------------------------------------------------------------------------------- */

/** Pass as naxes to reduce every axis. */
#define NORMNATIVE_ALL_AXES (-1)

/**
 * Vector norm of `x` over a set of axes, one result per remaining position.
 *
 * x          input array (borrowed, read only).
 * axes       naxes distinct axis indices in [-ndim, ndim) (negative counts from the end);
 *            ignored when naxes == NORMNATIVE_ALL_AXES. The selected elements of each result
 *            form one vector (numpy.linalg.vector_norm semantics for several axes).
 * naxes      number of entries in axes, or NORMNATIVE_ALL_AXES.
 * ord_kind   NORMNATIVE_ORD_P (FRO and NUC give NORMNATIVE_E_ORD).
 * p          the order for NORMNATIVE_ORD_P: 2 Euclidean, 1 sum of |x|, INFINITY max |x|,
 *            -INFINITY min |x|, 0 number of nonzeros, otherwise (sum |x|^p)^(1/p).
 * out        output array (borrowed, written): dtype = the result dtype of x; shape = x's shape
 *            with the reduced axes removed, or kept with extent 1. Must not overlap x.
 * fp_events  optional (may be NULL): receives NORMNATIVE_FP_* bits on success (untouched on
 *            failure).
 *
 * Validation, each with its own status and a message naming the argument: NULL x/out/axes
 * (E_NULL); ndim outside [0, 64], a negative extent, an element count or byte extent that
 * overflows (E_INVALID); unknown dtype (E_DTYPE); an axis out of range or repeated, naxes out
 * of [0, ndim] (E_AXIS); ord_kind unknown or not P (E_ORD); out's dtype or shape wrong
 * (E_OUTPUT); out's bytes overlapping x's (E_ALIAS); an element outside a declared byte range,
 * of x or of out (E_RANGE).
 *
 * Returns NORMNATIVE_OK or a NORMNATIVE_E_* code; on failure nothing was written.
 */
NORMNATIVE_API int32_t normnative_vector_norm(const normnative_array* x, const int32_t* axes, int32_t naxes,
                                              int32_t ord_kind, double p, const normnative_array* out,
                                              uint32_t* fp_events);

/**
 * Matrix norm of `x` over (row_axis, col_axis), batched over every other axis.
 *
 * row_axis, col_axis  distinct axes in [-ndim, ndim); row_axis indexes rows.
 * ord_kind/p          FRO; NUC; or P with p in {1, -1, 2, -2, INFINITY, -INFINITY}.
 * out                 as for normnative_vector_norm, with the two matrix axes reduced.
 *
 * fp_events           as for normnative_vector_norm.
 *
 * Validation as for normnative_vector_norm; in addition ndim < 2 or row_axis == col_axis give
 * NORMNATIVE_E_AXIS and p outside {1, -1, 2, -2, +-INFINITY} gives NORMNATIVE_E_ORD.
 * Returns NORMNATIVE_OK or a NORMNATIVE_E_* code (NORMNATIVE_E_CONVERGENCE for NaN input with
 * the singular-value orders). On failure nothing was written, except after
 * NORMNATIVE_E_CONVERGENCE: that is detected while computing, so the elements of out are then
 * unspecified (some may have been written; nothing outside them was).
 */
NORMNATIVE_API int32_t normnative_matrix_norm(const normnative_array* x, int32_t row_axis, int32_t col_axis,
                                              int32_t ord_kind, double p, const normnative_array* out,
                                              uint32_t* fp_events);

/* ---- Threads ------------------------------------------------------------------------------- */

/** Sets the number of threads large reductions may use (n >= 1; n <= 0 restores the default, the
 *  number of processors). Returns the previous setting. Never fails. */
NORMNATIVE_API int32_t normnative_set_num_threads(int32_t n);
/** Current thread limit. Never fails. */
NORMNATIVE_API int32_t normnative_get_num_threads(void);


/* ---- Binding support (Python) --------------------------------------------------------------
 * Not for general C use: a lean path for the Python package. It reads a NumPy array object's
 * public PyArrayObject_fields (data, nd, dimensions, strides) at byte offsets the package
 * verifies at import against x.ctypes / x.shape / x.strides of probe arrays. The caller
 * guarantees that the object stays alive and unresized during the call.               */

/** Declares the byte offsets of data, nd, dimensions and strides inside the array object.
 *  Returns NORMNATIVE_OK, or NORMNATIVE_E_INVALID for misaligned or implausible offsets. */
NORMNATIVE_API int32_t normnative_py_set_layout(int64_t off_data, int64_t off_nd, int64_t off_dims,
                                                int64_t off_strides);
/** The vector norm (ord_kind NORMNATIVE_ORD_P, order p) of every element of the array object at
 *  `obj`, whose element type is `dtype` (one whose result dtype is FLOAT64, FLOAT32 or FLOAT16).
 *  Returns the result in that dtype, widened to double (exactly);
 *  on failure returns NaN and normnative_py_last_status() gives the (negative) status. After
 *  success normnative_py_last_status() gives the NORMNATIVE_FP_* event bits (>= 0; every event
 *  comes with a result of 0 — a zero element, or an empty vector, with a negative order — or +inf,
 *  overflow), so a NaN with a status >= 0 is a genuine NaN norm. */
NORMNATIVE_API double normnative_py_norm_full(const void* obj, int32_t dtype, int32_t ord_kind, double p);
/** The matrix norm (ord_kind, p as normnative_matrix_norm; rows axis 0, columns axis 1) of the
 *  2-D array object at `obj` (dtype as normnative_py_norm_full), returned like
 *  normnative_py_norm_full; failures set normnative_py_last_status(). FP events are not
 *  reported (the only one, overflow, comes with a result of +inf). */
NORMNATIVE_API double normnative_py_matrix_full(const void* obj, int32_t dtype, int32_t ord_kind, double p);
/** Status of the calling thread's last normnative_py_norm_full or normnative_py_matrix_full call
 *  (negative: the error; otherwise 0, or normnative_py_norm_full's FP event bits). */
NORMNATIVE_API int32_t normnative_py_last_status(void);
/** normnative_vector_norm over two array objects (input `x_obj` of dtype `x_dtype`, output
 *  `out_obj` of dtype `out_dtype`, read through the declared layout); bit i of reduce_mask
 *  selects axis i. Returns the NORMNATIVE_FP_* event bits (>= 0) or a negative status. */
NORMNATIVE_API int32_t normnative_py_vector_norm(const void* x_obj, int32_t x_dtype, uint64_t reduce_mask,
                                                 int32_t ord_kind, double p, const void* out_obj, int32_t out_dtype);
/** normnative_matrix_norm over two array objects; row_axis, col_axis in [0, ndim), distinct.
 *  Returns the NORMNATIVE_FP_* event bits (>= 0) or a negative status. */
NORMNATIVE_API int32_t normnative_py_matrix_norm(const void* x_obj, int32_t x_dtype, int32_t row_axis, int32_t col_axis,
                                                 int32_t ord_kind, double p, const void* out_obj, int32_t out_dtype);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* NORMNATIVE_H */
