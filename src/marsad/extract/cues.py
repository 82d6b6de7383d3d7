"""All Arabic lexicons of the extractor, compiled once into matchers (module-level cache)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from marsad.extract.lexicon import Matcher
from marsad.lang import load
from marsad.text.normalize import fold_plain
from marsad.text.trie import trie_regex


@dataclass(frozen=True)
class VictimNoun:
    group: str  # an actor id, or "owner" / "person" / "inherit"
    number: str  # singular | dual | plural
    armed: bool


@dataclass(frozen=True)
class Actor:
    id: str
    nationality: str | None
    kind: str  # named | by_country | anaphora


@dataclass(frozen=True)
class EventRule:
    event_type: str
    sub_event_type: str | None
    armed_target: bool


@dataclass(frozen=True)
class Lexicons:
    gate: re.Pattern[str]
    killed_before: Matcher[int]
    killed_before_people: Matcher[int]
    wounded_before: Matcher[int]
    combined_before: Matcher[int]
    killed_after: Matcher[str]
    wounded_after: Matcher[str]
    killed_nouns: Matcher[str]
    wounded_nouns: Matcher[str]
    combined_nouns: Matcher[str]
    fuzzy_killed: tuple[str, ...]
    subset: Matcher[str]
    coordination: frozenset[str]
    back_reference: frozenset[str]
    negation: Matcher[str]
    toll_update: Matcher[str]
    rise: Matcher[str]
    partitive: Matcher[str]
    kin: Matcher[str]
    documented: Matcher[str]
    documented_context: Matcher[str]
    fillers: frozenset[str]
    superseded: Matcher[str]
    alternative: Matcher[str]
    alternative_figure: Matcher[str]
    victims: Matcher[VictimNoun]
    nationalities: Matcher[tuple[str, str]]
    armed_heads: frozenset[str]
    nat_between: frozenset[str]
    actors: Matcher[Actor]
    by_country: dict[str, str]
    anaphora_candidates: tuple[str, ...]
    anaphora_default: str
    country_cues: dict[str, Matcher[str]]
    non_casualty_units: frozenset[str]
    non_casualty_before: frozenset[str]
    percent: Matcher[str]
    events: Matcher[int]
    event_rules: tuple[EventRule, ...]
    default_event: EventRule
    since: Matcher[str]
    since_objects: Matcher[str]
    day_parts: Matcher[str]
    during: Matcher[str]
    during_objects: Matcher[str]
    tally_words: Matcher[str]
    superlative: Matcher[str]
    tally_spans: Matcher[str]
    min_incident_figure: int
    accident: Matcher[str]


def _windowed(groups: list[dict]) -> Matcher[int]:
    return Matcher((f, g["window"]) for g in groups for f in g["forms"])


def _plain(forms: list[str], value: str = "") -> Matcher[str]:
    return Matcher((f, value or f) for f in forms)


@cache
def lexicons() -> Lexicons:
    cas = load("ar", "casualty_cues")
    k, w, c = cas["killed"], cas["wounded"], cas["combined"]
    gate_forms = [f for g in k["before"] + w["before"] for f in g["forms"]]
    gate_forms += k["after"] + k["nouns"] + w["after"] + w["nouns"] + cas["fuzzy_killed"]
    # The gate is a loose substring test: a report without any of these stems is skipped early.
    stems = {fold_plain(f).split()[0][:4] for f in gate_forms}
    gate = re.compile(trie_regex(sorted(s for s in stems if len(s) >= 3)))
    victims = []
    for entry in load("ar", "victims"):
        for number in ("singular", "dual", "plural"):
            for form in entry.get(number) or []:
                victims.append((form, VictimNoun(entry["group"], number, bool(entry.get("armed")))))
    nat_data = load("ar", "nationalities")
    nats = [(f, (code, v["group"])) for code, v in nat_data.items() if isinstance(v, dict) for f in v["forms"]]
    act = load("ar", "actors")
    actors = [
        (f, Actor(aid, spec.get("nationality"), "named")) for aid, spec in act["actors"].items() for f in spec["forms"]
    ]
    actors += [(f, Actor("", None, "by_country")) for f in act["by_country"]["forms"]]
    actors += [(f, Actor("", None, "anaphora")) for f in act["anaphora"]["forms"]]
    ev = load("ar", "events")
    rules = tuple(EventRule(r["event_type"], r.get("sub_event_type"), bool(r.get("armed_target"))) for r in ev["rules"])
    d = ev["default"]
    non = load("ar", "non_casualty")
    tal = load("ar", "tallies")
    return Lexicons(
        gate=gate,
        killed_before=_windowed(k["before"]),
        killed_before_people=_windowed(k["before_people"]),
        wounded_before=_windowed(w["before"]),
        combined_before=Matcher((f, 2) for f in c["before"]),
        killed_after=_plain(k["after"]),
        wounded_after=_plain(w["after"]),
        killed_nouns=Matcher(((f, f) for f in k["nouns"]), article=True),
        wounded_nouns=Matcher(((f, f) for f in w["nouns"]), article=True),
        combined_nouns=_plain(c["nouns"]),
        fuzzy_killed=tuple(fold_plain(f) for f in cas["fuzzy_killed"]),
        subset=_plain(cas["subset"]),
        coordination=frozenset(" ".join(fold_plain(f).split()) for f in cas["coordination"]),
        back_reference=frozenset(fold_plain(f) for f in cas["back_reference"]),
        negation=_plain(cas["negation"]),
        toll_update=_plain(cas["toll_update"]),
        rise=_plain(cas["rise"]),
        partitive=_plain(cas["partitive"]),
        kin=_plain(cas["kin"]),
        documented=_plain(cas["documented"]),
        documented_context=_plain(cas["documented_context"]),
        fillers=frozenset(fold_plain(f) for f in cas["fillers"]),
        superseded=_plain(cas["superseded"]),
        alternative=_plain(cas["alternative"]),
        alternative_figure=_plain(cas["alternative_figure"]),
        victims=Matcher(victims, article=True),
        nationalities=Matcher(nats),
        armed_heads=frozenset(fold_plain(w) for w in nat_data["armed_heads"]),
        nat_between=frozenset(fold_plain(w) for w in nat_data["between"] + nat_data["hedges"]),
        actors=Matcher(actors),
        by_country={code: act["by_country"][code] for code in ("SY", "IQ")},
        anaphora_candidates=tuple(act["anaphora"]["candidates"]),
        anaphora_default=act["anaphora"]["default"],
        country_cues={code: _plain(forms) for code, forms in act["country_cues"].items()},
        non_casualty_units=frozenset(fold_plain(f) for f in non["units"]),
        non_casualty_before=frozenset(fold_plain(f) for f in non["before"]),
        percent=_plain(non["percent"]),
        events=Matcher(((f, i) for i, r in enumerate(ev["rules"]) for f in r["cues"]), article=True),
        event_rules=rules,
        default_event=EventRule(d["event_type"], d.get("sub_event_type"), bool(d.get("armed_target"))),
        since=_plain(tal["since"]),
        since_objects=Matcher(((f, f) for f in tal["since_objects"]), article=True),
        day_parts=_plain(tal["day_parts"]),
        during=_plain(tal["during"]),
        during_objects=Matcher(((f, f) for f in tal["during_objects"]), article=True),
        tally_words=_plain(tal["words"]),
        superlative=_plain(tal["superlative"]),
        tally_spans=_plain(tal["spans"]),
        min_incident_figure=int(tal["min_incident_figure"]),
        accident=_plain(cas["accident"]),
    )
