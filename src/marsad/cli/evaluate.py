"""`marsad eval`: score extraction against gold records (the logic is in marsad.evaluate)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from marsad.cli.common import console


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_command)


def eval_command(
    gold: Annotated[str, typer.Option("--gold", help="Gold records, JSONL (ar_dev.jsonl, seed_gold.jsonl).")],
    docs: Annotated[str, typer.Option("--docs", help="The reports: JSONL/CSV/text file or directory.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")] = False,
    errors: Annotated[bool, typer.Option("--errors", help="Also list missed and spurious incidents.")] = False,
    doc_level: Annotated[
        bool,
        typer.Option(
            "--doc-level",
            help="GOLD is a CSV labelled with one main event per article (FA-KES columns: unit_id, location, actor, "
            "nb_civilians, nb_noncivilians): score killed, admin1 and perpetrator per article.",
        ),
    ] = False,
) -> None:
    """Precision/recall/F1 of casualty incidents, field accuracy, tallies, silence on no-incident reports."""
    if doc_level:
        from marsad.cli.evaluate_doc import print_doc_level

        print_doc_level(gold, docs, as_json, errors)
        return
    from marsad.evaluate import run

    result = run(gold, docs)
    if as_json:
        if not errors:
            result.pop("errors")
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"marsad eval: {result['documents_found']}/{result['documents']} reports")
    for col in ("measure", "precision", "recall", "F1", "tp / gold / system"):
        table.add_column(col)
    for name, key in (
        ("casualty incidents", "incidents"),
        ("  (count only)", "incidents_count_only"),
        ("tallies", "tallies"),
    ):
        r = result[key]
        table.add_row(
            name,
            f"{r['precision']:.3f}",
            f"{r['recall']:.3f}",
            f"{r['f1']:.3f}",
            f"{r['tp']} / {r['gold']} / {r['system']}",
        )
    console.print(table)
    acc = Table(title="accuracy on matched incidents")
    acc.add_column("field")
    acc.add_column("accuracy")
    acc.add_column("pairs")
    for name, value in result["accuracy"].items():
        acc.add_row(name, "-" if value is None else f"{value:.3f}", str(result["accuracy_support"][name]))
    silent = result["silent_on_no_incident"]
    acc.add_row(
        "silent on no-incident reports", "-" if silent is None else f"{silent:.3f}", str(result["no_incident_reports"])
    )
    console.print(acc)
    if errors:
        for e in result["errors"]:
            console.print(f"{e['type']:9} {e['doc_id']} killed={e['killed']} admin1={e['admin1']} :: {e['text'][:160]}")
