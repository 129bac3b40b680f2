"""Inputs are read in place: NumPy views of any strides, DLPack producers, buffer-protocol objects.

tracemalloc sees NumPy's data allocations, so a copy of the 16 MiB inputs below would show up as
a peak of at least that size."""
import array
import tracemalloc

import numpy as np
import pytest

import normnative

N = 1 << 21  # 16 MiB of float64
BASE = np.random.default_rng(3).standard_normal(2 * N)


class DLPackOnly:
    """A foreign producer: exposes only the DLPack protocol of an array it owns."""

    def __init__(self, a):
        self._a = a

    def __dlpack__(self, stream=None):
        return self._a.__dlpack__()

    def __dlpack_device__(self):
        return self._a.__dlpack_device__()


def _peak(f):
    tracemalloc.start()
    try:
        f()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


VIEWS = {
    "contiguous": lambda: BASE[:N],
    "step 2": lambda: BASE[::2],
    "step 3": lambda: BASE[::3],
    "reversed": lambda: BASE[::-1],
    "transposed 2-D": lambda: BASE.reshape(1024, -1).T,
    "fortran block": lambda: BASE.reshape(2048, -1)[::2, ::2],
    "broadcast (zero stride)": lambda: np.broadcast_to(BASE[:1024], (2048, 1024)),
    "int32": lambda: np.arange(N, dtype=np.int32)[::-1],
    "float32 step": lambda: BASE.astype(np.float32)[::2],
}


@pytest.mark.parametrize("name", list(VIEWS))
@pytest.mark.parametrize("ord,axis", [(None, None), (1, 0), (np.inf, -1), (3, 0)])
def test_views_are_not_copied(name, ord, axis):
    x = VIEWS[name]()
    if axis is not None and x.ndim == 2:
        axis = 0
    expect = np.linalg.linalg.norm(x, ord, axis)
    got = None

    def call():
        nonlocal got
        got = normnative.norm(x, ord, axis)

    peak = _peak(call)
    out_bytes = np.asarray(got).nbytes
    assert peak < out_bytes + (64 << 10), f"{peak} bytes allocated for a {x.nbytes}-byte input"
    np.testing.assert_allclose(got, expect, rtol=1e-4 if x.dtype == np.float32 else 1e-12)  # numpy f32 sdot is loose


def test_dlpack_producer_is_read_in_place():
    src = BASE[:N].copy()
    prod = DLPackOnly(src)
    got = None

    def call():
        nonlocal got
        got = normnative.norm(prod)

    peak = _peak(call)
    assert peak < (64 << 10), peak
    assert got == normnative.norm(src)


def test_buffer_protocol_objects_are_read_in_place():
    src = BASE[:N].copy()
    mv = memoryview(src)
    arr = array.array("d", BASE[:1000].tolist())
    got = None

    def call():
        nonlocal got
        got = normnative.norm(mv)

    assert _peak(call) < (64 << 10)
    assert got == normnative.norm(src)
    assert normnative.norm(arr) == normnative.norm(BASE[:1000])
    assert normnative.norm(bytearray(b"\x03\x04")) == 5.0  # uint8 buffer
