"""The lean paths for numeric ords (norm(x, ord) on 1-D arrays, norm(x, ord, axis=int),
vector_norm(x, ord=..., axis=None/int)): same values (bits), result types, shapes, warnings and
exceptions as the descriptor path (the `_use_descriptors` hook) and the same types, shapes,
warnings and exceptions as NumPy, for every case they take and every case they hand on."""
import warnings
import zlib

import numpy as np
import pytest

import normnative
from normnative import _norm

RNG = np.random.default_rng(23)
INF = float("inf")
ORDS = [1, 2, 3, -1, -2, 0, INF, -INF, 0.5, 2.5, -0.5, 1.0, 3.0, float("nan")]
DTYPES = [np.float64, np.float32, np.float16, np.complex128, np.complex64, np.int8, np.int64,
          np.uint16, np.bool_]


def _array(dt, shape, special=None):
    rng = np.random.default_rng(zlib.crc32(f"{np.dtype(dt).name}{shape}".encode()))  # same data in any selection
    x = rng.standard_normal(shape) * 7
    if np.dtype(dt).kind == "c":
        x = x + 1j * rng.standard_normal(shape)
    x = x.astype(dt)
    if special is not None and x.size:
        x.reshape(-1)[x.size // 2] = special
    return x


def _run(f):
    """(kind, value or exception, [(category, message)]) for f()."""
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            return "ok", f(), [(x.category, str(x.message)) for x in w]
        except Exception as e:  # noqa: BLE001
            return "raise", e, [(x.category, str(x.message)) for x in w]


def _descr(f):
    _norm._use_descriptors(True)
    try:
        return _run(f)
    finally:
        _norm._use_descriptors(False)


def _check(f_ours, f_numpy, value_rtol=None):
    k1, r1, w1 = _run(f_ours)
    k2, r2, w2 = _descr(f_ours)
    k3, r3, w3 = _run(f_numpy) if f_numpy is not None else (k1, r1, w1)
    assert k1 == k2 == k3, (r1, r2, r3)
    assert w1 == w2  # identical warnings, lean or descriptor path
    if f_numpy is not None:
        assert [c for c, _ in w1] == [c for c, _ in w3]
    if k1 == "raise":
        assert type(r1) is type(r2) is type(r3)
        assert str(r1) == str(r2)
        return
    assert type(r1) is type(r2) is type(r3)
    assert np.shape(r1) == np.shape(r2) == np.shape(r3)
    assert np.asarray(r1).dtype == np.asarray(r2).dtype == np.asarray(r3).dtype
    assert np.asarray(r1).tobytes() == np.asarray(r2).tobytes()  # bit-identical to the descriptor path
    if value_rtol is not None:
        np.testing.assert_allclose(np.asarray(r1, np.float64), np.asarray(r3, np.float64), rtol=value_rtol,
                                   equal_nan=True)


def _rtol(dt, ord):
    if np.dtype(dt) == np.float16 or isinstance(ord, int) and abs(ord) > 10 or ord != ord:
        # numpy computes float16 in float16; huge ords are NaN/inf-prone there; ord NaN: numpy's
        # 1**nan == 1 vs the library's NaN (the same on both of our paths, compared bitwise)
        return None
    return 2e-5 if np.dtype(dt) in (np.float32, np.complex64) else 1e-12


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("n", [0, 1, 10, 37])
@pytest.mark.parametrize("ord", ORDS)
def test_norm_1d_numeric_ord(dt, n, ord):
    x = _array(dt, (n,))
    _check(lambda: normnative.norm(x, ord), lambda: np.linalg.norm(x, ord), _rtol(dt, ord))


@pytest.mark.parametrize("dt", [np.float64, np.float32, np.complex64, np.float16])
@pytest.mark.parametrize("special", [0.0, np.nan, np.inf, -np.inf, 5e-324, 1e300])
@pytest.mark.parametrize("ord", [1, 2, 3, -1, -2, 0, INF, -INF, 0.5, -0.5])
def test_norm_1d_special_values(dt, special, ord):
    with np.errstate(all="ignore"):
        x = _array(dt, (10,), special)
    # values may differ from numpy here by design (no spurious overflow/underflow): compare
    # types, warnings and exceptions with numpy, bits with the descriptor path
    _check(lambda: normnative.norm(x, ord), None)
    k, r, w = _run(lambda: normnative.norm(x, ord))
    kn, rn, wn = _run(lambda: np.linalg.norm(x, ord))
    assert k == kn and type(r) is type(rn)
    if special == 0.0 and ord in (-1, -2, -0.5):
        assert r == 0 and [c for c, _ in w] == [RuntimeWarning] == [c for c, _ in wn]
        assert w[0][1] == wn[0][1]  # "divide by zero encountered in reciprocal/power"


@pytest.mark.parametrize("ord", [-1, -2, -0.5, -3])
def test_negative_ord_zero_warns_and_errstate_is_honoured(ord):
    x = np.array([3.0, 0.0, 4.0])
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        assert normnative.norm(x, ord) == 0.0
    with np.errstate(divide="raise"):
        with pytest.raises(FloatingPointError):
            normnative.norm(x, ord)
        with pytest.raises(FloatingPointError):
            np.linalg.norm(x, ord)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(divide="ignore"):
            assert normnative.norm(x, ord) == 0.0


def test_overflow_on_lean_path_reports_like_general_path():
    x = np.full(4, 3e38, np.float32)
    k, r, w = _run(lambda: normnative.norm(x, 3))
    assert k == "ok" and r == np.float32(INF) and type(r) is np.float32
    assert w == _descr(lambda: normnative.norm(x, 3))[2] and w and w[0][0] is RuntimeWarning
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # exact result representable: no warning (unlike numpy)
        r = normnative.norm(np.full(4, 1e300), 3)
    np.testing.assert_allclose(r, 4 ** (1 / 3) * 1e300, rtol=1e-15)


@pytest.mark.parametrize("ord", [1, 3, INF, -INF, 0, 0.5, -1])
@pytest.mark.parametrize("shape", [(), (2, 3), (2, 3, 4), (0, 3)])
def test_norm_not_1d_numeric_ord_is_numpy(ord, shape):
    """0-d: "Improper number of dimensions"; 2-D: matrix norms (0, 3, 0.5 invalid); 3-D: error."""
    x = _array(np.float64, shape)
    _check(lambda: normnative.norm(x, ord), lambda: np.linalg.norm(x, ord), 1e-12)


@pytest.mark.parametrize("dt", [np.float64, np.float32, np.complex128, np.complex64, np.float16, np.int32])
@pytest.mark.parametrize("ord", [1, -1, 2, -2, INF, -INF])
@pytest.mark.parametrize("shape", [(3, 4), (1, 1), (0, 3), (3, 0)])
def test_matrix_ord_zero_results(dt, ord, shape):
    """Zero matrices (a 0 result is returned by the lean matrix path at once since session 17; it used to redo the call
    through the general path) and empty ones (numpy's errors): the descriptor path's bits, numpy's types and
    exceptions, no warnings; a zero matrix with one negative zero too."""
    x = np.zeros(shape, dt)
    if x.size:
        x.reshape(-1)[0] = -0.0
    f_numpy = None if np.dtype(dt) == np.float16 and ord in (2, -2) else (lambda: np.linalg.norm(x, ord))
    _check(lambda: normnative.norm(x, ord), f_numpy)


@pytest.mark.parametrize("ord", [True, np.float64(3), np.int64(-1), "fro", "nuc", 1 + 0j, "x"])
def test_other_ord_types_take_the_general_path(ord):
    x = _array(np.float64, (5,))
    _check(lambda: normnative.norm(x, ord), lambda: np.linalg.norm(x, ord))


@pytest.mark.parametrize("dt", [np.float64, np.float32, np.complex64, np.float16, np.int32, np.bool_])
@pytest.mark.parametrize("ord", [1, 2, 3, -1, 0, INF, -INF, 0.5, -0.5, 2.5])
@pytest.mark.parametrize("shape,axis", [((7,), 0), ((7,), -1), ((3, 4), 0), ((3, 4), 1), ((3, 4), -2),
                                        ((2, 3, 4), 1), ((3, 0), 1), ((0, 3), 1), ((3, 4), 2), ((3, 4), -3)])
def test_norm_axis_int_numeric_ord(dt, ord, shape, axis):
    x = _array(dt, shape)
    _check(lambda: normnative.norm(x, ord, axis=axis), lambda: np.linalg.norm(x, ord, axis=axis),
           _rtol(dt, ord))
    _check(lambda: normnative.norm(x, ord, axis=axis, keepdims=True),
           lambda: np.linalg.norm(x, ord, axis=axis, keepdims=True), _rtol(dt, ord))


def test_axis_int_zero_negative_ord_warns():
    x = np.array([[1.0, 0.0], [2.0, 3.0]], np.float32)
    for ord in (-1, -0.5):
        k, r, w = _run(lambda: normnative.norm(x, ord, axis=1))
        kn, rn, wn = _run(lambda: np.linalg.norm(x, ord, axis=1))
        assert w == wn and r.dtype == rn.dtype and r[0] == 0
        assert w == _descr(lambda: normnative.norm(x, ord, axis=1))[2]


def _np_vector_norm(x, axis=None, keepdims=False, ord=2):
    """numpy 2.x's vector_norm semantics written with numpy 1.24's norm (tests only)."""
    x = np.asarray(x)
    if axis is None:
        y = x.ravel()
        r = np.linalg.norm(y, ord)
        if keepdims:
            r = np.reshape(r, (1,) * x.ndim)
        return r
    return np.linalg.norm(x, ord, axis=axis, keepdims=keepdims)


@pytest.mark.parametrize("dt", [np.float64, np.float32, np.complex128, np.float16, np.int16])
@pytest.mark.parametrize("ord", [1, 2, 3, -1, 0, INF, -INF, 0.5, -2.5])
@pytest.mark.parametrize("shape", [(), (1,), (10,), (3, 4), (2, 3, 2), (0,), (2, 0)])
@pytest.mark.parametrize("axis", [None, 0, -1, 5])
def test_vector_norm_numeric_ord(dt, ord, shape, axis):
    x = _array(dt, shape)
    if axis is not None and not shape:
        axis = None
    _check(lambda: normnative.vector_norm(x, ord=ord, axis=axis),
           lambda: _np_vector_norm(x, ord=ord, axis=axis), _rtol(dt, ord))
    _check(lambda: normnative.vector_norm(x, ord=ord, axis=axis, keepdims=True),
           lambda: _np_vector_norm(x, ord=ord, axis=axis, keepdims=True), _rtol(dt, ord))


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_lean_ord_is_independent_of_threads_and_offsets(threads):
    """Correctly rounded results are unique: same bits for any thread count or offset view."""
    old = normnative.get_num_threads() if hasattr(normnative, "get_num_threads") else None
    base = RNG.standard_normal(70001)
    try:
        if hasattr(normnative, "set_num_threads"):
            normnative.set_num_threads(threads)
        for ord in (1, 3, INF, -INF, 0.5, 2.5, -1):
            for off in (0, 1, 3):
                x = base[off:off + 70000 - off]
                r = normnative.norm(x, ord)
                _norm._use_descriptors(True)
                try:
                    r2 = normnative.norm(x, ord)
                finally:
                    _norm._use_descriptors(False)
                assert r.tobytes() == r2.tobytes()
    finally:
        if old is not None:
            normnative.set_num_threads(old)


def test_the_lean_paths_are_taken(monkeypatch):
    """Ordinary calls never reach the general path (so the tests above compare two paths)."""
    assert _norm.LEAN_PATH

    def general(*a, **k):
        raise AssertionError("general path")

    monkeypatch.setattr(_norm, "_norm", general)
    monkeypatch.setattr(_norm, "_prepare", general)
    for dt in (np.float64, np.float32, np.complex128, np.complex64, np.float16, np.int32):
        x = _array(dt, (10,)) if dt != np.int32 else np.arange(-5, 5, dtype=dt) + 11  # no zero
        for ord in (1, 3, INF, -INF, 0, 0.5, -1, 2.5):
            normnative.norm(x, ord)
            normnative.norm(x.reshape(2, 5), ord, axis=1)
            normnative.vector_norm(x.reshape(2, 5), ord=ord)
            normnative.vector_norm(x.reshape(2, 5), ord=ord, axis=-1)
    # a zero (or an empty vector) with a negative ord: the lean paths return the value and warn as numpy does,
    # from the one call's events (no second call)
    z = np.array([[1.0, 0.0], [2.0, 3.0]])
    for f in (lambda: normnative.norm(z[0], -1), lambda: normnative.norm(z, -1, axis=1),
              lambda: normnative.norm(z, -1, axis=1, keepdims=True), lambda: normnative.norm(z[0], -0.5, axis=(0,)),
              lambda: normnative.vector_norm(z, ord=-1, axis=-1), lambda: normnative.norm(np.zeros(0), -1)):
        with pytest.warns(RuntimeWarning, match="divide by zero"):
            f()
    with pytest.raises(AssertionError):  # numpy's error for an empty max reduction: the general path
        normnative.norm(np.zeros(0), INF)


def test_events_cost_one_native_call(monkeypatch):
    """A result that comes with a floating-point event (a zero element with a negative ord) is returned and
    reported from its one native call: the vector is not read again."""
    calls = []
    lean, lean_vector = _norm._lean, _norm._lean_vector
    monkeypatch.setattr(_norm, "_lean", lambda *a: calls.append("full") or lean(*a))
    monkeypatch.setattr(_norm, "_lean_vector", lambda *a: calls.append("vector") or lean_vector(*a))
    x = np.arange(-20, 20, dtype=np.int8)  # holds a zero
    for f, n in ((lambda: normnative.norm(x, -1), 1), (lambda: normnative.norm(x.reshape(4, 10), -1, axis=1), 1),
                 (lambda: normnative.vector_norm(x, ord=-1.5), 1), (lambda: normnative.norm(x, -1, keepdims=True), 1)):
        calls.clear()
        with pytest.warns(RuntimeWarning, match="divide by zero"):
            assert np.any(f() == 0)
        assert len(calls) == n, calls


MATRIX_ORDS = [1, -1, 2, -2, INF, -INF, 1.0, -2.0, "fro", "f", "nuc", 0, 3, 0.5, "x", None]


@pytest.mark.parametrize("dt", [np.float64, np.float32, np.float16, np.complex128, np.complex64, np.int16, np.bool_])
@pytest.mark.parametrize("shape", [(3, 4), (4, 3), (1, 1), (5, 5), (0, 3), (3, 0), (0, 0)])
@pytest.mark.parametrize("ord", MATRIX_ORDS)
def test_norm_2d_matrix_ords(dt, shape, ord):
    x = _array(dt, shape)
    rtol = None if np.dtype(dt) == np.float16 else 2e-5 if np.dtype(dt) in (np.float32, np.complex64) else 1e-12
    if ord == -2 and x.size:  # sigma_min of a singular matrix: compare with an absolute tolerance
        k, r, _ = _run(lambda: normnative.norm(x, ord))
        if k == "ok":
            assert abs(float(r) - float(np.linalg.norm(x, ord))) <= 1e-5 * float(np.linalg.norm(x.astype(complex)))
        rtol = None
    _check(lambda: normnative.norm(x, ord), lambda: np.linalg.norm(x, ord), rtol)
    _check(lambda: normnative.norm(x.T, ord), lambda: np.linalg.norm(x.T, ord), rtol)  # a strided view


@pytest.mark.parametrize("dt", [np.float64, np.float32, np.complex64])
@pytest.mark.parametrize("special", [0.0, np.nan, np.inf, 5e-324, 1e300])
@pytest.mark.parametrize("ord", [1, -1, 2, -2, INF, -INF, "fro", "nuc"])
def test_norm_2d_special_values(dt, special, ord):
    with np.errstate(all="ignore"):
        x = _array(dt, (3, 4), special)
    _check(lambda: normnative.norm(x, ord), None)
    k, r, _ = _run(lambda: normnative.norm(x, ord))
    kn, rn, _ = _run(lambda: np.linalg.norm(x, ord))
    assert k == kn and type(r) is type(rn)


def test_matrix_overflow_warns_on_lean_path_like_general_path():
    x = np.full((3, 3), 2e38, np.float32)  # every matrix norm > float32 max
    for ord in (1, INF, 2, "nuc"):
        k, r, w = _run(lambda: normnative.norm(x, ord))
        assert k == "ok" and r == np.float32(INF) and w and w[0][0] is RuntimeWarning
        assert w == _descr(lambda: normnative.norm(x, ord))[2]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # sigma_min of a rank-1 matrix: 0, representable, no warning
        assert normnative.norm(x, -2) < 1e-30 * 6e38


def test_the_lean_matrix_paths_are_taken(monkeypatch):
    def general(*a, **k):
        raise AssertionError("general path")

    monkeypatch.setattr(_norm, "_norm", general)
    for dt in (np.float64, np.float32, np.complex128, np.complex64, np.int32):
        x = np.arange(1, 13, dtype=dt).reshape(3, 4)
        for ord in (1, -1, 2, -2, INF, -INF, "fro", "nuc"):
            assert normnative.norm(x, ord) > 0
    x16 = np.arange(1, 13, dtype=np.float16).reshape(3, 4)
    for ord in (1, -1, INF, -INF, "fro"):
        assert normnative.norm(x16, ord) > 0
    with pytest.raises(AssertionError):  # float16 has no SVD in numpy: its TypeError comes from there
        normnative.norm(x16, 2)
