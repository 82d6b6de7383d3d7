"""Map outlines: OCHA governorates when a gazetteer import stored them, over the vendored country outlines.

Imported boundaries are simplified (about 1 km) once per import state, so the map stays light.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from sqlalchemy import Engine

from marsad.store.gazetteer import gazetteer_state, load_boundaries

COUNTRY_OUTLINES = "vendor/world-atlas/countries.geojson"
SIMPLIFY_DEGREES = 0.01
_admin1_cache: dict[tuple[str, tuple[int, int]], list[dict[str, Any]]] = {}


@lru_cache(maxsize=1)
def country_outlines() -> tuple[dict[str, Any], ...]:
    """Natural Earth countries (world-atlas, ISC): Syria and Iraq, and their neighbours for context."""
    path = resources.files("marsad.api") / "static" / COUNTRY_OUTLINES
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    for feature in features:
        props = feature["properties"]
        props["level"] = "country"
        props["focus"] = props.get("iso2") in ("SY", "IQ")
    return tuple(features)


def _admin1_feature(boundary: dict[str, Any]) -> dict[str, Any] | None:
    try:
        geometry = shape(json.loads(boundary["geometry"]))
    except (ValueError, TypeError, KeyError, AttributeError, shapely.errors.ShapelyError):
        return None  # one unreadable polygon should not take the map down
    simplified = shapely.set_precision(shapely.simplify(geometry, SIMPLIFY_DEGREES, preserve_topology=True), 0.001)
    return {
        "type": "Feature",
        "properties": {
            "level": "admin1",
            "name": boundary.get("admin1"),
            "country": boundary.get("country"),
            "pcode": boundary.get("pcode"),
        },
        "geometry": json.loads(json.dumps(mapping(simplified))),
    }


def admin1_outlines(engine: Engine) -> list[dict[str, Any]]:
    key = (str(engine.url), gazetteer_state(engine))
    if key not in _admin1_cache:
        features = [_admin1_feature(b) for b in load_boundaries(engine) if b.get("level") == 1]
        _admin1_cache.clear()
        _admin1_cache[key] = [f for f in features if f is not None]
    return _admin1_cache[key]


def outlines(engine: Engine) -> dict[str, Any]:
    admin1 = admin1_outlines(engine)
    return {
        "type": "FeatureCollection",
        "source": "ocha-import+world-atlas" if admin1 else "world-atlas",
        "features": [*country_outlines(), *admin1],
    }
