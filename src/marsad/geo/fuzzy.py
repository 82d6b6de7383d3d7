"""A second chance for a village the gazetteer lacks in the spelling used, looked for only among the
places of the district or governorate that the phrase or the report names.

Across two countries a one-letter difference finds the wrong village as often as the right one
(حطين for حسين); inside one governorate, and when the difference is only in the letters Arabic
spellings of village names leave out or add freely (ا و ي, and ة/ه/ا at the end: "عنجارة" /
"عينجارة", "المسفيرة" / "المسيفرة", "مديرة" / "مديرا"), it is nearly always the same place. On the
Airwars dev file, with the true governorate given as context, 28 of 32 such hits lay within 10 km
of the true point and all 32 in the right governorate (`benchmarks/geo_eval.py --scenario context`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz.distance import Levenshtein

from marsad.geo.gazetteer import Gazetteer, Place
from marsad.geo.normalize import ar_tokens, has_arabic

# Folded letters (ى→ي, ة→ه) that spellings of one name add, drop or swap; all others must agree.
WEAK_LETTERS = frozenset("اويه")
MIN_KEY = 4  # letters: shorter names are too many and too alike
LONG_KEY = 8  # from this length two weak-letter edits are allowed
CORE = frozenset({"SY", "IQ"})


def weak_edit(query: str, key: str, max_edits: int) -> bool:
    """`key` differs from `query` by at most `max_edits` edits, each on a weak letter."""
    if abs(len(query) - len(key)) > max_edits:
        return False
    if Levenshtein.distance(query, key, score_cutoff=max_edits) > max_edits:
        return False
    for op in Levenshtein.editops(query, key):
        if op.tag == "insert" and key[op.dest_pos] not in WEAK_LETTERS:
            return False
        if op.tag == "delete" and query[op.src_pos] not in WEAK_LETTERS:
            return False
        if op.tag == "replace" and not (query[op.src_pos] in WEAK_LETTERS and key[op.dest_pos] in WEAK_LETTERS):
            return False
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

    def find(self, key: str, admin1: Iterable[str], admin2: str | None = None) -> list[Place]:
        """Settlements in those governorates (and that district, if given) whose name is `key` up to
        weak letters; all of them, to be judged by the caller."""
        if len(key) < MIN_KEY:
            return []
        max_edits = 2 if len(key) >= LONG_KEY else 1
        hits: dict[int, Place] = {}
        for a1 in admin1:
            for k, i in self.by_admin1.get(a1, ()):
                if i not in hits and weak_edit(key, k, max_edits):
                    place = self.places[i]
                    if admin2 is None or place.admin2 == admin2:
                        hits[i] = place
        return list(hits.values())
