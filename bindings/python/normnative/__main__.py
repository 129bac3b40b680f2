"""python3 -m normnative: what this installation is (version, library, threads) and a sample call.

The side-by-side comparison with NumPy lives outside the package, in the repository's
examples/python/compare_numpy.py (./build.sh demo runs it).
"""
from __future__ import annotations

import argparse
import sys

import numpy as np

from . import __version__, _lib, get_num_threads, norm


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m normnative", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.parse_args(argv)
    print(f"normnative {__version__} (library {_lib.version_string().decode()}, ABI {_lib.abi_version()})")
    print(f"library: {_lib.lib._name}")
    print(f"threads: {get_num_threads()}")
    x = np.array([1e200, 1e200])
    print(f"norm([1e200, 1e200]) = {norm(x)!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
