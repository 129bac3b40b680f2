"""ord=nan: NumPy forms sum(|x|**nan)**(1/nan), and 1**nan = 1 is the only power that is not NaN, so the norm is
1.0 exactly when one element of magnitude 1 is reduced (in the precision of |x|), else NaN. Compared value, dtype
and type with NumPy for every dtype and for axis reductions."""
import warnings

import numpy as np
import pytest

import normnative

CASES = [[1.0], [-1.0], [1.0, 1.0], [2.0], [0.0], [1j], [0.6 + 0.8j], [1, 0], [np.inf], [np.nan], [True], [-1],
         [1.0000000000000002], [0.9999999999999999], []]
DTYPES = [None, np.float32, np.float16, np.complex64, np.complex128, np.longdouble, np.int8, np.bool_]


def _same(a, b):
    assert type(a) is type(b)
    assert np.asarray(a).dtype == np.asarray(b).dtype
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))  # NaN equals NaN here


def _arrays():
    """Every case that is representable in the dtype (complex values only in complex dtypes, finite ones only in
    integer/bool dtypes)."""
    out = []
    for dt in DTYPES:
        kind = np.dtype(dt).kind if dt is not None else "f"
        for x in CASES:
            if kind != "c" and any(isinstance(v, complex) for v in x):
                continue
            if kind in "iub" and not all(np.isfinite(v) for v in x):
                continue
            out.append(pytest.param(x, dt, id=f"{np.dtype(dt).name if dt else 'default'}-{x!r}"))
    return out


@pytest.mark.parametrize("x,dt", _arrays())
def test_vector_ord_nan_matches_numpy(x, dt):
    a = np.array(x, dtype=dt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _same(normnative.norm(a, np.nan), np.linalg.norm(a, np.nan))


def test_axis_ord_nan_matches_numpy():
    a = np.array([[1.0, 2.0], [-1.0, 0.5], [1.0, 0.0]])
    for axis in (0, 1):
        _same(normnative.norm(a, np.nan, axis=axis), np.linalg.norm(a, np.nan, axis=axis))
    col = np.array([[1.0], [-1.0], [3.0]])
    _same(normnative.norm(col, np.nan, axis=1), np.linalg.norm(col, np.nan, axis=1))
