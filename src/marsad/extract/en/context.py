"""What an English casualty statement takes from its sentence and the sentences around it:
the perpetrator (an actor in agent position), the event type, the place and the date.

Each is looked for in the statement's own sentence first, then the headline, then the sentences
next to it; a perpetrator the report does not name stays `unknown`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from marsad.extract.en.lexicon import Hit, Lexicon
from marsad.geo.normalize import latin_key
from marsad.geo.resolver import CORE_COUNTRIES
from marsad.lang import load
from marsad.model import Location
from marsad.text.dates_en import DateMention, find_dates_en

_WORD = re.compile(r"[\w'’.-]+")
# A date this near the start of the body is the report's dateline ("Posted on July 2 2016 by").
DATELINE = 40
# How far into the body a dateline is looked for (agency copy repeats the headline before it).
DATELINE_SEARCH = 200
# Words between an actor and its attack ("regime forces on Tuesday seized"): at most this many.
AGENT_GAP = 3
_NOT_AGENT = re.compile(
    r"(?<!\w)(?:said|says|say|claims|claimed|claim|reported|reports|alleged|alleges|and|or|of|to|accused|blamed|"
    r"against|on\s+the|in\s+the)(?!\w)",
    re.I,
)
# "opposition forces claimed that Russian jets hit": an attack word followed by "that" introduces speech.
_SPEECH_AFTER = re.compile(r"\s+that(?!\w)", re.I)
# An outlet's tag list run into the text ("Tags Syria Hassakeh Kurds Suicide Attack SDF"): names, not agents.
_TAGS = re.compile(r"(?<!\w)Tags(?:\s+[A-Z][\w'’-]*)*\s+$")
_SINCE = re.compile(r"(?<!\w)since\s+(?:early\s+|late\s+|mid-?)?$", re.I)  # before the date
_SINCE_IN = re.compile(r"since\s", re.I)  # the date's own first word
_EVENT_ON = re.compile(r"(?<!posted )(?<!published )(?<!updated )\bon\s+(?:\w+\s+)?$", re.I)
_DEAD_AFTER = re.compile(r"\s+(?:were|was|have been|had been|are)?\s*(?:killed|dead|died|wounded|injured)")
_JOINED = re.compile(r"\s+(?:and|or|and\s+the)\s+", re.I)
_LOCATIVE = re.compile(
    r"(?<!\w)(?:in|near|on|at|of|outside|around|across|into|from|targeting|targeted|hit|struck)\s+"
    r"(?:the\s+)?(?:\w+\s+){0,3}$",
    re.I,
)


@dataclass
class Span:
    start: int
    end: int
    text: str


@dataclass
class Found(Span):
    value: object = None


def perpetrator(
    text: str, s: int, e: int, lex: Lexicon, victim_spans: list[tuple[int, int]], dead_sides: set[str] = frozenset()
) -> Found | None:
    """The actor in agent position in `text[s:e]` ("by Russian jets", "regime shelling", "IS attacked"),
    nearest the figures, and not the side the dead fought for; None if the sentence names none or says no
    one claimed it."""
    if lex.unknown_actor.search(text, s, e) is not None:
        return Found(s, s, "", "unknown")
    best: tuple[tuple[int, int], Found] | None = None
    anchor = victim_spans[0][0] if victim_spans else s
    for hit in lex.actors.finditer(text, s, e):
        if any(a <= hit.start < b for a, b in victim_spans) or hit.value in dead_sides:
            continue
        gap = _agent_gap(text, hit, e, lex)
        if gap is None:
            continue
        rank = (gap, abs(hit.start - anchor))  # a close attack word first ("Russian airstrikes"), then nearness
        if best is None or rank < best[0]:
            best = (rank, Found(hit.start, hit.end, hit.text, hit.value))
    return best[1] if best else None


def _agent_gap(text: str, hit: Hit[str], e: int, lex: Lexicon) -> int | None:
    """How many words separate the actor from the attack that makes it the agent (0 for "by X"),
    None if it is not in agent position."""
    before = text[max(0, hit.start - 30) : hit.start]
    if lex.not_agent_before.ends_at(before + " ", len(before) + 1) is not None or _TAGS.search(before):
        return None
    if lex.agent_before.ends_at(before + " ", len(before) + 1) is not None or re.search(
        r"(?<!\w)(?:by|by\s+the|from|from\s+the)\s+(?:\w+\s+){0,1}$", before, re.I
    ):
        return 0
    after = _WORD.search(text, hit.end, e)
    if after is None:
        return None
    if after.group(0).lower().rstrip(".") in lex.combatant_nouns and _killed_right_after(text, after.end(), e):
        return None  # "IS fighters were killed": the dead
    if (
        " " not in hit.text.strip()
        and after.group(0)[:1].isupper()
        and lex.attack_nouns.search(text, after.start(), after.end()) is None
    ):
        return None  # "Syrian Idlib attack", "Syrian Observatory": a one-word demonym before a name is not the actor
    partner = _JOINED.match(text, hit.end)
    if partner is not None:
        other = lex.actors.search(text, partner.end(), e)
        if other is not None and other.start == partner.end():
            return _agent_gap(text, other, e, lex)  # "Russian and Syrian strikes": both are the attackers
    nxt = lex.attack_nouns.search(text, hit.end, min(e, hit.end + 50))
    if nxt is None or _SPEECH_AFTER.match(text, nxt.end):
        return None
    gap = text[hit.end : nxt.start]
    words = len(_WORD.findall(gap))
    return words if words <= AGENT_GAP and not _NOT_AGENT.search(gap) and ":" not in gap else None


def _killed_right_after(text: str, pos: int, e: int) -> bool:
    return bool(_DEAD_AFTER.match(text[pos:e]))


def event_type(text: str, spans: list[tuple[int, int]], lex: Lexicon) -> tuple[str, str, Span] | None:
    """The most specific event cue in the first of `spans` that holds any."""
    for s, e in spans:
        hits = list(lex.events.finditer(text, s, e))
        if hits:
            hit = min(hits, key=lambda h: (h.value[0], h.start))
            return hit.value[1], hit.value[2], Span(hit.start, hit.end, hit.text)
    return None


@cache
def _place_stopwords() -> frozenset[str]:
    raw = resources.files("marsad.geo").joinpath("data", "stopwords_en.txt").read_text(encoding="utf-8")
    return frozenset(latin_key(w) for w in (ln.split("#")[0].strip() for ln in raw.splitlines()) if w)


@cache
def _not_place_after() -> re.Pattern[str]:
    words = sorted(load("en", "places")["not_place_after"], key=len, reverse=True)
    return re.compile(r"\s*(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.I)


@cache
def _still_place_after() -> re.Pattern[str]:
    words = sorted(load("en", "places")["still_place_after"], key=len, reverse=True)
    return re.compile(r"\s*(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.I)


def places_in(text: str, s: int, e: int, resolver) -> list[tuple[Span, Location, bool]]:
    """Places of Syria or Iraq named in `text[s:e]` (capitalised, not a demonym), each with whether a
    locative ("in", "near", "on the town of") introduces it."""
    if resolver is None:
        return []
    try:
        mentions = resolver.find(text[s:e])
    except Exception:  # noqa: BLE001 - a gazetteer bug must not lose the report's casualties
        return []
    out = []
    stop = _place_stopwords()
    for pm in mentions:
        loc = pm.location
        name = _name_part(pm.text)
        if loc is None or loc.admin1 is None or loc.country not in CORE_COUNTRIES or not name:
            continue  # abroad too ("BEIRUT (AFP) -" is a dateline), now that places abroad have a province
        if any(latin_key(w) in stop for w in name.split()):
            continue  # "Syrian village" is not the Syrian Desert
        if _not_place_after().match(text, s + pm.end) and not _still_place_after().match(text, s + pm.end):
            continue  # "Damascus said": a government speaking
        start = s + pm.start
        anchored = bool(_LOCATIVE.search(text[max(s, start - 40) : start]))
        out.append((Span(start, s + pm.end, pm.text), loc, anchored))
    return out


def _name_part(phrase: str) -> str:
    """The capitalised name of a place phrase: the resolver's mention may open with its generic head ("town of
    Qamishli", "city Aleppo"), which is no reason to doubt it; a phrase with no capitalised word is no name."""
    words = phrase.split()
    first = next((i for i, w in enumerate(words) if w[:1].isupper()), None)
    return "" if first is None else " ".join(words[first:])


def choose_place(text: str, spans: list[tuple[int, int]], resolver) -> tuple[Span, Location] | None:
    """The first place introduced by a locative in the first span that names one, else its first place;
    failing all, the first mention of the governorate the whole report names most."""
    for s, e in spans:
        found = places_in(text, s, e, resolver)
        if found:
            anchored = [f for f in found if f[2]]
            span, loc, _ = (anchored or found)[0]
            others = [f[0].text for f in found if f[0] is not span]
            if others and loc.alternatives:
                # "Mallah Farms in Aleppo": the other places named with it choose among its readings.
                loc = resolver.resolve(span.text, others) or loc
            return span, loc
    everywhere = places_in(text, 0, len(text), resolver)
    if not everywhere:
        return None
    counts = Counter(loc.admin1 for _span, loc, _a in everywhere)
    top = max(counts.values())
    span, loc, _ = next(f for f in everywhere if counts[f[1].admin1] == top)
    return span, loc


def dateline(text: str, body: int) -> date | None:
    """The report's own date near the top of its body ("AFP Sunday 29 Jun 2014", "Posted on July 2 2016"), which a
    feed's date field may contradict; the report's own word is the reference for "on Tuesday" and for old news."""
    head = text[body : body + DATELINE_SEARCH]
    for d in find_dates_en(head, None):
        if d.year is None or d.value is None or d.precision != "day":
            continue
        if _EVENT_ON.search(head[: d.start]):
            continue  # "On 10 March 2024, IS militants attacked …": the event's date, not the report's
        return d.value
    return None


def _since(text: str, start: int, s: int) -> bool:
    return bool(_SINCE.search(text, max(s, start - 20), start) or _SINCE_IN.match(text, start))


def choose_date(text: str, spans: list[tuple[int, int]], published: date | None, body: int = 0) -> DateMention | None:
    """The first resolved date in the first span that holds one (offsets into `text`); a dateline (a date
    within the first DATELINE characters of the body that is the publication date, "Sun 05 Jul 2015 …") says when
    the report was written, not when the event was."""
    for s, e in spans:
        for d in find_dates_en(text[s:e], published):
            if d.value is None or (published is not None and d.value > published):
                continue
            if body <= s + d.start < body + DATELINE and d.value == published:
                continue
            if d.precision in ("month", "year") and _since(text, s + d.start, s):
                continue  # "since July 2012": when a period of months began, not when the event was
            return DateMention(s + d.start, s + d.end, d.value, d.precision, d.year)
    return None
