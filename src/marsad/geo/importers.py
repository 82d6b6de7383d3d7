"""`marsad gazetteer import`: the gazetteer files analysts have, read into places and boundaries.

- GeoNames dumps: a country file (`SY.txt`, `allCountries.txt`: 19 tab-separated columns) and
  `alternateNamesV2.txt` (adds names to the GeoNames places imported before it);
- OCHA common operational datasets: admin boundaries as GeoJSON (ADMn_EN / ADMn_AR / ADMn_PCODE,
  or the adm3_name / adm3_name1 variant), and their CSV derivatives (gazetteer, centroids);
- CSV place lists: name, lat, lon and admin columns, named by options or guessed.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine

from marsad.geo.lexicon import admin1_country, canonical_admin1, geonames_admin1
from marsad.geo.listnames import coordinates
from marsad.store.gazetteer import load_places, save_import

# Imported places outrank the embedded ones (an analyst imported them for a reason).
PRIORITY = {"geonames": 1, "ocha": 1, "csv": 1}
_COUNTRY3 = {"SYR": "SY", "IRQ": "IQ"}
_BOUNDARY_LEVELS = (1, 2)
Opener = Callable[..., IO[str]]
_SIMPLIFY_DEGREES = 0.001  # ~100 m: plenty for admin lookup, a tenth of the storage


class ImportError_(ValueError):
    """A file marsad cannot read as a gazetteer."""


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        return "geojson"
    if suffix == ".csv":
        return "csv"
    if suffix == ".txt":
        with open(path, encoding="utf-8") as fh:
            first = fh.readline().rstrip("\n").split("\t")
        if len(first) >= 19:
            return "geonames"
        if 4 <= len(first) <= 10 and first[0].isdigit() and first[1].isdigit():
            return "geonames_alternates"
    raise ImportError_(f"{path.name}: not a GeoNames dump, GeoJSON or CSV file")


def import_file(
    engine: Engine, path: str | Path, name: str | None = None, opener: Opener = open, **options: Any
) -> dict[str, Any]:
    """Import one file into the database's gazetteer, in one transaction; returns {"name", "format",
    "places", "boundaries", "problems": [(line, reason), ...] of rows left out, "unlocated": rows
    without coordinates}. `opener` opens the file for reading (the CLI's shows progress)."""
    path = Path(path)
    fmt = options.pop("format", None) or detect_format(path)
    name = name or path.name
    boundaries: list[dict[str, Any]] = []
    problems: list[tuple[int, str]] = []
    unlocated = 0
    if fmt == "geojson":
        places, boundaries = read_geojson(path, opener)
    elif fmt == "geonames":
        country = options.get("country")
        places = [p for p in read_geonames(path, problems, opener) if not country or p["country"] == country.upper()]
    elif fmt == "geonames_alternates":
        name, places = _with_alternates(engine, path, opener)
        fmt = "geonames"
    elif fmt == "csv":
        places, unlocated = read_csv(path, problems=problems, opener=opener, **options)
    else:
        raise ImportError_(f"unknown format {fmt!r}")
    save_import(engine, name, fmt, places, boundaries, path=str(path))
    return {
        "name": name,
        "format": fmt,
        "places": len(places),
        "boundaries": len(boundaries),
        "problems": problems,
        "unlocated": unlocated,
    }


# -- GeoNames -------------------------------------------------------------------------------------
def read_geonames(path: Path, problems: list[tuple[int, str]], opener: Opener = open) -> Iterator[dict[str, Any]]:
    """Populated places, areas, landmarks, sites and terrain (not hydrography etc.); a malformed row is
    added to `problems` with its line number and left out."""
    codes = geonames_admin1()
    with opener(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            f = line.rstrip("\n").split("\t")
            if len(f) < 19:
                if line.strip():
                    problems.append((lineno, f"{len(f)} tab-separated fields; a GeoNames row has 19"))
                continue
            if f[6] not in ("P", "A", "L", "S", "T"):
                continue
            try:
                lat, lon = coordinates(f[4], f[5])
                population = int(f[14] or 0)
            except ValueError as exc:
                problems.append((lineno, str(exc)))
                continue
            if lat is None or lon is None:
                problems.append((lineno, "no coordinates"))
                continue
            names = [f[1], f[2], *(n for n in f[3].split(",") if n)]
            yield {
                "name": f[1],
                "names": list(dict.fromkeys(n for n in names if n)),
                "lat": lat,
                "lon": lon,
                "country": f[8] or None,
                "admin1": codes.get((f[8], f[10])),
                "kind": _geonames_kind(f[6], f[7]),
                "population": population,
                "priority": PRIORITY["geonames"],
                "extra": {"geonameid": int(f[0])},
            }


def _geonames_kind(feature_class: str, code: str) -> str:
    if code == "ADM1":
        return "admin1"
    if code == "ADM2":
        return "admin2"
    if code in ("ADM3", "ADM4"):
        return "admin3"
    if feature_class == "P":
        return "place"
    return "region" if feature_class in ("A", "L", "T") else "site"


def _with_alternates(engine: Engine, path: Path, opener: Opener = open) -> tuple[str, list[dict[str, Any]]]:
    """Alternate names join the GeoNames places already imported (the whole file is streamed once)."""
    stored = load_places(engine, formats=["geonames"])
    by_id = {p["extra"]["geonameid"]: p for p in stored if (p.get("extra") or {}).get("geonameid")}
    if not by_id:
        raise ImportError_("import a GeoNames country file (e.g. SY.txt) before alternateNamesV2.txt")
    with opener(path, encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) < 4 or not f[1].isdigit() or f[2] in ("link", "post", "iata", "icao", "faac", "wkdt"):
                continue
            place = by_id.get(int(f[1]))
            if place is not None and f[3] not in place["names"]:
                place["names"].append(f[3])
    return path.name, list(by_id.values())


# -- OCHA GeoJSON ---------------------------------------------------------------------------------
def read_geojson(path: Path, opener: Opener = open) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from shapely.geometry import mapping, shape

    with opener(path, encoding="utf-8") as fh:
        data = json.load(fh)
    places, boundaries = [], []
    for feature in data.get("features", []):
        props = {k.lower(): v for k, v in (feature.get("properties") or {}).items()}
        level = _admin_level(props)
        if level is None or not feature.get("geometry"):
            continue
        geom = shape(feature["geometry"])
        admin1 = canonical_admin1(_prop(props, 1, "en"))
        admin2 = _prop(props, 2, "en") if level >= 2 else None
        country = _country(props, admin1)
        point = geom.representative_point()
        lat = _float(props.get("center_lat")) or round(point.y, 5)
        lon = _float(props.get("center_lon")) or round(point.x, 5)
        names = [_prop(props, level, "en"), _prop(props, level, "ar"), *_alternates(props, level)]
        names = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
        if not names:
            continue
        places.append(
            {
                "name": names[0],
                "names": names,
                "lat": lat,
                "lon": lon,
                "country": country,
                "admin1": admin1,
                "admin2": admin2,
                "kind": f"admin{min(level, 3)}",
                "priority": PRIORITY["ocha"],
                "extra": {"pcode": _prop(props, level, "pcode")},
            }
        )
        if level in _BOUNDARY_LEVELS:
            simple = geom.simplify(_SIMPLIFY_DEGREES, preserve_topology=True)
            boundaries.append(
                {
                    "level": level,
                    "pcode": _prop(props, level, "pcode"),
                    "country": country,
                    "admin1": admin1,
                    "admin2": admin2,
                    "geometry": json.dumps(mapping(simple)),
                }
            )
    return places, boundaries


def _admin_level(props: dict[str, Any]) -> int | None:
    for level in (4, 3, 2, 1):
        if _prop(props, level, "en"):
            return level
    return None


def _prop(props: dict[str, Any], level: int, what: str) -> str | None:
    """ADM2_EN / ADM2_AR / ADM2_PCODE, or the adm2_name / adm2_name1 / adm2_pcode variant."""
    keys = {
        "en": (f"adm{level}_en", f"adm{level}_name"),
        "ar": (f"adm{level}_ar", f"adm{level}_name1"),
        "pcode": (f"adm{level}_pcode",),
    }[what]
    for key in keys:
        value = props.get(key)
        if value:
            return str(value)
    return None


def _alternates(props: dict[str, Any], level: int) -> list[str]:
    keys = (f"adm{level}_ref", f"adm{level}_ref_n", f"adm{level}alt1en", f"adm{level}alt2en",
            f"adm{level}alt1ar", f"adm{level}alt2ar")  # fmt: skip
    return [str(props[k]) for k in keys if props.get(k)]


def _country(props: dict[str, Any], admin1: str | None) -> str | None:
    code = props.get("adm0_pcode") or props.get("adm0_code")
    if code:
        return _COUNTRY3.get(str(code), str(code)[:2].upper())
    pcode = _prop(props, 1, "pcode") or ""
    return _COUNTRY3.get(pcode[:3]) or ("SY" if pcode.startswith("SY") else None) or admin1_country(admin1)


def _float(value: Any) -> float | None:
    try:
        return round(float(value), 5) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


# -- CSV place lists ------------------------------------------------------------------------------
_NAME_GUESS = ("name_ar", "name_en", "name_alt_en", "location_ar", "location_en", "name", "alt_names",
               "where_coordinates", "place", "location")  # fmt: skip
_LAT_GUESS = ("lat", "latitude", "centroid_lat", "y")
_LON_GUESS = ("lon", "lng", "longitude", "centroid_lon", "x")
_ADMIN1_GUESS = ("admin1", "admin1_ocha", "adm1_en", "adm_1", "governorate", "province")
_ADMIN2_GUESS = ("admin2", "adm2_en", "adm_2", "district")
_KIND_GUESS = ("kind", "level")


def read_csv(
    path: Path,
    name_columns: list[str] | None = None,
    lat_column: str | None = None,
    lon_column: str | None = None,
    admin1_column: str | None = None,
    admin2_column: str | None = None,
    country: str | None = None,
    problems: list[tuple[int, str]] | None = None,
    opener: Opener = open,
) -> tuple[list[dict[str, Any]], int]:
    """One place per row that has a name and coordinates; "village, district" names become the
    village, inside that district. Rows naming the same place at the same point are merged.
    Returns the places and the number of rows without coordinates; rows whose coordinates are not
    a point go to `problems` with their line number."""
    from marsad.geo.listnames import place_from_row

    with opener(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        cols = {
            "names": name_columns or [c for c in _NAME_GUESS if c in header],
            "lat": lat_column or _guess(header, _LAT_GUESS),
            "lon": lon_column or _guess(header, _LON_GUESS),
            "admin1": admin1_column or _guess(header, _ADMIN1_GUESS),
            "admin2": admin2_column or _guess(header, _ADMIN2_GUESS),
            "kind": _guess(header, _KIND_GUESS),
        }
        missing = [c for c in (*cols["names"], cols["lat"], cols["lon"]) if c and c not in header]
        if missing or not cols["names"] or not cols["lat"] or not cols["lon"]:
            raise ImportError_(
                f"{path.name}: need name, latitude and longitude columns (have {', '.join(header)}); "
                "name them with --name-column, --lat-column, --lon-column"
            )
        merged: dict[tuple, dict[str, Any]] = {}
        unlocated = 0
        for row in reader:
            try:
                place = place_from_row(row, cols, country)
            except ValueError as exc:
                if problems is not None:
                    problems.append((reader.line_num, str(exc)))
                continue
            if place is None:
                unlocated += 1
                continue
            key = (place["name"], round(place["lat"], 2), round(place["lon"], 2))
            if key in merged:
                seen = merged[key]
                seen["names"] = list(dict.fromkeys(seen["names"] + place["names"]))
                seen["extra"]["rows"] += 1
            else:
                place["priority"] = PRIORITY["csv"]
                merged[key] = place
        return list(merged.values()), unlocated


def _guess(header: list[str], options: tuple[str, ...]) -> str | None:
    lowered = {h.lower(): h for h in header}
    for option in options:
        if option in lowered:
            return lowered[option]
    return None


def split_name(value: str) -> list[str]:
    """ "village, district (note)" -> ["village", "district", "note"]; "a/b" stays one part."""
    return [p.strip() for p in re.split(r"[,،;؛()]", value) if p and p.strip()]
