"""The FastAPI application: JSON API under /api, the dashboard at / with its assets under /static."""

from __future__ import annotations

import os
from importlib import resources

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from marsad import __version__, store
from marsad.api import routes_compare, routes_data, routes_events, routes_ingest, routes_review, routes_views
from marsad.api.security import LIBRARY_HOSTS, TOKEN_ENV, Security, install
from marsad.store.records import count_listing

STATIC = resources.files("marsad.api") / "static"


def create_app(engine: Engine, security: Security | None = None) -> FastAPI:
    """The app over `engine`. `security` (see marsad.api.security) defaults to: loopback host names,
    and the MARSAD_TOKEN environment variable as write token if it is set."""
    app = FastAPI(
        title="marsad",
        version=__version__,
        description="Casualty records extracted from conflict news, every number traced to its evidence.",
        # The default docs pages load their scripts from a CDN: /docs is served from vendored files below.
        docs_url=None,
        redoc_url=None,
    )
    app.state.engine = engine
    install(app, security or Security(os.environ.get(TOKEN_ENV) or None, LIBRARY_HOSTS))
    routes_ingest.prepare(app, engine)
    # Before the data routes: /api/events/merge is not an event id.
    app.include_router(routes_review.router)
    app.include_router(routes_data.router)
    app.include_router(routes_events.router)
    app.include_router(routes_views.router)
    app.include_router(routes_ingest.router)
    app.include_router(routes_compare.router)

    @app.get("/api/health", tags=["meta"], summary="Liveness and store size")
    def health() -> dict:
        return {
            "status": "ok",
            "documents": store.count_documents(engine),
            "records": count_listing(engine, store.Filters())[0],
        }

    @app.get("/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title="marsad API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="data:,",
        )

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(str(STATIC / "index.html"), headers={"Cache-Control": "no-cache"})

    @app.get("/index.html", include_in_schema=False)
    def index() -> RedirectResponse:
        return RedirectResponse("/")

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app
