"""A feed that mixes Arabic and English: language per report, one ingest, the issue's extract commands."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from conftest import DATA, REPO, need
from marsad import store
from marsad.cli import app
from marsad.model import Document
from marsad.sources import read_path
from marsad.sources.language import guess_lang

runner = CliRunner()
FAKES = DATA / "articles" / "fakes_en_dev.csv"
NOTES = REPO / "data" / "notes" / "en_acled_style_notes.jsonl"


def _fakes_rows(n: int) -> list[dict[str, str]]:
    with open(need(FAKES), encoding="utf-8", newline="") as fh:
        return [row for _i, row in zip(range(n), csv.DictReader(fh), strict=False)]


def test_language_is_detected_per_report(ant_rows):
    arabic = json.loads(ant_rows[0])
    english = _fakes_rows(1)[0]
    assert guess_lang(arabic["text"]) == "ar"
    assert guess_lang(english["article_content"]) == "en"
    # A short English headline is English, not one of langid's rarer languages.
    assert guess_lang("51 martyrs from Kefraya and al-Fouaa escorted from Military Hospital in Aleppo") == "en"


def test_a_lang_field_wins_over_detection(tmp_path):
    row = _fakes_rows(1)[0]
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"id": "x", "text": row["article_content"], "lang": "AR"}) + "\n", encoding="utf-8")
    (doc,) = list(read_path(str(path)))
    assert doc.lang == "ar"


def test_a_mixed_feed_ingests_in_one_command_and_every_report_knows_its_language(tmp_path, ant_rows):
    feed = tmp_path / "mixed.jsonl"
    english = _fakes_rows(3)
    lines = [ant_rows[0], ant_rows[1]] + [
        json.dumps({"id": r["unit_id"], "title": r["article_title"], "text": r["article_content"], "date": r["date"]})
        for r in english
    ]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "m.db"
    result = runner.invoke(app, ["ingest", str(feed), "--db", str(db)])
    assert result.exit_code == 0, result.output
    engine = store.connect(str(db))
    with engine.connect() as conn:
        langs = dict(conn.execute(select(store.schema.documents.c.doc_id, store.schema.documents.c.lang)).all())
    assert {langs[r["unit_id"]] for r in english} == {"en"}
    assert sorted(langs.values()).count("ar") == 2
    records = runner.invoke(app, ["incidents", "--db", str(db), "--format", "jsonl"])
    doc_ids = {json.loads(line)["doc_id"] for line in records.output.splitlines() if line.startswith("{")}
    assert doc_ids & {r["unit_id"] for r in english}, "English reports gave no records"


def test_the_issue_csv_command_gives_records_with_traceable_evidence(tmp_path):
    rows = _fakes_rows(8)
    path = tmp_path / "fakes.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = runner.invoke(
        app,
        [
            "extract",
            str(path),
            "--field",
            "id=unit_id",
            "--field",
            "title=article_title",
            "--field",
            "text=article_content",
            "--field",
            "published=date",
            "--format",
            "jsonl",
        ],
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert {r["doc_id"] for r in records} <= {r["unit_id"] for r in rows}
    assert len({r["doc_id"] for r in records}) >= 6
    docs = {d.doc_id: d for d in read_path(str(path)) if isinstance(d, Document)}
    for record in records:
        text = docs[record["doc_id"]].text
        assert all(text[e["start"] : e["end"]] == e["text"] for e in record["evidence"])
        assert record["killed"] or record["wounded"]


def test_the_issue_notes_command(tmp_path):
    result = runner.invoke(app, ["extract", str(NOTES), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    by_doc = {r["doc_id"]: r for r in records}
    assert by_doc["n01"]["killed"]["best"] == 2 and by_doc["n01"]["perpetrator"] == "isis"
    # "On 10 March 2024, …" is the event's day, not a dateline
    assert (by_doc["n01"]["date"], by_doc["n01"]["date_precision"]) == ("2024-03-10", "day")
    assert by_doc["n01"]["location"]["admin1"] == "Deir-ez-Zor"
    assert "n06" not in by_doc  # "Casualties unknown."


@pytest.mark.parametrize("bad", ['{"id": "a", "text": ', '{"id": "b", "title": "no text"}'])
def test_bad_english_rows_are_named_and_the_rest_goes_on(tmp_path, bad):
    path = tmp_path / "notes.jsonl"
    path.write_text(NOTES.read_text(encoding="utf-8").splitlines()[0] + "\n" + bad + "\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--format", "jsonl"])
    assert result.exit_code == 1
    assert "notes.jsonl" in result.output and ":2" in result.output
    assert '"doc_id": "n01"' in result.output


def test_eval_doc_level_scores_a_labelled_csv_and_names_a_bad_row(tmp_path):
    rows = _fakes_rows(12)
    path = tmp_path / "labelled.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = runner.invoke(app, ["eval", "--doc-level", "--gold", str(path), "--docs", str(path), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["overall"]["articles"] == 12 and 0 < scores["overall"]["killed"] <= 1
    rows[3]["nb_civilians"] = "many"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = runner.invoke(app, ["eval", "--doc-level", "--gold", str(path), "--docs", str(path)])
    assert result.exit_code == 1
    message = "".join(result.output.split())
    line = 2 + sum(1 + sum(v.count("\n") for v in r.values()) for r in rows[:3])
    assert f"labelled.csv:{line}:unreadablelabel" in message
