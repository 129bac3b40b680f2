"""normnative: NumPy's vector and matrix norm, computed accurately and fast by a NativeAOT library.

>>> import normnative
>>> float(normnative.norm([3.0, 4.0]))
5.0
>>> float(normnative.norm([1e200, 1e200]))   # numpy: inf
1.4142135623730951e+200
"""
from . import _lib
from ._lib import NormNativeError
from ._norm import matrix_norm, norm, vector_norm


def set_num_threads(n: int) -> int:
    """Sets the number of threads large reductions may use.

    Parameters
    ----------
    n : int
        Thread limit, >= 1; 0 restores the default (the number of processors).

    Returns
    -------
    previous : int
        The previous setting.

    Notes
    -----
    Results are bit-identical whatever the thread count.
    """
    n = int(n)
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    return int(_lib.set_num_threads(n))


def get_num_threads() -> int:
    """The number of threads large reductions may use.

    Returns
    -------
    n : int
        The current thread limit.
    """
    return int(_lib.get_num_threads())


__version__ = "0.1.0"
__all__ = ["norm", "vector_norm", "matrix_norm", "NormNativeError", "set_num_threads", "get_num_threads", "__version__"]
