"""Matrix norms ord ±1 / ±inf of integer stacks (LineSumNorms.IntAcross: matrices side by side, exact integer line
sums in lanes): every axis pair of 3-D arrays against the exact value (Python integers, converted once) and NumPy,
extreme values at the accumulator bounds, stack counts not a multiple of the lane count, 1 vs 2 threads."""
import warnings

import numpy as np
import pytest

import normnative

INTS = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32"]
ORDS = [1, -1, np.inf, -np.inf]
PAIRS = [(0, 1), (1, 0), (0, 2), (2, 0), (1, 2), (2, 1), (-3, -2)]


def _exact(a, ordv, axis):
    """max/min over lines of the exact abs-sums (int64 is exact here), as Python floats (correctly rounded)."""
    r, c = (ax % a.ndim for ax in axis)
    m = np.moveaxis(np.abs(a.astype(np.int64)), (r, c), (-2, -1))
    sums = m.sum(axis=-2) if ordv in (1, -1) else m.sum(axis=-1)
    best = sums.max(axis=-1) if ordv > 0 else sums.min(axis=-1)
    return np.array([float(int(v)) for v in best.ravel()]).reshape(best.shape)


def _random(dt, shape, seed):
    if dt == "bool":
        return np.random.default_rng(seed).random(shape) > 0.5
    info = np.iinfo(dt)
    return np.random.default_rng(seed).integers(info.min, info.max, size=shape, endpoint=True).astype(dt)


@pytest.mark.parametrize("dt", INTS)
@pytest.mark.parametrize("count", [4, 5, 8, 9, 13, 31, 33, 61])
def test_every_pair_and_ord_matches_exact_and_numpy(dt, count):
    a = _random(dt, (7, 5, count), count)
    for axis in PAIRS:
        for ordv in ORDS:
            got = normnative.norm(a, ordv, axis)
            want = _exact(a, ordv, axis)
            assert got.dtype == np.float64 and got.shape == want.shape
            assert np.array_equal(got, want), (dt, count, axis, ordv)
            assert np.array_equal(got, np.linalg.norm(a, ordv, axis))


@pytest.mark.parametrize("dt", INTS)
def test_views_and_keepdims(dt):
    a = _random(dt, (6, 40, 9, 3), 7)
    for v in (a[:, :, :, 0], a[::-1, :, ::-1, 1], a[:, ::2, :, 2], np.asfortranarray(a[..., 0])):
        for axis in [(0, 1), (1, 0), (0, 2)]:
            for ordv in ORDS:
                want = _exact(v, ordv, axis)
                assert np.array_equal(normnative.norm(v, ordv, axis), want)
                assert np.array_equal(normnative.norm(v, ordv, axis, keepdims=True),
                                      np.linalg.norm(v, ordv, axis, keepdims=True))


@pytest.mark.parametrize("dt,length", [("int8", 4000), ("uint8", 4000), ("int16", 32767), ("int16", 32768),
                                       ("uint16", 32767), ("uint16", 32768), ("int32", 1024), ("uint32", 1024)])
def test_extreme_values_at_accumulator_bounds(dt, length):
    """Every element at the dtype's largest magnitude (int*: the minimum, whose abs is 2^(bits-1)): the lane sums
    reach their bound (uint16: 65535 * 32767 < 2^31) or the kernel hands the batch to the general path."""
    info = np.iinfo(dt)
    big = info.min if info.min < 0 else info.max
    a = np.full((length, 2, 9), big, dtype=dt)
    a[0, 1, 3] = 0  # one smaller line: min and max differ
    for ordv in ORDS:
        for axis in [(0, 1), (1, 0)]:
            want = _exact(a, ordv, axis)
            assert np.array_equal(normnative.norm(a, ordv, axis), want), (ordv, axis)


def test_bool_bytes_other_than_one():
    """bool stacks viewed from bytes 0 … 255: every non-zero byte counts as one, as NumPy's conversion to float64."""
    u = (np.arange(7 * 5 * 40, dtype=np.int64).reshape(7, 5, 40) * 37 % 256).astype(np.uint8)
    u[:, 2, 5] = 0
    b = u.view(np.bool_)
    for axis in PAIRS:
        for ordv in ORDS:
            want = _exact(b.astype(np.uint8) != 0, ordv, axis)
            got = normnative.norm(b, ordv, axis)
            assert np.array_equal(got, want), (axis, ordv)
            assert np.array_equal(got, np.linalg.norm(b, ordv, axis))


def test_zeros_and_single_lines():
    for dt in INTS:
        z = np.zeros((3, 4, 10), dtype=dt)
        for ordv in ORDS:
            assert np.array_equal(normnative.norm(z, ordv, (0, 1)), np.zeros(10))
        one = _random(dt, (1, 1, 17), 3)
        for ordv in ORDS:
            assert np.array_equal(normnative.norm(one, ordv, (0, 1)), _exact(one, ordv, (0, 1)))


@pytest.mark.parametrize("dt", ["int8", "int16", "uint32"])
def test_bits_do_not_depend_on_threads(dt):
    a = _random(dt, (64, 64, 301), 11)  # large enough to split the passes over threads
    old = normnative.get_num_threads()
    try:
        res = []
        for t in (1, 2):
            normnative.set_num_threads(t)
            res.append([normnative.norm(a, o, (0, 1)) for o in ORDS])
    finally:
        normnative.set_num_threads(old)
    for o, r1, r2 in zip(ORDS, *res):
        assert np.array_equal(r1, r2)
        assert np.array_equal(r1, _exact(a, o, (0, 1)))


@pytest.mark.parametrize("view", ["C", "F", "[:, ::-2, 1:]", "[..., ::2].T", "[::2, :, ::3]"])
@pytest.mark.parametrize("dt", ["float32", "int16", "uint8", "int32"])
def test_stacks_by_vector_line_sums(view, dt):
    """Stacks of float32 (and integer) matrices along one kept axis, any layout (LineSumNorms.VectorLines: the vector
    ord-1 line sums, correctly rounded, then each matrix's best): every output has the bits of its matrix alone (the
    double-double path), with NaN lines (first NaN), ∞, overflowing float32 sums (events: the whole batch falls back),
    zeros and tied lines, and the warnings of the contiguous copy."""
    rng = np.random.default_rng(42)
    if dt == "float32":
        a = rng.standard_normal((30, 40, 50)).astype(np.float32)
    else:
        a = _random(dt, (30, 40, 50), 5)
    make = {"C": lambda x: x, "F": np.asfortranarray, "[:, ::-2, 1:]": lambda x: x[:, ::-2, 1:],
            "[..., ::2].T": lambda x: x[..., ::2].T, "[::2, :, ::3]": lambda x: x[::2, :, ::3]}[view]
    kinds = ["random", "ties", "special", "overflow"] if dt == "float32" else ["random", "ties"]
    for kind in kinds:
        w = make(a.copy())
        if kind == "ties":
            w[...] = 1
            w[::2, ::3, :] = 3
        elif kind == "special":
            w[1, 2, 3] = np.nan
            w[4, 5, 6] = -np.nan
            w[:, 7, 8] = np.inf
            w[0, :, 9] = 0
        elif kind == "overflow":
            w[:, 0, 10] = np.finfo(np.float32).max / 3  # one overflowing line per orientation: the best may not be
            w[0, :, 11] = np.finfo(np.float32).max / 3
        for axis in [(0, 1), (1, 0), (1, 2), (0, 2), (2, 0)]:
            for ordv in ORDS:
                with warnings.catch_warnings(record=True) as got_w:
                    warnings.simplefilter("always")
                    got = normnative.norm(w, ordv, axis)
                with warnings.catch_warnings(record=True) as want_w:
                    warnings.simplefilter("always")
                    want = normnative.norm(np.ascontiguousarray(w), ordv, axis)
                assert got.tobytes() == want.tobytes(), (kind, axis, ordv)
                assert sorted(map(str, (m.message for m in got_w))) == sorted(map(str, (m.message for m in want_w)))
                kept = [k for k in range(3) if k not in [ax % 3 for ax in axis]][0]
                for i in range(0, w.shape[kept], 7):
                    m = np.ascontiguousarray(np.take(w, i, axis=kept))
                    r, c = [ax % 3 - (ax % 3 > kept) for ax in axis]
                    alone = normnative.norm(m, ordv, (r, c))
                    assert got[i].tobytes() == np.asarray(alone).tobytes(), (kind, axis, ordv, i)
