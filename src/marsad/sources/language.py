"""Which language a report is in: the `lang` field when the source gives one, else detection.

Detection is py3langid (its model ships in the wheel, so it runs offline) over the head of the text.
A report in Arabic script is Arabic without asking the model: that keeps Arabic ingest fast and
cannot be fooled by the Latin-script names (BBC, ISIS) Arabic reports quote.
"""

from __future__ import annotations

import re
from functools import cache

ARABIC_LETTER = re.compile(r"[\u0620-\u064a\u0671-\u06d3]")
LATIN_LETTER = re.compile(r"[A-Za-z]")


# The languages a feed about Syria and Iraq is written in. Restricting the model to them keeps a
# short English headline from being read as Nigerian Pidgin or Scots.
NEWS_LANGUAGES = ("ar", "en", "fr", "de", "es", "it", "pt", "nl", "ru", "tr", "fa", "ku", "he", "zh")


@cache
def _classify():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(NEWS_LANGUAGES))
    return identifier.classify


def guess_lang(text: str, sample: int = 2000) -> str:
    """An ISO 639-1 code ("ar", "en", "fr", …) for `text`; "ar" when Arabic letters outnumber Latin ones."""
    head = text[:sample]
    arabic, latin = len(ARABIC_LETTER.findall(head)), len(LATIN_LETTER.findall(head))
    if arabic >= latin:
        return "ar"
    lang, _score = _classify()(head)
    return lang


def normalise_lang(value: str) -> str:
    """A `lang` field as sources write it ("EN", "en-US", "English") -> the ISO 639-1 code."""
    value = value.strip().lower().replace("_", "-")
    return {"english": "en", "arabic": "ar", "eng": "en", "ara": "ar"}.get(value, value.split("-")[0])
