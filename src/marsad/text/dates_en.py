"""Date phrases in English text, resolved against the report's publication date.

"28 June 2024", "June 28, 2024", "July 2 2016", "on Tuesday", "yesterday", "last week", "in March",
"this month". Words are data (lang/en/dates.yaml); mentions are the Arabic module's DateMention.
A date with no year takes the publication's year, or the one before if it would lie in the future.
A weekday is the latest such day on or before publication.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from marsad.lang import load
from marsad.text.dates import DateMention

__all__ = ["DateMention", "find_dates_en"]


@dataclass(frozen=True)
class _Patterns:
    explicit: re.Pattern[str]
    month_year: re.Pattern[str]
    weekday: re.Pattern[str]
    relative: re.Pattern[str]
    month_num: dict[str, int]
    weekday_num: dict[str, int]
    relative_of: dict[str, tuple[str, int]]  # phrase -> (day|week|month, how many back)


def _key(phrase: str) -> str:
    return " ".join(phrase.lower().rstrip(".").split())


def _alt(forms) -> str:
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(set(forms), key=len, reverse=True))


@cache
def _patterns() -> _Patterns:
    data = load("en", "dates")
    month_num = {_key(f): int(k) for k, fs in data["months"].items() for f in fs}
    weekday_num = {_key(f): int(k) for k, fs in data["weekdays"].items() for f in fs}
    relative_of = {}
    for unit, table in (("day", "relative"), ("week", "relative_weeks"), ("month", "relative_months")):
        for k, fs in data[table].items():
            relative_of.update({_key(f): (unit, int(k)) for f in fs})
    month = rf"(?P<month>{_alt(f.rstrip('.') for fs in data['months'].values() for f in fs)})\.?"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
    return _Patterns(
        explicit=re.compile(
            rf"(?<![\w\d])(?:{day}\s+(?:of\s+)?{month}{year}|{month.replace('month>', 'month2>')}\s+"
            rf"{day.replace('day>', 'day2>')}{year.replace('year>', 'year2>')})(?![\w\d])"
        ),
        month_year=re.compile(rf"(?<!\w)(?:in\s+|since\s+|during\s+|early\s+|late\s+|mid-?)?{month}{year}(?![\w\d])"),
        weekday=re.compile(rf"(?<!\w)(?P<wd>{_alt(weekday_num)})(?:s)?(?!\w)", re.IGNORECASE),
        relative=re.compile(rf"(?<!\w)(?P<rel>{_alt(relative_of)})(?!\w)", re.IGNORECASE),
        month_num=month_num,
        weekday_num=weekday_num,
        relative_of=relative_of,
    )


def find_dates_en(text: str, published: date | None) -> list[DateMention]:
    """Date mentions in `text`, left to right; `value` is None where nothing resolves it."""
    pats = _patterns()
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], value: date | None, precision: str, year: int | None = None) -> None:
        if all(m.end() <= a or m.start() >= b for a, b in taken):
            taken.append((m.start(), m.end()))
            found.append(DateMention(m.start(), m.end(), value, precision, year))

    for m in pats.explicit.finditer(text):
        month = pats.month_num[_key(m.group("month") or m.group("month2"))]
        day, year = int(m.group("day") or m.group("day2")), m.group("year") or m.group("year2")
        add(m, _dated(day, month, int(year) if year else None, published), "day", int(year) if year else None)
    for m in pats.month_year.finditer(text):
        month, year = pats.month_num[_key(m.group("month"))], m.group("year")
        if year or m.group(0)[0].islower():  # "May" alone is too often the verb; "in May" is a month
            add(m, _dated(1, month, int(year) if year else None, published), "month", int(year) if year else None)
    for m in pats.relative.finditer(text):
        unit, back = pats.relative_of[_key(m.group("rel"))]
        add(m, _relative(unit, back, published), unit)
    for m in pats.weekday.finditer(text):
        if published is not None:
            back = (published.weekday() - pats.weekday_num[_key(m.group("wd"))]) % 7
            add(m, published - timedelta(days=back), "day")
        else:
            add(m, None, "day")
    return sorted(found, key=lambda d: d.start)


def _dated(day: int, month: int, year: int | None, published: date | None) -> date | None:
    try:
        if year is not None:
            return date(year, month, day)
        if published is None:
            return None
        value = date(published.year, month, day)
        return value if value <= published else date(published.year - 1, month, day)
    except ValueError:
        return None  # "31 June": no such day


def _relative(unit: str, back: int, published: date | None) -> date | None:
    if published is None:
        return None
    if unit == "day":
        return published - timedelta(days=back)
    if unit == "week":
        return published - timedelta(days=7 * back + published.weekday())  # the week's Monday
    month, year = published.month - back, published.year
    while month < 1:
        month, year = month + 12, year - 1
    return date(year, month, 1)
