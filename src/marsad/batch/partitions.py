"""The batch output folder: one Parquet partition per input shard in each of three tables.

    OUTDIR/documents/part-<shard>.parquet   the reports (what the store's documents table holds)
    OUTDIR/failures/part-<shard>.parquet    reports that could not be read or extracted (file, line, reason)
    OUTDIR/records/part-<shard>.parquet     the records (flat SCHEMA columns, confidence, evidence, and the
                                            whole SCHEMA record as JSON in `data`)
    OUTDIR/_shards.json                     the shards in input order (the order `load` stores them in)

A partition is written under a hidden partial name and renamed when complete (readers of Parquet folders
ignore names that start with "." or "_"). The records partition is renamed last: a shard is finished when
it exists, so a run that crashed leaves no half-written partition in sight and a re-run redoes only the
shards without one. Each folder reads as one table: `pyarrow.dataset.dataset(OUTDIR / "records")` or
`dask.dataframe.read_parquet(OUTDIR / "records")`.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from marsad.export.files import write_file

TABLES = ("documents", "failures", "records")
MANIFEST = "_shards.json"

_text, _int, _day, _float = pa.string(), pa.int64(), pa.date32(), pa.float64()

DOCUMENT_SCHEMA = pa.schema(
    [("doc_row", pa.int32())]
    + [(name, _text) for name in ("doc_id", "content_hash", "title", "outlet", "attribution", "url")]
    + [("published", _day)]
    + [(name, _text) for name in ("lang", "source_path", "raw_text", "text", "text_norm")]
)

FAILURE_SCHEMA = pa.schema([("path", _text), ("line", _int), ("stage", _text), ("reason", _text), ("doc_id", _text)])

RECORD_SCHEMA = pa.schema(
    [("doc_row", pa.int32()), ("content_hash", _text), ("record_id", _text), ("doc_id", _text), ("idx", pa.int32())]
    + [(name, _text) for name in ("kind", "event_type", "sub_event_type")]
    + [("date", _day), ("date_precision", _text), ("period_start", _day), ("period_end", _day)]
    + [(name, _text) for name in ("perpetrator", "victim_group", "victim_groups")]
    + [(f"{what}_{bound}", _int) for what in ("killed", "wounded") for bound in ("low", "best", "high")]
    + [(name, _text) for name in ("admin1", "admin2", "country")]
    + [("lat", _float), ("lon", _float), ("confidence", _float), ("queue_rank", _float)]
    # The evidence spans (JSON list of {start, end, text, role}) and the whole SCHEMA record (JSON).
    + [("evidence", _text), ("data", _text)]
)

SCHEMAS = {"documents": DOCUMENT_SCHEMA, "failures": FAILURE_SCHEMA, "records": RECORD_SCHEMA}


def shard_name(path: str) -> str:
    """A partition name for an input file: readable, and unique to its absolute path."""
    absolute = str(Path(path).resolve())
    stem = re.sub(r"[^\w.-]+", "_", Path(path).stem)[:60] or "shard"
    return f"{stem}-{hashlib.sha1(absolute.encode('utf-8', 'surrogatepass')).hexdigest()[:10]}"


def partition_path(outdir: Path, table: str, name: str) -> Path:
    return outdir / table / f"part-{name}.parquet"


def is_finished(outdir: Path, name: str) -> bool:
    return partition_path(outdir, "records", name).exists()


def write_shard(outdir: Path, name: str, rows: dict[str, list[dict]]) -> None:
    """Write a shard's three partitions, each whole or not at all, the records last."""
    for table in TABLES:
        folder = outdir / table
        folder.mkdir(parents=True, exist_ok=True)
        arrow = pa.Table.from_pylist(rows[table], schema=SCHEMAS[table])
        write_file(partition_path(outdir, table, name), lambda out, t=arrow: pq.write_table(t, out), binary=True)


def read_partition(outdir: Path, table: str, name: str) -> list[dict]:
    path = partition_path(outdir, table, name)
    # ParquetFile, not read_table: the latter imports pyarrow.dataset and with it pandas (a second or two).
    return pq.ParquetFile(path).read().to_pylist() if path.exists() else []


def update_manifest(outdir: Path, names: list[str]) -> None:
    """Add these shards, in this order, after those of earlier runs."""
    known = read_manifest(outdir)
    merged = known + [name for name in dict.fromkeys(names) if name not in set(known)]
    outdir.mkdir(parents=True, exist_ok=True)
    write_file(outdir / MANIFEST, lambda out: json.dump({"shards": merged}, out, indent=1))


def read_manifest(outdir: Path) -> list[str]:
    path = outdir / MANIFEST
    if not path.exists():
        return []
    try:
        shards = json.loads(path.read_text(encoding="utf-8"))["shards"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not a batch manifest ({exc})") from None
    return [str(name) for name in shards]


def finished_shards(outdir: Path) -> list[str]:
    """The finished shards: in the manifest's order, then any others (copied in by hand) by name."""
    found = {p.name[len("part-") : -len(".parquet")] for p in (outdir / "records").glob("part-*.parquet")}
    ordered = [name for name in read_manifest(outdir) if name in found]
    return ordered + sorted(found - set(ordered))


def count_rows(outdir: Path, table: str) -> int:
    """Rows of a table over the finished shards, from the Parquet footers alone (for a progress bar)."""
    paths = [partition_path(outdir, table, name) for name in finished_shards(outdir)]
    return sum(pq.ParquetFile(path).metadata.num_rows for path in paths if path.exists())
