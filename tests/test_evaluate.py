"""Scoring: matching rules, field accuracy, silence, and the `marsad eval` command on real gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from marsad.evaluate import count_match, evaluate, match
from marsad.model import Count, Location, Record

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "gold"


def gold_incident(best, admin1=None, high=None, **kw):
    return {
        "kind": "incident",
        "killed": {"low": best, "best": best, "high": high},
        "location": {"admin1": admin1},
        **kw,
    }


def test_count_match_levels():
    assert count_match(Count(40, 40, None), Count(40, 40, None)) == 2
    assert count_match(Count(1362, 1362, 1365), Count(None, 1365, None)) == 1  # inside gold's range
    assert count_match(Count(50, 50, None), Count(20, None, 99)) == 1  # inside a vague range
    assert count_match(Count(40, 40, None), Count(41, 41, None)) == 0
    assert count_match(None, Count(4, 4, None)) == 0


def test_match_requires_admin1_only_where_gold_has_one():
    gold = [gold_incident(10, "Aleppo"), gold_incident(5)]
    system = [gold_incident(5, "Homs"), gold_incident(10, "Idleb")]
    assert match(gold, system) == [(1, 0)]
    assert sorted(match(gold, system, use_admin1=False)) == [(0, 1), (1, 0)]


def test_match_prefers_exact_figures_over_ranges():
    gold = [gold_incident(30)]
    system = [gold_incident(25, high=40), gold_incident(30)]
    assert match(gold, system) == [(0, 1)]


def test_evaluate_scores_fields_and_silence():
    gold = [
        {
            "doc_id": "a",
            "incidents": [
                gold_incident(40, "Rural Damascus", perpetrator="syrian_government", date="2018-04-06"),
                {"kind": "tally", "killed": {"low": 500, "best": 500, "high": None}},
                {"kind": "incident", "killed": None, "location": {"admin1": "Idleb"}},  # not a casualty incident
            ],
        },
        {"doc_id": "b", "incidents": []},
        {"doc_id": "c", "incidents": []},
    ]
    hit = Record(
        doc_id="a",
        killed=Count(40, 40, None),
        perpetrator="syrian_government",
        date="2018-04-07",
        location=Location(admin1="Rural Damascus"),
    )
    spurious = Record(doc_id="a", killed=Count(3, 3, None))
    tally = Record(doc_id="a", kind="tally", killed=Count(500, 500, None))
    noise = Record(doc_id="c", killed=Count(2, 2, None))
    result = evaluate(gold, {"a": [hit, spurious, tally], "b": [], "c": [noise]})
    inc = result["incidents"]
    # The noise on report c is a spurious incident too.
    assert (inc["tp"], inc["gold"], inc["system"]) == (1, 1, 3)
    assert inc["precision"] == pytest.approx(1 / 3) and inc["recall"] == 1.0
    assert result["accuracy"]["perpetrator"] == 1.0
    assert result["accuracy"]["date"] == 1.0  # within one day
    assert result["accuracy"]["admin1"] == 1.0
    assert result["tallies"]["f1"] == 1.0
    assert result["silent_on_no_incident"] == 0.5
    assert [(e["doc_id"], e["type"]) for e in result["errors"]] == [("a", "spurious"), ("c", "spurious")]


def test_eval_command_on_the_seed(seed_path):
    gold = GOLD / "seed_gold.jsonl"
    if not gold.exists():
        pytest.skip(f"gold not found at {gold}")
    from marsad.cli import app

    out = CliRunner().invoke(app, ["eval", "--gold", str(gold), "--docs", str(seed_path), "--json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert result["documents_found"] == 1
    assert result["incidents"]["f1"] == 1.0
    assert result["tallies"]["f1"] == 1.0
    assert result["accuracy"]["perpetrator"] == 1.0 and result["accuracy"]["admin1"] == 1.0


def test_admin1_accuracy_is_judged_on_pairs_matched_by_count_alone():
    gold = [{"doc_id": "a", "incidents": [gold_incident(12, "Idleb"), gold_incident(7, "Aleppo")]}]
    wrong_place = Record(doc_id="a", killed=Count(12, 12, None), location=Location(admin1="Hama"))
    right_place = Record(doc_id="a", killed=Count(7, 7, None), location=Location(admin1="Aleppo"))
    result = evaluate(gold, {"a": [wrong_place, right_place]})
    assert result["incidents"]["tp"] == 1 and result["incidents_count_only"]["tp"] == 2
    assert result["accuracy"]["admin1"] == 0.5 and result["accuracy_support"]["admin1"] == 2
