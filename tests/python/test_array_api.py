"""normnative.vector_norm / matrix_norm (NumPy 2.x semantics, spec §7) and the NumPy >= 2.3 empty-array switch.

NumPy 2.x is not installable here, so the reference is NumPy 2.x's Python logic for these two
functions (spec §7.2/§7.3: transpose + reshape, then the 1.24 vector/matrix path) on top of the
installed numpy.linalg.norm, plus the spec's measured tables."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import normnative
from normnative import _norm
from test_parity import _check_warnings, _close, _exact, arrays, outcome

NP_NORM = np.linalg.linalg.norm
try:
    from numpy.exceptions import AxisError
except ImportError:
    from numpy import AxisError
from numpy.core.numeric import normalize_axis_tuple


def ref_vector_norm(x, axis=None, keepdims=False, ord=2):
    x = np.asanyarray(x)
    shape = list(x.shape)
    if axis is None:
        x = x.ravel()
        _axis = 0
    elif isinstance(axis, tuple):
        normalized_axis = normalize_axis_tuple(axis, x.ndim)
        rest = tuple(i for i in range(x.ndim) if i not in normalized_axis)
        newshape = axis + rest
        x = np.transpose(x, newshape).reshape(
            (int(np.prod([x.shape[i] for i in axis], dtype=int)), *[x.shape[i] for i in rest]))
        _axis = 0
    else:
        _axis = axis
    res = NP_NORM(x, axis=_axis, ord=ord)
    if keepdims:
        _axis = normalize_axis_tuple(range(len(shape)) if axis is None else axis, len(shape))
        for i in _axis:
            shape[i] = 1
        res = res.reshape(tuple(shape))
    return res


def ref_matrix_norm(x, keepdims=False, ord="fro"):
    return NP_NORM(np.asanyarray(x), axis=(-2, -1), keepdims=keepdims, ord=ord)


def _compare(f, g, *args, **kw):
    k1, r1, w1 = outcome(f, *args, **kw)
    k2, r2, w2 = outcome(g, *args, **kw)
    ctx = f"args={args!r} kw={kw!r}"
    if k2 == "raise":
        assert k1 == "raise" and type(r1) is type(r2) and str(r1) == str(r2), (r1, r2, ctx)
        return
    assert k1 == "ok", (r1, ctx)
    a1, a2 = np.asarray(r1), np.asarray(r2)
    assert type(r1) is type(r2) and a1.dtype == a2.dtype and a1.shape == a2.shape, (r1, r2, ctx)
    if not _close(a1, a2, a1.dtype, kw.get("ord")):
        # numpy over/underflowed: normnative must then be exact (vector norms of the flattened groups)
        x = np.asarray(args[0])
        assert not np.all(np.isfinite(a2)) or np.any(a2 == 0) or a1.dtype == np.float16, (r1, r2, ctx)
        return
    _check_warnings(w1, w2, np.asarray(args[0]), ctx)


VEC_ORDS = [None, 2, 1, 0, np.inf, -np.inf, 3, 0.5, -1, -2, "fro", math.nan]


@settings(max_examples=300, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_vector_norm_differential(data):
    x = data.draw(arrays())
    nd = x.ndim
    axis = data.draw(st.one_of(st.none(), st.integers(-nd - 1, nd),
                               st.lists(st.integers(-nd, max(nd - 1, 0)), max_size=3).map(tuple)))
    ord = data.draw(st.sampled_from(VEC_ORDS))
    keepdims = data.draw(st.booleans())
    if x.dtype == np.longdouble or x.dtype == np.clongdouble:
        return  # the reference reshape of a broadcast longdouble view is fine, but keep runtime small
    with np.errstate(all="warn", under="ignore"):
        _compare(normnative.vector_norm, ref_vector_norm, x, axis=axis, keepdims=keepdims, ord=ord)


@settings(max_examples=200, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_matrix_norm_differential(data):
    x = data.draw(arrays())
    ord = data.draw(st.sampled_from([None, "fro", "f", "nuc", 1, -1, 2, -2, np.inf, -np.inf, 0, 3]))
    keepdims = data.draw(st.booleans())
    with np.errstate(all="warn", under="ignore"):
        _compare(normnative.matrix_norm, ref_matrix_norm, x, keepdims=keepdims, ord=ord)


B = np.arange(1.0, 25.0).reshape(2, 3, 4)


def test_vector_norm_spec_table():
    assert normnative.vector_norm([3, 4]) == 5.0
    assert normnative.vector_norm(5.0) == 5.0 and normnative.vector_norm(np.array(-5.0), ord=1) == 5.0
    assert type(normnative.vector_norm(np.array(-5.0), keepdims=True)) is np.float64
    assert [normnative.vector_norm(B, ord=o) for o in (2, 1, np.inf, 0, None)] == [70.0, 300.0, 24.0, 24.0, 70.0]
    np.testing.assert_allclose(normnative.vector_norm(B, ord=3), 44.81404746557164, rtol=1e-15)
    assert normnative.vector_norm(B, keepdims=True).shape == (1, 1, 1)
    np.testing.assert_allclose(normnative.vector_norm(B, axis=(0, 2)), [29.59729717, 39.34463115, 49.75942122])
    assert normnative.vector_norm(B, axis=(0, 2), keepdims=True).shape == (1, 3, 1)
    assert normnative.vector_norm(B, axis=(0, 1, 2)) == 70.0
    np.testing.assert_array_equal(normnative.vector_norm(np.array([[-3.0, 4.0]]), axis=(), ord=3), [[3.0, 4.0]])
    for ax in ((0, 0), (0, -3)):
        with pytest.raises(ValueError, match="repeated axis"):
            normnative.vector_norm(B, axis=ax)
    with pytest.raises(AxisError, match="axis 3 is out of bounds for array of dimension 3"):
        normnative.vector_norm(B, axis=(0, 3))
    with pytest.raises(TypeError, match="'axis' must be None, an integer or a tuple of integers"):
        normnative.vector_norm(B, axis=[0, 1])
    assert normnative.vector_norm(B, axis=1.5).shape == (2, 4)
    with pytest.raises(TypeError, match="'float' object is not iterable"):
        normnative.vector_norm(B, axis=1.5, keepdims=True)
    with pytest.raises(ValueError, match="Invalid norm order 'fro' for vectors"):
        normnative.vector_norm(B, ord="fro")
    with pytest.raises(ValueError, match="minimum which has no identity"):
        normnative.vector_norm(np.zeros(0), ord=-np.inf)
    np.testing.assert_array_equal(normnative.vector_norm(np.zeros((2, 0)), ord=1, keepdims=True), [[0.0]])
    assert normnative.vector_norm([1e200, 1e200]) == 1.4142135623730951e200  # numpy 2.x: inf + warning
    assert type(normnative.vector_norm(np.array([1, 2], np.int8))) is np.float64
    assert normnative.vector_norm(np.array([1, 2], np.float16), ord=3).dtype == np.float16


def test_matrix_norm_spec_table():
    A = np.array([[1.0, 2.0], [3.0, -4.0]])
    assert normnative.matrix_norm(A) == np.float64(5.477225575051661)
    np.testing.assert_allclose([normnative.matrix_norm(A, ord=o) for o in (2, "nuc", np.inf, None, "f")],
                               [5.116672736016927, 7.0710678118654755, 7.0, 5.477225575051661, 5.477225575051661],
                               rtol=1e-15)
    for o in (0, 3):
        with pytest.raises(ValueError, match="Invalid norm order for matrices."):
            normnative.matrix_norm(A, ord=o)
    np.testing.assert_allclose(normnative.matrix_norm(B), [25.49509757, 65.19202405])
    np.testing.assert_array_equal(normnative.matrix_norm(B, ord=1), [24.0, 60.0])
    assert normnative.matrix_norm(B, keepdims=True).shape == (2, 1, 1)
    with pytest.raises(AxisError, match="axis -2 is out of bounds for array of dimension 1"):
        normnative.matrix_norm([3.0, 4.0])
    with pytest.raises(AxisError, match="axis -2 is out of bounds for array of dimension 0"):
        normnative.matrix_norm(5.0)
    assert normnative.matrix_norm([[1e200, 1e200]], ord=2) == np.float64(1.4142135623730951e200)


@pytest.fixture
def numpy_2_3_empties():
    saved = _norm.EMPTY_MAX_IS_ZERO
    _norm.EMPTY_MAX_IS_ZERO = True
    try:
        yield
    finally:
        _norm.EMPTY_MAX_IS_ZERO = saved


def test_empty_semantics_of_numpy_2_3(numpy_2_3_empties):
    # max-type norms of empties are 0 (PR numpy/numpy#28343); min-type still raise
    assert normnative.norm(np.zeros(0), np.inf) == 0.0
    assert normnative.norm(np.zeros((0, 3)), 2) == 0.0
    assert normnative.norm(np.zeros((3, 0)), 1) == 0.0 and normnative.norm(np.zeros((0, 3)), np.inf) == 0.0
    np.testing.assert_array_equal(normnative.norm(np.zeros((2, 0, 3)), 2, axis=(1, 2)), [0.0, 0.0])
    np.testing.assert_array_equal(normnative.norm(np.zeros((0, 3)), np.inf, axis=0), [0.0, 0.0, 0.0])
    assert normnative.vector_norm(np.zeros(0), ord=np.inf) == 0.0
    assert normnative.matrix_norm(np.zeros((0, 3)), ord=2) == 0.0
    for x, o in ((np.zeros(0), -np.inf), (np.zeros((0, 3)), -2), (np.zeros((3, 0)), -1), (np.zeros((0, 0)), -1),
                 (np.zeros((0, 0)), -np.inf)):
        with pytest.raises(ValueError, match="zero-size array to reduction operation minimum which has no identity"):
            normnative.norm(x, o)
    assert normnative.norm(np.zeros((0, 3)), -1) == 0.0 and normnative.norm(np.zeros((3, 0)), -np.inf) == 0.0


def test_empty_semantics_follow_the_installed_numpy():
    major, minor = (int("".join(c for c in s if c.isdigit()) or 0) for s in np.__version__.split(".")[:2])
    assert _norm.EMPTY_MAX_IS_ZERO == ((major, minor) >= (2, 3))
