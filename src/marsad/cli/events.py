"""`marsad events`: events across reports, analyst merge/split, re-resolution; the reconciled tally view."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

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
    for_terminal,
    lazy,
)
from marsad.cli.review import ReasonOption, UserOption, run_action

if TYPE_CHECKING:
    from marsad.resolve.tally import Reconciliation

store = lazy("marsad.store")
resolve = lazy("marsad.resolve")
tallies = lazy("marsad.resolve.tally")
review = lazy("marsad.review")

events_app = typer.Typer(help="Events: the records of several reports that describe one happening.")


def register(app: typer.Typer) -> None:
    app.add_typer(events_app, name="events")


def _count(value: dict | None) -> str:
    if not value:
        return ""
    low, best, high = value.get("low"), value.get("best"), value.get("high")
    if low == best == high or (high is None and low in (None, best)):
        return "" if best is None else str(best)
    return f"{'' if best is None else best} ({'?' if low is None else low}–{'?' if high is None else high})"


def _place(location: dict | None) -> str:
    if not location:
        return ""
    name = location.get("name") or location.get("text") or ""
    admin1 = location.get("admin1")
    return for_terminal(f"{name}, {admin1}" if admin1 and admin1 != name else name)


def events_table(found: list[dict]) -> Table:
    table = Table(show_lines=True)
    for column in ("event", "date", "type", "perpetrator", "victims", "place", "killed", "sources"):
        table.add_column(column, overflow="fold")
    for event in found:
        sources = "\n".join(
            f"{s['doc_id']} {s.get('date') or ''} {_count(s.get('killed')) or '–'} {_place(s.get('location'))}"
            for s in event["sources"]
        )
        table.add_row(
            event["event_id"],
            event.get("date") or "",
            event.get("sub_event_type") or event.get("event_type") or "",
            event.get("perpetrator") or "",
            event.get("victim_group") or "",
            _place(event.get("location")),
            _count(event.get("killed")),
            f"{event['n_sources']} report(s)\n{sources}",
        )
    return table


@events_app.callback(invoke_without_command=True)
def list_events(
    ctx: typer.Context,
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    perpetrator: PerpetratorOption = None,
    victim: VictimOption = None,
    admin1: Admin1Option = None,
    country: CountryOption = None,
    event_type: EventTypeOption = None,
    text: TextOption = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most this many events.")] = None,
    min_sources: Annotated[int, typer.Option("--min-sources", min=1, help="Only events this many reports give.")] = 1,
    output_format: Annotated[str, typer.Option("--format", help="table or jsonl.")] = "table",
) -> None:
    """List events with their sources, oldest first (jsonl: one event per line, every source record)."""
    if ctx.invoked_subcommand is not None:
        return
    if output_format not in ("table", "jsonl"):
        raise typer.BadParameter("must be table or jsonl", param_hint="--format")
    filters = build_filters(since, until, perpetrator, victim, admin1, country, None, event_type, text)
    engine = store.connect(db)
    found = [e for e in store.events.query_events(engine, filters) if e["n_sources"] >= min_sources]
    found = found[:limit] if limit else found
    if output_format == "jsonl":
        for event in found:
            sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
        return
    console.print(events_table(found))
    console.print(f"{len(found)} event(s)", highlight=False)


@events_app.command("resolve")
def resolve_command(
    db: DbOption = None,
    full: Annotated[bool, typer.Option("--full", help="Rebuild every event (ids and overrides are kept).")] = False,
) -> None:
    """Group stored records that are in no event yet into events (or rebuild all with --full)."""
    engine = store.connect(db)
    stats = resolve.update_events(engine, full=full)
    n_records = store.count_records(engine, store.Filters(kind="incident"))
    console.print(
        f"{stats['records']} record(s) resolved; {stats['changed']} event(s) created or changed; "
        f"{store.events.count_events(engine)} event(s) from {n_records} incident record(s)",
        highlight=False,
    )


@events_app.command("merge")
def merge_command(
    ids: Annotated[list[str], typer.Argument(help="Two or more event ids (or record ids) that are one event.")],
    reason: ReasonOption = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Make these events one event. The decision is stored, survives re-resolution and is logged."""
    if len(ids) < 2:
        raise typer.BadParameter("give at least two ids")
    event_id = run_action(review.merge, store.connect(db), ids, reason, user)
    console.print(f"merged into {event_id}", highlight=False)


@events_app.command("split")
def split_command(
    target: Annotated[
        str, typer.Argument(help="An event id (all its records apart) or a record id (out of its event).")
    ],
    reason: ReasonOption = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Split an event into its records, or take one record out of its event. Survives re-resolution; logged."""
    event_ids = run_action(review.split, store.connect(db), target, reason, user)
    console.print("now: " + ", ".join(event_ids), highlight=False)


def print_reconciliation(result: Reconciliation) -> None:
    """The `marsad tally` view: events summed, reported tallies beside, with flags."""
    console.print(
        f"[bold]Sum over {result.events} event(s)[/bold] (each real event once, however many reports):\n"
        f"  killed  low {result.killed_low}  best {result.killed_best}  high {result.killed_high}",
        highlight=False,
    )
    if not result.tallies:
        console.print("No reported tally covers this window.")
    else:
        table = Table(title="Reported tallies (never added to the sum)")
        for column in ("record", "source", "period", "population", "reported", "coverage", "our events", "diff"):
            table.add_column(column, overflow="fold")
        for line in result.tallies:
            table.add_row(
                line.record_id,
                for_terminal(line.source or ""),
                f"{line.period_start or '…'} to {line.period_end or '…'}",
                f"{line.perpetrator} → {line.victim_group}; " + for_terminal(", ".join(line.regions)),
                _count(line.reported)
                + "".join(f"\n incl. {_count(killed)} {group}" for group, killed in line.among.items()),
                line.coverage,
                str(line.events_in_period),
                "" if line.difference is None else f"{line.difference:+d}",
            )
        console.print(table)
    for flag in result.headline_flags:
        console.print(
            f"[yellow]headline vs body[/yellow] {flag.record_id}: headline says {flag.headline}, body says {flag.body}",
            highlight=False,
        )
    for series in result.series:
        figures = " → ".join(f"{p.killed}{' [DECREASE]' if p.decrease else ''} ({p.as_of})" for p in series.points)
        mark = f" [red]{series.decreases} decrease(s)[/red]" if series.decreases else ""
        console.print(
            f"[bold]series[/bold] {for_terminal(series.source)}: {series.perpetrator} → {series.victim_group} "
            f"since {series.period_start}: {figures}{mark}",
            highlight=False,
        )


def tally_view(engine, filters: store.Filters, as_json: bool) -> None:
    result = tallies.reconcile(engine, filters)
    if not as_json:
        print_reconciliation(result)
        return
    payload = result.to_dict()
    # Also the sum on its own and the tally records whole (SCHEMA.md), for scripts that want them.
    payload["sum"] = {k: payload[k] for k in ("events", "killed_low", "killed_best", "killed_high")}
    payload["reported_tallies"] = [
        {"record_id": t.record_id, **t.record.to_dict()} for t in tallies.load_tallies(engine, filters)
    ]
    typer.echo(json.dumps(payload, ensure_ascii=False, default=str))
