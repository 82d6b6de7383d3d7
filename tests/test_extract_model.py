"""The learned decision layer: candidates and their features, training, cross-validation, the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from marsad.evaluate import load_gold, read_docs
from marsad.extract import candidates, decided, extract
from marsad.extract.decide import Model, decide, default_model, load_model
from marsad.extract.train import annotate, cross_validate, fit, folds, labels
from marsad.model import Document

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "gold"


@pytest.fixture(scope="module")
def annotated(ant_path):
    gold = load_gold(GOLD / "ar_dev.jsonl") + load_gold(GOLD / "ar_dev2.jsonl")
    docs = read_docs(ant_path, {g["doc_id"] for g in gold})
    return annotate(gold, docs)


def test_doubted_figures_are_proposed_with_their_flags(ant_path):
    docs = read_docs(ant_path)
    flagged = {}
    for doc in list(docs.values())[:400]:
        proposal = candidates(doc)
        for cand in proposal[2] if proposal else []:
            for flag in cand.draft.flags:
                flagged.setdefault(flag, (doc, cand))
    # Old events and figures no pattern read are proposed, not dropped: the model weighs them.
    assert {"background", "window"} <= flagged.keys()
    doc, cand = flagged["background"]
    assert cand.features["flag=background"] == 1.0
    # Without a model the grammar's doubts stand: a flagged candidate never becomes a record.
    kept = decide(candidates(doc)[2], None)
    assert kept and all(not c.draft.flags and p is None for c, p, _ in kept)


def test_labels_pair_each_gold_record_once(annotated):
    rows = [row for item in annotated for row in labels(item)]
    assert len(rows) > 100
    for item in annotated:
        positives = [c for c, keep, _ in labels(item) if keep]
        gold = [g for g in item.gold["incidents"] if g.get("killed") is not None]
        assert len(positives) <= len(gold)
    # Tallies are a minority of the kept candidates, never all of them.
    assert 0 < sum(t for _, k, t in rows if k) < sum(k for _, k, _ in rows)


def test_folds_split_by_report_and_keep_near_copies_together(annotated):
    parts = folds(annotated, 5)
    assert sorted(i for part in parts for i in part) == list(range(len(annotated)))
    assert max(map(len, parts)) - min(map(len, parts)) <= 3
    # France24 runs one AFP story under two addresses; such copies must never straddle folds.
    fold_of = {annotated[i].gold["doc_id"]: k for k, part in enumerate(parts) for i in part}
    words = {it.gold["doc_id"]: set(re.findall(r"\w+", it.text)) for it in annotated}
    ids = list(words)
    copies = [
        (a, b)
        for i, a in enumerate(ids)
        for b in ids[:i]
        if len(words[a] & words[b]) / max(1, len(words[a] | words[b])) > 0.9
    ]
    assert all(fold_of[a] == fold_of[b] for a, b in copies)


def test_a_trained_model_round_trips_and_decides(annotated, tmp_path):
    model = fit(annotated[:80], {"gold": ["test"]})
    assert model.keep["flag=background"] < 0 < model.keep["bias"] + 1  # old events weigh against keeping
    path = tmp_path / "m.json"
    model.save(path)
    again = load_model(path)
    assert again.keep == model.keep and again.decides
    item = next(it for it in annotated[80:] if it.cands)
    records = decided(item.proposal, again)
    assert all(0.0 <= r.confidence <= 1.0 for r in records)
    assert all(again.p_keep(c.features) >= again.threshold for c in item.cands if c.record in records)


def test_cross_validation_reports_each_fold_and_the_pooled_figure(annotated):
    result = cross_validate(annotated, 3)
    assert len(result["folds"]) == 3
    assert sum(f["documents"] for f in result["folds"]) == len(annotated)
    pooled = result["pooled"]["incidents"]
    assert pooled["gold"] == sum(f["incidents"]["gold"] for f in result["folds"])
    # A model that never saw the fold it scores still finds most casualty incidents.
    assert pooled["recall"] > 0.6 and pooled["precision"] > 0.5


def test_not_a_model_is_named_with_its_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"keep": 3}')
    with pytest.raises(ValueError, match="bad.json"):
        load_model(bad)


def test_shipped_model_scores_every_record(seed_path):
    from marsad.sources import read_path

    assert default_model() is not None
    [doc] = [d for d in read_path(str(seed_path)) if isinstance(d, Document)]
    records = extract(doc)
    assert records and all(0.0 < r.confidence <= 1.0 for r in records)
    # The grammar-only path gives the same records without confidence.
    assert [r.killed for r in extract(doc, model=None)] == [r.killed for r in records]


def test_train_and_eval_folds_commands(ant_path, tmp_path, monkeypatch):
    from marsad.cli import app

    monkeypatch.setenv("MARSAD_MODEL", "")  # `--model` sets it for the process: restored after the test

    runner = CliRunner()
    out = tmp_path / "model.json"
    gold = str(GOLD / "ar_dev2.jsonl")
    result = runner.invoke(app, ["train", "--gold", gold, "--docs", str(ant_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert Model.from_json(json.loads(out.read_text())).info["reports"] == 45
    result = runner.invoke(app, ["eval", "--gold", gold, "--docs", str(ant_path), "--folds", "3", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["folds"]) == 3 and "grammar" in data
    result = runner.invoke(app, ["eval", "--gold", gold, "--docs", str(ant_path), "--model", str(out), "--json"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["extract", str(ant_path), "--model", str(tmp_path / "nope.json")])
    assert result.exit_code != 0 and "nope.json" in result.output


def test_hedged_attribution_names_the_perpetrator(ant_path):
    # "غارات يرجح أنها روسية": the monitor's hedged attribution is the report's attribution.
    doc = read_docs(ant_path, {"SK-middleEast-2242-20180608"})["SK-middleEast-2242-20180608"]
    part = next(p for p in re.split(r"(?<=[.\n])", doc.text) if "يرجح أنها روسية أوقعت" in p)
    [rec] = extract(Document(doc_id=doc.doc_id, text=part.strip(), published=doc.published))
    assert rec.killed.best == 44 and rec.perpetrator == "russia"


def test_a_database_remembers_the_model_it_was_ingested_with(ant_rows, tmp_path, monkeypatch):
    from marsad import store
    from marsad.cli import app
    from marsad.store.records import record_ids_of
    from marsad.store.settings import get_setting

    shipped = json.loads((Path(store.__file__).parents[1] / "lang" / "ar" / "model.json").read_text())
    # A deciding model that believes nothing: a database that uses it stores reports without records.
    doubting = tmp_path / "doubting.json"
    doubting.write_text(json.dumps({**shipped, "decides": True, "threshold": 1.01}))
    rows = [r for r in ant_rows if "قتل" in r]
    parts = []
    for i in range(3):  # ten reports a part: each part tells of some killing
        parts.append(tmp_path / f"part{i}.jsonl")
        parts[-1].write_text("\n".join(rows[10 * i : 10 * i + 10]) + "\n", encoding="utf-8")
    db, fresh = str(tmp_path / "m.db"), str(tmp_path / "fresh.db")
    runner = CliRunner()

    def ingest(path: Path, *options: str, into: str = db) -> int:
        # Each command is a process of its own (`--model` sets MARSAD_MODEL for it); restored after the test.
        monkeypatch.setenv("MARSAD_MODEL", "")
        result = runner.invoke(app, ["ingest", str(path), "--db", into, "--quiet", *options])
        assert result.exit_code == 0, result.output
        doc_ids = [json.loads(line)["docno"] for line in path.read_text().splitlines()]
        return len(record_ids_of(store.connect(into), doc_ids))

    assert ingest(parts[0], "--model", str(doubting)) == 0
    assert ingest(parts[1]) == 0  # no --model: the database's own
    assert ingest(parts[1], into=fresh) > 0  # the same reports, a database that remembers no model
    assert ingest(parts[2], "--model", "shipped") > 0
    assert get_setting(store.connect(db), "model") is None
