"""Analyst review: accept, correct, reject or add records, merge and split events, undo; all logged.

The Python API behind `marsad review` and `/api/review`. Every decision is one transaction that
stores the decision, rewrites the record's row with the corrected values and appends a log entry
(who, when, before, after, why); the record's event is then resolved again, so tallies, events and
exports show the corrected figures at once. Decisions win over re-extraction, re-ingest and
`events resolve --full` (see `store.review.reapply_reviews`).
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Callable
from typing import Any, TextIO

from sqlalchemy import Engine

from marsad import corrections, resolve, store
from marsad.corrections import CorrectionError
from marsad.export.gold import gold_document, report_row
from marsad.model import Record
from marsad.store import review as review_store
from marsad.store.aggregates import document_records

RECORD_ACTIONS = ("accept", "correct", "reject", "add", "undo")

__all__ = [
    "CorrectionError",
    "MissingError",
    "ReviewError",
    "accept",
    "add",
    "correct",
    "current_user",
    "export_gold",
    "merge",
    "reject",
    "split",
    "undo",
]


class ReviewError(LookupError):
    """A decision that cannot be taken (a change that is not the latest cannot be undone)."""


class MissingError(ReviewError):
    """A record, report, event or change that does not exist."""


def current_user(user: str | None = None) -> str:
    """Who decides: given, else MARSAD_USER, else the login name."""
    name = (user or os.environ.get("MARSAD_USER") or getpass.getuser() or "").strip()
    if not name:
        raise ReviewError("say who you are: --user NAME or MARSAD_USER")
    return name[:100]


def _changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list]:
    """The compared fields that differ, as path -> [before, after]; counts bound by bound (killed.best)."""
    before, after = before or {}, after or {}
    found = {}
    for path in corrections.COMPARED:
        old, new = corrections.get_path(before, path), corrections.get_path(after, path)
        if old == new:
            continue
        if path in corrections.COUNT_FIELDS and old is not None and new is not None:
            found.update(
                {f"{path}.{b}": [old.get(b), new.get(b)] for b in corrections.BOUNDS if old.get(b) != new.get(b)}
            )
        else:
            found[path] = [old, new]
    return found


def _decide(
    engine: Engine,
    record_id: str,
    action: str,
    decide: Callable[[dict[str, Any] | None], dict[str, Any] | None],
    reason: str | None,
    user: str,
    undoes: int | None = None,
) -> int:
    """Apply one decision about a record in one transaction, log it, then re-resolve its event."""
    with engine.begin() as conn:
        review = review_store.review_row(conn, record_id)
        state = review_store.record_state(conn, record_id)
        if state is None and review is None and action != "add":
            raise MissingError(f"no record {record_id!r}")
        before = review_store.decision_of(review)
        machine = review.machine if review is not None else (state.data if state else None)
        decision = decide(before)
        review_store.save_decision(conn, record_id, decision, machine, user)
        old = state.data if state else None
        new = review_store.effective(decision, machine) if decision else machine
        change_id = review_store.append_log(
            conn, user=user, action=action, record_id=record_id, reason=reason, before=before,
            after=decision, changes=_changes(old, new), undoes=undoes,
        )  # fmt: skip
    resolve.refresh_records(engine, [record_id])
    return change_id


def correct(
    engine: Engine, record_id: str, changes: dict[str, Any], reason: str | None = None, user: str | None = None
) -> int:
    """Correct fields of a record ({"killed.best": 5, "perpetrator": "isis"}); returns the change id."""
    if not changes:
        raise CorrectionError("nothing to correct: give FIELD=VALUE")
    changes = _with_place(engine, changes)
    for path, value in changes.items():
        corrections.check(path, value)

    def decide(before):
        overrides = corrections.merge_overrides((before or {}).get("overrides") or {}, changes)
        status = "added" if before and before["status"] == "added" else "corrected"
        return {"status": status, "overrides": overrides, "record": (before or {}).get("record")}

    # An invalid result raises CorrectionError inside the transaction: nothing is written.
    return _decide(engine, record_id, "correct", decide, reason, current_user(user))


def accept(engine: Engine, record_id: str, reason: str | None = None, user: str | None = None) -> int:
    """The record is right as shown (corrections made so far stand)."""

    def decide(before):
        keep = before or {"overrides": {}, "record": None, "status": "accepted"}
        return {**keep, "status": "added" if keep["status"] == "added" else "accepted"}

    return _decide(engine, record_id, "accept", decide, reason, current_user(user))


def reject(engine: Engine, record_id: str, reason: str | None = None, user: str | None = None) -> int:
    """The record is not an incident: it leaves every tally, event and listing (kept, and logged)."""

    def decide(before):
        keep = before or {"overrides": {}, "record": None}
        return {**keep, "status": "rejected"}

    return _decide(engine, record_id, "reject", decide, reason, current_user(user))


def add(
    engine: Engine, doc_id: str, data: dict[str, Any], reason: str | None = None, user: str | None = None
) -> tuple[str, int]:
    """A record the machine missed, with its evidence chosen in the report's text. Returns (record_id, change id)."""
    doc = store.get_document(engine, doc_id)
    if doc is None:
        raise MissingError(f"no document {doc_id!r}")
    record = _valid_record(data, doc.text, doc_id)
    with engine.connect() as conn:
        record_id = review_store.next_added_id(conn, doc_id)
    decision = {"status": "added", "overrides": {}, "record": record}

    def decide(before):
        if before is not None:  # the id was taken between choosing it and writing it
            raise ReviewError(f"another record was added to {doc_id!r} at the same moment: try again")
        return decision

    change_id = _decide(engine, record_id, "add", decide, reason, current_user(user))
    return record_id, change_id


def _valid_record(data: dict[str, Any], text: str, doc_id: str) -> dict[str, Any]:
    """A SCHEMA.md record from an analyst, checked field by field; evidence spans must be in the text."""
    if not isinstance(data, dict):
        raise CorrectionError("a record is a JSON object")
    data = {**data, "doc_id": doc_id, "kind": data.get("kind") or "incident"}
    for path in (*corrections.CHOICES, *corrections.DATE_FIELDS, *corrections.COUNT_FIELDS, "location"):
        if path in data:
            corrections.check(path, data[path])
    for path in ("victims", "regions"):
        if data.get(path) is not None:
            corrections.check(path, data[path])
    evidence = data.get("evidence") or []
    if not isinstance(evidence, list) or not evidence or not all(isinstance(span, dict) for span in evidence):
        raise CorrectionError("evidence: select the words of the report that state the incident")
    spans = []
    for span in evidence[:50]:
        start, end = span.get("start"), span.get("end")
        if not (type(start) is int and type(end) is int and 0 <= start < end <= len(text)):
            raise CorrectionError(f"evidence: {start}..{end} is not a span of the report (0..{len(text)})")
        if span.get("text") not in (None, text[start:end]):
            raise CorrectionError(f"evidence: the report's text at {start}..{end} is {text[start:end]!r}")
        role = span.get("role") if isinstance(span.get("role"), str) else None
        spans.append({"start": start, "end": end, "text": text[start:end], "role": role})
    return Record.from_dict({**data, "evidence": spans}).to_dict()


def undo(engine: Engine, change_id: int, reason: str | None = None, user: str | None = None) -> int:
    """Take back a record decision: its record returns to how it was before. Returns the new change id."""
    with engine.connect() as conn:
        entry = review_store.log_entry(conn, change_id)
        if entry is None:
            raise MissingError(f"no change {change_id}")
        if entry.action not in RECORD_ACTIONS:
            raise ReviewError(f"change {change_id} ({entry.action}) is undone by the opposite event decision")
        latest = review_store.latest_change(conn, entry.record_id)
    if latest != change_id:
        raise ReviewError(f"change {latest} came after {change_id} on {entry.record_id}: undo it first")
    return _decide(
        engine, entry.record_id, "undo", lambda _before: entry.before, reason, current_user(user), undoes=change_id
    )


def merge(engine: Engine, ids: list[str], reason: str | None = None, user: str | None = None) -> str:
    """These events (or records) are one event; logged with who and why. Returns the event id."""
    who = current_user(user)
    try:
        event_id = resolve.merge_events(engine, ids)
    except KeyError as exc:
        raise MissingError(exc.args[0]) from None
    _log_event(engine, "merge", ids, reason, who, {"event_id": event_id})
    return event_id


def split(engine: Engine, target: str, reason: str | None = None, user: str | None = None) -> list[str]:
    """An event's records are separate events (or one record leaves its event); logged. Returns event ids."""
    who = current_user(user)
    try:
        event_ids = resolve.split_event(engine, target)
    except KeyError as exc:
        raise MissingError(exc.args[0]) from None
    _log_event(engine, "split", [target], reason, who, {"event_ids": event_ids})
    return event_ids


def _with_place(engine: Engine, changes: dict[str, Any]) -> dict[str, Any]:
    """`place=NAME` becomes `location`: the place the gazetteer (default and imported) finds for the name."""
    if "place" not in changes:
        return changes
    from marsad.geo import resolver_for

    name = str(changes["place"] or "").strip()
    found = resolver_for(engine).resolve(name) if name else None
    if found is None:
        raise CorrectionError(f"place: the gazetteer knows no place {name!r} (see `marsad geocode`)")
    location = {f: getattr(found, f) for f in corrections.LOCATION_FIELDS}
    return {**{k: v for k, v in changes.items() if k != "place"}, "location": {**location, "text": name}}


def export_gold(engine: Engine, gold_out: TextIO, docs_out: TextIO | None = None) -> int:
    """Write every report someone reviewed as SCHEMA.md gold (and, with `docs_out`, the reports themselves
    as JSONL that `marsad eval --docs` and `marsad ingest` read). Returns the number of reports."""
    n = 0
    for doc_id in review_store.reviewed_doc_ids(engine):
        doc = store.get_document(engine, doc_id)
        if doc is None:
            continue  # decisions about a report since deleted: kept for its return, nothing to export
        gold = gold_document(doc, document_records(engine, doc_id))
        gold_out.write(json.dumps(gold, ensure_ascii=False) + "\n")
        if docs_out is not None:
            docs_out.write(json.dumps(report_row(doc), ensure_ascii=False) + "\n")
        n += 1
    return n


def _log_event(engine: Engine, action: str, ids: list[str], reason: str | None, user: str, after: dict) -> None:
    with engine.begin() as conn:
        review_store.append_log(conn, user=user, action=action, target=" ".join(ids), reason=reason, after=after)


def change(engine: Engine, change_id: int) -> dict[str, Any] | None:
    """One log entry."""
    with engine.connect() as conn:
        row = review_store.log_entry(conn, change_id)
    return review_store.log_item(row) if row else None


def log(engine: Engine, record_id: str | None = None, limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
    """The audit log, newest first."""
    return review_store.read_log(engine, record_id, limit, offset)
