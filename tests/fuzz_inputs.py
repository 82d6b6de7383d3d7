"""Hypothesis strategies for hostile reports: what a scraper of hundreds of sites will meet.

Shared by tests/test_fuzz.py (bounded, in CI) and benchmarks/fuzz.py (20,000 inputs on demand).
Words come from the lexicons' own vocabulary so that the extractor's rules actually fire.
"""

from __future__ import annotations

import json
from datetime import date

from hypothesis import strategies as st

# Casualty, period, actor, place and qualifier words, as reports write them.
WORDS = [
    "قتل", "مقتل", "قتيلا", "قتلى", "لقوا مصرعهم", "جرحى", "أصيب", "إصابة", "مدنيين", "مدنيا", "أطفال",
    "بينهم", "منهم", "عنصرا", "جنديين", "جندي", "حصيلة", "سابقة", "وفق حصيلة سابقة", "ارتفعت الحصيلة إلى",
    "منذ", "خلال", "عامين", "الأسبوع الماضي", "يوم الخميس", "في 24 آذار/مارس 2019", "عام 1988", "على الأقل",
    "نحو", "أكثر من", "عشرات", "مئات", "آلاف", "خمسة", "وعشرون", "مئة", "ألف", "مليون", "نصف", "بين", "و",
    "غارة", "غارات روسية", "قصف", "تنظيم الدولة الإسلامية", "قوات النظام", "داعش", "التحالف", "الجيش التركي",
    "حلب", "الرقة", "دير الزور", "إدلب", "الموصل", "الغوطة الشرقية", "لم يقتل", "نفى", "حادث سير",
]  # fmt: skip
# Figures: decimal digits of several scripts, digits that are not decimal, huge and malformed ones.
FIGURES = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(str),
    st.integers(min_value=10**9, max_value=10**400).map(str),
    st.sampled_from(["²", "①", "⑳", "½", "٣٠", "۴۵", "༣", "𝟓", "1,362", "3,4", "1.5", "2.25", "1.2.3", "0", "00"]),
    st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩.,", min_size=1, max_size=30),
)
PUNCT = st.sampled_from([" ", " ", " ", "، ", ". ", ": ", "\n", "\n\n", " - ", '"', "(", ")", "..", "؟ "])
ODD = st.characters(codec=None, categories=None, exclude_categories=())  # any code point, surrogates too


def report_text(max_parts: int = 60) -> st.SearchStrategy[str]:
    """Report-like text: lexicon words, figures and punctuation, with a few arbitrary characters."""
    part = st.one_of(st.sampled_from(WORDS), FIGURES, PUNCT, ODD, st.text(max_size=8))
    return st.lists(part, max_size=max_parts).map(lambda parts: " ".join(parts))


def clean_text(max_parts: int = 60) -> st.SearchStrategy[str]:
    """Report text as a reader hands it on: no lone surrogates (readers replace them)."""
    return report_text(max_parts).map(lambda t: t.encode("utf-8", "replace").decode("utf-8"))


PUBLISHED_VALUES = st.one_of(
    st.none(),
    st.dates().map(date.isoformat),
    st.sampled_from(
        [
            "0001-01-01T00:00:00Z",
            "0001-01-01",
            "9999-12-31",
            "1850-01-01",
            "2018-02-30",
            "yesterday",
            "Sun, 06 May 2018 12:41:32 +0400",
            "",
            "2018",
            "99999-01-01",
            "\udfff",
        ]
    ),  # fmt: skip
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**50), max_value=10**50), st.floats(), st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)  # noqa: E501


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@st.composite
def jsonl_line(draw) -> str:
    """One JSONL line: a report object with odd field values, or broken JSON."""
    kind = draw(st.sampled_from(["report", "report", "report", "deep", "huge_int", "garbage", "not_object"]))
    if kind == "deep":
        return '{"text": "قتل 5", "x": ' + _nested(draw(st.integers(min_value=500, max_value=5000))) + "}"
    if kind == "huge_int":
        return '{"text": "قتل 5 مدنيين", "id": ' + "7" * draw(st.integers(min_value=4000, max_value=5000)) + "}"
    if kind == "garbage":
        return draw(st.text(max_size=60)).replace("\n", " ")
    if kind == "not_object":
        return json.dumps(draw(JSON_VALUES))
    row = {
        "text": draw(st.one_of(report_text(), SCALARS, JSON_VALUES)),
        "title": draw(st.one_of(st.none(), report_text(6), SCALARS)),
        "docno": draw(st.one_of(st.none(), st.text(max_size=400), SCALARS)),
        "url": draw(st.one_of(st.none(), st.text(max_size=50), SCALARS)),
        "source": draw(st.one_of(st.none(), st.text(max_size=20), SCALARS)),
        "published": draw(PUBLISHED_VALUES),
    }
    return json.dumps(row)  # ASCII escapes: lone surrogates survive as \udxxx


def jsonl_file() -> st.SearchStrategy[str]:
    return st.lists(jsonl_line(), min_size=1, max_size=4).map("\n".join)


@st.composite
def csv_file(draw) -> str:
    header = draw(st.sampled_from(["text,title,docno,published", "body,date", "text", "a,b,c", ""]))
    rows = draw(st.lists(st.lists(st.one_of(clean_text(8), st.just('"'), st.just("")), max_size=5), max_size=4))
    return header + "\n" + "\n".join(",".join(cells) for cells in rows)


@st.composite
def html_page(draw) -> str:
    body = draw(st.lists(st.one_of(clean_text(20), st.sampled_from([
        "<p>", "</p>", "<div>", "<script>alert(1)</script>", "&#xdfff;", "&#0;", "&#x110000;", "<!--", "<![CDATA[",
        "<meta name='date' content='0001-01-01'>", "<title>", "</title>", "<article>", "<br>", "&amp;", "<<>>",
    ])), max_size=30))  # fmt: skip
    return "<html><head><title>عنوان</title></head><body>" + "".join(body) + "</body></html>"


def published_dates() -> st.SearchStrategy[date | None]:
    """Publication dates as the readers let them through (1900-2199), or none."""
    return st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)))
