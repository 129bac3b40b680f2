/* C consumer test: compiled against normnative.h, linked with -lnormnative. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "normnative.h"

static int failures = 0, passes = 0;
#define CHECK(cond, ...) do { if (cond) passes++; else { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static double norm1d(const double* x, int64_t n, int64_t stride_bytes, double p, int32_t* status) {
    int64_t shape[1] = {n}, strides[1] = {stride_bytes};
    double out = -1;
    normnative_array xa = {(void*)x, shape, strides, 1, NORMNATIVE_FLOAT64, NULL, 0};
    normnative_array oa = {&out, NULL, NULL, 0, NORMNATIVE_FLOAT64, NULL, 0};
    *status = normnative_vector_norm(&xa, NULL, NORMNATIVE_ALL_AXES, NORMNATIVE_ORD_P, p, &oa, NULL);
    return out;
}

int main(void) {
    int32_t st;
    CHECK(normnative_version_number() == NORMNATIVE_VERSION_NUMBER, "version %u vs header %d", normnative_version_number(), NORMNATIVE_VERSION_NUMBER);
    CHECK(normnative_abi_version() == NORMNATIVE_ABI_VERSION, "abi");
    CHECK(strcmp(normnative_last_error(), "") == 0, "no error yet");

    double v[3] = {3.0, 4.0, 12.0};
    CHECK(norm1d(v, 3, 8, 2.0, &st) == 13.0 && st == NORMNATIVE_OK, "3-4-12 = 13 (status %d)", st);
    CHECK(norm1d(v + 2, 3, -8, 2.0, &st) == 13.0 && st == NORMNATIVE_OK, "reversed");
    double big[2] = {1e200, 1e200};
    double r = norm1d(big, 2, 8, 2.0, &st);
    CHECK(st == NORMNATIVE_OK && r == 1.4142135623730951e200, "no overflow: %.17g", r);

    /* 2-D: row norms of a 2x3 matrix, axis 1 */
    double m[6] = {3, 4, 0, 5, 12, 0};
    int64_t shape[2] = {2, 3}, strides[2] = {24, 8}, oshape[1] = {2}, ostrides[1] = {8};
    double out[2] = {0, 0};
    normnative_array xa = {m, shape, strides, 2, NORMNATIVE_FLOAT64, NULL, 0};
    normnative_array oa = {out, oshape, ostrides, 1, NORMNATIVE_FLOAT64, NULL, 0};
    int32_t axis = 1;
    st = normnative_vector_norm(&xa, &axis, 1, NORMNATIVE_ORD_P, 2.0, &oa, NULL);
    CHECK(st == NORMNATIVE_OK && out[0] == 5.0 && out[1] == 13.0, "rows: %d %g %g", st, out[0], out[1]);

    /* error paths: each gives a status and a message naming the argument */
    st = normnative_vector_norm(NULL, NULL, NORMNATIVE_ALL_AXES, NORMNATIVE_ORD_P, 2.0, &oa, NULL);
    CHECK(st == NORMNATIVE_E_NULL && strstr(normnative_last_error(), "x") != NULL, "null x: %d '%s'", st, normnative_last_error());
    int64_t negshape[1] = {-3};
    normnative_array bad = {v, negshape, strides, 1, NORMNATIVE_FLOAT64, NULL, 0};
    double o1;
    normnative_array o1a = {&o1, NULL, NULL, 0, NORMNATIVE_FLOAT64, NULL, 0};
    st = normnative_vector_norm(&bad, NULL, NORMNATIVE_ALL_AXES, NORMNATIVE_ORD_P, 2.0, &o1a, NULL);
    CHECK(st == NORMNATIVE_E_INVALID && strstr(normnative_last_error(), "negative") != NULL, "negative extent: %d '%s'", st, normnative_last_error());
    axis = 5;
    st = normnative_vector_norm(&xa, &axis, 1, NORMNATIVE_ORD_P, 2.0, &oa, NULL);
    CHECK(st == NORMNATIVE_E_AXIS, "bad axis: %d '%s'", st, normnative_last_error());
    bad.dtype = 99; bad.shape = shape;
    st = normnative_vector_norm(&bad, NULL, NORMNATIVE_ALL_AXES, NORMNATIVE_ORD_P, 2.0, &o1a, NULL);
    CHECK(st == NORMNATIVE_E_DTYPE, "bad dtype: %d", st);
    CHECK(strcmp(normnative_status_string(NORMNATIVE_E_AXIS), "invalid axis") == 0, "status string");
    CHECK(normnative_status_string(12345) != NULL, "unknown status string not NULL");
    /* success clears the message */
    norm1d(v, 3, 8, 2.0, &st);
    CHECK(strcmp(normnative_last_error(), "") == 0, "cleared after success");

    printf("%d passed, %d failed\n", passes, failures);
    return failures ? 1 : 0;
}
