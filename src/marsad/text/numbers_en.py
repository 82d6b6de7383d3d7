"""Number expressions in English text -> Count (low/best/high) with their spans.

Digits (22, 1,362, 230000, 1.5 million), number words and compounds (twenty-two, one hundred and
fifty, a dozen), vague quantities as ranges (dozens, scores, hundreds, several) and the qualifiers
around them (at least, more than, some, about, up to, nearly), per SCHEMA.md. The words are data
in lang/en/numbers.yaml and lang/en/qualifiers.yaml; the Number record and the qualifier rules are
the Arabic ones (marsad.text.numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from marsad.lang import load
from marsad.model import Count
from marsad.text.numbers import Number, qualified

__all__ = ["Number", "find_numbers_en"]


@dataclass(frozen=True)
class _Lex:
    words: dict[str, tuple[str, int]]  # lower-cased form -> (unit|ten|scale, value)
    vague: dict[str, tuple[int, int]]
    figure: re.Pattern[str]
    before: re.Pattern[str]
    after: re.Pattern[str]
    qualifier_of: dict[str, str]


def _alt(forms) -> str:
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(set(forms), key=len, reverse=True))


@cache
def _lex() -> _Lex:
    data = load("en", "numbers")
    words: dict[str, tuple[str, int]] = {}
    for kind, table in (("unit", data["units"]), ("ten", data["tens"]), ("scale", data["scales"])):
        for value, forms in table.items():
            for form in forms:
                words[" ".join(form.lower().split())] = (kind, int(value))
    vague = {" ".join(f.lower().split()): (v["low"], v["high"]) for v in data["vague"] for f in v["forms"]}
    word = _alt(words)
    digits = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?"
    scale = _alt(f for f, (k, _v) in words.items() if k == "scale")
    figure = (
        rf"(?P<vague>{_alt(vague)})(?![\w-])"
        rf"|(?P<digits>{digits})(?:\s+(?P<dscale>{scale}))?(?![\w-])"
        # "and" joins parts only after a hundred or a thousand: "two and three" are two figures.
        rf"|(?P<words>(?:{word})(?:(?:(?:(?<=hundred)|(?<=thousand)|(?<=million))\s+and\s+|[\s-]+)(?:{word}))*)(?![\w-])"
    )
    quals = load("en", "qualifiers")
    qualifier_of = {" ".join(f.lower().split()): name for name, fs in quals["before"].items() for f in fs}
    after_of = {" ".join(f.lower().split()): name for name, fs in quals["after"].items() for f in fs}
    return _Lex(
        words=words,
        vague=vague,
        figure=re.compile(r"(?<![\w.,-])(?:" + figure + ")", re.IGNORECASE),
        before=re.compile(r"(?<![\w-])(?P<q>" + _alt(qualifier_of) + r")\s+$", re.IGNORECASE),
        after=re.compile(r"\s+(?P<q>" + _alt(after_of) + r")(?![\w-])", re.IGNORECASE),
        qualifier_of={**{f"after:{k}": v for k, v in after_of.items()}, **qualifier_of},
    )


def words_value(phrase: str, words: dict[str, tuple[str, int]] | None = None) -> int | None:
    """The value of a run of number words ("twenty-two", "one hundred and fifty", "a dozen")."""
    words = words or _lex().words
    tokens = [t for t in re.split(r"[\s-]+", phrase.lower()) if t and t != "and"]
    total = current = 0
    i = 0
    while i < len(tokens):
        # Multi-word forms ("a dozen", "a single", "a quarter of a million") first.
        for size in (5, 4, 3, 2, 1):
            form = " ".join(tokens[i : i + size])
            if form in words:
                break
        else:
            return None
        kind, value = words[form]
        i += size
        if kind == "scale" and value == 100:
            current = (current or 1) * 100
        elif kind == "scale":
            total += (current or 1) * value
            current = 0
        else:
            current += value
    return total + current or None


def find_numbers_en(text: str) -> list[Number]:
    """All number expressions in `text`, left to right (offsets index `text` itself)."""
    lex = _lex()
    found: list[Number] = []
    for m in lex.figure.finditer(text):
        value, count, vague = _value(m, lex)
        if count is None:
            continue
        start, end, qualifier = m.start(), m.end(), None
        before = lex.before.search(text, max(0, start - 40), start)
        if before and not vague:
            qualifier, start = lex.qualifier_of[" ".join(before.group("q").lower().split())], before.start()
        after = lex.after.match(text, end)
        if after and not vague and qualifier is None:
            qualifier, end = lex.qualifier_of["after:" + " ".join(after.group("q").lower().split())], after.end()
        if value is not None:
            count = qualified(value, qualifier)
        found.append(Number(start, end, m.start(), m.end(), value, count, qualifier, vague))
    return found


def _value(m: re.Match[str], lex: _Lex) -> tuple[int | None, Count | None, bool]:
    if m.group("vague"):
        low, high = lex.vague[" ".join(m.group("vague").lower().split())]
        return None, Count(low=low, best=None, high=high), True
    if m.group("digits"):
        number = float(m.group("digits").replace(",", ""))
        if m.group("dscale"):
            number *= lex.words[" ".join(m.group("dscale").lower().split())][1]
        elif "." in m.group("digits"):
            return None, None, False  # a decimal with no scale (3.5 km, 1.2 percent) is no head count
        value = int(number)
        return value, Count.exact(value), False
    value = words_value(m.group("words"), lex.words)
    return (value, Count.exact(value), False) if value else (None, None, False)
