"""The view buttons follow the loaded catalogue; the shipped one keeps its three."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from layers.catalogue import CATALOGUE_DIR, read_catalogue
from layers.map.build import OWN_MAP_TITLE, build_shell, map_html
from layers.map.style import VIEWS
from layers.page import publish, views
from layers.page.view import default_state, options_for
from tests.conftest import ROOT

WORLD = Path(__file__).resolve().parent / "data" / "imports" / "world"
ACLED = WORLD / "acled_world_strikes.csv"
#: Outside facts (GeoNames, lat/lon): towns with and without events.
SANAA = (15.3547, 44.2067)
HUDAYDAH = (14.7978, 42.9545)
KHARKIV = (49.9935, 36.2304)
ODESA = (46.4775, 30.7326)
KYIV = (50.4501, 30.5234)
ADEN = (12.7794, 45.0367)


def _inside(point: tuple[float, float], bounds: views.Bounds) -> bool:
    (south, west), (north, east) = bounds
    return south <= point[0] <= north and west <= point[1] <= east


@pytest.fixture(scope="module")
def yemen_ukraine(tmp_path_factory) -> Path:
    """The world ACLED export cut to its Yemen and Ukraine rows."""
    rows = pd.read_csv(ACLED, dtype=str, keep_default_na=False)
    path = tmp_path_factory.mktemp("yu") / "acled_yemen_ukraine.csv"
    rows[rows["country"].isin(["Yemen", "Ukraine"])].to_csv(path, index=False)
    return path


def test_a_yemen_and_ukraine_catalogue_gets_a_button_per_country(yemen_ukraine):
    events = read_catalogue(yemen_ukraine).events
    options = options_for(events, loaded=((str(yemen_ukraine), 0), None))
    names = [name for name, _ in options.views]
    # Yemen has four events, Ukraine three: most events first.
    assert names == ["All events", "Yemen", "Ukraine"]
    found = dict(options.views)
    assert _inside(SANAA, found["Yemen"]) and _inside(HUDAYDAH, found["Yemen"])
    assert _inside(KHARKIV, found["Ukraine"]) and _inside(ODESA, found["Ukraine"])
    assert not _inside(SANAA, found["Ukraine"]) and not _inside(KHARKIV, found["Yemen"])
    for point in (SANAA, HUDAYDAH, KHARKIV, ODESA):
        assert _inside(point, found["All events"])
    # Every event of a country lies in its button's box.
    for code, name in (("YEM", "Yemen"), ("UKR", "Ukraine")):
        own = events[events["country"] == code]
        assert all(
            _inside(p, found[name]) for p in zip(own["lat"], own["lon"], strict=True)
        )
    assert "Strike area" not in found and "Iraq" not in found


def test_the_shipped_catalogue_keeps_its_three_buttons_and_its_shell():
    events = read_catalogue(CATALOGUE_DIR).events
    options = options_for(events, loaded=((str(CATALOGUE_DIR), 0), None))
    assert options.views == tuple(VIEWS.items())
    assert [n for n, _ in options.views] == ["Strike area", "Iraq", "Region"]
    assert options_for(events).views == options.views  # the figure command's path
    context: dict = {}
    assert map_html(build_shell(context, views=options.views)) == map_html(
        build_shell(context)
    )


def test_a_replaced_catalogue_in_the_seed_region_still_follows_its_data():
    # The shipped events, loaded as an upload: not the shipped catalogue.
    events = read_catalogue(CATALOGUE_DIR).events
    options = options_for(events, loaded=(("upload.csv",), b"x"))
    names = [n for n, _ in options.views]
    assert names[0] == "All events" and {"Iraq", "Syria"} <= set(names)
    assert options.home is not None


def test_the_densest_area_is_where_most_events_are():
    # Five events around Gao (16.27 N, 0.04 W), one each in Kyiv and Aden.
    lat = np.array([16.27, 16.30, 16.20, 16.5, 15.9, KYIV[0], ADEN[0]])
    lon = np.array([-0.04, 0.0, -0.1, 0.3, -0.5, KYIV[1], ADEN[1]])
    dense = views.densest_view(lat, lon)
    assert dense is not None and _inside((16.27, -0.04), dense)
    assert not _inside(KYIV, dense) and not _inside(ADEN, dense)
    assert views.densest_view(lat[-3:], lon[-3:]) is None  # no two events together
    frame = gpd.GeoDataFrame(
        {"lat": lat, "lon": lon, "country": ["MLI"] * 5 + ["UKR", "YEM"]},
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )
    labels = [n for n, _ in views.catalogue_views(frame, names=views.country_names())]
    assert labels == ["All events", "Mali", "Ukraine", "Yemen"]  # Mali: its own


def test_a_single_event_view_shows_its_surroundings():
    (south, west), (north, east) = views.padded(*SANAA, *SANAA)
    assert north - south == pytest.approx(2 * views.MIN_HALF_SPAN)
    assert east - west == pytest.approx(2 * views.MIN_HALF_SPAN)
    assert views.padded(80.0, 170.0, 84.9, 179.9)[1] == (85.0, 180.0)


def test_an_unknown_view_is_named_with_those_there_are():
    box = views.padded(*SANAA, *SANAA)
    with pytest.raises(ValueError, match="unknown view 'Iraq'.*All events, Yemen"):
        views.view_bounds((("All events", box), ("Yemen", box)), "Iraq")
    with pytest.raises(ValueError, match="unknown view 'Iraq'"):
        build_shell({}, views=(("All events", ((0.0, 0.0), (1.0, 1.0))),), view="Iraq")


def test_the_figure_of_a_world_catalogue_is_framed_and_titled_by_it():
    events = read_catalogue(ACLED).events
    options = options_for(events, loaded=((str(ACLED), 0), None))
    title = publish.figure_title(options)
    assert "Iraq-Syria" not in title and "YEM" in title and "UKR" in title
    state = default_state(options)
    south, west, north, east = publish.view_bounds(state)
    assert south < SANAA[0] < north and west < KHARKIV[1] < east
    no_view = replace(state, lat=None, lon=None, zoom=None)
    bounds = publish.view_bounds(no_view, start=options.views[0][1])
    assert bounds != publish.view_bounds(no_view)  # not the seed's strike area
    assert south - 1 < bounds[0] and bounds[2] < north + 1


def _engine_options(script: str) -> dict:
    start = script.index("StrikeMap.init(")
    start = script.index("{", start)
    return json.JSONDecoder().raw_decode(script[start:])[0]


def test_the_page_of_a_yemen_and_ukraine_catalogue_shows_its_buttons(
    monkeypatch, yemen_ukraine
):
    monkeypatch.setenv("STRIKEMAP_CATALOGUE", str(yemen_ukraine))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    assert not at.exception
    (component,) = [
        c
        for c in at.get("component_instance")
        if c.proto.component_name == "streamlit_folium.st_folium"
    ]
    args = json.loads(component.proto.json_args)
    found = dict(
        (name, tuple(map(tuple, b)))
        for name, b in _engine_options(args["script"])["views"]
    )
    assert list(found) == ["All events", "Yemen", "Ukraine"]
    assert _inside(SANAA, found["Yemen"]) and _inside(KHARKIV, found["Ukraine"])
    # The map frame's name (screen readers, the browser) is not the 2019 strikes'.
    assert _engine_options(args["script"])["title"] == OWN_MAP_TITLE
