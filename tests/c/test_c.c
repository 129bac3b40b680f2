/* C consumer test: compiled against normnative.h, linked with -lnormnative. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "normnative.h"
#include "normnative_dlpack.h"

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

/* expect status st and a message containing `name` */
#define EXPECT(call, want, name) do { \
    int32_t st_ = (call); const char* m_ = normnative_last_error(); \
    CHECK(st_ == (want) && m_ != NULL && strstr(m_, (name)) != NULL, "%s -> %d (want %d) '%s' should name '%s'", #call, st_, (want), m_ ? m_ : "(null)", (name)); \
} while (0)

static void adversarial(void) {
    double v[6] = {3, 4, 0, 5, 12, 0};
    int64_t sh1[1] = {6}, st1[1] = {8};
    double o = -7.0;
    uint32_t ev = 0xdeadu;
    normnative_array x = {v, sh1, st1, 1, NORMNATIVE_FLOAT64, NULL, 0};
    normnative_array out = {&o, NULL, NULL, 0, NORMNATIVE_FLOAT64, NULL, 0};
#define VN(xp, op) normnative_vector_norm((xp), NULL, NORMNATIVE_ALL_AXES, NORMNATIVE_ORD_P, 2.0, (op), &ev)

    /* NULL pointers */
    EXPECT(VN(&x, NULL), NORMNATIVE_E_NULL, "out");
    normnative_array t = x; t.shape = NULL;
    EXPECT(VN(&t, &out), NORMNATIVE_E_NULL, "x: shape");
    t = x; t.data = NULL;
    EXPECT(VN(&t, &out), NORMNATIVE_E_NULL, "x: data");
    { int64_t z[1] = {0}; t.shape = z;  /* an empty array may have NULL data */
      CHECK(VN(&t, &out) == NORMNATIVE_OK && o == 0.0, "empty with NULL data: %g", o); o = -7.0; }
    normnative_array on = out; on.data = NULL;
    EXPECT(VN(&x, &on), NORMNATIVE_E_NULL, "out: data");
    EXPECT(normnative_vector_norm(&x, NULL, 1, NORMNATIVE_ORD_P, 2.0, &out, &ev), NORMNATIVE_E_NULL, "axes");

    /* ndim, extents, overflow */
    t = x; t.ndim = -1;  EXPECT(VN(&t, &out), NORMNATIVE_E_INVALID, "x: ndim");
    t = x; t.ndim = 65;  EXPECT(VN(&t, &out), NORMNATIVE_E_INVALID, "x: ndim");
    on = out; on.ndim = -5; EXPECT(VN(&x, &on), NORMNATIVE_E_INVALID, "out: ndim");
    { int64_t s[1] = {-1}; t = x; t.shape = s; EXPECT(VN(&t, &out), NORMNATIVE_E_INVALID, "shape[0]"); }
    { int64_t s[1] = {INT64_C(1) << 40}, d[1] = {INT64_C(1) << 40}; t = x; t.shape = s; t.strides = d;
      EXPECT(VN(&t, &out), NORMNATIVE_E_INVALID, "overflow"); }
    { int64_t s[2] = {INT64_C(1) << 32, INT64_C(1) << 32}, d[2] = {0, 0}; t = x; t.shape = s; t.strides = d; t.ndim = 2;
      EXPECT(VN(&t, &out), NORMNATIVE_E_INVALID, "count"); }
    { int64_t s[1] = {INT64_MAX}, d[1] = {-INT64_C(8)}; t = x; t.shape = s; t.strides = d;
      EXPECT(VN(&t, &out), NORMNATIVE_E_INVALID, "overflow"); }
    { int64_t s[1] = {3}, d[1] = {INT64_MAX / 2}; t = x; t.shape = s; t.strides = d;   /* the address would wrap */
      EXPECT(VN(&t, &out), NORMNATIVE_E_INVALID, "x"); }

    /* dtype and ord codes */
    t = x; t.dtype = 0;  EXPECT(VN(&t, &out), NORMNATIVE_E_DTYPE, "x: unknown dtype");
    t = x; t.dtype = 17; EXPECT(VN(&t, &out), NORMNATIVE_E_DTYPE, "x: unknown dtype");
    on = out; on.dtype = -3; EXPECT(VN(&x, &on), NORMNATIVE_E_DTYPE, "out: unknown dtype");
    EXPECT(normnative_vector_norm(&x, NULL, NORMNATIVE_ALL_AXES, 3, 2.0, &out, &ev), NORMNATIVE_E_ORD, "ord_kind");
    EXPECT(normnative_vector_norm(&x, NULL, NORMNATIVE_ALL_AXES, -1, 2.0, &out, &ev), NORMNATIVE_E_ORD, "ord_kind");
    EXPECT(normnative_vector_norm(&x, NULL, NORMNATIVE_ALL_AXES, NORMNATIVE_ORD_FRO, 0, &out, &ev), NORMNATIVE_E_ORD, "ord_kind");

    /* axes */
    int64_t sh2[2] = {2, 3}, st2[2] = {24, 8};
    normnative_array m = {v, sh2, st2, 2, NORMNATIVE_FLOAT64, v, sizeof v};
    int64_t osh[1] = {2}, ost[1] = {8};
    double o2[2] = {-7, -7};
    normnative_array out2 = {o2, osh, ost, 1, NORMNATIVE_FLOAT64, o2, sizeof o2};
    int32_t dup[2] = {1, -1}, three[3] = {0, 1, 0}, neg[1] = {-3};
    EXPECT(normnative_vector_norm(&m, dup, 2, NORMNATIVE_ORD_P, 2.0, &out, &ev), NORMNATIVE_E_AXIS, "axes[1]: repeated");
    EXPECT(normnative_vector_norm(&m, three, 3, NORMNATIVE_ORD_P, 2.0, &out, &ev), NORMNATIVE_E_AXIS, "naxes");
    EXPECT(normnative_vector_norm(&m, three, -2, NORMNATIVE_ORD_P, 2.0, &out, &ev), NORMNATIVE_E_AXIS, "naxes");
    EXPECT(normnative_vector_norm(&m, neg, 1, NORMNATIVE_ORD_P, 2.0, &out2, &ev), NORMNATIVE_E_AXIS, "axes[0]");
    EXPECT(normnative_matrix_norm(&m, 0, -2, NORMNATIVE_ORD_FRO, 0, &out, &ev), NORMNATIVE_E_AXIS, "row_axis and col_axis");
    EXPECT(normnative_matrix_norm(&m, 2, 1, NORMNATIVE_ORD_FRO, 0, &out, &ev), NORMNATIVE_E_AXIS, "row_axis");
    EXPECT(normnative_matrix_norm(&m, 0, -3, NORMNATIVE_ORD_FRO, 0, &out, &ev), NORMNATIVE_E_AXIS, "col_axis");
    EXPECT(normnative_matrix_norm(&x, 0, 0, NORMNATIVE_ORD_FRO, 0, &out, &ev), NORMNATIVE_E_AXIS, "ndim 1");
    EXPECT(normnative_matrix_norm(&m, 0, 1, NORMNATIVE_ORD_P, 3.0, &out, &ev), NORMNATIVE_E_ORD, "p: 3");
    EXPECT(normnative_matrix_norm(&m, 0, 1, NORMNATIVE_ORD_P, NAN, &out, &ev), NORMNATIVE_E_ORD, "p: NaN");
    EXPECT(normnative_matrix_norm(&m, 0, 1, 7, 0, &out, &ev), NORMNATIVE_E_ORD, "ord_kind");

    /* output descriptor */
    int32_t ax1 = 1;
    on = out2; on.dtype = NORMNATIVE_FLOAT32;
    EXPECT(normnative_vector_norm(&m, &ax1, 1, NORMNATIVE_ORD_P, 2.0, &on, &ev), NORMNATIVE_E_OUTPUT, "out: dtype");
    { int64_t bad[1] = {3}; on = out2; on.shape = bad; on.range_base = NULL;
      EXPECT(normnative_vector_norm(&m, &ax1, 1, NORMNATIVE_ORD_P, 2.0, &on, &ev), NORMNATIVE_E_OUTPUT, "out: shape"); }
    EXPECT(normnative_vector_norm(&m, &ax1, 1, NORMNATIVE_ORD_P, 2.0, &out, &ev), NORMNATIVE_E_OUTPUT, "out: shape");
    { int64_t keep[2] = {2, 1}, ks[2] = {8, 8}; on = out2; on.shape = keep; on.strides = ks; on.ndim = 2; /* keepdims */
      CHECK(normnative_vector_norm(&m, &ax1, 1, NORMNATIVE_ORD_P, 2.0, &on, &ev) == NORMNATIVE_OK && o2[0] == 5 && o2[1] == 13, "keepdims"); }
    CHECK(ev == 0, "fp_events cleared on success: %u", ev);

    /* aliasing: out inside x is rejected, out right after x is fine */
    double buf[4] = {3, 4, 0, 0};
    int64_t s2[1] = {2}, d8[1] = {8};
    normnative_array xb = {buf, s2, d8, 1, NORMNATIVE_FLOAT64, NULL, 0};
    normnative_array ob = {&buf[1], NULL, NULL, 0, NORMNATIVE_FLOAT64, NULL, 0};
    EXPECT(VN(&xb, &ob), NORMNATIVE_E_ALIAS, "out");
    CHECK(buf[1] == 4.0, "nothing written on alias");
    ob.data = &buf[2];
    CHECK(VN(&xb, &ob) == NORMNATIVE_OK && buf[2] == 5.0, "adjacent output is not aliasing");
    ob.data = (char*)&buf[1] + 4;  /* partial overlap */
    EXPECT(VN(&xb, &ob), NORMNATIVE_E_ALIAS, "overlaps");

    /* declared byte range, input and output */
    ev = 0xdeadu; o = -7;
    t = x; t.range_base = v; t.range_length = sizeof v;
    CHECK(VN(&t, &out) == NORMNATIVE_OK && o == sqrt(194.0), "exact range ok: %g", o);
    o = -7; t.range_length = sizeof v - 1;
    EXPECT(VN(&t, &out), NORMNATIVE_E_RANGE, "x: elements span");
    CHECK(o == -7.0 && ev == 0, "nothing written on range failure (out %g, ev %u)", o, ev);
    t.range_base = &v[1]; t.range_length = 5 * 8;
    EXPECT(VN(&t, &out), NORMNATIVE_E_RANGE, "x");
    { int64_t rs[1] = {-8}; t = x; t.data = &v[5]; t.strides = rs; t.range_base = v; t.range_length = sizeof v;
      CHECK(VN(&t, &out) == NORMNATIVE_OK && o == sqrt(194.0), "negative stride inside range"); o = -7;
      t.range_base = &v[1]; t.range_length = 5 * 8; EXPECT(VN(&t, &out), NORMNATIVE_E_RANGE, "x"); }
    t = x; t.range_base = v; t.range_length = -1;
    EXPECT(VN(&t, &out), NORMNATIVE_E_INVALID, "range_length");
    t = x; t.range_base = (const void*)(uintptr_t)(UINTPTR_MAX - 15); t.range_length = 64;  /* range wraps */
    EXPECT(VN(&t, &out), NORMNATIVE_E_RANGE, "x");
    on = out; on.range_base = &o; on.range_length = 7;
    EXPECT(VN(&x, &on), NORMNATIVE_E_RANGE, "out");
    CHECK(o == -7.0, "output untouched when its range is too small");
    on.range_length = 8;
    CHECK(VN(&x, &on) == NORMNATIVE_OK && o == sqrt(194.0), "output range exact");

    /* last_error and status strings never NULL */
    for (int code = -120; code <= 20; code++) CHECK(normnative_status_string(code) != NULL, "status %d", code);
    CHECK(normnative_last_error() != NULL && normnative_last_error()[0] == 0, "message empty after success");
    CHECK(normnative_get_num_threads() >= 1, "threads");
#undef VN
}

static void dlpack(void) {
    double m[6] = {3, 4, 0, 5, 12, 0};
    int64_t shape[2] = {2, 3};
    normnative_dl_tensor t = {m, {NORMNATIVE_DL_CPU, 0}, 2, {NORMNATIVE_DL_FLOAT, 64, 1}, shape, NULL, 0};
    double o[2] = {-1, -1};
    int64_t osh[1] = {2}, ost[1] = {8};
    normnative_array out = {o, osh, ost, 1, NORMNATIVE_FLOAT64, o, sizeof o};
    int32_t ax = 1;
    int32_t st = normnative_vector_norm_dlpack(&t, &ax, 1, NORMNATIVE_ORD_P, 2.0, &out, NULL);
    CHECK(st == NORMNATIVE_OK && o[0] == 5 && o[1] == 13, "dlpack compact rows: %d %g %g", st, o[0], o[1]);
    int64_t es[2] = {1, 2};  /* element strides: the transposed view of a 3x2 buffer */
    int64_t shape2[2] = {2, 3};
    double mt[6] = {3, 5, 4, 12, 0, 0};
    normnative_dl_tensor tt = {mt, {NORMNATIVE_DL_CPU, 0}, 2, {NORMNATIVE_DL_FLOAT, 64, 1}, shape2, es, 0};
    o[0] = o[1] = -1;
    st = normnative_vector_norm_dlpack(&tt, &ax, 1, NORMNATIVE_ORD_P, 2.0, &out, NULL);
    CHECK(st == NORMNATIVE_OK && o[0] == 5 && o[1] == 13, "dlpack strided: %d %g %g", st, o[0], o[1]);
    /* byte_offset honoured, negative element stride */
    int64_t s1[1] = {3}, neg[1] = {-1};
    normnative_dl_tensor tv = {m, {NORMNATIVE_DL_CPU, 0}, 1, {NORMNATIVE_DL_FLOAT, 64, 1}, s1, neg, 2 * sizeof(double)};
    double r = -1;
    normnative_array sc = {&r, NULL, NULL, 0, NORMNATIVE_FLOAT64, NULL, 0};
    st = normnative_vector_norm_dlpack(&tv, NULL, NORMNATIVE_ALL_AXES, NORMNATIVE_ORD_P, 2.0, &sc, NULL);
    CHECK(st == NORMNATIVE_OK && r == 5.0, "dlpack byte_offset + negative stride: %d %g", st, r);
    st = normnative_matrix_norm_dlpack(&t, 0, 1, NORMNATIVE_ORD_FRO, 0, &sc, NULL);
    CHECK(st == NORMNATIVE_OK && r == sqrt(194.0), "dlpack matrix fro: %d %.17g", st, r);
    float f[3] = {3, 4, 12};
    float rf = -1;
    normnative_dl_tensor tf = {f, {NORMNATIVE_DL_CPU, 0}, 1, {NORMNATIVE_DL_FLOAT, 32, 1}, s1, NULL, 0};
    normnative_array scf = {&rf, NULL, NULL, 0, NORMNATIVE_FLOAT32, NULL, 0};
    st = normnative_vector_norm_dlpack(&tf, NULL, NORMNATIVE_ALL_AXES, NORMNATIVE_ORD_P, 2.0, &scf, NULL);
    CHECK(st == NORMNATIVE_OK && rf == 13.0f, "dlpack float32");

    EXPECT(normnative_vector_norm_dlpack(NULL, NULL, -1, 0, 2.0, &sc, NULL), NORMNATIVE_E_NULL, "x");
    normnative_dl_tensor b = tv; b.device.device_type = 2;  /* kDLCUDA */
    EXPECT(normnative_vector_norm_dlpack(&b, NULL, -1, 0, 2.0, &sc, NULL), NORMNATIVE_E_INVALID, "device_type");
    b = tv; b.dtype.lanes = 4;
    EXPECT(normnative_vector_norm_dlpack(&b, NULL, -1, 0, 2.0, &sc, NULL), NORMNATIVE_E_DTYPE, "lanes");
    b = tv; b.dtype.code = 4; b.dtype.bits = 16;  /* bfloat16 */
    EXPECT(normnative_vector_norm_dlpack(&b, NULL, -1, 0, 2.0, &sc, NULL), NORMNATIVE_E_DTYPE, "code 4");
    b = tv; b.ndim = 99;
    EXPECT(normnative_vector_norm_dlpack(&b, NULL, -1, 0, 2.0, &sc, NULL), NORMNATIVE_E_INVALID, "ndim");
    { int64_t huge[1] = {INT64_MAX / 4}; b = tv; b.strides = huge;
      EXPECT(normnative_vector_norm_dlpack(&b, NULL, -1, 0, 2.0, &sc, NULL), NORMNATIVE_E_INVALID, "overflow"); }
    b = tv; b.byte_offset = UINT64_MAX - 8;
    EXPECT(normnative_vector_norm_dlpack(&b, NULL, -1, 0, 2.0, &sc, NULL), NORMNATIVE_E_INVALID, "byte_offset");
    b = tv; b.data = NULL;
    EXPECT(normnative_vector_norm_dlpack(&b, NULL, -1, 0, 2.0, &sc, NULL), NORMNATIVE_E_NULL, "data");
    b = tv; b.shape = NULL;
    EXPECT(normnative_vector_norm_dlpack(&b, NULL, -1, 0, 2.0, &sc, NULL), NORMNATIVE_E_NULL, "shape");
    EXPECT(normnative_matrix_norm_dlpack(&tv, 0, 1, NORMNATIVE_ORD_FRO, 0, &sc, NULL), NORMNATIVE_E_AXIS, "ndim 1");
    CHECK(sizeof(normnative_dl_tensor) == 48 && sizeof(normnative_array) == 48, "struct sizes");
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

    adversarial();
    dlpack();
    printf("%d passed, %d failed\n", passes, failures);
    return failures ? 1 : 0;
}
