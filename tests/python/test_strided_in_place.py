"""float64 2-norms of x[::2] and x[::3] read their blocks in place (whole cache lines and permutes, SumSquares.AddStrided)
instead of copying them out first. The contract is the copy's: every result has the bits of the same values made
contiguous, for any length, offset, thread count and data — blocks the in-place guess does not take (a run's last
block, huge or tiny values, a large value after small ones, leading zeros, NaN, ∞) fall back to the copy."""
import math

import numpy as np
import pytest

import normnative

RNG = np.random.default_rng(20261129)
BLOCK = 4096


def _check(parent, step, start, n):
    x = parent[start::step][:n] if step > 0 else parent[start::step][:n]
    assert x.size == n
    got = normnative.norm(x)
    want = normnative.norm(np.ascontiguousarray(x))
    assert got.tobytes() == want.tobytes(), (step, start, n, got, want)
    return got


# lengths around the guess's 64, the 32-element step, the block and the balanced split (16 blocks)
LENGTHS = [63, 64, 65, 95, 96, 97, 127, 128, 129, BLOCK - 1, BLOCK, BLOCK + 1, BLOCK + 63, BLOCK + 64, 2 * BLOCK + 31,
           16 * BLOCK - 1, 16 * BLOCK, 16 * BLOCK + 7, 40 * BLOCK + 33]


@pytest.mark.parametrize("step", [2, 3, -2, -3])
@pytest.mark.parametrize("n", LENGTHS)
def test_random_values_match_the_copy(step, n, threads):
    a = abs(step)
    for start_pad in (0, 1):
        parent = RNG.standard_normal(n * a + 4) * 2.0 ** int(RNG.integers(-300, 300))
        start = start_pad if step > 0 else parent.size - 1 - start_pad
        _check(parent, step, start, n)


def _parent_for(values, step, pad_value):
    """A parent whose [1::step] slice is `values`, the doubles in between set to pad_value (read, never counted)."""
    parent = np.full(values.size * step + 2, pad_value)
    parent[1::step][: values.size] = values
    return parent


@pytest.mark.parametrize("step", [2, 3])
@pytest.mark.parametrize("case", ["big_late", "tiny", "huge", "zeros_first", "all_zero", "nan", "inf", "subnormal",
                                  "mixed_scales"])
def test_hard_blocks_match_the_copy(step, case, threads):
    n = 3 * BLOCK + 77
    v = RNG.standard_normal(n)
    if case == "big_late":
        v[BLOCK + 500] = 1e30          # far above the guess from the block's first 16: the lanes pass 2σ
    elif case == "tiny":
        v *= 2.0 ** -700
    elif case == "huge":
        v *= 2.0 ** 700
    elif case == "zeros_first":
        v[: BLOCK + 300] = 0.0         # the guess scans 256 elements, then the max pass
        v[BLOCK + 20] = 3.0
    elif case == "all_zero":
        v[:] = 0.0
    elif case == "nan":
        v[2 * BLOCK + 5] = np.nan
    elif case == "inf":
        v[BLOCK - 1] = -np.inf
    elif case == "subnormal":
        v = v * 5e-324
    elif case == "mixed_scales":
        v[::7] *= 2.0 ** 200
    # the doubles between the elements are NaN: any of them summed would show
    parent = _parent_for(v, step, np.nan)
    x = parent[1::step][:n]
    got = _check(parent, step, 1, n)
    if case == "all_zero":
        assert got == 0.0
    elif case == "nan":
        assert math.isnan(got)
    elif case == "inf":
        assert got == math.inf
    else:
        assert math.isfinite(got) and got > 0
    assert x.size == n


@pytest.mark.parametrize("step", [2, 3])
def test_last_element_at_the_end_of_the_allocation(step, threads):
    """The run's last block is copied (its vectors would read step − 1 doubles past the last element): a view whose
    last element is the parent's last double gives the copy's bits, and nothing past the buffer is touched."""
    for n in (64, 100, BLOCK + 1, 5 * BLOCK):
        parent = RNG.standard_normal((n - 1) * step + 1)
        _check(parent, step, 0, n)
        assert parent[::step].size == n
