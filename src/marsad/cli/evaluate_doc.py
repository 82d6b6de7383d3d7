"""`marsad eval --doc-level`: one main event per article (the logic is in marsad.evaluate_doc)."""

from __future__ import annotations

import json

from marsad.cli.common import Table, console


def print_doc_level(labels: str, docs: str, as_json: bool, errors: bool) -> None:
    from marsad.evaluate_doc import run_doc

    try:
        result = run_doc(labels, docs)
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise SystemExit(1) from None
    if not errors:
        result.pop("articles")
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"marsad eval --doc-level: {result['overall']['articles']} articles")
    for col in ("measure", "all", *(f"fold {k}" for k in range(len(result["folds"]))), "articles"):
        table.add_column(col)
    for name, key in (
        ("killed", "killed"),
        ("admin1", "admin1"),
        ("perpetrator", "perpetrator"),
        ("  (named actor only)", "perpetrator_named"),
    ):
        cells = [_rate(result["overall"][key])] + [_rate(f[key]) for f in result["folds"]]
        table.add_row(name, *cells, str(result["overall"][f"{key}_n"]))
    console.print(table)
    for row in result.get("articles", []):
        wrong = [k for k in ("killed", "admin1", "perpetrator") if row[k] is False]
        if wrong:
            console.print(f"{row['doc_id']} wrong={','.join(wrong)} system={row['system']} label={row['label']}")


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
