"""Date phrases resolved against the publication date."""

from __future__ import annotations

from datetime import date

from marsad.text.dates import find_dates
from marsad.text.normalize import fold_plain

PUBLISHED = date(2018, 4, 7)  # a Saturday


def dates(text: str, published: date | None = PUBLISHED):
    return [(d.value, d.precision) for d in find_dates(fold_plain(text), published)]


def test_relative_days():
    assert dates("قتل فجر اليوم") == [(date(2018, 4, 7), "day")]
    assert dates("مساء أمس") == [(date(2018, 4, 6), "day")]
    assert dates("أول أمس") == [(date(2018, 4, 5), "day")]


def test_weekdays_are_the_last_such_day_on_or_before_publication():
    assert dates("استأنفت قوات النظام، الجمعة، قصف المدينة") == [(date(2018, 4, 6), "day")]
    assert dates("يوم الاثنين") == [(date(2018, 4, 2), "day")]
    assert dates("السبت الماضي") == [(date(2018, 3, 31), "day")]
    assert dates("جددت، السبت، استهداف دوما") == [(date(2018, 4, 7), "day")]


def test_explicit_dates_standard_and_levantine_months():
    assert dates("منذ 24 مارس من العام 2019 وحتى الآن", None) == [(date(2019, 3, 24), "day")]
    assert dates("في 18 شباط/فبراير") == [(date(2018, 2, 18), "day")]
    assert dates("٢٤ آذار") == [(date(2018, 3, 24), "day")]
    assert dates("في 16 مارس/آذار 1988") == [(date(1988, 3, 16), "day")]


def test_month_and_year_precision():
    assert dates("في كانون الثاني 2018") == [(date(2018, 1, 1), "month")]
    assert dates("سيطر التنظيم على الموصل عام 2014") == [(date(2014, 1, 1), "year")]


def test_a_casualty_figure_is_not_a_year():
    assert dates("وصل إلى 1362 قتيلا") == []


def test_ordinal_days_and_bare_months():
    assert dates("وأدت ضربة في التاسع من أبريل إلى مقتل", date(2018, 5, 9)) == [(date(2018, 4, 9), "day")]
    # A day after the publication date is last year's (dates of past events).
    assert dates("في التاسع من أبريل") == [(date(2017, 4, 9), "day")]
    assert dates("في السابع من فبراير/شباط") == [(date(2018, 2, 7), "day")]
    # A bare month after "في/منذ" is that month of the last year that had it.
    assert dates("منذ أواخر نوفمبر/تشرين الثاني") == [(date(2017, 11, 1), "month")]
    # "The second week of February" is not the 2nd of February.
    assert all(p != "day" for _, p in dates("في الأسبوع الثاني من شهر شباط/فبراير الحالي"))


def test_relative_weeks_have_week_precision():
    assert dates("الغارة الأمريكية على دير الزور الأسبوع الماضي") == [(date(2018, 3, 31), "week")]


def test_calendar_answers_as_dateparser_does_for_a_day_and_month():
    """The calendar shortcut of text.dates gives what dateparser (preferring the past) would, for every
    month name of the lexicon, around the publication date and across leap years."""
    from marsad.text.dates import _dateparser, _latest, _patterns

    pats = _patterns()
    checked = 0
    for published in (date(2018, 4, 7), date(2016, 2, 29), date(2017, 1, 1)):
        for word, month in pats.month_num.items():
            for day in (1, 7, 8, 28, 29, 30, 31):
                latest = _latest(month, day, published)
                parsed = _dateparser(f"{day} {word}", published)
                if latest is not None and parsed is not None and (parsed.month, parsed.day) == (month, day):
                    assert latest == parsed, (word, day, published)
                    checked += 1
    assert checked > 300  # dateparser reads most of the lexicon's month names
