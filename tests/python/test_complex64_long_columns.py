"""complex64 orders ½, 3, 4, −1, 1.5, 2.5 and −2.5 over columns longer than 64 values whose outputs are adjacent
(C-order axis 0, Fortran rows, axis 2 of a Fortran 3-D array, and — compacted band by band — strided outputs):
Complex64Columns' long-column groups, eight columns a group, each lane summing its column's terms straight from the
rows and storing a float32 only when it is provably the correctly rounded norm; every other column goes alone.

Columns whose exact norm lies 2⁻⁴⁰ … 2⁻⁹² from a float32 rounding midpoint (700-bit mpmath, ``_midpoints``) sit inside
the lanes' margin (3(n + 8192) + 2¹⁸ double ulps, ≈ 2⁻³⁵ relative) and must still get the exact norm rounded once; a
store without the midpoint test gets some of them wrong. Random columns with extreme scales, zeros, inf and nan:
NumPy's dtype, NaN positions and warnings, the bits of each column alone and ≤ 0.5 ulp of the exact norm, at 1 and 2
threads."""
import zlib

import numpy as np
import pytest

from _reference import assert_exact_views, assert_float32_correctly_rounded, assert_float32_lines_match, vector_ref
from test_narrow_neg_columns import _as_complex, _columns, _near_lines

LONG_ORDERS = [0.5, 3, 4, -1, 1.5, 2.5, -2.5]


def _views(cols, want):
    """(view, axis, expected) triples of the same columns laid out the ways the kernel (or a band of it) reads them."""
    n, k = cols.shape
    spaced = np.zeros((n, 2 * k), np.complex64)
    spaced[:, ::2] = cols
    a, b = (3, k // 3) if k % 3 == 0 else (k, 1)
    # Fortran (a, b, n): the kept axes coalesce into k adjacent outputs, line i + a·j at [i, j, :]
    f3 = np.asfortranarray(cols.T.reshape(b, a, n).transpose(1, 0, 2))
    return [
        (cols, 0, want),                                  # C-order columns
        (cols[::-1, ::-1], 0, want[::-1]),                # negative strides both ways
        (np.asfortranarray(cols.T), 1, want),             # Fortran rows
        (f3, 2, want.reshape(b, a).T),                    # Fortran 3-D, last axis
        (spaced[:, ::2], 0, want),                        # outputs two apart: ColumnBands compacts bands
    ]


@pytest.mark.parametrize("p", LONG_ORDERS)
def test_long_columns_near_midpoints(p):
    for n, count in ((65, 9), (300, 12)):
        lines = _near_lines(p, n, count, 2)
        cols = _as_complex(np.array([line for line, _ in lines], np.float32).T)  # (n, count): column j is line j
        want = np.array([ref for _, ref in lines], np.float32)
        assert_exact_views(_views(cols, want), p, n)


@pytest.mark.parametrize("p", LONG_ORDERS)
@pytest.mark.parametrize("shape", [(65, 9), (100, 37), (257, 16)])
def test_long_columns_parity_and_alone(p, shape, threads):
    rng = np.random.default_rng(zlib.crc32(f"long c64 columns {p} {shape}".encode()))
    a = _columns(*shape, np.complex64, rng)
    for view, axis, _ in _views(a, np.zeros(shape[1], np.float32)):
        got, lines = assert_float32_lines_match(view, p, axis)
    for j in range(shape[1]):
        assert_float32_correctly_rounded(got.reshape(-1)[j], vector_ref(list(lines[j]), p), p, shape, j)


@pytest.mark.parametrize("p", [0.5, 1.5, 2.5, -2.5, 3, 4, -1, -2])
def test_long_rows_and_vectors_near_midpoints(p):
    # the same lines as rows (each row's 1-D fast path, Complex64Fast, whose roots for 1.5 / ±2.5 are within 2⁻³⁶ and
    # for 4 two square roots) and as whole vectors: every line is inside the store margin, so each must reach the
    # exact path
    for n, count in ((65, 9), (300, 12)):
        lines = _near_lines(p, n, count, 3)
        rows = _as_complex(np.array([line for line, _ in lines], np.float32))  # (count, n): row j is line j
        want = np.array([ref for _, ref in lines], np.float32)
        spaced = np.repeat(rows, 2, axis=1)[:, ::2]
        assert_exact_views([(rows, 1, want), (rows[::-1, ::-1], 1, want[::-1]), (spaced, 1, want)]
                           + [(row, 0, ref) for row, ref in zip(rows, want)], p, n)
