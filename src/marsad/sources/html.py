"""HTML pages: trafilatura finds the main text, title, date and site name; comments are dropped."""

from __future__ import annotations

from marsad.model import Document
from marsad.sources.errors import SourceError
from marsad.sources.language import guess_lang
from marsad.sources.plaintext import find_attribution
from marsad.sources.tabular import parse_date


def read_html(html: str, path: str, stem: str | None) -> Document:
    import trafilatura  # a tenth of a second to import: only when a page is read

    extracted = trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_tables=False,
        with_metadata=True,
        favor_precision=True,
    )
    extracted = extracted.as_dict() if extracted is not None else None
    if not extracted or not (extracted.get("text") or "").strip():
        raise SourceError(path, None, "no article text found in the HTML page")
    title = (extracted.get("title") or "").strip() or None
    body = extracted["text"].strip()
    try:
        published = parse_date(extracted.get("date"))
    except ValueError:
        published = None  # a page's date metadata is a hint, not something to fail a report over
    doc = Document(
        doc_id=stem or "",
        text=f"{title}\n\n{body}" if title else body,
        raw_text=html,
        title=title,
        outlet=extracted.get("sitename") or extracted.get("hostname"),
        attribution=find_attribution(body),
        url=extracted.get("url"),
        published=published,
        lang=extracted.get("language") or guess_lang(body),
        source_path=path,
    )
    if not doc.doc_id:
        doc.doc_id = doc.content_hash[:16]
    return doc
