"""Places and the name index the resolver searches.

A `Place` is one point (or admin unit) with every name it is known by. The `Gazetteer` indexes all
names under the keys of `normalize`: folded Arabic (with and without spaces, so "كفربطنا" meets
"كفر بطنا"), folded Latin, and the cross-script consonant skeleton.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from marsad.geo.lexicon import prefixes, strippable_prefix_keys
from marsad.geo.normalize import (
    ar_tokens,
    has_arabic,
    latin_tokens,
    skeleton_from_latin,
    skeletons_from_arabic,
)

# Kinds, coarse to fine. Admin units and regions are areas (precision 3); the rest are points.
AREA_KINDS = frozenset({"country", "admin1", "admin2", "admin3", "region"})
MIN_SKELETON = 3
TRANSLIT_COUNTRIES = frozenset({"SY", "IQ"})


@dataclass(slots=True)
class Place:
    name: str
    names: tuple[str, ...]
    lat: float | None
    lon: float | None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    kind: str = "place"
    population: int = 0
    # "lexicon", "geonames", or the name of the import that brought it.
    source: str = "geonames"
    # Imported lists are what analysts trust most: a higher priority wins among equals.
    priority: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["names"] = list(self.names)
        if not self.extra:
            data.pop("extra")
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Place:
        data = dict(data)
        data["names"] = tuple(data.get("names") or ())
        return cls(**data)

    @property
    def is_area(self) -> bool:
        return self.kind in AREA_KINDS


def _strip_leading_prefixes(tokens: list[str], prefixes: frozenset[str]) -> list[str]:
    """ "قرية مشيرفة" is indexed as "مشيرفة" too, the way a query's prefix is stripped."""
    out = list(tokens)
    while len(out) > 1 and out[0] in prefixes:
        out = out[1:]
    return out


def _strip_latin_affixes(tokens: list[str]) -> tuple[str, ...]:
    """ "Ar Raqqah town", "village of Kafr Nabl" are indexed as the bare name too."""
    before, after = prefixes("en")["before"], prefixes("en")["after"]
    out = list(tokens)
    changed = True
    while changed and len(out) > 1:
        changed = False
        for n in (2, 1):
            if len(out) > n and " ".join(out[:n]) in before:
                out, changed = out[n:], True
                break
            if len(out) > n and " ".join(out[-n:]) in after:
                out, changed = out[:-n], True
                break
    return tuple(out)


class Gazetteer:
    def __init__(self, places: Iterable[Place]):
        self.places: list[Place] = list(places)
        self.ar: dict[str, list[int]] = defaultdict(list)
        self.ar_nospace: dict[str, list[int]] = defaultdict(list)
        self.latin: dict[str, list[int]] = defaultdict(list)
        # Cross-script keys: `skeleton` for Latin queries (all names), `skeleton_latin` for Arabic
        # queries (only places with no Arabic name: an Arabic name that did not match exactly is
        # not a transliteration away from another Arabic name).
        self.skeleton: dict[str, list[int]] = defaultdict(list)
        self.skeleton_latin: dict[str, list[int]] = defaultdict(list)
        self.max_tokens = 1
        strip = strippable_prefix_keys()
        for i, place in enumerate(self.places):
            self._index(i, place, strip)
        for table in (self.ar, self.ar_nospace, self.latin, self.skeleton, self.skeleton_latin):
            table.default_factory = None
        # What a scanner needs to stop, in one lookup, at the words that continue no name: every
        # beginning of a name in words ("تل", "تل ابيض"), and in letters for names written without spaces.
        names = [k.split(" ") for k in (*self.ar, *self.latin)]
        self.name_prefixes = frozenset(" ".join(words[:n]) for words in names for n in range(1, len(words) + 1))
        self.nospace_heads = frozenset(k[:n] for k in self.ar_nospace for n in range(2, len(k) + 1))

    def _index(self, i: int, place: Place, prefixes: frozenset[str]) -> None:
        ar_seen: set[str] = set()
        latin_only = not any(has_arabic(n) for n in place.names)
        # Transliteration is for the region's own places, not a Turkish town that sounds alike.
        translit = place.country in TRANSLIT_COUNTRIES or place.source not in ("geonames", "lexicon")
        for name in place.names:
            if has_arabic(name):
                toks = ar_tokens(name)
                ar_seen.add(" ".join(toks))
                if not place.is_area:
                    ar_seen.add(" ".join(_strip_leading_prefixes(toks, prefixes)))
                continue
            full = latin_tokens(name)
            for toks in {tuple(full), _strip_latin_affixes(full)}:
                if not toks:
                    continue
                _add(self.latin, " ".join(toks), i)
                self.max_tokens = max(self.max_tokens, len(toks))
                skel = skeleton_from_latin(" ".join(toks))
                if translit and len(skel) >= MIN_SKELETON:
                    _add(self.skeleton, skel, i)
                    if latin_only:
                        _add(self.skeleton_latin, skel, i)
        ar_seen.discard("")
        for key in ar_seen:
            _add(self.ar, key, i)
            _add(self.ar_nospace, key.replace(" ", ""), i)
            toks = key.split(" ")
            self.max_tokens = max(self.max_tokens, len(toks))
            if translit:
                for skel in skeletons_from_arabic(toks):
                    if len(skel) >= MIN_SKELETON:
                        _add(self.skeleton, skel, i)

    def lookup_ar(self, key: str) -> list[int]:
        return self.ar.get(key) or self.ar_nospace.get(key.replace(" ", "")) or []

    def __len__(self) -> int:
        return len(self.places)


def _add(table: dict[str, list[int]], key: str, i: int) -> None:
    ids = table[key]
    if not ids or ids[-1] != i:
        ids.append(i)
