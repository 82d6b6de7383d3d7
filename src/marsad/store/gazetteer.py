"""Imported gazetteers, kept with the database they serve (so two databases never share places).

An import is a named batch (by default the file name): re-importing the same name replaces it.
Places are points with all their names; boundaries are admin polygons (GeoJSON text) used for
point-in-polygon admin1/admin2.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
)

from marsad.store.schema import metadata

gazetteer_imports = Table(
    "gazetteer_imports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(300), nullable=False, unique=True),
    Column("path", Text),
    Column("format", String(32), nullable=False),
    Column("imported_at", DateTime, nullable=False),
    Column("places", Integer, nullable=False),
    Column("boundaries", Integer, nullable=False),
)

gazetteer_places = Table(
    "gazetteer_places",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("import_id", Integer, ForeignKey("gazetteer_imports.id", ondelete="CASCADE"), nullable=False),
    Column("name", Text, nullable=False),
    Column("names", JSON, nullable=False),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(2)),
    Column("admin1", String(100)),
    Column("admin2", String(100)),
    Column("kind", String(32), nullable=False),
    Column("population", Integer, nullable=False, default=0),
    Column("priority", Integer, nullable=False, default=0),
    # Source-specific fields (a GeoNames id, a p-code) that later imports may refer to.
    Column("extra", JSON),
)

gazetteer_boundaries = Table(
    "gazetteer_boundaries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("import_id", Integer, ForeignKey("gazetteer_imports.id", ondelete="CASCADE"), nullable=False),
    Column("level", Integer, nullable=False),
    Column("pcode", String(40)),
    Column("country", String(2)),
    Column("admin1", String(100)),
    Column("admin2", String(100)),
    Column("geometry", Text, nullable=False),  # GeoJSON geometry
)

Index("ix_gazetteer_places_import", gazetteer_places.c.import_id)
Index("ix_gazetteer_boundaries_level", gazetteer_boundaries.c.level)

_PLACE_FIELDS = (
    "name",
    "names",
    "lat",
    "lon",
    "country",
    "admin1",
    "admin2",
    "kind",
    "population",
    "priority",
    "extra",
)
_BOUNDARY_FIELDS = ("level", "pcode", "country", "admin1", "admin2", "geometry")


def save_import(
    engine: Engine,
    name: str,
    fmt: str,
    places: Iterable[dict[str, Any]],
    boundaries: Iterable[dict[str, Any]] = (),
    path: str | None = None,
) -> int:
    """Store one import (replacing an earlier import of the same name); returns its id."""
    place_rows = [{k: p.get(k) for k in _PLACE_FIELDS} for p in places]
    boundary_rows = [{k: b.get(k) for k in _BOUNDARY_FIELDS} for b in boundaries]
    with engine.begin() as conn:
        old = conn.execute(select(gazetteer_imports.c.id).where(gazetteer_imports.c.name == name)).scalar()
        if old is not None:
            # Explicit deletes: SQLite only cascades with foreign keys on, PostgreSQL always.
            conn.execute(delete(gazetteer_places).where(gazetteer_places.c.import_id == old))
            conn.execute(delete(gazetteer_boundaries).where(gazetteer_boundaries.c.import_id == old))
            conn.execute(delete(gazetteer_imports).where(gazetteer_imports.c.id == old))
        import_id = conn.execute(
            insert(gazetteer_imports).values(
                name=name,
                path=path,
                format=fmt,
                imported_at=datetime.now(UTC),
                places=len(place_rows),
                boundaries=len(boundary_rows),
            )
        ).inserted_primary_key[0]
        for row in place_rows:
            row["import_id"] = import_id
            row["population"] = row["population"] or 0
            row["priority"] = row["priority"] or 0
        for row in boundary_rows:
            row["import_id"] = import_id
        if place_rows:
            conn.execute(insert(gazetteer_places), place_rows)
        if boundary_rows:
            conn.execute(insert(gazetteer_boundaries), boundary_rows)
    return import_id


def load_places(engine: Engine, formats: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Every imported place (optionally only from imports of these formats), in import order."""
    cols = [gazetteer_places.c[k] for k in _PLACE_FIELDS] + [gazetteer_imports.c.name.label("source")]
    query = select(*cols).join(gazetteer_imports).order_by(gazetteer_places.c.id)
    if formats is not None:
        query = query.where(gazetteer_imports.c.format.in_(list(formats)))
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def load_boundaries(engine: Engine) -> list[dict[str, Any]]:
    cols = [gazetteer_boundaries.c[k] for k in _BOUNDARY_FIELDS]
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(select(*cols).order_by(gazetteer_boundaries.c.id))]


def list_imports(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(gazetteer_imports).order_by(gazetteer_imports.c.id))
        return [dict(row._mapping) for row in rows]


def gazetteer_state(engine: Engine) -> tuple[int, int]:
    """Changes whenever an import is added or replaced: (number of imports, highest import id)."""
    with engine.connect() as conn:
        row = conn.execute(select(func.count(), func.coalesce(func.max(gazetteer_imports.c.id), 0))).one()
    return int(row[0]), int(row[1])
