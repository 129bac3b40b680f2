"""Axes of extent 1 may carry any int64 stride (NumPy views do: as_strided, np.broadcast_to, some reshapes): it never
moves an address, so every norm must ignore it. The matrix kernels compare strides by magnitude, where
|int64 min| overflows — a fuzz seed found matrix ord 2 of a (1, 1, 1) view with a stride of −2⁶³ failing with an
internal error. Each call is checked against NumPy on the same view and against the contiguous copy, bit for bit."""
import numpy as np
import pytest
from numpy.lib.stride_tricks import as_strided

import normnative

MATRIX_ORDS = [None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]
IDLE = [-(2 ** 63), 2 ** 63 - 1, 2 ** 31, -8, 0]


def _view(base, shape, strides):
    return as_strided(base, shape=shape, strides=strides)


@pytest.mark.parametrize("dt", [np.float64, np.float32, np.complex128, np.int64])
@pytest.mark.parametrize("idle", IDLE)
@pytest.mark.parametrize("ordv", MATRIX_ORDS)
def test_matrix_norms_ignore_the_strides_of_unit_axes(dt, idle, ordv):
    base = (np.arange(1, 7) * (1 + 1j if np.dtype(dt).kind == "c" else 1)).astype(dt)
    item = base.itemsize
    cases = [((1, 1, 1), (2 ** 31, idle, 0), (0, 1)),  # the fuzz case: a 1 × 1 matrix, one stack
             ((1, 1), (idle, item), (0, 1)),
             ((3, 1), (item, idle), (0, 1)),  # a column
             ((1, 3), (idle, item), (0, 1)),  # a row
             ((2, 1, 3), (3 * item, idle, item), (0, 2)),  # a 2 × 3 matrix, its stack axis of extent 1
             ((2, 3, 1), (3 * item, item, idle), (0, 1))]
    for shape, strides, axis in cases:
        v = _view(base, shape, strides)
        got = normnative.norm(v, ordv, axis)
        want = np.linalg.norm(v, ordv, axis)
        alone = normnative.norm(np.ascontiguousarray(v), ordv, axis)
        assert np.asarray(got).dtype == np.asarray(want).dtype, (shape, strides, axis)
        np.testing.assert_allclose(got, want, rtol=1e-6 if dt == np.float32 else 1e-13)
        assert np.asarray(got).tobytes() == np.asarray(alone).tobytes(), (shape, strides, axis)


@pytest.mark.parametrize("idle", IDLE)
def test_vector_norms_ignore_the_strides_of_unit_axes(idle):
    base = np.arange(1.0, 7.0)
    for shape, strides in [((1, 1, 1), (2 ** 31, idle, 0)), ((3, 1), (8, idle)), ((1, 3), (idle, 8))]:
        v = _view(base, shape, strides)
        for ordv in (None, 1, np.inf, 3, 0.3):
            for axis in ((None, 0, -1) if ordv is None else (0, -1)):
                got = normnative.norm(v, ordv, axis)
                want = np.linalg.norm(v, ordv, axis)
                np.testing.assert_allclose(got, want, rtol=1e-13)
                assert np.asarray(got).tobytes() == np.asarray(normnative.norm(np.ascontiguousarray(v), ordv, axis)).tobytes()


@pytest.mark.parametrize("ordv", MATRIX_ORDS + [3, 0.3])
def test_empty_arrays_ignore_every_stride(ordv):
    """An empty array's strides never move an address either, whatever the axis' extent (the descriptor check does not
    bound them): NumPy's results and exception classes, for the matrix and the vector orders."""
    base = np.arange(1.0, 7.0)
    for shape, strides in [((0, 3), (-(2 ** 63), 8)), ((0, 3), (8, -(2 ** 63))), ((3, 0), (-(2 ** 63), 8)),
                           ((0, 1), (-(2 ** 63), -(2 ** 63)))]:
        v = _view(base, shape, strides)
        for axis in ((0, 1), (1, 0), 0, -1, None):
            try:
                want, wexc = np.linalg.norm(v, ordv, axis), None
            except Exception as e:  # noqa: BLE001 - the class is what is compared
                want, wexc = None, type(e)
            if wexc is not None:
                with pytest.raises(wexc):
                    normnative.norm(v, ordv, axis)
                continue
            got = normnative.norm(v, ordv, axis)
            assert np.asarray(got).shape == np.asarray(want).shape and np.array_equal(got, want), (shape, strides, axis)
