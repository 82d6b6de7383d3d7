"""Number expressions in folded Arabic text -> Count (low/best/high) with their spans.

Digits (1362, 1,362; Arabic-Indic digits are folded before), number words and compounds
(خمسة وعشرون، مئة وخمسون، ثلاثة آلاف، ألفين، نصف مليون), vague quantities (عشرات، مئات) as
ranges, and the qualifiers around them (على الأقل، نحو، أكثر من …) per SCHEMA.md.
Singular and dual nouns (مقتل جندي، جنديين) are counts too, but they need the noun lexicon:
see marsad.extract.candidates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, partial

from marsad.lang import load
from marsad.model import Count
from marsad.text.normalize import fold_plain
from marsad.text.trie import trie_regex

# One-letter proclitics a number word takes: و (and), ب (by, with).
_PROCLITICS = ("و", "ب")
TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_DIGIT = re.compile(r"\d")

# The largest figure read as a count: beyond it a string of digits is an id, a phone number or
# noise (no casualty count comes near), and it could not be stored as a 64-bit integer either.
MAX_FIGURE = 10**9


@dataclass
class Number:
    """A number expression: [start, end) spans the figure and its qualifiers; value is the figure."""

    start: int
    end: int
    num_start: int
    num_end: int
    value: int | None
    count: Count
    qualifier: str | None = None
    vague: bool = False


@dataclass(frozen=True)
class _Lex:
    words: dict[str, tuple[str, float]]
    vague: dict[str, tuple[int, int]]
    vague_scale: dict[str, int]
    teen: frozenset[str]
    before: re.Pattern[str]
    after: re.Pattern[str]
    range_open: re.Pattern[str]
    range_join: frozenset[str]
    # Every word token a number can start at (a number word, "و" + one, "ال" + one); a token neither
    # in it nor opening with a digit is skipped without parsing.
    starts: frozenset[str]
    any_start: re.Pattern[str]  # a word token of `starts` (one search instead of listing every token)


@cache
def _lex() -> _Lex:
    data = load("ar", "numbers")
    words: dict[str, tuple[str, float]] = {}

    def put(kind: str, table: dict, scale: float = 1) -> None:
        for value, forms in table.items():
            for form in forms:
                words.setdefault(fold_plain(form), (kind, float(value) * scale))

    put("unit", data["units"])
    put("ten", data["tens"])
    put("hundred", data["hundreds"])
    put("scale", data["scales"])
    put("scale_dual", data["scale_duals"])
    put("fraction", data["fractions"])
    for value, prefixes in data["hundred_prefixes"].items():
        for prefix in prefixes:
            for hundred in data["hundreds"][100]:
                words[fold_plain(prefix + hundred)] = ("hundred", value * 100.0)
    vague = {fold_plain(f): (v["low"], v["high"]) for v in data["vague"] for f in v["forms"]}
    vague_scale = {fold_plain(f): int(k) for k, fs in data["vague_scale_plurals"].items() for f in fs}
    starts = frozenset(
        [*words, *vague]
        + ["ال" + w for w in words]
        + [c + w for c in _PROCLITICS for w, (kind, _) in words.items() if kind not in ("scale", "fraction")]
    )
    quals = load("ar", "qualifiers")
    before = _alternation(quals["before"])
    after = _alternation(quals["after"])
    return _Lex(
        words=words,
        vague=vague,
        vague_scale=vague_scale,
        teen=frozenset(fold_plain(f) for f in data["teen"]),
        before=re.compile(r"(?:^|(?<=[\s(]))[وب]?(?:" + before + r")\s*$"),
        after=re.compile(r"\s*[,،]?\s*(?:" + after + r")(?!\w)"),
        range_open=re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(fold_plain(w)) for w in quals["range_open"]) + r")\s*$"
        ),
        range_join=frozenset(fold_plain(w) for w in quals["range_join"]),
        starts=starts,
        # Word tokens are runs of letters: a start word with no letter on either side.
        any_start=re.compile(r"(?<![^\W\d_])(?:" + trie_regex(sorted(starts)) + r")(?![^\W\d_])"),
    )


def _alternation(groups: dict[str, list[str]]) -> str:
    parts = []
    for name, forms in groups.items():
        alts = "|".join(re.escape(fold_plain(f)) for f in sorted(forms, key=len, reverse=True))
        parts.append(f"(?P<{name}>{alts})")
    return "|".join(parts)


def qualified(value: int, qualifier: str | None) -> Count:
    """The Count for a figure under a qualifier (SCHEMA.md rules)."""
    if qualifier == "about":
        return Count(low=None, best=value, high=None)
    if qualifier == "up_to":
        return Count(low=None, best=value, high=value)
    if qualifier == "less_than":
        return Count(low=None, best=None, high=value)
    return Count(low=value, best=value, high=None)


def find_numbers(text: str) -> list[Number]:
    """All number expressions in folded `text`, left to right."""
    lex = _lex()
    first = _first_start(text, lex)
    if first is None:
        return []  # most clauses: no digit and no number word
    toks = [(m.group(0), m.start(), m.end()) for m in TOKEN.finditer(text, first)]
    found: list[Number] = []
    i = 0
    starts = lex.starts
    while i < len(toks):
        if toks[i][0] not in starts and not toks[i][0][0].isdigit():
            i += 1  # most words: neither _parse_at nor _joined_word can read them
            continue
        parsed = _parse_at(toks, i, lex)
        start = toks[i][1]
        if parsed is None and _joined_word(toks[i][0], lex):
            # "بين مئة ومئتي", "16 طفلا وأربع نساء": a number word joined by و is a figure too, and
            # one after ب ("يقدر بأحد عشر طفلا", "بخمسة أشخاص"; read alone, "عشر" was a figure of 10).
            word, s, e = toks[i]
            parsed = _parse_at([*toks[:i], (word[1:], s + 1, e), *toks[i + 1 :]], i, lex)
            start = s + 1
        if parsed is None:
            i += 1
            continue
        j, value, vague = parsed
        end = toks[j - 1][2]
        found.append(_with_qualifiers(text, start, end, value, vague, lex))
        i = j
    return fold_pairs(fold_pairs(found, partial(_word_and_digits, text)), partial(_range, text, lex))


def _first_start(text: str, lex: _Lex) -> int | None:
    """Where the first token a number can start at begins (a digit, or a word of `starts`): the words
    before it are never read, so they are not tokenised."""
    digit = _DIGIT.search(text)
    word = lex.any_start.search(text, 0, digit.start() if digit else len(text))
    if word is not None:
        return word.start()
    return digit.start() if digit else None


def _joined_word(word: str, lex: _Lex) -> bool:
    return word[0] in _PROCLITICS and lex.words.get(word[1:], ("scale",))[0] not in ("scale", "fraction")


def fold_pairs(found: list[Number], join: Callable[[Number, Number], Number | None]) -> list[Number]:
    """`found`, left to right, with each figure that `join` makes one with the figure before it (itself
    perhaps joined already) replaced, together with that one, by what `join` returns."""
    out: list[Number] = []
    for n in found:
        joined = join(out[-1], n) if out else None
        if joined is None:
            out.append(n)
        else:
            out[-1] = joined
    return out


def _word_and_digits(text: str, prev: Number, n: Number) -> Number | None:
    """ "ألف و300", "مئة و20": a round number word and the smaller digits after و are one figure."""
    if not (
        prev.value
        and n.value
        and not text[prev.num_start].isdigit()
        and text[n.num_start].isdigit()
        and prev.value % 100 == 0
        and n.value < 10 ** (len(str(prev.value)) - 1)
        and re.fullmatch(r"\s+و", text[prev.num_end : n.num_start])
    ):
        return None
    value = prev.value + n.value
    return Number(
        prev.start, n.end, prev.num_start, n.num_end, value, qualified(value, prev.qualifier), qualifier=prev.qualifier
    )


def _range(text: str, lex: _Lex, prev: Number, n: Number) -> Number | None:
    """ "بين 40 و70 قتيلا": two figures joined as a range become one (low, high)."""
    if (
        prev.value is not None
        and n.value is not None
        and prev.qualifier is None
        and prev.value < n.value
        and " ".join(text[prev.end : n.start].split()) in lex.range_join
        and lex.range_open.search(text, max(0, prev.start - 10), prev.start)
    ):
        return Number(prev.start, n.end, prev.num_start, n.num_end, prev.value, Count(prev.value, None, n.value))
    return None


def _with_qualifiers(text: str, start: int, end: int, value: int | tuple[int, int], vague: bool, lex: _Lex) -> Number:
    if vague:
        low, high = value  # type: ignore[misc]
        return Number(start, end, start, end, None, Count(low=low, best=None, high=high), vague=True)
    n = int(value)  # type: ignore[arg-type]
    qual = None
    q_start, q_end = start, end
    m = lex.before.search(text, max(0, start - 30), start)
    if m:
        qual = next(k for k, v in m.groupdict().items() if v)
        q_start = m.start()
    else:
        # "38 قتيلا على الأقل": the qualifier may follow the figure or the noun after it.
        nxt = TOKEN.match(text, _skip_space(text, end))
        for pos in (end, nxt.end() if nxt else end):
            m = lex.after.match(text, pos)
            if m:
                qual = next(k for k, v in m.groupdict().items() if v)
                q_end = m.end()
                break
    return Number(q_start, q_end, start, end, n, qualified(n, qual), qualifier=qual)


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    return pos


def _parse_at(toks: list[tuple[str, int, int]], i: int, lex: _Lex) -> tuple[int, object, bool] | None:
    """(next token index, value, vague) for a number starting at token i, else None."""
    word = toks[i][0]
    if word[0].isdecimal():  # not "²" or "①": digits, but no decimal figure
        return _parse_digits(toks, i, lex)
    if word in lex.vague:
        nxt = toks[i + 1][0] if i + 1 < len(toks) else ""
        low, high = lex.vague[word]
        if nxt in lex.vague_scale:
            scale = lex.vague_scale[nxt]
            return i + 2, (low * scale, high * scale + scale - 1), True
        return i + 1, (low, high), True
    if word in lex.words:
        return _parse_words(toks, i, lex)
    # "الخمسة عشر": a teen with the article (a bare "الخمسة" is "the five", left alone).
    if word.startswith("ال") and word[2:] in lex.words and i + 1 < len(toks) and toks[i + 1][0] in lex.teen:
        kind, val = lex.words[word[2:]]
        if kind == "unit" and val < 10:
            return i + 2, int(val) + 10, False
    return None


def _parse_digits(toks: list[tuple[str, int, int]], i: int, lex: _Lex) -> tuple[int, object, bool] | None:
    raw = toks[i][0]
    if len(raw) > 15:
        return None  # far beyond MAX_FIGURE; also keeps int() away from 4,300-digit strings
    # Exact arithmetic (an int, a Fraction once there is a decimal point or a scale): a float would
    # turn 123456789012345678901234 into ...685803008.
    value: int | Fraction
    if "." in raw:
        try:
            value = Fraction(raw.replace(",", ""))
        except ValueError:
            return None
    elif "," in raw:
        groups = raw.split(",")
        # "1,362" is a thousands group; "3,4" is a list, keep the first figure only.
        if all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3:
            value = int(raw.replace(",", ""))
        else:
            return None
    else:
        value = int(raw)
    j = i + 1
    if j < len(toks):
        kind, scale = lex.words.get(toks[j][0], ("", 0))
        if kind == "scale":
            value *= Fraction(scale)
            j += 1
    if value.denominator != 1 or value > MAX_FIGURE:
        return None
    return j, int(value), False


def _parse_words(toks: list[tuple[str, int, int]], i: int, lex: _Lex) -> tuple[int, object, bool] | None:
    total = 0.0
    cur = 0.0
    last = ""
    j = i
    while j < len(toks):
        word = toks[j][0]
        joined = j > i and word.startswith("و") and word[1:] in lex.words
        if joined:
            word = word[1:]
        if word not in lex.words or (j > i and toks[j][1] - toks[j - 1][2] > 2):
            break
        kind, val = lex.words[word]
        if j == i:
            if kind == "fraction":
                if j + 1 >= len(toks) or lex.words.get(toks[j + 1][0], ("",))[0] != "scale":
                    return None
                total += val * lex.words[toks[j + 1][0]][1]
                return j + 2, int(total), False
            if kind == "scale" or kind == "scale_dual":
                total += val
            else:
                cur += val
        elif kind == "unit" and last == "unit" and val == 10 and not joined and cur % 100 < 10:
            cur += 10  # ثلاثة عشر
        elif kind == "hundred" and last == "unit" and not joined and val == 100:
            cur = cur * 100
        elif kind == "scale" and not joined and last in ("unit", "ten", "hundred", "teen"):
            total += (cur or 1) * val
            cur = 0
        elif joined and kind == "hundred" and last != "scale":
            break  # "مئة ومئتي": two figures (a range or list), hundreds only follow thousands
        elif joined and kind in ("unit", "ten") and (kind == last or cur % 100 >= 10):
            break  # "عشرين وثلاثين", "خمسة وستة", "عشرة وعشرين": two figures
        elif joined and kind in ("unit", "ten", "hundred", "scale_dual"):
            if kind == "scale_dual":
                total += val
            else:
                cur += val
        else:
            break
        last = "teen" if (j > i and kind == "unit" and val == 10 and last == "unit") else kind
        j += 1
    value = int(total + cur)
    if value <= 0 or value > MAX_FIGURE:
        return None
    return j, value, False
