"""Matrix norms ord ±1 / ±inf of interleaved stacks (LineSumNorms.VectorLines with its screen): stacks of float64,
complex and 64-bit integer matrices whose matrices share cache lines (axes (0, 1) of a C-order array, strided, reversed
and transposed views, Fortran order kept on its first axis), and complex / 64-bit integer ones with no contiguous
matrix axis, take the vector ord-1 line sums as a screen and sum only the candidate lines exactly. Every output must equal its matrix alone (a contiguous copy, which the per-matrix passes
reduce), bit for bit and with the same warnings; values are checked against exact references and NumPy, near ties
(lines with equal or nearly equal sums), non-finite and tiny values (the screen then declines), 1 vs 2 threads."""
import math
import warnings
from fractions import Fraction

import mpmath
import numpy as np
import pytest

import normnative
from _calls import norm_with_warnings
from _reference import assert_float32_correctly_rounded

ORDS = [1, -1, np.inf, -np.inf]
DTYPES = [np.float64, np.complex128, np.complex64, np.int64, np.uint64]


def _data(dt, shape, seed):
    rng = np.random.default_rng(seed)
    kind = np.dtype(dt).kind
    if kind == "c":
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dt)
    if kind == "i":
        return rng.integers(-(2 ** 62), 2 ** 62, size=shape, dtype=np.int64)
    if kind == "u":
        return rng.integers(0, 2 ** 64 - 1, size=shape, dtype=np.uint64, endpoint=True)
    return rng.standard_normal(shape).astype(dt)


def _views(a):
    """Interleaved stacks of a 3-D array: (view, axis pair)."""
    yield a, (0, 1)
    yield a, (1, 0)
    yield a[:, ::-2, 1:], (0, 1)
    yield a[::2, :, ::3], (0, 2)
    yield a[::2, :, ::3], (2, 0)
    yield a.transpose(2, 0, 1), (1, 2)
    yield a[..., ::2].T, (1, 2)
    yield a[..., ::2].T, (0, 1)  # matrices apart, but no contiguous matrix axis
    yield a[::2, :, ::3], (1, 2)
    yield np.asfortranarray(a), (1, 2)
    yield np.asfortranarray(a)[:, ::-1, :], (2, 1)


def _alone(v, ordv, axis):
    """Each matrix of the stack as a contiguous copy, reduced alone: results and warnings."""
    r, c = (ax % v.ndim for ax in axis)
    m = np.moveaxis(v, (r, c), (-2, -1))
    out, msgs = [], set()
    for idx in np.ndindex(m.shape[:-2]):
        x, w = norm_with_warnings(np.ascontiguousarray(m[idx]), ordv, None)
        out.append(x)
        msgs.update(w)
    return np.array(out, dtype=out[0].dtype).reshape(m.shape[:-2]), sorted(msgs)


def _same(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a.view(np.uint8), b.view(np.uint8))


def _exact_best(m, ordv):
    """max / min over the lines of one matrix of the exact Σ|x| (the elements as the per-matrix passes read them:
    integers converted to float64, complex magnitudes to float64 once), a Fraction."""
    lines = m.T if ordv in (1, -1) else m
    if np.iscomplexobj(m):
        sums = [sum(Fraction(float(abs(complex(z)))) for z in line) for line in lines]
    else:
        sums = [sum(abs(Fraction(float(x))) for x in line) for line in lines]
    return max(sums) if ordv > 0 else min(sums)


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("ordv", ORDS)
def test_stack_equals_each_matrix_alone_and_numpy(dt, ordv):
    a = _data(dt, (24, 19, 30), 3)
    for v, axis in _views(a):
        got, w = norm_with_warnings(v, ordv, axis)
        alone, wa = _alone(v, ordv, axis)
        assert _same(got.reshape(alone.shape), alone), (axis, v.strides)
        assert w == wa
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            want = np.linalg.norm(v, ordv, axis)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-5 if dt == np.complex64 else 1e-13)


@pytest.mark.parametrize("dt", [np.float64, np.complex128, np.complex64, np.int64])
def test_exact_reference_on_a_few_matrices(dt):
    a = _data(dt, (20, 17, 12), 11)
    for ordv in ORDS:
        got = normnative.norm(a, ordv, (0, 1))
        for k in range(0, 12, 5):
            _assert_rounded(got[k], _exact_best(a[:, :, k], ordv), dt, ordv, k)


def _assert_rounded(got, exact, dt, *context):
    """got is the exact Fraction correctly rounded to the result dtype (float64: Fraction → float rounds once)."""
    if dt == np.complex64:
        assert_float32_correctly_rounded(float(got), mpmath.mpf(exact.numerator) / exact.denominator, *context)
    else:
        assert got == float(exact), (*context, got, exact)


def _alone_equal(v, ordv, axis):
    got, w = norm_with_warnings(v, ordv, axis)
    alone, wa = _alone(v, ordv, axis)
    assert _same(got.reshape(alone.shape), alone), (ordv, axis, v.strides)
    assert w == wa
    return got


@pytest.mark.parametrize("dt", [np.float64, np.complex128, np.complex64, np.int64])
def test_near_ties_pick_the_exact_best(dt):
    """In every matrix three lines that are permutations of one another (equal exact sums, so equal or nearly equal
    vector sums: all three are candidates), in every other matrix one of them nudged up by an ulp of one element, among
    lines of smaller sums: the exact code decides, as for the matrix alone."""
    rows, cols, count = 21, 18, 16
    eps = np.finfo(np.float32 if dt == np.complex64 else np.float64).eps
    def quarter(x):
        return x // 4 if dt == np.int64 else x * 0.25

    for ordv in (1, -1):
        rng = np.random.default_rng(5)
        # the tied lines are the largest (ord 1) or the smallest (ord -1)
        a = _data(dt, (rows, cols, count), 1)
        if ordv == 1:
            a = quarter(a)
        for k in range(count):
            base = _data(dt, rows, 100 + k)
            if ordv == -1:
                base = quarter(base)
            for j in (2, 9, 13):
                line = rng.permutation(base)
                if k % 2 and j == 9:
                    if dt == np.int64:
                        line[0] += 1 if line[0] > 0 else -1
                    else:
                        line[0] = line[0] * (1 + eps)
                a[:, j, k] = line
        for v, axis in ((a, (0, 1)), (a[:, ::-1, :], (0, 1)), (a.transpose(1, 0, 2), (1, 0)), (a[..., ::2], (0, 1))):
            got = _alone_equal(v, ordv, axis)
            if v is a:
                for k in range(count):
                    _assert_rounded(got[k], _exact_best(a[:, :, k], ordv), dt, ordv, k)


@pytest.mark.parametrize("dt", [np.float64, np.complex128, np.complex64])
def test_non_finite_values(dt):
    """A NaN or inf line in one matrix: the stack goes back to the per-matrix passes; the same bits and warnings as
    each matrix alone, NaN where NumPy has NaN."""
    a = _data(dt, (25, 20, 12), 7)
    a[3, 4, 1] = np.nan
    a[0, 0, 2] = np.inf
    if np.dtype(dt).kind == "c":
        a[2, 2, 6] = complex(np.inf, np.nan)
    for ordv in ORDS:
        for v, axis in ((a, (0, 1)), (a, (1, 0)), (a[::-1, :, :], (1, 0)), (a[..., ::-2], (0, 1))):
            got = _alone_equal(v, ordv, axis)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                want = np.linalg.norm(v, ordv, axis)
            assert np.array_equal(np.isnan(got), np.isnan(want))


@pytest.mark.parametrize("dt", [np.float64, np.complex128, np.complex64])
def test_tiny_huge_and_zero_matrices(dt):
    """Matrices of subnormal, tiny (squares below the range) and huge (squares beyond it) values, whose lines the screen
    still decides, and all-zero matrices (complex: the screen's absolute error decides nothing, the stack goes back to
    the per-matrix passes); a line sum that overflows the result dtype (a floating-point event: back as well)."""
    fi = np.finfo(np.float32 if dt == np.complex64 else np.float64)
    a = _data(dt, (25, 20, 12), 8)
    scales = {0: fi.smallest_subnormal * 64, 1: fi.tiny ** 0.5 / 8, 2: fi.max ** 0.5 * 8, 3: fi.max / 64}
    for k, sc in scales.items():
        a[:, :, k] = a[:, :, k] * sc
    for ordv in ORDS:
        for v, axis in ((a[:, :, 1:3], (0, 1)), (a[:, :, :4], (1, 0)), (a[:, :, :3], (1, 0))):
            got = _alone_equal(v, ordv, axis)
            assert np.all(np.isfinite(got)) or v.shape[2] == 4
    z = a.copy()
    z[:, :, 5] = 0
    for ordv in ORDS:
        _alone_equal(z, ordv, (0, 1))
        _alone_equal(a[:, :, :4], ordv, (0, 1))


# two lines of three elements near 2⁶²: A's exact integer sum is the larger, but its elements converted to float64
# (as NumPy, the vector kernels and the per-matrix passes read them) sum to less: A < B after conversion, A > B exactly
LINE_A = [279, 7450, 5601]
LINE_B = [3891, 3709, 5666]


@pytest.mark.parametrize("dt", [np.int64, np.uint64])
def test_64_bit_integers_beyond_two_to_53(dt):
    """Elements beyond 2⁵³ are converted to float64 before they are summed, on the screen's vector sums as in the exact
    code of the candidates: B is the best line, as for the matrix alone and NumPy."""
    a = np.full((3, 5, 10), 2 ** 61, dtype=dt)
    for k in range(10):
        ja, jb = (1, 3) if k % 2 else (3, 1)
        a[:, ja, k] = 2 ** 62 + np.array(LINE_A, dtype=dt)
        a[:, jb, k] = 2 ** 62 + np.array(LINE_B, dtype=dt)
    conv_b = float(sum(Fraction(float(x)) for x in (2 ** 62 + np.array(LINE_B, dtype=object))))
    conv_a = float(sum(Fraction(float(x)) for x in (2 ** 62 + np.array(LINE_A, dtype=object))))
    assert sum(LINE_A) > sum(LINE_B) and conv_a < conv_b
    for v, axis, ordv in ((a, (0, 1), 1), (a[:, ::-1, :], (0, 1), 1), (a.transpose(1, 0, 2), (0, 1), np.inf)):
        got = normnative.norm(v, ordv, axis)
        assert np.all(got == conv_b), (axis, got)
        alone, _ = _alone(v, ordv, axis)
        assert _same(got.reshape(alone.shape), alone)
        assert np.array_equal(got, np.linalg.norm(v, ordv, axis))


@pytest.mark.parametrize("dt", DTYPES)
def test_threads_give_the_same_bits(dt):
    a = _data(dt, (60, 80, 100), 9)
    before = normnative.get_num_threads()
    try:
        for v, axis in ((a, (0, 1)), (a[:, ::-2, 1:], (0, 1)), (np.asfortranarray(a), (1, 2))):
            for ordv in ORDS:
                normnative.set_num_threads(1)
                one = normnative.norm(v, ordv, axis)
                normnative.set_num_threads(2)
                two = normnative.norm(v, ordv, axis)
                assert _same(one, two), (axis, ordv)
    finally:
        normnative.set_num_threads(before)


def test_many_matrices_take_several_chunks():
    """More matrices than one chunk of line results holds (2¹⁶ results): every chunk's outputs are written."""
    a = _data(np.complex128, (6, 300, 240), 13)  # 240 matrices × 300 columns = 72000 results
    for ordv in (1, -1):
        got = normnative.norm(a, ordv, (0, 1))
        alone, _ = _alone(a, ordv, (0, 1))
        assert _same(got, alone)
    assert math.isfinite(float(got.sum()))


@pytest.mark.parametrize("ordv", [1, -1])
@pytest.mark.parametrize("dt, scale", [(np.complex64, 1.0), (np.complex128, 1.0), (np.complex128, 2.0 ** -460)])
def test_complex_candidates_just_above_a_midpoint(dt, scale, ordv):
    """Each matrix's best column sums to 1 + u + t, u half an ulp of 1 in the result format (2⁻²⁴ / 2⁻⁵³), t below the
    float64 sum's own ulp (2⁻⁷⁰ / 2⁻⁶⁰: float64 1-norms are correctly rounded from 2⁻⁷² of a midpoint on): a midpoint
    that only the double-double sum's low part lifts (without it, the midpoint rounds to even, down). The one candidate per matrix is summed by the lanes (ExactLanes) or the
    per-matrix pass; both must round up, as each matrix alone does. The zeros around, and every value of the matrices
    scaled by 2⁻⁴⁶⁰, take the complex128 magnitudes' scalar code."""
    single = dt == np.complex64
    u, t = (2.0 ** -24, 2.0 ** -70) if single else (2.0 ** -53, 2.0 ** -60)
    rng = np.random.default_rng(23)
    a = np.zeros((24, 19, 30), dt)
    for v, axis in ((a[::2, :, ::3], (0, 2)), (a, (0, 1)), (a[:, ::-2, 1:], (0, 1))):
        v[...] = 0
        r, c = axis
        m = np.moveaxis(v, (r, c), (-2, -1))  # (matrices, rows, columns) view of v
        other = 0.25 if ordv == 1 else 4.0  # every other column clearly below (ord 1) or above (ord −1) the candidate
        m[...] = (scale * other / m.shape[1]) * (1 + 0.01 * rng.random(m.shape))
        for i in range(m.shape[0]):
            k = rng.integers(m.shape[2])
            m[i, :, k] = 0
            m[i, 0, k] = scale
            m[i, 1, k] = complex(0.0, scale * u)  # |z| exact either way
            m[i, 2, k] = scale * t
        got, w = norm_with_warnings(v, ordv, axis)
        alone, wa = _alone(v, ordv, axis)
        assert _same(got.reshape(alone.shape), alone), (axis, v.strides)
        want = np.float32(1 + 2 * u) if single else scale * (1 + 2 * u)
        assert np.all(got == want), (axis, got)


@pytest.mark.parametrize("ordv", [1, -1])
@pytest.mark.parametrize("dt", [np.int64, np.uint64])
def test_64_bit_integer_candidates_whose_low_part_counts(dt, ordv):
    """Each matrix's best column is [2⁵³, 1, 1, 0, …]: its float64 running sum stays at 2⁵³ (2⁵³ + 1 rounds to even)
    and only the double-double low part carries the 2, so the stored 2⁵³ + 2 needs it. The one candidate per matrix
    is summed by the lanes (ExactLanes) or the per-matrix pass; both must give it, as each matrix alone does."""
    rng = np.random.default_rng(29)
    a = np.zeros((24, 19, 30), dt)
    for v, axis in ((a[::2, :, ::3], (0, 2)), (a, (0, 1)), (a[:, ::-2, 1:], (0, 1))):
        v[...] = 0
        r, c = axis
        m = np.moveaxis(v, (r, c), (-2, -1))
        other = 2 ** 50 if ordv == 1 else 2 ** 56  # every other column clearly below (ord 1) or above (ord −1)
        m[...] = rng.integers(other // m.shape[1], 2 * (other // m.shape[1]), m.shape, dtype=np.int64).astype(dt)
        for i in range(m.shape[0]):
            k = rng.integers(m.shape[2])
            m[i, :, k] = 0
            m[i, 0, k] = 2 ** 53
            m[i, 1, k] = 1
            m[i, 2, k] = 1
        got, w = norm_with_warnings(v, ordv, axis)
        alone, wa = _alone(v, ordv, axis)
        assert _same(got.reshape(alone.shape), alone), (axis, v.strides)
        assert np.all(got == 2.0 ** 53 + 2), (axis, got)
