"""Who may change the store through the API.

A stub in the review branch: `require_write` lets every request through. The real check (the write
token of the reliability work, issue "robust-input") replaces this file at merge time; the review
routes already depend on it.
"""

from __future__ import annotations


def require_write() -> None:
    """FastAPI dependency of every write route. The real check comes from the security work."""
