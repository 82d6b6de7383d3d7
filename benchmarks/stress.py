"""A stress set for event resolution, built from real UCDP GED incidents (Syria 2016-2019).

Each real incident is restated by one or more "outlets" (1.8 on average) the way reports differ:
counts varied, the date off by a day or replaced by the report date, the place respelled,
coordinates missing, actors or the sub-event type left out or described differently. Different UCDP
incidents on the same day in the same governorate are the confusers that must stay apart.
"""

from __future__ import annotations

import csv
import random
import re
from datetime import date, timedelta
from pathlib import Path

from marsad.model import Count, Location, Record
from marsad.resolve.features import Item, to_item

ADMIN1 = {
    "Aleppo": "Aleppo",
    "Rif Dimashq": "Rural Damascus",
    "Deir ez Zor": "Deir-ez-Zor",
    "Idlib": "Idleb",
    "Ar Raqqah": "Ar-Raqqa",
    "Hamah": "Hama",
    "Homs": "Homs",
    "Daraa": "Dar'a",
    "Damascus": "Damascus",
    "Al Hasakah": "Al-Hasakeh",
    "Latakia": "Lattakia",
    "Quneitra": "Quneitra",
    "As Suwayda": "As-Sweida",
    "Tartus": "Tartous",
}
SIDES = {
    "Government of Syria": "syrian_government",
    "IS": "isis",
    "Government of Turkey": "turkey",
    "SDF": "sdf_ypg",
    "Syrian insurgents": "syrian_opposition",
    "SNA": "syrian_opposition",
    "HTS": "hts",
    "Civilians": "civilians",
}
CUES = [
    ("air_drone_strike", re.compile(r"air ?strike|warplane|air raid|helicopter|barrel", re.I)),
    ("shelling_artillery_missile_attack", re.compile(r"shell|mortar|rocket|missile|artillery", re.I)),
    ("remote_explosive_landmine_ied", re.compile(r"explo|ied|mine|car bomb|booby", re.I)),
    ("armed_clash", re.compile(r"clash|battle|fight|attack", re.I)),
]
SWAPS = [("ou", "u"), ("u", "ou"), ("ee", "i"), ("i", "ee"), ("y", "i"), ("ah", "a"), ("a", "ah"), ("eh", "a")]


def _respell(name: str, rng: random.Random) -> str:
    name = re.sub(r"\s+(village|town|city|area|neighbourhood|neighborhood)$", "", name, flags=re.I)
    article = re.match(r"(?i)(a[lsdrntz]h?[- ])", name)
    prefix, rest = (article.group(1), name[article.end() :]) if article else ("", name)
    for _ in range(rng.randint(1, 2)):
        old, new = rng.choice(SWAPS)
        if old in rest.lower():
            i = rest.lower().index(old)
            rest = rest[:i] + new + rest[i + len(old) :]
    if rng.random() < 0.3:
        prefix = "" if prefix else "al-"
    return prefix + rest


def _sub_event(headline: str) -> str | None:
    for sub, cue in CUES:
        if cue.search(headline):
            return sub
    return None


def _side(name: str) -> str:
    return SIDES.get(name.split(",")[0].strip(), "other")


def restate(row: dict, k: int, rng: random.Random) -> Record:
    """The k-th outlet's report of a real UCDP incident."""
    day = date.fromisoformat(row["date_start"][:10])
    precision = "day"
    roll = rng.random()
    if roll < 0.2:
        day += timedelta(days=rng.choice((-1, 1)))
    elif roll < 0.45:
        day += timedelta(days=rng.randint(0, 2))
        precision = "report"
    admin1 = ADMIN1.get(row["adm_1"].replace(" Governorate", "").strip())
    precise_place = row["where_prec"] in ("1", "2")
    name = row["where_coordinates"] if precise_place else (admin1 or "Syria")
    if precise_place and rng.random() < 0.5:
        name = _respell(name, rng)
    coords = precise_place and rng.random() < 0.6
    location = Location(
        name=name,
        admin1=admin1,
        country="SY",
        lat=float(row["latitude"]) + rng.uniform(-0.01, 0.01) if coords else None,
        lon=float(row["longitude"]) + rng.uniform(-0.01, 0.01) if coords else None,
        geo_precision=int(row["where_prec"]) if precise_place else 3,
    )
    best = int(row["best"])
    roll = rng.random()
    killed = None
    if roll < 0.6:
        killed = Count.exact(max(1, round(best * rng.uniform(0.6, 1.4))) if roll < 0.3 else best)
    sub = _sub_event(row["source_headline"]) if rng.random() < 0.7 else None
    if sub in ("air_drone_strike", "shelling_artillery_missile_attack") and rng.random() < 0.15:
        sub = "shelling_artillery_missile_attack" if sub == "air_drone_strike" else "air_drone_strike"
    return Record(
        doc_id=f"stress-{row['id']}-{k}",
        kind="incident",
        event_type="battles" if sub == "armed_clash" else "explosions_remote_violence" if sub else None,
        sub_event_type=sub,
        date=day.isoformat(),
        date_precision=precision,
        perpetrator=_side(row["side_a"]) if rng.random() < 0.6 else "unknown",
        victim_group=_side(row["side_b"]) if rng.random() < 0.6 else "unknown",
        killed=killed,
        location=location,
    )


def ucdp_rows(data: Path, distinct: bool = True) -> list[dict]:
    """UCDP incidents with a day-precise date, in date order.

    `distinct`: keep only incidents that a report could tell apart from each other: UCDP splits one
    town's fighting into a row per dyad and source, day after day (Raqqa, summer 2017), and nothing a
    restated report carries separates "Raqqa, 17 July" from "Raqqa, 18 July" once dates move by a day.
    So no two kept incidents share a place (name or ~1 km cell) within 3 days; different places on the
    same day in the same governorate, the confusers that must stay apart, are all kept.
    """
    with (data / "events" / "ucdp_ged_syria_2016_2019.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["date_prec"] == "1"]
    rows.sort(key=lambda r: (r["date_start"], r["id"]))
    last_seen: dict[object, int] = {}
    kept = []
    for row in rows:
        day = date.fromisoformat(row["date_start"][:10]).toordinal()
        cell = (round(float(row["latitude"]), 2), round(float(row["longitude"]), 2))
        keys = (row["where_coordinates"], cell)
        gap = 4 if distinct else 1
        if any(day - last_seen.get(k, -99) < gap for k in keys):
            continue
        for k in keys:
            last_seen[k] = day
        kept.append(row)
    return kept


def stress_items(
    data: Path,
    n_events: int | None = 3000,
    mean_reports: float = 2.2,
    seed: int = 5,
    distinct: bool = True,
    period_days: int | None = None,
    copies: int = 1,
) -> tuple[list[Item], dict[str, str]]:
    """Items and record_id -> true event id. Events are a contiguous run of days, so density is real.

    `period_days`: every incident's date is folded into one period of that many days (a dense campaign);
    `copies`: the incidents are repeated, each copy k days later (in the period) or k * 4 years later (spread).
    """
    rng = random.Random(seed)
    rows = ucdp_rows(data, distinct)
    if n_events is not None:
        start = len(rows) // 2 - n_events // 2
        rows = rows[max(0, start) : max(0, start) + n_events]
    items, truth = [], {}
    for copy in range(copies):
        for row in rows:
            row = _moved(row, copy, period_days)
            n = 1 + min(int(rng.expovariate(1 / (mean_reports - 1))), 19) if mean_reports > 1 else 1
            for k in range(n):
                record = restate(row, k, rng)
                record_id = f"{record.doc_id}:0"
                published = date.fromisoformat(record.date)
                items.append(to_item(record_id, record, published))
                truth[record_id] = row["id"]
    return items, truth


_FIRST = date(2016, 1, 1).toordinal()


def _moved(row: dict, copy: int, period_days: int | None) -> dict:
    if not period_days and not copy:
        return row
    day = date.fromisoformat(row["date_start"][:10]).toordinal()
    if period_days:
        day = _FIRST + (day - _FIRST + copy) % period_days
    else:
        day += copy * 4 * 365
    return {**row, "date_start": date.fromordinal(day).isoformat(), "id": f"{row['id']}" + (f"c{copy}" if copy else "")}
