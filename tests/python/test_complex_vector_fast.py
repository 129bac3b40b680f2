"""Complex vectors with the named ords through the public call: complex64 results are the correctly rounded float32 of
the exact norm, complex128 ord=inf the correctly rounded maximum, against mpmath references at 200 bits (the float32
rounding of the reference is done exactly from its binary value, subnormal results included) — random data at several
scales, subnormal float32 parts, |re| >> |im|, equal magnitudes, every lane/tail length near 16, reversed and
strided views; plus NumPy's special-value results and warnings."""
import warnings

import mpmath
import numpy as np
import pytest

import normnative

ORDS = [1, 0.5, 1.5, 2.5, -2.5, 3, 4, -1, -2, np.inf, -np.inf]
RNG = np.random.default_rng(20261127)


def _mag(z):
    return mpmath.sqrt(mpmath.mpf(float(z.real)) ** 2 + mpmath.mpf(float(z.imag)) ** 2)


def _exact(x, o):
    with mpmath.workprec(200):
        a = [_mag(z) for z in x]
        if o == np.inf:
            return max(a)
        if o == -np.inf:
            return min(a)
        return mpmath.fsum(v ** o for v in a) ** (1 / mpmath.mpf(o))


def _round32(r):
    """Correctly rounded float32 of the mpf r > 0 (ties to even), subnormals included."""
    with mpmath.workprec(200):
        m, e = mpmath.frexp(r)  # r = m·2^e, m in [0.5, 1)
        e = max(int(e), -125)   # below the normal range the quantum stays 2^-149
        q = mpmath.ldexp(r, 24 - e)
        f = mpmath.floor(q)
        d = q - f
        if d > 0.5 or (d == 0.5 and int(f) % 2 == 1):
            f += 1
        return np.float32(float(mpmath.ldexp(f, e - 24)))


def _cases():
    out = []
    for n in [1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 100, 1000]:
        for kind in range(5):
            z = RNG.standard_normal(n) + 1j * RNG.standard_normal(n)
            if kind == 1:
                z = z * 2.0 ** RNG.integers(-140, 120)
            elif kind == 2:  # subnormal float32 parts
                z = (RNG.integers(1, 50, n) + 1j * RNG.integers(0, 50, n)) * 2.0 ** -149
            elif kind == 3:  # |re| >> |im|
                z = z.real * 1e30 + 1j * z.imag * 1e-30
            elif kind == 4:  # equal magnitudes (ties of ±inf) and exact |z|
                z = np.where(RNG.integers(0, 2, n) == 0, 3 + 4j, 5 + 0j) * 2.0 ** RNG.integers(-60, 60)
            out.append((n, kind, z.astype(np.complex64)))
    return out


@pytest.mark.parametrize("n,kind,x", _cases(), ids=lambda v: str(v) if not isinstance(v, np.ndarray) else "x")
def test_complex64_named_ords_are_correctly_rounded(n, kind, x):
    for o in ORDS:
        want = _round32(_exact(x, o))
        for view in (x, x[::-1]):
            got = normnative.norm(view, o)
            assert got.dtype == np.float32
            assert got == want, (n, kind, o, got, want)
    y = np.repeat(x, 2)[::2]  # the same values through a strided view (the exact paths)
    for o in ORDS:
        assert normnative.norm(y, o) == normnative.norm(x, o)


def test_complex128_inf_is_the_exact_maximum():
    for n in [8, 9, 100, 2049, 5000]:
        for scale in [1.0, 1e-300, 1e300, 1e-160]:
            x = (RNG.standard_normal(n) + 1j * RNG.standard_normal(n)) * scale
            with mpmath.workprec(200):
                want = float(max(_mag(z) for z in x))  # mpf -> double rounds to nearest
            assert normnative.norm(x, np.inf) == want
            assert normnative.norm(x[::-1], np.inf) == want


@pytest.mark.parametrize("o", ORDS)
def test_special_values_match_numpy(o):
    for n in [3, 20, 100]:
        for special in [0, np.nan, np.inf, complex(np.inf, np.nan), complex(0, -np.inf)]:
            for dt in (np.complex64, np.complex128):
                x = (RNG.standard_normal(n) + 1j * RNG.standard_normal(n)).astype(dt)
                x[n // 2] = special
                with warnings.catch_warnings(record=True) as w_np:
                    warnings.simplefilter("always")
                    want = np.linalg.norm(x, o)
                with warnings.catch_warnings(record=True) as w_nn:
                    warnings.simplefilter("always")
                    got = normnative.norm(x, o)
                assert got.dtype == want.dtype
                if np.isfinite(want) and want != 0:  # an ordinary result: NumPy's own rounding differs from ours
                    assert got == pytest.approx(want, rel=1e-5 if dt == np.complex64 else 1e-13), (n, special, dt, o)
                else:
                    assert (np.isnan(got) and np.isnan(want)) or got == want, (n, special, dt, o, got, want)
                assert [type(w.message) for w in w_nn] == [type(w.message) for w in w_np], (n, special, dt, o)
