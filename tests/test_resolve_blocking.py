"""Blocking on real UCDP places: candidates stay few however dense a period, and never lose a record that
could be the same event (the same town respelled, a point nearby, a report naming only the governorate)."""

from __future__ import annotations

import csv
from datetime import date

from conftest import DATA, need
from marsad.model import Count, Location, Record
from marsad.resolve import blocking
from marsad.resolve.cluster import Resolver
from marsad.resolve.features import Item, to_item


def item(n: int, name: str, admin1: str = "Idleb", lat=None, lon=None, precision: int = 1, **fields) -> Item:
    location = Location(name=name, admin1=admin1, country="SY", lat=lat, lon=lon, geo_precision=precision)
    record = Record(doc_id=f"d{n}", kind="incident", date="2018-03-01", date_precision="day", location=location)
    for key, value in fields.items():
        setattr(record, key, value)
    return to_item(f"d{n}:0", record, date(2018, 3, 1))


def candidate_ids(resolver: Resolver, probe: Item) -> set[str]:
    return {m.record_id for m in resolver._candidates(probe)}


def test_a_town_meets_its_respellings_its_neighbours_and_its_governorate_but_not_other_towns():
    resolver = Resolver()
    placed = [
        item(1, "Kafr Nubl"),
        item(2, "Maarat al-Numan", lat=35.648, lon=36.672),
        item(3, "Idlib", precision=3),  # the governorate only
        item(4, "Saraqib"),
    ]
    resolver.add_all(placed)
    assert candidate_ids(resolver, item(10, "Kafer Noubl")) >= {"d1:0", "d3:0"}
    assert "d4:0" not in candidate_ids(resolver, item(10, "Kafer Noubl"))
    # 1.3 km from Maarat al-Numan under another name: neighbouring villages may be one event.
    assert "d2:0" in candidate_ids(resolver, item(11, "Maar Shurin", lat=35.636, lon=36.671))
    # A report naming only the governorate is compared with every record there.
    assert candidate_ids(resolver, item(12, "Idlib", precision=3)) >= {"d1:0", "d2:0", "d4:0"}


def aleppo_day() -> list[Item]:
    """Every UCDP incident of 2016-2019 in Aleppo governorate on one day: 1,000 records."""
    path = need(DATA / "events" / "ucdp_ged_syria_2016_2019.csv")
    with path.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["adm_1"].startswith("Aleppo")][:1000]
    return [
        item(
            i,
            row["where_coordinates"],
            admin1="Aleppo",
            lat=float(row["latitude"]),
            lon=float(row["longitude"]),
            precision=int(row["where_prec"]) if row["where_prec"] in ("1", "2") else 3,
            killed=Count.exact(int(row["best"])),
        )
        for i, row in enumerate(rows)
    ]


def test_candidates_stay_bounded_in_a_dense_block_of_real_places():
    items = aleppo_day()
    resolver = Resolver()
    sizes = []
    original = resolver._candidates
    resolver._candidates = lambda it: sizes.append(len(found := original(it))) or found
    resolver.add_all(items)
    assert len(sizes) >= len(items)
    # The window, plus at most as many other members in reach of the events met.
    assert max(sizes) <= 2 * blocking.WINDOW
    assert sum(sizes) / len(sizes) < blocking.WINDOW


def test_a_run_pauses_the_cycle_collector_and_gives_it_back_as_it_found_it(monkeypatch):
    import gc

    from marsad.resolve import cluster

    during = []
    score = cluster.score_pair
    monkeypatch.setattr(cluster, "score_pair", lambda a, b: during.append(gc.isenabled()) or score(a, b))
    twins = [item(1, "Kafr Nubl"), item(2, "Kafer Noubl")]
    assert gc.isenabled()
    clusters = cluster.resolve_items(twins)
    assert during and not any(during)
    assert gc.isenabled()
    assert [len(c.members) for c in clusters] == [2]
    gc.disable()
    try:
        cluster.resolve_items(twins)
        assert not gc.isenabled()  # a caller that turned it off keeps it off
    finally:
        gc.enable()
