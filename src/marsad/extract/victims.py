"""Whose dead: victim nouns, their owners and nationality, subsets, singular and dual counts.

"عناصر من قوات النظام" -> syrian_government, "جنود روس" -> russia/RU, "بينهم 5 أطفال" -> a
children entry of the figure before, "مقتل جندي" = 1, "شخصين قتلا" = 2.
"""

from __future__ import annotations

from marsad.extract.actors import owner_at
from marsad.extract.cues import Lexicons, VictimNoun
from marsad.extract.layout import Clause, Layout
from marsad.extract.lexicon import Match
from marsad.extract.mention import Mention, Sub
from marsad.extract.tokens import next_token, prev_token, tokens_between
from marsad.model import Count
from marsad.text.numbers import TOKEN, Number


def victim_after(text: str, pos: int, end: int, lex: Lexicons) -> Match[VictimNoun] | None:
    v = lex.victims.match_at(text, pos)
    if v is None:
        nxt = next_token(text, pos, end)
        if nxt and nxt[0] == "من":
            v = lex.victims.match_at(text, nxt[2])
    return v if v is not None and v.end <= end else None


def victim_before(text: str, num: Number, cs: int, lex: Lexicons) -> Match[VictimNoun] | None:
    """ "قتل جندي سوري واحد": a singular noun (and its nationality) before "واحد/اثنان"."""
    if num.value not in (1, 2):
        return None
    found = None
    for v in lex.victims.finditer(text, max(cs, num.start - 30), num.start):
        found = v
    if found is None or found.value.number == "plural":
        return None
    return found if tokens_between(text, found.end, num.start) <= 1 else None


def victim_group(
    lay: Layout, m: Mention, noun: Match[VictimNoun] | None, num: Number, lex: Lexicons, prior: list[Mention]
) -> None:
    text = lay.text
    after = max(num.end, noun.end if noun else num.num_end, m.end if m.kind != "combined" else num.end)
    owner = owner_at(lay, after, m.clause.end, lex)
    if owner is None and noun is not None and noun.end < after:
        # "5 مسلحين من القوات الشعبية قتلوا": the owner sits between the noun and its verb.
        owner = owner_at(lay, noun.end, m.clause.end, lex)
    if owner is None and noun is None and m.end > num.end:
        owner = owner_at(lay, num.end, m.clause.end, lex)  # "39 من الجيش السوري قتلوا"
    if owner is None and noun is None:
        owner = _owner_of_cue_noun(lay, num, m.clause, lex)
    nat = lex.nationalities.match_at(text, noun.end) if noun else None
    if nat:
        m.nationality = nat.value[0]
        m.end = max(m.end, nat.end)  # "4 جنود روس": the nationality belongs to the victims
    if owner:
        m.owner_span = (owner.start, owner.end)
        if m.nationality is None:
            m.nationality = owner.nationality
    group = noun.value.group if noun else None
    if group in (None, "owner", "person"):
        if owner:
            m.group = owner.actor
        elif nat and group == "owner":
            m.group = nat.value[1]
        elif group == "person":
            m.group = "civilians"
            m.generic = True
        elif group is None:
            m.unnamed = True
    elif group == "inherit":
        m.group = prior[-1].group if prior else "unknown"
    else:
        m.group = group


def _owner_of_cue_noun(lay: Layout, num: Number, clause: Clause, lex: Lexicons):
    """ "عدد القتلى النظام … 1362": the owner named right after a casualty noun before the figure."""
    for cue in lex.killed_before.finditer(lay.text, max(clause.start, num.start - 200), num.start):
        owner = owner_at(lay, cue.end, num.start, lex)
        if owner:
            return owner
    return None


def subset_cue(text: str, num: Number, clause: Clause, lex: Lexicons) -> Match[str] | None:
    cue = None
    for m in lex.subset.finditer(text, max(clause.start, num.start - 22), num.start):
        cue = m
    if cue is None or tokens_between(text, cue.end, num.start) > 1:
        return None
    return cue


def subset(lay: Layout, num: Number, clause: Clause, lex: Lexicons) -> Sub | None:
    text = lay.text
    cue = subset_cue(text, num, clause, lex)
    if cue is None:
        return None
    noun = victim_after(text, num.num_end, clause.end, lex)
    owner = owner_at(lay, max(num.end, noun.end if noun else 0), clause.end, lex)
    group = noun.value.group if noun else None
    nationality = None
    if noun:
        nat = lex.nationalities.match_at(text, noun.end)
        nationality = nat.value[0] if nat else None
    else:
        nat = lex.nationalities.match_at(text, num.num_end)  # "من ضمنهم 8 إيرانيين"
        if nat is not None:
            nationality, group = nat.value
            noun = nat  # type: ignore[assignment]
    if group in (None, "owner", "person", "inherit"):
        if owner:
            group = owner.actor
        elif noun and noun.value.armed and nationality:
            group = lex.nationalities.match_at(text, noun.end).value[1]  # type: ignore[union-attr]
        else:
            group = "civilians" if group == "person" else None
    if owner and nationality is None:
        nationality = owner.nationality
    if group is None:
        return None
    end = max(num.end, noun.end if noun else num.end, owner.end if owner else 0)
    return Sub(group, nationality, num.count, cue.start, end)


def unnumbered_subsets(lay: Layout, m: Mention, lex: Lexicons) -> list[Sub]:
    """ "مقتل 14 مقاتلا من بينهم إيرانيون": who is among the dead, without a figure of its own."""
    text = lay.text
    out: list[Sub] = []
    for cue in lex.subset.finditer(text, m.end, min(m.clause.end, m.end + 30)):
        if tokens_between(text, m.end, cue.start) > 2:
            break
        noun = lex.victims.match_at(text, cue.end)
        nat = lex.nationalities.match_at(text, noun.end if noun else cue.end)
        if noun is not None and noun.value.group not in ("owner", "person", "inherit"):
            out.append(Sub(noun.value.group, nat.value[0] if nat else None, None, cue.start, noun.end))
        elif nat is not None:
            out.append(Sub(nat.value[1], nat.value[0], None, cue.start, nat.end))
        break
    return out


def singular_dual(lay: Layout, clause: Clause, lex: Lexicons, taken: list[Mention]) -> list[Mention]:
    """ "مقتل جندي" = 1, "إصابة طفلين" = 2: a victim noun in the singular or dual right after a cue."""
    text = lay.text
    found: list[Mention] = []
    for kind, matcher in (("killed", lex.killed_before), ("wounded", lex.wounded_before)):
        for cue in matcher.finditer(text, clause.start, clause.end):
            if cue.value > 3:  # nouns like القتلى/حصيلة are not followed by a victim noun count
                continue
            noun = lex.victims.match_at(text, cue.end)
            if noun is None:
                nxt = next_token(text, cue.end, clause.end)
                if nxt and nxt[0] in lex.fillers:  # "قتل فيها مرافقاه"
                    noun = lex.victims.match_at(text, nxt[2])
            if noun is None or noun.value.number == "plural" or noun.value.group == "inherit":
                continue
            if any(m.start <= cue.start < m.end or m.start <= noun.start < m.end for m in taken + found):
                continue
            found.append(_noun_count(lay, kind, cue.start, noun, clause, lex, taken + found))
    # "شخصين قتلا", "جندي قتل": the noun first, the verb after it.
    for kind, matcher in (("killed", lex.killed_after), ("wounded", lex.wounded_after)):
        for verb in matcher.finditer(text, clause.start, clause.end):
            noun = None
            for v in lex.victims.finditer(text, max(clause.start, verb.start - 30), verb.start):
                noun = v
            if noun is None or noun.value.number == "plural" or noun.value.group == "inherit":
                continue
            if tokens_between(text, noun.end, verb.start) > 1 or any(c in "،,.:" for c in text[noun.end : verb.start]):
                continue
            if any(m.start <= noun.start < m.end or noun.start <= m.start < verb.end for m in taken + found):
                continue
            if (
                TOKEN.search(text, max(clause.start, noun.start - 12), noun.start)
                and prev_token(text, noun.start, clause.start).isdigit()
            ):
                continue
            m = _noun_count(lay, kind, noun.start, noun, clause, lex, taken + found)
            m.end = verb.end
            found.append(m)
    return found


def _noun_count(lay: Layout, kind: str, start: int, noun: Match[VictimNoun], clause: Clause, lex: Lexicons, prior):
    n = 1 if noun.value.number == "singular" else 2
    if n == 1:
        # "قتل اللواء عماد إبراهيم واللواء يوسف علي": the same title repeated after "و" is one more.
        word = lay.text[noun.start : noun.end].strip()
        n += lay.text.count(" و" + word + " ", noun.end, min(clause.end, noun.end + 80))
    m = Mention(kind, Count.exact(n), start, noun.end, clause, how="noun_count")
    fake = Number(noun.start, noun.end, noun.start, noun.end, n, m.count)
    victim_group(lay, m, noun, fake, lex, prior)
    return m
