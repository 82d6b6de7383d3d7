"""POST /api/ingest: a report in (text, HTML, JSON), its extracted records out, stored once."""

from __future__ import annotations

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from api_support import SEED, ant_lines
from marsad import store
from marsad.api import create_app
from marsad.resolve import update_events
from marsad.store import events as event_store


@pytest.fixture()
def client(tmp_path):
    engine = store.connect(str(tmp_path / "ingest.db"))
    with TestClient(create_app(engine)) as test_client:
        yield test_client
    engine.dispose()


def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"seed report not found at {SEED}")
    return SEED.read_text(encoding="utf-8")


def assert_evidence_in_document(client, body: dict) -> None:
    doc = client.get(f"/api/documents/{body['doc_id']}").json()
    for record in body["records"]:
        for span in record["evidence"]:
            assert doc["text"][span["start"] : span["end"]] == span["text"]


def test_text_report_is_extracted_and_stored_once(client):
    text = seed_text()
    first = client.post("/api/ingest?doc_id=seed-report", content=text.encode(), headers={"content-type": "text/plain"})
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["stored"] and body["doc_id"] == "seed-report"
    assert body["records"] and all(r["doc_id"] == "seed-report" for r in body["records"])
    assert_evidence_in_document(client, body)
    again = client.post("/api/ingest", content=text.encode(), headers={"content-type": "text/plain; charset=utf-8"})
    assert again.status_code == 200
    assert again.json()["doc_id"] == "seed-report" and not again.json()["stored"]
    assert again.json()["records"] == body["records"]
    assert client.get("/api/health").json()["documents"] == 1


def _casualty_article() -> dict:
    rows = (json.loads(line) for line in ant_lines())
    return next(row for row in rows if row.get("strong_match") and len(row["text"]) > 400)


def test_json_report_keeps_its_metadata(client):
    row = _casualty_article()
    response = client.post("/api/ingest", json=row)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["doc_id"] == row["docno"]
    doc = client.get(f"/api/documents/{row['docno']}").json()
    assert doc["published"] == row["published_iso"][:10]
    assert doc["title"] == row["title"].strip()
    assert_evidence_in_document(client, body)


def test_html_report_is_read_like_a_page(client):
    row = _casualty_article()
    paragraphs = "".join(f"<p>{p}</p>" for p in row["text"].split("\n") if p.strip())
    html = (
        f"<html lang='ar' dir='rtl'><head><title>{row['title']}</title></head><body>"
        f"<nav><a href='/'>الرئيسية</a></nav><article><h1>{row['title']}</h1>{paragraphs}</article></body></html>"
    )
    response = client.post("/api/ingest?doc_id=page-1", content=html.encode(), headers={"content-type": "text/html"})
    assert response.status_code == 201, response.text
    doc = client.get("/api/documents/page-1").json()
    assert "<p>" not in doc["text"] and row["text"].split("\n")[0][:30] in doc["text"]
    assert_evidence_in_document(client, response.json())


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"", "text/plain", 422),
        (b"   \n ", "text/plain", 422),
        (b"{not json", "application/json", 422),
        (b"[1, 2]", "application/json", 422),
        (b'{"title": "no text"}', "application/json", 422),
        (b'{"text": "x", "published": "not a date"}', "application/json", 422),
        ("تقرير".encode("utf-16"), "text/plain", 422),
        (b"<html><body></body></html>", "text/html", 422),
        (b"x" * 2_000_001, "text/plain", 413),
    ],
)
def test_bad_reports_are_refused_clearly(client, body, content_type, status):
    response = client.post("/api/ingest", content=body, headers={"content-type": content_type})
    assert response.status_code == status, response.text
    assert response.json()["detail"]
    assert client.get("/api/health").json()["documents"] == 0


def _same_day_articles(n: int) -> list[dict]:
    """Casualty articles published on the busiest day: their records compete for the same events."""
    rows = [json.loads(line) for line in ant_lines()]
    rows = [r for r in rows if r.get("strong_match") and r.get("published_iso")]
    days = Counter(r["published_iso"][:10] for r in rows)
    day = days.most_common(1)[0][0]
    distinct = {r["text"]: r for r in rows if r["published_iso"].startswith(day)}  # a few are reposted
    return list(distinct.values())[:n]


def test_concurrent_ingests_leave_every_record_in_one_consistent_event(client):
    articles = _same_day_articles(8)
    with ThreadPoolExecutor(4) as pool:
        responses = list(pool.map(lambda row: client.post("/api/ingest", json=row), articles))
    assert all(r.status_code == 201 for r in responses), [r.text for r in responses]
    incidents = {r["record_id"] for resp in responses for r in resp.json()["records"] if r["kind"] == "incident"}
    assert incidents, "the busiest day's articles should report incidents"
    engine = client.app.state.engine
    # Resolution ran after each answer, one run at a time: each record is in exactly one event, every
    # event's stored summary counts its members, and the result is what one full run gives.
    in_events = event_store.membership(engine)
    assert set(in_events) == incidents
    for event in event_store.query_events(engine):
        assert event["n_records"] == len(event["sources"])
    update_events(engine, full=True)
    assert event_store.membership(engine) == in_events
