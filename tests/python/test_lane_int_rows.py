"""float64 whole and half-integer orders over an axis of many short lines with the SUMS made a SIMD lane per line
(Engine/LaneIntSums.cs): every output bit for bit against the same line reduced alone, at every line length 1 … 70
and 127 … 129 (the 16-accumulator boundaries, the offset kernel's 64, the lane limit 128), row counts not a multiple of 8 or 32, C,
F-order, reversed and strided views, 1/2/3 threads; sampled outputs against exact references (whole orders: the
big-integer root of test_int_p_rows; half-integers: mpmath, correctly rounded); exact midpoint rows (p = 3, 4, 1.5)
among ordinary rows; magnitudes near 1e±300, subnormals and rows mixing huge and tiny. Both SIMD widths: the xunit
LaneIntSumsTests."""
import numpy as np
import pytest

import normnative
from test_int_p_rows import _exact_root
from test_ties import _pnorm_mp, _round_fraction, _round_mp, _tie
from test_ties_whole import power_tie

ORDERS = (3, 4, 5, 8, 33, 64, 1.5, 2.5, -1.5, -0.5, 3.5, -7.5, 64.5)


@pytest.fixture(autouse=True)
def _restore_threads():
    old = normnative.get_num_threads()
    yield
    normnative.set_num_threads(old)


def _rows(rows, n, kind, rng):
    a = rng.standard_normal((rows, n))
    if kind == "wide":
        a *= 2.0 ** rng.integers(-1070, 1010, size=(rows, n))
    elif kind == "huge":
        a *= 1e300
    elif kind == "tiny":
        a *= np.where(rng.random((rows, n)) < 0.5, 1e-300, 1e-310)
    return a


def _alone(a, p):
    return np.array([normnative.norm(np.ascontiguousarray(a[i]), p) for i in range(a.shape[0])])


def _views(a):
    yield a
    yield np.asfortranarray(a)
    yield a[::-1, ::-1]
    yield np.repeat(a, 2, axis=1)[:, ::2]


def _exact(line, p):
    if p == int(p):
        return _exact_root(line, int(p))
    return _round_mp(_pnorm_mp(line, p))


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")  # "wide" rows may hold an underflowed 0
@pytest.mark.parametrize("p", ORDERS)
def test_every_length_matches_each_row_alone(p):
    rng = np.random.default_rng(int(40 * abs(p)) + (p < 0))
    for n in list(range(1, 71)) + [127, 128, 129]:
        rows = (33, 37, 41, 70)[n % 4]
        a = _rows(rows, n, ("normal", "wide", "huge", "tiny")[n % 4], rng)
        for view in _views(a):
            normnative.set_num_threads(1 + n % 3)
            assert normnative.norm(view, p, axis=1).tobytes() == _alone(view, p).tobytes(), (p, n)


@pytest.mark.parametrize("p", ORDERS)
@pytest.mark.parametrize("kind", ("normal", "wide", "huge", "tiny"))
def test_sampled_rows_are_correctly_rounded(p, kind):
    rng = np.random.default_rng(int(8 * abs(p)) * 7 + len(kind))
    for n in (1, 4, 15, 16, 17, 33, 63, 64):
        a = _rows(40, n, kind, rng)
        got = normnative.norm(a, p, axis=1)
        for i in range(0, 40, 13):
            assert got[i] == _exact(a[i], p), (p, kind, n, i)


@pytest.mark.parametrize("p", (3, 4, 1.5))
def test_midpoint_rows_among_ordinary_rows(p):
    """Exact ties padded with zeros to lengths around the accumulator boundaries, mixed into a batch: each tie rounds
    to even as the 1-D path's exact decision makes it round, and equals its line alone."""
    rng = np.random.default_rng(77 + int(2 * p))
    for n in (3, 4, 16, 17, 40):
        a = rng.standard_normal((39, n))
        want = {}
        for k, r in enumerate(range(0, 39, 5)):
            x, m = power_tie(p, 10 * n + k) if p != 1.5 else _tie(1.5, 10 * n + k, k % 2 == 0)
            line = np.zeros(n)
            pos = rng.permutation(n)[: len(x)] if n >= len(x) else None
            if pos is None:
                continue
            line[pos] = x * np.where(rng.random(len(x)) < 0.5, -1.0, 1.0)
            a[r] = line
            want[r] = _round_fraction(m)  # the tie itself, rounded to even
            if p != 1.5:
                assert want[r] == _exact(line, p)
        for view, order in ((a, slice(None)), (np.asfortranarray(a), slice(None)), (a[::-1], slice(None, None, -1))):
            got = normnative.norm(view, p, axis=1)[order]
            for r, w in want.items():
                assert got[r] == w, (p, n, r)
            assert normnative.norm(view, p, axis=1).tobytes() == _alone(view, p).tobytes()


@pytest.mark.parametrize("p", (3, 8, 2.5, -1.5))
def test_threads_do_not_change_bits(p):
    rng = np.random.default_rng(5)
    for n in (4, 16, 40):
        a = _rows((1 << 18) // n + 5, n, "wide", rng)
        results = []
        for t in (1, 2, 3):
            normnative.set_num_threads(t)
            results.append(normnative.norm(a, p, axis=1).tobytes())
        assert results[0] == results[1] == results[2]


@pytest.mark.parametrize("p", (3, 5, 2.5, -1.5))
def test_several_kept_axes(p):
    """Lines of a 3-D array whose two kept axes cannot merge into one (the general walk of the outputs), and over
    axis 0 of a C array (lines along the slowest axis)."""
    rng = np.random.default_rng(11)
    for n in (4, 17):
        a = rng.standard_normal((6, 40, n))[:, ::3, :]
        got = normnative.norm(a, p, axis=2)
        want = np.array([[normnative.norm(np.ascontiguousarray(a[i, j]), p) for j in range(a.shape[1])]
                         for i in range(a.shape[0])])
        assert got.tobytes() == want.tobytes()
        b = rng.standard_normal((n, 50))
        assert normnative.norm(b, p, axis=0).tobytes() == _alone(b.T, p).tobytes()
