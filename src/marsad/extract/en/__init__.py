"""The English grammar extractor: an English Document in, SCHEMA.md records out.

sentences -> casualty figures per sentence (mentions.py) -> statements (killed with the wounded of
the same sentence) -> statements that tell the same event merged (headline and lead, a toll update)
-> records with perpetrator, event type, place, date and evidence (context.py, records.py).
Words are data in lang/en/; places go through the same marsad.geo resolver as Arabic.
"""

from __future__ import annotations

from marsad.extract.en.lexicon import lexicon
from marsad.extract.en.records import build_records
from marsad.extract.en.statements import find_statements
from marsad.model import Document, Record

__all__ = ["extract_en"]


def extract_en(doc: Document, places=None) -> list[Record]:
    """Every casualty incident and tally that the English report `doc` tells, as records."""
    lex = lexicon()
    if not doc.text or not lex.gate.search(doc.text):
        return []
    statements = find_statements(doc, lex)
    if not statements:
        return []
    if places is None:
        from marsad.extract.places import embedded_resolver

        places = embedded_resolver()
    return build_records(doc, statements, lex, places)
