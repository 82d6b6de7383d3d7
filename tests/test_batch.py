"""`marsad batch` on a real dask LocalCluster (2 workers) over 200 real ANT reports, and `marsad load`
of its partitions into SQLite and PostgreSQL, held against `marsad extract` and `marsad ingest` of the same files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from ingest_runs import events_state
from marsad import store
from marsad.batch import load_batch, partitions, run_batch
from marsad.cli import app
from marsad.parallel import extract_batches
from marsad.pipeline import ingest
from marsad.sources import read_sources
from marsad.store.schema import documents, records

REPORTS = 200
# Worker threads in this process keep the test within CI's time (the brief allows it); MARSAD_TEST_DASK_PROCESSES=1
# runs the same tests on worker processes, as `marsad batch` does. benchmarks/bench_batch.py uses processes.
PROCESSES = os.environ.get("MARSAD_TEST_DASK_PROCESSES") == "1"


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=PROCESSES, dashboard_address=None) as cluster,
        Client(cluster) as dask_client,
    ):
        yield dask_client


@pytest.fixture(scope="module")
def shards(ant_path, tmp_path_factory) -> list[str]:
    """The first 200 ANT reports dealt into three JSONL shards and one Parquet shard."""
    import pyarrow as pa

    with ant_path.open(encoding="utf-8", newline="") as handle:  # not splitlines: texts hold U+2028
        lines = [line for line in handle if line.strip()][:REPORTS]
    folder = tmp_path_factory.mktemp("shards")
    paths = []
    for i in range(3):
        path = folder / f"ant-{i}.jsonl"
        path.write_text("".join(lines[i::4]), encoding="utf-8")
        paths.append(str(path))
    rows = [json.loads(line) for line in lines[3::4]]
    pq.write_table(pa.Table.from_pylist(rows), folder / "ant-3.parquet", row_group_size=16)
    return [*paths, str(folder / "ant-3.parquet")]


@pytest.fixture(scope="module")
def batch_out(shards, client, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("batch") / "out"
    stats = run_batch(shards, out, client=client)
    assert stats.reports == REPORTS and not stats.failed_shards and stats.failures == 0
    return out


@pytest.fixture(scope="module")
def ingested(shards, tmp_path_factory) -> str:
    """`marsad ingest` of the same files, into SQLite."""
    db = str(tmp_path_factory.mktemp("ingest") / "ingest.db")
    engine = store.connect(db)
    stats = ingest(engine, read_sources(shards))
    assert stats.read == REPORTS and not stats.errors
    engine.dispose()
    return db


def _batch_records(out: Path) -> list[dict]:
    found = []
    for name in partitions.finished_shards(out):
        rows = partitions.read_partition(out, "records", name)
        found.extend(json.loads(row["data"]) for row in sorted(rows, key=lambda r: (r["doc_row"], r["idx"])))
    return found


def test_batch_gives_the_records_of_extract(shards, batch_out):
    expected = []
    docs = [doc for doc in read_sources(shards) if not isinstance(doc, Exception)]
    for _, found in extract_batches([docs]):
        expected.extend(record.to_dict() for records_ in found for record in records_)
    assert len(expected) > 50
    assert _batch_records(batch_out) == expected
    # The records folder reads as one table, with the flat columns agreeing with the SCHEMA record.
    table = ds.dataset(batch_out / "records", format="parquet").to_table().to_pylist()
    assert len(table) == len(expected)
    for row in table:
        data = json.loads(row["data"])
        assert row["confidence"] == data.get("confidence") and json.loads(row["evidence"]) == data["evidence"]
        assert row["kind"] == data["kind"] and row["killed_best"] == (data["killed"] or {}).get("best")


def _contents(db: str) -> tuple[dict, dict, dict]:
    engine = store.connect(db)
    with engine.connect() as conn:
        docs = {
            row.doc_id: {k: v for k, v in row._mapping.items() if k not in ("id", "ingested_at")}
            for row in conn.execute(select(documents))
        }
        recs = {row.record_id: dict(row._mapping) for row in conn.execute(select(records))}
    engine.dispose()
    return docs, recs, events_state(db)


def test_load_gives_the_store_of_ingest(batch_out, ingested, store_url):
    engine = store.connect(store_url)
    stats = load_batch(engine, batch_out)
    assert stats.stored > 150 and stats.records > 50 and not stats.errors
    expected = _contents(ingested)
    assert _contents(store_url) == expected
    # Loading again stores nothing new and changes nothing.
    again = load_batch(engine, batch_out)
    assert again.stored == 0 and again.duplicates == stats.read
    engine.dispose()
    assert _contents(store_url) == expected


def test_bad_lines_are_failures_with_file_and_line(ant_path, client, tmp_path):
    import pyarrow as pa

    good = [row for row in ant_path.read_text(encoding="utf-8").split("\n") if row.strip()][:3]
    shard, table = tmp_path / "bad.jsonl", tmp_path / "bad.parquet"
    shard.write_text("\n".join([good[0], '{"docno": "cut", "text": ', '{"docno": "empty"}', good[1]]) + "\n")
    pq.write_table(pa.Table.from_pylist([json.loads(good[2]), {"docno": "no text"}]), table)
    out = tmp_path / "out"
    stats = run_batch([str(shard), str(table)], out, client=client)
    assert (stats.reports, stats.failures) == (3, 3)
    expected = sorted([(str(table), 2), (str(shard), 2), (str(shard), 3)])
    rows = pq.read_table(out / "failures").to_pylist()
    assert sorted((row["path"], row["line"]) for row in rows) == expected
    assert {row["stage"] for row in rows} == {"read"}
    db = str(tmp_path / "bad.db")
    result = CliRunner().invoke(app, ["load", str(out), "--db", db])
    assert result.exit_code == 1, result.output
    engine = store.connect(db)
    assert store.count_documents(engine) == 3
    assert sorted((f.path, f.line) for f in store.list_failures(engine)) == expected


def test_rerun_resumes_and_a_partial_partition_stays_unseen(shards, client, tmp_path):
    out = tmp_path / "out"
    address = client.scheduler.address
    command = ["batch", *shards[:2], "-o", str(out), "--scheduler", address, "-q"]
    assert CliRunner().invoke(app, command).exit_code == 0
    first, second = partitions.finished_shards(out)
    kept = {t: partitions.partition_path(out, t, first).stat().st_mtime_ns for t in partitions.TABLES}
    # A crash while the second shard was being written: its records partition was never renamed into place.
    redo = partitions.partition_path(out, "records", second)
    redo.rename(redo.with_name(f".{redo.name}.crashed.partial"))
    assert partitions.finished_shards(out) == [first]
    assert len(ds.dataset(out / "records", format="parquet").files) == 1  # the partial is not read
    stats = run_batch(shards[:2], out, client=client)
    assert (stats.skipped, len(stats.results)) == (1, 1) and stats.results[0].name == second
    assert {t: partitions.partition_path(out, t, first).stat().st_mtime_ns for t in partitions.TABLES} == kept
    assert partitions.finished_shards(out) == [first, second]


def test_a_shard_is_extracted_with_the_model_its_places_database_remembers(ant_rows, tmp_path, monkeypatch):
    """`--places-db` names the database the records are for: without `--model`, its remembered model decides,
    as an ingest into it would (the worker reads it from the database itself)."""
    from marsad.batch import run
    from marsad.pipeline import remember_model

    shipped = json.loads((Path(store.__file__).parents[1] / "lang" / "ar" / "model.json").read_text())
    # A deciding model that believes nothing: a shard extracted with it has no records.
    doubting = tmp_path / "doubting.json"
    doubting.write_text(json.dumps({**shipped, "decides": True, "threshold": 1.01}))
    shard = tmp_path / "killing.jsonl"
    shard.write_text("\n".join([r for r in ant_rows if "قتل" in r][:10]) + "\n", encoding="utf-8")
    remembers, plain = f"sqlite:///{tmp_path / 'remembers.db'}", f"sqlite:///{tmp_path / 'plain.db'}"
    remember_model(store.connect(remembers), str(doubting))
    store.connect(plain)
    monkeypatch.delenv("MARSAD_MODEL", raising=False)
    monkeypatch.setattr(run, "_loaded", {})

    def records(places_db: str, model: str | None = None) -> int:
        out = tmp_path / f"out-{len(list(tmp_path.iterdir()))}"
        return run.extract_shard(str(shard), "s0", str(out), {"places_db": places_db, "model": model}).records

    assert records(plain) > 0
    assert records(remembers) == 0
    assert records(plain) > 0  # a worker keeps each database's choice apart
    assert records(remembers, model=str(Path(store.__file__).parents[1] / "lang" / "ar" / "model.json")) > 0
