"""Tallies: a casualty figure over a period ("منذ 24 مارس 2019 … 1362 قتيلا", "خلال عامين")."""

from __future__ import annotations

from marsad.extract.cues import Lexicons
from marsad.extract.layout import Clause, Layout, clause_dates
from marsad.text.dates import find_dates
from marsad.text.numbers import TOKEN


def is_tally(lay: Layout, clause: Clause, lex: Lexicons, start: int, end: int, value: int | None) -> bool:
    """Whether the figure at folded [start, end) counts a period, not one event.

    The period cue must be near the figure (12 words, within its sentence). Spans ("خلال الثلاث
    سنوات الأخيرة", "أسابيع") do not count when the clause names the day of the event
    ("يوم الاثنين"). A very large figure is a tally whatever its date.
    """
    text = lay.text
    sentence = lay.sentence_clauses(clause.sentence)
    lo, hi = _near(text, sentence[0].start, sentence[-1].end, start, end)
    if any(True for _ in lex.tally_words.finditer(text, lo, hi)):
        return True
    for m in lex.since.finditer(text, lo, hi):
        window_end = min(hi, m.end + 40)
        if find_dates(text[m.end : window_end], lay.doc.published):
            return True
        if any(True for _ in lex.since_objects.finditer(text, m.end, window_end)):
            return True
    if value is not None and value >= lex.min_incident_figure:
        return True
    if _day_dated(lay, clause):
        return False
    for m in lex.during.finditer(text, lo, hi):
        if any(True for _ in lex.during_objects.finditer(text, m.end, min(hi, m.end + 40))):
            return True
    return any(True for _ in lex.tally_spans.finditer(text, lo, hi))


def _day_dated(lay: Layout, clause: Clause) -> bool:
    dates = clause_dates(lay, clause)
    return any(d.precision == "day" for d in dates)


def _near(text: str, cs: int, ce: int, start: int, end: int) -> tuple[int, int]:
    before = [m.start() for m in TOKEN.finditer(text, cs, start)]
    after = [m.end() for m in TOKEN.finditer(text, end, ce)]
    lo = before[-12] if len(before) >= 12 else cs
    hi = after[11] if len(after) >= 12 else ce
    return lo, hi


def period_start(lay: Layout, clause: Clause, lex: Lexicons) -> tuple[str, int, int] | None:
    """The date after "منذ" in the clause (ISO, and its folded span), when the report gives one."""
    text = lay.text
    for m in lex.since.finditer(text, clause.start, clause.end):
        dates = find_dates(text[m.end : min(clause.end, m.end + 50)], lay.doc.published)
        if dates and dates[0].value is not None and dates[0].precision in ("day", "month"):
            return dates[0].value.isoformat(), m.start, m.end + dates[0].end
    return None
