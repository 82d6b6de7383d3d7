"""Date phrases in folded Arabic text, resolved against the report's publication date.

Relative words (اليوم، أمس) and weekday names (الخميس، يوم السبت الماضي) are resolved here, fast.
Explicit dates ("24 مارس من العام 2019", "٢٤ آذار", "كانون الثاني 2018") are found by a pattern;
a day and month without a year is parsed by one reused dateparser DateDataParser (ar-SY reads
standard and Levantine months) relative to the publication date, one with a year is just that
calendar day. dateparser is never run on free text (it would read 1362 as a year).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache

from marsad.lang import load
from marsad.text import wordscan
from marsad.text.normalize import fold_plain
from marsad.text.trie import trie_regex


@dataclass
class DateMention:
    start: int
    end: int
    value: date | None
    precision: str  # day | month | year
    year: int | None = None


@dataclass(frozen=True)
class _Patterns:
    relative: re.Pattern[str]
    relative_days: dict[str, int]
    weeks: re.Pattern[str]
    relative_weeks: dict[str, int]
    weekday: re.Pattern[str]
    weekday_num: dict[str, int]
    explicit: re.Pattern[str]
    month_year: re.Pattern[str]
    year: re.Pattern[str]
    month_num: dict[str, int]
    ordinal: re.Pattern[str]
    ordinal_num: dict[str, int]
    ordinal_heads: frozenset[str]
    month_only: re.Pattern[str]
    # Words one of the patterns above needs: a text without them skips those patterns.
    any_month: re.Pattern[str]
    any_weekday: re.Pattern[str]
    any_relative: re.Pattern[str]
    any_weeks: re.Pattern[str]


_DIGIT = re.compile(r"\d")
# Letters (all of them \w, none a digit): a month or relative word never follows one. The prefilters
# open with "anything else", a character class, which re scans in C (a lookbehind it cannot).
_LETTERS = "A-Za-z_\u0621-\u063a\u0641-\u064a"
_YEAR = re.compile(r"(?:19|20)\d\d")


def _alt(forms: list[str]) -> str:
    folded = sorted({" ".join(fold_plain(f).split()) for f in forms}, key=len, reverse=True)
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in folded)


def _trie(forms: list[str]) -> str:
    """The words _alt matches, as a trie."""
    return trie_regex(sorted({" ".join(fold_plain(f).split()) for f in forms}))


@cache
def month_pattern() -> str:
    """Any month name of the lexicon (every calendar it lists), as a regex group of folded text."""
    return "(?:" + _alt([f for fs in load("ar", "dates")["months"].values() for f in fs]) + ")"


@cache
def _patterns() -> _Patterns:
    data = load("ar", "dates")
    rel_days = {" ".join(fold_plain(f).split()): int(k) for k, fs in data["relative"].items() for f in fs}
    rel_weeks = {" ".join(fold_plain(f).split()): int(k) for k, fs in data["relative_weeks"].items() for f in fs}
    wd_num = {fold_plain(f): int(k) for k, fs in data["weekdays"].items() for f in fs}
    month_num = {" ".join(fold_plain(f).split()): int(k) for k, fs in data["months"].items() for f in fs}
    ord_num = {" ".join(fold_plain(f).split()): int(k) for k, fs in data["ordinals"].items() for f in fs}
    month = month_pattern()
    months = rf"(?P<month>{month})(?:\s*[/(]\s*{month}\s*\)?)?"
    year = r"(?:\s*,?\s*(?:من\s+)?(?:العام|عام)?\s*(?P<year>(?:19|20)\d\d))?"
    return _Patterns(
        relative=re.compile(r"(?<!\w)(?:" + _alt(list(rel_days)) + r")(?!\w)"),
        relative_days=rel_days,
        weeks=re.compile(r"(?<!\w)(?:" + _alt(list(rel_weeks)) + r")(?!\w)"),
        relative_weeks=rel_weeks,
        weekday=re.compile(
            r"(?<!\w)(?:[وف]?(?:"
            + _alt(data["times_of_day"])
            + r")\s+)?(?:[وف](?=ال))?(?P<wd>"
            + _alt(list(wd_num))
            + r")(?P<past>\s+(?:"
            + _alt(data["past"])
            + r"))?(?!\w)"
        ),
        weekday_num=wd_num,
        explicit=re.compile(r"(?<![\w\d])(?P<day>[0-3]?\d)\s*(?:من\s+)?" + months + year + r"(?!\w)"),
        month_year=re.compile(
            r"(?<!\w)(?:شهر\s+)?" + months + r"\s*(?:من\s+)?(?:العام|عام)?\s*(?P<year>(?:19|20)\d\d)"
        ),
        year=re.compile(r"(?<!\w)(?:في|عام|العام|سنة|خلال|منذ|الفترة من)\s+(?:عام\s+)?(?P<year>(?:19|20)\d\d)(?!\d)"),
        month_num=month_num,
        ordinal=re.compile(
            r"(?<!\w)(?:[وف]?(?:في|يوم)\s+)?(?P<ord>"
            + _alt(list(ord_num))
            + r")\s+(?:من\s+)?(?:شهر\s+)?"
            + months
            + year
            + r"(?!\w)"
        ),
        ordinal_num=ord_num,
        ordinal_heads=frozenset(fold_plain(w) for w in data["ordinal_heads"]),
        month_only=re.compile(
            r"(?<!\w)(?:" + _alt(data["month_lead"]) + r")\s+(?:شهر\s+)?" + months + r"(?!\s*(?:/\s*)?\d)(?!\w)"
        ),
        # A month name follows a space, a digit or punctuation in every pattern ("اب" inside a word is none).
        # They are searched in " " + text, so a name at the very start has a space before it too.
        # Tries: only whether one matches counts, and re scans a trie faster than an alternation.
        any_month=re.compile("[^" + _LETTERS + "](?:" + _trie([f for fs in data["months"].values() for f in fs]) + ")"),
        any_weekday=re.compile(_trie(list(wd_num))),
        any_relative=re.compile("[^" + _LETTERS + "](?:" + _trie(list(rel_days)) + ")"),
        any_weeks=re.compile("[^" + _LETTERS + "](?:" + _trie(list(rel_weeks)) + ")"),
    )


@lru_cache(maxsize=1)
def _parser_for() -> object:
    from dateparser.date import DateDataParser

    # Only absolute dates reach it (relative words and weekdays are resolved above), so the
    # costly relative-time parser is switched off.
    return DateDataParser(locales=["ar-SY"], settings={"PREFER_DATES_FROM": "past", "PARSERS": ["absolute-time"]})


def warm_up() -> None:
    """Load dateparser now (its first parse builds its tables, about 0.2 s) rather than mid-run."""
    _parser_for().get_date_data("1 اذار")  # type: ignore[attr-defined]


@lru_cache(maxsize=4096)
def _dateparser(phrase: str, published: date | None) -> date | None:
    """Parse one explicit date phrase (never free text) relative to `published`."""
    parser = _parser_for()
    base = datetime(published.year, published.month, published.day) if published else datetime(2100, 1, 1)
    parser._settings.RELATIVE_BASE = base  # type: ignore[attr-defined]
    try:
        data = parser.get_date_data(phrase)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a phrase dateparser cannot read is just unparsed
        return None
    return data.date_obj.date() if data and data.date_obj else None


_AFTER: dict[str, re.Pattern[str]] = {}


def _scan(regex: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """regex.finditer(text), faster (see text.wordscan)."""
    after = _AFTER.get(regex.pattern)
    if after is None:
        after = _AFTER[regex.pattern] = wordscan.after_of(regex)
    return wordscan.finditer(regex, after, text)


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """Date mentions in folded `text`, left to right, resolved where possible."""
    pats = _patterns()
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    spaced = " " + text
    has_month = pats.any_month.search(spaced) is not None
    has_day = has_month and _DIGIT.search(text) is not None
    for m in _scan(pats.explicit, text) if has_day else ():
        value = _explicit(int(m.group("day")), m.group("month"), m.group("year"), published, pats)
        if value:
            found.append(DateMention(m.start(), m.end(), value, "day", value.year))
            taken.append((m.start(), m.end()))
    for m in _scan(pats.ordinal, text) if has_month else ():
        before = text[max(0, m.start() - 12) : m.start()].split()
        if before and before[-1] in pats.ordinal_heads:
            continue  # "الأسبوع الثاني من شهر شباط" is a week, not the 2nd
        if free(m.start(), m.end()):
            day = pats.ordinal_num[" ".join(m.group("ord").split())]
            value = _explicit(day, m.group("month"), m.group("year"), published, pats)
            if value:
                found.append(DateMention(m.start(), m.end(), value, "day", value.year))
                taken.append((m.start(), m.end()))
    for m in _scan(pats.month_year, text) if has_day else ():
        if free(m.start(), m.end()):
            month = pats.month_num.get(" ".join(m.group("month").split()))
            year = int(m.group("year"))
            if month:
                found.append(DateMention(m.start(), m.end(), date(year, month, 1), "month", year))
                taken.append((m.start(), m.end()))
    if published is not None and has_month:
        for m in _scan(pats.month_only, text):
            month = pats.month_num.get(" ".join(m.group("month").split()))
            if month and free(m.start(), m.end()):
                year = published.year if month <= published.month else published.year - 1
                found.append(DateMention(m.start(), m.end(), date(year, month, 1), "month", year))
                taken.append((m.start(), m.end()))
    for m in _scan(pats.year, text) if _YEAR.search(text) else ():
        if free(m.start(), m.end()):
            year = int(m.group("year"))
            found.append(DateMention(m.start(), m.end(), date(year, 1, 1), "year", year))
            taken.append((m.start(), m.end()))
    if published is not None:
        for m in _scan(pats.weeks, text) if pats.any_weeks.search(spaced) else ():
            if free(m.start(), m.end()):
                weeks = pats.relative_weeks[" ".join(m.group(0).split())]
                found.append(DateMention(m.start(), m.end(), published - timedelta(weeks=weeks), "week"))
                taken.append((m.start(), m.end()))
        for m in _scan(pats.relative, text) if pats.any_relative.search(spaced) else ():
            if free(m.start(), m.end()):
                days = pats.relative_days[" ".join(m.group(0).split())]
                found.append(DateMention(m.start(), m.end(), published - timedelta(days=days), "day"))
                taken.append((m.start(), m.end()))
        for m in _scan(pats.weekday, text) if pats.any_weekday.search(text) else ():
            if free(m.start(), m.end()):
                found.append(_weekday(m, published, pats))
    found.sort(key=lambda d: d.start)
    return found


def _weekday(m: re.Match[str], published: date, pats: _Patterns) -> DateMention:
    wd = pats.weekday_num[m.group("wd")]
    delta = (published.weekday() - wd) % 7
    if delta == 0 and m.group("past"):
        delta = 7
    return DateMention(m.start(), m.end(), published - timedelta(days=delta), "day")


def _explicit(day: int, month_word: str, year: str | None, published: date | None, pats: _Patterns) -> date | None:
    month = pats.month_num.get(" ".join(month_word.split()))
    if not month or not 1 <= day <= 31:
        return None
    if year:
        # With a year the calendar alone answers (dateparser returns the same for every month name and day).
        try:
            return date(int(year), month, day)
        except ValueError:
            return None
    if published is not None:
        latest = _latest(month, day, published)
        if latest is not None:
            return latest  # what dateparser answers (preferring the past), without its 1.5 ms a phrase
    parsed = _dateparser(f"{day} {month_word}", published)
    if parsed is not None and parsed.month == month and parsed.day == day:
        return parsed
    # dateparser may not read a folded spelling: build the date from the lexicon's month number.
    if published is None:
        return None
    try:
        value = date(published.year, month, day)
    except ValueError:
        return None
    if value > published:
        value = date(published.year - 1, month, day)
    return value


def _latest(month: int, day: int, published: date) -> date | None:
    """The last such day on or before `published`, if it falls in its year or the one before (29
    February may not: dateparser decides)."""
    try:
        value = date(published.year, month, day)
        return value if value <= published else date(published.year - 1, month, day)
    except ValueError:
        return None
