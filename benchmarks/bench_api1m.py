"""Every API endpoint and the dashboard's first view at 1,000,000 records (targets: p95 < 100 ms, tally < 50 ms,
first view < 2 s), optionally side by side with another version of marsad on the same store.

The store is benchmarks/million.py's, built once and cached (~/.cache/marsad-bench/1m.db). The code
under test serves a copy of it (`<store>.v<schema>.db`, made once: opening it upgrades an older schema,
which is timed); with `--before SRC` the code in SRC (e.g. an older checkout's src/) serves the cached
store itself, read only. Each server runs in a process of its own; requests alternate between them,
with the same parameters, so both are measured under the same load.

    python benchmarks/bench_api1m.py [--records 1000000] [--requests 40] [--before /tmp/base/src] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import million  # noqa: E402

SRC = Path(__file__).resolve().parents[1] / "src"
LAUNCH = (
    "import sys, uvicorn; from marsad import store; from marsad.api import create_app; "
    "uvicorn.run(create_app(store.connect(sys.argv[1])), host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')"
)
WORDS = ["Aleppo", "clashes", "killed", "Raqqa", "shelling", "Idlib", "airstrike", "Douma", "Deir ez Zor"]
TARGETS = {"GET /api/tallies": 50.0}
TARGET = 100.0


class Server:
    """marsad's API from the code in `src` over the SQLite store `db`, in a process of its own."""

    def __init__(self, label: str, src: Path, db: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.label, self.base = label, f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": str(src)}
        env.pop("MARSAD_TOKEN", None)
        started = time.perf_counter()
        self.process = subprocess.Popen([sys.executable, "-c", LAUNCH, str(db), str(self.port)], env=env)
        while True:
            if self.process.poll() is not None:
                sys.exit(f"{label}: the server stopped (exit {self.process.returncode})")
            try:
                httpx.get(self.base + "/api/vocabulary", timeout=5)
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        self.startup = time.perf_counter() - started

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # still busy with a request its client gave up on
            self.process.kill()
            self.process.wait()


def samples(db: Path, rng: random.Random) -> dict[str, list]:
    """Ids and filter values drawn from the store (read directly: the same for every version)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    top = conn.execute("SELECT max(rowid) FROM documents").fetchone()[0]
    picks = ",".join(str(rng.randint(1, top)) for _ in range(300))
    doc_ids = [r[0] for r in conn.execute(f"SELECT doc_id FROM documents WHERE id IN ({picks})")]
    marks = ",".join("?" * len(doc_ids))
    members = f"SELECT event_id FROM event_members WHERE record_id IN ({marks})"
    span = "SELECT min(date) FROM records UNION SELECT max(date) FROM records"
    found = {
        "doc_ids": doc_ids,
        "record_ids": [f"{d}:0" for d in doc_ids],
        "event_ids": [r[0] for r in conn.execute(members, [f"{d}:0" for d in doc_ids])],
        "admin1": [r[0] for r in conn.execute("SELECT DISTINCT admin1 FROM events WHERE admin1 IS NOT NULL")],
        "actors": [r[0] for r in conn.execute("SELECT DISTINCT perpetrator FROM events")],
        "keys": list(conn.execute(f"SELECT date, record_id FROM records WHERE rowid IN ({picks})")),
        "years": [int(r[0][:4]) for r in conn.execute(span)],
        "records": [conn.execute("SELECT count(*) FROM records").fetchone()[0]],
    }
    conn.close()
    return found


def request_makers(s: dict[str, list], rng: random.Random) -> dict[str, Callable[[], tuple[str, dict]]]:
    """Per endpoint, a maker of one varied request (path, query) from the stored values."""
    first, last = min(s["years"]), max(s["years"])

    def window() -> dict:
        start = date(rng.randint(first, last), rng.randint(1, 12), 1)
        return {"since": start.isoformat(), "until": date(start.year, 12, 31).isoformat()}

    def filters() -> dict:
        picks = [window(), {"admin1": rng.choice(s["admin1"])}, {"perpetrator": rng.choice(s["actors"])},
                 {"text": rng.choice(WORDS)}]  # fmt: skip
        return {k: v for part in rng.sample(picks, rng.randint(0, 2)) for k, v in part.items()}

    def cursor() -> str:
        day, record_id = rng.choice(s["keys"])
        return f"{day or ''}|{record_id}"

    deep = s["records"][0] - 100
    return {
        "GET /api/health": lambda: ("/api/health", {}),
        "GET /api/vocabulary": lambda: ("/api/vocabulary", {}),
        "GET /api/outlines": lambda: ("/api/outlines", {}),
        "GET /api/records": lambda: ("/api/records", filters()),
        "GET /api/records text=killed": lambda: ("/api/records", {"text": "killed"}),
        "GET /api/records deep offset": lambda: ("/api/records", {"offset": rng.randrange(deep)}),
        "GET /api/records after= cursor": lambda: ("/api/records", {"after": cursor()}),
        "GET /api/records/{id}": lambda: (f"/api/records/{rng.choice(s['record_ids'])}", {}),
        "GET /api/events": lambda: ("/api/events", {**filters(), "limit": 25}),
        "GET /api/events first view": lambda: ("/api/events", {"limit": 25}),
        "GET /api/events text=killed": lambda: ("/api/events", {"text": "killed", "limit": 25}),
        "GET /api/events deep offset": lambda: ("/api/events", {"offset": rng.randrange(deep // 3), "limit": 25}),
        "GET /api/events/{id}": lambda: (f"/api/events/{rng.choice(s['event_ids'])}", {}),
        "GET /api/documents": lambda: ("/api/documents", rng.choice([{}, {"text": rng.choice(WORDS)}])),
        "GET /api/documents/{id}": lambda: (f"/api/documents/{rng.choice(s['doc_ids'])}", {}),
        "GET /api/tallies": lambda: ("/api/tallies", filters()),
        "GET /api/tallies first view": lambda: ("/api/tallies", {}),
        "GET /api/timeline": lambda: ("/api/timeline", {**filters(), "bucket": rng.choice(["day", "week"])}),
        "GET /api/map": lambda: ("/api/map", filters()),
        "GET /api/review/queue": lambda: ("/api/review/queue", {**filters(), "limit": 10}),
    }


def percentile(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def time_endpoints(
    servers: list[Server], s: dict, n: int, seed: int, only: str | None = None, timeout: float = 120
) -> dict[str, dict[str, dict]]:
    """endpoint -> server label -> {p50, p95, max, statuses}; the same requests to each, alternating.
    A request that times out counts as `timeout` seconds with status 0, and the endpoint's remaining
    requests to that server are skipped (one such request already misses the target by far)."""
    rng = random.Random(seed)
    clients = {srv.label: httpx.Client(base_url=srv.base, timeout=timeout) for srv in servers}
    results: dict[str, dict[str, dict]] = {}
    for name, make in request_makers(s, rng).items():
        if only and only not in name:
            continue
        times: dict[str, list[float]] = {srv.label: [] for srv in servers}
        statuses: dict[str, set] = {srv.label: set() for srv in servers}
        for i in range(n + 2):
            path, params = make()
            order = servers if i % 2 else servers[::-1]
            for srv in order:
                if 0 in statuses[srv.label]:
                    continue
                started = time.perf_counter()
                try:
                    status = clients[srv.label].get(path, params=params).status_code
                except httpx.TimeoutException:
                    status = 0
                elapsed = (time.perf_counter() - started) * 1000
                statuses[srv.label].add(status)
                if i >= 2 or status == 0:  # the first two warm caches (a timeout counts)
                    times[srv.label].append(elapsed)
        results[name] = {
            label: {
                "p50": round(statistics.median(t), 1),
                "p95": round(percentile(t, 0.95), 1),
                "max": round(max(t), 1),
                "statuses": sorted(statuses[label]),
            }  # fmt: skip
            for label, t in times.items()
        }
        line = "  ".join(f"{label}: p50 {r['p50']:7.1f} p95 {r['p95']:7.1f}" for label, r in results[name].items())
        print(f"{name:32} {line}", file=sys.stderr, flush=True)
    for client in clients.values():
        client.close()
    return results


def first_views(servers: list[Server], runs: int) -> dict[str, list[float]]:
    from bench_api import CHROMIUM, first_view_times

    if not Path(CHROMIUM).exists():
        return {}
    found: dict[str, list[float]] = {}
    for srv in servers:
        try:
            found[srv.label] = [round(t, 2) for t in first_view_times(srv.base, runs)]
        except Exception as exc:  # noqa: BLE001  a view that never completes (30 s) is a figure too
            print(f"{srv.label}: first view failed: {str(exc).splitlines()[0]}", file=sys.stderr)
            found[srv.label] = [float("inf")]
        print(f"{srv.label}: first view {found[srv.label]} s", file=sys.stderr, flush=True)
    return found


def under_test_copy(store_path: Path, fresh: bool) -> Path:
    """A copy of the cached store for the code under test (its schema upgrade must not touch the cache)."""
    copy = store_path.with_name(store_path.stem + ".under-test.db")
    if fresh or not copy.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(copy) + suffix).unlink(missing_ok=True)
        shutil.copyfile(store_path, copy)
    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--store", type=Path, default=None, help="default: ~/.cache/marsad-bench/<1m|100k>.db")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per endpoint and server")
    parser.add_argument("--renders", type=int, default=3, help="dashboard first views per server")
    parser.add_argument("--before", type=Path, default=None, help="src/ of another marsad to compare with")
    parser.add_argument("--fresh-copy", action="store_true", help="copy the cached store again for the code under test")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", default=None, help="only the endpoints whose name contains this")
    parser.add_argument("--timeout", type=float, default=120, help="seconds a request may take")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON on stdout")
    args = parser.parse_args()
    store_path = million.ensure(args.records, args.store)
    servers = []
    if args.before:
        servers.append(Server("before", args.before, store_path))
    servers.append(Server("after", SRC, under_test_copy(store_path, args.fresh_copy)))
    try:
        s = samples(store_path, random.Random(args.seed))
        endpoints = time_endpoints(servers, s, args.requests, args.seed, args.only, args.timeout)
        views = first_views(servers, args.renders) if args.renders else {}
    finally:
        for srv in servers:
            srv.close()
    report = {
        "records": s["records"][0],
        "startup_seconds": {srv.label: round(srv.startup, 1) for srv in servers},
        "endpoints": endpoints,
        "first_view_seconds": views,
    }
    for label in (srv.label for srv in servers) if endpoints else ():
        worst = max(endpoints.items(), key=lambda item: item[1][label]["p95"])
        missed = [
            name for name, r in endpoints.items() if r[label]["p95"] >= TARGETS.get(name.split(" first")[0], TARGET)
        ]
        view = statistics.median(views[label]) if views.get(label) else None
        print(f"{label}: worst p95 {worst[1][label]['p95']} ms ({worst[0]}); over target: {missed or 'none'}; "
              f"first view median {view} s", file=sys.stderr)  # fmt: skip
    if args.json:
        print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
