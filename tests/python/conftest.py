import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bindings" / "python"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Prints the accuracy table (tests/python/test_accuracy.py) in every run that measured it."""
    mod = sys.modules.get("test_accuracy")
    table = getattr(mod, "ACCURACY_TABLE", None)
    if not table:
        return
    tr = terminalreporter
    tr.section("accuracy: max error vs exact reference (ulp of the result dtype unless noted)")
    tr.write_line(f"{'dtype':12} {'norm':34} {'NormNative':>12} {'NumPy':>12} {'bound':>8} {'inputs':>7}")
    def fmt(v):
        return "inf" if v == float("inf") else (f"{v:.3g}")
    for (dt, o), (ours, theirs, bound, n) in sorted(table.items()):
        flag = "" if ours <= bound else "  <-- above bound"
        tr.write_line(f"{dt:12} {o:34} {fmt(ours):>12} {fmt(theirs):>12} {fmt(bound):>8} {n:>7}{flag}")


def pytest_configure(config):
    # NumPy's own test modules (run by test_numpy_suite.py) use this marker
    config.addinivalue_line("markers", "slow: NumPy's marker for long tests")


@pytest.fixture(params=[1, 2])
def threads(request):
    """Runs a test with one and with two worker threads (results must not depend on the count)."""
    import normnative
    old = normnative.set_num_threads(request.param)
    yield request.param
    normnative.set_num_threads(old)
