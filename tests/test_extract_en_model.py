"""The English learned layer: the English grammar's candidates and features, a model per language, training and
cross-validation on the English gold, the shipped score-only model."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import DATA, REPO, need
from marsad.evaluate import load_gold, read_docs
from marsad.extract import candidates, decided, extract
from marsad.extract.decide import default_model
from marsad.extract.train import annotate, cross_validate, fit, labels

FAKES = DATA / "articles" / "fakes_en_dev.csv"
EN_GOLD = REPO / "data" / "gold" / "en_fakes_dev.jsonl"
NOTES = REPO / "data" / "notes" / "en_acled_style_notes.jsonl"


@pytest.fixture(scope="module")
def annotated():
    gold = load_gold(EN_GOLD)
    return annotate(gold, read_docs(need(FAKES), {g["doc_id"] for g in gold}))


def test_english_candidates_carry_the_grammars_doubts(annotated):
    flagged = {}
    # 1965495375: a figure in a sentence that also says no one died
    said_none = candidates(read_docs(need(FAKES), {"1965495375"}).popitem()[1])
    for proposal in [it.proposal for it in annotated] + [said_none]:
        for cand in proposal[2] if proposal else []:
            for flag in cand.draft.flags:
                flagged.setdefault(flag, (proposal, cand))
    # Old events and deaths the report says did not happen are proposed, not dropped.
    assert {"background", "no_fatalities"} <= flagged.keys()
    (doc, *_), cand = flagged["no_fatalities"]
    assert cand.features["flag=no_fatalities"] == 1.0 and cand.record.killed is not None
    # Without a model, the grammar's calls: no flagged candidate becomes a record, and no confidence.
    grammar = decided(candidates(doc), None)
    assert all(r.confidence is None for r in grammar)
    assert [r.killed for r in extract(doc)] == [r.killed for r in grammar]
    assert cand.record.killed not in [r.killed for r in grammar]


def test_an_english_model_is_trained_on_english_gold_only(annotated):
    assert {it.lang for it in annotated} == {"en"} and len(annotated) == 22
    assert sum(keep for it in annotated for _c, keep, _t in labels(it)) >= 30
    model = fit(annotated)
    assert model.lang == "en" and any(name.startswith("cue=") for name in model.keep)
    arabic = annotated[0].__class__(annotated[0].gold, "", None, "ar")
    with pytest.raises(ValueError, match="one language at a time"):
        fit([*annotated, arabic])


def test_english_cross_validation_scores_reports_it_never_trained_on(annotated):
    result = cross_validate(annotated, 3)
    assert sum(f["documents"] for f in result["folds"]) == 22
    pooled, grammar = result["pooled"]["incidents"], result["grammar"]["incidents"]
    assert pooled["gold"] == grammar["gold"] == 34
    # A model trained on the other two thirds still finds most of the dead (CV F1 0.69; the grammar 0.76).
    assert pooled["recall"] > 0.6 and pooled["precision"] > 0.5


def test_the_shipped_english_model_scores_and_leaves_the_grammars_calls(annotated):
    model = default_model("en")
    assert model is not None and model.lang == "en" and not model.decides
    assert default_model("ar").lang == "ar"  # each language its own model
    item = next(it for it in annotated if len(it.cands) > 1)
    scored, grammar = decided(item.proposal, model), decided(item.proposal, None)
    assert [r.killed for r in scored] == [r.killed for r in grammar]
    assert all(0.0 < r.confidence < 1.0 for r in scored)


def test_a_model_for_one_language_never_judges_another(tmp_path, monkeypatch, annotated):
    path = tmp_path / "en.json"
    fit(annotated).save(path)
    monkeypatch.setenv("MARSAD_MODEL", str(path))
    assert default_model("en").info["lang"] == "en" and default_model("en").decides
    assert default_model("ar").lang == "ar"  # the shipped Arabic model, not the English one


def test_eval_folds_command_on_english_gold():
    from marsad.cli import app

    args = ["eval", "--gold", str(EN_GOLD), "--docs", str(need(FAKES)), "--folds", "2", "--json"]
    cv = CliRunner().invoke(app, args)
    assert cv.exit_code == 0, cv.output
    result = json.loads(cv.output)
    assert result["pooled"]["documents"] == 22 and result["grammar"]["incidents"]["gold"] == 34
