"""The place resolver: a phrase or a sentence in, `Location`s out.

`resolve` reads a place phrase ("قرب منطقة الشولا جنوب مدينة دير الزور", "الفتيح, منطقة جبلة",
"Khan Al Assal (Aleppo)"); `find` scans a sentence for every place mention. Both rank the gazetteer's
candidates for a name by what surrounds it: the prefix (ريف/محافظة want an area, قرية/مدينة a
settlement), the containers named after it, and the governorates named elsewhere in the report.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from marsad.geo.fuzzy import NearMisses, name_key, name_tokens
from marsad.geo.gazetteer import Gazetteer, Place
from marsad.geo.lexicon import EFFECT_PRECISION
from marsad.geo.scan import Scanner, Span
from marsad.model import Location

CORE_COUNTRIES = frozenset({"SY", "IQ"})
SAME_PLACE_KM = 5.0
SAME_AREA_KM = 60.0
SOURCE_AGREEMENT = 0.75
PARTIAL_MIN_POPULATION = 10_000
CITY_KM = 15.0  # how far from a city's point its quarters lie
# A place an imported list names in k rows: of two readings of a name, the one where incidents
# were recorded before (+0.001 to +0.006 admin1 on each Airwars split, never less).
LIST_ROWS_WEIGHT = 0.5
TWIN_KM = 10.0  # how far apart twin villages ("X شرقي", "X غربي") lie


@dataclass
class PlaceMention:
    start: int
    end: int
    text: str
    location: Location


@dataclass
class _Context:
    admin1: dict[str, float] = field(default_factory=dict)
    admin2: set[str] = field(default_factory=set)
    points: list[tuple[float, float, float]] = field(default_factory=list)  # lat, lon, radius km
    countries: set[str] = field(default_factory=set)

    def empty(self) -> bool:
        return not (self.admin1 or self.admin2 or self.points or self.countries)

    def add(self, place: Place, weight: float = 1.0, container: bool = False) -> None:
        if place.admin1:
            self.admin1[place.admin1] = max(self.admin1.get(place.admin1, 0.0), weight)
        if place.country:
            self.countries.add(place.country)
        if container and place.admin2 and place.kind in ("admin2", "admin3"):
            self.admin2.add(place.admin2)
        if container and place.lat is not None and place.kind not in ("admin1", "country"):
            radius = 60.0 if place.is_area else 25.0
            self.points.append((place.lat, place.lon, radius))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


class PlaceResolver:
    def __init__(self, gazetteer: Gazetteer, stopwords: frozenset[str] = frozenset()):
        self.gazetteer = gazetteer
        self.scanner = Scanner(gazetteer, stopwords)
        self._context_cache = lru_cache(maxsize=4096)(self._context_place)
        self.names = lru_cache(maxsize=4096)(self._names)
        self._near_misses: NearMisses | None = None  # built at the first phrase that needs it
        self._alone: dict[tuple[tuple[int, ...], tuple[str, ...]], tuple[Place, int]] = {}  # see _best

    # -- public interface -------------------------------------------------------------------
    def resolve(self, text: str, context: Sequence[str] = ()) -> Location | None:
        if not text or not text.strip():
            return None
        spans = [s for s in map(self._trusted, self.scanner.scan(text, translit=True, strict=False)) if s]
        ctx = self._outer_context(context)
        if not spans:
            # An unknown name: another spelling of a village (of the governorates the report names, if
            # any), or the twin of one ("كبش" for "كبش غربي").
            near = self._near_miss(text, None, ctx.admin1)
            if near:
                return _location(text.strip(), near, 1, 0)
            twin = self._twin(text, ctx.admin1)
            return _location(text.strip(), twin, 2, 0) if twin else None
        primary = self._primary(spans)
        for span in spans:
            if span is not primary:
                best = self._best(span)[0]
                ctx.add(best, weight=2.0 if span.seg > primary.seg else 1.0, container=span.seg > primary.seg)
        place, alternatives = self._best(primary, ctx)
        precision = _precision(place, primary)
        container = self._container(spans, primary, text)
        if container is not None and place.admin1 and container.admin1 and place.admin1 != container.admin1:
            # "أشرفية صحنايا", "بالقرب من محطة بغداد، حلب": no reading of the first name lies in the
            # place named after it, so the first name is something we do not know inside that one.
            near = self._near_miss(text[: primary.end], container)
            if near:
                return _location(text.strip(), near, 1, 0)
            return _location(text.strip(), container, 3 if container.is_area else 2, 0)
        partner = self._partner(spans, primary, text)
        if partner is not None and _far_village(place, partner):
            # "العباس و هجين": places named together lie together; no reading of the first lies near
            # the second, so the first is a village we do not know, near the second.
            return _location(text.strip(), partner, 2, 0)
        if primary is spans[0] and _unknown_words_before(text[: primary.start]):
            # Words before the name that we do not know ("مشفى ... في حلب", "الفتيح, منطقة جبلة"):
            # another spelling of a village inside the named place, or else somewhere in or near it.
            near = self._near_miss(text[: primary.start], place)
            if near:
                return _location(text.strip(), near, 1, 0)
            precision = max(precision, 3 if place.is_area else 2)
        return _location(text.strip(), place, precision, alternatives)

    def _names(self, text: str) -> tuple[str, str | None] | None:
        """`names`: the place a phrase names alone, as (name, governorate); cached, since the same
        phrases recur in report after report."""
        loc = self.resolve(text)
        return None if loc is None else (loc.name, loc.admin1)

    def find(self, text: str) -> list[PlaceMention]:
        spans = self.scanner.scan(text, translit=True, strict=True)
        if not spans:
            return []
        solo = [self._best(span)[0] for span in spans]
        mentions: list[PlaceMention] = []
        skip = set()
        for k, span in enumerate(spans):
            if k in skip:
                continue
            ctx = _Context()
            for other, place in zip(spans, solo, strict=True):
                if other is not span:
                    ctx.add(place, weight=1.0)
            end = span.end
            nxt = spans[k + 1] if k + 1 < len(spans) else None
            if nxt and _is_container(nxt, solo[k + 1]) and _only_separator(text[span.end : nxt.start]):
                ctx.add(solo[k + 1], weight=2.0, container=True)
                end = nxt.end
                skip.add(k + 1)
            place, alternatives = self._best(span, ctx)
            loc = _location(text[span.start : end], place, _precision(place, span), alternatives)
            mentions.append(PlaceMention(span.start, end, text[span.start : end], loc))
        return mentions

    # -- ranking ----------------------------------------------------------------------------
    def _trusted(self, span: Span) -> Span | None:
        """A name found inside a longer unknown phrase is believed only if it is a big place or an
        area ("حلب القديمة"), never through transliteration; a village, hamlet or neighbourhood
        ("قرية", "حي") is not looked for abroad."""
        places = self.gazetteer.places
        ids = span.ids
        if span.partial:
            if span.how == "translit":
                return None
            # Nor a foreign city or a country: "مخيم كويت الرحمة", "مدرسة خالد بن وليد" (Bāneh).
            ids = [i for i in ids if _big_local(places[i])]
        if "place" in span.effects:
            # Abroad, only the towns hand-written for it (abroad_places.tsv: "مدينة صعدة اليمنية").
            ids = [i for i in ids if _town_here(places[i])]
        if not ids:
            return None
        if ids is not span.ids:
            span.ids = ids
        return span

    def _primary(self, spans: list[Span]) -> Span:
        """The first name in the phrase, unless it is a governorate, district or city and a smaller
        place inside it follows ("الرقة: حي البياطرة", "Aleppo, Sheikh Maqsoud")."""
        first = spans[0]
        head = self._best(first)[0]
        if first.effects or head.kind not in ("admin1", "admin2", "admin3", "city"):
            return first
        for span in spans[1:]:
            inner = self._best(span)[0]
            if inner.is_area or inner.kind == "city" or inner.admin1 != head.admin1:
                continue
            if head.kind != "city" or distance_km(head.lat, head.lon, inner.lat, inner.lon) <= CITY_KM:
                return span
        return first

    def _container(self, spans: list[Span], primary: Span, text: str) -> Place | None:
        """The place named right after the primary one, in Syria or Iraq (its likely container);
        not a second place joined by "و" ("حمص وحماة")."""
        later = [s for s in spans if s.start > primary.start]
        if not later or _CONJUNCTION.search(text, primary.end, later[0].start + 1):
            return None
        place = self._best(later[0])[0]
        return place if place.country in CORE_COUNTRIES and place.kind != "country" else None

    def _near_miss(self, text: str, container: Place | None, admin1: Collection[str] = ()) -> Place | None:
        """The one settlement, inside `container` (or the governorates `admin1`, or else anywhere if the
        name is long), whose name is the first name of `text` spelled with other weak letters; None if
        none or several."""
        key = name_key(text)
        if not key:
            return None
        if container is None:
            hits = self._fuzzy().find(key, admin1 or None)
        elif container.country not in CORE_COUNTRIES or not container.admin1 or container.kind == "country":
            return None
        else:
            # Inside the district (points without one, as the embedded ones, near its seat), or near the town.
            district = container.admin2 if container.kind in ("admin2", "admin3") else None
            radius = SAME_AREA_KM if container.is_area else 2 * CITY_KM
            hits = [
                h
                for h in self._fuzzy().find(key, (container.admin1,))
                if container.kind == "admin1"
                or (district and h.admin2 == district)
                or (
                    (not district or h.admin2 is None)
                    and container.lat is not None
                    and distance_km(h.lat, h.lon, container.lat, container.lon) <= radius
                )
            ]
        return _one_place(hits, SAME_PLACE_KM)

    def _twin(self, text: str, admin1: Collection[str]) -> Place | None:
        tokens = name_tokens(text)
        return _one_place(self._fuzzy().find_twins(tokens, admin1), TWIN_KM) if tokens else None

    def _fuzzy(self) -> NearMisses:
        if self._near_misses is None:
            self._near_misses = NearMisses(self.gazetteer, self.scanner.generic | self.scanner.stopwords)
        return self._near_misses

    def _partner(self, spans: list[Span], primary: Span, text: str) -> Place | None:
        """A settlement of Syria or Iraq named right after the primary name and joined to it by "و"."""
        later = [s for s in spans if s.start > primary.start]
        if not later or not _CONJUNCTION.search(text, primary.end, later[0].start + 1):
            return None
        place = self._best(later[0])[0]
        return place if place.country in CORE_COUNTRIES and not place.is_area and place.lat is not None else None

    def _outer_context(self, context: Sequence[str]) -> _Context:
        ctx = _Context()
        for item in context:
            place = self._context_cache(item) if item else None
            if place is not None:
                ctx.add(place, weight=1.0)
        return ctx

    def _context_place(self, text: str) -> Place | None:
        spans = self.scanner.scan(text, translit=False, strict=False)
        return self._best(spans[0])[0] if spans else None

    def _best(self, span: Span, ctx: _Context | None = None) -> tuple[Place, int]:
        """The most plausible candidate, and how many other distinct places the name could mean.

        Without context the answer depends on the name's candidates and prefixes only: it is kept,
        since the same names come back in report after report."""
        if len(span.ids) == 1:
            return self.gazetteer.places[span.ids[0]], 0
        if ctx is not None and not ctx.empty():
            return self._rank(span, ctx)
        key = (tuple(span.ids), tuple(span.effects))
        best = self._alone.get(key)
        if best is None:
            best = self._alone[key] = self._rank(span, _Context())
        return best

    def _rank(self, span: Span, ctx: _Context) -> tuple[Place, int]:
        """Candidates are grouped into places (copies from several gazetteers lie close together);
        a place named by more independent sources is the likelier reading of an ambiguous name."""
        places = self.gazetteer.places
        candidates = [places[i] for i in span.ids]
        scored = sorted(((_score(p, span, ctx), p) for p in candidates), key=lambda sp: -sp[0])
        governorates = {p.admin1 for p in candidates if p.kind == "admin1"}
        if governorates and not span.effects:
            # "صلاح الدين" is the governorate before a resort in Erbil or a quarter of Aleppo.
            scored = sorted(
                ((s - (1.0 if p.admin1 not in governorates else 0.0), p) for s, p in scored), key=lambda sp: -sp[0]
            )
        clusters: list[tuple[float, list[Place], set[object]]] = []
        for score, place in scored:
            for _head_score, members, sources in clusters:
                if _same_place(place, members[0]):
                    members.append(place)
                    sources.add(_witness(place))
                    break
            else:
                clusters.append((score, [place], {_witness(place)}))
        best = max(clusters, key=lambda c: c[0] + SOURCE_AGREEMENT * min(len(c[2]) - 1, 3))
        return _representative(best[1], span), len(clusters) - 1


def _witness(p: Place) -> object:
    """What confirms a reading: a gazetteer for a point; for an admin unit the unit itself, which
    several files hold (OCHA's boundaries, and the centroids and lists made from them)."""
    return (p.kind, p.country, p.admin1, p.admin2) if p.is_area else p.source


def _one_place(hits: list[Place], radius_km: float) -> Place | None:
    """The likeliest of `hits` if they are all one place (within `radius_km` of each other), else None."""
    if not hits or any(distance_km(h.lat, h.lon, hits[0].lat, hits[0].lon) > radius_km for h in hits):
        return None
    return max(hits, key=lambda p: (p.priority, p.population, p.extra.get("rows", 0)))


def _town_here(p: Place) -> bool:
    """A settlement a kind word ("قرية", "مدينة") may name: in Syria or Iraq, imported, or hand-written."""
    return p.country in CORE_COUNTRIES or p.priority > 0 or p.source == "lexicon"


def _big_local(p: Place) -> bool:
    local = (p.country in CORE_COUNTRIES or p.priority > 0) and p.kind != "country"
    return local and (p.is_area or p.population >= PARTIAL_MIN_POPULATION)


def _far_village(place: Place, partner: Place) -> bool:
    small = place.kind == "place" and place.population < PARTIAL_MIN_POPULATION and place.lat is not None
    return small and distance_km(place.lat, place.lon, partner.lat, partner.lon) > SAME_AREA_KM


def _representative(members: list[Place], span: Span) -> Place:
    """A district and the town it is named after are one reading; which one the text means depends
    on the words around it: "منطقة البوكمال" the district, a bare "البوكمال" the town."""
    wants_area = any(e in ("region", "admin1", "admin2", "admin3") for e in span.effects)
    if not wants_area:
        points = [p for p in members if not p.is_area]
        if points:
            return points[0]
    return members[0]


def _score(p: Place, span: Span, ctx: _Context) -> float:
    s = float(p.priority)
    effects = span.effects
    if not effects:
        # A bare name is more often the town than the district; but a governorate's name is famous
        # and beats a hamlet that happens to share it.
        s += 0.5 if not p.is_area else (0.75 if p.kind == "admin1" else 0.0)
    for effect in effects:
        if effect == "admin1":
            s += 3.0 if p.kind == "admin1" else 0.0
        elif effect == "admin2":
            s += 3.0 if p.kind == "admin2" else (1.0 if p.kind == "admin3" else 0.0)
        elif effect == "admin3":
            s += 3.0 if p.kind == "admin3" else 0.0
        elif effect == "region":
            s += {"admin1": 2.0, "region": 2.0, "admin2": 1.0}.get(p.kind, 0.0)
        elif effect == "place":
            s += -1.0 if p.is_area else 1.0
    s += min(math.log10(p.population + 1), 7.0) / 7.0
    s += LIST_ROWS_WEIGHT * math.log2(p.extra.get("rows", 1))
    if p.country in CORE_COUNTRIES:
        s += 1.0
    if p.country in ctx.countries:
        s += 1.0
    if p.admin1 and p.admin1 in ctx.admin1:
        s += 4.0 * ctx.admin1[p.admin1]
    if p.admin2 and p.admin2 in ctx.admin2:
        s += 2.0
    if p.lat is not None:
        for lat, lon, radius in ctx.points:
            d = distance_km(p.lat, p.lon, lat, lon)
            if d < radius:
                s += 3.0 * (1.0 - d / radius)
    return s


def _same_place(a: Place, b: Place) -> bool:
    if a.admin1 != b.admin1 and a.admin1 and b.admin1:
        return False
    if a.lat is None or b.lat is None:
        return True
    if a.kind == "admin1" or b.kind == "admin1":
        # A governorate and its capital; but a hamlet elsewhere in it is another reading.
        return (a.is_area and b.is_area) or distance_km(a.lat, a.lon, b.lat, b.lon) <= SAME_AREA_KM
    # A district or sub-district and the town it is named after are one reading of the name.
    radius = SAME_AREA_KM if (a.is_area or b.is_area) else SAME_PLACE_KM
    return distance_km(a.lat, a.lon, b.lat, b.lon) <= radius


def _precision(place: Place, span: Span) -> int:
    precision = 3 if place.is_area else 1
    for effect in span.effects:
        p = EFFECT_PRECISION.get(effect, 1)
        if effect.startswith("admin") and not place.is_area:
            p = 2  # "منطقة الشولا": the area around a settlement
        precision = max(precision, p)
    return precision


_CONJUNCTION = re.compile(r"(?:^|\s)(?:و|and\s)|\s&\s")
_LATIN_ARTICLE = re.compile(r"\b(?:al|el|ad|ar|as|az|ash|at|an|the)\b", re.IGNORECASE)


def _unknown_words_before(prefix: str) -> bool:
    return any(c.isalpha() for c in _LATIN_ARTICLE.sub("", prefix))


def _is_container(span: Span, place: Place) -> bool:
    return place.is_area or any(e.startswith("admin") or e == "region" for e in span.effects)


def _only_separator(gap: str) -> bool:
    return gap.strip(" \t,،") == "" and ("," in gap or "،" in gap)


def _location(text: str, place: Place, precision: int, alternatives: int) -> Location:
    return Location(
        text=text,
        name=place.name,
        admin1=place.admin1,
        admin2=place.admin2,
        country=place.country,
        lat=place.lat,
        lon=place.lon,
        geo_precision=precision,
        alternatives=alternatives,
    )
