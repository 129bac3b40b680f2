"""float64 ord 1 over short lines (at most 64 elements: one TwoSum lane, RealKernels.AbsLine, run on one lane for a line
alone and a row per SIMD lane for many rows): every output bit for bit against the same line reduced alone, on C rows,
F order, reversed, strided, 3-D axes and columns, at 1/2/3 threads; the lines alone against the exactly rounded sum
(fractions), including sums on rounding midpoints, subnormals and huge values; values and warnings as NumPy."""
import warnings
from fractions import Fraction

import numpy as np
import pytest

import normnative
from _reference import recorded

LENGTHS = (1, 3, 4, 5, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65)


def _exact(line):
    s = sum(Fraction(abs(float(v))) for v in line)
    try:
        return float(s)  # Fraction -> float rounds to nearest, ties to even
    except OverflowError:
        return float("inf")


def _rows(rows, n, kind, rng):
    a = rng.standard_normal((rows, n))
    if kind == "midpoints":
        # 2^53 plus small integers: an odd total beyond 2^53 is a rounding midpoint
        a = rng.integers(-3, 4, (rows, n)).astype(float)
        a[:, n // 2] = 2.0 ** 53
    elif kind == "tiny":
        a *= 1e-310
    elif kind == "huge":
        a *= 1e307
    elif kind == "mixed":
        a *= np.exp2(rng.integers(-40, 40, (rows, n)).astype(float))
    elif kind == "special":
        k = min(6, rows)
        a[rng.integers(0, rows, k), rng.integers(0, n, k)] = [0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324][:k]
        a[rng.integers(0, rows)] = 0.0
    return a


def _alone(view, axis):
    other = 1 - axis
    return np.array([normnative.norm(np.ascontiguousarray(np.take(view, i, axis=other)), 1)
                     for i in range(view.shape[other])])


@pytest.mark.parametrize("n", LENGTHS)
@pytest.mark.parametrize("kind", ("normal", "midpoints", "tiny", "huge", "mixed", "special"))
def test_rows_match_each_line_alone_and_exact(n, kind):
    rng = np.random.default_rng(n * 101 + len(kind))
    rows = 8 * 3 + 4 + 3  # 8-row, 4-row and single-row groups
    a = _rows(rows, n, kind, rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for view, axis in ((a, 1), (np.asfortranarray(a), 1), (a[::-1, ::-1], 1), (np.repeat(a, 2, axis=1)[:, ::2], 1),
                           (a.T, 0), (np.asfortranarray(a).T, 0)):
            got = normnative.norm(view, 1, axis=axis)
            assert got.tobytes() == _alone(view, axis).tobytes()
        got = normnative.norm(a, 1, axis=1)
    if kind != "special":
        for i in range(rows):
            assert got[i] == _exact(a[i]), (i, a[i])


@pytest.mark.parametrize("shape,axis", (((6, 40, 16), 2), ((6, 40, 33), 2), ((6, 64, 10), 1), ((20, 3, 5), 0),
                                        ((7, 5, 64), 2)))
def test_3d_axes_match_the_line_alone(shape, axis):
    rng = np.random.default_rng(sum(shape) + axis)
    a = rng.standard_normal(shape) * np.exp2(rng.integers(-30, 30, shape).astype(float))
    for view in (a, np.asfortranarray(a), a[::-1, :, ::-1]):
        got = normnative.norm(view, 1, axis=axis)
        moved = np.moveaxis(view, axis, -1).reshape(-1, shape[axis])
        want = np.array([normnative.norm(np.ascontiguousarray(line), 1) for line in moved]).reshape(got.shape)
        assert got.tobytes() == want.tobytes()
    for line in np.moveaxis(a, axis, -1).reshape(-1, shape[axis])[::5]:
        assert normnative.norm(line, 1) == _exact(line)


@pytest.mark.parametrize("n", (16, 33, 64))
def test_thread_count_does_not_change_bits(n):
    rng = np.random.default_rng(n)
    a = rng.standard_normal((60000 // n * 4 + 5, n)) * np.exp2(rng.integers(-60, 60, (1, n)).astype(float))
    old = normnative.get_num_threads()
    try:
        outs = []
        for t in (1, 2, 3):
            normnative.set_num_threads(t)
            outs.append(normnative.norm(a, 1, axis=1).tobytes())
    finally:
        normnative.set_num_threads(old)
    assert outs[0] == outs[1] == outs[2]
    got = np.frombuffer(outs[0])
    for i in range(0, a.shape[0], 97):
        assert got[i] == normnative.norm(np.ascontiguousarray(a[i]), 1) == _exact(a[i])


def test_special_rows_match_numpy_values_and_warnings():
    a = np.array([[0.0] * 20, [np.inf] + [1.0] * 19, [np.nan] + [1.0] * 19, [1e308] * 20, [-2.0] * 20] * 7)
    got, w1 = recorded(lambda: normnative.norm(a, 1, axis=1))
    want, w2 = recorded(lambda: np.linalg.norm(a, 1, axis=1))
    np.testing.assert_array_equal(got, want)
    assert [str(x.message) for x in w1] == [str(x.message) for x in w2]


@pytest.mark.parametrize("n", (16, 40, 64))
def test_vectors_strided_and_reversed(n):
    rng = np.random.default_rng(n + 7)
    v = rng.standard_normal(3 * n) * np.exp2(rng.integers(-50, 50, 3 * n).astype(float))
    base = v[:n].copy()
    want = normnative.norm(base, 1)
    assert want == _exact(base)
    w = np.empty(3 * n)
    w[::3] = base
    assert normnative.norm(w[::3], 1) == want
    assert normnative.norm(base[::-1].copy()[::-1], 1) == want
    r = np.empty(2 * n)
    r[::2] = base[::-1]
    assert normnative.norm(r[::2][::-1], 1) == want
