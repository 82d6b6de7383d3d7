"""API latency with 100,000 records, and the dashboard's first render with the full ANT corpus.

1. Ingests the whole ANT corpus (../shared/data/articles) with the real pipeline, then loads the
   dashboard in headless Chromium (Debian's, via Playwright) several times: time to first view
   (navigation until every panel has drawn). Target: under 2 s.
2. Adds UCDP GED's real Syrian events (../shared/data/events) as records, each event as several
   reports (copies with their own text, as several outlets would report it), until the store holds
   100,000 records, resolves them into events (as an ingest would), then times every API endpoint
   over HTTP on loopback with varied parameters and prints p50/p95. Target: p95 under 100 ms.

    python benchmarks/bench_api.py [--records 100000] [--requests 60] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import httpx
import uvicorn

from marsad import pipeline, store
from marsad.api import create_app
from marsad.geo import default_resolver
from marsad.model import Count, Document, Location, Record
from marsad.resolve import update_events
from marsad.sources import read_sources
from marsad.store import events as event_store

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ANT = DATA / "articles" / "ant_syria_iraq_2018.jsonl"
UCDP = DATA / "events" / "ucdp_ged_syria_2016_2019.csv"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
# UCDP's side_a names for the actors the benchmark filters on; the rest are "other".
UCDP_ACTORS = {
    "Government of Syria": "syrian_government",
    "Government of Russia (Soviet Union)": "russia",
    "IS": "isis",
    "Government of Turkey": "turkey",
    "SDF": "sdf_ypg",
    "Syrian insurgents": "syrian_opposition",
}
UCDP_TYPES = {"1": "battles", "2": "battles", "3": "violence_against_civilians"}


def ucdp_documents(copies: int) -> Iterator[tuple[Document, list[Record]]]:
    """Each UCDP event as `copies` one-record reports; admin1 resolved by marsad's own gazetteer."""
    resolver = default_resolver()
    admin1: dict[str, str | None] = {}
    rows = list(csv.DictReader(UCDP.open(encoding="utf-8")))
    for copy in range(copies):
        for row in rows:
            if row["adm_1"] not in admin1:
                place = resolver.resolve(row["adm_1"].replace(" Governorate", "")) if row["adm_1"] else None
                admin1[row["adm_1"]] = place.admin1 if place else None
            text = (
                f"{row['source_headline']}\n\n{row['where_coordinates']}. {row['dyad_name']}. (UCDP {row['id']}/{copy})"
            )
            doc = Document(
                doc_id=f"ucdp-{row['id']}-{copy}",
                text=text,
                title=row["source_headline"],
                outlet=f"{row['source_office']} #{copy}",
                published=date.fromisoformat(row["date_end"]),
                lang="en",
            )
            record = Record(
                doc_id=doc.doc_id,
                event_type=UCDP_TYPES.get(row["type_of_violence"]),
                date=row["date_start"],
                date_precision="day",
                perpetrator=UCDP_ACTORS.get(row["side_a"], "other"),
                victim_group="civilians" if row["type_of_violence"] == "3" else "other",
                killed=Count(int(row["low"]), int(row["best"]), int(row["high"])),
                location=Location(
                    text=row["where_coordinates"],
                    admin1=admin1[row["adm_1"]],
                    country="SY",
                    lat=float(row["latitude"]),
                    lon=float(row["longitude"]),
                ),  # fmt: skip
            )
            yield doc, [record]


def ingest_ant(engine) -> None:
    started = time.perf_counter()
    stats = pipeline.ingest(engine, read_sources([str(ANT)]))
    print(f"ANT ingested: {stats.stored} reports, {stats.records} records in {time.perf_counter() - started:.1f} s")


def add_ucdp(engine, target: int) -> None:
    missing = target - store.count_records(engine)
    if missing <= 0:
        return
    rows = sum(1 for _ in UCDP.open(encoding="utf-8")) - 1
    copies = -(-missing // rows)
    started, added = time.perf_counter(), 0
    for doc, records in ucdp_documents(copies):
        if added >= missing:
            break
        if store.save_document(engine, doc, records):
            added += 1
    print(f"UCDP added: {added} records ({copies} copies) in {time.perf_counter() - started:.1f} s")


class Server:
    def __init__(self, engine) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.uv = uvicorn.Server(
            uvicorn.Config(create_app(engine), host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.uv.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.uv.started:
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        self.uv.should_exit = True
        self.thread.join(timeout=10)


def first_view_times(base: str, runs: int) -> list[float]:
    """Seconds from navigation to every panel drawn (body[data-ready='1']), each run in a fresh context."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            started = time.perf_counter()
            page.goto(base + "/")
            page.wait_for_selector("body[data-ready='1']", timeout=30_000)
            times.append(time.perf_counter() - started)
            context.close()
        browser.close()
    return times


def request_makers(engine, rng: random.Random) -> dict[str, Callable[[], tuple[str, str, dict]]]:
    """Per endpoint, a maker of a varied request (method, path, options) drawn from the stored data."""
    sample = store.query_records(engine, store.Filters(kind="incident"), limit=2000, offset=rng.randrange(50_000))
    ids = [s.record_id for s in sample]
    doc_ids = [s.record.doc_id for s in sample]
    admin1 = sorted({s.record.location.admin1 for s in sample if s.record.location and s.record.location.admin1})
    actors = sorted({s.record.perpetrator for s in sample})
    words = ["حلب", "إدلب", "قصف", "Aleppo", "clashes", "الغوطة", "Raqqa", "مقتل"]

    def window() -> dict:
        start = date(rng.choice([2016, 2017, 2018, 2019]), rng.randint(1, 12), 1)
        return {"since": start.isoformat(), "until": date(start.year, 12, 31).isoformat()}

    def filters() -> dict:
        picks = [
            window(),
            {"admin1": rng.choice(admin1)},
            {"perpetrator": rng.choice(actors)},
            {"text": rng.choice(words)},
        ]
        return {k: v for part in rng.sample(picks, rng.randint(0, 2)) for k, v in part.items()}

    total = store.count_records(engine)
    event_ids = [e["event_id"] for e in event_store.query_events(engine, limit=500, offset=rng.randrange(5000))]
    ant_docs = [line for line in ANT.read_text(encoding="utf-8").split("\n") if line.strip()]
    return {
        "GET /api/health": lambda: ("GET", "/api/health", {}),
        "GET /api/records": lambda: ("GET", "/api/records", {"params": filters()}),
        "GET /api/records deep page": lambda: (
            "GET",
            "/api/records",
            {"params": {"offset": rng.randrange(total - 50)}},
        ),
        "GET /api/records/{id}": lambda: ("GET", f"/api/records/{rng.choice(ids)}", {}),
        "GET /api/events": lambda: ("GET", "/api/events", {"params": {**filters(), "limit": 25}}),
        "GET /api/events/{id}": lambda: ("GET", f"/api/events/{rng.choice(event_ids)}", {}),
        "GET /api/documents": lambda: (
            "GET",
            "/api/documents",
            {"params": rng.choice([{}, {"text": rng.choice(words)}])},
        ),
        "GET /api/documents/{id}": lambda: ("GET", f"/api/documents/{rng.choice(doc_ids)}", {}),
        "GET /api/tallies": lambda: ("GET", "/api/tallies", {"params": filters()}),
        "GET /api/timeline": lambda: (
            "GET",
            "/api/timeline",
            {"params": {**filters(), "bucket": rng.choice(["day", "week"])}},
        ),
        "GET /api/map": lambda: ("GET", "/api/map", {"params": filters()}),
        "GET /api/outlines": lambda: ("GET", "/api/outlines", {}),
        "GET /api/vocabulary": lambda: ("GET", "/api/vocabulary", {}),
        # A report not stored yet (an ANT article with a line added): extraction, storage, event resolution.
        "POST /api/ingest (new report)": lambda: (
            "POST",
            "/api/ingest",
            {
                "json": {
                    **json.loads(rng.choice(ant_docs)),
                    "docno": None,
                    "text": f"{rng.random()}\n" + json.loads(rng.choice(ant_docs))["text"],
                }
            },
        ),  # fmt: skip
        # Re-posting stored ANT reports: the duplicate path (hash check + its records), no new rows.
        "POST /api/ingest (stored report)": lambda: (
            "POST",
            "/api/ingest",
            {"content": rng.choice(ant_docs).encode(), "headers": {"content-type": "application/json"}},
        ),  # fmt: skip
    }


def time_endpoints(base: str, engine, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    print(f"\n{'endpoint':36} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  statuses")
    worst = 0.0
    with httpx.Client(base_url=base, timeout=30) as client:
        for name, make in request_makers(engine, rng).items():
            times, statuses = [], set()
            for i in range(n + 3):
                method, path, options = make()
                started = time.perf_counter()
                response = client.request(method, path, **options)
                elapsed = (time.perf_counter() - started) * 1000
                statuses.add(response.status_code)
                if i >= 3:  # the first calls warm caches (outlines, the extractor's lexicons)
                    times.append(elapsed)
            p95 = statistics.quantiles(times, n=20)[-1]
            worst = max(worst, p95)
            print(f"{name:36} {statistics.median(times):8.1f} {p95:8.1f} {max(times):8.1f}  {sorted(statuses)}")
    print(f"\nworst p95: {worst:.1f} ms (target < 100 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000, help="records in the store for the API timings")
    parser.add_argument("--requests", type=int, default=60, help="timed requests per endpoint")
    parser.add_argument("--renders", type=int, default=5, help="dashboard first-view loads to time")
    parser.add_argument("--keep", type=Path, default=None, help="keep (and reuse) the database in this folder")
    args = parser.parse_args()
    for path in (ANT, UCDP):
        if not path.exists():
            sys.exit(f"real data not found: {path}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        engine = store.connect(str(folder / "bench_api.db"))
        if store.count_documents(engine) == 0:
            ingest_ant(engine)
        with Server(engine) as base:
            if Path(CHROMIUM).exists() and store.count_records(engine) < args.records:
                times = first_view_times(base, args.renders)
                print(
                    f"dashboard first view, full ANT corpus ({store.count_records(engine)} records): "
                    f"median {statistics.median(times):.2f} s, max {max(times):.2f} s "
                    f"over {len(times)} loads (target < 2 s)"
                )
            elif not Path(CHROMIUM).exists():
                print(f"no Chromium at {CHROMIUM}: dashboard timing skipped (scripts/install-browser.sh)")
            add_ucdp(engine, args.records)
            started = time.perf_counter()
            resolved = update_events(engine)
            print(f"events resolved: {resolved} in {time.perf_counter() - started:.1f} s")
            print(f"store: {store.count_documents(engine)} documents, {store.count_records(engine)} records")
            time_endpoints(base, engine, args.requests)
            if Path(CHROMIUM).exists():
                times = first_view_times(base, 3)
                print(
                    f"dashboard first view at {store.count_records(engine)} records: "
                    f"median {statistics.median(times):.2f} s"
                )
        engine.dispose()


if __name__ == "__main__":
    main()
