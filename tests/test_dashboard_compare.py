"""The dashboard's compare panel in a real headless Chromium: a store of ANT reports with UCDP GED
imported shows marsad against UCDP, by month and governorate, for the current filters."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn

import marsad
from marsad.api import create_app
from test_dashboard import browser, free_port, open_dashboard, page, screenshot  # noqa: F401  (fixtures)


@contextmanager
def serving(db: marsad.Database) -> Iterator[str]:
    """The app over `db` on a loopback port, in a thread."""
    port = free_port()
    uv = uvicorn.Server(uvicorn.Config(create_app(db.engine), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline:
            pytest.fail("the API server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def compare_server(ant_store, ucdp_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("dash_compare") / "store.db"
    shutil.copy(ant_store, path)
    db = marsad.open(path)
    db.import_reference("ucdp", ucdp_path)
    with serving(db) as url:
        yield url, db
    db.close()


def test_compare_panel_follows_the_filters(page, compare_server):  # noqa: F811
    url, db = compare_server
    open_dashboard(page, f"{url}/?since=2018-03-01&until=2018-03-31")
    panel = page.get_by_test_id("compare-panel")
    assert panel.is_visible()
    expected = db.compare("ucdp", since="2018-03-01", until="2018-03-31")
    assert page.get_by_test_id("compare-matched").inner_text() == f"{expected.matched:,}"
    assert page.get_by_test_id("compare-only-reference").inner_text() == f"{expected.only_reference:,}"
    rows = page.locator("[data-testid=compare-table] tbody tr")
    assert rows.count() == len(expected.by_month_admin1)
    assert all(text.startswith("2018-03") for text in rows.locator("td:first-child").all_inner_texts())
    screenshot(page, "dashboard-compare.png")
    page.select_option("select[name=admin1]", "Idleb")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("body[data-ready='1']")
    idleb = db.compare("ucdp", since="2018-03-01", until="2018-03-31", admin1="Idleb")
    assert page.get_by_test_id("compare-only-reference").inner_text() == f"{idleb.only_reference:,}"
    assert set(rows.locator("td:nth-child(2)").all_inner_texts()) == {"Idleb"}


def test_no_reference_no_panel(page, tmp_path):  # noqa: F811
    with marsad.open(tmp_path / "empty.db") as db, serving(db) as url:
        open_dashboard(page, f"{url}/")
        assert page.get_by_test_id("compare-panel").is_hidden()
