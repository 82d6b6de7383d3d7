"""Which language a report is in, as far as marsad's extractors care: Arabic script or not."""

from __future__ import annotations

import re

ARABIC_LETTER = re.compile(r"[\u0620-\u064a\u0671-\u06d3]")
LATIN_LETTER = re.compile(r"[A-Za-z]")


def guess_lang(text: str, sample: int = 2000) -> str:
    head = text[:sample]
    return "ar" if len(ARABIC_LETTER.findall(head)) >= len(LATIN_LETTER.findall(head)) else "en"
