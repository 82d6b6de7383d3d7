"""One sentence of an ANT report as a report of its own, for tests of a single construction."""

from __future__ import annotations

import re

from marsad.model import Document


def sentence(corpus, doc_id: str, phrase: str) -> Document:
    """The sentence of `doc_id` holding `phrase`, with the report's publication date."""
    doc = corpus[doc_id]
    for part in re.split(r"(?<=[.\n])", doc.text):
        if phrase in part:
            return Document(doc_id=doc_id, text=part.strip(), published=doc.published)
    raise AssertionError(f"{phrase!r} not in {doc_id}")
