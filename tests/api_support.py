"""A SQLite store filled by real ingestion of ANT articles, built once per test session for the API tests.

The subset is every article with hand-annotated gold (so incidents and tallies are present) plus the
first MARSAD_TEST_API_DOCS articles of the corpus (default 250): enough variety, quick on 2 cores.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ANT = DATA / "articles" / "ant_syria_iraq_2018.jsonl"
GOLD = DATA / "gold" / "ar_dev.jsonl"
SEED = DATA.parent / "seeds" / "000_02831fab9d5b23bb.txt"

_built: dict[str, Path] = {}


def ant_lines() -> list[str]:
    if not ANT.exists():
        pytest.skip(f"real data not found at {ANT} (expected ../shared beside the repo)")
    return [line for line in ANT.read_text(encoding="utf-8").split("\n") if line.strip()]


def subset_lines(first: int | None = None) -> list[str]:
    first = int(os.environ.get("MARSAD_TEST_API_DOCS", "250")) if first is None else first
    gold_ids = {json.loads(line)["doc_id"] for line in GOLD.read_text(encoding="utf-8").split("\n") if line.strip()}
    lines = ant_lines()
    return [line for i, line in enumerate(lines) if i < first or json.loads(line)["docno"] in gold_ids]


def ingest_file(db: Path, path: Path):
    from marsad import pipeline, store
    from marsad.sources import read_path

    engine = store.connect(str(db))
    stats = pipeline.ingest(engine, read_path(str(path)))
    engine.dispose()
    return stats


def ingested_db(root: Path) -> Path:
    """The shared store; tests that write must work on `copy_db` instead."""
    if "db" not in _built:
        subset = root / "ant_subset.jsonl"
        subset.write_text("\n".join(subset_lines()) + "\n", encoding="utf-8")
        db = root / "api.db"
        ingest_file(db, subset)
        _built["db"] = db
    return _built["db"]


def copy_db(source: Path, target: Path) -> Path:
    """A private copy of a store (WAL is checkpointed by the engine dispose in `ingest_file`)."""
    shutil.copy(source, target)
    return target
