"""`marsad review`: an analyst accepts, corrects, rejects or adds records; the log; the queue; gold export."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from marsad.cli.common import (
    Admin1Option,
    CountryOption,
    DbOption,
    EventTypeOption,
    KindOption,
    PerpetratorOption,
    SinceOption,
    Table,
    TextOption,
    UntilOption,
    VictimOption,
    build_filters,
    console,
    err_console,
    for_terminal,
    lazy,
)

review = lazy("marsad.review")
store = lazy("marsad.store")
corrections = lazy("marsad.corrections")
review_store = lazy("marsad.store.review")

review_app = typer.Typer(help="Analyst review: corrections that win everywhere, with an audit log.")

ReasonOption = Annotated[str | None, typer.Option("--reason", help="Why: kept in the log.")]
UserOption = Annotated[
    str | None, typer.Option("--user", envvar="MARSAD_USER", help="Who decides (default: the login name).")
]


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")


def run_action(action, *args, **kwargs):
    """Run a review action; a bad id or value is one clear line and exit code 1, nothing written."""
    try:
        return action(*args, **kwargs)
    except (corrections.CorrectionError, review.ReviewError, KeyError) as exc:
        err_console.print(f"[red]error[/red] {exc.args[0] if exc.args else exc}", highlight=False)
        raise typer.Exit(1) from None


@review_app.command("correct")
def correct_command(
    record_id: Annotated[str, typer.Argument(help="The record, <doc_id>:<n>.")],
    assignments: Annotated[
        list[str],
        typer.Option(
            "--set",
            help="FIELD=VALUE, repeatable: killed.best=5, perpetrator=isis, wounded=null, "
            'victims=\'[{"group": "children"}]\', place=دوما (looked up in the gazetteer), date=2019-03-24.',
        ),
    ],
    reason: ReasonOption = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Correct fields of a record. The correction wins over re-extraction, re-ingest and re-resolution."""
    changes = run_action(corrections.parse_assignments, assignments)
    change_id = run_action(review.correct, store.connect(db), record_id, changes, reason, user)
    console.print(f"change {change_id}: {record_id} corrected", highlight=False)


@review_app.command("accept")
def accept_command(
    record_id: Annotated[str, typer.Argument(help="The record, <doc_id>:<n>.")],
    reason: ReasonOption = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """The record is right as shown."""
    change_id = run_action(review.accept, store.connect(db), record_id, reason, user)
    console.print(f"change {change_id}: {record_id} accepted", highlight=False)


@review_app.command("reject")
def reject_command(
    record_id: Annotated[str, typer.Argument(help="The record, <doc_id>:<n>.")],
    reason: ReasonOption = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """The record is not an incident: it leaves tallies, events and listings (kept, and logged)."""
    change_id = run_action(review.reject, store.connect(db), record_id, reason, user)
    console.print(f"change {change_id}: {record_id} rejected", highlight=False)


@review_app.command("add")
def add_command(
    doc_id: Annotated[str, typer.Argument(help="The report the record comes from.")],
    record: Annotated[
        str,
        typer.Option(
            "--json",
            help='The record (SCHEMA.md) as JSON, or @FILE; "evidence": [{"start": S, "end": E}] in the '
            "report's cleaned text (as `/api/documents/ID` gives it).",
        ),
    ],
    reason: ReasonOption = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Add a record the machine missed."""
    text = Path(record[1:]).read_text(encoding="utf-8") if record.startswith("@") else record
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise typer.BadParameter(f"not JSON: {exc}", param_hint="--json") from None
    record_id, change_id = run_action(review.add, store.connect(db), doc_id, data, reason, user)
    console.print(f"change {change_id}: {record_id} added", highlight=False)


@review_app.command("undo")
def undo_command(
    change_id: Annotated[int, typer.Argument(help="The change to take back (see `marsad review log`).")],
    reason: ReasonOption = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Take back a record decision (the log keeps both)."""
    new_id = run_action(review.undo, store.connect(db), change_id, reason, user)
    console.print(f"change {new_id}: change {change_id} undone", highlight=False)


def _changes_text(entry: dict) -> str:
    changes = entry.get("changes") or {}
    lines = [f"{path}: {json.dumps(a, ensure_ascii=False)} → {json.dumps(b, ensure_ascii=False)}"
             for path, (a, b) in changes.items()]  # fmt: skip
    if entry.get("after") and "event_id" in entry["after"]:
        lines.append(f"event {entry['after']['event_id']}")
    if entry.get("after") and "event_ids" in entry["after"]:
        lines.append("events " + ", ".join(entry["after"]["event_ids"]))
    return for_terminal("\n".join(lines))


@review_app.command("log")
def log_command(
    record: Annotated[str | None, typer.Option("--record", help="Only the changes to this record.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many changes.")] = 200,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    db: DbOption = None,
) -> None:
    """The audit log, newest first: who, when, what before and after, and why."""
    entries = review.log(store.connect(db), record, limit)
    if as_json:
        for entry in entries:
            sys.stdout.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
        return
    # One block per change, not a table: changes and reasons stay whole in any terminal width.
    for e in entries:
        undoes = f" of change {e['undoes']}" if e.get("undoes") else ""
        head = f"#{e['change_id']}  {e['at'][:16].replace('T', ' ')}  {e['user']}  {e['action']}{undoes}"
        console.print(f"[bold]{head}[/bold]  {e.get('record_id') or e.get('target') or ''}", highlight=False)
        for line in _changes_text(e).splitlines():
            console.print(f"    {line}", highlight=False, soft_wrap=True)
        if e.get("reason"):
            console.print(f"    reason: {for_terminal(e['reason'])}", highlight=False, soft_wrap=True)
    console.print(f"{len(entries)} change(s)", highlight=False)


@review_app.command("queue")
def queue_command(
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    perpetrator: PerpetratorOption = None,
    victim: VictimOption = None,
    admin1: Admin1Option = None,
    country: CountryOption = None,
    kind: KindOption = None,
    event_type: EventTypeOption = None,
    text: TextOption = None,
    flagged: Annotated[
        bool, typer.Option("--flagged", help="Reviewed records whose machine value changed since.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many records.")] = 20,
) -> None:
    """Records to review, the least certain first (the extraction model's confidence)."""
    filters = build_filters(since, until, perpetrator, victim, admin1, country, kind, event_type, text)
    items = review_store.queue(store.connect(db), filters, limit=limit, flagged=flagged)
    table = Table()
    for column in ("record", "confidence", "kind", "date", "perpetrator", "victims", "admin1", "killed"):
        table.add_column(column, overflow="fold")
    for item in items:
        killed = item.get("killed") or {}
        table.add_row(
            item["record_id"], "" if item["confidence"] is None else f"{item['confidence']:.2f}", item["kind"],
            item.get("date") or "", item["perpetrator"], item["victim_group"],
            (item.get("location") or {}).get("admin1") or "", str(killed.get("best") or killed.get("low") or ""),
        )  # fmt: skip
    console.print(table)
    console.print(f"{len(items)} record(s) to review", highlight=False)


@review_app.command("export")
def export_command(
    gold: Annotated[Path, typer.Option("--gold", help="Write the reviewed reports as gold JSONL (ar_dev.jsonl).")],
    docs: Annotated[
        Path | None, typer.Option("--docs", help="Also write those reports as JSONL, for `marsad eval --docs`.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Export what analysts reviewed as training and evaluation data (`marsad eval --gold`, `marsad train`)."""
    engine = store.connect(db)
    partial = gold.with_name(gold.name + ".partial")
    docs_partial = docs.with_name(docs.name + ".partial") if docs else None
    with partial.open("w", encoding="utf-8") as out:
        if docs_partial is None:
            n = review.export_gold(engine, out)
        else:
            with docs_partial.open("w", encoding="utf-8") as docs_out:
                n = review.export_gold(engine, out, docs_out)
    partial.replace(gold)
    if docs and docs_partial:
        docs_partial.replace(docs)
    err_console.print(f"{n} reviewed report(s) written to {gold}", highlight=False)
