"""Reports that could not be read or extracted: where (file and line), why, and when.

An ingest records each failure here and goes on with the other reports; `marsad failures` lists
them. A failure is kept once per place and reason: meeting it again updates its time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Engine, Index, Integer, String, Table, Text, delete, insert, select, update

from marsad.store.schema import metadata

failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("path", Text, nullable=False),  # the file read, "-" for stdin, "api" for a POST
    Column("line", Integer),  # the report's first line in a JSONL/CSV file; null for whole files
    Column("stage", String(16), nullable=False),  # "read", "extract", "store" or "resolve"
    Column("reason", Text, nullable=False),
    Column("doc_id", String(300)),
    Column("failed_at", DateTime, nullable=False),
)

Index("ix_failures_failed_at", failures.c.failed_at)


@dataclass
class Failure:
    path: str
    line: int | None
    stage: str
    reason: str
    doc_id: str | None = None
    failed_at: datetime | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


def record_failure(engine: Engine, failure: Failure) -> None:
    """Store one failure (or refresh the time of the same one met before)."""
    now = datetime.now(UTC)
    # Text the database cannot take (lone surrogates) must not make the failure itself fail.
    reason = failure.reason.encode("utf-8", "replace").decode("utf-8")
    path = failure.path.encode("utf-8", "replace").decode("utf-8")
    same = (
        (failures.c.path == path)
        & (failures.c.line.is_(None) if failure.line is None else failures.c.line == failure.line)
        & (failures.c.stage == failure.stage)
        & (failures.c.reason == reason)
    )
    with engine.begin() as conn:
        if conn.execute(update(failures).where(same).values(failed_at=now)).rowcount:
            return
        doc_id = failure.doc_id.encode("utf-8", "replace").decode("utf-8")[:300] if failure.doc_id else None
        conn.execute(
            insert(failures).values(
                path=path, line=failure.line, stage=failure.stage, reason=reason, doc_id=doc_id, failed_at=now
            )
        )


def list_failures(engine: Engine, limit: int | None = None) -> list[Failure]:
    """Failures, the most recent first."""
    query = select(failures).order_by(failures.c.failed_at.desc(), failures.c.id.desc()).limit(limit)
    with engine.connect() as conn:
        return [
            Failure(row.path, row.line, row.stage, row.reason, row.doc_id, row.failed_at) for row in conn.execute(query)
        ]


def clear_failures(engine: Engine) -> int:
    """Forget every failure; returns how many there were."""
    with engine.begin() as conn:
        return conn.execute(delete(failures)).rowcount
