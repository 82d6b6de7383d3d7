"""Fuzzing every reader and the extractor: hostile input gives a Document or a SourceError (the
documented error, naming file and line), never another exception; extraction never fails and its
figures are exact integers a database column holds.

Bounded for CI (about 20 s in all); `python benchmarks/fuzz.py --count 20000` runs the same
properties on 20,000 inputs.
"""

from __future__ import annotations

import io
import os
import time

from hypothesis import HealthCheck, Phase, given, settings

from fuzz_inputs import csv_file, html_page, jsonl_file, published_dates, report_text
from marsad.extract import extract
from marsad.model import Document
from marsad.sources import SourceError, read_path
from marsad.sources.html import read_html
from marsad.sources.tabular import EARLIEST_PUBLISHED, LATEST_PUBLISHED, FieldMap, read_csv, read_jsonl
from marsad.text.numbers import MAX_FIGURE

# Examples per property; FUZZ_EXAMPLES raises it (benchmarks/fuzz.py sets it per run).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the machine is shared; time per input is checked below instead
    database=None,
    # No shrinking: a failure is reported as found, and CI time stays bounded even then.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
SECONDS_PER_INPUT = 5.0  # the bound for any input of 1 MB or less


def check_documents(items: list) -> None:
    for item in items:
        if isinstance(item, SourceError):
            assert item.path and item.message
            continue
        assert isinstance(item, Document)
        for value in (item.text, item.raw_text, item.doc_id, item.title, item.url, item.outlet):
            if value is not None:
                value.encode("utf-8")  # storable: no lone surrogates left
        assert item.published is None or EARLIEST_PUBLISHED <= item.published < LATEST_PUBLISHED
        assert len(item.doc_id) <= 300 and item.content_hash


def check_records(doc: Document) -> None:
    started = time.process_time()
    records = extract(doc)
    assert time.process_time() - started < SECONDS_PER_INPUT
    for record in records:
        for count in (record.killed, record.wounded, record.killed_or_wounded):
            for value in (count.low, count.best, count.high) if count else ():
                assert value is None or (type(value) is int and 0 <= value <= MAX_FIGURE)
        for span in record.evidence:
            assert doc.text[span.start : span.end] == span.text


@FUZZ
@given(jsonl_file())
def test_jsonl_reader(content):
    check_documents(list(read_jsonl(io.StringIO(content), "fuzz.jsonl", FieldMap())))


@FUZZ
@given(csv_file())
def test_csv_reader(content):
    check_documents(list(read_csv(io.StringIO(content, newline=""), "fuzz.csv", FieldMap())))


@FUZZ
@given(html_page())
def test_html_reader(page):
    try:
        check_documents([read_html(page, "fuzz.html", "fuzz")])
    except SourceError as err:
        assert err.message


@settings(FUZZ, max_examples=max(10, EXAMPLES // 3))
@given(report_text(20))
def test_every_reader_by_file(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("fuzz")
    raw = text.encode("utf-8", "surrogatepass")  # lone surrogates as bytes: not UTF-8
    for suffix in (".txt", ".html", ".jsonl", ".csv", ".unknown"):
        path = folder / f"report{suffix}"
        path.write_bytes(raw)
        check_documents(list(read_path(str(path))))


@FUZZ
@given(report_text(), published_dates())
def test_extractor(text, published):
    text = text.encode("utf-8", "replace").decode("utf-8")  # as the readers hand it on
    check_records(Document(doc_id="fuzz", text=text, published=published))
