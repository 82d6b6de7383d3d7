"""Whether two records describe one event: structured evidence first, each step with a readable reason.

The score is a sum of weights (roughly log-odds): date gap, place, event type, actors and counts.
Some differences veto a link outright (another governorate, dates too far apart, a chemical attack
against a conventional one, a territorial change against a strike). Text similarity is not used
here: on templated news it links different incidents; the clusterer may use it to break ties.
"""

from __future__ import annotations

import math

from rapidfuzz import fuzz

from marsad.resolve.features import Item

# A pair at or above this score is the same event.
THRESHOLD = 2.0
# What reports that read alike add to a pair just short of a link (similarity.text_bonus).
TEXT_BONUS = 1.5

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


def type_group(sub_event_type: str | None) -> str | None:
    """The group of interchangeable sub-event types a type belongs to (None: unknown or ungrouped)."""
    return _GROUPS.get(sub_event_type) if sub_event_type else None


class PairScore:
    """A pair's score, its veto and the reasons for both (a plain class: resolution makes millions).

    The reasons are written only when asked for (`explain`): the pair is scored again, noting each
    step, since only the few pairs that join an event are ever explained."""

    __slots__ = ("a", "b", "extra", "notes", "place", "score", "veto")

    def __init__(self, a: Item, b: Item, notes: list[tuple] | None = None) -> None:
        self.a, self.b = a, b
        self.score = 0.0
        self.veto: str | None = None
        # +1: the two name one town; -1: they name different towns; 0: the place says neither.
        self.place = 0
        # (weight, template, values) of each step when explaining; `extra`: what was added after scoring.
        self.notes = notes
        self.extra: list[tuple] = []

    @property
    def linked(self) -> bool:
        # Weights are tenths: the tolerance keeps 2.0 + 0.3 - 0.3 at the threshold, not just under it.
        return self.veto is None and self.score >= THRESHOLD - 1e-6

    def note(self, weight: float, template: str, *values: object) -> None:
        """A scoring step's weight (and, when explaining, its reason)."""
        self.score += weight
        if self.notes is not None:
            self.notes.append((weight, template, values))

    def add(self, weight: float, template: str, *values: object) -> None:
        """Evidence from outside the structured fields (the texts reading alike)."""
        self.score += weight
        self.extra.append((weight, template, values))

    @property
    def reasons(self) -> list[tuple]:
        return _scored(PairScore(self.a, self.b, []), self.a, self.b).notes + self.extra

    def explain(self) -> str:
        if self.veto:
            return f"kept apart: {self.veto}"
        parts = [f"{template.format(*values)} ({weight:+.1f})" for weight, template, values in self.reasons]
        return f"score {self.score:.1f}: " + "; ".join(parts)


def km(a: Item, b: Item) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


# Weights of a gap of 0 and 1 days between two precise dates, and between two report dates.
_PRECISE_GAP = {0: 1.5, 1: 0.5}
_ROUGH_GAP = {0: 0.8, 1: 0.3}


def _date(s: PairScore, a: Item, b: Item) -> None:
    if a.day is None or b.day is None:
        s.note(-0.5, "no date")
        return
    gap = abs(a.day - b.day)
    if a.precise and b.precise:
        if gap > 2:
            s.veto = f"dates {gap} days apart"
        else:
            # Two days apart is no link by itself, but no veto either: two outlets may each misdate
            # the event by a day, either way (the clusterer checks each report against the event's date).
            s.note(_PRECISE_GAP.get(gap, -2.0), "date gap {}", gap)
        return
    if a.precise or b.precise:
        # The imprecise one is usually a report date, on or after the event.
        exact, rough = (a, b) if a.precise else (b, a)
        lag = rough.day - exact.day
        if lag < -1 or lag > 3:
            s.veto = f"report date {lag:+d} days from event date"
        else:
            s.note(0.8 if lag == 0 else 0.3, "report date {:+d} days", lag)
        return
    if gap > 3:
        s.veto = f"report dates {gap} days apart"
    else:
        s.note(_ROUGH_GAP.get(gap, -0.3), "report dates {} days apart", gap)


def _place(s: PairScore, a: Item, b: Item) -> None:
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        s.veto = f"{a.admin1} vs {b.admin1}"
        return
    if not a.admin1 or not b.admin1:
        s.note(-0.3, "governorate unknown")
    if not a.place or not b.place:
        s.note(0.0, "place unknown")
        return
    if a.area or b.area or not a.admin1 or not b.admin1:
        _areas(s, a, b)
        return
    dist = km(a, b) if a.lat is not None and b.lat is not None else None
    match = _names(a, b)
    if match and (dist is None or dist <= 10):
        s.place = 1
    if match == "same" and (dist is None or dist <= 10):
        s.note(2.0, "same place '{}'", a.place)
    elif match == "part" and (dist is None or dist <= 10):
        # Weak: "Hammouriyeh, Saqba" and "Hammouriyeh" are one place, "Tabqa airbase" and "Tabqa" are not.
        s.note(0.5, "'{}' and '{}' name one place", a.place, b.place)
    elif dist is not None and dist <= 2:
        # Neighbouring villages are as close: no evidence either way (a quarter and its town, or not).
        s.note(0.0, "'{}' and '{}' {:.1f} km apart", a.place, b.place, dist)
    elif dist is not None and dist > 25:
        s.veto = f"{dist:.0f} km apart"
    else:
        s.place = -1
        s.note(-2.5, "places '{}' vs '{}'", a.place, b.place)


def _names(a: Item, b: Item) -> str | None:
    """Whether two names are spelling variants of one ("same"), one inside the other ("part"), or neither."""
    if not a.core or not b.core:
        return "same" if a.place == b.place else None
    if a.marks and b.marks and a.marks != b.marks:
        return None  # twin places: "East Farahaniyah" is not "West Farahaniyah"
    if a.core == b.core or fuzz.ratio(a.core, b.core) >= 88:
        return "same"
    if len(a.skeleton) >= 2 and len(b.skeleton) >= 2 and fuzz.token_sort_ratio(a.skeleton, b.skeleton) >= 90:
        return "same"
    within = _within(a.core_words, b.core_words) or _within(a.skeleton_words, b.skeleton_words)
    return "part" if within else None


def _within(words_a: frozenset[str], words_b: frozenset[str]) -> bool:
    """One name's words all in the other's ("Kafr Batna" in "Kafr Batna suburb", by spelling or skeleton)."""
    small = words_a if len(words_a) <= len(words_b) else words_b
    return sum(map(len, small)) >= 3 and (words_a <= words_b or words_b <= words_a)


def _areas(s: PairScore, a: Item, b: Item) -> None:
    if a.area and b.area and a.broad == b.broad:
        if _names(a, b) is None and a.broad:
            # A governorate and the country (or no place): the country contains every event there.
            outer, inner = (a, b) if not a.admin1 else (b, a)
            s.note(-1.5, "only '{}' in common with '{}'", outer.place or "the country", inner.place)
        elif _names(a, b) is None:
            s.note(-0.5, "areas '{}' vs '{}'", a.place, b.place)
        else:
            # A whole governorate in common says little: many events share it every day.
            s.note(0.5 if a.broad else 1.0, "same area '{}'", a.place)
        return
    outer, inner = (b, a) if b.area and (b.broad or not a.area) else (a, b)
    if outer.broad:
        # "Syria" or "Homs province" contains every event there: it is no evidence of this one.
        s.note(-1.5, "only '{}' in common with '{}'", outer.place or "the country", inner.place)
    else:
        s.note(0.3, "'{}' within '{}'", inner.place, outer.place)


def _kind(s: PairScore, a: Item, b: Item) -> None:
    ra, rb = a.record, b.record
    if ra.sub_event_type and rb.sub_event_type:
        if ra.sub_event_type == rb.sub_event_type:
            s.note(1.0, "both {}", ra.sub_event_type)
            return
        ga, gb = _GROUPS.get(ra.sub_event_type), _GROUPS.get(rb.sub_event_type)
        if ga == gb:
            s.note(0.2, "{} ~ {}", ra.sub_event_type, rb.sub_event_type)
        elif ga in _EXCLUSIVE or gb in _EXCLUSIVE:
            s.veto = f"{ra.sub_event_type} vs {rb.sub_event_type}"
        else:
            s.note(-1.5, "{} vs {}", ra.sub_event_type, rb.sub_event_type)
    elif ra.event_type and rb.event_type and ra.event_type != rb.event_type:
        s.note(-0.5, "{} vs {}", ra.event_type, rb.event_type)


def _actors(s: PairScore, a: Item, b: Item) -> None:
    pa, pb = a.record.perpetrator, b.record.perpetrator
    if pa != "unknown" and pb != "unknown":
        s.note(1.0, "both by {}", pa) if pa == pb else s.note(-1.5, "{} vs {}", pa, pb)
    va, vb = a.record.victim_group, b.record.victim_group
    if va != "unknown" and vb != "unknown":
        s.note(0.3, "both {}", va) if va == vb else s.note(-0.3, "{} vs {}", va, vb)


def _counts(s: PairScore, a: Item, b: Item) -> None:
    if a.killed is None or b.killed is None:
        return
    if a.killed == b.killed:
        s.note(1.0 if a.killed >= 3 else 0.3, "both {} killed", a.killed)
        return
    ratio = min(a.killed, b.killed) / max(a.killed, b.killed, 1)
    weight = 0.7 if ratio >= 0.8 else 0.2 if ratio >= 0.5 else -0.3 if ratio >= 0.2 else -1.0
    s.note(weight, "{} vs {} killed", a.killed, b.killed)


def score_pair(a: Item, b: Item) -> PairScore:
    """The evidence that `a` and `b` report the same event; stops at the first veto."""
    return _scored(PairScore(a, b), a, b)


def _scored(s: PairScore, a: Item, b: Item) -> PairScore:
    if a.doc_id == b.doc_id:
        s.veto = "same report (a report lists distinct events)"
        return s
    for step in _STEPS:
        step(s, a, b)
        if s.veto:
            break
    return s


_STEPS = (_place, _date, _kind, _actors, _counts)
