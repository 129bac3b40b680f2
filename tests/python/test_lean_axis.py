"""The lean path for norm(ndarray, axis=int): same results, types, shapes, warnings and exceptions
as the general path and as NumPy, for every case it takes and every case it hands on."""
import warnings

import numpy as np
import pytest

import normnative
from normnative import _norm

RNG = np.random.default_rng(11)
BASE = RNG.standard_normal((3, 4, 5))
ARRAYS = {
    "1d": RNG.standard_normal(7),
    "3d": BASE,
    "3d-view": BASE[:, ::-2, 1:],
    "3d-T": BASE.T,
    "empty": np.zeros((0, 3)),
    "int": np.arange(-6, 6).reshape(3, 4),
    "bool": np.array([[True, False, True], [False, False, True]]),
    "complex": BASE[0] + 1j * BASE[1],
    "float32": BASE.astype(np.float32),  # not a float64 result: general path
    "0d": np.array(2.5),
}


def _both(f):
    """(kind, value or exception, warnings) for f()."""
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            return "ok", f(), [str(x.message) for x in w]
        except Exception as e:  # noqa: BLE001
            return "raise", e, [str(x.message) for x in w]


@pytest.mark.parametrize("name", list(ARRAYS))
@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, -3, 3, -4])
def test_axis_int_matches_numpy_and_general_path(name, axis):
    x = ARRAYS[name]
    k1, r1, w1 = _both(lambda: normnative.norm(x, axis=axis))
    k2, r2, w2 = _both(lambda: np.linalg.norm(x, axis=axis))
    _norm._use_descriptors(True)
    try:
        k3, r3, w3 = _both(lambda: normnative.norm(x, axis=axis))
    finally:
        _norm._use_descriptors(False)
    assert k1 == k2 == k3
    if k1 == "raise":
        assert type(r1) is type(r2) is type(r3)
        assert str(r1) == str(r3)
        return
    assert type(r1) is type(r2) is type(r3)
    assert np.shape(r1) == np.shape(r2)
    assert np.asarray(r1).dtype == np.asarray(r2).dtype
    np.testing.assert_allclose(r1, r2, rtol=4e-16 if np.asarray(r1).dtype == np.float64 else 4e-7)
    assert np.array_equal(r1, r3)  # the lean and descriptor paths give the same bits
    assert w1 == w3


def test_overflow_warning_is_reported_on_the_lean_path():
    x = np.full((2, 3), 1.5e308)
    with pytest.warns(RuntimeWarning, match="overflow encountered in multiply"):
        r = normnative.norm(x, axis=1)
    assert np.all(np.isinf(r))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # representable exact result: no warning (unlike numpy)
        r = normnative.norm(np.full((2, 3), 1e200), axis=1)
    np.testing.assert_allclose(r, np.sqrt(3.0) * 1e200, rtol=1e-15)


def test_keepdims_and_bool_axis_take_the_general_path():
    x = ARRAYS["3d"]
    assert normnative.norm(x, axis=1, keepdims=True).shape == (3, 1, 5)
    with pytest.raises(TypeError):
        normnative.norm(x, axis=1, keepdims=None)
    # numpy accepts True as axis 1 (an int subclass)
    np.testing.assert_allclose(normnative.norm(x, axis=True), np.linalg.norm(x, axis=True), rtol=4e-16)


@pytest.mark.parametrize("dt", [np.float32, np.complex64, np.float16, np.float64, np.int8, np.bool_])
@pytest.mark.parametrize("shape", [(0,), (1,), (7,), (3, 5), (2, 0, 3), ()])
def test_full_norm_lean_path_matches_descriptor_path_and_numpy_types(dt, shape):
    x = (RNG.standard_normal(shape) * 40).astype(dt) if shape else np.array(3, dtype=dt)
    if np.dtype(dt).kind == "c":
        x = x + 1j * x[::-1] if x.ndim == 1 else x
    r1 = normnative.norm(x)
    _norm._use_descriptors(True)
    try:
        r2 = normnative.norm(x)
    finally:
        _norm._use_descriptors(False)
    r3 = np.linalg.norm(x)
    assert type(r1) is type(r2) is type(r3)
    assert np.asarray(r1).tobytes() == np.asarray(r2).tobytes()


def test_full_norm_lean_path_narrow_overflow_and_nan():
    big = np.full(4, 3e38, np.float32)  # exact norm 6e38 > float32 max: inf, as numpy's
    assert normnative.norm(big) == np.float32(np.inf) and type(normnative.norm(big)) is np.float32
    assert np.isnan(normnative.norm(np.array([1, np.nan], np.float16)))
    assert normnative.norm(np.full(4, 1e-30, np.float32)) == np.float32(2e-30)  # no underflow
