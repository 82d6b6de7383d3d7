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
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="MARSAD_TOKEN",
            help="Token that writes (POST /api/ingest) must send as 'Authorization: Bearer TOKEN'. "
            "Default: a new random one, printed at start.",
            show_default=False,
        ),
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option("--allow-host", help="Another host name clients reach this server by (repeatable)."),
    ] = None,
) -> None:
    """Serve the API (OpenAPI at /docs) and the dashboard (at /) over the store."""
    import secrets

    import uvicorn

    from marsad.api import create_app
    from marsad.api.security import beyond_loopback, security_for

    engine = store.connect(db)
    token = token or secrets.token_urlsafe(24)
    security = security_for(token, host, tuple(allow_host or ()))
    if beyond_loopback(host):
        names = ", ".join(sorted(security.hosts)) if security.hosts else "any host name"
        err_console.print(
            f"[yellow]warning[/yellow] listening on {host}, beyond this machine: anyone who can reach it can read "
            f"the store. Writes need the token. Host names accepted: {names}.",
            highlight=False,
        )
    shown = "localhost" if host in ("0.0.0.0", "::") else f"[{host}]" if ":" in host else host
    err_console.print(f"marsad dashboard on http://{shown}:{port}/  (API docs: /docs)", highlight=False)
    err_console.print(
        f"write token: {token}  (send 'Authorization: Bearer {token}'; dashboard with writes: "
        f"http://{shown}:{port}/#token={token})",
        highlight=False,
    )
    from marsad.api.worker import worker

    worker.start()  # the report worker loads its lexicons now, not during the first POST
    uvicorn.run(create_app(engine, security), host=host, port=port, log_level="warning")
