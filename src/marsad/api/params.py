"""Query parameters every listing shares: the filters of `marsad incidents`/`tally`, and pagination.

Vocabularies are enums in the OpenAPI schema, so a misspelt actor is a 422 naming the allowed values
rather than an empty result; free strings are length-bounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Annotated

from fastapi import HTTPException, Query, Request
from sqlalchemy import Engine

from marsad.model import ACTORS, EVENT_TYPES, RECORD_KINDS
from marsad.store import Filters

Actor = Enum("Actor", {name: name for name in ACTORS}, type=str)
EventType = Enum("EventType", {name: name for name in EVENT_TYPES}, type=str)
Kind = Enum("Kind", {name: name for name in RECORD_KINDS}, type=str)

MAX_LIMIT = 500
TEXT_HELP = (
    "Words the report contains, at least 3 characters (matched on the folded text: any alef form, "
    "no diacritics or tatweel)."
)
# Far above any real store; the bound keeps SQLite's 64-bit OFFSET from overflowing.
MAX_OFFSET = 10_000_000
# Dates outside this window are not news; the bound also keeps date arithmetic in range.
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def _day(value: date | None, name: str) -> date | None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise HTTPException(422, f"{name} must be between {EARLIEST} and {LATEST}")
    return value


def _value(item: Enum | None) -> str | None:
    return item.value if item is not None else None


def filters(
    since: Annotated[date | None, Query(description="Earliest event date (YYYY-MM-DD).")] = None,
    until: Annotated[date | None, Query(description="Latest event date (YYYY-MM-DD).")] = None,
    perpetrator: Annotated[Actor | None, Query(description="Perpetrator actor id.")] = None,
    victim: Annotated[Actor | None, Query(description="Victim group id (main group or any victims[] group).")] = None,
    admin1: Annotated[str | None, Query(max_length=100, description="Governorate, e.g. Idleb.")] = None,
    admin2: Annotated[str | None, Query(max_length=100, description="District.")] = None,
    country: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2.")] = None,
    kind: Annotated[Kind | None, Query(description="incident or tally.")] = None,
    event_type: Annotated[EventType | None, Query(description="ACLED event type.")] = None,
    text: Annotated[str | None, Query(min_length=3, max_length=200, description=TEXT_HELP)] = None,
    doc_id: Annotated[str | None, Query(max_length=300, description="Records of one document.")] = None,
) -> Filters:
    since, until = _day(since, "since"), _day(until, "until")
    if since and until and since > until:
        raise HTTPException(422, "since must not be after until")
    return Filters(
        since=since,
        until=until,
        perpetrator=_value(perpetrator),
        victim=_value(victim),
        admin1=admin1 or None,
        admin2=admin2 or None,
        country=country.upper() if country else None,
        kind=_value(kind),
        event_type=_value(event_type),
        text=text.strip() or None if text else None,
        doc_id=doc_id or None,
    )


@dataclass
class Page:
    limit: int
    offset: int


def page(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")] = 0,
) -> Page:
    return Page(limit, offset)
