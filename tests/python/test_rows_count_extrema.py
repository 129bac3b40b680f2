"""ord 0 (and ±inf) over many lines along one axis, every dtype (CountRows; FloatMinMax for the extrema): each
output equals NumPy's (exact orders: bit for bit, same dtype) and the same line reduced alone, over lines of 1 ... 200
elements, row counts around the vector widths, zeros of both signs, NaN, ±inf, subnormals and 1e±300 placed in rows,
C rows, strided, reversed and F-order lines, 3-D arrays and 1/2/3 threads."""
import warnings

import numpy as np
import pytest

import normnative

RNG = np.random.default_rng(20261128)
DTYPES = ("bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float16", "float32", "float64", "complex64", "complex128")
LENGTHS = (1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 200)


def _data(shape, dt, rng):
    """Values with many exact zeros (both signs) and, for floats, specials and extreme magnitudes."""
    dt = np.dtype(dt)
    if dt.kind == "b":
        return rng.integers(0, 2, size=shape).astype(bool)
    if dt.kind in "iu":
        info = np.iinfo(dt)
        a = rng.integers(info.min, info.max, size=shape, endpoint=True, dtype=dt)
        a[rng.random(shape) < 0.4] = 0
        return a
    real = dt.kind == "f"
    fdt = dt if real else np.dtype(f"f{dt.itemsize // 2}")
    tiny = np.finfo(fdt).smallest_subnormal
    big = np.finfo(fdt).max
    pool = np.array([0.0, -0.0, 1.0, -2.5, np.nan, np.inf, -np.inf, tiny, -tiny, big, -big, 1e-300, 1e300, 3.0],
                    dtype=np.float64)

    def part():
        a = rng.standard_normal(shape)
        r = rng.random(shape)
        a[r < 0.35] = 0.0
        a[(r >= 0.35) & (r < 0.45)] = -0.0
        sel = (r >= 0.45) & (r < 0.55)
        a[sel] = rng.choice(pool, size=int(sel.sum()))
        with np.errstate(over="ignore"):
            return a.astype(fdt)

    if real:
        return part()
    z = np.empty(shape, dtype=dt)
    z.real = part()
    z.imag = part()
    return z


def _check(x, axis, ords=(0,)):
    for p in ords:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = normnative.norm(x, p, axis=axis)
            want = np.linalg.norm(x, p, axis=axis)
        assert got.dtype == want.dtype and got.shape == want.shape
        assert got.tobytes() == want.tobytes(), (x.dtype, x.shape, axis, p)
        # every output is the line reduced alone
        lines = np.moveaxis(x, axis, -1).reshape(-1, x.shape[axis])
        flat = got.reshape(-1)
        for i in range(0, lines.shape[0], max(1, lines.shape[0] // 7)):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                alone = normnative.norm(np.ascontiguousarray(lines[i]), p)
            assert np.asarray(alone, dtype=got.dtype).tobytes() == flat[i:i + 1].tobytes(), (x.dtype, i, p)


@pytest.mark.parametrize("dt", DTYPES)
def test_count_rows_every_length(dt):
    for n in LENGTHS:
        for rows in (2, 3, 9, 33):
            _check(_data((rows, n), dt, RNG), 1)


@pytest.mark.parametrize("dt", DTYPES)
def test_count_rows_layouts(dt):
    x = _data((37, 70), dt, RNG)
    _check(x[:, ::-1], 1)          # reversed lines
    _check(x[::-1, ::2], 1)        # strided lines, reversed rows
    _check(x[:, 1:30:3], 1)
    _check(np.asfortranarray(x), 1)  # F order: lines across outputs
    _check(np.asfortranarray(x), 0)
    y = _data((5, 6, 9), dt, RNG)
    _check(y, 2)
    _check(y, 1)
    _check(y[:, ::-1, ::-2], 2)
    _check(y.transpose(1, 0, 2), 2)


def test_count_rows_all_zero_and_all_nan():
    for dt in ("float16", "float32", "float64", "complex64", "complex128"):
        _check(np.full((40, 9), -0.0, dtype=dt), 1)
        _check(np.full((40, 9), np.nan, dtype=dt), 1)
        z = np.zeros((40, 9), dtype=dt)
        if z.dtype.kind == "c":
            z.imag[:, 3] = -0.0
            z.real[::2, 5] = np.nan
            z.imag[1::3, 7] = 1e-45 if dt == "complex64" else 5e-324
        _check(z, 1)


@pytest.mark.parametrize("dt", ("int8", "float16", "float64", "complex128"))
def test_count_rows_thread_count_does_not_change_bits(dt):
    x = _data((40000, 9), dt, RNG)  # 360 000 elements: split over threads
    old = normnative.get_num_threads()
    try:
        results = []
        for t in (1, 2, 3):
            normnative.set_num_threads(t)
            results.append(normnative.norm(x, 0, axis=1).tobytes())
    finally:
        normnative.set_num_threads(old)
    assert results[0] == results[1] == results[2]
    assert results[0] == np.linalg.norm(x, 0, axis=1).tobytes()


def _same(got, want):
    """Bit for bit, NaN of any payload matching NaN."""
    g, w = np.asarray(got).reshape(-1), np.asarray(want).reshape(-1)
    assert g.dtype == w.dtype and g.shape == w.shape
    gn, wn = np.isnan(g), np.isnan(w)
    assert (gn == wn).all()
    assert g[~gn].tobytes() == w[~wn].tobytes()


@pytest.mark.parametrize("dt", [d for d in DTYPES if np.dtype(d).kind != "c"])
def test_real_extrema_rows(dt):
    """±inf of real and integer lines: NumPy's values exactly (max and min of |x| are exact)."""
    for n in LENGTHS:
        for rows in (2, 5, 33):
            x = _data((rows, n), dt, RNG)
            for p in (np.inf, -np.inf):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    _same(normnative.norm(x, p, axis=1), np.linalg.norm(x, p, axis=1))
                    _same(normnative.norm(x[:, ::-1], p, axis=1), np.linalg.norm(x[:, ::-1], p, axis=1))
                    for i in (0, rows - 1):
                        _same(normnative.norm(x, p, axis=1)[i], normnative.norm(x[i].copy(), p))


def _exact_extreme(line, p, dt):
    """max / min over the line of the exact |z|, rounded once to the result dtype (mpmath at 24 or 53 bits from the
    exact largest / smallest re² + im² held as a Fraction)."""
    import mpmath
    from fractions import Fraction
    sq = [Fraction(float(z.real)) ** 2 + Fraction(float(z.imag)) ** 2 for z in line]
    s = max(sq) if p > 0 else min(sq)
    bits = 24 if dt == "complex64" else 53
    with mpmath.workprec(400):
        r = mpmath.sqrt(mpmath.mpf(s.numerator) / s.denominator)
    with mpmath.workprec(bits):
        r = +r
    with np.errstate(over="ignore"):
        return np.float32(float(r)) if bits == 24 else np.float64(float(r))


@pytest.mark.parametrize("dt", ("complex64", "complex128"))
def test_complex_extrema_rows_exact(dt):
    """Complex ±inf: every output the exact extreme |z| rounded once, parts spread over the whole exponent range
    (squares that overflow or underflow naively), and the line alone's bits."""
    fdt = np.float32 if dt == "complex64" else np.float64
    lo, hi = (-120, 127) if dt == "complex64" else (-1000, 1023)
    for n in (1, 2, 3, 4, 5, 8, 9, 16, 17, 33, 64, 65, 191, 192, 300, 2049):  # from 192: the 1-D scan (complex128)
        rows = 13
        z = np.empty((rows, n), dtype=dt)
        for part in ("real", "imag"):
            m = RNG.standard_normal((rows, n))
            e = RNG.integers(lo, hi - 1, size=(rows, n))
            e[:rows // 2] = RNG.integers(-3, 3, size=(rows // 2, n))  # ordinary rows: candidates compete
            with np.errstate(over="ignore", under="ignore"):
                getattr(z, part)[...] = (m * np.exp2(e.astype(float))).astype(fdt)
        z[1, 0] = 0
        z[2, :] = z[2, 0]  # equal magnitudes
        if n > 1:
            z[3, 1] = np.conj(z[3, 0]) * 1j  # |z| equal, parts swapped
        for p in (np.inf, -np.inf):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = normnative.norm(z, p, axis=1)
                gotr = normnative.norm(z[:, ::-1], p, axis=1)
                gotf = normnative.norm(np.asfortranarray(z), p, axis=1)
            assert got.dtype == fdt
            for i in range(rows):
                want = _exact_extreme(z[i], p, dt)
                assert got[i].tobytes() == want.tobytes(), (dt, n, i, p, got[i], want)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    alone = normnative.norm(z[i].copy(), p)
                assert np.asarray(alone, dtype=fdt).tobytes() == want.tobytes()
            assert gotr.tobytes() == got.tobytes() and gotf.tobytes() == got.tobytes()


@pytest.mark.parametrize("dt", ("complex64", "complex128"))
def test_complex_extrema_rows_special(dt):
    """NaN / ±inf parts placed in lines: NumPy's values (|z| = inf when a part is infinite, NaN wins the line)."""
    for n in (1, 2, 4, 9, 17, 64, 200):
        x = _data((41, n), dt, RNG)
        for p in (np.inf, -np.inf):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                want = np.linalg.norm(x, p, axis=1)
                finite = np.isfinite(want) & (want != 0)
                got = normnative.norm(x, p, axis=1)
                assert got.dtype == want.dtype
                assert (np.isnan(got) == np.isnan(want)).all()
                assert (np.isinf(got) == np.isinf(want)).all() and ((got == 0) == (want == 0)).all()
                np.testing.assert_allclose(got[finite], want[finite], rtol=2 * np.finfo(want.dtype).eps)
                for i in range(0, 41, 5):
                    _same(got[i], normnative.norm(x[i].copy(), p))
            y = np.repeat(x[:, :, None], 3, axis=2)  # no arithmetic: inf·(1+0j) would make NaN parts
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                _same(normnative.norm(y, p, axis=1), np.repeat(got[:, None], 3, axis=1))
                _same(normnative.norm(np.ascontiguousarray(y.transpose(0, 2, 1)), p, axis=2),
                      np.repeat(got[:, None], 3, axis=1))


@pytest.mark.parametrize("p", (np.inf, -np.inf))
@pytest.mark.parametrize("dt", ("float16", "complex64", "complex128"))
def test_extrema_rows_thread_count_does_not_change_bits(dt, p):
    x = _data((40000, 9), dt, RNG)
    old = normnative.get_num_threads()
    try:
        results = []
        for t in (1, 2, 3):
            normnative.set_num_threads(t)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                results.append(normnative.norm(x, p, axis=1).tobytes())
    finally:
        normnative.set_num_threads(old)
    assert results[0] == results[1] == results[2]


def test_complex128_extrema_rows_near_midpoints():
    """|z| exactly on or next to a float64 midpoint (scaled 3-4-5 triples with a 54-bit odd hypotenuse): the
    quick double-double root must hand these to the exact path, and every output is the exact value rounded once."""
    ks = RNG.integers(2 ** 53 // 5, 2 ** 53 // 3, size=60) | 1
    vals = []
    for k in ks:
        k = int(k)
        for dre, dim in ((0, 0), (0, 1), (1, 0), (0, -1)):
            vals.append(complex(float(3 * k + dre), float(4 * k + dim)))
    z = np.array(vals, dtype=np.complex128) * np.exp2(RNG.integers(-400, 400, size=len(vals))).astype(float)
    z = z.reshape(-1, 4)
    for rows in (z, z.reshape(-1, 8), z.reshape(-1, 16), z.reshape(-1, 2), z.reshape(-1, 240)):
        for p in (np.inf, -np.inf):
            got = normnative.norm(rows, p, axis=1)
            for i in range(rows.shape[0]):
                want = _exact_extreme(rows[i], p, "complex128")
                assert got[i].tobytes() == want.tobytes(), (i, p)
                assert np.float64(normnative.norm(rows[i].copy(), p)).tobytes() == want.tobytes()
