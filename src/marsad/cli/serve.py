"""`marsad serve`: the HTTP API and the dashboard, from one local process."""

from __future__ import annotations

from typing import Annotated

import typer

from marsad.cli.common import DbOption, err_console, lazy

store = lazy("marsad.store")


def register(app: typer.Typer) -> None:
    app.command()(serve)


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Serve the API (OpenAPI at /docs) and the dashboard (at /) over the store."""
    import uvicorn

    from marsad.api import create_app

    engine = store.connect(db)
    err_console.print(f"marsad dashboard on http://{host}:{port}/  (API docs: /docs)", highlight=False)
    uvicorn.run(create_app(engine), host=host, port=port, log_level="warning")
