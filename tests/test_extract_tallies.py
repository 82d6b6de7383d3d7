"""Tallies against incidents (issue 10), each on real text of the ANT corpus that shows the pattern.

Same conventions as test_extract_phenomena: a sentence or a line of its report is extracted alone with
the report's publication date, or the whole report when the pattern needs its context.
"""

from __future__ import annotations

from marsad.extract import extract
from test_extract_audit2 import _by_figure, paragraph
from test_extract_phenomena import sentence


def test_the_other_sides_dead_beside_a_period_total_are_a_tally_of_their_own(corpus):
    # "يرتفع إلى 96 عدد عناصر قوات النظام … الذين قتلوا منذ بدء التصعيد مقابل 59 على الأقل من الفصائل"
    doc = sentence(corpus, "FR-internationalNews-2088-20180630", "مقابل 59")
    assert _by_figure(extract(doc)) == {96: "tally", 59: "tally"}


def test_the_other_sides_dead_in_one_clash_add_up(corpus):
    # "أسفر عن مقتل 6 مسلحين موالين للنظام، مقابل 3 من تحرير الشام": one clash, 9 dead. The same
    # sentence calls it "الأعنف على البلدتين منذ نحو 3 سنوات": a comparison, so no tally.
    kinds = _by_figure(extract(corpus["SK-middleEast-2288-20180610"]))
    assert kinds.get(9) == "incident"
    assert 3 not in kinds and 6 not in kinds


def test_a_count_over_a_number_of_days_is_a_tally(corpus):
    # "رفعت عدد قتلى القوات الحكومية إلى 204 خلال 23 يوما"
    doc = paragraph(corpus, "SK-middleEast-809-20180406", "خلال 23 يوما")
    assert _by_figure(extract(doc))[204] == "tally"


def test_a_toll_over_two_named_days_is_a_tally(corpus):
    # "وقتل سبعة متظاهرين يومي الثلاثاء والأربعاء قرب مقر محافظة البصرة": each day is named, the figure
    # counts both.
    doc = sentence(corpus, "SK-middleEast-3534-20180906", "يومي الثلاثاء والأربعاء")
    assert _by_figure(extract(doc)) == {7: "tally"}


def test_since_a_part_of_the_reports_day_or_the_night_before_is_that_days_toll(corpus):
    # "تسببت منذ ليل الجمعة بمقتل 17 عنصرا" (a Saturday report), "قتل 19 … في اشتباكات عنيفة منذ صباح
    # الأحد" (a Sunday report): the clashes of one day, an incident, not a tally since a date.
    assert _by_figure(extract(corpus["FR-internationalNews-2088-20180630"]))[17] == "incident"
    doc = sentence(corpus, "SK-middleEast-50-20180225", "منذ صباح الأحد")
    assert _by_figure(extract(doc)) == {19: "incident"}


def test_since_an_evening_two_days_before_the_report_is_still_a_period(corpus):
    # "ما يرفع حصيلة القتلى الإجمالية إلى 54 مقاتلا على الأقل منذ مساء الخميس" (a Saturday report): two days.
    doc = sentence(corpus, "FR-middleEast-95-20180303", "منذ مساء الخميس")
    assert _by_figure(extract(doc)).get(54) == "tally"


def test_a_toll_since_a_start_dated_long_ago_is_a_tally_not_history(corpus):
    # "وقتل ما لا يقل عن 22 شخصا منذ بداية التظاهرات في البصرة، قبل أن تمتد … في الثامن من يوليو": the
    # date ends the phrase that `منذ بداية` opens, so it starts the period instead of dating an old event.
    doc = sentence(corpus, "BB-middleEast-955-20180906", "منذ بداية التظاهرات")
    assert _by_figure(extract(doc)) == {22: "tally"}
    doc = sentence(corpus, "SK-middleEast-597-20180327", "ومنذ بدء قوات النظام تصعيدها")
    assert _by_figure(extract(doc)) == {1160: "tally"}


def test_an_old_attack_a_superlative_compares_with_stays_history(corpus):
    # "الأكثر دموية في العراق منذ الهجوم الانتحاري المزدوج الذي أوقع 31 قتيلا ببغداد، في 16 يناير الماضي"
    doc = sentence(corpus, "SK-middleEast-981-20180412", "الأكثر دموية في العراق منذ")
    assert 31 not in _by_figure(extract(doc))


def test_a_toll_of_hundreds_without_a_period_word_is_a_tally(corpus):
    # "ويقول المرصد السوري لحقوق الانسان ان التصعيد الاخير اسفر عن مقتل ما لا يقل عن 426 شخصا": an
    # escalation's toll; no single attack of these reports kills that many.
    doc = sentence(corpus, "SK-middleEast-26-20180223", "ما لا يقل عن 426")
    assert _by_figure(extract(doc)) == {426: "tally"}
