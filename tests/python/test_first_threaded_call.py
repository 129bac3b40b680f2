"""A fresh process whose first call starts the worker pool must not abort (session 18).

The NativeAOT runtime re-entered its UTF-8 marshalling when a starting worker named itself while the calling thread
held the class-constructor lock (running the kernels' constructors): a null dereference inside the runtime aborted
about one process in ten whose first threaded call was a general-p column reduction. The library now runs that
marshalling once on the caller before it starts any worker (Workers.WarmRuntime). Each run here is a new process
(the pool starts once per process): before the fix 15 of 100 such processes aborted here, so 60 passing by chance
would have had a probability of about 0.85⁶⁰ ≈ 6·10⁻⁵."""
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import normnative

PROBE = """
import numpy as np, normnative
a = np.random.default_rng(1).standard_normal((4, 3000))
normnative.set_num_threads(2)
r = normnative.norm(a, 1.7, axis=0)
print(r.shape[0], float(r[0]) > 0)
"""


def _run(_):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(normnative.__file__)) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)


def test_first_threaded_call_in_fresh_processes():
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(_run, range(60)))
    failed = [r for r in runs if r.returncode != 0 or r.stdout.split() != ["3000", "True"]]
    assert not failed, (len(failed), failed[0].returncode, failed[0].stderr[-2000:])
