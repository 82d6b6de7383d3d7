"""A report's layout for extraction: folded text, sentences, and clauses inside sentences."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache

from marsad.lang import load
from marsad.model import Document
from marsad.text.dates import find_dates
from marsad.text.normalize import Folded, fold, fold_plain
from marsad.text.sentences import split


@dataclass
class Clause:
    index: int
    start: int  # folded offsets into Layout.text
    end: int
    sentence: int
    title: bool


@dataclass
class Layout:
    doc: Document
    folded: Folded
    clauses: list[Clause]
    title_end: int  # folded offset where the body starts
    # Per-report memo (actors named, country, place mentions per clause), filled lazily.
    memo: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.folded.text

    def clause_at(self, pos: int) -> Clause:
        starts = self.memo.get("starts")
        if starts is None:
            starts = self.memo["starts"] = [c.start for c in self.clauses]
        return self.clauses[max(0, bisect.bisect_right(starts, pos) - 1)]

    def sentence_clauses(self, sentence: int) -> list[Clause]:
        """The clauses of a sentence (a shared list: do not change it)."""
        by_sentence = self.memo.get("sentences")
        if by_sentence is None:
            by_sentence = self.memo["sentences"] = {}
            for c in self.clauses:
                by_sentence.setdefault(c.sentence, []).append(c)
        return by_sentence.get(sentence, [])

    def original(self, start: int, end: int) -> tuple[int, int, str]:
        s, e = self.folded.span(start, end)
        return s, e, self.doc.text[s:e]


@cache
def _clause_split() -> re.Pattern[str]:
    markers = load("ar", "casualty_cues")["clause_markers"]
    alts = "|".join(re.escape(fold_plain(m)).replace(r"\ ", r"\s+") for m in sorted(markers, key=len, reverse=True))
    return re.compile(r"[،,:]\s*(?=(?:و)?(?:" + alts + r")(?!\w))")


def layout(doc: Document) -> Layout:
    folded = fold(doc.text)
    text = folded.text
    title_end = _title_end(doc, folded)
    clauses: list[Clause] = []
    spans = split(text)
    # The headline is one unit even when it has ".." or ":" inside it.
    if title_end:
        spans = [(s, e) for s, e in spans if s >= title_end]
        head = text[:title_end].strip()
        if head:
            clauses.append(Clause(0, 0, len(text[:title_end].rstrip()), 0, True))
    sent = len(clauses)  # the headline, if any, is sentence 0
    for s, e in spans:
        prev = s
        for m in _clause_split().finditer(text, s, e):
            clauses.append(Clause(len(clauses), prev, m.start(), sent, False))
            prev = m.end()
        clauses.append(Clause(len(clauses), prev, e, sent, False))
        sent += 1
    return Layout(doc, folded, clauses, title_end)


def _title_end(doc: Document, folded: Folded) -> int:
    start = doc.body_start
    if not start:
        return 0
    if folded.offsets is None:
        return start
    return bisect.bisect_left(folded.offsets, start)


def clause_dates(lay: Layout, clause: Clause) -> list:
    """Date mentions of a clause, offsets relative to the clause start (memoised per report)."""
    return dates_in(lay, clause.start, clause.end)


def dates_in(lay: Layout, start: int, end: int) -> list:
    """Date mentions of folded [start, end), offsets relative to `start` (memoised per report: a clause,
    a sentence or the words after "منذ" are read by several steps; a shared list, do not change it)."""
    memo = lay.memo.setdefault("dates", {})
    if (start, end) not in memo:
        memo[start, end] = find_dates(lay.text[start:end], lay.doc.published)
    return memo[start, end]
