"""Extraction on every core: batches of reports extracted in worker processes, results in input order.

Each worker loads what extraction needs once (lexicons, gazetteer with the database's imported places,
any model `extract` loads) by extracting the bundled example report in its initialiser; a task is a
whole batch of reports, so that the cost of sending reports and records between processes stays small.
Results come back in the order the batches were given, so that one writer stores them in order and a
run with N workers stores exactly what a serial run stores.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from marsad.extract import extract
from marsad.model import Document

# The worker's place resolver (None: the embedded gazetteer alone), set once by `_init`.
_places = None


def warm_up(places=None) -> None:
    """Load everything extraction uses now, by extracting the bundled example report."""
    from marsad.sources import read_path

    folder = Path(str(resources.files("marsad").joinpath("examples")))
    for path in sorted(folder.glob("*.txt"))[:1]:
        for doc in read_path(str(path)):
            if isinstance(doc, Document):
                extract(doc, places=places)


def _init(db_url: str | None) -> None:
    global _places
    if db_url is not None:
        from sqlalchemy import create_engine

        from marsad.geo import resolver_for

        engine = create_engine(db_url)
        _places = resolver_for(engine)
        engine.dispose()
    warm_up(_places)


def _extract_batch(docs: list[Document]) -> list:
    return [_extract_one(doc, _places) for doc in docs]


def _extract_one(doc: Document, places):
    """The report's records, or the ExtractionError that says why there are none (one report's
    defect, size or slowness never stops the batch)."""
    from marsad.pipeline import ExtractionError, extract_checked

    try:
        return extract_checked(doc, places)
    except ExtractionError as exc:
        return exc


def extract_batches(
    batches: Iterable[list[Document]], workers: int = 1, places=None, db_url: str | None = None
) -> Iterator[tuple[list[Document], list]]:
    """(batch, records of each report or its ExtractionError) for each batch, in order.

    With `workers` > 1 the batches are extracted in that many processes, each resolving places with the
    gazetteer of `db_url` (None: the embedded one); with 1, here, with `places`. At most two batches per
    worker are in flight, so a long input is read as the workers go, not all at once."""
    if workers <= 1:
        for docs in batches:
            yield docs, [_extract_one(doc, places) for doc in docs]
        return
    with multiprocessing.get_context("fork").Pool(workers, initializer=_init, initargs=(db_url,)) as pool:
        pending: deque = deque()
        for docs in batches:
            pending.append((docs, pool.apply_async(_extract_batch, (docs,))))
            if len(pending) >= 2 * workers:
                docs, result = pending.popleft()
                yield docs, result.get()
        while pending:
            docs, result = pending.popleft()
            yield docs, result.get()
