/* Regression: each norm export must work as the very first call into a freshly loaded library
 * (a stack buffer in an export's own frame once made the runtime's first-call initialisation
 * trip the stack-cookie check and abort). Usage: test_first_call vector|matrix|vector_dlpack|matrix_dlpack */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "normnative.h"
#include "normnative_dlpack.h"

int main(int argc, char** argv) {
    double m[4] = {3, 4, 0, 0}, r = -1;
    int64_t shape[2] = {2, 2}, strides[2] = {16, 8};
    normnative_array x = {m, shape, strides, 2, NORMNATIVE_FLOAT64, m, sizeof m};
    normnative_array out = {&r, NULL, NULL, 0, NORMNATIVE_FLOAT64, &r, sizeof r};
    normnative_dl_tensor t = {m, {NORMNATIVE_DL_CPU, 0}, 2, {NORMNATIVE_DL_FLOAT, 64, 1}, shape, NULL, 0};
    const char* which = argc > 1 ? argv[1] : "vector";
    int32_t st;
    if (!strcmp(which, "matrix")) st = normnative_matrix_norm(&x, 0, 1, NORMNATIVE_ORD_FRO, 0, &out, NULL);
    else if (!strcmp(which, "vector_dlpack")) st = normnative_vector_norm_dlpack(&t, NULL, NORMNATIVE_ALL_AXES, NORMNATIVE_ORD_P, 2, &out, NULL);
    else if (!strcmp(which, "matrix_dlpack")) st = normnative_matrix_norm_dlpack(&t, 0, 1, NORMNATIVE_ORD_FRO, 0, &out, NULL);
    else st = normnative_vector_norm(&x, NULL, NORMNATIVE_ALL_AXES, NORMNATIVE_ORD_P, 2, &out, NULL);
    printf("first call %s: status %d, result %g\n", which, st, r);
    return st == NORMNATIVE_OK && r == 5.0 ? 0 : 1;
}
