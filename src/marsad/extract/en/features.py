"""What the English grammar saw of one candidate record, as named features for the decision model.

The same kinds of evidence as the Arabic features (marsad/extract/decide.py): how the figure was cued, the
grammar's doubts, where it stands in the report, its size and qualifier, the fields the grammar found, and the
words around it; the names are English-specific (the cue words themselves, "headline", "also"), so an English
model is trained on English gold only.
"""

from __future__ import annotations

import re

from marsad.extract.decide import size_bin
from marsad.extract.en.statements import Draft
from marsad.model import Record

_CONTEXT_WORDS = 3
_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def features(text: str, draft: Draft, rec: Record, sentences: int, order: int) -> dict[str, float]:
    """Named features of one candidate: `sentences` is how many the report has, `order` the draft's rank in it."""
    first = draft.first
    main = first.killed or first.wounded
    f: dict[str, float] = {f"flag={flag}": 1.0 for flag in draft.flags}
    f[f"grammar_kind={draft.kind}"] = 1.0
    f["first_candidate"] = float(order == 0)
    f["statements"] = min(len(draft.statements), 4) / 4
    heads = [st.headline for st in draft.statements]
    f["headline_only"] = float(all(heads))
    f["headline_and_body"] = float(any(heads) and not all(heads))
    f["position"] = min(first.index, 20) / 20
    f["lead"] = float(first.index <= 2)
    f["update"] = float(any(st.update for st in draft.statements))
    f["also"] = float(any(st.also for st in draft.statements))
    f["wounded_only"] = float(rec.killed is None)
    if main is not None:
        f[f"how={'cue_before' if main.start < main.num.start else 'cue_after'}"] = 1.0
        f[f"cue={main.cue.lower()}"] = 1.0
        f[f"qualifier={main.num.qualifier or 'none'}"] = 1.0
        f["vague"] = float(main.num.vague)
        f["subgroups"] = float(bool(main.subgroups))
        f["summed"] = float(main.summed)
        f["victim_actor"] = float(main.victim_actor is not None)
        for word in _context(text, main.start, main.end, *first.sentence):
            f[word] = 1.0
    count = rec.killed or rec.wounded
    f[f"size={size_bin(count.central() if count else None)}"] = 1.0
    f["in_report"] = min(sentences, 40) / 40
    f[f"victims={rec.victim_group}"] = 1.0
    f["perpetrator_named"] = float(rec.perpetrator not in (None, "unknown"))
    f[f"event={rec.sub_event_type or 'none'}"] = 1.0
    loc = rec.location
    f["admin1_known"] = float(bool(loc and loc.admin1))
    f[f"precision={(loc.geo_precision if loc else None) or 'none'}"] = 1.0
    f[f"date={rec.date_precision}"] = 1.0
    return f


def _context(text: str, start: int, end: int, s: int, e: int) -> set[str]:
    """The words just before and after the figure and its cue, lowercased, within its sentence."""
    before = _WORD.findall(text[max(s, start - 60) : start])[-_CONTEXT_WORDS:]
    after = _WORD.findall(text[end : min(e, end + 60)])[:_CONTEXT_WORDS]
    return {f"before={w.lower()}" for w in before} | {f"after={w.lower()}" for w in after}
