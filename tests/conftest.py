"""Shared fixtures: the real data beside the repo (../shared), skipped with a reason when absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DATA = SHARED / "data"
SEED = SHARED / "seeds" / "000_02831fab9d5b23bb.txt"
ANT = DATA / "articles" / "ant_syria_iraq_2018.jsonl"


def skip_or_fail(reason: str) -> None:
    """Skip a test whose service is missing, but fail it under CI=true, where CI installs every service:
    there, a skip would hide the failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: a missing service is a failure, not a skip)")
    pytest.skip(reason)


def need(path: Path) -> Path:
    if not path.exists():
        message = f"real data not found at {path} (expected ../shared beside the repo)"
        if os.environ.get("CI") == "true":  # in CI a skip would hide the failure
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return need(SEED)


@pytest.fixture(scope="session")
def ant_path() -> Path:
    return need(ANT)


@pytest.fixture(scope="session")
def ant_rows(ant_path) -> list[str]:
    return ant_path.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="session")
def corpus(ant_path) -> dict:
    """The ANT reports by doc_id, read once for every test module that takes sentences from them."""
    from marsad.model import Document
    from marsad.sources import read_path

    return {d.doc_id: d for d in read_path(str(ant_path)) if isinstance(d, Document)}


@pytest.fixture(scope="session")
def postgres_url_template():
    from pg import postgres_server

    with postgres_server() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_url_template) -> str:
    """A fresh, empty PostgreSQL database (skips without a server; fails under CI=true)."""
    template, why_not = postgres_url_template
    if template is None:
        skip_or_fail(why_not)
    from pg import fresh_database

    return fresh_database(template)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A fresh, empty database URL on each backend marsad supports."""
    if request.param == "sqlite":
        return str(tmp_path / "test.db")
    return request.getfixturevalue("postgres_url")


UCDP = DATA / "events" / "ucdp_ged_syria_2016_2019.csv"


@pytest.fixture(scope="session")
def ucdp_path() -> Path:
    return need(UCDP)


@pytest.fixture(scope="session")
def ant_store(ant_path, tmp_path_factory) -> Path:
    """A store of 150 real ANT reports that name a place and a killing in their title (2018 mostly)."""
    import json

    import marsad

    folder = tmp_path_factory.mktemp("ant_store")
    rows = ant_path.read_text(encoding="utf-8").split("\n")  # not splitlines: texts hold U+2028
    chosen = [row for row in rows if row.strip() and json.loads(row).get("strong_match")][:150]
    reports = folder / "ant_strong.jsonl"
    reports.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    path = folder / "ant.db"
    with marsad.open(path) as db:
        stats = db.ingest(reports)
    assert stats.stored + stats.duplicates == len(chosen) and not stats.errors  # the corpus repeats a few
    return path
