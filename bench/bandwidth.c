/* bandwidth.c — plain C read bandwidth (sum of doubles) with 1 and 2 threads: the ceiling a
 * memory-bound norm of a large array can reach on this machine.
 * Usage: bandwidth [MiB]   (default 512). Prints "threads=N GB/s=X" lines. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct { const double* p; size_t n; double sum; } job;

static void* reader(void* arg) {
    job* j = (job*)arg;
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = 0;
    for (; i + 4 <= j->n; i += 4) { s0 += j->p[i]; s1 += j->p[i + 1]; s2 += j->p[i + 2]; s3 += j->p[i + 3]; }
    for (; i < j->n; i++) s0 += j->p[i];
    j->sum = (s0 + s1) + (s2 + s3);
    return NULL;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char** argv) {
    size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 512;
    size_t n = mib * 1024 * 1024 / sizeof(double);
    double* a = malloc(n * sizeof(double));
    if (!a) { fprintf(stderr, "out of memory\n"); return 1; }
    for (size_t i = 0; i < n; i++) a[i] = (double)(i & 1023);
    double sink = 0;
    for (int threads = 1; threads <= 2; threads++) {
        double best = 1e30;
        for (int rep = 0; rep < 5; rep++) {
            pthread_t t[2];
            job jobs[2];
            double t0 = now();
            for (int k = 0; k < threads; k++) {
                jobs[k].p = a + k * (n / threads);
                jobs[k].n = k == threads - 1 ? n - k * (n / threads) : n / threads;
                pthread_create(&t[k], NULL, reader, &jobs[k]);
            }
            for (int k = 0; k < threads; k++) { pthread_join(t[k], NULL); sink += jobs[k].sum; }
            double dt = now() - t0;
            if (dt < best) best = dt;
        }
        printf("threads=%d GB/s=%.2f\n", threads, n * sizeof(double) / best / 1e9);
    }
    fprintf(stderr, "(checksum %g)\n", sink);
    free(a);
    return 0;
}
