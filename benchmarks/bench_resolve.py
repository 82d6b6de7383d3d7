"""Speed of event resolution, built from UCDP's real places and dates, in one dense period or spread.

    python benchmarks/bench_resolve.py [--records 100000] [--spread] [--json] [--store]

Every UCDP GED Syria 2016-2019 incident is restated by several "outlets" (stress.py), folded into
one 30-day period (a dense campaign; --spread: over years), until the target number of records is
reached, then resolved from scratch in memory (CPU seconds, without the text tie-breaker). With --store the
records are also written to a fresh SQLite database and resolved through `update_events`, the
path an ingest takes (reading records, resolving, writing events and members).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from marsad.resolve.cluster import resolve_items  # noqa: E402
from resolve_eval import DATA, pairwise  # noqa: E402
from stress import stress_items  # noqa: E402


def build(n_records: int, spread: bool = False) -> tuple[list, dict]:
    """UCDP incidents (all, no thinning) restated by 1-20 outlets (1.8 on average): folded into one 30-day
    period by default, or over years with --spread; repeated (a day later in the period, or four years
    later) until there are n_records records."""
    per_copy = 13_904 * 1.75
    copies = max(1, math.ceil(n_records / per_copy))
    items, truth = stress_items(
        DATA, None, mean_reports=2.2, distinct=False, period_days=None if spread else 30, copies=copies
    )
    while len(items) < n_records:
        copies += 1
        items, truth = stress_items(
            DATA, None, mean_reports=2.2, distinct=False, period_days=None if spread else 30, copies=copies
        )
    return items[:n_records], truth


def store_run(items: list) -> None:
    from marsad import store
    from marsad.model import Document
    from marsad.resolve import update_events
    from marsad.store.events import count_events
    from marsad.store.records import record_row
    from marsad.store.schema import documents, records

    with tempfile.TemporaryDirectory() as tmp:
        engine = store.connect(str(Path(tmp) / "bench.db"))
        started = time.perf_counter()
        docs, rows = [], []
        for item in items:
            doc = Document(doc_id=item.doc_id, text=item.doc_id, published=item.published)
            docs.append(
                {
                    "doc_id": doc.doc_id,
                    "content_hash": doc.content_hash,
                    "published": doc.published,
                    "lang": "en",
                    "raw_text": doc.text,
                    "text": doc.text,
                    "text_norm": doc.text,
                    "ingested_at": store_now(),
                }
            )
            rows.append(record_row(doc, 0, item.record))
        with engine.begin() as conn:
            for i in range(0, len(docs), 5000):
                conn.execute(documents.insert(), docs[i : i + 5000])
                conn.execute(records.insert(), rows[i : i + 5000])
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        stats = update_events(engine)
        took = time.perf_counter() - started
        print(
            f"store: {len(items)} records written in {loaded:.1f} s; update_events resolved {stats['records']} "
            f"into {count_events(engine)} events in {took:.1f} s (read, resolve, write events and members)"
        )


def store_now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--spread", action="store_true", help="records over years (default: one 30-day period)")
    parser.add_argument("--json", action="store_true", help='print {"records", "cpu_seconds", "events"} only')
    parser.add_argument("--store", action="store_true", help="also time the store path (update_events)")
    args = parser.parse_args()
    if not (DATA / "events" / "ucdp_ged_syria_2016_2019.csv").exists():
        sys.exit(f"UCDP data not found under {DATA}")
    items, truth = build(args.records, args.spread)
    started = time.process_time()
    clusters = resolve_items(items)
    took = time.process_time() - started
    if args.json:
        print(json.dumps({"records": len(items), "cpu_seconds": round(took, 2), "events": len(clusters)}))
        return
    predicted = {m.record_id: str(i) for i, c in enumerate(clusters) for m in c.members}
    precision, recall, _, _ = pairwise(predicted, {k: truth[k] for k in predicted})
    days = {i.day for i in items if i.day is not None}
    print(
        f"in memory: {len(items)} records over {max(days) - min(days) + 1} days from "
        f"{len({truth[i.record_id] for i in items})} incidents -> {len(clusters)} events in {took:.1f} CPU-s "
        f"({len(items) / took:,.0f} records/CPU-s); pairwise precision {precision:.3f} recall {recall:.3f}"
    )
    if args.store:
        store_run(items)


if __name__ == "__main__":
    main()
