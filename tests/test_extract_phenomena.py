"""Each phenomenon of the Arabic casualty register, on real sentences of the ANT corpus.

A sentence is taken from its report by a phrase it contains; the test then extracts from that
sentence alone (as a one-line report with the original publication date), so it tests the rule
and not the rest of the report. Whole-report behaviour is tested at the end.
"""

from __future__ import annotations

import json

from corpus_support import sentence
from marsad.extract import extract
from marsad.model import Document, Record


def incidents(doc: Document) -> list[Record]:
    return [r for r in extract(doc) if r.kind == "incident"]


def test_subset_becomes_victims_not_another_incident(corpus):
    doc = sentence(corpus, "SK-middleEast-831-20180407", "بينهم ثمانية أطفال")
    [rec] = incidents(doc)
    assert rec.killed.best == 40 and rec.victim_group == "civilians"
    assert {(v.group, v.killed.best) for v in rec.victims} == {("civilians", 40), ("children", 8)}


def test_coordinated_figures_add_up_with_nationality(corpus):
    doc = sentence(corpus, "FR-internationalNews-1478-20180527", "إضافة إلى تسعة")
    [rec] = incidents(doc)
    assert rec.killed.best == 35  # 26 of the regime forces + 9 Russians: one statement
    assert rec.perpetrator == "isis"
    groups = {(v.group, v.nationality, v.killed.best) for v in rec.victims}
    assert ("syrian_government", None, 26) in groups and ("russia", "RU", 9) in groups


def test_casualty_verb_after_the_noun_and_weekday_date(corpus):
    recs = [r for r in extract(corpus["BB-middleEast-64-20180220"]) if r.killed and r.killed.best == 127]
    [rec] = recs
    assert rec.killed.best == 127 and rec.victim_group == "civilians"
    assert rec.date == "2018-02-19" and rec.date_precision == "day"  # "يوم الاثنين"
    assert rec.kind == "incident" and rec.location.admin1 == "Rural Damascus"
    doc = sentence(corpus, "BB-middleEast-64-20180220", "127 مدنيا")
    assert all(r.killed.best != 393000 for r in extract(doc))  # "393 ألف نسمة" is population


def test_killed_and_wounded_are_kept_apart(corpus):
    doc = sentence(corpus, "SK-middleEast-3103-20180725", "38 قتيلا على الأقل")
    [rec] = incidents(doc)
    assert (rec.killed.low, rec.killed.best) == (38, 38)
    assert rec.wounded.best == 37


def test_killed_or_wounded_figure_is_never_split(corpus):
    # "بلغ أكثر من 100 قتيل وجريح": one figure for both, kept as killed_or_wounded.
    recs = extract(corpus["SK-middleEast-3103-20180725"])
    combined = [r for r in recs if r.killed_or_wounded is not None]
    assert combined and combined[0].killed_or_wounded.low == 100
    assert all(r.killed is None or r.killed.best != 100 for r in recs)
    assert all(r.wounded is None or r.wounded.best != 100 for r in recs)


def test_singular_noun_is_one_and_age_is_not_a_count(corpus):
    doc = sentence(corpus, "FR-middleEast-283-20180415", "ما أدى لمقتل طفل")
    [rec] = incidents(doc)
    # SCHEMA.md: a child victim is a civilian; the subgroup goes to victims[].
    assert rec.killed.best == 1 and rec.victim_group == "civilians"
    assert [(v.group, v.killed.best) for v in rec.victims] == [("children", 1)]
    assert rec.perpetrator == "pro_government_militias"  # "لإطلاق نار من مسلحين موالين للنظام"


def test_dual_noun_is_two(corpus):
    doc = sentence(corpus, "BB-middleEast-473-20180509", "شخصين قتلا")
    [rec] = incidents(doc)
    assert rec.killed.best == 2
    assert rec.location is not None and rec.location.admin1 == "Damascus"


def test_cumulative_toll_since_a_year_is_a_tally(corpus):
    doc = sentence(corpus, "FR-middleEast-199-20180404", "350 ألف قتيل")
    [rec] = extract(doc)
    assert rec.kind == "tally" and rec.killed.low == 350000


def test_rising_toll_updates_the_incident(corpus):
    # "مقتل تسعة مقاتلين" then "ارتفع إلى 15 على الأقل، من ضمنهم 8 إيرانيين": one incident of 15.
    recs = [r for r in extract(corpus["SK-middleEast-1535-20180509"]) if r.kind == "incident"]
    ghouta = [r for r in recs if r.location and r.location.admin1 == "Rural Damascus"]
    assert [r.killed.low for r in ghouta] == [15]
    assert ghouta[0].perpetrator == "israel"
    assert any(v.nationality == "IR" and v.killed.best == 8 for v in ghouta[0].victims)


def test_no_casualties_stated_gives_nothing(corpus):
    doc = Document(
        doc_id="t",
        text="أطلقت ثلاث قذائف هاون تجاه المنطقة الخضراء المحصنة في بغداد، دون وقوع إصابات.",
        published=None,
    )
    assert extract(doc) == []


def test_background_history_gives_nothing(corpus):
    # The anniversary of Halabja (1988): every figure is history.
    assert extract(corpus["FR-middleEast-166-20180317"]) == []


def test_accident_is_not_an_incident(corpus):
    # "قتل سبعة جنود أميركيين عندما تحطمت مروحيتهم": a crash, not an attack.
    assert extract(corpus["CN-internationalNews-133-20180317"]) == []


def test_headline_and_body_are_one_record(corpus):
    recs = [r for r in extract(corpus["BB-middleEast-593-20180607"]) if r.kind == "incident"]
    assert len(recs) == 1
    assert recs[0].killed.best == 16 and recs[0].location.admin1 == "Baghdad"


def test_evidence_spans_index_the_text_across_the_corpus(corpus):
    checked = 0
    for doc in list(corpus.values())[:300]:
        for rec in extract(doc):
            for ev in rec.evidence:
                assert doc.text[ev.start : ev.end] == ev.text
                checked += 1
            json.dumps(rec.to_dict(), ensure_ascii=False)
    assert checked > 100


def test_age_after_a_singular_noun_is_not_a_count(corpus):
    # "مقتل صبي في الـ 16 من عمره": one boy, aged 16.
    doc = corpus["CN-middleEast-1346-20180911"]
    title = Document(doc_id=doc.doc_id, text=doc.title, title=doc.title, published=doc.published)
    figures = [r.killed.best for r in extract(title) if r.killed]
    assert 16 not in figures


def test_another_sources_figure_is_the_same_event(corpus):
    # "بمقتل 77 مدنيا، بينما يقول المرصد … إن حصيلة القتلى كانت 50 شخصا بينهم 13 طفلا"
    doc = sentence(corpus, "BB-middleEast-64-20180220", "بمقتل 77 مدنيا")
    recs = [r for r in extract(corpus["BB-middleEast-64-20180220"]) if r.killed and r.killed.best in (50, 77)]
    assert len(recs) == 1
    assert (recs[0].killed.low, recs[0].killed.best) == (50, 77)
    assert doc.text  # the sentence is in the report


def test_part_of_an_earlier_figure_is_not_a_new_incident(corpus):
    # "فإن اثنين من القتلى الروس قضوا …، توفي اثنان منهم في وقت لاحق": parts of figures given before.
    doc = sentence(corpus, "FR-internationalNews-1478-20180527", "اثنين من القتلى الروس")
    assert [r for r in extract(doc) if r.killed and r.killed.best == 2] == []


def test_court_sentence_is_not_an_incident(corpus):
    # "قضت المحكمة العسكرية … بإعدام 17 متهما": a trial, not political violence.
    doc = sentence(corpus, "CN-middleEast-1490-20181011", "بإعدام 17")
    assert extract(doc) == []


def test_two_figures_for_one_day_and_place_are_one_record(corpus):
    # "بمقتل أكثر من ستين مدنيا … الثلاثاء" and "أكثر من مئة شخص قد قتلوا … لليوم الثاني":
    # the same Tuesday in the Ghouta by the same forces, so one record spanning both figures.
    recs = [r for r in extract(corpus["BB-middleEast-64-20180220"]) if r.kind == "incident"]
    tuesday = [r for r in recs if r.killed.best == 60]
    assert len(tuesday) == 1 and tuesday[0].killed.high == 100
    assert not [r for r in recs if r.killed.best == 100]
    # A period's start ("منذ تكثيف القصف الحكومي ليل الأحد") is not the date of the next event.
    [six] = [r for r in recs if r.killed.best == 6]
    assert six.date == "2018-02-20"


def test_named_among_the_dead_without_a_figure(corpus):
    # Headline "مقتل 14 مقاتلا من بينهم إيرانيون": Iranians among the 14, their number not given.
    [rec] = [r for r in extract(corpus["FR-middleEast-232-20180409"]) if r.kind == "incident"]
    assert rec.killed.best == 14
    assert [(v.group, v.nationality, v.killed) for v in rec.victims if v.nationality == "IR"] == [("iran", "IR", None)]
