"""Parity of the float64 2-norm with numpy.linalg.norm over shapes and views (issue: foundation)."""
import itertools

import numpy as np
import pytest

import normnative

RNG = np.random.default_rng(12345)


def _views():
    base = RNG.standard_normal((6, 7, 5))
    yield "c", base
    yield "fortran", np.asfortranarray(base)
    yield "transposed", base.transpose(2, 0, 1)
    yield "step3", base[:, ::3, :]
    yield "reversed", base[::-1, :, ::-1]
    yield "0d", np.array(2.5)
    yield "1d", base.ravel()[:37]
    yield "1d step", base.ravel()[::7]
    yield "1d reversed", base.ravel()[::-1]
    yield "zero stride", np.broadcast_to(np.arange(4.0), (3, 4))
    yield "empty", np.zeros((0, 3))
    yield "empty 1d", np.zeros(0)


def _check(got, want):
    assert type(got) is type(want), (type(got), type(want))
    got_a, want_a = np.asarray(got), np.asarray(want)
    assert got_a.dtype == want_a.dtype
    assert got_a.shape == want_a.shape
    np.testing.assert_allclose(got_a, want_a, rtol=1e-14, atol=0)


@pytest.mark.parametrize("name,x", list(_views()), ids=[n for n, _ in _views()])
@pytest.mark.parametrize("keepdims", [False, True])
def test_full_reduction(name, x, keepdims):
    _check(normnative.norm(x, keepdims=keepdims), np.linalg.norm(x, keepdims=keepdims))


@pytest.mark.parametrize("name,x", [v for v in _views() if v[1].ndim >= 1], ids=[n for n, x in _views() if x.ndim >= 1])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("ord", [None, 2])
def test_axis_reductions(name, x, keepdims, ord):
    for axis in range(-x.ndim, x.ndim):
        _check(normnative.norm(x, ord=ord, axis=axis, keepdims=keepdims),
               np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims))


def test_scalar_and_list_inputs():
    _check(normnative.norm([3.0, 4.0]), np.linalg.norm([3.0, 4.0]))
    _check(normnative.norm(3.0), np.linalg.norm(3.0))
    _check(normnative.norm([[1.0, 2.0], [3.0, 4.0]]), np.linalg.norm([[1.0, 2.0], [3.0, 4.0]]))


def test_no_overflow_where_numpy_overflows():
    assert normnative.norm([1e200, 1e200]) == np.sqrt(2) * 1e200
    assert normnative.norm([1e-200, 1e-200]) == np.sqrt(2) * 1e-200


def test_no_copy_is_made_of_views():
    # a view whose copy would not fit comfortably: a 2 GiB zero-stride broadcast reads in place
    x = np.broadcast_to(np.array([3.0]), (1 << 28,))
    assert normnative.norm(x) == np.float64(3.0 * (1 << 14))
