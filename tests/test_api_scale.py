"""Queries that stay fast at a million records (issue 15), checked for giving the same answers as before:
keyset pages concatenate to the full listing, the pre-aggregated sums equal the sums over events after
ingest, correction, merge and delete (on both backends), and the query plans use the text index and the
listing indexes rather than scans."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ingest_runs import ant_subset
from marsad import pipeline, review, store
from marsad.api import create_app
from marsad.resolve import merge_events, update_events
from marsad.sources import read_sources
from marsad.store import events as event_store
from marsad.store import paging, search, summaries
from marsad.store.records import apply_filters, date_bounds, records


@pytest.fixture
def client(ant_store, tmp_path):
    db = tmp_path / "ant.db"
    shutil.copy(ant_store, db)
    engine = store.connect(str(db))
    yield TestClient(create_app(engine))
    engine.dispose()


def walk(client, path: str, params: dict, limit: int = 7) -> list[dict]:
    """Every item of a listing, page after page through the `next` cursor."""
    found, cursor = [], None
    for _ in range(1000):
        response = client.get(path, params={**params, "limit": limit, **({"after": cursor} if cursor else {})})
        assert response.status_code == 200, (params, cursor, response.text)
        page = response.json()
        found.extend(page["items"])
        cursor = page["next"]
        if cursor is None:
            return found
    raise AssertionError("the cursor never ended")


@pytest.mark.parametrize("params", [{}, {"kind": "incident"}, {"text": "قصف"}, {"since": "2018-03-01"}])
def test_keyset_pages_concatenate_to_the_full_list(client, params):
    whole = client.get("/api/records", params={**params, "limit": 500}).json()
    assert whole["total_exact"] and whole["total"] == len(whole["items"]) > 7
    assert [r["record_id"] for r in walk(client, "/api/records", params)] == [r["record_id"] for r in whole["items"]]
    params = {k: v for k, v in params.items() if k != "kind"}  # events are incidents
    events = client.get("/api/events", params={**params, "limit": 500}).json()
    paged = walk(client, "/api/events", params)
    assert [e["event_id"] for e in paged] == [e["event_id"] for e in events["items"]] and events["items"]


def test_offset_pages_still_work_and_a_bad_cursor_is_a_clear_422(client):
    whole = client.get("/api/records", params={"limit": 30}).json()["items"]
    page = client.get("/api/records", params={"limit": 10, "offset": 20}).json()["items"]
    assert [r["record_id"] for r in page] == [r["record_id"] for r in whole[20:30]]
    response = client.get("/api/records", params={"after": "no cursor"})
    assert response.status_code == 422 and "cursor" in response.json()["detail"]


def test_a_count_past_the_cap_says_it_is_a_lower_bound(client, monkeypatch):
    exact = client.get("/api/records", params={"kind": "incident"}).json()
    monkeypatch.setattr(paging, "COUNT_CAP", 5)
    capped = client.get("/api/records", params={"kind": "incident"}).json()
    assert exact["total_exact"] and exact["total"] > 5
    assert not capped["total_exact"] and capped["total"] == 5 and capped["items"] == exact["items"]


def test_a_common_needle_walks_the_listing_with_the_same_answer(client, monkeypatch):
    params = {"text": "مقتل", "limit": 500}
    from_index = client.get("/api/records", params=params).json()
    events = client.get("/api/events", params=params).json()
    monkeypatch.setattr(search, "COMMON", 1)  # every needle counts as common: checked row by row
    walked = client.get("/api/records", params=params).json()
    walked_events = client.get("/api/events", params=params).json()
    assert from_index["items"] and walked["items"] == from_index["items"]
    assert events["items"] and walked_events["items"] == events["items"]


@pytest.mark.parametrize("params", [{"text": "مقتل"}, {"text": "الغوطة", "admin1": "Idleb"}, {"text": "حلب"},
                                    {"text": "دوما", "perpetrator": "syrian_government"}])  # fmt: skip
def test_a_walk_that_finds_too_few_asks_the_text_index_with_the_same_pages(client, monkeypatch, params):
    """A common needle's walk gives up after its budget when the candidates seldom hold it, and goes on as
    far as they need when they do: the pages are the text index's either way (records, events, queue)."""
    paths = ("/api/records", "/api/events", "/api/review/queue")
    whole = {path: client.get(path, params={**params, "limit": 200}).json()["items"] for path in paths}
    monkeypatch.setattr(search, "COMMON", 1)
    monkeypatch.setattr(paging, "WALK_BUDGET", 1)  # 4 candidates a page of one: every path is taken
    for path in ("/api/records", "/api/events"):
        key = "event_id" if "events" in path else "record_id"
        assert [item[key] for item in walk(client, path, params, limit=1)] == [item[key] for item in whole[path]]
    queue = [client.get(paths[2], params={**params, "limit": 1, "offset": n}).json()["items"] for n in range(8)]
    assert [page[0]["record_id"] for page in queue if page] == [r["record_id"] for r in whole[paths[2]][:8]]


def test_a_walked_page_stops_at_its_budget_or_at_the_last_candidate(ant_store, monkeypatch):
    engine = store.connect(str(ant_store))
    candidates = select(records.c.record_id, records.c.record_id.label("probe")).order_by(records.c.record_id)
    with engine.connect() as conn:
        every = list(conn.execute(candidates).scalars())
        assert paging.WALK_BUDGET > len(every) > 100
        assert paging.walked_page(conn, candidates, lambda ids: set(), 5, 0) == []  # all checked, none holds it
        assert paging.walked_page(conn, candidates, set, 5, 3) == every[3:8]
        last = every[-1:]
        assert paging.walked_page(conn, candidates, lambda ids: set(ids) & set(last), 1, 0) == last
        monkeypatch.setattr(paging, "WALK_BUDGET", 10)
        # The first 10 hold none: the needle is rare here, the caller asks the text index.
        assert paging.walked_page(conn, candidates, lambda ids: set(ids) & set(last), 1, 0) is None
        # One in 8 holds it: after 10 the walk goes as far as that rate says 10 matches need.
        sparse = set(every[5::8])
        assert paging.walked_page(conn, candidates, lambda ids: set(ids) & sparse, 10, 0) == every[5::8][:10]
    engine.dispose()


def raw_sums(engine) -> tuple[dict, dict]:
    """Per day and per place, the sums over the events table itself."""
    events = event_store.events
    with engine.connect() as conn:
        days = {
            row[0]: tuple(row[1:])
            for row in conn.execute(
                select(*summaries._day_sums(events)).where(events.c.date.is_not(None)).group_by(events.c.date)
            )
        }
        places = {(r[0], r[1]): tuple(r[2:]) for r in conn.execute(
            select(*summaries._place_sums(events)).where(events.c.lat.is_not(None), events.c.lon.is_not(None))
            .group_by(events.c.lat, events.c.lon))}  # fmt: skip
        kept_days = {r[0]: tuple(r[1:]) for r in conn.execute(select(summaries.event_days))}
        kept_places = {(r[0], r[1]): tuple(r[2:]) for r in conn.execute(select(summaries.event_places))}
        groups = (events.c.admin1, events.c.perpetrator)
        day_groups = sorted(conn.execute(select(*summaries._day_group_sums(events)).where(events.c.date.is_not(None))
                                         .group_by(events.c.date, *groups)), key=repr)  # fmt: skip
        place_groups = sorted(conn.execute(select(*summaries._place_group_sums(events))
                                           .where(events.c.lat.is_not(None), events.c.lon.is_not(None))
                                           .group_by(events.c.lat, events.c.lon, *groups)), key=repr)  # fmt: skip
        kept_day_groups = sorted(conn.execute(select(summaries.event_day_groups)), key=repr)
        kept_place_groups = sorted(conn.execute(select(summaries.event_place_groups)), key=repr)
    assert days and places and len(day_groups) >= len(days) and len(place_groups) >= len(places)
    assert kept_days == days and kept_places == places
    assert kept_day_groups == day_groups and kept_place_groups == place_groups
    return days, places


def test_summaries_equal_the_sums_over_events_after_every_change(store_url, ant_path, tmp_path):
    engine = store.connect(store_url)
    lines = ant_subset(ant_path, "2018-02-18", "2018-02-24")
    (tmp_path / "a.jsonl").write_text("".join(lines[0::2]), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("".join(lines[1::2]), encoding="utf-8")
    pipeline.ingest(engine, read_sources([str(tmp_path / "a.jsonl")]))
    raw_sums(engine)
    pipeline.ingest(engine, read_sources([str(tmp_path / "b.jsonl")]))
    days, _ = raw_sums(engine)
    # A correction re-resolves its record's event; the sums follow.
    event = max(event_store.query_events(engine), key=lambda e: (e["killed"] or {}).get("best") or 0)
    record_id = event["sources"][0]["record_id"]
    review.correct(engine, record_id, {"killed.best": 4321}, reason="test", user="test")
    after_correction, _ = raw_sums(engine)
    assert after_correction != days
    two = [e["event_id"] for e in event_store.query_events(engine, limit=2)]
    merge_events(engine, two)
    raw_sums(engine)
    store.delete_document(engine, event["sources"][-1]["doc_id"])
    update_events(engine)
    raw_sums(engine)
    update_events(engine, full=True)
    raw_sums(engine)
    # The API's figures from the summaries equal the events' own sums.
    client = TestClient(create_app(engine))
    tally = client.get("/api/tallies").json()
    events = event_store.events
    with engine.connect() as conn:
        best = func.sum(func.coalesce(events.c.killed_best, events.c.killed_low))
        assert (tally["events"], tally["killed_best"]) == tuple(conn.execute(select(func.count(), best)).one())
    timeline = client.get("/api/timeline").json()["points"]
    assert sum(p["killed_best"] for p in timeline) == sum(v[3] for v in raw_sums(engine)[0].values())
    engine.dispose()


def test_an_older_store_gets_its_summaries_filled(ant_store, tmp_path):
    db = tmp_path / "old.db"
    shutil.copy(ant_store, db)
    with sqlite3.connect(db) as conn:  # as a store made before migration 7
        for table in ("event_days", "event_places", "event_day_groups", "event_place_groups"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("DELETE FROM schema_version WHERE version >= 7")
    engine = store.connect(str(db))
    raw_sums(engine)
    engine.dispose()


VIEW_FILTERS = [
    {},
    {"admin1": "Damascus"},
    {"admin1": "rural damascus, Idleb", "since": "2018-02-20"},
    {"perpetrator": "syrian_government"},
    {"perpetrator": "syrian_government,russia", "admin1": "Rural Damascus", "until": "2018-03-31"},
    {"since": "2018-02-01", "until": "2018-03-31"},
]


@pytest.mark.parametrize("params", VIEW_FILTERS)
def test_the_timeline_map_and_event_totals_equal_the_sums_over_events(client, params, monkeypatch):
    """The summaries per governorate and perpetrator answer what summing the events table answers."""
    days = {k: date.fromisoformat(v) for k, v in params.items() if k in ("since", "until")}
    where = store.Filters(**{**params, **days})
    views = {view: client.get(f"/api/{view}", params=params).json() for view in ("timeline", "map")}
    events = client.get("/api/events", params={**params, "limit": 1}).json()
    engine = client.app.state.engine
    totals = event_store.events_killed(engine, where)
    monkeypatch.setattr(summaries, "serves", lambda _filters: False)
    for view, found in views.items():
        assert found["basis"] == "events" and found["points"], view
        assert found == client.get(f"/api/{view}", params=params).json(), view
    assert events["total"] == client.get("/api/events", params={**params, "limit": 1}).json()["total"]
    assert totals == event_store.events_killed(engine, where) and totals[0] == events["total"]


def plan(engine, query) -> str:
    sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.connect() as conn:
        return "\n".join(row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))


def full_scans(found: str) -> list[str]:
    """Plan lines that read a whole table (not an index, not the text index)."""
    return [line for line in found.split("\n") if line.strip() in ("SCAN documents", "SCAN records", "SCAN events")]


def test_the_text_filter_uses_the_text_index_and_listings_use_an_index(ant_store):
    engine = store.connect(str(ant_store))
    listing = select(records.c.record_id).order_by(records.c.date, records.c.record_id).limit(50)
    text_plan = plan(engine, apply_filters(listing, store.Filters(text="حلب")))
    assert "documents_fts VIRTUAL TABLE" in text_plan and not full_scans(text_plan), text_plan
    for filters in (store.Filters(), store.Filters(admin1="Idleb"), store.Filters(perpetrator="isis")):
        found = plan(engine, apply_filters(listing, filters))
        assert "INDEX" in found and "TEMP B-TREE" not in found and not full_scans(found), found
    events = event_store.events
    for filters in (store.Filters(), store.Filters(admin1="Idleb"), store.Filters(since=date(2018, 1, 1))):
        query = event_store._apply_filters(select(events.c.event_id), filters).order_by(events.c.date).limit(25)
        found = plan(engine, query)
        assert "INDEX" in found and not full_scans(found), (filters, found)
    with_text = event_store._apply_filters(select(events.c.event_id), store.Filters(text="حلب"))
    assert "documents_fts VIRTUAL TABLE" in plan(engine, with_text)
    engine.dispose()


TALLY_FILTERS = [
    {},
    {"since": "2018-02-01", "until": "2018-03-31"},
    {"since": "2018-03-01"},
    {"admin1": "Damascus"},
    {"admin1": "Rif Dimashq", "until": "2018-03-15"},
    {"perpetrator": "syrian_government"},
    {"text": "مقتل"},
    {"text": "الغوطة", "since": "2018-02-15"},
]


@pytest.mark.parametrize("params", TALLY_FILTERS)
def test_the_tally_page_equals_the_unsummarised_reconciliation(client, params, monkeypatch):
    """/api/tallies (summaries, paging in the database, text walked, admin1 read from the stored data)
    gives the figures of the plain computation: every tally reconciled over the events table itself."""
    from marsad.api.params import filters as parse
    from marsad.resolve.tally import reconcile

    pages, offset = [], 0
    while True:
        page = client.get("/api/tallies", params={**params, "limit": 3, "offset": offset}).json()
        pages.append(page)
        offset += 3
        if offset >= page["tallies_total"]:
            break
    monkeypatch.setattr(summaries, "serves", lambda _filters: False)
    monkeypatch.setattr(search, "COMMON", 10**9)  # never walked: the text index for every needle
    engine = client.app.state.engine
    listed = {k: ([v] if k in ("admin1", "perpetrator") else v) for k, v in params.items()}
    plain = reconcile(engine, parse(**{k: date.fromisoformat(v) if k in ("since", "until") else v
                                       for k, v in listed.items()})).to_dict()  # fmt: skip
    first = pages[0]
    assert (first["events"], first["killed_low"], first["killed_best"], first["killed_high"]) == (
        plain["events"], plain["killed_low"], plain["killed_best"], plain["killed_high"])  # fmt: skip
    assert first["tallies_total"] == plain["tallies_total"] == len(plain["tallies"])
    lines = [line for page in pages for line in page["tallies"]]
    for line in lines:
        line.pop("doc_id")
    assert lines == plain["tallies"]


@pytest.mark.parametrize("window", [("2018-02-20", "2018-02-28"), ("2018-03-01", None), (None, "2018-02-25")])
def test_a_date_window_seeks_the_listing_and_keeps_the_tallies_it_overlaps(client, window):
    """The window as a range of the date column (records.date_bounds) drops nothing apply_filters admits:
    tallies published after the window whose period overlaps it are listed too."""
    since, until = (date.fromisoformat(d) if d else None for d in window)
    engine = client.app.state.engine
    wanted = store.query_records(engine, store.Filters(since=since, until=until))  # unpaged: no range added
    params = {k: v for k, v in zip(("since", "until"), window, strict=True) if v}
    page = client.get("/api/records", params={**params, "limit": 500}).json()
    assert [r["record_id"] for r in page["items"]] == [s.record_id for s in wanted] and page["total"] == len(wanted)
    if until:  # a tally reported after the window, over a period that overlaps it
        assert any(s.record.kind == "tally" and s.published > until for s in wanted)
    with engine.connect() as conn:
        bounded = apply_filters(select(records.c.record_id), store.Filters(since=since, until=until))
        found = plan(engine, bounded.where(*date_bounds(conn, store.Filters(since=since, until=until))).limit(50))
    assert "date>" in found.replace(" ", "") or "date<" in found.replace(" ", ""), found


def test_tallies_are_listed_by_the_day_they_count_to_from_their_own_index(client, ant_store):
    """The tally page is in (period end, record id) order, and its ids, its count and a governorate's or a
    window's tallies are read through ix_records_tally_order (SQLite is told), never by sorting records."""
    from marsad.store import tally as tally_store

    lines = client.get("/api/tallies", params={"limit": 200}).json()["tallies"]
    assert len(lines) > 3 and [(t["period_end"], t["record_id"]) for t in lines] == sorted(
        (t["period_end"], t["record_id"]) for t in lines
    )
    engine = store.connect(str(ant_store))
    for filters in (store.Filters(), store.Filters(since=date(2018, 2, 1), perpetrator="syrian_government")):
        found = plan(engine, tally_store._ids(filters).limit(20))
        assert "USING COVERING INDEX ix_records_tally_order" in found and "TEMP B-TREE" not in found, found
    engine.dispose()


def test_a_common_needle_lists_the_tallies_without_sums_over_events(client, monkeypatch):
    """A text the index finds in COMMON reports or more is listed exactly (the same tallies, counted) but not
    summed over events: the sums are null and say why, rather than costing a read of every matching event."""
    params = {"text": "مقتل", "limit": 5}
    summed = client.get("/api/tallies", params=params).json()
    monkeypatch.setattr(search, "COMMON", 1)
    listed = client.get("/api/tallies", params=params).json()
    assert summed["unsummed"] is None and summed["events"] > 0 and summed["tallies"]
    assert listed["unsummed"] and listed["events"] is listed["killed_best"] is None
    assert listed["tallies_total"] == summed["tallies_total"]
    unsummed = {"events_in_period": None, "difference": None}
    for a, b in zip(listed["tallies"], summed["tallies"], strict=True):
        assert a["events_in_period"] is a["difference"] is None and {**a, **unsummed} == {**b, **unsummed}


def test_an_older_store_gets_the_tallies_index(ant_store, tmp_path):
    db = tmp_path / "old.db"
    shutil.copy(ant_store, db)
    with sqlite3.connect(db) as conn:  # as a store made before migration 10
        conn.execute("DROP INDEX ix_records_tally_order")
        conn.execute("DROP INDEX ix_records_tally_series")
        conn.execute("DELETE FROM schema_version WHERE version >= 10")
    store.connect(str(db)).dispose()
    with sqlite3.connect(db) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"ix_records_tally_order", "ix_records_tally_series"} <= names
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] >= 10


def test_the_tally_page_equals_the_plain_reconciliation_on_both_backends(store_url, ant_path, tmp_path):
    """The paged reconciliation (partial indexes, read through them on SQLite; ILIKE on PostgreSQL) lists and
    sums what the whole reconciliation does, on each backend."""
    from marsad.resolve.tally import reconcile

    engine = store.connect(store_url)
    (tmp_path / "a.jsonl").write_text("".join(ant_subset(ant_path, "2018-02-18", "2018-03-10")), encoding="utf-8")
    pipeline.ingest(engine, read_sources([str(tmp_path / "a.jsonl")]))
    named = next(region for line in reconcile(engine, store.Filters()).tallies for region in line.regions if region)
    for filters in (store.Filters(), store.Filters(since=date(2018, 2, 20)), store.Filters(admin1=named.lower())):
        plain = reconcile(engine, filters)
        assert plain.tallies, filters
        lines = [line for offset in range(0, len(plain.tallies), 2)
                 for line in reconcile(engine, filters, limit=2, offset=offset).tallies]  # fmt: skip
        assert lines == plain.tallies and reconcile(engine, filters, limit=2).tallies_total == len(plain.tallies)
    engine.dispose()


def test_a_common_word_leaves_every_sum_out_and_a_rare_one_is_summed_exactly(store_url, ant_path, tmp_path,
                                                                              monkeypatch):  # fmt: skip
    """One rule for the tallies, timeline and map (aggregates.unsummed), on each backend: a word in COMMON
    reports or more gets no sums and says why; a rarer word gets the plain sums over its events."""
    from marsad.store.schema import documents

    engine = store.connect(store_url)
    (tmp_path / "a.jsonl").write_text("".join(ant_subset(ant_path, "2018-02-18", "2018-02-24")), encoding="utf-8")
    pipeline.ingest(engine, read_sources([str(tmp_path / "a.jsonl")]))
    events, members = event_store.events, event_store.event_members

    def in_reports(word: str) -> int:
        with engine.connect() as conn:
            folded = search.folded_needle(word)
            return conn.execute(select(func.count()).where(documents.c.text_norm.contains(folded))).scalar_one()

    def plain(word: str, *group) -> list[tuple]:
        """Sums over the events of the reports holding `word`, by a LIKE (no text index, no summaries)."""
        holding = select(documents.c.doc_id).where(documents.c.text_norm.contains(search.folded_needle(word)))
        ids = select(members.c.event_id).join(records, records.c.record_id == members.c.record_id)
        query = select(*group, func.count(), *summaries.killed_sums(events)).where(
            events.c.event_id.in_(ids.where(records.c.doc_id.in_(holding))), *(c.is_not(None) for c in group)
        )
        with engine.connect() as conn:
            return sorted(tuple(row) for row in conn.execute(query.group_by(*group) if group else query))

    common = "قتل"
    rare = min((w for w in ("دوما", "حرستا", "عفرين", "إدلب", "حماة", "درعا") if plain(w)[0][0]), key=in_reports)
    monkeypatch.setattr(search, "COMMON", in_reports(common))
    assert 0 < in_reports(rare) < search.COMMON
    client = TestClient(create_app(engine))
    for view in ("timeline", "map", "tallies"):
        found = client.get(f"/api/{view}", params={"text": common}).json()
        assert f"{search.COMMON:,} reports" in found["unsummed"], view
        assert found.get("points", []) == [] and found.get("events") is None, view
    timeline = client.get("/api/timeline", params={"text": rare}).json()
    places = client.get("/api/map", params={"text": rare}).json()
    tally = client.get("/api/tallies", params={"text": rare}).json()
    assert timeline["unsummed"] is places["unsummed"] is tally["unsummed"] is None and timeline["points"]
    days = [(date.fromisoformat(p["day"]), p["count"], p["killed_low"], p["killed_best"], p["killed_high"])
            for p in timeline["points"]]  # fmt: skip
    assert days == plain(rare, events.c.date)
    spots = sorted((p["lat"], p["lon"], p["count"], p["killed_best"]) for p in places["points"])
    assert spots == [(lat, lon, n, best) for lat, lon, n, _low, best, _high in plain(rare, events.c.lat, events.c.lon)]
    assert (tally["events"], tally["killed_best"]) == (plain(rare)[0][0], plain(rare)[0][2])
    engine.dispose()


SAME_SHAPE = [
    ({"admin1": "Damascus"}, {"admin1": "Idleb"}),
    ({"admin1": "Rural Damascus, Idleb", "since": "2018-02-20"}, {"admin1": "Damascus, Aleppo", "since": "2018-03-05"}),
    ({"perpetrator": "syrian_government", "until": "2018-03-15"}, {"perpetrator": "russia", "until": "2018-04-30"}),
    ({"victim": "civilians", "since": "2018-02-01"}, {"victim": "children", "since": "2018-03-01"}),
]


def plain_killed(engine, where: store.Filters) -> tuple[int, int, int, int]:
    """events_killed's figures summed in Python over every row of the events table."""
    with engine.connect() as conn:
        rows = conn.execute(select(event_store.events)).all()

    def among(value: str | None, *found: str | None) -> bool:
        return not value or any((f or "").lower() in [v.strip().lower() for v in value.split(",")] for f in found)

    def admits(row) -> bool:
        in_window = (not where.since or (row.date and row.date >= where.since)) and (
            not where.until or (row.date and row.date <= where.until))  # fmt: skip
        victims = row.victim_groups.strip("|").split("|")
        return bool(in_window) and among(where.admin1, row.admin1) and among(where.perpetrator, row.perpetrator) \
            and among(where.victim, *victims)  # fmt: skip

    def first(*values):
        return next((v for v in values if v is not None), 0)

    kept = [r for r in rows if admits(r)]
    return (len(kept), sum(first(r.killed_low) for r in kept), sum(first(r.killed_best, r.killed_low) for r in kept),
            sum(first(r.killed_high, r.killed_best, r.killed_low) for r in kept))  # fmt: skip


@pytest.mark.parametrize("pair", SAME_SHAPE)
def test_a_sum_statement_built_once_per_shape_answers_each_filters_own_values(ant_store, pair, monkeypatch):
    """A tally page's twenty sums run one statement per shape of filters (records.built_once) with each one's
    values: the second filters of a pair get their own answer, from the summaries and from the events."""
    from marsad.store import records as record_store

    engine = store.connect(str(ant_store))
    first, second = (store.Filters(**{k: date.fromisoformat(v) if k in ("since", "until") else v
                                      for k, v in params.items()}) for params in pair)  # fmt: skip
    for served in (True, False):
        if not served:
            monkeypatch.setattr(summaries, "serves", lambda _filters: False)
        record_store._BUILT.clear()
        reused = [event_store.events_killed(engine, f) for f in (first, second)]
        assert len(record_store._BUILT) == (1 if served and (first.since or first.until) else 2 if served else 1)
        assert reused == [plain_killed(engine, f) for f in (first, second)], served
        assert reused[0] != reused[1] and reused[1][0] > 0
    engine.dispose()
