"""What resolution compares: a record reduced to the fields that decide whether two reports are one event."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

import yaml

from marsad.model import Record
from marsad.text.normalize import fold_plain

# Dates a report gives to the day; anything else (report date, week, month) is only roughly the event's.
PRECISE = {"day"}


@dataclass
class Item:
    """One incident record as the resolver sees it. `day` is a date ordinal (None: undated)."""

    record_id: str
    record: Record
    published: date | None = None
    day: int | None = None
    precise: bool = False
    admin1: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    place: str = ""  # folded, lower-cased place name for comparison
    core: str = ""  # its distinctive words
    skeleton: str = ""  # its consonant skeleton (transliteration-proof)
    marks: frozenset[str] = frozenset()  # words telling twin places apart ("east", "upper")
    area: bool = True  # the place is a region (or unknown), not a single town
    broad: bool = True  # the place is no more than a whole governorate or country (or unknown)
    killed: int | None = None
    text: str = ""
    extra: dict = field(default_factory=dict)

    doc_id: str = ""
    # The words of `core` and `skeleton`, split once: scoring compares them for every candidate pair.
    core_words: frozenset[str] = field(init=False, repr=False)
    skeleton_words: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.doc_id = self.doc_id or self.record.doc_id
        self.core_words = frozenset(self.core.split())
        self.skeleton_words = frozenset(self.skeleton.split())


@lru_cache(maxsize=1)
def _area_data() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    raw = yaml.safe_load(resources.files("marsad.resolve").joinpath("data/areas.yaml").read_text("utf-8"))

    def folded(key: str) -> frozenset[str]:
        return frozenset(fold_plain(w).lower() for w in raw[key])

    qualifiers = frozenset(_unprefixed(w) for w in folded("qualifier_words"))
    return folded("area_words"), folded("countries"), folded("generic_words"), qualifiers


def _unprefixed(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


_WORD = re.compile(r"[\w']+")


def fold_place(text: str | None) -> str:
    return " ".join(_WORD.findall(fold_plain(text or "").lower()))


_ARTICLE = re.compile(r"\b(?:al|el|as|ad|ar|an|at|az|ash|adh|ath|ez|es|ed|er|en|et|ud|ul)\s+")
_VOWELS = re.compile(r"(?<=.)[aeiouyw]+h?(?![aeiouy])|h\b")
_REPEAT = re.compile(r"(.)\1+")


def core(place: str) -> str:
    """The distinctive words of a place name: no article, no 'town' or 'village'."""
    words = []
    generic = _area_data()[2]
    for word in _ARTICLE.sub("", place).split():
        if word in generic or word in ("al", "el"):
            continue
        words.append(_unprefixed(word))
    return " ".join(words)


def qualifiers(place: str) -> frozenset[str]:
    """The words of a place name that tell twin places apart ("east", "upper", "الكبرى")."""
    marks = _area_data()[3]
    return frozenset(w for w in map(_unprefixed, place.split()) if w in marks)


def skeleton(place: str) -> str:
    """A place name's consonant skeleton, so that transliterations agree: 'as susah' ~ 'al sousa'."""
    return " ".join(_VOWELS.sub("", _REPEAT.sub(r"\1", word)) for word in core(place).split())


def is_area(place: str, admin1: str | None, geo_precision: int | None) -> bool:
    """True when the place names a region that may contain several separate events."""
    if not place or not admin1 or geo_precision == 3:
        return True
    if geo_precision in (1, 2):
        return False
    words, countries = _area_data()[:2]
    if place in countries or (admin1 and place == fold_place(admin1)):
        return True
    return any(token in words for token in place.split())


def is_broad(place: str, admin1: str | None) -> bool:
    """True when the place says no more than the governorate (or country) does."""
    if not place or not admin1 or place in _area_data()[1]:
        return True
    whole = fold_place(admin1)
    return place == whole or skeleton(place) == skeleton(whole)


def _day(value: str | date | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return None
    return value.toordinal()


def to_item(record_id: str, record: Record, published: date | None = None) -> Item:
    """Reduce a record for comparison; an undated record takes its report's date, as the store does."""
    loc = record.location
    region = record.regions[0] if record.regions else None
    place_loc = loc or region
    day = _day(record.date) or _day(published)
    precise = record.date is not None and record.date_precision in PRECISE
    name = ""
    if loc is not None:
        name = loc.name or loc.text or ""
    place = fold_place(name)
    admin1 = place_loc.admin1 if place_loc else None
    killed = record.killed.central() if record.killed else None
    texts = [e.text for e in record.evidence[:2]]
    return Item(
        record_id=record_id,
        record=record,
        published=published,
        day=day,
        precise=precise,
        admin1=admin1,
        country=place_loc.country if place_loc else None,
        lat=loc.lat if loc else None,
        lon=loc.lon if loc else None,
        place=place,
        core=core(place),
        skeleton=skeleton(place),
        marks=qualifiers(place),
        area=is_area(place, admin1, loc.geo_precision if loc else None),
        # A place resolved to a point is a town, even when it shares the governorate's name (Aleppo).
        broad=is_broad(place, admin1) and (loc is None or loc.lat is None or loc.geo_precision == 3),
        killed=killed,
        text=" ".join(texts),
    )
