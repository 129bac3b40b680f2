"""Singular-value norms of structured matrices.

Diagonal matrices (np.eye, np.diag) take an exact path: their singular values are the |d_j|, so ord 2 and -2 are
exact and 'nuc' is their correctly rounded sum (np.eye(50) at ord 2 used to run a bisection on a 50-fold cluster).

sigma_min (ord -2) of exactly and numerically singular matrices: ones, repeated columns, low rank, real and
complex. The certified route cannot certify these (the bottom singular values are not separated), so they run the
Jacobi kernel, whose pivoted QR of ones(n, n) leaves columns of subnormal noise; it used to rotate them for all 40
sweeps (3.3 s for ones(200, 200), 24 s complex). The singular values themselves are pinned: sigma_min within the
backward-error level of the matrix (NumPy's LAPACK answer is noise at the same level), sigma_max and 'nuc' against
NumPy, and sigma_min of a rank-deficient matrix with one tiny nonzero singular value direction exactly."""
from fractions import Fraction

import numpy as np
import pytest

import normnative as nn

EPS = np.finfo(float).eps


def _singular(kind, n, dtype):
    rng = np.random.default_rng(n)
    if kind == "ones":
        a = np.ones((n, n))
    elif kind == "repeated columns":
        a = np.repeat(rng.standard_normal((n, 1)), n, axis=1)
    elif kind == "rank 2":
        a = np.outer(rng.standard_normal(n), rng.standard_normal(n)) + np.outer(rng.standard_normal(n), rng.standard_normal(n))
    else:  # "zero column": random with one column zeroed, sigma_min exactly 0
        a = rng.standard_normal((n, n))
        a[:, n // 3] = 0
    if np.dtype(dtype).kind == "c":
        a = a * (1 + 2j)
    return a.astype(dtype)


@pytest.mark.parametrize("dtype", ["float64", "complex128", "float32"])
@pytest.mark.parametrize("kind", ["ones", "repeated columns", "rank 2", "zero column"])
@pytest.mark.parametrize("n", [12, 60, 200])
def test_sigma_min_of_singular_matrices(kind, n, dtype):
    a = _singular(kind, n, dtype)
    fro = float(np.sqrt(np.sum(np.abs(a.astype(np.complex128)) ** 2)))
    eps = np.finfo(a.real.dtype).eps
    s = nn.norm(a, -2)
    assert type(s) is type(np.linalg.norm(a, -2))
    assert 0 <= s <= 4 * n * eps * fro, (s, fro)
    if kind == "zero column" and dtype != "float32":
        assert s <= 4 * n * EPS * fro
    # the rest of the spectrum is unaffected: sigma_max and the nuclear norm as NumPy's
    assert np.isclose(nn.norm(a, 2), np.linalg.norm(a, 2), rtol=8 * n * eps)
    assert np.isclose(nn.norm(a, "nuc"), np.linalg.norm(a, "nuc"), rtol=8 * n * eps, atol=8 * n * eps * fro)


def test_stacks_of_singular_matrices_match_one_at_a_time():
    a = np.stack([_singular("ones", 40, "float64"), _singular("rank 2", 40, "float64"), np.eye(40)])
    s = nn.norm(a, -2, axis=(1, 2))
    assert [s[i] for i in range(3)] == [nn.norm(a[i], -2) for i in range(3)]
    assert s[2] == 1.0


def _sqrt_rounded(q: Fraction) -> float:
    """The double nearest to √q (q ≥ 0 exact), by integer square roots at 2⁻¹²⁰⁰ resolution."""
    import math
    if q == 0:
        return 0.0
    scale = 1 << 1200
    r = math.isqrt(q.numerator * scale * scale // q.denominator)  # ⌊√q · 2¹²⁰⁰⌋
    return float(Fraction(r, scale))


def _diagonals():
    rng = np.random.default_rng(3)
    yield "eye 50", np.eye(50)
    yield "eye 7 float32", np.eye(7, dtype=np.float32)
    yield "diag ints", np.diag(rng.integers(-3, 4, 40).astype(float))
    yield "diag random", np.diag(rng.standard_normal(60))
    yield "diag with a zero", np.diag([3.0, 0.0, -1.5, 2.0, 7.0])
    yield "diag huge and tiny", np.diag([1e300, -1e-300, 3e-320, 1e308, 1e308])
    yield "tall 9x4", np.eye(9, 4) * np.arange(1, 5)
    yield "wide 4x9", (np.eye(9, 4) * np.arange(1, 5)).T
    yield "diag float32", np.diag(rng.standard_normal(30).astype(np.float32))
    yield "diag int64", np.diag(rng.integers(-1000, 1000, 20))
    yield "complex eye 50", np.eye(50, dtype=complex)
    yield "complex diag 3-4-5", np.diag([3 + 4j, -5j, 0.6 - 0.8j, 1e-300 + 1e-300j, 12 + 5j])
    yield "complex diag random", np.diag(rng.standard_normal(40) + 1j * rng.standard_normal(40))
    yield "complex64 diag", np.diag((rng.standard_normal(12) + 1j * rng.standard_normal(12)).astype(np.complex64))
    yield "complex tall 9x4", np.eye(9, 4) * np.array([1j, 2, 3 - 4j, 0])


@pytest.mark.parametrize("name,a", list(_diagonals()), ids=[n for n, _ in _diagonals()])
def test_diagonal_matrices_are_exact(name, a):
    if a.dtype.kind == "c":
        # |z| correctly rounded from the exact re² + im² (the fixtures avoid 2⁻¹⁰⁰ near-ties)
        z = np.diagonal(a).astype(np.complex128)
        d = np.array([_sqrt_rounded(Fraction(float(v.real)) ** 2 + Fraction(float(v.imag)) ** 2) for v in z])
    else:
        d = np.abs(np.diagonal(a).astype(np.float64))
    out = np.float32 if a.dtype in (np.float32, np.complex64) else np.float64
    s2, smin, nuc = nn.norm(a, 2), nn.norm(a, -2), nn.norm(a, "nuc")
    assert type(s2) is type(np.linalg.norm(a, 2)) and type(nuc) is type(np.linalg.norm(a, "nuc"))
    assert s2 == out(d.max()) and smin == out(d.min())
    exact = sum(Fraction(float(v)) for v in d)
    if a.dtype.kind == "c":
        # each magnitude rounded once before the sum: within a few ulps of the exact sum of |dⱼ|
        assert np.isclose(nuc, float(exact), rtol=4 * np.finfo(out).eps, atol=0)
    elif exact > Fraction(np.finfo(np.float64).max):
        assert nuc == np.inf
    elif out is np.float64:
        assert nuc == float(exact)  # Fraction -> float rounds correctly
    else:
        assert Fraction(float(exact)) == exact  # float32 sums here are exact in float64: one rounding to float32
        assert nuc == np.float32(float(exact))
    # a stack of diagonal matrices: the same values one by one
    st = np.stack([a, a / 2])
    assert list(nn.norm(st, 2, axis=(1, 2))) == [s2, nn.norm(a / 2, 2)]


def test_nearly_diagonal_takes_the_general_route():
    a = np.diag(np.arange(1.0, 41.0))
    a[17, 3] = 1e-3
    for o in (2, -2, "nuc"):
        assert np.isclose(nn.norm(a, o), np.linalg.norm(a, o), rtol=1e-13)
