"""The speed paths of the 2-norm through the whole ctypes call: the float32/complex64 double-sum fast path
(accepted only when provably correctly rounded), and the AVX-512 stride-2/3 float64 gathers. Results must be
the correctly rounded norm, bit for bit, for every thread count, offset and length."""
from fractions import Fraction

import numpy as np
import pytest

import normnative
from _reference import correctly_rounded_sqrt_fraction

RNG = np.random.default_rng(2026)


def _exact(values, bits):
    s = sum((Fraction(float(v)) ** 2 for v in values), Fraction(0))
    return 0.0 if s == 0 else correctly_rounded_sqrt_fraction(s, bits)


@pytest.mark.parametrize("n", [1, 5, 63, 64, 65, 1000, 4097, 70_000, 270_001])
def test_float32_correctly_rounded(n, threads):
    scale = 2.0 ** int(RNG.integers(-60, 60))
    buf = (RNG.standard_normal(n + 1) * scale).astype(np.float32)
    x = buf[1:]  # 4-byte offset from the allocation
    got = normnative.norm(x)
    assert got.dtype == np.float32
    assert float(got) == _exact(x, 24)
    c = x[: n - n % 2].view(np.complex64)
    if c.size:
        assert float(normnative.norm(c)) == _exact(x[: n - n % 2], 24)


def test_float32_exact_ties_round_to_even():
    tie = np.array([1, 2.0 ** -12, 2.0 ** -12, 2.0 ** -24], dtype=np.float32)  # norm = 1 + 2^-24 exactly
    assert normnative.norm(tie) == np.float32(1)
    above = np.append(tie, np.float32(2.0 ** -60))
    assert normnative.norm(above) == np.nextafter(np.float32(1), np.float32(2))


@pytest.mark.parametrize("step", [2, 3, -2, -3])
@pytest.mark.parametrize("n", [9, 17, 4096 * 3 + 5, 300_000])
def test_float64_strided_correctly_rounded(step, n, threads):
    parent = RNG.standard_normal(n * abs(step) + 3) * 2.0 ** int(RNG.integers(-500, 500))
    x = parent[1::step] if step > 0 else parent[-2::step]
    x = x[:n]
    assert normnative.norm(x) == _exact(x, 53)


@pytest.mark.parametrize("n", [7, 64, 1000, 5000, 70_000])
def test_float16_correctly_rounded(n):
    buf = (RNG.standard_normal(n + 1) * 2.0 ** int(RNG.integers(-4, 4))).astype(np.float16)  # normal-range results
    x = buf[1:]
    got = normnative.norm(x)
    assert got.dtype == np.float16
    s = sum((Fraction(float(v)) ** 2 for v in x), Fraction(0))
    want = 0.0 if s == 0 else float(np.float16(correctly_rounded_sqrt_fraction(s, 11)))
    assert float(got) == want
    tie = np.array([1] + [2.0 ** -6] * 4 + [2.0 ** -11], dtype=np.float16)  # norm = 1 + 2^-11 exactly
    assert normnative.norm(tie) == np.float16(1)
