/* Regression: each norm export must work as the very first call into a freshly loaded library
 * (a stack buffer in an export's own frame once made the runtime's first-call initialisation
 * trip the stack-cookie check and abort). Usage: test_first_call vector|matrix|vector_dlpack|matrix_dlpack|threaded
 *
 * threaded: a first call large enough to start the worker pool (general p over 3000 columns of 4) — the caller runs
 * the kernels' class constructors while the new worker starts; before the library warmed the runtime's UTF-8
 * marshalling first (Workers.WarmRuntime), ~1 Python process in 7 aborted inside the runtime on such a call
 * (tests/python/test_first_threaded_call.py repeats it in 60 fresh processes; this lighter C process did not hit the
 * race in 1000 runs, so here it is one more first-call check). */
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
    if (!strcmp(which, "threaded")) {
        static double a[4 * 3000], res[3000];
        for (int i = 0; i < 4 * 3000; i++) a[i] = (i % 7) - 3 + 0.25 * (i % 5);
        int64_t ash[2] = {4, 3000}, ast[2] = {3000 * 8, 8}, rsh[1] = {3000}, rst[1] = {8};
        int32_t axis = 0;
        normnative_array xa = {a, ash, ast, 2, NORMNATIVE_FLOAT64, a, sizeof a};
        normnative_array ra = {res, rsh, rst, 1, NORMNATIVE_FLOAT64, res, sizeof res};
        st = normnative_set_num_threads(2) >= 0 ? normnative_vector_norm(&xa, &axis, 1, NORMNATIVE_ORD_P, 1.7, &ra, NULL) : -1;
        /* column 0 is (-3, 1, -2, 2) (a[i] for i = 0, 3000, 6000, 9000): its 1.7-norm is about 4.7 */
        printf("first call threaded: status %d, result %g\n", st, res[0]);
        return st == NORMNATIVE_OK && res[0] > 3 && res[0] < 7 ? 0 : 1;
    }
    if (!strcmp(which, "matrix")) st = normnative_matrix_norm(&x, 0, 1, NORMNATIVE_ORD_FRO, 0, &out, NULL);
    else if (!strcmp(which, "vector_dlpack")) st = normnative_vector_norm_dlpack(&t, NULL, NORMNATIVE_ALL_AXES, NORMNATIVE_ORD_P, 2, &out, NULL);
    else if (!strcmp(which, "matrix_dlpack")) st = normnative_matrix_norm_dlpack(&t, 0, 1, NORMNATIVE_ORD_FRO, 0, &out, NULL);
    else st = normnative_vector_norm(&x, NULL, NORMNATIVE_ALL_AXES, NORMNATIVE_ORD_P, 2, &out, NULL);
    printf("first call %s: status %d, result %g\n", which, st, r);
    return st == NORMNATIVE_OK && r == 5.0 ? 0 : 1;
}
