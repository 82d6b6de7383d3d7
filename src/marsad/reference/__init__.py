"""Reference datasets: another recorder's events (UCDP GED, ACLED) read into marsad's terms (SCHEMA.md
governorate spellings, actor ids) and stored beside marsad's own events, never among them.

`import_reference(engine, "ucdp", path)` reads a file; a bad row is named with its file and line and
left out, the others are imported. `marsad.reference.compare` holds marsad's events against one.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from marsad.formats import actor_ids, layout
from marsad.geo.lexicon import canonical_admin1
from marsad.sources.errors import SourceError
from marsad.store.reference import replace_reference

KINDS = ("ucdp", "acled")

# The columns a file of each kind must have; the rest are kept in the row's `data` as read.
REQUIRED = {
    "ucdp": ("id", "date_start", "adm_1", "latitude", "longitude", "side_a", "side_b", "best"),
    "acled": ("event_id_cnty", "event_date", "actor1", "admin1", "latitude", "longitude", "fatalities"),
}

csv.field_size_limit(sys.maxsize)


@dataclass
class ImportResult:
    name: str
    kind: str
    imported: int = 0
    errors: list[SourceError] = field(default_factory=list)


@cache
def _admin1(name: str) -> str | None:
    return canonical_admin1(name)


@cache
def _actors(*names: str) -> str:
    ids: list[str] = []
    for name in names:
        ids += [i for i in actor_ids(name.replace(";", ",")) if i not in ids]
    return "|" + "|".join(ids) + "|"


@cache
def _country_code(name: str) -> str | None:
    by_name = {entry[1].lower(): code for code, entry in layout("acled")["countries"].items()}
    return by_name.get(name.strip().lower())


def _day(value: str) -> date:
    value = value.strip()
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        pass
    for pattern in ("%d %B %Y", "%d-%B-%Y", "%m/%d/%Y"):  # ACLED's older exports spell the month
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"unreadable date {value!r}")


def _number(value: str | None, cast: Callable[[str], Any] = float) -> Any:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return cast(value)
    except ValueError:
        raise ValueError(f"not a number: {value!r}") from None


def _deaths(value: str | None) -> int | None:
    number = _number(value)
    return None if number is None else int(number)


def ucdp_event(row: dict[str, str]) -> dict[str, Any]:
    start = _day(row["date_start"])
    return {
        "ref_id": row["id"],
        "date_start": start,
        "date_end": _day(row["date_end"]) if row.get("date_end") else start,
        "country": _country_code(row.get("country") or ""),
        "admin1": _admin1(row["adm_1"]) if row.get("adm_1") else None,
        "admin2": (row.get("adm_2") or "").removesuffix(" district") or None,
        "location": row.get("where_coordinates") or None,
        "lat": _number(row["latitude"]),
        "lon": _number(row["longitude"]),
        "actors": _actors(row.get("side_a") or "", row.get("side_b") or ""),
        "side_a": row.get("side_a") or None,
        "side_b": row.get("side_b") or None,
        "event_type": {"1": "state-based", "2": "non-state", "3": "one-sided"}.get(row.get("type_of_violence", "")),
        "low": _deaths(row.get("low")),
        "best": _deaths(row["best"]),
        "high": _deaths(row.get("high")),
        "data": row,
    }


def acled_event(row: dict[str, str]) -> dict[str, Any]:
    day = _day(row["event_date"])
    fatalities = _deaths(row["fatalities"])
    names = (row.get(k) or "" for k in ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2"))
    return {
        "ref_id": row["event_id_cnty"],
        "date_start": day,
        "date_end": day,
        "country": _country_code(row.get("country") or ""),
        "admin1": _admin1(row["admin1"]) if row.get("admin1") else None,
        "admin2": row.get("admin2") or None,
        "location": row.get("location") or None,
        "lat": _number(row["latitude"]),
        "lon": _number(row["longitude"]),
        "actors": _actors(*names),
        "side_a": row.get("actor1") or None,
        "side_b": row.get("actor2") or None,
        "event_type": row.get("event_type") or None,
        "low": fatalities,
        "best": fatalities,
        "high": fatalities,
        "data": row,
    }


READERS: dict[str, Callable[[dict[str, str]], dict[str, Any]]] = {"ucdp": ucdp_event, "acled": acled_event}


def read_reference(kind: str, path: str | Path) -> Iterator[dict[str, Any] | SourceError]:
    """Events of a UCDP GED or ACLED CSV in marsad's terms, or a SourceError (file and line) per bad row.

    Raises SourceError for a file that cannot be read at all or lacks a required column."""
    if kind not in KINDS:
        raise ValueError(f"unknown reference kind {kind!r}: expected one of {', '.join(KINDS)}")
    name = str(path)
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115  (closed below)
    except OSError as exc:
        raise SourceError(name, None, exc.strerror or str(exc)) from None
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED[kind] if c not in (reader.fieldnames or [])]
        if missing:
            raise SourceError(name, 1, f"not a {kind.upper()} file: no column {', '.join(missing)}")
        convert = READERS[kind]
        line = 1
        try:
            for row in reader:
                try:
                    yield convert(row)
                except (ValueError, KeyError) as exc:
                    yield SourceError(name, line + 1, str(exc))
                line = reader.line_num
        except (csv.Error, UnicodeDecodeError) as exc:
            yield SourceError(name, line + 1, f"invalid CSV: {exc}")


def import_reference(engine: Engine, kind: str, path: str | Path, name: str | None = None) -> ImportResult:
    """Read a reference file and store it under `name` (default: its kind), replacing an earlier import."""
    result = ImportResult(name or kind, kind)
    rows = []
    for item in read_reference(kind, path):
        if isinstance(item, SourceError):
            result.errors.append(item)
        else:
            rows.append(item)
    result.imported = replace_reference(engine, result.name, kind, str(path), rows)
    return result
