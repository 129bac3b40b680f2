"""Matrix ord -2 (sigma_min) against 256-bit mpmath references.

sigma_min takes the certified bidiagonal route (src/NormManaged/Matrix/SigmaMinRefine.cs: a
Kato-Temple bound proves the result within 2^-57 before its one rounding) or falls back to the
Jacobi kernel. Whatever the route: float64/complex128 results of ordinary matrices within 1 ulp,
float32/complex64 results correctly rounded, graded D1*C*D2 matrices relatively accurate to 1e-12,
and every result within the backward-stability bound c*n*u*sigma_max.

References (small matrices): G = A^H A formed at 256 bits, Rayleigh-quotient iteration from a
NumPy singular vector (a guess only), and a proof that mu is the smallest eigenvalue: a Cholesky
factorisation of G - (mu - eta) I succeeds (eta = 2^-200 mu); else mpmath's own eigenvalues.
Large matrices (forming G at 256 bits would be too slow): the Rayleigh quotient of NumPy's vector
with its Kato-Temple bound at 256 bits, taking NumPy's sigma_{n-1} (reduced by 1e-6) as the
lower bound of the next eigenvalue; the reference interval must be below 1e-20 relative."""
import mpmath
import numpy as np
import pytest

import normnative as nn
from _sigma_ref import rayleigh_iteration

PREC = 256
U = 2.0 ** -53


def _oriented(a):
    a = np.asarray(a)
    a = a.astype(np.complex128 if np.iscomplexobj(a) else np.float64)  # exact widening
    if a.shape[0] < a.shape[1]:
        a = a.conj().T
    return a


def _mp(a):
    rows, cols = a.shape
    if np.iscomplexobj(a):
        return mpmath.matrix([[mpmath.mpc(float(a[i, j].real), float(a[i, j].imag)) for j in range(cols)]
                              for i in range(rows)])
    return mpmath.matrix([[mpmath.mpf(float(a[i, j])) for j in range(cols)] for i in range(rows)])


def sigma_min_ref(a):
    """Smallest singular value of the 2-D float/complex array as an mpmath number (256 bits)."""
    a = _oriented(a)
    cols = a.shape[1]
    if not np.any(a):
        return mpmath.mpf(0)
    k = int(np.floor(np.log2(np.max(np.abs(a)))))
    a = a * 2.0 ** -k
    # G squares the entries' range: the precision grows with it (graded matrices)
    spread = int(np.ceil(np.log2(np.max(np.abs(a)) / np.min(np.abs(a[a != 0])))))
    with mpmath.workprec(PREC + 2 * spread):
        A = _mp(a)
        G = A.H * A
        ident = mpmath.eye(cols)
        v0 = np.linalg.svd(a)[2][-1].conj()
        v = mpmath.matrix([mpmath.mpc(complex(x)) if np.iscomplexobj(a) else mpmath.mpf(float(x)) for x in v0])

        mu = rayleigh_iteration(G, v, 10)
        eta = mpmath.ldexp(abs(mu), -200)
        try:
            mpmath.cholesky(G - (mu - eta) * ident)
        except (ValueError, ZeroDivisionError):
            eig = mpmath.eighe if np.iscomplexobj(a) else mpmath.eigsy
            mu = min(mpmath.re(e) for e in eig(G, eigvals_only=True))
        return mpmath.sqrt(max(mu, 0)) * mpmath.ldexp(1, k)


def sigma_min_ref_large(a):
    """Kato-Temple reference for large well-separated matrices (see the module docstring)."""
    a = _oriented(a)
    s_np = np.linalg.svd(a, compute_uv=False)
    v0 = np.linalg.svd(a)[2][-1].conj()
    with mpmath.workprec(PREC):
        cplx = np.iscomplexobj(a)
        conv = (lambda z: mpmath.mpc(complex(z))) if cplx else (lambda z: mpmath.mpf(float(z)))
        rows = [[conv(z) for z in row] for row in a]
        v = [conv(z) for z in v0]
        g = a.conj().T @ a
        for _ in range(3):
            y = [mpmath.fsum(r[j] * v[j] for j in range(len(v))) for r in rows]
            vv = mpmath.fsum(abs(z) ** 2 for z in v)
            rho = mpmath.fsum(abs(z) ** 2 for z in y) / vv
            w = [mpmath.fsum(mpmath.conj(rows[i][j]) * y[i] for i in range(len(rows))) for j in range(len(v))]
            res = [w[j] - rho * v[j] for j in range(len(v))]
            rr = mpmath.fsum(abs(z) ** 2 for z in res) / vv
            beta = (mpmath.mpf(float(s_np[-2])) * (1 - mpmath.mpf("1e-6"))) ** 2
            assert beta > rho
            low = rho - rr / (beta - rho)
            ref = mpmath.sqrt(rho)
            if (ref - mpmath.sqrt(low)) / ref < mpmath.mpf("1e-20"):
                return ref
            # one inverse-iteration step v - G^-1 r (the residual at 256 bits, the solve in float64)
            rf = np.array([complex(z) if cplx else float(z) for z in res])
            step = np.linalg.solve(g, rf)
            v = [v[j] - conv(step[j]) for j in range(len(v))]
        raise AssertionError("reference not tight")


def ulps(got, ref, dtype):
    with mpmath.workprec(PREC):
        _, ex = mpmath.frexp(ref)
        return float(abs(mpmath.mpf(float(got)) - ref) / mpmath.ldexp(1, ex - 1 - np.finfo(dtype).nmant))


def _rand(rng, shape, dtype):
    a = rng.standard_normal(shape)
    if np.issubdtype(dtype, np.complexfloating):
        a = a + 1j * rng.standard_normal(shape)
    return a.astype(dtype)


SHAPES = [(5, 5), (8, 6), (6, 9), (12, 12), (13, 4), (17, 24), (30, 30)]


@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_random_within_one_ulp(dtype):
    rng = np.random.default_rng(41)
    worst = 0.0
    for shape in SHAPES:
        a = _rand(rng, shape, dtype)
        ref = sigma_min_ref(a)
        for view in (a, np.asfortranarray(a), a[::-1], a[:, ::-1]):
            got = nn.norm(view, -2)
            assert type(got) is np.float64
            worst = max(worst, ulps(got, ref, np.float64))
    assert worst <= 1.0, worst


@pytest.mark.parametrize("dtype", [np.float32, np.complex64])
def test_single_precision_correctly_rounded(dtype):
    rng = np.random.default_rng(43)
    for shape in SHAPES + [(40, 33)]:
        a = _rand(rng, shape, dtype)
        want = np.float32(float(sigma_min_ref(a)))  # ref to 256 bits: one rounding to float64 then float32
        # (double rounding is exact here unless ref is within 2^-53 of a float32 midpoint)
        for view in (a, np.asfortranarray(a)):
            got = nn.norm(view, -2)
            assert got.dtype == np.float32
            assert got == want, (shape, float(got), float(want))


def test_integer_and_extreme_scale():
    rng = np.random.default_rng(47)
    for shape in [(7, 7), (10, 8), (9, 16)]:
        a = rng.integers(-1000, 1000, size=shape)
        assert ulps(nn.norm(a, -2), sigma_min_ref(a), np.float64) <= 1.0
        f = rng.standard_normal(shape)
        for scale in (1e200, 1e-200, 2.0 ** -1000):
            b = f * scale
            assert ulps(nn.norm(b, -2), sigma_min_ref(b), np.float64) <= 1.0, scale


@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_graded_relative_accuracy(dtype):
    """D1*C*D2 with kappa(C) <= 1e3: relative error <= 1e-12 (README "Accuracy"), by certificate or
    by the Jacobi fallback."""
    rng = np.random.default_rng(53)
    for shape, span in [((10, 10), 12), ((16, 12), 30), ((12, 12), 100), ((20, 20), 6)]:
        c = _rand(rng, shape, dtype)
        d1 = 10.0 ** rng.uniform(-span, 0, shape[0])
        d2 = 10.0 ** rng.uniform(-span, 0, shape[1])
        a = (d1[:, None] * c) * d2[None, :]
        ref = sigma_min_ref(a)
        got = nn.norm(a, -2)
        assert float(abs(mpmath.mpf(float(got)) - ref) / ref) <= 1e-12, (shape, span)


@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_ill_conditioned_and_rank_deficient(dtype):
    """Unstructured kappa up to 1e12 and rank-deficient matrices: within the backward-stability bound
    32*n*u*sigma_max of the exact sigma_min; kappa <= 1e4 within 1 ulp."""
    rng = np.random.default_rng(59)
    n = 14
    q1 = np.linalg.qr(_rand(rng, (n, n), dtype))[0]
    q2 = np.linalg.qr(_rand(rng, (n, n), dtype))[0]
    for kappa in (1e2, 1e4, 1e8, 1e12):
        s = np.geomspace(1.0, 1.0 / kappa, n)
        a = (q1 * s) @ q2
        ref = sigma_min_ref(a)
        got = nn.norm(a, -2)
        smax = float(np.max(s))
        assert abs(got - float(ref)) <= 32 * n * U * smax
        if kappa <= 1e4:
            assert ulps(got, ref, np.float64) <= 1.0, kappa
    b = _rand(rng, (n, 9), dtype) @ _rand(rng, (9, n), dtype)   # rank 9
    got = nn.norm(b, -2)
    assert abs(got - float(sigma_min_ref(b))) <= 32 * n * U * np.linalg.norm(b, 2)


@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_clustered_bottom_pair(dtype):
    """sigma_n and sigma_{n-1} 1e-9 apart (no certificate possible at that gap: fallback) and exactly
    equal: relatively accurate all the same."""
    rng = np.random.default_rng(61)
    n = 12
    q1 = np.linalg.qr(_rand(rng, (n + 3, n + 3), dtype))[0][:, :n]
    q2 = np.linalg.qr(_rand(rng, (n, n), dtype))[0]
    for gap in (1e-9, 0.0, 1e-4):
        s = np.linspace(1.0, 4.0, n)
        s[1] = s[0] * (1 + gap)
        a = (q1 * s) @ q2
        ref = sigma_min_ref(a)
        assert float(abs(mpmath.mpf(float(nn.norm(a, -2))) - ref) / ref) <= 1e-13, gap


def test_large_matrices():
    rng = np.random.default_rng(67)
    for shape, dtype in [((300, 300), np.float64), ((240, 90), np.complex128), ((130, 300), np.float64)]:
        a = _rand(rng, shape, dtype)
        assert ulps(nn.norm(a, -2), sigma_min_ref_large(a), np.float64) <= 1.0, shape
    a = _rand(rng, (200, 150), np.float32)
    assert nn.norm(a, -2) == np.float32(float(sigma_min_ref_large(a)))


@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_column_scaled_within_one_ulp(dtype):
    """Columns scaled geometrically down to 1/kappa (kappa <= 1e6): B's own vector is not enough for
    the certificate here, the improvement steps are (tests/NormManaged.Tests counts them)."""
    rng = np.random.default_rng(71)
    for n, kappa in [(8, 1e6), (12, 1e4), (20, 1e6), (24, 1e3)]:
        a = _rand(rng, (n, n), dtype) * np.geomspace(1.0, 1.0 / kappa, n)[None, :]
        assert ulps(nn.norm(a, -2), sigma_min_ref(a), np.float64) <= 1.0, (n, kappa)
