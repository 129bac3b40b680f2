"""Integer columns longer than IntColumns' bands (more than 512 rows) at ord 1 and 2: exact plain double sums over
row ranges (IntColumns.Plain; before, IntRows gathered each strided column alone). Each output must be the exact 1-norm /
the correctly rounded root of the exact integer sum of squares — the value every integer path gives, i.e. the
converted float64 column's — for bool and every integer dtype of at most 32 bits, column counts around the lane
widths, N-D axes that coalesce into one long column, reversed/strided views, 1/2/3 threads, and sums at and beyond
2^53 (which must fall back to the exact block driver)."""
from fractions import Fraction

import numpy as np
import pytest

import normnative
from _reference import correctly_rounded_sqrt_fraction

DTYPES = (np.bool_, np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32)


@pytest.fixture(autouse=True)
def _restore_threads():
    old = normnative.get_num_threads()
    yield
    normnative.set_num_threads(old)


def _exact_columns(a, p):
    """Exact norms of the columns of the 2-D integer array a (reduced over axis 0)."""
    out = []
    for j in range(a.shape[1]):
        col = [int(v) for v in a[:, j]]
        if p == 1:
            out.append(float(sum(abs(v) for v in col)))
        else:
            s = sum(v * v for v in col)
            out.append(0.0 if s == 0 else correctly_rounded_sqrt_fraction(Fraction(s)))
    return np.array(out)


def _values(dtype, shape, rng, big=False):
    if dtype is np.bool_:
        return rng.integers(0, 2, shape).astype(bool)
    info = np.iinfo(dtype)
    lo, hi = (info.min, info.max) if big or info.bits <= 16 else (-(1 << 20), 1 << 20)
    lo = max(lo, info.min)
    return rng.integers(lo, hi, shape, endpoint=True, dtype=np.int64).astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(513, 16), (2000, 60), (1500, 17), (4100, 33),
                                   (600, 64), (600, 65), (1030, 7), (700, 1), (2100, 8)])  # ≤ 64 columns: summed down
def test_long_columns_exact(dtype, shape):
    rng = np.random.default_rng(shape[0] * 7 + shape[1])
    a = _values(dtype, shape, rng)
    for p in (None, 2, 1):
        got = normnative.norm(a, p, axis=0)
        ref = _exact_columns(a, 1 if p == 1 else 2)
        assert got.dtype == np.float64 and got.shape == (shape[1],)
        np.testing.assert_array_equal(got, ref)
        # the converted float64 array gives the same bits (the contract of every integer path)
        np.testing.assert_array_equal(got, normnative.norm(a.astype(np.float64), p, axis=0))


@pytest.mark.parametrize("threads", (1, 2, 3))
def test_threads_views_and_nd_axes(threads):
    normnative.set_num_threads(threads)
    rng = np.random.default_rng(11)
    x = rng.integers(-30000, 30000, (40, 50, 60)).astype(np.int16)
    # Frobenius over two axes, and vector_norm's several-axis 1-norm: one coalesced column of 2000 per output
    np.testing.assert_array_equal(normnative.norm(x, axis=(0, 1)), _exact_columns(x.reshape(2000, 60), 2))
    assert normnative.norm(x, axis=(0, 1), keepdims=True).shape == (1, 1, 60)
    np.testing.assert_array_equal(normnative.vector_norm(x, ord=1, axis=(0, 1)), _exact_columns(x.reshape(2000, 60), 1))
    big = rng.integers(-128, 128, (9000, 40)).astype(np.int8)  # past the two-thread threshold
    for view in (big, big[::-1], big[::2], big[:, ::-1], big[:, 1:37]):
        for p in (2, 1):
            np.testing.assert_array_equal(normnative.norm(view, p, axis=0), _exact_columns(view, p))


def test_sums_at_and_beyond_two_to_53_fall_back_exactly():
    rng = np.random.default_rng(53)
    # int32 columns of 1000 values near 2^31: sums of squares ~2^71, beyond 2^53 (block-driver fallback), and
    # uint32 1-norm columns whose sum crosses 2^53 only with 2^21+ rows of 2^32: here ordinary sums stay exact
    a = rng.integers(-(1 << 31), (1 << 31) - 1, (1000, 24), endpoint=True, dtype=np.int64).astype(np.int32)
    for p in (2, 1):
        got = normnative.norm(a, p, axis=0)
        np.testing.assert_array_equal(got, normnative.norm(a.astype(np.float64), p, axis=0))
        # the exact value within the float64 paths' bound (1-norm: correctly rounded; 2-norm: ≤ 1 ulp)
        ref = _exact_columns(a, p)
        assert np.all(np.abs(got - ref) <= np.spacing(ref))
    # one column with a sum of squares exactly 2^53 - 1 + ..., crossing 2^53 in the middle of the rows
    col = np.zeros((600, 16), np.int32)
    col[:512, 3] = 4194304  # 2^22: 512 squares of 2^44 sum to 2^53 exactly
    col[512:, 3] = 1
    col[:, 5] = 1
    got = normnative.norm(col, axis=0)
    np.testing.assert_array_equal(got, _exact_columns(col, 2))
    assert got[3] == correctly_rounded_sqrt_fraction(Fraction(2 ** 53 + 88))


def test_matches_numpy_values_and_warnings():
    rng = np.random.default_rng(3)
    a = rng.integers(-100, 100, (700, 20)).astype(np.int16)
    for p in (None, 2, 1):
        np.testing.assert_allclose(normnative.norm(a, p, axis=0), np.linalg.norm(a, p, axis=0), rtol=1e-15)
    z = np.zeros((600, 16), np.uint8)
    np.testing.assert_array_equal(normnative.norm(z, axis=0), np.zeros(16))


@pytest.mark.parametrize("shape", [(2000, 60), (600, 64), (1030, 7), (600, 65)])
def test_bool_bytes_other_than_one_are_true(shape):
    """A bool array viewed from arbitrary bytes: every nonzero byte is True (1), as NumPy's conversion makes it — the
    narrow columns' widening (session 28: bool summed down eight columns a register) included; over one axis and, as
    a (k, m/k, n) reshape, the Frobenius norm over two."""
    rng = np.random.default_rng(shape[0] + shape[1])
    raw = rng.integers(0, 256, shape, dtype=np.uint8)
    raw[rng.random(shape) < 0.5] = 0
    a = raw.view(np.bool_)
    ones = (raw != 0).astype(np.int64)
    for p in (None, 2, 1):
        got = normnative.norm(a, p, axis=0)
        np.testing.assert_array_equal(got, _exact_columns(ones, 1 if p == 1 else 2))
        np.testing.assert_array_equal(got, np.linalg.norm(a, p, axis=0))
    b = a.reshape(10, shape[0] // 10, shape[1])
    np.testing.assert_array_equal(normnative.norm(b, None, (0, 1)), _exact_columns(ones, 2))
