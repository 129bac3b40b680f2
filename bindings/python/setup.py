"""Build glue: the wheel carries libnormnative.so (a native library, loaded with ctypes, no Python
C extension), so it is tagged py3-none-<platform> rather than pure Python."""
import platform
import sys
from pathlib import Path

from setuptools import setup
from setuptools.dist import Distribution

LIB = Path(__file__).resolve().parent / "normnative" / "_lib" / "libnormnative.so"
if not LIB.is_file() and not {"egg_info", "dist_info", "--version", "--name"} & set(sys.argv):
    sys.exit(f"{LIB} is missing: run './build.sh build' in the repository root first")


class BinaryDistribution(Distribution):
    def has_ext_modules(self):
        return True


cmdclass = {}
try:
    from wheel.bdist_wheel import bdist_wheel

    class BdistWheel(bdist_wheel):
        def finalize_options(self):
            super().finalize_options()
            self.root_is_pure = False

        def get_tag(self):
            return "py3", "none", f"linux_{platform.machine()}" if sys.platform.startswith("linux") else super().get_tag()[2]

    cmdclass["bdist_wheel"] = BdistWheel
except ImportError:  # pragma: no cover - wheel not installed: sdist / develop installs still work
    pass

setup(distclass=BinaryDistribution, cmdclass=cmdclass)
