"""Spurious records and misplaced ones (issue 10), on real reports of the ANT corpus."""

from __future__ import annotations

from marsad.extract import extract


def test_a_later_sentence_with_its_own_toll_lends_no_place(corpus):
    # "… 16 شخصا حتفهم … بانفجار عبوة ناسفة خلال تشييع" is in a village of Salah al-Din; the next
    # sentence compares it with "الهجوم الانتحاري المزدوج الذي أوقع 31 قتيلا ببغداد": Baghdad is that toll's.
    recs = [r for r in extract(corpus["SK-middleEast-981-20180412"]) if r.killed and r.killed.best == 16]
    [rec] = recs
    assert rec.location is not None and rec.location.country == "IQ"
    assert rec.location.admin1 != "Baghdad"


def test_another_sources_toll_in_a_sentence_of_its_own_is_the_same_event(corpus):
    # "قتل أكثر من 200 …" (Russian sources), then "ونقلت الوكالة عن مسؤولين أمريكيين أن حوالي 100
    # مسلح لقوا حتفهم في الهجوم": no place, date or new event of its own, so one strike, two accounts.
    recs = [r for r in extract(corpus["BB-middleEast-12-20180215"]) if r.kind == "incident" and r.killed]
    strike = [r for r in recs if r.killed.best in (100, 200)]
    assert len(strike) == 1
    assert (strike[0].killed.low, strike[0].killed.best) == (100, 200)
    assert strike[0].location.admin1 == "Deir-ez-Zor"


def test_the_base_a_strike_was_launched_from_is_not_its_place(corpus):
    # "استهداف طائرات عسكرية سورية، انطلقت من مطار الشعيرات، بلدة خان شيخون في إدلب … مقتل 87":
    # Shayrat (Homs) is where the jets took off; the 87 died in Khan Sheikhoun, Idlib.
    recs = [r for r in extract(corpus["JA-internationalNews-745-20170407"]) if r.killed and r.killed.best == 87]
    [rec] = recs
    assert rec.location is not None and rec.location.admin1 == "Idleb"


def test_a_killing_that_only_could_happen_is_no_record(corpus):
    # Trump's tweet on Idlib, quoted: "سوف يقترف الروس والإيرانيون خطأ إنسانيا خطيرا إذا شاركوا …، حيث
    # يمكن يجري قتل مئات الآلاف من الناس": "يمكن" (can, may) makes it a possibility, not a toll.
    for doc_id in ("SK-middleEast-3624-20180911", "CN-middleEast-1283-20180904"):
        assert not [r for r in extract(corpus[doc_id]) if r.killed and (r.killed.low or 0) >= 200000]


def test_an_entry_of_a_chronology_without_a_year_is_of_the_year_before_it(corpus):
    # "أبرز الغارات الإسرائيلية على سوريا خلال عقد": "30 يناير 2013: …", then "3 و5 مايو: إسرائيل تشن
    # غارتين قرب دمشق … . وقتل 42 جنديا سوريا على الأقل في هذا القصف": May 2013, not May of the report's year.
    # The entry of this year keeps its toll ("9 أبريل 2018: … موقعة 14 قتيلاً").
    recs = extract(corpus["SK-middleEast-896-20180410"])
    figures = {r.killed.best for r in recs if r.killed}
    assert 42 not in figures
    assert 14 in figures
