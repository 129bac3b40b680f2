/* Leak check: RSS must stay flat over many calls (default 1e6), successes and failures mixed
 * (every failure formats a message into the thread's buffer). Also used under valgrind with a
 * small count. Usage: test_leak [calls] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "normnative.h"
#include "normnative_dlpack.h"

static long rss_kib(void) {
    long pages = 0, resident = 0;
    FILE* f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%ld %ld", &pages, &resident) != 2) { if (f) fclose(f); return -1; }
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* `calls` calls mixing successes and failures; returns the number of unexpected statuses. */
static long run_calls(long calls, const normnative_array* x, const normnative_array* out,
                      const normnative_array* sc, const normnative_dl_tensor* t) {
    int32_t ax = 1, badax = 5;
    long failures = 0;
    for (long i = 0; i < calls; i++) {
        int32_t st;
        switch (i % 5) {
        case 0: st = normnative_vector_norm(x, &ax, 1, NORMNATIVE_ORD_P, 2.0, out, NULL); failures += st != 0; break;
        case 1: st = normnative_matrix_norm(x, 0, 1, NORMNATIVE_ORD_FRO, 0, sc, NULL); failures += st != 0; break;
        case 2: st = normnative_vector_norm(x, &badax, 1, NORMNATIVE_ORD_P, 2.0, out, NULL); failures += st != NORMNATIVE_E_AXIS; break;
        case 3: st = normnative_vector_norm_dlpack(t, &ax, 1, NORMNATIVE_ORD_P, 2.0, out, NULL); failures += st != 0; break;
        default: st = normnative_matrix_norm(x, 0, 1, NORMNATIVE_ORD_P, 7.0, sc, NULL); failures += st != NORMNATIVE_E_ORD; break;
        }
    }
    return failures;
}

int main(int argc, char** argv) {
    long calls = argc > 1 ? atol(argv[1]) : 1000000;
    double m[12];
    for (int i = 0; i < 12; i++) m[i] = i - 5.5;
    int64_t shape[2] = {3, 4}, strides[2] = {32, 8}, oshape[1] = {3}, ostrides[1] = {8};
    double o[3], s;
    normnative_array x = {m, shape, strides, 2, NORMNATIVE_FLOAT64, m, sizeof m};
    normnative_array out = {o, oshape, ostrides, 1, NORMNATIVE_FLOAT64, o, sizeof o};
    normnative_array sc = {&s, NULL, NULL, 0, NORMNATIVE_FLOAT64, NULL, 0};
    normnative_dl_tensor t = {m, {NORMNATIVE_DL_CPU, 0}, 2, {NORMNATIVE_DL_FLOAT, 64, 1}, shape, NULL, 0};
    long failures = 0;
    /* Warm-up: the library's managed heap grows to its gen0 budget (set to 4 MiB in NormNative.csproj;
     * the runtime's default is tens of MiB on a machine with a large L3) before its first collection,
     * then stays flat. Run chunks of 1e5 calls until RSS
     * stops rising (at most 20 chunks; a leak never plateaus, so it still shows below), then
     * measure over `calls` more calls. A leak of even 8 bytes per call would be 7.6 MiB over 1e6. */
    long last = -1, warm_calls = 0;
    for (int chunk = 0; chunk < 20 && calls >= 100000; chunk++) {
        failures += run_calls(100000, &x, &out, &sc, &t);
        warm_calls += 100000;
        long now = rss_kib();
        if (now == last) break;
        last = now;
    }
    long rss_warm = rss_kib();
    failures += run_calls(calls, &x, &out, &sc, &t);
    long rss_end = rss_kib();
    long growth = rss_end - rss_warm;
    printf("leak: %ld warm-up calls, then %ld calls: RSS %ld KiB -> %ld KiB (growth %ld KiB), %ld unexpected statuses\n",
           warm_calls, calls, rss_warm, rss_end, growth, failures);
    /* The whole process (libc, the library's code and the managed heap) stays small: the gen0
     * budget is configured, not left at the cache-derived default (~85 MiB RSS here without it). */
    long cap = getenv("DOTNET_GCgen0size") ? 1L << 30 : 32L * 1024;
    if (calls >= 100000 && rss_end > cap)
        printf("leak: RSS %ld KiB exceeds %ld KiB: is the GC gen0 budget (GCgen0size) embedded?\n", rss_end, cap);
    return failures == 0 && (calls < 100000 || (growth < 2048 && rss_end <= cap)) ? 0 : 1;
}
