"""float32 general and whole / half-integer orders over rows longer than 64 values whose own elements are contiguous
(C rows, rows of a sliced matrix, rows of a 3-D view whose kept axes do not merge): NarrowLaneSums' long rows, eight
lines at a time, each line's terms summed vector by vector in place (the last vector masked to the line) and its
float32 stored only when provably the correctly rounded norm; every other line goes alone.

Lines whose exact norm lies 2⁻⁴⁰ … 2⁻⁹² from a float32 rounding midpoint (700-bit mpmath, ``_midpoints``) sit inside
the lanes' margin (2⁻³⁶/min(1, |p|)) and must still get the exact norm rounded once; a store without the midpoint test
gets some wrong. Random rows with extreme scales, zeros, inf and nan: NumPy's dtype, NaN positions and warnings, the
bits of each line alone and ≤ 0.5 ulp of the exact norm, at 1 and 2 threads."""
import warnings
import zlib

import numpy as np
import pytest

import normnative
from _reference import assert_exact_views, assert_float32_correctly_rounded, assert_float32_lines_match, vector_ref
from test_narrow_neg_columns import _columns, _near_lines

ORDERS = [1.5, 2.5, 4, 5, -0.5, -3, 0.3, 1.7, -1.5, 10]


def _views(rows, want):
    """(view, axis, expected) triples of the same rows in the layouts the long-row lanes take (and two they do not)."""
    count, n = rows.shape
    sliced = np.zeros((count, n + 1), np.float32)
    sliced[:, 1:] = rows
    three = np.zeros((count // 2, 3, n + 1), np.float32)
    three[:, ::2, 1:] = rows.reshape(count // 2, 2, n)
    return [
        (rows, 1, want),                                        # C rows: eight lines one run
        (sliced[:, 1:], 1, want),                               # rows of a sliced matrix
        (three[:, ::2, 1:], 2, want.reshape(count // 2, 2)),    # 3-D: kept axes that do not merge
        (rows[::-1, ::-1], 1, want[::-1]),                      # reversed rows (not contiguous forwards)
        (np.asfortranarray(rows), 1, want),                     # Fortran rows (lines side by side)
    ]


@pytest.mark.parametrize("p", ORDERS)
def test_long_rows_near_midpoints(p):
    for n, count in ((65, 10), (300, 12)):
        lines = _near_lines(p, n, count, 4)
        rows = np.array([line for line, _ in lines], np.float32)
        want = np.array([ref for _, ref in lines], np.float32)
        assert_exact_views(_views(rows, want), p, n)


@pytest.mark.parametrize("p", ORDERS)
@pytest.mark.parametrize("shape", [(10, 65), (16, 100), (12, 300), (10, 800), (8, 2048), (8, 3001)])
def test_long_rows_parity_and_alone(p, shape, threads):
    count, n = shape
    rng = np.random.default_rng(zlib.crc32(f"f32 long rows {p} {shape}".encode()))
    rows = _columns(n, count, np.float32, rng).T.copy()  # the special lines first
    for view, axis, _ in _views(rows, np.zeros(count, np.float32)):
        assert_float32_lines_match(view, p, axis)
    if n <= 300:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            got = normnative.norm(rows, p, axis=1)
        for j in range(count):
            assert_float32_correctly_rounded(got[j], vector_ref(list(rows[j]), p), p, shape, j)
