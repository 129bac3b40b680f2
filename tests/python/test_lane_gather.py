"""float32 (and int32) lines two floats apart: LaneAcross' gather of every second float (ord -1 / 0.5) and Repack's
copy of N-D blocks (other orders) read each row's values by wide loads narrowed to their even words (axis 0 of
a[:, ::2], axis 2 of a[..., ::2].T). The views sit against pages that are not readable (mprotect'ed guard pages on
both sides), so a load past the first or the last line's element would crash the test; every output must equal its
line alone and NumPy's value."""
import ctypes
import mmap
import zlib

import numpy as np
import pytest

import normnative

PAGE = mmap.PAGESIZE
_libc = ctypes.CDLL(None, use_errno=True)
_libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
_libc.mprotect.restype = ctypes.c_int


class Guarded:
    """A readable, writable region of whole pages between two pages with no access."""

    def __init__(self, nbytes):
        self.pages = (nbytes + PAGE - 1) // PAGE
        self.map = mmap.mmap(-1, (self.pages + 2) * PAGE)
        self._anchor = (ctypes.c_char * len(self.map)).from_buffer(self.map)
        self.addr = ctypes.addressof(self._anchor)
        for at in (self.addr, self.addr + (self.pages + 1) * PAGE):
            assert _libc.mprotect(at, PAGE, 0) == 0, ctypes.get_errno()
        self.region = np.frombuffer(self.map, dtype=np.uint8, count=self.pages * PAGE, offset=PAGE)

    def at_start(self, shape, dtype=np.float32):
        n = int(np.prod(shape)) * np.dtype(dtype).itemsize
        return self.region[:n].view(dtype).reshape(shape)

    def at_end(self, shape, dtype=np.float32):
        n = int(np.prod(shape)) * np.dtype(dtype).itemsize
        return self.region[self.region.size - n:].view(dtype).reshape(shape)


def _check(v, o, axis):
    got = normnative.norm(v, o, axis)
    lines = np.moveaxis(v, axis, -1)
    alone = np.array([normnative.norm(np.ascontiguousarray(lines[idx]), o) for idx in np.ndindex(lines.shape[:-1])],
                     dtype=got.dtype).reshape(lines.shape[:-1])
    wide = np.complex128 if v.dtype.kind == "c" else np.float64
    assert got.dtype == (np.float64 if v.dtype.itemsize == 8 and v.dtype.kind != "c" else np.float32)
    assert got.shape == alone.shape
    assert np.array_equal(got, alone), (o, axis, v.shape, v.strides)
    # NumPy in float64 (its float32 sums of 800 square roots drift past 2e-6; ours are correctly rounded)
    np.testing.assert_allclose(got, np.linalg.norm(v.astype(wide), o, axis), rtol=2e-7)


@pytest.mark.parametrize("o", [-1, 0.5])
@pytest.mark.parametrize("rows,width", [(16, 64), (9, 24), (13, 34), (40, 100), (3, 200)])
def test_every_second_float_against_guard_pages(o, rows, width, threads):
    rng = np.random.default_rng(rows * 1000 + width)
    g = Guarded(rows * width * 4)
    first = g.at_start((rows, width))
    first[...] = rng.standard_normal((rows, width))
    _check(first[:, ::2], o, 0)          # the first line's element is the region's first float
    last = g.at_end((rows, width))
    last[...] = rng.standard_normal((rows, width))
    _check(last[:, 1::2], o, 0)          # the last line's element is the region's last float
    _check(last[::-1, 1::2], o, 0)


@pytest.mark.parametrize("o", [-1, 0.5])
def test_transposed_3d_views_against_guard_pages(o, threads):
    rng = np.random.default_rng(7)
    shape = (6, 20, 34)
    g = Guarded(int(np.prod(shape)) * 4)
    a = g.at_end(shape)
    a[...] = rng.standard_normal(shape)
    a[2, 3, 5] = 0  # a zero at ord -1: that line's own rule
    v = a[..., 1::2].T
    for axis in (1, 2):
        _check(v, o, axis)
    b = g.at_start(shape)
    _check(b[..., ::2].T, o, 2)


@pytest.mark.parametrize("o", [None, 1, np.inf, 0, 3])
@pytest.mark.parametrize("shape", [(6, 20, 34), (60, 80, 100), (5, 33, 2)])
def test_repacked_blocks_against_guard_pages(o, shape, threads):
    """The same reads in Repack's copy of N-D blocks (groups of 16 lines two floats apart, other groups and the block's
    tail element by element), float32 and int32 views ending at a guard page."""
    rng = np.random.default_rng(sum(shape))
    g = Guarded(int(np.prod(shape)) * 4)
    a = g.at_end(shape)
    a[...] = rng.standard_normal(shape)
    _check(a[..., 1::2].T, o, 2)
    _check(a[..., 1::2].T, o, 1)
    i = a.view(np.int32)
    i[...] = rng.integers(-1000, 1000, size=shape)
    got = normnative.norm(i[..., 1::2].T, o, 2)
    lines = i[..., 1::2].T
    alone = np.array([[normnative.norm(np.ascontiguousarray(lines[p, q]), o) for q in range(lines.shape[1])]
                      for p in range(lines.shape[0])])
    assert np.array_equal(got, alone)


@pytest.mark.parametrize("o", [0.3, 1.7, -0.5, 5, -2.5])
@pytest.mark.parametrize("shape", [(6, 20, 34), (40, 20, 48)])
def test_general_order_lanes_against_guard_pages(o, shape, threads):
    """NarrowLaneSums' gather of eight float32 lines two floats apart (each reduced position one row of eight read by
    two narrowed loads, EvenWords.Row8), first and last line against the guard pages, at the general, whole and
    half-integer orders its lanes take."""
    rng = np.random.default_rng(sum(shape) + 11)
    g = Guarded(int(np.prod(shape)) * 4)
    a = g.at_end(shape)
    a[...] = rng.standard_normal(shape)
    _check(a[..., 1::2].T, o, 2)
    b = g.at_start(shape)
    b[...] = rng.standard_normal(shape)
    _check(b[..., ::2].T, o, 2)


@pytest.mark.parametrize("o", [-1, 0.5, 1, None, np.inf, 3, 1.7])
@pytest.mark.parametrize("shape", [(6, 20, 36), (10, 80, 99), (4, 7, 48)])
def test_every_third_float_against_guard_pages(o, shape, threads):
    """Lines three floats apart (EvenWords.Thirds16 / Thirds8: three or two 64-byte loads whose last one ends with
    the last line's element): LaneAcross' gather (ord −1 / 0.5) and Repack's copy (the other orders) over axis 0 of
    a[::2, :, ::3] and the columns of a 2-D [:, ::3], first and last element of the region in the view."""
    rng = np.random.default_rng(sum(shape) + 3)
    g = Guarded(int(np.prod(shape)) * 4)
    a = g.at_end(shape)
    a[...] = rng.standard_normal(shape)
    a[2, 3, 5] = 0  # a zero: ord −1's own rule for that line
    _check(a[1::2, :, 2::3], o, 0)       # the last line's last element is the region's last float
    b = g.at_start(shape)
    b[...] = rng.standard_normal(shape)
    _check(b[::2, :, ::3], o, 0)         # the first line's first element is the region's first float
    m = b.reshape(-1, shape[-1])
    _check(m[:, ::3], o, 0)
    e = a.reshape(-1, shape[-1])
    _check(e[:, 2::3], o, 0)


@pytest.mark.parametrize("o", [1, -1, 0.3, 1.5])
@pytest.mark.parametrize("shape", [(6, 20, 36), (10, 16, 48)])
def test_complex64_lines_two_and_three_apart_against_guard_pages(o, shape, threads):
    """Eight complex64 lines 16 or 24 bytes apart (ComplexShortRows' rows by EvenWords.EvenQwords8 / ThirdQwords8: the
    last load ends with the last line's value): axis 2 of a[..., ::2].T and axis 0 of a[::2, :, ::3], the region's
    first and last value in the view."""
    rng = np.random.default_rng(sum(shape) + 5)
    g = Guarded(int(np.prod(shape)) * 8)
    a = g.at_end(shape, np.complex64)
    a[...] = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    _check(a[1::2, :, 2::3], o, 0)
    _check(a[..., 1::2].T, o, 2)
    b = g.at_start(shape, np.complex64)
    b[...] = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    _check(b[::2, :, ::3], o, 0)
    _check(b[..., ::2].T, o, 2)


@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.complex64])
@pytest.mark.parametrize("o", [None, 1, np.inf, 3, -1, 0.5])
@pytest.mark.parametrize("shape", [(8, 20, 48), (60, 80, 100)])
def test_eight_byte_lines_two_and_three_apart_against_guard_pages(dtype, o, shape, threads):
    """Repack's copy of groups of eight lines of 8-byte elements two or three apart (EvenWords.EvenQwords8 /
    ThirdQwords8): axis 2 of a[..., ::2].T and axis 0 of a[::2, :, ::3] of float64, int64 and complex64 arrays, the
    region's first and last element in the view."""
    rng = np.random.default_rng(zlib.crc32(f"qwords {np.dtype(dtype).name} {o} {shape}".encode()))
    g = Guarded(int(np.prod(shape)) * 8)

    def fill(a):
        if np.dtype(dtype).kind == "c":
            a[...] = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
        elif np.dtype(dtype).kind == "i":
            a[...] = rng.integers(-1000, 1000, size=shape)
        else:
            a[...] = rng.standard_normal(shape)
        return a

    a = fill(g.at_end(shape, dtype))
    _check(a[1::2, :, 2::3], o, 0)
    _check(a[..., 1::2].T, o, 2)
    b = fill(g.at_start(shape, dtype))
    _check(b[::2, :, ::3], o, 0)
    _check(b[..., ::2].T, o, 2)
