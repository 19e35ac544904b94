"""The page opens where and when the loaded catalogue is, titled by it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import shapely
from streamlit.testing.v1 import AppTest

from layers.catalogue import CATALOGUE_DIR, read_catalogue
from layers.page import region, text, view
from tests.conftest import ROOT

WORLD = Path(__file__).resolve().parent / "data" / "imports" / "world"
ACLED = WORLD / "acled_world_strikes.csv"


@pytest.fixture(scope="module")
def world_events():
    return read_catalogue(ACLED).events


@pytest.fixture(scope="module")
def shipped_events():
    return read_catalogue(CATALOGUE_DIR).events


def test_the_shipped_catalogue_keeps_its_views_dates_and_title(shipped_events):
    options = view.options_for(shipped_events)
    assert options.home is None  # the seed's views
    assert view.default_dates(options)[0] == view.DEFAULT_START
    state = view.default_state(options)
    assert (state.lat, state.lon, state.zoom) == (None, None, None)
    source = (str(CATALOGUE_DIR), 0)
    assert region.page_title(shipped_events, source, None) == text.TITLE


def test_a_world_catalogue_opens_on_its_own_events(world_events):
    options = view.options_for(world_events)
    home = options.home
    assert home is not None
    # Its events run from Mali (west) to Yemen and Ukraine: the centre lies
    # between them, and the box of the events fits the opening zoom.
    lon, lat = world_events["lon"], world_events["lat"]
    assert lon.min() < home.lon < lon.max() and lat.min() < home.lat < lat.max()
    assert 1 <= home.zoom <= 4
    state = view.default_state(options)
    assert (state.lat, state.lon, state.zoom) == (home.lat, home.lon, home.zoom)
    first, last = view.default_dates(options)
    assert first == world_events["date_start"].min().date()
    assert last == world_events["date_end"].max().date()


def test_a_replaced_catalogue_is_not_titled_as_the_2019_strikes(world_events):
    title = region.page_title(world_events, (str(ACLED), 0), None)
    assert "2019" not in title.split(",")[0] and "Kata'ib" not in title
    assert f"{len(world_events)} events" in title
    for code in ("YEM", "UKR", "MLI", "SOM", "LBN"):
        assert code in title


def test_one_event_opens_close_but_not_at_street_level(world_events):
    one = world_events.iloc[:1]
    home = region.home_view(one)
    assert home is not None and home.zoom == region.HOME_MAX_ZOOM


def test_opening_dates_follow_a_catalogue_outside_the_seed_window():
    seed = (date(2019, 5, 1), date(2020, 1, 31))
    assert region.opening_dates(date(2023, 1, 1), date(2023, 6, 1), seed=seed) == (
        date(2023, 1, 1),
        date(2023, 6, 1),
    )
    assert region.opening_dates(date(2019, 12, 1), date(2020, 3, 1), seed=seed) == (
        date(2019, 5, 1),
        date(2020, 3, 1),
    )


def test_the_page_of_a_world_catalogue_is_titled_and_centred_by_it(monkeypatch):
    monkeypatch.setenv("STRIKEMAP_CATALOGUE", str(ACLED))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    assert not at.exception
    titles = [t.value for t in at.title]
    assert titles and titles[0].startswith("Strike map:") and "YEM" in titles[0]
    assert text.TITLE not in titles
    (component,) = [
        c
        for c in at.get("component_instance")
        if c.proto.component_name == "streamlit_folium.st_folium"
    ]
    args = json.loads(component.proto.json_args)
    lat, lon = args["center"]
    assert 10 < lat < 40 and 0 < lon < 50  # between Mali, Ukraine and Yemen


def test_a_world_catalogue_draws_the_outlines_around_its_own_events():
    from layers.catalogue.reference import read_reference
    from layers.params import LayerInputs, LayerParams
    from layers.registry import build_layers

    inputs = LayerInputs(read_reference(), read_catalogue(ACLED))
    layers = build_layers(inputs, LayerParams(), ["countries", "admin1"])
    countries, admin1 = set(layers["countries"]["iso_a3"]), layers["admin1"]
    assert {"YEM", "UKR", "MLI", "SOM"} <= countries
    assert "USA" not in countries and "BRA" not in countries  # only near the events
    yemen = admin1[admin1["iso_a3"] == "YEM"]
    assert "Amanat Al Asimah" in set(yemen["name"])
    # Sana'a (15.35 N, 44.21 E) lies in the drawn Amanat al-Asimah.
    sanaa = yemen[yemen["name"] == "Amanat Al Asimah"].geometry.iloc[0]
    assert sanaa.buffer(0.02).contains(shapely.Point(44.21, 15.35))
    # No first-order areas of countries without events.
    assert set(admin1["iso_a3"]) <= {"IRQ", "SYR", "YEM", "UKR", "MLI", "SOM"}


def test_the_shipped_catalogue_draws_only_the_regional_outlines(shipped_events):
    from layers.catalogue.reference import read_reference
    from layers.params import LayerInputs, LayerParams
    from layers.registry import build_layers

    inputs = LayerInputs(read_reference(), read_catalogue(CATALOGUE_DIR))
    layers = build_layers(inputs, LayerParams(), ["countries", "admin1"])
    assert len(layers["countries"]) == len(inputs.reference.countries)
    assert len(layers["admin1"]) == len(inputs.reference.admin1)
