"""Compile lexicon phrases into fast matchers over folded text.

A phrase list becomes one trie-shaped regex (shared prefixes, longest match first) that also
accepts the Arabic proclitics و ف ب ل ك and, for nouns, the article ال. Matching returns the
value the lexicon gives the phrase. Compiled once per process (callers cache their matchers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from marsad.text import wordscan
from marsad.text.normalize import fold_plain
from marsad.text.trie import trie_regex

V = TypeVar("V")

_PREFIX = r"(?P<pfx>(?:[وف])?(?:[بلك])?)"
# Between the words of a phrase: spaces, or a quote opening an inner name (تنظيم "الدولة الإسلامية").
_GAP = r'\s+"?'
_SPACE = re.compile(r'\s+"?')


@dataclass
class Match(Generic[V]):
    start: int
    end: int
    form: str
    value: V


class Matcher(Generic[V]):
    """Find lexicon phrases in folded text; longest phrase wins at each position."""

    def __init__(self, entries: Iterable[tuple[str, V]], article: bool = False, prefixes: bool = True):
        self.table: dict[str, V] = {}
        for form, value in entries:
            base = " ".join(fold_plain(form).split())
            if not base:
                continue
            variants = [base]
            if base.startswith("ال"):
                variants.append(base[1:])  # "للقوات" = ل + "لقوات"
            elif article:
                variants += ["ال" + base, "ل" + base]
            for v in variants:
                self.table.setdefault(v, value)
        trie = trie_regex(sorted(self.table), _GAP)
        pfx = _PREFIX if prefixes else r"(?P<pfx>)"
        self.regex = re.compile(r"(?<!\w)" + pfx + r"(?P<w>" + trie + r")(?!\w)")
        self._after = wordscan.after_of(self.regex)  # for the fast scan of finditer

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[Match[V]]:
        table = self.table
        for m in wordscan.finditer(self.regex, self._after, text, pos, endpos):
            word = m.group(2)  # "w" (by number: this runs for every match)
            value = table.get(word)
            if value is None:
                word = _SPACE.sub(" ", word)
                value = table.get(word)
            if value is not None:
                yield Match(m.start(), m.end(), word, value)

    def find_all(self, text: str, pos: int = 0, endpos: int | None = None) -> list[Match[V]]:
        return list(self.finditer(text, pos, endpos))

    def match_at(self, text: str, pos: int) -> Match[V] | None:
        """A phrase starting exactly at `pos` (after optional spaces), else None."""
        while pos < len(text) and text[pos] == " ":
            pos += 1
        m = self.regex.match(text, pos)
        if not m:
            return None
        word = _SPACE.sub(" ", m.group("w"))
        value = self.table.get(word)
        return None if value is None else Match(m.start(), m.end(), word, value)

    def __contains__(self, word: str) -> bool:
        return word in self.table
