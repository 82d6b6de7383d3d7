"""The HTTP API over a store filled by real ingestion of ANT articles (see api_support.py)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from fastapi.testclient import TestClient

from api_support import DATA, ant_lines, ingested_db
from marsad import store
from marsad.api import create_app
from marsad.extract import extract
from marsad.geo.importers import import_file
from marsad.model import Count
from marsad.sources import read_path


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = store.connect(str(ingested_db(tmp_path_factory.mktemp("api"))))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def client(engine):
    with TestClient(create_app(engine)) as test_client:
        yield test_client


def all_items(client, path: str, params: dict | None = None) -> list[dict]:
    """Every item of a paginated listing, page by page."""
    items, offset = [], 0
    while True:
        page = client.get(path, params={**(params or {}), "limit": 200, "offset": offset}).json()
        items.extend(page["items"])
        offset += page["limit"]
        if offset >= page["total"]:
            return items


def central(count: dict | None) -> int:
    if not count:
        return 0
    return count["best"] if count["best"] is not None else (count["low"] or 0)


def test_health_reports_the_store_size(client, engine):
    body = client.get("/api/health").json()
    assert body["documents"] == store.count_documents(engine) > 0
    assert body["records"] == store.count_records(engine) > 0


def test_records_pages_cover_the_store_once(client, engine):
    first = client.get("/api/records", params={"limit": 7}).json()
    assert first["total"] == store.count_records(engine)
    assert len(first["items"]) == 7
    ids = [item["record_id"] for item in all_items(client, "/api/records")]
    assert len(ids) == len(set(ids)) == first["total"]
    assert ids[:7] == [item["record_id"] for item in first["items"]]


def test_filters_narrow_records_to_matching_ones(client):
    records = all_items(client, "/api/records")
    admin1, _ = Counter(
        r["location"]["admin1"] for r in records if r.get("location") and r["location"]["admin1"]
    ).most_common(1)[0]
    perpetrator, _ = Counter(r["perpetrator"] for r in records if r["perpetrator"] != "unknown").most_common(1)[0]
    for params, keep in (
        (
            {"admin1": admin1},
            lambda r: admin1 in {p.get("admin1") for p in [r.get("location") or {}, *r.get("regions", [])]},
        ),
        ({"perpetrator": perpetrator}, lambda r: r["perpetrator"] == perpetrator),
        ({"kind": "tally"}, lambda r: r["kind"] == "tally"),
        (
            {"victim": "civilians", "kind": "incident"},
            lambda r: (
                r["kind"] == "incident" and "civilians" in {r["victim_group"], *(v["group"] for v in r["victims"])}
            ),
        ),
    ):
        found = all_items(client, "/api/records", params)
        assert found, params
        assert all(keep(r) for r in found), params
        assert len(found) < len(records)


def test_date_window_keeps_incidents_inside_it(client):
    dates = sorted(r["date"] for r in all_items(client, "/api/records", {"kind": "incident"}) if r["date"])
    since, until = dates[len(dates) // 4], dates[len(dates) // 2]
    found = all_items(client, "/api/records", {"kind": "incident", "since": since, "until": until})
    assert found and all(since <= r["date"] <= until for r in found)
    assert len(found) == sum(since <= d <= until for d in dates)


def test_text_search_folds_arabic_spelling(client, engine):
    # A word as stored, then written with hamza on its alef: the folded search still finds the report.
    doc = store.get_document(engine, client.get("/api/records", params={"limit": 1}).json()["items"][0]["doc_id"])
    word = next(w for w in doc.text.split() if w.startswith("ا") and len(w) > 4)
    plain = {r["doc_id"] for r in all_items(client, "/api/records", {"text": word})}
    hamza = {r["doc_id"] for r in all_items(client, "/api/records", {"text": "أ" + word[1:]})}
    assert doc.doc_id in plain
    assert hamza == plain


def test_document_gives_text_and_evidence_spans(client, engine):
    record = next(r for r in all_items(client, "/api/records") if r["evidence"])
    body = client.get(f"/api/documents/{record['doc_id']}").json()
    assert body["text"] == store.get_document(engine, record["doc_id"]).text
    assert body["direction"] == "rtl"
    assert record["record_id"] in {r["record_id"] for r in body["records"]}
    assert body["evidence"]
    for span in body["evidence"]:
        assert body["text"][span["start"] : span["end"]] == span["text"]


def test_single_items_and_missing_ones(client):
    record = client.get("/api/records", params={"limit": 1}).json()["items"][0]
    assert client.get(f"/api/records/{record['record_id']}").json() == record
    assert client.get("/api/records/no-such-doc:0").status_code == 404
    assert client.get("/api/documents/no-such-doc").status_code == 404
    assert client.get("/api/events/no-such-doc:3").status_code == 404


def test_documents_listing_and_search(client, engine):
    listing = client.get("/api/documents", params={"limit": 5}).json()
    assert listing["total"] == store.count_documents(engine)
    published = [d["published"] for d in listing["items"]]
    assert published == sorted(published, reverse=True)
    doc = store.get_document(engine, listing["items"][0]["doc_id"])
    word = max(doc.title.split(), key=len)
    found = client.get("/api/documents", params={"text": word}).json()
    assert doc.doc_id in {d["doc_id"] for d in found["items"]}
    assert found["total"] < listing["total"]


def test_events_group_every_incident_once(client):
    events = all_items(client, "/api/events")
    incident_ids = [r["record_id"] for r in all_items(client, "/api/records", {"kind": "incident"})]
    first = client.get("/api/events", params={"limit": 1}).json()
    assert first["basis"] == "events", "ingest resolves events"
    sources = [s["record_id"] for e in events for s in e["sources"]]
    assert sorted(sources) == sorted(incident_ids)
    assert any(len(e["sources"]) > 1 for e in events), "outlets report the same 2018 events"
    one = client.get(f"/api/events/{events[0]['event_id']}").json()
    assert one["sources"] == events[0]["sources"]
    assert client.get("/api/events", params={"kind": "tally"}).status_code == 422


def test_tallies_sum_events_beside_reported_tallies(client):
    events = all_items(client, "/api/events")
    body = client.get("/api/tallies", params={"limit": 200}).json()
    assert body["events"] == len(events)
    assert body["killed_best"] == sum(central(e["killed"]) for e in events)
    assert body["killed_low"] <= body["killed_best"] <= body["killed_high"]
    assert body["tallies"], "the gold articles report tallies"
    assert body["tallies_total"] == len(body["tallies"])
    tally_ids = {r["record_id"] for r in all_items(client, "/api/records", {"kind": "tally"})}
    for line in body["tallies"]:
        assert line["record_id"] in tally_ids
        figure = Count.from_dict(line["reported"]).central() if line["reported"] else None
        assert line["difference"] == (None if figure is None else figure - line["events_in_period"])
    paged = [
        line["record_id"]
        for offset in range(0, body["tallies_total"], 7)
        for line in client.get("/api/tallies", params={"limit": 7, "offset": offset}).json()["tallies"]
    ]
    assert paged == [line["record_id"] for line in body["tallies"]]


def test_timeline_and_map_add_up_to_the_sum(client):
    total = client.get("/api/tallies").json()
    events = all_items(client, "/api/events")
    days = client.get("/api/timeline").json()["points"]
    weeks = client.get("/api/timeline", params={"bucket": "week"}).json()["points"]
    assert sum(d["killed_best"] for d in days) == sum(w["killed_best"] for w in weeks) == total["killed_best"]
    assert sum(d["count"] for d in days) == len([e for e in events if e["date"]])
    assert all(d["killed_low"] <= d["killed_best"] <= d["killed_high"] for d in days)
    placed = [e for e in events if e.get("location") and e["location"].get("lat") is not None]
    points = client.get("/api/map").json()["points"]
    assert sum(p["count"] for p in points) == len(placed)
    assert sum(p["killed_best"] for p in points) == sum(central(e["killed"]) for e in placed)


def test_outlines_and_vocabulary(client):
    outlines = client.get("/api/outlines").json()
    assert {"SY", "IQ"} <= {f["properties"].get("iso2") for f in outlines["features"]}
    vocabulary = client.get("/api/vocabulary").json()
    assert "isis" in vocabulary["actors"]
    stored = {r["location"]["admin1"] for r in all_items(client, "/api/records") if r.get("location")} - {None}
    assert stored <= {a["admin1"] for a in vocabulary["admin1"]}


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=100000",
        "offset=-1",
        "since=2018-02-30",
        "since=2018-05-01&until=2018-04-01",
        "perpetrator=daesh",
        "kind=event",
        "country=SYR",
        "since=0001-01-01",
        "text=ab",
    ],
)
def test_bad_parameters_are_clear_4xx(client, query):
    response = client.get(f"/api/records?{query}")
    assert response.status_code == 422
    assert response.json()["detail"]


def test_dashboard_and_openapi_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and "app.js" in page.text
    schema = client.get("/openapi.json").json()
    assert {"/api/records", "/api/events", "/api/tallies", "/api/documents/{doc_id}", "/api/ingest"} <= set(
        schema["paths"]
    )


def test_outlines_use_imported_ocha_governorates(tmp_path):

    ocha = DATA / "geo" / "syr_adm1_ocha.geojson"
    if not ocha.exists():
        pytest.skip(f"OCHA boundaries not found at {ocha}")
    engine = store.connect(str(tmp_path / "geo.db"))
    with TestClient(create_app(engine)) as client:
        assert client.get("/api/outlines").json()["source"] == "world-atlas"
        import_file(engine, ocha)
        outlines = client.get("/api/outlines").json()
    engine.dispose()
    governorates = {f["properties"]["ADM1_EN"] for f in json.loads(ocha.read_text(encoding="utf-8"))["features"]}
    drawn = {f["properties"]["name"] for f in outlines["features"] if f["properties"]["level"] == "admin1"}
    assert drawn == governorates
    assert outlines["source"].startswith("ocha")


def test_a_store_without_resolved_events_shows_records_as_events(tmp_path):
    subset = tmp_path / "few.jsonl"
    subset.write_text("\n".join(ant_lines()[:40]) + "\n", encoding="utf-8")
    engine = store.connect(str(tmp_path / "unresolved.db"))
    for doc in read_path(str(subset)):
        store.save_document(engine, doc, extract(doc))  # stored, never resolved into events
    with TestClient(create_app(engine)) as client:
        events = all_items(client, "/api/events")
        incidents = all_items(client, "/api/records", {"kind": "incident"})
        body = client.get("/api/tallies").json()
        assert client.get("/api/events", params={"limit": 1}).json()["basis"] == "records"
        assert [e["event_id"] for e in events] == [r["record_id"] for r in incidents]
        one = client.get(f"/api/events/{events[0]['event_id']}").json()
        assert one["sources"][0]["record_id"] == events[0]["event_id"]
        assert body["basis"] == "records" and body["events"] == len(incidents)
        assert body["killed_best"] == sum(central(r["killed"]) for r in incidents)
    engine.dispose()


def test_text_search_takes_any_characters(client):
    for needle in ("00\x00", '"قصف"', "%_%", "a' OR 1=1 --", "NEAR(a b)"):
        assert client.get("/api/records", params={"text": needle}).status_code == 200, needle
        assert client.get("/api/documents", params={"text": needle}).status_code == 200, needle
