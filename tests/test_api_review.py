"""The review routes and multi-value filters of the API, over a private copy of the ingested ANT subset."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from api_support import copy_db, ingested_db
from marsad import store
from marsad.api import create_app
from marsad.model import Count, Document, Location, Record


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = copy_db(ingested_db(tmp_path_factory.mktemp("api")), tmp_path_factory.mktemp("review") / "r.db")
    engine = store.connect(str(db))
    with TestClient(create_app(engine)) as test_client:
        yield test_client
    engine.dispose()


def test_alternatives_by_comma_or_repeated_parameter_mean_the_same_and_none_is_dropped(client):
    events = client.get("/api/events", params={"limit": 500}).json()["items"]
    a, b = sorted({e["perpetrator"] for e in events} - {"unknown"})[:2]
    for path in ("/api/records", "/api/events", "/api/tallies", "/api/map", "/api/timeline"):
        comma = client.get(path, params={"perpetrator": f"{a},{b}", "limit": 200} if "map" not in path else
                           {"perpetrator": f"{a},{b}"}).json()  # fmt: skip
        extra = "" if path in ("/api/map", "/api/timeline") else "&limit=200"
        repeated = client.get(f"{path}?{urlencode([('perpetrator', a), ('perpetrator', b)])}{extra}").json()
        assert comma == repeated, path
    both = client.get("/api/events", params={"perpetrator": f"{a},{b}"}).json()["total"]
    alone = [client.get("/api/events", params={"perpetrator": x}).json()["total"] for x in (a, b)]
    assert both == sum(alone) and min(alone) > 0
    twice = client.get(f"/api/events?{urlencode([('perpetrator', a), ('perpetrator', a)])}").json()["total"]
    assert twice == alone[0]
    answer = client.get("/api/events", params={"perpetrator": f"{a},daesh"})
    assert answer.status_code == 422 and "daesh" in answer.json()["detail"]


def test_write_routes_correct_reject_undo_and_say_what_went_wrong(client):
    record = next(r for r in client.get("/api/records", params={"kind": "incident", "limit": 50}).json()["items"]
                  if r["killed"] and r["killed"].get("best"))  # fmt: skip
    rid = record["record_id"]
    best = record["killed"]["best"] + 2
    answer = client.post(f"/api/records/{rid}/correct", json={"set": {"killed.best": best}, "reason": "r", "user": "u"})
    assert answer.status_code == 200, answer.text
    change = answer.json()["change_id"]
    assert answer.json()["record"]["killed"]["best"] == best and answer.json()["record"]["review"] == "corrected"
    assert client.post(f"/api/records/{rid}/correct", json={"set": {"killed.best": "x"}}).status_code == 422
    assert client.post("/api/records/nope:1/accept", json={}).status_code == 404
    assert client.post(f"/api/records/{rid}/reject", json={"reason": "not news", "user": "u"}).status_code == 200
    assert rid not in {
        r["record_id"] for r in client.get("/api/records", params={"doc_id": record["doc_id"]}).json()["items"]
    }
    assert client.post(f"/api/review/undo/{change}", json={}).status_code == 409  # the rejection came after
    log = client.get("/api/review/log", params={"record_id": rid}).json()["items"]
    assert [(e["action"], e["user"], e["reason"]) for e in log] == [("reject", "u", "not news"), ("correct", "u", "r")]
    undone = client.post(f"/api/review/undo/{log[0]['change_id']}", json={"user": "u"})
    assert undone.status_code == 200 and undone.json()["record"]["review"] == "corrected"


def test_the_queue_puts_the_least_certain_first_and_those_without_a_confidence_last(tmp_path):
    engine = store.connect(str(tmp_path / "q.db"))
    for n, confidence in enumerate([0.9, 0.1, None, 0.5, None]):
        doc = Document(doc_id=f"d{n}", text=f"مقتل {n + 1} مدنيين في حلب", published=date(2019, 1, 1))
        record = Record(doc_id=doc.doc_id, killed=Count.exact(n + 1), confidence=confidence, date="2019-01-01",
                        location=Location(name="Aleppo", admin1="Aleppo", country="SY"))  # fmt: skip
        store.save_document(engine, doc, [record])
    with TestClient(create_app(engine)) as client:
        order = [i["record_id"] for i in client.get("/api/review/queue").json()["items"]]
        assert order == ["d1:0", "d3:0", "d0:0", "d2:0", "d4:0"]
        pages = [client.get("/api/review/queue", params={"limit": 2, "offset": o}).json()["items"] for o in (0, 2, 4)]
        assert [i["record_id"] for page in pages for i in page] == order
        assert client.post("/api/records/d1:0/accept", json={"user": "u"}).status_code == 200
        assert client.get("/api/review/queue", params={"limit": 1}).json()["items"][0]["record_id"] == "d3:0"
        assert client.get("/api/review/queue", params={"admin1": "Idleb"}).json()["items"] == []
    engine.dispose()


def test_places_are_looked_up_in_the_gazetteer_for_the_correction_form(client):
    (douma,) = client.get("/api/places", params={"q": "دوما"}).json()["items"]
    assert (douma["admin1"], douma["country"], douma["text"]) == ("Rural Damascus", "SY", "دوما")
    assert client.get("/api/places", params={"q": "Atlantis-on-Thames"}).json()["items"] == []
