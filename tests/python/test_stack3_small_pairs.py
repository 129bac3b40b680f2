"""σ_min (ord −2) of real 3×3 matrices whose two small columns are 2⁻²⁵⁰ … 2⁻⁴⁰⁰ of the largest entry (the lane
Jacobi kernel of Matrix/Stack3.cs takes them: no entry below 2⁻⁴⁵⁰, σ_min above 2⁻⁴⁰⁰). There the Jacobi quantities of
the small pair, d = β − α and 2γ, are about 2⁻⁵⁰⁰ … 2⁻⁸⁰⁰ and their squares underflow; the rotation's tangent must still
be the 2×2 problem's (it was formed from u = |d| + √(d² + 4γ²) with d² + 4γ² flushed to 0, a wrong angle, and
[[1, 0, 0], [0, s, 0], [0, 0.3s, s]] at s = 1e−100 gave 0.9578·s instead of 0.8612·s, 11 % off; NumPy is right).
Reference: mpmath's SVD at 4000 bits (its backward error 2⁻⁴⁰⁰⁰·‖A‖ is far below these σ_min)."""
import mpmath as mp
import numpy as np
import pytest

import normnative

PREC = 4000


def _sigma_min(a):
    with mp.workprec(PREC):
        s = mp.svd_r(mp.matrix([[mp.mpf(float(v)) for v in row] for row in a]), compute_uv=False)
        return min(abs(s[i]) for i in range(len(s)))


def _matrices():
    rng = np.random.default_rng(3003)
    out = []
    for e in (-250, -266, -270, -300, -332, -350, -380, -395):  # -266: d² subnormal
        s = 2.0 ** e
        out.append(np.array([[1, 0, 0], [0, s, 0], [0, .3 * s, s]]))          # block diagonal
        out.append(np.array([[1, .5, 0], [0, s, 0], [0, .3 * s, s]]))         # coupled to the large column
        out.append(np.array([[1, .5, .2], [0, s, .7 * s], [0, -.4 * s, s]]))
        g = rng.standard_normal((3, 3))
        g[1:, 1:] *= s                                                        # random small block, O(1) border
        g[1:, 0] *= s
        out.append(g)
        out.append(g.T.copy())
        out.append(g[[2, 0, 1]][:, [1, 2, 0]].copy())                         # rows and columns permuted
    return out


MATRICES = _matrices()
REFS = [_sigma_min(a) for a in MATRICES]


def _check(got, i):
    ref = REFS[i]
    assert abs(mp.mpf(float(got)) / ref - 1) < 2 ** -46, (i, MATRICES[i].tolist(), got, mp.nstr(ref, 17))


@pytest.mark.parametrize("i", range(len(MATRICES)))
def test_single_matrix(i):
    _check(normnative.norm(MATRICES[i], -2), i)


def test_stacks_every_matrix_alone_and_among_others():
    # a stack of all of them (lanes of 4 or 8 matrices, mixed with generic ones), and reversed
    rng = np.random.default_rng(17)
    generic = rng.standard_normal((5, 3, 3))
    stack = np.concatenate([np.array(MATRICES), generic])
    got = normnative.norm(stack, -2, axis=(1, 2))
    for i in range(len(MATRICES)):
        _check(got[i], i)
    rev = normnative.norm(stack[::-1], -2, axis=(1, 2))
    assert rev[::-1].tobytes() == got.tobytes()
    alone = np.array([normnative.norm(a, -2) for a in stack])
    assert alone.tobytes() == got.tobytes()
