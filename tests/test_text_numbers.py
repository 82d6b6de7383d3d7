"""Number expressions -> Count (SCHEMA.md low/best/high), on phrases from real reports."""

from __future__ import annotations

import pytest

from marsad.model import Count
from marsad.text.normalize import fold_plain
from marsad.text.numbers import find_numbers


def counts(text: str) -> list[tuple[int | None, Count]]:
    return [(n.value, n.count) for n in find_numbers(fold_plain(text))]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("وصل إلى 1362 قتيلا", 1362),
        ("وصل إلى ١٣٦٢ قتيلا", 1362),
        ("1,362 قتيلا", 1362),
        ("مقتل أربعة جنود", 4),
        ("أربع نساء", 4),
        ("اثنان من القوات", 2),
        ("اثنين من القتلى", 2),
        ("ثلاثة عشر عنصرا", 13),
        ("خمسة وعشرون مدنيا", 25),
        ("مئة وخمسون", 150),
        ("ثلاثمائة شخص", 300),
        ("ألفين", 2000),
        ("ثلاثة آلاف", 3000),
        ("أكثر من 350 ألف قتيل", 350000),
        ("نصف مليون قتيل", 500000),
        ("الخمسة عشر الموالين", 15),
        ("أحد عشر", 11),
    ],
)
def test_figures(text, value):
    assert counts(text)[0][0] == value


def test_qualifiers_follow_schema():
    assert counts("ما لا يقل عن 24 قتيلا")[0][1] == Count(24, 24, None)
    assert counts("أكثر من ستين مدنيا")[0][1] == Count(60, 60, None)
    assert counts("38 قتيلا على الأقل")[0][1] == Count(38, 38, None)
    assert counts("نحو 1365 قتيلاً")[0][1] == Count(None, 1365, None)
    assert counts("حوالي 80 مدنيا")[0][1] == Count(None, 80, None)
    assert counts("ما يصل إلى 20 شخصا")[0][1] == Count(None, 20, 20)


def test_vague_quantities_are_ranges_without_best():
    assert counts("مقتل العشرات")[0][1] == Count(20, None, 99)
    assert counts("مئات الجرحى")[0][1] == Count(200, None, 999)
    assert counts("عشرات الآلاف من المدنيين")[0][1] == Count(20000, None, 99999)


def test_weekday_and_definite_numbers_are_not_figures():
    # "يوم الاثنين" is Monday, "الثلاث سنوات" is "the three years": not counts.
    assert counts("قتلوا يوم الاثنين") == []
    assert [v for v, _ in counts("خلال الثلاث سنوات الأخيرة")] == []
    assert counts("11.9 في المئة") == []


def test_ranges_are_low_and_high():
    assert counts("تراوحت بين 40 و70 قتيلا") == [(40, Count(40, None, 70))]
    assert counts("من 40 إلى 70 قتيلا")[0][1] == Count(40, None, 70)
    # Two figures joined by "و" without "بين" are two figures ("6 جنود و4 مدنيين").
    assert [c for _, c in counts("مقتل 6 جنود و4 مدنيين")] == [Count(6, 6, None), Count(4, 4, None)]


def test_number_words_joined_by_wa_are_compounds_only_in_descending_order():
    # "ما بين مئة ومئتي قتيل" (SK-middleEast-610-20180327) is a range, not 300.
    assert counts("ما بين مئة ومئتي قتيل") == [(100, Count(100, None, 200))]
    assert counts("بين عشرة وعشرين")[0][1] == Count(10, None, 20)
    assert [v for v, _ in counts("ألف وثلاثمئة واثنين وستين")] == [1362]
    assert [v for v, _ in counts("مئة وخمسة عشر")] == [115]
    assert [v for v, _ in counts("ثلاثمئة وخمسة وعشرون")] == [325]


def test_number_word_with_the_conjunction_is_a_figure():
    # "قتل 16 طفلا وأربع نساء" (FR-internationalNews-534-20180320): 16, then 4.
    assert [v for v, _ in counts("قتل 16 طفلا وأربع نساء")] == [16, 4]
    assert [v for v, _ in counts("عشرين وثلاثين قتيلا")] == [20, 30]


def test_number_word_after_the_preposition_ba_is_read_whole():
    # "… قتلوا يوم أمس في قندهار يقدر بأحد عشر طفلا" (ANT corpus): 11, where "عشر" alone read 10.
    assert [v for v, _ in counts("يقدر بأحد عشر طفلا")] == [11]
    assert [v for v, _ in counts("قبل موعد ذلك العشاء بخمسة أشهر")] == [5]
    assert counts("بخمسةَ عشر مليار دولار") == counts("خمسة عشر مليار دولار")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # SK-middleEast-1189: "أسفرت الحرب السورية عن مقتل أكثر من ألف و300 شخص من أبناء المخيم".
        ("أكثر من ألف و300 شخص", [(1300, Count(1300, 1300, None))]),
        ("مئة و20 قتيلا", [(120, Count(120, 120, None))]),
        # Not when the digits are no smaller part of the word's figure, nor a range or two years.
        ("بين 100 و200", [(100, Count(100, None, 200))]),
        ("عامي 2011 و2012", [(2011, Count(2011, 2011, None)), (2012, Count(2012, 2012, None))]),
    ],
)
def test_number_word_and_digits_joined_by_wa(text, expected):
    assert counts(text) == expected
