"""Casualty mentions in one clause: a count, whether killed/wounded/both, and whose.

A figure is a casualty count when a casualty noun follows it ("24 قتيلا"), a casualty cue
precedes it ("مقتل 40 مدنيا", "حصيلة القتلى … 50"), or a casualty verb follows its noun
("127 مدنيا قد قتلوا"). Singular and dual victim nouns after a cue are counts too
("مقتل جندي" = 1, "طفلين" = 2). Figures right after "بينهم/منهم" are subsets of the figure
before them. Everything else (dates, ages, durations, sizes, money) is left alone.
"""

from __future__ import annotations

import bisect
import re
from functools import cache
from itertools import islice

from marsad.extract.cues import Lexicons
from marsad.extract.filters import accidental, conjoined, kin_part, negated, not_casualty, partitive
from marsad.extract.layout import Clause, Layout, clause_dates
from marsad.extract.mention import Mention, Sub
from marsad.extract.tokens import has_number, prev_token, strip_clitics, tokens_between
from marsad.extract.victims import (
    singular_dual,
    subset,
    subset_cue,
    unnumbered_subsets,
    victim_after,
    victim_before,
    victim_group,
)
from marsad.lang import load
from marsad.text.normalize import fold_plain
from marsad.text.numbers import Number, find_numbers

__all__ = ["Mention", "Sub", "accidental", "find_mentions", "negated"]

_MAX_GAP = 90  # characters searched around a figure for its cue


def find_mentions(lay: Layout, clause: Clause, lex: Lexicons) -> list[Mention]:
    text = lay.text
    cs, ce = clause.start, clause.end
    if not lex.gate.search(text, cs, ce):
        return []
    numbers = find_numbers(text[cs:ce])
    dates = clause_dates(lay, clause) if numbers else []
    mentions: list[Mention] = []
    unread: list[tuple[Number, str]] = []
    for raw in numbers:
        num = _shift(raw, cs)
        if any(d.start + cs <= num.num_start < d.end + cs for d in dates):
            continue
        if subset_cue(text, num, clause, lex):
            # A part of the figure before it: a victims entry, never a statement of its own.
            sub = subset(lay, num, clause, lex)
            if sub is not None and mentions:
                mentions[-1].subsets.append(sub)
            continue
        if _coordinated(text, num, mentions, lex):
            part = _part(lay, num, clause, lex, mentions[-1])
            if part is not None:
                mentions[-1].coordinated.append(part)
                continue
        if partitive(text, num, clause, lex) or kin_part(lay, num, clause, lex):
            unread.append((num, "part"))
            continue
        m = _classify(lay, num, clause, lex, mentions)
        if m is not None:
            m.subsets += unnumbered_subsets(lay, m, lex)
            m.superseded = _superseded(lay, m, lex)
            mentions.append(m)
        else:
            unread.append((num, "unread"))
    mentions += singular_dual(lay, clause, lex, mentions)
    mentions += [m for num, why in unread if (m := _in_window(lay, num, clause, lex, why)) is not None]
    mentions.sort(key=lambda m: m.start)
    return mentions


_WINDOW_WORDS = 6  # how far a killing word may stand from a figure the grammar did not read


def _in_window(lay: Layout, num: Number, clause: Clause, lex: Lexicons, why: str) -> Mention | None:
    """A figure no pattern read as a casualty count but with a killing word within a few words of it:
    proposed anyway (flag `window`), for the model to judge."""
    text = lay.text
    if not num.value or num.value > 10**6 or not_casualty(text, num, clause, lex):
        return None
    lo = max(clause.start, num.start - 80)
    hi = min(clause.end, num.end + 80)
    near = False
    for matcher in (lex.killed_before, lex.killed_nouns, lex.killed_after):
        for cue in matcher.finditer(text, lo, hi):
            gap = (
                tokens_between(text, cue.end, num.start)
                if cue.end <= num.start
                else tokens_between(text, num.end, cue.start)
            )
            if gap <= _WINDOW_WORDS:
                near = True
                break
        if near:
            break
    if not near:
        return None
    m = Mention("killed", num.count, num.start, num.end, clause, how="window")
    m.flags = {"window", f"window_{why}"}
    noun = victim_after(text, num.num_end, clause.end, lex)
    victim_group(lay, m, noun, num, lex, [])
    return m


def _superseded(lay: Layout, m: Mention, lex: Lexicons) -> bool:
    """ "… 16 وفق حصيلة سابقة", "وكانت حصيلة سابقة قد أفادت بمقتل 16": an outdated figure.

    The sentence's cues are found once (memoised per report) and looked up around each figure:
    scanning the sentence again for every figure is quadratic in its length."""
    text = lay.text
    starts, ends = _superseded_cues(lay, m.clause.sentence, lex)
    later = bisect.bisect_left(starts, m.start)
    if later < len(starts):
        return True
    # Earlier cues, nearest first: once more than 8 words lie between, every earlier one has more.
    for i in range(bisect.bisect_right(ends, m.start) - 1, -1, -1):
        if sum(1 for _ in islice(_WORD.finditer(text, ends[i], m.start), 9)) > 8:
            return False
        if not find_numbers(text[ends[i] : m.start]):
            return True
    return False


_WORD = re.compile(r"\S+")


def _superseded_cues(lay: Layout, sentence: int, lex: Lexicons) -> tuple[list[int], list[int]]:
    """Starts and ends of the superseded-figure cues of a sentence, in order."""
    memo = lay.memo.setdefault("superseded", {})
    if sentence not in memo:
        clauses = lay.sentence_clauses(sentence)
        cues = list(lex.superseded.finditer(lay.text, clauses[0].start, clauses[-1].end))
        memo[sentence] = ([c.start for c in cues], [c.end for c in cues])
    return memo[sentence]


def _shift(n: Number, offset: int) -> Number:
    return Number(
        n.start + offset,
        n.end + offset,
        n.num_start + offset,
        n.num_end + offset,
        n.value,
        n.count,
        n.qualifier,
        n.vague,
    )


@cache
def _one_adjective() -> frozenset[str]:
    return frozenset(fold_plain(w) for w in load("ar", "numbers")["one_adjective"])


def _classify(lay: Layout, num: Number, clause: Clause, lex: Lexicons, prior: list[Mention]) -> Mention | None:
    text = lay.text
    cs, ce = clause.start, clause.end
    noun = victim_after(text, num.num_end, ce, lex) or victim_before(text, num, cs, lex)
    if noun is None and text[num.num_start : num.num_end] in _one_adjective():
        return None  # "عائلة واحدة": "one" as an adjective of something else
    # "رجلا واحدا على الأقل قتل": a noun before the figure ends where the figure does.
    noun_end = max(noun.end, num.end) if noun else num.num_end
    kind, start, end = None, num.start, max(num.end, noun_end)
    for pos in (num.num_end, noun_end):
        if conjoined(text, pos):
            break  # "194 والجرحى": the next noun starts a new item
        if lex.combined_nouns.match_at(text, pos):
            kind, end = "combined", lex.combined_nouns.match_at(text, pos).end  # type: ignore[union-attr]
            break
        k = lex.killed_nouns.match_at(text, pos)
        w = lex.wounded_nouns.match_at(text, pos)
        if k or w:
            kind, end = ("killed", k.end) if k else ("wounded", w.end)  # type: ignore[union-attr]
            if noun is None:
                # "80 قتيلا مدنيا": a victim noun right after the casualty noun says who they were.
                adj = lex.victims.match_at(text, end)
                if adj is not None and adj.end <= ce and adj.value.group != "inherit":
                    noun, end = adj, adj.end
            break
    how = "noun"
    if kind is None and not_casualty(text, num, clause, lex):
        return None
    if kind is None:
        cue = _cue_before(text, num, cs, lex)
        if cue:
            (kind, start), how = cue, "cue_before"
    if kind is None:
        verb = _verb_after(text, noun_end, ce, lex)
        if verb:
            (kind, end), how = verb, "verb_after"
    if kind is None and noun is not None and _fuzzy_killed(text, num, noun_end, clause, lex):
        kind, how = "killed", "fuzzy"
    if kind is None and noun is not None and _documented(lay, num, clause, lex):
        kind, how = "killed", "documented"
    toll = False
    if kind is None and _rising_toll(lay, num, clause, lex):
        kind, toll, how = "killed", True, "rising_toll"
    if kind is None and _counterpart(text, num, cs, prior):
        kind, how = "killed", "counterpart"
    if kind is None:
        return None
    toll = toll or any(True for _ in lex.rise.finditer(text, max(cs, num.start - 40), num.start))
    m = Mention(kind, num.count, start, end, clause, toll=toll, how=how)
    victim_group(lay, m, noun, num, lex, prior)
    return m


@cache
def _counterpart_words() -> frozenset[str]:
    return frozenset(fold_plain(w) for w in load("ar", "casualty_cues")["counterpart"])


def _counterpart(text: str, num: Number, cs: int, prior: list[Mention]) -> bool:
    """ "قتل 60 عنصرا من قوات النظام مقابل 34 مقاتلا من جيش الإسلام": the other side's dead, right
    after a death toll of the same clause."""
    return bool(prior) and prior[-1].kind == "killed" and prev_token(text, num.start, cs) in _counterpart_words()


def _cue_before(text: str, num: Number, cs: int, lex: Lexicons) -> tuple[str, int] | None:
    lo = max(cs, num.start - _MAX_GAP)
    best: tuple[int, str, int] | None = None
    for kind, matcher in (
        ("combined", lex.combined_before),
        ("killed", lex.killed_before),
        ("wounded", lex.wounded_before),
    ):
        for m in matcher.finditer(text, lo, num.start):
            gap = tokens_between(text, m.end, num.start)
            if gap > m.value or (gap and has_number(text, m.end, num.start)):
                continue  # too far, or the cue belongs to an earlier figure
            if kind == "combined" and _figure_before(text, m.start, cs):
                kind = "wounded"  # "رجلا واحدا قتل وأصيب 6 مدنيين": the killed verb is the earlier figure's
            # A later cue is nearer; on a tie the longer (combined) phrase already won.
            if best is None or m.end > best[0]:
                best = (m.end, kind, m.start)
    return (best[1], best[2]) if best else None


def _figure_before(text: str, pos: int, cs: int) -> bool:
    words = text[cs:pos].split()[-4:]
    return bool(words) and has_number(" ".join(words), 0, len(" ".join(words)))


def _verb_after(text: str, pos: int, ce: int, lex: Lexicons) -> tuple[str, int] | None:
    """ "127 مدنيا قد قتلوا"; the owner and a subset may sit between ("35 مقاتلا من قوات النظام
    بينهم تسعة روس لقوا حتفهم")."""
    hi = min(ce, pos + 120)
    subset = next(iter(lex.subset.finditer(text, pos, hi)), None)
    for kind, matcher in (("killed", lex.killed_after), ("wounded", lex.wounded_after)):
        for m in matcher.finditer(text, pos, hi):
            head_end = subset.start if subset is not None and subset.start < m.start else m.start
            tokens = tokens_between(text, pos, head_end)
            if (
                tokens <= 8
                and not any(ch.isdigit() for ch in text[pos:head_end])
                and not has_number(text, pos, head_end)
            ):
                # An owner phrase may be longer ("ستة أشخاص من حلفاء النظام غير السوريين قتلوا").
                limit = 6 if _OWNER_OPEN.match(text, pos) else 4
                if subset is None and tokens_between(text, pos, m.start) > limit:
                    break
                return kind, m.end
            break
    return None


def _documented(lay: Layout, num: Number, clause: Clause, lex: Lexicons) -> bool:
    """ "إذ وثق المرصد السوري 6 مقاتلين" in a sentence about losses: a death toll without a verb."""
    text = lay.text
    cue = None
    for m in lex.documented.finditer(text, max(clause.start, num.start - 40), num.start):
        cue = m
    if cue is None or tokens_between(text, cue.end, num.start) > 3 or has_number(text, cue.end, num.start):
        return False
    sentence = lay.sentence_clauses(clause.sentence)
    return any(True for _ in lex.documented_context.finditer(text, sentence[0].start, sentence[-1].end))


_OWNER_OPEN = re.compile(r"\s+من\s")


def _rising_toll(lay: Layout, num: Number, clause: Clause, lex: Lexicons) -> bool:
    """ "ارتفع إلى 15 … عدد العناصر الذين قتلتهم": a rising figure in a sentence about killing."""
    text = lay.text
    rise = None
    for m in lex.rise.finditer(text, max(clause.start, num.start - 40), num.start):
        rise = m
    if rise is None or tokens_between(text, rise.end, num.start) > 3:
        return False
    sentence = lay.sentence_clauses(clause.sentence)
    s, e = sentence[0].start, sentence[-1].end
    return (
        any(True for _ in lex.killed_after.finditer(text, s, e))
        or any(True for _ in lex.killed_nouns.finditer(text, s, e))
        or any(True for _ in lex.killed_before.finditer(text, s, e))
    )


def _fuzzy_killed(text: str, num: Number, noun_end: int, clause: Clause, lex: Lexicons) -> bool:
    """A word one letter off a killing verb right before a count of people, with wounded stated after."""
    word = strip_clitics(prev_token(text, num.start, clause.start))
    near = any(
        len(word) == len(verb) and sum(a != b for a, b in zip(word, verb, strict=True)) == 1
        for verb in lex.fuzzy_killed
    )
    if not near:
        return False
    return any(True for _ in lex.wounded_before.finditer(text, noun_end, clause.end)) or any(
        True for _ in lex.wounded_nouns.finditer(text, noun_end, clause.end)
    )


def _coordinated(text: str, num: Number, prior: list[Mention], lex: Lexicons) -> bool:
    """ "مقتل 6 جنود و4 مدنيين", "26 من قوات النظام إضافة إلى تسعة روس": one statement's parts."""
    if not prior or prior[-1].kind not in ("killed", "wounded"):
        return False
    last = prior[-1]
    end = max(last.end, last.owner_span[1] if last.owner_span else 0)
    if num.start < end:
        return False
    gap = " ".join(text[end : num.start].split())
    return gap in lex.coordination


def _part(lay: Layout, num: Number, clause: Clause, lex: Lexicons, parent: Mention) -> Mention | None:
    """A coordinated figure: same kind as its parent, its own victims."""
    text = lay.text
    noun = victim_after(text, num.num_end, clause.end, lex)
    # A bare figure is a part only when a casualty noun follows it ("و4 قتلى").
    casualty_noun = lex.killed_nouns.match_at(text, num.num_end) or lex.wounded_nouns.match_at(text, num.num_end)
    if noun is None and not casualty_noun:
        return None
    if not_casualty(text, num, clause, lex):
        return None
    m = Mention(parent.kind, num.count, num.start, noun.end if noun else num.end, clause)
    victim_group(lay, m, noun, num, lex, [parent])
    return m
