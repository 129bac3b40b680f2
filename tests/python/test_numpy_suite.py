"""NumPy's own norm tests, run against normnative.norm.

The installed NumPy's ``numpy/linalg/tests/test_linalg.py`` and
``numpy/matrixlib/tests/test_matrix_linalg.py`` are imported at test time (nothing is copied into
this repository); ``norm`` as those modules see it (their global ``norm`` and ``numpy.linalg.norm``
for the ``np.linalg.norm`` spelling) is replaced by ``normnative.norm`` for the duration of this
module, and their norm test classes are collected by pytest from here.
"""
import importlib
import inspect

import numpy as np
import pytest

import normnative

_linalg_tests = importlib.import_module("numpy.linalg.tests.test_linalg")
_matrix_tests = importlib.import_module("numpy.matrixlib.tests.test_matrix_linalg")


def _norm_classes(mod):
    for name, obj in vars(mod).items():
        if inspect.isclass(obj) and name.startswith("Test") and "Norm" in name:
            yield name, obj


_COLLECTED = []
for _mod, _prefix in ((_linalg_tests, "TestNumpy_"), (_matrix_tests, "TestNumpyMatrix_")):
    for _name, _cls in _norm_classes(_mod):
        # a subclass per class so pytest reports it under this module and our fixture applies
        globals()[_prefix + _name] = type(_prefix + _name, (_cls,), {"__module__": __name__})
        _COLLECTED.append(_prefix + _name)


@pytest.fixture(autouse=True, scope="module")
def _patched_norm():
    saved = (_linalg_tests.norm, np.linalg.norm)
    _linalg_tests.norm = normnative.norm
    np.linalg.norm = normnative.norm
    try:
        yield
    finally:
        _linalg_tests.norm, np.linalg.norm = saved


def test_harness_collects_the_norm_classes():
    # guards against a silently empty harness (e.g. a renamed class in a future NumPy)
    for required in ("TestNumpy_TestNormDouble", "TestNumpy_TestNormSingle", "TestNumpy_TestNormInt64",
                     "TestNumpy_TestNorm_NonSystematic", "TestNumpyMatrix_TestNormDoubleMatrix",
                     "TestNumpyMatrix_TestNormSingleMatrix", "TestNumpyMatrix_TestNormInt64Matrix"):
        assert required in _COLLECTED, _COLLECTED


def test_harness_really_patches():
    assert _linalg_tests.norm is normnative.norm
    assert np.linalg.norm is normnative.norm
