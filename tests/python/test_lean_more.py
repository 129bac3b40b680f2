"""The lean paths for keepdims=True, axis tuples, axis=None with the ords the first lean paths leave, and
non-ndarray inputs (lists, tuples, scalars, np.matrix, memoryview): the same results, types, shapes, warnings
and exceptions as the general (descriptor) path, bit for bit, and as NumPy."""
import warnings

import numpy as np
import pytest

import normnative
from normnative import _norm
from test_lean_axis import _both as _run  # (kind, value or exception, warnings) for f()

RNG = np.random.default_rng(13)
BASE = RNG.standard_normal((3, 4, 5))
ARRAYS = {
    "0d": np.array(-2.5),
    "1d": RNG.standard_normal(6),
    "2d": BASE[0],
    "2d-F": np.asfortranarray(BASE[1]),
    "2d-view": BASE[2, ::-2, 1:],
    "3d": BASE,
    "3d-T": BASE.T,
    "zeros": np.array([[0.0, 1.0], [2.0, 0.0]]),
    "empty": np.zeros((0, 3)),
    "empty3": np.zeros((2, 0, 3)),
    "int": np.arange(-6, 6).reshape(3, 4),
    "bool": np.array([[True, False, True], [False, False, True]]),
    "float32": BASE[:2].astype(np.float32),
    "float16": BASE[0].astype(np.float16),
    "complex": BASE[0] + 1j * BASE[1],
    "complex64": (BASE[0] - 2j * BASE[1]).astype(np.complex64),
}
AXES = [None, 0, -1, (0,), (-1,), (0, 1), (1, 0), (-1, -2), (0, 2), (1, 1), (0, 3), (0, 1, 2), ()]
ORDS = [None, "fro", "f", "nuc", 1, -1, 2, -2, np.inf, -np.inf, 0, 3, 0.5, -1.5, "bad"]


def _check(x, **kw):
    k1, r1, w1 = _run(lambda: normnative.norm(x, **kw))
    _norm._use_descriptors(True)
    try:
        k3, r3, w3 = _run(lambda: normnative.norm(x, **kw))
    finally:
        _norm._use_descriptors(False)
    k2, r2, _ = _run(lambda: np.linalg.norm(x, **kw))
    assert k1 == k3 == k2, (k1, r1, k3, r3, k2, r2)
    if k1 == "raise":
        assert type(r1) is type(r3) is type(r2)
        assert str(r1) == str(r3)
        return
    assert w1 == w3
    assert type(r1) is type(r3) is type(r2)
    assert np.shape(r1) == np.shape(r3) == np.shape(r2)
    assert np.asarray(r1).dtype == np.asarray(r3).dtype == np.asarray(r2).dtype
    assert np.array_equal(r1, r3, equal_nan=True)  # the lean and descriptor paths give the same bits
    rtol = {np.dtype(np.float64): 1e-13, np.dtype(np.float32): 2e-6, np.dtype(np.float16): 2e-3}[np.asarray(r1).dtype]
    a = np.abs(np.asarray(x, dtype=complex))  # absolute slack for σ_min of singular matrices (both near 0)
    with np.errstate(over="ignore"):
        atol = rtol * a.max() * np.sqrt(a.size) if a.size else 0.0
    np.testing.assert_allclose(r1, r2, rtol=rtol, atol=atol)


@pytest.mark.parametrize("name", list(ARRAYS))
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_axes_and_keepdims_match_the_general_path_and_numpy(name, axis, keepdims):
    x = ARRAYS[name]
    for o in ORDS:
        _check(x, ord=o, axis=axis, keepdims=keepdims)


@pytest.mark.parametrize("make", [list, tuple, np.matrix, memoryview, lambda a: a.tolist()], ids=["list", "tuple", "matrix", "memoryview", "nested"])
@pytest.mark.parametrize("ord", [None, 1, 2, np.inf, "fro", "nuc", -1, 3])
def test_non_ndarray_inputs(make, ord):
    x = RNG.standard_normal((3, 4))
    for arg in ([make(x[0])] if make is not np.matrix else []) + [make(x) if make is not memoryview else memoryview(np.ascontiguousarray(x))]:
        _check(arg, ord=ord)
        _check(arg, ord=ord, keepdims=True)
        _check(arg, ord=ord, axis=-1)
    for scalar in (3.5, -2, True, np.float32(1.5), [], [[]], [[1, 2], [3, 4]], [1 + 2j, 3j]):
        _check(scalar)
        _check(scalar, ord=ord)


def test_keepdims_non_bool_and_odd_axes_take_the_general_path():
    x = ARRAYS["3d"]
    for kd in (1, 0, np.True_, None):
        _check(x, keepdims=kd)
        _check(x, axis=(0, 1), keepdims=kd)
    for axis in ((np.int64(0), 1), (True, 0), (0.0, 1), [0, 1]):
        _check(x, axis=axis)


def test_warnings_and_special_values_on_the_new_paths():
    with_zero = np.array([[0.0, 2.0], [3.0, 4.0]])
    for kw in (dict(ord=-1, axis=(1,)), dict(ord=-1.5, keepdims=True, axis=1), dict(ord=-2, axis=(0, 1))):
        _check(with_zero, **kw)
    big = np.full((2, 3), 1.5e308)
    _check(big, axis=(0, 1))
    _check(big, keepdims=True)
    _check(np.array([[np.nan, 1.0], [np.inf, 2.0]]), ord="nuc", axis=(1, 0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # representable exact result: no warning (unlike numpy)
        r = normnative.norm(np.full((2, 3), 1e200), axis=(0, 1), keepdims=True)
    assert r.shape == (1, 1)
    np.testing.assert_allclose(r, np.sqrt(6.0) * 1e200, rtol=1e-15)
