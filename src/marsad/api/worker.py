"""Reading and extracting a posted report in a worker process, with a time limit.

Parsing a large HTML page (trafilatura, lxml) and extracting a long report are CPU work that holds
the interpreter lock: in a thread they would slow every other request (`/api/health` among them).
In a process they cannot, and a report that takes too long is stopped by ending its process, so its
cost is bounded even after the client has gone. The worker reads the same database (its imported
gazetteer); only the parent writes.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from typing import Any

from marsad.limits import extract_timeout, max_chars


class ReportFailed(Exception):
    """The report could not be read or extracted: stage ("read" or "extract") and reason."""

    def __init__(self, stage: str, reason: str) -> None:
        super().__init__(stage, reason)  # both in args: the exception crosses the process by pickle
        self.stage = stage
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


class Worker:
    """One worker process for every app of this process, started on first use (spawned: forking a
    threaded server is unsafe). It reads whichever database each report names."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(1, mp_context=context, initializer=_warm_up, initargs=(os.getpid(),))
            return self._pool

    def start(self) -> None:
        """Start the process and load the lexicons now, not during the first report."""
        self._executor().submit(_ready)

    async def run(self, db_url: str, body: str, content_type: str, doc_id: str | None, published: date | None):
        """(Document, records) of the posted body; ReportFailed when it cannot be read or extracted."""
        loop = asyncio.get_running_loop()
        pool = self._executor()
        # The server's settings, not the worker's environment; the worker stops itself a little before.
        limit = extract_timeout()
        chars = max_chars()
        job = loop.run_in_executor(pool, read_and_extract, db_url, body, content_type, doc_id, published, chars, limit)
        try:
            outcome = await asyncio.wait_for(job, limit + 5)
        except TimeoutError:
            self._stop(pool)
            raise ReportFailed("extract", f"extraction took longer than {limit:g} s (MARSAD_EXTRACT_TIMEOUT)") from None
        except BrokenProcessPool:
            self._stop(pool)
            raise ReportFailed("extract", "the extraction process ended abruptly") from None
        if isinstance(outcome, ReportFailed):
            raise outcome
        return outcome

    def _stop(self, pool: ProcessPoolExecutor) -> None:
        """End the worker process (a stuck report with it); the next report starts a new one."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)


worker = Worker()


def in_process(db_url: str) -> bool:
    """Whether a worker process can open this database (an in-memory SQLite one it cannot)."""
    return not (db_url.startswith("sqlite") and db_url.split("///")[-1] in ("", ":memory:"))


# --- in the worker process ---------------------------------------------------------------------

_engines: dict[str, Any] = {}


def _engine(db_url: str):
    if db_url not in _engines:
        from sqlalchemy import create_engine

        _engines[db_url] = create_engine(db_url)
    return _engines[db_url]


def _warm_up(server: int) -> None:
    threading.Thread(target=_exit_with, args=(server,), name="marsad-parent-watch", daemon=True).start()
    from marsad.extract import extract
    from marsad.model import Document

    extract(Document(doc_id="warm-up", text="قتل 5 مدنيين في قصف على حلب"))


def _exit_with(server: int) -> None:
    """End this worker when the server is gone, however it ended (a kill leaves no time to stop us)."""
    while os.getppid() == server:
        time.sleep(1)
    os._exit(0)


def _ready() -> bool:
    return True


def read_and_extract(
    db_url: str, body: str, content_type: str, doc_id: str | None, published: date | None, chars: int, seconds: float
):
    return extract_report(_engine(db_url), body, content_type, doc_id, published, chars, seconds)


def extract_report(
    engine,
    body: str,
    content_type: str,
    doc_id: str | None,
    published: date | None,
    chars: int | None = None,
    seconds: float | None = None,
):
    """(Document, records), or the ReportFailed saying why not (returned: it crosses the process)."""
    from marsad.api.routes_ingest import parse_report
    from marsad.geo import resolver_for
    from marsad.pipeline import ExtractionError, adopt_model, extract_checked
    from marsad.sources import SourceError

    try:
        doc = parse_report(body, content_type, doc_id)
    except SourceError as err:
        return ReportFailed("read", err.message)
    except Exception as exc:  # noqa: BLE001 - a reader's defect is this report's failure
        return ReportFailed("read", getattr(exc, "detail", None) or f"unreadable report ({type(exc).__name__}: {exc})")
    if published and not doc.published:
        doc.published = published
    try:
        adopt_model(engine)
        return doc, extract_checked(doc, resolver_for(engine), chars, seconds)
    except ExtractionError as exc:
        return ReportFailed(exc.stage, str(exc))
