"""The `marsad` command. Each module registers its own commands; this file only assembles them."""

from __future__ import annotations

import typer

from marsad.cli import evaluate, events, geo, ingest, query, reference, serve

app = typer.Typer(
    name="marsad",
    help="Conflict news reports in; sourced, deduplicated casualty incident records out.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

for module in (ingest, query, serve, geo, evaluate, events, reference):
    module.register(app)
