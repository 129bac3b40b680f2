"""Complex orders over many short lines (ComplexLaneSums for whole orders 3 … 64 of lines of ≤ 64 values, ≤ 32 for ord 3/4, ≤ 128 for complex128 from 5: one generic body run
on a one-lane type for a lone line and a SIMD lane per line for many; the other orders through LanePow): every output
bit for bit against the same line reduced alone, for p in {0.3, 1.7, 2.5, 3, 4, 5, 8, 33.3, −1.5, −3}, line lengths
1 … 129 around every boundary, row counts not multiples of 8/32, C, F-order, reversed, strided and 3-D views, 1/2/3
threads; ord 3, 4, 5, 8, 13 against 300-bit mpmath references (the correctly rounded double; complex64: float), magnitudes
near 1e±300, subnormals, huge and tiny in one row, one component zero; special values and warnings as NumPy's.
Both SIMD widths are covered by the xunit tests (ComplexLaneSumsTests)."""
import mpmath
import numpy as np
import pytest

import normnative
from _reference import recorded

ORDERS = (0.3, 1.7, 2.5, 3, 4, 5, 8, 33.3, -1.5, -3)


@pytest.fixture(autouse=True)
def _restore_threads():
    old = normnative.get_num_threads()
    yield
    normnative.set_num_threads(old)


def _rows(shape, kind, rng):
    a = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    if kind == "wide":  # huge and tiny in one row
        a *= 10.0 ** rng.integers(-300, 300, size=shape)
    elif kind == "tiny":
        a *= 1e-310
    elif kind == "huge":
        a *= 1e300
    elif kind == "axis":  # one component zero
        a = np.where(rng.random(shape) < 0.5, a.real + 0j, 1j * a.imag)
    return a


def _exact(line, p, dtype):
    mpmath.mp.prec = 300
    s = mpmath.mpf(0)
    for z in line:
        s += mpmath.sqrt(mpmath.mpf(float(z.real)) ** 2 + mpmath.mpf(float(z.imag)) ** 2) ** p
    r = s ** (mpmath.mpf(1) / p)
    if dtype == "complex64":
        return _to_float32(r)
    if r < mpmath.mpf(2) ** -1022:  # subnormal: round on the 2⁻¹⁰⁷⁴ grid (float(mpf) may round twice)
        return float(mpmath.nint(r * mpmath.mpf(2) ** 1074)) * 2.0 ** -1074
    return float(r)


def _to_float32(r):
    # the float32 nearest r: float(r) is within 2⁻⁵³ relative, so it or a neighbour
    f = np.float32(float(r))
    cands = (np.nextafter(f, np.float32(0)), f, np.nextafter(f, np.float32(np.inf)))
    return min(cands, key=lambda c: abs(mpmath.mpf(float(c)) - r))


def _check_alone(a, p):
    got = normnative.norm(a, p, axis=1)
    for i in range(a.shape[0]):
        alone = normnative.norm(a[i], p)
        assert got[i].tobytes() == np.asarray(alone, got.dtype).tobytes(), (p, a.shape, i, got[i], alone)
    return got


@pytest.mark.parametrize("p", ORDERS)
@pytest.mark.parametrize("layout", ("C", "F", "reversed", "strided"))
def test_every_row_has_the_bits_of_that_row_alone(p, layout):
    rng = np.random.default_rng(hash((p, layout)) & 0xFFFF)
    for n in list(range(1, 21)) + [31, 32, 33, 63, 64, 65, 70, 100, 128, 129]:
        rows = int(rng.choice([2, 7, 33, 45]))
        base = _rows((rows, 2 * n + 1), str(rng.choice(["plain", "wide", "tiny", "axis"])), rng)
        a = {"C": np.ascontiguousarray(base[:, :n]), "F": np.asfortranarray(base[:, :n]),
             "reversed": base[:, :n][:, ::-1], "strided": base[:, ::2][:, :n]}[layout]
        normnative.set_num_threads(int(rng.integers(1, 4)))
        _check_alone(a, p)


@pytest.mark.parametrize("dtype", ("complex128", "complex64"))
@pytest.mark.parametrize("p", (3, 4, 5, 8, 13))
@pytest.mark.parametrize("kind", ("plain", "wide", "tiny", "huge", "axis"))
def test_short_rows_are_correctly_rounded(dtype, p, kind):
    rng = np.random.default_rng(p * 10 + len(kind) + len(dtype))
    lengths = (1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64)  # the lane definition (longer lines: ≤ 1 ulp)
    if dtype == "complex128" and p >= 5:
        lengths += (100, 128)  # complex128 from 5: the lane definition to 128 (session 28)
    for n in lengths:
        a = _rows((37, n), kind, rng)
        if dtype == "complex64":
            a = (a / 1e270 if kind in ("wide", "huge") else a * 1e270 if kind == "tiny" else a).astype(np.complex64)
        got = _check_alone(a, p)
        assert got.dtype == (np.float32 if dtype == "complex64" else np.float64)
        for i in range(0, 37, 3):
            want = _exact(a[i], p, dtype)
            assert got[i] == want, (dtype, p, kind, n, i, got[i], want)


@pytest.mark.parametrize("p", (3, 4, 5, 8))
def test_three_dimensional_reductions_agree_with_the_lone_line(p):
    # the middle axis of (rows, n, k): strided lines, outputs (rows, k); each against its line alone
    rng = np.random.default_rng(9)
    for n in (3, 8, 16, 33, 64, 100):
        a = _rows((11, n, 5), "wide", rng)
        got = normnative.norm(a, p, axis=1)
        for i in range(11):
            for j in range(5):
                assert got[i, j].tobytes() == np.float64(normnative.norm(a[i, :, j], p)).tobytes()
    # lines across the slow axes (F-order lines of 4) and a negative stride on the reduced axis
    b = np.asfortranarray(_rows((4, 40), "plain", rng))
    _check_alone(b.T, p)
    _check_alone(b[::-1, :].T[::-1], p)


def test_thread_count_does_not_change_bits():
    rng = np.random.default_rng(3)
    for p in (3, 4, 5, 8):
        for n in (4, 16, 40):
            a = _rows((5003, n), "wide", rng)
            outs = []
            for t in (1, 2, 3):
                normnative.set_num_threads(t)
                outs.append(normnative.norm(a, p, axis=1).tobytes())
            assert outs[0] == outs[1] == outs[2]


def test_special_rows_match_numpy_values_and_warnings():
    inf, nan = np.inf, np.nan
    a = np.array([[1 + 2j, 3, 0, 4j], [0, 0, 0, 0], [complex(inf, nan), 1, 1, 1], [complex(nan, 0), 1, 2, 3],
                  [complex(0, -inf), 0, 0, 0], [complex(nan, inf), 0, 0, 0], [3, 4j, 0, 1]] * 5)
    for p in (3, 4, 5, 8):
        got, w1 = recorded(lambda: normnative.norm(a, p, axis=1))
        want, w2 = recorded(lambda: np.linalg.norm(a, p, axis=1))
        np.testing.assert_allclose(got, want, rtol=1e-14)
        assert [str(m.message) for m in w1] == [str(m.message) for m in w2 if "invalid" not in str(m.message)]


def test_no_spurious_overflow_or_underflow():
    # NumPy's |z|^p overflows or underflows in these rows; ours are the correctly rounded norms, and a norm above the
    # largest double is ∞ with NumPy's overflow warning
    rows = np.array([[1e308 + 1e308j, 1e308, 1e308j, 1], [5e-324, 5e-324j, 0, 0], [1e-320 + 3e-320j, 0, 0, 2e-321],
                     [1e200 + 1e-200j, 1e-300j, 1e-310, 0]] * 9)
    for p in (3, 4, 5, 8):
        got = _check_alone(rows, p)
        for i in range(4):
            assert got[i] == _exact(rows[i], p, "complex128"), (p, i)
        big = np.full((9, 16), 1e308 + 1e308j)  # 16^(1/p)·√2·1e308 > the largest double for p ≤ 8
        r, w = recorded(lambda: normnative.norm(big, p, axis=1))
        assert np.all(np.isinf(r)) and any("overflow" in str(m.message) for m in w)
