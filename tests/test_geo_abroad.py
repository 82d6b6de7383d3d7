"""Places outside Syria and Iraq (geo/data/abroad_places.tsv, the neighbours' GeoNames provinces) on ANT reports.

SCHEMA.md: elsewhere admin1 is the province's common English name. A place abroad is the event's only
where the statement's own clause names it; in the report's other sentences it is mostly where someone
came from, and a place in Syria or Iraq is preferred.
"""

from __future__ import annotations

import pytest

from corpus_support import sentence
from marsad.extract import extract
from marsad.geo import default_resolver
from marsad.geo.lexicon import abroad_places, geonames_admin1

SCHEMA_ADMIN1 = {
    "SY": {"Aleppo", "Al-Hasakeh", "Ar-Raqqa", "As-Sweida", "Damascus", "Dar'a", "Deir-ez-Zor", "Hama", "Homs",
           "Idleb", "Lattakia", "Quneitra", "Rural Damascus", "Tartous"},
    "IQ": {"Al-Anbar", "Al-Basrah", "Al-Muthanna", "Al-Najaf", "Al-Qadissiya", "Al-Sulaymaniyah", "Babil",
           "Baghdad", "Diyala", "Duhok", "Erbil", "Kerbala", "Kirkuk", "Maysan", "Ninewa", "Salah Al-Din",
           "Thi Qar", "Wassit"},
}  # fmt: skip


def test_abroad_entries_are_abroad_with_a_province_and_a_point():
    places = abroad_places()
    assert len(places) > 20
    every_admin1 = set().union(*SCHEMA_ADMIN1.values())
    for p in places:
        assert p.country not in SCHEMA_ADMIN1 and p.admin1 and p.admin1 not in every_admin1, p
        assert p.names_ar and p.names_en and p.lat is not None and p.lon is not None, p


def test_geonames_codes_of_syria_and_iraq_give_schema_spellings():
    for (country, _code), admin1 in geonames_admin1().items():
        if country in SCHEMA_ADMIN1:
            assert admin1 in SCHEMA_ADMIN1[country]


@pytest.mark.parametrize(
    ("doc_id", "phrase", "name", "admin1", "country"),
    [
        ("AL-internationalNews-1968-20180717", "مدينة صعدة", "Saada", "Saada", "YE"),  # a kind word before it
        ("FR-internationalNews-817-20180420", "منطقة عسير", "Asir", "Asir", "SA"),  # a common word alone
        ("BB-middleEast-1040-20180922", "بمدينة الأهواز", "Ahvaz", "Khuzestan", "IR"),  # GeoNames' city
        ("SK-internationalNews-462-20180320", "شانلي أورفة", "Şanlıurfa", "Şanlıurfa", "TR"),
    ],
)
def test_a_place_abroad_resolves_to_its_province(corpus, doc_id, phrase, name, admin1, country):
    text = sentence(corpus, doc_id, phrase).text
    found = [m.location for m in default_resolver().find(text) if m.location.name == name]
    assert found and found[0].admin1 == admin1 and found[0].country == country


def _incident(corpus, doc_id: str, best: int):
    found = [r for r in extract(corpus[doc_id]) if r.kind == "incident" and r.killed and r.killed.best == best]
    assert found, f"no incident of {best} killed in {doc_id}"
    return found[0]


def test_an_attack_abroad_takes_the_province_named_in_its_clause(corpus):
    # "29 قتيلا في هجوم على استعراض عسكري ... بمدينة الأهواز، جنوب غربي إيران"
    assert _incident(corpus, "BB-middleEast-1040-20180922", 29).location.admin1 == "Khuzestan"
    # "مقتل عشرة صحافيين ... في كابول"
    assert _incident(corpus, "FR-internationalNews-1067-20180503", 10).location.admin1 == "Kabul"


def test_a_hometown_abroad_in_a_later_sentence_does_not_take_the_event(corpus):
    # 14 killed in the strike on the T4 airbase; a later sentence: "القتلى الثلاثة هم ... من مدينة الأحواز".
    rec = _incident(corpus, "SK-middleEast-881-20180409", 14)
    assert rec.location.country == "SY" and rec.location.admin1 == "Homs"
