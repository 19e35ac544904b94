"""Find a place or an event: names in any script, where a pick moves the map."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point

from layers.page import find


@pytest.fixture(scope="module")
def options(reference, catalogue):
    return find.find_options(reference.places, catalogue.events)


def _label(options, text):
    return next(label for label in options.index if text in label)


def test_every_spelling_of_abu_kamal_finds_the_town_in_syria(options):
    label = _label(options, "Abu Kamal")
    for spelling in ("Ālbū Kamāl", "Al-Bukamal", "Abou Kemal", "(place, SY)"):
        assert spelling in label
    row = options.loc[label]
    assert (row["lat"], row["lon"]) == pytest.approx((34.452, 40.919), abs=1e-3)


def test_arabic_and_other_name_columns_are_read_through_one_function():
    places = gpd.GeoDataFrame(
        {
            "name": ["Ālbū Kamāl"],
            "alternate_names": ["Abu Kamal; Al-Bukamal; Abu Kamal"],
            "alternate_names_ar": ["البوكمال; أبو كمال"],
        },
        geometry=[Point(40.9185, 34.4523)],
        crs=4326,
    )
    assert find.place_names(places).tolist() == [
        ["Ālbū Kamāl", "Abu Kamal", "Al-Bukamal", "البوكمال", "أبو كمال"]
    ]
    options = find.find_options(places, places.iloc[0:0])
    assert "البوكمال" in options.index[0]


def test_events_are_found_by_id_title_and_location(options):
    label = _label(options, "S-SY-1:")
    assert "Abu Kamal (Al-Bukamal)" in label and "2019-12-29" in label
    assert options.loc[label, "event_id"] == "S-SY-1"


def test_picking_an_event_moves_the_map_and_opens_its_card(options):
    state = {find.FIND_KEY: _label(options, "K1-20191227:")}
    find.picked(state, options, "event")
    assert state["event"] == "K1-20191227"
    target = find.map_target(state)
    assert target["center"] == pytest.approx((35.5, 44.28), abs=0.1)
    assert 11 <= target["zoom"] <= 15  # a 2 km radius fills the map


def test_picking_a_place_moves_the_map_only(options):
    state = {find.FIND_KEY: _label(options, "Abu Kamal ·")}
    find.picked(state, options, "event")
    assert "event" not in state
    assert find.map_target(state)["zoom"] == find.PLACE_ZOOM


def test_nothing_picked_asks_nothing_of_the_map(options):
    state = {find.FIND_KEY: None}
    find.picked(state, options, "event")
    assert find.map_target(state) == {}


def test_the_world_file_adds_the_arabic_names(reference):
    places = find.with_world_names(reference.places)
    names = find.place_names(places)[places["geonameid"] == 174448].iloc[0]
    assert "البو كمال" in names and "أبو كمال" in names and "Abu Kamal" in names
