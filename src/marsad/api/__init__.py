"""HTTP API and dashboard: `create_app(engine)` serves the store as JSON under /api and the dashboard at /."""

from marsad.api.app import create_app

__all__ = ["create_app"]
