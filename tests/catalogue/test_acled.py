"""ACLED CSV exports: honest precision, claims kept apart, errors by row and column."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
import shapely

from geo.shapes import geodesic_disc
from layers.catalogue import read_catalogue
from layers.catalogue.errors import CatalogueError, CatalogueErrors
from layers.catalogue.importers import acled
from layers.catalogue.importers.acled import GEO_PRECISION
from layers.catalogue.importers.mapped import to_tables as mapped_tables

to_tables = partial(mapped_tables, mapping=acled.MAPPING)

IMPORTS = Path(__file__).resolve().parents[1] / "data" / "imports"
ACLED = IMPORTS / "acled_strikes.csv"


@pytest.fixture(scope="module")
def acled_catalogue():
    return read_catalogue(ACLED)


def _event(catalogue, event_id):
    return catalogue.events.set_index("event_id").loc[event_id]


def test_opens_by_content_through_read_catalogue(acled_catalogue):
    assert len(acled_catalogue.events) == 8
    assert set(acled_catalogue.events["precision_class"]) == {"P2", "P3", "P4"}


def test_codes_follow_the_corrected_crosswalk(acled_catalogue):
    for geo, (klass, _, _) in GEO_PRECISION.items():
        assert klass == {1: "P2", 2: "P3", 3: "P4"}[geo]
    town = _event(acled_catalogue, "IRQX0004")  # K-1, a named place: at most P2
    assert town["precision_class"] == "P2"
    assert town["uncertainty_m"] == 10_000
    near = _event(acled_catalogue, "IRQX0001")  # "near" al-Qa'im: no site at all
    assert near["precision_class"] == "P3"
    assert near["uncertainty_m"] == 25_000


def test_province_level_event_is_its_governorate_not_the_capital(
    acled_catalogue, reference
):
    event = _event(acled_catalogue, "IRQX0002")  # coded at Ramadi, province only
    assert event["precision_class"] == "P4"
    assert "admin1:Al-Anbar" in event["constraints"]
    assert "country:IRQ" in event["constraints"]
    # The anchor is no longer Ramadi, and the disc holds the whole governorate,
    # so disc within the governorate constraint = the governorate.
    assert (event["lat"], event["lon"]) != (33.4258, 43.2992)
    anbar = reference.admin1.set_index("name").loc["Al-Anbar", "geometry"]
    disc = geodesic_disc(event["lon"], event["lat"], event["uncertainty_m"])
    assert shapely.covers(disc, anbar)
    assert "Ramadi" not in event["candidates"]  # the stand-in is named as such
    assert "33.4258, 43.2992" in event["candidates"]
    assert "not as a point" in event["notes"]


def test_governorate_spellings_match_the_reference(acled_catalogue):
    syria = _event(acled_catalogue, "SYRX0008")  # "Deir ez Zor"
    assert syria["admin1"] == "Dayr Az Zawr"
    assert "admin1:Dayr Az Zawr" in syria["constraints"]


def test_unknown_province_is_the_area_its_point_lies_in_and_says_so():
    text = ACLED.read_text(encoding="utf-8").replace(
        "Iraq,Al Anbar,Ramadi,,Ramadi", "Iraq,Nowhere Province,Ramadi,,Ramadi"
    )
    events = to_tables(text.encode(), name="acled.csv").events.set_index("event_id")
    event = events.loc["IRQX0002"]
    # ACLED's point is Ramadi, the capital of Al-Anbar: drawn as Al-Anbar.
    assert event["precision_class"] == "P4"
    assert event["constraints"] == "country:IRQ; admin1:Al-Anbar"
    assert "'Nowhere Province' matched no reference area" in event["notes"]
    assert "Al-Anbar is the area its point lies in" in event["notes"]


def test_province_at_sea_is_listed_not_drawn():
    text = ACLED.read_text(encoding="utf-8").replace(
        "Iraq,Al Anbar,Ramadi,,Ramadi", "Iraq,Nowhere Province,Ramadi,,Ramadi"
    )
    lines = text.splitlines()
    row = next(k for k, line in enumerate(lines) if line.startswith("IRQX0002,"))
    header = lines[0].split(",")
    cells = lines[row].split(",")
    cells[header.index("latitude")], cells[header.index("longitude")] = "29.9", "48.9"
    lines[row] = ",".join(cells)
    events = to_tables("\n".join(lines).encode(), name="acled.csv").events
    event = events.set_index("event_id").loc["IRQX0002"]
    assert event["precision_class"] == "P6"
    assert "listed as country-only, not drawn" in event["notes"]


def test_time_precision_becomes_a_date_span(acled_catalogue):
    month = _event(acled_catalogue, "IRQX0007")  # ACLED 3: only the month
    assert month["time_precision"] == 3
    assert str(month["date_start"].date()) == "2019-11-01"
    assert str(month["date_end"].date()) == "2019-11-30"
    week = _event(acled_catalogue, "SYRX0008")  # ACLED 2: within a week
    assert week["time_precision"] == 2
    assert (week["date_end"] - week["date_start"]).days == 6


def test_fatalities_are_acled_claims_and_sources_have_no_invented_url(
    acled_catalogue,
):
    claims = acled_catalogue.claims
    assert set(claims["claimant"]) == {"ACLED"}
    qaim = claims[claims["applies_to"] == "IRQX0001"]
    assert len(qaim) == 1 and qaim["killed_low"].iloc[0] == 19
    assert not claims["applies_to"].eq("SYRX0008").any()  # empty: no claim
    sources = acled_catalogue.sources.set_index("title")
    assert sources.loc["Reuters", "url"] == ""
    assert "Rudaw" in sources.index


def test_actors_are_not_turned_into_attacker_and_target(acled_catalogue):
    event = _event(acled_catalogue, "IRQX0001")
    assert event["attacker"] == "" and event["target"] == ""
    assert "not directional" in event["notes"]


def test_broken_file_names_every_row_and_acled_column():
    with pytest.raises(CatalogueErrors) as info:
        read_catalogue(IMPORTS / "acled_broken.csv")
    message = str(info.value)
    for expected in (
        "acled_broken.csv, row 3, column 'geo_precision': '4' is not an ACLED "
        "geo_precision; expected 1, 2 or 3",
        "row 4, column 'latitude': '34.45N'",
        "row 5, column 'event_date': '2019-13-45'",
        "row 6, column 'sub_event_type': 'Drone strike'",
        "row 6, column 'fatalities': '-3'",
    ):
        assert expected in message


def test_missing_columns_are_named():
    with pytest.raises(CatalogueError, match="missing column.*geo_precision"):
        to_tables(
            b"event_id_cnty,event_date,latitude\nX,29 December 2019,34\n",
            name="acled.csv",
        )


def test_many_rows_are_read_without_a_loop_per_row():
    lines = ACLED.read_text(encoding="utf-8").splitlines()
    body = [
        line.replace("IRQX0004", f"IRQ{n:06d}")
        for n in range(3000)
        for line in lines[4:5]
    ]
    data = "\n".join([lines[0], *body]).encode()
    tables = to_tables(data, name="big.csv")
    assert len(tables.events) == 3000
    assert tables.events["_row"].iloc[-1] == 3001


def test_events_layer_draws_the_province_as_its_governorate(reference):
    from layers.params import LayerInputs, LayerParams
    from layers.registry import build_layers

    catalogue = read_catalogue(ACLED)
    built = build_layers(LayerInputs(reference, catalogue), LayerParams(), ["events"])
    events = built["events"].set_index("event_id")
    province = events.loc["IRQX0002"]
    anbar = reference.admin1.set_index("name").loc["Al-Anbar", "geometry"]
    assert province["geometry_kind"] == "area"
    assert province.geometry.symmetric_difference(anbar).area < 0.001 * anbar.area
    assert "Al-Anbar governorate" in province["derivation"]
    assert "centre of the Al-Anbar governorate" in province["derivation"]
    near = events.loc["IRQX0001"]  # "near" al-Qa'im: a disc cut to Iraq
    assert near.geometry.geom_type in ("Polygon", "MultiPolygon")
    assert near["geometry_kind"] == "area"
    town = events.loc["IRQX0004"]  # a named town: a point is allowed
    assert town.geometry.geom_type == "Point"
