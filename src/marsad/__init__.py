"""marsad: conflict news reports in, sourced casualty incident records out.

    import marsad
    db = marsad.open("marsad.db")
    db.records(admin1="Homs").to_pandas()
    marsad.extract_text("مقتل 4 جنود ...", published="2019-03-24")

The API lives in `marsad.database`; it is loaded on first use so that `import marsad` (and the
`marsad` command's start) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from marsad.database import Database, Rows, Tally, extract_text, open

__all__ = ["Database", "Rows", "Tally", "__version__", "extract_text", "open"]


def __getattr__(name: str) -> Any:
    if name in ("Database", "Rows", "Tally", "extract_text", "open"):
        from marsad import database

        return getattr(database, name)
    raise AttributeError(f"module 'marsad' has no attribute {name!r}")
