"""Extraction: a Document in, SCHEMA.md records out.

Any extractor (the grammar one here, a statistical or LLM one later) has this signature:
`extract(doc, places=None) -> list[Record]`, where `places` is the geo resolver to use
(default: `marsad.geo.default_resolver()`; no places if the gazetteer cannot be built).

The grammar extractor, top to bottom (see docs/extraction.md):
layout (fold, sentences, clauses) -> candidates (casualty mentions per clause) ->
assemble (statements, merged into drafts) -> records (actors, event type, place, date, evidence).
"""

from __future__ import annotations

import copy
from dataclasses import replace

from marsad.extract.accounts import join_accounts
from marsad.extract.assemble import Draft, merge, statements
from marsad.extract.background import flag_background
from marsad.extract.candidates import accidental, find_mentions, negated
from marsad.extract.cues import lexicons
from marsad.extract.decide import Candidate, Model, decide, default_model, features
from marsad.extract.en import candidates_en, decided_en
from marsad.extract.en.lexicon import lexicon as en_lexicon
from marsad.extract.layout import Layout, layout
from marsad.extract.places import embedded_resolver
from marsad.extract.records import absorb_updates, build
from marsad.model import Document, Record

__all__ = ["candidates", "decided", "extract", "prepare"]

_DEFAULT = object()

# The grammars of the other languages, by ISO 639-1 code: (propose, decide); Arabic is the grammar below.
ENGINES = {"en": (candidates_en, decided_en)}


def extract(doc: Document, places=None, model: Model | None | object = _DEFAULT) -> list[Record]:
    """Every casualty incident and tally that `doc` reports, as records.

    `model` decides which of the grammar's candidates are news and which are tallies (default: the
    model shipped for the language; None: the grammar's own calls). A report in another language goes to
    that language's grammar (none: no records)."""
    if model is _DEFAULT:
        model = default_model(doc.lang)
    return decided(candidates(doc, places), model, reuse=True)  # type: ignore[arg-type]


def prepare(lang: str, places=None) -> None:
    """Load once what extracting a report in `lang` reads (lexicons, gazetteer, model: about 2 s), so
    that a time limit on one report counts only that report's own work."""
    if lang == "ar":
        lexicons()
    elif lang == "en":
        en_lexicon()
    default_model(lang)
    if places is None and lang in {"ar", *ENGINES}:
        embedded_resolver()


def decided(
    proposal: tuple[Layout, object, list[Candidate]] | None, model: Model | None, reuse: bool = False
) -> list[Record]:
    """The records `model` keeps of the grammar's proposal, with their confidence and kind.

    Merging mutates records, so they are copied unless `reuse` says the proposal is decided only once."""
    if proposal is None:
        return []
    if isinstance(proposal[0], Document):
        return ENGINES[proposal[0].lang][1](proposal, model, reuse)
    lay, resolver, found = proposal
    built = []
    for cand, confidence, kind in decide(found, model):
        rec = cand.record if reuse else copy.deepcopy(cand.record)
        if kind != cand.draft.kind:
            rec = build(lay, replace(cand.draft, kind=kind), lexicons(), resolver)
        if confidence is not None:
            rec.confidence = round(confidence, 3)
        built.append((rec, any(s.toll_update for s in cand.draft.statements)))
    return absorb_updates(built)


def candidates(doc: Document, places=None) -> tuple[Layout, object, list[Candidate]] | None:
    """Every record the grammar proposes for `doc`, with the features the model decides on (and the
    layout and place resolver they were read with, or the report for another language's grammar); None when `doc`
    tells of no casualty or is in a language no grammar reads."""
    if doc.lang != "ar":
        engine = ENGINES.get(doc.lang)
        return engine[0](doc, places) if engine is not None else None
    lex = lexicons()
    if not doc.text or not lex.gate.search(doc.text):
        return None
    lay = layout(doc)
    if not lex.gate.search(lay.text):
        return None
    mentions = []
    for clause in lay.clauses:
        found = find_mentions(lay, clause, lex)
        crash = bool(found) and accidental(lay, clause, lex)
        for m in found:
            if crash:
                m.flags.add("accident")  # a crash or a fire, not an attack
            if negated(lay, m, lex):
                m.flags.add("negated")
        mentions += found
    flag_background(lay, mentions, lex)
    if not mentions:
        return None
    resolver = embedded_resolver() if places is None else places
    # Doubted figures form drafts of their own, so they never change how sound ones merge.
    sound = [m for m in mentions if not m.flags]
    doubted = [m for m in mentions if m.flags]
    drafts: list[Draft] = join_accounts(lay, merge(statements(lay, sound, lex)), resolver)
    drafts += merge(statements(lay, doubted, lex))
    lay.memo["figure_sentences"] = {m.clause.sentence for m in mentions if m.kind != "wounded"}
    found = []
    for draft in drafts:
        rec = build(lay, draft, lex, resolver)
        found.append(Candidate(draft, rec, features(lay, draft, rec, lex)))
    return lay, resolver, found
