"""A second chance for a village the gazetteer lacks in the spelling used, looked for only among the
places of the district or governorate that the phrase or the report names.

Across two countries a one-letter difference finds the wrong village as often as the right one
(حطين for حسين); inside one governorate, and when the difference is only in the letters spellings of
village names add or drop freely (long vowels, the ending ة/ه/ا/ي: "عنجارة" / "عينجارة", "مديرة" /
"مديرا") or in consonants that speech merges (ذ/د, ث/ت, ظ/ض, ق/ك), it is nearly always the same place.
On the Airwars dev file (OCHA + the other half as a list, the true governorate as context), 29 rows
are found only this way: all 29 in the right governorate, 28 within 10 km of the true point
(`python benchmarks/geo_eval.py --scenario context`)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache

from rapidfuzz.distance import Levenshtein

from marsad.geo.gazetteer import Gazetteer, Place
from marsad.geo.lexicon import prefixes
from marsad.geo.normalize import ar_tokens, has_arabic

# Folded letters that spellings of one name add or drop anywhere (long vowels), and those that
# alternate at its end (ة/ه, ا, ى/ي: "مديرة" / "مديرا", "أم حرملة" / "أم حرمل").
VOWELS = frozenset("اوي")
ENDINGS = frozenset("اويه")
# Consonants that Levantine and Iraqi speech merge and spellings follow ("الجردي" / "الجرذي",
# "جديد عكيدات" / "جديد عقيدات").
SPOKEN_PAIRS = frozenset((a, b) for pair in ("ذد", "ثت", "ظض", "قك") for a, b in (pair, pair[::-1]))
MIN_KEY = 4  # letters: shorter names are too many and too alike
LONG_KEY = 8  # from this length two weak-letter edits are allowed
CORE = frozenset({"SY", "IQ"})


_FIRST_SEGMENT = re.compile(r"[,،؛;:.()\[\]«»\"!?؟|\n/]|\s[-–—]\s")


@cache
def _leading_words() -> tuple[frozenset[str], frozenset[str]]:
    """Words before a name that are not part of it ("قرية", "قرب", "في"), and among them those
    that say the name is a site's, not a village's ("مدرسة", "شارع")."""
    ar = prefixes("ar")
    lead = frozenset(k for k in (*ar["before"], *ar["link"]) if " " not in k)
    return lead, frozenset(k for k in lead if ar["before"].get(k) == "facility")


def name_key(text: str) -> str:
    """The first name of an Arabic phrase, folded, without the words before it or spaces:
    "قرية عين جارة، جبل سمعان" -> "عينجاره"; "" when it names a site ("مدرسة الفردوس")."""
    if not has_arabic(text):
        return ""
    tokens = ar_tokens(_FIRST_SEGMENT.split(text, maxsplit=1)[0])
    lead, sites = _leading_words()
    while tokens and tokens[0] in lead:
        if tokens[0] in sites:
            return ""
        tokens = tokens[1:]
    return "".join(tokens)


def weak_edit(query: str, key: str, max_edits: int) -> bool:
    """`key` differs from `query` by at most `max_edits` edits, each a long vowel added or dropped,
    or a different ending; a consonant never differs ("حسين" is not "حطين")."""
    if abs(len(query) - len(key)) > max_edits:
        return False
    if Levenshtein.distance(query, key, score_cutoff=max_edits) > max_edits:
        return False
    for op in Levenshtein.editops(query, key):
        final = op.src_pos >= len(query) - 1 and op.dest_pos >= len(key) - 1
        if op.tag == "insert":
            letter = key[op.dest_pos]
        elif op.tag == "delete":
            letter = query[op.src_pos]
        else:
            pair = (query[op.src_pos], key[op.dest_pos])
            if not (pair in SPOKEN_PAIRS or (final and pair[0] in ENDINGS and pair[1] in ENDINGS)):
                return False
            continue
        if not (letter in VOWELS or (final and letter in ENDINGS)):
            return False
        if letter == "ي" and (op.dest_pos if op.tag == "insert" else op.src_pos) == 2:
            return False  # a ي after the first two letters makes a diminutive: مشيرفة is not مشرفة
    return True


class NearMisses:
    """Arabic name keys (folded, spaces removed) of the settlements of Syria and Iraq, by governorate."""

    def __init__(self, gaz: Gazetteer):
        self.places = gaz.places
        self.by_admin1: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for i, place in enumerate(gaz.places):
            if place.is_area or place.lat is None or place.country not in CORE or not place.admin1:
                continue
            keys = {"".join(ar_tokens(n)) for n in place.names if has_arabic(n)}
            self.by_admin1[place.admin1].extend((k, i) for k in keys if k)

    def find(self, key: str, admin1: Iterable[str]) -> list[Place]:
        """Settlements in those governorates whose name is `key` up to weak letters; all of them,
        to be judged by the caller."""
        if len(key) < MIN_KEY:
            return []
        max_edits = 2 if len(key) >= LONG_KEY else 1
        hits: dict[int, Place] = {}
        for a1 in admin1:
            for k, i in self.by_admin1.get(a1, ()):
                if i not in hits and weak_edit(key, k, max_edits):
                    hits[i] = self.places[i]
        return list(hits.values())
