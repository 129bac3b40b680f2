"""Real float32 / float16 lines whose general-order norm lies a hair (2⁻⁴⁰ … 2⁻⁹² relative) above or below a rounding
midpoint of the result dtype must get the correctly rounded value on every path that can reduce such a line: the 1-D
fast proof and its fallback (contiguous, strided, negative stride, long lines), many short rows (NarrowLaneSums, which
must decline them), longer rows, columns, F-order rows and reductions over two axes of a 3-D array. The lines come from
``_midpoints.real_lines_near_midpoint`` (fillers, then elements solved greedily against the residual in 700-bit
mpmath); the reference is that exact norm rounded to the dtype, never the library. The library built from 8ee8342~1
(the fallback's plain-double pow terms) rounds 264 of these 2226 lines the wrong way, on every path (orders 1 ≤ |p| ≤
1000 that are not half-integers: float32 1.7, 3.3, 1.2, −1.7, −3.3; float16 1.7, 3.3, −1.7, −3.3); half-integer orders
are decided exactly (Kernels/PowerTie.cs) and |p| < 1 had double-double terms already, so those lines guard the other
kernels. Lines nearer than 2⁻⁹² are not kept here: the double-double terms and root are good to about 2⁻¹⁰⁰, and lines
that close are decided by the big-integer second stage (Kernels/GeneralTie.cs), tested in test_general_ties.py."""
import warnings
import zlib

import numpy as np
import pytest

import normnative
from _midpoints import correctly_rounded, log2_abs, real_lines_near_midpoint, relative_distance

NEAREST, FARTHEST = -92, -40  # log2 of the relative distance to the midpoint kept
F32_ORDS = (1.7, 3.3, 1.2, -1.7, -3.3, 0.5, 0.3, -0.7, 2.5, -2.5, -1.5, -0.5)
F16_ORDS = (1.7, 3.3, 1.2, 2.5, -1.7, -3.3, -2.5, 7.5)


def _exponent(dtype, p, rng):
    """Binade of the midpoint: room for the greedy elements (smaller than m for p > 0, larger for p < 0)."""
    if dtype == np.float32:
        return int(rng.integers(40, 120)) if p > 0 else int(rng.integers(-120, -60))
    return int(rng.integers(6, 15)) if p > 0 else int(rng.integers(-14, -8))


def _lines(dtype, p, n, count, seed):
    """``count`` lines of n values each within [2^NEAREST, 2^FARTHEST] of a midpoint, alternating sides, with their
    references and log2 distances (signed: > 0 above m)."""
    rng = np.random.default_rng(zlib.crc32(f"real midpoints {np.dtype(dtype).name} {p} {n} {seed}".encode()))
    greedy = (2, 3, 4) if dtype == np.float32 else (4, 5, 6, 7, 8)
    out = []
    for attempt in range(40 * count):
        if len(out) == count:
            break
        g = int(rng.choice([k for k in greedy if k < n] or [n - 1]))
        r = real_lines_near_midpoint(dtype, p, n, g, rng, above=len(out) % 2 == 0, exponent=_exponent(dtype, p, rng))
        if r is None:
            continue
        line, m = r
        d = relative_distance(line, p, m)
        if NEAREST <= log2_abs(d) <= FARTHEST:
            out.append((line, correctly_rounded(line, p, dtype), d > 0))
    return out


def _norm(x, p, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # finite nonzero lines: no event may be reported
        if isinstance(kw.get("axis"), tuple):  # a vector norm over several axes (norm() would take a matrix norm)
            return normnative.vector_norm(x, ord=p, **kw)
        return normnative.norm(x, p, **kw)


def _check_lone(lines, p, dtype):
    for line, ref, _ in lines:
        n = len(line)
        wide, wide_rev = np.zeros(3 * n, dtype), np.zeros(3 * n, dtype)
        wide[::3], wide_rev[::3] = line, line[::-1]
        rev = line[::-1].copy()
        # contiguous, stride 3, stride −1, stride −3: the same values in the same order
        for view in (line, wide[::3], rev[::-1], wide_rev[::3][::-1]):
            got = _norm(view, p)
            assert got.dtype == dtype
            assert got == ref, (p, n, line.tolist(), got, ref)


def _check_stacked(lines, p, dtype):
    a = np.array([line for line, _, _ in lines], dtype)
    refs = np.array([ref for _, ref, _ in lines], dtype)
    rows, n = a.shape
    views = [
        (a, dict(axis=1), refs),                                        # C rows
        (np.asfortranarray(a), dict(axis=1), refs),                     # F rows (strided lines)
        (np.ascontiguousarray(a.T), dict(axis=0), refs),                # columns
        (a[::-1, ::-1], dict(axis=1), refs[::-1]),                      # reversed rows, negative strides
    ]
    for view, kw, want in views:
        got = _norm(view, p, **kw)
        assert got.dtype == dtype
        assert got.tobytes() == want.tobytes(), (p, a.shape, kw, np.flatnonzero(got != want))
    if n % 2 == 0:
        # each line split over two axes of a 3-D array: reduce axes (1, 2) and, transposed, (0, 2)
        b = a.reshape(rows, 2, n // 2)
        assert _norm(b, p, axis=(1, 2)).tobytes() == refs.tobytes(), (p, a.shape)
        c = np.ascontiguousarray(b.transpose(1, 0, 2))
        assert _norm(c, p, axis=(0, 2)).tobytes() == refs.tobytes(), (p, a.shape)


def _run(dtype, p, lengths, per_length, lone_lengths):
    total, above = 0, 0
    for n in lengths:
        lines = _lines(dtype, p, n, per_length, 0)
        assert len(lines) == per_length, (n, len(lines))  # the generator keeps finding tails (≥ 8 rows: the lane kernels)
        total += len(lines)
        above += sum(side for _, _, side in lines)
        _check_stacked(lines, p, dtype)
        if n in lone_lengths:
            _check_lone(lines, p, dtype)
    assert 0 < above < total  # both sides of the midpoints
    return total


@pytest.mark.parametrize("p", F32_ORDS)
def test_float32_lines_near_midpoints(p):
    total = _run(np.float32, p, (3, 5, 8, 9, 16, 17, 64, 65, 200), 16, (3, 5, 8, 9, 16, 17, 64, 65, 200))
    assert total >= 100


@pytest.mark.parametrize("p", F16_ORDS)
def test_float16_lines_near_midpoints(p):
    total = _run(np.float16, p, (9, 10, 16, 17, 64, 65), 16, (9, 16, 65))
    assert total >= 48


@pytest.mark.parametrize("dtype, p", [(np.float32, 1.7), (np.float32, -3.3), (np.float16, 3.3)])
def test_long_lines_near_midpoints(dtype, p):
    # lengths past the one-pass kernel's lane and run boundaries (contiguous, strided, reversed: the 1-D proof declines)
    for n in (2047, 2049, 4100):
        lines = _lines(dtype, p, n, 2, 1)
        assert lines
        _check_lone(lines, p, dtype)


def test_distance_is_measured_not_assumed():
    # the generator's claim checked on one line by an independent formula: the kept distance is the exact one
    import mpmath as mp
    line, ref, above = _lines(np.float32, 1.7, 5, 1, 7)[0]
    with mp.workprec(800):
        s = mp.fsum(abs(mp.mpf(float(v))) ** mp.mpf(1.7) for v in line)
        norm = s ** (1 / mp.mpf(1.7))
        lo = mp.mpf(float(np.float32(float(norm))))
        hi = mp.mpf(float(np.nextafter(np.float32(float(norm)), np.float32(np.inf if lo < norm else -np.inf))))
        mid = (lo + hi) / 2
        assert (norm > mid) == above
        assert 2 ** -93 < abs(norm / mid - 1) < 2 ** -39
        assert ref == np.float32(float(hi if abs(hi - norm) < abs(lo - norm) else lo))
