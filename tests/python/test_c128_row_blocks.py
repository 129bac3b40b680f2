"""complex128 contiguous short rows of the general orders and whole orders 3 … 64 (ComplexLaneSums' contiguous route:
eight rows transposed into lane order at a time, each row's scale computed lane-wise from the bits, stores of eight
adjacent float64 outputs at once, odd lanes — NaN, ∞, only zeros, a zero under p < 0, a subnormal largest value,
results outside the normal range — settled one by one). Every output must carry the bits of its row reduced alone
(the one definition both routes share), whatever the row's position in its block of 8 and group of 32, the thread
count, or a kept axis that is not a single one (3-D); the rows of 4 at −2.5 / 1.7 are also checked against 300-bit
references within the bound the README states for these lines (0.5 ulp + the term error over |p|)."""
import warnings

import mpmath
import numpy as np
import pytest

import normnative

ORDERS = (1.7, -2.5, 2.5, 1.5, -3, 3, 4, 5)


@pytest.fixture(autouse=True)
def _restore_threads():
    old = normnative.get_num_threads()
    yield
    normnative.set_num_threads(old)


def _odd_rows(rows, n, rng):
    """Random rows of magnitudes across the whole range, with special rows at positions straddling the lanes."""
    a = rng.standard_normal((rows, n)) + 1j * rng.standard_normal((rows, n))
    a *= 2.0 ** rng.integers(-1000, 1000, size=(rows, 1)).astype(float)
    specials = {
        0: lambda r: r.__setitem__(0, np.nan),
        1: lambda r: r.__setitem__(-1, complex(np.inf, 1)),
        2: lambda r: r.__setitem__(slice(None), 0),
        3: lambda r: r.__setitem__(0, 0),  # one zero: p < 0 gives 0 by numpy's rules
        4: lambda r: r.__setitem__(slice(None), r * 2.0 ** -1074 / np.abs(r).max() * 3),  # subnormal largest part
        5: lambda r: r.__setitem__(slice(None), r * 1.5e308 / np.abs(r).max()),  # results may overflow
        6: lambda r: r.__setitem__(slice(None), r * 2.0 ** -1040 / np.abs(r).max()),  # subnormal results
        7: lambda r: r.__setitem__(0, complex(-np.inf, np.nan)),
    }
    with np.errstate(all="ignore"):
        for i in range(rows):
            k = int(rng.integers(0, 24))
            if k in specials:
                specials[k](a[i])
    return a


def _same_bits_as_alone(a, p):
    with warnings.catch_warnings(record=True) as w_rows:
        warnings.simplefilter("always")
        got = normnative.norm(a, p, axis=-1)
    flat = a.reshape(-1, a.shape[-1])
    g = got.reshape(-1)
    alone_warn = set()
    for i in range(flat.shape[0]):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = normnative.norm(flat[i].copy(), p)
        alone_warn |= {x.category for x in w}
        assert g[i].tobytes() == np.float64(r).tobytes(), (p, a.shape, i, g[i], r)
    assert {x.category for x in w_rows} == alone_warn
    return got


@pytest.mark.parametrize("p", ORDERS)
def test_rows_in_every_lane_position_have_their_lone_bits(p):
    rng = np.random.default_rng(int(abs(p) * 10) + (p < 0))
    for n in (1, 2, 3, 4, 5, 8, 9, 13, 24):
        for rows in (2, 8, 9, 31, 32, 33, 71):
            _same_bits_as_alone(_odd_rows(rows, n, rng), p)


@pytest.mark.parametrize("p", (1.7, -2.5, 4))
def test_three_dimensional_rows_and_threads(p):
    rng = np.random.default_rng(5)
    a = _odd_rows(6 * 37, 4, rng).reshape(6, 37, 4)
    normnative.set_num_threads(1)
    one = _same_bits_as_alone(a, p)
    b = _odd_rows(5000, 4, rng)  # enough rows to split over threads
    one_b = normnative.norm(b, p, axis=1)
    normnative.set_num_threads(2)
    assert normnative.norm(a, p, axis=-1).tobytes() == one.tobytes()
    assert normnative.norm(b, p, axis=1).tobytes() == one_b.tobytes()
    # a kept axis of its own: every other row (outputs not adjacent)
    assert normnative.norm(b[::2], p, axis=1).tobytes() == one_b[::2].tobytes()


def _exact(line, p):
    mpmath.mp.prec = 300
    s = mpmath.fsum(mpmath.sqrt(mpmath.mpf(float(z.real)) ** 2 + mpmath.mpf(float(z.imag)) ** 2) ** p for z in line)
    return s ** (mpmath.mpf(1) / p)


@pytest.mark.parametrize("p", (-2.5, 1.7))
def test_rows_of_four_within_the_stated_bound(p):
    rng = np.random.default_rng(11)
    a = rng.standard_normal((96, 4)) + 1j * rng.standard_normal((96, 4))
    a *= 10.0 ** rng.integers(-300, 300, size=(96, 1))
    a[::3] *= 10.0 ** rng.integers(-8, 8, size=(32, 4))  # unequal magnitudes within a row
    got = normnative.norm(a, p, axis=1)
    bound = 0.5 + 2.0 ** 53 * ((2.0 ** -56.5 + 2.0 ** -57.5 * abs(p)) / abs(p) + 2.0 ** -63)
    for i in range(a.shape[0]):
        want = _exact(a[i], p)
        err = abs(mpmath.mpf(float(got[i])) - want) / mpmath.mpf(float(np.spacing(float(want))))
        assert err <= bound, (i, float(err))
    with np.errstate(all="ignore"):
        ref = np.linalg.norm(a, p, axis=1)  # NumPy over- and underflows spuriously at these scales: compare elsewhere
    fine = np.isfinite(ref) & (ref > 1e-290)
    assert fine.sum() > 20
    np.testing.assert_allclose(got[fine], ref[fine], rtol=1e-6)  # NumPy drops underflowed terms of the spread rows


def test_special_rows_match_numpy():
    a = np.array([[np.nan, 1, 2, 3], [np.inf, 1, 2, 3], [0, 0, 0, 0], [0, 1, 2, 3], [1, 2, 3, 4]] * 4, complex)
    for p in (1.7, -2.5, 3):
        with warnings.catch_warnings(record=True) as w1:
            warnings.simplefilter("always")
            got = normnative.norm(a, p, axis=1)
        with warnings.catch_warnings(record=True) as w2:
            warnings.simplefilter("always")
            ref = np.linalg.norm(a, p, axis=1)
        np.testing.assert_allclose(got, ref, rtol=1e-14)
        assert np.array_equal(np.isnan(got), np.isnan(ref))
        assert sorted(x.category.__name__ for x in w1) == sorted(x.category.__name__ for x in w2)
