// NormNative from C++20: std::span in, exceptions out.
// Build:  c++ -std=c++20 example.cpp $(pkg-config --cflags --libs normnative) -o example_cpp
#include <cmath>
#include <complex>
#include <cstdio>
#include <span>
#include <vector>
#include <normnative.hpp>

int main() {
    std::printf("libnormnative %s\n", normnative::version());
    std::vector<double> v{3, 4, 12};
    double n2 = normnative::vector_norm(std::span<const double>(v));
    double n1 = normnative::vector_norm(std::span<const double>(v), 1.0);
    double ninf = normnative::vector_norm(std::span<const double>(v), normnative::ord::of(INFINITY));
    std::vector<float> a{1, 2, 3, 4, 5, 6};                        // 2 x 3, row-major
    float fro = normnative::matrix_norm(std::span<const float>(a), 2, 3);
    std::vector<std::complex<double>> z{{3, 4}, {0, 12}};
    double nz = normnative::vector_norm(std::span<const std::complex<double>>(z));
    std::printf("2-norm %g, 1-norm %g, inf-norm %g, frobenius(float) %.9g, complex %g\n", n2, n1, ninf, fro, nz);

    // Strided view: every other element of v, read backwards (byte strides).
    const int64_t shape[1] = {2}, strides[1] = {-2 * int64_t(sizeof(double))};
    double r = 0;
    normnative::view x{&v[2], shape, strides, NORMNATIVE_FLOAT64};
    normnative::view out{&r, {}, {}, NORMNATIVE_FLOAT64};
    normnative::vector_norm(x, normnative::ord{}, out);
    std::printf("strided [12, 3]: %.17g\n", r);

    bool threw = false;
    try {
        normnative::matrix_norm(std::span<const float>(a), 2, 3, normnative::ord::of(3.0));
    } catch (const normnative::error& e) {
        threw = e.status() == NORMNATIVE_E_ORD;
        std::printf("ord 3 for a matrix -> %d: %s\n", e.status(), e.what());
    }
    bool ok = n2 == 13.0 && n1 == 19.0 && ninf == 12.0 && fro == std::sqrt(91.0f) && nz == 13.0 && r == std::sqrt(153.0) && threw;
    std::printf("%s\n", ok ? "example OK" : "example WRONG");
    return ok ? 0 : 1;
}
