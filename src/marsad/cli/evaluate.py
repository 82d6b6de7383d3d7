"""`marsad eval`: score extraction against gold records (the logic is in marsad.evaluate)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from marsad.cli.common import ModelOption, Table, console, err_console, use_model


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_command)
    app.command("train")(train_command)


GoldOption = Annotated[list[str], typer.Option("--gold", help="Gold records, JSONL (ar_dev.jsonl …); repeatable.")]
DocsOption = Annotated[
    list[str], typer.Option("--docs", help="The reports: JSONL/CSV/text file or directory; repeatable.")
]


def eval_command(
    gold: GoldOption,
    docs: Annotated[
        list[str] | None, typer.Option("--docs", help="The reports: JSONL/CSV/text file or directory; repeatable.")
    ] = None,
    predictions: Annotated[
        str | None,
        typer.Option(
            "--predictions",
            help="Score these records instead of extracting (gold-shaped JSONL such as `marsad review export "
            "--gold`, or record JSONL from `marsad extract`/`export`).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")] = False,
    errors: Annotated[bool, typer.Option("--errors", help="Also list missed and spurious incidents.")] = False,
    folds: Annotated[
        int, typer.Option("--folds", help="K-fold cross-validation: train on K-1 folds of the gold, score the rest.")
    ] = 0,
    model: ModelOption = None,
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
    use_model(model)
    if (docs is None) == (predictions is None):
        raise typer.BadParameter("give --docs (extract and score) or --predictions (score records)")
    if doc_level:
        from marsad.cli.evaluate_doc import print_doc_level

        print_doc_level(gold[0], docs[0], as_json, errors)  # type: ignore[index]
        return
    if folds:
        _cross_validate(gold, docs, folds, as_json)  # type: ignore[arg-type]
        return
    from marsad.evaluate import run, score

    result = run(gold, docs) if predictions is None else score(gold, predictions)
    if as_json:
        if not errors:
            result.pop("errors")
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    _print_result(result, f"marsad eval: {result['documents_found']}/{result['documents']} reports")
    if errors:
        for e in result["errors"]:
            console.print(f"{e['type']:9} {e['doc_id']} killed={e['killed']} admin1={e['admin1']} :: {e['text'][:160]}")


def train_command(
    gold: GoldOption,
    docs: DocsOption,
    output: Annotated[str, typer.Option("-o", "--output", help="Where to write the model (JSON).")],
    score_only: Annotated[
        bool, typer.Option("--score-only", help="The model only scores records (confidence); the grammar decides.")
    ] = False,
) -> None:
    """Train the decision model on annotated reports (SCHEMA.md gold, as `marsad eval` reads it)."""
    from marsad.extract.train import fit

    items = _annotated(gold, docs)
    info = {"gold": [Path(g).name for g in gold], "reports": len(items)}
    trained = fit(items, info)
    trained.decides = not score_only
    trained.save(output)
    stats = trained.info or {}
    console.print(
        f"{len(items)} reports, {stats.get('candidates')} candidates ({stats.get('positive')} kept, "
        f"{stats.get('tallies')} tallies) -> {output}",
        highlight=False,
    )


def _annotated(gold: list[str], docs: list[str]):
    from marsad.evaluate import load_gold, read_docs
    from marsad.extract.train import annotate

    records = [g for path in gold for g in load_gold(path)]
    wanted = {g["doc_id"] for g in records}
    texts = {}
    for path in docs:
        texts.update(read_docs(path, wanted))
    missing = len(wanted - texts.keys())
    if missing:
        err_console.print(f"{missing} annotated reports not found in --docs: left out")
    return annotate([g for g in records if g["doc_id"] in texts], texts)


def _cross_validate(gold: list[str], docs: list[str], k: int, as_json: bool) -> None:
    from marsad.extract.train import cross_validate

    if k < 2:
        raise typer.BadParameter("needs at least 2 folds", param_hint="--folds")
    result = cross_validate(_annotated(gold, docs), k)
    if as_json:
        for part in [*result["folds"], result["pooled"], result["grammar"]]:
            part.pop("errors")
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for i, part in enumerate(result["folds"], 1):
        _print_result(part, f"fold {i}/{k}: {part['documents']} reports")
    _print_result(result["pooled"], f"pooled over {k} folds: {result['pooled']['documents']} reports")
    _print_result(result["grammar"], "the grammar's own calls on the same reports (no model)")


def _print_result(result: dict, title: str) -> None:
    table = Table(title=title)
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
