"""complex128 ord 2.5 over lines of 1 … 24 values (ComplexLaneSums.Term25: double-double s·s^(1/4), ≲ 2⁻¹⁰¹ per term):
every line alone is the double nearest its exact norm (mpmath, never the library), over ordinary values, 1e±300,
subnormals, mixed huge/tiny lines and zeros; the same lines as rows of a matrix (lanes, 1/2/3 threads, reversed)
have those bits. The plain-double terms this replaced missed by one ulp (e.g. n = 15)."""
import numpy as np
import pytest

import normnative
from _reference import vector_ref
from test_pnorm_fast import nearest_double

P = 2.5
LIMIT = 24  # ComplexLaneSums.MaxLength25


def _line(rng, n, kind):
    z = rng.standard_normal(n) + 1j * rng.standard_normal(n)
    if kind == "huge":
        z *= 1e300
    elif kind == "tiny":
        z *= 1e-300
    elif kind == "subnormal":
        z *= 1e-310
    elif kind == "mixed":  # components spread over the whole range in one line
        e = rng.integers(-1074, 1000, size=(n, 2))
        z = z.real * np.ldexp(1.0, e[:, 0]) + 1j * z.imag * np.ldexp(1.0, e[:, 1])
    elif kind == "zeros":  # whole values and single components zero
        z[rng.random(n) < 0.3] = 0
        z.imag[rng.random(n) < 0.3] = 0
    elif kind == "near":  # one dominant value, the rest just below it: the sum's low part matters
        z = (1 + 1e-9 * rng.standard_normal(n)) + 1j * (1e-9 * rng.standard_normal(n))
    return z


KINDS = ("plain", "huge", "tiny", "subnormal", "mixed", "zeros", "near")


@pytest.mark.parametrize("kind", KINDS)
def test_lines_are_correctly_rounded(kind):
    rng = np.random.default_rng(2500 + KINDS.index(kind))
    for n in range(1, LIMIT + 1):
        for _ in range(10):
            z = _line(rng, n, kind)
            want = nearest_double(vector_ref(z, P))
            got = normnative.norm(z, P)
            assert got == want, f"{kind} n={n}: got {got!r}, want {want!r} ({z!r})"
            assert normnative.norm(z[::-1], P) == want
            assert normnative.norm(np.repeat(z, 2)[::2], P) == want  # strided


@pytest.mark.parametrize("n", (1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 23, 24))
def test_rows_have_the_bits_of_the_line_alone(n):
    rng = np.random.default_rng(900 + n)
    rows = 2100  # over the lanes' parallel threshold (2¹⁴ elements) for n ≥ 8
    m = np.empty((rows, n), complex)
    for i in range(rows):
        m[i] = _line(rng, n, KINDS[i % len(KINDS)])
    alone = np.array([normnative.norm(r, P) for r in m])
    for i in range(0, rows, 97):  # a sample against the exact reference as well
        assert alone[i] == nearest_double(vector_ref(m[i], P)), f"n={n} row {i}"
    old = normnative.get_num_threads()
    try:
        for t in (1, 2, 3):
            normnative.set_num_threads(t)
            assert np.array_equal(normnative.norm(m, P, axis=1), alone), f"n={n} threads={t}"
            assert np.array_equal(normnative.norm(m[::-1, ::-1], P, axis=1), alone[::-1]), f"n={n} threads={t} reversed"
            assert np.array_equal(normnative.norm(np.asfortranarray(m), P, axis=1), alone), f"n={n} threads={t} F order"
    finally:
        normnative.set_num_threads(old)
