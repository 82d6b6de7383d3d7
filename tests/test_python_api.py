"""The Python API (issue 14): marsad.open, ingest, records/events/tally as tables, extract_text."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pandas as pd
import pyarrow as pa
import pytest

import marsad
from marsad import store


def test_import_marsad_is_cheap_and_loads_the_api_on_first_use():
    code = (
        "import sys, marsad; heavy = [m for m in ('pandas', 'pyarrow', 'sqlalchemy', 'marsad.extract') "
        "if m in sys.modules]; print(heavy); marsad.open; print('marsad.database' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "[]"
    assert out[1] == "True"


def test_records_as_pandas_and_arrow_have_every_stored_record_with_its_source(ant_store):
    db = marsad.open(ant_store)
    n = store.count_records(db.engine)
    frame = db.records().to_pandas()
    assert len(frame) == n > 50
    assert frame["record_id"].is_unique
    # Every row can be traced outside marsad: the report's outlet, URL, title and publication day.
    assert frame["url"].str.startswith("http").all()
    assert frame["outlet"].notna().all() and frame["title"].notna().all()
    assert isinstance(frame["published"].dropna().iloc[0], date)
    assert str(frame["killed_best"].dtype) == "Int64"  # nullable: an unstated count stays missing, not 0.0
    table = db.records(kind="incident").to_arrow()
    assert isinstance(table, pa.Table)
    assert table.num_rows == store.count_records(db.engine, store.Filters(kind="incident"))


def test_filters_are_the_cli_filters_and_take_lists(ant_store):
    db = marsad.open(ant_store)
    # (incidents: a tally matches by the regions it counts, and may have no location of its own)
    both = db.records(admin1=["Idleb", "Aleppo"], kind="incident").to_pandas()
    assert set(both["location_admin1"]) == {"Idleb", "Aleppo"}
    assert len(both) == len(db.records(admin1="Idleb,Aleppo", kind="incident"))
    window = db.records(since="2018-03-01", until=date(2018, 3, 31), kind="incident").to_pandas()
    assert window["date"].between(date(2018, 3, 1), date(2018, 3, 31)).all()
    with pytest.raises(TypeError, match="admin_1"):
        db.records(admin_1="Idleb")
    with pytest.raises(ValueError, match="since"):
        db.records(since="1 March 2018")
    with pytest.raises(ValueError, match="kind"):
        db.records(kind="incidents")


def test_events_and_tally(ant_store):
    db = marsad.open(ant_store)
    events = db.events()
    frame = events.to_pandas()
    assert len(frame) == len(events) > 0
    assert frame["event_id"].is_unique
    assert (frame["n_sources"] >= 1).all()
    several = db.events(min_sources=2).to_pandas()
    assert (several["n_sources"] >= 2).all() and len(several) < len(frame)
    tally = db.tally()
    assert tally.events == len(frame)
    lines = tally.to_pandas()
    assert lines.attrs["sum"]["events"] == tally.events
    assert len(lines) == len(db.records(kind="tally"))


def test_the_acled_layout_as_a_dataframe_and_a_file(ant_store, tmp_path):
    rows = marsad.open(ant_store).records(kind="incident", admin1="Idleb")
    frame = rows.to_pandas("acled")
    assert list(frame.columns)[:3] == ["event_id_cnty", "event_date", "year"]
    assert (frame["fatalities"] >= 0).all() and len(frame) == len(rows) > 0
    result = rows.export(tmp_path / "idleb.csv", columns="acled", hxl=True)
    back = pd.read_csv(tmp_path / "idleb.csv", skiprows=[1])  # the HXL row
    assert list(back["event_id_cnty"]) == list(frame["event_id_cnty"]) and result.written == len(frame)


def test_extract_text_passes_lang_and_published_to_the_pipeline():
    text = "مقتل 4 جنود من قوات النظام بهجوم لتنظيم داعش في دير الزور أمس"
    (record,) = marsad.extract_text(text, published="2019-03-25")
    assert (record.killed.best, record.perpetrator, record.date) == (4, "isis", "2019-03-24")
    assert record.location.admin1 == "Deir-ez-Zor"
    assert text[record.evidence[0].start : record.evidence[0].end] == record.evidence[0].text
    assert marsad.extract_text("The weather in Damascus was mild.", lang="en") == []


def test_ingest_from_python_reports_bad_rows_and_stores_the_rest(tmp_path, ant_rows):
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join([ant_rows[0], "{not json", ant_rows[1]]), encoding="utf-8")
    with marsad.open(tmp_path / "m.db") as db:
        stats = db.ingest(mixed)
        assert stats.stored == 2
        assert [(e.path, e.line) for e in stats.errors] == [(str(mixed), 2)]
        assert len(db.records().to_pandas()) == stats.records
        again = db.ingest([str(mixed)])
        assert again.stored == 0 and again.duplicates == 2


def test_an_empty_store_gives_empty_tables_with_their_columns(tmp_path):
    db = marsad.open(tmp_path / "empty.db")
    frame = db.records().to_pandas()
    assert len(frame) == 0 and "killed_best" in frame.columns and "outlet" in frame.columns
    assert isinstance(db.events().to_pandas(), pd.DataFrame)
