/* NormNative from C: row norms of a strided matrix and a matrix norm, with error handling.
 * Build:  cc example.c $(pkg-config --cflags --libs normnative) -o example */
#include <math.h>
#include <stdio.h>
#include <normnative.h>

int main(void) {
    if (normnative_abi_version() != NORMNATIVE_ABI_VERSION) {
        fprintf(stderr, "header/library ABI mismatch\n");
        return 1;
    }
    /* A 2x3 row-major matrix; norms of its rows (reduce axis 1). */
    double m[2][3] = {{3, 4, 0}, {5, 0, 12}};
    int64_t shape[2] = {2, 3}, strides[2] = {3 * sizeof(double), sizeof(double)};
    normnative_array x = {m, shape, strides, 2, NORMNATIVE_FLOAT64, m, sizeof m};
    double rows[2];
    int64_t oshape[1] = {2}, ostrides[1] = {sizeof(double)};
    normnative_array out = {rows, oshape, ostrides, 1, NORMNATIVE_FLOAT64, rows, sizeof rows};
    int32_t axis = 1;
    int32_t st = normnative_vector_norm(&x, &axis, 1, NORMNATIVE_ORD_P, 2.0, &out, NULL);
    if (st != NORMNATIVE_OK) {
        fprintf(stderr, "vector_norm: %s (%s)\n", normnative_status_string(st), normnative_last_error());
        return 1;
    }
    printf("row norms: %g %g\n", rows[0], rows[1]);

    /* Frobenius norm of the whole matrix: sqrt(9+16+25+144) = sqrt(194). */
    double fro;
    normnative_array scalar = {&fro, NULL, NULL, 0, NORMNATIVE_FLOAT64, &fro, sizeof fro};
    st = normnative_matrix_norm(&x, 0, 1, NORMNATIVE_ORD_FRO, 0.0, &scalar, NULL);
    if (st != NORMNATIVE_OK) {
        fprintf(stderr, "matrix_norm: %s\n", normnative_last_error());
        return 1;
    }
    printf("frobenius: %.17g\n", fro);

    /* A bad call: the status says what, the message says which argument. */
    axis = 7;
    st = normnative_vector_norm(&x, &axis, 1, NORMNATIVE_ORD_P, 2.0, &out, NULL);
    printf("bad axis -> %d: %s\n", st, normnative_last_error());

    int ok = rows[0] == 5.0 && rows[1] == 13.0 && fro == sqrt(194.0) && st == NORMNATIVE_E_AXIS;
    printf("%s\n", ok ? "example OK" : "example WRONG");
    return ok ? 0 : 1;
}
