"""The package installs offline into a fresh venv and works when imported from outside the repo."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_install_into_a_venv_and_import_from_outside(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    py = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("NORMNATIVE_LIBRARY", "PYTHONPATH")}
    r = subprocess.run([str(py), "-m", "pip", "install", "--no-build-isolation", "--no-deps", "--no-index", "-q",
                        str(ROOT / "bindings" / "python")], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    probe = textwrap.dedent("""
        import numpy as np, normnative, pathlib, sys
        p = pathlib.Path(normnative.__file__).resolve()
        assert str(p).startswith(sys.prefix), (p, sys.prefix)
        assert (p.parent / "_lib" / "libnormnative.so").is_file()
        assert (p.parent / "py.typed").is_file()
        assert normnative.norm(np.array([1e200, 1e200])) == 1.4142135623730951e200
        assert type(normnative.norm([3, 4])) is np.float64
        print("ok", normnative.__version__)
    """)
    r = subprocess.run([str(py), "-c", probe], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith("ok"), r.stdout + r.stderr
