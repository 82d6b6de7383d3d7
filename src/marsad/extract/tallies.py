"""Tallies: a casualty figure over a period ("منذ 24 مارس 2019 … 1362 قتيلا", "خلال عامين")."""

from __future__ import annotations

import re
from itertools import islice

from marsad.extract.cues import Lexicons
from marsad.extract.layout import Clause, Layout, clause_dates, dates_in
from marsad.text.numbers import TOKEN, find_numbers


def is_tally(lay: Layout, clause: Clause, lex: Lexicons, start: int, end: int, value: int | None) -> bool:
    """Whether the figure at folded [start, end) counts a period, not one event (the grammar's call;
    the decision model weighs the same signals, `tally_signals`)."""
    sig = tally_signals(lay, clause, lex, start, end, value)
    if sig & {"tally_word", "since", "large"}:
        return True
    return "day_dated" not in sig and bool(sig & {"framed", "during", "span"})


def tally_signals(lay: Layout, clause: Clause, lex: Lexicons, start: int, end: int, value: int | None) -> set[str]:
    """The period cues near the figure at folded [start, end) (memoised per report: the grammar's call
    and the decision model's features both read them; a shared set, do not change it).

    A cue must be near the figure (12 words, within its sentence): a tally word, `منذ` with a date or
    a start ("منذ بدء الهجوم"), a span ("خلال الثلاث سنوات الأخيرة", "أسابيع"), a sentence continuing
    one that opened a period; `day_dated` when the clause names the day of the event; `large` for a
    figure no single event reaches.
    """
    memo = lay.memo.setdefault("tally_signals", {})
    key = (clause.index, start, end, value)
    if key not in memo:
        memo[key] = _signals(lay, clause, lex, start, end, value)
    return memo[key]


def _signals(lay: Layout, clause: Clause, lex: Lexicons, start: int, end: int, value: int | None) -> set[str]:
    text = lay.text
    sentence = lay.sentence_clauses(clause.sentence)
    lo, hi = _near(text, sentence[0].start, sentence[-1].end, start, end)
    sig: set[str] = set()
    for m in lex.tally_words.finditer(text, lo, hi):
        if _compared(text, lo, m.start, lex):
            sig.add("superlative")
        else:
            sig.add("tally_word")
    for m in lex.since.finditer(text, lo, hi):
        if _compared(text, lo, m.start, lex):
            sig.add("superlative")
            continue
        window_end = min(hi, m.end + 40)
        if _day_since(lay, m.end, min(sentence[-1].end, m.end + 40), lex):
            continue
        if dates_in(lay, m.end, window_end) or any(True for _ in lex.since_objects.finditer(text, m.end, window_end)):
            sig.add("since")
            break
    if value is not None and value >= lex.min_incident_figure:
        sig.add("large")
    if _day_dated(lay, clause):
        sig.add("day_dated")
    if _framed(lay, clause.sentence, lex):
        sig.add("framed")
    for m in lex.during.finditer(text, lo, hi):
        if any(True for _ in lex.during_objects.finditer(text, m.end, min(hi, m.end + 40))):
            sig.add("during")
            break
    cs = sentence[0].start
    for m in lex.tally_spans.finditer(text, lo, hi):
        # "الهجوم الأعنف على البلدتين منذ نحو 3 سنوات": a span the superlative compares with.
        since = next(lex.since.finditer(text, max(cs, m.start - 16), m.start), None)
        if since is None or not _compared(text, cs, since.start, lex):
            sig.add("span")
            break
    return sig


def _compared(text: str, lo: int, pos: int, lex: Lexicons) -> bool:
    """ "اليوم الأكثر دموية منذ بدء الهجوم": a comparison with the period, not a count over it."""
    return any(True for _ in lex.superlative.finditer(text, max(lo, pos - 30), pos))


def _day_since(lay: Layout, pos: int, end: int, lex: Lexicons) -> bool:
    """ "منذ صباح الأحد" on Sunday, "منذ ليل الجمعة" on Saturday: `منذ` (ending at `pos`) starts a part of
    the report's day or of the night before, so the figure is that day's toll, not a period's."""
    published = lay.doc.published
    if published is None or lex.day_parts.match_at(lay.text, pos) is None:
        return False
    dates = dates_in(lay, pos, end)
    return bool(dates) and dates[0].value is not None and 0 <= (published - dates[0].value).days <= 1


def _opens_with_period(lay: Layout, sentence: int, lex: Lexicons) -> bool:
    """ "ومنذ بدء هجومها، …": the sentence opens with a period frame."""
    clauses = lay.sentence_clauses(sentence)
    if not clauses or clauses[0].title:
        return False
    s, end, text = clauses[0].start, clauses[0].end, lay.text
    m = next(lex.since.finditer(text, s, min(end, s + 8)), None)
    if m is None:
        return False
    window = min(end, m.end + 25)
    return bool(dates_in(lay, m.end, window)) or any(True for _ in lex.since_objects.finditer(text, m.end, window))


def _framed(lay: Layout, sentence: int, lex: Lexicons) -> bool:
    """`_framed_by_previous`, memoised per report: every figure of a sentence asks it."""
    memo = lay.memo.setdefault("framed", {})
    if sentence not in memo:
        memo[sentence] = _framed_by_previous(lay, sentence, lex)
    return memo[sentence]


def _framed_by_previous(lay: Layout, sentence: int, lex: Lexicons, depth: int = 2) -> bool:
    """A figure continuing the sentence before, which opened a period ("ومنذ بدء هجومها، تمكنت …
    وقتل 252 … كما قتل 149"): the same paragraph, "و"/"كما" first, no date of its own."""
    clauses = lay.sentence_clauses(sentence)
    prev = lay.sentence_clauses(sentence - 1)
    if not clauses or not prev or prev[0].title or depth == 0:
        return False
    text = lay.text
    # One report's paragraph may be cut into lines; a line without a full stop is a sub-heading.
    gap = text[prev[-1].end - 1 : clauses[0].start]
    if ("\n" in gap and not gap.startswith(".")) or not _CONTINUES.match(text, clauses[0].start):
        return False
    if any(clause_dates(lay, c) for c in clauses):
        return False  # "وقتل 26 … جراء ضربات استهدفت في نهاية نيسان": an event of its own
    if _opens_with_period(lay, sentence - 1, lex):
        return True
    # "أكثر من 1500 مقاتل كردي لقوا حتفهم منذ بدء الهجوم. ووثق المرصد في المقابل مقتل أكثر من 400":
    # a figure with no attack of its own, after a period total, adds to that total.
    if not any(True for c in clauses for _ in lex.events.finditer(text, c.start, c.end)) and _period_total(
        lay, prev, lex
    ):
        return True
    # Only through a sentence that is itself a continued figure ("وقتل 252 … . كما قتل 149").
    return _has_figure(lay, prev, lex) and _framed_by_previous(lay, sentence - 1, lex, depth - 1)


def _has_figure(lay: Layout, clauses: list[Clause], lex: Lexicons) -> bool:
    """A casualty word and a number that is not a year."""
    text, start, end = lay.text, clauses[0].start, clauses[-1].end
    if not lex.gate.search(text, start, end):
        return False
    return any(n.value and not 1900 <= n.value <= 2100 for n in find_numbers(text[start:end]))


def _period_total(lay: Layout, clauses: list[Clause], lex: Lexicons) -> bool:
    text, start, end = lay.text, clauses[0].start, clauses[-1].end
    if not _has_figure(lay, clauses, lex):
        return False
    for m in lex.since.finditer(text, start, end):
        if any(True for _ in lex.superlative.finditer(text, max(start, m.start - 30), m.start)):
            continue
        window = min(end, m.end + 25)
        if any(True for _ in lex.since_objects.finditer(text, m.end, window)):
            return True
    return False


_CONTINUES = re.compile(r"(?:و|كما\s)")


def _day_dated(lay: Layout, clause: Clause) -> bool:
    dates = clause_dates(lay, clause)
    return any(d.precision == "day" for d in dates)


def _near(text: str, cs: int, ce: int, start: int, end: int) -> tuple[int, int]:
    """From the 12th word before [start, end) to the 12th after, within [cs, ce).

    Only the words near the figure are scanned, not the whole sentence: in a sentence of n figures
    a full scan per figure is quadratic."""
    after = [m.end() for m in islice(TOKEN.finditer(text, end, ce), 12)]
    hi = after[11] if len(after) >= 12 else ce
    width = 256
    while True:
        lo = max(cs, start - width)
        before = [m.start() for m in TOKEN.finditer(text, lo, start)]
        # A window cut inside a word sees only its tail: a spare word makes the 12th start exact.
        if lo == cs or len(before) > 12:
            return (before[-12] if len(before) >= 12 else cs), hi
        width *= 4


def period_start(lay: Layout, clause: Clause, lex: Lexicons) -> tuple[str, int, int] | None:
    """The date after "منذ" in the clause (ISO, and its folded span), when the report gives one."""
    text = lay.text
    for m in lex.since.finditer(text, clause.start, clause.end):
        dates = dates_in(lay, m.end, min(clause.end, m.end + 50))
        if dates and dates[0].value is not None and dates[0].precision in ("day", "month"):
            return dates[0].value.isoformat(), m.start, m.end + dates[0].end
    return None
