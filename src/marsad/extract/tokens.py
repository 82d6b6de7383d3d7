"""Small token helpers over folded text (offsets are folded offsets)."""

from __future__ import annotations

from functools import cache

from marsad.lang import load
from marsad.text.numbers import TOKEN, find_numbers


@cache
def _proclitics() -> tuple[str, ...]:
    return tuple(sorted(load("ar", "clitics")["proclitics"], key=len, reverse=True))


def next_token(text: str, pos: int, end: int) -> tuple[str, int, int] | None:
    m = TOKEN.search(text, pos, end)
    return (m.group(0), m.start(), m.end()) if m else None


def prev_token(text: str, pos: int, start: int) -> str:
    toks = TOKEN.findall(text, max(start, pos - 30), pos)
    return toks[-1] if toks else ""


def tokens_between(text: str, a: int, b: int) -> int:
    return len(TOKEN.findall(text, a, b)) if b > a else 0


def strip_clitics(word: str) -> str:
    for p in _proclitics():
        if word.startswith(p) and len(word) - len(p) >= 2:
            return word[len(p) :]
    return word


def has_number(text: str, a: int, b: int) -> bool:
    return bool(find_numbers(text[a:b])) if b > a else False
