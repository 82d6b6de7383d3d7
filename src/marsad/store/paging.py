"""Pages that cost the same at any depth, and counts that stop early.

A keyset page (`after=` a cursor) starts where the last one ended by seeking the listing's index: an
OFFSET walks every skipped row. A cursor is "<date>|<id>" of the last item (date empty when none);
undated rows sort first on SQLite and last on PostgreSQL, as each orders NULLs, and the cursor follows.

Exact totals of a filtered million-record listing read every matching row: listings count up to
`COUNT_CAP` and say whether the total is exact.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import Connection, Select, and_, func, literal, or_, select, tuple_

from marsad.errors import StoreError

COUNT_CAP = 10_000


def parse_cursor(cursor: str) -> tuple[date | None, str]:
    day, sep, key = cursor.partition("|")
    if not sep or not key:
        raise StoreError(f"not a page cursor: {cursor[:40]!r} (expected the `next` value of the previous page)")
    try:
        return (date.fromisoformat(day) if day else None), key
    except ValueError:
        raise StoreError(f"not a page cursor: {cursor[:40]!r} (bad date)") from None


def make_cursor(day: date | str | None, key: str) -> str:
    return f"{day.isoformat() if isinstance(day, date) else day or ''}|{key}"


def after(query: Select, date_column, key_column, cursor: str, nulls_first: bool) -> Select:
    """Rows after the cursor in (date, key) order."""
    day, key = parse_cursor(cursor)
    if day is None:
        same = and_(date_column.is_(None), key_column > key)
        return query.where(or_(date_column.is_not(None), same) if nulls_first else same)
    # A row-value comparison seeks the (date, id) index; the same condition spelt with OR walks it from the start.
    later = tuple_(date_column, key_column) > tuple_(literal(day, date_column.type), literal(key, key_column.type))
    return query.where(later if nulls_first else or_(later, date_column.is_(None)))


def nulls_first(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def page_total(counted: tuple[int, bool] | None, offset: int, shown: int, more: bool) -> tuple[int, bool]:
    """A listing's (total, exact); an uncounted one says at least what the pages so far hold."""
    return counted if counted is not None else (offset + shown + (1 if more else 0), False)


def capped_count(conn: Connection, ids: Select, cap: int | None = None) -> tuple[int, bool]:
    """(count, exact): the rows of `ids` counted up to `cap` (COUNT_CAP); past it, (cap, False)."""
    cap = COUNT_CAP if cap is None else cap
    found = conn.execute(select(func.count()).select_from(ids.limit(cap + 1).subquery())).scalar_one()
    return (found, True) if found <= cap else (cap, False)


# Candidates a common needle is checked on before the text index is asked instead (see `walked_page`).
WALK_BUDGET = 2000


def walked_page(
    conn: Connection, candidates: Select, holding: Callable[[list], set], limit: int, offset: int
) -> list | None:
    """A page of a common needle's listing, its candidates checked in listing order while they hold it often
    enough; None when they do not (the caller then asks the text index).

    `candidates`: (key, probe) rows of the other filters in listing order; `holding(probes)`: those whose
    report holds the needle. Checking each candidate's report beats gathering every report of the text index
    when the needle is in many candidates; when the other filters leave candidates that seldom hold it (a
    place's reports and a needle naming another place), the walk would check them all: the text index is then
    quicker. After WALK_BUDGET candidates the walk goes on only as far as the rate found so far says the page
    needs (at most 10 budgets). Exact either way: the first matches among the first candidates are the first."""
    wanted = offset + limit
    budget = max(WALK_BUDGET, 4 * wanted)
    result = conn.execute(candidates.limit(10 * budget))
    found: list = []
    seen, size, stop = 0, 2 * wanted, budget
    try:
        while len(found) < wanted:
            if seen >= stop:
                if not found or stop > budget:  # the needle is rare among these candidates
                    return None
                stop = min(int(1.5 * seen * wanted / len(found)) + 1, 10 * budget)
            wanted_now = min(size, stop - seen)
            batch = result.fetchmany(wanted_now)
            seen += len(batch)
            held = holding([probe for _, probe in batch]) if batch else set()
            found += [key for key, probe in batch if probe in held]
            if len(batch) < wanted_now:  # every candidate checked (stop is within the query's limit)
                break
            size *= 2
    finally:
        result.close()
    return found[offset:wanted]
