"""The English extractor: an English Document in, SCHEMA.md records out, in the same design as Arabic: the
grammar proposes, a learned model decides (or only scores: `confidence`).

sentences -> casualty figures per sentence (mentions.py) -> statements (killed with the wounded of
the same sentence; doubted figures flagged) -> statements that tell the same event merged (headline and lead,
a toll update) -> candidate records with perpetrator, event type, place, date and evidence (context.py,
records.py) and their features (features.py) -> the model's (or the grammar's) calls -> another source's toll
of a kept event widens it. Words are data in lang/en/; places go through the same marsad.geo resolver as Arabic.
"""

from __future__ import annotations

import copy

from marsad.extract.decide import Candidate, Model, decide
from marsad.extract.en.features import features
from marsad.extract.en.lexicon import lexicon
from marsad.extract.en.records import propose, retype, settle
from marsad.extract.en.statements import find_statements, sentences
from marsad.model import Document, Record

__all__ = ["candidates_en", "decided_en"]


def candidates_en(doc: Document, places=None) -> tuple[Document, object, list[Candidate]] | None:
    """Every record the English grammar proposes for `doc`, with its features (and the report and place resolver
    they were read with); None when `doc` tells of no casualty."""
    lex = lexicon()
    if not doc.text or not lex.gate.search(doc.text):
        return None
    statements = find_statements(doc, lex)
    if not statements:
        return None
    if places is None:
        from marsad.extract.places import embedded_resolver

        places = embedded_resolver()
    proposed = propose(doc, statements, lex, places)
    n = len(sentences(doc))
    found = [Candidate(d, rec, features(doc.text, d, rec, n, i)) for i, (d, rec) in enumerate(proposed)]
    return doc, places, found


def decided_en(
    proposal: tuple[Document, object, list[Candidate]] | None, model: Model | None, reuse: bool = False
) -> list[Record]:
    """The records `model` keeps of the English grammar's proposal, with their confidence and kind.

    Settling mutates records, so they are copied unless `reuse` says the proposal is decided only once."""
    if proposal is None:
        return []
    kept = []
    for cand, confidence, kind in decide(proposal[2], model):
        rec = cand.record if reuse else copy.deepcopy(cand.record)
        if kind != rec.kind:
            retype(rec, kind)
        if confidence is not None:
            rec.confidence = round(confidence, 3)
        kept.append(rec)
    return settle(kept)
