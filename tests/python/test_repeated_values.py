"""Lines of repeated values: lane kernels that cannot prove a line hand it to the 1-D path alone, and a line that recurs
byte for byte within one call now takes the first copy's result (``LineMemo``: complex64 columns, float32 short
lines), while all-zero integer columns at ord 2 / 0.5 are +0 without the 1-D detour (``IntColumns``). Every output must
still be the per-line 1-D call's bits (and the exact reference's), whatever the thread count: lines that differ only in
order, sign, a signed zero, one ulp or a NaN must never share a result.

References: ``_midpoints`` (exact midpoints and near-midpoint lines, mpmath), ``_reference`` (exact norms, correctly
rounded square roots of exact integers)."""
import math
from fractions import Fraction

import numpy as np
import pytest

import normnative
from _midpoints import complex_rounded, correctly_rounded, pythagorean_midpoints, real_lines_near_midpoint
from _reference import correctly_rounded_sqrt_fraction, norm_at_threads, recorded, vector_ref


def _per_line(x, ord_, axis):
    """The 1-D call on each line (axis moved last, each line copied contiguous), cached by its bytes."""
    lines = np.moveaxis(x, axis, -1).reshape(-1, x.shape[axis])
    cache, out = {}, []
    for ln in lines:
        key = ln.tobytes()
        if key not in cache:
            cache[key] = np.asarray(normnative.norm(np.ascontiguousarray(ln), ord_))
        out.append(cache[key])
    return np.array(out)


def _assert_bits(got, want, *context):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype, context
    bad = got.view(np.uint8).reshape(got.size, -1) != want.view(np.uint8).reshape(want.size, -1)
    rows = np.nonzero(bad.any(axis=1))[0]
    assert rows.size == 0, (*context, rows[:5], got[rows[:5]], want[rows[:5]])


def _check_columns(x, ord_, ref=None):
    """Columns (axis 0) and the transposed C rows (axis 1) of x: bits of the per-line 1-D call, at 1 and 2 threads,
    and NumPy's warnings; ``ref`` (per column) is also asserted where given."""
    for a, axis in ((x, 0), (np.ascontiguousarray(x.T), 1)):
        one_d = _per_line(a, ord_, axis)
        r1, r2 = norm_at_threads((1, 2), a, ord_, axis)
        _assert_bits(r1, one_d, a.dtype, ord_, axis)
        _assert_bits(r2, one_d, a.dtype, ord_, axis, "threads")
        _, ours = recorded(lambda: normnative.norm(a, ord_, axis))
        _, theirs = recorded(lambda: np.linalg.norm(a, ord_, axis))
        assert sorted(str(w.message) for w in ours) == sorted(str(w.message) for w in theirs), (a.dtype, ord_, axis)
        if ref is not None:
            for j, (g, e) in enumerate(zip(r1, ref)):
                assert g == e or (math.isnan(g) and math.isnan(e)), (ord_, axis, j, g, e)


def _variants(line, rng):
    """The line, a permutation of it, its signs flipped, one element one ulp up, and one element set to -0.0."""
    out = [line, line[rng.permutation(line.size)], -line]
    up = line.copy()
    up[0] = np.nextafter(up[0], up.dtype.type(np.inf))
    out.append(up)
    z = line.copy()
    z[-1] = -0.0
    out.append(z)
    return out


@pytest.mark.parametrize("p", [-2.5, 1.7, 3.0])
def test_float32_near_midpoint_lines_repeated(p):
    """Float32 lines of 4 within ~2⁻⁴⁸ of a float32 midpoint (no lane proves them: each goes to the 1-D path) repeated
    over 2000 columns, mixed with their permutations, sign flips, one-ulp neighbours and a -0.0 variant."""
    rng = np.random.default_rng(11)
    base = []
    while len(base) < 4:
        got = real_lines_near_midpoint(np.float32, p, 4, 3, rng, above=bool(len(base) % 2), exponent=int(rng.integers(-3, 4)))
        if got is not None:
            base.append(got[0])
    pool = [v for b in base for v in _variants(b, rng)]
    refs = {}
    for v in pool:
        if p < 0 and np.any(v == 0):
            refs[v.tobytes()] = np.float32(0.0)
        else:
            refs[v.tobytes()] = correctly_rounded(v[v != 0], p, np.float32)
    pick = rng.integers(0, len(pool), 2000)
    x = np.stack([pool[i] for i in pick], axis=1)  # (4, 2000): column j is pool[pick[j]]
    _check_columns(x, p, [refs[pool[i].tobytes()] for i in pick])


@pytest.mark.parametrize("p", [2.5, 1.7, 3.0, 0.5])
def test_complex64_exact_midpoint_columns_repeated(p):
    """complex64 columns of 4 with one nonzero value whose modulus is exactly a float32 rounding midpoint (the norm is
    that modulus at every p > 0: a tie no bound decides), at two positions, with conjugates and ±0 parts, repeated
    over 1600 columns; the result is the modulus rounded half to even."""
    rng = np.random.default_rng(5)
    zs = pythagorean_midpoints(2)  # an exact tie costs the 1-D path ~1 ms: few distinct lines
    pool = []
    for z in zs:
        for pos in (0, 3):
            for w in (z, z.conjugate()):
                line = np.zeros(4, np.complex64)
                line[pos] = w
                pool.append(line)
        signed = np.array([complex(-0.0, 0.0), z, complex(0.0, -0.0), 0], np.complex64)
        pool.append(signed)
    for line in pool:
        z = line[np.abs(line) != 0][0]
        assert np.float64(abs(complex(z))) != np.float32(abs(complex(z)))  # a real tie in float32
    pick = rng.integers(0, len(pool), 1600)
    x = np.stack([pool[i] for i in pick], axis=1)
    ref = [np.float32(np.float64(abs(complex(pool[i][np.abs(pool[i]) != 0][0])))) for i in pick]
    _check_columns(x, p, ref)


@pytest.mark.parametrize("p", [2.5, 3.0, 1.5, 0.5, 4.0, -1.0, -2.5])
def test_complex64_columns_beside_a_midpoint_repeated(p):
    """complex64 columns [z, w, …] whose norm is |z|·(1 + 2⁻ˢʰ)^(1/p) for a modulus |z| exactly on a float32 midpoint:
    2⁻ˢʰ/p relative beside it, from 2⁻³⁰ (the fast lane root decides) through 2⁻⁴⁰ … 2⁻⁴⁶ (only the root recomputed
    precisely from the lane sum can: ComplexPairs.TryPrecise) to 2⁻⁶⁰ (no double bound can: the 1-D path), in
    random order over 1200 columns; every column is the correctly rounded norm (mpmath) and the 1-D call's bits."""
    rng = np.random.default_rng(int(10 * p) + 100)
    pool, refs = [], {}
    for z in pythagorean_midpoints(3):
        for sh in (30, 40, 43, 46, 60):
            w = abs(z) * 2.0 ** (-sh / p)  # |w|^p = 2^-sh·|z|^p
            line = np.array([z, complex(w, 0)] * 2 if p < 0 else [z, complex(w, 0), 0, 0], np.complex64)
            if p < 0:
                line[2:] *= 2.0 ** 20  # negative orders: large values add ~nothing, and no zero sends the line alone
            if line[1] == 0 or not np.isfinite(line).all():
                continue
            pool.append(line)
            refs[line.tobytes()] = complex_rounded(line, p)
    assert len(pool) >= 12
    pick = rng.integers(0, len(pool), 1200)
    x = np.stack([pool[i] for i in pick], axis=1)  # (4, 1200)
    _check_columns(x, p, [refs[pool[i].tobytes()] for i in pick])


def test_float32_lines_with_nan_and_zeros_repeated():
    """Lines the lanes reject outright (a NaN, a zero at a negative order, all zeros) repeated, next to lines that
    differ from them by one element: each keeps its own value and NumPy's warnings."""
    rng = np.random.default_rng(3)
    a = np.array([1.3, -0.7, 2.5, 0.1], np.float32)
    pool = [a, np.array([1.3, np.nan, 2.5, 0.1], np.float32), np.array([1.3, -0.7, np.nan, 0.1], np.float32),
            np.array([1.3, 0.0, 2.5, 0.1], np.float32), np.array([1.3, -0.0, 2.5, 0.1], np.float32),
            np.zeros(4, np.float32), np.array([0.0, -0.0, 0.0, 0.0], np.float32)]
    for p in (-2.5, -1.5, 1.7, 2.5):
        x = np.stack([pool[i] for i in rng.integers(0, len(pool), 1000)], axis=1)
        _check_columns(x, p)


INT_DTYPES = ["int8", "int16", "int32", "int64", "uint8"]


def _int_pool():
    """Integer columns of 4: all zeros, Pythagorean (sum of squares a perfect square), ones (√4 = 2), one off a
    perfect square, a single nonzero, and mixed signs."""
    return [[0, 0, 0, 0], [3, 4, 0, 0], [0, 3, 0, 4], [1, 1, 1, 1], [3, 4, 0, 1], [2, 3, 6, 0], [2, 3, 6, 1],
            [0, 0, 7, 0], [-3, 4, 0, 0], [5, 0, 0, -12], [1, 2, 2, 4], [1, 2, 2, 3]]


@pytest.mark.parametrize("dtype", INT_DTYPES)
@pytest.mark.parametrize("ord_", [None, 2, 0.5, 1])
@pytest.mark.parametrize("cols", [3000, 37])
def test_int_columns_zero_and_square_sums(dtype, ord_, cols):
    """Integer columns with all-zero columns (exactly +0, no warning), perfect-square sums of squares (exact roots) and
    sums one off them (correctly rounded √ of the exact integer), at ord 2 and 0.5 (zero columns were sent to the 1-D
    path alone) and 1; (4, 37) leaves a column tail that is not a multiple of four."""
    rng = np.random.default_rng(17)
    pool = [[abs(v) for v in ln] if dtype == "uint8" else ln for ln in _int_pool()]
    pick = rng.integers(0, len(pool), cols)
    x = np.array([pool[i] for i in pick], dtype=dtype).T.copy()  # (4, cols)
    ref = []
    for i in pick:
        ln = pool[i]
        if ord_ in (None, 2):
            s = sum(v * v for v in ln)
            ref.append(0.0 if s == 0 else correctly_rounded_sqrt_fraction(Fraction(s)))
        elif ord_ == 1:
            ref.append(float(sum(abs(v) for v in ln)))
        else:
            ref.append(float(vector_ref(ln, 0.5)))
    r = _check_columns_int(x, ord_)
    for j, (g, e) in enumerate(zip(r, ref)):
        if ord_ == 0.5:
            assert abs(g - e) <= 1e-15 * e, (dtype, ord_, j, g, e)  # the 1-D path's own accuracy; bits are checked above
        else:
            assert g == e, (dtype, ord_, j, g, e)
    zeros = [j for j, i in enumerate(pick) if not any(pool[i])]
    assert zeros and all(r[j] == 0 and not math.copysign(1, r[j]) < 0 for j in zeros)


def _check_columns_int(x, ord_):
    one_d = _per_line(x, ord_, 0)
    r1, r2 = norm_at_threads((1, 2), x, ord_, 0)
    _assert_bits(r1, one_d, x.dtype, ord_)
    _assert_bits(r2, one_d, x.dtype, ord_, "threads")
    _, ours = recorded(lambda: normnative.norm(x, ord_, 0))
    _, theirs = recorded(lambda: np.linalg.norm(x, ord_, 0))
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
    np.testing.assert_allclose(r1, np.linalg.norm(x, ord_, 0), rtol=1e-14)
    return r1


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_int_columns_repeats_like_sweep(dtype):
    """The sweep's ``repeats`` integer input (|1.3|, |−0.7|, |2.5|, |0.1| truncated: a zero column in 16) at the orders
    whose zero columns were slow, against the per-line 1-D call."""
    rng = np.random.default_rng(7)
    x = np.abs(rng.choice(np.array([1.3, -0.7, 2.5, 0.1]), (4, 3000))).astype(dtype)
    for ord_ in (None, 2, 0.5):
        _check_columns_int(x, ord_)


@pytest.mark.parametrize("p,n", [(1.5, 64), (-3.0, 16), (2.5, 16), (-1.5, 64), (3.0, 16)])
def test_float64_rows_near_midpoint_with_repeated_fillers(p, n):
    """Float64 rows whose norm lies within ~2⁻¹⁰⁶ of a float64 midpoint (the exact tie stage decides them), built from
    at most eight distinct filler values repeated along the row (its interval bounds compute each distinct value
    once), mixed with rows of the sweep's four repeated values: correctly rounded, and the per-line 1-D call's bits."""
    rng = np.random.default_rng(23)
    near = []
    while len(near) < 6:
        got = real_lines_near_midpoint(np.float64, p, n, 3, rng, above=bool(len(near) % 2), exponent=int(rng.integers(-4, 5)))
        if got is not None:
            near.append(got[0])
    plain = [rng.choice(np.array([1.3, -0.7, 2.5, 0.1]), n) for _ in range(10)]
    pool = near + [ln[rng.permutation(n)] for ln in near] + plain
    pick = rng.integers(0, len(pool), 300)
    x = np.stack([pool[i] for i in pick])  # (300, n) C rows
    one_d = _per_line(x, p, 1)
    r1, r2 = norm_at_threads((1, 2), x, p, 1)
    _assert_bits(r1, one_d, p, n)
    _assert_bits(r2, one_d, p, n, "threads")
    for j, i in enumerate(pick):
        if i < 2 * len(near):
            assert r1[j] == correctly_rounded(pool[i], p, np.float64), (p, n, j)


@pytest.mark.parametrize("dtype", ["int16", "int64"])
def test_int_columns_rare_zero_column(dtype):
    """One all-zero column among 3000 nonzero ones (the sampled scan may leave it to the 1-D path) and one zero column
    per sixteen: +0 and the per-line 1-D bits either way."""
    rng = np.random.default_rng(29)
    x = rng.integers(1, 50, (4, 3000)).astype(dtype) * rng.choice(np.array([-1, 1]), (4, 3000)).astype(dtype)
    x[:, 1777] = 0
    y = x.copy()
    y[:, ::16] = 0
    for a in (x, y):
        for ord_ in (None, 0.5):
            r = _check_columns_int(a, ord_)
            assert r[1777] == 0 and not math.copysign(1, r[1777]) < 0


@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.bool_])
def test_identical_lines_near_a_midpoint_at_a_whole_order(dtype):
    """np.ones (40, 50, 60) at ord −20 along the last axis: every line's norm 60^(−1/20) lies 1.7·10⁻⁵ ulp from a
    float64 midpoint, so each takes the exact decision; identical lines now copy the first one's result and events
    (LaneIntSums' LineMemo). Every output is the correctly rounded value and the 1-D call's, lines that differ (a zero,
    a 2) keep their own results, at 1 and 2 threads."""
    import mpmath as mp
    with mp.workprec(300):
        want = float(mp.power(60, mp.mpf(-1) / 20))  # to nearest: no tie (asserted by the distance below)
        assert abs(mp.mpf(want) - mp.power(60, mp.mpf(-1) / 20)) < mp.mpf(np.spacing(want)) / 2
    x = np.ones((40, 50, 60), dtype)
    x[3, 7, 11] = 0
    if dtype is not np.bool_:
        x[5, 5, 5] = 2
    for got in norm_at_threads([1, 2], x, -20, axis=2):
        assert got[0, 0] == want and (got == want).sum() == 2000 - 1 - (dtype is not np.bool_)
        assert got[3, 7] == 0
        if dtype is not np.bool_:
            assert got[5, 5] == normnative.norm(np.ascontiguousarray(x[5, 5]), -20)
    _, events = recorded(lambda: normnative.norm(x, -20, axis=2))
    _, theirs = recorded(lambda: np.linalg.norm(x, -20, axis=2))
    assert sorted(str(w.message) for w in events) == sorted(str(w.message) for w in theirs)
