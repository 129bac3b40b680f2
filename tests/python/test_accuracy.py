"""Accuracy against exact references, for NormNative and (for comparison) NumPy on the same inputs.

References: ``fractions`` for sums and sums of squares (with a ``math.isqrt``-based correctly
rounded square root), ``mpmath`` at 100 digits for p-norms and singular values. Each test records
the maximum error in ulps of the result dtype; the table is printed in the terminal summary
(conftest.py) and every bound is asserted.
"""
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest

import normnative
from _reference import MP_DPS, correctly_rounded_sqrt_fraction, singular_values, ulp_error, vector_ref

NP_NORM = np.linalg.linalg.norm
ACCURACY_TABLE = {}  # (dtype, ord) -> [max ulp normnative, max ulp numpy, bound, cases]

RNG = np.random.default_rng(20261127)


def _adversarial(dtype):
    """Named vectors that trip naive algorithms: over/underflow, cancellation-free but long sums."""
    fi = np.finfo(dtype)
    big, tiny = float(fi.max), float(fi.tiny)
    eps = float(fi.eps)
    cases = {
        "random n=1000": RNG.standard_normal(1000),
        "huge": np.array([big / 3, big / 5, big / 7, big / 11]),
        "tiny normal": np.array([tiny * 3, tiny * 5, tiny * 7]),
        "subnormal": np.array([tiny * eps * k for k in (1, 3, 7, 100)]),
        "exponent sweep": np.array([(1 + RNG.random()) * 2.0 ** k
                                    for k in range(int(fi.minexp), int(fi.maxexp) - 2, max(1, (fi.maxexp - fi.minexp) // 60))]),
        "one large among many tiny": np.concatenate([[1.0], np.full(2000, eps / 3)]),
        "long equal run": np.full(5000, 0.1),
        "pythagorean 3-4-5 scaled": np.array([3.0, 4.0]) * 2.0 ** (fi.maxexp - 4),
        "pythagorean 20-21-29": np.array([20.0, 21.0]),
        "pythagorean tiny": np.array([3.0, 4.0]) * 2.0 ** (fi.minexp + 4),
    }
    out = {}
    for name, v in cases.items():
        with np.errstate(all="ignore"):
            a = np.asarray(v, dtype=dtype)
        a = a[np.isfinite(a)]
        if a.size:
            out[name] = a
    return out


def _exact_vector(a, p):
    """Exact p-norm: fractions for p = 1, 2; mpmath otherwise."""
    vals = [Fraction(float(x)) if np.asarray(x).dtype.kind == "f" else None for x in a]
    if p == 2 and all(v is not None for v in vals):
        s = sum(v * v for v in vals)
        if s == 0:
            return 0
        with mpmath.workdps(MP_DPS):
            return mpmath.sqrt(mpmath.mpf(s.numerator) / s.denominator)
    if p == 1 and all(v is not None for v in vals):
        s = sum(abs(v) for v in vals)
        with mpmath.workdps(MP_DPS):
            return mpmath.mpf(s.numerator) / s.denominator
    return vector_ref(a, p)


def _record(key, ours, theirs, bound):
    row = ACCURACY_TABLE.setdefault(key, [0.0, 0.0, bound, 0])
    row[0] = max(row[0], ours)
    row[1] = max(row[1], theirs)
    row[3] += 1


VECTOR_BOUNDS = [  # (dtype, p, bound in ulps)
    (np.float64, 2, 1.0), (np.float64, 1, 1.0), (np.float64, 3, 1.0), (np.float64, 4, 1.0),
    (np.float64, 2.5, 2.0), (np.float64, 0.5, 2.0), (np.float64, -1, 2.0),
    (np.float32, 2, 0.5), (np.float32, 1, 0.5), (np.float32, 3, 0.5), (np.float32, 2.5, 0.5),
    (np.float16, 2, 0.5), (np.float16, 1, 0.5), (np.float16, 3, 0.5),
    # general p (the vectorised double-double ln/exp path; narrow dtypes: proven correctly rounded or exact path)
    (np.float64, 1.7, 1.0), (np.float64, 0.3, 1.0), (np.float64, -3.3, 1.0),
    (np.float32, 1.7, 0.5), (np.float32, 0.3, 0.5), (np.float16, 1.7, 0.5),
]


@pytest.mark.parametrize("dtype,p,bound", VECTOR_BOUNDS, ids=[f"{np.dtype(d).name}-p{p}" for d, p, _ in VECTOR_BOUNDS])
def test_vector_accuracy(dtype, p, bound):
    worst = []
    for name, a in _adversarial(dtype).items():
        exact = _exact_vector(a, p)
        ours = normnative.norm(a, p) if p != 2 else normnative.norm(a)
        with np.errstate(all="ignore"):
            theirs = NP_NORM(a, p) if p != 2 else NP_NORM(a)
        e_ours = ulp_error(ours, exact, dtype)
        e_np = ulp_error(theirs, exact, dtype) if np.isfinite(theirs) or not mpmath.isinf(exact) else 0.0
        _record((np.dtype(dtype).name, f"p={p}"), e_ours, e_np, bound)
        if e_ours > bound:
            worst.append(f"{name}: {e_ours:.3g} ulp (got {ours!r}, exact {mpmath.nstr(exact, 20)})")
    assert not worst, "; ".join(worst)


def test_complex_two_norm_accuracy():
    for dtype, bound in ((np.complex128, 1.0), (np.complex64, 0.5)):
        rdt = np.finfo(dtype).dtype
        for scale in (1.0, 2.0 ** 500 if rdt == np.float64 else 2.0 ** 60, 2.0 ** -500 if rdt == np.float64 else 2.0 ** -60):
            z = ((RNG.standard_normal(500) + 1j * RNG.standard_normal(500)) * scale).astype(dtype)
            s = sum(Fraction(float(v.real)) ** 2 + Fraction(float(v.imag)) ** 2 for v in z)
            with mpmath.workdps(MP_DPS):
                exact = mpmath.sqrt(mpmath.mpf(s.numerator) / s.denominator)
            with np.errstate(all="ignore"):
                theirs = NP_NORM(z)
            e_ours = ulp_error(normnative.norm(z), exact, rdt)
            e_np = ulp_error(theirs, exact, rdt)
            _record((np.dtype(dtype).name, "p=2"), e_ours, e_np, bound)
            assert e_ours <= bound, (dtype, scale, e_ours)


def test_correctly_rounded_float64_two_norm_on_pythagorean_cases():
    # exact answers: the fractions/isqrt reference must give the integer, and so must normnative
    for a, b, c in [(3, 4, 5), (5, 12, 13), (20, 21, 29), (119, 120, 169), (696, 697, 985)]:
        for k in (-1000, -500, 0, 500, 1000):
            x = np.array([math.ldexp(a, k), math.ldexp(b, k)])
            want = correctly_rounded_sqrt_fraction(Fraction(x[0]) ** 2 + Fraction(x[1]) ** 2)
            assert want == math.ldexp(c, k)
            assert normnative.norm(x) == want


def _graded(m, n, cond, grade):
    """D1 C D2 with kappa(C) = cond and diagonal scalings spanning 10**(+-grade)."""
    q1, _ = np.linalg.qr(RNG.standard_normal((m, m)))
    q2, _ = np.linalg.qr(RNG.standard_normal((n, n)))
    s = np.geomspace(1.0, 1.0 / cond, min(m, n))
    c = q1[:, : len(s)] @ np.diag(s) @ q2[: len(s), :]
    d1 = np.diag(np.geomspace(10.0 ** grade, 10.0 ** -grade, m))
    d2 = np.diag(np.geomspace(10.0 ** -grade, 10.0 ** grade, n))
    return d1 @ c @ d2


@pytest.mark.parametrize("m,n", [(2, 2), (3, 3), (5, 4), (4, 6), (8, 8)])
def test_singular_value_accuracy(m, n):
    for grade in (0, 3, 8):
        a = _graded(m, n, 1e3, grade)
        A = [[mpmath.mpf(float(a[i, j])) for j in range(n)] for i in range(m)]
        sv = singular_values(A, m, n)
        smax, smin, nuc = max(sv), min(sv), sum(sv)
        e2 = ulp_error(normnative.norm(a, 2), smax, np.float64)
        with mpmath.workdps(MP_DPS):
            rel_min = float(abs(mpmath.mpf(float(normnative.norm(a, -2))) - smin) / smin)
            rel_min_np = float(abs(mpmath.mpf(float(NP_NORM(a, -2))) - smin) / smin)
        enuc = ulp_error(normnative.norm(a, "nuc"), nuc, np.float64)
        _record(("float64", "matrix 2 (sigma_max)"), e2, ulp_error(NP_NORM(a, 2), smax, np.float64), 2.0)
        _record(("float64", "matrix nuc"), enuc, ulp_error(NP_NORM(a, "nuc"), nuc, np.float64), 4.0)
        row = ACCURACY_TABLE.setdefault(("float64", "matrix -2 (sigma_min, rel. err)"), [0.0, 0.0, 1e-12, 0])
        row[0], row[1], row[3] = max(row[0], rel_min), max(row[1], rel_min_np), row[3] + 1
        assert e2 <= 2.0 and enuc <= 4.0 and rel_min <= 1e-12, (grade, e2, enuc, rel_min)


def test_sigma_max_accuracy_beyond_32_columns():
    """Real sigma_max above 32 columns (the O(mn) bidiagonal refinement, SigmaMaxBidiagonal.cs)
    against the 256-bit reference, recorded in the same table row as the small matrices so its
    printed maximum covers them: random, uniform and clustered matrices where the unrefined route
    was 1.5, 1.75 and 4.1 ulp off, and a graded one, 36 to 48 columns."""
    from _sigma_ref import sigma_max, ulps
    from sigma_ulps_survey import make
    mats = [make(np.random.default_rng(11), "uniform", 40, 40, False),
            make(np.random.default_rng(17), "randn", 48, 40, False),
            make(np.random.default_rng(2), "cluster", 48, 48, False) * 1e-200,
            RNG.standard_normal((44, 36)) * np.geomspace(1.0, 1e-7, 36)]
    for a in mats:
        exact = sigma_max(a)
        ours = ulps(normnative.norm(a, 2), exact, np.float64)
        _record(("float64", "matrix 2 (sigma_max)"), ours, ulps(NP_NORM(a, 2), exact, np.float64), 2.0)
        assert ours <= 2.0, (a.shape, ours)
    # complex128 above 32 columns (same refinement on the complex bidiagonal route)
    a = make(np.random.default_rng(36), "cluster", 36, 34, True)
    exact = sigma_max(a)
    ours = ulps(normnative.norm(a, 2), exact, np.float64)
    _record(("complex128", "matrix 2 (sigma_max)"), ours, ulps(NP_NORM(a, 2), exact, np.float64), 1.0)
    assert ours <= 1.0, ours


@pytest.mark.parametrize("dtype,bound", [(np.complex128, 1.0), (np.complex64, 0.5)])
def test_complex_sigma_max_accuracy(dtype, bound):
    """Complex sigma_max (ord 2) against a 256-bit reference (tests/python/_sigma_ref.py): random,
    graded and rank-one matrices of the 2x2 / 3x3 / general shapes (test_sigma_ulps.py has more)."""
    from _sigma_ref import sigma_max, ulps
    rdt = np.float64 if dtype == np.complex128 else np.float32
    for (m, n) in [(2, 2), (3, 3), (4, 3), (3, 5), (8, 8)]:
        for trial in range(6):
            z = RNG.standard_normal((m, n)) + 1j * RNG.standard_normal((m, n))
            if trial % 3 == 1:
                z = z * np.geomspace(1.0, 1e-6, n)  # graded columns
            elif trial % 3 == 2:
                z = np.outer(z[:, 0], np.conj(z[0, :]))  # rank one
            a = z.astype(dtype)
            exact = sigma_max(a)
            ours = ulps(normnative.norm(a, 2), exact, rdt)
            theirs = ulps(NP_NORM(a, 2), exact, rdt)
            _record((np.dtype(dtype).name, "matrix 2 (sigma_max)"), ours, theirs, bound)
            assert ours <= bound, (m, n, trial, ours)


@pytest.mark.parametrize("dtype,bound", [(np.float64, 1.0), (np.complex128, 1.0), (np.float32, 0.5), (np.complex64, 0.5)])
def test_sigma_min_accuracy(dtype, bound):
    """sigma_min (ord -2) of random and column-scaled (kappa <= 1e4) matrices, tall, wide and scaled by
    1e+-200, against the 256-bit reference of test_sigma_min_certified.py: the certified bidiagonal
    route (Matrix/SigmaMinRefine.cs) within 1 ulp, float32/complex64 correctly rounded."""
    from test_sigma_min_certified import sigma_min_ref, ulps
    rng = np.random.default_rng(73)
    single = dtype in (np.float32, np.complex64)
    res = np.float32 if single else np.float64
    for shape, kappa, scale in [((6, 6), 1.0, 1.0), ((9, 7), 1e2, 1.0), ((7, 12), 1.0, 1e200),
                                ((16, 16), 1e4, 1.0), ((13, 10), 1.0, 1e-200), ((20, 20), 1e3, 1.0)]:
        a = rng.standard_normal(shape)
        if dtype in (np.complex128, np.complex64):
            a = a + 1j * rng.standard_normal(shape)
        a = (a * np.geomspace(1.0, 1.0 / kappa, shape[1])[None, :] * (1.0 if single else scale)).astype(dtype)
        exact = sigma_min_ref(a)
        ours, theirs = ulps(normnative.norm(a, -2), exact, res), ulps(NP_NORM(a, -2), exact, res)
        _record((np.dtype(dtype).name, "matrix -2 (sigma_min)"), ours, theirs, bound)
        assert ours <= bound, (shape, kappa, ours)


def test_float64_two_norm_of_vectors_with_zero_runs():
    """Blocks that start with zeros (identity matrices, sparse vectors: the first 16 elements of a block zero, nonzeros
    further on) guess their scale from a longer prefix since session 17: within 1 ulp of the exact value (fractions,
    then mpmath's square root) and the same bits at one and two threads."""
    from _reference import norm_at_threads

    rng = np.random.default_rng(1717)
    cases = [np.eye(200), np.eye(300, 257), np.diag(rng.standard_normal(250) * 10.0 ** rng.integers(-150, 150, 250))]
    for run in (20, 100, 255, 300, 5000):
        v = np.zeros(70000)
        idx = np.arange(run, v.size, run + 1)
        v[idx] = rng.standard_normal(idx.size) * 10.0 ** rng.integers(-100, 100, idx.size)
        cases.append(v)
    for a in cases:
        q = sum(Fraction(float(t)) ** 2 for t in a.ravel() if t != 0)
        with mpmath.workdps(MP_DPS):
            exact = mpmath.sqrt(mpmath.mpf(q.numerator) / q.denominator)
        one, two = norm_at_threads((1, 2), a, "fro" if a.ndim == 2 else None)
        assert float(one) == float(two)
        assert ulp_error(float(one), exact, np.float64) <= 1.0
