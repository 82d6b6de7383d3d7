"""The `marsad` command. Each module registers its own commands; this file only assembles them."""

from __future__ import annotations

import sys
from typing import Any

import typer

from marsad.cli import batch, evaluate, events, failures, geo, ingest, query, reference, review, serve
from marsad.errors import StoreError


class _Marsad(typer.Typer):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except StoreError as exc:
            # A database marsad cannot use is the user's to fix: one line, not a traceback.
            print(f"marsad: error: {exc}", file=sys.stderr)
            raise SystemExit(2) from None


app = _Marsad(
    name="marsad",
    help="Conflict news reports in; sourced, deduplicated casualty incident records out.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

for module in (ingest, batch, failures, query, serve, geo, evaluate, events, review, reference):
    module.register(app)
