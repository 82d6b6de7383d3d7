"""The Python API: marsad as a library, the way sqlite-utils is one. The `marsad` command and the HTTP
API are thin layers over it.

    import marsad
    db = marsad.open("marsad.db")             # SQLite path or a database URL
    db.ingest(["reports.jsonl"])
    df = db.records(admin1="Homs", since="2018-01-01").to_pandas()
    db.export("homs.xlsx", admin1="Homs")     # format from the suffix
    db.import_reference("ucdp", "ged.csv")
    db.compare("ucdp", since="2018-01-01", until="2018-12-31").to_pandas()

Filters are keyword arguments named as the CLI's options: `since`/`until` (date or "YYYY-MM-DD"),
`perpetrator`, `victim`, `admin1`, `admin2`, `country`, `kind`, `event_type`, `text`; a list (or a
comma-separated string) means any of its values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marsad.export.layouts import SOURCE_COLUMNS
from marsad.store.records import Filters, StoredRecord

if TYPE_CHECKING:  # heavy modules load when used, so `import marsad` stays cheap
    import pandas
    import pyarrow
    from sqlalchemy import Engine

    from marsad.export import ExportResult
    from marsad.model import Record
    from marsad.pipeline import IngestStats
    from marsad.reference import ImportResult
    from marsad.reference.compare import Comparison
    from marsad.resolve.tally import Reconciliation
    from marsad.store.reference import ReferenceSet

FilterValue = str | Iterable[str] | None
DayValue = date | str | None
FILTER_NAMES = ("since", "until", "perpetrator", "victim", "admin1", "admin2", "country", "kind", "event_type", "text")


def _day(value: DayValue, name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not a date in YYYY-MM-DD form") from None


def _alternatives(value: FilterValue) -> str | None:
    if value is None or isinstance(value, str):
        return value or None
    return ",".join(value) or None


def make_filters(**given: Any) -> Filters:
    """Filters from keyword arguments; a misspelt name or a bad value is a clear error."""
    unknown = set(given) - set(FILTER_NAMES)
    if unknown:
        raise TypeError(f"unknown filter(s) {', '.join(sorted(unknown))}; filters are {', '.join(FILTER_NAMES)}")
    kind = given.get("kind")
    if kind not in (None, "incident", "tally"):
        raise ValueError(f"kind={kind!r}: expected 'incident' or 'tally'")
    since, until = _day(given.get("since"), "since"), _day(given.get("until"), "until")
    if since and until and since > until:
        raise ValueError("since must not be after until")
    names = ("perpetrator", "victim", "admin1", "admin2", "country", "event_type")
    return Filters(
        since=since,
        until=until,
        kind=kind,
        text=given.get("text"),
        **{name: _alternatives(given.get(name)) for name in names},
    )


def record_item(stored: StoredRecord) -> dict[str, Any]:
    """A stored record as exported: SCHEMA.md fields, its id, and where it comes from (every
    SOURCE_COLUMNS name, read from the StoredRecord: a new source column needs no change here)."""
    data = {"record_id": stored.record_id, **stored.record.to_dict()}
    known = {
        "doc_id": stored.record.doc_id,
        "published": stored.published.isoformat() if stored.published else None,
        "reviewed": stored.review is not None,
    }
    data["source"] = {name: known.get(name, getattr(stored, name, None)) for name in SOURCE_COLUMNS}
    return data


def event_item(
    event: dict[str, Any], former: dict[str, list[str]] | None = None, reviewed: set[str] = frozenset()
) -> dict[str, Any]:
    """An event as exported: merged fields, the ids of events merged into it (`former_ids`, so a
    downstream row keyed by an old id finds where it went), and its sources' columns joined (earliest
    publication; `reviewed` when a person reviewed any of its records)."""
    sources = event.get("sources") or []
    joined = {
        name: " | ".join(dict.fromkeys(str(s.get(name)) for s in sources if s.get(name))) or None
        for name in SOURCE_COLUMNS
        if name not in ("published", "reviewed")
    }
    published = sorted(s["published"] for s in sources if s.get("published"))
    source = {
        **joined,
        "published": published[0] if published else None,
        "reviewed": any(s.get("record_id") in reviewed for s in sources),
    }
    return {**event, "former_ids": (former or {}).get(event["event_id"], []), "source": source}


class Rows:
    """The result of a query: iterate it for SCHEMA.md dicts (each with its id and `source`), or take
    it as a table in any column layout ("marsad", "acled", "ucdp")."""

    def __init__(self, fetch: Callable[[], Iterable[dict[str, Any]]], what: str) -> None:
        self._fetch = fetch
        self._items: list[dict[str, Any]] | None = None
        self.what = what

    def _all(self) -> list[dict[str, Any]]:
        if self._items is None:
            self._items = list(self._fetch())
        return self._items

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __repr__(self) -> str:
        return f"<{len(self)} {self.what}>"

    def flat(self, columns: str = "marsad") -> tuple[list[str], list[dict[str, Any]]]:
        """(column names, one flat dict per row) in a layout; rows it cannot hold are left out."""
        from collections import Counter

        from marsad.export import columns as layout_columns
        from marsad.export import flat_rows

        return layout_columns(columns, self.what), list(flat_rows(self._all(), columns, Counter()))

    def to_arrow(self, columns: str = "marsad") -> pyarrow.Table:
        from marsad.export.writers import arrow_table

        names, rows = self.flat(columns)
        return arrow_table(names, rows)

    def to_pandas(self, columns: str = "marsad") -> pandas.DataFrame:
        """A DataFrame: one row per record (or event), days as dates, counts as nullable integers."""
        return self.to_arrow(columns).to_pandas(types_mapper=_pandas_types)

    def export(
        self,
        path: str | Path,
        output_format: str | None = None,
        *,
        columns: str = "marsad",
        hxl: bool = False,
        bom: bool = False,
    ) -> ExportResult:
        """Write these rows to `path` (format from its suffix unless given); see `Database.export`."""
        from marsad.export import write_export

        return write_export(self._all(), path, output_format, columns, hxl=hxl, bom=bom, what=self.what)


def _pandas_types(arrow_type):
    """Nullable pandas dtypes, so a count column with gaps stays integers (not floats)."""
    import pandas as pd
    import pyarrow as pa

    if pa.types.is_integer(arrow_type):
        return pd.Int64Dtype()
    return None


class Tally:
    """`Database.tally`: the sum over events (each real event once) beside every reported tally."""

    def __init__(self, reconciliation: Reconciliation) -> None:
        self.reconciliation = reconciliation
        self.events = reconciliation.events
        self.killed = {
            "low": reconciliation.killed_low,
            "best": reconciliation.killed_best,
            "high": reconciliation.killed_high,
        }

    def __repr__(self) -> str:
        return f"<tally over {self.events} events: killed {self.killed}; {len(self.reconciliation.tallies)} reported>"

    def to_dict(self) -> dict[str, Any]:
        return self.reconciliation.to_dict()

    def to_pandas(self) -> pandas.DataFrame:
        """One row per reported tally, with our sum over events for its period and the difference.
        The sum for the filters themselves is in `.attrs["sum"]`."""
        import pandas as pd

        frame = pd.DataFrame([asdict(line) for line in self.reconciliation.tallies])
        frame.attrs["sum"] = {"events": self.events, **self.killed}
        return frame

    def to_arrow(self) -> pyarrow.Table:
        import pyarrow as pa

        return pa.Table.from_pylist([asdict(line) for line in self.reconciliation.tallies])


class Database:
    """One marsad store (SQLite file or PostgreSQL), created or upgraded when opened."""

    def __init__(self, url: str | Path | None = None) -> None:
        from marsad import store

        self.url = store.database_url(str(url) if url is not None else None)
        self.engine: Engine = store.connect(self.url)

    def __repr__(self) -> str:
        return f"<marsad.Database {self.url}>"

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # reports in
    def ingest(self, paths: str | Path | Iterable[str | Path], fields: dict[str, str] | None = None) -> IngestStats:
        """Read reports (files, directories, JSONL/CSV with one report a row), extract and store them,
        then group the new records into events. `fields` maps roles to column names ({"text": "body"}).
        Unreadable reports are in the result's `errors` with their file and line; the rest are stored."""
        from marsad import pipeline
        from marsad.sources import FieldMap, read_sources

        if isinstance(paths, str | Path):
            paths = [paths]
        return pipeline.ingest(self.engine, read_sources([str(p) for p in paths], FieldMap(**(fields or {}))))

    def load(self, outdir: str | Path) -> IngestStats:
        """Store the Parquet partitions `marsad.batch.run_batch` (`marsad batch`) wrote, then group the new
        records into events: the store an ingest of the same files makes."""
        from marsad.batch import load_batch

        return load_batch(self.engine, outdir)

    def extract_text(self, text: str, lang: str | None = None, published: DayValue = None) -> list[Record]:
        """Records of one text, places resolved with this database's gazetteer; nothing is stored."""
        from marsad.geo import resolver_for

        return extract_text(text, lang=lang, published=published, places=resolver_for(self.engine))

    # questions
    def records(self, *, limit: int | None = None, **filters: Any) -> Rows:
        """Stored records (incidents and tallies), oldest first."""
        from marsad import store

        where = make_filters(**filters)
        return Rows(lambda: map(record_item, store.iter_records(self.engine, where, limit=limit)), "records")

    def events(self, *, min_sources: int = 1, limit: int | None = None, **filters: Any) -> Rows:
        """Events (the records of several reports that tell one happening), oldest first."""
        from marsad.store.event_history import former_ids
        from marsad.store.events import query_events
        from marsad.store.review import reviewed_record_ids

        where = make_filters(**filters)

        def fetch() -> Iterator[dict[str, Any]]:
            former, reviewed = former_ids(self.engine), reviewed_record_ids(self.engine)
            events = query_events(self.engine, where)
            found = (event_item(e, former, reviewed) for e in events if e["n_sources"] >= min_sources)
            for n, event in enumerate(found):
                if limit is not None and n >= limit:
                    return
                yield event

        return Rows(fetch, "events")

    def tally(self, **filters: Any) -> Tally:
        """Killed summed over events (each real event once), beside the tallies reports give."""
        from marsad.resolve.tally import reconcile

        return Tally(reconcile(self.engine, make_filters(**filters)))

    def export(
        self,
        path: str | Path | None,
        output_format: str | None = None,
        *,
        what: str = "records",
        columns: str = "marsad",
        hxl: bool = False,
        bom: bool = False,
        **filters: Any,
    ) -> ExportResult:
        """Write records or events to `path` (stdout if None) as csv, jsonl, geojson, parquet or xlsx,
        in marsad's columns or ACLED's or UCDP's. The result counts the rows left out and why."""
        from marsad.export import write_export

        if what not in ("records", "events"):
            raise ValueError(f"what={what!r}: expected 'records' or 'events'")
        rows = self.events(**filters) if what == "events" else self.records(**filters)
        items = iter(rows._fetch())  # streamed: an export of 100,000 rows is not held in memory
        return write_export(items, path, output_format, columns, hxl=hxl, bom=bom, what=what)

    # other datasets
    def import_reference(self, kind: str, path: str | Path, name: str | None = None) -> ImportResult:
        """Store a UCDP GED or ACLED CSV as a reference dataset (`name`, default its kind), beside
        marsad's own events and never among them. Bad rows are in `errors` with file and line."""
        from marsad.reference import import_reference

        return import_reference(self.engine, kind, path, name)

    def references(self) -> list[ReferenceSet]:
        from marsad.store.reference import list_references

        return list_references(self.engine)

    def compare(self, reference: str, *, days: int = 1, km: float = 25.0, **filters: Any) -> Comparison:
        """marsad's events held against a reference dataset: matched (with the difference in deaths),
        only in marsad, only in the reference, by month and governorate."""
        from marsad.reference.compare import compare

        return compare(self.engine, reference, make_filters(**filters), days=days, km=km)


def open(url: str | Path | None = None) -> Database:  # noqa: A001  (marsad.open, as sqlite3.connect)
    """Open (or create) a marsad store: a SQLite path, a database URL, else $MARSAD_DB or ./marsad.db."""
    return Database(url)


def extract_text(
    text: str, lang: str | None = None, published: DayValue = None, title: str | None = None, places: Any = None
) -> list[Record]:
    """The records of one report's text, without a database.

    The text is read as `marsad ingest` reads a plain-text report (a title line, then the body), and
    `lang` (e.g. "ar", "en") is passed to the pipeline; without it the pipeline decides. `published`
    resolves relative dates ("yesterday")."""
    from marsad.extract import extract
    from marsad.sources import text_document

    body = f"{title}\n\n{text}" if title else text
    doc = text_document(body, doc_id="text")
    doc.doc_id = doc.content_hash[:16]
    if lang:
        doc.lang = lang
    doc.published = _day(published, "published")
    return extract(doc, places=places)
