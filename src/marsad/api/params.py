"""Query parameters every listing shares: the filters of `marsad incidents`/`tally`, and pagination.

Vocabularies are enums in the OpenAPI schema, so a misspelt actor is a 422 naming the allowed values
rather than an empty result; free strings are length-bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Annotated

from fastapi import HTTPException, Query, Request
from sqlalchemy import Engine

from marsad.model import ACTORS, EVENT_TYPES, RECORD_KINDS
from marsad.store import Filters

Kind = Enum("Kind", {name: name for name in RECORD_KINDS}, type=str)

MAX_LIMIT = 500
# Alternatives one filter may list.
MAX_CHOICES = 50
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


def _many(name: str, values: list[str] | None, allowed: tuple[str, ...] | None = None, size: int = 100) -> str | None:
    """Alternatives as the CLI takes them: `a,b`, `a&a=b` and both mixed mean the same; none is dropped.

    Returns the comma-joined list the store's Filters take, or None; an unknown value is a 422 naming it."""
    found: list[str] = []
    for value in values or []:
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            if len(part) > size:
                raise HTTPException(422, f"{name}: {part[:20]!r}… is longer than {size} characters")
            if allowed is not None and part.lower() not in allowed:
                raise HTTPException(422, f"{name}: {part!r} is not one of {', '.join(allowed)}")
            if part not in found:
                found.append(part)
    if len(found) > MAX_CHOICES:
        raise HTTPException(422, f"{name}: at most {MAX_CHOICES} values")
    return ",".join(found) or None


ALT = " Several: comma-separated or the parameter repeated."


def filters(
    since: Annotated[date | None, Query(description="Earliest event date (YYYY-MM-DD).")] = None,
    until: Annotated[date | None, Query(description="Latest event date (YYYY-MM-DD).")] = None,
    perpetrator: Annotated[
        list[str] | None,
        Query(max_length=MAX_CHOICES, description="Perpetrator actor id(s): " + ", ".join(ACTORS) + "." + ALT),
    ] = None,
    victim: Annotated[
        list[str] | None,
        Query(max_length=MAX_CHOICES, description="Victim group id(s) (main group or any victims[] group)." + ALT),
    ] = None,
    admin1: Annotated[
        list[str] | None, Query(max_length=MAX_CHOICES, description="Governorate(s), e.g. Idleb." + ALT)
    ] = None,
    admin2: Annotated[list[str] | None, Query(max_length=MAX_CHOICES, description="District(s)." + ALT)] = None,
    country: Annotated[
        list[str] | None, Query(max_length=MAX_CHOICES, description="ISO 3166-1 alpha-2 code(s)." + ALT)
    ] = None,
    kind: Annotated[Kind | None, Query(description="incident or tally.")] = None,
    event_type: Annotated[
        list[str] | None,
        Query(max_length=MAX_CHOICES, description="ACLED event type(s): " + ", ".join(EVENT_TYPES) + "." + ALT),
    ] = None,
    text: Annotated[str | None, Query(min_length=3, max_length=200, description=TEXT_HELP)] = None,
    doc_id: Annotated[str | None, Query(max_length=300, description="Records of one document.")] = None,
) -> Filters:
    since, until = _day(since, "since"), _day(until, "until")
    if since and until and since > until:
        raise HTTPException(422, "since must not be after until")
    countries = _many("country", country, size=2)
    if countries and not all(re.fullmatch("[A-Za-z]{2}", c) for c in countries.split(",")):
        raise HTTPException(422, "country: ISO 3166-1 alpha-2 codes, e.g. SY,IQ")
    return Filters(
        since=since,
        until=until,
        perpetrator=_many("perpetrator", perpetrator, ACTORS),
        victim=_many("victim", victim, ACTORS),
        admin1=_many("admin1", admin1),
        admin2=_many("admin2", admin2),
        country=countries.upper() if countries else None,
        kind=_value(kind),
        event_type=_many("event_type", event_type, EVENT_TYPES),
        text=text.strip() or None if text else None,
        doc_id=doc_id or None,
    )


@dataclass
class Page:
    limit: int
    offset: int
    after: str | None = None


AFTER_HELP = (
    "Start after this cursor: the `next` of the previous page. It costs the same at any depth, where an "
    "offset reads every row it skips."
)


def page(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip (after the cursor, if any).")] = 0,
    after: Annotated[str | None, Query(max_length=400, description=AFTER_HELP)] = None,
) -> Page:
    return Page(limit, offset, after or None)
