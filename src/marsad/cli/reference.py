"""`marsad reference import|list` and `marsad compare --with NAME`: marsad held against another dataset."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from marsad.cli.common import (
    Admin1Option,
    CountryOption,
    DbOption,
    EventTypeOption,
    PerpetratorOption,
    SinceOption,
    Table,
    TextOption,
    UntilOption,
    VictimOption,
    build_filters,
    console,
    err_console,
    escape,
)

reference_app = typer.Typer(help="Other datasets' events (UCDP GED, ACLED), stored beside marsad's, never mixed.")


def register(app: typer.Typer) -> None:
    app.add_typer(reference_app, name="reference")
    app.command("compare")(compare)


@reference_app.command("import")
def import_command(
    kind: Annotated[str, typer.Argument(help="ucdp (UCDP GED CSV) or acled (ACLED export CSV).")],
    path: Annotated[Path, typer.Argument(help="The CSV file.")],
    name: Annotated[str | None, typer.Option("--name", help="Store it under this name (default: KIND).")] = None,
    db: DbOption = None,
) -> None:
    """Store a UCDP GED or ACLED file as a reference dataset; re-importing a name replaces it.

    A bad row is named with its file and line and left out, the others are imported (exit code 1)."""
    from marsad.database import Database
    from marsad.reference import KINDS
    from marsad.sources import SourceError

    if kind not in KINDS:
        raise typer.BadParameter(f"must be one of {', '.join(KINDS)}", param_hint="KIND")
    try:
        result = Database(db).import_reference(kind, path, name)
    except SourceError as exc:
        err_console.print(f"[red]error[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(code=1) from None
    console.print(f"{result.imported} {kind} events imported as {result.name!r}", highlight=False)
    for error in result.errors:
        err_console.print(f"[red]error[/red] {escape(str(error))}", highlight=False)
    if result.errors:
        err_console.print(f"{len(result.errors)} row(s) left out", highlight=False)
        raise typer.Exit(code=1)


@reference_app.command("list")
def list_command(db: DbOption = None) -> None:
    """The reference datasets of this database."""
    from marsad.database import Database

    table = Table()
    for column in ("name", "kind", "events", "from", "to", "file", "imported"):
        table.add_column(column, overflow="fold")
    for ref in Database(db).references():
        table.add_row(
            ref.name,
            ref.kind,
            str(ref.n_events),
            str(ref.first or ""),
            str(ref.last or ""),
            ref.source_path or "",
            ref.imported_at.strftime("%Y-%m-%d %H:%M"),
        )
    console.print(table)


def compare(
    with_name: Annotated[str, typer.Option("--with", help="The reference dataset's name (see `reference list`).")],
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    perpetrator: PerpetratorOption = None,
    victim: VictimOption = None,
    admin1: Admin1Option = None,
    country: CountryOption = None,
    event_type: EventTypeOption = None,
    text: TextOption = None,
    days: Annotated[int, typer.Option("--days", min=0, max=30, help="Days apart two events may be.")] = 1,
    km: Annotated[float, typer.Option("--km", min=0, help="Km apart, across a governorate border.")] = 25.0,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    detail: Annotated[bool, typer.Option("--detail", help="With --json: every match and unmatched id.")] = False,
) -> None:
    """Hold marsad's events against a reference dataset: what both hold (and the difference in deaths),
    what only marsad holds, what only the reference holds, by month and governorate."""
    from marsad.database import Database

    filters = build_filters(since, until, perpetrator, victim, admin1, country, None, event_type, text)
    options = {k: v for k, v in vars(filters).items() if v is not None}
    try:
        result = Database(db).compare(with_name, days=days, km=km, **options)
    except LookupError as exc:
        raise typer.BadParameter(str(exc.args[0]), param_hint="--with") from None
    if as_json:
        payload = result.to_dict()
        if not detail:
            for key in ("matches", "only_marsad_ids", "only_reference_ids"):
                payload.pop(key)
        typer.echo(json.dumps(payload, ensure_ascii=False, default=str))
        return
    print_comparison(result)


def print_comparison(result) -> None:
    console.print(
        f"[bold]marsad vs {result.name}[/bold], {result.since} to {result.until}, "
        f"countries {', '.join(result.countries) or '-'}\n"
        f"  matched: {result.matched} marsad events = {result.matched_reference} {result.name} events; "
        f"deaths {result.marsad_deaths_matched} vs {result.reference_deaths_matched} "
        f"({result.marsad_deaths_matched - result.reference_deaths_matched:+d})\n"
        f"  only marsad: {result.only_marsad} events, {result.only_marsad_deaths} deaths\n"
        f"  only {result.name}: {result.only_reference} events, {result.only_reference_deaths} deaths\n"
        f"  marsad events outside the comparison (no place, or another country): {result.marsad_out_of_scope}",
        highlight=False,
    )
    table = Table(title="By month and governorate")
    for column in (
        "month",
        "admin1",
        "matched",
        "deaths marsad",
        f"deaths {result.name}",
        "diff",
        "only marsad",
        f"only {result.name}",
    ):
        table.add_column(column, overflow="fold")
    for row in result.by_month_admin1:
        table.add_row(
            row["month"],
            row["admin1"] or "?",
            str(row["matched"]),
            str(row["marsad_deaths_matched"]),
            str(row["reference_deaths_matched"]),
            f"{row['deaths_difference']:+d}" if row["matched"] else "",
            f"{row['only_marsad']} ({row['only_marsad_deaths']})" if row["only_marsad"] else "",
            f"{row['only_reference']} ({row['only_reference_deaths']})" if row["only_reference"] else "",
        )
    console.print(table)
