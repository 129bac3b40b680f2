"""normnative: numpy.linalg.norm, computed accurately and fast by a NativeAOT library.

>>> import normnative
>>> float(normnative.norm([3.0, 4.0]))
5.0
>>> float(normnative.norm([1e200, 1e200]))   # numpy: inf
1.4142135623730951e+200
"""
from ._lib import NormNativeError
from ._lib import get_num_threads, set_num_threads
from ._norm import matrix_norm, norm, vector_norm

__version__ = "0.1.0"
__all__ = ["norm", "vector_norm", "matrix_norm", "NormNativeError", "set_num_threads", "get_num_threads", "__version__"]
