"""A server safe to share: write token, Host and Origin checks, content types, body limits, headers."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from api_support import SEED
from conftest import need
from marsad import store
from marsad.api import create_app
from marsad.api.security import security_for

TOKEN = "s3cret-token"


@pytest.fixture()
def engine(tmp_path):
    engine = store.connect(str(tmp_path / "secure.db"))
    yield engine
    engine.dispose()


@pytest.fixture()
def client(engine):
    """The app as `marsad serve` builds it on loopback, with a token; TestClient's host name allowed."""
    security = security_for(TOKEN, "127.0.0.1", ("testserver",))
    with TestClient(create_app(engine, security)) as test_client:
        yield test_client


def seed_bytes() -> bytes:
    return need(SEED).read_bytes()


AUTH = {"authorization": f"Bearer {TOKEN}", "content-type": "text/plain"}


def test_writes_need_the_token(client):
    assert client.post("/api/ingest", content=seed_bytes(), headers={"content-type": "text/plain"}).status_code == 401
    wrong = {"authorization": "Bearer nope", "content-type": "text/plain"}
    assert client.post("/api/ingest", content=seed_bytes(), headers=wrong).status_code == 401
    assert client.get("/api/health").json()["documents"] == 0
    assert client.post("/api/ingest", content=seed_bytes(), headers=AUTH).status_code == 201
    other = {"x-marsad-token": TOKEN, "content-type": "text/plain"}
    assert client.post("/api/ingest", content=seed_bytes(), headers=other).status_code == 200  # already stored


def test_a_page_of_another_origin_cannot_write_even_with_the_token(client):
    # What a `fetch(..., {mode: "no-cors", body: "..."})` from another site sends: text/plain, its Origin.
    for origin in ("http://evil.example", "null", "http://127.0.0.1:9999"):
        answer = client.post("/api/ingest", content=seed_bytes(), headers={**AUTH, "origin": origin})
        assert answer.status_code == 403, origin
    assert client.get("/api/health").json()["documents"] == 0
    same = client.post("/api/ingest", content=seed_bytes(), headers={**AUTH, "origin": "http://testserver"})
    assert same.status_code == 201


def test_a_foreign_host_name_is_refused(client):
    """DNS rebinding: a page of rebind.example resolved to 127.0.0.1 sends Host: rebind.example."""
    assert client.get("/api/health", headers={"host": "rebind.example"}).status_code == 403
    assert client.get("/api/health", headers={"host": "rebind.example:8000"}).status_code == 403
    assert client.post("/api/ingest", content=b"x", headers={**AUTH, "host": "rebind.example"}).status_code == 403
    for host in ("127.0.0.1:8000", "localhost", "[::1]:8000"):
        assert client.get("/api/health", headers={"host": host}).status_code == 200, host


def test_forms_multipart_and_xml_are_not_reports(client):
    for kind in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"):
        answer = client.post("/api/ingest", content=seed_bytes(), headers={**AUTH, "content-type": kind})
        assert answer.status_code == 415, kind
    assert client.get("/api/health").json()["documents"] == 0


def test_a_body_too_large_is_refused_before_it_is_read_whole(client):
    from marsad.api.routes_ingest import MAX_BODY

    def chunks():  # no Content-Length: the limit must hold while streaming
        for _ in range(MAX_BODY // 65536 + 2):
            yield b"x" * 65536

    assert client.post("/api/ingest", content=chunks(), headers=AUTH).status_code == 413


def test_answers_carry_csp_and_frame_headers_and_docs_still_load(client):
    for path in ("/", "/api/health", "/static/app.js"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert "script-src 'self';" in headers["content-security-policy"], path
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
    assert "'unsafe-inline'" in client.get("/docs").headers["content-security-policy"]


def test_hostile_reports_through_the_api_are_clear_errors_not_500s(client):
    text = "قتل 5 مدنيين في قصف على مدينة حلب"
    zero = client.post("/api/ingest?published=0001-01-01", content=text.encode(), headers=AUTH)
    assert zero.status_code == 201 and zero.json()["records"]
    early = client.post("/api/ingest?published=1850-03-01", content=b"x", headers=AUTH)
    assert early.status_code == 422 and "1850-03-01" in early.json()["detail"]
    deep = '{"text": "x", "deep": ' + "[" * 5000 + "]" * 5000 + "}"
    answer = client.post("/api/ingest", content=deep.encode(), headers={**AUTH, "content-type": "application/json"})
    assert answer.status_code == 422 and "nested too deeply" in answer.json()["detail"]
    for body in (
        {"text": "قتل ² مدنيين في حلب"},
        {"text": "قتل " + "9" * 309 + " مدنيين في حلب", "id": 1},
        {"text": "قتل 7 مدنيين \udfff في حلب", "source": "\udfff"},
    ):
        raw = json.dumps(body).encode()
        answer = client.post("/api/ingest", content=raw, headers={**AUTH, "content-type": "application/json"})
        assert answer.status_code in (200, 201), (body, answer.text)
        assert all(r["killed"]["best"] in (None, 7) for r in answer.json()["records"])


def test_a_failed_report_is_recorded_in_failures(client, engine, monkeypatch):
    monkeypatch.setenv("MARSAD_MAX_CHARS", "100")
    answer = client.post("/api/ingest", content=seed_bytes(), headers=AUTH)
    assert answer.status_code == 422 and "limit of 100" in answer.json()["detail"]
    (failure,) = store.list_failures(engine)
    assert failure.path == "api" and failure.stage == "extract" and "MARSAD_MAX_CHARS" in failure.reason


def test_the_library_app_takes_its_token_from_the_environment(engine, monkeypatch):
    monkeypatch.setenv("MARSAD_TOKEN", TOKEN)
    with TestClient(create_app(engine)) as client:
        plain = {"content-type": "text/plain"}
        assert client.post("/api/ingest", content=seed_bytes(), headers=plain).status_code == 401
        assert client.post("/api/ingest", content=seed_bytes(), headers=AUTH).status_code == 201


def test_binding_beyond_loopback_is_warned_about(tmp_path, monkeypatch):
    import uvicorn
    from typer.testing import CliRunner

    from marsad.cli import app

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    monkeypatch.delenv("MARSAD_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "s.db"), "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert "warning" in result.output and "beyond this machine" in result.output
    assert "write token: " in result.output and calls[0]["host"] == "0.0.0.0"
    quiet = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "s.db")])
    assert quiet.exit_code == 0 and "warning" not in quiet.output


def test_a_report_that_takes_too_long_is_stopped_and_the_next_one_is_served(client, engine, monkeypatch):
    monkeypatch.setenv("MARSAD_EXTRACT_TIMEOUT", "1")
    endless = ("قتل 5 مدنيين " * 6000).encode()  # one 78 KB sentence: many seconds of extraction
    answer = client.post("/api/ingest", content=endless, headers=AUTH)
    assert answer.status_code == 422 and "longer than 1 s" in answer.json()["detail"]
    assert "MARSAD_EXTRACT_TIMEOUT" in store.list_failures(engine)[0].reason
    monkeypatch.setenv("MARSAD_EXTRACT_TIMEOUT", "120")  # a new worker process starts and warms up
    assert client.post("/api/ingest", content=seed_bytes(), headers=AUTH).status_code == 201
