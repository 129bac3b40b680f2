"""Vectors of 16384 … 300001 elements whose blocks are spread over the workers (complex p = 0.5, 2.5, 3, 4 and
general p): the result must be the same bits for 1, 2 and 3 threads, for reversed views and with blocks the one-pass
kernel refuses (subnormal parts) or that hold zeros, and must match NumPy to rounding."""
import numpy as np
import pytest

import normnative

SIZES = (16384, 16385, 50000, 262143, 300001)


def _data(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(2 * n) * np.exp2(rng.integers(-40, 40, 2 * n))
    z = x.view(np.complex128).copy()
    z[::13] = 0
    z[5] = 1e-310 + 1e-320j  # a block the one-pass kernel refuses
    return z


@pytest.fixture(autouse=True)
def _restore_threads():
    old = normnative.get_num_threads()
    yield
    normnative.set_num_threads(old)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("p", [0.5, 2.5, 3, 4, 1.7, -0.3])
def test_bits_do_not_depend_on_threads(n, p):
    z = _data(n, n)
    views = [z, z[::-1], z.real.copy(), z.real[::-2]]
    for v in views:
        if p < 0:
            v = v + 1  # no zeros for a negative order (the norm would be 0)
        got = []
        for threads in (1, 2, 3):
            normnative.set_num_threads(threads)
            got.append(normnative.norm(v, p).tobytes())
        assert got[0] == got[1] == got[2], (n, p, v.dtype)
        with np.errstate(all="ignore"):
            want = np.linalg.norm(v, p)
        assert abs(np.frombuffer(got[0])[0] - want) <= 1e-12 * want


@pytest.mark.parametrize("shape", [(300, 300), (64, 700), (1000, 40), (7, 5000), (130, 130)])
@pytest.mark.parametrize("p", [0.5, -1, 1.7, -3.3, 2.5, 7.5])
def test_many_costly_outputs_spread_over_threads_keep_their_bits(shape, p):
    # real p-norm and general-p outputs go to the workers from 32768 / 16384 elements in all: each output is the
    # same computation on whichever thread, so 1, 2 and 3 threads give the same bits, and those of each line alone
    rng = np.random.default_rng(sum(shape))
    x = rng.standard_normal(shape) * np.exp2(rng.integers(-300, 300, shape))
    for axis in (0, 1):
        got = []
        for threads in (1, 2, 3):
            normnative.set_num_threads(threads)
            got.append(normnative.norm(x, p, axis=axis).tobytes())
        assert got[0] == got[1] == got[2], (shape, p, axis)
        lines = np.moveaxis(x, axis, -1)
        alone = np.array([normnative.norm(lines[k].copy(), p) for k in range(lines.shape[0])])
        assert alone.tobytes() == got[0], (shape, p, axis)
