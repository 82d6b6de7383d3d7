"""Readers on real reports: the seed's scraped text, the ANT JSONL, HTML pages, CSV, broken input."""

from __future__ import annotations

import io
import json

from marsad.sources import FieldMap, SourceError, read_path, read_sources


def only_documents(items):
    return [item for item in items if not isinstance(item, SourceError)]


def test_seed_text_is_split_into_title_body_outlet_and_attribution(seed_path):
    (doc,) = only_documents(read_sources([str(seed_path)]))
    assert doc.doc_id == seed_path.stem
    assert doc.title.startswith("نحو 1365 قتيلاً")
    assert doc.outlet == "ليفانت"
    assert doc.attribution == "المرصد السوري لحقوق الإنسان"
    assert doc.text.startswith(doc.title + "\n\n")
    # The link line is dropped but the paragraph after it is body; the furniture after the source is not.
    assert "اقرأ المزيد" not in doc.text
    assert "أنتوني بلينكن" in doc.text
    for furniture in ("ليفانت- وكالات", "قد تحب أيضا", "منشورات شائعة", "اشترك في قائمتنا", "كاريكاتير"):
        assert furniture not in doc.text
    assert doc.raw_text.endswith("الجديدة!")


def test_ant_jsonl_rows_become_documents_with_ids_and_dates(ant_path):
    docs = only_documents(read_path(str(ant_path)))
    assert len(docs) == sum(1 for line in ant_path.open(encoding="utf-8") if line.strip())
    first = json.loads(ant_path.open(encoding="utf-8").readline())
    assert docs[0].doc_id == first["docno"]
    assert docs[0].published.isoformat() == first["published_iso"][:10]
    assert docs[0].title == first["title"]
    assert docs[0].text.endswith(first["text"].strip())
    assert docs[0].source_path.endswith(":1")


def test_broken_jsonl_line_is_reported_with_file_and_line_and_the_rest_is_read(tmp_path, ant_rows):
    bad = tmp_path / "mixed.jsonl"
    listed = json.dumps({**json.loads(ant_rows[2]), "source": ["BBC", "CNN"]}, ensure_ascii=False)
    bad.write_text("\n".join([ant_rows[0], '{"text": "unterminated', ant_rows[1], '{"title": "no text"}', listed]))
    items = list(read_path(str(bad)))
    errors = [i for i in items if isinstance(i, SourceError)]
    assert len(only_documents(items)) == 2
    assert [(e.line, e.path) for e in errors] == [(2, str(bad)), (4, str(bad)), (5, str(bad))]
    assert "must be text" in errors[2].message
    assert f"{bad}:2" in str(errors[0])


def test_csv_columns_are_mapped_by_name(tmp_path, ant_rows):
    rows = [json.loads(line) for line in ant_rows[:3]]
    path = tmp_path / "reports.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        import csv

        writer = csv.writer(handle)
        writer.writerow(["ident", "headline", "body", "when"])
        for row in rows:
            writer.writerow([row["docno"], row["title"], row["text"], row["published"]])
    docs = only_documents(read_path(str(path), FieldMap(id="ident", text="body", published="when")))
    assert [d.doc_id for d in docs] == [r["docno"] for r in rows]
    assert docs[0].title == rows[0]["title"]  # "headline" is a default title field
    assert docs[2].published.isoformat() == rows[2]["published_iso"][:10]


def test_html_page_keeps_the_article_and_drops_comments_and_navigation(tmp_path, ant_rows):
    row = json.loads(next(r for r in ant_rows if "قتل" in json.loads(r)["text"]))
    paragraphs = "".join(f"<p>{p}</p>" for p in row["text"].split("\n") if p.strip())
    html = f"""<html lang="ar" dir="rtl"><head><title>{row["title"]}</title>
    <meta property="og:site_name" content="Sky News Arabia">
    <meta property="article:published_time" content="{row["published_iso"]}"></head>
    <body><nav><a href="/">الرئيسية</a> <a href="/sport">رياضة</a></nav>
    <article><h1>{row["title"]}</h1>{paragraphs}</article>
    <section id="comments" class="comments"><div class="comment"><p>تعليق زائر: هذا خبر مزيف تماما ولا أصدقه</p>
    </div></section></body></html>"""
    page = tmp_path / "story.html"
    page.write_text(html, encoding="utf-8")
    (doc,) = only_documents(read_path(str(page)))
    assert doc.title == row["title"]
    assert doc.published.isoformat() == row["published_iso"][:10]
    assert doc.outlet == "Sky News Arabia"
    first_paragraph = next(p for p in row["text"].split("\n") if p.strip()).strip()
    assert first_paragraph[:40] in doc.text
    assert "تعليق زائر" not in doc.text
    assert "رياضة" not in doc.text


def test_directories_are_read_recursively_and_stdin_is_sniffed(tmp_path, seed_path, ant_rows, monkeypatch):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "seed.txt").write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "a" / "two.jsonl").write_text("\n".join(ant_rows[:2]), encoding="utf-8")
    (tmp_path / "a" / "notes.bin").write_bytes(b"\x00\x01")
    assert len(only_documents(read_sources([str(tmp_path)]))) == 3
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(ant_rows[:2])))
    assert len(only_documents(read_sources(["-"]))) == 2


def test_unreadable_files_are_errors_not_crashes(tmp_path):
    binary = tmp_path / "broken.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    missing = tmp_path / "missing.txt"
    errors = [i for i in read_sources([str(binary), str(missing)]) if isinstance(i, SourceError)]
    assert [e.path for e in errors] == [str(binary), str(missing)]
    assert "UTF-8" in errors[0].message
