"""sigma_max references at 256 bits for the ulp tests (tests/python/test_sigma_ulps.py).

sigma_max(A)^2 is the largest eigenvalue of G = A^H A. G is formed in mpmath at 256 bits (the
products of float64 entries are exact, their sums carry ~2^-250 error). Starting from NumPy's top
right singular vector (a guess only), Rayleigh-quotient iteration converges cubically to an
eigenvalue mu of G; the result is accepted only if (mu + eta) I - G is positive definite
(a Cholesky factorisation succeeds, eta = 2^-200 mu), which proves mu + eta >= every eigenvalue,
so mu is the largest one to 2^-200 (otherwise mpmath's SVD at 256 bits is used). NumPy is used for the starting vector only.
"""
import mpmath
import numpy as np

PREC = 256


def _mp_matrix(a):
    a = np.asarray(a)
    rows, cols = a.shape
    if np.iscomplexobj(a):
        return mpmath.matrix([[mpmath.mpc(float(a[i, j].real), float(a[i, j].imag)) for j in range(cols)]
                              for i in range(rows)])
    return mpmath.matrix([[mpmath.mpf(float(a[i, j])) for j in range(cols)] for i in range(rows)])


def rayleigh_iteration(G, v, steps):
    """Rayleigh-quotient iteration on the Hermitian mpmath matrix G from the vector v (at the
    caller's working precision); returns the eigenvalue estimate it converged to (cubically)."""
    ident = mpmath.eye(G.rows)

    def rq(v):
        return mpmath.re((v.H * G * v)[0] / (v.H * v)[0])

    mu = rq(v)
    for _ in range(steps):
        try:
            x = mpmath.lu_solve(G - mu * ident, v)
        except ZeroDivisionError:
            break
        nx = mpmath.norm(x)
        if nx == 0 or not mpmath.isfinite(nx):
            break
        v = x / nx
        new = rq(v)
        done = abs(new - mu) <= mpmath.ldexp(abs(new), -230)
        mu = new
        if done:
            break
    return mu


def sigma_max(a):
    """Largest singular value of the 2-D float/complex array ``a`` as an mpmath number (256 bits)."""
    a = np.asarray(a)
    if a.dtype in (np.complex64, np.float32, np.float16):
        a = a.astype(np.complex128 if np.iscomplexobj(a) else np.float64)  # exact widening
    rows, cols = a.shape
    if rows < cols:
        a = a.conj().T
        rows, cols = cols, rows
    with mpmath.workprec(PREC):
        A = _mp_matrix(a)
        if cols == 1:
            return mpmath.sqrt(sum(abs(A[i, 0]) ** 2 for i in range(rows)))
        if all(A[i, j] == 0 for i in range(rows) for j in range(cols)):
            return mpmath.mpf(0)
        # scale by a power of two: exact, keeps mpmath's exponents moderate
        k = int(np.floor(np.log2(np.max(np.abs(a)))))
        A = A * mpmath.ldexp(1, -k)
        G = A.H * A
        _, _, vh = np.linalg.svd(a * 2.0 ** -k)
        v0 = vh[0].conj()
        v = mpmath.matrix([mpmath.mpc(float(x.real), float(x.imag)) if np.iscomplexobj(a) else mpmath.mpf(float(x))
                           for x in v0])
        ident = mpmath.eye(cols)
        mu = rayleigh_iteration(G, v, 8)
        # proof that mu is the largest eigenvalue: (mu + eta) I - G positive definite
        eta = mpmath.ldexp(abs(mu), -200)
        try:
            mpmath.cholesky((mu + eta) * ident - G)
        except ValueError:
            # RQI found another eigenvalue (a cluster at the top): mpmath's own SVD instead
            svd = mpmath.svd_c if np.iscomplexobj(a) else mpmath.svd_r
            mu = max(svd(A, compute_uv=False)) ** 2
        return mpmath.sqrt(mu) * mpmath.ldexp(1, k)


def ulps(got, exact, dtype):
    """|got - exact| in ulps of ``dtype`` at ``exact`` (exact > 0 and normal in that dtype)."""
    with mpmath.workprec(PREC):
        e = mpmath.mpf(exact)
        fi = np.finfo(dtype)
        _, ex = mpmath.frexp(e)  # e = m 2^ex with m in [0.5, 1)
        ulp = mpmath.ldexp(1, ex - 1 - (fi.nmant))
        return float(abs(mpmath.mpf(float(got)) - e) / ulp)
