"""Figures that are not casualties, and statements that are not news of violence.

Units, objects and sizes after a figure, ages and ordinals, parts of an earlier figure
("اثنين من القتلى"), denials and hypotheses, court sentences, and accidents.
"""

from __future__ import annotations

from marsad.extract.cues import Lexicons
from marsad.extract.layout import Clause, Layout
from marsad.extract.mention import Mention
from marsad.extract.tokens import next_token, prev_token, strip_clitics, tokens_between
from marsad.text.numbers import TOKEN, Number, find_numbers


def not_casualty(text: str, num: Number, clause: Clause, lex: Lexicons) -> bool:
    nxt = next_token(text, num.num_end, clause.end)
    if (
        nxt
        and nxt[1] - num.num_end <= 2
        and (nxt[0] in lex.non_casualty_units or strip_clitics(nxt[0]) in lex.non_casualty_units)
    ):
        return True
    if nxt and (nxt[0] == "%" or lex.percent.match_at(text, nxt[1]) is not None):
        return True
    prev = prev_token(text, num.start, clause.start)
    if prev in lex.non_casualty_before or strip_clitics(prev) in lex.non_casualty_before:
        return True
    # "صبي في الـ16", "في الـ24 من الشهر": an age or an ordinal, not a count.
    if prev == "ال" and TOKEN.findall(text, max(clause.start, num.start - 10), num.start)[-2:-1] == ["في"]:
        return True
    digits = text[num.num_start : num.num_end]
    return digits.isdigit() and len(digits) == 4 and 1900 <= int(digits) <= 2100


def partitive(text: str, num: Number, clause: Clause, lex: Lexicons) -> bool:
    """ "اثنين من القتلى الروس", "توفي اثنان منهم": a part of an earlier figure."""
    if num.vague:
        return False  # "المئات منهم قتلوا": a figure of its own
    nxt = next_token(text, num.num_end, clause.end)
    return nxt is not None and lex.partitive.match_at(text, nxt[1]) is not None


def kin_part(lay: Layout, num: Number, clause: Clause, lex: Lexicons) -> bool:
    """ "مقتل 7 أشخاص … بينهم مختار القرية إلى جانب اثنين من أبنائه": relatives counted in a figure
    given earlier in the sentence, not a new statement."""
    text = lay.text
    nxt = next_token(text, num.num_end, clause.end)
    if num.vague or nxt is None or lex.kin.match_at(text, nxt[1]) is None:
        return False
    start = lay.sentence_clauses(clause.sentence)[0].start
    return any(n.value for n in find_numbers(text[start : num.start]))


def negated(lay: Layout, m: Mention, lex: Lexicons) -> bool:
    """ "لم يسفر عن سقوط قتلى", "نفى مقتل": a denial or hypothesis just before the statement."""
    # "قضت المحكمة العسكرية بمحافظة الإسكندرية في مصر، الخميس، بإعدام 17": up to 8 words away.
    lo = max(m.clause.start, m.start - 90)
    return any(tokens_between(lay.text, n.end, m.start) <= 8 for n in lex.negation.finditer(lay.text, lo, m.start))


def accidental(lay: Layout, clause: Clause, lex: Lexicons) -> bool:
    """A crash, fire or flood with no attack cue in the clause is not political violence."""
    text = lay.text
    if not any(True for _ in lex.accident.finditer(text, clause.start, clause.end)):
        return False
    return not any(True for _ in lex.events.finditer(text, clause.start, clause.end))


def conjoined(text: str, pos: int) -> bool:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    return (
        text.startswith("و", pos) and not text.startswith("وفي", pos) and pos + 1 < len(text) and text[pos + 1] != " "
    )
