"""The edit forms' pure logic: answers to cells and zones, errors at fields."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely
from pyproj import Geod

from layers.catalogue import CATALOGUE_DIR, read_catalogue
from layers.catalogue.store.native import text_tables
from layers.page import auth, edit
from layers.params import LayerInputs, LayerParams
from layers.registry import build_layers

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def inputs(reference) -> LayerInputs:
    return LayerInputs(reference, read_catalogue(CATALOGUE_DIR))


@pytest.fixture(scope="module")
def layers(inputs) -> dict:
    return build_layers(inputs, LayerParams())


def _town(inputs: LayerInputs, name: str) -> str:
    places = inputs.reference.places
    return str(places.index[places["name"] == name][0])


def _qaim(inputs: LayerInputs, **more) -> dict:
    return {
        "anchor": edit.TOWN,
        "town": _town(inputs, "Al Qā’im"),
        "distance_km": 15.0,
        "admin1": "Al-Anbar",
        "valley": True,
        **more,
    }


def test_within_15_km_of_al_qaim_in_al_anbar_in_the_valley(inputs, layers) -> None:
    placed = edit.preview_zone(
        edit.location_cells(_qaim(inputs), inputs.reference), inputs, layers
    )
    assert placed.errors == {}
    cells = placed.cells
    assert (cells["precision_class"], cells["uncertainty_m"]) == ("P3", "15000")
    assert cells["constraints"] == "country:IRQ; admin1:Al-Anbar; valley"
    assert cells["country"] == "IRQ"  # Al-Qa'im is in Iraq (GeoNames: IQ)
    assert (cells["geo_precision"], cells["where_prec"]) == ("2", "2")
    zone = placed.zone.geometry.iloc[0]
    # Every corner of the zone lies within 15 km of the anchor, on the ellipsoid.
    xy = shapely.get_coordinates(zone)
    lon0, lat0 = float(cells["lon"]), float(cells["lat"])
    _, _, metres = GEOD.inv([lon0] * len(xy), [lat0] * len(xy), xy[:, 0], xy[:, 1])
    assert metres.max() <= 15_000 * 1.001
    # Cut by Iraq: the zone stops at the border, short of Abu Kamal (Syria).
    assert not zone.contains(shapely.Point(40.919, 34.452))
    assert "Euphrates River Valley" in edit.zone_summary(placed)
    assert placed.zone["area_km2"].iloc[0] < 3.1416 * 15**2  # cut, not a disc


@pytest.mark.parametrize(
    ("radius", "point", "expected"),
    [
        (50, True, "P1"),
        (100, True, "P1"),
        (101, True, "P2"),
        (5_000, False, "P2"),  # a town is never finer than P2
        (10_001, False, "P3"),
        (50_001, False, "P4"),
        (500_000, False, "P5"),
        (700_000, False, "P6"),
    ],
)
def test_the_class_follows_the_radius(radius, point, expected) -> None:
    assert edit.precision_for(radius, point=point) == expected


def test_a_town_alone_is_a_named_town(inputs) -> None:
    cells = edit.location_cells(_qaim(inputs, distance_km=0), inputs.reference).cells
    assert (cells["precision_class"], cells["uncertainty_m"]) == ("P2", "5000")


def test_location_errors_are_at_their_fields(inputs) -> None:
    answers = {"anchor": edit.TOWN, "town": None, "distance_km": 900.0}
    placed = edit.location_cells(answers, inputs.reference)
    assert set(placed.errors) == {"town", "distance_km"}
    point = {"anchor": edit.POINT, "lat": 95.0, "lon": 44.0, "admin1": "Atlantis"}
    assert set(edit.location_cells(point, inputs.reference).errors) == {
        "lat",
        "admin1",
    }


def test_constraints_that_do_not_meet_are_an_error_at_the_valley(
    inputs, layers
) -> None:
    # Al-Basrah governorate lies some 500 km from Al-Qa'im: nothing in common.
    answers = _qaim(inputs, admin1="Al-Basrah")
    placed = edit.preview_zone(
        edit.location_cells(answers, inputs.reference), inputs, layers
    )
    assert list(placed.errors) == ["valley"]
    assert "have no area in common" in placed.errors["valley"]
    assert placed.zone.empty


def test_the_readers_rules_are_shown_at_the_fields(inputs, layers) -> None:
    placed = edit.location_cells(_qaim(inputs), inputs.reference)
    values = {"event_id": "T-1", "title": "", "date_start": None}
    values |= {"time_precision": 1, "confidence": "certain", "sources": ["nope"]}
    row = edit.event_row(values, placed)
    sources = text_tables(inputs.catalogue)["sources"]
    errors = edit.check_event(row, sources)
    assert {"title", "date_start", "confidence", "sources"} <= set(errors)
    shown = edit.with_errors(edit.event_widgets(edit.ACTIONS[0], []), errors)
    keys = [kwargs.get("key") for _, kwargs in shown]
    title_at = keys.index(edit.key("title"))
    assert shown[title_at + 1][0] == "error"
    assert shown[title_at + 1][1]["body"].startswith("Title: ")


def test_sql_like_text_is_a_cell_like_any_other(inputs) -> None:
    placed = edit.location_cells(_qaim(inputs), inputs.reference)
    title = "x'); DROP TABLE events; --"
    row = edit.event_row({"title": title, "sources": ["reuters-qaim"]}, placed)
    assert row["title"] == title and row["source_ids"] == "reuters-qaim"


def test_an_event_loads_into_the_form_and_back(inputs, layers) -> None:
    event = inputs.catalogue.events.set_index("event_id", drop=False).loc["S-SY-1"]
    values = edit.form_values(edit.form_from_event(event))
    assert values["admin1"] == "Dayr Az Zawr" and values["valley"] is True
    placed = edit.location_cells(values, inputs.reference)
    assert placed.cells["uncertainty_m"] == "30000"
    assert placed.cells["constraints"] == "country:SYR; admin1:Dayr Az Zawr; valley"
    assert placed.cells["precision_class"] == "P3"


def test_constraints_the_form_does_not_ask_about_survive_an_edit(inputs) -> None:
    event = inputs.catalogue.events.set_index("event_id", drop=False).loc["S-SY-1"]
    event = event.copy()
    event["constraints"] = (
        "country:SYR; admin1:Dayr Az Zawr; corridor; near:Abu Kamal 25 km"
    )
    values = edit.form_values(edit.form_from_event(event))
    placed = edit.location_cells(values, inputs.reference)
    assert placed.cells["constraints"] == (
        "country:SYR; admin1:Dayr Az Zawr; corridor; near:Abu Kamal 25 km"
    )


def test_only_a_signed_in_listed_verified_address_may_edit() -> None:
    allowed = auth.editors(
        {"strikemap": {"editors": ["Alice@Example.org"]}}, environ={}
    )
    ok = {"is_logged_in": True, "email": "alice@example.org"}
    assert auth.editor_of(ok, allowed) == "alice@example.org"
    assert auth.editor_of({**ok, "is_logged_in": False}, allowed) is None
    assert auth.editor_of({"email": "alice@example.org"}, allowed) is None
    assert auth.editor_of({**ok, "email_verified": False}, allowed) is None
    assert auth.editor_of({**ok, "email": "bob@example.org"}, allowed) is None
    assert auth.editors({}, environ={"STRIKEMAP_EDITORS": " a@x.org, b@y.org"}) == {
        "a@x.org",
        "b@y.org",
    }


def test_form_values_take_only_the_edit_keys() -> None:
    state = {"edit_title": "t", "event": "S-IQ-1", "_edit_loaded": ("S-IQ-1", 1)}
    assert edit.form_values(pd.Series(state).to_dict()) == {"title": "t"}
