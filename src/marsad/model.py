"""The data that flows through marsad, mirroring ../shared/SCHEMA.md.

Every stage speaks these dataclasses; `to_dict`/`from_dict` are the one way to serialise them,
so the JSONL output, the store, the API and the evaluation agree on field names.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from typing import Any

RECORD_KINDS = ("incident", "tally")

EVENT_TYPES = (
    "battles",
    "explosions_remote_violence",
    "violence_against_civilians",
    "strategic_developments",
)

SUB_EVENT_TYPES = (
    "armed_clash",
    "attack",
    "air_drone_strike",
    "shelling_artillery_missile_attack",
    "remote_explosive_landmine_ied",
    "suicide_bomb",
    "chemical_weapon",
    "grenade",
    "abduction_forced_disappearance",
    "sexual_violence",
    "government_regains_territory",
    "non_state_actor_overtakes_territory",
)

ACTORS = (
    "syrian_government",
    "pro_government_militias",
    "russia",
    "iran",
    "iran_backed_militias",
    "isis",
    "hts",
    "syrian_opposition",
    "turkey",
    "sdf_ypg",
    "us_led_coalition",
    "israel",
    "iraqi_government",
    "pmf",
    "kurdistan_peshmerga",
    "civilians",
    "children",
    "women",
    "journalists",
    "medical_workers",
    "other",
    "unknown",
)

DATE_PRECISIONS = ("day", "week", "month", "year", "report")


@dataclass
class Count:
    """A casualty figure as UCDP gives it: any bound may be unknown (None), never 0 for unknown."""

    low: int | None = None
    best: int | None = None
    high: int | None = None

    @classmethod
    def exact(cls, n: int) -> Count:
        return cls(low=n, best=n, high=None)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Count | None:
        if data is None:
            return None
        return cls(low=data.get("low"), best=data.get("best"), high=data.get("high"))

    def central(self) -> int | None:
        """The single figure to add up: best, else low (a floor is the honest fallback)."""
        return self.best if self.best is not None else self.low


@dataclass
class Location:
    text: str | None = None
    name: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None
    # How many other gazetteer candidates the name also matched (0 = unambiguous).
    alternatives: int = 0

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Location | None:
        if data is None:
            return None
        known = {k: data.get(k) for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


@dataclass
class Victim:
    group: str
    nationality: str | None = None
    killed: Count | None = None
    wounded: Count | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Victim:
        return cls(
            group=data["group"],
            nationality=data.get("nationality"),
            killed=Count.from_dict(data.get("killed")),
            wounded=Count.from_dict(data.get("wounded")),
        )


@dataclass
class Evidence:
    """A span of the document's cleaned text: `text == doc.text[start:end]`."""

    start: int
    end: int
    text: str
    # What the span supports: "count", "place", "actor", "date", "event" (free-form, for display).
    role: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(start=data["start"], end=data["end"], text=data["text"], role=data.get("role"))


_ATOMIC = frozenset({str, int, float, bool, type(None)})
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(obj: Any) -> Any:
    """What dataclasses.asdict gives, about three times faster: asdict deep-copies every string and
    number of a record, which are immutable and can be shared."""
    cls = obj.__class__
    if cls in _ATOMIC:
        return obj
    if cls is list:
        return [_plain(v) for v in obj]
    names = _FIELD_NAMES.get(cls)
    if names is None:
        if not is_dataclass(cls):
            return copy.deepcopy(obj)  # as asdict does with any other value (no record field holds one)
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return {name: _plain(getattr(obj, name)) for name in names}


@dataclass
class Record:
    doc_id: str
    kind: str = "incident"
    event_type: str | None = None
    sub_event_type: str | None = None
    date: str | None = None
    date_precision: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    perpetrator: str = "unknown"
    perpetrator_text: str | None = None
    victim_group: str = "unknown"
    killed: Count | None = None
    wounded: Count | None = None
    victims: list[Victim] = field(default_factory=list)
    location: Location | None = None
    regions: list[Location] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    # A figure the report gives for killed and wounded together ("30 بين قتيل وجريح"):
    # kept apart so it is never guessed into either.
    killed_or_wounded: Count | None = None
    # The decision model's probability that this is a casualty count of a news event (None: no model).
    confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        data = _plain(self)
        for optional in ("killed_or_wounded", "confidence"):
            if data[optional] is None:
                del data[optional]
        if self.kind != "tally" and not data["regions"]:
            del data["regions"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        return cls(
            doc_id=data["doc_id"],
            kind=data.get("kind", "incident"),
            event_type=data.get("event_type"),
            sub_event_type=data.get("sub_event_type"),
            date=data.get("date"),
            date_precision=data.get("date_precision"),
            period_start=data.get("period_start"),
            period_end=data.get("period_end"),
            perpetrator=data.get("perpetrator") or "unknown",
            perpetrator_text=data.get("perpetrator_text"),
            victim_group=data.get("victim_group") or "unknown",
            killed=Count.from_dict(data.get("killed")),
            wounded=Count.from_dict(data.get("wounded")),
            victims=[Victim.from_dict(v) for v in data.get("victims") or []],
            location=Location.from_dict(data.get("location")),
            regions=[Location.from_dict(r) for r in data.get("regions") or []],
            evidence=[Evidence.from_dict(e) for e in data.get("evidence") or []],
            killed_or_wounded=Count.from_dict(data.get("killed_or_wounded")),
            confidence=data.get("confidence"),
        )


@dataclass
class Document:
    """One report. `text` is the cleaned text (title, blank line, body) that evidence offsets index."""

    doc_id: str
    text: str
    raw_text: str = ""
    title: str | None = None
    outlet: str | None = None
    attribution: str | None = None
    url: str | None = None
    published: date | None = None
    lang: str = "ar"
    source_path: str | None = None
    content_hash: str = ""

    def __post_init__(self) -> None:
        if not self.content_hash:
            self.content_hash = content_hash(self.text)

    @property
    def body_start(self) -> int:
        """Offset in `text` where the body begins (after the title and its blank line)."""
        if self.title and self.text.startswith(self.title):
            return len(self.title) + 2
        return 0


def content_hash(text: str) -> str:
    """Identity of a report's content: whitespace-insensitive so re-scrapes hash alike."""
    canonical = " ".join(text.split())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
