"""Extraction on every core: batches of reports extracted in worker processes, results in input order.

What extraction needs (lexicons, gazetteer with the database's imported places, any model `extract`
loads) is loaded once, in this process, by extracting the bundled example report, and the workers are
forked from it: they inherit it all, so no worker pays for the load again. A batch is sent as a few large
tasks, so that the cost of sending reports and records between processes stays small while the last
tasks of a run still keep every worker busy. Results come back in the order the batches were given, so
that one writer stores them in order and a run with N workers stores exactly what a serial run stores.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from marsad.extract import extract
from marsad.model import Document

# Reports per task sent to a worker: large enough that sending them costs little beside extracting
# them (a report takes milliseconds), small enough that a batch feeds every worker.
TASK = 50

# The workers' place resolver (None: the embedded gazetteer alone), set before they are forked.
_places = None


def warm_up(places=None) -> None:
    """Load everything extraction uses now, by extracting the bundled example report."""
    from marsad.sources import read_path

    folder = Path(str(resources.files("marsad").joinpath("examples")))
    for path in sorted(folder.glob("*.txt"))[:1]:
        for doc in read_path(str(path)):
            if isinstance(doc, Document):
                extract(doc, places=places)


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
    batches: Iterable[list[Document]], workers: int = 1, places=None
) -> Iterator[tuple[list[Document], list]]:
    """(batch, records of each report or its ExtractionError) for each batch, in order, places resolved
    with `places` (None: the embedded gazetteer).

    With `workers` > 1 the batches are extracted in that many processes; at most two batches per worker
    are in flight, so a long input is read as the workers go, not all at once."""
    if workers <= 1:
        for docs in batches:
            yield docs, [_extract_one(doc, places) for doc in docs]
        return
    global _places
    _places = places
    warm_up(places)  # before the fork: every worker inherits what it loaded
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pending: deque = deque()
        for docs in batches:
            tasks = [pool.apply_async(_extract_batch, (docs[i : i + TASK],)) for i in range(0, len(docs), TASK)]
            pending.append((docs, tasks))
            if len(pending) >= 2 * workers:
                yield _results(*pending.popleft())
        while pending:
            yield _results(*pending.popleft())


def _results(docs: list[Document], tasks: list) -> tuple[list[Document], list]:
    return docs, [found for task in tasks for found in task.get()]
