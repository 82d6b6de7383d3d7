"""Name keys: how two spellings of one place come to compare equal.

Three keys, from strict to loose:
- `ar_tokens`: Arabic folded (diacritics, tatweel, alef/hamza forms, ta marbuta, alef maqsura, the
  article ال) and split into tokens;
- `latin_tokens`: Latin lower-cased, accents and apostrophes dropped, articles (al-, el-, ash-...)
  dropped;
- `skeleton`: a consonant skeleton shared by both scripts, so that an Arabic name can find a place
  that a gazetteer holds only in Latin letters (transliteration is lossy: vowels, ع and weak
  letters are dropped, emphatic and plain consonants merged).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from marsad.text.normalize import fold_plain

_ARABIC = re.compile(r"[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]")
# On top of text.normalize's folding (marks, alef/hamza seats, ة, ى, digits): the hamza on the line
# is dropped (names are spelled with and without it), and the Persian and Kurdish letters of
# GeoNames' alternate names become the Arabic ones.
_GEO_FOLD = str.maketrans(
    {
        "ء": "",
        "ە": "ه",
        "ھ": "ه",
        "گ": "ك",
        "چ": "ج",
        "پ": "ب",
        "ڤ": "ف",
        "ۆ": "و",
        "ێ": "ي",
        "ڕ": "ر",
        "ڵ": "ل",
    }
)
# Words: letters, digits and the marks inside them. "_" separates words ("تل_الذهب"): callers pass
# `words_only(text)`, which keeps offsets (a class without "_" would make this regex twice as slow).
TOKEN_RE = re.compile(r"[\w\u064B-\u065F\u0670\u0640'’`ʿʾ]+")


def words_only(text: str) -> str:
    return text.replace("_", " ")


_LATIN_ARTICLES = frozenset(
    [
        "al",
        "el",
        "il",
        "ul",
        "ad",
        "ar",
        "as",
        "az",
        "ash",
        "at",
        "an",
        "adh",
        "ath",
        "ed",
        "er",
        "es",
        "ez",
        "esh",
        "et",
        "en",
        "ud",
        "ur",
        "us",
        "uz",
    ]
)


def has_arabic(text: str) -> bool:
    return bool(_ARABIC.search(text))


def clean(text: str) -> str:
    """Text folded as the extraction folds it (text.normalize.fold_plain), after presentation forms
    ("ﺣﻠﺐ") are turned into letters."""
    return fold_plain(unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=200_000)
def ar_fold(token: str) -> str:
    """One Arabic word folded (alef/hamza forms, ta marbuta, alef maqsura), article kept."""
    return clean(token).translate(_GEO_FOLD)


def strip_article(folded: str) -> str:
    return folded[2:] if folded.startswith("ال") and len(folded) > 3 else folded


@lru_cache(maxsize=200_000)
def ar_token(token: str) -> str:
    """One Arabic word folded; the article ال is dropped when a real word remains."""
    return strip_article(ar_fold(token))


def clitic_variants(folded: str) -> tuple[str, ...]:
    """Keys of a word that may carry a proclitic: "بالرقة" -> "رقه", "وحلب" -> "حلب", "للرقة" -> "رقه"."""
    if len(folded) < 4:
        return ()
    if folded.startswith("لل"):
        return (strip_article("ال" + folded[2:]),)
    if folded[0] in "وبفلك" and folded[1:3] == "ال":
        return (strip_article(folded[1:]),)
    if folded[:2] in ("وب", "وف", "ول") and folded[2:4] == "ال":
        return (strip_article(folded[2:]),)
    if folded[0] in "وبفل":
        return (folded[1:],)
    return ()


def ar_tokens(text: str) -> list[str]:
    return [k for k in (ar_token(t) for t in TOKEN_RE.findall(words_only(clean(text)))) if k]


def ar_key(text: str) -> str:
    return " ".join(ar_tokens(text))


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def latin_token(token: str) -> str:
    t = _strip_accents(token).lower()
    return re.sub(r"['’`ʿʾ‘]", "", t)


def latin_tokens(text: str) -> list[str]:
    """Latin words, folded; hyphenated articles ("ar-Raqqa", "Deir ez-Zor") split off and dropped."""
    words = re.split(r"[\s\-_/]+", _strip_accents(clean(text)).lower())
    out = []
    for w in words:
        w = re.sub(r"[^a-z0-9]", "", w)
        if w:
            out.append(w)
    if len(out) > 1:
        out = [w for w in out if w not in _LATIN_ARTICLES] or out
    return out


def latin_key(text: str) -> str:
    return " ".join(latin_tokens(text))


# The consonant skeleton: both scripts map onto the same small alphabet.
_AR_SKEL = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "K", "د": "d", "ذ": "d", "ر": "r",
    "ز": "z", "س": "s", "ش": "S", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "G", "ف": "f",
    "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
}  # fmt: skip
_LATIN_DIGRAPHS = [("kh", "K"), ("sh", "S"), ("ch", "S"), ("gh", "G"), ("th", "t"), ("dh", "d"),
                   ("ph", "f"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("dj", "j")]  # fmt: skip
_LATIN_SKEL = str.maketrans({"q": "k", "c": "k", "g": "G", "x": "k", "v": "f", "p": "b", "e": "", "a": "",
                             "i": "", "o": "", "u": "", "w": "", "y": ""})  # fmt: skip


def _squeeze(s: str) -> str:
    return re.sub(r"(.)\1+", r"\1", s)


def _skel_word(word: str) -> str:
    # A final h is silent in "Raqqah"/"الرقه"; doubled letters are one consonant.
    return _squeeze(word).rstrip("h") or word


def skeleton_from_latin(text: str) -> str:
    words = []
    for w in latin_tokens(text):
        for a, b in _LATIN_DIGRAPHS:
            w = w.replace(a, b)
        words.append(_skel_word(w.translate(_LATIN_SKEL)))
    return "".join(w for w in words if w)


def skeletons_from_arabic(tokens: list[str]) -> set[str]:
    """Skeletons of folded Arabic tokens; ه (ة) may be read as t in construct ("Maarat al-Numan")."""
    variants = [""]
    for tok in tokens:
        base = "".join(_AR_SKEL.get(c, "") for c in tok)
        forms = {_skel_word(base)}
        if tok.endswith("ه"):
            forms.add(_squeeze(base[:-1] + "t"))
        variants = [v + f for v in variants for f in forms]
    return {v for v in variants if v}
