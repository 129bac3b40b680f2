// Tests of normnative.hpp: result types, strided views, axes, and status -> exception mapping.
#include <cmath>
#include <complex>
#include <cstdio>
#include <limits>
#include <span>
#include <string>
#include <type_traits>
#include <vector>
#include "normnative.hpp"

static int passes = 0, failures = 0;
#define CHECK(c) do { if (c) passes++; else { failures++; std::printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

template <class F> static int32_t status_of(F&& f) {
    try { f(); } catch (const normnative::error& e) { return e.status(); }
    return NORMNATIVE_OK;
}

int main() {
    using namespace normnative;
    static_assert(std::is_same_v<result_t<float>, float>);
    static_assert(std::is_same_v<result_t<std::complex<float>>, float>);
    static_assert(std::is_same_v<result_t<int8_t>, double>);
    static_assert(std::is_same_v<result_t<long double>, long double>);
    static_assert(std::is_base_of_v<std::invalid_argument, error>);

    std::vector<int8_t> i8{-128, 0};
    CHECK(vector_norm(std::span<const int8_t>(i8)) == 128.0);
    std::vector<std::complex<float>> zf{{3, 4}};
    CHECK(vector_norm(std::span<const std::complex<float>>(zf)) == 5.0f);
    std::vector<long double> ld{3, 4};
    CHECK(vector_norm(std::span<const long double>(ld)) == 5.0L);
    std::vector<double> big{1e300, 1e300};
    CHECK(vector_norm(std::span<const double>(big)) == 1.4142135623730951e300);
    std::vector<double> v{3, 4, 12};
    CHECK(vector_norm(std::span<const double>(v), 0.0) == 3.0);
    CHECK(vector_norm(std::span<const double>(v), -INFINITY) == 3.0);
    std::vector<double> empty;
    CHECK(status_of([&] { vector_norm(std::span<const double>(empty), -INFINITY); }) == NORMNATIVE_E_EMPTY);
    CHECK(status_of([&] { vector_norm(std::span<const double>(v), ord::fro()); }) == NORMNATIVE_E_ORD);

    std::vector<double> m{1, 2, 3, 4};
    CHECK(matrix_norm(std::span<const double>(m), 2, 2, ord::of(1)) == 6.0);
    CHECK(matrix_norm(std::span<const double>(m), 2, 2, ord::of(INFINITY)) == 7.0);
    CHECK(std::abs(matrix_norm(std::span<const double>(m), 2, 2, ord::nuc()) - std::sqrt(34.0)) < 1e-14);  // nuc^2 = fro^2 + 2|det|
    CHECK(status_of([&] { matrix_norm(std::span<const double>(m), 3, 2); }) == NORMNATIVE_E_INVALID);
    std::vector<double> nanm{1, NAN, 3, 4};
    CHECK(status_of([&] { matrix_norm(std::span<const double>(nanm), 2, 2, ord::of(2)); }) == NORMNATIVE_E_CONVERGENCE);
    try { matrix_norm(std::span<const double>(m), 2, 2, ord::of(0.5)); CHECK(false); }
    catch (const error& e) { CHECK(std::string(e.what()).find("p:") != std::string::npos); }

    // strided: column norms of the 2x3 matrix [[3, 5, 0], [4, 12, 0]] (reduce axis 0)
    std::vector<double> a{3, 5, 0, 4, 12, 0};
    const int64_t shape[2] = {2, 3}, strides[2] = {24, 8}, oshape[1] = {3}, ostrides[1] = {8};
    double cols[3] = {-1, -1, -1};
    view x{a.data(), shape, strides, NORMNATIVE_FLOAT64}, out{cols, oshape, ostrides, NORMNATIVE_FLOAT64};
    const int32_t ax0[1] = {0};
    CHECK(vector_norm(x, ax0, ord{}, out) == 0 && cols[0] == 5 && cols[1] == 13 && cols[2] == 0);
    const int32_t none[1] = {0};
    double same[6];
    const int64_t s6[2] = {24, 8};
    view all{same, shape, s6, NORMNATIVE_FLOAT64};
    CHECK(vector_norm(x, std::span<const int32_t>(none, 0), ord::of(1), all) == 0 && same[0] == 3 && same[4] == 12);  // axes = () : |x|
    const int32_t dup[2] = {1, -1};
    CHECK(status_of([&] { vector_norm(x, dup, ord{}, out); }) == NORMNATIVE_E_AXIS);
    CHECK(status_of([&] { vector_norm(x, ax0, ord{}, view{cols, oshape, ostrides, NORMNATIVE_FLOAT32}); }) == NORMNATIVE_E_OUTPUT);
    CHECK(status_of([&] { vector_norm(x, ax0, ord{}, view{a.data() + 1, oshape, ostrides, NORMNATIVE_FLOAT64}); }) == NORMNATIVE_E_ALIAS);
    double fro = 0;
    CHECK(matrix_norm(x, 0, 1, ord::fro(), view{&fro, {}, {}, NORMNATIVE_FLOAT64}) == 0 && fro == std::sqrt(194.0));
    CHECK(std::string(version()) == normnative_version_string());

    std::printf("hpp: %d passed, %d failed\n", passes, failures);
    return failures ? 1 : 0;
}
