"""`marsad ingest`, `marsad extract` and `marsad demo`: reports in, records out."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from marsad.cli.common import (
    DbOption,
    FieldOption,
    ModelOption,
    Table,
    console,
    err_console,
    escape,
    field_map,
    for_terminal,
    lazy,
    progress_bar,
    use_model,
)

if TYPE_CHECKING:
    from marsad.model import Record
    from marsad.sources import SourceError

pipeline = lazy("marsad.pipeline")
store = lazy("marsad.store")
sources = lazy("marsad.sources")

T = TypeVar("T")

PathsArgument = Annotated[list[str], typer.Argument(help="Files, directories (recursive) or - for stdin.")]
WorkersOption = Annotated[
    int,
    typer.Option("--workers", "-w", min=1, help="Extract in N processes (results in input order, as with one)."),
]


def estimate_reports(paths: list[str]) -> int | None:
    """How many reports the paths hold, cheaply (a line per JSONL report); None if unknown (stdin)."""
    total = 0
    for path in sources.list_files(paths):
        if path == "-":
            return None
        suffix = Path(path).suffix.lower()
        if suffix in (".jsonl", ".ndjson", ".json", ".csv"):
            try:
                with open(path, "rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            except OSError:
                total += 1
            if suffix == ".csv":
                total -= 1  # header
        elif suffix in (".parquet", ".pq"):
            total += _parquet_rows(path)
        else:
            total += 1
    return total


def _parquet_rows(path: str) -> int:
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path).metadata.num_rows
    except (OSError, ValueError):  # unreadable: the reader reports it
        return 1


def report_errors(errors: list[SourceError]) -> None:
    for error in errors:
        err_console.print(f"[red]error[/red] {escape(str(error))}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command()(extract)
    app.command()(demo)


def ingest(
    paths: PathsArgument,
    db: DbOption = None,
    field: FieldOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    model: ModelOption = None,
    workers: WorkersOption = 1,
) -> None:
    """Read reports, extract their incident records and store both (each report once)."""
    use_model(model)
    engine = store.connect(db)
    if model is not None:
        pipeline.remember_model(engine, model)
    items = with_progress(sources.read_sources(paths, field_map(field)), estimate_reports(paths), "ingest", quiet)
    stats = pipeline.store_documents(engine, items, workers=workers)
    resolve_and_report(engine, stats, "read", db, quiet)


def resolve_and_report(engine, stats, verb: str, db: str | None, quiet: bool) -> None:
    """Group the new records into events, then say what was stored and what failed (exit 1 if any did)."""
    with err_console.status("grouping records into events", spinner="dots") if not quiet else nullcontext():
        pipeline.resolve_events(engine, stats)
    if not quiet:
        console.print(
            f"{stats.read} reports {verb}, {stats.stored} stored ({stats.records} records), "
            f"{stats.duplicates} already stored, {len(stats.errors)} failed "
            f"-> {store.database_url(db)}",
            highlight=False,
        )
    report_errors(stats.errors)
    if stats.errors:
        raise typer.Exit(code=1)


def with_progress(items: Iterable[T], total: int | None, label: str, quiet: bool = False) -> Iterator[T]:
    """Items passed through, with a progress bar on stderr (shown only on a terminal)."""
    if quiet:
        yield from items
        return
    with progress_bar(label) as progress:
        task = progress.add_task(label, total=total)
        for item in items:
            yield item
            progress.advance(task)


def extract(
    paths: PathsArgument,
    output_format: Annotated[str, typer.Option("--format", help="jsonl or table.")] = "jsonl",
    field: FieldOption = None,
    model: ModelOption = None,
    workers: WorkersOption = 1,
) -> None:
    """Run the pipeline without a database and print the records."""
    use_model(model)
    if output_format not in ("jsonl", "table"):
        raise typer.BadParameter("must be jsonl or table", param_hint="--format")
    from marsad.parallel import extract_batches

    errors: list[SourceError] = []
    rows: list[Record] = []
    items = with_progress(sources.read_sources(paths, field_map(field)), estimate_reports(paths), "extract")
    for docs, found in extract_batches(_readable(items, errors), workers):
        for doc, records in zip(docs, found, strict=True):
            if isinstance(records, pipeline.ExtractionError):
                errors.append(pipeline.error_of(doc, str(records)))
            elif output_format == "jsonl":
                for record in records:
                    typer.echo(json.dumps(record.to_dict(), ensure_ascii=False))
            else:
                rows.extend(records)
    if output_format == "table":
        console.print(records_table(rows))
    report_errors(errors)
    if errors:
        raise typer.Exit(code=1)


def _readable(items: Iterable, errors: list, size: int = 200) -> Iterator[list]:
    """Batches of the reports read; unreadable ones go to `errors`."""
    batch = []
    for item in items:
        if isinstance(item, sources.SourceError):
            errors.append(item)
            continue
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _count_text(count) -> str:
    if count is None:
        return ""
    low, best, high = count.low, count.best, count.high
    if best is not None and (low in (None, best)) and high is None:
        return str(best)
    return f"{'' if low is None else low}/{'' if best is None else best}/{'' if high is None else high}"


def _place_text(record: Record) -> str:
    if record.location:
        return ", ".join(p for p in (record.location.name or record.location.text, record.location.admin1) if p)
    return "; ".join(r.admin1 or r.text or "" for r in record.regions)


def _evidence_text(record: Record, width: int = 70) -> str:
    spans = sorted(record.evidence, key=lambda span: span.role != "count")  # the figure's own words first
    text = " ".join(spans[0].text.split()) if spans else ""
    return text if len(text) <= width else text[: width - 1] + "…"


def records_table(records: list[Record], record_ids: list[str] | None = None) -> Table:
    """Records as a readable table; counts as best, or low/best/high when they differ.

    The evidence column is shown on wide terminals only: it is the first thing to give up room.
    """
    table = Table(show_lines=False)
    for column in ("record" if record_ids else "doc", "kind", "date", "type", "who → whom", "killed", "wounded"):
        table.add_column(column, overflow="fold")
    table.add_column("place", overflow="fold", max_width=32)
    show_evidence = console.width >= 140
    if show_evidence:
        # Visual-order Arabic must not wrap: a wrapped line would read from the wrong end.
        table.add_column("evidence", no_wrap=True, overflow="ellipsis", max_width=60)
    for i, record in enumerate(records):
        row = [
            record_ids[i] if record_ids else record.doc_id,
            record.kind,
            record.date or (f"{record.period_start or ''}…{record.period_end or ''}" if record.kind == "tally" else ""),
            record.sub_event_type or record.event_type or "",
            f"{record.perpetrator} → {record.victim_group}",
            _count_text(record.killed),
            _count_text(record.wounded),
            for_terminal(_place_text(record)),
        ]
        if show_evidence:
            row.append(for_terminal(_evidence_text(record)))
        table.add_row(*row)
    return table


def example_paths() -> list[str]:
    folder = resources.files("marsad").joinpath("examples")
    return sorted(str(p) for p in Path(str(folder)).glob("*.txt"))


def demo(db: DbOption = None) -> None:
    """Ingest the bundled example report(s), then print the incidents and a tally."""
    from marsad.cli.events import tally_view

    engine = store.connect(db)
    started = time.perf_counter()
    stats = pipeline.ingest(engine, sources.read_sources(example_paths()))
    console.print(
        f"Ingested {stats.read} example report(s) in {time.perf_counter() - started:.2f}s: "
        f"{stats.stored} new, {stats.duplicates} already stored. Database: {store.database_url(db)}\n",
        highlight=False,
    )
    stored = store.query_records(engine)
    console.print(records_table([s.record for s in stored], [s.record_id for s in stored]))
    tally_view(engine, store.Filters(), as_json=False)
