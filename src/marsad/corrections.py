"""An analyst's corrections to a record, as data: a mapping of field paths to values.

`{"killed.best": 5, "perpetrator": "isis"}` is applied over whatever the machine extracted, so a
correction outlives re-extraction: the new machine record gets the same corrections, and the paths
whose machine value moved underneath them are reported (the record is then flagged for another look).
Pure functions over SCHEMA.md dicts; the store and the review API both use them.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

from marsad.model import ACTORS, DATE_PRECISIONS, EVENT_TYPES, RECORD_KINDS, SUB_EVENT_TYPES, Record

BOUNDS = ("low", "best", "high")
COUNT_FIELDS = ("killed", "wounded", "killed_or_wounded")
LOCATION_FIELDS = ("text", "name", "admin1", "admin2", "country", "lat", "lon", "geo_precision")
# Field -> the values it may take (None: free text); null is always allowed except for kind and actors.
CHOICES: dict[str, tuple[str, ...] | None] = {
    "kind": RECORD_KINDS,
    "event_type": EVENT_TYPES,
    "sub_event_type": SUB_EVENT_TYPES,
    "perpetrator": ACTORS,
    "victim_group": ACTORS,
    "date_precision": DATE_PRECISIONS,
    "perpetrator_text": None,
}
DATE_FIELDS = ("date", "period_start", "period_end")
NOT_NULL = ("kind", "perpetrator", "victim_group")
# What a re-extraction is compared on when the analyst accepted or rejected a record as it was.
COMPARED = (*CHOICES, *DATE_FIELDS, *COUNT_FIELDS, "victims", "location", "regions")


class CorrectionError(ValueError):
    """A correction that names an unknown field or gives a value the field cannot take."""


def parse_value(text: str) -> Any:
    """A command-line value: JSON when it parses (5, null, {"low": 3}), else the text itself."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_assignments(pairs: list[str]) -> dict[str, Any]:
    """`["killed.best=5", "perpetrator=isis"]` -> {"killed.best": 5, "perpetrator": "isis"}."""
    found: dict[str, Any] = {}
    for pair in pairs:
        path, sep, value = pair.partition("=")
        if not sep or not path.strip():
            raise CorrectionError(f"{pair!r}: expected FIELD=VALUE, e.g. killed.best=5")
        found[path.strip()] = parse_value(value.strip())
    return found


MAX_COUNT = 10_000_000  # more than any war's dead: a larger figure is a typing error


def _check_count(path: str, value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT):
        raise CorrectionError(f"{path}: a count is a whole number from 0 to {MAX_COUNT:,} or null, not {value!r}")


def _check_date(path: str, value: Any) -> None:
    if value is None:
        return
    try:
        date.fromisoformat(str(value))
    except ValueError:
        raise CorrectionError(f"{path}: {value!r} is not a date in YYYY-MM-DD form") from None


def _check_object(path: str, value: Any, keys: tuple[str, ...]) -> None:
    if value is None:
        return
    if not isinstance(value, dict) or set(value) - set(keys) - {"alternatives"}:
        raise CorrectionError(f"{path}: expected an object with some of {', '.join(keys)}")


def check(path: str, value: Any) -> None:
    """Raise CorrectionError unless `value` may be written at `path`."""
    head, _, sub = path.partition(".")
    if head in CHOICES and not sub:
        allowed = CHOICES[head]
        if value is None and head in NOT_NULL:
            raise CorrectionError(f"{path}: may not be null")
        if value is not None and allowed is not None and value not in allowed:
            raise CorrectionError(f"{path}: {value!r} is not one of {', '.join(allowed)}")
        if value is not None and not isinstance(value, str):
            raise CorrectionError(f"{path}: expected text, not {value!r}")
    elif head in DATE_FIELDS and not sub:
        _check_date(path, value)
    elif head in COUNT_FIELDS and sub in BOUNDS:
        _check_count(path, value)
    elif head in COUNT_FIELDS and not sub:
        _check_counts(path, value)
    elif head == "location" and sub in LOCATION_FIELDS:
        _check_location_field(path, sub, value)
    elif head == "location" and not sub:
        _check_location(path, value)
    elif head in ("victims", "regions") and not sub:
        _check_list(path, value)
    else:
        raise CorrectionError(f"{path}: not a field that can be corrected")


def _check_location_field(path: str, name: str, value: Any) -> None:
    if value is None:
        return
    if name in ("lat", "lon"):
        limit = 90 if name == "lat" else 180
        if isinstance(value, bool) or not isinstance(value, int | float) or not -limit <= value <= limit:
            raise CorrectionError(f"{path}: expected a number from -{limit} to {limit}")
    elif name == "geo_precision":
        if value not in (1, 2, 3):
            raise CorrectionError(f"{path}: 1 (the place itself), 2 (near it) or 3 (a region)")
    elif not isinstance(value, str) or len(value) > 300:
        raise CorrectionError(f"{path}: expected text (at most 300 characters)")


def _check_location(path: str, value: Any) -> None:
    _check_object(path, value, LOCATION_FIELDS)
    for name in LOCATION_FIELDS:
        _check_location_field(f"{path}.{name}", name, (value or {}).get(name))


def _check_list(path: str, value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value) or len(value) > 100:
        raise CorrectionError(f"{path}: expected a list of (at most 100) objects")
    for n, item in enumerate(value):
        if path == "regions":
            _check_location(f"regions[{n}]", item)
            continue
        if item.get("group") not in ACTORS or set(item) - {"group", "nationality", "killed", "wounded"}:
            raise CorrectionError(
                f"victims[{n}]: {{group, nationality, killed, wounded}}, group one of {', '.join(ACTORS)}"
            )
        if not isinstance(item.get("nationality") or "", str):
            raise CorrectionError(f"victims[{n}].nationality: expected text")
        for name in ("killed", "wounded"):
            _check_counts(f"victims[{n}].{name}", item.get(name))


def _check_counts(path: str, value: Any) -> None:
    _check_object(path, value, BOUNDS)
    for bound in BOUNDS:
        _check_count(f"{path}.{bound}", (value or {}).get(bound))


def get_path(data: dict[str, Any], path: str) -> Any:
    head, _, sub = path.partition(".")
    value = data.get(head)
    if sub:
        return value.get(sub) if isinstance(value, dict) else None
    return value


def _set_path(data: dict[str, Any], path: str, value: Any) -> None:
    head, _, sub = path.partition(".")
    if not sub:
        data[head] = copy.deepcopy(value)
        return
    if not isinstance(data.get(head), dict):
        data[head] = dict.fromkeys(BOUNDS) if head in COUNT_FIELDS else {}
    data[head][sub] = value


def _settle(count: dict[str, Any], fixed: set[str], path: str) -> None:
    """Keep low ≤ best ≤ high: a bound the analyst did not set moves to the one they set."""
    for a, b in (("low", "best"), ("best", "high"), ("low", "high")):
        x, y = count.get(a), count.get(b)
        if x is None or y is None or x <= y:
            continue
        if a in fixed and b in fixed:
            raise CorrectionError(f"{path}: {a} {x} is above {b} {y}")
        if a in fixed:
            count[b] = x
        elif b in fixed:
            count[a] = y


def apply(machine: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """The record `machine` with `overrides` applied in order (a whole field, then its parts)."""
    data = copy.deepcopy(machine)
    fixed: dict[str, set[str]] = {}
    for path, value in overrides.items():
        check(path, value)
        _set_path(data, path, value)
        head, _, sub = path.partition(".")
        if head in COUNT_FIELDS:
            fixed.setdefault(head, set()).update([sub] if sub else BOUNDS)
    for head, bounds in fixed.items():
        if isinstance(data.get(head), dict):
            _settle(data[head], bounds, head)
            if all(data[head].get(b) is None for b in BOUNDS):
                data[head] = None  # an unstated count is null, never {null, null, null}
    return Record.from_dict(data).to_dict()  # the record's own shape, whatever was written into it


def merge_overrides(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Earlier corrections with new ones on top: a whole field replaces the corrections of its parts."""
    merged = dict(old)
    for path, value in new.items():
        if "." not in path:
            for key in [k for k in merged if k.startswith(path + ".")]:
                del merged[key]
        merged.pop(path, None)  # re-inserted last: applied after what it overrides
        merged[path] = value
    return merged


def moved(old_machine: dict[str, Any] | None, new_machine: dict[str, Any], paths: list[str] | None) -> list[str]:
    """The paths (or, with none given, the compared fields) whose machine value changed."""
    if old_machine is None:
        return []
    return [p for p in (paths or COMPARED) if get_path(old_machine, p) != get_path(new_machine, p)]
