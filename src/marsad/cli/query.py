"""`marsad incidents`, `marsad tally`, `marsad export`: questions asked of the store."""

from __future__ import annotations

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
        from marsad.database import record_item
        from marsad.export import write_export

        write_export(map(record_item, found), None, "jsonl")
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
    output_format: Annotated[
        str | None,
        typer.Option("--format", help="csv, jsonl, geojson, parquet or xlsx (default: -o's suffix, else jsonl)."),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default stdout).")] = None,
    columns: Annotated[
        str, typer.Option("--columns", help="marsad (SCHEMA.md flattened), acled (ACLED codebook) or ucdp (UCDP GED).")
    ] = "marsad",
    bom: Annotated[bool, typer.Option("--bom", help="CSV with a byte-order mark, so Excel reads the Arabic.")] = False,
    hxl: Annotated[bool, typer.Option("--hxl", help="A second header row of HXL hashtags (csv, xlsx).")] = False,
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
    """Write the stored records or events, each row with its source (outlet, url, title, published, doc_id).

    Records keep their `record_id` and events their `event_id` across re-runs, so a downstream
    dataset can be updated by id. Rows a format or layout cannot hold (GeoJSON: no coordinates;
    acled/ucdp: tallies) are left out and counted."""
    from marsad.database import Database

    if what not in ("records", "events"):
        raise typer.BadParameter("must be records or events", param_hint="--what")
    filters = build_filters(since, until, perpetrator, victim, admin1, country, kind, event_type)
    options = {k: v for k, v in vars(filters).items() if v is not None and k not in ("admin2", "text", "doc_id")}
    try:
        result = Database(db).export(output, output_format, what=what, columns=columns, hxl=hxl, bom=bom, **options)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    if output is not None or result.left_out:
        err_console.print(result.summary(what), highlight=False)
