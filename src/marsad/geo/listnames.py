"""A row of a CSV place list -> a place: "village, district" is the village, inside that district."""

from __future__ import annotations

from typing import Any

from marsad.geo.lexicon import admin1_country, canonical_admin1, canonical_admin2

_KINDS = {"1": "admin1", "2": "admin2", "3": "admin3", "adm1": "admin1", "adm2": "admin2", "adm3": "admin3"}


def place_from_row(row: dict[str, str], cols: dict[str, Any], country: str | None) -> dict[str, Any] | None:
    """The place a row names; None when it has no coordinates (an unlocated entry of a list);
    ValueError when its coordinates are not a point on Earth."""
    from marsad.geo.importers import split_name

    lat, lon = coordinates(row.get(cols["lat"]), row.get(cols["lon"]))
    if lat is None or lon is None:
        return None
    names: list[str] = []
    containers: list[str] = []
    for col in cols["names"]:
        parts = split_name(row.get(col) or "")
        if parts:
            # "Shanina/Haninh village": one place, two spellings.
            names.extend(p.strip() for p in parts[0].split("/") if p.strip())
            containers.extend(parts[1:])
    if not names:
        return None
    admin1 = canonical_admin1(row.get(cols["admin1"])) if cols["admin1"] else None
    admin2 = canonical_admin2(row.get(cols["admin2"]), admin1) if cols["admin2"] else None
    if admin2 is None and containers:
        admin2, container_admin1 = _container_admin(containers, admin1)
        admin1 = admin1 or container_admin1
    kind = _KINDS.get((row.get(cols["kind"]) or "").strip().lower(), "place") if cols["kind"] else "place"
    return {
        "name": names[0],
        "names": list(dict.fromkeys(names)),
        "lat": round(lat, 6),
        "lon": round(lon, 6),
        "country": country or admin1_country(admin1) or _country_of(row),
        "admin1": admin1,
        "admin2": admin2,
        "kind": kind,
        "population": 0,
        # How many rows of the list name it (an incident list names a busy place often).
        "extra": {"rows": 1, **({"containers": containers} if containers else {})},
    }


def coordinates(lat_text: str | None, lon_text: str | None) -> tuple[float | None, float | None]:
    """(lat, lon) from two cells; (None, None) when either is blank; ValueError naming the bad one."""
    if not (lat_text or "").strip() or not (lon_text or "").strip():
        return None, None
    values = []
    for what, text, limit in (("latitude", lat_text, 90.0), ("longitude", lon_text, 180.0)):
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{what} {text!r} is not a number") from None
        if not -limit <= value <= limit:
            raise ValueError(f"{what} {value} is out of range")
        values.append(value)
    return values[0], values[1]


def _container_admin(containers: list[str], admin1: str | None) -> tuple[str | None, str | None]:
    """The district a container names ("منطقة جبلة", "Jableh District"), if it is one in that governorate."""
    from marsad.geo import default_resolver

    resolver = default_resolver()
    for text in containers:
        loc = resolver.resolve(text, context=(admin1,) if admin1 else ())
        if loc and loc.admin2 and (admin1 is None or loc.admin1 == admin1):
            return loc.admin2, loc.admin1
        if loc and admin1 is None and loc.geo_precision == 3:
            return None, loc.admin1
    return None, None


def _country_of(row: dict[str, str]) -> str | None:
    value = (row.get("country") or "").strip().upper()
    return {"SYR": "SY", "IRQ": "IQ", "SYRIA": "SY", "IRAQ": "IQ"}.get(value, value if len(value) == 2 else None)
