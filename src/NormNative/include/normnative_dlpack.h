/*
 * normnative_dlpack.h — DLPack entry points of libnormnative.
 *
 * Declares a struct layout-compatible with DLPack's DLTensor (DLPack ABI v0.x/v1.x: the same
 * fields in the same order), under normnative_ names so this header can be included next to the
 * real dlpack.h: pass `(const normnative_dl_tensor*)&managed->dl_tensor`.
 *
 * Accepted: device_type kDLCPU (1) only; dtype lanes == 1 with (code, bits) in
 *   bool (6, 8); int (0, 8|16|32|64); uint (1, 8|16|32|64); float (2, 16|32|64); complex (5, 64|128).
 * Strides are in ELEMENTS (DLPack convention), may be negative or zero; NULL strides means
 * compact row-major. byte_offset is added to data. The library never takes ownership: it does
 * not call any deleter and keeps no pointer after the call.
 * A DLTensor carries no byte range, so the library validates it (ndim, extents, overflow of
 * strides x itemsize and of the address arithmetic) but cannot prove the memory is there; the
 * output is an ordinary normnative_array and may declare its range.
 */
#ifndef NORMNATIVE_DLPACK_H
#define NORMNATIVE_DLPACK_H

#include <stdint.h>
#include "normnative.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NORMNATIVE_DL_CPU 1        /**< kDLCPU: the only device_type accepted. */

#define NORMNATIVE_DL_INT      0   /**< kDLInt */
#define NORMNATIVE_DL_UINT     1   /**< kDLUInt */
#define NORMNATIVE_DL_FLOAT    2   /**< kDLFloat */
#define NORMNATIVE_DL_COMPLEX  5   /**< kDLComplex */
#define NORMNATIVE_DL_BOOL     6   /**< kDLBool */

/** Layout of DLPack's DLDevice. */
typedef struct normnative_dl_device {
    int32_t device_type;           /**< DLDeviceType; must be NORMNATIVE_DL_CPU. */
    int32_t device_id;             /**< Ignored for CPU. */
} normnative_dl_device;

/** Layout of DLPack's DLDataType. */
typedef struct normnative_dl_data_type {
    uint8_t code;                  /**< NORMNATIVE_DL_INT … NORMNATIVE_DL_BOOL. */
    uint8_t bits;                  /**< Bits per element (per lane). */
    uint16_t lanes;                /**< Must be 1. */
} normnative_dl_data_type;

/** Layout of DLPack's DLTensor (48 bytes on 64-bit targets). */
typedef struct normnative_dl_tensor {
    void* data;                    /**< Base pointer; element [0,…,0] is at (char*)data + byte_offset. */
    normnative_dl_device device;
    int32_t ndim;                  /**< 0 … 64. */
    normnative_dl_data_type dtype;
    int64_t* shape;                /**< ndim extents (>= 0); may be NULL when ndim == 0. */
    int64_t* strides;              /**< ndim strides in ELEMENTS, or NULL = compact row-major. */
    uint64_t byte_offset;          /**< Bytes from data to element [0,…,0]. */
} normnative_dl_tensor;

/** normnative_vector_norm with a DLTensor input; every other argument and the status codes as
 *  there. A device other than CPU, or lanes != 1, gives NORMNATIVE_E_INVALID / NORMNATIVE_E_DTYPE. */
NORMNATIVE_API int32_t normnative_vector_norm_dlpack(const normnative_dl_tensor* x, const int32_t* axes, int32_t naxes,
                                                     int32_t ord_kind, double p, const normnative_array* out,
                                                     uint32_t* fp_events);

/** normnative_matrix_norm with a DLTensor input; every other argument and the status codes as there. */
NORMNATIVE_API int32_t normnative_matrix_norm_dlpack(const normnative_dl_tensor* x, int32_t row_axis, int32_t col_axis,
                                                     int32_t ord_kind, double p, const normnative_array* out,
                                                     uint32_t* fp_events);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* NORMNATIVE_DLPACK_H */
