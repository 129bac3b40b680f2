"""The lean axis paths of normnative.norm: calls that alternate dtypes, shapes, axes, ords and keepdims in one
process (and from two threads at once) against NumPy, the warnings of a lone vector's axis=0 call, and errors
after lean calls."""
import threading
import warnings

import numpy as np
import pytest

import normnative as nn

DTYPES = [np.float64, np.float32, np.float16, np.complex64, np.complex128, np.int32, np.int8, np.uint16, np.bool_]
ORDS = [None, 1, 2, -1, -2, 0, 3, 0.5, -0.5, 2.5, np.inf, -np.inf]
MORDS = [None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]


def _array(shape, dtype, seed):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape) * 3
    if np.dtype(dtype).kind == "c":
        a = a + 1j * rng.standard_normal(shape)
    return a.astype(dtype)


def _cases():
    out = []
    shapes = [(10,), (1,), (7, 5), (4, 3000 // 100), (3, 4, 5)]
    k = 0
    for dt in DTYPES:
        for shape in shapes:
            x = _array(shape, dt, k)
            k += 1
            nd = len(shape)
            for ordv in ORDS:
                for ax in list(range(-nd, nd)) + [(nd - 1,), (-1,)]:
                    for keep in (False, True):
                        out.append((x, ordv, ax, keep))
            if nd >= 2 and not (dt is np.float16):
                for ordv in MORDS:
                    for ax in [(0, 1), (1, 0), (-2, -1), (0, -1)]:
                        for keep in (False, True):
                            out.append((x, ordv, ax, keep))
    return out


CASES = _cases()


def _same(got, want):
    assert type(got) is type(want)
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    # numpy's own rounding (and its cancellation in, e.g., sigma_min) bounds the comparison, not ours
    np.testing.assert_allclose(got.astype(np.float64), want.astype(np.float64),
                               rtol=2e-3 if want.dtype == np.float16 else 1e-4, atol=1e-5)


def _check_all(cases):
    for x, ordv, ax, keep in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = np.linalg.norm(x, ord=ordv, axis=ax, keepdims=keep)
            got = nn.norm(x, ord=ordv, axis=ax, keepdims=keep)
        _same(got, want)


def test_alternating_calls_match_numpy():
    # interleave: each case followed by one of another dtype/shape/axis, so nothing cached from one call can leak
    cases = CASES[::2] + CASES[1::2][::-1]
    _check_all(cases)


def test_two_threads_match_numpy():
    errors = []

    def run(cases):
        try:
            for _ in range(2):
                _check_all(cases)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    t = [threading.Thread(target=run, args=(CASES[i::2],)) for i in range(2)]
    for th in t:
        th.start()
    for th in t:
        th.join()
    assert not errors, errors[0]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16, np.complex64, np.complex128, np.int16])
@pytest.mark.parametrize("ordv", [None, 2, 1, -1, 0, 0.5, 3, np.inf, -np.inf])
@pytest.mark.parametrize("axis", [0, -1])
def test_lone_vector_axis_warnings(dtype, ordv, axis):
    """norm(v, axis=0) follows numpy's vector path (warns on overflow / a zero with ord < 0), while norm(v) with
    ord None or 2 is numpy's dot fast path (never warns)."""
    info = np.finfo(dtype) if np.dtype(dtype).kind in "fc" else None
    big = info.max if info is not None else 100
    xs = [np.array([big, big], dtype), np.array([0, 1, 2], dtype), np.array([3, 4], dtype)]
    for x in xs:
        for kw in (dict(axis=axis), dict()):
            with warnings.catch_warnings(record=True) as w_np:
                warnings.simplefilter("always")
                want = np.linalg.norm(x, ord=ordv, **kw)
            with warnings.catch_warnings(record=True) as w_nn:
                warnings.simplefilter("always")
                got = nn.norm(x, ord=ordv, **kw)
            assert [str(m.message) for m in w_nn] == [str(m.message) for m in w_np], (x, kw)
            assert type(got) is type(want)
            if np.isfinite(want):
                np.testing.assert_allclose(float(got), float(want), rtol=2e-3)
            else:
                assert np.isinf(got) == np.isinf(want)


def test_errors_after_lean_calls():
    x = np.arange(12.0).reshape(3, 4)
    v = np.arange(5.0)
    for _ in range(3):
        nn.norm(v, axis=0)
        nn.norm(x, axis=1, keepdims=True)
        nn.norm(x, axis=(0, 1), ord=1)
        with pytest.raises(np.AxisError):
            nn.norm(v, axis=1)
        with pytest.raises(np.AxisError):
            nn.norm(x, axis=-3)
        with pytest.raises(ValueError, match="Duplicate axes"):
            nn.norm(x, axis=(1, -1))
        with pytest.raises(ValueError, match="Invalid norm order"):
            nn.norm(x, axis=(0, 1), ord=3)
        with pytest.raises(ValueError, match="Invalid norm order 'fro' for vectors"):
            nn.norm(v, axis=0, ord="fro")
        with pytest.raises(ValueError, match="Improper number of dimensions"):
            nn.norm(x, axis=(0, 1, 0))
        with pytest.raises(ValueError):
            nn.norm(np.zeros(0), axis=0, ord=-np.inf)
        assert nn.norm(np.zeros(0), axis=0) == np.linalg.norm(np.zeros(0), axis=0)
        with pytest.raises(TypeError):
            nn.norm(v, axis=(0.5,))
