"""Casualty figures in one English sentence: a number becomes a figure only when a cue governs it.

"22 people were killed" (cue after, a few words of victims between), "killing at least 2" (cue
before), "the death toll rose to 40", "5 fatalities". A figure before a time, size or money noun is
left alone, and so is a year. Figures joined by "including" / "among" are sub-groups of the same dead
("Six civilians including a child were among at least 22 people killed": 22, of whom 6 civilians
and 1 child). "a child was killed" counts one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial

from marsad.extract.en.lexicon import Hit, Lexicon
from marsad.model import Count
from marsad.text.dates_en import find_dates_en
from marsad.text.numbers import fold_pairs
from marsad.text.numbers_en import Number, find_numbers_en

_WORD = re.compile(r"[\w'’.-]+")
# An active verb after a subject figure: "22 rebels killed 5 soldiers" names the attackers, not the dead.
_PASSIVE = re.compile(r"(?<!\w)(?:were|was|been|are|is|be|being|have|has|had|got)(?!\w)", re.I)
_OBJECT_AFTER = re.compile(
    r"\s+(?:\d+|(?:a|an|the|at\s+least|two|three|four|five|six|seven|eight|nine|ten|dozens|scores|tens|hundreds"
    r"|many|several|others|more)(?!\w))",
    re.I,
)
# After the "object" figure of "2 killed 8 injured": the rest of its word and its wounded cue.
_WOUNDED_LIST = re.compile(r"\s+(?:(?:others?|more|people|persons|civilians)\s+)?(?:injured|wounded)(?!\w)", re.I)
_RELATIVE = re.compile(r"(?<!\w)(?:who|whom)(?!\w)", re.I)
# The plural passive right before a far cue: "... were killed", "... have been killed".
_PLURAL_PASSIVE = re.compile(r"(?<!\w)(?:were|are|have\s+been|had\s+been)(?:\s+(?:also|all|reportedly))?\s+$", re.I)
_BETWEEN = re.compile(r"(?<!\w)between\s+$", re.I)
_AND_ONLY = re.compile(r"\s+(?:and|to)\s+", re.I)
_AND_END = re.compile(r"\s+(?:[\w'’.-]+\s+){0,2}and\s+(?:(?:his|her|their)\s+)?", re.I)
_AMONG_END = re.compile(r"(?<!\w)(?:among|of)\s*$", re.I)


@dataclass
class Mention:
    kind: str  # killed | wounded
    count: Count
    start: int  # the figure and its cue, offsets into the document text
    end: int
    num: Number
    victim: str | None = None  # the victim group the noun after the figure names
    victim_actor: Hit[str] | None = None  # "IS fighters": the actor the dead belonged to
    subgroups: list[Mention] = field(default_factory=list)
    parent: Mention | None = None
    cue: str = ""
    summed: bool = False  # the count is the sum of its sub-groups


def sentence_mentions(text: str, s: int, e: int, lex: Lexicon) -> list[Mention]:
    """The casualty figures of `text[s:e]`, top-level ones with their sub-groups attached."""
    nums = [n for n in _numbers(text, s, e, lex) if not _not_casualty(text, n, e, lex)]
    mentions: dict[int, Mention] = {}
    for i, num in enumerate(nums):
        if i in mentions:
            continue
        found = _cue_after(text, nums, i, e, lex, mentions)
        if found is None:
            found = _cue_before(text, num, s, e, lex)
            if found is not None:
                found = _with_joined(text, nums, i, e, lex, mentions, found)
        if found is not None:
            mentions[i] = found
    for m in mentions.values():
        m.victim, m.victim_actor = _victim(text, m, e, lex)
    return [m for _i, m in sorted(mentions.items()) if m.parent is None]


def _numbers(text: str, s: int, e: int, lex: Lexicon) -> list[Number]:
    dates = [(s + d.start, s + d.end) for d in find_dates_en(text[s:e], None)]
    found = [n for n in map(_shift, find_numbers_en(text[s:e]), [s] * len(text)) if not _inside(n, dates)]
    found = fold_pairs(found, partial(_range, text))
    taken = [(n.start, n.end) for n in found]
    # "a child", "an IS commander": a singular victim noun counts one.
    for m in lex.singular.finditer(text, s, e):
        start = m.start()
        # "her two children": the number counts, not the article.
        if any(a <= start < b or a == m.end() for a, b in taken):
            continue
        noun = _singular_noun(text, m.end(), e, lex)
        if noun is not None:
            found.append(Number(start, m.end() - 1, start, m.end() - 1, 1, Count.exact(1)))
    # "killing the driver", "killing him": one, where a killed cue governs it (else "the" is only an article).
    for m in lex.cue_singular.finditer(text, s, e):
        cue = lex.killed_before.ends_at(text, m.start())
        if cue is None or cue.start < s or any(a <= m.start() < b or a == m.end() for a, b in taken):
            continue
        if m.group("pronoun") or _singular_noun(text, m.end(), e, lex) is not None:
            end = m.end() if m.group("pronoun") else m.end() - 1
            found.append(Number(m.start(), end, m.start(), end, 1, Count.exact(1)))
    return sorted(found, key=lambda n: n.start)


def _range(text: str, prev: Number, n: Number) -> Number | None:
    """ "between 500 and 1300 people died": one figure from 500 to 1300, not two to add up."""
    if (
        prev.value is not None
        and n.value is not None
        and prev.value < n.value
        and _AND_ONLY.fullmatch(text, prev.end, n.start)
        and _BETWEEN.search(text, max(0, prev.start - 10), prev.start)
    ):
        return Number(prev.start, n.end, prev.num_start, n.num_end, None, Count(prev.value, None, n.value))
    return None


def _inside(n: Number, spans: list[tuple[int, int]]) -> bool:
    """The figure is the day or year of a date ("October 12 2016")."""
    return any(a <= n.num_start < b for a, b in spans)


def _shift(n: Number, by: int) -> Number:
    return Number(n.start + by, n.end + by, n.num_start + by, n.num_end + by, n.value, n.count, n.qualifier, n.vague)


def _singular_noun(text: str, pos: int, e: int, lex: Lexicon) -> Hit[str] | None:
    """A singular victim or fighter noun within three words of `pos` ("a child", "a Syrian soldier")."""
    words = list(_WORD.finditer(text, pos, e))[:3]
    for w in words:
        word = w.group(0).lower().rstrip(".")
        hit = lex.victims.search(text, w.start(), min(e, w.end() + 12))
        if hit is not None and hit.start == w.start() and not hit.text.lower().endswith("s"):
            return hit
        if word in lex.combatant_nouns and not word.endswith("s"):
            return Hit(w.start(), w.end(), w.group(0), "other")
    return None


def _not_casualty(text: str, n: Number, e: int, lex: Lexicon) -> bool:
    after = re.match(r"\s*(?:of\s+)?", text[n.end : e])
    pos = n.end + (after.end() if after else 0)
    hit = lex.non_casualty.search(text, pos, min(e, pos + 30))
    if hit is not None and hit.start == pos:
        return True
    if re.search(r"(?<!\w)no\s+$", text[max(0, n.num_start - 4) : n.num_start], re.I):
        return True  # "killing no one"
    if text[n.end : n.end + 1] in ("%", "/") or text[max(0, n.num_start - 1) : n.num_start] in ("$", "/", "#"):
        return True
    return n.value is not None and 1900 <= n.value <= 2100 and n.qualifier is None and n.num_end - n.num_start == 4


def _cue_after(text: str, nums: list[Number], i: int, e: int, lex: Lexicon, mentions: dict) -> Mention | None:
    """A cue a few words after figure `i`: "22 people were killed", "Six civilians … among 22 killed",
    "five women and a child were killed" (parts summed)."""
    num = nums[i]
    pos, words, subgroups, parts = num.end, 0, [], []
    j = i + 1
    limit = lex.long_gap_words if _long_subject(text, num.end, e, lex) else lex.max_gap_words
    while words <= limit:
        nxt = nums[j] if j < len(nums) else None
        stop = nxt.start if nxt is not None else e
        cue = _first_cue(text, pos, stop, lex, (lex.killed_after, lex.wounded_after))
        if cue is not None and cue.value == "wounded" and _RELATIVE.search(text, pos, cue.start):
            died = _died_later(text, cue, stop, words + _words(text, pos, cue.start), lex)
            if died is not None and lex.gap_stops.search(text, pos, died.start) is None:
                return _found(num, died, subgroups, parts, mentions)
        if cue is not None and _reaches(text, pos, cue, words, limit, lex):
            if _active(text, num.end, cue, e) or lex.gap_stops.search(text, pos, cue.start) is not None:
                return None
            return _found(num, cue, subgroups, parts, mentions)
        if nxt is None:
            return None
        words += _words(text, pos, nxt.start)
        between = text[num.end : nxt.start]
        if _AMONG_END.search(between):
            return _among(text, nums, i, j, e, lex, mentions)
        and_joined = _AND_END.fullmatch(text, pos, nxt.start) is not None
        if and_joined and subgroups:
            # "6 civilians including a woman and two children": "and" joins the sub-groups, not the dead.
            subgroups.append((j, Mention("killed", nxt.count, nxt.start, nxt.end, nxt)))
        elif and_joined and not nxt.vague and not num.vague:
            parts.append((j, Mention("killed", nxt.count, nxt.start, nxt.end, nxt)))
        else:
            link = lex.subgroup_links.search(text, pos, nxt.start)
            if link is None or words > limit:
                return None
            # "22 people including six children were killed": the inner figure is part of this one.
            subgroups.append((j, Mention("killed", nxt.count, nxt.start, nxt.end, nxt)))
        pos, j = nxt.end, j + 1
        if _long_subject(text, pos, e, lex):  # "twenty civilians and one SARC (…) staff member were killed"
            limit = lex.long_gap_words
    return None


def _died_later(text: str, wounded: Hit[str], stop: int, words: int, lex: Lexicon) -> Hit[str] | None:
    """ "a civilian who had been injured … succumbed to his wounds": the relative clause told how, the later
    killed cue what became of them."""
    cue = lex.killed_after.search(text, wounded.end, stop)
    if cue is None or words + _words(text, wounded.end, cue.start) > lex.long_gap_words:
        return None
    return cue


def _long_subject(text: str, pos: int, e: int, lex: Lexicon) -> bool:
    """The figure's noun takes a modifier within a few words ("members of", "mercenaries from", "people most of")."""
    words = list(_WORD.finditer(text, pos, e))[:4]
    end = words[-1].end() if words else pos
    return lex.long_subject.search(text, pos, min(e, end + 2)) is not None


def _reaches(text: str, pos: int, cue: Hit[str], words: int, limit: int, lex: Lexicon) -> bool:
    """The cue is near enough: a few words, or a long subject's plural passive ("... were killed")."""
    gap = words + _words(text, pos, cue.start)
    return gap <= lex.max_gap_words or (gap <= limit and _PLURAL_PASSIVE.search(text, pos, cue.start) is not None)


def _found(num: Number, cue: Hit[str], subgroups: list, parts: list, mentions: dict) -> Mention:
    count = num.count
    if parts:
        # "five women and a child": the dead are the sum, and each part a sub-group.
        summed = [(None, Mention(cue.value, num.count, num.start, num.end, num)), *parts]
        subgroups = summed + subgroups
        count = Count(sum(m.count.low or 0 for _k, m in summed), sum(m.count.best or 0 for _k, m in summed), None)
    mention = Mention(cue.value, count, num.start, cue.end, num, cue=cue.text, summed=bool(parts))
    for k, sub in subgroups:
        sub.parent, sub.kind = mention, mention.kind
        mention.subgroups.append(sub)
        if k is not None:
            mentions[k] = sub
    return mention


def _among(text: str, nums: list[Number], i: int, j: int, e: int, lex: Lexicon, mentions: dict) -> Mention | None:
    """Figure `i` is among figure `j` ("Six civilians were among 22 killed"): `j` takes `i` as a sub-group."""
    outer = mentions.get(j) or _cue_after(text, nums, j, e, lex, mentions)
    if outer is None:
        return None
    mentions[j] = outer
    part = Mention(outer.kind, nums[i].count, nums[i].start, nums[i].end, nums[i], parent=outer)
    outer.subgroups.insert(0, part)
    return part


def _first_cue(text: str, start: int, end: int, lex: Lexicon, tables) -> Hit[str] | None:
    hits = [h for table in tables if (h := table.search(text, start, end)) is not None]
    return min(hits, key=lambda h: h.start) if hits else None


def _words(text: str, start: int, end: int) -> int:
    return len(_WORD.findall(text, start, end)) if end > start else 0


_ACTIVE_VERBS = ("killed", "kill", "executed", "massacred", "murdered", "wounded", "injured", "reportedly killed")


def _active(text: str, gap_start: int, cue: Hit[str], e: int) -> bool:
    """ "22 rebels killed 5 soldiers": a transitive killed with an object after it and no auxiliary before."""
    if cue.text.lower() not in _ACTIVE_VERBS:
        return False
    obj = _OBJECT_AFTER.match(text, cue.end, e)
    if obj is None or _PASSIVE.search(text, gap_start, cue.start):
        return False
    # "2 killed 8 injured", "Seven killed 37 others injured": a list of tolls with its commas stripped, not an object.
    return _WOUNDED_LIST.match(text, obj.end(), e) is None


def _cue_before(text: str, num: Number, s: int, e: int, lex: Lexicon) -> Mention | None:
    """A cue just before the figure: "killing at least 2", "death toll rose to 40", "wounding five"."""
    # Where a cue may end: before the gap words ("killing at least 2"), or among them when the cue's own
    # last word is one ("claimed the lives of 129", "the deaths of 14"); farthest first.
    ends = [num.start]
    for w in reversed(list(_WORD.finditer(text, max(s, num.start - 40), num.start))):
        if text[w.end() : ends[-1]].strip() or w.group(0).lower() not in lex.before_gap:
            break
        ends.append(w.start())
    for pos in reversed(ends):
        found = _cue_ending_at(text, pos, num, s, e, lex)
        if found is not None:
            return found
    return None


def _cue_ending_at(text: str, pos: int, num: Number, s: int, e: int, lex: Lexicon) -> Mention | None:
    toll = re.search(r"(?<!\w)toll(?!\w)", text[s:pos], re.I) is not None
    tables = (lex.killed_before, lex.wounded_before, *((lex.toll_verbs,) if toll else ()))
    for kind_table in tables:
        hit = kind_table.ends_at(text, pos)
        if hit is not None and hit.start >= s:
            # "left 5 dead" / "left 12 wounded": "left" only counts with its own after-cue.
            if hit.text.lower() in ("left", "leaving") and not _trailing_cue(text, num.end, e, lex, hit.value):
                continue
            return Mention(hit.value, num.count, hit.start, num.end, num, cue=hit.text)
    return None


def _with_joined(text: str, nums: list[Number], i: int, e: int, lex: Lexicon, mentions: dict, m: Mention) -> Mention:
    """ "killing a woman and her child", "killing 3 soldiers and 2 civilians": the figures joined by "and"
    after a cue are one toll, the sum of its parts (unless a part has its own cue: "and 3 were wounded")."""
    parts, j, pos = [], i + 1, nums[i].end
    while j < len(nums) and _AND_END.fullmatch(text, pos, nums[j].start) and not nums[j].vague and not nums[i].vague:
        if _first_cue(text, nums[j].end, min(e, nums[j].end + 40), lex, (lex.wounded_after,)) is not None:
            break
        parts.append((j, Mention(m.kind, nums[j].count, nums[j].start, nums[j].end, nums[j])))
        pos, j = nums[j].end, j + 1
    while j < len(nums) and _words(text, pos, nums[j].start) <= 3:
        link = lex.subgroup_links.search(text, pos, nums[j].start)
        if link is None:
            break
        # "killing 14 people, including 5 soldiers": a part of the same dead.
        sub = Mention(m.kind, nums[j].count, nums[j].start, nums[j].end, nums[j], parent=m)
        m.subgroups.append(sub)
        mentions[j] = sub
        pos, j = nums[j].end, j + 1
    if not parts:
        return m
    summed = [(None, Mention(m.kind, m.count, m.num.start, m.num.end, m.num)), *parts]
    total = Count(sum(p.count.low or 0 for _k, p in summed), sum(p.count.best or 0 for _k, p in summed), None)
    joined = Mention(m.kind, total, m.start, parts[-1][1].end, m.num, cue=m.cue, summed=True)
    for k, sub in summed:
        sub.parent = joined
        joined.subgroups.append(sub)
        if k is not None:
            mentions[k] = sub
    return joined


def _trailing_cue(text: str, pos: int, e: int, lex: Lexicon, kind: str) -> bool:
    table = lex.killed_after if kind == "killed" else lex.wounded_after
    hit = table.search(text, pos, min(e, pos + 40))
    return hit is not None and _words(text, pos, hit.start) <= 2


def _victim(text: str, m: Mention, e: int, lex: Lexicon) -> tuple[str | None, Hit[str] | None]:
    """Who the figure counts: the victim noun or "<actor> fighters" within a few words after it."""
    end = min(e, m.num.end + 60)
    words = list(_WORD.finditer(text, m.num.end, end))[:5]
    if not words:
        return None, None
    stop = words[-1].end()
    actor = lex.actors.search(text, m.num.end, stop)
    if actor is not None:
        after = _WORD.search(text, actor.end, e)
        if after is not None and after.group(0).lower().rstrip(".") in lex.combatant_nouns:
            return actor.value, actor
    hit = lex.victims.search(text, m.num.end, stop)
    if hit is not None and _words(text, m.num.end, hit.start) <= 2:
        return hit.value, None
    return None, None
