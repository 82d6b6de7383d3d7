"""The review queue's latency at 100,000 records, and the cost of one analyst decision there.

Builds a store of UCDP GED's real Syrian events as one-record reports (as bench_api.py does) until it
holds 100,000 records, gives 70% of them a model confidence (the rest have none, as records of an
extractor without one), resolves them into events, then over HTTP on loopback:

- times GET /api/review/queue with varied filters (common and rare values, none at all) and pages (mostly
  the first, one in five anywhere up to 60,000) and prints p50/p95 (target: p95 < 200 ms);
- times POST /api/records/{id}/correct (the correction, its log entry and the re-resolution of its
  event) and prints p50/p95.

    python benchmarks/bench_review.py [--records 100000] [--requests 100] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import UCDP, Server, ucdp_documents  # noqa: E402
from marsad import store  # noqa: E402
from marsad.resolve import update_events  # noqa: E402


def build(engine, target: int, rng: random.Random) -> None:
    missing = target - store.count_records(engine)
    if missing <= 0:
        return
    rows = sum(1 for _ in UCDP.open(encoding="utf-8")) - 1
    started, added = time.perf_counter(), 0
    for doc, records in ucdp_documents(-(-missing // rows)):
        if added >= missing:
            break
        for record in records:
            record.confidence = round(rng.random(), 4) if rng.random() < 0.7 else None
        added += store.save_document(engine, doc, records)
    print(f"stored {added} records in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    update_events(engine)
    print(f"resolved into events in {time.perf_counter() - started:.0f} s", flush=True)


def percentiles(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms  p95 {p95 * 1000:.1f} ms  (n={len(ordered)})"


def queue_params(rng: random.Random, admin1: list[str]) -> dict:
    picks = [
        {"admin1": rng.choice(admin1)},
        {"perpetrator": rng.choice(["isis", "syrian_government", "russia", "other"])},
        {"since": f"{rng.choice([2016, 2017, 2018])}-0{rng.randint(1, 9)}-01"},
        {"kind": "incident"},
        {"victim": "civilians,other"},
    ]
    params = {k: v for part in rng.sample(picks, rng.randint(0, 2)) for k, v in part.items()}
    # Mostly the first pages; one request in five anywhere, past the end of a filtered queue too.
    params.update(limit=50, offset=rng.choice([0, 0, 0, 50, rng.randrange(60_000)]))
    return params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--keep", help="Keep (and reuse) the database in this directory.")
    args = parser.parse_args()
    rng = random.Random(13)
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="marsad-review-"))
    root.mkdir(parents=True, exist_ok=True)
    engine = store.connect(str(root / "review.db"))
    build(engine, args.records, rng)
    print(f"store: {store.count_records(engine)} records", flush=True)
    admin1 = ["Aleppo", "Idleb", "Deir-ez-Zor", "Rural Damascus", "Hama", "Ar-Raqqa"]
    with Server(engine) as base, httpx.Client(base_url=base, timeout=60) as client:
        client.get("/api/review/queue")  # warm up: first connection, caches
        times = []
        for _ in range(args.requests):
            params = queue_params(rng, admin1)
            started = time.perf_counter()
            response = client.get("/api/review/queue", params=params)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, (params, response.text)
        print(f"GET /api/review/queue       {percentiles(times)}", flush=True)
        first = client.get("/api/review/queue", params={"limit": 500}).json()["items"]
        times = []
        for item in first[: max(10, args.requests // 5)]:
            best = ((item.get("killed") or {}).get("best") or 0) + 1
            started = time.perf_counter()
            response = client.post(
                f"/api/records/{item['record_id']}/correct",
                json={"set": {"killed.best": best}, "reason": "benchmark", "user": "bench"},
            )
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.text
        print(f"POST /api/records/{{id}}/correct {percentiles(times)}", flush=True)
    engine.dispose()


if __name__ == "__main__":
    main()
