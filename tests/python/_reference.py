"""Exact references for tests: mpmath at 100 digits (sums, p-norms, singular values)."""
import math
import warnings
from fractions import Fraction

import mpmath
import numpy as np

MP_DPS = 100


def _mp(v):
    if isinstance(v, (complex, np.complexfloating)):
        return mpmath.mpc(_mp(v.real), _mp(v.imag))
    v = np.asarray(v)
    if v.dtype == np.longdouble:
        f = Fraction(*(v.as_integer_ratio()))  # exact
        return mpmath.mpf(f.numerator) / f.denominator
    return mpmath.mpf(float(v)) if v.dtype.kind == "f" else mpmath.mpf(int(v))


def vector_ref(values, p):
    """Exact p-norm of a sequence (numpy conventions for 0, +-inf, negative p, nan, inf)."""
    with mpmath.workdps(MP_DPS):
        a = [abs(_mp(v)) for v in values]
        if any(mpmath.isnan(x) for x in a):
            return math.nan
        if p == 0:
            return float(sum(1 for x in a if x != 0))
        if p == math.inf:
            return float(max(a)) if a else 0.0
        if p == -math.inf:
            return float(min(a)) if a else math.nan
        if math.isnan(p):
            return math.nan
        if any(mpmath.isinf(x) for x in a):
            if p > 0:
                return math.inf
            a = [x for x in a if not mpmath.isinf(x)]
        if p < 0 and any(x == 0 for x in a):
            return 0.0
        if not a:
            return math.inf if p < 0 else 0.0
        s = sum(x ** p for x in a)
        return s ** (mpmath.mpf(1) / p)


def matrix_ref(m, kind):
    """Exact matrix norm of a 2-D array: kind in 'fro', 'nuc', 1, -1, inf, -inf, 2, -2."""
    with mpmath.workdps(MP_DPS):
        rows, cols = m.shape
        A = [[_mp(m[i, j]) for j in range(cols)] for i in range(rows)]
        if kind == "fro":
            return mpmath.sqrt(sum(abs(x) ** 2 for r in A for x in r))
        if kind in (1, -1):
            sums = [sum(abs(A[i][j]) for i in range(rows)) for j in range(cols)]
            return max(sums) if kind == 1 else min(sums)
        if kind in (math.inf, -math.inf):
            sums = [sum(abs(x) for x in r) for r in A]
            return max(sums) if kind == math.inf else min(sums)
        sv = singular_values(A, rows, cols)
        if kind == "nuc":
            return sum(sv)
        return max(sv) if kind == 2 else min(sv)


def singular_values(A, rows, cols):
    with mpmath.workdps(MP_DPS):
        M = mpmath.matrix(A)
        if any(isinstance(x, mpmath.mpc) for r in A for x in r):
            s = mpmath.svd_c(M, compute_uv=False)
        else:
            s = mpmath.svd_r(M, compute_uv=False)
        return [abs(s[i]) for i in range(min(rows, cols))]


def ulp_error(got, exact, dtype):
    """|got - exact| in units of the last place of the result dtype at exact."""
    with mpmath.workdps(MP_DPS):
        e = mpmath.mpf(exact)
        g = _mp(got)
        if e == 0:
            return 0.0 if g == 0 else math.inf
        fi = np.finfo(dtype)
        if abs(e) >= mpmath.mpf(float(fi.max)) * (1 + mpmath.mpf(2) ** -(int(fi.nmant) + 2)):
            return 0.0 if mpmath.isinf(g) else math.inf  # the exact value rounds to inf
        ex = max(int(mpmath.floor(mpmath.log(abs(e), 2))), int(fi.minexp))
        ulp = mpmath.mpf(2) ** (ex - int(fi.nmant))
        return float(abs(g - e) / ulp)


def correctly_rounded_sqrt_fraction(q: Fraction, bits: int = 53) -> float:
    """sqrt(q) correctly rounded to a double (q > 0 a Fraction, normal range), via math.isqrt."""
    # scale so that the integer root has bits+2 significant bits, then round half-even on the rest
    num, den = q.numerator, q.denominator
    e = (num.bit_length() - den.bit_length()) // 2
    shift = 2 * (bits + 2 - e)
    if shift >= 0:
        n = (num << shift) // den
        exact = (num << shift) % den == 0
    else:
        n = num // (den << -shift)
        exact = num % (den << -shift) == 0
    r = math.isqrt(n)
    sticky = not (exact and r * r == n)
    # r has about bits+2..bits+3 bits; round to `bits` bits
    extra = r.bit_length() - bits
    mant, rem = r >> extra, r & ((1 << extra) - 1)
    half = 1 << (extra - 1)
    if rem > half or (rem == half and (sticky or mant & 1)) :
        mant += 1
    elif rem == half and not sticky and not (mant & 1):
        pass
    return math.ldexp(mant, extra - shift // 2)


def norm_at_threads(counts, *args, **kwargs):
    """normnative.norm(*args, **kwargs) with the thread limit set to each of `counts` in turn (RuntimeWarnings silenced);
    the limit is restored afterwards."""
    import normnative
    before = normnative.get_num_threads()
    try:
        out = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            for t in counts:
                normnative.set_num_threads(t)
                out.append(normnative.norm(*args, **kwargs))
        return out
    finally:
        normnative.set_num_threads(before)


def assert_float32_correctly_rounded(got, exact, *context):
    """got equals exact where that is 0, ±inf or NaN, else is within 0.5 float32 ulp of it (correctly rounded)."""
    if math.isnan(exact) or math.isinf(exact) or exact == 0:
        assert got == exact or (math.isnan(exact) and math.isnan(got)), context
    else:
        assert ulp_error(got, exact, np.float32) <= 0.5, (*context, got, exact)


def recorded(f):
    """f() and the warnings it raised (every one, "always"), for comparing ours with NumPy's."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = f()
    return value, caught


def assert_exact_views(views, p, *context):
    """For each (view, axis, expected) triple: normnative.norm(view, p, axis) reports no floating-point event (finite
    nonzero lines) and has exactly the bits, dtype and shape of ``expected``."""
    import normnative
    for view, axis, ref in views:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            got = normnative.norm(view, p, axis=axis)
        assert got.dtype == ref.dtype and got.shape == ref.shape, (*context, view.shape)
        assert got.tobytes() == ref.tobytes(), (*context, view.shape, view.strides, np.flatnonzero(got.ravel() != ref.ravel()))


def assert_float32_lines_match(view, p, axis):
    """normnative.norm(view, p, axis) against NumPy — its dtype (float32), shape and NaN positions; our warnings a
    subset of NumPy's (its float32 powers overflow spuriously) with a zero's divide-by-zero alike — and each output the
    bits of its line reduced alone (a contiguous copy). Returns the result and the lines, in the result's order."""
    import normnative
    got, w_ours = recorded(lambda: normnative.norm(view, p, axis=axis))
    want, w_np = recorded(lambda: np.linalg.norm(view, p, axis=axis))
    assert got.dtype == want.dtype == np.float32 and got.shape == want.shape, view.shape
    ours, theirs = {str(w.message) for w in w_ours}, {str(w.message) for w in w_np}
    assert ours <= theirs and any("divide" in m for m in ours) == any("divide" in m for m in theirs), (ours, theirs)
    assert np.array_equal(np.isnan(got), np.isnan(want)), view.shape
    lines = np.moveaxis(view, axis, -1).reshape(-1, view.shape[axis])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        alone = np.array([normnative.norm(np.ascontiguousarray(line), p) for line in lines], np.float32)
    flat = got.reshape(-1)
    assert flat.tobytes() == alone.tobytes(), (view.shape, view.strides, np.flatnonzero(flat != alone))
    return got, lines


def scaled_values(shape, kind, rng, complex_=False):
    """Random values of ``shape`` (complex when ``complex_``) at one of the scales the lane kernels must survive:
    "plain" N(0, 1), "wide" (each value times 10^k, k in [-300, 300)), "tiny" (1e-310: subnormal), "huge" (1e300)."""
    a = rng.standard_normal(shape)
    if complex_:
        a = a + 1j * rng.standard_normal(shape)
    if kind == "wide":
        a *= 10.0 ** rng.integers(-300, 300, size=shape)
    elif kind == "tiny":
        a *= 1e-310
    elif kind == "huge":
        a *= 1e300
    return a
