"""Rules added after auditing reports outside the dev gold, each on the real sentence that showed it.

Same conventions as test_extract_phenomena: a sentence is taken from its report by a phrase and
extracted alone (with the report's publication date), or the whole report is extracted.
"""

from __future__ import annotations

from datetime import date

from marsad.extract import extract
from marsad.model import Record
from marsad.text.dates import find_dates
from marsad.text.normalize import fold_plain
from test_extract_phenomena import incidents, sentence


def _killed(recs: list[Record], best: int) -> list[Record]:
    return [r for r in recs if r.killed is not None and best in (r.killed.best, r.killed.low)]


# Figures that are not casualties or not news.


def test_displaced_millions_are_not_killed(corpus):
    # "الذي أدى لمقتل مئات الآلاف وتشريد 11 مليون شخص": the war's dead are a tally, the displaced nothing.
    doc = sentence(corpus, "SK-middleEast-26-20180223", "تشريد 11 مليون")
    recs = extract(doc)
    assert [r.killed.low for r in recs] == [200000]
    assert not [r for r in recs if 11_000_000 in (r.killed.low, r.killed.best, r.killed.high)]


def test_displacement_after_a_vague_toll_is_not_a_second_figure(corpus):
    # "عشرات القتلى في غارات على الغوطة الشرقية مع استمرار نزوح آلاف المدنيين"
    doc = sentence(corpus, "FR-middleEast-168-20180317", "نزوح آلاف")
    recs = extract(doc)
    assert [(r.kind, r.killed.low, r.killed.high) for r in recs] == [("incident", 20, 99)]


def test_range_of_number_words_and_attack_of_a_named_month_is_background(corpus):
    # "ورد عليه التحالف بضربة جوية خلفت ما بين مئة ومئتي قتيل": a range, not 300.
    doc = sentence(corpus, "SK-middleEast-610-20180327", "ما بين مئة")
    [rec] = incidents(doc)
    assert (rec.killed.low, rec.killed.best, rec.killed.high) == (100, None, 200)
    # In the whole report that strike is "هجوم شباط/فبراير", six weeks before: history, not news.
    assert incidents(corpus["SK-middleEast-610-20180327"]) == []


def test_a_month_after_an_attack_noun_is_a_date():
    pub = date(2018, 3, 27)
    [d] = find_dates(fold_plain("مماثلة لهجوم شباط/فبراير الذي أسفر عن أكثر من مئة قتيل"), pub)
    assert (d.value, d.precision) == (date(2018, 2, 1), "month")
    assert find_dates(fold_plain("هجوم عنيف على البلدة"), pub) == []


def test_since_that_date_makes_a_tally(corpus):
    # "وقد أكد رسميا مقتل أكثر من 45 من عديد القوات الروسية هناك منذ ذلك التاريخ."
    recs = extract(corpus["BB-middleEast-20-20180214"])
    assert [r.kind for r in _killed(recs, 45)] == ["tally"]
    assert [r.kind for r in _killed(recs, 100)] == ["incident"]  # "قتلت أكثر من 100 مقاتل في ضربات"


def test_previous_toll_named_before_its_figure_is_dropped(corpus):
    # "وكانت حصيلة سابقة للمرصد قد أفادت بمقتل 16 مدنيا": superseded by the 20 told before it.
    doc = sentence(corpus, "FR-internationalNews-534-20180320", "حصيلة سابقة")
    assert extract(doc) == []
    recs = incidents(corpus["FR-internationalNews-534-20180320"])
    assert not [r for r in recs if r.killed.best == 16 and r.perpetrator == "russia"]


# Counts and victims.


def test_number_word_joined_by_wa_adds_to_the_figure(corpus):
    # "قتل 16 طفلا وأربع نساء": 20 dead; children and women are victims[], the group is civilians.
    doc = sentence(corpus, "FR-internationalNews-534-20180320", "قتل 16 طفلا وأربع")
    [rec] = incidents(doc)
    assert rec.killed.best == 20 and rec.victim_group == "civilians"
    assert {(v.group, v.killed.best) for v in rec.victims} == {("children", 16), ("women", 4)}


def test_victim_noun_after_the_casualty_noun(corpus):
    # "لتصل إلى نحو 80 قتيلا مدنيا"; and "قرب دمشق" is outside the city: Rural Damascus.
    doc = sentence(corpus, "FR-internationalNews-29-20180219", "ارتفعت حصيلة القتلى جراء قصف")
    [rec] = incidents(doc)
    assert rec.killed.best == 80 and rec.victim_group == "civilians"
    assert rec.location is not None and rec.location.admin1 == "Rural Damascus"


def test_owner_between_the_noun_and_its_verb(corpus):
    # "أن 5 مسلحين من القوات الشعبية السورية قتلوا في ثلاث غارات تركية"
    doc = sentence(corpus, "SK-middleEast-286-20180314", "5 مسلحين")
    [rec] = incidents(doc)
    assert rec.victim_group == "pro_government_militias" and rec.perpetrator == "turkey"


# Perpetrators.


def test_owner_in_the_headline_is_not_the_perpetrator(corpus):
    # Headline "9 قتلى من ميليشيا النظام السوري في قصف مستودع الأسلحة بدمشق": the dead are the militia.
    [rec] = incidents(corpus["SK-middleEast-1547-20180508"])
    assert rec.victim_group == "pro_government_militias" and rec.perpetrator == "unknown"


def test_quoted_group_name_after_tanzim(corpus):
    # "إثر هجوم مفاجئ شنه تنظيم "الدولة الإسلامية"": not the HTS named in the sentence before.
    recs = incidents(corpus["FR-internationalNews-534-20180320"])
    [rec] = [r for r in recs if r.killed.best == 36]
    assert rec.perpetrator == "isis" and rec.victim_group == "syrian_government"


def test_expected_strike_has_no_author_yet(corpus):
    # Headline "قوات النظام السوري ترفع حالة التأهب تحسباً لضربة أميركية"; the chemical attack's
    # 60 dead are not the work of the strike the report says is coming.
    [rec] = incidents(corpus["SK-middleEast-903-20180410"])
    assert rec.killed.best == 60 and rec.perpetrator != "us_led_coalition"


def test_a_group_does_not_kill_its_own(corpus):
    # "وتمكن أهالي القرى من قتل نحو 15 مسلحا من داعش من بين 63 شخصا قتلوا من التنظيم"
    recs = incidents(corpus["SK-middleEast-3111-20180727"])
    [own] = [r for r in recs if r.victim_group == "isis"]
    assert own.perpetrator != "isis"
    assert [r.perpetrator for r in recs if r.victim_group == "civilians"] == ["isis"]


def test_area_held_by_a_group_is_not_its_attack(corpus):
    # "تعرضت مدينة دوما السورية الخاضعة لسيطرة المعارضة إلى قصف جوي": the opposition is the target;
    # the headline says "قصف جديد للنظام السوري".
    recs = incidents(corpus["FR-internationalNews-591-20180407"])
    [eight] = [r for r in recs if r.killed.best == 8]
    assert eight.perpetrator == "syrian_government"


def test_claim_of_responsibility_later_in_the_report(corpus):
    # "… عن مقتل 215 شخصا على الأقل" then, five sentences on, "وأعلن تنظيم الدولة الإسلامية المسؤولية عنها".
    [rec] = incidents(corpus["BB-middleEast-785-20180725"])
    assert rec.killed.best == 215 and rec.perpetrator == "isis"


def test_claim_denied_names_no_author(corpus):
    # "لم تعلن أي جماعة مسلحة على الفور مسؤوليتها عن الهجوم، على الرغم من تأكيد … بانتماء المسلحين
    # إلى تنظيم داعش": no one claimed it.
    [rec] = incidents(corpus["SK-middleEast-3084-20180723"])
    assert rec.perpetrator == "unknown"
    [rec] = incidents(corpus["SK-middleEast-3377-20180814"])  # "لم تعلن أي جهة مسؤوليتها"
    assert rec.killed.best == 3 and rec.perpetrator == "unknown"


# Places.


def test_reference_point_after_a_place_is_not_the_place(corpus):
    # "على الغوطة الشرقية قرب دمشق … لمقتل 20 مدنيا": the Ghouta, not Damascus.
    doc = sentence(corpus, "FR-internationalNews-534-20180320", "لمقتل 20")
    [rec] = incidents(doc)
    assert rec.location is not None and rec.location.admin1 == "Rural Damascus"
    assert "الغوطة" in (rec.location.text or "")


def test_reference_point_linked_by_fi_is_not_a_place(corpus):
    # "هجومه … على محافظة السويداء في جنوب سوريا، والذي أوقع أكثر من 250 قتيلا": "جنوب سوريا" says where
    # the governorate lies, it is not a second region of the toll.
    [tally] = [r for r in extract(corpus["FR-middleEast-859-20180731"]) if r.kind == "tally"]
    assert [loc.admin1 for loc in tally.regions] == ["As-Sweida"]


def test_a_capital_that_leads_or_speaks_is_a_government_not_a_place(corpus):
    # "في غارات للتحالف الدولي بقيادة الولايات المتحدة قرب دير الزور": Washington leads, the strikes were
    # near Deir ez-Zor (not in "سوريا" for want of any other place).
    [rec] = [r for r in incidents(corpus["FR-middleEast-114-20180306"]) if r.perpetrator == "us_led_coalition"]
    assert rec.location is not None and rec.location.admin1 == "Deir-ez-Zor"


def test_a_capital_with_its_allies_is_a_government_not_a_place(corpus):
    # "وأعلن أن الضربة هي "الأكثر دموية" ضد دمشق وحلفائها": the strike on the PMF near al-Bukamal hit
    # Damascus's side, not the capital.
    [rec] = [r for r in incidents(corpus["FR-middleEast-645-20180619"]) if r.killed is not None and r.killed.best == 52]
    assert rec.location is None or rec.location.admin1 != "Damascus"


def test_toll_raised_by_the_statement_is_the_count(corpus):
    # "أسفرت عن مقتل 11 إيرانيا مما يرفع حصيلة القتلى إلى 27 على الأقل": the toll is 27.
    [rec] = incidents(corpus["FR-middleEast-447-20180512"])
    assert rec.killed.best == 27


def test_killed_verb_after_a_figure_splits_a_combined_cue(corpus):
    # "إن رجلا واحدا على الأقل قتل وأصيب 6 مدنيين": one killed, six wounded (not six killed or wounded).
    doc = sentence(corpus, "CN-middleEast-1295-20180906", "رجلا واحدا")
    [rec] = incidents(doc)
    assert rec.killed.best == 1 and rec.wounded.best == 6 and rec.killed_or_wounded is None


def test_weekday_with_the_conjunction_dates_its_own_event(corpus):
    # "والثلاثاء الماضي، قتل ما لا يقل عن 14 شخصاً": Tuesday's 14 are not Thursday's one.
    recs = incidents(corpus["CN-middleEast-1297-20180906"])
    assert sorted((r.killed.best, r.date) for r in recs) == [(1, "2018-09-06"), (14, "2018-09-04")]


def test_attack_that_only_wounds_is_an_incident_with_killed_null(corpus):
    # "شن ما يشتبه بأنه هجوم بالغاز أدى إلى إصابة ستة أشخاص في منطقة عفرين": killed is not stated.
    [rec] = incidents(corpus["AL-internationalNews-29-20180217"])
    assert rec.killed is None and rec.wounded.best == 6 and rec.perpetrator == "turkey"


def test_wounded_beside_a_death_toll_are_that_event(corpus):
    # "استشهد 3 مواطنين وجرح 4 آخرون": one incident, not a second wounded-only one.
    [rec] = incidents(corpus["SK-middleEast-3377-20180814"])
    assert rec.killed.best == 3


def test_direction_from_the_capital_is_its_countryside(corpus):
    # "هجوم صاروخي إسرائيلي على قاعدة عسكرية جنوب دمشق": outside the city, in Rural Damascus;
    # "شخصين قتلا في انفجار في العاصمة دمشق" stays in Damascus.
    recs = incidents(corpus["BB-middleEast-473-20180509"])
    assert {(r.killed.best, r.location.admin1) for r in recs} == {(15, "Rural Damascus"), (2, "Damascus")}


def test_reporter_location_is_not_the_event_place(corpus):
    # "عثرت السلطات … على جثة معارض إيراني … وفق ما ذكر مراسل سكاي نيوز عربية في أربيل": the body
    # was found "في قضاء بنجوين شرقي محافظة السليمانية".
    [rec] = incidents(corpus["SK-middleEast-2968-20180718"])
    assert rec.location is not None and rec.location.admin1 == "Al-Sulaymaniyah"


def test_members_named_after_an_attack_word_are_its_authors(corpus):
    # "قتل جنديان تركيان … في هجوم شنه عناصر من منظمة حزب العمال الكردستاني ضد قوة تركية"
    [rec] = incidents(corpus["SK-internationalNews-1701-20180521"])
    assert rec.killed.best == 2 and rec.perpetrator == "other"  # the PKK has no SCHEMA.md id
    # Headline "مقتل جندي تركي"; the body names the author: "في هجوم لعناصر حزب العمال الكردستاني".
    [rec] = incidents(corpus["SK-internationalNews-1851-20180529"])
    assert rec.killed.best == 1 and rec.perpetrator == "other" and rec.victim_group == "turkey"


def test_members_as_victims_stay_victims(corpus):
    # "مقتل 36 عنصرا على الأقل من قوات النظام": the regime's members are the dead, not the authors.
    doc = sentence(corpus, "FR-internationalNews-534-20180320", "حي القدم")
    [rec] = incidents(doc)
    assert rec.victim_group == "syrian_government" and rec.perpetrator != "syrian_government"


def test_death_noun_with_pronoun_after_the_count(corpus):
    # "لقي 9 أشخاص على الاقل مصرعهم مساء اليوم الاثنين في هجوم بسيارة مفخخة"
    doc = sentence(corpus, "JA-internationalNews-236-20160905", "مصرعهم")
    [rec] = incidents(doc)
    assert rec.killed.best == 9 and rec.location.admin1 == "Baghdad"


def test_days_of_strikes_make_a_tally(corpus):
    # "لقي أكثر من 400 مدني مصرعهم، في خمسة أيام من الغارات": a period total; Thursday's 46 an incident.
    recs = extract(corpus["SK-middleEast-14-20180222"])
    assert {r.kind for r in _killed(recs, 400)} == {"tally"}
    assert [r.kind for r in _killed(recs, 46)] == ["incident"]


def test_dawn_is_not_a_detonation(corpus):
    # "12 مسلحا غير سوريين يقاتلون إلى جانب القوات السورية فجر الخميس في غارات للتحالف الدولي"
    [rec] = incidents(corpus["SK-middleEast-1917-20180524"])
    assert rec.killed.best == 12 and rec.perpetrator == "us_led_coalition"


def test_near_the_capital_with_its_title_between(corpus):
    # "ألقت قنابل … على البلدة، وهي آخر معقل للمعارضة المسلحة بالقرب من العاصمة دمشق": the place
    # mention is "دمشق" alone, the near-word comes before "العاصمة"; the town is in Rural Damascus.
    rec = next(r for r in incidents(corpus["BB-middleEast-334-20180412"]) if r.killed and r.killed.best == 70)
    assert rec.location is not None and rec.location.admin1 == "Rural Damascus"


def test_where_someone_travelled_to_is_not_the_event_place(corpus):
    # "بعثة التحقيق … التي وصلت إلى دمشق … للتحقيق في هجوم كيميائي ضد أهالي دوما … أسفر عن مقتل أكثر
    # من أربعين شخصا": the inspectors' destination is not where the forty died (Ghouta, Rural Damascus).
    rec = next(r for r in incidents(corpus["FR-internationalNews-730-20180414"]) if r.killed and r.killed.best == 40)
    assert rec.location is not None and rec.location.admin1 == "Rural Damascus"
