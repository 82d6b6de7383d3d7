"""Background history is not news: figures of events dated well before the report are flagged.

A figure is background when its sentence dates something more than BACKGROUND_DAYS before the
report ("عام 1988", "في 16 آذار/مارس 1988") other than the start of a period ("منذ 2011" makes a
tally, not history). The same figure repeated elsewhere in the report without a date is the same
old event and is flagged too.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from marsad.extract.assemble import central, total
from marsad.extract.candidates import Mention
from marsad.extract.cues import Lexicons
from marsad.extract.layout import Layout, dates_in
from marsad.extract.tokens import strip_clitics
from marsad.text.dates import find_dates, month_pattern

# SCHEMA.md: news is roughly the last 30 days; 35 leaves slack for "a month ago". On the development
# gold 30 and 35 score alike and 45 lower on data/gold/ar_extra.jsonl (grammar alone).
BACKGROUND_DAYS = 35


def flag_background(lay: Layout, mentions: list[Mention], lex: Lexicons) -> None:
    """Flag (`background`) the figures of old events and their repetitions; the model decides."""
    published = lay.doc.published
    if published is None:
        return
    old_sentences: dict[int, bool] = {}
    old_values: set[int] = set()
    for m in mentions:
        sent = m.clause.sentence
        if sent not in old_sentences:
            old_sentences[sent] = (
                _dates_old(lay, sent, lex, published)
                or (_refers_back(lay, sent, lex) and _dates_old(lay, sent - 1, lex, published))
                or _old_entry(lay, sent, published)
            )
        if old_sentences[sent]:
            m.flags.add("background")
            value = central(total(m))
            if value is not None:
                old_values.add(value)
    for m in mentions:
        if central(total(m)) in old_values:
            m.flags.add("background")


def _refers_back(lay: Layout, sentence: int, lex: Lexicons) -> bool:
    """ "وقتل 42 جنديا في هذا القصف": an undated sentence naming the attack of the one before."""
    clauses = lay.sentence_clauses(sentence)
    if not clauses or clauses[0].title or sentence == 0:
        return False
    start, end = clauses[0].start, clauses[-1].end
    if dates_in(lay, start, end):
        return False
    for cue in lex.events.finditer(lay.text, start, end):
        words = lay.text[max(start, cue.start - 12) : cue.start].split()
        if words and strip_clitics(words[-1]) in lex.back_reference:
            return True
    return False


def _old_entry(lay: Layout, sentence: int, published) -> bool:
    """A line of a chronology ("أبرز الغارات الإسرائيلية على سوريا خلال عقد": "30 يناير 2013: …", then
    "3 و5 مايو: … . وقتل 42 جنديا") opens with a day and month and a colon; an entry that gives no year
    is of the last year written before it, and old when that year ended well before the report."""
    clauses = lay.sentence_clauses(sentence)
    if not clauses or clauses[0].title:
        return False
    text = lay.text
    line = text.rfind("\n", 0, clauses[0].start) + 1
    head = _entry_head().match(text, line)
    if head is None:
        return False
    years = _YEARS.findall(text, lay.title_end, head.end())
    if not years:
        return False
    year = int(years[-1])
    return (published - date(year, 12, 31)).days > BACKGROUND_DAYS


_YEARS = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


@cache
def _entry_head() -> re.Pattern[str]:
    """ "3 و5 أيار/مايو:", "- 8 سبتمبر:" at the start of a line (a year in it is read as a date already)."""
    month = month_pattern()
    return re.compile(
        r"[ \t]*[-–•]?[ \t]*[0-3]?\d(?:\s*(?:و|-|–)\s*[0-3]?\d)?\s+(?:من\s+)?"
        + month
        + r"(?:\s*/\s*"
        + month
        + r")?\s*:"
    )


def _dates_old(lay: Layout, sentence: int, lex: Lexicons, published) -> bool:
    """The sentence dates only old things (a recent date in it keeps it news)."""
    clauses = lay.sentence_clauses(sentence)
    start, end = clauses[0].start, clauses[-1].end
    text = lay.text[start:end]
    limit = published - timedelta(days=BACKGROUND_DAYS)
    old = recent = False
    for d in dates_in(lay, start, end):
        if d.value is None:
            continue
        # "منذ 2011", "منذ منتصف آذار/مارس 2011", "منذ اندلاع الحرب في عام 2011": a period's start.
        since = any(True for _ in lex.since.finditer(text, max(0, d.start - 30), d.end)) or _opened_since(
            text, d.start, lex, published
        )
        # A month alone stands for its middle, the expected day ("نهاية نيسان" is not 1 April).
        latest = d.value.replace(day=15) if d.precision == "month" else d.value
        if latest < limit and not since and (d.precision != "year" or d.value.year < published.year):
            old = True
        elif latest >= limit:
            recent = True
    return old and not recent


# How far the date may stand after "منذ بدأت …" that it closes ("منذ بدأت موسكو دعمها … للحكومة السورية
# برئاسة بشار الأسد عام 2015").
_START_PHRASE = 100


def _opened_since(text: str, pos: int, lex: Lexicons, published: date) -> bool:
    """ "منذ بدء قوات النظام تصعيدها على الغوطة الشرقية في 18 فبراير": `منذ` and a start word open a
    phrase that the date at `pos`, the first after them, ends: the period's start, not an old event.
    Not after a comparison ("الأكثر دموية منذ الهجوم … الذي أوقع 31 قتيلا في 16 يناير": that attack is old)."""
    for m in lex.since.finditer(text, max(0, pos - _START_PHRASE), pos):
        if (
            lex.since_objects.match_at(text, m.end) is not None
            and not any(True for _ in lex.superlative.finditer(text, max(0, m.start - 30), m.start))
            and not find_dates(text[m.end : pos], published)
        ):
            return True
    return False
