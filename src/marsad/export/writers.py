"""File formats of an export. Each writer takes the layout's columns, its flat rows, an open file and
an optional HXL hashtag row, and returns how many rows it wrote."""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO, Any

from marsad.export.layouts import DATE_COLUMNS

Row = dict[str, Any]

# Excel reads a cell that starts with one of these as a formula (and shows "-" led Arabic as #NAME?).
FORMULA_START = ("=", "+", "-", "@")
EXCEL_MAX_ROWS = 1_048_576 - 2  # a sheet's rows, less the header and the HXL row


def typed(row: Row) -> Row:
    """ISO day strings as dates, for formats that have a date type."""
    out = dict(row)
    for key in DATE_COLUMNS.intersection(row):
        value = row[key]
        if isinstance(value, str) and len(value) == 10:
            with contextlib.suppress(ValueError):  # a day that is not one stays as written
                out[key] = date.fromisoformat(value)
    return out


def _excel_text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(columns: list[str], rows: Iterable[Row], out: IO[str], hxl: list[str] | None, bom: bool = False) -> int:
    if bom:
        out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    if hxl:
        writer.writerow(dict(zip(columns, hxl, strict=True)))
    n = 0
    for row in rows:
        # A CSV meant for Excel (--bom) keeps text that looks like a formula as text.
        writer.writerow({k: _excel_text(v) for k, v in row.items()} if bom else row)
        n += 1
    return n


def write_jsonl(rows: Iterable[Row], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False, default=str))
        out.write("\n")
        n += 1
    return n


def write_geojson(features: Iterable[tuple[float, float, Row]], out: IO[str]) -> int:
    """A FeatureCollection of points from (lon, lat, properties)."""
    collected = [
        {
            "type": "Feature",
            "id": next(iter(props.values())),
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": props,
        }
        for lon, lat, props in features
    ]
    json.dump({"type": "FeatureCollection", "features": collected}, out, ensure_ascii=False, default=str)
    out.write("\n")
    return len(collected)


def arrow_table(columns: list[str], rows: Iterable[Row]):
    """A pyarrow Table of the rows (dates typed), with every column even when there are no rows."""
    import pyarrow as pa

    data: dict[str, list] = {name: [] for name in columns}
    for row in rows:
        row = typed(row)
        for name in columns:
            data[name].append(row.get(name))
    return pa.table({name: pa.array(values) for name, values in data.items()})


def write_parquet(columns: list[str], rows: Iterable[Row], out: IO[bytes]) -> int:
    import pyarrow.parquet as pq

    table = arrow_table(columns, rows)
    pq.write_table(table, out)
    return table.num_rows


def _xlsx_cells(sheet, row: Iterable[Any]) -> Iterator[Any]:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    for value in row:
        if not isinstance(value, str):
            yield value
            continue
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value)[:32767])
        cell.data_type = "s"  # text stays text, even when it starts with "="
        yield cell


def write_xlsx(columns: list[str], rows: Iterable[Row], out: IO[bytes], hxl: list[str] | None, title: str) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append(list(_xlsx_cells(sheet, columns)))
    if hxl:
        sheet.append(list(_xlsx_cells(sheet, hxl)))
    n = 0
    for row in rows:
        if n >= EXCEL_MAX_ROWS:
            raise ValueError(f"more than {EXCEL_MAX_ROWS:,} rows do not fit an Excel sheet: use csv or parquet")
        row = typed(row)
        sheet.append(list(_xlsx_cells(sheet, (row.get(name) for name in columns))))
        n += 1
    book.save(out)
    return n
