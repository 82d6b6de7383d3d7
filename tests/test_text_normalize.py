"""Folding Arabic for matching, with offsets that map back to the original text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from marsad.text.normalize import fold, fold_plain
from marsad.text.sentences import split


def test_fold_unifies_letter_variants_digits_and_quotes():
    assert fold_plain("أإآٱ") == "اااا"
    assert fold_plain("مدرسةٌ على") == "مدرسه علي"
    assert fold_plain("١٣٦٢ و۱۳۶۲") == "1362 و1362"
    assert fold_plain("«داعش»") == '"داعش"'


def test_fold_drops_diacritics_and_tatweel_and_maps_offsets_back():
    original = "نحو 1365 قتيلاً.. الـ83 الأعضاء، قُتل"
    f = fold(original)
    assert f.text == "نحو 1365 قتيلا.. ال83 الاعضاء، قتل"
    # The span of "قتل" in the folded text points at "قُتل" in the original.
    start = f.text.rindex("قتل")
    s, e = f.span(start, start + 3)
    assert original[s:e] == "قُتل"
    # A span ending on a letter whose tanween was dropped keeps the mark.
    start = f.text.index("قتيلا")
    s, e = f.span(start, start + len("قتيلا"))
    assert original[s:e] == "قتيلاً"


def test_fold_without_dropped_marks_is_identity_mapped():
    f = fold("قتل 11 مدنيا")
    assert f.offsets is None
    assert f.span(4, 6) == (4, 6)


@given(st.text(alphabet="قتلاًٌُـ ١٢أإ.،\n", max_size=40))
def test_every_folded_span_maps_inside_the_original(text):
    f = fold(text)
    for i in range(len(f.text)):
        s, e = f.span(i, i + 1)
        assert 0 <= s < e <= len(text)
        assert fold_plain(text[s:e]) == f.text[i]


def test_sentences_split_on_stops_and_lines_not_decimals():
    text = "قتل 5 مدنيين. وأصيب 11.9 في المئة\nسطر جديد؟ نعم"
    parts = [text[s:e] for s, e in split(text)]
    assert parts == ["قتل 5 مدنيين.", "وأصيب 11.9 في المئة", "سطر جديد؟", "نعم"]
