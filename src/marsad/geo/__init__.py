"""Places: the gazetteer (embedded default + imported) and the resolver.

    from marsad.geo import default_resolver
    default_resolver().resolve("ريف إدلب الجنوبي")      # Location(admin1="Idleb", geo_precision=3, ...)
    default_resolver().find("قصف على بلدة كفرنبل بريف إدلب")  # [PlaceMention(...), ...]

`resolver_for(engine)` adds the places imported into that database (`marsad gazetteer import`).
"""

from __future__ import annotations

from functools import cache

from marsad.geo.gazetteer import Gazetteer, Place
from marsad.geo.resolver import PlaceMention, PlaceResolver

__all__ = ["Place", "PlaceMention", "PlaceResolver", "default_resolver", "resolver_for"]


@cache
def default_resolver() -> PlaceResolver:
    from marsad.geo.default import default_places
    from marsad.geo.lexicon import stopwords

    return PlaceResolver(Gazetteer(default_places()), stopwords())


def resolver_for(engine) -> PlaceResolver:
    """The default gazetteer plus what was imported into this database (cached per database state)."""
    from marsad.geo.imported import resolver_for_engine

    return resolver_for_engine(engine)
