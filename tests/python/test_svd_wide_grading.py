"""σ_min (ord −2) of float64 matrices graded over 2⁷⁰⁰ … 2¹⁰²⁰ (the general Jacobi kernel, Matrix/SvdKernel.cs, and
for 3×3 the scalar fallback of Matrix/Stack3.cs). The kernel scales the largest entry to 2²⁰⁰; columns of X = Rᵀ below
~2⁻⁵³⁷ then have squared norms and dot products that underflow, and the one-sided Jacobi skipped or misrotated their
pairs: σ_min of [[1, .5, 0, …], [0, s, 0, …], [0, .3s, s, …], …] at s = 2⁻⁷⁴⁰ came out 18 % off (NumPy: exact), and
random row- or column-graded matrices over 2¹⁰⁰⁰ up to 150 %. Reference: mpmath's SVD at 5000 bits (backward error
2⁻⁵⁰⁰⁰·‖A‖, far below every σ_min here)."""
import mpmath as mp
import numpy as np
import pytest

import normnative

PREC = 5000


def _sigma_min(a):
    with mp.workprec(PREC):
        s = mp.svd_r(mp.matrix([[mp.mpf(float(v)) for v in row] for row in a]), compute_uv=False)
        return min(abs(s[i]) for i in range(len(s)))


def _rel(got, ref):
    return abs(mp.mpf(float(got)) / ref - 1)


@pytest.mark.parametrize("n", [3, 4, 6])
@pytest.mark.parametrize("k", [700, 740, 800, 900, 1000, 1020])
def test_coupled_block_far_below_the_largest_entry(n, k):
    s = 2.0 ** -k
    a = np.eye(n)
    a[1:, 1:] *= s
    a[0, 1] = 0.5
    a[2, 1] = 0.3 * s
    ref = _sigma_min(a)
    got = normnative.norm(a, -2)
    assert _rel(got, ref) < 2 ** -50, (n, k, got, mp.nstr(ref, 17))
    # the transpose, and the same matrix among others in a stack
    assert _rel(normnative.norm(a.T, -2), ref) < 2 ** -50
    stack = np.stack([a, np.eye(n), a[::-1]])
    assert normnative.norm(stack, -2, axis=(1, 2))[0] == got


@pytest.mark.parametrize("n", [4, 6])
@pytest.mark.parametrize("graded", ["rows", "cols"])
def test_random_gradings_over_2_to_the_1000(n, graded):
    rng = np.random.default_rng(4000 + n + (graded == "rows"))
    a = rng.standard_normal((12, n, n))
    shape = (12, n, 1) if graded == "rows" else (12, 1, n)
    x = a * np.exp2(rng.integers(-1000, 0, shape))
    got = normnative.norm(x, -2, axis=(1, 2))
    for i in range(len(x)):
        # D·C (or C·D) with a Gaussian C: relative accuracy ~ κ(C)·2⁻⁵³
        assert _rel(got[i], _sigma_min(x[i])) < 1e-11, (n, graded, i, got[i])
