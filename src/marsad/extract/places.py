"""Which place phrase belongs to a record; resolving it is marsad.geo's job.

Place mentions come from `PlaceResolver.find` over a clause's original text. An incident takes
the first place after its casualty statement in its own clause, else the nearest before it,
else the places of the clauses before it, the previous sentences, and the headline.
Without a resolver (marsad.geo unavailable) records simply have no location.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cache

from marsad.extract.layout import Clause, Layout
from marsad.geo import default_resolver
from marsad.geo.lexicon import prefix_keys
from marsad.geo.resolver import CORE_COUNTRIES
from marsad.lang import load
from marsad.model import Location
from marsad.text.normalize import fold_plain


@dataclass
class Place:
    start: int  # original offsets into doc.text
    end: int
    text: str
    location: Location
    anchored: bool = False  # introduced as a location ("في …", "قرب …", "مدينة …")


def embedded_resolver():
    """The embedded gazetteer's resolver, or None (records without places) if it cannot be built."""
    try:
        return default_resolver()
    except Exception:  # noqa: BLE001 - a broken gazetteer must not stop extraction
        return None


def clause_places(lay: Layout, clause: Clause, resolver) -> list[Place]:
    memo = lay.memo.setdefault("places", {})
    if clause.index in memo:
        return memo[clause.index]
    found: list[Place] = []
    if resolver is not None:
        s, e, text = lay.original(clause.start, clause.end)
        try:
            mentions = resolver.find(text)
        except Exception:  # noqa: BLE001 - a gazetteer bug must not lose the report's casualties
            mentions = []
        for pm in mentions:
            loc = pm.location
            if loc is None or (loc.admin1 is None and loc.country is None):
                continue
            before = _word_before(lay, clause, s + pm.start)
            if before in _lex().speech or _reporter_before(lay, clause, s + pm.start):
                continue  # "قالت دمشق": a government speaking; "مراسل … في أربيل": the reporter
            if _loyal_to(lay, clause, s + pm.start) or _with_allies(lay, clause, s + pm.end):
                continue  # "الموالين لدمشق", "ضد دمشق وحلفائها": a government, not a place
            if _measured_from(lay, clause, s + pm.start):
                continue  # "على بعد 250 كلم شمال بغداد": a reference point
            if _launched_from(lay, clause, s + pm.start):
                continue  # "قذيفة أطلقت من منطقة الغوطة الشرقية على …": the origin
            if _travelled_to(lay, clause, s + pm.start):
                continue  # "بعثة التحقيق التي وصلت إلى دمشق": where someone went
            anchored = before in _lex().locatives or _has_kind_word(pm.text) or _attached(pm.text, loc)
            if found and _reference_point(lay, found[-1], s + pm.start, pm.text):
                continue  # "الغوطة الشرقية قرب دمشق": where the place before it lies
            cut, words = _without_proclitic(pm.text, loc, resolver)
            near = _near_before(lay, clause, s + pm.start)
            found.append(Place(s + pm.start + cut, s + pm.end, words, _near_capital(words, loc, near), anchored))
    memo[clause.index] = found
    return found


_PROCLITICS = {1: frozenset("وبفلك"), 2: frozenset({"وب", "وف", "ول", "وك"})}


def _without_proclitic(text: str, loc: Location, resolver) -> tuple[int, str]:
    """The place's own words: "وبادية دير الزور" -> "بادية دير الزور", "بدوما" -> "دوما".

    A leading letter is a proclitic only if the words without it name the same place ("بنش" keeps its ب).
    """
    for n in (2, 1):
        head, rest = text[:n], text[n:]
        if head not in _PROCLITICS[n] or len(rest) < 3 or rest[0] in " " + head:
            continue
        if resolver.names(rest) == (loc.name, loc.admin1):
            return n, rest
    return 0, text


def _starts_with(text: str, words: tuple[str, ...]) -> bool:
    folded = " ".join(fold_plain(text).split())
    return any(folded.startswith(w + " ") for w in words)


_GAP_NOISE = re.compile(r"[\s،,()\[\]\-–]+|\d+|" + r"(?<!\w)(?:كلم|كم)(?!\w)")


def _reference_point(lay: Layout, prev: Place, start: int, text: str) -> bool:
    """ "صلاح الدين، شمال بغداد", "في سامراء في شمال بغداد": a direction from a place right after another
    place says where that one lies (link words and a distance in brackets may sit between)."""
    gap = lay.doc.text[prev.end : start]
    if len(gap) > 40 or not _starts_with(text, _lex().relative):
        return False
    words = " ".join(_GAP_NOISE.sub(" ", fold_plain(gap)).split())
    return not words or words in _lex().relative_links


def _near_capital(text: str, loc: Location, near: bool = False) -> Location:
    """ "قرب دمشق": outside the capital city, in the governorate around it."""
    around = _lex().surroundings.get(loc.admin1 or "")
    if around is None or not (near or _starts_with(text, _lex().near)):
        return loc
    return replace(loc, admin1=around, geo_precision=max(loc.geo_precision or 0, 2))


def choose_place(lay: Layout, order: list[Clause], anchor: int, resolver) -> Place | None:
    """The place for a statement at folded offset `anchor`, searching clauses in `order`.

    In its own clause a statement takes the first place after it, else the nearest before it;
    elsewhere only places introduced as locations ("في", "قرب", "مدينة …") count. A place with a
    governorate beats a bare country ("شرقي سوريا"), wherever it comes in the order; a place abroad
    only in the statement's own clause: in other sentences it is mostly where someone came from or
    what else happened ("القتلى الثلاثة هم … من مدينة الأحواز"), so there it only beats a bare country, and
    not from a headline, where a capital is mostly a government ("طهران تدين …").
    """
    if resolver is None:
        return None
    anchor_orig = lay.folded.orig(anchor)
    fallback = None
    for i, clause in enumerate(order):
        places = clause_places(lay, clause, resolver)
        if i == 0:
            places = [p for p in places if p.start >= anchor_orig] + [
                p for p in reversed(places) if p.start < anchor_orig
            ]
        if not clause.title:  # headlines are terse: their names need no preposition
            places = [p for p in places if p.anchored]
        for p in places:
            if p.location.admin1 and (i == 0 or p.location.country in CORE_COUNTRIES):
                return p
            if fallback is None or (p.location.admin1 and not fallback.location.admin1 and not clause.title):
                fallback = p
    return fallback


def regions(lay: Layout, clauses: list[Clause], resolver) -> list[Place]:
    """A tally's regions: the places of its clauses, and every member of a list of places
    ("في غرب الفرات وبادية دير الزور والرقة وحمص والسويداء") once one member is a known place."""
    found: list[Place] = []
    for clause in clauses:
        places = clause_places(lay, clause, resolver)
        found += places
        if places:
            found += _list_members(lay, clause, places, resolver)
    out: list[Place] = []
    seen = set()
    for p in sorted(found, key=lambda p: p.start):
        key = (p.location.name, p.location.admin1)
        if key not in seen and not any(o.start <= p.start < o.end for o in out):
            seen.add(key)
            out.append(p)
    return out


_LIST_END = re.compile(r"[.،,؛:()\"]")


def _list_members(lay: Layout, clause: Clause, known: list[Place], resolver) -> list[Place]:
    """Resolve each conjunct of a coordinated list after "في" that holds a known place."""
    text = lay.text
    members: list[Place] = []
    for m in _lex().list_start.finditer(text, clause.start, clause.end):
        stop = _LIST_END.search(text, m.end(), clause.end)
        spans = _conjuncts(text, m.end(), stop.start() if stop else clause.end)
        if len(spans) < 2:
            continue
        orig = [lay.original(a, b) for a, b in spans]
        if not any(k.start < e and s < k.end for s, e, _ in orig for k in known):
            continue  # not a list of places
        for s, e, phrase in orig:
            if len(phrase.split()) > 4 or any(k.start < e and s < k.end for k in known):
                continue
            loc = resolver.resolve(phrase)
            if loc is not None and loc.admin1:
                members.append(Place(s, e, phrase, loc, True))
    return members


def _conjuncts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of "X وY وZ" members (the conjunction و left out)."""
    spans = []
    prev = start
    for m in re.finditer(r"\s+و(?=\S)", text[start:end]):
        spans.append((prev, start + m.start()))
        prev = start + m.end()
    spans.append((prev, end))
    return [(a, b) for a, b in spans if b > a]


def _words_before(lay: Layout, clause: Clause, orig_pos: int, chars: int) -> list[str]:
    """The folded words of the `chars` characters (within the clause) before an original offset."""
    offsets = lay.folded.offsets
    pos = orig_pos if offsets is None else bisect.bisect_left(offsets, orig_pos)
    return lay.text[max(clause.start, pos - chars) : pos].split()


def _word_before(lay: Layout, clause: Clause, orig_pos: int) -> str:
    """The folded word before an original offset, without the conjunction و."""
    words = _words_before(lay, clause, orig_pos, 25)
    if not words:
        return ""
    word = words[-1]
    if len(words) >= 2 and f"{words[-2]} {word}" in _lex().locatives:
        return f"{words[-2]} {word}"
    return word[1:] if word.startswith("و") and len(word) > 2 else word


def _reporter_before(lay: Layout, clause: Clause, orig_pos: int) -> bool:
    words = [w.strip('"') for w in _words_before(lay, clause, orig_pos, 60)[-5:]]
    return any(w in _lex().reporter or w[1:] in _lex().reporter for w in words)


def _loyal_to(lay: Layout, clause: Clause, orig_pos: int) -> bool:
    return any(w in _lex().allegiance for w in _words_before(lay, clause, orig_pos, 30)[-2:])


def _with_allies(lay: Layout, clause: Clause, orig_end: int) -> bool:
    offsets = lay.folded.offsets
    pos = orig_end if offsets is None else bisect.bisect_left(offsets, orig_end)
    words = lay.text[pos : min(clause.end, pos + 20)].split()
    return bool(words) and words[0].strip("،,.\"'") in _lex().allies


def _near_before(lay: Layout, clause: Clause, orig_pos: int) -> bool:
    """ "قرب العاصمة السورية دمشق", "بالقرب من العاصمة دمشق": the near-word comes before the title
    words, which the place mention leaves out (94 reports of the ANT corpus say it so of Damascus)."""
    words = _words_before(lay, clause, orig_pos, 50)
    titled = len(words)
    while words and words[-1] in _lex().capital_titles:
        words.pop()
    if len(words) == titled:
        return False  # no title: a near-word right before is part of the mention itself
    return any(" ".join(words[-n:]) in _lex().near for n in (1, 2, 3) if len(words) >= n)


def _measured_from(lay: Layout, clause: Clause, orig_pos: int) -> bool:
    return any(w in _lex().distance for w in _words_before(lay, clause, orig_pos, 40)[-3:])


def _launched_from(lay: Layout, clause: Clause, orig_pos: int) -> bool:
    words = _words_before(lay, clause, orig_pos, 30)[-3:]
    return len(words) >= 2 and words[-1] in ("من", "منها") and words[-2] in _lex().origin


def _travelled_to(lay: Layout, clause: Clause, orig_pos: int) -> bool:
    words = _words_before(lay, clause, orig_pos, 40)[-4:]
    if not words or words[-1] not in ("الي", "والي"):  # folded "إلى"
        return False
    return any(w in _lex().travel or w[1:] in _lex().travel for w in words[:-1])


def _has_kind_word(text: str) -> bool:
    first = fold_plain(text).split()[0] if text.split() else ""
    first = first[1:] if first[:1] in "وبل" and len(first) > 3 else first
    keys = prefix_keys()
    return first in keys or (first.startswith("ال") and first[2:] in keys) or ("ال" + first) in keys


def _attached(text: str, loc: Location) -> bool:
    folded = fold_plain(text)
    return any(folded.startswith(p) for p in _lex().attached) and len(folded) > 3


@dataclass(frozen=True)
class _PlaceWords:
    speech: frozenset[str]
    locatives: frozenset[str]
    attached: tuple[str, ...]
    list_start: re.Pattern[str]
    relative: tuple[str, ...]
    relative_links: frozenset[str]
    near: tuple[str, ...]
    surroundings: dict[str, str]
    reporter: frozenset[str]
    distance: frozenset[str]
    allegiance: frozenset[str]
    allies: frozenset[str]
    origin: frozenset[str]
    capital_titles: frozenset[str]
    travel: frozenset[str]


@cache
def _lex() -> _PlaceWords:
    loc = load("ar", "locatives")
    return _PlaceWords(
        speech=frozenset(fold_plain(w) for w in load("ar", "agents")["speech"]),
        locatives=frozenset(" ".join(fold_plain(w).split()) for w in loc["before"]),
        attached=tuple(fold_plain(w) for w in loc["attached"]),
        list_start=re.compile(r"(?<!\w)(?:" + "|".join(re.escape(fold_plain(w)) for w in loc["list_start"]) + r")\s+"),
        relative=tuple(" ".join(fold_plain(w).split()) for w in loc["relative"]),
        relative_links=frozenset(" ".join(fold_plain(w).split()) for w in loc["relative_links"]),
        near=tuple(" ".join(fold_plain(w).split()) for w in loc["near"]),
        surroundings=dict(loc["surroundings"]),
        reporter=frozenset(fold_plain(w) for w in loc["reporter"]),
        distance=frozenset(" ".join(fold_plain(w).split()) for w in loc["distance"]),
        allegiance=frozenset(fold_plain(w) for w in loc["allegiance"]),
        allies=frozenset(fold_plain(w) for w in loc["allies"]),
        origin=frozenset(fold_plain(w) for w in loc["origin"]),
        capital_titles=frozenset(fold_plain(w) for w in loc["capital_titles"]),
        travel=frozenset(fold_plain(w) for w in loc["travel"]),
    )
