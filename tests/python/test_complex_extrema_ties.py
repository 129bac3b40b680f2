"""complex128 ord ±∞ over tied magnitudes (np.ones, small integers, repeated values, swapped/negated parts, distinct
pairs with equal re² + im², near-ties one ulp apart, zeros, inf/nan, huge/tiny/subnormal scales) in every layout the
±∞ kernels serve: rows (ComplexExtremaRows), columns / Fortran rows / 3-D axes 0 and 1 (LaneAcross), 3-D axis 2,
vectors (Complex128Max, ComplexNegative). Each output must be the exact extreme of |z| correctly rounded — the max/min of
re² + im² in exact rationals, then a correctly rounded square root — with NumPy's special values, and the same at 1 and
2 threads. These pin the bits the tie fast paths (skipping candidates with the winner's pair of part magnitudes, the
lane re-walk) must keep."""
import math
from fractions import Fraction

import numpy as np
import pytest

import normnative
from _reference import correctly_rounded_sqrt_fraction, norm_at_threads

SUB = Fraction(1, 2 ** 1074)  # the smallest subnormal


def _sqrt_rounded(q: Fraction) -> float:
    """√q correctly rounded to a double, subnormal results included (q ≥ 0 finite)."""
    if q == 0:
        return 0.0
    if q >= Fraction(1, 2 ** 2044):  # √q ≥ 2⁻¹⁰²²: normal
        return correctly_rounded_sqrt_fraction(q)
    # √q / 2⁻¹⁰⁷⁴ rounded half-even: n = q·2²¹⁴⁸, r = ⌊√n⌋
    n = q / (SUB * SUB)
    num, den = n.numerator, n.denominator
    k = 8  # two extra bits per side of the root
    r = math.isqrt((num << (2 * k)) // den)
    exact = (num << (2 * k)) % den == 0 and r * r == (num << (2 * k)) // den
    mant, rem = r >> k, r & ((1 << k) - 1)
    half = 1 << (k - 1)
    if rem > half or (rem == half and (not exact or mant & 1)):
        mant += 1
    return math.ldexp(mant, -1074)


def _line_ref(line, p):
    """Exact ord-p (±∞) norm of one line, NumPy's special values: |z| = ∞ if a part is ∞, else NaN if one is NaN;
    NaN anywhere makes the line NaN."""
    mags = set()
    inf = nan = False
    for z in line:
        re, im = abs(z.real), abs(z.imag)
        if math.isinf(re) or math.isinf(im):
            inf = True
        elif math.isnan(re) or math.isnan(im):
            nan = True
        else:
            mags.add((re, im))
    if nan:
        return math.nan
    sq = [Fraction(a) ** 2 + Fraction(b) ** 2 for a, b in mags]
    if p > 0:
        return math.inf if inf else _sqrt_rounded(max(sq))
    return _sqrt_rounded(min(sq)) if sq else math.inf


def _reference(x, p, axis):
    if axis is None:
        return np.float64(_line_ref(x.ravel(), p))
    lines = np.moveaxis(x, axis, -1)
    out = np.empty(lines.shape[:-1])
    for idx in np.ndindex(out.shape):
        out[idx] = _line_ref(lines[idx], p)
    return out


def _data(kind, shape, rng):
    n = int(np.prod(shape))
    if kind == "ones":
        a = np.full(n, 1 + 1j)
    elif kind == "ints":  # the sweep's integers −9…9 (about 1 value in 19 is 0), complex a + i·flip(a)
        r = rng.integers(-9, 10, n).astype(float)
        a = r + 1j * r[::-1]
    elif kind == "repeats":
        r = rng.choice(np.array([1.3, -0.7, 2.5, 0.1]), n)
        a = r + 1j * r[::-1]
    elif kind == "perm":  # a + ib, b + ia, −a − ib, …: one exact |z|, parts swapped and negated
        x, y = 3.0, 0.1
        a = rng.choice(np.array([x + 1j * y, y + 1j * x, -x - 1j * y, -y - 1j * x, x - 1j * y, -y + 1j * x]), n)
    elif kind == "pythagorean":  # distinct pairs with equal re² + im²: 85 = 9² + 2² = 7² + 6², 65 = 8² + 1² = 7² + 4²
        a = rng.choice(np.array([9 + 2j, 2 - 9j, 7 + 6j, -6 + 7j, 8 + 1j, 4 - 7j, 1 + 8j]), n)
    elif kind == "near":  # re² + im² one ulp apart and closer (2 + 2⁻⁵¹, 2 + 2⁻¹⁰³, …): Ext must decide
        e = 2.0 ** -52
        a = rng.choice(np.array([1 + 1j, complex(1, 1 + e), complex(1 + e, 1 - e), complex(1 - e, 1 + e), complex(1 + e, 1)]), n)
    elif kind == "zeros":
        r = rng.integers(-2, 3, n).astype(float)
        a = r + 1j * rng.integers(-2, 3, n)
        a[rng.integers(0, n, max(1, n // 7))] = 0
    elif kind == "special":
        r = rng.integers(-3, 4, n).astype(float)
        a = r + 1j * r[::-1]
        k = rng.integers(0, n, max(1, n // 40))
        a[k] = rng.choice(np.array([complex(np.inf, 1), complex(np.nan, 0), complex(np.inf, np.nan), complex(2, -np.inf)]), len(k))
    elif kind == "huge":  # squares overflow: the kernels' exact fall-back routes
        a = rng.choice(np.array([1 + 1j, 2 + 1j, 1 + 2j]), n) * 1e300
    elif kind == "big":  # in range, scaled by a power of two
        a = rng.choice(np.array([3 + 4j, 4 - 3j, 5 + 0j, 1 + 1j]), n) * 2.0 ** 480
    elif kind == "tiny":
        a = rng.choice(np.array([1 + 1j, 2 + 1j, 1 - 2j]), n) * 1e-300
    elif kind == "subnormal":
        a = (rng.integers(1, 4, n) + 1j * rng.integers(0, 4, n)) * 5e-324
    else:
        raise ValueError(kind)
    return a.astype(np.complex128).reshape(shape)


KINDS = ("ones", "ints", "repeats", "perm", "pythagorean", "near", "zeros", "special", "huge", "big", "tiny", "subnormal")

# (shape, order, axis): rows, columns (short and longer), Fortran rows, 3-D axes 0/1/2, vectors (one block, several)
LAYOUTS = (
    ((200, 4), "C", 1),
    ((37, 16), "C", 1),
    ((60, 64), "C", 1),
    ((4, 300), "C", 0),
    ((64, 40), "C", 0),
    ((40, 64), "F", 1),
    ((12, 10, 9), "C", 0),
    ((12, 10, 9), "C", 1),
    ((12, 10, 9), "C", 2),
    ((100,), "C", None),
    ((5000,), "C", None),
)


def _same_bits(got, want):
    """Equal bits (+0 vs −0 included), any NaN matching any NaN."""
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    if got.shape != want.shape or not np.array_equal(np.isnan(got), np.isnan(want)):
        return False
    keep = ~np.isnan(want)
    return np.array_equal(got[keep].view(np.uint64), want[keep].view(np.uint64))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("p", [np.inf, -np.inf])
def test_ties_exact_in_every_layout(kind, p):
    rng = np.random.default_rng(2 * KINDS.index(kind) + (p > 0))
    for shape, order, axis in LAYOUTS:
        x = _data(kind, shape, rng)
        if order == "F":
            x = np.asfortranarray(x)
        want = _reference(x, p, axis)
        one, two = norm_at_threads([1, 2], x, p, axis=axis)
        assert _same_bits(one, want), (kind, shape, order, axis, p)
        assert _same_bits(two, want), (kind, shape, order, axis, p, "2 threads")
        with np.errstate(all="ignore"):
            ref_np = np.linalg.norm(x, p, axis=axis)
        # NumPy's special values (NaN/∞ positions) and shapes; its finite values within its hypot's 1 ulp (NumPy is
        # not always correctly rounded: √85 of (9, 2) differs), equal wherever NumPy is right
        one, ref_np = np.asarray(one), np.asarray(ref_np)
        assert one.shape == ref_np.shape
        assert np.array_equal(np.isnan(one), np.isnan(ref_np)) and np.array_equal(np.isinf(one), np.isinf(ref_np))
        fin = np.isfinite(ref_np)
        assert np.all(np.abs(one[fin] - ref_np[fin]) <= np.spacing(ref_np[fin])), (kind, shape, axis, p)
        right = fin & (ref_np == want)
        assert np.array_equal(one[right], ref_np[right])


@pytest.mark.parametrize("p", [np.inf, -np.inf])
def test_ties_line_by_line_is_the_1d_path(p):
    """Each output of an N-D call is the bits of the 1-D call on its line held contiguously (the lane kernels and
    the vector kernels must agree on tied data)."""
    rng = np.random.default_rng(3)
    for kind in ("ints", "pythagorean", "near", "perm"):
        x = _data(kind, (64, 24), rng)
        got = normnative.norm(x, p, axis=0)
        for j in range(x.shape[1]):
            assert _same_bits(got[j], normnative.norm(np.ascontiguousarray(x[:, j]), p)), (kind, j)


def test_tie_with_a_larger_value_late_in_the_line():
    """A winner pair repeated many times, then one strictly larger value (by one ulp of re²+im²) at the end of
    each line, or a strictly smaller one for −∞: the skip must never hide a value that changes the result."""
    e = 2.0 ** -52
    for n in (4, 16, 64, 3000):
        x = np.full(n, 1 + 1j)
        x[-1] = complex(1, 1 + e)
        assert normnative.norm(x, np.inf) == _line_ref(x, np.inf)
        x[-1] = complex(1, 1 - e / 2)
        assert normnative.norm(x, -np.inf) == _line_ref(x, -np.inf)
        cols = np.tile(np.full(n, 1 + 1j)[:, None], (1, 16))
        cols[-1, 5] = complex(1 + e, 1)
        got = normnative.norm(cols, np.inf, axis=0)
        assert _same_bits(got, _reference(cols, np.inf, 0))
        cols[-1, 5] = complex(1 - e / 2, 1)
        got = normnative.norm(cols, -np.inf, axis=0)
        assert _same_bits(got, _reference(cols, -np.inf, 0))
        rows = np.ascontiguousarray(cols.T)  # the same lines as rows (short ones eight to a vector group)
        rows[5, -1] = complex(1 + e, 1)
        assert _same_bits(normnative.norm(rows, np.inf, axis=1), _reference(rows, np.inf, 1)), n
        rows[5, -1] = complex(1 - e / 2, 1)
        assert _same_bits(normnative.norm(rows, -np.inf, axis=1), _reference(rows, -np.inf, 1)), n


@pytest.mark.parametrize("p", [np.inf, -np.inf])
def test_long_vector_split_over_threads(p):
    """Vectors long enough to be split over threads (≥ 2¹⁸ values): ties, distinct equal-|z| pairs and a zero."""
    rng = np.random.default_rng(11)
    for kind in ("ones", "ints", "pythagorean", "perm"):
        x = _data(kind, (270_000,), rng)
        want = _reference(x, p, None)
        one, two = norm_at_threads([1, 2], x, p)
        assert _same_bits(one, want) and _same_bits(two, want), (kind, p)


@pytest.mark.parametrize("p", [np.inf, -np.inf])
def test_short_rows_of_views(p):
    """Short rows (≤ 16 values, eight lines a group) read through views: reversed, stepped and transposed lines, the
    group's lines at unequal distances (a 3-D batch), and a last group of fewer than eight lines."""
    rng = np.random.default_rng(17)
    for kind in KINDS:
        base = _data(kind, (45, 24), rng)
        for x, axis in ((base[::-1, ::-3], 1), (base[::2, 5:21], 1), (base.T[:10, ::-1], 0),
                        (base[:44].reshape(4, 11, 24)[:, ::-2, :7], 2)):
            want = _reference(x, p, axis)
            one, two = norm_at_threads([1, 2], x, p, axis=axis)
            assert _same_bits(one, want), (kind, x.shape, x.strides, axis, p)
            assert _same_bits(two, want), (kind, x.shape, x.strides, axis, p, "2 threads")


@pytest.mark.parametrize("p", [np.inf, -np.inf])
def test_longer_strided_rows(p):
    """Rows longer than the short-row groups read through strided views (values two and three apart, reversed): their
    candidates are selected four values at a time (each loaded whole), the scalar test deciding within the four.
    complex128 against the exact extreme, complex64 against each line held contiguously (the 1-D path), at 1 and 2
    threads."""
    rng = np.random.default_rng(23)
    for kind in KINDS:
        base = _data(kind, (37, 122), rng)
        for view in (lambda a: a[:, ::2], lambda a: a[::-1, ::-3], lambda a: a[:, 1::2][:, :-1]):
            x = view(base)
            want = _reference(x, p, 1)
            one, two = norm_at_threads([1, 2], x, p, axis=1)
            assert _same_bits(one, want), (kind, x.shape, x.strides, p)
            assert _same_bits(two, want), (kind, x.shape, x.strides, p, "2 threads")
            with np.errstate(all="ignore"):
                y = view(base.astype(np.complex64))
            lines = np.array([normnative.norm(np.ascontiguousarray(r), p) for r in y], dtype=np.float32)
            for got in norm_at_threads([1, 2], y, p, axis=1):
                assert got.dtype == np.float32
                assert _same_bits(got, lines), (kind, y.shape, y.strides, p, "complex64")


def test_tie_beside_a_larger_value_in_strided_rows():
    """Strided rows of a repeated winner pair with one value a few ulps of |z| beyond it, sharing its group of four
    with copies of the winner: the group must not be skipped as ties (complex128 and complex64, max and min)."""
    e = 2.0 ** -52
    for n in (24, 64, 301):
        for k in (n - 3, n // 2 + 1):
            for dt, d in ((np.complex128, e), (np.complex64, 2.0 ** -23)):
                base = np.full((16, 2 * n), 1 + 1j, dtype=dt)
                base[5, 2 * k] = complex(1 + 4 * d, 1)  # |z| about two ulps above the winner's: within the candidates'
                base[9, 2 * k] = complex(1, 1 - 4 * d)  # threshold, so the winner's copies are candidates too
                x = base[:, ::2]
                for p in (np.inf, -np.inf):
                    got = normnative.norm(x, p, axis=1)
                    lines = np.array([normnative.norm(np.ascontiguousarray(r), p) for r in x], dtype=got.dtype)
                    assert _same_bits(got, lines), (n, k, dt, p)
                    if dt is np.complex128:
                        assert _same_bits(got, _reference(x, p, 1)), (n, k, p)
                    row = 5 if p > 0 else 9
                    assert got[row] != got[0], (n, k, dt, p)  # the nudged value decides its line
