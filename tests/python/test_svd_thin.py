"""SVD norms (2, -2, 'nuc') of thin and wide matrices.

Tall real matrices (m >= 1.75 n, n >= 5) are reduced by Householder QR before the bidiagonal
route (ord 2 and 'nuc' from 2 columns on, not the Jacobi kernel), wide ones through the transpose
view; C-order inputs are gathered row by row into the kernels' column-major copy, which lives in a
pooled block reused across calls and across the matrices of a stack. Checked here: sigma_max,
sigma_min and the nuclear norm against 256-bit / 100-digit references (random, uniform,
ill-conditioned, rank-deficient, clustered, integer, 1e+-200 scales, complex); bit-identical
results for every memory layout of the same matrix (C, Fortran, strided, negative strides) and for
a matrix alone or inside a stack of differently scaled ones (no state left in the pooled block).
"""
import numpy as np
import pytest

import normnative
from _reference import singular_values, ulp_error
from _sigma_ref import sigma_max, ulps
from sigma_ulps_survey import make
from test_sigma_min_certified import sigma_min_ref

KINDS = ["randn", "uniform", "illcond", "rankdef", "cluster", "int"]
THIN = [(9, 5), (14, 8), (40, 8), (8, 40), (120, 6), (61, 20), (20, 61), (64, 2), (3, 30)]


def _layouts(a):
    """The same logical matrix in C order, Fortran order, as a strided view and with negative strides."""
    big = np.zeros((2 * a.shape[0], 3 * a.shape[1]), a.dtype)
    big[::2, ::3] = a
    rev = a[::-1, ::-1].copy()
    return [a, np.asfortranarray(a), big[::2, ::3], rev[::-1, ::-1], np.ascontiguousarray(a.T).T]


@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_thin_sigma_max_within_one_ulp(dtype):
    rng = np.random.default_rng(71)
    cplx = dtype == np.complex128
    worst, where = 0.0, None
    for m, n in THIN:
        for kind in KINDS:
            for scale in (1.0, 1e200, 1e-200):
                a = (make(rng, kind, m, n, cplx) * scale).astype(dtype)
                ref = sigma_max(a)
                for view in (a, np.asfortranarray(a)):
                    e = ulps(normnative.norm(view, 2), ref, np.float64)
                    if e > worst:
                        worst, where = e, (m, n, kind, scale)
    assert worst <= 1.0, (worst, where)


def test_thin_float32_sigma_max_correctly_rounded():
    rng = np.random.default_rng(72)
    worst = 0.0
    for m, n in THIN:
        for kind in ("randn", "illcond", "int"):
            a = make(rng, kind, m, n, False).astype(np.float32)
            worst = max(worst, ulps(normnative.norm(a, 2), sigma_max(a), np.float32))
    assert worst <= 0.5, worst


@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_thin_sigma_min_within_one_ulp(dtype):
    rng = np.random.default_rng(73)
    cplx = dtype == np.complex128
    worst, where = 0.0, None
    for m, n in [(9, 5), (14, 8), (40, 8), (8, 40), (61, 20), (20, 61)]:
        for kind in ("randn", "uniform", "int"):
            for scale in (1.0, 1e200, 1e-200):
                a = (make(rng, kind, m, n, cplx) * scale).astype(dtype)
                ref = sigma_min_ref(a)
                for view in (a, np.asfortranarray(a)):
                    e = ulps(normnative.norm(view, -2), ref, np.float64)
                    if e > worst:
                        worst, where = e, (m, n, kind, scale)
    assert worst <= 1.0, (worst, where)


def test_thin_sigma_min_rank_deficient_and_graded():
    """Rank-deficient thin matrices give a sigma_min tiny against sigma_max (the certificate fails,
    the Jacobi kernel decides); graded ones keep relative accuracy."""
    rng = np.random.default_rng(74)
    for m, n in [(40, 8), (61, 20), (8, 40)]:
        a = make(rng, "rankdef", m, n, False)
        got = normnative.norm(a, -2)
        assert got <= 1e-13 * normnative.norm(a, 2), (m, n, got)
        c = rng.standard_normal((m, n))
        g = c * np.logspace(0, 6, n)[None, :] if m >= n else c * np.logspace(0, 6, m)[:, None]
        ref = sigma_min_ref(g)
        assert abs(float(normnative.norm(g, -2)) - float(ref)) <= 1e-12 * float(ref), (m, n)


def test_thin_nuclear_norm():
    rng = np.random.default_rng(75)
    worst = 0.0
    for m, n in [(14, 8), (40, 8), (8, 40), (61, 20), (64, 2)]:
        for kind in ("randn", "illcond", "rankdef", "int"):
            a = make(rng, kind, m, n, False)
            rows = a.T if m < n else a
            exact = sum(singular_values(rows.tolist(), *rows.shape))
            worst = max(worst, ulp_error(normnative.norm(a, "nuc"), exact, np.float64))
    assert worst <= 4.0, worst


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.complex128, np.complex64])
@pytest.mark.parametrize("shape", [(7, 5), (9, 5), (15, 8), (16, 8), (17, 8), (300, 8), (33, 20), (20, 33), (5, 9)])
def test_every_layout_gives_the_same_bits(dtype, shape):
    rng = np.random.default_rng(sum(shape) + np.dtype(dtype).num)
    a = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        a = a + 1j * rng.standard_normal(shape)
    a = (a * 50 if np.dtype(dtype).kind == "i" else a).astype(dtype)
    for o in (2, -2, "nuc"):
        want = normnative.norm(a, o)
        assert abs(float(want) - float(np.linalg.norm(a, o))) <= 1e-5 * float(want), (o, want)
        for view in _layouts(a):
            got = normnative.norm(view, o)
            assert got.dtype == want.dtype and got.tobytes() == want.tobytes(), (o, view.strides, got, want)


@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_stack_of_thin_matrices_matches_each_alone(dtype):
    """Matrices of one stack share the pooled block: each result must be the bits of the matrix
    computed alone (scales 1e+-300, a zero matrix, integers, rank-deficient, ill-conditioned)."""
    rng = np.random.default_rng(76)
    cplx = dtype == np.complex128
    m, n = 40, 8
    mats = [make(rng, k, m, n, cplx) * s for k, s in
            [("randn", 1.0), ("illcond", 1e300), ("rankdef", 1e-300), ("int", 1.0), ("cluster", 3.0)]]
    mats.insert(2, np.zeros((m, n), dtype))
    stack = np.stack([x.astype(dtype) for x in mats])
    for o in (2, -2, "nuc"):
        together = normnative.norm(stack, o, axis=(1, 2))
        wide = normnative.norm(np.ascontiguousarray(stack.transpose(0, 2, 1)), o, axis=(2, 1))
        for i, x in enumerate(stack):
            alone = normnative.norm(x, o)
            assert together[i].tobytes() == alone.tobytes(), (o, i, together[i], alone)
            assert wide[i].tobytes() == alone.tobytes(), (o, i, wide[i], alone)


def test_nan_and_inf_in_thin_matrices():
    a = np.random.default_rng(77).standard_normal((300, 8))
    for o in (2, -2, "nuc"):
        b = a.copy()
        b[157, 3] = np.nan
        with pytest.raises(np.linalg.LinAlgError):
            normnative.norm(b, o)
        with pytest.raises(np.linalg.LinAlgError):
            normnative.norm(np.stack([a, b, a]), o, axis=(1, 2))
        b[157, 3] = np.inf
        assert np.isnan(normnative.norm(b, o))
        # the next call reuses the pooled block: the padding and scratch must not carry the NaN over
        assert normnative.norm(a, o) == normnative.norm(np.asfortranarray(a), o)
