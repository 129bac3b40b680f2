/*
 * normnative.hpp — a small header-only C++20 layer over normnative.h.
 *
 *   #include <normnative.hpp>
 *   std::vector<double> v{3, 4, 12};
 *   double n = normnative::vector_norm(std::span<const double>(v));          // 13
 *   float  m = normnative::matrix_norm(std::span<const float>(a), 3, 4, normnative::ord::fro());
 *
 * Every failed status becomes a normnative::error (derived from std::invalid_argument, carrying
 * the status code and the library's message); nothing else is thrown. Strided N-d arrays use
 * normnative::view (shape and byte strides), exactly the C descriptor.
 */
#ifndef NORMNATIVE_HPP
#define NORMNATIVE_HPP

#include <complex>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "normnative.h"

namespace normnative {

/** A failed call: status() is the NORMNATIVE_E_* code, what() the library's message. */
class error : public std::invalid_argument {
public:
    error(int32_t status, const std::string& message)
        : std::invalid_argument(message.empty() ? std::string(normnative_status_string(status)) : message),
          status_(status) {}
    int32_t status() const noexcept { return status_; }
private:
    int32_t status_;
};

/** Throws normnative::error unless status is NORMNATIVE_OK. */
inline void check(int32_t status) {
    if (status != NORMNATIVE_OK) throw error(status, normnative_last_error());
}

/** A norm order: ord::p(x) for a real order, ord::fro(), ord::nuc(). */
struct ord {
    int32_t kind = NORMNATIVE_ORD_P;
    double p = 2.0;
    static constexpr ord of(double value) noexcept { return {NORMNATIVE_ORD_P, value}; }
    static constexpr ord fro() noexcept { return {NORMNATIVE_ORD_FRO, 0.0}; }
    static constexpr ord nuc() noexcept { return {NORMNATIVE_ORD_NUC, 0.0}; }
};

/** The NORMNATIVE_* dtype code of T and the C++ type of its norm (numpy's result type). */
template <class T> struct dtype_of;
#define NORMNATIVE_HPP_DTYPE(T, CODE, R) \
    template <> struct dtype_of<T> { static constexpr int32_t code = CODE; using result = R; };
NORMNATIVE_HPP_DTYPE(int8_t, NORMNATIVE_INT8, double)
NORMNATIVE_HPP_DTYPE(int16_t, NORMNATIVE_INT16, double)
NORMNATIVE_HPP_DTYPE(int32_t, NORMNATIVE_INT32, double)
NORMNATIVE_HPP_DTYPE(int64_t, NORMNATIVE_INT64, double)
NORMNATIVE_HPP_DTYPE(uint8_t, NORMNATIVE_UINT8, double)
NORMNATIVE_HPP_DTYPE(uint16_t, NORMNATIVE_UINT16, double)
NORMNATIVE_HPP_DTYPE(uint32_t, NORMNATIVE_UINT32, double)
NORMNATIVE_HPP_DTYPE(uint64_t, NORMNATIVE_UINT64, double)
NORMNATIVE_HPP_DTYPE(float, NORMNATIVE_FLOAT32, float)
NORMNATIVE_HPP_DTYPE(double, NORMNATIVE_FLOAT64, double)
NORMNATIVE_HPP_DTYPE(std::complex<float>, NORMNATIVE_COMPLEX64, float)
NORMNATIVE_HPP_DTYPE(std::complex<double>, NORMNATIVE_COMPLEX128, double)
#if defined(__x86_64__) && (defined(__linux__) || defined(__APPLE__))
NORMNATIVE_HPP_DTYPE(long double, NORMNATIVE_LONGDOUBLE, long double)
NORMNATIVE_HPP_DTYPE(std::complex<long double>, NORMNATIVE_CLONGDOUBLE, long double)
#endif
#undef NORMNATIVE_HPP_DTYPE

template <class T> using result_t = typename dtype_of<std::remove_cv_t<T>>::result;

/** A borrowed strided N-d array: data, shape and BYTE strides (the C descriptor, non-owning). */
struct view {
    const void* data;
    std::span<const int64_t> shape;
    std::span<const int64_t> strides;
    int32_t dtype;
    /** The C descriptor, with the optional byte range left unset. */
    normnative_array c() const noexcept {
        return {const_cast<void*>(data), shape.data(), strides.data(), static_cast<int32_t>(shape.size()), dtype, nullptr, 0};
    }
};

/** Vector norm of a contiguous span (all elements). Throws normnative::error. */
template <class T>
result_t<T> vector_norm(std::span<const T> x, ord o = {}) {
    const int64_t shape[1] = {static_cast<int64_t>(x.size())}, strides[1] = {static_cast<int64_t>(sizeof(T))};
    normnative_array xa{const_cast<T*>(x.data()), shape, strides, 1, dtype_of<std::remove_cv_t<T>>::code, x.data(),
                        static_cast<int64_t>(x.size_bytes())};
    result_t<T> r{};
    normnative_array oa{&r, nullptr, nullptr, 0, dtype_of<result_t<T>>::code, &r, sizeof r};
    check(normnative_vector_norm(&xa, nullptr, NORMNATIVE_ALL_AXES, o.kind, o.p, &oa, nullptr));
    return r;
}

/** Vector norm with p given as a number. */
template <class T>
result_t<T> vector_norm(std::span<const T> x, double p) { return vector_norm(x, ord::of(p)); }

/** Matrix norm of a rows x cols row-major matrix stored contiguously in x (default: Frobenius). */
template <class T>
result_t<T> matrix_norm(std::span<const T> x, int64_t rows, int64_t cols, ord o = ord::fro()) {
    if (rows < 0 || cols < 0 || static_cast<uint64_t>(rows) * static_cast<uint64_t>(cols) != x.size())
        throw error(NORMNATIVE_E_INVALID, "x: rows * cols does not equal the span's size");
    const int64_t shape[2] = {rows, cols};
    const int64_t strides[2] = {cols * static_cast<int64_t>(sizeof(T)), static_cast<int64_t>(sizeof(T))};
    normnative_array xa{const_cast<T*>(x.data()), shape, strides, 2, dtype_of<std::remove_cv_t<T>>::code, x.data(),
                        static_cast<int64_t>(x.size_bytes())};
    result_t<T> r{};
    normnative_array oa{&r, nullptr, nullptr, 0, dtype_of<result_t<T>>::code, &r, sizeof r};
    check(normnative_matrix_norm(&xa, 0, 1, o.kind, o.p, &oa, nullptr));
    return r;
}

/** Vector norm of a strided view over exactly `axes` (negative counts from the end; an empty
 *  span reduces nothing, like numpy's axis=()) into `out`. Returns the NORMNATIVE_FP_* events.
 *  Throws normnative::error. */
inline uint32_t vector_norm(const view& x, std::span<const int32_t> axes, ord o, const view& out) {
    normnative_array xa = x.c(), oa = out.c();
    uint32_t ev = 0;
    check(normnative_vector_norm(&xa, axes.data(), static_cast<int32_t>(axes.size()), o.kind, o.p, &oa, &ev));
    return ev;
}

/** Vector norm of a strided view over all its axes into `out` (a 0-d view, or all extents 1). */
inline uint32_t vector_norm(const view& x, ord o, const view& out) {
    normnative_array xa = x.c(), oa = out.c();
    uint32_t ev = 0;
    check(normnative_vector_norm(&xa, nullptr, NORMNATIVE_ALL_AXES, o.kind, o.p, &oa, &ev));
    return ev;
}

/** Matrix norm of a strided view over (row_axis, col_axis), batched over the others, into `out`. */
inline uint32_t matrix_norm(const view& x, int32_t row_axis, int32_t col_axis, ord o, const view& out) {
    normnative_array xa = x.c(), oa = out.c();
    uint32_t ev = 0;
    check(normnative_matrix_norm(&xa, row_axis, col_axis, o.kind, o.p, &oa, &ev));
    return ev;
}

/** The library's version string; throws if the header and the library disagree on the ABI. */
inline const char* version() {
    if (normnative_abi_version() != NORMNATIVE_ABI_VERSION)
        throw error(NORMNATIVE_E_INVALID, "libnormnative ABI version differs from normnative.h");
    return normnative_version_string();
}

} // namespace normnative

#endif // NORMNATIVE_HPP
