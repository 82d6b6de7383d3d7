"""Actors: who the victims belong to, and who did it.

Names come from lang/ar/actors.yaml. Generic names ("القوات الحكومية") take the report's
country; "التنظيم" refers back to the last jihadist group the report named. The perpetrator is
an actor in agent position (after "غارات", "بقصف من", "على يد", "تبناه", or before "شن",
"قصفت"), never the owner of the victims ("عناصر من قوات النظام") nor a target ("على مواقع …").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from marsad.extract.cues import Actor, Lexicons
from marsad.extract.layout import Clause, Layout
from marsad.extract.lexicon import Match, Matcher
from marsad.extract.tokens import strip_clitics
from marsad.lang import load
from marsad.text.normalize import fold_plain
from marsad.text.numbers import TOKEN


@dataclass
class ActorMention:
    actor: str
    nationality: str | None
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Agents:
    before: Matcher[str]
    after: Matcher[str]
    target: frozenset[str]
    linkers: frozenset[str]
    skippable: frozenset[str]
    between: frozenset[str]
    hypothetical: frozenset[str]
    members: frozenset[str]
    undecided: frozenset[str]
    alternatives: frozenset[str]
    claim: Matcher[str]
    claim_denial: Matcher[str]
    government: Matcher[str]
    not_by_means: dict[str, frozenset[str]]


@cache
def _agents() -> _Agents:
    data = load("ar", "agents")
    return _Agents(
        before=Matcher(((f, f) for f in data["before"]), article=True),
        after=Matcher((f, f) for f in data["after"]),
        target=frozenset(fold_plain(f) for f in data["target"]),
        linkers=frozenset(fold_plain(f) for f in data["owner_linkers"]),
        skippable=frozenset(fold_plain(f) for f in data["skippable"]),
        between=frozenset(fold_plain(f) for f in data["between"]),
        hypothetical=frozenset(fold_plain(f) for f in data["hypothetical"]),
        members=frozenset(fold_plain(f) for f in data["members"]),
        undecided=frozenset(fold_plain(f) for f in data["undecided"]),
        alternatives=frozenset(fold_plain(f) for f in data["alternatives"]),
        claim=Matcher((f, f) for f in data["claim"]),
        claim_denial=Matcher((f, f) for f in data["claim_denial"]),
        government=Matcher((f, f) for f in load("ar", "nationalities")["government"]),
        not_by_means={means: frozenset(ids) for means, ids in data["not_by_means"].items()},
    )


def fits_means(actor: str, sub_event_type: str | None) -> bool:
    """Whether `actor` is ever the author of attacks of this kind (agents.yaml `not_by_means`)."""
    return actor not in _agents().not_by_means.get(sub_event_type or "", frozenset())


def country(lay: Layout, lex: Lexicons) -> str:
    """SY or IQ, by which country's names the report uses more (Syria on a tie)."""
    cached = lay.memo.get("country")
    if cached:
        return cached
    counts = {code: sum(1 for _ in m.finditer(lay.text)) for code, m in lex.country_cues.items()}
    code = "IQ" if counts.get("IQ", 0) > counts.get("SY", 0) else "SY"
    lay.memo["country"] = code
    return code


def _resolve(lay: Layout, actor: Actor, pos: int, lex: Lexicons) -> str:
    if actor.kind == "named":
        return actor.id
    if actor.kind == "by_country":
        return lex.by_country[country(lay, lex)]
    # Anaphora: the last jihadist group named before this point.
    for m in reversed(all_actors(lay, lex)):
        if m.start < pos and m.actor in lex.anaphora_candidates:
            return m.actor
    return lex.anaphora_default


def all_actors(lay: Layout, lex: Lexicons) -> list[ActorMention]:
    """Named actors of the whole report (cached on the layout); anaphora and generics excluded."""
    cached = lay.memo.get("actors")
    if cached is not None:
        return cached
    found = [
        ActorMention(m.value.id, m.value.nationality, m.start, m.end, m.form)
        for m in lex.actors.finditer(lay.text)
        if m.value.kind == "named"
    ]
    lay.memo["actors"] = found
    return found


def owner_at(lay: Layout, pos: int, end: int, lex: Lexicons) -> ActorMention | None:
    """The actor named right at `pos` (after "من", "في صفوف", "التابعين ل" …), e.g. a victims' owner."""
    text = lay.text
    for _ in range(3):
        m = lex.actors.match_at(text, pos)
        if m is not None and m.end <= end:
            return ActorMention(_resolve(lay, m.value, m.start, lex), m.value.nationality, m.start, m.end, m.form)
        tok = TOKEN.match(text, _skip(text, pos))
        if tok is None or tok.group(0) not in _agents().linkers:
            return None
        pos = tok.end()
    return None


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \"'(":
        pos += 1
    return pos


def agents_in(lay: Layout, clause: Clause, lex: Lexicons, exclude: list[tuple[int, int]]) -> list[ActorMention]:
    """Actors in agent position in `clause`, left to right, except those starting inside `exclude`.

    The clause is read once per report (memoised); each call only filters: a clause with n figures
    asks n times, and reading it each time is quadratic in its length."""
    named, national = _clause_agents(lay, clause, lex)
    found = [a for a in named if not any(s <= a.start < e for s, e in exclude)]
    found += [a for a in national if not any(s <= a.start < e for s, e in exclude)]
    found.sort(key=lambda a: a.start)
    return found


def _clause_agents(lay: Layout, clause: Clause, lex: Lexicons) -> tuple[list[ActorMention], list[ActorMention]]:
    """The named actors and the national attacks in agent position in `clause` (memoised per report)."""
    memo = lay.memo.setdefault("clause_agents", {})
    if clause.index not in memo:
        memo[clause.index] = (_named_agents(lay, clause, lex), _national_attacks(lay, clause, lex, []))
    return memo[clause.index]


def _named_agents(lay: Layout, clause: Clause, lex: Lexicons) -> list[ActorMention]:
    text = lay.text
    ag = _agents()
    found = []
    for m in lex.actors.finditer(text, clause.start, clause.end):
        prev = TOKEN.findall(text, max(clause.start, m.start - 40), m.start)
        if _hypothetical(prev, ag) or _hypothetical_after(text, m.end, clause.end, ag):
            continue
        if _undecided(text, clause, m.start, m.end, ag):
            continue
        # A name right after "على"/"مواقع" is the target of the attack, not its author.
        targeted = prev and (_target(prev[-1], ag) or (prev[-1] == "من" and len(prev) > 1 and _target(prev[-2], ag)))
        if targeted and not _attacking_members(text, clause.start, m.start, prev, ag):
            continue
        if _agent_before(text, m.start, clause.start, ag) or _agent_after(text, m.end, clause.end, ag, lex):
            actor = _resolve(lay, m.value, m.start, lex)
            found.append(ActorMention(actor, m.value.nationality, m.start, m.end, m.form))
    return found


def claimant(lay: Layout, clause: Clause, lex: Lexicons) -> ActorMention | None:
    """The actor that claims responsibility in `clause` ("أعلن تنظيم الدولة المسؤولية عنها")."""
    text = lay.text
    ag = _agents()
    for cue in ag.claim.finditer(text, clause.start, clause.end):
        if any(True for _ in ag.claim_denial.finditer(text, clause.start, cue.start)):
            return None
        named = [m for m in lex.actors.finditer(text, max(clause.start, cue.start - 40), cue.start)]
        after = lex.actors.match_at(text, _skip(text, cue.end))  # "تبنى تنظيم داعش اغتيال مرشح"
        if named or after is not None:
            m = named[-1] if named else after
            return ActorMention(_resolve(lay, m.value, m.start, lex), m.value.nationality, m.start, m.end, m.form)
    return None


def _national_attacks(lay: Layout, clause: Clause, lex: Lexicons, exclude) -> list[ActorMention]:
    """ "غارة تركية", "غارات جوية سورية روسية", "قوات تركية": an attack or force with a nationality."""
    text = lay.text
    ag = _agents()
    found = []
    for m, code, group in _nationality_words(lay, clause, lex):
        if any(s <= m.start < e for s, e in exclude):
            continue
        pos = m.start
        # Walk back over adjectives, a hedge and other nationalities to the head noun.
        for _ in range(6):
            prev = TOKEN.findall(text, max(clause.start, pos - 25), pos)
            if not prev:
                break
            word = prev[-1]
            head_start = text.rfind(word, clause.start, pos)
            attack = ag.before.match_at(text, head_start) is not None
            if word in lex.armed_heads or attack:
                prev = TOKEN.findall(text, max(clause.start, head_start - 30), head_start)
                if _hypothetical(prev + [word], ag) or _hypothetical_after(text, m.end, clause.end, ag):
                    break
                if _undecided(text, clause, m.start, m.end, ag):
                    break
                if word in lex.armed_heads and prev and _target(prev[-1], ag):
                    break  # "مواقع للقوات السورية", "إلى جانب القوات السورية": a target or an ally
                if not attack and not (
                    _agent_before(text, head_start, clause.start, ag) or _agent_after(text, m.end, clause.end, ag, lex)
                ):
                    break  # "إرسال الجنود الأمريكيين": forces named, no attack of theirs
                found.append(ActorMention(group, code, m.start, m.end, m.form))
                break
            bare = word[1:] if word.startswith("و") else word  # "الجوي والمدفعي التركي"
            if bare not in lex.nat_between and lex.nationalities.match_at(text, head_start) is None:
                break
            pos = head_start
    return found


def _nationality_words(lay: Layout, clause: Clause, lex: Lexicons) -> list[tuple[Match, str | None, str]]:
    """Nationality adjectives of `clause` with their country code and actor, and the adjectives that name
    the government of the report's country ("غارات جوية حكومية"), left to right."""
    text = lay.text
    found = [(m, m.value[0], m.value[1]) for m in lex.nationalities.finditer(text, clause.start, clause.end)]
    gov = list(_agents().government.finditer(text, clause.start, clause.end))
    if gov:
        group = lex.by_country[country(lay, lex)]
        found = sorted(found + [(m, None, group) for m in gov], key=lambda t: t[0].start)
    return found


def _attacking_members(text: str, cs: int, start: int, prev: list[str], ag: _Agents) -> bool:
    """ "هجوم لعناصر حزب العمال": members named right after an attack word are its authors."""
    word = prev[-2] if prev[-1] == "من" and len(prev) > 1 else prev[-1]
    if strip_clitics(word) not in ag.members:
        return False
    return _agent_before(text, text.rfind(word, cs, start), cs, ag)


def _target(word: str, ag: _Agents) -> bool:
    return word in ag.target or strip_clitics(word) in ag.target  # "الخاضعة لسيطرة المعارضة"


def _hypothetical(prev: list[str], ag: _Agents) -> bool:
    """ "تحسبا لضربة أميركية": the attack is expected, not done; its author did nothing yet."""
    return any(strip_clitics(t) in ag.hypothetical or t in ag.hypothetical for t in prev[-3:])


def left_open(lay: Layout, clause: Clause, lex: Lexicons) -> bool:
    """Whether `clause` says its author is not known between two ("لم يتمكن من تحديد ما إذا كانت الضربات
    قد شنها الطيران السوري أم الروسي"): then no author named elsewhere is the report's either."""
    text = lay.text
    names = [(m.start, m.end) for m in lex.actors.finditer(text, clause.start, clause.end)]
    names += [(m.start, m.end) for m, _, _ in _nationality_words(lay, clause, lex)]
    return any(_undecided(text, clause, s, e, _agents()) for s, e in names)


def _undecided(text: str, clause: Clause, start: int, end: int, ag: _Agents) -> bool:
    """ "ما إذا كانت الطائرات سورية أم روسية": a name between "إذا" and the "أم" of its alternative, or after both."""
    before = TOKEN.findall(text, max(clause.start, start - 80), start)
    opened = [i for i, t in enumerate(before) if t in ag.undecided]
    if not opened:
        return False
    after = TOKEN.findall(text, end, min(clause.end, end + 15))[:2]
    return any(t in ag.alternatives for t in before[opened[-1] + 1 :] + after)


def _hypothetical_after(text: str, end: int, ce: int, ag: _Agents) -> bool:
    """ "الضربة الصاروخية الأميركية المحتملة", "هجوم الحكومة السورية المتوقع": expected, not done."""
    return any(t in ag.hypothetical for t in TOKEN.findall(text, end, min(ce, end + 20))[:2])


def _agent_before(text: str, start: int, cs: int, ag: _Agents) -> bool:
    lo = max(cs, start - 40)
    for cue in ag.before.finditer(text, lo, start):
        between = TOKEN.findall(text, cue.end, start)
        if len([t for t in between if t not in ag.between and strip_clitics(t) not in ag.between]) <= 1:
            return True
    return False


def _agent_after(text: str, end: int, ce: int, ag: _Agents, lex: Lexicons) -> bool:
    if _coordinated_agent(text, end, ce, ag, lex):
        return True
    hi = min(ce, end + 40)
    for cue in ag.after.finditer(text, end, hi):
        if any(True for _ in lex.actors.finditer(text, end, cue.start)):
            return False  # "أعلن النظام أن إسرائيل استهدفت": the verb is the nearer name's
        between = [t for t in TOKEN.findall(text, end, cue.start) if t not in ag.skippable]
        return len(between) <= 2
    return False


def _coordinated_agent(text: str, end: int, ce: int, ag: _Agents, lex: Lexicons) -> bool:
    """ "قوات تركية ومقاتلين متحالفين معها من المعارضة السورية قصفوا": a name joined by "و" to the
    next one shares its verb."""
    nxt = TOKEN.match(text, _skip(text, end))
    if nxt is None or not nxt.group(0).startswith("و"):
        return False
    partner = next(lex.actors.finditer(text, nxt.start(), min(ce, nxt.start() + 50)), None)
    if partner is None:
        return False
    # The partner is the joined word itself, or the owner of the joined members ("ومقاتلين … من المعارضة");
    # any other name further on is not joined ("واشنطن ودول غربية النظام السوري بشنه").
    before = TOKEN.findall(text, nxt.start(), partner.start)
    if before and before[-1] != "من":
        return False
    return _agent_after(text, partner.end, ce, ag, lex)
