"""Other spellings of a village, looked for inside the district or governorate named with it."""

from __future__ import annotations

import csv
import random

import pytest

from conftest import DATA, need
from marsad.geo import default_resolver, resolver_for
from marsad.geo.fuzzy import name_key, twin_base, weak_edit
from marsad.geo.importers import import_file
from marsad.geo.lexicon import admin_units
from marsad.geo.normalize import ar_key, has_arabic
from marsad.geo.resolver import distance_km
from marsad.store import connect

AIRWARS = DATA / "geo" / "airwars_geocode_dev.csv"


def test_only_weak_letters_and_merged_consonants_may_differ():
    assert weak_edit(ar_key("عنجارة"), ar_key("عينجارة"), 1)  # a long vowel written or not
    assert weak_edit(ar_key("مديرة"), ar_key("مديرا"), 1)  # the ending
    assert weak_edit(ar_key("أم حرمل").replace(" ", ""), ar_key("أم حرملة").replace(" ", ""), 1)
    assert weak_edit(ar_key("الجردي"), ar_key("الجرذي"), 1)  # ذ spoken and written د
    assert not weak_edit(ar_key("حسين"), ar_key("حطين"), 1)  # another consonant: another village
    assert not weak_edit(ar_key("مشرفة"), ar_key("مشيرفة"), 1)  # a diminutive is another name
    assert not weak_edit(ar_key("كفرنايا"), ar_key("كفرناها"), 1)  # ه/ي inside the word


def test_name_key_is_the_first_name_without_the_words_before_it():
    assert name_key("قرية عين جارة، منطقة جبل سمعان") == "عينجاره"
    assert name_key("Kafr Nabl") == ""
    assert name_key("مدرسة الفردوس") == ""  # a school's name is not a village's


@pytest.fixture(scope="module")
def villages():
    """Embedded settlements of Syria with a one-word Arabic name holding a long vowel inside."""
    resolver = default_resolver()
    out = []
    for place in resolver.gazetteer.places:
        if place.is_area or place.country != "SY" or not place.admin1 or place.lat is None:
            continue
        for name in place.names:
            key = ar_key(name) if has_arabic(name) else ""
            if " " not in key and len(key) >= 6 and "ي" in key[3:-1]:
                out.append((key, place))
                break
    return out


def test_a_village_spelled_without_a_long_vowel_is_found_in_the_governorate_named(villages):
    resolver = default_resolver()
    sample = random.Random(7).sample(villages, min(60, len(villages)))
    found = unknown = 0
    for key, place in sample:
        pos = key.index("ي", 3)
        variant = key[:pos] + key[pos + 1 :]
        if resolver.resolve(variant) is not None:
            continue  # the variant is itself a name somewhere
        unknown += 1
        loc = resolver.resolve(variant, context=[place.admin1])
        if loc is not None:
            assert loc.admin1 == place.admin1
            assert distance_km(loc.lat, loc.lon, place.lat, place.lon) <= 5.0, (variant, key, loc)
            found += 1
    assert unknown >= 20
    # Not all: where two villages of the governorate are that close in spelling, none is chosen.
    assert found >= 0.7 * unknown


def test_the_governorate_named_after_the_village_serves_as_context(villages):
    resolver = default_resolver()
    governorates = {u.admin1: u.names_ar[0] for u in admin_units() if u.kind == "admin1" and u.names_ar}
    found = tried = 0
    for key, place in random.Random(8).sample(villages, min(60, len(villages))):
        pos = key.index("ي", 3)
        variant = key[:pos] + key[pos + 1 :]
        if resolver.resolve(variant) is not None or place.admin1 not in governorates:
            continue
        tried += 1
        loc = resolver.resolve(f"{variant}، محافظة {governorates[place.admin1]}")
        assert loc is not None and loc.admin1 == place.admin1
        found += loc.geo_precision == 1 and distance_km(loc.lat, loc.lon, place.lat, place.lon) <= 5.0
    assert tried >= 20 and found >= 0.7 * tried


def test_airwars_phrases_naming_a_container_resolve_in_the_right_governorate():
    """ "village, district", "quarter, city": the village itself, another spelling of it inside the
    container, or the container."""
    with open(need(AIRWARS), encoding="utf-8") as fh:
        rows = [
            r for r in csv.DictReader(fh) if r["admin1_ocha"] and ("," in r["location_ar"] or "،" in r["location_ar"])
        ]
    resolver = default_resolver()
    resolved = [(row, resolver.resolve(row["location_ar"])) for row in rows]
    resolved = [(row, loc) for row, loc in resolved if loc is not None]
    assert len(resolved) >= 30
    right = sum(loc.admin1 == row["admin1_ocha"] for row, loc in resolved)
    assert right >= 0.9 * len(resolved)


def test_a_far_village_named_with_a_known_one_gives_the_known_one(tmp_path):
    """ "العباس و هجين": OCHA's only العباس is a quarter of Damascus, 400 km from Hajin."""
    engine = connect(f"sqlite:///{tmp_path / 'ocha.db'}")
    import_file(engine, need(DATA / "geo" / "syr_gazetteer_ocha.csv"))
    resolver = resolver_for(engine)
    alone, partner = resolver.resolve("العباس"), resolver.resolve("هجين")
    assert alone is not None and partner is not None
    assert distance_km(alone.lat, alone.lon, partner.lat, partner.lon) > 60
    both = resolver.resolve("العباس و هجين")
    assert (both.name, both.geo_precision) == (partner.name, 2)
    # Two cities named together are both meant: the first is kept.
    assert resolver.resolve("دمشق وحلب").name == resolver.resolve("دمشق").name


@pytest.fixture(scope="module")
def long_villages(villages):
    """Those whose name, without the long vowel, still has 6 letters or more."""
    return [(key, place) for key, place in villages if len(key) >= 7]


def test_a_long_name_is_found_without_context_when_one_place_answers(long_villages):
    resolver = default_resolver()
    found = unknown = 0
    for key, place in random.Random(9).sample(long_villages, min(60, len(long_villages))):
        pos = key.index("ي", 3)
        variant = key[:pos] + key[pos + 1 :]
        if resolver.scanner.scan(variant, translit=True, strict=False):
            continue  # the variant is itself a name somewhere
        unknown += 1
        loc = resolver.resolve(variant)
        if loc is not None:
            assert distance_km(loc.lat, loc.lon, place.lat, place.lon) <= 5.0, (variant, key, loc)
            found += 1
    assert unknown >= 15 and found >= 0.7 * unknown


def test_a_short_name_is_not_guessed_without_context(villages):
    resolver = default_resolver()
    tried = 0
    for key, _place in villages:
        pos = key.index("ي", 3)
        variant = key[:pos] + key[pos + 1 :]
        if len(variant) >= 6 or resolver.scanner.scan(variant, translit=True, strict=False):
            continue
        tried += 1
        assert resolver.resolve(variant) is None, (variant, key)
    assert tried >= 5


def test_a_twin_village_named_bare_gives_a_place_near_its_twin():
    """ "صورة" for "الصورة الصغرى", "كويرس" for "كويرس شرقي": twins lie a few km apart; not "عين"
    for "عين الشرقية", a word that begins a thousand names."""
    resolver = default_resolver()
    tried = found = 0
    for place in resolver.gazetteer.places:
        if place.is_area or place.country not in ("SY", "IQ") or place.lat is None:
            continue
        for tokens in (ar_key(n).split(" ") for n in place.names if has_arabic(n)):
            if len(tokens) < 2 or twin_base(tokens) != "".join(tokens[:-1]):
                continue
            bare = " ".join(tokens[:-1])
            if resolver.scanner.scan(bare, translit=True, strict=False):
                continue  # the bare name is a place of its own
            tried += 1
            loc = resolver.resolve(bare)
            if tokens[:-1] in (["عين"], ["دير"]):
                assert loc is None, bare
            elif loc is not None:
                assert loc.geo_precision == 2 and distance_km(loc.lat, loc.lon, place.lat, place.lon) <= 10.0
                found += 1
            break
    assert tried >= 5 and found >= 0.6 * tried
