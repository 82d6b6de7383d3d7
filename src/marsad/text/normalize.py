"""Fold Arabic text for matching while keeping a map back to the original offsets.

Folding removes diacritics, tatweel and invisible marks, unifies alef/hamza carriers, ta marbuta,
alef maqsura, Arabic-Indic and Persian digits, quotes and spaces. Lexicon entries go through the
same `fold_plain`, so an analyst writes natural Arabic in the data files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters dropped outright: harakat (and the rarer marks U+0656-065F), superscript alef, Quranic
# marks, tatweel, zero-width and bidi embedding/isolate marks (place names copied from web pages carry them).
_DROP = (
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u0670"
    "\u0656\u0657\u0658\u0659\u065a\u065b\u065c\u065d\u065e\u065f"
    "\u0640\u200b\u200c\u200d\u200e\u200f\u061c\ufeff"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_DROP_RE = re.compile("[" + _DROP + "\u06d6-\u06ed]")

_MAP = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ؤ": "و",
    "ئ": "ي",
    "ی": "ي",  # Persian yeh
    "ک": "ك",  # Persian kaf
    "٬": ",",
    "٫": ".",
    "“": '"',
    "”": '"',
    "«": '"',
    "»": '"',
    "„": '"',
    "‘": "'",
    "’": "'",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "–": "-",
    "—": "-",
}
for _i in range(10):
    _MAP[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    _MAP[chr(0x06F0 + _i)] = str(_i)  # Persian digits
_TABLE = str.maketrans(_MAP)
# Long text: one str.replace per character present. CPython's str.translate with a dict looks up every
# non-ASCII character (about 12 times slower on a report). No value is itself a key, so the order
# of the replacements does not matter.
_PAIRS = tuple(_MAP.items())


def _map(text: str) -> str:
    if len(text) < 40:
        return text.translate(_TABLE)
    for old, new in _PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


@dataclass(frozen=True)
class Folded:
    """Folded text plus, for each folded character, its offset in the original (None = identity)."""

    text: str
    original: str
    offsets: list[int] | None

    def orig(self, pos: int) -> int:
        """Original offset of folded position `pos` (pos may equal len(text))."""
        if self.offsets is None:
            return pos
        if pos >= len(self.offsets):
            return len(self.original)
        return self.offsets[pos]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) for a folded [start, end)."""
        if end <= start:
            o = self.orig(start)
            return o, o
        # Up to the next kept character, so dropped marks at the end (tanween) stay in the span.
        stop = self.orig(end) if end < len(self.text) else len(self.original)
        while stop > self.orig(end - 1) + 1 and self.original[stop - 1].isspace():
            stop -= 1
        return self.orig(start), stop


def fold(text: str) -> Folded:
    """Fold `text`; the offset map is only built when characters were dropped."""
    if not _DROP_RE.search(text):
        return Folded(_map(text), text, None)
    # Only the dropped characters change length; rebuild the map from the kept segments.
    offsets: list[int] = []
    prev = 0
    for m in _DROP_RE.finditer(text):
        offsets.extend(range(prev, m.start()))
        prev = m.end()
    offsets.extend(range(prev, len(text)))
    return Folded(_map(_DROP_RE.sub("", text)), text, offsets)


def fold_plain(text: str) -> str:
    """Folded text without the offset map (for lexicon entries and lookups)."""
    return _map(_DROP_RE.sub("", text))
