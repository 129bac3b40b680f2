"""Inputs whose norm lies on, or a hair beside, a rounding midpoint of the result dtype, with exact references.

``pythagorean_midpoints``: complex values a + bi (a, b < 2²⁴) whose modulus c is an odd 25-bit integer — exactly a
float32 rounding midpoint — scaled by 2⁻²⁴ so |z| ∈ (1, 2).

``real_lines_near_midpoint``: real float32 / float16 lines whose exact order-p norm lies within a chosen relative
distance of a rounding midpoint m of that dtype. Real lines cannot hit a general-p midpoint exactly, so they are built
greedily: a few random "filler" elements take at most half of the power sum m^p, then each next element is the value of
the dtype closest to (m^p − S)^(1/p) on the side that keeps the residual m^p − S of one sign; every element cuts the
residual by about 2^-(mantissa bits), so k such elements leave the norm ≈ 2^-(bits·(k−1)) away from m (the last may be
rounded the other way, to land above m for p > 0 / below for p < 0). Sums and distances are mpmath at 700 bits;
``correctly_rounded`` is the reference and never the library under test.
"""
import collections
import math

import mpmath as mp
import numpy as np

PREC = 700  # bits (≈ 210 digits) for sums, roots and distances


def pythagorean_midpoints(count, step=41, scaled=True):
    """Up to ``count`` complex values a + bi with a, b < 2²⁴ and an odd 25-bit c = √(a² + b²) (Euclid's m² − k², 2mk,
    m² + k² for m = 4096 … 4109 and every ``step``-th k), divided by 2²⁴ (|z| ∈ (1, 2)) when ``scaled``."""
    out = []
    for m in range(4096, 4110):
        for k in range(1, 2048, step):
            a, b, c = m * m - k * k, 2 * m * k, m * m + k * k
            if m > k and c % 2 == 1 and 2 ** 24 < c < 2 ** 25 and a < 2 ** 24 and b < 2 ** 24:
                out.append(complex(a, b) / 2 ** 24 if scaled else complex(a, b))
    return out[:count]


def _bits(dtype):
    return np.finfo(dtype).nmant + 1  # significand bits: 24 (float32), 11 (float16)


def _mpf(v):
    return mp.mpf(float(v))


def power_sum(values, p):
    """Σ|x|^p of the nonzero finite values, exactly enough (PREC bits); each distinct magnitude powered once."""
    counts = collections.Counter(abs(float(v)) for v in values if v != 0)
    with mp.workprec(PREC):
        return mp.fsum(k * mp.power(mp.mpf(a), p) for a, k in counts.items())


def exact_norm(values, p):
    with mp.workprec(PREC):
        return mp.power(power_sum(values, p), 1 / mp.mpf(p))


def correctly_rounded(values, p, dtype):
    """The exact order-p norm of finite nonzero ``values`` rounded to nearest in ``dtype`` (no ties: asserted)."""
    with mp.workprec(PREC):
        exact = exact_norm(values, p)
        f = np.asarray(float(exact)).astype(dtype)
        cands = [np.nextafter(f, dtype(-np.inf)), f, np.nextafter(f, dtype(np.inf))]
        dist = sorted((abs(_mpf(c) - exact), i) for i, c in enumerate(cands))
        assert dist[0][0] != dist[1][0], "exact tie"
        return cands[dist[0][1]]


def complex_rounded(values, p, prec=PREC):
    """The exact order-p norm of complex ``values`` (moduli from exact re² + im²) rounded to float32 (no ties:
    asserted)."""
    with mp.workprec(prec):
        s = mp.fsum(mp.power(mp.mpf(float(v.real)) ** 2 + mp.mpf(float(v.imag)) ** 2, mp.mpf(p) / 2) for v in values if v != 0)
        exact = mp.power(s, 1 / mp.mpf(p))
        f = np.float32(float(exact))
        cands = [np.nextafter(f, np.float32(-np.inf)), f, np.nextafter(f, np.float32(np.inf))]
        dist = sorted((abs(mp.mpf(float(c)) - exact), i) for i, c in enumerate(cands))
        assert dist[0][0] != dist[1][0], "exact tie"
        return cands[dist[0][1]]


def _to(v, dtype):
    """An mpf rounded (twice, harmlessly: only a starting point) to the dtype; beyond its range: inf."""
    with np.errstate(over="ignore"):
        return np.asarray(float(v)).astype(dtype)


def _directed(target, p, dtype, residual, keep_sign):
    """The dtype value x closest to ``target`` = residual^(1/p) with x^p ≤ residual (keep_sign) or x^p > residual."""
    x = _to(target, dtype)
    if not np.isfinite(x) or x == 0:
        return None
    up, down = dtype(np.inf), dtype(0)
    term = lambda v: mp.power(_mpf(v), p)
    # x^p grows with x for p > 0, shrinks for p < 0
    bigger_term = up if p > 0 else down
    smaller_term = down if p > 0 else up
    while term(x) > residual:
        x = np.nextafter(x, smaller_term)
        if x == 0 or not np.isfinite(x):
            return None
    while True:
        y = np.nextafter(x, bigger_term)
        if y == 0 or not np.isfinite(y) or term(y) > residual:
            break
        x = y
    if not keep_sign:
        x = np.nextafter(x, bigger_term)
        if x == 0 or not np.isfinite(x):
            return None
    return x


def real_lines_near_midpoint(dtype, p, n, greedy, rng, above, exponent):
    """One line of ``n`` dtype values whose order-p norm is within ≈ 2^-(bits·(greedy−1)) relative of the midpoint
    m = c·2^(exponent − bits) (c odd, bits + 1 significant bits: between two adjacent dtype values in [2^exponent,
    2^(exponent+1))), on the far side of m (above for p > 0, below for p < 0) when ``above``; returns (line, m) or None
    when an element would leave the dtype's range."""
    bits = _bits(dtype)
    assert n > greedy >= 1
    with mp.workprec(PREC):
        c = 2 ** bits + 2 * int(rng.integers(0, 2 ** (bits - 1))) + 1
        m = mp.ldexp(c, exponent - bits)
        target = mp.power(m, p)
        pool = []  # at most 8 distinct fillers, so long lines stay cheap to reference
        for _ in range(min(n - greedy, 8)):
            # each filler's term ≤ m^p / (2(n − greedy)): fillers take at most half of the sum
            share = 2 * (n - greedy) * (1 + 3 * rng.random())
            v = _to(m * mp.power(share, -1 / mp.mpf(p)), dtype)
            if v == 0 or not np.isfinite(v):
                return None
            pool.append(v)
        fillers = [pool[i % len(pool)] for i in range(n - greedy)]
        residual = target - power_sum(fillers, p)
        assert residual > 0
        line = list(fillers)
        for j in range(greedy):
            last = j == greedy - 1
            x = _directed(mp.power(residual, 1 / mp.mpf(p)), p, dtype, residual, keep_sign=not (last and above))
            if x is None:
                return None
            line.append(x)
            residual -= mp.power(_mpf(x), p)
        signs = rng.choice([-1, 1], n)
        out = np.array(line, dtype) * signs.astype(dtype)
        return out[rng.permutation(n)], m


def relative_distance(line, p, m):
    """(‖line‖_p − m) / m, exactly (PREC bits), as an mpf."""
    with mp.workprec(PREC):
        return exact_norm(line, p) / m - 1


def log2_abs(x):
    return float(mp.log(abs(x), 2)) if x != 0 else -math.inf
