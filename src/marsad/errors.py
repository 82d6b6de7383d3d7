"""Errors the command line reports in one line; here so that `marsad --help` need not load the store."""

from __future__ import annotations


class StoreError(Exception):
    """A database marsad cannot use (not a database, or from a newer marsad): one line for the user."""
