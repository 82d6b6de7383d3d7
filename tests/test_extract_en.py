"""English extraction on real English reports (FA-KES dev) and on ACLED-style notes written from the codebook."""

from __future__ import annotations

import json
from datetime import date

import pytest

from conftest import DATA, REPO, need
from marsad.evaluate_doc import run_doc
from marsad.extract import extract
from marsad.geo import default_resolver
from marsad.model import Document
from marsad.sources import read_path
from marsad.text.dates_en import find_dates_en
from marsad.text.numbers_en import find_numbers_en

FAKES = DATA / "articles" / "fakes_en_dev.csv"
NOTES = REPO / "data" / "notes" / "en_acled_style_notes.jsonl"


@pytest.fixture(scope="module")
def fakes() -> dict[str, Document]:
    return {d.doc_id: d for d in read_path(str(need(FAKES))) if isinstance(d, Document)}


def _sentence_with(doc: Document, words: str) -> str:
    start = doc.text.index(words)
    return doc.text[doc.text.rfind(".", 0, start) + 1 : doc.text.index(".", start) + 1].strip()


def test_fakes_articles_are_read_as_english_with_their_us_dates(fakes):
    doc = fakes["1914947537"]  # FA-KES date "7/5/15": July 5, not 7 May
    assert doc.lang == "en"
    assert doc.published == date(2015, 7, 5)
    assert doc.title == "22 dead in heavy U.S. raids on IS Syria stronghold"
    assert all(d.lang == "en" for d in fakes.values())


def test_headline_and_lead_are_one_event_with_its_parts_perpetrator_and_place(fakes):
    doc = fakes["1914947537"]
    records = extract(doc)
    main = records[0]
    assert main.kind == "incident"
    assert (main.killed.low, main.killed.best) == (22, 22)
    # "Six civilians including a child were among at least 22 people killed"
    assert {(v.group, v.killed.best) for v in main.victims} == {("civilians", 6), ("children", 1)}
    # "Dozens of people were also wounded": a range, never a guessed figure
    assert (main.wounded.low, main.wounded.best, main.wounded.high) == (20, None, 99)
    assert main.perpetrator == "us_led_coalition"
    assert main.event_type == "explosions_remote_violence" and main.sub_event_type == "air_drone_strike"
    assert main.location.admin1 == "Ar-Raqqa"  # "the city of Raqa"
    assert main.date == "2015-07-04"  # "on Saturday and Sunday", published Sunday 5 July
    for ev in main.evidence:
        assert doc.text[ev.start : ev.end] == ev.text


def test_number_words_and_qualifiers_in_real_sentences(fakes):
    doc = fakes["1918150039"]
    sentence = _sentence_with(doc, "Thirty civilians were killed")
    found = find_numbers_en(sentence)
    assert found[0].value == 30 and sentence[found[0].start : found[0].end] == "Thirty"
    record = extract(doc)[0]
    assert record.killed.best == 30 and record.victim_group == "civilians"
    assert record.location.admin1 == "Rural Damascus"  # Jayrud
    assert record.perpetrator == "syrian_government"  # "intensive Syrian air strikes"


def test_english_number_expressions_follow_schema_rules():
    cases = {
        "at least 22 people": (22, 22, None),
        "more than 230000 people": (230000, 230000, None),
        "up to 1,362 dead": (None, 1362, 1362),
        "some 30 people": (None, 30, None),
        "dozens of people": (20, None, 99),
        "hundreds of civilians": (200, None, 999),
        "one hundred and fifty": (150, 150, None),
        "twenty-two soldiers": (22, 22, None),
        "a dozen fighters": (12, 12, None),
        "more than a quarter of a million people": (250000, 250000, None),
    }
    for phrase, expected in cases.items():
        n = find_numbers_en(phrase)[0]
        assert (n.count.low, n.count.best, n.count.high) == expected, phrase
    assert [n.value for n in find_numbers_en("killing twenty-two and one hundred and fifty")] == [22, 150]


def test_english_dates_resolve_against_publication(fakes):
    published = date(2016, 7, 2)  # a Saturday
    found = {m.precision: m.value for m in find_dates_en("killed on Tuesday", published)}
    assert found == {"day": date(2016, 6, 28)}
    assert find_dates_en("on 28 June 2024 they", published)[0].value == date(2024, 6, 28)
    assert find_dates_en("last week", published)[0].precision == "week"
    assert find_dates_en("May God", published) == []  # "May" alone is not a month
    doc = fakes["1918150039"]
    assert find_dates_en(doc.text, doc.published)[0].value == date(2016, 7, 2)  # "Posted on July 2 2016"


def test_a_dateline_day_is_not_a_casualty_figure(fakes):
    # "Published October 12 2016 Activists say the death toll ... at least 27 dead"
    records = extract(fakes["1924058193"])
    assert records and records[0].killed.best == 27
    assert 12 not in {r.killed.best for r in records if r.killed}


@pytest.mark.parametrize(
    ("variants", "admin1"),
    [
        (("Deir ez-Zor", "Deir Ezzor", "Dayr az Zawr"), "Deir-ez-Zor"),
        (("Idlib", "Idleb"), "Idleb"),
        (("Raqqa", "Ar-Raqqah", "Raqa"), "Ar-Raqqa"),
        (("Daraa", "Dar'a"), "Dar'a"),
        (("Albu Kamal", "Abu Kamal"), "Deir-ez-Zor"),
    ],
)
def test_english_transliteration_variants_resolve_to_one_governorate(variants, admin1):
    resolver = default_resolver()
    assert {resolver.resolve(v).admin1 for v in variants} == {admin1}


def test_demonyms_and_speakers_are_not_places(fakes):
    # "Syrian village" is not the Syrian Desert (Homs); FA-KES labels this event Aleppo.
    record = extract(fakes["1923848168"])[0]
    assert record.location is None or record.location.admin1 != "Homs"


def test_a_place_named_after_its_generic_head_is_a_place(fakes):
    # "Syrias second city Aleppo killed five children", "the town of Qamishli": the resolver's phrase opens
    # with the lowercase head, the name is capitalised.
    assert extract(fakes["1923848181"])[0].location.admin1 == "Aleppo"
    assert extract(fakes["1923848165"])[0].location.admin1 == "Al-Hasakeh"


def test_a_vague_lead_figure_takes_the_exact_figure_stated_soon_after(fakes):
    # "Hundreds dead as Islamic State seizes Syrian air base" ... "at least 346 Islamic State fighters were killed".
    records = extract(fakes["1926479318"])
    assert records[0].killed.best == 346 and records[0].kind == "incident"
    assert all(r.killed is None or r.killed.best != 346 for r in records[1:])


def test_a_country_or_side_named_as_place_or_holder_is_not_the_attacker(fakes):
    # "Russian jets hit an outpost ... near the border with Turkey killing at least one opposition fighter"
    assert extract(fakes["1924058141"])[0].perpetrator == "russia"
    # "Tags Syria Hassakeh Kurds Suicide Attack SDF Islamic State": an outlet's tag list, not "Kurds attack"
    assert extract(fakes["1923102911"])[0].perpetrator != "sdf_ypg"


def _notes() -> list[tuple[Document, int]]:
    truth = {json.loads(line)["id"]: json.loads(line)["fatalities"] for line in NOTES.read_text().splitlines()}
    return [(d, truth[d.doc_id]) for d in read_path(str(NOTES)) if isinstance(d, Document)]


def _killed(doc: Document) -> int:
    return sum(r.killed.central() or 0 for r in extract(doc) if r.kind == "incident" and r.killed)


def test_acled_style_notes_meet_the_issue_targets():
    notes = _notes()
    with_deaths = [(d, n) for d, n in notes if n > 0]
    without = [d for d, n in notes if n == 0]
    assert len(with_deaths) >= 20 and len(without) >= 15
    exact = sum(_killed(d) == n for d, n in with_deaths) / len(with_deaths)
    none_invented = sum(_killed(d) == 0 for d in without) / len(without)
    assert exact >= 0.85, exact
    assert none_invented >= 0.95, none_invented


def test_acled_formulas_read_as_the_codebook_means():
    by_id = {d.doc_id: d for d, _n in _notes()}
    wounded_only = extract(by_id["n04"])  # "injuring five members including a civilian. There were no fatalities."
    assert [r.killed for r in wounded_only] == [None] and wounded_only[0].wounded.best == 5
    assert extract(by_id["n06"]) == []  # "Casualties unknown."
    assert extract(by_id["n21"]) == []  # "shot down 2 Turkish drones ... No casualties were reported."
    two = extract(by_id["n10"])[0]  # "killing a woman and her child and injuring 3 others"
    assert (two.killed.best, two.wounded.best) == (2, 3)
    assert {v.group for v in two.victims} == {"women", "children"}
    assert two.perpetrator == "syrian_government" and two.location.admin1 == "Idleb"


def test_span_level_gold_of_fakes_articles():
    from marsad.evaluate import run

    result = run(REPO / "data" / "gold" / "en_fakes_dev.jsonl", need(FAKES))
    assert result["documents_found"] == result["documents"] == 22
    # Today: incidents F1 0.79, count-only F1 0.90, admin1 0.88 on the pairs matched by count.
    assert result["incidents"]["f1"] >= 0.75
    assert result["incidents_count_only"]["f1"] >= 0.85
    assert result["accuracy"]["admin1"] >= 0.85


def test_document_level_scoring_on_fakes_dev():
    result = run_doc(str(need(FAKES)))
    overall = result["overall"]
    assert overall["articles"] == 384
    # Floors a little under today's figures (killed 0.82, admin1 0.89, perpetrator 0.79): a regression fails.
    assert overall["killed"] >= 0.80
    assert overall["admin1"] >= 0.85
    assert overall["perpetrator"] >= 0.76
    assert all(f["articles"] == 192 for f in result["folds"])


def _note(text: str) -> Document:
    return Document("note", text, published=date(2024, 5, 4), lang="en")


def test_the_dead_side_and_nationality_and_no_one_killed():
    text = "On 3 May 2024, IS militants shot down a helicopter near Palmyra (Homs), killing two Russian pilots."
    (pilots,) = extract(_note(text))
    assert (pilots.killed.best, pilots.perpetrator, pilots.victim_group) == (2, "isis", "russia")
    assert [(v.group, v.nationality) for v in pilots.victims] == [("russia", "RU")]
    assert pilots.location.admin1 == "Homs" and pilots.date == "2024-05-03"
    nobody = "On 3 May 2024, an IED hit an SDF patrol near Hajin (Deir ez-Zor), killing no one. No fatalities reported."
    assert [r.killed for r in extract(_note(nobody))] == []


def test_english_casualty_constructions_of_real_reports(fakes):
    # "claiming the lives of 8 persons and injuring more than 58 others": a cue ending in "of"
    sana = extract(fakes["1926478942"])[0]
    assert (sana.killed.best, sana.wounded.best) == (8, 58)
    # "Seven killed 37 others injured" (commas stripped): two tolls, not "Seven killed 37 others"
    headline = extract(fakes["1926479017"])[0]
    assert (headline.killed.best, headline.wounded.best) == (7, 37)
    # "at least 33 members of the 'Islamic State …' and 'al-Nusra Front' organizations were killed"
    assert extract(fakes["1965511110"])[0].killed.best == 33
    # "Hundreds killed …": "At least 412 people more than half of them from ISIS have been killed"
    assert extract(fakes["1962495643"])[0].killed.best == 412
    # "… reportedly killed 35 fighters and injured many others": 35 dead, not 35 wounded
    raid = extract(fakes["1924058076"])[0]
    assert raid.killed.best == 35 and raid.wounded is None


def test_acled_formulas_of_one_dead_and_of_no_dead():
    by_id = {d.doc_id: d for d, _n in _notes()}
    for note in ("n46", "n62", "n47", "n43", "n56"):
        # "killing the driver", "killing him", "a civilian who had been injured … succumbed to his wounds",
        # "resulting in the death of a shepherd", "the body of a young man was found"
        assert _killed(by_id[note]) == 1, note
    assert _killed(by_id["n63"]) == 3  # "killing a woman and her two children"
    assert _killed(by_id["n45"]) == 0  # "injuring a 12-year-old boy"
    assert _killed(by_id["n68"]) == 0  # "killing 30 sheep. No human casualties were reported."


def test_war_wide_tolls_are_tallies_and_a_period_start_is_no_event_date(fakes):
    # "the conflict has claimed the lives of over 470000 people", "since April": tolls of the war or of months
    for doc_id in ("1962495699", "1923102958"):
        records = extract(fakes[doc_id])
        assert not [r for r in records if r.kind == "incident" and r.killed and r.killed.central() >= 300]
        assert [r for r in records if r.kind == "tally"]
    # "the city that has been divided since July 2012" beside "Another five people were killed": not old news
    assert 5 in {r.killed.best for r in extract(fakes["1923848179"]) if r.kind == "incident" and r.killed}


def test_a_figure_between_two_numbers_is_a_range_not_a_sum(fakes):
    # "Between 500 and 1300 people died" (the Ghouta attack): 500 to 1300, not 1800
    killed = extract(fakes["1926479038"])[0].killed
    assert (killed.low, killed.best, killed.high) == (500, None, 1300)


def test_the_side_the_dead_fought_for_is_not_their_killer(fakes):
    # "at least 6000 ISIS militants have been killed on this front" (Kurdish forces against ISIS)
    records = extract(fakes["1962495694"])
    assert [r.perpetrator for r in records if r.killed and r.killed.best == 6000] == ["sdf_ypg"]


def test_and_after_including_joins_sub_groups_not_the_dead(fakes):
    from marsad.extract.en.lexicon import lexicon
    from marsad.extract.en.mentions import sentence_mentions

    # "6 civilians including a woman and two children were killed": 6, not 6 + 2
    sentence = _sentence_with(fakes["1926478984"], "6 civilians including a woman and two children")
    found = sentence_mentions(sentence, 0, len(sentence), lexicon())
    killed = [m for m in found if m.kind == "killed"]
    assert [m.count.best for m in killed] == [6]
    assert sorted(sub.count.best for sub in killed[0].subgroups) == [1, 2]
