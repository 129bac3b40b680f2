"""float32 costly orders over many short rows (ord 3: RowsWide's cube sums with FloatPowFast.Cbrt and its rounding
proof; ord 1.7, 2.5, -1.5, 4, 5, 10, 20, -0.5: the lane sums and roots): EVERY output against a 100-digit mpmath reference (float32
results are correctly rounded, so exactly the nearest float) and bit for bit against the same row reduced alone, row
lengths 1 ... 70, magnitudes near 1e+-38, subnormals, mixed rows, rows whose norm is exactly a float (3, 4, 5 -> 6 for
ord 3), contiguous, strided, reversed and F-order views, and 1/2/3 threads."""
import warnings
import zlib

import numpy as np
import pytest

import normnative
from _reference import ulp_error, vector_ref

ORDS = (3.0, 1.7, 2.5, -1.5, 4.0, 5.0, 10.0, 20.0, -0.5)
LENGTHS = (1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 70)
SCALES = {"normal": 1.0, "huge": 3e37, "tiny": 1e-36, "subnormal": 1e-43}


def _rows(rows, n, kind, rng):
    g = rng.standard_normal((rows, n))
    if kind == "mixed":
        return (g * np.exp2(rng.integers(-120, 120, (rows, n)).astype(float))).astype(np.float32)
    return (g * SCALES[kind]).astype(np.float32)


def _views(a):
    rows, n = a.shape
    wide = np.zeros((rows, 2 * n + 1), np.float32)
    wide[:, : 2 * n : 2] = a
    # (view, axis, reversed rows)
    return [(a, 1, False), (wide[:, : 2 * n : 2], 1, False), (a[::-1, ::-1], 1, True), (np.asfortranarray(a), 1, False),
            (np.ascontiguousarray(a.T), 0, False)]


def _norm(x, p, axis=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return normnative.norm(x, p, axis=axis)


@pytest.mark.parametrize("p", ORDS)
def test_every_row_correctly_rounded_and_equal_to_the_row_alone(p):
    rng = np.random.default_rng(zlib.crc32(f"f32 short rows {p}".encode()))
    for j, n in enumerate(LENGTHS):
        kind = ("normal", "huge", "tiny", "subnormal", "mixed")[j % 5]
        a = _rows(int(rng.choice([8, 9, 17, 33])), n, kind, rng)
        got = _norm(a, p, axis=1)
        assert got.dtype == np.float32
        for i, row in enumerate(a):
            assert ulp_error(got[i], vector_ref(row, p), np.float32) <= 0.5, (p, n, kind, i, got[i])
        for view, axis, rev in _views(a):
            out = _norm(view, p, axis=axis)
            lines = view if axis == 1 else view.T
            alone = np.array([_norm(np.array(line), p) for line in lines])
            assert out.tobytes() == alone.tobytes(), (p, n, kind, axis)
            # correctly rounded: the element order of a row cannot matter
            assert out.tobytes() == (got[::-1] if rev else got).tobytes(), (p, n, kind, axis, rev)


def test_exact_cube_norms():
    # 3³ + 4³ + 5³ = 6³ at many binades and row positions: the norm is exactly 6·2^k
    rng = np.random.default_rng(5)
    base = np.array([3, 4, 5], np.float32)
    rows = []
    for k in range(-40, 40, 3):
        r = rng.standard_normal(7).astype(np.float32)
        rows.append(np.concatenate([base * np.float32(2.0**k), np.zeros(4, np.float32)]))
        rows.append(r)
    a = np.array(rows, np.float32)
    got = _norm(a, 3, axis=1)
    for i, k in enumerate(range(-40, 40, 3)):
        assert got[2 * i] == np.float32(6 * 2.0**k), (k, got[2 * i])
    for i in range(1, len(rows), 2):
        assert ulp_error(got[i], vector_ref(a[i], 3), np.float32) <= 0.5


@pytest.mark.parametrize("p", (3.0, 1.7))
def test_bits_do_not_depend_on_threads(p):
    rng = np.random.default_rng(17)
    old = normnative.get_num_threads()
    try:
        for n in (3, 4, 16, 64):
            a = _rows(30011 if n <= 4 else 4001, n, "mixed", rng)
            results = []
            for t in (1, 2, 3):
                normnative.set_num_threads(t)
                results.append(_norm(a, p, axis=1).tobytes())
            assert results[0] == results[1] == results[2], (p, n)
            sample = rng.integers(0, a.shape[0], 5)
            got = np.frombuffer(results[0], np.float32)
            for i in sample:
                assert ulp_error(got[i], vector_ref(a[i], p), np.float32) <= 0.5, (p, n, i)
    finally:
        normnative.set_num_threads(old)
