"""The dashboard in a real headless Chromium (Debian's, driven by Playwright) over a really ingested store.

CI installs Chromium with scripts/install-browser.sh; elsewhere these tests skip, saying why.
The run leaves screenshots in tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import uvicorn

from api_support import ingested_db
from marsad import store
from marsad.api import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (scripts/install-browser.sh installs it)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a loopback port, in a thread, for the length of this module."""
    engine = store.connect(str(ingested_db(tmp_path_factory.mktemp("api"))))
    port = free_port()
    config = uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline:
            pytest.fail("the API server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="module")
def browser():
    # Playwright's launch() gives Chromium a new empty profile directory of its own.
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def api(page, path: str, **params):
    return page.request.get(path, params=params or None).json()


def open_dashboard(page, url: str):
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=15_000)


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_first_view_shows_map_timeline_tally_and_events(page, server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_dashboard(page, server + "/")
    offsite = [url for url in requested if not url.startswith((server, "data:"))]
    assert requested and not offsite, f"the dashboard must work offline, it asked for {offsite}"
    screenshot(page, "dashboard.png")
    tallies = api(page, server + "/api/tallies")
    events = api(page, server + "/api/events?limit=25")
    points = api(page, server + "/api/map")["points"]
    assert page.locator("#map path.country.focus").count() == 2
    assert page.locator("#map circle").count() == len(points) > 0
    assert page.locator("#timeline path.best").count() == 1
    shown = page.get_by_test_id("sum-killed-best").inner_text().replace(",", "")
    assert int(shown) == tallies["killed_best"]
    assert page.locator("#events tbody tr").count() == len(events["items"])
    assert page.get_by_test_id("events-count").inner_text() == f"({events['total']:,})"


def test_filter_is_applied_to_every_view_and_kept_in_the_url(page, server):
    open_dashboard(page, server + "/")
    choices = api(page, server + "/api/vocabulary")["admin1"]
    totals = {c["admin1"]: api(page, f"{server}/api/events", admin1=c["admin1"], limit=1)["total"] for c in choices}
    admin1 = max(totals, key=totals.get)
    page.select_option("select[name=admin1]", admin1)
    page.click("#filters button[type=submit]")
    # A function, not an expression string: the dashboard's CSP forbids the eval() Playwright would use.
    page.wait_for_function("() => document.body.dataset.ready === '1' && location.search.includes('admin1=')")
    assert query_of(page.url)["admin1"] == [admin1]
    assert page.get_by_test_id("events-count").inner_text() == f"({totals[admin1]:,})"
    for place in page.locator("#events tbody tr td:nth-child(2)").all_inner_texts():
        assert admin1 in place
    filtered_sum = api(page, f"{server}/api/tallies", admin1=admin1)["killed_best"]
    assert int(page.get_by_test_id("sum-killed-best").inner_text().replace(",", "")) == filtered_sum
    # The URL alone restores the view, for sharing.
    open_dashboard(page, page.url)
    assert page.locator("select[name=admin1]").input_value() == admin1
    assert page.get_by_test_id("events-count").inner_text() == f"({totals[admin1]:,})"


def test_event_sources_show_evidence_highlighted_right_to_left(page, server):
    events = api(page, server + "/api/events?limit=25")["items"]
    index = next(i for i, e in enumerate(events) if e["killed"])
    event = events[index]
    open_dashboard(page, server + "/")
    page.locator("#events tbody tr").nth(index).click()
    page.wait_for_selector(f"#sources[data-loaded='{event['event_id']}']")
    assert query_of(page.url)["event"] == [event["event_id"]]
    document = api(page, f"{server}/api/documents/{event['sources'][0]['doc_id']}")
    report = page.locator("#sources .report").first
    assert report.get_attribute("dir") == document["direction"] == "rtl"
    assert report.inner_text().replace("\n", "") == document["text"].replace("\n", "")
    mine = {s["record_id"] for s in event["sources"]}
    wanted = {s["text"] for s in document["evidence"] if s["record_id"] in mine}
    marked = page.locator("#sources .report mark:not(.other)").all_inner_texts()
    assert wanted and marked
    assert all(any(m in w for w in wanted) for m in marked)
    screenshot(page, "dashboard-sources.png")


def test_labels_switch_to_arabic_and_back(page, server):
    open_dashboard(page, server + "/")
    english = page.locator("h1").inner_text()
    page.get_by_test_id("lang-toggle").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "lang=ar" in page.url
    arabic = page.locator("h1").inner_text()
    assert arabic != english and any("\u0600" <= ch <= "\u06ff" for ch in arabic)
    screenshot(page, "dashboard-ar.png")
    page.get_by_test_id("lang-toggle").click()
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("h1").inner_text() == english


def test_api_docs_page_works_offline(page, server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(server + "/docs")
    page.wait_for_selector(".opblock", timeout=15_000)
    paths = {p.inner_text() for p in page.locator(".opblock-summary-path").all()}
    assert {"/api/records", "/api/events", "/api/tallies", "/api/ingest"} <= paths
    assert all(url.startswith((server, "data:")) for url in requested), requested
