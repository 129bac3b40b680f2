"""Matrix norms ord ±1 / ±inf over tied lines (LineSumNorms.TiedBest: zeros, eye, diagonal, ones, permuted ties —
every line a screen candidate; lines of zeros or of one nonzero element and lines equal to the previous one skip their
exact sum). Results equal an exact reference (line sums of exact magnitudes at high precision, rounded once to the
result dtype) and NumPy where NumPy is right: near-ties one ulp apart in one element, nan/inf, all dtypes, stacks,
F order, transposed and strided views."""
import mpmath
import numpy as np
import pytest

import normnative

ORDS = [1, -1, np.inf, -np.inf]
DTYPES = ["float64", "float32", "complex128", "complex64"]


def _exact(m, ordv):
    """max/min over lines of the abs-sums, rounded once to the result dtype. complex128 sums the magnitudes correctly
    rounded to float64 (the documented contract: |z| rounded once, then an exact sum); complex64 and reals the exact
    magnitudes (float64 magnitudes of complex64 are far inside the float32 result's rounding)."""
    m = np.asarray(m)
    lines = m.T if ordv in (1, -1) else m  # columns for ±1

    def mag(z):
        if not np.iscomplexobj(m):
            return abs(mpmath.mpf(float(z)))
        r = mpmath.sqrt(mpmath.mpf(float(z.real)) ** 2 + mpmath.mpf(float(z.imag)) ** 2)
        if m.dtype == np.complex128:
            with mpmath.workprec(53):
                r = +r  # correctly rounded to 53 bits (no value here is near the float64 range ends)
        return r

    # local precisions only: setting mpmath.mp.prec here (24 bits last, for float32 results) leaked into later
    # modules' comparisons made outside their own workprec (test_sigma_min_certified's graded test, run after this one)
    with mpmath.workprec(200):
        sums = [mpmath.fsum(mag(z) for z in line) for line in lines]
        best = max(sums) if ordv > 0 else min(sums)
    out = np.float32 if m.dtype in (np.float32, np.complex64) else np.float64
    if out is np.float32:  # round once to 24 bits
        with mpmath.workprec(24):
            return np.float32(float(+best))
    return float(best)


def _kinds(n, rng):
    d = np.diag(rng.integers(1, 4, n).astype(float))
    perm = np.eye(n)[rng.permutation(n)] * 2.5
    near = np.ones((n, n))
    near[n // 2, n // 3] = np.nextafter(1.0, 2.0)  # one line one ulp above the tie
    below = np.ones((n, n))
    below[n // 3, n // 2] = np.nextafter(1.0, 0.0)
    sparse = np.zeros((n, n))
    sparse[n - 1, 0] = 3.0  # one nonzero line (and column) among zeros
    return {"zeros": np.zeros((n, n)), "eye": np.eye(n), "diag": d, "perm": perm, "ones": np.ones((n, n)),
            "near": near, "below": below, "sparse": sparse, "neg0": -np.eye(n) * 0.0 + np.diag(np.full(n, -1.5))}


def _cast(a, dt):
    if dt.startswith("complex"):
        a = a + 1j * a[::-1]
    return a.astype(dt)


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("n", [20, 64])
def test_tied_kinds_match_exact_and_numpy(dt, n):
    rng = np.random.default_rng(n)
    for kind, a0 in _kinds(n, rng).items():
        a = _cast(a0, dt)
        for v in (a, np.asfortranarray(a), a.T, a[::2, ::3]):
            for ordv in ORDS:
                got = normnative.norm(v, ordv)
                want = _exact(v, ordv)
                assert got == want, (dt, kind, ordv, got, want)
                assert got.dtype == np.linalg.norm(v, ordv).dtype
                if dt.startswith("float"):  # real sums of these few distinct values are exact in NumPy too
                    assert got == np.linalg.norm(v, ordv), (dt, kind, ordv)


@pytest.mark.parametrize("dt", DTYPES)
def test_ties_with_nan_and_inf(dt):
    n = 40
    for bad in (np.nan, np.inf):
        for kind, a0 in (("eye", np.eye(n)), ("zeros", np.zeros((n, n))), ("ones", np.ones((n, n)))):
            a0 = a0.copy()
            a0[3, 5] = bad
            with np.errstate(invalid="ignore"):
                a = _cast(a0, dt)
            for v in (a, np.asfortranarray(a)):
                for ordv in ORDS:
                    got = normnative.norm(v, ordv)
                    with np.errstate(invalid="ignore"):
                        want = np.linalg.norm(v, ordv)
                    if np.isfinite(want):  # a −1/−∞ minimum over the other lines: NumPy's float32 sums are not exact
                        want = _exact(v, ordv)
                    assert np.array_equal(got, want, equal_nan=True), (dt, kind, bad, ordv, got, want)


@pytest.mark.parametrize("dt", DTYPES)
def test_tied_stacks_equal_per_matrix_calls(dt):
    rng = np.random.default_rng(7)
    n = 24
    mats = [_cast(a, dt) for a in _kinds(n, rng).values()]
    s = np.stack(mats)  # (k, n, n)
    for v in (s, np.asfortranarray(s), s.transpose(0, 2, 1)):
        for ordv in ORDS:
            got = normnative.norm(v, ordv, axis=(1, 2))
            want = np.array([normnative.norm(m, ordv) for m in v])
            assert np.array_equal(got, want), (dt, ordv)
            assert all(g == _exact(m, ordv) for g, m in zip(got, v)), (dt, ordv)


def test_tiny_complex_lines_are_not_taken_for_zeros():
    # |z| ~ 1e-170: the screen's squares underflow to 0, so the lines must be scanned, not read off the screen
    n = 30
    for dt, tiny in (("complex128", 1e-170), ("complex64", 1e-40)):
        a = np.zeros((n, n), dt)
        a[4, 7] = tiny + 1j * tiny
        a[9, 7] = tiny
        for v in (a, np.asfortranarray(a)):
            for ordv in ORDS:
                assert normnative.norm(v, ordv) == _exact(v, ordv), (dt, ordv)


@pytest.mark.parametrize("dt", ["complex64", "complex128"])
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("n", [37, 58])  # 1 + 16·k + 4·j + tail lines: the sixteen-line, four-line and single-line walks
def test_crossed_complex_ties(dt, order, n):
    """Crossed layout (C-order ±1, F-order ±inf: lines side by side in each row) over tied complex lines (the sweep's
    a + 1j·aᵀ kinds, lines equal to the previous one, one nonzero per line, zeros, near-ties one ulp apart, nan/inf)
    and all-zero matrices of any layout: LineSumNorms.TiedCrossed / AllZero equal the exact reference and NumPy."""
    rng = np.random.default_rng(16)
    for name, a in _kinds(n, rng).items():
        z = (a + 1j * a.T).astype(dt)
        m = np.ascontiguousarray(z) if order == "C" else np.asfortranarray(z)
        for o in ORDS:
            got = normnative.norm(m, o)
            assert got == _exact(m, o), (name, o)
            assert got.dtype == np.linalg.norm(m, o).dtype
    z = np.zeros((n, n), dt)
    z[3, 5] = np.nan
    m = np.ascontiguousarray(z) if order == "C" else np.asfortranarray(z)
    for o in ORDS:
        assert np.isnan(normnative.norm(m, o)) and np.isnan(np.linalg.norm(m, o))
    z = np.ones((n, n), dt) * (1 + 1j)
    z[:, 7] = np.inf
    m = np.ascontiguousarray(z) if order == "C" else np.asfortranarray(z)
    for o in ORDS:  # (NumPy's own float32 sums of |1+1j| are not correctly rounded: the exact reference decides)
        assert normnative.norm(m, o) == _exact(m, o)
    s = np.zeros((3, n, n), dt)
    s[1] = np.eye(n) * (2 - 1j)
    s = s if order == "C" else np.asfortranarray(s)
    for o in ORDS:
        got = normnative.norm(s, o, axis=(1, 2))
        assert [float(g) for g in got] == [float(_exact(s[i], o)) for i in range(3)]
        assert np.array_equal(normnative.norm(s.transpose(0, 2, 1), o, axis=(1, 2)), np.linalg.norm(s.transpose(0, 2, 1), o, axis=(1, 2)))


@pytest.mark.parametrize("order", ["C", "F"])
def test_float32_tied_lines_plain_sums_only_when_exact(order):
    """Tied float32 lines (every column the same) are summed in plain double arithmetic when the exponent range makes
    every addition exact (LineSumNorms.PlainFloatsExact), else by the double-double pass: a column 1, 2⁻²⁴ lies on a
    float32 midpoint (rounds to even: 1.0); with 2⁻⁶⁰ added it lies above it (1 + 2⁻²³), which a plain double sum
    loses (the range is then too wide for the plain pass). The result must be the exact reference either way (the
    midpoint decision of LineSumNorms.Ties recomputes near-midpoint sums exactly, so this checks the whole route, not
    the plain pass's range test alone)."""
    n = 40
    for tail in ([], [2.0 ** -60], [2.0 ** -20]):
        col = np.zeros(n)
        col[0], col[1] = 1.0, 2.0 ** -24
        col[2:2 + len(tail)] = tail
        a = np.repeat(col[:, None], n, axis=1).astype(np.float32)
        m = np.ascontiguousarray(a) if order == "C" else np.asfortranarray(a)
        for v, o in ((m, 1), (m, -1), (m.T, np.inf), (m.T, -np.inf)):
            got = normnative.norm(v, o)
            assert got == _exact(v, o), (tail, o, got)
    want = {(): np.float32(1.0), (2.0 ** -60,): np.float32(1 + 2.0 ** -23)}
    for tail, w in want.items():
        col = np.zeros(n)
        col[0], col[1] = 1.0, 2.0 ** -24
        col[2:2 + len(tail)] = tail
        a = np.repeat(col[:, None], n, axis=1).astype(np.float32)
        assert normnative.norm(a if order == "C" else np.asfortranarray(a), 1) == w
