"""Singular-value norms of matrices whose entries span more than the double exponent range allows
after scaling the largest entry to 1 (tiny entries become subnormal, and 1/v of a subnormal
Householder pivot overflows). Before the fix these gave NaN for ord 2, -2 and 'nuc'.

ord 2 is checked against a 256-bit mpmath reference; 'nuc' against NumPy (the tiny singular
values do not reach the sum's last bit); ord -2 must be a number in [0, sigma_max]."""
import math

import numpy as np
import pytest

import normnative as nn
from _sigma_ref import sigma_max

HELPER_3X3 = [[-4.97840937e17, 3.69377053e-245, 4.18472109e-188],
              [-2.57280495e-177, -9.63772528e-49, 4.30745240e-195],
              [-1.57331483e264, -2.19656794e-193, 3.21738651e49]]


def _cases():
    a3 = np.array(HELPER_3X3)
    yield "3x3", a3
    p4 = np.zeros((4, 4)); p4[:3, :3] = a3
    yield "3x3 padded to 4x4", p4
    p40 = np.zeros((40, 40)); p40[:3, :3] = a3
    yield "3x3 padded to 40x40", p40
    d = np.zeros((40, 40)); d[0, 0] = 1e300; d[5, 5] = 1e-300; d[7, 3] = 1e-10; d[39, 20] = -3e-320
    yield "40x40 sparse", d
    yield "40x40 sparse transposed", d.T
    rng = np.random.default_rng(5)
    g = rng.standard_normal((50, 45)) * np.exp2(rng.integers(-1070, 1000, (50, 45))).astype(float)
    yield "50x45 random exponents", g
    yield "complex 3x3", a3 + 1j * a3[::-1]
    yield "complex 40x40", d.astype(complex) * (1 - 2j)
    yield "10x3 tall", np.vstack([a3, np.eye(3) * 1e-300, np.ones((4, 3)) * 1e-200])


@pytest.mark.parametrize("name,a", list(_cases()), ids=[n for n, _ in _cases()])
def test_extreme_range_is_finite_and_accurate(name, a):
    s2 = nn.norm(a, 2)
    ref = sigma_max(a)
    assert math.isfinite(s2), name
    err = abs(s2 - float(ref)) / math.ulp(float(ref))
    assert err <= 2, (name, s2, ref, err)
    nuc = nn.norm(a, "nuc")
    assert math.isfinite(nuc)
    assert nuc == pytest.approx(np.linalg.norm(a, "nuc"), rel=4e-16 * a.shape[1])
    smin = nn.norm(a, -2)
    assert 0 <= smin <= s2
    # a stack of the same matrix takes the batched paths
    st = np.stack([a, a])
    assert nn.norm(st, 2, axis=(1, 2)).tolist() == [s2, s2]
    assert nn.norm(st, "nuc", axis=(1, 2)).tolist() == [nuc, nuc]


def _sigma_min_mp(a):
    import mpmath
    with mpmath.workprec(3000):
        A = mpmath.matrix([[mpmath.mpf(float(v)) for v in row] for row in np.asarray(a)])
        return min(mpmath.svd_r(A, compute_uv=False))


def _graded(n, lo, hi, seed):
    rng = np.random.default_rng(seed)
    c = rng.standard_normal((n, n)) + 3 * np.eye(n)
    d1 = 10.0 ** np.linspace(hi, lo, n)
    d2 = 10.0 ** np.linspace(lo / 2, hi / 2, n)[rng.permutation(n)]
    return d1[:, None] * c * d2[None, :]


SMIN_CASES = [
    ("diag 1e300 1e-20 1", np.diag([1e300, 1e-20, 1.0])),
    ("2x2 1e300 1e-20", np.array([[1e300, 0.0], [0.0, 1e-20]])),
    ("2x2 full", np.array([[1e300, 1e-20], [1e-20, 1e-20]])),
    ("graded 6x6 1e+-110", _graded(6, -110, 110, 1)),
    ("graded 12x12 1e+-115", _graded(12, -115, 115, 2)),
    ("graded 5x5 1e+-110 transposed", _graded(5, -110, 110, 3).T),
    ("graded 8x8 1e+-118", _graded(8, -118, 118, 4)),
]


@pytest.mark.parametrize("name,a", SMIN_CASES, ids=[n for n, _ in SMIN_CASES])
def test_sigma_min_keeps_relative_accuracy_across_a_wide_range(name, a):
    """Entries spanning 2^1000 and more (NumPy returns 0 for the graded ones): sigma_min relative to itself.
    Scaling the largest entry to 1 made entries below 2^-1022 of it subnormal (diag(1e300, 1e-20) gave
    9.99896e-21, the graded ones 0); sigma_min is now computed with the largest entry at 2^200."""
    ref = _sigma_min_mp(a)
    got = nn.norm(a, -2)
    assert got > 0
    assert abs(got - float(ref)) <= 1e-12 * float(ref), (name, got, ref)
    assert nn.norm(np.stack([a, a]), -2, axis=(1, 2)).tolist() == [got, got]


def _two_by_two_beyond_scaling():
    """2x2 matrices whose entries lie more than 2^1274 apart: scaled as a whole (largest entry to 2^200), the small
    ones vanished and sigma_min came out 0 (NumPy: 1e-200 for diag(1e200, 1e-200)); the closed form now takes
    |ad - bc| from the unscaled entries."""
    yield "diag 1e200 1e-200", np.diag([1e200, 1e-200])
    yield "diag 1e300 1e-300", np.diag([1e300, 1e-300])
    yield "diag 1e-300 1e300", np.diag([1e-300, 1e300])
    yield "upper 1e200 1e100 1e-200", np.array([[1e200, 1e100], [0.0, 1e-200]])
    yield "lower subnormal", np.array([[1e300, 0.0], [-3e-200, 5e-320]])
    yield "full near-singular", np.array([[1e300, 2e150], [3e150, 6.000000000000001e0]])
    yield "anti-diagonal", np.array([[0.0, -1e250], [2.5e-250, 0.0]])
    yield "complex diag", np.diag([1e200 + 1e199j, 1e-200j])
    yield "complex upper", np.array([[3e300 - 4e300j, 1e150j], [0.0, 1e-300 + 1e-301j]])
    yield "complex full", np.array([[1e200, 1e-100 + 1e-100j], [2e-100, 1e-250 - 3e-250j]])


_TWO = list(_two_by_two_beyond_scaling())


@pytest.mark.parametrize("name,a", _TWO, ids=[n for n, _ in _TWO])
def test_two_by_two_sigma_min_beyond_the_scaling_range(name, a):
    ref = float(_sigma_min_mp_complex(a))
    got = nn.norm(a, -2)
    assert type(got) is type(np.linalg.norm(a, -2))
    assert abs(got - ref) <= 2 * math.ulp(ref), (name, got, ref)
    # a stack takes the batched closed forms; 1x1 blocks of other shapes in the same call do not interfere
    st = np.stack([a, a.T, a])
    assert nn.norm(st, -2, axis=(1, 2)).tolist() == [got, nn.norm(a.T, -2), got]
    # sigma_max is unaffected: the largest entry's scale
    assert nn.norm(a, 2) == pytest.approx(float(sigma_max(a)), rel=4e-16)


def _sigma_min_mp_complex(a):
    """Smallest singular value of a real or complex 2x2 from |det| / sigma_max at 3000 bits."""
    import mpmath
    with mpmath.workprec(3000):
        (p, q), (r, s) = [[mpmath.mpc(complex(v).real, complex(v).imag) for v in row] for row in np.asarray(a)]
        det = abs(p * s - q * r)
        fro2 = abs(p) ** 2 + abs(q) ** 2 + abs(r) ** 2 + abs(s) ** 2
        smax = mpmath.sqrt((fro2 + mpmath.sqrt(fro2 ** 2 - 4 * det ** 2)) / 2)
        return det / smax if smax else mpmath.mpf(0)


def _sigma_min_mp_any(a):
    import mpmath
    a = np.asarray(a)
    with mpmath.workprec(3000):
        if np.iscomplexobj(a):
            A = mpmath.matrix([[mpmath.mpc(v.real, v.imag) for v in row] for row in a])
            return min(mpmath.svd_c(A, compute_uv=False))
        A = mpmath.matrix([[mpmath.mpf(float(v)) for v in row] for row in a])
        return min(mpmath.svd_r(A, compute_uv=False))


def _wide_cases():
    """n x n (n >= 3) matrices whose entries span 2^1300 - 2^1460 (the graded ones: 1e+-(1.5 hi)): with the largest entry scaled to 2^200 the small
    ones vanished and sigma_min came out 0 (NumPy: the value); they now take the Jacobi kernel at 2^WideShift."""
    yield "diag 1e200 1 1e-200", np.diag([1e200, 1.0, 1e-200])
    yield "diag5 1e+-220", np.diag([1e220, 1e100, 1.0, 1e-100, 1e-220])
    yield "graded 6x6 1e+-210", _graded(6, -140, 140, 11)
    yield "graded 9x9 1e+-215 transposed", _graded(9, -143, 143, 12).T
    yield "graded 14x10 1e+-205", _graded(14, -137, 137, 13)[:, :10]
    yield "graded 10x14 1e+-205", _graded(14, -137, 137, 13)[:10, :]
    yield "complex diag 1e200 1 1e-200", np.diag([1e200j, 1.0 + 1j, 1e-200 - 2e-200j])
    g = _graded(7, -135, 135, 14)
    yield "complex graded 7x7 1e+-200", g + 0.5j * g[::-1, ::-1]
    rng = np.random.default_rng(15)
    c = rng.standard_normal((12, 12)) + 1j * rng.standard_normal((12, 12)) + 4 * np.eye(12)
    yield "complex graded 12x12 1e+-200", 10.0 ** np.linspace(135, -135, 12)[:, None] * c * 10.0 ** np.linspace(-67, 67, 12)


_WIDE = list(_wide_cases())


@pytest.mark.parametrize("name,a", _WIDE, ids=[n for n, _ in _WIDE])
def test_sigma_min_beyond_the_min_shift_range(name, a):
    ref = float(_sigma_min_mp_any(a))
    got = nn.norm(a, -2)
    assert got > 0
    assert abs(got - ref) <= 1e-12 * ref, (name, got, ref)
    assert nn.norm(np.stack([a, 2.0 * a]), -2, axis=(1, 2)).tolist() == [got, 2.0 * got]
