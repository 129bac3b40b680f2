"""complex64 (and complex128 ord 1) over many short lines (Engine/ComplexShortRows: double lanes, a float32 stored only when provably correctly
rounded, else the line alone): EVERY output against a 100-digit mpmath reference (complex64 results are correctly
rounded, so exactly the nearest float32) and bit for bit — values and warnings — against the same line reduced alone,
for the specialised orders (2, 1, 0.5, 3, 4, -1, -2) and general ones (1.7, 2.5, -2.5, 0.3, 7.5, 65.5, -100, 128), line lengths
around every limit (1 ... 9, 15 ... 17, 63 ... 65), row counts not a multiple of the eight lanes, magnitudes near
1e+-38, subnormal parts, rows spanning the whole range, NaN, inf and zeros (negative orders: divide-by-zero), exact
Pythagorean values whose norm is a float32 rounding midpoint, contiguous, strided, reversed, F-order, 3-D and
transposed views, and 1/2/3 threads."""
import warnings
import zlib

import numpy as np
import pytest

import normnative
from _midpoints import pythagorean_midpoints
from _reference import ulp_error, vector_ref

SIMPLE = (2.0, 1.0, 0.5, 3.0, 4.0, -1.0, -2.0)
GENERAL = (1.7, 2.5, -2.5, 0.3, 7.5, 65.5, -100.0, 128.0)  # beyond 64 since session 21 (MaxGeneralOrder 128)
LENGTHS = (1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 25, 63, 64, 65)
KINDS = ("normal", "huge", "tiny", "subnormal", "mixed")


def _rows(rows, n, kind, rng):
    g = rng.standard_normal((rows, n, 2))
    if kind == "mixed":
        g = g * np.exp2(rng.integers(-140, 125, (rows, n, 2)).astype(float))
    else:
        g = g * {"normal": 1.0, "huge": 3e37, "tiny": 1e-36, "subnormal": 1e-43}[kind]
    f = np.clip(g, -3.4e38, 3.4e38).astype(np.float32)
    return (f[..., 0] + 1j * f[..., 1]).astype(np.complex64)


def _norm(x, p, axis=None):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r = normnative.norm(x, p, axis=axis)
    # the event, not NumPy's wording (a 1-D call says "in scalar power", a reduction over many lines "in power")
    return r, sorted({str(m.message).split(" encountered")[0] for m in w})


def _views(a):
    rows, n = a.shape
    wide = np.zeros((rows, 2 * n + 1), a.dtype)
    wide[:, : 2 * n : 2] = a
    # (view, axis, reversed rows, output reshape)
    views = [(a, 1, False), (wide[:, : 2 * n : 2], 1, False), (a[::-1, ::-1], 1, True), (np.asfortranarray(a), 1, False),
             (np.ascontiguousarray(a.T), 0, False)]
    # columns three values apart, each value a whole row of other lines apart (axis 0 of a[..., ::3]-like stacks)
    third = np.zeros((n, rows, 3), a.dtype)
    third[:, :, 0] = a.T
    views.append((third[:, :, 0], 0, False))
    if rows % 2 == 0:
        views.append((a.reshape(2, rows // 2, n), 2, False))
        # two blocks of rows with a gap between them: a group of eight lines spans both, no common spacing
        gap = np.zeros((2, rows // 2 + 1, n), a.dtype)
        gap[:, : rows // 2] = a.reshape(2, rows // 2, n)
        views.append((gap[:, : rows // 2], 2, False))
    return views


def _check(a, p, exact=True):
    got, _ = _norm(a, p, axis=1)
    assert got.dtype == np.float32
    if exact:
        for i, row in enumerate(a):
            assert ulp_error(got[i], vector_ref(row, p), np.float32) <= 0.5, (p, a.shape, i, got[i])
    for view, axis, rev in _views(a):
        out, warns = _norm(view, p, axis=axis)
        out = out.reshape(-1)
        lines = view.reshape(-1, view.shape[-1]) if axis == view.ndim - 1 else np.moveaxis(view, axis, -1).reshape(-1, view.shape[axis])
        # each line alone as a one-row reduction: a 1-D ord-2 call follows NumPy's dot path, which never warns,
        # while every reduction over an axis warns as NumPy's (x.conj()*x) does
        alone = [_norm(np.array(line)[None], p, axis=1) for line in lines]
        assert out.tobytes() == np.array([r for r, _ in alone], np.float32).tobytes(), (p, a.shape, axis)
        assert warns == sorted(set(w for _, ws in alone for w in ws)), (p, a.shape, axis, warns)
        # correctly rounded: the element order of a line cannot matter
        assert out.tobytes() == (got[::-1] if rev else got).tobytes(), (p, a.shape, axis, rev)


@pytest.mark.parametrize("p", SIMPLE + GENERAL)
def test_every_row_correctly_rounded_and_equal_to_the_row_alone(p):
    rng = np.random.default_rng(zlib.crc32(f"c64 short rows {p}".encode()))
    for j, n in enumerate(LENGTHS):
        a = _rows(int(rng.choice([8, 9, 17, 30])), n, KINDS[j % len(KINDS)], rng)
        _check(a, p, exact=n <= 17 or j % 2 == 0)


@pytest.mark.parametrize("p", SIMPLE + GENERAL)
def test_special_values_and_events_as_the_row_alone(p):
    rng = np.random.default_rng(zlib.crc32(f"c64 special {p}".encode()))
    for n in (1, 3, 4, 8, 16):
        a = _rows(24, n, "normal", rng)
        a[0, 0] = 0                            # a zero: divide-by-zero for p < 0
        a[1, :] = 0                            # all zero
        a[2, -1] = complex(np.nan, 1)          # NaN
        a[3, 0] = complex(np.inf, 0)           # inf
        a[4, 0] = complex(1, -np.inf)
        a[5, -1] = complex(np.inf, np.nan)     # |z| = inf
        a[6, :] = np.float32(3.4e38)           # results beyond the float range (overflow for p > 0)
        a[7, :] = complex(1e-45, 0)            # subnormal results
        a[8, 0] = complex(3.4e38, 1e-45)       # every exponent in one line
        _check(a, p, exact=False)


@pytest.mark.parametrize("p", SIMPLE + GENERAL)
def test_float32_midpoints_decline_to_the_row_alone(p):
    # |z| = c for legs a, b < 2^24 and an odd 25-bit hypotenuse c: a float32 rounding midpoint, for every p when the
    # line holds that one value (and for p = 2 / 4 equal values keep it a midpoint times n^(1/p))
    vals = pythagorean_midpoints(40, step=37, scaled=False)
    assert len(vals) == 40
    a = np.array(vals, np.complex64).reshape(-1, 1)
    a = a * np.float32(2.0) ** np.arange(-8, a.shape[0] - 8).reshape(-1, 1).astype(np.float32)
    _check(a.astype(np.complex64), p)


@pytest.mark.parametrize("n", LENGTHS)
def test_complex128_ord1_rows_correctly_rounded_and_equal_to_the_row_alone(n):
    rng = np.random.default_rng(zlib.crc32(f"c128 ord 1 rows {n}".encode()))
    rows = 24
    g = rng.standard_normal((rows, n, 2))
    g[1::4] *= np.exp2(rng.integers(-1070, 1020, (len(g[1::4]), n, 2)))
    g[2::4] = np.round(g[2::4] * 3)                        # zeros, exact |z| (3-4-5), sums on rounding midpoints
    g[3::4] *= 1e300
    a = g[..., 0] + 1j * g[..., 1]
    for view, axis, rev in _views(a):
        out, _ = _norm(view, 1, axis=axis)
        lines = view if axis == 1 else view.T
        alone = np.array([_norm(np.array(line), 1)[0] for line in (lines if view.ndim == 2 else view.reshape(-1, n))])
        assert out.reshape(-1).tobytes() == alone.tobytes(), (n, axis)
    got, _ = _norm(a, 1, axis=1)
    for i, row in enumerate(a):
        assert ulp_error(got[i], vector_ref(row, 1), np.float64) <= 0.5, (n, i, got[i])
    b = a.copy()
    b[0, 0] = complex(np.nan, 0)
    b[5, -1] = complex(0, -np.inf)
    out, _ = _norm(b, 1, axis=1)
    alone = np.array([_norm(row, 1)[0] for row in b])
    assert out.tobytes() == alone.tobytes()


def test_threads_do_not_change_a_bit():
    rng = np.random.default_rng(7)
    a = _rows(5003, 16, "mixed", rng)
    old = normnative.get_num_threads()
    try:
        for x in (a, a[:, :8], a.astype(np.complex128)):
            for p in (2.0, 1.0, -1.0, 0.5, 3.0, 1.7, -2.5):
                outs = []
                for t in (1, 2, 3):
                    normnative.set_num_threads(t)
                    outs.append(_norm(x, p, axis=1)[0].tobytes())
                assert outs[0] == outs[1] == outs[2], p
    finally:
        normnative.set_num_threads(old)


@pytest.mark.parametrize("p", GENERAL)
def test_general_p_terms_near_midpoints_and_range_limits(p):
    # the general-p term (NarrowLaneSums' plain-double exp((p/2)·ln s), unscaled, stored only when proven): lines whose
    # norm sits on or a hair beside a float32 midpoint (a Pythagorean midpoint c plus a value whose term is 2^-20 …
    # 2^-45 of c's: the fast path must decline or round right), and magnitudes whose sums straddle the kernel's
    # [2^-960, 2^960] range and the exponent clamp (|p/2|·ln s beyond ±700), every output against mpmath
    rows = []
    for j, z in enumerate(pythagorean_midpoints(24)):
        for sh in (20, 30, 40, 45):  # (from 2^-56 the 1-D path itself misrounds: not this kernel's)
            w = abs(z) * 2.0 ** (-sh / p)             # |w|^p = 2^-sh · |z|^p
            rows.append([z, complex(0, w) if j % 2 else complex(w, 0), 0, 0] if p > 0 else [z, complex(w, 0), z * 1e20, z * 1e20])
    rng = np.random.default_rng(zlib.crc32(f"c64 general limits {p}".encode()))
    for e in list(range(-149, -120, 3)) + list(range(-60, -40, 7)) + list(range(110, 128, 2)):
        g = rng.uniform(0.5, 1.0, (2, 4, 2)) * 2.0 ** e
        rows.extend((f[:, 0] + 1j * f[:, 1]).tolist() for f in g.astype(np.float32))
    a = np.array(rows, np.complex64)
    _check(a, p)
    for n in (24, 25, 63, 64, 65):                        # 64 values: the longest general line taken
        _check(np.concatenate([a] * 17, axis=1)[:, :n], p)
