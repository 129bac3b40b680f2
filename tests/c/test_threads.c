/* Concurrency stress: many pthreads make mixed calls (dtypes, strides, axes, orders, errors,
 * large and mid-size inputs that use the library's own worker threads) while the main thread keeps changing
 * normnative_set_num_threads; every result, status, FP event set and error message must be
 * bit-identical to the same call made serially on one thread. */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "normnative.h"

#define MAXCASES 256
#define OUTBYTES 4096

typedef struct {
    int matrix;                 /* 0 vector, 1 matrix */
    normnative_array x;
    int64_t xshape[4], xstrides[4];
    int32_t axes[4], naxes, row, col;
    int32_t kind; double p;
    int64_t oshape[4], ostrides[4];
    int32_t ondim, odtype;
    /* serial reference */
    int32_t status; uint32_t events; unsigned char out[OUTBYTES]; char msg[1024];
} testcase;

static testcase cases[MAXCASES];
static int ncases;
static unsigned char* pool;     /* input bytes shared read-only by every thread */
static size_t pool_size;

static int itemsize(int dt) {
    switch (dt) {
    case NORMNATIVE_BOOL: case NORMNATIVE_INT8: case NORMNATIVE_UINT8: return 1;
    case NORMNATIVE_INT16: case NORMNATIVE_UINT16: case NORMNATIVE_FLOAT16: return 2;
    case NORMNATIVE_INT32: case NORMNATIVE_UINT32: case NORMNATIVE_FLOAT32: return 4;
    case NORMNATIVE_COMPLEX128: case NORMNATIVE_LONGDOUBLE: return 16;
    case NORMNATIVE_CLONGDOUBLE: return 32;
    default: return 8;
    }
}
static int resdtype(int dt) {
    switch (dt) {
    case NORMNATIVE_FLOAT16: return NORMNATIVE_FLOAT16;
    case NORMNATIVE_FLOAT32: case NORMNATIVE_COMPLEX64: return NORMNATIVE_FLOAT32;
    case NORMNATIVE_LONGDOUBLE: case NORMNATIVE_CLONGDOUBLE: return NORMNATIVE_LONGDOUBLE;
    default: return NORMNATIVE_FLOAT64;
    }
}

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

/* Adds a case over `nd` axes of extents `shape`, starting at a random offset in the pool with
 * C-order strides scaled by `step` (negative = reversed along axis 0). */
static void add_case(int matrix, int dt, int nd, const int64_t* shape, int step, int naxes, int32_t kind, double p) {
    testcase* c = &cases[ncases++];
    memset(c, 0, sizeof *c);
    c->matrix = matrix;
    int64_t isz = itemsize(dt), s = isz * (step < 0 ? -step : step);
    for (int i = nd - 1; i >= 0; i--) { c->xshape[i] = shape[i]; c->xstrides[i] = s; s *= shape[i]; }
    unsigned char* base = pool + (next() % 64);     /* unaligned on purpose */
    if (step < 0 && nd > 0) { base += (shape[0] - 1) * c->xstrides[0]; c->xstrides[0] = -c->xstrides[0]; }
    c->x = (normnative_array){base, c->xshape, c->xstrides, nd, dt, pool, (int64_t)pool_size};
    c->kind = kind; c->p = p;
    c->naxes = naxes;
    uint64_t mask = 0;
    if (matrix) { c->row = nd - 2; c->col = nd - 1; mask = 3ull << (nd - 2); }
    else if (naxes == NORMNATIVE_ALL_AXES) mask = (1ull << nd) - 1;
    else for (int i = 0; i < naxes; i++) { c->axes[i] = (int32_t)(nd - 1 - i); mask |= 1ull << (nd - 1 - i); }
    int64_t os = itemsize(resdtype(dt));
    c->ondim = 0;
    for (int i = 0; i < nd; i++) if (!(mask >> i & 1)) c->oshape[c->ondim++] = shape[i];
    for (int i = c->ondim - 1; i >= 0; i--) { c->ostrides[i] = os; os *= c->oshape[i]; }
    if (os > OUTBYTES) { fprintf(stderr, "case too big\n"); exit(2); }
    c->odtype = resdtype(dt);
}

static int32_t run(testcase* c, unsigned char* out, uint32_t* ev) {
    normnative_array o = {out, c->oshape, c->ostrides, c->ondim, c->odtype, out, OUTBYTES};
    if (c->matrix) return normnative_matrix_norm(&c->x, c->row, c->col, c->kind, c->p, &o, ev);
    return normnative_vector_norm(&c->x, c->naxes == NORMNATIVE_ALL_AXES ? NULL : c->axes, c->naxes, c->kind, c->p, &o, ev);
}

static int iterations = 3000;
static volatile int stop_flag;

static void* worker(void* arg) {
    uint64_t s = (uint64_t)(uintptr_t)arg * 0x2545F4914F6CDD1Du + 1;
    long bad = 0;
    unsigned char* out = malloc(OUTBYTES);
    for (int it = 0; it < iterations; it++) {
        s ^= s << 13; s ^= s >> 7; s ^= s << 17;
        testcase* c = &cases[s % (uint64_t)ncases];
        memset(out, 0xA5, OUTBYTES);
        uint32_t ev = 0;
        int32_t st = run(c, out, &ev);
        const char* msg = normnative_last_error();
        if (st != c->status || ev != c->events || memcmp(out, c->out, OUTBYTES) != 0 || strcmp(msg, c->msg) != 0) {
            if (bad++ < 5)
                fprintf(stderr, "thread mismatch case %ld: status %d/%d events %u/%u msg '%s'/'%s'\n",
                        (long)(c - cases), st, c->status, ev, c->events, msg, c->msg);
        }
    }
    free(out);
    return (void*)bad;
}

int main(int argc, char** argv) {
    int nthreads = argc > 1 ? atoi(argv[1]) : 8;
    if (argc > 2) iterations = atoi(argv[2]);
    pool_size = (size_t)1 << 24;
    pool = malloc(pool_size);
    for (size_t i = 0; i < pool_size; i += 8) {   /* finite float64 values; other dtypes read these bytes as theirs */
        double d = ((double)(next() >> 11) / 9007199254740992.0 - 0.5) * 1e3;
        memcpy(pool + i, &d, 8);
    }
    const int dts[] = {NORMNATIVE_FLOAT64, NORMNATIVE_FLOAT32, NORMNATIVE_INT32, NORMNATIVE_INT8, NORMNATIVE_UINT64,
                       NORMNATIVE_COMPLEX128, NORMNATIVE_COMPLEX64, NORMNATIVE_BOOL, NORMNATIVE_INT16};
    const double ps[] = {2.0, 1.0, INFINITY, -INFINITY, 0.0, 3.5, -1.0};
    int64_t s1[1] = {1000}, s2[2] = {17, 31}, s3[3] = {4, 5, 6};
    for (size_t d = 0; d < sizeof dts / sizeof *dts; d++) {
        add_case(0, dts[d], 1, s1, 1, NORMNATIVE_ALL_AXES, NORMNATIVE_ORD_P, 2.0);
        add_case(0, dts[d], 2, s2, -3, 1, NORMNATIVE_ORD_P, ps[d % 7]);
        add_case(0, dts[d], 3, s3, 2, 2, NORMNATIVE_ORD_P, ps[(d + 3) % 7]);
        add_case(1, dts[d], 3, s3, 1, 0, NORMNATIVE_ORD_FRO, 0);
        add_case(1, dts[d], 2, s2, -1, 0, NORMNATIVE_ORD_P, ps[(d + 1) % 4]);
    }
    for (size_t k = 0; k < sizeof ps / sizeof *ps; k++) add_case(0, NORMNATIVE_FLOAT64, 2, s2, 1, 1, NORMNATIVE_ORD_P, ps[k]);
    int64_t big[1] = {(int64_t)(pool_size / 8 - 16)};
    add_case(0, NORMNATIVE_FLOAT64, 1, big, 1, NORMNATIVE_ALL_AXES, NORMNATIVE_ORD_P, 2.0);  /* large: internal threads */
    int64_t bigf[1] = {(int64_t)(pool_size / 4 - 32)};
    add_case(0, NORMNATIVE_FLOAT32, 1, bigf, 1, NORMNATIVE_ALL_AXES, NORMNATIVE_ORD_P, 2.0);
    /* mid-size calls that split their work over the library's workers (one caller owns them, the others run
     * their parts inline): rows of a (500, 1000) array, its matrix 1/inf norms, a 3-D array over its last two axes, 1e6 ord 1 */
    int64_t rows[2] = {500, 1000}, slab[3] = {20, 100, 160}, mid[1] = {1000000};
    for (int k = 0; k < 3; k++) add_case(0, NORMNATIVE_FLOAT64, 2, rows, 1, 1, NORMNATIVE_ORD_P, ps[k]);
    add_case(0, NORMNATIVE_FLOAT32, 2, rows, 1, 1, NORMNATIVE_ORD_P, 3.0);
    add_case(1, NORMNATIVE_FLOAT64, 2, rows, 1, 0, NORMNATIVE_ORD_P, 1.0);
    add_case(1, NORMNATIVE_FLOAT64, 2, rows, -1, 0, NORMNATIVE_ORD_P, INFINITY);
    add_case(0, NORMNATIVE_FLOAT64, 3, slab, 1, 2, NORMNATIVE_ORD_P, 2.0);
    add_case(0, NORMNATIVE_FLOAT64, 1, mid, 1, NORMNATIVE_ALL_AXES, NORMNATIVE_ORD_P, 1.0);
    /* failures: out of range axis, bad ord kind, wrong output rank */
    add_case(0, NORMNATIVE_FLOAT64, 2, s2, 1, 1, NORMNATIVE_ORD_P, 2.0); cases[ncases - 1].axes[0] = 9;
    add_case(0, NORMNATIVE_FLOAT64, 2, s2, 1, 1, 9, 2.0);
    add_case(0, NORMNATIVE_FLOAT64, 2, s2, 1, 1, NORMNATIVE_ORD_P, 2.0); cases[ncases - 1].ondim = 0;
    add_case(1, NORMNATIVE_FLOAT64, 2, s2, 1, 0, NORMNATIVE_ORD_P, 3.0);

    int ok_cases = 0;
    for (int i = 0; i < ncases; i++) {
        memset(cases[i].out, 0xA5, OUTBYTES);
        cases[i].status = run(&cases[i], cases[i].out, &cases[i].events);
        snprintf(cases[i].msg, sizeof cases[i].msg, "%s", normnative_last_error());
        ok_cases += cases[i].status == NORMNATIVE_OK;
    }
    pthread_t th[64];
    if (nthreads > 64) nthreads = 64;
    for (int i = 0; i < nthreads; i++) pthread_create(&th[i], NULL, worker, (void*)(uintptr_t)(i + 1));
    /* meanwhile: vary the library's own thread count; results must not depend on it */
    for (int k = 0; k < 200; k++) normnative_set_num_threads(1 + k % 4);
    long bad = 0;
    for (int i = 0; i < nthreads; i++) { void* r; pthread_join(th[i], &r); bad += (long)r; }
    normnative_set_num_threads(0);
    printf("threads: %d threads x %d calls over %d cases (%d succeed, %d fail by design): %ld mismatches\n",
           nthreads, iterations, ncases, ok_cases, ncases - ok_cases, bad);
    free(pool);
    return bad == 0 && ok_cases >= 20 ? 0 : 1;
}
