"""Reports stored one per row in a Parquet file, with fields mapped by name as for JSONL and CSV.

The row number (1-based) stands for the line: a failure names the file and the row. Row groups are read
one at a time, so a large file is never held whole in memory.
"""

from __future__ import annotations

from collections.abc import Iterator

from marsad.model import Document
from marsad.sources.errors import SourceError
from marsad.sources.tabular import DEFAULT_FIELDS, FieldMap, row_or_error


def read_parquet(path: str, fields: FieldMap) -> Iterator[Document | SourceError]:
    import pyarrow.parquet as pq

    try:
        reader = pq.ParquetFile(path)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        yield SourceError(path, None, f"not a readable Parquet file ({exc})")
        return
    header = reader.schema_arrow.names
    wanted = (fields.text,) if fields.text else DEFAULT_FIELDS["text"]
    if not any(name in header for name in wanted):
        yield SourceError(path, None, f"no text column {'/'.join(wanted)!r} among {len(header)} columns")
        return
    row_no = 0
    for group in range(reader.num_row_groups):
        try:
            rows = reader.read_row_group(group).to_pylist()
        except (OSError, ValueError) as exc:
            yield SourceError(path, row_no + 1, f"unreadable row group {group} ({exc})")
            row_no += reader.metadata.row_group(group).num_rows
            continue
        for row in rows:
            row_no += 1
            yield row_or_error(row, fields, path, row_no)
