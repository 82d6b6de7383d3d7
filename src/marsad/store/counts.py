"""The store's size kept on write: documents, and records that are not rejected, in one read at any size.

count(*) reads a whole index: about 60 ms warm over a million rows and seconds cold, on every health
check and unfiltered listing. Triggers keep the two numbers in `row_counts` inside the writing
transaction, so they are exact whatever writes (ingest, bulk load, review, a deleted report and its
cascaded records): on SQLite a trigger per row (a two-row table, microseconds), on PostgreSQL one per
statement over its transition tables (a COPY of 100,000 rows updates the count once).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Connection, String, Table, event, select, text

from marsad.store.schema import metadata

row_counts = Table(
    "row_counts",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("n", BigInteger, nullable=False),
)

# What each row counts (the condition on the counted table's row, as SQL on `row`).
COUNTED = {"documents": "TRUE", "records": "row.kind <> 'rejected'"}

_SQLITE = [
    f"CREATE TRIGGER IF NOT EXISTS row_counts_{table}_{suffix} AFTER {op} ON {table} "
    f"WHEN {condition.replace('row.', alias + '.')} "
    f"BEGIN UPDATE row_counts SET n = n {sign} 1 WHERE name = '{table}'; END"
    for table, condition in COUNTED.items()
    for suffix, op, alias, sign in (("ai", "INSERT", "new", "+"), ("ad", "DELETE", "old", "-"))
] + [
    # Rejecting a record (or undoing that) changes its kind: it leaves or joins the count.
    "CREATE TRIGGER IF NOT EXISTS row_counts_records_au AFTER UPDATE OF kind ON records "
    "WHEN (old.kind = 'rejected') <> (new.kind = 'rejected') "
    "BEGIN UPDATE row_counts SET n = n + CASE WHEN new.kind = 'rejected' THEN -1 ELSE 1 END "
    "WHERE name = 'records'; END"
]


def _postgresql(table: str, condition: str) -> list[str]:
    where = condition.replace("row.", "")
    function = f"""
CREATE OR REPLACE FUNCTION row_counts_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE added bigint := 0; removed bigint := 0;
BEGIN
    IF TG_OP <> 'DELETE' THEN SELECT count(*) INTO added FROM new_rows WHERE {where}; END IF;
    IF TG_OP <> 'INSERT' THEN SELECT count(*) INTO removed FROM old_rows WHERE {where}; END IF;
    IF added <> removed THEN UPDATE row_counts SET n = n + added - removed WHERE name = '{table}'; END IF;
    RETURN NULL;
END $$"""
    triggers = [
        ("ins", "INSERT", "REFERENCING NEW TABLE AS new_rows"),
        ("del", "DELETE", "REFERENCING OLD TABLE AS old_rows"),
        ("upd", "UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ]
    return [function] + [
        f"CREATE OR REPLACE TRIGGER row_counts_{table}_{suffix} AFTER {op} ON {table} {tables} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION row_counts_{table}()"
        for suffix, op, tables in triggers
    ]


@event.listens_for(metadata, "after_create")
def _install(_target, connection: Connection, **_kw) -> None:
    """Fill the counts once (a new store, or one made before them) and keep them by triggers: in the
    transaction that creates them, under the upgrade's write lock, so no write falls in between."""
    if connection.execute(select(row_counts.c.name).limit(1)).first() is not None:
        return
    if connection.dialect.name == "sqlite":
        statements = _SQLITE
    elif connection.dialect.name == "postgresql":
        statements = [s for table, condition in COUNTED.items() for s in _postgresql(table, condition)]
    else:  # another database counts the rows themselves (`count`)
        return
    for statement in statements:
        connection.exec_driver_sql(statement)
    for table, condition in COUNTED.items():
        where = condition.replace("row.", "")
        connection.execute(
            text(f"INSERT INTO row_counts (name, n) SELECT :name, count(*) FROM {table} WHERE {where}"),
            {"name": table},
        )


def count(conn: Connection, table: str) -> int:
    """Documents, or records not rejected: the kept count (or count(*) on a database without triggers)."""
    found = conn.execute(select(row_counts.c.n).where(row_counts.c.name == table)).scalar()
    if found is not None:
        return int(found)
    where = COUNTED[table].replace("row.", "")
    return conn.execute(text(f"SELECT count(*) FROM {table} WHERE {where}")).scalar_one()
