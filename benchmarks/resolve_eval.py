"""Pairwise precision and recall of event resolution: on the gold events and on a generated stress set.

    python benchmarks/resolve_eval.py [--stress-events 3000] [--show]

Gold: `../shared/data/gold/ar_dev_events.jsonl` says which incident records of `ar_dev.jsonl` are one
real event. Stress: real UCDP incidents, each restated by several "outlets" with varied counts,
dates ±1 day, place spellings and missing details (see stress.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from itertools import combinations
from pathlib import Path

from marsad.model import Record
from marsad.resolve.cluster import resolve_items
from marsad.resolve.features import Item, to_item
from marsad.resolve.similarity import text_bonus, tie_break

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def gold_items(data: Path = DATA) -> tuple[list[Item], dict[str, str]]:
    """Incident records of the gold set as items, and record_id -> true cluster."""
    truth = {}
    for line in (data / "gold" / "ar_dev_events.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        truth[f"{row['doc_id']}:{row['index']}"] = row["cluster"]
    items = []
    for line in (data / "gold" / "ar_dev.jsonl").read_text("utf-8").splitlines():
        doc = json.loads(line)
        for index, raw in enumerate(doc["incidents"]):
            record_id = f"{doc['doc_id']}:{index}"
            if record_id in truth:
                record = Record.from_dict({**raw, "doc_id": doc["doc_id"]})
                from datetime import date

                published = date.fromisoformat(doc["published"]) if doc.get("published") else None
                item = to_item(record_id, record, published)
                # Gold records quote their evidence without offsets: the text is what the tie-breaker reads.
                item.text = raw.get("evidence_text") or ""
                items.append(item)
    return items, truth


def pairs_of(groups: dict[str, str]) -> set[tuple[str, str]]:
    by_group: dict[str, list[str]] = {}
    for rid, group in groups.items():
        by_group.setdefault(group, []).append(rid)
    return {tuple(sorted(p)) for members in by_group.values() for p in combinations(members, 2)}


def pairwise(predicted: dict[str, str], truth: dict[str, str]) -> tuple[float, float, int, int]:
    pred, true = pairs_of(predicted), pairs_of(truth)
    hit = len(pred & true)
    precision = hit / len(pred) if pred else 1.0
    recall = hit / len(true) if true else 1.0
    return precision, recall, len(pred), len(true)


def predict(items: list[Item]) -> dict[str, str]:
    clusters = resolve_items(items, tie_break=tie_break, text_bonus=text_bonus)
    return {m.record_id: str(i) for i, c in enumerate(clusters) for m in c.members}


def ant_report(db: str, sample: int, seed: int = 0) -> None:
    """ANT articles through the whole pipeline: records against events, and merged groups to check by eye."""
    import random
    from collections import Counter

    from marsad import store
    from marsad.resolve import update_events
    from marsad.store import events as event_store

    fresh = not Path(db).exists()
    engine = store.connect(db)
    if fresh:
        from marsad.pipeline import ingest
        from marsad.sources import read_path

        ingest(engine, read_path(str(DATA / "articles" / "ant_syria_iraq_2018.jsonl")))
    update_events(engine, full=True)
    n_records = store.count_records(engine, store.Filters(kind="incident"))
    found = event_store.query_events(engine)
    sizes = Counter(min(e["n_sources"], 5) for e in found)
    print(
        f"ANT: {store.count_documents(engine)} articles, {n_records} incident records -> {len(found)} events "
        f"({n_records / max(len(found), 1):.2f} records per event); events by number of reports: "
        + ", ".join(f"{k if k < 5 else '5+'}: {v}" for k, v in sorted(sizes.items()))
    )
    merged = [e for e in found if e["n_sources"] >= 2]
    for event in random.Random(seed).sample(merged, min(sample, len(merged))):
        place = (event.get("location") or {}).get("name") or ""
        print(f"\n== {event['event_id']} {event['date']} {event['sub_event_type']} {place} killed {event['killed']}")
        for src in event["sources"]:
            loc = (src.get("location") or {}).get("name") or ""
            killed = (src.get("killed") or {}).get("best")
            spans = sorted((e["text"] for e in src["evidence"]), key=len, reverse=True)
            quote = " ".join((spans[0] if spans else "").split())[:110]
            print(f"   {src['record_id']:<42} {src['date']} {loc:<18} killed {killed}  | {quote}")
            print(f"      why: {src['reason'][:160]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stress-events", type=int, default=3000)
    parser.add_argument("--show", action="store_true", help="print the wrong pairs of the gold set")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5], help="stress set seeds")
    parser.add_argument(
        "--all-incidents",
        action="store_true",
        help="stress set from every UCDP incident, same place within 3 days included (much harder; a check "
        "that a change does not merge repeated incidents at one place)",
    )
    parser.add_argument("--ant", metavar="DB", help="also resolve the ANT corpus (ingested into DB if new)")
    parser.add_argument("--sample", type=int, default=8, help="merged ANT groups to print")
    args = parser.parse_args()
    if not (DATA / "gold" / "ar_dev_events.jsonl").exists():
        sys.exit(f"gold data not found under {DATA}")
    items, truth = gold_items()
    predicted = predict(items)
    p, r, n_pred, n_true = pairwise(predicted, truth)
    n_events = len(set(predicted.values()))
    print(
        f"gold: {len(items)} records -> {n_events} events (truth {len(set(truth.values()))}); "
        f"pairwise precision {p:.3f} recall {r:.3f} ({n_pred} predicted pairs, {n_true} true pairs)"
    )
    if args.show:
        by_id = {i.record_id: i for i in items}
        for a, b in sorted(pairs_of(predicted) - pairs_of(truth)):
            print("  WRONG MERGE", a, b, truth[a], truth[b])
        for a, b in sorted(pairs_of(truth) - pairs_of(predicted)):
            from marsad.resolve.scoring import score_pair

            print("  MISSED", a, b, truth[a], score_pair(by_id[a], by_id[b]).explain())
    from stress import stress_items

    results = []
    for seed in args.seeds:
        s_items, s_truth = stress_items(DATA, args.stress_events, seed=seed, distinct=not args.all_incidents)
        s_pred = predict(s_items)
        p, r, n_pred, n_true = pairwise(s_pred, s_truth)
        results.append((p, r))
        print(
            f"stress seed {seed}: {len(s_items)} records from {len(set(s_truth.values()))} real events -> "
            f"{len(set(s_pred.values()))} events; pairwise precision {p:.3f} recall {r:.3f} "
            f"({n_pred} predicted pairs, {n_true} true pairs)"
        )
    mean_p = sum(p for p, _ in results) / len(results)
    mean_r = sum(r for _, r in results) / len(results)
    print(f"stress mean over {len(results)} seeds: pairwise precision {mean_p:.3f} recall {mean_r:.3f}")
    if args.ant:
        ant_report(args.ant, args.sample)


if __name__ == "__main__":
    main()
