"""Pages that cost the same at any depth, and counts that stop early.

A keyset page (`after=` a cursor) starts where the last one ended by seeking the listing's index: an
OFFSET walks every skipped row. A cursor is "<date>|<id>" of the last item (date empty when none);
undated rows sort first on SQLite and last on PostgreSQL, as each orders NULLs, and the cursor follows.

Exact totals of a filtered million-record listing read every matching row: listings count up to
`COUNT_CAP` and say whether the total is exact.
"""

from __future__ import annotations

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
