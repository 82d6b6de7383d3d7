"""Other datasets' formats as data: ACLED's and UCDP GED's columns and codes, HXL hashtags, and the
crosswalk between marsad's actor ids and the actor names those datasets use (`data/*.yaml`).

The exporters write with it and the reference importers read with it, so both directions agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

LAYOUTS = ("marsad", "acled", "ucdp")


@cache
def layout(name: str) -> dict[str, Any]:
    """The format description of `data/<name>.yaml` (columns, hxl, code maps)."""
    if name not in LAYOUTS:
        raise ValueError(f"unknown column layout {name!r}: expected one of {', '.join(LAYOUTS)}")
    text = resources.files("marsad.formats").joinpath(f"data/{name}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass(frozen=True)
class Actor:
    id: str
    acled: str
    ucdp: str
    acled_inter: int
    state: str | None
    civilian: bool
    patterns: tuple[re.Pattern[str], ...]


@cache
def actors() -> dict[str, Actor]:
    text = resources.files("marsad.formats").joinpath("data/actors.yaml").read_text(encoding="utf-8")
    found = {}
    for actor_id, entry in yaml.safe_load(text)["actors"].items():
        patterns = tuple(re.compile(rf"(?<![\w-]){re.escape(p)}(?![\w-])", re.I) for p in entry.get("import") or [])
        found[actor_id] = Actor(
            actor_id,
            entry["acled"],
            entry["ucdp"],
            int(entry["acled_inter"]),
            entry.get("state"),
            bool(entry.get("civilian")),
            patterns,
        )
    return found


def actor(actor_id: str | None) -> Actor:
    """The crosswalk entry of a marsad actor id; an id it does not list is 'other'."""
    known = actors()
    return known.get(actor_id or "unknown") or known["other"]


def actor_ids(name: str | None) -> list[str]:
    """marsad ids of the actors an ACLED actor or UCDP side names ("Ahrar al-Sham, HTS" -> both).

    A name that matches no pattern is 'other': an armed group marsad has no id for."""
    found: list[str] = []
    for part in (name or "").split(","):
        part = part.strip()
        if not part:
            continue
        hit = next((a.id for a in actors().values() if any(p.search(part) for p in a.patterns)), "other")
        if hit not in found:
            found.append(hit)
    return found
