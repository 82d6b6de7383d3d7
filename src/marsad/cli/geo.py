"""`marsad geocode` and `marsad gazetteer import|list`: places, with the resolver extraction uses."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from marsad.cli.common import DbOption, err_console

# SCHEMA.md's location fields, and how many other places the name could mean (as records carry it).
LOCATION_FIELDS = ("text", "name", "admin1", "admin2", "country", "lat", "lon", "geo_precision", "alternatives")

gazetteer_app = typer.Typer(help="The places marsad knows: import gazetteer files into the database.")


def register(app: typer.Typer) -> None:
    app.command()(geocode)
    app.add_typer(gazetteer_app, name="gazetteer")


def _resolver(db: str | None):
    """The database's resolver; without a database (none named, none in the current directory) the
    embedded gazetteer, so that geocoding never creates a database as a side effect."""
    from marsad.geo import default_resolver, resolver_for
    from marsad.store import connect, database_url

    url = database_url(db)
    if not db and url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return default_resolver()
    return resolver_for(connect(url))


def _inputs(texts: list[str] | None, file: Path | None, column: str | None) -> list[str]:
    if texts:
        return list(texts)
    if file is None:
        raise typer.BadParameter("give place names, or --file")
    if file.suffix.lower() in (".csv", ".tsv"):
        with open(file, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t" if file.suffix.lower() == ".tsv" else ",")
            header = reader.fieldnames or []
            col = column or (header[0] if header else None)
            if col not in header:
                raise typer.BadParameter(f"no column {col!r} in {file.name} (have {', '.join(header)})")
            return [row.get(col) or "" for row in reader]
    with open(file, encoding="utf-8") as fh:
        return [line.rstrip("\n") for line in fh]


def geocode(
    texts: Annotated[list[str] | None, typer.Argument(help="Place names or phrases, Arabic or English.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="A text file (one per line) or a CSV.")] = None,
    column: Annotated[str | None, typer.Option("--column", help="The CSV column to read (default: first).")] = None,
    context: Annotated[
        list[str] | None, typer.Option("--context", help="A place named nearby (e.g. the governorate).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Resolve place names: one JSON location per input, in input order (lat/lon null when unknown)."""
    resolver = _resolver(db)
    ctx = tuple(context or ())
    out = sys.stdout
    for text in _inputs(texts, file, column):
        loc = resolver.resolve(text, ctx) if text.strip() else None
        data = {f: getattr(loc, f) for f in LOCATION_FIELDS} if loc else dict.fromkeys(LOCATION_FIELDS)
        data["text"] = text
        out.write(json.dumps(data, ensure_ascii=False) + "\n")


@gazetteer_app.command("import")
def import_command(
    files: Annotated[list[Path], typer.Argument(help="GeoNames dump, OCHA GeoJSON, or CSV place list.")],
    name_column: Annotated[
        list[str] | None, typer.Option("--name-column", help="CSV column holding a name (repeatable).")
    ] = None,
    lat_column: Annotated[str | None, typer.Option("--lat-column")] = None,
    lon_column: Annotated[str | None, typer.Option("--lon-column")] = None,
    admin1_column: Annotated[str | None, typer.Option("--admin1-column")] = None,
    admin2_column: Annotated[str | None, typer.Option("--admin2-column")] = None,
    country: Annotated[
        str | None,
        typer.Option("--country", help="ISO code: of a CSV's places, or the one country to keep from a GeoNames dump."),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Name of this import (default: the file name); re-importing replaces.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Add places to the database's gazetteer (kept with the database: --db / MARSAD_DB)."""
    from marsad.geo.importers import ImportError_, import_file
    from marsad.store import connect

    engine = connect(db)
    csv_options = {
        "name_columns": name_column,
        "lat_column": lat_column,
        "lon_column": lon_column,
        "admin1_column": admin1_column,
        "admin2_column": admin2_column,
        "country": country,
    }
    bad_rows = 0
    for path in files:
        if not path.exists():
            raise typer.BadParameter(f"{path} does not exist")
        options = csv_options if path.suffix.lower() == ".csv" else {"country": country}
        try:
            result = import_file(engine, path, name=name if len(files) == 1 else None, opener=_reader, **options)
        except (ImportError_, ValueError) as exc:
            err_console.print(f"[red]{path}: {exc}[/red]", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
        _report_rows(path, result["problems"], result["unlocated"])
        bad_rows += len(result["problems"])
        err_console.print(
            f"{result['name']}: {result['places']} places, {result['boundaries']} boundaries ({result['format']})"
        )
    if bad_rows:
        raise typer.Exit(1)


def _reader(path: Path, **kwargs):
    """The file, read with a progress bar on the terminal (a GeoNames dump can be gigabytes)."""
    import rich.progress

    if not err_console.is_terminal:
        return open(path, **kwargs)
    return rich.progress.open(path, "r", description=path.name, console=err_console.get(), transient=True, **kwargs)


def _report_rows(path: Path, problems: list[tuple[int, str]], unlocated: int, shown: int = 20) -> None:
    """Rows left out of an import, each with its line: the rest of the file is imported."""
    lines = [f"[red]{path}:{line}: {reason} (row left out)[/red]" for line, reason in problems[:shown]]
    if len(problems) > shown:
        lines.append(f"[red]{path}: {len(problems) - shown} more rows left out[/red]")
    if unlocated:
        lines.append(f"{path}: {unlocated} rows without coordinates left out")
    for line in lines:
        # One line each, however long: "file:line:" stays greppable.
        err_console.print(line, highlight=False, soft_wrap=True)


@gazetteer_app.command("list")
def list_command(db: DbOption = None) -> None:
    """The imports in this database's gazetteer."""
    from marsad.store import connect
    from marsad.store.gazetteer import list_imports

    for row in list_imports(connect(db)):
        print(
            json.dumps(
                {k: (str(v) if k == "imported_at" else v) for k, v in row.items() if k != "id"},
                ensure_ascii=False,
            )
        )
