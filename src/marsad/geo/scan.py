"""Finding place names in a phrase or a sentence: tokens, prefixes, longest gazetteer n-grams.

The scanner walks the tokens once. At each token it tries the longest name the gazetteer holds
(folded keys, so one dict lookup per n-gram); failing that, a prefix word ("قرية", "ريف", "قرب",
"جنوب"...) is remembered as an effect on the name that follows; suffixes ("الجنوبي") are taken after
a name. N-grams never cross punctuation: "الفتيح, منطقة جبلة" is two segments, the second naming the
container of the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from marsad.geo.gazetteer import MIN_SKELETON, Gazetteer
from marsad.geo.lexicon import prefixes
from marsad.geo.normalize import (
    TOKEN_RE,
    ar_fold,
    clitic_variants,
    has_arabic,
    latin_token,
    skeleton_from_latin,
    skeletons_from_arabic,
    strip_article,
)

_SEGMENT_BREAK = re.compile(r"[,،؛;:.()\[\]«»\"!?؟|\n/]|\s[-–—]\s")
_LATIN_ARTICLES = frozenset("al el ad ar as az ash at an adh ath ed es ez".split())
MAX_NGRAM = 6


@dataclass(slots=True)
class Token:
    start: int
    end: int
    seg: int
    key: str  # the folded word as names are indexed
    fold: str  # folded with its article, for suffixes ("الجنوبي")
    alts: tuple[str, ...] = ()  # keys without a proclitic (و، ب، ل، ف)


@dataclass(slots=True)
class Span:
    """A name found in the text with what surrounds it."""

    start: int  # first prefix or the name
    end: int
    name_start: int
    name_end: int
    seg: int
    ids: list[int]
    effects: list[str] = field(default_factory=list)
    how: str = "exact"  # "exact" or "translit"


def tokenize(text: str) -> tuple[list[Token], bool]:
    arabic = has_arabic(text)
    tokens: list[Token] = []
    seg = 0
    last_end = 0
    for m in TOKEN_RE.finditer(text):
        if tokens and _SEGMENT_BREAK.search(text, last_end, m.start()):
            seg += 1
        last_end = m.end()
        word = m.group()
        if arabic and has_arabic(word):
            fold = ar_fold(word)
            tokens.append(Token(m.start(), m.end(), seg, strip_article(fold), fold, clitic_variants(fold)))
        else:
            key = latin_token(word)
            if not arabic and key in _LATIN_ARTICLES:
                continue  # "Deir ez-Zor": articles are not indexed either
            tokens.append(Token(m.start(), m.end(), seg, key, key))
    return tokens, arabic


class Scanner:
    def __init__(self, gaz: Gazetteer, stopwords: frozenset[str] = frozenset()):
        self.gaz = gaz
        self.stopwords = stopwords
        self.maxn = min(gaz.max_tokens, MAX_NGRAM)
        self.pre = {lang: prefixes(lang) for lang in ("ar", "en")}

    def scan(self, text: str, translit: bool, strict: bool) -> list[Span]:
        """`strict` (free text): a bare one-word common noun is not a place; `translit`: allow
        cross-script skeleton matches (in strict mode only right after a prefix)."""
        tokens, arabic = tokenize(text)
        lang = "ar" if arabic else "en"
        before, after = self.pre[lang]["before"], self.pre[lang]["after"]
        spans: list[Span] = []
        effects: list[str] = []
        pstart: int | None = None
        i, n = 0, len(tokens)
        while i < n:
            hit = self._name_at(tokens, i, arabic, before, translit and (not strict or bool(effects)), strict)
            if hit:
                j, ids, how = hit
                j, after_effects = _suffixes(tokens, j, after)
                first = tokens[i]
                spans.append(
                    Span(
                        start=pstart if pstart is not None else first.start,
                        end=tokens[j - 1].end,
                        name_start=first.start,
                        name_end=tokens[j - 1].end if not after_effects else _name_end(tokens, i, j, after),
                        seg=first.seg,
                        ids=ids,
                        effects=effects + after_effects,
                        how=how,
                    )
                )
                effects, pstart, i = [], None, j
                continue
            pre = _prefix_at(tokens, i, before)
            if pre:
                j, effect = pre
                if pstart is None:
                    pstart = tokens[i].start
                effects.append(effect)
                i = j
                continue
            effects, pstart = [], None
            i += 1
        return spans

    def _name_at(self, tokens, i, arabic, before, translit, strict):
        seg = tokens[i].seg
        limit = i
        while limit < len(tokens) and limit - i < self.maxn and tokens[limit].seg == seg:
            limit += 1
        first = tokens[i]
        firsts = (first.key, *first.alts)
        for n in range(limit - i, 0, -1):
            rest = [t.key for t in tokens[i + 1 : i + n]]
            for head in firsts:
                if n == 1 and (head in before or (strict and (head in self.stopwords or len(head) < 3))):
                    continue
                key = " ".join([head, *rest])
                ids = self.gaz.lookup_ar(key) if arabic else self.gaz.latin.get(key)
                if ids:
                    return i + n, ids, "exact"
        if translit:
            return self._translit_at(tokens, i, limit, arabic, before)
        return None

    def _translit_at(self, tokens, i, limit, arabic, before):
        for n in range(limit - i, 0, -1):
            words = [t.key for t in tokens[i : i + n]]
            if n == 1 and words[0] in before:
                continue
            skels = skeletons_from_arabic(words) if arabic else {skeleton_from_latin(" ".join(words))}
            for skel in skels:
                if len(skel) >= MIN_SKELETON and (ids := self.gaz.skeleton.get(skel)):
                    return i + n, ids, "translit"
        return None


def _prefix_at(tokens: list[Token], i: int, before: dict[str, str]) -> tuple[int, str] | None:
    t = tokens[i]
    if i + 1 < len(tokens) and tokens[i + 1].seg == t.seg:
        for head in (t.key, *t.alts):
            effect = before.get(f"{head} {tokens[i + 1].key}")
            if effect:
                return i + 2, effect
    for head in (t.key, *t.alts):
        effect = before.get(head)
        if effect:
            return i + 1, effect
    return None


def _suffixes(tokens: list[Token], j: int, after: dict[str, str]) -> tuple[int, list[str]]:
    found: list[str] = []
    while j < len(tokens) and tokens[j].seg == tokens[j - 1].seg:
        pair = f"{tokens[j].fold} {tokens[j + 1].fold}" if j + 1 < len(tokens) else None
        if pair and pair in after and tokens[j + 1].seg == tokens[j].seg:
            found.append(after[pair])
            j += 2
        elif tokens[j].fold in after:
            found.append(after[tokens[j].fold])
            j += 1
        else:
            break
    return j, found


def _name_end(tokens: list[Token], i: int, j: int, after: dict[str, str]) -> int:
    k = j
    while k > i + 1 and (tokens[k - 1].fold in after):
        k -= 1
    return tokens[k - 1].end
