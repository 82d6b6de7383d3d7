"""Reference datasets and compare (issue 14): the real UCDP GED Syria file, and an ACLED-shaped CSV
written from the codebook's columns."""

from __future__ import annotations

import csv
import json
import shutil
import time
from datetime import date

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import marsad
from marsad.api.app import create_app
from marsad.cli import app
from marsad.formats import layout
from marsad.store.reference import load_reference_events

runner = CliRunner()

SYRIA_ADMIN1 = {
    "Aleppo", "Al-Hasakeh", "Ar-Raqqa", "As-Sweida", "Damascus", "Dar'a", "Deir-ez-Zor", "Hama", "Homs", "Idleb",
    "Lattakia", "Quneitra", "Rural Damascus", "Tartous",
}  # fmt: skip


@pytest.fixture(scope="module")
def with_ucdp(ant_store, ucdp_path, tmp_path_factory):
    """A copy of the ANT store with UCDP GED imported, and the CPU time the import took (CPU, not wall
    time: the check must not fail because other processes share the machine)."""
    path = tmp_path_factory.mktemp("ucdp") / "ant_ucdp.db"
    shutil.copy(ant_store, path)
    db = marsad.open(path)
    started = time.process_time()
    result = db.import_reference("ucdp", ucdp_path)
    return db, result, time.process_time() - started


def test_ucdp_import_is_complete_fast_and_in_marsads_terms(with_ucdp, ucdp_path):
    db, result, seconds = with_ucdp
    assert result.imported == 16566 and not result.errors
    assert seconds < 10, f"UCDP import took {seconds:.1f}s (target < 10 s)"
    (ref,) = db.references()
    assert (ref.name, ref.kind, ref.n_events) == ("ucdp", "ucdp", 16566)
    assert (str(ref.first), str(ref.last)[:4]) == ("2016-01-01", "2019")
    rows = load_reference_events(db.engine, "ucdp")
    assert {r.admin1 for r in rows} - {None} == SYRIA_ADMIN1  # "Daraa Governorate" -> "Dar'a", …
    assert {r.country for r in rows} == {"SY"}
    with ucdp_path.open(encoding="utf-8", newline="") as handle:
        expected = {row["id"]: (int(row["low"]), int(row["best"]), int(row["high"])) for row in csv.DictReader(handle)}
    assert {r.ref_id: (r.low, r.best, r.high) for r in rows} == expected
    government_vs_rebels = [r for r in rows if r.side_a == "Government of Syria" and r.side_b == "Syrian insurgents"]
    assert all(r.actors == "|syrian_government|syrian_opposition|" for r in government_vs_rebels)


def test_reference_events_are_never_records_or_events(with_ucdp, ant_store):
    db, _, _ = with_ucdp
    original = marsad.open(ant_store)
    assert len(db.records()) == len(original.records())
    assert len(db.events()) == len(original.events())


def test_compare_with_ucdp_2018(with_ucdp):
    db, _, _ = with_ucdp
    started = time.process_time()
    result = db.compare("ucdp", since="2018-01-01", until="2018-12-31")
    assert time.process_time() - started < 2
    in_scope = list(db.events(since="2018-01-01", until="2018-12-31", country="SY"))
    # Every marsad event in scope is matched or only marsad's; every reference event with deaths likewise.
    assert result.matched + result.only_marsad + result.marsad_out_of_scope == len(
        db.events(since="2018-01-01", until="2018-12-31")
    )
    assert result.matched + result.only_marsad <= len(in_scope)
    ucdp_2018 = [r for r in load_reference_events(db.engine, "ucdp") if r.date_start.year == 2018 and r.best > 0]
    matched_in_2018 = {i for m in result.matches for i in m.reference_ids} & {r.ref_id for r in ucdp_2018}
    assert len(matched_in_2018) + result.only_reference == len(ucdp_2018)
    assert result.matched > 0 and result.only_marsad > 0 and result.only_reference > 0
    frame = result.to_pandas()
    assert frame["matched"].sum() == result.matched and frame["only_reference"].sum() == result.only_reference
    assert set(frame["month"]) <= {f"2018-{m:02d}" for m in range(1, 13)}
    # A match is the same place (governorate, or close) within a day.
    events = {e["event_id"]: e for e in db.events(since="2017-12-31", until="2019-01-01")}
    refs = {r.ref_id: r for r in ucdp_2018}
    assert any(refs[i].date_end > refs[i].date_start for m in result.matches for i in m.reference_ids)
    for match in result.matches:
        event = events[match.event_id]
        for ref_id in match.reference_ids:
            ref = refs[ref_id]
            day = date.fromisoformat(event["date"])
            # Within a day of its date, or of its range of dates when UCDP gives one of a week at most.
            end = ref.date_end if (ref.date_end - ref.date_start).days <= 7 else ref.date_start
            assert (ref.date_start - day).days <= 1 and (day - end).days <= 1
            assert ref.admin1 == (event["location"] or {}).get("admin1") or (match.km or 0) <= 25


def test_an_acled_file_of_marsads_own_events_matches_every_located_one(ant_store, tmp_path):
    path = tmp_path / "store.db"
    shutil.copy(ant_store, path)
    db = marsad.open(path)
    acled = tmp_path / "acled.csv"
    db.export(acled, what="events", columns="acled")
    header = next(csv.reader(acled.open(encoding="utf-8")))
    assert header == layout("acled")["columns"]
    result = db.import_reference("acled", acled)
    assert not result.errors and result.imported == len(db.events())
    compared = db.compare("acled")
    with_deaths = [e for e in db.events() if e["location"] and (e["killed"] or {}).get("best")]
    assert compared.only_reference == 0
    assert compared.matched >= len([e for e in with_deaths if e["location"].get("country") in compared.countries])
    assert compared.marsad_deaths_matched == compared.reference_deaths_matched


def test_a_bad_acled_row_is_named_and_the_others_imported(tmp_path, store_url):
    columns = layout("acled")["columns"]
    good = {c: "" for c in columns} | {
        "event_id_cnty": "SYR1", "event_date": "2018-03-20", "actor1": "Military Forces of Syria (2000-)",
        "actor2": "Civilians (Syria)", "country": "Syria", "admin1": "Rif Dimashq", "latitude": "33.55",
        "longitude": "36.45", "fatalities": "16", "event_type": "Explosions/Remote violence",
    }  # fmt: skip
    bad = good | {"event_id_cnty": "SYR2", "event_date": "March the 20th"}
    path = tmp_path / "acled.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows([good, bad, good | {"event_id_cnty": "SYR3", "event_date": "20 March 2018"}])
    db = marsad.open(store_url)
    result = db.import_reference("acled", path, name="acled-2018")
    assert result.imported == 2
    assert [str(e) for e in result.errors] == [f"{path}:3: unreadable date 'March the 20th'"]
    rows = load_reference_events(db.engine, "acled-2018")
    assert {(r.admin1, r.actors, r.best) for r in rows} == {("Rural Damascus", "|syrian_government|civilians|", 16)}
    cli = runner.invoke(app, ["reference", "import", "acled", str(path), "--db", store_url])
    assert cli.exit_code == 1 and f"{path}:3" in cli.stderr
    missing = tmp_path / "not_acled.csv"
    missing.write_text("id,date\n1,2018-01-01\n", encoding="utf-8")
    cli = runner.invoke(app, ["reference", "import", "acled", str(missing), "--db", store_url])
    assert cli.exit_code == 1 and "event_id_cnty" in cli.stderr
    assert len(load_reference_events(db.engine, "acled-2018")) == 2  # a failed import replaces nothing
    # Compared with an empty store: everything with deaths is the reference's alone.
    compared = db.compare("acled-2018")
    assert (compared.matched, compared.only_reference, compared.only_reference_deaths) == (0, 2, 32)


def test_ingesting_a_ucdp_file_is_one_clear_error_not_one_per_row(ucdp_path, tmp_path):
    result = runner.invoke(app, ["ingest", str(ucdp_path), "--db", str(tmp_path / "i.db"), "-q"])
    assert result.exit_code == 1
    assert result.stderr.count("error ") == 1, result.stderr[:500]
    assert "reference import" in result.stderr.replace("\n", " ")


def test_compare_cli_json_and_http(with_ucdp):
    db, _, _ = with_ucdp
    path = db.url.removeprefix("sqlite:///")
    result = runner.invoke(app, ["compare", "--with", "ucdp", "--json", "--db", path, "--since", "2018-01-01",
                                 "--until", "2018-12-31"])  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    expected = db.compare("ucdp", since="2018-01-01", until="2018-12-31")
    assert (payload["matched"], payload["only_marsad"], payload["only_reference"]) == (
        expected.matched, expected.only_marsad, expected.only_reference)  # fmt: skip
    assert payload["by_month_admin1"] and "matches" not in payload
    table = runner.invoke(app, ["compare", "--with", "ucdp", "--db", path, "--since", "2018-03-01",
                                "--until", "2018-03-31"])  # fmt: skip
    assert table.exit_code == 0 and "only ucdp" in table.stdout
    unknown = runner.invoke(app, ["compare", "--with", "gtd", "--db", path])
    assert unknown.exit_code == 2 and "reference import" in unknown.output
    client = TestClient(create_app(db.engine))
    answer = client.get("/api/compare", params={"with": "ucdp", "since": "2018-01-01", "until": "2018-12-31"})
    assert answer.status_code == 200
    assert answer.json()["only_reference"] == expected.only_reference
    assert client.get("/api/compare", params={"with": "nope"}).status_code == 404
    assert [r["name"] for r in client.get("/api/references").json()] == ["ucdp"]
