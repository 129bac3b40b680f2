"""complex128 general and whole orders over lines of adjacent values (ComplexLaneSums' column mode: C-order columns and
a 3-D array's first axis read eight outputs at a time by contiguous loads) and the fused cheap root of
ComplexLaneRoot (rows and columns): every output bit for bit against the same line reduced alone, around every lane
and group boundary; lines built next to a float64 rounding midpoint, which only the hand-off to the double-double root
gets right; extreme scales, subnormals, specials with NumPy's values and warnings; 1 vs 2 threads."""
import mpmath
import numpy as np
import pytest

import normnative
from _reference import recorded, scaled_values

ORDERS = (0.3, 1.7, -2.5, 2.5, 3, 4, 5, 8, -3, 33.3)


@pytest.fixture(autouse=True)
def _restore_threads():
    old = normnative.get_num_threads()
    yield
    normnative.set_num_threads(old)


def _values(shape, kind, rng):
    return scaled_values(shape, kind, rng, complex_=True)


def _check_columns(a, p):
    got = normnative.norm(a, p, axis=0)
    flat = got.reshape(-1)
    lines = a.reshape(a.shape[0], -1)
    for j in range(lines.shape[1]):
        alone = np.float64(normnative.norm(np.ascontiguousarray(lines[:, j]), p))
        assert flat[j].tobytes() == alone.tobytes(), (p, a.shape, j, flat[j], alone)
    return got


@pytest.mark.parametrize("p", ORDERS)
def test_every_column_has_the_bits_of_that_column_alone(p):
    rng = np.random.default_rng(int(abs(p) * 10))
    ns = (1, 2, 3, 4, 7, 9, 16, 24, 31, 33, 40, 64, 65, 100, 128) if p not in (2.5, 3, 4) else (1, 2, 3, 4, 7, 9, 16, 24)
    for n in ns:
        cols = int(rng.choice([5, 8, 13, 37, 70, 129]))  # not multiples of the 8 lanes or the group of 32
        normnative.set_num_threads(int(rng.integers(1, 3)))
        _check_columns(_values((n, cols), str(rng.choice(["plain", "wide", "tiny", "huge"])), rng), p)


def _correctly_rounded(line, p):
    mpmath.mp.prec = 300
    s = sum(mpmath.sqrt(mpmath.mpf(z.real) ** 2 + mpmath.mpf(z.imag) ** 2) ** p for z in line if z != 0)
    return float(s ** (mpmath.mpf(1) / p))


@pytest.mark.parametrize("p", (2.5, 3, 4))
def test_long_columns_of_the_lone_lines_own_orders_are_correctly_rounded(p):
    # columns of 25/33 … 64 values take the lanes here while a lone line of that length takes ComplexOffsetSum /
    # ComplexPowNorm: both are correctly rounded away from ~2⁻⁸⁵ of a midpoint
    rng = np.random.default_rng(int(p * 2))
    for n in (25, 33, 40, 64):
        a = _values((n, 21), str(rng.choice(["plain", "wide", "tiny", "huge"])), rng)
        got = normnative.norm(a, p, axis=0)
        for j in range(0, 21, 4):
            assert got[j] == _correctly_rounded(a[:, j], p), (p, n, j)


@pytest.mark.parametrize("p", (1.7, 3, -2.5))
def test_first_axis_of_three_dimensional_arrays_and_threads(p):
    rng = np.random.default_rng(5)
    a = _values((6, 7, 97), "wide", rng)  # 679 outputs of adjacent values, two threads' ranges
    outs = []
    for t in (1, 2):
        normnative.set_num_threads(t)
        outs.append(_check_columns(a, p).tobytes())
    assert outs[0] == outs[1]
    big = _values((4, 1503), "plain", rng)
    res = []
    for t in (1, 2):
        normnative.set_num_threads(t)
        res.append(normnative.norm(big, p, axis=0).tobytes() + normnative.norm(big.T.copy(), p, axis=1).tobytes())
    assert res[0] == res[1]


def _near_midpoints(p, count, rng):
    """Lines [d, c, 0, 0] (complex, in shuffled places) whose norm lies within ~2⁻¹⁰⁰ of the float64 midpoint
    m = d + ulp(d)/2: c = (m^p − d^p)^(1/p) rounded; whole orders, whose sums are double-double."""
    mpmath.mp.prec = 200
    lines = []
    for _ in range(count):
        d = float(rng.uniform(1, 2)) * 2.0 ** int(rng.integers(-40, 40))
        m = mpmath.mpf(d) + mpmath.mpf(np.spacing(d)) / 2
        c = float((m ** p - mpmath.mpf(d) ** p) ** (mpmath.mpf(1) / p))
        line = np.zeros(4, complex)
        k = rng.permutation(4)
        line[k[0]] = d if rng.random() < 0.5 else 1j * d
        line[k[1]] = c if rng.random() < 0.5 else -1j * c
        lines.append(line)
    return np.array(lines)


@pytest.mark.parametrize("p", (3, 4, 8))
def test_lines_next_to_a_midpoint_take_the_double_double_root(p):
    # a cheap root within 2⁻⁶⁶ rounds these either way; only the hand-off gives each the bits of its line alone
    rng = np.random.default_rng(p)
    rows = _near_midpoints(p, 80, rng)
    for a, axis in ((rows, 1), (np.ascontiguousarray(rows.T), 0)):
        got = normnative.norm(a, p, axis=axis)
        for i in range(80):
            line = rows[i]
            alone = np.float64(normnative.norm(line, p))
            assert got[i].tobytes() == alone.tobytes(), (p, axis, i, got[i], alone)


def test_extremes_specials_and_warnings_match_numpy():
    inf, nan = np.inf, np.nan
    cols = np.array([[1 + 2j, 0, complex(inf, nan), complex(nan, 0), complex(0, -inf), 1e308 + 1e308j, 5e-324, 1e-320j, 3],
                     [3, 0, 1, 1, 0, 1e308, 5e-324j, 3e-320, 4j],
                     [0, 0, 1, 2, 0, 1e308j, 0, 0, 0],
                     [4j, 0, 1, 3, 0, 1, 0, 2e-321, 1]] * 2).T.copy().T  # C-order (8, 9): columns of 8 values
    for p in (1.7, -2.5, 3, 4, 0.3):
        got, w1 = recorded(lambda: normnative.norm(cols, p, axis=0))
        want, w2 = recorded(lambda: np.linalg.norm(cols, p, axis=0))
        finite = np.isfinite(want) & (want > 1e-300) & (want < 1e300)
        np.testing.assert_allclose(got[finite], want[finite], rtol=1e-13)
        assert np.array_equal(np.isnan(got), np.isnan(want)) and np.array_equal(np.isinf(got), np.isinf(want) | (got > 1.7e308))
        assert {str(m.message) for m in w1} <= {str(m.message) for m in w2}
        for j in range(cols.shape[1]):
            alone = np.float64(normnative.norm(np.ascontiguousarray(cols[:, j]), p))
            assert got[j].tobytes() == alone.tobytes(), (p, j)


def test_no_spurious_overflow_or_underflow_in_columns():
    mpmath.mp.prec = 300
    cols = np.array([[1e308 + 1e308j, 5e-324, 1e-320 + 3e-320j, 1e200 + 1e-200j],
                     [1e308, 5e-324j, 0, 1e-300j], [1e308j, 0, 0, 1e-310], [1, 0, 2e-321, 0]])
    for p in (3, 4, 1.7):
        got = _check_columns(cols, p)
        for j in range(4):
            s = sum(mpmath.mpf(abs(complex(z))) ** p for z in cols[:, j] if z != 0)
            want = float(s ** (mpmath.mpf(1) / p))
            assert got[j] == pytest.approx(want, rel=1e-15)


@pytest.mark.parametrize("p", (1.7, 3, -2.5, 2.5))
def test_reversed_strided_and_sliced_columns(p):
    # a negative or doubled reduced stride, a slice of the columns, a kept axis pair that does not coalesce
    rng = np.random.default_rng(11)
    a = _values((9, 77), "wide", rng)
    for v in (a[::-1], a[::-2], a[:, 3:70], np.stack([a, a])[:, :, 5:60].transpose(1, 0, 2)):
        _check_columns(v, p)


def _check_lines(v, p, axis):
    """Every output of v reduced over one axis against its line alone, bit for bit."""
    got = normnative.norm(v, p, axis=axis)
    lines = np.moveaxis(v, axis, -1)
    for idx in np.ndindex(*got.shape):
        alone = np.float64(normnative.norm(np.ascontiguousarray(lines[idx]), p))
        assert got[idx].tobytes() == alone.tobytes(), (p, v.shape, v.strides, axis, idx, got[idx], alone)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the zero line under p < 0, as NumPy
@pytest.mark.parametrize("p", (1.7, 0.3, -0.5, 5, 12, 3))
def test_nd_views_read_in_place(p):
    """Lines of N-D views whose outputs span several kept axes (session 28: read in place, not copied by Repack): the
    walk puts the kept axis of the smallest stride innermost, so runs of adjacent lines (Fortran axis 2, C axis 1)
    are read eight at a time by wide loads where a group of eight lies in one run and value by value where it
    straddles two runs or the lines are not adjacent (strided and transposed views); lengths across 64 and 128, NaN,
    ∞ and zero lines, 1 and 2 threads."""
    rng = np.random.default_rng(int(abs(p) * 100))
    for n in (30, 65, 100, 128):
        a = _values((11, 13, n), str(rng.choice(["plain", "wide", "tiny", "huge"])), rng)
        a[2, 3, n // 2] = complex(np.nan, 1)
        a[4, 5, 1] = complex(np.inf, 0)
        a[6, 7, :] = 0
        f = np.asfortranarray(a)
        b = np.ascontiguousarray(np.moveaxis(a, 2, 1))  # (11, n, 13): C axis 1
        for threads in (1, 2):
            normnative.set_num_threads(threads)
            _check_lines(f, p, 2)  # runs of 11 adjacent lines
            _check_lines(b, p, 1)  # runs of 13 adjacent lines
            _check_lines(f[::-1, 1:, :], p, 2)
            _check_lines(b[::2, :, ::3], p, 1)  # lines three values apart
            _check_lines(b.transpose(1, 2, 0), p, 0)

