"""Tables of the store (SQLAlchemy Core). Other store modules add their tables to `metadata`."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", DateTime, nullable=False),
    Column("description", Text, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(300), nullable=False, unique=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("title", Text),
    Column("outlet", String(200)),
    Column("attribution", String(300)),
    Column("url", Text),
    Column("published", Date),
    Column("lang", String(8), nullable=False),
    Column("source_path", Text),
    Column("raw_text", Text, nullable=False),
    Column("text", Text, nullable=False),
    # Arabic-folded text (diacritics, alef forms, tatweel) for search: FTS engines don't fold it.
    Column("text_norm", Text, nullable=False),
    Column("ingested_at", DateTime, nullable=False),
)

records = Table(
    "records",
    metadata,
    # "<doc_id>:<index in the document>": stable across re-ingests of the same report.
    Column("record_id", String(320), primary_key=True),
    Column("doc_id", String(300), ForeignKey("documents.doc_id", ondelete="CASCADE"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("event_type", String(64)),
    Column("sub_event_type", String(64)),
    Column("date", Date),
    Column("date_precision", String(16)),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("perpetrator", String(64), nullable=False),
    Column("victim_group", String(64), nullable=False),
    # "|civilians|children|": the main group and every victims[] group, for --victim filters.
    Column("victim_groups", String(400), nullable=False),
    Column("killed_low", Integer),
    Column("killed_best", Integer),
    Column("killed_high", Integer),
    Column("wounded_low", Integer),
    Column("wounded_best", Integer),
    Column("wounded_high", Integer),
    Column("admin1", String(100)),
    Column("admin2", String(100)),
    Column("country", String(2)),
    Column("lat", Float),
    Column("lon", Float),
    # The whole SCHEMA.md record: the columns above are for filtering, this is the truth.
    Column("data", JSON, nullable=False),
    # An analyst's decision (store/review.py): accepted, corrected, rejected, added; None = machine only.
    # `data` and the columns above then hold the corrected record.
    Column("review", String(16)),
    # The review queue's order: the extraction model's confidence (0..1) from `data`, or UNKNOWN_RANK when
    # it has none, so that one walk of an index gives the least certain first and the unscored last.
    Column("queue_rank", Float, nullable=False, default=2.0, server_default="2"),
)

Index("ix_records_date", records.c.date)
Index("ix_records_kind_date", records.c.kind, records.c.date)
Index("ix_records_admin1", records.c.admin1)
Index("ix_records_perpetrator", records.c.perpetrator)
Index("ix_records_doc", records.c.doc_id)
# The review queue: unreviewed records, least certain first, paged and filtered from the index alone.
UNKNOWN_RANK = 2.0
QUEUE_COLUMNS = ("review", "queue_rank", "record_id", "kind", "date", "period_start", "period_end", "perpetrator",
                 "victim_groups", "admin1", "admin2", "country", "event_type", "doc_id")  # fmt: skip
QUEUE_INDEX = Index("ix_records_queue", *(records.c[name] for name in QUEUE_COLUMNS))
# Listings page over (date, record_id); with kind they also leave rejected records out from the index alone.
LISTING_INDEX = Index("ix_records_listing", records.c.date, records.c.record_id, records.c.kind)
