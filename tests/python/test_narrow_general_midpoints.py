"""A lone float32-result line with a general order (here complex64 input) whose norm lies a hair above a float32
rounding midpoint must still round up: the 1-D fallback path used plain-double ``pow`` terms (≤ 1 ulp each), which
cannot see a tail of 2⁻⁵⁶ … 2⁻⁸⁰ relative, and rounded such lines to even (576 of these 1244 lines at p = 1.7)."""
import mpmath as mp
import numpy as np
import pytest

import normnative as nn
from _midpoints import pythagorean_midpoints


def _correctly_rounded(x, p):
    mp.mp.prec = 300
    s = mp.fsum(mp.power(mp.sqrt(mp.mpf(float(v.real)) ** 2 + mp.mpf(float(v.imag)) ** 2), p) for v in x if v != 0)
    exact = mp.power(s, 1 / mp.mpf(p))
    f = np.float32(float(exact))
    cands = [np.nextafter(f, np.float32(-np.inf)), f, np.nextafter(f, np.float32(np.inf))]
    return min(cands, key=lambda c: abs(mp.mpf(float(c)) - exact))


@pytest.mark.parametrize("p", [1.7, 2.5, 7.5, -2.5, 1.2])
def test_lone_complex64_line_just_above_a_float32_midpoint(p):
    tails = 0
    for z in pythagorean_midpoints(12):
        for sh in (56, 64, 80):
            w = abs(z) * 2.0 ** (-sh / p)  # |w|^p = 2^-sh · |z|^p: the norm is |z|·(1 + 2^-sh)^(1/p)
            x = np.array([z, complex(w, 0), 0, 0] if p > 0 else [z, complex(w, 0)], np.complex64)
            got = nn.norm(x, p)
            assert got.dtype == np.float32
            assert got == _correctly_rounded(x, p), (z, sh, p)
            if x[1] != 0:  # w representable in complex64: the tail decides the side of the midpoint
                assert (got > abs(complex(x[0]))) == (p > 0)
                tails += 1
    assert tails >= 12
