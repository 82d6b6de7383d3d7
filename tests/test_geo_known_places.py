"""The hand-written town list (geo/data/known_places.tsv) against OCHA's boundaries.

Its coordinates are approximate, written from general knowledge: each must at least fall inside the
governorate (and the district, where the entry names one) that the entry states, as OCHA draws them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.geo.lexicon import canonical_admin1, canonical_admin2, known_places

shapely_geometry = pytest.importorskip("shapely.geometry")
shapely_prepared = pytest.importorskip("shapely.prepared")

GEO = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "geo"
COUNTRY_FILES = {"SY": "syr", "IQ": "irq"}


def _polygons(level: int) -> dict[tuple[str, str | None], object]:
    """(country, admin1) -> polygon for level 1; (country, admin1, admin2) -> polygon for level 2."""
    out = {}
    for country, prefix in COUNTRY_FILES.items():
        path = GEO / f"{prefix}_adm{level}_ocha.geojson"
        if not path.exists():
            pytest.skip(f"OCHA boundaries not found at {path}")
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            props = feature["properties"]
            admin1 = canonical_admin1(props["ADM1_EN"])
            key = (country, admin1) if level == 1 else (country, admin1, canonical_admin2(props["ADM2_EN"], admin1))
            out[key] = shapely_prepared.prep(shapely_geometry.shape(feature["geometry"]))
    return out


def test_every_known_place_lies_in_its_stated_governorate_and_district():
    admin1_polygons = _polygons(1)
    admin2_polygons = _polygons(2)
    places = [p for p in known_places() if p.country in COUNTRY_FILES]
    assert len(places) > 100
    wrong = []
    for place in places:
        point = shapely_geometry.Point(place.lon, place.lat)
        name = place.names_en[0]
        polygon = admin1_polygons.get((place.country, place.admin1))
        if polygon is None:
            wrong.append(f"{name}: unknown governorate {place.admin1!r}")
        elif not polygon.contains(point):
            wrong.append(f"{name}: ({place.lat}, {place.lon}) is not in {place.admin1}")
        if place.admin2:
            district = admin2_polygons.get((place.country, place.admin1, place.admin2))
            if district is None or not district.contains(point):
                wrong.append(f"{name}: ({place.lat}, {place.lon}) is not in district {place.admin2}")
    assert not wrong, "\n".join(wrong)


def test_known_places_have_names_in_both_scripts_and_no_duplicates():
    seen = set()
    for place in known_places():
        assert place.names_ar and place.names_en, place
        key = (place.names_ar[0], place.admin1)
        assert key not in seen, f"duplicate entry {key}"
        seen.add(key)
