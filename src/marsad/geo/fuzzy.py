"""A second chance for a village the gazetteer lacks in the spelling used.

Across two countries a one-letter difference finds the wrong village as often as the right one
(حطين for حسين); inside one governorate, and when the difference is only in the letters spellings of
village names add or drop freely (long vowels, the ending ة/ه/ا/ي: "عنجارة" / "عينجارة", "مديرة" /
"مديرا") or in consonants that speech merges (ذ/د, ث/ت, ظ/ض, ق/ك), it is nearly always the same place.
On the Airwars dev file (OCHA + the other half as a list, the true governorate as context), 29 rows
are found only this way: all 29 in the right governorate, 28 within 10 km of the true point
(`python benchmarks/geo_eval.py --scenario context`). Without a governorate to look in, only a long
name (6 letters or more) is looked for everywhere, and only one place may answer.

Twin villages share a name and differ by a qualifier ("كبش غربي", "بقرص فوقاني", "عرب حسن كبير"); a
report that writes the bare name, or the other twin, means a place a few kilometres from either.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from marsad.geo.gazetteer import Gazetteer, Place
from marsad.geo.lexicon import prefixes
from marsad.geo.normalize import ar_tokens, has_arabic, strip_article

# Folded letters that spellings of one name add or drop anywhere (long vowels), and those that
# alternate at its end (ة/ه, ا, ى/ي: "مديرة" / "مديرا", "أم حرملة" / "أم حرمل").
VOWELS = frozenset("اوي")
ENDINGS = frozenset("اويه")
# Consonants that Levantine and Iraqi speech merge and spellings follow ("الجردي" / "الجرذي",
# "جديد عكيدات" / "جديد عقيدات").
SPOKEN_PAIRS = frozenset((a, b) for pair in ("ذد", "ثت", "ظض", "قك") for a, b in (pair, pair[::-1]))
MIN_KEY = 4  # letters: shorter names are too many and too alike
MIN_KEY_ANYWHERE = 6  # without a governorate to look in
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


@cache
def _twin_qualifiers() -> frozenset[str]:
    """Words after a name that tell twin villages apart (كبير، غربي، فوقاني...): the one-word "near"
    suffixes of prefixes.tsv, keyed as name words are (article dropped)."""
    return frozenset(strip_article(k) for k, e in prefixes("ar")["after"].items() if e == "near" and " " not in k)


def name_tokens(text: str) -> list[str]:
    """The words of the first name of an Arabic phrase, folded, without the words before it:
    "قرية عين جارة، جبل سمعان" -> ["عين", "جاره"]; [] when it names a site ("مدرسة الفردوس")."""
    if not has_arabic(text):
        return []
    tokens = ar_tokens(_FIRST_SEGMENT.split(text, maxsplit=1)[0])
    lead, sites = _leading_words()
    while tokens and tokens[0] in lead:
        if tokens[0] in sites:
            return []
        tokens = tokens[1:]
    return tokens


def name_key(text: str) -> str:
    """`name_tokens` without spaces: "قرية عين جارة، جبل سمعان" -> "عينجاره"."""
    return "".join(name_tokens(text))


def bare_name(tokens: list[str]) -> list[str]:
    """A name without the qualifiers that end it: "كبش غربي" -> ["كبش"]."""
    qualifiers = _twin_qualifiers()
    end = len(tokens)
    while end > 1 and tokens[end - 1] in qualifiers:
        end -= 1
    return tokens[:end]


def twin_base(tokens: list[str]) -> str:
    """The bare name of a qualified one, spaces removed: "كبش غربي" -> "كبش"; "" if it has no qualifier."""
    bare = bare_name(tokens)
    return "".join(bare) if len(bare) < len(tokens) else ""


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
    """Arabic name keys (folded, spaces removed) of the settlements of Syria and Iraq, by governorate,
    and the twins among them by their shared name."""

    def __init__(self, gaz: Gazetteer, common_words: frozenset[str] = frozenset()):
        self.places = gaz.places
        self.common_words = common_words  # "عين", "دير": a bare one is no village's name
        entries: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self.twins: dict[str, list[int]] = defaultdict(list)
        for i, place in enumerate(gaz.places):
            if place.is_area or place.lat is None or place.country not in CORE or not place.admin1:
                continue
            names = [ar_tokens(n) for n in place.names if has_arabic(n)]
            keys = {"".join(tokens) for tokens in names}
            entries[place.admin1].extend((k, i) for k in keys if k)
            for base in {twin_base(tokens) for tokens in names} - {""}:
                self.twins[base].append(i)
        # Per governorate, the keys and the places they name, side by side for rapidfuzz.
        self.by_admin1: dict[str, tuple[list[str], list[int]]] = {
            a1: ([k for k, _ in pairs], [i for _, i in pairs]) for a1, pairs in entries.items()
        }

    def find(self, key: str, admin1: Iterable[str] | None) -> list[Place]:
        """Settlements in those governorates (None: anywhere, for a long name) whose name is `key` up
        to weak letters; all of them, to be judged by the caller."""
        if len(key) < (MIN_KEY if admin1 is not None else MIN_KEY_ANYWHERE):
            return []
        max_edits = 2 if len(key) >= LONG_KEY else 1
        hits: dict[int, Place] = {}
        for a1 in self.by_admin1 if admin1 is None else admin1:
            keys, ids = self.by_admin1.get(a1, ((), ()))
            # rapidfuzz's C loop finds the few keys within reach; weak_edit then judges each.
            near = process.extract(key, keys, scorer=Levenshtein.distance, score_cutoff=max_edits, limit=None)
            for k, _distance, pos in near:
                i = ids[pos]
                if i not in hits and weak_edit(key, k, max_edits):
                    hits[i] = self.places[i]
        return list(hits.values())

    def find_twins(self, tokens: list[str], admin1: Collection[str]) -> list[Place]:
        """The places named `tokens` with another qualifier, or with one where `tokens` has none
        ("كبش" -> "كبش غربي"; "بقرص تحتاني" -> "بقرص فوقاني"), in those governorates if any given."""
        bare = bare_name(tokens)
        if len(bare) == 1 and bare[0] in self.common_words:
            return []
        hits = [self.places[i] for i in self.twins.get("".join(bare), ())]
        return [h for h in hits if not admin1 or h.admin1 in admin1]
