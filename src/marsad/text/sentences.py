"""Sentence splitting on folded text: offsets are folded offsets (map back with Folded.span)."""

from __future__ import annotations

import re

# A sentence ends at a line break, or at . ! ? ؟ ؛ that is not inside a number (11.9, 1.5).
_END = re.compile(r"\n+|(?<!\d)[.!?؟؛]+(?=\s|$|[\"'])|(?<=\d)[.!?؟؛]+(?=\s|$)")
# Every end starts with one of these characters. re cannot skip ahead to them by itself (the pattern
# opens with a lookbehind), so _END is tried only where one stands: same ends, a fraction of the time.
_END_CHAR = re.compile(r"[\n.!?؟؛]")


def split(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of non-empty sentences, whitespace-trimmed."""
    spans: list[tuple[int, int]] = []
    prev = 0
    for m in _ends(text):
        _add(text, prev, m.end() if m.group(0)[0] != "\n" else m.start(), spans)
        prev = m.end()
    _add(text, prev, len(text), spans)
    return spans


def _ends(text: str) -> list[re.Match[str]]:
    """What _END.finditer(text) finds: the leftmost match from each position on, without overlaps."""
    found = []
    pos = 0
    while (c := _END_CHAR.search(text, pos)) is not None:
        m = _END.match(text, c.start())
        if m is None:
            pos = c.start() + 1
        else:
            found.append(m)
            pos = m.end()
    return found


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
