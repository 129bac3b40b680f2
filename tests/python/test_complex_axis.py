"""complex ord 1 / inf / 0.5 / -1 and float64 ord 0.5 over one axis (LaneAcross, its gathered short lines, ComplexRows) and ord +-1 / +-inf of stacks of small complex
matrices (ComplexLineStacks), through the Python package: values, dtypes, shapes, keepdims and warnings as NumPy's;
every axis result bit-identical to the same line reduced alone (a 1-D view), and every stack result to its matrix
reduced alone, for C, Fortran, reversed and strided layouts, with special values and extreme scales."""
import warnings

import numpy as np
import pytest

import normnative

RNG = np.random.default_rng(23)


def _complex(shape, dtype=np.complex128):
    return (RNG.standard_normal(shape) + 1j * RNG.standard_normal(shape)).astype(dtype)


def _special(a):
    """A copy with a NaN, an infinity, zeros, huge and tiny entries in a few lines."""
    a = a.copy()
    flat = a.reshape(-1) if a.flags.c_contiguous else None
    if flat is None:
        return a
    n = flat.size
    flat[RNG.integers(n)] = complex(np.nan, 1)
    flat[RNG.integers(n)] = complex(1, np.inf)
    flat[RNG.integers(n, size=5)] = 0
    with np.errstate(invalid="ignore"):  # scaling the NaN or the infinity itself
        flat[RNG.integers(n, size=5)] *= 1e300
        flat[RNG.integers(n, size=5)] *= 1e-300
    return a


def _views(a):
    yield "C", a
    yield "F", np.asfortranarray(a)
    yield "reversed", a[::-1, ::-1]
    yield "strided", np.repeat(a, 2, axis=0)[::2]


def _same(x, y):
    """Bit-identical arrays (float32 or float64)."""
    x, y = np.ascontiguousarray(x), np.ascontiguousarray(y)
    u = np.uint32 if x.dtype == np.float32 else np.uint64
    return x.dtype == y.dtype and np.array_equal(x.view(u), y.view(u))


@pytest.mark.parametrize("shape", [(2, 4), (17, 9), (64, 12), (300, 37), (5, 300), (24, 130)])
@pytest.mark.parametrize("ord", [1, np.inf, 0.5, -1])
@pytest.mark.parametrize("special", [False, True])
def test_axis_results_are_the_lines_alone_and_numpys(shape, ord, special):
    base = _complex(shape)
    if special:
        base = _special(base)
    for name, a in _views(base):
        for axis in (0, 1):
            with warnings.catch_warnings():
                # zeros with ord -1: NumPy's divide-by-zero warning (checked elsewhere)
                warnings.simplefilter("ignore" if special and ord == -1 else "error")
                got = normnative.norm(a, ord, axis=axis)
                kept = normnative.norm(a, ord, axis=axis, keepdims=True)
            want = np.linalg.norm(a, ord, axis=axis)
            assert got.dtype == want.dtype == np.float64 and got.shape == want.shape, name
            assert kept.shape == np.linalg.norm(a, ord, axis=axis, keepdims=True).shape
            assert _same(kept.reshape(got.shape), got)
            lines = np.moveaxis(a, axis, -1)
            alone = np.array([normnative.norm(lines[k].copy(), ord) for k in range(lines.shape[0])])
            assert _same(got, alone), (name, axis)
            finite = np.isfinite(want) & np.all(np.isfinite(lines), axis=-1)
            big = np.abs(lines).max(axis=-1) > 1e200   # NumPy overflows or loses digits there
            np.testing.assert_allclose(got[finite & ~big], want[finite & ~big], rtol=1e-13)
            assert np.array_equal(np.isnan(got), np.isnan(want))


@pytest.mark.parametrize("k", [1, 2, 3, 4, 7, 10, 15, 16])
@pytest.mark.parametrize("ord", [1, -1, np.inf, -np.inf])
@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_stack_results_are_the_matrices_alone_and_numpys(k, ord, dtype):
    s = _complex((300, k, k + 1), dtype)
    s.reshape(-1)[RNG.integers(s.size, size=3)] = complex(np.nan, 0)
    s.reshape(-1)[RNG.integers(s.size, size=3)] = complex(0, -np.inf)
    for name, v in (("C", s), ("F", np.asfortranarray(s.transpose(0, 2, 1)).transpose(0, 2, 1)), ("reversed", s[::-1]),
                    ("middle", np.moveaxis(s, 0, 1))):
        axes = (0, 2) if name == "middle" else (1, 2)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            got = normnative.norm(v, ord, axis=axes)
        want = np.linalg.norm(v, ord, axis=axes)
        assert got.dtype == want.dtype and got.shape == want.shape
        mats = np.moveaxis(v, axes, (-2, -1))
        alone = np.array([normnative.norm(mats[i].copy(), ord) for i in range(mats.shape[0])], dtype=got.dtype)
        assert _same(got, alone), name
        ok = np.isfinite(want)
        np.testing.assert_allclose(got[ok], want[ok], rtol=1e-5 if dtype == np.complex64 else 1e-13)
        assert np.array_equal(np.isnan(got), np.isnan(want))


def _real_special(shape):
    a = RNG.standard_normal(shape)
    flat = a.reshape(-1)
    n = flat.size
    flat[RNG.integers(n)] = np.nan
    flat[RNG.integers(n)] = -np.inf
    flat[RNG.integers(n, size=7)] = 0
    flat[RNG.integers(n, size=5)] *= 1e300
    flat[RNG.integers(n, size=5)] *= 1e-300
    flat[RNG.integers(n, size=3)] = 5e-324  # subnormal terms beside normal ones
    a[:, 1] = 0                              # an all-zero output: the root of a zero sum
    a[:, 2] = 1e-310                         # a sum below 2^-100: the output goes alone
    return a


@pytest.mark.parametrize("shape", [(2, 4), (17, 9), (64, 12), (300, 37), (65, 300), (40, 200), (3000, 4)])
@pytest.mark.parametrize("special", [False, True])
@pytest.mark.parametrize("p", [0.5, -1])
def test_float64_half_and_reciprocal_orders_over_an_axis_are_the_lines_alone(shape, special, p):
    # float64 ord 0.5 / -1 over the non-contiguous axis (adjacent outputs) or over short gathered lines take
    # LaneAcross' real terms
    from _reference import ulp_error, vector_ref
    base = _real_special(shape) if special else RNG.standard_normal(shape) * np.exp2(RNG.integers(-60, 60, shape))
    for name, a in _views(base):
        for axis in (0, 1):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # zeros with ord -1: NumPy's divide-by-zero warning, checked elsewhere
                got = normnative.norm(a, p, axis=axis)
                want = np.linalg.norm(a, p, axis=axis)
                lines = np.moveaxis(a, axis, -1)
                alone = np.array([normnative.norm(lines[k].copy(), p) for k in range(lines.shape[0])])
            assert got.dtype == np.float64 and got.shape == want.shape
            assert _same(got, alone), (name, axis)
            assert np.array_equal(np.isnan(got), np.isnan(want)) and np.array_equal(np.isinf(got), np.isinf(want))
            for k in range(0, lines.shape[0], max(1, lines.shape[0] // 5)):
                if np.all(np.isfinite(lines[k])):
                    assert ulp_error(got[k], vector_ref(lines[k], p), np.float64) <= 1, (name, axis, k)


@pytest.mark.parametrize("shape", [(17, 9), (64, 12), (300, 37), (40, 200), (3000, 4), (8, 513), (50, 3), (50, 15), (50, 16)])
@pytest.mark.parametrize("special", [False, True])
@pytest.mark.parametrize("p", [-1, 0.5])
def test_float32_reciprocal_and_half_orders_over_an_axis_are_the_lines_alone(shape, special, p):
    # float32 ord -1 / 0.5 lines (gathered short rows, rows along RowsWide, adjacent outputs) are stored from plain double
    # sums only when provably the correctly rounded float32 (else the line goes alone), so each must be the 1-D result
    # and within 0.5 ulp
    from _reference import ulp_error, vector_ref
    base = _real_special(shape) if special else RNG.standard_normal(shape) * np.exp2(RNG.integers(-60, 60, shape))
    with np.errstate(all="ignore"):
        base = base.astype(np.float32)
    for name, a in _views(base):
        for axis in (0, 1):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # zeros: NumPy's divide-by-zero warning, checked elsewhere
                got = normnative.norm(a, p, axis=axis)
                want = np.linalg.norm(a, p, axis=axis)
                lines = np.moveaxis(a, axis, -1)
                alone = np.array([normnative.norm(lines[k].copy(), p) for k in range(lines.shape[0])], dtype=np.float32)
            assert got.dtype == np.float32 and got.shape == want.shape
            assert _same(got, alone), (name, axis)
            assert np.array_equal(np.isnan(got), np.isnan(want))
            for k in range(0, lines.shape[0], max(1, lines.shape[0] // 5)):
                if np.all(np.isfinite(lines[k])) and np.all(lines[k] != 0):
                    assert ulp_error(got[k], vector_ref(lines[k], p), np.float32) <= 0.5, (name, axis, k)
