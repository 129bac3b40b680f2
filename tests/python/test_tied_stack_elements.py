"""Matrix ±1 / ±∞ over stacks whose lines tie (the screen's tied-lines walk, session 30 fix): a line with one nonzero
element takes that element's magnitude without an exact sum, and lines without a nonzero element are 0. Both read the
element by its dtype: 64-bit integers were read as complex64 words (a one-element int64 line stored its low bits as a
float: 7e-45 for 5) and tested for zero by their low 4-byte word with a float sign mask (2⁴⁰ or −2⁶³ counted as 0).
Every dtype, lines of one element and longer, values with a zero low word, ±2⁶³, near 2⁵³, against NumPy's results
(exact here: NumPy converts integers to float64 first, and these sums are exact)."""
import warnings

import numpy as np
import pytest

DTYPES = (np.int64, np.uint64, np.int32, np.uint32, np.int16, np.int8, np.uint8, np.float16, np.bool_, np.float32,
          np.float64, np.complex64, np.complex128)
# (shape, axes): stacks of one-row / one-column matrices (one-element lines) and small tied ones
LAYOUTS = (((5, 1, 2), (1, 0)), ((5, 1, 9), (1, 0)), ((5, 1, 2), (0, 1)), ((2, 5, 1), (2, 1)), ((7, 1, 30), (1, 0)),
           ((5, 2, 2), (1, 0)), ((6, 3, 20), (1, 0)), ((6, 3, 20), (0, 1)))
VALUES = (5, 2 ** 40, 2 ** 53 + 1, 2 ** 63 - 1, -2 ** 63, 2 ** 63, 2 ** 32)


def _filled(shape, val, dt):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with np.errstate(all="ignore"):
                x = np.full(shape, val, dtype=dt)
        except (OverflowError, ValueError):
            return None
    x.ravel()[0] = 3  # one matrix not all tied
    return x


@pytest.mark.parametrize("dt", DTYPES)
def test_tied_stacks_as_numpy(dt):
    import normnative
    for shape, axes in LAYOUTS:
        for val in VALUES:
            x = _filled(shape, val, dt)
            if x is None:
                continue
            for ord in (1, -1, np.inf, -np.inf):
                got = normnative.norm(x, ord, axes)
                want = np.linalg.norm(x, ord, axes)
                assert got.dtype == want.dtype
                assert np.array_equal(got, want, equal_nan=True), (dt, shape, axes, val, ord, got, want)


@pytest.mark.parametrize("dt", (np.int64, np.uint64))
def test_one_element_lines_in_strided_and_zero_stride_views(dt):
    import normnative
    from numpy.lib.stride_tricks import as_strided
    rng = np.random.default_rng(7)
    vals = rng.integers(0, 2 ** 62, 40, dtype=np.int64).astype(dt) << np.uint8(1)  # some with zero low bits
    vals[::5] = np.array(2 ** 40, dtype=dt)
    one = as_strided(vals[:1], shape=(5, 1, 2), strides=(0, 0, 0))  # the fuzz case: every stride 0
    # six equal rows: every line of a matrix ties (values below 2⁵⁰, so NumPy's float64 sums of six are exact too)
    base = np.repeat((vals[:8] >> np.uint8(13)).reshape(1, 1, 8), 6, axis=0)
    base[0, 0, ::3] = np.array(2 ** 40, dtype=dt)
    for x, axes in ((one, (1, 0)), (one, (0, 1)), (base, (1, 0)), (base[:, :, ::-2], (1, 0)), (base, (0, 1))):
        for ord in (1, -1, np.inf, -np.inf):
            got = normnative.norm(x, ord, axes)
            want = np.linalg.norm(x, ord, axes)
            assert np.array_equal(got, want), (x.shape, x.strides, axes, ord, got, want)
