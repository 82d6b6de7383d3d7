"""The resolver of one database: the embedded places plus those imported into it.

Imported admin boundaries, when present, set admin1/admin2 of every point by point-in-polygon.
Resolvers are cached per database URL and rebuilt when an import changes the gazetteer.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from typing import Any

from sqlalchemy import Engine

from marsad.geo.gazetteer import Gazetteer, Place
from marsad.geo.lexicon import canonical_admin1, stopwords
from marsad.geo.resolver import PlaceResolver
from marsad.store.gazetteer import gazetteer_state, load_boundaries, load_places

_cache: dict[str, tuple[tuple[int, int], PlaceResolver]] = {}
_lock = threading.Lock()


def resolver_for_engine(engine: Engine) -> PlaceResolver:
    from marsad.geo import default_resolver

    state = gazetteer_state(engine)
    key = str(engine.url)
    with _lock:
        hit = _cache.get(key)
        if hit and hit[0] == state:
            return hit[1]
    resolver = default_resolver() if state[0] == 0 else _build(engine)
    with _lock:
        _cache[key] = (state, resolver)
    return resolver


def _build(engine: Engine) -> PlaceResolver:
    from marsad.geo import default_resolver

    base = default_resolver().gazetteer.places
    imported = [_place(row) for row in load_places(engine)]
    places = [*base, *imported]
    boundaries = load_boundaries(engine)
    if boundaries:
        places = assign_admin(places, boundaries)
    return PlaceResolver(Gazetteer(places), stopwords())


def _place(row: dict[str, Any]) -> Place:
    return Place(
        name=row["name"],
        names=tuple(row["names"] or (row["name"],)),
        lat=row["lat"],
        lon=row["lon"],
        country=row["country"],
        admin1=canonical_admin1(row["admin1"]),
        admin2=row["admin2"],
        kind=row["kind"],
        population=row["population"] or 0,
        source=row["source"],
        priority=row["priority"] or 0,
        extra=row.get("extra") or {},
    )


def assign_admin(places: list[Place], boundaries: list[dict[str, Any]]) -> list[Place]:
    """Admin1/admin2 of every point inside an imported boundary, by point-in-polygon.

    Admin units and regions of the lexicon keep theirs (their point is only a centre)."""
    import numpy as np
    import shapely
    from shapely.geometry import shape

    out = list(places)
    points_idx = [i for i, p in enumerate(places) if p.lat is not None and p.kind not in ("admin1", "country")]
    if not points_idx:
        return out
    pts = shapely.points(np.array([[places[i].lon, places[i].lat] for i in points_idx]))
    for level in (1, 2):
        polys = [b for b in boundaries if b["level"] == level]
        if not polys:
            continue
        geoms = [shape(json.loads(b["geometry"])) for b in polys]
        tree = shapely.STRtree(geoms)
        pt_i, poly_i = tree.query(pts, predicate="within")
        for k, g in zip(pt_i.tolist(), poly_i.tolist(), strict=True):
            i = points_idx[k]
            place, b = out[i], polys[g]
            if place.source == "lexicon" and place.kind in ("admin2", "region") and level == 1:
                continue
            if level == 1:
                out[i] = replace(place, admin1=b["admin1"], country=b["country"] or place.country)
            elif place.kind != "admin1" and not (place.source == "lexicon" and place.kind == "region"):
                out[i] = replace(place, admin2=b["admin2"], admin1=b["admin1"] or place.admin1)
    return out
