"""The event catalogue: what it holds, and a clear error for each kind of bad input."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from pyproj import Geod

from layers.catalogue import (
    read_catalogue,
    resolve_catalogue_path,
    validate_tables,
    write_catalogue,
)
from layers.catalogue.errors import CatalogueError, CatalogueErrors
from layers.catalogue.model import PRECISION_CLASSES, TABLE_COLUMNS
from layers.catalogue.store.native import text_tables, write_text_tables
from tests.conftest import ABU_KAMAL, AL_QAIM_GEONAMES, AL_QAIM_WIKIPEDIA, ROOT

sys.path.insert(0, str(ROOT))
from benchmarks.make_catalogue import make_catalogue  # noqa: E402

GEOD = Geod(ellps="WGS84")


def _edit(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; *row* counts as a spreadsheet does (header is row 1)."""
    with path.open(newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
        fields = list(records[0])
    records[row - 2][column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(records)


def _problems(path: Path) -> CatalogueError:
    with pytest.raises(CatalogueError) as info:
        read_catalogue(path)
    return info.value


def _find(error: CatalogueError, file: str, row: int | None, column: str | None):
    """The problem of *error* at (file, row, column); fails listing them all."""
    found = [
        e
        for e in getattr(error, "errors", (error,))
        if e.path.endswith(file) and e.row == row and e.column == column
    ]
    assert found, f"no problem at {file}, row {row}, column {column!r} in:\n{error}"
    return found[0]


# --- the shipped catalogue ----------------------------------------------------


def test_shipped_catalogue_has_the_five_strikes(catalogue):
    strikes = catalogue.events[catalogue.events["group_id"] == "US-STRIKES-20191229"]
    assert sorted(strikes["country"]) == ["IRQ", "IRQ", "IRQ", "SYR", "SYR"]
    assert set(strikes["date_start"].dt.strftime("%Y-%m-%d")) == {"2019-12-29"}
    assert set(strikes["sub_event_type"]) == {"Air/drone strike"}
    assert (strikes["precision_class"] >= "P3").all()  # none drawn as a site


def test_every_event_has_a_source_with_a_url(catalogue):
    for sources in catalogue.events["sources"]:
        assert sources and all(s["url"].startswith("http") for s in sources)


def test_sources_and_claims_are_joined_to_their_events(catalogue):
    s_iq_1 = catalogue.events.set_index("event_id").loc["S-IQ-1"]
    assert [s["id"] for s in s_iq_1["sources"]] == s_iq_1["source_ids"].split("; ")
    assert {c["scope"] for c in s_iq_1["claims"]} == {
        "all events of US-STRIKES-20191229"
    }
    k1 = catalogue.events.set_index("event_id").loc["K1-20191227"]
    assert {c["scope"] for c in k1["claims"]} <= {"this event"}


def test_casualty_claims_are_kept_apart_not_summed(catalogue):
    claims = catalogue.claims[catalogue.claims["applies_to"] == "US-STRIKES-20191229"]
    by_claimant = dict(zip(claims["claimant"], claims["killed_low"], strict=True))
    # Brief: KH said 24 killed, the PMF 25, Iraqi security sources at least 25.
    assert by_claimant["Kata'ib Hezbollah spokesman"] == 24
    assert by_claimant["Popular Mobilization Forces (Jawad Kadhim al-Rubaie)"] == 25
    assert by_claimant["Iraqi security and militia sources (Reuters)"] == 25
    s_iq_1 = catalogue.events.set_index("event_id").loc["S-IQ-1"]
    assert len(s_iq_1["claims"]) == len(claims)


@pytest.mark.parametrize("event_id", ["S-IQ-1", "S-IQ-2", "S-IQ-3"])
def test_al_qaim_uncertainty_covers_both_published_positions(catalogue, event_id):
    event = catalogue.events.set_index("event_id").loc[event_id]
    for lon, lat in (AL_QAIM_GEONAMES, AL_QAIM_WIKIPEDIA):
        _, _, metres = GEOD.inv(event["lon"], event["lat"], lon, lat)
        assert metres < event["uncertainty_m"]


def test_syrian_strikes_are_anchored_at_abu_kamal(catalogue):
    for _, event in catalogue.events[catalogue.events["country"] == "SYR"].iterrows():
        _, _, metres = GEOD.inv(event["lon"], event["lat"], *ABU_KAMAL)
        assert metres < 2_000


def test_rq4_keeps_both_claimed_positions(catalogue):
    rq4 = catalogue.events[catalogue.events["group_id"] == "RQ4-20190620"]
    assert set(rq4["event_id"]) == {"RQ4-IRAN", "RQ4-US"}
    assert set(rq4["confidence"]) == {"contested"}


def test_shipped_codes_follow_the_crosswalk(catalogue):
    for _, event in catalogue.events.iterrows():
        spec = PRECISION_CLASSES[event["precision_class"]]
        acled, ucdp = event["geo_precision"], event["where_prec"]
        assert (pd.isna(acled) and not spec.acled) or acled in spec.acled
        assert (pd.isna(ucdp) and not spec.ucdp) or ucdp in (*spec.ucdp, 7)
        assert event["uncertainty_m"] <= spec.max_radius_m


def test_camp_taji_is_in_salah_ad_din(catalogue):
    taji = catalogue.events.set_index("event_id").loc["R-TAJI-20191229"]
    assert taji["admin1"] == "Sala ad-Din"


# --- one rule, one broken file ------------------------------------------------

#: (file, row, column, value, expected in the message). Each edit breaks one rule;
#: the message must name the file, row and column and say what is expected.
BAD_CELLS = [
    # numbers: syntax
    ("events.csv", 2, "lat", "north", r"'north' is not a number; expected"),
    ("events.csv", 2, "lat", "3_4.37973", r"'3_4.37973' is not a number"),
    ("events.csv", 2, "lat", "٣٤.٣٧٩٧٣", r"is not a number.*digits 0-9"),
    ("events.csv", 2, "lon", "inf", r"'inf' is not a number"),
    ("events.csv", 2, "lon", "nan", r"'nan' is not a number"),
    ("events.csv", 2, "lon", "41,06", r"'41,06' is not a number"),
    ("events.csv", 2, "time_precision", "", r"is empty; expected a whole number"),
    ("events.csv", 2, "time_precision", "1.5", r"not whole; expected a whole number"),
    # numbers: range
    ("events.csv", 3, "lon", "190", r"out of range; expected a number from -180"),
    ("events.csv", 2, "lat", "999", r"out of range; expected a number from -90 to 90"),
    ("events.csv", 2, "time_precision", "4", r"from 1 to 3"),
    ("events.csv", 2, "uncertainty_m", "30000000", r"out of range.*20,003,931 m"),
    ("events.csv", 2, "uncertainty_m", "1e9", r"out of range.*20,003,931 m"),
    ("events.csv", 2, "uncertainty_m", "0", r"out of range; expected a number from 1"),
    ("events.csv", 8, "uncertainty_m", "20000", r"too wide for P2.*at most 10,000 m"),
    ("events.csv", 2, "uncertainty_m", "60000", r"too wide for P3.*at most 50,000 m"),
    (
        "claims.csv",
        2,
        "killed_low",
        "99999999999999999999",
        r"out of range.*10,000,000",
    ),
    ("claims.csv", 2, "killed_high", "1e300", r"out of range; expected a whole"),
    ("claims.csv", 2, "wounded_low", "-3", r"out of range; expected a whole number"),
    ("claims.csv", 2, "killed_high", "3", r"below killed_low 25; expected killed_high"),
    # dates
    ("events.csv", 2, "date_start", "29/12/2019", r"not a date written YYYY-MM-DD"),
    ("events.csv", 2, "date_start", "20191227", r"not a date written YYYY-MM-DD"),
    ("events.csv", 2, "date_start", "2019-W52-5", r"not a date written YYYY-MM-DD"),
    ("events.csv", 2, "date_start", "2019-02-30", r"not a day of the calendar"),
    (
        "events.csv",
        2,
        "date_start",
        "0001-01-01",
        r"out of range; expected a date.*1900",
    ),
    ("events.csv", 2, "date_end", "9999-12-31", r"out of range; expected a date"),
    ("events.csv", 2, "date_end", "2019-12-01", r"before date_start 2019-12-29"),
    ("sources.csv", 2, "published", "2019-13-45", r"not a day of the calendar"),
    ("sources.csv", 2, "published", "Dec 2019", r"YYYY, YYYY-MM or YYYY-MM-DD"),
    # vocabularies and ids
    ("events.csv", 2, "precision_class", "P9", r"expected one of: P1, P2"),
    ("events.csv", 4, "event_type", "Airstrike", r"expected one of: Battles"),
    ("events.csv", 2, "sub_event_type", "Drone", r"expected one of: .*Air/drone"),
    ("events.csv", 2, "confidence", "high", r"expected one of: confirmed"),
    ("events.csv", 2, "country", "Iraq", r"expected the ISO 3166 alpha-3 code"),
    ("events.csv", 2, "country", "XYZ", r"not a country of the reference data"),
    ("events.csv", 3, "event_id", "S-IQ-1", r"duplicate \(first on row 2\)"),
    ("events.csv", 2, "event_id", "", r"is empty; expected an event id"),
    ("sources.csv", 2, "source_id", "csis;hoffman", r"holds ';'"),
    ("events.csv", 2, "title", "", r"is empty; expected a short title"),
    ("events.csv", 2, "source_ids", "nowhere", r"'nowhere' is not in sources.csv"),
    ("events.csv", 2, "source_ids", "", r"is empty; expected ids from sources.csv"),
    ("claims.csv", 2, "applies_to", "S-XX", r"neither an event_id nor a group_id"),
    ("claims.csv", 2, "claimant", "", r"is empty; expected who makes the claim"),
    ("claims.csv", 2, "source_ids", "csis-hoffman; gone", r"'gone' is not in"),
    ("sources.csv", 3, "title", "", r"title of the source"),
    ("sources.csv", 3, "source_id", "csis-hoffman", r"duplicate \(first on row 2\)"),
    # precision crosswalk
    ("events.csv", 2, "geo_precision", "3", r"does not go with P3.*geo_precision 2"),
    ("events.csv", 8, "geo_precision", "", r"does not go with P2.*geo_precision 1"),
    ("events.csv", 2, "where_prec", "4", r"does not go with P3.*where_prec 2 or 3"),
    ("events.csv", 8, "where_prec", "2", r"P2.*UCDP has no code"),
    # control characters
    ("events.csv", 2, "title", "a\x00b", r"control character; expected printable"),
    ("sources.csv", 2, "title", "form\x0cfeed", r"control character"),
    ("events.csv", 2, "country", "I\nRQ", r"holds a tab or line break"),
    ("events.csv", 2, "notes", "bell \x07", r"control character"),
    ("events.csv", 2, "location", "C1 \x85 char", r"control character"),
    ("events.csv", 2, "event_id", "S-IQ-1\tX", r"tab or line break; expected one"),
    # candidates
    (
        "events.csv",
        2,
        "candidates",
        "X @ 999, 41.0",
        r"'X @ 999, 41.0' is out of range",
    ),
    ("events.csv", 2, "candidates", "X @ 34.3, east", r"not two numbers"),
    ("events.csv", 2, "candidates", "somewhere", r"does not read as 'label @ lat"),
    ("events.csv", 2, "candidates", "X @ 0, 0", r"at 0, 0, no place"),
    ("events.csv", 2, "uncertainty_m", "5000", r"does not cover candidate.*7.0 km"),
    # constraints: known, resolvable, consistent with the event
    ("events.csv", 2, "constraints", "river", r"'river' is not a known constraint"),
    ("events.csv", 2, "constraints", "country:", r"needs a value"),
    ("events.csv", 2, "constraints", "valley:wide", r"takes no value"),
    ("events.csv", 2, "constraints", "country:XXX", r"names no country"),
    ("events.csv", 2, "constraints", "admin1:Atlantis", r"names no governorate"),
    (
        "events.csv",
        2,
        "constraints",
        "country:SYR; admin1:Al-Anbar",
        r"'country:SYR' contradicts the event's country \(IRQ\)",
    ),
    (
        "events.csv",
        2,
        "constraints",
        "admin1:Dayr Az Zawr",
        r"governorate of SYR, not of the event's country",
    ),
    (
        "events.csv",
        2,
        "constraints",
        "admin1:Ninawa",
        r"contradicts the event's admin1 \(Al-Anbar\)",
    ),
    # constraints are checked on every event, not only the strikes
    ("events.csv", 8, "constraints", "country:SYR", r"contradicts the event's country"),
    # places: inside the stated country and governorate, within the radius
    ("events.csv", 9, "admin1", "Ninawa", r"lies outside Ninawa by more than"),
    ("events.csv", 9, "admin1", "Gotham", r"not a governorate of IRQ.*Al-Anbar"),
    ("events.csv", 8, "lat", "44.28417", r"lies in Russia.*from the stated country"),
]


@pytest.mark.parametrize(("file", "row", "column", "value", "message"), BAD_CELLS)
def test_bad_cell_names_file_row_column_and_expected(
    catalogue_copy, file, row, column, value, message
):
    _edit(catalogue_copy / file, row, column, value)
    error = _problems(catalogue_copy)
    problem = _find(error, file, row, column)
    assert f"{file}, row {row}, column '{column}': " in str(error)
    assert "expected" in problem.problem
    assert re.search(message, problem.problem), problem.problem


def test_no_country_only_over_water(catalogue_copy):
    # RQ4-US has no country: only right over international waters or airspace.
    _edit(catalogue_copy / "events.csv", 24, "where_prec", "3")
    problem = _find(_problems(catalogue_copy), "events.csv", 24, "country")
    assert "where_prec is not 7" in problem.problem


def test_a_position_at_zero_zero_is_flagged(catalogue_copy):
    _edit(catalogue_copy / "events.csv", 8, "lat", "0")
    _edit(catalogue_copy / "events.csv", 8, "lon", "0.0")
    problem = _find(_problems(catalogue_copy), "events.csv", 8, "lat")
    assert "0, 0 is no place" in problem.problem


def test_swapped_position_of_a_context_event(catalogue_copy):
    # K-1 Air Base with lat and lon swapped: the swapped pair lies in Iraq.
    _edit(catalogue_copy / "events.csv", 8, "lat", "44.28417")
    _edit(catalogue_copy / "events.csv", 8, "lon", "35.5125")
    problem = _find(_problems(catalogue_copy), "events.csv", 8, "lat")
    assert "lat and lon swapped" in problem.problem


def test_point_in_the_sea_is_outside_its_country(catalogue_copy):
    # Green Zone row moved into the Gulf, still saying Iraq.
    _edit(catalogue_copy / "events.csv", 9, "lat", "27.5")
    _edit(catalogue_copy / "events.csv", 9, "lon", "51.0")
    error = _problems(catalogue_copy)
    assert "lies outside IRQ" in _find(error, "events.csv", 9, "country").problem


def test_unstated_governorate_must_meet_the_disc(catalogue_copy):
    _edit(catalogue_copy / "events.csv", 2, "admin1", "")
    _edit(catalogue_copy / "events.csv", 2, "constraints", "admin1:Al-Basrah")
    problem = _find(_problems(catalogue_copy), "events.csv", 2, "constraints")
    assert "beyond the event's uncertainty disc" in problem.problem


def test_a_point_over_water_may_lie_in_the_territorial_sea(catalogue_copy):
    # RQ4-IRAN is 15 km off Iran's coast: fine over water (where_prec 7) ...
    read_catalogue(catalogue_copy)
    # ... but not when it claims to be on land.
    _edit(catalogue_copy / "events.csv", 23, "where_prec", "")
    assert (
        "lies outside IRN"
        in _find(_problems(catalogue_copy), "events.csv", 23, "country").problem
    )


def test_international_waters_cannot_be_deep_inland(catalogue_copy):
    _edit(catalogue_copy / "events.csv", 24, "lat", "32.0")
    _edit(catalogue_copy / "events.csv", 24, "lon", "54.0")
    problem = _find(_problems(catalogue_copy), "events.csv", 24, "country")
    assert "inside IRN" in problem.problem


def test_cells_are_read_without_surrounding_spaces(catalogue_copy):
    _edit(catalogue_copy / "events.csv", 2, "lat", "  34.37973 ")
    _edit(catalogue_copy / "events.csv", 2, "country", " IRQ")
    _edit(catalogue_copy / "events.csv", 2, "source_ids", " csis-hoffman ;geonames ")
    event = read_catalogue(catalogue_copy).events.iloc[0]
    assert (event["lat"], event["country"]) == (34.37973, "IRQ")
    assert event["source_ids"] == "csis-hoffman; geonames"


def test_long_text_is_accepted(catalogue_copy):
    _edit(catalogue_copy / "events.csv", 2, "description", "word " * 200_000)
    catalogue = read_catalogue(catalogue_copy)
    assert len(catalogue.events.loc[0, "description"]) > 999_000


def test_multiline_text_is_accepted_and_rows_stay_right(catalogue_copy):
    _edit(catalogue_copy / "events.csv", 2, "notes", "line one\nline two")
    _edit(catalogue_copy / "events.csv", 3, "lat", "north")
    error = _problems(catalogue_copy)
    _find(error, "events.csv", 3, "lat")


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "rudaw.net", "ftp://a.b/"]
)
def test_a_native_source_url_that_is_no_web_address_is_refused(catalogue_copy, url):
    # Imports keep any text (the card withholds the link); a native catalogue,
    # kept as evidence, must give an http(s) address or none.
    _edit(catalogue_copy / "sources.csv", 3, "url", url)
    error = _find(_problems(catalogue_copy), "sources.csv", 3, "url")
    assert "is not an http(s) address" in str(error)


@pytest.mark.parametrize(
    "url", ["", 'https://evil.invalid/"><script>alert(1)</script>']
)
def test_no_url_or_an_unlinkable_web_address_is_kept_as_text(catalogue_copy, url):
    # No address at all, or an http(s) one the card will not link: kept as text.
    _edit(catalogue_copy / "sources.csv", 3, "url", url)
    sources = read_catalogue(catalogue_copy).sources
    assert sources["url"].iloc[1] == url


def test_every_problem_is_collected(catalogue_copy):
    _edit(catalogue_copy / "events.csv", 2, "lat", "north")
    _edit(catalogue_copy / "events.csv", 5, "confidence", "sure")
    _edit(catalogue_copy / "claims.csv", 3, "killed_low", "many")
    _edit(catalogue_copy / "sources.csv", 4, "title", "")
    error = _problems(catalogue_copy)
    assert isinstance(error, CatalogueErrors)
    assert len(error) == 4
    assert str(error).startswith("4 problems in the catalogue:")
    for file, row, column in (
        ("events.csv", 2, "lat"),
        ("events.csv", 5, "confidence"),
        ("claims.csv", 3, "killed_low"),
        ("sources.csv", 4, "title"),
    ):
        _find(error, file, row, column)


def test_the_first_fifty_are_shown_and_the_rest_counted(tmp_path):
    tables = make_catalogue(80, seed=3)
    tables["events"]["lat"] = "north"
    write_text_tables(tables, tmp_path)
    error = _problems(tmp_path)
    lines = str(error).splitlines()
    assert lines[0] == "80 problems in the catalogue:"
    assert len(lines) == 1 + 50 + 1
    assert lines[-1] == "... and 30 more problems"
    assert "events.csv, row 2, column 'lat'" in lines[1]
    assert "events.csv, row 51, column 'lat'" in lines[50]


# --- structure: files, header, CSV syntax -------------------------------------


def test_duplicated_header_is_rejected(catalogue_copy):
    path = catalogue_copy / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace(",notes,", ",title,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problem = _find(_problems(catalogue_copy), "events.csv", 1, "title")
    assert "names this column twice" in problem.problem
    assert "expected each column once" in problem.problem


def test_missing_column_is_named(catalogue_copy):
    path = catalogue_copy / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("uncertainty_m", "radius")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problem = _find(_problems(catalogue_copy), "events.csv", 1, None)
    assert problem.problem.startswith("missing column(s) uncertainty_m")


def test_empty_file(catalogue_copy):
    (catalogue_copy / "events.csv").write_text("")
    with pytest.raises(CatalogueError, match=r"events.csv, row 1: the file is empty"):
        read_catalogue(catalogue_copy)


def test_header_only_file(catalogue_copy):
    path = catalogue_copy / "events.csv"
    path.write_text(path.read_text().splitlines()[0] + "\n")
    with pytest.raises(CatalogueError, match="no events"):
        read_catalogue(catalogue_copy)


def test_not_a_csv_file(catalogue_copy):
    (catalogue_copy / "events.csv").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"
    )
    with pytest.raises(CatalogueError, match=r"events.csv, row 1: .*not UTF-8"):
        read_catalogue(catalogue_copy)


def test_bad_utf8_names_its_line(catalogue_copy):
    path = catalogue_copy / "claims.csv"
    row = len(path.read_bytes().splitlines()) + 1
    path.write_bytes(path.read_bytes() + b"S-IQ-1,caf\xe9,1,1,,,x,csis-hoffman\n")
    with pytest.raises(CatalogueError, match=rf"claims.csv, row {row}: .*not UTF-8"):
        read_catalogue(catalogue_copy)


def test_ragged_row(catalogue_copy):
    path = catalogue_copy / "claims.csv"
    row = len(path.read_text().splitlines()) + 1
    path.write_text(
        path.read_text() + "S-IQ-1,someone,1,2,3,4,detail,rudaw-strikes,extra\n"
    )
    with pytest.raises(CatalogueError, match=rf"claims.csv, row {row}: has 9 cells"):
        read_catalogue(catalogue_copy)


def test_unterminated_quote(catalogue_copy):
    path = catalogue_copy / "claims.csv"
    row = len(path.read_text().splitlines()) + 1
    path.write_text(path.read_text() + 'S-IQ-1,"someone,1,2,3,4,detail,x\n')
    with pytest.raises(
        CatalogueError, match=rf"claims.csv, row {row}: not valid CSV from line {row}"
    ):
        read_catalogue(catalogue_copy)


def test_blank_lines_keep_spreadsheet_row_numbers(catalogue_copy):
    path = catalogue_copy / "events.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(3, "")  # a blank spreadsheet row 4
    path.write_text("\n".join(lines), encoding="utf-8")
    read_catalogue(catalogue_copy)  # blank rows are fine
    # S-IQ-3, after the blank row, is spreadsheet row 5.
    lines[4] = lines[4].replace("2019-12-29,2019-12-29", "2019-12-29,2019-12-01", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    _find(_problems(catalogue_copy), "events.csv", 5, "date_end")


def test_missing_folder_and_file(tmp_path, catalogue_copy):
    with pytest.raises(CatalogueError, match="not found; expected a catalogue"):
        read_catalogue(tmp_path / "nowhere")
    (catalogue_copy / "claims.csv").unlink()
    with pytest.raises(CatalogueError, match=r"claims.csv, row 1: file not found"):
        read_catalogue(catalogue_copy)


def test_a_folder_without_catalogue_files(tmp_path):
    with pytest.raises(CatalogueError, match="is not a catalogue folder"):
        read_catalogue(tmp_path)


def test_a_file_of_no_known_format_is_named(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("a,b\n")
    with pytest.raises(CatalogueError, match="format is not recognised; expected"):
        read_catalogue(path)


# --- importers' entry point ---------------------------------------------------


def test_validate_tables_reports_the_given_rows():
    tables = make_catalogue(20, seed=1)
    tables["events"]["_row"] = range(101, 121)
    tables["events"].loc[4, "lat"] = "north"
    names = {"events": "acled.csv", "claims": "acled.csv", "sources": "acled.csv"}
    with pytest.raises(CatalogueErrors) as info:
        validate_tables(**tables, names=names)
    assert "acled.csv, row 105, column 'lat'" in str(info.value)


def test_validate_tables_names_missing_columns():
    tables = make_catalogue(5, seed=1)
    tables["sources"] = tables["sources"].drop(columns=["url"])
    names = {key: f"{key}.txt" for key in tables}
    with pytest.raises(CatalogueErrors, match=r"sources.txt, row 1: missing .*url"):
        validate_tables(**tables, names=names)


# --- generated catalogues and GeoParquet ---------------------------------------


def test_generated_catalogue_is_valid_and_deterministic(tmp_path):
    first = make_catalogue(400, seed=7)
    again = make_catalogue(400, seed=7)
    for key in first:
        pd.testing.assert_frame_equal(first[key], again[key])
    write_text_tables(first, tmp_path)
    catalogue = read_catalogue(tmp_path)
    assert len(catalogue.events) == 400
    assert set(catalogue.events["precision_class"]) == set(PRECISION_CLASSES)
    assert {"IRQ", "SYR", ""} <= set(catalogue.events["country"])
    assert catalogue.events["claims"].map(len).sum() >= len(catalogue.claims)


@pytest.mark.parametrize("start", ["shipped", "generated"])
def test_parquet_round_trip_keeps_every_cell(tmp_path, start):
    if start == "shipped":
        original = read_catalogue()
    else:
        write_text_tables(make_catalogue(300, seed=2), tmp_path / "csv")
        original = read_catalogue(tmp_path / "csv")
    write_catalogue(original, tmp_path / "pq", fmt="parquet")
    from_parquet = read_catalogue(tmp_path / "pq")
    write_catalogue(from_parquet, tmp_path / "back", fmt="csv")
    back = read_catalogue(tmp_path / "back")
    for key, before in text_tables(original).items():
        pd.testing.assert_frame_equal(before, text_tables(back)[key])
    assert list(back.events["claims"]) == list(original.events["claims"])
    assert list(back.events["sources"]) == list(original.events["sources"])
    assert from_parquet.events.crs == original.events.crs


def test_parquet_errors_name_file_row_and_column(tmp_path, catalogue):
    events = catalogue.events.copy()
    events.loc[3, "uncertainty_m"] = 1e9
    write_catalogue(
        type(catalogue)(events, catalogue.claims, catalogue.sources, ""),
        tmp_path,
        fmt="parquet",
    )
    error = _problems(tmp_path)
    _find(error, "events.parquet", 4, "uncertainty_m")


def test_csv_written_back_is_the_shipped_csv_cell_for_cell(tmp_path, catalogue):
    write_catalogue(catalogue, tmp_path)
    for key, columns in TABLE_COLUMNS.items():
        file = f"{key}.csv"
        shipped = pd.read_csv(
            ROOT / "data" / "catalogue" / file, dtype=str, keep_default_na=False
        )
        written = pd.read_csv(tmp_path / file, dtype=str, keep_default_na=False)
        # Every column, the optional evidence columns of sources.csv too.
        assert list(written.columns)[: len(columns)] == list(columns)
        pd.testing.assert_frame_equal(shipped, written)


# --- which catalogue ------------------------------------------------------------


def test_resolve_catalogue_path_flag_then_env_then_default():
    env = {"STRIKEMAP_CATALOGUE": "/from/env"}
    assert resolve_catalogue_path(argv=["--catalogue", "/a"], environ=env) == Path("/a")
    assert resolve_catalogue_path(argv=["--catalogue=/b"], environ=env) == Path("/b")
    assert resolve_catalogue_path(argv=["--other", "x"], environ=env) == Path(
        "/from/env"
    )
    default = resolve_catalogue_path(argv=[], environ={})
    assert default == ROOT / "data" / "catalogue"
