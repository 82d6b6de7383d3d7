"""The English lexicons (lang/en/*.yaml) compiled into phrase matchers, once per process.

A phrase matches on whole words, case-insensitively, except a form in capitals of up to five letters
(IS, SDF, HTS), which matches only as written; an apostrophe in a form is optional in the text
("Assad's" also finds "Assads", as FA-KES strips apostrophes). Longest phrase wins at each position.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Generic, TypeVar

from marsad.lang import load

V = TypeVar("V")


@dataclass
class Hit(Generic[V]):
    start: int
    end: int
    text: str
    value: V


def _form_regex(form: str) -> str:
    words = form.split()
    out = []
    for word in words:
        parts = [re.escape(p) for p in re.split(r"['’]", word)]
        out.append("['’]?".join(parts))
    return r"\s+".join(out)


def _acronym(form: str) -> bool:
    letters = form.replace(".", "").replace("-", "")
    return letters.isupper() and len(letters) <= 5


class Phrases(Generic[V]):
    """Find lexicon phrases in text; the longest phrase wins at each position."""

    def __init__(self, entries: Iterable[tuple[str, V]]):
        self.value_of: dict[str, V] = {}
        exact, folded = [], []
        for form, value in entries:
            form = " ".join(str(form).split())
            if not form:
                continue
            if _acronym(form):
                self.value_of.setdefault(form, value)
                exact.append(form)
            else:
                self.value_of.setdefault(_norm(form), value)
                folded.append(form)
        alts = []
        if exact:
            alts.append("(?-i:" + "|".join(_form_regex(f) for f in sorted(set(exact), key=len, reverse=True)) + ")")
        if folded:
            alts.append("|".join(_form_regex(f) for f in sorted(set(folded), key=len, reverse=True)))
        body = "|".join(alts) or r"(?!x)x"
        self.regex = re.compile(r"(?<![\w-])(?:" + body + r")(?![\w-])", re.IGNORECASE)

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Hit[V]]:
        for m in self.regex.finditer(text, start, len(text) if end is None else end):
            found = m.group(0)
            value = self.value_of.get(" ".join(found.split()))
            if value is None:
                value = self.value_of.get(_norm(found))
            if value is not None:
                yield Hit(m.start(), m.end(), found, value)

    def search(self, text: str, start: int = 0, end: int | None = None) -> Hit[V] | None:
        return next(self.finditer(text, start, end), None)

    def ends_at(self, text: str, end: int, lookback: int = 60) -> Hit[V] | None:
        """The phrase that ends right at `end` (spaces allowed before it), if any."""
        best = None
        for hit in self.finditer(text, max(0, end - lookback), end):
            if not text[hit.end : end].strip():
                best = hit
        return best


def _norm(text: str) -> str:
    return " ".join(re.sub(r"['’]", "", text).lower().split())


def _pairs(table: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(form, key) for key, forms in table.items() for form in forms]


@dataclass(frozen=True)
class Lexicon:
    actors: Phrases[str]
    nationality: dict[str, str]
    combatant_nouns: frozenset[str]
    agent_before: Phrases[str]
    not_agent_before: Phrases[str]
    attack_nouns: Phrases[str]
    unknown_actor: Phrases[str]
    killed_after: Phrases[str]
    killed_before: Phrases[str]
    wounded_after: Phrases[str]
    wounded_before: Phrases[str]
    max_gap_words: int
    long_gap_words: int
    long_subject: re.Pattern[str]  # a subject noun's modifier: "members of", "people from"
    before_gap: frozenset[str]
    gap_stops: Phrases[str]
    toll_verbs: Phrases[str]
    no_fatalities: Phrases[str]
    unknown_casualties: Phrases[str]
    subgroup_links: Phrases[str]
    tally: Phrases[str]
    negation: Phrases[str]
    accident: Phrases[str]
    non_casualty: Phrases[str]
    singular: re.Pattern[str]  # a word before a singular noun that counts one ("a", "her")
    cue_singular: re.Pattern[str]  # after a killed cue only: "the" before a singular noun, or "him"
    events: Phrases[tuple[int, str, str]]  # (priority, event_type, sub_event_type)
    default_civilian: tuple[str, str]
    default_other: tuple[str, str]
    victims: Phrases[str]
    gate: re.Pattern[str]


def _cue_singular(articles: list[str], pronouns: list[str]) -> re.Pattern[str]:
    """ "the " before a noun, or a pronoun that ends its phrase ("killing him.", "killing him and …")."""
    article = "|".join(map(re.escape, articles))
    pronoun = "|".join(map(re.escape, pronouns))
    ends = r"(?=\s*(?:[.,;:)]|$|\s(?:and|in|on|at|near|while|with|after|as|when|during)\s))"
    return re.compile(rf"(?<![\w-])(?:(?:{article})\s+|(?P<pronoun>{pronoun}){ends})", re.I)


def _openers(forms: list[str]) -> re.Pattern[str]:
    """Words on whole-word boundaries, a bracket as itself."""
    alts = [r"(?<!\w)" + _form_regex(f) + r"(?!\w)" if f[0].isalnum() else re.escape(f) for f in forms]
    return re.compile("|".join(alts), re.I)


@cache
def lexicon() -> Lexicon:
    actors = load("en", "actors")
    cues = load("en", "casualty_cues")
    numbers = load("en", "numbers")
    events = load("en", "events")
    victims = load("en", "victims")
    event_entries = [
        (form, (i, cue["type"], cue["sub"])) for i, cue in enumerate(events["cues"]) for form in cue["forms"]
    ]
    victim_groups = {**victims["groups"], **victims["combatant_groups"]}
    killed_words = cues["killed"]["after"] + cues["killed"]["before"] + cues["no_fatalities"]
    return Lexicon(
        actors=Phrases(_pairs({k: v["forms"] for k, v in actors["actors"].items()})),
        nationality={k: v["nationality"] for k, v in actors["actors"].items() if v.get("nationality")},
        combatant_nouns=frozenset(w.lower() for w in actors["combatant_nouns"]),
        agent_before=Phrases((w, w) for w in actors["agent_before"]),
        not_agent_before=Phrases((w, w) for w in actors["not_agent_before"]),
        attack_nouns=Phrases((w, w) for w in actors["attack_nouns"]),
        unknown_actor=Phrases((w, w) for w in actors["unknown"]),
        killed_after=Phrases((w, "killed") for w in cues["killed"]["after"]),
        killed_before=Phrases((w, "killed") for w in cues["killed"]["before"]),
        wounded_after=Phrases((w, "wounded") for w in cues["wounded"]["after"]),
        wounded_before=Phrases((w, "wounded") for w in cues["wounded"]["before"]),
        max_gap_words=int(cues["max_gap_words"]),
        long_gap_words=int(cues["long_subject"]["max_gap_words"]),
        long_subject=_openers(cues["long_subject"]["openers"]),
        before_gap=frozenset(str(w).lower() for w in cues["before_gap"]),
        gap_stops=Phrases((w, w) for w in cues["gap_stops"]),
        toll_verbs=Phrases((w, "killed") for w in cues["toll_verbs"]),
        no_fatalities=Phrases((w, w) for w in cues["no_fatalities"]),
        unknown_casualties=Phrases((w, w) for w in cues["unknown_casualties"]),
        subgroup_links=Phrases((w, w) for w in cues["subgroup_links"]),
        tally=Phrases((w, w) for w in cues["tally"]),
        negation=Phrases((w, w) for w in cues["negation"]),
        accident=Phrases((w, w) for w in cues["accident"]),
        non_casualty=Phrases((w, w) for w in numbers["non_casualty_nouns"]),
        singular=re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, numbers["singular_articles"])) + r")\s+", re.I),
        cue_singular=_cue_singular(numbers["cue_articles"], numbers["cue_pronouns"]),
        events=Phrases(event_entries),
        default_civilian=(events["default_civilian"]["type"], events["default_civilian"]["sub"]),
        default_other=(events["default_other"]["type"], events["default_other"]["sub"]),
        victims=Phrases(_pairs(victim_groups)),
        gate=re.compile("|".join(re.escape(w.split()[0]) for w in killed_words + cues["wounded"]["after"]), re.I),
    )
