"""Extraction: a Document in, SCHEMA.md records out.

Any extractor (the grammar one here, a statistical or LLM one later) has this signature:
`extract(doc, places=None) -> list[Record]`, where `places` is the geo resolver to use
(default: `marsad.geo.default_resolver()`; no places if the gazetteer cannot be built).

The grammar extractor, top to bottom (see docs/extraction.md):
layout (fold, sentences, clauses) -> candidates (casualty mentions per clause) ->
assemble (statements, merged into drafts) -> records (actors, event type, place, date, evidence).
"""

from __future__ import annotations

from marsad.extract.assemble import merge, statements
from marsad.extract.background import drop_background
from marsad.extract.candidates import accidental, find_mentions, negated
from marsad.extract.cues import lexicons
from marsad.extract.en import extract_en
from marsad.extract.layout import layout
from marsad.extract.places import embedded_resolver
from marsad.extract.records import absorb_updates, build
from marsad.model import Document, Record

__all__ = ["extract"]

# Engines of the other languages, by ISO 639-1 code; Arabic is the grammar below.
ENGINES = {"en": extract_en}


def extract(doc: Document, places=None) -> list[Record]:
    """Every casualty incident and tally that `doc` reports, as records, by the engine of its language
    (a language with no engine gives none)."""
    if doc.lang != "ar":
        engine = ENGINES.get(doc.lang)
        return engine(doc, places) if engine is not None else []
    lex = lexicons()
    if not doc.text or not lex.gate.search(doc.text):
        return []
    lay = layout(doc)
    if not lex.gate.search(lay.text):
        return []
    mentions = []
    for clause in lay.clauses:
        found = find_mentions(lay, clause, lex)
        if found and accidental(lay, clause, lex):
            continue  # a crash or a fire, not an attack
        mentions += [m for m in found if not negated(lay, m, lex)]
    mentions = drop_background(lay, mentions, lex)
    if not mentions:
        return []
    resolver = embedded_resolver() if places is None else places
    built = []
    for draft in merge(statements(lay, mentions, lex)):
        rec = build(lay, draft, lex, resolver)
        if rec is not None:
            built.append((rec, any(s.toll_update for s in draft.statements)))
    return absorb_updates(built)
