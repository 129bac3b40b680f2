"""C ABI fuzz driver: runs abi_fuzz_worker.py in subprocesses (one hypothesis seed each) until a
time budget is spent; a worker that dies on a signal (SIGSEGV from a guard page, SIGABRT, …) or
fails an assertion is a failure, reported with its seed and the last case it ran.

    python3 tests/fuzz/run_fuzz.py --seconds 600            # ./build.sh fuzz
    python3 tests/fuzz/run_fuzz.py --seconds 600 --seed 7   # start from seed 7
    python3 tests/fuzz/run_fuzz.py --replay 1234            # rerun one seed in the foreground
Exit status 0 only when no worker failed."""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKER = HERE / "abi_fuzz_worker.py"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=float(os.environ.get("FUZZ_SECONDS", 600)))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", 0)) or int(time.time()) % 100000 * 1000)
    ap.add_argument("--examples", type=int, default=400, help="cases per worker (per seed)")
    ap.add_argument("--replay", type=int, default=None)
    ap.add_argument("--worker-timeout", type=float, default=300.0, help="seconds before a worker counts as hung")
    a = ap.parse_args()
    py = sys.executable
    if a.replay is not None:
        return subprocess.call([py, str(WORKER), "--seed", str(a.replay), "--examples", str(a.examples)])
    deadline = time.monotonic() + a.seconds
    tried, workers, failures, tally = 0, 0, [], {}
    seed = a.seed
    tmp = Path(tempfile.mkdtemp(prefix="normnative-fuzz-"))
    print(f"fuzz: {a.seconds:.0f} s budget, seeds from {seed}, {a.examples} cases per worker, library "
          f"{os.environ.get('NORMNATIVE_LIBRARY', '(default)')}", flush=True)
    while time.monotonic() < deadline:
        last = tmp / f"last-{seed}.json"
        left = a.worker_timeout  # a worker takes seconds; one that hangs is a failure, not a stall
        try:
            p = subprocess.run([py, str(WORKER), "--seed", str(seed), "--examples", str(a.examples), "--last-case", str(last)],
                               capture_output=True, text=True, timeout=left)
            rc, out, err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            rc = f"timeout after {a.worker_timeout:.0f} s"
            out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
            err = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
        workers += 1
        lines = [l for l in (out or "").splitlines() if l.startswith("{")]
        if rc == 0 and lines:
            counts = json.loads(lines[-1])
            for k, v in counts.items():
                tally[k] = tally.get(k, 0) + v
            tried += sum(counts.values())
        else:
            what = f"signal {signal.Signals(-rc).name}" if isinstance(rc, int) and rc < 0 else f"exit {rc}"
            case = last.read_text() if last.exists() else "(none)"
            failures.append((seed, what, case, (err or "")[-3000:]))
            tried += a.examples  # at most; the worker died part-way
            print(f"FAILURE seed {seed}: {what}\n  last case: {case}\n{(err or '')[-3000:]}", flush=True)
        seed += 1
    print(f"fuzz: {tried} cases in {workers} workers (seeds {a.seed}..{seed - 1}), {len(failures)} failures")
    print("fuzz: outcomes " + ", ".join(f"{k}: {v}" for k, v in sorted(tally.items())))
    for s, what, case, _ in failures:
        print(f"  reproduce: python3 {Path(__file__).relative_to(Path.cwd()) if Path.cwd() in Path(__file__).parents else __file__} "
              f"--replay {s}   ({what}; last case {case})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
