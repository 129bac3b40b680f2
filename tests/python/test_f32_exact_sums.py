"""float32 ord 1 over many short rows whose double sum of |x| is exact (RowsWide's eight-rows-per-vector sums, the
exact-sum store of AcrossOutputsWide.Alone): EVERY output against an exact Fraction reference rounded once to float32
(ties to even), constructed exact midpoints (1 + 2^-24, integers around 2^24), zero / subnormal / special rows, row
lengths 1 ... 70 around the 8-lane and 24-element limits, strided, reversed and F-order views, bit for bit against the
same row reduced alone, and 1/2/3 threads."""
import warnings
import zlib
from fractions import Fraction

import numpy as np
import pytest

import normnative

LENGTHS = (1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 33, 63, 64, 65, 70)


def _round_f32(q):
    """The float32 nearest the non-negative rational q, ties to even (no double rounding)."""
    f = np.float32(float(q))
    cands = [np.nextafter(f, np.float32(0)), f, np.nextafter(f, np.float32(np.inf))]
    cands = [c for c in cands if np.isfinite(c)]
    best = min(abs(Fraction(float(c)) - q) for c in cands)
    near = [c for c in cands if abs(Fraction(float(c)) - q) == best]
    return min(near, key=lambda c: int(np.array(c, np.float32).view(np.uint32)) & 1)


def _exact_one(row):
    return _round_f32(sum((abs(Fraction(float(v))) for v in row), Fraction(0)))


def _norm(x, p=1, axis=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return normnative.norm(x, p, axis=axis)


def _check_rows(a, where):
    got = _norm(a, 1, axis=1)
    assert got.dtype == np.float32
    for i, row in enumerate(a):
        ref = _exact_one(row)
        assert got[i].tobytes() == np.float32(ref).tobytes(), (where, i, row, got[i], ref)
    alone = np.array([_norm(np.array(r)) for r in a], np.float32)
    assert got.tobytes() == alone.tobytes(), where
    rows, n = a.shape
    wide = np.zeros((rows, 2 * n + 1), np.float32)
    wide[:, : 2 * n : 2] = a
    for view, axis, rev in ((wide[:, : 2 * n : 2], 1, False), (a[::-1, ::-1], 1, True),
                            (np.asfortranarray(a), 1, False), (np.ascontiguousarray(a.T), 0, False)):
        out = _norm(view, 1, axis=axis)
        assert out.tobytes() == (got[::-1] if rev else got).tobytes(), (where, axis, rev)
    return got


def _midpoint_rows(rng, rows, n):
    """Rows of n floats whose exact sum is a float32 midpoint about half of the time: integers summing past 2^24,
    scaled by a random power of two."""
    ints = rng.integers(0, 1 << 23, (rows, n)).astype(np.float64)
    ints[:, 0] = rng.integers(1 << 23, 1 << 24, rows)
    scale = np.exp2(rng.integers(-100, 100, (rows, 1)).astype(float))
    return (ints * scale * rng.choice([-1.0, 1.0], (rows, n))).astype(np.float32)


@pytest.mark.parametrize("n", LENGTHS)
def test_every_length_random_and_midpoint_rows(n):
    rng = np.random.default_rng(zlib.crc32(f"f32 exact sums {n}".encode()))
    _check_rows(rng.standard_normal((41, n)).astype(np.float32), ("normal", n))
    _check_rows(_midpoint_rows(rng, 41, n), ("midpoint", n))


def test_many_normal_rows_of_four_and_sixteen():
    # ~8 % of rows of four normal floats have an exact sum on a float32 midpoint
    rng = np.random.default_rng(4)
    for shape in ((3000, 4), (600, 16)):
        a = rng.standard_normal(shape).astype(np.float32)
        got = _check_rows(a, shape)
        sums = [sum((abs(Fraction(float(v))) for v in r), Fraction(0)) for r in a]
        mids = sum(1 for s, g in zip(sums, got) if abs(Fraction(float(g)) - s) * 2
                   == abs(Fraction(float(np.nextafter(g, np.float32(np.inf)))) - Fraction(float(g))))
        if shape[1] == 4:
            assert mids > 100  # the rows this path exists for are really there


def test_constructed_midpoints_round_to_even():
    t = 2.0 ** -24
    a = np.array([[1, t, 0, 0], [1, 3 * t, 0, 0], [0, 0, 1, -t], [2 ** 24, 1, 0, 0], [2 ** 24, 3, 0, 0],
                  [-(2 ** 24), 0, 0, -1], [2 ** 23, 2 ** 23, 1, 0], [1.5, 1.5, t, 2 * t]] * 3, np.float32)
    want = np.array([1, 1 + 4 * t, 1, 2 ** 24, 2 ** 24 + 4, 2 ** 24, 2 ** 24, 3 + 4 * t] * 3, np.float32)
    got = _check_rows(a, "constructed")
    assert got.tobytes() == want.tobytes()


def test_zero_subnormal_and_special_rows():
    s = np.float32(1e-45)
    a = np.array([[0, 0, 0, 0], [-0.0, 0, -0.0, 0], [s, s, 3 * s, 0], [s, 0, 0, 2 ** -126], [1, 2, 3, 4],
                  [3e38, 3e38, 0, 0], [np.inf, 1, 0, 0], [np.nan, 1, 0, 0], [-np.inf, np.nan, 0, 0],
                  [3.4e38, 1e31, 0, 0], [2.0, 2.0 ** -40, 0, 0]] * 2, np.float32)
    got = _norm(a, 1, axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = np.linalg.norm(a, 1, axis=1)
    assert np.array_equal(got, want, equal_nan=True)
    finite = [i for i in range(len(a)) if np.all(np.isfinite(a[i])) and i % 11 != 5]
    for i in finite:
        assert got[i].tobytes() == np.float32(_exact_one(a[i])).tobytes(), (i, a[i], got[i])
    alone = np.array([_norm(np.array(r)) for r in a], np.float32)
    assert got.tobytes() == alone.tobytes()
    # the overflowing row warns as NumPy does
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r = normnative.norm(np.array([[3e38, 3e38, 0, 0]] * 9, np.float32), 1, axis=1)
    assert np.all(np.isinf(r)) and any(issubclass(x.category, RuntimeWarning) for x in w)


def _same_bits_for_1_2_3_threads(a):
    old = normnative.get_num_threads()
    try:
        outs = []
        for t in (1, 2, 3):
            normnative.set_num_threads(t)
            outs.append(_norm(a, 1, axis=1))
    finally:
        normnative.set_num_threads(old)
    assert outs[0].tobytes() == outs[1].tobytes() == outs[2].tobytes()
    return outs[0]


@pytest.mark.parametrize("n", (4, 16))
def test_bits_do_not_depend_on_threads(n):
    rng = np.random.default_rng(n)
    a = np.concatenate([rng.standard_normal((150000, n)), _midpoint_rows(rng, 50000, n)]).astype(np.float32)
    got = _same_bits_for_1_2_3_threads(a)
    for i in range(0, len(a), 997):
        assert got[i].tobytes() == np.float32(_exact_one(a[i])).tobytes(), (i, a[i])


def _exact_half(row):
    """The float16 nearest the exact sum of |row|, ties to even (the sum is exact in double: float(q) is q)."""
    q = sum((abs(Fraction(float(v))) for v in row), Fraction(0))
    assert Fraction(float(q)) == q
    with np.errstate(over="ignore"):
        return np.float16(float(q))  # one rounding of an exact double (∞ beyond 65504)


@pytest.mark.parametrize("n", (1, 2, 3, 4, 7, 8, 9, 16, 17, 33, 64, 100))
def test_float16_rows_exact_and_alone(n):
    rng = np.random.default_rng(zlib.crc32(f"f16 rows {n}".encode()))
    parts = [rng.standard_normal((40, n)), rng.integers(-2048, 2048, (40, n)) * np.exp2(rng.integers(-24, 4, (40, 1))),
             np.exp2(rng.integers(-24, 16, (40, n))) * rng.choice([-1.0, 1.0], (40, n)), np.zeros((3, n))]
    a = np.concatenate(parts).astype(np.float16)
    a[-1] = -0.0
    got = _norm(a, 1, axis=1)
    assert got.dtype == np.float16
    for i, row in enumerate(a):
        assert got[i].tobytes() == _exact_half(row).tobytes(), (n, i, row, got[i])
    alone = np.array([_norm(np.array(r)) for r in a], np.float16)
    assert got.tobytes() == alone.tobytes()
    rows, _ = a.shape
    wide = np.zeros((rows, 2 * n + 1), np.float16)
    wide[:, : 2 * n : 2] = a
    for view, axis, rev in ((wide[:, : 2 * n : 2], 1, False), (a[::-1, ::-1], 1, True),
                            (np.asfortranarray(a), 1, False), (np.ascontiguousarray(a.T), 0, False)):
        out = _norm(view, 1, axis=axis)
        assert out.tobytes() == (got[::-1] if rev else got).tobytes(), (n, axis, rev)


def test_float16_ties_specials_overflow_and_threads():
    t = 2.0 ** -11
    a = np.array([[1, t, 0, 0], [1, 3 * t, 0, 0], [2048, 1, 0, 0], [2048, 3, 0, 0], [6e-8, 6e-8, 0, 0],
                  [60000, 6000, 0, 0], [np.inf, 1, 0, 0], [np.nan, 1, 0, 0], [-np.inf, 2, 0, 0]] * 2, np.float16)
    want = np.array([1, 1 + 4 * t, 2048, 2052, 1.2e-7, np.inf, np.inf, np.nan, np.inf] * 2, np.float16)
    got = _norm(a, 1, axis=1)
    assert np.array_equal(got, want, equal_nan=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert np.array_equal(got, np.linalg.norm(a, 1, axis=1), equal_nan=True)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        normnative.norm(np.array([[60000, 6000]] * 5, np.float16), 1, axis=1)
    assert any(issubclass(x.category, RuntimeWarning) for x in w)
    rng = np.random.default_rng(16)
    big = rng.standard_normal((120000, 4)).astype(np.float16)
    got = _same_bits_for_1_2_3_threads(big)
    for i in range(0, len(big), 4999):
        assert got[i].tobytes() == _exact_half(big[i]).tobytes()
