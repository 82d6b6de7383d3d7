"""From casualty figures to statements, and statements that tell the same event merged into drafts.

A statement is one sentence's killed figure with the wounded figure that follows it ("killing 5 and
wounding 12"), or a wounded figure alone. A figure in a denied or hypothetical clause, an accident,
or a clause about the war as a whole ("since the conflict began") is no incident: the last becomes
a tally. The headline and the lead repeat one event; "the death toll rose to 40" updates it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from marsad.extract.en.lexicon import Lexicon
from marsad.extract.en.mentions import Mention, sentence_mentions
from marsad.lang import load
from marsad.model import Count, Document
from marsad.text.sentences import split

# How far back from a figure a negation or a tally cue still governs it (characters, same sentence).
_SCOPE = 80
# How many sentences into the report the lead may restate the headline's event with a finer figure.
HEADLINE_REACH = 5
_ALSO = re.compile(r"(?<!\w)(?:also|too|as well|more|others|other)(?!\w)", re.I)
_UPDATE = re.compile(r"rose|risen|rises|climbed|reached|increased|jumped|mounted", re.I)


@dataclass
class Statement:
    sentence: tuple[int, int]
    index: int  # sentence number (0 = headline when the report has one)
    killed: Mention | None = None
    wounded: Mention | None = None
    tally: bool = False
    headline: bool = False
    also: bool = False  # "dozens were also wounded": more of an event already told
    flags: frozenset[str] = frozenset()  # why the grammar doubts it: accident, negated, no_fatalities

    @property
    def mentions(self) -> list[Mention]:
        return [m for m in (self.killed, self.wounded) if m is not None]

    @property
    def update(self) -> bool:
        return self.killed is not None and bool(_UPDATE.search(self.killed.cue))


@dataclass
class Draft:
    statements: list[Statement] = field(default_factory=list)
    notes: set[str] = field(default_factory=set)  # doubts found while building its record (background)

    @property
    def first(self) -> Statement:
        return self.statements[0]

    @property
    def flags(self) -> set[str]:
        return self.notes.union(*(st.flags for st in self.statements))

    @property
    def kind(self) -> str:
        return "tally" if self.first.tally else "incident"

    def killed(self) -> Count | None:
        """The figure of the latest update, else the first exact figure of the body (a headline rounds:
        "Dozens killed", "More than 50 killed"), else the first figure stated."""
        stated = [s for s in self.statements if s.killed is not None]
        if not stated:
            return None
        updates = [s for s in stated if s.update and not s.headline]
        if updates:
            chosen = updates[-1].killed.count
        else:
            chosen = min(stated, key=lambda s: (s.killed.num.vague, s.headline)).killed.count
        return Count(chosen.low, chosen.best, chosen.high)

    def wounded(self) -> Count | None:
        figures = [s.wounded.count for s in self.statements if s.wounded is not None]
        return figures[0] if figures else None


def sentences(doc: Document) -> list[tuple[int, int]]:
    """Sentence spans of the cleaned text; the headline (up to the blank line) is always its own."""
    body = doc.body_start
    head = _join_abbreviations(doc.text, split(doc.text[:body])) if body else []
    return head + _join_abbreviations(doc.text, [(s + body, e + body) for s, e in split(doc.text[body:])])


@cache
def _abbreviations() -> re.Pattern[str]:
    forms = sorted(load("en", "sentences")["abbreviations"], key=len, reverse=True)
    # Also a single capital letter with a stop: an initial ("George W. Bush").
    return re.compile(r"(?:(?<![\w.])(?:" + "|".join(map(re.escape, forms)) + r")|(?<![\w.])[A-Z]\.)$")


def _join_abbreviations(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Undo the splits after "U.S." or "Lt.": the sentence goes on."""
    out: list[tuple[int, int]] = []
    pattern = _abbreviations()
    for s, e in spans:
        if out and text[out[-1][1] - 1] == "." and pattern.search(text, out[-1][0], out[-1][1]):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def find_statements(doc: Document, lex: Lexicon) -> list[Statement]:
    """Every casualty statement of the report. A figure the grammar doubts (an accident's, a denied one, a death
    the sentence says did not happen) is a statement of its own carrying its flags: the grammar drops it, a model
    may not."""
    text = doc.text
    out: list[Statement] = []
    for index, (s, e) in enumerate(sentences(doc)):
        accident = lex.accident.search(text, s, e) is not None
        # "killing no one", "2 were hurt; there were no fatalities": the note says no one died
        none_died = bool(lex.no_fatalities.search(text, s, e) or lex.unknown_casualties.search(text, s, e))
        sound, doubted = [], []
        for m in sentence_mentions(text, s, e, lex):
            flags = _doubts(text, s, m, lex, accident, none_died)
            (doubted if flags else sound).append((m, flags))
        tally = bool(sound or doubted) and lex.tally.search(text, s, e) is not None
        pairs = _pair([m for m, _ in sound], (s, e), index, tally)
        for m, flags in doubted:
            st = Statement((s, e), index, tally=tally, flags=flags)
            st.killed, st.wounded = (m, None) if m.kind == "killed" else (None, m)
            pairs.append(st)
        for st in pairs:
            st.headline = bool(doc.title) and s < doc.body_start
            st.also = any(_ALSO.search(text, m.start, m.end) for m in st.mentions)
        out.extend(pairs)
    return out


def _negated(text: str, s: int, m: Mention, lex: Lexicon) -> bool:
    return lex.negation.search(text, max(s, m.start - _SCOPE), m.start) is not None


def _doubts(text: str, s: int, m: Mention, lex: Lexicon, accident: bool, none_died: bool) -> frozenset[str]:
    flags = set()
    if accident:
        flags.add("accident")
    if _negated(text, s, m, lex):
        flags.add("negated")
    if none_died and m.kind == "killed":
        flags.add("no_fatalities")
    return frozenset(flags)


def _pair(found: list[Mention], sentence: tuple[int, int], index: int, tally: bool) -> list[Statement]:
    out: list[Statement] = []
    for m in found:
        if m.kind == "wounded" and out and out[-1].wounded is None and out[-1].killed is not None:
            out[-1].wounded = m
        elif m.kind == "wounded":
            out.append(Statement(sentence, index, wounded=m, tally=tally))
        else:
            out.append(Statement(sentence, index, killed=m, tally=tally))
    return out


def merge(statements: list[Statement]) -> list[Draft]:
    """Statements of one event in one draft: the same killed figure, a toll update of the main event,
    or wounded alone right after a killed figure."""
    drafts: list[Draft] = []
    for st in statements:
        target = _same_event(drafts, st)
        if target is None:
            drafts.append(Draft([st]))
        else:
            target.statements.append(st)
    return _settle_vague(drafts)


def _settle_vague(drafts: list[Draft]) -> list[Draft]:
    """A vague figure early in the report ("Hundreds dead", "dozens were killed") is the lead's rounding of the
    first exact figure within its range stated up to HEADLINE_REACH sentences later, even one told over a period
    ("at least 346 fighters were killed since Tuesday"): that statement joins the vague one's event."""
    for draft in drafts:
        k = draft.killed()
        if k is None or k.best is not None or k.low is None or draft.first.index > HEADLINE_REACH:
            continue
        reach = draft.first.index + HEADLINE_REACH
        later = [
            (other, st)
            for other in drafts
            if other is not draft
            for st in other.statements
            if st.killed is not None and draft.first.index < st.index <= reach and _within(k, st.killed.count)
        ]
        if later:
            other, st = min(later, key=lambda pair: pair[1].index)
            other.statements.remove(st)
            draft.statements.append(st)
    return [d for d in drafts if d.statements]


def _within(vague: Count, exact: Count) -> bool:
    return exact.best is not None and vague.low <= exact.best <= (vague.high or exact.best)  # type: ignore[operator]


def _same_event(drafts: list[Draft], st: Statement) -> Draft | None:
    kin = [d for d in drafts if d.first.tally == st.tally]
    if not kin:
        return None
    if st.killed is None:
        last = kin[-1]
        near = st.index - last.statements[-1].index <= 2 or st.also
        return last if near and last.wounded() is None else None
    central = _central(st.killed.count)
    headline = next((d for d in kin if d.first.headline), None)
    if headline is not None and st.index <= HEADLINE_REACH and _rounded(headline.killed(), st.killed.count):
        return headline
    for d in kin:
        k = d.killed()
        if k is not None and central is not None and central == _central(k):
            return d
        if k is not None and _overlaps(k, st.killed.count) and st.index - d.statements[-1].index <= 1:
            return d  # "dozens killed" then "at least 40 killed"
    if st.update and not st.tally:
        return kin[0]
    return None


def _rounded(headline: Count | None, body: Count) -> bool:
    """The headline's figure is the body's rounded: "Dozens killed" for 40, "More than 50" for 51."""
    b = _central(body)
    if headline is None or b is None:
        return False
    if _overlaps(headline, body):
        return True
    h = _central(headline)
    return h is not None and headline.low == h and h <= b <= h * 1.25


def _central(c: Count) -> int | None:
    return c.best if c.best is not None else c.low


def _overlaps(a: Count, b: Count) -> bool:
    """One figure is a vague range the other lies in."""
    for rng, other in ((a, b), (b, a)):
        v = _central(other)
        vague = rng.best is None and rng.low is not None and rng.high is not None
        if vague and v is not None and rng.low <= v <= rng.high:
            return True
    return False
