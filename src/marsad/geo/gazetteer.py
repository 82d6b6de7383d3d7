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

from marsad.geo.lexicon import prefix_keys
from marsad.geo.normalize import (
    ar_tokens,
    has_arabic,
    latin_tokens,
    skeleton_from_latin,
    skeletons_from_arabic,
)

# Kinds, coarse to fine. Admin units and regions are areas (precision 3); the rest are points.
AREA_KINDS = frozenset({"country", "admin1", "admin2", "admin3", "region"})
MIN_SKELETON = 4


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
    """"قرية مشيرفة" is indexed as "مشيرفة" too, the way a query's prefix is stripped."""
    out = list(tokens)
    while len(out) > 1 and out[0] in prefixes:
        out = out[1:]
    return out


class Gazetteer:
    def __init__(self, places: Iterable[Place]):
        self.places: list[Place] = list(places)
        self.ar: dict[str, list[int]] = defaultdict(list)
        self.ar_nospace: dict[str, list[int]] = defaultdict(list)
        self.latin: dict[str, list[int]] = defaultdict(list)
        self.skeleton: dict[str, list[int]] = defaultdict(list)
        self.max_tokens = 1
        prefixes = prefix_keys()
        for i, place in enumerate(self.places):
            self._index(i, place, prefixes)
        for table in (self.ar, self.ar_nospace, self.latin, self.skeleton):
            table.default_factory = None

    def _index(self, i: int, place: Place, prefixes: frozenset[str]) -> None:
        ar_seen: set[str] = set()
        for name in place.names:
            if has_arabic(name):
                toks = ar_tokens(name)
                for variant in (toks, _strip_leading_prefixes(toks, prefixes)):
                    if variant:
                        ar_seen.add(" ".join(variant))
            else:
                toks = latin_tokens(name)
                if toks:
                    _add(self.latin, " ".join(toks), i)
                    self.max_tokens = max(self.max_tokens, len(toks))
                    skel = skeleton_from_latin(name)
                    if len(skel) >= MIN_SKELETON:
                        _add(self.skeleton, skel, i)
        for key in ar_seen:
            _add(self.ar, key, i)
            _add(self.ar_nospace, key.replace(" ", ""), i)
            toks = key.split(" ")
            self.max_tokens = max(self.max_tokens, len(toks))
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
