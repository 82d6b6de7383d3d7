"""Sentence splitting on folded text: offsets are folded offsets (map back with Folded.span)."""

from __future__ import annotations

import re

# A sentence ends at a line break, or at . ! ? ؟ ؛ that is not inside a number (11.9, 1.5).
_END = re.compile(r"\n+|(?<!\d)[.!?؟؛]+(?=\s|$|[\"'])|(?<=\d)[.!?؟؛]+(?=\s|$)")


def split(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of non-empty sentences, whitespace-trimmed."""
    spans: list[tuple[int, int]] = []
    prev = 0
    for m in _END.finditer(text):
        _add(text, prev, m.end() if m.group(0)[0] != "\n" else m.start(), spans)
        prev = m.end()
    _add(text, prev, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
