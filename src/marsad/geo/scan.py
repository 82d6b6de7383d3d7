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
from functools import lru_cache

from marsad.geo.gazetteer import MIN_SKELETON, Gazetteer
from marsad.geo.lexicon import generic_heads, prefixes
from marsad.geo.normalize import (
    TOKEN_RE,
    ar_fold,
    clitic_variants,
    has_arabic,
    latin_token,
    skeleton_from_latin,
    skeletons_from_arabic,
    strip_article,
    words_only,
)

_SEGMENT_BREAK = re.compile(r"[,،؛;:.()\[\]«»\"!?؟|\n/]|\s[-–—]\s")
_LATIN_ARTICLES = frozenset(["al", "el", "ad", "ar", "as", "az", "ash", "at", "an", "adh", "ath", "ed", "es", "ez"])
MAX_NGRAM = 6
SURE_SKELETON = 4


@dataclass(slots=True)
class Token:
    start: int
    end: int
    seg: int
    key: str  # the folded word as names are indexed
    fold: str  # folded with its article, for suffixes ("الجنوبي")
    alts: tuple[str, ...] = ()  # keys without a proclitic (و، ب، ل، ف)
    cap: bool = True  # Latin script: capitalised, as names are in running English text


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
    # Unknown words run into the name ("كسرة الفرج" found as "كسرة"): it may be the head or tail of
    # a longer name the gazetteer lacks.
    partial: bool = False
    first_tok: int = 0
    end_tok: int = 0


def tokenize(text: str) -> tuple[list[Token], bool]:
    arabic = has_arabic(text)
    tokens: list[Token] = []
    breaks = [m.start() for m in _SEGMENT_BREAK.finditer(text)]
    b = 0  # breaks[b] is the first break not yet passed
    seg = 0
    for m in TOKEN_RE.finditer(words_only(text)):
        start = m.start()
        if b < len(breaks) and breaks[b] < start:
            if tokens:
                seg += 1
            while b < len(breaks) and breaks[b] < start:
                b += 1
        word = m.group()
        keys = _arabic_word(word) if arabic else None
        if keys is not None:
            key, fold, alts = keys
            tokens.append(Token(start, m.end(), seg, key, fold, alts))
        else:
            key = _latin_word(word)
            if not arabic and key in _LATIN_ARTICLES:
                continue  # "Deir ez-Zor": articles are not indexed either
            tokens.append(Token(start, m.end(), seg, key, key, (), not word[0].islower()))
    return tokens, arabic


@lru_cache(maxsize=200_000)
def _arabic_word(word: str) -> tuple[str, str, tuple[str, ...]] | None:
    """Keys of a word with an Arabic letter, else None (cached: the same words recur in every report)."""
    if not has_arabic(word):
        return None
    fold = ar_fold(word)
    return strip_article(fold), fold, clitic_variants(fold)


_latin_word = lru_cache(maxsize=200_000)(latin_token)


class Scanner:
    def __init__(self, gaz: Gazetteer, stopwords: frozenset[str] = frozenset()):
        self.gaz = gaz
        self.stopwords = stopwords
        self.maxn = min(gaz.max_tokens, MAX_NGRAM)
        self.pre = {lang: prefixes(lang) for lang in ("ar", "en")}
        self.generic = generic_heads()
        # Words that can begin a name or a prefix: any other word is skipped at once. Of them, those
        # that begin a name only in letters, as one written without spaces, are looked at only if they
        # may begin one here (_begins).
        self._word_starters = {
            lang: frozenset(k for k in gaz.name_prefixes if " " not in k)
            | {k.split(" ")[0] for k in self.pre[lang]["before"]}
            for lang in ("ar", "en")
        }
        self._starters = {lang: words | gaz.nospace_heads for lang, words in self._word_starters.items()}

    def scan(self, text: str, translit: bool, strict: bool) -> list[Span]:
        """`strict` (free text): a bare one-word common noun is not a place; `translit`: allow
        cross-script skeleton matches (in strict mode only right after a prefix)."""
        tokens, arabic = tokenize(text)
        lang = "ar" if arabic else "en"
        before, after = self.pre[lang]["before"], self.pre[lang]["after"]
        consumed: set[int] = set()
        spans: list[Span] = []
        effects: list[str] = []
        pstart: int | None = None
        i, n = 0, len(tokens)
        starters = self._starters[lang]
        while i < n:
            t = tokens[i]
            if strict and (
                (t.key not in starters and starters.isdisjoint(t.alts)) or not self._begins(tokens, i, lang, effects)
            ):
                effects, pstart = [], None  # fast path: most words of a sentence begin no name
                i += 1
                continue
            # In running English a name is capitalised ("hit" is not Hīt); prefixes need not be.
            hit = (
                None
                if strict and not t.cap
                else self._name_at(tokens, i, arabic, before, translit and (not strict or bool(effects)), strict)
            )
            if hit:
                name_end, ids, how = hit
                j, after_effects = _suffixes(tokens, name_end, after)
                spans.append(_span(tokens, i, name_end, j, pstart, effects + after_effects, ids, how))
                consumed.update(range(i, j))
                effects, pstart, i = [], None, j
                continue
            pre = _prefix_at(tokens, i, before)
            if pre:
                j, effect = pre
                if pstart is None:
                    pstart = tokens[i].start
                effects.append(effect)
                consumed.update(range(i, j))
                i = j
                continue
            effects, pstart = [], None
            i += 1
        links = self.pre[lang]["link"]
        for span in spans:
            span.partial = _runs_into(tokens, span.first_tok - 1, span.first_tok, consumed, links) or _runs_into(
                tokens, span.end_tok, span.end_tok - 1, consumed, links
            )
        return spans

    def _begins(self, tokens: list[Token], i: int, lang: str, effects: list[str]) -> bool:
        """Whether a starter may begin a name or prefix here. One that begins a name only in letters
        ("في" of "فيق") does if it is the whole name, or the next word goes on with the name's letters
        ("كفر" "نبل"), or it follows a prefix (where a transliterated name may start)."""
        t = tokens[i]
        heads = (t.key, *t.alts)
        if effects or not self._word_starters[lang].isdisjoint(heads):
            return True
        gaz = self.gaz
        after = tokens[i + 1].key if i + 1 < len(tokens) else ""
        return any(h in gaz.ar_nospace or h + after in gaz.nospace_heads for h in heads if h in gaz.nospace_heads)

    def _name_at(self, tokens, i, arabic, before, translit, strict):
        seg = tokens[i].seg
        limit = i
        while limit < len(tokens) and limit - i < self.maxn and tokens[limit].seg == seg:
            limit += 1
        first = tokens[i]
        links = self.pre["ar" if arabic else "en"]["link"]
        gaz = self.gaz
        # Each head with how many words from here begin a name with spaces, and without: longer
        # n-grams cannot be found through it, so they are not even built.
        heads = []
        for h in (first.key, *first.alts):
            spaced = _depth(h, tokens, i, limit, gaz.name_prefixes, " ")
            nospace = _depth(h, tokens, i, limit, gaz.nospace_heads, "") if arabic else 0
            if spaced or nospace:
                heads.append((h, spaced, nospace))
        longest = max((max(s, ns) for _, s, ns in heads), default=0)
        for n in range(longest, 0, -1):
            rest = [t.key for t in tokens[i + 1 : i + n]]
            for head, spaced, nospace in heads:
                if n > spaced and n > nospace:
                    continue
                if n == 1 and (
                    head in before
                    or head in links
                    or (head in self.generic and not first.fold.startswith("ال"))
                    or (
                        strict
                        and (head in self.stopwords or len(head) < 3 or (head is not first.key and len(head) < 4))
                    )
                ):
                    continue
                key = " ".join([head, *rest])
                if strict and n > 1 and key in self.stopwords:
                    continue
                ids = None
                if n <= spaced:
                    ids = gaz.ar.get(key) if arabic else gaz.latin.get(key)
                if not ids and n <= nospace:
                    ids = gaz.ar_nospace.get(key.replace(" ", ""))
                if ids:
                    return i + n, ids, "exact"
        if translit:
            return self._translit_at(tokens, i, limit, arabic, before)
        return None

    def _translit_at(self, tokens, i, limit, arabic, before):
        lang = "ar" if arabic else "en"
        after = self.pre[lang]["after"]
        # The name's words only: "Bir Humaymah village" is looked up as "Bir Humaymah".
        stop = i + 1
        while stop < limit and tokens[stop].key not in before and tokens[stop].fold not in after:
            stop += 1
        table = self.gaz.skeleton_latin if arabic else self.gaz.skeleton
        places = self.gaz.places
        for n in range(stop - i, 0, -1):
            words = [t.key for t in tokens[i : i + n]]
            if n == 1 and (words[0] in before or words[0] in self.generic):
                continue
            skels = skeletons_from_arabic(words) if arabic else {skeleton_from_latin(" ".join(words))}
            for skel in skels:
                ids = table.get(skel) if len(skel) >= MIN_SKELETON else None
                # A short skeleton ("zk") fits too many names: believe it only for one settlement.
                if ids and (len(skel) >= SURE_SKELETON or (len(ids) == 1 and not places[ids[0]].is_area)):
                    return i + n, ids, "translit"
        return None


def _depth(head: str, tokens: list[Token], i: int, limit: int, beginnings: frozenset[str], sep: str) -> int:
    """How many words from token i on (head standing for its key) are the beginning of a name, joined
    by `sep`; 0 if the head begins none. A longer run cannot hold a name once a shorter one begins none."""
    if head not in beginnings:
        return 0
    n, phrase = 1, head
    while i + n < limit:
        phrase = phrase + sep + tokens[i + n].key
        if phrase not in beginnings:
            break
        n += 1
    return n


def _span(tokens, i, name_end, j, pstart, effects, ids, how) -> Span:
    """Tokens i..name_end are the name, name_end..j its suffixes; pstart is where its prefixes begin."""
    first = tokens[i]
    return Span(
        start=pstart if pstart is not None else first.start,
        end=tokens[j - 1].end,
        name_start=first.start,
        name_end=tokens[name_end - 1].end,
        seg=first.seg,
        ids=ids,
        effects=effects,
        how=how,
        first_tok=i,
        end_tok=j,
    )


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


def _runs_into(tokens: list[Token], k: int, ref: int, consumed: set[int], links: dict[str, str]) -> bool:
    """Is token k an unknown word of the same segment as token ref (not a prefix, name or link)?"""
    if k < 0 or k >= len(tokens) or tokens[k].seg != tokens[ref].seg or k in consumed:
        return False
    t = tokens[k]
    return not (t.key in links or t.fold in links or any(a in links for a in t.alts) or t.key.isdigit())
