"""Event type and sub-type from the cues of a clause (lang/ar/events.yaml, first rule wins)."""

from __future__ import annotations

from marsad.extract.cues import EventRule, Lexicons
from marsad.extract.layout import Clause, Layout

CIVILIAN_GROUPS = frozenset({"civilians", "children", "women", "journalists", "medical_workers"})


def event_rule(lay: Layout, clauses: list[Clause], lex: Lexicons) -> tuple[EventRule, tuple[int, int] | None]:
    """The most specific rule cued in the first clause (in search order) that has a specific cue.

    A generic attack word ("هجوم", "اشتباكات") does not stop the search: the headline or the
    sentence before often says how ("تفجيران انتحاريان", "الهجوم الصاروخي"); it is the answer
    only when nothing more specific is said.
    """
    generic = None
    for clause in clauses:
        hits = lex.events.find_all(lay.text, clause.start, clause.end)
        if hits:
            best = min(hits, key=lambda m: m.value)
            rule = lex.event_rules[best.value]
            if not rule.armed_target:
                return rule, (best.start, best.end)
            generic = generic or (rule, (best.start, best.end))
    return generic or (lex.default_event, None)


def event_type(rule: EventRule, victim_group: str) -> tuple[str, str | None]:
    """A generic attack on armed men is a battle; on civilians, violence against civilians."""
    if rule.armed_target and victim_group in CIVILIAN_GROUPS:
        return "violence_against_civilians", "attack"
    if rule.armed_target and rule.event_type == "violence_against_civilians":
        return "battles", "armed_clash"
    return rule.event_type, rule.sub_event_type
