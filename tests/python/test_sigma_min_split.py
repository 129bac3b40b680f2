"""sigma_min (ord -2) of exactly singular, numerically rank-deficient and steeply graded matrices.

- A zero column, two equal columns, or (square) two equal rows make A exactly singular: sigma_min is exactly 0
  (SvdNorms.ExactlySingular), whatever the dtype or orientation; near-duplicates and tall matrices with equal rows
  are not singular and keep their value.
- Numerically rank-deficient or steeply graded matrices are split by the Jacobi kernel's pivoted QR into
  [L11 0; L21 L22] (SvdKernel.SplitForMin) and sigma_min(A) taken from L22, to a proven relative 2^-63 (2^-40 for
  float32 results). Checked against 600-bit references (mpmath) on matrices whose small singular values are
  structure, not rounding noise: block gradings, coupled gradings, and float32 matrices of rank 2 before their
  rounding (full rank after it, sigma_min 1e-7 to 1e-12 of the top).
"""
import mpmath
import numpy as np
import pytest

import normnative as nn
from _reference import norm_at_threads


def _smin_mp(a, prec=600):
    with mpmath.workprec(prec):
        a = np.asarray(a)
        if a.dtype.kind == "c":
            rows = [[mpmath.mpc(float(v.real), float(v.imag)) for v in r] for r in a.astype(np.complex128)]
        else:
            rows = [[mpmath.mpf(float(v)) for v in r] for r in a.astype(np.float64)]
        return min(mpmath.svd(mpmath.matrix(rows), compute_uv=False))


def _exactly_singular():
    rng = np.random.default_rng(7)
    a = rng.standard_normal((30, 30))
    a[:, 19] = a[:, 7]
    yield "equal columns", a
    b = rng.standard_normal((30, 30))
    b[:, 4] = 0
    yield "zero column", b
    c = rng.standard_normal((25, 25))
    c[11] = c[3]
    yield "equal rows, square", c
    c2 = rng.standard_normal((25, 25))
    c2[13] = 0
    yield "zero row, square", c2
    d = rng.standard_normal((30, 30))
    d[:, 2] = np.where(d[:, 2] > 0, d[:, 2], 0.0)
    d[:, 9] = d[:, 2]
    d[d[:, 2] == 0, 9] = -0.0
    yield "equal columns, -0 against +0", d
    w = rng.standard_normal((20, 35))
    w[5] = w[17]
    yield "wide, equal rows", w
    yield "ones", np.ones((40, 40))
    yield "repeated column", np.repeat(rng.standard_normal((30, 1)), 30, axis=1)
    z = rng.standard_normal((12, 12)) + 1j * rng.standard_normal((12, 12))
    z[:, 3] = z[:, 8]
    yield "complex equal columns", z
    z2 = rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3))
    z2[2] = z2[0]
    yield "complex 3x3 equal rows", z2
    yield "complex ones", np.ones((20, 20), dtype=complex) * (1 - 2j)


@pytest.mark.parametrize("name,a", list(_exactly_singular()), ids=[n for n, _ in _exactly_singular()])
@pytest.mark.parametrize("dtype", ["float64", "float32", "complex"])
def test_exactly_singular_is_exactly_zero(name, a, dtype):
    if dtype == "float32":
        a = a.astype(np.complex64 if a.dtype.kind == "c" else np.float32)
    elif dtype == "complex" and a.dtype.kind != "c":
        a = a * (0.5 + 0.25j)
    got = nn.norm(a, -2)
    assert type(got) is type(np.linalg.norm(a, -2))
    assert got == 0
    # transposed and in a stack: the same
    assert nn.norm(a.T, -2) == 0
    assert nn.norm(np.stack([a, a]), -2, axis=(1, 2)).tolist() == [0, 0]


def _not_singular():
    rng = np.random.default_rng(8)
    t = rng.standard_normal((35, 20))
    t[5] = t[17]
    yield "tall, equal rows", t
    t2 = rng.standard_normal((35, 20))
    t2[9] = 0
    yield "tall, zero row", t2
    a = rng.standard_normal((16, 16))
    a[:, 9] = a[:, 2]
    a[4, 9] += 2.0 ** -20
    yield "near-equal columns", a
    b = rng.standard_normal((16, 16))
    b[7] = b[1]
    b[7, 0] = np.nextafter(b[7, 0], np.inf) * (1 + 2.0 ** -18)
    yield "near-equal rows", b


@pytest.mark.parametrize("name,a", list(_not_singular()), ids=[n for n, _ in _not_singular()])
def test_equal_lines_that_do_not_make_a_singular_matrix(name, a):
    """Not zero, and within the backward error of any double-precision SVD (these are not graded: kappa*u)."""
    ref = float(_smin_mp(a))
    got = nn.norm(a, -2)
    assert got > 0
    assert abs(got - ref) <= 16 * a.shape[1] * np.finfo(float).eps * nn.norm(a, 2), (got, ref)


def _graded_blocks():
    """Matrices whose small singular values are structure: sigma_min relative to itself."""
    rng = np.random.default_rng(9)
    for seed, (k, r, e) in enumerate([(4, 8, 60), (2, 10, 45), (6, 6, 100), (3, 12, 200)]):
        b = rng.integers(-9, 10, (k, k)).astype(float) + 10 * np.eye(k)
        c = rng.integers(-9, 10, (r, r)).astype(float) + 3 * np.eye(r)
        a = np.zeros((k + r, k + r))
        a[:k, :k] = b
        a[k:, k:] = np.ldexp(c, -e)
        p, q = rng.permutation(k + r), rng.permutation(k + r)
        yield f"block {k}+{r} 2^-{e}", a[p][:, q]
        # coupled: small off-diagonal blocks too
        d = np.ldexp(rng.integers(-9, 10, (k, r)).astype(float), -e)
        f = np.ldexp(rng.integers(-9, 10, (r, k)).astype(float), -e)
        a2 = a.copy()
        a2[:k, k:] = d
        a2[k:, :k] = f
        yield f"coupled {k}+{r} 2^-{e}", a2[p][:, q]
    # three levels: 1, 2^-50, 2^-100 (two splits)
    m = rng.standard_normal((12, 12))
    g = np.ldexp(1.0, -50 * (np.arange(12) // 4))
    yield "three levels", g[:, None] * m


def _complex_graded():
    rng = np.random.default_rng(10)
    for name, a in _graded_blocks():
        p = np.exp(1j * rng.uniform(0, 2 * np.pi, a.shape))
        yield "complex " + name, a * p


@pytest.mark.parametrize("name,a", list(_graded_blocks()) + list(_complex_graded()),
                         ids=[n for n, _ in _graded_blocks()] + [n for n, _ in _complex_graded()])
def test_steeply_graded_matrices_relative_to_themselves(name, a):
    ref = float(_smin_mp(a))
    got = nn.norm(a, -2)
    assert abs(got - ref) <= 1e-12 * ref, (name, got, ref)
    # NumPy's LAPACK loses it entirely below u*||A||; ours is exact under power-of-two scaling
    assert nn.norm(a * 2.0 ** 70, -2) == got * 2.0 ** 70
    got_t = nn.norm(a.T, -2)
    assert abs(got_t - ref) <= 1e-12 * ref, (name, got_t, ref)


@pytest.mark.parametrize("n,rank,seed", [(24, 2, 1), (24, 3, 2), (30, 1, 3), (20, 5, 4), (28, 2, 5)])
def test_float32_low_rank_relative_to_itself(n, rank, seed):
    """fl32(X @ Y) of rank `rank` is full rank after rounding, sigma_min 1e-7 to 1e-12 of the top (kappa up to
    1e12): split at the float32 trigger, L22 certified. Not correctly rounded (L22 carries the double-precision
    elimination's row-wise error, as the Jacobi kernel's R does, which it used before), but within a few float32
    ulps where NumPy's float32 LAPACK is off entirely."""
    rng = np.random.default_rng(seed)
    a = (rng.standard_normal((n, rank)) @ rng.standard_normal((rank, n))).astype(np.float32)
    ref = float(_smin_mp(a))
    got = nn.norm(a, -2)
    assert type(got) is np.float32
    assert abs(float(got) - ref) <= 2.0 ** -20 * ref, (got, ref)


@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "complex64"])
@pytest.mark.parametrize("n", [60, 200])
def test_low_rank_noise_bounded_and_thread_invariant(n, dtype):
    rng = np.random.default_rng(n)
    a = (rng.standard_normal((n, 2)) @ rng.standard_normal((2, n)) + rng.standard_normal((n, 3)) @ rng.standard_normal((3, n)))
    if dtype.startswith("complex"):
        a = a + 1j * (rng.standard_normal((n, 2)) @ rng.standard_normal((2, n)))
    a = a.astype(dtype)
    eps = np.finfo(dtype).eps
    got = nn.norm(a, -2)
    assert type(got) is type(np.linalg.norm(a, -2))
    fro = float(np.sqrt(np.sum(np.abs(a.astype(np.complex128)) ** 2)))
    assert 0 <= got <= 4 * n * eps * fro
    vals = norm_at_threads((1, 2), a, -2)
    assert vals[0] == vals[1] == got


@pytest.mark.parametrize("dtype", ["float64", "complex128", "float32"])
def test_stacks_mixing_the_routes_match_one_at_a_time(dtype):
    """Certified, probed-and-split, split-after-the-certificate, exactly singular and graded matrices in one stack
    (their scratch is shared matrix after matrix): the bits of each matrix alone, at one and two threads."""
    rng = np.random.default_rng(11)
    n = 40
    mats = [
        rng.standard_normal((n, n)),
        rng.standard_normal((n, 2)) @ rng.standard_normal((2, n)),
        rng.standard_normal((n, 12)) @ rng.standard_normal((12, n)),
        np.ones((n, n)),
        next(a for name, a in _graded_blocks() if name == "three levels").repeat(4, axis=0).repeat(4, axis=1)[:n, :n]
        + np.diag(np.ldexp(1.0, -300 + np.arange(n))),
        rng.standard_normal((n, n)),
    ]
    st = np.stack(mats)
    if dtype == "complex128":
        st = st * np.exp(1j * rng.uniform(0, 6.3, st.shape))
    st = st.astype(dtype)
    one = [nn.norm(st[i], -2) for i in range(len(mats))]
    for got in norm_at_threads((1, 2), st, -2, axis=(1, 2)):
        assert got.tolist() == one
