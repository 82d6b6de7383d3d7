"""Casualty figures the grammar used to leave unproposed, on real sentences of the ANT corpus.

Each test takes one sentence of a report (by a phrase it contains) and extracts from it alone, with the
report's publication date, so that it tests the construction and not the rest of the report.
"""

from __future__ import annotations

from corpus_support import sentence
from marsad.extract import extract
from marsad.model import Record


def killed(records: list[Record]) -> list[int | None]:
    return [r.killed.best for r in records if r.killed is not None]


def test_qualifier_between_figure_and_its_noun(corpus):
    # "إن 21 على الأقل من المقاتلين الموالين للحكومة السورية قتلوا": "على الأقل" stands between the
    # figure and the noun its verb follows.
    doc = sentence(corpus, "BB-middleEast-994-20180911", "21 على الأقل من المقاتلين")
    [rec] = extract(doc)
    assert rec.kind == "incident" and (rec.killed.low, rec.killed.best) == (21, 21)
    assert rec.victim_group == "pro_government_militias" and rec.perpetrator == "isis"
    # The same construction in another report, read within the whole report.
    assert 8 in killed(extract(corpus["SK-middleEast-3631-20180911"]))  # "8 على الأقل من مسلحي التنظيم قتلوا"


def test_fell_with_a_noun_of_people_is_a_death_toll(corpus):
    # "فيما سقط 132 مدنيا بينهم 25 طفلا": "سقط" before a count of people.
    doc = sentence(corpus, "FR-internationalNews-2110-20180702", "سقط 132 مدنيا")
    [rec] = [r for r in extract(doc) if r.killed is not None and r.killed.best == 132]
    assert rec.victim_group == "civilians"
    assert [(v.group, v.killed.best) for v in rec.victims if v.group == "children"] == [("children", 25)]
    # "بسقوط 26 مقاتلا مواليا لنظام دمشق": the noun form of the verb.
    assert 26 in killed(extract(corpus["FR-middleEast-382-20180430"]))


def test_inflicting_with_a_noun_of_people_is_a_death_toll(corpus):
    # "… على البلدة ذاتها موقعا 14 مدنيا": the attack "inflicting" 14 civilians.
    doc = sentence(corpus, "SK-middleEast-3956-20181019", "موقعا 14 مدنيا")
    [rec] = [r for r in extract(doc) if r.killed is not None]
    assert rec.killed.best == 14 and rec.victim_group == "civilians"
    assert rec.perpetrator == "us_led_coalition"


def test_fallen_rockets_are_no_death_toll(corpus):
    # The same verbs before things, not people: "بينما سقط 16 صاروخا قبل بلوغ الهدف", "بسقوط 3 قذائف هاون".
    assert killed(extract(sentence(corpus, "BB-middleEast-491-20180511", "بينما سقط 16 صاروخا"))) == []
    assert killed(extract(sentence(corpus, "SK-middleEast-3533-20180906", "بسقوط 3 قذائف هاون"))) == []


def test_a_date_between_cue_and_figure_is_not_an_earlier_figure(corpus):
    # "ما رفع الحصيلة منذ 18 فبراير إلى 1002 بينهم 215 طفلا": the date's 18 is no figure of its own,
    # and its words do not count in the cue's window.
    doc = sentence(corpus, "SK-middleEast-218-20180310", "الحصيلة منذ 18 فبراير")
    [tally] = [r for r in extract(doc) if r.kind == "tally"]
    assert tally.killed.best == 1002 and tally.period_start == "2018-02-18"
    # "وقتل الخميس، أيضا وفق المرصد، 8 مدنيين بينهم 3 أطفال في قصف للتحالف الدولي": a weekday too.
    doc = sentence(corpus, "SK-middleEast-2101-20180602", "وفق المرصد، 8 مدنيين")
    [rec] = extract(doc)
    assert (rec.kind, rec.killed.best, rec.perpetrator) == ("incident", 8, "us_led_coalition")
    assert rec.location is not None and rec.location.admin1 == "Deir-ez-Zor"
    # "قتلوا بعد التاسعة من مساء الأحد 7 أشخاص داخل منزل مختار قرية مشيرفة": an hour of the day.
    assert 7 in killed(extract(corpus["SK-middleEast-248-20180312"]))
