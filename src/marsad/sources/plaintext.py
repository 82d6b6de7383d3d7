"""Reports scraped as plain text: a title line, body paragraphs, link lines, a source line, site furniture.

The shape is the seed's (../shared/seeds/): the first real line is the title; "اقرأ المزيد" lines are
links to other stories; a short "<outlet>- <attribution>" line closes the report; what follows it (or a
boilerplate phrase such as "قد تحب أيضا") is the site's, never the report's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

# "ليفانت- وكالات", "سانا - دمشق": one or two words, a dash, a few words, no sentence punctuation.
SOURCE_LINE = re.compile(r"^(?P<outlet>[^\s\-–—.،:]+(?:\s[^\s\-–—.،:]+)?)\s*[-–—]\s*(?P<credit>[^.،:!؟?]{2,40})$")
# A line with fewer letters than this is furniture ("-", "|", a lone date) unless it is the title.
MIN_TITLE_LETTERS = 8


@dataclass
class ParsedText:
    title: str | None
    body: str
    outlet: str | None
    attribution: str | None


@cache
def _lexicon() -> dict[str, list[str]]:
    text = resources.files("marsad.sources").joinpath("data/ar.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _starts_with_any(line: str, phrases: list[str]) -> bool:
    return any(line.startswith(p) for p in phrases)


def _letters(line: str) -> int:
    return sum(ch.isalpha() for ch in line)


def parse_report_text(raw: str) -> ParsedText:
    lexicon = _lexicon()
    lines = [line.strip() for line in raw.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    title = None
    body: list[str] = []
    outlet = credit = None
    for line in lines:
        if title is None:
            if _letters(line) >= MIN_TITLE_LETTERS:
                title = line
            continue
        if _starts_with_any(line, lexicon["boilerplate_starts"]):
            break
        if _starts_with_any(line, lexicon["link_starts"]):
            continue
        match = SOURCE_LINE.match(line)
        if match and body:
            outlet, credit = match["outlet"].strip(), match["credit"].strip()
            break
        body.append(line)
    body_text = "\n".join(body)
    return ParsedText(
        title=title,
        body=body_text,
        outlet=outlet,
        attribution=find_attribution(body_text) or credit,
    )


def find_attribution(body: str) -> str | None:
    """The first known source the body cites; the lexicon lists longer names before their short forms."""
    best: tuple[int, str] | None = None
    for name in _lexicon()["attributions"]:
        at = body.find(name)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, name)
    return best[1] if best else None
