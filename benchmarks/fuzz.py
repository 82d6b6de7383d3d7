"""The fuzz suite of tests/test_fuzz.py at scale: every reader and the extractor on --count inputs.

    python benchmarks/fuzz.py [--count 20000]

Prints how many inputs ran, how many raised anything other than the documented SourceError
(the issue's target: 0), and the time. Each property stops at its first failure and prints it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Inputs per example of each property of tests/test_fuzz.py: four take one input, the file one five.
PROPERTIES = {"test_jsonl_reader": 1, "test_csv_reader": 1, "test_html_reader": 1, "test_extractor": 1}
FILE_PROPERTY_SHARE = 3  # test_every_reader_by_file runs EXAMPLES // 3 examples of 5 files each


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=20000, help="total inputs across the properties")
    args = parser.parse_args()
    per_property = max(10, round(args.count / (len(PROPERTIES) + 5 / FILE_PROPERTY_SHARE)))
    total = per_property * len(PROPERTIES) + (per_property // FILE_PROPERTY_SHARE) * 5
    env = {**os.environ, "FUZZ_EXAMPLES": str(per_property)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_fuzz.py"]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    failed = [line for line in done.stdout.splitlines() if line.startswith("FAILED")]
    print(done.stdout[-3000:] if done.returncode else done.stdout.strip().splitlines()[-1])
    print(f"inputs: {total}  properties failing: {len(failed)}  seconds: {seconds:.0f}")
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main())
