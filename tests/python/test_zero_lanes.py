"""Lines holding a zero at a negative order, finished inside the lane kernels (session 18).

NumPy's 0 ** p is +inf with a divide-by-zero warning for p < 0, so such a line's norm is exactly +0 — or NaN when the
line also holds a NaN. The float64 short-column lanes (DDColumns) and the ord -1 row lanes (LaneAcross) now store
those outputs from their registers instead of sending each line to the lone-line route. These tests put zeros, NaNs
and infinities in every lane position of groups of eight and four (all lanes zero, none, some, a tail), and check every
output against the line reduced alone (the 1-D path's bits), NumPy's value for the zero lines, and the warnings."""
import warnings
import zlib

import numpy as np
import pytest

import normnative


def _quiet(x, p, axis=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return normnative.norm(x, p, axis=axis)


def _messages(f):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        out = f()
    return out, {str(m.message) for m in w}


def _lines(rng, n, count):
    """Small integers (about a fifth of 4-element lines hold a zero), with whole groups of zero lines, lines of
    zeros only, a zero beside a NaN, beside an infinity, and signed zeros."""
    a = rng.integers(-9, 10, (count, n)).astype(np.float64)
    a[8:16, 0] = 0.0            # a whole group of eight zero lines
    a[16:24, :] = 0.0           # lines of zeros only
    a[16:24:2, :] = -0.0
    a[24:32, 1 % n] = 0.0
    a[25, 0] = np.nan           # a zero and a NaN: NaN
    a[27, n - 1] = np.inf       # a zero and an infinity: 0
    a[29, 0] = -np.inf
    a[33, 0] = np.nan           # a NaN without a zero (unless the draw put one there)
    a[40:48, 0] = 7.0           # a group with no zero
    a[40:48, 1 % n] = 3.0
    a[40:48, n - 1] = 5.0
    return a


@pytest.mark.parametrize("p", [-1.0, -2.5, -3.0])
@pytest.mark.parametrize("n,count,layout", [(4, 3001, "columns"), (3, 67, "columns"), (7, 803, "columns"),
                                            (40, 203, "columns"), (4, 3001, "rows"), (6, 501, "rows")])
def test_zero_lines_equal_the_lines_alone(p, n, count, layout):
    rng = np.random.default_rng(zlib.crc32(f"zero lanes {p} {n} {count} {layout}".encode()))
    lines = _lines(rng, n, count)
    if layout == "columns":   # (n, count), reduced over axis 0: adjacent outputs
        x, axis = np.ascontiguousarray(lines.T), 0
    else:                     # (count, n) C order, reduced over axis 1: short rows
        x, axis = lines, 1
    got = _quiet(x, p, axis)
    assert got.dtype == np.float64 and got.shape == (count,)
    for i in range(count):
        alone = _quiet(np.ascontiguousarray(lines[i]), p)
        assert got[i].tobytes() == np.float64(alone).tobytes(), (i, lines[i])
        if np.any(lines[i] == 0):
            # NumPy's value for a line with a zero: +0, or NaN beside a NaN
            assert (np.isnan(got[i]) if np.any(np.isnan(lines[i])) else got[i].tobytes() == np.float64(0).tobytes())
    # one or two threads: the same bits
    old = normnative.set_num_threads(1)
    try:
        assert _quiet(x, p, axis).tobytes() == got.tobytes()
    finally:
        normnative.set_num_threads(old)


@pytest.mark.parametrize("p", [-1.0, -2.5, -3.0])
@pytest.mark.parametrize("layout", ["columns", "rows"])
def test_zero_lines_warn_as_numpy(p, layout):
    rng = np.random.default_rng(zlib.crc32(f"zero lanes warn {p} {layout}".encode()))
    for zeros in (True, False):
        lines = rng.integers(1, 10, (2003, 4)).astype(np.float64) * rng.choice([-1.0, 1.0], (2003, 4))
        if zeros:
            lines[rng.choice(2003, 300, replace=False), rng.integers(0, 4, 300)] = 0.0
        x, axis = (np.ascontiguousarray(lines.T), 0) if layout == "columns" else (lines, 1)
        got, ours = _messages(lambda: normnative.norm(x, p, axis=axis))
        want, theirs = _messages(lambda: np.linalg.norm(x, p, axis=axis))
        assert ours == theirs
        assert bool(ours) == zeros
        zero_lines = np.any(lines == 0, axis=1)
        assert np.array_equal(got[zero_lines], want[zero_lines])
