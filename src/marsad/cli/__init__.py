"""The `marsad` command. Each module registers its own commands; this file only lists them.

A command's module is imported when the command is used, so `marsad --help` and every command start up
without building the other thirty (issue 15: `marsad --help` under 0.3 CPU-s). The listing reads each
command's one-line summary from `COMMANDS`; a test holds it to the command's own help.
"""

from __future__ import annotations

import sys
from functools import cache
from importlib import import_module
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from marsad.errors import StoreError

# name -> (module under marsad.cli, the first sentence of its help), in the order `--help` lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    "ingest": ("ingest", "Read reports, extract their incident records and store both (each report once)."),
    "extract": ("ingest", "Run the pipeline without a database and print the records."),
    "demo": ("ingest", "Ingest the bundled example report(s), then print the incidents and a tally."),
    "batch": ("batch", "Extract a large corpus (JSONL, CSV or Parquet shards, one task per file) on a dask cluster"),
    "load": ("batch", "Bulk-load the partitions `marsad batch` wrote into the store"),
    "failures": ("failures", "List the reports that could not be read, extracted or stored"),
    "incidents": ("query", "List stored records (incidents and tallies), oldest first."),
    "tally": ("query", "Sum killed over events (each real event once), beside every reported tally"),
    "export": ("query", "Write the stored records or events, each row with its source"),
    "serve": ("serve", "Serve the API (OpenAPI at /docs) and the dashboard (at /) over the store."),
    "geocode": ("geo", "Resolve place names: one JSON location per input, in input order (lat/lon null when unknown)."),
    "eval": ("evaluate", "Precision/recall/F1 of casualty incidents, field accuracy, tallies"),
    "train": ("evaluate", "Train the decision model on annotated reports (SCHEMA.md gold, as `marsad eval` reads it)."),
    "compare": ("reference", "Hold marsad's events against a reference dataset"),
    "gazetteer": ("geo", "The places marsad knows: import gazetteer files into the database."),
    "events": ("events", "Events: the records of several reports that describe one happening."),
    "review": ("review", "Analyst review: corrections that win everywhere, with an audit log."),
    "reference": ("reference", "Other datasets' events (UCDP GED, ACLED), stored beside marsad's, never mixed."),
}

_SETTINGS: dict[str, Any] = {"pretty_exceptions_enable": False, "rich_markup_mode": None}


@cache
def commands_of(module: str) -> dict[str, Any]:
    """The click commands that module `marsad.cli.<module>` registers, built once."""
    app = typer.Typer(**_SETTINGS)
    import_module(f"marsad.cli.{module}").register(app)
    return dict(typer.main.get_group(app).commands)


class _Commands(TyperGroup):
    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        return commands_of(COMMANDS[cmd_name][0]).get(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        limit = formatter.width - 6 - max(map(len, COMMANDS))
        rows = [
            (name, TyperCommand(name=name, help=summary).get_short_help_str(limit))
            for name, (_, summary) in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


class _Marsad(typer.Typer):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except StoreError as exc:
            # A database marsad cannot use is the user's to fix: one line, not a traceback.
            print(f"marsad: error: {exc}", file=sys.stderr)
            raise SystemExit(2) from None


app = _Marsad(name="marsad", cls=_Commands, no_args_is_help=True, **_SETTINGS)


@app.callback()
def marsad() -> None:
    """Conflict news reports in; sourced, deduplicated casualty incident records out."""
