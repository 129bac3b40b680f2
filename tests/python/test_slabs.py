"""N-D reductions with several kept axes that do not coalesce (axis 1 of a C-order 3-D array, middle axes of 4-D
arrays, transposed and reversed views, keepdims) run slab by slab with the kernel that takes one slab (Engine/Slabs.cs).

Invariants checked for every dtype and the orders of the sweep:
- each output has the bits that the same slab gives as a 2-D view (the kernel's own per-slab result; the slab axis is
  the kept axis with the smallest |stride|, walked forwards);
- NumPy parity (values, dtype, shape) at the tolerances of test_parity.py;
- the same bits with 1 and 2 threads.
"""
import itertools

import numpy as np
import pytest

import normnative

NP_NORM = np.linalg.linalg.norm

ORDS = (None, np.inf, -np.inf, 0, 1, -1, 2, -2, 3, -3, 0.5, 1.5, 1.7, 2.5, -2.5, 4)
BOOL_ORDS = (None, 1, -1, 0.5, 2, np.inf, 0)
DTYPES = ("float64", "float32", "float16", "complex128", "complex64", "int8", "int16", "int32", "int64", "uint8", "bool")
_RTOL = {"float16": 2e-3, "float32": 2e-6, "complex64": 2e-6}


def _data(rng, shape, dt):
    dt = np.dtype(dt)
    if dt.kind == "b":
        return rng.random(shape) < 0.5
    if dt.kind in "iu":
        info = np.iinfo(dt)
        lo, hi = max(info.min, -1000), min(info.max, 1000)
        return rng.integers(lo, hi, size=shape, endpoint=True).astype(dt)
    x = rng.standard_normal(shape) * np.exp2(rng.integers(-4, 5, size=shape))
    if dt.kind == "c":
        x = x + 1j * rng.standard_normal(shape)
    x = x.astype(dt)
    x.flat[:: 7] = 0  # zeros: ord 0 counts and negative orders' early exits
    return x


def _views(rng, dt):
    """(label, view, axis) cases: 3-D axis 1, axis 0 of a transposed array, reversed kept axes, 4-D middle axes."""
    a = _data(rng, (6, 23, 37), dt)
    yield "C (6,23,37) axis 1", a, 1
    yield "rev kept (6,23,37) axis 1", a[::-1, :, ::-1], 1
    yield "rev reduced (6,23,37) axis 1", a[:, ::-1, :], 1
    yield "F (6,23,37) axis 1", np.asfortranarray(a), 1
    yield "F (6,23,37) axis 0", np.asfortranarray(a), 0  # rows whose kept axes are walked smallest stride first
    yield "F (17,23,37) axis 0", np.asfortranarray(_data(rng, (17, 23, 37), dt)), 0
    yield "transposed axis 0", a.transpose(1, 0, 2), 0
    yield "strided (6,12,19) axis 1", a[:, ::2, ::2], 1
    b = _data(rng, (3, 4, 9, 20), dt)
    yield "4-D axis 1", b, 1
    yield "4-D axis 2", b, 2
    yield "4-D axis 2 permuted", b.transpose(2, 0, 3, 1), 0


def _slab_axis(x, axis):
    """The kept axis (of x) with the smallest |stride|, the last one on ties among axes of extent > 1."""
    kept = [d for d in range(x.ndim) if d != axis and x.shape[d] > 1]
    best = kept[-1]
    for d in reversed(kept[:-1]):
        if abs(x.strides[d]) < abs(x.strides[best]):
            best = d
    return best


def _per_slab(x, ord, axis):
    """The norm computed slab by slab on 2-D views (slab axis, reduced axis), the slab axis walked forwards."""
    s = _slab_axis(x, axis)
    moved = np.moveaxis(x, (s, axis), (-2, -1))
    flip = moved.strides[-2] < 0
    res = None
    for idx in itertools.product(*(range(n) for n in moved.shape[:-2])):
        v = moved[idx]
        if flip:
            v = v[::-1]
        r = normnative.norm(v, ord, axis=1)
        if flip:
            r = r[::-1]
        if res is None:
            res = np.empty(moved.shape[:-2] + r.shape, dtype=r.dtype)
        res[idx] = r
    # res has the kept axes in moved order with the slab axis last; back to the kept axes' order
    kept = [d for d in range(x.ndim) if d != axis]
    order = [d for d in kept if d != s] + [s]
    return np.moveaxis(res, list(range(len(order))), [kept.index(d) for d in order])


def _cases(dt):
    rng = np.random.default_rng(100 + DTYPES.index(dt))
    for label, x, axis in _views(rng, dt):
        for o in BOOL_ORDS if dt == "bool" else ORDS:
            yield label, x, axis, o


@pytest.mark.parametrize("dt", DTYPES)
def test_slabs_match_per_slab_kernel_numpy_and_threads(dt):
    old = normnative.get_num_threads()
    try:
        for label, x, axis, o in _cases(dt):
            with np.errstate(all="ignore"):
                normnative.set_num_threads(1)
                got1 = normnative.norm(x, o, axis=axis)
                normnative.set_num_threads(2)
                got2 = normnative.norm(x, o, axis=axis)
                keep = normnative.norm(x, o, axis=axis, keepdims=True)
                normnative.set_num_threads(1)
                want = _per_slab(x, o, axis)
                ref = NP_NORM(x, o, axis=axis)
                if dt == "float16":  # NumPy sums float16 powers in float16 (spurious inf for ord 3, 4): the float64 norm, rounded
                    ref = NP_NORM(x.astype(np.float64), o, axis=axis).astype(np.float16)
            msg = f"{dt} {label} ord={o}"
            assert got1.dtype == ref.dtype and got1.shape == ref.shape, msg
            assert got1.tobytes() == got2.tobytes(), msg + ": 1 vs 2 threads"
            assert got1.tobytes() == np.ascontiguousarray(want).tobytes(), msg + ": per-slab bits"
            assert keep.shape == np.expand_dims(ref, axis).shape and keep.tobytes() == got1.tobytes(), msg + ": keepdims"
            rtol = _RTOL.get(dt, 1e-13)
            np.testing.assert_allclose(got1.astype(float), ref.astype(float), rtol=rtol, atol=0, err_msg=msg)
    finally:
        normnative.set_num_threads(old)


def test_spread_over_threads_large():
    """Slabs too small to thread alone are spread over the workers: same bits as one thread, and NumPy's values."""
    rng = np.random.default_rng(5)
    old = normnative.get_num_threads()
    try:
        for dt, o in (("float32", 2), ("float64", 0.5), ("complex128", 1), ("int16", 2), ("float64", 1)):
            x = _data(rng, (200, 40, 64), dt)
            normnative.set_num_threads(1)
            one = normnative.norm(x, o, axis=1)
            normnative.set_num_threads(2)
            two = normnative.norm(x, o, axis=1)
            assert one.tobytes() == two.tobytes(), (dt, o)
            np.testing.assert_allclose(one, NP_NORM(x, o, axis=1), rtol=_RTOL.get(dt, 1e-13), atol=0)
    finally:
        normnative.set_num_threads(old)
