"""Differential tests: normnative.norm against the installed numpy.linalg.norm.

For every call both the outcome kind (value or exception), the exception class and message, the
Python result type, dtype, shape, the warnings and the value are compared. Values must agree with
NumPy within a tolerance scaled to the dtype; where NumPy over- or underflows (its value is far
from the exact one) NormNative must agree with the exact reference (mpmath) instead.
"""
import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import normnative
from _reference import matrix_ref, vector_ref

NP_NORM = np.linalg.linalg.norm  # the original function, even while another module patches np.linalg.norm

try:
    from numpy.exceptions import AxisError
except ImportError:
    from numpy import AxisError

_RTOL = {np.dtype(np.float16): 2e-3, np.dtype(np.float32): 2e-6, np.dtype(np.float64): 1e-13,
         np.dtype(np.longdouble): 1e-13}


def outcome(f, *args, **kw):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            r = f(*args, **kw)
        except Exception as e:  # noqa: BLE001 - we compare exceptions
            return "raise", e, sorted({str(x.message) for x in w if x.category is RuntimeWarning})
    return "ok", r, sorted({str(x.message) for x in w if x.category is RuntimeWarning})


def _exact(x, ord, axis, keepdims, like):
    """Exact norms per output position, as an object array shaped like numpy's result."""
    x = np.asarray(x)
    if x.dtype.kind not in "fc":
        x = x.astype(float)
    nd = x.ndim
    if axis is None:
        if ord is None or (ord in ("f", "fro") and nd == 2) or (ord == 2 and nd == 1):
            return np.array(float(vector_ref(x.ravel(), 2)))
        axis = tuple(range(nd))
    elif not isinstance(axis, tuple):
        axis = (int(axis),)
    if len(axis) == 1:
        a = axis[0] % nd
        moved = np.moveaxis(x, a, -1)
        p = 2.0 if ord is None else float(ord)
        flat = moved.reshape(-1, moved.shape[-1]) if moved.size else np.zeros((int(np.prod(moved.shape[:-1])), 0))
        vals = [float(vector_ref(v, p)) for v in flat]
        return np.array(vals, dtype=float).reshape(moved.shape[:-1])
    r, c = (a % nd for a in axis)
    moved = np.moveaxis(x, (r, c), (-2, -1))
    kind = "fro" if ord in (None, "f") else ord
    batch = moved.reshape((-1,) + moved.shape[-2:])
    vals = [float(matrix_ref(m, kind)) for m in batch]
    return np.array(vals, dtype=float).reshape(moved.shape[:-2])


def _close(got, want, dtype, ord, shape2=None, scale=0.0):
    got = np.asarray(got, dtype=float)
    want = np.asarray(want, dtype=float)
    if got.shape != want.shape:
        return False
    rtol = _RTOL.get(np.dtype(dtype), 1e-13)
    if ord in (-2,) and shape2 is not None:
        # the smallest singular value of a (near) rank-deficient matrix is noise in LAPACK
        atol = 10 * max(shape2) * np.finfo(dtype).eps * scale
    else:
        atol = 0
    same_nan = np.isnan(got) == np.isnan(want)
    same_inf = (np.isinf(got) == np.isinf(want))
    fin = np.isfinite(got) & np.isfinite(want)
    ok = same_nan.all() and same_inf.all() and (got[np.isinf(got)] == want[np.isinf(want)]).all()
    if not ok:
        return False
    tiny = np.finfo(dtype).tiny
    return bool(np.all(np.abs(got[fin] - want[fin]) <= rtol * np.abs(want[fin]) + atol + 4 * tiny * rtol))


def check_call(x, ord=None, axis=None, keepdims=False):
    k1, r1, w1 = outcome(normnative.norm, x, ord=ord, axis=axis, keepdims=keepdims)
    k2, r2, w2 = outcome(NP_NORM, x, ord=ord, axis=axis, keepdims=keepdims)
    ctx = f"x={x!r} ord={ord!r} axis={axis!r} keepdims={keepdims!r}"
    if k2 == "raise" and str(r2).startswith("On entry to") and k1 == "ok":
        # LAPACK's xerbla on inf input (OpenBLAS, complex SVD): backend-dependent; NormNative
        # gives nan as NumPy does for real inf input (a deliberate difference)
        assert np.any(np.isnan(np.asarray(r1))), f"numpy raised {r2!r}, normnative returned {r1!r}; {ctx}"
        return
    if k2 == "raise":
        assert k1 == "raise", f"numpy raised {r2!r}, normnative returned {r1!r}; {ctx}"
        assert type(r1) is type(r2), f"{type(r1)} vs {type(r2)}: {r1} / {r2}; {ctx}"
        assert str(r1) == str(r2), ctx
        return
    assert k1 == "ok", f"normnative raised {r1!r}, numpy returned {r2!r}; {ctx}"
    assert type(r1) is type(r2), f"{type(r1)} vs {type(r2)}; {ctx}"
    a1, a2 = np.asarray(r1), np.asarray(r2)
    assert a1.dtype == a2.dtype and a1.shape == a2.shape, f"{a1.dtype}{a1.shape} vs {a2.dtype}{a2.shape}; {ctx}"
    xa = np.asarray(x)
    shape2 = None
    if isinstance(axis, tuple) and len(axis) == 2:
        shape2 = (xa.shape[axis[0]], xa.shape[axis[1]])
    elif axis is None and xa.ndim == 2 and ord not in (None, "f", "fro"):
        shape2 = xa.shape
    scale = 0.0
    if shape2 is not None and xa.size and xa.dtype.kind in "biufc":
        with np.errstate(all="ignore"):
            scale = float(np.max(np.abs(xa.astype(np.complex128)))) * math.sqrt(shape2[0] * shape2[1])  # >= sigma_max
    if _close(a1, a2, a1.dtype, ord, shape2, scale):
        _check_warnings(w1, w2, xa, ctx)
        return
    # numpy and normnative disagree: only allowed where numpy is the one far from the exact value
    exact = _exact(x, ord, axis, keepdims, a2).reshape(a2.shape)
    assert not _close(a2, exact, a2.dtype, ord, shape2, scale), f"normnative {a1!r} != numpy {a2!r} (= exact); {ctx}"
    assert _close(a1, exact, a1.dtype, ord, shape2, scale), f"normnative {a1!r} != exact {exact!r}; {ctx}"


def _check_warnings(ours, theirs, xa, ctx):
    """Same RuntimeWarnings as numpy, except two deliberate omissions: numpy's complex multiply
    warns "invalid value" for inf*0 inside x*conj(x), and its intermediate overflow warnings
    when an input element is already inf or nan (NormNative warns only for a finite exact result
    that does not fit the result dtype)."""
    extra = set(ours) - set(theirs)
    assert not extra, f"warnings {ours} vs numpy {theirs}; {ctx}"
    nonfinite = xa.dtype.kind in "fc" and xa.size and not np.all(np.isfinite(xa))
    for m in set(theirs) - set(ours):
        allowed = m == "invalid value encountered in multiply" or (nonfinite and m.startswith("overflow"))
        assert allowed, f"warnings {ours} vs numpy {theirs}; {ctx}"


# ----------------------------------------------------------------------------------------------
# hypothesis: dtypes x shapes (incl. zero-size) x views x ords x axes x keepdims x special values

DTYPES = [np.bool_, np.int8, np.int32, np.int64, np.uint8, np.uint64, np.float16, np.float32, np.float64,
          np.complex64, np.complex128, np.longdouble]
ORDS = [None, "fro", "nuc", "f", np.inf, -np.inf, 0, 1, -1, 2, -2, 3, 0.5, -0.5, 2.5, True, False,
        np.float32(2), np.int64(1), math.nan, "foo"]
SPECIAL = [0.0, -0.0, 1.0, -1.0, 2.5, -3.0, 0.1, 7.0, 1e-3, 100.0]
SPECIAL_WIDE = [math.nan, math.inf, -math.inf, "huge", "tiny"]


@st.composite
def arrays(draw):
    dt = np.dtype(draw(st.sampled_from(DTYPES)))
    nd = draw(st.integers(0, 3))
    shape = tuple(draw(st.lists(st.integers(0, 4), min_size=nd, max_size=nd)))
    n = int(np.prod(shape))
    if dt.kind in "biu":
        info = np.iinfo(dt) if dt.kind != "b" else None
        vals = draw(st.lists(st.integers(0, 1) if dt.kind == "b" else
                             st.one_of(st.integers(-3, 3).map(lambda v: max(v, info.min)),
                                       st.sampled_from([int(info.min), int(info.max)])), min_size=n, max_size=n))
        x = np.array(vals, dtype=dt).reshape(shape)
    else:
        fi = np.finfo(dt)
        pool = SPECIAL + (SPECIAL_WIDE if draw(st.booleans()) else [])
        vals = []
        for v in draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n)):
            if v == "huge":
                v = float(fi.max) / 4
            elif v == "tiny":
                v = float(fi.tiny) * 2
            vals.append(v)
        x = np.array(vals, dtype=dt).reshape(shape)
        if dt.kind == "c" and n:
            im = draw(st.lists(st.sampled_from(SPECIAL), min_size=n, max_size=n))
            x = x + 1j * np.array(im, dtype=x.real.dtype).reshape(shape)
            x = x.astype(dt)
    view = draw(st.sampled_from(["c", "T", "step", "rev", "F", "bcast"]))
    if view == "T":
        x = x.T
    elif view == "step" and nd:
        x = np.repeat(x, 2, axis=0)[::2]
    elif view == "rev" and nd:
        x = x[::-1]
    elif view == "F":
        x = np.asfortranarray(x)
    elif view == "bcast" and nd < 3:
        x = np.broadcast_to(x, (2,) + x.shape)
    return x


@st.composite
def axes_for(draw, nd):
    kind = draw(st.sampled_from(["none", "none", "int", "tuple1", "tuple2", "tuple2", "bad"]))
    if kind == "none":
        return None
    if kind == "int":
        return draw(st.integers(-nd - 1, nd))
    if kind == "tuple1":
        return (draw(st.integers(-nd - 1, nd)),)
    if kind == "tuple2":
        return (draw(st.integers(-nd, nd - 1 if nd else 0)), draw(st.integers(-nd, nd - 1 if nd else 0)))
    return draw(st.sampled_from([(), (0, 1, 2), (0, 0)]))


@settings(max_examples=700, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_differential(data):
    x = data.draw(arrays())
    ord = data.draw(st.sampled_from(ORDS))
    axis = data.draw(axes_for(x.ndim))
    keepdims = data.draw(st.booleans())
    with np.errstate(all="warn", under="ignore"):
        check_call(x, ord, axis, keepdims)


# ----------------------------------------------------------------------------------------------
# targeted cases from the specification

A = np.array([[1.0, 2.0], [3.0, -4.0]])
B = np.arange(1.0, 25.0).reshape(2, 3, 4)
V = np.array([3.0, -4.0])

SPEC_CASES = [
    # (x, ord, axis, keepdims)
    ([3, 4], None, None, False), ((3, 4), None, None, False), ([[1, 2], [3, 4]], None, None, False),
    (3, None, None, False), (-3.5, None, None, False), (True, None, None, False), (3 + 4j, None, None, False),
    (np.float32(-2), None, None, False), (np.array(5), None, None, True), (np.array(-5.0), 2, None, False),
    (np.array(-5.0), 1, None, False), (3, 1, None, False), (np.array(5), None, 0, False),
    ([], None, None, False), ([[]], None, None, False),
    (np.array(["1", "2"]), None, None, False), (np.array([b"1", b"2"]), None, None, False),
    (np.array([1, 2], "m8[s]"), None, None, False), (np.array([1, 2], "M8[s]"), None, None, False),
    (np.zeros(3, dtype=[("a", "f8")]), None, None, False), (["a", "b"], None, None, False),
    ([[1, 2], [3]], None, None, False),
    (np.array([3, 4], dtype=">f8"), None, None, False), (np.array([[3, 4], [1, 2]], dtype=">f8"), 2, None, False),
    # ord values
    *[(V, o, None, False) for o in [None, 2, 2.0, np.int64(2), np.float32(2), 2 + 0j, True, False, 0, 0.0,
                                   -0.0, 1, 1.0, np.inf, float("inf"), np.float32(np.inf), -np.inf, -1, -2, 3,
                                   3.5, 0.5, -3, -0.5, math.nan, 1j, "fro", "f", "nuc", "inf", "FRO", "foo", "",
                                   1000, 1e308, -1000, 1e-300, np.array(2)]],
    *[(A, o, None, False) for o in [None, 2, 2.0, np.int64(2), True, False, 0, 1, np.inf, -np.inf, -1, -2, 3,
                                   3.5, 0.5, math.nan, 1j, "fro", "f", "nuc", "F", "Fro", "foo", "inf", [1, 2]]],
    # axis values
    *[(A, None, ax, False) for ax in [0, -1, np.int64(1), np.array(1), np.array([1]), 1.7, "1", True, [0],
                                     [0, 1], np.array([0, 1]), (0,), (1.5,), (0, 1), (1, 0), (-2, -1), (0, 0),
                                     (0, -2), (0, 1.0), (), (0, 1, 0), 2, -3, (0, 2), (2, 0)]],
    (A, 1, (1, 0), False), (A, np.inf, (1, 0), False), (A, "nuc", (0, 5), False), (A, "fro", 0, False),
    (A, "nuc", 1, False), (A, "fro", 5, False), (A, 3, (0, 0), False), (A, "foo", (0, 5), False),
    (A, "foo", (0, 0), False), (V, None, 1, False), (V, None, (0, 1), False), (V, 2, (0, 1), False),
    (B, 3, (1, 2), False), (B, 0, (1, 2), False), (B, "foo", (1, 2), False), (B, None, (1, 2), False),
    (B, 1, (2, 1), False), (B, np.inf, (1, 2), False), (B, 2, (0, 2), False), (B, "nuc", (-1, 0), False),
    (B, -2, (-1, -2), False), (B, 1, None, False), (B, "fro", None, False),
    # keepdims quirks on each path
    (B, None, None, True), (B, None, 1, True), (B, 0, -1, True), (B, None, (2, 0), True), (B, "nuc", (0, 1), True),
    (A, None, 0, 1.5), (A, None, 0, np.float32(1)), (A, None, 0, np.True_), (np.array([0.0, 1.0]), -1, 5, False),
    (np.array([0.0, 1.0]), -2, 5, False), (np.array([0.0, 1.0]), -np.inf, 5, False),
    (A, 2, None, True), (A, None, None, 1), (A, None, None, 0), (A, None, None, None), (A, None, 0, None),
    (A, 2, None, None), (A, None, None, "yes"), (A, None, 0, "yes"), (A, "fro", (0, 1), "yes"),
    # dtypes x SVD
    *[(np.array([[1, 0, 1], [0, 1, 1]], dtype=dt), o, None, False)
      for dt in ["?", "i1", "u8", "f2", "f4", "f8", "g", "F", "D", "G"] for o in [None, "fro", 1, -1, 2, -2, "nuc", np.inf]],
    *[(np.array([1, 0, 1], dtype=dt), o, None, False)
      for dt in ["?", "i1", "u8", "f2", "f4", "f8", "g", "F", "D", "G"] for o in [None, 0, 1, 2, 3, 0.5, -1, -2, np.inf, -np.inf]],
    # empties (numpy 1.24 table)
    *[(np.zeros(s), o, None, False) for s in [(0,), (0, 3), (3, 0), (0, 0)]
      for o in [None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf, 0, 3, 0.5]],
    *[(np.zeros((0, 3)), o, ax, kd) for o in [None, 2, 1, 0, 3, np.inf, -np.inf] for ax in [0, 1] for kd in [False, True]],
    *[(np.zeros((0, 0)), o, ax, False) for o in [None, np.inf, -np.inf] for ax in [0, 1]],
    *[(np.zeros(s), o, (1, 2), False) for s in [(0, 2, 2), (2, 0, 3), (2, 3, 0)]
      for o in [None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]],
    (np.zeros((2, 0, 3)), 2, (0, 2), True), (np.zeros((0, 2, 2)), None, None, True),
    (np.zeros(0, np.int32), -1, None, False), (np.zeros(0, np.complex64), 2, None, False),
    # nan / inf / signed zero / negative ords with zeros
    *[(np.array(v), o, None, False) for v in [[1, np.nan, 2], [1, np.inf, 2], [1, -np.inf, np.nan], [0, np.inf],
                                             [np.inf, np.inf], [np.nan], [complex(np.nan, 0), 1],
                                             [complex(np.inf, np.nan), 1], [-0.0, -0.0], [0.0, 2.0]]
      for o in [None, 1, 0, np.inf, -np.inf, 3, 0.5, -1, -2]],
    *[(np.array(m), o, None, False) for m in [[[1, np.nan], [3, 4]], [[1, np.inf], [3, 4]], [[np.inf, 0], [0, 1]], [[-0.0]]]
      for o in [None, "nuc", 1, -1, 2, -2, np.inf, -np.inf]],
    # integer extremes
    (np.array([-128], np.int8), None, None, False), (np.array([-128], np.int8), 3, None, False),
    (np.array([np.iinfo(np.int64).min]), 1, None, False), (np.array([2**63 - 1] * 2), None, None, False),
    (np.array([np.iinfo(np.uint64).max], np.uint64), None, None, False),
    (np.array([[-128, 127], [0, 1]], np.int8), 2, None, False),
    # complex
    (np.array([[1 + 1j, 2], [0, -3j]]), None, None, False), (np.array([3 + 4j, -1j, 0]), 3, None, False),
    (np.array([3 + 4j, -1j, 0]), -1, None, False),
]


@pytest.fixture(params=["lean", "descriptors"])
def call_path(request):
    """Both ways into the library: the lean object-reading path and the C ABI descriptors."""
    from normnative import _norm
    _norm._use_descriptors(request.param == "descriptors")
    try:
        yield request.param
    finally:
        _norm._use_descriptors(False)


def test_lean_path_is_active():
    from normnative import _norm
    assert _norm.LEAN_PATH, "the ndarray layout check failed at import"


@pytest.mark.parametrize("case", range(len(SPEC_CASES)))
def test_spec_case(case, call_path):
    x, ord, axis, keepdims = SPEC_CASES[case]
    check_call(x, ord, axis, keepdims)


def test_matrix_and_masked_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        m = np.matrix([[1, 2], [3, 4]])
    for o in [None, "fro", 1, np.inf, 2, "nuc"]:
        check_call(m, o)
    ma = np.ma.array([3, 4, 100], mask=[0, 0, 1])
    assert normnative.norm(ma) == NP_NORM(ma)  # the mask is ignored, as by numpy
    check_call(ma, 1)


def test_object_arrays_raise_a_clear_type_error():
    with pytest.raises(TypeError, match="object arrays are not supported"):
        normnative.norm(np.array([3, 4], dtype=object))
    with pytest.raises(TypeError, match="object arrays are not supported"):
        normnative.norm([1, None])


def test_axis_error_class_is_numpys():
    with pytest.raises(AxisError) as e:
        normnative.norm(A, axis=2)
    assert isinstance(e.value, ValueError) and isinstance(e.value, IndexError)
    assert str(e.value) == "axis 2 is out of bounds for array of dimension 2"


def test_linalg_error_on_nan_svd():
    with pytest.raises(np.linalg.LinAlgError, match="SVD did not converge"):
        normnative.norm(np.array([[1, np.nan], [3, 4]]), 2)


# ----------------------------------------------------------------------------------------------
# floating-point events and np.errstate


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16, np.complex64, np.complex128])
@pytest.mark.parametrize("p, axis", [(0.5, 0), (0.5, 1), (0.5, None), (0.3, 0), (0.3, None)])
def test_overflow_text_of_orders_below_one(dtype, p, axis):
    # numpy's final ``**= 1/p`` overflows: on an array an exponent of 2 is np.square, else np.power; on the scalar
    # of a whole vector "scalar power"
    big = {np.float16: 6e4, np.float32: 3e38, np.complex64: 3e38}.get(dtype, 1e308)
    x = np.full((70, 9), big, dtype)
    if axis is None:
        x = x[:20].ravel()  # float16: numpy's own sum of 180 terms |x|^p stays finite (README: its "reduce" otherwise)
    texts = []
    for f in (normnative.norm, np.linalg.norm):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = f(x, p, axis=axis)
        assert np.all(np.isinf(r))
        texts.append([str(m.message) for m in w if m.category is RuntimeWarning])
    assert texts[0] == texts[1] and texts[0], texts


@pytest.mark.parametrize("call,text", [
    (lambda: normnative.norm([0.0, 2.0], -1), "divide by zero encountered in reciprocal"),
    (lambda: normnative.norm([0.0, 2.0], -2), "divide by zero encountered in power"),
    (lambda: normnative.norm([0.0, 2.0], -0.5), "divide by zero encountered in power"),
    (lambda: normnative.norm(np.zeros(0), -1), "divide by zero encountered in scalar power"),
    (lambda: normnative.norm(np.array([[0.0, 2.0], [1.0, 0.0]]), -1, axis=1), "divide by zero encountered in reciprocal"),
])
def test_errstate_modes(call, text, capsys):
    with warnings.catch_warnings(record=True) as w, np.errstate(all="warn"):
        warnings.simplefilter("always")
        call()
    assert [str(x.message) for x in w if x.category is RuntimeWarning] == [text]
    with np.errstate(all="raise"), pytest.raises(FloatingPointError, match=text):
        call()
    with warnings.catch_warnings(record=True) as w, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        call()
    assert not [x for x in w if x.category is RuntimeWarning]
    seen = []
    with np.errstate(all="call", call=lambda kind, flag: seen.append((kind, flag))):
        call()
    assert seen == [("divide by zero", 1)]

    class Log:
        def __init__(self):
            self.lines = []

        def write(self, s):
            self.lines.append(s)

    log = Log()
    with np.errstate(all="log", call=log):
        call()
    assert log.lines == [f"Warning: {text}\n"]
    capsys.readouterr()
    with np.errstate(all="print"):  # numpy writes "Warning: <text>" to stderr
        call()
    assert capsys.readouterr().err == f"Warning: {text}\n"


def test_no_warning_where_normnative_is_exact():
    # numpy: inf + "overflow encountered in multiply"; normnative: the finite exact value, silently
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert normnative.norm([1e200, 1e200], axis=0) == np.float64(1.4142135623730951e200)
        assert normnative.norm([1e-200, 1e-200], axis=0) == np.float64(1.4142135623730951e-200)


def test_overflow_warns_when_the_exact_result_overflows():
    big = np.finfo(np.float64).max
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r = normnative.norm([big, big], axis=0)
    assert r == np.inf
    assert [str(x.message) for x in w] == ["overflow encountered in multiply"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert normnative.norm([big, big]) == np.inf  # the fast path never warns (numpy's dot does not)
