"""Exports an analyst can use as they are (issue 14): every format reads back with the same rows,
ACLED and UCDP column layouts, source columns, --bom, --hxl, and rows left out are counted."""

from __future__ import annotations

import csv
import json

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import marsad
from marsad.cli import app
from marsad.formats import layout

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def db(ant_store):
    return marsad.open(ant_store)


def read_back(path, fmt: str) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    if fmt == "parquet":
        return pq.read_table(path).to_pandas()
    if fmt == "jsonl":  # SCHEMA.md records whole: nested counts flattened as the CSV names them
        return pd.json_normalize([json.loads(line) for line in path.open(encoding="utf-8")], sep="_")
    if fmt == "geojson":
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        return pd.DataFrame([f["properties"] for f in features])
    sheet = openpyxl.load_workbook(path, read_only=True).active
    rows = list(sheet.values)
    return pd.DataFrame(rows[1:], columns=rows[0])


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet", "xlsx"])
def test_every_format_reads_back_with_the_same_rows(db, tmp_path, fmt):
    expected = db.records().to_pandas()
    path = tmp_path / f"records.{fmt}"
    result = db.export(path)
    assert result.written == len(expected) and not result.left_out
    back = read_back(path, fmt)
    assert list(back["record_id"]) == list(expected["record_id"])
    assert list(back["url"]) == list(expected["url"])
    killed = pd.to_numeric(back["killed_best"].replace("", None))
    assert killed.fillna(-1).astype(int).tolist() == expected["killed_best"].fillna(-1).astype(int).tolist()
    if fmt in ("parquet", "xlsx"):  # typed: days are dates, not text
        assert pd.to_datetime(back["published"]).notna().all()
    assert not list(tmp_path.glob("*.partial"))


def test_events_export_in_every_format_keeps_the_same_events(db, tmp_path):
    ids = list(db.events().to_pandas()["event_id"])
    for fmt in ("csv", "jsonl", "parquet", "xlsx"):
        path = tmp_path / f"events.{fmt}"
        db.export(path, what="events")
        assert list(read_back(path, fmt)["event_id"]) == ids, fmt


def test_geojson_says_how_many_rows_it_left_out_and_why(db, tmp_path):
    records = db.records().to_pandas()
    unlocated = int(records["location_lat"].isna().sum())
    assert unlocated > 0
    result = db.export(tmp_path / "r.geojson")
    assert result.written == len(records) - unlocated
    assert result.left_out == {"without coordinates (a GeoJSON feature needs a point)": unlocated}
    assert f"{unlocated} left out" in result.summary("records")
    back = read_back(tmp_path / "r.geojson", "geojson")
    assert set(back["record_id"]) == set(records.dropna(subset=["location_lat"])["record_id"])


def test_acled_columns_and_tallies_left_out(db, tmp_path):
    path = tmp_path / "a.csv"
    result = db.export(path, columns="acled")
    header = next(csv.reader(path.open(encoding="utf-8")))
    assert header == layout("acled")["columns"]
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    incidents = db.records(kind="incident").to_pandas()
    assert len(rows) == len(incidents) == result.written
    assert result.left_out == {"tallies (a count over a period, not one event)": len(db.records(kind="tally"))}
    by_id = {r["event_id_cnty"]: r for r in rows}
    for record in db.records(kind="incident"):
        row = by_id[record["record_id"]]
        # notes are the report's own words; fatalities its figure (0 where none is given, ACLED's rule)
        assert row["notes"] and row["notes"].split(" … ")[0] in " ".join(e["text"] for e in record["evidence"])
        killed = record["killed"] or {}
        best = killed.get("best") if killed.get("best") is not None else killed.get("low")
        assert int(row["fatalities"]) == (best or 0)
        assert row["source"] == record["source"]["outlet"]
    assert {r["event_type"] for r in rows} <= set(layout("acled")["event_type"].values())
    assert {r["iso"] for r in rows if r["country"] == "Syria"} == {"760"}


def test_ucdp_columns_deaths_add_up(db, tmp_path):
    frame = db.events().to_pandas("ucdp")
    assert list(frame.columns) == layout("ucdp")["columns"]
    deaths = frame[["deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"]].sum(axis=1)
    assert (deaths == frame["best"].fillna(0)).all()
    assert (frame["low"].fillna(0) <= frame["best"].fillna(0)).all()
    assert (frame["best"].fillna(0) <= frame["high"].fillna(0)).all()
    assert set(frame["type_of_violence"]) <= {1, 2, 3}
    one_sided = frame[frame["type_of_violence"] == 3]
    assert (one_sided["side_b"] == "Civilians").all() and len(one_sided) > 0


def test_hxl_row_and_bom_for_excel(db, tmp_path):
    path = tmp_path / "hdx.csv"
    db.export(path, columns="acled", hxl=True, bom=True)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header, tags, *_ = csv.reader(raw.decode("utf-8-sig").splitlines())
    tag_of = dict(zip(header, tags, strict=True))
    assert tag_of["event_date"] == "#date" and tag_of["admin1"] == "#adm1+name"
    assert tag_of["latitude"] == "#geo+lat" and tag_of["fatalities"] == "#affected+killed"
    assert tag_of["actor1"] == "#org+perpetrator" and tag_of["source"] == "#meta+source"
    sheet_path = tmp_path / "hdx.xlsx"
    db.export(sheet_path, hxl=True)
    rows = list(openpyxl.load_workbook(sheet_path, read_only=True).active.values)
    assert dict(zip(rows[0], rows[1], strict=True))["location_lat"] == "#geo+lat"


def test_options_a_format_cannot_take_are_clear_errors(db, tmp_path):
    with pytest.raises(ValueError, match="-o"):
        db.export(None, "parquet")
    with pytest.raises(ValueError, match="--hxl"):
        db.export(tmp_path / "x.jsonl", hxl=True)
    with pytest.raises(ValueError, match="--columns"):
        db.export(tmp_path / "x.csv", columns="gtd")
    result = run("export", "--format", "xlsx", "--db", str(db.url.removeprefix("sqlite:///")))
    assert result.exit_code == 2 and "-o" in result.output


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text(tmp_path):
    from marsad.export import write_export

    item = {
        "record_id": "d:0",
        "doc_id": "d",
        "kind": "incident",
        "perpetrator": "unknown",
        "perpetrator_text": '=HYPERLINK("http://x")',
        "evidence": [{"text": "-قتل 3\x07"}],
    }
    write_export([item], tmp_path / "f.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "f.xlsx").active
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert row["perpetrator_text"].data_type == "s"
    assert row["perpetrator_text"].value == '=HYPERLINK("http://x")'
    assert row["evidence_text"].value == "-قتل 3"  # a control character Excel refuses is dropped


def test_the_issue_check_commands(ant_store, tmp_path, monkeypatch):
    """Issue 14's checks, as written (in a copy of the store)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.db").write_bytes(ant_store.read_bytes())
    out = subprocess_python("import marsad; db = marsad.open('x.db'); print(len(db.records().to_pandas()))")
    assert int(out) == len(marsad.open(tmp_path / "x.db").records())
    assert run("export", "--format", "parquet", "-o", "x.parquet", "--db", "x.db").exit_code == 0
    assert pq.read_table(tmp_path / "x.parquet").num_rows == int(out)
    assert run("export", "--format", "csv", "--columns", "acled", "-o", "a.csv", "--db", "x.db").exit_code == 0
    assert next(csv.reader((tmp_path / "a.csv").open(encoding="utf-8"))) == layout("acled")["columns"]


def subprocess_python(code: str) -> str:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
