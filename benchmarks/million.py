"""A synthetic store of N records (1,000,000 by default) from UCDP GED's real Syrian incidents, built once.

Every real incident (../shared/data/events, Syria 2016-2019) is restated by 1-20 outlets (2.2 on average,
benchmarks/stress.py: counts varied, dates off by a day, places respelled, actors left out), and the whole
set is repeated in eras 4 years apart (2008-2023) and then shifted by 37 days per round, until N records
exist. About 1 % are monthly tallies per governorate (a toll for the month, as observatories publish).
Events are the true incidents (what a perfect resolution gives), merged by marsad's own `summarize`.

It is written through the store's bulk path: documents, records and events in multi-row inserts of a few
thousand per transaction, the text index fed per batch. The file is built beside its final path and
renamed when complete, so an interrupted build is never reused:

    python benchmarks/million.py [--records 1000000] [--out ~/.cache/marsad-bench/1m.db]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, insert

sys.path.insert(0, str(Path(__file__).resolve().parent))

from marsad import store  # noqa: E402
from marsad.model import Count, Document, Location, Record, content_hash  # noqa: E402
from marsad.resolve.features import to_item  # noqa: E402
from marsad.resolve.merge import event_id_for, summarize  # noqa: E402
from marsad.store import events as event_store  # noqa: E402
from marsad.store import summaries  # noqa: E402
from marsad.store.records import document_row, record_row  # noqa: E402
from marsad.store.schema import documents, metadata, records  # noqa: E402
from marsad.store.search import FTS_TABLE  # noqa: E402
from resolve_eval import DATA  # noqa: E402
from stress import restate, ucdp_rows  # noqa: E402

CACHE = Path.home() / ".cache" / "marsad-bench"
OUTLETS = ["SOHR", "SANA", "Enab Baladi", "Step News", "North Press", "Reuters", "AFP", "Al-Watan", "Smart", "Orient"]
ERAS = (-8, -4, 0, 4)  # years added to UCDP's 2016-2019 dates, round by round
BATCH = 5000  # rows per multi-row insert
EVENT_TABLES = ("documents", "records", "events", "event_members")


def default_path(n_records: int) -> Path:
    label = f"{n_records // 1_000_000}m" if n_records % 1_000_000 == 0 else f"{n_records // 1000}k"
    return CACHE / f"{label}.db"


def _shift(round_: int) -> timedelta:
    """How far round `round_` moves UCDP's dates: an era of 4 years, then 37 days more per pass over the eras."""
    era = ERAS[round_ % len(ERAS)] * 1461 // 4
    return timedelta(days=era + (round_ // len(ERAS)) * 37)


def templates(rows: list[dict], rng: random.Random) -> list[tuple[list[tuple[Document, Record]], dict]]:
    """Per real incident: its restated reports and the event they form (marsad's `summarize`), in dates as
    UCDP gives them; later rounds copy them with dates moved (restating a million is slow)."""
    found = []
    for row in rows:
        group = []
        for k in range(1 + min(int(rng.expovariate(1 / 1.2)), 19)):
            record = restate(row, k, rng)
            record.confidence = round(rng.random(), 4) if rng.random() < 0.7 else None
            doc_id = f"@{row['id']}-{k}"
            place = record.location.name if record.location else "Syria"
            killed = record.killed.best if record.killed and record.killed.best else "Several"
            text = (
                f"{row['source_headline']}\n\n{place}, {row['adm_1']}: {row['dyad_name']}. {killed} killed. ({doc_id})"
            )
            published = date.fromisoformat(record.date) + timedelta(days=rng.randint(0, 1))
            doc = Document(doc_id, text, title=row["source_headline"], outlet=rng.choice(OUTLETS),
                           published=published, lang="en")  # fmt: skip
            group.append((doc, record))
        items = [to_item(f"{doc.doc_id}:0", record, doc.published) for doc, record in group]
        found.append((group, summarize(items)))
    return found


def _moved_row(row: dict, prefix: str, shift: timedelta, keys: tuple[str, ...]) -> dict:
    moved = {**row}
    for key in keys:
        if moved.get(key) is not None:
            moved[key] = moved[key] + shift
    for key in ("doc_id", "record_id", "event_id"):
        if key in moved:
            moved[key] = moved[key].replace("@", prefix)
    return moved


def round_rows(pool: list, round_: int, now: datetime) -> tuple[list, list, list, list]:
    """Documents, records, events and members of one round: the templates moved in time."""
    shift, prefix = _shift(round_), f"r{round_}-"
    docs, recs, evs, members = [], [], [], []
    for group, fields in pool:
        ids = []
        for doc, record in group:
            doc_row = _moved_row(document_row(doc, now), prefix, shift, ("published",))
            for key in ("text", "raw_text", "text_norm"):
                doc_row[key] = doc_row[key].replace("@", prefix)
            doc_row["content_hash"] = content_hash(doc_row["text"])
            docs.append(doc_row)
            rec = _moved_row(record_row(doc, 0, record), prefix, shift, ("date", "period_start", "period_end"))
            rec["data"] = {**rec["data"], "doc_id": rec["doc_id"], "date": rec["date"].isoformat()}
            recs.append(rec)
            ids.append(rec["record_id"])
        event_id = event_id_for(ids)
        moved = {**fields, "date": (date.fromisoformat(fields["date"]) + shift).isoformat() if fields["date"] else None}
        evs.append(event_store.event_row(event_id, moved))
        members.extend({"record_id": i, "event_id": event_id, "score": None,
                        "reason": "benchmark: the same UCDP incident"} for i in ids)  # fmt: skip
    return docs, recs, evs, members


def tally_rows(month_sums: dict[tuple[date, str], int], wanted: int, rng: random.Random, now: datetime):
    """Monthly tolls per governorate, as observatories publish them (near our sum), outlet after outlet."""
    docs, recs = [], []
    for outlet in OUTLETS:
        for (month, admin1), killed in sorted(month_sums.items()):
            if len(docs) >= wanted:
                return docs, recs
            end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            figure = round(killed * rng.uniform(0.9, 1.3))
            doc_id = f"tally-{outlet}-{month:%Y-%m}-{admin1}"
            text = f"Monthly toll\n\n{figure} people were killed in {admin1} in {month:%B %Y}. ({doc_id})"
            region = Location(name=admin1, admin1=admin1, country="SY")
            record = Record(doc_id=doc_id, kind="tally", period_start=month.isoformat(), period_end=end.isoformat(),
                            killed=Count.exact(figure), regions=[region])  # fmt: skip
            doc = Document(
                doc_id, text, title="Monthly toll", outlet=outlet, published=end + timedelta(days=1), lang="en"
            )
            docs.append(document_row(doc, now))
            recs.append(record_row(doc, 0, record))
    return docs, recs


def _insert(conn, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        conn.execute(insert(table), rows[start : start + BATCH])


def _drop_indexes(engine) -> None:
    """Secondary indexes are built once at the end (a sort each) rather than row by row: store.connect
    recreates every index of the schema, so the store ends with exactly the indexes its code makes."""
    with engine.begin() as conn:
        tables = ",".join(f"'{t}'" for t in EVENT_TABLES)
        query = f"SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({tables})"
        names = conn.exec_driver_sql(query).scalars()
        for name in list(names):
            conn.exec_driver_sql(f'DROP INDEX "{name}"')


def build(path: Path, n_records: int, seed: int = 11) -> None:
    """Build the store at `path` (beside it first, renamed when complete)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    for leftover in (part, part.with_name(part.name + "-wal"), part.with_name(part.name + "-shm")):
        leftover.unlink(missing_ok=True)
    engine = store.connect(str(part))
    event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA synchronous=OFF"))
    engine.dispose()
    _drop_indexes(engine)
    rng, now, started = random.Random(seed), datetime.now(UTC), time.perf_counter()
    pool = templates(ucdp_rows(DATA, distinct=False), rng)
    n_incidents = n_records - n_records // 100
    month_sums: dict[tuple[date, str], int] = defaultdict(int)
    done, round_ = 0, 0
    while done < n_incidents:
        docs, recs, evs, members = round_rows(pool, round_, now)
        if done + len(recs) > n_incidents:  # the last round: whole incidents only, the rest tallies
            keep = {m["event_id"] for m in members[: n_incidents - done]}
            members = [m for m in members if m["event_id"] in keep]
            evs = [e for e in evs if e["event_id"] in keep]
            docs, recs = docs[: len(members)], recs[: len(members)]
        for rec in recs:
            if rec["killed_best"] and rec["admin1"]:
                month_sums[(rec["date"].replace(day=1), rec["admin1"])] += rec["killed_best"]
        with engine.begin() as conn:
            for table, rows in (("documents", docs), ("records", recs), ("events", evs), ("event_members", members)):
                _insert(conn, metadata.tables[table], rows)
        done += len(recs)
        round_ += 1
        print(f"\r{done:,} records, {time.perf_counter() - started:.0f} s", end="", file=sys.stderr, flush=True)
    docs, recs = tally_rows(month_sums, n_records - done, rng, now)
    with engine.begin() as conn:
        _insert(conn, documents, docs)
        _insert(conn, records, recs)
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    engine.dispose()
    print(f"\nrows written in {time.perf_counter() - started:.0f} s; indexing", file=sys.stderr, flush=True)
    engine = store.connect(str(part))  # recreates the indexes
    with engine.begin() as conn:
        summaries.rebuild(conn)  # the bulk path bypasses save_events, which keeps them
    engine.dispose()
    part.rename(path)
    print(f"built {path}: {n_records:,} records in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def ensure(n_records: int, path: Path | None = None) -> Path:
    """The cached store of n_records, built if missing."""
    path = path or default_path(n_records)
    if not path.exists():
        build(path, n_records)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=None, help="default: ~/.cache/marsad-bench/<1m|100k>.db")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    path = args.out or default_path(args.records)
    if args.rebuild:
        path.unlink(missing_ok=True)
    print(ensure(args.records, path))


if __name__ == "__main__":
    main()
