"""Start-up CPU of the command line (issue 15: `marsad --help` under 0.3 CPU-s), beside a bare interpreter.

    python benchmarks/bench_startup.py [--runs 9] [--json]

Each command runs in a fresh process; its CPU time (user + system, from the children's rusage) is taken per run
and the median printed. Runs alternate between the commands so that both see the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "marsad --help": [sys.executable, "-m", "marsad", "--help"],
    "marsad tally --help": [sys.executable, "-m", "marsad", "tally", "--help"],
}


def cpu_of(command: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    for command in COMMANDS.values():  # warm the bytecode caches
        cpu_of(command)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, command in COMMANDS.items():
            times[name].append(cpu_of(command))
    medians = {name: round(statistics.median(runs), 3) for name, runs in times.items()}
    if args.json:
        print(json.dumps({"cpu_seconds": medians, "load_average": os.getloadavg()[0]}))
    else:
        for name, median in medians.items():
            print(f"{name:22} {median:.3f} CPU-s (median of {args.runs})")
        print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
