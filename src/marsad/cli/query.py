"""`marsad incidents`, `marsad tally`, `marsad export`: questions asked of the store."""

from __future__ import annotations

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
    TextOption,
    UntilOption,
    VictimOption,
    build_filters,
    console,
    err_console,
    lazy,
)
from marsad.cli.ingest import records_table

store = lazy("marsad.store")
exporters = lazy("marsad.export")


def register(app: typer.Typer) -> None:
    app.command()(incidents)
    app.command()(tally)
    app.command()(export)


def incidents(
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
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most this many records.")] = None,
    output_format: Annotated[str, typer.Option("--format", help="table or jsonl.")] = "table",
) -> None:
    """List stored records (incidents and tallies), oldest first."""
    if output_format not in ("table", "jsonl"):
        raise typer.BadParameter("must be table or jsonl", param_hint="--format")
    filters = build_filters(since, until, perpetrator, victim, admin1, country, kind, event_type, text)
    engine = store.connect(db)
    found = store.query_records(engine, filters, limit=limit)
    if output_format == "jsonl":
        exporters.WRITERS["jsonl"](exporters.record_rows(found), sys.stdout)
        return
    console.print(records_table([s.record for s in found], [s.record_id for s in found]))
    console.print(f"{len(found)} record(s)", highlight=False)


def tally(
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    perpetrator: PerpetratorOption = None,
    victim: VictimOption = None,
    admin1: Admin1Option = None,
    country: CountryOption = None,
    event_type: EventTypeOption = None,
    text: TextOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Sum killed over events (each real event once), beside every reported tally, with the difference.

    Headline-vs-body discrepancies within a report and decreases in running counts are flagged."""
    from marsad.cli.events import tally_view

    filters = build_filters(since, until, perpetrator, victim, admin1, country, None, event_type, text)
    tally_view(store.connect(db), filters, as_json)


def export(
    output_format: Annotated[str, typer.Option("--format", help="csv, jsonl or geojson.")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default stdout).")] = None,
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    perpetrator: PerpetratorOption = None,
    victim: VictimOption = None,
    admin1: Admin1Option = None,
    country: CountryOption = None,
    kind: KindOption = None,
    event_type: EventTypeOption = None,
    what: Annotated[
        str, typer.Option("--what", help="records (one per report statement) or events (merged across reports).")
    ] = "records",
) -> None:
    """Write the stored records or events as CSV (flattened SCHEMA.md names), JSONL or GeoJSON.

    Records keep their `record_id` and events their `event_id` across re-runs, so a downstream
    dataset can be updated by id; an event lists in `former_ids` the ids of events merged into it."""
    writer = exporters.WRITERS.get(output_format)
    if writer is None:
        raise typer.BadParameter("must be csv, jsonl or geojson", param_hint="--format")
    if what not in ("records", "events"):
        raise typer.BadParameter("must be records or events", param_hint="--what")
    filters = build_filters(since, until, perpetrator, victim, admin1, country, kind, event_type)
    engine = store.connect(db)
    if what == "events":
        from marsad.store.event_history import former_ids

        rows = exporters.event_rows(
            store.events.query_events(engine, filters), former_ids(engine), store.review.reviewed_record_ids(engine)
        )
    else:
        rows = exporters.record_rows(store.iter_records(engine, filters))
    if output is None:
        writer(rows, sys.stdout)
        return
    # Written beside the target and renamed, so an interrupted export never leaves a half file.
    n = exporters.write_file(output, lambda handle: writer(rows, handle))
    err_console.print(f"{n} {what} written to {output}", highlight=False)
