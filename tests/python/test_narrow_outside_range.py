"""float32 / float16 norms that leave their format: small |p| turn ordinary values into norms past the largest finite
value (ord 0.3 of 64 float16 values ~ 6e5) or among the subnormals / below them (ord −0.3). Such results are decided
from the fast root and its bound (GeneralPowFast.TryStoreNarrow now takes subnormal results, TryStoreOutside stores
+inf with the overflow event or +0), in the vector path and in the short-line lanes (NarrowLaneSums) alike; every
output must be the exact norm correctly rounded (mpmath, subnormals and overflow included), the 1-D call's bits for its
line, with NumPy's warnings."""
import warnings

import mpmath as mp
import numpy as np
import pytest

import normnative
from _reference import norm_at_threads


def _rounded(line, p, dtype):
    """The exact order-p norm of a finite line with no zero (p < 0), correctly rounded to ``dtype`` (±0 and inf
    included: the format's own rounding of a value computed far beyond its precision)."""
    with mp.workprec(400):
        s = mp.fsum(mp.power(abs(mp.mpf(float(v))), p) for v in line if v != 0)
        exact = mp.power(s, 1 / mp.mpf(p))
        with np.errstate(over="ignore"):
            f = np.asarray(float(exact)).astype(dtype)  # double first: far finer than dtype, no double rounding at issue
        if not np.isfinite(f):
            return f
        cands = [np.nextafter(f, dtype(-np.inf)), f, np.nextafter(f, dtype(np.inf))]
        return min(cands, key=lambda c: abs(mp.mpf(float(c)) - exact) if np.isfinite(c) else mp.inf)


def _messages(f):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r = f()
    return r, sorted(str(x.message) for x in w)


@pytest.mark.parametrize("dtype, p, scale", [(np.float16, 0.3, 1.0), (np.float16, -0.3, 1.0), (np.float16, 0.125, 1.0),
                                             (np.float16, -0.125, 1.0), (np.float16, 0.75, 300.0), (np.float32, 0.2, 1e30),
                                             (np.float32, -0.2, 1e-30), (np.float32, 0.125, 1e26)])
def test_rows_and_vectors_beyond_the_format(dtype, p, scale):
    rng = np.random.default_rng(int(abs(p) * 1000) + (dtype == np.float16))
    with np.errstate(all="ignore"):
        rows = (rng.standard_normal((40, 64)) * scale).astype(dtype)
        rows[:, 0] = np.where(rows[:, 0] == 0, dtype(1), rows[:, 0])
    rows[rows == 0] = dtype(1)  # no zeros: the negative orders' zero rule is tested elsewhere
    kinds = set()
    for axis, a in ((1, rows), (0, np.ascontiguousarray(rows.T))):
        one, two = norm_at_threads([1, 2], a, p, axis=axis)
        assert one.tobytes() == two.tobytes()
        lines = a if axis == 1 else a.T
        for j, line in enumerate(lines):
            alone, msg_alone = _messages(lambda: normnative.norm(np.ascontiguousarray(line), p))
            want = _rounded(line, p, dtype)
            assert one[j].tobytes() == np.asarray(alone).tobytes(), (axis, j, one[j], alone)
            assert np.asarray(alone).tobytes() == np.asarray(want, dtype).tobytes(), (axis, j, alone, want)
            _, msg_np = _messages(lambda: np.linalg.norm(line, p))
            assert msg_alone == msg_np, (j, msg_alone, msg_np)
            kinds.add("inf" if np.isinf(want) else "zero" if want == 0 else "subnormal" if abs(want) < np.finfo(dtype).tiny else "normal")
        got, msg = _messages(lambda: normnative.norm(a, p, axis=axis))
        _, msg_np = _messages(lambda: np.linalg.norm(a, p, axis=axis))
        assert msg == msg_np, (axis, msg, msg_np)
    assert kinds - {"normal"}, kinds  # each case reaches outside the normal range
