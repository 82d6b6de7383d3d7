"""Exports: stored records or events written in a column layout (marsad, acled, ucdp) and a file
format (csv, jsonl, geojson, parquet, xlsx), every row traceable to its source.

`write_export` is the one entry point (the Python API's `Database.export` and `marsad export` call
it). A layout or format that cannot hold a row leaves it out and says why in `ExportResult.left_out`.
"""

from __future__ import annotations

import io
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from marsad.export import writers
from marsad.export.files import write_file
from marsad.export.layouts import ROW_BUILDERS, SOURCE_COLUMNS, columns, id_key, marsad_row
from marsad.formats import LAYOUTS, layout

FORMATS = ("csv", "jsonl", "geojson", "parquet", "xlsx")
BINARY_FORMATS = ("parquet", "xlsx")
HXL_FORMATS = ("csv", "xlsx")

__all__ = [
    "FORMATS",
    "LAYOUTS",
    "SOURCE_COLUMNS",
    "ExportResult",
    "columns",
    "flat_rows",
    "format_of",
    "id_key",
    "marsad_row",
    "to_text",
    "write_export",
]


@dataclass
class ExportResult:
    written: int = 0
    # why -> how many rows were left out for it
    left_out: Counter[str] = field(default_factory=Counter)
    path: Path | None = None

    def summary(self, what: str = "rows") -> str:
        where = f" to {self.path}" if self.path else ""
        text = f"{self.written} {what} written{where}"
        if self.left_out:
            reasons = "; ".join(f"{n} {why}" for why, n in self.left_out.most_common())
            text += f"; {sum(self.left_out.values())} left out: {reasons}"
        return text


def format_of(path: str | Path) -> str:
    """The format a file name asks for ("x.parquet" -> parquet)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return {"json": "jsonl", "ndjson": "jsonl", "xls": "xlsx", "pq": "parquet"}.get(suffix, suffix)


def check_options(output_format: str, column_layout: str, hxl: bool, bom: bool, to_file: bool) -> None:
    """ValueError naming the option when a combination cannot be written."""
    if output_format not in FORMATS:
        raise ValueError(f"--format must be one of {', '.join(FORMATS)}, not {output_format!r}")
    if column_layout not in LAYOUTS:
        raise ValueError(f"--columns must be one of {', '.join(LAYOUTS)}, not {column_layout!r}")
    if hxl and output_format not in HXL_FORMATS:
        raise ValueError("--hxl adds a header row: it applies to csv and xlsx only")
    if bom and output_format != "csv":
        raise ValueError("--bom applies to csv only")
    if output_format in BINARY_FORMATS and not to_file:
        raise ValueError(f"{output_format} is a binary format: give a file with -o")


def flat_rows(items: Iterable[dict[str, Any]], column_layout: str, left_out: Counter[str]) -> Iterator[dict]:
    """Items in a layout's flat columns; those it cannot hold are counted in `left_out`."""
    build, skip = ROW_BUILDERS[column_layout]
    for item in items:
        why = skip(item)
        if why:
            left_out[why] += 1
            continue
        yield build(item)


def _located(items: Iterable[dict[str, Any]], left_out: Counter[str]) -> Iterator[dict[str, Any]]:
    for item in items:
        location = item.get("location") or {}
        if location.get("lat") is None or location.get("lon") is None:
            left_out["without coordinates (a GeoJSON feature needs a point)"] += 1
            continue
        yield item


def _jsonl_items(items: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """SCHEMA.md records (or events) whole, with their source columns beside doc_id."""
    for item in items:
        source = item.get("source") or {}
        out = {k: v for k, v in item.items() if k != "source"}
        out.update({k: source.get(k) for k in SOURCE_COLUMNS if k != "doc_id" or "doc_id" not in out})
        yield out


def _write(items, output_format: str, column_layout: str, hxl: bool, bom: bool, what: str, out: IO) -> ExportResult:
    result = ExportResult()
    tags = _hxl_row(column_layout, what) if hxl else None
    cols = columns(column_layout, what)
    if output_format == "geojson":
        features = (
            (item["location"]["lon"], item["location"]["lat"], row)
            for item in _located(items, result.left_out)
            for row in flat_rows([item], column_layout, result.left_out)
        )
        result.written = writers.write_geojson(features, out)
    elif output_format == "jsonl":
        rows = _jsonl_items(items) if column_layout == "marsad" else flat_rows(items, column_layout, result.left_out)
        result.written = writers.write_jsonl(rows, out)
    elif output_format == "csv":
        result.written = writers.write_csv(cols, flat_rows(items, column_layout, result.left_out), out, tags, bom)
    elif output_format == "parquet":
        result.written = writers.write_parquet(cols, flat_rows(items, column_layout, result.left_out), out)
    else:
        rows = flat_rows(items, column_layout, result.left_out)
        result.written = writers.write_xlsx(cols, rows, out, tags, title=what)
    return result


def _hxl_row(column_layout: str, what: str) -> list[str]:
    tags = layout(column_layout)["hxl"]
    return [tags.get(name, "") for name in columns(column_layout, what)]


def write_export(
    items: Iterable[dict[str, Any]],
    output: str | Path | None = None,
    output_format: str | None = None,
    column_layout: str = "marsad",
    *,
    hxl: bool = False,
    bom: bool = False,
    what: str = "records",
    stdout: IO[str] | None = None,
) -> ExportResult:
    """Write `items` (records or events with a `source` dict) to `output`, or to stdout when None.

    A file is written beside its target and renamed when complete, so a failed export never leaves
    half a file. The format defaults to the file's suffix, else jsonl."""
    output_format = output_format or (format_of(output) if output is not None else "jsonl")
    check_options(output_format, column_layout, hxl, bom, output is not None)
    if output is None:
        return _write(items, output_format, column_layout, hxl, bom, what, stdout or sys.stdout)
    path = Path(output)
    binary = output_format in BINARY_FORMATS
    result = write_file(path, lambda out: _write(items, output_format, column_layout, hxl, bom, what, out), binary)
    result.path = path
    return result


def to_text(items: Iterable[dict[str, Any]], output_format: str = "csv", column_layout: str = "marsad") -> str:
    """A text export in memory (tests, notebooks)."""
    buffer = io.StringIO()
    write_export(items, None, output_format, column_layout, stdout=buffer)
    return buffer.getvalue()
