"""float32 and complex64 ord −3 (and complex64 −2) over an axis whose outputs are adjacent (C-order axis 0, reversed and
strided rows, a leading axis of a 3-D array): NarrowNegCols' lanes, a SIMD lane per output, the root S^(−1/3) by
Newton steps from a bit-level estimate and stored only when provably the correctly rounded float32, every other
column reduced alone.

Columns whose exact norm lies 2⁻⁴⁰ … 2⁻⁹² from a float32 rounding midpoint (``_midpoints.real_lines_near_midpoint``,
700-bit mpmath; complex64 columns carry each real value as re or as im, |z| = |x|) must get the exact norm rounded
once: the test checks that rounding the lanes' double result directly would be wrong on some of them, so a store
without the midpoint test (the hand-off to the 1-D path) fails it. Random columns with extreme scales, zeros, inf and
nan: NumPy's dtypes, shapes, NaN positions and warnings, the bits of each column alone, ≤ 0.5 ulp of the exact
norm, 1 and 2 threads alike."""
import math
import warnings
import zlib

import mpmath as mp
import numpy as np
import pytest

import normnative
from _midpoints import correctly_rounded, log2_abs, real_lines_near_midpoint, relative_distance
from _reference import assert_float32_correctly_rounded, norm_at_threads, ulp_error, vector_ref


def _near_lines(p, n, count, seed):
    rng = np.random.default_rng(zlib.crc32(f"neg columns {p} {n} {seed}".encode()))
    lo, hi = (-120, -60) if p < 0 else (40, 120)  # room for the greedy elements
    out = []
    for _ in range(40 * count):
        if len(out) == count:
            break
        r = real_lines_near_midpoint(np.float32, p, n, int(rng.choice([2, 3])), rng, above=len(out) % 2 == 0,
                                     exponent=int(rng.integers(lo, hi)))
        if r is None:
            continue
        line, m = r
        if -92 <= log2_abs(relative_distance(line, p, m)) <= -40:
            out.append((line, correctly_rounded(line, p, np.float32)))
    assert len(out) == count
    return out


def _as_complex(cols):
    """Each real value as re or as im (|z| = |x|: the same norm), alternating down and across the columns."""
    n, k = cols.shape
    swap = (np.arange(n)[:, None] + np.arange(k)[None, :]) % 2 == 1
    return np.where(swap, 1j * cols, cols).astype(np.complex64)


def _lane_value(col, p, complex_):
    """What a lane holds before the store test: the double sum of the double terms in row order, its root to
    double precision (the kernel's Newton root is within a few double ulps of it)."""
    x = np.asarray(col).astype(np.complex128 if complex_ else np.float64)
    s = 0.0
    for v in x:
        if complex_:
            m = v.real * v.real + v.imag * v.imag
            s += 1.0 / (m if p == -2 else m * math.sqrt(m))
        else:
            a = abs(v)
            s += 1.0 / (a * a * a)
    with mp.workprec(200):
        return float(mp.power(mp.mpf(s), 1 / mp.mpf(p)))


def _norm(x, p, axis):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # finite nonzero columns: no event may be reported
        return normnative.norm(x, p, axis=axis)


@pytest.mark.parametrize("dtype", [np.float32, np.complex64])
def test_neg3_columns_near_midpoints(dtype):
    p = -3
    naive_wrong = 0
    for n, count in ((4, 13), (7, 11)):
        lines = _near_lines(p, n, count, 0)
        cols = np.array([line for line, _ in lines], np.float32).T  # (n, count): column j is line j
        want = np.array([ref for _, ref in lines], np.float32)
        a = _as_complex(cols) if dtype == np.complex64 else cols
        naive_wrong += sum(np.float32(_lane_value(a[:, j], p, dtype == np.complex64)) != want[j] for j in range(count))
        views = [
            (a, 0, want),                                            # C-order columns
            (a[::-1, ::-1], 0, want[::-1]),                          # negative strides both ways
            (np.repeat(a, 2, axis=0)[::2], 0, want),                 # strided rows
            (np.asfortranarray(a.T), 1, want),                       # Fortran rows
        ]
        three = np.ascontiguousarray(np.stack([a, a[:, ::-1]], axis=1))  # (n, 2, count): an N-D slab per axis-0 line
        views.append((three, 0, np.stack([want, want[::-1]])))
        for view, axis, ref in views:
            got = _norm(view, p, axis)
            assert got.dtype == np.float32 and got.shape == ref.shape
            assert got.tobytes() == ref.tobytes(), (dtype, n, view.shape, np.flatnonzero(got.ravel() != ref.ravel()))
    # the data reaches the hand-off: the lanes' double results rounded directly would be wrong here
    assert naive_wrong >= 2, naive_wrong


def _columns(n, k, dtype, rng):
    a = rng.standard_normal((n, k)) * np.exp(rng.uniform(-40, 40, k))
    if dtype == np.complex64:
        a = a + 1j * rng.standard_normal((n, k)) * np.exp(rng.uniform(-40, 40, k))
    a = a.astype(dtype)
    specials = [
        np.zeros(n),                                    # all zeros: 1/0 terms
        np.where(np.arange(n) == n // 2, 0, a[:, 1]),   # one zero
        np.full(n, 1e-45),                              # subnormal (float32 smallest)
        np.full(n, 3e38),                               # near the top
        np.where(np.arange(n) == 0, np.inf, a[:, 4]),   # an infinity (its term 0)
        np.full(n, np.inf),                             # only infinities: norm inf
        np.where(np.arange(n) == n - 1, np.nan, a[:, 6]),
        np.where(np.arange(n) % 2 == 0, 1e-30, 1e30),   # mixed extreme scales
        np.resize([3 + 4j, 5, -4 - 3j], n) if dtype == np.complex64 else np.resize([5, -5, 5], n),
    ]
    for j, col in enumerate(specials[:k]):
        a[:, j] = np.asarray(col).astype(dtype)
    return a


@pytest.mark.parametrize("dtype, p", [(np.float32, -3), (np.complex64, -3), (np.complex64, -2), (np.float32, -2)])
@pytest.mark.parametrize("shape", [(4, 37), (2, 12), (5, 203), (70, 19)])
def test_neg_columns_parity_and_alone(dtype, p, shape):
    rng = np.random.default_rng(zlib.crc32(f"{np.dtype(dtype).name} {p} {shape}".encode()))
    a = _columns(*shape, dtype, rng)
    for name, x, axis in (("C", a, 0), ("reversed", a[::-1], 0), ("F rows", np.asfortranarray(a.T), 1)):
        with warnings.catch_warnings(record=True) as w_ours:
            warnings.simplefilter("always")
            got = normnative.norm(x, p, axis=axis)
        with warnings.catch_warnings(record=True) as w_np:
            warnings.simplefilter("always")
            want = np.linalg.norm(x, p, axis=axis)
        assert got.dtype == want.dtype == np.float32 and got.shape == want.shape, name
        ours, theirs = {str(w.message) for w in w_ours}, {str(w.message) for w in w_np}
        # NumPy's float32 powers overflow spuriously (1e-45 ** −3): ours warns only for a true event
        assert ours <= theirs and any("divide" in m for m in ours) == any("divide" in m for m in theirs), (name, ours, theirs)
        assert np.array_equal(np.isnan(got), np.isnan(want)), name
        lines = x.T if axis == 0 else x
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            alone = np.array([normnative.norm(np.ascontiguousarray(line), p) for line in lines], np.float32)
        assert got.tobytes() == alone.tobytes(), (name, np.flatnonzero(got != alone))
        for j in range(lines.shape[0]):
            exact = vector_ref(list(lines[j]), p)
            assert_float32_correctly_rounded(got[j], exact, name, j)


@pytest.mark.parametrize("p", [1.5, 2.5, -2.5, -3, 3, 1.7, 0.5, -1, 4])
def test_complex64_half_orders_near_midpoints(p):
    # ComplexShortRows' lanes (rows of ≤ 64 values) and Complex64Columns' adjacent columns, sixteen at a time
    # (ComplexPairs) where the width allows: every line here is within 2⁻⁴⁰ of a midpoint, inside the lanes' store
    # margin, so each must reach the exact path
    for n, count in ((4, 17), (9, 16)):
        lines = _near_lines(p, n, count, 1)
        rows = _as_complex(np.array([line for line, _ in lines], np.float32))  # (count, n): row j is line j
        want = np.array([ref for _, ref in lines], np.float32)
        for view, axis, ref in ((rows, 1, want), (np.ascontiguousarray(rows.T), 0, want),
                                (rows[::-1, ::-1], 1, want[::-1]), (np.asfortranarray(rows), 1, want)):
            got = _norm(view, p, axis)
            assert got.dtype == np.float32 and got.tobytes() == ref.tobytes(), (p, n, axis, np.flatnonzero(got != ref))


@pytest.mark.parametrize("p", [1.5, 2.5, -2.5, -3])
@pytest.mark.parametrize("shape", [(37, 4), (12, 2), (203, 5), (19, 64)])
def test_complex64_half_orders_rows_parity_and_alone(p, shape):
    rng = np.random.default_rng(zlib.crc32(f"half rows {p} {shape}".encode()))
    a = _columns(shape[1], shape[0], np.complex64, rng).T.copy()  # rows: the special lines first
    with warnings.catch_warnings(record=True) as w_ours:
        warnings.simplefilter("always")
        got = normnative.norm(a, p, axis=1)
    with warnings.catch_warnings(record=True) as w_np:
        warnings.simplefilter("always")
        want = np.linalg.norm(a, p, axis=1)
    assert got.dtype == want.dtype == np.float32 and got.shape == want.shape
    ours, theirs = {str(w.message) for w in w_ours}, {str(w.message) for w in w_np}
    # ours ⊆ NumPy's (its float32 powers also overflow spuriously); the divide-by-zero of a zero element alike
    assert ours <= theirs and any("divide" in m for m in ours) == any("divide" in m for m in theirs), (ours, theirs)
    assert np.array_equal(np.isnan(got), np.isnan(want))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        alone = np.array([normnative.norm(row.copy(), p) for row in a], np.float32)
    assert got.tobytes() == alone.tobytes(), np.flatnonzero(got != alone)
    for j in range(a.shape[0]):
        exact = vector_ref(list(a[j]), p)
        assert_float32_correctly_rounded(got[j], exact, j)


@pytest.mark.parametrize("p", [1.7, -2.5, 0.3, 0.5])  # 0.5: AcrossOutputsWide F32Roots
@pytest.mark.parametrize("shape", [(4, 16), (4, 37), (5, 203), (64, 23)])
def test_float32_general_columns_pairs_of_groups(p, shape):
    # NarrowLaneSums' adjacent columns, sixteen at a time where the width allows and eight (or the lone lines) after:
    # every output the bits of its column alone and ≤ 0.5 ulp of the exact norm, whatever group it falls in
    rng = np.random.default_rng(zlib.crc32(f"f32 general columns {p} {shape}".encode()))
    a = _columns(*shape, np.float32, rng)
    for name, x in (("C", a), ("reversed", a[::-1, ::-1])):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            got = normnative.norm(x, p, axis=0)
            alone = np.array([normnative.norm(np.ascontiguousarray(x[:, j]), p) for j in range(shape[1])], np.float32)
        assert got.dtype == np.float32 and got.tobytes() == alone.tobytes(), (name, np.flatnonzero(got != alone))
        for j in range(shape[1]):
            exact = vector_ref(list(x[:, j]), p)
            assert_float32_correctly_rounded(got[j], exact, name, j)


@pytest.mark.parametrize("rows, cols, dtype, p, seed", [
    (300, 1203, np.float32, -3, 5), (300, 1203, np.complex64, -3, 5),  # NarrowNegCols' split
    # ComplexPairs / NarrowLaneSums' sixteen-column groups
    (60, 1211, np.complex64, 1.7, 11), (60, 1211, np.complex64, 2.5, 11), (60, 1211, np.complex64, 0.5, 11),
    (60, 1211, np.float32, 1.7, 11)])
def test_lane_columns_threads(rows, cols, dtype, p, seed):
    """Column lanes under a split over threads: the same bits as one thread, correctly rounded."""
    rng = np.random.default_rng(seed)
    a = _columns(rows, cols, dtype, rng)
    one, two = norm_at_threads((1, 2), a, p, axis=0)
    assert one.tobytes() == two.tobytes()
    for j in range(9, cols, 89):
        assert ulp_error(one[j], vector_ref(list(a[:, j]), p), np.float32) <= 0.5
