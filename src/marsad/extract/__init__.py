"""Extraction: a Document in, SCHEMA.md records out.

Any extractor (the grammar one here, a statistical or LLM one later) has this signature:
`extract(doc, places=None) -> list[Record]`, where `places` is the geo resolver to use.
"""
