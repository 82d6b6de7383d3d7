"""Vendor the dashboard's fallback country outlines from the npm package world-atlas (ISC, Natural Earth).

Run from the repo root:  python scripts/vendor_outlines.py
It packs world-atlas with `npm pack` into a temporary folder, decodes the TopoJSON of Syria, Iraq and
their neighbours into GeoJSON, and writes it with the package's LICENSE under api/static/vendor/world-atlas/.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

VERSION = "2.0.2"
# ISO 3166-1 numeric ids: Syria and Iraq are the study area, the rest are drawn for context.
COUNTRIES = {
    "760": "SY",
    "368": "IQ",
    "792": "TR",
    "400": "JO",
    "422": "LB",
    "376": "IL",
    "275": "PS",
    "682": "SA",
    "364": "IR",
    "414": "KW",
    "196": "CY",
}
OUT = Path(__file__).resolve().parents[1] / "src" / "marsad" / "api" / "static" / "vendor" / "world-atlas"


def decode_arcs(topology: dict) -> list[list[list[float]]]:
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append([round(x * scale[0] + translate[0], 4), round(y * scale[1] + translate[1], 4)])
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs: list[list[list[float]]]) -> list[list[float]]:
    points: list[list[float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def geometry(obj: dict, arcs: list) -> dict:
    if obj["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r, arcs) for r in obj["arcs"]]}
    return {"type": "MultiPolygon", "coordinates": [[ring(r, arcs) for r in poly] for poly in obj["arcs"]]}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"world-atlas@{VERSION}"], cwd=tmp, check=True, capture_output=True)
        with tarfile.open(next(Path(tmp).glob("world-atlas-*.tgz"))) as tar:
            tar.extractall(tmp, filter="data")
        package = Path(tmp) / "package"
        topology = json.loads((package / "countries-50m.json").read_text())
        arcs = decode_arcs(topology)
        features = [
            {
                "type": "Feature",
                "properties": {"iso2": COUNTRIES[g["id"]], "name": g["properties"]["name"]},
                "geometry": geometry(g, arcs),
            }
            for g in topology["objects"]["countries"]["geometries"]
            if g.get("id") in COUNTRIES
        ]
        OUT.mkdir(parents=True, exist_ok=True)
        collection = {"type": "FeatureCollection", "features": features}
        (OUT / "countries.geojson").write_text(json.dumps(collection, separators=(",", ":")))
        shutil.copy(package / "LICENSE", OUT / "LICENSE")
        (OUT / "SOURCE").write_text(
            f"world-atlas {VERSION} (npm), countries-50m.json, Natural Earth data; ISC licence (LICENSE).\n"
            "Decoded to GeoJSON for the countries listed in scripts/vendor_outlines.py.\n"
        )


if __name__ == "__main__":
    main()
