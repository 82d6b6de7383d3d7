"""`marsad failures`: the reports an ingest could not read, extract or store, and why."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from marsad.cli.common import DbOption, Table, console, escape, lazy

store = lazy("marsad.store")


def register(app: typer.Typer) -> None:
    app.command()(failures)


def failures(
    db: DbOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many, the most recent first.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    clear: Annotated[bool, typer.Option("--clear", help="Forget every recorded failure.")] = False,
) -> None:
    """List the reports that could not be read, extracted or stored: file, line, stage and reason."""
    engine = store.connect(db)
    if clear:
        console.print(f"{store.clear_failures(engine)} failures forgotten", highlight=False)
        return
    found = store.list_failures(engine, limit)
    if as_json:
        for f in found:
            row = {"path": f.path, "line": f.line, "stage": f.stage, "reason": f.reason, "doc_id": f.doc_id}
            typer.echo(json.dumps({**row, "failed_at": f.failed_at.isoformat()}, ensure_ascii=False))
        return
    if not found:
        console.print("no failures recorded", highlight=False)
        return
    table = Table()
    for column in ("when", "file", "line", "stage", "reason"):
        table.add_column(column, overflow="fold")
    for f in found:
        when = f.failed_at.strftime("%Y-%m-%d %H:%M:%S")
        table.add_row(when, escape(f.path), str(f.line or ""), f.stage, escape(f.reason))
    console.print(table)
