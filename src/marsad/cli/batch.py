"""`marsad batch` (extraction on a dask cluster into Parquet) and `marsad load` (those partitions into the store)."""

from __future__ import annotations

import importlib.util
from contextlib import nullcontext
from typing import Annotated

import typer

from marsad.cli.common import (
    DbOption,
    FieldOption,
    ModelOption,
    console,
    err_console,
    escape,
    field_map,
    lazy,
    progress_bar,
    use_model,
)
from marsad.cli.ingest import PathsArgument, resolve_and_report

batch_api = lazy("marsad.batch")
store = lazy("marsad.store")

QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")]


def register(app: typer.Typer) -> None:
    app.command()(batch)
    app.command()(load)


def _progress(label: str, quiet: bool):
    return nullcontext() if quiet else progress_bar(label)


def batch(
    paths: PathsArgument,
    outdir: Annotated[str, typer.Option("--output", "-o", help="Folder of the Parquet partitions (resumed).")],
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="A dask scheduler, e.g. tcp://10.0.0.5:8786 (default: local).")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Worker processes of the local cluster.")] = 2,
    field: FieldOption = None,
    model: ModelOption = None,
    places_db: Annotated[
        str | None, typer.Option("--places-db", help="Also resolve places with the places imported into this database.")
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Extract a large corpus (JSONL, CSV or Parquet shards, one task per file) on a dask cluster into Parquet
    partitions of documents, records and failures; a re-run skips the shards already done."""
    if importlib.util.find_spec("distributed") is None:
        err_console.print("marsad: error: marsad batch needs dask.distributed: pip install 'marsad[cluster]'")
        raise typer.Exit(code=2)
    use_model(model)  # into MARSAD_MODEL, which run_batch hands to the workers as it is
    with _progress("batch", quiet) as bar:
        task = bar.add_task("batch", total=None) if bar else None

        def shown(result, done: int, total: int) -> None:
            if bar:
                bar.update(task, completed=done, total=total)
            if result.error:
                err_console.print(f"[red]error[/red] {escape(result.path)}: {escape(result.error)}", highlight=False)

        stats = batch_api.run_batch(
            paths, outdir, workers=workers, scheduler=scheduler, fields=field_map(field),
            places_db=places_db, progress=shown,
        )  # fmt: skip
    if not quiet:
        console.print(
            f"{stats.shards} shards ({stats.skipped} done before, {len(stats.failed_shards)} failed): "
            f"{stats.reports} reports, {stats.records} records, {stats.failures} reports failed, "
            f"in {stats.seconds:.1f} s -> {outdir}",
            highlight=False,
        )
    if stats.failures and not quiet:
        err_console.print(f"the reports that failed, with file and line: {outdir}/failures (stored by `marsad load`)")
    if stats.failures or stats.failed_shards:
        raise typer.Exit(code=1)


def load(
    outdir: Annotated[str, typer.Argument(metavar="OUTDIR", help="A folder written by `marsad batch`.")],
    db: DbOption = None,
    quiet: QuietOption = False,
) -> None:
    """Bulk-load the partitions `marsad batch` wrote into the store (reports already stored are skipped),
    then group the new records into events."""
    engine = store.connect(db)
    with _progress("load", quiet) as bar:
        task = bar.add_task("load", total=_reports_in(outdir)) if bar else None

        def shown(_name: str, reports: int) -> None:
            if bar:
                bar.advance(task, reports)

        try:
            stats = batch_api.load_batch(engine, outdir, resolve=False, progress=shown)
        except (FileNotFoundError, ValueError) as exc:
            raise typer.BadParameter(str(exc), param_hint="OUTDIR") from None
    resolve_and_report(engine, stats, "loaded", db, quiet)


def _reports_in(outdir: str) -> int | None:
    from pathlib import Path

    from marsad.batch.partitions import count_rows

    try:
        return count_rows(Path(outdir), "documents")
    except (OSError, ValueError):  # not a batch folder, or a damaged footer: load_batch says which
        return None
