"""Rules from the second audit of reports outside the dev gold, each on the real text that showed it.

Same conventions as test_extract_phenomena: a sentence (or a paragraph, a line of the report) is
taken from its report by a phrase and extracted alone with the report's publication date.
"""

from __future__ import annotations

from marsad.extract import extract
from marsad.geo import default_resolver
from marsad.model import Document
from test_extract_phenomena import incidents, sentence


def paragraph(corpus, doc_id: str, phrase: str) -> Document:
    doc = corpus[doc_id]
    line = next((ln for ln in doc.text.split("\n") if phrase in ln), None)
    assert line is not None, f"{phrase!r} not in {doc_id}"
    return Document(doc_id=doc_id, text=line.strip(), published=doc.published)


def _by_figure(recs) -> dict[int, str]:
    return {r.killed.best: r.kind for r in recs if r.killed is not None}


def test_figures_continuing_a_period_opened_in_the_sentence_before_are_tallies(corpus):
    # "ومنذ بدء هجومها، تمكنت القوات التركية … وقتل 252 من الفصائل … كما قتل 149 مدنيا"
    doc = paragraph(corpus, "FR-middleEast-95-20180303", "ومنذ بدء هجومها")
    kinds = _by_figure(extract(doc))
    assert kinds[252] == "tally" and kinds[149] == "tally"


def test_a_figure_after_a_sentence_without_a_period_frame_stays_an_incident(corpus):
    # The same report: "قتل 36 مقاتلا … جراء غارات تركية" follows a sentence that opens no period.
    kinds = _by_figure(extract(corpus["FR-middleEast-95-20180303"]))
    assert kinds[36] == "incident"
    assert kinds[252] == "tally"


def test_relatives_counted_in_an_earlier_figure_are_not_a_new_incident(corpus):
    # "قتلوا … 7 أشخاص … مشيرا إلى أنه بين الضحايا مختار القرية إلى جانب اثنين من أبنائه"
    figures = [r.killed.best for r in incidents(corpus["SK-middleEast-248-20180312"])]
    assert 7 in figures and 2 not in figures


def test_owner_phrase_of_several_words_before_the_verb(corpus):
    # "قال المرصد السوري إن ستة أشخاص من حلفاء النظام غير السوريين قتلوا في انفجار بمدينة الميادين"
    doc = sentence(corpus, "CN-middleEast-1098-20180604", "غير السوريين قتلوا")
    [rec] = incidents(doc)
    assert rec.killed.best == 6 and rec.location is not None and rec.location.admin1 == "Deir-ez-Zor"


def test_a_repeated_title_after_a_singular_noun_counts_two(corpus):
    # "حيث قُتل اللواء عماد عدنان إبراهيم واللواء يوسف محمد علي خلال اشتباكات عنيفة"
    doc = sentence(corpus, "SK-middleEast-2703-20180702", "واللواء يوسف")
    assert [r.killed.best for r in incidents(doc)] == [2]


def test_documented_fighters_in_a_sentence_about_losses_are_killed(corpus):
    # "سقوط خسائر بشرية من الجانبين، إذ وثق المرصد السوري 6 مقاتلين على الأقل … لإصابة أكثر من 22"
    doc = sentence(corpus, "SK-middleEast-1317-20180429", "وثق المرصد السوري 6")
    [rec] = incidents(doc)
    assert rec.killed.best == 6 and rec.wounded is not None and rec.wounded.low == 22


def test_documented_objects_or_families_are_not_casualties(corpus):
    # "حيث أحصى أكثر من 35 غارة منذ الصباح"; "ووثقت المنظمة حالات 4 أسر … أوقعت قتلى ومصابين"
    for doc_id, phrase in (
        ("SK-middleEast-2632-20180628", "أحصى أكثر من 35"),
        ("SK-middleEast-2158-20180605", "4 أسر"),
    ):
        assert extract(sentence(corpus, doc_id, phrase)) == []


def test_common_nouns_are_not_places(corpus):
    # "في غارات تركية على قريتين شمال غرب عفرين" is Afrin (Aleppo), not Al-Qaryatayn (Homs);
    # "بانفجار داخل عمارة سكنية" in Tal Afar is not Al-Amarah (Maysan).
    doc = sentence(corpus, "FR-middleEast-95-20180303", "على قريتين")
    # A two-day toll ("يومي الخميس والجمعة"): a tally, whose places are its regions.
    assert {loc.admin1 for r in extract(doc) for loc in ([r.location] if r.location else r.regions)} == {"Aleppo"}
    doc = corpus["JA-internationalNews-580-20170326"]
    assert "Maysan" not in {r.location.admin1 for r in extract(doc) if r.location}


def test_the_definite_place_names_still_resolve():
    places = default_resolver()
    found = {m.text: m.location.admin1 for m in places.find("سيطر التنظيم على القريتين وقتلى في العمارة")}
    assert found == {"القريتين": "Homs", "العمارة": "Maysan"}
    assert places.find("منظمة أطباء بلا حدود") == [] and places.find("علاقاته بحركة طالبان") == []


def test_a_period_total_continued_in_the_next_sentences_gives_tallies(corpus):
    # "أكثر من 1500 مقاتل كردي لقوا حتفهم منذ بدء الهجوم التركي … ووثق المرصد في المقابل مقتل أكثر
    # من 400 عنصر … كما أعلن الجيش التركي حتى الآن عن مقتل 46 من جنوده" (one line each).
    kinds = _by_figure(extract(corpus["FR-middleEast-175-20180318"]))
    assert kinds[400] == "tally" and kinds[46] == "tally"


def test_a_dated_strike_after_a_period_sentence_stays_an_incident(corpus):
    # "ومنذ بدء النزاع في سوريا في 2011، قصفت إسرائيل مرارا … وقتل 26 مسلحا … جراء ضربات صاروخية
    # استهدفت في نهاية نيسان/أبريل"; "الأكثر دموية … منذ الهجوم الانتحاري" is a comparison.
    assert _by_figure(extract(corpus["FR-middleEast-427-20180508"]))[26] == "incident"
    assert _by_figure(extract(corpus["SK-middleEast-981-20180412"]))[16] == "incident"


def test_a_percentage_is_not_a_count(corpus):
    # "أن نحو 85 في المئة من الضحايا قتلتهم قوات الحكومة وحلفاؤها"
    recs = extract(corpus["SK-middleEast-243-20180312"])
    assert recs and not [r for r in recs if r.killed and 85 in (r.killed.low, r.killed.best)]


def test_a_second_source_without_victims_widens_the_same_event(corpus):
    # The monitor's "11 شخصا بينهم أربعة أطفال توفوا" and the White Helmets' "الحصيلة الأولية 40 شهيدا".
    [rec] = incidents(corpus["FR-internationalNews-610-20180408"])
    assert (rec.killed.low, rec.killed.best, rec.killed.high) == (11, 11, 40) and rec.victim_group == "civilians"


def test_owner_right_after_a_bare_figure_is_the_victim_group(corpus):
    # "و39 من الجيش السوري قتلوا في المواجهات" is not merged with the 14 civilians of the same day and place.
    recs = {r.killed.best: r for r in incidents(corpus["BB-middleEast-661-20180627"])}
    assert recs[39].victim_group == "syrian_government" and recs[14].victim_group == "civilians"


def test_the_toll_of_a_campaign_or_of_the_war_is_a_tally(corpus):
    # "وارتفعت بذلك حصيلة قتلى العملية العسكرية في محافظة درعا إلى 162 مدنيا"; "وقتل في النزاع السوري
    # أكثر من 200 صحفي": totals, while the day's "مقتل أربعة مدنيين في غارات" stays an incident.
    kinds = _by_figure(extract(corpus["SK-middleEast-2798-20180708"]))
    assert kinds[162] == "tally" and kinds[4] == "incident"
    assert _by_figure(extract(corpus["BB-middleEast-322-20180410"])) == {200: "tally"}


def test_a_feminine_singular_fighter_is_one_killed(corpus):
    # "أعلنت وحدات حماية المرأة الكردية الاثنين مصرع مقاتلة بريطانية شاركت بالمعارك"
    doc = sentence(corpus, "FR-middleEast-181-20180319", "مصرع مقاتلة بريطانية")
    assert [r.killed.best for r in extract(doc)] == [1]
