"""Whether two records describe one event: structured evidence first, each step with a readable reason.

The score is a sum of weights (roughly log-odds): date gap, place, event type, actors and counts.
Some differences veto a link outright (another governorate, dates too far apart, a chemical attack
against a conventional one, a territorial change against a strike). Text similarity is not used
here: on templated news it links different incidents; the clusterer may use it to break ties.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from marsad.resolve.features import Item

# A pair at or above this score is the same event.
THRESHOLD = 2.0

# Sub-event types that reports of one event use interchangeably (an air strike is a "missile strike"
# in another outlet); across groups the types contradict each other.
_GROUPS = {
    "air_drone_strike": "remote",
    "shelling_artillery_missile_attack": "remote",
    "remote_explosive_landmine_ied": "bomb",
    "suicide_bomb": "bomb",
    "grenade": "bomb",
    "armed_clash": "ground",
    "attack": "ground",
    "abduction_forced_disappearance": "abduction",
    "sexual_violence": "sexual",
    "chemical_weapon": "chemical",
    "government_regains_territory": "territory",
    "non_state_actor_overtakes_territory": "territory",
}
# Groups that never describe the same happening as a different group.
_EXCLUSIVE = {"chemical", "territory", "abduction", "sexual"}


@dataclass
class PairScore:
    score: float = 0.0
    veto: str | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def linked(self) -> bool:
        return self.veto is None and self.score >= THRESHOLD

    def add(self, weight: float, reason: str) -> None:
        self.score += weight
        self.reasons.append(f"{reason} ({weight:+.1f})")

    def explain(self) -> str:
        if self.veto:
            return f"kept apart: {self.veto}"
        return f"score {self.score:.1f}: " + "; ".join(self.reasons)


def km(a: Item, b: Item) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _date(s: PairScore, a: Item, b: Item) -> None:
    if a.day is None or b.day is None:
        s.add(-0.5, "no date")
        return
    gap = abs(a.day - b.day)
    if a.precise and b.precise:
        if gap > 1:
            s.veto = f"dates {gap} days apart"
        else:
            s.add(1.5 if gap == 0 else 0.5, f"date gap {gap}")
        return
    if a.precise or b.precise:
        # The imprecise one is usually a report date, on or after the event.
        exact, rough = (a, b) if a.precise else (b, a)
        lag = rough.day - exact.day
        if lag < -1 or lag > 3:
            s.veto = f"report date {lag:+d} days from event date"
        else:
            s.add(1.0 if lag == 0 else 0.3, f"report date {lag:+d} days")
        return
    if gap > 3:
        s.veto = f"report dates {gap} days apart"
    else:
        s.add({0: 0.8, 1: 0.3}.get(gap, -0.3), f"report dates {gap} days apart")


def _place(s: PairScore, a: Item, b: Item) -> None:
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        s.veto = f"{a.admin1} vs {b.admin1}"
        return
    if not a.admin1 or not b.admin1:
        s.add(-0.3, "governorate unknown")
    if a.lat is not None and b.lat is not None and not (a.area and b.area):
        dist = km(a, b)
        if dist <= 3:
            s.add(2.0, f"{dist:.0f} km apart")
        elif dist <= 10:
            s.add(1.0, f"{dist:.0f} km apart")
        elif a.area or b.area or dist <= 25:
            s.add(0.0, f"{dist:.0f} km apart")
        else:
            s.veto = f"{dist:.0f} km apart"
        return
    if not a.place or not b.place:
        s.add(0.0, "place unknown")
        return
    similar = fuzz.token_set_ratio(a.place, b.place)
    if len(a.skeleton) >= 2 and len(b.skeleton) >= 2:
        similar = max(similar, fuzz.token_sort_ratio(a.skeleton, b.skeleton))
    if a.area != b.area or not a.admin1 or not b.admin1:
        outer, inner = (b, a) if b.area and (not b.admin1 or not a.area) else (a, b)
        s.add(0.3, f"'{inner.place}' within '{outer.place}'")
    elif similar >= 85:
        s.add(2.0 if not a.area else 1.5, f"same place '{a.place}'")
    elif a.area:
        s.add(-0.5, f"areas '{a.place}' vs '{b.place}'")
    else:
        s.add(-2.5, f"places '{a.place}' vs '{b.place}'")


def _kind(s: PairScore, a: Item, b: Item) -> None:
    ra, rb = a.record, b.record
    if ra.sub_event_type and rb.sub_event_type:
        if ra.sub_event_type == rb.sub_event_type:
            s.add(1.0, f"both {ra.sub_event_type}")
            return
        ga, gb = _GROUPS.get(ra.sub_event_type), _GROUPS.get(rb.sub_event_type)
        if ga == gb:
            s.add(0.2, f"{ra.sub_event_type} ~ {rb.sub_event_type}")
        elif ga in _EXCLUSIVE or gb in _EXCLUSIVE:
            s.veto = f"{ra.sub_event_type} vs {rb.sub_event_type}"
        else:
            s.add(-1.5, f"{ra.sub_event_type} vs {rb.sub_event_type}")
    elif ra.event_type and rb.event_type and ra.event_type != rb.event_type:
        s.add(-0.5, f"{ra.event_type} vs {rb.event_type}")


def _actors(s: PairScore, a: Item, b: Item) -> None:
    pa, pb = a.record.perpetrator, b.record.perpetrator
    if pa != "unknown" and pb != "unknown":
        s.add(1.0, f"both by {pa}") if pa == pb else s.add(-1.5, f"{pa} vs {pb}")
    va, vb = a.record.victim_group, b.record.victim_group
    if va != "unknown" and vb != "unknown":
        s.add(0.3, f"both {va}") if va == vb else s.add(-0.3, f"{va} vs {vb}")


def _counts(s: PairScore, a: Item, b: Item) -> None:
    if a.killed is None or b.killed is None:
        return
    if a.killed == b.killed:
        s.add(1.0 if a.killed >= 3 else 0.3, f"both {a.killed} killed")
        return
    ratio = min(a.killed, b.killed) / max(a.killed, b.killed, 1)
    label = f"{a.killed} vs {b.killed} killed"
    if ratio >= 0.8:
        s.add(0.7, label)
    elif ratio >= 0.5:
        s.add(0.2, label)
    elif ratio >= 0.2:
        s.add(-0.3, label)
    else:
        s.add(-1.0, label)


def score_pair(a: Item, b: Item) -> PairScore:
    """The evidence that `a` and `b` report the same event; stops at the first veto."""
    s = PairScore()
    if a.doc_id == b.doc_id:
        s.veto = "same report (a report lists distinct events)"
        return s
    for step in (_place, _date, _kind, _actors, _counts):
        step(s, a, b)
        if s.veto:
            break
    return s
